//! Symbolic differentiation: reverse accumulation (`diff`) through simplifying
//! constructors (`simplify`).

pub mod diff;
pub mod expand;
pub mod refold;
pub mod simplify;
pub mod tidy;
