//! The book builds from the repository's book/, every block expanded and verified; bad blocks
//! fail the build with chapter:line and leave no book behind.

use crate::common::run;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// A copy of `from` at `to`, without the folders named in `skip`.
fn copy(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if path.is_dir() {
            if !skip.iter().any(|s| name == *s) {
                copy(&path, &to.join(name), skip);
            }
        } else {
            std::fs::copy(&path, to.join(name)).unwrap();
        }
    }
}

#[test]
fn the_book_builds_completely_and_reproducibly() {
    // Built from a copy in a temporary folder (the book and the examples its blocks read), so
    // that the test writes nothing into the repository.
    let root = std::env::temp_dir().join(format!("backprop-book-{}", std::process::id()));
    copy(Path::new("book"), &root.join("book"), &["build", ".build.backprop-partial"]);
    copy(Path::new("examples"), &root.join("examples"), &[]);
    let book = root.join("book");
    let build = book.join("build");
    let out = run(&["book", "build", book.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let first = files(&build);

    let summary = std::fs::read_to_string("book/src/SUMMARY.md").unwrap();
    let chapters: Vec<&str> = summary.split("](").skip(1).map(|s| s.split(')').next().unwrap()).collect();
    assert!(chapters.len() >= 12, "{chapters:?}");
    for chapter in &chapters {
        let html = PathBuf::from(chapter.replace(".md", ".html"));
        let page =
            String::from_utf8(first.get(&html).unwrap_or_else(|| panic!("{chapter} was not built")).clone()).unwrap();
        assert!(!page.contains("language-backprop"), "{chapter} has an unexpanded block");
        // An error message starts a line of output (prose may say "squared error:").
        assert!(!page.contains("\nerror:") && !page.contains(">error:"), "{chapter} shows an error");
        assert!(!page.contains("$$"), "{chapter} has unrendered math");
        // An HTML entity escaped twice shows as text ("&nbsp;" on the page).
        assert!(!page.contains("&amp;nbsp;") && !page.contains("&amp;#"), "{chapter} shows an entity as text");
        // Every picture is well-formed SVG.
        for piece in page.split("<svg").skip(1) {
            let svg = format!("<svg{}", &piece[..piece.find("</svg>").expect("closed svg") + 6]);
            roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{chapter}: bad SVG: {e}"));
        }
        // Nothing is fetched from another host (links to sources are followed only by a reader).
        for attribute in ["src=\"http", "src='http", "url(http", "<link rel=\"stylesheet\" href=\"http"] {
            assert!(!page.contains(attribute), "{chapter} references an external host");
        }
    }
    let model = String::from_utf8(first[&PathBuf::from("model.html")].clone()).unwrap();
    assert!(model.matches("<math").count() > 10, "math is rendered to MathML");
    assert!(first.keys().any(|p| p.to_string_lossy().starts_with("searchindex")), "search is on");

    // Every command shown after `$ ` reads back as the same words when pasted into bash.
    let mut shown = Vec::new();
    for page in first.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html")).map(|(_, b)| b) {
        for line in String::from_utf8_lossy(page).lines() {
            if let Some(at) = line.find("$ backprop ") {
                let unescaped = line[at + 11..]
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&");
                shown.push(unescaped.split('<').next().unwrap().to_string());
            }
        }
    }
    assert!(shown.len() > 50, "{} shown commands", shown.len());
    let script: String = shown.iter().map(|l| format!("printf '%s\\037' {l}; printf '\\036'\n")).collect();
    let bash = std::process::Command::new("bash").arg("-c").arg(&script).output().unwrap();
    assert!(bash.status.success(), "{}", String::from_utf8_lossy(&bash.stderr));
    let read_back: Vec<String> = String::from_utf8(bash.stdout).unwrap().split('\x1e').map(String::from).collect();
    for (line, words) in shown.iter().zip(&read_back) {
        let ours = backprop_engine::commands::words::split_words(line).unwrap();
        let theirs: Vec<&str> = words.split('\x1f').filter(|w| !w.is_empty()).collect();
        assert_eq!(ours, theirs, "`$ backprop {line}` reads differently in bash");
    }

    // A second build gives the same bytes.
    let out = run(&["book", "build", book.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(first == files(&build), "two builds differ");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn bad_blocks_fail_with_chapter_and_line_and_leave_no_book() {
    let dir = std::env::temp_dir().join(format!("backprop-bad-book-{}", std::process::id()));
    let src = dir.join("book/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(dir.join("book/book.toml"), "[book]\ntitle = \"bad\"\nsrc = \"src\"\n").unwrap();
    std::fs::write(src.join("SUMMARY.md"), "# Summary\n\n- [One](one.md)\n").unwrap();
    let book = dir.join("book");
    for (content, message) in [
        ("# One\n\ntext\n\n```backprop\nfrobnicate x\n```\n", "src/one.md:5: `frobnicate x` is not a backprop command"),
        ("# One\n\n```backprop\nderive sigmod(x)\n```\n", "src/one.md:3: error: unknown function `sigmod`"),
        (
            "# One\n\n```backprop\ncheck -\nexercise \"wrong key\"\nf = x^2\nat x = 3\ncheck df/dx = 5\n```\n",
            "src/one.md:3: the answer key of this exercise is not right",
        ),
        ("# One\n\n$$ \\frac{1 $$\n", "src/one.md:3: in the math"),
        // A sentence may not say "diverges" beside a run that converges.
        (
            "# One\n\n```backprop\nplot descent \"x^2 + 10*y^2\" --start x=-2,y=1 --lr 0.05\nexpect sgd diverges\n```\n",
            "src/one.md:3: the claim `expect sgd diverges` does not hold: sgd α = 0.05 ends at",
        ),
        (
            "# One\n\n```backprop\nderive \"sigmoid(w*x+b)\" --at w=2,x=0.5,b=-1\nexpect ∂f/∂w = 0.126\n```\n",
            "src/one.md:3: the claim `expect ∂f/∂w = 0.126` does not hold: ∂f/∂w = 0.125",
        ),
        // A caption may not say "log scale" under a figure drawn on a linear one.
        (
            "# One\n\n```backprop\nplot function \"x^2\"\ncaption f on a log scale\n```\n",
            "src/one.md:3: the caption of `plot function \"x^2\"` says \"log scale\" but its figure is not on one",
        ),
    ] {
        std::fs::write(src.join("one.md"), content).unwrap();
        let out = run(&["book", "build", book.to_str().unwrap()], "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(message), "expected {message:?} in\n{stderr}");
        assert!(
            !book.join("build").exists() && !book.join(".build.backprop-partial").exists(),
            "a partial book was left"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bare_numbers_and_terms_used_too_early_fail_the_build() {
    let dir = std::env::temp_dir().join(format!("backprop-path-book-{}", std::process::id()));
    let src = dir.join("book/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        dir.join("book/book.toml"),
        "[book]\ntitle = \"path\"\nsrc = \"src\"\n\n[build]\nbuild-dir = \"build\"\n",
    )
    .unwrap();
    std::fs::write(src.join("SUMMARY.md"), "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n").unwrap();
    let book = dir.join("book");
    let goals = "<div class=\"backprop-goals\">\n\n- goals\n\n</div>\n";
    let exercises = "\n## Exercises\n\n```backprop\ncheck -\nexercise \"e\"\nf = x^2\nat x = 3\ncheck df/dx = 6\n```\n";
    let two = format!("# Two\n\n{goals}\nThe **error term** δ, at last.\n{exercises}");
    for (one, message) in [
        // A number from nowhere, and a word of magnitude.
        (
            format!(
                "# One\n\n{goals}\n```backprop\nderive \"x^3\" --at x=2\n```\n\nIt is 12, not 13, a thousandfold.\n{exercises}"
            ),
            "src/one.md:13: \"13\" in: It is 12, not 13, a thousandfold.",
        ),
        (
            format!("# One\n\n{goals}\nHere δ comes first.\n{exercises}"),
            "src/one.md:9: `δ` (error term) is used before it is defined",
        ),
        (format!("# One\n\nNo goals.\n{exercises}"), "src/one.md: the chapter does not open with its goals"),
        (format!("# One\n\n{goals}\nNo exercises.\n"), "src/one.md: the chapter does not end with exercises"),
    ] {
        std::fs::write(src.join("one.md"), &one).unwrap();
        std::fs::write(src.join("two.md"), &two).unwrap();
        std::fs::write(book.join("terms.txt"), "error term | 误差项 | δ, \\delta\n").unwrap();
        let out = run(&["book", "build", book.to_str().unwrap()], "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(message), "expected {message:?} in\n{stderr}");
        if message.contains("\"13\"") {
            assert!(stderr.contains("\"thousandfold\""), "{stderr}");
        }
        assert!(!book.join("build").exists(), "a partial book was left");
    }
    // Interpolated and asserted numbers, and a term defined before it is used, build.
    let one = format!(
        "# One\n\n{goals}\n```backprop\nderive \"x^3\" --at x=2\nexpect ∂f/∂x = 12\n```\n\nThe slope is {{{{∂f/∂x}}}}, that is 12; the **error term** δ.\n{exercises}"
    );
    std::fs::write(src.join("one.md"), one).unwrap();
    let out = run(&["book", "build", book.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(book.join("build/one.html")).unwrap();
    assert!(page.contains("The slope is 12, that is 12"), "interpolated");
    assert!(page.contains("<dfn id=\"term-error-term\">"), "the definition is marked");
    std::fs::remove_dir_all(&dir).unwrap();
}
