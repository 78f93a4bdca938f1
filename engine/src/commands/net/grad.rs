//! `net FILE grad`: the first batch's loss and gradients, checked by central differences and,
//! for small dense networks, on the network unrolled into one scalar computation graph.

use super::{Gradients, NetRequest, first_batch_gradients};
use crate::commands::hand_table::{HandTable, hand_table};
use crate::commands::tensor::{layer_name, tensor_json, tensor_latex, tensor_text};
use crate::error::Result;
use crate::format::{format_number, latex_number};
use crate::host::Host;
use crate::lang::Lang;
use crate::net::check::{Agreement, finite_differences, unrolled};
use crate::net::load::{first_batch, load_network};
use crate::net::model::Tensor;
use crate::net::spec::Activation;
use crate::said::net::NetWords;
use ndarray::Array2;
use serde_json::{Value, json};

pub struct GradReport {
    pub loss: f64,
    pub names: Vec<String>,
    pub gradients: Vec<Tensor>,
    pub finite_differences: Agreement,
    pub unrolled: Option<Agreement>,
    /// Whether a relu's input is within the difference stencil's reach of its kink
    /// (|z| < 1e-3) in this batch, where differences are not valid.
    pub at_kink: bool,
    pub samples: usize,
    /// Each layer's z, a and δ = ∂E/∂z on the first batch (a row per sample).
    pub layers: Vec<[Array2<f64>; 3]>,
    /// The per-unit hand calculation, when asked for.
    pub table: Option<HandTable>,
    /// The language of the words around the numbers.
    pub lang: Lang,
}

/// Multiply-adds of forward passes the finite-difference check may spend (about a second).
const FD_WORK_BUDGET: usize = 1_000_000_000 / 4;

pub fn net_grad(request: &NetRequest, want_table: bool, host: &dyn Host) -> Result<GradReport> {
    let mut loaded = load_network(request, host)?;
    let (x, t) = first_batch(&loaded)?;
    let Gradients { loss, grads, deltas, cache } =
        first_batch_gradients(request, &loaded.spec, &mut loaded.network, (&x, &t))?;
    let l2 = loaded.spec.train.l2;
    // Each checked value costs four forward passes over the batch: the number checked shrinks
    // with the network so that a 20M-parameter check takes seconds, not minutes.
    let pass_cost = loaded.network.parameter_count().max(1) * x.nrows().max(1);
    let checked = (FD_WORK_BUDGET / pass_cost).clamp(16, 400);
    let fd = finite_differences(&loaded.network, &grads, &x, &t, l2, checked);
    let scalar = unrolled(&loaded.network, &grads, &x, &t, l2);
    let table = want_table.then(|| hand_table(&loaded, &x, &t));
    let at_kink = loaded.network.layers.iter().enumerate().any(|(l, layer)| {
        layer.activation == Activation::Relu && cache.pre_activation(l).iter().any(|z| z.abs() < 1e-3)
    });
    Ok(GradReport {
        loss,
        names: loaded.network.names.clone(),
        gradients: grads,
        finite_differences: fd,
        unrolled: scalar,
        at_kink,
        samples: x.nrows(),
        layers: deltas
            .into_iter()
            .enumerate()
            // δ of each sample (∂E_n/∂z, the textbook's δ): the batch mean's δ carries 1/m.
            .map(|(l, delta)| [cache.pre_activation(l).clone(), cache.activation(l).clone(), delta * x.nrows() as f64])
            .collect(),
        table,
        lang: Lang::En,
    })
}

impl GradReport {
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        if let Some(table) = &self.table {
            out.push_str(&table.render_text(self.lang));
            out.push('\n');
        }
        let say = |w: NetWords| w.to(self.lang);
        let loss = format_number(self.loss);
        out.push_str(&format!("{}\n\n", say(NetWords::LossOnFirstBatch { loss, samples: self.samples })));
        for (name, g) in self.names.iter().zip(&self.gradients) {
            out.push_str(&format!("∂E/∂{name} = {}\n", tensor_text(g)));
        }
        let fd = self.finite_differences;
        let verdict = |relative: f64| if relative < 1e-6 { "✓".to_string() } else { say(NetWords::Disagree) };
        out.push_str(&format!(
            "\n{}\n",
            say(NetWords::CheckOne {
                abs: format!("{:.1e}", fd.max_abs_error),
                relative: format!("{:.1e}", fd.max_relative_error),
                values: fd.compared,
                verdict: verdict(fd.max_relative_error),
            })
        ));
        if self.at_kink && fd.max_relative_error >= 1e-6 {
            out.push_str(&format!("{}\n", say(NetWords::KinkNote { check_two: self.unrolled.is_some() })));
        }
        let check_two = match &self.unrolled {
            Some(u) => NetWords::CheckTwo {
                abs: format!("{:.1e}", u.max_abs_error),
                values: u.compared,
                verdict: verdict(u.max_relative_error),
            },
            None => NetWords::CheckTwoSkipped,
        };
        out.push_str(&format!("{}\n", say(check_two)));
        out
    }

    /// The loss and each gradient as a matrix (`bmatrix`); large ones by shape and norm.
    pub fn render_latex(&self) -> String {
        let mut lines = vec![format!("E &= {}", latex_number(&format_number(self.loss)))];
        for (name, g) in self.names.iter().zip(&self.gradients) {
            lines.push(format!("\\frac{{\\partial E}}{{\\partial {}}} &= {}", layer_name(name), tensor_latex(g)));
        }
        format!("\\begin{{aligned}}\n{}\n\\end{{aligned}}\n", lines.join(" \\\\\n"))
    }

    pub fn to_json(&self) -> Value {
        let mut gradients = serde_json::Map::new();
        for (name, g) in self.names.iter().zip(&self.gradients) {
            gradients.insert(name.clone(), tensor_json(g));
        }
        let agreement = |a: &Agreement| json!({"max_abs_error": a.max_abs_error, "max_relative_error": a.max_relative_error, "compared": a.compared});
        json!({
            "loss": self.loss,
            "gradients": gradients,
            "gradcheck": agreement(&self.finite_differences),
            "unrolled": self.unrolled.as_ref().map(agreement),
            "at_kink": self.at_kink,
            "samples": self.samples,
            "layers": self.layers.iter().map(|[z, a, delta]| json!({
                "z": tensor_json(&Tensor::Matrix(z.clone())),
                "a": tensor_json(&Tensor::Matrix(a.clone())),
                "delta": tensor_json(&Tensor::Matrix(delta.clone())),
            })).collect::<Vec<_>>(),
            "table": self.table.as_ref().map(|t| t.to_json(self.lang)),
        })
    }
}
