//! A layout in linear time for pictures too large for layout-rs (whose crossing reduction
//! grows much faster than the graph: a Horner polynomial of degree 66 takes seconds, degree
//! 100 most of a minute). Nodes go into columns by their longest path from an input, are
//! ordered within a column by where their inputs stand (one barycentre sweep), and edges are
//! drawn as curves from column to column. It crosses more edges than layout-rs, so small
//! pictures keep layout-rs.

use super::{CHAR_WIDTH, Canvas, FONT_SIZE, LINE_HEIGHT, Picture, Shape};
use crate::said::picture::PictureWords;
use layout::core::color::Color;
use layout::core::format::RenderBackend;
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;

const COLUMN_GAP: f64 = 60.0;
const ROW_GAP: f64 = 16.0;

/// Pictures with more nodes and edges than this together are drawn in columns.
pub const LAYOUT_RS_LIMIT: usize = 200;

/// layout-rs's time grows with the number of paths through the picture, not only its size: a
/// chain where each node is used twice on the way up (`aₖ = max(aₖ₋₁, y)·aₖ₋₁`, or
/// `aₖ = aₖ₋₁·aₖ₋₁`) has 2ⁿ paths, and 20 levels took 0.6 s, 30 never finished. Pictures
/// with more paths from the inputs to the output than this are drawn in columns.
const PATHS_LIMIT: u64 = 4096;

/// layout-rs routes an edge that spans k columns through k hidden nodes, so a node used at
/// every level (x in a power tower x^x^…^x) makes its work quadratic: 65 levels took 1.8 s.
/// Pictures whose edges span more columns in all than this are drawn in columns.
const SPANS_LIMIT: usize = 600;

/// Whether layout-rs would take too long on this picture.
pub fn too_large_for_layout_rs(picture: &Picture) -> bool {
    if picture.nodes.len() + picture.edges.len() > LAYOUT_RS_LIMIT || paths(picture) > PATHS_LIMIT {
        return true;
    }
    let column = columns(picture);
    let spans: usize = picture.edges.iter().map(|&(from, to)| column[to].saturating_sub(column[from])).sum();
    spans > SPANS_LIMIT
}

/// The number of paths from nodes without inputs to nodes without users (saturating).
fn paths(picture: &Picture) -> u64 {
    let n = picture.nodes.len();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting = vec![0usize; n];
    for &(from, to) in &picture.edges {
        users[from].push(to);
        waiting[to] += 1;
    }
    let mut count: Vec<u64> = waiting.iter().map(|&w| u64::from(w == 0)).collect();
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut total = 0u64;
    while let Some(i) = ready.pop() {
        if users[i].is_empty() {
            total = total.saturating_add(count[i]);
        }
        for &u in &users[i] {
            count[u] = count[u].saturating_add(count[i]);
            waiting[u] -= 1;
            if waiting[u] == 0 {
                ready.push(u);
            }
        }
    }
    total
}

fn node_size(picture: &Picture, i: usize) -> (f64, f64) {
    let node = &picture.nodes[i];
    let widest = node.lines.iter().map(|(_, t)| t.chars().count()).max().unwrap_or(1) as f64;
    (widest * CHAR_WIDTH + 20.0, node.lines.len() as f64 * LINE_HEIGHT + 12.0)
}

/// Each node's column: 0 for nodes without inputs, else one more than its furthest input.
fn columns(picture: &Picture) -> Vec<usize> {
    let n = picture.nodes.len();
    let mut inputs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(from, to) in &picture.edges {
        inputs[to].push(from);
        users[from].push(to);
    }
    // Kahn's algorithm: a node is placed once all its inputs are.
    let mut waiting: Vec<usize> = inputs.iter().map(Vec::len).collect();
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut column = vec![0; n];
    while let Some(i) = ready.pop() {
        for &u in &users[i] {
            column[u] = column[u].max(column[i] + 1);
            waiting[u] -= 1;
            if waiting[u] == 0 {
                ready.push(u);
            }
        }
    }
    column
}

/// The picture drawn in columns, with a line under the title that says so.
pub fn layered_svg(picture: &Picture) -> String {
    let column = columns(picture);
    let count = column.iter().max().map_or(0, |&c| c + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, &c) in column.iter().enumerate() {
        members[c].push(i);
    }
    // One barycentre sweep: a node sits near the mean row of its inputs.
    let mut row = vec![0.0; picture.nodes.len()];
    let mut inputs: Vec<Vec<usize>> = vec![Vec::new(); picture.nodes.len()];
    for &(from, to) in &picture.edges {
        inputs[to].push(from);
    }
    for nodes in members.iter_mut() {
        let key = |i: usize| {
            let from = &inputs[i];
            if from.is_empty() { i as f64 } else { from.iter().map(|&f| row[f]).sum::<f64>() / from.len() as f64 }
        };
        let mut keyed: Vec<(f64, usize)> = nodes.iter().map(|&i| (key(i), i)).collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        *nodes = keyed.into_iter().map(|(_, i)| i).collect();
        for (r, &i) in nodes.iter().enumerate() {
            row[i] = r as f64;
        }
    }
    // Places: columns side by side, each as wide as its widest node.
    let mut place = vec![(0.0, 0.0); picture.nodes.len()];
    let mut x = 0.0;
    for nodes in &members {
        let width = nodes.iter().map(|&i| node_size(picture, i).0).fold(0.0, f64::max);
        let mut y = 0.0;
        for &i in nodes {
            let (w, h) = node_size(picture, i);
            place[i] = (x + (width - w) / 2.0, y);
            y += h + ROW_GAP;
        }
        x += width + COLUMN_GAP;
    }
    let mut canvas = Canvas::default();
    // A repeated edge (x·x) is drawn a little apart from the first, so both arrows show.
    let mut drawn: std::collections::HashMap<(usize, usize), f64> = std::collections::HashMap::new();
    for &(from, to) in &picture.edges {
        let (fw, fh) = node_size(picture, from);
        let (_, th) = node_size(picture, to);
        let offset = drawn.entry((from, to)).and_modify(|o| *o += 6.0).or_insert(0.0);
        let start = Point::new(place[from].0 + fw, place[from].1 + fh / 2.0 + *offset);
        let stop = Point::new(place[to].0, place[to].1 + th / 2.0 + *offset);
        let bend = (stop.x - start.x).abs() / 2.0;
        let path = [(start, Point::new(start.x + bend, start.y)), (Point::new(stop.x - bend, stop.y), stop)];
        canvas.draw_arrow(&path, false, (false, true), &StyleAttr::simple(), None, "");
    }
    for (i, node) in picture.nodes.iter().enumerate() {
        let (w, h) = node_size(picture, i);
        let (fill, rounded) = match node.shape {
            Shape::Variable => (Color::new(0xe3f2fdff), 0),
            Shape::Constant => (Color::new(0xeeeeeeff), 0),
            Shape::Operation => (Color::new(0xffffffff), 10),
        };
        let look = StyleAttr::new(Color::fast("black"), 1, Some(fill), rounded, FONT_SIZE);
        canvas.draw_rect(Point::new(place[i].0, place[i].1), Point::new(w, h), &look, None, None);
        let text: Vec<String> = node.lines.iter().map(|(kind, t)| format!("{}{t}", super::marker(*kind))).collect();
        canvas.draw_text(Point::new(place[i].0 + w / 2.0, place[i].1 + h / 2.0), &text.join("\n"), &look);
    }
    let columns = PictureWords::Columns { nodes: picture.nodes.len(), edges: picture.edges.len() };
    let title = format!("{}{}", picture.title, columns.to(picture.lang));
    canvas.finish(&title, picture.legend())
}
