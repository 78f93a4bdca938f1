//! The `train` line and the `word [value]` options of `train` and `data` lines.

use super::Rule;
use super::values::{Span, number, span, unknown};
use crate::error::{Error, Result};
use crate::net::spec::{Optimizer, TrainSpec};
use pest::iterators::Pair;

/// One option as written: its name, its number, its names (for `freeze`), and its place.
pub struct Setting {
    pub key: String,
    pub value: Option<f64>,
    pub names: Vec<String>,
    pub at: Span,
}

/// Most epochs a `train` line may ask for.
pub const MAX_EPOCHS: usize = 1_000_000;

/// `word [value]` options, checked against the known names; each may be given once.
pub fn parse_options<'a>(pairs: impl Iterator<Item = Pair<'a, Rule>>, known: &[&str]) -> Result<Vec<Setting>> {
    let mut out: Vec<Setting> = Vec::new();
    for option in pairs {
        let at = span(&option);
        let mut inner = option.into_inner();
        let first = inner.next().expect("an option");
        let (key, value, names) = if first.as_rule() == Rule::freeze {
            if !known.contains(&"freeze") {
                return Err(Error::at("`freeze` belongs on the `train` line", at));
            }
            let names =
                first.into_inner().next().expect("names").into_inner().map(|w| w.as_str().to_string()).collect();
            ("freeze".to_string(), None, names)
        } else {
            if !known.contains(&first.as_str()) {
                return Err(unknown("option", first.as_str(), known, span(&first)));
            }
            let (value, names) = match inner.next() {
                None => (None, Vec::new()),
                Some(v) if v.as_rule() == Rule::number => (Some(number(&v)?), Vec::new()),
                Some(v) if v.as_rule() == Rule::names => {
                    (None, v.into_inner().map(|w| w.as_str().to_string()).collect())
                }
                Some(v) => (None, vec![v.as_str().to_string()]),
            };
            (first.as_str().to_string(), value, names)
        };
        if out.iter().any(|o| o.key == key) {
            return Err(Error::at(format!("`{key}` is given twice"), at));
        }
        out.push(Setting { key, value, names, at });
    }
    Ok(out)
}

pub fn parse_train(statement: Pair<Rule>) -> Result<(TrainSpec, Span)> {
    let at = span(&statement);
    let mut inner = statement.into_inner();
    let word = inner.next().expect("an optimizer");
    let optimizer = Optimizer::from_name(word.as_str())
        .ok_or_else(|| unknown("optimizer", word.as_str(), &Optimizer::NAMES, span(&word)))?;
    let options = parse_options(inner, &["lr", "epochs", "batch", "momentum", "clip", "l2", "seed", "freeze"])?;
    let mut t = TrainSpec { optimizer, ..TrainSpec::default() };
    for Setting { key, value, names, at } in options {
        let value = |check: &dyn Fn(f64) -> bool, what: &str| -> Result<f64> {
            match value {
                Some(v) if check(v) => Ok(v),
                Some(v) => Err(Error::at(format!("`{key}` must be {what}, not {v}"), at.clone())),
                None => Err(Error::at(format!("`{key}` needs a value ({what})"), at.clone())),
            }
        };
        let whole = |v: f64, min: f64, max: f64| v.fract() == 0.0 && v >= min && v <= max;
        match key.as_str() {
            "lr" => t.learning_rate = value(&|v| v > 0.0, "a positive number")?,
            "epochs" => {
                t.epochs = value(&|v| whole(v, 1.0, MAX_EPOCHS as f64), "a whole number from 1 to 1,000,000")? as usize
            }
            "batch" => t.batch = Some(value(&|v| whole(v, 1.0, 1e9), "a whole number of at least 1")? as usize),
            "momentum" => t.momentum = value(&|v| (0.0..1.0).contains(&v), "in [0, 1)")?,
            "clip" => t.clip = Some(value(&|v| v > 0.0, "a positive number")?),
            "l2" => t.l2 = value(&|v| v >= 0.0, "at least 0")?,
            "seed" => t.seed = value(&|v| whole(v, 0.0, u32::MAX as f64), "a whole number")? as u64,
            "freeze" if names.is_empty() => {
                return Err(Error::at("`freeze` needs parameter names, e.g. freeze b1, b2", at));
            }
            "freeze" => t.freeze = names,
            _ => unreachable!("options are checked"),
        }
    }
    Ok((t, at))
}
