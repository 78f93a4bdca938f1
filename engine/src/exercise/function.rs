//! Function exercises: statements of the expression language, a point, and checks of values
//! (`f`, any named intermediate), partial derivatives (`df/dw`, `∂L/∂z`) and one step of
//! gradient descent (`new w`, with an `lr` line). Numbers follow the tolerance rule of
//! `answer`; expressions are right when they equal the right answer at the point and at 30
//! seeded random points.

use super::equivalence::{Judged, judge_expression, target_not_subtracted};
use super::mistakes::{Problem, Quantity};
use super::reading::{Read, read_answer};
use super::verdict::{Earlier, decide};
use super::{DEFAULT_DIGITS, Exercise, Located, SheetSource, Verdict};
use crate::error::{Error, Phrase, Result, both};
use crate::graph::build::{Function, parse_into};
use crate::graph::number::Number;
use crate::graph::{Graph, NodeId, Op};
use crate::numeric;
use crate::numeric::point::{domain_error, parse_at};
use crate::print::Printer;
use crate::said::Said;
use crate::symbolic::diff::gradient;
use std::collections::HashMap;

/// What a check asks for, by name.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Value(String),
    Partial {
        of: String,
        wrt: String,
    },
    /// `new w`: w after one step of gradient descent.
    Update(String),
}

/// Reads a check's target: `f`, `q`, `df/dx`, `∂L/∂z`, `dE / dw`, `new w`.
pub fn parse_target(text: &str) -> Target {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("new ").or_else(|| t.strip_prefix("new\t")) {
        return Target::Update(rest.trim().to_string());
    }
    if let Some((top, bottom)) = t.split_once('/') {
        let strip =
            |s: &str| s.trim().strip_prefix('∂').or_else(|| s.trim().strip_prefix('d')).map(|r| r.trim().to_string());
        if let (Some(of), Some(wrt)) = (strip(top), strip(bottom))
            && !of.is_empty()
            && !wrt.is_empty()
        {
            return Target::Partial { of, wrt };
        }
    }
    Target::Value(t.to_string())
}

/// The statements of an exercise as one program, and where each statement starts in it.
fn program(lines: &[Located]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut starts = Vec::new();
    for l in lines {
        starts.push(text.len());
        text.push_str(&l.text);
        text.push('\n');
    }
    (text, starts)
}

/// Names the learning rate may have when it is a statement (`lr = 0.1`) rather than a line.
const RATE_NAMES: [&str; 4] = ["lr", "alpha", "α", "learning_rate"];

/// One root of differentiation: the output, or a named intermediate a check differentiates
/// (`dq/dx`), with its partials (symbolic, to print and compare) and adjoints (numbers).
struct Root {
    node: NodeId,
    symbolic: HashMap<NodeId, NodeId>,
    adjoints: crate::reverse::Adjoints<f64>,
}

pub fn judge(ex: &Exercise, lines: &[Located], sheet: &SheetSource, hints: bool) -> Result<Vec<Verdict>> {
    let (text, starts) = program(lines);
    // Errors in the program go back to their lines of the sheet.
    let to_sheet = |mut e: Error| {
        if let Some(span) = e.span.clone() {
            let index = starts.iter().rposition(|&s| s <= span.start).unwrap_or(0);
            let shift = lines[index].span.start as isize - starts[index] as isize;
            e.span = Some((span.start as isize + shift) as usize..(span.end as isize + shift) as usize);
        }
        e.source = None;
        sheet.placed(e)
    };
    let mut function = Function::parse(&text).map_err(to_sheet)?;
    let given: Vec<(NodeId, f64)> = match &ex.at {
        Some(at) => parse_at(&function, &at.text)
            .map_err(|e| sheet.relocate(e, at))?
            .iter()
            .map(|a| (a.node, a.value))
            .collect(),
        None if function.variables.is_empty() => Vec::new(),
        None => {
            return Err(sheet.placed(
                Error::at(
                    both("this exercise has no `at` line giving the point", "这道练习没有给出取值点的 `at` 行"),
                    sheet.line_span(ex.line),
                )
                .with_label(both("add e.g. `at w = 0.5, x = 1.5`", "请加上一行，例如 `at w = 0.5, x = 1.5`")),
            ));
        }
    };
    let rate = learning_rate(ex, &function, sheet)?;
    let output = function.output;
    let mut named: Vec<(String, NodeId)> = function.variables.clone();
    named.extend(function.intermediates.iter().cloned());
    let nodes: Vec<NodeId> = named.iter().map(|n| n.1).collect();
    let mut lookup: HashMap<String, NodeId> = named.iter().cloned().collect();
    lookup.entry(function.output_name.clone()).or_insert(output);

    // Every root a check differentiates: the output, and intermediates asked about by name.
    let mut root_nodes = vec![output];
    for check in &ex.checks {
        if let Target::Partial { of, .. } = parse_target(&check.target.text)
            && let Some(&n) = lookup.get(&of)
            && !root_nodes.contains(&n)
            && !matches!(function.graph.op(n), Op::Var(_))
        {
            root_nodes.push(n);
        }
    }
    // Symbolic partials only where a check asks for one (numeric adjoints reach every name): a
    // long program with few checks stays linear.
    let mut asked: Vec<Vec<NodeId>> = vec![Vec::new(); root_nodes.len()];
    for check in &ex.checks {
        let (of, wrt) = match parse_target(&check.target.text) {
            Target::Partial { of, wrt } => (lookup.get(&of).copied(), wrt),
            Target::Update(wrt) => (Some(output), wrt),
            Target::Value(_) => continue,
        };
        if let (Some(root), Some(&node)) = (of.and_then(|o| root_nodes.iter().position(|&r| r == o)), lookup.get(&wrt))
            && !asked[root].contains(&node)
        {
            asked[root].push(node);
        }
    }
    let gradients: Vec<_> =
        root_nodes.iter().zip(&asked).map(|(&r, wanted)| gradient(&mut function.graph, r, wanted)).collect();
    let graph = &function.graph;
    let domain = |e: numeric::DomainError| domain_error(&function, e, sheet.name, &text).in_source(sheet.name, &text);
    let mut evaluated = vec![output];
    evaluated.extend(&nodes);
    let values = numeric::evaluate(graph, &evaluated, &given).map_err(|e| to_sheet(domain(e)))?;
    let mut roots = Vec::new();
    for ((&node, grad), wanted) in root_nodes.iter().zip(gradients).zip(&asked) {
        let adjoints = numeric::adjoints(graph, node, &nodes, &values).map_err(|e| to_sheet(domain(e)))?;
        let symbolic = wanted.iter().copied().zip(grad.partials).collect();
        roots.push(Root { node, symbolic, adjoints });
    }
    let label = |node: NodeId| student_label(&function, node);
    let problems: Vec<Problem> = roots.iter().map(|r| Problem::new(graph, r.node, given.clone(), &label)).collect();
    let digits = ex.digits.unwrap_or(DEFAULT_DIGITS);

    let mut verdicts = Vec::new();
    // The student's numeric answers so far, for errors carried forward (by root).
    let mut earlier: Vec<Vec<Earlier>> = vec![Vec::new(); roots.len()];
    for check in &ex.checks {
        let mut v = Verdict::new(check);
        let (root, quantity) = match quantity(check, &function, &lookup, &roots, rate, sheet) {
            Ok(found) => found,
            Err(e) => {
                verdicts.push(Verdict::bad_input(check, e));
                continue;
            }
        };
        let r = &roots[root];
        let (expected, expected_node) = match quantity {
            Quantity::Value(n) => (values[n], Some(n)),
            Quantity::Adjoint { node, .. } => (r.adjoints.or(node, 0.0), r.symbolic.get(&node).copied()),
            Quantity::Update { node, lr } => (values[node] - lr * r.adjoints.or(node, 0.0), None),
        };
        if let Quantity::Adjoint { node, .. } = quantity {
            v.expected_text = r.symbolic.get(&node).and_then(|&p| Printer::new(graph).text_within(p, SHOWN_FORMULA));
        }
        if hints {
            v.hint = Some(hint(&function, r.node, &quantity, &label));
        }
        if check.answer.text.trim().is_empty() {
            super::verdict::unanswered(&mut v, expected);
            verdicts.push(v);
            continue;
        }
        let answer = match read_answer(&check.answer.text, graph, &lookup) {
            Ok(a) => a,
            Err(e) => {
                verdicts.push(Verdict::bad_input(check, sheet.relocate(e, &check.answer)));
                continue;
            }
        };
        v.notes = answer.notes;
        let problem = &problems[root];
        match answer.read {
            Read::Number(answer) => {
                let extra = target_not_subtracted(problem, quantity, expected_node);
                decide(&mut v, Some(problem), Some(quantity), expected, &answer, digits, &earlier[root], extra);
                earlier[root].extend(Earlier::of(&v, quantity, &answer));
            }
            Read::Expression(mut scratch, answer_node) => {
                let expected_node = match (expected_node, quantity) {
                    (Some(n), _) => n,
                    // `new w = w − 0.1·(…)`: the right update as a node, w − α·∂E/∂w.
                    (None, Quantity::Update { node, lr }) => {
                        let partial = r.symbolic.get(&node).copied().unwrap_or_else(|| scratch.int(0));
                        let step = scratch.product_with_coefficient(Number::Float(-lr), vec![partial]);
                        scratch.written_sum(vec![node, step])
                    }
                    (None, _) => unreachable!("values and adjoints have a node"),
                };
                let seed = check.target.line as u64;
                let judged = Judged { problem, quantity, expected, expected_node, seed };
                judge_expression(&mut v, &judged, &mut scratch, answer_node);
            }
        }
        verdicts.push(v);
    }
    Ok(verdicts)
}

/// What a check asks for, as a quantity of one of the roots (by index).
fn quantity(
    check: &super::Check,
    function: &Function,
    lookup: &HashMap<String, NodeId>,
    roots: &[Root],
    rate: Option<f64>,
    sheet: &SheetSource,
) -> Result<(usize, Quantity)> {
    let error = |message: Phrase, label: Option<Phrase>| {
        let e = Error::at(message, 0..check.target.text.len());
        sheet.relocate(if let Some(label) = label { e.with_label(label) } else { e }, &check.target)
    };
    let find = |name: &str| -> Result<NodeId> {
        lookup.get(name).copied().ok_or_else(|| {
            let mut known: Vec<&str> =
                function.variables.iter().chain(&function.intermediates).map(|n| n.0.as_str()).collect();
            if !known.contains(&function.output_name.as_str()) {
                known.push(&function.output_name);
            }
            let (list, list_zh) = (known.join(", "), known.join("、"));
            error(
                both(format!("`{name}` is not a name of this exercise"), format!("`{name}` 不是这道练习中的名称")),
                Some(both(format!("names: {list}"), format!("可用的名称：{list_zh}"))),
            )
        })
    };
    Ok(match parse_target(&check.target.text) {
        Target::Value(name) => (0, Quantity::Value(find(&name)?)),
        Target::Partial { of, wrt } => {
            let of = find(&of)?;
            let root = roots.iter().position(|r| r.node == of).ok_or_else(|| {
                let target = check.target.text.trim();
                error(
                    both(
                        format!("`{target}` is a variable: differentiate the output or a named intermediate"),
                        format!("`{target}` 是变量：请对输出或有名字的中间量求导"),
                    ),
                    None,
                )
            })?;
            (root, Quantity::Adjoint { node: find(&wrt)?, scale: 1.0 })
        }
        Target::Update(name) => match rate {
            Some(lr) => {
                let node = find(&name)?;
                if !matches!(function.graph.op(node), Op::Var(_)) {
                    let message = both(
                        format!("`new {name}`: only a variable (a parameter) is updated by a step"),
                        format!("`new {name}`：只有变量（即参数）会在一步更新中被更新"),
                    );
                    return Err(error(message, None));
                }
                (0, Quantity::Update { node, lr })
            }
            None => {
                return Err(error(
                    both("`new …` needs a learning rate", "`new …` 需要学习率"),
                    Some(both("add a line `lr 0.1` to the exercise", "请在这道练习中加一行 `lr 0.1`")),
                ));
            }
        },
    })
}

/// The learning rate of `new w` checks: an `lr` line, else a named constant `lr` (or α).
fn learning_rate(ex: &Exercise, function: &Function, sheet: &SheetSource) -> Result<Option<f64>> {
    if let Some(lr) = &ex.lr {
        let mut graph = Graph::new();
        let node = parse_into(&mut graph, &HashMap::new(), &lr.text).map_err(|e| sheet.relocate(e, lr))?;
        let value = numeric::evaluate(&graph, &[node], &[]).ok().map(|v| v[node]);
        return match value {
            Some(v) if v > 0.0 && v.is_finite() && graph.variable_names().is_empty() => Ok(Some(v)),
            _ => Err(sheet.relocate(
                Error::at(both("the learning rate must be a positive number", "学习率必须是正数"), 0..lr.text.len()),
                lr,
            )),
        };
    }
    for (name, id) in &function.intermediates {
        if RATE_NAMES.contains(&name.as_str())
            && let Some(c) = function.graph.as_const(function.graph.definition(*id))
        {
            return Ok(Some(c.to_f64()));
        }
    }
    Ok(None)
}

/// A node in the student's words: their own names, else the expression (never a `u₁` they
/// did not write).
pub fn student_label(function: &Function, node: NodeId) -> String {
    let graph = &function.graph;
    if let Some(name) = graph.name_of(node) {
        return name.to_string();
    }
    if let Some(named) = graph.let_of(node) {
        return graph.name_of(named).unwrap_or_default().to_string();
    }
    if node == function.output {
        return function.output_name.clone();
    }
    // (said::zh translates this fallback by its words.)
    Printer::new(graph).text_within(node, SHOWN_FORMULA).unwrap_or_else(|| "an unnamed part of the expression".into())
}

/// The largest formula a verdict, a story or a hint writes out (in printed operations); a
/// larger one is named or left out, so that what a sheet prints stays linear in the sheet.
const SHOWN_FORMULA: usize = 60;

/// The first step of the right derivation, without the answer.
fn hint(function: &Function, root: NodeId, quantity: &Quantity, label: &dyn Fn(NodeId) -> String) -> Said {
    let graph = &function.graph;
    let out = &label(root);
    match *quantity {
        Quantity::Value(node) => {
            let inputs: Vec<String> = graph
                .inputs(graph.definition(node))
                .iter()
                .filter(|i| graph.as_const(**i).is_none())
                .map(|&i| label(i))
                .collect();
            let printer = Printer::new(graph);
            let definition = (printer.size(graph.definition(node)) <= SHOWN_FORMULA)
                .then(|| printer.definition(node, crate::print::Style::Text));
            Said::HintForward { node: label(node), definition, inputs }
        }
        Quantity::Adjoint { node, .. } => {
            let order = graph.topological_order(&[root]);
            let mut users: Vec<(String, NodeId)> = Vec::new();
            for &u in order.iter().filter(|u| graph.inputs(**u).contains(&node)) {
                let name = label(u);
                if !users.iter().any(|(n, _)| *n == name) {
                    users.push((name, u));
                }
            }
            let x = label(node);
            let of = |s: &str| super::catalogue::symbol(s);
            let step = |u: &str| format!("∂{out}/∂{}·∂{}/∂{x}", of(u), of(u));
            let out = out.clone();
            match users.as_slice() {
                [] => Said::HintNoDependence { out, x },
                [(one, _)] if *one == out => Said::HintDirect { out, x },
                [(one, u)] => {
                    let k = graph.inputs(*u).iter().position(|i| *i == node).unwrap_or(0);
                    let rule = crate::graph::rules::rule_name(graph.op(*u), k, false).to_string();
                    Said::HintThrough { step: step(one), x, out, one: one.clone(), rule }
                }
                many => {
                    let terms: Vec<String> = many.iter().map(|(u, _)| step(u)).collect();
                    let names: Vec<String> = many.iter().map(|(u, _)| u.clone()).collect();
                    Said::HintFeeds { x, names, out, terms: terms.join(" + ") }
                }
            }
        }
        Quantity::Update { node, lr } => {
            let x = label(node);
            Said::HintUpdate { x, out: out.clone(), lr: lr.to_string() }
        }
    }
}
