//! Loading GeoJSON layers into the model.
//!
//! Input: the layer files a [`Scenario`] names. Each file is RFC 7946
//! (WGS84 lon/lat) unless it carries a legacy `crs` member as QGIS writes it
//! (`urn:ogc:def:crs:EPSG::28992`). Every position is validated (two or more
//! finite numbers, inside the bounds the declared CRS can have) before it is
//! converted, then reprojected once into the working CRS. Property names are
//! read through the scenario's field mapping.
//!
//! A broken file (not JSON, not a FeatureCollection, coordinates that cannot
//! belong to the declared CRS) is an [`Error`]. A bad feature in a good file
//! (wrong geometry type, empty geometry, unreadable value) becomes a
//! [`Diagnostic`] and is skipped or given a documented default.

use super::number::{self, Quantity};
use crate::crs::{Crs, Interpolating, Transformer};
use crate::error::{Diagnostic, Error, FeatureRef, Result, Severity};
use crate::model::*;
use crate::scenario::{CrsChoice, LayerSource, Scenario};
use geo::{
    Area, BoundingRect, Centroid, Coord, Geometry, LineString, MultiPolygon, Point, Polygon, Rect,
};
use geojson::{GeometryValue, Position};
use serde_json::Value;
use serde_json::value::RawValue;
use std::path::{Path, PathBuf};

/// Floors assumed when neither floors nor height is known (documented default),
/// for building types not built with one storey (see [`default_floors`]).
pub const DEFAULT_FLOORS: u32 = 3;

/// Floors assumed for a building of this `building=*` type when neither floors
/// nor height is known: 1 for the types built with one storey (sheds, garages,
/// kiosks, houseboats, bungalows: `io::osm::tags::ONE_STOREY_TYPES`), else
/// [`DEFAULT_FLOORS`]. Always marked estimated.
pub fn default_floors(building_type: Option<&str>) -> u32 {
    if building_type.is_some_and(crate::io::osm::tags::is_one_storey_type) {
        1
    } else {
        DEFAULT_FLOORS
    }
}
/// Storey height used to derive floors from a building height (m).
pub const STOREY_HEIGHT_M: f64 = 3.0;

/// A parsed layer file before conversion: its features and declared CRS.
#[derive(Debug)]
pub struct RawLayer {
    /// Layer name.
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// The CRS the file declares (WGS84 when it declares none).
    pub crs: Crs,
    /// Whether the CRS came from a legacy `crs` member.
    pub crs_declared: bool,
    /// The features, checked, with their geometry still in the file's CRS.
    pub features: Vec<SourceFeature>,
}

/// One feature of a layer file as read: its positions checked and held as geo
/// types in the file's CRS (a few contiguous arrays instead of the parser's one
/// allocation per position: a million buildings take a fraction of the memory).
#[derive(Debug, Clone)]
pub struct SourceFeature {
    /// The Feature's `id` member.
    pub id: Option<geojson::feature::Id>,
    /// The Feature's properties: the JSON text of an object, kept as text and
    /// parsed when the feature is converted (see [`SourceFeature::properties`]).
    /// A parsed map costs about 1 KB per feature, so a million buildings held
    /// as maps from the parse to the conversion took about 1 GB more at peak.
    pub properties_json: Option<Box<RawValue>>,
    /// The geometry, or why there is none to use.
    pub geometry: SourceGeometry,
}

impl PartialEq for SourceFeature {
    /// The same id, geometry and properties (compared parsed, so whitespace
    /// and key order in the text do not count).
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.geometry == other.geometry
            && self.properties() == other.properties()
    }
}

/// A feature's geometry as read (see [`SourceFeature`]).
#[derive(Debug, Clone, PartialEq)]
pub enum SourceGeometry {
    /// `"geometry": null`.
    Missing,
    /// A position that is not usable, in words.
    BadPosition(String),
    /// A usable geometry in the file's CRS; `unclosed` when a polygon ring's
    /// last position differed from its first (geo closes it).
    Ok {
        /// The geometry.
        geometry: Geometry<f64>,
        /// Whether a ring was left open in the file.
        unclosed: bool,
    },
}

impl SourceGeometry {
    /// A Feature's geometry with its positions checked against the file's CRS,
    /// kept as geo types (no reprojection yet).
    fn checked(g: Option<&geojson::Geometry>, crs: Crs, declared: bool) -> Self {
        match g {
            None => SourceGeometry::Missing,
            Some(g) => match check_positions(&g.value, crs, declared) {
                Some(problem) => SourceGeometry::BadPosition(problem),
                None => SourceGeometry::Ok {
                    geometry: to_geo_as_is(&g.value),
                    unclosed: has_unclosed_ring(&g.value),
                },
            },
        }
    }
}

impl SourceFeature {
    /// Checks a parsed Feature's positions against the file's CRS and keeps its
    /// geometry as geo types (no reprojection yet).
    fn new(f: geojson::Feature, crs: Crs, declared: bool) -> Self {
        SourceFeature {
            geometry: SourceGeometry::checked(f.geometry.as_ref(), crs, declared),
            id: f.id,
            properties_json: f
                .properties
                .and_then(|p| serde_json::value::to_raw_value(&p).ok()),
        }
    }

    /// A feature from [`parse_parallel`]'s borrowed parse: `properties` is
    /// the JSON text of an object (checked by the caller).
    fn from_fast(f: FastFeature<'_>, crs: Crs, declared: bool) -> Self {
        SourceFeature {
            geometry: SourceGeometry::checked(f.geometry.as_ref(), crs, declared),
            id: f.id,
            properties_json: f.properties.map(ToOwned::to_owned),
        }
    }

    /// The properties, parsed (None when the Feature has none).
    pub fn properties(&self) -> Option<serde_json::Map<String, Value>> {
        self.properties_json
            .as_ref()
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
    }
}

/// A Feature as [`parse_parallel`] reads it: the properties are borrowed as
/// text, not parsed into a map (that waits for the conversion, one feature
/// at a time). Members other than these (bbox, foreign members) are not used.
#[derive(serde::Deserialize)]
struct FastFeature<'a> {
    #[serde(rename = "type")]
    #[allow(dead_code)]
    kind: FeatureTag,
    #[serde(default)]
    geometry: Option<geojson::Geometry>,
    #[serde(default)]
    id: Option<geojson::feature::Id>,
    #[serde(default, borrow)]
    properties: Option<&'a RawValue>,
}

/// `"type": "Feature"` and nothing else.
#[derive(serde::Deserialize)]
enum FeatureTag {
    Feature,
}

/// What was loaded for one layer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LayerInfo {
    /// Layer name.
    pub name: String,
    /// File as given in the scenario (relative paths stay relative).
    pub file: String,
    /// Whether the file exists.
    pub present: bool,
    /// Features in the file.
    pub features_in_file: usize,
    /// Features loaded into the model.
    pub features_loaded: usize,
    /// The file's CRS (`EPSG:4326` when none is declared).
    pub crs: String,
    /// Extent in WGS84 `[west, south, east, north]`, when there are features.
    pub extent_wgs84: Option<[f64; 4]>,
}

/// The loaded study area.
#[derive(Debug)]
pub struct Loaded {
    /// The layers in the working CRS.
    pub layers: Layers,
    /// The working CRS (metres).
    pub working_crs: Crs,
    /// Per-layer summary, in [`LAYER_NAMES`] order.
    pub info: Vec<LayerInfo>,
    /// Data problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads one GeoJSON FeatureCollection and its declared CRS.
///
/// The text must be UTF-8 (RFC 8259); a byte-order mark before it is skipped.
/// Bytes that are not UTF-8 stop the layer with where they are: the byte
/// offset, line and column, and the feature (index and id) they are in.
pub fn read_layer(name: &str, path: &Path) -> Result<RawLayer> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, "kan de laag niet lezen", e))?;
    let text =
        String::from_utf8(bytes).map_err(|e| not_utf8(path, e.as_bytes(), e.utf8_error()))?;
    parse_layer(name, path, &text)
}

/// The error for a layer file that is not UTF-8, saying where.
fn not_utf8(path: &Path, bytes: &[u8], e: std::str::Utf8Error) -> Error {
    let at = e.valid_up_to();
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    let utf16 = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        " (het bestand is UTF-16)"
    } else {
        ""
    };
    let message = format!(
        "geen geldige UTF-8 op byte {at} (regel {line}, kolom {column}){utf16}; GeoJSON-tekst moet \
         UTF-8 zijn: sla het bestand op als UTF-8"
    );
    // Which feature: the lossy text is the same as the bytes up to `at`.
    let lossy = String::from_utf8_lossy(bytes);
    let feature = split_features(&lossy).and_then(|(_, ranges)| {
        let index = ranges.iter().position(|r| r.contains(&at))?;
        let id = serde_json::from_str::<Value>(&lossy[ranges[index].clone()])
            .ok()
            .and_then(|f| {
                f.get("id")
                    .or_else(|| f.get("properties").and_then(|p| p.get("id")))
                    .map(id_text)
            });
        Some(FeatureRef { index, id })
    });
    match feature {
        Some(feature) => Error::Feature {
            path: path.to_path_buf(),
            feature,
            message,
        },
        None => Error::file(path, message),
    }
}

/// The shape of a well-formed layer file: the document around the features array in [`parse_parallel`].
#[derive(serde::Deserialize)]
struct FastCollection {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    crs: Option<Value>,
    features: Vec<geojson::Feature>,
}

/// Parses GeoJSON text as a layer (see [`read_layer`]).
pub fn parse_layer(name: &str, path: &Path, text: &str) -> Result<RawLayer> {
    // A byte-order mark is not JSON, but editors on Windows write one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Fast path: a well-formed file is parsed straight into features, without a
    // `Value` tree in between (half the time and memory on large layers), the
    // features in parallel. Anything it does not accept (a broken file, or one
    // it cannot split safely) goes the careful way below, which names the problem.
    if let Some(raw) = parse_parallel(name, path, text) {
        return Ok(raw);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Error::file(
            path,
            format!(
                "geen geldige JSON op regel {} kolom {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let Value::Object(mut top) = value else {
        return Err(Error::file(
            path,
            "geen GeoJSON-object (verwacht een FeatureCollection)",
        ));
    };
    match top.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        Some(other) => {
            return Err(Error::file(
                path,
                format!("is een GeoJSON {other}, verwacht een FeatureCollection"),
            ));
        }
        None => {
            return Err(Error::file(
                path,
                "heeft geen \"type\": geen GeoJSON (verwacht een FeatureCollection)",
            ));
        }
    }
    let (crs, crs_declared) = declared_crs(path, top.get("crs"))?;
    let features = match top.remove("features") {
        Some(Value::Array(list)) => list,
        Some(_) => return Err(Error::file(path, "\"features\" is geen array")),
        None => {
            return Err(Error::file(
                path,
                "FeatureCollection heeft geen array \"features\"",
            ));
        }
    };
    let mut out = Vec::with_capacity(features.len());
    for (index, f) in features.into_iter().enumerate() {
        let id_hint = f
            .get("id")
            .map(id_text)
            .or_else(|| f.get("properties").and_then(|p| p.get("id")).map(id_text));
        // A Feature whose only fault is its geometry (a coordinate written as
        // text, a ring of strings) is left out with that fault, not the file.
        let feature = match <geojson::Feature as serde::Deserialize>::deserialize(&f) {
            Ok(feature) => feature,
            Err(e) => {
                let mut bare = f;
                let bare = bare
                    .as_object_mut()
                    .and_then(|o| o.remove("geometry"))
                    .and_then(|_| serde_json::from_value::<geojson::Feature>(bare).ok());
                let Some(bare) = bare else {
                    return Err(Error::Feature {
                        path: path.to_path_buf(),
                        feature: FeatureRef {
                            index,
                            id: id_hint.clone(),
                        },
                        message: format!("geen geldige GeoJSON Feature: {e}"),
                    });
                };
                let mut source = SourceFeature::new(bare, crs, crs_declared);
                source.geometry =
                    SourceGeometry::BadPosition(format!("geen geldige geometrie: {e}"));
                out.push(source);
                continue;
            }
        };
        out.push(SourceFeature::new(feature, crs, crs_declared));
    }
    Ok(RawLayer {
        name: name.to_string(),
        path: path.to_path_buf(),
        crs,
        crs_declared,
        features: out,
    })
}

/// [`parse_layer`]'s parallel path: the top-level `features` array is split
/// into its elements by [`split_features`], the rest of the document is parsed
/// with that array emptied, and the elements are parsed in parallel. None when
/// anything does not parse (the caller then goes the careful way).
fn parse_parallel(name: &str, path: &Path, text: &str) -> Option<RawLayer> {
    use rayon::prelude::*;
    let (head, elements) = split_features(text)?;
    let top = serde_json::from_str::<FastCollection>(&head).ok()?;
    if top.kind != "FeatureCollection" || !top.features.is_empty() {
        return None;
    }
    let (crs, crs_declared) = declared_crs(path, top.crs.as_ref()).ok()?;
    let features = elements
        .into_par_iter()
        .map(|r| {
            let f = serde_json::from_str::<FastFeature>(&text[r]).ok()?;
            // Properties that are not an object: the careful way names it.
            if f.properties.is_some_and(|p| !p.get().starts_with('{')) {
                return None;
            }
            Some(SourceFeature::from_fast(f, crs, crs_declared))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(RawLayer {
        name: name.to_string(),
        path: path.to_path_buf(),
        crs,
        crs_declared,
        features,
    })
}

/// Finds the array of the top-level member `"features"` in JSON text without
/// parsing it: returns the text with that array emptied (`[]`) and the byte range
/// of each element. Strings (with their escapes) and nesting are followed; the
/// pieces are parsed afterwards, so text that is not JSON is caught there. None
/// when the text has no such array or is not shaped as expected (a key written
/// with escapes, say): the caller then parses the whole text.
fn split_features(text: &str) -> Option<(String, Vec<std::ops::Range<usize>>)> {
    let b = text.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    // Find `"features"` as a key of the top-level object.
    let mut depth = 0usize;
    let mut i = 0;
    let open = loop {
        match *b.get(i)? {
            b'"' => {
                let start = i + 1;
                i = string_end(b, start)?;
                if depth == 1 && &b[start..i] == b"features" {
                    let j = skip_ws(i + 1);
                    if b.get(j) == Some(&b':') {
                        let k = skip_ws(j + 1);
                        if b.get(k) != Some(&b'[') {
                            return None;
                        }
                        break k;
                    }
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.checked_sub(1)?,
            _ => {}
        }
        i += 1;
    };
    // Split its elements at the commas of its own level.
    let mut elements = Vec::new();
    let mut depth = 0usize;
    let mut start = skip_ws(open + 1);
    let mut i = start;
    let close = loop {
        match *b.get(i)? {
            b'"' => i = string_end(b, i + 1)?,
            b'{' | b'[' => depth += 1,
            b'}' => depth = depth.checked_sub(1)?,
            b']' if depth > 0 => depth -= 1,
            c @ (b',' | b']') if depth == 0 => {
                let mut end = i;
                while end > start && b[end - 1].is_ascii_whitespace() {
                    end -= 1;
                }
                if end > start {
                    elements.push(start..end);
                } else if c == b',' || !elements.is_empty() {
                    // An empty element: `[,` or `,,` or `,]`.
                    return None;
                }
                if c == b']' {
                    break i;
                }
                start = skip_ws(i + 1);
                i = start;
                continue;
            }
            _ => {}
        }
        i += 1;
    };
    let mut head = String::with_capacity(open + 2 + (text.len() - close - 1));
    head.push_str(&text[..open]);
    head.push_str("[]");
    head.push_str(&text[close + 1..]);
    Some((head, elements))
}

/// Index of the `"` that ends the string whose contents start at `i`.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match *b.get(i)? {
            b'"' => return Some(i),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The CRS a file declares with a legacy `crs` member (WGS84 without one), and whether it declared one.
fn declared_crs(path: &Path, member: Option<&Value>) -> Result<(Crs, bool)> {
    Ok(match member {
        None | Some(Value::Null) => (Crs::WGS84, false),
        Some(c) => {
            let name = c
                .get("properties")
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    Error::file(path, "heeft een \"crs\" zonder properties.name (verwacht bijv. urn:ogc:def:crs:EPSG::28992)")
                })?;
            let crs = Crs::parse(name)
                .map_err(|e| Error::file(path, format!("noemt crs \"{name}\": {e}")))?;
            (crs, true)
        }
    })
}

fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Calls `f` with every position of a geometry, in order (GeometryCollections included).
fn for_each_position(value: &GeometryValue, f: &mut impl FnMut(&[f64])) {
    match value {
        GeometryValue::Point { coordinates } => f(coordinates.as_slice()),
        GeometryValue::MultiPoint { coordinates } | GeometryValue::LineString { coordinates } => {
            coordinates.iter().for_each(|p| f(p.as_slice()))
        }
        GeometryValue::MultiLineString { coordinates } | GeometryValue::Polygon { coordinates } => {
            coordinates.iter().flatten().for_each(|p| f(p.as_slice()))
        }
        GeometryValue::MultiPolygon { coordinates } => coordinates
            .iter()
            .flatten()
            .flatten()
            .for_each(|p| f(p.as_slice())),
        GeometryValue::GeometryCollection { geometries } => geometries
            .iter()
            .for_each(|g| for_each_position(&g.value, f)),
    }
}

/// Whether any polygon ring's last position differs from its first.
fn has_unclosed_ring(value: &GeometryValue) -> bool {
    let open = |rings: &Vec<Vec<Position>>| {
        rings.iter().any(|r| match (r.first(), r.last()) {
            (Some(a), Some(b)) => a.as_slice() != b.as_slice(),
            _ => false,
        })
    };
    match value {
        GeometryValue::Polygon { coordinates } => open(coordinates),
        GeometryValue::MultiPolygon { coordinates } => coordinates.iter().any(open),
        GeometryValue::GeometryCollection { geometries } => {
            geometries.iter().any(|g| has_unclosed_ring(&g.value))
        }
        _ => false,
    }
}

/// Whether a [`position_problem`] says the position does not fit the file's CRS
/// (rather than being no number at all).
fn is_crs_problem(problem: &str) -> bool {
    problem.starts_with(CRS_PROBLEM)
}

/// How [`position_problem`] begins a position the CRS cannot hold.
const CRS_PROBLEM: &str = "coördinaten ";

/// Checks every position: two or more finite numbers within the CRS's plausible bounds.
/// Returns the problem in words, or None.
fn check_positions(value: &GeometryValue, crs: Crs, declared: bool) -> Option<String> {
    let [xmin, ymin, xmax, ymax] = crs.plausible_bounds();
    let mut problem = None;
    for_each_position(value, &mut |s| {
        if problem.is_none() {
            problem = position_problem(s, crs, declared, [xmin, ymin, xmax, ymax]);
        }
    });
    problem
}

/// What is wrong with one position, if anything (see [`check_positions`]).
fn position_problem(s: &[f64], crs: Crs, declared: bool, bounds: [f64; 4]) -> Option<String> {
    let [xmin, ymin, xmax, ymax] = bounds;
    if s.len() < 2 {
        return Some(format!(
            "positie {s:?} heeft {} getal(len); een positie heeft minstens x en y nodig",
            s.len()
        ));
    }
    let (x, y) = (s[0], s[1]);
    if !x.is_finite() || !y.is_finite() {
        return Some(format!("positie [{x}, {y}] is geen eindig getal"));
    }
    if x < xmin || x > xmax || y < ymin || y > ymax {
        return Some(if crs.is_geographic() && !declared {
            format!(
                "{CRS_PROBLEM}[{x}, {y}] kunnen geen WGS84-graden zijn: het bestand heeft geen crs-lid, \
                 dus het is lengte/breedte volgens RFC 7946, maar dit lijken geprojecteerde meters \
                 (RD New, EPSG:28992?). GDAL en QGIS zouden ze stil als graden lezen; exporteer de laag \
                 als EPSG:4326 of geef een crs-lid dat het CRS noemt"
            )
        } else {
            format!(
                "{CRS_PROBLEM}[{x}, {y}] liggen buiten wat {crs} kan bevatten ({xmin} tot {xmax}, \
                 {ymin} tot {ymax}): klopt het opgegeven CRS, of zijn x en y verwisseld?"
            )
        });
    }
    None
}

fn coord(p: &Position) -> Coord<f64> {
    let s = p.as_slice();
    Coord { x: s[0], y: s[1] }
}

fn line(ps: &[Position]) -> LineString<f64> {
    LineString(ps.iter().map(coord).collect())
}

fn polygon(rings: &[Vec<Position>]) -> Polygon<f64> {
    let mut iter = rings.iter();
    let exterior = iter.next().map(|r| line(r)).unwrap_or(LineString(vec![]));
    Polygon::new(exterior, iter.map(|r| line(r)).collect())
}

/// A checked GeoJSON geometry (every position has x and y, see
/// [`check_positions`]) as geo types, in its own CRS.
fn to_geo_as_is(value: &GeometryValue) -> Geometry<f64> {
    match value {
        GeometryValue::Point { coordinates } => Geometry::Point(Point(coord(coordinates))),
        GeometryValue::MultiPoint { coordinates } => Geometry::MultiPoint(geo::MultiPoint(
            coordinates.iter().map(|p| Point(coord(p))).collect(),
        )),
        GeometryValue::LineString { coordinates } => Geometry::LineString(line(coordinates)),
        GeometryValue::MultiLineString { coordinates } => Geometry::MultiLineString(
            geo::MultiLineString(coordinates.iter().map(|l| line(l)).collect()),
        ),
        GeometryValue::Polygon { coordinates } => Geometry::Polygon(polygon(coordinates)),
        GeometryValue::MultiPolygon { coordinates } => Geometry::MultiPolygon(MultiPolygon(
            coordinates.iter().map(|p| polygon(p)).collect(),
        )),
        GeometryValue::GeometryCollection { geometries } => Geometry::GeometryCollection(
            geo::GeometryCollection(geometries.iter().map(|g| to_geo_as_is(&g.value)).collect()),
        ),
    }
}

/// Reads typed property values through the scenario's field mapping.
/// One feature's properties, parsed when the feature is converted and
/// dropped with it (see [`SourceFeature::properties_json`]).
struct Props<'a> {
    source: &'a LayerSource,
    /// The members in file order, keys borrowed from the text where it holds
    /// them unescaped: a feature's handful of properties are searched, not
    /// hashed (a map of owned keys hashed with SipHash was a fifth of a
    /// million buildings' load).
    props: Option<Vec<(std::borrow::Cow<'a, str>, Value)>>,
}

/// A properties object as its members in order ([`Props::props`]).
struct Members<'a>(Vec<(std::borrow::Cow<'a, str>, Value)>);

impl<'de> serde::Deserialize<'de> for Members<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::{MapAccess, Visitor};
        use std::borrow::Cow;
        /// A key, borrowed when the text holds it unescaped.
        #[derive(serde::Deserialize)]
        struct Key<'a>(#[serde(borrow)] Cow<'a, str>);
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Members<'de>, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
                    out.push((k, map.next_value::<Value>()?));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(MembersVisitor)
    }
}

impl<'a> Props<'a> {
    /// Parses a feature's properties text (checked to be an object when read).
    fn parse(source: &'a LayerSource, json: Option<&'a RawValue>) -> Self {
        Props {
            source,
            props: json
                .and_then(|raw| serde_json::from_str::<Members<'a>>(raw.get()).ok())
                .map(|m| m.0),
        }
    }
    /// A member's value, null as absent; of a name given twice, the last
    /// (as a parsed map keeps it).
    fn raw(&self, canonical: &str) -> Option<&Value> {
        let field = self.source.field(canonical);
        self.props
            .as_ref()?
            .iter()
            .rev()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }
    fn text(&self, canonical: &str) -> Option<String> {
        value_text(self.raw(canonical)?)
    }
    /// A number; Err(text) when present but not a number.
    fn number(&self, canonical: &str) -> std::result::Result<Option<f64>, String> {
        match self.raw(canonical) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|v| v.is_finite())
                .map(Some)
                .ok_or_else(|| n.to_string()),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => {
                let t = s.trim().trim_end_matches('m').trim().replace(',', ".");
                t.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .map(Some)
                    .ok_or_else(|| s.clone())
            }
            Some(other) => Err(other.to_string()),
        }
    }
    /// A boolean (true/false, yes/no, ja/nee, j/n, 1/0); Err(text) when unreadable.
    fn boolean(&self, canonical: &str) -> std::result::Result<Option<bool>, String> {
        match self.raw(canonical) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(0.0) => Ok(Some(false)),
                Some(1.0) => Ok(Some(true)),
                _ => Err(n.to_string()),
            },
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "" => Ok(None),
                "true" | "yes" | "ja" | "j" | "y" | "1" | "waar" => Ok(Some(true)),
                "false" | "no" | "nee" | "n" | "0" | "onwaar" => Ok(Some(false)),
                _ => Err(s.clone()),
            },
            Some(other) => Err(other.to_string()),
        }
    }
}

/// Parses a building use: the canonical names, BAG gebruiksdoelen (several,
/// comma-separated, give `mixed` when they differ) and a few common synonyms.
pub fn parse_use(text: &str) -> Option<BuildingUse> {
    let mut found: Vec<BuildingUse> = Vec::new();
    for part in text.split([',', ';', '|']) {
        let t = part.trim().to_ascii_lowercase();
        if t.is_empty() {
            continue;
        }
        let u = BuildingUse::parse(&t).or(match t.as_str() {
            "woonfunctie" | "wonen" | "housing" | "apartments" | "house" => {
                Some(BuildingUse::Residential)
            }
            "winkelfunctie" | "winkel" | "shop" | "commercial" => Some(BuildingUse::Retail),
            "kantoorfunctie" | "kantoor" => Some(BuildingUse::Office),
            "logiesfunctie" | "hotel" | "hospitality" => Some(BuildingUse::Horeca),
            "bijeenkomstfunctie" | "cultuur" => Some(BuildingUse::Culture),
            "onderwijsfunctie" | "onderwijs" | "school" => Some(BuildingUse::Education),
            "gezondheidszorgfunctie" | "zorg" => Some(BuildingUse::Healthcare),
            "industriefunctie" | "industrie" | "industrial" => Some(BuildingUse::Industry),
            "sportfunctie" | "celfunctie" | "overige gebruiksfunctie" | "overig" => {
                Some(BuildingUse::Other)
            }
            "gemengd" => Some(BuildingUse::Mixed),
            _ => None,
        })?;
        if !found.contains(&u) {
            found.push(u);
        }
    }
    match found.len() {
        0 => None,
        1 => Some(found[0]),
        _ => Some(BuildingUse::Mixed),
    }
}

/// Parses "HH:MM" (or "H") into minutes after midnight; times before 06:00 count as after midnight (+24 h).
pub fn parse_closing(text: &str) -> Option<u32> {
    let t = text.trim();
    let (h, m) = match t.split_once(':') {
        Some((h, m)) => (h.trim().parse::<u32>().ok()?, m.trim().parse::<u32>().ok()?),
        None => (t.parse::<u32>().ok()?, 0),
    };
    if h > 30 || m > 59 {
        return None;
    }
    let minutes = h * 60 + m;
    Some(if h < 6 { minutes + 24 * 60 } else { minutes })
}

struct LayerCx<'a> {
    layer: &'a RawLayer,
    diagnostics: Vec<Diagnostic>,
}

impl LayerCx<'_> {
    fn diag(
        &mut self,
        severity: Severity,
        index: usize,
        id: Option<&str>,
        code: &'static str,
        message: String,
    ) {
        self.diagnostics.push(Diagnostic {
            severity,
            layer: self.layer.name.clone(),
            file: Some(self.layer.path.display().to_string()),
            feature: Some(FeatureRef {
                index,
                id: id.map(str::to_string),
            }),
            code,
            message,
        });
    }
}

/// A property value as text: trimmed strings (blank is none), numbers and
/// booleans as written; none for other values.
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The feature's stable id: the mapped `id` property, else the Feature `id`, else `<layer>/<index>`.
fn feature_id(
    f: &SourceFeature,
    source: &LayerSource,
    layer: &str,
    index: usize,
) -> (String, bool) {
    if let Some(id) = f
        .properties_json
        .as_deref()
        .and_then(|raw| property_of(raw, source.field("id")))
        .and_then(|v| value_text(&v))
    {
        return (id, true);
    }
    match &f.id {
        Some(geojson::feature::Id::String(s)) if !s.is_empty() => (s.clone(), true),
        Some(geojson::feature::Id::Number(n)) => (n.to_string(), true),
        _ => (format!("{layer}/{index}"), false),
    }
}

/// One property of a properties object, read without parsing the others
/// (the last one of that name, as a parsed map keeps it).
fn property_of(raw: &RawValue, key: &str) -> Option<Value> {
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
    struct One<'k>(&'k str);
    impl<'de> Visitor<'de> for One<'_> {
        type Value = Option<Value>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if k == self.0 {
                    found = Some(map.next_value::<Value>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    impl<'de> DeserializeSeed<'de> for One<'_> {
        type Value = Option<Value>;
        fn deserialize<D: serde::Deserializer<'de>>(
            self,
            d: D,
        ) -> std::result::Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }
    let mut de = serde_json::Deserializer::from_str(raw.get());
    One(key).deserialize(&mut de).ok().flatten()
}

/// A converted feature with its id; its properties are parsed with
/// [`Item::props`] where the feature is built.
struct Item<'a> {
    index: usize,
    id: String,
    geometry: Geometry<f64>,
    source: &'a LayerSource,
    json: Option<&'a RawValue>,
}

impl<'a> Item<'a> {
    /// The feature's properties, parsed (keep the result while building the feature).
    fn props(&self) -> Props<'a> {
        Props::parse(self.source, self.json)
    }
}

/// Validates and reprojects all features of a layer; bad features become
/// diagnostics. Geometries are reprojected in parallel; ids and diagnostics are
/// then taken in feature order.
fn convert_layer<'a>(
    raw: &'a RawLayer,
    source: &'a LayerSource,
    t: &Interpolating,
    cx: &mut LayerCx<'a>,
) -> Result<Vec<Item<'a>>> {
    use rayon::prelude::*;
    // Each feature's id (read from its properties) and its geometry in the
    // working CRS, in parallel: both were most of a large layer's serial time.
    let prepared: Vec<(_, Option<Result<Geometry<f64>>>)> = raw
        .features
        .par_iter()
        .enumerate()
        .map(|(index, f)| {
            let geometry = match &f.geometry {
                SourceGeometry::Ok { geometry, .. } => Some(t.convert_geometry(geometry)),
                _ => None,
            };
            (feature_id(f, source, &raw.name, index), geometry)
        })
        .collect();
    // Positions the file's CRS cannot hold: when they are most of the layer,
    // the whole file is misread (stop); a few are features of their own with
    // swapped or foreign coordinates (each left out, named).
    let misread = |f: &SourceFeature| matches!(&f.geometry, SourceGeometry::BadPosition(p) if is_crs_problem(p));
    let with_geometry = raw
        .features
        .iter()
        .filter(|f| !matches!(f.geometry, SourceGeometry::Missing))
        .count();
    let wrong_crs = raw.features.iter().filter(|f| misread(f)).count();
    let file_misread = wrong_crs * 2 > with_geometry;
    let mut items = Vec::with_capacity(raw.features.len());
    for (index, (f, ((id, has_id), geometry))) in raw.features.iter().zip(prepared).enumerate() {
        if !has_id {
            cx.diag(
                Severity::Warning,
                index,
                None,
                "missing_id",
                format!("heeft geen id; gebruikt \"{id}\""),
            );
        }
        let geometry = match (&f.geometry, geometry) {
            (SourceGeometry::Missing, _) => {
                cx.diag(
                    Severity::Error,
                    index,
                    Some(&id),
                    "empty_geometry",
                    "heeft geen geometrie; overgeslagen".into(),
                );
                continue;
            }
            (SourceGeometry::BadPosition(problem), _) => {
                if file_misread && is_crs_problem(problem) {
                    return Err(Error::Feature {
                        path: raw.path.clone(),
                        feature: FeatureRef {
                            index,
                            id: Some(id),
                        },
                        message: format!(
                            "{problem} ({wrong_crs} van de {with_geometry} features liggen zo)"
                        ),
                    });
                }
                cx.diag(
                    Severity::Error,
                    index,
                    Some(&id),
                    "invalid_position",
                    format!("{problem}; overgeslagen"),
                );
                continue;
            }
            (SourceGeometry::Ok { unclosed, .. }, geometry) => {
                if *unclosed {
                    unclosed_ring(cx, index, &id);
                }
                match geometry {
                    Some(Ok(g)) => g,
                    Some(Err(e)) => {
                        cx.diag(
                            Severity::Error,
                            index,
                            Some(&id),
                            "reprojection",
                            format!("kan niet omrekenen: {e}; overgeslagen"),
                        );
                        continue;
                    }
                    None => continue,
                }
            }
        };
        items.push(Item {
            index,
            id,
            geometry,
            source,
            json: f.properties_json.as_deref(),
        });
    }
    Ok(without_duplicate_ids(items, cx))
}

/// `items` (in file order) without the features whose id an earlier one has:
/// each is a diagnostic naming the first, and is left out (an id is unique
/// within a layer). The ids are sorted in parallel rather than looked up one
/// by one in a map: the map was a large layer's longest serial step.
fn without_duplicate_ids<'a>(items: Vec<Item<'a>>, cx: &mut LayerCx<'_>) -> Vec<Item<'a>> {
    use rayon::prelude::*;
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Equal ids in file order, so the first of a run is the one kept.
    order.par_sort_unstable_by(|&a, &b| items[a].id.cmp(&items[b].id).then(a.cmp(&b)));
    let mut duplicate_of: Vec<(usize, usize)> = order
        .windows(2)
        .scan(None::<usize>, |first, w| {
            let same = items[w[0]].id == items[w[1]].id;
            *first = same.then(|| first.unwrap_or(w[0]));
            Some(first.map(|f| (w[1], f)))
        })
        .flatten()
        .collect();
    if duplicate_of.is_empty() {
        return items;
    }
    duplicate_of.sort_unstable();
    for &(later, first) in &duplicate_of {
        let (item, first) = (&items[later], items[first].index);
        cx.diag(
            Severity::Error,
            item.index,
            Some(&item.id),
            "duplicate_id",
            format!("heeft dezelfde id als feature {first}; overgeslagen (een id is uniek binnen een laag)"),
        );
    }
    let mut drop = duplicate_of.iter().map(|d| d.0).peekable();
    items
        .into_iter()
        .enumerate()
        .filter(|(position, _)| drop.next_if_eq(position).is_none())
        .map(|(_, item)| item)
        .collect()
}

/// The conversion from `source` into the working CRS for positions within
/// `extent` (`positions` of them), interpolated on a checked lattice (see
/// [`Interpolating`]) to within 1 µm (1e-11°, about 1 µm, should the working
/// CRS be geographic): exact conversion of every vertex of
/// OpenStreetMap data (WGS84) was most of a real map's load.
fn interpolating(
    source: Crs,
    working: Crs,
    extent: Extent,
    positions: usize,
) -> Result<Interpolating> {
    let exact = Transformer::new(source, working)?;
    let extent = if positions > 0 { extent.bounds() } else { None };
    // `load` checks that the working CRS is in metres; `load_text` is given any.
    let tolerance = if working.is_geographic() { 1e-11 } else { 1e-6 };
    Ok(Interpolating::new(exact, extent, tolerance, positions / 8))
}

/// The extent of a layer's valid geometries in its file's CRS, and how many
/// positions they have.
fn source_extent(raw: &RawLayer) -> (Extent, usize) {
    use geo::{BoundingRect, CoordsIter};
    use rayon::prelude::*;
    raw.features
        .par_iter()
        .filter_map(|f| match &f.geometry {
            SourceGeometry::Ok { geometry, .. } => geometry.bounding_rect().map(|r| {
                let mut e = Extent::EMPTY;
                e.add_rect(&r);
                (e, geometry.coords_count())
            }),
            _ => None,
        })
        .reduce(|| (Extent::EMPTY, 0), |(a, n), (b, m)| (a.merge(b), n + m))
}

fn unclosed_ring(cx: &mut LayerCx, index: usize, id: &str) {
    // geo closes rings on construction; hand-made files leave them open.
    cx.diag(
        Severity::Warning,
        index,
        Some(id),
        "unclosed_ring",
        "heeft een polygoonring waarvan de laatste positie verschilt van de eerste; gesloten"
            .into(),
    );
}

/// Polygonal parts of a geometry, or None when it has none.
fn areal(g: &Geometry<f64>) -> Option<MultiPolygon<f64>> {
    match g {
        Geometry::Polygon(p) => Some(MultiPolygon(vec![p.clone()])),
        Geometry::MultiPolygon(mp) => Some(mp.clone()),
        _ => None,
    }
}

/// A representative point: the point itself, or a point inside a polygon.
fn point_of(g: &Geometry<f64>) -> Option<Point<f64>> {
    use geo::InteriorPoint;
    match g {
        Geometry::Point(p) => Some(*p),
        Geometry::MultiPoint(mp) if !mp.0.is_empty() => mp.centroid(),
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) => g.interior_point(),
        _ => None,
    }
}

fn geometry_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::LineString(_) => "LineString",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        _ => "andere geometrie",
    }
}

/// Checks a polygon layer's geometry; returns the footprint or records why not.
fn polygon_feature(cx: &mut LayerCx, item: &Item) -> Option<MultiPolygon<f64>> {
    polygon_checked(cx, item, areal(&item.geometry))
}

/// [`polygon_feature`] taking the polygon out of `item` instead of copying it
/// (the item keeps an empty geometry collection; anything else stays).
fn polygon_feature_taken(cx: &mut LayerCx, item: &mut Item) -> Option<MultiPolygon<f64>> {
    let empty = Geometry::GeometryCollection(geo::GeometryCollection(Vec::new()));
    let mp = match std::mem::replace(&mut item.geometry, empty) {
        Geometry::Polygon(p) => Some(MultiPolygon(vec![p])),
        Geometry::MultiPolygon(mp) => Some(mp),
        other => {
            item.geometry = other;
            None
        }
    };
    polygon_checked(cx, item, mp)
}

/// A polygon feature's footprint checked and, where invalid, repaired; `None`
/// (with a diagnostic) when it is not areal or nothing is left.
fn polygon_checked(
    cx: &mut LayerCx,
    item: &Item,
    areal: Option<MultiPolygon<f64>>,
) -> Option<MultiPolygon<f64>> {
    let Some(mut mp) = areal else {
        cx.diag(
            Severity::Error,
            item.index,
            Some(&item.id),
            "wrong_geometry_type",
            format!(
                "is een {}, verwacht Polygon of MultiPolygon; overgeslagen",
                geometry_name(&item.geometry)
            ),
        );
        return None;
    };
    mp.0.retain(|p| p.exterior().0.len() >= 4);
    // Never measured raw: an invalid polygon is repaired (a bow-tie's shoelace
    // area is 0, a hole outside its shell would be subtracted) or skipped.
    if !mp.0.is_empty()
        && let Some(first) = crate::io::validity::first_problem(&mp)
    {
        let raw = mp.unsigned_area();
        let repaired = crate::io::validity::try_make_valid(&mp);
        let failed = repaired.is_none();
        mp = repaired.unwrap_or_else(|| MultiPolygon::new(Vec::new()));
        let (severity, outcome) = if failed {
            (
                Severity::Error,
                "herstel mislukt (de polygoonbewerking gaf het op bij deze ringen); overgeslagen"
                    .to_string(),
            )
        } else if mp.0.is_empty() || mp.unsigned_area() <= 0.0 {
            (
                Severity::Error,
                "na herstel blijft niets over; overgeslagen".to_string(),
            )
        } else {
            (
                Severity::Warning,
                format!(
                    "hersteld zoals GEOS make_valid doet: {} m² (zoals getekend {} m²)",
                    crate::labels::nl_number(mp.unsigned_area(), 1),
                    crate::labels::nl_number(raw, 1)
                ),
            )
        };
        cx.diag(
            severity,
            item.index,
            Some(&item.id),
            "invalid_geometry",
            format!("ongeldige polygoon ({first}); {outcome}"),
        );
        if severity == Severity::Error {
            return None;
        }
    }
    if mp.0.is_empty() || mp.unsigned_area() <= 0.0 {
        cx.diag(
            Severity::Error,
            item.index,
            Some(&item.id),
            "empty_geometry",
            "heeft een lege polygoon of een polygoon zonder oppervlak; overgeslagen".into(),
        );
        return None;
    }
    Some(mp)
}

fn point_feature(cx: &mut LayerCx, item: &Item) -> Option<Point<f64>> {
    let p = point_of(&item.geometry);
    if p.is_none() {
        cx.diag(
            Severity::Error,
            item.index,
            Some(&item.id),
            "wrong_geometry_type",
            format!(
                "is een {}, verwacht een Point (of Polygon); overgeslagen",
                geometry_name(&item.geometry)
            ),
        );
    }
    p
}

/// A floor count, height, floor area or year read by [`crate::io::number::read`];
/// what was not a plain value in range is a warning naming the property as
/// written in the file: `bad_value` when ignored, `number_read_as` when used
/// adjusted (`2.5` floors read as 2).
fn quantity(cx: &mut LayerCx, item: &Item, p: &Props, field: &str, q: Quantity) -> Option<f64> {
    let text = match p.raw(field)? {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let reading = number::read(q, &text);
    if let Some(note) = &reading.note {
        cx.diag(
            Severity::Warning,
            item.index,
            Some(&item.id),
            if reading.value.is_none() {
                "bad_value"
            } else {
                "number_read_as"
            },
            format!(
                "eigenschap \"{}\" = {text}: {note}",
                item.source.field(field)
            ),
        );
    }
    reading.value
}

fn bad_value(cx: &mut LayerCx, item: &Item, field: &str, text: &str, what: &str) {
    cx.diag(
        Severity::Warning,
        item.index,
        Some(&item.id),
        "bad_value",
        format!(
            "eigenschap \"{}\" = {text} is geen {what}; genegeerd",
            item.source.field(field)
        ),
    );
}

/// The buildings, built in parallel chunks (footprint validation is the
/// costly part), in item order; diagnostics in item order too. Their
/// footprints and ids are moved out of `items` (at 1M buildings a copy of
/// each was 0.15 GB more at the load's peak).
fn load_buildings(cx: &mut LayerCx, items: &mut [Item]) -> Vec<Building> {
    use rayon::prelude::*;
    let layer = cx.layer;
    let parts: Vec<(Vec<Building>, Vec<Diagnostic>)> = items
        .par_chunks_mut(1024)
        .map(|chunk| {
            let mut cx = LayerCx {
                layer,
                diagnostics: Vec::new(),
            };
            let buildings = load_buildings_chunk(&mut cx, chunk);
            (buildings, cx.diagnostics)
        })
        .collect();
    let mut out = Vec::with_capacity(items.len());
    for (buildings, mut diagnostics) in parts {
        out.extend(buildings);
        cx.diagnostics.append(&mut diagnostics);
    }
    out
}

fn load_buildings_chunk(cx: &mut LayerCx, items: &mut [Item]) -> Vec<Building> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(footprint) = polygon_feature_taken(cx, item) else {
            continue;
        };
        let p = &item.props();
        let usage = match p.text("use") {
            Some(t) => parse_use(&t).unwrap_or_else(|| {
                bad_value(
                    cx,
                    item,
                    "use",
                    &t,
                    "bekend gebouwgebruik (residential, retail, ... of een BAG-gebruiksdoel)",
                );
                BuildingUse::Other
            }),
            None => {
                cx.diag(
                    Severity::Warning,
                    item.index,
                    Some(&item.id),
                    "missing_value",
                    "heeft geen gebruik; als overig genomen".into(),
                );
                BuildingUse::Other
            }
        };
        let ground_floor_use = p.text("ground_floor_use").and_then(|t| {
            let u = parse_use(&t);
            if u.is_none() {
                bad_value(cx, item, "ground_floor_use", &t, "bekend gebouwgebruik");
            }
            u
        });
        // Floors, height, floor area and year by the one rule shared with
        // `import osm` (crate::io::number): what is not a plain value in range
        // is reported; an impossible value is ignored, never silently replaced
        // (the default then applies, flagged estimated).
        let floors_given = quantity(cx, item, p, "floors", Quantity::Floors);
        let height = quantity(cx, item, p, "height_m", Quantity::HeightM);
        let floors = match (floors_given, height) {
            (Some(f), _) => Valued {
                value: f as u32,
                estimated: false,
            },
            (None, Some(h)) => Valued {
                value: ((h / STOREY_HEIGHT_M).floor() as u32).max(1),
                estimated: true,
            },
            (None, None) => Valued {
                value: default_floors(p.text("building").as_deref()),
                estimated: true,
            },
        };
        let floor_area_m2 = match quantity(cx, item, p, "floor_area_m2", Quantity::AreaM2) {
            Some(a) => Valued {
                value: a,
                estimated: false,
            },
            None => Valued {
                value: footprint.unsigned_area() * floors.value as f64,
                estimated: true,
            },
        };
        let mut flag = |field: &str| match p.boolean(field) {
            Ok(v) => v,
            Err(t) => {
                bad_value(cx, item, field, &t, "yes/no");
                None
            }
        };
        let vacant_flag = flag("vacant").unwrap_or(false);
        let monument = flag("monument").unwrap_or(false);
        let lift = flag("lift");
        let year = quantity(cx, item, p, "year", Quantity::Year).map(|y| y as i32);
        let building_type = p.text("building");
        let non_dwelling = match p.boolean("non_dwelling") {
            Ok(Some(v)) => v,
            Ok(None) => building_type
                .as_deref()
                .is_some_and(crate::io::osm::tags::is_non_dwelling_type),
            Err(t) => {
                bad_value(cx, item, "non_dwelling", &t, "yes/no");
                false
            }
        };
        let landmark = match p.raw("landmark") {
            Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) => Some("landmark".to_string()),
            _ => p
                .text("landmark")
                .filter(|t| {
                    !matches!(
                        t.to_ascii_lowercase().as_str(),
                        "no" | "false" | "nee" | "0"
                    )
                })
                .map(|t| match t.to_ascii_lowercase().as_str() {
                    "yes" | "true" | "ja" | "1" => "landmark".to_string(),
                    _ => t,
                })
                .or_else(|| {
                    building_type
                        .as_deref()
                        .and_then(crate::io::osm::tags::building_type_landmark)
                        .map(str::to_string)
                }),
        };
        let mut count = |field: &str| match p.number(field) {
            Ok(v) => v.filter(|n| *n >= 0.0 && *n < 1e6).map(|n| n as u32),
            Err(t) => {
                bad_value(cx, item, field, &t, "aantal");
                None
            }
        };
        let units_total = count("units").unwrap_or(0);
        let units_vacant = count("units_vacant").unwrap_or(0).min(units_total);
        let dwellings = match count("dwellings") {
            Some(n) if !non_dwelling => Valued {
                value: n,
                estimated: false,
            },
            // Estimated from the floor area once the scenario's unit size is known (see `load`).
            _ => Valued {
                value: 0,
                estimated: !non_dwelling,
            },
        };
        let vacant = vacant_flag || (units_total > 0 && units_vacant >= units_total);
        // A vacant unit's share of the floor area: every unit an equal part.
        let vacant_m2 = if vacant {
            floor_area_m2.value
        } else if units_vacant > 0 {
            floor_area_m2.value * f64::from(units_vacant) / f64::from(units_total.max(1))
        } else {
            0.0
        };
        let id = match bag_pand_id(&item.id) {
            std::borrow::Cow::Owned(id) => id,
            std::borrow::Cow::Borrowed(_) => std::mem::take(&mut item.id),
        };
        out.push(Building {
            id,
            footprint,
            usage,
            ground_floor_use,
            floors,
            floor_area_m2,
            floor_area_usable: !floor_area_m2.estimated
                && p.text("floor_area_source").as_deref() == Some("bag_oppervlakte"),
            vacant,
            monument,
            lift,
            year,
            name: p.text("name"),
            building_type,
            non_dwelling,
            landmark,
            units: Units {
                total: units_total,
                vacant: units_vacant,
                vacant_m2,
            },
            dwellings,
        });
    }
    out
}

fn load_horeca(cx: &mut LayerCx, items: &[Item]) -> Vec<Horeca> {
    let mut out = Vec::new();
    for item in items {
        let Some(point) = point_feature(cx, item) else {
            continue;
        };
        let p = &item.props();
        let kind = p.text("kind").map(|k| k.to_ascii_lowercase());
        let category = match p.number("category") {
            Ok(Some(n)) if n.fract() == 0.0 && (1.0..=3.0).contains(&n) => {
                HorecaCategory::from_number(n as i64)
            }
            Ok(Some(n)) => {
                bad_value(
                    cx,
                    item,
                    "category",
                    &n.to_string(),
                    "horecacategorie 1, 2 of 3",
                );
                None
            }
            Ok(None) => None,
            Err(t) => {
                bad_value(cx, item, "category", &t, "horecacategorie 1, 2 of 3");
                None
            }
        };
        let category = match category
            .or_else(|| kind.as_deref().and_then(HorecaCategory::from_kind))
        {
            Some(c) => c,
            None => {
                cx.diag(
                        Severity::Warning,
                        item.index,
                        Some(&item.id),
                        "missing_value",
                        format!(
                            "heeft geen categorie en de soort ({}) geeft er geen; als categorie 2 genomen",
                            kind.as_deref().unwrap_or("ontbreekt")
                        ),
                    );
                HorecaCategory::Medium
            }
        };
        let mut closing_minutes = p.text("closing_time").and_then(|t| {
            let c = parse_closing(&t);
            if c.is_none() {
                bad_value(cx, item, "closing_time", &t, "tijd UU:MM");
            }
            c
        });
        if let (Some(c), Ok(Some(true))) = (closing_minutes, p.boolean("closes_after_midnight"))
            && c < 24 * 60
        {
            closing_minutes = Some(c + 24 * 60);
        }
        let terrace_seats = match p.number("terrace_seats") {
            Ok(Some(n)) if n >= 0.0 => Some(n as u32),
            Ok(_) => match p.boolean("outdoor_seating") {
                Ok(Some(true)) => Some(1),
                Ok(Some(false)) => Some(0),
                _ => None,
            },
            Err(t) => {
                bad_value(cx, item, "terrace_seats", &t, "aantal zitplaatsen");
                None
            }
        };
        out.push(Horeca {
            id: item.id.clone(),
            point,
            kind: kind.unwrap_or_else(|| "horeca".into()),
            category,
            name: p.text("name"),
            closing_minutes,
            terrace_seats,
        });
    }
    out
}

fn load_amenities(cx: &mut LayerCx, items: &[Item]) -> Vec<Amenity> {
    let mut out = Vec::new();
    for item in items {
        let Some(point) = point_feature(cx, item) else {
            continue;
        };
        let p = &item.props();
        let kind = match p.text("kind") {
            Some(k) => match crate::io::osm::tags::amenity_kind_text(&k) {
                Some(kind) => kind,
                None => {
                    cx.diag(
                        Severity::Warning,
                        item.index,
                        Some(&item.id),
                        "unknown_kind",
                        format!("soort \"{k}\" is geen voorzieningssoort die binnenstad kent; overgeslagen"),
                    );
                    continue;
                }
            },
            None => {
                cx.diag(
                    Severity::Error,
                    item.index,
                    Some(&item.id),
                    "missing_value",
                    "heeft geen soort; overgeslagen".into(),
                );
                continue;
            }
        };
        out.push(Amenity {
            id: item.id.clone(),
            point,
            kind,
            name: p.text("name"),
        });
    }
    out
}

fn load_streets(cx: &mut LayerCx, items: &[Item]) -> Vec<Street> {
    let mut out = Vec::new();
    // Rings of walkable areas (index in `out`), kept only when met.
    let mut rings: Vec<usize> = Vec::new();
    for item in items {
        // A walkable area (a square drawn as a polygon, or mapped as a
        // multipolygon and written so by `import osm`) is walked along its
        // rings, never across it (maps/README.md): each ring (the outline, a
        // fountain, a tree bed) where another line meets it.
        let (lines, ring_flags): (Vec<LineString<f64>>, Vec<bool>) = match &item.geometry {
            Geometry::LineString(l) => (vec![l.clone()], vec![false]),
            Geometry::MultiLineString(ml) => (ml.0.clone(), vec![false; ml.0.len()]),
            Geometry::Polygon(p) => rings_of(std::slice::from_ref(p)),
            Geometry::MultiPolygon(mp) => rings_of(&mp.0),
            other => {
                cx.diag(
                    Severity::Error,
                    item.index,
                    Some(&item.id),
                    "wrong_geometry_type",
                    format!(
                        "is een {}, verwacht LineString, MultiLineString of (een beloopbaar gebied) Polygon; overgeslagen",
                        geometry_name(other)
                    ),
                );
                continue;
            }
        };
        let p = &item.props();
        let foot = p.text("foot").map(|f| f.to_ascii_lowercase());
        if matches!(foot.as_deref(), Some("no" | "private")) {
            continue;
        }
        let grade = street_grade(cx, item, p);
        let parts = lines.len();
        for (k, (mut line, is_ring)) in lines.into_iter().zip(ring_flags).enumerate() {
            line.0.dedup();
            if line.0.len() < 2 {
                cx.diag(
                    Severity::Warning,
                    item.index,
                    Some(&item.id),
                    "empty_geometry",
                    "heeft een lijn met minder dan 2 verschillende punten; overgeslagen".into(),
                );
                continue;
            }
            out.push(Street {
                id: if parts == 1 {
                    item.id.clone()
                } else {
                    format!("{}#{}", item.id, k)
                },
                line,
                highway: p.text("highway"),
                name: p.text("name"),
                grade: grade.clone(),
            });
            if is_ring {
                rings.push(out.len() - 1);
            }
        }
    }
    drop_unjoined_rings(out, &rings)
}

/// Every ring of the polygons (exterior, then interiors), as lines, each
/// flagged as a ring (kept only where met, see [`drop_unjoined_rings`]).
fn rings_of(polygons: &[Polygon<f64>]) -> (Vec<LineString<f64>>, Vec<bool>) {
    polygons
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| (r.clone(), true))
        .unzip()
}

/// Leaves out the rings of walkable areas (`streets[i]` for `i` in `inner`)
/// that no other line meets, keeping the order of the rest: a ring meets
/// another line (a street, or another ring of an area) when a vertex of that
/// line lies within the default snap tolerance (0.5 m) of the ring; a ring
/// met only by rings counts when one of those is met by a street. An inner
/// ring nothing meets is the edge of an obstacle reached only across the open
/// square, which the network does not model; an outline nothing meets is a
/// square mapped apart from its streets. Kept, either would be an island that
/// catches the amenities and buildings nearest to it (a market stall ring on
/// Waterlooplein) and cuts them off. Near-linear: one R-tree over the rings.
pub fn drop_unjoined_rings(streets: Vec<Street>, inner: &[usize]) -> Vec<Street> {
    use geo::{BoundingRect, Distance, Euclidean};
    use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};
    if inner.is_empty() {
        return streets;
    }
    let tol = crate::scenario::NetworkSettings::default().snap_tolerance_m;
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = inner
        .iter()
        .filter_map(|&i| {
            let r = streets[i].line.bounding_rect()?;
            Some(GeomWithData::new(
                Rectangle::from_corners(
                    [r.min().x - tol, r.min().y - tol],
                    [r.max().x + tol, r.max().y + tol],
                ),
                i,
            ))
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    let is_ring: std::collections::HashSet<usize> = inner.iter().copied().collect();
    // joined[i]: ring i meets a street (not a ring); pairs: rings that meet.
    let mut joined = vec![false; streets.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (j, s) in streets.iter().enumerate() {
        for c in &s.line.0 {
            let p = [c.x, c.y];
            for hit in tree.locate_in_envelope_intersecting(&AABB::from_point(p)) {
                let i = hit.data;
                if i == j || Euclidean.distance(&Point::from(*c), &streets[i].line) > tol {
                    continue;
                }
                if is_ring.contains(&j) {
                    pairs.push((i, j));
                } else {
                    joined[i] = true;
                }
            }
        }
    }
    // A ring met only by rings that reach no street (areas drawn apart from
    // the streets, touching each other) is left out too.
    pairs.sort_unstable();
    pairs.dedup();
    let mut next: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    for &(i, j) in &pairs {
        next.entry(i).or_default().push(j);
        next.entry(j).or_default().push(i);
    }
    let mut queue: Vec<usize> = inner.iter().copied().filter(|&i| joined[i]).collect();
    while let Some(i) = queue.pop() {
        for &k in next.get(&i).map(Vec::as_slice).unwrap_or(&[]) {
            if !joined[k] {
                joined[k] = true;
                queue.push(k);
            }
        }
    }
    streets
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !is_ring.contains(i) || joined[*i])
        .map(|(_, s)| s)
        .collect()
}

/// A street's grade from `bridge`, `tunnel`, `layer` and `level`, read as the
/// importer writes them and as OSM means them: a flag is true for any value
/// but `no` / `false` / `0` (`bridge=viaduct` is a bridge); `layer` is an
/// integer (-5..5 in OSM; anything else is reported and read as 0); `level`
/// is kept as written, numbers normalised ([`Grade::level_from`]).
fn street_grade(cx: &mut LayerCx, item: &Item, p: &Props) -> Grade {
    let flag = |cx: &mut LayerCx, canonical: &str| match p.raw(canonical) {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "" | "no" | "false" | "0" | "nee"
        ),
        Some(other) => {
            bad_value(cx, item, canonical, &other.to_string(), "ja/nee-waarde");
            false
        }
    };
    let bridge = flag(cx, "bridge");
    let tunnel = flag(cx, "tunnel");
    let layer = match p.number("layer") {
        Ok(None) => 0,
        Ok(Some(v)) if v.fract() == 0.0 && v.abs() <= 100.0 => v as i32,
        Ok(Some(v)) => {
            bad_value(cx, item, "layer", &v.to_string(), "geheel laagnummer");
            0
        }
        Err(text) => {
            bad_value(cx, item, "layer", &text, "geheel laagnummer");
            0
        }
    };
    Grade {
        bridge,
        tunnel,
        layer,
        level: p.text("level").and_then(|t| Grade::level_from(&t)),
    }
}

fn load_retail_core(cx: &mut LayerCx, items: &[Item]) -> Vec<RetailCore> {
    items
        .iter()
        .filter_map(|item| {
            let area = polygon_feature(cx, item)?;
            Some(RetailCore {
                id: item.id.clone(),
                area,
                name: item.props().text("name"),
            })
        })
        .collect()
}

fn load_businesses(cx: &mut LayerCx, items: &[Item]) -> Vec<Business> {
    let mut out = Vec::new();
    for item in items {
        let Some(point) = point_feature(cx, item) else {
            continue;
        };
        let p = &item.props();
        let milieucategorie = p.text("milieucategorie").and_then(|t| {
            let m = Milieucategorie::parse(&t);
            if m.is_none() {
                bad_value(
                    cx,
                    item,
                    "milieucategorie",
                    &t,
                    "VNG-milieucategorie (1, 2, 3.1 ... 6)",
                );
            }
            m
        });
        let functiemenging =
            p.text("functiemenging")
                .and_then(|t| match t.trim().to_ascii_uppercase().as_str() {
                    "A" => Some(Functiemenging::A),
                    "B" => Some(Functiemenging::B),
                    "C" => Some(Functiemenging::C),
                    _ => {
                        bad_value(
                            cx,
                            item,
                            "functiemenging",
                            &t,
                            "functiemengingsklasse A, B of C",
                        );
                        None
                    }
                });
        out.push(Business {
            id: item.id.clone(),
            point,
            milieucategorie,
            functiemenging,
            activity: p.text("activity"),
            name: p.text("name"),
        });
    }
    out
}

fn load_plan_zones(cx: &mut LayerCx, items: &[Item]) -> Vec<PlanZone> {
    let mut out = Vec::new();
    for item in items {
        let Some(area) = polygon_feature(cx, item) else {
            continue;
        };
        let p = &item.props();
        let zone = match p.text("zone") {
            Some(z) => match ZoneCharacter::parse(&z) {
                Some(zone) => zone,
                None => {
                    bad_value(cx, item, "zone", &z, "rust, gemengd of reuring");
                    continue;
                }
            },
            None => {
                cx.diag(
                    Severity::Error,
                    item.index,
                    Some(&item.id),
                    "missing_value",
                    "heeft geen zone; overgeslagen".into(),
                );
                continue;
            }
        };
        out.push(PlanZone {
            id: item.id.clone(),
            area,
            zone,
            name: p.text("name"),
        });
    }
    out
}

/// Extent of a layer's features in WGS84, from their source coordinates.
fn extent_wgs84(raw: &RawLayer, extent: Extent) -> Result<Option<[f64; 4]>> {
    let Some([x0, y0, x1, y1]) = extent.bounds() else {
        return Ok(None);
    };
    if raw.crs == Crs::WGS84 {
        return Ok(Some([x0, y0, x1, y1]));
    }
    let t = Transformer::new(raw.crs, Crs::WGS84)?;
    let corners = [
        t.convert(x0, y0)?,
        t.convert(x1, y1)?,
        t.convert(x0, y1)?,
        t.convert(x1, y0)?,
    ];
    let w = corners.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
    let s = corners.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
    let e = corners
        .iter()
        .map(|c| c.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let n = corners
        .iter()
        .map(|c| c.1)
        .fold(f64::NEG_INFINITY, f64::max);
    Ok(Some([w, s, e, n]))
}

/// A building whose centre lies farther than this from the median centre of
/// all buildings (km) is not part of the bulk of the data: `crs = "auto"`
/// chooses the UTM zone, and checks its scale error, without it. A city
/// centre spans a few km; 50 km leaves room for any study area while a
/// swapped lat/lon (thousands of km off) or a stray feature stays out.
pub const FAR_FROM_BULK_KM: f64 = 50.0;

/// Where the bulk of the buildings lies (WGS84): the median of their centres
/// (per coordinate, so one far-off building cannot move it), the extent of
/// the buildings within [`FAR_FROM_BULK_KM`] of it, and the others, named.
struct Bulk {
    centre: (f64, f64),
    extent: Option<[f64; 4]>,
    far: Vec<Diagnostic>,
}

fn buildings_bulk(raw: &RawLayer) -> Result<Option<Bulk>> {
    use geo::{Distance, Haversine};
    let t = if raw.crs == Crs::WGS84 {
        None
    } else {
        Some(Transformer::new(raw.crs, Crs::WGS84)?)
    };
    // In parallel: at 1M buildings this pass took 0.7 s on one core.
    use rayon::prelude::*;
    let centres: Vec<(usize, f64, f64)> = raw
        .features
        .par_iter()
        .enumerate()
        .filter_map(|(i, f)| match &f.geometry {
            SourceGeometry::Ok { geometry, .. } => {
                let c = geometry.bounding_rect()?.center();
                let (x, y) = match &t {
                    Some(t) => t.convert(c.x, c.y).ok()?,
                    None => (c.x, c.y),
                };
                (x.is_finite() && y.is_finite()).then_some((i, x, y))
            }
            _ => None,
        })
        .collect();
    if centres.is_empty() {
        return Ok(None);
    }
    let median = |mut v: Vec<f64>| {
        let k = v.len() / 2;
        *v.select_nth_unstable_by(k, f64::total_cmp).1
    };
    let centre = (
        median(centres.iter().map(|c| c.1).collect()),
        median(centres.iter().map(|c| c.2).collect()),
    );
    let mid = Point::new(centre.0, centre.1);
    let mut extent: Option<[f64; 4]> = None;
    let mut far = Vec::new();
    for &(i, x, y) in &centres {
        let km = Haversine.distance(mid, Point::new(x, y)) / 1000.0;
        if km > FAR_FROM_BULK_KM {
            far.push(Diagnostic {
                severity: Severity::Warning,
                layer: raw.name.clone(),
                file: Some(raw.path.display().to_string()),
                feature: Some(FeatureRef {
                    index: i,
                    id: raw.features[i].id.as_ref().map(|id| match id {
                        geojson::feature::Id::String(s) => s.clone(),
                        geojson::feature::Id::Number(n) => n.to_string(),
                    }),
                }),
                code: "far_from_bulk",
                message: format!(
                    "ligt {km:.0} km van het midden (mediaan) van de gebouwen ({:.4}, {:.4}; lat/lon verwisseld?); weggelaten zolang crs = \"auto\" het werk-CRS kiest",
                    centre.0, centre.1
                ),
            });
            continue;
        }
        extent = Some(match extent {
            None => [x, y, x, y],
            Some([w, s, e, n]) => [w.min(x), s.min(y), e.max(x), n.max(y)],
        });
    }
    Ok(Some(Bulk {
        centre,
        extent,
        far,
    }))
}

/// Chooses the working CRS: the scenario's, or (`crs = "auto"`) the UTM zone
/// of the median centre of the buildings (see [`Bulk`]).
fn working_crs(
    scenario: &Scenario,
    buildings_extent: Option<[f64; 4]>,
    bulk: Option<&Bulk>,
) -> Result<Crs> {
    let crs = match &scenario.crs {
        CrsChoice::Epsg(text) => Crs::parse(text).map_err(|e| Error::Scenario {
            path: scenario.path.clone(),
            key: "crs".into(),
            message: e.to_string(),
        })?,
        CrsChoice::Auto => match bulk {
            Some(b) => Crs::utm_for(b.centre.0, b.centre.1),
            None => Crs::utm_for(0.0, 0.0),
        },
    };
    // The scale check covers the bulk: one building with its latitude and
    // longitude swapped must not make a right CRS look wrong. Far-off
    // buildings are named (with "auto" here, else when placed in the working CRS).
    let buildings_extent = match bulk {
        Some(b) => b.extent,
        None => buildings_extent,
    };
    if crs.is_geographic() {
        return Err(Error::Scenario {
            path: scenario.path.clone(),
            key: "crs".into(),
            message: format!(
                "{crs} is in graden; het werk-CRS moet in meters zijn (bijv. EPSG:28992, of \"auto\")"
            ),
        });
    }
    if let Some(extent) = buildings_extent {
        refuse_distorting_crs(scenario, crs, extent)?;
    }
    Ok(crs)
}

/// The most a working CRS may misstate lengths over the buildings' extent
/// ([`Crs::scale_error`]): 1%, so areas stay within about 2% and walking
/// distances within 1%. RD New in the Netherlands and a UTM zone (even the
/// neighbouring one) stay far below; web (pseudo-)Mercator is 60% off here.
pub const MAX_SCALE_ERROR: f64 = 0.01;

fn refuse_distorting_crs(scenario: &Scenario, crs: Crs, extent: [f64; 4]) -> Result<()> {
    // A CRS the extent cannot be converted into: the positions are refused
    // one by one later, naming the feature.
    let Ok(error) = crs.scale_error(extent) else {
        return Ok(());
    };
    if error <= MAX_SCALE_ERROR {
        return Ok(());
    }
    let [w, s, e, n] = extent;
    let (lon, lat) = ((w + e) / 2.0, (s + n) / 2.0);
    let instead = if (3.2..=7.3).contains(&lon) && (50.7..=53.7).contains(&lat) {
        "EPSG:28992 (RD New, het Nederlandse raster)".to_string()
    } else {
        format!(
            "{} (de UTM-zone van de kaart, zoals crs = \"auto\" kiest)",
            Crs::utm_for(lon, lat)
        )
    };
    let what = match crs.epsg() {
        3857 | 900913 | 3785 | 3395 | 54004 => " is een webkaart-Mercator: die",
        _ => "",
    };
    Err(Error::Scenario {
        path: scenario.path.clone(),
        key: "crs".into(),
        message: format!(
            "{crs}{what} geeft lengtes tot {}% verkeerd weer over de gebouwen \
             (lengtegraad {} tot {}, breedtegraad {} tot {}), zodat oppervlakken en loopafstanden \
             fout zouden zijn; het werk-CRS mag er hoogstens {}% naast zitten: gebruik {instead}",
            crate::labels::nl_number(error * 100.0, 2),
            crate::labels::nl_number(w, 4),
            crate::labels::nl_number(e, 4),
            crate::labels::nl_number(s, 4),
            crate::labels::nl_number(n, 4),
            crate::labels::nl_number(MAX_SCALE_ERROR * 100.0, 0)
        ),
    })
}

/// Loads, validates and reprojects every layer a scenario names.
pub fn load(scenario: &Scenario) -> Result<Loaded> {
    use rayon::prelude::*;
    // Every file is read and parsed in parallel; errors are reported in layer order.
    let read: Vec<Option<Result<RawLayer>>> = scenario
        .layers
        .par_iter()
        .map(|source| {
            source
                .path
                .is_file()
                .then(|| read_layer(&source.name, &source.path))
        })
        .collect();
    let mut raws: Vec<Option<RawLayer>> = Vec::new();
    for (source, read) in scenario.layers.iter().zip(read) {
        if let Some(raw) = read {
            raws.push(Some(raw?));
        } else if source.required || source.explicit {
            // Say which key to look at: the path the scenario set, or the
            // map folder (`area`) the default path lies in.
            let folder = source.path.parent().filter(|d| !d.as_os_str().is_empty());
            let hint = if source.explicit {
                format!("controleer [layers.{}] path in het scenario", source.name)
            } else if folder.is_some_and(|d| !d.is_dir()) {
                "de kaartmap bestaat niet: controleer area in het scenario".to_string()
            } else {
                format!("zet [layers.{}] path in het scenario", source.name)
            };
            return Err(Error::file(
                &source.path,
                format!("laag {} bestaat niet ({hint})", source.name),
            ));
        } else {
            raws.push(None);
        }
    }
    let source_extents: Vec<(Extent, usize)> = raws
        .iter()
        .map(|r| r.as_ref().map_or((Extent::EMPTY, 0), source_extent))
        .collect();
    let extents: Vec<Option<[f64; 4]>> = raws
        .iter()
        .zip(&source_extents)
        .map(|(r, (e, _))| r.as_ref().map_or(Ok(None), |r| extent_wgs84(r, *e)))
        .collect::<Result<_>>()?;
    let bulk = match &raws[0] {
        Some(raw) => buildings_bulk(raw)?,
        None => None,
    };
    let crs = working_crs(scenario, extents[0], bulk.as_ref())?;
    // With a fixed CRS the bulk only keeps one stray building out of the scale
    // check; it is named (and left out) once it lies in the working CRS.
    let bulk = bulk.filter(|_| matches!(scenario.crs, CrsChoice::Auto));
    // One conversion per source CRS, over the union of its layers' extents, so
    // a position two layers share (a building corner on a retail core's edge)
    // converts to the same point in both.
    let mut conversions: Vec<(Crs, Interpolating)> = Vec::new();
    let mut layers = Layers::default();
    let mut info = Vec::new();
    let mut diagnostics = bulk.map(|b| b.far).unwrap_or_default();
    let source_crs: Vec<Option<Crs>> = raws.iter().map(|r| r.as_ref().map(|r| r.crs)).collect();
    // Set by the buildings layer (the first): see `drop_far_outside`.
    let mut far_box: Option<crate::model::Extent> = None;
    for ((source, raw), extent) in scenario.layers.iter().zip(&mut raws).zip(extents) {
        let Some(raw) = raw else {
            info.push(LayerInfo {
                name: source.name.clone(),
                file: source.path.display().to_string(),
                present: false,
                features_in_file: 0,
                features_loaded: 0,
                crs: String::new(),
                extent_wgs84: None,
            });
            continue;
        };
        let k = match conversions.iter().position(|(c, _)| *c == raw.crs) {
            Some(k) => k,
            None => {
                let (extent, positions) = source_crs
                    .iter()
                    .zip(&source_extents)
                    .filter(|(c, _)| **c == Some(raw.crs))
                    .fold((Extent::EMPTY, 0), |(a, n), (_, (b, m))| {
                        (a.merge(*b), n + m)
                    });
                conversions.push((raw.crs, interpolating(raw.crs, crs, extent, positions)?));
                conversions.len() - 1
            }
        };
        let (loaded, mut found) = build_layer(
            raw,
            source,
            &conversions[k].1,
            &mut layers,
            Some(&mut far_box),
        )?;
        diagnostics.append(&mut found);
        // The layer is built: its parsed features go (freed by a worker while
        // the next layer is built), so two layers' parses are never held at once.
        let features_in_file = raw.features.len();
        let parsed = std::mem::take(&mut raw.features);
        rayon::spawn(move || drop(parsed));
        info.push(LayerInfo {
            name: source.name.clone(),
            file: source.path.display().to_string(),
            present: true,
            features_in_file,
            features_loaded: loaded,
            crs: raw.crs.to_string(),
            extent_wgs84: extent,
        });
    }
    // A building left out as far outside is named once, by that error.
    let dropped: Vec<usize> = diagnostics
        .iter()
        .filter(|d| d.code == "far_outside" && d.layer == "buildings")
        .filter_map(|d| d.feature.as_ref().map(|f| f.index))
        .collect();
    diagnostics.retain(|d| {
        d.code != "far_from_bulk"
            || !d
                .feature
                .as_ref()
                .is_some_and(|f| dropped.contains(&f.index))
    });
    if let Some(u) = scenario.unknown_use {
        let mut n: u64 = 0;
        for b in layers
            .buildings
            .iter_mut()
            .filter(|b| b.usage == BuildingUse::Other)
        {
            b.usage = u;
            n += 1;
        }
        if n > 0 {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                layer: "buildings".into(),
                file: Some(scenario.layers[0].path.display().to_string()),
                feature: None,
                code: "unknown_use",
                message: format!(
                    "{} zonder bekend gebruik als {} genomen (scenariosleutel model.unknown_use)",
                    crate::labels::aantal(n, "gebouw", "gebouwen"),
                    crate::labels::building_use(u)
                ),
            });
        }
    }
    apply_landmarks(&mut layers.buildings, scenario, &mut diagnostics);
    crate::model::estimate_dwellings(&mut layers.buildings, scenario.dwelling_m2);
    // Freeing the parsed files (millions of small allocations in a large city)
    // is left to a worker while the plan goes on.
    rayon::spawn(move || drop(raws));
    if layers.buildings.is_empty() {
        let path = &scenario.layers[0].path;
        return Err(Error::file(
            path,
            "bevat geen bruikbaar gebouw (zie de gegevensproblemen hierboven)",
        ))
        .map_err(|e| attach(e, &diagnostics));
    }
    Ok(Loaded {
        layers,
        working_crs: crs,
        info,
        diagnostics,
    })
}

/// Applies the scenario's `model.landmarks_add` / `landmarks_remove` /
/// `landmark_kinds_remove`; an id that names no building is a warning.
fn apply_landmarks(
    buildings: &mut [Building],
    scenario: &Scenario,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let l = &scenario.landmarks;
    if l.add.is_empty() && l.remove.is_empty() && l.remove_kinds.is_empty() {
        return;
    }
    for b in buildings.iter_mut() {
        if l.add.contains(&b.id) {
            b.landmark.get_or_insert_with(|| "scenario".to_string());
        }
        if l.remove.contains(&b.id)
            || b.landmark
                .as_ref()
                .is_some_and(|k| l.remove_kinds.contains(k))
        {
            b.landmark = None;
        }
    }
    for (key, ids) in [
        ("model.landmarks_add", &l.add),
        ("model.landmarks_remove", &l.remove),
    ] {
        for id in ids
            .iter()
            .filter(|id| !buildings.iter().any(|b| &b.id == *id))
        {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                layer: "buildings".into(),
                file: Some(scenario.path.display().to_string()),
                feature: None,
                code: "unknown_id",
                message: format!("{key}: geen gebouw met id \"{id}\""),
            });
        }
    }
}

/// Builds the typed features of one parsed layer (named by `source.name`) into
/// `layers`. Returns how many features were loaded and the layer's
/// diagnostics, sorted by feature index.
/// The centre of an item's bounding box (None when it has none or it is not finite).
fn item_centre(item: &Item<'_>) -> Option<Point<f64>> {
    use geo::BoundingRect;
    let c = item.geometry.bounding_rect()?.center();
    (c.x.is_finite() && c.y.is_finite()).then_some(Point(c))
}

/// Leaves out the items whose centre lies outside `bulk` (the padded box of
/// the middle 98% of the buildings, [`crate::rules::zoning::bulk_box`]): a
/// building or point thousands of kilometres from the rest has its latitude
/// and longitude swapped or another CRS. Each is an error naming the
/// feature; the rest of the layer loads. Without this one such building got
/// a zone, walking distances and a verdict as if it were in the study area.
fn drop_far_outside<'a>(
    items: Vec<Item<'a>>,
    bulk: crate::model::Extent,
    cx: &mut LayerCx<'_>,
) -> Vec<Item<'a>> {
    let inside = |p: Point<f64>| {
        p.x() >= bulk.min[0] && p.x() <= bulk.max[0] && p.y() >= bulk.min[1] && p.y() <= bulk.max[1]
    };
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        match item_centre(&item) {
            Some(p) if !inside(p) => cx.diag(
                Severity::Error,
                item.index,
                Some(&item.id),
                "far_outside",
                format!(
                    "ligt ver buiten het plangebied (op {}, {} in het werk-CRS, meer dan {} m buiten \
                     de kern van de gebouwen): verkeerd CRS of lengte- en breedtegraad verwisseld? \
                     Overgeslagen",
                    crate::labels::nl_number(p.x(), 0),
                    crate::labels::nl_number(p.y(), 0),
                    crate::labels::nl_number(crate::rules::zoning::FAR_OUTSIDE_M, 0)
                ),
            ),
            _ => kept.push(item),
        }
    }
    kept
}

/// Builds one layer's typed features into `layers`. `bulk`: with `Some`, the
/// buildings layer sets it (see [`drop_far_outside`]) and the buildings,
/// horeca, amenities and businesses outside it are left out; `None` keeps all.
fn build_layer(
    raw: &RawLayer,
    source: &LayerSource,
    t: &Interpolating,
    layers: &mut Layers,
    bulk: Option<&mut Option<crate::model::Extent>>,
) -> Result<(usize, Vec<Diagnostic>)> {
    let mut cx = LayerCx {
        layer: raw,
        diagnostics: Vec::new(),
    };
    let mut items = convert_layer(raw, source, t, &mut cx)?;
    if let Some(bulk) = bulk {
        if source.name == "buildings" {
            *bulk = crate::rules::zoning::bulk_box(items.iter().filter_map(item_centre));
        }
        if matches!(
            source.name.as_str(),
            "buildings" | "horeca" | "amenities" | "businesses"
        ) && let Some(b) = *bulk
        {
            items = drop_far_outside(items, b, &mut cx);
        }
    }
    let loaded = match source.name.as_str() {
        "buildings" => {
            layers.buildings = load_buildings(&mut cx, &mut items);
            layers.buildings.len()
        }
        "horeca" => {
            layers.horeca = load_horeca(&mut cx, &items);
            layers.horeca.len()
        }
        "amenities" => {
            layers.amenities = load_amenities(&mut cx, &items);
            layers.amenities.len()
        }
        "streets" => {
            layers.streets = load_streets(&mut cx, &items);
            layers.streets.len()
        }
        "retail_core" => {
            layers.retail_core = load_retail_core(&mut cx, &items);
            layers.retail_core.len()
        }
        "businesses" => {
            layers.businesses = load_businesses(&mut cx, &items);
            layers.businesses.len()
        }
        "plan_zones" => {
            layers.plan_zones = load_plan_zones(&mut cx, &items);
            layers.plan_zones.len()
        }
        "study_area" => {
            // The same shape as a kernwinkelgebied polygon: id, area, name.
            layers.study_area = load_retail_core(&mut cx, &items);
            layers.study_area.len()
        }
        other => {
            return Err(Error::Usage(format!(
                "onbekende laag {other}: verwacht een van {}",
                LAYER_NAMES.join(", ")
            )));
        }
    };
    cx.diagnostics
        .sort_by_key(|d| d.feature.as_ref().map(|f| f.index));
    Ok((loaded, cx.diagnostics))
}

/// Loads one layer from GeoJSON text as [`load`] does for each file, without
/// touching the file system: parses, validates every position, reprojects into
/// `working` and builds the typed features. `source.path` only names the layer
/// in messages; `source.fields` maps property names.
///
/// Returns how many features were loaded and the diagnostics for the rest.
///
/// # Errors
/// [`Error::File`] / [`Error::Feature`] for a broken file, [`Error::Crs`] when
/// the declared CRS cannot be reprojected into `working`, [`Error::Usage`] for a
/// layer name not in [`LAYER_NAMES`].
pub fn load_text(
    layer: &str,
    text: &str,
    working: Crs,
    source: &LayerSource,
) -> Result<(usize, Vec<Diagnostic>)> {
    let raw = parse_layer(layer, &source.path, text)?;
    let (extent, positions) = source_extent(&raw);
    extent_wgs84(&raw, extent)?;
    let t = interpolating(raw.crs, working, extent, positions)?;
    let source = LayerSource {
        name: layer.to_string(),
        ..source.clone()
    };
    build_layer(&raw, &source, &t, &mut Layers::default(), None)
}

fn attach(e: Error, diagnostics: &[Diagnostic]) -> Error {
    match e {
        Error::File { path, message } if !diagnostics.is_empty() => Error::File {
            path,
            message: format!("{message}; eerste probleem: {}", diagnostics[0]),
        },
        other => other,
    }
}

/// The bounding rectangle of all buildings (working CRS), if any.
pub fn buildings_rect(layers: &Layers) -> Option<Rect<f64>> {
    let mut extent = Extent::EMPTY;
    for r in layers
        .buildings
        .iter()
        .filter_map(|b| b.footprint.bounding_rect())
    {
        extent.add_rect(&r);
    }
    let [x0, y0, x1, y1] = extent.bounds()?;
    Some(Rect::new(Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str) -> LayerSource {
        LayerSource {
            name: name.into(),
            path: PathBuf::from(format!("{name}.geojson")),
            required: true,
            explicit: false,
            fields: std::collections::BTreeMap::new(),
        }
    }

    fn convert(name: &str, text: &str) -> Result<(Vec<Diagnostic>, usize)> {
        let raw = parse_layer(name, Path::new("t.geojson"), text)?;
        let src = source(name);
        let (extent, positions) = source_extent(&raw);
        let t = interpolating(raw.crs, Crs::RD_NEW, extent, positions)?;
        let mut cx = LayerCx {
            layer: &raw,
            diagnostics: Vec::new(),
        };
        let mut items = convert_layer(&raw, &src, &t, &mut cx)?;
        let n = match name {
            "buildings" => load_buildings(&mut cx, &mut items).len(),
            "amenities" => load_amenities(&mut cx, &items).len(),
            "streets" => load_streets(&mut cx, &items).len(),
            _ => items.len(),
        };
        cx.diagnostics
            .sort_by_key(|d| d.feature.as_ref().map(|f| f.index));
        Ok((cx.diagnostics, n))
    }

    const SQUARE: &str =
        "[[[4.90,52.37],[4.9001,52.37],[4.9001,52.3701],[4.90,52.3701],[4.90,52.37]]]";

    /// A WGS84 layer with enough positions for a lattice: every vertex loaded
    /// (interpolated) within 1 µm of its exact conversion to RD New.
    #[test]
    fn wgs84_positions_are_loaded_through_a_checked_lattice() {
        let mut features = Vec::new();
        let mut lines = Vec::new();
        for k in 0..400 {
            let (x, y) = (
                4.86 + (k % 20) as f64 * 0.0031,
                52.35 + (k / 20) as f64 * 0.0017,
            );
            let line: Vec<[f64; 2]> = (0..6)
                .map(|j| [x + j as f64 * 0.00037, y + (j * j) as f64 * 0.00011])
                .collect();
            features.push(format!(
                r#"{{"type":"Feature","id":"s{k}","geometry":{{"type":"LineString","coordinates":{}}},"properties":{{}}}}"#,
                serde_json::to_string(&line).unwrap()
            ));
            lines.push(line);
        }
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        let raw = parse_layer("streets", Path::new("t.geojson"), &text).unwrap();
        let exact = Transformer::new(Crs::WGS84, Crs::RD_NEW).unwrap();
        let (extent, positions) = source_extent(&raw);
        let fast = interpolating(Crs::WGS84, Crs::RD_NEW, extent, positions).unwrap();
        // 2400 positions allow 300 nodes: 0.004° (17 × 10 nodes over 0.061° × 0.035°).
        assert_eq!(fast.step(), Some(0.004));
        let mut cx = LayerCx {
            layer: &raw,
            diagnostics: Vec::new(),
        };
        let streets = source("streets");
        let items = convert_layer(&raw, &streets, &fast, &mut cx).unwrap();
        assert_eq!(items.len(), lines.len());
        for (item, line) in items.iter().zip(&lines) {
            let Geometry::LineString(got) = &item.geometry else {
                panic!("{:?}", item.geometry)
            };
            for (c, p) in got.0.iter().zip(line) {
                let (x, y) = exact.convert(p[0], p[1]).unwrap();
                assert!(
                    (c.x - x).abs() <= 1e-6 && (c.y - y).abs() <= 1e-6,
                    "{c:?} vs {x}, {y}"
                );
            }
        }
    }

    /// The features the one-pass serde parse finds, for comparison.
    fn whole(text: &str) -> Option<Vec<geojson::Feature>> {
        serde_json::from_str::<FastCollection>(text)
            .ok()
            .map(|c| c.features)
    }

    fn as_source(features: Vec<geojson::Feature>, raw: &RawLayer) -> Vec<SourceFeature> {
        features
            .into_iter()
            .map(|f| SourceFeature::new(f, raw.crs, raw.crs_declared))
            .collect()
    }

    #[test]
    fn split_features_agrees_with_the_whole_parse() {
        let tricky = r#" { "name" : "features", "crs": {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},
            "type": "FeatureCollection",
            "features" : [ {"type":"Feature","id":"a","geometry":null,"properties":{"features":[1,2],"s":"x\"]},[,"}} ,
              {"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"t":"\\"}}
            ] , "extra": {"features": []} }"#;
        let mut texts = vec![tricky.to_string()];
        for dir in ["tests/fixtures/tiny", "maps/amsterdam-centrum"] {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "geojson"))
                .collect();
            files.sort();
            assert!(!files.is_empty(), "{dir}");
            texts.extend(files.iter().map(|f| std::fs::read_to_string(f).unwrap()));
        }
        for text in &texts {
            let expected = whole(text).expect("a valid collection");
            let raw = parse_parallel("x", Path::new("t.geojson"), text).expect("split");
            assert_eq!(raw.features, as_source(expected, &raw));
        }
        let raw = parse_parallel("x", Path::new("t.geojson"), tricky).unwrap();
        assert_eq!(raw.crs, Crs::RD_NEW);
        assert_eq!(raw.features.len(), 2);
    }

    #[test]
    fn one_property_is_read_as_the_parsed_map_holds_it() {
        let raw = |t: &str| serde_json::value::RawValue::from_string(t.to_string()).unwrap();
        let text = r#"{"a":{"id":"nested"},"id":"first","b":[1,{"id":2}],"i\u0064":"last"}"#;
        let map: serde_json::Map<String, Value> = serde_json::from_str(text).unwrap();
        // The last of duplicate keys wins, escaped keys count, nested ones do not.
        assert_eq!(property_of(&raw(text), "id"), map.get("id").cloned());
        assert_eq!(property_of(&raw(text), "id"), Some(Value::from("last")));
        assert_eq!(property_of(&raw(r#"{"x":1}"#), "id"), None);
        assert_eq!(
            property_of(&raw(r#"{"id":12.5}"#), "id"),
            Some(serde_json::json!(12.5))
        );
    }

    #[test]
    fn properties_that_are_not_an_object_go_the_careful_way_and_are_named() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","properties":[1],"geometry":null}]}"#;
        assert!(parse_parallel("buildings", Path::new("b.geojson"), text).is_none());
        let e = parse_layer("buildings", Path::new("b.geojson"), text).unwrap_err();
        let message = e.to_string();
        assert!(
            message.contains("b.geojson") && message.contains("geen geldige GeoJSON Feature"),
            "{message}"
        );
    }

    #[test]
    fn split_features_declines_what_it_cannot_split_safely() {
        for text in [
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{}},]}"#,
            r#"{"type":"FeatureCollection","features":[,{"type":"Feature","geometry":null,"properties":{}}]}"#,
            r#"{"type":"FeatureCollection","features":{}}"#,
            r#"{"type":"FeatureCollection","feat\u0075res":[]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature""#,
            r#"[{"features":[]}]"#,
            r#"{"type":"FeatureCollection"}"#,
        ] {
            assert!(split_features(text).is_none(), "{text}");
        }
        // Splittable, but a piece does not parse: the careful path names the feature.
        let bad = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{}}, {"type":"Feature","geometry":{"type":"Point"},"properties":{}}]}"#;
        assert!(split_features(bad).is_some());
        assert!(parse_parallel("x", Path::new("t.geojson"), bad).is_none());
        // A geometry fault leaves out that feature (named at conversion), not the file.
        let raw = parse_layer("x", Path::new("t.geojson"), bad).unwrap();
        assert!(
            matches!(&raw.features[1].geometry, SourceGeometry::BadPosition(p) if p.starts_with("geen geldige geometrie")),
            "{:?}",
            raw.features[1].geometry
        );
        // A fault outside the geometry is the file's: named by feature.
        let bad = bad.replace(
            r#""geometry":{"type":"Point"},"properties":{}"#,
            r#""geometry":null,"properties":5"#,
        );
        let e = parse_layer("x", Path::new("t.geojson"), &bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.geojson") && e.contains("feature 1"), "{e}");
        // Duplicate top-level features arrays: serde refuses, and so does the split.
        let twice = r#"{"type":"FeatureCollection","features":[],"features":[]}"#;
        assert!(parse_parallel("x", Path::new("t.geojson"), twice).is_none());
        assert_eq!(whole(twice), None);
        // What the split declines, the careful way still reads like the whole parse.
        let escaped = r#"{"type":"FeatureCollection","feat\u0075res":[{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[4.9,52.37]},"properties":{"kind":"gp"}}]}"#;
        assert!(split_features(escaped).is_none());
        let raw = parse_layer("x", Path::new("t.geojson"), escaped).unwrap();
        assert_eq!(raw.features.len(), 1);
        assert_eq!(raw.features, as_source(whole(escaped).unwrap(), &raw));
        // An empty collection splits into no elements.
        let (head, el) = split_features(r#"{"type":"FeatureCollection","features":[ ]}"#).unwrap();
        assert_eq!(
            (head.as_str(), el.len()),
            (r#"{"type":"FeatureCollection","features":[]}"#, 0)
        );
    }

    #[test]
    fn one_number_position_is_an_error_not_a_panic() {
        // geojson 1.0.0 panics converting this ring to geo types; we check first.
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","properties":{"use":"residential"},
            "geometry":{"type":"Polygon","coordinates":[[[4.9,52.37],[5.1],[4.9001,52.3701],[4.9,52.37]]]}}]}"#;
        let (diags, n) = convert("buildings", text).unwrap();
        assert_eq!(n, 0);
        assert!(diags[0].message.contains("heeft 1 getal"), "{}", diags[0]);
        assert_eq!(diags[0].feature.as_ref().unwrap().id.as_deref(), Some("a"));
    }

    #[test]
    fn rd_metres_in_a_wgs84_file_are_refused_with_the_reason() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"b1","properties":{},
            "geometry":{"type":"Point","coordinates":[121400.0,487400.0]}}]}"#;
        let e = convert("amenities", text).unwrap_err().to_string();
        assert!(
            e.contains("t.geojson")
                && e.contains("feature 0 (id b1)")
                && e.contains("kunnen geen WGS84-graden zijn"),
            "{e}"
        );
    }

    #[test]
    fn one_position_out_of_the_crs_is_left_out_and_named() {
        // RD New declared; one of three points has its x and y swapped.
        let text = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},
            "features":[{"type":"Feature","id":"a","properties":{"kind":"playground"},"geometry":{"type":"Point","coordinates":[121400.0,487400.0]}},
            {"type":"Feature","id":"b","properties":{"kind":"playground"},"geometry":{"type":"Point","coordinates":[487410.0,121410.0]}},
            {"type":"Feature","id":"c","properties":{"kind":"playground"},"geometry":{"type":"Point","coordinates":[121420.0,487420.0]}}]}"#;
        let (diags, n) = convert("amenities", text).unwrap();
        assert_eq!(n, 2);
        let d: Vec<_> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert_eq!(d.len(), 1, "{diags:?}");
        assert_eq!(d[0].feature.as_ref().unwrap().id.as_deref(), Some("b"));
        assert!(
            d[0].message.contains("x en y verwisseld?") && d[0].message.ends_with("overgeslagen"),
            "{}",
            d[0]
        );
        // Two of three: the file is misread.
        let text = text.replace("121420.0,487420.0", "487420.0,121420.0");
        let e = convert("amenities", &text).unwrap_err().to_string();
        assert!(e.contains("2 van de 3 features"), "{e}");
    }

    #[test]
    fn a_coordinate_written_as_text_leaves_out_its_feature_not_the_file() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"a","properties":{"kind":"playground"},"geometry":{"type":"Point","coordinates":[4.9,52.37]}},
            {"type":"Feature","id":"b","properties":{"kind":"playground"},"geometry":{"type":"Point","coordinates":["4.9001",52.37]}}]}"#;
        let (diags, n) = convert("amenities", text).unwrap();
        assert_eq!(n, 1);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].feature.as_ref().unwrap().id.as_deref(), Some("b"));
        assert!(
            diags[0].message.starts_with("geen geldige geometrie")
                && diags[0].message.contains("\"4.9001\"")
                && diags[0].message.ends_with("overgeslagen"),
            "{}",
            diags[0]
        );
    }

    #[test]
    fn legacy_crs_member_is_honoured() {
        let text = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},
            "features":[{"type":"Feature","properties":{"id":"x","kind":"playground"},"geometry":{"type":"Point","coordinates":[121400.0,487400.0]}}]}"#;
        let raw = parse_layer("amenities", Path::new("t.geojson"), text).unwrap();
        assert_eq!(raw.crs, Crs::RD_NEW);
        let (diags, n) = convert("amenities", text).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(n, 1);
    }

    #[test]
    fn broken_files_name_the_problem() {
        let e = parse_layer(
            "x",
            Path::new("t.geojson"),
            "{\"type\": \"FeatureCollection\", \"features\": [",
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("geen geldige JSON op regel 1"),
            "{e}"
        );
        let e = parse_layer(
            "x",
            Path::new("t.geojson"),
            r#"{"type":"Point","coordinates":[1,2]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("is een GeoJSON Point"), "{e}");
        let e = parse_layer("x", Path::new("t.geojson"), r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:abc"}},"features":[]}"#)
            .unwrap_err();
        assert!(e.to_string().contains("EPSG:abc"), "{e}");
    }

    #[test]
    fn bad_features_are_diagnostics() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","id":"p","properties":{{"use":"woonfunctie"}},"geometry":{{"type":"Point","coordinates":[4.9,52.37]}}}},
            {{"type":"Feature","id":"ok","properties":{{"use":"winkelfunctie, woonfunctie","floors":"4"}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}},
            {{"type":"Feature","id":"ok","properties":{{}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}},
            {{"type":"Feature","id":"nan","properties":{{}},"geometry":null}}]}}"#
        );
        let (diags, n) = convert("buildings", &text).unwrap();
        assert_eq!(n, 1);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["wrong_geometry_type", "duplicate_id", "empty_geometry"],
            "{diags:?}"
        );
    }

    #[test]
    fn a_duplicate_id_names_the_first_feature_that_has_it() {
        use std::collections::HashMap;
        // Ids repeat across the file, one feature is skipped before the check
        // (no geometry) and does not count as the first. Oracle: the map of
        // first indices the check used to keep, feature by feature.
        let ids = ["a", "b", "a", "x", "c", "b", "a", "x", "c", "c"];
        let feats: Vec<String> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let geometry = if i == 3 {
                    "null".to_string()
                } else {
                    format!(r#"{{"type":"Polygon","coordinates":{SQUARE}}}"#)
                };
                format!(
                    r#"{{"type":"Feature","id":"{id}","properties":{{}},"geometry":{geometry}}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            feats.join(",")
        );
        let (buildings, diags) = buildings_of(&text);
        let mut first: HashMap<&str, usize> = HashMap::new();
        let mut expected = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if i == 3 {
                continue;
            }
            match first.get(id) {
                Some(f) => expected.push((i, format!("heeft dezelfde id als feature {f}"))),
                None => {
                    first.insert(id, i);
                }
            }
        }
        let got: Vec<(usize, String)> = diags
            .iter()
            .filter(|d| d.code == "duplicate_id")
            .map(|d| (d.feature.as_ref().unwrap().index, d.message.clone()))
            .collect();
        assert_eq!(got.len(), expected.len(), "{diags:?}");
        for ((gi, gm), (ei, em)) in got.iter().zip(&expected) {
            assert_eq!(gi, ei);
            assert!(gm.starts_with(em.as_str()), "{gm}");
        }
        let kept: Vec<&str> = buildings.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(kept, ["a", "b", "c", "x"]);
    }

    /// Buildings of a GeoJSON text in RD New, with the diagnostics.
    fn buildings_of(text: &str) -> (Vec<Building>, Vec<Diagnostic>) {
        let raw = parse_layer("buildings", Path::new("t.geojson"), text).unwrap();
        let src = source("buildings");
        let (extent, positions) = source_extent(&raw);
        let t = interpolating(raw.crs, Crs::RD_NEW, extent, positions).unwrap();
        let mut cx = LayerCx {
            layer: &raw,
            diagnostics: Vec::new(),
        };
        let mut items = convert_layer(&raw, &src, &t, &mut cx).unwrap();
        let b = load_buildings(&mut cx, &mut items);
        (b, cx.diagnostics)
    }

    #[test]
    fn floors_assumed_by_building_type_when_unknown() {
        // Sheds, garages and houseboats are built with one storey; other types
        // take the documented default; a tagged height or storey count wins.
        let feats: Vec<String> = [
            r#""building":"shed""#,
            r#""building":"Houseboat""#,
            r#""building":"garage","floors":2"#,
            r#""building":"garage","height_m":7.5"#,
            r#""building":"house""#,
            r#""lift":"no""#,
        ]
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, x2) = (4.9 + 0.001 * i as f64, 4.9001 + 0.001 * i as f64);
            format!(
                r#"{{"type":"Feature","id":"b{i}","properties":{{"use":"woonfunctie",{p}}},"geometry":{{"type":"Polygon","coordinates":[[[{x},52.37],[{x2},52.37],[{x2},52.3701],[{x},52.3701],[{x},52.37]]]}}}}"#
            )
        })
        .collect();
        let (b, diags) = buildings_of(&format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            feats.join(",")
        ));
        assert!(diags.is_empty(), "{diags:?}");
        let floors: Vec<(u32, bool)> = b
            .iter()
            .map(|b| (b.floors.value, b.floors.estimated))
            .collect();
        assert_eq!(
            floors,
            [
                (1, true),
                (1, true),
                (2, false),
                (2, true),
                (DEFAULT_FLOORS, true),
                (DEFAULT_FLOORS, true)
            ]
        );
        assert_eq!(default_floors(None), DEFAULT_FLOORS);
    }

    /// The problem text after `= VALUE: `, and the code, of the one number
    /// diagnostic (if any).
    fn number_note(diags: &[Diagnostic], text: &str) -> Option<(&'static str, String)> {
        let d = diags
            .iter()
            .find(|d| matches!(d.code, "bad_value" | "number_read_as"))?;
        let (_, note) = d
            .message
            .split_once(&format!("= {text}: "))
            .expect("= value: note");
        Some((d.code, note.to_string()))
    }

    /// One rule for floors, heights and years (crate::io::number): each form
    /// gives the same building and the same diagnostic whether it comes in a
    /// GeoJSON property or through `import osm` (then loaded).
    #[test]
    fn numbers_read_alike_through_the_loader_and_import_osm() {
        // (GeoJSON property, OSM key, text, floors, floors estimated, year)
        type Case<'a> = (&'a str, &'a str, &'a str, u32, bool, Option<i32>);
        let cases: &[Case] = &[
            ("floors", "building:levels", "3", 3, false, None),
            ("floors", "building:levels", "2.5", 2, false, None),
            ("floors", "building:levels", "3;4", 3, false, None),
            ("floors", "building:levels", "3-4", 3, false, None),
            ("floors", "building:levels", "<4", 3, true, None),
            ("floors", "building:levels", "veel", 3, true, None),
            ("floors", "building:levels", "1e9", 3, true, None),
            ("floors", "building:levels", "-3", 3, true, None),
            ("floors", "building:levels", "0", 3, true, None),
            ("height_m", "height", "12 m", 4, true, None),
            ("height_m", "height", "12,5", 4, true, None),
            ("height_m", "height", "-5", 3, true, None),
            ("height_m", "height", "40'", 3, true, None),
            ("year", "start_date", "1885-03-01", 3, true, Some(1885)),
            ("year", "start_date", "1900-1910", 3, true, Some(1900)),
            ("year", "start_date", "99999999999", 3, true, None),
            ("year", "start_date", "C17", 3, true, None),
        ];
        for &(field, key, text, floors, estimated, year) in cases {
            let geojson = format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"way/1","properties":{{"use":"residential","{field}":"{text}"}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}}]}}"#
            );
            let (b, loader_diags) = buildings_of(&geojson);
            assert_eq!(b.len(), 1, "{text}");
            assert_eq!(b[0].floors.value, floors, "{field} = {text}");
            assert_eq!(b[0].floors.estimated, estimated, "{field} = {text}");
            assert_eq!(b[0].year, year, "{field} = {text}");

            let osm = format!(
                r#"<?xml version="1.0"?><osm version="0.6">
<node id="1" lat="52.37" lon="4.90"/><node id="2" lat="52.37" lon="4.9001"/>
<node id="3" lat="52.3701" lon="4.9001"/><node id="4" lat="52.3701" lon="4.90"/>
<way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
<tag k="building" v="apartments"/><tag k="{key}" v="{text}"/></way></osm>"#
            );
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("n.osm");
            std::fs::write(&path, osm).unwrap();
            let (layers, report) =
                crate::io::osm::import(&path, &crate::io::osm::ImportOptions::default()).unwrap();
            let text_out = serde_json::to_string(&layers.buildings).unwrap();
            let (ib, _) = buildings_of(&text_out);
            assert_eq!(ib.len(), 1, "{text}");
            assert_eq!(ib[0].floors.value, floors, "import {key} = {text}");
            assert_eq!(ib[0].year, year, "import {key} = {text}");
            let import_note = number_note(&report.diagnostics, text);
            assert_eq!(
                number_note(&loader_diags, text),
                import_note,
                "{field} / {key} = {text}"
            );
            // A plain value is no diagnostic; every other form is one.
            assert_eq!(
                import_note.is_none(),
                matches!(text, "3" | "12 m" | "12,5" | "1885-03-01"),
                "{text}"
            );
        }
        // A JSON number reads as its text does.
        let (b, d) = buildings_of(&format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"a","properties":{{"use":"residential","floors":2.5}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}}]}}"#
        ));
        assert_eq!(b[0].floors.value, 2);
        assert_eq!(number_note(&d, "2.5").unwrap().0, "number_read_as");
    }

    /// Found by fuzzing (geojson_layer, 2026-12-01): a degenerate building
    /// ring made geo's boolean overlay (i_overlay 4.5.2) panic inside the
    /// polygon repair. Now the repair's failure skips the feature, named.
    #[test]
    fn a_ring_the_overlay_cannot_repair_is_skipped_not_a_panic() {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/fuzz/geojson_overlay_panic.geojson"),
        )
        .unwrap();
        let (diags, n) = convert("buildings", &text).unwrap();
        assert_eq!(n, 0, "{diags:?}");
        let d = diags
            .iter()
            .find(|d| d.code == "invalid_geometry")
            .expect("named");
        assert_eq!(d.feature.as_ref().map(|f| f.index), Some(0));
        assert!(d.message.contains("herstel mislukt"), "{}", d.message);
    }

    #[test]
    fn impossible_values_are_reported_not_silently_replaced() {
        let b = |id: &str, props: &str| {
            format!(
                r#"{{"type":"Feature","id":"{id}","properties":{{"use":"residential",{props}}},"geometry":{{"type":"Polygon","coordinates":{SQUARE}}}}}"#
            )
        };
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{},{},{},{},{},{}]}}"#,
            b("huge", r#""floors":1e9"#),
            b("negative", r#""floors":-3"#),
            b("zero", r#""floors":0"#),
            b("below", r#""height_m":-5"#),
            b("area", r#""floor_area_m2":-100"#),
            b("vast", r#""floor_area_m2":1e308"#),
            b("far-future", r#""year":99999999999"#),
            b("bag-unknown", r#""year":1005"#),
        );
        let (diags, n) = convert("buildings", &text).unwrap();
        assert_eq!(n, 8);
        let flagged: Vec<String> = diags
            .iter()
            .filter(|d| d.code == "bad_value")
            .map(|d| {
                d.feature
                    .as_ref()
                    .and_then(|f| f.id.clone())
                    .unwrap_or_default()
            })
            .collect();
        // Each impossible value named; BAG's 1005 ("unknown") is not a problem.
        assert_eq!(
            flagged,
            [
                "huge",
                "negative",
                "zero",
                "below",
                "area",
                "vast",
                "far-future"
            ],
            "{diags:?}"
        );
    }

    #[test]
    fn streets_keep_their_grade() {
        let line = "[[4.90,52.37],[4.901,52.37]]";
        let feats: Vec<String> = [
            r#""id":"ground""#,
            r#""id":"bridge","bridge":true,"layer":1"#,
            r#""id":"viaduct","bridge":"viaduct","layer":"2""#,
            r#""id":"passage","tunnel":"building_passage","bridge":"no""#,
            r#""id":"floor","level":"1.0""#,
            r#""id":"stairs","level":"0;1""#,
            r#""id":"odd","layer":1.5,"bridge":[1]"#,
        ]
        .iter()
        .map(|p| {
            format!(
                r#"{{"type":"Feature","geometry":{{"type":"LineString","coordinates":{line}}},"properties":{{{p}}}}}"#
            )
        })
        .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            feats.join(",")
        );
        let raw = parse_layer("streets", Path::new("t.geojson"), &text).unwrap();
        let (extent, positions) = source_extent(&raw);
        let t = interpolating(raw.crs, Crs::RD_NEW, extent, positions).unwrap();
        let mut cx = LayerCx {
            layer: &raw,
            diagnostics: Vec::new(),
        };
        let src = source("streets");
        let items = convert_layer(&raw, &src, &t, &mut cx).unwrap();
        let streets = load_streets(&mut cx, &items);
        let g = |bridge, tunnel, layer, level: Option<&str>| Grade {
            bridge,
            tunnel,
            layer,
            level: level.map(str::to_string),
        };
        let got: Vec<(&str, Grade)> = streets
            .iter()
            .map(|s| (s.id.as_str(), s.grade.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("ground", Grade::GROUND),
                ("bridge", g(true, false, 1, None)),
                ("viaduct", g(true, false, 2, None)),
                ("passage", g(false, true, 0, None)),
                ("floor", g(false, false, 0, Some("1"))),
                ("stairs", g(false, false, 0, Some("0;1"))),
                ("odd", Grade::GROUND),
            ]
        );
        let bad: Vec<&str> = cx
            .diagnostics
            .iter()
            .filter(|d| d.code == "bad_value")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(bad.len(), 2, "{bad:?}");
    }

    #[test]
    fn uses_parse_from_bag_and_canonical_names() {
        assert_eq!(parse_use("woonfunctie"), Some(BuildingUse::Residential));
        assert_eq!(
            parse_use("winkelfunctie,woonfunctie"),
            Some(BuildingUse::Mixed)
        );
        assert_eq!(parse_use("Office"), Some(BuildingUse::Office));
        assert_eq!(parse_use("spaceship"), None);
        assert_eq!(parse_closing("01:30"), Some(25 * 60 + 30));
        assert_eq!(parse_closing("22:00"), Some(22 * 60));
        assert_eq!(parse_closing("bogus"), None);
    }

    #[test]
    fn load_text_matches_load_for_every_tiny_layer() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let scenario = Scenario::load(&dir.join("tiny.toml")).unwrap();
        let loaded = load(&scenario).unwrap();
        let mut compared = 0;
        for (source, info) in scenario.layers.iter().zip(&loaded.info) {
            if !info.present {
                continue;
            }
            let text = std::fs::read_to_string(&source.path).unwrap();
            let (n, diags) = load_text(&source.name, &text, loaded.working_crs, source).unwrap();
            assert_eq!(n, info.features_loaded, "{}", source.name);
            let expected: Vec<_> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.layer == source.name)
                .map(|d| d.to_string())
                .collect();
            let got: Vec<_> = diags.iter().map(|d| d.to_string()).collect();
            assert_eq!(got, expected, "{}", source.name);
            compared += 1;
        }
        assert!(compared >= 4, "only {compared} layers compared");
    }

    /// A building corner that lies on a retail core's edge, in two layers of
    /// one WGS84 source: the same point after loading, bit for bit, though the
    /// buildings alone have positions enough for a lattice and the core not.
    #[test]
    fn layers_of_one_source_crs_convert_a_shared_position_alike() {
        let dir = tempfile::tempdir().unwrap();
        let area = dir.path().join("map");
        std::fs::create_dir(&area).unwrap();
        let square = |x: f64, y: f64, d: f64| {
            format!(
                "[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]",
                x + d,
                x + d,
                y + d,
                y + d
            )
        };
        let collection = |features: Vec<String>| {
            format!(
                r#"{{"type":"FeatureCollection","features":[{}]}}"#,
                features.join(",")
            )
        };
        let feature = |id: &str, rings: String| {
            format!(
                r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Polygon","coordinates":{rings}}},"properties":{{}}}}"#
            )
        };
        let buildings: Vec<String> = (0..60)
            .map(|k| {
                let (x, y) = (
                    4.88 + (k % 10) as f64 * 0.0013,
                    52.36 + (k / 10) as f64 * 0.0011,
                );
                feature(&format!("b{k}"), square(x, y, 0.0002))
            })
            .collect();
        // Building b0's upper-right corner is the core's lower-left one (not a
        // lattice node: those are exact conversions in any case).
        let core = vec![feature(
            "core",
            square(4.88 + 0.0002, 52.36 + 0.0002, 0.003),
        )];
        std::fs::write(area.join("buildings.geojson"), collection(buildings)).unwrap();
        std::fs::write(area.join("retail_core.geojson"), collection(core)).unwrap();
        for empty in ["horeca", "amenities", "streets"] {
            let path = area.join(format!("{empty}.geojson"));
            std::fs::write(path, collection(vec![])).unwrap();
        }
        let toml = dir.path().join("s.toml");
        std::fs::write(
            &toml,
            "version = 1\nname = \"t\"\narea = \"map\"\ncrs = \"EPSG:28992\"\n",
        )
        .unwrap();
        let loaded = load(&Scenario::load(&toml).unwrap()).unwrap();
        let b0 = loaded
            .layers
            .buildings
            .iter()
            .find(|b| b.id == "b0")
            .unwrap();
        let corner = b0.footprint.0[0].exterior().0[2];
        let core = &loaded.layers.retail_core[0].area.0[0].exterior().0;
        assert!(core.contains(&corner), "{corner:?} not among {core:?}");
    }

    #[test]
    fn a_property_given_twice_reads_as_its_last_and_escaped_names_match() {
        let raw: Box<RawValue> = serde_json::from_str(
            r#"{"floors": 2, "name": "A", "fl\u006fors": 5, "use": null, "\"q\"": "x"}"#,
        )
        .unwrap();
        let src = source("buildings");
        let p = Props::parse(&src, Some(&raw));
        assert_eq!(p.raw("floors"), Some(&serde_json::json!(5)));
        assert_eq!(p.text("name").as_deref(), Some("A"));
        assert_eq!(p.raw("use"), None, "null reads as absent");
        assert_eq!(p.raw("\"q\""), Some(&serde_json::json!("x")));
        assert_eq!(p.raw("year"), None);
    }

    #[test]
    fn load_text_rejects_an_unknown_layer() {
        let text = r#"{"type":"FeatureCollection","features":[]}"#;
        let err = load_text("parking", text, Crs::RD_NEW, &source("parking")).unwrap_err();
        assert!(err.to_string().contains("onbekende laag parking"), "{err}");
    }
}
