//! The one place that turns a pest error into plain words at its place: "unexpected `*`;
//! expected a number, a name or `(`". Each grammar says in words what each of its rules stands
//! for (an exhaustive match, so a new rule must be named); rule ids never reach a message.

use crate::error::{Error, both};
use pest::RuleType;
use pest::error::{ErrorVariant, InputLocation};

/// A thing named in English and in Chinese: ("a number", "数字").
pub type Named = (&'static str, &'static str);

/// What a grammar brings to the renamer.
pub struct Words<'a, R> {
    /// What a rule stands for; `None` for rules the message need not mention.
    pub rule: &'a dyn Fn(R) -> Option<Named>,
    /// What the end of the text is called: ("input", "输入"), ("file", "文件"), ("line", "行").
    pub end: Named,
    /// Words to add, given the text before the place and the words found (an open bracket).
    pub more: &'a dyn Fn(&str, &[Named]) -> Vec<Named>,
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
    let mut expected: Vec<Named> = Vec::new();
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for word in positives.iter().filter_map(|r| (words.rule)(*r)) {
            if !expected.contains(&word) {
                expected.push(word);
            }
        }
    }
    expected.extend((words.more)(&text[..at], &expected));
    let english: Vec<&str> = expected.iter().map(|w| w.0).collect();
    let chinese: Vec<&str> = expected.iter().map(|w| w.1).collect();
    let (en, zh) = match (english.as_slice(), chinese.as_slice()) {
        ([], _) => (String::new(), String::new()),
        ([one], [yi]) => (format!("; expected {one}"), format!("；应为{}{yi}", code_gap(yi))),
        ([init @ .., last], [chu @ .., mo]) => {
            let list = chu.join("、");
            let or = format!("{}或{}", if list.ends_with('`') { " " } else { "" }, code_gap(mo));
            (format!("; expected {} or {last}", init.join(", ")), format!("；应为{}{list}{or}{mo}", code_gap(&list)))
        }
        _ => unreachable!("one Chinese name per English one"),
    };
    let (end, end_zh) = words.end;
    let message = match found {
        None => both(format!("unexpected end of {end}{en}"), format!("{end_zh}意外结束{zh}")),
        Some(c) if (words.foreign)(c) => both(format!("unexpected character `{c}`"), format!("无法识别的字符 `{c}`")),
        Some('\n' | '\r') => both(format!("unexpected end of line{en}"), format!("行意外结束{zh}")),
        Some(c) => both(format!("unexpected `{c}`{en}"), format!("此处不应出现 `{c}`{zh}")),
    };
    Error::at(message, at..at + width)
}

/// The space Chinese text leaves before inline code (`应为 `]``), none before words.
fn code_gap(next: &str) -> &'static str {
    if next.starts_with('`') { " " } else { "" }
}

/// No words to add.
pub fn nothing_more(_: &str, _: &[Named]) -> Vec<Named> {
    Vec::new()
}

/// No foreign characters.
pub fn none_foreign(_: char) -> bool {
    false
}
