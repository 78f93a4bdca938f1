//! Hostile books: book.toml, SUMMARY.md, a chapter and an includable file from one input,
//! prepared as a build prepares them. Never a panic, never the secret beside the book in a
//! chapter, never a file written outside the book (`book_files.rs`).
#![no_main]

#[path = "book_files.rs"]
mod book_files;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 4096 {
        return;
    }
    let root = std::env::temp_dir().join(format!("backprop-fuzz-book-{}", std::process::id()));
    book_files::check_book(&root, text);
});
