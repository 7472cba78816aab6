//! The annotated map: map.svg, and map.png rendered from it.
//!
//! Input is [`MapData`]: geometry in the working CRS (metres, y up) with what
//! to show about it (zone character, verdict, kind, category, rank). The SVG
//! has a title, the map (zones as soft fills, streets thin, buildings coloured
//! by verdict, horeca as small dots by category, amenities as a coloured circle
//! with a short code per kind, the top sites as numbered circles with labels),
//! a legend of what is on the map, a scale bar in round metres, a north arrow
//! and the attribution.
//!
//! North is up: y is flipped. Coordinates are written with 0.1 px precision
//! and fixed formatting, so the same data gives the same bytes. map.png is
//! drawn by resvg with DejaVu Sans compiled in (no system fonts), so it is the
//! same on every machine.

use super::palette::{self, Rgba};
use super::{num, xml_escape};
use crate::error::{Error, Result};
use crate::model::{AmenityKind, ZoneCharacter};
use geo::{LineString, MultiPolygon, Point, Rect};
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

/// What the map shows. Geometry is in the working CRS (metres, y north).
#[derive(Debug, Clone)]
pub struct MapData {
    /// Title, top left.
    pub title: String,
    /// Subtitle under the title (scenario, group the buildings are coloured for).
    pub subtitle: String,
    /// The area to show, in working-CRS units.
    pub bounds: Rect<f64>,
    /// Zone polygons with their character.
    pub zones: Vec<(MultiPolygon<f64>, ZoneCharacter)>,
    /// Building footprints with their verdict for the map's group
    /// (`geschikt`, `voorwaardelijk`, `ongeschikt`; `None` = no verdict, grey).
    pub buildings: Vec<(MultiPolygon<f64>, Option<String>)>,
    /// Street centre lines.
    pub streets: Vec<LineString<f64>>,
    /// Amenities by kind.
    pub amenities: Vec<(Point<f64>, AmenityKind)>,
    /// Horeca by category (1, 2, 3).
    pub horeca: Vec<(Point<f64>, u8)>,
    /// Top sites: anchor point, rank (1 = best) and label.
    pub sites: Vec<(Point<f64>, usize, String)>,
    /// Attribution line (data sources); "© OpenStreetMap contributors" when empty.
    pub attribution: String,
    /// Metres per working-CRS unit (1.0 for metric CRSs), for the scale bar.
    pub metres_per_unit: f64,
    /// Needs the map has no data for, in words (`kinderopvang`): listed in the
    /// legend as onbekend, so a grey area is not read as "none nearby".
    pub data_gaps: Vec<String>,
}

/// The attribution used when [`MapData::attribution`] is empty.
pub const DEFAULT_ATTRIBUTION: &str = "© OpenStreetMap contributors";

const MARGIN: f64 = 16.0;
const HEADER: f64 = 58.0;
const LEGEND_W: f64 = 210.0;
const GAP: f64 = 16.0;
const FOOTER: f64 = 30.0;
const ROW: f64 = 17.0;
/// Buildings get an outline when the median building is at least this many
/// pixels across (square root of its area): on smaller ones the two 0.4 px
/// edges cover a quarter of the building and hide its verdict colour.
const BUILDING_OUTLINE_MIN_PX: f64 = 4.0;

/// Page layout and the world → pixel transform.
struct Frame {
    width: f64,
    height: f64,
    x0: f64,
    y0: f64,
    w: f64,
    h: f64,
    scale: f64,
    cx: f64,
    cy: f64,
}

impl Frame {
    fn px(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.x0 + self.w / 2.0 + (x - self.cx) * self.scale,
            self.y0 + self.h / 2.0 - (y - self.cy) * self.scale,
        )
    }
    /// Whether a point (pixels) lies within the map area, with a margin.
    fn inside(&self, (x, y): (f64, f64), pad: f64) -> bool {
        x >= self.x0 - pad
            && x <= self.x0 + self.w + pad
            && y >= self.y0 - pad
            && y <= self.y0 + self.h + pad
    }
}

fn finite(p: &Point<f64>) -> bool {
    p.x().is_finite() && p.y().is_finite()
}

/// The clip window in pixels: the map area with a generous margin. Geometry
/// is cut to it before it is written, so parts far outside the view never
/// reach the rasteriser (tiny-skia panics on coordinates around 1e13 px).
fn window(f: &Frame) -> [f64; 4] {
    let pad = 50.0;
    [f.x0 - pad, f.y0 - pad, f.x0 + f.w + pad, f.y0 + f.h + pad]
}

/// Sutherland–Hodgman: a ring cut to the (convex) window.
fn clip_ring(pts: &[(f64, f64)], r: [f64; 4]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = pts.to_vec();
    // Each edge: inside test and intersection with the boundary line.
    for edge in 0..4 {
        if out.is_empty() {
            break;
        }
        let inside = |p: (f64, f64)| match edge {
            0 => p.0 >= r[0],
            1 => p.1 >= r[1],
            2 => p.0 <= r[2],
            _ => p.1 <= r[3],
        };
        let cut = |a: (f64, f64), b: (f64, f64)| {
            let t = match edge {
                0 => (r[0] - a.0) / (b.0 - a.0),
                1 => (r[1] - a.1) / (b.1 - a.1),
                2 => (r[2] - a.0) / (b.0 - a.0),
                _ => (r[3] - a.1) / (b.1 - a.1),
            };
            (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
        };
        let input = std::mem::take(&mut out);
        for i in 0..input.len() {
            let cur = input[i];
            let prev = input[(i + input.len() - 1) % input.len()];
            match (inside(prev), inside(cur)) {
                (true, true) => out.push(cur),
                (true, false) => out.push(cut(prev, cur)),
                (false, true) => {
                    out.push(cut(prev, cur));
                    out.push(cur);
                }
                (false, false) => {}
            }
        }
    }
    out
}

/// Liang–Barsky: the part of segment a-b inside the window, if any.
fn clip_segment(a: (f64, f64), b: (f64, f64), r: [f64; 4]) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r[0]),
        (dx, r[2] - a.0),
        (-dy, a.1 - r[1]),
        (dy, r[3] - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some({
        (
            (a.0 + t0 * dx, a.1 + t0 * dy),
            (a.0 + t1 * dx, a.1 + t1 * dy),
        )
    })
}

/// The median building's size on the map, in pixels: the square root of its
/// area (working-CRS units) times the scale (pixels per unit); 0 without
/// buildings.
fn median_building_px(map: &MapData, scale: f64) -> f64 {
    use geo::Area;
    let mut sizes: Vec<f64> = map
        .buildings
        .iter()
        .map(|(mp, _)| mp.unsigned_area().sqrt() * scale)
        .filter(|v| v.is_finite())
        .collect();
    if sizes.is_empty() {
        return 0.0;
    }
    let mid = sizes.len() / 2;
    *sizes.select_nth_unstable_by(mid, f64::total_cmp).1
}

fn pt(out: &mut String, cmd: char, p: (f64, f64)) {
    out.push(cmd);
    out.push_str(&num(p.0, 1));
    out.push(' ');
    out.push_str(&num(p.1, 1));
}

/// Path data of a multipolygon (rings closed; holes by even-odd), cut to the window.
fn polygon_path(f: &Frame, mp: &MultiPolygon<f64>) -> String {
    let mut d = String::new();
    polygon_path_into(&mut d, f, mp, false);
    d
}

/// Twice the signed area of a ring in pixels (positive: clockwise on screen).
fn signed_area2(pts: &[(f64, f64)]) -> f64 {
    let n = pts.len();
    (0..n)
        .map(|i| {
            let (a, b) = (pts[i], pts[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

/// Appends a multipolygon's path data to `d`, cut to the window. With `wound`,
/// exteriors run clockwise on screen and holes counter-clockwise, so under the
/// non-zero fill rule holes stay open and many polygons can share one path
/// (where two overlap, both stay filled, unlike even-odd).
fn polygon_path_into(d: &mut String, f: &Frame, mp: &MultiPolygon<f64>, wound: bool) {
    let r = window(f);
    for poly in &mp.0 {
        for (k, ring) in std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .enumerate()
        {
            let mut pts: Vec<(f64, f64)> = ring
                .0
                .iter()
                .filter(|c| c.x.is_finite() && c.y.is_finite())
                .map(|c| f.px(c.x, c.y))
                .collect();
            if pts.len() > 1 && pts.first() == pts.last() {
                pts.pop();
            }
            let mut pts = clip_ring(&pts, r);
            if pts.len() < 3 {
                continue;
            }
            if wound && (signed_area2(&pts) > 0.0) != (k == 0) {
                pts.reverse();
            }
            for (i, p) in pts.iter().enumerate() {
                pt(d, if i == 0 { 'M' } else { 'L' }, *p);
            }
            d.push('Z');
        }
    }
}

/// Path data of a line, cut to the window (it may fall apart into pieces).
fn line_path(f: &Frame, l: &LineString<f64>) -> String {
    let r = window(f);
    let mut d = String::new();
    let mut last: Option<(f64, f64)> = None;
    let pts: Vec<(f64, f64)> =
        l.0.iter()
            .filter(|c| c.x.is_finite() && c.y.is_finite())
            .map(|c| f.px(c.x, c.y))
            .collect();
    for w in pts.windows(2) {
        if let Some((a, b)) = clip_segment(w[0], w[1], r) {
            if last != Some(a) {
                pt(&mut d, 'M', a);
            }
            pt(&mut d, 'L', b);
            last = Some(b);
        } else {
            last = None;
        }
    }
    d
}

/// The largest 1, 2 or 5 × 10ⁿ not above `v` (v > 0).
fn nice_below(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|c| *c <= v)
        .unwrap_or(p)
}

fn metres_label(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} km", num(m / 1000.0, 1))
    } else {
        format!("{} m", num(m, 3))
    }
}

/// Longest text drawn on the map (characters; well above the tool's own longest
/// line, a subtitle of about 100, so only text from data is cut): longer text (a
/// 100,000-character name) ends in an ellipsis, so layout and rasterising stay
/// cheap and the label stays on the page.
pub const MAX_LABEL_CHARS: usize = 160;

/// `text` cut to [`MAX_LABEL_CHARS`] characters, the last one `…`.
pub fn clip_label(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_LABEL_CHARS - 1) {
        Some((i, _)) if text[i..].chars().nth(1).is_some() => format!("{}…", &text[..i]).into(),
        _ => text.into(),
    }
}

/// Font size (px) of site labels.
const LABEL_SIZE: f64 = 11.0;

/// An upper bound of a bold DejaVu Sans label's width at [`LABEL_SIZE`]: the
/// widest glyphs (`M`, `W`) are 0.95 em, digits and most letters about 0.7 em
/// bold; 0.72 em per character plus the 3 px halo keeps real labels inside it
/// (the tests measure the rendered text).
fn label_width(text: &str) -> f64 {
    text.chars().count() as f64 * LABEL_SIZE * 0.72 + 3.0
}

/// A box in map pixels, for label placement.
#[derive(Debug, Clone, Copy)]
struct LabelBox {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl LabelBox {
    fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Self {
        LabelBox { x0, y0, x1, y1 }
    }
    fn overlaps(&self, o: &LabelBox) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    fn contains(&self, o: &LabelBox) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }
}

/// One legend row: a swatch and a label.
enum Swatch {
    Fill(Rgba),
    Circle(Rgba, f64, Option<&'static str>),
    Line(Rgba),
    Site,
    /// Text only.
    Text,
}

struct Section {
    title: &'static str,
    rows: Vec<(Swatch, String)>,
}

fn legend_sections(map: &MapData) -> Vec<Section> {
    let mut out = Vec::new();
    if !map.zones.is_empty() {
        out.push(Section {
            title: "Zones",
            rows: ZoneCharacter::ALL
                .iter()
                .map(|z| {
                    (
                        Swatch::Fill(palette::zone(*z).with_alpha(palette::ZONE_ALPHA)),
                        z.as_str().to_string(),
                    )
                })
                .collect(),
        });
    }
    if !map.buildings.is_empty() {
        let mut rows: Vec<(Swatch, String)> = palette::VERDICTS
            .iter()
            .map(|v| (Swatch::Fill(palette::verdict(Some(v))), v.to_string()))
            .collect();
        if map
            .buildings
            .iter()
            .any(|(_, v)| !palette::VERDICTS.contains(&v.as_deref().unwrap_or("")))
        {
            rows.push((Swatch::Fill(palette::verdict(None)), "geen oordeel".into()));
        }
        out.push(Section {
            title: "Gebouwen: oordeel",
            rows,
        });
    }
    if !map.sites.is_empty() {
        out.push(Section {
            title: "Transformatielocaties",
            rows: vec![(Swatch::Site, "locatie, met rangnummer".into())],
        });
    }
    if !map.horeca.is_empty() {
        let mut cats: Vec<u8> = map.horeca.iter().map(|(_, c)| (*c).clamp(1, 3)).collect();
        cats.sort_unstable();
        cats.dedup();
        out.push(Section {
            title: "Horeca",
            rows: cats
                .into_iter()
                .map(|c| {
                    let (colour, size) = palette::horeca(c);
                    (
                        Swatch::Circle(colour, size * 1.25, None),
                        crate::labels::horeca_category(c).replace("horeca ", ""),
                    )
                })
                .collect(),
        });
    }
    if !map.amenities.is_empty() {
        out.push(Section {
            title: "Voorzieningen",
            rows: AmenityKind::ALL
                .iter()
                .filter(|k| map.amenities.iter().any(|(_, a)| a == *k))
                .map(|k| {
                    (
                        Swatch::Circle(palette::amenity(*k), 7.5, Some(palette::amenity_code(*k))),
                        crate::labels::amenity_kind(*k).to_string(),
                    )
                })
                .collect(),
        });
    }
    if !map.streets.is_empty() {
        out.push(Section {
            title: "Straten",
            rows: vec![(Swatch::Line(palette::STREET), "beloopbare straat".into())],
        });
    }
    if !map.data_gaps.is_empty() {
        out.push(Section {
            title: "Onbekend (geen data)",
            rows: map
                .data_gaps
                .iter()
                .map(|k| (Swatch::Text, k.clone()))
                .collect(),
        });
    }
    out
}

fn legend_height(sections: &[Section]) -> f64 {
    26.0 + sections
        .iter()
        .map(|s| 8.0 + ROW * (1 + s.rows.len()) as f64)
        .sum::<f64>()
}

fn amenity_symbol(out: &mut String, x: f64, y: f64, r: f64, kind: AmenityKind) {
    let code = palette::amenity_code(kind);
    let size = if code.len() > 1 { r * 1.0 } else { r * 1.25 };
    let _ = writeln!(
        out,
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1\"/><text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#ffffff\">{}</text>",
        num(x, 1),
        num(y, 1),
        num(r, 1),
        palette::amenity(kind).hex(),
        num(x, 1),
        num(y + size * 0.36, 1),
        num(size, 1),
        xml_escape(code)
    );
}

fn site_symbol(out: &mut String, x: f64, y: f64, r: f64, rank: &str) {
    let size = if rank.len() > 1 { r * 1.0 } else { r * 1.2 };
    let _ = writeln!(
        out,
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#ffffff\">{}</text>",
        num(x, 1),
        num(y, 1),
        num(r, 1),
        palette::SITE.hex(),
        num(x, 1),
        num(y + size * 0.36, 1),
        num(size, 1),
        xml_escape(rank)
    );
}

fn fill_attrs(c: Rgba) -> String {
    if c.3 == 255 {
        format!("fill=\"{}\"", c.hex())
    } else {
        format!("fill=\"{}\" fill-opacity=\"{}\"", c.hex(), c.opacity())
    }
}

fn draw_legend(out: &mut String, sections: &[Section], x: f64, y: f64) {
    let h = legend_height(sections);
    let _ = writeln!(
        out,
        "<g id=\"legend\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" stroke=\"#cccccc\"/>",
        num(x, 1),
        num(y, 1),
        num(LEGEND_W, 1),
        num(h, 1)
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\" fill=\"{}\">Legenda</text>",
        num(x + 10.0, 1),
        num(y + 20.0, 1),
        palette::INK.hex()
    );
    let mut cy = y + 26.0;
    for s in sections {
        cy += 8.0 + ROW;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"bold\" fill=\"{}\">{}</text>",
            num(x + 10.0, 1),
            num(cy - 4.0, 1),
            palette::INK.hex(),
            xml_escape(s.title)
        );
        for (swatch, label) in &s.rows {
            cy += ROW;
            let mid = cy - 8.0;
            let sx = x + 22.0;
            match swatch {
                Swatch::Fill(c) => {
                    let _ = writeln!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"18\" height=\"11\" {} stroke=\"#5a5a5a\" stroke-width=\"0.5\"/>",
                        num(sx - 9.0, 1),
                        num(mid - 5.5, 1),
                        fill_attrs(*c)
                    );
                }
                Swatch::Circle(c, r, Some(code)) => {
                    let kind = AmenityKind::ALL
                        .iter()
                        .find(|k| palette::amenity_code(**k) == *code)
                        .copied();
                    match kind {
                        Some(k) => amenity_symbol(out, sx, mid, *r, k),
                        None => {
                            let _ = writeln!(
                                out,
                                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>",
                                num(sx, 1),
                                num(mid, 1),
                                num(*r, 1),
                                c.hex()
                            );
                        }
                    }
                }
                Swatch::Circle(c, r, None) => {
                    let _ = writeln!(
                        out,
                        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"0.7\"/>",
                        num(sx, 1),
                        num(mid, 1),
                        num(*r, 1),
                        c.hex(),
                        c.darker(0.55).hex()
                    );
                }
                Swatch::Line(c) => {
                    let _ = writeln!(
                        out,
                        "<path d=\"M{} {}L{} {}\" stroke=\"{}\" stroke-width=\"1.5\" fill=\"none\"/>",
                        num(sx - 9.0, 1),
                        num(mid, 1),
                        num(sx + 9.0, 1),
                        num(mid, 1),
                        c.hex()
                    );
                }
                Swatch::Site => site_symbol(out, sx, mid, 7.5, "1"),
                Swatch::Text => {}
            }
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{}\">{}</text>",
                num(x + 40.0, 1),
                num(mid + 4.0, 1),
                palette::INK.hex(),
                xml_escape(&clip_label(label))
            );
        }
    }
    out.push_str("</g>\n");
}

fn draw_scale_bar(out: &mut String, f: &Frame, metres_per_unit: f64) {
    let mpu = if metres_per_unit.is_finite() && metres_per_unit > 0.0 {
        metres_per_unit
    } else {
        1.0
    };
    let px_per_m = f.scale / mpu;
    let metres = nice_below(f.w / 5.0 / px_per_m);
    let len = metres * px_per_m;
    let x = f.x0 + 14.0;
    let y = f.y0 + f.h - 18.0;
    let _ = writeln!(
        out,
        "<g id=\"scale-bar\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"30\" fill=\"#ffffff\" fill-opacity=\"0.8\" rx=\"3\"/>",
        num(x - 8.0, 1),
        num(y - 20.0, 1),
        num(len + 16.0 + 40.0, 1)
    );
    for i in 0..4 {
        let seg = len / 4.0;
        let fill = if i % 2 == 0 { "#222222" } else { "#ffffff" };
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"5\" fill=\"{fill}\" stroke=\"#222222\" stroke-width=\"0.8\"/>",
            num(x + seg * f64::from(i), 1),
            num(y, 1),
            num(seg, 1)
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#222222\">0</text><text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"start\" fill=\"#222222\">{}</text></g>",
        num(x, 1),
        num(y - 4.0, 1),
        num(x + len + 4.0, 1),
        num(y + 5.0, 1),
        xml_escape(&metres_label(metres))
    );
}

fn draw_north_arrow(out: &mut String, f: &Frame) {
    let cx = f.x0 + f.w - 26.0;
    let cy = f.y0 + 34.0;
    let _ = writeln!(
        out,
        "<g id=\"north-arrow\"><circle cx=\"{cx}\" cy=\"{cy}\" r=\"18\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#999999\" stroke-width=\"0.8\"/><path d=\"M{} {}L{} {}L{} {}L{} {}Z\" fill=\"#222222\"/><text x=\"{cx}\" y=\"{}\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#222222\">N</text></g>",
        num(cx, 1),
        num(cy - 14.0, 1),
        num(cx + 7.0, 1),
        num(cy + 8.0, 1),
        num(cx, 1),
        num(cy + 3.0, 1),
        num(cx - 7.0, 1),
        num(cy + 8.0, 1),
        num(cy - 18.0 - 3.0, 1),
        cx = num(cx, 1),
        cy = num(cy, 1),
    );
}

/// The map as an SVG document `width_px` wide (at least 480); the height
/// follows the shape of `map.bounds` and the legend.
pub fn svg(map: &MapData, width_px: u32) -> String {
    let width = f64::from(width_px.max(480));
    let sections = legend_sections(map);
    let legend_h = legend_height(&sections);

    let (bx0, by0) = (map.bounds.min().x, map.bounds.min().y);
    let (bx1, by1) = (map.bounds.max().x, map.bounds.max().y);
    let ok = |v: f64| v.is_finite();
    let (bx0, by0, bx1, by1) = if ok(bx0) && ok(by0) && ok(bx1) && ok(by1) {
        (bx0, by0, bx1, by1)
    } else {
        (0.0, 0.0, 1.0, 1.0)
    };
    // At least one unit across, so the scale stays finite.
    let bw = (bx1 - bx0).max(1.0);
    let bh = (by1 - by0).max(1.0);

    let map_w = width - 2.0 * MARGIN - GAP - LEGEND_W;
    let natural_h = (map_w * bh / bw).min(map_w * 2.0);
    let map_h = natural_h.max(legend_h).max(240.0);
    let scale = (map_w / bw).min(map_h / bh);
    let f = Frame {
        width,
        height: MARGIN + HEADER + map_h + FOOTER,
        x0: MARGIN,
        y0: MARGIN + HEADER,
        w: map_w,
        h: map_h,
        scale,
        cx: (bx0 + bx1) / 2.0,
        cy: (by0 + by1) / 2.0,
    };

    let mut s = String::with_capacity(64 * 1024);
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans\">",
        w = num(f.width, 1),
        h = num(f.height, 1)
    );
    let _ = writeln!(s, "<title>{}</title>", xml_escape(&clip_label(&map.title)));
    let _ = writeln!(
        s,
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        num(f.width, 1),
        num(f.height, 1)
    );
    let _ = writeln!(
        s,
        "<text id=\"title\" x=\"{}\" y=\"{}\" font-size=\"22\" font-weight=\"bold\" fill=\"{}\">{}</text>",
        num(MARGIN, 1),
        num(MARGIN + 22.0, 1),
        palette::INK.hex(),
        xml_escape(&clip_label(&map.title))
    );
    let _ = writeln!(
        s,
        "<text id=\"subtitle\" x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"{}\">{}</text>",
        num(MARGIN, 1),
        num(MARGIN + 44.0, 1),
        palette::INK_SOFT.hex(),
        xml_escape(&clip_label(&map.subtitle))
    );
    let _ = writeln!(
        s,
        "<defs><clipPath id=\"map-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>",
        num(f.x0, 1),
        num(f.y0, 1),
        num(f.w, 1),
        num(f.h, 1)
    );
    s.push_str("<g id=\"map\" clip-path=\"url(#map-clip)\">\n");
    let _ = writeln!(
        s,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fbfbf8\"/>",
        num(f.x0, 1),
        num(f.y0, 1),
        num(f.w, 1),
        num(f.h, 1)
    );

    // Zones: soft fills.
    s.push_str("<g id=\"zones\" stroke=\"none\">\n");
    for (mp, z) in &map.zones {
        let d = polygon_path(&f, mp);
        if !d.is_empty() {
            let c = palette::zone(*z).with_alpha(palette::ZONE_ALPHA);
            let _ = writeln!(
                s,
                "<path d=\"{d}\" {} fill-rule=\"evenodd\"/>",
                fill_attrs(c)
            );
        }
    }
    s.push_str("</g>\n");

    // Streets: thin grey lines, a little wider when zoomed in.
    let street_w = (scale * 1.5).clamp(0.8, 2.5);
    let _ = writeln!(
        s,
        "<g id=\"streets\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linecap=\"round\" stroke-linejoin=\"round\">",
        palette::STREET.hex(),
        num(street_w, 1)
    );
    let streets: String = map.streets.iter().map(|l| line_path(&f, l)).collect();
    if !streets.is_empty() {
        let _ = writeln!(s, "<path d=\"{streets}\"/>");
    }
    s.push_str("</g>\n");

    // Buildings by verdict: one path per fill colour (in order of first
    // appearance), non-zero winding. A path per building made the SVG renderer's
    // parse the largest cost of the whole map. Outlines only where buildings
    // are several pixels across (BUILDING_OUTLINE_MIN_PX); stroking the 70k
    // buildings of a whole town, at 3 px each, took a third of map.png.
    if median_building_px(map, scale) >= BUILDING_OUTLINE_MIN_PX {
        s.push_str(
            "<g id=\"buildings\" stroke=\"#5a5a5a\" stroke-width=\"0.4\" fill-rule=\"nonzero\">\n",
        );
    } else {
        s.push_str("<g id=\"buildings\" stroke=\"none\" fill-rule=\"nonzero\">\n");
    }
    let mut by_colour: Vec<(String, String)> = Vec::new();
    for (mp, v) in &map.buildings {
        let colour = palette::verdict(v.as_deref()).hex();
        let at = match by_colour.iter().position(|(c, _)| *c == colour) {
            Some(at) => at,
            None => {
                by_colour.push((colour, String::new()));
                by_colour.len() - 1
            }
        };
        polygon_path_into(&mut by_colour[at].1, &f, mp, true);
    }
    for (colour, d) in by_colour.iter().filter(|(_, d)| !d.is_empty()) {
        let _ = writeln!(s, "<path d=\"{d}\" fill=\"{colour}\"/>");
    }
    s.push_str("</g>\n");

    // Horeca: small dots by category, heavy ones on top.
    s.push_str("<g id=\"horeca\" stroke-width=\"0.7\">\n");
    let mut horeca: Vec<&(Point<f64>, u8)> = map.horeca.iter().filter(|(p, _)| finite(p)).collect();
    horeca.sort_by_key(|(_, c)| *c);
    for (p, c) in horeca {
        let (x, y) = f.px(p.x(), p.y());
        if f.inside((x, y), 10.0) {
            let (colour, size) = palette::horeca((*c).clamp(1, 3));
            // A dark rim keeps light (category 1) dots visible on the reuring fill.
            let _ = writeln!(
                s,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"{}\"/>",
                num(x, 1),
                num(y, 1),
                num(size * 1.25, 1),
                colour.hex(),
                colour.darker(0.55).hex()
            );
        }
    }
    s.push_str("</g>\n");

    // Amenities: coloured circle with a code per kind.
    s.push_str("<g id=\"amenities\">\n");
    for (p, k) in map.amenities.iter().filter(|(p, _)| finite(p)) {
        let (x, y) = f.px(p.x(), p.y());
        if f.inside((x, y), 10.0) {
            amenity_symbol(&mut s, x, y, 8.0, *k);
        }
    }
    s.push_str("</g>\n");

    // Sites: numbered circles with labels, best rank drawn last (on top).
    // Labels are placed best rank first, each at the first of four positions
    // around its circle where it stays inside the frame and overlaps no label
    // and no circle placed before it; a label with no such place is left out
    // (the number stays: the report's table names every site).
    s.push_str("<g id=\"sites\">\n");
    let mut sites: Vec<&(Point<f64>, usize, String)> = map
        .sites
        .iter()
        .filter(|(p, _, _)| finite(p))
        .filter(|(p, _, _)| {
            let (x, y) = f.px(p.x(), p.y());
            f.inside((x, y), 10.0)
        })
        .collect();
    sites.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.2.cmp(&b.2)));
    let circles: Vec<LabelBox> = sites
        .iter()
        .map(|(p, _, _)| {
            let (x, y) = f.px(p.x(), p.y());
            LabelBox::new(x - 10.0, y - 10.0, x + 10.0, y + 10.0)
        })
        .collect();
    let frame = LabelBox::new(f.x0 + 2.0, f.y0 + 2.0, f.x0 + f.w - 2.0, f.y0 + f.h - 2.0);
    let mut placed: Vec<LabelBox> = Vec::new();
    let mut labels: Vec<Option<(f64, f64, &'static str)>> = Vec::with_capacity(sites.len());
    for (i, (p, _, label)) in sites.iter().enumerate() {
        let (x, y) = f.px(p.x(), p.y());
        let w = label_width(&clip_label(label));
        let candidates = [
            (
                x + 13.0,
                y + 4.0,
                "start",
                LabelBox::new(x + 13.0, y - 8.0, x + 13.0 + w, y + 7.0),
            ),
            (
                x - 13.0,
                y + 4.0,
                "end",
                LabelBox::new(x - 13.0 - w, y - 8.0, x - 13.0, y + 7.0),
            ),
            (
                x,
                y - 14.0,
                "middle",
                LabelBox::new(x - w / 2.0, y - 26.0, x + w / 2.0, y - 11.0),
            ),
            (
                x,
                y + 23.0,
                "middle",
                LabelBox::new(x - w / 2.0, y + 11.0, x + w / 2.0, y + 26.0),
            ),
        ];
        let spot = (!label.is_empty())
            .then(|| {
                candidates.into_iter().find(|(_, _, _, b)| {
                    frame.contains(b)
                        && !placed.iter().any(|o| o.overlaps(b))
                        && !circles
                            .iter()
                            .enumerate()
                            .any(|(j, c)| j != i && c.overlaps(b))
                })
            })
            .flatten();
        labels.push(spot.map(|(tx, ty, anchor, b)| {
            placed.push(b);
            (tx, ty, anchor)
        }));
    }
    for ((p, rank, label), spot) in sites.iter().zip(&labels).rev() {
        let (x, y) = f.px(p.x(), p.y());
        site_symbol(&mut s, x, y, 10.0, &rank.to_string());
        if let Some((tx, ty, anchor)) = spot {
            let _ = writeln!(
                s,
                "<text id=\"site-label-{rank}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" font-size=\"{LABEL_SIZE}\" font-weight=\"bold\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>",
                num(*tx, 1),
                num(*ty, 1),
                palette::SITE.hex(),
                xml_escape(&clip_label(label))
            );
        }
    }
    s.push_str("</g>\n</g>\n");

    let _ = writeln!(
        s,
        "<rect id=\"map-frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888888\" stroke-width=\"1\"/>",
        num(f.x0, 1),
        num(f.y0, 1),
        num(f.w, 1),
        num(f.h, 1)
    );
    draw_north_arrow(&mut s, &f);
    draw_scale_bar(&mut s, &f, map.metres_per_unit);
    draw_legend(&mut s, &sections, f.x0 + f.w + GAP, f.y0);

    let attribution = if map.attribution.trim().is_empty() {
        DEFAULT_ATTRIBUTION
    } else {
        map.attribution.as_str()
    };
    let _ = writeln!(
        s,
        "<text id=\"attribution\" x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\" fill=\"{}\">{}</text>",
        num(f.x0 + f.w, 1),
        num(f.y0 + f.h + 16.0, 1),
        palette::INK_SOFT.hex(),
        xml_escape(attribution)
    );
    s.push_str("</svg>\n");
    s
}

static FONT_REGULAR: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold.ttf");

/// The font database with the embedded DejaVu Sans (regular and bold), built once.
fn fontdb() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(FONT_REGULAR.to_vec());
        db.load_font_data(FONT_BOLD.to_vec());
        Arc::new(db)
    })
    .clone()
}

/// Renders an SVG (as made by [`svg`]) to PNG bytes at its own pixel size,
/// with the embedded DejaVu Sans for all text.
///
/// # Errors
/// [`Error::Render`] when the SVG does not parse, has no area, or the PNG
/// cannot be encoded.
pub fn png(svg: &str) -> Result<Vec<u8>> {
    let err = |message: String| Error::Render {
        what: "map.png",
        message,
    };
    let mut opt = resvg::usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        ..resvg::usvg::Options::default()
    };
    opt.fontdb = fontdb();
    let tree = resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| err(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| err(format!("bad size {}x{}", size.width(), size.height())))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    // tiny-skia's own encoder uses the default (slow) deflate level; the fast one
    // takes a fraction of the time for a slightly larger file. Same pixels.
    let rgba: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut w = encoder.write_header().map_err(|e| err(e.to_string()))?;
    w.write_image_data(&rgba).map_err(|e| err(e.to_string()))?;
    w.finish().map_err(|e| err(e.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testxml;
    use geo::{Coord, polygon};

    fn rect(x: f64, y: f64, w: f64, h: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x, y: y),
            (x: x + w, y: y),
            (x: x + w, y: y + h),
            (x: x, y: y + h),
        ]])
    }

    fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
        rect(x, y, size, size)
    }

    /// A 100 × 100 m area: rust zone west half, reuring east half; a geschikt
    /// building in the west, an ongeschikt one in the east.
    fn tiny() -> MapData {
        MapData {
            title: r#"Café "De <Nacht>" & Co"#.into(),
            subtitle: "test".into(),
            bounds: Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 100.0, y: 100.0 }),
            zones: vec![
                (rect(0.0, 0.0, 50.0, 100.0), ZoneCharacter::Rust),
                (rect(50.0, 0.0, 50.0, 100.0), ZoneCharacter::Reuring),
            ],
            buildings: vec![
                (square(10.0, 60.0, 20.0), Some("geschikt".into())),
                (square(70.0, 60.0, 20.0), Some("ongeschikt".into())),
            ],
            streets: vec![LineString::from(vec![(0.0, 50.0), (100.0, 50.0)])],
            amenities: vec![(Point::new(25.0, 25.0), AmenityKind::Playground)],
            horeca: vec![(Point::new(75.0, 25.0), 3)],
            sites: vec![(
                Point::new(20.0, 70.0),
                1,
                r#"Café "De <Nacht>" & Co"#.into(),
            )],
            attribution: String::new(),
            metres_per_unit: 1.0,
            data_gaps: vec!["kinderopvang".into()],
        }
    }

    #[test]
    fn svg_parses_and_has_the_map_furniture() {
        let m = tiny();
        let text = svg(&m, 800);
        let root = testxml::parse(&text).unwrap();
        assert_eq!(root.name, "svg");
        let ids: Vec<&str> = root
            .descendants()
            .iter()
            .filter_map(|e| e.attr("id"))
            .collect();
        for id in [
            "legend",
            "scale-bar",
            "north-arrow",
            "attribution",
            "zones",
            "buildings",
            "sites",
        ] {
            assert!(ids.contains(&id), "missing {id}");
        }
        let all = root.all_text();
        assert!(all.contains(DEFAULT_ATTRIBUTION));
        assert!(all.contains(r#"Café "De <Nacht>" & Co"#));
        assert!(all.contains("Legenda"));
        assert!(all.contains("speeltuin"));
        // Scale bar: 100 m over ~558 px; a fifth is ~20 m → 20 m.
        assert!(all.contains("20 m"), "{all}");
        // North up: the building at y=60..80 is above the street at y=50.
        assert!(text.contains(&format!(
            "fill=\"{}\"",
            palette::verdict(Some("geschikt")).hex()
        )));
        assert_eq!(text, svg(&m, 800), "deterministic");
    }

    #[test]
    fn buildings_are_outlined_only_when_several_pixels_across() {
        let buildings_group = |m: &MapData| {
            let text = svg(m, 800);
            let root = testxml::parse(&text).unwrap();
            let g = root
                .descendants()
                .into_iter()
                .find(|e| e.attr("id") == Some("buildings"))
                .unwrap();
            g.attr("stroke").unwrap().to_string()
        };
        // 100 m over ~558 px: the 20 m buildings are ~110 px across.
        let mut m = tiny();
        assert_eq!(buildings_group(&m), "#5a5a5a");
        // 2 km over ~558 px: 20 m is ~5.6 px, still outlined.
        m.bounds = Rect::new(
            Coord { x: 0.0, y: 0.0 },
            Coord {
                x: 2000.0,
                y: 2000.0,
            },
        );
        assert_eq!(buildings_group(&m), "#5a5a5a");
        // 4 km: ~2.8 px, no outline.
        m.bounds = Rect::new(
            Coord { x: 0.0, y: 0.0 },
            Coord {
                x: 4000.0,
                y: 4000.0,
            },
        );
        assert_eq!(buildings_group(&m), "none");
    }

    #[test]
    fn nice_scale_lengths() {
        assert_eq!(nice_below(23.0), 20.0);
        assert_eq!(nice_below(180.0), 100.0);
        assert_eq!(nice_below(0.7), 0.5);
        assert_eq!(nice_below(5000.0), 5000.0);
        assert_eq!(nice_below(f64::NAN), 1.0);
        assert_eq!(metres_label(2000.0), "2 km");
        assert_eq!(metres_label(50.0), "50 m");
    }

    fn pixel(p: &resvg::tiny_skia::Pixmap, x: f64, y: f64) -> Rgba {
        let c = p
            .pixel(x.round() as u32, y.round() as u32)
            .unwrap()
            .demultiply();
        Rgba(c.red(), c.green(), c.blue(), c.alpha())
    }

    fn close(a: Rgba, b: Rgba) -> bool {
        let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).abs();
        d(a.0, b.0) <= 6 && d(a.1, b.1) <= 6 && d(a.2, b.2) <= 6
    }

    /// Composites `top` (with its alpha) over an opaque `bottom`.
    fn over(top: Rgba, bottom: Rgba) -> Rgba {
        let a = f64::from(top.3) / 255.0;
        let c = |t: u8, b: u8| (f64::from(t) * a + f64::from(b) * (1.0 - a)).round() as u8;
        Rgba(
            c(top.0, bottom.0),
            c(top.1, bottom.1),
            c(top.2, bottom.2),
            255,
        )
    }

    #[test]
    fn png_decodes_with_colours_where_expected() {
        let m = tiny();
        let text = svg(&m, 800);
        let bytes = png(&text).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let pm = resvg::tiny_skia::Pixmap::decode_png(&bytes).unwrap();
        assert_eq!(pm.width(), 800);
        // Rebuild the frame as svg() does to find world points in pixels.
        let map_w = 800.0 - 2.0 * MARGIN - GAP - LEGEND_W;
        let map_h = map_w.max(legend_height(&legend_sections(&m))).max(240.0);
        let f = Frame {
            width: 800.0,
            height: MARGIN + HEADER + map_h + FOOTER,
            x0: MARGIN,
            y0: MARGIN + HEADER,
            w: map_w,
            h: map_h,
            scale: (map_w / 100.0).min(map_h / 100.0),
            cx: 50.0,
            cy: 50.0,
        };
        assert_eq!(pm.height(), f.height.round() as u32);
        let bg = Rgba::rgb(0xfb, 0xfb, 0xf8);
        // Zones (over the map background), away from symbols.
        let rust = over(
            palette::zone(ZoneCharacter::Rust).with_alpha(palette::ZONE_ALPHA),
            bg,
        );
        let reuring = over(
            palette::zone(ZoneCharacter::Reuring).with_alpha(palette::ZONE_ALPHA),
            bg,
        );
        let (x, y) = f.px(40.0, 10.0);
        assert!(
            close(pixel(&pm, x, y), rust),
            "{:?} vs {rust:?}",
            pixel(&pm, x, y)
        );
        let (x, y) = f.px(60.0, 10.0);
        assert!(
            close(pixel(&pm, x, y), reuring),
            "{:?} vs {reuring:?}",
            pixel(&pm, x, y)
        );
        // Buildings: verdict colours (opaque).
        let (x, y) = f.px(28.0, 62.0);
        let g = palette::verdict(Some("geschikt"));
        assert!(
            close(pixel(&pm, x, y), g),
            "{:?} vs {g:?}",
            pixel(&pm, x, y)
        );
        let (x, y) = f.px(80.0, 70.0);
        let o = palette::verdict(Some("ongeschikt"));
        assert!(
            close(pixel(&pm, x, y), o),
            "{:?} vs {o:?}",
            pixel(&pm, x, y)
        );
        // The site marker sits at (20, 70).
        let (x, y) = f.px(20.0, 70.0);
        let p = pixel(&pm, x - 6.0, y);
        assert!(close(p, palette::SITE), "{p:?}");
        // Deterministic bytes.
        assert_eq!(bytes, png(&text).unwrap());
    }

    #[test]
    fn clipping() {
        let r = [0.0, 0.0, 10.0, 10.0];
        let tri = clip_ring(&[(-5.0, 5.0), (5.0, -5.0), (5.0, 5.0)], r);
        assert!(tri.iter().all(|p| p.0 >= 0.0 && p.1 >= 0.0));
        assert_eq!(
            clip_ring(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], r),
            vec![]
        );
        assert_eq!(
            clip_segment((-10.0, 5.0), (20.0, 5.0), r),
            Some(((0.0, 5.0), (10.0, 5.0)))
        );
        assert_eq!(clip_segment((-10.0, -5.0), (20.0, -5.0), r), None);
        assert_eq!(
            clip_segment((1.0, 1.0), (1.0, 1.0), r),
            Some(((1.0, 1.0), (1.0, 1.0)))
        );
    }

    #[test]
    fn bad_svg_is_an_error() {
        assert!(matches!(png("<svg"), Err(Error::Render { .. })));
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let mut m = tiny();
        m.bounds = Rect::new(Coord { x: 5.0, y: 5.0 }, Coord { x: 5.0, y: 5.0 });
        m.metres_per_unit = f64::NAN;
        m.amenities
            .push((Point::new(f64::NAN, 1.0), AmenityKind::Park));
        m.streets.push(LineString::new(vec![]));
        let text = svg(&m, 10);
        testxml::parse(&text).unwrap();
        assert!(png(&text).is_ok());
    }

    /// A 100,000-character name (issue 15: map.png took 13 s) is drawn cut to
    /// MAX_LABEL_CHARS with an ellipsis as the title and the subtitle, and as a
    /// site label only where the cut label fits; short text is drawn whole.
    #[test]
    fn long_text_from_data_is_cut_with_an_ellipsis() {
        let long = "Ä".repeat(100_000);
        assert_eq!(clip_label("Kalverstraat 1"), "Kalverstraat 1");
        let exact = "x".repeat(MAX_LABEL_CHARS);
        assert_eq!(clip_label(&exact), exact.as_str());
        let cut = clip_label(&long);
        assert_eq!(cut.chars().count(), MAX_LABEL_CHARS);
        assert!(cut.ends_with('…'));
        let mut map = tiny();
        map.title = long.clone();
        map.subtitle = long.clone();
        map.sites[0].2 = long.clone();
        let svg = svg(&map, 800);
        assert!(
            !svg.contains(&"Ä".repeat(MAX_LABEL_CHARS)),
            "nothing drawn longer"
        );
        // Each drawn run of the name is MAX_LABEL_CHARS - 1 characters and `…`;
        // the site label, even cut, is wider than the frame, so it is left out
        // (labels are placed only where they fit).
        let run = format!("{}…", "Ä".repeat(MAX_LABEL_CHARS - 1));
        assert_eq!(
            svg.matches(&run).count(),
            3,
            "title element, title, subtitle"
        );
        assert!(!svg.contains("site-label-1\""));
        assert_eq!(svg.matches('Ä').count(), 3 * (MAX_LABEL_CHARS - 1));
        assert!(svg.len() < 200_000, "{} bytes", svg.len());
    }
}
