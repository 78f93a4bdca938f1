//! What the live book needs to turn a `check` block into a form: which of the block's files is
//! the sheet, the command line that judges it with hints, and the sheet's titles and checks,
//! each with the text before its answer. They are read with the command line's own grammar and
//! the sheet grammar, so that the page has no parser of its own: book/theme/live.js only puts
//! the reader's answers after those prefixes.

use super::args::Command;
use super::run::parse;
use super::words::shell_line;
use crate::exercise::parse_sheet;
use serde_json::{Map, Value, json};

/// The form of a `check` command (as words) whose sheet is among `files` (by the name the
/// command gives it, `-` for the standard input); `None` for any other command.
pub fn exercise_form(words: &[String], files: &Map<String, Value>) -> Option<Value> {
    let cli = parse(words).ok()?;
    let Command::Check { sheets, hints, .. } = &cli.command else { return None };
    let sheet = sheets.iter().map(|p| p.to_string_lossy().into_owned()).find(|name| files.contains_key(name))?;
    let text = files.get(&sheet)?.as_str()?;
    let mut judge = words.to_vec();
    if !hints {
        judge.push("--hints".into());
    }
    let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let line_text = |line: usize| text[starts[line - 1]..].split('\n').next().unwrap_or("");
    let mut titles = Vec::new();
    let mut checks = Vec::new();
    for exercise in parse_sheet(text) {
        // An exercise the sheet titles (lines before the first title form an untitled one).
        let first = line_text(exercise.line).trim_start();
        if first.strip_prefix("exercise").is_some_and(|rest| rest.starts_with([' ', '\t', '"'])) {
            titles.push(json!({"line": exercise.line, "title": exercise.title}));
        }
        for check in &exercise.checks {
            let start = starts[check.answer.line - 1];
            checks.push(json!({
                "line": check.answer.line,
                "prefix": &text[start..check.answer.span.start],
                "target": check.target.text,
            }));
        }
    }
    Some(json!({"sheet": sheet, "judge": shell_line(&judge), "titles": titles, "checks": checks}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        super::super::words::split_words(line).unwrap()
    }

    #[test]
    fn the_form_follows_the_command_and_the_sheet_grammar() {
        let sheet = "# a comment\nexercise \"One unit\"\nf = sigmoid(w*x)\nat w = 2, x = 1\ncheck df/dw = 0.1  # mine\n\
                     checksum = 3\nexercise \"Two\"\ncheck  f =0.88\n";
        let mut files = Map::new();
        files.insert("s.txt".into(), sheet.into());
        // `--hints` before the file: the sheet is still found (a word splitter would take the flag).
        let form = exercise_form(&words("check --hints s.txt"), &files).expect("a form");
        assert_eq!(form["sheet"], "s.txt");
        assert_eq!(form["judge"], "check --hints s.txt");
        assert_eq!(form["titles"], json!([{"line": 2, "title": "One unit"}, {"line": 7, "title": "Two"}]));
        assert_eq!(
            form["checks"],
            json!([
                {"line": 5, "prefix": "check df/dw = ", "target": "df/dw"},
                {"line": 8, "prefix": "check  f =", "target": "f"},
            ])
        );
        let form = exercise_form(&words("check s.txt --format json"), &files).expect("a form");
        assert_eq!(form["judge"], "check s.txt --format json --hints");
        assert_eq!(exercise_form(&words("derive x^2"), &files), None);
        assert_eq!(exercise_form(&words("check other.txt"), &files), None);
    }
}
