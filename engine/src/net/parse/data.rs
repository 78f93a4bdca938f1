//! `data` lines: inline samples (which may repeat), a generator, the shipped digits or a CSV
//! file — one source per network — with widths and targets checked against the network.

use super::Rule;
use super::values::{Span, count, span, unknown, vector};
use crate::error::{Error, Phrase, Result, both};
use crate::net::loss::Targets;
use crate::net::spec::{DataSpec, Loss, Target, TargetColumn};
use pest::iterators::Pair;

/// Most values (samples × inputs) a generated data set may have.
pub const MAX_DATA_VALUES: usize = 20_000_000;

pub fn parse_data(pair: Pair<Rule>) -> Result<DataSpec> {
    match pair.as_rule() {
        Rule::inline_data => {
            let mut inner = pair.into_inner();
            let x = vector(inner.next().expect("x"))?;
            let t = inner.next().expect("target");
            let target = match t.as_rule() {
                Rule::vector => Target::Values(vector(t)?),
                _ => Target::Class(count(&t, ("a class index", "类别索引"), 0, 1_000_000)?),
            };
            Ok(DataSpec::Inline(vec![(x, target)]))
        }
        Rule::file_data => {
            let mut inner = pair.into_inner();
            let path =
                inner.next().expect("a path").into_inner().next().map(|p| p.as_str().to_string()).unwrap_or_default();
            let target_column = match inner.next() {
                None => TargetColumn::Last,
                Some(w) => match w.as_str() {
                    "last" => TargetColumn::Last,
                    "first" => TargetColumn::First,
                    other => return Err(unknown(("target column", "目标列"), other, &["first", "last"], span(&w))),
                },
            };
            Ok(DataSpec::File { path, target_column })
        }
        Rule::generated => generated(pair),
        other => unreachable!("unexpected {other:?}"),
    }
}

fn generated(pair: Pair<Rule>) -> Result<DataSpec> {
    let at = span(&pair);
    let mut inner = pair.into_inner().peekable();
    let kind = inner.next().expect("a generator");
    let mut samples = None;
    let mut count_at = at.clone();
    if inner.peek().is_some_and(|p| p.as_rule() == Rule::number) {
        let n = inner.next().expect("a count");
        count_at = span(&n);
        samples = Some(count(&n, ("the number of samples", "样本数"), 1, 10_000_000)?);
    }
    let options = super::train::parse_options(inner, &["noise", "seed", "classes", "inputs", "test"])?;
    // Each generator reads only some options (and xor and digits no count); one it would ignore
    // is a mistake to say, not to drop.
    let (takes_count, reads): (bool, &[&str]) = match kind.as_str() {
        "xor" | "digits" => (false, &[]),
        "moons" | "circles" => (true, &["noise", "seed", "test"]),
        "spirals" => (true, &["classes", "noise", "seed", "test"]),
        "linear" => (true, &["inputs", "noise", "seed"]),
        "logistic" => (true, &["inputs", "seed"]),
        "random" => (true, &["inputs", "seed", "test"]),
        _ => (true, &["noise", "seed", "classes", "inputs", "test"]),
    };
    if let Some(o) = options.iter().find(|o| !reads.contains(&o.key.as_str())) {
        let kind = kind.as_str();
        let (what, zh) = match reads {
            [] => (format!("`data {kind}` takes no options"), format!("`data {kind}` 不接受选项")),
            some => {
                let quoted: Vec<String> = some.iter().map(|r| format!("`{r}`")).collect();
                (
                    format!("`data {kind}` takes {}", quoted.join(", ")),
                    format!("`data {kind}` 只接受 {}", quoted.join("、")),
                )
            }
        };
        let message =
            both(format!("`{}` does nothing here: {what}", o.key), format!("`{}` 在这里不起作用：{zh}", o.key));
        return Err(Error::at(message, o.at.clone()));
    }
    if samples.is_some() && !takes_count {
        let message = both(
            format!("`data {}` has a fixed number of samples", kind.as_str()),
            format!("`data {}` 的样本数是固定的", kind.as_str()),
        );
        return Err(Error::at(message, count_at));
    }
    let whole = |key: &str, default: usize, min: usize, max: usize| -> Result<usize> {
        match options.iter().find(|o| o.key == key) {
            Some(o) => {
                let v = o.value.ok_or_else(|| {
                    Error::at(both(format!("`{key}` needs a value"), format!("`{key}` 需要一个值")), o.at.clone())
                })?;
                if v.fract() != 0.0 || v < min as f64 || v > max as f64 {
                    let message = both(
                        format!("`{key}` must be a whole number from {min} to {max}"),
                        format!("`{key}` 必须是 {min} 到 {max} 之间的整数"),
                    );
                    return Err(Error::at(message, o.at.clone()));
                }
                Ok(v as usize)
            }
            None => Ok(default),
        }
    };
    let seed = whole("seed", 1, 0, u32::MAX as usize)? as u64;
    let classes = whole("classes", 3, 2, 10)?;
    let inputs = whole("inputs", 0, 1, 100_000)?;
    let test = whole("test", 0, 0, 10_000_000)?;
    let noise = match options.iter().find(|o| o.key == "noise") {
        Some(o) => match o.value {
            Some(v) if v >= 0.0 => Some(v),
            _ => {
                let message = both("`noise` needs a value of at least 0", "`noise` 需要一个不小于 0 的值");
                return Err(Error::at(message, o.at.clone()));
            }
        },
        None => None,
    };
    let data = match kind.as_str() {
        "xor" => DataSpec::Xor,
        "moons" => DataSpec::Moons { samples: samples.unwrap_or(200), noise: noise.unwrap_or(0.1), seed, test },
        "circles" => DataSpec::Circles { samples: samples.unwrap_or(200), noise: noise.unwrap_or(0.1), seed, test },
        "spirals" => {
            DataSpec::Spirals { samples: samples.unwrap_or(100), classes, noise: noise.unwrap_or(0.2), seed, test }
        }
        "linear" => DataSpec::Linear {
            samples: samples.unwrap_or(100),
            inputs: inputs.max(1),
            noise: noise.unwrap_or(0.1),
            seed,
        },
        "logistic" => DataSpec::Logistic { samples: samples.unwrap_or(100), inputs: inputs.max(2), seed },
        "random" => DataSpec::Random { samples: samples.unwrap_or(100), inputs: inputs.max(1), seed, test },
        "digits" => DataSpec::Digits,
        other => {
            return Err(unknown(
                ("data source", "数据来源"),
                other,
                &["xor", "moons", "circles", "spirals", "linear", "logistic", "random", "digits", "file", "x"],
                span(&kind),
            ));
        }
    };
    // Each count may be under its limit while their product is not.
    let values = match &data {
        DataSpec::Linear { samples, inputs, .. } | DataSpec::Logistic { samples, inputs, .. } => {
            samples.saturating_mul(*inputs)
        }
        DataSpec::Random { samples, inputs, test, .. } => samples.saturating_add(*test).saturating_mul(*inputs),
        DataSpec::Spirals { samples, classes, test, .. } => {
            samples.saturating_add(*test).saturating_mul(*classes).saturating_mul(2)
        }
        DataSpec::Moons { samples, test, .. } | DataSpec::Circles { samples, test, .. } => {
            samples.saturating_add(*test).saturating_mul(2)
        }
        _ => 0,
    };
    if values > MAX_DATA_VALUES {
        let message = both(
            format!("this data set would have {values} values; at most {MAX_DATA_VALUES} are supported"),
            format!("这个数据集将有 {values} 个值；最多支持 {MAX_DATA_VALUES} 个"),
        );
        return Err(Error::at(message, at));
    }
    Ok(data)
}

/// Inline samples become one data set; other sources stand alone. Widths and targets are
/// checked here: each target must be one the loss can read.
pub fn merge_data(data: Vec<(DataSpec, Span)>, inputs: usize, outputs: usize, loss: Loss) -> Result<Option<DataSpec>> {
    let mut inline = Vec::new();
    let mut other: Option<(DataSpec, Span)> = None;
    let one_source = |at: Span| {
        let message = both(
            "a network takes one data source (inline samples may repeat)",
            "一个网络只能有一个数据来源（内联样本可以写多行）",
        );
        Error::at(message, at)
    };
    for (d, at) in data {
        match d {
            DataSpec::Inline(samples) if other.is_none() => {
                for (x, t) in &samples {
                    if x.len() != inputs {
                        let message = both(
                            format!("this sample has {} inputs but the network takes {inputs}", x.len()),
                            format!("这个样本有 {} 个输入，但网络接受 {inputs} 个", x.len()),
                        );
                        return Err(Error::at(message, at));
                    }
                    check_target(t, outputs, loss).map_err(|m| Error::at(m, at.clone()))?;
                }
                inline.extend(samples);
            }
            _ if other.is_some() || !inline.is_empty() => return Err(one_source(at)),
            d => other = Some((d, at)),
        }
    }
    let Some((d, at)) = other else { return Ok((!inline.is_empty()).then_some(DataSpec::Inline(inline))) };
    let width = match &d {
        DataSpec::Xor | DataSpec::Moons { .. } | DataSpec::Circles { .. } | DataSpec::Spirals { .. } => Some(2),
        DataSpec::Digits => Some(64),
        DataSpec::Linear { inputs, .. } | DataSpec::Logistic { inputs, .. } | DataSpec::Random { inputs, .. } => {
            Some(*inputs)
        }
        DataSpec::Inline(_) | DataSpec::File { .. } => None,
    };
    if let Some(w) = width
        && w != inputs
    {
        let message = both(
            format!("this data has {w} inputs per sample but the network takes {inputs}"),
            format!("这些数据每个样本有 {w} 个输入，但网络接受 {inputs} 个"),
        );
        return Err(Error::at(message, at));
    }
    if matches!(d, DataSpec::Linear { .. }) && loss.info().targets != Targets::Values {
        let message = both(
            format!("`linear` data is for regression; {} needs class labels", loss.name()),
            format!("`linear` 数据用于回归；{} 需要类别标签", loss.name()),
        );
        return Err(Error::at(message, at));
    }
    Ok(Some(d))
}

/// Why a target cannot be read by the loss, if it cannot, in English and Chinese.
pub fn check_target(t: &Target, outputs: usize, loss: Loss) -> std::result::Result<(), Phrase> {
    let name = loss.name();
    let values = match t {
        Target::Class(c) if *c >= outputs && outputs > 1 => {
            return Err(both(
                format!("class {c} is out of range: the network has {outputs} outputs (classes 0…{})", outputs - 1),
                format!("类别 {c} 超出范围：网络有 {outputs} 个输出（类别 0…{}）", outputs - 1),
            ));
        }
        Target::Class(_) => return Ok(()),
        Target::Values(v) if loss.info().targets == Targets::Classes && v.len() == 1 => {
            return check_target(&Target::Class(v[0] as usize), outputs, loss).and_then(|()| {
                if v[0] < 0.0 || v[0].fract() != 0.0 {
                    let message = both(
                        format!("class {} is not a class index", v[0]),
                        format!("类别 {} 不是有效的类别索引", v[0]),
                    );
                    Err(message)
                } else {
                    Ok(())
                }
            });
        }
        Target::Values(v) if v.len() != outputs => {
            return Err(both(
                format!("this target has {} values but the network has {outputs} outputs", v.len()),
                format!("这个目标有 {} 个值，但网络有 {outputs} 个输出", v.len()),
            ));
        }
        Target::Values(v) => v,
    };
    match loss.info().targets {
        Targets::Probabilities if values.iter().any(|t| !(0.0..=1.0).contains(t)) => Err(both(
            format!("{name} reads targets as probabilities: each must be in [0, 1]"),
            format!("{name} 将目标视为概率：每个值都必须在 [0, 1] 之内"),
        )),
        Targets::Classes if values.iter().any(|t| *t < 0.0) || (values.iter().sum::<f64>() - 1.0).abs() > 1e-9 => {
            Err(both(
                format!("{name} needs a class index or a row of probabilities that sums to 1"),
                format!("{name} 需要类别索引，或者一行和为 1 的概率"),
            ))
        }
        Targets::Signs if values.iter().any(|t| ![-1.0, 0.0, 1.0].contains(t)) => Err(both(
            format!("{name} reads targets as classes: −1 or 1 (0 is read as −1)"),
            format!("{name} 将目标视为类别 −1 或 1（0 视为 −1）"),
        )),
        Targets::Values | Targets::Probabilities | Targets::Classes | Targets::Signs => Ok(()),
    }
}
