//! Deciding one numeric check, for function and network exercises alike: right, right but too
//! coarse, or wrong — and for a wrong answer, the likely mistake: an error carried forward from
//! the student's own earlier answer, else the catalogue's likeliest story that fits the number.
//! When no story fits, only the right value is said: a wrong diagnosis is worse than none.

use super::answer::{Answer, NumberVerdict, judge_number, matches, precision_reason};
use super::catalogue::Candidate;
use super::mistakes::{Problem, Quantity};
use super::{Outcome, Verdict};
use crate::format::format_number;
use crate::said::Said;

/// A wrong numeric answer the student gave earlier in the exercise: what a later answer may
/// have been computed from.
#[derive(Clone, Debug)]
pub struct Earlier {
    pub target: String,
    pub line: usize,
    pub quantity: Quantity,
    pub value: f64,
    /// Half a unit of its last written digit: the unrounded value the student carried on
    /// lies within it (0 for an exact answer).
    pub half_unit: f64,
    /// Whether the answer was right (or right but coarse): then only its rounding carries on.
    pub rounded: bool,
}

impl Earlier {
    /// The earlier answer, if it was wrong (only a wrong value can carry an error forward).
    pub fn of(verdict: &Verdict, quantity: Quantity, answer: &Answer) -> Option<Earlier> {
        let (value, half_unit) = match *answer {
            Answer::Decimal { value, half_unit, .. } => (value, half_unit),
            Answer::Exact(value) => (value, 0.0),
            Answer::Expression => return None,
        };
        // A right value carries an error on only where it was rounded.
        let rounded = !matches!(verdict.outcome, Outcome::Wrong);
        let exact = verdict.expected.is_some_and(|e| (e - value).abs() <= 1e-12 * e.abs().max(1.0));
        (!exact && verdict.outcome != Outcome::NotJudged).then(|| Earlier {
            target: verdict.target.clone(),
            line: verdict.line,
            quantity,
            value,
            half_unit: if rounded { 0.0 } else { half_unit },
            rounded,
        })
    }
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
) {
    verdict.expected = Some(expected);
    let right = right_answer(verdict.expected_text.as_deref(), expected);
    match judge_number(answer, expected, required_digits) {
        NumberVerdict::Right => {
            verdict.outcome = Outcome::Right;
            verdict.feedback = Said::RightValue { value: format_number(expected) };
            return;
        }
        NumberVerdict::TooCoarse(digits) => {
            verdict.outcome = Outcome::TooCoarse(digits);
            verdict.feedback = Said::TooCoarse { digits, required: required_digits, value: format_number(expected) };
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
    let mut found: Option<(Said, Said)> = None;
    if let (Some(problem), Some(quantity)) = (problem, quantity) {
        for e in earlier.iter().rev().filter(|e| e.quantity != quantity).take(CARRIED_WINDOW) {
            // The quantity computed from the earlier value (anywhere within its rounding), carried
            // through the forward pass, or used only in the next step.
            let fits = |through: bool| {
                let carried: Vec<f64> = [e.value - e.half_unit, e.value, e.value + e.half_unit]
                    .iter()
                    .filter_map(|&v| carry(problem, quantity, &e.quantity, v, through))
                    .collect();
                let lo = carried.iter().copied().reduce(f64::min);
                let hi = carried.iter().copied().reduce(f64::max);
                lo.zip(hi).is_some_and(|(lo, hi)| {
                    explains(written.clamp(lo, hi)) && (written - written.clamp(lo, hi)).abs() <= slack(answer)
                })
            };
            if fits(true) || fits(false) {
                verdict.carried = true;
                let story = if e.rounded {
                    Said::CarriedRounded { target: e.target.clone(), value: format_number(e.value), line: e.line }
                } else {
                    Said::CarriedWrong { target: e.target.clone(), line: e.line }
                };
                found = Some((Said::CarriedName { target: e.target.clone() }, story));
                break;
            }
        }
    }
    if found.is_none() {
        let mut candidates = extra;
        if let (Some(problem), Some(quantity)) = (problem, quantity) {
            candidates.extend(problem.candidates(quantity));
        }
        found = best(&candidates, answer, explains).map(|c| (c.name.clone(), c.explanation.clone()));
    }
    match found {
        Some((name, explanation)) => {
            verdict.feedback = Said::LikelyMistake { right: right.boxed(), explanation: explanation.boxed() };
            verdict.mistake = Some(name);
        }
        None => {
            verdict.feedback = match precision_reason(answer, expected) {
                Some(reason) => Said::WithReason { right: right.boxed(), reason: reason.boxed() },
                None => right,
            }
        }
    }
}

/// A check left blank: wrong, with the right value said.
pub fn unanswered(verdict: &mut Verdict, expected: f64) {
    verdict.outcome = Outcome::Wrong;
    verdict.expected = Some(expected);
    verdict.feedback = Said::NoAnswer { right: right_answer(verdict.expected_text.as_deref(), expected).boxed() };
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

/// `quantity` computed with an earlier quantity held at `value`: a value carried through
/// the forward pass (`through`), or used only by the local derivatives of the next step.
fn carry(problem: &Problem, quantity: Quantity, earlier: &Quantity, value: f64, through: bool) -> Option<f64> {
    match *earlier {
        Quantity::Value(node) if through => {
            let mut given = problem.given.clone();
            given.extend(problem.hold(node, value));
            problem.replay(quantity, &given, None, None)
        }
        Quantity::Value(node) if !matches!(quantity, Quantity::Value(_)) => {
            problem.replay(quantity, &problem.given, Some(super::mistakes::Mistake::ValueInLocals(node, value)), None)
        }
        Quantity::Value(_) => None,
        Quantity::Adjoint { node, scale } if through && !matches!(quantity, Quantity::Value(_)) => {
            problem.replay(quantity, &problem.given, None, Some((node, value / scale)))
        }
        _ => None,
    }
}

/// How far a written answer may be from the value it stands for.
fn slack(answer: &Answer) -> f64 {
    match answer {
        Answer::Decimal { half_unit, .. } => half_unit * (1.0 + 1e-9),
        Answer::Exact(v) => 1e-9 * v.abs().max(1.0),
        Answer::Expression => 0.0,
    }
}

/// "the right answer is (a − y)·x = −0.133", or just the value when the form is a number.
pub fn right_answer(form: Option<&str>, expected: f64) -> Said {
    let value = format_number(expected);
    match form {
        Some(form) if form != value && form.parse::<f64>().is_err() => {
            Said::RightAnswer { form: form.to_string(), value }
        }
        _ => Said::RightValue { value },
    }
}
