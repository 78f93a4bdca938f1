//! The `train` line and the `word [value]` options of `train` and `data` lines.

use super::Rule;
use super::values::{Span, number, span, unknown};
use crate::error::{Error, Result, both};
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
                let message = both("`freeze` belongs on the `train` line", "`freeze` 应写在 `train` 这一行");
                return Err(Error::at(message, at));
            }
            let names =
                first.into_inner().next().expect("names").into_inner().map(|w| w.as_str().to_string()).collect();
            ("freeze".to_string(), None, names)
        } else {
            if !known.contains(&first.as_str()) {
                return Err(unknown(("option", "选项"), first.as_str(), known, span(&first)));
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
            return Err(Error::at(both(format!("`{key}` is given twice"), format!("`{key}` 给出了两次")), at));
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
        .ok_or_else(|| unknown(("optimizer", "优化器"), word.as_str(), &Optimizer::NAMES, span(&word)))?;
    let options = parse_options(inner, &["lr", "epochs", "batch", "momentum", "clip", "l2", "seed", "freeze"])?;
    let mut t = TrainSpec { optimizer, ..TrainSpec::default() };
    for Setting { key, value, names, at } in options {
        // `what` in English and Chinese; the Chinese follows 必须 ("must").
        let value = |check: &dyn Fn(f64) -> bool, (what, zh): (&str, &str)| -> Result<f64> {
            match value {
                Some(v) if check(v) => Ok(v),
                Some(v) => Err(Error::at(
                    both(format!("`{key}` must be {what}, not {v}"), format!("`{key}` 必须{zh}，而不是 {v}")),
                    at.clone(),
                )),
                None => Err(Error::at(
                    both(format!("`{key}` needs a value ({what})"), format!("`{key}` 需要一个值（必须{zh}）")),
                    at.clone(),
                )),
            }
        };
        let whole = |v: f64, min: f64, max: f64| v.fract() == 0.0 && v >= min && v <= max;
        match key.as_str() {
            "lr" => t.learning_rate = value(&|v| v > 0.0, ("a positive number", "是正数"))?,
            "epochs" => {
                let what = ("a whole number from 1 to 1,000,000", "是 1 到 1,000,000 之间的整数");
                t.epochs = value(&|v| whole(v, 1.0, MAX_EPOCHS as f64), what)? as usize
            }
            "batch" => {
                let what = ("a whole number of at least 1", "是不小于 1 的整数");
                t.batch = Some(value(&|v| whole(v, 1.0, 1e9), what)? as usize)
            }
            "momentum" => t.momentum = value(&|v| (0.0..1.0).contains(&v), ("in [0, 1)", "在 [0, 1) 之内"))?,
            "clip" => t.clip = Some(value(&|v| v > 0.0, ("a positive number", "是正数"))?),
            "l2" => t.l2 = value(&|v| v >= 0.0, ("at least 0", "不小于 0"))?,
            "seed" => t.seed = value(&|v| whole(v, 0.0, u32::MAX as f64), ("a whole number", "是整数"))? as u64,
            "freeze" if names.is_empty() => {
                let message = both(
                    "`freeze` needs parameter names, e.g. freeze b1, b2",
                    "`freeze` 需要参数名，例如 freeze b1, b2",
                );
                return Err(Error::at(message, at));
            }
            "freeze" => t.freeze = names,
            _ => unreachable!("options are checked"),
        }
    }
    Ok((t, at))
}
