//! The network playground's session (what the live book runs in the page): a network file is
//! started, stepped, one update explained and its regions drawn. Whatever the file, each call
//! answers with JSON, an error or a state; none may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 4096 {
        return;
    }
    let request = json!({"network": "fuzz.net", "files": {"fuzz.net": text}}).to_string();
    let started = backprop_web::start_session(&request, None);
    assert!(started.get("info").is_some() || started.get("stderr").is_some(), "{started}");
    let Some(info) = started.get("info") else { return };
    // Small networks only: a step of a 20-million-parameter network is slow, not wrong.
    let parameters: u64 = info["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter().map(|p| p["shape"].as_array().map_or(0, |s| s.iter().filter_map(|d| d.as_u64()).product())).sum()
        })
        .unwrap_or(0);
    if parameters > 5000 || text.contains("digits") {
        return;
    }
    let state = backprop_web::with_session(|s, host| s.step(2, host));
    assert!(state.get("updates").is_some() || state.get("stderr").is_some(), "{state}");
    let seed = data.first().copied().unwrap_or(0) as usize;
    let explained = backprop_web::with_session(|s, host| s.explain(seed % 4, seed % 7, seed % 5, host));
    assert!(explained.get("updates").is_some(), "{explained}");
    let regions = backprop_web::with_session(|s, _| s.regions(6));
    assert!(regions.get("class").is_some(), "{regions}");
});
