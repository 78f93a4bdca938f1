//! Points: the `--at w=0.5,x=1.5` and `--wrt w,x` arguments (and a sheet's `at` line), read
//! against a function's names, with errors that point into the argument's own text; and a
//! value outside a function's domain at the point, as an error pointing at the node.

use crate::error::{Error, Result};
use crate::graph::NodeId;
use crate::graph::build::Function;
use crate::graph::{Graph, Op};
use crate::numeric::DomainError;
use crate::print::{Printer, Style};
use std::collections::HashMap;
use std::ops::Range;

/// One `name=value` of `--at`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub name: String,
    pub node: NodeId,
    pub value: f64,
}

/// Splits `text` at commas outside parentheses, keeping each item's byte range.
fn items(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push((start..i, &text[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((start..text.len(), &text[start..]));
    out
}

/// Trims an item, returning the trimmed text and its range.
fn trimmed(range: Range<usize>, item: &str) -> (Range<usize>, &str) {
    let lead = item.len() - item.trim_start().len();
    let t = item.trim();
    (range.start + lead..range.start + lead + t.len(), t)
}

fn unknown_name(function: &Function, name: &str, span: Range<usize>, what: &str) -> Error {
    let variables: Vec<&str> = function.variables.iter().map(|v| v.0.as_str()).collect();
    let is_intermediate = function.intermediates.iter().any(|(n, _)| n == name);
    let message = if is_intermediate {
        format!("`{name}` is a named intermediate, not a variable")
    } else {
        format!("`{name}` is not a variable of the expression")
    };
    let label = if variables.is_empty() {
        "the expression has no variables".to_string()
    } else {
        format!("{what}: {}", variables.join(", "))
    };
    Error::at(message, span).with_label(label)
}

/// Parses `--at`: every variable must get exactly one finite value.
pub fn parse_at(function: &Function, text: &str) -> Result<Vec<Assignment>> {
    point(function, text, false).map(|(at, _)| at)
}

/// `--at` on the command line: names the expression does not use are allowed (one point can
/// serve several expressions), each with a note that its value is not used.
pub fn parse_at_lenient(function: &Function, text: &str) -> Result<(Vec<Assignment>, Vec<String>)> {
    point(function, text, true)
}

fn point(function: &Function, text: &str, lenient: bool) -> Result<(Vec<Assignment>, Vec<String>)> {
    let wrap = |e: Error| e.in_source("--at", text);
    let mut unused = Vec::new();
    let mut assignments: Vec<Assignment> = Vec::new();
    let mut given = std::collections::HashSet::new();
    for (range, item) in items(text) {
        let (range, item) = trimmed(range, item);
        if item.is_empty() {
            return Err(wrap(
                Error::at("empty item in --at", range).with_label("write name=value, separated by commas"),
            ));
        }
        let Some(eq) = item.find('=') else {
            return Err(wrap(
                Error::at(format!("`{item}` has no value"), range).with_label("write name=value, e.g. w=0.5"),
            ));
        };
        let (name_range, name) = trimmed(range.start..range.start + eq, &item[..eq]);
        let value_offset = range.start + eq + 1;
        let value_text = &item[eq + 1..];
        let Some(node) = function.graph.find_variable(name) else {
            let intermediate = function.intermediates.iter().any(|(n, _)| n == name);
            let is_name = name.chars().next().is_some_and(char::is_alphabetic)
                && name.chars().all(|c| c.is_alphanumeric() || c == '_');
            if lenient && is_name && !intermediate {
                constant_value(value_text).map_err(|mut e| {
                    e.span = Some(value_offset..range.end);
                    wrap(e)
                })?;
                unused.push(format!("`{name}` is not in the expression; its value in --at is not used"));
                continue;
            }
            let name_range = if name.is_empty() { range.clone() } else { name_range };
            return Err(wrap(unknown_name(function, name, name_range, "its variables are")));
        };
        if !given.insert(name.to_string()) {
            return Err(wrap(Error::at(format!("`{name}` is given twice"), name_range)));
        }
        let value = constant_value(value_text).map_err(|mut e| {
            e.span = e.span.map(|s| s.start + value_offset..s.end + value_offset);
            if e.span.is_none() {
                e.span = Some(value_offset..range.end);
            }
            wrap(e)
        })?;
        assignments.push(Assignment { name: name.to_string(), node, value });
    }
    let missing: Vec<&str> =
        function.variables.iter().filter(|(n, _)| !given.contains(n)).map(|(n, _)| n.as_str()).collect();
    if !missing.is_empty() {
        let plural = if missing.len() == 1 { "" } else { "s" };
        return Err(wrap(
            Error::at(
                format!("--at gives no value for the variable{plural} {}", missing.join(", ")),
                text.len()..text.len(),
            )
            .with_label(format!("add {}", missing.iter().map(|m| format!("{m}=…")).collect::<Vec<_>>().join(","))),
        ));
    }
    // Present them in the function's variable order.
    assignments.sort_by_key(|a| a.node);
    Ok((assignments, unused))
}

/// A value written as a constant expression (`-0.25`, `1/3`, `sqrt(2)`).
fn constant_value(text: &str) -> Result<f64> {
    if text.trim().is_empty() {
        return Err(Error::new("missing value after `=`"));
    }
    let mut graph = Graph::new();
    let node = crate::graph::build::parse_into(&mut graph, &HashMap::new(), text)?;
    if let Some(name) = graph.variable_names().first() {
        let at = text.find(name.as_str()).unwrap_or(0);
        return Err(Error::at(format!("a value must be a number, not the name `{name}`"), at..at + name.len()));
    }
    let values = super::evaluate(&graph, &[node], &[])
        .map_err(|e| Error::new(format!("the value is not a number: it {}", e.reason)))?;
    Ok(values[node])
}

/// Parses `--wrt`: variables or named intermediates of the function.
pub fn parse_wrt(function: &Function, text: &str) -> Result<Vec<(String, NodeId)>> {
    let mut out: Vec<(String, NodeId)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (range, item) in items(text) {
        let (range, name) = trimmed(range, item);
        if name.is_empty() {
            return Err(Error::at("empty name in --wrt", range)
                .with_label("write names separated by commas, e.g. w,b")
                .in_source("--wrt", text));
        }
        let node = function.lookup(name).filter(|&id| !matches!(function.graph.op(id), Op::Const(_)));
        let Some(node) = node else {
            let mut e = unknown_name(function, name, range, "differentiate with respect to");
            e.message = format!("`{name}` is not a variable or named intermediate of the expression");
            return Err(e.in_source("--wrt", text));
        };
        if seen.insert(name) {
            out.push((name.to_string(), node));
        }
    }
    Ok(out)
}

/// A domain error at the point, pointing at the node's place in the expression.
pub fn domain_error(function: &Function, e: DomainError, source: &str, text: &str) -> Error {
    let graph = &function.graph;
    let printer = Printer::new(graph);
    let message = match printer.size(graph.definition(e.node)) {
        size if size <= 60 => format!("at this point, `{}` {}", printer.definition(e.node, Style::Text), e.reason),
        _ => format!("at this point, a part of the expression {}", e.reason),
    };
    // A node the simplifier made (`1/y` inside `x/y`) was never written: point at the smallest
    // written part that contains it, or at the whole expression.
    let span = function.spans.get(&e.node).cloned().or_else(|| {
        let order = graph.topological_order(&[function.output]);
        let contains = graph.depends_on(&order, &[e.node]);
        order
            .iter()
            .filter(|n| contains[n.index()])
            .filter_map(|n| function.spans.get(n))
            .min_by_key(|span| span.end - span.start)
            .cloned()
    });
    let span = span.unwrap_or(0..text.len());
    Error::at(message, span).in_source(source, text)
}
