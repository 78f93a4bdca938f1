//! Symbolic differentiation by reverse accumulation over the DAG.
//!
//! Each node's adjoint ∂out/∂node is built once from its users' adjoints and the local
//! derivatives of `graph::rules`, so the gradient DAG grows linearly with the function (the
//! "cheap gradient" property) however many partials share it.
//!
//! Factor order is the textbook's: an adjoint is a product of factors in chain-rule order.
//! Crossing a named intermediate freezes the factors gathered so far (one link of the chain:
//! `∂L/∂w = (a − y)·a·(1 − a)·x`); between named intermediates plain variables come first and
//! the rest keep chain-rule order, which gives `x·σ(w·x + b)·(1 − σ(w·x + b))`.

use super::simplify::{Simplifier, Tidied};
use crate::graph::number::Number;
use crate::graph::rules::local_derivatives;
use crate::graph::{Graph, NodeId, Op};
use std::collections::HashMap;

/// A contribution to an adjoint: `coefficient · factors`, the first `frozen` factors fixed.
#[derive(Clone, Debug)]
struct Chain {
    coefficient: Number,
    factors: Vec<NodeId>,
    frozen: usize,
}

/// The adjoint of every node that depends on the targets, and the partials.
#[derive(Clone, Debug)]
pub struct Gradient {
    /// ∂output/∂target, in the order of the targets, tidied for printing.
    pub partials: Vec<NodeId>,
    /// Which form `tidy` kept for each partial.
    pub tidied: Vec<Tidied>,
    /// ∂output/∂node for every node on a path from the output to a target.
    pub adjoints: HashMap<NodeId, NodeId>,
}

/// Differentiates `output` with respect to each of `targets` (variables or intermediates).
pub fn gradient(graph: &mut Graph, output: NodeId, targets: &[NodeId]) -> Gradient {
    let order = graph.topological_order(&[output]);
    let depends = graph.depends_on(&order, targets);
    let mut pending: HashMap<NodeId, Vec<Chain>> = HashMap::new();
    pending.insert(output, vec![Chain { coefficient: Number::ONE, factors: Vec::new(), frozen: 0 }]);
    let mut adjoints = HashMap::new();

    for &node in order.iter().rev() {
        if !depends[&node] {
            continue;
        }
        let Some(contributions) = pending.remove(&node) else { continue };
        let mut chain = total(graph, contributions);
        adjoints.insert(node, build(graph, &chain));
        if graph.is_named(node) {
            chain.frozen = chain.factors.len();
        }
        let op = graph.op(node).clone();
        let inputs = op.inputs().to_vec();
        if inputs.is_empty() {
            continue;
        }
        let wanted: Vec<bool> = inputs.iter().map(|i| depends[i]).collect();
        let locals = local_derivatives(&mut Simplifier::new(graph), &op, &inputs, node, &wanted);
        for (input, local) in inputs.iter().zip(locals) {
            let Some(local) = local else { continue };
            if let Some(next) = extend(graph, &chain, local) {
                pending.entry(*input).or_default().push(next);
            }
        }
    }

    let (partials, tidied) = targets
        .iter()
        .map(|t| match adjoints.get(t) {
            Some(&a) => Simplifier::new(graph).tidy(a),
            None => (graph.int(0), Tidied::AsBuilt),
        })
        .unzip();
    Gradient { partials, tidied, adjoints }
}

/// The sum of a node's contributions, as one chain.
fn total(graph: &mut Graph, mut contributions: Vec<Chain>) -> Chain {
    if contributions.len() == 1 {
        return contributions.pop().expect("one contribution");
    }
    let terms = contributions.iter().map(|c| build(graph, c)).collect();
    let sum = Simplifier::new(graph).sum(terms);
    as_chain(graph, sum, 0)
}

/// A node as a chain of factors.
fn as_chain(graph: &Graph, node: NodeId, frozen: usize) -> Chain {
    match graph.op(node) {
        Op::Const(c) => Chain { coefficient: *c, factors: Vec::new(), frozen: 0 },
        Op::Mul(xs) => {
            let (coefficient, factors) = graph.split_coefficient(xs);
            let frozen = frozen.min(factors.len());
            Chain { coefficient, factors, frozen }
        }
        _ => Chain { coefficient: Number::ONE, factors: vec![node], frozen: frozen.min(1) },
    }
}

fn build(graph: &mut Graph, chain: &Chain) -> NodeId {
    let mut factors = Vec::with_capacity(chain.factors.len() + 1);
    if !chain.coefficient.is_one() {
        factors.push(graph.constant(chain.coefficient));
    }
    factors.extend(&chain.factors);
    Simplifier::new(graph).product(factors)
}

/// `chain · local`, or `None` when the product is zero.
fn extend(graph: &mut Graph, chain: &Chain, local: NodeId) -> Option<Chain> {
    let local = as_chain(graph, local, 0);
    let coefficient = chain.coefficient.times(local.coefficient);
    if coefficient.is_zero() {
        return None;
    }
    let mut factors = chain.factors.clone();
    factors.extend(local.factors);
    factors[chain.frozen..].sort_by_key(|&f| kind_rank(graph, f));
    // Collect powers now (σ·σ⁻¹ = 1) so that chains stay short; keep the frozen prefix length.
    let product = build(graph, &Chain { coefficient, factors, frozen: chain.frozen });
    let result = as_chain(graph, product, chain.frozen);
    (!result.coefficient.is_zero()).then_some(result)
}

/// Textbook order within one link of the chain: plain variables first (`x·σ(u)·(1 − σ(u))`),
/// everything else in chain-rule order, so one rule's factors stay together.
fn kind_rank(graph: &Graph, f: NodeId) -> u8 {
    match graph.op(f) {
        Op::Var(_) | Op::Const(_) => 0,
        _ => 1,
    }
}
