//! Numbers in prose. A sentence may not carry a number the build did not check: every number a
//! chapter's prose (and a caption) writes is one of
//!
//! - interpolated from a value a block computed: `{{E}}`, `{{E, 3}}` (three significant
//!   digits), `{{held-out accuracy, %}}`, `{{mazur: E}}` (the block whose `id` is `mazur`);
//! - asserted by an `expect` line of a block in the same section (the build checks the claim);
//! - an input of a block in the same section: its command line, inline sheet or network file,
//!   all shown on the page;
//! - a cited fact: `{{cite mazur: 0.0000351085}}`, a figure with the reference it comes from.
//!
//! Single-digit integers are the language's small counts and formula constants (`1 − a`, "two
//! samples" written 2, "step 1") and pass. Everything else is a *bare number*: the build lists
//! each with its chapter and line, and fails. Words of magnitude ("a thousandfold", "hundreds of
//! times") are bare numbers too: the number they round is interpolated instead.

use backprop_engine::format::format_number;

/// A numeral found in text: as written, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Numeral {
    pub text: String,
    pub value: f64,
}

const SUPERSCRIPTS: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹";

fn superscript_digit(c: char) -> Option<u32> {
    SUPERSCRIPTS.chars().position(|s| s == c).map(|p| p as u32)
}

/// The numerals of a text: `0.25`, `−12`, `101,770`, `95%`, `1e-5`, `10⁴`, `10⁻⁹`,
/// `10^{-8}` (LaTeX). Digits that are part of a name (`w1`, `BP4`, `x²`, `a^{l-1}` after `^`
/// or `_`) are not numerals.
pub fn numerals(text: &str) -> Vec<Numeral> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let part_of_name = |c: char| {
        c.is_alphanumeric() || matches!(c, '_' | '^' | '.' | '\\' | '[' | '§') || superscript_digit(c).is_some()
    };
    while i < chars.len() {
        let c = chars[i];
        // After `_{` or `^{` (a LaTeX subscript or power), digits are an index.
        let braced_index = i > 1 && chars[i - 1] == '{' && matches!(chars[i - 2], '_' | '^');
        if !c.is_ascii_digit() || (i > 0 && part_of_name(chars[i - 1])) || braced_index {
            i += 1;
            continue;
        }
        let start = i;
        let negative = i > 0
            && matches!(chars[i - 1], '-' | '−')
            && (i == 1 || matches!(chars[i - 2], ' ' | '(' | '=' | '$' | '{' | '[' | ','));
        let mut digits = String::new();
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                digits.push(chars[i]);
            } else if chars[i] == ','
                && chars.get(i + 1..i + 4).is_some_and(|d| d.iter().all(char::is_ascii_digit))
                && chars.get(i + 4).is_none_or(|d| !d.is_ascii_digit())
            {
                // A thousands separator: exactly three digits follow.
            } else if chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit) && !digits.contains('.') {
                digits.push('.');
            } else {
                break;
            }
            i += 1;
        }
        let mut value: f64 = digits.parse().unwrap_or(f64::NAN);
        // An exponent: 1e-5, 10⁴, 10⁻⁹, 10^{-8}, 10^6.
        if chars.get(i) == Some(&'e') && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit() || *c == '-') {
            let mut j = i + 1;
            let mut exponent = String::new();
            if chars[j] == '-' {
                exponent.push('-');
                j += 1;
            }
            while j < chars.len() && chars[j].is_ascii_digit() {
                exponent.push(chars[j]);
                j += 1;
            }
            if let Ok(e) = exponent.parse::<i32>() {
                value *= 10f64.powi(e);
                i = j;
            }
        } else if digits == "10" {
            let mut j = i;
            let mut sign = 1;
            let mut exponent: Option<i32> = None;
            if chars.get(j) == Some(&'^') {
                j += 1;
                let braced = chars.get(j) == Some(&'{');
                if braced {
                    j += 1;
                }
                if matches!(chars.get(j), Some('-' | '−')) {
                    sign = -1;
                    j += 1;
                }
                let mut e = 0;
                let mut any = false;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    e = e * 10 + chars[j].to_digit(10).unwrap_or(0) as i32;
                    any = true;
                    j += 1;
                }
                if braced && chars.get(j) == Some(&'}') {
                    j += 1;
                }
                if any {
                    exponent = Some(sign * e);
                }
            } else {
                if chars.get(j) == Some(&'⁻') {
                    sign = -1;
                    j += 1;
                }
                let mut e = 0;
                let mut any = false;
                while let Some(d) = chars.get(j).and_then(|c| superscript_digit(*c)) {
                    e = e * 10 + d as i32;
                    any = true;
                    j += 1;
                }
                if any {
                    exponent = Some(sign * e);
                }
            }
            if let Some(e) = exponent {
                value = 10f64.powi(e);
                i = j;
            }
        }
        if chars.get(i) == Some(&'%') {
            value /= 100.0;
            i += 1;
        }
        // Followed by a letter, it is a name or an ordinal (`2x`, `3rd`), not a quantity.
        if chars.get(i).is_some_and(|c| c.is_alphabetic() && *c != 'e' && *c != '×') {
            continue;
        }
        if negative {
            value = -value;
        }
        let text: String = chars[start..i].iter().collect();
        out.push(Numeral { text: if negative { format!("−{text}") } else { text }, value });
    }
    out
}

/// A numeral that needs no source: a single-digit integer (a count or a formula's constant).
fn small(n: &Numeral) -> bool {
    n.value.fract() == 0.0
        && n.value.abs() < 10.0
        && !n.text.contains('.')
        && !n.text.contains('%')
        && !n.text.contains('^')
        && !n.text.contains('e')
}

/// Words that state a magnitude: they round a number the prose should interpolate instead.
fn magnitude_words(text: &str) -> Vec<String> {
    const WORDS: &[&str] = &[
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "tens",
        "dozens",
    ];
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| {
            let w = w.to_lowercase();
            WORDS.contains(&w.as_str())
                || (w.ends_with("fold") && !["manifold", "unfold", "scaffold"].contains(&w.as_str()))
        })
        .map(str::to_string)
        .collect()
}

/// The text a reader sees as prose: without inline code, link targets, HTML tags and
/// interpolations (which are checked where they are expanded).
fn readable(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let after = &rest[1..];
            rest = after.find('`').map_or("", |e| &after[e + 1..]);
            out.push(' ');
        } else if rest.starts_with("{{") {
            rest = rest.find("}}").map_or("", |e| &rest[e + 2..]);
            out.push(' ');
        } else if rest.starts_with("](") {
            rest = rest.find(')').map_or("", |e| &rest[e + 1..]);
            out.push(' ');
        } else if c == '<' && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            out.push(' ');
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The bare numbers of one line of prose, given the numbers its section may state (the
/// values of its `expect` lines and its blocks' inputs).
pub fn bare_numbers(line: &str, allowed: &[f64]) -> Vec<String> {
    let text = readable(line);
    let known = |v: f64| allowed.iter().any(|a| (a - v).abs() <= 1e-12 * a.abs().max(1e-300) || *a == v);
    let mut out = Vec::new();
    // Inside `$…$` an integer is a constant of the formula (`1 - 20\alpha`, `2/n`); a decimal
    // there is a value like any other.
    for (k, part) in text.split('$').enumerate() {
        let math = k % 2 == 1;
        for n in numerals(part) {
            let constant = math && !n.text.contains(['.', '%', 'e']) && n.value.fract() == 0.0 && n.value.abs() < 1e6;
            if !small(&n) && !constant && !known(n.value) {
                out.push(n.text);
            }
        }
    }
    out.extend(magnitude_words(&text));
    out
}

/// How an interpolated value is written: `{{E}}` as the tool prints it, `{{E, 3}}` to three
/// significant digits, `{{accuracy, %}}` as a percentage (three digits), `{{accuracy, 2%}}`.
fn written(value: f64, format: Option<&str>) -> Result<String, String> {
    let Some(format) = format.map(str::trim) else {
        // Whole numbers of four digits or more with thousands separators (`1,437`).
        if value.fract() == 0.0 && value.abs() >= 1000.0 && value.abs() < 1e15 {
            return Ok(rounded(value, value.abs().log10().floor() as usize + 1));
        }
        return Ok(format_number(value));
    };
    let (digits, percent) = match format.strip_suffix('%') {
        Some(d) => (if d.is_empty() { 3 } else { d.parse().map_err(|_| format!("`{format}` is not a format"))? }, true),
        None => (format.parse::<usize>().map_err(|_| format!("`{format}` is not a format: write N, N% or %"))?, false),
    };
    let v = if percent { value * 100.0 } else { value };
    let text = rounded(v, digits);
    Ok(if percent { format!("{text}%") } else { text })
}

/// `v` to `digits` significant digits, trailing zeros kept (`0.40`), with a typographic minus
/// and thousands separators in the integer part.
pub fn rounded(v: f64, digits: usize) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs().log10().floor() as i64;
    // Very small or large: a mantissa times a power of ten, `5.2 × 10⁻¹⁰`.
    if !(-4..15).contains(&magnitude) {
        let scientific = format!("{:.*e}", digits.saturating_sub(1), v.abs());
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        let superscript: String = exponent
            .chars()
            .map(|c| match c {
                '-' => '⁻',
                d => SUPERSCRIPTS.chars().nth(d.to_digit(10).unwrap_or(0) as usize).unwrap_or('⁰'),
            })
            .collect();
        let sign = if v < 0.0 { "−" } else { "" };
        return format!("{sign}{mantissa} × 10{superscript}");
    }
    let decimals = (digits as i64 - 1 - magnitude).max(0) as usize;
    let scale = 10f64.powi((digits as i64 - 1 - magnitude) as i32);
    let r = (v.abs() * scale).round() / scale;
    let text = format!("{r:.decimals$}");
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 && int.len() > 3 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let body = match frac {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    };
    if v < 0.0 { format!("−{body}") } else { body }
}

/// What an interpolation names: a block (by `id`, or the nearest one above), a value, a format.
/// `{{cite KEY: TEXT}}` is a cited fact: the text, with a link to the reference.
pub enum Interpolation<'a> {
    Value { block: Option<&'a str>, name: &'a str, format: Option<&'a str> },
    Cite { key: &'a str, text: &'a str },
}

pub fn parse_interpolation(inner: &str) -> Interpolation<'_> {
    let inner = inner.trim();
    if let Some(rest) = inner.strip_prefix("cite ") {
        let (key, text) = rest.split_once(':').unwrap_or((rest, ""));
        return Interpolation::Cite { key: key.trim(), text: text.trim() };
    }
    let (block, rest) = match inner.split_once(": ") {
        Some((b, r)) if !b.contains(' ') => (Some(b.trim()), r),
        _ => (None, inner),
    };
    let (name, format) = match rest.rsplit_once(", ") {
        Some((n, f)) if f.trim().trim_end_matches('%').chars().all(|c| c.is_ascii_digit()) => (n.trim(), Some(f)),
        _ => (rest.trim(), None),
    };
    Interpolation::Value { block, name, format }
}

/// Finds a value by the block's `id` (or the nearest block) and its name.
pub type Lookup<'a> = dyn Fn(Option<&str>, &str) -> Result<f64, String> + 'a;

/// Replaces every `{{…}}` of a line; `lookup(block, name)` finds a value.
pub fn interpolate(
    line: &str,
    lookup: &Lookup,
    cite: &dyn Fn(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after.find("}}").ok_or("a `{{` is not closed by `}}`")?;
        // `{{#include …}}` is mdBook's (shown as written where a chapter escapes it), not a value.
        if after[..end].trim_start().starts_with('#') {
            out.push_str(&rest[at..at + 2 + end + 2]);
            rest = &after[end + 2..];
            continue;
        }
        match parse_interpolation(&after[..end]) {
            Interpolation::Value { block, name, format } => out.push_str(&written(lookup(block, name)?, format)?),
            Interpolation::Cite { key, text } => {
                if text.is_empty() {
                    return Err(format!("`{{{{cite {key}: …}}}}` cites no figure"));
                }
                out.push_str(text);
                out.push_str(&cite(key)?);
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        numerals(s).into_iter().map(|n| n.text).collect()
    }

    #[test]
    fn numerals_are_found_and_names_are_not() {
        assert_eq!(texts("w1 and BP4 and x² and a_{10}"), Vec::<String>::new());
        assert_eq!(texts("it is 0.25, then −12 and 101,770 (95%)"), ["0.25", "−12", "101,770", "95%"]);
        assert_eq!(numerals("about 10⁴ or 10⁻⁹")[1].value, 1e-9);
        assert_eq!(numerals("$\\epsilon = 10^{-8}$")[0].value, 1e-8);
        assert_eq!(numerals("1e-5")[0].value, 1e-5);
        assert_eq!(texts("the 2-2-2 network, 3rd"), ["2", "2", "2"]);
    }

    #[test]
    fn bare_numbers_are_those_with_no_source() {
        assert_eq!(bare_numbers("falls to 0.0106 over 20 epochs", &[20.0]), ["0.0106"]);
        assert_eq!(bare_numbers("the `lr 0.5` of {{E, 3}} in [a](x.md#0.5)", &[]), Vec::<String>::new());
        assert_eq!(bare_numbers("a thousandfold, hundreds of times", &[]), ["thousandfold", "hundreds"]);
        assert_eq!(bare_numbers("at x = 3, step 1 of 2", &[]), Vec::<String>::new());
        assert_eq!(bare_numbers("above 95%", &[0.95]), Vec::<String>::new());
        assert_eq!(bare_numbers("$|1 - 20\\alpha| = 1.6$ and 20", &[]), ["1.6", "20"]);
    }

    #[test]
    fn values_are_written_as_asked() {
        let lookup = |b: Option<&str>, n: &str| match (b, n) {
            (None, "E") => Ok(0.298371109),
            (Some("m"), "acc") => Ok(0.9781),
            _ => Err(format!("no {n}")),
        };
        let cite = |k: &str| Ok(format!("[{k}]"));
        assert_eq!(
            interpolate("E = {{E}}, {{E, 2}}; {{m: acc, %}}", &lookup, &cite).unwrap(),
            "E = 0.298371109, 0.30; 97.8%"
        );
        assert_eq!(interpolate("{{cite mazur: 0.0000351085}}", &lookup, &cite).unwrap(), "0.0000351085[mazur]");
        assert!(interpolate("{{nope}}", &lookup, &cite).is_err());
        // mdBook's own `{{#…}}`, left where an escape left it.
        assert_eq!(interpolate("see {{#include a.md}}", &lookup, &cite).unwrap(), "see {{#include a.md}}");
        assert_eq!(rounded(-12345.6, 5), "−12,346");
        assert_eq!(rounded(0.000035108, 3), "3.51 × 10⁻⁵");
        assert_eq!(rounded(0.00035108, 3), "0.000351");
        assert_eq!(rounded(5.249e-10, 2), "5.2 × 10⁻¹⁰");
        assert_eq!(interpolate("{{n}}", &|_, _| Ok(1437.0), &cite).unwrap(), "1,437");
    }
}
