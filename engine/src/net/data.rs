//! Data sets as matrices: inline samples, seeded generators (XOR, two moons, two circles, spirals, linear and
//! logistic), the shipped 8×8 digits, and CSV files.

use super::loss::Targets;
use super::spec::{DataSpec, Loss, Target, TargetColumn};
use crate::error::{Error, Phrase, Result, both};
use crate::host::Host;
use ndarray::{Array2, Axis};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use std::io::Read;

/// The 8×8 handwritten digits (see data/README.md for source and licence).
const DIGITS_GZ: &[u8] = include_bytes!("../../../data/digits.csv.gz");
/// Every fifth row of the digits file (row i with i % 5 == 0) is held out for testing: 360
/// test and 1,437 training samples. Interleaving mixes the writers, whose samples the file
/// keeps together (the last 360 rows alone are harder than the rest).
pub const DIGITS_TEST_EVERY: usize = 5;

/// Inputs (one row per sample) and targets (one row per sample, one-hot for classes).
#[derive(Clone, Debug)]
pub struct Dataset {
    pub x: Array2<f64>,
    pub t: Array2<f64>,
    pub test: Option<(Array2<f64>, Array2<f64>)>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.x.nrows()
    }

    pub fn is_empty(&self) -> bool {
        self.x.nrows() == 0
    }
}

fn one_hot(classes: &[usize], k: usize) -> Array2<f64> {
    let mut t = Array2::zeros((classes.len(), k));
    for (i, &c) in classes.iter().enumerate() {
        t[[i, c]] = 1.0;
    }
    t
}

/// Targets in the shape the loss wants: class indices become one-hot rows for cross-entropy;
/// 0/1 labels become −1/+1 for hinge.
fn targets(labels: &[f64], outputs: usize, loss: Loss) -> Array2<f64> {
    let classes = || labels.iter().map(|&l| l as usize).collect::<Vec<_>>();
    match loss.info().targets {
        Targets::Classes => one_hot(&classes(), outputs),
        Targets::Signs => Array2::from_shape_fn((labels.len(), 1), |(i, _)| if labels[i] > 0.0 { 1.0 } else { -1.0 }),
        Targets::Values | Targets::Probabilities if outputs > 1 => one_hot(&classes(), outputs),
        Targets::Values | Targets::Probabilities => Array2::from_shape_fn((labels.len(), 1), |(i, _)| labels[i]),
    }
}

/// Builds the data set a network trains on. `base` resolves relative CSV paths.
pub fn load(
    spec: &DataSpec,
    inputs: usize,
    outputs: usize,
    loss: Loss,
    base: &str,
    host: &dyn Host,
) -> Result<Dataset> {
    let labelled = |x: Array2<f64>, labels: Vec<f64>| Dataset { x, t: targets(&labels, outputs, loss), test: None };
    Ok(match spec {
        DataSpec::Inline(samples) => {
            let x = Array2::from_shape_fn((samples.len(), inputs), |(i, j)| samples[i].0[j]);
            let mut t = Array2::zeros((samples.len(), outputs));
            for (i, (_, target)) in samples.iter().enumerate() {
                match target {
                    Target::Class(c) => t[[i, *c]] = 1.0,
                    Target::Values(v) if v.len() == 1 && outputs > 1 => t[[i, v[0] as usize % outputs]] = 1.0,
                    Target::Values(v) => {
                        for (j, value) in v.iter().enumerate() {
                            t[[i, j]] =
                                if loss.info().targets == Targets::Signs && *value == 0.0 { -1.0 } else { *value };
                        }
                    }
                }
            }
            Dataset { x, t, test: None }
        }
        DataSpec::Xor => {
            let x = Array2::from_shape_vec((4, 2), vec![0., 0., 0., 1., 1., 0., 1., 1.]).expect("4×2");
            labelled(x, vec![0., 1., 1., 0.])
        }
        // Held-out samples come from the same distribution with the next seed.
        DataSpec::Moons { samples, noise, seed, test } => {
            let (x, labels) = moons(*samples, *noise, *seed);
            let held = (*test > 0).then(|| moons(*test, *noise, seed.wrapping_add(1)));
            Dataset { test: held.map(|(x, l)| (x, targets(&l, outputs, loss))), ..labelled(x, labels) }
        }
        DataSpec::Circles { samples, noise, seed, test } => {
            let (x, labels) = circles(*samples, *noise, *seed);
            let held = (*test > 0).then(|| circles(*test, *noise, seed.wrapping_add(1)));
            Dataset { test: held.map(|(x, l)| (x, targets(&l, outputs, loss))), ..labelled(x, labels) }
        }
        DataSpec::Spirals { samples, classes, noise, seed, test } => {
            let (x, labels) = spirals(*samples, *classes, *noise, *seed);
            let held = (*test > 0).then(|| spirals(*test, *classes, *noise, seed.wrapping_add(1)));
            Dataset { test: held.map(|(x, l)| (x, targets(&l, outputs, loss))), ..labelled(x, labels) }
        }
        DataSpec::Linear { samples, inputs: d, noise, seed } => {
            let mut rng = StdRng::seed_from_u64(*seed);
            let x = Array2::from_shape_fn((*samples, *d), |_| rng.random::<f64>() * 4.0 - 2.0);
            // y = 2·x₁ − 3·x₂ + 0.5·x₃ … + 1, plus noise: the true line is known.
            let w: Vec<f64> = (0..*d).map(true_weight).collect();
            let y: Vec<f64> = x
                .rows()
                .into_iter()
                .map(|r| r.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() + 1.0 + noise * gauss(&mut rng))
                .collect();
            Dataset { x, t: Array2::from_shape_fn((*samples, outputs.max(1)), |(i, _)| y[i]), test: None }
        }
        DataSpec::Logistic { samples, inputs: d, seed } => {
            let mut rng = StdRng::seed_from_u64(*seed);
            let x = Array2::from_shape_fn((*samples, *d), |_| gauss(&mut rng));
            let w: Vec<f64> = (0..*d).map(true_weight).collect();
            let labels: Vec<f64> = x
                .rows()
                .into_iter()
                .map(|r| {
                    let z = r.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() + 0.5;
                    let p = 1.0 / (1.0 + crate::math::exp(-z));
                    f64::from(rng.random::<f64>() < p)
                })
                .collect();
            labelled(x, labels)
        }
        DataSpec::Random { samples, inputs: d, seed, test } => {
            let draw = |n: usize, seed: u64| {
                let mut rng = StdRng::seed_from_u64(seed);
                let x = Array2::from_shape_fn((n, *d), |_| rng.random::<f64>());
                let labels: Vec<f64> = (0..n).map(|_| f64::from(rng.random::<bool>())).collect();
                (x, labels)
            };
            let (x, labels) = draw(*samples, *seed);
            let held = (*test > 0).then(|| draw(*test, seed.wrapping_add(1)));
            Dataset { test: held.map(|(x, l)| (x, targets(&l, outputs, loss))), ..labelled(x, labels) }
        }
        DataSpec::Digits => digits(outputs, loss),
        DataSpec::File { path, target_column } => {
            let text = crate::syntax::read_text(host, &join_path(base, path), path)?;
            csv(&text, path, *target_column, inputs, outputs, loss)?
        }
    })
}

/// The true weights of the linear and logistic generators: 2, −3, 0.5, 1, −1, …
pub fn true_weight(i: usize) -> f64 {
    [2.0, -3.0, 0.5, 1.0, -1.0][i % 5]
}

fn gauss(rng: &mut StdRng) -> f64 {
    StandardNormal.sample(rng)
}

/// Two interleaving half circles (as scikit-learn's make_moons), labels 0 and 1.
pub fn moons(samples: usize, noise: f64, seed: u64) -> (Array2<f64>, Vec<f64>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let outer = samples / 2;
    let mut x = Array2::zeros((samples, 2));
    let mut labels = Vec::with_capacity(samples);
    for i in 0..samples {
        let (px, py, label) = if i < outer {
            let a = std::f64::consts::PI * i as f64 / (outer.max(2) - 1) as f64;
            (crate::math::cos(a), crate::math::sin(a), 0.0)
        } else {
            let inner = samples - outer;
            let a = std::f64::consts::PI * (i - outer) as f64 / (inner.max(2) - 1) as f64;
            (1.0 - crate::math::cos(a), 0.5 - crate::math::sin(a), 1.0)
        };
        x[[i, 0]] = px + noise * gauss(&mut rng);
        x[[i, 1]] = py + noise * gauss(&mut rng);
        labels.push(label);
    }
    (x, labels)
}

/// Two concentric rings (as scikit-learn's make_circles, factor 0.5): the outer labelled 0,
/// the inner 1.
pub fn circles(samples: usize, noise: f64, seed: u64) -> (Array2<f64>, Vec<f64>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let outer = samples / 2;
    let mut x = Array2::zeros((samples, 2));
    let mut labels = Vec::with_capacity(samples);
    for i in 0..samples {
        let (k, count, radius, label) =
            if i < outer { (i, outer, 1.0, 0.0) } else { (i - outer, samples - outer, 0.5, 1.0) };
        let a = 2.0 * std::f64::consts::PI * k as f64 / count.max(1) as f64;
        x[[i, 0]] = radius * crate::math::cos(a) + noise * gauss(&mut rng);
        x[[i, 1]] = radius * crate::math::sin(a) + noise * gauss(&mut rng);
        labels.push(label);
    }
    (x, labels)
}

/// K interleaved spiral arms (CS231n's toy data), `samples` points per class.
pub fn spirals(samples: usize, classes: usize, noise: f64, seed: u64) -> (Array2<f64>, Vec<f64>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut x = Array2::zeros((samples * classes, 2));
    let mut labels = Vec::with_capacity(samples * classes);
    for c in 0..classes {
        for i in 0..samples {
            let r = i as f64 / samples.max(2) as f64;
            let t = c as f64 * 4.0 + 4.0 * r + noise * gauss(&mut rng);
            let row = c * samples + i;
            x[[row, 0]] = r * crate::math::sin(t);
            x[[row, 1]] = r * crate::math::cos(t);
            labels.push(c as f64);
        }
    }
    (x, labels)
}

fn digits(outputs: usize, loss: Loss) -> Dataset {
    let mut text = String::new();
    flate2::read::GzDecoder::new(DIGITS_GZ).read_to_string(&mut text).expect("the shipped digits file is valid gzip");
    let rows: Vec<Vec<f64>> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(|v| v.trim().parse().expect("the shipped digits file holds numbers")).collect())
        .collect();
    let x = Array2::from_shape_fn((rows.len(), 64), |(i, j)| rows[i][j] / 16.0);
    let labels: Vec<f64> = rows.iter().map(|r| r[64]).collect();
    let t = targets(&labels, outputs, loss);
    let (test, train): (Vec<usize>, Vec<usize>) = (0..x.nrows()).partition(|i| i % DIGITS_TEST_EVERY == 0);
    Dataset {
        x: x.select(Axis(0), &train),
        t: t.select(Axis(0), &train),
        test: Some((x.select(Axis(0), &test), t.select(Axis(0), &test))),
    }
}

/// A CSV file of numbers, one sample per row; a first row that is not numbers is a header.
fn csv(text: &str, shown: &str, target: TargetColumn, inputs: usize, outputs: usize, loss: Loss) -> Result<Dataset> {
    let mut xs = Vec::new();
    let mut labels = Vec::new();
    let mut width = None;
    // Each line with its byte offset, so that spans hold with CRLF line ends and padded cells.
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // Each cell's text and where it starts in the file.
        let mut spans = Vec::new();
        let mut cell_start = line_start + (raw.len() - raw.trim_start().len());
        for cell in line.split(',') {
            spans.push(cell_start + (cell.len() - cell.trim_start().len()));
            cell_start += cell.len() + 1;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let numbers: Vec<std::result::Result<f64, usize>> =
            cells.iter().enumerate().map(|(j, c)| c.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or(j)).collect();
        if xs.is_empty() && width.is_none() && numbers.iter().all(|n| n.is_err()) {
            width = Some(cells.len());
            continue; // a header
        }
        let row_error = |message: Phrase, column: usize| {
            let start = spans.get(column).copied().unwrap_or(line_start);
            Error::at(message, start..start + cells.get(column).map_or(1, |c| c.len().max(1))).in_source(shown, text)
        };
        if let Some(j) = numbers.iter().position(|n| n.is_err()) {
            let message = both(
                format!("row {}, column {}: `{}` is not a number", i + 1, j + 1, cells[j]),
                format!("第 {} 行第 {} 列：`{}` 不是数字", i + 1, j + 1, cells[j]),
            );
            return Err(row_error(message, j));
        }
        if cells.len() != inputs + 1 {
            let message = both(
                format!("row {} has {} columns; the network takes {inputs} inputs plus 1 target", i + 1, cells.len()),
                format!("第 {} 行有 {} 列；网络需要 {inputs} 个输入列加 1 个目标列", i + 1, cells.len()),
            );
            return Err(row_error(message, cells.len().saturating_sub(1)));
        }
        let values: Vec<f64> = numbers.into_iter().map(|n| n.expect("checked")).collect();
        let (label, x) = match target {
            TargetColumn::First => (values[0], values[1..].to_vec()),
            TargetColumn::Last => (values[inputs], values[..inputs].to_vec()),
        };
        let column = if target == TargetColumn::First { 0 } else { inputs };
        if (loss.info().targets == Targets::Classes || outputs > 1)
            && (label < 0.0 || label.fract() != 0.0 || label as usize >= outputs)
        {
            let message = both(
                format!("row {}: class {label} is not one of 0…{}", i + 1, outputs - 1),
                format!("第 {} 行：类别 {label} 不在 0…{} 之中", i + 1, outputs - 1),
            );
            return Err(row_error(message, column));
        }
        if outputs == 1
            && let Err(why) = super::parse::check_target(&super::spec::Target::Values(vec![label]), 1, loss)
        {
            let message = both(format!("row {}: {}", i + 1, why.en), format!("第 {} 行：{}", i + 1, why.chinese()));
            return Err(row_error(message, column));
        }
        xs.push(x);
        labels.push(label);
    }
    if xs.is_empty() {
        return Err(Error::new(both(format!("`{shown}` has no data rows"), format!("`{shown}` 中没有数据行"))));
    }
    let x = Array2::from_shape_fn((xs.len(), inputs), |(i, j)| xs[i][j]);
    Ok(Dataset { x, t: targets(&labels, outputs, loss), test: None })
}

/// The given rows of a matrix, as a new matrix.
pub fn rows(m: &Array2<f64>, indices: &[usize]) -> Array2<f64> {
    m.select(Axis(0), indices)
}

/// `rel` relative to the folder `base` (as given; absolute paths and an empty base stay as they are).
pub fn join_path(base: &str, rel: &str) -> String {
    if base.is_empty() || rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("{}/{rel}", base.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circles_are_two_rings_of_radius_1_and_one_half() {
        let (x, labels) = circles(40, 0.0, 1);
        for (row, label) in x.rows().into_iter().zip(&labels) {
            let radius = (row[0] * row[0] + row[1] * row[1]).sqrt();
            let expected = if *label == 0.0 { 1.0 } else { 0.5 };
            assert!((radius - expected).abs() < 1e-12, "radius {radius} for label {label}");
        }
        assert_eq!(labels.iter().filter(|l| **l == 1.0).count(), 20);
    }

    #[test]
    fn random_data_has_uniform_inputs_and_both_labels() {
        let spec = DataSpec::Random { samples: 400, inputs: 3, seed: 1, test: 100 };
        let data = load(&spec, 3, 1, Loss::Bce, "", &crate::host::NoFiles).unwrap();
        assert!(data.x.iter().all(|v| (0.0..1.0).contains(v)));
        let ones = data.t.iter().filter(|t| **t == 1.0).count();
        assert!((150..250).contains(&ones), "{ones} of 400 labelled 1");
        assert_eq!(data.test.as_ref().map(|(x, _)| x.nrows()), Some(100));
    }
}
