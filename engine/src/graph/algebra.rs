//! What a derivative rule computes with: numbers, sums, products, powers and the functions.
//! The symbolic simplifier (values are nodes) and plain numbers (values are f64) implement it,
//! so one rule serves both.

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
