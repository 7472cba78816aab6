//! Coordinate reference systems and reprojection: the project's single seam
//! to a projection library.
//!
//! - [`Crs`] names a CRS by EPSG code and parses the spellings found in
//!   GeoJSON, GML and scenario files (`EPSG:28992`, OGC URNs and URLs, `CRS84`).
//! - [`Transformer`] converts coordinates and [`geo`] geometries between two CRSs.
//! - [`Interpolating`] converts many positions over one area fast: exact at the
//!   nodes of a lattice, quadratic between them, within a tolerance it checks.
//!
//! # Backends
//! By default the pure-Rust [`proj4rs`] does the work. With the cargo feature
//! `proj` the real PROJ library does (through the `proj` crate); both
//! implementations are then compiled and the feature only selects which one
//! [`Transformer`] uses. The set of accepted EPSG codes is the same in both
//! builds: the `crs-definitions` catalogue that proj4rs ships (plus a
//! hard-coded, PROJ-equivalent RD New), and with `proj` PROJ must know the code too.
//!
//! # Invariants
//! - Geographic coordinates are always (longitude, latitude) in degrees, the
//!   GeoJSON order, whatever the EPSG axis order says. Projected coordinates
//!   are (easting, northing) in the CRS's own unit.
//! - A [`Crs`] value always names a code the backend knows: the only ways to
//!   make one are the checked constructors and the constants.
//! - Nothing here panics on bad input: non-finite coordinates, out-of-range
//!   latitudes and failed projections are [`Error::Crs`] values.

use crate::error::Error;
use std::fmt;

mod lattice;
pub use lattice::Interpolating;

/// EPSG:28992 as proj4rs must see it to reproduce PROJ.
///
/// PROJ (9.1 and 9.6) picks a Helmert transformation for RD New → WGS84 with
/// the coordinate-frame rotation convention; proj4rs's `+towgs84` is
/// position-vector, so the three rotations are negated here. With these
/// parameters proj4rs matches PROJ to ≤ 1 mm; the `crs-definitions` string
/// (a different parameter set) is 4–6 mm off.
const RD_NEW_PROJ4: &str = "+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 \
    +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel \
    +towgs84=565.4171,50.3319,465.5524,-0.398957388243134,0.343987817378283,-1.87740163998045,4.0725 \
    +units=m +no_defs";

/// The accepted spellings, for error messages.
const SPELLINGS: &str = "expected EPSG:<code>, urn:ogc:def:crs:EPSG::<code>, \
    http://www.opengis.net/def/crs/EPSG/0/<code> or CRS84";

/// A coordinate reference system, identified by EPSG code.
///
/// Geographic CRSs are always used in (longitude, latitude) order, degrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Crs(u32);

impl Crs {
    /// WGS 84 (EPSG:4326), axis order always lon/lat (the GeoJSON convention,
    /// also known as OGC CRS84).
    pub const WGS84: Crs = Crs(4326);
    /// Amersfoort / RD New (EPSG:28992), the Dutch national grid, metres.
    pub const RD_NEW: Crs = Crs(28992);

    /// The EPSG code.
    pub fn epsg(self) -> u32 {
        self.0
    }

    /// The CRS with this EPSG code.
    ///
    /// # Errors
    /// [`Error::Crs`] when the code is unknown to the backend, or names a
    /// geocentric (3D) CRS.
    pub fn from_epsg(code: u32) -> Result<Crs, Error> {
        check_code(code).map_err(|message| Error::Crs {
            crs: format!("EPSG:{code}"),
            message,
        })?;
        Ok(Crs(code))
    }

    /// Parses a CRS name as found in data and scenario files.
    ///
    /// Accepted (case-insensitive, surrounding blanks ignored):
    /// `EPSG:28992`, `urn:ogc:def:crs:EPSG::28992`,
    /// `urn:ogc:def:crs:EPSG:6.6:28992` (also `urn:x-ogc:`),
    /// `http://www.opengis.net/def/crs/EPSG/0/28992` (also `https`),
    /// and for WGS84 in lon/lat order `urn:ogc:def:crs:OGC:1.3:CRS84`,
    /// `OGC:CRS84`, `CRS84` and `http://www.opengis.net/def/crs/OGC/1.3/CRS84`.
    ///
    /// # Errors
    /// [`Error::Crs`] carrying the text as given: an unrecognised spelling, a
    /// code that is not a number, or a code unknown to the backend.
    ///
    /// # Examples
    /// ```
    /// use binnenstad::crs::Crs;
    /// assert_eq!(Crs::parse("urn:ogc:def:crs:EPSG::28992").unwrap(), Crs::RD_NEW);
    /// assert_eq!(Crs::parse("CRS84").unwrap(), Crs::WGS84);
    /// assert!(Crs::parse("EPSG:abc").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Crs, Error> {
        let err = |message: String| Error::Crs {
            crs: text.to_string(),
            message,
        };
        let lower = text.trim().to_ascii_lowercase();
        let code = match parse_name(&lower) {
            Some(Name::Crs84) => return Ok(Crs::WGS84),
            Some(Name::Epsg(code)) => code,
            None => return Err(err(format!("unrecognised CRS name; {SPELLINGS}"))),
        };
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(format!(
                "'{code}' is not an EPSG code (expected a number, e.g. EPSG:28992)"
            )));
        }
        let code: u32 = code
            .parse()
            .map_err(|_| err(format!("EPSG code {code} is out of range")))?;
        check_code(code).map_err(err)?;
        Ok(Crs(code))
    }

    /// The WGS 84 UTM zone (EPSG:326xx north, 327xx south) containing
    /// (`lon`, `lat`) in degrees; used when a scenario says `crs = "auto"`.
    ///
    /// Zones are the standard 6° bands, with the Norway (32V) and Svalbard
    /// (31X–37X) exceptions. Longitudes are wrapped into [-180, 180); a
    /// non-finite input gives zone 1 rather than a panic.
    pub fn utm_for(lon: f64, lat: f64) -> Crs {
        let lon = if lon.is_finite() {
            (lon + 180.0).rem_euclid(360.0) - 180.0
        } else {
            -180.0
        };
        // `as` saturates and maps NaN to 0; the clamp keeps the zone in 1..=60.
        let mut zone = (((lon + 180.0) / 6.0).floor() as i64 + 1).clamp(1, 60) as u32;
        if (56.0..64.0).contains(&lat) && (3.0..12.0).contains(&lon) {
            zone = 32;
        }
        if (72.0..=84.0).contains(&lat) && (0.0..42.0).contains(&lon) {
            zone = match lon {
                l if l < 9.0 => 31,
                l if l < 21.0 => 33,
                l if l < 33.0 => 35,
                _ => 37,
            };
        }
        let base = if lat < 0.0 { 32700 } else { 32600 };
        Crs(base + zone)
    }

    /// How far this CRS's scale departs from true over an area: the largest
    /// `|k - 1|`, where `k` is the length in the CRS of a short east and a short
    /// north step (10 m on the WGS84 ellipsoid) divided by the true length,
    /// measured at the centre and the four corners of `extent` (W, S, E, N,
    /// degrees). 0.0 is exact; pseudo-Mercator (EPSG:3857) gives 0.63 at
    /// Amsterdam's latitude, RD New under 0.0002 in the Netherlands.
    ///
    /// # Units
    /// A fraction (0.01 = lengths 1% off, areas about 2%).
    ///
    /// # Errors
    /// [`Error::Crs`] when the points cannot be converted into this CRS.
    ///
    /// # Examples
    /// ```
    /// use binnenstad::crs::Crs;
    /// let amsterdam = [4.88, 52.36, 4.91, 52.38];
    /// assert!(Crs::RD_NEW.scale_error(amsterdam).unwrap() < 0.001);
    /// let mercator = Crs::from_epsg(3857).unwrap();
    /// assert!(mercator.scale_error(amsterdam).unwrap() > 0.6);
    /// ```
    pub fn scale_error(self, extent: [f64; 4]) -> Result<f64, Error> {
        // WGS84 ellipsoid: radii of curvature along the meridian (m) and the
        // prime vertical (n) turn a step in metres into degrees.
        const A: f64 = 6_378_137.0;
        const E2: f64 = 0.006_694_379_990_14;
        const STEP_M: f64 = 10.0;
        let [w, s, e, n] = extent;
        let t = Transformer::new(Crs::WGS84, self)?;
        let points = [
            ((w + e) / 2.0, (s + n) / 2.0),
            (w, s),
            (w, n),
            (e, s),
            (e, n),
        ];
        let mut worst: f64 = 0.0;
        for (lon, lat) in points {
            let sin = lat.to_radians().sin();
            let w2 = 1.0 - E2 * sin * sin;
            let m = A * (1.0 - E2) / w2.powf(1.5);
            let pv = A / w2.sqrt();
            let dlat = (STEP_M / m).to_degrees();
            let dlon = (STEP_M / (pv * lat.to_radians().cos().max(1e-9))).to_degrees();
            let (x0, y0) = t.convert(lon, lat)?;
            for (dx, dy) in [(dlon, 0.0), (0.0, dlat)] {
                let (x1, y1) = t.convert(lon + dx, lat + dy)?;
                let k = (x1 - x0).hypot(y1 - y0) / STEP_M;
                worst = worst.max((k - 1.0).abs());
            }
        }
        Ok(worst)
    }

    /// Whether coordinates in this CRS are longitude/latitude degrees.
    pub fn is_geographic(self) -> bool {
        match self {
            Crs::WGS84 => true,
            Crs::RD_NEW => false,
            // A Crs only exists for codes whose definition builds (checked at
            // construction), so the fallback is unreachable in practice.
            _ => proj4rs_proj(self.0).is_ok_and(|p| p.is_latlong()),
        }
    }

    /// Plausible coordinate bounds in the CRS's own units, as
    /// `[x_min, y_min, x_max, y_max]`.
    ///
    /// Generous on purpose: the loader uses it to recognise coordinates that
    /// cannot belong to the CRS a file claims (RD metres in a file that says
    /// WGS84), not to clip data.
    /// - geographic: `[-180, -90, 180, 90]`
    /// - RD New: `[-7000, 289000, 300000, 629000]`
    /// - UTM (and other `+proj=utm` CRSs such as ETRS89 / TM35FIN):
    ///   `[-100000, -1e7, 1100000, 1e7]`
    /// - any other projected CRS: ±4·10⁷ m (twice the half circumference),
    ///   expressed in the CRS's unit.
    pub fn plausible_bounds(self) -> [f64; 4] {
        const GEOGRAPHIC: [f64; 4] = [-180.0, -90.0, 180.0, 90.0];
        match self {
            Crs::WGS84 => GEOGRAPHIC,
            Crs::RD_NEW => [-7_000.0, 289_000.0, 300_000.0, 629_000.0],
            _ => match proj4rs_proj(self.0) {
                Ok(p) if p.is_latlong() => GEOGRAPHIC,
                Ok(p) if p.projname() == "utm" => [-1.0e5, -1.0e7, 1.1e6, 1.0e7],
                Ok(p) => {
                    let to_meter = p.to_meter();
                    let r = if to_meter.is_finite() && to_meter > 0.0 {
                        4.0e7 / to_meter
                    } else {
                        4.0e7
                    };
                    [-r, -r, r, r]
                }
                Err(_) => [
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                    f64::INFINITY,
                    f64::INFINITY,
                ],
            },
        }
    }

    /// The OGC URN, as QGIS and GDAL write it in a GeoJSON `crs` member:
    /// `urn:ogc:def:crs:EPSG::28992`.
    ///
    /// WGS84 is written `urn:ogc:def:crs:OGC:1.3:CRS84`, because our WGS84 is
    /// lon/lat and `EPSG::4326` formally means lat/lon. [`Crs::parse`] reads both.
    pub fn urn(self) -> String {
        match self {
            Crs::WGS84 => "urn:ogc:def:crs:OGC:1.3:CRS84".to_string(),
            Crs(code) => format!("urn:ogc:def:crs:EPSG::{code}"),
        }
    }
}

impl fmt::Display for Crs {
    /// `EPSG:28992`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{}", self.0)
    }
}

/// What a CRS name says, before the code is checked.
enum Name<'a> {
    Crs84,
    Epsg(&'a str),
}

/// Recognises the spellings of [`Crs::parse`] in lower-case `text`.
fn parse_name(text: &str) -> Option<Name<'_>> {
    if matches!(text, "crs84" | "ogc:crs84") {
        return Some(Name::Crs84);
    }
    if let Some(code) = text.strip_prefix("epsg:") {
        return Some(Name::Epsg(code));
    }
    let urn = text
        .strip_prefix("urn:ogc:def:crs:")
        .or_else(|| text.strip_prefix("urn:x-ogc:def:crs:"));
    if let Some(rest) = urn {
        // authority:version:code, the version may be empty.
        let (authority, rest) = rest.split_once(':')?;
        let (version, code) = rest.split_once(':')?;
        if !version.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return None;
        }
        return match authority {
            "epsg" => Some(Name::Epsg(code)),
            "ogc" if code == "crs84" => Some(Name::Crs84),
            _ => None,
        };
    }
    let url = text
        .strip_prefix("http://www.opengis.net/def/crs/")
        .or_else(|| text.strip_prefix("https://www.opengis.net/def/crs/"));
    if let Some(rest) = url {
        let mut parts = rest.split('/');
        let (authority, _version, code) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        return match authority {
            "epsg" => Some(Name::Epsg(code)),
            "ogc" if code == "crs84" => Some(Name::Crs84),
            _ => None,
        };
    }
    None
}

/// Checks that the backend can use `code` as a 2D CRS; the error is a message.
fn check_code(code: u32) -> Result<(), String> {
    let proj = proj4rs_proj(code)?;
    if proj.is_geocent() {
        return Err(format!(
            "EPSG:{code} is a geocentric (3D) CRS; a 2D geographic or projected CRS is needed"
        ));
    }
    #[cfg(feature = "proj")]
    proj_backend::check_code(code)?;
    Ok(())
}

/// The proj4rs definition of `code`; the error is a message.
fn proj4rs_proj(code: u32) -> Result<proj4rs::Proj, String> {
    let unknown = || format!("EPSG code {code} is not known to the projection backend");
    let built = if code == Crs::RD_NEW.0 {
        proj4rs::Proj::from_proj_string(RD_NEW_PROJ4)
    } else {
        let short = u16::try_from(code).map_err(|_| unknown())?;
        match proj4rs::Proj::from_epsg_code(short) {
            Err(proj4rs::errors::Error::ProjectionNotFound) => return Err(unknown()),
            other => other,
        }
    };
    built.map_err(|e| format!("EPSG:{code} cannot be used by proj4rs: {e}"))
}

/// Which library a [`Transformer`] calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    #[cfg_attr(
        all(feature = "proj", not(test)),
        expect(
            dead_code,
            reason = "with `proj`, only the agreement test builds proj4rs transformers"
        )
    )]
    Proj4rs,
    #[cfg(feature = "proj")]
    Proj,
}

impl Backend {
    /// The backend selected by the cargo features.
    #[cfg(not(feature = "proj"))]
    const SELECTED: Backend = Backend::Proj4rs;
    #[cfg(feature = "proj")]
    const SELECTED: Backend = Backend::Proj;
}

/// The prepared state of a conversion.
enum Inner {
    Identity,
    Proj4rs(Box<Proj4rsPair>),
    /// The `proj::Proj` itself lives in a per-thread cache (it is !Send).
    #[cfg(feature = "proj")]
    Proj {
        /// Whether the source is lon/lat (to reject |lat| > 90 before PROJ sees it).
        src_geographic: bool,
    },
}

/// Source and target definitions for proj4rs (which is Send + Sync).
struct Proj4rsPair {
    src: proj4rs::Proj,
    dst: proj4rs::Proj,
}

/// Converts coordinates between two CRSs.
///
/// Build once, convert many; `Send + Sync`, so one transformer can serve a
/// rayon pool. With the `proj` feature each thread keeps its own PROJ object
/// (PROJ's are not thread-safe), created on first use in that thread.
///
/// # Examples
/// ```
/// use binnenstad::crs::{Crs, Transformer};
/// let t = Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
/// let (lon, lat) = t.convert(155_000.0, 463_000.0).unwrap(); // Amersfoort
/// assert!((lon - 5.3872035).abs() < 1e-6 && (lat - 52.1551723).abs() < 1e-6);
/// ```
pub struct Transformer {
    from: Crs,
    to: Crs,
    inner: Inner,
}

impl fmt::Debug for Transformer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let backend = match self.inner {
            Inner::Identity => "identity",
            Inner::Proj4rs(_) => "proj4rs",
            #[cfg(feature = "proj")]
            Inner::Proj { .. } => "PROJ",
        };
        f.debug_struct("Transformer")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("backend", &backend)
            .finish()
    }
}

impl Transformer {
    /// A transformer from `from` to `to` using the selected backend.
    ///
    /// # Errors
    /// [`Error::Crs`] when the backend cannot build the conversion.
    pub fn new(from: Crs, to: Crs) -> Result<Transformer, Error> {
        Transformer::with_backend(from, to, Backend::SELECTED)
    }

    fn with_backend(from: Crs, to: Crs, backend: Backend) -> Result<Transformer, Error> {
        let err = |message: String| Error::Crs {
            crs: format!("{from} -> {to}"),
            message,
        };
        let inner = if from == to {
            Inner::Identity
        } else {
            match backend {
                Backend::Proj4rs => Inner::Proj4rs(Box::new(Proj4rsPair {
                    src: proj4rs_proj(from.0).map_err(err)?,
                    dst: proj4rs_proj(to.0).map_err(err)?,
                })),
                #[cfg(feature = "proj")]
                Backend::Proj => {
                    // Build it now on this thread so errors surface here.
                    proj_backend::with_proj(from, to, |_| ()).map_err(err)?;
                    Inner::Proj {
                        src_geographic: from.is_geographic(),
                    }
                }
            }
        };
        Ok(Transformer { from, to, inner })
    }

    /// The source CRS.
    pub fn source(&self) -> Crs {
        self.from
    }

    /// The target CRS.
    pub fn target(&self) -> Crs {
        self.to
    }

    /// Whether source and target are the same CRS (coordinates pass unchanged).
    pub fn identity(&self) -> bool {
        matches!(self.inner, Inner::Identity)
    }

    /// Converts one position.
    ///
    /// # Units
    /// `x, y` in the source CRS's units: (longitude, latitude) degrees for a
    /// geographic CRS, (easting, northing) otherwise. The result is in the
    /// target CRS's units, same order.
    ///
    /// # Errors
    /// [`Error::Crs`] for a non-finite input, a latitude beyond ±90°, or a
    /// position the backend cannot convert (or converts to a non-finite value).
    pub fn convert(&self, x: f64, y: f64) -> Result<(f64, f64), Error> {
        let err = |message: String| Error::Crs {
            crs: format!("{} -> {}", self.from, self.to),
            message: format!("cannot convert ({x}, {y}): {message}"),
        };
        if !x.is_finite() || !y.is_finite() {
            return Err(err("coordinate is not a finite number".to_string()));
        }
        let (out_x, out_y) = match &self.inner {
            Inner::Identity => return Ok((x, y)),
            Inner::Proj4rs(pair) => convert_proj4rs(pair, x, y).map_err(err)?,
            #[cfg(feature = "proj")]
            Inner::Proj { src_geographic } => {
                if *src_geographic && y.abs() > 90.0 {
                    return Err(err("latitude beyond ±90°".to_string()));
                }
                proj_backend::with_proj(self.from, self.to, |p| {
                    p.convert((x, y)).map_err(|e| e.to_string())
                })
                .and_then(|r| r)
                .map_err(err)?
            }
        };
        if out_x.is_finite() && out_y.is_finite() {
            Ok((out_x, out_y))
        } else {
            Err(err("the backend returned a non-finite result".to_string()))
        }
    }

    /// Converts every coordinate of a geometry.
    ///
    /// # Errors
    /// The first coordinate that [`Transformer::convert`] rejects.
    pub fn convert_geometry<G>(&self, g: &G) -> Result<G, Error>
    where
        G: geo::MapCoords<f64, f64, Output = G>,
    {
        g.try_map_coords(|c| {
            self.convert(c.x, c.y)
                .map(|(x, y)| geo::coord! { x: x, y: y })
        })
    }

    /// Name of the backend [`Transformer::new`] uses: `"proj4rs"` or
    /// `"PROJ <version>"` (the runtime library's version).
    pub fn backend() -> &'static str {
        match Backend::SELECTED {
            Backend::Proj4rs => "proj4rs",
            #[cfg(feature = "proj")]
            Backend::Proj => proj_backend::name(),
        }
    }
}

/// proj4rs works in radians for geographic CRSs; the error is a message.
fn convert_proj4rs(pair: &Proj4rsPair, x: f64, y: f64) -> Result<(f64, f64), String> {
    let (x, y) = if pair.src.is_latlong() {
        if y.abs() > 90.0 {
            return Err("latitude beyond ±90°".to_string());
        }
        (x.to_radians(), y.to_radians())
    } else {
        (x, y)
    };
    let (x, y) =
        proj4rs::adaptors::transform_xy(&pair.src, &pair.dst, x, y).map_err(|e| e.to_string())?;
    Ok(if pair.dst.is_latlong() {
        (x.to_degrees(), y.to_degrees())
    } else {
        (x, y)
    })
}

/// The PROJ backend: one `proj::Proj` per (thread, from, to).
#[cfg(feature = "proj")]
mod proj_backend {
    use super::Crs;
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::collections::hash_map::Entry;
    use std::sync::OnceLock;

    thread_local! {
        static CACHE: RefCell<HashMap<(Crs, Crs), proj::Proj>> = RefCell::new(HashMap::new());
    }

    /// Runs `f` with this thread's PROJ object for `from -> to`, creating it
    /// on first use; the error is a message.
    pub(super) fn with_proj<R>(
        from: Crs,
        to: Crs,
        f: impl FnOnce(&proj::Proj) -> R,
    ) -> Result<R, String> {
        CACHE
            .try_with(|cache| {
                let mut cache = cache
                    .try_borrow_mut()
                    .map_err(|_| "PROJ cache already in use on this thread".to_string())?;
                let proj = match cache.entry((from, to)) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => e.insert(
                        proj::Proj::new_known_crs(&from.to_string(), &to.to_string(), None)
                            .map_err(|e| format!("PROJ cannot build the conversion: {e}"))?,
                    ),
                };
                Ok(f(proj))
            })
            .map_err(|_| "PROJ cache unavailable (thread is exiting)".to_string())?
    }

    /// Checks that PROJ knows `code` as a CRS.
    pub(super) fn check_code(code: u32) -> Result<(), String> {
        proj::Proj::new(&format!("EPSG:{code}"))
            .map(|_| ())
            .map_err(|e| format!("EPSG code {code} is not known to PROJ: {e}"))
    }

    /// "PROJ <version>" of the library linked at run time.
    pub(super) fn name() -> &'static str {
        static NAME: OnceLock<String> = OnceLock::new();
        NAME.get_or_init(|| {
            let version = proj::Proj::new("+proj=longlat +datum=WGS84 +type=crs")
                .ok()
                .and_then(|p| p.lib_info().ok())
                .map(|info| info.version);
            match version {
                Some(v) => format!("PROJ {v}"),
                None => "PROJ (unknown version)".to_string(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_error_tells_metric_from_distorting_crs() {
        let amsterdam = [4.88, 52.36, 4.91, 52.38];
        let netherlands = [3.4, 50.8, 7.2, 53.5];
        assert!(Crs::RD_NEW.scale_error(netherlands).unwrap() < 0.0003);
        let utm31 = Crs::utm_for(4.9, 52.37);
        assert!(utm31.scale_error(amsterdam).unwrap() < 0.001);
        let mercator = crs(3857).scale_error(amsterdam).unwrap();
        assert!((mercator - 0.637).abs() < 0.01, "{mercator}");
        assert!(crs(32635).scale_error(amsterdam).unwrap() > 0.01);
    }
    use geo::{line_string, polygon};
    use proptest::prelude::*;

    /// Ground distance in metres between two nearby lon/lat positions
    /// (equirectangular; plenty for centimetre checks).
    fn ground_m(a: (f64, f64), b: (f64, f64)) -> f64 {
        const M_PER_DEG: f64 = 111_320.0;
        let dx = (a.0 - b.0) * M_PER_DEG * a.1.to_radians().cos();
        let dy = (a.1 - b.1) * M_PER_DEG;
        dx.hypot(dy)
    }

    fn planar_m(a: (f64, f64), b: (f64, f64)) -> f64 {
        (a.0 - b.0).hypot(a.1 - b.1)
    }

    /// (name, input, expected output) in the units of the CRSs involved.
    type KnownPoint = (&'static str, (f64, f64), (f64, f64));

    /// RD New x, y → (lon, lat), from PROJ 9.1.1:
    /// `printf "155000 463000\n..." | cs2cs -f %.10f EPSG:28992 EPSG:4326`
    /// (cs2cs prints EPSG:4326 as lat lon; swapped here). The first two match
    /// DEPENDENCIES.md §3.
    const RD_POINTS: [KnownPoint; 6] = [
        (
            "Amersfoort",
            (155_000.0, 463_000.0),
            (5.3872035084, 52.1551723012),
        ),
        (
            "Amsterdam",
            (121_400.0, 487_400.0),
            (4.8938039055, 52.3734457455),
        ),
        (
            "Utrecht",
            (136_700.0, 455_900.0),
            (5.1201761899, 52.0910555088),
        ),
        (
            "Maastricht",
            (176_000.0, 317_000.0),
            (5.6853335559, 50.8424601799),
        ),
        (
            "Groningen",
            (233_800.0, 582_000.0),
            (6.5669374297, 53.2188078450),
        ),
        (
            "Den Haag",
            (81_000.0, 455_000.0),
            (4.3077029319, 52.0783244966),
        ),
    ];

    /// (lon, lat) → EPSG:3067 (ETRS89 / TM35FIN), from PROJ 9.1.1:
    /// `printf "60.1699 24.9384\n..." | cs2cs -f %.9f EPSG:4326 EPSG:3067`
    /// (input lat lon, as cs2cs reads EPSG:4326).
    const FINLAND_POINTS: [KnownPoint; 3] = [
        (
            "Helsinki",
            (24.9384, 60.1699),
            (385_611.316684942, 6_672_118.380202087),
        ),
        (
            "Oulu",
            (25.4651, 65.0121),
            (427_657.547671389, 7_210_681.467421458),
        ),
        (
            "Lapland",
            (21.0, 69.0),
            (260_360.805213055, 7_666_089.697537511),
        ),
    ];

    /// (lon, lat) → EPSG:32631 (WGS 84 / UTM 31N), same method:
    /// `printf "52.0 5.0\n..." | cs2cs -f %.9f EPSG:4326 EPSG:32631`.
    const UTM31_POINTS: [KnownPoint; 4] = [
        ("NL", (5.0, 52.0), (637_294.365894371, 5_762_926.812914039)),
        (
            "Amsterdam",
            (4.9041, 52.3676),
            (629_638.038724067, 5_803_631.23017326),
        ),
        (
            "Paris",
            (2.3522, 48.8566),
            (452_482.532702628, 5_411_717.1768689),
        ),
        (
            "Gascogne",
            (0.5, 43.0),
            (296_224.504224481, 4_763_847.752984084),
        ),
    ];

    /// (lon, lat) → EPSG:25832 (ETRS89 / UTM 32N), same method.
    const UTM32_ETRS_POINTS: [KnownPoint; 3] = [
        (
            "Berlin",
            (13.405, 52.52),
            (798_812.802574413, 5_827_999.899986004),
        ),
        (
            "München",
            (11.582, 48.1351),
            (692_095.145201737, 5_334_540.635959932),
        ),
        (
            "central meridian",
            (9.0, 51.0),
            (500_000.0, 5_649_824.888131557),
        ),
    ];

    /// (lon, lat) → EPSG:32756 (WGS 84 / UTM 56S), same method.
    const UTM56S_POINTS: [KnownPoint; 1] = [(
        "Sydney",
        (151.2093, -33.8688),
        (334_368.633648097, 6_250_948.345385009),
    )];

    fn crs(code: u32) -> Crs {
        Crs::from_epsg(code).unwrap()
    }

    #[test]
    fn crs_rd_to_wgs84_known_points_within_1cm() {
        let t = Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        for (name, (x, y), expected) in RD_POINTS {
            let got = t.convert(x, y).unwrap();
            let d = ground_m(got, expected);
            assert!(d < 0.01, "{name}: {got:?} vs {expected:?}: {d} m");
        }
    }

    #[test]
    fn crs_wgs84_to_rd_known_points_within_1cm() {
        let t = Transformer::new(Crs::WGS84, Crs::RD_NEW).unwrap();
        for (name, expected, (lon, lat)) in RD_POINTS {
            let got = t.convert(lon, lat).unwrap();
            // The reference lon/lat are rounded to 1e-10° (~0.01 mm).
            let d = planar_m(got, expected);
            assert!(d < 0.01, "{name}: {got:?} vs {expected:?}: {d} m");
        }
    }

    fn check_projected(to: Crs, points: &[KnownPoint]) {
        let fwd = Transformer::new(Crs::WGS84, to).unwrap();
        let inv = Transformer::new(to, Crs::WGS84).unwrap();
        for &(name, (lon, lat), expected) in points {
            let got = fwd.convert(lon, lat).unwrap();
            let d = planar_m(got, expected);
            assert!(d < 0.01, "{to} {name}: {got:?} vs {expected:?}: {d} m");
            let back = inv.convert(expected.0, expected.1).unwrap();
            let d = ground_m(back, (lon, lat));
            assert!(d < 0.01, "{to} {name} inverse: {back:?}: {d} m");
        }
    }

    #[test]
    fn crs_finland_tm35fin_known_points() {
        check_projected(crs(3067), &FINLAND_POINTS);
    }

    #[test]
    fn crs_utm_known_points() {
        check_projected(crs(32631), &UTM31_POINTS);
        check_projected(crs(25832), &UTM32_ETRS_POINTS);
        check_projected(crs(32756), &UTM56S_POINTS);
    }

    #[test]
    fn crs_projected_to_projected() {
        // RD → UTM 31N goes through WGS84 in both backends.
        let t = Transformer::new(Crs::RD_NEW, crs(32631)).unwrap();
        let via = Transformer::new(Crs::WGS84, crs(32631)).unwrap();
        let (_, rd, lonlat) = RD_POINTS[1];
        let direct = t.convert(rd.0, rd.1).unwrap();
        let two_step = via.convert(lonlat.0, lonlat.1).unwrap();
        assert!(planar_m(direct, two_step) < 0.01);
    }

    #[test]
    fn crs_convert_geometry() {
        let t = Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        let square = polygon![
            (x: 155_000.0, y: 463_000.0),
            (x: 155_100.0, y: 463_000.0),
            (x: 155_100.0, y: 463_100.0),
            (x: 155_000.0, y: 463_000.0),
        ];
        let out = t.convert_geometry(&square).unwrap();
        let first = out.exterior().0[0];
        assert!(ground_m((first.x, first.y), RD_POINTS[0].2) < 0.01);
        assert_eq!(out.exterior().0.len(), 4);
        let back = Transformer::new(Crs::WGS84, Crs::RD_NEW)
            .unwrap()
            .convert_geometry(&out)
            .unwrap();
        for (a, b) in back.exterior().0.iter().zip(&square.exterior().0) {
            assert!(planar_m((a.x, a.y), (b.x, b.y)) < 0.001);
        }
        let bad = line_string![(x: 155_000.0, y: 463_000.0), (x: f64::NAN, y: 0.0)];
        assert!(t.convert_geometry(&bad).is_err());
    }

    #[test]
    fn crs_identity() {
        let t = Transformer::new(Crs::RD_NEW, Crs::RD_NEW).unwrap();
        assert!(t.identity());
        assert_eq!(t.convert(1.5, 2.5).unwrap(), (1.5, 2.5));
        assert!(
            !Transformer::new(Crs::RD_NEW, Crs::WGS84)
                .unwrap()
                .identity()
        );
    }

    #[test]
    fn crs_convert_rejects_bad_input() {
        let t = Transformer::new(Crs::WGS84, Crs::RD_NEW).unwrap();
        for (x, y) in [
            (f64::NAN, 52.0),
            (5.0, f64::INFINITY),
            (f64::NEG_INFINITY, 0.0),
            (5.0, 91.0),
            (5.0, -1e300),
        ] {
            let e = t.convert(x, y).unwrap_err();
            assert!(matches!(e, Error::Crs { .. }), "{e}");
        }
        let e = t.convert(f64::NAN, 1.0).unwrap_err().to_string();
        assert!(e.contains("EPSG:4326 -> EPSG:28992"), "{e}");
    }

    #[test]
    fn crs_transformer_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Transformer>();
        // And works from another thread than the one that built it.
        let t = Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        let got = std::thread::scope(|s| s.spawn(|| t.convert(155_000.0, 463_000.0)).join());
        let got = got.unwrap().unwrap();
        assert!(ground_m(got, RD_POINTS[0].2) < 0.01);
    }

    #[test]
    fn crs_backend_name() {
        let name = Transformer::backend();
        if cfg!(feature = "proj") {
            assert!(name.starts_with("PROJ "), "{name}");
        } else {
            assert_eq!(name, "proj4rs");
        }
    }

    #[test]
    fn crs_parse_accepts_every_spelling() {
        let rd = [
            "EPSG:28992",
            "epsg:28992",
            "  EPSG:28992 ",
            "urn:ogc:def:crs:EPSG::28992",
            "urn:ogc:def:crs:EPSG:6.6:28992",
            "urn:x-ogc:def:crs:EPSG:6.6:28992",
            "http://www.opengis.net/def/crs/EPSG/0/28992",
            "https://www.opengis.net/def/crs/EPSG/0/28992",
        ];
        for text in rd {
            assert_eq!(Crs::parse(text).unwrap(), Crs::RD_NEW, "{text}");
        }
        let wgs84 = [
            "urn:ogc:def:crs:OGC:1.3:CRS84",
            "urn:ogc:def:crs:OGC::CRS84",
            "OGC:CRS84",
            "CRS84",
            "crs84",
            "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            "EPSG:4326",
            "urn:ogc:def:crs:EPSG::4326",
        ];
        for text in wgs84 {
            assert_eq!(Crs::parse(text).unwrap(), Crs::WGS84, "{text}");
        }
        assert_eq!(Crs::parse("EPSG:3067").unwrap().epsg(), 3067);
    }

    #[test]
    fn crs_parse_errors_are_clear() {
        let message = |text: &str| match Crs::parse(text) {
            Err(Error::Crs { crs, message }) => {
                assert_eq!(crs, text);
                message
            }
            other => panic!("{text}: {other:?}"),
        };
        assert!(message("EPSG:abc").contains("not an EPSG code"));
        assert!(message("EPSG:").contains("not an EPSG code"));
        assert!(message("EPSG:+28992").contains("not an EPSG code"));
        assert!(message("EPSG:999999").contains("not known"));
        assert!(message("EPSG:99999999999").contains("out of range"));
        assert!(message("foo").contains("unrecognised"));
        assert!(message("").contains("unrecognised"));
        assert!(message("urn:ogc:def:crs:EPSG:28992").contains("unrecognised"));
        assert!(message("urn:ogc:def:crs:OGC:1.3:CRS83").contains("unrecognised"));
        assert!(message("http://www.opengis.net/def/crs/EPSG/0/28992/x").contains("unrecognised"));
        let shown = Crs::parse("foo").unwrap_err().to_string();
        assert!(shown.starts_with("CRS foo: "), "{shown}");
    }

    #[test]
    fn crs_from_epsg() {
        assert_eq!(Crs::from_epsg(28992).unwrap(), Crs::RD_NEW);
        assert_eq!(Crs::from_epsg(4326).unwrap(), Crs::WGS84);
        assert!(Crs::from_epsg(3067).is_ok());
        assert!(Crs::from_epsg(0).is_err());
        assert!(Crs::from_epsg(999_999).is_err());
        assert!(Crs::from_epsg(u32::MAX).is_err());
        // Geocentric WGS 84 is not a 2D CRS.
        let e = Crs::from_epsg(4978).unwrap_err().to_string();
        assert!(e.contains("geocentric"), "{e}");
    }

    #[test]
    fn crs_display_and_urn_round_trip() {
        assert_eq!(Crs::RD_NEW.to_string(), "EPSG:28992");
        assert_eq!(Crs::WGS84.to_string(), "EPSG:4326");
        assert_eq!(Crs::RD_NEW.urn(), "urn:ogc:def:crs:EPSG::28992");
        assert_eq!(Crs::WGS84.urn(), "urn:ogc:def:crs:OGC:1.3:CRS84");
        for c in [Crs::RD_NEW, Crs::WGS84, crs(3067), crs(32631)] {
            assert_eq!(Crs::parse(&c.urn()).unwrap(), c);
            assert_eq!(Crs::parse(&c.to_string()).unwrap(), c);
        }
    }

    #[test]
    fn crs_is_geographic() {
        assert!(Crs::WGS84.is_geographic());
        assert!(crs(4258).is_geographic()); // ETRS89
        assert!(!Crs::RD_NEW.is_geographic());
        assert!(!crs(3067).is_geographic());
        assert!(!Crs::utm_for(5.0, 52.0).is_geographic());
    }

    #[test]
    fn crs_utm_for() {
        assert_eq!(Crs::utm_for(5.0, 52.0).epsg(), 32631);
        assert_eq!(Crs::utm_for(6.57, 53.22).epsg(), 32632); // Groningen
        assert_eq!(Crs::utm_for(151.2, -33.9).epsg(), 32756); // Sydney
        assert_eq!(Crs::utm_for(-180.0, 0.0).epsg(), 32601);
        assert_eq!(Crs::utm_for(180.0, 0.0).epsg(), 32601); // wraps
        assert_eq!(Crs::utm_for(179.99, 0.0).epsg(), 32660);
        assert_eq!(Crs::utm_for(-0.001, -0.001).epsg(), 32730);
        assert_eq!(Crs::utm_for(5.3, 60.4).epsg(), 32632); // Bergen, 32V
        assert_eq!(Crs::utm_for(15.6, 78.2).epsg(), 32633); // Longyearbyen, 33X
        assert_eq!(Crs::utm_for(f64::NAN, f64::NAN).epsg(), 32601);
        // Every zone is a code the backend knows.
        for zone in 0..60 {
            let lon = -177.0 + 6.0 * f64::from(zone);
            for lat in [-45.0, 45.0] {
                let c = Crs::utm_for(lon, lat);
                assert_eq!(Crs::from_epsg(c.epsg()).unwrap(), c);
            }
        }
    }

    #[test]
    fn crs_plausible_bounds() {
        assert_eq!(Crs::WGS84.plausible_bounds(), [-180.0, -90.0, 180.0, 90.0]);
        assert_eq!(crs(4258).plausible_bounds(), [-180.0, -90.0, 180.0, 90.0]);
        assert_eq!(
            Crs::RD_NEW.plausible_bounds(),
            [-7_000.0, 289_000.0, 300_000.0, 629_000.0]
        );
        let utm = [-1.0e5, -1.0e7, 1.1e6, 1.0e7];
        assert_eq!(crs(32631).plausible_bounds(), utm);
        assert_eq!(crs(32756).plausible_bounds(), utm);
        assert_eq!(crs(3067).plausible_bounds(), utm);
        // Web Mercator: generic box, still contains its whole domain.
        let [x0, y0, x1, y1] = crs(3857).plausible_bounds();
        assert!(x0 < -2.0e7 && y0 < -2.0e7 && x1 > 2.0e7 && y1 > 2.0e7);
        // Every RD known point lies inside the RD box.
        for (_, (x, y), _) in RD_POINTS {
            assert!((-7_000.0..=300_000.0).contains(&x) && (289_000.0..=629_000.0).contains(&y));
        }
    }

    proptest! {
        #[test]
        fn crs_rd_round_trip_below_1mm(x in -7_000.0..300_000.0f64, y in 289_000.0..629_000.0f64) {
            let fwd = Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
            let inv = Transformer::new(Crs::WGS84, Crs::RD_NEW).unwrap();
            let (lon, lat) = fwd.convert(x, y).unwrap();
            let back = inv.convert(lon, lat).unwrap();
            prop_assert!(planar_m(back, (x, y)) < 0.001, "{:?} -> {:?}", (x, y), back);
        }

        #[test]
        fn crs_convert_never_panics(x in any::<f64>(), y in any::<f64>()) {
            for (from, to) in [(Crs::RD_NEW, Crs::WGS84), (Crs::WGS84, Crs::RD_NEW), (Crs::WGS84, Crs::utm_for(5.0, 52.0))] {
                let t = Transformer::new(from, to).unwrap();
                if let Ok((a, b)) = t.convert(x, y) {
                    prop_assert!(a.is_finite() && b.is_finite());
                }
            }
        }

        #[test]
        fn crs_parse_never_panics(text in ".{0,60}") {
            let _ = Crs::parse(&text);
        }

        #[test]
        fn crs_utm_for_is_a_known_zone(lon in -1e4..1e4f64, lat in -90.0..90.0f64) {
            let c = Crs::utm_for(lon, lat);
            prop_assert!((32601..=32660).contains(&c.epsg()) || (32701..=32760).contains(&c.epsg()));
        }
    }

    /// Both backends agree within 1 cm (and their inverses within 1 cm).
    #[cfg(feature = "proj")]
    #[test]
    fn crs_backends_agree() {
        let pair = |from, to| {
            (
                Transformer::with_backend(from, to, Backend::Proj4rs).unwrap(),
                Transformer::with_backend(from, to, Backend::Proj).unwrap(),
            )
        };
        let mut report = Vec::new();
        let mut check = |label: &str, from: Crs, to: Crs, inputs: &[(f64, f64)]| {
            let (a, b) = pair(from, to);
            let mut worst = 0.0f64;
            for &(x, y) in inputs {
                let pa = a.convert(x, y).unwrap();
                let pb = b.convert(x, y).unwrap();
                let d = if to.is_geographic() {
                    ground_m(pa, pb)
                } else {
                    planar_m(pa, pb)
                };
                assert!(
                    d < 0.01,
                    "{label} {from}->{to} at ({x}, {y}): {pa:?} vs {pb:?}: {d} m"
                );
                worst = worst.max(d);
            }
            report.push(format!(
                "{label:<28} {from} -> {to}: max {:.3} µm",
                worst * 1e6
            ));
        };
        let rd: Vec<_> = RD_POINTS.iter().map(|p| p.1).collect();
        let rd_lonlat: Vec<_> = RD_POINTS.iter().map(|p| p.2).collect();
        let fi: Vec<_> = FINLAND_POINTS.iter().map(|p| p.1).collect();
        let fi_xy: Vec<_> = FINLAND_POINTS.iter().map(|p| p.2).collect();
        let utm: Vec<_> = UTM31_POINTS.iter().map(|p| p.1).collect();
        let utm_xy: Vec<_> = UTM31_POINTS.iter().map(|p| p.2).collect();
        let etrs: Vec<_> = UTM32_ETRS_POINTS.iter().map(|p| p.1).collect();
        let mut rd_grid = Vec::new();
        for i in 0..=10 {
            for j in 0..=10 {
                rd_grid.push((
                    10_000.0 + 27_000.0 * f64::from(i),
                    300_000.0 + 32_000.0 * f64::from(j),
                ));
            }
        }
        check("Dutch points", Crs::RD_NEW, Crs::WGS84, &rd);
        check("Dutch points", Crs::WGS84, Crs::RD_NEW, &rd_lonlat);
        check("RD grid 11x11", Crs::RD_NEW, Crs::WGS84, &rd_grid);
        check("Dutch points", Crs::RD_NEW, crs(32631), &rd);
        check("Finland", Crs::WGS84, crs(3067), &fi);
        check("Finland", crs(3067), Crs::WGS84, &fi_xy);
        check("UTM 31N", Crs::WGS84, crs(32631), &utm);
        check("UTM 31N", crs(32631), Crs::WGS84, &utm_xy);
        check("ETRS89 UTM 32N", Crs::WGS84, crs(25832), &etrs);
        println!("backend agreement, proj4rs vs {}:", Transformer::backend());
        for line in report {
            println!("  {line}");
        }
    }
}
