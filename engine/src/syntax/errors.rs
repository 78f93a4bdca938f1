//! The one place that turns a pest error into plain words at its place: "unexpected `*`;
//! expected a number, a name or `(`". Each grammar says in words what each of its rules stands
//! for (an exhaustive match, so a new rule must be named); rule ids never reach a message.

use crate::error::Error;
use pest::RuleType;
use pest::error::{ErrorVariant, InputLocation};

/// What a grammar brings to the renamer.
pub struct Words<'a, R> {
    /// What a rule stands for; `None` for rules the message need not mention.
    pub rule: &'a dyn Fn(R) -> Option<&'static str>,
    /// What the end of the text is called: "input", "file", "line".
    pub end: &'static str,
    /// Words to add, given the text before the place and the words found (an open bracket).
    pub more: &'a dyn Fn(&str, &[&'static str]) -> Vec<&'static str>,
    /// Characters with no meaning anywhere in the language: "unexpected character `$`".
    pub foreign: &'a dyn Fn(char) -> bool,
}

/// The error at its place, in words.
pub fn plain<R: RuleType>(text: &str, error: &pest::error::Error<R>, words: &Words<R>) -> Error {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = text[at..].chars().next();
    let width = found.map_or(0, char::len_utf8);
    let mut expected: Vec<&'static str> = Vec::new();
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for word in positives.iter().filter_map(|r| (words.rule)(*r)) {
            if !expected.contains(&word) {
                expected.push(word);
            }
        }
    }
    expected.extend((words.more)(&text[..at], &expected));
    let expected = match expected.as_slice() {
        [] => String::new(),
        [one] => format!("; expected {one}"),
        [init @ .., last] => format!("; expected {} or {last}", init.join(", ")),
    };
    let end = words.end;
    let message = match found {
        None => format!("unexpected end of {end}{expected}"),
        Some(c) if (words.foreign)(c) => format!("unexpected character `{c}`"),
        Some('\n' | '\r') => format!("unexpected end of line{expected}"),
        Some(c) => format!("unexpected `{c}`{expected}"),
    };
    Error::at(message, at..at + width)
}

/// No words to add.
pub fn nothing_more(_: &str, _: &[&'static str]) -> Vec<&'static str> {
    Vec::new()
}

/// No foreign characters.
pub fn none_foreign(_: char) -> bool {
    false
}
