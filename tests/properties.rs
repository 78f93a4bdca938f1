//! Property tests on random expressions:
//! - printing any node (the function, every partial) and parsing the text back into the same
//!   graph gives the same node;
//! - symbolic partials evaluated = the numeric reverse pass = central differences.

use backprop::files::FileSystem;
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
    grow(leaf)
}

/// Random expressions over x, y, z and the placeholders `#0` … `#k-1` (replaced by names later).
fn expression_over(k: usize) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("y".to_string()),
        Just("z".to_string()),
        (0..k).prop_map(|i| format!("#{i}")),
        (0..k).prop_map(|i| format!("#{i}")),
        (1..6i32).prop_map(|k| k.to_string()),
    ];
    grow(leaf)
}

fn grow(leaf: impl Strategy<Value = String> + 'static) -> impl Strategy<Value = String> {
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

/// Runs a property over `cases` generated values (PROPTEST_CASES overrides), counting the
/// cases that ran to the end; inputs the property cannot use are rejected with `prop_assume!`
/// and replaced, and too many rejections fail the test instead of passing it silently.
pub fn property<S: Strategy>(name: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    let config =
        ProptestConfig { cases, max_global_rejects: cases * 4, failure_persistence: None, ..ProptestConfig::default() };
    let ran = std::cell::Cell::new(0u32);
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&strategy, |value| {
        test(value)?;
        ran.set(ran.get() + 1);
        Ok(())
    });
    eprintln!("property `{name}`: {} cases ran", ran.get());
    if let Err(e) = result {
        panic!("property `{name}` failed: {e}");
    }
    assert!(ran.get() >= cases, "property `{name}`: only {} of {cases} cases ran", ran.get());
}

/// The point's values for the function's variables (x, y, z).
fn given(f: &Function, at: [f64; 3]) -> Vec<(NodeId, f64)> {
    let names = ["x", "y", "z"];
    f.variables.iter().map(|(n, id)| (*id, at[names.iter().position(|m| m == n).unwrap()])).collect()
}

#[test]
fn printed_text_parses_back_to_the_same_node() {
    property("print then parse", 400, expression(), |text| {
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
        Ok(())
    });
}

#[test]
fn forward_mode_equals_reverse_mode() {
    use backprop_engine::commands::grad::{GradRequest, Mode, grad};
    property("forward = reverse", 400, (expression(), point()), |(text, at)| {
        let f = Function::parse(&text).unwrap();
        let names = ["x", "y", "z"];
        let at_text: Vec<String> = f
            .variables
            .iter()
            .map(|(n, _)| format!("{n}={}", at[names.iter().position(|m| m == n).unwrap()]))
            .collect();
        let request = |mode| GradRequest {
            expression: text.clone(),
            source_name: "p".into(),
            at: at_text.join(","),
            digits: None,
            mode,
        };
        let (reverse, forward) = (grad(&request(Mode::Reverse)), grad(&request(Mode::Forward)));
        prop_assume!(reverse.is_ok() && forward.is_ok());
        for ((n, r), (_, t)) in reverse.unwrap().gradient.iter().zip(&forward.unwrap().gradient) {
            prop_assert!((r - t).abs() <= 1e-9 * (1.0 + r.abs()), "{}: ∂/∂{} reverse {} forward {}", text, n, r, t);
        }
        Ok(())
    });
}

#[test]
fn symbolic_equals_reverse_mode_equals_finite_differences() {
    property("symbolic = reverse = differences", 400, (expression(), point()), |(text, at)| {
        let mut f = Function::parse(&text).unwrap();
        let variables: Vec<NodeId> = f.variables.iter().map(|v| v.1).collect();
        let grad = gradient(&mut f.graph, f.output, &variables);
        let point = given(&f, at);
        let values = numeric::evaluate(&f.graph, &[f.output], &point);
        prop_assume!(values.is_ok());
        let values = values.unwrap();
        let reverse = numeric::adjoints(&f.graph, f.output, &variables, &values);
        let symbolic = numeric::evaluate(&f.graph, &grad.partials, &point);
        prop_assume!(reverse.is_ok() && symbolic.is_ok());
        let (reverse, symbolic) = (reverse.unwrap(), symbolic.unwrap());
        for (&v, &p) in variables.iter().zip(&grad.partials) {
            let s = symbolic[p];
            let r = reverse.or(v, 0.0);
            prop_assert!(
                (s - r).abs() <= 1e-8 * (1.0 + s.abs().max(r.abs())),
                "{}: symbolic {} reverse {}",
                text,
                s,
                r
            );
            let kinked = text.contains("max") || text.contains("relu");
            // A difference is evidence only where its own error estimate is small (a steep
            // oscillation inside the stencil makes it meaningless, and the tool says so).
            if let (false, Ok(fd)) = (kinked, numeric::central_difference(&f.graph, f.output, v, values[v], &point))
                && fd.error_estimate <= 1e-4 * (1.0 + s.abs())
            {
                prop_assert!(numeric::agrees(s, fd), "{}: symbolic {} finite difference {:?}", text, s, fd);
            }
        }
        Ok(())
    });
}

/// A random program of statements: each names an expression of the variables and of the
/// names before it; the last is the output.
fn program() -> impl Strategy<Value = String> {
    let statement = expression_over(6);
    (proptest::collection::vec(statement, 2..5)).prop_map(|bodies| {
        let mut lines = Vec::new();
        let count = bodies.len();
        for (i, body) in bodies.into_iter().enumerate() {
            // Leaves 3.. are the earlier names; a leaf past the names made so far is x.
            let mut text = body;
            for k in (0..6).rev() {
                let name = if k < i { format!("n{k}") } else { "x".to_string() };
                text = text.replace(&format!("#{k}"), &name);
            }
            let name = if i + 1 == count { "f".to_string() } else { format!("n{i}") };
            lines.push(format!("{name} = {text}"));
        }
        lines.join("\n")
    })
}

#[test]
fn the_derivative_at_a_named_intermediate_is_its_adjoint() {
    // ∂f/∂z for every intermediate z: symbolic = the numeric adjoint = a central difference
    // taken at the node (z moved, its inputs held).
    property("∂f/∂intermediate = adjoint = difference at the node", 300, (program(), point()), |(text, at)| {
        let mut f = Function::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let targets: Vec<NodeId> = f.intermediates.iter().filter(|(_, id)| *id != f.output).map(|i| i.1).collect();
        prop_assume!(!targets.is_empty());
        let grad = gradient(&mut f.graph, f.output, &targets);
        let point = given(&f, at);
        let mut roots = vec![f.output];
        roots.extend(&targets);
        let values = numeric::evaluate(&f.graph, &roots, &point);
        prop_assume!(values.is_ok());
        let values = values.unwrap();
        let reverse = numeric::adjoints(&f.graph, f.output, &targets, &values);
        let symbolic = numeric::evaluate(&f.graph, &grad.partials, &point);
        prop_assume!(reverse.is_ok() && symbolic.is_ok());
        let (reverse, symbolic) = (reverse.unwrap(), symbolic.unwrap());
        let kinked = text.contains("max") || text.contains("relu");
        for (&z, &p) in targets.iter().zip(&grad.partials) {
            let (s, r) = (symbolic[p], reverse.or(z, 0.0));
            prop_assert!(
                (s - r).abs() <= 1e-8 * (1.0 + s.abs().max(r.abs())),
                "{}: symbolic {} reverse {}",
                text,
                s,
                r
            );
            let fd = numeric::central_difference(&f.graph, f.output, z, values[z], &point);
            if let (false, Ok(fd)) = (kinked, fd)
                && fd.error_estimate <= 1e-4 * (1.0 + s.abs())
            {
                prop_assert!(numeric::agrees(s, fd), "{}: ∂f/∂{:?} symbolic {} difference {:?}", text, z, s, fd);
            }
        }
        Ok(())
    });
}

/// A random small dense network (2–3 layers, any activation and a matching loss) as text.
fn network() -> impl Strategy<Value = String> {
    let activation = prop_oneof![Just("linear"), Just("sigmoid"), Just("tanh"), Just("relu")];
    (1..4usize, 1..5usize, activation.clone(), activation, 0..5usize, 0..1000u64).prop_map(|(inputs, hidden, a1, a2, output, seed)| {
        let (last, loss, targets) = match output {
            0 => ("dense 2 softmax", "cross_entropy", ["target = 0", "target = 1"]),
            1 => ("dense 1 sigmoid", "bce", ["target = [0]", "target = [1]"]),
            2 => ("dense 2 tanh", "half_sse", ["target = [0.5, -0.5]", "target = [-0.2, 0.3]"]),
            3 => ("dense 1 linear", "hinge", ["target = [1]", "target = [-1]"]),
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

#[test]
fn random_networks_pass_both_gradient_checks() {
    use backprop_engine::commands::net::{NetRequest, net_grad};
    property("random networks: matrix = unrolled = differences", 60, network(), |text| {
        let request = NetRequest { text: text.clone(), source_name: "p.net".into(), base: ".".into() };
        let r = net_grad(&request, false, &FileSystem).unwrap();
        // At a relu kink (an input exactly 0, e.g. a dead unit feeding a zero bias) differences
        // average two slopes; the tool says so, and the unrolled graph is the exact check.
        let fd = r.finite_differences;
        prop_assert!(fd.max_relative_error < 1e-5 || fd.max_abs_error < 1e-4 || r.at_kink, "{}: {:?}", text, fd);
        let u = r.unrolled.expect("small dense networks unroll");
        prop_assert!(u.max_relative_error < 1e-8, "{}: {:?}", text, u);
        Ok(())
    });
}

/// An answer equal to the function itself, or the printed derivative, is always accepted.
#[test]
fn exercise_equivalence_is_reflexive_and_accepts_rewritings() {
    use backprop_engine::commands::check::{SheetInput, check};
    use backprop_engine::exercise::Outcome;
    property("equivalence accepts the printed derivative", 150, expression(), |text| {
        let mut f = Function::parse(&text).unwrap();
        prop_assume!(!f.variables.is_empty());
        let (x, node) = f.variables[0].clone();
        let point: Vec<(NodeId, f64)> = f.variables.iter().map(|(_, id)| (*id, 0.7)).collect();
        prop_assume!(numeric::evaluate(&f.graph, &[f.output], &point).is_ok());
        let grad = gradient(&mut f.graph, f.output, &[node]);
        let derivative = Printer::new(&f.graph).text(grad.partials[0]);
        let at: Vec<String> = f.variables.iter().map(|(n, _)| format!("{n} = 0.7")).collect();
        let sheet = format!(
            "exercise \"p\"\nf = {text}\nat {}\ncheck f = {text}\ncheck df/d{x} = {derivative}\n",
            at.join(", ")
        );
        let report = check(
            vec![SheetInput { name: "p".into(), text: sheet.clone(), base: ".".into() }],
            false,
            backprop_engine::lang::Lang::En,
            &FileSystem,
        );
        for c in &report.sheets[0].exercises[0].checks {
            // Undecided (too few points where both sides are defined) is allowed; wrong is not.
            prop_assert!(c.outcome == Outcome::Right || c.outcome == Outcome::NotJudged, "{}\n{:?}", sheet, c.feedback);
        }
        Ok(())
    });
}
