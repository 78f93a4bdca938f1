//! Named intermediates folded back into a derivative. A name is opaque to the chain rule, so a
//! derivative can hold a named intermediate's definition again — as the very node, or as
//! factors inside a longer product: ∂(−log p₁)/∂z₁ of a softmax comes out as
//! −p₁⁻¹·exp(z₁)·S⁻¹ + p₁⁻¹·exp(z₁)²·S⁻², where exp(z₁)·S⁻¹ is p₁'s definition. Putting the
//! name back (p₁⁻¹·p₁ cancels) gives the textbook p₁ − 1. Every replacement is by a node of
//! equal value, so the derivative's value cannot change.

use super::simplify::Simplifier;
use crate::graph::number::Number;
use crate::graph::{Graph, NodeId, Op};
use std::collections::HashMap;

/// A product definition as powers of its factors: `exp(z₁)·S⁻¹` is {exp(z₁): 1, S: −1}.
struct ProductDefinition {
    named: NodeId,
    powers: Vec<(NodeId, Number)>,
}

/// Rewrites partial derivatives with the names of `lets` (named intermediates) wherever their
/// definitions appear. One memo serves every partial, so the work is linear in their DAG.
pub struct Refold {
    exact: HashMap<NodeId, NodeId>,
    /// Product definitions, indexed by each of their bases.
    products: HashMap<NodeId, Vec<usize>>,
    definitions: Vec<ProductDefinition>,
    memo: HashMap<NodeId, NodeId>,
}

impl Refold {
    pub fn new(graph: &Graph, lets: &[NodeId]) -> Refold {
        let mut exact = HashMap::new();
        let mut products: HashMap<NodeId, Vec<usize>> = HashMap::new();
        let mut definitions = Vec::new();
        for &named in lets {
            let definition = graph.definition(named);
            if matches!(graph.op(definition), Op::Var(_) | Op::Const(_) | Op::Let(..)) {
                continue;
            }
            exact.entry(definition).or_insert(named);
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
        Refold { exact, products, definitions, memo: HashMap::new() }
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
        if op.inputs() == inputs.as_slice() && !matches!(op, Op::Mul(_)) {
            return id;
        }
        let mut s = Simplifier::new(graph);
        match op {
            Op::Add(_) => s.sum(inputs),
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

/// Factors as (base, exponent): `x²` is (x, 2), `S⁻¹` is (S, −1), anything else (f, 1).
fn powers_of(graph: &Graph, factors: &[NodeId]) -> Vec<(NodeId, Number)> {
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
