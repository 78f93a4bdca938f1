//! The terminal face: argument parsing, reading inputs, printing reports, exit codes.
//! Exit status: 0 success, 2 bad input of any kind (1 is kept for "an answer is wrong").

use crate::commands::derive::{DeriveRequest, derive};
use crate::commands::grad::{GradRequest, Mode, grad};
use crate::commands::graph::{GraphRequest, PictureFormat, graph};
use crate::error::Error;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};
use std::process::ExitCode;

const LANGUAGE_HELP: &str = "\
THE EXPRESSION LANGUAGE
  numbers      3   0.25   1e-3              (exact: x^3/3 differentiates to x²)
  names        w  x1  x_0  θ  λ              letters, digits and _, starting with a letter
  operators    + -   * /   unary -   ^      loosest first; ^ is right-associative,
                                             so -x^2 is -(x²) and a^b^c is a^(b^c)
  functions    sigmoid (σ)  tanh  relu  softplus  exp  log (ln)  sqrt  abs  sin  cos
               sign  max(a, b)  min(a, b)
  brackets     [u > 0]  [a ≥ b]              1 where the comparison holds, else 0
  statements   name = expr, separated by ; or new lines; the last one is the output
  comments     # to the end of the line
  Output can be pasted back: · × for *, − for -, x² superscripts and σ are read too.

EXAMPLES
  backprop derive \"sigmoid(w*x + b)\"
  backprop derive \"z = w*x + b; a = sigmoid(z); L = (a - y)^2/2\" --wrt w,b
  backprop derive \"-(y*log(p) + (1-y)*log(1-p))\" --at y=1,p=0.8
  backprop derive \"(x + y)*z\" --at x=-2,y=5,z=-4 --format json
  backprop derive @loss.txt          # read the expression from a file
  echo \"x^3/3\" | backprop derive -   # or from standard input

EXIT STATUS
  0 success; 2 bad input (a message with line:column and a caret says where).";

/// Backpropagation, step by step: symbolic and numeric derivatives on one computation graph.
#[derive(Parser, Debug)]
#[command(name = "backprop", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Symbolic partial derivatives in textbook form; with --at, their values checked by
    /// finite differences.
    #[command(after_long_help = LANGUAGE_HELP, after_help = "Run `backprop derive --help` for the expression language and examples.")]
    Derive {
        /// The expression, `-` to read it from standard input, or `@FILE` to read a file.
        #[arg(allow_hyphen_values = true)]
        expr: String,
        /// Differentiate with respect to these variables or named intermediates only
        /// (comma-separated; default: every variable, in order of appearance).
        #[arg(long, value_name = "V,…")]
        wrt: Option<String>,
        /// Evaluate at this point, e.g. `w=0.5,x=1.5,b=-0.25`; every variable needs a value
        /// (a number or a constant expression such as 1/3 or sqrt(2)). Each partial's value is
        /// checked against a central finite difference.
        #[arg(long, value_name = "V=X,…", allow_hyphen_values = true)]
        at: Option<String>,
        /// text: Unicode formulas; latex: an aligned block; json: the stable interface of SPEC.md.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Show the derivation step by step: the chain rule node by node, naming each rule.
        #[arg(long)]
        steps: bool,
    },
    /// The forward and backward pass as a table: one row per graph node with its value, its
    /// local derivatives and its adjoint ∂f/∂node, then the gradient.
    #[command(after_long_help = GRAD_HELP)]
    Grad {
        /// The expression, `-` for standard input, or `@FILE`.
        #[arg(allow_hyphen_values = true)]
        expr: String,
        /// The point, e.g. `x=-2,y=5,z=-4`; every variable needs a value.
        #[arg(long, value_name = "V=X,…", allow_hyphen_values = true, required = true)]
        at: String,
        /// Round every intermediate to N significant digits (1–15), as a hand calculation does.
        #[arg(long, value_name = "N")]
        digits: Option<u32>,
        /// reverse: adjoints by one backward pass; forward: tangents, one pass per variable.
        #[arg(long, value_enum, default_value_t = ModeArg::Reverse)]
        mode: ModeArg,
        /// text: the table; json: the same table as data.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The computation graph as a picture (SVG, drawn without Graphviz, or DOT); with --at,
    /// every node shows its forward value (green) and its gradient ∂f/∂node (red).
    #[command(after_long_help = GRAPH_HELP)]
    Graph {
        /// The expression, `-` for standard input, or `@FILE`.
        #[arg(allow_hyphen_values = true)]
        expr: String,
        /// The point, e.g. `x=-2,y=5,z=-4`, to show values and gradients.
        #[arg(long, value_name = "V=X,…", allow_hyphen_values = true)]
        at: Option<String>,
        /// svg: a picture for a browser; dot: Graphviz input.
        #[arg(long, value_enum, default_value_t = PictureArg::Svg)]
        format: PictureArg,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PictureArg {
    Svg,
    Dot,
}

const GRAPH_HELP: &str = "\
Inputs are on the left, the output on the right. Gates fold their constants into the label
(`× 2`, `−` for negation, `·²` for a square, `1/·` for a reciprocal). Operations are named as in
`backprop grad` (u₁, u₂, …), so the picture and the table can be read side by side.

EXAMPLES
  backprop graph \"(x + y)*z\" --at x=-2,y=5,z=-4 -o circuit.svg
  backprop graph \"z = w*x + b; a = sigmoid(z); L = (a - y)^2/2\" --format dot | dot -Tpng > g.png

EXIT STATUS
  0 success; 2 bad input, or a file that cannot be written.";

const GRAD_HELP: &str = "\
Rows are in topological order: read them top-down for the forward pass (values) and bottom-up
for the backward pass (adjoints). Unnamed operations are called u₁, u₂, … . Where a node feeds
several others, its adjoint is shown as the sum of their contributions.

EXAMPLES
  backprop grad \"(x + y)*z\" --at x=-2,y=5,z=-4
  backprop grad \"sigmoid(w0*x0 + w1*x1 + w2)\" --at w0=2,x0=-1,w1=-3,x1=-2,w2=-3 --digits 2
  backprop grad \"x*y + x\" --at x=3,y=2 --mode forward

EXIT STATUS
  0 success; 2 bad input.";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ModeArg {
    /// One forward pass for the values, one backward pass for every partial at once.
    Reverse,
    /// One forward pass with tangents per variable (dual numbers).
    Forward,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Latex,
    Json,
}

/// Parses the command line, runs the command, prints, and picks the exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match run(cli) {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprint!("{e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<String, Error> {
    match cli.command {
        Command::Derive { expr, wrt, at, format, steps } => {
            let (expression, source_name) = read_expression(&expr)?;
            let report = derive(&DeriveRequest { expression, source_name, wrt, at, steps })?;
            Ok(match format {
                Format::Text => report.render_text(),
                Format::Latex => report.render_latex(),
                Format::Json => {
                    format!("{}\n", serde_json::to_string_pretty(&report.to_json()).expect("JSON values serialize"))
                }
            })
        }
        Command::Grad { expr, at, digits, mode, format } => {
            let (expression, source_name) = read_expression(&expr)?;
            let mode = match mode {
                ModeArg::Reverse => Mode::Reverse,
                ModeArg::Forward => Mode::Forward,
            };
            let report = grad(&GradRequest { expression, source_name, at, digits, mode })?;
            Ok(match format {
                Format::Json => json_text(&report.to_json()),
                Format::Text | Format::Latex => report.render_text(),
            })
        }
        Command::Graph { expr, at, format, output } => {
            let (expression, source_name) = read_expression(&expr)?;
            let format = match format {
                PictureArg::Svg => PictureFormat::Svg,
                PictureArg::Dot => PictureFormat::Dot,
            };
            let report = graph(&GraphRequest { expression, source_name, at, format })?;
            write_output(report.render(), output)
        }
    }
}

fn write_output(text: String, output: Option<std::path::PathBuf>) -> Result<String, Error> {
    match output {
        None => Ok(text),
        Some(path) => {
            std::fs::write(&path, text).map_err(|e| Error::new(format!("cannot write `{}`: {e}", path.display())))?;
            Ok(String::new())
        }
    }
}

fn json_text(value: &serde_json::Value) -> String {
    format!("{}\n", serde_json::to_string_pretty(value).expect("JSON values serialize"))
}

/// `-` reads standard input, `@FILE` a file, anything else is the expression itself.
fn read_expression(arg: &str) -> Result<(String, String), Error> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .take(crate::syntax::MAX_INPUT_BYTES as u64 + 1)
            .read_to_string(&mut text)
            .map_err(|e| Error::new(format!("cannot read standard input: {e}")))?;
        return Ok((text, "stdin".into()));
    }
    if let Some(path) = arg.strip_prefix('@') {
        let metadata = std::fs::metadata(path).map_err(|e| Error::new(format!("cannot read `{path}`: {e}")))?;
        if metadata.len() > crate::syntax::MAX_INPUT_BYTES as u64 {
            return Err(Error::new(format!("`{path}` is too large: {} bytes (at most 16 MiB)", metadata.len())));
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read `{path}`: {e}")))?;
        return Ok((text, path.to_string()));
    }
    Ok((arg.to_string(), "expression".into()))
}
