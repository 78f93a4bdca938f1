//! The terminal face: reads the files a command names, draws the progress bar, writes what
//! the command writes, prints, and exits with the command's status (0 success, 1 a wrong
//! answer in `check`, 2 bad input). Everything else is the engine's dispatcher.

use crate::files::FileSystem;
use backprop_engine::commands::args::{BookAction, Cli, Command, Shell};
use backprop_engine::commands::run::{Outcome, outcome, parse};
use backprop_engine::error::{Error, english};
use backprop_engine::host::{Host, Progress};
use backprop_engine::lang::Lang;
use clap::CommandFactory;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// The filesystem, standard input, a clock and a progress bar on standard error.
pub struct Terminal {
    started: std::time::Instant,
    /// Whether standard error is a terminal (else no bar is drawn).
    shows_progress: bool,
    /// Made at the first report, when the epoch count and the epoch's length are known, so
    /// that no frame is drawn with an empty field.
    bar: std::cell::RefCell<Option<(indicatif::ProgressBar, usize)>>,
    /// The bar's language: the environment's, unless `--lang` says otherwise.
    lang: Lang,
}

impl Terminal {
    pub fn new() -> Terminal {
        Terminal {
            started: std::time::Instant::now(),
            shows_progress: std::io::stderr().is_terminal(),
            bar: std::cell::RefCell::new(None),
            lang: Lang::of_environment(|name| std::env::var(name).ok()),
        }
    }

    /// The same terminal, drawing its bar in `lang`.
    pub fn speaking(self, lang: Lang) -> Terminal {
        Terminal { lang, ..self }
    }

    fn finish(&self) {
        if let Some((bar, _)) = self.bar.borrow_mut().take() {
            bar.finish_and_clear();
        }
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

    fn list(&self, folder: &str) -> Result<Vec<String>, String> {
        FileSystem.list(folder)
    }

    fn seconds(&self) -> Option<f64> {
        Some(self.started.elapsed().as_secs_f64())
    }

    fn language(&self) -> Lang {
        self.lang
    }

    fn progress(&self, p: Progress) {
        if !self.shows_progress {
            return;
        }
        let position = ((p.epoch - 1) * p.per_epoch + p.done) as u64;
        let mut bar = self.bar.borrow_mut();
        match bar.as_ref() {
            Some((bar, _)) => bar.set_position(position),
            None => {
                let style = epoch_style(p, self.lang);
                let made = indicatif::ProgressBar::new((p.per_epoch * p.epochs) as u64).with_style(style);
                made.set_position(position);
                *bar = Some((made, p.epoch));
            }
        }
    }
}

/// `epoch 3/40 [=====>                        ] 96/1437 samples` (in Chinese `迭代周期 3/40 […]
/// 96/1437 个样本`): every field is computed from the one position (samples done in all), so a
/// frame never mixes two epochs and each update draws once.
fn epoch_style(p: Progress, lang: Lang) -> indicatif::ProgressStyle {
    let (per_epoch, epochs) = (p.per_epoch.max(1) as u64, p.epochs);
    // The epoch a position is in, and the samples done in it (a full epoch ends at its last).
    let split = move |position: u64| {
        let epoch = position.saturating_sub(1) / per_epoch + 1;
        (epoch, position - (epoch - 1) * per_epoch)
    };
    let template = match lang {
        Lang::En => "epoch {epoch} [{epoch_bar}] {epoch_done} samples",
        Lang::Zh => "迭代周期 {epoch} [{epoch_bar}] {epoch_done} 个样本",
    };
    indicatif::ProgressStyle::with_template(template)
        .expect("a valid template")
        .with_key("epoch", move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}/{epochs}", split(state.pos()).0);
        })
        .with_key("epoch_bar", move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            const WIDTH: u64 = 30;
            let filled = split(state.pos()).1 * WIDTH / per_epoch;
            let head = if filled < WIDTH { ">" } else { "" };
            let rest = (WIDTH - filled).saturating_sub(head.len() as u64);
            let _ = write!(w, "{}{head}{}", "=".repeat(filled as usize), " ".repeat(rest as usize));
        })
        .with_key("epoch_done", move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}/{per_epoch}", split(state.pos()).1);
        })
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
            Err(e) => Outcome::error(&e, Lang::En),
        },
        Command::Completions { shell } => Outcome { stdout: completions(*shell), ..Outcome::default() },
        Command::Man => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut page) {
                Ok(()) => Outcome { stdout: String::from_utf8_lossy(&page).into_owned(), ..Outcome::default() },
                Err(e) => Outcome::error(&Error::new(english(format!("cannot write the manual page: {e}"))), Lang::En),
            }
        }
        command => {
            let terminal = Terminal::new();
            let lang = cli.lang.unwrap_or_else(|| terminal.language());
            let terminal = terminal.speaking(lang);
            let done = outcome(command, lang, &terminal);
            terminal.finish();
            done
        }
    }
}

/// The completion script for `shell`, generated from the one command-line grammar.
fn completions(shell: Shell) -> String {
    use clap_complete::Shell as Target;
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
        Shell::Elvish => Target::Elvish,
        Shell::Powershell => Target::PowerShell,
    };
    let mut script = Vec::new();
    clap_complete::generate(target, &mut Cli::command(), "backprop", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

fn book(action: &BookAction) -> Result<String, Error> {
    match action {
        BookAction::Build { dir } => {
            let started = std::time::Instant::now();
            let built = crate::book::build(dir)?;
            Ok(format!("built the book into {} in {:.1} s\n", built.display(), started.elapsed().as_secs_f64()))
        }
        BookAction::Serve { dir, port } => {
            crate::serve::serve(&crate::book::build_folder(dir)?, *port)?;
            Ok(String::new())
        }
        BookAction::Po { dir } => {
            let (missing, stale) = crate::book::update_catalogue(dir)?;
            Ok(format!(
                "updated {}: {missing} entries to translate, {stale} stale (fuzzy)\n",
                dir.join(crate::book::CATALOGUE).display()
            ))
        }
        BookAction::Preprocess { args } => {
            crate::book::preprocess_stdio(args.first().filter(|a| *a == "supports").map(|_| "supports"))?;
            Ok(String::new())
        }
    }
}

/// Writes the files, prints, and turns the status into an exit code: the one place the
/// terminal writes. Control characters in what is printed are escaped (`Outcome::shown`); a
/// write that fails (a full disk, `> /dev/full`) is reported and the status is 2, since the
/// output is lost. A reader that stops reading (`| head`) is not an error.
fn finish(mut outcome: Outcome) -> ExitCode {
    // Only a command that names a folder of its own (`exercise variants --out DIR`) makes one;
    // any other output path must already have its folder.
    for folder in std::mem::take(&mut outcome.folders) {
        if let Err(e) = std::fs::create_dir_all(&folder) {
            outcome
                .stderr
                .push_str(&Error::new(english(format!("cannot make the folder `{folder}`: {e}"))).to_string());
            outcome.status = 2;
            outcome.files.clear();
        }
    }
    for (path, text) in std::mem::take(&mut outcome.files) {
        if let Err(e) = std::fs::write(&path, text) {
            outcome.stderr.push_str(&Error::new(english(format!("cannot write `{path}`: {e}"))).to_string());
            outcome.status = 2;
        }
    }
    let outcome = outcome.shown();
    let mut status = outcome.status;
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(outcome.stdout.as_bytes()).and_then(|()| stdout.flush());
    let mut stderr = outcome.stderr;
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        stderr.push_str(&Error::new(english(format!("cannot write to standard output: {e}"))).to_string());
        status = 2;
    }
    let written = std::io::stderr().lock().write_all(stderr.as_bytes());
    if written.is_err() && status == 0 {
        status = 2;
    }
    ExitCode::from(status)
}
