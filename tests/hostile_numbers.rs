//! The third hostile-input review, numbers and bounded work: constants fold exactly (with an
//! exponent of their own) or say why they cannot be used, never into 0 or ∞; every `net`
//! command follows one overflow rule; every kind of kink is flagged alike; claims in
//! scientific notation are judged like any number; plots end whatever their start and draw a
//! bounded number of points. The right values are worked by hand in the comments.

use crate::common::run_with;
use std::path::Path;

#[test]
fn constants_fold_exactly_never_into_zero_or_infinity() {
    // (expression, the folded coefficient as printed, its value): 10^(−200−200+300+300) = 1e200, …
    let cases = [
        ("x*1e-200*1e-200*1e300*1e300", "1e200·x", 1e200),
        ("x*1e200*1e200/1e300", "1e100·x", 1e100),
        ("x/1e-300/1e300*1e-200", "1e-200·x", 1e-200),
        ("1e-300*x*1e-300/1e-300/1e-300", "x", 1.0),
        ("x*2.5e-310*4e10", "1e-299·x", 1e-299),
        ("x*(1e200)^2/1e300", "1e100·x", 1e100),
        ("x*10^400/10^300", "1e100·x", 1e100),
        ("-x*1e-200*1e-200*1e300*1e300", "−1e200·x", -1e200),
    ];
    for (expression, printed, value) in cases {
        let out = run_with(&["derive", expression, "--at", "x=1"], &[]);
        assert_eq!(out.status, 0, "{expression}: {}", out.stderr);
        assert!(out.stdout.starts_with(&format!("f = {printed}\n")), "{expression}: {}", out.stdout);
        assert!(!out.stdout.contains("inf") && !out.stdout.contains('∞'), "{expression}: {}", out.stdout);
        let json = run_with(&["derive", expression, "--at", "x=1", "--format", "json"], &[]);
        let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(v["value"].as_f64(), Some(value), "{expression}");
        assert_eq!(v["partials"][0]["value"].as_f64(), Some(value), "{expression}");
        assert_eq!(v["partials"][0]["agrees"], true, "{expression}");
        // Read back from what is printed: the same function.
        let again = run_with(&["derive", &printed.replace('·', "*").replace('−', "-"), "--at", "x=1"], &[]);
        assert_eq!(again.stdout, out.stdout, "{expression}");
    }
    // A constant beyond f64 is printed exactly; using it is an error at the point, never ∞ or 0.
    let out = run_with(&["derive", "x*1e200*1e200"], &[]);
    assert!(out.stdout.starts_with("f = 1e400·x\n"), "{}", out.stdout);
    for (expression, said) in [("x*1e200*1e200", "overflows"), ("x*1e-200*1e-200", "too small")] {
        let out = run_with(&["derive", expression, "--at", "x=1"], &[]);
        assert_eq!(out.status, 2, "{expression}: {}", out.stdout);
        assert!(out.stderr.contains(said), "{expression}: {}", out.stderr);
    }
    // check's right values are folded the same way: 1e200 is right, 0 is wrong.
    let sheet = "exercise \"big\"\nf = x*1e-200*1e-200*1e300*1e300\nat x = 1\ncheck df/dx = 1e200\ncheck f = 0\n";
    let out = run_with(&["check", "s.txt", "--format", "json"], &[("s.txt", sheet)]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let checks = &v["sheets"][0]["exercises"][0]["checks"];
    assert_eq!(checks[0]["verdict"], "right", "{}", out.stdout);
    assert_ne!(checks[1]["verdict"], "right", "{}", out.stdout);
}

fn net(weight: &str, x: &str, train: &str) -> String {
    format!(
        "network \"big\"\ninput 1\ndense 1 linear  W = [[{weight}]]  b = [0]\nloss mse\ndata x = [{x}]  target = [1]\n{train}\n"
    )
}

#[test]
fn every_net_command_follows_one_overflow_rule() {
    // Values 1e150·1e150 = 1e300 are finite; the loss (1e300 − 1)²/… is not: the first batch
    // overflows for grad, step and train alike, at the layer.
    let file = net("1e150", "1e150", "train sgd lr 0.1 epochs 2");
    for action in ["grad", "step", "train"] {
        let out = run_with(&["net", "t.net", action], &[("t.net", &file)]);
        assert_eq!(out.status, 2, "{action}: {}", out.stdout);
        assert!(out.stderr.contains("t.net:3:") && out.stderr.contains("overflows"), "{action}: {}", out.stderr);
        assert!(!out.stdout.contains('∞'), "{action}: {}", out.stdout);
    }
    // Plots that train from the file follow the same rule.
    for args in [&["plot", "fit", "t.net"][..], &["plot", "training", "t.net"]] {
        let out = run_with(args, &[("t.net", &file)]);
        assert_eq!(out.status, 2, "{args:?}: {}", out.stdout);
        assert!(out.stderr.contains("t.net:3:") && out.stderr.contains("overflows"), "{args:?}: {}", out.stderr);
    }
    // A finite first batch whose one update overflows (1e300 × a gradient of 2e10): step says so
    // at the train line; train reports where the run diverged.
    let file = net("1e10", "1", "train sgd lr 1e300 epochs 2");
    let out = run_with(&["net", "t.net", "step"], &[("t.net", &file)]);
    assert_eq!(out.status, 2, "{}", out.stdout);
    assert!(out.stderr.contains("t.net:6:") && out.stderr.contains("W1 overflow"), "{}", out.stderr);
    let out = run_with(&["net", "t.net", "train"], &[("t.net", &file)]);
    assert!(out.stdout.contains("stopped at epoch"), "{}", out.stdout);
}

#[test]
fn kinks_are_flagged_alike() {
    // At the kink the one-sided slopes differ, whatever a symmetric difference says: abs(x) + x
    // has slopes 0 and 2 at 0 (difference 1), 2·relu(x) has 0 and 2, and so on.
    for (expression, kink) in [
        ("abs(x) + x", "abs(x)"),
        ("2*relu(x)", "relu(x)"),
        ("max(x, 0) + x", "max(x, 0)"),
        ("min(x, 0) + x", "min(x, 0)"),
        ("sign(x) + x", "sign(x)"),
        ("[x > 0]*y + x", "[x > 0]"),
        ("abs(x)^2", "abs(x)"),
    ] {
        let out = run_with(&["derive", expression, "--at", "x=0,y=2"], &[]);
        assert_eq!(out.status, 0, "{expression}: {}", out.stderr);
        let line = out.stdout.lines().skip_while(|l| !l.starts_with("∂f/∂x")).nth(1).unwrap_or("");
        assert!(line.contains(&format!("– (at the kink of `{kink}`")), "{expression}: {}", out.stdout);
        assert!(!line.contains('✓') && !line.contains('✗'), "{expression}: {line}");
        let json = run_with(&["derive", expression, "--at", "x=0,y=2", "--format", "json"], &[]);
        let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        let x = v["partials"].as_array().unwrap().iter().find(|p| p["wrt"] == "x").unwrap();
        assert_eq!((x["kink"].as_str(), &x["agrees"]), (Some(kink), &serde_json::Value::Null), "{expression}");
        // Away from the kink, the difference agrees.
        let out = run_with(&["derive", expression, "--at", "x=0.5,y=2"], &[]);
        assert!(!out.stdout.contains("kink") && out.stdout.contains('✓'), "{expression}: {}", out.stdout);
    }
    // A variable the kink does not depend on is not flagged.
    let out = run_with(&["derive", "abs(x) + 3*y", "--at", "x=0,y=1"], &[]);
    let line = out.stdout.lines().skip_while(|l| !l.starts_with("∂f/∂y")).nth(1).unwrap_or("");
    assert!(line.contains('✓'), "{}", out.stdout);
    // In a table of points, a kink is –.
    let out = run_with(&["derive", "abs(x)", "--at", "x=0", "--at", "x=1"], &[]);
    assert!(out.stdout.contains("0  0  0 –") && out.stdout.contains("1  1  1 ✓"), "{}", out.stdout);
}

#[test]
fn claims_in_scientific_notation_are_judged_like_any_number() {
    let block = |command: &str, claim: &str| format!("```backprop\n{command}\nexpect {claim}\n```\n");
    let expand = |text: &str| backprop::book::expand_chapter(text, "c.md", Path::new("."));
    // ∂(x²)/∂x at 0 is 0: not 3.0e-5 (nor 0.00003).
    for claim in ["∂f/∂x = 3.0e-5", "∂f/∂x = 0.00003", "∂f/∂x = 3E-5", "∂f/∂x = 1e-300"] {
        assert!(expand(&block("derive \"x^2\" --at x=0", claim)).is_err(), "{claim} passed");
    }
    // ∂(3e-5·x)/∂x = 3e-5: right at the digits written.
    for claim in ["∂f/∂x = 3.0e-5", "∂f/∂x = 3e-5", "∂f/∂x = 0.00003", "∂f/∂x = 30e-6"] {
        let chapter = block("derive \"3e-5*x\" --at x=1", claim);
        assert!(expand(&chapter).is_ok(), "{claim}: {:?}", expand(&chapter));
    }
    assert!(expand(&block("derive \"3.04e-5*x\" --at x=1", "∂f/∂x = 3.1e-5")).is_err());
}

#[test]
fn plots_end_on_huge_starts_and_draw_a_bounded_number_of_points() {
    for start in ["x=1e308,y=1", "x=-1.7e308,y=1.7e308", "x=1e300,y=1e-300", "x=5e-324,y=0", "x=1e7,y=1"] {
        let out = run_with(&["plot", "descent", "x^2 + y^2", "--start", start, "--steps", "3"], &[]);
        assert!(out.status == 0 || out.status == 2, "{start}: {}", out.stderr);
        if out.status == 0 {
            roxmltree::Document::parse(&out.stdout).unwrap_or_else(|e| panic!("{start}: {e}"));
        }
    }
    // From 1e7 the path converges: it is not "diverging" for having started far out.
    let out = run_with(&["plot", "descent", "x^2 + y^2", "--start", "x=1e7,y=1", "--steps", "30"], &[]);
    assert!(!out.stdout.contains("diverges"), "a converging path is called diverging");
    // 400 rates × 5 optimizers × 10,001 points: refused before any step, with the count.
    let rates: Vec<String> = (1..=400).map(|i| format!("{}", i as f64 / 1000.0)).collect();
    let out = run_with(
        &[
            "plot",
            "descent",
            "x^2 + y^2",
            "--start",
            "x=1,y=1",
            "--steps",
            "10000",
            "--lr",
            &rates.join(","),
            "--optimizer",
            "sgd,momentum,nesterov,rmsprop,adam",
        ],
        &[],
    );
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("at most 100,010 points") && out.stderr.contains("2,000 paths"), "{}", out.stderr);
}
