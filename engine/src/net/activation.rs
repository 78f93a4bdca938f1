//! The activations of the network language, in one table: for each, everything a view of a
//! network needs — its name, the expression-language function it applies, its forward and
//! backward passes over a layer, f′ as the δ-equations and the hints write it, and the unit
//! written out in the expression language (the unrolled check). Adding an activation is one
//! variant and one `ActivationInfo` row: every field is required, so the compiler lists what
//! the row must provide, and `info`'s `match` has no `_` arm.

use crate::graph::Func;
use ndarray::{Array2, Zip};

crate::listed! {
    /// How a layer turns its pre-activations z into its activations a.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Activation {
        Linear,
        Sigmoid,
        Tanh,
        Relu,
        Softmax,
    }
}

/// One row of the table.
pub struct ActivationInfo {
    /// The word the network language reads (`dense 4 sigmoid`).
    pub name: &'static str,
    /// The function of the expression language it applies unit by unit; linear and softmax
    /// have none (the identity, and a function of the whole layer).
    pub function: Option<Func>,
    /// f as the equations write it: text and LaTeX; empty for the identity.
    pub symbol: (&'static str, &'static str),
    /// a = f(z) over a layer (a row per sample).
    pub forward: fn(&Array2<f64>) -> Array2<f64>,
    /// ∂E/∂z from ∂E/∂a, in place, given the layer's z and a.
    pub backward: fn(z: &Array2<f64>, a: &Array2<f64>, grad: &mut Array2<f64>),
    /// f′ of a whole layer in its own values, as the δ-equations write it (`{a}` and `{z}`
    /// stand for the layer's vectors): text and LaTeX; `None` where f′ = 1.
    pub layer_derivative: Option<(&'static str, &'static str)>,
    /// f′ of one unit (`{a}` and `{z}` stand for the unit's values), as hints write it.
    pub unit_derivative: &'static str,
    /// One unit's activation in the expression language, from the name of its pre-activation
    /// and those of its whole layer.
    pub scalar: fn(z: &str, layer: &[String]) -> String,
}

impl Activation {
    pub const fn info(self) -> &'static ActivationInfo {
        match self {
            Activation::Linear => &ActivationInfo {
                name: "linear",
                function: None,
                symbol: ("", ""),
                forward: |z| z.clone(),
                backward: |_, _, _| {},
                layer_derivative: None,
                unit_derivative: "1",
                scalar: |z, _| z.to_string(),
            },
            Activation::Sigmoid => &ActivationInfo {
                name: "sigmoid",
                function: Some(Func::Sigmoid),
                symbol: ("σ", "\\sigma"),
                forward: |z| z.mapv(|v| Func::Sigmoid.value(&[v])),
                // σ′ = σ(1 − σ), from the layer's output
                backward: |_, a, grad| Zip::from(grad).and(a).for_each(|g, &s| *g *= s * (1.0 - s)),
                layer_derivative: Some(("{a} ⊙ (1 − {a})", "{a} \\odot (1 - {a})")),
                unit_derivative: "{a}·(1 − {a})",
                scalar: |z, _| format!("sigmoid({z})"),
            },
            Activation::Tanh => &ActivationInfo {
                name: "tanh",
                function: Some(Func::Tanh),
                symbol: ("tanh", "\\tanh"),
                forward: |z| z.mapv(|v| Func::Tanh.value(&[v])),
                // tanh′ = 1 − tanh², from the layer's output
                backward: |_, a, grad| Zip::from(grad).and(a).for_each(|g, &t| *g *= 1.0 - t * t),
                layer_derivative: Some(("(1 − {a} ⊙ {a})", "(1 - {a} \\odot {a})")),
                unit_derivative: "(1 − {a}²)",
                scalar: |z, _| format!("tanh({z})"),
            },
            Activation::Relu => &ActivationInfo {
                name: "relu",
                function: Some(Func::Relu),
                symbol: ("relu", "\\operatorname{relu}"),
                forward: |z| z.mapv(|v| Func::Relu.value(&[v])),
                // relu′ = [z > 0]: 0 at the kink, as max passes nothing to a tie
                backward: |z, _, grad| Zip::from(grad).and(z).for_each(|g, &z| *g = if z > 0.0 { *g } else { 0.0 }),
                layer_derivative: Some(("[{z} > 0]", "[{z} > 0]")),
                unit_derivative: "[{z} > 0]",
                scalar: |z, _| format!("relu({z})"),
            },
            Activation::Softmax => &ActivationInfo {
                name: "softmax",
                function: None,
                symbol: ("softmax", "\\operatorname{softmax}"),
                forward: softmax,
                backward: softmax_backward,
                layer_derivative: Some(("softmax′({z})", "\\operatorname{softmax}'({z})")),
                unit_derivative: "the softmax Jacobian",
                scalar: |z, layer| {
                    let all: Vec<String> = layer.iter().map(|z| format!("exp({z})")).collect();
                    format!("exp({z})/({})", all.join(" + "))
                },
            },
        }
    }

    /// The activation a word of the network language names.
    pub fn from_name(name: &str) -> Option<Activation> {
        Activation::ALL.into_iter().find(|a| a.name() == name)
    }

    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// Every name, in the table's order (for messages listing them).
    pub const NAMES: [&'static str; Activation::ALL.len()] = {
        let mut names = [""; Activation::ALL.len()];
        let mut i = 0;
        while i < names.len() {
            names[i] = Activation::ALL[i].name();
            i += 1;
        }
        names
    };

    /// The function of the expression language this activation applies unit by unit.
    pub fn function(self) -> Option<Func> {
        self.info().function
    }

    /// f′ of the layer whose vectors are written `a` and `z` (text, LaTeX): `None` where f′ = 1.
    pub fn layer_derivative(self, a: (&str, &str), z: (&str, &str)) -> Option<(String, String)> {
        let (text, latex) = self.info().layer_derivative?;
        Some((text.replace("{a}", a.0).replace("{z}", z.0), latex.replace("{a}", a.1).replace("{z}", z.1)))
    }

    /// f′ of the unit whose values are written `a` and `z`.
    pub fn unit_derivative(self, a: &str, z: &str) -> String {
        self.info().unit_derivative.replace("{a}", a).replace("{z}", z)
    }
}

/// Row by row: exp(z − max)/Σ exp(z − max) (the shift keeps exp from overflowing and leaves
/// the quotient unchanged).
fn softmax(z: &Array2<f64>) -> Array2<f64> {
    let mut p = z.clone();
    for mut row in p.rows_mut() {
        let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| crate::math::exp(v - max));
        let sum = row.fold(0.0, |s, &v| s + v);
        row.mapv_inplace(|v| v / sum);
    }
    p
}

/// The softmax Jacobian applied row by row: ∂E/∂zᵢ = pᵢ·(∂E/∂pᵢ − Σⱼ ∂E/∂pⱼ·pⱼ).
fn softmax_backward(_: &Array2<f64>, p: &Array2<f64>, grad: &mut Array2<f64>) {
    for (mut g, p) in grad.rows_mut().into_iter().zip(p.rows()) {
        let dot = g.iter().zip(p).fold(0.0, |s, (&g, &p)| s + g * p);
        Zip::from(&mut g).and(&p).for_each(|g, &p| *g = p * (*g - dot));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::build::Function;
    use crate::graph::rules::function_derivatives;
    use crate::numeric::{Numbers, evaluate};

    /// The layer passes are the rule table's: forward values equal the function table's bit
    /// for bit, and f′ (the backward pass applied to ones) the one rule table's derivative.
    #[test]
    fn the_layer_passes_are_the_function_and_rule_tables() {
        let z = Array2::from_shape_fn((7, 9), |(i, j)| (i as f64 - 3.0) * 1.7 + (j as f64 - 4.0) * 0.31);
        for activation in Activation::ALL {
            let Some(f) = activation.function() else { continue };
            let a = (activation.info().forward)(&z);
            let mut derivative = Array2::ones(z.raw_dim());
            (activation.info().backward)(&z, &a, &mut derivative);
            for ((&zv, &av), &d) in z.iter().zip(&a).zip(&derivative) {
                assert_eq!(f.value(&[zv]).to_bits(), av.to_bits(), "{activation:?} forward at {zv}");
                let rule = function_derivatives(f, &mut Numbers, &[zv], av, &[true])[0].expect("wanted");
                assert!((rule - d).abs() <= 1e-15, "{activation:?} at {zv}: table {rule}, layer {d}");
            }
        }
    }

    /// f′ as the δ-equations and the hints write it, read back as expressions, equals the rule
    /// table's derivative wherever it is evaluated.
    #[test]
    fn the_written_derivatives_are_the_rule_tables() {
        for activation in Activation::ALL {
            let Some(f) = activation.function() else { continue };
            let (layer, _) = activation.layer_derivative(("a", "a"), ("z", "z")).expect("f′ ≠ 1");
            for written in [layer.replace('⊙', "*"), activation.unit_derivative("a", "z")] {
                let program = format!("a = {}(z); d = {}", f.name(), written.replace('·', "*"));
                let parsed = Function::parse(&program).unwrap_or_else(|e| panic!("{program}: {e}"));
                let z = parsed.graph.find_variable("z").expect("z");
                for k in -20..=20 {
                    let v = f64::from(k) * 0.37;
                    let values = evaluate(&parsed.graph, &[parsed.output], &[(z, v)]).expect("defined");
                    let rule = function_derivatives(f, &mut Numbers, &[v], f.value(&[v]), &[true])[0].expect("wanted");
                    assert!((values[parsed.output] - rule).abs() < 1e-12, "{activation:?}: {written} at z = {v}");
                }
            }
        }
    }

    /// The unrolled unit is the layer's forward pass: softmax written out in the expression
    /// language gives the layer's values.
    #[test]
    fn the_scalar_forms_compute_the_forward_pass() {
        let z = [0.3, -1.2, 2.0];
        let names: Vec<String> = (0..3).map(|i| format!("z{i}")).collect();
        for activation in Activation::ALL {
            let a = (activation.info().forward)(&Array2::from_shape_fn((1, 3), |(_, j)| z[j]));
            for (i, name) in names.iter().enumerate() {
                let program = format!(
                    "{}; y = {}",
                    names.iter().zip(z).map(|(n, v)| format!("{n} = ({v:?})")).collect::<Vec<_>>().join("; "),
                    (activation.info().scalar)(name, &names)
                );
                let parsed = Function::parse(&program).unwrap_or_else(|e| panic!("{program}: {e}"));
                let value = evaluate(&parsed.graph, &[parsed.output], &[]).expect("defined")[parsed.output];
                assert!((value - a[[0, i]]).abs() < 1e-15, "{activation:?} unit {i}: {value} vs {}", a[[0, i]]);
            }
        }
    }
}
