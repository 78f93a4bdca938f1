//! Published worked examples, asserted to their published digits.

use crate::common::{derive_ok, partial, value};

/// Rounds to `digits` decimals, as the publications print.
fn rounded(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

#[test]
fn cs231n_circuit_x_plus_y_times_z() {
    // CS231n "Backpropagation, Intuitions": f = (x + y)·z at x = −2, y = 5, z = −4.
    let r = derive_ok("(x + y)*z", None, Some("x=-2,y=5,z=-4"));
    assert_eq!(value(&r), Some(-12.0));
    assert_eq!([partial(&r, "x"), partial(&r, "y"), partial(&r, "z")], [-4.0, -4.0, 3.0]);
}

#[test]
fn micrograd_readme_expression() {
    // karpathy/micrograd README: g.data = 24.7041, a.grad = 138.8338, b.grad = 645.5773.
    let program = "
        c1 = a + b
        d1 = a*b + b^3
        c2 = c1 + c1 + 1
        c3 = c2 + 1 + c2 + (-a)
        d2 = d1 + d1*2 + relu(b + a)
        d3 = d2 + 3*d2 + relu(b - a)
        e = c3 - d3
        f = e^2
        g1 = f/2
        g = g1 + 10/f";
    let r = derive_ok(program, None, Some("a=-4,b=2"));
    assert_eq!(rounded(value(&r).unwrap(), 4), 24.7041);
    assert_eq!(rounded(partial(&r, "a"), 4), 138.8338);
    assert_eq!(rounded(partial(&r, "b"), 4), 645.5773);
}

#[test]
fn cs231n_sigmoid_neuron() {
    // CS231n: w = [2, −3, −3], x = [−1, −2]: f = 0.73, dx = [0.39, −0.59], dw = [−0.20, −0.39, 0.20].
    let r = derive_ok("sigmoid(w0*x0 + w1*x1 + w2)", None, Some("w0=2,x0=-1,w1=-3,x1=-2,w2=-3"));
    assert_eq!(rounded(value(&r).unwrap(), 2), 0.73);
    let got: Vec<f64> = ["x0", "x1", "w0", "w1", "w2"].iter().map(|v| rounded(partial(&r, v), 2)).collect();
    assert_eq!(got, [0.39, -0.59, -0.20, -0.39, 0.20]);
}

#[test]
fn cs231n_gate_patterns() {
    // CS231n: 2·(x·y + max(z, w)) at x = 3, y = −4, z = 2, w = −1 gives −8, 6, 2, 0.
    let r = derive_ok("2*(x*y + max(z, w))", None, Some("x=3,y=-4,z=2,w=-1"));
    assert_eq!(["x", "y", "z", "w"].map(|v| partial(&r, v)), [-8.0, 6.0, 2.0, 0.0]);
}

#[test]
fn olah_computational_graph() {
    // colah.github.io "Calculus on Computational Graphs": e = (a + b)·(b + 1) at a = 2, b = 1.
    let r = derive_ok("(a + b)*(b + 1)", None, Some("a=2,b=1"));
    assert_eq!(value(&r), Some(6.0));
    assert_eq!([partial(&r, "a"), partial(&r, "b")], [2.0, 5.0]);
}

#[test]
fn spec_json_example() {
    // SPEC.md: sigmoid(w*x+b) at w = 0.5, x = 1.5, b = −0.25.
    let r = derive_ok("sigmoid(w*x+b)", None, Some("w=0.5,x=1.5,b=-0.25"));
    assert_eq!(value(&r), Some(0.6224593312018546));
    assert_eq!(rounded(partial(&r, "w"), 10), 0.3525055683);
    assert_eq!(rounded(partial(&r, "x"), 10), 0.1175018561);
    assert_eq!(rounded(partial(&r, "b"), 10), 0.2350037122);
}

#[test]
fn every_value_agrees_three_ways() {
    // Symbolic partial evaluated = numeric reverse pass = central difference.
    let r = derive_ok("z = w*x+b; a = sigmoid(z); L = (a-y)^2/2", None, Some("w=0.3,x=-1.2,b=0.1,y=1"));
    for (p, values) in r.partials.iter().zip(&r.points[0].partials) {
        let (v, rev, fd) = (values.value, values.reverse_mode, values.finite_difference.clone().unwrap());
        assert!((v - rev).abs() <= 1e-14, "{}: {v} vs {rev}", p.wrt);
        assert!(backprop_engine::numeric::agrees(v, fd), "{}: {v} vs {fd:?}", p.wrt);
    }
}
