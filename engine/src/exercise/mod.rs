//! Exercise sheets: parsing (this file) and judging answers with diagnoses (`judge`).

pub mod judge;

use crate::error::{Error, Result};
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
    pub checks: Vec<Check>,
}

fn located(pair: &pest::iterators::Pair<Rule>) -> Located {
    let span = pair.as_span();
    Located {
        text: span.as_str().trim_end().to_string(),
        span: span.start()..span.start() + span.as_str().trim_end().len(),
        line: span.start_pos().line_col().0,
    }
}

/// Parses a sheet's text into exercises. Lines before the first `exercise` form an untitled one.
pub fn parse_sheet(text: &str) -> Result<Vec<Exercise>> {
    let sheet = SheetParser::parse(Rule::sheet, text)
        .map_err(|e| {
            use pest::error::InputLocation;
            let at = match e.location {
                InputLocation::Pos(p) => p,
                InputLocation::Span((s, _)) => s,
            };
            let found = text[at..].chars().next();
            let message = match found {
                None => "unexpected end of the sheet".to_string(),
                Some('\n') => "this line is incomplete: `exercise \"…\"`, `network \"…\"`, `at …` or `check TARGET = ANSWER` expected".to_string(),
                Some(c) => format!("unexpected `{c}`"),
            };
            Error::at(message, at..at + found.map_or(0, char::len_utf8))
        })?
        .next()
        .expect("one sheet");
    let mut exercises: Vec<Exercise> = Vec::new();
    let current = |exercises: &mut Vec<Exercise>, line: usize| -> usize {
        if exercises.is_empty() {
            exercises.push(Exercise { title: "exercise".into(), line, subject: None, at: None, checks: Vec::new() });
        }
        exercises.len() - 1
    };
    for item in sheet.into_inner() {
        let line = item.as_span().start_pos().line_col().0;
        match item.as_rule() {
            Rule::exercise => {
                let title = item
                    .into_inner()
                    .next()
                    .and_then(|s| s.into_inner().next())
                    .map(|i| i.as_str().to_string())
                    .unwrap_or_default();
                exercises.push(Exercise { title, line, subject: None, at: None, checks: Vec::new() });
            }
            Rule::network => {
                let i = current(&mut exercises, line);
                let string = item.into_inner().next().expect("a path");
                let inner = string.clone().into_inner().next().expect("the path text");
                let mut path = located(&inner);
                path.span = string.as_span().start()..string.as_span().end();
                exercises[i].subject = Some(Subject::Network(path));
            }
            Rule::at => {
                let i = current(&mut exercises, line);
                exercises[i].at = Some(located(&item.into_inner().next().expect("a point")));
            }
            Rule::check => {
                let i = current(&mut exercises, line);
                let mut inner = item.into_inner();
                let target = located(&inner.next().expect("a target"));
                let answer = located(&inner.next().expect("an answer"));
                exercises[i].checks.push(Check { target, answer });
            }
            Rule::statement => {
                let i = current(&mut exercises, line);
                let statement = located(&item.into_inner().next().expect("a statement"));
                match &mut exercises[i].subject {
                    Some(Subject::Function(lines)) => lines.push(statement),
                    Some(Subject::Network(n)) => {
                        return Err(Error::at(
                            "an exercise has either a function or a network, not both",
                            statement.span,
                        )
                        .with_label(format!("this exercise uses network \"{}\" (line {})", n.text, n.line)));
                    }
                    None => exercises[i].subject = Some(Subject::Function(vec![statement])),
                }
            }
            Rule::EOI => {}
            other => unreachable!("unexpected {other:?}"),
        }
    }
    Ok(exercises)
}
