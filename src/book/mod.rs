//! The book: `backprop book build [DIR]` runs mdBook in-process with our preprocessor, which
//! replaces every ```backprop block with the output of the same command as the CLI (text,
//! tables, math, pictures) and renders LaTeX to MathML at build time, so the built book needs
//! no network and can never disagree with the tool.

mod blocks;
mod math;

use backprop_engine::error::{Error, Result};
use mdbook_driver::MDBook;
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::path::{Path, PathBuf};

/// Expands one chapter's ```backprop blocks and math (what the preprocessor does to each chapter).
pub fn expand_chapter(content: &str, chapter: &str, root: &Path) -> std::result::Result<String, String> {
    blocks::expand(content, chapter, root)
}

/// The preprocessor, named as in book.toml (`[preprocessor.backprop]`).
pub struct BackpropPreprocessor {
    /// Where paths in blocks (networks, sheets) are resolved: the book's parent folder.
    pub root: PathBuf,
}

impl Preprocessor for BackpropPreprocessor {
    fn name(&self) -> &str {
        "backprop"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> mdbook_preprocessor::errors::Result<Book> {
        let root = if self.root.as_os_str().is_empty() {
            ctx.root.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            self.root.clone()
        };
        let mut failure: Option<String> = None;
        book.for_each_mut(|item| {
            if failure.is_some() {
                return;
            }
            if let BookItem::Chapter(chapter) = item {
                let name = chapter
                    .source_path
                    .as_ref()
                    .map_or_else(|| chapter.name.clone(), |p| format!("src/{}", p.display()));
                match blocks::expand(&chapter.content, &name, &root) {
                    Ok(content) => chapter.content = content,
                    Err(e) => failure = Some(e),
                }
            }
        });
        match failure {
            Some(message) => Err(anyhow_error(message)),
            None => Ok(book),
        }
    }
}

fn anyhow_error(message: String) -> mdbook_preprocessor::errors::Error {
    mdbook_preprocessor::errors::Error::msg(message)
}

/// Builds the book in `dir` into `dir/build`. The HTML is written to a scratch folder first and
/// moved into place only when everything succeeded, so a failed build leaves no book behind
/// that looks complete.
pub fn build(dir: &Path) -> Result<PathBuf> {
    let dir =
        dir.canonicalize().map_err(|e| Error::new(format!("cannot open the book at `{}`: {e}", dir.display())))?;
    let mut book =
        MDBook::load(&dir).map_err(|e| Error::new(format!("cannot load the book at `{}`: {e:#}", dir.display())))?;
    let scratch = dir.join("build.partial");
    let target = dir.join("build");
    let _ = std::fs::remove_dir_all(&scratch);
    book.config.build.build_dir = scratch.clone();
    let root = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    let result = book.with_preprocessor(BackpropPreprocessor { root }).build();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&scratch);
        let _ = std::fs::remove_dir_all(&target);
        return Err(Error::new(format!("the book did not build: {}", root_cause(&e))));
    }
    let _ = std::fs::remove_dir_all(&target);
    std::fs::rename(&scratch, &target)
        .map_err(|e| Error::new(format!("cannot move the built book into `{}`: {e}", target.display())))?;
    Ok(target)
}

fn root_cause(e: &mdbook_preprocessor::errors::Error) -> String {
    e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ")
}

/// The mdBook preprocessor protocol, for a plain `mdbook build` that runs
/// `backprop book preprocess` as the command of `[preprocessor.backprop]`.
pub fn preprocess_stdio(supports: Option<&str>) -> Result<()> {
    if supports.is_some() {
        return Ok(()); // HTML and every other renderer get the same markdown.
    }
    let (ctx, book) = mdbook_preprocessor::parse_input(std::io::stdin())
        .map_err(|e| Error::new(format!("cannot read the book from mdbook: {e}")))?;
    let book = BackpropPreprocessor { root: PathBuf::new() }.run(&ctx, book).map_err(|e| Error::new(root_cause(&e)))?;
    serde_json::to_writer(std::io::stdout(), &book).map_err(|e| Error::new(format!("cannot write the book: {e}")))
}
