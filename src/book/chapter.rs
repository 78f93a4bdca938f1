//! One chapter, expanded: its ```backprop blocks run (all of them first, so that prose may
//! name a value of a block below it), then its prose written out with every `{{…}}` replaced
//! by the value it names, each term's definition marked, Chinese marked for its font and math
//! rendered to MathML. Numbers in prose that come from nowhere are collected as bare numbers
//! (see `prose`).

use super::blocks::{Block, playground, run_block};
use super::math::{display, inline};
use super::prose;
use super::terms::{Definition, Term, mark};
use backprop_engine::lang::Lang;
use std::cell::RefCell;
use std::path::Path;

/// What the whole book knows when one chapter is expanded.
pub struct Context<'a> {
    pub root: &'a Path,
    pub terms: &'a [Term],
    pub definitions: &'a [Definition],
    /// The glossary table, written where a chapter says `<!-- glossary -->`.
    pub glossary: &'a str,
    /// The edition's language: its blocks run with `--lang` of it.
    pub lang: Lang,
}

/// A chapter's markdown, and the bare numbers of its prose (`chapter:line: "…" in …`).
pub struct Expanded {
    pub markdown: String,
    pub bare: Vec<String>,
}

enum Piece<'a> {
    Prose(usize, &'a str),
    Verbatim(&'a str),
    Math(usize, String),
    Block(usize, Vec<&'a str>),
}

fn pieces<'a>(content: &'a str, chapter: &str) -> Result<Vec<Piece<'a>>, String> {
    let lines: Vec<&str> = content.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_code = false;
    let mut math: Option<(usize, String)> = None;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if let Some((start, text)) = &mut math {
            if let Some(before) = line.strip_suffix("$$").or_else(|| trimmed.strip_suffix("$$")) {
                text.push_str(before);
                out.push(Piece::Math(*start, std::mem::take(text)));
                math = None;
            } else {
                text.push_str(line);
                text.push('\n');
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if !in_code && trimmed.trim_end() == "```backprop" {
                let start = i;
                let mut body = Vec::new();
                i += 1;
                while i < lines.len() && lines[i].trim() != "```" {
                    body.push(lines[i]);
                    i += 1;
                }
                if i == lines.len() {
                    return Err(format!("{chapter}:{}: this ```backprop block is not closed", start + 1));
                }
                out.push(Piece::Block(start, body));
            } else {
                in_code = !in_code;
                out.push(Piece::Verbatim(line));
            }
        } else if in_code {
            out.push(Piece::Verbatim(line));
        } else if let Some(rest) = trimmed.strip_prefix("$$") {
            match rest.strip_suffix("$$") {
                Some(inner) => out.push(Piece::Math(i, inner.to_string())),
                None => math = Some((i, format!("{rest}\n"))),
            }
        } else {
            out.push(Piece::Prose(i, line));
        }
        i += 1;
    }
    if let Some((start, _)) = math {
        return Err(format!("{chapter}:{}: a $$ math block is not closed", start + 1));
    }
    Ok(out)
}

/// Expands a chapter (`chapter` names it in messages: `src/model.md`).
pub fn expand(content: &str, chapter: &str, context: &Context) -> Result<Expanded, String> {
    let pieces = pieces(content, chapter)?;
    let lint = !chapter.ends_with("references.md");
    // Run every block, in order, noting its section (the headings divide a chapter).
    let mut section = 0;
    let mut blocks: Vec<(usize, Block)> = Vec::new();
    let captions: RefCell<Vec<(usize, usize, String)>> = RefCell::default();
    for piece in &pieces {
        match piece {
            Piece::Prose(_, line) if line.starts_with('#') => section += 1,
            Piece::Block(start, body) => {
                let earlier = &blocks;
                let caption = |raw: &str, own: &[(String, f64)]| {
                    captions.borrow_mut().push((*start, section, raw.to_string()));
                    let lookup = |id: Option<&str>, name: &str| match id {
                        None => find(own, name),
                        Some(id) => named(earlier, id).and_then(|b| find(&b.values, name)),
                    };
                    prose::interpolate(raw, &lookup, &|key| cite(key))
                };
                let block = run_block(body, context.root, context.lang, &caption)
                    .map_err(|e| format!("{chapter}:{}: {e}", start + 1))?;
                blocks.push((section, block));
            }
            _ => {}
        }
    }
    let allowed = |section: usize| -> Vec<f64> {
        blocks.iter().filter(|(s, _)| *s == section).flat_map(|(_, b)| b.allowed.iter().copied()).collect()
    };
    let mut bare = Vec::new();
    let mut note = |n: usize, line: &str, section: usize| {
        if lint {
            for number in prose::bare_numbers(line, &allowed(section)) {
                bare.push(format!("{chapter}:{}: \"{number}\" in: {}", n + 1, line.trim()));
            }
        }
    };
    for (n, section, raw) in captions.borrow().iter() {
        note(*n, raw, *section);
    }
    // Write the chapter out.
    let mut out = String::with_capacity(content.len() * 2);
    let (mut section, mut index) = (0, 0);
    for piece in &pieces {
        match piece {
            Piece::Verbatim(line) => {
                out.push_str(line);
                out.push('\n');
            }
            Piece::Math(start, text) => {
                let rendered = display(text).map_err(|e| format!("{chapter}:{}: in the math: {e}", start + 1))?;
                out.push_str(&rendered);
                out.push('\n');
            }
            Piece::Block(..) => {
                out.push_str(&blocks[index].1.markdown);
                out.push('\n');
                index += 1;
            }
            Piece::Prose(n, line) => {
                if line.trim_start().starts_with("<div class=\"backprop-playground\"") {
                    out.push_str(&playground(line, context.root).map_err(|e| format!("{chapter}:{}: {e}", n + 1))?);
                    out.push('\n');
                    continue;
                }
                if line.trim() == "<!-- glossary -->" {
                    for row in context.glossary.lines() {
                        out.push_str(&mark_chinese(row));
                        out.push('\n');
                    }
                    continue;
                }
                if line.starts_with('#') {
                    section += 1;
                }
                note(*n, line, section);
                let above = &blocks[..index];
                let lookup = |id: Option<&str>, name: &str| {
                    match id {
                    None => above.last().ok_or_else(|| format!("`{{{{{name}}}}}` has no block above it; name one: `{{{{ID: {name}}}}}` with `id ID` in the block")).and_then(|(_, b)| find(&b.values, name)),
                    Some(id) => named(&blocks, id).and_then(|b| find(&b.values, name)),
                }
                };
                let line = prose::interpolate(line, &lookup, &|key| cite(key))
                    .map_err(|e| format!("{chapter}:{}: {e}", n + 1))?;
                let line = context
                    .definitions
                    .iter()
                    .filter(|d| d.chapter == chapter && d.line == n + 1)
                    .fold(line, |l, d| mark(&l, &context.terms[d.term], &d.id));
                let marked = mark_chinese(&line);
                out.push_str(&inline_math(&marked).map_err(|e| format!("{chapter}:{}: in the math: {e}", n + 1))?);
                out.push('\n');
            }
        }
    }
    Ok(Expanded { markdown: out, bare })
}

/// A block of this chapter by its `id`.
fn named<'b>(blocks: &'b [(usize, Block)], id: &str) -> Result<&'b Block, String> {
    blocks
        .iter()
        .map(|(_, b)| b)
        .find(|b| b.id.as_deref() == Some(id))
        .ok_or_else(|| format!("no block of this chapter has `id {id}`"))
}

/// A value of a block by name, or the names it has.
fn find(values: &[(String, f64)], name: &str) -> Result<f64, String> {
    values.iter().find(|(n, _)| n == name).map(|(_, v)| *v).ok_or_else(|| {
        let names: Vec<&str> = values.iter().map(|(n, _)| n.as_str()).take(40).collect();
        format!("`{name}` is not a value of this block; it has {}", names.join(", "))
    })
}

/// A cited figure's reference: a link to its entry in the references chapter.
fn cite(key: &str) -> Result<String, String> {
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("`{key}` is not a reference key (letters, digits and -)"));
    }
    Ok(format!("<sup class=\"backprop-cite\"><a href=\"references.html#ref-{key}\">[{key}]</a></sup>"))
}

/// `$…$` within a line (not inside `inline code`) → MathML.
fn inline_math(line: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = line;
    loop {
        let next_code = rest.find('`');
        let next_math = rest.find('$');
        match (next_code, next_math) {
            (Some(c), m) if m.is_none_or(|m| c < m) => {
                let after = &rest[c + 1..];
                let end = after.find('`').map_or(after.len(), |e| e + 1);
                out.push_str(&rest[..c + 1 + end.min(after.len())]);
                rest = &after[end.min(after.len())..];
            }
            (_, Some(m)) => {
                let after = &rest[m + 1..];
                match after.find('$') {
                    Some(e) => {
                        out.push_str(&rest[..m]);
                        out.push_str(&inline(&after[..e])?);
                        rest = &after[e + 1..];
                    }
                    None => {
                        out.push_str(rest);
                        return Ok(out);
                    }
                }
            }
            _ => {
                out.push_str(rest);
                return Ok(out);
            }
        }
    }
}

/// Runs of Chinese in prose marked `lang="zh-Hans"` (outside inline code and math), so that
/// browsers pick a Simplified Chinese font for them.
fn mark_chinese(line: &str) -> String {
    let chinese = |c: char| matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}');
    let mut out = String::with_capacity(line.len());
    let (mut code, mut math, mut open, mut tag) = (false, false, false, false);
    for c in line.chars() {
        let mark = chinese(c) && !code && !math && !tag;
        if mark && !open {
            out.push_str("<span lang=\"zh-Hans\">");
            open = true;
        } else if !mark && open {
            out.push_str("</span>");
            open = false;
        }
        match c {
            '`' if !math => code = !code,
            '$' if !code => math = !math,
            '<' if !code && !math => tag = true,
            '>' if tag => tag = false,
            _ => {}
        }
        out.push(c);
    }
    if open {
        out.push_str("</span>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_alone(content: &str) -> Result<Expanded, String> {
        expand(
            content,
            "src/c.md",
            &Context { root: Path::new("."), terms: &[], definitions: &[], glossary: "", lang: Lang::En },
        )
    }

    #[test]
    fn unknown_commands_and_bad_expressions_name_chapter_and_line() {
        let e = expand_alone("text\n\n```backprop\nfrobnicate x\n```\n").err().unwrap();
        assert!(e.starts_with("src/c.md:3: `frobnicate x` is not a backprop command"), "{e}");
        let e = expand_alone("```backprop\nderive sigmod(x)\n```\n").err().unwrap();
        assert!(e.starts_with("src/c.md:1: error: unknown function `sigmod`"), "{e}");
    }

    #[test]
    fn math_outside_code_becomes_mathml_and_code_is_left_alone() {
        let out = expand_alone("The rule $x^2$ here.\n\n```text\n$y$\n```\n").unwrap().markdown;
        assert!(out.contains("<math"), "{out}");
        assert!(out.contains("```text\n$y$\n```"), "{out}");
    }

    #[test]
    fn prose_states_computed_numbers_and_lists_bare_ones() {
        let chapter = "# C\n\n```backprop\nderive \"x^3\" --at x=2\nexpect ∂f/∂x = 12\n```\n\n\
                       The slope is {{∂f/∂x}} at x = 2, that is 12, and f = {{f, 2}}; not 13.\n";
        let out = expand_alone(chapter).unwrap();
        assert!(
            out.markdown.contains("The slope is 12 at x = 2, that is 12, and f = 8.0; not 13."),
            "{}",
            out.markdown
        );
        assert_eq!(
            out.bare,
            ["src/c.md:8: \"13\" in: The slope is {{∂f/∂x}} at x = 2, that is 12, and f = {{f, 2}}; not 13."]
        );
        let e = expand_alone("# C\n\nA {{E}} too early.\n").err().unwrap();
        assert!(e.contains("has no block above it"), "{e}");
    }
}
