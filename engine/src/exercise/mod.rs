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
pub mod net_target;
pub mod network;
pub mod reading;
pub mod verdict;

use crate::error::{Error, Result};
use crate::host::Host;
use crate::syntax::errors::{Words, none_foreign, nothing_more, plain};
use pest::Parser;
use std::ops::Range;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/exercise.pest"]
struct SheetParser;

/// A piece of the sheet: its text and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    pub text: String,
    pub span: Range<usize>,
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    /// Statements of the expression language, each with its place in the sheet.
    Function(Vec<Located>),
    /// A network file, relative to the sheet.
    Network(Located),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub target: Located,
    pub answer: Located,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    pub title: String,
    pub line: usize,
    pub subject: Option<Subject>,
    pub at: Option<Located>,
    /// Significant digits a numeric answer must carry (`digits N`; 2 when not given).
    pub digits: Option<u32>,
    /// The learning rate of `new w` checks in a function exercise (`lr 0.1`).
    pub lr: Option<Located>,
    pub checks: Vec<Check>,
    /// Lines of this exercise that could not be read: each is one check not judged.
    pub errors: Vec<(usize, Error)>,
}

impl Exercise {
    fn new(title: String, line: usize) -> Exercise {
        Exercise {
            title,
            line,
            subject: None,
            at: None,
            digits: None,
            lr: None,
            checks: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// The significant digits a sheet asks for when it says nothing.
pub const DEFAULT_DIGITS: u32 = 2;

fn located(pair: &pest::iterators::Pair<Rule>, offset: usize, line: usize) -> Located {
    let span = pair.as_span();
    let text = span.as_str().trim_end();
    Located { text: text.to_string(), span: offset + span.start()..offset + span.start() + text.len(), line }
}

/// Reads a sheet into exercises, line by line. Lines before the first `exercise` form an
/// untitled one; `digits N` there applies to every exercise of the sheet. A line that cannot
/// be read is an error of its exercise (one check not judged); the others are still read.
pub fn parse_sheet(text: &str) -> Vec<Exercise> {
    let mut exercises: Vec<Exercise> = Vec::new();
    let mut sheet_digits = None;
    let mut offset = 0;
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let start = offset;
        offset += raw.len() + 1;
        let current = |exercises: &mut Vec<Exercise>| -> usize {
            if exercises.is_empty() {
                exercises.push(Exercise::new("exercise".into(), line));
            }
            exercises.len() - 1
        };
        let parsed = match SheetParser::parse(Rule::line, raw) {
            Ok(mut pairs) => pairs.next().expect("one line").into_inner().next(),
            Err(e) => {
                let i = current(&mut exercises);
                exercises[i].errors.push((line, line_error(raw, start, e)));
                continue;
            }
        };
        let Some(item) = parsed else { continue };
        let rule = item.as_rule();
        // The keyword itself is a pair of its own (atomic, so it ends at a word boundary).
        let mut inner = item.clone().into_inner().filter(|p| {
            !matches!(
                p.as_rule(),
                Rule::kw_exercise | Rule::kw_network | Rule::kw_at | Rule::kw_check | Rule::kw_digits | Rule::kw_lr
            )
        });
        match rule {
            Rule::exercise => {
                let title = inner.next().and_then(|s| s.into_inner().next()).map_or("", |i| i.as_str());
                exercises.push(Exercise::new(title.to_string(), line));
                exercises.last_mut().expect("pushed").digits = sheet_digits;
            }
            Rule::network => {
                let i = current(&mut exercises);
                let string = inner.next().expect("a path");
                let mut path = located(&string.clone().into_inner().next().expect("the path text"), start, line);
                path.span = start + string.as_span().start()..start + string.as_span().end();
                let ex = &mut exercises[i];
                match &ex.subject {
                    Some(_) => ex.errors.push((line, twice(&path, "a function or a network"))),
                    None => ex.subject = Some(Subject::Network(path)),
                }
            }
            Rule::at => {
                let i = current(&mut exercises);
                let point = located(&inner.next().expect("a point"), start, line);
                match exercises[i].at {
                    Some(_) => exercises[i].errors.push((line, twice(&point, "an `at` line"))),
                    None => exercises[i].at = Some(point),
                }
            }
            Rule::check => {
                let i = current(&mut exercises);
                let target = located(&inner.next().expect("a target"), start, line);
                let answer = located(&inner.next().expect("an answer"), start, line);
                exercises[i].checks.push(Check { target, answer });
            }
            Rule::digits => {
                let count = inner.next().expect("a count");
                let n: Option<u32> = count.as_str().parse().ok().filter(|n| (1..=15).contains(n));
                let Some(n) = n else {
                    let i = current(&mut exercises);
                    let at = located(&count, start, line);
                    exercises[i].errors.push((line, Error::at("`digits` takes a number from 1 to 15", at.span)));
                    continue;
                };
                match exercises.last_mut() {
                    Some(ex) => ex.digits = Some(n),
                    None => sheet_digits = Some(n),
                }
            }
            Rule::lr => {
                let i = current(&mut exercises);
                exercises[i].lr = Some(located(&inner.next().expect("a rate"), start, line));
            }
            Rule::statement => {
                let i = current(&mut exercises);
                let statement = located(&inner.next().expect("a statement"), start, line);
                let ex = &mut exercises[i];
                match &mut ex.subject {
                    Some(Subject::Function(lines)) => lines.push(statement),
                    Some(Subject::Network(n)) => {
                        let label = format!("this exercise uses network \"{}\" (line {})", n.text, n.line);
                        ex.errors.push((
                            line,
                            Error::at("an exercise has either a function or a network, not both", statement.span)
                                .with_label(label),
                        ));
                    }
                    None => ex.subject = Some(Subject::Function(vec![statement])),
                }
            }
            _ => {} // the end of the line
        }
    }
    exercises
}

fn twice(piece: &Located, what: &str) -> Error {
    Error::at(format!("an exercise has only one {what}"), piece.span.clone())
}

/// A line the grammar does not read, in plain words (`syntax::errors::plain`), placed in the sheet.
fn line_error(raw: &str, start: usize, e: pest::error::Error<Rule>) -> Error {
    let words = Words { rule: &rule_word, end: "line", more: &nothing_more, foreign: &none_foreign };
    let mut error = plain(raw, &e, &words);
    // A line that starts with a keyword says how that kind of line is written.
    let first = raw.split_whitespace().next().unwrap_or("");
    let form = match first {
        "check" => Some("check TARGET = ANSWER, e.g. check df/dx = 0.25"),
        "at" => Some("at NAME = VALUE, …, e.g. at x = 1, y = -2"),
        "exercise" => Some("exercise \"title\""),
        "network" => Some("network \"file.net\""),
        "digits" => Some("digits N, the significant digits answers must carry (1 to 15)"),
        "lr" => Some("lr RATE, the learning rate of `new …` checks"),
        _ => None,
    };
    if raw[error.span.as_ref().map_or(0, |s| s.start)..].starts_with('"') && raw.matches('"').count() % 2 == 1 {
        error.message = "this quote is not closed".into();
    }
    if let Some(form) = form {
        if error.span.as_ref().is_some_and(|s| s.start == raw.len() - raw.trim_start().len()) {
            error.message = format!("this `{first}` line is incomplete");
        }
        error = error.with_label(format!("write {form}"));
    }
    error.span = error.span.map(|s| start + s.start..start + s.end);
    error
}

/// What each rule of the sheet grammar stands for in a message.
fn rule_word(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::string | Rule::inner => "a quoted title or file name",
        Rule::target => "a target such as `df/dx`",
        Rule::rest => "an expression",
        Rule::count => "a whole number",
        Rule::EOI => "the end of the line",
        Rule::line
        | Rule::item
        | Rule::exercise
        | Rule::network
        | Rule::at
        | Rule::check
        | Rule::digits
        | Rule::lr
        | Rule::statement
        | Rule::kw_exercise
        | Rule::kw_network
        | Rule::kw_at
        | Rule::kw_check
        | Rule::kw_digits
        | Rule::kw_lr
        | Rule::name_char
        | Rule::WHITESPACE
        | Rule::COMMENT => return None,
    })
}

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
    pub mistake: Option<String>,
    pub feedback: String,
    /// Bad input in this check (an answer that does not parse, an unknown name).
    pub error: Option<Error>,
    pub hint: Option<String>,
    /// How the answer was read, where it is worth saying (`e` as Euler's number).
    pub notes: Vec<String>,
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
            feedback: String::new(),
            error: None,
            hint: None,
            notes: Vec::new(),
        }
    }

    /// A check that could not be judged because of bad input.
    pub fn bad_input(check: &Check, error: Error) -> Verdict {
        let mut v = Verdict::new(check);
        v.feedback = error.message.clone();
        v.error = Some(error);
        v
    }

    pub fn is_right(&self) -> bool {
        self.outcome == Outcome::Right
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
                    "this exercise has no function (`f = …`) and no `network \"…\"` line",
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
                            v.feedback = format!("not judged: {}", e.message);
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
                    feedback: e.message.clone(),
                    error: Some(sheet.placed(e.clone())),
                    hint: None,
                    notes: Vec::new(),
                });
            }
            checks.sort_by_key(|c| c.line);
            ExerciseReport { title: ex.title.clone(), line: ex.line, checks, error }
        })
        .collect()
}

/// Checks a sheet's text (exercises judged with the host's files).
pub fn judge_text(name: &str, text: &str, base: &str, host: &dyn Host, hints: bool) -> Result<Vec<ExerciseReport>> {
    let exercises = parse_sheet(text);
    let sheet = SheetSource { name, text, base, host };
    Ok(judge_sheet(&exercises, &sheet, hints))
}
