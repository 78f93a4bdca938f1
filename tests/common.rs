//! Helpers shared by the test modules.

use backprop_engine::commands::derive::{DeriveReport, DeriveRequest, derive};
use backprop_engine::commands::run::{Outcome, run as dispatch};
use backprop_engine::host::Host;
use std::collections::HashMap;
use std::process::{Command, Output};

/// `derive` through the library, panicking on bad input.
pub fn derive_ok(expression: &str, wrt: Option<&str>, at: Option<&str>) -> DeriveReport {
    let request = DeriveRequest {
        expression: expression.to_string(),
        source_name: "expression".into(),
        wrt: wrt.map(str::to_string),
        at: at.map(str::to_string).into_iter().collect(),
        steps: false,
    };
    derive(&request).unwrap_or_else(|e| panic!("{expression}: {e}"))
}

/// The value of ∂f/∂`wrt` at the report's point.
pub fn partial(report: &DeriveReport, wrt: &str) -> f64 {
    let i = report.partials.iter().position(|p| p.wrt == wrt).unwrap_or_else(|| panic!("no ∂/∂{wrt}"));
    report.points.first().unwrap_or_else(|| panic!("no point: ∂/∂{wrt} has no value")).partials[i].value
}

/// The output's value at the report's (first) point.
pub fn value(report: &DeriveReport) -> Option<f64> {
    report.points.first().map(|p| p.value)
}

/// The text of ∂f/∂`wrt`.
pub fn partial_text<'r>(report: &'r DeriveReport, wrt: &str) -> &'r str {
    &report.partials.iter().find(|p| p.wrt == wrt).unwrap_or_else(|| panic!("no ∂/∂{wrt}")).text
}

/// Runs the binary with `args` and `stdin`.
pub fn run(args: &[&str], stdin: &str) -> Output {
    run_in(std::path::Path::new("."), args, stdin)
}

/// Runs the binary in the folder `dir` (where the files it writes go).
pub fn run_in(dir: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_backprop"))
        .current_dir(dir)
        .args(args)
        // English unless a test asks otherwise, whatever the machine's locale.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("stdin written");
    child.wait_with_output().expect("the binary finishes")
}

/// A host holding files in memory.
pub struct Memory(pub HashMap<String, String>);

impl Host for Memory {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.0.get(path).map(|t| t.clone().into_bytes()).ok_or_else(|| format!("no file `{path}`"))
    }
}

/// Runs a command line in-process with `files`, on a stack as large as the terminal's worker
/// (printing recurses over an expression's height, at most 256 levels and a few more).
pub fn run_with(args: &[&str], files: &[(&str, &str)]) -> Outcome {
    let host = Memory(files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect());
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, || dispatch(&args, &host))
            .expect("a worker thread")
            .join()
            .expect("the command finishes")
    })
}

/// What the binary printed and its exit status.
pub struct Ran {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `args` (no input).
pub fn backprop(args: &[&str]) -> Ran {
    let out = run(args, "");
    Ran {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fresh folder of this test run's own, under the system's temporary folder.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("backprop-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}
