//! BAG panden as the buildings of an OpenStreetMap import.
//!
//! The register is the authority on what a building is: the BAG panden
//! (existing, inside the import's box) become the buildings layer, with the
//! BAG's footprint, id, bouwjaar, status and units. An OSM building is matched
//! by its `ref:bag` in either digit form (15 or 16; see
//! [`crate::model::bag_pand_id`]) and adds what the BAG does not hold: the OSM
//! ids, `building=*`, `ground_floor_use` (the POIs at street level), monument,
//! vacancy markers, landmark kind, name and lift; its floors, height and year
//! where the BAG and 3D BAG have none. When the extract has no VBO files the
//! units are unknown to the BAG, and OSM's use, units and dwellings are kept.
//! OSM buildings that match no pand (no `ref:bag`, or an id the extract does
//! not hold as an existing pand) are left out and reported one by one.

use super::BagBuilding;
use crate::crs::{Crs, Transformer};
use crate::error::{Diagnostic, Error, Severity};
use geo::{Coord, Intersects, Rect};
use geojson::{Feature, FeatureCollection, feature::Id};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// What the join found.
#[derive(Debug, Clone, Default)]
pub struct JoinReport {
    /// BAG buildings with a matching OSM building.
    pub matched: usize,
    /// BAG buildings without one (kept, from the BAG alone).
    pub bag_only: usize,
    /// OSM buildings matching no pand (left out), each also a diagnostic.
    pub osm_unmatched: usize,
    /// One `osm_building_not_in_bag` warning per unmatched OSM building.
    pub diagnostics: Vec<Diagnostic>,
}

/// Properties an OSM building always gives to its pand.
const FROM_OSM: [&str; 8] = [
    "osm_id",
    "building",
    "ground_floor_use",
    "monument",
    "vacant",
    "landmark",
    "name",
    "lift",
];

/// Properties OSM gives when the BAG (and 3D BAG) left them null.
const OSM_FALLBACK: [&str; 3] = ["floors", "height_m", "year"];

/// Properties OSM gives when the extract had no units (no VBO file).
const OSM_UNITS: [&str; 9] = [
    "use",
    "use_source",
    "units",
    "units_business",
    "units_vacant",
    "units_street",
    "dwellings",
    "dwellings_source",
    "non_dwelling",
];

/// The box to read BAG panden for, in RD New: the RD envelope of a WGS84 box
/// (`[w, s, e, n]`), its corners and edge midpoints converted, padded by 10 m.
///
/// # Errors
/// [`Error::Crs`] when the conversion fails.
pub fn rd_envelope(bbox: [f64; 4]) -> Result<[f64; 4], Error> {
    let t = Transformer::new(Crs::WGS84, Crs::RD_NEW)?;
    let [w, s, e, n] = bbox;
    let (mx, my) = ((w + e) / 2.0, (s + n) / 2.0);
    let mut env = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for (x, y) in [
        (w, s),
        (e, s),
        (e, n),
        (w, n),
        (mx, s),
        (mx, n),
        (w, my),
        (e, my),
    ] {
        let (rx, ry) = t.convert(x, y)?;
        env = [
            env[0].min(rx),
            env[1].min(ry),
            env[2].max(rx),
            env[3].max(ry),
        ];
    }
    Ok([env[0] - 10.0, env[1] - 10.0, env[2] + 10.0, env[3] + 10.0])
}

/// Replaces the OSM buildings with the BAG `buildings` inside `bbox`
/// (WGS84 `[w, s, e, n]`: footprints intersecting it; None keeps all),
/// enriched from the OSM buildings that match them (see the module docs).
/// Returns the new buildings layer (WGS84, sorted by id) and the report.
///
/// # Errors
/// [`Error::Crs`] when a footprint cannot be converted to WGS84.
pub fn join_osm(
    osm: &FeatureCollection,
    buildings: &[BagBuilding<'_>],
    bbox: Option<[f64; 4]>,
    osm_file: &str,
) -> Result<(FeatureCollection, JoinReport), Error> {
    let writer = crate::io::write::GeoJsonWriter::new(Crs::RD_NEW, Crs::WGS84)?;
    let to_wgs84 = Transformer::new(Crs::RD_NEW, Crs::WGS84)?;
    let keep = bbox.map(|[w, s, e, n]| Rect::new(Coord { x: w, y: s }, Coord { x: e, y: n }));
    // OSM buildings by pand id; the importer already made one feature per pand.
    let mut by_pand: HashMap<String, &Feature> = HashMap::new();
    let mut report = JoinReport::default();
    for f in &osm.features {
        let props = f.properties.as_ref();
        if let Some(r) = props.and_then(|p| p.get("ref_bag")).and_then(Value::as_str) {
            by_pand.insert(crate::model::bag_pand_id(r).into_owned(), f);
        }
    }
    let mut used: HashMap<String, bool> = by_pand.keys().map(|k| (k.clone(), false)).collect();
    let mut features = Vec::with_capacity(buildings.len());
    for b in buildings {
        if let Some(r) = keep {
            let wgs = to_wgs84.convert_geometry(&b.pand.footprint)?;
            if !r.intersects(&wgs) {
                continue;
            }
        }
        let mut sink = Vec::new();
        writer.feature_with(&mut sink, &b.pand.id, 0, |_| Ok(()), |w| b.properties(w))?;
        let mut props = match serde_json::from_slice::<Value>(&sink) {
            Ok(Value::Object(mut m)) => match m.remove("properties") {
                Some(Value::Object(p)) => p,
                _ => Map::new(),
            },
            _ => Map::new(),
        };
        if let Some(o) = by_pand.get(&b.pand.id) {
            used.insert(b.pand.id.clone(), true);
            report.matched += 1;
            let op = o.properties.clone().unwrap_or_default();
            for k in FROM_OSM {
                if let Some(v) = op.get(k) {
                    props.insert(k.into(), v.clone());
                }
            }
            for k in OSM_FALLBACK {
                if props.get(k).is_none_or(Value::is_null)
                    && let Some(v) = op.get(k)
                {
                    props.insert(k.into(), v.clone());
                }
            }
            if b.mix.is_none() {
                for k in OSM_UNITS {
                    if let Some(v) = op.get(k) {
                        props.insert(k.into(), v.clone());
                    }
                }
            }
        } else {
            report.bag_only += 1;
        }
        {
            let geometry =
                writer.geometry(&geo::Geometry::MultiPolygon(b.pand.footprint.clone()))?;
            let geometry: geojson::Geometry = serde_json::from_value(geometry)
                .map_err(|e| Error::Usage(format!("BAG geometry: {e}")))?;
            features.push(Feature {
                bbox: None,
                geometry: Some(geometry),
                id: Some(Id::String(b.pand.id.clone())),
                properties: Some(props),
                foreign_members: None,
            });
        }
    }
    // Every OSM building that found no pand, in id order.
    let mut unmatched: Vec<(String, String)> = Vec::new();
    for f in &osm.features {
        let p = f.properties.as_ref();
        let osm_id = p
            .and_then(|p| p.get("osm_id"))
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let why = match p.and_then(|p| p.get("ref_bag")).and_then(Value::as_str) {
            None => "has no ref:bag".to_string(),
            Some(r) => {
                let id = crate::model::bag_pand_id(r).into_owned();
                if used.get(&id).copied().unwrap_or(false) {
                    continue;
                }
                format!(
                    "ref:bag {r}: no existing pand of that id in the BAG extract (inside the box)"
                )
            }
        };
        unmatched.push((osm_id, why));
    }
    unmatched.sort();
    report.osm_unmatched = unmatched.len();
    for (osm_id, why) in unmatched {
        report.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            layer: "buildings".into(),
            file: Some(osm_file.to_string()),
            feature: None,
            code: "osm_building_not_in_bag",
            message: format!("{osm_id} {why}; left out (the BAG panden are the buildings)"),
        });
    }
    features.sort_by(|a, b| feature_id(a).cmp(feature_id(b)));
    Ok((
        FeatureCollection {
            bbox: None,
            features,
            foreign_members: None,
        },
        report,
    ))
}

fn feature_id(f: &Feature) -> &str {
    match &f.id {
        Some(Id::String(s)) => s,
        _ => "",
    }
}
