//! Writing GeoJSON: RFC 7946 by default, deterministic to the byte.
//!
//! Geometry arrives in the working CRS and leaves in the output CRS: WGS84
//! (coordinates rounded to 1e-7°, about 1 cm) unless the user asks for
//! another, which then gets the legacy `crs` member QGIS reads (coordinates
//! rounded to 1 mm). Polygons are written with right-hand rings (exterior
//! counter-clockwise, holes clockwise). Properties keep their insertion order.
//! A geometry without coordinates (an empty coverage area) is written as
//! `"geometry": null`, RFC 7946's unlocated feature: empty coordinate arrays
//! are legal GeoJSON, but GDAL's SpatiaLite dialect calls them invalid.

use crate::crs::{Crs, Transformer};
use crate::error::Result;
use geo::{Coord, CoordsIter, Geometry, LineString, Orient, Polygon, orient::Direction};
use serde_json::{Map, Value, json};

/// One output feature: stable id, geometry in the working CRS, properties in order.
#[derive(Debug, Clone)]
pub struct OutFeature {
    /// Stable id, written as the Feature `id`.
    pub id: String,
    /// Geometry in the working CRS.
    pub geometry: Geometry<f64>,
    /// Properties, in the order they were inserted.
    pub properties: Map<String, Value>,
}

/// Converts working-CRS geometry for output.
pub struct GeoJsonWriter {
    transformer: Transformer,
    out_crs: Crs,
    scale: f64,
}

impl GeoJsonWriter {
    /// A writer from the working CRS to `out_crs`.
    pub fn new(working: Crs, out_crs: Crs) -> Result<Self> {
        Ok(GeoJsonWriter {
            transformer: Transformer::new(working, out_crs)?,
            out_crs,
            scale: if out_crs.is_geographic() { 1e7 } else { 1e3 },
        })
    }

    /// The output CRS.
    pub fn crs(&self) -> Crs {
        self.out_crs
    }

    fn round(&self, v: f64) -> f64 {
        let r = (v * self.scale).round() / self.scale;
        if r == 0.0 { 0.0 } else { r }
    }

    /// A coordinate in the output CRS, rounded.
    pub fn coord(&self, c: Coord<f64>) -> Result<[f64; 2]> {
        let (x, y) = self.transformer.convert(c.x, c.y)?;
        Ok([self.round(x), self.round(y)])
    }

    fn line(&self, l: &LineString<f64>) -> Result<Value> {
        let mut out: Vec<Value> = Vec::with_capacity(l.0.len());
        let mut last: Option<[f64; 2]> = None;
        for c in &l.0 {
            let p = self.coord(*c)?;
            // Rounding can make neighbours equal; repeated positions help no one.
            if last != Some(p) {
                out.push(json!(p));
                last = Some(p);
            }
        }
        Ok(Value::Array(out))
    }

    fn polygon(&self, p: &Polygon<f64>) -> Result<Value> {
        let p = p.orient(Direction::Default);
        let mut rings = vec![self.line(p.exterior())?];
        for r in p.interiors() {
            rings.push(self.line(r)?);
        }
        Ok(Value::Array(rings))
    }

    /// A GeoJSON geometry object.
    pub fn geometry(&self, g: &Geometry<f64>) -> Result<Value> {
        Ok(match g {
            Geometry::Point(p) => json!({"type": "Point", "coordinates": self.coord(p.0)?}),
            Geometry::MultiPoint(mp) => json!({"type": "MultiPoint",
                "coordinates": mp.0.iter().map(|p| self.coord(p.0)).collect::<Result<Vec<_>>>()?}),
            Geometry::LineString(l) => json!({"type": "LineString", "coordinates": self.line(l)?}),
            Geometry::MultiLineString(ml) => json!({"type": "MultiLineString",
                "coordinates": ml.0.iter().map(|l| self.line(l)).collect::<Result<Vec<_>>>()?}),
            Geometry::Polygon(p) => json!({"type": "Polygon", "coordinates": self.polygon(p)?}),
            Geometry::MultiPolygon(mp) => json!({"type": "MultiPolygon",
                "coordinates": mp.0.iter().map(|p| self.polygon(p)).collect::<Result<Vec<_>>>()?}),
            Geometry::Line(l) => {
                self.geometry(&Geometry::LineString(LineString(vec![l.start, l.end])))?
            }
            Geometry::Rect(r) => self.geometry(&Geometry::Polygon(r.to_polygon()))?,
            Geometry::Triangle(t) => self.geometry(&Geometry::Polygon(t.to_polygon()))?,
            Geometry::GeometryCollection(gc) => json!({"type": "GeometryCollection",
                "geometries": gc.0.iter().map(|g| self.geometry(g)).collect::<Result<Vec<_>>>()?}),
        })
    }

    /// A whole FeatureCollection as text (one feature per line, so diffs stay readable).
    /// `name` becomes the collection's `name` member, which QGIS shows as the layer name.
    pub fn collection(&self, name: &str, features: &[OutFeature]) -> Result<String> {
        let mut out = String::with_capacity(features.len() * 400 + 200);
        out.push_str("{\"type\":\"FeatureCollection\",\"name\":");
        out.push_str(&Value::String(name.to_string()).to_string());
        if !self.out_crs.is_geographic() || self.out_crs != Crs::WGS84 {
            out.push_str(",\"crs\":");
            out.push_str(
                &json!({"type": "name", "properties": {"name": self.out_crs.urn()}}).to_string(),
            );
        }
        out.push_str(",\"features\":[\n");
        for (i, f) in features.iter().enumerate() {
            let geometry = if f.geometry.coords_count() == 0 {
                Value::Null
            } else {
                self.geometry(&f.geometry)?
            };
            let feature = json!({
                "type": "Feature",
                "id": f.id,
                "geometry": geometry,
                "properties": Value::Object(f.properties.clone()),
            });
            out.push_str(&feature.to_string());
            if i + 1 < features.len() {
                out.push(',');
            }
            out.push('\n');
        }
        out.push_str("]}\n");
        Ok(out)
    }
}

/// Rounds a number for output (fixed decimals; keeps files diffable and deterministic).
pub fn round_to(v: f64, decimals: i32) -> Value {
    if !v.is_finite() {
        return Value::Null;
    }
    let f = 10f64.powi(decimals);
    let r = (v * f).round() / f;
    json!(if r == 0.0 { 0.0 } else { r })
}

/// A FeatureCollection (already in WGS84) as text, one feature per line, with a `name` member.
pub fn collection_text(name: &str, collection: &geojson::FeatureCollection) -> Result<String> {
    let mut out = String::new();
    out.push_str("{\"type\":\"FeatureCollection\",\"name\":");
    out.push_str(&Value::String(name.to_string()).to_string());
    out.push_str(",\"features\":[\n");
    for (i, f) in collection.features.iter().enumerate() {
        let text = serde_json::to_string(f)
            .map_err(|e| crate::Error::Usage(format!("cannot serialise {name}: {e}")))?;
        out.push_str(&text);
        if i + 1 < collection.features.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("]}\n");
    Ok(out)
}

/// The README of an imported map folder: source, counts, licence and attribution.
pub fn import_readme(
    source: &std::path::Path,
    counts: &std::collections::BTreeMap<String, usize>,
    retail_core_method: &str,
    problems: usize,
) -> String {
    let file = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut s = String::new();
    s.push_str(&format!(
        "# Map layers imported from OpenStreetMap ({file})\n\n"
    ));
    s.push_str("Written by `binnenstad import osm`; the tag mapping is in `maps/README.md`.\n");
    s.push_str("Coordinates are WGS84 (RFC 7946), rounded to 1e-7 degrees.\n\n");
    s.push_str("| layer | features |\n|---|---|\n");
    for (layer, n) in counts {
        s.push_str(&format!("| {layer} | {n} |\n"));
    }
    s.push_str(&format!("\nRetail core: {retail_core_method}\n\n"));
    s.push_str(&format!("Data problems reported during import: {problems} (ways with missing nodes and similar; run the import to see them).\n\n"));
    s.push_str("## Licence and attribution\n\nData © OpenStreetMap contributors, available under the Open Database License (ODbL) 1.0 \
(https://www.openstreetmap.org/copyright). Attribute \"© OpenStreetMap contributors\" wherever these layers or maps made \
from them are shown; derived databases that are published must be shared alike.\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::wkt;

    #[test]
    fn writes_right_hand_rounded_wgs84() {
        let w = GeoJsonWriter::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        // A clockwise square in RD: must come out counter-clockwise.
        let sq: Geometry<f64> =
            wkt! { POLYGON((121000.0 487000.0, 121000.0 487010.0, 121010.0 487010.0, 121010.0 487000.0, 121000.0 487000.0)) }.into();
        let f = OutFeature {
            id: "a".into(),
            geometry: sq,
            properties: Map::new(),
        };
        let text = w.collection("t", &[f]).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let ring = v["features"][0]["geometry"]["coordinates"][0]
            .as_array()
            .unwrap()
            .clone();
        let pts: Vec<(f64, f64)> = ring
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        let signed: f64 = pts
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum();
        assert!(signed > 0.0, "exterior ring must be counter-clockwise");
        for (x, y) in pts {
            assert_eq!((x * 1e7).round() / 1e7, x);
            assert_eq!((y * 1e7).round() / 1e7, y);
        }
        assert!(v.get("crs").is_none());
    }

    #[test]
    fn empty_geometry_is_written_as_null() {
        let w = GeoJsonWriter::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        let f = OutFeature {
            id: "e".into(),
            geometry: geo::MultiPolygon::<f64>(vec![]).into(),
            properties: Map::new(),
        };
        let v: Value = serde_json::from_str(&w.collection("t", &[f]).unwrap()).unwrap();
        assert!(v["features"][0]["geometry"].is_null());
    }

    #[test]
    fn other_output_crs_gets_the_legacy_member() {
        let w = GeoJsonWriter::new(Crs::RD_NEW, Crs::RD_NEW).unwrap();
        let f = OutFeature {
            id: "p".into(),
            geometry: wkt! { POINT(121000.12345 487000.5) }.into(),
            properties: Map::new(),
        };
        let text = w.collection("t", &[f]).unwrap();
        assert!(text.contains("urn:ogc:def:crs:EPSG::28992"));
        assert!(text.contains("[121000.123,487000.5]"), "{text}");
    }
}
