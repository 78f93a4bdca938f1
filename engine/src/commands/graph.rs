//! `graph`: the computation graph as a picture — each node with its forward value and, with
//! `--at`, its gradient ∂f/∂node — as SVG (drawn in pure Rust) or as Graphviz DOT.

use super::at::parse_at;
use super::derive::{domain_error, format_number};
use super::grad::{node_names, round_to};
use crate::draw::{LineKind, Picture, PictureNode, Shape};
use crate::error::Result;
use crate::graph::build::Function;
use crate::graph::number::Number;
use crate::graph::{Graph, NodeId, Op};
use crate::numeric;
use crate::print::{Printer, Style};
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
}

pub struct GraphReport {
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
    let order = graph.topological_order(&[output]);

    let mut title = format!("{} = {}", function.output_name, Printer::new(graph).definition(output, Style::Text));
    let mut values = None;
    if let Some(text) = &request.at {
        let at = parse_at(&function, text)?;
        let point: HashMap<NodeId, f64> = at.iter().map(|a| (a.node, a.value)).collect();
        let domain = |e| domain_error(&function, e, source, &request.expression);
        let forward = numeric::evaluate(graph, &[output], &point).map_err(domain)?;
        let variables: Vec<NodeId> = function.variables.iter().map(|v| v.1).collect();
        let backward = numeric::adjoints(graph, output, &variables, &forward).map_err(domain)?;
        let shown: Vec<String> = at.iter().map(|a| format!("{} = {}", a.name, format_number(a.value))).collect();
        title.push_str(&format!("   at {}", shown.join(", ")));
        values = Some((forward, backward));
    }

    let names = node_names(&function, &order);
    let folded = folded_constants(graph, &order);
    let mut index: HashMap<NodeId, usize> = HashMap::new();
    let mut picture = Picture { title, with_values: values.is_some(), ..Picture::default() };
    for &id in &order {
        if folded.contains_key(&id) && !order.iter().any(|&u| uses_unfolded(graph, u, id, &folded)) {
            continue;
        }
        let (shape, label) = match graph.op(id) {
            Op::Var(i) => (Shape::Variable, graph.variable_name(*i).to_string()),
            Op::Const(c) => (Shape::Constant, c.to_string().replace('-', "−")),
            op => {
                let symbol = gate_label(graph, op);
                let name = graph.name_of(id).map(str::to_string).or_else(|| names.get(&id).cloned());
                (
                    Shape::Operation,
                    match name {
                        Some(name) => format!("{name}: {symbol}"),
                        None => symbol,
                    },
                )
            }
        };
        let mut lines = vec![(LineKind::Label, label)];
        if let Some((forward, backward)) = &values {
            lines.push((LineKind::Value, compact(forward[&id])));
            if let Some(g) = backward.get(&id).filter(|_| !matches!(graph.op(id), Op::Const(_))) {
                lines.push((LineKind::Gradient, compact(*g)));
            }
        }
        index.insert(id, picture.nodes.len());
        picture.nodes.push(PictureNode { lines, shape });
    }
    for &id in &order {
        let Some(&to) = index.get(&id) else { continue };
        for (k, input) in graph.inputs(id).iter().enumerate() {
            if folded.get(input).is_some_and(|owners| owners.contains(&(id, k))) {
                continue;
            }
            if let Some(&from) = index.get(input) {
                picture.edges.push((from, to));
            }
        }
    }
    Ok(GraphReport { picture, format: request.format })
}

/// Four significant digits: enough to follow the arithmetic, short enough for a node.
fn compact(x: f64) -> String {
    format_number(round_to(x, Some(4)))
}

/// Constants drawn inside their gate's label instead of as nodes: a product's coefficient
/// (`× 2`, unary `−`) and a constant exponent (`^2`). Maps each to the (gate, input) uses.
fn folded_constants(graph: &Graph, order: &[NodeId]) -> HashMap<NodeId, Vec<(NodeId, usize)>> {
    let mut folded: HashMap<NodeId, Vec<(NodeId, usize)>> = HashMap::new();
    for &id in order {
        match graph.op(id) {
            Op::Mul(xs) if graph.as_const(xs[0]).is_some() => folded.entry(xs[0]).or_default().push((id, 0)),
            Op::Pow([_, e]) if graph.as_const(*e).is_some() => folded.entry(*e).or_default().push((id, 1)),
            _ => {}
        }
    }
    folded
}

/// Whether `user` takes `input` as an ordinary (drawn) input.
fn uses_unfolded(graph: &Graph, user: NodeId, input: NodeId, folded: &HashMap<NodeId, Vec<(NodeId, usize)>>) -> bool {
    graph.inputs(user).iter().enumerate().any(|(k, &i)| i == input && !folded[&input].contains(&(user, k)))
}

/// The symbol on a gate: `+`, `×`, `× 2`, `−`, `^2`, `σ`, `max`, `[· > 0]`.
fn gate_label(graph: &Graph, op: &Op) -> String {
    match op {
        Op::Const(_) | Op::Var(_) => unreachable!("leaves are not gates"),
        Op::Add(_) => "+".into(),
        Op::Mul(xs) => match graph.as_const(xs[0]) {
            Some(c) if c == Number::MINUS_ONE && xs.len() == 2 => "−".into(),
            Some(c) => format!("× {}", c.to_string().replace('-', "−")),
            None => "×".into(),
        },
        Op::Pow([_, e]) => match graph.as_const(*e) {
            Some(k) if k == Number::MINUS_ONE => "1/·".into(),
            Some(k) => match k.as_integer() {
                Some(i) if i >= 0 => format!("^{i}"),
                _ => format!("^({})", k.to_string().replace('-', "−")),
            },
            None => "^".into(),
        },
        Op::Call(f, _) => f.name().into(),
        Op::Max(_) => "max".into(),
        Op::Min(_) => "min".into(),
        Op::Step { strict: true, .. } => "[· > 0]".into(),
        Op::Step { strict: false, .. } => "[· ≥ 0]".into(),
    }
}
