//! Pictures of computation graphs: DOT text for Graphviz users, and SVG drawn in pure Rust.
//!
//! layout-rs places the nodes (left to right, inputs first); our own `RenderBackend` writes the
//! SVG so that every text line gets its own colour — forward values green, gradients red, as
//! in the classic circuit diagrams — and so that the output is byte-for-byte deterministic.

mod layers;

use crate::format::display_width;
use crate::lang::Lang;
use crate::said::picture::PictureWords;
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use std::fmt::Write;

/// What a line of a node's label shows; each kind has its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Label,
    Value,
    Gradient,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A variable: the inputs of the circuit.
    Variable,
    Constant,
    /// An operation (a gate).
    Operation,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PictureNode {
    pub lines: Vec<(LineKind, String)>,
    pub shape: Shape,
}

/// A graph to draw: nodes and edges (from input to user), in a deterministic order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Picture {
    pub title: String,
    pub nodes: Vec<PictureNode>,
    pub edges: Vec<(usize, usize)>,
    /// Whether values and gradients are shown (then a legend explains the colours).
    pub with_values: bool,
    /// The output's name, for the legend's ∂output/∂node.
    pub output: String,
    /// The language of the legend (the title comes written).
    pub lang: Lang,
}

const FONT_SIZE: usize = 14;
const LINE_HEIGHT: f64 = 18.0;
const CHAR_WIDTH: f64 = 8.6;
const VALUE_COLOUR: &str = "#1a7f37";
const GRADIENT_COLOUR: &str = "#c62828";

impl Picture {
    /// The legend's two lines (what green and red mean), when values are shown.
    fn legend(&self) -> Option<[String; 2]> {
        self.with_values.then(|| {
            [
                PictureWords::ValueLegend.to(self.lang),
                PictureWords::GradientLegend { output: self.output.clone() }.to(self.lang),
            ]
        })
    }

    /// Graphviz DOT, with the same labels and colours (as HTML-like labels).
    pub fn to_dot(&self) -> String {
        let mut out =
            String::from("digraph backprop {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=14];\n");
        let _ = writeln!(out, "  label=\"{}\"; labelloc=t;", dot_escape(&self.title));
        for (i, node) in self.nodes.iter().enumerate() {
            let rows: Vec<String> = node
                .lines
                .iter()
                .map(|(kind, text)| {
                    let text = html_escape(text);
                    match kind {
                        LineKind::Label => text,
                        LineKind::Value => format!("<font color=\"{VALUE_COLOUR}\">{text}</font>"),
                        LineKind::Gradient => format!("<font color=\"{GRADIENT_COLOUR}\">{text}</font>"),
                    }
                })
                .collect();
            let (shape, style) = match node.shape {
                Shape::Variable => ("box", "filled\", fillcolor=\"#e3f2fd"),
                Shape::Constant => ("box", "filled\", fillcolor=\"#eeeeee"),
                Shape::Operation => ("box", "rounded"),
            };
            let _ = writeln!(out, "  n{i} [shape={shape}, style=\"{style}\", label=<{}>];", rows.join("<br/>"));
        }
        for (from, to) in &self.edges {
            let _ = writeln!(out, "  n{from} -> n{to};");
        }
        out.push_str("}\n");
        out
    }

    /// A standalone SVG picture. Large pictures are drawn in columns by depth, in linear time
    /// (the title says so).
    pub fn to_svg(&self) -> String {
        if layers::too_large_for_layout_rs(self) {
            return layers::layered_svg(self);
        }
        let mut graph = VisualGraph::new(Orientation::LeftToRight);
        let mut handles = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
            // Lines travel to the backend in one string, each prefixed with its kind.
            let text: Vec<String> = node.lines.iter().map(|(kind, t)| format!("{}{t}", marker(*kind))).collect();
            let widest = node.lines.iter().map(|(_, t)| t.chars().count()).max().unwrap_or(1) as f64;
            let size = Point::new(widest * CHAR_WIDTH + 20.0, node.lines.len() as f64 * LINE_HEIGHT + 12.0);
            let (fill, rounded) = match node.shape {
                Shape::Variable => (Some(Color::new(0xe3f2fdff)), 0),
                Shape::Constant => (Some(Color::new(0xeeeeeeff)), 0),
                Shape::Operation => (Some(Color::new(0xffffffff)), 10),
            };
            let look = StyleAttr::new(Color::fast("black"), 1, fill, rounded, FONT_SIZE);
            let element = Element::create(ShapeKind::new_box(&text.join("\n")), look, Orientation::LeftToRight, size);
            handles.push(graph.add_node(element));
        }
        for &(from, to) in &self.edges {
            graph.add_edge(Arrow::simple(""), handles[from], handles[to]);
        }
        let mut canvas = Canvas::default();
        if !self.nodes.is_empty() {
            graph.do_it(false, false, false, &mut canvas);
        }
        canvas.finish(&self.title, self.legend())
    }
}

fn marker(kind: LineKind) -> char {
    match kind {
        LineKind::Label => '\u{1}',
        LineKind::Value => '\u{2}',
        LineKind::Gradient => '\u{3}',
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn dot_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Rounds coordinates so that the SVG is compact and stable.
fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() { format!("{}", r as i64) } else { format!("{r:.1}") }
}

/// The SVG backend: collects shapes and their bounding box.
#[derive(Default)]
struct Canvas {
    body: String,
    min: Option<(f64, f64)>,
    max: Option<(f64, f64)>,
}

impl Canvas {
    fn grow(&mut self, x: f64, y: f64) {
        let (lx, ly) = self.min.unwrap_or((x, y));
        let (hx, hy) = self.max.unwrap_or((x, y));
        self.min = Some((lx.min(x), ly.min(y)));
        self.max = Some((hx.max(x), hy.max(y)));
    }

    fn finish(self, title: &str, legend: Option<[String; 2]>) -> String {
        const MARGIN: f64 = 16.0;
        let (lx, ly) = self.min.unwrap_or((0.0, 0.0));
        let (hx, hy) = self.max.unwrap_or((0.0, 0.0));
        let title_height = 28.0;
        let legend_height = if legend.is_some() { 24.0 } else { 0.0 };
        let width = (hx - lx + 2.0 * MARGIN).max(display_width(title) as f64 * CHAR_WIDTH + 2.0 * MARGIN).max(360.0);
        let height = hy - ly + 2.0 * MARGIN + title_height + legend_height;
        let (ox, oy) = (lx - MARGIN, ly - MARGIN - title_height);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"{x} {y} {w} {h}\" \
             font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"{FONT_SIZE}\">",
            w = n(width),
            h = n(height),
            x = n(ox),
            y = n(oy)
        );
        let _ = writeln!(out, "<title>{}</title>", html_escape(title));
        out.push_str(
            "<defs><marker id=\"arrowhead\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" \
             markerHeight=\"7\" orient=\"auto\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#444\"/></marker></defs>\n",
        );
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"white\"/>",
            n(ox),
            n(oy),
            n(width),
            n(height)
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"15\" font-weight=\"bold\" fill=\"#111\">{}</text>",
            n(ox + MARGIN),
            n(oy + 20.0),
            html_escape(title)
        );
        out.push_str(&self.body);
        if let Some([value, gradient]) = legend {
            let y = oy + height - 10.0;
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"{VALUE_COLOUR}\">{}</text>\
                 <text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"{GRADIENT_COLOUR}\">{}</text>",
                n(ox + MARGIN),
                n(y),
                html_escape(&value),
                n(ox + MARGIN + 170.0),
                n(y),
                html_escape(&gradient)
            );
        }
        out.push_str("</svg>\n");
        out
    }
}

fn colour(look: &Color) -> String {
    look.to_web_color()
}

impl RenderBackend for Canvas {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        look: &StyleAttr,
        _properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        self.grow(xy.x, xy.y);
        self.grow(xy.x + size.x, xy.y + size.y);
        let fill = look.fill_color.map(|c| colour(&c)).unwrap_or_else(|| "none".into());
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
            n(xy.x),
            n(xy.y),
            n(size.x),
            n(size.y),
            look.rounded,
            // Web colours carry an alpha byte; keep the RGB part.
            &fill[..fill.len().min(7)],
            &colour(&look.line_color)[..7],
            look.line_width
        );
    }

    fn draw_line(&mut self, start: Point, stop: Point, look: &StyleAttr, _properties: Option<String>) {
        self.grow(start.x, start.y);
        self.grow(stop.x, stop.y);
        let _ = writeln!(
            self.body,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>",
            n(start.x),
            n(start.y),
            n(stop.x),
            n(stop.y),
            &colour(&look.line_color)[..7]
        );
    }

    fn draw_circle(&mut self, xy: Point, size: Point, look: &StyleAttr, _properties: Option<String>) {
        self.grow(xy.x - size.x / 2.0, xy.y - size.y / 2.0);
        self.grow(xy.x + size.x / 2.0, xy.y + size.y / 2.0);
        let _ = writeln!(
            self.body,
            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" fill=\"white\" stroke=\"{}\"/>",
            n(xy.x),
            n(xy.y),
            n(size.x / 2.0),
            n(size.y / 2.0),
            &colour(&look.line_color)[..7]
        );
    }

    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        let lines: Vec<&str> = text.lines().collect();
        let top = xy.y - (lines.len() as f64 - 1.0) * LINE_HEIGHT / 2.0;
        for (i, line) in lines.iter().enumerate() {
            let mut chars = line.chars();
            let (fill, weight) = match chars.next() {
                Some('\u{2}') => (VALUE_COLOUR, "normal"),
                Some('\u{3}') => (GRADIENT_COLOUR, "normal"),
                _ => ("#111", "bold"),
            };
            let content = if line.starts_with(['\u{1}', '\u{2}', '\u{3}']) { chars.as_str() } else { line };
            let _ = writeln!(
                self.body,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"{fill}\" font-weight=\"{weight}\">{}</text>",
                n(xy.x),
                n(top + i as f64 * LINE_HEIGHT),
                html_escape(content)
            );
        }
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        _head: (bool, bool),
        _look: &StyleAttr,
        _properties: Option<String>,
        _text: &str,
    ) {
        if path.len() < 2 {
            return;
        }
        for (a, b) in path {
            self.grow(a.x, a.y);
            self.grow(b.x, b.y);
        }
        let mut d = format!(
            "M {} {} C {} {}, {} {}, {} {}",
            n(path[0].0.x),
            n(path[0].0.y),
            n(path[0].1.x),
            n(path[0].1.y),
            n(path[1].0.x),
            n(path[1].0.y),
            n(path[1].1.x),
            n(path[1].1.y)
        );
        for (a, b) in path.iter().skip(2) {
            let _ = write!(d, " S {} {}, {} {}", n(a.x), n(a.y), n(b.x), n(b.y));
        }
        let _ = writeln!(
            self.body,
            "<path d=\"{d}\" fill=\"none\" stroke=\"#444\" stroke-width=\"1.3\" marker-end=\"url(#arrowhead)\"/>"
        );
    }

    fn create_clip(&mut self, _xy: Point, _size: Point, _rounded_px: usize) -> ClipHandle {
        0
    }
}
