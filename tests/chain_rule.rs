//! Seeing the chain rule: `grad` tables, `derive --steps`, `graph` pictures, forward mode.

use crate::common::run;
use backprop_engine::commands::grad::{GradReport, GradRequest, Mode, grad};
use backprop_engine::commands::graph::{GraphRequest, PictureFormat, graph};

fn table(expression: &str, at: &str, digits: Option<u32>, mode: Mode) -> GradReport {
    let request =
        GradRequest { expression: expression.into(), source_name: "expression".into(), at: at.into(), digits, mode };
    grad(&request).unwrap_or_else(|e| panic!("{expression}: {e}"))
}

fn gradient(report: &GradReport) -> Vec<f64> {
    report.gradient.iter().map(|g| g.1).collect()
}

fn rounded(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

#[test]
fn published_examples_through_the_table() {
    // CS231n circuit, gate patterns and Olah's graph, in reverse and in forward mode.
    for mode in [Mode::Reverse, Mode::Forward] {
        assert_eq!(gradient(&table("(x + y)*z", "x=-2,y=5,z=-4", None, mode)), [-4.0, -4.0, 3.0]);
        assert_eq!(gradient(&table("2*(x*y + max(z, w))", "x=3,y=-4,z=2,w=-1", None, mode)), [-8.0, 6.0, 2.0, 0.0]);
        assert_eq!(gradient(&table("(a + b)*(b + 1)", "a=2,b=1", None, mode)), [2.0, 5.0]);
    }
}

#[test]
fn sigmoid_neuron_exact_and_rounded_by_hand() {
    // CS231n: f = 0.73; dx = [0.39, −0.59]; dw = [−0.20, −0.39, 0.20] (w0, x0, w1, x1, w2 order here).
    let exact = table("sigmoid(w0*x0 + w1*x1 + w2)", "w0=2,x0=-1,w1=-3,x1=-2,w2=-3", None, Mode::Reverse);
    assert_eq!(rounded(exact.value, 2), 0.73);
    assert_eq!(gradient(&exact).iter().map(|g| rounded(*g, 2)).collect::<Vec<_>>(), [-0.20, 0.39, -0.39, -0.59, 0.20]);
    // Rounding every intermediate to two digits, as by hand, turns 0.39 into 0.40.
    let by_hand = table("sigmoid(w0*x0 + w1*x1 + w2)", "w0=2,x0=-1,w1=-3,x1=-2,w2=-3", Some(2), Mode::Reverse);
    assert_eq!(by_hand.value, 0.73);
    assert_eq!(gradient(&by_hand), [-0.2, 0.4, -0.4, -0.6, 0.2]);
}

#[test]
fn fan_out_contributions_are_listed_and_summed() {
    let r = table("x*y + x", "x=3,y=2", None, Mode::Reverse);
    let x = r.rows.iter().find(|row| row.name == "x").unwrap();
    assert_eq!(x.contributions.iter().map(|c| c.1).collect::<Vec<_>>(), [1.0, 2.0]);
    assert_eq!(x.adjoint, 3.0);
    assert!(r.render_text().contains("1 + 2 = 3"));
}

#[test]
fn forward_mode_counts_passes() {
    let r = table("(x + y)*z", "x=-2,y=5,z=-4", None, Mode::Forward);
    assert_eq!(r.reverse_cost.passes, 2);
    assert_eq!(r.forward_cost.passes, 3);
    assert!(r.forward_cost.operations > r.reverse_cost.operations);
}

#[test]
fn table_snapshots() {
    let mut all = String::new();
    for (expression, at, digits) in [
        ("(x + y)*z", "x=-2,y=5,z=-4", None),
        ("sigmoid(w0*x0 + w1*x1 + w2)", "w0=2,x0=-1,w1=-3,x1=-2,w2=-3", Some(2)),
        ("z = w*x + b; a = sigmoid(z); L = (a - y)^2/2", "w=0.5,x=1.5,b=-0.25,y=1", None),
    ] {
        all.push_str(&format!(
            "$ backprop grad \"{expression}\" --at {at}\n{}\n",
            table(expression, at, digits, Mode::Reverse).render_text()
        ));
    }
    all.push_str(&table("x*y + x", "x=3,y=2", None, Mode::Forward).render_text());
    insta::assert_snapshot!("grad_tables", all);
}

#[test]
fn steps_snapshots_and_last_step_is_the_answer() {
    let mut text = String::new();
    let mut latex = String::new();
    for (expression, wrt) in [
        ("sigmoid(w*x + b)", "w"),
        ("z = w*x + b; a = sigmoid(z); L = (a - y)^2/2", "w"),
        ("x*y + x", "x"),
        ("-(y*log(sigmoid(z)) + (1-y)*log(1-sigmoid(z)))", "z"),
        ("tanh(w*x)^2", "w"),
    ] {
        let out = run(&["derive", expression, "--wrt", wrt, "--steps"], "");
        let shown = String::from_utf8(out.stdout).unwrap();
        let plain = run(&["derive", expression, "--wrt", wrt], "");
        let answer = String::from_utf8(plain.stdout).unwrap();
        let answer_line = answer.lines().last().unwrap();
        assert!(shown.contains(&format!("answers:\n{answer_line}\n")), "{expression}: steps end elsewhere:\n{shown}");
        text.push_str(&format!("$ backprop derive \"{expression}\" --wrt {wrt} --steps\n{shown}\n"));
        let out = run(&["derive", expression, "--wrt", wrt, "--steps", "--format", "latex"], "");
        latex.push_str(&format!("% {expression}\n{}\n", String::from_utf8(out.stdout).unwrap()));
    }
    insta::assert_snapshot!("steps_text", text);
    insta::assert_snapshot!("steps_latex", latex);
}

fn picture(expression: &str, at: Option<&str>, format: PictureFormat) -> String {
    let request = GraphRequest {
        expression: expression.into(),
        source_name: "expression".into(),
        at: at.map(Into::into),
        format,
        lang: Default::default(),
    };
    graph(&request).unwrap().render()
}

/// Every text element lies inside the SVG's view box.
fn assert_labels_inside(svg: &str) {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let root = doc.root_element();
    let view: Vec<f64> = root.attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
    let texts: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("text")).collect();
    assert!(!texts.is_empty());
    for t in texts {
        let x: f64 = t.attribute("x").unwrap().parse().unwrap();
        let y: f64 = t.attribute("y").unwrap().parse().unwrap();
        assert!(x >= view[0] && x <= view[0] + view[2], "x = {x} outside {view:?}");
        assert!(y >= view[1] && y <= view[1] + view[3], "y = {y} outside {view:?}");
    }
}

#[test]
fn svg_is_well_formed_deterministic_and_in_bounds() {
    let svg = picture("(x + y)*z", Some("x=-2,y=5,z=-4"), PictureFormat::Svg);
    assert_labels_inside(&svg);
    assert_eq!(svg, picture("(x + y)*z", Some("x=-2,y=5,z=-4"), PictureFormat::Svg));
    for (value, colour) in [("−12", "#1a7f37"), ("3", "#c62828")] {
        assert!(
            svg.contains(&format!("fill=\"{colour}\" font-weight=\"normal\">{value}</text>")),
            "{value} in {colour}"
        );
    }
    insta::assert_snapshot!("circuit_svg", svg);
    // A larger graph (about 30 nodes) stays well-formed and in bounds.
    let big = "z1 = w1*x1 + w2*x2 + b1; z2 = w3*x1 + w4*x2 + b2; h1 = sigmoid(z1); h2 = tanh(z2); o = v1*h1 + v2*h2 + c; L = (o - y)^2/2";
    assert_labels_inside(&picture(
        big,
        Some("w1=0.1,x1=1,w2=-0.2,x2=2,b1=0,w3=0.3,w4=0.4,b2=0.1,v1=1,v2=-1,c=0,y=1"),
        PictureFormat::Svg,
    ));
    // The text of an expression reaches the SVG escaped: an Iverson bracket's `>` is `&gt;`.
    let bracket = picture("[x < y]*x", Some("x=1,y=2"), PictureFormat::Svg);
    assert!(bracket.contains("[y &gt; x]"), "{bracket}");
    assert!(!bracket.contains("[y > x]"), "{bracket}");
}

#[test]
fn dot_output() {
    insta::assert_snapshot!(
        "circuit_dot",
        picture("z = w*x + b; a = sigmoid(z); L = (a - y)^2/2", Some("w=0.5,x=1.5,b=-0.25,y=1"), PictureFormat::Dot)
    );
}

#[test]
fn bad_flags_are_reported() {
    let cases: &[(&[&str], &str)] = &[
        (&["grad", "x*y", "--at", "x=1,y=2", "--digits", "0"], "--digits must be between 1 and 15, not 0"),
        (&["grad", "x*y", "--at", "x=1,y=2", "--digits", "16"], "--digits must be between 1 and 15, not 16"),
        (&["grad", "x*y", "--at", "x=1,y=2", "--digits", "two"], "invalid value 'two'"),
        (&["grad", "x*y", "--at", "x=1,y=2", "--mode", "sideways"], "invalid value 'sideways'"),
        (&["grad", "x*y"], "--at <V=X,…>"),
        (&["grad", "x*y", "--at", "x=1"], "--at gives no value for the variable y"),
        (&["grad", "log(x)", "--at", "x=0"], "takes the log of 0"),
        (&["graph", "x*y", "-o", "/nonexistent-dir/out.svg"], "cannot write `/nonexistent-dir/out.svg`"),
        (&["graph", "x*y", "--format", "png"], "invalid value 'png'"),
        (&["graph", "x*", "--at", "x=1"], "unexpected end of input"),
        (&["derive", "x*y", "--steps", "--wrt", "q"], "`q` is not a variable"),
    ];
    for (args, message) in cases {
        let out = run(args, "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}:\n{stderr}");
        assert!(stderr.contains(message), "{args:?}: expected {message:?} in\n{stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

/// The partials are built before `--steps` builds the other adjoints, so asking for the steps
/// never changes an answer (the steps build their nodes after the partials are printed forms).
#[test]
fn the_steps_never_change_the_partials() {
    use backprop_engine::commands::derive::{DeriveRequest, derive};
    for expression in [
        "sigmoid(w*x + b)",
        "z = w*x + b; a = sigmoid(z); L = -(y*log(a) + (1 - y)*log(1 - a))",
        "(v1*sigmoid(w1_1*x1 + w1_2*x2 + b1) + v2*sigmoid(w2_1*x1 + w2_2*x2 + b2) + c - y)^2",
        "exp(sin(x)*y)/(1 + x^2)",
        "p1 = exp(a)/(exp(a) + exp(b)); L = -log(p1)",
        "x^3/3 + x*x + 1/x - sqrt(x)^2",
        "relu(w*x)*tanh(w*x) + max(w, x)",
    ] {
        let request = |steps| DeriveRequest {
            expression: expression.into(),
            source_name: "expression".into(),
            steps,
            ..DeriveRequest::default()
        };
        let texts = |steps| {
            let report = derive(&request(steps)).unwrap();
            let shared: Vec<String> = report.shared.iter().map(|d| d.text.clone()).collect();
            (report.partials.iter().map(|p| p.text.clone()).collect::<Vec<_>>(), shared)
        };
        assert_eq!(texts(true), texts(false), "{expression}");
    }
}
