//! The third hostile-input review, books: a book from someone else is data. Its book.toml
//! names no program the build runs; every read and every write of a build stays inside the
//! book's folder, for every way in (SUMMARY.md, includes, links, theme and additional files,
//! the build folder), checked on the real path of what was opened; only regular files are
//! read (a FIFO would block the build forever). Real files, links, FIFOs and sockets, in
//! fresh folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const SECRET: &str = "TOPSECRET-a41d";

/// A fresh folder holding `book/` (a one-chapter book) and `secret.txt` beside it.
fn tiny_book(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("backprop-hostile-book-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("book/src")).unwrap();
    std::fs::write(root.join("secret.txt"), SECRET).unwrap();
    std::fs::write(root.join("book/book.toml"), "[book]\ntitle = \"t\"\n\n[build]\nbuild-dir = \"build\"\n").unwrap();
    std::fs::write(root.join("book/src/SUMMARY.md"), "# Summary\n\n- [One](one.md)\n").unwrap();
    std::fs::write(root.join("book/src/one.md"), "# One\n\nhello\n").unwrap();
    root
}

/// `backprop book build` on `root/book`, stopped (and failed) if it takes over a minute: a
/// build that waits on a FIFO must not hang the test run.
fn build(root: &Path) -> (Option<i32>, String) {
    let output = run_within(&["book", "build", &root.join("book").display().to_string()], 60);
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn run_within(args: &[&str], seconds: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_backprop"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(seconds) {
            let _ = child.kill();
            panic!("`backprop {}` did not finish in {seconds} s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Every file under `dir`, as text where it is text: nothing the build wrote may hold the secret.
fn shows_secret(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.flatten().any(|e| {
        let path = e.path();
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => shows_secret(&path),
            Ok(m) if m.is_file() => std::fs::read(&path).is_ok_and(|b| String::from_utf8_lossy(&b).contains(SECRET)),
            _ => false,
        }
    })
}

/// What is beside the book: only what was there before the build.
fn beside(root: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_book_names_no_program_for_the_build_to_run() {
    let root = tiny_book("programs");
    let pwned = root.join("pwned");
    let touch = format!("touch {}", pwned.display());
    let cases = [
        (format!("[preprocessor.evil]\ncommand = \"{touch}\"\n"), 1),
        (format!("[output.html]\n\n[output.evil]\ncommand = \"{touch}\"\n"), 3),
        ("[output.pdf]\n".to_string(), 1),
        (format!("preprocessor.evil.command = \"{touch}\"\n"), 1),
        (format!("[output]\nhtml = {{}}\nevil = {{ command = \"{touch}\" }}\n"), 3),
    ];
    for (table, line) in cases {
        // Dotted keys belong to the table above them: these come first.
        std::fs::write(
            root.join("book/book.toml"),
            format!("{table}\n[book]\ntitle = \"t\"\n\n[build]\nbuild-dir = \"build\"\n"),
        )
        .unwrap();
        let (status, stderr) = build(&root);
        assert_eq!(status, Some(2), "{table}: built");
        assert!(stderr.contains(&format!("book.toml:{line}:")), "{table}: {stderr}");
        assert!(stderr.contains("runs no program"), "{table}: {stderr}");
        assert!(!pwned.exists(), "{table}: the command ran");
    }
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn summary_paths_stay_inside_src() {
    let root = tiny_book("summary");
    std::fs::create_dir_all(root.join("victim")).unwrap();
    std::fs::write(root.join("victim/notes.md"), "the victim's notes").unwrap();
    for entry in ["../../victim/notes.md", "../../secret.txt", "/etc/passwd", "sub/../../../secret.txt"] {
        std::fs::write(root.join("book/src/SUMMARY.md"), format!("# Summary\n\n- [One](one.md)\n- [Two]({entry})\n"))
            .unwrap();
        let (status, stderr) = build(&root);
        assert_eq!(status, Some(2), "{entry}: built");
        assert!(stderr.contains("SUMMARY.md") && stderr.contains("outside"), "{entry}: {stderr}");
        assert!(!root.join("victim/notes.html").exists(), "{entry}: wrote beside the book");
        assert_eq!(beside(&root), ["book", "secret.txt", "victim"], "{entry}");
    }
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn includes_read_only_inside_the_book() {
    let root = tiny_book("includes");
    let secret = root.join("secret.txt").display().to_string();
    std::fs::create_dir_all(root.join("book/inc")).unwrap();
    std::fs::write(root.join("book/inc/part.md"), "a\nSHOWN-LINE\nANCHOR: piece\nSHOWN-ANCHOR\nANCHOR_END: piece\n")
        .unwrap();
    std::fs::write(root.join("book/inc/nested.md"), "{{#include ../../secret.txt}}\n").unwrap();
    for include in [
        format!("{{{{#include {secret}}}}}"),
        "{{#include ../../secret.txt}}".into(),
        "{{ #include  ../inc/../../secret.txt }}".into(),
        "{{#include ../inc/nested.md}}".into(),
        "{{#rustdoc_include ../../secret.txt}}".into(),
        "{{#playground ../../secret.txt}}".into(),
    ] {
        std::fs::write(root.join("book/src/one.md"), format!("# One\n\n{include}\n")).unwrap();
        let (status, stderr) = build(&root);
        assert_eq!(status, Some(2), "{include}: built");
        assert!(stderr.contains("src/one.md") && stderr.contains("cannot be included"), "{include}: {stderr}");
        assert!(!shows_secret(&root.join("book")), "{include}: the secret is in the book");
    }
    // A link to an include leading out of the book is refused when the book is read.
    std::os::unix::fs::symlink(&secret, root.join("book/inc/link.md")).unwrap();
    std::fs::write(root.join("book/src/one.md"), "# One\n\n{{#include ../inc/link.md}}\n").unwrap();
    let (status, stderr) = build(&root);
    assert_eq!(status, Some(2), "built");
    assert!(stderr.contains("inc/link.md") && stderr.contains("leads outside"), "{stderr}");
    std::fs::remove_file(root.join("book/inc/link.md")).unwrap();
    // Inside the book, includes work as mdBook's do: lines, anchors, escapes.
    std::fs::write(
        root.join("book/src/one.md"),
        "# One\n\n{{#include ../inc/part.md:2}}\n{{#include ../inc/part.md:piece}}\n\\{{#include ../../secret.txt}}\n",
    )
    .unwrap();
    let (status, stderr) = build(&root);
    assert_eq!(status, Some(0), "{stderr}");
    let page = std::fs::read_to_string(root.join("book/build/one.html")).unwrap();
    assert!(page.contains("SHOWN-LINE") && page.contains("SHOWN-ANCHOR"), "{page}");
    assert!(page.contains("{{#include ../../secret.txt}}") && !shows_secret(&root.join("book")));
    // Included before the blocks run: an included block is run like any other.
    std::fs::write(root.join("book/inc/block.md"), "```backprop\nderive \"x^2\"\n```\n").unwrap();
    std::fs::write(root.join("book/src/one.md"), "# One\n\n{{#include ../inc/block.md}}\n").unwrap();
    let (status, stderr) = build(&root);
    assert_eq!(status, Some(0), "{stderr}");
    let page = std::fs::read_to_string(root.join("book/build/one.html")).unwrap();
    assert!(page.contains("∂f/∂x = 2·x"), "{page}");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn links_leading_out_and_files_that_are_not_regular_are_refused() {
    let root = tiny_book("links");
    let secret = root.join("secret.txt");
    let outside_folder = root.join("outside");
    std::fs::create_dir_all(&outside_folder).unwrap();
    std::fs::write(outside_folder.join("page.txt"), SECRET).unwrap();
    type Setup = fn(&Path, &Path, &Path);
    let cases: [(&str, Setup, &str); 7] = [
        (
            "a link in src to a file outside",
            |b, s, _| std::os::unix::fs::symlink(s, b.join("src/leak.txt")).unwrap(),
            "src/leak.txt",
        ),
        (
            "a link in src to a folder outside",
            |b, _, o| std::os::unix::fs::symlink(o, b.join("src/more")).unwrap(),
            "src/more",
        ),
        (
            "a theme file linked outside",
            |b, s, _| {
                std::fs::create_dir_all(b.join("theme")).unwrap();
                std::os::unix::fs::symlink(s, b.join("theme/index.hbs")).unwrap();
            },
            "theme/index.hbs",
        ),
        (
            "an additional file linked outside",
            |b, s, _| {
                std::os::unix::fs::symlink(s, b.join("extra.css")).unwrap();
                let toml = std::fs::read_to_string(b.join("book.toml")).unwrap();
                std::fs::write(
                    b.join("book.toml"),
                    format!("{toml}\n[output.html]\nadditional-css = [\"extra.css\"]\n"),
                )
                .unwrap();
            },
            "extra.css",
        ),
        ("a FIFO in src", |b, _, _| mkfifo(&b.join("src/pipe")), "src/pipe"),
        (
            "a FIFO as a chapter",
            |b, _, _| {
                std::fs::remove_file(b.join("src/one.md")).unwrap();
                mkfifo(&b.join("src/one.md"));
            },
            "src/one.md",
        ),
        (
            "a socket in src",
            |b, _, _| {
                std::mem::forget(std::os::unix::net::UnixListener::bind(b.join("src/socket")).unwrap());
            },
            "src/socket",
        ),
    ];
    for (what, setup, named) in cases {
        let _ = std::fs::remove_dir_all(root.join("book"));
        let fresh = tiny_book("links-fresh");
        std::fs::rename(fresh.join("book"), root.join("book")).unwrap();
        std::fs::remove_dir_all(&fresh).unwrap();
        setup(&root.join("book"), &secret, &outside_folder);
        let (status, stderr) = build(&root);
        assert_eq!(status, Some(2), "{what}: built");
        assert!(stderr.contains(named), "{what}: {stderr}");
        assert!(!shows_secret(&root.join("book")), "{what}: the secret is in the book");
        assert_eq!(beside(&root), ["book", "outside", "secret.txt"], "{what}");
    }
    // A link that stays inside the book is a file of the book.
    let _ = std::fs::remove_dir_all(root.join("book"));
    let fresh = tiny_book("links-inside");
    std::fs::rename(fresh.join("book"), root.join("book")).unwrap();
    std::fs::remove_dir_all(&fresh).unwrap();
    std::fs::write(root.join("book/data.txt"), "linked data").unwrap();
    std::os::unix::fs::symlink("../data.txt", root.join("book/src/data.txt")).unwrap();
    let (status, stderr) = build(&root);
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(std::fs::read_to_string(root.join("book/build/data.txt")).unwrap(), "linked data");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn the_build_writes_only_inside_the_book() {
    let root = tiny_book("writes");
    let head = "[book]\ntitle = \"t\"\n\n";
    for (toml, line) in [
        ("[build]\nbuild-dir = \"../out\"\n", 5),
        ("[build]\nbuild-dir = \"/tmp/backprop-hostile-out\"\n", 5),
        ("[book]\nsrc = \"../\"\n", 3),
        ("[output.html]\nadditional-js = [\"../../x.js\"]\n", 5),
        ("[output.html]\ntheme = \"/etc\"\n", 5),
        ("[output.html.redirect]\n\"../../victim.html\" = \"one.html\"\n", 5),
    ] {
        let text = if toml.starts_with("[book]") {
            toml.replace("[book]\n", "[book]\ntitle = \"t\"\n")
        } else {
            format!("{head}{toml}")
        };
        std::fs::write(root.join("book/book.toml"), &text).unwrap();
        let (status, stderr) = build(&root);
        assert_eq!(status, Some(2), "{toml}: built");
        assert!(stderr.contains(&format!("book.toml:{line}:")) && stderr.contains("outside"), "{toml}: {stderr}");
        assert_eq!(beside(&root), ["book", "secret.txt"], "{toml}");
    }
    assert!(!Path::new("/tmp/backprop-hostile-out").exists());
    // A build folder reached through a link that leads outside is refused.
    std::fs::create_dir_all(root.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(root.join("elsewhere"), root.join("book/out")).unwrap();
    std::fs::write(root.join("book/book.toml"), format!("{head}[build]\nbuild-dir = \"out/site\"\n")).unwrap();
    let (status, stderr) = build(&root);
    assert_eq!(status, Some(2), "built through a link");
    assert!(stderr.contains("leads outside"), "{stderr}");
    assert!(std::fs::read_dir(root.join("elsewhere")).unwrap().next().is_none(), "wrote through the link");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_block_reads_only_regular_files() {
    // Blocks read below the folder that holds the book; a FIFO there is refused, not waited on.
    let root = tiny_book("block-fifo");
    mkfifo(&root.join("pipe.net"));
    std::fs::write(root.join("book/src/one.md"), "# One\n\n```backprop\nnet pipe.net describe\n```\n").unwrap();
    let (status, stderr) = build(&root);
    assert_eq!(status, Some(2), "built");
    assert!(stderr.contains("pipe.net") && stderr.contains("FIFO"), "{stderr}");
    std::fs::remove_dir_all(&root).unwrap();
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}
