//! A static file server for the built book, on 127.0.0.1 only: browsers run the book's live
//! parts (an ES module that fetches the engine's WebAssembly) only from http(s), not from a
//! file:// page. GET and HEAD of files below the folder; nothing else. Responses carry
//! validators, hashed names are kept for good, and text and the engine go gzip-compressed where
//! the browser accepts it (`http_cache`). It stays up under a flood (a bounded number of
//! connections, each with a deadline for its request), answers only requests addressed to
//! itself (the Host header, against DNS rebinding), and serves a file only if what it opened
//! is a regular file inside the folder.

use crate::files::open_inside;
use backprop_engine::error::{Error, Result, english};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Connections answered at once; more are told to come back (503), never given a thread.
const MAX_CONNECTIONS: usize = 64;
/// How long a client has to send its request's head, in all (not per read: a byte every few
/// seconds does not keep a connection forever).
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// How long a client has to take a response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `dir` until the process is stopped; prints the address first.
pub fn serve(dir: &Path, port: u16) -> Result<()> {
    let dir = dir.canonicalize().map_err(|e| {
        Error::new(english(format!(
            "cannot serve `{}`: {e} (build the book first: backprop book build)",
            dir.display()
        )))
    })?;
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| Error::new(english(format!("cannot listen on 127.0.0.1:{port}: {e}"))))?;
    let address = listener.local_addr().map_err(|e| Error::new(english(e.to_string())))?;
    println!("serving {} on http://{address}/ (Ctrl-C stops)", dir.display());
    let _ = std::io::stdout().flush();
    let site = Arc::new(Site { dir, port: address.port() });
    let open = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset before it was taken: wait a
            // moment rather than spin.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            busy(stream);
            continue;
        }
        let (site, held) = (Arc::clone(&site), Arc::clone(&open));
        let worker = std::thread::Builder::new().stack_size(256 << 10).spawn(move || {
            answer(stream, &site);
            held.fetch_sub(1, Ordering::SeqCst);
        });
        if worker.is_err() {
            // No thread to be had: this connection is dropped (closed), the server goes on.
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// What is served, and the port requests must be addressed to.
struct Site {
    dir: PathBuf,
    port: u16,
}

/// Too many connections at once: come back in a second.
fn busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let _ = stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
}

fn answer(mut stream: TcpStream, site: &Site) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let Some(head) = read_head(&stream) else { return };
    let mut lines = head.lines();
    let request = lines.next().unwrap_or("");
    // The rest of the head: the Host, the validator and the encodings the browser accepts.
    let mut conditions = crate::http_cache::Conditions::default();
    let mut host = None;
    for line in lines.map(str::trim_end) {
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("host")
        {
            host = Some(value.trim().to_ascii_lowercase());
        }
        conditions.read(line);
    }
    let mut words = request.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let plain = |status: u16, text: &[u8]| crate::http_cache::Answer {
        status,
        headers: vec![("Cache-Control", "no-cache".to_string())],
        body: std::sync::Arc::new(text.to_vec()),
    };
    let text = "text/plain; charset=utf-8";
    let (kind, response) = if !addressed_to_us(host.as_deref(), site.port) {
        let message = format!(
            "this server answers only http://127.0.0.1:{port}/ and http://localhost:{port}/\n",
            port = site.port
        );
        (text, plain(421, message.as_bytes()))
    } else {
        match (method, file_for(&site.dir, target)) {
            ("GET" | "HEAD", Some(path)) => match read_file(&site.dir, &path) {
                Some(body) => (
                    content_type(&path),
                    crate::http_cache::answer(
                        target.split('?').next().unwrap_or(""),
                        content_type(&path),
                        body,
                        &conditions,
                    ),
                ),
                None => (text, plain(404, b"not found\n")),
            },
            ("GET" | "HEAD", None) => (text, plain(404, b"not found\n")),
            _ => (text, plain(405, b"only GET and HEAD\n")),
        }
    };
    let reason = match response.status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        421 => "Misdirected Request",
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

/// The request's head, up to its blank line: at most 16 KiB, within `HEAD_DEADLINE` in all.
fn read_head(stream: &TcpStream) -> Option<String> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut reader = BufReader::new(stream).take(16 * 1024);
    let mut head = String::new();
    loop {
        let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
        stream.set_read_timeout(Some(left)).ok()?;
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return (!head.is_empty()).then_some(head);
        }
        head.push_str(&line);
        if line.trim_end().is_empty() {
            return Some(head);
        }
    }
}

/// Whether a request's Host is this server as the reader's browser names it: a page from
/// elsewhere that rebinds its own name to 127.0.0.1 still sends that name, and is refused.
fn addressed_to_us(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return false };
    let (name, given_port) = match host.rsplit_once(':') {
        Some((name, p)) => (name, p.parse::<u16>().ok()),
        None => (host, Some(80)),
    };
    matches!(name, "127.0.0.1" | "localhost") && given_port == Some(port)
}

/// A file's bytes, if it is a regular file inside `dir` as opened (a link flipped to lead
/// outside between a check and the read is caught: the check is on what was opened).
fn read_file(dir: &Path, path: &Path) -> Option<Vec<u8>> {
    let mut file = open_inside(dir, path).ok()?;
    let mut body = Vec::new();
    file.read_to_end(&mut body).ok()?;
    Some(body)
}

/// The file a request path names: percent-decoded, without its query, only plain components
/// (no `..`, and no `:` or `\\`, which on Windows would name another drive or folder), a folder
/// meaning its index.html. `None` when there is no such name; whether it is a regular file
/// inside `dir` is checked when it is opened (`read_file`).
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
    Some(file)
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
        let dir = dir.canonicalize().unwrap();
        std::fs::write(dir.join("index.html"), "i").unwrap();
        std::fs::write(dir.join("a b/x.wasm"), "w").unwrap();
        assert_eq!(file_for(&dir, "/"), Some(dir.join("index.html")));
        assert_eq!(file_for(&dir, "/a%20b/x.wasm?v=1"), Some(dir.join("a b/x.wasm")));
        assert_eq!(read_file(&dir, &dir.join("a b/x.wasm")), Some(b"w".to_vec()));
        assert_eq!(file_for(&dir, "/../etc/passwd"), None);
        assert_eq!(file_for(&dir, "/a%20b/..%2F..%2Fetc"), None);
        assert_eq!(read_file(&dir, &dir.join("missing.html")), None);
        assert_eq!(file_for(&dir, "/%zz"), None);
        assert_eq!(file_for(&dir, "/a/C:.."), None);
        assert_eq!(file_for(&dir, "/a%5C..%5Cindex.html"), None);
        #[cfg(unix)]
        {
            // A link that leads out of the folder is not followed.
            std::os::unix::fs::symlink("/etc/passwd", dir.join("link")).unwrap();
            assert_eq!(read_file(&dir, &dir.join("link")), None);
        }
        assert_eq!(content_type(Path::new("x.wasm")), "application/wasm");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_requests_addressed_to_this_server_are_answered() {
        for host in ["127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000"] {
            assert!(addressed_to_us(Some(&host.to_ascii_lowercase()), 8000), "{host}");
        }
        for host in
            ["evil.example:8000", "127.0.0.1:8001", "localhost", "127.0.0.1.evil.example:8000", "[::1]:8000", ""]
        {
            assert!(!addressed_to_us(Some(host), 8000), "{host}");
        }
        assert!(!addressed_to_us(None, 8000));
        assert!(addressed_to_us(Some("localhost"), 80));
    }
}
