//! The built pages, finished: the engine under content-hashed names, and what the HTML needs
//! for keyboards and screen readers.
//!
//! - `playground/backprop.wasm` becomes `backprop-HASH.wasm`, and the module and the worker that
//!   load it `backprop-HASH.js` and `worker-HASH.js`: a name changes with its content, so any
//!   static host (and `book serve`) can let browsers keep them for good. `playground/backprop.js`
//!   stays under its own name for other pages' scripts (it loads the hashed engine). Each page
//!   names its worker in `<meta name="backprop-worker">`, which `theme/live.js` reads; a page
//!   with live blocks asks for the engine in its `<head>` (`<link rel="preload">`), so that the
//!   download starts with the page's first bytes and the worker finds it in the cache.
//! - Every `<pre>` and table wrapper may scroll sideways on a phone: each gets `tabindex="0"`, so
//!   that it can be reached and scrolled from the keyboard.

use sha2::{Digest, Sha256};
use std::path::Path;

/// The first 16 hex digits of the SHA-256 of `bytes`.
fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// The engine's files under their hashed names, relative to the book.
pub struct Engine {
    pub worker: String,
    pub wasm: String,
}

/// Gives the engine's files hashed names.
fn hash_engine(dir: &Path) -> Result<Option<Engine>, String> {
    let playground = dir.join("playground");
    let (wasm, module, worker) =
        (playground.join("backprop.wasm"), playground.join("backprop.js"), playground.join("worker.js"));
    if !(wasm.is_file() && module.is_file() && worker.is_file()) {
        return Ok(None);
    }
    let engine = read(&wasm)?;
    let wasm_name = format!("backprop-{}.wasm", hash(&engine));
    write(&playground.join(&wasm_name), &engine)?;
    let text = String::from_utf8(read(&module)?).map_err(|_| "playground/backprop.js is not UTF-8".to_string())?;
    if !text.contains("'./backprop.wasm'") {
        return Err("playground/backprop.js does not load './backprop.wasm'".into());
    }
    let text = text.replace("'./backprop.wasm'", &format!("'./{wasm_name}'"));
    let module_name = format!("backprop-{}.js", hash(text.as_bytes()));
    write(&playground.join(&module_name), text.as_bytes())?;
    write(&module, text.as_bytes())?;
    let text = String::from_utf8(read(&worker)?).map_err(|_| "playground/worker.js is not UTF-8".to_string())?;
    if !text.contains("'./backprop.js'") {
        return Err("playground/worker.js does not import './backprop.js'".into());
    }
    let text = text.replace("'./backprop.js'", &format!("'./{module_name}'"));
    let worker_name = format!("worker-{}.js", hash(text.as_bytes()));
    write(&playground.join(&worker_name), text.as_bytes())?;
    for old in [&wasm, &worker] {
        std::fs::remove_file(old).map_err(|e| format!("cannot remove `{}`: {e}", old.display()))?;
    }
    Ok(Some(Engine { worker: format!("playground/{worker_name}"), wasm: format!("playground/{wasm_name}") }))
}

/// One page, finished (see the module's comment).
pub fn finish_page(html: &str, engine: Option<&Engine>) -> String {
    let mut page = html
        .replace("<pre>", "<pre tabindex=\"0\">")
        .replace("<div class=\"table-wrapper\">", "<div class=\"table-wrapper\" tabindex=\"0\">");
    if let Some(Engine { worker, wasm }) = engine {
        let live = page.contains("class=\"backprop-live\"") || page.contains("class=\"backprop-playground\"");
        let preload = if live {
            format!("<link rel=\"preload\" href=\"{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n")
        } else {
            String::new()
        };
        page = page.replacen(
            "</head>",
            &format!("<meta name=\"backprop-worker\" content=\"{worker}\">\n{preload}</head>"),
            1,
        );
    }
    page
}

/// The link to the same page in the other edition, at the right of the menu bar: English pages
/// lead to `zh-Hans/PAGE`, Chinese ones back to `../PAGE`.
pub fn language_switch(html: &str, page: &str, chinese: bool) -> String {
    let link = if chinese {
        format!(
            "<a class=\"backprop-language\" href=\"../{page}\" hreflang=\"en\" lang=\"en\" title=\"Read this page in English\">English</a>"
        )
    } else {
        format!(
            "<a class=\"backprop-language\" href=\"{}/{page}\" hreflang=\"zh-Hans\" lang=\"zh-Hans\" title=\"阅读本页的中文版\">中文</a>",
            super::CHINESE
        )
    };
    html.replacen("<div class=\"right-buttons\">", &format!("<div class=\"right-buttons\">\n{link}"), 1)
}

/// Moves the Chinese search (`theme/search-zh.js`) to right after elasticlunr, before mdBook's
/// searcher: a page opened with `?search=` loads the index at once, and the index must meet the
/// Chinese search when it loads, not after.
fn search_first(page: &str) -> String {
    let find = |start: &str| {
        let at = page.find(start)?;
        let end = page[at..].find("</script>")? + at + "</script>".len();
        Some(at..end)
    };
    let (Some(ours), Some(lunr)) = (find("<script src=\"theme/search-zh"), find("<script src=\"elasticlunr")) else {
        return page.to_string();
    };
    if ours.start < lunr.start {
        return page.to_string();
    }
    let tag = &page[ours.clone()];
    format!("{}{tag}{}{}", &page[..lunr.end], &page[lunr.end..ours.start], &page[ours.end..])
}

/// Finishes the book built into `dir`, and its Chinese edition in `dir/zh-Hans` when there is one.
pub fn finish(dir: &Path) -> Result<(), String> {
    let chinese = dir.join(super::CHINESE);
    let bilingual = chinese.is_dir();
    finish_edition(dir, bilingual.then_some(false))?;
    if bilingual {
        finish_edition(&chinese, Some(true))?;
    }
    Ok(())
}

/// `switch`: whether the edition is the Chinese one, when the book has two.
fn finish_edition(dir: &Path, switch: Option<bool>) -> Result<(), String> {
    let engine = hash_engine(dir)?;
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list `{}`: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(read(&path)?).map_err(|_| format!("`{}` is not UTF-8", path.display()))?;
            let mut page = finish_page(&html, engine.as_ref());
            if let Some(chinese) = switch {
                let name = entry.file_name().to_string_lossy().into_owned();
                page = language_switch(&page, &name, chinese);
            }
            if switch == Some(true) {
                page = search_first(&page);
            }
            write(&path, page.as_bytes())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_boxes_can_be_reached_from_the_keyboard_and_the_worker_is_named() {
        let engine = Engine { worker: "playground/worker-ab.js".into(), wasm: "playground/backprop-cd.wasm".into() };
        let page =
            finish_page("<head></head><pre><code>x</code></pre><div class=\"table-wrapper\"><table>", Some(&engine));
        assert_eq!(
            page,
            "<head><meta name=\"backprop-worker\" content=\"playground/worker-ab.js\">\n</head><pre tabindex=\"0\"><code>x</code></pre><div class=\"table-wrapper\" tabindex=\"0\"><table>"
        );
        let live = finish_page("<head></head><div class=\"backprop-live\">", Some(&engine));
        assert!(live.contains("<link rel=\"preload\" href=\"playground/backprop-cd.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>"), "{live}");
        assert_eq!(hash(b"abc"), "ba7816bf8f01cfea");
    }
}
