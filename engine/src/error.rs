//! One error type for every kind of bad input. It points at a place in a named source text
//! (an expression, an `--at` argument, a file) and renders as
//!
//! ```text
//! error: unknown function `sigmod`
//!  --> expression:1:1
//!   |
//! 1 | sigmod(w*x + b)
//!   | ^^^^^^ did you mean `sigmoid`?
//! ```
//!
//! `main` prints it and exits with status 2. In Chinese (`--lang zh`) the words change and the
//! place does not: `错误：未知函数 `sigmod``, then the same `-->` line, source line and caret.

use crate::lang::Lang;
use std::fmt;
use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// The message in English.
    pub message: String,
    /// Where in `source` the problem is, as a byte range.
    pub span: Option<Range<usize>>,
    /// A short note under the caret (a suggestion, the list of functions, …), in English.
    pub label: Option<String>,
    /// Boxed, as is the Chinese: an error travels in every `Result`, so it is kept small.
    pub source: Option<Box<Source>>,
    /// The message and the label in Chinese, where the code that found the problem says them.
    pub chinese: Box<Chinese>,
}

/// An error's words in Chinese; `None` only for the author tools' English-only errors
/// (`english`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chinese {
    pub message: Option<String>,
    pub label: Option<String>,
}

/// A message in English and in Chinese: what `Error::at`, `Error::new` and `with_label` take.
/// `both(en, zh)` makes one; `english(en)` is the explicit exception for the author tools.
#[derive(Clone, Debug, PartialEq)]
pub struct Phrase {
    pub en: String,
    pub zh: Option<String>,
}

/// A message in English and in Chinese. Written where the problem is found, because that is
/// where its values are (the name, the column, the list of what was expected); the two texts
/// side by side make a change to one visible in the other.
pub fn both(en: impl Into<String>, zh: impl Into<String>) -> Phrase {
    Phrase { en: en.into(), zh: Some(zh.into()) }
}

/// A message in English only, said so where it is made: for the book's author tools (`book
/// build|serve|po`, whose users write the English source) and the terminal's own file errors.
/// The engine never uses it — there is no conversion from a plain string, so every message the
/// engine gives a reader is written with `both` (the compiler lists any that is not).
pub fn english(en: impl Into<String>) -> Phrase {
    Phrase { en: en.into(), zh: None }
}

impl Phrase {
    /// The Chinese, or the English where no Chinese is written.
    pub fn chinese(&self) -> &str {
        self.zh.as_deref().unwrap_or(&self.en)
    }
}

/// The text an error points into, and what to call it (`expression`, `--at`, a file name).
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub name: String,
    pub text: String,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error about the input as a whole, with no position.
    pub fn new(message: impl Into<Phrase>) -> Error {
        let Phrase { en, zh } = message.into();
        Error {
            message: en,
            span: None,
            label: None,
            source: None,
            chinese: Box::new(Chinese { message: zh, label: None }),
        }
    }

    /// An error at a byte range of the source it will be attached to.
    pub fn at(message: impl Into<Phrase>, span: Range<usize>) -> Error {
        Error { span: Some(span), ..Error::new(message) }
    }

    pub fn with_label(mut self, label: impl Into<Phrase>) -> Error {
        let Phrase { en, zh } = label.into();
        self.label = Some(en);
        self.chinese.label = zh;
        self
    }

    /// The message in both languages (Chinese where it is written).
    pub fn phrase(&self) -> Phrase {
        Phrase { en: self.message.clone(), zh: self.chinese.message.clone() }
    }

    /// Attaches the source text, unless one is attached already.
    pub fn in_source(mut self, name: &str, text: &str) -> Error {
        if self.source.is_none() {
            self.source = Some(Box::new(Source { name: name.to_string(), text: text.to_string() }));
        }
        self
    }

    /// 1-based line and column (in characters) of the start of the span.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        let source = self.source.as_ref()?;
        let start = self.span.as_ref()?.start.min(source.text.len());
        Some(line_column(&source.text, start))
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl Error {
    /// The error as the terminal shows it, in a language: the words change, the place, the
    /// source line and the caret do not. Words not yet written in Chinese stay English.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        let _ = self.write(&mut out, lang);
        out
    }

    fn write(&self, f: &mut impl fmt::Write, lang: Lang) -> fmt::Result {
        let (message, label) = match lang {
            Lang::En => (&self.message, self.label.as_ref()),
            Lang::Zh => (
                self.chinese.message.as_ref().unwrap_or(&self.message),
                self.chinese.label.as_ref().or(self.label.as_ref()),
            ),
        };
        match lang {
            Lang::En => writeln!(f, "error: {message}")?,
            Lang::Zh => writeln!(f, "错误：{message}")?,
        }
        let (Some(source), Some(span)) = (&self.source, &self.span) else {
            if let Some(label) = label {
                writeln!(f, "  = {label}")?;
            }
            return Ok(());
        };
        let start = floor_char_boundary(&source.text, span.start);
        let (line, column) = line_column(&source.text, start);
        let line_start = source.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source.text[start..].find('\n').map_or(source.text.len(), |i| start + i);
        let line_text = source.text[line_start..line_end].trim_end_matches('\r');
        let end = floor_char_boundary(&source.text, span.end.clamp(start, line_end));
        let width = source.text[start..end].chars().count().max(1);
        let (shown, caret_column, caret_width) = window(line_text, column - 1, width);
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        writeln!(f, "{pad}--> {}:{line}:{column}", source.name)?;
        writeln!(f, "{pad} |")?;
        writeln!(f, "{line} | {shown}")?;
        let caret = format!("{}{}", " ".repeat(caret_column), "^".repeat(caret_width.clamp(1, 60)));
        match label {
            Some(label) => writeln!(f, "{pad} | {caret} {label}"),
            None => writeln!(f, "{pad} | {caret}"),
        }
    }
}

/// At most about 80 characters of a long line, around the caret, with `…` where cut; tabs as
/// four spaces and control characters escaped, so that the caret stands under its place
/// whatever the terminal does with a tab. Returns the text shown, the caret's column in it and
/// the caret's width.
fn window(line: &str, caret: usize, width: usize) -> (String, usize, usize) {
    const BEFORE: usize = 40;
    const AFTER: usize = 40;
    let chars: Vec<char> = line.chars().collect();
    let from = caret.saturating_sub(BEFORE);
    let to = (caret + width.min(AFTER) + AFTER).min(chars.len());
    let cell = |c: &char| match c {
        '\t' => "    ".to_string(),
        c if unsafe_on_a_terminal(*c) => escaped(*c),
        c => c.to_string(),
    };
    let columns = |range: &[char]| range.iter().map(|c| cell(c).chars().count()).sum::<usize>();
    let mut shown: String = chars[from..to].iter().map(cell).collect();
    let mut caret_column = columns(&chars[from..caret.min(to)]);
    let caret_width = columns(&chars[caret.min(to)..(caret + width).min(to)]);
    if from > 0 {
        shown.insert(0, '…');
        caret_column += 1;
    }
    if to < chars.len() {
        shown.push('…');
    }
    (shown, caret_column, caret_width)
}

/// Whether a character of user text could act on a terminal rather than be shown: C0 controls
/// but newline and tab (ESC starts CSI and OSC sequences, which clear screens and write
/// clipboards; CR overwrites a line), DEL, C1 controls, and the bidirectional overrides that
/// reorder what is shown.
pub fn unsafe_on_a_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `\u001b`: the same escape in plain text and inside a JSON string.
fn escaped(c: char) -> String {
    format!("\\u{:04x}", c as u32)
}

/// Text with every character that could act on a terminal escaped (`ESC` → `\u001b`): what
/// the terminal and the page show of a command's output, so that a title or a name cannot
/// write the clipboard, clear the screen or fake a ✓ line. The escape is also a JSON escape,
/// so JSON output stays JSON.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(unsafe_on_a_terminal) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars().map(|c| if unsafe_on_a_terminal(c) { escaped(c) } else { c.to_string() }).collect(),
    )
}

impl std::error::Error for Error {}

/// The span of a whole line (1-based) of `text`, for errors about a statement.
pub fn line_span(text: &str, line: usize) -> Range<usize> {
    let start: usize = text.split('\n').take(line.saturating_sub(1)).map(|l| l.len() + 1).sum();
    let len = text[start.min(text.len())..].split('\n').next().map_or(0, str::len);
    start..start + len.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_the_span() {
        let e = Error::at(both("unknown function `sigmod`", "未知函数 `sigmod`"), 0..6)
            .with_label(both("did you mean `sigmoid`?", "是不是想写 `sigmoid`？"))
            .in_source("expression", "sigmod(x)");
        assert_eq!(
            e.to_string(),
            "error: unknown function `sigmod`\n --> expression:1:1\n  |\n1 | sigmod(x)\n  | ^^^^^^ did you mean `sigmoid`?\n"
        );
        // In Chinese the words change; the place, the line and the caret do not.
        assert_eq!(
            e.render(Lang::Zh),
            "错误：未知函数 `sigmod`\n --> expression:1:1\n  |\n1 | sigmod(x)\n  | ^^^^^^ 是不是想写 `sigmoid`？\n"
        );
    }

    #[test]
    fn the_caret_stands_under_its_place_after_tabs_and_controls() {
        let text = "\tW = [[1,\t\x1b[2J x]]";
        let at = text.find('x').unwrap();
        let e = Error::at(english("not a number"), at..at + 1).in_source("t.net", text);
        let shown = e.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        let (source, caret) = (lines[3], lines[4]);
        assert!(!shown.contains('\t') && !shown.contains('\x1b'), "{shown}");
        assert_eq!(source.find('x'), caret.find('^'), "{shown}");
        assert!(source.contains("\\u001b[2J"), "{shown}");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(terminal_safe("ok\x1b]52;c;aGk=\x07 ✓\r\n"), "ok\\u001b]52;c;aGk=\\u0007 ✓\\u000d\n");
        assert_eq!(terminal_safe("tab\tand σ, 反向"), "tab\tand σ, 反向");
        assert_eq!(terminal_safe("\u{9b}2J\u{202e}"), "\\u009b2J\\u202e");
    }

    #[test]
    fn columns_count_characters_on_later_lines() {
        let text = "z = w·x\na = σ(z +)";
        let at = text.find(')').unwrap();
        assert_eq!(line_column(text, at), (2, 10));
    }
}
