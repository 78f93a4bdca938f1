//! Network files: parse, then describe and (for small networks) take the gradient.
#![no_main]

use backprop_engine::commands::net::{NetAction, NetRequest, net_describe, net_grad};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 4096 {
        return;
    }
    let request = NetRequest { text: text.into(), source_name: "fuzz.net".into(), base: "/nonexistent".into(), action: NetAction::Describe };
    if let Ok(d) = net_describe(&request)
        && d.description.total <= 2000
        && !text.contains("digits")
    {
        let _ = net_grad(&request, true);
    }
});
