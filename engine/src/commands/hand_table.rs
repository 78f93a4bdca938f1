//! `net FILE grad --table`: the classic hand calculation of one sample, unit by unit and
//! weight by weight, as in Mazur's worked example — as data, rendered as text or JSON. The
//! updated weights are `net step`'s: the one update (`train::one_update`) on the first batch.

use super::table::render_table;
use super::tensor::tensor_text;
use crate::format::{format_number, thousands};
use crate::lang::Lang;
use crate::net::data::rows;
use crate::net::load::Loaded;
use crate::net::matmul::product;
use crate::net::model::{Pass, Tensor};
use crate::net::spec::Activation;
use crate::net::train::{loss_and_gradients, one_update};
use crate::said::hand::{HandWords, Omitted, StepReason, reasons};
use ndarray::Array2;
use serde_json::{Value, json};

/// The largest network whose hand-calculation table is written out (a row per weight).
const HAND_TABLE_PARAMETERS: usize = 2_000;

/// One unit's row: its net input, output, ∂E/∂out (for a hidden unit, the sum over the units it
/// feeds: W[k][i]·δₖ), ∂out/∂net and δ.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitRow {
    pub name: String,
    pub net: f64,
    pub out: f64,
    pub de_dout: f64,
    /// For a hidden unit: (weight name, weight, δ of the unit it feeds) for each term of the sum.
    pub de_dout_terms: Vec<(String, f64, f64)>,
    /// `None` for softmax, whose ∂out/∂net is a matrix.
    pub dout_dnet: Option<f64>,
    pub delta: f64,
}

/// One weight's row: ∂E/∂w = δ·in for this sample, the gradient the update used (the first
/// batch's, with L2), and the updated value (`None` when frozen).
#[derive(Clone, Debug, PartialEq)]
pub struct WeightRow {
    pub name: String,
    pub value: f64,
    pub delta: f64,
    pub input: f64,
    pub gradient: f64,
    pub step_gradient: f64,
    pub updated: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LayerTable {
    /// `output layer 2 (sigmoid)`, `hidden layer 1 (sigmoid)`, in the table's language.
    pub title: HandWords,
    pub units: Vec<UnitRow>,
    pub weights: Vec<WeightRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HandTable {
    pub x: Vec<f64>,
    pub target: Vec<f64>,
    pub learning_rate: f64,
    pub optimizer: &'static str,
    /// Why the update's gradient is not this sample's δ·in (a batch, L2, clipping), if it is not.
    pub step_note: Option<Vec<StepReason>>,
    /// Output layer first, as the backward pass goes; empty when `omitted` says why.
    pub layers: Vec<LayerTable>,
    pub omitted: Option<Omitted>,
}

/// The table for the first sample of the first batch.
pub fn hand_table(loaded: &Loaded, x: &Array2<f64>, t: &Array2<f64>) -> HandTable {
    let network = loaded.network.clone();
    let sample = rows(x, &[0]);
    let target = rows(t, &[0]);
    let spec = &loaded.spec.train;
    let mut table = HandTable {
        x: sample.row(0).to_vec(),
        target: target.row(0).to_vec(),
        learning_rate: spec.learning_rate,
        optimizer: spec.optimizer.name(),
        step_note: None,
        layers: Vec::new(),
        omitted: None,
    };
    if network.layers.iter().any(|l| l.batchnorm) {
        table.omitted = Some(Omitted::Batchnorm);
        return table;
    }
    if network.parameter_count() > HAND_TABLE_PARAMETERS {
        table.omitted = Some(Omitted::TooLarge {
            parameters: thousands(network.parameter_count()),
            most: thousands(HAND_TABLE_PARAMETERS),
        });
        return table;
    }
    let mut network = network;
    let cache = network.forward(&sample, Pass::TrainNoDropout);
    let (grads, deltas) = network.backward(&cache, &target, 0.0);
    // The update `net step` makes: the first batch's gradient (with L2), the one update rule.
    let (_, step_grads, _, _) = loss_and_gradients(&mut network.clone(), x, t, spec.l2, None);
    let stepped = one_update(&network, &step_grads, spec);
    let mut why = Vec::new();
    if x.nrows() > 1 {
        why.push(StepReason::BatchMean { samples: x.nrows() });
    }
    if spec.l2 != 0.0 {
        why.push(StepReason::PlusL2 { lambda: format_number(spec.l2) });
    }
    if let Some(clip) = spec.clip {
        why.push(StepReason::Clipped { norm: format_number(clip) });
    }
    if !why.is_empty() {
        table.step_note = Some(why);
    }
    let count = network.layers.len();
    let mut upstream = network.loss_grad(&cache.output, &target); // ∂E/∂out of the current layer
    for l in (0..count).rev() {
        let layer = &network.layers[l];
        let (z, a) = (cache.pre_activation(l), cache.activation(l));
        // ∂out/∂net unit by unit: the layer's backward pass applied to ones (softmax's is a matrix).
        let local = (layer.activation != Activation::Softmax).then(|| {
            let mut ones = Array2::ones(a.raw_dim());
            (layer.activation.info().backward)(z, a, &mut ones);
            ones
        });
        // The terms of ∂E/∂out for a hidden unit: the weights out of it times the δs they feed.
        let next = (l + 1 < count).then(|| network.offset(l + 1));
        let units = (0..layer.units)
            .map(|i| UnitRow {
                name: format!("a{}[{i}]", l + 1),
                net: z[[0, i]],
                out: a[[0, i]],
                de_dout: upstream[[0, i]],
                de_dout_terms: match next.map(|o| (&network.names[o], &network.params[o])) {
                    Some((name, Tensor::Matrix(w))) if !network.layers[l + 1].residual => (0..w.nrows())
                        .map(|k| (format!("{name}[{k}][{i}]"), w[[k, i]], deltas[l + 1][[0, k]]))
                        .collect(),
                    _ => Vec::new(),
                },
                dout_dnet: local.as_ref().map(|d| d[[0, i]]),
                delta: deltas[l][[0, i]],
            })
            .collect();
        let o = network.offset(l);
        let inputs = cache.layer_input(l);
        let w_name = &network.names[o];
        let frozen = spec.freeze.contains(w_name);
        let mut weights = Vec::new();
        if let (Tensor::Matrix(w), Tensor::Matrix(g), Tensor::Matrix(step), Tensor::Matrix(new)) =
            (&network.params[o], &grads[o], &step_grads[o], &stepped.params[o])
        {
            for ((i, j), value) in w.indexed_iter() {
                weights.push(WeightRow {
                    name: format!("{w_name}[{i}][{j}]"),
                    value: *value,
                    delta: deltas[l][[0, i]],
                    input: inputs[[0, j]],
                    gradient: g[[i, j]],
                    step_gradient: step[[i, j]],
                    updated: (!frozen).then(|| new[[i, j]]),
                });
            }
        }
        let title = HandWords::LayerTitle {
            output: l + 1 == count,
            layer: l + 1,
            activation: layer.activation.name().to_string(),
        };
        table.layers.push(LayerTable { title, units, weights });
        if let Tensor::Matrix(w) = &network.params[o] {
            // ∂E/∂out of the layer below: through the weights, and through the skip connection.
            let through_weights = product(deltas[l].view(), w.view());
            upstream = if layer.residual { through_weights + &upstream } else { through_weights };
        }
    }
    table
}

impl HandTable {
    pub fn render_text(&self, lang: Lang) -> String {
        let say = |w: HandWords| w.to(lang);
        let (x, target) = (
            tensor_text(&Tensor::Vector(self.x.clone().into())),
            tensor_text(&Tensor::Vector(self.target.clone().into())),
        );
        let mut out = format!("{}\n", say(HandWords::Heading { x, target }));
        if let Some(why) = &self.omitted {
            out.push_str(&format!("{}\n", say(HandWords::Omitted(why.clone()))));
            return out;
        }
        if let Some(why) = &self.step_note {
            out.push_str(&format!("{}\n", say(HandWords::StepNote(why.clone()))));
        }
        let optimizer = (self.optimizer != "sgd").then(|| self.optimizer.to_string());
        let updated = say(HandWords::Updated { optimizer, rate: format_number(self.learning_rate) });
        for layer in &self.layers {
            out.push_str(&format!("\n{}\n", layer.title.to(lang)));
            let mut table = vec![vec![
                say(HandWords::Unit),
                "net".into(),
                "out".into(),
                "∂E/∂out".into(),
                "∂out/∂net".into(),
                "δ = ∂E/∂net".into(),
            ]];
            for u in &layer.units {
                let de_dout = match u.de_dout_terms.as_slice() {
                    [] => format_number(u.de_dout),
                    terms => {
                        let parts: Vec<String> =
                            terms.iter().map(|(_, w, d)| format!("{}·{}", format_number(*w), signed(*d))).collect();
                        format!("{} = {}", parts.join(" + "), format_number(u.de_dout))
                    }
                };
                table.push(vec![
                    u.name.clone(),
                    format_number(u.net),
                    format_number(u.out),
                    de_dout,
                    u.dout_dnet.map_or("(softmax)".to_string(), format_number),
                    format_number(u.delta),
                ]);
            }
            out.push_str(&render_table(&table));
            let mut header = vec![say(HandWords::Weight), say(HandWords::Value), "∂E/∂w = δ·in".into()];
            if self.step_note.is_some() {
                header.push(say(HandWords::StepGradient));
            }
            header.push(updated.clone());
            let mut table = vec![header];
            for w in &layer.weights {
                let mut row = vec![
                    w.name.clone(),
                    format_number(w.value),
                    format!("{}·{} = {}", format_number(w.delta), signed(w.input), format_number(w.gradient)),
                ];
                if self.step_note.is_some() {
                    row.push(format_number(w.step_gradient));
                }
                row.push(w.updated.map_or_else(|| say(HandWords::Frozen), format_number));
                table.push(row);
            }
            out.push_str(&render_table(&table));
        }
        out
    }

    pub fn to_json(&self, lang: Lang) -> Value {
        // Sentences in the report's language, without the parentheses the text puts around them.
        let bare = |w: HandWords| w.to(lang).trim_start_matches(['(', '（']).trim_end_matches([')', '）']).to_string();
        json!({
            "x": self.x,
            "target": self.target,
            "learning_rate": self.learning_rate,
            "optimizer": self.optimizer,
            "step_note": self.step_note.as_ref().map(|why| reasons(why, lang)),
            "omitted": self.omitted.clone().map(|w| bare(HandWords::Omitted(w))),
            "layers": self.layers.iter().map(|l| json!({
                "title": l.title.to(lang),
                "units": l.units.iter().map(|u| json!({
                    "unit": u.name,
                    "net": u.net,
                    "out": u.out,
                    "dE_dout": u.de_dout,
                    "dE_dout_terms": u.de_dout_terms.iter()
                        .map(|(w, value, delta)| json!({"weight": w, "value": value, "delta": delta}))
                        .collect::<Vec<_>>(),
                    "dout_dnet": u.dout_dnet,
                    "delta": u.delta,
                })).collect::<Vec<_>>(),
                "weights": l.weights.iter().map(|w| json!({
                    "weight": w.name,
                    "value": w.value,
                    "delta": w.delta,
                    "input": w.input,
                    "gradient": w.gradient,
                    "step_gradient": w.step_gradient,
                    "updated": w.updated,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// A number as a factor: negative ones in parentheses (`0.5·(−0.0381)`).
fn signed(x: f64) -> String {
    if x < 0.0 { format!("({})", format_number(x)) } else { format_number(x) }
}
