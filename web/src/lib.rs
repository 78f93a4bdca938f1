//! The engine for the browser. The page hands over a command line and the files it may read, as
//! JSON; it gets back what the terminal would print, as JSON:
//!
//! ```text
//! {"command": "derive \"sigmoid(w*x+b)\" --at w=2", "files": {"net.txt": "…", "-": "…"}}
//! → {"stdout": "…", "stderr": "…", "status": 0, "files": {"loss.svg": "<svg…"}}
//! ```
//!
//! Everything runs through the dispatcher the terminal uses (`commands::run::run`), so the
//! same request gives the same bytes. `-` is standard input (an exercise sheet typed in the
//! page). The browser gives a clock (`performance.now()`) for the epoch times of training.
//!
//! The exports are three functions over one input and one output buffer, so no glue code is
//! generated and no `unsafe` block is needed: the page writes the request into the buffer
//! `bp_input` returns, calls `bp_run`, and reads `bp_output_len` bytes at `bp_output`.

use backprop_engine::commands::run::{Outcome, run};
use backprop_engine::commands::words::split_words;
use backprop_engine::host::Host;
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The files a request hands over, by name.
struct PageFiles {
    files: BTreeMap<String, String>,
    clock: Option<fn() -> f64>,
}

impl Host for PageFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let name = path.strip_prefix("./").unwrap_or(path);
        match self.files.get(name) {
            Some(text) => Ok(text.as_bytes().to_vec()),
            None if path == "-" => Err("nothing was given on standard input".to_string()),
            // As the terminal says it (the page's files are its filesystem).
            None => Err("no such file".to_string()),
        }
    }

    fn seconds(&self) -> Option<f64> {
        self.clock.map(|now| now() / 1000.0)
    }
}

/// The words of a command line, without a leading `backprop`.
fn words(command: &str) -> Result<Vec<String>, String> {
    let mut words = split_words(command)?;
    if words.first().is_some_and(|w| w == "backprop") {
        words.remove(0);
    }
    Ok(words)
}

/// Runs one request (JSON, as above) and answers it (JSON). `clock` gives milliseconds.
pub fn respond_with_clock(request: &str, clock: Option<fn() -> f64>) -> String {
    let outcome = match read_request(request) {
        Ok((words, files)) => run(&words, &PageFiles { files, clock }),
        Err(message) => Outcome { stderr: format!("error: {message}\n"), status: 2, ..Outcome::default() },
    };
    let files: Map<String, Value> = outcome.files.into_iter().map(|(name, text)| (name, Value::String(text))).collect();
    json!({"stdout": outcome.stdout, "stderr": outcome.stderr, "status": outcome.status, "files": files}).to_string()
}

/// [`respond_with_clock`] without a clock (no epoch times).
pub fn respond(request: &str) -> String {
    respond_with_clock(request, None)
}

fn read_request(request: &str) -> Result<(Vec<String>, BTreeMap<String, String>), String> {
    let value: Value = serde_json::from_str(request).map_err(|e| format!("the page sent a bad request: {e}"))?;
    let command = value.get("command").and_then(Value::as_str).ok_or("the request has no `command`")?;
    let mut files = BTreeMap::new();
    if let Some(given) = value.get("files").and_then(Value::as_object) {
        for (name, text) in given {
            let text = text.as_str().ok_or_else(|| format!("the file `{name}` is not text"))?;
            files.insert(name.clone(), text.to_string());
        }
    }
    Ok((words(command)?, files))
}

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A buffer of `len` bytes for the page to write its request into.
#[unsafe(no_mangle)]
pub extern "C" fn bp_input(len: usize) -> *mut u8 {
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        *input = vec![0; len];
        input.as_mut_ptr()
    })
}

/// Runs the request in the input buffer; the answer's length in bytes.
#[unsafe(no_mangle)]
pub extern "C" fn bp_run() -> usize {
    let request = INPUT.with(|input| String::from_utf8_lossy(&input.borrow()).into_owned());
    let answer = respond_with_clock(&request, clock());
    OUTPUT.with(|output| {
        *output.borrow_mut() = answer.into_bytes();
        output.borrow().len()
    })
}

/// Where the answer starts.
#[unsafe(no_mangle)]
pub extern "C" fn bp_output() -> *const u8 {
    OUTPUT.with(|output| output.borrow().as_ptr())
}

#[cfg(target_arch = "wasm32")]
fn clock() -> Option<fn() -> f64> {
    #[link(wasm_import_module = "env")]
    unsafe extern "C" {
        /// `performance.now()`: milliseconds, for the epoch times of training.
        safe fn bp_now() -> f64;
    }
    Some(|| bp_now())
}

#[cfg(not(target_arch = "wasm32"))]
fn clock() -> Option<fn() -> f64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(request: Value) -> Value {
        serde_json::from_str(&respond(&request.to_string())).unwrap()
    }

    #[test]
    fn a_command_line_runs_as_in_the_terminal() {
        let a = answer(json!({"command": "backprop derive \"x^2\" --at x=3"}));
        assert_eq!(a["status"], 0);
        assert!(a["stdout"].as_str().unwrap().contains("∂f/∂x = 2·x"), "{a}");
        let a = answer(json!({"command": "derive \"x^\""}));
        assert_eq!(a["status"], 2);
        assert!(a["stderr"].as_str().unwrap().contains('^'), "{a}");
    }

    #[test]
    fn files_and_standard_input_come_from_the_request() {
        let sheet = "exercise \"e\"\nf = x^2\nat x = 3\ncheck df/dx = 6\n";
        let a = answer(json!({"command": "check -", "files": {"-": sheet}}));
        assert_eq!(a["status"], 0, "{a}");
        let a = answer(json!({"command": "net missing.net describe"}));
        assert_eq!(a["status"], 2);
        assert_eq!(a["stderr"], "error: cannot read `missing.net`: no such file\n", "{a}");
    }

    #[test]
    fn bad_requests_are_errors_not_panics() {
        for request in ["", "{", "[]", "{\"command\": 3}", "{\"command\": \"derive \\\"x\"}"] {
            let a: Value = serde_json::from_str(&respond(request)).unwrap();
            assert_eq!(a["status"], 2, "{request}: {a}");
        }
    }
}
