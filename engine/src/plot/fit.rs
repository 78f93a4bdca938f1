//! A regression's fit: the data as points and the trained model's curve through them.

use super::{COLOURS, LABEL_SIZE, line_frame, svg_fallback};
use plotters::prelude::*;

/// The samples as dots and the model's output as a line, over the samples' x range.
pub fn fit_chart(title: &str, samples: &[(f64, f64)], curve: &[(f64, f64)]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 420)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let all = samples.iter().chain(curve).filter(|p| p.0.is_finite() && p.1.is_finite());
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for &(x, y) in all {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
        if !(x0 < x1 && y0 < y1) {
            return svg_fallback(title);
        }
        let pad = (y1 - y0) * 0.05;
        let axes = (x0..x1, (y0 - pad)..(y1 + pad));
        let labels = ("input x", "target y and the model's output");
        let Some(mut chart) = line_frame(&root, title, axes, labels, false) else { return svg_fallback(title) };
        let (dots, line) = (COLOURS[0], COLOURS[1]);
        if let Ok(drawn) = chart.draw_series(samples.iter().map(|&p| Circle::new(p, 3, dots.mix(0.6).filled()))) {
            drawn.label("data").legend(move |(x, y)| Circle::new((x + 9, y), 3, dots.filled()));
        }
        if let Ok(drawn) = chart.draw_series(LineSeries::new(curve.iter().copied(), line.stroke_width(2))) {
            drawn
                .label("the trained model")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], line.stroke_width(2)));
        }
        let _ = chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(("sans-serif", LABEL_SIZE))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw();
        let _ = root.present();
    }
    svg
}
