//! Legends under a chart, never over its data: a strip of entries (a short line or a dot in the
//! series' colour, then its name), laid out in rows as wide as the picture.

use super::LABEL_SIZE;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How an entry shows its series: a line, or a dot (data points).
#[derive(Clone, Copy)]
pub(crate) enum Mark {
    Line,
    Dot,
}

pub(crate) struct Entry {
    pub name: String,
    pub colour: RGBColor,
    pub mark: Mark,
}

/// One row of entries, in pixels.
const ROW: u32 = 28;
const SWATCH: i32 = 22;
const GAP: i32 = 22;

/// The drawn width of a name: plotters sets its text at about 0.8 of the font size asked for,
/// and a character of a sans-serif font averages about 0.55 of that.
fn text_width(name: &str) -> i32 {
    // A Chinese character is about twice as wide as a Latin one (as a terminal counts it).
    (crate::format::display_width(name) as f64 * LABEL_SIZE * 0.806 * 0.56).ceil() as i32
}

/// The entries of each row, for a strip `width` pixels wide.
fn rows(entries: &[Entry], width: i32) -> Vec<Vec<&Entry>> {
    let mut out: Vec<Vec<&Entry>> = Vec::new();
    let mut used = width;
    for e in entries {
        let w = SWATCH + 6 + text_width(&e.name);
        if used + GAP + w > width - 16 || out.is_empty() {
            out.push(Vec::new());
            used = 0;
        } else {
            used += GAP;
        }
        used += w;
        if let Some(row) = out.last_mut() {
            row.push(e);
        }
    }
    out
}

/// The height of the strip the entries need (0 for none).
pub(crate) fn height(entries: &[Entry], width: u32) -> u32 {
    match rows(entries, width as i32).len() as u32 {
        0 => 0,
        n => n * ROW + 10,
    }
}

/// Draws the entries into `area`, a strip as wide as the picture.
pub(crate) fn draw(area: &DrawingArea<SVGBackend<'_>, Shift>, entries: &[Entry]) {
    let width = area.dim_in_pixel().0 as i32;
    for (r, row) in rows(entries, width).iter().enumerate() {
        let total: i32 =
            row.iter().map(|e| SWATCH + 6 + text_width(&e.name)).sum::<i32>() + GAP * (row.len() as i32 - 1);
        let mut x = ((width - total) / 2).max(8);
        let y = r as i32 * ROW as i32 + 4;
        let middle = y + ROW as i32 / 2 - 2;
        for e in row {
            let _ = match e.mark {
                Mark::Line => {
                    area.draw(&PathElement::new(vec![(x, middle), (x + SWATCH, middle)], e.colour.stroke_width(3)))
                }
                Mark::Dot => area.draw(&Circle::new((x + SWATCH / 2, middle), 4, e.colour.filled())),
            };
            let font = ("sans-serif", LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
            let _ = area.draw(&Text::new(e.name.clone(), (x + SWATCH + 6, middle), font));
            x += SWATCH + 6 + text_width(&e.name) + GAP;
        }
    }
}
