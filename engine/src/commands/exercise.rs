//! `exercise variants|show|moodle`: a class set from one teacher's sheet — each student's own
//! numbers, the keys with their working (as `grad --table` and `net grad --table` show it),
//! links for the live book, and Moodle XML.

use super::grad::{GradReport, GradRequest, Mode, grad};
use super::hand_table::hand_table;
use crate::error::{Error, Result, both};
use crate::exercise::variants::{Variant, generate};
use crate::exercise::{Exercise, SheetSource, Subject, net_at};
use crate::host::Host;
use crate::lang::Lang;
use crate::syntax::read_text;

/// The teacher's sheet as read from a path.
pub struct Source {
    pub path: String,
    pub text: String,
    pub base: String,
    /// The file's own name, as a variant names its source.
    pub file_name: String,
}

impl Source {
    pub fn read(path: &str, host: &dyn Host) -> Result<Source> {
        let text = read_text(host, path, path)?;
        let base = path.rsplit_once('/').map_or(String::new(), |(folder, _)| folder.to_string());
        let file_name = path.rsplit('/').next().unwrap_or(path).to_string();
        Ok(Source { path: path.to_string(), text, base, file_name })
    }

    fn sheet<'a>(&'a self, host: &'a dyn Host) -> SheetSource<'a> {
        SheetSource { name: &self.path, text: &self.text, base: &self.base, host }
    }

    /// The first `upto` of a class's `count` variants, with the working in the keys; the
    /// comments and the working in `lang` (the numbers and the exercises do not change with it).
    pub fn variants(
        &self,
        seed: u64,
        (count, upto): (usize, usize),
        lang: Lang,
        host: &dyn Host,
    ) -> Result<Vec<Variant>> {
        let working = |ex: &Exercise, sheet: &SheetSource| working(ex, sheet, lang);
        generate(&self.sheet(host), &self.file_name, seed, (count, upto), (&working, lang))
    }

    /// The network files the sheet names (relative to it), with their text: a class folder
    /// holds copies so that its sheets can be checked there.
    pub fn networks(&self, host: &dyn Host) -> Result<Vec<(String, String)>> {
        let mut out: Vec<(String, String)> = Vec::new();
        for ex in crate::exercise::parse_sheet(&self.text) {
            if let Some(Subject::Network(path)) = &ex.subject
                && !out.iter().any(|(p, _)| *p == path.text)
            {
                let file = crate::net::data::join_path(&self.base, &path.text);
                out.push((path.text.clone(), read_text(host, &file, &file)?));
            }
        }
        Ok(out)
    }
}

/// The working of an exercise at a variant's numbers, as comment lines.
fn working(ex: &Exercise, sheet: &SheetSource, lang: Lang) -> String {
    let text = match &ex.subject {
        Some(Subject::Function(lines)) => {
            let expression: String = lines.iter().map(|l| format!("{}\n", l.text)).collect();
            let at = ex.at.as_ref().map(|a| a.text.clone()).unwrap_or_default();
            let request =
                GradRequest { expression, source_name: "sheet".into(), at, digits: None, mode: Mode::Reverse };
            grad(&request).map(|r| GradReport { lang, ..r }.render_text()).unwrap_or_default()
        }
        Some(Subject::Network(path)) => match net_at::load(ex, path, sheet) {
            Ok((loaded, x, t)) => hand_table(&loaded, &x, &t).render_text(lang),
            Err(_) => String::new(),
        },
        None => String::new(),
    };
    text.lines().map(|l| if l.is_empty() { "#".to_string() } else { format!("# {l}") }).collect::<Vec<_>>().join("\n")
}

/// `exercise variants`: the files to write into `out`.
pub struct VariantsReport {
    pub files: Vec<(String, String)>,
    pub summary: String,
}

pub fn variants(path: &str, count: usize, seed: u64, out: &str, lang: Lang, host: &dyn Host) -> Result<VariantsReport> {
    let source = Source::read(path, host)?;
    let made = source.variants(seed, (count, count), lang, host)?;
    let networks = source.networks(host)?;
    let width = count.to_string().len();
    let name = |k: usize, key: bool| format!("variant-{k:0width$}{}.txt", if key { "-key" } else { "" });
    let join =
        |file: &str| if out.is_empty() { file.to_string() } else { format!("{}/{file}", out.trim_end_matches('/')) };
    let mut files = Vec::new();
    let mut links = String::from(
        "# A link per variant for the live book's exercise page: add each to the book's address\n\
         # (…/class.html#…). The page makes the same numbers as these files; nothing leaves the browser.\n",
    );
    for v in &made {
        files.push((join(&name(v.number, false)), v.sheet.clone()));
        files.push((join(&name(v.number, true)), v.key.clone()));
        links.push_str(&format!(
            "{}  class.html#{}\n",
            name(v.number, false),
            fragment(&source, &networks, seed, count, v.number)
        ));
    }
    files.push((join("links.txt"), links));
    files.push((join(&source.file_name), source.text.clone()));
    for (file, text) in &networks {
        files.push((join(file), text.clone()));
    }
    let (folder, sources) = (
        if out.is_empty() { "." } else { out },
        std::iter::once(source.file_name.clone()).chain(networks.iter().map(|n| n.0.clone())).collect::<Vec<_>>(),
    );
    let (first, last, first_key, last_key) = (name(1, false), name(count, false), name(1, true), name(count, true));
    let path = &source.path;
    let summary = match lang {
        Lang::En => format!(
            "{count} variants of {path} (seed {seed}) in {folder}: {first} … {last}, the keys {first_key} … {last_key}, links.txt, and {}\n",
            sources.join(", ")
        ),
        Lang::Zh => format!(
            "{path} 的 {count} 个版本（随机种子 {seed}）已写入 {folder}：{first} … {last}，答案 {first_key} … {last_key}，links.txt，以及 {}\n",
            sources.join("、")
        ),
    };
    Ok(VariantsReport { files, summary })
}

/// `exercise show`: one variant's sheet, or its key.
pub fn show(
    path: &str,
    (number, count): (usize, usize),
    seed: u64,
    key: bool,
    lang: Lang,
    host: &dyn Host,
) -> Result<String> {
    if number == 0 || number > count {
        return Err(Error::new(both(
            format!("--number must be from 1 to the class's {count} variants, not {number}"),
            format!("--number 须在 1 到 {count}（这个班的版本数）之间，而不是 {number}"),
        )));
    }
    let source = Source::read(path, host)?;
    let made = source.variants(seed, (count, number), lang, host)?;
    let v = &made[number - 1];
    Ok(if key { v.key.clone() } else { v.sheet.clone() })
}

/// The live book's link for a variant: the sheet, its network files, the seed and the number,
/// in the fragment (which no server sees).
pub fn fragment(source: &Source, networks: &[(String, String)], seed: u64, count: usize, number: usize) -> String {
    let mut out = format!(
        "file={}&seed={seed}&count={count}&variant={number}&sheet={}",
        percent(&source.file_name),
        base64url(source.text.as_bytes())
    );
    for (file, text) in networks {
        out.push_str(&format!("&net={}:{}", percent(file), base64url(text.as_bytes())));
    }
    out
}

/// Base64 with the URL's alphabet and no padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// A file name in a URL: every byte but letters, digits, `.`, `-` and `_` as %XX.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `exercise moodle`: the variants as Moodle XML questions.
pub fn moodle(path: &str, count: usize, seed: u64, host: &dyn Host) -> Result<String> {
    let source = Source::read(path, host)?;
    // Moodle's questions are English: its own interface says the rest.
    let made = source.variants(seed, (count, count), Lang::En, host)?;
    Ok(super::moodle::questions(&source.file_name, seed, &made))
}

#[cfg(test)]
mod tests {
    use super::base64url;

    #[test]
    fn base64url_is_rfc_4648() {
        // RFC 4648 §10's test vectors, in the URL alphabet without padding.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(plain.as_bytes()), coded);
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }
}
