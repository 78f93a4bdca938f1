//! Property tests on random expressions:
//! - printing any node (the function, every partial) and parsing the text back into the same
//!   graph gives the same node;
//! - symbolic partials evaluated = the numeric reverse pass = central differences.

use backprop::cli::FileSystem;
use backprop_engine::graph::NodeId;
use backprop_engine::graph::build::{Function, parse_into};
use backprop_engine::numeric;
use backprop_engine::print::Printer;
use backprop_engine::symbolic::diff::gradient;
use proptest::prelude::*;
use std::collections::HashMap;

/// Random expressions over x, y, z, built so that most points are inside every domain.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("y".to_string()),
        Just("z".to_string()),
        (1..6i32).prop_map(|k| k.to_string()),
        Just("0.5".to_string()),
    ];
    leaf.prop_recursive(5, 48, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} + {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) - ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})*({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})/(2 + sin({b}))")),
            (inner.clone(), 2..4i32).prop_map(|(a, k)| format!("({a})^{k}")),
            inner.clone().prop_map(|a| format!("-({a})")),
            inner.clone().prop_map(|a| format!("sigmoid({a})")),
            inner.clone().prop_map(|a| format!("tanh({a})")),
            inner.clone().prop_map(|a| format!("softplus({a})")),
            inner.clone().prop_map(|a| format!("sin({a})")),
            inner.clone().prop_map(|a| format!("cos({a})")),
            inner.clone().prop_map(|a| format!("exp(sin({a}))")),
            inner.clone().prop_map(|a| format!("log(1 + ({a})^2)")),
            inner.clone().prop_map(|a| format!("sqrt(2 + ({a})^2)")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("max({a}, {b})")),
            inner.clone().prop_map(|a| format!("relu({a})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("({a})^(1 + sigmoid({b}))")),
        ]
    })
}

fn point() -> impl Strategy<Value = [f64; 3]> {
    [-2.0..2.0f64, -2.0..2.0f64, -2.0..2.0f64]
}

fn names(f: &Function) -> HashMap<String, NodeId> {
    f.variables.iter().chain(&f.intermediates).cloned().collect()
}

/// Shapes the random generator rarely makes: each prints and reads back to the same node.
#[test]
fn tricky_shapes_round_trip() {
    let cases = [
        "(a*b)^-1",
        "(2*x)^-1",
        "x^-2",
        "1/x^2",
        "(x^2)^3",
        "2^x^y",
        "(-2)^x",
        "a - (b - c)",
        "a + (b + c)",
        "(a*b)*c",
        "-(-x)",
        "--x",
        "x/y/z",
        "[a < b]",
        "[x >= 1]",
        "[x - 1 > 0]",
        "max(a, -b)",
        "-x^2",
        "(-x)^2",
        "x^(1/2)",
        "0.15*x",
        "1e30*x",
        "x^-1/2",
        "x^(y - 1)",
        "1/(x + y)^2",
        "-2*x/(3*y)",
        "x/2 - 1/3",
        "2/(3*x)",
        "a*-b/2",
        "(a/b)^2",
        "x^y^z",
        "(x^y)^z",
        "1/sqrt(x)",
        "exp(-x)/2",
        "-(a + b)*c",
        "x²·y³",
        "σ(x)²",
        "x·(−y)",
        "1 − σ(u)",
        "t₁ + 1",
        "[u ≥ 0]·2",
        "x^0.5^2",
        "sin(x)^-1",
        "1/(2*sqrt(x))",
        "-((x*x)/(2 + sin(x)))",
        "-(x*y)",
        "a - (x*y)",
        "a - x*y",
        "--(x*y)",
        "[a > (b*c)]",
        "-(-(x*y))",
        "(-(x))*(-(1))",
        "-(2*x)",
        "-(-x)",
    ];
    for text in cases {
        let f = Function::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let mut graph = f.graph.clone();
        let printed = Printer::new(&graph).text(f.output);
        let again = parse_into(&mut graph, &names(&f), &printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
        assert_eq!(again, f.output, "{text} printed as {printed} read back as {}", Printer::new(&graph).text(again));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn printed_text_parses_back_to_the_same_node(text in expression()) {
        let mut f = Function::parse(&text).unwrap();
        let variables: Vec<NodeId> = f.variables.iter().map(|v| v.1).collect();
        let grad = gradient(&mut f.graph, f.output, &variables);
        let names = names(&f);
        let mut nodes = vec![f.output];
        nodes.extend(&grad.partials);
        for node in nodes {
            let printed = Printer::new(&f.graph).text(node);
            let again = parse_into(&mut f.graph, &names, &printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
            let reprinted = Printer::new(&f.graph).text(again);
            prop_assert_eq!(again, node, "{} printed as {} read back as {}", text, printed, reprinted);
        }
    }

    #[test]
    fn forward_mode_equals_reverse_mode(text in expression(), at in point()) {
        use backprop_engine::commands::grad::{GradRequest, Mode, grad};
        let f = Function::parse(&text).unwrap();
        let names = ["x", "y", "z"];
        let at_text: Vec<String> = f.variables.iter().map(|(n, _)| format!("{n}={}", at[names.iter().position(|m| m == n).unwrap()])).collect();
        let request = |mode| GradRequest { expression: text.clone(), source_name: "p".into(), at: at_text.join(","), digits: None, mode };
        let (Ok(reverse), Ok(forward)) = (grad(&request(Mode::Reverse)), grad(&request(Mode::Forward))) else { return Ok(()) };
        for ((n, r), (_, t)) in reverse.gradient.iter().zip(&forward.gradient) {
            prop_assert!((r - t).abs() <= 1e-9 * (1.0 + r.abs()), "{}: ∂/∂{} reverse {} forward {}", text, n, r, t);
        }
    }

    #[test]
    fn symbolic_equals_reverse_mode_equals_finite_differences(text in expression(), at in point()) {
        let mut f = Function::parse(&text).unwrap();
        let variables: Vec<NodeId> = f.variables.iter().map(|v| v.1).collect();
        let grad = gradient(&mut f.graph, f.output, &variables);
        let names = ["x", "y", "z"];
        let point: HashMap<NodeId, f64> = f.variables.iter().map(|(n, id)| (*id, at[names.iter().position(|m| m == n).unwrap()])).collect();
        let Ok(values) = numeric::evaluate(&f.graph, &[f.output], &point) else { return Ok(()) };
        let Ok(reverse) = numeric::adjoints(&f.graph, f.output, &variables, &values) else { return Ok(()) };
        let Ok(symbolic) = numeric::evaluate(&f.graph, &grad.partials, &point) else { return Ok(()) };
        for (&v, &p) in variables.iter().zip(&grad.partials) {
            let s = symbolic[&p];
            let r = reverse.get(&v).copied().unwrap_or(0.0);
            prop_assert!((s - r).abs() <= 1e-8 * (1.0 + s.abs().max(r.abs())), "{}: symbolic {} reverse {}", text, s, r);
            let kinked = text.contains("max") || text.contains("relu");
            if let (false, Ok(fd)) = (kinked, numeric::central_difference(&f.graph, f.output, v, &point)) {
                prop_assert!(numeric::agrees(s, fd), "{}: symbolic {} finite difference {:?}", text, s, fd);
            }
        }
    }
}

/// A random small dense network (2–3 layers, any activation and a matching loss) as text.
fn network() -> impl Strategy<Value = String> {
    let activation = prop_oneof![Just("linear"), Just("sigmoid"), Just("tanh"), Just("relu")];
    (1..4usize, 1..5usize, activation.clone(), activation, 0..4usize, 0..1000u64).prop_map(|(inputs, hidden, a1, a2, output, seed)| {
        let (last, loss, targets) = match output {
            0 => ("dense 2 softmax", "cross_entropy", ["target = 0", "target = 1"]),
            1 => ("dense 1 sigmoid", "bce", ["target = [0]", "target = [1]"]),
            2 => ("dense 2 tanh", "half_sse", ["target = [0.5, -0.5]", "target = [-0.2, 0.3]"]),
            _ => ("dense 1 linear", "mse", ["target = [0.7]", "target = [-1.2]"]),
        };
        let x = |k: usize| (0..inputs).map(|i| format!("{:.2}", ((i + k) as f64 * 0.37).sin())).collect::<Vec<_>>().join(", ");
        format!(
            "input {inputs}\ndense {hidden} {a1}\ndense 3 {a2}\n{last}\nloss {loss}\ndata x = [{}] {}\ndata x = [{}] {}\ninit xavier seed {seed}\ntrain sgd lr 0.1 l2 0.001\n",
            x(1),
            targets[0],
            x(2),
            targets[1]
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, .. ProptestConfig::default() })]

    #[test]
    fn random_networks_pass_both_gradient_checks(text in network()) {
        use backprop_engine::commands::net::{NetRequest, net_grad};
        let request = NetRequest { text: text.clone(), source_name: "p.net".into(), base: ".".into() };
        let r = net_grad(&request, false, &FileSystem).unwrap();
        // At a relu kink (an input exactly 0, e.g. a dead unit feeding a zero bias) differences
        // average two slopes; the tool says so, and the unrolled graph is the exact check.
        let fd = r.finite_differences;
        prop_assert!(fd.max_relative_error < 1e-5 || fd.max_abs_error < 1e-4 || r.at_kink, "{}: {:?}", text, fd);
        let u = r.unrolled.expect("small dense networks unroll");
        prop_assert!(u.max_relative_error < 1e-8, "{}: {:?}", text, u);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, .. ProptestConfig::default() })]

    /// An answer equal to the function itself, or the printed derivative, is always accepted.
    #[test]
    fn exercise_equivalence_is_reflexive_and_accepts_rewritings(text in expression()) {
        use backprop_engine::commands::check::{SheetInput, check};
        let mut f = Function::parse(&text).unwrap();
        let Some((x, node)) = f.variables.first().cloned() else { return Ok(()) };
        let point: HashMap<NodeId, f64> = f.variables.iter().map(|(_, id)| (*id, 0.7)).collect();
        if numeric::evaluate(&f.graph, &[f.output], &point).is_err() {
            return Ok(());
        }
        let grad = gradient(&mut f.graph, f.output, &[node]);
        let derivative = Printer::new(&f.graph).text(grad.partials[0]);
        let at: Vec<String> = f.variables.iter().map(|(n, _)| format!("{n} = 0.7")).collect();
        let sheet = format!("exercise \"p\"\nf = {text}\nat {}\ncheck f = {text}\ncheck df/d{x} = {derivative}\n", at.join(", "));
        let report = check(vec![SheetInput { name: "p".into(), text: sheet.clone(), base: ".".into() }], false, &FileSystem);
        let checks = &report.sheets[0].exercises[0].checks;
        for c in checks {
            // Undecided (too few points where both sides are defined) is allowed; wrong is not.
            prop_assert!(c.correct || c.feedback.starts_with("could not decide") || c.feedback.contains("no value"), "{}\n{:?}", sheet, c.feedback);
        }
    }
}
