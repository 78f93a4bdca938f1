//! `net FILE describe`: the layers' shapes and parameter counts, and the δ-equations of the
//! forward pass, the backward pass, the gradients and the update.

use super::NetRequest;
use crate::commands::table::render_table;
use crate::error::Result;
use crate::format::thousands;
use crate::lang::Lang;
use crate::net::describe::{Description, describe};
use crate::net::parse::parse_network;
use crate::said::net::NetWords;
use serde_json::{Value, json};

pub struct DescribeReport {
    pub name: String,
    pub description: Description,
    /// The language of the headings and the equations' notes.
    pub lang: Lang,
}

impl DescribeReport {
    pub fn render_text(&self) -> String {
        let d = &self.description;
        let say = |w: NetWords| w.to(self.lang);
        let mut out = format!("{}\n\n", say(NetWords::Network { name: self.name.clone() }));
        let headings =
            [NetWords::LayerHeading, NetWords::UnitsHeading, NetWords::ParametersHeading, NetWords::CountHeading];
        let mut table = vec![headings.map(say).to_vec()];
        for row in &d.layers {
            let shapes: Vec<String> = row
                .shapes
                .iter()
                .map(|(name, shape)| {
                    format!("{name}: {}", shape.iter().map(usize::to_string).collect::<Vec<_>>().join("×"))
                })
                .collect();
            table.push(vec![row.layer.clone(), row.units.to_string(), shapes.join(", "), row.count.clone()]);
        }
        out.push_str(&render_table(&table));
        out.push_str(&say(NetWords::TotalParameters { count: thousands(d.total) }));
        out.push_str(&format!("\n\n{}\n\n", say(NetWords::LossLine { loss: d.loss.clone() })));
        let sections = [
            (NetWords::ForwardPass, &d.forward),
            (NetWords::BackwardPass, &d.backward),
            (NetWords::Gradients, &d.gradients),
            (NetWords::Update, &vec![d.update.clone()]),
        ];
        for (i, (heading, equations)) in sections.into_iter().enumerate() {
            out.push_str(&format!("{}{}\n", if i == 0 { "" } else { "\n" }, say(heading)));
            for e in equations {
                out.push_str(&format!("  {}\n", e.text));
            }
        }
        out
    }

    pub fn render_latex(&self) -> String {
        let d = &self.description;
        let lines: Vec<String> = d
            .forward
            .iter()
            .chain(&d.backward)
            .chain(&d.gradients)
            .chain(std::iter::once(&d.update))
            // Aligned at each line's first `=` (or `←`), so the equations read as one column.
            .map(|e| {
                if e.latex.contains(" = ") {
                    e.latex.replacen(" = ", " &= ", 1)
                } else {
                    e.latex.replacen(" \\leftarrow ", " &\\leftarrow ", 1)
                }
            })
            .collect();
        format!("\\begin{{aligned}}\n{}\n\\end{{aligned}}\n", lines.join(" \\\\\n"))
    }

    pub fn to_json(&self) -> Value {
        let d = &self.description;
        let eqs = |v: &[crate::net::describe::Equation]| {
            v.iter().map(|e| json!({"text": e.text, "latex": e.latex})).collect::<Vec<_>>()
        };
        json!({
            "name": self.name,
            "layers": d.layers.iter().map(|row| json!({
                "layer": row.layer,
                "units": row.units,
                "shapes": row.shapes.iter().map(|(name, shape)| (name.clone(), json!(shape))).collect::<serde_json::Map<_, _>>(),
                "parameters": row.parameters,
                "count": row.count,
            })).collect::<Vec<_>>(),
            "total_parameters": d.total,
            "loss": d.loss,
            "forward": eqs(&d.forward),
            "backward": eqs(&d.backward),
            "gradients": eqs(&d.gradients),
            "update": {"text": d.update.text, "latex": d.update.latex},
        })
    }
}

pub fn net_describe(request: &NetRequest, lang: Lang) -> Result<DescribeReport> {
    let spec = parse_network(&request.text).map_err(|e| e.in_source(&request.source_name, &request.text))?;
    Ok(DescribeReport { name: spec.name.clone(), description: describe(&spec, lang), lang })
}
