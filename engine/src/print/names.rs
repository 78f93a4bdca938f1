//! Names in LaTeX: indices as subscripts, Greek letters as commands, long names upright.

/// A name in LaTeX: `w1` → `w_{1}`, `x_0` → `x_{0}`, `θ` → `\theta`, `t₁` → `t_{1}`,
/// `lambda` → `\lambda`, `loss` → `\mathrm{loss}`.
pub fn latex_name(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| match c {
            '₀'..='₉' => char::from(b'0' + (c as u32 - '₀' as u32) as u8),
            other => other,
        })
        .collect();
    let (stem, sub) = match plain.split_once('_') {
        Some((s, sub)) => (s.to_string(), Some(sub.to_string())),
        None => {
            let digits_at = plain.find(|c: char| c.is_ascii_digit());
            match digits_at {
                Some(i) if i > 0 && plain[i..].chars().all(|c| c.is_ascii_digit()) => {
                    (plain[..i].to_string(), Some(plain[i..].to_string()))
                }
                _ => (plain, None),
            }
        }
    };
    let stem = greek(&stem)
        .map(String::from)
        .unwrap_or_else(|| if stem.chars().count() > 1 { format!("\\mathrm{{{stem}}}") } else { stem.clone() });
    match sub {
        Some(sub) => format!("{stem}_{{{sub}}}"),
        None => stem,
    }
}

fn greek(name: &str) -> Option<&'static str> {
    const TABLE: [(&str, char, &str); 24] = [
        ("alpha", 'α', "\\alpha"),
        ("beta", 'β', "\\beta"),
        ("gamma", 'γ', "\\gamma"),
        ("delta", 'δ', "\\delta"),
        ("epsilon", 'ε', "\\epsilon"),
        ("zeta", 'ζ', "\\zeta"),
        ("eta", 'η', "\\eta"),
        ("theta", 'θ', "\\theta"),
        ("iota", 'ι', "\\iota"),
        ("kappa", 'κ', "\\kappa"),
        ("lambda", 'λ', "\\lambda"),
        ("mu", 'μ', "\\mu"),
        ("nu", 'ν', "\\nu"),
        ("xi", 'ξ', "\\xi"),
        ("omicron", 'ο', "o"),
        ("pi", 'π', "\\pi"),
        ("rho", 'ρ', "\\rho"),
        ("sigma", 'σ', "\\sigma"),
        ("tau", 'τ', "\\tau"),
        ("upsilon", 'υ', "\\upsilon"),
        ("phi", 'φ', "\\phi"),
        ("chi", 'χ', "\\chi"),
        ("psi", 'ψ', "\\psi"),
        ("omega", 'ω', "\\omega"),
    ];
    TABLE.iter().find(|(word, letter, _)| *word == name || name.chars().eq(std::iter::once(*letter))).map(|t| t.2)
}
