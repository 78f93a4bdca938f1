//! Exact constants: rationals where the input is rational, f64 only when an exact value would
//! overflow. `x^3/3` differentiates to `x²` because 3·(1/3) is exactly 1 here.

use num_rational::Ratio;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::fmt;

/// A constant in the graph.
#[derive(Clone, Copy, Debug)]
pub enum Number {
    Exact(Ratio<i64>),
    /// A value that has no exact i64 rational form (very large or very small).
    Float(f64),
}

// Equality and hashing by bit pattern for floats keep hash-consing sound.
impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Number::Exact(a), Number::Exact(b)) => a == b,
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
            Number::Float(f) => (1u8, f.to_bits()).hash(state),
        }
    }
}

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

    /// From an f64 result: exact when it is an integer that fits, otherwise a float.
    fn from_f64(x: f64) -> Number {
        if x.fract() == 0.0 && x.abs() < 1e15 { Number::int(x as i64) } else { Number::Float(x) }
    }

    /// Parses a decimal literal (`3`, `0.25`, `1e-3`) exactly where possible.
    /// Returns `None` when f64 cannot hold it: not finite (too large), or a nonzero literal
    /// that rounds to 0 (too small).
    pub fn parse_decimal(text: &str) -> Option<Number> {
        let value: f64 = text.parse().ok()?;
        let mantissa = text.split(['e', 'E']).next().unwrap_or("");
        if !value.is_finite() || (value == 0.0 && mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b))) {
            return None;
        }
        // Too many digits for an exact rational: the float it rounds to, as an exact rational
        // when its shortest form is one, so that printing and reading back agree.
        let exact = exact_decimal(text).or_else(|| exact_decimal(&format!("{value}")));
        Some(exact.map(Number::Exact).unwrap_or(Number::Float(value)))
    }

    /// The nearest f64, correctly rounded: `-0.9099999999999999` is the f64 its text reads as
    /// (numerator and denominator beyond 2⁵³ would round twice if divided as floats).
    pub fn to_f64(self) -> f64 {
        match self {
            Number::Exact(r) => ratio_to_f64(*r.numer(), *r.denom()),
            Number::Float(f) => f,
        }
    }

    pub fn is_zero(self) -> bool {
        match self {
            Number::Exact(r) => r.is_zero(),
            Number::Float(f) => f == 0.0,
        }
    }

    pub fn is_one(self) -> bool {
        matches!(self, Number::Exact(r) if r.is_one())
    }

    pub fn is_negative(self) -> bool {
        match self {
            Number::Exact(r) => r.is_negative(),
            Number::Float(f) => f < 0.0,
        }
    }

    /// The integer value, when this is an exact integer.
    pub fn as_integer(self) -> Option<i64> {
        match self {
            Number::Exact(r) if r.is_integer() => Some(*r.numer()),
            _ => None,
        }
    }

    pub fn as_ratio(self) -> Option<Ratio<i64>> {
        match self {
            Number::Exact(r) => Some(r),
            Number::Float(_) => None,
        }
    }

    pub fn plus(self, other: Number) -> Number {
        if let (Number::Exact(a), Number::Exact(b)) = (self, other)
            && let Some(r) = checked_add(a, b)
        {
            return Number::Exact(r);
        }
        Number::from_f64(self.to_f64() + other.to_f64())
    }

    pub fn times(self, other: Number) -> Number {
        if let (Number::Exact(a), Number::Exact(b)) = (self, other)
            && let Some(r) = checked_mul(a, b)
        {
            return Number::Exact(r);
        }
        Number::from_f64(self.to_f64() * other.to_f64())
    }

    pub fn negated(self) -> Number {
        match self {
            Number::Exact(r) if *r.numer() != i64::MIN => Number::Exact(-r),
            other => Number::Float(-other.to_f64()),
        }
    }

    /// `self^exponent` for an integer exponent: exact when it can be, else a finite float;
    /// `None` for 0 to a negative power, a non-integer exponent, or an overflow.
    pub fn pow_folded(self, exponent: Number) -> Option<Number> {
        if let Some(exact) = self.pow_exact(exponent) {
            return Some(exact);
        }
        let e = exponent.as_integer()?;
        if self.is_zero() && e < 0 {
            return None;
        }
        let value = crate::math::powi(self.to_f64(), i32::try_from(e).ok()?);
        (value.is_finite() && value != 0.0).then_some(Number::Float(value))
    }

    /// `self^exponent` when the result is exact (integer exponent, no overflow, no 0⁻¹).
    pub fn pow_exact(self, exponent: Number) -> Option<Number> {
        let base = self.as_ratio()?;
        let e = exponent.as_integer()?;
        if base.is_zero() && e < 0 {
            return None;
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
        Some(Number::Exact(acc))
    }
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

/// `12.5e-3` → 125/10000, when numerator and denominator fit in i64.
fn exact_decimal(text: &str) -> Option<Ratio<i64>> {
    let lower = text.to_ascii_lowercase();
    let (mantissa, exponent) = match lower.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (lower.as_str(), 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    let numer: i64 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
    let scale = exponent - frac_part.len() as i32;
    let ten_pow = |k: u32| 10i64.checked_pow(k);
    if scale >= 0 {
        Some(Ratio::from_integer(numer.checked_mul(ten_pow(scale as u32)?)?))
    } else {
        Some(Ratio::new(numer, ten_pow(scale.unsigned_abs())?))
    }
}

impl Number {
    /// The form people read (a typographic leading minus, `−2/3`, `−1e-20`), for pictures and messages; the
    /// `Display` form stays ASCII so that it parses back.
    pub fn text(&self) -> String {
        let ascii = self.to_string();
        match ascii.strip_prefix('-') {
            Some(magnitude) => format!("−{magnitude}"),
            None => ascii,
        }
    }
}

impl fmt::Display for Number {
    /// Plain ASCII form that the parser reads back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Exact(r) if r.is_integer() => write!(f, "{}", r.numer()),
            Number::Exact(r) => match finite_decimal(*r) {
                Some(text) => write!(f, "{text}"),
                None => write!(f, "{}/{}", r.numer(), r.denom()),
            },
            Number::Float(x) => write!(f, "{}", format_float(*x)),
        }
    }
}

/// p/q correctly rounded. Both exact in f64: one IEEE division rounds once. A power-of-ten
/// denominator: the decimal's own text, read by the correctly rounding parser. Otherwise the
/// quotient is written out to 40 significant digits first, which rounds as the exact value does.
fn ratio_to_f64(p: i64, q: i64) -> f64 {
    const EXACT: i64 = 1 << 53;
    if p.abs() <= EXACT && q <= EXACT {
        return p as f64 / q as f64;
    }
    let mut text = format!("{}", p.unsigned_abs() / q as u64);
    let mut rest = p.unsigned_abs() % q as u64;
    let mut exponent = 0i32;
    let mut digits = text.trim_start_matches('0').len();
    while rest != 0 && digits < 40 {
        let r = rest as u128 * 10;
        text.push(char::from_digit((r / q as u128) as u32, 10).expect("a digit"));
        rest = (r % q as u128) as u64;
        exponent -= 1;
        digits = text.trim_start_matches('0').len();
    }
    if rest != 0 {
        text.push('1'); // a sticky digit: the value is above what was written
        exponent -= 1;
    }
    let magnitude: f64 = format!("{text}e{exponent}").parse().unwrap_or(f64::NAN);
    if p < 0 { -magnitude } else { magnitude }
}

/// `3/20` → "0.15": rationals whose denominator is 2^a·5^b print as short decimals, as a
/// student writes them (`0.3`, not `3/10`), except small denominators that are not tenths
/// (1/2, 1/4, 1/5), which read better as fractions.
pub fn finite_decimal(r: Ratio<i64>) -> Option<String> {
    let mut d = *r.denom();
    if d <= 12 && d != 10 {
        return None;
    }
    let mut places = 0u32;
    while d % 10 == 0 || d % 2 == 0 || d % 5 == 0 {
        if d % 10 == 0 {
            d /= 10;
        } else if d % 2 == 0 {
            d /= 2;
        } else {
            d /= 5;
        }
        places += 1;
        if places > 12 {
            return None;
        }
    }
    if d != 1 {
        return None;
    }
    let value = r.to_f64()?;
    let text = format!("{:.*}", places as usize, value);
    let text = text.trim_end_matches('0').to_string();
    // Only when the decimal text reads back to exactly this ratio.
    (exact_decimal(&text) == Some(r)).then_some(text)
}

/// Shortest round-trip form of a float, with an exponent for very large or small values.
pub fn format_float(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-5) { format!("{x:e}") } else { format!("{x}") }
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
        assert!(matches!(Number::parse_decimal("1e30"), Some(Number::Float(_))));
        // More digits than an i64 holds: the float's shortest form, exactly.
        assert_eq!(Number::parse_decimal(".2222222222222222221"), Number::parse_decimal("0.2222222222222222"));
    }

    #[test]
    fn arithmetic_is_exact_until_overflow() {
        let third = Number::ratio(1, 3);
        assert_eq!(third.times(Number::int(3)), Number::ONE);
        assert_eq!(Number::int(2).pow_exact(Number::int(-2)), Some(Number::ratio(1, 4)));
        assert_eq!(Number::int(10).pow_exact(Number::int(30)), None);
        assert!(matches!(Number::int(i64::MAX).plus(Number::ONE), Number::Float(_)));
    }

    #[test]
    fn display_is_exact() {
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
