//! The words of `net … describe|grad|train` around their tables and equations: headings, the
//! notes of the δ-equations and of the update, the two gradient checks, and a diverged run.
//! Names, formulas and numbers come formatted; only the words change with the language.

use crate::lang::Lang;

/// One piece of a network report's words.
#[derive(Clone, Debug, PartialEq)]
pub enum NetWords {
    // describe
    Network {
        name: String,
    },
    LayerHeading,
    UnitsHeading,
    ParametersHeading,
    CountHeading,
    TotalParameters {
        count: String,
    },
    /// The loss line: its name and formula (`bce: E = …`).
    LossLine {
        loss: String,
    },
    ForwardPass,
    BackwardPass,
    Gradients,
    Update,
    /// A dropout layer's note on its forward equation (`a` its activation, `p` its rate).
    DropoutNote {
        a: String,
        p: String,
    },
    /// An output layer whose δ is fused with the loss: the pair, as the loss table names it.
    FusedPair {
        pair: String,
    },
    ResidualNote,
    BatchnormNote,
    /// The update's note: optimizer, rate and the L2 coefficient λ, if any.
    UpdateNote {
        optimizer: String,
        rate: String,
        l2: Option<String>,
    },
    // grad
    LossOnFirstBatch {
        loss: String,
        samples: usize,
    },
    CheckOne {
        abs: String,
        relative: String,
        values: usize,
        verdict: String,
    },
    /// A relu input within the stencil's reach of its kink, so check 1 may disagree; whether
    /// check 2 ran (and can be trusted instead).
    KinkNote {
        check_two: bool,
    },
    CheckTwo {
        abs: String,
        values: usize,
        verdict: String,
    },
    CheckTwoSkipped,
    Disagree,
    // train
    /// The run stopped: `what` stopped being a number; `runaway` says which parameter ran away.
    Stopped {
        epoch: usize,
        step: usize,
        what: Diverged,
        runaway: Runaway,
    },
    TrainingLoss,
    // the playground's explained update
    Frozen {
        name: String,
        value: String,
    },
    /// An update by an optimizer other than plain SGD (or with clipping): before → after.
    UpdatedBy {
        name: String,
        before: String,
        after: String,
        optimizer: String,
        rate: String,
        clip: Option<String>,
    },
    FirstSampleDelta {
        layer: usize,
        values: String,
    },
    /// ∂E/∂w as the batch mean of δ·a: the weight, the batch size, δ's layer, a's layer, the
    /// row and column, the L2 term (may be empty) and the value.
    GradientMean {
        name: String,
        samples: usize,
        layer: usize,
        row: usize,
        column: usize,
        l2: String,
        value: String,
    },
}

/// What stopped being a number when a run diverged.
#[derive(Clone, Debug, PartialEq)]
pub enum Diverged {
    Loss,
    Gradient { name: String, layer: usize },
}

/// The parameter that ran away: the first not finite, else the largest, with its value.
#[derive(Clone, Debug, PartialEq)]
pub enum Runaway {
    NotFinite { at: String, value: String },
    Largest { at: String, value: String },
    NoParameters,
}

impl Diverged {
    pub fn to(&self, lang: Lang) -> String {
        match (self, lang) {
            (Diverged::Loss, Lang::En) => "the loss".into(),
            (Diverged::Loss, Lang::Zh) => "损失".into(),
            (Diverged::Gradient { name, layer }, Lang::En) => format!("the gradient of {name} (layer {layer})"),
            (Diverged::Gradient { name, layer }, Lang::Zh) => format!("{name} 的梯度（第 {layer} 层）"),
        }
    }
}

impl Runaway {
    pub fn to(&self, lang: Lang) -> String {
        match (self, lang) {
            (Runaway::NotFinite { at, value }, Lang::En) => format!("{at} is {value}"),
            (Runaway::NotFinite { at, value }, Lang::Zh) => format!("{at} 已变为 {value}"),
            (Runaway::Largest { at, value }, Lang::En) => format!("the largest parameter, {at}, had reached {value}"),
            (Runaway::Largest { at, value }, Lang::Zh) => format!("绝对值最大的参数 {at} 已达到 {value}"),
            (Runaway::NoParameters, Lang::En) => "the network has no parameters".into(),
            (Runaway::NoParameters, Lang::Zh) => "网络没有参数".into(),
        }
    }
}

impl NetWords {
    pub fn to(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Zh => self.chinese(),
        }
    }

    fn english(&self) -> String {
        use NetWords::*;
        match self {
            Network { name } => format!("network \"{name}\""),
            LayerHeading => "layer".into(),
            UnitsHeading => "units".into(),
            ParametersHeading => "parameters".into(),
            CountHeading => "count".into(),
            TotalParameters { count } => format!("total parameters: {count}"),
            LossLine { loss } => format!("loss {loss}"),
            ForwardPass => "forward pass:".into(),
            BackwardPass => "backward pass (error terms δ = ∂E/∂z, per sample):".into(),
            Gradients => "gradients:".into(),
            Update => "update:".into(),
            DropoutNote { a, p } => format!("  (then dropout: {a} ⊙ mask/(1 − {p}) while training)"),
            FusedPair { pair } => format!("   ({pair})"),
            ResidualNote => "   (+ δ that reaches aˡ directly through the skip connection)".into(),
            BatchnormNote => "   (then through batchnorm: δ is rescaled by γ/σ and centred over the batch)".into(),
            UpdateNote { optimizer, rate, l2 } => {
                let l2 = l2.as_ref().map(|l| format!(", L2 λ = {l}")).unwrap_or_default();
                format!("   ({optimizer}, α = {rate}{l2}; averaged over the m samples of a batch)")
            }
            LossOnFirstBatch { loss, samples } => {
                let s = if *samples == 1 { "" } else { "s" };
                format!("loss E = {loss}   (first batch: {samples} sample{s})")
            }
            CheckOne { abs, relative, values, verdict } => format!(
                "check 1, central differences: max |error| {abs}, max relative error {relative} over {values} values {verdict}"
            ),
            KinkNote { check_two: true } => "  (a relu's input is within 0.001 of its kink z = 0, where differences straddle two slopes: trust check 2)".into(),
            KinkNote { check_two: false } => "  (a relu's input is within 0.001 of its kink z = 0, where differences straddle two slopes: check 1 cannot judge this batch)".into(),
            CheckTwo { abs, values, verdict } => {
                format!("check 2, unrolled into a scalar computation graph: max |error| {abs} over {values} values {verdict}")
            }
            CheckTwoSkipped => "check 2, unrolled scalar graph: skipped (network too large, or batchnorm/dropout)".into(),
            Disagree => "✗ (the gradients disagree)".into(),
            Stopped { epoch, step, what, runaway } => format!(
                "stopped at epoch {epoch}, step {step}: {} stopped being a number; {} (try a smaller learning rate or `clip`)",
                what.to(Lang::En),
                runaway.to(Lang::En)
            ),
            TrainingLoss => "training loss".into(),
            Frozen { name, value } => format!("{name} is frozen: it stays {value}"),
            UpdatedBy { name, before, after, optimizer, rate, clip } => {
                let clip = clip.as_ref().map(|c| format!(", gradients clipped to norm {c}")).unwrap_or_default();
                format!("{name}: {before} → {after} by {optimizer} (α = {rate}{clip})")
            }
            FirstSampleDelta { layer, values } => format!("δ{layer} = [{values}] (first sample)"),
            GradientMean { name, samples, layer, row, column, l2, value } => format!(
                "∂E/∂{name} = the mean over the batch's {samples} samples of δ{layer}[{row}]·a{}[{column}]{l2} = {value}",
                layer - 1
            ),
        }
    }

    fn chinese(&self) -> String {
        use NetWords::*;
        match self {
            Network { name } => format!("网络“{name}”"),
            LayerHeading => "层".into(),
            UnitsHeading => "单元数".into(),
            ParametersHeading => "参数".into(),
            CountHeading => "参数量".into(),
            TotalParameters { count } => format!("参数总数：{count}"),
            LossLine { loss } => format!("损失函数 {}", loss.replacen(": ", "：", 1)),
            ForwardPass => "前向传播：".into(),
            BackwardPass => "反向传播（误差项 δ = ∂E/∂z，逐样本计算）：".into(),
            Gradients => "梯度：".into(),
            Update => "更新：".into(),
            DropoutNote { a, p } => format!("  （训练时再应用暂退法：{a} ⊙ mask/(1 − {p})）"),
            FusedPair { pair } => format!("   （{}）", super::zh::term(pair)),
            ResidualNote => "   （加上经跳跃连接直接到达 aˡ 的 δ）".into(),
            BatchnormNote => "   （再经过批量规范化：δ 乘以 γ/σ，并在批量内中心化）".into(),
            UpdateNote { optimizer, rate, l2 } => {
                let l2 = l2.as_ref().map(|l| format!("，L2 正则化 λ = {l}")).unwrap_or_default();
                format!("   （{optimizer}，α = {rate}{l2}；对一个批量的 m 个样本取平均）")
            }
            LossOnFirstBatch { loss, samples } => format!("损失 E = {loss}   （第一个批量：{samples} 个样本）"),
            CheckOne { abs, relative, values, verdict } => {
                format!("检验 1，中心差分：{values} 个值中最大绝对误差 {abs}，最大相对误差 {relative} {verdict}")
            }
            KinkNote { check_two: true } => {
                "  （有一个 relu 的输入离折点 z = 0 不到 0.001，中心差分跨越了两段斜率：请以检验 2 为准）".into()
            }
            KinkNote { check_two: false } => {
                "  （有一个 relu 的输入离折点 z = 0 不到 0.001，中心差分跨越了两段斜率：检验 1 无法判断这个批量）"
                    .into()
            }
            CheckTwo { abs, values, verdict } => {
                format!("检验 2，展开为标量计算图：{values} 个值中最大绝对误差 {abs} {verdict}")
            }
            CheckTwoSkipped => "检验 2，展开为标量计算图：已跳过（网络太大，或网络含批量规范化层或暂退法层）".into(),
            Disagree => "✗（梯度不一致）".into(),
            Stopped { epoch, step, what, runaway } => format!(
                "训练在第 {epoch} 个迭代周期的第 {step} 步停止：{}已不是有限值（inf 或 NaN）；{}（请尝试减小学习率或使用 `clip`）",
                what.to(Lang::Zh),
                runaway.to(Lang::Zh)
            ),
            TrainingLoss => "训练损失".into(),
            Frozen { name, value } => format!("{name} 已冻结：保持为 {value}"),
            UpdatedBy { name, before, after, optimizer, rate, clip } => {
                let clip = clip.as_ref().map(|c| format!("，梯度按范数裁剪到 {c}")).unwrap_or_default();
                format!("{name}：{before} → {after}，由 {optimizer} 更新（α = {rate}{clip}）")
            }
            FirstSampleDelta { layer, values } => format!("δ{layer} = [{values}]（第一个样本）"),
            GradientMean { name, samples, layer, row, column, l2, value } => format!(
                "∂E/∂{name} = 批量中 {samples} 个样本的 δ{layer}[{row}]·a{}[{column}] 的平均值{l2} = {value}",
                layer - 1
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NetWords::{self, *};
    use super::{Diverged, Runaway};
    use crate::lang::Lang;
    use crate::said::has_chinese as cjk;

    /// Every piece has its Chinese (with CJK in it) and its English (without); the match lists
    /// every variant, so a new one must be added here too.
    #[test]
    fn every_word_of_a_network_report_is_in_both_languages() {
        let s = |t: &str| t.to_string();
        let all: Vec<NetWords> = vec![
            Network { name: s("xor") },
            LayerHeading,
            UnitsHeading,
            ParametersHeading,
            CountHeading,
            TotalParameters { count: s("17") },
            LossLine { loss: s("bce: E = …") },
            ForwardPass,
            BackwardPass,
            Gradients,
            Update,
            DropoutNote { a: s("a¹"), p: s("0.5") },
            FusedPair { pair: s("sigmoid with binary cross-entropy") },
            FusedPair { pair: s("softmax with cross-entropy") },
            ResidualNote,
            BatchnormNote,
            UpdateNote { optimizer: s("sgd"), rate: s("0.1"), l2: None },
            UpdateNote { optimizer: s("sgd"), rate: s("0.1"), l2: Some(s("0.01")) },
            LossOnFirstBatch { loss: s("0.69"), samples: 4 },
            CheckOne { abs: s("1e-12"), relative: s("3e-9"), values: 17, verdict: s("✓") },
            KinkNote { check_two: true },
            KinkNote { check_two: false },
            CheckTwo { abs: s("7e-18"), values: 17, verdict: s("✓") },
            CheckTwoSkipped,
            Disagree,
            Stopped { epoch: 2, step: 3, what: Diverged::Loss, runaway: Runaway::NoParameters },
            Stopped {
                epoch: 2,
                step: 3,
                what: Diverged::Gradient { name: s("W1"), layer: 1 },
                runaway: Runaway::Largest { at: s("W1[0][1]"), value: s("1e308") },
            },
            Stopped {
                epoch: 2,
                step: 3,
                what: Diverged::Loss,
                runaway: Runaway::NotFinite { at: s("b2[0]"), value: s("NaN") },
            },
            TrainingLoss,
            Frozen { name: s("W1[0][0]"), value: s("0.5") },
            UpdatedBy {
                name: s("W1[0][0]"),
                before: s("0.5"),
                after: s("0.4"),
                optimizer: s("adam"),
                rate: s("0.01"),
                clip: Some(s("1")),
            },
            FirstSampleDelta { layer: 1, values: s("0.1, 0.2") },
            GradientMean {
                name: s("W2[0][1]"),
                samples: 4,
                layer: 2,
                row: 0,
                column: 1,
                l2: String::new(),
                value: s("0.1"),
            },
        ];
        for words in &all {
            match words {
                Network { .. } | LayerHeading | UnitsHeading | ParametersHeading | CountHeading => {}
                TotalParameters { .. } | LossLine { .. } | ForwardPass | BackwardPass | Gradients | Update => {}
                DropoutNote { .. } | FusedPair { .. } | ResidualNote | BatchnormNote | UpdateNote { .. } => {}
                LossOnFirstBatch { .. } | CheckOne { .. } | KinkNote { .. } | CheckTwo { .. } | CheckTwoSkipped => {}
                Disagree | Stopped { .. } | TrainingLoss | Frozen { .. } | UpdatedBy { .. } => {}
                FirstSampleDelta { .. } | GradientMean { .. } => {}
            }
            let (en, zh) = (words.to(Lang::En), words.to(Lang::Zh));
            assert!(!cjk(&en) && cjk(&zh), "{words:?}: {en:?} / {zh:?}");
        }
    }
}
