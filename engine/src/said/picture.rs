//! The words of the pictures: `graph`'s title and legend, and the titles, axis labels and
//! legends of `plot`. Names, formulas and numbers are passed in as the tool formats them; only
//! the words around them change with the language.

use crate::lang::Lang;

/// One piece of a picture's words.
#[derive(Clone, Debug, PartialEq)]
pub enum PictureWords {
    /// `graph --at`: the point after the formula in the title.
    GraphAt {
        point: String,
    },
    /// `graph --at`: what the green line of a node is.
    ValueLegend,
    /// `graph --at`: what the red line of a node is.
    GradientLegend {
        output: String,
    },
    /// A large graph drawn in columns by depth.
    Columns {
        nodes: usize,
        edges: usize,
    },
    /// `plot function`'s title.
    FunctionAndDerivative {
        output: String,
    },
    /// `plot training`'s title and axes.
    LossPerEpoch,
    Epoch,
    Loss,
    /// `plot training --norms`'s title and x axis.
    NormsTitle,
    LayerAxis,
    /// A training curve whose run diverged.
    DivergedAt {
        name: String,
        epoch: usize,
    },
    /// `plot boundary`'s title; the accuracy as a whole percentage.
    DecisionRegions {
        name: String,
        accuracy: Option<String>,
    },
    /// `plot fit`'s title: the fitted parameters (`W₁ = 2.003, b₁ = 0.998`, may be empty) and the
    /// final loss.
    Fit {
        name: String,
        fitted: String,
        loss: Option<String>,
    },
    /// `plot fit`'s legend and axes.
    Data,
    TrainedModel,
    InputX,
    TargetAndOutput,
}

impl PictureWords {
    pub fn to(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Zh => self.chinese(),
        }
    }

    fn english(&self) -> String {
        use PictureWords::*;
        match self {
            GraphAt { point } => format!("   at {point}"),
            ValueLegend => "green: forward value".into(),
            GradientLegend { output } => format!("red: gradient ∂{output}/∂node"),
            Columns { nodes, edges } => {
                format!("  ({nodes} nodes, {edges} edges: drawn in columns by depth, in linear time)")
            }
            FunctionAndDerivative { output } => format!("{output} and its derivative"),
            LossPerEpoch => "loss per epoch".into(),
            Epoch => "epoch".into(),
            Loss => "loss".into(),
            NormsTitle => "gradient norm of each layer, first epoch".into(),
            LayerAxis => "layer (1 = next to the input)".into(),
            DivergedAt { name, epoch } => format!("{name} (diverged at epoch {epoch})"),
            DecisionRegions { name, accuracy } => match accuracy {
                Some(a) => format!("{name}: decision regions, training accuracy {a}%"),
                None => format!("{name}: decision regions"),
            },
            Fit { name, fitted, loss } => {
                let fitted = if fitted.is_empty() { String::new() } else { format!(": {fitted}") };
                let loss = loss.as_ref().map(|l| format!(", loss {l}")).unwrap_or_default();
                format!("{name}{fitted}{loss}")
            }
            Data => "data".into(),
            TrainedModel => "the trained model".into(),
            InputX => "input x".into(),
            TargetAndOutput => "target y and the model's output".into(),
        }
    }

    fn chinese(&self) -> String {
        use PictureWords::*;
        match self {
            GraphAt { point } => format!("，在 {point} 处"),
            ValueLegend => "绿色：前向值".into(),
            GradientLegend { output } => format!("红色：梯度 ∂{output}/∂节点"),
            Columns { nodes, edges } => format!("（{nodes} 个节点，{edges} 条边：按深度分列绘制，耗时与规模成线性）"),
            FunctionAndDerivative { output } => format!("{output} 及其导数"),
            LossPerEpoch => "每个迭代周期的损失".into(),
            Epoch => "迭代周期".into(),
            Loss => "损失".into(),
            NormsTitle => "第一个迭代周期中各层的梯度范数".into(),
            LayerAxis => "层（1 = 紧挨输入的一层）".into(),
            DivergedAt { name, epoch } => format!("{name}（在第 {epoch} 个迭代周期发散）"),
            DecisionRegions { name, accuracy } => match accuracy {
                Some(a) => format!("{name}：决策区域，训练准确率 {a}%"),
                None => format!("{name}：决策区域"),
            },
            Fit { name, fitted, loss } => {
                let fitted = if fitted.is_empty() { String::new() } else { format!("：{fitted}") };
                let loss = loss.as_ref().map(|l| format!("，损失 {l}")).unwrap_or_default();
                format!("{name}{fitted}{loss}")
            }
            Data => "数据".into(),
            TrainedModel => "训练后的模型".into(),
            InputX => "输入 x".into(),
            TargetAndOutput => "目标 y 与模型的输出".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PictureWords::{self, *};
    use crate::lang::Lang;

    /// Every piece of words has its Chinese (with CJK in it) and its English (without).
    #[test]
    fn every_word_of_a_picture_is_in_both_languages() {
        let all: Vec<PictureWords> = vec![
            GraphAt { point: "w = 1".into() },
            ValueLegend,
            GradientLegend { output: "f".into() },
            Columns { nodes: 3, edges: 2 },
            FunctionAndDerivative { output: "f".into() },
            LossPerEpoch,
            Epoch,
            Loss,
            NormsTitle,
            LayerAxis,
            DivergedAt { name: "xor".into(), epoch: 3 },
            DecisionRegions { name: "moons".into(), accuracy: Some("97".into()) },
            DecisionRegions { name: "moons".into(), accuracy: None },
            Fit { name: "line".into(), fitted: "W₁ = 2".into(), loss: Some("0.01".into()) },
            Data,
            TrainedModel,
            InputX,
            TargetAndOutput,
        ];
        // The match below lists every variant: a new one must be added to `all` as well.
        for words in &all {
            match words {
                GraphAt { .. }
                | ValueLegend
                | GradientLegend { .. }
                | Columns { .. }
                | FunctionAndDerivative { .. } => {}
                LossPerEpoch | Epoch | Loss | NormsTitle | LayerAxis | DivergedAt { .. } => {}
                DecisionRegions { .. } | Fit { .. } | Data | TrainedModel | InputX | TargetAndOutput => {}
            }
            let (en, zh) = (words.to(Lang::En), words.to(Lang::Zh));
            assert!(!crate::said::has_chinese(&en) && crate::said::has_chinese(&zh), "{words:?}: {en:?} / {zh:?}");
        }
    }
}
