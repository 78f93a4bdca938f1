//! What every target shares: a host that serves one file, and the bounds every answer keeps.
#![allow(dead_code)] // each target uses what it needs

use backprop_engine::commands::run::{Outcome, run};
use backprop_engine::host::Host;

/// A host holding the one file the fuzzed command names.
pub struct OneFile {
    pub name: &'static str,
    pub text: String,
}

impl Host for OneFile {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if path.ends_with(self.name) { Ok(self.text.clone().into_bytes()) } else { Err(format!("`{path}` is not here")) }
    }
}

/// Runs a command line through the one dispatcher and asserts what every answer keeps: an exit
/// status of 0, 1 (a wrong sheet) or 2 (bad input, with a message), and output linear in the input.
pub fn run_bounded(args: &[&str], host: &dyn Host, input_bytes: usize) -> Outcome {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let outcome = run(&args, host);
    assert!(outcome.status <= 2, "status {}", outcome.status);
    if outcome.status == 2 {
        // A command's error is on standard error; a sheet's bad lines are reported in place.
        let said = outcome.stderr.starts_with("error") || outcome.stdout.contains("error");
        assert!(said, "status 2 without a message: {:?} {:?}", outcome.stdout, outcome.stderr);
    }
    let shown = outcome.stdout.len() + outcome.stderr.len();
    assert!(shown <= 4096 + 2000 * input_bytes, "{shown} bytes shown for {input_bytes} bytes of input");
    outcome
}
