//! `grad`: the forward and the backward pass as a table, one row per graph node in topological
//! order — its value, its local derivatives, its adjoint ∂f/∂node (with each contribution when
//! the node feeds several others) — and, with `--mode forward`, the same gradient by
//! forward-mode tangents, with the number of passes and operations of each mode.

use super::at::{Assignment, parse_at};
use super::derive::{domain_error, format_number};
use crate::error::{Error, Result};
use crate::graph::build::Function;
use crate::graph::{Graph, NodeId, Op};
use crate::numeric::{self, DomainError};
use crate::print::{Printer, Style, subscript};
use serde_json::{Value, json};
use std::collections::HashMap;

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
}

/// What a mode needs for the whole gradient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    pub passes: usize,
    /// Elementary operations: node evaluations and one per edge for each derivative pass.
    pub operations: usize,
}

/// Let-names for the unnamed operations of a function, in topological order: `u₁, u₂, …`;
/// the output gets the function's name. Shared by the table, the steps and the pictures.
pub fn node_names(function: &Function, order: &[NodeId]) -> HashMap<NodeId, String> {
    let graph = &function.graph;
    let mut names = HashMap::new();
    let mut counter = 0;
    for &id in order {
        let op = graph.op(id);
        if matches!(op, Op::Const(_) | Op::Var(_)) || graph.is_named(id) {
            continue;
        }
        if id == function.output {
            names.insert(id, function.output_name.clone());
        } else if !is_scaling(graph, id) {
            counter += 1;
            names.insert(id, format!("u{}", subscript(counter)));
        }
    }
    names
}

/// `−y`, `2·x`, `x/2`: a constant times one factor reads best inline (`u = a − y`).
pub fn is_scaling(graph: &Graph, id: NodeId) -> bool {
    matches!(graph.op(id), Op::Mul(xs) if xs.len() == 2 && graph.as_const(xs[0]).is_some())
}

/// Rounds to `digits` significant digits.
pub fn round_to(x: f64, digits: Option<u32>) -> f64 {
    match digits {
        None => x,
        Some(_) if x == 0.0 || !x.is_finite() => x,
        Some(d) => {
            let magnitude = x.abs().log10().floor() as i32;
            let scale = 10f64.powi(d as i32 - 1 - magnitude);
            (x * scale).round() / scale
        }
    }
}

pub fn grad(request: &GradRequest) -> Result<GradReport> {
    if let Some(d) = request.digits
        && !(1..=15).contains(&d)
    {
        return Err(Error::new(format!("--digits must be between 1 and 15, not {d}")));
    }
    let source = request.source_name.as_str();
    let function = Function::parse(&request.expression).map_err(|e| e.in_source(source, &request.expression))?;
    let at = parse_at(&function, &request.at)?;
    let graph = &function.graph;
    let output = function.output;
    let point: HashMap<NodeId, f64> = at.iter().map(|a| (a.node, a.value)).collect();
    let order = graph.topological_order(&[output]);
    let variables: Vec<NodeId> = function.variables.iter().map(|v| v.1).collect();
    let depends = graph.depends_on(&order, &variables);
    let domain = |e: DomainError| domain_error(&function, e, source, &request.expression);

    // Forward pass, rounding each value as a hand calculation would.
    let mut values: HashMap<NodeId, f64> = HashMap::new();
    for &id in &order {
        let inputs: Vec<f64> = graph.inputs(id).iter().map(|i| values[i]).collect();
        let v = numeric::node_value(graph, id, &inputs, point.get(&id).copied()).map_err(domain)?;
        values.insert(id, round_to(v, request.digits));
    }

    let mut names = node_names(&function, &order);
    for (name, id) in function.variables.iter().chain(&function.intermediates) {
        names.entry(*id).or_insert_with(|| name.clone());
    }
    let mut printer = Printer::new(graph);
    printer.add_names(&names);
    let label = |id: NodeId| names.get(&id).cloned().unwrap_or_else(|| printer.text(id));

    // Backward pass: local derivatives and contributions, in reverse topological order.
    let mut local: HashMap<NodeId, Vec<(String, f64)>> = HashMap::new();
    let mut contributions: HashMap<NodeId, Vec<(String, f64)>> = HashMap::new();
    let mut adjoint: HashMap<NodeId, f64> = HashMap::new();
    adjoint.insert(output, 1.0);
    let mut edges = 0usize;
    for &id in order.iter().rev() {
        if !depends[&id] {
            continue;
        }
        let a = match contributions.get(&id) {
            Some(parts) => round_to(parts.iter().map(|p| p.1).sum(), request.digits),
            None if id == output => 1.0,
            None => 0.0,
        };
        adjoint.insert(id, a);
        let inputs = graph.inputs(id);
        if inputs.is_empty() {
            continue;
        }
        let locals = numeric::local_values(graph, id, &values, &depends).map_err(domain)?;
        let mut row_local = Vec::new();
        for (input, d) in inputs.iter().zip(locals) {
            let Some(d) = d else { continue };
            let d = round_to(d, request.digits);
            edges += 1;
            row_local.push((label(*input), d));
            let part = round_to(a * d, request.digits);
            contributions.entry(*input).or_default().push((label(id), part));
        }
        local.insert(id, row_local);
    }

    let reverse_cost = Cost { passes: 2, operations: order.len() + 2 * edges };
    let forward = forward_mode(graph, &order, &variables, &values, &depends, request.digits);
    let forward_cost = Cost { passes: variables.len(), operations: variables.len() * (order.len() + edges) };
    if request.mode == Mode::Forward {
        for (v, t) in variables.iter().zip(&forward.gradient) {
            let r = adjoint.get(v).copied().unwrap_or(0.0);
            debug_assert!((r - t).abs() <= 1e-9 * (1.0 + r.abs()), "forward and reverse modes disagree");
        }
    }

    let rows = order
        .iter()
        .filter(|id| !matches!(graph.op(**id), Op::Const(_)))
        .enumerate()
        .map(|(i, &id)| Row {
            id: i + 1,
            name: label(id),
            definition: if matches!(graph.op(id), Op::Var(_)) {
                String::new()
            } else {
                printer.definition(id, Style::Text)
            },
            value: values[&id],
            local: local.remove(&id).unwrap_or_default(),
            contributions: contributions.remove(&id).unwrap_or_default(),
            adjoint: adjoint.get(&id).copied().unwrap_or(0.0),
            tangents: forward.tangents.get(&id).cloned().unwrap_or_default(),
        })
        .collect();
    let gradient = function
        .variables
        .iter()
        .zip(&forward.gradient)
        .map(|((name, id), t)| match request.mode {
            Mode::Reverse => (name.clone(), adjoint.get(id).copied().unwrap_or(0.0)),
            Mode::Forward => (name.clone(), *t),
        })
        .collect();
    Ok(GradReport {
        output_name: function.output_name.clone(),
        text: Printer::new(graph).definition(output, Style::Text),
        at,
        rows,
        value: values[&output],
        gradient,
        digits: request.digits,
        mode: request.mode,
        reverse_cost,
        forward_cost,
    })
}

struct Forward {
    /// Per node, its tangent in each pass.
    tangents: HashMap<NodeId, Vec<f64>>,
    gradient: Vec<f64>,
}

/// Forward mode: one pass per variable, tangent(node) = Σ ∂node/∂input · tangent(input),
/// with the same local derivative rules as the backward pass.
fn forward_mode(
    graph: &Graph,
    order: &[NodeId],
    variables: &[NodeId],
    values: &HashMap<NodeId, f64>,
    depends: &HashMap<NodeId, bool>,
    digits: Option<u32>,
) -> Forward {
    let mut tangents: HashMap<NodeId, Vec<f64>> = HashMap::new();
    for (pass, &seed) in variables.iter().enumerate() {
        for &id in order {
            let inputs = graph.inputs(id);
            let t = if id == seed {
                1.0
            } else if inputs.is_empty() || !depends[&id] {
                0.0
            } else {
                let locals =
                    numeric::local_values(graph, id, values, depends).unwrap_or_else(|_| vec![None; inputs.len()]);
                let sum: f64 = inputs
                    .iter()
                    .zip(locals)
                    .filter_map(|(i, d)| d.map(|d| round_to(d, digits) * tangents[i][pass]))
                    .sum();
                round_to(sum, digits)
            };
            tangents.entry(id).or_insert_with(|| vec![0.0; variables.len()])[pass] = t;
        }
    }
    let root = *order.last().expect("a function has an output");
    let gradient = (0..variables.len()).map(|p| tangents[&root][p]).collect();
    Forward { tangents, gradient }
}

/// `x` with exactly `digits` significant digits (`0.20`), as a hand calculation writes it.
fn format_significant(x: f64, digits: u32) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format_number(x);
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    format!("{x:.decimals$}").replace('-', "−")
}

impl GradReport {
    fn number(&self, x: f64) -> String {
        match self.digits {
            Some(d) => format_significant(x, d),
            None => format_number(x),
        }
    }

    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let point: Vec<String> = self.at.iter().map(|a| format!("{} = {}", a.name, format_number(a.value))).collect();
        out.push_str(&format!("{} = {}   at {}\n", self.output_name, self.text, point.join(", ")));
        if let Some(d) = self.digits {
            out.push_str(&format!("(every intermediate rounded to {d} significant digits, as by hand)\n"));
        }
        out.push('\n');
        let forward = self.mode == Mode::Forward;
        let variable_names: Vec<String> = self.gradient.iter().map(|g| g.0.clone()).collect();
        let mut header = vec!["#".to_string(), "node".into(), "value".into()];
        if forward {
            header.extend(variable_names.iter().map(|v| format!("d·/d{v}")));
        } else {
            header.push("local derivatives".into());
            header.push(format!("adjoint ∂{}/∂node", self.output_name));
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
        out.push_str(&format!("gradient: {}\n", gradient.join(", ")));
        let (r, f) = (self.reverse_cost, self.forward_cost);
        out.push_str(&format!(
            "reverse mode: {} passes (forward, backward), {} operations\nforward mode: {} pass{} (one per variable), {} operations\n",
            r.passes,
            r.operations,
            f.passes,
            if f.passes == 1 { "" } else { "es" },
            f.operations
        ));
        if forward {
            out.push_str(
                "(gradient computed in forward mode: each column is one pass with that variable's tangent set to 1)\n",
            );
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

/// Columns padded to their widest cell (by characters).
pub fn render_table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> =
            row.iter().enumerate().map(|(c, s)| format!("{s}{}", " ".repeat(widths[c] - s.chars().count()))).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}
