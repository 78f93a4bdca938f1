//! The derivative of every operator, written once.
//!
//! `local_derivatives` is generic over an [`Algebra`]: with the symbolic simplifier it builds
//! derivative expressions (σ′ = σ(1 − σ) as nodes), with `f64` it computes numbers for the
//! numeric backward pass. Both therefore use the same rule and cannot disagree.

use super::number::Number;
use super::{Func, Op};

/// What a derivative rule needs: numbers, sums, products, powers and the functions.
pub trait Algebra {
    type Value: Copy;
    fn number(&mut self, n: Number) -> Self::Value;
    fn add(&mut self, a: Self::Value, b: Self::Value) -> Self::Value;
    fn mul(&mut self, a: Self::Value, b: Self::Value) -> Self::Value;
    fn pow(&mut self, base: Self::Value, exponent: Self::Value) -> Self::Value;
    fn call(&mut self, f: Func, a: Self::Value) -> Self::Value;
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
    match op {
        Op::Const(_) | Op::Var(_) => {}
        // ∂(a + b + …)/∂a = 1
        Op::Add(_) => {
            for (i, r) in result.iter_mut().enumerate() {
                if wanted[i] {
                    *r = Some(alg.int(1));
                }
            }
        }
        // ∂(a·b·c)/∂a = b·c: the product of the other factors
        Op::Mul(_) => {
            for i in 0..inputs.len() {
                if wanted[i] {
                    let mut acc = alg.int(1);
                    for (j, &x) in inputs.iter().enumerate() {
                        if j != i {
                            acc = alg.mul(acc, x);
                        }
                    }
                    result[i] = Some(acc);
                }
            }
        }
        // ∂(aᵇ)/∂a = b·aᵇ⁻¹;  ∂(aᵇ)/∂b = aᵇ·log(a)
        Op::Pow(_) => {
            let (a, b) = (inputs[0], inputs[1]);
            if wanted[0] {
                let minus_one = alg.int(-1);
                let b_minus_one = alg.add(b, minus_one);
                let p = alg.pow(a, b_minus_one);
                result[0] = Some(alg.mul(b, p));
            }
            if wanted[1] {
                let log_a = alg.call(Func::Log, a);
                result[1] = Some(alg.mul(output, log_a));
            }
        }
        Op::Call(f, _) => {
            let u = inputs[0];
            if wanted[0] {
                result[0] = Some(match f {
                    // σ′(u) = σ(u)(1 − σ(u))
                    Func::Sigmoid => {
                        let one = alg.int(1);
                        let one_minus = alg.sub(one, output);
                        alg.mul(output, one_minus)
                    }
                    // tanh′(u) = 1 − tanh(u)²
                    Func::Tanh => {
                        let one = alg.int(1);
                        let two = alg.int(2);
                        let squared = alg.pow(output, two);
                        alg.sub(one, squared)
                    }
                    // relu′(u) = [u > 0]
                    Func::Relu => alg.step(u, true),
                    // softplus′(u) = σ(u)
                    Func::Softplus => alg.call(Func::Sigmoid, u),
                    // exp′(u) = exp(u)
                    Func::Exp => output,
                    // log′(u) = 1/u
                    Func::Log => {
                        let minus_one = alg.int(-1);
                        alg.pow(u, minus_one)
                    }
                    // sqrt′(u) = 1/(2·sqrt(u))
                    Func::Sqrt => {
                        let half = alg.number(Number::ratio(1, 2));
                        let minus_one = alg.int(-1);
                        let recip = alg.pow(output, minus_one);
                        alg.mul(half, recip)
                    }
                    // |u|′ = sign(u)
                    Func::Abs => alg.call(Func::Sign, u),
                    // sin′ = cos, cos′ = −sin
                    Func::Sin => alg.call(Func::Cos, u),
                    Func::Cos => {
                        let s = alg.call(Func::Sin, u);
                        alg.neg(s)
                    }
                    // sign′(u) = 0 wherever it exists
                    Func::Sign => alg.int(0),
                });
            }
        }
        // ∂max(a, b)/∂a = [a > b];  ∂max(a, b)/∂b = [b ≥ a]  (a tie goes to b)
        Op::Max(_) => {
            let (a, b) = (inputs[0], inputs[1]);
            if wanted[0] {
                let d = alg.sub(a, b);
                result[0] = Some(alg.step(d, true));
            }
            if wanted[1] {
                let d = alg.sub(b, a);
                result[1] = Some(alg.step(d, false));
            }
        }
        // ∂min(a, b)/∂a = [b > a];  ∂min(a, b)/∂b = [a ≥ b]
        Op::Min(_) => {
            let (a, b) = (inputs[0], inputs[1]);
            if wanted[0] {
                let d = alg.sub(b, a);
                result[0] = Some(alg.step(d, true));
            }
            if wanted[1] {
                let d = alg.sub(a, b);
                result[1] = Some(alg.step(d, false));
            }
        }
        // [u > 0] is piecewise constant
        Op::Step { .. } => {
            if wanted[0] {
                result[0] = Some(alg.int(0));
            }
        }
    }
    result
}

/// Numbers as an algebra: the rules evaluated at a point.
pub struct Numbers;

impl Algebra for Numbers {
    type Value = f64;
    fn number(&mut self, n: Number) -> f64 {
        n.to_f64()
    }
    fn add(&mut self, a: f64, b: f64) -> f64 {
        a + b
    }
    fn mul(&mut self, a: f64, b: f64) -> f64 {
        a * b
    }
    fn pow(&mut self, base: f64, exponent: f64) -> f64 {
        power(base, exponent)
    }
    fn call(&mut self, f: Func, a: f64) -> f64 {
        apply(f, a)
    }
    fn step(&mut self, a: f64, strict: bool) -> f64 {
        if a > 0.0 || (!strict && a == 0.0) { 1.0 } else { 0.0 }
    }
}

/// `base^exponent`, exact for integer exponents.
pub fn power(base: f64, exponent: f64) -> f64 {
    if exponent.fract() == 0.0 && exponent.abs() <= i32::MAX as f64 {
        base.powi(exponent as i32)
    } else {
        base.powf(exponent)
    }
}

/// The value of a function at a point (NaN outside its domain; callers check domains first).
pub fn apply(f: Func, u: f64) -> f64 {
    match f {
        Func::Sigmoid => {
            // Two forms, each stable on its side of 0.
            if u >= 0.0 {
                1.0 / (1.0 + (-u).exp())
            } else {
                let e = u.exp();
                e / (1.0 + e)
            }
        }
        Func::Tanh => u.tanh(),
        Func::Relu => u.max(0.0),
        Func::Softplus => {
            if u > 30.0 {
                u + (-u).exp()
            } else {
                u.exp().ln_1p()
            }
        }
        Func::Exp => u.exp(),
        Func::Log => u.ln(),
        Func::Sqrt => u.sqrt(),
        Func::Abs => u.abs(),
        Func::Sin => u.sin(),
        Func::Cos => u.cos(),
        Func::Sign => {
            if u > 0.0 {
                1.0
            } else if u < 0.0 {
                -1.0
            } else {
                0.0
            }
        }
    }
}

/// The name of the rule that gives ∂node/∂(input number `input`), as the steps print it.
/// `divisor` says whether that input is a factor with a negative exponent (a divisor).
pub fn rule_name(op: &Op, input: usize, divisor: bool) -> &'static str {
    match op {
        Op::Const(_) | Op::Var(_) => "a leaf",
        Op::Add(_) => "sum rule",
        Op::Mul(_) if divisor => "quotient rule",
        Op::Mul(_) => "product rule",
        Op::Pow(_) if input == 0 => "power rule: (uⁿ)′ = n·uⁿ⁻¹",
        Op::Pow(_) => "exponential rule: (aᵘ)′ = aᵘ·log(a)",
        Op::Call(f, _) => match f {
            Func::Sigmoid => "σ′ = σ(1 − σ)",
            Func::Tanh => "tanh′ = 1 − tanh²",
            Func::Relu => "relu′(u) = [u > 0]",
            Func::Softplus => "softplus′ = σ",
            Func::Exp => "exp′ = exp",
            Func::Log => "log′(u) = 1/u",
            Func::Sqrt => "sqrt′(u) = 1/(2·sqrt(u))",
            Func::Abs => "abs′ = sign",
            Func::Sin => "sin′ = cos",
            Func::Cos => "cos′ = −sin",
            Func::Sign => "sign′ = 0",
        },
        Op::Max(_) => "max passes the gradient to the larger input",
        Op::Min(_) => "min passes the gradient to the smaller input",
        Op::Step { .. } => "[u > 0] is constant on each side",
    }
}
