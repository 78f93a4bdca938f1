//! The printed form of a partial derivative: the smallest (by operations printed) of the form
//! the chain rule built, that form multiplied out, and over a common denominator — each with
//! the user's names put back where their definitions reappear. So `−(y·log(σ(z)) + (1 − y)·
//! log(1 − σ(z)))` gives `σ(z) − y`, `x·σ(u)·(1 − σ(u))` stays factored, and a softmax's
//! `−log p₁` gives `p₁ − 1`.

use super::refold::Refold;
use super::simplify::{Simplifier, count_operations};
use crate::graph::{Graph, NodeId};

/// Which form `tidy` kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tidied {
    AsBuilt,
    Expanded,
    CommonDenominator,
}

impl Tidied {
    /// How the steps describe the last simplification.
    pub fn describe(self) -> &'static str {
        match self {
            Tidied::AsBuilt => "as the chain rule built it",
            Tidied::Expanded => "multiplied out; like terms collected and cancelled",
            Tidied::CommonDenominator => "multiplied out and brought over a common denominator",
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
    let Some(expanded) = Simplifier::new(graph).expand(e, &mut budget) else { return best };
    let mut candidates = vec![(expanded, Tidied::Expanded)];
    if let Some(together) = Simplifier::new(graph).together(expanded) {
        candidates.push((together, Tidied::CommonDenominator));
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
