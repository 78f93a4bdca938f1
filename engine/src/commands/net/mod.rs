//! `net FILE describe|grad|step|train`: a network's shapes and δ-equations (describe.rs); its
//! loss and gradients checked three ways (grad.rs); one update (step.rs); training with
//! per-epoch records (train.rs). Here: what they share — the first batch's gradients, with the
//! one overflow rule of every `net` command.

mod describe;
mod grad;
mod step;
mod train;

pub use describe::{DescribeReport, net_describe};
pub use grad::{GradReport, net_grad};
pub use step::{StepReport, net_step};
pub use train::{TrainReport, net_train};

use super::tensor::tensor_json;
use crate::error::{Error, Result, both, line_span};
pub use crate::net::load::NetRequest;
use crate::net::load::first_batch;
use crate::net::model::{Cache, Network, Pass, Tensor};
use crate::net::spec::NetworkSpec;
use crate::net::train::loss_and_gradients;
use ndarray::Array2;
use serde_json::Value;

fn parameters_json(network: &Network) -> Value {
    let mut map = serde_json::Map::new();
    for (name, p) in network.names.iter().zip(&network.params) {
        map.insert(name.clone(), tensor_json(p));
    }
    Value::Object(map)
}

/// Values that overflow f64 on the first batch make every gradient ∞ or NaN, which no check
/// can judge: an error at the first layer where they appear.
fn finite_values(request: &NetRequest, spec: &NetworkSpec, cache: &Cache) -> Result<()> {
    for (l, layer) in spec.layers.iter().enumerate() {
        let values = cache.pre_activation(l).iter().chain(cache.activation(l).iter());
        if values.clone().any(|v| !v.is_finite()) {
            let n = l + 1;
            let message = both(
                format!(
                    "on the first batch, layer {n}'s values overflow f64 (they reach ±∞): the inputs or weights are too large"
                ),
                format!("在第一个批量上，第 {n} 层的值超出了 f64 的范围（达到 ±∞）：输入或权重太大"),
            );
            return Err(Error::at(message, line_span(&request.text, layer.line))
                .with_label(both("scale the data or the weights down", "请把数据或权重缩小"))
                .in_source(&request.source_name, &request.text));
        }
    }
    Ok(())
}

/// The first batch's forward pass, loss and gradients: the one overflow rule of every `net`
/// command (`grad`, `step`, `train`). A value, the loss or a gradient that overflows f64 is an
/// error at the layer where it appears, never a table of ∞.
fn first_batch_gradients(
    request: &NetRequest,
    spec: &NetworkSpec,
    network: &mut Network,
    (x, t): (&Array2<f64>, &Array2<f64>),
) -> Result<Gradients> {
    let cache = network.clone().forward(x, Pass::TrainNoDropout);
    finite_values(request, spec, &cache)?;
    let (loss, grads, deltas, _) = loss_and_gradients(network, x, t, spec.train.l2, None);
    if !loss.is_finite() || grads.iter().any(|g| g.values().iter().any(|v| !v.is_finite())) {
        let last = spec.layers.last().map_or(1, |l| l.line);
        return Err(Error::at(
            both(
                "on the first batch the loss or its gradient overflows f64",
                "在第一个批量上，损失或它的梯度超出了 f64 的范围",
            ),
            line_span(&request.text, last),
        )
        .with_label(both(
            "the outputs are too large for this loss: scale the data or the weights down",
            "对这个损失函数而言输出太大：请把数据或权重缩小",
        ))
        .in_source(&request.source_name, &request.text));
    }
    Ok(Gradients { loss, grads, deltas, cache })
}

/// The overflow rule, for commands that train from the file (`train`, `plot boundary`, `plot
/// fit`): the first batch's values, loss and gradients are finite, or an error at the layer.
pub(crate) fn check_first_batch(request: &NetRequest, loaded: &crate::net::load::Loaded) -> Result<()> {
    let (x, t) = first_batch(loaded)?;
    first_batch_gradients(request, &loaded.spec, &mut loaded.network.clone(), (&x, &t)).map(|_| ())
}

struct Gradients {
    loss: f64,
    grads: Vec<Tensor>,
    deltas: Vec<Array2<f64>>,
    cache: Cache,
}
