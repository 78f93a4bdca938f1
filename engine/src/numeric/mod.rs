//! Numbers at a point: forward values of every node (the one forward evaluator), the numeric
//! reverse pass (the one reverse pass with f64 adjoints, through the same derivative rules as
//! the symbolic side), and central finite differences at any node.
//!
//! A value outside a function's domain or beyond f64 is an error naming the node — never NaN.

pub mod difference;
pub mod point;

use crate::error::{Phrase, both};
use crate::graph::func::Func;
use crate::graph::rules::{Algebra, local_derivatives};
use crate::graph::{Graph, NodeId, Op, number::Number};
use crate::reverse::{self, Adjoints, Backward};

pub use difference::{FiniteDifference, NoDifference, agrees, central_difference, relative_error};

/// Why a node has no value at the point.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainError {
    pub node: NodeId,
    /// What the node does wrong, a predicate: "divides by zero", "除以零".
    pub reason: Phrase,
}

/// The value of every node evaluated, by node index.
#[derive(Clone, Debug, Default)]
pub struct Values(Vec<Option<f64>>);

impl Values {
    pub fn get(&self, node: NodeId) -> Option<f64> {
        self.0.get(node.index()).copied().flatten()
    }
}

impl std::ops::Index<NodeId> for Values {
    type Output = f64;
    /// The value of a node that was evaluated (asking for another is a bug).
    fn index(&self, node: NodeId) -> &f64 {
        self.0[node.index()].as_ref().expect("the node was evaluated")
    }
}

/// Given values: the variables of a point, and any node held at a value of its own (its
/// inputs are still evaluated, but it no longer depends on them).
pub type Given = [(NodeId, f64)];

/// Rounds to `digits` significant digits (none: unchanged).
pub fn round_to(x: f64, digits: Option<u32>) -> f64 {
    match digits {
        None => x,
        Some(_) if x == 0.0 || !x.is_finite() => x,
        Some(d) => {
            let magnitude = crate::math::log10(x.abs()).floor() as i32;
            let scale = crate::math::powi(10.0, d as i32 - 1 - magnitude);
            let rounded = (x * scale).round() / scale;
            if rounded.is_finite() { rounded } else { x }
        }
    }
}

/// The forward pass: the value of every node under `roots`.
pub fn evaluate(graph: &Graph, roots: &[NodeId], given: &Given) -> Result<Values, DomainError> {
    evaluate_rounded(graph, roots, given, None)
}

/// The forward pass with every value rounded to `digits` significant digits, as by hand.
pub fn evaluate_rounded(
    graph: &Graph,
    roots: &[NodeId],
    given: &Given,
    digits: Option<u32>,
) -> Result<Values, DomainError> {
    let mut fixed: Vec<Option<f64>> = vec![None; graph.len()];
    for &(node, v) in given {
        fixed[node.index()] = Some(v);
    }
    let mut values = vec![None; graph.len()];
    let mut inputs = Vec::new();
    for id in graph.topological_order(roots) {
        let v = match fixed[id.index()] {
            Some(v) => v,
            None => {
                inputs.clear();
                inputs.extend(graph.inputs(id).iter().map(|i| values[i.index()].expect("inputs come first")));
                round_to(node_value(graph, id, &inputs)?, digits)
            }
        };
        values[id.index()] = Some(v);
    }
    Ok(Values(values))
}

/// The value of one node from its inputs' values, with the domain checks: log of a
/// non-positive number, division by zero, overflow, ….
pub fn node_value(graph: &Graph, id: NodeId, inputs: &[f64]) -> Result<f64, DomainError> {
    let fail = |reason: Phrase| Err(DomainError { node: id, reason });
    let v = match graph.op(id) {
        // A folded constant keeps its exponent (1e-400); as an f64 it would be a false 0.
        Op::Const(c) if !c.is_zero() && c.to_f64() == 0.0 => {
            return fail(both("is too small for f64 (it would be 0)", "太小，f64 无法表示（会变成 0）"));
        }
        Op::Const(c) => c.to_f64(),
        Op::Var(_) => return fail(both("has no value", "没有值")),
        Op::Let(..) => inputs[0],
        Op::Add(_) => inputs.iter().sum(),
        Op::Mul(_) => inputs.iter().product(),
        Op::Pow(_) => {
            let (b, e) = (inputs[0], inputs[1]);
            if b == 0.0 && e < 0.0 {
                return fail(both("divides by zero", "除以零"));
            }
            if b < 0.0 && e.fract() != 0.0 {
                return fail(both(
                    format!("takes a non-integer power ({e}) of a negative number ({b})"),
                    format!("对负数（{b}）取非整数次幂（{e}）"),
                ));
            }
            power(b, e)
        }
        Op::Call(f, _) => match f.domain_error(inputs) {
            Some(reason) => return fail(reason),
            None => f.value(inputs),
        },
        Op::Step { strict, .. } => Numbers.step(inputs[0], *strict),
    };
    if v.is_finite() {
        Ok(v)
    } else {
        fail(both("overflows: its value is beyond the range of f64", "溢出：值超出了 f64 的范围"))
    }
}

/// `base^exponent`, exact for integer exponents.
pub fn power(base: f64, exponent: f64) -> f64 {
    if exponent.fract() == 0.0 && exponent.abs() <= i32::MAX as f64 {
        crate::math::powi(base, exponent as i32)
    } else {
        crate::math::powf(base, exponent)
    }
}

/// For each target, the first node (in topological order) that sits on a kink or jump at this
/// point and whose value depends on the target: abs, relu and sign at 0, max and min at a tie,
/// an Iverson bracket at 0. There the function may have no derivative, whatever a finite
/// difference says (`abs(x) + x` at 0 has a symmetric difference of 1, yet no slope).
/// One pass per target, and none when no node is at a kink.
pub fn kinks(graph: &Graph, root: NodeId, targets: &[NodeId], values: &Values) -> Vec<Option<NodeId>> {
    let order = graph.topological_order(&[root]);
    let at_kink = |id: NodeId| match graph.op(id) {
        Op::Call(f, args) => {
            let args: Option<Vec<f64>> = args.iter().map(|a| values.get(*a)).collect();
            args.is_some_and(|a| f.at_kink(&a))
        }
        Op::Step { arg: [u], .. } => values.get(*u) == Some(0.0),
        _ => false,
    };
    if !order.iter().any(|&id| at_kink(id)) {
        return vec![None; targets.len()];
    }
    targets
        .iter()
        .map(|&target| {
            let mut depends = vec![false; graph.len()];
            order.iter().copied().find(|&id| {
                depends[id.index()] = id == target || graph.inputs(id).iter().any(|i| depends[i.index()]);
                depends[id.index()] && at_kink(id)
            })
        })
        .collect()
}

/// Numbers as an algebra: the derivative rules evaluated at a point.
pub struct Numbers;

impl Algebra for Numbers {
    type Value = f64;
    fn number(&mut self, n: Number) -> f64 {
        n.to_f64()
    }
    fn add(&mut self, a: f64, b: f64) -> f64 {
        a + b
    }
    fn mul(&mut self, a: f64, b: f64) -> f64 {
        a * b
    }
    fn pow(&mut self, base: f64, exponent: f64) -> f64 {
        power(base, exponent)
    }
    fn call(&mut self, f: Func, args: &[f64]) -> f64 {
        f.value(args)
    }
    fn step(&mut self, a: f64, strict: bool) -> f64 {
        if a > 0.0 || (!strict && a == 0.0) { 1.0 } else { 0.0 }
    }
}

/// ∂node/∂input at the point for each wanted input (through the shared rules); a non-finite
/// local derivative is an error naming the node.
pub fn local_values(
    graph: &Graph,
    id: NodeId,
    values: &Values,
    wanted: &[bool],
) -> Result<Vec<Option<f64>>, DomainError> {
    let inputs: Vec<f64> = graph.inputs(id).iter().map(|i| values[*i]).collect();
    let locals = local_derivatives(&mut Numbers, graph.op(id), &inputs, values[id], wanted);
    if locals.iter().flatten().any(|d| !d.is_finite()) {
        return Err(DomainError { node: id, reason: both("has no finite derivative", "没有有限的导数") });
    }
    Ok(locals)
}

/// One crossing of an edge in the numeric reverse pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub user: NodeId,
    /// Which input of the user.
    pub input: usize,
    pub local: f64,
    /// adjoint(user) · local, the part of the input's adjoint that comes through this edge.
    pub contribution: f64,
}

/// A deliberately changed local derivative: given the user, its input number and the right
/// value, the value to use instead (how the mistake catalogue replays a mistake).
pub type Mutation<'a> = &'a dyn Fn(NodeId, usize, f64) -> f64;

/// The numeric reverse pass: f64 adjoints, optionally rounded as by hand, optionally with a
/// mutated local derivative, optionally recording every edge.
pub struct NumericBackward<'a> {
    pub graph: &'a Graph,
    pub values: &'a Values,
    pub digits: Option<u32>,
    pub mutation: Option<Mutation<'a>>,
    /// Every edge crossed, in the order of the walk (when `record` is set).
    pub edges: Vec<Edge>,
    pub record: bool,
    /// A node whose adjoint is taken as given (a student's earlier answer carried forward).
    pub forced: Option<(NodeId, f64)>,
}

impl<'a> NumericBackward<'a> {
    pub fn new(graph: &'a Graph, values: &'a Values) -> Self {
        NumericBackward { graph, values, digits: None, mutation: None, edges: Vec::new(), record: false, forced: None }
    }
}

impl Backward for NumericBackward<'_> {
    type Value = f64;
    type Error = DomainError;

    fn graph(&self) -> &Graph {
        self.graph
    }

    fn one(&mut self) -> f64 {
        1.0
    }

    fn locals(&mut self, node: NodeId, wanted: &[bool]) -> Result<Vec<Option<f64>>, DomainError> {
        let mut locals = local_values(self.graph, node, self.values, wanted)?;
        for (k, local) in locals.iter_mut().enumerate() {
            if let Some(d) = local {
                if let Some(mutate) = self.mutation {
                    *d = mutate(node, k, *d);
                }
                *d = round_to(*d, self.digits);
            }
        }
        Ok(locals)
    }

    fn contribution(&mut self, user: NodeId, input: usize, adjoint: &f64, local: f64) -> Option<f64> {
        let part = round_to(adjoint * local, self.digits);
        if self.record {
            self.edges.push(Edge { user, input, local, contribution: part });
        }
        Some(part)
    }

    fn total(&mut self, node: NodeId, parts: Vec<f64>) -> f64 {
        match self.forced {
            Some((forced, value)) if forced == node => value,
            _ => round_to(parts.iter().sum(), self.digits),
        }
    }
}

/// ∂root/∂node at the point, for every node on a path from the root to a target.
pub fn adjoints(
    graph: &Graph,
    root: NodeId,
    targets: &[NodeId],
    values: &Values,
) -> Result<Adjoints<f64>, DomainError> {
    reverse::backward(&mut NumericBackward::new(graph, values), root, targets)
}
