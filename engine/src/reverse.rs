//! The one reverse pass: reverse accumulation over the DAG, written once.
//!
//! Every node's adjoint ∂root/∂node is the sum, over the nodes that use it, of the user's
//! adjoint times the user's local derivative; nodes are visited in reverse topological order,
//! so each adjoint is complete before it is passed on, and each edge is crossed once (the
//! "cheap gradient"). Nodes that cannot reach a target are pruned.
//!
//! What an adjoint *is* — a node of the graph (symbolic), an f64, an f64 rounded as by hand, a
//! value with a deliberately wrong local derivative (a mistake to diagnose) — is the
//! implementation of [`Backward`]; the walk itself is this one function. Hooks see every local
//! derivative, every contribution and every total, which is what the grad table, `--steps`
//! and the mistake catalogue record.

use crate::graph::{Graph, NodeId};

/// What one reverse pass computes with.
pub trait Backward {
    type Value: Clone;
    type Error;

    /// The graph being walked (it may grow while the walk runs: new nodes are never visited).
    fn graph(&self) -> &Graph;

    /// ∂root/∂root.
    fn one(&mut self) -> Self::Value;

    /// ∂node/∂input for each input that `wanted` marks (in input order).
    fn locals(&mut self, node: NodeId, wanted: &[bool]) -> Result<Vec<Option<Self::Value>>, Self::Error>;

    /// The contribution of `user` to the adjoint of its input number `input`:
    /// adjoint(user) · local. `None` when it is zero.
    fn contribution(
        &mut self,
        user: NodeId,
        input: usize,
        adjoint: &Self::Value,
        local: Self::Value,
    ) -> Option<Self::Value>;

    /// The adjoint of `node`: the sum of its contributions (in the order their users were visited).
    fn total(&mut self, node: NodeId, parts: Vec<Self::Value>) -> Self::Value;
}

/// ∂root/∂node for every node on a path from the root to a target, by node index.
#[derive(Clone, Debug)]
pub struct Adjoints<V> {
    of: Vec<Option<V>>,
    /// The nodes visited, root first (reverse topological order).
    pub visited: Vec<NodeId>,
}

impl<V> Adjoints<V> {
    pub fn get(&self, node: NodeId) -> Option<&V> {
        self.of.get(node.index()).and_then(Option::as_ref)
    }

    /// The adjoint of `node`, or `zero` where no path from the root reaches it.
    pub fn or(&self, node: NodeId, zero: V) -> V
    where
        V: Clone,
    {
        self.get(node).cloned().unwrap_or(zero)
    }

    /// The same adjoints in another form (chains of factors built into nodes, say).
    pub fn map<W>(&self, mut f: impl FnMut(&V) -> W) -> Adjoints<W> {
        Adjoints { of: self.of.iter().map(|v| v.as_ref().map(&mut f)).collect(), visited: self.visited.clone() }
    }
}

/// Runs the reverse pass from `root` towards `targets`.
pub fn backward<B: Backward>(b: &mut B, root: NodeId, targets: &[NodeId]) -> Result<Adjoints<B::Value>, B::Error> {
    let order = b.graph().topological_order(&[root]);
    let depends = b.graph().depends_on(&order, targets);
    let size = b.graph().len();
    let mut pending: Vec<Vec<B::Value>> = Vec::new();
    pending.resize_with(size, Vec::new);
    let mut of: Vec<Option<B::Value>> = Vec::new();
    of.resize_with(size, || None);
    let mut visited = Vec::new();
    let one = b.one();
    pending[root.index()].push(one);
    for &node in order.iter().rev() {
        if !depends[node.index()] {
            continue;
        }
        let parts = std::mem::take(&mut pending[node.index()]);
        if parts.is_empty() {
            continue; // every path from the root to here contributed zero
        }
        let adjoint = b.total(node, parts);
        visited.push(node);
        let inputs = b.graph().inputs(node).to_vec();
        if !inputs.is_empty() {
            let wanted: Vec<bool> = inputs.iter().map(|i| depends[i.index()]).collect();
            let locals = b.locals(node, &wanted)?;
            for (k, (input, local)) in inputs.iter().zip(locals).enumerate() {
                let Some(local) = local else { continue };
                if let Some(part) = b.contribution(node, k, &adjoint, local) {
                    pending[input.index()].push(part);
                }
            }
        }
        of[node.index()] = Some(adjoint);
    }
    Ok(Adjoints { of, visited })
}
