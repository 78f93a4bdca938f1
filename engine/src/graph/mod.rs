//! The computation graph: an arena DAG in which equal subexpressions are one node.
//!
//! Every view of an expression — derivatives, values, printing — reads this one graph.
//! Nodes are immutable and interned: building `Op` twice gives the same `NodeId`.
//! Sums and products are n-ary (`Add`, `Mul`); subtraction is a term with coefficient −1 and
//! division a factor with a negative exponent, so one derivative rule per operator covers them.
//!
//! Two kinds of constructors fill the arena:
//! - the `written_*` constructors here keep the structure the user typed (order, `x·x` stays a
//!   product, parentheses group), folding only constant factors into one leading coefficient;
//! - `symbolic::Simplifier` builds canonical, simplified nodes for derivatives.
//!
//! Simplified nodes are fixed points of the written constructors, so printing a derivative and
//! parsing the text back gives the very same node (tested by property tests).

pub mod algebra;
pub mod build;
pub mod func;
pub mod number;
pub mod rules;

pub use func::Func;
use number::Number;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

/// A map keyed by node ids. Ids are dense integers the arena hands out (never a value an input
/// chooses), so a multiplicative hash spreads them as well as SipHash does at a fraction of its
/// cost; maps keyed by what an input writes (names, operations with constants) keep std's
/// seeded hash.
pub type NodeMap<V> = IdMap<NodeId, V>;
/// A map keyed by tuples or lists of node ids (see `NodeMap`).
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
/// A set of node ids (see `NodeMap`).
pub type NodeSet = std::collections::HashSet<NodeId, BuildHasherDefault<IdHasher>>;

/// The hash of `NodeMap`: rustc's FxHash (one multiply per word), with its last rotation so
/// that the low bits a table indexes by depend on every bit of the ids.
#[derive(Clone, Copy, Default)]
pub struct IdHasher(u64);

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// Index of a node in its graph's arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The node's place in the arena: values and adjoints are dense vectors indexed by it.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An operation and its inputs. Constants and variables are leaves.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Const(Number),
    /// A free variable, by its index in `Graph::variables`.
    Var(u32),
    /// A named intermediate `name = definition`, by the index of its name in `Graph::lets`.
    /// A node of its own (∂f/∂z is its adjoint), opaque to simplification: what the user
    /// named stays named in every view.
    Let(u32, [NodeId; 1]),
    /// A sum of terms (at least two).
    Add(Box<[NodeId]>),
    /// A product of factors (at least two); a constant coefficient, if any, comes first.
    Mul(Box<[NodeId]>),
    /// `[base, exponent]`
    Pow([NodeId; 2]),
    /// A function applied to its arguments (`Func::arity` of them).
    Call(Func, Box<[NodeId]>),
    /// The Iverson bracket `[u > 0]` (strict) or `[u ≥ 0]`.
    Step {
        arg: [NodeId; 1],
        strict: bool,
    },
}

impl Op {
    /// The inputs of this operation, in order.
    pub fn inputs(&self) -> &[NodeId] {
        match self {
            Op::Const(_) | Op::Var(_) => &[],
            Op::Add(xs) | Op::Mul(xs) | Op::Call(_, xs) => xs,
            Op::Pow(pair) => pair,
            Op::Let(_, arg) | Op::Step { arg, .. } => arg,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Node {
    pub op: Op,
    /// Longest path from this node down to a leaf; bounds recursion in printers.
    pub height: u32,
}

/// The arena.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    nodes: Vec<Node>,
    /// Every node, found by its operation (which lives in `nodes` only).
    interned: hashbrown::HashTable<NodeId>,
    hasher: foldhash::fast::RandomState,
    /// Free variables in order of first appearance.
    variables: Vec<String>,
    /// The node of each variable, by its index.
    variable_nodes: Vec<NodeId>,
    variable_index: HashMap<String, u32, foldhash::fast::RandomState>,
    /// Names of the named intermediates (`Op::Let`), by index.
    lets: Vec<String>,
    /// The first `Let` of each definition: what a rule calls a node's own value by name
    /// (`a·(1 − a)` for a = σ(z)).
    let_of_definition: NodeMap<NodeId>,
    /// Every named intermediate, in definition order.
    named: Vec<NodeId>,
    /// The nodes of the integers −1, 0, 1, 2, once interned.
    small_ints: [Option<NodeId>; SMALL_INTS],
}

/// How many small integers `Graph::int` remembers (from −1).
const SMALL_INTS: usize = 4;

impl Graph {
    pub fn new() -> Graph {
        Graph::default()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Room for `additional` more nodes, so that a graph of known size is built without
    /// moving its arena and re-hashing its interner as it grows (a 100,000-parameter loss
    /// grows them about twenty times).
    pub fn reserve(&mut self, additional: usize) {
        self.nodes.reserve(additional);
        let (nodes, hasher) = (&self.nodes, &self.hasher);
        self.interned.reserve(additional, |&id| hasher.hash_one(&nodes[id.0 as usize].op));
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn op(&self, id: NodeId) -> &Op {
        &self.nodes[id.0 as usize].op
    }

    pub fn height(&self, id: NodeId) -> u32 {
        self.nodes[id.0 as usize].height
    }

    /// The inputs of a node, in order (two for `Pow`).
    pub fn inputs(&self, id: NodeId) -> &[NodeId] {
        self.op(id).inputs()
    }

    /// Interns an operation: equal operations are one node.
    pub fn intern(&mut self, op: Op) -> NodeId {
        // One hash per call; the operation is stored once, in the arena.
        let hash = self.hasher.hash_one(&op);
        let nodes = &self.nodes;
        if let Some(&id) = self.interned.find(hash, |&id| nodes[id.0 as usize].op == op) {
            return id;
        }
        let id = NodeId(self.nodes.len() as u32);
        let height = op.inputs().iter().map(|&c| self.nodes[c.0 as usize].height + 1).max().unwrap_or(0);
        self.nodes.push(Node { op, height });
        let (nodes, hasher) = (&self.nodes, &self.hasher);
        self.interned.insert_unique(hash, id, |&id| hasher.hash_one(&nodes[id.0 as usize].op));
        id
    }

    pub fn constant(&mut self, n: Number) -> NodeId {
        match n.as_integer() {
            Some(k) => self.int(k),
            None => self.intern(Op::Const(n)),
        }
    }

    pub fn int(&mut self, n: i64) -> NodeId {
        // −1, 0, 1 and 2 are asked for by nearly every rule (and every chain's coefficient
        // is one of them): their nodes are remembered, not looked up.
        let Some(slot) = n.checked_add(1).and_then(|i| usize::try_from(i).ok()).filter(|&i| i < SMALL_INTS) else {
            return self.intern(Op::Const(Number::int(n)));
        };
        match self.small_ints[slot] {
            Some(id) => id,
            None => {
                let id = self.intern(Op::Const(Number::int(n)));
                self.small_ints[slot] = Some(id);
                id
            }
        }
    }

    pub fn as_const(&self, id: NodeId) -> Option<Number> {
        match self.op(id) {
            Op::Const(n) => Some(*n),
            _ => None,
        }
    }

    /// The variable of this name, created on first use.
    pub fn variable(&mut self, name: &str) -> NodeId {
        if let Some(node) = self.find_variable(name) {
            return node;
        }
        let index = self.variables.len() as u32;
        self.variables.push(name.to_string());
        self.variable_index.insert(name.to_string(), index);
        let node = self.intern(Op::Var(index));
        self.variable_nodes.push(node);
        node
    }

    /// The variable of this name if it exists.
    pub fn find_variable(&self, name: &str) -> Option<NodeId> {
        self.variable_index.get(name).map(|&i| self.variable_nodes[i as usize])
    }

    /// Every variable and its node, in order of first appearance.
    pub fn variables(&self) -> impl Iterator<Item = (&str, NodeId)> {
        self.variables.iter().map(String::as_str).zip(self.variable_nodes.iter().copied())
    }

    pub fn variable_names(&self) -> &[String] {
        &self.variables
    }

    pub fn variable_name(&self, index: u32) -> &str {
        &self.variables[index as usize]
    }

    /// A named intermediate `name = definition`: a node of its own.
    pub fn define(&mut self, name: &str, definition: NodeId) -> NodeId {
        let index = self.lets.len() as u32;
        self.lets.push(name.to_string());
        let id = self.intern(Op::Let(index, [definition]));
        self.let_of_definition.entry(definition).or_insert(id);
        self.named.push(id);
        id
    }

    /// Every named intermediate, in definition order.
    pub fn named_nodes(&self) -> &[NodeId] {
        &self.named
    }

    /// The name of a named intermediate (`None` for every other node).
    pub fn name_of(&self, id: NodeId) -> Option<&str> {
        match self.op(id) {
            Op::Let(i, _) => Some(&self.lets[*i as usize]),
            _ => None,
        }
    }

    pub fn is_named(&self, id: NodeId) -> bool {
        matches!(self.op(id), Op::Let(..))
    }

    /// The definition of a named intermediate; any other node is its own.
    pub fn definition(&self, id: NodeId) -> NodeId {
        match self.op(id) {
            Op::Let(_, [d]) => *d,
            _ => id,
        }
    }

    /// The named intermediate defined as this node, if any (the first, where several are).
    pub fn let_of(&self, definition: NodeId) -> Option<NodeId> {
        self.let_of_definition.get(&definition).copied()
    }

    /// All nodes reachable from `roots`, inputs before the nodes that use them.
    pub fn topological_order(&self, roots: &[NodeId]) -> Vec<NodeId> {
        let mut seen = vec![false; self.nodes.len()];
        let mut order = Vec::new();
        // Iterative post-order: deep graphs must not overflow the stack.
        let mut stack: Vec<(NodeId, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
        while let Some((id, expanded)) = stack.pop() {
            if expanded {
                order.push(id);
                continue;
            }
            if seen[id.0 as usize] {
                continue;
            }
            seen[id.0 as usize] = true;
            stack.push((id, true));
            for &child in self.inputs(id).iter().rev() {
                if !seen[child.0 as usize] {
                    stack.push((child, false));
                }
            }
        }
        order
    }

    /// For each node (by index), whether it is one of `targets` or depends on one; only the
    /// nodes of `order` (a topological order) are looked at.
    pub fn depends_on(&self, order: &[NodeId], targets: &[NodeId]) -> Vec<bool> {
        let mut depends = vec![false; self.nodes.len()];
        for &t in targets {
            depends[t.0 as usize] = true;
        }
        for &id in order {
            if !depends[id.0 as usize] {
                depends[id.0 as usize] = self.inputs(id).iter().any(|c| depends[c.0 as usize]);
            }
        }
        depends
    }

    // ----- constructors that keep the written structure (used by the parser) -----

    /// `a + b + …` as written: a chain of `+`/`−` at one level becomes one sum.
    pub fn written_sum(&mut self, terms: Vec<NodeId>) -> NodeId {
        match terms.len() {
            0 => self.int(0),
            1 => terms[0],
            _ => self.intern(Op::Add(terms.into())),
        }
    }

    /// `a·b/c…` as written: constant factors fold into one leading coefficient and factors
    /// with negative exponents (divisors) move behind the others, as the printer writes them.
    pub fn written_product(&mut self, factors: Vec<NodeId>) -> NodeId {
        let mut coefficient = Number::ONE;
        let mut numerator = Vec::new();
        let mut denominator = Vec::new();
        for f in factors {
            match self.op(f) {
                Op::Const(c) => coefficient = coefficient.times(*c),
                Op::Pow([_, e]) if self.as_const(*e).is_some_and(Number::is_negative) => denominator.push(f),
                _ => numerator.push(f),
            }
        }
        numerator.extend(denominator);
        self.product_with_coefficient(coefficient, numerator)
    }

    /// Builds `coefficient · factors` with the coefficient first (omitted when 1).
    pub fn product_with_coefficient(&mut self, coefficient: Number, factors: Vec<NodeId>) -> NodeId {
        if coefficient.is_zero() || factors.is_empty() {
            return self.constant(if factors.is_empty() { coefficient } else { Number::ZERO });
        }
        if coefficient.is_one() && factors.len() == 1 {
            return factors[0];
        }
        let mut all = Vec::with_capacity(factors.len() + usize::from(!coefficient.is_one()));
        if !coefficient.is_one() {
            all.push(self.constant(coefficient));
        }
        all.extend(factors);
        self.intern(Op::Mul(all.into()))
    }

    /// `−e` as written: negates a constant or a leading coefficient, else prepends −1. A
    /// product the user put in parentheses (`grouped`) stays one factor: `−(x·y)`.
    pub fn written_neg(&mut self, e: NodeId, grouped: bool) -> NodeId {
        match self.op(e).clone() {
            Op::Const(c) => self.constant(c.negated()),
            Op::Mul(xs) => {
                if grouped {
                    return self.product_with_coefficient(Number::MINUS_ONE, vec![e]);
                }
                let (coefficient, rest) = self.split_coefficient(&xs);
                self.product_with_coefficient(coefficient.negated(), rest)
            }
            _ => self.product_with_coefficient(Number::MINUS_ONE, vec![e]),
        }
    }

    /// `1 / b` as written, as the factors it contributes to a product.
    pub fn written_reciprocal(&mut self, b: NodeId) -> Vec<NodeId> {
        let minus_one = self.int(-1);
        let reciprocal = self.written_power(b, minus_one);
        match self.op(reciprocal) {
            Op::Mul(xs) => xs.to_vec(),
            _ => vec![reciprocal],
        }
    }

    /// `a ^ b` as written; exact constant powers fold, and a reciprocal is written the way the
    /// printer writes it: `(x^k)^(-1)` is `x^(-k)`, `(a·b)^(-1)` is `a^(-1)·b^(-1)`.
    pub fn written_power(&mut self, base: NodeId, exponent: NodeId) -> NodeId {
        if let (Some(b), Some(e)) = (self.as_const(base), self.as_const(exponent))
            && let Some(value) = b.pow_folded(e)
        {
            return self.constant(value);
        }
        if self.as_const(exponent) == Some(Number::MINUS_ONE) {
            match self.op(base).clone() {
                Op::Pow([inner_base, inner_exp]) if self.as_const(inner_exp).is_some() => {
                    let k = self.as_const(inner_exp).expect("checked constant").negated();
                    let e = self.constant(k);
                    return self.intern(Op::Pow([inner_base, e]));
                }
                Op::Mul(factors) => {
                    let reciprocals = factors.iter().map(|&f| self.written_power(f, exponent)).collect();
                    return self.written_product(reciprocals);
                }
                _ => {}
            }
        }
        self.intern(Op::Pow([base, exponent]))
    }

    /// Splits a product's factors into its constant coefficient and the rest.
    /// A product's leading constant (1 when it has none) and its other factors, borrowed.
    pub fn coefficient_and_factors<'f>(&self, factors: &'f [NodeId]) -> (Number, &'f [NodeId]) {
        match factors.split_first() {
            Some((&first, rest)) => match self.as_const(first) {
                Some(c) => (c, rest),
                None => (Number::ONE, factors),
            },
            None => (Number::ONE, factors),
        }
    }

    pub fn split_coefficient(&self, factors: &[NodeId]) -> (Number, Vec<NodeId>) {
        match factors.split_first() {
            Some((&first, rest)) => match self.as_const(first) {
                Some(c) => (c, rest.to_vec()),
                None => (Number::ONE, factors.to_vec()),
            },
            None => (Number::ONE, Vec::new()),
        }
    }

    /// Number of nodes reachable from `roots`.
    pub fn count_reachable(&self, roots: &[NodeId]) -> usize {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = roots.to_vec();
        let mut count = 0;
        while let Some(id) = stack.pop() {
            if !std::mem::replace(&mut seen[id.index()], true) {
                count += 1;
                stack.extend(self.inputs(id).iter().filter(|c| !seen[c.index()]));
            }
        }
        count
    }
}
