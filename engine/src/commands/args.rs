//! The command line's grammar: commands, flags and their help texts. The terminal (`cli`) and
//! the book's ```backprop blocks both read commands with it, so a block holds exactly what a
//! reader could type.

use super::help_text::{CHECK_HELP, EXERCISE_HELP, GRAD_HELP, GRAPH_HELP, LANGUAGE_HELP, NET_HELP};
use clap::{Parser, Subcommand, ValueEnum};

/// Backpropagation, step by step: symbolic and numeric derivatives on one computation graph.
#[derive(Parser, Debug)]
#[command(
    name = "backprop",
    version,
    about = "Backpropagation, step by step: symbolic and numeric derivatives on one computation graph",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// The language of what the tool says (verdicts, hints, headings, notes, pictures' words,
    /// errors): en or zh (简体中文). By default the environment's (LC_ALL, LC_MESSAGES, LANG: zh_*
    /// is Chinese), else English. Formulas, numbers, JSON keys and error positions are the same.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<crate::lang::Lang>,
}
#[derive(Subcommand, Debug)]
pub enum Command {
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
        /// Give --at again for more points: the values are then shown as a table, a row per
        /// point. Names the expression does not use are allowed (with a note).
        #[arg(long, value_name = "V=X,…", allow_hyphen_values = true)]
        at: Vec<String>,
        /// text: Unicode formulas; latex: an aligned block; json: the interface of docs/json.md.
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
        /// The point, e.g. `x=-2,y=5,z=-4`; every variable needs a value. Give --at again for
        /// more points: a table per point.
        #[arg(long, value_name = "V=X,…", allow_hyphen_values = true, required = true)]
        at: Vec<String>,
        /// Round every intermediate to N significant digits (1–15), as a hand calculation does.
        #[arg(long, value_name = "N")]
        digits: Option<u32>,
        /// reverse: adjoints by one backward pass; forward: tangents, one pass per variable.
        #[arg(long, value_enum, default_value_t = ModeArg::Reverse)]
        mode: ModeArg,
        /// text: the table; latex: the table as an array; json: the same table as data.
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
    /// Checks hand-computed answers in exercise sheets and explains likely mistakes.
    #[command(after_long_help = CHECK_HELP)]
    Check {
        /// One or more exercise sheets.
        #[arg(required_unless_present = "class", conflicts_with = "class")]
        sheets: Vec<std::path::PathBuf>,
        /// Mark a folder of filled-in variants (every .txt but keys): a gradebook CSV and a
        /// summary of the class.
        #[arg(long, value_name = "DIR")]
        class: Option<std::path::PathBuf>,
        /// Where --class writes the gradebook (default: DIR/gradebook.csv).
        #[arg(long, value_name = "FILE", requires = "class")]
        gradebook: Option<std::path::PathBuf>,
        /// Show the first step of the right derivation for each check, without the answer.
        #[arg(long)]
        hints: bool,
        /// text: a line per check; json: the verdicts as data (docs/exercise-sheets.md).
        #[arg(long, value_enum, default_value_t = DataFormat::Text)]
        format: DataFormat,
    },
    /// Exercises for a class: variants of a sheet with each student's own numbers, their keys,
    /// links a student opens in the live book, and a Moodle export.
    #[command(after_long_help = EXERCISE_HELP)]
    Exercise {
        #[command(subcommand)]
        action: ExerciseAction,
    },
    /// Plots as SVG: a function and its derivative, descent paths, training curves, decision regions.
    Plot {
        #[command(subcommand)]
        kind: PlotKind,
    },
    /// The book: build it (in-process mdBook; nothing else to install).
    Book {
        #[command(subcommand)]
        action: BookAction,
    },
    /// Shell completions: `source <(backprop completions bash)`, or save the output where your
    /// shell loads completions from (zsh: a file `_backprop` on $fpath; fish:
    /// ~/.config/fish/completions/backprop.fish).
    Completions {
        /// The shell to write completions for.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// The manual page (roff), for `man`: `backprop man > backprop.1 && man ./backprop.1`.
    Man,
    /// A network from a network file: describe, grad, step or train it.
    #[command(after_long_help = NET_HELP)]
    Net {
        /// The network file.
        file: std::path::PathBuf,
        /// What to do with the network.
        #[arg(value_enum, default_value_t = NetActionArg::Describe)]
        action: NetActionArg,
        /// With grad: the per-unit hand calculation (net, out, ∂E/∂out, ∂out/∂net, δ, ∂E/∂w, updated w).
        #[arg(long)]
        table: bool,
        /// With train: write the loss curve to this SVG file.
        #[arg(long, value_name = "FILE")]
        plot: Option<std::path::PathBuf>,
        /// With train: log each layer's mean gradient norm ‖∂E/∂Wˡ‖ per epoch.
        #[arg(long)]
        grad_norms: bool,
        /// With train: show every Nth epoch in the table (the first and the last always show).
        /// By default all of them up to 25 epochs, else about 20 rows.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        every: Option<u32>,
        /// text; latex (describe and grad: the equations, the gradients as matrices); json.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// The shells completions are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}
#[derive(Subcommand, Debug)]
pub enum BookAction {
    /// Builds the book in DIR (default `book`) into its build-dir (DIR/build unless book.toml names
    /// another), and the Chinese edition into build-dir/zh-Hans when book.toml asks for it: every
    /// ```backprop block expanded with the tool's output, math as MathML. A book is data: a program
    /// it names, or a path leading out of DIR, is refused; only regular files inside DIR are read.
    Build {
        /// The book's folder (it holds book.toml).
        #[arg(default_value = "book")]
        dir: std::path::PathBuf,
    },
    /// Serves the built book (its build-dir, DIR/build by default) on http://127.0.0.1:PORT, so
    /// that its live parts (the engine in WebAssembly) run: browsers do not run them from a
    /// file:// page. Only requests for 127.0.0.1:PORT or localhost:PORT are answered.
    Serve {
        /// The book's folder (it holds book.toml and, once built, build/).
        #[arg(default_value = "book")]
        dir: std::path::PathBuf,
        /// The port to listen on (on 127.0.0.1 only); 0 picks a free one.
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
    /// Updates the Chinese catalogue DIR/po/zh-Hans.po (gettext) from the English: new units empty,
    /// changed ones fuzzy; `book build` fails while any is. Edit it in a PO editor (Poedit).
    Po {
        /// The book's folder (it holds book.toml).
        #[arg(default_value = "book")]
        dir: std::path::PathBuf,
    },
    /// The mdBook preprocessor protocol, for `mdbook build` with `[preprocessor.backprop]`.
    #[command(hide = true)]
    Preprocess {
        /// `supports RENDERER`, as mdbook asks.
        args: Vec<String>,
    },
}
#[derive(Subcommand, Debug)]
pub enum PlotKind {
    /// Trains each network file and plots its loss per epoch, or (--norms) each layer's
    /// gradient norm in the first epoch against depth.
    Training {
        /// Network files with data and a `train` line; one curve each.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// Plot per-layer gradient norms instead of the loss.
        #[arg(long)]
        norms: bool,
        /// Write the SVG to this file instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Trains a network with 2 inputs and draws its decision regions over the data.
    Boundary {
        /// A network file with 2 inputs, data and a `train` line.
        file: std::path::PathBuf,
        /// Write the SVG to this file instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Trains a network with 1 input and 1 output and draws its fitted curve over the data.
    Fit {
        /// A network file with 1 input, 1 output, data and a `train` line.
        file: std::path::PathBuf,
        /// Write the SVG to this file instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// f and its derivative over an interval, for a function of one variable.
    Function {
        /// The expression (one variable), `-` for standard input, or `@FILE`.
        #[arg(allow_hyphen_values = true)]
        expr: String,
        /// Where the interval starts.
        #[arg(long, default_value_t = -6.0, allow_hyphen_values = true)]
        from: f64,
        /// Where the interval ends.
        #[arg(long, default_value_t = 6.0, allow_hyphen_values = true)]
        to: f64,
        /// Write the SVG to this file instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Gradient-descent paths over the surface of a function of two variables.
    Descent {
        /// The expression (two variables), `-` for standard input, or `@FILE`.
        #[arg(allow_hyphen_values = true)]
        expr: String,
        /// The starting point, e.g. `x=-1.5,y=1.5`.
        #[arg(long, allow_hyphen_values = true)]
        start: String,
        /// Learning rates, one path each (e.g. `0.01,0.1,0.5`).
        #[arg(long, value_delimiter = ',', default_value = "0.1")]
        lr: Vec<f64>,
        /// Optimizers, one path each with every learning rate: sgd momentum nesterov rmsprop adam.
        #[arg(long, value_delimiter = ',', default_value = "sgd")]
        optimizer: Vec<String>,
        /// Steps per path (at most 10,000; paths × (steps + 1) at most 100,010).
        #[arg(long, default_value_t = 40)]
        steps: usize,
        /// Write the SVG to this file instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
}
#[derive(Subcommand, Debug)]
pub enum ExerciseAction {
    /// Writes COUNT variants of SHEET into a folder: each student's sheet (variant-07.txt), its
    /// key with the working (variant-07-key.txt), links.txt and copies of the files they name.
    Variants {
        /// The teacher's sheet, with choices in its `at` lines.
        sheet: std::path::PathBuf,
        /// How many variants (1–1000).
        #[arg(long, default_value_t = 30)]
        count: usize,
        /// The same seed gives the same variants, keys and links (a whole number, 0–2^64−1).
        #[arg(long, default_value_t = 1, value_parser = seed, allow_hyphen_values = true)]
        seed: u64,
        /// The folder to write into (made if it does not exist).
        #[arg(long, value_name = "DIR", default_value = "variants")]
        out: std::path::PathBuf,
    },
    /// One variant's sheet on standard output (--key: its key), as the live book's link shows it.
    Show {
        /// The teacher's sheet, with choices in its `at` lines.
        sheet: std::path::PathBuf,
        /// Which variant (1 to COUNT).
        #[arg(long)]
        number: usize,
        /// How many variants the class has (the id written in the sheet).
        #[arg(long, default_value_t = 30)]
        count: usize,
        /// The same seed gives the same variants, keys and links (a whole number, 0–2^64−1).
        #[arg(long, default_value_t = 1, value_parser = seed, allow_hyphen_values = true)]
        seed: u64,
        /// The key: every answer filled in, and the working.
        #[arg(long)]
        key: bool,
    },
    /// The variants as Moodle XML: a numerical question per check, a category per variant.
    Moodle {
        /// The teacher's sheet, with choices in its `at` lines.
        sheet: std::path::PathBuf,
        /// How many variants (1–1000).
        #[arg(long, default_value_t = 30)]
        count: usize,
        /// The same seed gives the same variants, keys and links (a whole number, 0–2^64−1).
        #[arg(long, default_value_t = 1, value_parser = seed, allow_hyphen_values = true)]
        seed: u64,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
}

/// A seed: a whole number from 0 to 2^64 − 1.
fn seed(text: &str) -> std::result::Result<u64, String> {
    text.trim().parse().map_err(|_| format!("the seed is a whole number from 0 to {} (`{text}` is not)", u64::MAX))
}
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NetActionArg {
    /// Layers, shapes, parameter counts and the δ-equations of this network.
    Describe,
    /// Loss and gradients on the first batch, checked by finite differences and on the
    /// unrolled scalar graph.
    Grad,
    /// One update with the `train` line's optimizer; the loss before and after.
    Step,
    /// Training, with a progress bar, per-epoch loss and accuracy.
    Train,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PictureArg {
    Svg,
    Dot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// One forward pass for the values, one backward pass for every partial at once.
    Reverse,
    /// One forward pass with tangents per variable (dual numbers).
    Forward,
}

/// For reports that are data without formulas: a text report or JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Latex,
    Json,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every argument of every command says what it is for in `--help` (clap shows nothing for
    /// an argument without a doc comment).
    #[test]
    fn every_argument_has_help() {
        fn visit(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if !["help", "version"].contains(&id) && arg.get_help().is_none() && !arg.is_hide_set() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
                visit(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        visit(&Cli::command(), "backprop", &mut missing);
        assert!(missing.is_empty(), "arguments without help: {missing:?}");
    }
}
