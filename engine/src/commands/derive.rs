//! `derive`: symbolic partial derivatives, and with `--at` their values checked by finite
//! differences. A request goes in, a report comes out; the report renders as text, LaTeX or
//! JSON (docs/json.md).

use super::steps::{Steps, derivation};
use super::table::render_table;
use crate::error::{Error, Phrase, Result, both};
use crate::format::{ascii, format_number, latex_number};
use crate::graph::build::Function;
use crate::graph::{Graph, NodeId};
use crate::lang::Lang;
use crate::numeric::point::{Assignment, domain_error, parse_at_lenient, parse_wrt};
use crate::numeric::{self, DomainError, FiniteDifference, NoDifference};
use crate::print::{Printer, Style, latex_prose};
use crate::said::Said;
use crate::symbolic::diff::gradient;
use serde_json::{Value, json};
use std::fmt::Write;

#[derive(Clone, Debug, Default)]
pub struct DeriveRequest {
    /// The expression text.
    pub expression: String,
    /// What to call the expression in error messages (`expression`, a file name, `stdin`).
    pub source_name: String,
    pub wrt: Option<String>,
    /// `--at` points (`w=0.5,x=1.5`), each checked on its own; empty for none.
    pub at: Vec<String>,
    /// Also explain the derivation step by step.
    pub steps: bool,
}

#[derive(Clone, Debug)]
pub struct Partial {
    pub wrt: String,
    pub text: String,
    node: NodeId,
}

/// A partial's value at a point, three ways.
#[derive(Clone, Debug)]
pub struct PartialValue {
    /// The printed formula, evaluated.
    pub value: f64,
    /// The same partial by the numeric reverse pass (it must equal `value`).
    pub reverse_mode: f64,
    /// The difference, or why there is none (its stencil leaves the domain).
    pub finite_difference: std::result::Result<FiniteDifference, Phrase>,
    /// A part of the function that sits on a kink at this point (`abs(x)` at x = 0) and
    /// depends on the variable: there the function may have no derivative, and no difference
    /// can say it has one.
    pub kink: Option<String>,
}

impl PartialValue {
    /// ✓ a finite difference agrees, ✗ it does not, – none can be taken or the point is on a kink.
    fn mark(&self) -> &'static str {
        match &self.finite_difference {
            Ok(_) if self.kink.is_some() => "–",
            Ok(fd) if numeric::agrees(self.value, *fd) => "✓",
            Ok(_) => "✗",
            Err(_) => "–",
        }
    }

    fn agrees(&self) -> Option<bool> {
        match (&self.finite_difference, &self.kink) {
            (Ok(fd), None) => Some(numeric::agrees(self.value, *fd)),
            _ => None,
        }
    }
}

/// The output and every partial at one `--at` point.
#[derive(Clone, Debug)]
pub struct PointValues {
    pub at: Vec<Assignment>,
    pub value: f64,
    pub partials: Vec<PartialValue>,
}

#[derive(Clone, Debug)]
pub struct Definition {
    pub name: String,
    pub text: String,
    node: NodeId,
}

impl Definition {
    /// `name = …` for a node (its LaTeX is written when asked for: `DeriveReport::latex`).
    fn of(printer: &Printer, name: &str, id: NodeId) -> Definition {
        Definition { name: name.to_string(), text: printer.definition(id, Style::Text), node: id }
    }
}

/// The LaTeX of a report's formulas, in the order of its definitions, shared parts and
/// partials. Written only when the LaTeX or JSON form is asked for: text output, the common
/// case, never needs it.
#[derive(Clone, Debug)]
struct Latex {
    definitions: Vec<String>,
    shared: Vec<String>,
    partials: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct DeriveReport {
    pub input: String,
    pub output_name: String,
    pub variables: Vec<String>,
    /// Named intermediates as the user defined them, the output last.
    pub definitions: Vec<Definition>,
    pub partials: Vec<Partial>,
    /// One entry per `--at` point (one, with no variables: the program's own values).
    pub points: Vec<PointValues>,
    /// Things worth saying that are not errors (`e` read as a variable, an unused `--at` name).
    pub notes: Vec<Phrase>,
    /// Numbered shared subexpressions (`t₁ = …`) that partial texts refer to.
    pub shared: Vec<Definition>,
    pub function_nodes: usize,
    pub gradient_nodes: usize,
    pub steps: Option<Steps>,
    /// The language of its words (`at`, `finite difference ✓`): formulas and numbers are the same.
    pub lang: Lang,
    /// The graph the formulas are nodes of, for their LaTeX.
    graph: Box<Graph>,
    latex: std::cell::OnceCell<Latex>,
}

pub fn derive(request: &DeriveRequest) -> Result<DeriveReport> {
    let source = request.source_name.as_str();
    let in_expression = |e: Error| e.in_source(source, &request.expression);
    let mut function = Function::parse(&request.expression).map_err(in_expression)?;
    let targets = match &request.wrt {
        Some(text) => parse_wrt(&function, text)?,
        None => function.default_targets(),
    };
    let mut notes = function.notes();
    // A program without free variables (micrograd's `a = -4; b = 2; …`) has its values already.
    let mut at = Vec::new();
    for text in &request.at {
        let (assignments, unused) = parse_at_lenient(&function, text)?;
        notes.extend(unused);
        at.push(assignments);
    }
    if at.is_empty() && function.variables.is_empty() {
        at.push(Vec::new());
    }

    let output = function.output;
    let target_nodes: Vec<NodeId> = targets.iter().map(|t| t.1).collect();
    let grad = gradient(&mut function.graph, output, &target_nodes);
    let steps = request.steps.then(|| {
        let adjoints = grad.adjoints(&mut function.graph);
        derivation(&function, &grad, &adjoints, &targets)
    });
    let graph = &function.graph;

    // The input is echoed as written, before the partials' shared parts get numbers (`t₁`),
    // which the student never wrote.
    let definitions = definitions(&function, &Printer::new(graph));
    let mut printer = Printer::new(graph);
    let shared_nodes = printer.share(&grad.partials);
    let shared = shared_nodes.iter().map(|(name, id)| Definition::of(&printer, name, *id)).collect();

    let partials: Vec<Partial> = targets
        .iter()
        .zip(&grad.partials)
        .map(|((name, _), &p)| Partial { wrt: name.clone(), text: printer.text(p), node: p })
        .collect();
    let mut points = Vec::with_capacity(at.len());
    for assignments in at {
        let given: Vec<(NodeId, f64)> = assignments.iter().map(|a| (a.node, a.value)).collect();
        let domain = |e: DomainError| domain_error(&function, e, source, &request.expression);
        let values = numeric::evaluate(graph, &[output], &given).map_err(domain)?;
        let reverse = numeric::adjoints(graph, output, &target_nodes, &values).map_err(domain)?;
        let symbolic_values = numeric::evaluate(graph, &grad.partials, &given).map_err(|e| {
            let part = Printer::new(graph).text_within(e.node, 60);
            let (en, zh) = (&e.reason.en, e.reason.chinese());
            Error::new(match part {
                Some(t) => both(
                    format!("a derivative has no value at this point: `{t}` {en}"),
                    format!("有一个导数在这一点没有值：`{t}` {zh}"),
                ),
                None => both(
                    format!("a derivative has no value at this point: a part of it {en}"),
                    format!("有一个导数在这一点没有值：它的一部分{zh}"),
                ),
            })
        })?;
        let kinks = numeric::kinks(graph, output, &target_nodes, &values);
        let partial_values = targets
            .iter()
            .zip(&grad.partials)
            .zip(kinks)
            .map(|(((wrt, node), &p), kink)| PartialValue {
                kink: kink.map(|k| Printer::new(graph).text_within(k, 60).unwrap_or_else(|| kink_name(graph, k))),
                value: symbolic_values[p],
                reverse_mode: reverse.or(*node, 0.0),
                // A variable is moved; a named intermediate is moved at its node, its inputs held.
                finite_difference: numeric::central_difference(
                    graph,
                    output,
                    *node,
                    values.get(*node).unwrap_or(0.0),
                    &given,
                )
                .map_err(|no| no_difference(&function, wrt, no)),
            })
            .collect();
        points.push(PointValues { at: assignments, value: values[output], partials: partial_values });
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
        partials,
        points,
        notes,
        shared,
        function_nodes,
        gradient_nodes,
        steps,
        lang: Lang::En,
        graph: Box::new(function.graph),
        latex: std::cell::OnceCell::new(),
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
    /// The formulas in LaTeX, written on first use with the same numbering of shared parts as
    /// the text (`share` is deterministic).
    fn latex(&self) -> &Latex {
        self.latex.get_or_init(|| {
            let mut printer = Printer::new(&self.graph);
            let roots: Vec<NodeId> = self.partials.iter().map(|p| p.node).collect();
            printer.share(&roots);
            let definition = |d: &Definition| printer.definition(d.node, Style::Latex);
            Latex {
                definitions: self.definitions.iter().map(definition).collect(),
                shared: self.shared.iter().map(definition).collect(),
                partials: roots.iter().map(|&p| printer.latex(p)).collect(),
            }
        })
    }

    fn partial_symbol(&self, wrt: &str) -> String {
        format!("∂{}/∂{}", self.output_name, wrt)
    }

    /// The single point's values, shown beside each formula; with several points a table
    /// follows the formulas instead.
    fn single(&self) -> Option<&PointValues> {
        match self.points.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    pub fn render_text(&self) -> String {
        let say = |s: Said| s.to(self.lang);
        let mut out = String::new();
        for d in &self.definitions {
            out.push_str(&format!("{} = {}\n", d.name, d.text));
        }
        if let Some(point) = self.single() {
            let value = format_number(point.value);
            match point.at.is_empty() {
                // No free variables: every value is in the statements.
                true => out.push_str(&format!("\n{} = {value}\n", self.output_name)),
                false => {
                    let at = say(Said::DeriveAt { point: point_text(&point.at) });
                    out.push_str(&format!("\n{at}\n{} = {value}\n", self.output_name))
                }
            }
        }
        if self.partials.is_empty() {
            out.push_str(&format!("\n{}\n", say(Said::DeriveConstant)));
        }
        if let Some(steps) = &self.steps {
            out.push_str(&steps.render_text(self.lang));
            out.push_str(&format!("\n{}\n", say(Said::DeriveAnswers)));
        } else {
            out.push('\n');
        }
        for (i, p) in self.partials.iter().enumerate() {
            let symbol = self.partial_symbol(&p.wrt);
            let _ = writeln!(out, "{symbol} = {}", p.text);
            let pad = " ".repeat(symbol.chars().count());
            if let Some(steps) = &self.steps {
                out.push_str(&format!("{pad}   [{}]\n", steps.finals[i].1.to(self.lang)));
            }
            if let Some(v) = self.single().map(|point| &point.partials[i]) {
                let check = match (&v.finite_difference, &v.kink) {
                    (Ok(fd), Some(kink)) => {
                        say(Said::FiniteDifferenceAtKink { value: format_number(fd.value), kink: kink.clone() })
                    }
                    (Ok(fd), None) => say(finite_difference_note(v.value, *fd, self.variables.contains(&p.wrt))),
                    (Err(why), _) => say(Said::NoFiniteDifference { why: why.clone() }),
                };
                out.push_str(&format!("{pad} = {}   {check}\n", format_number(v.value)));
            }
        }
        if !self.shared.is_empty() {
            out.push_str(&format!("\n{}\n", say(Said::DeriveWhere)));
            for s in &self.shared {
                out.push_str(&format!("  {} = {}\n", s.name, s.text));
            }
        }
        if self.points.len() > 1 {
            out.push_str(&self.points_table());
        }
        out
    }

    /// A row per point: its values, the output, and each partial with its difference check.
    fn points_table(&self) -> String {
        let names: Vec<&str> = self.points[0].at.iter().map(|a| a.name.as_str()).collect();
        let mut header: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        header.push(self.output_name.clone());
        header.extend(self.partials.iter().map(|p| self.partial_symbol(&p.wrt)));
        let mut rows = vec![header];
        for point in &self.points {
            let mut row: Vec<String> = point.at.iter().map(|a| format_number(a.value)).collect();
            row.push(format_number(point.value));
            row.extend(point.partials.iter().map(|v| format!("{} {}", format_number(v.value), v.mark())));
            rows.push(row);
        }
        format!("\n{}\n{}", Said::DerivePointsTable.to(self.lang), render_table(&rows))
    }

    pub fn render_latex(&self) -> String {
        let latex = self.latex();
        let mut lines = Vec::new();
        for (d, formula) in self.definitions.iter().zip(&latex.definitions) {
            lines.push(format!("{} &= {}", crate::print::latex_name(&d.name), formula));
        }
        for (s, formula) in self.shared.iter().zip(&latex.shared) {
            lines.push(format!("{} &= {}", crate::print::latex_name(&s.name), formula));
        }
        if let Some(steps) = &self.steps {
            lines.extend(steps.render_latex(self.lang));
        }
        let out_name = crate::print::latex_name(&self.output_name);
        for (i, p) in self.partials.iter().enumerate() {
            let mut line = format!(
                "\\frac{{\\partial {out_name}}}{{\\partial {}}} &= {}",
                crate::print::latex_name(&p.wrt),
                latex.partials[i]
            );
            if let Some(v) = self.single().map(|point| point.partials[i].value) {
                line.push_str(&format!(" = {}", latex_number(&format_number(v))));
            }
            if let Some(steps) = &self.steps
                && let Some((_, note)) = steps.finals.iter().find(|f| f.0 == p.wrt)
            {
                line.push_str(&format!(" && {}", latex_prose(&note.to(self.lang))));
            }
            lines.push(line);
        }
        format!("\\begin{{aligned}}\n{}\n\\end{{aligned}}\n", lines.join(" \\\\\n"))
    }

    pub fn to_json(&self) -> Value {
        let at_json = |at: &[Assignment]| {
            Value::Object(at.iter().map(|a| (a.name.clone(), json!(a.value))).collect::<serde_json::Map<_, _>>())
        };
        let value_json = |v: &PartialValue| {
            let fd = v.finite_difference.as_ref().ok();
            json!({
                "value": v.value,
                "reverse_mode": v.reverse_mode,
                "finite_difference": fd.map(|fd| fd.value),
                "agrees": v.agrees(),
                "no_difference": v.finite_difference.as_ref().err().map(|why| if self.lang == Lang::Zh { why.chinese() } else { why.en.as_str() }),
                "kink": v.kink,
            })
        };
        let first = self.points.first();
        let latex = self.latex();
        let definitions = |ds: &[Definition], formulas: &[String]| {
            ds.iter()
                .zip(formulas)
                .map(|(d, latex)| json!({"name": d.name, "text": d.text, "latex": latex}))
                .collect::<Vec<_>>()
        };
        json!({
            "input": self.input,
            "output": self.output_name,
            "variables": self.variables,
            "at": first.map(|p| at_json(&p.at)),
            "value": first.map(|p| p.value),
            "partials": self.partials.iter().enumerate().map(|(i, p)| {
                let mut entry = json!({"wrt": p.wrt, "text": p.text, "latex": latex.partials[i]});
                let values = match first {
                    Some(point) => value_json(&point.partials[i]),
                    None => json!({"value": null, "reverse_mode": null, "finite_difference": null, "agrees": null, "no_difference": null, "kink": null}),
                };
                for (k, v) in values.as_object().into_iter().flatten() {
                    entry[k] = v.clone();
                }
                entry
            }).collect::<Vec<_>>(),
            "points": self.points.iter().map(|point| json!({
                "at": at_json(&point.at),
                "value": point.value,
                "partials": self.partials.iter().zip(&point.partials).map(|(p, v)| {
                    let mut entry = value_json(v);
                    entry["wrt"] = json!(p.wrt);
                    entry
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "notes": self.notes.iter().map(|n| if self.lang == Lang::Zh { n.chinese() } else { n.en.as_str() }).collect::<Vec<_>>(),
            "definitions": definitions(&self.definitions, &latex.definitions),
            "shared": definitions(&self.shared, &latex.shared),
            "graph": {"function_nodes": self.function_nodes, "gradient_nodes": self.gradient_nodes},
            "steps": self.steps.as_ref().map(|s| s.to_json(self.lang)),
        })
    }
}

/// A kink too large to print, by its function: `relu(…)`, `[… > 0]`.
fn kink_name(graph: &crate::graph::Graph, node: NodeId) -> String {
    match graph.op(node) {
        crate::graph::Op::Call(f, _) => format!("{}(…)", f.name()),
        _ => "[… > 0]".into(),
    }
}

/// `w = 0.5, x = 1.5`
fn point_text(at: &[Assignment]) -> String {
    at.iter().map(|a| format!("{} = {}", a.name, format_number(a.value))).collect::<Vec<_>>().join(", ")
}

/// Why a partial has no finite difference, in words: the stencil's point and what failed there.
fn no_difference(function: &Function, wrt: &str, no: NoDifference) -> Phrase {
    let printer = Printer::new(&function.graph);
    let (node, node_zh) = match printer.size(function.graph.definition(no.error.node)) {
        size if size <= 60 => {
            let part = format!("`{}`", printer.definition(no.error.node, Style::Text));
            (part.clone(), format!("{part} "))
        }
        _ => ("a part of the expression".to_string(), "表达式的一部分".to_string()),
    };
    let at = ascii(&format_number(no.at));
    let (en, zh) = (&no.error.reason.en, no.error.reason.chinese());
    both(
        format!("next to the point, at {wrt} = {at}, {node} {en}"),
        format!("在这一点附近 {wrt} = {at} 处，{node_zh}{zh}"),
    )
}

fn finite_difference_note(value: f64, fd: FiniteDifference, variable: bool) -> Said {
    Said::FiniteDifference {
        at_node: !variable,
        value: format_number(fd.value),
        disagrees: (!numeric::agrees(value, fd)).then(|| format!("{:.1e}", numeric::relative_error(value, fd.value))),
    }
}
