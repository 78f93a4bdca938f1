//! Network file → `NetworkSpec`, with every check that can point at a line: shapes of given
//! parameters, activation and loss names, losses that need a particular output layer, data
//! widths and targets, training options. Each statement that describes one thing is given
//! once (a second `loss` is an error, not a silent override).

mod data;
mod train;
mod values;

use super::spec::*;
use crate::error::{Error, Result, both};
use crate::net::loss::Needs;
use crate::syntax::errors::{Named, Words, none_foreign, plain};
use data::{merge_data, parse_data};
use ndarray::{Array1, Array2};
use pest::Parser;
use pest::iterators::Pair;
use values::{Span, closest, count, matrix, number, positive, span, unknown, vector};

pub use data::{MAX_DATA_VALUES, check_target};
pub use train::MAX_EPOCHS;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/net.pest"]
struct NetParser;

/// Largest network accepted, in parameters.
pub const MAX_PARAMETERS: usize = 20_000_000;
/// Largest amount of training accepted: epochs × samples.
pub const MAX_SAMPLE_STEPS: f64 = 2e9;
/// Most units a layer may have.
pub const MAX_UNITS: usize = 100_000;

const STATEMENTS: [&str; 10] =
    ["network", "input", "dense", "dropout", "batchnorm", "residual", "loss", "data", "init", "train"];

/// The file as it is read, statement by statement.
#[derive(Default)]
struct Builder {
    name: Option<(String, Span)>,
    inputs: Option<(usize, Span)>,
    input_dropout: Option<f64>,
    layers: Vec<LayerSpec>,
    loss: Option<(Loss, Span)>,
    data: Vec<(DataSpec, Span)>,
    init: Option<((InitScheme, u64), Span)>,
    train: Option<(TrainSpec, Span)>,
    parameters: usize,
}

/// Parses a network file's text.
pub fn parse_network(text: &str) -> Result<NetworkSpec> {
    let file = NetParser::parse(Rule::file, text).map_err(|e| syntax_error(text, &e))?.next().expect("one file");
    // Line numbers by binary search over line starts (pest's line_col scans from the start).
    let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset);
    let mut b = Builder::default();
    for statement in file.into_inner() {
        let at = span(&statement);
        let line = line_of(at.start);
        b.statement(statement, at, line)?;
    }
    b.finish()
}

/// Sets a value given once; a second one is an error at the second. `what` is the statement's
/// keyword, the same in both languages.
fn once<T>(slot: &mut Option<(T, Span)>, value: T, at: Span, what: &str) -> Result<()> {
    if let Some((_, first)) = slot {
        let label = both(
            format!("it was given at byte {} already; give it once", first.start),
            format!("它已在第 {} 个字节处给出；只能给出一次", first.start),
        );
        return Err(
            Error::at(both(format!("`{what}` is given twice"), format!("`{what}` 给出了两次")), at).with_label(label)
        );
    }
    *slot = Some((value, at));
    Ok(())
}

impl Builder {
    fn statement(&mut self, statement: Pair<Rule>, at: Span, line: usize) -> Result<()> {
        match statement.as_rule() {
            Rule::network => {
                let s = statement.into_inner().next().expect("a name");
                let name = s.into_inner().next().map(|i| i.as_str().to_string()).unwrap_or_default();
                once(&mut self.name, name, at, "network")?;
            }
            Rule::input => {
                let n = statement.into_inner().next().expect("a size");
                let size = count(&n, ("the input size", "输入的大小"), 1, MAX_UNITS)?;
                once(&mut self.inputs, size, at, "input")?;
            }
            Rule::dense => self.dense(statement, at, line)?,
            Rule::dropout => {
                let p_pair = statement.into_inner().next().expect("a probability");
                let p = number(&p_pair)?;
                if !(0.0..1.0).contains(&p) {
                    let message = both(
                        format!("dropout probability must be in [0, 1), not {p}"),
                        format!("暂退概率必须在 [0, 1) 之内，而不是 {p}"),
                    );
                    return Err(Error::at(message, span(&p_pair)));
                }
                match self.layers.last_mut() {
                    None if self.inputs.is_some() && self.input_dropout.is_none() => self.input_dropout = Some(p),
                    None if self.inputs.is_some() => {
                        return Err(Error::at(both("the input already has dropout", "输入层已经使用了暂退法"), at));
                    }
                    None => {
                        return Err(Error::at(both("`dropout` before `input`", "`dropout` 写在了 `input` 之前"), at));
                    }
                    Some(l) if l.dropout.is_some() => {
                        return Err(Error::at(both("this layer already has dropout", "这一层已经使用了暂退法"), at));
                    }
                    Some(l) => l.dropout = Some(p),
                }
            }
            Rule::batchnorm => match self.layers.last_mut() {
                None => {
                    let message =
                        both("`batchnorm` needs a dense layer before it", "`batchnorm` 前面需要一个 dense 层");
                    return Err(Error::at(message, at));
                }
                Some(l) if l.batchnorm => {
                    return Err(Error::at(both("this layer already has batchnorm", "这一层已经使用了批量规范化"), at));
                }
                Some(l) => l.batchnorm = true,
            },
            Rule::residual => {
                let n = self.layers.len();
                let fan_in = if n >= 2 { self.layers[n - 2].units } else { self.inputs.as_ref().map_or(0, |i| i.0) };
                match self.layers.last_mut() {
                    None => {
                        let message =
                            both("`residual` needs a dense layer before it", "`residual` 前面需要一个 dense 层");
                        return Err(Error::at(message, at));
                    }
                    Some(l) if l.residual => {
                        let message = both("this layer already has a residual connection", "这一层已经有残差连接");
                        return Err(Error::at(message, at));
                    }
                    Some(l) if l.units != fan_in => {
                        let english = format!(
                            "a residual connection adds the layer's input to its output: sizes {fan_in} and {} differ",
                            l.units
                        );
                        let chinese = format!("残差连接把层的输入加到它的输出上：大小 {fan_in} 和 {} 不一致", l.units);
                        return Err(Error::at(both(english, chinese), at));
                    }
                    Some(l) => l.residual = true,
                }
            }
            Rule::loss => {
                let word = statement.into_inner().next().expect("a loss");
                let l = Loss::from_name(word.as_str())
                    .ok_or_else(|| unknown(("loss", "损失函数"), word.as_str(), &Loss::NAMES, span(&word)))?;
                once(&mut self.loss, l, at, "loss")?;
            }
            Rule::init => {
                let mut inner = statement.into_inner();
                let word = inner.next().expect("a scheme");
                let mut std = None;
                let mut seed = 42;
                for part in inner {
                    match part.as_rule() {
                        Rule::number => {
                            std = Some((positive(&part, ("the standard deviation", "标准差"))?, span(&part)))
                        }
                        _ => seed = count(&part, ("the seed", "随机种子"), 0, u32::MAX as usize)? as u64,
                    }
                }
                let scheme = match (word.as_str(), std) {
                    ("xavier", None) => InitScheme::Xavier,
                    ("he", None) => InitScheme::He,
                    ("normal", std) => InitScheme::Normal(std.map_or(0.01, |s| s.0)),
                    ("xavier" | "he", Some((_, at))) => {
                        let message = both("`std` goes with `init normal`", "`std` 只能与 `init normal` 一起使用");
                        return Err(Error::at(message, at).with_label(both(
                            "xavier and he choose the standard deviation from the layer sizes",
                            "xavier 和 he 根据各层的大小选定标准差",
                        )));
                    }
                    (other, _) => {
                        let options = ["xavier", "he", "normal"];
                        return Err(unknown(("initialisation", "初始化方法"), other, &options, span(&word)));
                    }
                };
                once(&mut self.init, (scheme, seed), at, "init")?;
            }
            Rule::data => {
                let d = parse_data(statement.into_inner().next().expect("data"))?;
                self.data.push((d, at));
            }
            Rule::train => {
                let (t, _) = train::parse_train(statement)?;
                once(&mut self.train, t, at, "train")?;
            }
            Rule::EOI => {}
            other => unreachable!("unexpected {other:?}"),
        }
        Ok(())
    }

    fn dense(&mut self, statement: Pair<Rule>, at: Span, line: usize) -> Result<()> {
        let Some((input_size, _)) = self.inputs.clone() else {
            return Err(Error::at(both("`dense` before `input`", "`dense` 写在了 `input` 之前"), at)
                .with_label(both("start the network with `input N`", "网络应以 `input N` 开头")));
        };
        let mut inner = statement.into_inner();
        let units_pair = inner.next().expect("units");
        let units = count(&units_pair, ("the number of units", "单元数"), 1, MAX_UNITS)?;
        let act = inner.next().expect("activation");
        let activation = Activation::from_name(act.as_str())
            .ok_or_else(|| unknown(("activation", "激活函数"), act.as_str(), &Activation::NAMES, span(&act)))?;
        let fan_in = self.layers.last().map_or(input_size, |l| l.units);
        let index = self.layers.len() + 1;
        self.parameters = self.parameters.saturating_add(units.saturating_mul(fan_in + 1));
        if self.parameters > MAX_PARAMETERS {
            let message = both(
                format!(
                    "the network has {} parameters with this layer; at most {MAX_PARAMETERS} are supported",
                    self.parameters
                ),
                format!("加上这一层，网络有 {} 个参数；最多支持 {MAX_PARAMETERS} 个", self.parameters),
            );
            return Err(Error::at(message, at));
        }
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
            let twice = |given: bool| {
                given.then(|| {
                    let name = key.as_str();
                    let message = both(
                        format!("`{name}` is given twice for layer {index}"),
                        format!("第 {index} 层的 `{name}` 给出了两次"),
                    );
                    Error::at(message, span(&key))
                })
            };
            match key.as_str() {
                "W" => {
                    if let Some(e) = twice(layer.weights.is_some()) {
                        return Err(e);
                    }
                    let rows = match value.as_rule() {
                        Rule::matrix => matrix(value)?,
                        _ => vec![vector(value)?],
                    };
                    let found = (rows.len(), rows.first().map_or(0, Vec::len));
                    if rows.iter().any(|r| r.len() != found.1) {
                        let message = both(
                            format!("the rows of W{index} have different lengths"),
                            format!("W{index} 各行的长度不一致"),
                        );
                        return Err(Error::at(message, value_span));
                    }
                    if found != (units, fan_in) {
                        let message = both(
                            format!(
                                "W{index} of layer {index} (dense {units} {}) must be {units}×{fan_in}, found {}×{}",
                                activation.name(),
                                found.0,
                                found.1
                            ),
                            format!(
                                "第 {index} 层（dense {units} {}）的 W{index} 必须是 {units}×{fan_in}，实际是 {}×{}",
                                activation.name(),
                                found.0,
                                found.1
                            ),
                        );
                        return Err(Error::at(message, value_span).with_label(both(
                            format!("one row per unit ({units}), one column per input ({fan_in})"),
                            format!("每个单元一行（{units}），每个输入一列（{fan_in}）"),
                        )));
                    }
                    let flat: Vec<f64> = rows.into_iter().flatten().collect();
                    layer.weights = Some(Array2::from_shape_vec((units, fan_in), flat).expect("checked shape"));
                }
                "b" => {
                    if let Some(e) = twice(layer.bias.is_some()) {
                        return Err(e);
                    }
                    let values = match value.as_rule() {
                        Rule::vector => vector(value)?,
                        _ => {
                            let message = both(
                                format!("b{index} must be a vector like [0.1, 0.2]"),
                                format!("b{index} 必须是向量，例如 [0.1, 0.2]"),
                            );
                            return Err(Error::at(message, value_span));
                        }
                    };
                    if values.len() != units {
                        let message = both(
                            format!("b{index} of layer {index} must have {units} values, found {}", values.len()),
                            format!("第 {index} 层的 b{index} 必须有 {units} 个值，实际有 {} 个", values.len()),
                        );
                        let label = match values.first() {
                            Some(v) if values.len() == 1 => both(
                                format!("one value per unit: a shared bias is written [{v}, {v}, …]"),
                                format!("每个单元一个值：共享的偏置写作 [{v}, {v}, …]"),
                            ),
                            _ => both("one value per unit", "每个单元一个值"),
                        };
                        return Err(Error::at(message, value_span).with_label(label));
                    }
                    layer.bias = Some(Array1::from(values));
                }
                other => {
                    let message = both(format!("unknown parameter `{other}`"), format!("未知参数 `{other}`"));
                    return Err(Error::at(message, span(&key)).with_label(both(
                        "a dense layer takes W = [[…]] and b = […]",
                        "dense 层接受 W = [[…]] 和 b = […]",
                    )));
                }
            }
        }
        self.layers.push(layer);
        Ok(())
    }

    fn finish(self) -> Result<NetworkSpec> {
        let Some((inputs, _)) = self.inputs else {
            return Err(Error::new(both("the network has no `input N` line", "网络缺少 `input N` 行")));
        };
        let layers = self.layers;
        let Some(last) = layers.last() else {
            return Err(Error::new(both("the network has no `dense` layer", "网络没有 `dense` 层")));
        };
        let Some((loss, loss_at)) = self.loss else {
            let (list, list_zh) = (Loss::NAMES.join(", "), Loss::NAMES.join("、"));
            return Err(Error::new(both("the network has no `loss` line", "网络缺少 `loss` 行"))
                .with_label(both(format!("losses: {list}"), format!("可用的损失函数：{list_zh}"))));
        };
        if last.dropout.is_some() {
            return Err(Error::new(both(
                format!("dropout after the output layer (line {}) would drop predictions", last.line),
                format!("输出层（第 {} 行）之后的暂退法会丢弃预测值", last.line),
            )));
        }
        let describe_last = both(
            format!("the last layer is `dense {} {}` (line {})", last.units, last.activation.name(), last.line),
            format!("最后一层是 `dense {} {}`（第 {} 行）", last.units, last.activation.name(), last.line),
        );
        if let Some(message) = loss.mismatch(last.activation, last.units) {
            // `mismatch` says it in English; the same reason in Chinese, from the same table.
            let chinese = match loss.info().needs {
                Needs::Output(needed) => format!("{} 需要 {} 输出层", loss.name(), needed.name()),
                Needs::OneUnit | Needs::Nothing => format!("{} 需要恰好一个输出单元", loss.name()),
            };
            return Err(Error::at(both(message, chinese), loss_at).with_label(describe_last));
        }
        let init = self.init.map(|(i, _)| i).unwrap_or(if layers.iter().any(|l| l.activation == Activation::Relu) {
            (InitScheme::He, 42)
        } else {
            (InitScheme::Xavier, 42)
        });
        let data = merge_data(self.data, inputs, last.units, loss)?;
        let name = self.name.map_or_else(|| "network".to_string(), |(n, _)| n);
        let mut spec = NetworkSpec {
            name,
            inputs,
            input_dropout: self.input_dropout,
            layers,
            loss,
            data,
            init,
            train: TrainSpec::default(),
        };
        if let Some((t, train_at)) = self.train {
            let names = spec.parameter_names();
            if let Some(bad) = t.freeze.iter().find(|f| !names.contains(f)) {
                let (list, list_zh) = (names.join(", "), names.join("、"));
                let message = both(
                    format!("cannot freeze `{bad}`: no such parameter"),
                    format!("无法冻结 `{bad}`：没有这个参数"),
                );
                return Err(Error::at(message, train_at)
                    .with_label(both(format!("parameters: {list}"), format!("参数：{list_zh}"))));
            }
            spec.train = t;
        }
        Ok(spec)
    }
}

/// Pest's error in plain words, with a suggestion for a misspelt statement (`los bce`).
fn syntax_error(text: &str, error: &pest::error::Error<Rule>) -> Error {
    let words = Words { rule: &rule_word, end: ("file", "文件"), more: &|_, _| Vec::new(), foreign: &none_foreign };
    let e = plain(text, error, &words);
    let at = e.span.as_ref().map_or(0, |s| s.start);
    let word: String = text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    match closest(&word, &STATEMENTS) {
        Some(best) if !word.is_empty() && e.message.contains("a statement") => {
            e.with_label(both(format!("did you mean `{best}`?"), format!("是不是想写 `{best}`？")))
        }
        _ => e,
    }
}

/// What each rule of the network grammar stands for in a message.
fn rule_word(rule: Rule) -> Option<Named> {
    Some(match rule {
        Rule::network
        | Rule::input
        | Rule::dense
        | Rule::dropout
        | Rule::batchnorm
        | Rule::residual
        | Rule::loss
        | Rule::data
        | Rule::init
        | Rule::train => (
            "a statement (network, input, dense, dropout, batchnorm, residual, loss, data, init, train)",
            "语句（network、input、dense、dropout、batchnorm、residual、loss、data、init、train）",
        ),
        Rule::number | Rule::integer => ("a number", "数字"),
        Rule::vector | Rule::matrix => ("`[`", "`[`"),
        Rule::word | Rule::parameter | Rule::option | Rule::names | Rule::freeze => ("a name", "名称"),
        Rule::string | Rule::inner => ("a quoted name", "带引号的名称"),
        Rule::inline_data => ("`x = […] target = …`", "`x = […] target = …`"),
        Rule::file_data => ("`file \"data.csv\"`", "`file \"data.csv\"`"),
        Rule::generated => (
            "a data set (xor, moons, circles, spirals, linear, logistic, random, digits)",
            "数据集（xor、moons、circles、spirals、linear、logistic、random、digits）",
        ),
        Rule::EOI => ("the end of the file", "文件结尾"),
        Rule::file | Rule::statement | Rule::WHITESPACE | Rule::COMMENT => return None,
    })
}
