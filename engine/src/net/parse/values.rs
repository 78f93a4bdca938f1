//! The small values of a network file — numbers, whole counts, vectors, matrices — and the
//! messages for unknown words, each pointing at its place.

use super::Rule;
use crate::error::{Error, Result};
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

/// "unknown loss `bec`", with the closest name and the list.
pub fn unknown(what: &str, word: &str, options: &[&str], at: Span) -> Error {
    let list = options.join(", ");
    let label = match closest(word, options) {
        Some(best) => format!("did you mean `{best}`? the {what} can be: {list}"),
        None => format!("the {what} can be: {list}"),
    };
    Error::at(format!("unknown {what} `{word}`"), at).with_label(label)
}

pub fn number(pair: &Pair<Rule>) -> Result<f64> {
    match pair.as_str().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(Error::at("number too large", span(pair))),
    }
}

/// A number above 0 (a standard deviation, a rate).
pub fn positive(pair: &Pair<Rule>, what: &str) -> Result<f64> {
    let v = number(pair)?;
    if v <= 0.0 {
        return Err(Error::at(format!("{what} must be above 0, not {}", pair.as_str()), span(pair)));
    }
    Ok(v)
}

/// A whole number from `min` up to `max` (`epochs 0`, `batch 1.5` and `seed -1` are errors).
pub fn count(pair: &Pair<Rule>, what: &str, min: usize, max: usize) -> Result<usize> {
    let v = number(pair)?;
    if v.fract() != 0.0 || v < min as f64 || v > max as f64 {
        return Err(Error::at(
            format!("{what} must be a whole number from {min} to {max}, not {}", pair.as_str()),
            span(pair),
        ));
    }
    Ok(v as usize)
}

pub fn vector(pair: Pair<Rule>) -> Result<Vec<f64>> {
    pair.into_inner().map(|p| number(&p)).collect()
}

pub fn matrix(pair: Pair<Rule>) -> Result<Vec<Vec<f64>>> {
    pair.into_inner().map(vector).collect()
}
