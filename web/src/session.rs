//! The network playground's training session: one network, trained in the page an update at a
//! time by the loop `backprop net FILE train` runs (`net::trainer::Trainer`), so a run seen in
//! the page is the run the terminal prints for the same file. Between updates the page asks for
//! the state (losses, accuracies and gradient norms per epoch), the decision regions over the
//! data, or one update explained: the δ of every layer and one weight's update in numbers.

use backprop_engine::commands::run::net_request;
use backprop_engine::format::format_significant;
use backprop_engine::host::Host;
use backprop_engine::lang::Lang;
use backprop_engine::net::load::load_network;
use backprop_engine::net::model::{Network, Pass};
use backprop_engine::net::spec::Optimizer;
use backprop_engine::net::trainer::Trainer;
use backprop_engine::said::net::NetWords;
use serde_json::{Value, json};

/// The most updates one call may run: the page asks again, so it can draw and be stopped.
const MOST_UPDATES_PER_CALL: usize = 10_000;

pub struct Session {
    name: String,
    network: Network,
    trainer: Trainer<'static>,
    /// Epoch records already handed to the page.
    reported: usize,
    /// The page's language: what its messages speak.
    lang: Lang,
}

impl Session {
    /// Loads `path` (a file the host has) as a network with data and a `train` line.
    pub fn start(path: &str, host: &dyn Host) -> Result<(Session, Value), String> {
        let lang = host.language();
        let request = net_request(path, host).map_err(|e| e.render(lang))?;
        let loaded = load_network(&request, host).map_err(|e| e.render(lang))?;
        let data = loaded.data.ok_or(match lang {
            Lang::En => "error: the network has no `data` line: the playground trains on it\n",
            Lang::Zh => "错误：网络没有 `data` 行：演练场要用它来训练\n",
        })?;
        let trainer = Trainer::new(&loaded.network, std::borrow::Cow::Owned(data), &loaded.spec.train);
        let network = loaded.network;
        let spec = trainer.spec();
        let n = trainer.data().len();
        let batch = spec.batch.unwrap_or(n).clamp(1, n.max(1));
        let info = json!({
            "name": loaded.spec.name,
            "inputs": network.inputs,
            "layers": network.layers.iter().map(|l| json!({"units": l.units, "activation": format!("{:?}", l.activation).to_lowercase()})).collect::<Vec<_>>(),
            "parameters": network.names.iter().zip(&network.params).map(|(name, p)| json!({"name": name, "shape": shape(p)})).collect::<Vec<_>>(),
            "samples": n,
            "batch": batch,
            "updates_per_epoch": n.div_ceil(batch),
            "epochs": spec.epochs,
            "optimizer": spec.optimizer.name(),
            "learning_rate": spec.learning_rate,
        });
        let session = Session { name: loaded.spec.name, network, trainer, reported: 0, lang };
        Ok((session, info))
    }

    /// Runs up to `updates` updates; the state after them.
    pub fn step(&mut self, updates: usize, host: &dyn Host) -> Value {
        for _ in 0..updates.min(MOST_UPDATES_PER_CALL) {
            if self.trainer.step(&mut self.network, host).is_none() {
                break;
            }
        }
        self.state()
    }

    /// The epochs finished since the last report, and where the run is.
    fn state(&mut self) -> Value {
        let new = &self.trainer.epochs[self.reported..];
        self.reported = self.trainer.epochs.len();
        json!({
            "name": self.name,
            "updates": self.trainer.updates(),
            "finished": self.trainer.finished(),
            "diverged": self.trainer.diverged.as_ref().map(|d| {
                let stopped = NetWords::Stopped { epoch: d.epoch, step: d.step, what: d.what.clone(), runaway: d.runaway.clone() };
                stopped.to(self.lang)
            }),
            "epochs": new.iter().map(|e| json!({"epoch": e.epoch, "loss": e.loss, "accuracy": e.accuracy, "norms": e.gradient_norms})).collect::<Vec<_>>(),
        })
    }

    /// One update, explained: each layer's δ for the batch's first sample, and the update of
    /// the weight `W{layer}[row][column]` with its numbers.
    pub fn explain(&mut self, layer: usize, row: usize, column: usize, host: &dyn Host) -> Value {
        let layers = self.network.layers.len();
        let l = layer.clamp(1, layers.max(1)) - 1;
        let w = self.network.offset(l);
        let columns = self.network.params[w].values().len() / self.network.layers[l].units.max(1);
        let (row, column) = (row.min(self.network.layers[l].units - 1), column.min(columns.saturating_sub(1)));
        let k = row * columns + column;
        let before = self.network.params[w].values()[k];
        let Some(record) = self.trainer.step(&mut self.network, host) else {
            let mut state = self.state();
            state["explained"] = Value::Null;
            return state;
        };
        let after = self.network.params[w].values()[k];
        let gradient = record.grads[w].values()[k];
        let name = format!("{}[{row}][{column}]", self.network.names[w]);
        let spec = self.trainer.spec().clone();
        let frozen = spec.freeze.contains(&self.network.names[w]);
        let rule = match (spec.optimizer, frozen || spec.clip.is_some()) {
            (_, true) if frozen => NetWords::Frozen { name: name.clone(), value: number(before) }.to(self.lang),
            (Optimizer::Sgd, false) => format!(
                "{name} ← {name} − α·∂E/∂{name} = {} − {}·{} = {}",
                number(before),
                number(spec.learning_rate),
                signed(gradient),
                number(after)
            ),
            _ => NetWords::UpdatedBy {
                name: name.clone(),
                before: number(before),
                after: number(after),
                optimizer: spec.optimizer.name().to_string(),
                rate: number(spec.learning_rate),
                clip: spec.clip.map(number),
            }
            .to(self.lang),
        };
        let deltas: Vec<Value> = record
            .deltas
            .iter()
            .enumerate()
            .map(|(i, d)| {
                // Each sample's own δ (the batch mean's matrix carries 1/m).
                let m = d.nrows() as f64;
                let first: Vec<String> = d.row(0).iter().map(|v| number(v * m)).collect();
                let text = NetWords::FirstSampleDelta { layer: i + 1, values: first.join(", ") }.to(self.lang);
                json!({"layer": i + 1, "first_sample": first, "text": text})
            })
            .collect();
        let mut state = self.state();
        state["explained"] = json!({
            "epoch": record.epoch,
            "step": record.step,
            "batch_loss": record.loss,
            "deltas": deltas,
            "weight": name,
            "before": before,
            "gradient": gradient,
            "after": after,
            "gradient_text": NetWords::GradientMean {
                name: name.clone(),
                samples: record.deltas.first().map_or(1, |d| d.nrows()),
                layer: l + 1,
                row,
                column,
                l2: if spec.l2 > 0.0 { format!(" + λ·{name}") } else { String::new() },
                value: number(gradient),
            }
            .to(self.lang),
            "rule": rule,
        });
        state
    }

    /// The network's output over an n×n grid spanning the data (2 inputs), with the data.
    pub fn regions(&mut self, n: usize) -> Value {
        let data = self.trainer.data();
        if data.x.ncols() != 2 {
            return json!({"class": Value::Null});
        }
        let n = n.clamp(2, 200);
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for r in data.x.rows() {
            (x0, x1, y0, y1) = (x0.min(r[0]), x1.max(r[0]), y0.min(r[1]), y1.max(r[1]));
        }
        let (px, py) = ((x1 - x0) * 0.1 + 0.1, (y1 - y0) * 0.1 + 0.1);
        let (x0, x1, y0, y1) = (x0 - px, x1 + px, y0 - py, y1 + py);
        let grid = ndarray::Array2::from_shape_fn((n * n, 2), |(k, c)| {
            let (i, j) = (k / n, k % n);
            if c == 0 {
                x0 + (j as f64 + 0.5) * (x1 - x0) / n as f64
            } else {
                y1 - (i as f64 + 0.5) * (y1 - y0) / n as f64
            }
        });
        let hinge = self.network.loss == backprop_engine::net::spec::Loss::Hinge;
        // Each point's class: the argmax of a one-hot target, else its label (hinge: its sign).
        let class_of = |t: ndarray::ArrayView1<f64>| -> usize {
            if t.len() >= 2 {
                (0..t.len()).fold(0, |best, k| if t[k] > t[best] { k } else { best })
            } else {
                usize::from(if hinge { t[0] > 0.0 } else { t[0] > 0.5 })
            }
        };
        let points: Vec<Value> =
            data.x.rows().into_iter().zip(data.t.rows()).map(|(x, t)| json!([x[0], x[1], class_of(t)])).collect();
        let output = self.network.forward(&grid, Pass::Evaluate).output;
        // The class the network picks at each cell, and how sure it is (0 to 1).
        let (mut class, mut confidence) = (Vec::with_capacity(n * n), Vec::with_capacity(n * n));
        for row in output.rows() {
            if row.len() >= 2 {
                let best = (0..row.len()).fold(0, |best, k| if row[k] > row[best] { k } else { best });
                class.push(best);
                confidence.push(row[best]);
            } else {
                let p = if hinge { 1.0 / (1.0 + backprop_engine::math::exp(-3.0 * row[0])) } else { row[0] };
                class.push(usize::from(p > 0.5));
                confidence.push((2.0 * p - 1.0).abs().min(1.0));
            }
        }
        json!({"bounds": [x0, x1, y0, y1], "n": n, "class": class, "confidence": confidence, "points": points})
    }
}

fn shape(p: &backprop_engine::net::model::Tensor) -> Vec<usize> {
    match p {
        backprop_engine::net::model::Tensor::Matrix(m) => vec![m.nrows(), m.ncols()],
        backprop_engine::net::model::Tensor::Vector(v) => vec![v.len()],
    }
}

fn number(v: f64) -> String {
    format_significant(v, 6)
}

/// A number as a factor: negative ones in brackets.
fn signed(v: f64) -> String {
    if v < 0.0 { format!("({})", number(v)) } else { number(v) }
}
