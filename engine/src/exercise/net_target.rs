//! What a network check asks for: the targets a hand calculation writes, read from their
//! text, with their right values from the matrix model and a hint for each.

use crate::net::model::{Network, Tensor};
use crate::said::Said;

/// What a network check asks for. Per-unit quantities are of one sample of the first batch
/// (the first unless the target says `… of sample 2`); gradients and updates are of the batch.
#[derive(Clone, Debug, PartialEq)]
pub enum NetTarget {
    Loss,
    /// `z2[1]`: the pre-activation of unit 1 of layer 2.
    PreActivation {
        layer: usize,
        unit: usize,
        sample: usize,
    },
    /// `a1[0]`: the activation.
    Activation {
        layer: usize,
        unit: usize,
        sample: usize,
    },
    /// `δ2[1]`: ∂Eₙ/∂z of that sample's own loss (the textbooks' δ).
    Delta {
        layer: usize,
        unit: usize,
        sample: usize,
    },
    /// `dE/dW2[0][1]`, `dE/db1[0]`: the batch's gradient (the mean over its samples).
    Gradient {
        parameter: usize,
        index: Vec<usize>,
    },
    /// `new W2[0][0]`: after one update with the file's optimizer.
    Updated {
        parameter: usize,
        index: Vec<usize>,
    },
}

/// The computed quantities of the first batch.
pub struct Computed {
    pub loss: f64,
    pub pre: Vec<ndarray::Array2<f64>>,
    pub act: Vec<ndarray::Array2<f64>>,
    pub deltas: Vec<ndarray::Array2<f64>>,
    pub grads: Vec<Tensor>,
    pub stepped: Vec<Tensor>,
    pub samples: usize,
}

/// Reads a target: `E` (or `C`, `L`, `loss`), `z2[1]`, `a1[0]`, `y[0]` (the output),
/// `δ2[0]` (or `delta2[0]`), `dE/dW2[0][1]`, `dC/db1[0]`, `new b1[0]`; weights may also be
/// numbered as in Mazur's worked example, `w5` = the fifth weight row by row, layer by layer.
pub fn parse_target(text: &str, network: &Network) -> std::result::Result<NetTarget, String> {
    let (names, layers) = (&network.names, network.layers.len());
    // `δ1[0] of sample 2`: samples are numbered from 1, as a hand calculation names them.
    let (text, sample) = match text.trim().rsplit_once(" of sample ") {
        Some((target, n)) => match n.trim().parse::<usize>() {
            Ok(n) if n >= 1 => (target, n - 1),
            _ => return Err(format!("`of sample {}`: samples are numbered from 1", n.trim())),
        },
        None => (text, 0),
    };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if ["E", "C", "L", "loss"].contains(&compact.as_str()) {
        return Ok(NetTarget::Loss);
    }
    let compact = match compact.strip_prefix('y').or_else(|| compact.strip_prefix("out")) {
        Some(rest) if rest.starts_with('[') => format!("a{layers}{rest}"),
        _ => compact,
    };
    let (kind, rest) = if let Some(r) = compact.strip_prefix("new") {
        ("new", r.to_string())
    } else if let Some(r) = compact.strip_prefix("δ").or_else(|| compact.strip_prefix("delta")) {
        ("delta", r.to_string())
    } else if let Some(r) = compact.strip_prefix('z') {
        ("z", r.to_string())
    } else if let Some(r) = compact.strip_prefix('a') {
        ("a", r.to_string())
    } else {
        let r = compact.replace('∂', "d");
        match ["dE/d", "dL/d", "dC/d"].iter().find_map(|p| r.strip_prefix(p)) {
            Some(p) => ("grad", p.to_string()),
            None => return Err(format!("`{text}` is not a network target")),
        }
    };
    let rest = scalar_weight(&rest, network).unwrap_or(rest);
    let (name, indices) = match rest.find('[') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest.as_str(), ""),
    };
    let index: Vec<usize> = indices
        .trim_matches(|c| c == '[' || c == ']')
        .split("][")
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| format!("bad index in `{text}`"))?;
    if let "delta" | "z" | "a" = kind {
        let symbol = match kind {
            "delta" => "δ",
            k => k,
        };
        let layer: usize = name.parse().map_err(|_| format!("`{text}`: write {symbol}2[1] for unit 1 of layer 2"))?;
        if layer == 0 || layer > layers {
            return Err(format!("the network has layers 1 to {layers}, not {layer}"));
        }
        let [unit] = index.as_slice() else { return Err(format!("`{text}`: which unit? e.g. {symbol}{layer}[0]")) };
        let (layer, unit) = (layer, *unit);
        return Ok(match kind {
            "delta" => NetTarget::Delta { layer, unit, sample },
            "z" => NetTarget::PreActivation { layer, unit, sample },
            _ => NetTarget::Activation { layer, unit, sample },
        });
    }
    if sample > 0 {
        return Err(format!("`{text}` is a quantity of the whole batch: `of sample …` names a unit's z, a or δ"));
    }
    let parameter = names.iter().position(|n| n == name).ok_or_else(|| format!("no parameter `{name}`"))?;
    Ok(match kind {
        "new" => NetTarget::Updated { parameter, index },
        _ => NetTarget::Gradient { parameter, index },
    })
}

/// `w5` as `W2[0][0]`: weights numbered from 1, row by row, layer by layer (Mazur's numbering).
fn scalar_weight(name: &str, network: &Network) -> Option<String> {
    let k: usize = name.strip_prefix('w')?.parse().ok()?;
    let mut seen = 0;
    for (parameter, tensor) in network.names.iter().zip(&network.params) {
        if let (true, Tensor::Matrix(m)) = (parameter.starts_with('W'), tensor) {
            if k > seen && k <= seen + m.len() {
                let i = k - seen - 1;
                return Some(format!("{parameter}[{}][{}]", i / m.ncols(), i % m.ncols()));
            }
            seen += m.len();
        }
    }
    None
}

pub fn pick(t: &Tensor, index: &[usize]) -> Option<f64> {
    match (t, index) {
        (Tensor::Matrix(m), [r, c]) => m.get((*r, *c)).copied(),
        (Tensor::Vector(v), [k]) => v.get(*k).copied(),
        _ => None,
    }
}

pub fn shape_hint(name: &str, t: &Tensor) -> String {
    match t {
        Tensor::Matrix(m) => format!("{name} is {}×{}: write {name}[i][j]", m.nrows(), m.ncols()),
        Tensor::Vector(v) => format!("{name} has {} values: write {name}[i]", v.len()),
    }
}

/// The right value of a target, or why the target does not exist in this network.
pub fn expected_value(target: &NetTarget, c: &Computed, network: &Network) -> std::result::Result<f64, String> {
    let unit = |m: &ndarray::Array2<f64>, layer: usize, unit: usize, sample: usize| {
        if sample >= m.nrows() {
            return Err(format!("the first batch has {} sample{}", m.nrows(), if m.nrows() == 1 { "" } else { "s" }));
        }
        m.get((sample, unit)).copied().ok_or_else(|| format!("layer {layer} has {} units", m.ncols()))
    };
    Ok(match target {
        NetTarget::Loss => c.loss,
        NetTarget::PreActivation { layer, unit: u, sample } => unit(&c.pre[layer - 1], *layer, *u, *sample)?,
        NetTarget::Activation { layer, unit: u, sample } => unit(&c.act[layer - 1], *layer, *u, *sample)?,
        // δ per sample: the matrix δ carries the batch mean's 1/m.
        NetTarget::Delta { layer, unit: u, sample } => {
            unit(&c.deltas[layer - 1], *layer, *u, *sample)? * c.samples as f64
        }
        NetTarget::Gradient { parameter, index } => pick(&c.grads[*parameter], index)
            .ok_or_else(|| shape_hint(&network.names[*parameter], &network.params[*parameter]))?,
        NetTarget::Updated { parameter, index } => pick(&c.stepped[*parameter], index)
            .ok_or_else(|| shape_hint(&network.names[*parameter], &network.params[*parameter]))?,
    })
}

/// The first step of the right calculation, without the answer: it differs per target.
pub fn hint(target: &NetTarget, network: &Network, names: &[String], lr: f64) -> Said {
    let layers = network.layers.len();
    let f_prime = |l: usize, i: usize| {
        network.layers[l - 1].activation.unit_derivative(&format!("a{l}[{i}]"), &format!("z{l}[{i}]"))
    };
    match target {
        NetTarget::Loss => {
            Said::HintNetLoss { output: format!("a{layers}"), formula: network.loss.formula().to_string() }
        }
        NetTarget::PreActivation { layer, unit, .. } => {
            let input = if *layer == 1 { "x".to_string() } else { format!("a{}", layer - 1) };
            Said::Formula(format!("z{layer}[{unit}] = Σⱼ W{layer}[{unit}][j]·{input}[j] + b{layer}[{unit}]"))
        }
        NetTarget::Activation { layer, unit, .. } => Said::HintNetActivation {
            a: format!("a{layer}[{unit}]"),
            f: network.layers[layer - 1].activation.name().to_string(),
            z: format!("z{layer}[{unit}]"),
        },
        NetTarget::Delta { layer, unit, .. } if *layer == layers => match &network.loss.info().fused {
            Some(fused) if network.fused_output() => Said::HintNetFusedDelta {
                pair: fused.pair.to_string(),
                formula: format!("δ{layer}[{unit}] = a{layer}[{unit}] − t[{unit}]"),
            },
            _ => {
                let formula = format!("δ{layer}[{unit}] = ∂E/∂a{layer}[{unit}] · {}", f_prime(*layer, *unit));
                Said::HintNetOutputDelta { formula }
            }
        },
        NetTarget::Delta { layer, unit, .. } => Said::HintNetHiddenDelta {
            formula: format!(
                "δ{layer}[{unit}] = (Σₖ W{}[k][{unit}]·δ{}[k]) · {}",
                layer + 1,
                layer + 1,
                f_prime(*layer, *unit)
            ),
        },
        NetTarget::Gradient { parameter, index } => {
            let name = &names[*parameter];
            let layer: usize = name[1..].parse().unwrap_or(1);
            let input = if layer == 1 { "x".to_string() } else { format!("a{}", layer - 1) };
            match index.as_slice() {
                [i, j] if name.starts_with('W') => Said::HintNetGradient {
                    formula: format!("∂E/∂{name}[{i}][{j}] = δ{layer}[{i}]·{input}[{j}]"),
                    rule: "BP4",
                },
                [i] => Said::HintNetGradient { formula: format!("∂E/∂{name}[{i}] = δ{layer}[{i}]"), rule: "BP3" },
                _ => Said::HintNetFindDelta,
            }
        }
        NetTarget::Updated { parameter, index } => {
            let indices: String = index.iter().map(|i| format!("[{i}]")).collect();
            Said::HintNetUpdate { p: format!("{}{indices}", names[*parameter]), lr: lr.to_string() }
        }
    }
}
