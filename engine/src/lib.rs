//! The engine of backprop: expressions and their computation graph, symbolic and numeric
//! derivatives, networks, exercise sheets, plots and pictures, and the commands over them.
//!
//! The engine is pure: it reads no file, looks at no clock and draws on no terminal. What a
//! command needs from the world (the text of a file it names, the time, a progress report)
//! reaches it through [`host::Host`], which the terminal, the book and the browser implement.
//! It builds for `wasm32-unknown-unknown`. ARCHITECTURE.md has the map.

#![forbid(unsafe_code)]

/// An enum whose `ALL` (every variant, in order) the compiler writes from the one list of
/// variants, so a table over the enum cannot miss one.
macro_rules! listed {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$variant_meta:meta])* $variant:ident,)* }) => {
        $(#[$meta])* $vis enum $name { $($(#[$variant_meta])* $variant,)* }
        impl $name {
            /// Every variant, in the order of the declaration.
            pub const ALL: [$name; [$(stringify!($variant)),*].len()] = [$($name::$variant),*];
        }
    };
}
pub(crate) use listed;

pub mod commands;
pub mod draw;
pub mod error;
pub mod exercise;
pub mod format;
pub mod graph;
pub mod host;
pub mod lang;
pub mod math;
pub mod net;
pub mod numeric;
pub mod plot;
pub mod print;
pub mod reverse;
pub mod said;
pub mod symbolic;
pub mod syntax;
