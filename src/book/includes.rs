//! `{{#include FILE}}` and its kin (`rustdoc_include`, `playground`, `title`), as mdBook's
//! `links` preprocessor expands them, but reading only inside the book: a path that leads out
//! of it (`/etc/passwd`, `../../secret`, a link) fails the build with the chapter's name, where
//! mdBook would copy the file into the page. The links are expanded when the book is loaded,
//! before any preprocessor (so that an included ```backprop block is run too), and `LinksDone`
//! takes mdBook's `links` slot, so that its own never runs.

use crate::files::{Refused, open_inside, read_capped};
use mdbook_driver::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use regex::Regex;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

/// Includes may include, up to this depth (mdBook's limit).
const MAX_DEPTH: usize = 10;

/// mdBook's own pattern for links: `\{{#…}}` escaped, or `{{#type target…}}`.
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\\{\{\#.*\}\}|\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}").expect("the link pattern"));

/// The links of a book, confined to `root` (the staged copy of the book, a real path).
/// `book` is the book's own folder, which an absolute path may name.
pub struct ConfinedLinks {
    pub root: PathBuf,
    pub book: PathBuf,
}

/// mdBook's `links` slot, once the links are expanded: hands mdBook the titles `{{#title}}`
/// set, and changes nothing else (an escaped `\{{#include …}}` stays as written).
pub struct LinksDone {
    pub titles: HashMap<PathBuf, String>,
}

impl Preprocessor for LinksDone {
    fn name(&self) -> &str {
        "links"
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> mdbook_preprocessor::errors::Result<Book> {
        ctx.chapter_titles.borrow_mut().extend(self.titles.clone());
        Ok(book)
    }
}

impl ConfinedLinks {
    /// Expands every chapter's links (`src` is the book's src folder, relative to its root);
    /// returns the titles `{{#title}}` set, by chapter path.
    pub fn expand_chapters(&self, src: &Path, book: &mut Book) -> Result<HashMap<PathBuf, String>, String> {
        let mut failure = None;
        let mut titles = HashMap::new();
        book.for_each_mut(|item| {
            let BookItem::Chapter(chapter) = item else { return };
            let Some(path) = chapter.path.clone() else { return };
            if failure.is_some() {
                return;
            }
            let base = src.join(path.parent().unwrap_or(Path::new("")));
            let mut title = chapter.name.clone();
            match expand(self, &chapter.content, &base, 0, &mut title) {
                Ok(content) => chapter.content = content,
                Err(e) => failure = Some(format!("{}: {e}", src.join(&path).display())),
            }
            if title != chapter.name {
                titles.insert(path, title);
            }
        });
        match failure {
            Some(message) => Err(message),
            None => Ok(titles),
        }
    }
}

/// Expands the links of `text`, whose relative paths start at `base` (a folder of the book,
/// relative to its root).
fn expand(links: &ConfinedLinks, text: &str, base: &Path, depth: usize, title: &mut String) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for link in LINK.captures_iter(text) {
        let whole = link.get(0).expect("a match");
        let (Some(kind), Some(target)) = (link.get(1), link.get(2)) else {
            // An escaped link: shown without its backslash.
            out.push_str(&text[last..whole.start()]);
            out.push_str(&whole.as_str()[1..]);
            last = whole.end();
            continue;
        };
        let mut words = target.as_str().split_whitespace();
        let file = words.next().unwrap_or("");
        let expanded = match kind.as_str() {
            "title" => {
                *title = target.as_str().trim().to_string();
                String::new()
            }
            "include" | "rustdoc_include" | "playground" | "playpen" => {
                let (path, selection) = file.split_once(':').unwrap_or((file, ""));
                let cannot = |e: String| format!("`{}` cannot be included: {e}", whole.as_str());
                let path = within(&links.book, base, Path::new(path))
                    .ok_or_else(|| cannot("it is outside the book's folder".into()))?;
                let content = read(&links.root, &links.root.join(&path)).map_err(cannot)?;
                let content = match kind.as_str() {
                    "include" => select(&content, selection, false),
                    "rustdoc_include" => select(&content, selection, true),
                    _ => {
                        let attributes: Vec<&str> = words.collect();
                        let sep = if attributes.is_empty() { "" } else { "," };
                        let end = if content.ends_with('\n') { "" } else { "\n" };
                        format!("```rust{sep}{}\n{content}{end}```\n", attributes.join(","))
                    }
                };
                if depth + 1 >= MAX_DEPTH {
                    return Err(format!("{} nests includes more than {MAX_DEPTH} deep", whole.as_str()));
                }
                let inner_base = path.parent().unwrap_or(base).to_path_buf();
                expand(links, &content, &inner_base, depth + 1, title)?
            }
            // Not a link mdBook knows: left as written.
            _ => continue,
        };
        out.push_str(&text[last..whole.start()]);
        out.push_str(&expanded);
        last = whole.end();
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// `path` as written in a chapter in `base`, as a path relative to the book's root; `None`
/// when it leads out of the book (`../..`, an absolute path elsewhere). Lexical, as mdBook
/// resolves it; links are checked when the file is opened.
fn within(book: &Path, base: &Path, path: &Path) -> Option<PathBuf> {
    let joined = match path.strip_prefix(book) {
        Ok(inside) => inside.to_path_buf(),
        Err(_) if path.is_absolute() => return None,
        Err(_) => base.join(path),
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::Normal(name) => out.push(name),
            Component::CurDir => {}
            Component::ParentDir if out.pop() => {}
            _ => return None,
        }
    }
    Some(out)
}

/// A file of the staged book as text, read only if it is inside `root`.
fn read(root: &Path, path: &Path) -> Result<String, String> {
    let file = open_inside(root, path).map_err(|refused| match refused {
        Refused::Outside => "it is outside the book's folder".to_string(),
        Refused::Unreadable(why) => why,
    })?;
    String::from_utf8(read_capped(file)?).map_err(|_| "it is not UTF-8 text".to_string())
}

/// The lines a selection names: `N`, `N:M`, `:M`, `N:` (1-based, M inclusive) or an anchor's
/// lines; all lines when empty. `hide_rest`: rustdoc_include keeps the other lines behind `# `.
fn select(text: &str, selection: &str, hide_rest: bool) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut parts = selection.splitn(2, ':');
    let first = parts.next().unwrap_or("");
    let second = parts.next();
    let keep: Vec<bool> = if first.is_empty() || first.parse::<usize>().is_ok() {
        let start = first.parse::<usize>().map_or(0, |n| n.saturating_sub(1));
        let end = match second {
            None if first.is_empty() => usize::MAX,
            None => start + 1,
            Some(m) => m.parse::<usize>().unwrap_or(usize::MAX),
        };
        (0..lines.len()).map(|i| i >= start && i < end).collect()
    } else {
        anchored(&lines, first)
    };
    let mut out = Vec::new();
    for (line, kept) in lines.iter().zip(keep) {
        let marker = anchor_name(line, "ANCHOR:").is_some() || anchor_name(line, "ANCHOR_END:").is_some();
        if kept && !marker {
            out.push(line.to_string());
        } else if hide_rest && !marker {
            out.push(format!("# {line}"));
        }
    }
    out.join("\n")
}

/// Which lines lie between `ANCHOR: name` and `ANCHOR_END: name`.
fn anchored(lines: &[&str], name: &str) -> Vec<bool> {
    let mut inside = false;
    lines
        .iter()
        .map(|line| {
            if anchor_name(line, "ANCHOR:") == Some(name) {
                inside = true;
                false
            } else if anchor_name(line, "ANCHOR_END:") == Some(name) {
                inside = false;
                false
            } else {
                inside
            }
        })
        .collect()
}

/// The name after `ANCHOR:` (or `ANCHOR_END:`) in a line.
fn anchor_name<'l>(line: &'l str, marker: &str) -> Option<&'l str> {
    let rest = line[line.find(marker)? + marker.len()..].trim_start();
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_are_mdbooks() {
        let text = "a\nb\nANCHOR: part\nc\nd\nANCHOR_END: part\ne";
        assert_eq!(select(text, "", false), "a\nb\nc\nd\ne");
        assert_eq!(select(text, "2", false), "b");
        assert_eq!(select(text, "2:4", false), "b\nc");
        assert_eq!(select(text, ":2", false), "a\nb");
        assert_eq!(select(text, "6:", false), "e");
        assert_eq!(select(text, "part", false), "c\nd");
        assert_eq!(select(text, "part", true), "# a\n# b\nc\nd\n# e");
    }
}
