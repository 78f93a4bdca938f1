//! The command line as its users expect it: completions and a manual page, training output
//! that reads well under a terminal, help where users stumble, several points at once, and
//! numbers that can be pasted.

use crate::common::{run, run_with};

fn stdout(args: &[&str]) -> String {
    let out = run(args, "");
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completions_load_in_bash_and_the_manual_page_renders() {
    let binary = env!("CARGO_BIN_EXE_backprop");
    let loaded = std::process::Command::new("bash")
        .args(["-c", &format!("source <('{binary}' completions bash) && complete -p backprop")])
        .output()
        .expect("bash runs");
    let said = String::from_utf8_lossy(&loaded.stdout);
    assert!(loaded.status.success() && said.contains("complete") && said.contains("backprop"), "{said}");
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let script = stdout(&["completions", shell]);
        assert!(script.contains("derive") && script.contains("steps"), "{shell}");
    }
    let page = stdout(&["man"]);
    assert!(page.starts_with(".ie") || page.contains(".TH backprop 1"), "{}", &page[..page.len().min(200)]);
    assert!(page.contains("derive"));
}

#[test]
fn the_progress_bar_draws_well_formed_frames_under_a_terminal() {
    // `script` gives the command a pseudo-terminal, as a user's shell would; the digits network
    // for 4 of its 40 epochs (a debug build trains slowly), from a temporary folder.
    let binary = env!("CARGO_BIN_EXE_backprop");
    let file = std::env::temp_dir().join(format!("backprop-progress-{}.net", std::process::id()));
    let digits = std::fs::read_to_string("examples/networks/digits.net").unwrap();
    std::fs::write(&file, digits.replace("epochs 40", "epochs 4")).unwrap();
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("'{binary}' net '{}' train", file.display()), "/dev/null"])
        .output()
        .expect("script (util-linux) runs");
    std::fs::remove_file(&file).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let frames: Vec<&str> = text
        .split(['\r', '\n'])
        .map(|f| f.trim_start_matches("\u{1b}[2K").trim_end())
        .filter(|f| f.starts_with("epoch ") && f.contains('['))
        .collect();
    assert!(!frames.is_empty(), "no progress frames: {text:?}");
    for frame in &frames {
        // epoch E/4 [====>      ] D/1437 samples: every field filled, one epoch's samples.
        let (head, rest) = frame.split_once(" [").expect("a bar");
        let epoch = head.strip_prefix("epoch ").unwrap();
        let (e, total) = epoch.split_once('/').expect("epoch E/N");
        assert!(e.parse::<u32>().unwrap() >= 1 && total == "4", "{frame}");
        let (bar, count) = rest.split_once("] ").expect("a closed bar");
        assert_eq!(bar.chars().count(), 30, "{frame}");
        let (done, per) = count.trim_end_matches(" samples").split_once('/').expect("D/N samples");
        assert!(done.parse::<u32>().unwrap() <= 1437 && per == "1437", "{frame}");
    }
    assert!(text.contains("held-out test accuracy"));
}

#[test]
fn training_tables_say_what_they_show() {
    let xor = std::fs::read_to_string("examples/networks/xor.net").unwrap().replace("epochs 300", "epochs 40");
    let file = std::env::temp_dir().join(format!("backprop-every-{}.net", std::process::id()));
    std::fs::write(&file, xor).unwrap();
    let table = stdout(&["net", file.to_str().unwrap(), "train", "--every", "10"]);
    std::fs::remove_file(&file).unwrap();
    let epochs: Vec<&str> =
        table.lines().filter_map(|l| l.split_whitespace().next()).filter(|w| w.parse::<u32>().is_ok()).collect();
    assert_eq!(epochs, ["1", "11", "21", "31", "40"], "{table}");
    assert!(table.contains("(every 10th epoch shown, the last too; --every N to choose)"), "{table}");
    assert!(table.contains("time (ms)"));
    // A divergence names the parameter that ran away.
    let diverged = stdout(&["net", "examples/networks/exploding.net", "train"]);
    assert!(
        diverged.contains("stopped at epoch") && diverged.contains("the largest parameter, W1[0][0]"),
        "{diverged}"
    );
    // Epochs are counted in whole numbers on the loss plot.
    let svg = stdout(&["plot", "training", "examples/networks/xor.net"]);
    assert!(!svg.contains(">2.5<") && !svg.contains(">50.0<"), "fractional epoch ticks");
}

#[test]
fn help_where_users_stumble() {
    let cases: [(&[&str], &str); 8] = [
        (&["derive", "x**2"], "`**` is written `^`"),
        (&["derive", "2x + 1"], "write 2*x"),
        (&["derive", "pow(x, 2)"], "write a^b"),
        (&["derive", "sum(x, y)"], "write a + b"),
        (&["diff", "x"], "backprop derive"),
        (&["completion", "bash"], "backprop completions"),
        (&["gradient", "x"], "backprop grad"),
        (&["derive", "sigmod(x)"], "did you mean `sigmoid`?"),
    ];
    for (args, hint) in cases {
        let out = run_with(args, &[]);
        assert_eq!(out.status, 2, "{args:?}");
        assert!(out.stderr.contains(hint), "{args:?}: {}", out.stderr);
    }
    let misspelt = run_with(&["net", "n.net"], &[("n.net", "network \"x\"\ninput 2\ndense 1 sigmoid\nlos bce\n")]);
    assert!(misspelt.stderr.contains("did you mean `loss`?"), "{}", misspelt.stderr);
    // e and pi are variables, and the tool says so.
    for (input, name) in [("e^x", "`e`"), ("2*pi*r", "`pi`")] {
        let out = run_with(&["derive", input], &[]);
        assert_eq!(out.status, 0);
        assert!(out.stderr.contains(&format!("note: {name} is read as a variable")), "{}", out.stderr);
    }
}

#[test]
fn several_points_at_once() {
    let out = run_with(&["derive", "sigmoid(w*x+b)", "--at", "w=2,x=0.5,b=-1", "--at", "w=1,x=1,b=0,z=3"], &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("at each point"), "{}", out.stdout);
    assert!(out.stdout.contains("0.125 ✓") && out.stdout.contains("0.1966119332 ✓"), "{}", out.stdout);
    assert!(out.stderr.contains("note: `z` is not in the expression"), "{}", out.stderr);
    let json = run_with(&["derive", "x*y", "--at", "x=1,y=2", "--at", "x=3,y=4", "--format", "json"], &[]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["points"].as_array().unwrap().len(), 2);
    assert_eq!(v["points"][1]["partials"][0]["value"], 4.0);
    let tables = run_with(&["grad", "x*y", "--at", "x=1,y=2", "--at", "x=3,y=4"], &[]);
    assert_eq!(tables.stdout.matches("gradient: ").count(), 2, "{}", tables.stdout);
}

#[test]
fn numbers_can_be_pasted_and_digits_are_consistent() {
    let out = run_with(&["derive", "x*1e-17", "--at", "x=1"], &[]);
    assert!(out.stdout.contains("1e-17") && !out.stdout.contains("e−"), "{}", out.stdout);
    let out = run_with(&["grad", "x*1e10", "--at", "x=1.00000000001", "--digits", "10"], &[]);
    assert!(!out.stdout.contains("1.000000000e10"), "{}", out.stdout);
    // The picture's legend names the output.
    let svg = run_with(&["graph", "g = x*y", "--at", "x=1,y=2"], &[]);
    assert!(svg.stdout.contains("∂g/∂node"));
}

#[test]
fn network_json_is_data() {
    let described = stdout(&["net", "examples/networks/two-layer.net", "describe", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&described).unwrap();
    assert_eq!(v["layers"][1]["units"], 2);
    assert_eq!(v["layers"][1]["parameters"], 6);
    assert_eq!(v["layers"][1]["shapes"]["W1"], serde_json::json!([2, 2]));
    let grad = stdout(&["net", "examples/networks/two-layer.net", "grad", "--table", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&grad).unwrap();
    // δ of each layer on the first batch, and the hand calculation as data (Mazur's numbers).
    assert!((v["layers"][1]["delta"][0][0].as_f64().unwrap() - 0.13849856).abs() < 1e-8);
    let h1 = &v["table"]["layers"][1]["units"][0];
    assert!((h1["dE_dout"].as_f64().unwrap() - 0.036350306).abs() < 1e-9, "{h1}");
    assert_eq!(v["table"]["layers"][0]["weights"][0]["weight"], "W2[0][0]");
}

#[test]
fn book_serve_says_why_it_cannot_serve() {
    // No built book in the folder.
    let empty = std::env::temp_dir().join(format!("backprop-serve-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let out = run(&["book", "serve", empty.to_str().unwrap(), "--port", "0"], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot serve") && stderr.contains("backprop book build"), "{stderr}");
    // A port already taken.
    std::fs::create_dir_all(empty.join("build")).unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = run(&["book", "serve", empty.to_str().unwrap(), "--port", &port], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("cannot listen on 127.0.0.1:{port}")));
    std::fs::remove_dir_all(&empty).unwrap();
}

#[test]
fn book_serve_serves_the_built_book_and_nothing_else() {
    use std::io::{BufRead, Read, Write};
    let dir = std::env::temp_dir().join(format!("backprop-serve-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("build/playground")).unwrap();
    std::fs::write(dir.join("build/index.html"), "<p>book</p>").unwrap();
    std::fs::write(dir.join("build/playground/backprop.wasm"), b"\0asm").unwrap();
    std::fs::write(dir.join("secret.txt"), "outside").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_backprop"))
        .args(["book", "serve", dir.to_str().unwrap(), "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let address = first.split("http://").nth(1).unwrap().trim().trim_end_matches(|c| c != '/').trim_end_matches('/');
    let address = address.split(' ').next().unwrap().to_string();
    let get = |path: &str| {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    };
    let index = get("/");
    let wasm = get("/playground/backprop.wasm");
    let outside = get("/../secret.txt");
    let encoded = get("/%2e%2e/secret.txt");
    let _ = child.kill();
    let _ = child.wait();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        index.starts_with("HTTP/1.1 200") && index.contains("text/html") && index.ends_with("<p>book</p>"),
        "{index}"
    );
    assert!(wasm.starts_with("HTTP/1.1 200") && wasm.contains("Content-Type: application/wasm"), "{wasm}");
    assert!(outside.starts_with("HTTP/1.1 404") && !outside.contains("outside"), "{outside}");
    assert!(encoded.starts_with("HTTP/1.1 404") && !encoded.contains("outside"), "{encoded}");
}
