//! A network exercise's network: its file read through the host, with the sheet's `at` line
//! applied, so one network file serves many sets of numbers (a class's variants):
//!
//! ```text
//! network "two-layer.net"
//! at W1 = [[0.15, 0.2], [0.25, 0.3]], W2[0][1] = 0.45, b2 = [0.6, 0.6], x = [0.05, 0.1], target = [0.01, 0.99]
//! ```
//!
//! A parameter is given whole or by one entry; `x` and `target` make the data one sample (the
//! other of the two taken from the file's first sample).

use super::variants::choice::{Choice, parse_items, split_top_level};
use super::{Exercise, Located, SheetSource};
use crate::error::{Error, Phrase, Result, both};
use crate::graph::Graph;
use crate::graph::build::parse_into;
use crate::net::load::{Loaded, NetRequest, first_batch, load_network};
use crate::net::model::Tensor;
use crate::numeric;
use ndarray::Array2;
use std::collections::HashMap;

/// The shape of what an `at` line may set in a network exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Matrix(usize, usize),
    Vector(usize),
}

/// The shapes of a network's parameters and of `x` and `target`, by name.
pub fn shapes(path: &Located, sheet: &SheetSource) -> Result<HashMap<String, Shape>> {
    let (loaded, x, t) = read(path, sheet)?;
    let mut out: HashMap<String, Shape> = loaded
        .network
        .names
        .iter()
        .zip(&loaded.network.params)
        .map(|(n, p)| {
            let shape = match p {
                Tensor::Matrix(m) => Shape::Matrix(m.nrows(), m.ncols()),
                Tensor::Vector(v) => Shape::Vector(v.len()),
            };
            (n.clone(), shape)
        })
        .collect();
    out.insert("x".into(), Shape::Vector(x.ncols()));
    out.insert("target".into(), Shape::Vector(t.ncols()));
    Ok(out)
}

/// The exercise's network with its `at` line applied, and its first batch (inputs, targets).
pub fn load(ex: &Exercise, path: &Located, sheet: &SheetSource) -> Result<(Loaded, Array2<f64>, Array2<f64>)> {
    let (mut loaded, mut x, mut t) = read(path, sheet)?;
    if let Some(at) = &ex.at {
        apply(&mut loaded, &mut x, &mut t, &at.text).map_err(|e| sheet.relocate(e, at))?;
    }
    Ok((loaded, x, t))
}

/// The network file as written, and its first batch.
fn read(path: &Located, sheet: &SheetSource) -> Result<(Loaded, Array2<f64>, Array2<f64>)> {
    let file = crate::net::data::join_path(sheet.base, &path.text);
    let bytes = sheet.host.read(&file).map_err(|e| {
        let name = &path.text;
        let message = both(format!("cannot read network `{name}`: {e}"), format!("无法读取网络 `{name}`：{e}"));
        sheet.relocate(Error::at(message, 0..path.span.len()), path)
    })?;
    let text = crate::syntax::decode(bytes, &file)?;
    let base = file.rsplit_once('/').map_or(String::new(), |(folder, _)| folder.to_string());
    let request = NetRequest { text, source_name: file.clone(), base };
    let loaded = load_network(&request, sheet.host)?;
    if loaded.data.is_none() {
        let message = both("this network has no `data` line", "这个网络缺少 `data` 行");
        return Err(sheet.relocate(Error::at(message, 0..path.span.len()), path));
    }
    let (x, t) = first_batch(&loaded)?;
    Ok((loaded, x, t))
}

/// Applies an `at` line's values; errors point into its text.
fn apply(loaded: &mut Loaded, x: &mut Array2<f64>, t: &mut Array2<f64>, text: &str) -> Result<()> {
    let mut sample: (Option<Vec<f64>>, Option<Vec<f64>>) = (None, None);
    for item in parse_items(text)? {
        let Choice::Fixed(value) = &item.choice else {
            return Err(Error::at(
                both(
                    "a choice of values is for `backprop exercise variants`",
                    "可选取值只用于 `backprop exercise variants`",
                ),
                item.span,
            )
            .with_label(both("a sheet a student fills in has numbers", "学生填写的练习单里要写具体的数")));
        };
        let value_at = item.span.end - value.len()..item.span.end;
        let read = read_value(value).map_err(|m| Error::at(m, value_at.clone()))?;
        let (name, index) = match item.name.split_once('[') {
            Some((n, rest)) => (n.trim(), Some(format!("[{rest}"))),
            None => (item.name.trim(), None),
        };
        let wrong_shape = |what: Phrase| Error::at(what, value_at.clone());
        match name {
            "x" | "target" => {
                let (width, slot) = if name == "x" { (x.ncols(), &mut sample.0) } else { (t.ncols(), &mut sample.1) };
                match read {
                    Value::Vector(v) if v.len() == width => *slot = Some(v),
                    Value::Number(n) if width == 1 => *slot = Some(vec![n]),
                    _ => {
                        return Err(wrong_shape(both(
                            format!("`{name}` has {width} value{}", plural(width)),
                            format!("`{name}` 有 {width} 个值"),
                        )));
                    }
                }
            }
            _ => {
                let network = &mut loaded.network;
                let Some(p) = network.names.iter().position(|n| n == name) else {
                    let (list, list_zh) = (network.names.join(", "), network.names.join("、"));
                    return Err(Error::at(
                        both(
                            format!("`{name}` is not a parameter of this network"),
                            format!("`{name}` 不是这个网络的参数"),
                        ),
                        item.span,
                    )
                    .with_label(both(
                        format!("parameters: {list}; data: x, target"),
                        format!("参数：{list_zh}；数据：x、target"),
                    )));
                };
                let tensor = &mut network.params[p];
                set(tensor, index.as_deref(), read).map_err(|m| {
                    let name = &item.name;
                    wrong_shape(both(format!("`{name}`: {}", m.en), format!("`{name}`：{}", m.chinese())))
                })?;
            }
        }
    }
    if sample.0.is_some() || sample.1.is_some() {
        let row = |given: Option<Vec<f64>>, m: &Array2<f64>| given.unwrap_or_else(|| m.row(0).to_vec());
        let (xs, ts) = (row(sample.0, x), row(sample.1, t));
        *x = Array2::from_shape_vec((1, xs.len()), xs).expect("one row");
        *t = Array2::from_shape_vec((1, ts.len()), ts).expect("one row");
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A number, a vector or a matrix as an `at` line writes it.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Number(f64),
    Vector(Vec<f64>),
    Matrix(Vec<Vec<f64>>),
}

fn read_value(text: &str) -> std::result::Result<Value, Phrase> {
    let t = text.trim();
    let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else {
        return number(t).map(Value::Number);
    };
    let parts: Vec<&str> = split_top_level(inner).into_iter().map(|(_, p)| p.trim()).collect();
    if parts.iter().all(|p| p.starts_with('[')) {
        let rows = parts
            .iter()
            .map(|p| match read_value(p)? {
                Value::Vector(v) => Ok(v),
                _ => Err(both("a matrix is written [[a, b], [c, d]]", "矩阵要写成 [[a, b], [c, d]]")),
            })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        return Ok(Value::Matrix(rows));
    }
    parts.iter().map(|p| number(p)).collect::<std::result::Result<Vec<_>, _>>().map(Value::Vector)
}

/// A constant: a decimal or a constant expression (`1/3`).
fn number(text: &str) -> std::result::Result<f64, Phrase> {
    let mut graph = Graph::new();
    let node = parse_into(&mut graph, &HashMap::new(), text).map_err(|e| e.phrase())?;
    if !graph.variable_names().is_empty() {
        return Err(both(format!("`{text}` is not a number"), format!("`{text}` 不是数字")));
    }
    let v = numeric::evaluate(&graph, &[node], &[])
        .map_err(|e| both(format!("`{text}` {}", e.reason.en), format!("`{text}` {}", e.reason.chinese())))?[node];
    if v.is_finite() { Ok(v) } else { Err(both(format!("`{text}` is too large"), format!("`{text}` 太大"))) }
}

/// Sets a whole tensor or one entry (`[0][1]`).
fn set(tensor: &mut Tensor, index: Option<&str>, value: Value) -> std::result::Result<(), Phrase> {
    let (shape, shape_zh) = match &*tensor {
        Tensor::Matrix(m) => (format!("{}×{}", m.nrows(), m.ncols()), format!("一个 {}×{} 矩阵", m.nrows(), m.ncols())),
        Tensor::Vector(v) => (format!("{} values", v.len()), format!("一个含 {} 个值的向量", v.len())),
    };
    match (index, value, tensor) {
        (Some(index), Value::Number(n), tensor) => {
            let at: Vec<usize> = index
                .trim_matches(|c| c == '[' || c == ']')
                .split("][")
                .map(|i| {
                    i.trim()
                        .parse::<usize>()
                        .map_err(|_| both(format!("bad index `{index}`"), format!("下标 `{index}` 有误")))
                })
                .collect::<std::result::Result<_, _>>()?;
            let slot = match (tensor, at.as_slice()) {
                (Tensor::Matrix(m), [r, c]) => m.get_mut((*r, *c)),
                (Tensor::Vector(v), [k]) => v.get_mut(*k),
                _ => None,
            };
            *slot.ok_or_else(|| {
                both(format!("no entry {index} (it is {shape})"), format!("没有 {index} 这一项（它是{shape_zh}）"))
            })? = n;
        }
        (None, Value::Matrix(rows), Tensor::Matrix(m))
            if rows.len() == m.nrows() && rows.iter().all(|r| r.len() == m.ncols()) =>
        {
            for (i, row) in rows.iter().enumerate() {
                for (j, v) in row.iter().enumerate() {
                    m[(i, j)] = *v;
                }
            }
        }
        (None, Value::Vector(values), Tensor::Vector(v)) if values.len() == v.len() => {
            v.iter_mut().zip(values).for_each(|(slot, x)| *slot = x);
        }
        _ => {
            return Err(both(
                format!("the value does not fit: it is {shape}"),
                format!("这个值的形状不符：应为{shape_zh}"),
            ));
        }
    }
    Ok(())
}
