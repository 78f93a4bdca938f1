//! The binary end to end: formats, standard input, files, exit status.

use crate::common::run;

#[test]
fn text_output_of_the_readme_example() {
    let out = run(&["derive", "sigmoid(w*x+b)"], "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "f = σ(w·x + b)\n\n∂f/∂w = x·σ(w·x + b)·(1 − σ(w·x + b))\n∂f/∂x = w·σ(w·x + b)·(1 − σ(w·x + b))\n∂f/∂b = σ(w·x + b)·(1 − σ(w·x + b))\n"
    );
}

#[test]
fn json_follows_the_spec() {
    let out = run(&["derive", "sigmoid(w*x+b)", "--at", "w=0.5,x=1.5,b=-0.25", "--format", "json"], "");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["input"], "sigmoid(w*x+b)");
    assert_eq!(v["variables"], serde_json::json!(["w", "x", "b"]));
    assert_eq!(v["at"], serde_json::json!({"w": 0.5, "x": 1.5, "b": -0.25}));
    assert_eq!(v["value"], 0.6224593312018546);
    let p = &v["partials"][0];
    assert_eq!(p["wrt"], "w");
    assert_eq!(p["text"], "x·σ(w·x + b)·(1 − σ(w·x + b))");
    assert_eq!(p["latex"], "x \\sigma(w x + b) (1 - \\sigma(w x + b))");
    assert!((p["value"].as_f64().unwrap() - 0.3525055683).abs() < 1e-10);
    assert!((p["finite_difference"].as_f64().unwrap() - 0.3525055683).abs() < 1e-9);
    assert_eq!(v["graph"], serde_json::json!({"function_nodes": 6, "gradient_nodes": 13}));
    assert_eq!(v["shared"], serde_json::json!([]));
}

#[test]
fn json_without_at_has_nulls() {
    let out = run(&["derive", "x^3/3", "--format", "json"], "");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["at"], serde_json::Value::Null);
    assert_eq!(v["value"], serde_json::Value::Null);
    assert_eq!(v["partials"][0]["text"], "x²");
    assert_eq!(v["partials"][0]["value"], serde_json::Value::Null);
    assert_eq!(v["partials"][0]["finite_difference"], serde_json::Value::Null);
}

#[test]
fn expression_from_stdin_and_from_a_file() {
    let out = run(&["derive", "-"], "z = w*x + b  # a comment\na = sigmoid(z)\nL = (a - y)^2/2\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().contains("∂L/∂w = (a − y)·a·(1 − a)·x\n"));

    let path = std::env::temp_dir().join(format!("backprop-test-{}.txt", std::process::id()));
    std::fs::write(&path, "x^3/3\n").unwrap();
    let out = run(&["derive", &format!("@{}", path.display())], "");
    std::fs::remove_file(&path).unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("∂f/∂x = x²"));
}

#[test]
fn output_can_be_pasted_back() {
    let out = run(&["derive", "z = w*x+b; a = sigmoid(z); L = (a-y)^2/2", "--wrt", "w"], "");
    let text = String::from_utf8(out.stdout).unwrap();
    let derivative = text.lines().find_map(|l| l.strip_prefix("∂L/∂w = ")).unwrap();
    let out = run(&["derive", derivative, "--wrt", "x"], "");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("f = (a − y)·a·(1 − a)·x\n"));
}

#[test]
fn latex_format() {
    let out = run(&["derive", "z = w*x+b; a = sigmoid(z); L = (a-y)^2/2", "--wrt", "w", "--format", "latex"], "");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "\\begin{aligned}\nz &= w x + b \\\\\na &= \\sigma(z) \\\\\nL &= \\frac{(a - y)^{2}}{2} \\\\\n\\frac{\\partial L}{\\partial w} &= (a - y) a (1 - a) x\n\\end{aligned}\n"
    );
}

#[test]
fn help_teaches_the_language() {
    let out = run(&["derive", "--help"], "");
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in
        ["THE EXPRESSION LANGUAGE", "sigmoid (σ)", "-x^2 is -(x²)", "backprop derive \"sigmoid(w*x + b)\"", "@FILE"]
    {
        assert!(help.contains(needle), "help lacks {needle:?}");
    }
}
