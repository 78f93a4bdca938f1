//! Points: the `--at w=0.5,x=1.5` and `--wrt w,x` arguments (and a sheet's `at` line), read
//! against a function's names, with errors that point into the argument's own text; and a
//! value outside a function's domain at the point, as an error pointing at the node.

use crate::error::{Error, Phrase, Result, both};
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

fn unknown_name(function: &Function, name: &str, span: Range<usize>, what: (&str, &str)) -> Error {
    let variables: Vec<&str> = function.variables.iter().map(|v| v.0.as_str()).collect();
    let is_intermediate = function.intermediates.iter().any(|(n, _)| n == name);
    let message = if is_intermediate {
        both(
            format!("`{name}` is a named intermediate, not a variable"),
            format!("`{name}` 是有名字的中间量，不是变量"),
        )
    } else {
        both(format!("`{name}` is not a variable of the expression"), format!("`{name}` 不是表达式中的变量"))
    };
    let (what, what_zh) = what;
    let label = if variables.is_empty() {
        both("the expression has no variables", "表达式里没有变量")
    } else {
        both(format!("{what}: {}", variables.join(", ")), format!("{what_zh}：{}", variables.join(", ")))
    };
    Error::at(message, span).with_label(label)
}

/// Parses `--at`: every variable must get exactly one finite value.
pub fn parse_at(function: &Function, text: &str) -> Result<Vec<Assignment>> {
    point(function, text, false).map(|(at, _)| at)
}

/// `--at` on the command line: names the expression does not use are allowed (one point can
/// serve several expressions), each with a note that its value is not used.
pub fn parse_at_lenient(function: &Function, text: &str) -> Result<(Vec<Assignment>, Vec<Phrase>)> {
    point(function, text, true)
}

fn point(function: &Function, text: &str, lenient: bool) -> Result<(Vec<Assignment>, Vec<Phrase>)> {
    let wrap = |e: Error| e.in_source("--at", text);
    let mut unused = Vec::new();
    let mut assignments: Vec<Assignment> = Vec::new();
    let mut given = std::collections::HashSet::new();
    for (range, item) in items(text) {
        let (range, item) = trimmed(range, item);
        if item.is_empty() {
            return Err(wrap(
                Error::at(both("empty item in --at", "--at 中有空项"), range)
                    .with_label(both("write name=value, separated by commas", "请按“名称=值”的格式书写，用逗号隔开")),
            ));
        }
        let Some(eq) = item.find('=') else {
            return Err(wrap(
                Error::at(both(format!("`{item}` has no value"), format!("`{item}` 没有给出值")), range)
                    .with_label(both("write name=value, e.g. w=0.5", "请按“名称=值”的格式书写，例如 w=0.5")),
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
                unused.push(both(
                    format!("`{name}` is not in the expression; its value in --at is not used"),
                    format!("表达式中没有 `{name}`，--at 中给它的值未被使用"),
                ));
                continue;
            }
            let name_range = if name.is_empty() { range.clone() } else { name_range };
            return Err(wrap(unknown_name(function, name, name_range, ("its variables are", "它的变量是"))));
        };
        if !given.insert(name.to_string()) {
            return Err(wrap(Error::at(
                both(format!("`{name}` is given twice"), format!("`{name}` 给了两次")),
                name_range,
            )));
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
        let names = missing.join(", ");
        let add = missing.iter().map(|m| format!("{m}=…")).collect::<Vec<_>>().join(",");
        let message = both(
            format!("--at gives no value for the variable{plural} {names}"),
            format!("--at 没有给出变量 {names} 的值"),
        );
        return Err(wrap(
            Error::at(message, text.len()..text.len()).with_label(both(format!("add {add}"), format!("请补上 {add}"))),
        ));
    }
    // Present them in the function's variable order.
    assignments.sort_by_key(|a| a.node);
    Ok((assignments, unused))
}

/// A value written as a constant expression (`-0.25`, `1/3`, `sqrt(2)`).
fn constant_value(text: &str) -> Result<f64> {
    if text.trim().is_empty() {
        return Err(Error::new(both("missing value after `=`", "`=` 后面缺少值")));
    }
    let mut graph = Graph::new();
    let node = crate::graph::build::parse_into(&mut graph, &HashMap::new(), text)?;
    if let Some(name) = graph.variable_names().first() {
        let at = text.find(name.as_str()).unwrap_or(0);
        let message = both(
            format!("a value must be a number, not the name `{name}`"),
            format!("值必须是数，不能是名称 `{name}`"),
        );
        return Err(Error::at(message, at..at + name.len()));
    }
    let values = super::evaluate(&graph, &[node], &[]).map_err(|e| {
        Error::new(both(
            format!("the value is not a number: it {}", e.reason.en),
            format!("这个值无法求出：它{}", e.reason.chinese()),
        ))
    })?;
    Ok(values[node])
}

/// Parses `--wrt`: variables or named intermediates of the function.
pub fn parse_wrt(function: &Function, text: &str) -> Result<Vec<(String, NodeId)>> {
    let mut out: Vec<(String, NodeId)> = Vec::new();
    // By node: a name is one node, and a node one name.
    let mut seen = vec![false; function.graph.len()];
    for (range, item) in items(text) {
        let (range, name) = trimmed(range, item);
        if name.is_empty() {
            return Err(Error::at(both("empty name in --wrt", "--wrt 中有空名称"), range)
                .with_label(both("write names separated by commas, e.g. w,b", "请写用逗号隔开的名称，例如 w,b"))
                .in_source("--wrt", text));
        }
        let node = function.lookup(name).filter(|&id| !matches!(function.graph.op(id), Op::Const(_)));
        let Some(node) = node else {
            let mut e = unknown_name(function, name, range, ("differentiate with respect to", "可以求导的名称"));
            e.message = format!("`{name}` is not a variable or named intermediate of the expression");
            e.chinese.message = Some(format!("`{name}` 既不是表达式中的变量，也不是有名字的中间量"));
            return Err(e.in_source("--wrt", text));
        };
        if !std::mem::replace(&mut seen[node.index()], true) {
            out.push((name.to_string(), node));
        }
    }
    Ok(out)
}

/// A domain error at the point, pointing at the node's place in the expression.
pub fn domain_error(function: &Function, e: DomainError, source: &str, text: &str) -> Error {
    let graph = &function.graph;
    let printer = Printer::new(graph);
    let (en, zh) = (&e.reason.en, e.reason.chinese());
    let message = match printer.size(graph.definition(e.node)) {
        size if size <= 60 => {
            let part = printer.definition(e.node, Style::Text);
            both(format!("at this point, `{part}` {en}"), format!("在这一点，`{part}` {zh}"))
        }
        _ => both(format!("at this point, a part of the expression {en}"), format!("在这一点，表达式的一部分{zh}")),
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
