//! The transcendental functions the engine computes with, from one implementation on every
//! target: `libm`, the pure-Rust port of musl's libm (what Rust's std itself calls on wasm32).
//! The platform's own `exp` may differ from it in the last bit, and a last bit shows in a
//! 17-digit JSON number or a finite-difference error: with these, the terminal and the browser
//! give the same bytes. engine/clippy.toml forbids the `f64` methods, so no call slips past.

pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + x), accurate for small x.
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

pub fn tanh(x: f64) -> f64 {
    libm::tanh(x)
}

pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

pub fn powf(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

pub fn cbrt(x: f64) -> f64 {
    libm::cbrt(x)
}

/// xⁿ for an integer n, through `libm::pow`: Rust's `powi` is an LLVM intrinsic whose rounding
/// the language does not promise to be the same on every target.
pub fn powi(x: f64, n: i32) -> f64 {
    libm::pow(x, f64::from(n))
}
