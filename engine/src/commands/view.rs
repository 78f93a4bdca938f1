//! How every view (the grad table, `--steps`, the picture, the judge's messages) shows a
//! function: one row per node the user can point at, named the way the user named it.
//!
//! - variables and named intermediates by their names; the output by its name (`f` when the
//!   last line is a bare expression);
//! - other operations `u₁, u₂, …` in topological order, except scalings (`−y`, `2·x`), which
//!   read best inline;
//! - a named intermediate and its definition are one row (`a = σ(z)`): the definition's
//!   operation gives the row's local derivatives, and the definition takes the name.

use crate::format::subscript;
use crate::graph::build::Function;
use crate::graph::{Graph, NodeId, NodeMap, Op};
use crate::print::{Printer, Style};

pub struct View {
    /// The nodes shown, in topological order (no constants, no folded definitions).
    pub rows: Vec<NodeId>,
    /// Every node of the function, in topological order.
    pub order: Vec<NodeId>,
    /// Names by node: variables, named intermediates and their folded definitions, the
    /// output, and `u₁`-names.
    names: NodeMap<String>,
    /// For a named intermediate shown as its definition's operation: that definition.
    operation: NodeMap<NodeId>,
    /// For a folded definition: its named intermediate.
    folded: NodeMap<NodeId>,
    pub output: NodeId,
    pub output_name: String,
}

impl View {
    pub fn new(function: &Function) -> View {
        let graph = &function.graph;
        let output = function.output;
        let order = graph.topological_order(&[output]);
        let mut users: NodeMap<Vec<NodeId>> = NodeMap::default();
        for &id in &order {
            for &input in graph.inputs(id) {
                users.entry(input).or_default().push(id);
            }
        }
        let mut operation = NodeMap::default();
        let mut folded = NodeMap::default();
        for &id in &order {
            if let Op::Let(_, [d]) = graph.op(id)
                && !matches!(graph.op(*d), Op::Var(_) | Op::Let(..) | Op::Const(_))
                && users.get(d).is_some_and(|u| u.as_slice() == [id])
            {
                operation.insert(id, *d);
                folded.insert(*d, id);
            }
        }
        let mut names = NodeMap::default();
        for (name, id) in &function.variables {
            names.insert(*id, name.clone());
        }
        let mut counter = 0;
        for &id in &order {
            if let Some(name) = graph.name_of(id) {
                names.insert(id, name.to_string());
                if let Some(d) = operation.get(&id) {
                    names.insert(*d, name.to_string());
                }
            } else if id == output {
                names.insert(id, function.output_name.clone());
            } else if !matches!(graph.op(id), Op::Const(_) | Op::Var(_))
                && !folded.contains_key(&id)
                && !is_scaling(graph, id)
            {
                counter += 1;
                names.insert(id, format!("u{}", subscript(counter)));
            }
        }
        let rows = order
            .iter()
            .copied()
            .filter(|id| !matches!(graph.op(*id), Op::Const(_)) && !folded.contains_key(id))
            .collect();
        View { rows, order, names, operation, folded, output, output_name: function.output_name.clone() }
    }

    /// The name of a node, if it has one in the views.
    pub fn name(&self, node: NodeId) -> Option<&str> {
        self.names.get(&node).map(String::as_str)
    }

    /// The node as the views show it: a folded definition is its named intermediate.
    pub fn shown(&self, node: NodeId) -> NodeId {
        self.folded.get(&node).copied().unwrap_or(node)
    }

    /// The node whose operation a row shows: a named intermediate's definition where the two
    /// are one row, else the row itself.
    pub fn operation(&self, row: NodeId) -> NodeId {
        self.operation.get(&row).copied().unwrap_or(row)
    }

    /// Whether `node` is a definition folded into its named intermediate's row.
    pub fn is_folded(&self, node: NodeId) -> bool {
        self.folded.contains_key(&node)
    }

    /// A printer that uses these names; `with_output` also names the output itself (formulas
    /// about the output's own derivative must not: σ(u₂)·(1 − σ(u₂)), not f·(1 − f)).
    pub fn printer<'g>(&'g self, graph: &'g Graph, with_output: bool) -> Printer<'g> {
        let unnamed = (!with_output && !graph.is_named(self.output)).then_some(self.output);
        Printer::with_names(graph, &self.names, unnamed)
    }

    /// A node's name, or its expression when it has none (`−y`).
    pub fn label(&self, graph: &Graph, node: NodeId) -> String {
        match self.name(node) {
            Some(name) => name.to_string(),
            None => self.printer(graph, true).text(node),
        }
    }

    /// What a row computes, in terms of the other rows (`u₁ + b` for z); empty for a variable.
    pub fn definition(&self, graph: &Graph, row: NodeId, style: Style) -> String {
        let node = self.operation(row);
        match graph.op(node) {
            Op::Var(_) => String::new(),
            _ => self.printer(graph, true).definition(node, style),
        }
    }
}

/// `−y`, `2·x`, `x/2`: a constant times one factor reads best inline (`u = a − y`).
pub fn is_scaling(graph: &Graph, id: NodeId) -> bool {
    matches!(graph.op(id), Op::Mul(xs) if xs.len() == 2 && graph.as_const(xs[0]).is_some())
}
