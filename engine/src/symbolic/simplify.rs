//! Simplifying constructors: every derivative node is built through these, so derivatives are
//! simplified as they are formed instead of by a rewrite pass afterwards.
//!
//! The rules, by name (the names appear in `--steps` output and in ARCHITECTURE.md):
//!
//! | rule               | example                              |
//! |--------------------|--------------------------------------|
//! | constant folding   | `2·3 → 6`, `3·(1/3) → 1` (exact)      |
//! | zero and one       | `x + 0 → x`, `1·x → x`, `0·x → 0`, `x¹ → x`, `x⁰ → 1` |
//! | like terms         | `2·x·y + y·x → 3·x·y`                |
//! | powers collected   | `x·x² → x³`, `σ·σ⁻¹ → 1`, `x·x^(b−1) → x^b` |
//! | power of a power   | `(x²)³ → x⁶`                          |
//! | power of a product | `(2·x)² → 4·x²`                      |
//! | sqrt squared       | `sqrt(u)² → u`                       |
//! | inverse functions  | `log(exp(u)) → u`, `exp(log(u)) → u` |
//! | sin² + cos²        | `sin(u)² + cos(u)² → 1`              |
//! | canonical order    | sums: positive terms, then constants, then negative terms |
//!
//! Products keep the order their caller gives (the chain-rule order, see `diff`); only the
//! coefficient moves to the front and divisors to the back.

use crate::graph::number::Number;
use crate::graph::rules::Algebra;
use crate::graph::{Func, Graph, NodeId, Op};
use std::collections::HashMap;

/// A product longer than this is kept as a nested factor instead of being flattened, so
/// that long chains of adjoints stay linear in size.
const MAX_FLAT_FACTORS: usize = 64;

pub struct Simplifier<'g> {
    pub graph: &'g mut Graph,
}

impl<'g> Simplifier<'g> {
    pub fn new(graph: &'g mut Graph) -> Self {
        Simplifier { graph }
    }

    pub fn constant(&mut self, n: Number) -> NodeId {
        self.graph.constant(n)
    }

    /// `coefficient · body`: a term of a sum split into its number and the rest.
    fn split_term(&self, term: NodeId) -> (Number, Vec<NodeId>) {
        match self.graph.op(term) {
            Op::Const(c) => (*c, Vec::new()),
            Op::Mul(xs) => self.graph.split_coefficient(xs),
            _ => (Number::ONE, vec![term]),
        }
    }

    /// A sum, simplified.
    pub fn sum(&mut self, terms: Vec<NodeId>) -> NodeId {
        let mut flat = Vec::with_capacity(terms.len());
        for t in terms {
            match self.graph.op(t) {
                Op::Add(inner) => flat.extend(inner.iter().copied()),
                _ => flat.push(t),
            }
        }
        // Like terms: the body, with its factors sorted, is the key.
        let mut constant = Number::ZERO;
        let mut bodies: Vec<(Number, Vec<NodeId>)> = Vec::new();
        let mut index: HashMap<Vec<NodeId>, usize> = HashMap::new();
        for t in flat {
            let (c, body) = self.split_term(t);
            if body.is_empty() {
                constant = constant.plus(c);
                continue;
            }
            let mut key = body.clone();
            key.sort_unstable();
            match index.get(&key) {
                Some(&i) => bodies[i].0 = bodies[i].0.plus(c),
                None => {
                    index.insert(key, bodies.len());
                    bodies.push((c, body));
                }
            }
        }
        self.pythagorean(&mut bodies, &index, &mut constant);
        if let Some(u) = self.log_odds(&mut bodies, &index) {
            // The pair became k·u: build the sum again with it among the terms.
            let mut terms: Vec<NodeId> = bodies
                .into_iter()
                .filter(|(c, _)| !c.is_zero())
                .map(|(c, b)| self.graph.product_with_coefficient(c, b))
                .collect();
            terms.push(u);
            terms.push(self.graph.constant(constant));
            return self.sum(terms);
        }
        bodies.retain(|(c, _)| !c.is_zero());
        // Terms in the order of their first-written part (`a + 2·b + 1`, `r1·x1 + r2·x2`): node
        // ids grow in the order names first appear. The sort is stable, so it is a canonical form.
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

    /// `k·sin(u)² + k·cos(u)² → k`
    fn pythagorean(
        &mut self,
        bodies: &mut [(Number, Vec<NodeId>)],
        index: &HashMap<Vec<NodeId>, usize>,
        constant: &mut Number,
    ) {
        for i in 0..bodies.len() {
            let (c, body) = (bodies[i].0, bodies[i].1.clone());
            let [single] = body.as_slice() else { continue };
            let Op::Pow([base, e]) = self.graph.op(*single) else { continue };
            if self.graph.as_const(*e) != Some(Number::int(2)) || c.is_zero() {
                continue;
            }
            let Op::Call(Func::Sin, args) = self.graph.op(*base) else { continue };
            let (e, u) = (*e, args[0]);
            let cos = self.graph.intern(Op::Call(Func::Cos, Box::new([u])));
            let cos_squared = self.graph.intern(Op::Pow([cos, e]));
            if let Some(&j) = index.get(&vec![cos_squared])
                && bodies[j].0 == c
            {
                bodies[i].0 = Number::ZERO;
                bodies[j].0 = Number::ZERO;
                *constant = constant.plus(c);
            }
        }
    }

    /// `k·log(σ(u)) − k·log(1 − σ(u)) → k·u`: the log-odds of a sigmoid is its argument.
    fn log_odds(
        &mut self,
        bodies: &mut [(Number, Vec<NodeId>)],
        index: &HashMap<Vec<NodeId>, usize>,
    ) -> Option<NodeId> {
        for i in 0..bodies.len() {
            let (c, body) = (bodies[i].0, bodies[i].1.clone());
            let [single] = body.as_slice() else { continue };
            let Op::Call(Func::Log, args) = self.graph.op(*single) else { continue };
            let Op::Call(Func::Sigmoid, inner) = self.graph.op(args[0]) else { continue };
            let (s, u) = (args[0], inner[0]);
            let one = self.graph.int(1);
            let minus_s = self.graph.product_with_coefficient(Number::MINUS_ONE, vec![s]);
            let one_minus = self.sum(vec![one, minus_s]);
            let log_one_minus = self.graph.intern(Op::Call(Func::Log, Box::new([one_minus])));
            if let Some(&j) = index.get(&vec![log_one_minus])
                && bodies[j].0 == c.negated()
                && !c.is_zero()
            {
                bodies[i].0 = Number::ZERO;
                bodies[j].0 = Number::ZERO;
                let k = self.graph.constant(c);
                return Some(self.product(vec![k, u]));
            }
        }
        None
    }

    /// A product, simplified; factors keep the caller's order.
    pub fn product(&mut self, factors: Vec<NodeId>) -> NodeId {
        let mut coefficient = Number::ONE;
        let mut flat = Vec::with_capacity(factors.len());
        for f in factors {
            match self.graph.op(f) {
                Op::Const(c) => coefficient = coefficient.times(*c),
                Op::Mul(inner) if flat.len() + inner.len() <= MAX_FLAT_FACTORS => {
                    for &x in inner.iter() {
                        match self.graph.as_const(x) {
                            Some(c) => coefficient = coefficient.times(c),
                            None => flat.push(x),
                        }
                    }
                }
                _ => flat.push(f),
            }
        }
        if coefficient.is_zero() {
            return self.graph.int(0);
        }
        // Powers collected: equal bases add their exponents, in first-occurrence order.
        let mut bases: Vec<(NodeId, Vec<NodeId>)> = Vec::new();
        let mut index: HashMap<NodeId, usize> = HashMap::new();
        for f in flat {
            let (base, exponent) = match self.graph.op(f) {
                Op::Pow([b, e]) => (*b, *e),
                _ => (f, self.graph.int(1)),
            };
            match index.get(&base) {
                Some(&i) => bases[i].1.push(exponent),
                None => {
                    index.insert(base, bases.len());
                    bases.push((base, vec![exponent]));
                }
            }
        }
        let mut numerator = Vec::new();
        let mut denominator = Vec::new();
        for (base, exponents) in bases {
            let exponent = if exponents.len() == 1 { exponents[0] } else { self.sum(exponents) };
            let factor = self.power(base, exponent);
            match self.graph.op(factor) {
                Op::Const(c) => coefficient = coefficient.times(*c),
                Op::Pow([_, e]) if self.graph.as_const(*e).is_some_and(Number::is_negative) => denominator.push(factor),
                _ => numerator.push(factor),
            }
        }
        numerator.extend(denominator);
        self.graph.product_with_coefficient(coefficient, numerator)
    }

    /// A power, simplified.
    pub fn power(&mut self, base: NodeId, exponent: NodeId) -> NodeId {
        let e = self.graph.as_const(exponent);
        if e.is_some_and(Number::is_zero) {
            return self.graph.int(1);
        }
        if e.is_some_and(Number::is_one) {
            return base;
        }
        if let (Some(b), Some(e)) = (self.graph.as_const(base), e) {
            if let Some(value) = b.pow_folded(e) {
                return self.graph.constant(value);
            }
            if b.is_zero() && !e.is_negative() {
                return self.graph.int(0);
            }
        }
        if self.graph.as_const(base).is_some_and(Number::is_one) {
            return base;
        }
        let integer_exponent = e.and_then(Number::as_integer).is_some();
        match self.graph.op(base).clone() {
            // (xᵃ)ᵏ = x^(a·k) for integer k
            Op::Pow([inner_base, inner_exp]) if integer_exponent => {
                let product = self.product(vec![inner_exp, exponent]);
                self.power(inner_base, product)
            }
            // (a·b)ᵏ = aᵏ·bᵏ for integer k
            Op::Mul(factors) if integer_exponent => {
                let powered: Vec<_> = factors.iter().map(|&f| self.power(f, exponent)).collect();
                self.product(powered)
            }
            // sqrt(u)² = u
            Op::Call(Func::Sqrt, args) if e == Some(Number::int(2)) => args[0],
            _ => self.graph.intern(Op::Pow([base, exponent])),
        }
    }

    /// A function applied, with exact constant folding and inverse pairs removed.
    pub fn call(&mut self, f: Func, args: &[NodeId]) -> NodeId {
        let constants: Option<Vec<Number>> = args.iter().map(|&a| self.graph.as_const(a)).collect();
        if let Some(value) = constants.and_then(|c| f.fold(&c)) {
            return self.graph.constant(value);
        }
        match (f, self.graph.op(args[0])) {
            (Func::Log, Op::Call(Func::Exp, inner)) | (Func::Exp, Op::Call(Func::Log, inner)) => inner[0],
            _ => self.graph.intern(Op::Call(f, args.into())),
        }
    }

    pub fn step(&mut self, a: NodeId, strict: bool) -> NodeId {
        match self.graph.as_const(a) {
            Some(c) => {
                let on = !c.is_negative() && (!c.is_zero() || !strict);
                self.graph.int(i64::from(on))
            }
            None => self.graph.intern(Op::Step { arg: [a], strict }),
        }
    }

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

impl Algebra for Simplifier<'_> {
    type Value = NodeId;
    fn number(&mut self, n: Number) -> NodeId {
        self.graph.constant(n)
    }
    fn add(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.sum(vec![a, b])
    }
    fn mul(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.product(vec![a, b])
    }
    fn pow(&mut self, base: NodeId, exponent: NodeId) -> NodeId {
        self.power(base, exponent)
    }
    fn call(&mut self, f: Func, args: &[NodeId]) -> NodeId {
        Simplifier::call(self, f, args)
    }
    fn step(&mut self, a: NodeId, strict: bool) -> NodeId {
        Simplifier::step(self, a, strict)
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
            stack.push(c);
        }
    }
    Some(total)
}
