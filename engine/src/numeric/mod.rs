//! Numbers at a point: forward values of every node, reverse-mode adjoints of every node
//! (through the same derivative rules as the symbolic side), and central finite differences.
//!
//! A value outside a function's domain or beyond f64 is an error naming the node — never NaN.

use crate::graph::rules::{self, Numbers, local_derivatives};
use crate::graph::{Func, Graph, NodeId, Op};
use std::collections::HashMap;

/// Why a node has no value at the point.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainError {
    pub node: NodeId,
    pub reason: String,
}

/// Values of every node reachable from the roots.
pub type Values = HashMap<NodeId, f64>;

/// Forward pass: the value of every node under `roots`, given the variables' values.
pub fn evaluate(graph: &Graph, roots: &[NodeId], at: &HashMap<NodeId, f64>) -> Result<Values, DomainError> {
    let order = graph.topological_order(roots);
    let mut values = HashMap::with_capacity(order.len());
    let mut inputs = Vec::new();
    for id in order {
        inputs.clear();
        inputs.extend(graph.inputs(id).iter().map(|i| values[i]));
        let v = node_value(graph, id, &inputs, at.get(&id).copied())?;
        values.insert(id, v);
    }
    Ok(values)
}

/// The value of one node from its inputs' values (and, for a variable, its given value),
/// with the domain checks: log of a non-positive number, division by zero, overflow, ….
pub fn node_value(graph: &Graph, id: NodeId, inputs: &[f64], variable: Option<f64>) -> Result<f64, DomainError> {
    let fail = |reason: String| Err(DomainError { node: id, reason });
    let v = match graph.op(id) {
        Op::Const(c) => c.to_f64(),
        Op::Var(_) => match variable {
            Some(v) => v,
            None => return fail("has no value".into()),
        },
        Op::Add(_) => inputs.iter().sum(),
        Op::Mul(_) => inputs.iter().product(),
        Op::Pow(_) => {
            let (b, e) = (inputs[0], inputs[1]);
            if b == 0.0 && e < 0.0 {
                return fail("divides by zero".into());
            }
            if b < 0.0 && e.fract() != 0.0 {
                return fail(format!("takes a non-integer power ({e}) of a negative number ({b})"));
            }
            rules::power(b, e)
        }
        Op::Call(f, _) => {
            let u = inputs[0];
            match f {
                Func::Log if u <= 0.0 => return fail(format!("takes the log of {u}, which is not positive")),
                Func::Sqrt if u < 0.0 => return fail(format!("takes the square root of {u}, which is negative")),
                _ => rules::apply(*f, u),
            }
        }
        Op::Max(_) => inputs[0].max(inputs[1]),
        Op::Min(_) => inputs[0].min(inputs[1]),
        Op::Step { strict, .. } => rules::Algebra::step(&mut Numbers, inputs[0], *strict),
    };
    if v.is_finite() { Ok(v) } else { fail("overflows: its value is beyond the range of f64".into()) }
}

/// Reverse pass: ∂root/∂node for every node that depends on `targets`.
pub fn adjoints(
    graph: &Graph,
    root: NodeId,
    targets: &[NodeId],
    values: &Values,
) -> Result<HashMap<NodeId, f64>, DomainError> {
    let order = graph.topological_order(&[root]);
    let depends = graph.depends_on(&order, targets);
    let mut adjoint: HashMap<NodeId, f64> = HashMap::new();
    adjoint.insert(root, 1.0);
    for &id in order.iter().rev() {
        if !depends[&id] {
            continue;
        }
        let a = adjoint.get(&id).copied().unwrap_or(0.0);
        let inputs = graph.inputs(id);
        if inputs.is_empty() {
            continue;
        }
        for (input, local) in inputs.iter().zip(local_values(graph, id, values, &depends)?) {
            if let Some(local) = local {
                *adjoint.entry(*input).or_insert(0.0) += a * local;
            }
        }
    }
    Ok(adjoint)
}

/// ∂node/∂input at the point for each input that depends on a target (through the shared
/// rules); a non-finite local derivative is an error naming the node.
pub fn local_values(
    graph: &Graph,
    id: NodeId,
    values: &Values,
    depends: &HashMap<NodeId, bool>,
) -> Result<Vec<Option<f64>>, DomainError> {
    let inputs = graph.inputs(id);
    let input_values: Vec<f64> = inputs.iter().map(|i| values[i]).collect();
    let wanted: Vec<bool> = inputs.iter().map(|i| depends[i]).collect();
    let locals = local_derivatives(&mut Numbers, graph.op(id), &input_values, values[&id], &wanted);
    if locals.iter().flatten().any(|d| !d.is_finite()) {
        return Err(DomainError { node: id, reason: "has no finite derivative".into() });
    }
    Ok(locals)
}

/// A central-difference estimate and how far to trust it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FiniteDifference {
    pub value: f64,
    /// |estimate with step h − estimate with step 2h|: the truncation error's size.
    pub error_estimate: f64,
}

/// ∂root/∂variable by central differences, with step h = ε^(1/3)·max(1, |x|), which balances
/// truncation error (∝ h²) against rounding error (∝ ε/h).
pub fn central_difference(
    graph: &Graph,
    root: NodeId,
    variable: NodeId,
    at: &HashMap<NodeId, f64>,
) -> Result<FiniteDifference, DomainError> {
    let x = at.get(&variable).copied().unwrap_or(0.0);
    let h = f64::EPSILON.cbrt() * x.abs().max(1.0);
    let estimate = |h: f64| -> Result<f64, DomainError> {
        let mut shifted = at.clone();
        shifted.insert(variable, x + h);
        let plus = evaluate(graph, &[root], &shifted)?[&root];
        shifted.insert(variable, x - h);
        let minus = evaluate(graph, &[root], &shifted)?[&root];
        Ok((plus - minus) / (2.0 * h))
    };
    let fine = estimate(h)?;
    let coarse = estimate(2.0 * h)?;
    Ok(FiniteDifference { value: fine, error_estimate: (fine - coarse).abs() })
}

/// Whether a symbolic/reverse-mode value agrees with a finite difference: within a relative
/// and absolute tolerance, or within a few times the difference's own error estimate.
pub fn agrees(exact: f64, fd: FiniteDifference) -> bool {
    let difference = (exact - fd.value).abs();
    difference <= 1e-6 * (1.0 + exact.abs()) || difference <= 10.0 * fd.error_estimate
}

/// Relative error between two numbers, with an absolute floor of 1 in the denominator.
pub fn relative_error(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}
