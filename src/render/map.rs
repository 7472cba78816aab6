//! The annotated map: map.svg and map.png, the same picture.
//!
//! Input is [`MapData`]: geometry in the working CRS (metres, y up) with what
//! to show about it (zone character, verdict, kind, category, rank). The SVG
//! has a title, the map (zones as soft fills, streets thin, buildings coloured
//! by verdict, horeca as small dots by category, amenities as a coloured circle
//! with a short code per kind, the top sites as numbered circles with labels),
//! a legend of what is on the map, a scale bar in round metres, a north arrow
//! and the attribution.
//!
//! North is up: y is flipped. The map is laid out once and drawn through a
//! `Canvas` (`render::canvas`): [`svg`] writes it as SVG text (0.1 px precision, fixed
//! formatting, so the same data gives the same bytes), [`png()`] paints it
//! directly with tiny-skia (`render::raster`) with DejaVu Sans compiled in
//! (no system fonts), so it is the same on every machine.
//!
//! Site labels (issue 17): the name (or the address the loader put in the
//! name) and the homes; a site without either is shown by its rank number,
//! and the legend lists those ranks with the building id.

use super::canvas::{Anchor, Canvas, FillRule, Line, Shape, SvgCanvas, Text};
use super::num;
use super::palette::{self, Rgba};
use super::raster::PixmapCanvas;
#[cfg(test)]
use crate::error::Error;
use crate::error::Result;
use crate::model::{AmenityKind, ZoneCharacter};
use geo::{LineString, MultiPolygon, Point, Rect};

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
    /// Top sites, labelled on the map.
    pub sites: Vec<MapSite>,
    /// Attribution line (data sources); "© OpenStreetMap contributors" when empty.
    pub attribution: String,
    /// Metres per working-CRS unit (1.0 for metric CRSs), for the scale bar.
    pub metres_per_unit: f64,
    /// Needs the map has no data for, in words (`kinderopvang`): listed in the
    /// legend as onbekend, so a grey area is not read as "none nearby".
    pub data_gaps: Vec<String>,
}

/// A transformation site on the map.
#[derive(Debug, Clone)]
pub struct MapSite {
    /// Where its numbered circle goes (working CRS).
    pub at: Point<f64>,
    /// Rank, 1 = best; the number in the circle.
    pub rank: usize,
    /// Name, or address (`addr:street addr:housenumber`) when the source
    /// has one; `None` when neither is known.
    pub name: Option<String>,
    /// Homes in words (`4 starters`); empty when unknown.
    pub homes: String,
    /// The building's stable id, listed in the legend for a site without a name.
    pub id: String,
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

/// Appends a multipolygon's rings to `shape`, in pixels, cut to the window.
/// With `wound`, exteriors run clockwise on screen and holes counter-clockwise,
/// so under the non-zero fill rule holes stay open and many polygons can share
/// one path (where two overlap, both stay filled, unlike even-odd).
fn polygon_shape_into(shape: &mut Shape, f: &Frame, mp: &MultiPolygon<f64>, wound: bool) {
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
            shape.parts.push((pts, true));
        }
    }
}

/// Appends a line to `shape`, in pixels, cut to the window (it may fall apart into pieces).
fn line_shape_into(shape: &mut Shape, f: &Frame, l: &LineString<f64>) {
    let r = window(f);
    let pts: Vec<(f64, f64)> =
        l.0.iter()
            .filter(|c| c.x.is_finite() && c.y.is_finite())
            .map(|c| f.px(c.x, c.y))
            .collect();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for w in pts.windows(2) {
        if let Some((a, b)) = clip_segment(w[0], w[1], r) {
            if current.last() != Some(&a) {
                if current.len() > 1 {
                    shape.parts.push((std::mem::take(&mut current), false));
                }
                current.clear();
                current.push(a);
            }
            current.push(b);
        } else if current.len() > 1 {
            shape.parts.push((std::mem::take(&mut current), false));
        } else {
            current.clear();
        }
    }
    if current.len() > 1 {
        shape.parts.push((current, false));
    }
}
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
    clip_chars(text, MAX_LABEL_CHARS)
}

/// Longest site name in the legend (characters): the legend column holds
/// about this many at its font size; longer names end in `…`.
const LEGEND_NAME_CHARS: usize = 34;

/// `text` cut to `max` characters (at least 1), the last one `…`.
fn clip_chars(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max.max(1) - 1) {
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
    /// A site circle with its rank (`None`: `#`, for "the rank").
    Site(Option<usize>),
    /// Text only.
    Text,
}

struct Section {
    title: &'static str,
    rows: Vec<(Swatch, String)>,
}

fn legend_sections(map: &MapData, unplaced: &[usize]) -> Vec<Section> {
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
        // Sites without a name or address are known on the map only by their
        // number: the legend gives each one's building id (issue 17). So does
        // it for a named site whose label found no free place (`unplaced`):
        // its name.
        let mut listed: Vec<&MapSite> = map
            .sites
            .iter()
            .filter(|s| s.name.is_none() || unplaced.contains(&s.rank))
            .collect();
        listed.sort_by_key(|s| s.rank);
        let rows = std::iter::once((Swatch::Site(None), "locatie, met rangnummer".to_string()))
            .chain(listed.into_iter().map(|s| {
                let text = match &s.name {
                    Some(n) => clip_chars(n, LEGEND_NAME_CHARS).into_owned(),
                    None => format!("pand {}", s.id),
                };
                (Swatch::Site(Some(s.rank)), text)
            }))
            .collect();
        out.push(Section {
            title: "Transformatielocaties",
            rows,
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

fn amenity_symbol(c: &mut dyn Canvas, x: f64, y: f64, r: f64, kind: AmenityKind) {
    let code = palette::amenity_code(kind);
    badge(c, (x, y, r), palette::amenity(kind), 1.0, code, 1.25);
}

fn site_symbol(c: &mut dyn Canvas, x: f64, y: f64, r: f64, rank: &str) {
    badge(c, (x, y, r), palette::SITE, 2.0, rank, 1.2);
}

/// A filled circle at `(x, y)` of radius `r` with a white outline
/// `outline_px` wide and `text` in white bold in its middle: `r` high for two
/// or more characters, `r × one_char` for one.
fn badge(
    c: &mut dyn Canvas,
    (x, y, r): (f64, f64, f64),
    fill: Rgba,
    outline_px: f64,
    text: &str,
    one_char: f64,
) {
    let size = if text.len() > 1 { r } else { r * one_char };
    c.circle(x, y, r, fill, Some(line(WHITE, outline_px)));
    c.text(&Text {
        id: None,
        x,
        y: y + size * 0.36,
        size,
        bold: true,
        anchor: Anchor::Middle,
        fill: WHITE,
        halo: None,
        text,
    });
}

const WHITE: Rgba = Rgba::rgb(255, 255, 255);

fn line(colour: Rgba, width: f64) -> Line {
    Line { colour, width }
}

/// Plain text (no id, no halo).
fn plain(
    x: f64,
    y: f64,
    size: f64,
    bold: bool,
    anchor: Anchor,
    fill: Rgba,
    text: &str,
) -> Text<'_> {
    Text {
        id: None,
        x,
        y,
        size,
        bold,
        anchor,
        fill,
        halo: None,
        text,
    }
}

fn draw_legend(c: &mut dyn Canvas, sections: &[Section], x: f64, y: f64) {
    let h = legend_height(sections);
    c.group("legend");
    c.rect(
        None,
        x,
        y,
        LEGEND_W,
        h,
        Some(WHITE),
        Some(line(Rgba::rgb(0xcc, 0xcc, 0xcc), 1.0)),
        0.0,
    );
    c.text(&plain(
        x + 10.0,
        y + 20.0,
        14.0,
        true,
        Anchor::Start,
        palette::INK,
        "Legenda",
    ));
    let mut cy = y + 26.0;
    for s in sections {
        cy += 8.0 + ROW;
        c.text(&plain(
            x + 10.0,
            cy - 4.0,
            12.0,
            true,
            Anchor::Start,
            palette::INK,
            s.title,
        ));
        for (swatch, label) in &s.rows {
            cy += ROW;
            let mid = cy - 8.0;
            let sx = x + 22.0;
            match swatch {
                Swatch::Fill(colour) => c.rect(
                    None,
                    sx - 9.0,
                    mid - 5.5,
                    18.0,
                    11.0,
                    Some(*colour),
                    Some(line(Rgba::rgb(0x5a, 0x5a, 0x5a), 0.5)),
                    0.0,
                ),
                Swatch::Circle(colour, r, Some(code)) => {
                    match AmenityKind::ALL
                        .iter()
                        .find(|k| palette::amenity_code(**k) == *code)
                    {
                        Some(k) => amenity_symbol(c, sx, mid, *r, *k),
                        None => c.circle(sx, mid, *r, *colour, None),
                    }
                }
                Swatch::Circle(colour, r, None) => {
                    c.circle(sx, mid, *r, *colour, Some(line(colour.darker(0.55), 0.7)));
                }
                Swatch::Line(colour) => {
                    let shape = Shape {
                        parts: vec![(vec![(sx - 9.0, mid), (sx + 9.0, mid)], false)],
                    };
                    c.path(&shape, None, Some(line(*colour, 1.5)));
                }
                Swatch::Site(rank) => {
                    let text = rank.map_or_else(|| "#".to_string(), |r| r.to_string());
                    site_symbol(c, sx, mid, 7.5, &text)
                }
                Swatch::Text => {}
            }
            c.text(&plain(
                x + 40.0,
                mid + 4.0,
                11.0,
                false,
                Anchor::Start,
                palette::INK,
                &clip_label(label),
            ));
        }
    }
    c.end_group();
}

fn draw_scale_bar(c: &mut dyn Canvas, f: &Frame, metres_per_unit: f64) {
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
    let ink = Rgba::rgb(0x22, 0x22, 0x22);
    c.group("scale-bar");
    c.rect(
        None,
        x - 8.0,
        y - 20.0,
        len + 16.0 + 40.0,
        30.0,
        Some(WHITE.with_alpha(204)),
        None,
        3.0,
    );
    for i in 0..4 {
        let seg = len / 4.0;
        let fill = if i % 2 == 0 { ink } else { WHITE };
        c.rect(
            None,
            x + seg * f64::from(i),
            y,
            seg,
            5.0,
            Some(fill),
            Some(line(ink, 0.8)),
            0.0,
        );
    }
    c.text(&plain(x, y - 4.0, 10.0, false, Anchor::Middle, ink, "0"));
    c.text(&plain(
        x + len + 4.0,
        y + 5.0,
        10.0,
        false,
        Anchor::Start,
        ink,
        &metres_label(metres),
    ));
    c.end_group();
}

fn draw_north_arrow(c: &mut dyn Canvas, f: &Frame) {
    let cx = f.x0 + f.w - 26.0;
    let cy = f.y0 + 34.0;
    let ink = Rgba::rgb(0x22, 0x22, 0x22);
    c.group("north-arrow");
    c.circle(
        cx,
        cy,
        18.0,
        WHITE.with_alpha(217),
        Some(line(Rgba::rgb(0x99, 0x99, 0x99), 0.8)),
    );
    let arrow = Shape {
        parts: vec![(
            vec![
                (cx, cy - 14.0),
                (cx + 7.0, cy + 8.0),
                (cx, cy + 3.0),
                (cx - 7.0, cy + 8.0),
            ],
            true,
        )],
    };
    c.path(&arrow, Some((ink, FillRule::NonZero)), None);
    c.text(&plain(
        cx,
        cy - 18.0 - 3.0,
        11.0,
        true,
        Anchor::Middle,
        ink,
        "N",
    ));
    c.end_group();
}

/// The page layout for a map `width_px` wide (at least 480): the frame (the
/// world → pixel transform) and the legend's sections.
fn layout(map: &MapData, width_px: u32) -> (Frame, Vec<Section>) {
    // The legend lists the named sites whose label finds no place, and the
    // frame's height can follow the legend's: repeated until the list holds
    // (a few rounds at most; then every named shown site is listed).
    let mut unplaced: Vec<usize> = Vec::new();
    for _ in 0..4 {
        let (f, sections) = layout_with(map, width_px, &unplaced);
        let sites = shown_sites(map, &f);
        let now: Vec<usize> = sites
            .iter()
            .zip(place_labels(&f, &sites))
            .filter(|((s, _), spot)| spot.is_none() && s.name.is_some())
            .map(|((s, _), _)| s.rank)
            .collect();
        if now.iter().all(|r| unplaced.contains(r)) {
            return (f, sections);
        }
        unplaced.extend(now);
        unplaced.sort_unstable();
        unplaced.dedup();
    }
    let all: Vec<usize> = map.sites.iter().map(|s| s.rank).collect();
    layout_with(map, width_px, &all)
}

/// [`layout`] with the legend listing the named sites `unplaced`.
fn layout_with(map: &MapData, width_px: u32, unplaced: &[usize]) -> (Frame, Vec<Section>) {
    let width = f64::from(width_px.max(480));
    let sections = legend_sections(map, unplaced);
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
    // Whole pixels: with the margins (whole pixels too) the page and the map
    // frame then fall on pixel edges, so no row of map.png is half painted
    // and the raster clip (Canvas::clip) is exact.
    let map_h = natural_h.max(legend_h).max(240.0).round();
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
    (f, sections)
}

/// A site's label: its name (or address) and homes, else the homes alone.
fn site_label(s: &MapSite) -> String {
    match (&s.name, s.homes.is_empty()) {
        (Some(n), false) => format!("{n}: {}", s.homes),
        (Some(n), true) => n.clone(),
        (None, _) => s.homes.clone(),
    }
}

/// A placed site label: baseline point, anchor and its box (map pixels).
type Placed = (f64, f64, Anchor, LabelBox);

/// Where each site's label goes (in `sites`' order), best rank first: at the
/// first of four positions around its circle where it stays inside the frame
/// and overlaps no label and no circle placed before it; `None` when no
/// position is free (the number stays: the legend and report name the site).
fn place_labels(f: &Frame, sites: &[(&MapSite, String)]) -> Vec<Option<Placed>> {
    let circles: Vec<LabelBox> = sites
        .iter()
        .map(|(s, _)| {
            let (x, y) = f.px(s.at.x(), s.at.y());
            LabelBox::new(x - 10.0, y - 10.0, x + 10.0, y + 10.0)
        })
        .collect();
    let frame = LabelBox::new(f.x0 + 2.0, f.y0 + 2.0, f.x0 + f.w - 2.0, f.y0 + f.h - 2.0);
    let mut placed: Vec<LabelBox> = Vec::new();
    let mut out = Vec::with_capacity(sites.len());
    for (i, (s, label)) in sites.iter().enumerate() {
        let (x, y) = f.px(s.at.x(), s.at.y());
        let w = label_width(label);
        let candidates = [
            (
                x + 13.0,
                y + 4.0,
                Anchor::Start,
                LabelBox::new(x + 13.0, y - 8.0, x + 13.0 + w, y + 7.0),
            ),
            (
                x - 13.0,
                y + 4.0,
                Anchor::End,
                LabelBox::new(x - 13.0 - w, y - 8.0, x - 13.0, y + 7.0),
            ),
            (
                x,
                y - 14.0,
                Anchor::Middle,
                LabelBox::new(x - w / 2.0, y - 26.0, x + w / 2.0, y - 11.0),
            ),
            (
                x,
                y + 23.0,
                Anchor::Middle,
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
        if let Some((_, _, _, b)) = spot {
            placed.push(b);
        }
        out.push(spot);
    }
    out
}

/// Draws the whole map on `c`: the clipped map (zones, streets,
/// buildings, horeca, amenities, sites with labels), title and subtitle,
/// frame, north arrow, scale bar, legend and attribution, in that order (later on top).
fn draw(map: &MapData, f: &Frame, sections: &[Section], c: &mut dyn Canvas) {
    c.rect(None, 0.0, 0.0, f.width, f.height, Some(WHITE), None, 0.0);
    // Only the page background before the clip (see Canvas::clip).
    c.clip("map", f.x0, f.y0, f.w, f.h, WHITE);
    c.rect(
        None,
        f.x0,
        f.y0,
        f.w,
        f.h,
        Some(Rgba::rgb(0xfb, 0xfb, 0xf8)),
        None,
        0.0,
    );

    // Zones: soft fills.
    c.group("zones");
    for (mp, z) in &map.zones {
        let mut shape = Shape::default();
        polygon_shape_into(&mut shape, f, mp, false);
        let colour = palette::zone(*z).with_alpha(palette::ZONE_ALPHA);
        c.path(&shape, Some((colour, FillRule::EvenOdd)), None);
    }
    c.end_group();

    // Streets: thin grey lines, a little wider when zoomed in; one path.
    c.group("streets");
    let street_w = (f.scale * 1.5).clamp(0.8, 2.5);
    let mut streets = Shape::default();
    for l in &map.streets {
        line_shape_into(&mut streets, f, l);
    }
    c.path(&streets, None, Some(line(palette::STREET, street_w)));
    c.end_group();

    // Buildings by verdict: one path per fill colour (in order of first
    // appearance), non-zero winding. A path per building made the SVG renderer's
    // parse the largest cost of the whole map. Outlines only where buildings
    // are several pixels across (BUILDING_OUTLINE_MIN_PX); stroking the 70k
    // buildings of a whole town, at 3 px each, took a third of map.png.
    c.group("buildings");
    let outline = (median_building_px(map, f.scale) >= BUILDING_OUTLINE_MIN_PX)
        .then(|| line(BUILDING_OUTLINE, 0.4));
    let mut by_colour: Vec<(Rgba, Shape)> = Vec::new();
    for (mp, v) in &map.buildings {
        let colour = palette::verdict(v.as_deref());
        let at = match by_colour.iter().position(|(c, _)| *c == colour) {
            Some(at) => at,
            None => {
                by_colour.push((colour, Shape::default()));
                by_colour.len() - 1
            }
        };
        polygon_shape_into(&mut by_colour[at].1, f, mp, true);
    }
    for (colour, shape) in &by_colour {
        c.path(shape, Some((*colour, FillRule::NonZero)), outline);
    }
    c.end_group();

    // Horeca: small dots by category, heavy ones on top. A dark rim keeps
    // light (category 1) dots visible on the reuring fill.
    c.group("horeca");
    let mut horeca: Vec<&(Point<f64>, u8)> = map.horeca.iter().filter(|(p, _)| finite(p)).collect();
    horeca.sort_by_key(|(_, cat)| *cat);
    for (p, cat) in horeca {
        let (x, y) = f.px(p.x(), p.y());
        if f.inside((x, y), 10.0) {
            let (colour, size) = palette::horeca((*cat).clamp(1, 3));
            c.circle(
                x,
                y,
                size * 1.25,
                colour,
                Some(line(colour.darker(0.55), 0.7)),
            );
        }
    }
    c.end_group();

    // Amenities: coloured circle with a code per kind.
    c.group("amenities");
    for (p, k) in map.amenities.iter().filter(|(p, _)| finite(p)) {
        let (x, y) = f.px(p.x(), p.y());
        if f.inside((x, y), 10.0) {
            amenity_symbol(c, x, y, 8.0, *k);
        }
    }
    c.end_group();

    // Sites: numbered circles with labels, best rank drawn last (on top).
    c.group("sites");
    let sites = shown_sites(map, f);
    let spots = place_labels(f, &sites);
    for ((s, label), spot) in sites.iter().zip(&spots).rev() {
        let (x, y) = f.px(s.at.x(), s.at.y());
        site_symbol(c, x, y, 10.0, &s.rank.to_string());
        if let Some((tx, ty, anchor, _)) = spot {
            c.text(&Text {
                id: Some(format!("site-label-{}", s.rank)),
                x: *tx,
                y: *ty,
                size: LABEL_SIZE,
                bold: true,
                anchor: *anchor,
                fill: palette::SITE,
                halo: Some(line(WHITE, 3.0)),
                text: label,
            });
        }
    }
    c.end_group();
    c.end_clip();
    c.text(&Text {
        id: Some("title".into()),
        ..plain(
            MARGIN,
            MARGIN + 22.0,
            22.0,
            true,
            Anchor::Start,
            palette::INK,
            &clip_label(&map.title),
        )
    });
    c.text(&Text {
        id: Some("subtitle".into()),
        ..plain(
            MARGIN,
            MARGIN + 44.0,
            13.0,
            false,
            Anchor::Start,
            palette::INK_SOFT,
            &clip_label(&map.subtitle),
        )
    });

    c.rect(
        Some("map-frame"),
        f.x0,
        f.y0,
        f.w,
        f.h,
        None,
        Some(line(Rgba::rgb(0x88, 0x88, 0x88), 1.0)),
        0.0,
    );
    draw_north_arrow(c, f);
    draw_scale_bar(c, f, map.metres_per_unit);
    draw_legend(c, sections, f.x0 + f.w + GAP, f.y0);

    let attribution = if map.attribution.trim().is_empty() {
        DEFAULT_ATTRIBUTION
    } else {
        map.attribution.as_str()
    };
    c.text(&Text {
        id: Some("attribution".into()),
        ..plain(
            f.x0 + f.w,
            f.y0 + f.h + 16.0,
            10.0,
            false,
            Anchor::End,
            palette::INK_SOFT,
            attribution,
        )
    });
}

/// The sites drawn on the map (finite, within the view), best rank first,
/// each with its label cut to [`MAX_LABEL_CHARS`].
fn shown_sites<'a>(map: &'a MapData, f: &Frame) -> Vec<(&'a MapSite, String)> {
    let mut sites: Vec<(&MapSite, String)> = map
        .sites
        .iter()
        .filter(|s| finite(&s.at))
        .filter(|s| {
            let (x, y) = f.px(s.at.x(), s.at.y());
            f.inside((x, y), 10.0)
        })
        .map(|s| (s, clip_label(&site_label(s)).into_owned()))
        .collect();
    sites.sort_by(|a, b| a.0.rank.cmp(&b.0.rank).then_with(|| a.1.cmp(&b.1)));
    sites
}

/// The outline of buildings, where they are drawn with one.
const BUILDING_OUTLINE: Rgba = Rgba::rgb(0x5a, 0x5a, 0x5a);

/// The map as an SVG document `width_px` wide (at least 480); the height
/// follows the shape of `map.bounds` and the legend.
pub fn svg(map: &MapData, width_px: u32) -> String {
    let (f, sections) = layout(map, width_px);
    let mut c = SvgCanvas::new(f.width, f.height, &clip_label(&map.title));
    draw(map, &f, &sections, &mut c);
    c.finish()
}

/// The map as PNG bytes, `width_px` wide (at least 480): the same picture as
/// [`svg`], painted directly with tiny-skia (`render::raster`) and the
/// embedded DejaVu Sans, so it is the same on every machine.
///
/// # Errors
/// [`crate::error::Error::Render`] when the picture has no area or is too large for
/// tiny-skia, or the PNG cannot be encoded.
pub fn png(map: &MapData, width_px: u32) -> Result<Vec<u8>> {
    let (f, sections) = layout(map, width_px);
    let mut c = PixmapCanvas::new(f.width, f.height)?;
    draw(map, &f, &sections, &mut c);
    c.png()
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
            sites: vec![MapSite {
                at: Point::new(20.0, 70.0),
                rank: 1,
                name: Some(r#"Café "De <Nacht>" & Co"#.into()),
                homes: String::new(),
                id: "pand-1".into(),
            }],
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
            let strokes: Vec<String> = g
                .descendants()
                .iter()
                .filter(|e| e.name == "path")
                .map(|p| p.attr("stroke").unwrap_or("none").to_string())
                .collect();
            assert_eq!(strokes.len(), 2, "one path per verdict colour");
            assert!(strokes.iter().all(|s| *s == strokes[0]));
            strokes[0].clone()
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
        let bytes = png(&m, 800).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let pm = resvg::tiny_skia::Pixmap::decode_png(&bytes).unwrap();
        assert_eq!(pm.width(), 800);
        // Rebuild the frame as svg() does to find world points in pixels.
        let map_w = 800.0 - 2.0 * MARGIN - GAP - LEGEND_W;
        let map_h = map_w
            .max(legend_height(&legend_sections(&m, &[])))
            .max(240.0)
            .round();
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
        assert_eq!(bytes, png(&m, 800).unwrap());
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

    /// map.svg rendered by resvg (the way map.png was made before issue 18).
    pub(crate) fn resvg_png(svg: &str) -> resvg::tiny_skia::Pixmap {
        let mut opt = resvg::usvg::Options {
            font_family: "DejaVu Sans".to_string(),
            ..resvg::usvg::Options::default()
        };
        opt.fontdb = crate::render::raster::fontdb();
        let tree = resvg::usvg::Tree::from_str(svg, &opt).unwrap();
        let size = tree.size().to_int_size();
        let mut pm = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pm.as_mut(),
        );
        pm
    }

    /// Share of pixels whose largest channel differs by more than `threshold`
    /// (0-255).
    pub(crate) fn differing(
        a: &resvg::tiny_skia::Pixmap,
        b: &resvg::tiny_skia::Pixmap,
        threshold: u8,
    ) -> f64 {
        assert_eq!((a.width(), a.height()), (b.width(), b.height()));
        let n = a
            .pixels()
            .iter()
            .zip(b.pixels())
            .filter(|(p, q)| {
                let (p, q) = (p.demultiply(), q.demultiply());
                [
                    (p.red(), q.red()),
                    (p.green(), q.green()),
                    (p.blue(), q.blue()),
                    (p.alpha(), q.alpha()),
                ]
                .iter()
                .any(|(x, y)| x.abs_diff(*y) > threshold)
            })
            .count();
        n as f64 / a.pixels().len() as f64
    }

    /// The PNG painted directly is the picture resvg draws from map.svg: on the
    /// demo centre (every kind of feature, legend, labels, a nasty name) at
    /// most 0.02% of pixels differ by more than 64 levels (measured 0.0009%:
    /// antialiasing at edges); a missing label (~0.03%), legend or layer
    /// differs by more.
    #[test]
    fn png_is_the_picture_of_the_svg() {
        for m in [tiny(), crate::render::demo::demo().map_data()] {
            let direct = resvg::tiny_skia::Pixmap::decode_png(&png(&m, 1200).unwrap()).unwrap();
            let via_svg = resvg_png(&svg(&m, 1200));
            let share = differing(&direct, &via_svg, 64);
            eprintln!("{}: {:.4}% of pixels differ", m.title, share * 100.0);
            assert!(share < 0.0002, "{}: {share}", m.title);
            // The comparison sees a missing label: the first site's label
            // left out (an empty name and no homes) is caught.
            let mut bare = m.clone();
            bare.sites[0].name = Some(String::new());
            let without = resvg::tiny_skia::Pixmap::decode_png(&png(&bare, 1200).unwrap()).unwrap();
            assert_eq!(without.height(), direct.height());
            let missing = differing(&direct, &without, 64);
            eprintln!("{}: a missing label is {:.4}%", m.title, missing * 100.0);
            assert!(missing > 0.0002, "{}: {missing}", m.title);
        }
    }

    /// Issue 17: a named site reads "name: homes"; an unnamed one reads its
    /// homes beside its number, and the legend lists that number with the
    /// building id (never shown as a label).
    #[test]
    fn unnamed_sites_are_listed_in_the_legend_with_their_building() {
        let mut m = tiny();
        m.sites[0].homes = "12 starters".into();
        m.sites.push(MapSite {
            at: Point::new(80.0, 30.0),
            rank: 2,
            name: None,
            homes: "3 ouderen".into(),
            id: "0363100012182305".into(),
        });
        let text = svg(&m, 800);
        let root = testxml::parse(&text).unwrap();
        let by_id = |id: &str| {
            root.descendants()
                .into_iter()
                .find(|e| e.attr("id") == Some(id))
                .unwrap_or_else(|| panic!("{id}"))
                .all_text()
        };
        assert_eq!(
            by_id("site-label-1"),
            r#"Café "De <Nacht>" & Co: 12 starters"#
        );
        assert_eq!(by_id("site-label-2"), "3 ouderen");
        let legend = by_id("legend");
        assert!(legend.contains("pand 0363100012182305"), "{legend}");
        assert!(
            !legend.contains("pand pand-1"),
            "named sites are not listed"
        );
        // The legend row's circle carries the rank.
        assert!(
            legend.contains("#locatie, met rangnummer2pand 0363100012182305"),
            "{legend}"
        );
    }

    #[test]
    fn a_map_too_large_for_the_rasteriser_is_an_error() {
        // tiny-skia refuses pixmaps wider than i32::MAX / 4 pixels.
        assert!(matches!(png(&tiny(), u32::MAX), Err(Error::Render { .. })));
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
        assert!(png(&m, 10).is_ok());
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
        map.sites[0].name = Some(long.clone());
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
        // Unplaced, the site is named in the legend, cut to the legend's width.
        let listed = format!("{}…", "Ä".repeat(LEGEND_NAME_CHARS - 1));
        assert_eq!(svg.matches(&listed).count(), 3 + 1, "and the legend row");
        assert_eq!(
            svg.matches('Ä').count(),
            3 * (MAX_LABEL_CHARS - 1) + LEGEND_NAME_CHARS - 1
        );
        assert!(svg.len() < 200_000, "{} bytes", svg.len());
    }
}
