//! `check SHEET…`: judges exercise sheets; one line per check, a summary per exercise and sheet.

use crate::error::Error;
use crate::exercise::judge::{ExerciseReport, SheetSource, judge_sheet};
use crate::exercise::parse_sheet;
use serde_json::{Value, json};

pub struct SheetInput {
    pub name: String,
    pub text: String,
    /// The sheet's folder (network files are named relative to it).
    pub base: String,
}

pub struct SheetReport {
    pub name: String,
    /// The sheet as written.
    pub text: String,
    pub exercises: Vec<ExerciseReport>,
    /// A sheet that could not be read or parsed at all.
    pub error: Option<Error>,
}

pub struct CheckReport {
    pub sheets: Vec<SheetReport>,
    pub hints: bool,
}

pub fn check(sheets: Vec<SheetInput>, hints: bool, host: &dyn crate::host::Host) -> CheckReport {
    let sheets = sheets
        .into_iter()
        .map(|s| match parse_sheet(&s.text) {
            Err(e) => SheetReport {
                name: s.name.clone(),
                text: s.text.clone(),
                exercises: Vec::new(),
                error: Some(e.in_source(&s.name, &s.text)),
            },
            Ok(exercises) => {
                let source = SheetSource { name: &s.name, text: &s.text, base: &s.base, host };
                SheetReport {
                    name: s.name.clone(),
                    text: s.text.clone(),
                    exercises: judge_sheet(&exercises, &source, hints),
                    error: None,
                }
            }
        })
        .collect();
    CheckReport { sheets, hints }
}

impl CheckReport {
    pub fn counts(&self) -> (usize, usize) {
        let all = self.sheets.iter().flat_map(|s| &s.exercises).flat_map(|e| &e.checks).filter(|c| c.error.is_none());
        let (right, wrong): (Vec<_>, Vec<_>) = all.partition(|c| c.correct);
        (right.len(), wrong.len())
    }

    /// Whether any input was bad (a sheet, an exercise, or a check).
    pub fn bad_input(&self) -> bool {
        self.sheets.iter().any(|s| {
            s.error.is_some()
                || s.exercises.iter().any(|e| e.error.is_some() || e.checks.iter().any(|c| c.error.is_some()))
        })
    }

    /// 0 when every answer is right, 1 when one is wrong, 2 on bad input.
    pub fn exit_code(&self) -> u8 {
        if self.bad_input() {
            2
        } else if self.counts().1 > 0 {
            1
        } else {
            0
        }
    }

    pub fn render_text(&self) -> String {
        let mut out = String::new();
        for sheet in &self.sheets {
            out.push_str(&format!("{}\n", sheet.name));
            if let Some(e) = &sheet.error {
                out.push_str(&indent(&e.to_string()));
                continue;
            }
            let (mut right, mut total) = (0, 0);
            for ex in &sheet.exercises {
                out.push_str(&format!("\n  {} (line {})\n", ex.title, ex.line));
                if let Some(e) = &ex.error {
                    out.push_str(&indent(&indent(&e.to_string())));
                    continue;
                }
                let mut ex_right = 0;
                for c in &ex.checks {
                    if let Some(e) = &c.error {
                        out.push_str(&format!("    ! line {}  {} = {}\n", c.line, c.target, c.answer));
                        out.push_str(&indent(&indent(&indent(&e.to_string()))));
                        continue;
                    }
                    let mark = if c.correct { "✓" } else { "✗" };
                    out.push_str(&format!("    {mark} line {}  {} = {}", c.line, c.target, c.answer));
                    if !c.correct {
                        out.push_str(&format!("\n        {}", c.feedback));
                    }
                    out.push('\n');
                    if let Some(h) = &c.hint {
                        out.push_str(&format!("        hint: {h}\n"));
                    }
                    total += 1;
                    if c.correct {
                        right += 1;
                        ex_right += 1;
                    }
                }
                let judged = ex.checks.iter().filter(|c| c.error.is_none()).count();
                out.push_str(&format!("    {ex_right} of {judged} right\n"));
            }
            out.push_str(&format!("\n  sheet: {right} of {total} right\n"));
        }
        out
    }

    pub fn to_json(&self) -> Value {
        let (correct, wrong) = self.counts();
        json!({
            "correct": correct,
            "wrong": wrong,
            "sheets": self.sheets.iter().map(|s| json!({
                "file": s.name,
                "error": s.error.as_ref().map(|e| e.to_string()),
                "exercises": s.exercises.iter().map(|e| json!({
                    "title": e.title,
                    "line": e.line,
                    "error": e.error.as_ref().map(|e| e.to_string()),
                    "checks": e.checks.iter().map(|c| {
                        let mut v = json!({
                            "line": c.line,
                            "target": c.target,
                            "answer": c.answer,
                            "correct": c.correct,
                            "expected": c.expected,
                            "mistake": c.mistake,
                            "feedback": c.feedback,
                        });
                        if let Some(t) = &c.expected_text {
                            v["expected_text"] = json!(t);
                        }
                        if let Some(e) = &c.error {
                            v["error"] = json!(e.to_string());
                        }
                        if self.hints {
                            v["hint"] = json!(c.hint);
                        }
                        v
                    }).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}
