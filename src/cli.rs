//! The terminal face: argument parsing, reading inputs, printing reports, exit codes.
//! Exit status: 0 success, 2 bad input of any kind (1 is kept for "an answer is wrong").

use crate::commands::args::{BookAction, Cli, Command, Format, ModeArg, NetActionArg, PictureArg, PlotKind};
use crate::commands::check::{SheetInput, check};
use crate::commands::derive::{DeriveRequest, derive};
use crate::commands::grad::{GradRequest, Mode, grad};
use crate::commands::graph::{GraphRequest, PictureFormat, graph};
use crate::commands::net::{NetAction, NetRequest, net_describe, net_grad, net_step, net_train};
use crate::error::Error;
use clap::Parser;
use std::io::{Read, Write};
use std::process::ExitCode;

/// Parses the command line, runs the command, prints, and picks the exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    if let Command::Check { sheets, hints, format } = cli.command {
        return run_check(sheets, hints, format);
    }
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
        Command::Check { .. } => unreachable!("check is run by `main` for its exit status"),
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
        Command::Net { file, action, table, plot, grad_norms, format } => {
            run_net(file, action, table, plot, grad_norms, format)
        }
        Command::Book { action } => match action {
            BookAction::Build { dir } => {
                let started = std::time::Instant::now();
                let built = crate::book::build(&dir)?;
                Ok(format!("built the book into {} in {:.1} s\n", built.display(), started.elapsed().as_secs_f64()))
            }
            BookAction::Preprocess { args } => {
                crate::book::preprocess_stdio(args.first().filter(|a| *a == "supports").map(|_| "supports"))?;
                Ok(String::new())
            }
        },
        Command::Plot { kind } => match kind {
            PlotKind::Function { expr, from, to, output } => {
                let (expression, source) = read_expression(&expr)?;
                write_output(crate::commands::plot::plot_function(&expression, &source, from, to)?, output)
            }
            PlotKind::Training { files, norms, output } => {
                let networks = files
                    .iter()
                    .map(|f| net_request(f).map(|r| (r.source_name.clone(), r)))
                    .collect::<Result<Vec<_>, _>>()?;
                let metric = if norms {
                    crate::commands::plot::TrainingMetric::GradientNorms
                } else {
                    crate::commands::plot::TrainingMetric::Loss
                };
                write_output(crate::commands::plot::plot_training(&networks, metric)?, output)
            }
            PlotKind::Boundary { file, output } => {
                write_output(crate::commands::plot::plot_boundary(&net_request(&file)?)?, output)
            }
            PlotKind::Descent { expr, start, lr, optimizer, steps, output } => {
                let (expression, source) = read_expression(&expr)?;
                let runs = crate::commands::plot::descent_runs(&optimizer, &lr)?;
                write_output(
                    crate::commands::plot::plot_descent(&expression, &source, &start, &runs, steps.min(10_000))?,
                    output,
                )
            }
        },
    }
}

fn run_net(
    file: std::path::PathBuf,
    action: NetActionArg,
    table: bool,
    plot: Option<std::path::PathBuf>,
    grad_norms: bool,
    format: Format,
) -> Result<String, Error> {
    let shown = file.display().to_string();
    let text = read_limited(&file)?;
    let base = file.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let action_kind = match action {
        NetActionArg::Describe => NetAction::Describe,
        NetActionArg::Grad => NetAction::Grad { table },
        NetActionArg::Step => NetAction::Step,
        NetActionArg::Train => NetAction::Train,
    };
    let request = NetRequest { text, source_name: shown, base, action: action_kind };
    Ok(match action {
        NetActionArg::Describe => {
            let r = net_describe(&request)?;
            match format {
                Format::Text => r.render_text(),
                Format::Latex => r.render_latex(),
                Format::Json => json_text(&r.to_json()),
            }
        }
        NetActionArg::Grad => {
            let r = net_grad(&request, table)?;
            if format == Format::Json { json_text(&r.to_json()) } else { r.render_text() }
        }
        NetActionArg::Step => {
            let r = net_step(&request)?;
            if format == Format::Json { json_text(&r.to_json()) } else { r.render_text() }
        }
        NetActionArg::Train => {
            use std::io::IsTerminal;
            let bar = if std::io::stderr().is_terminal() {
                indicatif::ProgressBar::new(0)
            } else {
                indicatif::ProgressBar::hidden()
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template("epoch {msg} [{bar:30}] {pos}/{len} samples")
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            let report = net_train(&request, grad_norms, |epoch, done, per_epoch, epochs| {
                bar.set_length((per_epoch * epochs) as u64);
                bar.set_message(format!("{epoch}/{epochs}"));
                bar.set_position(((epoch - 1) * per_epoch + done) as u64);
            })?;
            bar.finish_and_clear();
            if let Some(path) = plot {
                std::fs::write(&path, report.loss_curve())
                    .map_err(|e| Error::new(format!("cannot write `{}`: {e}", path.display())))?;
            }
            if format == Format::Json { json_text(&report.to_json()) } else { report.render_text() }
        }
    })
}

/// `check` has three outcomes, so it picks its own exit status.
fn run_check(paths: Vec<std::path::PathBuf>, hints: bool, format: Format) -> ExitCode {
    let mut inputs = Vec::new();
    for path in &paths {
        let name = path.display().to_string();
        match read_limited(path) {
            Ok(text) => inputs.push(SheetInput {
                name,
                text,
                base: path.parent().map(std::path::Path::to_path_buf).unwrap_or_default(),
            }),
            Err(e) => {
                eprint!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    let report = check(inputs, hints);
    let text = if format == Format::Json { json_text(&report.to_json()) } else { report.render_text() };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::from(report.exit_code())
}

/// Reads a text file of at most 16 MiB (network files, sheets).
fn read_limited(path: &std::path::Path) -> Result<String, Error> {
    let shown = path.display();
    let size = std::fs::metadata(path).map_err(|e| Error::new(format!("cannot read `{shown}`: {e}")))?.len();
    if size > crate::syntax::MAX_INPUT_BYTES as u64 {
        return Err(Error::new(format!("`{shown}` is too large: {size} bytes (at most 16 MiB)")));
    }
    std::fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read `{shown}`: {e}")))
}

/// A network file as a request (its data paths relative to the file).
fn net_request(file: &std::path::Path) -> Result<NetRequest, Error> {
    let shown = file.display().to_string();
    let text = read_limited(file)?;
    let base = file.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    Ok(NetRequest { text, source_name: shown, base, action: NetAction::Train })
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
