//! Deciding one numeric check, for function and network exercises alike: right, right but too
//! coarse, or wrong — and for a wrong answer, the likely mistake: an error carried forward from
//! the student's own earlier answer, else the catalogue's likeliest story that fits the number.
//! When no story fits, only the right value is said: a wrong diagnosis is worse than none.

use super::answer::{Answer, NumberVerdict, judge_number, matches};
use super::mistakes::{Candidate, Problem, Quantity};
use super::{Outcome, Verdict};
use crate::format::format_number;
use crate::graph::NodeId;

/// A numeric answer the student gave earlier in the exercise.
#[derive(Clone, Debug)]
pub struct Earlier {
    pub target: String,
    pub line: usize,
    pub quantity: Quantity,
    pub value: f64,
}

/// How many of the latest earlier answers are tried as the source of a carried error (so a
/// sheet's work stays linear in its checks).
const CARRIED_WINDOW: usize = 8;

/// Fills `verdict` for a numeric answer to `quantity`, whose right value is `expected`.
/// `extra` are candidates only this kind of exercise knows (a transposed weight index, …).
#[allow(clippy::too_many_arguments)]
pub fn decide(
    verdict: &mut Verdict,
    problem: Option<&Problem>,
    quantity: Option<Quantity>,
    expected: f64,
    answer: &Answer,
    required_digits: u32,
    earlier: &[Earlier],
    extra: Vec<Candidate>,
    fan_out: &dyn Fn(NodeId) -> usize,
) {
    verdict.expected = Some(expected);
    let right = match &verdict.expected_text {
        Some(form) => format!("the right answer is {form} = {}", format_number(expected)),
        None => format!("the right value is {}", format_number(expected)),
    };
    match judge_number(answer, expected, required_digits) {
        NumberVerdict::Right => {
            verdict.outcome = Outcome::Right;
            verdict.feedback = format!("the right value is {}", format_number(expected));
            return;
        }
        NumberVerdict::TooCoarse(digits) => {
            verdict.outcome = Outcome::TooCoarse(digits);
            let plural = if digits == 1 { "" } else { "s" };
            verdict.feedback = format!(
                "right to {digits} digit{plural}; give at least {required_digits} significant digits ({})",
                format_number(expected)
            );
            return;
        }
        NumberVerdict::Wrong => verdict.outcome = Outcome::Wrong,
    }
    // A candidate explains the answer when the answer could be its value and the right value
    // could not (a story that also gives the right number explains nothing). An answer of one
    // significant digit fits too many stories to tell them apart: no diagnosis then.
    let (written, precise) = match answer {
        Answer::Decimal { value, digits, .. } => (*value, *digits >= 2),
        Answer::Exact(value) => (*value, true),
        Answer::Expression => (f64::NAN, false),
    };
    let fits = |value: f64| precise || super::answer::close(value, written, 1e-9);
    let explains =
        |value: f64| fits(value) && matches(answer, value) && !matches(answer, expected) && value.is_finite();
    let mut found: Option<(String, String)> = None;
    if let (Some(problem), Some(quantity)) = (problem, quantity) {
        for e in earlier.iter().rev().take(CARRIED_WINDOW) {
            let carried = match e.quantity {
                Quantity::Value(node) => {
                    let mut given = problem.given.clone();
                    given.push((node, e.value));
                    problem.replay(quantity, &given, None, None)
                }
                Quantity::Adjoint { node, scale } if !matches!(quantity, Quantity::Value(_)) => {
                    problem.replay(quantity, &problem.given, None, Some((node, e.value / scale)))
                }
                _ => None,
            };
            if carried.is_some_and(explains) {
                found = Some((
                    format!("error carried forward from {}", e.target),
                    format!(
                        "consistent with your {} (line {}): the method is right, the earlier value was not",
                        e.target, e.line
                    ),
                ));
                break;
            }
        }
    }
    if found.is_none() {
        let mut candidates = extra;
        if let (Some(problem), Some(quantity)) = (problem, quantity) {
            candidates.extend(problem.candidates(quantity, fan_out));
        }
        found = best(&candidates, answer, explains).map(|c| (c.name.clone(), c.explanation.clone()));
    }
    match found {
        Some((name, explanation)) => {
            verdict.feedback = format!("{right}; likely mistake: {explanation}");
            verdict.mistake = Some(name);
        }
        None => verdict.feedback = right,
    }
}

/// The candidate closest to the answer; among equally close ones the likeliest story.
pub fn best<'c>(candidates: &'c [Candidate], answer: &Answer, explains: impl Fn(f64) -> bool) -> Option<&'c Candidate> {
    let value = match answer {
        Answer::Decimal { value, .. } | Answer::Exact(value) => *value,
        Answer::Expression => return None,
    };
    let mut best: Option<(f64, &Candidate)> = None;
    for c in candidates.iter().filter(|c| explains(c.value)) {
        let distance = (c.value - value).abs();
        let same = |a: f64, b: f64| (a - b).abs() <= 1e-12 * (1.0 + a.abs());
        let better = match best {
            None => true,
            Some((d, b)) => (distance < d && !same(distance, d)) || (same(distance, d) && c.priority < b.priority),
        };
        if better {
            best = Some((distance, c));
        }
    }
    best.map(|(_, c)| c)
}
