//! Network files: describe, and for small networks the gradient with its hand-calculation
//! table, through the dispatcher. No input may panic, hang or allocate without bound.
#![no_main]

mod common;

use common::{OneFile, run_bounded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 4096 {
        return;
    }
    let host = OneFile { name: "fuzz.net", text: text.into() };
    let described = run_bounded(&["net", "fuzz.net", "describe", "--format", "json"], &host, text.len());
    let small = serde_json::from_str::<serde_json::Value>(&described.stdout)
        .ok()
        .and_then(|d| d["total_parameters"].as_u64())
        .is_some_and(|n| n <= 2000);
    if small && !text.contains("digits") {
        run_bounded(&["net", "fuzz.net", "grad", "--table"], &host, text.len());
    }
});
