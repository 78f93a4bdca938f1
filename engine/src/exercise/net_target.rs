//! What a network check asks for: the targets a hand calculation writes, read from their
//! text, with their right values from the matrix model and a hint for each.

use crate::error::{Phrase, both};
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
pub fn parse_target(text: &str, network: &Network) -> std::result::Result<NetTarget, Phrase> {
    let (names, layers) = (&network.names, network.layers.len());
    // `δ1[0] of sample 2`: samples are numbered from 1, as a hand calculation names them.
    let (text, sample) = match text.trim().rsplit_once(" of sample ") {
        Some((target, n)) => match n.trim().parse::<usize>() {
            Ok(n) if n >= 1 => (target, n - 1),
            _ => {
                let n = n.trim();
                return Err(both(
                    format!("`of sample {n}`: samples are numbered from 1"),
                    format!("`of sample {n}`：样本从 1 开始编号"),
                ));
            }
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
            None => {
                return Err(both(format!("`{text}` is not a network target"), format!("`{text}` 不是网络题的目标")));
            }
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
        .map_err(|_| both(format!("bad index in `{text}`"), format!("`{text}` 中的下标有误")))?;
    if let "delta" | "z" | "a" = kind {
        let symbol = match kind {
            "delta" => "δ",
            k => k,
        };
        let layer: usize = name.parse().map_err(|_| {
            both(
                format!("`{text}`: write {symbol}2[1] for unit 1 of layer 2"),
                format!("`{text}`：第 2 层的单元 1 请写 {symbol}2[1]"),
            )
        })?;
        if layer == 0 || layer > layers {
            return Err(both(
                format!("the network has layers 1 to {layers}, not {layer}"),
                format!("网络只有第 1 到第 {layers} 层，没有第 {layer} 层"),
            ));
        }
        let [unit] = index.as_slice() else {
            return Err(both(
                format!("`{text}`: which unit? e.g. {symbol}{layer}[0]"),
                format!("`{text}`：是哪个单元？例如 {symbol}{layer}[0]"),
            ));
        };
        let (layer, unit) = (layer, *unit);
        return Ok(match kind {
            "delta" => NetTarget::Delta { layer, unit, sample },
            "z" => NetTarget::PreActivation { layer, unit, sample },
            _ => NetTarget::Activation { layer, unit, sample },
        });
    }
    if sample > 0 {
        return Err(both(
            format!("`{text}` is a quantity of the whole batch: `of sample …` names a unit's z, a or δ"),
            format!("`{text}` 是整个批量的量：`of sample …` 只用于某个单元的 z、a 或 δ"),
        ));
    }
    let parameter = names
        .iter()
        .position(|n| n == name)
        .ok_or_else(|| both(format!("no parameter `{name}`"), format!("没有参数 `{name}`")))?;
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

pub fn shape_hint(name: &str, t: &Tensor) -> Phrase {
    match t {
        Tensor::Matrix(m) => {
            let (r, c) = (m.nrows(), m.ncols());
            both(
                format!("{name} is {r}×{c}: write {name}[i][j]"),
                format!("{name} 是 {r}×{c} 的矩阵：请写 {name}[i][j]"),
            )
        }
        Tensor::Vector(v) => {
            let n = v.len();
            both(format!("{name} has {n} values: write {name}[i]"), format!("{name} 有 {n} 个值：请写 {name}[i]"))
        }
    }
}

/// The right value of a target, or why the target does not exist in this network.
pub fn expected_value(target: &NetTarget, c: &Computed, network: &Network) -> std::result::Result<f64, Phrase> {
    let unit = |m: &ndarray::Array2<f64>, layer: usize, unit: usize, sample: usize| {
        if sample >= m.nrows() {
            let (n, s) = (m.nrows(), if m.nrows() == 1 { "" } else { "s" });
            return Err(both(format!("the first batch has {n} sample{s}"), format!("第一个批量只有 {n} 个样本")));
        }
        let units = m.ncols();
        m.get((sample, unit)).copied().ok_or_else(|| {
            both(format!("layer {layer} has {units} units"), format!("第 {layer} 层只有 {units} 个单元"))
        })
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
