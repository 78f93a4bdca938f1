//! `derive --steps`: the chain rule, node by node, from the same derivation as the answer.
//!
//! The steps are built as data — which adjoint, which users, which local derivative, which
//! rule — and rendered per notation afterwards. Unnamed operations get let-names (`u₁ = w·x`,
//! from the view shared with `grad` and `graph`); the backward pass gives, for every node
//! between the output and the variables, ∂f/∂node as the sum over its users of
//! ∂f/∂user · ∂user/∂node. The adjoints shown are the very nodes `symbolic::diff` built, and the
//! last line of each partial is the printed answer, so the steps cannot disagree with it.

use super::view::View;
use crate::format::thousands;
use crate::graph::build::Function;
use crate::graph::number::Number;
use crate::graph::rules::rule_name;
use crate::graph::{Graph, NodeId, Op};
use crate::lang::Lang;
use crate::print::{Style, latex_name, latex_prose};
use crate::reverse::Adjoints;
use crate::said::steps::StepWords;
use crate::symbolic::diff::Gradient;
use crate::symbolic::tidy::Tidied;
use std::collections::HashMap;

/// A node printed in both notations.
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    pub text: String,
    pub latex: String,
    /// Whether it needs parentheses as a factor of a written-out product (a sum, a negative).
    pub compound: bool,
}

/// What a partial derivative is taken with respect to: a name, or an unnamed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Wrt {
    Name(String),
    Expression(Formula),
}

/// One path into a node: through a user's adjoint and local derivative, or straight from the
/// output (`via` is `None`).
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub via: Option<Wrt>,
    /// ∂f/∂user; `None` where every path into the user contributed zero.
    pub adjoint: Option<Formula>,
    /// ∂user/∂node; `None` where the user's adjoint is zero (the pass does not go on from it).
    pub local: Option<Formula>,
}

/// ∂f/∂node = Σ terms = result   [rules]
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub wrt: Wrt,
    pub terms: Vec<Term>,
    /// The simplified sum; `None` when it is too large to write out (the chain with the
    /// adjoints' symbols is then the step's answer).
    pub result: Option<Formula>,
    pub rules: Vec<StepWords>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Steps {
    pub output: String,
    /// `u₁ = w·x`, in topological order, then the output.
    pub lets: Vec<(String, Formula)>,
    pub steps: Vec<Step>,
    /// For each partial: (variable, how the answer was simplified).
    pub finals: Vec<(String, StepWords)>,
}

/// The largest adjoint a step writes out, in printed operations; a larger one is referred to
/// by its symbol, and a step whose result is larger shows the chain with those symbols only.
const STEP_FORMULA: usize = 40;
/// The largest local derivative a step writes out (a long product's has a factor per input).
const LOCAL_FORMULA: usize = 200;

/// The steps for ∂output/∂targets, given the gradient computed for them.
pub fn derivation(
    function: &Function,
    gradient: &Gradient,
    adjoints: &Adjoints<NodeId>,
    targets: &[(String, NodeId)],
) -> Steps {
    let view = View::new(function);
    let output = function.output;
    let target_nodes: Vec<NodeId> = targets.iter().map(|t| t.1).collect();
    let depends = function.graph.depends_on(&view.order, &target_nodes);
    let on_path = |n: NodeId| depends[n.index()];

    // Users of each shown node on a path to a target: (shown user, operation node, input number).
    let mut users: HashMap<NodeId, Vec<(NodeId, NodeId, usize)>> = HashMap::new();
    for &row in view.rows.iter().filter(|r| on_path(**r)) {
        let operation = view.operation(row);
        for (k, input) in function.graph.inputs(operation).iter().enumerate() {
            if on_path(*input) && operation != *input {
                users.entry(view.shown(*input)).or_default().push((row, operation, k));
            }
        }
    }
    let graph = &function.graph;
    // Formulas name the let-bound nodes but not the output: σ(u₂)·(1 − σ(u₂)), not f·(1 − f).
    let printer = view.printer(graph, false);
    // A formula too large to read in a step is described instead, so that the steps stay
    // linear in the expression (a step per node, each of bounded size).
    let formula = |node: NodeId| match printer.size(node) {
        size if size <= LOCAL_FORMULA => Formula {
            text: printer.text(node),
            latex: printer.latex(node),
            compound: view.name(node).is_none() && is_compound(graph, node),
        },
        size => Formula {
            text: format!("⟨a formula of {} operations⟩", thousands(size)),
            latex: format!("\\langle\\text{{a formula of {} operations}}\\rangle", thousands(size)),
            compound: false,
        },
    };
    // An adjoint too large to write out again is written as the symbol its own step defined
    // (∂f/∂u₅), which is how backpropagation is done by hand on a large graph.
    let output_symbol = Wrt::Name(view.output_name.clone());
    let adjoint_or_symbol = |adjoint: NodeId, user: &Wrt| match printer.size(adjoint) {
        size if size <= STEP_FORMULA => formula(adjoint),
        _ => Formula {
            text: Notation { style: Style::Text, lang: Lang::En }.partial(&output_symbol, user),
            latex: Notation { style: Style::Latex, lang: Lang::En }.partial(&output_symbol, user),
            compound: false,
        },
    };
    let lets = view
        .rows
        .iter()
        .filter(|r| !matches!(graph.op(view.operation(**r)), Op::Var(_)) && view.name(**r).is_some())
        .map(|&r| {
            let node = view.operation(r);
            let definition = Formula {
                text: printer.definition(node, Style::Text),
                latex: printer.definition(node, Style::Latex),
                compound: false,
            };
            (view.label(graph, r), definition)
        })
        .collect();

    let mut steps = Vec::new();
    for &row in view.rows.iter().rev() {
        if row == output || !on_path(row) {
            continue;
        }
        let Some(&adjoint) = adjoints.get(row) else { continue };
        let row_users = users.get(&row).cloned().unwrap_or_default();
        let mut rules = Vec::new();
        let mut terms = Vec::new();
        for &(user, operation, k) in &row_users {
            let divisor = matches!(graph.op(row), Op::Pow([_, e]) if graph.as_const(*e).is_some_and(Number::is_negative))
                && matches!(graph.op(operation), Op::Mul(_));
            let constant_multiple = matches!(graph.op(operation), Op::Mul(xs)
                if xs.iter().enumerate().all(|(j, x)| j == k || graph.as_const(*x).is_some()));
            let rule = if constant_multiple {
                StepWords::ConstantMultiple
            } else {
                StepWords::Rule(rule_name(graph.op(operation), k, divisor).to_string())
            };
            if !rules.contains(&rule) {
                rules.push(rule);
            }
            let via = match view.name(user) {
                Some(name) => Wrt::Name(name.to_string()),
                None => Wrt::Expression(formula(user)),
            };
            terms.push(Term {
                adjoint: adjoints.get(user).map(|a| adjoint_or_symbol(*a, &via)),
                via: (user != output).then_some(via),
                // The local derivative the reverse pass built for this edge.
                local: gradient.locals.get(&(operation, k)).map(|&l| formula(l)),
            });
        }
        let wrt = match view.name(row) {
            Some(name) => Wrt::Name(name.to_string()),
            None => Wrt::Expression(formula(row)),
        };
        let result = (printer.size(adjoint) <= STEP_FORMULA).then(|| formula(adjoint));
        steps.push(Step { wrt, terms, result, rules });
    }
    let names: Vec<String> = view
        .rows
        .iter()
        .filter(|r| **r != output && !graph.is_named(**r) && !matches!(graph.op(**r), Op::Var(_)))
        .filter_map(|r| view.name(*r).map(str::to_string))
        .collect();
    // Every answer names the let-names it substituted; a long list is written as its ends.
    let substitution = match names.as_slice() {
        [first, _, _, _, .., last] => format!("{first} … {last}"),
        _ => names.join(", "),
    };
    let finals = targets
        .iter()
        .zip(&gradient.tidied)
        .map(|((name, _), how)| {
            let tidied = (*how != Tidied::AsBuilt).then(|| how.describe());
            let note = StepWords::Answer { substituted: substitution.clone(), tidied };
            (name.clone(), note)
        })
        .collect();
    Steps { output: view.output_name.clone(), lets, steps, finals }
}

/// A sum or a negative quantity: parenthesized as a factor.
fn is_compound(graph: &Graph, node: NodeId) -> bool {
    let negative = matches!(graph.op(node), Op::Mul(xs) if graph.as_const(xs[0]).is_some_and(Number::is_negative))
        || graph.as_const(node).is_some_and(Number::is_negative);
    matches!(graph.op(node), Op::Add(_)) || negative
}

/// How one notation writes the pieces of a step.
struct Notation {
    style: Style,
    lang: Lang,
}

impl Notation {
    fn formula<'f>(&self, f: &'f Formula) -> &'f str {
        match self.style {
            Style::Text => &f.text,
            Style::Latex => &f.latex,
        }
    }

    fn factor(&self, f: &Formula) -> String {
        if f.compound { format!("({})", self.formula(f)) } else { self.formula(f).to_string() }
    }

    fn times(&self) -> &'static str {
        if self.style == Style::Text { "·" } else { " \\cdot " }
    }

    /// A name, or an unnamed expression in parentheses.
    fn symbol(&self, w: &Wrt) -> String {
        match (self.style, w) {
            (Style::Text, Wrt::Name(n)) => n.clone(),
            (Style::Text, Wrt::Expression(f)) => format!("({})", f.text),
            (Style::Latex, Wrt::Name(n)) => latex_name(n),
            (Style::Latex, Wrt::Expression(f)) => format!("({})", f.latex),
        }
    }

    /// ∂of/∂wrt
    fn partial(&self, of: &Wrt, wrt: &Wrt) -> String {
        let (of, wrt) = (self.symbol(of), self.symbol(wrt));
        match self.style {
            Style::Text => format!("∂{of}/∂{wrt}"),
            Style::Latex => format!("\\frac{{\\partial {of}}}{{\\partial {wrt}}}"),
        }
    }

    /// `∂f/∂u₂·∂u₂/∂u₁ + ∂f/∂x|direct` (empty when the only path is the output's own use).
    fn chain(&self, output: &Wrt, step: &Step) -> String {
        let direct_only = step.terms.len() == 1 && step.terms[0].via.is_none();
        if direct_only {
            return String::new();
        }
        let parts: Vec<String> = step
            .terms
            .iter()
            .map(|t| match &t.via {
                Some(user) => {
                    format!("{}{}{}", self.partial(output, user), self.times(), self.partial(user, &step.wrt))
                }
                None => {
                    let direct = self.partial(output, &step.wrt);
                    match self.style {
                        Style::Text => format!("{direct}|direct"),
                        Style::Latex => format!("\\left.{direct}\\right|_{{\\text{{direct}}}}"),
                    }
                }
            })
            .collect();
        parts.join(" + ")
    }

    /// The chain with every adjoint and local derivative filled in.
    fn substituted(&self, step: &Step) -> String {
        let single = step.terms.len() == 1;
        let parts: Vec<String> = step
            .terms
            .iter()
            .map(|t| match (&t.via, &t.adjoint, &t.local) {
                (None, _, Some(local)) if single => self.formula(local).to_string(),
                (None, _, Some(local)) => self.factor(local),
                (Some(_), Some(adjoint), Some(local)) => {
                    format!("{}{}{}", self.factor(adjoint), self.times(), self.factor(local))
                }
                // A user whose adjoint is zero contributes nothing.
                _ => "0".to_string(),
            })
            .collect();
        parts.join(" + ")
    }

    fn rules(&self, step: &Step) -> String {
        let mut parts = Vec::new();
        if step.terms.len() > 1 {
            let via: Vec<&str> = step
                .terms
                .iter()
                .map(|t| match &t.via {
                    Some(Wrt::Name(n)) => n.as_str(),
                    Some(Wrt::Expression(f)) => f.text.as_str(),
                    None => "",
                })
                .collect();
            let paths = StepWords::Paths { count: step.terms.len(), via: via.join(", ") };
            parts.push(paths.to(self.lang));
            parts.push(StepWords::ChainRule.to(self.lang));
        } else if step.terms.iter().any(|t| t.via.is_some()) {
            parts.push(StepWords::ChainRule.to(self.lang));
        }
        parts.extend(step.rules.iter().map(|r| r.to(self.lang)));
        parts.join(if self.lang == Lang::Zh { "；" } else { "; " })
    }
}

impl Steps {
    pub fn render_text(&self, lang: Lang) -> String {
        let n = Notation { style: Style::Text, lang };
        let mut out = String::new();
        if !self.lets.is_empty() {
            out.push_str(&format!("{}\n", StepWords::Let.to(lang)));
            for (name, definition) in &self.lets {
                out.push_str(&format!("  {name} = {}\n", definition.text));
            }
        }
        out.push_str(&format!("\n{}\n", StepWords::BackwardFrom { output: self.output.clone() }.to(lang)));
        for s in &self.steps {
            let target = n.partial(&Wrt::Name(self.output.clone()), &s.wrt);
            let pad = " ".repeat(target.chars().count());
            let chain = n.chain(&Wrt::Name(self.output.clone()), s);
            let substituted = n.substituted(s);
            let mut line = format!("  {target} = ");
            if !chain.is_empty() {
                line.push_str(&format!("{chain} = "));
            }
            line.push_str(&substituted);
            out.push_str(&format!("{line}\n"));
            if let Some(result) = s.result.as_ref().filter(|r| r.text != substituted) {
                out.push_str(&format!("  {pad} = {}\n", result.text));
            }
            let rules = self.rules_text(&n, s);
            if !rules.is_empty() {
                out.push_str(&format!("  {pad}   [{rules}]\n"));
            }
        }
        out
    }

    /// The rules of a step, with the output named where it uses the node directly.
    fn rules_text(&self, n: &Notation, step: &Step) -> String {
        let mut named = step.clone();
        for t in &mut named.terms {
            if t.via.is_none() && step.terms.len() > 1 {
                t.via = Some(Wrt::Name(self.output.clone()));
            }
        }
        n.rules(&named)
    }

    pub fn render_latex(&self, lang: Lang) -> Vec<String> {
        let n = Notation { style: Style::Latex, lang };
        let mut lines = Vec::new();
        for (name, definition) in &self.lets {
            lines.push(format!("{} &= {}", latex_name(name), definition.latex));
        }
        for s in &self.steps {
            let mut line = format!("{} &= ", n.partial(&Wrt::Name(self.output.clone()), &s.wrt));
            let chain = n.chain(&Wrt::Name(self.output.clone()), s);
            if !chain.is_empty() {
                line.push_str(&format!("{chain} = "));
            }
            let substituted = n.substituted(s);
            line.push_str(&substituted);
            if let Some(result) = s.result.as_ref().filter(|r| r.latex != substituted) {
                line.push_str(&format!(" = {}", result.latex));
            }
            let rules = self.rules_text(&n, s);
            if !rules.is_empty() {
                line.push_str(&format!(" && {}", latex_prose(&rules)));
            }
            lines.push(line);
        }
        lines
    }

    /// The steps as data, in both notations (the `steps` object of `derive --format json`).
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        use serde_json::json;
        let (t, l) = (Notation { style: Style::Text, lang }, Notation { style: Style::Latex, lang });
        json!({
            "lets": self.lets.iter().map(|(n, d)| json!({"name": n, "text": d.text, "latex": d.latex})).collect::<Vec<_>>(),
            "backward": self.steps.iter().map(|s| json!({
                "target": t.partial(&Wrt::Name(self.output.clone()), &s.wrt),
                "chain": t.chain(&Wrt::Name(self.output.clone()), s),
                "substituted": t.substituted(s),
                "result": s.result.as_ref().map(|r| r.text.clone()),
                "rules": self.rules_text(&t, s),
                "latex": {
                    "target": l.partial(&Wrt::Name(self.output.clone()), &s.wrt),
                    "chain": l.chain(&Wrt::Name(self.output.clone()), s),
                    "substituted": l.substituted(s),
                    "result": s.result.as_ref().map(|r| r.latex.clone()),
                },
            })).collect::<Vec<_>>(),
            "answers": self.finals.iter().map(|(w, n)| json!({"wrt": w, "note": n.to(lang)})).collect::<Vec<_>>(),
        })
    }
}
