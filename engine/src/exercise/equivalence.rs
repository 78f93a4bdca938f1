//! Expression answers: right when they equal the right answer at the point and at 30 seeded
//! random points where both sides are defined; when wrong, a catalogued mistake must fit at
//! the point and at three random points too, so a coincidence at the point does not count.
//!
//! Two things a teacher would insist on:
//! - Values are compared relative to their size, with a floor set by the largest value met
//!   while computing them (the rounding a cancellation leaves), never by an absolute 1e-9 that
//!   would make `-5e-13·x` equal to `2e-13·x`.
//! - A one-hot target (`y1 = 1, y2 = 0`) is data, not a variable: `p1 − y1` is the textbook
//!   answer to ∂L/∂s1 for softmax with cross-entropy, though it equals the general form
//!   `y2·p1 + y1·p1 − y1` only when the targets sum to 1. When an answer fails at random points
//!   but holds at every random point with the one-hot group held at its given values, it is
//!   right, with a note that says so.

use super::answer::Answer;
use super::catalogue::Candidate;
use super::mistakes::{Mistake, Problem, Quantity};
use super::verdict::{best, right_answer};
use super::{Outcome, Verdict};
use crate::graph::number::Number;
use crate::graph::{Graph, NodeId, Op};
use crate::numeric;
use crate::said::Said;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// What an expression answer is compared with.
pub struct Judged<'a> {
    pub problem: &'a Problem<'a>,
    pub quantity: Quantity,
    pub expected: f64,
    pub expected_node: NodeId,
    pub seed: u64,
}

/// How many random points decide equivalence.
const POINTS: usize = 30;

/// A value with the largest term any of its sums added (what its rounding error scales with
/// when the terms cancel).
type Measured = (f64, f64);

/// The largest term added in any sum below `node`: a sum that cancels to a small number keeps
/// a rounding error of about 1e-16 times it; products and functions keep their relative error.
fn cancellation_scale(graph: &Graph, values: &numeric::Values, node: NodeId) -> f64 {
    let mut scale = 0.0f64;
    for id in graph.topological_order(&[node]) {
        if let Op::Add(terms) = graph.op(id) {
            for t in terms.iter() {
                scale = scale.max(values.get(*t).unwrap_or(0.0).abs());
            }
        }
    }
    scale
}

fn close((a, big_a): Measured, (b, big_b): Measured) -> bool {
    (a - b).abs() <= 1e-7 * a.abs().max(b.abs()) + 1e-12 * big_a.max(big_b)
}

pub fn judge_expression(v: &mut Verdict, j: &Judged, scratch: &mut Graph, answer: NodeId) {
    let (problem, quantity, expected) = (j.problem, j.quantity, j.expected);
    v.expected = Some(expected);
    let graph = &*scratch;
    let value = |node: NodeId, at: &[(NodeId, f64)]| -> Option<Measured> {
        let values = numeric::evaluate(graph, &[node], at).ok()?;
        Some((values.get(node)?, cancellation_scale(graph, &values, node)))
    };
    let Some(at_point) = value(answer, &problem.given) else {
        v.outcome = Outcome::Wrong;
        v.feedback = Said::NoValueAtPoint;
        return;
    };
    let equal_at_point = value(j.expected_node, &problem.given).is_some_and(|e| close(e, at_point));
    let variables: Vec<NodeId> = graph.variables().map(|(_, node)| node).collect();
    let trial = Trial { value: &value, expected: j.expected_node, answer, variables: &variables, seed: j.seed };
    let (valid, different, points) = trial.run(&[], !equal_at_point);
    let right = right_answer(v.expected_text.as_deref(), expected);
    if !different && valid == POINTS {
        v.outcome = Outcome::Right;
        v.feedback = Said::EquivalentEverywhere { points: POINTS };
        return;
    }
    if !different {
        v.outcome = Outcome::NotJudged;
        v.feedback = Said::TooFewPoints { valid, needed: POINTS };
        return;
    }
    let one_hot = one_hot_group(graph, &problem.given);
    let label = |n: NodeId| (problem.label)(n);
    if equal_at_point && !one_hot.is_empty() {
        let (valid, different, _) = trial.run(&one_hot, false);
        if !different && valid == POINTS {
            let given: Vec<String> =
                one_hot.iter().map(|(n, x)| format!("{} = {}", label(*n), crate::format::format_number(*x))).collect();
            v.outcome = Outcome::Right;
            let given = given.join(", ");
            v.feedback = Said::EquivalentOneHot { given: given.clone() };
            let (form, value) = match right {
                Said::RightAnswer { form, value } => (Some(form), value),
                Said::RightValue { value } => (None, value),
                _ => unreachable!("right_answer says a form or a value"),
            };
            v.notes.push(Said::OneHotNote { given, form, value });
            return;
        }
    }
    v.outcome = Outcome::Wrong;
    let mut candidates = problem.candidates(quantity);
    candidates.extend(target_not_subtracted(problem, quantity, Some(j.expected_node)));
    let fits = |c: &Candidate| {
        let mut checked = 0;
        for at in points.iter().take(20) {
            let (Some(a), Some(m)) = (value(answer, at), problem.replay(quantity, at, Some(c.mistake), None)) else {
                continue;
            };
            if !close(a, (m, a.1)) {
                return false;
            }
            checked += 1;
            if checked == 3 {
                return true;
            }
        }
        false
    };
    let answer_at_point = Answer::Exact(at_point.0);
    let fitting: Vec<_> =
        candidates.into_iter().filter(|c| close((c.value, at_point.1), at_point) && fits(c)).collect();
    match best(&fitting, &answer_at_point, |_| true) {
        Some(c) => {
            v.feedback = Said::LikelyMistake { right: right.boxed(), explanation: c.explanation.clone().boxed() };
            v.mistake = Some(c.name.clone());
        }
        None => v.feedback = right,
    }
}

/// A side's value at a point.
type Evaluate<'a> = &'a dyn Fn(NodeId, &[(NodeId, f64)]) -> Option<Measured>;

/// Random points for one comparison.
struct Trial<'a> {
    value: Evaluate<'a>,
    expected: NodeId,
    answer: NodeId,
    variables: &'a [NodeId],
    seed: u64,
}

impl Trial<'_> {
    /// Compares the two sides at random points (variables in `held` keep their values): how
    /// many points had both sides defined, whether they differed, and the points.
    fn run(&self, held: &[(NodeId, f64)], mut different: bool) -> (usize, bool, Vec<Vec<(NodeId, f64)>>) {
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut points = Vec::new();
        let mut valid = 0;
        for _ in 0..300 {
            if valid == POINTS || (different && valid >= 5) {
                break;
            }
            let at: Vec<(NodeId, f64)> = self
                .variables
                .iter()
                .map(|&n| {
                    let random = rng.random::<f64>() * 5.0 - 2.5;
                    (n, held.iter().find(|(h, _)| *h == n).map_or(random, |h| h.1))
                })
                .collect();
            let (Some(e), Some(a)) = ((self.value)(self.expected, &at), (self.value)(self.answer, &at)) else {
                continue;
            };
            if !close(e, a) {
                different = true;
            }
            valid += 1;
            points.push(at);
        }
        (valid, different, points)
    }
}

/// A one-hot target among the given values: two or more variables of one stem (`y1`, `y2`;
/// `t_0`, `t_1`), each given 0 or 1, exactly one of them 1.
fn one_hot_group(graph: &Graph, given: &[(NodeId, f64)]) -> Vec<(NodeId, f64)> {
    let name = |n: NodeId| match graph.op(n) {
        Op::Var(i) => Some(graph.variable_name(*i)),
        _ => None,
    };
    let stem = |n: NodeId| name(n).map(|s| s.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_'));
    let mut best = Vec::new();
    for &(n, _) in given {
        let Some(s) = stem(n).filter(|s| !s.is_empty()) else { continue };
        let group: Vec<(NodeId, f64)> = given
            .iter()
            .copied()
            .filter(|&(m, x)| stem(m) == Some(s) && (x == 0.0 || x == 1.0) && matches!(graph.op(m), Op::Var(_)))
            .collect();
        let all_of_stem = given.iter().filter(|(m, _)| stem(*m) == Some(s)).count();
        let ones = group.iter().filter(|(_, x)| *x == 1.0).count();
        if group.len() >= 2 && group.len() == all_of_stem && ones == 1 && group.len() > best.len() {
            best = group;
        }
    }
    best
}

/// `p` for `p − y`: where the right derivative ends in "− y" (softmax or σ with cross-entropy,
/// a squared error), the answer without the target.
pub fn target_not_subtracted(problem: &Problem, quantity: Quantity, right: Option<NodeId>) -> Vec<Candidate> {
    let (Some(right), Quantity::Adjoint { .. }) = (right, quantity) else { return Vec::new() };
    let graph = problem.graph;
    let Op::Add(terms) = graph.op(right) else { return Vec::new() };
    let mut out = Vec::new();
    for &term in terms.iter() {
        if let Op::Mul(xs) = graph.op(term)
            && let [c, y] = xs[..]
            && graph.as_const(c) == Some(Number::MINUS_ONE)
            && matches!(graph.op(y), Op::Var(_))
        {
            let mistake = Mistake::TargetNotSubtracted(y);
            let Some(value) = problem.replay(quantity, &problem.given, Some(mistake), None) else { continue };
            let y = (problem.label)(y);
            out.push(Candidate {
                mistake,
                priority: 1,
                name: Said::TargetNotSubtractedName,
                explanation: Said::TargetNotSubtracted { y },
                value,
            });
        }
    }
    out
}
