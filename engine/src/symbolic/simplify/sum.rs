//! Sums: the terms as (coefficient, body) pairs, and the rules that act on them.

use super::Simplifier;
use crate::graph::number::Number;
use crate::graph::{Func, IdMap, NodeId, Op};

/// A sum longer than this is kept as a nested term instead of being flattened, so that sums
/// built one term at a time (the exponents of a power tower's derivative, x + xˣ + x^xˣ + …)
/// stay linear in size, as `MAX_FLAT_FACTORS` does for products.
const MAX_FLAT_TERMS: usize = 32;

/// A sum being simplified: a constant and terms `coefficient · body`, like terms merged.
pub struct Terms {
    pub constant: Number,
    pub bodies: Vec<(Number, Vec<NodeId>)>,
    /// Each body's place in `bodies`, by its factors sorted (so `x·y` and `y·x` are one term).
    pub index: IdMap<Vec<NodeId>, usize>,
}

/// A rule on a sum's terms: it changes them in place, or builds the whole sum anew.
pub type SumRule = fn(&mut Simplifier, &mut Terms) -> Option<NodeId>;

/// The sum rules, in the order they apply (after like terms are merged).
pub const SUM_RULES: [(&str, SumRule); 2] = [("sin² + cos²", pythagorean), ("log-odds", log_odds)];

impl Simplifier<'_> {
    /// `coefficient · body`: a term of a sum split into its number and the rest.
    fn split_term(&self, term: NodeId) -> (Number, Vec<NodeId>) {
        match self.graph.op(term) {
            Op::Const(c) => (*c, Vec::new()),
            Op::Mul(xs) => self.graph.split_coefficient(xs),
            _ => (Number::ONE, vec![term]),
        }
    }

    /// A sum, simplified: flattened (up to `MAX_FLAT_TERMS`), constants folded, like terms merged, the sum rules
    /// applied, and the terms in canonical order.
    pub fn sum(&mut self, terms: Vec<NodeId>) -> NodeId {
        let mut flat = Vec::with_capacity(terms.len());
        for t in terms {
            match self.graph.op(t) {
                Op::Add(inner) if flat.len() + inner.len() <= MAX_FLAT_TERMS => flat.extend(inner.iter().copied()),
                _ => flat.push(t),
            }
        }
        // Like terms: the body, with its factors sorted, is the key.
        let mut terms = Terms { constant: Number::ZERO, bodies: Vec::new(), index: IdMap::default() };
        for t in flat {
            let (c, body) = self.split_term(t);
            if body.is_empty() {
                terms.constant = terms.constant.plus(c);
                continue;
            }
            let mut key = body.clone();
            key.sort_unstable();
            match terms.index.get(&key) {
                Some(&i) => terms.bodies[i].0 = terms.bodies[i].0.plus(c),
                None => {
                    terms.index.insert(key, terms.bodies.len());
                    terms.bodies.push((c, body));
                }
            }
        }
        for (_, rule) in SUM_RULES {
            if let Some(rebuilt) = rule(self, &mut terms) {
                return rebuilt;
            }
        }
        self.canonical_sum(terms)
    }

    /// Canonical order: terms by their first-written part (`a + 2·b + 1`, `r1·x1 + r2·x2`; node
    /// ids grow in the order names first appear), positive terms, then the constant, then
    /// negative terms. The sort is stable, so printing and reading back give the same node.
    fn canonical_sum(&mut self, terms: Terms) -> NodeId {
        let Terms { constant, mut bodies, .. } = terms;
        bodies.retain(|(c, _)| !c.is_zero());
        bodies.sort_by_key(|(_, body)| body.iter().min().copied());
        let (positive, negative): (Vec<_>, Vec<_>) = bodies.into_iter().partition(|(c, _)| !c.is_negative());
        let mut out = Vec::with_capacity(positive.len() + negative.len() + 1);
        for (c, body) in positive {
            out.push(self.graph.product_with_coefficient(c, body));
        }
        let constant_node = (!constant.is_zero()).then(|| self.graph.constant(constant));
        if !constant.is_negative() {
            out.extend(constant_node);
        }
        for (c, body) in negative {
            out.push(self.graph.product_with_coefficient(c, body));
        }
        if constant.is_negative() {
            out.extend(constant_node);
        }
        match out.len() {
            0 => self.graph.int(0),
            1 => out[0],
            _ => self.graph.intern(Op::Add(out.into())),
        }
    }
}

/// sin² + cos²: `k·sin(u)² + k·cos(u)² → k`.
fn pythagorean(s: &mut Simplifier, terms: &mut Terms) -> Option<NodeId> {
    for i in 0..terms.bodies.len() {
        let (c, body) = (terms.bodies[i].0, terms.bodies[i].1.clone());
        let [single] = body.as_slice() else { continue };
        let Op::Pow([base, e]) = s.graph.op(*single) else { continue };
        if s.graph.as_const(*e) != Some(Number::int(2)) || c.is_zero() {
            continue;
        }
        let Op::Call(Func::Sin, args) = s.graph.op(*base) else { continue };
        let (e, u) = (*e, args[0]);
        let cos = s.graph.intern(Op::Call(Func::Cos, Box::new([u])));
        let cos_squared = s.graph.intern(Op::Pow([cos, e]));
        if let Some(&j) = terms.index.get(&vec![cos_squared])
            && terms.bodies[j].0 == c
        {
            terms.bodies[i].0 = Number::ZERO;
            terms.bodies[j].0 = Number::ZERO;
            terms.constant = terms.constant.plus(c);
        }
    }
    None
}

/// log-odds: `k·log(σ(u)) − k·log(1 − σ(u)) → k·u`, the log-odds of a sigmoid is its argument.
fn log_odds(s: &mut Simplifier, terms: &mut Terms) -> Option<NodeId> {
    for i in 0..terms.bodies.len() {
        let (c, body) = (terms.bodies[i].0, terms.bodies[i].1.clone());
        let [single] = body.as_slice() else { continue };
        let Op::Call(Func::Log, args) = s.graph.op(*single) else { continue };
        let Op::Call(Func::Sigmoid, inner) = s.graph.op(args[0]) else { continue };
        let (sigma, u) = (args[0], inner[0]);
        let one = s.graph.int(1);
        let minus = s.graph.product_with_coefficient(Number::MINUS_ONE, vec![sigma]);
        let one_minus = s.sum(vec![one, minus]);
        let log_one_minus = s.graph.intern(Op::Call(Func::Log, Box::new([one_minus])));
        if let Some(&j) = terms.index.get(&vec![log_one_minus])
            && terms.bodies[j].0 == c.negated()
            && !c.is_zero()
        {
            terms.bodies[i].0 = Number::ZERO;
            terms.bodies[j].0 = Number::ZERO;
            // The pair became k·u: the sum is built again with it among the terms.
            let k = s.graph.constant(c);
            let ku = s.product(vec![k, u]);
            let mut rest: Vec<NodeId> = std::mem::take(&mut terms.bodies)
                .into_iter()
                .filter(|(c, _)| !c.is_zero())
                .map(|(c, b)| s.graph.product_with_coefficient(c, b))
                .collect();
            rest.push(ku);
            rest.push(s.graph.constant(terms.constant));
            return Some(s.sum(rest));
        }
    }
    None
}
