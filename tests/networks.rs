//! Networks: the published worked example, parameter counts, gradient checks on every layer
//! type, activation and loss, optimizers, training that works, and bad network files.

use crate::common::run;
use backprop::files::FileSystem;
use backprop_engine::commands::net::{NetRequest, net_describe, net_grad, net_step, net_train};
use backprop_engine::net::model::Tensor;

fn request(text: &str) -> NetRequest {
    NetRequest { text: text.to_string(), source_name: "test.net".into(), base: "examples/networks".to_string() }
}

fn example(name: &str) -> NetRequest {
    let mut r = request(&std::fs::read_to_string(format!("examples/networks/{name}")).unwrap());
    r.source_name = name.into();
    r
}

fn rounded(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

fn matrix(t: &Tensor) -> Vec<Vec<f64>> {
    match t {
        Tensor::Matrix(m) => m.rows().into_iter().map(|r| r.to_vec()).collect(),
        Tensor::Vector(v) => vec![v.to_vec()],
    }
}

#[test]
fn mazur_worked_example() {
    // "A Step by Step Backpropagation Example": total error 0.298371109, ∂E/∂w5 = 0.082167041,
    // w5⁺ = 0.35891648, w1⁺ = 0.149780716.
    let r = net_grad(&example("two-layer.net"), true, &FileSystem).unwrap();
    assert_eq!(rounded(r.loss, 9), 0.298371109);
    assert_eq!(rounded(matrix(&r.gradients[2])[0][0], 9), 0.082167041);
    assert!(r.finite_differences.max_relative_error < 1e-6);
    assert!(r.unrolled.unwrap().max_abs_error < 1e-12);
    let table = r.table.unwrap();
    let text = table.render_text(Default::default());
    assert!(text.contains("0.3589164797"), "{text}");
    assert!(text.contains("0.1497807161"), "{text}");
    // Mazur's hidden-unit sum: ∂E/∂out_h1 = w5·δ_o1 + w7·δ_o2 = 0.036350306.
    let h1 = &table.layers[1].units[0];
    assert_eq!(rounded(h1.de_dout, 9), 0.036350306);
    assert_eq!(h1.de_dout_terms.iter().map(|t| t.1).collect::<Vec<_>>(), [0.4, 0.5]);
    assert_eq!(rounded(h1.de_dout_terms[0].2, 9), 0.138498562);
    assert_eq!(rounded(h1.de_dout_terms[1].2, 9), -0.038098237);
    let step = net_step(&example("two-layer.net"), &FileSystem).unwrap();
    assert_eq!(rounded(matrix(&step.network.params[2])[0][0], 8), 0.35891648);
    assert_eq!(rounded(matrix(&step.network.params[0])[0][0], 9), 0.149780716);
    assert_eq!(matrix(&step.network.params[1]), [[0.35, 0.35]], "frozen biases stay");
    // SPEC.md: with the biases updated too, the loss after one step is 0.280471447.
    let free = std::fs::read_to_string("examples/networks/two-layer.net").unwrap().replace(" freeze b1, b2", "");
    assert_eq!(rounded(net_step(&request(&free), &FileSystem).unwrap().loss_after, 9), 0.280471447);
}

#[test]
fn keras_model_has_101770_parameters() {
    let d = net_describe(&example("keras-784.net"), Default::default()).unwrap();
    assert_eq!(d.description.total, 101_770);
    assert!(d.render_text().contains("784·128 + 128 = 100,480"));
    let json = d.to_json();
    assert_eq!(json["total_parameters"], 101_770);
}

#[test]
fn delta_equations_are_specialised() {
    let text = net_describe(&example("two-layer.net"), Default::default()).unwrap().render_text();
    assert!(text.contains("δ² = (a² − t) ⊙ a² ⊙ (1 − a²)"), "{text}");
    assert!(text.contains("δ¹ = (W²)ᵀ δ² ⊙ a¹ ⊙ (1 − a¹)"), "{text}");
    assert!(text.contains("∂E/∂W² = δ² (a¹)ᵀ"), "{text}");
    let text = net_describe(&example("digits.net"), Default::default()).unwrap().render_text();
    assert!(text.contains("δ² = p − t"), "{text}");
    assert!(text.contains("δ¹ = (W²)ᵀ δ² ⊙ [z¹ > 0]"), "{text}");
}

/// A small network with the given hidden layer lines and output/loss, on fixed data.
fn small(hidden: &str, output: &str, loss: &str, data: &str) -> String {
    format!("input 3\n{hidden}\n{output}\nloss {loss}\n{data}\ninit xavier seed 3\ntrain sgd lr 0.1 batch 4 l2 0.01\n")
}

#[test]
fn gradient_checks_on_every_layer_type_activation_and_loss() {
    let regression = "data x = [0.5, -1, 2] target = [0.2, 0.7]\ndata x = [1, 0.3, -0.4] target = [0.9, 0.1]\ndata x = [-0.6, 0.8, 0.1] target = [0.4, 0.6]\ndata x = [0.2, 0.2, -1.5] target = [0.3, 0.5]";
    let classes = "data x = [0.5, -1, 2] target = 0\ndata x = [1, 0.3, -0.4] target = 1\ndata x = [-0.6, 0.8, 0.1] target = 1\ndata x = [0.2, 0.2, -1.5] target = 0";
    let binary = "data x = [0.5, -1, 2] target = [1]\ndata x = [1, 0.3, -0.4] target = [0]\ndata x = [-0.6, 0.8, 0.1] target = [1]\ndata x = [0.2, 0.2, -1.5] target = [0]";
    let mut cases = Vec::new();
    for act in ["linear", "sigmoid", "tanh", "relu", "softmax"] {
        for (loss, output, data) in [
            ("mse", "dense 2 sigmoid", regression),
            ("half_sse", "dense 2 tanh", regression),
            ("bce", "dense 1 sigmoid", binary),
            ("cross_entropy", "dense 2 softmax", classes),
            ("hinge", "dense 1 linear", binary),
        ] {
            cases.push(small(&format!("dense 4 {act}"), output, loss, data));
        }
    }
    cases.push(small("dense 4 tanh\nbatchnorm", "dense 2 softmax", "cross_entropy", classes));
    cases.push(small("dense 3 relu\nresidual\ndense 3 tanh\nresidual", "dense 2 linear", "mse", regression));
    cases.push(small("dense 4 sigmoid\ndropout 0.5", "dense 2 sigmoid", "half_sse", regression));
    cases.push(
        small("dense 4 relu", "dense 2 linear", "mse", regression).replace("input 3\n", "input 3\ndropout 0.2\n"),
    );
    cases.push(small(
        "dense 4 sigmoid\nbatchnorm\ndense 3 relu\nbatchnorm",
        "dense 2 softmax",
        "cross_entropy",
        classes,
    ));
    for text in &cases {
        let r = net_grad(&request(text), false, &FileSystem).unwrap_or_else(|e| panic!("{text}\n{e}"));
        assert!(r.finite_differences.max_relative_error < 1e-6, "{text}\nrelative error {:?}", r.finite_differences);
        if let Some(u) = r.unrolled {
            assert!(u.max_relative_error < 1e-9, "{text}\nunrolled relative error {}", u.max_relative_error);
        } else {
            assert!(text.contains("batchnorm") || text.contains("dropout"), "{text} was not unrolled");
        }
    }
}

#[test]
fn optimizers_do_what_their_formulas_say() {
    // One weight, one sample, linear output, half_sse: E = ½(w·1 − 2)², g = w − 2 = −2 at w = 0.
    let net = |train: &str| {
        format!(
            "input 1\ndense 1 linear W = [[0]] b = [0]\nloss half_sse\ndata x = [1] target = [2]\ntrain {train} freeze b1\n"
        )
    };
    let w_after = |train: &str| matrix(&net_step(&request(&net(train)), &FileSystem).unwrap().network.params[0])[0][0];
    assert_eq!(w_after("sgd lr 0.1"), 0.2);
    assert_eq!(w_after("momentum lr 0.1 momentum 0.9"), 0.2);
    assert!((w_after("nesterov lr 0.1 momentum 0.9") - 0.38).abs() < 1e-12);
    // Adam's first step is lr·sign(g) (bias-corrected moments); RMSProp's is lr·g/√(0.1·g²).
    assert!((w_after("adam lr 0.1") - 0.1).abs() < 1e-6);
    assert!((w_after("rmsprop lr 0.1") - 0.1 / 0.1f64.sqrt()).abs() < 1e-6);
    // Clipping to norm 0.5 scales g = −2 down to −0.5.
    assert!((w_after("sgd lr 0.1 clip 0.5") - 0.05).abs() < 1e-12);
}

/// Every view that shows an update shows `net step`'s: the hand table's updated weights are
/// the step's, bit for bit, for every optimizer, with a batch, L2, clipping and a frozen layer.
#[test]
fn the_hand_table_updates_as_net_step_does() {
    use backprop_engine::net::spec::Optimizer;
    for optimizer in Optimizer::NAMES {
        for extra in ["batch 1", "batch 2", "batch 2 l2 0.01 clip 0.1", "batch 1 freeze W1"] {
            let text = format!(
                "input 2\ndense 2 sigmoid W = [[0.15, 0.20], [0.25, 0.30]] b = [0.35, 0.35]\n\
                 dense 2 sigmoid W = [[0.40, 0.45], [0.50, 0.55]] b = [0.60, 0.60]\nloss half_sse\n\
                 data x = [0.05, 0.10] target = [0.01, 0.99]\ndata x = [0.3, -0.2] target = [1, 0]\n\
                 train {optimizer} lr 0.5 {extra}\n"
            );
            let grad = net_grad(&request(&text), true, &FileSystem).unwrap();
            let step = net_step(&request(&text), &FileSystem).unwrap();
            let table = grad.table.expect("a table");
            let mut rows = 0;
            for layer in &table.layers {
                for w in &layer.weights {
                    let (name, index) = w.name.split_once('[').unwrap();
                    let [i, j]: [usize; 2] = index
                        .trim_end_matches(']')
                        .split("][")
                        .map(|k| k.parse().unwrap())
                        .collect::<Vec<_>>()
                        .try_into()
                        .unwrap();
                    let p = step.network.names.iter().position(|n| n == name).unwrap();
                    let stepped = matrix(&step.network.params[p])[i][j];
                    match w.updated {
                        Some(updated) => {
                            assert_eq!(updated.to_bits(), stepped.to_bits(), "{optimizer} {extra}: {}", w.name)
                        }
                        None => assert!(extra.contains("freeze W1") && name == "W1" && stepped == w.value),
                    }
                    rows += 1;
                }
            }
            assert_eq!(rows, 8, "{optimizer} {extra}");
        }
    }
    // The case, against Adam's first step worked by hand: m̂ = g and v̂ = g², so each
    // weight moves by α·g/(|g| + ε) ≈ α against its gradient: W2[0][0] = 0.4 − 0.5 = −0.1.
    let mut adam = example("two-layer.net");
    adam.text = adam.text.replace("train sgd lr 0.5", "train adam lr 0.5");
    let table = net_grad(&adam, true, &FileSystem).unwrap();
    let text = table.render_text();
    assert!(text.contains("updated (adam, α = 0.5)"), "{text}");
    let row = &table.table.as_ref().unwrap().layers[0].weights[0];
    assert_eq!(row.name, "W2[0][0]");
    assert!((row.updated.unwrap() - (0.4 - 0.5)).abs() < 1e-7, "{row:?}");
}

#[test]
fn l2_adds_lambda_w_to_weight_gradients_only() {
    let text = |l2: &str| {
        format!(
            "input 2\ndense 1 linear W = [[0.5, -1]] b = [0.3]\nloss mse\ndata x = [1, 2] target = [0]\ntrain sgd lr 0.1 {l2}\n"
        )
    };
    let plain = net_grad(&request(&text("")), false, &FileSystem).unwrap();
    let with = net_grad(&request(&text("l2 0.1")), false, &FileSystem).unwrap();
    let (g0, g1) = (matrix(&plain.gradients[0])[0].clone(), matrix(&with.gradients[0])[0].clone());
    assert!((g1[0] - g0[0] - 0.05).abs() < 1e-12 && (g1[1] - g0[1] + 0.1).abs() < 1e-12);
    assert_eq!(matrix(&plain.gradients[1]), matrix(&with.gradients[1]));
    assert!((with.loss - plain.loss - 0.1 / 2.0 * 1.25).abs() < 1e-12);
}

#[test]
fn training_works_on_real_and_toy_data() {
    // Two of the digits network's 40 epochs: it learns from the first (the accuracy after all
    // 40 is a benchmark's figure, `cargo bench --bench net_speed`, not a debug test's).
    let mut digits = example("digits.net");
    digits.text = digits.text.replace("epochs 40", "epochs 2");
    let digits = net_train(&digits, false, &FileSystem).unwrap();
    let accuracy = digits.test_accuracy.unwrap();
    assert!(accuracy >= 0.85, "held-out accuracy after 2 epochs: {accuracy}");
    assert_eq!(digits.epochs.len(), 2);
    assert_eq!(digits.epochs[0].samples, 1437);
    assert!(digits.epochs[1].loss < digits.epochs[0].loss);
    let moons = net_train(&example("moons.net"), false, &FileSystem).unwrap();
    assert_eq!(moons.epochs.last().unwrap().accuracy, Some(1.0));
    assert!(moons.test_accuracy.is_none());
    // Training is deterministic: the same file gives the same losses.
    let again = net_train(&example("moons.net"), false, &FileSystem).unwrap();
    assert_eq!(
        moons.epochs.iter().map(|e| e.loss).collect::<Vec<_>>(),
        again.epochs.iter().map(|e| e.loss).collect::<Vec<_>>()
    );
}

#[test]
fn divergence_is_reported_with_where_it_happened() {
    let text =
        "input 1\ndense 1 linear\nloss mse\ndata linear 50 noise 0.1 seed 1\ntrain sgd lr 100 epochs 50 batch 10\n";
    let r = net_train(&request(text), false, &FileSystem).unwrap();
    let d = r.diverged.clone().expect("a learning rate of 100 diverges");
    assert!(d.epoch >= 1 && d.step >= 1, "{d:?}");
    assert!(r.render_text().contains("stopped being a number"));
}

#[test]
fn gradient_norms_per_layer_are_logged() {
    let text = "input 2\ndense 8 sigmoid\ndense 8 sigmoid\ndense 8 sigmoid\ndense 1 sigmoid\nloss bce\ndata xor\ntrain sgd lr 0.5 epochs 3\n";
    let r = net_train(&request(text), true, &FileSystem).unwrap();
    let norms = &r.epochs[0].gradient_norms;
    assert_eq!(norms.len(), 4);
    // Vanishing gradients: sigmoid layers further from the output get smaller gradients.
    assert!(norms[0] < norms[3], "{norms:?}");
    assert!(r.to_json()["epochs"][0]["gradient_norms"].is_array());
}

#[test]
fn bad_network_files() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "input 2\ndense 2 sigmoid W = [[1, 2, 3], [4, 5, 6]]\nloss mse\n",
            "W1 of layer 1 (dense 2 sigmoid) must be 2×2, found 2×3",
            "test.net:2:21",
        ),
        ("input 2\ndense 2 sigmod\nloss mse\n", "unknown activation `sigmod`", "test.net:2:9"),
        ("input 2\ndense 2 sigmoid\nloss msee\n", "unknown loss `msee`", "test.net:3:6"),
        (
            "input 2\ndense 2 sigmoid\nloss cross_entropy\n",
            "cross_entropy needs a softmax output layer",
            "test.net:3:1",
        ),
        (
            "input 2\ndense 1 sigmoid\nloss mse\ndata x = [1, 2, 3] target = [1]\n",
            "this sample has 3 inputs but the network takes 2",
            "test.net:4:1",
        ),
        (
            "input 2\ndense 1 sigmoid\nloss mse\ndata digits\n",
            "this data has 64 inputs per sample but the network takes 2",
            "test.net:4:1",
        ),
        (
            "input 2\ndense 2 sigmoid\ndense 2 softmax\nloss cross_entropy\ndata x = [1, 2] target = 5\n",
            "class 5 is out of range",
            "test.net:5:1",
        ),
        ("dense 2 sigmoid\n", "`dense` before `input`", "test.net:1:1"),
        ("input 2\ndense 3 relu\nresidual\nloss mse\n", "sizes 2 and 3 differ", "test.net:3:1"),
        ("input 2\ndense 2 relu\ndense 1 linear\ndropout 0.5\nloss mse\n", "dropout after the output layer", ""),
        ("input 2\ndense 1 linear\nloss mse\ntrain sgd lr 0.1 freeze W9\n", "cannot freeze `W9`", "test.net:4:1"),
        ("input 2\ndense 1 linear\nloss mse\ntrain sgdd lr 0.1\n", "unknown optimizer `sgdd`", "test.net:4:7"),
        ("input 2\ndense 1 linear\nloss mse\ntrain sgd speed 3\n", "unknown option `speed`", "test.net:4:11"),
        (
            "input 2\ndense 1 linear W = [[1, 2]] b = [1, 2]\nloss mse\n",
            "b1 of layer 1 must have 1 values, found 2",
            "test.net:2:33",
        ),
        ("input 2\ndense 1 linear\n", "the network has no `loss` line", ""),
        ("input 2\ndense 1 linear\nloss mse\ndropout 1.5\n", "dropout probability must be in [0, 1)", "test.net:4:9"),
        ("input 2\ndense 1 linear\nloss mse\n&\n", "unexpected `&`", "test.net:4:1"),
    ];
    for (text, message, location) in cases {
        let path = std::env::temp_dir().join(format!("backprop-bad-{}.net", std::process::id()));
        std::fs::write(&path, text).unwrap();
        let e = net_describe(&request(text), Default::default())
            .err()
            .or_else(|| net_grad(&request(text), false, &FileSystem).err());
        let e = e.unwrap_or_else(|| panic!("{text}: accepted"));
        let shown = e.to_string();
        assert!(shown.contains(message), "{text}: expected {message:?} in\n{shown}");
        assert!(shown.contains(location), "{text}: expected {location:?} in\n{shown}");
        let out = run(&["net", path.to_str().unwrap(), "grad"], "");
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        std::fs::remove_file(&path).unwrap();
    }
    // A CSV with a bad cell: row and column, pointing into the CSV file.
    let out = run(&["net", "tests/data/networks/bad-csv.net", "grad"], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("row 3, column 2: `oops` is not a number"), "{stderr}");
    assert!(stderr.contains("bad.csv:3:5"), "{stderr}");
    let out = run(&["net", "/nonexistent.net", "describe"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read `/nonexistent.net`"));
    let out = run(&["net", "examples/networks/keras-784.net", "grad"], "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("the network has no `data` line"));
}

#[test]
fn cli_json_interfaces() {
    let out = run(&["net", "examples/networks/two-layer.net", "grad", "--format", "json"], "");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rounded(v["loss"].as_f64().unwrap(), 9), 0.298371109);
    assert_eq!(rounded(v["gradients"]["W2"][0][0].as_f64().unwrap(), 9), 0.082167041);
    assert!(v["gradcheck"]["max_abs_error"].as_f64().unwrap() < 1e-9);
    let out = run(&["net", "examples/networks/moons.net", "train", "--format", "json"], "");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["epochs"].as_array().unwrap().len(), 100);
    assert_eq!(v["epochs"][0]["samples"], 100);
    // The terminal has a clock: every epoch's wall time is measured (and takes some time).
    assert!(v["epochs"].as_array().unwrap().iter().all(|e| e["seconds"].as_f64().is_some_and(|s| s > 0.0)));
    assert_eq!(v["test_accuracy"], serde_json::Value::Null);
    assert!(v["parameters"]["W3"].is_array());
    let svg = std::env::temp_dir().join(format!("backprop-loss-{}.svg", std::process::id()));
    let out = run(&["net", "examples/networks/moons.net", "train", "--plot", svg.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&svg).unwrap();
    roxmltree::Document::parse(&text).expect("the loss curve is well-formed SVG");
    std::fs::remove_file(&svg).unwrap();
}
