//! map.png painted straight into a tiny-skia pixmap, no SVG in between.
//!
//! [`PixmapCanvas`] implements [`Canvas`] with tiny-skia (the rasteriser resvg
//! uses, `resvg::tiny_skia`, 0.12): paths and circles are filled and stroked
//! anti-aliased; the map group is clipped by painting the page back
//! around it (see [`Canvas::clip`]). Text is laid out by usvg
//! (the same shaping and embedded DejaVu Sans that drew map.png from map.svg
//! before): each distinct (text, size, weight, anchor) is laid out once into
//! glyph outlines, which are then filled (and haloed) wherever the text is
//! drawn, so 10,000 amenity codes cost a few layouts.
//!
//! Parsing map.svg back took 0.4-1.5 s at 70,000 buildings and 2.4 s at 1M
//! (benches/README.md); painting directly skips the text round trip.

use super::canvas::{Anchor, Canvas, FillRule, Line, Shape, Text};
use super::palette::Rgba;
use super::{num, xml_escape};
use crate::error::{Error, Result};
use resvg::tiny_skia::{self as sk, Paint, PathBuilder, Pixmap, Stroke, Transform};
use resvg::usvg;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

static FONT_REGULAR: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold.ttf");

/// The font database with the embedded DejaVu Sans (regular and bold), built once.
pub(crate) fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT_REGULAR.to_vec());
        db.load_font_data(FONT_BOLD.to_vec());
        Arc::new(db)
    })
    .clone()
}

fn err(message: String) -> Error {
    Error::Render {
        what: "map.png",
        message,
    }
}

fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c.0, c.1, c.2, c.3);
    p.anti_alias = true;
    p
}

fn stroke(l: Line) -> Stroke {
    Stroke {
        width: l.width as f32,
        line_cap: sk::LineCap::Round,
        line_join: sk::LineJoin::Round,
        ..Stroke::default()
    }
}

/// Key of a laid-out text: text, size (f32 bits), bold, anchor.
type TextKey = (String, u32, bool, Anchor);

/// Paints the map into a pixmap.
pub(crate) struct PixmapCanvas {
    pixmap: Pixmap,
    /// The clip rectangle (x0, y0, x1, y1) and the page colour outside it.
    clip: Option<([f64; 4], Rgba)>,
    /// Glyph outlines per text, at baseline origin (0, 0).
    texts: HashMap<TextKey, Vec<sk::Path>>,
    options: usvg::Options<'static>,
}

impl PixmapCanvas {
    /// A transparent pixmap of `width` × `height` pixels (rounded).
    ///
    /// # Errors
    /// [`Error::Render`] when the size is zero or too large for tiny-skia.
    pub fn new(width: f64, height: f64) -> Result<Self> {
        let (w, h) = (width.round() as u32, height.round() as u32);
        let pixmap = Pixmap::new(w, h).ok_or_else(|| err(format!("bad size {w}x{h}")))?;
        let mut options = usvg::Options {
            font_family: "DejaVu Sans".to_string(),
            ..usvg::Options::default()
        };
        options.fontdb = fontdb();
        Ok(PixmapCanvas {
            pixmap,
            clip: None,
            texts: HashMap::new(),
            options,
        })
    }

    /// The picture as PNG bytes (RGBA, 8 bit, fast deflate: same pixels, a
    /// fraction of the time of the default level).
    ///
    /// # Errors
    /// [`Error::Render`] when the PNG cannot be encoded.
    pub fn png(&self) -> Result<Vec<u8>> {
        let rgba: Vec<u8> = self
            .pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect();
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, self.pixmap.width(), self.pixmap.height());
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut w = encoder.write_header().map_err(|e| err(e.to_string()))?;
        w.write_image_data(&rgba).map_err(|e| err(e.to_string()))?;
        w.finish().map_err(|e| err(e.to_string()))?;
        Ok(bytes)
    }
}

/// The glyph outlines of a text as usvg lays it out, at baseline origin (0, 0).
/// Text that usvg cannot lay out (none of ours) draws nothing rather than failing the map.
fn layout(options: &usvg::Options, t: &Text) -> Vec<sk::Path> {
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\" font-family=\"DejaVu Sans\"><text x=\"0\" y=\"0\" font-size=\"{}\"{} text-anchor=\"{}\">{}</text></svg>",
        num(t.size, 1),
        if t.bold { " font-weight=\"bold\"" } else { "" },
        t.anchor.as_str(),
        xml_escape(t.text)
    );
    let mut out = Vec::new();
    if let Ok(tree) = usvg::Tree::from_str(&svg, options) {
        outlines(tree.root(), &mut out);
    }
    out
}

/// Every path under `group` in absolute coordinates (text as its glyph outlines).
fn outlines(group: &usvg::Group, out: &mut Vec<sk::Path>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => outlines(g, out),
            usvg::Node::Path(p) => {
                if let Some(path) = p.data().clone().transform(p.abs_transform()) {
                    out.push(path);
                }
            }
            usvg::Node::Text(t) => outlines(t.flattened(), out),
            usvg::Node::Image(_) => {}
        }
    }
}

/// A tiny-skia path of a shape; `None` when it has no segment.
fn sk_path(shape: &Shape) -> Option<sk::Path> {
    let mut pb = PathBuilder::new();
    for (pts, closed) in &shape.parts {
        for (i, p) in pts.iter().enumerate() {
            if i == 0 {
                pb.move_to(p.0 as f32, p.1 as f32);
            } else {
                pb.line_to(p.0 as f32, p.1 as f32);
            }
        }
        if *closed {
            pb.close();
        }
    }
    pb.finish()
}

impl Canvas for PixmapCanvas {
    fn group(&mut self, _id: &str) {}
    fn end_group(&mut self) {}
    fn clip(&mut self, _id: &str, x: f64, y: f64, w: f64, h: f64, backdrop: Rgba) {
        self.clip = Some(([x, y, x + w, y + h], backdrop));
    }
    fn end_clip(&mut self) {
        // Paint the page background back over everything outside the clip
        // rectangle (above, below, left, right), without anti-aliasing: the
        // map's layout puts the rectangle on pixel edges.
        let Some(([x0, y0, x1, y1], backdrop)) = self.clip.take() else {
            return;
        };
        let (pw, ph) = (
            f64::from(self.pixmap.width()),
            f64::from(self.pixmap.height()),
        );
        let mut p = paint(backdrop);
        p.anti_alias = false;
        for (x, y, w, h) in [
            (0.0, 0.0, pw, y0),
            (0.0, y1, pw, ph - y1),
            (0.0, y0, x0, y1 - y0),
            (x1, y0, pw - x1, y1 - y0),
        ] {
            if let Some(r) = sk::Rect::from_xywh(x as f32, y as f32, w as f32, h as f32) {
                self.pixmap.fill_rect(r, &p, Transform::identity(), None);
            }
        }
    }
    fn rect(
        &mut self,
        _id: Option<&str>,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Option<Rgba>,
        stroke: Option<Line>,
        radius: f64,
    ) {
        let Some(r) = sk::Rect::from_xywh(x as f32, y as f32, w as f32, h as f32) else {
            return;
        };
        let path = if radius > 0.0 {
            rounded_rect(x, y, w, h, radius.min(w / 2.0).min(h / 2.0))
        } else {
            Some(PathBuilder::from_rect(r))
        };
        let Some(path) = path else { return };
        if let Some(c) = fill {
            self.pixmap.fill_path(
                &path,
                &paint(c),
                sk::FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
        if let Some(l) = stroke {
            let s = Stroke {
                width: l.width as f32,
                ..Stroke::default()
            };
            self.pixmap
                .stroke_path(&path, &paint(l.colour), &s, Transform::identity(), None);
        }
    }
    fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: Rgba, stroke: Option<Line>) {
        let Some(path) = PathBuilder::from_circle(cx as f32, cy as f32, r as f32) else {
            return;
        };
        self.pixmap.fill_path(
            &path,
            &paint(fill),
            sk::FillRule::Winding,
            Transform::identity(),
            None,
        );
        if let Some(l) = stroke {
            self.pixmap.stroke_path(
                &path,
                &paint(l.colour),
                &self::stroke(l),
                Transform::identity(),
                None,
            );
        }
    }
    fn path(&mut self, shape: &Shape, fill: Option<(Rgba, FillRule)>, stroke: Option<Line>) {
        let Some(path) = sk_path(shape) else { return };
        if let Some((c, rule)) = fill {
            let rule = match rule {
                FillRule::NonZero => sk::FillRule::Winding,
                FillRule::EvenOdd => sk::FillRule::EvenOdd,
            };
            self.pixmap
                .fill_path(&path, &paint(c), rule, Transform::identity(), None);
        }
        if let Some(l) = stroke {
            self.pixmap.stroke_path(
                &path,
                &paint(l.colour),
                &self::stroke(l),
                Transform::identity(),
                None,
            );
        }
    }
    fn text(&mut self, t: &Text) {
        if !(t.x.is_finite() && t.y.is_finite()) {
            return;
        }
        let at = Transform::from_translate(t.x as f32, t.y as f32);
        let key: TextKey = (
            t.text.to_string(),
            (t.size as f32).to_bits(),
            t.bold,
            t.anchor,
        );
        let PixmapCanvas {
            pixmap,
            texts,
            options,
            ..
        } = self;
        let glyphs = texts.entry(key).or_insert_with(|| layout(options, t));
        if let Some(l) = t.halo {
            let (p, s) = (paint(l.colour), stroke(l));
            for g in glyphs.iter() {
                pixmap.stroke_path(g, &p, &s, at, None);
            }
        }
        let fill = paint(t.fill);
        for g in glyphs.iter() {
            pixmap.fill_path(g, &fill, sk::FillRule::Winding, at, None);
        }
    }
}

/// A rectangle with corners rounded by `r` (cubic arcs, as SVG's `rx`).
fn rounded_rect(x: f64, y: f64, w: f64, h: f64, r: f64) -> Option<sk::Path> {
    let (x, y, w, h, r) = (x as f32, y as f32, w as f32, h as f32, r as f32);
    // Control point distance of a quarter circle by cubics.
    let k = r * 0.552_284_8;
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.line_to(x + w - r, y);
    pb.cubic_to(x + w - r + k, y, x + w, y + r - k, x + w, y + r);
    pb.line_to(x + w, y + h - r);
    pb.cubic_to(x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h);
    pb.line_to(x + r, y + h);
    pb.cubic_to(x + r - k, y + h, x, y + h - r + k, x, y + h - r);
    pb.line_to(x, y + r);
    pb.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
    pb.close();
    pb.finish()
}
