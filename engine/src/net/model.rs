//! A network's parameters and its matrix-form forward and backward passes.
//!
//! Samples are rows: for layer l, Z = A·Wᵀ + b (W has one row per unit, one column per input),
//! A' = f(Z). The backward pass is the textbook one: δᴸ from the loss, δˡ = (δˡ⁺¹·Wˡ⁺¹) ⊙ f′(Zˡ),
//! ∂E/∂Wˡ = δˡᵀ·Aˡ⁻¹, ∂E/∂bˡ = Σ rows of δˡ.

use super::spec::{Activation, InitScheme, Loss, NetworkSpec};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, Axis, Zip};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

const BN_EPSILON: f64 = 1e-5;

/// One parameter tensor by name: weights are matrices, the rest vectors.
#[derive(Clone, Debug, PartialEq)]
pub enum Tensor {
    Matrix(Array2<f64>),
    Vector(Array1<f64>),
}

impl Tensor {
    pub fn values(&self) -> &[f64] {
        match self {
            Tensor::Matrix(m) => m.as_slice().expect("standard layout"),
            Tensor::Vector(v) => v.as_slice().expect("standard layout"),
        }
    }

    pub fn values_mut(&mut self) -> &mut [f64] {
        match self {
            Tensor::Matrix(m) => m.as_slice_mut().expect("standard layout"),
            Tensor::Vector(v) => v.as_slice_mut().expect("standard layout"),
        }
    }
}

/// A layer's structure (what the spec says), without its parameters.
#[derive(Clone, Debug)]
pub struct Layer {
    pub units: usize,
    pub activation: Activation,
    pub batchnorm: bool,
    pub residual: bool,
    pub dropout: Option<f64>,
}

/// Parameters in a fixed order: for each layer W, b, then γ, β with batchnorm.
#[derive(Clone, Debug)]
pub struct Network {
    pub inputs: usize,
    pub input_dropout: Option<f64>,
    pub layers: Vec<Layer>,
    pub loss: Loss,
    pub names: Vec<String>,
    pub params: Vec<Tensor>,
    /// Running means and variances for batchnorm layers (used when evaluating).
    pub running: Vec<Option<(Array1<f64>, Array1<f64>)>>,
}

/// Everything the backward pass needs from the forward pass.
pub struct Cache {
    /// The input to each layer (A⁰ = X).
    inputs: Vec<Array2<f64>>,
    /// Normalised pre-activations (batchnorm layers) and 1/σ per unit.
    normalised: Vec<Option<(Array2<f64>, Array1<f64>)>>,
    /// Pre-activations after batchnorm (what the activation is applied to).
    pre: Vec<Array2<f64>>,
    /// Activations f(z), before any skip connection and dropout.
    activations: Vec<Array2<f64>>,
    /// Dropout masks, already scaled by 1/(1 − p).
    masks: Vec<Option<Array2<f64>>>,
    /// The output.
    pub output: Array2<f64>,
}

impl Cache {
    pub fn pre_activation(&self, layer: usize) -> &Array2<f64> {
        &self.pre[layer]
    }
    pub fn activation(&self, layer: usize) -> &Array2<f64> {
        &self.activations[layer]
    }
    pub fn layer_input(&self, layer: usize) -> &Array2<f64> {
        &self.inputs[layer]
    }
}

/// How the forward pass runs.
pub enum Pass<'r> {
    /// Batch statistics for batchnorm, dropout masks drawn from this generator.
    Train(&'r mut StdRng),
    /// Batch statistics, no dropout: what gradient checks use.
    TrainNoDropout,
    /// Running statistics, no dropout.
    Evaluate,
}

pub fn activate(activation: Activation, z: &Array2<f64>) -> Array2<f64> {
    match activation {
        // Unit-wise activations are the expression language's functions (one table of values).
        Activation::Sigmoid | Activation::Tanh | Activation::Relu => {
            let f = activation.function().expect("a unit-wise activation");
            z.mapv(|v| f.value(&[v]))
        }
        Activation::Linear => z.clone(),
        Activation::Softmax => {
            let mut out = z.clone();
            for mut row in out.rows_mut() {
                let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
                row.mapv_inplace(|v| crate::math::exp(v - max));
                let sum = row.sum();
                row.mapv_inplace(|v| v / sum);
            }
            out
        }
    }
}

/// dE/dZ from dE/dA for an activation (the softmax Jacobian applied row by row).
pub fn activation_backward(
    activation: Activation,
    z: &Array2<f64>,
    a: &Array2<f64>,
    grad: &Array2<f64>,
) -> Array2<f64> {
    match activation {
        Activation::Linear => grad.clone(),
        Activation::Sigmoid => Zip::from(grad).and(a).map_collect(|&g, &s| g * s * (1.0 - s)),
        Activation::Tanh => Zip::from(grad).and(a).map_collect(|&g, &t| g * (1.0 - t * t)),
        Activation::Relu => Zip::from(grad).and(z).map_collect(|&g, &z| if z > 0.0 { g } else { 0.0 }),
        Activation::Softmax => {
            let mut out = Array2::zeros(grad.raw_dim());
            for ((mut o, g), p) in out.rows_mut().into_iter().zip(grad.rows()).zip(a.rows()) {
                let dot = g.dot(&p);
                Zip::from(&mut o).and(&g).and(&p).for_each(|o, &g, &p| *o = p * (g - dot));
            }
            out
        }
    }
}

impl Network {
    /// Builds a network with the file's parameters or seeded initial values.
    pub fn new(spec: &NetworkSpec) -> Network {
        let (scheme, seed) = spec.init;
        let mut rng = StdRng::seed_from_u64(seed);
        let mut params = Vec::new();
        let mut fan_in = spec.inputs;
        let mut layers = Vec::new();
        for l in &spec.layers {
            let w = match &l.weights {
                Some(w) => w.clone(),
                None => {
                    let std = match scheme {
                        InitScheme::Xavier => (2.0 / (fan_in + l.units) as f64).sqrt(),
                        InitScheme::He => (2.0 / fan_in as f64).sqrt(),
                        InitScheme::Normal(std) => std,
                    };
                    Array2::from_shape_fn((l.units, fan_in), |_| {
                        let g: f64 = StandardNormal.sample(&mut rng);
                        g * std
                    })
                }
            };
            params.push(Tensor::Matrix(w));
            params.push(Tensor::Vector(l.bias.clone().unwrap_or_else(|| Array1::zeros(l.units))));
            if l.batchnorm {
                params.push(Tensor::Vector(Array1::ones(l.units)));
                params.push(Tensor::Vector(Array1::zeros(l.units)));
            }
            layers.push(Layer {
                units: l.units,
                activation: l.activation,
                batchnorm: l.batchnorm,
                residual: l.residual,
                dropout: l.dropout,
            });
            fan_in = l.units;
        }
        let running =
            spec.layers.iter().map(|l| l.batchnorm.then(|| (Array1::zeros(l.units), Array1::ones(l.units)))).collect();
        Network {
            inputs: spec.inputs,
            input_dropout: spec.input_dropout,
            layers,
            loss: spec.loss,
            names: spec.parameter_names(),
            params,
            running,
        }
    }

    /// Index of layer l's first parameter (W) in `params`.
    pub fn offset(&self, layer: usize) -> usize {
        self.layers[..layer].iter().map(|l| if l.batchnorm { 4 } else { 2 }).sum()
    }

    fn matrix(&self, i: usize) -> &Array2<f64> {
        match &self.params[i] {
            Tensor::Matrix(m) => m,
            Tensor::Vector(_) => unreachable!("weights are matrices"),
        }
    }

    fn vector(&self, i: usize) -> &Array1<f64> {
        match &self.params[i] {
            Tensor::Vector(v) => v,
            Tensor::Matrix(_) => unreachable!("biases are vectors"),
        }
    }

    pub fn parameter_count(&self) -> usize {
        self.params.iter().map(|p| p.values().len()).sum()
    }

    pub fn forward(&mut self, x: &Array2<f64>, pass: Pass) -> Cache {
        let (training, mut rng) = match pass {
            Pass::Train(rng) => (true, Some(rng)),
            Pass::TrainNoDropout => (true, None),
            Pass::Evaluate => (false, None),
        };
        let draw_mask = |shape: (usize, usize), p: f64, rng: &mut Option<&mut StdRng>| -> Option<Array2<f64>> {
            let rng = rng.as_mut()?;
            Some(Array2::from_shape_fn(shape, |_| if rng.random::<f64>() < p { 0.0 } else { 1.0 / (1.0 - p) }))
        };
        let input_mask = self.input_dropout.and_then(|p| draw_mask(x.dim(), p, &mut rng));
        let mut a = match &input_mask {
            Some(m) => x * m,
            None => x.clone(),
        };
        let mut cache = Cache {
            inputs: Vec::new(),
            normalised: Vec::new(),
            pre: Vec::new(),
            activations: Vec::new(),
            masks: Vec::new(),
            output: Array2::zeros((0, 0)),
        };
        for l in 0..self.layers.len() {
            let o = self.offset(l);
            let layer = self.layers[l].clone();
            // z = a·Wᵀ + b, the bias broadcast first and the product added onto it in place.
            let mut z = self.vector(o + 1).broadcast((a.nrows(), layer.units)).expect("one bias per unit").to_owned();
            general_mat_mul(1.0, &a, &self.matrix(o).t(), 1.0, &mut z);
            let mut normalised = None;
            if layer.batchnorm {
                let (mean, var) = if training {
                    let mean = z.mean_axis(Axis(0)).expect("a batch has rows");
                    let var = (&z - &mean).mapv(|d| d * d).mean_axis(Axis(0)).expect("a batch has rows");
                    if let Some((rm, rv)) = &mut self.running[l] {
                        *rm = &*rm * 0.9 + &mean * 0.1;
                        *rv = &*rv * 0.9 + &var * 0.1;
                    }
                    (mean, var)
                } else {
                    self.running[l].clone().expect("batchnorm layers keep running statistics")
                };
                let inv_std = var.mapv(|v| 1.0 / (v + BN_EPSILON).sqrt());
                let zhat = (&z - &mean) * &inv_std;
                z = &zhat * self.vector(o + 2) + self.vector(o + 3);
                normalised = Some((zhat, inv_std));
            }
            let activated = activate(layer.activation, &z);
            // The layer's output: f(z), plus its input through a skip connection.
            let out = if layer.residual { &activated + &a } else { activated.clone() };
            let mask = layer.dropout.and_then(|p| draw_mask(out.dim(), p, &mut rng));
            let next = match &mask {
                Some(m) => &out * m,
                None => out,
            };
            cache.inputs.push(a);
            cache.normalised.push(normalised);
            cache.pre.push(z);
            cache.activations.push(activated);
            cache.masks.push(mask);
            a = next;
        }
        cache.output = a;
        cache
    }

    /// The loss of outputs `y` against targets `t` (without the L2 term).
    pub fn loss_value(&self, y: &Array2<f64>, t: &Array2<f64>) -> f64 {
        let (m, k) = (y.nrows() as f64, y.ncols() as f64);
        match self.loss {
            Loss::Mse => (y - t).mapv(|d| d * d).sum() / (m * k),
            Loss::HalfSse => 0.5 * (y - t).mapv(|d| d * d).sum() / m,
            Loss::Bce => {
                let clamp = |p: f64| p.clamp(1e-15, 1.0 - 1e-15);
                -y.iter()
                    .zip(t)
                    .map(|(&p, &t)| t * crate::math::ln(clamp(p)) + (1.0 - t) * crate::math::ln(1.0 - clamp(p)))
                    .sum::<f64>()
                    / (m * k)
            }
            Loss::CrossEntropy => {
                -y.iter()
                    .zip(t)
                    .map(|(&p, &t)| if t > 0.0 { t * crate::math::ln(p.max(1e-300)) } else { 0.0 })
                    .sum::<f64>()
                    / m
            }
            Loss::Hinge => y.iter().zip(t).map(|(&s, &t)| (1.0 - t * s).max(0.0)).sum::<f64>() / m,
        }
    }

    /// λ/2 · Σ W² over the weight matrices (not biases).
    pub fn l2_penalty(&self, l2: f64) -> f64 {
        if l2 == 0.0 {
            return 0.0;
        }
        (0..self.layers.len()).map(|l| self.matrix(self.offset(l)).mapv(|w| w * w).sum()).sum::<f64>() * l2 / 2.0
    }

    /// δᴸ = ∂E/∂Zᴸ at the output layer, in the numerically stable combined forms where they exist.
    pub fn output_delta(&self, cache: &Cache, t: &Array2<f64>) -> Array2<f64> {
        let y = &cache.output;
        let last = self.layers.len() - 1;
        let (m, k) = (y.nrows() as f64, y.ncols() as f64);
        let activation = self.layers[last].activation;
        let z = &cache.pre[last];
        let dropout_free = cache.masks[last].is_none() && !self.layers[last].residual;
        match (self.loss, activation) {
            // softmax with cross-entropy: δ = (p − t)/m
            (Loss::CrossEntropy, Activation::Softmax) if dropout_free => (y - t) / m,
            // sigmoid with binary cross-entropy: δ = (a − t)/(m·k)
            (Loss::Bce, Activation::Sigmoid) if dropout_free => (y - t) / (m * k),
            _ => {
                let grad_y = self.loss_grad(y, t);
                let grad_a = match &cache.masks[last] {
                    Some(mask) => grad_y * mask,
                    None => grad_y,
                };
                activation_backward(activation, z, &cache.activations[last], &grad_a)
            }
        }
    }

    /// Gradients of the loss (plus λ/2·ΣW²) with respect to every parameter, and the δ of
    /// every layer (∂E/∂Zˡ, before batchnorm where there is one).
    pub fn backward(&self, cache: &Cache, t: &Array2<f64>, l2: f64) -> (Vec<Tensor>, Vec<Array2<f64>>) {
        // Each gradient is written once, so nothing is allocated ahead of it.
        let mut grads: Vec<Option<Tensor>> = vec![None; self.params.len()];
        let mut deltas = vec![Array2::zeros((0, 0)); self.layers.len()];
        let last = self.layers.len() - 1;
        let mut delta_post: Option<Array2<f64>> = None; // ∂E/∂(activation output) of the current layer
        for l in (0..self.layers.len()).rev() {
            let layer = &self.layers[l];
            let o = self.offset(l);
            let a_prev = &cache.inputs[l];
            // ∂E/∂Z (after batchnorm), then through batchnorm to the raw pre-activation.
            let mut dz = match (&delta_post, l == last) {
                (None, true) => self.output_delta(cache, t),
                (Some(d), _) => {
                    let d = match &cache.masks[l] {
                        Some(mask) => d * mask,
                        None => d.clone(),
                    };
                    activation_backward(layer.activation, &cache.pre[l], &cache.activations[l], &d)
                }
                (None, false) => unreachable!("inner layers get a delta from above"),
            };
            if let Some((zhat, inv_std)) = &cache.normalised[l] {
                let m = dz.nrows() as f64;
                let gamma = self.vector(o + 2);
                grads[o + 2] = Some(Tensor::Vector((&dz * zhat).sum_axis(Axis(0))));
                grads[o + 3] = Some(Tensor::Vector(dz.sum_axis(Axis(0))));
                let dzhat = &dz * gamma;
                let sum = dzhat.sum_axis(Axis(0));
                let sum_zhat = (&dzhat * zhat).sum_axis(Axis(0));
                dz = (&dzhat * m - &sum - zhat * &sum_zhat) * inv_std / m;
            }
            let mut w = dz.t().dot(a_prev);
            if l2 != 0.0 {
                w.scaled_add(l2, self.matrix(o));
            }
            grads[o] = Some(Tensor::Matrix(w));
            grads[o + 1] = Some(Tensor::Vector(dz.sum_axis(Axis(0))));
            if l == 0 {
                // ∂E/∂x is nobody's business: skip the largest product of the backward pass.
                deltas[l] = dz;
                break;
            }
            let mut d_prev = dz.dot(self.matrix(o));
            if layer.residual {
                // The skip path: ∂E/∂(layer input) also receives ∂E/∂(layer output) directly.
                let d_out = match (&delta_post, l == last) {
                    (Some(d), _) => match &cache.masks[l] {
                        Some(mask) => d * mask,
                        None => d.clone(),
                    },
                    (None, _) => self.loss_grad(&cache.output, t),
                };
                d_prev = d_prev + d_out;
            }
            deltas[l] = dz;
            delta_post = Some(d_prev);
        }
        (grads.into_iter().map(|g| g.expect("every parameter gets a gradient")).collect(), deltas)
    }

    /// ∂E/∂y for the network's outputs y.
    pub fn loss_grad(&self, y: &Array2<f64>, t: &Array2<f64>) -> Array2<f64> {
        let (m, k) = (y.nrows() as f64, y.ncols() as f64);
        match self.loss {
            Loss::Mse => (y - t) * (2.0 / (m * k)),
            Loss::HalfSse => (y - t) / m,
            Loss::Bce => Array2::from_shape_fn(y.raw_dim(), |(i, j)| {
                let p = y[[i, j]].clamp(1e-15, 1.0 - 1e-15);
                let t = t[[i, j]];
                (-(t / p) + (1.0 - t) / (1.0 - p)) / (m * k)
            }),
            Loss::CrossEntropy => Array2::from_shape_fn(y.raw_dim(), |(i, j)| -t[[i, j]] / y[[i, j]].max(1e-300) / m),
            Loss::Hinge => Array2::from_shape_fn(y.raw_dim(), |(i, j)| {
                let t = t[[i, j]];
                if 1.0 - t * y[[i, j]] > 0.0 { -t / m } else { 0.0 }
            }),
        }
    }

    /// Accuracy when the loss has one: argmax for softmax, 0.5 for one sigmoid, sign for hinge.
    pub fn accuracy(&self, y: &Array2<f64>, t: &Array2<f64>) -> Option<f64> {
        let last = self.layers.last()?;
        let correct: usize = match (self.loss, last.activation, y.ncols()) {
            (Loss::Hinge, _, _) => y.iter().zip(t).filter(|(s, t)| (**s >= 0.0) == (**t > 0.0)).count(),
            (_, Activation::Softmax, _) => {
                y.rows().into_iter().zip(t.rows()).filter(|(p, t)| argmax(p.iter()) == argmax(t.iter())).count()
            }
            (Loss::Bce, Activation::Sigmoid, 1) | (Loss::Mse | Loss::HalfSse, Activation::Sigmoid, 1) => {
                y.iter().zip(t).filter(|(p, t)| (**p >= 0.5) == (**t >= 0.5)).count()
            }
            _ => return None,
        };
        Some(correct as f64 / y.nrows() as f64)
    }
}

fn argmax<'a>(values: impl Iterator<Item = &'a f64>) -> usize {
    values.enumerate().fold((0, f64::NEG_INFINITY), |(bi, bv), (i, &v)| if v > bv { (i, v) } else { (bi, bv) }).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::rules::function_derivatives;
    use crate::numeric::Numbers;

    /// The matrix backward pass writes σ′, tanh′ and relu′ inline for speed; they must equal the
    /// one rule table's derivatives at every shape the layers use (here, a grid of inputs).
    #[test]
    fn activation_derivatives_equal_the_rule_table() {
        let z = Array2::from_shape_fn((7, 9), |(i, j)| (i as f64 - 3.0) * 1.7 + (j as f64 - 4.0) * 0.31);
        let ones = Array2::ones(z.raw_dim());
        for activation in [Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::Linear] {
            let a = activate(activation, &z);
            let backward = activation_backward(activation, &z, &a, &ones);
            for ((&zv, &av), &d) in z.iter().zip(a.iter()).zip(backward.iter()) {
                let rule = match activation.function() {
                    Some(f) => function_derivatives(f, &mut Numbers, &[zv], av, &[true])[0].expect("wanted"),
                    None => 1.0,
                };
                assert!((rule - d).abs() <= 1e-15, "{activation:?} at {zv}: table {rule}, matrix {d}");
                if let Some(f) = activation.function() {
                    assert_eq!(f.value(&[zv]), av, "{activation:?} forward at {zv}");
                }
            }
        }
    }
}
