//! The named values of a block's report: what its `expect` claims check and what the prose
//! around it interpolates (`{{E}}`), so that a number in a sentence is the number the tool
//! computed. Names are as the tool prints them: `E`, `∂f/∂x` (or `df/dx`), `dE/dW1[0][1]`,
//! `held-out accuracy`, `loss at epoch 3`, `final sgd α = 0.05`.

use backprop_engine::commands::run::Report;
use backprop_engine::net::model::Tensor;

/// Every element of a tensor by its index: `W1[0][1]`, `b1[0]`.
fn elements(name: &str, tensor: &Tensor) -> Vec<(String, f64)> {
    match tensor {
        Tensor::Matrix(m) => m.indexed_iter().map(|((i, j), v)| (format!("{name}[{i}][{j}]"), *v)).collect(),
        Tensor::Vector(v) => v.iter().enumerate().map(|(i, v)| (format!("{name}[{i}]"), *v)).collect(),
    }
}

/// The named values a report holds: an output, partials, a loss, accuracies, parameters.
pub fn values(report: &Report) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    match report {
        Report::Derive(r) => {
            if let Some(point) = r.points.first() {
                out.extend(point.at.iter().map(|a| (a.name.clone(), a.value)));
                out.push((r.output_name.clone(), point.value));
                for (p, v) in r.partials.iter().zip(&point.partials) {
                    out.push((format!("∂{}/∂{}", r.output_name, p.wrt), v.value));
                    out.push((format!("d{}/d{}", r.output_name, p.wrt), v.value));
                }
            }
        }
        Report::Grad(tables) => {
            for t in tables.iter().take(1) {
                out.extend(t.at.iter().map(|a| (a.name.clone(), a.value)));
                out.push((t.output_name.clone(), t.value));
                for row in &t.rows {
                    out.push((format!("value of {}", row.name), row.value));
                    out.push((format!("adjoint of {}", row.name), row.adjoint));
                }
                for (name, g) in &t.gradient {
                    out.push((format!("∂{}/∂{name}", t.output_name), *g));
                    out.push((format!("d{}/d{name}", t.output_name), *g));
                }
                // The costs: reverse mode n + 2c operations, forward mode p·(n + c), for n nodes
                // and c crossed edges; so one evaluation of f is n = 2F/p − R.
                let (r, f) = (t.reverse_cost, t.forward_cost);
                let reverse = r.operations as f64;
                let forward = f.operations as f64;
                let evaluation = 2.0 * forward / f.passes.max(1) as f64 - reverse;
                out.push(("evaluation operations".into(), evaluation));
                out.push(("reverse operations".into(), reverse));
                out.push(("forward-mode operations".into(), forward));
                out.push(("forward-mode passes".into(), f.passes as f64));
                out.push(("variables".into(), t.gradient.len() as f64));
                out.push(("reverse cost ratio".into(), reverse / evaluation));
                out.push(("forward-mode cost ratio".into(), forward / reverse));
                // Central differences: two evaluations per variable.
                out.push(("difference evaluations".into(), 2.0 * t.gradient.len() as f64));
                out.push(("difference operations".into(), 2.0 * t.gradient.len() as f64 * evaluation));
            }
        }
        Report::NetDescribe(r) => out.push(("parameters".into(), r.description.total as f64)),
        Report::NetGrad(r) => {
            out.push(("E".into(), r.loss));
            for (name, g) in r.names.iter().zip(&r.gradients) {
                for (element, v) in elements(name, g) {
                    out.push((format!("dE/d{element}"), v));
                    out.push((format!("∂E/∂{element}"), v));
                }
            }
            // The hand calculation's columns, unit by unit: `∂E/∂out of h1`, `net of o1`.
            for layer in r.table.iter().flat_map(|t| &t.layers) {
                for u in &layer.units {
                    out.push((format!("∂E/∂out of {}", u.name), u.de_dout));
                    out.push((format!("net of {}", u.name), u.net));
                    out.push((format!("out of {}", u.name), u.out));
                }
                for w in &layer.weights {
                    if let Some(updated) = w.updated {
                        out.push((format!("updated {}", w.name), updated));
                    }
                }
            }
            // Each layer's z, a and δ for the first sample: `z2[0]`, `a1[1]`, `δ2[0]`.
            for (l, [z, a, d]) in r.layers.iter().enumerate() {
                for (symbol, m) in [("z", z), ("a", a), ("δ", d)] {
                    for (j, v) in m.row(0).iter().enumerate() {
                        out.push((format!("{symbol}{}[{j}]", l + 1), *v));
                    }
                }
            }
        }
        Report::Plot(plot) => {
            for run in &plot.runs {
                if let Some(a) = run.accuracy {
                    out.push((format!("{} accuracy", run.name), a));
                }
                if let Some(v) = run.values.last() {
                    out.push((format!("final {}", run.name), *v));
                }
                // Where a descent ends: `end x of momentum α = 0.02`.
                if let Some((x, y)) = run.path.last() {
                    out.push((format!("end x of {}", run.name), *x));
                    out.push((format!("end y of {}", run.name), *y));
                }
            }
        }
        Report::NetStep(r) => {
            out.push(("loss before".into(), r.loss_before));
            out.push(("loss after".into(), r.loss_after));
            for (name, p) in r.network.names.iter().zip(&r.network.params) {
                out.extend(elements(name, p));
            }
        }
        Report::NetTrain(r) => {
            if let Some(e) = r.epochs.last() {
                out.push(("loss".into(), e.loss));
                out.push(("training samples".into(), e.samples as f64));
                out.push(("epochs".into(), e.epoch as f64));
                if let Some(a) = e.accuracy {
                    out.push(("accuracy".into(), a));
                }
            }
            for e in &r.epochs {
                out.push((format!("loss at epoch {}", e.epoch), e.loss));
                if let Some(a) = e.accuracy {
                    out.push((format!("accuracy at epoch {}", e.epoch), a));
                }
                for (l, n) in e.gradient_norms.iter().enumerate() {
                    out.push((format!("layer {} gradient at epoch {}", l + 1, e.epoch), *n));
                }
            }
            if let Some(norms) =
                r.epochs.iter().map(|e| e.gradient_norms.iter().copied().fold(0.0, f64::max)).reduce(f64::max)
            {
                out.push(("largest gradient norm".into(), norms));
            }
            if let Some(a) = r.test_accuracy {
                out.push(("held-out accuracy".into(), a));
            }
            // With --grad-norms: how much smaller the first layer's gradient is than the last's,
            // in the first epoch (vanishing gradients), or larger (exploding ones).
            if let Some(norms) = r.epochs.first().map(|e| &e.gradient_norms).filter(|n| n.len() >= 2) {
                let (first, last) = (norms[0], norms[norms.len() - 1]);
                out.push(("first-layer gradient".into(), first));
                out.push(("last-layer gradient".into(), last));
                out.push(("vanishing ratio".into(), last / first));
            }
            for (name, p) in r.network.names.iter().zip(&r.network.params) {
                out.extend(elements(name, p));
            }
        }
        _ => {}
    }
    out
}

/// The formulas a report prints, by name: `∂L/∂w` → `(a − y)·a·(1 − a)·x`. An `expect` line may
/// claim one (`expect ∂L/∂b = (a − y)·a·(1 − a)`), so a sentence about what the derivation
/// shows is checked.
pub fn texts(report: &Report) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Report::Derive(r) = report {
        for p in &r.partials {
            out.push((format!("∂{}/∂{}", r.output_name, p.wrt), p.text.clone()));
            out.push((format!("d{}/d{}", r.output_name, p.wrt), p.text.clone()));
        }
    }
    out
}
