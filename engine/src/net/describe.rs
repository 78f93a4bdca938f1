//! The shapes, parameter counts and δ-equations of *this* network, specialised to its
//! activations and loss, in text and LaTeX.

use super::spec::{Activation, NetworkSpec};
use crate::format::thousands;
use crate::lang::Lang;
use crate::said::net::NetWords;

/// One line of equations in both notations.
#[derive(Clone, Debug, PartialEq)]
pub struct Equation {
    pub text: String,
    pub latex: String,
}

fn eq(text: String, latex: String) -> Equation {
    Equation { text, latex }
}

fn sup(l: usize) -> String {
    crate::print::superscript(l as i64)
}

/// f′ of layer l's activation in the layer's own values (`a¹ ⊙ (1 − a¹)` for sigmoid).
fn derivative(activation: Activation, l: usize) -> Option<(String, String)> {
    let (a, z) = ((format!("a{}", sup(l)), format!("a^{{{l}}}")), (format!("z{}", sup(l)), format!("z^{{{l}}}")));
    activation.layer_derivative((&a.0, &a.1), (&z.0, &z.1))
}

/// One row of the layer table.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerRow {
    /// `dense 2 sigmoid + batchnorm`, or `input`.
    pub layer: String,
    pub units: usize,
    /// Each parameter with its shape: (`W1`, [2, 2]), (`b1`, [2]).
    pub shapes: Vec<(String, Vec<usize>)>,
    pub parameters: usize,
    /// How the count is made: `2·2 + 2 = 6`.
    pub count: String,
}

pub struct Description {
    pub layers: Vec<LayerRow>,
    pub total: usize,
    pub loss: String,
    pub forward: Vec<Equation>,
    pub backward: Vec<Equation>,
    pub gradients: Vec<Equation>,
    pub update: Equation,
}

pub fn describe(spec: &NetworkSpec, lang: Lang) -> Description {
    let mut layers = vec![LayerRow {
        layer: "input".into(),
        units: spec.inputs,
        shapes: Vec::new(),
        parameters: 0,
        count: String::new(),
    }];
    let mut total = 0usize;
    let mut fan_in = spec.inputs;
    let mut forward = Vec::new();
    let count = spec.layers.len();
    for (i, l) in spec.layers.iter().enumerate() {
        let n = i + 1;
        let s = sup(n);
        let weights = l.units * fan_in;
        let mut params = weights + l.units;
        let mut derivation =
            format!("{}·{} + {} = {}", thousands(fan_in), thousands(l.units), thousands(l.units), thousands(params));
        let mut shapes = vec![(format!("W{n}"), vec![l.units, fan_in]), (format!("b{n}"), vec![l.units])];
        if l.batchnorm {
            params += 2 * l.units;
            derivation = format!(
                "{}·{} + {} + 2·{} = {}",
                thousands(fan_in),
                thousands(l.units),
                thousands(l.units),
                thousands(l.units),
                thousands(params)
            );
            shapes.push((format!("gamma{n}"), vec![l.units]));
            shapes.push((format!("beta{n}"), vec![l.units]));
        }
        let mut extras = Vec::new();
        if l.batchnorm {
            extras.push("batchnorm".to_string());
        }
        if l.residual {
            extras.push("residual".to_string());
        }
        if let Some(p) = l.dropout {
            extras.push(format!("dropout {p}"));
        }
        let name = format!(
            "dense {} {}{}",
            l.units,
            l.activation.name(),
            if extras.is_empty() { String::new() } else { format!(" + {}", extras.join(" + ")) }
        );
        layers.push(LayerRow { layer: name, units: l.units, shapes, parameters: params, count: derivation });
        total += params;

        let input = if i == 0 { "x".to_string() } else { format!("a{}", sup(i)) };
        let input_latex = if i == 0 { "x".to_string() } else { format!("a^{{{i}}}") };
        let (f, f_latex) = l.activation.info().symbol;
        let mut text = format!("z{s} = W{s}·{input} + b{s}");
        let mut latex = format!("z^{{{n}}} = W^{{{n}}} {input_latex} + b^{{{n}}}");
        let arg = if l.batchnorm {
            text.push_str(&format!(",  ẑ{s} = γ{s} ⊙ (z{s} − μ)/σ + β{s}"));
            latex.push_str(&format!(",\\quad \\hat z^{{{n}}} = \\gamma^{{{n}}} \\odot \\frac{{z^{{{n}}} - \\mu}}{{\\sigma}} + \\beta^{{{n}}}"));
            (format!("ẑ{s}"), format!("\\hat z^{{{n}}}"))
        } else {
            (format!("z{s}"), format!("z^{{{n}}}"))
        };
        let applied = if f.is_empty() { arg.0.clone() } else { format!("{f}({})", arg.0) };
        let applied_latex = if f.is_empty() { arg.1.clone() } else { format!("{f_latex}({})", arg.1) };
        let (skip, skip_latex) = if l.residual {
            (format!(" + {input}"), format!(" + {input_latex}"))
        } else {
            (String::new(), String::new())
        };
        text.push_str(&format!(",  a{s} = {applied}{skip}"));
        latex.push_str(&format!(",\\quad a^{{{n}}} = {applied_latex}{skip_latex}"));
        if let Some(p) = l.dropout {
            text.push_str(&NetWords::DropoutNote { a: format!("a{s}"), p: p.to_string() }.to(lang));
            latex.push_str(&format!("\\quad \\text{{(dropout {p} while training)}}"));
        }
        forward.push(eq(text, latex));
        fan_in = l.units;
    }

    let last = spec.layers.last().expect("a network has layers");
    let ls = sup(count);
    let output_delta = match &spec.loss.info().fused {
        Some(fused) if fused.activation == last.activation && !last.residual => eq(
            format!(
                "δ{ls} = {}{}",
                fused.delta.0.replace("{a}", &format!("a{ls}")),
                NetWords::FusedPair { pair: fused.pair.to_string() }.to(lang)
            ),
            format!("\\delta^{{{count}}} = {}", fused.delta.1.replace("{a}", &format!("a^{{{count}}}"))),
        ),
        _ => {
            let (grad, grad_latex) = spec.loss.derivative_text((&format!("a{ls}"), &format!("a^{{{count}}}")));
            match derivative(last.activation, count) {
                Some((d, d_latex)) => {
                    eq(format!("δ{ls} = {grad} ⊙ {d}"), format!("\\delta^{{{count}}} = {grad_latex} \\odot {d_latex}"))
                }
                None => eq(format!("δ{ls} = {grad}"), format!("\\delta^{{{count}}} = {grad_latex}")),
            }
        }
    };
    let mut backward = vec![output_delta];
    for l in (1..count).rev() {
        let (s, n) = (sup(l), sup(l + 1));
        let layer = &spec.layers[l - 1];
        let (text, latex) = match derivative(layer.activation, l) {
            Some((d, d_latex)) => (
                format!("δ{s} = (W{n})ᵀ δ{n} ⊙ {d}"),
                format!("\\delta^{{{l}}} = (W^{{{}}})^\\top \\delta^{{{}}} \\odot {d_latex}", l + 1, l + 1),
            ),
            None => (
                format!("δ{s} = (W{n})ᵀ δ{n}"),
                format!("\\delta^{{{l}}} = (W^{{{}}})^\\top \\delta^{{{}}}", l + 1, l + 1),
            ),
        };
        let note = match (spec.layers[l].residual, layer.batchnorm) {
            (true, _) => NetWords::ResidualNote.to(lang),
            (_, true) => NetWords::BatchnormNote.to(lang),
            _ => String::new(),
        };
        backward.push(eq(format!("{text}{note}"), latex));
    }
    let mut gradients = Vec::new();
    for l in (1..=count).rev() {
        let s = sup(l);
        let input = if l == 1 { "xᵀ".to_string() } else { format!("(a{})ᵀ", sup(l - 1)) };
        let input_latex = if l == 1 { "x".to_string() } else { format!("a^{{{}}}", l - 1) };
        gradients.push(eq(
            format!("∂E/∂W{s} = δ{s} {input},   ∂E/∂b{s} = δ{s}"),
            format!("\\frac{{\\partial E}}{{\\partial W^{{{l}}}}} = \\delta^{{{l}}} ({input_latex})^\\top,\\quad \\frac{{\\partial E}}{{\\partial b^{{{l}}}}} = \\delta^{{{l}}}"),
        ));
    }
    let t = &spec.train;
    let update = eq(
        format!(
            "θ ← θ − α·∇θE{}",
            NetWords::UpdateNote {
                optimizer: t.optimizer.name().to_string(),
                rate: t.learning_rate.to_string(),
                l2: (t.l2 > 0.0).then(|| t.l2.to_string()),
            }
            .to(lang)
        ),
        "\\theta \\leftarrow \\theta - \\alpha \\nabla_\\theta E".to_string(),
    );
    Description {
        layers,
        total,
        loss: format!("{}: {}", spec.loss.name(), spec.loss.formula()),
        forward,
        backward,
        gradients,
        update,
    }
}
