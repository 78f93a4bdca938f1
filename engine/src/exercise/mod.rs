//! Exercise sheets: reading them (this file), reading answers and the tolerance rule
//! (`answer`), the catalogue of anticipated mistakes shared by every kind of exercise
//! (`mistakes`), function exercises (`function`) and network exercises (`network`).
//!
//! Every check ends as right, wrong (perhaps right but too coarse) or not judged, with why:
//! nothing is dropped silently.

pub mod answer;
pub mod catalogue;
pub mod equivalence;
pub mod function;
pub mod function_mistakes;
pub mod mistakes;
pub mod net_at;
pub mod net_target;
pub mod network;
pub mod reading;
pub mod verdict;

pub mod sheet;
pub mod variants;

use crate::error::{Error, Result};
use crate::host::Host;
use crate::said::Said;
pub use sheet::{Check, DEFAULT_DIGITS, Exercise, Located, Sheet, Subject, VariantLine, parse_sheet, read_sheet};
use std::ops::Range;

/// The verdict on one `check` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Right,
    /// Right to this many significant digits, fewer than asked for.
    TooCoarse(u32),
    Wrong,
    /// Not judged: bad input in the check or its exercise, or a question the tool cannot
    /// decide (the reason is in the feedback or the error).
    NotJudged,
}

#[derive(Clone, Debug)]
pub struct Verdict {
    pub line: usize,
    pub target: String,
    pub answer: String,
    pub outcome: Outcome,
    pub expected: Option<f64>,
    /// The right form, for partial derivatives of functions.
    pub expected_text: Option<String>,
    /// The diagnosed mistake's name, from the catalogue.
    pub mistake: Option<Said>,
    pub feedback: Said,
    /// Bad input in this check (an answer that does not parse, an unknown name).
    pub error: Option<Error>,
    pub hint: Option<Said>,
    /// How the answer was read, where it is worth saying (`e` as Euler's number).
    pub notes: Vec<Said>,
    /// What the check is worth, and the share of it an error carried forward earns.
    pub marks: f64,
    pub carried_share: f64,
    /// Wrong only by an error carried forward from the student's own earlier answer.
    pub carried: bool,
}

impl Verdict {
    pub fn new(check: &Check) -> Verdict {
        Verdict {
            line: check.target.line,
            target: check.target.text.trim().to_string(),
            answer: check.answer.text.trim().to_string(),
            outcome: Outcome::NotJudged,
            expected: None,
            expected_text: None,
            mistake: None,
            feedback: Said::Nothing,
            error: None,
            hint: None,
            notes: Vec::new(),
            marks: check.marks,
            carried_share: check.carried,
            carried: false,
        }
    }

    /// A check that could not be judged because of bad input.
    pub fn bad_input(check: &Check, error: Error) -> Verdict {
        let mut v = Verdict::new(check);
        v.feedback = Said::InputError(error.phrase());
        v.error = Some(error);
        v
    }

    pub fn is_right(&self) -> bool {
        self.outcome == Outcome::Right
    }

    /// The marks this answer earns: all of them when right, the sheet's share of them when it is
    /// wrong only by an error carried forward (the method right), else none.
    pub fn earned(&self) -> f64 {
        match self.outcome {
            Outcome::Right => self.marks,
            Outcome::Wrong if self.carried => self.marks * self.carried_share,
            _ => 0.0,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ExerciseReport {
    pub title: String,
    pub line: usize,
    pub checks: Vec<Verdict>,
    /// Bad input that stops the whole exercise (its function, point or network): its checks
    /// are listed as not judged.
    pub error: Option<Error>,
    /// Whether the sheet gives marks (`marks`, `carried`): then the text report shows them.
    pub marked: bool,
}

/// Where the sheet is, for messages and relative network paths.
pub struct SheetSource<'a> {
    pub name: &'a str,
    pub text: &'a str,
    /// The sheet's folder: network files are named relative to it.
    pub base: &'a str,
    pub host: &'a dyn Host,
}

impl SheetSource<'_> {
    /// An error found in a piece of the sheet, moved to its place in the sheet.
    pub fn relocate(&self, mut e: Error, piece: &Located) -> Error {
        e.span = Some(match &e.span {
            Some(span) => piece.span.start + span.start..piece.span.start + span.end,
            None => piece.span.clone(),
        });
        e.source = None;
        e.in_source(self.name, self.text)
    }

    /// An error already placed in the sheet's text.
    pub fn placed(&self, e: Error) -> Error {
        e.in_source(self.name, self.text)
    }

    /// The span of a whole line (1-based).
    pub fn line_span(&self, line: usize) -> Range<usize> {
        crate::error::line_span(self.text, line)
    }
}

/// Judges every exercise of a sheet.
pub fn judge_sheet(exercises: &[Exercise], sheet: &SheetSource, hints: bool) -> Vec<ExerciseReport> {
    exercises
        .iter()
        .map(|ex| {
            let result = match &ex.subject {
                Some(Subject::Function(lines)) => function::judge(ex, lines, sheet, hints),
                Some(Subject::Network(path)) => network::judge(ex, path, sheet, hints),
                None if ex.checks.is_empty() && ex.errors.is_empty() => Ok(Vec::new()),
                None => Err(sheet.placed(Error::at(
                    crate::error::both(
                        "this exercise has no function (`f = …`) and no `network \"…\"` line",
                        "这道练习既没有函数（`f = …`），也没有 `network \"…\"` 行",
                    ),
                    sheet.line_span(ex.line),
                ))),
            };
            let (mut checks, error) = match result {
                Ok(checks) => (checks, None),
                Err(e) => {
                    let checks = ex
                        .checks
                        .iter()
                        .map(|c| {
                            let mut v = Verdict::new(c);
                            v.feedback = Said::NotJudgedBecause { reason: Said::InputError(e.phrase()).boxed() };
                            v
                        })
                        .collect();
                    (checks, Some(e))
                }
            };
            for (line, e) in &ex.errors {
                checks.push(Verdict {
                    line: *line,
                    target: String::new(),
                    answer: String::new(),
                    outcome: Outcome::NotJudged,
                    expected: None,
                    expected_text: None,
                    mistake: None,
                    feedback: Said::InputError(e.phrase()),
                    error: Some(sheet.placed(e.clone())),
                    hint: None,
                    notes: Vec::new(),
                    marks: 0.0,
                    carried_share: 0.0,
                    carried: false,
                });
            }
            checks.sort_by_key(|c| c.line);
            ExerciseReport { title: ex.title.clone(), line: ex.line, checks, error, marked: ex.marked }
        })
        .collect()
}

/// Checks a sheet's text (exercises judged with the host's files).
pub fn judge_text(name: &str, text: &str, base: &str, host: &dyn Host, hints: bool) -> Result<Vec<ExerciseReport>> {
    let exercises = parse_sheet(text);
    let sheet = SheetSource { name, text, base, host };
    Ok(judge_sheet(&exercises, &sheet, hints))
}
