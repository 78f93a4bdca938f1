//! Network file → `NetworkSpec`, with every check that can point at a line: shapes of given
//! parameters, activation and loss names, losses that need a particular output layer, data
//! widths, training options.

use super::spec::*;
use crate::error::{Error, Result};
use ndarray::{Array1, Array2};
use pest::Parser;
use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/net.pest"]
struct NetParser;

/// Largest network accepted, in parameters.
pub const MAX_PARAMETERS: usize = 20_000_000;
/// Largest amount of training accepted: epochs × samples.
pub const MAX_SAMPLE_STEPS: f64 = 2e9;

type Span = std::ops::Range<usize>;

fn span(pair: &Pair<Rule>) -> Span {
    pair.as_span().start()..pair.as_span().end()
}

fn closest<'a>(word: &str, options: &[&'a str]) -> Option<&'a str> {
    options
        .iter()
        .map(|o| (strsim::damerau_levenshtein(word, o), *o))
        .filter(|(d, o)| *d <= 2.max(o.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

fn unknown(what: &str, word: &str, options: &[&str], at: Span) -> Error {
    let list = options.join(", ");
    let label = match closest(word, options) {
        Some(best) => format!("did you mean `{best}`? {what}s: {list}"),
        None => format!("{what}s: {list}"),
    };
    Error::at(format!("unknown {what} `{word}`"), at).with_label(label)
}

fn number(pair: &Pair<Rule>) -> Result<f64> {
    match pair.as_str().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(Error::at("number too large", span(pair))),
    }
}

fn count(pair: &Pair<Rule>, what: &str) -> Result<usize> {
    let v = number(pair)?;
    if v < 0.0 || v.fract() != 0.0 || v > 1e12 {
        return Err(Error::at(format!("{what} must be a whole number, not {}", pair.as_str()), span(pair)));
    }
    Ok(v as usize)
}

fn vector(pair: Pair<Rule>) -> Result<Vec<f64>> {
    pair.into_inner().map(|p| number(&p)).collect()
}

fn matrix(pair: Pair<Rule>) -> Result<Vec<Vec<f64>>> {
    pair.into_inner().map(vector).collect()
}

/// Parses a network file's text.
pub fn parse_network(text: &str) -> Result<NetworkSpec> {
    let file = NetParser::parse(Rule::file, text).map_err(|e| syntax_error(text, e))?.next().expect("one file");
    let mut name = String::from("network");
    let mut inputs: Option<(usize, Span)> = None;
    let mut input_dropout = None;
    let mut layers: Vec<LayerSpec> = Vec::new();
    let mut loss: Option<(Loss, Span)> = None;
    let mut data: Vec<(DataSpec, Span)> = Vec::new();
    let mut init = None;
    let mut train = None;
    let line_of = |p: &Pair<Rule>| p.as_span().start_pos().line_col().0;

    for statement in file.into_inner() {
        let at = span(&statement);
        let line = line_of(&statement);
        match statement.as_rule() {
            Rule::network => {
                let s = statement.into_inner().next().expect("a name");
                name = s.into_inner().next().map(|i| i.as_str().to_string()).unwrap_or_default();
            }
            Rule::input => {
                if inputs.is_some() {
                    return Err(Error::at("`input` is given twice", at));
                }
                let n = statement.into_inner().next().expect("a size");
                let size = count(&n, "the input size")?;
                if size == 0 {
                    return Err(Error::at("the input needs at least one value", span(&n)));
                }
                inputs = Some((size, at));
            }
            Rule::dense => {
                let Some((input_size, _)) = inputs.clone() else {
                    return Err(Error::at("`dense` before `input`", at).with_label("start the network with `input N`"));
                };
                let mut inner = statement.into_inner();
                let units_pair = inner.next().expect("units");
                let units = count(&units_pair, "the number of units")?;
                if units == 0 || units > 100_000 {
                    return Err(Error::at("a layer needs between 1 and 100,000 units", span(&units_pair)));
                }
                let act = inner.next().expect("activation");
                let activation = Activation::from_name(act.as_str())
                    .ok_or_else(|| unknown("activation", act.as_str(), &Activation::NAMES, span(&act)))?;
                let fan_in = layers.last().map_or(input_size, |l| l.units);
                let index = layers.len() + 1;
                let mut layer = LayerSpec {
                    units,
                    activation,
                    weights: None,
                    bias: None,
                    batchnorm: false,
                    residual: false,
                    dropout: None,
                    line,
                };
                for parameter in inner {
                    let mut p = parameter.into_inner();
                    let key = p.next().expect("a name");
                    let value = p.next().expect("a value");
                    let value_span = span(&value);
                    match key.as_str() {
                        "W" => {
                            let rows = match value.as_rule() {
                                Rule::matrix => matrix(value)?,
                                _ => vec![vector(value)?],
                            };
                            let found = (rows.len(), rows.first().map_or(0, Vec::len));
                            if rows.iter().any(|r| r.len() != found.1) {
                                return Err(Error::at(
                                    format!("the rows of W{index} have different lengths"),
                                    value_span,
                                ));
                            }
                            if found != (units, fan_in) {
                                return Err(Error::at(
                                    format!(
                                        "W{index} of layer {index} (dense {units} {}) must be {units}×{fan_in}, found {}×{}",
                                        activation.name(),
                                        found.0,
                                        found.1
                                    ),
                                    value_span,
                                )
                                .with_label(format!("one row per unit ({units}), one column per input ({fan_in})")));
                            }
                            let flat: Vec<f64> = rows.into_iter().flatten().collect();
                            layer.weights = Some(Array2::from_shape_vec((units, fan_in), flat).expect("checked shape"));
                        }
                        "b" => {
                            let values = match value.as_rule() {
                                Rule::vector => vector(value)?,
                                _ => {
                                    return Err(Error::at(
                                        format!("b{index} must be a vector like [0.1, 0.2]"),
                                        value_span,
                                    ));
                                }
                            };
                            // One value stands for every unit: `b = [0.35]` or the classic shared bias.
                            let values = if values.len() == 1 { vec![values[0]; units] } else { values };
                            if values.len() != units {
                                return Err(Error::at(
                                    format!(
                                        "b{index} of layer {index} must have {units} values, found {}",
                                        values.len()
                                    ),
                                    value_span,
                                ));
                            }
                            layer.bias = Some(Array1::from(values));
                        }
                        other => {
                            return Err(Error::at(format!("unknown parameter `{other}`"), span(&key))
                                .with_label("a dense layer takes W = [[…]] and b = […]"));
                        }
                    }
                }
                layers.push(layer);
            }
            Rule::dropout => {
                let p_pair = statement.into_inner().next().expect("a probability");
                let p = number(&p_pair)?;
                if !(0.0..1.0).contains(&p) {
                    return Err(Error::at(format!("dropout probability must be in [0, 1), not {p}"), span(&p_pair)));
                }
                match layers.last_mut() {
                    None if inputs.is_some() => input_dropout = Some(p),
                    None => return Err(Error::at("`dropout` before `input`", at)),
                    Some(l) if l.dropout.is_some() => return Err(Error::at("this layer already has dropout", at)),
                    Some(l) => l.dropout = Some(p),
                }
            }
            Rule::batchnorm => match layers.last_mut() {
                None => return Err(Error::at("`batchnorm` needs a dense layer before it", at)),
                Some(l) if l.batchnorm => return Err(Error::at("this layer already has batchnorm", at)),
                Some(l) => l.batchnorm = true,
            },
            Rule::residual => {
                let n = layers.len();
                let fan_in = if n >= 2 { layers[n - 2].units } else { inputs.as_ref().map_or(0, |i| i.0) };
                match layers.last_mut() {
                    None => return Err(Error::at("`residual` needs a dense layer before it", at)),
                    Some(l) if l.units != fan_in => {
                        return Err(Error::at(
                            format!(
                                "a residual connection adds the layer's input to its output: sizes {fan_in} and {} differ",
                                l.units
                            ),
                            at,
                        ));
                    }
                    Some(l) => l.residual = true,
                }
            }
            Rule::loss => {
                let word = statement.into_inner().next().expect("a loss");
                let l = Loss::from_name(word.as_str())
                    .ok_or_else(|| unknown("loss", word.as_str(), &Loss::NAMES, span(&word)))?;
                loss = Some((l, at));
            }
            Rule::init => {
                let mut inner = statement.into_inner();
                let word = inner.next().expect("a scheme");
                let scheme = match word.as_str() {
                    "xavier" => InitScheme::Xavier,
                    "he" => InitScheme::He,
                    "normal" => InitScheme::Normal,
                    other => return Err(unknown("initialisation", other, &["xavier", "he", "normal"], span(&word))),
                };
                let seed = match inner.next() {
                    Some(s) => count(&s, "the seed")? as u64,
                    None => 42,
                };
                init = Some((scheme, seed));
            }
            Rule::data => {
                let d = parse_data(statement.into_inner().next().expect("data"))?;
                data.push((d, at));
            }
            Rule::train => train = Some(parse_train(statement)?),
            Rule::EOI => {}
            other => unreachable!("unexpected {other:?}"),
        }
    }

    let Some((inputs, _)) = inputs else { return Err(Error::new("the network has no `input N` line")) };
    if layers.is_empty() {
        return Err(Error::new("the network has no `dense` layer"));
    }
    let Some((loss, loss_at)) = loss else {
        return Err(
            Error::new("the network has no `loss` line").with_label(format!("losses: {}", Loss::NAMES.join(", ")))
        );
    };
    let last = layers.last().expect("a layer");
    if last.dropout.is_some() {
        return Err(Error::new(format!("dropout after the output layer (line {}) would drop predictions", last.line)));
    }
    let describe_last =
        format!("the last layer is `dense {} {}` (line {})", last.units, last.activation.name(), last.line);
    match loss {
        Loss::CrossEntropy if last.activation != Activation::Softmax => {
            return Err(Error::at("cross_entropy needs a softmax output layer", loss_at).with_label(describe_last));
        }
        Loss::Bce if last.activation != Activation::Sigmoid => {
            return Err(Error::at("bce needs a sigmoid output layer", loss_at).with_label(describe_last));
        }
        Loss::Hinge if last.units != 1 => {
            return Err(Error::at("hinge needs exactly one output unit", loss_at).with_label(describe_last));
        }
        _ => {}
    }
    let mut parameters = 0usize;
    let mut fan_in = inputs;
    for l in &layers {
        parameters = parameters.saturating_add(l.units.saturating_mul(fan_in + 1));
        fan_in = l.units;
    }
    if parameters > MAX_PARAMETERS {
        return Err(Error::new(format!(
            "the network has {parameters} parameters; at most {MAX_PARAMETERS} are supported"
        )));
    }
    let init = init.unwrap_or(if layers.iter().any(|l| l.activation == Activation::Relu) {
        (InitScheme::He, 42)
    } else {
        (InitScheme::Xavier, 42)
    });
    let spec_data = merge_data(data, inputs, last.units, loss)?;
    let mut spec =
        NetworkSpec { name, inputs, input_dropout, layers, loss, data: spec_data, init, train: TrainSpec::default() };
    if let Some((t, freeze_at)) = train {
        let names = spec.parameter_names();
        if let Some(bad) = t.freeze.iter().find(|f| !names.contains(f)) {
            return Err(Error::at(format!("cannot freeze `{bad}`: no such parameter"), freeze_at)
                .with_label(format!("parameters: {}", names.join(", "))));
        }
        spec.train = t;
    }
    Ok(spec)
}

/// Inline samples become one data set; other sources stand alone. Widths are checked here.
fn merge_data(data: Vec<(DataSpec, Span)>, inputs: usize, outputs: usize, loss: Loss) -> Result<Option<DataSpec>> {
    let mut inline = Vec::new();
    let mut other = None;
    for (d, at) in data {
        match d {
            DataSpec::Inline(samples) => {
                for (x, t) in &samples {
                    if x.len() != inputs {
                        return Err(Error::at(
                            format!("this sample has {} inputs but the network takes {inputs}", x.len()),
                            at.clone(),
                        ));
                    }
                    match t {
                        Target::Values(v) if v.len() != outputs && !(loss == Loss::CrossEntropy && v.len() == 1) => {
                            return Err(Error::at(
                                format!("this target has {} values but the network has {outputs} outputs", v.len()),
                                at.clone(),
                            ));
                        }
                        Target::Class(c) if *c >= outputs => {
                            return Err(Error::at(
                                format!("class {c} is out of range: the network has {outputs} outputs"),
                                at,
                            ));
                        }
                        _ => {}
                    }
                }
                inline.extend(samples);
            }
            d if other.is_some() || !inline.is_empty() => {
                let _ = d;
                return Err(Error::at("a network takes one data source (inline samples may repeat)", at));
            }
            d => other = Some((d, at)),
        }
    }
    if let Some((d, at)) = other {
        if !inline.is_empty() {
            return Err(Error::at("a network takes one data source (inline samples may repeat)", at));
        }
        let width = match &d {
            DataSpec::Xor | DataSpec::Moons { .. } | DataSpec::Spirals { .. } => Some(2),
            DataSpec::Digits => Some(64),
            DataSpec::Linear { inputs, .. } | DataSpec::Logistic { inputs, .. } => Some(*inputs),
            _ => None,
        };
        if let Some(w) = width
            && w != inputs
        {
            return Err(Error::at(format!("this data has {w} inputs per sample but the network takes {inputs}"), at));
        }
        return Ok(Some(d));
    }
    Ok((!inline.is_empty()).then_some(DataSpec::Inline(inline)))
}

fn parse_data(pair: Pair<Rule>) -> Result<DataSpec> {
    match pair.as_rule() {
        Rule::inline_data => {
            let mut inner = pair.into_inner();
            let x = vector(inner.next().expect("x"))?;
            let t = inner.next().expect("target");
            let target = match t.as_rule() {
                Rule::vector => Target::Values(vector(t)?),
                _ => Target::Class(count(&t, "a class index")?),
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
                    other => return Err(unknown("target column", other, &["first", "last"], span(&w))),
                },
            };
            Ok(DataSpec::File { path, target_column })
        }
        Rule::generated => {
            let mut inner = pair.into_inner().peekable();
            let kind = inner.next().expect("a generator");
            let mut samples = None;
            if inner.peek().is_some_and(|p| p.as_rule() == Rule::number) {
                let n = inner.next().expect("a count");
                samples = Some(count(&n, "the number of samples")?);
                if samples == Some(0) || samples.is_some_and(|s| s > 10_000_000) {
                    return Err(Error::at("the number of samples must be between 1 and 10,000,000", span(&n)));
                }
            }
            let options = parse_options(inner, &["noise", "seed", "classes", "inputs"])?;
            let get = |k: &str, default: f64| options.iter().find(|o| o.0 == k).and_then(|o| o.1).unwrap_or(default);
            let seed = get("seed", 1.0) as u64;
            let noise = get("noise", 0.1);
            Ok(match kind.as_str() {
                "xor" => DataSpec::Xor,
                "moons" => DataSpec::Moons { samples: samples.unwrap_or(200), noise, seed },
                "spirals" => DataSpec::Spirals {
                    samples: samples.unwrap_or(100),
                    classes: (get("classes", 3.0) as usize).clamp(2, 10),
                    noise: get("noise", 0.2),
                    seed,
                },
                "linear" => DataSpec::Linear {
                    samples: samples.unwrap_or(100),
                    inputs: get("inputs", 1.0).max(1.0) as usize,
                    noise,
                    seed,
                },
                "logistic" => DataSpec::Logistic {
                    samples: samples.unwrap_or(100),
                    inputs: get("inputs", 2.0).max(1.0) as usize,
                    seed,
                },
                "digits" => DataSpec::Digits,
                other => {
                    return Err(unknown(
                        "data source",
                        other,
                        &["xor", "moons", "spirals", "linear", "logistic", "digits", "file", "x"],
                        span(&kind),
                    ));
                }
            })
        }
        other => unreachable!("unexpected {other:?}"),
    }
}

/// An option: its name, its number if any, its names (for `freeze`).
type Setting = (String, Option<f64>, Vec<String>);

/// `word [value]` options, checked against the known names.
fn parse_options<'a>(pairs: impl Iterator<Item = Pair<'a, Rule>>, known: &[&str]) -> Result<Vec<Setting>> {
    let mut out = Vec::new();
    for option in pairs {
        let mut inner = option.into_inner();
        let first = inner.next().expect("an option");
        if first.as_rule() == Rule::freeze {
            let at = span(&first);
            let names =
                first.into_inner().next().expect("names").into_inner().map(|w| w.as_str().to_string()).collect();
            if !known.contains(&"freeze") {
                return Err(Error::at("`freeze` belongs on the `train` line", at));
            }
            out.push(("freeze".to_string(), None, names));
            continue;
        }
        let key = first;
        if !known.contains(&key.as_str()) {
            return Err(unknown("option", key.as_str(), known, span(&key)));
        }
        let (value, names) = match inner.next() {
            None => (None, Vec::new()),
            Some(v) if v.as_rule() == Rule::number => (Some(number(&v)?), Vec::new()),
            Some(v) if v.as_rule() == Rule::names => (None, v.into_inner().map(|w| w.as_str().to_string()).collect()),
            Some(v) => (None, vec![v.as_str().to_string()]),
        };
        out.push((key.as_str().to_string(), value, names));
    }
    Ok(out)
}

fn parse_train(statement: Pair<Rule>) -> Result<(TrainSpec, Span)> {
    let at = span(&statement);
    let mut inner = statement.into_inner();
    let word = inner.next().expect("an optimizer");
    let optimizer = Optimizer::from_name(word.as_str())
        .ok_or_else(|| unknown("optimizer", word.as_str(), &Optimizer::NAMES, span(&word)))?;
    let options = parse_options(inner, &["lr", "epochs", "batch", "momentum", "clip", "l2", "seed", "freeze"])?;
    let mut t = TrainSpec { optimizer, ..TrainSpec::default() };
    for (key, value, names) in options {
        let need = |v: Option<f64>| v.ok_or_else(|| Error::at(format!("`{key}` needs a value"), at.clone()));
        match key.as_str() {
            "lr" => t.learning_rate = need(value)?,
            "epochs" => t.epochs = need(value)?.max(0.0) as usize,
            "batch" => t.batch = Some(need(value)?.max(1.0) as usize),
            "momentum" => t.momentum = need(value)?,
            "clip" => t.clip = Some(need(value)?),
            "l2" => t.l2 = need(value)?,
            "seed" => t.seed = need(value)?.max(0.0) as u64,
            "freeze" => {
                if names.is_empty() {
                    return Err(Error::at("`freeze` needs parameter names, e.g. freeze b1, b2", at));
                }
                t.freeze = names;
            }
            _ => unreachable!("options are checked"),
        }
    }
    if !(t.learning_rate > 0.0 && t.learning_rate.is_finite()) {
        return Err(Error::at("the learning rate must be positive", at));
    }
    if t.epochs > 1_000_000 {
        return Err(Error::at("at most 1,000,000 epochs", at));
    }
    Ok((t, at))
}

fn syntax_error(text: &str, error: pest::error::Error<Rule>) -> Error {
    use pest::error::{ErrorVariant, InputLocation};
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<String> = Vec::new();
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            let word = match rule {
                Rule::network
                | Rule::input
                | Rule::dense
                | Rule::dropout
                | Rule::batchnorm
                | Rule::residual
                | Rule::loss
                | Rule::data
                | Rule::init
                | Rule::train => {
                    "a statement (network, input, dense, dropout, batchnorm, residual, loss, data, init, train)"
                        .to_string()
                }
                Rule::number | Rule::integer => "a number".into(),
                Rule::vector | Rule::matrix => "`[`".into(),
                Rule::word | Rule::parameter | Rule::option | Rule::names | Rule::freeze => "a name".into(),
                Rule::string => "a quoted name".into(),
                Rule::EOI => "the end of the file".into(),
                other => format!("{other:?}").to_lowercase(),
            };
            if !expected.contains(&word) {
                expected.push(word);
            }
        }
    }
    let found = text[at..].chars().next();
    let what = match found {
        None => "unexpected end of file".to_string(),
        Some('\n') => "unexpected end of line".to_string(),
        Some(c) => format!("unexpected `{c}`"),
    };
    let message = if expected.is_empty() { what } else { format!("{what}; expected {}", expected.join(" or ")) };
    Error::at(message, at..at + found.map_or(0, char::len_utf8))
}
