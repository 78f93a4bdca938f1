//! The terminal face: reads the files a command names, draws the progress bar, writes what
//! the command writes, prints, and exits with the command's status (0 success, 1 a wrong
//! answer in `check`, 2 bad input). Everything else is the engine's dispatcher.

use crate::files::FileSystem;
use backprop_engine::commands::args::{BookAction, Cli, Command};
use backprop_engine::commands::run::{Outcome, outcome, parse};
use backprop_engine::error::Error;
use backprop_engine::host::{Host, Progress};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// The filesystem, standard input, a clock and a progress bar on standard error.
pub struct Terminal {
    started: std::time::Instant,
    bar: indicatif::ProgressBar,
}

impl Terminal {
    pub fn new() -> Terminal {
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
        Terminal { started: std::time::Instant::now(), bar }
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal::new()
    }
}

impl Host for Terminal {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        FileSystem.read(path)
    }

    fn seconds(&self) -> Option<f64> {
        Some(self.started.elapsed().as_secs_f64())
    }

    fn progress(&self, p: Progress) {
        self.bar.set_length((p.per_epoch * p.epochs) as u64);
        self.bar.set_message(format!("{}/{}", p.epoch, p.epochs));
        self.bar.set_position(((p.epoch - 1) * p.per_epoch + p.done) as u64);
    }
}

/// Parses the command line, runs the command, prints, and picks the exit status.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cli = match parse(&args) {
        Ok(cli) => cli,
        Err(outcome) => return finish(outcome),
    };
    finish(run(cli))
}

fn run(cli: Cli) -> Outcome {
    match &cli.command {
        Command::Book { action } => match book(action) {
            Ok(text) => Outcome { stdout: text, ..Outcome::default() },
            Err(e) => Outcome::error(&e),
        },
        command => {
            let terminal = Terminal::new();
            let done = outcome(command, &terminal);
            terminal.bar.finish_and_clear();
            done
        }
    }
}

fn book(action: &BookAction) -> Result<String, Error> {
    match action {
        BookAction::Build { dir } => {
            let started = std::time::Instant::now();
            let built = crate::book::build(dir)?;
            Ok(format!("built the book into {} in {:.1} s\n", built.display(), started.elapsed().as_secs_f64()))
        }
        BookAction::Preprocess { args } => {
            crate::book::preprocess_stdio(args.first().filter(|a| *a == "supports").map(|_| "supports"))?;
            Ok(String::new())
        }
    }
}

/// Writes the files, prints, and turns the status into an exit code.
fn finish(mut outcome: Outcome) -> ExitCode {
    for (path, text) in std::mem::take(&mut outcome.files) {
        if let Err(e) = std::fs::write(&path, text) {
            outcome.stderr.push_str(&Error::new(format!("cannot write `{path}`: {e}")).to_string());
            outcome.status = 2;
        }
    }
    let _ = std::io::stdout().lock().write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr().lock().write_all(outcome.stderr.as_bytes());
    ExitCode::from(outcome.status)
}
