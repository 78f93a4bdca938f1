//! Each catalogued mistake, made on random small functions and networks, is diagnosed as that
//! mistake. The wrong answers are computed here, by the formulas a student would misapply —
//! not by the tool — and written with six significant digits; cases where two mistakes give
//! numbers too close to tell apart are rejected (`prop_assume!`), not passed.

use crate::properties::property;
use backprop::files::FileSystem;
use backprop_engine::commands::check::{SheetInput, check};
use proptest::prelude::*;

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The diagnosis of each check of a sheet (sheets judged in-process; files in `dir`).
fn diagnoses(sheet: &str, dir: &str) -> Vec<Option<String>> {
    let input = SheetInput { name: "p".into(), text: sheet.into(), base: dir.into() };
    let report = check(vec![input], false, backprop_engine::lang::Lang::En, &FileSystem);
    report.sheets[0].exercises.iter().flat_map(|e| &e.checks).map(|c| c.mistake.as_ref().map(|m| m.english())).collect()
}

/// Whether every pair of values (and each against the right one) is far enough apart to tell.
fn distinct(right: f64, values: &[f64]) -> bool {
    let far = |a: f64, b: f64| (a - b).abs() > 1e-3 * a.abs().max(b.abs()).max(1e-3);
    values.iter().all(|&v| far(v, right))
        && values.iter().enumerate().all(|(i, &a)| values[i + 1..].iter().all(|&b| far(a, b)))
}

fn six(x: f64) -> String {
    format!("{:.5e}", x)
}

#[test]
fn sigmoid_unit_mistakes_are_named() {
    let point = (-2.0..2.0f64, -2.0..2.0f64, -1.0..1.0f64, -1.0..2.0f64);
    property("sigmoid unit: each mistake named", 120, point, |(w, x, b, y)| {
        let z = w * x + b;
        let a = sigmoid(z);
        let s = |u: f64| sigmoid(u) * (1.0 - sigmoid(u));
        let right = (a - y) * a * (1.0 - a) * x;
        let mistakes = [
            ("σ′ forgotten", (a - y) * x),
            ("σ′ written with the pre-activation", (a - y) * z * (1.0 - z) * x),
            ("σ′ written as σ(z)(1 − z)", (a - y) * a * (1.0 - z) * x),
            ("σ′ taken at the wrong node", (a - y) * s(a) * x),
            ("used z where a was needed", (z - y) * a * (1.0 - a) * x),
            ("sign flip", -right),
            ("dropped constant factor 2", right / 2.0),
            ("dropped constant factor ½", right * 2.0),
        ];
        let values: Vec<f64> = mistakes.iter().map(|m| m.1).collect();
        prop_assume!(right.abs() > 1e-3 && distinct(right, &values));
        // Other stories the tool knows must not give the same digits (x = 0.5 makes dropping
        // the chain factor x the same number as dropping the ½).
        let others = [right / x, (a - y) * a * (1.0 - a)];
        prop_assume!(values.iter().all(|v| others.iter().all(|o| distinct(*v, &[*o]))));
        let mut sheet = format!(
            "exercise \"unit\"\nz = w*x + b\na = sigmoid(z)\nL = (a - y)^2/2\nat w = {w}, x = {x}, b = {b}, y = {y}\n"
        );
        for (_, value) in &mistakes {
            sheet.push_str(&format!("check dL/dw = {}\n", six(*value)));
        }
        let got = diagnoses(&sheet, ".");
        for ((name, value), diagnosis) in mistakes.iter().zip(&got) {
            prop_assert_eq!(
                diagnosis.as_deref(),
                Some(*name),
                "{} = {} at w={} x={} b={} y={}",
                name,
                value,
                w,
                x,
                b,
                y
            );
        }
        Ok(())
    });
}

#[test]
fn forgotten_paths_are_named() {
    let functions = prop_oneof![Just("exp"), Just("sin"), Just("sigmoid"), Just("tanh")];
    property("fan-out: each forgotten path named", 120, (functions, -1.5..1.5f64), |(g, x)| {
        let (gx, dg) = match g {
            "exp" => (x.exp(), x.exp()),
            "sin" => (x.sin(), x.cos()),
            "sigmoid" => (sigmoid(x), sigmoid(x) * (1.0 - sigmoid(x))),
            _ => (x.tanh(), 1.0 - x.tanh().powi(2)),
        };
        // f = x·g(x): ∂f/∂x = g(x) (the direct path) + x·g′(x) (the path through g).
        let right = gx + x * dg;
        let through_g = if g == "sigmoid" { "σ(x)".to_string() } else { format!("{g}(x)") };
        let mistakes =
            [("forgotten path through f".to_string(), x * dg), (format!("forgotten path through {through_g}"), gx)];
        let values: Vec<f64> = mistakes.iter().map(|m| m.1).collect();
        // Near x = 0, g(x) ≈ 1 + x·g′(x) for exp: other stories give the same digits.
        prop_assume!(x.abs() > 0.05);
        prop_assume!(distinct(right, &values) && values.iter().all(|v| v.abs() > 1e-3) && distinct(right, &[-right]));
        prop_assume!(values.iter().all(|v| distinct(*v, &[-right, right / 2.0, right * 2.0])));
        let mut sheet = format!("exercise \"paths\"\nf = x*{g}(x)\nat x = {x}\n");
        for (_, value) in &mistakes {
            sheet.push_str(&format!("check df/dx = {}\n", six(*value)));
        }
        let got = diagnoses(&sheet, ".");
        for ((name, value), diagnosis) in mistakes.iter().zip(&got) {
            prop_assert_eq!(
                diagnosis.as_deref(),
                Some(name.as_str()),
                "{} = {} for g = {} at x = {}",
                name,
                value,
                g,
                x
            );
        }
        Ok(())
    });
}

/// A 2-2-2 sigmoid network with half the squared error, as the network language writes it,
/// and its forward and backward pass done here with plain arrays.
#[derive(Debug)]
struct Net {
    w1: [[f64; 2]; 2],
    b1: [f64; 2],
    w2: [[f64; 2]; 2],
    b2: [f64; 2],
    x: [f64; 2],
    t: [f64; 2],
}

impl Net {
    fn text(&self) -> String {
        let m = |w: &[[f64; 2]; 2]| format!("[[{}, {}], [{}, {}]]", w[0][0], w[0][1], w[1][0], w[1][1]);
        let v = |b: &[f64; 2]| format!("[{}, {}]", b[0], b[1]);
        format!(
            "input 2\ndense 2 sigmoid W = {} b = {}\ndense 2 sigmoid W = {} b = {}\nloss half_sse\ndata x = {} target = {}\ntrain sgd lr 0.5\n",
            m(&self.w1),
            v(&self.b1),
            m(&self.w2),
            v(&self.b2),
            v(&self.x),
            v(&self.t)
        )
    }

    /// (z1, a1, z2, a2)
    fn forward(&self) -> ([f64; 2], [f64; 2], [f64; 2], [f64; 2]) {
        let layer = |w: &[[f64; 2]; 2], b: &[f64; 2], input: &[f64; 2]| {
            let z = [w[0][0] * input[0] + w[0][1] * input[1] + b[0], w[1][0] * input[0] + w[1][1] * input[1] + b[1]];
            (z, [sigmoid(z[0]), sigmoid(z[1])])
        };
        let (z1, a1) = layer(&self.w1, &self.b1, &self.x);
        let (z2, a2) = layer(&self.w2, &self.b2, &a1);
        (z1, a1, z2, a2)
    }
}

fn weights() -> impl Strategy<Value = Net> {
    // Weights away from ±1, where dropping a weight factor is a sign flip.
    let w = || [[-0.9..0.9f64, -0.9..0.9f64], [-0.9..0.9f64, -0.9..0.9f64]];
    let v = || [-1.0..1.0f64, -1.0..1.0f64];
    (w(), v(), w(), v(), v(), [0.0..1.0f64, 0.0..1.0f64]).prop_map(|(w1, b1, w2, b2, x, t)| Net {
        w1,
        b1,
        w2,
        b2,
        x,
        t,
    })
}

/// A target, its right value, and the mistakes made on it with their values.
type Check = (String, f64, Vec<(&'static str, f64)>);

#[test]
fn network_mistakes_are_named() {
    let dir = std::env::temp_dir().join(format!("backprop-mistakes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    property("networks: each mistake named", 60, (weights(), 0..2usize, 0..2usize), |(net, i, j)| {
        let (z1, a1, z2, a2) = net.forward();
        let d2: Vec<f64> = (0..2).map(|k| (a2[k] - net.t[k]) * a2[k] * (1.0 - a2[k])).collect();
        let back: Vec<f64> = (0..2).map(|k| net.w2[0][k] * d2[0] + net.w2[1][k] * d2[1]).collect();
        let d1: Vec<f64> = (0..2).map(|k| back[k] * a1[k] * (1.0 - a1[k])).collect();
        let grad_w2 = |r: usize, c: usize| d2[r] * a1[c];
        // (target, right value, [(mistake, wrong value)])
        // Wᵀ forgotten going back: Σₖ W2[i][k]·δ2[k] instead of Σₖ W2[k][i]·δ2[k].
        let transposed = (net.w2[i][0] * d2[0] + net.w2[i][1] * d2[1]) * a1[i] * (1.0 - a1[i]);
        // z1 carried forward where a1 was needed: z2 = W2·z1 + b2.
        let z2_from_z1 = net.w2[i][0] * z1[0] + net.w2[i][1] * z1[1] + net.b2[i];
        let checks: Vec<Check> = vec![
            (
                format!("δ1[{i}]"),
                d1[i],
                vec![("σ′ forgotten", back[i]), ("sign flip", -d1[i]), ("transposed weight index", transposed)],
            ),
            (format!("z2[{i}]"), z2[i], vec![("used z1 where a1 was needed", z2_from_z1)]),
            (
                format!("δ2[{i}]"),
                d2[i],
                vec![
                    ("used z2[{i}] where a2[{i}] was needed", (z2[i] - net.t[i]) * a2[i] * (1.0 - a2[i])),
                    ("σ′ written with the pre-activation", (a2[i] - net.t[i]) * z2[i] * (1.0 - z2[i])),
                    ("σ′ forgotten", a2[i] - net.t[i]),
                ],
            ),
            (
                format!("dE/dW2[{i}][{j}]"),
                grad_w2(i, j),
                vec![("transposed weight index", grad_w2(j, i)), ("sign flip", -grad_w2(i, j))],
            ),
        ];
        let mut sheet = String::from("exercise \"network\"\nnetwork \"net.net\"\n");
        let mut expected = Vec::new();
        for (target, right, mistakes) in &checks {
            let values: Vec<f64> = mistakes.iter().map(|m| m.1).collect();
            // A square W2 that is symmetric enough hides the transposition.
            let swapped = (target.starts_with("dE") && i == j) || (net.w2[0][1] - net.w2[1][0]).abs() < 0.05;
            prop_assume!(right.abs() > 1e-4 && distinct(*right, &values) && !swapped);
            prop_assume!(values.iter().all(|v| distinct(*v, &[-right, right / 2.0, right * 2.0]) || *v == -right));
            for (name, value) in mistakes {
                sheet.push_str(&format!("check {target} = {}\n", six(*value)));
                expected.push(name.replace("{i}", &i.to_string()));
            }
        }
        std::fs::write(dir.join("net.net"), net.text()).unwrap();
        let got = diagnoses(&sheet, dir.to_str().unwrap());
        for (name, diagnosis) in expected.iter().zip(&got) {
            prop_assert_eq!(diagnosis.as_deref(), Some(name.as_str()), "{}\n{}", sheet, net.text());
        }
        Ok(())
    });
}
