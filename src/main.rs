#![forbid(unsafe_code)]

use std::process::ExitCode;

/// mimalloc instead of the system's malloc: see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Deeply nested input is rejected with a message long before this stack runs out;
    // the large stack only keeps recursive printing of big derivatives safe.
    let worker = std::thread::Builder::new().stack_size(256 << 20).spawn(backprop::cli::main);
    match worker.map(|handle| handle.join()) {
        Ok(Ok(code)) => code,
        _ => ExitCode::from(3),
    }
}
