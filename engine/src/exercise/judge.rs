//! Judging answers: numbers within half a unit of their last written digit, expressions by
//! equivalence at the point and at seeded random points, and — for a wrong answer — the likely
//! mistake, found by re-running the backward pass with one anticipated mistake at a time
//! (through the same derivative rules), and error carried forward from the student's own
//! earlier answers.

use super::{Check, Exercise, Located, Subject};
use crate::commands::at::parse_at;
use crate::commands::derive::format_number;
use crate::commands::grad::node_names;
use crate::commands::net::{NetRequest, load_network};
use crate::error::{Error, Result};
use crate::graph::build::{Function, parse_into};
use crate::graph::rules::{Numbers, apply, local_derivatives};
use crate::graph::{Func, Graph, NodeId, Op};
use crate::host::Host;
use crate::net::data::rows;
use crate::net::model::Tensor;
use crate::net::train::{OptimizerState, loss_and_gradients, update};
use crate::numeric;
use crate::print::{Printer, Style};
use crate::symbolic::diff::gradient;
use crate::symbolic::simplify::Simplifier;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::HashMap;

/// The verdict on one `check` line.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub line: usize,
    pub target: String,
    pub answer: String,
    pub correct: bool,
    pub expected: Option<f64>,
    /// The right form, for partial derivatives of functions.
    pub expected_text: Option<String>,
    pub mistake: Option<String>,
    pub feedback: String,
    /// Bad input in this check (an answer that does not parse, an unknown name).
    pub error: Option<Error>,
    pub hint: Option<String>,
}

#[derive(Clone, Debug)]
pub struct ExerciseReport {
    pub title: String,
    pub line: usize,
    pub checks: Vec<Verdict>,
    /// Bad input that stops the whole exercise (its function, point or network).
    pub error: Option<Error>,
}

/// Where the sheet is, for messages and relative network paths.
pub struct SheetSource<'a> {
    pub name: &'a str,
    pub text: &'a str,
    /// The sheet's folder: network files are named relative to it.
    pub base: &'a str,
    pub host: &'a dyn Host,
}

/// A number written as an answer, and half a unit of its last written digit.
pub fn plain_number(text: &str) -> Option<(f64, f64)> {
    let t = text.trim().replace('−', "-");
    let body = t.strip_prefix(['-', '+']).unwrap_or(&t);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (body, 0),
    };
    if mantissa.is_empty()
        || !mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        || mantissa.matches('.').count() > 1
    {
        return None;
    }
    let decimals = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
    let value: f64 = t.parse().ok()?;
    Some((value, 0.5 * 10f64.powi(exponent - decimals)))
}

fn within(answer: f64, expected: f64, half_unit: f64) -> bool {
    (answer - expected).abs() <= half_unit * (1.0 + 1e-9) + 1e-12
}

/// Moves an error found in a piece of the sheet to its place in the sheet.
fn relocate(mut e: Error, piece: &Located, sheet: &SheetSource) -> Error {
    if let Some(span) = &e.span {
        e.span = Some(piece.span.start + span.start..piece.span.start + span.end);
    } else {
        e.span = Some(piece.span.clone());
    }
    e.source = None;
    e.in_source(sheet.name, sheet.text)
}

/// What a check asks for.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    Value(String),
    Partial { of: String, wrt: String },
}

fn parse_target(text: &str) -> Target {
    let t = text.trim();
    if let Some((top, bottom)) = t.split_once('/') {
        let strip =
            |s: &str| s.trim().strip_prefix('∂').or_else(|| s.trim().strip_prefix('d')).map(|r| r.trim().to_string());
        if let (Some(of), Some(wrt)) = (strip(top), strip(bottom)) {
            return Target::Partial { of, wrt };
        }
    }
    Target::Value(t.to_string())
}

/// Judges every exercise of a sheet.
pub fn judge_sheet(exercises: &[Exercise], sheet: &SheetSource, hints: bool) -> Vec<ExerciseReport> {
    exercises
        .iter()
        .map(|ex| {
            let result = match &ex.subject {
                Some(Subject::Function(lines)) => judge_function(ex, lines, sheet, hints),
                Some(Subject::Network(path)) => judge_network(ex, path, sheet),
                None => Err(Error::at(
                    "this exercise has no function (`f = …`) and no `network \"…\"` line",
                    line_span(sheet.text, ex.line),
                )
                .in_source(sheet.name, sheet.text)),
            };
            match result {
                Ok(checks) => ExerciseReport { title: ex.title.clone(), line: ex.line, checks, error: None },
                Err(e) => ExerciseReport { title: ex.title.clone(), line: ex.line, checks: Vec::new(), error: Some(e) },
            }
        })
        .collect()
}

fn line_span(text: &str, line: usize) -> std::ops::Range<usize> {
    let start: usize = text.split('\n').take(line.saturating_sub(1)).map(|l| l.len() + 1).sum();
    let len = text[start.min(text.len())..].split('\n').next().map_or(0, str::len);
    start..start + len.max(1)
}

fn verdict(check: &Check, target: &str) -> Verdict {
    Verdict {
        line: check.target.line,
        target: target.to_string(),
        answer: check.answer.text.clone(),
        correct: false,
        expected: None,
        expected_text: None,
        mistake: None,
        feedback: String::new(),
        error: None,
        hint: None,
    }
}

// ----- functions -----

/// Values and adjoints of a function at a point, with optional overrides, and with optional
/// anticipated mistakes in the backward pass.
struct Evaluator<'a> {
    graph: &'a Graph,
    output: NodeId,
    order: Vec<NodeId>,
    /// The nodes the output depends on.
    feeds_output: std::collections::HashSet<NodeId>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mistake {
    /// A local derivative forgotten (taken as 1): (user, input number).
    DropFactor(NodeId, usize),
    /// One path of a fan-out forgotten (its local derivative taken as 0).
    ForgetPath(NodeId, usize),
    /// σ′(u) written as σ(u)·(1 − u).
    SigmoidOneMinusInput(NodeId),
    /// σ′ taken at the output: σ(a)·(1 − σ(a)) where a = σ(u).
    SigmoidAtOutput(NodeId),
    /// The pre-activation z used where the activation a = f(z) was needed.
    PreActivation(NodeId),
}

impl Evaluator<'_> {
    /// Whether the output depends on this node.
    fn reaches_output(&self, node: NodeId) -> bool {
        self.feeds_output.contains(&node)
    }

    fn values(&self, point: &HashMap<NodeId, f64>, overrides: &[(NodeId, f64)]) -> Option<HashMap<NodeId, f64>> {
        let mut values = HashMap::with_capacity(self.order.len());
        for &id in &self.order {
            if let Some(&(_, v)) = overrides.iter().find(|(n, _)| *n == id) {
                values.insert(id, v);
                continue;
            }
            let inputs: Vec<f64> = self.graph.inputs(id).iter().map(|i| values[i]).collect();
            values.insert(id, numeric::node_value(self.graph, id, &inputs, point.get(&id).copied()).ok()?);
        }
        Some(values)
    }

    /// The values again, with one node's value replaced and everything downstream recomputed.
    fn revalue(&self, values: &HashMap<NodeId, f64>, node: NodeId, value: f64) -> Option<HashMap<NodeId, f64>> {
        let mut out = values.clone();
        out.insert(node, value);
        for &id in &self.order {
            if id == node || self.graph.inputs(id).is_empty() {
                continue;
            }
            let inputs: Vec<f64> = self.graph.inputs(id).iter().map(|i| out[i]).collect();
            out.insert(id, numeric::node_value(self.graph, id, &inputs, None).ok()?);
        }
        Some(out)
    }

    /// ∂output/∂node for every node, with an adjoint override and an anticipated mistake.
    fn adjoints(
        &self,
        true_values: &HashMap<NodeId, f64>,
        forced: Option<(NodeId, f64)>,
        mistake: Option<Mistake>,
    ) -> HashMap<NodeId, f64> {
        // "z used where a = f(z) was needed": downstream of a, values are computed from z.
        let shifted = match mistake {
            Some(Mistake::PreActivation(act)) => {
                let z = self.graph.inputs(act)[0];
                self.revalue(true_values, act, true_values[&z])
            }
            _ => None,
        };
        let mut adjoint: HashMap<NodeId, f64> = HashMap::new();
        adjoint.insert(self.output, 1.0);
        for &id in self.order.iter().rev() {
            let mut a = adjoint.get(&id).copied().unwrap_or(0.0);
            if let Some((n, v)) = forced
                && n == id
            {
                a = v;
                adjoint.insert(id, v);
            }
            let inputs = self.graph.inputs(id);
            if inputs.is_empty() || a == 0.0 {
                continue;
            }
            // The activation's own derivative keeps its true value; the rest see the mistake.
            let values = match (&shifted, mistake) {
                (Some(v), Some(Mistake::PreActivation(act))) if act != id => v,
                _ => true_values,
            };
            let input_values: Vec<f64> = inputs.iter().map(|i| values[i]).collect();
            let wanted = vec![true; inputs.len()];
            let mut locals = local_derivatives(&mut Numbers, self.graph.op(id), &input_values, values[&id], &wanted);
            match (mistake, self.graph.op(id)) {
                (Some(Mistake::DropFactor(user, k)), _) if user == id => locals[k] = Some(1.0),
                (Some(Mistake::ForgetPath(user, k)), _) if user == id => locals[k] = Some(0.0),
                (Some(Mistake::SigmoidOneMinusInput(node)), Op::Call(Func::Sigmoid, _)) if node == id => {
                    locals[0] = Some(values[&id] * (1.0 - input_values[0]));
                }
                (Some(Mistake::SigmoidAtOutput(node)), Op::Call(Func::Sigmoid, _)) if node == id => {
                    let s = apply(Func::Sigmoid, values[&id]);
                    locals[0] = Some(s * (1.0 - s));
                }
                _ => {}
            }
            for (input, local) in inputs.iter().zip(locals) {
                if let Some(local) = local {
                    *adjoint.entry(*input).or_insert(0.0) += a * local;
                }
            }
        }
        adjoint
    }
}

fn judge_function(ex: &Exercise, lines: &[Located], sheet: &SheetSource, hints: bool) -> Result<Vec<Verdict>> {
    // The statements as one program; errors are moved back to their sheet lines.
    let mut program = String::new();
    let mut starts = Vec::new();
    for l in lines {
        starts.push(program.len());
        program.push_str(&l.text);
        program.push('\n');
    }
    let mut function = Function::parse(&program).map_err(|mut e| {
        let at = e.span.as_ref().map_or(0, |s| s.start);
        let index = starts.iter().rposition(|&s| s <= at).unwrap_or(0);
        if let Some(span) = &e.span {
            let shift = lines[index].span.start as isize - starts[index] as isize;
            e.span = Some((span.start as isize + shift) as usize..(span.end as isize + shift) as usize);
        }
        e.source = None;
        e.in_source(sheet.name, sheet.text)
    })?;
    let Some(at) = &ex.at else {
        return Err(Error::at("this exercise has no `at` line giving the point", line_span(sheet.text, ex.line))
            .with_label("add e.g. `at w = 0.5, x = 1.5`")
            .in_source(sheet.name, sheet.text));
    };
    let at_text = at.text.replace(' ', "");
    let assignments =
        parse_at(&function, &at.text).or_else(|_| parse_at(&function, &at_text)).map_err(|e| relocate(e, at, sheet))?;
    let point: HashMap<NodeId, f64> = assignments.iter().map(|a| (a.node, a.value)).collect();

    let output = function.output;
    let mut named: Vec<(String, NodeId)> = function.variables.clone();
    named.extend(function.intermediates.iter().cloned());
    let nodes: Vec<NodeId> = named.iter().map(|n| n.1).collect();
    let grad = gradient(&mut function.graph, output, &nodes);
    let symbolic: HashMap<NodeId, NodeId> = nodes.iter().copied().zip(grad.partials.iter().copied()).collect();
    let mut roots = vec![output];
    roots.extend(function.intermediates.iter().map(|i| i.1));
    let order = function.graph.topological_order(&roots);
    let names = node_names(&function, &order);
    // Local derivative expressions, for naming a dropped factor.
    let mut local_text: HashMap<(NodeId, usize), String> = HashMap::new();
    for &id in &order {
        let op = function.graph.op(id).clone();
        let inputs = op.inputs().to_vec();
        if inputs.is_empty() {
            continue;
        }
        let wanted = vec![true; inputs.len()];
        let ds = local_derivatives(&mut Simplifier::new(&mut function.graph), &op, &inputs, id, &wanted);
        let mut printer = Printer::new(&function.graph);
        printer.add_names(&names);
        for (k, d) in ds.into_iter().enumerate() {
            if let Some(d) = d {
                local_text.insert((id, k), printer.text(d));
            }
        }
    }
    let graph = &function.graph;
    let mut printer = Printer::new(graph);
    printer.add_names(&names);
    let label = |id: NodeId| -> String {
        names.get(&id).cloned().or_else(|| graph.name_of(id).map(str::to_string)).unwrap_or_else(|| {
            match graph.op(id) {
                Op::Var(i) => graph.variable_name(*i).to_string(),
                _ => printer.text(id),
            }
        })
    };
    let feeds_output = graph.topological_order(&[output]).into_iter().collect();
    let evaluator = Evaluator { graph, output, order: order.clone(), feeds_output };
    let domain = |e: numeric::DomainError| crate::commands::derive::domain_error(&function, e, sheet.name, &program);
    let values = evaluator.values(&point, &[]).ok_or_else(|| {
        numeric::evaluate(graph, &[output], &point)
            .err()
            .map(domain)
            .unwrap_or_else(|| Error::new("the function has no value at this point"))
    })?;
    let adjoints = evaluator.adjoints(&values, None, None);
    let lookup: HashMap<String, NodeId> = named.iter().cloned().collect();
    let output_names = [function.output_name.as_str(), "f"];

    let mut verdicts = Vec::new();
    // The student's wrong numeric answers so far: (what, line, override).
    let mut earlier: Vec<(String, usize, Target, NodeId, f64)> = Vec::new();
    for check in &ex.checks {
        let target = parse_target(&check.target.text);
        let mut v = verdict(check, check.target.text.trim());
        let unknown = |name: &str| {
            let mut known: Vec<&str> = named.iter().map(|n| n.0.as_str()).collect();
            known.push(function.output_name.as_str());
            relocate(
                Error::at(format!("`{name}` is not a name of this exercise"), 0..check.target.text.len())
                    .with_label(format!("names: {}", known.join(", "))),
                &check.target,
                sheet,
            )
        };
        let node = match &target {
            Target::Value(name) if output_names.contains(&name.as_str()) => output,
            Target::Value(name) => match lookup.get(name) {
                Some(&n) => n,
                None => {
                    v.error = Some(unknown(name));
                    verdicts.push(v);
                    continue;
                }
            },
            Target::Partial { of, wrt } => {
                if !output_names.contains(&of.as_str()) {
                    v.error = Some(relocate(
                        Error::at(
                            format!("partial derivatives are of the output `{}`, not `{of}`", function.output_name),
                            0..check.target.text.len(),
                        ),
                        &check.target,
                        sheet,
                    ));
                    verdicts.push(v);
                    continue;
                }
                match lookup.get(wrt) {
                    Some(&n) => n,
                    None => {
                        v.error = Some(unknown(wrt));
                        verdicts.push(v);
                        continue;
                    }
                }
            }
        };
        let is_partial = matches!(target, Target::Partial { .. });
        let expected = if is_partial { adjoints.get(&node).copied().unwrap_or(0.0) } else { values[&node] };
        v.expected = Some(expected);
        if is_partial {
            v.expected_text = Some(Printer::new(graph).text(symbolic[&node]));
        }
        if hints {
            v.hint = Some(hint(graph, &printer, &names, output, node, is_partial, &function.output_name));
        }
        // The answer: a number, or an expression.
        // Expression answers are read into a copy of the graph, which keeps every node id valid.
        let mut scratch = graph.clone();
        let (answer_value, tolerance, answer_node) = match plain_number(&check.answer.text) {
            Some((a, half)) => (a, half, None),
            None => match parse_into(&mut scratch, &lookup, &check.answer.text) {
                Err(e) => {
                    v.error = Some(relocate(e, &check.answer, sheet));
                    verdicts.push(v);
                    continue;
                }
                Ok(answer) => {
                    let expected_node = if is_partial { symbolic[&node] } else { node };
                    match equivalent(&scratch, expected_node, answer, &function, &point, check.target.line as u64) {
                        Equivalence::Equal => {
                            v.correct = true;
                            v.feedback = "equivalent to the right answer at the point and at 30 random points".into();
                            verdicts.push(v);
                            continue;
                        }
                        Equivalence::Undecided(n) => {
                            v.feedback =
                                format!("could not decide: only {n} random points where both sides are defined");
                            verdicts.push(v);
                            continue;
                        }
                        Equivalence::Undefined => {
                            v.feedback = "your expression has no value at the given point".into();
                            verdicts.push(v);
                            continue;
                        }
                        Equivalence::Different(at_point) => (at_point, 1e-6 * (1.0 + at_point.abs()), Some(answer)),
                    }
                }
            },
        };
        if answer_node.is_none() && within(answer_value, expected, tolerance) {
            v.correct = true;
            v.feedback = format!("the right value is {}", format_number(expected));
            verdicts.push(v);
            continue;
        }
        // Wrong: say the right value, then look for the likely mistake.
        let matches =
            |candidate: f64| within(answer_value, candidate, tolerance) && !within(candidate, expected, tolerance);
        let right = match &v.expected_text {
            Some(form) => format!("the right answer is {form} = {}", format_number(expected)),
            None => format!("the right value is {}", format_number(expected)),
        };
        let mut mistake: Option<(String, String)> = None;
        // Error carried forward from the student's own earlier (numeric) answers.
        for (what, line, earlier_target, earlier_node, earlier_value) in
            earlier.iter().filter(|_| answer_node.is_none())
        {
            let carried = match earlier_target {
                Target::Value(_) => evaluator.values(&point, &[(*earlier_node, *earlier_value)]).map(|vals| {
                    if is_partial {
                        evaluator.adjoints(&vals, None, None).get(&node).copied().unwrap_or(0.0)
                    } else {
                        vals[&node]
                    }
                }),
                Target::Partial { .. } if is_partial => {
                    evaluator.adjoints(&values, Some((*earlier_node, *earlier_value)), None).get(&node).copied()
                }
                Target::Partial { .. } => None,
            };
            if let Some(c) = carried
                && matches(c)
            {
                mistake = Some((
                    format!("error carried forward from {what}"),
                    format!(
                        "consistent with your {what} (line {line}): the method is right, the earlier value was not"
                    ),
                ));
                break;
            }
        }
        if mistake.is_none() {
            let candidates = diagnose(&evaluator, &values, expected, is_partial, node, &label, &local_text);
            // The candidate closest to the answer; an expression answer must also agree with
            // it at random points, so a coincidence at the given point does not count.
            let mut best: Option<(f64, &Candidate)> = None;
            for c in &candidates {
                if !matches(c.value) {
                    continue;
                }
                if let Some(answer) = answer_node
                    && !agrees_elsewhere(
                        &evaluator,
                        &function,
                        &scratch,
                        answer,
                        node,
                        is_partial,
                        c,
                        check.target.line as u64,
                    )
                {
                    continue;
                }
                let distance = (c.value - answer_value).abs();
                let close_enough = |a: f64, b: f64| (a - b).abs() <= 1e-12 * (1.0 + a.abs());
                let better = match best {
                    None => true,
                    Some((d, b)) => {
                        distance < d && !close_enough(distance, d)
                            || close_enough(distance, d) && c.priority < b.priority
                    }
                };
                if better {
                    best = Some((distance, c));
                }
            }
            mistake = best.map(|(_, c)| (c.name.clone(), c.explanation.clone()));
        }
        match mistake {
            Some((name, explanation)) => {
                v.feedback = format!("{right}; likely mistake: {explanation}");
                v.mistake = Some(name);
            }
            None => v.feedback = right,
        }
        if answer_node.is_none() {
            earlier.push((check.target.text.trim().to_string(), check.target.line, target.clone(), node, answer_value));
        }
        verdicts.push(v);
    }
    Ok(verdicts)
}

/// An anticipated mistake and the value it gives at the point.
struct Candidate {
    /// Among equally close candidates, the lowest wins (the likelier story).
    priority: u8,
    name: String,
    explanation: String,
    value: f64,
    /// How to recompute it elsewhere: a factor on the right value, or a changed backward pass.
    how: How,
}

#[derive(Clone, Copy)]
enum How {
    Scale(f64),
    Backward(Mistake),
}

/// The catalogue of anticipated mistakes with their values at the point.
fn diagnose(
    evaluator: &Evaluator,
    values: &HashMap<NodeId, f64>,
    expected: f64,
    is_partial: bool,
    node: NodeId,
    label: &dyn Fn(NodeId) -> String,
    local_text: &HashMap<(NodeId, usize), String>,
) -> Vec<Candidate> {
    let mut out = vec![Candidate {
        priority: 0,
        name: "sign flip".into(),
        explanation: "the sign is flipped".into(),
        value: -expected,
        how: How::Scale(-1.0),
    }];
    for (factor, name) in [(0.5, "2"), (2.0, "½"), (1.0 / 3.0, "3"), (3.0, "⅓")] {
        out.push(Candidate {
            priority: 0,
            name: format!("dropped constant factor {name}"),
            explanation: format!("a constant factor {name} is missing"),
            value: expected * factor,
            how: How::Scale(factor),
        });
    }
    if !is_partial {
        return out;
    }
    let graph = evaluator.graph;
    let mut backward = |mistake: Mistake, name: String, explanation: String| {
        let value = evaluator.adjoints(values, None, Some(mistake)).get(&node).copied().unwrap_or(0.0);
        let priority = match mistake {
            Mistake::ForgetPath(..) => 1,
            Mistake::SigmoidOneMinusInput(_) | Mistake::SigmoidAtOutput(_) | Mistake::PreActivation(_) => 2,
            Mistake::DropFactor(..) => 3,
        };
        out.push(Candidate { priority, name, explanation, value, how: How::Backward(mistake) });
    };
    let depends = graph.depends_on(&evaluator.order, &[node]);
    let on_path: Vec<NodeId> =
        evaluator.order.iter().copied().filter(|n| depends[n] && *n != node && evaluator.reaches_output(*n)).collect();
    let users_of = |n: NodeId| on_path.iter().filter(|u| graph.inputs(**u).contains(&n)).count();
    for &user in on_path.iter().rev() {
        for (k, input) in graph.inputs(user).iter().enumerate() {
            if !depends[input] {
                continue;
            }
            let d = local_text.get(&(user, k)).cloned().unwrap_or_default();
            let step = format!("∂{}/∂{}", label(user), label(*input));
            // A forgotten path first: on a tie it is the likelier story.
            if users_of(*input) > 1 {
                backward(
                    Mistake::ForgetPath(user, k),
                    format!("forgotten path through {}", label(user)),
                    format!(
                        "{} feeds several nodes; the path through {} is missing from the sum over paths",
                        label(*input),
                        label(user)
                    ),
                );
            }
            if !matches!(graph.op(user), Op::Add(_)) {
                let at = format!("at node {} = {}", label(user), Printer::new(graph).definition(user, Style::Text));
                backward(
                    Mistake::DropFactor(user, k),
                    format!("dropped chain factor {step}"),
                    format!("the chain factor {step} = {d} is missing ({at})"),
                );
            }
        }
        if let Op::Call(f, [z]) = graph.op(user) {
            let (a, z) = (label(user), label(*z));
            if *f == Func::Sigmoid {
                backward(
                    Mistake::SigmoidOneMinusInput(user),
                    "σ′ written as σ(z)(1 − z)".into(),
                    format!("σ′({z}) was written as σ({z})·(1 − {z}); it is σ({z})·(1 − σ({z})) = {a}·(1 − {a})"),
                );
                backward(
                    Mistake::SigmoidAtOutput(user),
                    "σ′ taken at the wrong node".into(),
                    format!("σ′ was taken at {a} instead of at {z}: use {a}·(1 − {a}), not σ({a})·(1 − σ({a}))"),
                );
            }
            backward(
                Mistake::PreActivation(user),
                format!("used {z} where {a} was needed"),
                format!("the value of {z} was used where {a} = f({z}) was needed"),
            );
        }
    }
    out
}

/// Whether an expression answer equals a candidate mistake at three random points too.
#[allow(clippy::too_many_arguments)]
fn agrees_elsewhere(
    evaluator: &Evaluator,
    function: &Function,
    graph: &Graph,
    answer: NodeId,
    node: NodeId,
    is_partial: bool,
    candidate: &Candidate,
    seed: u64,
) -> bool {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let mut checked = 0;
    for _ in 0..100 {
        let at: HashMap<NodeId, f64> =
            function.variables.iter().map(|(_, n)| (*n, rng.random::<f64>() * 5.0 - 2.5)).collect();
        let Some(values) = evaluator.values(&at, &[]) else { continue };
        let Ok(answer_values) = numeric::evaluate(graph, &[answer], &at) else { continue };
        let right = if is_partial {
            evaluator.adjoints(&values, None, None).get(&node).copied().unwrap_or(0.0)
        } else {
            values[&node]
        };
        let value = match candidate.how {
            How::Scale(f) => right * f,
            How::Backward(m) => evaluator.adjoints(&values, None, Some(m)).get(&node).copied().unwrap_or(0.0),
        };
        let a = answer_values[&answer];
        if (a - value).abs() > 1e-9 + 1e-7 * a.abs().max(value.abs()) {
            return false;
        }
        checked += 1;
        if checked == 3 {
            return true;
        }
    }
    false
}

enum Equivalence {
    Equal,
    /// Different: the answer's value at the given point.
    Different(f64),
    Undefined,
    Undecided(usize),
}

/// Equal at the point and at 30 seeded random points where both sides are defined.
fn equivalent(
    graph: &Graph,
    expected: NodeId,
    answer: NodeId,
    function: &Function,
    point: &HashMap<NodeId, f64>,
    seed: u64,
) -> Equivalence {
    let value = |node: NodeId, at: &HashMap<NodeId, f64>| numeric::evaluate(graph, &[node], at).ok().map(|v| v[&node]);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 + 1e-7 * a.abs().max(b.abs());
    let (Some(e), Some(a)) = (value(expected, point), value(answer, point)) else { return Equivalence::Undefined };
    if !close(e, a) {
        return Equivalence::Different(a);
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut valid = 0;
    for _ in 0..300 {
        let at: HashMap<NodeId, f64> =
            function.variables.iter().map(|(_, n)| (*n, rng.random::<f64>() * 5.0 - 2.5)).collect();
        let (Some(e), Some(a)) = (value(expected, &at), value(answer, &at)) else { continue };
        if !close(e, a) {
            return Equivalence::Different(value(answer, point).unwrap_or(a));
        }
        valid += 1;
        if valid == 30 {
            return Equivalence::Equal;
        }
    }
    Equivalence::Undecided(valid)
}

/// The first step of the right derivation, without the answer.
fn hint(
    graph: &Graph,
    printer: &Printer,
    names: &HashMap<NodeId, String>,
    output: NodeId,
    node: NodeId,
    partial: bool,
    output_name: &str,
) -> String {
    let definition = Printer::new(graph).definition(output, Style::Text);
    if !partial {
        return format!(
            "run the forward pass: evaluate the inputs of {output_name} = {definition} first, then {output_name}"
        );
    }
    let what = names.get(&node).cloned().unwrap_or_else(|| printer.text(node));
    let rule = match graph.op(output) {
        Op::Call(f, _) => crate::graph::rules::rule_name(&Op::Call(*f, [output]), 0, false).to_string(),
        op => crate::graph::rules::rule_name(op, 0, false).to_string(),
    };
    format!(
        "start at the output, {output_name} = {definition}: its local derivative uses the {rule}; then apply the chain rule node by node down to {what}"
    )
}

// ----- networks -----

fn judge_network(ex: &Exercise, path: &Located, sheet: &SheetSource) -> Result<Vec<Verdict>> {
    let file = crate::net::data::join_path(sheet.base, &path.text);
    let text = sheet.host.read(&file).map_err(|e| {
        relocate(Error::at(format!("cannot read network `{}`: {e}", path.text), 0..path.span.len()), path, sheet)
    })?;
    let base = file.rsplit_once('/').map_or(String::new(), |(folder, _)| folder.to_string());
    let request = NetRequest { text, source_name: file.clone(), base };
    let mut loaded = load_network(&request, sheet.host)?;
    let data = loaded
        .data
        .clone()
        .ok_or_else(|| relocate(Error::at("this network has no `data` line", 0..path.span.len()), path, sheet))?;
    let size = loaded.spec.train.batch.unwrap_or(data.len()).min(data.len());
    let indices: Vec<usize> = (0..size).collect();
    let (x, t) = (rows(&data.x, &indices), rows(&data.t, &indices));
    let spec = loaded.spec.train.clone();
    let (loss, grads, deltas, _) = loss_and_gradients(&mut loaded.network, &x, &t, spec.l2, None);
    let mut stepped = loaded.network.clone();
    let mut g = grads.clone();
    let mut state = OptimizerState::new(&stepped);
    update(&mut stepped, &mut g, &mut state, &spec);
    let names = loaded.network.names.clone();
    let mut verdicts = Vec::new();
    for check in &ex.checks {
        let text = check.target.text.trim();
        let mut v = verdict(check, text);
        let fail = |message: String| {
            relocate(Error::at(message, 0..check.target.text.len()), &check.target, sheet).with_label(format!(
                "targets: E, dE/dW1[0][1], dE/db1[0], δ1[0], new W1[0][1]; parameters: {}",
                names.join(", ")
            ))
        };
        let (value, swapped, kind) =
            match network_target(text, &names, &loaded.network.params, &grads, &deltas, &stepped.params, loss) {
                Ok(found) => found,
                Err(message) => {
                    v.error = Some(fail(message));
                    verdicts.push(v);
                    continue;
                }
            };
        v.expected = Some(value);
        let Some((answer, half)) = plain_number(&check.answer.text) else {
            v.error = Some(relocate(
                Error::at("a network answer must be a number", 0..check.answer.text.len()),
                &check.answer,
                sheet,
            ));
            verdicts.push(v);
            continue;
        };
        if within(answer, value, half) {
            v.correct = true;
            v.feedback = format!("the right value is {}", format_number(value));
            verdicts.push(v);
            continue;
        }
        let matches = |c: f64| within(answer, c, half) && !within(c, value, half);
        let m = size as f64;
        let mistake = if swapped.is_some_and(&matches) {
            Some((
                "transposed weight index".to_string(),
                "the row and column of the weight are swapped: W[i][j] connects input j to unit i".to_string(),
            ))
        } else if matches(-value) {
            Some(("sign flip".into(), "the sign is flipped".into()))
        } else if let NetKind::Updated { old, gradient } = kind {
            if matches(old - gradient) {
                Some((
                    "forgot the learning rate".into(),
                    "the update is w − α·∂E/∂w: the learning rate α is missing".into(),
                ))
            } else if matches(old + spec.learning_rate * gradient) {
                Some(("moved up the gradient".into(), "gradient descent subtracts α·∂E/∂w".into()))
            } else {
                None
            }
        } else if m > 1.0 && matches(value * m) {
            Some((
                "dropped constant factor 1/m".into(),
                format!("the mean over the batch's {size} samples (a factor 1/{size}) is missing"),
            ))
        } else if matches(value / 2.0) {
            Some(("dropped constant factor 2".into(), "a constant factor 2 is missing".into()))
        } else if matches(value * 2.0) {
            Some(("dropped constant factor ½".into(), "a constant factor ½ is missing".into()))
        } else {
            None
        };
        let right = format!("the right value is {}", format_number(value));
        match mistake {
            Some((name, explanation)) => {
                v.feedback = format!("{right}; likely mistake: {explanation}");
                v.mistake = Some(name);
            }
            None => v.feedback = right,
        }
        verdicts.push(v);
    }
    Ok(verdicts)
}

#[derive(Clone, Copy)]
enum NetKind {
    Plain,
    Updated { old: f64, gradient: f64 },
}

/// The value a network target names, the value at the transposed index (for matrices), and
/// what kind of target it is.
fn network_target(
    text: &str,
    names: &[String],
    params: &[Tensor],
    grads: &[Tensor],
    deltas: &[ndarray::Array2<f64>],
    stepped: &[Tensor],
    loss: f64,
) -> std::result::Result<(f64, Option<f64>, NetKind), String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact == "E" || compact == "loss" {
        return Ok((loss, None, NetKind::Plain));
    }
    let (kind, rest) = if let Some(r) = compact.strip_prefix("new") {
        ("new", r.to_string())
    } else if let Some(r) = compact.strip_prefix("δ").or_else(|| compact.strip_prefix("delta")) {
        ("delta", r.to_string())
    } else {
        let r = compact.replace('∂', "d");
        match r.strip_prefix("dE/d").or_else(|| r.strip_prefix("dL/d")) {
            Some(p) => ("grad", p.to_string()),
            None => return Err(format!("`{text}` is not a network target")),
        }
    };
    let (name, indices) = match rest.find('[') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest.as_str(), ""),
    };
    let idx: Vec<usize> = indices
        .trim_matches(|c| c == '[' || c == ']')
        .split("][")
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| format!("bad index in `{text}`"))?;
    if kind == "delta" {
        let layer: usize = name.parse().map_err(|_| format!("`{text}`: write δ2[1] for unit 1 of layer 2"))?;
        let d = deltas.get(layer.wrapping_sub(1)).ok_or_else(|| format!("the network has no layer {layer}"))?;
        let unit = *idx.first().ok_or_else(|| format!("`{text}`: which unit? e.g. δ{layer}[0]"))?;
        if unit >= d.ncols() {
            return Err(format!("layer {layer} has {} units", d.ncols()));
        }
        let m = d.nrows() as f64;
        // δ per sample: the matrix δ carries the batch mean's 1/m.
        return Ok((d[[0, unit]] * m, None, NetKind::Plain));
    }
    let p = names.iter().position(|n| n == name).ok_or_else(|| format!("no parameter `{name}`"))?;
    let pick = |t: &Tensor, i: &[usize]| -> Option<f64> {
        match (t, i) {
            (Tensor::Matrix(m), [r, c]) => m.get((*r, *c)).copied(),
            (Tensor::Vector(v), [k]) => v.get(*k).copied(),
            _ => None,
        }
    };
    let shape = match &params[p] {
        Tensor::Matrix(m) => format!("{name} is {}×{}: write {name}[i][j]", m.nrows(), m.ncols()),
        Tensor::Vector(v) => format!("{name} has {} values: write {name}[i]", v.len()),
    };
    let swapped_index: Vec<usize> = idx.iter().rev().copied().collect();
    match kind {
        "new" => {
            let value = pick(&stepped[p], &idx).ok_or(shape)?;
            let old = pick(&params[p], &idx).unwrap_or(0.0);
            let gradient = pick(&grads[p], &idx).unwrap_or(0.0);
            Ok((
                value,
                if idx.len() == 2 { pick(&stepped[p], &swapped_index) } else { None },
                NetKind::Updated { old, gradient },
            ))
        }
        _ => {
            let value = pick(&grads[p], &idx).ok_or(shape)?;
            Ok((
                value,
                if idx.len() == 2 && idx[0] != idx[1] { pick(&grads[p], &swapped_index) } else { None },
                NetKind::Plain,
            ))
        }
    }
}
