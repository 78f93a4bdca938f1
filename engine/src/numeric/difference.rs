//! Central finite differences at any node: a variable is moved, and a named intermediate is
//! moved *at the node* (held at a value of its own while its inputs stay where they are), which
//! is what ∂f/∂z means.

use super::{DomainError, Given, evaluate};
use crate::graph::{Graph, NodeId};

/// A central-difference estimate and how far to trust it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FiniteDifference {
    pub value: f64,
    /// |estimate with step h − estimate with step 2h|: the truncation error's size.
    pub error_estimate: f64,
}

/// ∂root/∂node by central differences with steps h and 2h, h = ε^(1/3)·max(1, |x|), combined
/// by Richardson extrapolation ((4·D(h) − D(2h))/3 cancels the h² error term); the size of
/// that correction is the estimate of what is left. `x` is the node's value at `given`.
pub fn central_difference(
    graph: &Graph,
    root: NodeId,
    node: NodeId,
    x: f64,
    given: &Given,
) -> Result<FiniteDifference, DomainError> {
    let h = f64::EPSILON.cbrt() * x.abs().max(1.0);
    let mut shifted: Vec<(NodeId, f64)> = given.iter().copied().filter(|(n, _)| *n != node).collect();
    shifted.push((node, x));
    let last = shifted.len() - 1;
    let mut at = |v: f64| -> Result<f64, DomainError> {
        shifted[last].1 = v;
        Ok(evaluate(graph, &[root], &shifted)?[root])
    };
    let mut estimate = |h: f64| -> Result<f64, DomainError> { Ok((at(x + h)? - at(x - h)?) / (2.0 * h)) };
    let fine = estimate(h)?;
    let coarse = estimate(2.0 * h)?;
    let correction = (fine - coarse) / 3.0;
    Ok(FiniteDifference { value: fine + correction, error_estimate: correction.abs() })
}

/// Whether an exact value agrees with a finite difference: within a relative and absolute
/// tolerance, or within a few times the difference's own error estimate when that estimate is
/// itself small (a large one means the function jumps or bends sharply inside the stencil,
/// and then the difference proves nothing).
pub fn agrees(exact: f64, fd: FiniteDifference) -> bool {
    let difference = (exact - fd.value).abs();
    let scale = 1.0 + exact.abs();
    difference <= 1e-6 * scale || (difference <= 10.0 * fd.error_estimate && fd.error_estimate <= 1e-4 * scale)
}

/// Relative error between two numbers, with an absolute floor of 1 in the denominator.
pub fn relative_error(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}
