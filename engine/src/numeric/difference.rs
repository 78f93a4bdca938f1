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

/// Why there is no difference: a point of the stencil, next to the given one, is outside the
/// function's domain or overflows (`sqrt(x)` at x = 5e-324: x − h is negative).
#[derive(Clone, Debug, PartialEq)]
pub struct NoDifference {
    /// The node's value at the failing point of the stencil.
    pub at: f64,
    pub error: DomainError,
}

/// ∂root/∂node by central differences with steps h and 2h, h = ε^(1/3)·max(1, |x|) (or
/// ε^(1/3)·|x| when that stencil leaves the domain of a small x), combined
/// by Richardson extrapolation ((4·D(h) − D(2h))/3 cancels the h² error term); the size of
/// that correction is the estimate of what is left. `x` is the node's value at `given`.
pub fn central_difference(
    graph: &Graph,
    root: NodeId,
    node: NodeId,
    x: f64,
    given: &Given,
) -> Result<FiniteDifference, NoDifference> {
    let h = crate::math::cbrt(f64::EPSILON) * x.abs().max(1.0);
    match stencil(graph, root, node, x, given, h) {
        // Near the edge of a domain (log(x) at x = 1e-9) a step relative to x may still fit.
        Err(no) if x != 0.0 && x.abs() < 1.0 => {
            let small = crate::math::cbrt(f64::EPSILON) * x.abs();
            let distinct = x + 2.0 * small != x && x - 2.0 * small != x;
            if distinct { stencil(graph, root, node, x, given, small).map_err(|_| no) } else { Err(no) }
        }
        result => result,
    }
}

fn stencil(
    graph: &Graph,
    root: NodeId,
    node: NodeId,
    x: f64,
    given: &Given,
    h: f64,
) -> Result<FiniteDifference, NoDifference> {
    let mut shifted: Vec<(NodeId, f64)> = given.iter().copied().filter(|(n, _)| *n != node).collect();
    shifted.push((node, x));
    let last = shifted.len() - 1;
    let mut at = |v: f64| -> Result<f64, NoDifference> {
        shifted[last].1 = v;
        match evaluate(graph, &[root], &shifted) {
            Ok(values) => Ok(values[root]),
            Err(error) => Err(NoDifference { at: v, error }),
        }
    };
    let mut estimate = |h: f64| -> Result<f64, NoDifference> { Ok((at(x + h)? - at(x - h)?) / (2.0 * h)) };
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
