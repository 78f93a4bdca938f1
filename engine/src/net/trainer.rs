//! The training loop over seeded mini-batches, resumable one update at a time: `train` runs
//! it to the end for the terminal and the book; the browser's playground steps it, pausing
//! between updates, and sees the very run `backprop net FILE train` prints.

use super::data::{Dataset, rows};
use super::model::{Network, Pass, Tensor};
use super::spec::TrainSpec;
use super::train::{OptimizerState, loss_and_gradients, update};
use crate::host::{Host, Progress};
pub use crate::said::net::{Diverged, Runaway};
use ndarray::Array2;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// One epoch's record.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochRecord {
    pub epoch: usize,
    pub loss: f64,
    pub accuracy: Option<f64>,
    pub samples: usize,
    /// Wall time of the epoch's steps, where the host has a clock.
    pub seconds: Option<f64>,
    /// Mean ‖∂E/∂Wˡ‖ over the epoch's steps, per layer.
    pub gradient_norms: Vec<f64>,
}

/// Where training stopped because a value stopped being a number.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    pub epoch: usize,
    pub step: usize,
    /// The loss, or the first parameter whose gradient is not finite (`W2`).
    pub what: Diverged,
    /// The parameter that ran away: the first not finite, else the largest, with its value.
    pub runaway: Runaway,
}

pub struct TrainOutcome {
    pub epochs: Vec<EpochRecord>,
    pub diverged: Option<Divergence>,
    pub test_accuracy: Option<f64>,
}

/// The parameter that ran away: the first that is not a number, else the largest.
fn runaway(network: &Network) -> Runaway {
    let mut worst: Option<(String, f64)> = None;
    for (name, p) in network.names.iter().zip(&network.params) {
        // A matrix's entries are named by row and column, a vector's by index.
        let columns = match p {
            Tensor::Matrix(m) => Some(m.ncols()),
            Tensor::Vector(_) => None,
        };
        for (k, &v) in p.values().iter().enumerate() {
            let at = match columns.and_then(|c| Some((k.checked_div(c)?, k % c))) {
                Some((row, column)) => format!("{name}[{row}][{column}]"),
                None => format!("{name}[{k}]"),
            };
            if !v.is_finite() {
                return Runaway::NotFinite { at, value: crate::format::format_number(v) };
            }
            if worst.as_ref().is_none_or(|(_, w)| v.abs() > w.abs()) {
                worst = Some((at, v));
            }
        }
    }
    match worst {
        Some((at, v)) => Runaway::Largest { at, value: crate::format::format_number(v) },
        None => Runaway::NoParameters,
    }
}

/// What one update did: the batch's loss, each layer's δ (rows: samples) and the gradients
/// the update used (before clipping), in the network's parameter order.
pub struct StepRecord {
    pub epoch: usize,
    /// 1-based, within the epoch.
    pub step: usize,
    pub loss: f64,
    pub deltas: Vec<Array2<f64>>,
    pub grads: Vec<Tensor>,
}

/// A training run in progress.
pub struct Trainer<'d> {
    /// Borrowed by `train`; owned by a session that outlives the call that made it.
    data: std::borrow::Cow<'d, Dataset>,
    spec: TrainSpec,
    state: OptimizerState,
    rng: StdRng,
    order: Vec<usize>,
    batch: usize,
    /// The permuted copy of the current epoch's data.
    epoch_data: Option<(Array2<f64>, Array2<f64>)>,
    epoch: usize,
    step: usize,
    started: Option<f64>,
    sums: Sums,
    pub epochs: Vec<EpochRecord>,
    pub diverged: Option<Divergence>,
}

/// The running sums of an epoch.
#[derive(Default)]
struct Sums {
    loss: f64,
    correct: f64,
    counted: usize,
    norms: Vec<f64>,
    steps: usize,
}

impl<'d> Trainer<'d> {
    pub fn new(network: &Network, data: impl Into<std::borrow::Cow<'d, Dataset>>, spec: &TrainSpec) -> Trainer<'d> {
        let data = data.into();
        let n = data.len();
        Trainer {
            data,
            spec: spec.clone(),
            state: OptimizerState::new(network),
            rng: StdRng::seed_from_u64(spec.seed),
            order: (0..n).collect(),
            batch: spec.batch.unwrap_or(n).clamp(1, n.max(1)),
            epoch_data: None,
            epoch: 0,
            step: 0,
            started: None,
            sums: Sums::default(),
            epochs: Vec::new(),
            diverged: None,
        }
    }

    /// Whether every epoch has run, or the run diverged.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    pub fn spec(&self) -> &TrainSpec {
        &self.spec
    }

    pub fn finished(&self) -> bool {
        self.diverged.is_some() || (self.epoch_data.is_none() && self.epochs.len() >= self.spec.epochs)
    }

    /// Updates so far.
    pub fn updates(&self) -> u64 {
        self.state.steps()
    }

    /// One update on the next batch (starting an epoch first, closing it after its last
    /// batch); `None` once finished.
    pub fn step(&mut self, network: &mut Network, host: &dyn Host) -> Option<StepRecord> {
        if self.finished() {
            return None;
        }
        let n = self.data.len();
        if self.epoch_data.is_none() {
            self.epoch += 1;
            self.step = 0;
            self.order.shuffle(&mut self.rng);
            self.started = host.seconds();
            self.sums = Sums { norms: vec![0.0; network.layers.len()], ..Sums::default() };
            // One permuted copy per epoch; batches are then contiguous slices of it.
            self.epoch_data = Some((rows(&self.data.x, &self.order), rows(&self.data.t, &self.order)));
        }
        let (xs, ts) = self.epoch_data.as_ref().expect("an epoch is under way");
        let range = self.step * self.batch..((self.step + 1) * self.batch).min(n);
        let size = range.len();
        let slice = ndarray::Slice::from(range);
        let x = xs.slice_axis(ndarray::Axis(0), slice);
        let t = ts.slice_axis(ndarray::Axis(0), slice).to_owned();
        self.step += 1;
        let (loss, mut grads, deltas, output) = loss_and_gradients(network, &x, &t, self.spec.l2, Some(&mut self.rng));
        // One pass over the weight gradients gives the per-layer norms, and finds a NaN or ∞.
        let mut bad = (!loss.is_finite()).then_some(Diverged::Loss);
        for l in 0..network.layers.len() {
            let w = network.offset(l);
            let squared: f64 = grads[w].values().iter().map(|v| v * v).sum();
            if bad.is_none() && !squared.is_finite() {
                bad = Some(Diverged::Gradient { name: network.names[w].clone(), layer: l + 1 });
            }
            self.sums.norms[l] += squared.sqrt();
        }
        if let Some(what) = bad {
            self.diverged = Some(Divergence { epoch: self.epoch, step: self.step, what, runaway: runaway(network) });
            self.epoch_data = None;
            return None;
        }
        self.sums.loss += loss * size as f64;
        if let Some(a) = network.accuracy(&output, &t) {
            self.sums.correct += a * size as f64;
        }
        self.sums.counted += size;
        self.sums.steps += 1;
        // Clipping scales the gradients in place; the record keeps them as computed.
        let unclipped = self.spec.clip.is_some().then(|| grads.clone());
        update(network, &mut grads, &mut self.state, &self.spec);
        let used = unclipped.unwrap_or(grads);
        let epochs = self.spec.epochs;
        host.progress(Progress { epoch: self.epoch, epochs, done: self.sums.counted, per_epoch: n });
        if self.sums.counted >= n {
            self.close_epoch(network, host);
        }
        Some(StepRecord { epoch: self.epoch, step: self.step, loss, deltas, grads: used })
    }

    fn close_epoch(&mut self, network: &Network, host: &dyn Host) {
        let seconds = self.started.zip(host.seconds()).map(|(a, b)| b - a);
        let first = rows(&self.data.t, &[0]);
        let has_accuracy = network.accuracy(&first, &first).is_some();
        let Sums { loss, correct, counted, norms, steps } = std::mem::take(&mut self.sums);
        self.epochs.push(EpochRecord {
            epoch: self.epoch,
            loss: loss / counted.max(1) as f64,
            accuracy: has_accuracy.then(|| correct / counted.max(1) as f64),
            samples: counted,
            seconds,
            gradient_norms: norms.iter().map(|s| s / steps.max(1) as f64).collect(),
        });
        self.epoch_data = None;
    }

    /// The run's record, with the held-out accuracy of the network as it is now.
    pub fn outcome(self, network: &mut Network) -> TrainOutcome {
        let test_accuracy = self.data.test.as_ref().and_then(|(x, t)| {
            let cache = network.forward(x, Pass::Evaluate);
            network.accuracy(&cache.output, t)
        });
        TrainOutcome { epochs: self.epochs, diverged: self.diverged, test_accuracy }
    }
}

/// Trains for `spec.epochs` epochs, telling the host the progress after every step.
pub fn train(network: &mut Network, data: &Dataset, spec: &TrainSpec, host: &dyn Host) -> TrainOutcome {
    let mut trainer = Trainer::new(network, std::borrow::Cow::Borrowed(data), spec);
    while trainer.step(network, host).is_some() {}
    let diverged = trainer.diverged.is_some();
    let mut outcome = trainer.outcome(network);
    if diverged {
        outcome.test_accuracy = None;
    }
    outcome
}
