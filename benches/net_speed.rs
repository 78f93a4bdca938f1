//! Training speed, measured the same way as the Python peers in benches/peers/:
//! - one epoch of the 64-128-10 relu/softmax digits network (batch 32, SGD, 1,437 samples):
//!   the training steps only, median of 7 epochs after one warm-up;
//! - micrograd's demo: 100 full-batch steps of the 2-16-16-1 relu network with hinge loss and
//!   L2 on micrograd's 100 moons points.
//!
//! Run: cargo bench --bench net_speed

use backprop::cli::Terminal;
use backprop::files::FileSystem;
use backprop_engine::net::load::{Loaded, NetRequest, load_network};
use backprop_engine::net::trainer::train;
use std::time::Instant;

fn load(name: &str) -> Loaded {
    let path = format!("examples/networks/{name}");
    let text = std::fs::read_to_string(&path).expect("the example network exists");
    let request = NetRequest { text, source_name: path, base: "examples/networks".into() };
    load_network(&request, &FileSystem).expect("the example network loads")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    // Digits: epochs 1 (warm-up) … 8; each record's `seconds` covers its training steps only.
    let mut digits = load("digits.net");
    let data = digits.data.clone().expect("digits data");
    let mut spec = digits.spec.train.clone();
    spec.epochs = 8;
    // The terminal host has a clock; its progress bar stays hidden when stderr is not a terminal.
    let outcome = train(&mut digits.network, &data, &spec, &Terminal::new());
    let epoch_seconds: Vec<f64> = outcome.epochs.iter().skip(1).filter_map(|e| e.seconds).collect();
    println!("| job | backprop (Rust, f64) |");
    println!("|---|--:|");
    println!("| digits 64-128-10, one epoch (1,437 samples, batch 32, SGD) | {:.2} ms |", median(epoch_seconds) * 1e3);

    // micrograd's demo: 100 steps, timed as a whole, median of 5 runs.
    let mut runs = Vec::new();
    let mut accuracy = None;
    for _ in 0..5 {
        let mut moons = load("moons.net");
        let data = moons.data.clone().expect("moons data");
        let started = Instant::now();
        let outcome = train(&mut moons.network, &data, &moons.spec.train, &FileSystem);
        runs.push(started.elapsed().as_secs_f64());
        accuracy = outcome.epochs.last().and_then(|e| e.accuracy);
    }
    println!(
        "| micrograd demo, 100 steps (2-16-16-1, hinge, 100 points) | {:.2} ms (final accuracy {:.0}%) |",
        median(runs) * 1e3,
        accuracy.unwrap_or(0.0) * 100.0
    );
}
