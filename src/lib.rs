//! backprop: a workbook for backpropagation — symbolic and numeric derivatives on one
//! computation graph. See ARCHITECTURE.md for the map of the code.
//!
//! Layers, each using only those before it:
//! `syntax | graph | symbolic, numeric | print, draw | net, plot | exercise | commands | book | cli`.

#![forbid(unsafe_code)]

pub mod book;
pub mod cli;
pub mod commands;
pub mod draw;
pub mod error;
pub mod exercise;
pub mod graph;
pub mod net;
pub mod numeric;
pub mod plot;
pub mod print;
pub mod symbolic;
pub mod syntax;
