//! `net FILE step`: one update on the first batch, with the loss before and after.

use super::{Gradients, NetRequest, first_batch_gradients, parameters_json};
use crate::commands::tensor::tensor_text;
use crate::error::{Error, Result, both, line_span};
use crate::format::format_number;
use crate::host::Host;
use crate::net::load::{first_batch, load_network};
use crate::net::model::Network;
use crate::net::train::{loss_and_gradients, one_update};
use serde_json::{Value, json};

pub struct StepReport {
    pub loss_before: f64,
    pub loss_after: f64,
    pub network: Network,
    /// The language of its words (`loss before`, `loss after`).
    pub lang: crate::lang::Lang,
}

pub fn net_step(request: &NetRequest, host: &dyn Host) -> Result<StepReport> {
    let mut loaded = load_network(request, host)?;
    let (x, t) = first_batch(&loaded)?;
    let Gradients { loss: loss_before, grads, .. } =
        first_batch_gradients(request, &loaded.spec, &mut loaded.network, (&x, &t))?;
    let spec = loaded.spec.train.clone();
    let mut network = one_update(&loaded.network, &grads, &spec);
    let (loss_after, _, _, _) = loss_and_gradients(&mut network, &x, &t, spec.l2, None);
    // The update itself may overflow (a huge rate times a finite gradient): said at the
    // `train` line, which sets the rate, as `train` says where it diverges.
    let runaway = network.names.iter().zip(&network.params).find(|(_, p)| p.values().iter().any(|v| !v.is_finite()));
    if runaway.is_some() || !loss_after.is_finite() {
        let what = match runaway {
            Some((name, _)) => {
                both(format!("the update makes {name} overflow f64"), format!("这次更新使 {name} 超出了 f64 的范围"))
            }
            None => both("after the update the loss overflows f64", "更新之后损失超出了 f64 的范围"),
        };
        let line = request.text.lines().position(|l| l.trim_start().starts_with("train")).map_or(1, |i| i + 1);
        return Err(Error::at(what, line_span(&request.text, line))
            .with_label(both("try a smaller learning rate, or `clip`", "请试试更小的学习率，或使用 `clip`"))
            .in_source(&request.source_name, &request.text));
    }
    Ok(StepReport { loss_before, loss_after, network, lang: crate::lang::Lang::En })
}

impl StepReport {
    pub fn render_text(&self) -> String {
        use crate::said::Said;
        let mut out = format!("{}\n", Said::LossBefore { value: format_number(self.loss_before) }.to(self.lang));
        for (name, p) in self.network.names.iter().zip(&self.network.params) {
            out.push_str(&format!("{name} = {}\n", tensor_text(p)));
        }
        out.push_str(&format!("{}\n", Said::LossAfter { value: format_number(self.loss_after) }.to(self.lang)));
        out
    }

    pub fn to_json(&self) -> Value {
        json!({"loss_before": self.loss_before, "parameters": parameters_json(&self.network), "loss_after": self.loss_after})
    }
}
