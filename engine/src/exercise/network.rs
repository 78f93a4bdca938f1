//! Network exercises: a network file, and checks of what a hand calculation writes — the loss
//! `E`, forward values `z2[1]` and `a1[0]`, error terms `δ1[0]`, gradients `dE/dW2[0][1]` and
//! `dE/db1[0]`, and one update `new W2[0][0]` — for the first sample of the first batch.
//!
//! Right values come from the matrix model. For diagnoses, a small network is unrolled into
//! the expression language (one statement per unit, as `net grad` cross-checks it) and judged
//! with the same catalogue of mistakes as a function exercise; a few mistakes only networks
//! have are added (a transposed weight index, δ = p instead of p − y, the batch mean's 1/m).

use super::catalogue::Candidate;
use super::mistakes::{Mistake, Problem, Quantity};
use super::net_target::{Computed, NetTarget, expected_value, hint, parse_target, pick};
use super::reading::{Read, ReadAnswer, read_answer};
use super::verdict::{Earlier, decide};
use super::{DEFAULT_DIGITS, Exercise, Located, SheetSource, Verdict};
use crate::error::{Error, Phrase, Result, both};
use crate::graph::build::Function;
use crate::graph::{Graph, NodeId};
use crate::net::check::{can_unroll, unrolled_program};
use crate::net::model::{Network, Pass, Tensor};
use crate::net::spec::{Activation, Loss, Optimizer};
use crate::net::train::{OptimizerState, loss_and_gradients, update};
use crate::print::Printer;
use crate::said::Said;
use std::collections::HashMap;

const TARGETS: &str = "E, z2[0], a1[0], δ2[0], δ2[0] of sample 2, dE/dW2[0][1], dE/db1[0], new W1[0][1]";

pub fn judge(ex: &Exercise, path: &Located, sheet: &SheetSource, hints: bool) -> Result<Vec<Verdict>> {
    let (mut loaded, x, t) = super::net_at::load(ex, path, sheet)?;
    let spec = loaded.spec.train.clone();
    let (loss, grads, deltas, _) = loss_and_gradients(&mut loaded.network, &x, &t, spec.l2, None);
    let cache = loaded.network.clone().forward(&x, Pass::TrainNoDropout);
    let layers = loaded.network.layers.len();
    let mut stepped = loaded.network.clone();
    let mut g = grads.clone();
    update(&mut stepped, &mut g, &mut OptimizerState::new(&loaded.network), &spec);
    let computed = Computed {
        loss,
        pre: (0..layers).map(|l| cache.pre_activation(l).clone()).collect(),
        act: (0..layers).map(|l| cache.activation(l).clone()).collect(),
        deltas,
        grads,
        stepped: stepped.params,
        samples: x.nrows(),
    };
    let network = &loaded.network;
    let names = network.names.clone();

    // The network unrolled, for the catalogue of mistakes (small networks only).
    let unrolled = can_unroll(network, x.nrows())
        .then(|| Function::parse(&unrolled_program(network, &x, &t, spec.l2)).ok())
        .flatten();
    let display = unrolled.as_ref().map(display_names);
    let label = |node: NodeId| -> String {
        let (Some(f), Some(d)) = (&unrolled, &display) else { return String::new() };
        if let Some(name) = d.get(&node) {
            return name.clone();
        }
        if let Some(named) = f.graph.let_of(node).and_then(|l| d.get(&l)) {
            return named.clone();
        }
        Printer::with_names(&f.graph, d, None)
            .text_within(node, 60)
            .unwrap_or_else(|| "an unnamed part of the network".into())
    };
    let problem = unrolled.as_ref().map(|f| Problem::new(&f.graph, f.output, parameters(f, network), &label));
    let digits = ex.digits.unwrap_or(DEFAULT_DIGITS);

    let mut verdicts = Vec::new();
    let mut earlier: Vec<Earlier> = Vec::new();
    for check in &ex.checks {
        let mut v = Verdict::new(check);
        let fail = |message: Phrase| {
            let (list, list_zh) = (names.join(", "), names.join("、"));
            sheet.relocate(Error::at(message, 0..check.target.text.len()), &check.target).with_label(both(
                format!("targets: {TARGETS}; parameters: {list}"),
                format!("可写的目标：{}；参数：{list_zh}", TARGETS.replace(", ", "、")),
            ))
        };
        let target = match parse_target(&check.target.text, network) {
            Ok(t) => t,
            Err(message) => {
                verdicts.push(Verdict::bad_input(check, fail(message)));
                continue;
            }
        };
        let expected = match expected_value(&target, &computed, network) {
            Ok(value) => value,
            Err(message) => {
                verdicts.push(Verdict::bad_input(check, fail(message)));
                continue;
            }
        };
        if hints {
            v.hint = Some(hint(&target, network, &names, spec.learning_rate));
        }
        if check.answer.text.trim().is_empty() {
            super::verdict::unanswered(&mut v, expected);
            verdicts.push(v);
            continue;
        }
        let answer = match read_answer(&check.answer.text, &Graph::new(), &HashMap::new()) {
            Ok(ReadAnswer { read: Read::Number(answer), notes }) => {
                v.notes = notes;
                answer
            }
            Ok(ReadAnswer { read: Read::Expression(..), .. }) => {
                let e = Error::at(
                    both("a network answer is a number", "网络题的答案必须是一个数"),
                    0..check.answer.text.len(),
                );
                verdicts.push(Verdict::bad_input(check, sheet.relocate(e, &check.answer)));
                continue;
            }
            Err(e) => {
                verdicts.push(Verdict::bad_input(check, sheet.relocate(e, &check.answer)));
                continue;
            }
        };
        let quantity = unrolled.as_ref().and_then(|f| quantity(f, &target, computed.samples, &spec, &names));
        let extra = network_candidates(&target, &computed, network, spec.optimizer, problem.is_none());
        decide(&mut v, problem.as_ref(), quantity, expected, &answer, digits, &earlier, extra);
        if let Some(quantity) = quantity {
            earlier.extend(Earlier::of(&v, quantity, &answer));
        }
        verdicts.push(v);
    }
    Ok(verdicts)
}

/// The target as a quantity of the unrolled graph.
fn quantity(
    f: &Function,
    target: &NetTarget,
    samples: usize,
    spec: &crate::net::spec::TrainSpec,
    names: &[String],
) -> Option<Quantity> {
    let var = |parameter: &str, index: &[usize]| {
        let suffix: Vec<String> = index.iter().map(usize::to_string).collect();
        f.graph.find_variable(&format!("{parameter}_{}", suffix.join("_")))
    };
    Some(match target {
        NetTarget::Loss => Quantity::Value(f.output),
        NetTarget::PreActivation { layer, unit, sample } => {
            Quantity::Value(f.lookup(&format!("z{layer}_{unit}_s{sample}"))?)
        }
        NetTarget::Activation { layer, unit, sample } => {
            Quantity::Value(f.lookup(&format!("a{layer}_{unit}_s{sample}"))?)
        }
        NetTarget::Delta { layer, unit, sample } => {
            Quantity::Adjoint { node: f.lookup(&format!("z{layer}_{unit}_s{sample}"))?, scale: samples as f64 }
        }
        NetTarget::Gradient { parameter, index } => {
            Quantity::Adjoint { node: var(&names[*parameter], index)?, scale: 1.0 }
        }
        NetTarget::Updated { parameter, index } if spec.optimizer == Optimizer::Sgd && spec.clip.is_none() => {
            Quantity::Update { node: var(&names[*parameter], index)?, lr: spec.learning_rate }
        }
        NetTarget::Updated { .. } => return None,
    })
}

/// Mistakes only networks have, with their values.
fn network_candidates(
    target: &NetTarget,
    c: &Computed,
    network: &Network,
    optimizer: Optimizer,
    without_graph: bool,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut push = |name: Said, explanation: Said, value: Option<f64>| {
        if let Some(value) = value {
            out.push(Candidate { mistake: Mistake::Sign, priority: 1, name, explanation, value });
        }
    };
    let m = c.samples as f64;
    let expected = expected_value(target, c, network).ok();
    if without_graph {
        push(Said::SignFlipName, Said::SignFlipped, expected.map(|v| -v));
    }
    match target {
        NetTarget::Gradient { parameter, index } if index.len() == 2 && index[0] != index[1] => {
            let swapped: Vec<usize> = index.iter().rev().copied().collect();
            push(Said::TransposedName, Said::TransposedNet, pick(&c.grads[*parameter], &swapped));
        }
        NetTarget::Updated { parameter, index }
            if optimizer == Optimizer::Sgd && index.len() == 2 && index[0] != index[1] =>
        {
            let swapped: Vec<usize> = index.iter().rev().copied().collect();
            push(Said::TransposedName, Said::TransposedNet, pick(&c.stepped[*parameter], &swapped));
        }
        NetTarget::Delta { layer, unit, sample } if *layer == network.layers.len() => {
            let last = &network.layers[layer - 1];
            if last.activation == Activation::Softmax && network.loss == Loss::CrossEntropy {
                push(
                    Said::TargetNotSubtractedName,
                    Said::SoftmaxTargetNotSubtracted,
                    c.act[layer - 1].get((*sample, *unit)).copied(),
                );
            }
        }
        _ => {}
    }
    if c.samples > 1 && matches!(target, NetTarget::Gradient { .. } | NetTarget::Loss) {
        push(
            Said::DroppedConstantName { c: "1/m".into() },
            Said::MeanMissing { samples: c.samples },
            expected.map(|v| v * m),
        );
    }
    if without_graph && matches!(target, NetTarget::Updated { .. }) && optimizer == Optimizer::Sgd {
        // Without the unrolled graph: the two update mistakes from the model's numbers.
        if let NetTarget::Updated { parameter, index } = target {
            let old = pick(&network.params[*parameter], index);
            let grad = pick(&c.grads[*parameter], index);
            if let (Some(old), Some(grad)) = (old, grad) {
                push(Said::NoLearningRateName, Said::NoLearningRateNet, Some(old - grad));
            }
        }
    }
    out
}

/// The unrolled program's variables (one per parameter value) at the network's values.
fn parameters(f: &Function, network: &Network) -> Vec<(NodeId, f64)> {
    let mut given = Vec::new();
    for (name, p) in network.names.iter().zip(&network.params) {
        let columns = match p {
            Tensor::Matrix(m) => Some(m.ncols()),
            Tensor::Vector(_) => None,
        };
        for (k, value) in p.values().iter().enumerate() {
            let var = match columns {
                Some(c) => format!("{name}_{}_{}", k / c, k % c),
                None => format!("{name}_{k}"),
            };
            if let Some(node) = f.graph.find_variable(&var) {
                given.push((node, *value));
            }
        }
    }
    given
}

/// Student names for the unrolled program's nodes: `W2[0][1]`, `b1[0]`, `z2[0]`, `a1[1]`.
fn display_names(f: &Function) -> HashMap<NodeId, String> {
    let mut names = HashMap::new();
    for (name, id) in f.variables.iter().chain(&f.intermediates) {
        let parts: Vec<&str> = name.split('_').collect();
        let shown = match parts.as_slice() {
            [stem, rest @ ..] if !rest.is_empty() => {
                let (indices, sample) = match rest.last() {
                    Some(s) if s.starts_with('s') => (&rest[..rest.len() - 1], s[1..].parse::<usize>().ok()),
                    _ => (rest, None),
                };
                let mut text = stem.to_string();
                for i in indices {
                    text.push_str(&format!("[{i}]"));
                }
                match sample {
                    Some(s) if s > 0 => format!("{text} of sample {}", s + 1),
                    _ => text,
                }
            }
            _ => name.clone(),
        };
        names.insert(*id, shown);
    }
    names
}
