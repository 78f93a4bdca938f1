//! `net FILE grad --table`: the classic hand calculation of one sample, unit by unit and
//! weight by weight, as in Mazur's worked example.

use super::table::render_table;
use super::tensor::tensor_text;
use crate::format::{format_number, thousands};
use crate::net::data::rows;
use crate::net::load::Loaded;
use crate::net::model::{Pass, Tensor, activation_backward};
use crate::net::spec::Activation;
use ndarray::Array2;

/// The largest network whose hand-calculation table is written out (a row per weight).
const HAND_TABLE_PARAMETERS: usize = 2_000;

/// The classic per-unit worked example for the first sample: net, out, ∂E/∂out, ∂out/∂net, δ,
/// then each weight's ∂E/∂w = δ·out and its updated value.
pub fn hand_table(loaded: &Loaded, x: &Array2<f64>, t: &Array2<f64>) -> String {
    let mut network = loaded.network.clone();
    let sample = rows(x, &[0]);
    let target = rows(t, &[0]);
    let lr = loaded.spec.train.learning_rate;
    let mut out = format!(
        "hand calculation for sample 1: x = {}, target = {}\n",
        tensor_text(&Tensor::Vector(sample.row(0).to_owned())),
        tensor_text(&Tensor::Vector(target.row(0).to_owned()))
    );
    if network.layers.iter().any(|l| l.batchnorm) {
        out.push_str("(not shown for batchnorm networks: their δ mixes the samples of a batch)\n");
        return out;
    }
    if network.parameter_count() > HAND_TABLE_PARAMETERS {
        out.push_str(&format!(
            "(not shown: the table has a row per unit and per weight, and this network has {} parameters; \
             it is written out for networks of at most {})\n",
            thousands(network.parameter_count()),
            thousands(HAND_TABLE_PARAMETERS)
        ));
        return out;
    }
    let cache = network.forward(&sample, Pass::TrainNoDropout);
    let (grads, deltas) = network.backward(&cache, &target, 0.0);
    let count = network.layers.len();
    let mut upstream = network.loss_grad(&cache.output, &target); // ∂E/∂out of the current layer
    for l in (0..count).rev() {
        let layer = &network.layers[l];
        let z = cache.pre_activation(l);
        let a = cache.activation(l);
        let ones = Array2::ones(a.raw_dim());
        let local = if layer.activation == Activation::Softmax {
            None
        } else {
            Some(activation_backward(layer.activation, z, a, &ones))
        };
        let title = if l + 1 == count {
            format!("output layer {} ({})", l + 1, layer.activation.name())
        } else {
            format!("hidden layer {} ({})", l + 1, layer.activation.name())
        };
        out.push_str(&format!("\n{title}\n"));
        let mut table = vec![vec![
            "unit".to_string(),
            "net".into(),
            "out".into(),
            "∂E/∂out".into(),
            "∂out/∂net".into(),
            "δ = ∂E/∂net".into(),
        ]];
        for i in 0..layer.units {
            table.push(vec![
                format!("a{}[{i}]", l + 1),
                format_number(z[[0, i]]),
                format_number(a[[0, i]]),
                format_number(upstream[[0, i]]),
                local.as_ref().map_or("(softmax)".to_string(), |d| format_number(d[[0, i]])),
                format_number(deltas[l][[0, i]]),
            ]);
        }
        out.push_str(&render_table(&table));
        let o = network.offset(l);
        let inputs = cache.layer_input(l);
        let w_name = &network.names[o];
        let frozen = loaded.spec.train.freeze.contains(w_name);
        let mut table =
            vec![vec!["weight".to_string(), "value".into(), "∂E/∂w = δ·in".into(), format!("updated (α = {lr})")]];
        if let (Tensor::Matrix(w), Tensor::Matrix(g)) = (&network.params[o], &grads[o]) {
            for ((i, j), value) in w.indexed_iter() {
                let updated = if frozen { "frozen".to_string() } else { format_number(value - lr * g[[i, j]]) };
                table.push(vec![
                    format!("{w_name}[{i}][{j}]"),
                    format_number(*value),
                    format!(
                        "{}·{} = {}",
                        format_number(deltas[l][[0, i]]),
                        format_number(inputs[[0, j]]),
                        format_number(g[[i, j]])
                    ),
                    updated,
                ]);
            }
        }
        out.push_str(&render_table(&table));
        if let Tensor::Matrix(w) = &network.params[o] {
            upstream = deltas[l].dot(w);
            if layer.residual {
                upstream = upstream + deltas[l].clone();
            }
        }
    }
    network.params.clone_from(&loaded.network.params);
    out
}
