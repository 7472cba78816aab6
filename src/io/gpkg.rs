//! Writing one OGC GeoPackage (`binnenstad.gpkg`) with every output layer.
//!
//! Inputs: the layers as [`OutFeature`]s in the working CRS, each with its QML
//! style, and a [`GeoJsonWriter`] that converts coordinates to the output CRS
//! and rounds them exactly as the GeoJSON files are rounded. Output: a
//! GeoPackage 1.3 file (`application_id` `GPKG`, `user_version` 10300) with
//!
//! - the required `gpkg_spatial_ref_sys` (EPSG:4326, the two "undefined" rows,
//!   and the output CRS), `gpkg_contents` and `gpkg_geometry_columns`;
//! - one feature table per layer: `fid INTEGER PRIMARY KEY`, a geometry column
//!   `geom` holding GeoPackage binary geometries (the `GP` header with an XY
//!   envelope, then little-endian WKB), the feature's stable `id` as TEXT and
//!   one typed column per property (see [`column_type`]);
//! - a `layer_styles` attributes table in the schema QGIS uses, one default
//!   style per layer, so QGIS draws the layer styled when it opens it.
//!
//! No extensions (no `gpkg_extensions`, no spatial index): the smallest file
//! every GeoPackage reader opens. Deterministic: no clock is read
//! (`last_change` and `update_time` are [`FIXED_TIME`]), rows are inserted in
//! the input order, and the file is rebuilt with `VACUUM` at the end, so the same
//! layers give the same bytes.
//!
//! Geometry types: a layer whose features all have one type gets that type
//! (`POINT`, `POLYGON`, ...); a layer that mixes single and multi parts of one
//! family is declared `MULTI...` and its single parts are written as one-part
//! multis; an empty layer takes the caller's fallback type.

use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::io::write::{GeoJsonWriter, OutFeature};
use geo::{Geometry, LineString, Orient, Polygon, orient::Direction};
use rusqlite::{Connection, params_from_iter, types::Value as Sql};
use serde_json::Value;
use std::path::Path;

/// The time written wherever GeoPackage or QGIS want one: fixed, so the file
/// does not change from run to run.
pub const FIXED_TIME: &str = "2000-01-01T00:00:00.000Z";

/// `application_id` of a GeoPackage: the ASCII bytes `GPKG`.
pub const APPLICATION_ID: i32 = 0x4750_4B47;

/// `user_version` of a GeoPackage 1.3 file.
pub const USER_VERSION: i32 = 10300;

/// The name of the geometry column in every feature table.
pub const GEOMETRY_COLUMN: &str = "geom";

/// One layer to write.
#[derive(Debug, Clone)]
pub struct GpkgLayer<'a> {
    /// Table name (`zones`).
    pub name: &'a str,
    /// A short description for `gpkg_contents`.
    pub description: String,
    /// Geometry type when the layer has no features: `POINT`, `LINESTRING` or `POLYGON`.
    pub fallback_type: &'static str,
    /// The features, geometry in the working CRS.
    pub features: &'a [OutFeature],
    /// The QML style, stored in `layer_styles` as the layer's default.
    pub qml: &'a str,
}

/// The GeoPackage column type for a property's values (nulls ignored):
/// `BOOLEAN` when all are booleans, `INTEGER` when all are integers, `REAL`
/// when all are numbers, `TEXT` otherwise (mixed types, strings, arrays and
/// objects; arrays and objects as JSON text) and for all-null properties.
pub fn column_type<'v>(values: impl IntoIterator<Item = &'v Value>) -> &'static str {
    let (mut any, mut bools, mut ints, mut nums) = (false, true, true, true);
    for v in values {
        if v.is_null() {
            continue;
        }
        any = true;
        bools &= v.is_boolean();
        ints &= v.is_i64() || v.is_u64();
        nums &= v.is_number();
    }
    match (any, bools, ints, nums) {
        (false, ..) => "TEXT",
        (true, true, ..) => "BOOLEAN",
        (true, _, true, _) => "INTEGER",
        (true, _, _, true) => "REAL",
        _ => "TEXT",
    }
}

/// A property value as an SQLite value for a column of type `ty`.
fn sql_value(v: Option<&Value>, ty: &str) -> Sql {
    match v {
        None | Some(Value::Null) => Sql::Null,
        Some(Value::Bool(b)) if ty == "BOOLEAN" => Sql::Integer(i64::from(*b)),
        Some(Value::Number(n)) if ty == "INTEGER" => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            // u64 beyond i64: keep the digits rather than wrap.
            None => Sql::Text(n.to_string()),
        },
        Some(Value::Number(n)) if ty == "REAL" => n.as_f64().map_or(Sql::Null, Sql::Real),
        Some(Value::String(s)) => Sql::Text(s.clone()),
        Some(other) => Sql::Text(other.to_string()),
    }
}

/// Double-quoted SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// WKT (OGC 01-009) for the `gpkg_spatial_ref_sys` definition of a CRS; GDAL
/// and QGIS read the EPSG code first, so other CRSs get `undefined`, which the
/// specification allows.
fn srs_definition(crs: Crs) -> &'static str {
    match crs.epsg() {
        4326 => {
            r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#
        }
        28992 => {
            r#"PROJCS["Amersfoort / RD New",GEOGCS["Amersfoort",DATUM["Amersfoort",SPHEROID["Bessel 1841",6377397.155,299.1528128,AUTHORITY["EPSG","7004"]],TOWGS84[565.4171,50.3319,465.5524,1.9342,-1.6677,9.1019,4.0725],AUTHORITY["EPSG","6289"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4289"]],PROJECTION["Oblique_Stereographic"],PARAMETER["latitude_of_origin",52.1561605555556],PARAMETER["central_meridian",5.38763888888889],PARAMETER["scale_factor",0.9999079],PARAMETER["false_easting",155000],PARAMETER["false_northing",463000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","28992"]]"#
        }
        _ => "undefined",
    }
}

fn srs_name(crs: Crs) -> String {
    match crs.epsg() {
        4326 => "WGS 84".into(),
        28992 => "Amersfoort / RD New".into(),
        code => format!("EPSG:{code}"),
    }
}

// ------------------------------------------------------------------ geometry

/// Geometry family and whether a geometry is a multi.
fn family(g: &Geometry<f64>) -> Option<(&'static str, bool)> {
    Some(match g {
        Geometry::Point(_) => ("POINT", false),
        Geometry::MultiPoint(_) => ("POINT", true),
        Geometry::LineString(_) | Geometry::Line(_) => ("LINESTRING", false),
        Geometry::MultiLineString(_) => ("LINESTRING", true),
        Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => ("POLYGON", false),
        Geometry::MultiPolygon(_) => ("POLYGON", true),
        Geometry::GeometryCollection(_) => return None,
    })
}

/// The declared geometry type of a layer (see the module docs).
fn layer_type(features: &[OutFeature], fallback: &'static str) -> String {
    let mut fam: Option<&str> = None;
    let mut multi = false;
    for f in features {
        match family(&f.geometry) {
            Some((name, m)) => {
                if fam.is_some_and(|x| x != name) {
                    return "GEOMETRY".into();
                }
                fam = Some(name);
                multi |= m;
            }
            None => return "GEOMETRY".into(),
        }
    }
    match fam {
        None => fallback.into(),
        Some(name) if multi => format!("MULTI{name}"),
        Some(name) => name.into(),
    }
}

/// Little-endian WKB plus the envelope of the written coordinates.
struct Wkb<'w> {
    writer: &'w GeoJsonWriter,
    bytes: Vec<u8>,
    env: [f64; 4],
}

impl Wkb<'_> {
    fn header(&mut self, code: u32) {
        self.bytes.push(1);
        self.bytes.extend_from_slice(&code.to_le_bytes());
    }
    fn count(&mut self, n: usize) -> Result<()> {
        let n = u32::try_from(n).map_err(|_| Error::Usage("geometry too large for WKB".into()))?;
        self.bytes.extend_from_slice(&n.to_le_bytes());
        Ok(())
    }
    fn xy(&mut self, p: [f64; 2]) {
        self.bytes.extend_from_slice(&p[0].to_le_bytes());
        self.bytes.extend_from_slice(&p[1].to_le_bytes());
        self.env[0] = self.env[0].min(p[0]);
        self.env[1] = self.env[1].max(p[0]);
        self.env[2] = self.env[2].min(p[1]);
        self.env[3] = self.env[3].max(p[1]);
    }
    /// Output coordinates of a line, repeated positions (after rounding) dropped,
    /// as the GeoJSON writer does.
    fn points(&self, l: &LineString<f64>) -> Result<Vec<[f64; 2]>> {
        let mut out: Vec<[f64; 2]> = Vec::with_capacity(l.0.len());
        for c in &l.0 {
            let p = self.writer.coord(*c)?;
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
        Ok(out)
    }
    fn ring(&mut self, l: &LineString<f64>) -> Result<()> {
        let pts = self.points(l)?;
        self.count(pts.len())?;
        for p in pts {
            self.xy(p);
        }
        Ok(())
    }
    fn point(&mut self, p: geo::Point<f64>) -> Result<()> {
        self.header(1);
        let c = self.writer.coord(p.0)?;
        self.xy(c);
        Ok(())
    }
    fn line(&mut self, l: &LineString<f64>) -> Result<()> {
        self.header(2);
        self.ring(l)
    }
    fn polygon(&mut self, p: &Polygon<f64>) -> Result<()> {
        let p = p.orient(Direction::Default);
        self.header(3);
        self.count(1 + p.interiors().len())?;
        self.ring(p.exterior())?;
        for r in p.interiors() {
            self.ring(r)?;
        }
        Ok(())
    }
    /// Writes `g`; `as_multi` wraps a single part as a one-part multi.
    fn geometry(&mut self, g: &Geometry<f64>, as_multi: bool) -> Result<()> {
        match g {
            Geometry::Point(p) if as_multi => {
                self.header(4);
                self.count(1)?;
                self.point(*p)
            }
            Geometry::Point(p) => self.point(*p),
            Geometry::MultiPoint(mp) => {
                self.header(4);
                self.count(mp.0.len())?;
                mp.0.iter().try_for_each(|p| self.point(*p))
            }
            Geometry::Line(l) => self.geometry(
                &Geometry::LineString(LineString(vec![l.start, l.end])),
                as_multi,
            ),
            Geometry::LineString(l) if as_multi => {
                self.header(5);
                self.count(1)?;
                self.line(l)
            }
            Geometry::LineString(l) => self.line(l),
            Geometry::MultiLineString(ml) => {
                self.header(5);
                self.count(ml.0.len())?;
                ml.0.iter().try_for_each(|l| self.line(l))
            }
            Geometry::Rect(r) => self.geometry(&Geometry::Polygon(r.to_polygon()), as_multi),
            Geometry::Triangle(t) => self.geometry(&Geometry::Polygon(t.to_polygon()), as_multi),
            Geometry::Polygon(p) if as_multi => {
                self.header(6);
                self.count(1)?;
                self.polygon(p)
            }
            Geometry::Polygon(p) => self.polygon(p),
            Geometry::MultiPolygon(mp) => {
                self.header(6);
                self.count(mp.0.len())?;
                mp.0.iter().try_for_each(|p| self.polygon(p))
            }
            Geometry::GeometryCollection(gc) => {
                self.header(7);
                self.count(gc.0.len())?;
                gc.0.iter().try_for_each(|g| self.geometry(g, false))
            }
        }
    }
}

/// A GeoPackage binary geometry (`GP`, version 0, little-endian, XY envelope,
/// then WKB) and its envelope `[min_x, max_x, min_y, max_y]`; `None` for a
/// geometry without coordinates (written as SQL NULL).
pub fn gpkg_geometry(
    writer: &GeoJsonWriter,
    srs_id: i32,
    g: &Geometry<f64>,
    as_multi: bool,
) -> Result<Option<(Vec<u8>, [f64; 4])>> {
    let mut wkb = Wkb {
        writer,
        bytes: Vec::new(),
        env: [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ],
    };
    wkb.geometry(g, as_multi)?;
    if !wkb.env[0].is_finite() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(8 + 32 + wkb.bytes.len());
    out.extend_from_slice(b"GP");
    out.push(0); // version 1
    out.push(0b0000_0011); // little-endian, envelope [minx, maxx, miny, maxy], not empty
    out.extend_from_slice(&srs_id.to_le_bytes());
    for v in wkb.env {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&wkb.bytes);
    Ok(Some((out, wkb.env)))
}

// ------------------------------------------------------------------ tables

const SCHEMA: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition  TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  f_table_catalog TEXT(256),
  f_table_schema TEXT(256),
  f_table_name TEXT(256),
  f_geometry_column TEXT(256),
  styleName TEXT(30),
  styleQML TEXT,
  styleSLD TEXT,
  useAsDefault BOOLEAN,
  description TEXT,
  owner TEXT(30),
  ui TEXT(30),
  update_time DATETIME
);
";

fn sql_err(path: &Path, what: &'static str, e: rusqlite::Error) -> Error {
    Error::io(path, what, std::io::Error::other(e))
}

/// Writes `layers` into a new GeoPackage at `path` (which must not exist yet).
///
/// # Errors
/// [`Error::Io`] naming `path` when SQLite cannot create or write the file;
/// CRS errors from the coordinate conversion.
pub fn write(path: &Path, writer: &GeoJsonWriter, layers: &[GpkgLayer<'_>]) -> Result<()> {
    let conn = Connection::open(path).map_err(|e| sql_err(path, "cannot create", e))?;
    let err = |e| sql_err(path, "cannot write GeoPackage", e);
    // No journal file beside the output: the temporary output folder already
    // makes the write all-or-nothing.
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; \
         PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {USER_VERSION};"
    ))
    .map_err(err)?;
    conn.execute_batch("BEGIN").map_err(err)?;
    conn.execute_batch(SCHEMA).map_err(err)?;
    let crs = writer.crs();
    let srs_id = i32::try_from(crs.epsg())
        .map_err(|_| Error::Usage(format!("{crs}: EPSG code out of range")))?;
    let mut srs_rows: Vec<(String, i32, &str, i32, &str, &str)> = vec![
        (
            "Undefined cartesian SRS".into(),
            -1,
            "NONE",
            -1,
            "undefined",
            "undefined cartesian coordinate reference system",
        ),
        (
            "Undefined geographic SRS".into(),
            0,
            "NONE",
            0,
            "undefined",
            "undefined geographic coordinate reference system",
        ),
        (
            "WGS 84 geodetic".into(),
            4326,
            "EPSG",
            4326,
            srs_definition(Crs::WGS84),
            "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
        ),
    ];
    if srs_id != 4326 {
        srs_rows.push((
            srs_name(crs),
            srs_id,
            "EPSG",
            srs_id,
            srs_definition(crs),
            "",
        ));
    }
    for r in &srs_rows {
        conn.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![r.0, r.1, r.2, r.3, r.4, r.5],
        )
        .map_err(err)?;
    }
    for layer in layers {
        write_layer(&conn, writer, srs_id, layer).map_err(|e| match e {
            LayerError::Sql(e) => err(e),
            LayerError::Other(e) => e,
        })?;
    }
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) \
         VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles of the layers', ?1)",
        [FIXED_TIME],
    )
    .map_err(err)?;
    conn.execute_batch("COMMIT").map_err(err)?;
    // Rebuild compactly: the file then depends only on its contents.
    conn.execute_batch("VACUUM").map_err(err)?;
    conn.close().map_err(|(_, e)| err(e))?;
    Ok(())
}

enum LayerError {
    Sql(rusqlite::Error),
    Other(Error),
}
impl From<rusqlite::Error> for LayerError {
    fn from(e: rusqlite::Error) -> Self {
        LayerError::Sql(e)
    }
}
impl From<Error> for LayerError {
    fn from(e: Error) -> Self {
        LayerError::Other(e)
    }
}

/// The property columns of a layer: names in first-seen order, with types.
/// `fid`, `geom` and `id` are taken by the table itself; a property of that
/// name (any case) is written as `property_<name>`.
fn columns(features: &[OutFeature]) -> Vec<(String, String, &'static str)> {
    let mut keys: Vec<&str> = Vec::new();
    for f in features {
        for k in f.properties.keys() {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
    }
    keys.into_iter()
        .map(|k| {
            let ty = column_type(features.iter().filter_map(|f| f.properties.get(k)));
            let reserved = ["fid", GEOMETRY_COLUMN, "id"]
                .iter()
                .any(|r| r.eq_ignore_ascii_case(k));
            let column = if reserved {
                format!("property_{k}")
            } else {
                k.to_string()
            };
            (k.to_string(), column, ty)
        })
        .collect()
}

fn write_layer(
    conn: &Connection,
    writer: &GeoJsonWriter,
    srs_id: i32,
    layer: &GpkgLayer<'_>,
) -> std::result::Result<(), LayerError> {
    let gtype = layer_type(layer.features, layer.fallback_type);
    let as_multi = gtype.starts_with("MULTI");
    let cols = columns(layer.features);
    let table = ident(layer.name);
    let mut ddl = format!(
        "CREATE TABLE {table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {} {gtype}, id TEXT",
        ident(GEOMETRY_COLUMN)
    );
    for (_, column, ty) in &cols {
        ddl.push_str(&format!(", {} {ty}", ident(column)));
    }
    ddl.push(')');
    conn.execute_batch(&ddl)?;
    let placeholders: Vec<String> = (1..=cols.len() + 2).map(|i| format!("?{i}")).collect();
    let mut names = vec![ident(GEOMETRY_COLUMN), "id".to_string()];
    names.extend(cols.iter().map(|(_, c, _)| ident(c)));
    let mut insert = conn.prepare(&format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        placeholders.join(", ")
    ))?;
    let mut env = [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    for f in layer.features {
        let geom = match gpkg_geometry(writer, srs_id, &f.geometry, as_multi)? {
            Some((blob, e)) => {
                env = [
                    env[0].min(e[0]),
                    env[1].max(e[1]),
                    env[2].min(e[2]),
                    env[3].max(e[3]),
                ];
                Sql::Blob(blob)
            }
            None => Sql::Null,
        };
        let mut values = vec![geom, Sql::Text(f.id.clone())];
        values.extend(
            cols.iter()
                .map(|(key, _, ty)| sql_value(f.properties.get(key), ty)),
        );
        insert.execute(params_from_iter(values))?;
    }
    let bounds: [Sql; 4] = if env[0].is_finite() {
        [
            Sql::Real(env[0]),
            Sql::Real(env[2]),
            Sql::Real(env[1]),
            Sql::Real(env[3]),
        ]
    } else {
        [Sql::Null, Sql::Null, Sql::Null, Sql::Null]
    };
    let [min_x, min_y, max_x, max_y] = bounds;
    conn.execute(
        "INSERT INTO gpkg_contents VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            layer.name,
            layer.description,
            FIXED_TIME,
            min_x,
            min_y,
            max_x,
            max_y,
            srs_id
        ],
    )?;
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, ?2, ?3, ?4, 0, 0)",
        rusqlite::params![layer.name, GEOMETRY_COLUMN, gtype, srs_id],
    )?;
    conn.execute(
        "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, \
         f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, \
         update_time) VALUES ('', '', ?1, ?2, ?1, ?3, '', 1, ?4, '', NULL, ?5)",
        rusqlite::params![
            layer.name,
            GEOMETRY_COLUMN,
            layer.qml,
            format!("binnenstad style for {}", layer.name),
            FIXED_TIME
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::wkt;
    use serde_json::{Map, json};

    fn feature(id: &str, g: Geometry<f64>, props: Value) -> OutFeature {
        let properties: Map<String, Value> = props.as_object().cloned().unwrap_or_default();
        OutFeature {
            id: id.into(),
            geometry: g,
            properties,
        }
    }

    #[test]
    fn column_types_follow_the_values() {
        assert_eq!(column_type(&[json!(true), json!(null)]), "BOOLEAN");
        assert_eq!(column_type(&[json!(1), json!(2)]), "INTEGER");
        assert_eq!(column_type(&[json!(1), json!(2.5)]), "REAL");
        assert_eq!(column_type(&[json!(1), json!("a")]), "TEXT");
        assert_eq!(column_type(&[json!(null)]), "TEXT");
        assert_eq!(column_type(&[json!([1, 2])]), "TEXT");
    }

    #[test]
    fn geometry_blob_has_header_envelope_and_le_wkb() {
        let w = GeoJsonWriter::new(Crs::RD_NEW, Crs::RD_NEW).unwrap();
        let g: Geometry<f64> = wkt! { POLYGON((0.0 0.0, 10.0 0.0, 10.0 5.0, 0.0 0.0)) }.into();
        let (b, env) = gpkg_geometry(&w, 28992, &g, true).unwrap().unwrap();
        assert_eq!(&b[..4], b"GP\x00\x03");
        assert_eq!(i32::from_le_bytes(b[4..8].try_into().unwrap()), 28992);
        assert_eq!(env, [0.0, 10.0, 0.0, 5.0]);
        let f = |i: usize| f64::from_le_bytes(b[8 + 8 * i..16 + 8 * i].try_into().unwrap());
        assert_eq!([f(0), f(1), f(2), f(3)], env);
        let wkb = &b[40..];
        assert_eq!(wkb[0], 1, "little-endian");
        assert_eq!(
            u32::from_le_bytes(wkb[1..5].try_into().unwrap()),
            6,
            "multipolygon"
        );
        assert_eq!(
            u32::from_le_bytes(wkb[5..9].try_into().unwrap()),
            1,
            "one part"
        );
        assert_eq!(
            u32::from_le_bytes(wkb[10..14].try_into().unwrap()),
            3,
            "polygon"
        );
        // 1 byte order + 4 type + 4 parts + (1 + 4 + 4 rings + 4 points + 4 * 16)
        assert_eq!(wkb.len(), 9 + 1 + 4 + 4 + 4 + 4 * 16);
    }

    #[test]
    fn layer_types_promote_mixed_parts_to_multi() {
        let p = feature("a", wkt! { POINT(1.0 2.0) }.into(), json!({}));
        let mp = feature("b", wkt! { MULTIPOINT(1.0 2.0) }.into(), json!({}));
        let l = feature("c", wkt! { LINESTRING(1.0 2.0, 3.0 4.0) }.into(), json!({}));
        assert_eq!(layer_type(std::slice::from_ref(&p), "POLYGON"), "POINT");
        assert_eq!(layer_type(&[p.clone(), mp], "POLYGON"), "MULTIPOINT");
        assert_eq!(layer_type(&[p, l], "POLYGON"), "GEOMETRY");
        assert_eq!(layer_type(&[], "POLYGON"), "POLYGON");
    }

    fn sample(dir: &Path, name: &str) -> std::path::PathBuf {
        let w = GeoJsonWriter::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        let feats = vec![
            feature(
                "b1",
                wkt! { POLYGON((121000.0 487000.0, 121010.0 487000.0, 121010.0 487010.0, 121000.0 487000.0)) }.into(),
                json!({"use": "retail", "floors": 3, "vacant": true, "score": 61.5, "id": "x"}),
            ),
            feature(
                "b2",
                wkt! { MULTIPOLYGON(((121100.0 487000.0, 121110.0 487000.0, 121110.0 487010.0, 121100.0 487000.0))) }.into(),
                json!({"use": "office", "floors": 2, "vacant": false, "score": 40}),
            ),
        ];
        let path = dir.join(name);
        let layers = [
            GpkgLayer {
                name: "buildings",
                description: "buildings".into(),
                fallback_type: "POLYGON",
                features: &feats,
                qml: "<qgis/>",
            },
            GpkgLayer {
                name: "empty",
                description: String::new(),
                fallback_type: "POINT",
                features: &[],
                qml: "<qgis/>",
            },
        ];
        write(&path, &w, &layers).unwrap();
        path
    }

    #[test]
    fn writes_a_deterministic_geopackage_with_typed_columns_and_styles() {
        let dir = tempfile::tempdir().unwrap();
        let a = sample(dir.path(), "a.gpkg");
        let b = sample(dir.path(), "b.gpkg");
        let (ba, bb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        assert_eq!(ba, bb, "same layers, same bytes");
        assert_eq!(&ba[68..72], b"GPKG", "application_id");
        assert_eq!(u32::from_be_bytes(ba[60..64].try_into().unwrap()), 10300);
        let conn = Connection::open(&a).unwrap();
        let types: Vec<(String, String)> = conn
            .prepare("SELECT name, type FROM pragma_table_info('buildings')")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let want: Vec<(String, String)> = [
            ("fid", "INTEGER"),
            ("geom", "MULTIPOLYGON"),
            ("id", "TEXT"),
            ("use", "TEXT"),
            ("floors", "INTEGER"),
            ("vacant", "BOOLEAN"),
            ("score", "REAL"),
            ("property_id", "TEXT"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(types, want);
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM layer_styles WHERE useAsDefault",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 2);
        let (gt, srs): (String, i64) = conn
            .query_row(
                "SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name='empty'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((gt.as_str(), srs), ("POINT", 4326));
        let min_x: f64 = conn
            .query_row(
                "SELECT min_x FROM gpkg_contents WHERE table_name='buildings'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!((4.0..5.0).contains(&min_x), "{min_x}");
    }
}
