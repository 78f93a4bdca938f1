//! `check SHEET…`: judges exercise sheets; one line per check, a summary per exercise and sheet.
//! Every check is counted as right, wrong (too coarse included) or not judged, in text and
//! JSON; the exit status is 0 when every check is right, 1 when one is wrong, 2 when one could
//! not be judged (bad input, or an expression that cannot be decided).

use super::variant_id::{make_variants, verify};
use crate::error::{Error, both};
use crate::exercise::{ExerciseReport, Outcome, SheetSource, Verdict, judge_sheet, parse_sheet};
use crate::host::Host;
use crate::lang::Lang;
use crate::said::Said;
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
    /// A sheet that could not be read at all.
    pub error: Option<Error>,
}

pub struct CheckReport {
    pub sheets: Vec<SheetReport>,
    pub hints: bool,
    /// The language of what it says (verdicts, diagnoses, hints, summaries; JSON keys stay).
    pub lang: Lang,
}

pub fn check(sheets: Vec<SheetInput>, hints: bool, lang: Lang, host: &dyn Host) -> CheckReport {
    // A variant is held to its own numbers, made again from the teacher's sheet (once for all).
    let made = make_variants(sheets.iter().map(|s| (s.text.as_str(), s.base.as_str())), host);
    let sheets = sheets
        .into_iter()
        .map(|s| {
            let exercises = parse_sheet(&s.text);
            let source = SheetSource { name: &s.name, text: &s.text, base: &s.base, host };
            let exercises = judge_sheet(&exercises, &source, hints);
            let error = match verify(&s.name, &s.text, &s.base, &made) {
                Err(e) => Some(e),
                Ok(()) => exercises.is_empty().then(|| {
                    Error::new(both(Said::NoExercise.to(Lang::En), Said::NoExercise.to(Lang::Zh))).with_label(both(
                        "write `exercise \"title\"`, a function, `at …` and `check …` lines",
                        "请写 `exercise \"标题\"`、一个函数，以及 `at …` 和 `check …` 行",
                    ))
                }),
            };
            SheetReport { name: s.name.clone(), text: s.text.clone(), exercises, error }
        })
        .collect();
    CheckReport { sheets, hints, lang }
}

/// Right, wrong (too coarse included) and not judged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub right: usize,
    pub wrong: usize,
    pub too_coarse: usize,
    pub not_judged: usize,
}

impl Counts {
    fn add(&mut self, v: &Verdict) {
        match v.outcome {
            Outcome::Right => self.right += 1,
            Outcome::Wrong => self.wrong += 1,
            Outcome::TooCoarse(_) => {
                self.wrong += 1;
                self.too_coarse += 1;
            }
            Outcome::NotJudged => self.not_judged += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.right + self.wrong + self.not_judged
    }

    /// `3 of 5 right` with the rest said: `, 1 wrong (1 too coarse), 1 not judged`.
    pub fn summary(&self) -> Said {
        Said::Summary {
            right: self.right,
            total: self.total(),
            wrong: self.wrong,
            too_coarse: self.too_coarse,
            not_judged: self.not_judged,
        }
    }
}

fn counts<'a>(verdicts: impl Iterator<Item = &'a Verdict>) -> Counts {
    let mut c = Counts::default();
    verdicts.for_each(|v| c.add(v));
    c
}

fn verdict_word(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Right => "right",
        Outcome::TooCoarse(_) => "too coarse",
        Outcome::Wrong => "wrong",
        Outcome::NotJudged => "not judged",
    }
}

impl CheckReport {
    pub fn counts(&self) -> Counts {
        let mut c = counts(self.sheets.iter().flat_map(|s| &s.exercises).flat_map(|e| &e.checks));
        c.not_judged += self.sheets.iter().filter(|s| s.error.is_some()).count();
        c
    }

    /// 0 when every check is right, 1 when one is wrong, 2 when one was not judged.
    pub fn exit_code(&self) -> u8 {
        let c = self.counts();
        if c.not_judged > 0 || self.sheets.iter().any(|s| s.exercises.iter().any(|e| e.error.is_some())) {
            2
        } else if c.wrong > 0 {
            1
        } else {
            0
        }
    }

    pub fn render_text(&self) -> String {
        let lang = self.lang;
        let say = |s: &Said| s.to(lang);
        let mut out = String::new();
        for sheet in &self.sheets {
            out.push_str(&format!("{}\n", sheet.name));
            if let Some(e) = &sheet.error {
                out.push_str(&indent(&e.render(lang)));
                continue;
            }
            for ex in &sheet.exercises {
                out.push_str(&format!("\n  {}\n", say(&Said::ExerciseAt { title: ex.title.clone(), line: ex.line })));
                if let Some(e) = &ex.error {
                    out.push_str(&indent(&indent(&e.render(lang))));
                }
                for c in &ex.checks {
                    let mark = match c.outcome {
                        Outcome::Right => "✓",
                        Outcome::TooCoarse(_) => "~",
                        Outcome::Wrong => "✗",
                        Outcome::NotJudged => "!",
                    };
                    let earned = if ex.marked && !c.target.is_empty() {
                        format!(
                            "   [{}]",
                            say(&Said::CheckMarks { earned: number(c.earned()), out_of: number(c.marks) })
                        )
                    } else {
                        String::new()
                    };
                    let line = say(&Said::Line { line: c.line });
                    if c.target.is_empty() {
                        out.push_str(&format!("    {mark} {line}  {}\n", say(&Said::NotJudgedShown)));
                    } else {
                        let answer = if c.answer.is_empty() { say(&Said::NoAnswerShown) } else { c.answer.clone() };
                        out.push_str(&format!("    {mark} {line}  {} = {answer}{earned}\n", c.target));
                    }
                    match (&c.error, &c.outcome) {
                        (Some(e), _) => out.push_str(&indent(&indent(&indent(&e.render(lang))))),
                        (None, Outcome::Right) => {}
                        (None, _) if ex.error.is_some() => {}
                        (None, _) => out.push_str(&format!("        {}\n", say(&c.feedback))),
                    }
                    let (note, hint) = (say(&Said::NoteLabel), say(&Said::HintLabel));
                    let colon = if lang == Lang::Zh { "：" } else { ": " };
                    for n in &c.notes {
                        out.push_str(&format!("        {note}{colon}{}\n", say(n)));
                    }
                    if let Some(h) = &c.hint {
                        out.push_str(&format!("        {hint}{colon}{}\n", say(h)));
                    }
                }
                out.push_str(&format!(
                    "    {}{}\n",
                    say(&counts(ex.checks.iter()).summary()),
                    marks_said(ex.marked, &ex.checks, lang)
                ));
            }
            let sheet_counts = counts(sheet.exercises.iter().flat_map(|e| &e.checks));
            let marked = sheet.exercises.iter().any(|e| e.marked);
            let all: Vec<Verdict> = sheet.exercises.iter().flat_map(|e| e.checks.iter().cloned()).collect();
            let colon = if lang == Lang::Zh { "：" } else { ": " };
            out.push_str(&format!(
                "\n  {}{colon}{}{}\n",
                say(&Said::SheetLabel),
                say(&sheet_counts.summary()),
                marks_said(marked, &all, lang)
            ));
        }
        out
    }

    pub fn to_json(&self) -> Value {
        let c = self.counts();
        let every = self.sheets.iter().flat_map(|s| &s.exercises).flat_map(|e| &e.checks);
        let (marks, out_of) = totals(every);
        json!({
            "correct": c.right,
            "wrong": c.wrong,
            "too_coarse": c.too_coarse,
            "not_judged": c.not_judged,
            "marks": marks,
            "out_of": out_of,
            "sheets": self.sheets.iter().map(|s| {
                let (marks, out_of) = totals(s.exercises.iter().flat_map(|e| &e.checks));
                json!({
                    "file": s.name,
                    "error": s.error.as_ref().map(|e| e.render(self.lang)),
                    "marks": marks,
                    "out_of": out_of,
                    "exercises": s.exercises.iter().map(|e| {
                        let (marks, out_of) = totals(e.checks.iter());
                        json!({
                            "title": e.title,
                            "line": e.line,
                            "error": e.error.as_ref().map(|e| e.render(self.lang)),
                            "marks": marks,
                            "out_of": out_of,
                            "checks": e.checks.iter().map(|c| self.check_json(c)).collect::<Vec<_>>(),
                        })
                    }).collect::<Vec<_>>(),
                })
            }).collect::<Vec<_>>(),
        })
    }

    fn check_json(&self, c: &Verdict) -> Value {
        let say = |s: &Said| s.to(self.lang);
        let mut v = json!({
            "line": c.line,
            "target": c.target,
            "answer": c.answer,
            "correct": c.is_right(),
            "verdict": verdict_word(&c.outcome),
            "expected": c.expected,
            "mistake": c.mistake.as_ref().map(say),
            "feedback": say(&c.feedback),
            "marks": c.earned(),
            "out_of": c.marks,
            "carried": c.carried,
        });
        if let Outcome::TooCoarse(d) = c.outcome {
            v["digits"] = json!(d);
        }
        if let Some(t) = &c.expected_text {
            v["expected_text"] = json!(t);
        }
        if let Some(e) = &c.error {
            v["error"] = json!(e.render(self.lang));
        }
        if !c.notes.is_empty() {
            v["notes"] = json!(c.notes.iter().map(say).collect::<Vec<_>>());
        }
        if self.hints {
            v["hint"] = json!(c.hint.as_ref().map(say));
        }
        v
    }
}

/// Marks earned and available over some checks.
fn totals<'a>(checks: impl Iterator<Item = &'a Verdict>) -> (f64, f64) {
    checks.fold((0.0, 0.0), |(earned, out_of), c| (earned + c.earned(), out_of + c.marks))
}

/// `; 6.5 of 9 marks` where the sheet gives marks.
fn marks_said(marked: bool, checks: &[Verdict], lang: Lang) -> String {
    if !marked {
        return String::new();
    }
    let (earned, out_of) = totals(checks.iter());
    Said::Marks { earned: number(earned), out_of: number(out_of) }.to(lang)
}

fn number(x: f64) -> String {
    crate::format::format_number(x)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}
