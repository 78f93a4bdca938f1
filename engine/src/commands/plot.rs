//! `plot`: a function with its derivative, and gradient-descent paths over a loss surface.

use crate::error::{Error, Result, both};
use crate::format::{ascii, format_number, format_significant, thousands};
use crate::graph::NodeId;
use crate::graph::build::Function;
use crate::lang::Lang;
use crate::net::spec::{Optimizer, TrainSpec};
use crate::net::train::step_values;
use crate::numeric;
use crate::numeric::point::parse_at;
use crate::plot::{Series, line_chart, surface_with_paths};
use crate::print::{Printer, Style};
use crate::said::picture::PictureWords;
use crate::symbolic::diff::gradient;

/// A plot, and the runs it draws as data: what the book's claims are checked against.
pub struct PlotReport {
    pub svg: String,
    pub runs: Vec<Run>,
}

/// One curve or path of a plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// As the legend names it: `sgd α = 0.05`, a network file.
    pub name: String,
    /// The objective along the run: f at each step of a descent, the loss per epoch.
    pub values: Vec<f64>,
    /// A descent's points.
    pub path: Vec<(f64, f64)>,
    /// The run stopped because its values ran away.
    pub diverged: bool,
    /// A classifier's final accuracy on its training data.
    pub accuracy: Option<f64>,
}

impl Run {
    fn named(name: String) -> Run {
        Run { name, values: Vec::new(), path: Vec::new(), diverged: false, accuracy: None }
    }
}

fn no_data() -> Error {
    Error::new(both("the network has no `data` line", "网络缺少 `data` 行"))
}

fn parse(expression: &str, source: &str) -> Result<Function> {
    Function::parse(expression).map_err(|e| e.in_source(source, expression))
}

/// The most points `plot descent` draws, over all its paths (10 paths of 10,000 steps).
pub const MAX_DESCENT_POINTS: usize = 100_010;

/// The largest formula a legend or title writes out, in printed operations.
const LEGEND_FORMULA: usize = 40;

/// f and ∂f/∂x over [from, to], for a function of one variable.
pub fn plot_function(expression: &str, source: &str, from: f64, to: f64, lang: Lang) -> Result<PlotReport> {
    if from >= to || !from.is_finite() || !to.is_finite() {
        let (from, to) = (ascii(&format_number(from)), ascii(&format_number(to)));
        return Err(Error::new(both(
            format!("--from must be below --to, got {from} and {to}"),
            format!("--from 必须小于 --to，这里是 {from} 和 {to}"),
        )));
    }
    if !(to - from).is_finite() {
        let (from, to) = (ascii(&format_number(from)), ascii(&format_number(to)));
        return Err(Error::new(both(
            format!("--from {from} --to {to} is too wide a range to plot (its width overflows)"),
            format!("--from {from} --to {to} 的范围太宽，无法作图（宽度溢出）"),
        )));
    }
    let mut f = parse(expression, source)?;
    let [(name, x)] = f.variables.as_slice() else {
        let names: Vec<&str> = f.variables.iter().map(|v| v.0.as_str()).collect();
        let (count, list) = (names.len(), names.join(", "));
        return Err(Error::new(both(
            format!("plot function needs one variable; this expression has {count}: {list}"),
            format!("plot function 需要只含一个变量的表达式；这个表达式有 {count} 个：{list}"),
        )));
    };
    let (name, x) = (name.clone(), *x);
    let grad = gradient(&mut f.graph, f.output, &[x]);
    let derivative = grad.partials[0];
    // The legend shows each formula when it is short enough to read there.
    let printer = Printer::new(&f.graph);
    let f_label = match printer.size(f.graph.definition(f.output)) <= LEGEND_FORMULA {
        true => format!("{} = {}", f.output_name, printer.definition(f.output, Style::Text)),
        false => f.output_name.clone(),
    };
    let d_label = match printer.text_within(derivative, LEGEND_FORMULA) {
        Some(text) => format!("∂{}/∂{name} = {text}", f.output_name),
        None => format!("∂{}/∂{name}", f.output_name),
    };
    let mut values = Series { name: f_label, points: Vec::new() };
    let mut slopes = Series { name: d_label, points: Vec::new() };
    for i in 0..=400 {
        let v = from + (to - from) * i as f64 / 400.0;
        let at = [(x, v)];
        if let Ok(vals) = numeric::evaluate(&f.graph, &[f.output, derivative], &at) {
            values.points.push((v, vals[f.output]));
            slopes.points.push((v, vals[derivative]));
        }
    }
    let title = PictureWords::FunctionAndDerivative { output: f.output_name.clone() }.to(lang);
    let svg = line_chart(&title, &name, "", &[values.clone(), slopes], false);
    let run = Run { values: values.points.iter().map(|p| p.1).collect(), ..Run::named(values.name) };
    Ok(PlotReport { svg, runs: vec![run] })
}

/// Paths of gradient descent on a function of two variables, one per (optimizer, rate).
pub fn plot_descent(
    expression: &str,
    source: &str,
    start: &str,
    runs: &[(Optimizer, f64)],
    steps: usize,
) -> Result<PlotReport> {
    let mut f = parse(expression, source)?;
    if f.variables.len() != 2 {
        let count = f.variables.len();
        return Err(Error::new(both(
            format!("plot descent needs two variables; this expression has {count}"),
            format!("plot descent 需要含两个变量的表达式；这个表达式有 {count} 个"),
        )));
    }
    // Paths × points bound the work and the picture (each point is drawn): checked before any
    // step is taken.
    let points = runs.len().saturating_mul(steps + 1);
    if points > MAX_DESCENT_POINTS {
        let (most, paths, each, all) =
            (thousands(MAX_DESCENT_POINTS), thousands(runs.len()), thousands(steps + 1), thousands(points));
        return Err(Error::new(both(
            format!("plot descent draws at most {most} points; {paths} paths × {each} points each is {all}"),
            format!("plot descent 至多画 {most} 个点；{paths} 条路径 × 每条 {each} 个点，共 {all} 个"),
        ))
        .with_label(both(
            "give fewer --lr values, fewer --optimizer names or fewer --steps",
            "请减少 --lr 的取值个数或 --optimizer 的个数，或减小 --steps",
        )));
    }
    let point = parse_at(&f, start)?;
    let vars: Vec<NodeId> = f.variables.iter().map(|v| v.1).collect();
    // A path has run away when it leaves the start's neighbourhood by a thousandfold.
    let reach = point.iter().map(|a| a.value.abs()).fold(1.0f64, f64::max) * 2.0;
    let runaway = (reach * 1e3).max(1e6);
    let grad = gradient(&mut f.graph, f.output, &vars);
    let graph = &f.graph;
    let mut paths = Vec::new();
    let mut data = Vec::new();
    for &(optimizer, lr) in runs {
        let spec = TrainSpec { optimizer, learning_rate: lr, ..TrainSpec::default() };
        let mut p: Vec<f64> = point.iter().map(|a| a.value).collect();
        let (mut first, mut second) = (vec![0.0; 2], vec![0.0; 2]);
        let mut series = Series { name: format!("{} α = {lr}", optimizer.name()), points: vec![(p[0], p[1])] };
        let mut run = Run::named(series.name.clone());
        for t in 1..=steps {
            let at: Vec<(NodeId, f64)> = vars.iter().copied().zip(p.iter().copied()).collect();
            let Ok(values) = numeric::evaluate(graph, &grad.partials, &at) else { break };
            let g: Vec<f64> = grad.partials.iter().map(|d| values[*d]).collect();
            step_values(&spec, t as u64, &mut p, &g, &mut first, &mut second);
            if !p.iter().all(|v| v.is_finite() && v.abs() < runaway) {
                series.name.push_str(" (diverges)");
                run.diverged = true;
                break;
            }
            series.points.push((p[0], p[1]));
        }
        run.path = series.points.clone();
        run.values = run
            .path
            .iter()
            .map(|&(x, y)| {
                let at = [(vars[0], x), (vars[1], y)];
                numeric::evaluate(graph, &[f.output], &at).map_or(f64::NAN, |v| v[f.output])
            })
            .collect();
        data.push(run);
        paths.push(series);
    }
    // The surface around the start and the paths near it; a diverging path leaves the frame.
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for &(x, y) in paths.iter().flat_map(|s| s.points.iter()).filter(|p| p.0.abs() <= reach && p.1.abs() <= reach) {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    // Halves first: near ±1.8e308 a sum or a width would overflow.
    let span = (x1 / 2.0 - x0 / 2.0).max(y1 / 2.0 - y0 / 2.0).max(0.5) * 1.2;
    let (cx, cy) = (x0 / 2.0 + x1 / 2.0, y0 / 2.0 + y1 / 2.0);
    let limit = |v: f64| v.clamp(-f64::MAX, f64::MAX);
    let (xr, yr) = ((limit(cx - span), limit(cx + span)), (limit(cy - span), limit(cy + span)));
    let n = 70;
    let cells: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    let at = [
                        (vars[0], xr.0 + (j as f64 + 0.5) * (xr.1 - xr.0) / n as f64),
                        (vars[1], yr.0 + (i as f64 + 0.5) * (yr.1 - yr.0) / n as f64),
                    ];
                    numeric::evaluate(graph, &[f.output], &at).map(|v| v[f.output]).unwrap_or(f64::NAN)
                })
                .collect()
        })
        .collect();
    let printer = Printer::new(graph);
    let title = match printer.size(graph.definition(f.output)) <= LEGEND_FORMULA {
        true => format!("{} = {}", f.output_name, printer.definition(f.output, Style::Text)),
        false => f.output_name.clone(),
    };
    let axes = (f.variables[0].0.as_str(), f.variables[1].0.as_str());
    Ok(PlotReport { svg: surface_with_paths(&title, xr, yr, axes, &cells, &paths), runs: data })
}

/// Every (optimizer, learning rate) pair, with the optimizer names checked.
pub fn descent_runs(optimizers: &[String], rates: &[f64]) -> Result<Vec<(Optimizer, f64)>> {
    let mut runs = Vec::new();
    for name in optimizers {
        let o = Optimizer::from_name(name.trim()).ok_or_else(|| {
            let list = Optimizer::NAMES.join(", ");
            Error::new(both(format!("unknown optimizer `{name}`"), format!("未知的优化器 `{name}`")))
                .with_label(both(format!("optimizers: {list}"), format!("可用的优化器：{list}")))
        })?;
        for &lr in rates {
            if !(lr > 0.0 && lr.is_finite()) {
                return Err(Error::new(both(
                    format!("a learning rate must be positive, not {lr}"),
                    format!("学习率必须是正数，而不是 {lr}"),
                )));
            }
            runs.push((o, lr));
        }
    }
    Ok(runs)
}

/// What `plot training` draws for each network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainingMetric {
    /// The loss per epoch (log scale).
    Loss,
    /// Each layer's mean gradient norm in the first epoch, against the layer's depth (log scale).
    GradientNorms,
}

/// Trains each network and plots one series per network.
pub fn plot_training(
    networks: &[(String, crate::commands::net::NetRequest)],
    metric: TrainingMetric,
    lang: Lang,
    host: &dyn crate::host::Host,
) -> Result<PlotReport> {
    let mut series = Vec::new();
    let mut runs = Vec::new();
    for (label, request) in networks {
        let report = crate::commands::net::net_train(request, true, host)?;
        let points: Vec<(f64, f64)> = match metric {
            TrainingMetric::Loss => report.epochs.iter().map(|e| (e.epoch as f64, e.loss)).collect(),
            TrainingMetric::GradientNorms => report
                .epochs
                .first()
                .map(|e| e.gradient_norms.iter().enumerate().map(|(l, n)| ((l + 1) as f64, *n)).collect())
                .unwrap_or_default(),
        };
        // Each curve is named by its network, as the file names it, not by the file's path.
        let label = if report.name.is_empty() { label.clone() } else { report.name.clone() };
        let name = match &report.diverged {
            Some(d) => PictureWords::DivergedAt { name: label.clone(), epoch: d.epoch }.to(lang),
            None => label.clone(),
        };
        runs.push(Run {
            values: points.iter().map(|p: &(f64, f64)| p.1).collect(),
            diverged: report.diverged.is_some(),
            accuracy: report.epochs.last().and_then(|e| e.accuracy),
            ..Run::named(label.clone())
        });
        series.push(Series { name, points });
    }
    let svg = match metric {
        TrainingMetric::Loss => line_chart(
            &PictureWords::LossPerEpoch.to(lang),
            &PictureWords::Epoch.to(lang),
            &PictureWords::Loss.to(lang),
            &series,
            true,
        ),
        TrainingMetric::GradientNorms => {
            line_chart(&PictureWords::NormsTitle.to(lang), &PictureWords::LayerAxis.to(lang), "‖∂E/∂W‖", &series, true)
        }
    };
    Ok(PlotReport { svg, runs })
}

/// Trains a network on 2-D data with one output and draws its decision regions.
pub fn plot_boundary(
    request: &crate::commands::net::NetRequest,
    lang: Lang,
    host: &dyn crate::host::Host,
) -> Result<PlotReport> {
    use crate::net::model::Pass;
    let mut loaded = crate::net::load::load_network(request, host)?;
    let data = loaded.data.clone().ok_or_else(no_data)?;
    crate::commands::net::check_first_batch(request, &loaded)?;
    if data.x.ncols() != 2 || loaded.network.layers.last().map_or(0, |l| l.units) > 2 {
        return Err(Error::new(both(
            "plot boundary needs a network with 2 inputs and 1 or 2 outputs",
            "plot boundary 需要有 2 个输入、1 或 2 个输出的网络",
        )));
    }
    let spec = loaded.spec.train.clone();
    let outcome = crate::net::trainer::train(&mut loaded.network, &data, &spec, host);
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for row in data.x.rows() {
        (x0, x1, y0, y1) = (x0.min(row[0]), x1.max(row[0]), y0.min(row[1]), y1.max(row[1]));
    }
    let (px, py) = ((x1 - x0) * 0.1 + 0.1, (y1 - y0) * 0.1 + 0.1);
    let (xr, yr) = ((x0 - px, x1 + px), (y0 - py, y1 + py));
    let n = 80;
    let grid = ndarray::Array2::from_shape_fn((n * n, 2), |(k, c)| {
        let (i, j) = (k / n, k % n);
        if c == 0 {
            xr.0 + (j as f64 + 0.5) * (xr.1 - xr.0) / n as f64
        } else {
            yr.0 + (i as f64 + 0.5) * (yr.1 - yr.0) / n as f64
        }
    });
    let output = loaded.network.forward(&grid, Pass::Evaluate).output;
    let hinge = loaded.spec.loss == crate::net::spec::Loss::Hinge;
    let probability = |k: usize| -> f64 {
        match output.ncols() {
            2 => output[[k, 1]],
            _ if hinge => 1.0 / (1.0 + crate::math::exp(-3.0 * output[[k, 0]])),
            _ => output[[k, 0]],
        }
    };
    let cells: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| probability(i * n + j)).collect()).collect();
    let samples: Vec<(f64, f64, bool)> = data
        .x
        .rows()
        .into_iter()
        .zip(data.t.rows())
        .map(|(x, t)| (x[0], x[1], if t.len() == 2 { t[1] > 0.5 } else { t[0] > 0.0 && (hinge || t[0] > 0.5) }))
        .collect();
    let final_accuracy = outcome.epochs.last().and_then(|e| e.accuracy);
    let accuracy = final_accuracy.map(|a| format!("{:.0}", a * 100.0));
    let svg = crate::plot::decision_regions(
        &PictureWords::DecisionRegions { name: loaded.spec.name.clone(), accuracy }.to(lang),
        xr,
        yr,
        &cells,
        &samples,
    );
    let run = Run {
        values: outcome.epochs.iter().map(|e| e.loss).collect(),
        diverged: outcome.diverged.is_some(),
        accuracy: final_accuracy,
        ..Run::named(loaded.spec.name.clone())
    };
    Ok(PlotReport { svg, runs: vec![run] })
}

/// Trains a network with 1 input and 1 output and draws its fitted curve over the data, the
/// fitted parameters in the title when there are few (`W₁ = 2.003, b₁ = 0.998`).
pub fn plot_fit(
    request: &crate::commands::net::NetRequest,
    lang: Lang,
    host: &dyn crate::host::Host,
) -> Result<PlotReport> {
    use crate::net::model::Pass;
    let mut loaded = crate::net::load::load_network(request, host)?;
    let data = loaded.data.clone().ok_or_else(no_data)?;
    crate::commands::net::check_first_batch(request, &loaded)?;
    if data.x.ncols() != 1 || data.t.ncols() != 1 {
        return Err(Error::new(both(
            "plot fit needs a network with 1 input and 1 output (a regression)",
            "plot fit 需要有 1 个输入、1 个输出的网络（即回归）",
        )));
    }
    let spec = loaded.spec.train.clone();
    let outcome = crate::net::trainer::train(&mut loaded.network, &data, &spec, host);
    let samples: Vec<(f64, f64)> = data.x.column(0).iter().zip(data.t.column(0)).map(|(&x, &t)| (x, t)).collect();
    let (low, high) = samples.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| (l.min(p.0), h.max(p.0)));
    let n = 200;
    let grid = ndarray::Array2::from_shape_fn((n + 1, 1), |(i, _)| low + (high - low) * i as f64 / n as f64);
    let output = loaded.network.forward(&grid, Pass::Evaluate).output;
    let curve: Vec<(f64, f64)> = grid.column(0).iter().zip(output.column(0)).map(|(&x, &y)| (x, y)).collect();
    let network = &loaded.network;
    let fitted = if network.params.iter().map(|p| p.values().len()).sum::<usize>() <= 6 {
        let each: Vec<String> = network
            .names
            .iter()
            .zip(&network.params)
            .map(|(name, p)| {
                let values: Vec<String> = p.values().iter().map(|v| format_significant(*v, 4)).collect();
                format!("{name} = {}", values.join(", "))
            })
            .collect();
        each.join(", ")
    } else {
        String::new()
    };
    let loss = outcome.epochs.last().map(|e| format_significant(e.loss, 3));
    let title = PictureWords::Fit { name: loaded.spec.name.clone(), fitted, loss }.to(lang);
    let svg = crate::plot::fit_chart(&title, &samples, &curve, lang);
    let run = Run {
        values: outcome.epochs.iter().map(|e| e.loss).collect(),
        diverged: outcome.diverged.is_some(),
        ..Run::named(loaded.spec.name.clone())
    };
    Ok(PlotReport { svg, runs: vec![run] })
}
