//! Constants as decimals: a literal's digits and exponent, the one exact form of a value
//! (`Exact`, or `m·10^k` with an exponent of its own), the rounding to an f64's 17 digits when
//! the digits do not fit, and the printed forms, which read back to the same constant.

use super::{MAX_EXPONENT, Number};
use num_rational::Ratio;
use num_traits::{ToPrimitive, Zero};
use std::fmt;

/// The exact value `r·10^k` in its one form, or `None` when neither form holds it (a
/// denominator with a prime other than 2 and 5, or too many digits).
pub(super) fn exact(r: Ratio<i64>, k: i64) -> Option<Number> {
    if r.is_zero() {
        return Some(Number::ZERO);
    }
    if k.abs() > MAX_EXPONENT {
        return None;
    }
    // An i64 rational when one holds the value (computed in i128, where 10^38 still fits).
    if k.abs() <= 38 {
        let ten = 10i128.pow(k.unsigned_abs() as u32);
        let (mut n, mut d) = (*r.numer() as i128, *r.denom() as i128);
        if k >= 0 {
            n *= ten;
        } else {
            d *= ten;
        }
        let g = num_integer::Integer::gcd(&n, &d);
        let (n, d) = (n / g, d / g);
        if let (Ok(n), Ok(d)) = (i64::try_from(n), i64::try_from(d)) {
            return Some(Number::Exact(Ratio::new(n, d)));
        }
    }
    // Else m·10^k: a denominator 2^a·5^b becomes a power of ten by scaling the numerator.
    let mut d = *r.denom();
    let (mut twos, mut fives) = (0u32, 0u32);
    while d % 2 == 0 {
        d /= 2;
        twos += 1;
    }
    while d % 5 == 0 {
        d /= 5;
        fives += 1;
    }
    if d != 1 {
        return None;
    }
    let places = twos.max(fives);
    let factor = 2i64.checked_pow(places - twos)?.checked_mul(5i64.checked_pow(places - fives)?)?;
    let mut m = r.numer().checked_mul(factor)?;
    let mut k = k - i64::from(places);
    while m % 10 == 0 {
        m /= 10;
        k += 1;
    }
    Some(Number::Scaled(m, k))
}

/// `x·10^k` (x finite and nonzero) rounded to the 17 significant digits of an f64, with its
/// exponent kept whatever its size.
pub(super) fn approximate(x: f64, k: i64) -> Number {
    if x == 0.0 || !x.is_finite() {
        return Number::ZERO;
    }
    let (n, e) = decimal_parts(&format!("{x:e}")).expect("an f64's shortest form has at most 17 digits");
    exact(Ratio::from(n), e.saturating_add(k)).unwrap_or(Number::ZERO)
}

/// `x` (finite, nonzero) as m·10^k with m in [1, 10).
pub(super) fn split_decimal(x: f64) -> (f64, i64) {
    renormalised(x, 0)
}

/// `m·10^k` with the mantissa brought back into [1, 10).
pub(super) fn renormalised(m: f64, k: i64) -> (f64, i64) {
    if m == 0.0 || !m.is_finite() {
        return (m, k);
    }
    let shift = crate::math::log10(m.abs()).floor() as i64;
    let m = m / crate::math::powi(10.0, shift as i32);
    // log10 can be one off at a power of ten.
    match m.abs() {
        a if a >= 10.0 => (m / 10.0, k + shift + 1),
        a if a < 1.0 => (m * 10.0, k + shift - 1),
        _ => (m, k + shift),
    }
}

/// A decimal literal's digits and exponent, `12.50e-3` → (125, -4), when the digits fit in i64.
pub(super) fn decimal_parts(text: &str) -> Option<(i64, i64)> {
    let lower = text.to_ascii_lowercase();
    let (mantissa, exponent) = match lower.split_once('e') {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().ok()?),
        None => (lower.as_str(), 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int_part}{frac_part}");
    let significant = digits.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return Some((0, 0));
    }
    let zeros = (significant.len() - trimmed.len()) as i64;
    let k = exponent.checked_sub(frac_part.len() as i64)?.checked_add(zeros)?;
    Some((trimmed.parse().ok()?, k))
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
            // Scientific, as Rust and Python write floats: `1e200`, `-1.5e-300`.
            Number::Scaled(m, k) => {
                let digits = m.unsigned_abs().to_string();
                let sign = if *m < 0 { "-" } else { "" };
                let exponent = k + digits.len() as i64 - 1;
                match digits.split_at(1) {
                    (first, "") => write!(f, "{sign}{first}e{exponent}"),
                    (first, rest) => write!(f, "{sign}{first}.{rest}e{exponent}"),
                }
            }
            // Shortest round-trip form, with an exponent for very large or small values.
            Number::Float(x) if *x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-5) => write!(f, "{x:e}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// p/q correctly rounded. Both exact in f64: one IEEE division rounds once. A power-of-ten
/// denominator: the decimal's own text, read by the correctly rounding parser. Otherwise the
/// quotient is written out to 40 significant digits first, which rounds as the exact value does.
pub(super) fn ratio_to_f64(p: i64, q: i64) -> f64 {
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
        // As many places as an f64's digits: a constant rounded to them reads as a decimal.
        if places > 17 {
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
