//! The book's files, through one gate. Before mdBook sees anything, every file of the book's
//! folder is copied into a staging folder beside the build: each opened by
//! `files::open_inside` (a regular file whose real path, checked on what was opened, is inside
//! the book; a FIFO, socket or device is refused, a link leading out of the book is refused).
//! mdBook then reads only the copy (plain files, no links) and the chapters are loaded from it
//! here, with SUMMARY.md's paths kept inside `src`: nothing a book says can make the build
//! read or write elsewhere.

use super::config::is_inside;
use crate::files::{Refused, kind, open_inside};
use mdbook_driver::book::{Book, BookItem, Chapter};
use mdbook_summary::{Link, SummaryItem, parse_summary};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The most bytes a book's folder may hold (its staged copy is made on every build).
const MAX_BOOK_BYTES: u64 = 512 << 20;

/// Copies the book in `dir` (a real path) into `staging`, leaving out `skip` (the build's own
/// folders) and `.git`. Errors name the file, relative to the book.
pub fn stage(dir: &Path, staging: &Path, skip: &[PathBuf]) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(staging);
    std::fs::create_dir(staging).map_err(|e| format!("cannot make `{}`: {e}", staging.display()))?;
    let mut seen = HashSet::new();
    let mut budget = MAX_BOOK_BYTES;
    copy_folder(dir, dir, staging, skip, &mut seen, &mut budget)
}

fn copy_folder(
    dir: &Path,
    folder: &Path,
    into: &Path,
    skip: &[PathBuf],
    seen: &mut HashSet<PathBuf>,
    budget: &mut u64,
) -> Result<(), String> {
    let shown = |p: &Path| p.strip_prefix(dir).unwrap_or(p).display().to_string();
    // A folder reached through links is copied once (a link to a parent would loop).
    let real = folder.canonicalize().map_err(|e| format!("cannot read `{}`: {e}", shown(folder)))?;
    if !real.starts_with(dir) {
        return Err(format!(
            "`{}` leads outside the book's folder (a link); a book reads only its own files",
            shown(folder)
        ));
    }
    if !seen.insert(real) {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(folder)
        .map_err(|e| format!("cannot read `{}`: {e}", shown(folder)))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("cannot read `{}`: {e}", shown(folder)))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if skip.contains(&path) || entry.file_name() == ".git" {
            continue;
        }
        let target = into.join(entry.file_name());
        // Links are followed, and what they lead to is checked like any other file.
        let meta = std::fs::metadata(&path).map_err(|e| format!("cannot read `{}`: {e}", shown(&path)))?;
        if meta.is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| format!("cannot make `{}`: {e}", target.display()))?;
            copy_folder(dir, &path, &target, skip, seen, budget)?;
            continue;
        }
        if !meta.is_file() {
            return Err(format!("`{}` is {}; a book holds only regular files", shown(&path), kind(&meta)));
        }
        let file = open_inside(dir, &path).map_err(|refused| match refused {
            Refused::Outside => {
                format!("`{}` leads outside the book's folder (a link); a book reads only its own files", shown(&path))
            }
            Refused::Unreadable(why) => format!("cannot read `{}`: {why}", shown(&path)),
        })?;
        let mut limited = std::io::Read::take(file, *budget + 1);
        let mut out =
            std::fs::File::create(&target).map_err(|e| format!("cannot write `{}`: {e}", target.display()))?;
        let copied =
            std::io::copy(&mut limited, &mut out).map_err(|e| format!("cannot copy `{}`: {e}", shown(&path)))?;
        if copied > *budget {
            return Err(format!("the book's folder holds more than {} MiB", MAX_BOOK_BYTES >> 20));
        }
        *budget -= copied;
    }
    Ok(())
}

/// The book's chapters, as SUMMARY.md lists them, read from the staged copy at `root`: each
/// path inside `src`, each file read as text. (mdBook's own loader would follow
/// `../../elsewhere.md` and create missing chapters.)
pub fn load(root: &Path, src: &Path) -> Result<Book, String> {
    let src_dir = root.join(src);
    let summary_text = read_text(&src_dir.join("SUMMARY.md"), "src/SUMMARY.md")?;
    let summary = parse_summary(&summary_text).map_err(|e| format!("src/SUMMARY.md: {e:#}"))?;
    let items = summary.prefix_chapters.iter().chain(&summary.numbered_chapters).chain(&summary.suffix_chapters);
    let chapters = items.map(|item| load_item(item, &src_dir, &[])).collect::<Result<Vec<_>, _>>()?;
    Ok(Book::new_with_items(chapters))
}

fn load_item(item: &SummaryItem, src_dir: &Path, parents: &[String]) -> Result<BookItem, String> {
    Ok(match item {
        SummaryItem::Link(link) => BookItem::Chapter(load_chapter(link, src_dir, parents)?),
        SummaryItem::PartTitle(title) => BookItem::PartTitle(title.clone()),
        _ => BookItem::Separator,
    })
}

fn load_chapter(link: &Link, src_dir: &Path, parents: &[String]) -> Result<Chapter, String> {
    let mut chapter = match &link.location {
        Some(location) if !is_inside(location) => {
            return Err(format!(
                "src/SUMMARY.md: the chapter `{}` is at `{}`, outside the book's src folder; a chapter's path is relative to src, without `..`",
                link.name,
                location.display()
            ));
        }
        Some(location) => {
            let shown = format!("src/{}", location.display());
            let mut content = read_text(&src_dir.join(location), &shown)?;
            if let Some(rest) = content.strip_prefix('\u{feff}') {
                content = rest.to_string();
            }
            Chapter::new(&link.name, content, location, parents.to_vec())
        }
        None => Chapter::new_draft(&link.name, parents.to_vec()),
    };
    chapter.number = link.number.clone();
    let mut nested = parents.to_vec();
    nested.push(link.name.clone());
    chapter.sub_items = link.nested_items.iter().map(|i| load_item(i, src_dir, &nested)).collect::<Result<_, _>>()?;
    Ok(chapter)
}

/// A staged file as text (staged files are plain files inside the copy).
fn read_text(path: &Path, shown: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{shown}`: {}", crate::files::io_message(&e)))?;
    String::from_utf8(bytes).map_err(|_| format!("`{shown}` is not UTF-8 text"))
}
