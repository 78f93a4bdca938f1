//! `graph`: the computation graph as a picture — each node with its forward value and, with
//! `--at`, its gradient ∂f/∂node — as SVG (drawn in pure Rust) or as Graphviz DOT.

use super::view::View;
use crate::draw::{LineKind, Picture, PictureNode, Shape};
use crate::error::Result;
use crate::format::format_number;
use crate::graph::build::Function;
use crate::graph::number::Number;
use crate::graph::{Graph, NodeId, Op};
use crate::lang::Lang;
use crate::numeric;
use crate::numeric::point::domain_error;
use crate::numeric::point::parse_at_lenient;
use crate::numeric::round_to;
use crate::print::{Printer, Style};
use crate::said::picture::PictureWords;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PictureFormat {
    #[default]
    Svg,
    Dot,
}

#[derive(Clone, Debug, Default)]
pub struct GraphRequest {
    pub expression: String,
    pub source_name: String,
    pub at: Option<String>,
    pub format: PictureFormat,
    pub lang: Lang,
}

pub struct GraphReport {
    /// Things worth saying that are not errors (`e` read as a variable, an unused `--at` name).
    pub notes: Vec<crate::error::Phrase>,
    pub picture: Picture,
    pub format: PictureFormat,
}

impl GraphReport {
    pub fn render(&self) -> String {
        match self.format {
            PictureFormat::Svg => self.picture.to_svg(),
            PictureFormat::Dot => self.picture.to_dot(),
        }
    }
}

pub fn graph(request: &GraphRequest) -> Result<GraphReport> {
    let source = request.source_name.as_str();
    let function = Function::parse(&request.expression).map_err(|e| e.in_source(source, &request.expression))?;
    let graph = &function.graph;
    let output = function.output;
    let view = View::new(&function);

    let mut title = format!("{} = {}", function.output_name, Printer::new(graph).definition(output, Style::Text));
    let mut values = None;
    let mut notes = function.notes();
    if let Some(text) = &request.at {
        let (at, unused) = parse_at_lenient(&function, text)?;
        notes.extend(unused);
        let given: Vec<(NodeId, f64)> = at.iter().map(|a| (a.node, a.value)).collect();
        let domain = |e| domain_error(&function, e, source, &request.expression);
        let forward = numeric::evaluate(graph, &[output], &given).map_err(domain)?;
        let variables: Vec<NodeId> = function.variables.iter().map(|v| v.1).collect();
        let backward = numeric::adjoints(graph, output, &variables, &forward).map_err(domain)?;
        let shown: Vec<String> = at.iter().map(|a| format!("{} = {}", a.name, format_number(a.value))).collect();
        title.push_str(&PictureWords::GraphAt { point: shown.join(", ") }.to(request.lang));
        values = Some((forward, backward));
    }

    // Every drawn node in topological order: the view's rows, and constants that are inputs
    // of their own (a coefficient or a constant exponent is written into its gate instead).
    let mut drawn: Vec<NodeId> = Vec::new();
    let mut seen = vec![false; graph.len()];
    for &row in &view.rows {
        for (k, &input) in graph.inputs(view.operation(row)).iter().enumerate() {
            if graph.as_const(input).is_some()
                && !folds_into_gate(graph, view.operation(row), k)
                && !seen[input.index()]
            {
                seen[input.index()] = true;
                drawn.push(input);
            }
        }
        drawn.push(row);
    }
    let mut index: HashMap<NodeId, usize> = HashMap::new();
    let mut picture = Picture {
        title,
        with_values: values.is_some(),
        output: function.output_name.clone(),
        lang: request.lang,
        ..Picture::default()
    };
    for &id in &drawn {
        let operation = view.operation(id);
        let (shape, label) = match graph.op(operation) {
            Op::Var(i) if operation == id => (Shape::Variable, graph.variable_name(*i).to_string()),
            Op::Const(c) if operation == id => (Shape::Constant, c.text()),
            _ => {
                let symbol = gate_label(graph, graph.op(operation));
                (
                    Shape::Operation,
                    match view.name(id) {
                        Some(name) => format!("{name}: {symbol}"),
                        None => symbol,
                    },
                )
            }
        };
        let mut lines = vec![(LineKind::Label, label)];
        if let Some((forward, backward)) = &values {
            lines.push((LineKind::Value, compact(forward[id])));
            if let Some(g) = backward.get(id).filter(|_| graph.as_const(id).is_none()) {
                lines.push((LineKind::Gradient, compact(*g)));
            }
        }
        index.insert(id, picture.nodes.len());
        picture.nodes.push(PictureNode { lines, shape });
    }
    for &id in &drawn {
        let operation = view.operation(id);
        for (k, input) in graph.inputs(operation).iter().enumerate() {
            if graph.as_const(*input).is_some() && folds_into_gate(graph, operation, k) {
                continue;
            }
            if let Some(&from) = index.get(&view.shown(*input)) {
                picture.edges.push((from, index[&id]));
            }
        }
    }
    Ok(GraphReport { notes, picture, format: request.format })
}

/// Four significant digits: enough to follow the arithmetic, short enough for a node.
fn compact(x: f64) -> String {
    format_number(round_to(x, Some(4)))
}

/// Whether input `k` of `gate` is a constant written into the gate's label: a product's
/// coefficient (`× 2`, unary `−`) or a constant exponent (`^2`).
fn folds_into_gate(graph: &Graph, gate: NodeId, k: usize) -> bool {
    match graph.op(gate) {
        Op::Mul(xs) => k == 0 && graph.as_const(xs[0]).is_some(),
        Op::Pow([_, e]) => k == 1 && graph.as_const(*e).is_some(),
        _ => false,
    }
}

/// The symbol on a gate: `+`, `×`, `× 2`, `−`, `^2`, `σ`, `max`, `[· > 0]`.
fn gate_label(graph: &Graph, op: &Op) -> String {
    match op {
        Op::Const(c) => format!("= {}", format_number(c.to_f64())),
        Op::Var(_) => "=".into(),
        Op::Add(_) => "+".into(),
        Op::Mul(xs) => match graph.as_const(xs[0]) {
            Some(c) if c == Number::MINUS_ONE && xs.len() == 2 => "−".into(),
            Some(c) => format!("× {}", c.text()),
            None => "×".into(),
        },
        Op::Pow([_, e]) => match graph.as_const(*e) {
            Some(k) if k == Number::MINUS_ONE => "1/·".into(),
            Some(k) => match k.as_integer() {
                Some(i) if i >= 0 => format!("^{i}"),
                _ => format!("^({})", k.text()),
            },
            None => "^".into(),
        },
        Op::Call(f, _) => f.info().printed.into(),
        Op::Let(..) => "=".into(),
        Op::Step { strict: true, .. } => "[· > 0]".into(),
        Op::Step { strict: false, .. } => "[· ≥ 0]".into(),
    }
}
