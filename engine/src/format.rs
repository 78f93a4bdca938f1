//! Numbers and small pieces of text as every view writes them: one formatter, so a value reads
//! the same in a derivation, a table, a picture, a message and a verdict.

/// Ten significant digits without trailing zeros (`0.3525055683`, `3`, `−12`); very large or
/// small values with an exponent whose sign is ASCII, so it can be pasted into any language
/// (`1.5e-17`, `2.5e10`). The leading minus is the typographic `−`, as in the formulas.
pub fn format_number(x: f64) -> String {
    significant(x, 10, true)
}

/// `x` rounded to `digits` significant digits, written like `format_number` (no trailing
/// zeros, `1e10` not `1.000000000e10`), so a table reads the same with and without `--digits`.
pub fn format_significant(x: f64, digits: u32) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format_number(x);
    }
    significant(x, digits.clamp(1, 17) as usize, true)
}

fn significant(x: f64, digits: usize, trim: bool) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let exponent_form = x.abs() >= 1e10 || x.abs() < 1e-5;
    let text = if exponent_form {
        let text = format!("{:.*e}", digits - 1, x.abs());
        let (mantissa, exponent) = text.split_once('e').expect("exponent form");
        let mantissa = if trim { trim_zeros(mantissa) } else { mantissa.to_string() };
        format!("{mantissa}e{exponent}")
    } else {
        let magnitude = crate::math::log10(x.abs()).floor() as i64;
        let decimals = (digits as i64 - 1 - magnitude).clamp(0, 17) as usize;
        let text = format!("{:.decimals$}", x.abs());
        if trim { trim_zeros(&text) } else { text }
    };
    if x < 0.0 { format!("−{text}") } else { text }
}

fn trim_zeros(text: &str) -> String {
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text.to_string() }
}

/// The ASCII form of a number written by `format_number` (for LaTeX and for pasting).
pub fn ascii(text: &str) -> String {
    text.replace('−', "-")
}

/// A number written by `format_number` (or `format_significant`) as LaTeX: `-0.25`,
/// `1.5 \times 10^{-17}`.
pub fn latex_number(text: &str) -> String {
    let text = ascii(text);
    match text.split_once('e') {
        Some((mantissa, exponent)) => {
            let exponent = exponent.trim_start_matches('+');
            if mantissa == "1" { format!("10^{{{exponent}}}") } else { format!("{mantissa} \\times 10^{{{exponent}}}") }
        }
        None => text,
    }
}

/// `12` → `¹²`, `-1` → `⁻¹`
pub fn superscript(k: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::new();
    if k < 0 {
        s.push('⁻');
    }
    for d in k.unsigned_abs().to_string().bytes() {
        s.push(DIGITS[(d - b'0') as usize]);
    }
    s
}

/// `3` → `₃`
pub fn subscript(k: usize) -> String {
    const DIGITS: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    k.to_string().bytes().map(|d| DIGITS[(d - b'0') as usize]).collect()
}

/// 100480 → "100,480"
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How many columns a terminal gives `text`: two for a Chinese character (and the other wide
/// CJK forms), one for anything else.
pub fn display_width(text: &str) -> usize {
    let wide = |c: char| matches!(c, '\u{1100}'..='\u{115F}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7A3}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF60}' | '\u{FFE0}'..='\u{FFE6}');
    text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(format_number(0.6224593312018546), "0.6224593312");
        assert_eq!(format_number(-12.0), "−12");
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(1e10), "1e10");
        assert_eq!(format_number(-8.881784197001252e-17), "−8.881784197e-17");
        assert_eq!(format_number(123456.789), "123456.789");
    }

    #[test]
    fn significant_digits_read_like_the_other_numbers() {
        assert_eq!(format_significant(0.2, 2), "0.2");
        assert_eq!(format_significant(1.00000000001e10 + 0.5, 10), "1e10");
        assert_eq!(format_significant(1e-8, 3), "1e-8");
        assert_eq!(format_significant(-0.3932, 2), "−0.39");
        assert_eq!(format_significant(4.0, 3), "4");
        assert_eq!(format_significant(1.23456e-7, 3), "1.23e-7");
    }

    #[test]
    fn latex_numbers() {
        assert_eq!(latex_number("−0.25"), "-0.25");
        assert_eq!(latex_number("1.5e-17"), "1.5 \\times 10^{-17}");
        assert_eq!(latex_number("1e308"), "10^{308}");
    }

    #[test]
    fn scripts_and_thousands() {
        assert_eq!(superscript(-12), "⁻¹²");
        assert_eq!(subscript(10), "₁₀");
        assert_eq!(thousands(100480), "100,480");
        assert_eq!(thousands(999), "999");
    }
}
