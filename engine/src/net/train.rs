//! Gradient-descent updates (SGD, momentum, Nesterov, RMSProp, Adam), with gradient-norm
//! clipping, L2 and frozen parameters, and the training loop over seeded mini-batches.

use super::data::{Dataset, rows};
use super::model::{Network, Pass, Tensor};
use super::spec::{Optimizer, TrainSpec};
use crate::host::{Host, Progress};
use ndarray::Array2;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// The optimizer's memory: velocities or moment estimates, one per parameter value.
pub struct OptimizerState {
    first: Vec<Vec<f64>>,
    second: Vec<Vec<f64>>,
    steps: u64,
}

impl OptimizerState {
    pub fn new(network: &Network) -> OptimizerState {
        let zeros: Vec<Vec<f64>> = network.params.iter().map(|p| vec![0.0; p.values().len()]).collect();
        OptimizerState { first: zeros.clone(), second: zeros, steps: 0 }
    }
}

/// One update of every parameter that is not frozen.
pub fn update(network: &mut Network, grads: &mut [Tensor], state: &mut OptimizerState, spec: &TrainSpec) {
    if let Some(max) = spec.clip {
        // The norm of what the optimizer moves: frozen parameters do not count.
        let norm = grads
            .iter()
            .zip(&network.names)
            .filter(|(_, name)| !spec.freeze.contains(name))
            .flat_map(|(g, _)| g.values())
            .map(|v| v * v)
            .sum::<f64>()
            .sqrt();
        if norm > max && norm > 0.0 {
            let scale = max / norm;
            for g in grads.iter_mut() {
                g.values_mut().iter_mut().for_each(|v| *v *= scale);
            }
        }
    }
    state.steps += 1;
    for (i, (param, grad)) in network.params.iter_mut().zip(grads.iter()).enumerate() {
        if spec.freeze.contains(&network.names[i]) {
            continue;
        }
        step_values(spec, state.steps, param.values_mut(), grad.values(), &mut state.first[i], &mut state.second[i]);
    }
}

/// One optimizer step on plain values: the update rules, written once for networks and for
/// descent paths. `t` counts steps from 1; `first` and `second` are the optimizer's memory.
pub fn step_values(spec: &TrainSpec, t: u64, values: &mut [f64], grads: &[f64], first: &mut [f64], second: &mut [f64]) {
    let (lr, mu) = (spec.learning_rate, spec.momentum);
    let (beta1, beta2, eps): (f64, f64, f64) = (0.9, 0.999, 1e-8);
    let values = values.iter_mut().zip(grads);
    // One loop per optimizer: the rule stays out of the inner loop.
    match spec.optimizer {
        // θ ← θ − α·g
        Optimizer::Sgd => values.for_each(|(p, &g)| *p -= lr * g),
        // v ← μ·v − α·g; θ ← θ + v
        Optimizer::Momentum => values.zip(first.iter_mut()).for_each(|((p, &g), v)| {
            *v = mu * *v - lr * g;
            *p += *v;
        }),
        // v' ← μ·v − α·g; θ ← θ − μ·v + (1 + μ)·v'   (the look-ahead form)
        Optimizer::Nesterov => values.zip(first.iter_mut()).for_each(|((p, &g), v)| {
            let previous = *v;
            *v = mu * *v - lr * g;
            *p += -mu * previous + (1.0 + mu) * *v;
        }),
        // s ← ρ·s + (1 − ρ)·g²; θ ← θ − α·g/(√s + ε)
        Optimizer::RmsProp => values.zip(second.iter_mut()).for_each(|((p, &g), s)| {
            *s = 0.9 * *s + 0.1 * g * g;
            *p -= lr * g / (s.sqrt() + eps);
        }),
        // m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − α·m̂/(√v̂ + ε)
        Optimizer::Adam => {
            let t = t.min(i32::MAX as u64) as i32;
            let (c1, c2) = (1.0 - beta1.powi(t), 1.0 - beta2.powi(t));
            values.zip(first.iter_mut().zip(second.iter_mut())).for_each(|((p, &g), (m, v))| {
                *m = beta1 * *m + (1.0 - beta1) * g;
                *v = beta2 * *v + (1.0 - beta2) * g * g;
                *p -= lr * (*m / c1) / ((*v / c2).sqrt() + eps);
            })
        }
    }
}

/// Loss (with the L2 term) and gradients on one batch, without dropout randomness unless a
/// generator is given.
pub fn loss_and_gradients(
    network: &mut Network,
    x: &Array2<f64>,
    t: &Array2<f64>,
    l2: f64,
    rng: Option<&mut StdRng>,
) -> (f64, Vec<Tensor>, Vec<Array2<f64>>, Array2<f64>) {
    let pass = match rng {
        Some(r) => Pass::Train(r),
        None => Pass::TrainNoDropout,
    };
    let cache = network.forward(x, pass);
    let loss = network.loss_value(&cache.output, t) + network.l2_penalty(l2);
    let (grads, deltas) = network.backward(&cache, t, l2);
    (loss, grads, deltas, cache.output)
}

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
    /// `loss`, or the first parameter whose gradient is not finite (`W2`).
    pub what: String,
    /// The parameter that ran away: the first not finite, else the largest, with its value.
    pub runaway: String,
}

pub struct TrainOutcome {
    pub epochs: Vec<EpochRecord>,
    pub diverged: Option<Divergence>,
    pub test_accuracy: Option<f64>,
}

/// The parameter that ran away: the first that is not a number, else the largest.
fn runaway(network: &Network) -> String {
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
                return format!("{at} is {}", crate::format::format_number(v));
            }
            if worst.as_ref().is_none_or(|(_, w)| v.abs() > w.abs()) {
                worst = Some((at, v));
            }
        }
    }
    match worst {
        Some((at, v)) => format!("the largest parameter, {at}, had reached {}", crate::format::format_number(v)),
        None => "the network has no parameters".into(),
    }
}

/// Trains for `spec.epochs` epochs, telling the host the progress after every step.
pub fn train(network: &mut Network, data: &Dataset, spec: &TrainSpec, host: &dyn Host) -> TrainOutcome {
    let mut state = OptimizerState::new(network);
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let n = data.len();
    let batch = spec.batch.unwrap_or(n).clamp(1, n.max(1));
    let mut order: Vec<usize> = (0..n).collect();
    let mut epochs = Vec::new();
    let weight_indices: Vec<usize> = (0..network.layers.len()).map(|l| network.offset(l)).collect();
    for epoch in 1..=spec.epochs {
        order.shuffle(&mut rng);
        let started = host.seconds();
        // One permuted copy per epoch; batches are then contiguous slices of it.
        let (xs, ts) = (rows(&data.x, &order), rows(&data.t, &order));
        let mut loss_sum = 0.0;
        let mut correct = 0.0;
        let mut counted = 0usize;
        let mut norms = vec![0.0; network.layers.len()];
        let mut steps = 0usize;
        for step in 0..n.div_ceil(batch) {
            let range = step * batch..((step + 1) * batch).min(n);
            let size = range.len();
            let slice = ndarray::Slice::from(range);
            let x = xs.slice_axis(ndarray::Axis(0), slice).to_owned();
            let t = ts.slice_axis(ndarray::Axis(0), slice).to_owned();
            let (loss, mut grads, _, output) = loss_and_gradients(network, &x, &t, spec.l2, Some(&mut rng));
            // One pass over the weight gradients gives the per-layer norms, and finds a NaN or ∞.
            let mut bad = (!loss.is_finite()).then(|| "loss".to_string());
            for (l, &w) in weight_indices.iter().enumerate() {
                let squared: f64 = grads[w].values().iter().map(|v| v * v).sum();
                if bad.is_none() && !squared.is_finite() {
                    bad = Some(format!("the gradient of {} (layer {})", network.names[w], l + 1));
                }
                norms[l] += squared.sqrt();
            }
            if let Some(what) = bad {
                return TrainOutcome {
                    epochs,
                    diverged: Some(Divergence { epoch, step: step + 1, what, runaway: runaway(network) }),
                    test_accuracy: None,
                };
            }
            loss_sum += loss * size as f64;
            if let Some(a) = network.accuracy(&output, &t) {
                correct += a * size as f64;
            }
            counted += size;
            steps += 1;
            update(network, &mut grads, &mut state, spec);
            host.progress(Progress { epoch, epochs: spec.epochs, done: counted, per_epoch: n });
        }
        let seconds = started.zip(host.seconds()).map(|(a, b)| b - a);
        let first = rows(&data.t, &[0]);
        let has_accuracy = network.accuracy(&first, &first).is_some();
        epochs.push(EpochRecord {
            epoch,
            loss: loss_sum / counted.max(1) as f64,
            accuracy: has_accuracy.then(|| correct / counted.max(1) as f64),
            samples: counted,
            seconds,
            gradient_norms: norms.iter().map(|s| s / steps.max(1) as f64).collect(),
        });
    }
    let test_accuracy = data.test.as_ref().and_then(|(x, t)| {
        let cache = network.forward(x, Pass::Evaluate);
        network.accuracy(&cache.output, t)
    });
    TrainOutcome { epochs, diverged: None, test_accuracy }
}
