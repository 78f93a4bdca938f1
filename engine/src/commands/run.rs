//! The one dispatcher: a command line in, a report out, and the bytes a terminal would show.
//! The terminal, the book and the browser all call it, so the same request gives the same
//! text everywhere.

use super::args::{Cli, Command, DataFormat, ExerciseAction, Format, ModeArg, NetActionArg, PictureArg, PlotKind};
use super::check::{CheckReport, SheetInput, check};
use super::class::{ClassReport, class};
use super::derive::{DeriveReport, DeriveRequest, derive};
use super::grad::{GradReport, GradRequest, Mode, grad};
use super::graph::{GraphReport, GraphRequest, PictureFormat, graph};
use super::net::{DescribeReport, NetRequest, StepReport, TrainReport, net_describe, net_grad, net_step, net_train};
use super::plot::{
    PlotReport, TrainingMetric, descent_runs, plot_boundary, plot_descent, plot_fit, plot_function, plot_training,
};
use crate::error::{Error, Phrase, Result, both};
use crate::host::Host;
use crate::lang::Lang;
use crate::syntax::read_text;
use clap::Parser;
use clap::error::{ContextKind, ContextValue};

/// What a command computed, before it is rendered.
pub enum Report {
    Derive(DeriveReport),
    /// One table per `--at` point.
    Grad(Vec<GradReport>),
    Graph(GraphReport),
    Check(CheckReport),
    NetDescribe(DescribeReport),
    NetGrad(super::net::GradReport),
    NetStep(StepReport),
    NetTrain(TrainReport),
    /// A plot: its SVG and the runs it draws.
    Plot(PlotReport),
    /// `check --class`: the sheets, the gradebook and the summary.
    Class(ClassReport),
    /// `exercise …`: text to show, files to write and the folder they go in.
    Exercise {
        text: String,
        files: Vec<(String, String)>,
        folder: Option<String>,
    },
}

/// What a run shows: standard output and error, the exit status, and the files it writes
/// (`-o FILE`, `--plot FILE`), which the terminal writes and the browser hands back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub status: u8,
    pub files: Vec<(String, String)>,
    /// Folders to make before the files are written (`exercise variants --out DIR`).
    pub folders: Vec<String>,
}

impl Outcome {
    /// Bad input: the message on standard error, status 2.
    pub fn error(e: &Error, lang: Lang) -> Outcome {
        Outcome { stderr: e.render(lang), status: 2, ..Outcome::default() }
    }

    /// What a reader is shown: standard output and error with every character that could act
    /// on a terminal escaped (`ESC` → `\u001b`), whoever wrote it (a title, a network's name, a
    /// file name, an argument clap repeats). The terminal and the page both show this, so they
    /// still show the same bytes. Files are written as computed.
    pub fn shown(self) -> Outcome {
        let safe = |text: String| match crate::error::terminal_safe(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(escaped) => escaped,
        };
        Outcome { stdout: safe(self.stdout), stderr: safe(self.stderr), ..self }
    }
}

/// Reads a command line (without the program's name) with the CLI's own grammar; help,
/// version and usage errors become the outcome clap's terminal would print.
pub fn parse(args: &[String]) -> std::result::Result<Cli, Outcome> {
    Cli::try_parse_from(std::iter::once("backprop".to_string()).chain(args.iter().cloned())).map_err(|e| {
        let mut text = e.render().to_string();
        if let Some(ContextValue::String(word)) = e.get(ContextKind::InvalidSubcommand)
            && let Some(tip) = command_by_meaning(word)
        {
            // By meaning, not spelling: `diff` is `derive`, not `grad`.
            let lines: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("tip:")).collect();
            let mut out = lines[0].to_string();
            out.push_str(&format!("\n\n  tip: {tip}"));
            for line in &lines[1..] {
                out.push('\n');
                out.push_str(line);
            }
            text = out.replace("\n\n\n", "\n\n") + "\n";
        }
        if e.use_stderr() {
            Outcome { stderr: text, status: 2, ..Outcome::default() }
        } else {
            Outcome { stdout: text, status: 0, ..Outcome::default() }
        }
    })
}

/// The command a word from another tool or from plain English means.
fn command_by_meaning(word: &str) -> Option<&'static str> {
    Some(match word.to_lowercase().as_str() {
        "diff" | "differentiate" | "d" | "derivative" | "derivatives" | "partial" | "partials" | "deriv" => {
            "to differentiate, use `backprop derive EXPR`"
        }
        "gradient" | "backward" | "backprop" | "adjoint" | "adjoints" | "table" | "forward" => {
            "for the forward and backward pass as a table, use `backprop grad EXPR --at …`"
        }
        "draw" | "picture" | "dot" | "svg" | "circuit" | "dag" | "visualize" | "visualise" => {
            "to draw the computation graph, use `backprop graph EXPR`"
        }
        "train" | "network" | "nn" | "model" | "fit" | "describe" => {
            "for networks, use `backprop net FILE [describe|grad|step|train]`"
        }
        "grade" | "mark" | "test" | "verify" | "exercise" | "exercises" | "sheet" => {
            "to check answers, use `backprop check SHEET`"
        }
        "chart" | "curve" => "for plots, use `backprop plot function|descent|training|boundary`",
        "build" | "mdbook" => "to build the book, use `backprop book build`",
        "completion" | "complete" => "for shell completions, use `backprop completions bash|zsh|fish`",
        "manual" | "manpage" | "doc" | "docs" => "for the manual page, use `backprop man`",
        _ => return None,
    })
}

/// Parses and runs a command line.
pub fn run(args: &[String], host: &dyn Host) -> Outcome {
    match parse(args) {
        Ok(cli) => outcome(&cli.command, cli.lang.unwrap_or_else(|| host.language()), host),
        Err(outcome) => outcome,
    }
}

/// Runs a parsed command and renders it as the terminal shows it.
pub fn outcome(command: &Command, lang: Lang, host: &dyn Host) -> Outcome {
    let report = match execute(command, lang, host) {
        Ok(report) => report,
        Err(e) => return Outcome::error(&e, lang),
    };
    let text = report.render(format_of(command));
    let notes = report.notes(lang).into_iter().map(|n| format!("{n}\n")).collect::<String>();
    let status = match &report {
        Report::Check(c) => c.exit_code(),
        Report::Class(c) => c.check.exit_code(),
        _ => 0,
    };
    match &report {
        Report::Class(c) => {
            let files = vec![(c.gradebook_path.clone(), c.gradebook.clone())];
            return Outcome { stdout: text, stderr: notes, status, files, ..Outcome::default() };
        }
        Report::Exercise { files, folder, .. } if !files.is_empty() => {
            let folders = folder.iter().cloned().collect();
            return Outcome { stdout: text, stderr: notes, status, files: files.clone(), folders };
        }
        _ => {}
    }
    match written_file(command) {
        Some(path) if !matches!(command, Command::Net { .. }) => {
            Outcome { stderr: notes, status, files: vec![(path, text)], ..Outcome::default() }
        }
        Some(path) => {
            let curve = match &report {
                Report::NetTrain(r) => r.loss_curve(),
                _ => String::new(),
            };
            Outcome { stdout: text, status, files: vec![(path, curve)], ..Outcome::default() }
        }
        None => Outcome { stdout: text, stderr: notes, status, ..Outcome::default() },
    }
}

/// Each flag of `net` belongs to some of its actions; one given to another is a mistake to
/// say, not to ignore.
fn net_flags(action: NetActionArg, table: bool, plot: bool, grad_norms: bool, format: Format) -> Result<()> {
    let name = match action {
        NetActionArg::Describe => "describe",
        NetActionArg::Grad => "grad",
        NetActionArg::Step => "step",
        NetActionArg::Train => "train",
    };
    let misplaced = [
        (table && action != NetActionArg::Grad, "--table", "`net FILE grad`"),
        (plot && action != NetActionArg::Train, "--plot", "`net FILE train`"),
        (grad_norms && action != NetActionArg::Train, "--grad-norms and --every", "`net FILE train`"),
        (
            format == Format::Latex && matches!(action, NetActionArg::Step | NetActionArg::Train),
            "--format latex",
            "`net FILE describe` and `net FILE grad`",
        ),
    ];
    match misplaced.iter().find(|m| m.0) {
        Some((_, flag, goes_with)) => {
            // The Chinese joins two flags or two commands with 和.
            let (flag_zh, goes_with_zh) = (flag.replace(" and ", " 和 "), goes_with.replace(" and ", " 和 "));
            Err(Error::new(both(
                format!("{flag} goes with {goes_with}, not with `net FILE {name}`"),
                format!("{flag_zh} 要与 {goes_with_zh} 一起用，不能用于 `net FILE {name}`"),
            )))
        }
        None => Ok(()),
    }
}

/// The format a command asked for (pictures and plots have their own).
fn format_of(command: &Command) -> Format {
    match command {
        Command::Derive { format, .. } | Command::Grad { format, .. } | Command::Net { format, .. } => *format,
        Command::Check { format: DataFormat::Json, .. } => Format::Json,
        _ => Format::Text,
    }
}

/// The file a command writes instead of (or besides) standard output.
fn written_file(command: &Command) -> Option<String> {
    let path = match command {
        Command::Graph { output, .. } => output.as_ref(),
        Command::Net { plot, action: NetActionArg::Train, .. } => plot.as_ref(),
        Command::Plot { kind } => match kind {
            PlotKind::Training { output, .. }
            | PlotKind::Boundary { output, .. }
            | PlotKind::Fit { output, .. }
            | PlotKind::Function { output, .. }
            | PlotKind::Descent { output, .. } => output.as_ref(),
        },
        _ => None,
    };
    path.map(|p| p.display().to_string())
}

/// An expression argument: `-` is standard input, `@FILE` a file, anything else the text.
/// Returns the text and what to call it in messages.
pub fn read_expression(arg: &str, host: &dyn Host) -> Result<(String, String)> {
    let (path, name) = match arg {
        "-" => ("-", "stdin"),
        _ => match arg.strip_prefix('@') {
            Some(path) => (path, path),
            None => return Ok((arg.to_string(), "expression".into())),
        },
    };
    Ok((read_text(host, path, name)?, name.to_string()))
}

/// A network file named on the command line, as a request.
pub fn net_request(path: &str, host: &dyn Host) -> Result<NetRequest> {
    let text = read_text(host, path, path)?;
    let base = path.rsplit_once('/').map_or(String::new(), |(folder, _)| folder.to_string());
    Ok(NetRequest { text, source_name: path.to_string(), base })
}

/// Runs a command: the one place that maps arguments to the engine's requests.
pub fn execute(command: &Command, lang: Lang, host: &dyn Host) -> Result<Report> {
    Ok(match command {
        Command::Derive { expr, wrt, at, steps, .. } => {
            let (expression, source_name) = read_expression(expr, host)?;
            let request = DeriveRequest { expression, source_name, wrt: wrt.clone(), at: at.clone(), steps: *steps };
            let mut report = derive(&request)?;
            report.lang = lang;
            Report::Derive(report)
        }
        Command::Grad { expr, at, digits, mode, .. } => {
            let (expression, source_name) = read_expression(expr, host)?;
            let mode = match mode {
                ModeArg::Reverse => Mode::Reverse,
                ModeArg::Forward => Mode::Forward,
            };
            let tables = at
                .iter()
                .map(|at| {
                    let (expression, source_name) = (expression.clone(), source_name.clone());
                    let request = GradRequest { expression, source_name, at: at.clone(), digits: *digits, mode };
                    grad(&request).map(|report| GradReport { lang, ..report })
                })
                .collect::<Result<Vec<_>>>()?;
            Report::Grad(tables)
        }
        Command::Graph { expr, at, format, .. } => {
            let (expression, source_name) = read_expression(expr, host)?;
            let format = match format {
                PictureArg::Svg => PictureFormat::Svg,
                PictureArg::Dot => PictureFormat::Dot,
            };
            Report::Graph(graph(&GraphRequest { expression, source_name, at: at.clone(), format, lang })?)
        }
        Command::Check { class: Some(dir), gradebook, .. } => {
            let gradebook = gradebook.as_ref().map(|p| p.display().to_string());
            Report::Class(class(&dir.display().to_string(), gradebook.as_deref(), lang, host)?)
        }
        Command::Exercise { action } => exercise(action, lang, host)?,
        Command::Check { sheets, hints, .. } => {
            let mut inputs = Vec::new();
            for path in sheets {
                let name = path.display().to_string();
                let text = read_text(host, &name, &name)?;
                let base = name.rsplit_once('/').map_or(String::new(), |(folder, _)| folder.to_string());
                inputs.push(SheetInput { name, text, base });
            }
            Report::Check(check(inputs, *hints, lang, host))
        }
        Command::Net { file, action, table, grad_norms, plot, format, every } => {
            net_flags(*action, *table, plot.is_some(), *grad_norms || every.is_some(), *format)?;
            let request = net_request(&file.display().to_string(), host)?;
            match action {
                NetActionArg::Describe => Report::NetDescribe(net_describe(&request, lang)?),
                NetActionArg::Grad => {
                    Report::NetGrad(super::net::GradReport { lang, ..net_grad(&request, *table, host)? })
                }
                NetActionArg::Step => Report::NetStep(StepReport { lang, ..net_step(&request, host)? }),
                NetActionArg::Train => {
                    let mut report = net_train(&request, *grad_norms, host)?;
                    report.every = every.map(|n| n as usize);
                    report.lang = lang;
                    Report::NetTrain(report)
                }
            }
        }
        Command::Plot { kind } => Report::Plot(match kind {
            PlotKind::Function { expr, from, to, .. } => {
                let (expression, source) = read_expression(expr, host)?;
                plot_function(&expression, &source, *from, *to, lang)?
            }
            PlotKind::Training { files, norms, .. } => {
                let networks = files
                    .iter()
                    .map(|f| net_request(&f.display().to_string(), host).map(|r| (r.source_name.clone(), r)))
                    .collect::<Result<Vec<_>>>()?;
                let metric = if *norms { TrainingMetric::GradientNorms } else { TrainingMetric::Loss };
                plot_training(&networks, metric, lang, host)?
            }
            PlotKind::Boundary { file, .. } => {
                plot_boundary(&net_request(&file.display().to_string(), host)?, lang, host)?
            }
            PlotKind::Fit { file, .. } => plot_fit(&net_request(&file.display().to_string(), host)?, lang, host)?,
            PlotKind::Descent { expr, start, lr, optimizer, steps, .. } => {
                let (expression, source) = read_expression(expr, host)?;
                let runs = descent_runs(optimizer, lr)?;
                plot_descent(&expression, &source, start, &runs, (*steps).min(10_000))?
            }
        }),
        Command::Book { .. } | Command::Completions { .. } | Command::Man => {
            return Err(Error::new(both(
                "`book`, `completions` and `man` are commands of the terminal only",
                "`book`、`completions` 和 `man` 只能在终端里使用",
            )));
        }
    })
}

/// `exercise variants|show|moodle`.
fn exercise(action: &ExerciseAction, lang: Lang, host: &dyn Host) -> Result<Report> {
    let path = |p: &std::path::PathBuf| p.display().to_string();
    Ok(match action {
        ExerciseAction::Variants { sheet, count, seed, out } => {
            let made = super::exercise::variants(&path(sheet), *count, *seed, &path(out), lang, host)?;
            Report::Exercise { text: made.summary, files: made.files, folder: Some(path(out)) }
        }
        ExerciseAction::Show { sheet, number, count, seed, key } => Report::Exercise {
            text: super::exercise::show(&path(sheet), (*number, *count), *seed, *key, lang, host)?,
            files: Vec::new(),
            folder: None,
        },
        ExerciseAction::Moodle { sheet, count, seed, output } => {
            let xml = super::exercise::moodle(&path(sheet), *count, *seed, host)?;
            match output {
                Some(file) => Report::Exercise { text: String::new(), files: vec![(path(file), xml)], folder: None },
                None => Report::Exercise { text: xml, files: Vec::new(), folder: None },
            }
        }
    })
}

fn json_text(value: &serde_json::Value) -> String {
    format!("{}\n", serde_json::to_string_pretty(value).expect("JSON values serialize"))
}

impl Report {
    /// Notes for standard error: how an expression was read, where it is not an error.
    /// What the terminal writes to standard error beside the output, each line with its
    /// `note: ` (`注：`), in `lang`, once each.
    pub fn notes(&self, lang: Lang) -> Vec<String> {
        let phrases: Vec<&Phrase> = match self {
            Report::Derive(r) => r.notes.iter().collect(),
            Report::Grad(r) => r.iter().flat_map(|r| &r.notes).collect(),
            Report::Graph(r) => r.notes.iter().collect(),
            _ => Vec::new(),
        };
        let mut notes: Vec<String> = phrases
            .into_iter()
            .map(|p| match lang {
                Lang::En => format!("note: {}", p.en),
                Lang::Zh => format!("注：{}", p.chinese()),
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        notes.retain(|n| seen.insert(n.clone()));
        notes
    }

    /// The text a terminal shows for this report in this format.
    pub fn render(&self, format: Format) -> String {
        match (self, format) {
            (Report::Derive(r), Format::Text) => r.render_text(),
            (Report::Derive(r), Format::Latex) => r.render_latex(),
            (Report::Derive(r), Format::Json) => json_text(&r.to_json()),
            (Report::Grad(r), Format::Text) => r.iter().map(GradReport::render_text).collect::<Vec<_>>().join("\n"),
            (Report::Grad(r), Format::Latex) => r.iter().map(GradReport::render_latex).collect::<Vec<_>>().join("\n"),
            (Report::Grad(r), Format::Json) => match r.as_slice() {
                [one] => json_text(&one.to_json()),
                many => {
                    json_text(&serde_json::json!({"points": many.iter().map(GradReport::to_json).collect::<Vec<_>>()}))
                }
            },
            (Report::Graph(r), _) => r.render(),
            (Report::Check(r), Format::Json) => json_text(&r.to_json()),
            (Report::Check(r), _) => r.render_text(),
            (Report::NetDescribe(r), Format::Text) => r.render_text(),
            (Report::NetDescribe(r), Format::Latex) => r.render_latex(),
            (Report::NetDescribe(r), Format::Json) => json_text(&r.to_json()),
            (Report::NetGrad(r), Format::Text) => r.render_text(),
            (Report::NetGrad(r), Format::Latex) => r.render_latex(),
            (Report::NetGrad(r), Format::Json) => json_text(&r.to_json()),
            (Report::NetStep(r), Format::Json) => json_text(&r.to_json()),
            (Report::NetStep(r), _) => r.render_text(),
            (Report::NetTrain(r), Format::Json) => json_text(&r.to_json()),
            (Report::NetTrain(r), _) => r.render_text(),
            (Report::Plot(plot), _) => plot.svg.clone(),
            (Report::Class(c), Format::Json) => json_text(&c.check.to_json()),
            (Report::Class(c), _) => {
                let at = crate::said::Said::GradebookAt { path: c.gradebook_path.clone() };
                format!("{}{}\n", c.summary, at.to(c.check.lang))
            }
            (Report::Exercise { text, .. }, _) => text.clone(),
        }
    }
}
