//! The second hostile-input review, continued: wrong inputs that used to pass, numbers at the
//! edges of f64, formats that were not what they said, errors that lost their place, and a
//! book build that reached outside its folder.

use crate::common::{run, run_with};

fn net(body: &str) -> String {
    format!("network \"t\"\ninput 2\n{body}\n")
}

#[test]
fn wrong_networks_are_rejected_at_their_line() {
    let cases = [
        // Targets the loss cannot read.
        ("dense 2 softmax\nloss cross_entropy\ndata x = [1, 2]  target = [2, 0]", 5),
        ("dense 1 sigmoid\nloss bce\ndata x = [1, 2]  target = [3]", 5),
        // One bias per unit, not a broadcast.
        ("dense 2 sigmoid  W = [[1, 2], [3, 4]]  b = [5]\ndense 1 sigmoid\nloss bce", 3),
        // Statements given twice.
        ("dense 1 sigmoid\nloss bce\nloss mse", 5),
        (
            "dense 1 sigmoid\nloss bce\ndata x = [1, 2]  target = [1]\ntrain sgd lr 0.1 epochs 1\ntrain sgd lr 0.1 epochs 2",
            7,
        ),
        // Counts that are not whole, or zero.
        ("dense 1 sigmoid\nloss bce\ndata x = [1, 2]  target = [1]\ntrain sgd lr 0.1 epochs 1 batch 0", 6),
        ("dense 1 sigmoid\nloss bce\ndata x = [1, 2]  target = [1]\ntrain sgd lr 0.1 epochs 1.5", 6),
        // A data option the generator would ignore, or a count it cannot take.
        ("dense 1 sigmoid\nloss bce\ndata xor noise 0.3", 5),
        ("dense 1 sigmoid\nloss bce\ndata xor 4", 5),
        ("dense 1 sigmoid\nloss bce\ndata moons 100 classes 3", 5),
        ("dense 1 sigmoid\nloss bce\ndata logistic 20 noise 5", 5),
    ];
    for (body, line) in cases {
        let out = run_with(&["net", "t.net", "grad"], &[("t.net", &net(body))]);
        assert_eq!(out.status, 2, "{body}: accepted");
        assert!(out.stderr.contains(&format!("t.net:{line}:")), "{body}: {}", out.stderr);
    }
    // Values that overflow: an error at the layer, not `loss E = ∞ ✓`.
    let overflow = net(
        "dense 2 linear  W = [[1e200, 1e200], [1e200, 1e200]]  b = [0, 0]\ndense 1 linear  W = [[1e200, 1e200]]  b = [0]\nloss mse\ndata x = [1e100, 1e100]  target = [1]",
    );
    for action in ["grad", "step", "train"] {
        let out = run_with(&["net", "t.net", action], &[("t.net", &overflow)]);
        assert_eq!(out.status, 2, "{action}: {}", out.stdout);
        assert!(out.stderr.contains("t.net:4:") && out.stderr.contains("overflow"), "{action}: {}", out.stderr);
    }
}

#[test]
fn answers_of_infinity_are_not_right() {
    let sheet = "exercise \"x\"\nf = x*y\nat x = 2, y = 3\ncheck df/dx = 1e999\ncheck df/dy = -1e999\n";
    let out = run_with(&["check", "s.txt"], &[("s.txt", sheet)]);
    assert_ne!(out.status, 0, "{}", out.stdout);
    assert!(!out.stdout.contains("2 of 2 right"), "{}", out.stdout);
}

#[test]
fn sheet_keywords_are_whole_words_and_bad_lines_spoil_only_their_exercise() {
    let sheet = "exercise \"names\"\natom = 2*x\nchecksum = atom + 1\nattempt = checksum*x\nat x = 3\ncheck d attempt/dx = 42\n\
                 exercise \"broken\"\nf = x\nat x = 1\ncheck df/dx = = 2\n\
                 exercise \"fine\"\nf = x*x\nat x = 3\ncheck df/dx = 6\ncheck df/dx = 0*q + 6\n";
    let out = run_with(&["check", "s.txt", "--format", "json"], &[("s.txt", sheet)]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let exercises = v["sheets"][0]["exercises"].as_array().unwrap();
    assert_eq!(exercises.len(), 3);
    // atom, checksum, attempt are statements: d(attempt)/dx = d(x·(4x + 1))... = 8x + 1 + ... at 3.
    assert!(exercises[0]["error"].is_null(), "{}", exercises[0]);
    assert!(!exercises[1]["error"].is_null() || exercises[1]["checks"][0]["verdict"] != "right");
    assert_eq!(exercises[2]["checks"][0]["verdict"], "right");
    // An unknown name in an answer is not silently zero.
    assert_ne!(exercises[2]["checks"][1]["verdict"], "right", "{}", exercises[2]);
}

#[test]
fn numbers_at_the_edges_of_f64() {
    // Too small to be anything but 0, and too large: errors at the literal.
    for (input, message) in [("x*1e-400", "number too small"), ("x*1e309", "number too large")] {
        let out = run_with(&["derive", input], &[]);
        assert_eq!(out.status, 2);
        assert!(out.stderr.contains(message) && out.stderr.contains("expression:1:3"), "{}", out.stderr);
    }
    // A superscript exponent is read like any number, not clipped to i64::MAX.
    let out = run_with(&["derive", "x⁹²²³³⁷²⁰³⁶⁸⁵⁴⁷⁷⁵⁸⁰⁸"], &[]);
    assert!(!out.stdout.contains("9223372036854775807"), "{}", out.stdout);
    // No false overflow at the largest f64; the difference says why it has no value.
    let out = run_with(&["derive", "1.7976931348623157e308*x", "--at", "x=1"], &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("no finite difference: next to the point"), "{}", out.stdout);
    let out = run_with(&["grad", "x + y", "--at", "x=1,y=1e-307", "--digits", "3"], &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    // The user's point, not the difference's: sqrt at the smallest positive number.
    let out = run_with(&["derive", "sqrt(x)", "--at", "x=4.9e-324"], &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("= 2.249456897e161"), "{}", out.stdout);
    // sign(x) at 0: a difference of 165,140 is not agreement.
    let out = run_with(&["derive", "sign(x)", "--at", "x=0"], &[]);
    assert!(!out.stdout.contains('✓'), "{}", out.stdout);
}

#[test]
fn formats_are_what_they_say() {
    for args in [vec!["check", "s.txt", "--format", "latex"], vec!["net", "t.net", "step", "--format", "latex"]] {
        let out = run_with(&args, &[]);
        assert_eq!(out.status, 2, "{args:?} accepted");
    }
    let out = run_with(&["grad", "x*y", "--at", "x=2,y=3", "--format", "latex"], &[]);
    assert!(out.stdout.starts_with("\\begin{array}"), "{}", out.stdout);
    // LaTeX with no Unicode inside \text{…}: LaTeX and KaTeX (strict) reject it.
    let out =
        run_with(&["derive", "z = w*x + b; a = sigmoid(z); L = (a - y)^2/2", "--steps", "--format", "latex"], &[]);
    for piece in out.stdout.split("\\text{").skip(1) {
        let inside = piece.split('}').next().unwrap();
        assert!(inside.is_ascii(), "non-ASCII in \\text{{{inside}}}");
    }
    assert!(out.stdout.contains("u_{1}"), "{}", out.stdout);
}

#[test]
fn errors_keep_their_place() {
    // A node the simplifier made (1/y inside x/y), and a folded constant (2⁶⁵⁵³⁶).
    for (input, at) in [("x/y", "x=1,y=1e-320"), ("x^2^2^2^2^2", "x=1")] {
        let out = run_with(&["derive", input, "--at", at], &[]);
        assert_eq!(out.status, 2);
        assert!(out.stderr.contains("expression:1:") && out.stderr.contains('^'), "{}", out.stderr);
    }
    // Invalid UTF-8 at its line and column.
    let dir = std::env::temp_dir().join(format!("backprop-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.txt");
    std::fs::write(&file, b"x*y\n+ \xff z\n").unwrap();
    let out = run(&["derive", &format!("@{}", file.display())], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("bad.txt:2:3") && stderr.contains("not UTF-8"), "{stderr}");
    // An unreadable file (a folder) says why.
    let out = run(&["check", &dir.display().to_string()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    std::fs::remove_dir_all(&dir).unwrap();
    // The parameter limit points at the layer that crosses it.
    let big = net("dense 5000 relu\ndense 5000 relu\nloss mse");
    let out = run_with(&["net", "t.net"], &[("t.net", &big.replace("input 2", "input 4000"))]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("t.net:3:") || out.stderr.contains("t.net:4:"), "{}", out.stderr);
}

/// A copy of the repository's book in a fresh folder, with the examples its blocks read.
fn book_copy(name: &str) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("backprop-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let copy = |from: &str| {
        let status = std::process::Command::new("cp").args(["-r", from, &root.display().to_string()]).status().unwrap();
        assert!(status.success());
    };
    std::fs::create_dir_all(&root).unwrap();
    copy("book");
    copy("examples");
    let _ = std::fs::remove_dir_all(root.join("book/build"));
    root
}

#[test]
fn the_book_build_touches_only_its_own_folder() {
    let root = book_copy("book-own");
    let book = root.join("book");
    // A build folder with the user's files in it is refused, and the files stay.
    std::fs::create_dir_all(book.join("build")).unwrap();
    std::fs::write(book.join("build/notes.txt"), "mine").unwrap();
    let out = run(&["book", "build", &book.display().to_string()], "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(book.join("build/notes.txt")).unwrap(), "mine");
    // book.toml's build-dir is honoured.
    let toml = std::fs::read_to_string(book.join("book.toml"))
        .unwrap()
        .replace("build-dir = \"build\"", "build-dir = \"out\"");
    std::fs::write(book.join("book.toml"), toml).unwrap();
    let out = run(&["book", "build", &book.display().to_string()], "");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(book.join("out/index.html").is_file());
    // A failing block: the old book is gone (not left stale), and so is the scratch folder.
    let chapter = book.join("src/model.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, format!("{text}\n```backprop\nderive \"x +\"\n```\n")).unwrap();
    let out = run(&["book", "build", &book.display().to_string()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(!book.join("out").exists() && !book.join(".out.backprop-partial").exists());
    assert_eq!(std::fs::read_to_string(book.join("build/notes.txt")).unwrap(), "mine");
    // Blocks read nothing outside the folder that holds the book.
    std::fs::write(&chapter, format!("{text}\n```backprop\nnet ../../../../etc/hostname\n```\n")).unwrap();
    let out = run(&["book", "build", &book.display().to_string()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reads only files inside"));
    // Markup in an operator name fails the build instead of reaching the page.
    std::fs::write(&chapter, format!("{text}\n$\\operatorname{{</math><script>alert(16)</script>}}$\n")).unwrap();
    let out = run(&["book", "build", &book.display().to_string()], "");
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&root).unwrap();
}
