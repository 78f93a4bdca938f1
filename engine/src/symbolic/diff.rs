//! Symbolic differentiation: the one reverse pass, with adjoints that are nodes of the graph.
//!
//! Each node's adjoint ∂out/∂node is built once from its users' adjoints and the local
//! derivatives of `graph::rules`, so the gradient DAG grows linearly with the function (the
//! "cheap gradient" property) however many partials share it.
//!
//! Factor order is the textbook's: an adjoint is a product of factors in chain-rule order.
//! Crossing a named intermediate freezes the factors gathered so far (one link of the chain:
//! `∂L/∂w = (a − y)·a·(1 − a)·x`); between named intermediates plain variables come first and
//! the rest keep chain-rule order, which gives `x·σ(w·x + b)·(1 − σ(w·x + b))`.

use super::refold::Refold;
use super::simplify::Simplifier;
use super::tidy::{Tidied, tidy};
use crate::graph::number::Number;
use crate::graph::rules::local_derivatives;
use crate::graph::{Graph, IdMap, NodeId, NodeMap, Op};
use crate::reverse::{self, Backward};
use std::convert::Infallible;

/// A contribution to an adjoint: `coefficient · factors`, the first `frozen` factors fixed.
#[derive(Clone, Debug)]
pub struct Chain {
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
    /// ∂output/∂node (as built, before tidying) for every node on a path to a target, as
    /// chains of factors: `adjoints` builds them into nodes.
    chains: reverse::Adjoints<Chain>,
    /// ∂node/∂(input k) of every edge the pass crossed, as nodes: what `--steps` writes out.
    pub locals: IdMap<(NodeId, usize), NodeId>,
}

/// The reverse pass with nodes for values: local derivatives through the simplifier.
pub struct SymbolicBackward<'g> {
    pub graph: &'g mut Graph,
    /// The root: a rule never names the output it is differentiating (∂f/∂x of f = exp(x) is
    /// exp(x), not f).
    pub root: NodeId,
    /// Every local derivative built, by edge (the hook `--steps` reads).
    pub locals: IdMap<(NodeId, usize), NodeId>,
}

impl Backward for SymbolicBackward<'_> {
    type Value = Chain;
    type Error = Infallible;

    fn graph(&self) -> &Graph {
        self.graph
    }

    fn one(&mut self) -> Chain {
        Chain { coefficient: Number::ONE, factors: Vec::new(), frozen: 0 }
    }

    fn locals(&mut self, node: NodeId, wanted: &[bool]) -> Result<Vec<Option<Chain>>, Infallible> {
        let op = self.graph.op(node).clone();
        let inputs = op.inputs().to_vec();
        // A node's own value, by the name the user gave it: σ′ of a = σ(z) is a·(1 − a).
        let output = match self.graph.let_of(node) {
            Some(named) if named != self.root => named,
            _ => node,
        };
        let locals = local_derivatives(&mut Simplifier::new(self.graph), &op, &inputs, output, wanted);
        for (k, local) in locals.iter().enumerate() {
            if let Some(l) = local {
                self.locals.insert((node, k), *l);
            }
        }
        Ok(locals.into_iter().map(|l| l.map(|l| as_chain(self.graph, l, 0))).collect())
    }

    fn contribution(&mut self, _user: NodeId, _input: usize, adjoint: &Chain, local: Chain) -> Option<Chain> {
        extend(self.graph, adjoint, local)
    }

    fn total(&mut self, node: NodeId, parts: Vec<Chain>) -> Chain {
        let mut chain = total(self.graph, parts);
        if self.graph.is_named(node) {
            chain.frozen = chain.factors.len();
        }
        chain
    }
}

/// Differentiates `output` with respect to each of `targets` (variables or intermediates).
pub fn gradient(graph: &mut Graph, output: NodeId, targets: &[NodeId]) -> Gradient {
    // The adjoints add about two thirds of the function's nodes (BENCHMARKS: 1.67×).
    graph.reserve(graph.len());
    let mut pass = SymbolicBackward { graph: &mut *graph, root: output, locals: IdMap::default() };
    let chains = match reverse::backward(&mut pass, output, targets) {
        Ok(chains) => chains,
        Err(never) => match never {},
    };
    let locals = pass.locals;
    // Only the targets' adjoints become nodes here (in node order, as `adjoints` builds them
    // all): a 100,000-parameter loss has twice as many other nodes on its paths, which only
    // `--steps` shows.
    let mut by_node: Vec<NodeId> = targets.to_vec();
    by_node.sort_unstable();
    by_node.dedup();
    let built: NodeMap<NodeId> =
        by_node.iter().filter_map(|&t| chains.get(t).map(|chain| (t, build(graph, chain)))).collect();
    // Names the user gave are put back where their definitions reappear (never the output's).
    // ∂f/∂z keeps z's own definition out: folding it back would hide what moving z does.
    let lets: Vec<NodeId> = graph.named_nodes().iter().copied().filter(|&n| n != output).collect();
    let mut refold = Refold::new(graph, &lets);
    let (partials, tidied) = targets
        .iter()
        .map(|t| match built.get(t) {
            Some(&a) if graph.is_named(*t) => {
                let others: Vec<NodeId> = lets.iter().copied().filter(|n| n != t).collect();
                tidy(graph, &mut Refold::new(graph, &others), a)
            }
            Some(&a) => tidy(graph, &mut refold, a),
            None => (graph.int(0), Tidied::AsBuilt),
        })
        .unzip();
    Gradient { partials, tidied, chains, locals }
}

impl Gradient {
    /// ∂output/∂node as nodes of `graph`, for every node on a path to a target: what `--steps`
    /// writes out. Built after the partials, so that they are the same nodes with or without it.
    pub fn adjoints(&self, graph: &mut Graph) -> reverse::Adjoints<NodeId> {
        self.chains.map(|chain| build(graph, chain))
    }
}

/// The sum of a node's contributions, as one chain; the paths in the order their nodes were
/// written (the walk meets the last-written user first).
fn total(graph: &mut Graph, mut contributions: Vec<Chain>) -> Chain {
    if contributions.len() == 1 {
        return contributions.pop().expect("one contribution");
    }
    let terms = contributions.iter().rev().map(|c| build(graph, c)).collect();
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
fn extend(graph: &mut Graph, chain: &Chain, local: Chain) -> Option<Chain> {
    let coefficient = chain.coefficient.times(local.coefficient);
    if coefficient.is_zero() {
        return None;
    }
    let mut factors = chain.factors.clone();
    factors.extend(local.factors);
    factors[chain.frozen..].sort_by_key(|&f| kind_rank(graph, f));
    // Collect powers now (σ·σ⁻¹ = 1) so that chains stay short; keep the frozen prefix length.
    // Most links have nothing to collect, and building their product only to take it apart
    // again was a tenth of differentiating a large loss.
    let result = if product_leaves_alone(graph, &factors) {
        Chain { coefficient, frozen: chain.frozen.min(factors.len()), factors }
    } else {
        let product = build(graph, &Chain { coefficient, factors, frozen: chain.frozen });
        as_chain(graph, product, chain.frozen)
    };
    if result.coefficient.is_zero() {
        return None;
    }
    Some(collapsed(graph, result))
}

/// Whether `Simplifier::product` would keep these factors as they are, in their order: no
/// constant to fold, no product to flatten, no power or repeated base to collect (and so no
/// divisor to move last).
fn product_leaves_alone(graph: &Graph, factors: &[NodeId]) -> bool {
    factors
        .iter()
        .enumerate()
        .all(|(i, &f)| !matches!(graph.op(f), Op::Const(_) | Op::Mul(_) | Op::Pow(_)) && !factors[..i].contains(&f))
}

/// A chain longer than this becomes one factor (its product, a node), so that passing an
/// adjoint on costs the same at every depth: a chain of n statements `aₖ = exp(aₖ₋₁)` would
/// otherwise copy 1, 2, …, n factors (quadratic time, memory and printed size). No textbook
/// chain comes near it: a two-layer network's longest link has 7 factors.
const MAX_CHAIN_FACTORS: usize = 16;

fn collapsed(graph: &mut Graph, chain: Chain) -> Chain {
    if chain.factors.len() <= MAX_CHAIN_FACTORS {
        return chain;
    }
    let product = build(graph, &Chain { coefficient: Number::ONE, factors: chain.factors, frozen: 0 });
    Chain { coefficient: chain.coefficient, factors: vec![product], frozen: 1 }
}

/// Textbook order within one link of the chain: plain variables first (`x·σ(u)·(1 − σ(u))`),
/// everything else in chain-rule order, so one rule's factors stay together.
fn kind_rank(graph: &Graph, f: NodeId) -> u8 {
    match graph.op(f) {
        Op::Var(_) | Op::Const(_) => 0,
        _ => 1,
    }
}
