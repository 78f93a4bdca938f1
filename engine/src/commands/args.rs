//! The command line's grammar: commands, flags and their help texts. The terminal (`cli`) and
//! the book's ```backprop blocks both read commands with it, so a block holds exactly what a
//! reader could type.

use super::sheet_help::{CHECK_HELP, EXERCISE_HELP};
use clap::{Parser, Subcommand, ValueEnum};

pub const LANGUAGE_HELP: &str = "\
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
#[command(
    name = "backprop",
    version,
    about = "Backpropagation, step by step: symbolic and numeric derivatives on one computation graph",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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

pub const NET_HELP: &str = "\
THE NETWORK LANGUAGE (one statement per line, # comments)
  network \"two-layer\"
  input 2
  dense 2 sigmoid  W = [[0.15, 0.20], [0.25, 0.30]]  b = [0.35, 0.35]
  dense 2 sigmoid  W = [[0.40, 0.45], [0.50, 0.55]]  b = [0.60, 0.60]
  loss half_sse
  data x = [0.05, 0.10]  target = [0.01, 0.99]
  train sgd lr 0.5 epochs 1 batch 1

  layers     input N; dense N ACT [W = [[…]] b = […]] with ACT in linear sigmoid tanh relu softmax;
             after a dense layer: dropout P, batchnorm, residual (input and output of equal size).
             W has one row per unit and one column per input: z = W·x + b. Parameters are named
             W1, b1, W2, b2, … (gamma1, beta1 with batchnorm).
  init       init xavier|he|normal seed S (default: he with relu layers, else xavier; seed 42)
  data       data x = […] target = […] (repeatable; a class index for cross_entropy),
             data xor | moons N noise σ seed S | spirals N classes K noise σ seed S |
             linear N inputs D noise σ seed S | logistic N inputs D seed S | digits |
             file \"path.csv\" target last|first. digits: the 8×8 handwritten digits, 1,437
             training and 360 held-out samples, pixels scaled to [0, 1].
  train      train sgd|momentum|nesterov|rmsprop|adam lr R epochs E batch B
             [momentum 0.9] [clip C] [l2 λ] [seed S] [freeze b1, b2]

LOSSES (m samples in a batch, k outputs)
  mse            E = (1/(m·k)) Σ Σ (y − t)²
  half_sse       E = (1/m) Σ ½ Σ (y − t)²
  bce            E = −(1/(m·k)) Σ Σ [t·log y + (1 − t)·log(1 − y)]      (sigmoid output)
  cross_entropy  E = −(1/m) Σ Σ t·log p    (softmax output; t one-hot or a class index)
  hinge          E = (1/m) Σ max(0, 1 − t·y)   (one output; targets ±1, 0/1 read as −1/+1)
  l2 λ adds λ/2·ΣW² over the weight matrices (not the biases).
  Accuracy: argmax for softmax, 0.5 threshold for one sigmoid output, the sign for hinge.

EXAMPLES
  backprop net examples/networks/two-layer.net describe
  backprop net examples/networks/two-layer.net grad --table
  backprop net examples/networks/digits.net train --plot loss.svg

EXIT STATUS
  0 success; 2 bad input (a message with line:column and a caret says where).";

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
        sheet: std::path::PathBuf,
        /// Which variant (1 to COUNT).
        #[arg(long)]
        number: usize,
        /// How many variants the class has (the id written in the sheet).
        #[arg(long, default_value_t = 30)]
        count: usize,
        #[arg(long, default_value_t = 1, value_parser = seed, allow_hyphen_values = true)]
        seed: u64,
        /// The key: every answer filled in, and the working.
        #[arg(long)]
        key: bool,
    },
    /// The variants as Moodle XML: a numerical question per check, a category per variant.
    Moodle {
        sheet: std::path::PathBuf,
        #[arg(long, default_value_t = 30)]
        count: usize,
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

pub const GRAPH_HELP: &str = "\
Inputs are on the left, the output on the right. Gates fold their constants into the label
(`× 2`, `−` for negation, `·²` for a square, `1/·` for a reciprocal). Operations are named as in
`backprop grad` (u₁, u₂, …), so the picture and the table can be read side by side.

EXAMPLES
  backprop graph \"(x + y)*z\" --at x=-2,y=5,z=-4 -o circuit.svg
  backprop graph \"z = w*x + b; a = sigmoid(z); L = (a - y)^2/2\" --format dot | dot -Tpng > g.png

EXIT STATUS
  0 success; 2 bad input, or a file that cannot be written.";

pub const GRAD_HELP: &str = "\
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
    use super::{Cli, LANGUAGE_HELP, NET_HELP};
    use crate::graph::func::Func;
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

    /// The help is written by hand for its layout; this keeps it naming every function of the
    /// one table, so adding a function without documenting it fails here.
    #[test]
    fn the_language_help_names_every_function() {
        for f in Func::ALL {
            let info = f.info();
            assert!(LANGUAGE_HELP.contains(info.name), "{} missing from LANGUAGE_HELP", info.name);
            for alias in info.aliases {
                assert!(LANGUAGE_HELP.contains(alias), "alias {alias} missing from LANGUAGE_HELP");
            }
        }
    }

    /// The same for the network language: every activation, loss and optimizer of the tables.
    #[test]
    fn the_network_help_names_every_activation_loss_and_optimizer() {
        use crate::net::spec::{Activation, Loss, Optimizer};
        let names = Activation::NAMES.iter().chain(&Loss::NAMES).chain(&Optimizer::NAMES);
        for name in names {
            assert!(
                NET_HELP.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == *name),
                "{name} missing from NET_HELP"
            );
        }
    }
}
