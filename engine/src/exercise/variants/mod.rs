//! Variants of a sheet for a class: the values of its `at` lines given as choices
//! (`choice`), drawn with a generator fixed by this code (`rng`), so the same seed gives the
//! same variants everywhere; each variant kept only when its numbers make a fair exercise
//! (`fair`); written as the student's sheet (the checks' targets, blank answers, the variant's
//! id) and its key (every answer, and the working).
//!
//! Variant k is the k-th fair draw that differs from the earlier ones; among a few fair draws
//! for each slot the one that best mixes the signs of each check's answers over the class is
//! kept. So variant k depends on the seed and on variants 1…k−1 only, and the page that opens
//! a student's link makes the same variant as the terminal.

pub mod choice;
pub mod fair;
pub mod rng;

use super::net_at::{self, Shape};
use super::sheet::read_sheet;
use super::{Exercise, Located, SheetSource, Subject, judge_sheet};
use crate::error::{Error, Phrase, Result, both};
use crate::lang::Lang;
use choice::{Choice, Item, parse_items};
use rng::SplitMix64;
use std::collections::{BTreeMap, HashMap};

/// One variant: the student's sheet and the key.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub number: usize,
    /// The checks' targets with blank answers, and the variant's id.
    pub sheet: String,
    /// The same sheet with every answer filled in, and the working as comments.
    pub key: String,
    /// Every check's right answer, in sheet order.
    pub answers: Vec<KeyAnswer>,
}

/// A check's right answer in a variant.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyAnswer {
    pub exercise: String,
    pub target: String,
    pub value: f64,
    /// Significant digits the sheet asks for (its `digits`, else 2).
    pub digits: u32,
    pub marks: f64,
    /// The exercise as the variant gives it: its function (or network) and its `at` line.
    pub context: String,
}

/// Draws tried for each variant before the sheet is said to have no fair numbers.
const ATTEMPTS: usize = 2000;
/// Fair draws compared for each variant, to mix the signs of the answers.
const PICK: usize = 4;
/// Most variants one request may make.
pub const MOST_VARIANTS: usize = 1000;

/// Writes the working of an exercise at a variant's numbers, as comment lines (the commands
/// layer shows it as `grad --table` and `net grad --table` do).
pub type Working<'w> = &'w dyn Fn(&Exercise, &SheetSource) -> String;

/// The first `count` variants of a teacher's sheet. `file_name` is how a variant names its
/// source (`variant 7 of 30 from "function.txt" seed 42`).
/// Only the first `upto` are made (variant k needs only those before it: a link opens one).
pub fn generate(
    source: &SheetSource,
    file_name: &str,
    seed: u64,
    (count, upto): (usize, usize),
    (working, lang): (Working, Lang),
) -> Result<Vec<Variant>> {
    if count == 0 || count > MOST_VARIANTS {
        return Err(Error::new(both(
            format!("--count must be from 1 to {MOST_VARIANTS}, not {count}"),
            format!("--count 须在 1 到 {MOST_VARIANTS} 之间，而不是 {count}"),
        )));
    }
    if upto == 0 || upto > count {
        return Err(Error::new(both(
            format!("there is no variant {upto}: the class has variants 1 to {count}"),
            format!("没有第 {upto} 个版本：这个班只有第 1 到第 {count} 个版本"),
        )));
    }
    let plan = Plan::read(source)?;
    let mut rng = SplitMix64::new(seed);
    let mut made: Vec<Drawn> = Vec::new();
    for number in 1..=upto {
        // Why this variant's draws were refused, counted over its own ATTEMPTS draws (keyed
        // by the English, each with its Chinese).
        let mut reasons: BTreeMap<String, (Phrase, usize)> = BTreeMap::new();
        let mut refused = |reason: Phrase| reasons.entry(reason.en.clone()).or_insert((reason, 0)).1 += 1;
        let mut fair: Vec<Drawn> = Vec::new();
        for _ in 0..ATTEMPTS {
            if fair.len() == PICK {
                break;
            }
            let values = plan.draw(&mut rng);
            if made.iter().chain(&fair).any(|d| d.values == values) {
                refused(both("the same numbers as another variant", "与另一个版本的数值相同"));
                continue;
            }
            match plan.judge(source, &values, working)? {
                Ok(drawn) => fair.push(drawn),
                Err(reason) => refused(reason),
            }
        }
        if fair.is_empty() {
            return Err(plan.unfair(source, number, &reasons));
        }
        let best = fair.iter().enumerate().min_by_key(|(_, d)| imbalance(&made, d)).map(|(i, _)| i).unwrap_or(0);
        made.push(fair.swap_remove(best));
    }
    let id = |number: usize| format!("variant {number} of {count} from \"{file_name}\" seed {seed}");
    Ok(made
        .into_iter()
        .enumerate()
        .map(|(i, drawn)| {
            let number = i + 1;
            let (title, the_key) = match lang {
                Lang::En => (
                    format!("# Variant {number} of {count} of {file_name} (seed {seed}): write each answer after its `=`."),
                    "# The key: every answer, and the working.",
                ),
                Lang::Zh => (
                    format!("# {file_name} 的第 {number} 个版本（共 {count} 个，随机种子 {seed}）：请把答案写在每个 `=` 后面。"),
                    "# 答案：每道题的答案，以及计算过程。",
                ),
            };
            let header = format!("{title}\n{}\n", id(number));
            let sheet = format!("{header}{}", plan.write(source.text, &drawn.values, None));
            let key = format!("{header}{the_key}\n{}", plan.write(source.text, &drawn.values, Some(&drawn)));
            Variant { number, sheet, key, answers: drawn.answers }
        })
        .collect())
}

/// How far the signs of each check's answers are from an even mix, with `next` added.
fn imbalance(made: &[Drawn], next: &Drawn) -> i64 {
    (0..next.answers.len())
        .map(|c| {
            let sign = |d: &Drawn| d.answers.get(c).map_or(0, |a| if a.value > 0.0 { 1 } else { -1 });
            (made.iter().map(sign).sum::<i64>() + sign(next)).abs()
        })
        .sum()
}

/// A draw that made a fair exercise: its values (an `at` text per exercise), right answers and working.
#[derive(Clone, Debug)]
struct Drawn {
    values: Vec<Option<String>>,
    answers: Vec<KeyAnswer>,
    working: Vec<String>,
}

/// What varies in a sheet: each exercise's `at` line as items.
struct Plan {
    /// Per exercise: its `at` line and its items.
    at: Vec<Option<(Located, Vec<Item>)>>,
    /// Per exercise: the shapes of a network's parameters and data (a whole matrix drawn entry
    /// by entry).
    shapes: Vec<HashMap<String, Shape>>,
}

impl Plan {
    fn read(source: &SheetSource) -> Result<Plan> {
        let sheet = read_sheet(source.text);
        if let Some(v) = &sheet.variant {
            return Err(source.placed(Error::at(
                both(
                    "this sheet is already a variant: make variants from the teacher's sheet",
                    "这份练习单本身就是一个版本：请从老师的原始练习单生成版本",
                ),
                source.line_span(v.line),
            )));
        }
        let mut at = Vec::new();
        let mut shapes = Vec::new();
        let mut varies = false;
        for ex in &sheet.exercises {
            if let Some((_, e)) = ex.errors.first() {
                return Err(source.placed(e.clone()));
            }
            shapes.push(match &ex.subject {
                Some(Subject::Network(path)) => net_at::shapes(path, source)?,
                _ => HashMap::new(),
            });
            match &ex.at {
                Some(line) => {
                    let items = parse_items(&line.text).map_err(|e| source.relocate(e, line))?;
                    varies |= items.iter().any(|i| i.choice.varies());
                    at.push(Some((line.clone(), items)));
                }
                None => at.push(None),
            }
        }
        if !varies {
            let name = &source.name;
            return Err(Error::new(both(
                format!("{name}: this sheet gives no choices to make variants from"),
                format!("{name}：这份练习单没有给出可供生成版本的取值范围"),
            ))
            .with_label(both(
                "give a value as a choice in an `at` line: w = 0.5..2 step 0.5, x in [1, 2, 3], W1 = random -1..1 digits 2",
                "请在 `at` 行中把某个值写成可选的范围：w = 0.5..2 step 0.5, x in [1, 2, 3], W1 = random -1..1 digits 2",
            )));
        }
        Ok(Plan { at, shapes })
    }

    /// One draw: a concrete `at` text for each exercise that has one.
    fn draw(&self, rng: &mut SplitMix64) -> Vec<Option<String>> {
        self.at
            .iter()
            .zip(&self.shapes)
            .map(|(line, shapes)| {
                line.as_ref().map(|(_, items)| {
                    let value = |i: &Item, rng: &mut SplitMix64| match (shapes.get(&i.name), &i.choice) {
                        (Some(shape), Choice::Range { .. } | Choice::Random { .. }) => {
                            let mut row = |n: usize| (0..n).map(|_| i.choice.draw(rng)).collect::<Vec<_>>().join(", ");
                            match *shape {
                                Shape::Vector(n) => format!("[{}]", row(n)),
                                Shape::Matrix(r, c) => {
                                    format!(
                                        "[{}]",
                                        (0..r).map(|_| format!("[{}]", row(c))).collect::<Vec<_>>().join(", ")
                                    )
                                }
                            }
                        }
                        _ => i.choice.draw(rng),
                    };
                    items.iter().map(|i| format!("{} = {}", i.name, value(i, rng))).collect::<Vec<_>>().join(", ")
                })
            })
            .collect()
    }

    /// The sheet with the drawn values: blank answers, or (with a draw's answers) the key.
    fn write(&self, text: &str, values: &[Option<String>], key: Option<&Drawn>) -> String {
        let sheet = read_sheet(text);
        // (span, replacement), applied from the end so earlier spans stay valid.
        let mut edits: Vec<(std::ops::Range<usize>, String, u8)> = Vec::new();
        let mut answer = 0;
        for (e, ex) in sheet.exercises.iter().enumerate() {
            if let (Some((line, _)), Some(Some(v))) = (&self.at[e], values.get(e)) {
                edits.push((line.span.clone(), v.clone(), 0));
            }
            for c in &ex.checks {
                let filled =
                    key.and_then(|k| k.answers.get(answer)).map(|a| ascii(&crate::format::format_number(a.value)));
                answer += 1;
                let span = c.answer.span.clone();
                // `check z = ` with nothing after the `=`: one space before a filled answer.
                let text = match filled {
                    Some(f) if span.is_empty() => format!(" {f}"),
                    Some(f) => f,
                    None => String::new(),
                };
                edits.push((span, text, 0));
            }
            if let (Some(k), Some(last)) = (key, exercise_end(text, ex)) {
                let working = k.working.get(e).cloned().unwrap_or_default();
                if !working.is_empty() {
                    edits.push((last..last, format!("\n{working}"), 1));
                }
            }
        }
        // From the end, so earlier spans stay valid; at one place the working goes in first and
        // so ends up after the answer.
        edits.sort_by_key(|(span, _, order)| std::cmp::Reverse((span.start, span.end, *order)));
        let mut out = text.to_string();
        for (span, replacement, _) in edits {
            out.replace_range(span, &replacement);
        }
        // A blank answer leaves `check z =` with a trailing space where a comment followed.
        out.lines().map(str::trim_end).collect::<Vec<_>>().join("\n") + "\n"
    }

    /// Judges a draw: its right answers and working if the numbers are fair, else why not.
    /// Bad input in the teacher's sheet (a check with no such target) is an error.
    fn judge(
        &self,
        source: &SheetSource,
        values: &[Option<String>],
        working: Working,
    ) -> Result<std::result::Result<Drawn, Phrase>> {
        let text = self.write(source.text, values, None);
        let sheet = read_sheet(&text);
        let concrete = SheetSource { name: source.name, text: &text, base: source.base, host: source.host };
        if let Some(reason) = fair::unfair_units(&sheet.exercises, &concrete) {
            return Ok(Err(reason));
        }
        let reports = judge_sheet(&sheet.exercises, &concrete, false);
        let mut answers = Vec::new();
        for (ex, report) in sheet.exercises.iter().zip(&reports) {
            if let Some(e) = &report.error {
                let (en, zh) = (&e.message, e.phrase().chinese().to_string());
                return Ok(Err(both(
                    format!("no value at these numbers ({en})"),
                    format!("在这些数值下没有值（{zh}）"),
                )));
            }
            for (check, v) in ex.checks.iter().zip(&report.checks) {
                if let Some(e) = &v.error {
                    return Err(self.back_in_source(source, &text, e, check));
                }
                let Some(value) = v.expected else {
                    return Ok(Err(both("an answer has no value", "有一个答案没有值")));
                };
                if let Some(reason) = fair::unfair_answer(value) {
                    return Ok(Err(reason));
                }
                let digits = ex.digits.unwrap_or(super::DEFAULT_DIGITS);
                let context = context(ex, &concrete);
                answers.push(KeyAnswer {
                    exercise: ex.title.clone(),
                    target: v.target.clone(),
                    value,
                    digits,
                    marks: check.marks,
                    context,
                });
            }
        }
        let working = sheet.exercises.iter().map(|ex| working(ex, &concrete)).collect();
        Ok(Ok(Drawn { values: values.to_vec(), answers, working }))
    }

    /// A bad check of the teacher's sheet, placed in that sheet (the same line there).
    fn back_in_source(&self, source: &SheetSource, _text: &str, e: &Error, check: &super::Check) -> Error {
        let mut e = e.clone();
        e.span = Some(source.line_span(check.target.line));
        e.source = None;
        source.placed(e)
    }

    /// No fair numbers for variant `number`: why, by the reasons seen most.
    fn unfair(&self, source: &SheetSource, number: usize, reasons: &BTreeMap<String, (Phrase, usize)>) -> Error {
        let mut seen: Vec<&(Phrase, usize)> = reasons.values().collect();
        seen.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.en.cmp(&b.0.en)));
        let why: Vec<String> = seen.iter().take(3).map(|(r, n)| format!("{n} with {}", r.en)).collect();
        let why_zh: Vec<String> = seen.iter().take(3).map(|(r, n)| format!("{n} 次{}", r.chinese())).collect();
        let line = self.at.iter().flatten().next().map(|(l, _)| l.line).unwrap_or(1);
        let message = if number == 1 {
            both(
                "no fair numbers: every draw from these choices makes an unfair exercise",
                "取不到合适的数：从这些范围里抽出的每一组数都会让练习不合理",
            )
        } else {
            let made = number - 1;
            both(
                format!("only {made} variants with fair, different numbers could be made from these choices"),
                format!("从这些范围里只能生成 {made} 个数值合理且互不相同的版本"),
            )
        };
        let (why, why_zh) = (why.join(", "), why_zh.join("，"));
        source.placed(Error::at(message, source.line_span(line)).with_label(both(
            format!("of {ATTEMPTS} draws: {why}; widen the ranges or ask for fewer"),
            format!("{ATTEMPTS} 次抽取中：{why_zh}；请放宽范围或减少版本数"),
        )))
    }
}

/// An exercise as the variant gives it, whole for a reader without its files (a Moodle
/// question): its function, or its network file's text; its `at` and `lr` lines.
fn context(ex: &Exercise, sheet: &SheetSource) -> String {
    let mut lines: Vec<String> = match &ex.subject {
        Some(Subject::Function(lines)) => lines.iter().map(|l| l.text.clone()).collect(),
        Some(Subject::Network(path)) => {
            let file = crate::net::data::join_path(sheet.base, &path.text);
            let text = sheet.host.read(&file).ok().and_then(|b| String::from_utf8(b).ok()).unwrap_or_default();
            let body = text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty());
            std::iter::once(format!("# {}", path.text)).chain(body.map(str::to_string)).collect()
        }
        None => Vec::new(),
    };
    lines.extend(ex.at.as_ref().map(|a| format!("at {}", a.text)));
    lines.extend(ex.lr.as_ref().map(|lr| format!("lr {}", lr.text)));
    lines.join("\n")
}

/// The byte offset where an exercise's last line ends.
fn exercise_end(text: &str, ex: &Exercise) -> Option<usize> {
    let mut last = ex.line;
    if let Some(at) = &ex.at {
        last = last.max(at.line);
    }
    for c in &ex.checks {
        last = last.max(c.target.line);
    }
    match &ex.subject {
        Some(Subject::Function(lines)) => last = last.max(lines.iter().map(|l| l.line).max().unwrap_or(0)),
        Some(Subject::Network(path)) => last = last.max(path.line),
        None => {}
    }
    Some(crate::error::line_span(text, last).end)
}

/// A number as a sheet writes it, with an ASCII minus.
fn ascii(text: &str) -> String {
    text.replace('−', "-")
}
