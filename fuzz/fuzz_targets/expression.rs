//! The whole expression path: parse, build the graph, differentiate, simplify, print, read the
//! printout back (it must be the same node), evaluate. No input may panic or hang.
#![no_main]

use backprop_engine::commands::derive::{DeriveRequest, derive};
use backprop_engine::graph::build::{Function, parse_into};
use backprop_engine::print::Printer;
use backprop_engine::symbolic::diff::gradient;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 4096 {
        return;
    }
    let Ok(mut f) = Function::parse(text) else { return };
    let variables: Vec<_> = f.variables.iter().map(|v| v.1).collect();
    let names = f.variables.iter().chain(&f.intermediates).cloned().collect();
    let grad = gradient(&mut f.graph, f.output, &variables);
    for node in std::iter::once(f.output).chain(grad.partials.iter().copied()) {
        let printed = Printer::new(&f.graph).text(node);
        let again = parse_into(&mut f.graph, &names, &printed).expect("printed output parses");
        assert_eq!(again, node, "{printed} read back as another node");
    }
    let at: Vec<String> = f.variables.iter().enumerate().map(|(i, (n, _))| format!("{n}={}", 0.3 + i as f64 * 0.7)).collect();
    let _ = derive(&DeriveRequest { expression: text.into(), source_name: "fuzz".into(), wrt: None, at: Some(at.join(",")), steps: true });
});
