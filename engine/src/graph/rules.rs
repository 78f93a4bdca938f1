//! The derivative of every operator, written once.
//!
//! `local_derivatives` is generic over an [`Algebra`]: with the symbolic simplifier it builds
//! derivative expressions (σ′ = σ(1 − σ) as nodes), with numbers it computes the numeric
//! backward pass, the steps and the mistake catalogue. All of them therefore use the same rule
//! and cannot disagree. Its `match` has one arm per operator and no `_` arm; functions have
//! their rules in `func.rs`.

use super::Op;
pub use super::algebra::Algebra;
use super::func::Func;
use super::number::Number;

/// Products up to this many factors take each partial as the product of the others, in
/// order, which is how a hand calculation rounds them (`--digits`).
const SHORT_PRODUCT: usize = 8;

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
        Op::Mul(_) if inputs.len() <= SHORT_PRODUCT => each(&mut |alg, i| {
            let mut acc = alg.int(1);
            for (j, &x) in inputs.iter().enumerate() {
                if j != i {
                    acc = alg.mul(acc, x);
                }
            }
            acc
        }),
        // The same for a long product, as (factors before i)·(factors after i).
        Op::Mul(_) => return long_product_derivatives(alg, inputs, wanted),
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
        Op::Call(f, _) => return function_derivatives(*f, alg, inputs, output, wanted),
        // [u > 0] is piecewise constant
        Op::Step { .. } => each(&mut |alg, _| alg.int(0)),
    }
    result
}

/// ∂(x₀·x₁·…)/∂xᵢ as (x₀⋯xᵢ₋₁)·(xᵢ₊₁⋯): prefix and suffix products are built once, so n
/// factors cost O(n) operations, not O(n²).
fn long_product_derivatives<A: Algebra>(alg: &mut A, inputs: &[A::Value], wanted: &[bool]) -> Vec<Option<A::Value>> {
    let n = inputs.len();
    let mut prefix = Vec::with_capacity(n);
    let mut acc = alg.int(1);
    for &x in inputs {
        prefix.push(acc);
        acc = alg.mul(acc, x);
    }
    let mut suffix = vec![acc; n];
    let mut acc = alg.int(1);
    for i in (0..n).rev() {
        suffix[i] = acc;
        acc = alg.mul(inputs[i], acc);
    }
    (0..n).map(|i| wanted[i].then(|| alg.mul(prefix[i], suffix[i]))).collect()
}

/// ∂f/∂argᵢ for each wanted argument. `output` is f's own value, so that rules can reuse
/// it (σ′ = σ(1 − σ), tanh′ = 1 − tanh², exp′ = exp) and print as textbooks do.
pub fn function_derivatives<A: Algebra>(
    f: Func,
    alg: &mut A,
    args: &[A::Value],
    output: A::Value,
    wanted: &[bool],
) -> Vec<Option<A::Value>> {
    let u = args[0];
    let mut out = vec![None; args.len()];
    if let Func::Max | Func::Min = f {
        // At a tie neither input is the unique extreme and each gets 0, as relu′(0) = 0 in
        // every framework: relu(u), max(0, u) and max(u, 0) agree everywhere.
        let (a, b) = (args[0], args[1]);
        let sign = if f == Func::Max { 1 } else { -1 };
        for (i, (this, other)) in [(a, b), (b, a)].into_iter().enumerate() {
            if wanted[i] {
                let d = alg.sub(this, other);
                let k = alg.int(sign);
                let signed = alg.mul(k, d);
                out[i] = Some(alg.step(signed, true));
            }
        }
        return out;
    }
    if !wanted[0] {
        return out;
    }
    out[0] = Some(match f {
        // σ′(u) = σ(u)(1 − σ(u))
        Func::Sigmoid => {
            let one = alg.int(1);
            let one_minus = alg.sub(one, output);
            alg.mul(output, one_minus)
        }
        // tanh′(u) = 1 − tanh(u)²
        Func::Tanh => {
            let (one, two) = (alg.int(1), alg.int(2));
            let squared = alg.pow(output, two);
            alg.sub(one, squared)
        }
        // relu′(u) = [u > 0]
        Func::Relu => alg.step(u, true),
        // softplus′(u) = σ(u)
        Func::Softplus => alg.call(Func::Sigmoid, &[u]),
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
        Func::Abs => alg.call(Func::Sign, &[u]),
        // sin′ = cos, cos′ = −sin
        Func::Sin => alg.call(Func::Cos, &[u]),
        Func::Cos => {
            let s = alg.call(Func::Sin, &[u]);
            alg.neg(s)
        }
        // sign′(u) = 0 wherever it exists
        Func::Sign => alg.int(0),
        Func::Max | Func::Min => unreachable!("two-argument functions are handled above"),
    });
    out
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
