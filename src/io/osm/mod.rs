//! OpenStreetMap importer: `.osm`, `.osm.gz` and `.osm.pbf` to the six
//! binnenstad input layers as GeoJSON FeatureCollections (WGS84).
//!
//! - `data`: raw elements as read (coordinates in decimicrodegrees)
//! - `xml`: streaming OSM XML reader (quick-xml, gzip through flate2)
//! - `pbf`: OSM PBF reader (osmpbf, blobs decoded in parallel)
//! - `geom`: way lines, multipolygon ring assembly, RFC 7946 output geometry
//! - `tags`: the tag mapping tables (mirrored in `maps/README.md`)
//! - `hours`: closing time from `opening_hours`
//! - [`retail_core`]: the kernwinkelgebied derived from shop density
//! - `layers`: elements to features, per layer
//!
//! # Invariants
//! The XML and the PBF of the same data give identical layers: coordinates are
//! kept in the OSM integer grid (1e-7°) and every element list is sorted by id
//! before mapping. Features are sorted by id; ids are unique per layer.
//! Coordinates are rounded to 1e-7°, polygons follow RFC 7946 winding.
//! Bad input is an [`Error::File`] naming the path (never a panic); a bad
//! element in a good file is a [`Diagnostic`] in the [`ImportReport`].
//!
//! # Examples
//! ```no_run
//! use binnenstad::io::osm::{ImportOptions, import};
//! let (layers, report) =
//!     import(std::path::Path::new("centrum.osm.pbf"), &ImportOptions::default())?;
//! for (name, collection) in layers.layers() {
//!     println!("{name}: {} features", collection.features.len());
//! }
//! println!("retail core: {}", report.retail_core_method);
//! # Ok::<(), binnenstad::Error>(())
//! ```

mod data;
mod geom;
mod hours;
mod layers;
mod pbf;
pub mod retail_core;
pub(crate) mod tags;
mod xml;

use crate::error::{Diagnostic, Error};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// What to import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOptions {
    /// West, south, east, north in degrees: keep only features whose geometry
    /// intersects this box (nothing is clipped). `None` keeps everything.
    pub bbox: Option<[f64; 4]>,
}

/// What the import found besides the layers.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Number of features per layer name.
    pub counts: BTreeMap<String, usize>,
    /// Data problems in single elements (missing nodes, unclosed rings,
    /// duplicate ids ...); the import went on without or with a repaired feature.
    pub diagnostics: Vec<Diagnostic>,
    /// True when the retail core was derived from shop density rather than
    /// taken from `landuse=retail`.
    pub retail_core_derived: bool,
    /// How the retail core was made, in words.
    pub retail_core_method: String,
}

/// The six layers as GeoJSON FeatureCollections in WGS84, features sorted by id.
#[derive(Debug, Clone, Default)]
pub struct OsmLayers {
    /// Building footprints (Polygon / MultiPolygon) with use, floors, year ...
    pub buildings: geojson::FeatureCollection,
    /// Horeca points with kind, category and closing time.
    pub horeca: geojson::FeatureCollection,
    /// Voorzieningen (amenity points) with kind.
    pub amenities: geojson::FeatureCollection,
    /// Walkable ways (LineString).
    pub streets: geojson::FeatureCollection,
    /// Kernwinkelgebied polygons, tagged or derived.
    pub retail_core: geojson::FeatureCollection,
    /// Crafts and industry points with milieucategorie where evident.
    pub businesses: geojson::FeatureCollection,
    /// The study area: the `--bbox`, else the extent the file declares
    /// (`<bounds>`, the PBF header bbox); empty when neither is known.
    pub study_area: geojson::FeatureCollection,
}

impl OsmLayers {
    /// The layers with their file names (`buildings`, `horeca`, `amenities`,
    /// `streets`, `retail_core`, `businesses`, `study_area`), in that order.
    pub fn layers(&self) -> [(&'static str, &geojson::FeatureCollection); 7] {
        [
            ("buildings", &self.buildings),
            ("horeca", &self.horeca),
            ("amenities", &self.amenities),
            ("streets", &self.streets),
            ("retail_core", &self.retail_core),
            ("businesses", &self.businesses),
            ("study_area", &self.study_area),
        ]
    }
}

/// The encodings the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xml,
    XmlGz,
    Pbf,
}

/// Reads .osm, .osm.gz or .osm.pbf (by content: gzip magic, `<`, or a PBF
/// `OSMHeader` blob; else by extension) and returns the layers as GeoJSON
/// FeatureCollections (WGS84).
///
/// # Errors
/// [`Error::Io`] when the file cannot be opened; [`Error::File`] when it is not
/// OSM data, is truncated or corrupt (with the byte offset for XML);
/// [`Error::Usage`] for a bbox that is not finite or not west < east, south < north.
pub fn import(path: &Path, options: &ImportOptions) -> Result<(OsmLayers, ImportReport), Error> {
    check_bbox(options)?;
    let data = read(path)?;
    Ok(finish(data, path, options))
}

/// Like [`import`], for OSM data already in memory (any supported encoding,
/// detected the same way). `name` stands for the data in messages and diagnostics,
/// and its extension is the fallback when the content does not tell the format;
/// nothing is read from it.
///
/// # Errors
/// As [`import`], without [`Error::Io`].
///
/// # Examples
/// ```
/// use binnenstad::io::osm::{ImportOptions, import_bytes};
/// let xml = br#"<osm version="0.6"><node id="1" lat="52.09" lon="5.12">
///   <tag k="amenity" v="cafe"/></node></osm>"#;
/// let (layers, _) =
///     import_bytes(xml, std::path::Path::new("snippet.osm"), &ImportOptions::default())?;
/// assert_eq!(layers.horeca.features.len(), 1);
/// # Ok::<(), binnenstad::Error>(())
/// ```
pub fn import_bytes(
    bytes: &[u8],
    name: &Path,
    options: &ImportOptions,
) -> Result<(OsmLayers, ImportReport), Error> {
    check_bbox(options)?;
    let format = detect(name, &bytes[..bytes.len().min(64)])?;
    let data = read_format(format, name, bytes)?;
    Ok(finish(data, name, options))
}

fn check_bbox(options: &ImportOptions) -> Result<(), Error> {
    if let Some([w, s, e, n]) = options.bbox
        && (![w, s, e, n].iter().all(|v| v.is_finite()) || w >= e || s >= n)
    {
        return Err(Error::Usage(format!(
            "bbox {w},{s},{e},{n}: expected finite W,S,E,N with W < E and S < N"
        )));
    }
    Ok(())
}

/// Sorts the elements and maps them to layers.
fn finish(
    mut data: data::OsmData,
    path: &Path,
    options: &ImportOptions,
) -> (OsmLayers, ImportReport) {
    data.sort();
    let built = layers::build(&data, options, &path.display().to_string());
    let counts = built
        .layers
        .layers()
        .iter()
        .map(|(name, c)| (name.to_string(), c.features.len()))
        .collect();
    let report = ImportReport {
        counts,
        diagnostics: built.diagnostics,
        retail_core_derived: built.retail_core_derived,
        retail_core_method: built.retail_core_method,
    };
    (built.layers, report)
}

/// Reads the raw elements of an OSM file in any supported format.
fn read(path: &Path) -> Result<data::OsmData, Error> {
    let open = || File::open(path).map_err(|e| Error::io(path, "kan niet lezen", e));
    let mut head = Vec::with_capacity(64);
    open()?
        .take(64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, "kan niet lezen", e))?;
    let format = detect(path, &head)?;
    read_format(format, path, open()?)
}

/// Reads the raw elements of a stream whose format is known; `path` names it in errors.
fn read_format<R: Read + Send>(
    format: Format,
    path: &Path,
    input: R,
) -> Result<data::OsmData, Error> {
    let file = BufReader::with_capacity(1 << 16, input);
    let result = match format {
        Format::Xml => xml::read_xml(file),
        Format::XmlGz => xml::read_xml(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
            .map_err(|m| format!("{m} (offset in the decompressed data)")),
        Format::Pbf => {
            // osmpbf is third-party code decoding untrusted bytes: a panic in it
            // must become an error naming the file, not abort the run.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pbf::read_pbf(file)))
                .unwrap_or_else(|_| Err("corrupt PBF data (the decoder failed)".to_string()))
        }
    };
    result.map_err(|message| Error::file(path, message))
}

/// Decides the format from the first bytes, falling back to the extension.
fn detect(path: &Path, head: &[u8]) -> Result<Format, Error> {
    if head.is_empty() {
        return Err(Error::file(path, "empty file, not OSM data"));
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Ok(Format::XmlGz);
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if text
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<')
    {
        return Ok(Format::Xml);
    }
    if head.windows(9).take(16).any(|w| w == b"OSMHeader") {
        return Ok(Format::Pbf);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.ends_with(".pbf") {
        return Ok(Format::Pbf);
    }
    Err(Error::file(
        path,
        "not OSM data: neither OSM XML (<osm>), gzip-compressed XML nor OSM PBF",
    ))
}

#[cfg(test)]
mod tests;
