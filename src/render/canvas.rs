//! The drawing surface the map is drawn on, and its SVG back-end.
//!
//! [`super::map`] lays the map out once and draws it through [`Canvas`]: a
//! handful of primitives (rectangle, circle, path, text, groups, one clip).
//! [`SvgCanvas`] writes them as SVG text (map.svg); [`super::raster`] paints
//! them straight into a tiny-skia pixmap (map.png). One drawing sequence for
//! both keeps the two files the same picture.
//!
//! Coordinates are pixels, y down. The SVG writes them with 0.1 px precision
//! and fixed formatting ([`super::num`]), so the same data gives the same bytes.

use super::palette::Rgba;
use super::{num, xml_escape};
use std::fmt::Write as _;

/// An outline: colour and width in pixels (round caps and joins where it matters).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub colour: Rgba,
    pub width: f64,
}

/// Path geometry in pixels: sub-paths, each a list of points and whether it is closed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shape {
    pub parts: Vec<(Vec<(f64, f64)>, bool)>,
}

impl Shape {
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
    /// SVG path data (`M`, `L`, `Z`), 0.1 px precision.
    pub fn svg_data(&self) -> String {
        let mut d = String::new();
        for (pts, closed) in &self.parts {
            for (i, p) in pts.iter().enumerate() {
                d.push(if i == 0 { 'M' } else { 'L' });
                d.push_str(&num(p.0, 1));
                d.push(' ');
                d.push_str(&num(p.1, 1));
            }
            if *closed {
                d.push('Z');
            }
        }
        d
    }
}

/// How a filled [`Shape`] decides inside: SVG's `fill-rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FillRule {
    NonZero,
    EvenOdd,
}

/// Where a text's `x` lies: SVG's `text-anchor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// One line of text at a baseline point, in DejaVu Sans.
#[derive(Debug, Clone)]
pub(crate) struct Text<'a> {
    /// SVG element id (tests find labels by it); `None` writes none.
    pub id: Option<String>,
    pub x: f64,
    /// Baseline, pixels.
    pub y: f64,
    /// Font size, pixels.
    pub size: f64,
    pub bold: bool,
    pub anchor: Anchor,
    pub fill: Rgba,
    /// A halo drawn under the text: colour and stroke width (round joins).
    pub halo: Option<Line>,
    pub text: &'a str,
}

/// The drawing primitives of the map.
pub(crate) trait Canvas {
    /// Starts a named group (SVG `<g id>`; no effect on pixels).
    fn group(&mut self, id: &str);
    /// Ends the innermost group started by [`Canvas::group`].
    fn end_group(&mut self);
    /// Starts the clipped map group: everything until [`Canvas::end_clip`]
    /// shows only inside the rectangle. Outside it the page must still be
    /// plain `backdrop` (nothing drawn there yet but the page background): a
    /// raster canvas clips by painting `backdrop` back over the outside at
    /// [`Canvas::end_clip`], which costs four rectangles where a clip mask
    /// slowed every fill inside the map.
    #[allow(clippy::too_many_arguments)]
    fn clip(&mut self, id: &str, x: f64, y: f64, w: f64, h: f64, backdrop: Rgba);
    fn end_clip(&mut self);
    /// A rectangle with optional fill, outline and corner radius.
    #[allow(clippy::too_many_arguments)]
    fn rect(
        &mut self,
        id: Option<&str>,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Option<Rgba>,
        stroke: Option<Line>,
        radius: f64,
    );
    fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: Rgba, stroke: Option<Line>);
    /// A path: filled (with its rule), stroked, or both (fill first).
    fn path(&mut self, shape: &Shape, fill: Option<(Rgba, FillRule)>, stroke: Option<Line>);
    fn text(&mut self, t: &Text);
}

/// Writes the map as SVG text.
pub(crate) struct SvgCanvas {
    pub out: String,
}

fn fill_attrs(c: Rgba) -> String {
    if c.3 == 255 {
        format!("fill=\"{}\"", c.hex())
    } else {
        format!("fill=\"{}\" fill-opacity=\"{}\"", c.hex(), c.opacity())
    }
}

fn stroke_attrs(s: Option<Line>) -> String {
    match s {
        None => String::new(),
        Some(l) if l.colour.3 == 255 => format!(
            " stroke=\"{}\" stroke-width=\"{}\"",
            l.colour.hex(),
            num(l.width, 1)
        ),
        Some(l) => format!(
            " stroke=\"{}\" stroke-opacity=\"{}\" stroke-width=\"{}\"",
            l.colour.hex(),
            l.colour.opacity(),
            num(l.width, 1)
        ),
    }
}

impl SvgCanvas {
    /// An SVG document `width` × `height` pixels with `title`, DejaVu Sans as its font.
    pub fn new(width: f64, height: f64, title: &str) -> Self {
        let mut out = String::with_capacity(64 * 1024);
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans\">",
            w = num(width, 1),
            h = num(height, 1)
        );
        let _ = writeln!(out, "<title>{}</title>", xml_escape(title));
        SvgCanvas { out }
    }
    /// The finished document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

impl Canvas for SvgCanvas {
    fn group(&mut self, id: &str) {
        let _ = writeln!(self.out, "<g id=\"{}\">", xml_escape(id));
    }
    fn end_group(&mut self) {
        self.out.push_str("</g>\n");
    }
    fn clip(&mut self, id: &str, x: f64, y: f64, w: f64, h: f64, _backdrop: Rgba) {
        let _ = writeln!(
            self.out,
            "<defs><clipPath id=\"{id}-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>",
            num(x, 1),
            num(y, 1),
            num(w, 1),
            num(h, 1)
        );
        let _ = writeln!(self.out, "<g id=\"{id}\" clip-path=\"url(#{id}-clip)\">");
    }
    fn end_clip(&mut self) {
        self.out.push_str("</g>\n");
    }
    fn rect(
        &mut self,
        id: Option<&str>,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Option<Rgba>,
        stroke: Option<Line>,
        radius: f64,
    ) {
        let _ = writeln!(
            self.out,
            "<rect{} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{} {}{}/>",
            id.map(|i| format!(" id=\"{i}\"")).unwrap_or_default(),
            num(x, 1),
            num(y, 1),
            num(w, 1),
            num(h, 1),
            if radius > 0.0 {
                format!(" rx=\"{}\"", num(radius, 1))
            } else {
                String::new()
            },
            fill.map(fill_attrs)
                .unwrap_or_else(|| "fill=\"none\"".into()),
            stroke_attrs(stroke)
        );
    }
    fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: Rgba, stroke: Option<Line>) {
        let _ = writeln!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {}{}/>",
            num(cx, 1),
            num(cy, 1),
            num(r, 1),
            fill_attrs(fill),
            stroke_attrs(stroke)
        );
    }
    fn path(&mut self, shape: &Shape, fill: Option<(Rgba, FillRule)>, stroke: Option<Line>) {
        if shape.is_empty() {
            return;
        }
        let fill = match fill {
            Some((c, FillRule::NonZero)) => fill_attrs(c),
            Some((c, FillRule::EvenOdd)) => format!("{} fill-rule=\"evenodd\"", fill_attrs(c)),
            None => "fill=\"none\"".into(),
        };
        let caps = if stroke.is_some() {
            " stroke-linecap=\"round\" stroke-linejoin=\"round\""
        } else {
            ""
        };
        let _ = writeln!(
            self.out,
            "<path d=\"{}\" {fill}{}{caps}/>",
            shape.svg_data(),
            stroke_attrs(stroke)
        );
    }
    fn text(&mut self, t: &Text) {
        let halo = match t.halo {
            Some(l) => format!(
                " stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
                l.colour.hex(),
                num(l.width, 1)
            ),
            None => String::new(),
        };
        let _ = writeln!(
            self.out,
            "<text{} x=\"{}\" y=\"{}\"{} font-size=\"{}\"{} {}{halo}>{}</text>",
            t.id.as_ref()
                .map(|i| format!(" id=\"{}\"", xml_escape(i)))
                .unwrap_or_default(),
            num(t.x, 1),
            num(t.y, 1),
            if t.anchor == Anchor::Start {
                String::new()
            } else {
                format!(" text-anchor=\"{}\"", t.anchor.as_str())
            },
            num(t.size, 1),
            if t.bold { " font-weight=\"bold\"" } else { "" },
            fill_attrs(t.fill),
            xml_escape(t.text)
        );
    }
}
