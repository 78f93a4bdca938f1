//! Named intermediates folded back into a derivative. A name is opaque to the chain rule, so a
//! derivative can hold a named intermediate's definition again — as the very node, or as
//! factors inside a longer product: ∂(−log p₁)/∂z₁ of a softmax comes out as
//! −p₁⁻¹·exp(z₁)·S⁻¹ + p₁⁻¹·exp(z₁)²·S⁻², where exp(z₁)·S⁻¹ is p₁'s definition. Putting the
//! name back (p₁⁻¹·p₁ cancels) gives the textbook p₁ − 1. Every replacement is by a node of
//! equal value, so the derivative's value cannot change.

use super::simplify::Simplifier;
use crate::graph::number::Number;
use crate::graph::{Graph, IdMap, NodeId, NodeMap, Op};

/// A product definition as powers of its factors: `exp(z₁)·S⁻¹` is {exp(z₁): 1, S: −1}.
struct ProductDefinition {
    named: NodeId,
    powers: Vec<(NodeId, Number)>,
}

/// A sum definition as its terms with their coefficients: `(x₁ + x₂ + x₃)/3` is
/// {x₁: 1/3, x₂: 1/3, x₃: 1/3}.
struct SumDefinition {
    named: NodeId,
    terms: Vec<(Vec<NodeId>, Number)>,
}

/// Rewrites partial derivatives with the names of `lets` (named intermediates) wherever their
/// definitions appear. One memo serves every partial, so the work is linear in their DAG.
pub struct Refold {
    exact: NodeMap<NodeId>,
    /// Product definitions, indexed by each of their bases.
    products: NodeMap<Vec<usize>>,
    definitions: Vec<ProductDefinition>,
    /// Sum definitions, indexed by each of their terms' bodies.
    sums: IdMap<Vec<NodeId>, Vec<usize>>,
    sum_definitions: Vec<SumDefinition>,
    memo: NodeMap<NodeId>,
}

impl Refold {
    pub fn new(graph: &Graph, lets: &[NodeId]) -> Refold {
        let mut exact = NodeMap::default();
        let mut products: NodeMap<Vec<usize>> = NodeMap::default();
        let mut definitions = Vec::new();
        let mut sums: IdMap<Vec<NodeId>, Vec<usize>> = IdMap::default();
        let mut sum_definitions = Vec::new();
        for &named in lets {
            let definition = graph.definition(named);
            if matches!(graph.op(definition), Op::Var(_) | Op::Const(_) | Op::Let(..)) {
                continue;
            }
            exact.entry(definition).or_insert(named);
            if let Some(terms) = sum_terms(graph, definition).filter(|t| t.len() >= 2) {
                for (body, _) in &terms {
                    sums.entry(body.clone()).or_default().push(sum_definitions.len());
                }
                sum_definitions.push(SumDefinition { named, terms });
            }
            if let Op::Mul(xs) = graph.op(definition) {
                let (coefficient, factors) = graph.split_coefficient(xs);
                if !coefficient.is_one() || factors.len() < 2 {
                    continue;
                }
                let powers = powers_of(graph, &factors);
                for (base, _) in &powers {
                    products.entry(*base).or_default().push(definitions.len());
                }
                definitions.push(ProductDefinition { named, powers });
            }
        }
        Refold { exact, products, definitions, sums, sum_definitions, memo: NodeMap::default() }
    }

    /// `e` with the names put back.
    pub fn apply(&mut self, graph: &mut Graph, e: NodeId) -> NodeId {
        if self.exact.is_empty() {
            return e;
        }
        // Post-order over the nodes printed for `e`, not inside named intermediates.
        let mut stack = vec![(e, false)];
        while let Some((id, expanded)) = stack.pop() {
            if self.memo.contains_key(&id) {
                continue;
            }
            let leaf = matches!(graph.op(id), Op::Var(_) | Op::Const(_) | Op::Let(..));
            if leaf {
                self.memo.insert(id, id);
                continue;
            }
            if !expanded {
                stack.push((id, true));
                for &input in graph.inputs(id) {
                    if !self.memo.contains_key(&input) {
                        stack.push((input, false));
                    }
                }
                continue;
            }
            let inputs: Vec<NodeId> = graph.inputs(id).iter().map(|i| self.memo[i]).collect();
            let rebuilt = self.rebuild(graph, id, inputs);
            let named = self.exact.get(&rebuilt).copied().unwrap_or(rebuilt);
            self.memo.insert(id, named);
        }
        self.memo[&e]
    }

    fn rebuild(&self, graph: &mut Graph, id: NodeId, inputs: Vec<NodeId>) -> NodeId {
        let op = graph.op(id).clone();
        if op.inputs() == inputs.as_slice() && !matches!(op, Op::Mul(_) | Op::Add(_)) {
            return id;
        }
        let mut s = Simplifier::new(graph);
        match op {
            Op::Add(_) => {
                let sum = s.sum(inputs);
                self.fold_sums(graph, sum)
            }
            Op::Mul(_) => {
                let product = s.product(inputs);
                self.fold_products(graph, product)
            }
            Op::Pow(_) => s.power(inputs[0], inputs[1]),
            Op::Call(f, _) => s.call(f, &inputs),
            Op::Step { strict, .. } => s.step(inputs[0], strict),
            Op::Const(_) | Op::Var(_) | Op::Let(..) => id,
        }
    }

    /// Replaces whole copies of a product definition inside a product by its name.
    fn fold_products(&self, graph: &mut Graph, product: NodeId) -> NodeId {
        let Op::Mul(xs) = graph.op(product).clone() else { return product };
        let (coefficient, factors) = graph.split_coefficient(&xs);
        let mut powers = powers_of(graph, &factors);
        let mut names: Vec<(NodeId, i64)> = Vec::new();
        let mut tried: Vec<usize> = Vec::new();
        for (base, _) in powers.clone() {
            for &d in self.products.get(&base).into_iter().flatten() {
                if tried.contains(&d) {
                    continue;
                }
                tried.push(d);
                let definition = &self.definitions[d];
                let k = copies(&powers, &definition.powers);
                if k != 0 {
                    for (b, e) in &definition.powers {
                        let have = powers.iter_mut().find(|(pb, _)| pb == b).expect("the base is in the product");
                        have.1 = have.1.plus(e.times(Number::int(-k)));
                    }
                    names.push((definition.named, k));
                }
            }
        }
        if names.is_empty() {
            return product;
        }
        let mut s = Simplifier::new(graph);
        let mut out = vec![s.constant(coefficient)];
        for (b, e) in powers {
            let e = s.constant(e);
            out.push(s.power(b, e));
        }
        for (named, k) in names {
            let k = s.constant(Number::int(k));
            out.push(s.power(named, k));
        }
        s.product(out)
    }
}

impl Refold {
    /// Replaces a multiple of a sum definition inside a sum by the name: with μ = (x₁ + x₂ +
    /// x₃)/3, `4/3·x₁ − 2/3·x₂ − 2/3·x₃` is `2·x₁ − 2·μ`. The multiple is the one that removes the
    /// most terms; at least two must go, so the sum gets shorter.
    fn fold_sums(&self, graph: &mut Graph, sum: NodeId) -> NodeId {
        let Some(mut terms) = sum_terms(graph, sum) else { return sum };
        let mut names: Vec<(NodeId, Number)> = Vec::new();
        let mut tried: Vec<usize> = Vec::new();
        for (body, _) in terms.clone() {
            for &d in self.sums.get(&body).into_iter().flatten() {
                if tried.contains(&d) {
                    continue;
                }
                tried.push(d);
                let definition = &self.sum_definitions[d];
                // Each shared term proposes a multiple; take the one most terms agree on.
                let mut votes: Vec<(Number, usize)> = Vec::new();
                for (b, e) in &definition.terms {
                    let Some((_, have)) = terms.iter().find(|(tb, _)| tb == b) else { continue };
                    let (Some(h), Some(e)) = (have.as_ratio(), e.as_ratio()) else { continue };
                    if *e.numer() == 0 {
                        continue;
                    }
                    let k = Number::Exact(h / e);
                    match votes.iter_mut().find(|(v, _)| *v == k) {
                        Some((_, n)) => *n += 1,
                        None => votes.push((k, 1)),
                    }
                }
                let Some(&(k, count)) = votes.iter().max_by_key(|(_, n)| *n) else { continue };
                if count < 2 || k.is_zero() {
                    continue;
                }
                for (b, e) in &definition.terms {
                    let removed = k.times(*e).negated();
                    match terms.iter_mut().find(|(tb, _)| tb == b) {
                        Some((_, have)) => *have = have.plus(removed),
                        None => terms.push((b.clone(), removed)),
                    }
                }
                names.push((definition.named, k));
            }
        }
        if names.is_empty() {
            return sum;
        }
        let mut parts: Vec<NodeId> = terms
            .into_iter()
            .filter(|(_, c)| !c.is_zero())
            .map(|(b, c)| graph.product_with_coefficient(c, b))
            .collect();
        for (named, k) in names {
            parts.push(graph.product_with_coefficient(k, vec![named]));
        }
        Simplifier::new(graph).sum(parts)
    }
}

/// A sum (or a number times a sum) as its terms' bodies and coefficients.
fn sum_terms(graph: &Graph, e: NodeId) -> Option<Vec<(Vec<NodeId>, Number)>> {
    let (scale, sum) = match graph.op(e) {
        Op::Add(_) => (Number::ONE, e),
        Op::Mul(xs) if xs.len() == 2 && matches!(graph.op(xs[1]), Op::Add(_)) => (graph.as_const(xs[0])?, xs[1]),
        _ => return None,
    };
    let mut out = Vec::new();
    for &t in graph.inputs(sum) {
        let (c, body) = match graph.op(t) {
            Op::Const(c) => (*c, Vec::new()),
            Op::Mul(xs) => graph.split_coefficient(xs),
            _ => (Number::ONE, vec![t]),
        };
        out.push((body, c.times(scale)));
    }
    Some(out)
}

/// Factors as (base, exponent): `x²` is (x, 2), `S⁻¹` is (S, −1), anything else (f, 1).
pub fn powers_of(graph: &Graph, factors: &[NodeId]) -> Vec<(NodeId, Number)> {
    let mut out: Vec<(NodeId, Number)> = Vec::new();
    for &f in factors {
        let (base, e) = match graph.op(f) {
            Op::Pow([b, e]) => match graph.as_const(*e) {
                Some(k) => (*b, k),
                None => (f, Number::ONE),
            },
            _ => (f, Number::ONE),
        };
        match out.iter_mut().find(|(b, _)| *b == base) {
            Some((_, have)) => *have = have.plus(e),
            None => out.push((base, e)),
        }
    }
    out
}

/// How many whole copies (a positive or negative integer, 0 for none) of `definition` the
/// product's powers hold: each base's exponent divided by the definition's, the same for all.
fn copies(powers: &[(NodeId, Number)], definition: &[(NodeId, Number)]) -> i64 {
    let mut k: Option<i64> = None;
    for (base, e) in definition {
        let Some((_, have)) = powers.iter().find(|(b, _)| b == base) else { return 0 };
        let (Some(have), Some(e)) = (have.as_ratio(), e.as_ratio()) else { return 0 };
        if *e.numer() == 0 {
            return 0;
        }
        let r = *(have / e).trunc().numer();
        if r == 0 {
            return 0;
        }
        k = Some(match k {
            None => r,
            // Copies must have one sign; take the fewest whole copies all factors allow.
            Some(k) if k.signum() == r.signum() => k.signum() * k.abs().min(r.abs()),
            Some(_) => return 0,
        });
    }
    k.unwrap_or(0)
}
