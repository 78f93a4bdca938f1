//! Output linear in the input, for every command, on the shapes that once grew faster: each
//! shape is run at two sizes, n and 2n, and the larger output may be at most about twice the
//! smaller (plus a constant). Times are not asserted here: BENCHMARKS.md has them.

use crate::common::run_with;
use backprop_engine::commands::run::Outcome;

fn lines(first: &str, each: impl Fn(usize) -> String, n: usize) -> String {
    std::iter::once(first.to_string()).chain((1..=n).map(each)).collect::<Vec<_>>().join("\n")
}

/// The shapes of the hostile-input report, at size n.
fn shape(name: &str, n: usize) -> String {
    match name {
        "squaring chain" => lines("a0 = x", |i| format!("a{i} = a{}*a{}", i - 1, i - 1), n),
        "product chain" => lines("a0 = x", |i| format!("a{i} = a{}*w{i}", i - 1), n),
        "max chain" => lines("a0 = x", |i| format!("a{i} = max(a{}, y)*a{}", i - 1, i - 1), n),
        "exp chain" => lines("a0 = x", |i| format!("a{i} = exp(a{})", i - 1), n),
        "sigmoid chain" => lines("a0 = x", |i| format!("a{i} = sigmoid(a{})*a{}", i - 1, i - 1), n),
        "division chain" => lines("a0 = x", |i| format!("a{i} = a{}/(1 + a{})", i - 1, i - 1), n),
        "fan-in pairs" => lines("a0 = x\na1 = y", |i| format!("a{} = a{}*a{i}", i + 1, i - 1), n),
        "tower" => vec!["x"; n].join("^"),
        "long product" => (0..n).map(|i| format!("x{i}")).collect::<Vec<_>>().join("*"),
        "long sum" => (0..n).map(|i| format!("x{i}")).collect::<Vec<_>>().join(" + "),
        "sum of squares" => (0..n).map(|i| format!("(w{i}*x{i} - y)^2")).collect::<Vec<_>>().join(" + "),
        "exp(P) + P" => {
            let p = (0..n).map(|i| format!("x{i}")).collect::<Vec<_>>().join("*");
            format!("exp({p}) + {p}")
        }
        "Horner" => (1..=n).fold("c0".to_string(), |e, i| format!("({e})*x + c{i}")),
        other => panic!("no shape {other}"),
    }
}

/// Its free variables (names used but not defined), for `--at`.
fn point(text: &str) -> String {
    let defined: Vec<&str> = text.lines().filter_map(|l| l.split_once('=').map(|(n, _)| n.trim())).collect();
    let mut names: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric() && c != '_') {
        let is_name = word.chars().next().is_some_and(char::is_alphabetic);
        let function = ["exp", "max", "sigmoid"].contains(&word);
        if is_name && !function && !defined.contains(&word) && !names.iter().any(|n| n == word) {
            names.push(word.to_string());
        }
    }
    names.iter().map(|n| format!("{n}=0.5")).collect::<Vec<_>>().join(",")
}

fn shown(o: &Outcome) -> usize {
    o.stdout.len() + o.stderr.len()
}

#[test]
fn output_grows_linearly_with_every_shape_and_command() {
    let shapes = [
        ("squaring chain", 60),
        ("product chain", 100),
        ("max chain", 60),
        ("exp chain", 100),
        ("sigmoid chain", 60),
        ("division chain", 60),
        ("fan-in pairs", 60),
        ("tower", 100),
        ("long product", 120),
        ("long sum", 200),
        ("sum of squares", 60),
        ("exp(P) + P", 100),
        ("Horner", 60),
    ];
    let mut failures = Vec::new();
    for (name, n) in shapes {
        let (small, large) = (shape(name, n), shape(name, 2 * n));
        let commands: [(&str, Vec<&str>); 6] = [
            ("derive", vec!["derive"]),
            ("derive --steps", vec!["derive", "--steps"]),
            ("derive --at", vec!["derive", "--at"]),
            ("grad --at", vec!["grad", "--at"]),
            ("graph", vec!["graph"]),
            ("graph --at", vec!["graph", "--at"]),
        ];
        for (label, words) in &commands {
            let sizes: Vec<usize> = [&small, &large]
                .iter()
                .map(|text| {
                    let at = point(text);
                    let mut args: Vec<&str> = vec![words[0], text.as_str()];
                    for w in &words[1..] {
                        args.push(w);
                        if *w == "--at" {
                            args.push(&at);
                        }
                    }
                    let out = run_with(&args, &[]);
                    assert!(out.status == 0 || out.status == 2, "{name}, {label}: status {}", out.status);
                    assert!(!out.stderr.contains("panicked"), "{name}, {label}: {}", out.stderr);
                    shown(&out)
                })
                .collect();
            // Linear: doubling the input at most doubles the output, give or take a constant
            // (a bounded formula cut short, a header).
            if sizes[1] > 2 * sizes[0] + sizes[0] / 4 + 4096 {
                failures.push(format!("{name}, {label}: {} bytes at n = {n}, {} at 2n", sizes[0], sizes[1]));
            }
        }
    }
    assert!(failures.is_empty(), "output grows faster than the input:\n{}", failures.join("\n"));
}

/// Network files with n inline data lines, and sheets with n checks or n exercises.
#[test]
fn data_lines_checks_and_exercises_grow_linearly() {
    let network = |n: usize| {
        let data: Vec<String> =
            (0..n).map(|i| format!("data x = [{}, {}]  target = [{}]", i % 7, i % 5, i % 2)).collect();
        format!("network \"n\"\ninput 2\ndense 3 sigmoid\ndense 1 sigmoid\nloss bce\n{}\n", data.join("\n"))
    };
    let checks =
        |n: usize| format!("exercise \"many\"\nf = x*y\nat x = 2, y = 3\n{}\n", vec!["check df/dx = 3"; n].join("\n"));
    let exercises = |n: usize| {
        (0..n).map(|i| format!("exercise \"e{i}\"\nf = x*y\nat x = 2, y = 3\ncheck df/dx = 3\n")).collect::<String>()
    };
    // Half as high: a tower nests one level per ^ (at most 256).
    let tower_sheet =
        |n: usize| format!("exercise \"tower\"\nf = {}\nat x = 1.0001\ncheck df/dx = 1\n", vec!["x"; n / 2].join("^"));
    type Case<'a> = (&'a str, &'a dyn Fn(usize) -> String, &'a str, Vec<&'a str>);
    let cases: Vec<Case> = vec![
        ("network data lines", &network, "n.net", vec!["net", "n.net", "describe"]),
        ("network data lines, grad", &network, "n.net", vec!["net", "n.net", "grad"]),
        ("checks", &checks, "s.txt", vec!["check", "s.txt"]),
        ("exercises", &exercises, "s.txt", vec!["check", "s.txt", "--format", "json"]),
        ("a tower in a sheet", &tower_sheet, "s.txt", vec!["check", "s.txt", "--hints"]),
    ];
    for (name, make, file, args) in cases {
        let sizes: Vec<usize> = [200, 400]
            .iter()
            .map(|&n| {
                let text = make(n);
                let out = run_with(&args, &[(file, &text)]);
                assert!(out.status <= 2, "{name}: status {}: {}", out.status, out.stderr);
                shown(&out)
            })
            .collect();
        assert!(sizes[1] <= 2 * sizes[0] + sizes[0] / 4 + 4096, "{name}: {} then {} bytes", sizes[0], sizes[1]);
    }
}
