//! Printed derivatives read like a textbook: exact forms for the cases the issue names, and
//! snapshots (text and LaTeX) of the whole textbook corpus in tests/data/textbook.txt.

use crate::common::{derive_ok, partial_text};

#[track_caller]
fn check(expression: &str, wrt: &str, expected: &str) {
    let r = derive_ok(expression, None, None);
    assert_eq!(partial_text(&r, wrt), expected, "∂/∂{wrt} of {expression}");
}

#[test]
fn sigmoid_uses_sigma_one_minus_sigma() {
    check("sigmoid(w*x+b)", "w", "x·σ(w·x + b)·(1 − σ(w·x + b))");
    check("sigmoid(w*x+b)", "b", "σ(w·x + b)·(1 − σ(w·x + b))");
}

#[test]
fn named_intermediates_give_the_chain() {
    check("z = w*x+b; a = sigmoid(z); L = (a-y)^2/2", "w", "(a − y)·a·(1 − a)·x");
    let r = derive_ok("z = w*x+b; a = sigmoid(z); L = (a-y)^2/2", Some("z"), None);
    assert_eq!(partial_text(&r, "z"), "(a − y)·a·(1 − a)");
}

#[test]
fn cross_entropy_of_sigmoid_simplifies() {
    check("-(y*log(sigmoid(z)) + (1-y)*log(1-sigmoid(z)))", "z", "σ(z) − y");
}

#[test]
fn exact_constants_and_identities() {
    check("x^3/3", "x", "x²");
    check("sin(x)^2 + cos(x)^2", "x", "0");
    check("tanh(u)", "u", "1 − tanh(u)²");
    check("relu(u)", "u", "[u > 0]");
    check("0.5*x^2", "x", "x");
    check("x^3/6", "x", "x²/2");
    check("2*(x*y + max(z, w))", "z", "2·[z > w]");
    check("2*(x*y + max(z, w))", "w", "2·[w > z]");
    check("exp(-x^2/2)", "x", "−x·exp(−x²/2)");
    check("sqrt(x^2+y^2)", "x", "x/sqrt(x² + y²)");
    check("softplus(u)", "u", "σ(u)");
    check("log(x)", "x", "1/x");
    check("abs(x)", "x", "sign(x)");
}

#[test]
fn large_shared_parts_are_numbered() {
    let hidden: Vec<String> = (1..=4).map(|j| format!("v{j}*sigmoid(w{j}*x + b{j})")).collect();
    let expression = format!("({} + c - y)^2", hidden.join(" + "));
    let r = derive_ok(&expression, None, None);
    assert_eq!(r.shared.len(), 1, "{:?}", r.shared);
    assert_eq!(r.shared[0].name, "t₁");
    assert_eq!(partial_text(&r, "v1"), "2·t₁·σ(w1·x + b1)");
    assert_eq!(partial_text(&r, "w1"), "2·v1·x·t₁·σ(w1·x + b1)·(1 − σ(w1·x + b1))");
}

#[test]
fn corpus_snapshots() {
    let corpus = include_str!("data/textbook.txt");
    let mut text = String::new();
    let mut latex = String::new();
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let r = derive_ok(line, None, None);
        text.push_str(&format!("$ backprop derive \"{line}\"\n{}\n", r.render_text()));
        latex.push_str(&format!("% {line}\n{}\n", r.render_latex()));
    }
    insta::assert_snapshot!("corpus_text", text);
    insta::assert_snapshot!("corpus_latex", latex);
}
