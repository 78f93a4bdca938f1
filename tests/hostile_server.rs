//! The third hostile-input review, the server: `book serve` stays up under a flood of idle
//! connections, serves only files inside the built book (checked on what it opened, so a link
//! flipped during a request never leads out), answers only requests addressed to 127.0.0.1 or
//! localhost at its port, and serves the folder book.toml's `build-dir` names. On 127.0.0.1,
//! with bounded counts and times.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `backprop book serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Serves the book in `dir` on a free port, read from the line it prints first.
    fn start(dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_backprop"))
            .args(["book", "serve", &dir.display().to_string(), "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut line = Vec::new();
        let mut byte = [0u8];
        while out.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let line = String::from_utf8(line).unwrap();
        let port = line.rsplit_once("127.0.0.1:").and_then(|(_, p)| p.split('/').next()?.parse().ok());
        Server { child, port: port.unwrap_or_else(|| panic!("no address in {line:?}")) }
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// One request with this Host header (none if `None`): the status and the body.
    fn get(&self, path: &str, host: Option<&str>) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        // A server that is full answers 503 and closes at once: the write may then fail.
        let _ = write!(stream, "GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string()))
    }

    fn own_host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

/// A built book's folder, by hand: `book.toml` naming `site/` as the build folder.
fn site(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("backprop-hostile-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("book/site")).unwrap();
    std::fs::write(root.join("book/book.toml"), "[build]\nbuild-dir = \"site\"\n").unwrap();
    std::fs::write(root.join("book/site/index.html"), "<p>the book</p>").unwrap();
    std::fs::write(root.join("book/site/inside.txt"), "inside").unwrap();
    std::fs::write(root.join("outside.txt"), "OUTSIDE").unwrap();
    root
}

#[test]
fn a_flood_of_idle_connections_slows_the_server_but_never_stops_it() {
    let root = site("flood");
    let mut server = Server::start(&root.join("book"));
    // Far more idle connections than it answers at once (each would once have been a thread).
    let idle: Vec<TcpStream> = (0..400).filter_map(|_| TcpStream::connect(("127.0.0.1", server.port)).ok()).collect();
    assert!(idle.len() > 100, "{} connections", idle.len());
    let started = Instant::now();
    let mut answered = false;
    while started.elapsed() < Duration::from_secs(30) && !answered {
        answered = server.get("/inside.txt", Some(&server.own_host())) == (200, "inside".into());
        if !answered {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    assert!(answered, "no answer within 30 s of the flood");
    assert!(server.running(), "the server is gone");
    drop(idle);
    assert!(server.running(), "the server is gone");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_link_flipped_during_requests_never_serves_a_file_outside() {
    let root = site("race");
    let server = Server::start(&root.join("book"));
    let dir = root.join("book/site");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flipper = {
        let (dir, outside, stop) = (dir.clone(), root.join("outside.txt"), stop.clone());
        std::thread::spawn(move || {
            let mut k = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let tmp = dir.join(format!(".flip{}", k % 2));
                let _ = std::fs::remove_file(&tmp);
                let target = if k.is_multiple_of(2) { outside.clone() } else { PathBuf::from("inside.txt") };
                std::os::unix::fs::symlink(target, &tmp).unwrap();
                std::fs::rename(&tmp, dir.join("race.txt")).unwrap();
                k += 1;
            }
        })
    };
    let (mut inside, mut outside) = (0, 0);
    for _ in 0..2000 {
        match server.get("/race.txt", Some(&server.own_host())) {
            (200, body) if body.contains("OUTSIDE") => outside += 1,
            (200, _) => inside += 1,
            _ => {}
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    flipper.join().unwrap();
    assert_eq!(outside, 0, "served the outside file {outside} times ({inside} times the inside one)");
    // Links are followed only inside: a link that stays inside is served.
    std::fs::remove_file(dir.join("race.txt")).unwrap();
    std::os::unix::fs::symlink("inside.txt", dir.join("race.txt")).unwrap();
    assert_eq!(server.get("/race.txt", Some(&server.own_host())), (200, "inside".into()));
    std::fs::remove_file(dir.join("race.txt")).unwrap();
    std::os::unix::fs::symlink(root.join("outside.txt"), dir.join("race.txt")).unwrap();
    assert_eq!(server.get("/race.txt", Some(&server.own_host())).0, 404);
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn only_requests_addressed_to_the_server_are_answered() {
    let root = site("host");
    let server = Server::start(&root.join("book"));
    let port = server.port;
    // The folder book.toml names (site/, not build/) is the one served.
    assert_eq!(server.get("/", Some(&format!("127.0.0.1:{port}"))), (200, "<p>the book</p>".into()));
    assert_eq!(server.get("/inside.txt", Some(&format!("localhost:{port}"))), (200, "inside".into()));
    // A page elsewhere whose name was rebound to 127.0.0.1 still sends its own name.
    for host in [
        Some(format!("attacker.example:{port}")),
        Some("localhost".into()),
        Some(format!("localhost:{}", port ^ 1)),
        None,
    ] {
        let (status, body) = server.get("/inside.txt", host.as_deref());
        assert_eq!(status, 421, "{host:?}: {body}");
        assert!(!body.contains("inside\n") && body.contains("answers only"), "{host:?}: {body}");
    }
    std::fs::remove_dir_all(&root).unwrap();
}
