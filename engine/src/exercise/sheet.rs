//! Reading a sheet, line by line: exercises, their function or network, `at`, `check`,
//! `digits`, `lr`, and the marking lines `marks` and `carried`. One bad line spoils only its
//! exercise; a setting before the first exercise applies to the whole sheet.

use crate::error::{Error, both};
use crate::syntax::errors::{Named, Words, none_foreign, nothing_more, plain};
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
    /// What the check is worth (`marks N` before it; 1 when not given).
    pub marks: f64,
    /// The share of its marks an answer earns when it is wrong only by an error carried forward
    /// from the student's own earlier answer (`carried 50%`; 0 when not given).
    pub carried: f64,
}

/// What a sheet or an exercise says about marking and precision, in force for the lines after it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub digits: Option<u32>,
    pub marks: f64,
    pub carried: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { digits: None, marks: 1.0, carried: 0.0 }
    }
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
    /// Marking in force for the next check.
    pub settings: Settings,
    /// Whether the sheet says anything about marks (then the text report shows them).
    pub marked: bool,
}

impl Exercise {
    fn new(title: String, line: usize, settings: Settings) -> Exercise {
        Exercise {
            title,
            line,
            subject: None,
            at: None,
            digits: settings.digits,
            lr: None,
            checks: Vec::new(),
            errors: Vec::new(),
            settings,
            marked: false,
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
    read_sheet(text).exercises
}

/// Which of a teacher's variants a sheet is: `variant 7 of 30 from "function.txt" seed 42`.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantLine {
    pub number: usize,
    pub count: usize,
    /// The teacher's sheet the variants were made from, relative to this sheet.
    pub source: Located,
    pub seed: u64,
    /// The whole line, and where the number is.
    pub line: usize,
    pub number_span: Range<usize>,
    pub seed_span: Range<usize>,
}

/// A sheet: its exercises, and its variant line if it has one.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub exercises: Vec<Exercise>,
    pub variant: Option<VariantLine>,
}

/// Reads a sheet into exercises, line by line (see `parse_sheet`), with its variant line.
pub fn read_sheet(text: &str) -> Sheet {
    let mut variant: Option<VariantLine> = None;
    let mut exercises: Vec<Exercise> = Vec::new();
    let mut sheet = Settings::default();
    let mut marked = false;
    let mut offset = 0;
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let start = offset;
        offset += raw.len() + 1;
        let current = |exercises: &mut Vec<Exercise>| -> usize {
            if exercises.is_empty() {
                exercises.push(Exercise::new("exercise".into(), line, sheet));
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
                Rule::kw_exercise
                    | Rule::kw_network
                    | Rule::kw_at
                    | Rule::kw_check
                    | Rule::kw_digits
                    | Rule::kw_lr
                    | Rule::kw_marks
                    | Rule::kw_carried
                    | Rule::kw_variant
                    | Rule::kw_of
                    | Rule::kw_from
                    | Rule::kw_seed
            )
        });
        match rule {
            Rule::exercise => {
                let title = inner.next().and_then(|s| s.into_inner().next()).map_or("", |i| i.as_str());
                exercises.push(Exercise::new(title.to_string(), line, sheet));
            }
            Rule::network => {
                let i = current(&mut exercises);
                let string = inner.next().expect("a path");
                let mut path = located(&string.clone().into_inner().next().expect("the path text"), start, line);
                path.span = start + string.as_span().start()..start + string.as_span().end();
                let ex = &mut exercises[i];
                match &ex.subject {
                    Some(_) => ex.errors.push((line, twice(&path, ("a function or a network", "一个函数或一个网络")))),
                    None => ex.subject = Some(Subject::Network(path)),
                }
            }
            Rule::at => {
                let i = current(&mut exercises);
                let point = located(&inner.next().expect("a point"), start, line);
                match exercises[i].at {
                    Some(_) => exercises[i].errors.push((line, twice(&point, ("an `at` line", "一行 `at`")))),
                    None => exercises[i].at = Some(point),
                }
            }
            Rule::check => {
                let i = current(&mut exercises);
                let target = located(&inner.next().expect("a target"), start, line);
                // A blank answer (a student's sheet not filled in) is read as written: nothing.
                let answer = match inner.next() {
                    Some(a) => located(&a, start, line),
                    None => Located { text: String::new(), span: start + raw.len()..start + raw.len(), line },
                };
                let Settings { marks, carried, .. } = exercises[i].settings;
                exercises[i].checks.push(Check { target, answer, marks, carried });
            }
            Rule::digits => {
                let count = inner.next().expect("a count");
                let n: Option<u32> = count.as_str().parse().ok().filter(|n| (1..=15).contains(n));
                let Some(n) = n else {
                    let i = current(&mut exercises);
                    let at = located(&count, start, line);
                    exercises[i].errors.push((
                        line,
                        Error::at(
                            both("`digits` takes a number from 1 to 15", "`digits` 后面要写 1 到 15 之间的数"),
                            at.span,
                        ),
                    ));
                    continue;
                };
                match exercises.last_mut() {
                    Some(ex) => ex.digits = Some(n),
                    None => sheet.digits = Some(n),
                }
            }
            Rule::lr => {
                let i = current(&mut exercises);
                exercises[i].lr = Some(located(&inner.next().expect("a rate"), start, line));
            }
            Rule::marks | Rule::carried => {
                let piece = inner.next().expect("an amount");
                let text = piece.as_str().trim_end_matches('%');
                let value: f64 = text.parse().unwrap_or(f64::NAN);
                let (ok, field) = match rule {
                    Rule::marks => (value > 0.0 && value <= 1000.0, "marks"),
                    _ => (value <= 100.0, "carried"),
                };
                if !ok {
                    let i = current(&mut exercises);
                    let at = located(&piece, start, line);
                    let message = match rule {
                        Rule::marks => both(
                            "`marks` takes a number above 0 (at most 1000)",
                            "`marks` 后面要写大于 0 的数（至多 1000）",
                        ),
                        _ => {
                            both("`carried` takes a share from 0% to 100%", "`carried` 后面要写 0% 到 100% 之间的比例")
                        }
                    };
                    exercises[i].errors.push((line, Error::at(message, at.span)));
                    continue;
                }
                marked = true;
                let settings = match exercises.last_mut() {
                    Some(ex) => &mut ex.settings,
                    None => &mut sheet,
                };
                match field {
                    "marks" => settings.marks = value,
                    _ => settings.carried = value / 100.0,
                }
            }
            Rule::variant => {
                let pieces: Vec<_> = inner.collect();
                let [number, count, source, seed] = pieces.as_slice() else { continue };
                let number_at = located(number, start, line);
                let seed_at = located(seed, start, line);
                let mut path = located(&source.clone().into_inner().next().expect("the path text"), start, line);
                path.span = start + source.as_span().start()..start + source.as_span().end();
                let parsed = (number.as_str().parse::<usize>(), count.as_str().parse::<usize>(), seed.as_str().parse());
                let problem = match parsed {
                    _ if variant.is_some() => Some((
                        number_at.span.clone(),
                        both("a sheet has only one `variant` line", "一份练习单只能有一行 `variant`"),
                    )),
                    _ if !exercises.is_empty() => Some((
                        number_at.span.clone(),
                        both("the `variant` line comes before the first exercise", "`variant` 行要写在第一道练习之前"),
                    )),
                    (Ok(n), Ok(c), Ok(seed)) if n >= 1 && n <= c => {
                        let (number_span, seed_span) = (number_at.span, seed_at.span);
                        variant =
                            Some(VariantLine { number: n, count: c, source: path, seed, line, number_span, seed_span });
                        None
                    }
                    (Ok(_), Ok(_), Err(_)) => Some((
                        seed_at.span,
                        both("the seed is a whole number below 2^64", "随机种子必须是小于 2^64 的整数"),
                    )),
                    _ => Some((
                        number_at.span,
                        both(
                            "there is no such variant: write `variant K of N` with K from 1 to N",
                            "没有这个版本：请写 `variant K of N`，其中 K 在 1 到 N 之间",
                        ),
                    )),
                };
                if let Some((span, message)) = problem {
                    let i = current(&mut exercises);
                    exercises[i].errors.push((line, Error::at(message, span)));
                }
            }
            Rule::statement => {
                let i = current(&mut exercises);
                let statement = located(&inner.next().expect("a statement"), start, line);
                let ex = &mut exercises[i];
                match &mut ex.subject {
                    Some(Subject::Function(lines)) => lines.push(statement),
                    Some(Subject::Network(n)) => {
                        let label = both(
                            format!("this exercise uses network \"{}\" (line {})", n.text, n.line),
                            format!("这道练习用的是网络“{}”（第 {} 行）", n.text, n.line),
                        );
                        let message = both(
                            "an exercise has either a function or a network, not both",
                            "一道练习要么用函数，要么用网络，不能两者都有",
                        );
                        ex.errors.push((line, Error::at(message, statement.span).with_label(label)));
                    }
                    None => ex.subject = Some(Subject::Function(vec![statement])),
                }
            }
            _ => {} // the end of the line
        }
    }
    for ex in &mut exercises {
        ex.marked = marked;
    }
    Sheet { exercises, variant }
}

fn twice(piece: &Located, (what, what_zh): Named) -> Error {
    Error::at(both(format!("an exercise has only one {what}"), format!("一道练习只能有{what_zh}")), piece.span.clone())
}

/// A line the grammar does not read, in plain words (`syntax::errors::plain`), placed in the sheet.
fn line_error(raw: &str, start: usize, e: pest::error::Error<Rule>) -> Error {
    let words = Words { rule: &rule_word, end: ("line", "行"), more: &nothing_more, foreign: &none_foreign };
    let mut error = plain(raw, &e, &words);
    // A line that starts with a keyword says how that kind of line is written.
    let first = raw.split_whitespace().next().unwrap_or("");
    let form = match first {
        "check" => {
            Some(("check TARGET = ANSWER, e.g. check df/dx = 0.25", "check 目标 = 答案，例如 check df/dx = 0.25"))
        }
        "at" => Some(("at NAME = VALUE, …, e.g. at x = 1, y = -2", "at 名称 = 值, …，例如 at x = 1, y = -2")),
        "exercise" => Some(("exercise \"title\"", "exercise \"标题\"")),
        "network" => Some(("network \"file.net\"", "network \"文件.net\"")),
        "digits" => Some((
            "digits N, the significant digits answers must carry (1 to 15)",
            "digits N，即答案须带的有效数字位数（1 到 15）",
        )),
        "lr" => Some(("lr RATE, the learning rate of `new …` checks", "lr 学习率，即 `new …` 检查所用的学习率")),
        "marks" => Some((
            "marks N, what each following check is worth, e.g. marks 2",
            "marks N，即其后每道题（每个 check）的分值，例如 marks 2",
        )),
        "carried" => Some((
            "carried P%, the share of its marks an error carried forward earns, e.g. carried 50%",
            "carried P%，即沿用前面错误的答案时仍可得的分数比例，例如 carried 50%",
        )),
        "variant" => Some((
            "variant K of N from \"sheet.txt\" seed S, as `backprop exercise variants` writes it",
            "variant K of N from \"sheet.txt\" seed S，与 `backprop exercise variants` 写出的格式相同",
        )),
        _ => None,
    };
    if raw[error.span.as_ref().map_or(0, |s| s.start)..].starts_with('"') && raw.matches('"').count() % 2 == 1 {
        error.message = "this quote is not closed".into();
        error.chinese.message = Some("引号没有闭合".into());
    }
    if let Some((form, form_zh)) = form {
        if error.span.as_ref().is_some_and(|s| s.start == raw.len() - raw.trim_start().len()) {
            error.message = format!("this `{first}` line is incomplete");
            error.chinese.message = Some(format!("这一行 `{first}` 不完整"));
        }
        error = error.with_label(both(format!("write {form}"), format!("请写 {form_zh}")));
    }
    error.span = error.span.map(|s| start + s.start..start + s.end);
    error
}

/// What each rule of the sheet grammar stands for in a message.
fn rule_word(rule: Rule) -> Option<Named> {
    Some(match rule {
        Rule::string | Rule::inner => ("a quoted title or file name", "带引号的标题或文件名"),
        Rule::target => ("a target such as `df/dx`", "形如 `df/dx` 的目标"),
        Rule::rest => ("an expression", "表达式"),
        Rule::count => ("a whole number", "整数"),
        Rule::amount => ("a number such as 2 or 0.5", "形如 2 或 0.5 的数"),
        Rule::percent => ("a percentage such as 50%", "形如 50% 的百分数"),
        Rule::EOI => ("the end of the line", "行尾"),
        Rule::line
        | Rule::item
        | Rule::exercise
        | Rule::network
        | Rule::at
        | Rule::check
        | Rule::digits
        | Rule::lr
        | Rule::marks
        | Rule::carried
        | Rule::kw_marks
        | Rule::kw_carried
        | Rule::variant
        | Rule::kw_variant
        | Rule::kw_of
        | Rule::kw_from
        | Rule::kw_seed
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
