//! The small values of a network file — numbers, whole counts, vectors, matrices — and the
//! messages for unknown words, each pointing at its place.

use super::Rule;
use crate::error::{Error, Result, both};
use crate::syntax::errors::Named;
use pest::iterators::Pair;

pub type Span = std::ops::Range<usize>;

pub fn span(pair: &Pair<Rule>) -> Span {
    pair.as_span().start()..pair.as_span().end()
}

/// The option closest to a misspelt word, if one is close.
pub fn closest<'a>(word: &str, options: &[&'a str]) -> Option<&'a str> {
    options
        .iter()
        .map(|o| (strsim::damerau_levenshtein(word, o), *o))
        .filter(|(d, o)| *d <= 2.max(o.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

/// "unknown loss `bec`", with the closest name and the list; `what` in English and Chinese.
pub fn unknown(what: Named, word: &str, options: &[&str], at: Span) -> Error {
    let (what, zh) = what;
    let (list, list_zh) = (options.join(", "), options.join("、"));
    let label = match closest(word, options) {
        Some(best) => both(
            format!("did you mean `{best}`? the {what} can be: {list}"),
            format!("是不是想写 `{best}`？可用的{zh}：{list_zh}"),
        ),
        None => both(format!("the {what} can be: {list}"), format!("可用的{zh}：{list_zh}")),
    };
    Error::at(both(format!("unknown {what} `{word}`"), format!("未知的{zh} `{word}`")), at).with_label(label)
}

pub fn number(pair: &Pair<Rule>) -> Result<f64> {
    match pair.as_str().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(Error::at(both("number too large", "数字太大"), span(pair))),
    }
}

/// A number above 0 (a standard deviation, a rate); `what` in English and Chinese.
pub fn positive(pair: &Pair<Rule>, what: Named) -> Result<f64> {
    let (what, zh) = what;
    let v = number(pair)?;
    if v <= 0.0 {
        let message = both(
            format!("{what} must be above 0, not {}", pair.as_str()),
            format!("{zh}必须大于 0，而不是 {}", pair.as_str()),
        );
        return Err(Error::at(message, span(pair)));
    }
    Ok(v)
}

/// A whole number from `min` up to `max` (`epochs 0`, `batch 1.5` and `seed -1` are errors);
/// `what` in English and Chinese.
pub fn count(pair: &Pair<Rule>, what: Named, min: usize, max: usize) -> Result<usize> {
    let (what, zh) = what;
    let v = number(pair)?;
    if v.fract() != 0.0 || v < min as f64 || v > max as f64 {
        let message = both(
            format!("{what} must be a whole number from {min} to {max}, not {}", pair.as_str()),
            format!("{zh}必须是 {min} 到 {max} 之间的整数，而不是 {}", pair.as_str()),
        );
        return Err(Error::at(message, span(pair)));
    }
    Ok(v as usize)
}

pub fn vector(pair: Pair<Rule>) -> Result<Vec<f64>> {
    pair.into_inner().map(|p| number(&p)).collect()
}

pub fn matrix(pair: Pair<Rule>) -> Result<Vec<Vec<f64>>> {
    pair.into_inner().map(vector).collect()
}
