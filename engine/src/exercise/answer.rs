//! Reading a written answer, and the tolerance rule a teacher can defend.
//!
//! - A decimal number is right when it is the right value rounded to the digits written (it
//!   lies within half a unit of its last written digit, and that digit is where the right
//!   value's last significant digit of that count is) *and* it carries enough significant
//!   digits: at least 2, or what the sheet asks with a `digits N` line. `-0.27` is right for
//!   −0.266; `-0.3` is right to 1 digit only, which is its own verdict (not ✓); `0` and `1` are
//!   wrong for −0.266 and 0.622. A decimal times a power of ten written by hand (`2.66×10^-1`,
//!   `2.66*10^(-1)`, `2.66·10⁻¹`) is a decimal to the digits of its mantissa, like `2.66e-1`.
//! - A number equal to the right value (to a relative 1e-12, the sign included) is right however
//!   it is written: exact integers (a count, a gradient of exactly 0 or 3) and exact decimals
//!   (`0.5` for 1/2).
//! - A constant expression (`1/2`, `1/3`, `38/15`, `sqrt(2)/4`) is a number claimed exactly: right
//!   when it equals the right value (to a relative 1e-9, the precision of the computation).
//! - Anything else is an expression, judged by equivalence elsewhere.
//!
//! Every comparison is relative to the right value's size and keeps the sign: `-5e-13` is not
//! 2e-13, however small both are.

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

/// A value this small is rounding noise of a zero (an exact 0 computed as 1e-17), not a value.
pub const ZERO_NOISE: f64 = 1e-15;

/// Reads a decimal number as a student writes it: `-0.20`, `- 0.27`, `1.5e-3`, `−4`, and by
/// hand `2.173×10^-1`, `2.173*10^(-1)`, `2.173·10⁻¹`, `2.173 * 10**-1`. `None` for anything else.
pub fn decimal(text: &str) -> Option<Answer> {
    let t = text.trim().replace('−', "-");
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t.strip_prefix('+').map_or(t.as_str(), str::trim_start)),
    };
    let (number, power) = split_power_of_ten(body)?;
    let (mantissa, exponent) = match number.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (number, 0),
    };
    if mantissa.is_empty()
        || !mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        || mantissa.matches('.').count() > 1
        || mantissa == "."
    {
        return None;
    }
    let exponent = exponent.checked_add(power)?;
    let decimals = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
    let sign = if negative { "-" } else { "" };
    let value: f64 = format!("{sign}{mantissa}e{exponent}").parse().ok()?;
    let digits_only: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let significant = digits_only.trim_start_matches('0').len() as u32;
    let last = exponent.checked_sub(decimals)?;
    Some(Answer::Decimal { value, half_unit: 0.5 * power_of_ten(last), digits: significant, last })
}

/// `2.173×10^-1` → (`2.173`, −1); a number without a power of ten → (itself, 0). Spaces may
/// stand around the operators, never between digits.
fn split_power_of_ten(body: &str) -> Option<(&str, i32)> {
    let Some(at) = body.find(['×', '*', '·', 'x']) else {
        return (!body.contains(char::is_whitespace)).then_some((body, 0));
    };
    let (number, rest) = (body[..at].trim_end(), body[at..].chars().skip(1).collect::<String>());
    let rest: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = rest.strip_prefix("10")?;
    let exponent = if let Some(e) = rest.strip_prefix("**").or_else(|| rest.strip_prefix('^')) {
        let e = e.replace('−', "-");
        let e = e.strip_prefix('(').and_then(|e| e.strip_suffix(')')).unwrap_or(&e).to_string();
        if e.starts_with('+') && e[1..].starts_with(['+', '-']) {
            return None;
        }
        e.parse::<i32>().ok()?
    } else {
        superscript_integer(rest)?
    };
    (!number.is_empty() && !number.contains(char::is_whitespace)).then_some((number, exponent))
}

/// `⁻¹²` → −12.
fn superscript_integer(text: &str) -> Option<i32> {
    let mut digits = String::new();
    for (i, c) in text.chars().enumerate() {
        match c {
            '⁻' if i == 0 => digits.push('-'),
            _ => digits.push(char::from_digit("⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|d| d == c)? as u32, 10)?),
        }
    }
    digits.parse().ok()
}

/// 10ᵏ, exactly as the decimal literal `1eK` reads (no `powi`, which may round differently).
fn power_of_ten(k: i32) -> f64 {
    format!("1e{k}").parse().unwrap_or(f64::INFINITY)
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
            if close(value, right, 1e-12) {
                return NumberVerdict::Right;
            }
            if digits == 0 || (value - right).abs() > half_unit * (1.0 + 1e-9) {
                return NumberVerdict::Wrong;
            }
            // The last written digit must be the last of `digits` significant digits of the
            // right value (rounded, so 0.10 counts for 0.0998): `1` is not 0.622 to 1 digit.
            if last_digit_rank(right, digits) != last {
                return NumberVerdict::Wrong;
            }
            if digits >= required_digits { NumberVerdict::Right } else { NumberVerdict::TooCoarse(digits) }
        }
        Answer::Expression => NumberVerdict::Wrong,
    }
}

/// The power of ten of the last of `digits` significant digits of `x` (rounded).
fn last_digit_rank(x: f64, digits: u32) -> i32 {
    let rounded = round_significant(x, digits);
    let lead = if rounded == 0.0 { 0 } else { crate::math::log10(rounded.abs()).floor() as i32 };
    lead - digits as i32 + 1
}

/// Why a decimal near the right value is still wrong, in the rule's terms: the digits it
/// claims and the right value to those digits (`1200` for 1236.45: written to the units, 4
/// significant digits, where the right value is 1236). `None` for a far-off answer, which
/// needs no such word, and for answers that are not decimals.
pub fn precision_reason(answer: &Answer, right: f64) -> Option<crate::said::Said> {
    let Answer::Decimal { value, digits, last, .. } = *answer else { return None };
    if digits == 0 || right == 0.0 || (value - right).abs() > 0.1 * right.abs() || value.signum() != right.signum() {
        return None;
    }
    let at_rank = crate::format::format_number(round_at(right, last));
    let mut fewer = None;
    if last >= 0 && digits >= 2 {
        // An integer with trailing zeros claims its zeros: say how to claim fewer digits.
        let coarse = value.abs().to_string().trim_end_matches('0').len() as u32;
        if coarse < digits {
            fewer = Some((coarse, scientific(value, coarse)));
        }
    }
    Some(crate::said::Said::WrittenTo { last, digits, at_rank, fewer })
}

/// `x` rounded to the digit of rank 10^k.
fn round_at(x: f64, k: i32) -> f64 {
    let digits = crate::math::log10(x.abs()).floor() as i32 - k + 1;
    if digits < 1 { 0.0 } else { round_significant(x, digits as u32) }
}

/// `1200` with 2 digits → `1.2e3`.
fn scientific(x: f64, digits: u32) -> String {
    format!("{:.*e}", digits.saturating_sub(1) as usize, x)
}

/// Whether a number could be the answer's value: the same test without the digit count (for
/// matching an answer against a candidate mistake).
pub fn matches(answer: &Answer, candidate: f64) -> bool {
    judge_number(answer, candidate, 0) != NumberVerdict::Wrong
}

/// `a` and `b` equal to a relative tolerance, which keeps the sign: both must be rounding noise
/// of zero (below `ZERO_NOISE`) to be equal with different signs.
pub fn close(a: f64, b: f64, tolerance: f64) -> bool {
    let scale = a.abs().max(b.abs());
    a == b || scale <= ZERO_NOISE || (a - b).abs() <= tolerance * scale
}

/// `x` rounded to `digits` significant digits.
pub fn round_significant(x: f64, digits: u32) -> f64 {
    crate::numeric::round_to(x, (digits > 0).then_some(digits))
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
        assert_eq!(decimal("1 2"), None);
        assert_eq!(decimal("2*x"), None);
    }

    #[test]
    fn decimals_written_by_hand() {
        let d = |t: &str| match decimal(t) {
            Some(Answer::Decimal { value, digits, last, .. }) => (value, digits, last),
            other => panic!("{t}: {other:?}"),
        };
        assert_eq!(d("- 0.27"), (-0.27, 2, -2));
        assert_eq!(d("−  0.27"), (-0.27, 2, -2));
        assert_eq!(d("+0.27"), (0.27, 2, -2));
        assert_eq!(d("-2.66*10^-1"), (-0.266, 3, -3));
        assert_eq!(d("2.173*10^-1"), (0.2173, 4, -4));
        assert_eq!(d("2.173×10^(-1)"), (0.2173, 4, -4));
        assert_eq!(d("2.173 × 10^(−1)"), (0.2173, 4, -4));
        assert_eq!(d("2.173·10⁻¹"), (0.2173, 4, -4));
        assert_eq!(d("2.173 * 10**-1"), (0.2173, 4, -4));
        assert_eq!(d("1.2x10^3"), (1200.0, 2, 2));
        assert_eq!(decimal("2.1*10^x"), None);
        assert_eq!(decimal("2.1*11^2"), None);
    }

    #[test]
    fn the_tolerance_rule() {
        assert_eq!(verdict("-0.27", -0.266), NumberVerdict::Right);
        assert_eq!(verdict("- 0.27", -0.26595), NumberVerdict::Right);
        assert_eq!(verdict("-2.66*10^-1", -0.26595), NumberVerdict::Right);
        assert_eq!(verdict("2.173×10^(-1)", 0.21729), NumberVerdict::Right);
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
        assert_eq!(verdict("1200", 1236.45), NumberVerdict::Wrong);
    }

    #[test]
    fn tiny_values_keep_their_sign_and_size() {
        assert_eq!(verdict("-5e-13", 2e-13), NumberVerdict::Wrong);
        assert_eq!(verdict("2.0e-13", 2e-13), NumberVerdict::Right);
        assert_eq!(verdict("0", 2e-13), NumberVerdict::Wrong);
        assert_eq!(verdict("0", 1e-17), NumberVerdict::Right);
        assert_eq!(judge_number(&Answer::Exact(-5e-13), 2e-13, 2), NumberVerdict::Wrong);
        assert_eq!(judge_number(&Answer::Exact(1e-13), 2e-13, 2), NumberVerdict::Wrong);
    }

    #[test]
    fn exact_answers_are_numbers() {
        assert_eq!(judge_number(&Answer::Exact(1.0 / 3.0), 0.3333333333333333, 2), NumberVerdict::Right);
        assert_eq!(judge_number(&Answer::Exact(0.5), 0.5000001, 2), NumberVerdict::Wrong);
    }

    #[test]
    fn a_near_miss_says_what_the_rule_wanted() {
        let reason = precision_reason(&decimal("1200").unwrap(), 1236.45).unwrap().english();
        assert!(reason.contains("the units (4 significant digits)"), "{reason}");
        assert!(reason.contains("1236"), "{reason}");
        assert!(reason.contains("1.2e3"), "{reason}");
        let reason = precision_reason(&decimal("0.26").unwrap(), 0.266).unwrap().english();
        assert!(reason.contains("2 decimal places (2 significant digits)"), "{reason}");
        assert!(reason.contains("0.27"), "{reason}");
        assert_eq!(precision_reason(&decimal("5").unwrap(), 0.266), None);
    }
}
