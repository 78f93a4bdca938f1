//! Exercise sheets: parse and judge every exercise, as text and as JSON.
#![no_main]

mod common;

use common::{OneFile, run_bounded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 4096 {
        return;
    }
    let host = OneFile { name: "fuzz.txt", text: text.into() };
    run_bounded(&["check", "fuzz.txt", "--hints"], &host, text.len());
    let json = run_bounded(&["check", "fuzz.txt", "--format", "json"], &host, text.len());
    if json.status != 2 {
        serde_json::from_str::<serde_json::Value>(&json.stdout).expect("check prints valid JSON");
    }
});
