//! Cheap gradient: the squared-error loss of a one-hidden-layer sigmoid network written as one
//! scalar expression, differentiated with respect to every parameter.
//!
//! For H hidden units over inputs x1, x2 there are n = 4H + 1 parameters. The table shows the
//! function's DAG nodes, the DAG of the function with all its partials, their ratio, and the
//! wall time of the whole `derive` request (parse, differentiate, simplify, print), median of
//! several runs. Two networks: a linear output unit, and a sigmoid output unit (the network
//! whose SymPy figures the issue quotes: 266 operations for n = 5, 115,214 for n = 129).
//!
//! Run: cargo bench --bench cheap_gradient [-- --max-hidden 25000]

use backprop_engine::commands::derive::{DeriveRequest, derive};
use std::time::Instant;

/// The terminal's allocator (src/main.rs), so that the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The same text as benches/peers/network_expr.py produces.
fn network_loss(hidden: usize, sigmoid_output: bool) -> String {
    let units: Vec<String> = (1..=hidden).map(|j| format!("v{j}*sigmoid(w{j}_1*x1 + w{j}_2*x2 + b{j})")).collect();
    let output = format!("{} + c", units.join(" + "));
    if sigmoid_output { format!("(sigmoid({output}) - y)^2") } else { format!("({output} - y)^2") }
}

fn parameters(hidden: usize) -> String {
    let mut names: Vec<String> =
        (1..=hidden).flat_map(|j| [format!("w{j}_1"), format!("w{j}_2"), format!("b{j}"), format!("v{j}")]).collect();
    names.push("c".into());
    names.join(",")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let max_hidden = args
        .iter()
        .position(|a| a == "--max-hidden")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(25_000usize);
    let sizes: Vec<usize> =
        [1, 2, 4, 8, 32, 128, 1024, 4096, 25_000].into_iter().filter(|&h| h <= max_hidden).collect();
    for sigmoid_output in [false, true] {
        println!("\n### output unit: {}\n", if sigmoid_output { "sigmoid" } else { "linear" });
        println!(
            "| H | parameters n | function nodes | gradient nodes | ratio | printed chars | derive time | time / n |"
        );
        println!("|--:|--:|--:|--:|--:|--:|--:|--:|");
        for &hidden in &sizes {
            let request = DeriveRequest {
                expression: network_loss(hidden, sigmoid_output),
                source_name: "bench".into(),
                wrt: Some(parameters(hidden)),
                at: Vec::new(),
                steps: false,
            };
            let runs = if hidden >= 4096 { 3 } else { 7 };
            let mut times = Vec::new();
            let mut last = None;
            for _ in 0..runs {
                let start = Instant::now();
                let report = derive(&request).expect("the network loss differentiates");
                let printed = report.render_text();
                times.push(start.elapsed().as_secs_f64());
                last = Some((report, printed.chars().count()));
            }
            times.sort_by(f64::total_cmp);
            let median = times[runs / 2];
            let (report, chars) = last.expect("at least one run");
            let n = 4 * hidden + 1;
            println!(
                "| {hidden} | {n} | {} | {} | {:.2} | {chars} | {:.2} ms | {:.2} µs |",
                report.function_nodes,
                report.gradient_nodes,
                report.gradient_nodes as f64 / report.function_nodes as f64,
                median * 1e3,
                median * 1e6 / n as f64
            );
        }
    }
}
