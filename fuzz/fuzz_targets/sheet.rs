//! Exercise sheets: parse and judge every exercise.
#![no_main]

use backprop_engine::commands::check::{SheetInput, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 4096 {
        return;
    }
    let report = check(vec![SheetInput { name: "fuzz.txt".into(), text: text.into(), base: "/nonexistent".into() }], true);
    let _ = report.render_text();
    let _ = report.to_json();
});
