//! The printed form of a partial derivative: the smallest (by operations printed) of the form
//! the chain rule built, that form multiplied out, and over a common denominator — each with
//! the user's names put back where their definitions reappear. So `−(y·log(σ(z)) + (1 − y)·
//! log(1 − σ(z)))` gives `σ(z) − y`, `x·σ(u)·(1 − σ(u))` stays factored, and a softmax's
//! `−log p₁` gives `p₁ − 1`.

use super::refold::{Refold, powers_of};
use super::simplify::Simplifier;
use crate::graph::number::Number;
use crate::graph::{Graph, NodeId, Op};
use num_integer::Integer;

/// Which form `tidy` kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tidied {
    AsBuilt,
    Expanded,
    CommonDenominator,
    CommonFactor,
}

impl Tidied {
    /// How the steps describe the last simplification.
    pub fn describe(self) -> &'static str {
        match self {
            Tidied::AsBuilt => "as the chain rule built it",
            Tidied::Expanded => "multiplied out; like terms collected and cancelled",
            Tidied::CommonDenominator => "multiplied out and brought over a common denominator",
            Tidied::CommonFactor => "multiplied out; the factors every term shares taken out",
        }
    }
}

/// Partials larger than this (in operations) are printed as built.
const LIMIT: usize = 400;
/// Most terms multiplying out may make.
const EXPANSION_BUDGET: usize = 64;

/// The smallest form of `e`, and which it is.
pub fn tidy(graph: &mut Graph, refold: &mut Refold, e: NodeId) -> (NodeId, Tidied) {
    let built = refold.apply(graph, e);
    let Some(mut best_count) = count_operations(graph, built, LIMIT) else { return (built, Tidied::AsBuilt) };
    let mut best = (built, Tidied::AsBuilt);
    let mut budget = EXPANSION_BUDGET;
    let mut candidates = Vec::new();
    if let Some(factored) = factor_common(graph, built) {
        candidates.push((factored, Tidied::AsBuilt));
    }
    if let Some(expanded) = Simplifier::new(graph).expand(e, &mut budget) {
        let expanded = refold.apply(graph, expanded);
        candidates.push((expanded, Tidied::Expanded));
        if let Some(factored) = factor_common(graph, expanded) {
            candidates.push((factored, Tidied::CommonFactor));
        }
        if let Some(together) = Simplifier::new(graph).together(expanded) {
            candidates.push((together, Tidied::CommonDenominator));
        }
    }
    for (candidate, how) in candidates {
        let candidate = refold.apply(graph, candidate);
        if let Some(count) = count_operations(graph, candidate, LIMIT)
            && count < best_count
        {
            (best, best_count) = ((candidate, how), count);
        }
    }
    best
}

/// A sum with what every term shares taken out: `2/3·r₁·x₁ + 2/3·r₂·x₂` → `2/3·(r₁·x₁ + r₂·x₂)`,
/// `e·u + e·v` → `e·(u + v)`. `None` when the terms share nothing.
pub fn factor_common(graph: &mut Graph, e: NodeId) -> Option<NodeId> {
    let Op::Add(terms) = graph.op(e).clone() else { return None };
    // A term that is a number times a sum contributes that sum's terms, scaled.
    let mut flat = Vec::with_capacity(terms.len());
    for &t in terms.iter() {
        match graph.op(t).clone() {
            Op::Mul(xs)
                if xs.len() == 2 && graph.as_const(xs[0]).is_some() && matches!(graph.op(xs[1]), Op::Add(_)) =>
            {
                let c = graph.constant(graph.as_const(xs[0]).expect("a coefficient"));
                for &inner in graph.inputs(xs[1]).to_vec().iter() {
                    flat.push(Simplifier::new(graph).product(vec![c, inner]));
                }
            }
            _ => flat.push(t),
        }
    }
    let terms = flat;
    let split: Vec<(Number, Vec<(NodeId, Number)>)> = terms
        .iter()
        .map(|&t| match graph.op(t) {
            Op::Const(c) => (*c, Vec::new()),
            Op::Mul(xs) => {
                let (c, rest) = graph.split_coefficient(xs);
                (c, powers_of(graph, &rest))
            }
            _ => (Number::ONE, powers_of(graph, &[t])),
        })
        .collect();
    // The coefficient every term's is a whole multiple of (its sign the first term's when all agree).
    let ratios: Option<Vec<num_rational::Ratio<i64>>> = split.iter().map(|(c, _)| c.as_ratio()).collect();
    let mut common = Number::ONE;
    if let Some(ratios) = ratios {
        let numerator = ratios.iter().fold(0i64, |g, r| g.gcd(r.numer()));
        let denominator = ratios.iter().fold(1i64, |l, r| l.lcm(r.denom()));
        if numerator != 0 {
            let sign = if ratios.iter().all(|r| *r.numer() < 0) { -1 } else { 1 };
            common = Number::ratio(sign * numerator, denominator);
        }
    }
    // Bases in every term, to the smallest power (of one sign) they have.
    let mut shared: Vec<(NodeId, Number)> = Vec::new();
    for (base, exponent) in &split[0].1 {
        let mut smallest = *exponent;
        let everywhere = split[1..].iter().all(|(_, powers)| {
            powers.iter().find(|(b, _)| b == base).is_some_and(|(_, e)| {
                let same_sign = e.is_negative() == exponent.is_negative();
                if same_sign && e.to_f64().abs() < smallest.to_f64().abs() {
                    smallest = *e;
                }
                same_sign && e.as_ratio().is_some()
            })
        });
        if everywhere && exponent.as_ratio().is_some() {
            shared.push((*base, smallest));
        }
    }
    if common.is_one() && shared.is_empty() {
        return None;
    }
    let mut s = Simplifier::new(graph);
    let mut inner = Vec::with_capacity(split.len());
    for (c, powers) in split {
        let mut factors = vec![s.constant(c.times(reciprocal(common)))];
        for (base, e) in powers {
            let left = match shared.iter().find(|(b, _)| *b == base) {
                Some((_, k)) => e.plus(k.negated()),
                None => e,
            };
            let left = s.constant(left);
            factors.push(s.power(base, left));
        }
        inner.push(s.product(factors));
    }
    let sum = s.sum(inner);
    let mut outer = vec![s.constant(common)];
    for (base, k) in shared {
        let k = s.constant(k);
        outer.push(s.power(base, k));
    }
    outer.push(sum);
    Some(s.product(outer))
}

fn reciprocal(n: Number) -> Number {
    match n.as_ratio() {
        Some(r) if *r.numer() != 0 => Number::ratio(*r.denom(), *r.numer()),
        _ => Number::ONE,
    }
}

/// Operations in the printed form of `e` (named intermediates count as names), counted the
/// way SymPy's `count_ops` does: each `+`, `−`, `·`, `/`, `^`, function and unary minus once.
/// `None` when the count exceeds `limit`.
pub fn count_operations(graph: &Graph, e: NodeId, limit: usize) -> Option<usize> {
    let mut total = 0usize;
    let mut stack = vec![e];
    while let Some(id) = stack.pop() {
        if graph.is_named(id) && id != e {
            continue;
        }
        let inputs = graph.inputs(id);
        total += match graph.op(id) {
            Op::Const(c) => {
                usize::from(c.is_negative()) + usize::from(c.as_integer().is_none() && c.as_ratio().is_some())
            }
            Op::Var(_) | Op::Let(..) => 0,
            Op::Add(xs) | Op::Mul(xs) => xs.len() - 1,
            Op::Pow(_) | Op::Call(..) | Op::Step { .. } => 1,
        };
        if total > limit {
            return None;
        }
        for &c in inputs {
            // A leading coefficient of ±1 is a sign, not a product.
            if let (Op::Mul(_), Some(k)) = (graph.op(id), graph.as_const(c))
                && k == Number::MINUS_ONE
            {
                continue;
            }
            // A sum or product too long on its own ends the count here, before the walk goes
            // down its siblings (a network's partials all hold the output's long sum).
            if let Op::Add(xs) | Op::Mul(xs) = graph.op(c)
                && total + xs.len() - 1 > limit
            {
                return None;
            }
            stack.push(c);
        }
    }
    Some(total)
}
