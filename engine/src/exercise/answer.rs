//! Reading a written answer, and the tolerance rule a teacher can defend.
//!
//! - A decimal number is right when it is the right value rounded to the digits written (it
//!   lies within half a unit of its last written digit, and that digit is where the right
//!   value's last significant digit of that count is) *and* it carries enough significant
//!   digits: at least 2, or what the sheet asks with a `digits N` line. `-0.27` is right for
//!   −0.266; `-0.3` is right to 1 digit only, which is its own verdict (not ✓); `0` and `1` are
//!   wrong for −0.266 and 0.622.
//! - A number equal to the right value (to 1e-12) is right however it is written: exact
//!   integers (a count, a gradient of exactly 0 or 3) and exact decimals (`0.5` for 1/2).
//! - A constant expression (`1/2`, `1/3`, `3/9`, `sqrt(2)/4`) is a number claimed exactly: right
//!   when it equals the right value (to 1e-9, the precision of the computation).
//! - Anything else is an expression, judged by equivalence elsewhere.

/// A written answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// A decimal number as written: its value, half a unit of its last digit, its number of
    /// significant digits (0 for a zero), and the power of ten of its last digit.
    Decimal { value: f64, half_unit: f64, digits: u32, last: i32 },
    /// A constant expression, claimed exactly.
    Exact(f64),
    /// An expression of the exercise's names (not yet read).
    Expression,
}

/// The verdict on a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberVerdict {
    Right,
    /// Right to this many significant digits, fewer than the sheet asks for.
    TooCoarse(u32),
    Wrong,
}

/// Reads a plain decimal number (`-0.20`, `1.5e-3`, `−4`); `None` for anything else.
pub fn decimal(text: &str) -> Option<Answer> {
    let t = text.trim().replace('−', "-");
    let body = t.strip_prefix(['-', '+']).unwrap_or(&t);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (body, 0),
    };
    if mantissa.is_empty()
        || !mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        || mantissa.matches('.').count() > 1
        || mantissa == "."
    {
        return None;
    }
    let decimals = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
    let value: f64 = t.parse().ok()?;
    let digits_only: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let significant = digits_only.trim_start_matches('0').len() as u32;
    let last = exponent - decimals;
    Some(Answer::Decimal { value, half_unit: 0.5 * 10f64.powi(last), digits: significant, last })
}

/// Judges a number against the right value with the rule above.
pub fn judge_number(answer: &Answer, right: f64, required_digits: u32) -> NumberVerdict {
    match *answer {
        Answer::Exact(value) => {
            if close(value, right, 1e-9) {
                NumberVerdict::Right
            } else {
                NumberVerdict::Wrong
            }
        }
        Answer::Decimal { value, half_unit, digits, last } => {
            if close(value, right, 1e-12) || (value == 0.0 && right.abs() <= 1e-12) {
                return NumberVerdict::Right;
            }
            if digits == 0 || (value - right).abs() > half_unit * (1.0 + 1e-9) {
                return NumberVerdict::Wrong;
            }
            // The last written digit must be the last of `digits` significant digits of the
            // right value (rounded, so 0.10 counts for 0.0998): `1` is not 0.622 to 1 digit.
            let rounded = round_significant(right, digits);
            let lead = if rounded == 0.0 { 0 } else { crate::math::log10(rounded.abs()).floor() as i32 };
            if lead - digits as i32 + 1 != last {
                return NumberVerdict::Wrong;
            }
            if digits >= required_digits { NumberVerdict::Right } else { NumberVerdict::TooCoarse(digits) }
        }
        Answer::Expression => NumberVerdict::Wrong,
    }
}

/// Whether a number could be the answer's value: the same test without the digit count (for
/// matching an answer against a candidate mistake).
pub fn matches(answer: &Answer, candidate: f64) -> bool {
    judge_number(answer, candidate, 0) != NumberVerdict::Wrong
}

/// `a` and `b` equal to a relative tolerance (absolute below 1).
pub fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * a.abs().max(b.abs()).max(1.0)
}

/// `x` rounded to `digits` significant digits.
pub fn round_significant(x: f64, digits: u32) -> f64 {
    if x == 0.0 || !x.is_finite() || digits == 0 {
        return x;
    }
    let magnitude = crate::math::log10(x.abs()).floor() as i32;
    let scale = 10f64.powi(digits as i32 - 1 - magnitude);
    let r = (x * scale).round() / scale;
    if r.is_finite() { r } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(answer: &str, right: f64) -> NumberVerdict {
        judge_number(&decimal(answer).unwrap(), right, 2)
    }

    #[test]
    fn decimals_keep_their_precision() {
        assert_eq!(decimal("-0.20"), Some(Answer::Decimal { value: -0.2, half_unit: 0.005, digits: 2, last: -2 }));
        assert!(matches!(decimal("1.5e-3"), Some(Answer::Decimal { digits: 2, last: -4, .. })));
        assert!(matches!(decimal("0.000"), Some(Answer::Decimal { digits: 0, .. })));
        assert_eq!(decimal("x"), None);
        assert_eq!(decimal("1/2"), None);
    }

    #[test]
    fn the_tolerance_rule() {
        assert_eq!(verdict("-0.27", -0.266), NumberVerdict::Right);
        assert_eq!(verdict("-0.26", -0.266), NumberVerdict::Wrong);
        assert_eq!(verdict("-0.3", -0.266), NumberVerdict::TooCoarse(1));
        assert_eq!(verdict("0", -0.266), NumberVerdict::Wrong);
        assert_eq!(verdict("1", 0.622), NumberVerdict::Wrong);
        assert_eq!(verdict("0.62", 0.622), NumberVerdict::Right);
        assert_eq!(verdict("0.10", 0.0998), NumberVerdict::Right);
        assert_eq!(verdict("0.1", 0.0998), NumberVerdict::TooCoarse(1));
        assert_eq!(verdict("3", 3.0), NumberVerdict::Right);
        assert_eq!(verdict("0", 0.0), NumberVerdict::Right);
        assert_eq!(verdict("0.5", 0.5), NumberVerdict::Right);
        assert_eq!(verdict("3", 2.9996), NumberVerdict::TooCoarse(1));
        assert_eq!(verdict("-12", -12.0), NumberVerdict::Right);
        assert_eq!(verdict("0.20", 0.19661193324148185), NumberVerdict::Right);
        assert_eq!(verdict("-0.205", -0.2), NumberVerdict::Wrong);
    }

    #[test]
    fn exact_answers_are_numbers() {
        assert_eq!(judge_number(&Answer::Exact(1.0 / 3.0), 0.3333333333333333, 2), NumberVerdict::Right);
        assert_eq!(judge_number(&Answer::Exact(0.5), 0.5000001, 2), NumberVerdict::Wrong);
    }
}
