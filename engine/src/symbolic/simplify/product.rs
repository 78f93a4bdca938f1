//! Products, powers, functions and Iverson brackets, with their rules.

use super::Simplifier;
use crate::graph::number::Number;
use crate::graph::{Func, NodeId, NodeMap, Op};

/// A product longer than this is kept as a nested factor instead of being flattened, so
/// that long chains of adjoints stay linear in size.
const MAX_FLAT_FACTORS: usize = 32;

/// A rule on a power `base^exponent`: the simpler node, or `None` when it does not apply.
pub type PowerRule = fn(&mut Simplifier, NodeId, NodeId) -> Option<NodeId>;

/// The power rules, tried in order; the first that applies wins.
pub const POWER_RULES: [(&str, PowerRule); 5] = [
    ("zero and one", power_of_zero_and_one),
    ("constant folding", constant_power),
    ("power of a power", power_of_a_power),
    ("power of a product", power_of_a_product),
    ("sqrt squared", sqrt_squared),
];

/// A rule on a function applied to its arguments.
pub type CallRule = fn(&mut Simplifier, Func, &[NodeId]) -> Option<NodeId>;

/// The function rules, tried in order.
pub const CALL_RULES: [(&str, CallRule); 2] = [("exact function values", exact_value), ("inverse functions", inverse)];

impl Simplifier<'_> {
    /// A product, simplified: flattened (up to `MAX_FLAT_FACTORS`), constant factors folded
    /// into one leading coefficient, and equal bases collected into powers (`σ·σ⁻¹ = 1`).
    /// Factors keep the caller's order (the chain rule's); divisors go last.
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
        // Powers collected: equal bases add their exponents, in first-occurrence order. An
        // exponent of 1 is `None` (most factors are not powers: nothing to intern for them), and
        // a short product finds its bases by a scan, a long one through an index.
        let mut bases: Vec<(NodeId, Option<NodeId>, Vec<Option<NodeId>>)> = Vec::with_capacity(flat.len());
        let mut index: NodeMap<usize> = NodeMap::default();
        let indexed = flat.len() > MAX_FLAT_FACTORS;
        for f in flat {
            let (base, exponent) = match self.graph.op(f) {
                Op::Pow([b, e]) => (*b, Some(*e)),
                _ => (f, None),
            };
            let found = if indexed { index.get(&base).copied() } else { bases.iter().position(|(b, _, _)| *b == base) };
            match found {
                Some(i) => bases[i].2.push(exponent),
                None => {
                    if indexed {
                        index.insert(base, bases.len());
                    }
                    bases.push((base, exponent, Vec::new()));
                }
            }
        }
        let mut numerator = Vec::with_capacity(bases.len());
        let mut denominator = Vec::new();
        for (base, first, more) in bases {
            let factor = match (first, more.is_empty()) {
                (None, true) => base,
                (Some(exponent), true) => self.power(base, exponent),
                _ => {
                    let exponents =
                        std::iter::once(first).chain(more).map(|e| e.unwrap_or_else(|| self.graph.int(1))).collect();
                    let exponent = self.sum(exponents);
                    self.power(base, exponent)
                }
            };
            match self.graph.op(factor) {
                Op::Const(c) => coefficient = coefficient.times(*c),
                Op::Pow([_, e]) if self.graph.as_const(*e).is_some_and(Number::is_negative) => denominator.push(factor),
                _ => numerator.push(factor),
            }
        }
        numerator.extend(denominator);
        self.graph.product_with_coefficient(coefficient, numerator)
    }

    /// A power, simplified by the first power rule that applies.
    pub fn power(&mut self, base: NodeId, exponent: NodeId) -> NodeId {
        for (_, rule) in POWER_RULES {
            if let Some(simpler) = rule(self, base, exponent) {
                return simpler;
            }
        }
        self.graph.intern(Op::Pow([base, exponent]))
    }

    /// A function applied, simplified by the first function rule that applies.
    pub fn call(&mut self, f: Func, args: &[NodeId]) -> NodeId {
        for (_, rule) in CALL_RULES {
            if let Some(simpler) = rule(self, f, args) {
                return simpler;
            }
        }
        self.graph.intern(Op::Call(f, args.into()))
    }

    /// An Iverson bracket; of a constant, its value.
    pub fn step(&mut self, a: NodeId, strict: bool) -> NodeId {
        match self.graph.as_const(a) {
            Some(c) => {
                let on = !c.is_negative() && (!c.is_zero() || !strict);
                self.graph.int(i64::from(on))
            }
            None => self.graph.intern(Op::Step { arg: [a], strict }),
        }
    }
}

/// zero and one: `x⁰ → 1`, `x¹ → x`, `1ᵘ → 1`.
fn power_of_zero_and_one(s: &mut Simplifier, base: NodeId, exponent: NodeId) -> Option<NodeId> {
    let e = s.graph.as_const(exponent);
    if e.is_some_and(Number::is_zero) {
        return Some(s.graph.int(1));
    }
    if e.is_some_and(Number::is_one) || s.graph.as_const(base).is_some_and(Number::is_one) {
        return Some(base);
    }
    None
}

/// constant folding: `2³ → 8`, `0² → 0`, exactly where the result is rational.
fn constant_power(s: &mut Simplifier, base: NodeId, exponent: NodeId) -> Option<NodeId> {
    let (b, e) = (s.graph.as_const(base)?, s.graph.as_const(exponent)?);
    if let Some(value) = b.pow_folded(e) {
        return Some(s.graph.constant(value));
    }
    (b.is_zero() && !e.is_negative()).then(|| s.graph.int(0))
}

fn integer_exponent(s: &Simplifier, exponent: NodeId) -> bool {
    s.graph.as_const(exponent).and_then(Number::as_integer).is_some()
}

/// power of a power: `(xᵃ)ᵏ → x^(a·k)` for an integer k.
fn power_of_a_power(s: &mut Simplifier, base: NodeId, exponent: NodeId) -> Option<NodeId> {
    let Op::Pow([inner_base, inner_exp]) = *s.graph.op(base) else { return None };
    if !integer_exponent(s, exponent) {
        return None;
    }
    let product = s.product(vec![inner_exp, exponent]);
    Some(s.power(inner_base, product))
}

/// power of a product: `(a·b)ᵏ → aᵏ·bᵏ` for an integer k.
fn power_of_a_product(s: &mut Simplifier, base: NodeId, exponent: NodeId) -> Option<NodeId> {
    let Op::Mul(factors) = s.graph.op(base).clone() else { return None };
    if !integer_exponent(s, exponent) {
        return None;
    }
    let powered: Vec<_> = factors.iter().map(|&f| s.power(f, exponent)).collect();
    Some(s.product(powered))
}

/// sqrt squared: `sqrt(u)² → u`.
fn sqrt_squared(s: &mut Simplifier, base: NodeId, exponent: NodeId) -> Option<NodeId> {
    match s.graph.op(base) {
        Op::Call(Func::Sqrt, args) if s.graph.as_const(exponent) == Some(Number::int(2)) => Some(args[0]),
        _ => None,
    }
}

/// exact function values: `σ(0) → 1/2`, `log(1) → 0`, `max(2, 3) → 3`.
fn exact_value(s: &mut Simplifier, f: Func, args: &[NodeId]) -> Option<NodeId> {
    let constants: Option<Vec<Number>> = args.iter().map(|&a| s.graph.as_const(a)).collect();
    let value = f.fold(&constants?)?;
    Some(s.graph.constant(value))
}

/// inverse functions: `log(exp(u)) → u`, `exp(log(u)) → u`.
fn inverse(s: &mut Simplifier, f: Func, args: &[NodeId]) -> Option<NodeId> {
    match (f, s.graph.op(args[0])) {
        (Func::Log, Op::Call(Func::Exp, inner)) | (Func::Exp, Op::Call(Func::Log, inner)) => Some(inner[0]),
        _ => None,
    }
}
