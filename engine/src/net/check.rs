//! Two independent checks of the matrix backward pass: central finite differences over the
//! parameters, and — for small dense networks — the network unrolled into one scalar
//! expression of the foundation's language and differentiated on that computation graph.

use super::model::{Network, Pass, Tensor};
use crate::graph::NodeId;
use crate::graph::build::Function;
use crate::numeric;
use ndarray::Array2;
use std::fmt::Write;

/// How far the backward pass is from another way of computing the same gradients.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Agreement {
    pub max_abs_error: f64,
    /// |a − b| / max(|a|, |b|, 1e-5), the largest over the compared values: gradients below
    /// 1e-5 are compared absolutely, since differences of the loss are at rounding level there.
    pub max_relative_error: f64,
    pub compared: usize,
}

const RELATIVE_FLOOR: f64 = 1e-5;

fn loss_at(network: &mut Network, x: &Array2<f64>, t: &Array2<f64>, l2: f64) -> f64 {
    let cache = network.forward(x, Pass::TrainNoDropout);
    network.loss_value(&cache.output, t) + network.l2_penalty(l2)
}

/// Central differences (five-point), over every parameter value of small networks or an evenly spread
/// sample of `limit` values of large ones.
pub fn finite_differences(
    network: &Network,
    grads: &[Tensor],
    x: &Array2<f64>,
    t: &Array2<f64>,
    l2: f64,
    limit: usize,
) -> Agreement {
    let mut probe = network.clone();
    let total: usize = network.params.iter().map(|p| p.values().len()).sum();
    let stride = total.div_ceil(limit.max(1)).max(1);
    let (mut max_abs, mut max_rel, mut compared) = (0.0f64, 0.0f64, 0);
    let mut flat = 0usize;
    for (i, g) in grads.iter().enumerate() {
        for k in 0..g.values().len() {
            flat += 1;
            if !(flat - 1).is_multiple_of(stride) {
                continue;
            }
            let original = probe.params[i].values()[k];
            // The five-point stencil: truncation error O(h⁴), so h can be large enough that
            // rounding stays small too.
            let h = 1e-4 * original.abs().max(1.0);
            let mut at = |shift: f64| {
                probe.params[i].values_mut()[k] = original + shift;
                loss_at(&mut probe, x, t, l2)
            };
            let (p2, p1, m1, m2) = (at(2.0 * h), at(h), at(-h), at(-2.0 * h));
            probe.params[i].values_mut()[k] = original;
            let numeric = (m2 - 8.0 * m1 + 8.0 * p1 - p2) / (12.0 * h);
            let analytic = g.values()[k];
            let abs = (numeric - analytic).abs();
            max_abs = max_abs.max(abs);
            max_rel = max_rel.max(abs / numeric.abs().max(analytic.abs()).max(RELATIVE_FLOOR));
            compared += 1;
        }
    }
    Agreement { max_abs_error: max_abs, max_relative_error: max_rel, compared }
}

/// Whether `unrolled` can write this network as one scalar expression.
pub fn can_unroll(network: &Network, samples: usize) -> bool {
    network.parameter_count() <= 400
        && samples <= 8
        && network.layers.iter().all(|l| !l.batchnorm && l.dropout.is_none())
        && network.input_dropout.is_none()
}

/// The loss of the batch written out in the expression language: statements per unit and
/// sample, one variable per parameter value (`W2_0_1` is W2[0][1]).
pub fn unrolled_program(network: &Network, x: &Array2<f64>, t: &Array2<f64>, l2: f64) -> String {
    let mut text = String::new();
    let mut loss_terms = Vec::new();
    let (m, k) = (x.nrows(), network.layers.last().map_or(0, |l| l.units));
    for s in 0..m {
        let mut inputs: Vec<String> = x.row(s).iter().map(|v| format!("({v:?})")).collect();
        for (l, layer) in network.layers.iter().enumerate() {
            let n = l + 1;
            let mut outs = Vec::with_capacity(layer.units);
            for i in 0..layer.units {
                let terms: Vec<String> = inputs.iter().enumerate().map(|(j, a)| format!("W{n}_{i}_{j}*{a}")).collect();
                let _ = writeln!(text, "z{n}_{i}_s{s} = {} + b{n}_{i}", terms.join(" + "));
            }
            let zs: Vec<String> = (0..layer.units).map(|i| format!("z{n}_{i}_s{s}")).collect();
            for (i, z) in zs.iter().enumerate() {
                let a = (layer.activation.info().scalar)(z, &zs);
                let a = match (layer.residual, inputs.get(i)) {
                    (true, Some(skip)) => format!("{a} + {skip}"),
                    _ => a,
                };
                let _ = writeln!(text, "a{n}_{i}_s{s} = {a}");
                outs.push(format!("a{n}_{i}_s{s}"));
            }
            inputs = outs;
        }
        for (i, y) in inputs.iter().enumerate() {
            loss_terms.extend((network.loss.info().scalar)(y, t[[s, i]]));
        }
    }
    let scale = network.loss.divisor(m, k);
    let mut loss =
        format!("({})/{scale:?}", if loss_terms.is_empty() { "0".to_string() } else { loss_terms.join(" + ") });
    if l2 != 0.0 {
        let mut squares = Vec::new();
        for (l, p) in network.params.iter().enumerate() {
            if let (Tensor::Matrix(w), true) = (p, network.names[l].starts_with('W')) {
                for ((i, j), _) in w.indexed_iter() {
                    squares.push(format!("{}_{i}_{j}^2", network.names[l]));
                }
            }
        }
        loss = format!("{loss} + {:?}*({})", l2 / 2.0, squares.join(" + "));
    }
    let _ = writeln!(text, "E = {loss}");
    text
}

/// Differentiates the unrolled loss on the scalar computation graph (reverse mode through the
/// foundation's rules) and compares with the matrix gradients. `None` when the network is too
/// large or has layers the scalar language cannot write (batchnorm, dropout).
pub fn unrolled(network: &Network, grads: &[Tensor], x: &Array2<f64>, t: &Array2<f64>, l2: f64) -> Option<Agreement> {
    if !can_unroll(network, x.nrows()) {
        return None;
    }
    let program = unrolled_program(network, x, t, l2);
    let function = Function::parse(&program).ok()?;
    let mut point: Vec<(NodeId, f64)> = Vec::new();
    let mut expected = Vec::new();
    for (i, p) in network.params.iter().enumerate() {
        let name = &network.names[i];
        let values = p.values();
        let columns = match p {
            Tensor::Matrix(m) => Some(m.ncols()),
            Tensor::Vector(_) => None,
        };
        for (k, value) in values.iter().enumerate() {
            let var = match columns {
                Some(c) => format!("{name}_{}_{}", k / c, k % c),
                None => format!("{name}_{k}"),
            };
            if let Some(node) = function.graph.find_variable(&var) {
                point.push((node, *value));
                expected.push((node, grads[i].values()[k]));
            }
        }
    }
    let values = numeric::evaluate(&function.graph, &[function.output], &point).ok()?;
    let variables: Vec<NodeId> = expected.iter().map(|e| e.0).collect();
    let adjoints = numeric::adjoints(&function.graph, function.output, &variables, &values).ok()?;
    let (mut max_abs, mut max_rel) = (0.0f64, 0.0f64);
    for (node, analytic) in &expected {
        let scalar = adjoints.or(*node, 0.0);
        let abs = (scalar - analytic).abs();
        max_abs = max_abs.max(abs);
        max_rel = max_rel.max(abs / scalar.abs().max(analytic.abs()).max(RELATIVE_FLOOR));
    }
    Some(Agreement { max_abs_error: max_abs, max_relative_error: max_rel, compared: expected.len() })
}
