//! backprop: the terminal and the book over the engine (`backprop_engine`). Only these two
//! faces touch the filesystem, the terminal and mdBook. See ARCHITECTURE.md for the map.

#![forbid(unsafe_code)]

pub mod book;
pub mod cli;
pub mod files;
pub mod http_cache;
pub mod serve;
