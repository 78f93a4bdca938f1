//! The book's math: LaTeX → MathML by the engine's renderer (`print::mathml`), which the live
//! page uses too.

pub use backprop_engine::print::mathml::{display, inline};

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
                let Ok(Report::Derive(report)) = execute(&cli.command, backprop_engine::lang::Lang::En, &NoFiles)
                else {
                    panic!("`{shape}` is derived")
                };
                let latex = report.render_latex();
                display(&latex).unwrap_or_else(|e| panic!("`{shape}` gives LaTeX that does not parse: {e}\n{latex}"));
            }
        }
    }
}
