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
//! The exports are plain functions over one input and one output buffer, so no glue code is
//! generated: the page writes a request into the buffer `bp_input(len)` returns, calls one of
//! `bp_run` (a command), `bp_mathml` (LaTeX → MathML) or `bp_session_start` / `_step` /
//! `_explain` / `_regions` (the playground's training), each of which returns the answer's
//! length, and reads that many bytes at `bp_output()`. The one `unsafe` is the declaration of
//! the imported clock, `env.bp_now`.

pub mod session;

use backprop_engine::commands::run::{Outcome, run};
use backprop_engine::commands::words::split_words;
use backprop_engine::host::Host;
use backprop_engine::lang::Lang;
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The files a request hands over, by name.
struct PageFiles {
    files: BTreeMap<String, String>,
    clock: Option<fn() -> f64>,
    /// The page's language (the request's `lang`, from `<html lang>`): what commands without
    /// `--lang` speak.
    lang: Lang,
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

    fn language(&self) -> Lang {
        self.lang
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
    let read = parse_request(request, "command").and_then(|r| Ok((words(&r.main)?, r)));
    let outcome = match read {
        Ok((words, PageRequest { files, lang, .. })) => run(&words, &PageFiles { files, clock, lang }),
        Err(message) => Outcome { stderr: format!("error: {message}\n"), status: 2, ..Outcome::default() },
    }
    .shown();
    let files: Map<String, Value> = outcome.files.into_iter().map(|(name, text)| (name, Value::String(text))).collect();
    json!({"stdout": outcome.stdout, "stderr": outcome.stderr, "status": outcome.status, "files": files}).to_string()
}

/// [`respond_with_clock`] without a clock (no epoch times).
pub fn respond(request: &str) -> String {
    respond_with_clock(request, None)
}

/// What the page asks: the command line or network file (`main`), the files it may read, and the
/// page's language (`<html lang>`, English when the request has none).
struct PageRequest {
    main: String,
    files: BTreeMap<String, String>,
    lang: Lang,
}

/// The one reader of the page's requests, `{KEY: "…", "files": {name: text}, "lang": "zh-Hans"}`,
/// for commands and sessions alike: a file that is not text is an error, never dropped.
fn parse_request(request: &str, key: &str) -> Result<PageRequest, String> {
    let value: Value = serde_json::from_str(request).map_err(|e| format!("the page sent a bad request: {e}"))?;
    let main = value.get(key).and_then(Value::as_str).ok_or_else(|| format!("the request has no `{key}`"))?;
    let mut files = BTreeMap::new();
    match value.get("files") {
        None | Some(Value::Null) => {}
        Some(Value::Object(given)) => {
            for (name, text) in given {
                let text = text.as_str().ok_or_else(|| format!("the file `{name}` is not text"))?;
                files.insert(name.clone(), text.to_string());
            }
        }
        Some(_) => return Err("the request's `files` is not an object of texts".into()),
    }
    let lang = match value.get("lang") {
        None | Some(Value::Null) => Lang::En,
        Some(Value::String(lang)) => Lang::of_locale(lang),
        Some(_) => return Err("the request's `lang` is not a language tag".into()),
    };
    Ok(PageRequest { main: main.to_string(), files, lang })
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

thread_local! {
    /// The playground's training session, if one was started.
    static SESSION: RefCell<Option<session::Session>> = const { RefCell::new(None) };
}

/// Puts an answer in the output buffer; its length.
fn answer(value: Value) -> usize {
    OUTPUT.with(|output| {
        *output.borrow_mut() = value.to_string().into_bytes();
        output.borrow().len()
    })
}

/// Starts a training session from the request in the input buffer, `{"network": PATH,
/// "files": {…}}`: `{"info": …}`, or `{"stderr": …}` as the terminal would say it.
#[unsafe(no_mangle)]
pub extern "C" fn bp_session_start() -> usize {
    let request = INPUT.with(|input| String::from_utf8_lossy(&input.borrow()).into_owned());
    answer(start_session(&request, clock()))
}

/// Starts a session (see `bp_session_start`).
pub fn start_session(request: &str, clock: Option<fn() -> f64>) -> Value {
    let PageRequest { main: path, files, lang } = match parse_request(request, "network") {
        Ok(p) => p,
        Err(message) => return json!({"stderr": format!("error: {message}\n")}),
    };
    let host = PageFiles { files, clock, lang };
    match session::Session::start(&path, &host) {
        Ok((session, info)) => {
            SESSION.with(|s| *s.borrow_mut() = Some(session));
            json!({"info": info})
        }
        Err(stderr) => json!({"stderr": stderr}),
    }
}

/// Runs the session with `f`, or says there is none.
pub fn with_session(f: impl FnOnce(&mut session::Session, &dyn Host) -> Value) -> Value {
    let host = PageFiles { files: BTreeMap::new(), clock: clock(), lang: Lang::En };
    SESSION.with(|s| match s.borrow_mut().as_mut() {
        Some(session) => f(session, &host),
        None => json!({"stderr": "error: no network is loaded\n"}),
    })
}

/// Runs up to `updates` updates of the session's training.
#[unsafe(no_mangle)]
pub extern "C" fn bp_session_step(updates: u32) -> usize {
    answer(with_session(|s, host| s.step(updates as usize, host)))
}

/// One update, explained, for the weight `W{layer}[row][column]`.
#[unsafe(no_mangle)]
pub extern "C" fn bp_session_explain(layer: u32, row: u32, column: u32) -> usize {
    answer(with_session(|s, host| s.explain(layer as usize, row as usize, column as usize, host)))
}

/// The network's output over an n×n grid spanning the data.
#[unsafe(no_mangle)]
pub extern "C" fn bp_session_regions(n: u32) -> usize {
    answer(with_session(|s, _| s.regions(n as usize)))
}

/// The LaTeX in the input buffer as display MathML, rendered as the book renders it:
/// `{"mathml": …}` or `{"stderr": …}`.
#[unsafe(no_mangle)]
pub extern "C" fn bp_mathml() -> usize {
    let latex = INPUT.with(|input| String::from_utf8_lossy(&input.borrow()).into_owned());
    answer(mathml(&latex))
}

/// LaTeX → display MathML, as the book's build renders it.
pub fn mathml(latex: &str) -> Value {
    match backprop_engine::print::mathml::display(latex) {
        Ok(html) => json!({"mathml": html}),
        Err(e) => json!({"stderr": format!("error: in the math: {e}\n")}),
    }
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
    fn commands_and_sessions_read_requests_alike() {
        // A file that is not text is an error for both, with the same words; none is dropped.
        let bad = json!({"xor.net": 3});
        let a = answer(json!({"command": "net xor.net describe", "files": bad}));
        let s = start_session(&json!({"network": "xor.net", "files": bad}).to_string(), None);
        assert_eq!(a["stderr"], "error: the file `xor.net` is not text\n", "{a}");
        assert_eq!(s["stderr"], a["stderr"], "{s}");
        let a = answer(json!({"command": "net xor.net describe", "files": [1]}));
        let s = start_session(&json!({"network": "xor.net", "files": [1]}).to_string(), None);
        assert_eq!(a["status"], 2, "{a}");
        assert_eq!(s["stderr"], a["stderr"], "{s}");
    }

    /// The page's language is the engine's, unless the command says `--lang`.
    #[test]
    fn the_page_language_picks_the_engines() {
        let sheet = json!({"s.txt": "exercise \"e\"\nf = x*y\nat x = 2, y = 3\ncheck df/dx = -3\n"});
        let zh = answer(json!({"command": "check s.txt", "files": sheet, "lang": "zh-Hans"}));
        assert!(zh["stdout"].as_str().unwrap().contains("可能的错误：符号弄反了"), "{zh}");
        let en = answer(json!({"command": "check s.txt", "files": sheet}));
        assert!(en["stdout"].as_str().unwrap().contains("likely mistake: the sign is flipped"), "{en}");
        let flag = answer(json!({"command": "check s.txt --lang en", "files": sheet, "lang": "zh-Hans"}));
        assert_eq!(flag["stdout"], en["stdout"]);
        let bad = answer(json!({"command": "check s.txt", "files": sheet, "lang": 7}));
        assert_eq!(bad["status"], 2, "{bad}");
    }

    #[test]
    fn a_session_trains_as_the_terminal_does() {
        let files = json!({"xor.net": "network \"xor\"\ninput 2\ndense 4 tanh\ndense 1 sigmoid\nloss bce\ndata xor\ninit xavier seed 1\ntrain sgd lr 0.5 epochs 30 seed 1\n"});
        let started = start_session(&json!({"network": "xor.net", "files": files}).to_string(), None);
        assert_eq!(started["info"]["updates_per_epoch"], 1, "{started}");
        let mut losses = Vec::new();
        let mut explained = None;
        for k in 0..30 {
            let state = if k == 10 {
                let s = with_session(|s, host| s.explain(2, 0, 1, host));
                explained = Some(s["explained"].clone());
                s
            } else {
                with_session(|s, host| s.step(1, host))
            };
            losses.extend(state["epochs"].as_array().unwrap().iter().map(|e| e["loss"].as_f64().unwrap()));
        }
        let terminal = respond(&json!({"command": "net xor.net train --format json", "files": files}).to_string());
        let terminal: Value = serde_json::from_str(&terminal).unwrap();
        let report: Value = serde_json::from_str(terminal["stdout"].as_str().unwrap()).unwrap();
        let expected: Vec<f64> =
            report["epochs"].as_array().unwrap().iter().map(|e| e["loss"].as_f64().unwrap()).collect();
        assert_eq!(losses, expected, "stepping gives the terminal's run, bit for bit");
        let explained = explained.unwrap();
        let (before, gradient, after) = (
            explained["before"].as_f64().unwrap(),
            explained["gradient"].as_f64().unwrap(),
            explained["after"].as_f64().unwrap(),
        );
        assert_eq!(after, before - 0.5 * gradient, "{explained}");
        assert_eq!(explained["deltas"].as_array().unwrap().len(), 2);
        assert!(explained["rule"].as_str().unwrap().starts_with("W2[0][1] ← W2[0][1] − α·∂E/∂W2[0][1]"), "{explained}");
        let regions = with_session(|s, _| s.regions(10));
        assert_eq!(regions["class"].as_array().unwrap().len(), 100);
        assert_eq!(regions["points"].as_array().unwrap().len(), 4);
        let classes: Vec<u64> = regions["points"].as_array().unwrap().iter().map(|p| p[2].as_u64().unwrap()).collect();
        assert_eq!(classes, [0, 1, 1, 0], "xor's labels");
    }

    #[test]
    fn hostile_sessions_are_errors_or_clamped_not_panics() {
        SESSION.with(|s| *s.borrow_mut() = None);
        let none = with_session(|s, host| s.step(1, host));
        assert_eq!(none["stderr"], "error: no network is loaded\n");
        let missing = start_session(&json!({"network": "nope.net"}).to_string(), None);
        assert_eq!(missing["stderr"], "error: cannot read `nope.net`: no such file\n");
        let bad = start_session(
            &json!({"network": "b.net", "files": {"b.net": "input 2\ndense 0 relu\n"}}).to_string(),
            None,
        );
        let message = bad["stderr"].as_str().unwrap();
        assert!(message.contains("b.net:2:") && message.contains('^'), "{message}");
        let no_data = start_session(
            &json!({"network": "n.net", "files": {"n.net": "input 2\ndense 1 sigmoid\nloss bce\n"}}).to_string(),
            None,
        );
        assert!(no_data["stderr"].as_str().unwrap().contains("no `data` line"), "{no_data}");
        for bad_request in ["", "{", "{\"network\": 3}"] {
            assert!(start_session(bad_request, None).get("stderr").is_some(), "{bad_request}");
        }
        // A regression: no regions; indices out of range are clamped; a huge step count is capped.
        let line = "input 1\ndense 1 linear\nloss mse\ndata linear 20 seed 1\ntrain sgd lr 0.1 epochs 100000\n";
        let started = start_session(&json!({"network": "l.net", "files": {"l.net": line}}).to_string(), None);
        assert!(started.get("info").is_some(), "{started}");
        assert_eq!(with_session(|s, _| s.regions(1_000_000))["class"], Value::Null);
        for (layer, row, column) in [(0, 0, 0), (99, 99, 99), (u32::MAX as usize, 0, u32::MAX as usize)] {
            let explained = with_session(|s, host| s.explain(layer, row, column, host));
            assert_eq!(explained["explained"]["weight"], "W1[0][0]", "{explained}");
        }
        let state = with_session(|s, host| s.step(u32::MAX as usize, host));
        assert_eq!(state["updates"], 3 + 10_000, "at most 10,000 updates per call");
    }

    #[test]
    fn regions_of_three_classes_name_every_class() {
        let net = "input 2\ndense 16 relu\ndense 3 softmax\nloss cross_entropy\ndata spirals 30 classes 3 seed 1\ninit he seed 1\ntrain adam lr 0.01 epochs 50 batch 30 seed 1\n";
        start_session(&json!({"network": "s.net", "files": {"s.net": net}}).to_string(), None);
        with_session(|s, host| s.step(100, host));
        let regions = with_session(|s, _| s.regions(20));
        let points: Vec<u64> = regions["points"].as_array().unwrap().iter().map(|p| p[2].as_u64().unwrap()).collect();
        assert_eq!((0..3).map(|c| points.iter().filter(|p| **p == c).count()).collect::<Vec<_>>(), [30, 30, 30]);
        let cells: Vec<u64> = regions["class"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect();
        assert!((0..3).all(|c| cells.contains(&c)), "every class has a region");
    }

    #[test]
    fn math_renders_as_in_the_book() {
        let latex = respond(&json!({"command": "derive \"sigmoid(w*x)\" --format latex"}).to_string());
        let latex: Value = serde_json::from_str(&latex).unwrap();
        let page = mathml(latex["stdout"].as_str().unwrap());
        assert!(page["mathml"].as_str().unwrap().contains("<math"), "{page}");
        assert!(mathml("\\frac{1").get("stderr").is_some());
    }

    #[test]
    fn bad_requests_are_errors_not_panics() {
        for request in ["", "{", "[]", "{\"command\": 3}", "{\"command\": \"derive \\\"x\"}"] {
            let a: Value = serde_json::from_str(&respond(request)).unwrap();
            assert_eq!(a["status"], 2, "{request}: {a}");
        }
    }
}
