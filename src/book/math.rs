//! LaTeX → MathML when the book is built (pulldown-latex), so pages need no script and no CDN.
//! pulldown-latex writes bad LaTeX into the page as an error box and still succeeds; the parse
//! events are checked first, so bad LaTeX fails the build instead.

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
    Ok(out.replace("&amp;nbsp;", "\u{a0}"))
}

/// A block of math, centred on its own lines.
pub fn display(latex: &str) -> Result<String, String> {
    Ok(format!("\n<div class=\"math-display\">\n{}\n</div>\n", render(latex, DisplayMode::Block)?))
}

/// Math within a sentence.
pub fn inline(latex: &str) -> Result<String, String> {
    render(latex, DisplayMode::Inline)
}

#[cfg(test)]
mod tests {
    use super::display;
    use backprop_engine::commands::run::{Report, execute, parse};
    use backprop_engine::graph::func::Func;
    use backprop_engine::host::NoFiles;

    #[test]
    fn a_control_space_is_a_space_not_an_entity_shown_as_text() {
        let out = display("a \\ \\ b").unwrap();
        assert!(!out.contains("&amp;"), "{out}");
        assert!(out.contains('\u{a0}'), "{out}");
    }

    /// Every function of the language, raised to a power, divided, nested and differentiated,
    /// writes LaTeX that parses (`exp(z)²` once printed `e^{z}^{2}`, which does not).
    #[test]
    fn every_function_writes_latex_that_parses() {
        for f in Func::ALL {
            let info = f.info();
            let call = |x: &str| match info.arity {
                1 => format!("{}({x})", info.name),
                _ => format!("{}({x}, y)", info.name),
            };
            for shape in [
                format!("{}^2", call("x")),
                format!("{}^x", call("x")),
                format!("1/{}", call("x")),
                format!("{}^-3", call("x^2")),
                format!("s = {} + 1; p = {}/s", call("x"), call("x")),
                call(&call("x")),
            ] {
                let words: Vec<String> = ["derive", &shape, "--wrt", "x"].iter().map(|w| w.to_string()).collect();
                let cli = parse(&words).unwrap_or_else(|_| panic!("`{shape}` parses"));
                let Ok(Report::Derive(report)) = execute(&cli.command, &NoFiles) else {
                    panic!("`{shape}` is derived")
                };
                let latex = report.render_latex();
                display(&latex).unwrap_or_else(|e| panic!("`{shape}` gives LaTeX that does not parse: {e}\n{latex}"));
            }
        }
    }
}
