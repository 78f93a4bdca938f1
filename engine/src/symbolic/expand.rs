//! Multiplying out and bringing over a common denominator: the forms `tidy` compares.

use super::simplify::Simplifier;
use crate::graph::NodeId;
use crate::graph::Op;
use crate::graph::number::Number;

impl Simplifier<'_> {
    /// Multiplies out sums inside a product, while the number of terms stays within `budget`.
    /// Powers are collected before each distribution, so `(1 − σ)⁻¹·(1 − σ)` cancels first.
    pub fn expand(&mut self, e: NodeId, budget: &mut usize) -> Option<NodeId> {
        match self.graph.op(e).clone() {
            Op::Add(terms) => {
                let mut out = Vec::with_capacity(terms.len());
                for t in terms.iter() {
                    out.push(self.expand(*t, budget)?);
                }
                Some(self.sum(out))
            }
            Op::Mul(factors) => {
                let position = factors.iter().position(|&f| self.is_expandable_sum(f));
                let Some(i) = position else { return Some(e) };
                // Give up early when multiplying out would make more terms than the budget allows.
                if self.expanded_terms(&factors) > *budget {
                    return None;
                }
                let (sum_terms, rest) = self.distribute_parts(&factors, i);
                let mut out = Vec::with_capacity(sum_terms.len());
                for t in sum_terms {
                    *budget = budget.checked_sub(1)?;
                    let mut term_factors = rest.clone();
                    term_factors.push(t);
                    let product = self.product(term_factors);
                    out.push(self.expand(product, budget)?);
                }
                Some(self.sum(out))
            }
            Op::Pow([base, exponent]) if self.is_expandable_sum(e) => {
                let k = self.graph.as_const(exponent).and_then(Number::as_integer).unwrap_or(1);
                let copies = vec![base; k as usize];
                let product = self.graph.intern(Op::Mul(copies.into()));
                self.expand(product, budget)
            }
            _ => Some(e),
        }
    }

    /// How many terms multiplying out these factors' sums gives, before any cancel.
    fn expanded_terms(&self, factors: &[NodeId]) -> usize {
        let mut terms = 1usize;
        for &f in factors {
            let (base, k) = match self.graph.op(f) {
                Op::Pow([b, e]) => (*b, self.graph.as_const(*e).and_then(Number::as_integer).unwrap_or(1)),
                _ => (f, 1),
            };
            if let (Op::Add(xs), true) = (self.graph.op(base), self.is_expandable_sum(f)) {
                terms = terms.saturating_mul(xs.len().saturating_pow(k as u32));
            }
        }
        terms
    }

    /// A sum, or a sum to a small positive integer power: what `expand` multiplies out.
    fn is_expandable_sum(&self, f: NodeId) -> bool {
        match self.graph.op(f) {
            Op::Add(_) => true,
            Op::Pow([b, e]) => {
                matches!(self.graph.op(*b), Op::Add(_))
                    && self.graph.as_const(*e).and_then(Number::as_integer).is_some_and(|k| (2..=4).contains(&k))
            }
            _ => false,
        }
    }

    /// For factor `i` (a sum, or a sum to a power) of a product: its terms, and the other
    /// factors (with the remaining power of the sum, if any).
    fn distribute_parts(&mut self, factors: &[NodeId], i: usize) -> (Vec<NodeId>, Vec<NodeId>) {
        let mut rest: Vec<NodeId> = factors.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, &f)| f).collect();
        let sum = match self.graph.op(factors[i]).clone() {
            Op::Pow([b, e]) => {
                let k = self.graph.as_const(e).and_then(Number::as_integer).unwrap_or(1);
                let remaining = self.graph.int(k - 1);
                rest.push(self.power(b, remaining));
                b
            }
            _ => factors[i],
        };
        let terms = self.graph.inputs(sum).to_vec();
        (terms, rest)
    }

    /// A sum of fractions over one denominator: Σ nᵢ/dᵢ → (Σ nᵢ·D/dᵢ)/D, numerator expanded.
    pub fn together(&mut self, e: NodeId) -> Option<NodeId> {
        let Op::Add(terms) = self.graph.op(e).clone() else { return None };
        // D: every divisor base at its largest power.
        let mut denominator: Vec<(NodeId, Number)> = Vec::new();
        for &t in terms.iter() {
            let factors = match self.graph.op(t) {
                Op::Mul(xs) => xs.to_vec(),
                _ => vec![t],
            };
            for f in factors {
                if let Op::Pow([b, k]) = self.graph.op(f) {
                    let Some(k) = self.graph.as_const(*k).filter(|k| k.is_negative()) else { continue };
                    let k = k.negated();
                    match denominator.iter_mut().find(|(base, _)| base == b) {
                        Some((_, have)) if have.to_f64() < k.to_f64() => *have = k,
                        Some(_) => {}
                        None => denominator.push((*b, k)),
                    }
                }
            }
        }
        if denominator.is_empty() {
            return None;
        }
        let d_factors: Vec<NodeId> = denominator
            .iter()
            .map(|&(b, k)| {
                let k = self.graph.constant(k);
                self.power(b, k)
            })
            .collect();
        let mut numerator_terms = Vec::with_capacity(terms.len());
        let mut budget = 64;
        for &t in terms.iter() {
            let mut factors = vec![t];
            factors.extend(&d_factors);
            let scaled = self.product(factors);
            numerator_terms.push(self.expand(scaled, &mut budget)?);
        }
        let numerator = self.sum(numerator_terms);
        let mut factors = vec![numerator];
        for &(b, k) in &denominator {
            let minus_k = self.graph.constant(k.negated());
            factors.push(self.power(b, minus_k));
        }
        Some(self.product(factors))
    }
}
