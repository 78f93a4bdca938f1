//! ```backprop blocks → markdown: each block holds a command line exactly as a reader would type
//! it after `backprop`; its output is computed now and written into the chapter. Math outside
//! code (`$$…$$` and `$…$`) becomes MathML.

use super::math::display;
use backprop_engine::commands::args::Command;
use backprop_engine::commands::form::exercise_form;
use backprop_engine::commands::graph::PictureFormat;
use backprop_engine::commands::run::{Report, execute, parse};
use backprop_engine::commands::words::{shell_line, split_words};
use backprop_engine::error::Error;
use backprop_engine::host::Host;
use backprop_engine::lang::Lang;
use std::path::Path;

fn fence(text: &str) -> String {
    format!("```text\n{}```\n", text)
}

fn figure(svg: &str) -> String {
    // Inline SVG: without the XML prolog and on lines of its own, so markdown leaves it alone.
    let svg = svg.trim_start_matches(|c| c != '<');
    let svg = match svg.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(rest, |(_, r)| r).trim_start(),
        None => svg,
    };
    let compact: String =
        svg.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n");
    format!("\n<div class=\"backprop-figure\">\n{compact}\n</div>\n")
}

/// Shown once: the text is on the page, the other notation folded under it.
fn folded(summary: &str, html: &str) -> String {
    format!("\n<details class=\"backprop-math\">\n<summary>{summary}</summary>\n{html}\n</details>\n")
}

fn shown(e: Error) -> String {
    e.to_string()
}

/// What a block may read: files below the book's root folder, and nothing else.
struct BookFiles<'a> {
    root: &'a Path,
    /// An inline exercise sheet, read as `-`.
    stdin: Option<String>,
    /// Every file read, by the path the engine asked for: handed to the page, so that the
    /// block can be run again there (edited) with the same files.
    read: std::cell::RefCell<std::collections::BTreeMap<String, String>>,
}

impl Host for BookFiles<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if path == "-" {
            return self
                .stdin
                .clone()
                .map(String::into_bytes)
                .ok_or_else(|| "this block has no inline sheet".to_string());
        }
        // Checked on what was opened: a regular file whose real path is inside the root.
        let root = self.root.canonicalize().map_err(|e| crate::files::io_message(&e))?;
        let bytes = crate::files::read_inside(&root, &root.join(path)).map_err(|refused| match refused {
            crate::files::Refused::Outside => format!(
                "a book block reads only files inside `{}` (the folder that holds the book)",
                self.root.display()
            ),
            crate::files::Refused::Unreadable(why) => why,
        })?;
        if let Ok(text) = std::str::from_utf8(&bytes) {
            self.read.borrow_mut().insert(path.to_string(), text.to_string());
        }
        Ok(bytes)
    }
}

/// A block, run: its markdown for the page, the values its report names (for `{{…}}` in the
/// prose), and the numbers the prose of its section may state because the block shows or
/// checks them (its inputs and the values of its `expect` lines).
pub struct Block {
    pub id: Option<String>,
    pub markdown: String,
    pub values: Vec<(String, f64)>,
    pub allowed: Vec<f64>,
}

/// Writes a caption: its `{{…}}` replaced by this block's values (the chapter checks it too).
pub type Caption<'a> = dyn Fn(&str, &[(String, f64)]) -> Result<String, String> + 'a;

/// Runs one block: its first line is the command, further lines an inline exercise sheet, or
/// `expect …`, `caption …` and `id NAME` lines.
pub fn run_block(body: &[&str], root: &Path, lang: Lang, caption: &Caption) -> Result<Block, String> {
    let Some(command_line) = body.iter().map(|l| l.trim()).find(|l| !l.is_empty() && !l.starts_with('#')) else {
        return Err("this ```backprop block is empty".into());
    };
    let words = split_words(command_line)?;
    let cli = parse(&words).map_err(|o| format!("`{command_line}` is not a backprop command:\n{}", o.stderr))?;
    // After the command: `expect …` claims about its result, and an inline exercise sheet.
    let rest: Vec<&str> = body.iter().skip_while(|l| l.trim() != command_line).skip(1).copied().collect();
    // After the command: `expect …` claims about its result, a `caption …` for its figure, and
    // an inline exercise sheet.
    let claims: Vec<&str> = rest.iter().filter_map(|l| l.trim().strip_prefix("expect ")).collect();
    let captions: Vec<&str> = rest.iter().filter_map(|l| l.trim().strip_prefix("caption ")).collect();
    let id = rest.iter().find_map(|l| l.trim().strip_prefix("id ")).map(|i| i.trim().to_string());
    // A Python listing that mirrors the command, and the values it prints (super::listing).
    let listing = rest.iter().find_map(|l| l.trim().strip_prefix("listing ")).map(str::trim);
    let prints: Vec<&str> = rest.iter().filter_map(|l| l.trim().strip_prefix("prints ")).map(str::trim).collect();
    let sheet: Vec<&str> = rest
        .iter()
        .filter(|l| !["expect ", "caption ", "id ", "listing ", "prints "].iter().any(|k| l.trim().starts_with(k)))
        .copied()
        .collect();
    let files = BookFiles { root, stdin: (!sheet.is_empty()).then(|| sheet.join("\n")), read: Default::default() };
    // Shown as a reader can paste it into a shell (`sigmoid(w*x)` quoted).
    // The Chinese edition's blocks speak Chinese, and show the flag that makes them.
    let mut words = words;
    if lang == Lang::Zh && cli.lang.is_none() {
        words.extend(["--lang".to_string(), "zh".to_string()]);
    }
    let shell = format!("$ backprop {}\n", shell_line(&words));
    let report = execute(&cli.command, cli.lang.unwrap_or(lang), &files).map_err(shown)?;
    for claim in &claims {
        super::claims::check(claim, &report)?;
    }
    let checked = match claims.as_slice() {
        [] => String::new(),
        some => {
            let (checked, separator, end) = match lang {
                Lang::En => ("Checked when this page was built: ", "; ", "."),
                Lang::Zh => ("构建本页时已核对：", "；", "。"),
            };
            let claims = some.iter().map(|c| html_escape(c)).collect::<Vec<_>>().join(separator);
            format!("\n<p class=\"backprop-claims\">{checked}{claims}{end}</p>\n")
        }
    };
    // What the terminal writes to standard error beside the output (`note: …`).
    let notes: String = report.notes(lang).iter().map(|n| format!("{n}\n")).collect();
    let values = super::values::values(&report);
    let markdown = match report {
        Report::Derive(r) => {
            let mut md = fence(&format!("{shell}{}{notes}", r.render_text()));
            let math = display(&r.render_latex())
                .map_err(|e| format!("the LaTeX of `{command_line}` does not render: {e}"))?;
            let said = if lang == Lang::Zh { "用数学记号表示" } else { "The same in mathematical notation" };
            md.push_str(&folded(said, &math));
            md
        }
        Report::Grad(tables) => {
            let text: Vec<String> = tables.iter().map(|t| t.render_text()).collect();
            fence(&format!("{shell}{}{notes}", text.join("\n")))
        }
        Report::Graph(r) if r.format == PictureFormat::Svg => figure(&r.render()),
        Report::Graph(r) => fence(&format!("{shell}{}", r.render())),
        Report::NetDescribe(r) => {
            let mut md = fence(&format!("{shell}{}", r.render_text()));
            let math = display(&r.render_latex()).map_err(|e| format!("the δ-equations do not render: {e}"))?;
            md.push_str(&folded("The equations in mathematical notation", &math));
            md
        }
        Report::NetGrad(r) => fence(&format!("{shell}{}", r.render_text())),
        Report::Exercise { text, files, .. } if files.is_empty() => fence(&format!("{shell}{text}")),
        Report::Exercise { .. } | Report::Class(_) => {
            return Err(format!("`{command_line}` writes files: a book block shows what a command prints"));
        }
        Report::NetStep(r) => fence(&format!("{shell}{}", r.render_text())),
        Report::NetTrain(r) => {
            let mut md = fence(&format!("{shell}{}", r.render_text()));
            if matches!(cli.command, Command::Net { plot: Some(_), .. }) {
                md.push_str(&figure(&r.loss_curve()));
            }
            md
        }
        Report::Check(r) => {
            if r.exit_code() != 0 {
                return Err(format!("the answer key of this exercise is not right:\n{}", r.render_text()));
            }
            let mut md = String::new();
            for sheet in &r.sheets {
                let folder = sheet.name.rsplit_once('/').map_or("", |(f, _)| f);
                let read = |name: &str| {
                    let path = if folder.is_empty() { name.to_string() } else { format!("{folder}/{name}") };
                    files.read(&path).ok().and_then(|b| String::from_utf8(b).ok())
                };
                md.push_str(&exercise_markdown(&sheet.text, &read, lang));
            }
            md
        }
        Report::Plot(plot) => figure(&plot.svg),
    };
    // A caption that says "log scale" is said of a figure drawn on one.
    if captions.iter().any(|c| c.contains("log scale")) && !markdown.contains("log₁₀") {
        return Err(format!("the caption of `{command_line}` says \"log scale\" but its figure is not on one"));
    }
    let mut written = String::new();
    for c in &captions {
        written.push_str(&format!("\n<p class=\"backprop-caption\">{}</p>\n", caption(&html_escape(c), &values)?));
    }
    // The network files a command reads, shown with it (the page's editor lets the reader
    // change them); an exercise shows its network inside the question already.
    if !matches!(cli.command, Command::Check { .. }) {
        let said = if lang == Lang::Zh { "网络文件" } else { "the network file" };
        for (name, text) in files.read.borrow().iter().filter(|(k, _)| k.ends_with(".net")) {
            written.push_str(&format!(
                "\n<details class=\"backprop-file\" data-file=\"{}\">\n<summary>{said} <code>{}</code></summary>\n\n<pre tabindex=\"0\"><code>{}</code></pre>\n\n</details>\n",
                html_escape(name).replace('"', "&quot;"),
                html_escape(name),
                html_escape(text)
            ));
        }
    }
    if let Some(path) = listing {
        let source =
            files.read(path).and_then(|b| String::from_utf8(b).map_err(|_| format!("`{path}` is not UTF-8")))?;
        written.push_str(&super::listing::markdown(path, &source, &super::listing::output(&prints, &values)?, lang));
    }
    // The numbers this block shows as its input or checks: the command line, an inline sheet,
    // the network files it reads, and its claims.
    let mut allowed: Vec<f64> = Vec::new();
    let mut given = vec![command_line.to_string()];
    given.extend(sheet.iter().map(|l| l.to_string()));
    given.extend(claims.iter().map(|c| c.to_string()));
    given.extend(files.read.borrow().iter().filter(|(k, _)| k.ends_with(".net")).map(|(_, v)| v.clone()));
    for text in &given {
        // Inputs are written in the language's ASCII (`--lr 0.01,0.05`, `W = [[0.15, 0.20]]`).
        let spaced = text.replace([',', '=', '[', ']'], " ");
        allowed.extend(super::prose::numerals(&spaced).iter().map(|n| n.value));
    }
    Ok(Block { id, markdown: live(&words, &files, &(markdown + &written + &checked)), values, allowed })
}

/// The block's output inside a `backprop-live` element that carries what the page needs to
/// run it again (playground/live.js): the command, the inline sheet and the files it read, as
/// JSON on one line (an HTML block must not hold a blank line).
fn live(words: &[String], files: &BookFiles, markdown: &str) -> String {
    let mut given: serde_json::Map<String, serde_json::Value> =
        files.read.borrow().iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
    if let Some(sheet) = &files.stdin {
        given.insert("-".into(), sheet.clone().into());
    }
    let attribute = |raw: &str| html_escape(raw).replace('"', "&quot;");
    // A `check` block's form (which file is the sheet, its titles and checks), read by the
    // engine: the page has no parser of its own.
    let form = match exercise_form(words, &given) {
        Some(form) => format!(" data-form=\"{}\"", attribute(&form.to_string())),
        None => String::new(),
    };
    format!(
        "\n<div class=\"backprop-live\" data-command=\"{}\" data-files=\"{}\"{form}>\n\n{}\n\n</div>\n",
        attribute(&shell_line(words)),
        attribute(&serde_json::Value::Object(given).to_string()),
        markdown.trim_matches('\n')
    )
}

/// The playground's element names the network files of its presets
/// (`data-network-files="examples/networks/playground-moons.net"`); the build hands their text
/// to the page (`data-networks`, JSON by path), so the page holds no copy of them.
pub fn playground(line: &str, root: &Path) -> Result<String, String> {
    const NAMED: &str = "data-network-files=\"";
    let Some(at) = line.find(NAMED) else { return Ok(line.to_string()) };
    let value = &line[at + NAMED.len()..];
    let end = value.find('"').ok_or("the playground's data-network-files is not closed")?;
    let files = BookFiles { root, stdin: None, read: Default::default() };
    let mut networks = serde_json::Map::new();
    for path in value[..end].split_whitespace() {
        let bytes = files.read(path).map_err(|e| format!("the playground's preset `{path}`: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|_| format!("the playground's preset `{path}` is not UTF-8"))?;
        networks.insert(path.to_string(), text.into());
    }
    let json = html_escape(&serde_json::Value::Object(networks).to_string()).replace('"', "&quot;");
    Ok(format!("{}data-networks=\"{json}\"{}", &line[..at], &value[end + 1..]))
}

/// A sheet's exercises as the reader sees them: each under its own title, its comments kept,
/// the network file it uses shown whole (weights, data, rate), then the checked answers folded
/// away. `read` gives the text of a file the sheet names, relative to the sheet.
fn exercise_markdown(sheet: &str, read: &dyn Fn(&str) -> Option<String>, lang: Lang) -> String {
    let mut md = String::new();
    let mut exercise: Option<(String, String, String)> = None; // (title, question, answers)
    let flush = |md: &mut String, exercise: Option<(String, String, String)>| {
        if let Some((title, question, answers)) = exercise {
            let summary = match lang {
                Lang::En => "Answers (checked by <code>backprop check</code> when this book was built)",
                Lang::Zh => "答案（构建本书时已由 <code>backprop check</code> 检查）",
            };
            md.push_str(&format!(
                "\n**{title}**\n\n```text\n{question}```\n\n<details><summary>{summary}</summary>\n\n```text\n{answers}```\n\n</details>\n"
            ));
        }
    };
    for line in sheet.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("exercise ") {
            flush(&mut md, exercise.take());
            // The title is the one user string written outside a code block: escape it.
            let raw = rest.trim().trim_matches('"');
            let said = if lang == Lang::Zh { "练习：" } else { "Exercise: " };
            exercise = Some((format!("{said}{}", markdown_escape(raw)), String::new(), String::new()));
            continue;
        }
        let Some((_, question, answers)) = exercise.as_mut() else { continue };
        if t.is_empty() {
            continue;
        }
        if let Some(rest) = t.strip_prefix("check ") {
            let (target, answer) = rest.split_once('=').unwrap_or((rest, ""));
            question.push_str(&format!("{} = ?\n", target.trim()));
            answers.push_str(&format!("{} = {}   ✓\n", target.trim(), answer.trim()));
        } else if let Some(file) = t.strip_prefix("network ") {
            question.push_str(&format!("{t}\n"));
            let name = file.trim().trim_matches('"');
            if let Some(text) = read(name) {
                question.push_str(&format!("\n# {name}:\n"));
                for l in text.lines() {
                    question.push_str(&format!("  {l}\n"));
                }
                question.push('\n');
            }
        } else {
            question.push_str(&format!("{t}\n"));
        }
    }
    flush(&mut md, exercise);
    md
}

/// Text placed inside an HTML element of the page: markup escaped.
fn html_escape(raw: &str) -> String {
    raw.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Text placed in the page's markdown outside a code block: markup and markdown escaped.
fn markdown_escape(raw: &str) -> String {
    html_escape(raw)
        .chars()
        .map(|c| match c {
            '*' | '_' | '`' | '[' | ']' | '\\' => format!("\\{c}"),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_strings_are_shown_not_executed() {
        let plain = |c: &str, _: &[(String, f64)]| Ok(c.to_string());
        let body = ["check -", "exercise \"<script>alert(1)</script>\"", "f = x", "at x = 1", "check f = 1"];
        let out = run_block(&body, Path::new("."), Lang::En, &plain).unwrap().markdown;
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        let out = run_block(&["derive \"x\" --at x=1"], Path::new("."), Lang::En, &plain).unwrap().markdown;
        assert!(out.contains("```text"), "command output stays inside a code block");
    }
}
