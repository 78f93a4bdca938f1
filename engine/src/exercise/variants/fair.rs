//! Numbers that make a fair exercise. A draw is kept only when
//!
//! - every value is defined (no division by zero, no log of a negative number: the judge says so);
//! - no unit sits exactly at a kink: relu, abs or an Iverson bracket at 0, a tie of max or min
//!   (where the derivative is a convention, not a calculation);
//! - no unit is saturated: σ with |z| > 4.6 (σ outside 0.01…0.99, σ′ below 0.01) or tanh with
//!   |z| > 2.65 (|tanh| above 0.99), where a gradient vanishes into rounding;
//! - every answer is one a student can write: not 0, and between 1e-6 and 1e6 in size.
//!
//! Across the class, variants differ in their numbers, and the signs of each check's answers are
//! mixed where the choices allow (`variants`).

use super::super::{Exercise, SheetSource, Subject};
use crate::error::{Phrase, both};
use crate::graph::build::Function;
use crate::graph::{Func, Op};
use crate::net::model::Pass;
use crate::net::spec::Activation;
use crate::numeric;
use crate::numeric::point::parse_at;

/// Largest |z| a σ unit may have; a tanh unit's.
pub const SIGMOID_LIMIT: f64 = 4.6;
pub const TANH_LIMIT: f64 = 2.65;

/// Why an answer is not one a student can write, if it is not.
pub fn unfair_answer(value: f64) -> Option<Phrase> {
    if !value.is_finite() {
        Some(both("an answer without a value", "答案没有值"))
    } else if value.abs() < 1e-6 {
        Some(both("an answer of 0 or below 1e-6", "答案为 0 或小于 1e-6"))
    } else if value.abs() > 1e6 {
        Some(both("an answer above 1e6", "答案大于 1e6"))
    } else {
        None
    }
}

/// Why the units of some exercise are unfair at these numbers (a kink, a tie, saturation).
pub fn unfair_units(exercises: &[Exercise], sheet: &SheetSource) -> Option<Phrase> {
    exercises.iter().find_map(|ex| match &ex.subject {
        Some(Subject::Function(lines)) => function_units(ex, lines, sheet),
        Some(Subject::Network(path)) => network_units(ex, path, sheet),
        None => None,
    })
}

fn function_units(ex: &Exercise, lines: &[super::super::Located], _sheet: &SheetSource) -> Option<Phrase> {
    let text: String = lines.iter().map(|l| format!("{}\n", l.text)).collect();
    let function = Function::parse(&text).ok()?;
    let given: Vec<_> = match &ex.at {
        Some(at) => parse_at(&function, &at.text).ok()?.iter().map(|a| (a.node, a.value)).collect(),
        None => Vec::new(),
    };
    let graph = &function.graph;
    let values = numeric::evaluate(graph, &[function.output], &given).ok()?;
    for id in graph.topological_order(&[function.output]) {
        let input = |k: usize| values.get(graph.inputs(id)[k]);
        match graph.op(id) {
            Op::Call(Func::Relu | Func::Abs, _) | Op::Step { .. } if input(0) == Some(0.0) => {
                return Some(both(
                    "a unit exactly at its kink (relu or abs at 0)",
                    "有单元恰好落在折点上（relu 或 abs 取 0）",
                ));
            }
            Op::Call(Func::Max | Func::Min, _) if input(0) == input(1) => {
                return Some(both("a tie of max or min", "max 或 min 的两个参数相等"));
            }
            Op::Call(Func::Sigmoid, _) if input(0).is_some_and(|z| z.abs() > SIGMOID_LIMIT) => {
                return Some(both(
                    format!("a saturated σ (|z| above {SIGMOID_LIMIT})"),
                    format!("σ 已饱和（|z| 大于 {SIGMOID_LIMIT}）"),
                ));
            }
            Op::Call(Func::Tanh, _) if input(0).is_some_and(|z| z.abs() > TANH_LIMIT) => {
                return Some(both(
                    format!("a saturated tanh (|z| above {TANH_LIMIT})"),
                    format!("tanh 已饱和（|z| 大于 {TANH_LIMIT}）"),
                ));
            }
            _ => {}
        }
    }
    None
}

fn network_units(ex: &Exercise, path: &super::super::Located, sheet: &SheetSource) -> Option<Phrase> {
    let (loaded, x, _) = super::super::net_at::load(ex, path, sheet).ok()?;
    let cache = loaded.network.clone().forward(&x, Pass::TrainNoDropout);
    for (l, layer) in loaded.network.layers.iter().enumerate() {
        let z = cache.pre_activation(l);
        let reason = match layer.activation {
            Activation::Relu if z.iter().any(|v| *v == 0.0) => {
                Some(both("a relu unit exactly at its kink (z = 0)", "有 relu 单元恰好落在折点上（z = 0）"))
            }
            Activation::Sigmoid if z.iter().any(|v| v.abs() > SIGMOID_LIMIT) => Some(both(
                format!("a saturated σ unit (|z| above {SIGMOID_LIMIT})"),
                format!("有 σ 单元已饱和（|z| 大于 {SIGMOID_LIMIT}）"),
            )),
            Activation::Tanh if z.iter().any(|v| v.abs() > TANH_LIMIT) => Some(both(
                format!("a saturated tanh unit (|z| above {TANH_LIMIT})"),
                format!("有 tanh 单元已饱和（|z| 大于 {TANH_LIMIT}）"),
            )),
            _ => None,
        };
        if reason.is_some() {
            return reason;
        }
    }
    None
}
