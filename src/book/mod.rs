//! The book: `backprop book build [DIR]` runs mdBook in-process with our preprocessor, which
//! replaces every ```backprop block with the output of the same command as the CLI (text,
//! tables, math, pictures) and renders LaTeX to MathML at build time, so the built book needs
//! no network and can never disagree with the tool.

mod blocks;
mod chapter;
mod claims;
mod config;
mod i18n;
mod includes;
mod listing;
mod math;
mod pages;
mod prose;
mod source;
mod terms;
mod values;

use backprop_engine::error::{Error, Result, english};
use backprop_engine::lang::Lang;
use mdbook_driver::MDBook;
use mdbook_driver::config::Config;
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use mdbook_summary::Summary;
use std::path::{Path, PathBuf};

/// Expands one chapter's ```backprop blocks and math (what the preprocessor does to each
/// chapter, without the book's terms); bare numbers in its prose are an error.
pub fn expand_chapter(content: &str, chapter: &str, root: &Path) -> std::result::Result<String, String> {
    let context = chapter::Context { root, terms: &[], definitions: &[], glossary: "", lang: Lang::En };
    let expanded = chapter::expand(content, chapter, &context)?;
    match expanded.bare.as_slice() {
        [] => Ok(expanded.markdown),
        // Each line names the chapter and line of a bare number.
        bare => Err(format!("{}\n({} bare numbers in prose: {ADVICE})", bare.join("\n"), bare.len())),
    }
}

/// What a bare number needs.
const ADVICE: &str = "interpolate a computed value, `{{E}}`; assert it with an `expect` line of a block in the \
                      section; or cite it, `{{cite KEY: 0.5}}`";

fn bare_numbers_message(bare: &[String]) -> String {
    format!("{} bare numbers in prose ({ADVICE}):\n{}", bare.len(), bare.join("\n"))
}

/// The chapters of a book in reading order: (`src/…md`, content).
fn chapters(book: &Book) -> Vec<(String, String)> {
    book.iter()
        .filter_map(|item| match item {
            BookItem::Chapter(c) => Some((chapter_name(c), c.content.clone())),
            _ => None,
        })
        .collect()
}

fn chapter_name(chapter: &mdbook_preprocessor::book::Chapter) -> String {
    chapter.source_path.as_ref().map_or_else(|| chapter.name.clone(), |p| format!("src/{}", p.display()))
}

/// The preprocessor, named as in book.toml (`[preprocessor.backprop]`).
pub struct BackpropPreprocessor {
    /// Where paths in blocks (networks, sheets) are resolved: the book's parent folder.
    pub root: PathBuf,
    /// The edition: English, or the Chinese one (its terms, its structure, its blocks in Chinese).
    pub chinese: bool,
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
        // The learner's path: the book's terms, each defined before it is used.
        let terms = match std::fs::read_to_string(ctx.root.join("terms.txt")) {
            Ok(text) => terms::read_terms(&text).map_err(anyhow_error)?,
            Err(_) => Vec::new(),
        };
        let terms = if self.chinese { terms::for_chinese(&terms) } else { terms };
        let all = chapters(&book);
        let (definitions, mut problems) = match terms::check(&terms, &all) {
            Ok(d) => (d, Vec::new()),
            Err(p) => (Vec::new(), p),
        };
        if !terms.is_empty() {
            // The path: every chapter opens with its goals and ends with exercises.
            problems.extend(all.iter().flat_map(|(name, content)| terms::structure(name, content, self.chinese)));
        }
        if !problems.is_empty() {
            return Err(anyhow_error(format!(
                "the learner's path is broken in {} places:\n{}",
                problems.len(),
                problems.join("\n")
            )));
        }
        let titles: Vec<(String, String)> = book
            .iter()
            .filter_map(|item| match item {
                BookItem::Chapter(c) => Some((chapter_name(c), c.name.clone())),
                _ => None,
            })
            .collect();
        let glossary = terms::glossary(&terms, &definitions, &titles, self.chinese);
        let lang = if self.chinese { Lang::Zh } else { Lang::En };
        let context =
            chapter::Context { root: &root, terms: &terms, definitions: &definitions, glossary: &glossary, lang };
        let mut failure: Option<String> = None;
        let mut bare = Vec::new();
        book.for_each_mut(|item| {
            if failure.is_some() {
                return;
            }
            if let BookItem::Chapter(chapter) = item {
                match chapter::expand(&chapter.content, &chapter_name(chapter), &context) {
                    Ok(expanded) => {
                        chapter.content = expanded.markdown;
                        bare.extend(expanded.bare);
                    }
                    Err(e) => failure = Some(e),
                }
            }
        });
        match failure {
            Some(message) => Err(anyhow_error(message)),
            None if !bare.is_empty() => Err(anyhow_error(bare_numbers_message(&bare))),
            None => Ok(book),
        }
    }
}

fn anyhow_error(message: String) -> mdbook_preprocessor::errors::Error {
    mdbook_preprocessor::errors::Error::msg(message)
}

/// The file that marks a folder as a book this tool built (and may therefore replace).
const MARKER: &str = ".backprop-book";

/// Builds the book in `dir` into its build folder (book.toml's `build-dir`, `build` by
/// default). A shared book is data: its book.toml may name no program (`config`), and every
/// file the build reads is first copied through one gate into a staging folder
/// (`source::stage`: regular files inside the book, checked on what was opened), from which
/// mdBook and the chapters are read; every write goes to a folder inside the book.
/// Only folders this tool made are ever deleted: a previous build (it holds `MARKER`) is
/// removed before the new one starts, so a build that fails, aborts or hangs leaves no stale
/// book that looks complete; a build folder holding anything else is refused. The HTML is
/// written to a hidden scratch folder beside it and moved into place at the end.
pub fn build(dir: &Path) -> Result<PathBuf> {
    let dir = dir
        .canonicalize()
        .map_err(|e| Error::new(english(format!("cannot open the book at `{}`: {e}", dir.display()))))?;
    let config = config::load(&dir)?;
    let target = config::output_folder(&dir, &config)?;
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "build".into());
    // The scratch and staging folders' names are their mark: nothing else writes them.
    let scratch = target.with_file_name(format!(".{name}.backprop-partial"));
    let staging = target.with_file_name(format!(".{name}.backprop-source"));
    claim(&target)?;
    let _ = std::fs::remove_dir_all(&scratch);
    let result = build_staged(&dir, config, &staging, &scratch, &[target.clone(), scratch.clone(), staging.clone()]);
    let _ = std::fs::remove_dir_all(&staging);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&scratch);
        return Err(Error::new(english(format!(
            "the book did not build: {}",
            e.replace(&staging.display().to_string(), &dir.display().to_string())
        ))));
    }
    if let Err(e) = pages::finish(&scratch) {
        let _ = std::fs::remove_dir_all(&scratch);
        return Err(Error::new(english(format!("the book did not build: {e}"))));
    }
    std::fs::write(scratch.join(MARKER), "built by `backprop book build`; the next build replaces this folder\n")
        .map_err(|e| Error::new(english(format!("cannot write into `{}`: {e}", scratch.display()))))?;
    std::fs::rename(&scratch, &target)
        .map_err(|e| Error::new(english(format!("cannot move the built book into `{}`: {e}", target.display()))))?;
    Ok(target)
}

/// Stages the book, loads its chapters from the copy and runs mdBook there.
fn build_staged(
    dir: &Path,
    mut config: Config,
    staging: &Path,
    scratch: &Path,
    skip: &[PathBuf],
) -> std::result::Result<(), String> {
    source::stage(dir, staging, skip)?;
    let zh_config = config.clone();
    let staging = staging.canonicalize().map_err(|e| format!("cannot open `{}`: {e}", staging.display()))?;
    let mut chapters = source::load(&staging, &config.book.src)?;
    let includes = config.build.use_default_preprocessors
        || config.get::<toml::Value>("preprocessor.links").ok().flatten().is_some();
    let links = includes::ConfinedLinks { root: staging.clone(), book: dir.to_path_buf() };
    let titles = if includes { links.expand_chapters(&config.book.src, &mut chapters)? } else { Default::default() };
    config.build.build_dir = scratch.to_path_buf();
    let mut book = MDBook::load_with_config_and_summary(&staging, config, Summary::default())
        .map_err(|e| format!("cannot load the book: {}", root_cause(&e)))?;
    book.book = chapters;
    book.with_preprocessor(includes::LinksDone { titles });
    let root = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    book.with_preprocessor(BackpropPreprocessor { root: root.clone(), chinese: false });
    book.build().map_err(|e| root_cause(&e))?;
    match editions(&zh_config)?.as_slice() {
        [] => Ok(()),
        _ => build_chinese(dir, zh_config, &staging, &scratch.join(CHINESE), root, includes),
    }
}

/// The folder of the Chinese edition inside the built book, and its language tag.
pub const CHINESE: &str = "zh-Hans";

/// The translations book.toml asks for (`translations = ["zh-Hans"]` in `[preprocessor.backprop]`).
fn editions(config: &Config) -> std::result::Result<Vec<String>, String> {
    let asked: Vec<String> = config
        .get::<Vec<String>>("preprocessor.backprop.translations")
        .map_err(|e| format!("book.toml: `preprocessor.backprop.translations` must be a list of languages: {e}"))?
        .unwrap_or_default();
    match asked.iter().find(|l| *l != CHINESE) {
        Some(other) => Err(format!(
            "book.toml: `preprocessor.backprop.translations` names `{other}`; the one translation there is is `{CHINESE}`"
        )),
        None => Ok(asked),
    }
}

/// The Chinese edition: the staged chapters translated from `po/zh-Hans.po` (every unit, or the
/// build fails naming each one missing or stale), then built like the English into `target`.
fn build_chinese(
    dir: &Path,
    mut config: Config,
    staging: &Path,
    target: &Path,
    root: PathBuf,
    includes: bool,
) -> std::result::Result<(), String> {
    let catalogue = i18n::Catalogue::load(staging)?;
    let mut chapters = source::load(staging, &config.book.src)?;
    let mut problems = Vec::new();
    chapters.for_each_mut(|item| {
        if let BookItem::Chapter(c) = item {
            let path = c.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
            c.content = i18n::translate(&c.content, &format!("src/{path}"), &catalogue, &mut problems);
            match i18n::title(&c.name, &path, &catalogue) {
                Some(title) => c.name = title,
                None => problems.push(format!("src/SUMMARY.md: the chapter `{}` has no Chinese title", c.name)),
            }
        }
    });
    let title = config.book.title.clone().unwrap_or_default();
    match catalogue.get(&title) {
        Ok(chinese) => config.book.title = Some(chinese.to_string()),
        Err(why) => problems.push(format!("book.toml: the title: {why}")),
    }
    if !problems.is_empty() {
        let shown = problems.iter().take(20).cloned().collect::<Vec<_>>().join("\n");
        let more = if problems.len() > 20 { format!("\n… and {} more", problems.len() - 20) } else { String::new() };
        return Err(format!(
            "the Chinese edition is not complete: {} paragraphs need a translation in {} (`backprop book po` adds the new ones):\n{shown}{more}",
            problems.len(),
            i18n::CATALOGUE
        ));
    }
    let links = includes::ConfinedLinks { root: staging.to_path_buf(), book: dir.to_path_buf() };
    let titles = if includes { links.expand_chapters(&config.book.src, &mut chapters)? } else { Default::default() };
    config.book.language = Some(CHINESE.into());
    // Chinese words found in the search box (mdBook's own index drops CJK characters).
    let mut html = config.html_config().unwrap_or_default();
    html.additional_js.push("theme/search-zh.js".into());
    config.set("output.html", html).map_err(|e| format!("cannot configure the Chinese edition: {e}"))?;
    config.build.build_dir = target.to_path_buf();
    let mut book = MDBook::load_with_config_and_summary(staging, config, Summary::default())
        .map_err(|e| format!("cannot load the Chinese edition: {}", root_cause(&e)))?;
    book.book = chapters;
    book.with_preprocessor(includes::LinksDone { titles });
    book.with_preprocessor(BackpropPreprocessor { root, chinese: true });
    book.build().map_err(|e| format!("the Chinese edition: {}", root_cause(&e)))
}

/// Everything a build does before mdBook renders: book.toml checked, the book staged through
/// the gate, its chapters loaded and their includes expanded. Returns each chapter's path and
/// markdown. The `book` fuzz target and the replay of its corpus run it on hostile books.
pub fn prepare(dir: &Path) -> Result<Vec<(String, String)>> {
    let dir = dir
        .canonicalize()
        .map_err(|e| Error::new(english(format!("cannot open the book at `{}`: {e}", dir.display()))))?;
    let config = config::load(&dir)?;
    let target = config::output_folder(&dir, &config)?;
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "build".into());
    let staging = target.with_file_name(format!(".{name}.backprop-source"));
    let skip = [target.clone(), target.with_file_name(format!(".{name}.backprop-partial")), staging.clone()];
    let result = (|| {
        source::stage(&dir, &staging, &skip)?;
        let root = staging.canonicalize().map_err(|e| format!("cannot open `{}`: {e}", staging.display()))?;
        let mut book = source::load(&root, &config.book.src)?;
        let links = includes::ConfinedLinks { root, book: dir.clone() };
        links.expand_chapters(&config.book.src, &mut book)?;
        Ok(book
            .iter()
            .filter_map(|item| match item {
                BookItem::Chapter(c) => Some((c.path.as_ref()?.display().to_string(), c.content.clone())),
                _ => None,
            })
            .collect())
    })();
    let _ = std::fs::remove_dir_all(&staging);
    result.map_err(|e: String| Error::new(english(e)))
}

pub use i18n::CATALOGUE;

/// `backprop book po DIR`: the catalogue of the Chinese edition brought up to date with the
/// English chapters (read through the same gate as a build). Returns the entries left to
/// translate and the stale ones.
pub fn update_catalogue(dir: &Path) -> Result<(usize, usize)> {
    let chapters = prepare_raw(dir)?;
    let canonical = dir
        .canonicalize()
        .map_err(|e| Error::new(english(format!("cannot open the book at `{}`: {e}", dir.display()))))?;
    let config = config::load(&canonical)?;
    let mut sources = vec![("book.toml".to_string(), config.book.title.clone().unwrap_or_default())];
    sources.extend(chapters);
    let po = canonical.join(CATALOGUE);
    if let Some(folder) = po.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|e| Error::new(english(format!("cannot make `{}`: {e}", folder.display()))))?;
    }
    i18n::update(&po, &sources, &po).map_err(|e| Error::new(english(e)))
}

/// SUMMARY.md and the chapters as written (before includes), in reading order: (`src/…`, text).
fn prepare_raw(dir: &Path) -> Result<Vec<(String, String)>> {
    let dir = dir
        .canonicalize()
        .map_err(|e| Error::new(english(format!("cannot open the book at `{}`: {e}", dir.display()))))?;
    let config = config::load(&dir)?;
    let src = dir.join(&config.book.src);
    let read = |path: &Path| -> Result<String> {
        let bytes = crate::files::read_inside(&dir, path)
            .map_err(|e| Error::new(english(format!("cannot read `{}`: {e:?}", path.display()))))?;
        String::from_utf8(bytes).map_err(|_| Error::new(english(format!("`{}` is not UTF-8", path.display()))))
    };
    let summary = read(&src.join("SUMMARY.md"))?;
    let mut out = vec![("src/SUMMARY.md".to_string(), summary)];
    for (path, _) in prepare(&dir)? {
        out.push((format!("src/{path}"), read(&src.join(&path))?));
    }
    Ok(out)
}

/// Where `backprop book build DIR` writes the book: book.toml's `build-dir` (checked as the
/// build checks it), so that `book serve` serves what the build wrote.
pub fn build_folder(dir: &Path) -> Result<PathBuf> {
    let dir = dir
        .canonicalize()
        .map_err(|e| Error::new(english(format!("cannot open the book at `{}`: {e}", dir.display()))))?;
    Ok(dir.join(&config::load(&dir)?.build.build_dir))
}

/// Makes way for a new build at `target`: removes a previous build of ours (or an empty
/// folder); refuses a folder with anything else in it.
fn claim(target: &Path) -> Result<()> {
    if !target.exists() {
        return Ok(());
    }
    let ours = target.join(MARKER).is_file();
    let empty = std::fs::read_dir(target).map(|mut d| d.next().is_none()).unwrap_or(false);
    if !(ours || empty) {
        return Err(Error::new(english(format!(
            "`{}` holds files that `backprop book build` did not write; it replaces only its own builds. \
             Move those files, or set another `build-dir` in book.toml",
            target.display()
        ))));
    }
    std::fs::remove_dir_all(target)
        .map_err(|e| Error::new(english(format!("cannot remove the old book `{}`: {e}", target.display()))))
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
        .map_err(|e| Error::new(english(format!("cannot read the book from mdbook: {e}"))))?;
    let book = BackpropPreprocessor { root: PathBuf::new(), chinese: false }
        .run(&ctx, book)
        .map_err(|e| Error::new(english(root_cause(&e))))?;
    serde_json::to_writer(std::io::stdout(), &book)
        .map_err(|e| Error::new(english(format!("cannot write the book: {e}"))))
}
