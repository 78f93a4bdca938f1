//! LaTeX → MathML (pulldown-latex): the book renders its math when it is built, so pages need no
//! script and no CDN, and the live page renders an edited block's math with the same code.
//! pulldown-latex writes bad LaTeX into the page as an error box and still succeeds; the parse
//! events are checked first, so bad LaTeX is an error instead.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::event::{Content, Event};
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

fn render(latex: &str, mode: DisplayMode) -> Result<String, String> {
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(latex, &storage).collect();
    if let Some(Err(e)) = events.iter().find(|e| e.is_err()) {
        return Err(format!("{e} in `{}`", latex.trim()));
    }
    // pulldown-latex escapes text but writes operator names (`\operatorname{…}`) and numbers
    // into the page as they are: markup there would reach the HTML raw.
    let raw = events.iter().find_map(|e| match e {
        Ok(Event::Content(Content::Function(name) | Content::Number(name)))
            if name.contains(['<', '>', '&', '"', '\'']) =>
        {
            Some(*name)
        }
        _ => None,
    });
    if let Some(name) = raw {
        return Err(format!(
            "`{name}` cannot be an operator name or a number (no <, >, &, quotes) in `{}`",
            latex.trim()
        ));
    }
    let mut out = String::new();
    let config = RenderConfig { display_mode: mode, ..RenderConfig::default() };
    push_mathml(&mut out, events.into_iter(), config).map_err(|e| e.to_string())?;
    // pulldown-latex writes a control space (`\ `) as the text `&nbsp;` and then escapes it, so
    // the page would show "&nbsp;": put the character itself.
    Ok(spaced_attributes(&out.replace("&amp;nbsp;", "\u{a0}")))
}

/// pulldown-latex writes a sized delimiter (`\big(`) as `<mo … stretchy="true"minsize="…">`,
/// with no space between two attributes; markdown then does not see a tag there and writes the
/// text out (with curly quotes). A space after every attribute value that a name follows.
fn spaced_attributes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let (mut in_tag, mut in_value) = (false, false);
    let mut previous = ' ';
    for c in html.chars() {
        if in_tag && !in_value && previous == '"' && c.is_ascii_alphabetic() {
            out.push(' ');
        }
        match c {
            '<' if !in_value => in_tag = true,
            '>' if !in_value => in_tag = false,
            '"' if in_tag => in_value = !in_value,
            _ => {}
        }
        out.push(c);
        previous = c;
    }
    out
}

/// A block of math, centred on its own lines; it scrolls sideways when it is wider than the page,
/// so it can be reached from the keyboard (`tabindex`).
pub fn display(latex: &str) -> Result<String, String> {
    Ok(format!("\n<div class=\"math-display\" tabindex=\"0\">\n{}\n</div>\n", render(latex, DisplayMode::Block)?))
}

/// Math within a sentence.
pub fn inline(latex: &str) -> Result<String, String> {
    render(latex, DisplayMode::Inline)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sized_delimiters_are_well_formed_tags() {
        let out = super::inline("\\big( x \\big)").unwrap();
        assert!(!out.contains("\"minsize"), "{out}");
        assert!(out.contains("stretchy=\"true\" minsize"), "{out}");
    }
}
