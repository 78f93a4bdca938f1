//! Code listings a reader can run: a block may show a Python file beside the command it
//! mirrors,
//!
//! ```text
//! net examples/networks/article-b-squared.net grad
//! listing examples/python/article_b.py
//! prints E
//! prints dE/dW1[0][0]
//! ```
//!
//! and the page shows the file and what it prints: `NAME = VALUE` per `prints` line, each value
//! the one the *tool* computed, written as Python's `f"{value:.10g}"` writes it. The build needs
//! no Python; CI (`tests/listings/run.sh`) runs every listing with python3-numpy and compares its
//! output with the page's, byte for byte.

use backprop_engine::lang::Lang;

/// Python's `format(value, ".10g")`: ten significant digits, trailing zeros removed, an
/// exponent (`1.5e-05`, `2.5e+12`) when it is below −4 or at least 10.
pub fn python_g(value: f64) -> String {
    const PRECISION: i32 = 10;
    if value == 0.0 {
        return if value.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    if !value.is_finite() {
        return if value.is_nan() {
            "nan".into()
        } else if value > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    // The exponent after rounding to the precision (9.9999999999 rounds up to 1e+01).
    let scientific = format!("{:.*e}", (PRECISION - 1) as usize, value);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let trim = |s: &str| {
        if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s.to_string() }
    };
    if !(-4..PRECISION).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mantissa), exponent.abs())
    } else {
        let decimals = (PRECISION - 1 - exponent).max(0) as usize;
        trim(&format!("{value:.decimals$}"))
    }
}

/// What a listing prints: `NAME = VALUE` for each name, from the block's values.
pub fn output(names: &[&str], values: &[(String, f64)]) -> Result<String, String> {
    let mut out = String::new();
    for name in names {
        let Some((_, v)) = values.iter().find(|(n, _)| n == name) else {
            let known: Vec<&str> = values.iter().map(|(n, _)| n.as_str()).take(40).collect();
            return Err(format!(
                "the listing prints `{name}`, which is not a value of this block; it has {}",
                known.join(", ")
            ));
        };
        out.push_str(&format!("{name} = {}\n", python_g(*v)));
    }
    Ok(out)
}

fn escape(raw: &str) -> String {
    raw.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The listing on the page: the file, then what it prints (marked with the file's path, so CI
/// can find the output to compare).
/// A listing whose first line is `# requires: keras` needs a library Debian does not package:
/// the page says so, and CI shows it without running it.
pub fn markdown(path: &str, source: &str, printed: &str, lang: Lang) -> String {
    let keras = source.starts_with("# requires: keras");
    let says = match (lang, keras) {
        (Lang::En, true) => {
            "It prints the tool's numbers (Keras is not packaged by Debian, so CI does not run this listing):"
        }
        (Lang::En, false) => "It prints the tool's numbers (CI runs the listing with numpy and compares):",
        (Lang::Zh, true) => "它打印出的数与本工具的相同（Debian 没有打包 Keras，所以 CI 不运行这段代码）：",
        (Lang::Zh, false) => "它打印出的数与本工具的相同（CI 用 numpy 运行这段代码并加以比较）：",
    };
    let mark = if keras { " data-requires=\"keras\"" } else { "" };
    format!(
        // Each <pre> starts an HTML block of its own, which markdown ends only at </pre>: the
        // source's blank lines stay inside it.
        "\n<div class=\"backprop-listing\">\n<p class=\"backprop-listing-name\"><code>{path}</code></p>\n\n\
         <pre tabindex=\"0\"><code class=\"language-python\">{}</code></pre>\n\n\
         <p class=\"backprop-listing-name\">{says}</p>\n\n\
         <pre tabindex=\"0\" class=\"backprop-listing-output\" data-listing=\"{path}\"{mark}><code>$ python3 {path}\n{}</code></pre>\n\n</div>\n",
        escape(source),
        escape(printed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_python_writes_them() {
        // Each pair: a value and `format(value, ".10g")` in CPython.
        for (v, python) in [
            (0.7310585786300049, "0.7310585786"),
            (-0.19661193324148185, "-0.1966119332"),
            (0.2983711087600027, "0.2983711088"),
            (3.51085e-05, "3.51085e-05"),
            (0.0001, "0.0001"),
            (12.0, "12"),
            (101770.0, "101770"),
            (12345678901.0, "1.23456789e+10"),
            (9.99999999999, "10"),
            (-0.5, "-0.5"),
            (1e-300, "1e-300"),
        ] {
            assert_eq!(python_g(v), python, "{v}");
        }
    }
}
