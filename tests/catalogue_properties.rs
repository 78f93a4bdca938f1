//! The mistakes of the third round of trust, made on random small functions and networks, are
//! each diagnosed as that mistake — as numbers and as expressions. The wrong answers are
//! computed here, by the formulas a student would misapply, not by the tool; cases where two
//! stories give numbers too close to tell apart are rejected (`prop_assume!`), never passed.

use crate::properties::property;
use backprop::files::FileSystem;
use backprop_engine::commands::check::{SheetInput, check};
use backprop_engine::exercise::Outcome;
use proptest::prelude::*;

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// (verdict, diagnosis) of each check of a sheet, judged in-process (files in `dir`).
fn judged(sheet: &str, dir: &str) -> Vec<(Outcome, Option<String>)> {
    let input = SheetInput { name: "p".into(), text: sheet.into(), base: dir.into() };
    let report = check(vec![input], false, backprop_engine::lang::Lang::En, &FileSystem);
    let checks = report.sheets[0].exercises.iter().flat_map(|e| &e.checks);
    checks.map(|c| (c.outcome.clone(), c.mistake.as_ref().map(|m| m.english()))).collect()
}

/// Whether every pair of values (and each against the right one) is far enough apart to tell.
fn distinct(right: f64, values: &[f64]) -> bool {
    let far = |a: f64, b: f64| (a - b).abs() > 2e-3 * a.abs().max(b.abs()).max(1e-3);
    values.iter().all(|&v| far(v, right))
        && values.iter().enumerate().all(|(i, &a)| values[i + 1..].iter().all(|&b| far(a, b)))
}

fn six(x: f64) -> String {
    format!("{:.5e}", x)
}

/// Checks each (answer, expected diagnosis) of a sheet's tail and asserts the names.
fn assert_named(head: &str, target: &str, cases: &[(String, &str)]) -> Result<(), TestCaseError> {
    let mut sheet = head.to_string();
    for (answer, _) in cases {
        sheet.push_str(&format!("check {target} = {answer}\n"));
    }
    let got = judged(&sheet, ".");
    for ((answer, name), (outcome, diagnosis)) in cases.iter().zip(&got) {
        prop_assert_eq!(outcome, &Outcome::Wrong, "{} = {}\n{}", target, answer, sheet);
        prop_assert_eq!(diagnosis.as_deref(), Some(*name), "{} = {}\n{}", target, answer, sheet);
    }
    Ok(())
}

#[test]
fn tanh_derivative_mistakes_are_named_as_numbers_and_expressions() {
    let point = (-1.5..1.5f64, -2.0..2.0f64, -1.0..1.0f64, -1.0..1.0f64);
    property("tanh unit: each form of tanh′ named", 100, point, |(w, x, b, y)| {
        let z = w * x + b;
        let h = z.tanh();
        // L = (h − y)²/2: ∂L/∂z = (h − y)·(1 − h²).
        let right = (h - y) * (1.0 - h * h);
        let numbers = [
            ("tanh′ written as 1 − tanh (not squared)", (h - y) * (1.0 - h)),
            ("tanh′ taken at the wrong node", (h - y) * (1.0 - h.tanh().powi(2))),
            ("tanh′ written with the pre-activation", (h - y) * (1.0 - z * z)),
            ("tanh′ forgotten", h - y),
        ];
        let values: Vec<f64> = numbers.iter().map(|m| m.1).collect();
        prop_assume!(right.abs() > 1e-3 && (h - y).abs() > 1e-2 && z.abs() > 0.05);
        prop_assume!(
            distinct(right, &values) && values.iter().all(|v| distinct(*v, &[-right, right / 2.0, 2.0 * right]))
        );
        let head = format!(
            "exercise \"tanh\"\nz = w*x + b\nh = tanh(z)\nL = (h - y)^2/2\nat w = {w}, x = {x}, b = {b}, y = {y}\n"
        );
        let mut cases: Vec<(String, &str)> = numbers.iter().map(|(n, v)| (six(*v), *n)).collect();
        cases.push(("(h - y)*(1 - h)".into(), "tanh′ written as 1 − tanh (not squared)"));
        cases.push(("(h - y)*(1 - tanh(h)^2)".into(), "tanh′ taken at the wrong node"));
        cases.push(("(h - y)*(1 - z^2)".into(), "tanh′ written with the pre-activation"));
        cases.push(("h - y".into(), "tanh′ forgotten"));
        assert_named(&head, "dL/dz", &cases)
    });
}

#[test]
fn sigmoid_at_the_wrong_node_is_named_in_expressions() {
    let point = (-1.5..1.5f64, -2.0..2.0f64, -1.0..1.0f64, 0.0..1.0f64);
    property("sigmoid unit: σ′ at the wrong node, as an expression", 60, point, |(w, x, b, y)| {
        let (z, a) = (w * x + b, sigmoid(w * x + b));
        let s = |u: f64| sigmoid(u) * (1.0 - sigmoid(u));
        let right = (a - y) * a * (1.0 - a) * x;
        prop_assume!(right.abs() > 1e-3 && distinct(right, &[(a - y) * s(a) * x, (a - y) * z * (1.0 - z) * x]));
        let head = format!(
            "exercise \"unit\"\nz = w*x + b\na = sigmoid(z)\nL = (a - y)^2/2\nat w = {w}, x = {x}, b = {b}, y = {y}\n"
        );
        let cases = [
            ("(a - y)*sigmoid(a)*(1 - sigmoid(a))*x".to_string(), "σ′ taken at the wrong node"),
            ("(a - y)*z*(1 - z)*x".to_string(), "σ′ written with the pre-activation"),
        ];
        assert_named(&head, "dL/dw", &cases)
    });
}

#[test]
fn fan_out_through_tanh_without_its_derivative_is_named() {
    property("fan-out through tanh: tanh′ forgotten", 80, (-1.5..1.5f64, -1.5..1.5f64), |(w, x)| {
        // L = a·x with a = tanh(w·x): ∂L/∂x = a + x·w·(1 − a²); without tanh′, a + x·w.
        let a = (w * x).tanh();
        let right = a + x * w * (1.0 - a * a);
        let forgot = a + x * w;
        prop_assume!((w * x).abs() > 0.1 && distinct(right, &[forgot, -right, a, x * w * (1.0 - a * a)]));
        let head = format!("exercise \"fan\"\na = tanh(w*x)\nL = a*x\nat w = {w}, x = {x}\n");
        assert_named(&head, "dL/dx", &[(six(forgot), "tanh′ forgotten"), ("a + x*w".into(), "tanh′ forgotten")])
    });
}

#[test]
fn a_mean_loss_without_its_two_over_n_is_named() {
    let case = (3..6usize, proptest::collection::vec((-1.0..1.0f64, -1.0..1.0f64), 5));
    property("mean squared error: the 2/n dropped", 60, case, |(n, pairs)| {
        let (p, y) = pairs[0];
        let right = 2.0 / n as f64 * (p - y);
        prop_assume!((p - y).abs() > 1e-2);
        let terms: Vec<String> = (1..=n).map(|k| format!("(p{k} - y{k})^2")).collect();
        let at: Vec<String> =
            (1..=n).map(|k| format!("p{k} = {}, y{k} = {}", pairs[k - 1].0, pairs[k - 1].1)).collect();
        let head = format!("exercise \"mean\"\nL = ({})/{n}\nat {}\n", terms.join(" + "), at.join(", "));
        let name = match n {
            3 => "dropped constant factor ⅔",
            4 => "dropped constant factor ½",
            _ => "dropped constant factor 2/5",
        };
        let _ = right;
        assert_named(&head, "dL/dp1", &[(six(p - y), name), ("p1 - y1".into(), name)])
    });
}

#[test]
fn batch_norm_with_the_variance_held_constant_is_named() {
    let xs = (-2.0..2.0f64, -2.0..2.0f64, -2.0..2.0f64);
    property("batch norm: the variance treated as a constant", 60, xs, |(x1, x2, x3)| {
        let mu = (x1 + x2 + x3) / 3.0;
        let v = ((x1 - mu).powi(2) + (x2 - mu).powi(2) + (x3 - mu).powi(2)) / 3.0;
        let s = (v + 0.1).sqrt();
        // h = (x1 − μ)/s: ∂h/∂x1 = (2/3)/s − (x1 − μ)·(∂v/∂x1)/(2·s³), with ∂v/∂x1 = (2/3)(x1 − μ).
        let right = (2.0 / 3.0) / s - (x1 - mu) * (2.0 / 3.0) * (x1 - mu) / (2.0 * s.powi(3));
        let constant_variance = (2.0 / 3.0) / s;
        prop_assume!(v > 0.05 && distinct(right, &[constant_variance, -right]));
        let head = format!(
            "exercise \"bn\"\nmu = (x1 + x2 + x3)/3\nv = ((x1 - mu)^2 + (x2 - mu)^2 + (x3 - mu)^2)/3\nh = (x1 - mu)/sqrt(v + 0.1)\nat x1 = {x1}, x2 = {x2}, x3 = {x3}\n"
        );
        assert_named(&head, "dh/dx1", &[(six(constant_variance), "treated v as a constant")])
    });
}

#[test]
fn relu_at_its_kink_is_named_with_the_convention() {
    property("relu at its kink: relu′(0) = 1", 40, (0.2..2.0f64, 0.2..2.0f64, 1.5..4.0f64), |(w, x, c)| {
        // f = c·relu(w·x + b) with b = −w·x: z = 0; this tool's ∂f/∂w = c·0·x = 0.
        let b = -w * x;
        prop_assume!((w * x + b) == 0.0);
        let head = format!("exercise \"kink\"\nz = w*x + b\nf = {c}*relu(z)\nat w = {w}, x = {x}, b = {b}\n");
        assert_named(&head, "df/dw", &[(six(c * x), "relu′ at the kink")])
    });
}

#[test]
fn a_softmax_answered_with_p_is_named() {
    property("softmax with cross-entropy: p instead of p − y", 60, (-2.0..2.0f64, -2.0..2.0f64), |(s1, s2)| {
        let p1 = s1.exp() / (s1.exp() + s2.exp());
        prop_assume!(distinct(p1 - 1.0, &[p1, 1.0 - p1]));
        let head = format!(
            "exercise \"softmax\"\np1 = exp(s1)/(exp(s1) + exp(s2))\np2 = exp(s2)/(exp(s1) + exp(s2))\nL = -(y1*log(p1) + y2*log(p2))\nat s1 = {s1}, s2 = {s2}, y1 = 1, y2 = 0\n"
        );
        assert_named(&head, "dL/ds1", &[(six(p1), "δ = p instead of p − y")])?;
        let right = judged(&format!("{head}check dL/ds1 = p1 - y1\ncheck dL/ds1 = {}\n", six(p1 - 1.0)), ".");
        prop_assert_eq!(right, vec![(Outcome::Right, None), (Outcome::Right, None)]);
        Ok(())
    });
}

#[test]
fn transposed_weights_are_named_in_function_exercises() {
    let w = || -0.9..0.9f64;
    property(
        "a layer written out: transposed weight indices",
        60,
        ([w(), w(), w(), w()], -1.0..1.0f64, -1.0..1.0f64),
        |(ws, x1, x2)| {
            let [w11, w12, w21, w22] = ws;
            let (a1, a2) = (sigmoid(w11 * x1 + w12 * x2), sigmoid(w21 * x1 + w22 * x2));
            let (t1, t2) = (0.0, 1.0);
            let (d1, d2) = ((a1 - t1) * a1 * (1.0 - a1), (a2 - t2) * a2 * (1.0 - a2));
            // ∂L/∂W12 = δ1·x2; with the indices swapped, ∂L/∂W21 = δ2·x1.
            let (right, swapped) = (d1 * x2, d2 * x1);
            prop_assume!(right.abs() > 1e-3 && distinct(right, &[swapped, -right, d1 * x1, d2 * x2]));
            let head = format!(
                "exercise \"layer\"\nz1 = W11*x1 + W12*x2\nz2 = W21*x1 + W22*x2\na1 = sigmoid(z1)\na2 = sigmoid(z2)\nL = ((a1 - t1)^2 + (a2 - t2)^2)/2\nat W11 = {w11}, W12 = {w12}, W21 = {w21}, W22 = {w22}, x1 = {x1}, x2 = {x2}, t1 = {t1}, t2 = {t2}\n"
            );
            let cases = [
                (six(swapped), "transposed weight index"),
                ("(a2 - t2)*a2*(1 - a2)*x1".into(), "transposed weight index"),
            ];
            assert_named(&head, "dL/dW12", &cases)
        },
    );
}
