//! The third hostile-input review, output and small defects: control characters in anything
//! a user wrote are shown escaped, never sent to the terminal; a failed write is an error; every
//! Greek letter is LaTeX; carets stand under their place after tabs; CSV spans hold with CRLF
//! and padding; the page answers as the terminal does.

use std::path::PathBuf;
use std::process::{Command, Stdio};

fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("backprop-hostile-output-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary's stdout and stderr for `args`, run in `dir`.
fn shown(dir: &PathBuf, args: &[&str]) -> (i32, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_backprop")).args(args).current_dir(dir).output().unwrap();
    let mut bytes = out.stdout;
    bytes.extend(out.stderr);
    (out.status.code().unwrap_or(-1), bytes)
}

/// A character that acts on a terminal: C0 but newline and tab, DEL, C1, bidi overrides.
fn acts_on_a_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn control_characters_in_user_text_are_shown_escaped() {
    let dir = folder("controls");
    // OSC 52 writes the reader's clipboard, CSI 2J clears the screen, CR overwrites a line.
    let title = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\r✓ all right\u{9b}31m\u{7f}\u{202e}";
    std::fs::write(dir.join("s.txt"), format!("exercise \"{title}\"\nf = x\nat x = 1\ncheck df/dx = 1\n")).unwrap();
    std::fs::write(
        dir.join("n.net"),
        format!("network \"{title}\"\ninput 1\ndense 1 sigmoid\nloss bce\ndata x = [1]  target = [1]\n"),
    )
    .unwrap();
    let bad_name = format!("{title}.net");
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", "s.txt"],
        vec!["check", "s.txt", "--hints"],
        vec!["net", "n.net", "describe"],
        vec!["net", "n.net", "train"],
        vec!["net", &bad_name, "describe"],
        vec!["derive", title],
        vec!["derive", "x + 1", "--at", title],
        vec![title],
    ];
    for args in &cases {
        let (_, bytes) = shown(&dir, args);
        let text = String::from_utf8_lossy(&bytes);
        let raw: Vec<char> = text.chars().filter(|c| acts_on_a_terminal(*c)).collect();
        assert!(raw.is_empty(), "{:?}: {raw:?} reached the terminal:\n{text}", args[0]);
        // Shown as an escape (clap drops whole escape sequences from what it repeats itself).
        assert!(text.contains("\\u00"), "{:?}: the escape is not shown:\n{text}", args[0]);
    }
    // In JSON the escapes are JSON's: the title reads back whole.
    let out = Command::new(env!("CARGO_BIN_EXE_backprop"))
        .args(["check", "s.txt", "--format", "json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.chars().any(acts_on_a_terminal), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["sheets"][0]["exercises"][0]["title"], title);
    // The page shows the same bytes as the terminal.
    let request = serde_json::json!({"command": "check s.txt", "files": {"s.txt": std::fs::read_to_string(dir.join("s.txt")).unwrap()}});
    let page: serde_json::Value = serde_json::from_str(&backprop_web::respond(&request.to_string())).unwrap();
    let terminal =
        Command::new(env!("CARGO_BIN_EXE_backprop")).args(["check", "s.txt"]).current_dir(&dir).output().unwrap();
    assert_eq!(page["stdout"].as_str().unwrap().as_bytes(), terminal.stdout.as_slice());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pictures_of_hostile_names_are_well_formed_svg() {
    // A network's name goes into titles and legends: markup is escaped, control characters
    // (which XML forbids) are written as their escapes.
    let file = "network \"a & b <c> \x1b[2J\x07\"\ninput 1\ndense 1 linear\nloss mse\ndata x = [1]  target = [1]\ndata x = [2]  target = [2]\ntrain sgd lr 0.1 epochs 3\n";
    let files = [("n.net", file), ("m.net", file)];
    for args in [
        // Two networks, so that the legend names them.
        &["plot", "training", "n.net", "m.net"][..],
        &["plot", "fit", "n.net"],
        &["net", "n.net", "train", "--plot", "curve.svg"],
    ] {
        let out = crate::common::run_with(args, &files);
        assert_eq!(out.status, 0, "{args:?}: {}", out.stderr);
        let svg = out.files.first().map_or(out.stdout.as_str(), |(_, text)| text.as_str());
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert!(svg.contains("\\u001b"), "{args:?}");
    }
}

#[test]
fn a_write_that_fails_is_reported_with_a_non_zero_status() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    for args in [&["derive", "x", "--format", "json"][..], &["derive", "sigmoid(w*x+b)"], &["man"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_backprop"))
            .args(args)
            .stdout(Stdio::from(full.try_clone().unwrap()))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write to standard output"), "{args:?}");
    }
    // A reader that stops reading is not an error.
    let mut child = Command::new(env!("CARGO_BIN_EXE_backprop"))
        .args(["man"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn every_greek_letter_is_a_latex_command() {
    let letters = ('\u{0391}'..='\u{03A9}').chain('\u{03B1}'..='\u{03C9}').filter(|c| *c != '\u{03A2}');
    for letter in letters {
        // σ alone is the sigmoid function's name.
        let alone = (letter != 'σ').then(|| format!("{letter}*x + y"));
        for expression in alone.into_iter().chain([format!("{letter}x*y"), format!("{letter}1*y")]) {
            let out = crate::common::run_with(&["derive", &expression, "--format", "latex"], &[]);
            assert_eq!(out.status, 0, "{expression}: {}", out.stderr);
            assert!(out.stdout.is_ascii(), "{expression}: {}", out.stdout);
            backprop_engine::print::mathml::display(&out.stdout).unwrap_or_else(|e| panic!("{expression}: {e}"));
        }
    }
    let out = crate::common::run_with(&["derive", "Δ*x + Ω*θ + ς + Α", "--format", "latex"], &[]);
    for command in ["\\Delta", "\\Omega", "\\theta", "\\varsigma", "\\mathrm{A}"] {
        assert!(out.stdout.contains(command), "{command}: {}", out.stdout);
    }
}

#[test]
fn carets_stand_under_their_place_after_tabs() {
    let file = "network \"t\"\ninput 2\n\tdense 1 sigmoid\tW = [[1,\t\tq]]  b = [0]\nloss bce\n";
    let out = crate::common::run_with(&["net", "t.net", "describe"], &[("t.net", file)]);
    assert_eq!(out.status, 2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    let source = lines.iter().position(|l| l.starts_with("3 |")).expect("the source line");
    let (shown, caret) = (lines[source], lines[source + 1]);
    assert!(!shown.contains('\t'), "{}", out.stderr);
    assert_eq!(shown.find('q'), caret.find('^'), "{}", out.stderr);
}

#[test]
fn csv_spans_hold_with_crlf_line_ends_and_padded_cells() {
    let net = "network \"c\"\ninput 2\ndense 1 sigmoid\nloss bce\ndata file \"d.csv\"\n";
    for (csv, line, column, cell) in [
        ("a,b,label\r\n1,2,0\r\n3,4,1\r\n5,  six ,1\r\n", 4, 5, "six"),
        ("1,2,0\r\n  3 , 4,  7\r\n", 2, 11, "7"),
        ("1 , 2 , 0\n 1 ,\t2x , 1\n", 2, 6, "2x"),
    ] {
        let out = crate::common::run_with(&["net", "t.net", "describe"], &[("t.net", net), ("d.csv", csv)]);
        let out = if out.status == 0 {
            crate::common::run_with(&["net", "t.net", "grad"], &[("t.net", net), ("d.csv", csv)])
        } else {
            out
        };
        assert_eq!(out.status, 2, "{csv:?}");
        assert!(out.stderr.contains(&format!("d.csv:{line}:{column}")), "{csv:?}: {}", out.stderr);
        let lines: Vec<&str> = out.stderr.lines().collect();
        let source = lines.iter().position(|l| l.starts_with(&format!("{line} |"))).expect("the source line");
        let at = lines[source + 1].find('^').unwrap();
        assert_eq!(&lines[source][at..at + cell.len()], cell, "{csv:?}: {}", out.stderr);
    }
}
