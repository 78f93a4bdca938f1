//! Plots as SVG, drawn by plotters without system fonts; output is deterministic.

use plotters::prelude::*;

mod fit;
mod legend;
pub use fit::fit_chart;
use legend::{Entry, Mark};

/// One named series of (x, y) points.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

pub(crate) const COLOURS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(23, 190, 207),
];

/// Tick labels and axis descriptions, in the backend's font units (plotters writes 0.8 of them:
/// 16 and 17 px). Pictures are at most 540 px wide, so that on a phone, where a picture is
/// shown about 350 px wide, the smallest text is still 10 px.
pub(crate) const LABEL_SIZE: f64 = 20.0;
pub(crate) const AXIS_SIZE: f64 = 21.0;
const CAPTION_SIZE: f64 = 23.0;
/// The width of every picture, and the height of a chart without its legend.
pub(crate) const WIDTH: u32 = 540;
pub(crate) const CHART_HEIGHT: u32 = 360;
/// How many ticks an axis gets at most (their labels must not run into each other).
const TICKS: usize = 6;

/// A tick label with no more decimals than the ticks' spacing needs, and never `-0`.
fn tick_label(v: f64, range: f64) -> String {
    let step = range.abs() / TICKS as f64;
    let decimals = if step > 0.0 { (-crate::math::log10(step).floor()).max(0.0) as usize + 1 } else { 1 };
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text };
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') { "0".into() } else { text }
}

/// A picture `WIDTH` wide: a chart `chart_height` high, and under it a strip for the legend.
fn with_legend<'a>(
    svg: &'a mut String,
    chart_height: u32,
    entries: &[Entry],
) -> (DrawingArea<SVGBackend<'a>, plotters::coord::Shift>, DrawingArea<SVGBackend<'a>, plotters::coord::Shift>) {
    let strip = legend::height(entries, WIDTH);
    let root = SVGBackend::with_string(svg, (WIDTH, chart_height + strip)).into_drawing_area();
    let _ = root.fill(&WHITE);
    root.split_vertically(chart_height)
}

/// A line chart of the series, with a legend when there is more than one.
pub fn line_chart(title: &str, x_label: &str, y_label: &str, series: &[Series], log_y: bool) -> String {
    let mut svg = String::new();
    let entries: Vec<Entry> = if series.len() > 1 {
        series
            .iter()
            .enumerate()
            .map(|(i, s)| Entry { name: s.name.clone(), colour: COLOURS[i % COLOURS.len()], mark: Mark::Line })
            .collect()
    } else {
        Vec::new()
    };
    {
        let (root, strip) = with_legend(&mut svg, CHART_HEIGHT, &entries);
        let points = series.iter().flat_map(|s| s.points.iter()).filter(|p| p.0.is_finite() && p.1.is_finite());
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for &(x, y) in points {
            let y = if log_y { crate::math::log10(y.max(1e-12)) } else { y };
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        if !x0.is_finite() {
            (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
        }
        // Axes keep to numbers plotters can tick: huge values are drawn in units of a power
        // of ten (`x·1e308` would overflow the axis range and hang the tick search), and a
        // range too narrow to tell apart is widened.
        let ((x_range, x_scale), ((y0, y1), scale)) = (axis((x0, x1)), axis((y0, y1)));
        (x0, x1) = x_range;
        let pad = (y1 - y0) * 0.05;
        let y_label = match (log_y, scale == 1.0) {
            (true, _) => format!("log₁₀ {y_label}"),
            (false, true) => y_label.to_string(),
            (false, false) => format!("{y_label} (× {scale:e})"),
        };
        // An axis that counts (epochs, layers) is labelled at whole numbers only.
        let counts = series.iter().flat_map(|s| s.points.iter()).all(|p| p.0.fract() == 0.0);
        let axes = (x0..x1, (y0 - pad)..(y1 + pad));
        let x_label = in_units(x_label, x_scale);
        let Some(mut chart) = line_frame(&root, title, axes, (&x_label, &y_label), counts) else {
            return svg_fallback(title);
        };
        for (i, s) in series.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let data: Vec<(f64, f64)> = s
                .points
                .iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .map(|&(x, y)| (x / x_scale, if log_y { crate::math::log10(y.max(1e-12)) } else { y / scale }))
                .collect();
            let _ = chart.draw_series(LineSeries::new(data, colour.stroke_width(2)));
        }
        legend::draw(&strip, &entries);
        let _ = root.present();
    }
    well_formed(svg)
}

/// An axis plotters can tick: values of 1e12 and beyond in units of a power of ten, and a range
/// too narrow to tell apart widened (else the tick search never ends). The range in those
/// units, and the unit.
fn axis((low, high): (f64, f64)) -> ((f64, f64), f64) {
    let limit = |v: f64| if v.is_nan() { 0.0 } else { v.clamp(-f64::MAX, f64::MAX) };
    let (low, high) = (limit(low), limit(high));
    let scale = axis_scale(low, high);
    (widened(low / scale, high / scale), scale)
}

/// An axis description with its unit: `x (× 1e306)`.
fn in_units(label: &str, scale: f64) -> String {
    if scale == 1.0 { label.to_string() } else { format!("{label} (× {scale:e})") }
}

/// 1, or the power of ten that brings values as large as `low`..`high` down to at most 1000
/// (read from its decimal form, so that it is exactly 1e306 and labels as such).
fn axis_scale(low: f64, high: f64) -> f64 {
    let largest = low.abs().max(high.abs());
    if largest < 1e12 {
        return 1.0;
    }
    let exponent = crate::math::log10(largest).floor() as i32 - 2;
    format!("1e{exponent}").parse().unwrap_or(1.0)
}

/// A range at least a millionth of its magnitude wide (and at least 1e-9), so that its ticks
/// can be told apart.
fn widened(low: f64, high: f64) -> (f64, f64) {
    let least = (low.abs().max(high.abs()) * 1e-6).max(1e-9);
    if high - low >= least {
        return (low, high);
    }
    let middle = low / 2.0 + high / 2.0;
    (middle - least, middle + least)
}

/// The picture as XML can hold it: a control character of a user's title or name (which XML
/// forbids, and which would make the file unreadable) is written as its escape, `\u001b`.
pub(crate) fn well_formed(svg: String) -> String {
    match crate::error::terminal_safe(&svg) {
        std::borrow::Cow::Borrowed(_) => svg,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

pub(crate) fn svg_fallback(title: &str) -> String {
    well_formed(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"540\" height=\"60\" viewBox=\"0 0 540 60\"><text x=\"10\" y=\"30\" font-size=\"16\">{}</text></svg>",
        title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    ))
}

/// The frame every line chart is drawn in: a caption, axes described and ticked at 12 px, no
/// grid; x ticked at whole numbers only when `counts` (epochs, layers).
pub(crate) fn line_frame<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    (x, y): (std::ops::Range<f64>, std::ops::Range<f64>),
    (x_label, y_label): (&str, &str),
    counts: bool,
) -> Option<
    ChartContext<
        'a,
        SVGBackend<'b>,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
> {
    let (x_range, y_range) = (x.end - x.start, y.end - y.start);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", CAPTION_SIZE))
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(74)
        .build_cartesian_2d(x, y)
        .ok()?;
    let whole = |x: &f64| if x.fract() == 0.0 { format!("{x:.0}") } else { String::new() };
    let x_tick = move |v: &f64| tick_label(*v, x_range);
    let y_tick = move |v: &f64| tick_label(*v, y_range);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_label)
        .y_desc(y_label)
        .x_labels(TICKS)
        .y_labels(TICKS)
        .y_label_formatter(&y_tick)
        .label_style(("sans-serif", LABEL_SIZE))
        .axis_desc_style(("sans-serif", AXIS_SIZE))
        .light_line_style(WHITE.mix(0.0));
    if counts {
        mesh.x_label_formatter(&whole);
    } else {
        mesh.x_label_formatter(&x_tick);
    }
    let _ = mesh.draw();
    Some(chart)
}

/// A chart over the region `x` × `y` with a caption and axes but no grid, for shaded surfaces.
fn region_chart<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    x: (f64, f64),
    y: (f64, f64),
    axes: (&str, &str),
) -> Option<
    ChartContext<
        'a,
        SVGBackend<'b>,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
> {
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", CAPTION_SIZE))
        .margin(12)
        .x_label_area_size(52)
        .y_label_area_size(64)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
        .ok()?;
    let (x_range, y_range) = (x.1 - x.0, y.1 - y.0);
    let x_tick = move |v: &f64| tick_label(*v, x_range);
    let y_tick = move |v: &f64| tick_label(*v, y_range);
    let _ = chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(TICKS)
        .y_labels(TICKS)
        .x_label_formatter(&x_tick)
        .y_label_formatter(&y_tick)
        .x_desc(axes.0)
        .y_desc(axes.1)
        .label_style(("sans-serif", LABEL_SIZE))
        .axis_desc_style(("sans-serif", AXIS_SIZE))
        .draw();
    Some(chart)
}

/// Filled rectangles over a grid of cells (row 0 at the bottom): neighbours in a row with the
/// same colour are one rectangle, so a picture of a smooth surface in a few shades stays small
/// (a 70×70 grid in 12 shades is a few hundred rectangles, not 4,900).
fn shaded_cells(
    cells: &[Vec<f64>],
    x: (f64, f64),
    y: (f64, f64),
    colour: impl Fn(f64) -> RGBColor,
) -> Vec<Rectangle<(f64, f64)>> {
    let rows = cells.len();
    let columns = cells.first().map_or(0, Vec::len);
    let (dx, dy) = ((x.1 - x.0) / columns.max(1) as f64, (y.1 - y.0) / rows.max(1) as f64);
    let mut out = Vec::new();
    for (i, row) in cells.iter().enumerate() {
        let y0 = y.0 + i as f64 * dy;
        let mut start = 0;
        while start < row.len() {
            let shade = colour(row[start]);
            let mut end = start + 1;
            while end < row.len() && colour(row[end]) == shade {
                end += 1;
            }
            let (x0, x1) = (x.0 + start as f64 * dx, x.0 + end as f64 * dx);
            out.push(Rectangle::new([(x0, y0), (x1, y0 + dy)], shade.filled()));
            start = end;
        }
    }
    out
}

/// `t` in [0, 1] rounded to one of `levels` + 1 shades.
fn quantised(t: f64, levels: f64) -> f64 {
    (t.clamp(0.0, 1.0) * levels).round() / levels
}

/// A loss surface as shaded cells (darker is higher, on a log scale) with paths drawn over it.
pub fn surface_with_paths(
    title: &str,
    x: (f64, f64),
    y: (f64, f64),
    axes: (&str, &str),
    cells: &[Vec<f64>],
    paths: &[Series],
) -> String {
    let ((x, sx), (y, sy)) = (axis(x), axis(y));
    let axes = (in_units(axes.0, sx), in_units(axes.1, sy));
    let mut svg = String::new();
    let entries: Vec<Entry> = paths
        .iter()
        .enumerate()
        .map(|(i, s)| Entry { name: s.name.clone(), colour: COLOURS[i % COLOURS.len()], mark: Mark::Line })
        .collect();
    {
        let (root, strip) = with_legend(&mut svg, 440, &entries);
        let Some(mut chart) = region_chart(&root, title, x, y, (&axes.0, &axes.1)) else { return svg_fallback(title) };
        let finite: Vec<f64> = cells.iter().flatten().copied().filter(|v| v.is_finite()).collect();
        let low = finite.iter().copied().fold(f64::INFINITY, f64::min);
        let high = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let shade = move |v: f64| -> RGBColor {
            let t = if high > low {
                quantised(crate::math::ln_1p(v - low) / crate::math::ln_1p(high - low), 12.0)
            } else {
                0.0
            };
            // Light: from near white at the minimum to a pale blue-grey at the top, so the
            // paths drawn over it stay the strongest marks.
            let level = 250.0 - 70.0 * t;
            RGBColor(level as u8, level as u8, (level + 5.0).min(255.0) as u8)
        };
        let _ = chart.draw_series(shaded_cells(cells, x, y, shade));
        for (i, s) in paths.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let data: Vec<(f64, f64)> =
                s.points.iter().map(|p| (p.0 / sx, p.1 / sy)).filter(|p| p.0.is_finite() && p.1.is_finite()).collect();
            let _ = chart.draw_series(LineSeries::new(data.clone(), colour.stroke_width(2)));
            let _ = chart.draw_series(data.iter().map(|&p| Circle::new(p, 2, colour.filled())));
        }
        legend::draw(&strip, &entries);
        let _ = root.present();
    }
    well_formed(svg)
}

/// Decision regions of a 2-D classifier: cells shaded by the predicted probability of class 1,
/// with the samples drawn over them.
pub fn decision_regions(
    title: &str,
    x: (f64, f64),
    y: (f64, f64),
    probability: &[Vec<f64>],
    samples: &[(f64, f64, bool)],
) -> String {
    let ((x, sx), (y, sy)) = (axis(x), axis(y));
    let axes = (in_units("x₁", sx), in_units("x₂", sy));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (480, 440)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let Some(mut chart) = region_chart(&root, title, x, y, (&axes.0, &axes.1)) else { return svg_fallback(title) };
        // Blue for class 0, orange for class 1, pale near the boundary.
        let colour = |p: f64| {
            let p = quantised(p, 10.0);
            RGBColor((205.0 + 45.0 * p) as u8, (225.0 - 20.0 * p) as u8, (250.0 - 90.0 * p) as u8)
        };
        let _ = chart.draw_series(shaded_cells(probability, x, y, colour));
        let _ = chart.draw_series(samples.iter().map(|&(a, b, one)| {
            // Class 1's dots a dark orange on its orange region, as the playground draws them.
            let colour = if one { RGBColor(204, 85, 0) } else { RGBColor(31, 119, 180) };
            Circle::new((a / sx, b / sy), 3, colour.filled())
        }));
        let _ = root.present();
    }
    well_formed(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_picture_escapes_its_title() {
        let svg = svg_fallback("loss & accuracy <b>\"q\"</b>\x1b");
        assert!(svg.contains("\\u001b"), "{svg}");
        assert!(svg.contains("loss &amp; accuracy &lt;b&gt;"), "{svg}");
        assert!(!svg.contains("& ") && !svg.contains("<b>"), "{svg}");
    }

    #[test]
    fn axes_of_any_finite_range_can_be_ticked() {
        for range in
            [(1e308, 1e308), (-f64::MAX, f64::MAX), (f64::INFINITY, f64::INFINITY), (f64::NAN, 1.0), (5e-324, 5e-324)]
        {
            let ((low, high), scale) = axis(range);
            assert!(
                low.is_finite() && high.is_finite() && low < high && scale.is_finite(),
                "{range:?}: {low} {high} {scale}"
            );
        }
    }
}
