//! The browser's engine answers as the terminal does: every command of tests/live/corpus.txt,
//! run through `backprop_web::respond` (what the page's WebAssembly runs) with the files of
//! examples/ handed over, gives the binary's stdout, stderr and status byte for byte (the
//! epoch times of training aside: a clock's readings differ from run to run).
//! tests/browser/check_live.sh checks the same corpus in Chromium against the compiled .wasm.

use crate::common::run_in;
use backprop_engine::commands::words::split_words;
use serde_json::{Map, Value};

/// Every file under examples/, by its path from the repository's root.
pub fn example_files() -> Map<String, Value> {
    let mut files = Map::new();
    let mut stack = vec![std::path::PathBuf::from("examples")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                files.insert(path.display().to_string(), Value::String(text));
            }
        }
    }
    files
}

/// The text with the time column of an epoch table, and JSON's `"seconds"`, blanked.
pub fn without_times(text: &str) -> String {
    let mut column = None;
    let mut out = String::new();
    for line in text.lines() {
        let line = match line.find("\"seconds\": ") {
            Some(at) => {
                let value = &line[at + 11..];
                let end = value.find(|c: char| !(c.is_ascii_digit() || "-+.e".contains(c))).unwrap_or(value.len());
                format!("{}\"seconds\": _{}", &line[..at], &value[end..])
            }
            None => line.to_string(),
        };
        let line = line.as_str();
        if let Some(at) = line.find("time (ms)") {
            column = Some(line[..at].chars().count());
        }
        let line = match column {
            Some(c) if line.chars().next().is_some_and(|ch| ch.is_ascii_digit()) => {
                let chars: Vec<char> = line.chars().collect();
                let end = (c..chars.len()).find(|&i| chars[i] == ' ').unwrap_or(chars.len());
                chars[..c.min(chars.len())].iter().chain(&chars[end.min(chars.len())..]).collect()
            }
            _ => line.to_string(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A clock, as the page's `performance.now()`.
fn milliseconds() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

#[test]
fn the_browser_engine_answers_every_command_as_the_terminal_does() {
    let corpus = std::fs::read_to_string("tests/live/corpus.txt").unwrap();
    let files = example_files();
    // The terminal runs in a temporary folder that sees examples/ (what it writes stays there).
    let dir = std::env::temp_dir().join(format!("backprop-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let examples = std::fs::canonicalize("examples").unwrap();
    if !dir.join("examples").exists() {
        std::os::unix::fs::symlink(&examples, dir.join("examples")).unwrap();
    }
    let mut compared = 0;
    for line in corpus.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let words = split_words(line).unwrap();
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        let terminal = run_in(&dir, &args, "");
        let request = serde_json::json!({"command": line, "files": files});
        let page: Value =
            serde_json::from_str(&backprop_web::respond_with_clock(&request.to_string(), Some(milliseconds))).unwrap();
        let stdout = String::from_utf8(terminal.stdout).unwrap();
        let stderr = String::from_utf8(terminal.stderr).unwrap();
        assert_eq!(page["status"].as_u64(), terminal.status.code().map(|c| c as u64), "status of `{line}`");
        assert_eq!(without_times(page["stdout"].as_str().unwrap()), without_times(&stdout), "stdout of `{line}`");
        assert_eq!(page["stderr"].as_str().unwrap(), stderr, "stderr of `{line}`");
        // A file the terminal writes is one the page is handed.
        if line.contains("--plot loss.svg") {
            let written = std::fs::read_to_string(dir.join("loss.svg")).unwrap();
            assert_eq!(page["files"]["loss.svg"].as_str().unwrap(), written, "loss.svg of `{line}`");
        }
        compared += 1;
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(compared >= 30, "{compared} commands compared");
}

#[test]
fn time_columns_are_blanked_and_nothing_else() {
    let table = "epoch  loss  time (ms)\n─────  ────  ─────────\n1      0.5   0.123\n\nheld-out 97%\n";
    assert_eq!(without_times(table), "epoch  loss  time (ms)\n─────  ────  ─────────\n1      0.5   \n\nheld-out 97%\n");
    assert_eq!(without_times("  \"seconds\": 0.0013,\n"), "  \"seconds\": _,\n");
}
