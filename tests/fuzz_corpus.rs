//! Every input in the fuzz corpora (fuzz/corpus/, seeds and findings alike) goes through the
//! same path as the fuzz targets, on every test run: no panic, printed output reads back.

use backprop::files::FileSystem;
use backprop_engine::commands::check::{SheetInput, check};
use backprop_engine::commands::derive::{DeriveRequest, derive};
use backprop_engine::commands::net::{NetRequest, net_describe, net_grad};
use backprop_engine::graph::build::{Function, parse_into};
use backprop_engine::print::Printer;
use backprop_engine::symbolic::diff::gradient;
use std::path::Path;

#[path = "../fuzz/fuzz_targets/book_files.rs"]
mod book_files;

fn corpus(target: &str) -> Vec<(String, String)> {
    let dir = Path::new("fuzz/corpus").join(target);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| {
            let path = e.ok()?.path();
            let text = String::from_utf8(std::fs::read(&path).ok()?).ok()?;
            Some((path.display().to_string(), text))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn expression_corpus() {
    let inputs = corpus("expression");
    assert!(inputs.len() >= 10);
    for (name, text) in inputs {
        let Ok(mut f) = Function::parse(&text) else { continue };
        let at: Vec<String> =
            f.variables.iter().enumerate().map(|(i, (n, _))| format!("{n}={}", 0.3 + i as f64 * 0.7)).collect();
        let request = DeriveRequest {
            expression: text.clone(),
            source_name: "fuzz".into(),
            wrt: None,
            at: vec![at.join(",")],
            steps: true,
        };
        let _ = derive(&request);
        let variables: Vec<_> = f.variables.iter().map(|v| v.1).collect();
        let names = f.variables.iter().chain(&f.intermediates).cloned().collect();
        let grad = gradient(&mut f.graph, f.output, &variables);
        for node in std::iter::once(f.output).chain(grad.partials.iter().copied()) {
            // Written out without shared parts, a DAG can print exponentially large (a tower's
            // derivative); the read-back check takes those the printer can write out whole.
            let Some(printed) = Printer::new(&f.graph).text_within(node, 20_000) else { continue };
            let again = parse_into(&mut f.graph, &names, &printed).unwrap_or_else(|e| panic!("{name}: {printed}: {e}"));
            assert_eq!(again, node, "{name}: {printed}");
        }
    }
}

#[test]
fn network_sheet_and_book_corpora() {
    // A network either runs or is refused with a message that says where (or what is missing).
    for (name, text) in corpus("network") {
        let request = NetRequest { text, source_name: "fuzz.net".into(), base: "/nonexistent".into() };
        let refused = match net_describe(&request, Default::default()) {
            Ok(_) => net_grad(&request, true, &FileSystem).err(),
            Err(e) => Some(e),
        };
        if let Some(e) = refused {
            let shown = e.to_string();
            assert!(
                shown.starts_with("error: ") && (shown.contains("--> fuzz.net:") || e.span.is_none()),
                "{name}: {shown}"
            );
        }
    }
    // Every check of a sheet is counted once: right, wrong or not judged.
    for (name, text) in corpus("sheet") {
        let report = check(
            vec![SheetInput { name: "fuzz.txt".into(), text, base: "examples/sheets".into() }],
            true,
            backprop_engine::lang::Lang::En,
            &FileSystem,
        );
        let v = report.to_json();
        let checks: usize = report.sheets.iter().flat_map(|s| &s.exercises).map(|e| e.checks.len()).sum();
        let counted = v["correct"].as_u64().unwrap() + v["wrong"].as_u64().unwrap() + v["not_judged"].as_u64().unwrap();
        assert!(counted as usize >= checks, "{name}: {checks} checks, {counted} counted");
    }
    // A chapter expands, or fails naming the chapter and line.
    for (name, text) in corpus("book_block") {
        if let Err(e) = backprop::book::expand_chapter(&text, &name, Path::new(".")) {
            assert!(e.starts_with(&format!("{name}:")), "{name}: {e}");
        }
    }
}

#[test]
fn session_corpus() {
    let inputs = corpus("session");
    assert!(inputs.len() >= 5, "{} session inputs", inputs.len());
    for (name, text) in inputs {
        let request = serde_json::json!({"network": "fuzz.net", "files": {"fuzz.net": text}}).to_string();
        let started = backprop_web::start_session(&request, None);
        assert!(started.get("info").is_some() || started.get("stderr").is_some(), "{name}: {started}");
        if started.get("info").is_some() {
            let state = backprop_web::with_session(|s, host| s.step(2, host));
            assert!(state.get("updates").is_some(), "{name}: {state}");
            let explained = backprop_web::with_session(|s, host| s.explain(1, 0, 0, host));
            assert!(explained.get("updates").is_some(), "{name}: {explained}");
            assert!(backprop_web::with_session(|s, _| s.regions(6)).get("class").is_some(), "{name}");
        }
    }
}

#[test]
fn book_corpus() {
    // Hostile books (book.toml, SUMMARY.md, includes): prepared as a build prepares them, never
    // showing the secret file beside the book and never writing outside it.
    let inputs = corpus("book");
    assert!(inputs.len() >= 8, "{} book inputs", inputs.len());
    let root = std::env::temp_dir().join(format!("backprop-book-corpus-{}", std::process::id()));
    for (name, text) in &inputs {
        let _ = std::fs::remove_dir_all(&root);
        book_files::check_book(&root, text);
        // The hostile seeds are refused, with the place named.
        if name.contains("hostile") && !name.contains("loop") {
            let refused = backprop::book::prepare(&root.join("book")).expect_err(name).to_string();
            assert!(refused.contains("book.toml:") || refused.contains("src/"), "{name}: {refused}");
        }
    }
    std::fs::remove_dir_all(&root).unwrap();
}
