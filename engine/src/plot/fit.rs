//! A regression's fit: the data as points and the trained model's curve through them.

use super::legend::{self, Entry, Mark};
use super::{CHART_HEIGHT, COLOURS, axis, in_units, line_frame, svg_fallback, well_formed, with_legend};
use crate::lang::Lang;
use crate::said::picture::PictureWords;
use plotters::prelude::*;

/// The samples as dots and the model's output as a line, over the samples' x range.
pub fn fit_chart(title: &str, samples: &[(f64, f64)], curve: &[(f64, f64)], lang: Lang) -> String {
    let mut svg = String::new();
    let (dots, line) = (COLOURS[0], COLOURS[1]);
    let entries = [
        Entry { name: PictureWords::Data.to(lang), colour: dots, mark: Mark::Dot },
        Entry { name: PictureWords::TrainedModel.to(lang), colour: line, mark: Mark::Line },
    ];
    {
        let (root, strip) = with_legend(&mut svg, CHART_HEIGHT, &entries);
        let all = samples.iter().chain(curve).filter(|p| p.0.is_finite() && p.1.is_finite());
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for &(x, y) in all {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
        if !(x0 < x1 && y0 < y1) {
            return svg_fallback(title);
        }
        let (((x0, x1), sx), ((y0, y1), sy)) = (axis((x0, x1)), axis((y0, y1)));
        let unit = |&(x, y): &(f64, f64)| (x / sx, y / sy);
        let pad = (y1 - y0) * 0.05;
        let axes = (x0..x1, (y0 - pad)..(y1 + pad));
        let labels =
            (in_units(&PictureWords::InputX.to(lang), sx), in_units(&PictureWords::TargetAndOutput.to(lang), sy));
        let Some(mut chart) = line_frame(&root, title, axes, (&labels.0, &labels.1), false) else {
            return svg_fallback(title);
        };
        let _ = chart.draw_series(samples.iter().map(|p| Circle::new(unit(p), 3, dots.mix(0.6).filled())));
        let _ = chart.draw_series(LineSeries::new(curve.iter().map(unit), line.stroke_width(2)));
        legend::draw(&strip, &entries);
        let _ = root.present();
    }
    well_formed(svg)
}
