//! book.toml, read as data: a shared book names no program for the build to run and no file
//! outside its folder. mdBook would run `[preprocessor.NAME]` and `[output.NAME]` commands
//! (or `mdbook-NAME` from the PATH), and would read and write the paths of `src`, `build-dir`,
//! `theme`, `additional-css`, `additional-js`, `input-404` and the redirect table wherever they
//! lead; each is refused here with its line.

use crate::files::Refused;
use backprop_engine::error::{Error, Result, english, line_span};
use mdbook_driver::config::Config;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// The preprocessors `backprop book build` runs itself, in-process: ours, and mdBook's two
/// built-ins (whose `links` is replaced by one that reads only inside the book).
const OWN_PREPROCESSORS: [&str; 3] = ["backprop", "links", "index"];

/// Reads a book's configuration (`text` is book.toml, `None` when there is none) and checks
/// that it names no program and no path outside the book.
pub fn read(text: Option<&str>) -> Result<Config> {
    // The build folder is `build` unless book.toml names another (mdBook's own default is `book`).
    let mut fresh = Config::default();
    fresh.build.build_dir = "build".into();
    let Some(text) = text else { return Ok(fresh) };
    let in_file = |e: Error| e.in_source("book.toml", text);
    let places = toml::de::DeTable::parse(text).map_err(|e| {
        in_file(Error::at(english(format!("book.toml is not TOML: {}", e.message())), e.span().unwrap_or(0..1)))
    })?;
    let mut config: Config = text.parse().map_err(|e: mdbook_driver::errors::Error| {
        in_file(Error::new(english(format!("book.toml: {}", root_cause(&e)))))
    })?;
    if !names(places.get_ref(), "build", "build-dir") {
        config.build.build_dir = fresh.build.build_dir;
    }
    let place = |keys: &[&str]| in_place(places.get_ref(), keys).unwrap_or_else(|| line_span(text, 1));

    let preprocessors =
        config.preprocessors::<toml::Value>().map_err(|e| Error::new(english(format!("book.toml: {e:#}"))))?;
    for (name, table) in &preprocessors {
        if !OWN_PREPROCESSORS.contains(&name.as_str()) {
            let program = program(table).unwrap_or_else(|| format!("mdbook-{name}"));
            return Err(in_file(
                Error::at(
                    english(format!("`[preprocessor.{name}]` would run a program (`{program}`) during the build")),
                    place(&["preprocessor", name]),
                )
                .with_label(english(
                    "a shared book is data: `backprop book build` runs no program a book names; remove this table",
                )),
            ));
        }
    }
    let outputs = config.outputs::<toml::Value>().map_err(|e| Error::new(english(format!("book.toml: {e:#}"))))?;
    for (name, table) in &outputs {
        if name != "html" {
            let label = match program(table) {
                Some(program) => {
                    format!("it would run `{program}`; `backprop book build` runs no program a book names")
                }
                None if name == "markdown" => "`backprop book build` writes the HTML book only".to_string(),
                None => format!("it would run `mdbook-{name}`; `backprop book build` runs no program a book names"),
            };
            return Err(in_file(
                Error::at(
                    english(format!("`[output.{name}]`: the book is built as HTML only")),
                    place(&["output", name]),
                )
                .with_label(english(format!("{label}; remove this table"))),
            ));
        }
    }

    // Every path the build reads or writes, each inside the book.
    let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut paths = vec![
        (keys(&["book", "src"]), config.book.src.clone()),
        (keys(&["build", "build-dir"]), config.build.build_dir.clone()),
    ];
    if let Some(html) = config.html_config() {
        let at = |key: &str| keys(&["output", "html", key]);
        paths.extend(html.theme.iter().map(|t| (at("theme"), t.clone())));
        paths.extend(html.additional_css.iter().map(|p| (at("additional-css"), p.clone())));
        paths.extend(html.additional_js.iter().map(|p| (at("additional-js"), p.clone())));
        paths.extend(html.input_404.iter().map(|p| (at("input-404"), p.into())));
        for from in html.redirect.keys() {
            paths.push((keys(&["output", "html", "redirect", from]), from.trim_start_matches('/').into()));
        }
    }
    if let Some((keys, path)) = paths.iter().find(|(_, p)| !is_inside(p)) {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        return Err(in_file(outside(&keys, path, &place)));
    }
    if config.build.build_dir.components().all(|c| c == Component::CurDir) {
        return Err(in_file(
            Error::at(english("`build-dir` is the book's own folder"), place(&["build", "build-dir"]))
                .with_label(english("the build replaces its folder: name a folder of its own, such as \"build\"")),
        ));
    }
    Ok(config)
}

/// book.toml (when there is one), read through the gate and checked (`config::read`).
pub fn load(dir: &Path) -> Result<Config> {
    let path = dir.join("book.toml");
    if std::fs::symlink_metadata(&path).is_err() {
        return read(None);
    }
    let bytes = crate::files::read_inside(dir, &path).map_err(|refused| {
        Error::new(english(match refused {
            Refused::Outside => "`book.toml` leads outside the book's folder (a link)".to_string(),
            Refused::Unreadable(why) => format!("cannot read `book.toml`: {why}"),
        }))
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::new(english("`book.toml` is not UTF-8 text")))?;
    read(Some(&text))
}

/// The build folder book.toml names, inside the book: its parent made and checked on its
/// real path (a linked folder leading outside is refused).
pub fn output_folder(dir: &Path, config: &Config) -> Result<PathBuf> {
    let target = dir.join(&config.build.build_dir);
    let parent = target.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::new(english(format!("cannot make `{}`: {e}", parent.display()))))?;
    let real =
        parent.canonicalize().map_err(|e| Error::new(english(format!("cannot open `{}`: {e}", parent.display()))))?;
    if !real.starts_with(dir) {
        return Err(Error::new(english(format!(
            "the build folder `{}` leads outside the book's folder (a link); a book writes only inside its folder",
            config.build.build_dir.display()
        ))));
    }
    Ok(real.join(target.file_name().unwrap_or_default()))
}

/// The error for a path that leads outside the book.
fn outside(keys: &[&str], path: &Path, place: &dyn Fn(&[&str]) -> Range<usize>) -> Error {
    Error::at(english(format!("`{}` is outside the book's folder", path.display())), place(keys))
        .with_label(english("a book reads and writes only inside its folder: give a relative path without `..`"))
}

/// A path that stays inside the folder it is relative to: only plain names (and `.`); no
/// root, no `..`, and no `:` or `\` (which on Windows name another drive or folder).
pub fn is_inside(path: &Path) -> bool {
    path.components().all(|c| match c {
        Component::Normal(part) => !part.to_string_lossy().contains([':', '\\']),
        Component::CurDir => true,
        _ => false,
    })
}

/// The `command` a preprocessor or output table names.
fn program(table: &toml::Value) -> Option<String> {
    table.get("command").map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_string))
}

/// Whether book.toml sets `table.key`.
fn names(top: &toml::de::DeTable<'_>, table: &str, key: &str) -> bool {
    match top.get(table).map(|t| t.get_ref()) {
        Some(toml::de::DeValue::Table(inner)) => inner.contains_key(key),
        _ => false,
    }
}

/// Where a key (a path of table names) is written in book.toml.
fn in_place(table: &toml::de::DeTable<'_>, keys: &[&str]) -> Option<Range<usize>> {
    let (first, rest) = keys.split_first()?;
    let (key, value) = table.get_key_value(*first)?;
    match (rest.is_empty(), value.get_ref()) {
        (true, _) => Some(key.span()),
        (false, toml::de::DeValue::Table(inner)) => in_place(inner, rest).or(Some(key.span())),
        (false, _) => Some(key.span()),
    }
}

fn root_cause(e: &mdbook_driver::errors::Error) -> String {
    e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_and_outside_paths_are_refused_at_their_line() {
        let cases = [
            ("[book]\ntitle = \"t\"\n\n[preprocessor.evil]\ncommand = \"touch pwned\"\n", 4, "touch pwned"),
            ("[output.html]\n[output.pdf]\ncommand = \"sh -c 'id'\"\n", 2, "sh -c 'id'"),
            ("[output.epub]\n", 1, "mdbook-epub"),
            ("preprocessor.x.command = \"y\"\n", 1, "`y`"),
            ("[book]\nsrc = \"../../elsewhere\"\n", 2, "../../elsewhere"),
            ("[build]\nbuild-dir = \"/tmp/out\"\n", 2, "/tmp/out"),
            ("[output.html]\nadditional-css = [\"ok.css\", \"../../../etc/passwd\"]\n", 2, "etc/passwd"),
            ("[output.html]\ntheme = \"/etc\"\n", 2, "/etc"),
            ("[output.html.redirect]\n\"../../victim.html\" = \"x.html\"\n", 2, "victim"),
            ("[output.html]\ninput-404 = \"../404.md\"\n", 2, "../404.md"),
            ("[build]\nbuild-dir = \".\"\n", 2, "own folder"),
        ];
        for (toml, line, shown) in cases {
            let e = read(Some(toml)).expect_err(toml).to_string();
            assert!(e.contains(&format!("book.toml:{line}:")), "{toml}: {e}");
            assert!(e.contains(shown), "{toml}: {e}");
        }
        // The project's own book, and mdBook's built-ins, are fine.
        let own = "[build]\nbuild-dir = \"build\"\n[preprocessor.backprop]\ncommand = \"x\"\n[preprocessor.links]\n[output.html]\nadditional-css = [\"theme/a.css\"]\n";
        assert!(read(Some(own)).is_ok());
        assert!(read(None).is_ok());
    }
}
