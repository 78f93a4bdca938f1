//! The Chinese edition's text: the English chapters cut into units (a paragraph, a heading, a
//! list item, a table row, an HTML line with words), each looked up in the gettext catalogue
//! `po/zh-Hans.po` and replaced by its translation. Fenced code (the ```backprop blocks with their
//! `expect` claims, the Python listings) and display math are never units: they stay the English
//! source's, so every claim is checked in both editions — except what a block says in words: its
//! `caption`, an exercise's title and a sheet's `#` comments are units of their own.
//!
//! A unit's msgid is its text exactly as written, soft line breaks read as spaces: a changed English
//! paragraph no longer finds its translation, and the build names it (untranslated, or stale when
//! `book po` carried the old translation over as fuzzy). We cut the markdown ourselves rather than
//! through mdbook-i18n-helpers' `translate_book`: that re-renders every chapter with
//! pulldown-cmark-to-cmark, which reads `\,` inside `$…$` as an escaped comma and so changes the
//! book's math. The catalogue is still a plain gettext file that Poedit and msgmerge read.

use polib::catalog::Catalog;
use polib::message::{Message, MessageMutView};
use polib::metadata::CatalogMetadata;
use std::collections::HashMap;
use std::path::Path;

/// The catalogue of the Chinese edition, relative to the book's folder.
pub const CATALOGUE: &str = "po/zh-Hans.po";

/// Translations that are not this book's terms (d2l-zh's): found in the Chinese, they fail the build.
const NOT_OUR_TERMS: [(&str, &str); 2] =
    [("偏差", "bias is 偏置 (偏差 is a model's error)"), ("归一化", "normalization is 规范化, as in 批量规范化")];

/// One translatable piece of a chapter.
#[derive(Debug, PartialEq)]
pub struct Unit {
    /// The first line's number (from 1).
    pub line: usize,
    /// How many source lines it covers.
    pub count: usize,
    /// What stays before the text: indentation and a list, heading or quote marker.
    pub prefix: String,
    pub text: String,
}

fn is_pure_tag(line: &str) -> bool {
    let t = line.trim();
    let Some(inner) = t.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else { return false };
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let name_end = inner.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(inner.len());
    let rest = inner[name_end..].trim();
    name_end > 0
        && (rest.is_empty() || (rest.starts_with("class=\"") && rest.ends_with('"') && rest.matches('"').count() == 2))
}

/// Words outside tags: an HTML line worth translating.
fn has_words(html_line: &str) -> bool {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html_line.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.chars().filter(char::is_ascii_alphabetic).count() >= 2
        || html_line.contains("aria-label=")
        || html_line.contains("title=")
}

/// The marker a line starts with, if it starts a unit of its own: a heading, a list item or a quote.
fn marker(line: &str) -> Option<(usize, bool)> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with([' ', '\t']) {
        let spaces = t[hashes..].len() - t[hashes..].trim_start().len();
        return Some((indent + hashes + spaces, true));
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let after = if t.starts_with(['-', '*', '+']) {
        Some(1)
    } else if digits > 0 && t[digits..].starts_with('.') {
        Some(digits + 1)
    } else {
        None
    };
    if let Some(n) = after
        && t[n..].starts_with([' ', '\t'])
    {
        let spaces = t[n..].len() - t[n..].trim_start().len();
        return Some((indent + n + spaces, false));
    }
    if let Some(rest) = t.strip_prefix('>') {
        let n = if rest.starts_with(' ') { 2 } else { 1 };
        return Some((indent + n, false));
    }
    None
}

fn is_table_separator(t: &str) -> bool {
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Cuts a chapter into units (see the module's comment).
pub fn units(content: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut current: Option<Unit> = None;
    let mut fence: Option<&str> = None;
    let mut math = false;
    fn flush(current: &mut Option<Unit>, out: &mut Vec<Unit>) {
        if let Some(unit) = current.take() {
            let bare = unit.text.split("{{").map(|p| p.split_once("}}").map_or(p, |(_, r)| r)).collect::<String>();
            if bare.chars().any(|c| c.is_ascii_alphabetic()) {
                out.push(unit);
            }
        }
    }
    let mut backprop_block = false;
    for (n, line) in content.split('\n').enumerate() {
        let t = line.trim();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            } else if backprop_block
                && let Some(said) = ["caption ", "exercise ", "# "].iter().find_map(|k| t.strip_prefix(k))
                && (!t.starts_with("exercise ") || said.starts_with('"'))
            {
                // What a block shows the reader in words: its caption, an exercise's title and a
                // sheet's comments (the question's wording) are units; the command, the sheet's
                // lines and the claims are not.
                let prefix = &line[..line.len() - said.len()];
                out.push(Unit { line: n + 1, count: 1, prefix: prefix.into(), text: said.trim_end().into() });
            }
            continue;
        }
        if math {
            math = !t.ends_with("$$");
            continue;
        }
        let ticks = if t.starts_with("```") {
            "```"
        } else if t.starts_with("~~~") {
            "~~~"
        } else {
            ""
        };
        if !ticks.is_empty() {
            flush(&mut current, &mut out);
            fence = Some(ticks);
            backprop_block = t[ticks.len()..].trim() == "backprop";
            continue;
        }
        if t.starts_with("$$") {
            flush(&mut current, &mut out);
            math = !(t.len() > 2 && t.ends_with("$$"));
            continue;
        }
        if t.is_empty() || t.starts_with("{{#") {
            flush(&mut current, &mut out);
            continue;
        }
        let single =
            |prefix: &str, text: &str| Unit { line: n + 1, count: 1, prefix: prefix.into(), text: text.into() };
        if t.starts_with('<') {
            flush(&mut current, &mut out);
            if !is_pure_tag(line) && has_words(line) {
                out.push(single("", line));
            }
            continue;
        }
        if t.starts_with('|') {
            flush(&mut current, &mut out);
            if !is_table_separator(t) {
                out.push(single("", line.trim_end()));
            }
            continue;
        }
        if let Some((end, heading)) = marker(line) {
            let quote_continues = current.as_ref().is_some_and(|u| u.prefix.trim_start().starts_with('>'))
                && line.trim_start().starts_with('>');
            if quote_continues {
                let unit = current.as_mut().expect("checked above");
                unit.text = format!("{} {}", unit.text, line[end..].trim());
                unit.count = n + 1 - unit.line + 1;
                continue;
            }
            flush(&mut current, &mut out);
            current = Some(Unit { line: n + 1, count: 1, prefix: line[..end].into(), text: line[end..].trim().into() });
            if heading {
                flush(&mut current, &mut out);
            }
            continue;
        }
        match current.as_mut() {
            Some(unit) => {
                unit.text = format!("{} {t}", unit.text);
                unit.count = n + 1 - unit.line + 1;
            }
            None => {
                let indent = &line[..line.len() - line.trim_start().len()];
                current = Some(single(indent, t));
            }
        }
    }
    flush(&mut current, &mut out);
    out
}

/// The translations of a catalogue: msgid → msgstr, the fuzzy ones apart.
pub struct Catalogue {
    translated: HashMap<String, String>,
    fuzzy: HashMap<String, String>,
}

impl Catalogue {
    /// Reads `po/zh-Hans.po` of the (staged) book in `dir`; a missing or unreadable catalogue is an error.
    pub fn load(dir: &Path) -> Result<Catalogue, String> {
        let path = dir.join(CATALOGUE);
        if !path.is_file() {
            return Err(format!(
                "book.toml asks for the Chinese edition, but its catalogue `{CATALOGUE}` is missing (`backprop book po` makes it)"
            ));
        }
        let catalog = polib::po_file::parse(&path).map_err(|e| format!("cannot read `{CATALOGUE}`: {e}"))?;
        let mut translated = HashMap::new();
        let mut fuzzy = HashMap::new();
        for m in catalog.messages() {
            let Ok(msgstr) = m.msgstr() else { continue };
            if msgstr.is_empty() {
                continue;
            }
            let into = if m.flags().is_fuzzy() { &mut fuzzy } else { &mut translated };
            into.insert(m.msgid().to_string(), msgstr.to_string());
        }
        Ok(Catalogue { translated, fuzzy })
    }

    /// The translation of `text`, or why there is none.
    pub fn get(&self, text: &str) -> Result<&str, &'static str> {
        match self.translated.get(text) {
            Some(t) => Ok(t),
            None if self.fuzzy.contains_key(text) => Err("its Chinese is stale (marked fuzzy: the English changed)"),
            None => Err("it has no Chinese"),
        }
    }
}

/// What must come through a translation unchanged: interpolations, math, code and link targets.
fn kept(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    let take = |from: usize, open: &str, close: &str| -> Option<usize> {
        text[from + open.len()..].find(close).map(|e| from + open.len() + e + close.len())
    };
    while i < b.len() {
        let end = if text[i..].starts_with("{{") {
            take(i, "{{", "}}")
        } else if b[i] == b'`' {
            take(i, "`", "`")
        } else if b[i] == b'$' && !text[i..].starts_with("$$") {
            take(i, "$", "$")
        } else if text[i..].starts_with("](") {
            take(i, "](", ")")
        } else {
            None
        };
        match end {
            Some(e) => {
                out.push(text[i..e].to_string());
                i = e;
            }
            None => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    out.sort();
    out
}

/// The problems of one translation, if any.
fn check_translation(english: &str, chinese: &str) -> Option<String> {
    if kept(english) != kept(chinese) {
        let (e, c) = (kept(english), kept(chinese));
        let missing: Vec<_> = e.iter().filter(|x| !c.contains(x)).collect();
        let extra: Vec<_> = c.iter().filter(|x| !e.contains(x)).collect();
        return Some(format!(
            "its Chinese changes what must be kept as written (math, code, `{{{{…}}}}`, link targets): missing {missing:?}, added {extra:?}"
        ));
    }
    if english.starts_with('|') && english.matches('|').count() != chinese.matches('|').count() {
        return Some("its Chinese has another number of table cells".into());
    }
    NOT_OUR_TERMS
        .iter()
        .find(|(word, _)| chinese.contains(word))
        .map(|(word, why)| format!("its Chinese writes {word}, which is not this book's term: {why}"))
}

/// One chapter translated. Each unit without a good translation adds a problem naming its line.
pub fn translate(content: &str, chapter: &str, catalogue: &Catalogue, problems: &mut Vec<String>) -> String {
    let lines: Vec<&str> = content.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut next = 0;
    for unit in units(content) {
        out.extend(lines[next..unit.line - 1].iter().map(|l| l.to_string()));
        next = unit.line - 1 + unit.count;
        let shown: String = unit.text.chars().take(60).collect();
        match catalogue.get(&unit.text) {
            Ok(chinese) => {
                if let Some(problem) = check_translation(&unit.text, chinese) {
                    problems.push(format!("{chapter}:{}: {problem} («{shown}…»)", unit.line));
                }
                out.push(format!("{}{chinese}", unit.prefix));
                // A unit keeps its lines, so that what the build says of the Chinese names the
                // English source's line: a paragraph with blank lines after it, a list item (where
                // a blank line would loosen the list) with empty HTML comments under it.
                let filler = if unit.prefix.trim().is_empty() {
                    String::new()
                } else {
                    format!("{}<!-- -->", " ".repeat(unit.prefix.chars().count()))
                };
                out.extend(std::iter::repeat_n(filler, unit.count - 1));
            }
            Err(why) => {
                problems.push(format!("{chapter}:{}: {why} in {CATALOGUE} («{shown}…»)", unit.line));
                out.extend(lines[unit.line - 1..next].iter().map(|l| l.to_string()));
            }
        }
    }
    out.extend(lines[next..].iter().map(|l| l.to_string()));
    out.join("\n")
}

/// A chapter's title as the Chinese edition's sidebar shows it: the text of SUMMARY.md's link.
pub fn title(name: &str, path: &str, catalogue: &Catalogue) -> Option<String> {
    let link = catalogue.get(&format!("[{name}]({path})")).ok()?;
    let text = link.strip_prefix('[')?.rsplit_once("](")?.0;
    Some(text.to_string())
}

/// The catalogue brought up to date with the English (`backprop book po`): every unit of
/// `sources` ((file, text) in reading order) gets an entry; a translation whose English
/// changed is carried to the unit now at its place in the same file, marked fuzzy.
pub fn update(old: &Path, sources: &[(String, String)], out: &Path) -> Result<(usize, usize), String> {
    let old_catalog = if old.is_file() {
        polib::po_file::parse(old).map_err(|e| format!("cannot read `{}`: {e}", old.display()))?
    } else {
        Catalog::new(CatalogMetadata::new())
    };
    let mut by_id: HashMap<String, (String, bool)> = HashMap::new();
    let mut by_place: HashMap<String, String> = HashMap::new();
    for m in old_catalog.messages() {
        if let Ok(s) = m.msgstr()
            && !s.is_empty()
        {
            by_id.insert(m.msgid().to_string(), (s.to_string(), m.flags().is_fuzzy()));
            for place in m.source().split_whitespace() {
                by_place.insert(place.to_string(), s.to_string());
            }
        }
    }
    let mut metadata = CatalogMetadata::new();
    metadata.language = "zh_Hans".into();
    metadata.mime_version = "1.0".into();
    metadata.content_type = "text/plain; charset=UTF-8".into();
    metadata.content_transfer_encoding = "8bit".into();
    let mut catalog = Catalog::new(metadata);
    let (mut missing, mut stale) = (0, 0);
    for (file, content) in sources {
        let found = if file.ends_with(".toml") {
            vec![Unit { line: 1, count: 1, prefix: String::new(), text: content.clone() }]
        } else {
            units(content)
        };
        for unit in found {
            let place = format!("{file}:{}", unit.line);
            let (msgstr, fuzzy) = match by_id.get(&unit.text) {
                Some((s, f)) => (s.clone(), *f),
                None => match by_place.get(&place) {
                    Some(s) => (s.clone(), true),
                    None => (String::new(), false),
                },
            };
            missing += usize::from(msgstr.is_empty());
            stale += usize::from(fuzzy);
            let mut message =
                Message::build_singular().with_source(place).with_msgid(unit.text).with_msgstr(msgstr).done();
            if fuzzy {
                message.flags_mut().add_flag("fuzzy");
            }
            catalog.append_or_update(message);
        }
    }
    polib::po_file::write(&catalog, out).map_err(|e| format!("cannot write `{}`: {e}", out.display()))?;
    Ok((missing, stale))
}

#[cfg(test)]
mod tests;
