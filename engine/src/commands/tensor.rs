//! A network's tensors as each format shows them: small ones in full (a list, a `bmatrix`, a
//! JSON array), large ones by shape and norm, so that output stays bounded by what was written.

use crate::format::{format_number, latex_number};
use crate::net::model::Tensor;
use serde_json::{Value, json};

/// Tensors with more values than this are summarised (shape and norm) rather than listed: in
/// text above 64 values, in JSON above 100,000, so output stays bounded by what was written.
pub const TEXT_VALUES: usize = 64;
const JSON_VALUES: usize = 100_000;

/// A tensor as JSON: its values, or for a large one its shape and norm.
pub fn tensor_json(t: &Tensor) -> Value {
    let values = t.values();
    if values.len() <= JSON_VALUES {
        return match t {
            Tensor::Matrix(m) => json!(m.rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>()),
            Tensor::Vector(v) => json!(v.to_vec()),
        };
    }
    let shape = match t {
        Tensor::Matrix(m) => vec![m.nrows(), m.ncols()],
        Tensor::Vector(v) => vec![v.len()],
    };
    json!({"shape": shape, "norm": norm(values), "values": Value::Null})
}

pub fn norm(values: &[f64]) -> f64 {
    values.iter().map(|v| v * v).sum::<f64>().sqrt()
}

/// `W1` → `W^{1}`: parameters carry their layer as a superscript, as in the δ-equations.
pub fn layer_name(name: &str) -> String {
    match name.find(|c: char| c.is_ascii_digit()) {
        Some(i) if i > 0 => format!("{}^{{{}}}", &name[..i], &name[i..]),
        _ => name.to_string(),
    }
}

pub fn tensor_latex(t: &Tensor) -> String {
    let number = |v: &f64| latex_number(&format_number(*v));
    let values = t.values();
    match t {
        _ if values.len() > TEXT_VALUES => {
            let shape = match t {
                Tensor::Matrix(m) => format!("{} \\times {}", m.nrows(), m.ncols()),
                Tensor::Vector(v) => v.len().to_string(),
            };
            format!("\\text{{a }} {shape} \\text{{ array of norm }} {}", number(&norm(values)))
        }
        Tensor::Vector(v) => {
            format!("\\begin{{bmatrix}} {} \\end{{bmatrix}}", v.iter().map(number).collect::<Vec<_>>().join(" \\\\ "))
        }
        Tensor::Matrix(m) => {
            let rows: Vec<String> =
                m.rows().into_iter().map(|r| r.iter().map(number).collect::<Vec<_>>().join(" & ")).collect();
            format!("\\begin{{bmatrix}} {} \\end{{bmatrix}}", rows.join(" \\\\ "))
        }
    }
}

pub fn tensor_text(t: &Tensor) -> String {
    let row = |r: &[f64]| format!("[{}]", r.iter().map(|v| format_number(*v)).collect::<Vec<_>>().join(", "));
    match t {
        Tensor::Vector(v) if v.len() > TEXT_VALUES => {
            format!("vector of {}, norm {}", v.len(), format_number(norm(t.values())))
        }
        Tensor::Vector(v) => row(v.as_slice().expect("standard layout")),
        Tensor::Matrix(m) if m.len() > TEXT_VALUES => {
            format!("{}×{} matrix, norm {}", m.nrows(), m.ncols(), format_number(norm(t.values())))
        }
        Tensor::Matrix(m) => {
            format!("[{}]", m.rows().into_iter().map(|r| row(&r.to_vec())).collect::<Vec<_>>().join(", "))
        }
    }
}
