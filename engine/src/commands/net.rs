//! `net FILE describe|grad|step|train`: a network's shapes and δ-equations; its loss and
//! gradients checked three ways; one update; training with per-epoch records.

use super::hand_table::{HandTable, hand_table};
use super::table::render_table;
use super::tensor::{layer_name, tensor_json, tensor_latex, tensor_text};
use crate::error::{Error, Result, line_span};
use crate::format::{format_number, format_significant, latex_number, thousands};
use crate::host::Host;
use crate::net::check::{Agreement, finite_differences, unrolled};
use crate::net::describe::{Description, describe};
pub use crate::net::load::NetRequest;
use crate::net::load::{first_batch, load_network, need_data};
use crate::net::model::{Cache, Network, Pass, Tensor};
use crate::net::parse::{MAX_SAMPLE_STEPS, parse_network};
use crate::net::spec::{Activation, NetworkSpec};
use crate::net::train::{loss_and_gradients, one_update};
use crate::net::trainer::{Divergence, EpochRecord, TrainOutcome, train};
use ndarray::Array2;
use serde_json::{Value, json};

fn parameters_json(network: &Network) -> Value {
    let mut map = serde_json::Map::new();
    for (name, p) in network.names.iter().zip(&network.params) {
        map.insert(name.clone(), tensor_json(p));
    }
    Value::Object(map)
}

// ----- describe -----

pub struct DescribeReport {
    pub name: String,
    pub description: Description,
}

impl DescribeReport {
    pub fn render_text(&self) -> String {
        let d = &self.description;
        let mut out = format!("network \"{}\"\n\n", self.name);
        let mut table = vec![vec!["layer".to_string(), "units".into(), "parameters".into(), "count".into()]];
        for row in &d.layers {
            let shapes: Vec<String> = row
                .shapes
                .iter()
                .map(|(name, shape)| {
                    format!("{name}: {}", shape.iter().map(usize::to_string).collect::<Vec<_>>().join("×"))
                })
                .collect();
            table.push(vec![row.layer.clone(), row.units.to_string(), shapes.join(", "), row.count.clone()]);
        }
        out.push_str(&render_table(&table));
        out.push_str(&format!("total parameters: {}\n\nloss {}\n\nforward pass:\n", thousands(d.total), d.loss));
        for e in &d.forward {
            out.push_str(&format!("  {}\n", e.text));
        }
        out.push_str("\nbackward pass (error terms δ = ∂E/∂z, per sample):\n");
        for e in &d.backward {
            out.push_str(&format!("  {}\n", e.text));
        }
        out.push_str("\ngradients:\n");
        for e in &d.gradients {
            out.push_str(&format!("  {}\n", e.text));
        }
        out.push_str(&format!("\nupdate:\n  {}\n", d.update.text));
        out
    }

    pub fn render_latex(&self) -> String {
        let d = &self.description;
        let lines: Vec<String> = d
            .forward
            .iter()
            .chain(&d.backward)
            .chain(&d.gradients)
            .chain(std::iter::once(&d.update))
            // Aligned at each line's first `=` (or `←`), so the equations read as one column.
            .map(|e| {
                if e.latex.contains(" = ") {
                    e.latex.replacen(" = ", " &= ", 1)
                } else {
                    e.latex.replacen(" \\leftarrow ", " &\\leftarrow ", 1)
                }
            })
            .collect();
        format!("\\begin{{aligned}}\n{}\n\\end{{aligned}}\n", lines.join(" \\\\\n"))
    }

    pub fn to_json(&self) -> Value {
        let d = &self.description;
        let eqs = |v: &[crate::net::describe::Equation]| {
            v.iter().map(|e| json!({"text": e.text, "latex": e.latex})).collect::<Vec<_>>()
        };
        json!({
            "name": self.name,
            "layers": d.layers.iter().map(|row| json!({
                "layer": row.layer,
                "units": row.units,
                "shapes": row.shapes.iter().map(|(name, shape)| (name.clone(), json!(shape))).collect::<serde_json::Map<_, _>>(),
                "parameters": row.parameters,
                "count": row.count,
            })).collect::<Vec<_>>(),
            "total_parameters": d.total,
            "loss": d.loss,
            "forward": eqs(&d.forward),
            "backward": eqs(&d.backward),
            "gradients": eqs(&d.gradients),
            "update": {"text": d.update.text, "latex": d.update.latex},
        })
    }
}

pub fn net_describe(request: &NetRequest) -> Result<DescribeReport> {
    let spec = parse_network(&request.text).map_err(|e| e.in_source(&request.source_name, &request.text))?;
    Ok(DescribeReport { name: spec.name.clone(), description: describe(&spec) })
}

// ----- grad -----

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
}

/// Multiply-adds of forward passes the finite-difference check may spend (about a second).
const FD_WORK_BUDGET: usize = 1_000_000_000 / 4;

/// Values that overflow f64 on the first batch make every gradient ∞ or NaN, which no check
/// can judge: an error at the first layer where they appear.
fn finite_values(request: &NetRequest, spec: &NetworkSpec, cache: &Cache) -> Result<()> {
    for (l, layer) in spec.layers.iter().enumerate() {
        let values = cache.pre_activation(l).iter().chain(cache.activation(l).iter());
        if values.clone().any(|v| !v.is_finite()) {
            let message = format!(
                "on the first batch, layer {}'s values overflow f64 (they reach ±∞): the inputs or weights are too large",
                l + 1
            );
            return Err(Error::at(message, line_span(&request.text, layer.line))
                .with_label("scale the data or the weights down")
                .in_source(&request.source_name, &request.text));
        }
    }
    Ok(())
}

/// The first batch's forward pass, loss and gradients: the one overflow rule of every `net`
/// command (`grad`, `step`, `train`). A value, the loss or a gradient that overflows f64 is an
/// error at the layer where it appears, never a table of ∞.
fn first_batch_gradients(
    request: &NetRequest,
    spec: &NetworkSpec,
    network: &mut Network,
    (x, t): (&Array2<f64>, &Array2<f64>),
) -> Result<Gradients> {
    let cache = network.clone().forward(x, Pass::TrainNoDropout);
    finite_values(request, spec, &cache)?;
    let (loss, grads, deltas, _) = loss_and_gradients(network, x, t, spec.train.l2, None);
    if !loss.is_finite() || grads.iter().any(|g| g.values().iter().any(|v| !v.is_finite())) {
        let last = spec.layers.last().map_or(1, |l| l.line);
        return Err(Error::at(
            "on the first batch the loss or its gradient overflows f64",
            line_span(&request.text, last),
        )
        .with_label("the outputs are too large for this loss: scale the data or the weights down")
        .in_source(&request.source_name, &request.text));
    }
    Ok(Gradients { loss, grads, deltas, cache })
}

/// The overflow rule, for commands that train from the file (`train`, `plot boundary`, `plot
/// fit`): the first batch's values, loss and gradients are finite, or an error at the layer.
pub(crate) fn check_first_batch(request: &NetRequest, loaded: &crate::net::load::Loaded) -> Result<()> {
    let (x, t) = first_batch(loaded)?;
    first_batch_gradients(request, &loaded.spec, &mut loaded.network.clone(), (&x, &t)).map(|_| ())
}

struct Gradients {
    loss: f64,
    grads: Vec<Tensor>,
    deltas: Vec<Array2<f64>>,
    cache: Cache,
}

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
    })
}

impl GradReport {
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        if let Some(table) = &self.table {
            out.push_str(&table.render_text());
            out.push('\n');
        }
        out.push_str(&format!(
            "loss E = {}   (first batch: {} sample{})\n\n",
            format_number(self.loss),
            self.samples,
            if self.samples == 1 { "" } else { "s" }
        ));
        for (name, g) in self.names.iter().zip(&self.gradients) {
            out.push_str(&format!("∂E/∂{name} = {}\n", tensor_text(g)));
        }
        let fd = self.finite_differences;
        out.push_str(&format!(
            "\ncheck 1, central differences: max |error| {:.1e}, max relative error {:.1e} over {} values {}\n",
            fd.max_abs_error,
            fd.max_relative_error,
            fd.compared,
            verdict(fd.max_relative_error)
        ));
        if self.at_kink && fd.max_relative_error >= 1e-6 {
            out.push_str("  (a relu's input is within 0.001 of its kink z = 0, where differences straddle two slopes: trust check 2)\n");
        }
        match &self.unrolled {
            Some(u) => out.push_str(&format!(
                "check 2, unrolled into a scalar computation graph: max |error| {:.1e} over {} values {}\n",
                u.max_abs_error,
                u.compared,
                verdict(u.max_relative_error)
            )),
            None => out.push_str("check 2, unrolled scalar graph: skipped (network too large, or batchnorm/dropout)\n"),
        }
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
            "table": self.table.as_ref().map(HandTable::to_json),
        })
    }
}

fn verdict(relative: f64) -> &'static str {
    if relative < 1e-6 { "✓" } else { "✗ (the gradients disagree)" }
}

// ----- step -----

pub struct StepReport {
    pub loss_before: f64,
    pub loss_after: f64,
    pub network: Network,
    /// The language of its words (`loss before`, `loss after`).
    pub lang: crate::lang::Lang,
}

pub fn net_step(request: &NetRequest, host: &dyn Host) -> Result<StepReport> {
    let mut loaded = load_network(request, host)?;
    let (x, t) = first_batch(&loaded)?;
    let Gradients { loss: loss_before, grads, .. } =
        first_batch_gradients(request, &loaded.spec, &mut loaded.network, (&x, &t))?;
    let spec = loaded.spec.train.clone();
    let mut network = one_update(&loaded.network, &grads, &spec);
    let (loss_after, _, _, _) = loss_and_gradients(&mut network, &x, &t, spec.l2, None);
    // The update itself may overflow (a huge rate times a finite gradient): said at the
    // `train` line, which sets the rate, as `train` says where it diverges.
    let runaway = network.names.iter().zip(&network.params).find(|(_, p)| p.values().iter().any(|v| !v.is_finite()));
    if runaway.is_some() || !loss_after.is_finite() {
        let what = match runaway {
            Some((name, _)) => format!("the update makes {name} overflow f64"),
            None => "after the update the loss overflows f64".to_string(),
        };
        let line = request.text.lines().position(|l| l.trim_start().starts_with("train")).map_or(1, |i| i + 1);
        return Err(Error::at(what, line_span(&request.text, line))
            .with_label("try a smaller learning rate, or `clip`")
            .in_source(&request.source_name, &request.text));
    }
    Ok(StepReport { loss_before, loss_after, network, lang: crate::lang::Lang::En })
}

impl StepReport {
    pub fn render_text(&self) -> String {
        use crate::said::Said;
        let mut out = format!("{}\n", Said::LossBefore { value: format_number(self.loss_before) }.to(self.lang));
        for (name, p) in self.network.names.iter().zip(&self.network.params) {
            out.push_str(&format!("{name} = {}\n", tensor_text(p)));
        }
        out.push_str(&format!("{}\n", Said::LossAfter { value: format_number(self.loss_after) }.to(self.lang)));
        out
    }

    pub fn to_json(&self) -> Value {
        json!({"loss_before": self.loss_before, "parameters": parameters_json(&self.network), "loss_after": self.loss_after})
    }
}

// ----- train -----

pub struct TrainReport {
    pub name: String,
    pub epochs: Vec<EpochRecord>,
    pub test_accuracy: Option<f64>,
    pub diverged: Option<Divergence>,
    pub network: Network,
    pub show_gradient_norms: bool,
    /// Show every Nth epoch (`--every`); `None` picks about 20 rows for long runs.
    pub every: Option<usize>,
    /// The language of its words (the table's headings); numbers are the same.
    pub lang: crate::lang::Lang,
}

/// Trains, telling the host the progress after every step.
pub fn net_train(request: &NetRequest, show_gradient_norms: bool, host: &dyn Host) -> Result<TrainReport> {
    let mut loaded = load_network(request, host)?;
    let data = need_data(&loaded)?.clone();
    let work = loaded.spec.train.epochs as f64 * data.len() as f64;
    if work > MAX_SAMPLE_STEPS {
        return Err(Error::new(format!("epochs × samples = {work:e}; at most {MAX_SAMPLE_STEPS:e} are allowed")));
    }
    check_first_batch(request, &loaded)?;
    let TrainOutcome { epochs, diverged, test_accuracy } = train(&mut loaded.network, &data, &loaded.spec.train, host);
    Ok(TrainReport {
        name: loaded.spec.name.clone(),
        epochs,
        test_accuracy,
        diverged,
        network: loaded.network,
        show_gradient_norms,
        every: None,
        lang: crate::lang::Lang::En,
    })
}

impl TrainReport {
    /// The table; wall times only where the host has a clock (the book has none, so its bytes
    /// do not change from build to build).
    pub fn render_text(&self) -> String {
        use crate::said::Said;
        let say = |s: Said| s.to(self.lang);
        let seconds = self.epochs.iter().any(|e| e.seconds.is_some());
        let mut out = format!("{}\n\n", say(Said::Training { name: self.name.clone() }));
        let norms = self.show_gradient_norms;
        let mut header = [Said::TrainEpoch, Said::TrainLoss, Said::TrainAccuracy, Said::TrainSamples].map(say).to_vec();
        if seconds {
            header.push(say(Said::TrainTime));
        }
        if norms {
            header.extend((1..=self.network.layers.len()).map(|l| format!("‖∂E/∂W{l}‖")));
        }
        let mut table = vec![header];
        let step = match self.every {
            Some(n) => n.max(1),
            None if self.epochs.len() <= 25 || norms => 1,
            None => self.epochs.len().div_ceil(20),
        };
        let shown: Vec<&EpochRecord> = self
            .epochs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % step == 0 || *i + 1 == self.epochs.len())
            .map(|(_, e)| e)
            .collect();
        for e in shown {
            let mut row = vec![
                e.epoch.to_string(),
                format_number(e.loss),
                e.accuracy.map_or("—".into(), |a| format!("{:.1}%", a * 100.0)),
                e.samples.to_string(),
            ];
            if seconds {
                row.push(e.seconds.map_or("—".into(), |s| format_significant(s * 1000.0, 3)));
            }
            if norms {
                row.extend(e.gradient_norms.iter().map(|n| format!("{n:.3e}")));
            }
            table.push(row);
        }
        out.push_str(&render_table(&table));
        if step > 1 {
            out.push_str(&format!("{}\n", say(Said::TrainEvery { step })));
        }
        if let Some(d) = &self.diverged {
            out.push_str(&format!(
                "\nstopped at epoch {}, step {}: the {} stopped being a number; {} (try a smaller learning rate or `clip`)\n",
                d.epoch, d.step, d.what, d.runaway
            ));
        }
        if let Some(a) = self.test_accuracy {
            out.push_str(&format!("\n{}\n", say(Said::TestAccuracy { percent: format!("{:.1}", a * 100.0) })));
        }
        out
    }

    pub fn to_json(&self) -> Value {
        json!({
            "epochs": self.epochs.iter().map(|e| {
                let mut v = json!({"epoch": e.epoch, "loss": e.loss, "accuracy": e.accuracy, "samples": e.samples, "seconds": e.seconds});
                if self.show_gradient_norms {
                    v["gradient_norms"] = json!(e.gradient_norms);
                }
                v
            }).collect::<Vec<_>>(),
            "test_accuracy": self.test_accuracy,
            "diverged": self.diverged.as_ref().map(|d| json!({"epoch": d.epoch, "step": d.step, "what": d.what, "runaway": d.runaway})),
            "parameters": parameters_json(&self.network),
        })
    }

    /// The loss curve as an SVG: on a logarithmic scale when the loss is positive and falls
    /// more than tenfold (else the slow end of the curve is a flat line at the bottom).
    pub fn loss_curve(&self) -> String {
        let loss = crate::plot::Series {
            name: "training loss".into(),
            points: self.epochs.iter().map(|e| (e.epoch as f64, e.loss)).collect(),
        };
        let finite = || self.epochs.iter().map(|e| e.loss).filter(|l| l.is_finite());
        let (low, high) = finite().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
        let log = low > 0.0 && high >= 10.0 * low;
        crate::plot::line_chart(&format!("{}: loss per epoch", self.name), "epoch", "loss", &[loss], log)
    }
}
