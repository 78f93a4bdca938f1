//! Printing a graph as Unicode text or LaTeX.
//!
//! One walker serves both styles, so they place parentheses alike. The text form uses as few
//! parentheses as parsing back to the *same node* allows: `parse(print(e)) == e`.
//!
//! Named intermediates print as their names. `Printer::share` gives large subexpressions that
//! several printed formulas use a number (`t₁ = …`), so output grows linearly with the graph.

pub mod mathml;
mod names;
mod writer;

pub use crate::format::{subscript, superscript};
use crate::graph::{Graph, NodeId, NodeMap};
pub use names::{latex_name, latex_prose};
use std::cell::RefCell;
use writer::Writer;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Text,
    Latex,
}

/// Precedence levels, loosest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Sum,
    Product,
    Power,
    Atom,
}

/// A subexpression gets a number (`t₁`) when printing it once saves this much:
/// (size − 1)·(uses − 1) ≥ SHARE_SAVING, with size in operations and names. `σ(w·x + b)`
/// used six times stays inline; a hidden layer's sum used by every partial does not.
/// Anything smaller is at most SHARE_SAVING + 1 long per use, so output stays linear.
const SHARE_SAVING: usize = 40;
/// Never number anything smaller than this.
const SHARE_MIN_SIZE: usize = 8;

/// The names a view gives nodes (`u₁`, the output's name): a map from node ids to names.
pub trait ViewNames {
    fn view_name(&self, id: NodeId) -> Option<&str>;
}

impl<S: std::hash::BuildHasher> ViewNames for std::collections::HashMap<NodeId, String, S> {
    fn view_name(&self, id: NodeId) -> Option<&str> {
        self.get(&id).map(String::as_str)
    }
}

pub struct Printer<'g> {
    graph: &'g Graph,
    /// The numbered shared parts (`t₁`).
    names: NodeMap<String>,
    /// The views' names (`u₁`, the output's name), borrowed: a view prints many formulas.
    view_names: Option<&'g dyn ViewNames>,
    /// A node whose view name is not used (the output, in formulas about its own derivative).
    unnamed: Option<NodeId>,
    /// Printed sizes, by node (see `size`).
    sizes: RefCell<NodeMap<usize>>,
    /// Names as LaTeX writes them (`w_{1}`, `\\alpha`), by node: made once, written often.
    latex_names: RefCell<NodeMap<String>>,
}

impl<'g> Printer<'g> {
    pub fn new(graph: &'g Graph) -> Printer<'g> {
        Printer {
            graph,
            names: NodeMap::default(),
            view_names: None,
            unnamed: None,
            sizes: RefCell::default(),
            latex_names: RefCell::default(),
        }
    }

    /// A printer that also prints `names` instead of expressions (let-names `u₁`, the output's
    /// name), except for `unnamed`.
    pub fn with_names(graph: &'g Graph, names: &'g dyn ViewNames, unnamed: Option<NodeId>) -> Printer<'g> {
        Printer {
            graph,
            names: NodeMap::default(),
            view_names: Some(names),
            unnamed,
            sizes: RefCell::default(),
            latex_names: RefCell::default(),
        }
    }

    fn name(&self, id: NodeId) -> Option<&str> {
        self.names
            .get(&id)
            .map(String::as_str)
            .or_else(|| self.view_names.filter(|_| self.unnamed != Some(id)).and_then(|names| names.view_name(id)))
            .or_else(|| self.graph.name_of(id))
    }

    /// Numbers the large subexpressions that `roots` share, and returns them in an order in
    /// which each definition only uses earlier ones.
    pub fn share(&mut self, roots: &[NodeId]) -> Vec<(String, NodeId)> {
        // Dense tables by node index: a gradient's printed DAG holds most of the graph, and
        // vectors beat hash maps several times over at hundreds of thousands of nodes.
        let order = self.printed_order(roots);
        let mut uses = vec![0usize; self.graph.len()];
        for &r in roots {
            uses[r.index()] += 1;
        }
        for &id in &order {
            if !self.graph.is_named(id) {
                for &c in self.graph.inputs(id) {
                    uses[c.index()] += 1;
                }
            }
        }
        let mut size = vec![0usize; self.graph.len()];
        let mut shared = Vec::new();
        let mut counter = 0;
        for &id in &order {
            let own = if self.graph.is_named(id) || self.graph.inputs(id).is_empty() {
                1
            } else {
                1 + self.graph.inputs(id).iter().map(|c| size[c.index()]).sum::<usize>()
            };
            let count = uses[id.index()];
            let worth_naming = own >= SHARE_MIN_SIZE
                && count >= 2
                && (own - 1) * (count - 1) >= SHARE_SAVING
                && !self.graph.is_named(id);
            if worth_naming {
                // t₁, t₂, …, skipping a name the expression already uses as a variable.
                let name = loop {
                    counter += 1;
                    let candidate = format!("t{}", subscript(counter));
                    if self.graph.find_variable(&candidate).is_none() {
                        break candidate;
                    }
                };
                self.names.insert(id, name.clone());
                shared.push((name, id));
                size[id.index()] = 1;
            } else {
                size[id.index()] = own;
            }
        }
        self.sizes.borrow_mut().clear();
        self.latex_names.borrow_mut().clear();
        shared
    }

    /// Post-order of the nodes printed for `roots`, not descending into named nodes.
    fn printed_order(&self, roots: &[NodeId]) -> Vec<NodeId> {
        let mut is_root = vec![false; self.graph.len()];
        for r in roots {
            is_root[r.index()] = true;
        }
        let mut seen = vec![false; self.graph.len()];
        let mut order = Vec::new();
        let mut stack: Vec<(NodeId, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
        while let Some((id, done)) = stack.pop() {
            if done {
                order.push(id);
                continue;
            }
            if std::mem::replace(&mut seen[id.index()], true) {
                continue;
            }
            stack.push((id, true));
            if !self.graph.is_named(id) || is_root[id.index()] {
                for &c in self.graph.inputs(id).iter().rev() {
                    stack.push((c, false));
                }
            }
        }
        order
    }

    /// How many operations and names the text of `id` prints (saturating: a DAG can print
    /// exponentially many). Linear in the nodes below `id`, with a memo shared by all calls.
    pub fn size(&self, id: NodeId) -> usize {
        let mut memo = self.sizes.borrow_mut();
        let mut stack = vec![(id, false)];
        while let Some((node, ready)) = stack.pop() {
            if memo.contains_key(&node) {
                continue;
            }
            let inputs = self.graph.inputs(node);
            if self.name(node).is_some() || inputs.is_empty() {
                memo.insert(node, 1);
            } else if ready {
                let total = inputs.iter().fold(1usize, |acc, c| acc.saturating_add(memo[c]));
                memo.insert(node, total);
            } else {
                stack.push((node, true));
                stack.extend(inputs.iter().filter(|c| !memo.contains_key(c)).map(|&c| (c, false)));
            }
        }
        memo[&id]
    }

    /// The text of `id`, or `None` when it would print more than `limit` operations: for views
    /// that show a formula beside other things (a step, a legend, a verdict), where a formula
    /// of a million operations would drown them.
    pub fn text_within(&self, id: NodeId, limit: usize) -> Option<String> {
        (self.size(id) <= limit).then(|| self.text(id))
    }

    /// The expression, using names for named nodes (the root included).
    pub fn text(&self, id: NodeId) -> String {
        self.render(id, Style::Text, false)
    }

    pub fn latex(&self, id: NodeId) -> String {
        self.render(id, Style::Latex, false)
    }

    /// The definition of a named node: its expression, not its name.
    pub fn definition(&self, id: NodeId, style: Style) -> String {
        self.render(id, style, true)
    }

    fn render(&self, id: NodeId, style: Style, expand_root: bool) -> String {
        // Most formulas are a line long: one allocation instead of a string grown five times.
        let mut out = String::with_capacity(128);
        Writer { printer: self, style, out: &mut out, expand: expand_root.then_some(id) }.node(id, Level::Sum);
        out
    }
}
