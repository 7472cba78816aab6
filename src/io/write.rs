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

use crate::crs::{Crs, Interpolating, Transformer};
use crate::error::Result;
use geo::winding_order::{Winding, WindingOrder};
use geo::{
    Coord, CoordsIter, Geometry, LineString, MultiPolygon, Orient, Polygon, orient::Direction,
};
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
    transformer: Interpolating,
    out_crs: Crs,
    scale: f64,
}

impl GeoJsonWriter {
    /// A writer from the working CRS to `out_crs`, converting every position exactly.
    pub fn new(working: Crs, out_crs: Crs) -> Result<Self> {
        GeoJsonWriter::over(working, out_crs, None, 0)
    }

    /// A writer for about `positions` positions inside `extent` (`[min_x,
    /// min_y, max_x, max_y]`, working CRS): they are interpolated on a
    /// checked lattice (see [`Interpolating`]) to within 1/1000 of the
    /// rounding step (1e-10°, 0.01 mm; 1e-6 m), so a written coordinate
    /// differs from the exact conversion's only where that lies within the
    /// tolerance of a rounding boundary, by one step. Positions outside are
    /// converted exactly. So files written over different extents (`plan`'s
    /// layers and `zones` on its own, which converts exactly) can differ in a
    /// coordinate's last digit there.
    pub fn over(
        working: Crs,
        out_crs: Crs,
        extent: Option<[f64; 4]>,
        positions: usize,
    ) -> Result<Self> {
        let scale = if out_crs.is_geographic() { 1e7 } else { 1e3 };
        // Building the lattice converts about four positions per node: worth
        // it only for many positions per node.
        let max_nodes = positions / 8;
        Ok(GeoJsonWriter {
            transformer: Interpolating::new(
                Transformer::new(working, out_crs)?,
                extent,
                0.001 / scale,
                max_nodes,
            ),
            out_crs,
            scale,
        })
    }

    /// How positions are converted: `Some(step)` when interpolated on a
    /// lattice of that step (working CRS units), None when exactly.
    pub fn lattice_step(&self) -> Option<f64> {
        self.transformer.step()
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
    /// Features are rendered in parallel (see [`Self::write_collection`]).
    pub fn collection(&self, name: &str, features: &[OutFeature]) -> Result<String> {
        let mut out = Vec::with_capacity(features.len() * 400 + 200);
        self.write_collection(
            &mut out,
            name,
            features.len(),
            |i, buf| {
                let f = &features[i];
                self.feature_into(buf, &f.id, &f.geometry, |w| {
                    for (k, v) in &f.properties {
                        w.put(k, v);
                    }
                })
            },
            &|_| {},
        )?;
        // Only JSON text was written, so it is UTF-8.
        String::from_utf8(out).map_err(|e| crate::Error::Usage(format!("{name}: {e}")))
    }
}

fn props(pairs: Vec<(&str, Value)>) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn hhmm(minutes: u32) -> String {
    let m = minutes % (24 * 60);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The model's input layers as output features with the canonical properties the
/// loader reads (`crate::io::load`), by layer name: writing them and loading them back
/// gives the same model (floor areas re-estimated from footprint × floors).
pub fn input_layers(layers: &crate::model::Layers) -> Vec<(&'static str, Vec<OutFeature>)> {
    let buildings = layers
        .buildings
        .iter()
        .map(|b| OutFeature {
            id: b.id.clone(),
            geometry: Geometry::MultiPolygon(b.footprint.clone()),
            properties: props(vec![
                ("id", json!(b.id)),
                ("use", json!(b.usage.as_str())),
                (
                    "ground_floor_use",
                    json!(b.ground_floor_use.map(|u| u.as_str())),
                ),
                ("floors", json!(b.floors.value)),
                ("year", json!(b.year)),
                ("monument", json!(b.monument)),
                ("vacant", json!(b.vacant)),
                ("name", json!(b.name)),
            ]),
        })
        .collect();
    let horeca = layers
        .horeca
        .iter()
        .map(|h| OutFeature {
            id: h.id.clone(),
            geometry: Geometry::Point(h.point),
            properties: props(vec![
                ("id", json!(h.id)),
                ("kind", json!(h.kind)),
                ("category", json!(h.category.number())),
                ("closing_time", json!(h.closing_minutes.map(hhmm))),
                ("terrace_seats", json!(h.terrace_seats)),
                ("name", json!(h.name)),
            ]),
        })
        .collect();
    let amenities = layers
        .amenities
        .iter()
        .map(|a| OutFeature {
            id: a.id.clone(),
            geometry: Geometry::Point(a.point),
            properties: props(vec![
                ("id", json!(a.id)),
                ("kind", json!(a.kind.as_str())),
                ("name", json!(a.name)),
            ]),
        })
        .collect();
    let streets = layers
        .streets
        .iter()
        .map(|s| OutFeature {
            id: s.id.clone(),
            geometry: Geometry::LineString(s.line.clone()),
            properties: props(vec![
                ("id", json!(s.id)),
                ("highway", json!(s.highway)),
                ("name", json!(s.name)),
            ]),
        })
        .collect();
    let retail_core = layers
        .retail_core
        .iter()
        .map(|r| OutFeature {
            id: r.id.clone(),
            geometry: Geometry::MultiPolygon(r.area.clone()),
            properties: props(vec![("id", json!(r.id)), ("name", json!(r.name))]),
        })
        .collect();
    vec![
        ("buildings", buildings),
        ("horeca", horeca),
        ("amenities", amenities),
        ("streets", streets),
        ("retail_core", retail_core),
    ]
}

/// Writes `layers` as a map folder (`<dir>/<layer>.geojson`, see [`input_layers`]) in `crs`;
/// a CRS other than WGS84 gets the legacy `crs` member, which the loader reads.
pub fn map_folder(
    layers: &crate::model::Layers,
    dir: &std::path::Path,
    crs: Crs,
    working: Crs,
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, "kan de map niet maken", e))?;
    let writer = GeoJsonWriter::new(working, crs)?;
    for (name, features) in input_layers(layers) {
        let path = dir.join(format!("{name}.geojson"));
        let text = writer.collection(name, &features)?;
        std::fs::write(&path, text)
            .map_err(|e| crate::Error::io(&path, "kan niet schrijven", e))?;
    }
    Ok(())
}

/// Text of one feature's properties, written straight into the output buffer in
/// insertion order (no map is built; the bytes equal those of a `serde_json::Map`).
pub struct PropWriter<'a> {
    buf: &'a mut Vec<u8>,
    first: bool,
}

impl PropWriter<'_> {
    /// `,"key":` (no comma before the first).
    fn key(&mut self, key: &str) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
        push_json_str(self.buf, key);
        self.buf.push(b':');
    }
    /// One property. Serialising strings, numbers, booleans, options and `Value`s
    /// into a `Vec` cannot fail, so errors are impossible and ignored.
    pub fn put(&mut self, key: &str, value: impl serde::Serialize) {
        self.key(key);
        let _ = serde_json::to_writer(&mut *self.buf, &value);
    }
    /// A text property: the same bytes as [`Self::put`], faster.
    pub fn put_str(&mut self, key: &str, value: &str) {
        self.key(key);
        push_json_str(self.buf, value);
    }
    /// A text property or null: the same bytes as [`Self::put`], faster.
    pub fn put_opt_str(&mut self, key: &str, value: Option<&str>) {
        self.key(key);
        match value {
            Some(v) => push_json_str(self.buf, v),
            None => self.buf.extend_from_slice(b"null"),
        }
    }
    /// A number rounded to `decimals`: the same text as [`round_to`]'s
    /// value, without building a `Value`.
    pub fn round(&mut self, key: &str, v: f64, decimals: i32) {
        match rounded(v, decimals) {
            Some(r) => {
                self.key(key);
                push_rounded(self.buf, r, decimals);
            }
            None => self.put(key, ()),
        }
    }
    /// An optional number rounded to `decimals` (null when absent).
    pub fn round_opt(&mut self, key: &str, v: Option<f64>, decimals: i32) {
        match v {
            Some(v) => self.round(key, v, decimals),
            None => self.put(key, ()),
        }
    }
}

/// `text` as a JSON string, the same bytes as `serde_json::to_writer`: text
/// without `"`, `\\` or control characters is copied as it is (checked 32 bytes
/// at a time, which the compiler vectorises; serde_json's escaper looks up
/// every byte in a table, 10% of the time buildings.geojson took to render).
pub fn push_json_str(buf: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let plain = bytes.chunks(32).all(|chunk| {
        !chunk.iter().fold(false, |bad, &b| {
            bad | (b < 0x20) | (b == b'"') | (b == b'\\')
        })
    });
    if plain {
        buf.reserve(bytes.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(bytes);
        buf.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *buf, text);
    }
}

/// Features handed out in chunks of at most this many, rendered in parallel, written in order.
/// About 2.6 MB of buildings.geojson per chunk at 70k. Chunks of 4096 (10 MB each, 85 MB
/// in flight) took 0.2 s more on ext4 (system time 0.23 -> 0.5 s, 70k, interleaved runs)
/// and 80 MB more memory; 512 measured the same as 1024.
const CHUNK: usize = 1024;

impl GeoJsonWriter {
    /// `{"type":"FeatureCollection","name":…[,"crs":…][,member:…]*,"features":[`:
    /// `members` are foreign members of the collection (RFC 7946 §6.1), e.g. a
    /// layer's `description` (GDAL reads it as the layer's DESCRIPTION).
    fn header(&self, name: &str, members: &[(&str, Value)]) -> String {
        let mut out = String::from("{\"type\":\"FeatureCollection\",\"name\":");
        out.push_str(&Value::String(name.to_string()).to_string());
        if !self.out_crs.is_geographic() || self.out_crs != Crs::WGS84 {
            out.push_str(",\"crs\":");
            out.push_str(
                &json!({"type": "name", "properties": {"name": self.out_crs.urn()}}).to_string(),
            );
        }
        for (key, value) in members {
            out.push(',');
            out.push_str(&Value::String((*key).to_string()).to_string());
            out.push(':');
            out.push_str(&value.to_string());
        }
        out.push_str(",\"features\":[\n");
        out
    }

    /// A ring's positions, in its own order or reversed (see [`Self::polygon_into`]).
    fn coords_into(&self, buf: &mut Vec<u8>, l: &LineString<f64>, reverse: bool) -> Result<()> {
        if reverse {
            self.positions_into(buf, l.0.iter().rev(), l.0.len())
        } else {
            self.positions_into(buf, l.0.iter(), l.0.len())
        }
    }

    fn positions_into<'c>(
        &self,
        buf: &mut Vec<u8>,
        coords: impl Iterator<Item = &'c Coord<f64>>,
        n: usize,
    ) -> Result<()> {
        buf.push(b'[');
        let mut last: Option<[f64; 2]> = None;
        let mut first: Option<(Coord<f64>, [f64; 2])> = None;
        for (i, c) in coords.enumerate() {
            // A closed ring ends where it began: that position is converted once.
            let p = match first {
                Some((c0, f)) if i + 1 == n && *c == c0 => f,
                _ => self.coord(*c)?,
            };
            if i == 0 {
                first = Some((*c, p));
            }
            if last != Some(p) {
                if last.is_some() {
                    buf.push(b',');
                }
                let _ = serde_json::to_writer(&mut *buf, &p);
                last = Some(p);
            }
        }
        buf.push(b']');
        Ok(())
    }

    /// A polygon's rings as RFC 7946 wants them: exterior counter-clockwise,
    /// holes clockwise. A ring is written backwards where geo's
    /// `orient(Direction::Default)` would reverse it (a ring without a winding,
    /// of zero area, stays as it is), without cloning the polygon.
    fn polygon_into(&self, buf: &mut Vec<u8>, p: &Polygon<f64>) -> Result<()> {
        let reversed = |r: &LineString<f64>, want: WindingOrder| matches!(r.winding_order(), Some(w) if w != want);
        buf.push(b'[');
        let ext = p.exterior();
        self.coords_into(buf, ext, reversed(ext, WindingOrder::CounterClockwise))?;
        for r in p.interiors() {
            buf.push(b',');
            self.coords_into(buf, r, reversed(r, WindingOrder::Clockwise))?;
        }
        buf.push(b']');
        Ok(())
    }

    /// A MultiPolygon's GeoJSON geometry text appended to `buf`.
    pub fn multi_polygon_into(&self, buf: &mut Vec<u8>, mp: &MultiPolygon<f64>) -> Result<()> {
        buf.extend_from_slice(b"{\"type\":\"MultiPolygon\",\"coordinates\":[");
        for (i, p) in mp.0.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            self.polygon_into(buf, p)?;
        }
        buf.extend_from_slice(b"]}");
        Ok(())
    }

    /// A geometry's GeoJSON text appended to `buf` (same bytes as [`Self::geometry`]).
    pub fn geometry_into(&self, buf: &mut Vec<u8>, g: &Geometry<f64>) -> Result<()> {
        match g {
            Geometry::Polygon(p) => {
                buf.extend_from_slice(b"{\"type\":\"Polygon\",\"coordinates\":");
                self.polygon_into(buf, p)?;
            }
            Geometry::MultiPolygon(mp) => return self.multi_polygon_into(buf, mp),
            other => {
                let _ = serde_json::to_writer(&mut *buf, &self.geometry(other)?);
                return Ok(());
            }
        }
        buf.push(b'}');
        Ok(())
    }

    /// One feature's text appended to `buf`; `props` writes the properties.
    pub fn feature_into(
        &self,
        buf: &mut Vec<u8>,
        id: &str,
        geometry: &Geometry<f64>,
        props: impl FnOnce(&mut PropWriter),
    ) -> Result<()> {
        self.feature_with(
            buf,
            id,
            geometry.coords_count(),
            |buf| self.geometry_into(buf, geometry),
            props,
        )
    }

    /// [`Self::feature_into`] with the geometry written by `geometry` (which
    /// has `coords` positions), so a caller holding a typed geometry need not
    /// clone it into a [`Geometry`].
    pub fn feature_with(
        &self,
        buf: &mut Vec<u8>,
        id: &str,
        coords: usize,
        geometry: impl FnOnce(&mut Vec<u8>) -> Result<()>,
        props: impl FnOnce(&mut PropWriter),
    ) -> Result<()> {
        buf.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
        push_json_str(buf, id);
        buf.extend_from_slice(b",\"geometry\":");
        if coords == 0 {
            // RFC 7946's unlocated feature: SpatiaLite and QGIS call empty arrays invalid.
            buf.extend_from_slice(b"null");
        } else {
            geometry(buf)?;
        }
        buf.extend_from_slice(b",\"properties\":{");
        let mut w = PropWriter { buf, first: true };
        props(&mut w);
        buf.extend_from_slice(b"}}");
        Ok(())
    }

    /// Streams a FeatureCollection of `count` features into `out`, one feature per
    /// line (the same text as [`Self::collection`]). `feature(i, buf)` appends the
    /// i-th feature's text; chunks of features are rendered in parallel and written
    /// in order, so memory stays at a few chunks whatever the count. `tick(n)` is
    /// called after each chunk with the number of features written.
    pub fn write_collection(
        &self,
        out: &mut (dyn std::io::Write + Send),
        name: &str,
        count: usize,
        feature: impl Fn(usize, &mut Vec<u8>) -> Result<()> + Sync,
        tick: &(dyn Fn(usize) + Sync),
    ) -> Result<()> {
        self.write_collection_with(out, name, &[], count, feature, tick)
    }

    /// [`Self::write_collection`] with foreign `members` written after `name`
    /// (and `crs`), before the features: `(key, value)` in the order given.
    pub fn write_collection_with(
        &self,
        out: &mut (dyn std::io::Write + Send),
        name: &str,
        members: &[(&str, Value)],
        count: usize,
        feature: impl Fn(usize, &mut Vec<u8>) -> Result<()> + Sync,
        tick: &(dyn Fn(usize) + Sync),
    ) -> Result<()> {
        use rayon::prelude::*;
        let io = |e: std::io::Error| {
            crate::Error::io(format!("{name}.geojson"), "kan niet schrijven", e)
        };
        out.write_all(self.header(name, members).as_bytes())
            .map_err(io)?;
        // Two chunks per thread in flight at most: bounded memory, full use of the
        // cores. Small layers of large features (coverage areas, zones) get small
        // chunks, so they are spread over the threads too.
        let batch = 2 * rayon::current_num_threads().max(1);
        let chunk = count.div_ceil(4 * batch).clamp(1, CHUNK);
        let chunks = count.div_ceil(chunk);
        // Rendering and writing overlap: this thread renders the next batch (in
        // parallel, in the caller's thread pool) while a scoped thread writes the
        // last one, which took 0.15 s of idle workers for the 181 MB of
        // buildings.geojson at 70k. The writing thread only writes, so it always
        // makes progress, whatever pool the caller runs in. Two sets of chunk
        // buffers go back and forth and are reused: fresh multi-MB buffers cost
        // the kernel a page zeroing per page and the growing a copy per doubling.
        let sink = &mut *out;
        std::thread::scope(|scope| -> Result<()> {
            let (ready_tx, ready_rx) = std::sync::mpsc::channel::<(usize, Vec<Vec<u8>>)>();
            let (free_tx, free_rx) = std::sync::mpsc::channel::<Vec<Vec<u8>>>();
            for _ in 0..2 {
                let set = (0..batch.min(chunks))
                    .map(|_| Vec::with_capacity(chunk * 512))
                    .collect();
                let _ = free_tx.send(set);
            }
            let writing = scope.spawn(move || -> Result<()> {
                // Ends when the renderer is done (or stopped on an error); returning
                // early on a write error drops the channels, which stops it too.
                for (c, bufs) in ready_rx {
                    let end = (c + batch).min(chunks);
                    for (k, t) in (c..end).zip(&bufs) {
                        sink.write_all(t).map_err(io)?;
                        tick(((k + 1) * chunk).min(count) - k * chunk);
                    }
                    let _ = free_tx.send(bufs);
                }
                Ok(())
            });
            let mut rendered = Ok(());
            let mut c = 0;
            while c < chunks {
                // None left: the writer stopped (an error), which join reports.
                let Ok(mut bufs) = free_rx.recv() else { break };
                let end = (c + batch).min(chunks);
                rendered = bufs[..end - c]
                    .par_iter_mut()
                    .zip(c..end)
                    .map(|(buf, k)| {
                        buf.clear();
                        for i in k * chunk..((k + 1) * chunk).min(count) {
                            feature(i, buf)?;
                            buf.extend_from_slice(if i + 1 < count { b",\n" } else { b"\n" });
                        }
                        Ok(())
                    })
                    .collect::<Result<()>>();
                if rendered.is_err() || ready_tx.send((c, bufs)).is_err() {
                    break;
                }
                c = end;
            }
            drop(ready_tx);
            let written = writing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            rendered.and(written)
        })?;
        out.write_all(b"]}\n").map_err(io)?;
        Ok(())
    }
}

/// Rounds a number for output (fixed decimals; keeps files diffable and deterministic).
pub fn round_to(v: f64, decimals: i32) -> Value {
    rounded(v, decimals).map_or(Value::Null, |r| json!(r))
}

/// `r`, a value [`rounded`] to `decimals`, as JSON: the bytes serde_json
/// writes for it (the shortest text that reads back as `r`, with `.0` on a
/// whole number), made from the integer `r × 10^decimals` where that is exact
/// text (0 to 3 decimals, below 10^15), else by serde_json. A tenth of the
/// time buildings.geojson took (21 rounded numbers a building).
fn push_rounded(buf: &mut Vec<u8>, r: f64, decimals: i32) {
    const POW: [f64; 4] = [1.0, 10.0, 100.0, 1000.0];
    let Some(&f) = usize::try_from(decimals).ok().and_then(|d| POW.get(d)) else {
        let _ = serde_json::to_writer(&mut *buf, &r);
        return;
    };
    let t = (r * f).round();
    if t.is_nan() || t.abs() >= 1e15 {
        let _ = serde_json::to_writer(&mut *buf, &r);
        return;
    }
    // |t| < 10^15: exact as an integer, and r is the double nearest
    // t / 10^decimals, whose shortest text is that decimal itself.
    let t = t as i64;
    if t < 0 {
        buf.push(b'-');
    }
    let t = t.unsigned_abs();
    let d = decimals as u32;
    let scale = 10u64.pow(d);
    let (whole, mut frac) = (t / scale, t % scale);
    let mut digits = itoa::Buffer::new();
    buf.extend_from_slice(digits.format(whole).as_bytes());
    buf.push(b'.');
    if frac == 0 {
        buf.push(b'0');
        return;
    }
    // The fraction's digits with leading zeros, trailing zeros dropped.
    let mut width = d;
    while frac % 10 == 0 {
        frac /= 10;
        width -= 1;
    }
    let text = digits.format(frac);
    for _ in text.len() as u32..width {
        buf.push(b'0');
    }
    buf.extend_from_slice(text.as_bytes());
}

/// `v` rounded to `decimals`, minus zero as zero; None when not finite.
fn rounded(v: f64, decimals: i32) -> Option<f64> {
    if !v.is_finite() {
        return None;
    }
    let f = 10f64.powi(decimals);
    let r = (v * f).round() / f;
    Some(if r == 0.0 { 0.0 } else { r })
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
    if problems > 0 {
        s.push_str(&format!("Data problems reported during import: {problems} (ways with missing nodes and similar), each listed in import_problems.txt.\n\n"));
    } else {
        s.push_str("Data problems reported during import: 0.\n\n");
    }
    s.push_str("## Licence and attribution\n\nData © OpenStreetMap contributors, available under the Open Database License (ODbL) 1.0 \
(https://www.openstreetmap.org/copyright). Attribute \"© OpenStreetMap contributors\" wherever these layers or maps made \
from them are shown; derived databases that are published must be shared alike.\n");
    s
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// A rounded number's text is serde_json's, whatever its size and
        /// sign, at 0 to 4 decimals (4 and beyond take serde_json's path).
        #[test]
        fn rounded_numbers_read_as_serde_json_writes_them(
            v in prop_oneof![
                -1e4f64..1e4,
                -1e16f64..1e16,
                (-2_000_000i64..2_000_000).prop_map(|t| t as f64 / 100.0),
                Just(-0.04), Just(0.05), Just(0.0), Just(-0.0), Just(1e15), Just(999_999_999_999_999.4)
            ],
            decimals in 0i32..5,
        ) {
            let r = rounded(v, decimals).unwrap();
            let mut fast = Vec::new();
            push_rounded(&mut fast, r, decimals);
            prop_assert_eq!(String::from_utf8(fast).unwrap(), serde_json::to_string(&r).unwrap());
        }
    }

    use super::*;
    use geo::wkt;

    #[test]
    fn json_strings_are_serde_json_bytes() {
        // Every character class the escaper treats apart, at every position
        // around the 32-byte checks, against serde_json itself.
        let specials = [
            "\"", "\\", "\n", "\u{1}", "\u{1f}", " ", "\u{7f}", "é", "€", "𝄞", "/", "<",
        ];
        let mut texts: Vec<String> = vec![String::new()];
        for sp in specials {
            for at in [0, 1, 30, 31, 32, 33, 63, 64, 100] {
                let mut t = "a".repeat(at);
                t.push_str(sp);
                t.push_str(&"b".repeat(40));
                texts.push(t);
            }
        }
        texts.push("geen kinderopvang binnen 667 m (10 min lopen); monumentstatus onbekend".into());
        for t in &texts {
            let mut fast = Vec::new();
            push_json_str(&mut fast, t);
            assert_eq!(fast, serde_json::to_vec(t).unwrap(), "{t:?}");
        }
    }

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
    fn text_path_writes_the_same_rings_as_the_value_path() {
        // geometry_into reverses rings in place of geo's orient; geometry() orients.
        let w = GeoJsonWriter::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        let cases: Vec<Geometry<f64>> = vec![
            // clockwise exterior, counter-clockwise hole
            wkt! { POLYGON((121000.0 487000.0, 121000.0 487100.0, 121100.0 487100.0, 121100.0 487000.0, 121000.0 487000.0),
                           (121010.0 487010.0, 121020.0 487010.0, 121020.0 487020.0, 121010.0 487020.0, 121010.0 487010.0)) }.into(),
            // already right-hand, as a MultiPolygon with a second part
            wkt! { MULTIPOLYGON(((121000.0 487000.0, 121100.0 487000.0, 121100.0 487100.0, 121000.0 487000.0)),
                                ((121200.0 487000.0, 121200.0 487050.0, 121250.0 487000.0, 121200.0 487000.0))) }.into(),
            // zero area: no winding, which orient leaves as it is
            wkt! { POLYGON((121000.0 487000.0, 121050.0 487000.0, 121100.0 487000.0, 121000.0 487000.0)) }.into(),
            // a ring given open (Polygon::new closes it)
            Geometry::Polygon(Polygon::new(
                LineString::from(vec![(121000.0, 487000.0), (121000.0, 487010.0), (121010.0, 487010.0)]),
                vec![],
            )),
        ];
        for g in cases {
            let mut text = Vec::new();
            w.geometry_into(&mut text, &g).unwrap();
            let value = serde_json::to_string(&w.geometry(&g).unwrap()).unwrap();
            assert_eq!(String::from_utf8(text).unwrap(), value, "{g:?}");
        }
    }

    #[test]
    fn rounded_numbers_read_as_round_to() {
        for (v, d) in [
            (1.25, 1),
            (-0.04, 1),
            (-0.0, 0),
            (f64::NAN, 1),
            (f64::INFINITY, 0),
            (1234.5678, 2),
            (7.0, 0),
        ] {
            let mut buf = Vec::new();
            let mut p = PropWriter {
                buf: &mut buf,
                first: true,
            };
            p.round("k", v, d);
            let expected = format!("\"k\":{}", round_to(v, d));
            assert_eq!(String::from_utf8(buf).unwrap(), expected, "{v} {d}");
        }
    }

    /// Fails once it has taken `left` bytes.
    struct FailingSink {
        left: usize,
    }
    impl std::io::Write for FailingSink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if b.len() > self.left {
                return Err(std::io::Error::other("disk full"));
            }
            self.left -= b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn streamed_collection_is_in_order_and_stops_on_errors() {
        let w = GeoJsonWriter::new(Crs::RD_NEW, Crs::RD_NEW).unwrap();
        // Enough features for several batches of chunks on any thread count.
        let n = 3 * 4 * CHUNK * rayon::current_num_threads().max(1) + 17;
        let render = |i: usize, buf: &mut Vec<u8>| -> Result<()> {
            buf.extend_from_slice(format!("{{\"i\":{i}}}").as_bytes());
            Ok(())
        };
        let ticks = std::sync::atomic::AtomicUsize::new(0);
        let tick = |k: usize| {
            ticks.fetch_add(k, std::sync::atomic::Ordering::Relaxed);
        };
        let mut out = Vec::new();
        w.write_collection(&mut out, "t", n, render, &tick).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        let features = v["features"].as_array().unwrap();
        assert_eq!(features.len(), n);
        assert!(features.iter().enumerate().all(|(i, f)| f["i"] == i));
        assert_eq!(ticks.load(std::sync::atomic::Ordering::Relaxed), n);

        // A feature that cannot be rendered, late in the file: its error comes back.
        let failing = |i: usize, buf: &mut Vec<u8>| -> Result<()> {
            if i == n - 5 {
                return Err(crate::Error::Usage(format!("feature {i} broke")));
            }
            render(i, buf)
        };
        let err = w
            .write_collection(&mut Vec::new(), "t", n, failing, &|_| {})
            .unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("feature {} broke", n - 5)),
            "{err}"
        );

        // The file cannot be written: the error names it, and nothing hangs.
        let err = w
            .write_collection(&mut FailingSink { left: 100_000 }, "t", n, render, &|_| {})
            .unwrap_err();
        assert!(err.to_string().contains("t.geojson"), "{err}");
    }

    #[test]
    fn features_are_rendered_in_the_callers_thread_pool() {
        // A pool of one named thread: with rendering in the global pool, a
        // caller inside the global pool could block the workers it waits for.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|i| format!("caller-pool-{i}"))
            .build()
            .unwrap();
        let w = GeoJsonWriter::new(Crs::RD_NEW, Crs::RD_NEW).unwrap();
        let n = 5 * CHUNK + 3;
        let elsewhere = std::sync::atomic::AtomicUsize::new(0);
        let render = |i: usize, buf: &mut Vec<u8>| -> Result<()> {
            let name = std::thread::current().name().map(str::to_string);
            if !name.is_some_and(|n| n.starts_with("caller-pool-")) {
                elsewhere.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            buf.extend_from_slice(format!("{{\"i\":{i}}}").as_bytes());
            Ok(())
        };
        let mut out = Vec::new();
        pool.install(|| w.write_collection(&mut out, "t", n, render, &|_| {}))
            .unwrap();
        assert_eq!(elsewhere.load(std::sync::atomic::Ordering::Relaxed), 0);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["features"].as_array().unwrap().len(), n);
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
