//! The derivative of every operator, written once.
//!
//! `local_derivatives` is generic over an [`Algebra`]: with the symbolic simplifier it builds
//! derivative expressions (σ′ = σ(1 − σ) as nodes), with numbers it computes the numeric
//! backward pass, the steps and the mistake catalogue. All of them therefore use the same rule
//! and cannot disagree. Its `match` has one arm per operator and no `_` arm; functions have
//! their rules in `func.rs`.

use super::Op;
use super::func::Func;
use super::number::Number;

/// What a derivative rule needs: numbers, sums, products, powers and the functions.
pub trait Algebra {
    type Value: Copy;
    fn number(&mut self, n: Number) -> Self::Value;
    fn add(&mut self, a: Self::Value, b: Self::Value) -> Self::Value;
    fn mul(&mut self, a: Self::Value, b: Self::Value) -> Self::Value;
    fn pow(&mut self, base: Self::Value, exponent: Self::Value) -> Self::Value;
    fn call(&mut self, f: Func, args: &[Self::Value]) -> Self::Value;
    /// The Iverson bracket `[a > 0]` (strict) or `[a ≥ 0]`.
    fn step(&mut self, a: Self::Value, strict: bool) -> Self::Value;

    fn int(&mut self, n: i64) -> Self::Value {
        self.number(Number::int(n))
    }
    fn neg(&mut self, a: Self::Value) -> Self::Value {
        let minus_one = self.int(-1);
        self.mul(minus_one, a)
    }
    fn sub(&mut self, a: Self::Value, b: Self::Value) -> Self::Value {
        let minus_b = self.neg(b);
        self.add(a, minus_b)
    }
}

/// ∂node/∂input for each input of `op` (in `op.inputs()` order) for which `wanted` is true.
///
/// `inputs` are the inputs' values and `output` the node's own value in the algebra, so that
/// rules can reuse the output (σ′ = σ(1 − σ), tanh′ = 1 − tanh², exp′ = exp).
pub fn local_derivatives<A: Algebra>(
    alg: &mut A,
    op: &Op,
    inputs: &[A::Value],
    output: A::Value,
    wanted: &[bool],
) -> Vec<Option<A::Value>> {
    let mut result = vec![None; inputs.len()];
    let mut each = |f: &mut dyn FnMut(&mut A, usize) -> A::Value| {
        for (i, r) in result.iter_mut().enumerate() {
            if wanted[i] {
                *r = Some(f(alg, i));
            }
        }
    };
    match op {
        Op::Const(_) | Op::Var(_) => {}
        // A named intermediate is its definition: ∂z/∂(definition of z) = 1
        Op::Let(..) => each(&mut |alg, _| alg.int(1)),
        // ∂(a + b + …)/∂a = 1
        Op::Add(_) => each(&mut |alg, _| alg.int(1)),
        // ∂(a·b·c)/∂a = b·c: the product of the other factors
        Op::Mul(_) => each(&mut |alg, i| {
            let mut acc = alg.int(1);
            for (j, &x) in inputs.iter().enumerate() {
                if j != i {
                    acc = alg.mul(acc, x);
                }
            }
            acc
        }),
        // ∂(aᵇ)/∂a = b·aᵇ⁻¹;  ∂(aᵇ)/∂b = aᵇ·log(a)
        Op::Pow(_) => each(&mut |alg, i| {
            let (a, b) = (inputs[0], inputs[1]);
            if i == 0 {
                let minus_one = alg.int(-1);
                let b_minus_one = alg.add(b, minus_one);
                let p = alg.pow(a, b_minus_one);
                alg.mul(b, p)
            } else {
                let log_a = alg.call(Func::Log, &[a]);
                alg.mul(output, log_a)
            }
        }),
        Op::Call(f, _) => return f.derivatives(alg, inputs, output, wanted),
        // [u > 0] is piecewise constant
        Op::Step { .. } => each(&mut |alg, _| alg.int(0)),
    }
    result
}

/// The name of the rule that gives ∂node/∂(input number `input`), as the steps print it.
/// `divisor` says whether that input is a factor with a negative exponent (a divisor).
pub fn rule_name(op: &Op, input: usize, divisor: bool) -> &'static str {
    match op {
        Op::Const(_) | Op::Var(_) => "a leaf",
        Op::Let(..) => "a named intermediate is its definition",
        Op::Add(_) => "sum rule",
        Op::Mul(_) if divisor => "quotient rule",
        Op::Mul(_) => "product rule",
        Op::Pow(_) if input == 0 => "power rule: (uⁿ)′ = n·uⁿ⁻¹",
        Op::Pow(_) => "exponential rule: (aᵘ)′ = aᵘ·log(a)",
        Op::Call(f, _) => f.info().rule,
        Op::Step { .. } => "[u > 0] is constant on each side",
    }
}
