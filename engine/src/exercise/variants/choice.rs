//! Values given as choices in a sheet's `at` line, for variants:
//!
//! - `w = 0.5..2 step 0.5`: one of 0.5, 1, 1.5, 2;
//! - `x in [1, 2, 3]`: one of the listed values (any value the line takes: numbers, vectors);
//! - `W1 = random -1..1 digits 2`: a number drawn evenly from −1 to 1, written with 2 digits
//!   after the point (−0.37, 0.05, 1).
//!
//! Anything else is a fixed value. Decimals are exact (integers in units of their last digit),
//! so a range never drifts (0.1 + 0.2 is 0.3 here).

use super::rng::SplitMix64;
use crate::error::{Error, Phrase, Result, both};
use std::ops::Range;

/// A decimal as an integer number of units of 10^-places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    pub units: i128,
    pub places: u32,
}

impl Decimal {
    pub fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim().replace('−', "-");
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start().to_string()),
            None => (false, t.strip_prefix('+').unwrap_or(&t).to_string()),
        };
        let (whole, fraction) = body.split_once('.').unwrap_or((&body, ""));
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !digits_only(whole) || !digits_only(fraction) {
            return None;
        }
        if whole.len() + fraction.len() > 30 {
            return None;
        }
        let units: i128 = format!("{whole}{fraction}").parse().ok()?;
        Some(Decimal { units: if negative { -units } else { units }, places: fraction.len() as u32 })
    }

    /// The same value in units of 10^-places (more places only).
    fn at(self, places: u32) -> i128 {
        self.units * 10i128.pow(places - self.places)
    }

    /// The shortest text that reads back as this value: `0.5`, `-2`, `0.05`.
    pub fn text(self) -> String {
        let sign = if self.units < 0 { "-" } else { "" };
        let digits = self.units.unsigned_abs().to_string();
        let places = self.places as usize;
        let padded = format!("{digits:0>width$}", width = places + 1);
        let (whole, fraction) = padded.split_at(padded.len() - places);
        let fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole}.{fraction}") }
    }
}

/// How a value of an `at` line is given.
#[derive(Clone, Debug, PartialEq)]
pub enum Choice {
    Fixed(String),
    /// Every value from `from` to at most `to`, `step` apart (all in units of 10^-places).
    Range {
        from: i128,
        count: u64,
        step: i128,
        places: u32,
    },
    List(Vec<String>),
    /// Evenly from `from` to `to` (in units of 10^-places).
    Random {
        from: i128,
        to: i128,
        places: u32,
    },
}

/// Most values a range may hold, and most digits after the point a random value may have.
const MOST_VALUES: u64 = 1_000_000;
const MOST_PLACES: u32 = 6;

impl Choice {
    /// Whether the value is a choice rather than a fixed value.
    pub fn varies(&self) -> bool {
        !matches!(self, Choice::Fixed(_))
    }

    /// One value, as text.
    pub fn draw(&self, rng: &mut SplitMix64) -> String {
        match self {
            Choice::Fixed(text) => text.clone(),
            Choice::Range { from, count, step, places } => {
                let k = rng.below(*count) as i128;
                Decimal { units: from + k * step, places: *places }.text()
            }
            Choice::List(values) => values[rng.below(values.len() as u64) as usize].clone(),
            Choice::Random { from, to, places } => {
                let span = (to - from) as u64 + 1;
                Decimal { units: from + rng.below(span) as i128, places: *places }.text()
            }
        }
    }
}

/// One item of an `at` line: its name, how its value is given, and where each is.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub name: String,
    pub choice: Choice,
    pub span: Range<usize>,
}

/// Reads an `at` line's text into items; errors point into the text.
pub fn parse_items(text: &str) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    for (range, raw) in split_top_level(text) {
        let lead = raw.len() - raw.trim_start().len();
        let item = raw.trim();
        let span = range.start + lead..range.start + lead + item.len();
        if item.is_empty() {
            return Err(Error::at(both("an empty value", "取值为空"), span)
                .with_label(both("write NAME = VALUE, separated by commas", "请写 名称 = 值，用逗号隔开")));
        }
        let (name, value, value_at, list) = if let Some((name, rest)) = split_keyword(item, " in ") {
            (name, rest, item.len() - rest.len(), true)
        } else if let Some((name, rest)) = item.split_once('=') {
            (name.trim(), rest.trim(), item.len() - rest.trim_start().len(), false)
        } else {
            return Err(Error::at(both("this value has no name", "这个值没有名称"), span).with_label(both(
                "write NAME = VALUE, NAME = A..B step S, NAME in [A, B] or NAME = random A..B digits N",
                "请写 名称 = 值、名称 = A..B step S、名称 in [A, B] 或 名称 = random A..B digits N",
            )));
        };
        let at = |r: Range<usize>| span.start + value_at + r.start..span.start + value_at + r.end;
        let whole = at(0..value.len());
        let choice = if list {
            parse_list(value).map_err(|(m, r)| Error::at(m, at(r)))?
        } else if let Some(rest) = value.strip_prefix("random ") {
            parse_random(rest).map_err(|m| Error::at(m, whole.clone()))?
        } else if value.contains("..") {
            parse_range(value).map_err(|m| Error::at(m, whole.clone()))?
        } else {
            Choice::Fixed(value.to_string())
        };
        out.push(Item { name: name.to_string(), choice, span });
    }
    Ok(out)
}

/// `name in rest`, where `name` is a plain name.
fn split_keyword<'t>(item: &'t str, keyword: &str) -> Option<(&'t str, &'t str)> {
    let (name, rest) = item.split_once(keyword)?;
    let name = name.trim();
    let plain = !name.is_empty() && !name.contains(['=', '[', '(']);
    plain.then_some((name, rest.trim()))
}

/// `[1, 2, [3, 4]]` → its elements (brackets inside elements kept).
fn parse_list(value: &str) -> std::result::Result<Choice, (Phrase, Range<usize>)> {
    let inner = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')).ok_or_else(|| {
        let message = both(
            "a list of choices is written in brackets: x in [1, 2, 3]",
            "可选值的列表要写在方括号里：x in [1, 2, 3]",
        );
        (message, 0..value.len())
    })?;
    let values: Vec<String> = split_top_level(inner).into_iter().map(|(_, v)| v.trim().to_string()).collect();
    if values.iter().any(String::is_empty) {
        return Err((both("a list of choices has an empty value", "可选值的列表中有空值"), 0..value.len()));
    }
    Ok(Choice::List(values))
}

/// `0.5..2 step 0.5`.
fn parse_range(value: &str) -> std::result::Result<Choice, Phrase> {
    let (usage, usage_zh) = ("write A..B step S, e.g. 0.5..2 step 0.5", "请写 A..B step S，例如 0.5..2 step 0.5");
    let (bounds, step) = value
        .split_once(" step ")
        .ok_or_else(|| both(format!("a range needs a step: {usage}"), format!("范围需要步长：{usage_zh}")))?;
    let (from, to) = bounds.split_once("..").ok_or_else(|| both(usage, usage_zh))?;
    let (from, to, step) = match (Decimal::parse(from), Decimal::parse(to), Decimal::parse(step)) {
        (Some(a), Some(b), Some(s)) => (a, b, s),
        _ => {
            return Err(both(
                format!("the bounds and the step must be decimal numbers: {usage}"),
                format!("上下界和步长必须是十进制数：{usage_zh}"),
            ));
        }
    };
    let places = from.places.max(to.places).max(step.places);
    let (a, b, s) = (from.at(places), to.at(places), step.at(places));
    if s <= 0 {
        return Err(both("the step must be above 0", "步长必须大于 0"));
    }
    if b < a {
        return Err(empty_range(&from, &to));
    }
    let count = ((b - a) / s) as u64 + 1;
    if count > MOST_VALUES {
        return Err(both(
            format!("a range may hold at most {MOST_VALUES} values"),
            format!("一个范围至多包含 {MOST_VALUES} 个值"),
        ));
    }
    Ok(Choice::Range { from: a, count, step: s, places })
}

/// `-1..1 digits 2`.
fn parse_random(rest: &str) -> std::result::Result<Choice, Phrase> {
    let (usage, usage_zh) = (
        "write random A..B digits N, e.g. random -1..1 digits 2 (N digits after the point)",
        "请写 random A..B digits N，例如 random -1..1 digits 2（N 为小数点后的位数）",
    );
    let (bounds, digits) = rest.split_once(" digits ").ok_or_else(|| both(usage, usage_zh))?;
    let places: u32 = digits.trim().parse().map_err(|_| both(usage, usage_zh))?;
    if places > MOST_PLACES {
        return Err(both(
            format!("at most {MOST_PLACES} digits after the point"),
            format!("小数点后至多 {MOST_PLACES} 位"),
        ));
    }
    let (from, to) = bounds.split_once("..").ok_or_else(|| both(usage, usage_zh))?;
    let (Some(from), Some(to)) = (Decimal::parse(from), Decimal::parse(to)) else {
        return Err(both(
            format!("the bounds must be decimal numbers: {usage}"),
            format!("上下界必须是十进制数：{usage_zh}"),
        ));
    };
    if from.places > places || to.places > places {
        return Err(both(
            format!("the bounds have more than {places} digits after the point"),
            format!("上下界的小数位数超过了 {places} 位"),
        ));
    }
    let (a, b) = (from.at(places), to.at(places));
    if b < a {
        return Err(empty_range(&from, &to));
    }
    Ok(Choice::Random { from: a, to: b, places })
}

/// `2..1`: a range whose upper bound is below its lower one.
fn empty_range(from: &Decimal, to: &Decimal) -> Phrase {
    let (from, to) = (from.text(), to.text());
    both(format!("the range is empty: {to} is below {from}"), format!("范围为空：{to} 小于 {from}"))
}

/// Splits at commas outside brackets, with each piece's byte range.
pub fn split_top_level(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push((start..i, &text[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((start..text.len(), &text[start..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        let d = |t: &str| Decimal::parse(t).unwrap().text();
        assert_eq!(d("0.50"), "0.5");
        assert_eq!(d("-2"), "-2");
        assert_eq!(d(".05"), "0.05");
        assert_eq!(d("−1.25"), "-1.25");
        assert_eq!(Decimal::parse("1e3"), None);
    }

    #[test]
    fn choices_are_read() {
        let items = parse_items("w = 0.5..2 step 0.5, x in [1, 2, 3], b = random -1..1 digits 2, y = 1").unwrap();
        assert_eq!(items[0].choice, Choice::Range { from: 5, count: 4, step: 5, places: 1 });
        assert_eq!(items[1].choice, Choice::List(vec!["1".into(), "2".into(), "3".into()]));
        assert_eq!(items[2].choice, Choice::Random { from: -100, to: 100, places: 2 });
        assert_eq!(items[3].choice, Choice::Fixed("1".into()));
        let mut rng = SplitMix64::new(7);
        let drawn: Vec<String> = (0..50).map(|_| items[0].choice.draw(&mut rng)).collect();
        for v in &drawn {
            assert!(["0.5", "1", "1.5", "2"].contains(&v.as_str()), "{v}");
        }
        let x = parse_items("x in [[0.05, 0.1], [0.1, 0.2]]").unwrap();
        assert_eq!(x[0].choice, Choice::List(vec!["[0.05, 0.1]".into(), "[0.1, 0.2]".into()]));
    }

    #[test]
    fn bad_choices_point_at_themselves() {
        let e = parse_items("w = 2..1 step 0.5").unwrap_err();
        assert_eq!(e.span, Some(4..17));
        assert!(e.message.contains("the range is empty"));
        assert!(parse_items("w = 0..1 step 0").unwrap_err().message.contains("above 0"));
        assert!(parse_items("w = 0..1").unwrap_err().message.contains("needs a step"));
        assert!(parse_items("w = random 0..1 digits 9").unwrap_err().message.contains("at most 6"));
        assert!(parse_items("w = 0..1000000 step 0.0001").unwrap_err().message.contains("at most"));
        assert!(parse_items("x in 1, 2").unwrap_err().message.contains("in brackets"));
        assert!(parse_items("0.5").unwrap_err().message.contains("no name"));
    }
}
