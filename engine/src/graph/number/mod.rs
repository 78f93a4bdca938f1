//! Exact constants: rationals where the input is rational, with a power-of-ten exponent of their
//! own when an i64 rational cannot hold them (`1e-200·1e-200·1e300·1e300` folds to exactly
//! `1e200`, never to 0 or ∞). `x^3/3` differentiates to `x²` because 3·(1/3) is exactly 1 here.
//! A fold whose exact result has more digits than an i64 holds is rounded to the 17 significant
//! digits of an f64, keeping its exponent.

mod decimal;

pub use decimal::finite_decimal;
use decimal::{approximate, decimal_parts, exact, ratio_to_f64, renormalised, split_decimal};
use num_rational::Ratio;
use num_traits::{One, Signed, Zero};

/// A constant in the graph. Each value folds into one form, so that equal constants are equal
/// nodes.
#[derive(Clone, Copy, Debug)]
pub enum Number {
    /// A rational whose numerator and denominator fit in i64.
    Exact(Ratio<i64>),
    /// `m·10^k` exactly, for a value no i64 rational holds (`1e30`, `1e-200`, or `1e400` on the
    /// way to a fold): `m` is not a multiple of 10.
    Scaled(i64, i64),
    /// A value known only as an f64 (π, a learning rate), placed in a graph by the engine; a
    /// fold with it is exact in its shortest decimal form.
    Float(f64),
}

// Equality and hashing by bit pattern for floats keep hash-consing sound.
impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Number::Exact(a), Number::Exact(b)) => a == b,
            (Number::Scaled(m, k), Number::Scaled(n, j)) => (m, k) == (n, j),
            (Number::Float(a), Number::Float(b)) => a.to_bits() == b.to_bits(),
            _ => false,
        }
    }
}
impl Eq for Number {}
impl std::hash::Hash for Number {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Number::Exact(r) => (0u8, *r.numer(), *r.denom()).hash(state),
            Number::Scaled(m, k) => (1u8, *m, *k).hash(state),
            Number::Float(f) => (2u8, f.to_bits()).hash(state),
        }
    }
}

/// The largest decimal exponent a folded constant may have: far beyond f64 (whose values end
/// near 1e±308), and small enough that sums of exponents never overflow.
const MAX_EXPONENT: i64 = 1_000_000_000;

impl Number {
    pub const ZERO: Number = Number::Exact(Ratio::new_raw(0, 1));
    pub const ONE: Number = Number::Exact(Ratio::new_raw(1, 1));
    pub const MINUS_ONE: Number = Number::Exact(Ratio::new_raw(-1, 1));

    pub fn int(n: i64) -> Number {
        Number::Exact(Ratio::from_integer(n))
    }

    pub fn ratio(n: i64, d: i64) -> Number {
        Number::Exact(Ratio::new(n, d))
    }

    /// Parses a decimal literal (`3`, `0.25`, `1e-3`, `1e-200`) exactly.
    /// Returns `None` when f64 cannot hold it: not finite (too large), or a nonzero literal
    /// that rounds to 0 (too small).
    pub fn parse_decimal(text: &str) -> Option<Number> {
        let value: f64 = text.parse().ok()?;
        let mantissa = text.split(['e', 'E']).next().unwrap_or("");
        if !value.is_finite() || (value == 0.0 && mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b))) {
            return None;
        }
        // More digits than an f64 holds: the float it rounds to, by its shortest form, so that
        // printing and reading back agree.
        let digits = |(n, _): &(i64, i64)| n.unsigned_abs().to_string().len() <= 17;
        let parts = decimal_parts(text).filter(digits).or_else(|| decimal_parts(&format!("{value:e}")))?;
        exact(Ratio::from(parts.0), parts.1)
    }

    /// The nearest f64, correctly rounded: `-0.9099999999999999` is the f64 its text reads as
    /// (numerator and denominator beyond 2⁵³ would round twice if divided as floats).
    pub fn to_f64(self) -> f64 {
        match self {
            Number::Exact(r) => ratio_to_f64(*r.numer(), *r.denom()),
            // Read from its decimal form: correctly rounded, and ±∞ or 0 beyond f64's range.
            Number::Scaled(m, k) => format!("{m}e{k}").parse().unwrap_or(f64::NAN),
            Number::Float(x) => x,
        }
    }

    pub fn is_zero(self) -> bool {
        match self {
            Number::Exact(r) => r.is_zero(),
            Number::Scaled(..) => false,
            Number::Float(x) => x == 0.0,
        }
    }

    pub fn is_one(self) -> bool {
        matches!(self, Number::Exact(r) if r.is_one())
    }

    pub fn is_negative(self) -> bool {
        match self {
            Number::Exact(r) => r.is_negative(),
            Number::Scaled(m, _) => m < 0,
            Number::Float(x) => x < 0.0,
        }
    }

    /// The integer value, when this is an exact integer that fits in i64.
    pub fn as_integer(self) -> Option<i64> {
        match self {
            Number::Exact(r) if r.is_integer() => Some(*r.numer()),
            _ => None,
        }
    }

    /// The value as an i64 rational, when it is one.
    pub fn as_ratio(self) -> Option<Ratio<i64>> {
        match self {
            Number::Exact(r) => Some(r),
            Number::Scaled(..) | Number::Float(_) => None,
        }
    }

    /// The value as `r·10^k`, with the factors of 10 taken out of `r`.
    fn parts(self) -> (Ratio<i64>, i64) {
        match self {
            Number::Exact(r) if r.is_zero() => (r, 0),
            Number::Exact(r) => {
                let (mut n, mut d, mut k) = (*r.numer(), *r.denom(), 0);
                while n % 10 == 0 {
                    n /= 10;
                    k += 1;
                }
                while d % 10 == 0 {
                    d /= 10;
                    k -= 1;
                }
                (Ratio::new(n, d), k)
            }
            Number::Scaled(m, k) => (Ratio::from(m), k),
            // Its shortest decimal form (at most 17 digits), exactly.
            Number::Float(x) if x.is_finite() && x != 0.0 => {
                let (m, k) = decimal_parts(&format!("{x:e}")).expect("an f64's shortest form has at most 17 digits");
                (Ratio::from(m), k)
            }
            Number::Float(_) => (Ratio::zero(), 0),
        }
    }

    pub fn plus(self, other: Number) -> Number {
        let ((a, ka), (b, kb)) = (self.parts(), other.parts());
        if a.is_zero() {
            return other;
        }
        if b.is_zero() {
            return self;
        }
        // Align on the smaller exponent: the other term gains zeros.
        let ((low, k), (high, kh)) = if ka <= kb { ((a, ka), (b, kb)) } else { ((b, kb), (a, ka)) };
        let shifted = u32::try_from(kh - k)
            .ok()
            .and_then(|s| 10i64.checked_pow(s))
            .and_then(|p| checked_mul(high, Ratio::from(p)));
        if let Some(sum) = shifted.and_then(|h| checked_add(low, h)).and_then(|s| exact(s, k)) {
            return sum;
        }
        let low_f = ratio_f64(low) * crate::math::powi(10.0, (k - kh).max(-400) as i32);
        approximate(low_f + ratio_f64(high), kh)
    }

    pub fn times(self, other: Number) -> Number {
        // The common cases, without the four gcds of the general one: a chain's coefficients
        // are mostly 1, and the rest small integers. (The general path gives the same: every
        // `Exact` is already in lowest terms.)
        if let (Number::Exact(a), Number::Exact(b)) = (self, other) {
            if a.is_one() {
                return other;
            }
            if b.is_one() {
                return self;
            }
            if a.is_integer()
                && b.is_integer()
                && let Some(n) = a.numer().checked_mul(*b.numer())
            {
                return Number::int(n);
            }
        }
        let ((a, ka), (b, kb)) = (self.parts(), other.parts());
        if a.is_zero() || b.is_zero() {
            return Number::ZERO;
        }
        let k = ka.saturating_add(kb);
        match checked_mul(a, b).and_then(|r| exact(r, k)) {
            Some(product) => product,
            None => approximate(ratio_f64(a) * ratio_f64(b), k),
        }
    }

    pub fn negated(self) -> Number {
        match self {
            Number::Exact(r) if *r.numer() != i64::MIN => Number::Exact(-r),
            Number::Scaled(m, k) if m != i64::MIN => Number::Scaled(-m, k),
            Number::Float(x) => Number::Float(-x),
            other => {
                let (r, k) = other.parts();
                approximate(-ratio_f64(r), k)
            }
        }
    }

    /// `self^exponent` for an integer exponent: exact when it can be, else rounded to an f64's
    /// digits (with an exponent of its own); `None` for 0 to a negative power, a non-integer
    /// exponent, or a result beyond 10^±1e9.
    pub fn pow_folded(self, exponent: Number) -> Option<Number> {
        if let Some(exact) = self.pow_exact(exponent) {
            return Some(exact);
        }
        let e = exponent.as_integer()?;
        if self.is_zero() {
            return (e > 0).then_some(Number::ZERO);
        }
        // (m·10^k)^e with m in [1, 10) by repeated squaring, keeping the mantissa in range.
        let (r, k) = self.parts();
        let (mut m, mut scale) = split_decimal(ratio_f64(r));
        scale += k;
        let (mut result, mut result_scale) = (1.0f64, 0i64);
        let mut n = e.unsigned_abs();
        while n > 0 {
            if n & 1 == 1 {
                (result, result_scale) = renormalised(result * m, result_scale.checked_add(scale)?);
            }
            (m, scale) = renormalised(m * m, scale.checked_mul(2).filter(|s| s.abs() <= 4 * MAX_EXPONENT)?);
            n >>= 1;
        }
        if e < 0 {
            (result, result_scale) = renormalised(1.0 / result, -result_scale);
        }
        (result_scale.abs() <= MAX_EXPONENT).then(|| approximate(result, result_scale))
    }

    /// `self^exponent` when the result is exact (integer exponent, no overflow, no 0⁻¹).
    pub fn pow_exact(self, exponent: Number) -> Option<Number> {
        let e = exponent.as_integer()?;
        let (base, k) = self.parts();
        if base.is_zero() {
            return match e {
                0 => Some(Number::ONE),
                e if e > 0 => Some(Number::ZERO),
                _ => None,
            };
        }
        let magnitude = u32::try_from(e.unsigned_abs()).ok().filter(|m| *m <= 64)?;
        let mut acc = Ratio::one();
        for _ in 0..magnitude {
            acc = checked_mul(acc, base)?;
        }
        if e < 0 {
            if *acc.numer() == i64::MIN {
                return None;
            }
            acc = acc.recip();
        }
        let scale = k.checked_mul(e).filter(|s| s.abs() <= MAX_EXPONENT)?;
        exact(acc, scale)
    }
}

fn ratio_f64(r: Ratio<i64>) -> f64 {
    *r.numer() as f64 / *r.denom() as f64
}

fn checked_add(a: Ratio<i64>, b: Ratio<i64>) -> Option<Ratio<i64>> {
    let lcm = num_integer::Integer::lcm(a.denom(), b.denom());
    let an = a.numer().checked_mul(lcm / a.denom())?;
    let bn = b.numer().checked_mul(lcm / b.denom())?;
    Some(Ratio::new(an.checked_add(bn)?, lcm))
}

fn checked_mul(a: Ratio<i64>, b: Ratio<i64>) -> Option<Ratio<i64>> {
    let g1 = num_integer::Integer::gcd(a.numer(), b.denom()).max(1);
    let g2 = num_integer::Integer::gcd(b.numer(), a.denom()).max(1);
    let n = (a.numer() / g1).checked_mul(b.numer() / g2)?;
    let d = (a.denom() / g2).checked_mul(b.denom() / g1)?;
    Some(Ratio::new(n, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(Number::parse_decimal("0.25"), Some(Number::ratio(1, 4)));
        assert_eq!(Number::parse_decimal("1e-3"), Some(Number::ratio(1, 1000)));
        assert_eq!(Number::parse_decimal("12.5E2"), Some(Number::int(1250)));
        assert_eq!(Number::parse_decimal("1e400"), None);
        assert_eq!(Number::parse_decimal("1e30"), Some(Number::Scaled(1, 30)));
        assert_eq!(Number::parse_decimal("-1.50e-300"), Some(Number::Scaled(-15, -301)));
        assert_eq!(Number::parse_decimal("100000000000000000000e-2"), Some(Number::int(10i64.pow(18))));
        // More digits than an i64 holds: the float's shortest form, exactly.
        assert_eq!(Number::parse_decimal(".2222222222222222221"), Number::parse_decimal("0.2222222222222222"));
    }

    #[test]
    fn arithmetic_is_exact_until_overflow() {
        let third = Number::ratio(1, 3);
        assert_eq!(third.times(Number::int(3)), Number::ONE);
        assert_eq!(Number::int(2).pow_exact(Number::int(-2)), Some(Number::ratio(1, 4)));
        assert_eq!(Number::int(10).pow_exact(Number::int(30)), Some(Number::Scaled(1, 30)));
        assert_eq!(Number::int(3).pow_exact(Number::int(60)), None);
        // Past an i64's digits: the sum rounded to an f64's, not wrapped.
        let big = Number::int(i64::MAX).plus(Number::ONE);
        assert_eq!(big.to_f64(), 9_223_372_036_854_775_808.0); // 2^63
    }

    #[test]
    fn folds_keep_their_exponent() {
        let n = |t: &str| Number::parse_decimal(t).unwrap();
        // Never 0 or ∞ on the way: 1e-200·1e-200·1e300·1e300 is exactly 1e200.
        let product = n("1e-200").times(n("1e-200")).times(n("1e300")).times(n("1e300"));
        assert_eq!(product, n("1e200"));
        assert_eq!(product.to_string(), "1e200");
        let quotient = n("1e200").times(n("1e200")).times(n("1e300").pow_folded(Number::MINUS_ONE).unwrap());
        assert_eq!(quotient, n("1e100"));
        // Exact where the digits fit, the same value in the one form: 1e18 is an i64.
        assert_eq!(n("1e20").times(n("1e-2")), Number::int(10i64.pow(18)));
        assert_eq!(n("2.5e-320").times(Number::int(4)), n("1e-319"));
        // Sums align exponents exactly, or round to 17 digits keeping the larger exponent.
        assert_eq!(n("1e30").plus(n("2e30")), n("3e30"));
        assert_eq!(n("1e300").plus(Number::ONE).to_f64(), 1e300);
        assert_eq!(n("1e300").plus(n("-1e300")), Number::ZERO);
        // A third of 1e300 has no exact decimal form: 17 digits, exponent kept.
        let third = Number::ratio(1, 3).times(n("1e300"));
        assert!((third.to_f64() / (1e300 / 3.0) - 1.0).abs() < 1e-15, "{third}");
        assert!(!third.is_negative() && !third.is_zero());
        // Powers far past f64 keep their exponent; reading them as f64 says ∞ or 0.
        assert_eq!(n("1e200").pow_folded(Number::int(2)), Some(n("1e100").times(n("1e300"))));
        assert_eq!(n("1e-200").pow_folded(Number::int(2)).map(Number::to_f64), Some(0.0));
        assert_eq!(
            Number::ratio(1, 3).pow_folded(Number::int(400)).map(|p| p.to_string().ends_with("e-191")),
            Some(true)
        );
    }

    #[test]
    fn display_is_exact() {
        assert_eq!(Number::Scaled(-15, -301).to_string(), "-1.5e-300");
        assert_eq!(Number::parse_decimal(&Number::Scaled(-15, -301).to_string()), Some(Number::Scaled(-15, -301)));
        assert_eq!(Number::ratio(3, 20).to_string(), "0.15");
        assert_eq!(Number::parse_decimal("0.15"), Some(Number::ratio(3, 20)));
        assert_eq!(Number::ratio(-7, 2).to_string(), "-7/2");
        assert_eq!(Number::int(5).to_string(), "5");
        assert_eq!(Number::ratio(1, 4).to_string(), "1/4");
    }
}

#[cfg(test)]
mod rounding {
    use super::Number;

    #[test]
    fn decimals_read_as_the_f64_their_text_names() {
        for text in ["-0.9099999999999999", "0.1", "123456789.123456789", "9007199254740993", "0.30000000000000004"] {
            let n = Number::parse_decimal(text).unwrap();
            assert_eq!(n.to_f64(), text.parse::<f64>().unwrap(), "{text}");
        }
        assert_eq!(Number::ratio(1, 3).to_f64(), 1.0 / 3.0);
    }
}
