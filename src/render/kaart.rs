//! kaart.html: the interactive map a planner clicks, one self-contained file.
//!
//! The page embeds Leaflet (vendored in `assets/leaflet/`, BSD-2-Clause, with
//! its licence; `assets/update-leaflet.sh` updates it from the npm registry),
//! its own script (`assets/kaart.js`) and style (`assets/kaart.css`), and the
//! plan's data as one compact JSON document. No tiles, no CDN: it opens from
//! disk with no network, so a copy of the output folder works offline.
//!
//! # The data (`<script type="application/json" id="kaart-data">`)
//! - Positions are WGS84 in whole microdegrees (1e-6°, about 0.1 m), each
//!   ring as a flat list `[x0, y0, dx1, dy1, ...]` of differences to the
//!   previous position (small integers compress the text by about half).
//! - Building rows are arrays, not objects: `[id, name, use, zone, geometry,
//!   walk metres per kind in `kinds`, per group null | [score, verdict, [reason
//!   numbers]]]`. Reasons are split at `"; "` into parts, and every distinct
//!   part is written once in `reasons` (most repeat: "plint in
//!   kernwinkelgebied blijft open ...").
//! - `caveats` maps a reason that holds for the whole map (`monumentstatus
//!   onbekend`, `kinderopvang: onbekend (geen data)`) to its explanation; the
//!   page shows such a reason whole (`monumentstatus onbekend (de kaart
//!   markeert ...)`), the words `binnenstad site` prints.
//! - Site rows: `[rank, building row, type, potential, component values in
//!   the order of `components`, best group, best score, homes per group,
//!   usable m², [condition numbers in `reasons`]]`.
//! - `labels` is the one table of Dutch names for every key the rows hold
//!   (amenity kinds, uses, zones, verdicts, site types, score components), from
//!   [`crate::labels`].
//!
//! # Staying responsive at 70,000 buildings
//! Geometry is simplified before it is written (Douglas-Peucker, 0.3 m for
//! buildings and 1 m for zones and coverage, in the metric working CRS);
//! Leaflet draws on one canvas (`preferCanvas`); buildings are not interactive
//! layers (a canvas hit test over 70,000 paths on every mouse move is what
//! makes big maps slow): a click is answered by the page's own grid index over
//! the building boxes and a point-in-polygon test.

use crate::labels;
use crate::model::{AmenityKind, ZoneCharacter};
use serde_json::{Value, json};
use std::collections::HashMap;

/// A polygon (outer ring first, then holes) of WGS84 lon/lat positions.
pub type Polygon = Vec<Vec<[f64; 2]>>;

/// One need's walking reach for one group, for the page's menu and map.
#[derive(Debug, Clone, PartialEq)]
pub struct KaartCoverage {
    /// The doelgroep's key.
    pub group: String,
    /// The amenity kind.
    pub kind: AmenityKind,
    /// The group's walking minutes for it.
    pub minutes: f64,
    /// Share of homes inside, 0-1; `None` where there is no share to give
    /// (the map has too few of the kind, or there are no homes).
    pub share: Option<f64>,
    /// The area within reach.
    pub area: Vec<Polygon>,
}

/// Everything kaart.html shows. Geometry is WGS84 (lon, lat), already simplified.
pub struct KaartInput {
    /// Page title.
    pub title: String,
    /// What the map shows, one line.
    pub subtitle: String,
    /// Attribution shown on the map.
    pub attribution: String,
    /// The amenity kinds whose walking distance each building row carries, in order.
    pub kinds: Vec<AmenityKind>,
    /// Kinds the map has (almost) no data for: a need for them is onbekend, not unmet.
    pub unknown: Vec<AmenityKind>,
    /// Reasons that hold for the whole map, as (short reason, explanation): the
    /// rows carry the short reason, the page shows it with its explanation.
    pub caveats: Vec<(String, String)>,
    /// The doelgroepen, in scenario order.
    pub groups: Vec<KaartGroup>,
    /// The group the buildings are coloured for when the page opens.
    pub map_group: String,
    /// Every building.
    pub buildings: Vec<KaartBuilding>,
    /// Zone polygons.
    pub zones: Vec<(ZoneCharacter, Vec<Polygon>)>,
    /// Transformation sites, by rank.
    pub sites: Vec<KaartSite>,
    /// Amenities: position, kind, name.
    pub amenities: Vec<([f64; 2], AmenityKind, Option<String>)>,
    /// Horeca: position, category (1-3), kind key, name.
    pub horeca: Vec<([f64; 2], u8, String, Option<String>)>,
    /// Walkable coverage per group and need.
    pub coverage: Vec<KaartCoverage>,
    /// Street centre lines (context: the page has no background tiles).
    pub streets: Vec<Vec<[f64; 2]>>,
}

/// A doelgroep as the page needs it.
pub struct KaartGroup {
    /// Key (`gezinnen`).
    pub key: String,
    /// Label (`Gezinnen`).
    pub label: String,
    /// Walking speed in km/h.
    pub walk_speed_kmh: f64,
    /// Needs: amenity kind and the maximum walking minutes.
    pub needs: Vec<(AmenityKind, f64)>,
}

/// One building.
pub struct KaartBuilding {
    /// Stable id.
    pub id: String,
    /// Name or address.
    pub name: Option<String>,
    /// Use key (`retail`).
    pub usage: &'static str,
    /// Zone it lies in.
    pub zone: Option<ZoneCharacter>,
    /// Footprint polygons (WGS84).
    pub footprint: Vec<Polygon>,
    /// Walking distance (m) to the nearest amenity of each of [`KaartInput::kinds`].
    pub walk_m: Vec<Option<f64>>,
    /// Per group (scenario order): score 0-100, verdict key, reasons ("; "-joined);
    /// `None` for a building no one can live in.
    pub per_group: Vec<Option<(f64, &'static str, String)>>,
}

/// One transformation site.
pub struct KaartSite {
    /// 1-based rank.
    pub rank: usize,
    /// Index into [`KaartInput::buildings`].
    pub building: usize,
    /// Site type key (`boven_winkels`).
    pub kind: &'static str,
    /// Potential 0-100.
    pub potential: f64,
    /// Score components (key as in sites.geojson, value 0-1).
    pub components: Vec<(&'static str, f64)>,
    /// Best group key.
    pub best_group: Option<String>,
    /// Best group's score.
    pub best_score: f64,
    /// Homes per group key (scenario order).
    pub homes: Vec<u32>,
    /// Usable floor area (m²).
    pub usable_m2: f64,
    /// Conditions (Dutch).
    pub conditions: Vec<String>,
}

const LEAFLET_JS: &str = include_str!("../../assets/leaflet/leaflet.js");
const LEAFLET_CSS: &str = include_str!("../../assets/leaflet/leaflet.css");
const LEAFLET_LICENSE: &str = include_str!("../../assets/leaflet/LICENSE");
const KAART_JS: &str = include_str!("../../assets/kaart.js");
const KAART_CSS: &str = include_str!("../../assets/kaart.css");

/// Whole microdegrees.
fn micro(v: f64) -> i64 {
    (v * 1e6).round() as i64
}

/// A ring as `[x0, y0, dx1, dy1, ...]` in microdegrees; repeated positions
/// (after rounding) are dropped, so the closing position is left out too.
fn ring(coords: &[[f64; 2]]) -> Vec<i64> {
    let mut out = Vec::with_capacity(coords.len() * 2);
    let (mut px, mut py) = (0i64, 0i64);
    let mut first = true;
    let n = match coords {
        [a, .., b] if a == b => coords.len() - 1,
        _ => coords.len(),
    };
    for c in &coords[..n] {
        let (x, y) = (micro(c[0]), micro(c[1]));
        if !first && x == px && y == py {
            continue;
        }
        if first {
            out.push(x);
            out.push(y);
        } else {
            out.push(x - px);
            out.push(y - py);
        }
        first = false;
        px = x;
        py = y;
    }
    out
}

fn polygons(ps: &[Polygon]) -> Value {
    Value::Array(
        ps.iter()
            .map(|p| Value::Array(p.iter().map(|r| json!(ring(r))).collect()))
            .collect(),
    )
}

fn point(p: [f64; 2]) -> Value {
    json!([micro(p[0]), micro(p[1])])
}

/// A number rounded to `decimals` as JSON (integers without `.0`).
fn round(v: f64, decimals: i32) -> Value {
    if !v.is_finite() {
        return Value::Null;
    }
    let f = 10f64.powi(decimals);
    let r = (v * f).round() / f;
    if decimals == 0 || r.fract() == 0.0 {
        json!(r as i64)
    } else {
        json!(r)
    }
}

/// Writes a JSON string (escaped by serde_json).
fn push_str(out: &mut String, v: &str) {
    // Serializing a &str cannot fail.
    out.push_str(&serde_json::to_string(v).unwrap_or_default());
}

fn push_ints(out: &mut String, v: &[i64]) {
    use std::fmt::Write;
    out.push('[');
    for (i, n) in v.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{n}");
    }
    out.push(']');
}

fn push_polygons(out: &mut String, ps: &[Polygon]) {
    out.push('[');
    for (i, p) in ps.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        for (j, r) in p.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_ints(out, &ring(r));
        }
        out.push(']');
    }
    out.push(']');
}

/// One group's verdict as written: score, verdict number, reason part numbers.
type GroupRow = Option<(i64, Option<usize>, Vec<usize>)>;

/// A group's verdict as the rows carry it: score 0-100, verdict key, reasons
/// ("; "-joined); `None` for a building no one can live in.
pub type Verdict = Option<(f64, &'static str, String)>;

/// The building rows of kaart.html, made on demand: a big city's rows are
/// made, written and dropped a block at a time instead of all held at once
/// (issue 18).
pub trait KaartRows: Sync {
    /// The number of rows.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Row `i` (its `per_group` is not read: see [`KaartRows::verdicts`]).
    fn building(&self, i: usize) -> crate::Result<KaartBuilding>;
    /// Row `i`'s verdict per group (scenario order).
    fn verdicts(&self, i: usize) -> Vec<Verdict>;
}

impl KaartRows for Vec<KaartBuilding> {
    fn len(&self) -> usize {
        <[KaartBuilding]>::len(self)
    }
    fn building(&self, i: usize) -> crate::Result<KaartBuilding> {
        let b = &self[i];
        Ok(KaartBuilding {
            id: b.id.clone(),
            name: b.name.clone(),
            usage: b.usage,
            zone: b.zone,
            footprint: b.footprint.clone(),
            walk_m: b.walk_m.clone(),
            per_group: Vec::new(),
        })
    }
    fn verdicts(&self, i: usize) -> Vec<Verdict> {
        self[i].per_group.clone()
    }
}

/// A failed write of kaart.html.
fn io(e: std::io::Error) -> crate::Error {
    crate::Error::io("kaart.html", "cannot write", e)
}

/// Rows per block: made and rendered in parallel, written in order.
const BLOCK: usize = 1024;
/// Blocks in flight at a time.
const BLOCKS_IN_FLIGHT: usize = 8;

/// One building row: `[id, name, use, zone, geometry, walk, per group]`,
/// written straight to text (a city has tens of thousands).
fn push_building(out: &mut String, b: &KaartBuilding, parts: &[GroupRow]) {
    use std::fmt::Write;
    out.push('[');
    push_str(out, &b.id);
    out.push(',');
    match &b.name {
        Some(n) => push_str(out, n),
        None => out.push_str("null"),
    }
    out.push(',');
    push_str(out, b.usage);
    out.push(',');
    match b.zone {
        Some(z) => push_str(out, z.as_str()),
        None => out.push_str("null"),
    }
    out.push(',');
    push_polygons(out, &b.footprint);
    out.push_str(",[");
    for (i, m) in b.walk_m.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match m {
            Some(m) if m.is_finite() => {
                let _ = write!(out, "{}", m.round() as i64);
            }
            _ => out.push_str("null"),
        }
    }
    out.push_str("],[");
    for (i, g) in parts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match g {
            None => out.push_str("null"),
            Some((score, verdict, reasons)) => {
                let _ = write!(out, "[{score},");
                match verdict {
                    Some(v) => {
                        let _ = write!(out, "{v}");
                    }
                    None => out.push_str("null"),
                }
                out.push_str(",[");
                for (j, r) in reasons.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{r}");
                }
                out.push_str("]]");
            }
        }
    }
    out.push_str("]]");
}

/// Every row's verdicts with their reasons as part numbers, and the parts,
/// numbered in order of first appearance (deterministic). Blocks number their
/// own parts in parallel; the blocks' tables are then merged in order, which
/// keeps the order of first appearance.
fn number_reasons(rows: &dyn KaartRows) -> (Vec<Vec<GroupRow>>, Vec<String>) {
    use rayon::prelude::*;
    let verdicts = crate::render::palette::VERDICTS;
    let n = rows.len();
    let blocks: Vec<(Vec<Vec<GroupRow>>, Vec<String>)> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map(|blk| {
            let range = blk * BLOCK..((blk + 1) * BLOCK).min(n);
            let texts: Vec<Vec<Verdict>> = range.map(|i| rows.verdicts(i)).collect();
            let mut index: HashMap<&str, usize> = HashMap::new();
            let mut local: Vec<&str> = Vec::new();
            let parts = texts
                .iter()
                .map(|per| {
                    per.iter()
                        .map(|g| {
                            g.as_ref().map(|(score, verdict, text)| {
                                let ids = text
                                    .split("; ")
                                    .filter(|p| !p.is_empty())
                                    .map(|p| {
                                        *index.entry(p).or_insert_with(|| {
                                            local.push(p);
                                            local.len() - 1
                                        })
                                    })
                                    .collect();
                                let score = if score.is_finite() {
                                    score.round() as i64
                                } else {
                                    0
                                };
                                (score, verdicts.iter().position(|v| v == verdict), ids)
                            })
                        })
                        .collect()
                })
                .collect();
            (parts, local.into_iter().map(str::to_string).collect())
        })
        .collect();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut reasons: Vec<String> = Vec::new();
    let mut all = Vec::with_capacity(n);
    for (parts, local) in blocks {
        let global: Vec<usize> = local
            .into_iter()
            .map(|p| match index.get(&p) {
                Some(&g) => g,
                None => {
                    reasons.push(p.clone());
                    index.insert(p, reasons.len() - 1);
                    reasons.len() - 1
                }
            })
            .collect();
        for mut row in parts {
            for (_, _, ids) in row.iter_mut().flatten() {
                for id in ids.iter_mut() {
                    *id = global[*id];
                }
            }
            all.push(row);
        }
    }
    (all, reasons)
}

/// The data document the page reads, as JSON text (see the module docs for
/// its shape), with the building rows of `input.buildings`.
pub fn data(input: &KaartInput) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail; building rows from a slice cannot either.
    let _ = write_data(input, &input.buildings, false, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// `</` cannot appear inside a <script> element; `<\/` is the same JSON string.
fn script_safe(text: &str, escape: bool) -> std::borrow::Cow<'_, str> {
    if escape && text.contains("</") {
        std::borrow::Cow::Owned(text.replace("</", "<\\/"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Writes the data document (see [`data`]) with the building rows of `rows`
/// (`input.buildings` is not read), `</` escaped for a <script> element when
/// `escape`. Rows are made and rendered in parallel blocks and written in
/// order: the whole document is never held.
fn write_data(
    input: &KaartInput,
    rows: &dyn KaartRows,
    escape: bool,
    w: &mut dyn std::io::Write,
) -> crate::Result<()> {
    use rayon::prelude::*;
    let (parts, mut reasons) = number_reasons(rows);
    // Site conditions share the table: most sites repeat a few ("vloeroppervlak
    // geschat ...": 125 bytes a site written out, 40 of kaart.html's 76 MB at 1M).
    let mut index: HashMap<String, usize> = reasons
        .iter()
        .enumerate()
        .map(|(i, r)| (r.clone(), i))
        .collect();
    let conditions: Vec<Vec<usize>> = input
        .sites
        .iter()
        .map(|s| {
            s.conditions
                .iter()
                .map(|c| match index.get(c.as_str()) {
                    Some(&i) => i,
                    None => {
                        reasons.push(c.clone());
                        index.insert(c.clone(), reasons.len() - 1);
                        reasons.len() - 1
                    }
                })
                .collect()
        })
        .collect();
    drop(index);
    // The sites and the reasons are written apart from the rest (a 1M city
    // has 133,000 sites: as `Value`s they held ~0.2 GB); `meta` holds null in
    // their place: `sites` just before `amenities`, `reasons` last.
    let mut meta = meta(input);
    meta["reasons"] = Value::Null;
    let meta = meta.to_string();
    const SITES: &str = ",\"sites\":null,\"amenities\":";
    const REASONS: &str = ",\"streets\":null,\"reasons\":null}";
    let Some(at) = meta.find(SITES).filter(|_| meta.ends_with(REASONS)) else {
        return Err(crate::Error::file(
            "kaart.html",
            "interne fout: de gegevens hebben geen plaats voor locaties en redenen",
        ));
    };
    let sites_at = at + ",\"sites\":".len();
    w.write_all(script_safe(&meta[..sites_at], escape).as_bytes())
        .map_err(io)?;
    w.write_all(b"[").map_err(io)?;
    let sites: Vec<String> = input
        .sites
        .par_chunks(BLOCK)
        .zip(conditions.par_chunks(BLOCK))
        .enumerate()
        .map(|(k, (sites, conditions))| {
            let mut text = String::new();
            for (j, (s, c)) in sites.iter().zip(conditions).enumerate() {
                if k > 0 || j > 0 {
                    text.push(',');
                }
                text.push_str(&site_row(s, c).to_string());
            }
            script_safe(&text, escape).into_owned()
        })
        .collect();
    for t in sites {
        w.write_all(t.as_bytes()).map_err(io)?;
    }
    w.write_all(b"]").map_err(io)?;
    // From `,"amenities":` to `,"streets":`.
    let rest = &meta[sites_at + "null".len()..meta.len() - REASONS.len() + ",\"streets\":".len()];
    w.write_all(script_safe(rest, escape).as_bytes())
        .map_err(io)?;
    // The streets (570,000 at 1M: as `Value`s ~0.1 GB).
    w.write_all(b"[").map_err(io)?;
    let streets: Vec<String> = input
        .streets
        .par_chunks(4 * BLOCK)
        .enumerate()
        .map(|(k, lines)| {
            let mut text = String::new();
            for (j, l) in lines.iter().enumerate() {
                if k > 0 || j > 0 {
                    text.push(',');
                }
                push_ints(&mut text, &ring(l));
            }
            text
        })
        .collect();
    for t in streets {
        w.write_all(t.as_bytes()).map_err(io)?;
    }
    w.write_all(b"],\"reasons\":").map_err(io)?;
    let mut text = String::from("[");
    for (i, r) in reasons.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        push_str(&mut text, r);
    }
    text.push(']');
    w.write_all(script_safe(&text, escape).as_bytes())
        .map_err(io)?;
    drop((text, reasons, meta));
    // `meta` was an object: the rows are its last member.
    w.write_all(b",\"buildings\":[\n").map_err(io)?;
    let n = rows.len();
    let blocks = n.div_ceil(BLOCK);
    let mut first = 0;
    while first < blocks {
        let last = (first + BLOCKS_IN_FLIGHT).min(blocks);
        let texts: Vec<crate::Result<String>> = (first..last)
            .into_par_iter()
            .map(|blk| {
                let range = blk * BLOCK..((blk + 1) * BLOCK).min(n);
                let mut s = String::with_capacity(256 * range.len());
                for i in range {
                    if i > 0 {
                        s.push_str(",\n");
                    }
                    push_building(&mut s, &rows.building(i)?, &parts[i]);
                }
                Ok(match script_safe(&s, escape) {
                    std::borrow::Cow::Owned(t) => t,
                    std::borrow::Cow::Borrowed(_) => s,
                })
            })
            .collect();
        for t in texts {
            w.write_all(t?.as_bytes()).map_err(io)?;
        }
        first = last;
    }
    w.write_all(b"]}").map_err(io)?;
    Ok(())
}

/// A site row: `[rank, building row, type, potential, component values,
/// best group, best score, homes per group, usable m², condition numbers]`.
fn site_row(s: &KaartSite, conditions: &[usize]) -> Value {
    json!([
        s.rank,
        s.building,
        s.kind,
        round(s.potential, 1),
        s.components
            .iter()
            .map(|(_, v)| round(*v, 2))
            .collect::<Vec<_>>(),
        s.best_group,
        round(s.best_score, 0),
        s.homes,
        round(s.usable_m2, 0),
        conditions,
    ])
}

/// Everything but the building rows, the sites and the reasons.
fn meta(input: &KaartInput) -> Value {
    let verdicts = crate::render::palette::VERDICTS;
    let kinds: Vec<&str> = input.kinds.iter().map(|k| k.as_str()).collect();
    let mut kind_labels = serde_json::Map::new();
    for k in AmenityKind::ALL {
        kind_labels.insert(k.as_str().into(), json!(labels::amenity_kind(*k)));
    }
    let mut use_labels = serde_json::Map::new();
    for u in crate::model::BuildingUse::ALL {
        use_labels.insert(u.as_str().into(), json!(labels::building_use(*u)));
    }
    let mut horeca_labels = serde_json::Map::new();
    for (_, _, kind, _) in &input.horeca {
        horeca_labels.insert(kind.clone(), json!(labels::horeca_kind(kind)));
    }
    let site_types = crate::rules::sites::SiteType::ALL.map(|t| t.as_str());
    let components = [
        "c_suitability",
        "c_vacancy",
        "c_location",
        "c_fit",
        "c_monument",
        "c_data",
    ];
    let zone_colours: serde_json::Map<String, Value> = ZoneCharacter::ALL
        .iter()
        .map(|z| {
            (
                z.as_str().to_string(),
                json!(crate::render::palette::zone(*z).hex()),
            )
        })
        .collect();
    json!({
        "title": input.title,
        "subtitle": input.subtitle,
        "attribution": input.attribution,
        "map_group": input.map_group,
        "kinds": kinds,
        "unknown": input.unknown.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "caveats": input.caveats.iter().map(|(r, e)| (r.clone(), json!(e))).collect::<serde_json::Map<_, _>>(),
        "groups": input.groups.iter().map(|g| json!({
            "key": g.key,
            "label": g.label,
            "m_per_min": round(g.walk_speed_kmh * 1000.0 / 60.0, 3),
            "needs": g.needs.iter().map(|(k, m)| {
                json!([k.as_str(), round(*m, 1)])
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "labels": {
            "kind": kind_labels,
            "use": use_labels,
            "horeca": horeca_labels,
            "horeca_category": ([1u8, 2, 3].map(labels::horeca_category)),
            "zone": ZoneCharacter::ALL.iter().map(|z| labels::zone(*z)).collect::<Vec<_>>(),
            "verdict": verdicts,
            "site_type": site_types.iter().map(|t| (t.to_string(), json!(labels::site_type(t)))).collect::<serde_json::Map<_, _>>(),
            "component": components.iter().map(|c| (c.to_string(), json!(labels::site_component(c)))).collect::<serde_json::Map<_, _>>(),
        },
        "colours": {
            "zone": zone_colours,
            "verdict": verdicts.iter().map(|v| crate::render::palette::verdict(Some(v)).hex()).collect::<Vec<_>>(),
            "none": crate::render::palette::verdict(None).hex(),
            "kind": AmenityKind::ALL.iter().map(|k| (k.as_str().to_string(), json!(crate::render::palette::amenity(*k).hex()))).collect::<serde_json::Map<_, _>>(),
            "horeca": ([1u8, 2, 3].map(|c| crate::render::palette::horeca(c).0.hex())),
            "site": crate::render::palette::SITE.hex(),
            "coverage": crate::render::palette::COVERAGE.hex(),
            "street": crate::render::palette::STREET.hex(),
        },
        "zones": input.zones.iter().map(|(z, ps)| json!([z.as_str(), polygons(ps)])).collect::<Vec<_>>(),
        "components": input.sites.first().map(|s| s.components.iter().map(|(k, _)| *k).collect::<Vec<_>>()).unwrap_or_default(),
        // Written apart: see `write_data`.
        "sites": Value::Null,
        "amenities": input.amenities.iter().map(|(p, k, n)| json!([point(*p), k.as_str(), n])).collect::<Vec<_>>(),
        "horeca": input.horeca.iter().map(|(p, c, k, n)| json!([point(*p), c, k, n])).collect::<Vec<_>>(),
        "coverage": input.coverage.iter().map(|c| json!([c.group, c.kind.as_str(), round(c.minutes, 1), c.share.map(|s| round(s, 3)), polygons(&c.area)])).collect::<Vec<_>>(),
        // Written apart: see `write_data`.
        "streets": Value::Null,
    })
}

/// kaart.html: Leaflet, the page's script and style, and [`data`], inline.
pub fn html(input: &KaartInput) -> String {
    let mut out = Vec::with_capacity(LEAFLET_JS.len() + 64 * 1024);
    // Writing to a Vec cannot fail; building rows from a slice cannot either.
    let _ = write_html(input, &input.buildings, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes kaart.html (see [`html`]) with the building rows of `rows`
/// (`input.buildings` is not read), streamed: the rows are made and written a
/// block at a time.
pub fn write_html(
    input: &KaartInput,
    rows: &dyn KaartRows,
    w: &mut dyn std::io::Write,
) -> crate::Result<()> {
    let title = crate::render::xml_escape(&input.title);
    let mut head = String::with_capacity(64 * 1024);
    head.push_str("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n");
    head.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    head.push_str(&format!("<title>{title} – kaart</title>\n"));
    head.push_str("<style>\n");
    head.push_str(LEAFLET_CSS);
    head.push_str("\n</style>\n<style>\n");
    head.push_str(KAART_CSS);
    head.push_str("\n</style>\n</head>\n<body>\n");
    head.push_str(BODY);
    head.push_str("<script type=\"application/json\" id=\"kaart-data\">");
    w.write_all(head.as_bytes()).map_err(io)?;
    write_data(input, rows, true, w)?;
    let mut tail = String::with_capacity(LEAFLET_JS.len() + KAART_JS.len() + 4096);
    tail.push_str("</script>\n<script>\n/* Leaflet ");
    tail.push_str(include_str!("../../assets/leaflet/VERSION").trim());
    tail.push_str(", https://leafletjs.com\n");
    tail.push_str(&LEAFLET_LICENSE.replace("*/", "* /"));
    tail.push_str("*/\n");
    tail.push_str(LEAFLET_JS);
    tail.push_str("\n</script>\n<script>\n");
    tail.push_str(KAART_JS);
    tail.push_str("\n</script>\n</body>\n</html>\n");
    w.write_all(tail.as_bytes()).map_err(io)?;
    Ok(())
}

/// The page's static markup: the side panel, the map, the sites table.
const BODY: &str = r#"<div id="app">
<aside id="paneel">
  <h1 id="titel"></h1>
  <p id="ondertitel"></p>
  <label class="blok">Zoeken (adres, naam, id of #rang)
    <input id="zoek" type="search" autocomplete="off" placeholder="bijv. Kalverstraat 1 of 0363…">
  </label>
  <ul id="zoekresultaten"></ul>
  <fieldset id="lagen"><legend>Lagen</legend></fieldset>
  <label class="blok">Gebouwen gekleurd voor doelgroep
    <select id="doelgroep"></select>
  </label>
  <label class="blok">Loopbereik (doelgroep: voorziening)
    <select id="bereik"><option value="">geen</option></select>
  </label>
  <div id="legenda"></div>
  <section id="info" aria-live="polite"><p class="zacht">Klik op een gebouw, locatie of voorziening.</p></section>
</aside>
<main id="kaart"></main>
<aside id="locaties">
  <h2>Transformatielocaties</h2>
  <p class="zacht">Klik op een rij om naar de locatie te gaan.</p>
  <table id="locatietabel"><thead><tr><th>#</th><th>gebouw</th><th>type</th><th>beste doelgroep</th><th>woningen</th><th>score</th></tr></thead><tbody></tbody></table>
</aside>
</div>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    /// The data document as written before the rows were streamed (issue
    /// 18): the oracle for [`data`] and [`write_html`].
    /// One building row: `[id, name, use, zone, geometry, walk, per group]`,
    /// written straight to text (a city has tens of thousands).
    fn old_push_building(out: &mut String, b: &KaartBuilding, parts: &[GroupRow]) {
        use std::fmt::Write;
        out.push('[');
        push_str(out, &b.id);
        out.push(',');
        match &b.name {
            Some(n) => push_str(out, n),
            None => out.push_str("null"),
        }
        out.push(',');
        push_str(out, b.usage);
        out.push(',');
        match b.zone {
            Some(z) => push_str(out, z.as_str()),
            None => out.push_str("null"),
        }
        out.push(',');
        push_polygons(out, &b.footprint);
        out.push_str(",[");
        for (i, m) in b.walk_m.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match m {
                Some(m) if m.is_finite() => {
                    let _ = write!(out, "{}", m.round() as i64);
                }
                _ => out.push_str("null"),
            }
        }
        out.push_str("],[");
        for (i, g) in parts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match g {
                None => out.push_str("null"),
                Some((score, verdict, reasons)) => {
                    let _ = write!(out, "[{score},");
                    match verdict {
                        Some(v) => {
                            let _ = write!(out, "{v}");
                        }
                        None => out.push_str("null"),
                    }
                    out.push(',');
                    push_ints(out, &reasons.iter().map(|r| *r as i64).collect::<Vec<_>>());
                    out.push(']');
                }
            }
        }
        out.push_str("]]");
    }

    /// The data document the page reads, as JSON text (see the module docs for
    /// its shape). Building rows are written by hand, in parallel: through
    /// `serde_json::Value` they took seconds at 70,000 buildings.
    fn old_data(input: &KaartInput) -> String {
        use rayon::prelude::*;
        let verdicts = crate::render::palette::VERDICTS;
        // Reason parts, numbered in order of first appearance (deterministic).
        let mut reason_index: HashMap<&str, usize> = HashMap::new();
        let mut reasons: Vec<&str> = Vec::new();
        let parts: Vec<Vec<GroupRow>> = input
            .buildings
            .iter()
            .map(|b| {
                b.per_group
                    .iter()
                    .map(|g| {
                        g.as_ref().map(|(score, verdict, text)| {
                            let ids = text
                                .split("; ")
                                .filter(|p| !p.is_empty())
                                .map(|p| {
                                    *reason_index.entry(p).or_insert_with(|| {
                                        reasons.push(p);
                                        reasons.len() - 1
                                    })
                                })
                                .collect();
                            let score = if score.is_finite() {
                                score.round() as i64
                            } else {
                                0
                            };
                            (score, verdicts.iter().position(|v| v == verdict), ids)
                        })
                    })
                    .collect()
            })
            .collect();
        let rows: Vec<String> = input
            .buildings
            .par_iter()
            .zip(parts.par_iter())
            .map(|(b, p)| {
                let mut s = String::with_capacity(256);
                old_push_building(&mut s, b, p);
                s
            })
            .collect();
        // Site conditions share the table: most sites repeat a few ("vloeroppervlak
        // geschat ...": 125 bytes a site written out, 40 of kaart.html's 76 MB at 1M).
        let conditions: Vec<Vec<usize>> = input
            .sites
            .iter()
            .map(|s| {
                s.conditions
                    .iter()
                    .map(|c| {
                        *reason_index.entry(c.as_str()).or_insert_with(|| {
                            reasons.push(c.as_str());
                            reasons.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let mut meta = meta(input);
        meta["sites"] = Value::Array(
            input
                .sites
                .iter()
                .zip(&conditions)
                .map(|(s, c)| site_row(s, c))
                .collect(),
        );
        meta["streets"] = json!(
            input
                .streets
                .iter()
                .map(|l| json!(ring(l)))
                .collect::<Vec<_>>()
        );
        meta["reasons"] = json!(reasons);
        let meta = meta.to_string();
        let mut out = String::with_capacity(
            meta.len() + rows.iter().map(|r| r.len() + 2).sum::<usize>() + 32,
        );
        // `meta` is an object: open it again to add the rows as its last member.
        out.push_str(&meta[..meta.len() - 1]);
        out.push_str(",\"buildings\":[\n");
        for (i, r) in rows.iter().enumerate() {
            if i > 0 {
                out.push_str(",\n");
            }
            out.push_str(r);
        }
        out.push_str("]}");
        out
    }

    /// A city of `n` buildings whose reasons repeat and differ, with `</` in
    /// names and reasons, buildings no one can live in, and sites whose
    /// conditions are partly building reasons.
    fn city(n: usize) -> KaartInput {
        let parts = [
            "plint in kernwinkelgebied blijft open",
            "speeltuin op 620 m lopen, 9 min (maximaal 5 min)",
            "lift onbekend (3 bouwlagen)",
            "monumentstatus onbekend",
            "a </script> b",
            "ligt in reuring-zone (index 0,8), doelgroep accepteert maximaal gemengd",
        ];
        let verdicts = crate::render::palette::VERDICTS;
        let buildings = (0..n)
            .map(|i| KaartBuilding {
                id: format!("b{i}"),
                name: (i % 3 == 0).then(|| format!("Straat </ {i}")),
                usage: "residential",
                zone: (i % 5 != 0).then_some(ZoneCharacter::Gemengd),
                footprint: vec![vec![vec![
                    [4.0 + i as f64 * 1e-5, 52.0],
                    [4.1, 52.0 + i as f64 * 3e-7],
                    [4.1, 52.1],
                    [4.0 + i as f64 * 1e-5, 52.0],
                ]]],
                walk_m: vec![Some(i as f64 * 0.7), None, Some(f64::NAN)],
                per_group: (0..3)
                    .map(|g| {
                        (i % 7 != g).then(|| {
                            let k = (i * 31 + g * 7) % 64;
                            let text = parts
                                .iter()
                                .enumerate()
                                .filter(|(j, _)| k >> j & 1 == 1)
                                .map(|(_, p)| *p)
                                .chain((i % 997 == 0).then_some("zeldzaam"))
                                .collect::<Vec<_>>()
                                .join("; ");
                            let score = if i % 101 == 0 {
                                f64::NAN
                            } else {
                                (i % 100) as f64 + 0.4
                            };
                            (score, verdicts[(i + g) % verdicts.len()], text)
                        })
                    })
                    .collect(),
            })
            .collect();
        let sites = (0..n / 10)
            .map(|r| KaartSite {
                rank: r + 1,
                building: r * 7 % n,
                kind: "boven_winkels",
                potential: 50.0 + r as f64 * 0.01,
                components: vec![("c_fit", 0.5)],
                best_group: Some("g".into()),
                best_score: 70.0,
                homes: vec![3, 2, 1],
                usable_m2: 120.4,
                conditions: vec![
                    parts[r % parts.len()].to_string(),
                    format!("vloeroppervlak geschat {}", r % 4),
                ],
            })
            .collect();
        KaartInput {
            title: "t".into(),
            subtitle: String::new(),
            attribution: String::new(),
            kinds: vec![AmenityKind::Playground],
            unknown: vec![],
            caveats: vec![],
            groups: vec![],
            map_group: String::new(),
            buildings,
            zones: vec![],
            sites,
            amenities: vec![],
            horeca: vec![],
            coverage: vec![],
            streets: (0..n * 3)
                .map(|i| {
                    vec![
                        [4.0 + i as f64 * 1e-6, 52.0],
                        [4.0 + i as f64 * 1e-6, 52.0],
                        [4.1, 52.0 - i as f64 * 1e-7],
                    ]
                })
                .collect(),
        }
    }

    #[test]
    fn streamed_rows_are_the_bytes_of_the_whole_document() {
        for n in [0, 1, 1023, 1024, 1025, 3 * BLOCK * BLOCKS_IN_FLIGHT / 2] {
            let input = city(n);
            let old = old_data(&input);
            assert_eq!(data(&input), old, "{n} buildings");
            let page = html(&input);
            let escaped = old.replace("</", "<\\/");
            assert!(page.contains(&escaped), "{n} buildings");
            assert_eq!(page.matches("</script>").count(), 3);
        }
    }

    #[test]
    fn rings_are_microdegree_differences_without_the_closing_position() {
        let r = ring(&[
            [4.8976650, 52.3676252],
            [4.8976726, 52.3676564],
            [4.8976726, 52.3676564],
            [4.8974591, 52.3676758],
            [4.8976650, 52.3676252],
        ]);
        assert_eq!(r, vec![4897665, 52367625, 8, 31, -214, 20]);
    }

    /// A reason the whole map shares is in the data once, short, and its
    /// explanation once in `caveats` (issue 18), however many buildings say it.
    #[test]
    fn map_caveats_are_written_once() {
        let short = "monumentstatus onbekend";
        let building = |id: &str, extra: &str| KaartBuilding {
            id: id.into(),
            name: None,
            usage: "residential",
            zone: None,
            footprint: vec![],
            walk_m: vec![],
            per_group: vec![Some((80.0, "voorwaardelijk", format!("{extra}{short}")))],
        };
        let input = KaartInput {
            title: String::new(),
            subtitle: String::new(),
            attribution: String::new(),
            kinds: vec![],
            unknown: vec![],
            caveats: vec![(short.into(), "de kaart markeert te weinig".into())],
            groups: vec![],
            map_group: String::new(),
            buildings: (0..50)
                .map(|i| {
                    building(
                        &format!("b{i}"),
                        if i % 2 == 0 {
                            ""
                        } else {
                            "lift onbekend (3 bouwlagen); "
                        },
                    )
                })
                .collect(),
            zones: vec![],
            sites: vec![],
            amenities: vec![],
            horeca: vec![],
            coverage: vec![],
            streets: vec![],
        };
        let text = data(&input);
        assert_eq!(
            text.matches(short).count(),
            2,
            "once in reasons, once as the caveats key"
        );
        assert_eq!(text.matches("de kaart markeert te weinig").count(), 1);
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["caveats"][short], "de kaart markeert te weinig");
        assert_eq!(doc["reasons"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn the_page_holds_its_library_and_no_address_outside() {
        let input = KaartInput {
            title: "t </script> & co".into(),
            subtitle: String::new(),
            attribution: "© OpenStreetMap contributors".into(),
            kinds: vec![AmenityKind::Playground],
            unknown: vec![],
            caveats: vec![],
            groups: vec![],
            map_group: String::new(),
            buildings: vec![KaartBuilding {
                id: "b1".into(),
                name: Some("Café </script>".into()),
                usage: "retail",
                zone: Some(ZoneCharacter::Rust),
                footprint: vec![vec![vec![
                    [4.0, 52.0],
                    [4.1, 52.0],
                    [4.1, 52.1],
                    [4.0, 52.0],
                ]]],
                walk_m: vec![Some(120.4)],
                per_group: vec![],
            }],
            zones: vec![],
            sites: vec![],
            amenities: vec![],
            horeca: vec![],
            coverage: vec![],
            streets: vec![],
        };
        let page = html(&input);
        assert!(page.contains("Café <\\/script>"));
        assert_eq!(
            page.matches("</script>").count(),
            3,
            "only the three closing tags"
        );
        assert!(page.contains("t &lt;/script&gt; &amp; co"));
        // Nothing is fetched: no src/href attribute and no url() pointing anywhere.
        assert!(!page.contains(" src=\""), "no external script");
        assert!(!page.contains("<link"), "no external style");
        assert!(!page.contains("sourceMappingURL"));
    }
}
