//! The learner's path: every term of `book/terms.txt` is defined (written in bold, `**error
//! term**`) before it is used, in reading order, and the glossary chapter lists each term with
//! its Chinese and a link to where it is defined. A term used before its definition, or never
//! defined, fails the build.
//!
//! `terms.txt` has a line per term: `English | 中文 | other forms, comma-separated` (plurals of
//! the English are found without being listed; symbols such as `δ` and their LaTeX `\delta` are
//! forms too). A use is a form in prose, a caption or inline math; headings, code and the
//! chapters that are lists (the glossary, the references) are not read.

/// One term of the list.
#[derive(Debug, Clone)]
pub struct Term {
    pub english: String,
    pub chinese: String,
    pub forms: Vec<String>,
}

/// Where a term is defined: the chapter (`src/model.md`), its line, and the anchor.
#[derive(Debug, Clone)]
pub struct Definition {
    pub term: usize,
    pub chapter: String,
    pub line: usize,
    pub id: String,
}

pub fn read_terms(text: &str) -> Result<Vec<Term>, String> {
    let mut terms = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [english, chinese, forms] = parts.as_slice() else {
            return Err(format!("terms.txt:{}: write `English | 中文 | other forms`", n + 1));
        };
        let mut all = vec![english.to_string()];
        all.extend(forms.split(',').map(str::trim).filter(|f| !f.is_empty()).map(String::from));
        terms.push(Term { english: english.to_string(), chinese: chinese.to_string(), forms: all });
    }
    Ok(terms)
}

/// A Chinese character (the CJK Unified Ideographs).
pub fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// The terms as the Chinese edition checks them: the Chinese is the term (bold where defined,
/// the English after it in parentheses), its symbols are kept, its English forms are not.
pub fn for_chinese(terms: &[Term]) -> Vec<Term> {
    terms
        .iter()
        .map(|t| {
            let symbols =
                t.forms.iter().skip(1).filter(|f| !f.chars().all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-'));
            Term {
                english: t.chinese.clone(),
                chinese: t.english.clone(),
                forms: std::iter::once(t.chinese.clone()).chain(symbols.cloned()).collect(),
            }
        })
        .collect()
}

impl Term {
    /// The term's English: the anchors of both editions are made from it (a URL with Chinese in
    /// it would be marked up as Chinese text before the page's links are made).
    pub fn latin(&self) -> &str {
        if self.english.chars().any(is_cjk) { &self.chinese } else { &self.english }
    }
}

/// The anchor of a term's definition: `term-error-term`.
pub fn anchor(english: &str) -> String {
    let slug: String = english.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    format!("term-{}", slug.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-"))
}

/// Where `form` occurs in `text` (byte offset): words case-insensitively, at word boundaries,
/// plurals included; symbols exactly.
fn find(text: &str, form: &str) -> Option<usize> {
    // Chinese has no spaces between words: a Chinese term is found wherever it is written.
    if form.chars().any(is_cjk) {
        return text.find(form);
    }
    let wordlike = form.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-');
    if !wordlike {
        return text.find(form);
    }
    let lower = text.to_lowercase();
    let form = form.to_lowercase();
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    let mut from = 0;
    while let Some(at) = lower[from..].find(&form).map(|a| a + from) {
        let before = lower[..at].chars().next_back();
        let after = &lower[at + form.len()..];
        let rest = after
            .strip_prefix("es")
            .filter(|r| boundary(r.chars().next()))
            .or_else(|| after.strip_prefix('s'))
            .unwrap_or(after);
        if boundary(before) && boundary(rest.chars().next()) {
            // Lower-casing keeps the byte offsets of the book's text (no letter changes length).
            return Some(at);
        }
        from = at + form.len();
    }
    None
}

/// The prose of a line as the check reads it: inline code removed (kept as spaces, so offsets
/// hold), link targets and interpolations (`{{loss at epoch 1}}`, which the page shows as a
/// number) too.
fn prose(line: &str) -> String {
    let mut hidden_spans = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("{{") {
        let end = rest[at..].find("}}").map_or(rest.len(), |e| at + e + 2);
        hidden_spans.push_str(&rest[..at]);
        hidden_spans.extend(std::iter::repeat_n(' ', end - at));
        rest = &rest[end..];
    }
    hidden_spans.push_str(rest);
    let line = hidden_spans.as_str();
    let mut out = String::with_capacity(line.len());
    let mut code = false;
    let mut target = false;
    let mut previous = ' ';
    for c in line.chars() {
        if c == '`' {
            code = !code;
        }
        if !code && previous == ']' && c == '(' {
            target = true;
        }
        let hidden = code || c == '`' || target;
        if target && c == ')' {
            target = false;
        }
        previous = c;
        if hidden {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Bold spans of a line: (start, text).
fn bold(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = line[from..].find("**").map(|a| a + from) {
        let Some(close) = line[open + 2..].find("**").map(|c| c + open + 2) else { break };
        out.push((open, &line[open + 2..close]));
        from = close + 2;
    }
    out
}

/// The lines the check reads in one chapter: (line number, text) of prose and captions.
pub fn readable_lines(content: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut block = false;
    let mut math = false;
    let mut goals = false;
    for (n, line) in content.lines().enumerate() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.trim_end() == f {
                fence = None;
                block = false;
            } else if block && let Some(caption) = t.strip_prefix("caption ") {
                out.push((n + 1, caption));
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            block = t.trim_end() == "```backprop";
            fence = Some(if t.starts_with("```") { "```" } else { "~~~" });
            continue;
        }
        if math {
            math = !t.trim_end().ends_with("$$");
            continue;
        }
        if t.starts_with("$$") {
            math = !(t.len() > 2 && t.trim_end().ends_with("$$") && t.trim_end().len() > 3);
            continue;
        }
        // A chapter's goals name what it will define: they are read as a preview, not a use.
        if t.starts_with("<div class=\"backprop-goals\"") {
            goals = true;
        }
        if goals {
            goals = !t.starts_with("</div>");
            continue;
        }
        if t.starts_with('#') || t.starts_with("<!--") {
            continue;
        }
        out.push((n + 1, line));
    }
    out
}

/// Checks the book's chapters (name, content) in reading order: every term defined before
/// its first use. Returns each term's definition, or every problem found.
pub fn check(terms: &[Term], chapters: &[(String, String)]) -> Result<Vec<Definition>, Vec<String>> {
    let mut defined: Vec<Option<Definition>> = vec![None; terms.len()];
    let mut problems = Vec::new();
    for (chapter, content) in chapters {
        if chapter.ends_with("glossary.md") || chapter.ends_with("references.md") {
            continue;
        }
        for (n, line) in readable_lines(content) {
            let whole = prose(line);
            for (k, term) in terms.iter().enumerate() {
                if defined[k].is_some() {
                    continue;
                }
                let text = without_longer_terms(&whole, term, terms);
                let first_use = term.forms.iter().filter_map(|f| find(&text, f).map(|at| (at, f))).min();
                let definition = bold(&text).into_iter().find(|(_, b)| defines(b, term));
                if let (Some((at, form)), Some((start, _))) = (first_use, definition)
                    && at < start
                {
                    problems.push(format!(
                        "{chapter}:{n}: `{form}` ({}) is used before its definition (here, in bold)",
                        term.english
                    ));
                }
                match (first_use, definition) {
                    (_, Some(_)) => {
                        defined[k] = Some(Definition { term: k, chapter: chapter.clone(), line: n, id: anchor(term.latin()) })
                    }
                    (Some((_, form)), None) => problems.push(format!(
                        "{chapter}:{n}: `{form}` ({}) is used before it is defined (write its definition in bold, `**{}**`, where it is first needed)",
                        term.english, term.english
                    )),
                    (None, None) => {}
                }
            }
        }
    }
    for (term, d) in terms.iter().zip(&defined) {
        if d.is_none() {
            problems.push(format!("terms.txt: `{}` is never defined (in bold) in the book", term.english));
        }
    }
    if problems.is_empty() { Ok(defined.into_iter().flatten().collect()) } else { Err(problems) }
}

/// A chapter opens with what the reader will be able to do (`<div class="backprop-goals">`
/// right under its title) and ends with exercises (a last section `## Exercises…` holding a
/// `check` block). The lists (references, glossary) are exempt.
pub fn structure(chapter: &str, content: &str, chinese: bool) -> Vec<String> {
    let exercises = if chinese { "## 练习" } else { "## Exercises" };
    if chapter.ends_with("glossary.md") || chapter.ends_with("references.md") {
        return Vec::new();
    }
    let mut problems = Vec::new();
    let mut lines = content.lines().map(str::trim).filter(|l| !l.is_empty());
    let (title, first) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""));
    if !title.starts_with("# ") || !first.starts_with("<div class=\"backprop-goals\">") {
        problems.push(format!(
            "{chapter}: the chapter does not open with its goals (`<div class=\"backprop-goals\">` under the title)"
        ));
    }
    let last = content.rfind("\n## ").map(|at| &content[at + 1..]).unwrap_or("");
    if !last.starts_with(exercises) || !last.contains("```backprop\ncheck ") {
        problems.push(format!(
            "{chapter}: the chapter does not end with exercises (a last section `{exercises}` with a `check` block)"
        ));
    }
    problems
}

/// Whether a bold span defines `term`: holds it (English, plurals too) or, in Chinese, is it
/// (预激活值 does not define 激活值).
fn defines(bold: &str, term: &Term) -> bool {
    if term.english.chars().any(is_cjk) { bold.trim() == term.english } else { find(bold, &term.english).is_some() }
}

/// The text with every longer Chinese term that holds `term` blanked out (bytes kept), so that
/// 预激活值 is not read as a use of 激活值.
fn without_longer_terms(text: &str, term: &Term, terms: &[Term]) -> String {
    if !term.english.chars().any(is_cjk) {
        return text.to_string();
    }
    terms
        .iter()
        .filter(|t| t.english.len() > term.english.len() && t.english.contains(&term.english))
        .fold(text.to_string(), |text, longer| text.replace(&longer.english, &" ".repeat(longer.english.len())))
}

/// Marks a term's definition on its line: its bold span becomes `<dfn id="…">**…**</dfn>`.
pub fn mark(line: &str, term: &Term, id: &str) -> String {
    let text = prose(line);
    match bold(&text).into_iter().find(|(_, b)| defines(b, term)) {
        Some((start, inner)) => {
            let end = start + inner.len() + 4;
            format!("{}<dfn id=\"{id}\">{}</dfn>{}", &line[..start], &line[start..end], &line[end..])
        }
        None => line.to_string(),
    }
}

/// The glossary: a table of every term in the order the book defines it, with its Chinese and
/// a link to its definition under the title of its chapter. `chapters` are (path, title) in
/// reading order.
pub fn glossary(terms: &[Term], definitions: &[Definition], chapters: &[(String, String)], chinese: bool) -> String {
    let order =
        |d: &Definition| (chapters.iter().position(|(path, _)| *path == d.chapter).unwrap_or(usize::MAX), d.line);
    let mut rows: Vec<&Definition> = definitions.iter().collect();
    rows.sort_by_key(|d| order(d));
    let header = if chinese { "| 中文 | English | 定义于 |" } else { "| English | 中文 | defined in |" };
    let mut md = format!("{header}\n|---|---|---|\n");
    for d in rows {
        let term = &terms[d.term];
        let page = d.chapter.trim_start_matches("src/").replace(".md", ".html");
        let title = chapters.iter().find(|(path, _)| *path == d.chapter).map_or(page.as_str(), |(_, t)| t.as_str());
        md.push_str(&format!("| {} | {} | [{title}]({page}#{}) |\n", term.english, term.chinese, d.id));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> Vec<Term> {
        read_terms("error term | 误差项 | δ, \\delta\nweight | 权重 |\n").unwrap()
    }

    #[test]
    fn a_term_used_before_its_definition_fails() {
        let chapters = vec![
            ("src/a.md".to_string(), "# A\n\nThe **weights** change; `δ` in code is fine.\n".to_string()),
            ("src/b.md".to_string(), "# B\n\nHere δ is used, and only then the **error term** δ.\n".to_string()),
        ];
        let problems = check(&terms(), &chapters).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("src/b.md:3: `δ` (error term) is used before its definition"), "{problems:?}");
    }

    #[test]
    fn definitions_are_found_and_marked() {
        let chapters = vec![(
            "src/a.md".to_string(),
            "# A\n\n## Weights\n\nIts **weights and biases**, and the **error term** $\\delta$.\n".to_string(),
        )];
        let d = check(&terms(), &chapters).unwrap();
        assert_eq!((d[0].line, d[1].line), (5, 5));
        let marked = mark("Its **weights and biases**.", &terms()[1], "term-weight");
        assert_eq!(marked, "Its <dfn id=\"term-weight\">**weights and biases**</dfn>.");
        assert!(check(&terms(), &chapters[..0]).unwrap_err().len() == 2, "never defined");
        assert!(find("a weighted sum", "weight").is_none());
        assert!(find("the Weights", "weight").is_some());
    }
}
