//! The whole expression path: parse, build the graph, differentiate, simplify, print, read the
//! printout back (it must be the same node), then derive (with steps), grad and graph through
//! the dispatcher. Programs of statements (`a1 = x*x; a2 = a1*a1; …`) are the shapes that grew
//! exponentially once: output must stay linear in the input. No input may panic or hang.
#![no_main]

mod common;

use backprop_engine::graph::build::{Function, parse_into};
use backprop_engine::host::NoFiles;
use backprop_engine::print::Printer;
use backprop_engine::symbolic::diff::gradient;
use common::run_bounded;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 4096 {
        return;
    }
    let Ok(mut f) = Function::parse(text) else {
        run_bounded(&["derive", text], &NoFiles, text.len());
        return;
    };
    let variables: Vec<_> = f.variables.iter().map(|v| v.1).collect();
    let names = f.variables.iter().chain(&f.intermediates).cloned().collect();
    let grad = gradient(&mut f.graph, f.output, &variables);
    for node in std::iter::once(f.output).chain(grad.partials.iter().copied()) {
        // Written out without shared parts, a DAG can print exponentially large (a tower's
        // derivative); the read-back check takes those the printer can write out whole.
        let Some(printed) = Printer::new(&f.graph).text_within(node, 20_000) else { continue };
        let again = parse_into(&mut f.graph, &names, &printed).expect("printed output parses");
        assert_eq!(again, node, "{printed} read back as another node");
    }
    let at: Vec<String> = f.variables.iter().enumerate().map(|(i, (n, _))| format!("{n}={}", 0.3 + i as f64 * 0.7)).collect();
    let at = at.join(",");
    let mut derive = vec!["derive", text, "--steps"];
    let mut grad = vec!["grad", text];
    let mut picture = vec!["graph", text];
    if !at.is_empty() {
        for args in [&mut derive, &mut grad, &mut picture] {
            args.extend(["--at", at.as_str()]);
        }
    }
    run_bounded(&derive, &NoFiles, text.len());
    run_bounded(&grad, &NoFiles, text.len());
    run_bounded(&picture, &NoFiles, text.len());
});
