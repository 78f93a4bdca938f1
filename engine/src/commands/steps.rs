//! `derive --steps`: the chain rule, node by node, from the same derivation as the answer.
//!
//! Unnamed operations get let-names (`u₁ = w·x`); the backward pass then gives, for every node
//! between the output and the variables, ∂f/∂node as the sum over its users of
//! ∂f/∂user · ∂user/∂node, naming the rule of each local derivative. The adjoints printed here
//! are the very nodes `symbolic::diff` built, and the last line of each partial is the printed
//! answer, so the steps cannot disagree with it.

use super::grad::node_names;
use crate::graph::build::Function;
use crate::graph::number::Number;
use crate::graph::rules::{local_derivatives, rule_name};
use crate::graph::{NodeId, Op};
use crate::print::{Printer, Style, latex_name};
use crate::symbolic::diff::Gradient;
use crate::symbolic::simplify::{Simplifier, Tidied};
use std::collections::HashMap;

/// One line of the derivation: `target = chain = result   [rules]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// `∂f/∂u₁`
    pub target: String,
    pub target_latex: String,
    /// `∂f/∂u₂·∂u₂/∂u₁ + …`: the chain rule written out (empty at the first node).
    pub chain: String,
    pub chain_latex: String,
    /// The same with the adjoints and local derivatives filled in.
    pub substituted: String,
    pub substituted_latex: String,
    /// ∂f/∂node, in terms of the let-names.
    pub result: String,
    pub result_latex: String,
    /// The rules used, e.g. "chain rule; product rule".
    pub rules: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Steps {
    /// `u₁ = w·x`, in topological order, then the output.
    pub lets: Vec<(String, String, String)>,
    pub steps: Vec<Step>,
    /// For each partial: (variable, how the answer was simplified).
    pub finals: Vec<(String, String)>,
}

/// The steps for ∂output/∂targets, given the gradient computed for them.
pub fn derivation(function: &mut Function, gradient: &Gradient, targets: &[(String, NodeId)]) -> Steps {
    let output = function.output;
    let order = function.graph.topological_order(&[output]);
    let target_nodes: Vec<NodeId> = targets.iter().map(|t| t.1).collect();
    let depends = function.graph.depends_on(&order, &target_nodes);
    let mut names = node_names(function, &order);
    for (name, id) in function.variables.iter().chain(&function.intermediates) {
        names.entry(*id).or_insert_with(|| name.clone());
    }

    // Users of each node on a path to a target, in topological order.
    let mut users: HashMap<NodeId, Vec<(NodeId, usize)>> = HashMap::new();
    for &id in &order {
        if !depends[&id] {
            continue;
        }
        for (k, input) in function.graph.inputs(id).iter().enumerate() {
            if depends[input] {
                users.entry(*input).or_default().push((id, k));
            }
        }
    }

    // Local derivatives through the one rule set, built in the same arena as the answer.
    let mut locals: HashMap<(NodeId, usize), NodeId> = HashMap::new();
    for &id in &order {
        let op = function.graph.op(id).clone();
        let inputs = op.inputs().to_vec();
        if inputs.is_empty() || !depends[&id] {
            continue;
        }
        let wanted: Vec<bool> = inputs.iter().map(|i| depends[i]).collect();
        let ds = local_derivatives(&mut Simplifier::new(&mut function.graph), &op, &inputs, id, &wanted);
        for (k, d) in ds.into_iter().enumerate() {
            if let Some(d) = d {
                locals.insert((id, k), d);
            }
        }
    }

    let graph = &function.graph;
    // Formulas name the let-bound nodes but not the output: σ(u₂)·(1 − σ(u₂)), not f·(1 − f).
    let mut printer = Printer::new(graph);
    let mut inner_names = names.clone();
    if !graph.is_named(output) {
        inner_names.remove(&output);
    }
    printer.add_names(&inner_names);
    let partial = |of: &str, node: NodeId, style: Style| -> String {
        match (style, names.get(&node)) {
            (Style::Text, Some(wrt)) => format!("∂{of}/∂{wrt}"),
            (Style::Text, None) => format!("∂{of}/∂({})", printer.text(node)),
            (Style::Latex, Some(wrt)) => {
                format!("\\frac{{\\partial {}}}{{\\partial {}}}", latex_name(of), latex_name(wrt))
            }
            (Style::Latex, None) => {
                format!("\\frac{{\\partial {}}}{{\\partial ({})}}", latex_name(of), printer.latex(node))
            }
        }
    };
    let out_name = function.output_name.clone();
    // A factor in a written-out product: parenthesized when it is a sum or negative.
    let factor = |node: NodeId, style: Style| -> String {
        let text = match style {
            Style::Text => printer.text(node),
            Style::Latex => printer.latex(node),
        };
        let negative = matches!(graph.op(node), Op::Mul(xs) if graph.as_const(xs[0]).is_some_and(Number::is_negative))
            || graph.as_const(node).is_some_and(Number::is_negative);
        if (matches!(graph.op(node), Op::Add(_)) || negative) && !names.contains_key(&node) {
            format!("({text})")
        } else {
            text
        }
    };
    let times = |style: Style| if style == Style::Text { "·" } else { " \\cdot " };

    let lets = order
        .iter()
        .filter(|id| names.contains_key(id) && !matches!(graph.op(**id), Op::Const(_) | Op::Var(_)))
        .map(|&id| (names[&id].clone(), printer.definition(id, Style::Text), printer.definition(id, Style::Latex)))
        .collect();

    let mut steps = Vec::new();
    for &id in order.iter().rev() {
        if id == output || !depends[&id] || matches!(graph.op(id), Op::Const(_)) {
            continue;
        }
        let Some(&adjoint) = gradient.adjoints.get(&id) else { continue };
        let node_users = users.get(&id).cloned().unwrap_or_default();
        let mut rules: Vec<String> = Vec::new();
        let mut chain = (Vec::new(), Vec::new());
        let mut substituted = (Vec::new(), Vec::new());
        for &(user, k) in &node_users {
            let local = locals[&(user, k)];
            let divisor = matches!(graph.op(id), Op::Pow([_, e]) if graph.as_const(*e).is_some_and(Number::is_negative))
                && matches!(graph.op(user), Op::Mul(_));
            let constant_multiple = matches!(graph.op(user), Op::Mul(xs)
                if xs.iter().enumerate().all(|(j, x)| j == k || graph.as_const(*x).is_some()));
            let rule = if constant_multiple {
                "constant multiple".to_string()
            } else {
                rule_name(graph.op(user), k, divisor).to_string()
            };
            if !rules.contains(&rule) {
                rules.push(rule);
            }
            for (style, written, filled) in
                [(Style::Text, &mut chain.0, &mut substituted.0), (Style::Latex, &mut chain.1, &mut substituted.1)]
            {
                if user == output {
                    // With other paths too, the output's own use is the *direct* partial.
                    let direct = partial(&out_name, id, style);
                    written.push(match (node_users.len() > 1, style) {
                        (false, _) => direct,
                        (true, Style::Text) => format!("{direct}|direct"),
                        (true, Style::Latex) => format!("\\left.{direct}\\right|_{{\\text{{direct}}}}"),
                    });
                    let plain = if style == Style::Text { printer.text(local) } else { printer.latex(local) };
                    filled.push(if node_users.len() == 1 { plain } else { factor(local, style) });
                } else {
                    let user_name = names.get(&user).cloned().unwrap_or_else(|| format!("({})", printer.text(user)));
                    written.push(format!(
                        "{}{}{}",
                        partial(&out_name, user, style),
                        times(style),
                        partial(&user_name, id, style)
                    ));
                    // A user whose every contribution was zero has no adjoint: its term is 0.
                    let user_factor = match gradient.adjoints.get(&user) {
                        Some(&a) => factor(a, style),
                        None => "0".to_string(),
                    };
                    filled.push(format!("{user_factor}{}{}", times(style), factor(local, style)));
                }
            }
        }
        let mut rule_text =
            if node_users.iter().any(|(u, _)| *u != output) { "chain rule".to_string() } else { String::new() };
        if node_users.len() > 1 {
            let via: Vec<String> =
                node_users.iter().map(|(u, _)| names.get(u).cloned().unwrap_or_else(|| printer.text(*u))).collect();
            rule_text = format!("{} paths (via {}): sum over paths; chain rule", node_users.len(), via.join(", "));
        }
        for r in rules {
            if !rule_text.is_empty() {
                rule_text.push_str("; ");
            }
            rule_text.push_str(&r);
        }
        let direct = node_users.len() == 1 && node_users[0].0 == output;
        steps.push(Step {
            target: partial(&out_name, id, Style::Text),
            target_latex: partial(&out_name, id, Style::Latex),
            chain: if direct { String::new() } else { chain.0.join(" + ") },
            chain_latex: if direct { String::new() } else { chain.1.join(" + ") },
            substituted: substituted.0.join(" + "),
            substituted_latex: substituted.1.join(" + "),
            result: printer.text(adjoint),
            result_latex: printer.latex(adjoint),
            rules: rule_text,
        });
    }
    let substitution: Vec<String> = order
        .iter()
        .filter(|id| names.get(id).is_some_and(|n| n.starts_with('u')) && !graph.is_named(**id))
        .filter(|id| !matches!(graph.op(**id), Op::Var(_)) && **id != output)
        .map(|id| names[id].clone())
        .collect();
    let finals = targets
        .iter()
        .zip(&gradient.tidied)
        .map(|((name, _), how)| {
            let note = match (substitution.is_empty(), how) {
                (true, Tidied::AsBuilt) => "as the chain rule built it".to_string(),
                (true, _) => how.describe().to_string(),
                (false, Tidied::AsBuilt) => format!("{} substituted back", substitution.join(", ")),
                (false, _) => format!("{} substituted back; {}", substitution.join(", "), how.describe()),
            };
            (name.clone(), note)
        })
        .collect();
    Steps { lets, steps, finals }
}

impl Steps {
    pub fn render_text(&self, output_name: &str) -> String {
        let mut out = String::new();
        if !self.lets.is_empty() {
            out.push_str("let\n");
            for (name, text, _) in &self.lets {
                out.push_str(&format!("  {name} = {text}\n"));
            }
        }
        out.push_str(&format!("\nbackward pass, from {output_name} down to the variables:\n"));
        for s in &self.steps {
            let pad = " ".repeat(s.target.chars().count());
            let mut line = format!("  {} = ", s.target);
            if !s.chain.is_empty() {
                line.push_str(&format!("{} = ", s.chain));
            }
            line.push_str(&s.substituted);
            out.push_str(&format!("{line}\n"));
            if s.result != s.substituted {
                out.push_str(&format!("  {pad} = {}\n", s.result));
            }
            if !s.rules.is_empty() {
                out.push_str(&format!("  {pad}   [{}]\n", s.rules));
            }
        }
        out
    }

    pub fn render_latex(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (name, _, latex) in &self.lets {
            lines.push(format!("{} &= {}", latex_name(name), latex));
        }
        for s in &self.steps {
            let mut line = format!("{} &= ", s.target_latex);
            if !s.chain_latex.is_empty() {
                line.push_str(&format!("{} = ", s.chain_latex));
            }
            line.push_str(&s.substituted_latex);
            if s.result_latex != s.substituted_latex {
                line.push_str(&format!(" = {}", s.result_latex));
            }
            if !s.rules.is_empty() {
                line.push_str(&format!(" && \\text{{{}}}", latex_text(&s.rules)));
            }
            lines.push(line);
        }
        lines
    }
}

/// Text that may sit inside `\text{…}`: escapes LaTeX's special characters and spells out
/// the symbols that only math mode knows.
pub fn latex_text(text: &str) -> String {
    // MathML shows Unicode (σ, u₁, ⁿ) as it is inside \text; only LaTeX's specials need escapes.
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '\\' | '{' | '}' | '$' | '&' | '#' | '_' | '%' | '^') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
