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
    let stem = match greek(&stem) {
        Some(command) => command.to_string(),
        None if stem.chars().count() > 1 => format!("\\mathrm{{{}}}", greek_letters(&stem)),
        None => stem,
    };
    match sub {
        Some(sub) => format!("{stem}_{{{sub}}}"),
        None => stem,
    }
}

/// A Greek letter or its English name as LaTeX: a command where LaTeX has one (`\\Delta`,
/// `\\varsigma`), and the upright Latin letter that looks the same where it has none (capital
/// alpha is `\\mathrm{A}`, and has no name: `Beta` stays a word): pdflatex takes no Unicode
/// Greek in math.
fn greek(name: &str) -> Option<&'static str> {
    const TABLE: [(&str, char, &str); 49] = [
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
        ("varsigma", 'ς', "\\varsigma"),
        ("sigma", 'σ', "\\sigma"),
        ("tau", 'τ', "\\tau"),
        ("upsilon", 'υ', "\\upsilon"),
        ("phi", 'φ', "\\phi"),
        ("chi", 'χ', "\\chi"),
        ("psi", 'ψ', "\\psi"),
        ("omega", 'ω', "\\omega"),
        ("", 'Α', "\\mathrm{A}"),
        ("", 'Β', "\\mathrm{B}"),
        ("Gamma", 'Γ', "\\Gamma"),
        ("Delta", 'Δ', "\\Delta"),
        ("", 'Ε', "\\mathrm{E}"),
        ("", 'Ζ', "\\mathrm{Z}"),
        ("", 'Η', "\\mathrm{H}"),
        ("Theta", 'Θ', "\\Theta"),
        ("", 'Ι', "\\mathrm{I}"),
        ("", 'Κ', "\\mathrm{K}"),
        ("Lambda", 'Λ', "\\Lambda"),
        ("", 'Μ', "\\mathrm{M}"),
        ("", 'Ν', "\\mathrm{N}"),
        ("Xi", 'Ξ', "\\Xi"),
        ("", 'Ο', "\\mathrm{O}"),
        ("Pi", 'Π', "\\Pi"),
        ("", 'Ρ', "\\mathrm{P}"),
        ("Sigma", 'Σ', "\\Sigma"),
        ("", 'Τ', "\\mathrm{T}"),
        ("Upsilon", 'Υ', "\\Upsilon"),
        ("Phi", 'Φ', "\\Phi"),
        ("", 'Χ', "\\mathrm{X}"),
        ("Psi", 'Ψ', "\\Psi"),
        ("Omega", 'Ω', "\\Omega"),
    ];
    TABLE.iter().find(|(word, letter, _)| *word == name || name.chars().eq(std::iter::once(*letter))).map(|t| t.2)
}

/// Every Greek letter of a longer name as its LaTeX (`Δx` → `\\Delta x`), for `\\mathrm{…}`.
fn greek_letters(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match greek(c.encode_utf8(&mut [0; 4])) {
            Some(command) => {
                out.push_str(command);
                out.push(' ');
            }
            None => out.push(c),
        }
    }
    out.trim_end().to_string()
}

/// Prose with formula pieces in it (`σ′ = σ(1 − σ)`, `u₁, u₂ substituted back`) as LaTeX:
/// ASCII words in `\text{…}`, every other character as the math it stands for (`\sigma`,
/// `u_{1}`, `-`), so that LaTeX and KaTeX in strict mode accept it (neither takes σ or u₁
/// inside `\text`).
pub fn latex_prose(text: &str) -> String {
    let mut out = String::new();
    // The run being gathered: ASCII words, a superscript or a subscript.
    let mut run = String::new();
    let mut kind = Run::Words;
    for c in text.chars() {
        let (this, piece) = match c {
            _ if c.is_ascii() => {
                let escape = matches!(c, '\\' | '{' | '}' | '$' | '&' | '#' | '_' | '%' | '^' | '~');
                (Run::Words, if escape { format!("\\{c}") } else { c.to_string() })
            }
            '₀'..='₉' => (Run::Sub, char::from((c as u32 - '₀' as u32) as u8 + b'0').to_string()),
            '⁻' => (Run::Sup, "-".into()),
            'ⁿ' => (Run::Sup, "n".into()),
            _ if SUPERSCRIPTS.contains(c) => {
                (Run::Sup, SUPERSCRIPTS.chars().position(|s| s == c).unwrap_or(0).to_string())
            }
            _ => (Run::Math, math_char(c)),
        };
        if this != kind || this == Run::Math {
            close(&mut out, &mut run, kind);
            kind = this;
        }
        run.push_str(&piece);
    }
    close(&mut out, &mut run, kind);
    out
}

const SUPERSCRIPTS: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    Words,
    Sup,
    Sub,
    Math,
}

fn close(out: &mut String, run: &mut String, kind: Run) {
    if run.is_empty() {
        return;
    }
    match kind {
        Run::Words => out.push_str(&format!("\\text{{{run}}}")),
        Run::Sup => out.push_str(&format!("^{{{run}}}")),
        Run::Sub => out.push_str(&format!("_{{{run}}}")),
        Run::Math => out.push_str(run),
    }
    run.clear();
}

/// One non-ASCII character of the tool's output as LaTeX math.
fn math_char(c: char) -> String {
    let fixed = match c {
        '−' => "-",
        '·' => "\\cdot ",
        '×' => "\\times ",
        '′' => "'",
        '∂' => "\\partial ",
        '⊙' => "\\odot ",
        '≥' => "\\ge ",
        '≤' => "\\le ",
        '→' => "\\to ",
        '←' => "\\leftarrow ",
        '∇' => "\\nabla ",
        'Σ' | '∑' => "\\sum ",
        '½' => "\\tfrac{1}{2}",
        '⅓' => "\\tfrac{1}{3}",
        '⅔' => "\\tfrac{2}{3}",
        '¼' => "\\tfrac{1}{4}",
        '¾' => "\\tfrac{3}{4}",
        '√' => "\\surd ",
        '∞' => "\\infty ",
        '⟨' => "\\langle ",
        '⟩' => "\\rangle ",
        'ᵀ' => "^{\\top}",
        '✓' => "\\checkmark ",
        '…' => "\\ldots ",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    match greek(&c.to_string()) {
        Some(command) => format!("{command} "),
        // Anything else is spelled out by its code point, which every LaTeX accepts as text.
        None => format!("\\text{{U+{:04X}}}", c as u32),
    }
}
