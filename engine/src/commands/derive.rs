//! `derive`: symbolic partial derivatives, and with `--at` their values checked by finite
//! differences. A request goes in, a report comes out; the report renders as text, LaTeX or
//! JSON (docs/json.md).

use super::steps::{Steps, derivation};
use crate::error::{Error, Result};
use crate::format::{ascii, format_number};
use crate::graph::NodeId;
use crate::graph::build::Function;
use crate::numeric::point::{Assignment, domain_error, parse_at, parse_wrt};
use crate::numeric::{self, DomainError, FiniteDifference, NoDifference};
use crate::print::{Printer, Style, latex_prose};
use crate::symbolic::diff::gradient;
use serde_json::{Value, json};

#[derive(Clone, Debug, Default)]
pub struct DeriveRequest {
    /// The expression text.
    pub expression: String,
    /// What to call the expression in error messages (`expression`, a file name, `stdin`).
    pub source_name: String,
    pub wrt: Option<String>,
    pub at: Option<String>,
    /// Also explain the derivation step by step.
    pub steps: bool,
}

#[derive(Clone, Debug)]
pub struct Partial {
    pub wrt: String,
    pub text: String,
    pub latex: String,
    pub value: Option<f64>,
    /// The same partial by the numeric reverse pass (it must equal `value`).
    pub reverse_mode: Option<f64>,
    /// With `--at`: the difference, or why there is none (its stencil leaves the domain).
    pub finite_difference: Option<std::result::Result<FiniteDifference, String>>,
}

#[derive(Clone, Debug)]
pub struct Definition {
    pub name: String,
    pub text: String,
    pub latex: String,
}

impl Definition {
    /// `name = …` for a node, in both notations.
    fn of(printer: &Printer, name: &str, id: NodeId) -> Definition {
        Definition {
            name: name.to_string(),
            text: printer.definition(id, Style::Text),
            latex: printer.definition(id, Style::Latex),
        }
    }
}

#[derive(Clone, Debug)]
pub struct DeriveReport {
    pub input: String,
    pub output_name: String,
    pub variables: Vec<String>,
    /// Named intermediates as the user defined them, the output last.
    pub definitions: Vec<Definition>,
    pub at: Option<Vec<Assignment>>,
    pub value: Option<f64>,
    pub partials: Vec<Partial>,
    /// Numbered shared subexpressions (`t₁ = …`) that partial texts refer to.
    pub shared: Vec<Definition>,
    pub function_nodes: usize,
    pub gradient_nodes: usize,
    pub steps: Option<Steps>,
}

pub fn derive(request: &DeriveRequest) -> Result<DeriveReport> {
    let source = request.source_name.as_str();
    let in_expression = |e: Error| e.in_source(source, &request.expression);
    let mut function = Function::parse(&request.expression).map_err(in_expression)?;
    let targets = match &request.wrt {
        Some(text) => parse_wrt(&function, text)?,
        None => function.default_targets(),
    };
    // A program without free variables (micrograd's `a = -4; b = 2; …`) has its values already.
    let at = match &request.at {
        Some(text) => Some(parse_at(&function, text)?),
        None if function.variables.is_empty() => Some(Vec::new()),
        None => None,
    };

    let output = function.output;
    let target_nodes: Vec<NodeId> = targets.iter().map(|t| t.1).collect();
    let grad = gradient(&mut function.graph, output, &target_nodes);
    let steps = request.steps.then(|| derivation(&function, &grad, &targets));
    let graph = &function.graph;

    let mut printer = Printer::new(graph);
    let shared_nodes = printer.share(&grad.partials);
    let definitions = definitions(&function, &printer);
    let shared = shared_nodes.iter().map(|(name, id)| Definition::of(&printer, name, *id)).collect();

    let mut partials: Vec<Partial> = targets
        .iter()
        .zip(&grad.partials)
        .map(|((name, _), &p)| Partial {
            wrt: name.clone(),
            text: printer.text(p),
            latex: printer.latex(p),
            value: None,
            reverse_mode: None,
            finite_difference: None,
        })
        .collect();

    let mut value = None;
    if let Some(assignments) = &at {
        let given: Vec<(NodeId, f64)> = assignments.iter().map(|a| (a.node, a.value)).collect();
        let domain = |e: DomainError| domain_error(&function, e, source, &request.expression);
        let values = numeric::evaluate(graph, &[output], &given).map_err(domain)?;
        value = Some(values[output]);
        let reverse = numeric::adjoints(graph, output, &target_nodes, &values).map_err(domain)?;
        let symbolic_values = numeric::evaluate(graph, &grad.partials, &given).map_err(|e| {
            let part = Printer::new(graph).text_within(e.node, 60).map_or("a part of it".into(), |t| format!("`{t}`"));
            Error::new(format!("a derivative has no value at this point: {part} {}", e.reason))
        })?;
        for ((partial, &node), &p) in partials.iter_mut().zip(&target_nodes).zip(&grad.partials) {
            partial.value = Some(symbolic_values[p]);
            partial.reverse_mode = Some(reverse.or(node, 0.0));
            // A variable is moved; a named intermediate is moved at its node, its inputs held.
            let at_node = values.get(node).unwrap_or(0.0);
            partial.finite_difference = Some(
                numeric::central_difference(graph, output, node, at_node, &given)
                    .map_err(|no| no_difference(&function, &partial.wrt, no)),
            );
        }
    }

    let function_nodes = graph.count_reachable(&[output]);
    let mut all = vec![output];
    all.extend(&grad.partials);
    let gradient_nodes = graph.count_reachable(&all);
    Ok(DeriveReport {
        input: request.expression.clone(),
        output_name: function.output_name.clone(),
        variables: function.variables.iter().map(|v| v.0.clone()).collect(),
        definitions,
        at,
        value,
        partials,
        shared,
        function_nodes,
        gradient_nodes,
        steps,
    })
}

/// The user's statements as printed definitions; a bare expression is called `f`.
fn definitions(function: &Function, printer: &Printer) -> Vec<Definition> {
    let mut out: Vec<Definition> =
        function.intermediates.iter().map(|(name, id)| Definition::of(printer, name, *id)).collect();
    if !function.intermediates.iter().any(|(_, id)| *id == function.output) {
        let id = function.output;
        out.push(Definition::of(printer, &function.output_name, id));
    }
    out
}

impl DeriveReport {
    fn partial_symbol(&self, wrt: &str) -> String {
        format!("∂{}/∂{}", self.output_name, wrt)
    }

    pub fn render_text(&self) -> String {
        let mut out = String::new();
        for d in &self.definitions {
            out.push_str(&format!("{} = {}\n", d.name, d.text));
        }
        if let Some(at) = &self.at {
            let point: Vec<String> = at.iter().map(|a| format!("{} = {}", a.name, format_number(a.value))).collect();
            let value = format_number(self.value.unwrap_or(f64::NAN));
            match point.is_empty() {
                // No free variables: every value is in the statements.
                true => out.push_str(&format!("\n{} = {value}\n", self.output_name)),
                false => out.push_str(&format!("\nat {}:\n{} = {value}\n", point.join(", "), self.output_name)),
            }
        }
        if self.partials.is_empty() {
            out.push_str("\n(no variables: the expression is a constant)\n");
        }
        if let Some(steps) = &self.steps {
            out.push_str(&steps.render_text());
            out.push_str("\nanswers:\n");
        } else {
            out.push('\n');
        }
        for (i, p) in self.partials.iter().enumerate() {
            let symbol = self.partial_symbol(&p.wrt);
            out.push_str(&format!("{symbol} = {}\n", p.text));
            if let Some(steps) = &self.steps {
                out.push_str(&format!("{}   [{}]\n", " ".repeat(symbol.chars().count()), steps.finals[i].1));
            }
            if let Some(v) = p.value {
                let pad = " ".repeat(symbol.chars().count());
                let check = match &p.finite_difference {
                    Some(Ok(fd)) => finite_difference_note(v, *fd, self.variables.contains(&p.wrt)),
                    Some(Err(why)) => format!("no finite difference: {why}"),
                    None => String::new(),
                };
                out.push_str(&format!("{pad} = {}   {check}\n", format_number(v)));
            }
        }
        if !self.shared.is_empty() {
            out.push_str("\nwhere\n");
            for s in &self.shared {
                out.push_str(&format!("  {} = {}\n", s.name, s.text));
            }
        }
        out
    }

    pub fn render_latex(&self) -> String {
        let mut lines = Vec::new();
        for d in &self.definitions {
            lines.push(format!("{} &= {}", crate::print::latex_name(&d.name), d.latex));
        }
        for s in &self.shared {
            lines.push(format!("{} &= {}", crate::print::latex_name(&s.name), s.latex));
        }
        if let Some(steps) = &self.steps {
            lines.extend(steps.render_latex());
        }
        let out_name = crate::print::latex_name(&self.output_name);
        for p in &self.partials {
            let mut line = format!(
                "\\frac{{\\partial {out_name}}}{{\\partial {}}} &= {}",
                crate::print::latex_name(&p.wrt),
                p.latex
            );
            if let Some(v) = p.value {
                line.push_str(&format!(" = {}", ascii(&format_number(v))));
            }
            if let Some(steps) = &self.steps
                && let Some((_, note)) = steps.finals.iter().find(|f| f.0 == p.wrt)
            {
                line.push_str(&format!(" && {}", latex_prose(note)));
            }
            lines.push(line);
        }
        format!("\\begin{{aligned}}\n{}\n\\end{{aligned}}\n", lines.join(" \\\\\n"))
    }

    pub fn to_json(&self) -> Value {
        let at = self.at.as_ref().map(|at| {
            let mut map = serde_json::Map::new();
            for a in at {
                map.insert(a.name.clone(), json!(a.value));
            }
            Value::Object(map)
        });
        json!({
            "input": self.input,
            "output": self.output_name,
            "variables": self.variables,
            "at": at,
            "value": self.value,
            "partials": self.partials.iter().map(|p| json!({
                "wrt": p.wrt,
                "text": p.text,
                "latex": p.latex,
                "value": p.value,
                "reverse_mode": p.reverse_mode,
                "finite_difference": p.finite_difference.as_ref().and_then(|fd| fd.as_ref().ok()).map(|fd| fd.value),
                "agrees": match (p.value, &p.finite_difference) {
                    (Some(v), Some(Ok(fd))) => Some(numeric::agrees(v, *fd)),
                    _ => None,
                },
                "no_difference": p.finite_difference.as_ref().and_then(|fd| fd.as_ref().err()),
            })).collect::<Vec<_>>(),
            "definitions": self.definitions.iter().map(|d| json!({"name": d.name, "text": d.text, "latex": d.latex})).collect::<Vec<_>>(),
            "shared": self.shared.iter().map(|d| json!({"name": d.name, "text": d.text, "latex": d.latex})).collect::<Vec<_>>(),
            "graph": {"function_nodes": self.function_nodes, "gradient_nodes": self.gradient_nodes},
            "steps": self.steps.as_ref().map(Steps::to_json),
        })
    }
}

/// Why a partial has no finite difference, in words: the stencil's point and what failed there.
fn no_difference(function: &Function, wrt: &str, no: NoDifference) -> String {
    let printer = Printer::new(&function.graph);
    let node = match printer.size(function.graph.definition(no.error.node)) {
        size if size <= 60 => format!("`{}`", printer.definition(no.error.node, Style::Text)),
        _ => "a part of the expression".to_string(),
    };
    format!("next to the point, at {wrt} = {}, {node} {}", ascii(&format_number(no.at)), no.error.reason)
}

fn finite_difference_note(value: f64, fd: FiniteDifference, variable: bool) -> String {
    let at = if variable { "" } else { " at the node" };
    if numeric::agrees(value, fd) {
        format!("finite difference{at} {} ✓", format_number(fd.value))
    } else {
        format!(
            "finite difference{at} {} ✗ (relative error {:.1e}: the function may not be differentiable here)",
            format_number(fd.value),
            numeric::relative_error(value, fd.value)
        )
    }
}
