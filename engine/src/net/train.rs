//! Gradient-descent updates (SGD, momentum, Nesterov, RMSProp, Adam), with gradient-norm
//! clipping, L2 and frozen parameters. The loop over seeded mini-batches is `trainer`.

use super::model::{Network, Pass, Tensor};
use super::spec::{Optimizer, TrainSpec};
use ndarray::{Array2, ArrayRef2};
use rand::rngs::StdRng;

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

    /// Updates made so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }
}

/// The network after one update from fresh optimizer memory with these gradients: what `net
/// step`, `net grad --table` and a sheet's `new W1[0][0]` show, through the same `update` that
/// training runs.
pub fn one_update(network: &Network, grads: &[Tensor], spec: &TrainSpec) -> Network {
    let mut stepped = network.clone();
    let mut grads = grads.to_vec();
    update(&mut stepped, &mut grads, &mut OptimizerState::new(network), spec);
    stepped
}

/// One update of every parameter that is not frozen (clipping scales `grads` in place).
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
            let (c1, c2) = (1.0 - crate::math::powi(beta1, t), 1.0 - crate::math::powi(beta2, t));
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
    x: &ArrayRef2<f64>,
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
