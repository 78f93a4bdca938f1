//! Simplifying constructors: every derivative node is built through these, so derivatives are
//! simplified as they are formed instead of by a rewrite pass afterwards. Each constructor
//! applies its table of named rules (`SUM_RULES`, `POWER_RULES`, `CALL_RULES`; products fold
//! and collect as they flatten); `RULES` lists them all with an example each, and every
//! example is a test.
//!
//! Products keep the order their caller gives (the chain-rule order, see `diff`); only the
//! coefficient moves to the front and divisors to the back. Named intermediates are opaque:
//! no rule looks inside one.

mod product;
mod sum;

use crate::graph::number::Number;
use crate::graph::rules::Algebra;
use crate::graph::{Func, Graph, NodeId, Op};

pub use product::{CALL_RULES, POWER_RULES};
pub use sum::SUM_RULES;

/// A named rule, with an expression it simplifies and the result, as printed.
pub struct Rule {
    pub name: &'static str,
    pub example: &'static str,
    pub result: &'static str,
}

/// Every rule of the simplifier, by name.
pub const RULES: [Rule; 14] = [
    Rule { name: "constant folding", example: "2*3*x + 3*(1/3)*y", result: "6·x + y" },
    Rule { name: "zero and one", example: "(x + 0)*1 + 0*y + x^1 + z^0", result: "2·x + 1" },
    Rule { name: "like terms", example: "2*x*y + y*x", result: "3·x·y" },
    Rule { name: "powers collected", example: "x*x^2*sigmoid(u)/sigmoid(u)", result: "x³" },
    Rule { name: "power of a power", example: "(x^2)^3", result: "x⁶" },
    Rule { name: "power of a product", example: "(2*x)^2", result: "4·x²" },
    Rule { name: "sqrt squared", example: "sqrt(u)^2", result: "u" },
    Rule { name: "exact function values", example: "sigmoid(0)*x + log(1) + max(2, 3)", result: "x/2 + 3" },
    Rule { name: "inverse functions", example: "log(exp(u)) + exp(log(v))", result: "u + v" },
    Rule { name: "sin² + cos²", example: "3*sin(u)^2 + 3*cos(u)^2", result: "3" },
    Rule { name: "log-odds", example: "log(sigmoid(z)) - log(1 - sigmoid(z))", result: "z" },
    Rule { name: "Iverson bracket of a constant", example: "[2 > 0] + [0 > 0]", result: "1" },
    Rule { name: "canonical order", example: "a - c + 1 + b*2 + a", result: "2·a + 2·b + 1 − c" },
    Rule { name: "names are opaque", example: "q = x*y; f = q*x*x/q", result: "x²" },
];

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

    /// A node built again through the simplifying constructors (inputs first), so that an
    /// expression as written comes out in simplified form. Named intermediates stay as they are.
    pub fn resimplify(&mut self, e: NodeId) -> NodeId {
        let order = self.graph.topological_order(&[e]);
        let mut built: Vec<Option<NodeId>> = vec![None; self.graph.len()];
        for id in order {
            let op = self.graph.op(id).clone();
            let inputs: Vec<NodeId> = op.inputs().iter().map(|i| built[i.index()].expect("inputs first")).collect();
            let node = match op {
                Op::Const(_) | Op::Var(_) | Op::Let(..) => id,
                Op::Add(_) => self.sum(inputs),
                Op::Mul(_) => self.product(inputs),
                Op::Pow(_) => self.power(inputs[0], inputs[1]),
                Op::Call(f, _) => self.call(f, &inputs),
                Op::Step { strict, .. } => self.step(inputs[0], strict),
            };
            built.resize(self.graph.len(), None);
            built[id.index()] = Some(node);
        }
        built[e.index()].expect("the root is built")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::build::Function;
    use crate::print::Printer;

    /// The expression as written, simplified, as printed (the output's definition, so a named
    /// output shows what it is).
    fn simplified(text: &str) -> String {
        let mut f = Function::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let e = f.graph.definition(f.output);
        let node = Simplifier::new(&mut f.graph).resimplify(e);
        Printer::new(&f.graph).text(node)
    }

    fn rule(name: &str) {
        let r = RULES.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no rule `{name}`"));
        assert_eq!(simplified(r.example), r.result, "rule `{name}`");
    }

    #[test]
    fn constant_folding() {
        rule("constant folding");
    }
    #[test]
    fn zero_and_one() {
        rule("zero and one");
    }
    #[test]
    fn like_terms() {
        rule("like terms");
    }
    #[test]
    fn powers_collected() {
        rule("powers collected");
    }
    #[test]
    fn power_of_a_power() {
        rule("power of a power");
    }
    #[test]
    fn power_of_a_product() {
        rule("power of a product");
    }
    #[test]
    fn sqrt_squared() {
        rule("sqrt squared");
    }
    #[test]
    fn exact_function_values() {
        rule("exact function values");
    }
    #[test]
    fn inverse_functions() {
        rule("inverse functions");
    }
    #[test]
    fn sin_squared_plus_cos_squared() {
        rule("sin² + cos²");
    }
    #[test]
    fn log_odds() {
        rule("log-odds");
    }
    #[test]
    fn iverson_bracket_of_a_constant() {
        rule("Iverson bracket of a constant");
    }
    #[test]
    fn canonical_order() {
        rule("canonical order");
    }
    #[test]
    fn names_are_opaque() {
        rule("names are opaque");
    }

    #[test]
    fn every_rule_of_the_constructors_is_listed() {
        let listed: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        for name in
            SUM_RULES.iter().map(|r| r.0).chain(POWER_RULES.iter().map(|r| r.0)).chain(CALL_RULES.iter().map(|r| r.0))
        {
            assert!(listed.contains(&name), "`{name}` is applied but not listed in RULES");
        }
    }
}
