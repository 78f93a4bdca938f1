//! A hostile book from one input: the text is cut at NUL bytes into book.toml, src/SUMMARY.md,
//! src/one.md and inc/two.md (a file chapters may include), written into a fresh book folder
//! beside a secret file. Shared by the `book` fuzz target and tests/fuzz_corpus.rs.
#![allow(dead_code)] // each user takes what it needs

use std::path::Path;

/// What the secret file holds: no chapter may ever show it.
pub const SECRET: &str = "TOPSECRET-6f1c";

/// Writes the book for `text` into `root/book` (replacing it), with `root/secret.txt` beside.
pub fn write_book(root: &Path, text: &str) {
    let book = root.join("book");
    let _ = std::fs::remove_dir_all(&book);
    std::fs::create_dir_all(book.join("src")).expect("a book folder");
    std::fs::create_dir_all(book.join("inc")).expect("an include folder");
    std::fs::write(root.join("secret.txt"), SECRET).expect("the secret");
    let mut parts = text.split('\0');
    let files = ["book.toml", "src/SUMMARY.md", "src/one.md", "inc/two.md"];
    for (name, part) in files.iter().zip(&mut parts) {
        std::fs::write(book.join(name), part).expect("a book file");
    }
}

/// Prepares the book as a build would (book.toml checked, the book staged, chapters loaded
/// and their includes expanded) and checks what a hostile book must never achieve: a panic,
/// an error without a message, a chapter showing the secret, or a file written outside the
/// book's folder.
pub fn check_book(root: &Path, text: &str) {
    write_book(root, text);
    match backprop::book::prepare(&root.join("book")) {
        Ok(chapters) => {
            for (path, markdown) in chapters {
                assert!(!markdown.contains(SECRET), "{path} shows the secret file");
            }
        }
        Err(e) => assert!(!e.message.is_empty(), "an error without a message"),
    }
    let mut beside: Vec<String> = std::fs::read_dir(root)
        .expect("the root")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["book", "secret.txt"], "the build wrote beside the book");
}
