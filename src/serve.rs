//! A static file server for the built book, on 127.0.0.1 only: browsers run the book's live
//! parts (an ES module that fetches the engine's WebAssembly) only from http(s), not from a
//! file:// page. GET and HEAD of files below the folder; nothing else. Responses carry
//! validators, hashed names are kept for good, and text and the engine go gzip-compressed where
//! the browser accepts it (`http_cache`).

use backprop_engine::error::{Error, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// Serves `dir` until the process is stopped; prints the address first.
pub fn serve(dir: &Path, port: u16) -> Result<()> {
    let dir = dir.canonicalize().map_err(|e| {
        Error::new(format!("cannot serve `{}`: {e} (build the book first: backprop book build)", dir.display()))
    })?;
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| Error::new(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let address = listener.local_addr().map_err(|e| Error::new(e.to_string()))?;
    println!("serving {} on http://{address}/ (Ctrl-C stops)", dir.display());
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        std::thread::spawn(move || answer(stream, &dir));
    }
    Ok(())
}

fn answer(mut stream: TcpStream, dir: &Path) {
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream).take(16 * 1024);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // The rest of the head, up to its blank line (bounded by `take` above): the validator and
    // the encodings the browser accepts are kept.
    let mut conditions = crate::http_cache::Conditions::default();
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line.trim_end() != "" {
        conditions.read(line.trim_end());
        line.clear();
    }
    let mut words = request.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let plain = |status: u16, text: &[u8]| crate::http_cache::Answer {
        status,
        headers: vec![("Cache-Control", "no-cache".to_string())],
        body: std::sync::Arc::new(text.to_vec()),
    };
    let (kind, response) = match (method, file_for(dir, target)) {
        ("GET" | "HEAD", Some(path)) => match std::fs::read(&path) {
            Ok(body) => (
                content_type(&path),
                crate::http_cache::answer(
                    target.split('?').next().unwrap_or(""),
                    content_type(&path),
                    body,
                    &conditions,
                ),
            ),
            Err(_) => ("text/plain; charset=utf-8", plain(404, b"not found\n")),
        },
        ("GET" | "HEAD", None) => ("text/plain; charset=utf-8", plain(404, b"not found\n")),
        _ => ("text/plain; charset=utf-8", plain(405, b"only GET and HEAD\n")),
    };
    let reason = match response.status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let (code, body) = (response.status, &response.body);
    let extra: String = response.headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
    let head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(body);
    }
}

/// The file a request path names: percent-decoded, without its query, only plain components
/// (no `..`, and no `:` or `\\`, which on Windows would name another drive or folder), a folder
/// meaning its index.html; and, after following links, still inside `dir`. `None` when there is
/// no such file.
fn file_for(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let decoded = percent_decode(path)?;
    let mut file = dir.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) if !part.to_string_lossy().contains([':', '\\']) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let real = file.canonicalize().ok()?;
    (real.is_file() && real.starts_with(dir)).then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "ico" => "image/x-icon",
        _ => "text/plain; charset=utf-8",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_below_the_folder_are_served() {
        let dir = std::env::temp_dir().join(format!("backprop-serve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a b")).unwrap();
        std::fs::write(dir.join("index.html"), "i").unwrap();
        std::fs::write(dir.join("a b/x.wasm"), "w").unwrap();
        assert_eq!(file_for(&dir, "/"), Some(dir.join("index.html")));
        assert_eq!(file_for(&dir, "/a%20b/x.wasm?v=1"), Some(dir.join("a b/x.wasm")));
        assert_eq!(file_for(&dir, "/../etc/passwd"), None);
        assert_eq!(file_for(&dir, "/a%20b/..%2F..%2Fetc"), None);
        assert_eq!(file_for(&dir, "/missing.html"), None);
        assert_eq!(file_for(&dir, "/%zz"), None);
        assert_eq!(file_for(&dir, "/a/C:.."), None);
        assert_eq!(file_for(&dir, "/a%5C..%5Cindex.html"), None);
        #[cfg(unix)]
        {
            // A link that leads out of the folder is not followed.
            std::os::unix::fs::symlink("/etc/passwd", dir.join("link")).unwrap();
            assert_eq!(file_for(&dir, "/link"), None);
        }
        assert_eq!(content_type(Path::new("x.wasm")), "application/wasm");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
