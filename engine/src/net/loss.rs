//! The losses of the network language, in one table: for each, everything a view needs — its
//! name and formula, each output's term and its derivative, how the sum is averaged, the output
//! layer it needs, the targets it reads, the fused output δ where one exists, how the
//! δ-equations write ∂E/∂a and how the unrolled check writes a term. Adding a loss is one
//! variant and one `LossInfo` row: every field is required, so the compiler lists what the
//! row must provide, and `info`'s `match` has no `_` arm.

use super::activation::Activation;

crate::listed! {
    /// What training minimises, averaged over a batch.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Loss {
        /// mean over outputs and samples of (y − t)²
        Mse,
        /// ½·Σ over outputs of (y − t)², mean over samples
        HalfSse,
        /// −[t·log y + (1 − t)·log(1 − y)], mean over outputs and samples
        Bce,
        /// −Σ t·log p over the softmax outputs, mean over samples
        CrossEntropy,
        /// max(0, 1 − t·y), targets ±1, mean over samples
        Hinge,
    }
}

/// What the output layer must be for a loss to read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// This activation on the output layer.
    Output(Activation),
    /// Exactly one output unit.
    OneUnit,
}

/// The targets a loss reads, and what class labels (from generated or CSV data) become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Targets {
    /// Any numbers; a label is the value of one output, or one-hot over several.
    Values,
    /// Probabilities in [0, 1]; labels as for `Values`.
    Probabilities,
    /// A class: an index (made one-hot) or a row of probabilities summing to 1.
    Classes,
    /// −1 or +1 (0 read as −1); labels 0/1 become −1/+1.
    Signs,
}

/// When a prediction counts as right, for the accuracy column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accuracy {
    /// By the output layer: the largest softmax output, or one sigmoid output on the target's
    /// side of ½ (no accuracy for other outputs).
    ByOutput,
    /// The output's sign is the target's.
    Sign,
}

/// What the sum of a batch's terms is divided by (m samples of k outputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Divisor {
    /// m·k: a mean over the outputs as well as the samples.
    Values,
    /// m: per sample.
    Samples,
    /// 2m: half the sum, per sample.
    TwiceSamples,
}

/// An output layer and loss whose δ is a − t.
pub struct Fused {
    pub activation: Activation,
    /// How the pair is called (`softmax with cross-entropy`).
    pub pair: &'static str,
    /// δ of the output layer as the δ-equations write it (`{a}` stands for the output vector):
    /// text and LaTeX.
    pub delta: (&'static str, &'static str),
}

/// One row of the table. E = (Σ over the batch's outputs of `term`) / `divisor`.
pub struct LossInfo {
    /// The word the network language reads (`loss bce`).
    pub name: &'static str,
    /// The formula, as `--help` and `describe` state it.
    pub formula: &'static str,
    /// One output's term ℓ(y, t) of the sum (y the output, t its target).
    pub term: fn(y: f64, t: f64) -> f64,
    /// ∂ℓ/∂y.
    pub derivative: fn(y: f64, t: f64) -> f64,
    pub divisor: Divisor,
    /// ∂E/∂a of one sample as the δ-equations write it (`{a}` stands for the output vector,
    /// `{k}` for the number of outputs): text and LaTeX.
    pub derivative_text: (&'static str, &'static str),
    /// The output activation with which δ = a − t exactly (the "fused" form the backward pass
    /// uses, stabler than the two factors).
    pub fused: Option<Fused>,
    /// One output's term in the expression language (the unrolled check), from the output's
    /// name and its target; `None` where the term is 0 and is left out.
    pub scalar: fn(y: &str, t: f64) -> Option<String>,
    pub needs: Needs,
    pub targets: Targets,
    pub accuracy: Accuracy,
}

/// Probabilities kept off 0 and 1, so that log and 1/p stay finite.
fn clamped(p: f64) -> f64 {
    p.clamp(1e-15, 1.0 - 1e-15)
}

impl Loss {
    pub const fn info(self) -> &'static LossInfo {
        match self {
            Loss::Mse => &LossInfo {
                name: "mse",
                formula: "E = (1/(m·k)) Σₙ Σᵢ (yᵢ − tᵢ)²   (mean over the k outputs and m samples)",
                term: |y, t| (y - t) * (y - t),
                derivative: |y, t| 2.0 * (y - t),
                divisor: Divisor::Values,
                derivative_text: ("(2/k)({a} − t)", "\\tfrac{2}{k}({a} - t)"),
                fused: None,
                scalar: |y, t| Some(format!("({y} - ({t:?}))^2")),
                needs: Needs::Nothing,
                targets: Targets::Values,
                accuracy: Accuracy::ByOutput,
            },
            Loss::HalfSse => &LossInfo {
                name: "half_sse",
                formula: "E = (1/m) Σₙ ½ Σᵢ (yᵢ − tᵢ)²   (half the sum over outputs, mean over samples)",
                term: |y, t| (y - t) * (y - t),
                derivative: |y, t| 2.0 * (y - t),
                divisor: Divisor::TwiceSamples,
                derivative_text: ("({a} − t)", "({a} - t)"),
                fused: None,
                scalar: |y, t| Some(format!("({y} - ({t:?}))^2")),
                needs: Needs::Nothing,
                targets: Targets::Values,
                accuracy: Accuracy::ByOutput,
            },
            Loss::Bce => &LossInfo {
                name: "bce",
                formula: "E = −(1/(m·k)) Σₙ Σᵢ [tᵢ·log yᵢ + (1 − tᵢ)·log(1 − yᵢ)]",
                term: |y, t| -(t * crate::math::ln(clamped(y)) + (1.0 - t) * crate::math::ln(1.0 - clamped(y))),
                derivative: |y, t| -(t / clamped(y)) + (1.0 - t) / (1.0 - clamped(y)),
                divisor: Divisor::Values,
                derivative_text: ("({a} − t)/({a} ⊙ (1 − {a}))", "\\frac{{a} - t}{{a} (1 - {a})}"),
                fused: Some(Fused {
                    activation: Activation::Sigmoid,
                    pair: "sigmoid with binary cross-entropy",
                    delta: ("{a} − t", "{a} - t"),
                }),
                scalar: |y, t| Some(format!("-(({t:?})*log({y}) + (1 - ({t:?}))*log(1 - {y}))")),
                needs: Needs::Output(Activation::Sigmoid),
                targets: Targets::Probabilities,
                accuracy: Accuracy::ByOutput,
            },
            Loss::CrossEntropy => &LossInfo {
                name: "cross_entropy",
                formula: "E = −(1/m) Σₙ Σᵢ tᵢ·log pᵢ   (p = softmax output, t one-hot)",
                term: |p, t| if t > 0.0 { -(t * crate::math::ln(p.max(1e-300))) } else { 0.0 },
                derivative: |p, t| -t / p.max(1e-300),
                divisor: Divisor::Samples,
                derivative_text: ("−t/{a}", "-t/{a}"),
                fused: Some(Fused {
                    activation: Activation::Softmax,
                    pair: "softmax with cross-entropy",
                    delta: ("p − t", "p - t"),
                }),
                scalar: |p, t| (t != 0.0).then(|| format!("-({t:?})*log({p})")),
                needs: Needs::Output(Activation::Softmax),
                targets: Targets::Classes,
                accuracy: Accuracy::ByOutput,
            },
            Loss::Hinge => &LossInfo {
                name: "hinge",
                formula: "E = (1/m) Σₙ max(0, 1 − t·y)   (t = ±1; 0/1 targets read as −1/+1)",
                term: |y, t| (1.0 - t * y).max(0.0),
                derivative: |y, t| if 1.0 - t * y > 0.0 { -t } else { 0.0 },
                divisor: Divisor::Samples,
                derivative_text: ("−t·[1 − t·{a} > 0]", "-t\\,[1 - t {a} > 0]"),
                fused: None,
                scalar: |y, t| Some(format!("max(0, 1 - ({t:?})*{y})")),
                needs: Needs::OneUnit,
                targets: Targets::Signs,
                accuracy: Accuracy::Sign,
            },
        }
    }

    /// The loss a word of the network language names.
    pub fn from_name(name: &str) -> Option<Loss> {
        Loss::ALL.into_iter().find(|l| l.name() == name)
    }

    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// Every name, in the table's order (for messages listing them).
    pub const NAMES: [&'static str; Loss::ALL.len()] = {
        let mut names = [""; Loss::ALL.len()];
        let mut i = 0;
        while i < names.len() {
            names[i] = Loss::ALL[i].name();
            i += 1;
        }
        names
    };

    /// The formula, as `--help` and `describe` state it.
    pub fn formula(self) -> &'static str {
        self.info().formula
    }

    /// What the sum over a batch of m samples with k outputs each is divided by.
    pub fn divisor(self, m: usize, k: usize) -> f64 {
        match self.info().divisor {
            Divisor::Values => (m * k) as f64,
            Divisor::Samples => m as f64,
            Divisor::TwiceSamples => 2.0 * m as f64,
        }
    }

    /// Why the output layer cannot feed this loss, if it cannot.
    pub fn mismatch(self, output: Activation, units: usize) -> Option<String> {
        match self.info().needs {
            Needs::Output(needed) if output != needed => {
                Some(format!("{} needs a {} output layer", self.name(), needed.name()))
            }
            Needs::OneUnit if units != 1 => Some(format!("{} needs exactly one output unit", self.name())),
            Needs::Nothing | Needs::Output(_) | Needs::OneUnit => None,
        }
    }

    /// ∂E/∂a of one sample as the δ-equations write it, for the output vector written `a`.
    pub fn derivative_text(self, a: (&str, &str)) -> (String, String) {
        let (text, latex) = self.info().derivative_text;
        (text.replace("{a}", a.0), latex.replace("{a}", a.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::build::Function;
    use crate::numeric::{adjoints, evaluate};

    /// Each loss's term and derivative are those of its expression-language form, differentiated
    /// by the one reverse pass: the table's numbers and the scalar foundation agree.
    #[test]
    fn each_term_and_derivative_is_its_scalar_forms() {
        let points: &[(f64, f64)] = &[(0.3, 1.0), (0.8, 0.0), (0.45, 0.25), (-0.7, -1.0), (1.6, 1.0), (0.2, 0.6)];
        for loss in Loss::ALL {
            for &(y, t) in points {
                let t = match loss.info().targets {
                    Targets::Signs => t.signum(),
                    Targets::Values | Targets::Probabilities | Targets::Classes => t.abs(),
                };
                // Probabilities stay inside (0, 1), where their logs are defined.
                let y = match loss.info().targets {
                    Targets::Probabilities | Targets::Classes => y.abs().min(0.9),
                    Targets::Values | Targets::Signs => y,
                };
                let Some(term) = (loss.info().scalar)("y", t) else {
                    assert_eq!((loss.info().term)(y, t), 0.0, "{loss:?}: a term left out is 0");
                    continue;
                };
                let parsed = Function::parse(&format!("E = {term}")).unwrap_or_else(|e| panic!("{term}: {e}"));
                let node = parsed.graph.find_variable("y").expect("y");
                let values = evaluate(&parsed.graph, &[parsed.output], &[(node, y)]).expect("defined");
                let value = values[parsed.output];
                assert!((value - (loss.info().term)(y, t)).abs() < 1e-12, "{loss:?} at y = {y}, t = {t}: {value}");
                let d = adjoints(&parsed.graph, parsed.output, &[node], &values).expect("differentiable").or(node, 0.0);
                let table = (loss.info().derivative)(y, t);
                assert!((d - table).abs() < 1e-12, "{loss:?}′ at y = {y}, t = {t}: {d} vs {table}");
            }
        }
    }

    /// Where a fused δ = a − t is used, it is the product of the two factors it replaces.
    #[test]
    fn the_fused_deltas_are_the_chain_rule() {
        for loss in Loss::ALL {
            let Some(Fused { activation, .. }) = loss.info().fused else { continue };
            let z = ndarray::Array2::from_shape_vec((1, 3), vec![0.4, -1.1, 2.3]).expect("1×3");
            let t = ndarray::Array2::from_shape_vec((1, 3), vec![0.0, 1.0, 0.0]).expect("1×3");
            let a = (activation.info().forward)(&z);
            let mut grad = ndarray::Zip::from(&a).and(&t).map_collect(|&y, &t| (loss.info().derivative)(y, t));
            (activation.info().backward)(&z, &a, &mut grad);
            for ((g, y), t) in grad.iter().zip(&a).zip(&t) {
                assert!((g - (y - t)).abs() < 1e-12, "{loss:?}: {g} vs {}", y - t);
            }
        }
    }
}
