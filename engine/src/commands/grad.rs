//! `grad`: the forward and the backward pass as a table, one row per node in topological
//! order — its value, its local derivatives, its adjoint ∂f/∂node (with each contribution when
//! the node feeds several others) — and, with `--mode forward`, the same gradient by
//! forward-mode tangents, with the number of passes and operations of each mode.

use super::table::render_table;
use super::view::View;
use crate::error::{Error, Result, both};
use crate::format::{format_number, format_significant, latex_number};
use crate::graph::NodeId;
use crate::graph::build::Function;
use crate::numeric::point::domain_error;
use crate::numeric::point::{Assignment, parse_at_lenient};
use crate::numeric::{self, DomainError, NumericBackward, Values, round_to};
use crate::print::{Printer, Style, latex_name};
use crate::reverse;
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Reverse,
    Forward,
}

#[derive(Clone, Debug, Default)]
pub struct GradRequest {
    pub expression: String,
    pub source_name: String,
    pub at: String,
    /// Round every intermediate to this many significant digits, as a hand calculation does.
    pub digits: Option<u32>,
    pub mode: Mode,
}

/// One node's row of the table.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: usize,
    /// The node's name: a variable, a named intermediate, a let-name `u₁`, or the output.
    pub name: String,
    /// What the node computes from its inputs (empty for variables).
    pub definition: String,
    /// The same in LaTeX.
    pub definition_latex: String,
    pub value: f64,
    /// ∂node/∂input for each input that depends on a variable: (input's name, value).
    pub local: Vec<(String, f64)>,
    /// Contributions to the adjoint: (the user's name, ∂f/∂user · ∂user/∂node).
    pub contributions: Vec<(String, f64)>,
    pub adjoint: f64,
    /// Forward mode: the tangent dnode/dv for each variable v (one pass each).
    pub tangents: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct GradReport {
    /// Things worth saying that are not errors (`e` read as a variable, an unused `--at` name).
    pub notes: Vec<crate::error::Phrase>,
    pub output_name: String,
    pub text: String,
    pub at: Vec<Assignment>,
    pub rows: Vec<Row>,
    pub value: f64,
    pub gradient: Vec<(String, f64)>,
    pub digits: Option<u32>,
    pub mode: Mode,
    pub reverse_cost: Cost,
    pub forward_cost: Cost,
    /// The language of its words (the table's headings, the costs); numbers are the same.
    pub lang: crate::lang::Lang,
}

/// What a mode needs for the whole gradient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    pub passes: usize,
    /// Elementary operations: node evaluations and one per edge for each derivative pass.
    pub operations: usize,
}

pub fn grad(request: &GradRequest) -> Result<GradReport> {
    if let Some(d) = request.digits
        && !(1..=15).contains(&d)
    {
        return Err(Error::new(both(
            format!("--digits must be between 1 and 15, not {d}"),
            format!("--digits 须在 1 到 15 之间，而不是 {d}"),
        )));
    }
    let source = request.source_name.as_str();
    let function = Function::parse(&request.expression).map_err(|e| e.in_source(source, &request.expression))?;
    let (at, unused) = parse_at_lenient(&function, &request.at)?;
    let mut notes = function.notes();
    notes.extend(unused);
    let graph = &function.graph;
    let output = function.output;
    let given: Vec<(NodeId, f64)> = at.iter().map(|a| (a.node, a.value)).collect();
    let domain = |e: DomainError| domain_error(&function, e, source, &request.expression);
    let view = View::new(&function);
    let variables: Vec<NodeId> = function.variables.iter().map(|v| v.1).collect();

    // Forward pass, rounding each value as a hand calculation would; then the backward pass.
    let values = numeric::evaluate_rounded(graph, &[output], &given, request.digits).map_err(domain)?;
    let mut backward = NumericBackward::new(graph, &values);
    backward.digits = request.digits;
    backward.record = true;
    let adjoints = reverse::backward(&mut backward, output, &variables).map_err(domain)?;
    let edges = backward.edges;

    let label = |id: NodeId| view.label(graph, view.shown(id));
    let forward = (request.mode == Mode::Forward)
        .then(|| forward_mode(&function, &view.order, &variables, &values, request.digits))
        .transpose()
        .map_err(domain)?;
    let rows = view
        .rows
        .iter()
        .enumerate()
        .map(|(i, &row)| {
            let operation = view.operation(row);
            let local = edges
                .iter()
                .filter(|e| e.user == operation)
                .map(|e| (label(graph.inputs(e.user)[e.input]), e.local))
                .collect();
            let contributions = edges
                .iter()
                .filter(|e| graph.inputs(e.user)[e.input] == row)
                .map(|e| (label(e.user), e.contribution))
                .collect();
            Row {
                id: i + 1,
                name: label(row),
                definition: view.definition(graph, row, Style::Text),
                definition_latex: view.definition(graph, row, Style::Latex),
                value: values[row],
                local,
                contributions,
                adjoint: adjoints.or(row, 0.0),
                tangents: forward.as_ref().map(|f| f[row.index()].clone()).unwrap_or_default(),
            }
        })
        .collect();
    let gradient = function
        .variables
        .iter()
        .enumerate()
        .map(|(i, (name, id))| match &forward {
            None => (name.clone(), adjoints.or(*id, 0.0)),
            Some(tangents) => (name.clone(), tangents[output.index()][i]),
        })
        .collect();
    // What a hand calculation does: a named intermediate and its definition are one node.
    let nodes = view.order.iter().filter(|n| !graph.is_named(**n)).count();
    let crossed = edges.iter().filter(|e| !graph.is_named(e.user)).count();
    let reverse_cost = Cost { passes: 2, operations: nodes + 2 * crossed };
    let forward_cost = Cost { passes: variables.len(), operations: variables.len() * (nodes + crossed) };
    Ok(GradReport {
        notes,
        output_name: function.output_name.clone(),
        text: Printer::new(graph).definition(output, Style::Text),
        at,
        rows,
        value: values[output],
        gradient,
        digits: request.digits,
        mode: request.mode,
        reverse_cost,
        forward_cost,
        lang: crate::lang::Lang::En,
    })
}

/// Forward mode: one pass per variable, tangent(node) = Σ ∂node/∂input · tangent(input), with
/// the same local derivative rules as the backward pass. Tangents by node index, one per pass.
fn forward_mode(
    function: &Function,
    order: &[NodeId],
    variables: &[NodeId],
    values: &Values,
    digits: Option<u32>,
) -> std::result::Result<Vec<Vec<f64>>, DomainError> {
    let graph = &function.graph;
    let mut tangents = vec![Vec::new(); graph.len()];
    let depends = graph.depends_on(order, variables);
    let mut locals = vec![Vec::new(); graph.len()];
    for &id in order {
        let wanted: Vec<bool> = graph.inputs(id).iter().map(|i| depends[i.index()]).collect();
        if depends[id.index()] && !wanted.is_empty() {
            locals[id.index()] = numeric::local_values(graph, id, values, &wanted)?;
        }
    }
    for (pass, &seed) in variables.iter().enumerate() {
        for &id in order {
            let t = if id == seed {
                1.0
            } else {
                let sum: f64 = graph
                    .inputs(id)
                    .iter()
                    .zip(&locals[id.index()])
                    .filter_map(|(i, d)| d.map(|d| round_to(d, digits) * tangents[i.index()][pass]))
                    .sum();
                round_to(sum, digits)
            };
            tangents[id.index()].resize(variables.len(), 0.0);
            tangents[id.index()][pass] = t;
        }
    }
    Ok(tangents)
}

impl GradReport {
    fn number(&self, x: f64) -> String {
        match self.digits {
            Some(d) => format_significant(x, d),
            None => format_number(x),
        }
    }

    /// The table as a LaTeX `array`, then the gradient.
    pub fn render_latex(&self) -> String {
        let number = |x: f64| latex_number(&self.number(x));
        let forward = self.mode == Mode::Forward;
        let variables: Vec<&str> = self.gradient.iter().map(|g| g.0.as_str()).collect();
        let output = latex_name(&self.output_name);
        let mut header = vec!["\\#".to_string(), "\\text{node}".into(), "\\text{value}".into()];
        if forward {
            header.extend(variables.iter().map(|v| format!("\\frac{{d\\,\\cdot}}{{d{}}}", latex_name(v))));
        } else {
            header.push("\\text{local derivatives}".into());
            header.push(format!("\\frac{{\\partial {output}}}{{\\partial\\,\\text{{node}}}}"));
        }
        let mut lines = vec![header.join(" & ")];
        for row in &self.rows {
            let name = latex_name(&row.name);
            let node = if row.definition.is_empty() { name } else { format!("{name} = {}", row.definition_latex) };
            let mut cells = vec![row.id.to_string(), node, number(row.value)];
            if forward {
                cells.extend(row.tangents.iter().map(|t| number(*t)));
            } else {
                let locals: Vec<String> = row
                    .local
                    .iter()
                    .map(|(n, d)| format!("\\tfrac{{\\partial}}{{\\partial {}}} = {}", latex_name(n), number(*d)))
                    .collect();
                cells.push(locals.join(",\\; "));
                let parts: Vec<String> = row.contributions.iter().map(|c| number(c.1)).collect();
                cells.push(match parts.len() {
                    0 | 1 => number(row.adjoint),
                    _ => format!("{} = {}", parts.join(" + ").replace("+ -", "- "), number(row.adjoint)),
                });
            }
            lines.push(cells.join(" & "));
        }
        let columns = "r".to_string() + &"l".repeat(lines[0].matches(" & ").count());
        let gradient: Vec<String> = self
            .gradient
            .iter()
            .map(|(n, g)| format!("\\frac{{\\partial {output}}}{{\\partial {}}} = {}", latex_name(n), number(*g)))
            .collect();
        format!(
            "\\begin{{array}}{{{columns}}}\n{} \\\\ \\hline\n{}\n\\end{{array}}\n\\qquad {}\n",
            lines[0],
            lines[1..].join(" \\\\\n"),
            gradient.join(",\\quad ")
        )
    }

    pub fn render_text(&self) -> String {
        use crate::said::Said;
        let say = |s: Said| s.to(self.lang);
        let mut out = String::new();
        let point: Vec<String> = self.at.iter().map(|a| format!("{} = {}", a.name, format_number(a.value))).collect();
        let at = say(Said::GradAt { point: point.join(", ") });
        out.push_str(&format!("{} = {}   {at}\n", self.output_name, self.text));
        if let Some(d) = self.digits {
            out.push_str(&format!("{}\n", say(Said::GradRounded { digits: d })));
        }
        out.push('\n');
        let forward = self.mode == Mode::Forward;
        let variable_names: Vec<String> = self.gradient.iter().map(|g| g.0.clone()).collect();
        let mut header = vec!["#".to_string(), say(Said::GradNode), say(Said::GradValue)];
        if forward {
            header.extend(variable_names.iter().map(|v| format!("d·/d{v}")));
        } else {
            header.push(say(Said::GradLocals));
            header.push(say(Said::GradAdjoint { output: self.output_name.clone() }));
        }
        let mut table = vec![header];
        for row in &self.rows {
            let node =
                if row.definition.is_empty() { row.name.clone() } else { format!("{} = {}", row.name, row.definition) };
            let mut cells = vec![row.id.to_string(), node, self.number(row.value)];
            if forward {
                cells.extend(row.tangents.iter().map(|t| self.number(*t)));
            } else {
                let locals: Vec<String> =
                    row.local.iter().map(|(n, d)| format!("∂/∂{n} = {}", self.number(*d))).collect();
                cells.push(locals.join(", "));
                let adjoint = if row.contributions.len() > 1 {
                    let parts: Vec<String> = row.contributions.iter().map(|c| self.number(c.1)).collect();
                    format!("{} = {}", join_sum(&parts), self.number(row.adjoint))
                } else {
                    self.number(row.adjoint)
                };
                cells.push(adjoint);
            }
            table.push(cells);
        }
        out.push_str(&render_table(&table));
        out.push('\n');
        let gradient: Vec<String> =
            self.gradient.iter().map(|(n, g)| format!("∂{}/∂{n} = {}", self.output_name, self.number(*g))).collect();
        out.push_str(&format!("{}\n", say(Said::GradGradient { parts: gradient.join(", ") })));
        let (r, f) = (self.reverse_cost, self.forward_cost);
        out.push_str(&format!("{}\n", say(Said::GradReverseCost { passes: r.passes, operations: r.operations })));
        out.push_str(&format!("{}\n", say(Said::GradForwardCost { passes: f.passes, operations: f.operations })));
        if forward {
            out.push_str(&format!("{}\n", say(Said::GradForwardNote)));
        }
        out
    }

    pub fn to_json(&self) -> Value {
        let mut gradient = serde_json::Map::new();
        for (n, g) in &self.gradient {
            gradient.insert(n.clone(), json!(g));
        }
        json!({
            "nodes": self.rows.iter().map(|r| json!({
                "id": r.id,
                "label": r.name,
                "definition": r.definition,
                "value": r.value,
                "local": r.local.iter().map(|(n, d)| json!({"input": n, "value": d})).collect::<Vec<_>>(),
                "contributions": r.contributions.iter().map(|(n, c)| json!({"from": n, "value": c})).collect::<Vec<_>>(),
                "adjoint": r.adjoint,
                "tangents": if self.mode == Mode::Forward { json!(r.tangents) } else { Value::Null },
            })).collect::<Vec<_>>(),
            "value": self.value,
            "gradient": gradient,
            "mode": if self.mode == Mode::Forward { "forward" } else { "reverse" },
            "digits": self.digits,
            "cost": {
                "reverse": {"passes": self.reverse_cost.passes, "operations": self.reverse_cost.operations},
                "forward": {"passes": self.forward_cost.passes, "operations": self.forward_cost.operations},
            },
        })
    }
}

/// `a + b − c` from signed numbers.
fn join_sum(parts: &[String]) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        match (i, p.strip_prefix('−')) {
            (0, _) => out.push_str(p),
            (_, Some(rest)) => out.push_str(&format!(" − {rest}")),
            (_, None) => out.push_str(&format!(" + {p}")),
        }
    }
    out
}
