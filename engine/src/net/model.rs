//! A network's parameters and its matrix-form forward and backward passes.
//!
//! Samples are rows: for layer l, Z = A·Wᵀ + b (W has one row per unit, one column per input),
//! A' = f(Z). The backward pass is the textbook one: δᴸ from the loss, δˡ = (δˡ⁺¹·Wˡ⁺¹) ⊙ f′(Zˡ),
//! ∂E/∂Wˡ = δˡᵀ·Aˡ⁻¹, ∂E/∂bˡ = Σ rows of δˡ.

use super::activation::Activation;
use super::loss::{Accuracy, Loss};
use super::matmul::{product, product_add};
use super::spec::{InitScheme, NetworkSpec};
use ndarray::{Array1, Array2, ArrayRef2, Axis, Zip};
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

/// Everything the backward pass needs from the forward pass. Each array is kept once: a
/// layer's output is the next layer's input, and f(z) is kept apart only where a skip
/// connection or dropout makes the output differ from it.
pub struct Cache {
    /// The network's input (after input dropout).
    input: Array2<f64>,
    /// Normalised pre-activations (batchnorm layers) and 1/σ per unit.
    normalised: Vec<Option<(Array2<f64>, Array1<f64>)>>,
    /// Pre-activations after batchnorm (what the activation is applied to).
    pre: Vec<Array2<f64>>,
    /// f(z), where it differs from the layer's output.
    activations: Vec<Option<Array2<f64>>>,
    /// The outputs of the layers before the last.
    hidden: Vec<Array2<f64>>,
    /// Dropout masks, already scaled by 1/(1 − p).
    masks: Vec<Option<Array2<f64>>>,
    /// The output.
    pub output: Array2<f64>,
}

impl Cache {
    pub fn pre_activation(&self, layer: usize) -> &Array2<f64> {
        &self.pre[layer]
    }

    /// f(z): the activations before any skip connection and dropout.
    pub fn activation(&self, layer: usize) -> &Array2<f64> {
        self.activations[layer].as_ref().unwrap_or_else(|| self.layer_output(layer))
    }

    pub fn layer_input(&self, layer: usize) -> &Array2<f64> {
        if layer == 0 { &self.input } else { self.layer_output(layer - 1) }
    }

    fn layer_output(&self, layer: usize) -> &Array2<f64> {
        self.hidden.get(layer).unwrap_or(&self.output)
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

    pub fn forward(&mut self, x: &ArrayRef2<f64>, pass: Pass) -> Cache {
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
        let count = self.layers.len();
        let mut cache = Cache {
            input: match &input_mask {
                Some(m) => x.to_owned() * m,
                None => x.to_owned(),
            },
            normalised: Vec::with_capacity(count),
            pre: Vec::with_capacity(count),
            activations: Vec::with_capacity(count),
            hidden: Vec::with_capacity(count),
            masks: Vec::with_capacity(count),
            output: Array2::zeros((0, 0)),
        };
        for l in 0..count {
            let o = self.offset(l);
            let layer = self.layers[l].clone();
            let a = cache.layer_input(l);
            // z = b + a·Wᵀ: the bias broadcast first, the product's terms added onto it in order.
            let mut z = self.vector(o + 1).broadcast((a.nrows(), layer.units)).expect("one bias per unit").to_owned();
            product_add(a.view(), self.matrix(o).t(), &mut z);
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
            let activated = (layer.activation.info().forward)(&z);
            // The layer's output: f(z), plus its input through a skip connection, then dropout.
            let mask = layer.dropout.and_then(|p| draw_mask(activated.dim(), p, &mut rng));
            let (output, activated) = match (layer.residual, &mask) {
                (false, None) => (activated, None),
                (true, None) => (&activated + a, Some(activated)),
                (false, Some(m)) => (&activated * m, Some(activated)),
                (true, Some(m)) => ((&activated + a) * m, Some(activated)),
            };
            cache.normalised.push(normalised);
            cache.pre.push(z);
            cache.activations.push(activated);
            cache.masks.push(mask);
            if l + 1 == count {
                cache.output = output;
            } else {
                cache.hidden.push(output);
            }
        }
        cache
    }

    /// The loss of outputs `y` against targets `t` (without the L2 term).
    pub fn loss_value(&self, y: &Array2<f64>, t: &Array2<f64>) -> f64 {
        let term = self.loss.info().term;
        y.iter().zip(t).fold(0.0, |sum, (&y, &t)| sum + term(y, t)) / self.loss.divisor(y.nrows(), y.ncols())
    }

    /// λ/2 · Σ W² over the weight matrices (not biases).
    pub fn l2_penalty(&self, l2: f64) -> f64 {
        if l2 == 0.0 {
            return 0.0;
        }
        (0..self.layers.len()).map(|l| self.matrix(self.offset(l)).mapv(|w| w * w).sum()).sum::<f64>() * l2 / 2.0
    }

    /// ∂E/∂y for the network's outputs y.
    pub fn loss_grad(&self, y: &Array2<f64>, t: &Array2<f64>) -> Array2<f64> {
        let derivative = self.loss.info().derivative;
        let divisor = self.loss.divisor(y.nrows(), y.ncols());
        Zip::from(y).and(t).map_collect(|&y, &t| derivative(y, t) / divisor)
    }

    /// Whether the output layer's δ is the loss's fused form a − t (its activation is the one
    /// the loss fuses with, and no skip connection or dropout stands between).
    pub fn fused_output(&self) -> bool {
        let Some(last) = self.layers.last() else { return false };
        self.loss.info().fused.as_ref().is_some_and(|f| f.activation == last.activation)
            && !last.residual
            && last.dropout.is_none()
    }

    /// Gradients of the loss (plus λ/2·ΣW²) with respect to every parameter, and the δ of
    /// every layer (∂E/∂Zˡ, before batchnorm where there is one).
    pub fn backward(&self, cache: &Cache, t: &Array2<f64>, l2: f64) -> (Vec<Tensor>, Vec<Array2<f64>>) {
        // Each gradient is written once, so nothing is allocated ahead of it.
        let mut grads: Vec<Option<Tensor>> = vec![None; self.params.len()];
        let mut deltas = vec![Array2::zeros((0, 0)); self.layers.len()];
        let last = self.layers.len() - 1;
        let mut from_above: Option<Array2<f64>> = None; // ∂E/∂(output) of the current layer
        for l in (0..self.layers.len()).rev() {
            let layer = &self.layers[l];
            let o = self.offset(l);
            // δ = ∂E/∂Z after batchnorm: a − t where the loss fuses with this output layer, else
            // ∂E/∂a ⊙ f′ (∂E/∂a through the layer's dropout mask; a skip connection passes it on).
            let mut skip = None;
            let mut dz = if l == last && self.fused_output() {
                let divisor = self.loss.divisor(t.nrows(), t.ncols());
                Zip::from(&cache.output).and(t).map_collect(|&y, &t| (y - t) / divisor)
            } else {
                let d = from_above.take().unwrap_or_else(|| self.loss_grad(&cache.output, t));
                let mut d = match &cache.masks[l] {
                    Some(mask) => d * mask,
                    None => d,
                };
                if layer.residual {
                    skip = Some(d.clone());
                }
                (layer.activation.info().backward)(&cache.pre[l], cache.activation(l), &mut d);
                d
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
            let mut w = product(dz.t(), cache.layer_input(l).view());
            if l2 != 0.0 {
                w.scaled_add(l2, self.matrix(o));
            }
            grads[o] = Some(Tensor::Matrix(w));
            grads[o + 1] = Some(Tensor::Vector(dz.sum_axis(Axis(0))));
            if l > 0 {
                // ∂E/∂x is nobody's business: the input layer skips the largest product.
                let mut d_prev = product(dz.view(), self.matrix(o).view());
                if let Some(skip) = skip {
                    // The skip path: the layer's input also receives ∂E/∂(its output) directly.
                    d_prev += &skip;
                }
                from_above = Some(d_prev);
            }
            deltas[l] = dz;
        }
        (grads.into_iter().map(|g| g.expect("every parameter gets a gradient")).collect(), deltas)
    }

    /// Accuracy where the loss and the output layer define one: the largest softmax output,
    /// one sigmoid output on the target's side of ½, or the sign for hinge.
    pub fn accuracy(&self, y: &Array2<f64>, t: &Array2<f64>) -> Option<f64> {
        let last = self.layers.last()?;
        let correct: usize = match (self.loss.info().accuracy, last.activation, y.ncols()) {
            (Accuracy::Sign, _, _) => y.iter().zip(t).filter(|(s, t)| (**s >= 0.0) == (**t > 0.0)).count(),
            (Accuracy::ByOutput, Activation::Softmax, _) => {
                y.rows().into_iter().zip(t.rows()).filter(|(p, t)| argmax(p.iter()) == argmax(t.iter())).count()
            }
            (Accuracy::ByOutput, Activation::Sigmoid, 1) => {
                y.iter().zip(t).filter(|(p, t)| (**p >= 0.5) == (**t >= 0.5)).count()
            }
            (Accuracy::ByOutput, _, _) => return None,
        };
        Some(correct as f64 / y.nrows() as f64)
    }
}

fn argmax<'a>(values: impl Iterator<Item = &'a f64>) -> usize {
    values.enumerate().fold((0, f64::NEG_INFINITY), |(bi, bv), (i, &v)| if v > bv { (i, v) } else { (bi, bv) }).0
}
