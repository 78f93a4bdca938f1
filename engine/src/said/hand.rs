//! The words of `net … grad --table`, the hand calculation for one sample: its heading, why the
//! update's gradient differs from the sample's, the layers' titles and the columns. The column
//! symbols `net`, `out`, ∂E/∂out, δ are the worked example's notation and stay as they are.

use crate::lang::Lang;

/// Why the update's gradient is not this sample's δ·in.
#[derive(Clone, Debug, PartialEq)]
pub enum StepReason {
    BatchMean { samples: usize },
    PlusL2 { lambda: String },
    Clipped { norm: String },
}

/// Why no table is shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Omitted {
    Batchnorm,
    TooLarge { parameters: String, most: String },
}

/// One piece of the hand calculation's words.
#[derive(Clone, Debug, PartialEq)]
pub enum HandWords {
    Heading {
        x: String,
        target: String,
    },
    Omitted(Omitted),
    StepNote(Vec<StepReason>),
    LayerTitle {
        output: bool,
        layer: usize,
        activation: String,
    },
    Unit,
    Weight,
    Value,
    StepGradient,
    /// The updated column's heading: the optimizer unless plain SGD, and the rate.
    Updated {
        optimizer: Option<String>,
        rate: String,
    },
    Frozen,
}

/// The reasons, listed in `lang`: "the mean over the first batch's 4 samples, plus λ·w (…)".
pub fn reasons(why: &[StepReason], lang: Lang) -> String {
    let why: Vec<String> = why.iter().map(|r| r.to(lang)).collect();
    why.join(if lang == Lang::Zh { "，" } else { ", " })
}

impl StepReason {
    fn to(&self, lang: Lang) -> String {
        match (self, lang) {
            (StepReason::BatchMean { samples }, Lang::En) => {
                format!("the mean over the first batch's {samples} samples")
            }
            (StepReason::BatchMean { samples }, Lang::Zh) => format!("第一个批量中 {samples} 个样本的平均值"),
            (StepReason::PlusL2 { lambda }, Lang::En) => format!("plus λ·w (L2, λ = {lambda})"),
            (StepReason::PlusL2 { lambda }, Lang::Zh) => format!("再加上 λ·w（L2 正则化，λ = {lambda}）"),
            (StepReason::Clipped { norm }, Lang::En) => format!("clipped to norm {norm} if longer"),
            (StepReason::Clipped { norm }, Lang::Zh) => format!("范数超过 {norm} 时裁剪到 {norm}"),
        }
    }
}

impl HandWords {
    pub fn to(&self, lang: Lang) -> String {
        use HandWords::*;
        match (self, lang) {
            (Heading { x, target }, Lang::En) => format!("hand calculation for sample 1: x = {x}, target = {target}"),
            (Heading { x, target }, Lang::Zh) => format!("第 1 个样本的手算过程：x = {x}，目标 = {target}"),
            (HandWords::Omitted(self::Omitted::Batchnorm), Lang::En) => {
                "(not shown for batchnorm networks: their δ mixes the samples of a batch)".into()
            }
            (HandWords::Omitted(self::Omitted::Batchnorm), Lang::Zh) => {
                "（含批量规范化的网络不显示：它的 δ 混合了一个批量中的各个样本）".into()
            }
            (HandWords::Omitted(self::Omitted::TooLarge { parameters, most }), Lang::En) => format!(
                "(not shown: the table has a row per unit and per weight, and this network has {parameters} parameters; \
                 it is written out for networks of at most {most})"
            ),
            (HandWords::Omitted(self::Omitted::TooLarge { parameters, most }), Lang::Zh) => format!(
                "（不显示：表中每个单元、每个权重各占一行，而这个网络有 {parameters} 个参数；只对至多 {most} 个参数的网络列出）"
            ),
            (StepNote(why), Lang::En) => format!(
                "(the update is `net step`'s: its gradient is {}, so it is shown beside this sample's)",
                reasons(why, Lang::En)
            ),
            (StepNote(why), Lang::Zh) => {
                format!("（更新与 `net step` 相同：它的梯度是{}，所以列在这个样本的梯度旁边）", reasons(why, Lang::Zh))
            }
            (LayerTitle { output, layer, activation }, Lang::En) => {
                format!("{} layer {layer} ({activation})", if *output { "output" } else { "hidden" })
            }
            (LayerTitle { output, layer, activation }, Lang::Zh) => {
                format!("{}（第 {layer} 层，{activation}）", if *output { "输出层" } else { "隐藏层" })
            }
            (Unit, Lang::En) => "unit".into(),
            (Unit, Lang::Zh) => "单元".into(),
            (Weight, Lang::En) => "weight".into(),
            (Weight, Lang::Zh) => "权重".into(),
            (Value, Lang::En) => "value".into(),
            (Value, Lang::Zh) => "值".into(),
            (StepGradient, Lang::En) => "∂E/∂w of the step".into(),
            (StepGradient, Lang::Zh) => "这一步的 ∂E/∂w".into(),
            (Updated { optimizer: None, rate }, Lang::En) => format!("updated (α = {rate})"),
            (Updated { optimizer: None, rate }, Lang::Zh) => format!("更新后（α = {rate}）"),
            (Updated { optimizer: Some(o), rate }, Lang::En) => format!("updated ({o}, α = {rate})"),
            (Updated { optimizer: Some(o), rate }, Lang::Zh) => format!("更新后（{o}，α = {rate}）"),
            (Frozen, Lang::En) => "frozen".into(),
            (Frozen, Lang::Zh) => "已冻结".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{HandWords, Omitted, StepReason};
    use crate::lang::Lang;

    #[test]
    fn every_word_of_the_hand_table_is_in_both_languages() {
        let s = |t: &str| t.to_string();
        let reasons = vec![
            StepReason::BatchMean { samples: 4 },
            StepReason::PlusL2 { lambda: s("0.01") },
            StepReason::Clipped { norm: s("1") },
        ];
        let all = [
            HandWords::Heading { x: s("[0, 1]"), target: s("[1]") },
            HandWords::Omitted(Omitted::Batchnorm),
            HandWords::Omitted(Omitted::TooLarge { parameters: s("100,000"), most: s("400") }),
            HandWords::StepNote(reasons),
            HandWords::LayerTitle { output: true, layer: 2, activation: s("sigmoid") },
            HandWords::LayerTitle { output: false, layer: 1, activation: s("tanh") },
            HandWords::Unit,
            HandWords::Weight,
            HandWords::Value,
            HandWords::StepGradient,
            HandWords::Updated { optimizer: None, rate: s("0.5") },
            HandWords::Updated { optimizer: Some(s("adam")), rate: s("0.05") },
            HandWords::Frozen,
        ];
        for words in &all {
            let (en, zh) = (words.to(Lang::En), words.to(Lang::Zh));
            assert!(!super::super::has_chinese(&en) && super::super::has_chinese(&zh), "{words:?}: {en:?} / {zh:?}");
        }
    }
}
