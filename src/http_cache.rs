//! How `book serve` lets a browser keep what it fetched: every response carries a validator
//! (an ETag from the content's hash), so a page fetched again is answered `304 Not Modified`
//! without a body; a file whose name carries a hash of its content (mdBook's `book-609e4cb8.js`,
//! the engine's `backprop-0123456789abcdef.wasm`) may be kept for good; and text and the engine
//! are sent gzip-compressed to a browser that accepts it (the engine goes from 1.7 MB to about
//! 0.6 MB). Compressed bodies are kept in memory, keyed by the content's hash.

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// The request's headers this module reads.
#[derive(Default, Debug)]
pub struct Conditions {
    pub if_none_match: Option<String>,
    pub accepts_gzip: bool,
}

impl Conditions {
    /// Reads one header line of a request (others are ignored).
    pub fn read(&mut self, line: &str) {
        let Some((name, value)) = line.split_once(':') else { return };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "if-none-match" => self.if_none_match = Some(value.to_string()),
            "accept-encoding" => {
                self.accepts_gzip = value.split(',').any(|coding| {
                    let mut parts = coding.split(';');
                    let name = parts.next().unwrap_or("").trim();
                    let refused = parts
                        .any(|p| matches!(p.trim().replace(' ', "").as_str(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
                    (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
                })
            }
            _ => {}
        }
    }
}

/// What to send for a file: status, extra headers, and the body (empty for 304).
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Arc<Vec<u8>>,
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Whether a file name carries a hash of its content: a run of at least 8 hex digits after the
/// last `-` of its stem (`book-609e4cb8.js`, `backprop-0123456789abcdef.wasm`).
pub fn content_hashed(name: &str) -> bool {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.split('.').next().unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, h)| h.len() >= 8 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || ["application/wasm", "application/json", "image/svg+xml"].iter().any(|t| content_type.starts_with(t))
}

/// Gzip of `body`, computed once per content.
fn gzipped(hash: &str, body: &[u8]) -> Arc<Vec<u8>> {
    static KEPT: OnceLock<Mutex<HashMap<String, Arc<Vec<u8>>>>> = OnceLock::new();
    let kept = KEPT.get_or_init(Default::default);
    if let Some(found) = kept.lock().ok().and_then(|k| k.get(hash).cloned()) {
        return found;
    }
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 3), Compression::best());
    let _ = encoder.write_all(body);
    let compressed = Arc::new(encoder.finish().unwrap_or_default());
    if let Ok(mut k) = kept.lock() {
        // A book's files are few; a folder rebuilt many times over a long session is bounded too.
        if k.len() > 512 {
            k.clear();
        }
        k.insert(hash.to_string(), compressed.clone());
    }
    compressed
}

/// The answer for a file's content (`name` as requested, `content_type` as it will be sent).
pub fn answer(name: &str, content_type: &str, body: Vec<u8>, conditions: &Conditions) -> Answer {
    let hash = hex(&body);
    let gzip = conditions.accepts_gzip && compressible(content_type) && body.len() > 1024;
    let etag = if gzip { format!("\"{hash}-gz\"") } else { format!("\"{hash}\"") };
    let cache = if content_hashed(name) { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut headers = vec![("ETag", etag.clone()), ("Cache-Control", cache.to_string())];
    if compressible(content_type) {
        headers.push(("Vary", "Accept-Encoding".to_string()));
    }
    let matches = conditions
        .if_none_match
        .as_deref()
        .is_some_and(|tags| tags.trim() == "*" || tags.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
    if matches {
        return Answer { status: 304, headers, body: Arc::new(Vec::new()) };
    }
    let body = if gzip {
        headers.push(("Content-Encoding", "gzip".to_string()));
        gzipped(&hash, &body)
    } else {
        Arc::new(body)
    };
    Answer { status: 200, headers, body }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn conditions(lines: &[&str]) -> Conditions {
        let mut c = Conditions::default();
        for l in lines {
            c.read(l);
        }
        c
    }

    #[test]
    fn a_validator_is_answered_304_and_hashed_names_are_kept_for_good() {
        let first = answer(
            "/playground/backprop-0123456789abcdef.wasm",
            "application/wasm",
            vec![1; 4000],
            &Conditions::default(),
        );
        assert_eq!(first.status, 200);
        let etag = first.headers.iter().find(|(n, _)| *n == "ETag").unwrap().1.clone();
        assert!(first.headers.contains(&("Cache-Control", "public, max-age=31536000, immutable".into())));
        let again = answer(
            "/playground/backprop-0123456789abcdef.wasm",
            "application/wasm",
            vec![1; 4000],
            &conditions(&[&format!("If-None-Match: {etag}")]),
        );
        assert_eq!((again.status, again.body.len()), (304, 0));
        let page = answer("/intro.html", "text/html", b"<p>x</p>".to_vec(), &Conditions::default());
        assert!(page.headers.contains(&("Cache-Control", "no-cache".into())));
        let changed =
            answer("/intro.html", "text/html", b"<p>y</p>".to_vec(), &conditions(&[&format!("if-none-match: {etag}")]));
        assert_eq!(changed.status, 200);
        assert!(content_hashed("book-609e4cb8.js") && content_hashed("theme/live-7adb4ccb.js"));
        assert!(
            !content_hashed("intro.html")
                && !content_hashed("playground/backprop.js")
                && !content_hashed("two-layer.html")
        );
    }

    #[test]
    fn gzip_is_sent_where_it_is_accepted_and_decodes_to_the_file() {
        let body: Vec<u8> = (0..20_000u32).map(|i| (i % 7) as u8).collect();
        let plain = answer("/a.wasm", "application/wasm", body.clone(), &conditions(&["Accept-Encoding: gzip;q=0"]));
        assert!(!plain.headers.iter().any(|(n, _)| *n == "Content-Encoding"));
        let zipped =
            answer("/a.wasm", "application/wasm", body.clone(), &conditions(&["Accept-Encoding: gzip, deflate, br"]));
        assert!(zipped.headers.contains(&("Content-Encoding", "gzip".into())));
        assert!(zipped.body.len() < body.len() / 10);
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&zipped.body[..]).read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, body);
        // The two representations have different validators.
        let tag = |a: &Answer| a.headers.iter().find(|(n, _)| *n == "ETag").unwrap().1.clone();
        assert_ne!(tag(&plain), tag(&zipped));
    }
}
