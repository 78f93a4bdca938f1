//! `net FILE train`: training with a record per epoch, and the loss curve.

use super::{NetRequest, check_first_batch, parameters_json};
use crate::commands::table::render_table;
use crate::error::{Error, Result, both};
use crate::format::{format_number, format_significant};
use crate::host::Host;
use crate::lang::Lang;
use crate::net::load::{load_network, need_data};
use crate::net::model::Network;
use crate::net::parse::MAX_SAMPLE_STEPS;
use crate::net::trainer::{Divergence, EpochRecord, TrainOutcome, train};
use crate::said::net::NetWords;
use crate::said::picture::PictureWords;
use serde_json::{Value, json};

pub struct TrainReport {
    pub name: String,
    pub epochs: Vec<EpochRecord>,
    pub test_accuracy: Option<f64>,
    pub diverged: Option<Divergence>,
    pub network: Network,
    pub show_gradient_norms: bool,
    /// Show every Nth epoch (`--every`); `None` picks about 20 rows for long runs.
    pub every: Option<usize>,
    /// The language of its words (the table's headings); numbers are the same.
    pub lang: Lang,
}

/// Trains, telling the host the progress after every step.
pub fn net_train(request: &NetRequest, show_gradient_norms: bool, host: &dyn Host) -> Result<TrainReport> {
    let mut loaded = load_network(request, host)?;
    let data = need_data(&loaded)?.clone();
    let work = loaded.spec.train.epochs as f64 * data.len() as f64;
    if work > MAX_SAMPLE_STEPS {
        return Err(Error::new(both(
            format!("epochs × samples = {work:e}; at most {MAX_SAMPLE_STEPS:e} are allowed"),
            format!("迭代周期数 × 样本数 = {work:e}；至多允许 {MAX_SAMPLE_STEPS:e}"),
        )));
    }
    check_first_batch(request, &loaded)?;
    let TrainOutcome { epochs, diverged, test_accuracy } = train(&mut loaded.network, &data, &loaded.spec.train, host);
    Ok(TrainReport {
        name: loaded.spec.name.clone(),
        epochs,
        test_accuracy,
        diverged,
        network: loaded.network,
        show_gradient_norms,
        every: None,
        lang: Lang::En,
    })
}

impl TrainReport {
    /// The table; wall times only where the host has a clock (the book has none, so its bytes
    /// do not change from build to build).
    pub fn render_text(&self) -> String {
        use crate::said::Said;
        let say = |s: Said| s.to(self.lang);
        let say_words = |w: NetWords| w.to(self.lang);
        let seconds = self.epochs.iter().any(|e| e.seconds.is_some());
        let mut out = format!("{}\n\n", say(Said::Training { name: self.name.clone() }));
        let norms = self.show_gradient_norms;
        let mut header = [Said::TrainEpoch, Said::TrainLoss, Said::TrainAccuracy, Said::TrainSamples].map(say).to_vec();
        if seconds {
            header.push(say(Said::TrainTime));
        }
        if norms {
            header.extend((1..=self.network.layers.len()).map(|l| format!("‖∂E/∂W{l}‖")));
        }
        let mut table = vec![header];
        let step = match self.every {
            Some(n) => n.max(1),
            None if self.epochs.len() <= 25 || norms => 1,
            None => self.epochs.len().div_ceil(20),
        };
        let shown: Vec<&EpochRecord> = self
            .epochs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % step == 0 || *i + 1 == self.epochs.len())
            .map(|(_, e)| e)
            .collect();
        for e in shown {
            let mut row = vec![
                e.epoch.to_string(),
                format_number(e.loss),
                e.accuracy.map_or("—".into(), |a| format!("{:.1}%", a * 100.0)),
                e.samples.to_string(),
            ];
            if seconds {
                row.push(e.seconds.map_or("—".into(), |s| format_significant(s * 1000.0, 3)));
            }
            if norms {
                row.extend(e.gradient_norms.iter().map(|n| format!("{n:.3e}")));
            }
            table.push(row);
        }
        out.push_str(&render_table(&table));
        if step > 1 {
            out.push_str(&format!("{}\n", say(Said::TrainEvery { step })));
        }
        if let Some(d) = &self.diverged {
            let stopped =
                NetWords::Stopped { epoch: d.epoch, step: d.step, what: d.what.clone(), runaway: d.runaway.clone() };
            out.push_str(&format!("\n{}\n", say_words(stopped)));
        }
        if let Some(a) = self.test_accuracy {
            out.push_str(&format!("\n{}\n", say(Said::TestAccuracy { percent: format!("{:.1}", a * 100.0) })));
        }
        out
    }

    pub fn to_json(&self) -> Value {
        json!({
            "epochs": self.epochs.iter().map(|e| {
                let mut v = json!({"epoch": e.epoch, "loss": e.loss, "accuracy": e.accuracy, "samples": e.samples, "seconds": e.seconds});
                if self.show_gradient_norms {
                    v["gradient_norms"] = json!(e.gradient_norms);
                }
                v
            }).collect::<Vec<_>>(),
            "test_accuracy": self.test_accuracy,
            "diverged": self.diverged.as_ref().map(|d| json!({"epoch": d.epoch, "step": d.step, "what": d.what.to(self.lang), "runaway": d.runaway.to(self.lang)})),
            "parameters": parameters_json(&self.network),
        })
    }

    /// The loss curve as an SVG: on a logarithmic scale when the loss is positive and falls
    /// more than tenfold (else the slow end of the curve is a flat line at the bottom).
    pub fn loss_curve(&self) -> String {
        let loss = crate::plot::Series {
            name: NetWords::TrainingLoss.to(self.lang),
            points: self.epochs.iter().map(|e| (e.epoch as f64, e.loss)).collect(),
        };
        let finite = || self.epochs.iter().map(|e| e.loss).filter(|l| l.is_finite());
        let (low, high) = finite().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
        let log = low > 0.0 && high >= 10.0 * low;
        let title = match self.lang {
            Lang::En => format!("{}: {}", self.name, PictureWords::LossPerEpoch.to(self.lang)),
            Lang::Zh => format!("{}：{}", self.name, PictureWords::LossPerEpoch.to(self.lang)),
        };
        let (epoch, loss_axis) = (PictureWords::Epoch.to(self.lang), PictureWords::Loss.to(self.lang));
        crate::plot::line_chart(&title, &epoch, &loss_axis, &[loss], log)
    }
}
