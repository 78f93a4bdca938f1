//! Exercise sheets: right answers in many forms are accepted, each catalogued mistake is
//! diagnosed by name, tolerances have their stated boundaries, and bad sheets are reported
//! with positions while the other exercises are still judged.

use crate::common::run;
use serde_json::Value;

fn check_json(args: &[&str], stdin: &str) -> (Option<i32>, Value) {
    let mut all = vec!["check"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let out = run(&all, stdin);
    (out.status.code(), serde_json::from_slice(&out.stdout).unwrap_or(Value::Null))
}

fn sheet_file(text: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("backprop-sheets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// (line, mistake) for every wrong check of a sheet.
fn mistakes(v: &Value) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for sheet in v["sheets"].as_array().unwrap() {
        for ex in sheet["exercises"].as_array().unwrap() {
            for c in ex["checks"].as_array().unwrap() {
                if c["correct"] == false {
                    out.push((c["line"].as_u64().unwrap(), c["mistake"].as_str().unwrap_or("none").to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn example_sheets_are_all_right() {
    for sheet in ["chain-rule", "sigmoid-neuron", "two-layer", "softmax-cross-entropy", "optimizer-step"] {
        let (code, v) = check_json(&[&format!("examples/sheets/{sheet}.txt")], "");
        assert_eq!(code, Some(0), "{sheet}: {v:#}");
        assert_eq!(v["wrong"], 0, "{sheet}");
        assert!(v["correct"].as_u64().unwrap() >= 3, "{sheet}");
    }
}

#[test]
fn each_catalogued_mistake_is_diagnosed() {
    let expected: &[(&str, &[(u64, &str)])] = &[
        (
            "chain-rule-wrong",
            &[(6, "sign flip"), (7, "none"), (14, "forgotten path through c"), (15, "forgotten path through d")],
        ),
        (
            "sigmoid-neuron-wrong",
            &[
                (5, "sign flip"),
                (6, "σ′ forgotten"),
                (7, "σ′ written as σ(z)(1 − z)"),
                (14, "none"),
                (15, "error carried forward from dL/da"),
                (17, "used z where a was needed"),
                (18, "dropped constant factor ½"),
            ],
        ),
        ("two-layer-wrong", &[(4, "transposed weight index"), (5, "sign flip"), (6, "forgot the learning rate")]),
        ("softmax-cross-entropy-wrong", &[(7, "sign flip"), (8, "sign flip")]),
        ("optimizer-step-wrong", &[(4, "forgot the learning rate"), (5, "moved up the gradient")]),
    ];
    for (sheet, wanted) in expected {
        let (code, v) = check_json(&[&format!("examples/sheets/{sheet}.txt")], "");
        assert_eq!(code, Some(1), "{sheet}");
        let got = mistakes(&v);
        let wanted: Vec<(u64, String)> = wanted.iter().map(|(l, m)| (*l, m.to_string())).collect();
        assert_eq!(got, wanted, "{sheet}");
    }
}

#[test]
fn sigma_prime_at_the_wrong_node_and_dropped_chain_factor_in_a_chain() {
    let sheet = "exercise \"chain\"\nz = w*x\na = sigmoid(z)\nL = a*y\nat w = 0.5, x = 2, y = 3\n\
                 check dL/dw = y*sigmoid(a)*(1 - sigmoid(a))*x\ncheck dL/dw = y*a*(1 - a)\n";
    let path = sheet_file(sheet, "chain.txt");
    let (code, v) = check_json(&[path.to_str().unwrap()], "");
    assert_eq!(code, Some(1));
    assert_eq!(
        mistakes(&v),
        [(6, "σ′ taken at the wrong node".to_string()), (7, "dropped chain factor ∂z/∂w".to_string())]
    );
}

#[test]
fn equivalent_forms_are_accepted() {
    let sheet = "exercise \"forms\"\nz = w*x + b\na = sigmoid(z)\nL = (a - y)^2/2\nat w = 0.5, x = 1.5, b = -0.25, y = 1\n\
                 check dL/dw = (a - y)*a*(1 - a)*x\n\
                 check dL/dw = x*(a*a - a*a*a - y*a + y*a*a)\n\
                 check dL/dw = (sigmoid(w*x + b) - y)*sigmoid(w*x + b)*(1 - sigmoid(w*x + b))*x\n\
                 check dL/db = (a - y)*a*(1 - a)\n\
                 check ∂L/∂z = a·(1 − a)·(a − y)\n\
                 check L = (a - y)^2/2\n\
                 check a = 0.6225\n";
    let path = sheet_file(sheet, "forms.txt");
    let (code, v) = check_json(&[path.to_str().unwrap()], "");
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(v["correct"], 7);
}

#[test]
fn numeric_tolerance_is_half_a_unit_of_the_last_digit() {
    // f = x, so the expected value is the point itself: -0.20 accepts [-0.205, -0.195].
    for (x, right) in [(-0.205, true), (-0.195, true), (-0.2051, false), (-0.1949, false), (-0.2, true)] {
        let sheet = format!("exercise \"t\"\nf = x\nat x = {x}\ncheck f = -0.20\n");
        let path = sheet_file(&sheet, "tolerance.txt");
        let (code, _) = check_json(&[path.to_str().unwrap()], "");
        assert_eq!(code, Some(if right { 0 } else { 1 }), "x = {x}");
    }
}

#[test]
fn verdicts_are_reproducible() {
    let a = run(&["check", "examples/sheets/sigmoid-neuron-wrong.txt", "--format", "json"], "");
    let b = run(&["check", "examples/sheets/sigmoid-neuron-wrong.txt", "--format", "json"], "");
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn hints_give_the_first_step_not_the_answer() {
    let out = run(&["check", "examples/sheets/sigmoid-neuron.txt", "--hints"], "");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("hint: w0 enters f through w0·x0: ∂f/∂w0 = ∂f/∂(w0·x0)·∂(w0·x0)/∂w0"), "{text}");
    assert!(text.contains("hint: work forward: f = σ(w0·x0 + w1·x1 + w2)"), "{text}");
    assert!(!text.contains("x0·f·(1 − f)"), "{text}");
    // Hints differ per check, for network exercises too.
    let out = run(&["check", "examples/sheets/two-layer.txt", "--hints"], "");
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "hint: ∂E/∂W2[0][0] = δ2[0]·a1[0] (BP4)",
        "hint: the output layer (BP1): δ2[0] = ∂E/∂a2[0] · a2[0]·(1 − a2[0])",
        "hint: one step: new W2[0][0] = W2[0][0] − α·∂E/∂W2[0][0] with α = 0.5",
    ] {
        assert!(text.contains(needle), "expected {needle:?} in\n{text}");
    }
}

#[test]
fn bad_sheets_are_reported_and_the_rest_is_judged() {
    let sheet = "exercise \"good\"\nf = x*y\nat x = 2, y = 3\ncheck df/dx = 3\n\n\
                 exercise \"bad answer\"\nf = x*y\nat x = 2, y = 3\ncheck df/dx = 3 +\ncheck df/dq = 1\ncheck df/dy = 2\n\n\
                 exercise \"bad point\"\nf = x*y\nat x = 2\ncheck f = 1\n\n\
                 exercise \"bad function\"\nf = x*\nat x = 1\ncheck f = 1\n\n\
                 exercise \"missing network\"\nnetwork \"nowhere.net\"\ncheck E = 1\n";
    let path = sheet_file(sheet, "bad.txt");
    let out = run(&["check", path.to_str().unwrap()], "");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    for needle in [
        "✓ line 4  df/dx = 3",
        "✓ line 11  df/dy = 2",
        "bad.txt:9:18",
        "`q` is not a name of this exercise",
        "--at gives no value for the variable y",
        "bad.txt:19:7",
        "cannot read network `nowhere.net`",
    ] {
        assert!(text.contains(needle), "expected {needle:?} in\n{text}");
    }
    // A sheet that does not parse at all.
    let path = sheet_file("exercise \"x\nf = 1\n", "unparsable.txt");
    let out = run(&["check", path.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("unparsable.txt:1:"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(&["check", "/nonexistent/sheet.txt"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read `/nonexistent/sheet.txt`"));
}

#[test]
fn json_follows_the_spec() {
    let (_, v) = check_json(&["examples/sheets/sigmoid-neuron.txt"], "");
    assert_eq!(v["correct"], 5);
    assert_eq!(v["wrong"], 0);
    let c = &v["sheets"][0]["exercises"][0]["checks"][1];
    assert_eq!(c["line"], 6);
    assert_eq!(c["target"], "df/dw0");
    assert_eq!(c["answer"], "-0.20");
    assert_eq!(c["correct"], true);
    assert_eq!(c["expected"], -0.19661193324148185);
    assert_eq!(c["mistake"], Value::Null);
    assert_eq!(v["sheets"][0]["exercises"][0]["title"], "Sigmoid neuron");
}
