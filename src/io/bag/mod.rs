//! BAG importer: Kadaster's LV BAG 2.0 extract (panden and verblijfsobjecten)
//! to the buildings layer, optionally with 3D BAG floors and heights.
//!
//! - `xml`: streaming reader of `bagStand` files (quick-xml, local names)
//! - `source`: bare XML, zips, zips inside zips, numbered parts, folders
//! - `threedbag`: CityJSON / CityJSONSeq floors and heights by pand id
//! - `join`: BAG panden as the buildings of an OpenStreetMap import
//!
//! # What is kept (the rules, mirrored in `maps/README.md`)
//! - **One voorkomen per object**: the one without `eindGeldigheid`, or with
//!   [`BagOptions::date`] the one valid on that date (begin ≤ date < end).
//!   Two valid voorkomens of one object are reported; the higher
//!   `voorkomenidentificatie` wins.
//! - **Existing panden** ([`pand_exists`]): `Pand in gebruik`, `Pand in
//!   gebruik (niet ingemeten)`, `Verbouwing pand`, `Sloopvergunning verleend`
//!   (still standing) and `Pand buiten gebruik` (standing, out of use: not
//!   the same as vacancy). Not existing: `Bouwvergunning verleend` (planned),
//!   `Bouw gestart` (under construction: its units are still `gevormd`),
//!   `Niet gerealiseerd pand`, `Pand gesloopt`, `Pand ten onrechte opgevoerd`.
//!   Only existing panden become buildings; the others are counted.
//! - **Existing units** ([`unit_exists`]): `Verblijfsobject in gebruik`, `...
//!   in gebruik (niet ingemeten)`, `Verbouwing verblijfsobject`,
//!   `Verblijfsobject buiten gebruik`. Not: `Verblijfsobject gevormd`
//!   (planned), `Niet gerealiseerd verblijfsobject`, `Verblijfsobject
//!   ingetrokken`, `Verblijfsobject ten onrechte opgevoerd`.
//! - **Units per pand**: a unit with several gebruiksdoelen counts once under
//!   each (`units_<gebruiksdoel>`), its oppervlakte split equally between
//!   them (`oppervlakte_<gebruiksdoel>_m2`). A unit in several panden is
//!   counted (units, dwellings) in the pand with the lowest id and as
//!   `units_shared` in the others; its oppervlakte is split equally between
//!   the panden, so floor areas add up. `dwellings` = units with woonfunctie
//!   (CBS's definition of a woning). `floor_area_m2` = the sum of oppervlakte
//!   (gebruiksoppervlakte, NEN 2580: usable, smaller than gross).
//! - **Use from the unit mix** ([`use_from_mix`]): oppervlakte per use
//!   (gebruiksdoel mapped by [`crate::io::load::parse_use`]); `overige
//!   gebruiksfunctie` (storage, garages) counts only when nothing else is
//!   there. The use with more than half of that area is the building's use,
//!   else `mixed`; units without oppervlakte are counted instead of area.
//! - **Panden without units** (when units were read): `use` other,
//!   `non_dwelling` true, 0 dwellings: the BAG registers every home, shop and
//!   office as a verblijfsobject, so a pand with none is a bijgebouw (shed,
//!   garage, transformer house). Without a VBO file units are unknown:
//!   `units` and `dwellings` null, and the loader estimates dwellings.
//! - **Geometry**: `gml:Polygon` rings in RD New, z dropped (srsDimension 3),
//!   interior rings kept; an invalid polygon is repaired
//!   ([`crate::io::validity::make_valid`]) and reported, or reported and
//!   skipped when nothing of it is left.
//! - **bouwjaar**: `year` is [`crate::model::construction_year`] (1005 and
//!   9999 are BAG placeholders: null); `bouwjaar` keeps the number as written.
//!
//! Output: the buildings layer with the canonical properties the loader reads
//! (see [`write_buildings`]), features sorted by id, RD New with the legacy
//! `crs` member.

mod join;
mod source;
mod threedbag;
mod xml;

pub use join::{JoinReport, join_osm, rd_envelope};
pub use source::kadaster_type;
pub use threedbag::{Measured, read as read_3dbag};
pub use xml::{Date, parse_date};

use crate::error::{Diagnostic, Error, Severity};
use crate::model::BuildingUse;
use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// The eleven gebruiksdoelen of a verblijfsobject (Catalogus BAG 2018, §7.3),
/// in the order of the `units_<gebruiksdoel>` properties.
pub const GEBRUIKSDOELEN: [&str; 11] = [
    "woonfunctie",
    "bijeenkomstfunctie",
    "celfunctie",
    "gezondheidszorgfunctie",
    "industriefunctie",
    "kantoorfunctie",
    "logiesfunctie",
    "onderwijsfunctie",
    "sportfunctie",
    "winkelfunctie",
    "overige gebruiksfunctie",
];

/// Index of `overige gebruiksfunctie` in [`GEBRUIKSDOELEN`].
const OVERIGE: usize = 10;

/// The property name part of a gebruiksdoel (`overige gebruiksfunctie` →
/// `overige_gebruiksfunctie`).
pub fn gebruiksdoel_key(i: usize) -> String {
    GEBRUIKSDOELEN[i].replace(' ', "_")
}

/// Whether a pand with this status stands (see the module docs); None for a
/// status the BAG catalogue does not list.
pub fn pand_exists(status: &str) -> Option<bool> {
    match status {
        "Pand in gebruik"
        | "Pand in gebruik (niet ingemeten)"
        | "Verbouwing pand"
        | "Sloopvergunning verleend"
        | "Pand buiten gebruik" => Some(true),
        "Bouwvergunning verleend"
        | "Bouw gestart"
        | "Niet gerealiseerd pand"
        | "Pand gesloopt"
        | "Pand ten onrechte opgevoerd" => Some(false),
        _ => None,
    }
}

/// Whether a verblijfsobject with this status exists (see the module docs);
/// None for a status the BAG catalogue does not list.
pub fn unit_exists(status: &str) -> Option<bool> {
    match status {
        "Verblijfsobject in gebruik"
        | "Verblijfsobject in gebruik (niet ingemeten)"
        | "Verbouwing verblijfsobject"
        | "Verblijfsobject buiten gebruik" => Some(true),
        "Verblijfsobject gevormd"
        | "Niet gerealiseerd verblijfsobject"
        | "Verblijfsobject ingetrokken"
        | "Verblijfsobject ten onrechte opgevoerd" => Some(false),
        _ => None,
    }
}

/// What to import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BagOptions {
    /// Keep panden whose footprint intersects this box, in RD New metres
    /// `[min_x, min_y, max_x, max_y]`; None keeps all.
    pub bbox_rd: Option<[f64; 4]>,
    /// Reference date (`yyyymmdd`): keep the voorkomen valid on it instead of
    /// the current one.
    pub date: Option<Date>,
}

/// One pand as kept: its valid voorkomen.
#[derive(Debug, Clone)]
pub struct Pand {
    /// 16-digit pand id.
    pub id: String,
    /// `voorkomenidentificatie` of the kept voorkomen.
    pub voorkomen: u32,
    /// Status as written.
    pub status: String,
    /// `oorspronkelijkBouwjaar` as written (1005 and 9999 included).
    pub bouwjaar: Option<i64>,
    /// Footprint in RD New metres (repaired when the register's was invalid).
    pub footprint: MultiPolygon<f64>,
}

/// The units of one pand, summed (see the module docs for the rules).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UnitMix {
    /// Existing units counted in this pand.
    pub units: u32,
    /// Units per gebruiksdoel ([`GEBRUIKSDOELEN`] order); a unit with several
    /// counts under each.
    pub units_by_doel: [u32; 11],
    /// Oppervlakte (m²) per gebruiksdoel, split over gebruiksdoelen and panden.
    pub area_by_doel: [f64; 11],
    /// Units with woonfunctie.
    pub dwellings: u32,
    /// Units counted in another pand that also lie in this one.
    pub shared: u32,
}

impl UnitMix {
    /// Total oppervlakte, m².
    pub fn area_m2(&self) -> f64 {
        self.area_by_doel.iter().sum()
    }
}

/// The use of a pand from its unit mix, by area (see the module docs); None
/// for a pand without units.
pub fn use_from_mix(mix: &UnitMix) -> Option<BuildingUse> {
    let weights: [f64; 11] = if mix.area_m2() > 0.0 {
        mix.area_by_doel
    } else {
        mix.units_by_doel.map(f64::from)
    };
    let only_overige = weights
        .iter()
        .enumerate()
        .all(|(i, w)| i == OVERIGE || *w == 0.0);
    let mut by_use: BTreeMap<BuildingUse, f64> = BTreeMap::new();
    for (i, w) in weights.iter().enumerate() {
        if *w > 0.0 && (i != OVERIGE || only_overige) {
            let u = crate::io::load::parse_use(GEBRUIKSDOELEN[i]).unwrap_or(BuildingUse::Other);
            *by_use.entry(u).or_default() += w;
        }
    }
    let total: f64 = by_use.values().sum();
    if total <= 0.0 {
        return None;
    }
    let (best, w) = by_use
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(u, w)| (*u, *w))?;
    Some(if w > total / 2.0 {
        best
    } else {
        BuildingUse::Mixed
    })
}

/// An extract read: the valid voorkomens of the panden kept and the units summed per pand.
#[derive(Debug, Clone, Default)]
pub struct BagExtract {
    /// Panden with a valid voorkomen (every status), sorted by id.
    pub panden: Vec<Pand>,
    /// Units summed per pand id; empty when no VBO file was read.
    pub units: HashMap<String, UnitMix>,
    /// Whether any verblijfsobject file was read (else units are unknown).
    pub units_read: bool,
    /// Counts: voorkomens read, historic ones dropped, units kept ...
    pub counts: BTreeMap<String, usize>,
    /// Data problems in single records.
    pub diagnostics: Vec<Diagnostic>,
}

fn parse_id(text: &str, object_type: &[u8; 2]) -> Option<u64> {
    let t = crate::model::bag_pand_id(text);
    let t = t.as_ref();
    // bag_pand_id restores the zero of pand ids only; a unit id's too.
    let owned;
    let t = if t.len() == 15 && t.as_bytes()[3..5] == *object_type {
        owned = format!("0{t}");
        owned.as_str()
    } else {
        t
    };
    let b = t.as_bytes();
    (b.len() == 16 && b.iter().all(u8::is_ascii_digit) && b[4..6] == *object_type)
        .then(|| t.parse().ok())
        .flatten()
}

/// A file label without its folders (no absolute paths in outputs):
/// `/data/x.zip!a.xml` → `x.zip!a.xml`.
fn short_label(label: &str) -> String {
    let (first, rest) = match label.split_once('!') {
        Some((f, r)) => (f, Some(r)),
        None => (label, None),
    };
    let name = std::path::Path::new(first)
        .file_name()
        .map_or_else(|| first.to_string(), |n| n.to_string_lossy().into_owned());
    match rest {
        Some(r) => format!("{name}!{r}"),
        None => name,
    }
}

fn ring(points: &[[f64; 2]]) -> LineString<f64> {
    LineString(points.iter().map(|p| Coord { x: p[0], y: p[1] }).collect())
}

/// A unit as kept from one file, before the units are summed per pand.
struct UnitRow {
    id: u64,
    panden: Vec<u64>,
    doelen: Vec<usize>,
    area: f64,
}

/// What one XML file gave.
#[derive(Default)]
struct Part {
    panden: Vec<(u64, Pand)>,
    units: Vec<UnitRow>,
    units_read: bool,
    counts: BTreeMap<String, usize>,
    diagnostics: Vec<Diagnostic>,
}

fn warning(label: &str, code: &'static str, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        layer: "buildings".into(),
        file: Some(short_label(label)),
        // The message names the pand or unit: a record has no index.
        feature: None,
        code,
        message,
    }
}

/// Reads one XML file: the valid voorkomens, each checked (see the module docs).
fn read_part(leaf: &source::Leaf, options: &BagOptions) -> Result<Part, Error> {
    let label = leaf.label.as_str();
    let mut part = Part::default();
    let bbox = options
        .bbox_rd
        .map(|[a, b, c, d]| Rect::new(Coord { x: a, y: b }, Coord { x: c, y: d }));
    let mut problems = Vec::new();
    leaf.read(&mut |input| {
        let Part {
            panden,
            units,
            units_read,
            counts,
            diagnostics,
        } = &mut part;
        let mut diag = |code, message| diagnostics.push(warning(label, code, message));
        let mut records = |r: xml::Record| match r {
            xml::Record::Pand(p) => {
                *counts.entry("pand_voorkomens".into()).or_default() += 1;
                if !p.voorkomen.valid_on(options.date) {
                    return;
                }
                let Some(id) = parse_id(&p.id, b"10") else {
                    diag(
                        "bad_id",
                        format!("pand {}: not a 16-digit pand id; skipped", p.id),
                    );
                    return;
                };
                let polygons: Vec<Polygon<f64>> = p
                    .polygons
                    .iter()
                    .filter(|rings| !rings.is_empty())
                    .map(|rings| {
                        Polygon::new(ring(&rings[0]), rings[1..].iter().map(|r| ring(r)).collect())
                    })
                    .collect();
                let mut footprint = MultiPolygon(polygons);
                if footprint.0.is_empty() {
                    diag(
                        "missing_geometry",
                        format!("pand {}: no polygon; skipped", p.id),
                    );
                    return;
                }
                if let Some(b) = bbox {
                    let inside = footprint.bounding_rect().is_some_and(|r| {
                        r.min().x <= b.max().x
                            && r.max().x >= b.min().x
                            && r.min().y <= b.max().y
                            && r.max().y >= b.min().y
                    });
                    if !inside {
                        *counts.entry("panden_outside_bbox".into()).or_default() += 1;
                        return;
                    }
                }
                if let Some(problem) = crate::io::validity::first_problem(&footprint) {
                    let fixed = crate::io::validity::make_valid(&footprint);
                    if fixed.0.is_empty() {
                        diag(
                            "invalid_geometry",
                            format!("pand {}: invalid polygon ({problem}), nothing left after repair; skipped", p.id),
                        );
                        return;
                    }
                    diag(
                        "repaired_geometry",
                        format!("pand {}: invalid polygon ({problem}); repaired", p.id),
                    );
                    footprint = fixed;
                }
                let pand = Pand {
                    id: format!("{id:016}"),
                    voorkomen: p.voorkomen.number,
                    status: p.status,
                    bouwjaar: p.bouwjaar,
                    footprint,
                };
                if pand_exists(&pand.status).is_none() {
                    diag(
                        "unknown_status",
                        format!("pand {}: status {:?} is not in the BAG catalogue; taken as existing", pand.id, pand.status),
                    );
                }
                panden.push((id, pand));
            }
            xml::Record::Unit(u) => {
                *units_read = true;
                *counts.entry("unit_voorkomens".into()).or_default() += 1;
                if !u.voorkomen.valid_on(options.date) {
                    return;
                }
                let Some(id) = parse_id(&u.id, b"01") else {
                    diag(
                        "bad_id",
                        format!("verblijfsobject {}: not a 16-digit verblijfsobject id; skipped", u.id),
                    );
                    return;
                };
                match unit_exists(&u.status) {
                    Some(false) => {
                        *counts.entry("units_not_existing".into()).or_default() += 1;
                        return;
                    }
                    None => diag(
                        "unknown_status",
                        format!("verblijfsobject {}: status {:?} is not in the BAG catalogue; taken as existing", u.id, u.status),
                    ),
                    Some(true) => {}
                }
                let mut pids: Vec<u64> = Vec::new();
                for r in &u.panden {
                    match parse_id(r, b"10") {
                        Some(p) => pids.push(p),
                        None => diag(
                            "bad_id",
                            format!("verblijfsobject {}: PandRef {r:?} is not a pand id; ignored", u.id),
                        ),
                    }
                }
                pids.sort_unstable();
                pids.dedup();
                if pids.is_empty() {
                    diag(
                        "no_pand",
                        format!("verblijfsobject {}: in no pand; skipped", u.id),
                    );
                    return;
                }
                let mut doelen: Vec<usize> = Vec::new();
                for d in &u.gebruiksdoelen {
                    let i = GEBRUIKSDOELEN
                        .iter()
                        .position(|g| g.eq_ignore_ascii_case(d.trim()))
                        .unwrap_or_else(|| {
                            diag(
                                "unknown_gebruiksdoel",
                                format!("verblijfsobject {}: gebruiksdoel {d:?} unknown; counted as overige gebruiksfunctie", u.id),
                            );
                            OVERIGE
                        });
                    if !doelen.contains(&i) {
                        doelen.push(i);
                    }
                }
                if doelen.is_empty() {
                    doelen.push(OVERIGE);
                }
                let area = u.oppervlakte.filter(|a| *a > 0.0 && a.is_finite()).unwrap_or(0.0);
                units.push(UnitRow {
                    id,
                    panden: pids,
                    doelen,
                    area,
                });
            }
        };
        xml::read_stand(input, &mut records, &mut |p| problems.push(p))
            .map_err(|m| Error::file(label, m))
    })?;
    for p in problems {
        let id = p.id.as_deref().unwrap_or("(no id)");
        let message = format!("{} {id}: {}; skipped", p.kind, p.message);
        part.diagnostics.push(warning(label, "bad_record", message));
    }
    Ok(part)
}

/// Reads the extracts (files, zips, folders) into panden and units. The XML
/// files are parsed in parallel (each streamed by its own reader) and merged
/// in their listed order, so the result does not depend on the thread count.
///
/// # Errors
/// [`Error::Io`] / [`Error::File`] naming the file (and zip entry) for
/// unreadable files, malformed XML (with the byte offset), mutation files and
/// other XML; a bad record in a good file is a diagnostic naming the pand or
/// unit id.
pub fn read_extract(paths: &[PathBuf], options: &BagOptions) -> Result<BagExtract, Error> {
    use rayon::prelude::*;
    let listing = source::list(paths)?;
    let parts: Vec<Part> = listing
        .leaves
        .par_iter()
        .map(|leaf| read_part(leaf, options))
        .collect::<Result<_, _>>()?;
    let mut panden: HashMap<u64, Pand> = HashMap::new();
    let mut mixes: HashMap<u64, UnitMix> = HashMap::new();
    let mut units_seen: HashSet<u64> = HashSet::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut units_read = false;
    for (leaf, part) in listing.leaves.iter().zip(parts) {
        let label = leaf.label.as_str();
        for (k, n) in part.counts {
            *counts.entry(k).or_default() += n;
        }
        diags.extend(part.diagnostics);
        units_read |= part.units_read;
        for (id, pand) in part.panden {
            match panden.get(&id) {
                Some(old) => {
                    diags.push(warning(
                        label,
                        "duplicate_voorkomen",
                        format!(
                            "pand {}: two valid voorkomens ({} and {}); the higher is kept",
                            pand.id, old.voorkomen, pand.voorkomen
                        ),
                    ));
                    if pand.voorkomen > old.voorkomen {
                        panden.insert(id, pand);
                    }
                }
                None => {
                    panden.insert(id, pand);
                }
            }
        }
        for u in part.units {
            if !units_seen.insert(u.id) {
                diags.push(warning(
                    label,
                    "duplicate_voorkomen",
                    format!(
                        "verblijfsobject {:016}: two valid voorkomens; the first read is kept",
                        u.id
                    ),
                ));
                continue;
            }
            *counts.entry("units".into()).or_default() += 1;
            let share = u.area / (u.panden.len() * u.doelen.len()) as f64;
            for (k, p) in u.panden.iter().enumerate() {
                let mix = mixes.entry(*p).or_default();
                for d in &u.doelen {
                    mix.area_by_doel[*d] += share;
                }
                if k == 0 {
                    mix.units += 1;
                    for d in &u.doelen {
                        mix.units_by_doel[*d] += 1;
                    }
                    if u.doelen.contains(&0) {
                        mix.dwellings += 1;
                    }
                } else {
                    mix.shared += 1;
                }
            }
        }
    }
    let stats = &listing.stats;
    counts.insert("files_read".into(), stats.files_read);
    counts.insert("entries_skipped".into(), stats.entries_skipped);
    let mut panden: Vec<Pand> = panden.into_values().collect();
    panden.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    counts.insert("panden_valid".into(), panden.len());
    // VBO files of another (or a smaller) area leave most panden without
    // units, which would make them all bijgebouwen: say so.
    let existing = panden
        .iter()
        .filter(|p| pand_exists(&p.status) != Some(false))
        .count();
    let with_units = panden
        .iter()
        .filter(|p| {
            p.id.parse::<u64>()
                .is_ok_and(|id| mixes.get(&id).is_some_and(|m| m.units + m.shared > 0))
        })
        .count();
    if units_read && existing >= 100 && with_units * 10 < existing {
        diags.push(Diagnostic {
            severity: Severity::Warning,
            layer: "buildings".into(),
            file: None,
            feature: None,
            code: "few_units",
            message: format!(
                "only {with_units} of {existing} existing panden have units: are the VBO files \
                 of the same area as the PND files? Panden without units are taken as bijgebouwen"
            ),
        });
    }
    // Voorkomens read but none valid: a historic extract (or a --date outside
    // it) gives an empty map, which must not pass in silence.
    let voorkomens = counts.get("pand_voorkomens").copied().unwrap_or(0);
    if panden.is_empty() && voorkomens > 0 {
        let when = match options.date {
            Some(d) => format!(
                "on the --date given ({}-{:02}-{:02})",
                d / 10_000,
                d / 100 % 100,
                d % 100
            ),
            None => "today: every one has an eindGeldigheid".to_string(),
        };
        diags.push(Diagnostic {
            severity: Severity::Warning,
            layer: "buildings".into(),
            file: None,
            feature: None,
            code: "no_current_panden",
            message: format!(
                "{voorkomens} pand voorkomen(s) read, none valid {when}; give --date YYYY-MM-DD \
                 for a day the extract covers"
            ),
        });
    }
    // PND files without VBO files: no units, so no dwellings and no use from
    // the register; say what to add.
    if !units_read && !panden.is_empty() {
        diags.push(Diagnostic {
            severity: Severity::Warning,
            layer: "buildings".into(),
            file: None,
            feature: None,
            code: "no_units",
            message: format!(
                "no verblijfsobject (VBO) file read: the {existing} existing panden have no \
                 units, so use and dwellings are not from the register (plan estimates them); \
                 add the extract's VBO files (9999VBO*.zip or *VBO*.xml)"
            ),
        });
    }
    let units = mixes
        .into_iter()
        .map(|(id, m)| (format!("{id:016}"), m))
        .collect();
    if counts.get("pand_voorkomens").copied().unwrap_or(0) == 0 && !units_read {
        return Err(Error::file(
            paths
                .first()
                .cloned()
                .unwrap_or_else(|| PathBuf::from("(no extract)")),
            format!(
                "no Pand or Verblijfsobject found ({} file(s) read, {} entries skipped: \
                 only PND and VBO files are read inside zips and folders)",
                stats.files_read, stats.entries_skipped
            ),
        ));
    }
    Ok(BagExtract {
        panden,
        units,
        units_read,
        counts,
        diagnostics: diags,
    })
}

/// One building of the layer: a pand with its units and measurements.
pub struct BagBuilding<'a> {
    /// The pand.
    pub pand: &'a Pand,
    /// Its units (None when no VBO file was read).
    pub mix: Option<UnitMix>,
    /// 3D BAG floors and height, when given.
    pub measured: Option<Measured>,
}

impl BagBuilding<'_> {
    /// Use, `use_source`: from the unit mix (`bag_units`); `other` for a pand
    /// without units (`bag_no_units`); `other` when units were not read (`default`).
    pub fn usage(&self) -> (BuildingUse, &'static str) {
        match &self.mix {
            Some(m) => match use_from_mix(m) {
                Some(u) => (u, "bag_units"),
                None => (BuildingUse::Other, "bag_no_units"),
            },
            None => (BuildingUse::Other, "default"),
        }
    }

    /// Writes the properties (the canonical buildings layer plus the BAG's own).
    pub fn properties(&self, w: &mut crate::io::write::PropWriter) {
        let p = self.pand;
        let (usage, source) = self.usage();
        let no_units = matches!(&self.mix, Some(m) if m.units == 0 && m.shared == 0);
        w.put("id", &p.id);
        w.put("osm_id", ());
        w.put("ref_bag", &p.id);
        w.put("building", ());
        w.put("use", usage.as_str());
        w.put("use_source", source);
        w.put("ground_floor_use", ());
        let m = self.measured.unwrap_or_default();
        w.put("floors", m.floors);
        w.put("floors_source", m.floors.map(|_| "3dbag"));
        w.put("height_m", m.height_m);
        w.put("year", p.bouwjaar.and_then(crate::model::construction_year));
        w.put("bouwjaar", p.bouwjaar);
        w.put("status", &p.status);
        w.put("monument", ());
        w.put("vacant", ());
        match &self.mix {
            Some(mix) => {
                w.put("units", mix.units);
                w.put(
                    "units_business",
                    mix.units - mix.units_by_doel[0].min(mix.units),
                );
                w.put("units_vacant", 0);
                w.put("units_shared", mix.shared);
                w.put("dwellings", mix.dwellings);
                w.put("dwellings_source", "bag_woonfunctie");
                w.put("non_dwelling", no_units);
                let area = mix.area_m2();
                if area > 0.0 {
                    w.round("floor_area_m2", area, 1);
                    w.put("floor_area_source", "bag_oppervlakte");
                } else {
                    w.put("floor_area_m2", ());
                    w.put("floor_area_source", ());
                }
            }
            None => {
                for k in ["units", "units_business", "units_vacant", "units_shared"] {
                    w.put(k, ());
                }
                w.put("dwellings", ());
                w.put("dwellings_source", ());
                w.put("non_dwelling", false);
                w.put("floor_area_m2", ());
                w.put("floor_area_source", ());
            }
        }
        w.put("landmark", ());
        w.put("name", ());
        w.put("lift", ());
        for i in 0..GEBRUIKSDOELEN.len() {
            w.put(
                &format!("units_{}", gebruiksdoel_key(i)),
                self.mix.map(|m| m.units_by_doel[i]),
            );
        }
        for i in 0..GEBRUIKSDOELEN.len() {
            match &self.mix {
                Some(m) => w.round(
                    &format!("oppervlakte_{}_m2", gebruiksdoel_key(i)),
                    m.area_by_doel[i],
                    1,
                ),
                None => w.put(&format!("oppervlakte_{}_m2", gebruiksdoel_key(i)), ()),
            }
        }
    }
}

/// What [`write_buildings`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Buildings written (existing panden).
    pub buildings: usize,
    /// Valid panden left out by status, per status.
    pub left_out: BTreeMap<String, usize>,
    /// Buildings with 3D BAG floors or height.
    pub measured: usize,
}

/// The existing panden of `extract` as building features (see [`BagBuilding`]).
pub fn buildings<'a>(
    extract: &'a BagExtract,
    measured: &HashMap<String, Measured>,
) -> (Vec<BagBuilding<'a>>, Written) {
    let mut written = Written::default();
    let mut out = Vec::with_capacity(extract.panden.len());
    for p in &extract.panden {
        if pand_exists(&p.status) == Some(false) {
            *written.left_out.entry(p.status.clone()).or_default() += 1;
            continue;
        }
        let m = measured.get(&p.id).copied();
        written.measured += usize::from(m.is_some());
        out.push(BagBuilding {
            pand: p,
            mix: extract
                .units_read
                .then(|| extract.units.get(&p.id).copied().unwrap_or_default()),
            measured: m,
        });
    }
    written.buildings = out.len();
    (out, written)
}

/// Writes the buildings layer (RD New, legacy `crs` member, coordinates to
/// 1 mm, right-hand rings, one feature per line, sorted by id) to `out`.
///
/// Properties, in order: `id` (16 digits), `osm_id` (null), `ref_bag`,
/// `building` (null), `use`, `use_source`, `ground_floor_use` (null: the BAG
/// does not say which unit is at street level), `floors` and `floors_source`
/// (3D BAG), `height_m`, `year`, `bouwjaar`, `status`, `monument`, `vacant`
/// (null: not in the BAG), `units`, `units_business` (units without
/// woonfunctie), `units_vacant` (0), `units_shared`, `dwellings`,
/// `dwellings_source` (`bag_woonfunctie`), `non_dwelling`, `floor_area_m2`
/// (sum of oppervlakte, m²) and `floor_area_source`, `landmark`, `name`,
/// `lift` (null), `units_<gebruiksdoel>` and `oppervlakte_<gebruiksdoel>_m2`
/// for the eleven [`GEBRUIKSDOELEN`].
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_buildings(
    out: &mut (dyn std::io::Write + Send),
    buildings: &[BagBuilding<'_>],
) -> Result<(), Error> {
    let writer =
        crate::io::write::GeoJsonWriter::new(crate::crs::Crs::RD_NEW, crate::crs::Crs::RD_NEW)?;
    writer.write_collection(
        out,
        "buildings",
        buildings.len(),
        |i, buf| {
            let b = &buildings[i];
            writer.feature_with(
                buf,
                &b.pand.id,
                b.pand
                    .footprint
                    .0
                    .iter()
                    .map(|p| p.exterior().0.len())
                    .sum(),
                |buf| writer.multi_polygon_into(buf, &b.pand.footprint),
                |w| b.properties(w),
            )
        },
        &|_| {},
    )
}

/// The WGS84 bounds `[w, s, e, n]` of a FeatureCollection's geometry, None when empty.
pub fn collection_bounds(c: &geojson::FeatureCollection) -> Option<[f64; 4]> {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for f in &c.features {
        let Some(g) = &f.geometry else { continue };
        let Ok(g) = geo::Geometry::<f64>::try_from(g.clone()) else {
            continue;
        };
        if let Some(r) = g.bounding_rect() {
            b = [
                b[0].min(r.min().x),
                b[1].min(r.min().y),
                b[2].max(r.max().x),
                b[3].max(r.max().y),
            ];
        }
    }
    b.iter().all(|v| v.is_finite()).then_some(b)
}

/// The README of a map folder written by `import bag`: source, counts, rules, licence.
pub fn readme(
    extract: &[PathBuf],
    threedbag: Option<&std::path::Path>,
    bag: &BagExtract,
    written: &Written,
) -> String {
    let name = |p: &PathBuf| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let files: Vec<String> = extract.iter().map(name).collect();
    let mut s = format!(
        "# Buildings imported from the BAG ({})\n\n",
        files.join(", ")
    );
    s.push_str("Written by `binnenstad import bag`; the rules (status, units, use) are in `maps/README.md`.\n");
    s.push_str("Coordinates are RD New (EPSG:28992, legacy `crs` member), rounded to 1 mm.\n\n");
    s.push_str("| count | n |\n|---|---|\n");
    for (k, n) in &bag.counts {
        s.push_str(&format!("| {k} | {n} |\n"));
    }
    s.push_str(&format!(
        "| buildings (existing panden) | {} |\n",
        written.buildings
    ));
    for (status, n) in &written.left_out {
        s.push_str(&format!("| left out: {status} | {n} |\n"));
    }
    if threedbag.is_some() {
        s.push_str(&format!(
            "| with 3D BAG floors/height | {} |\n",
            written.measured
        ));
    }
    s.push_str(&format!(
        "\nData problems reported during import: {}{}\n\n",
        bag.diagnostics.len(),
        if bag.diagnostics.is_empty() {
            "."
        } else {
            ", each listed in import_problems.txt."
        }
    ));
    s.push_str("## Licence and attribution\n\nBAG: Basisregistratie Adressen en Gebouwen, Kadaster, public domain \
(CC0). Credit \"Bron: Kadaster BAG\".\n");
    if threedbag.is_some() {
        s.push_str("3D BAG: CC BY 4.0, \"(c) 3D BAG by tudelft3d and 3DGI\".\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_follows_the_area_majority_and_ignores_storage_beside_other_uses() {
        let mut m = UnitMix::default();
        m.area_by_doel[0] = 120.0; // woonfunctie
        m.area_by_doel[9] = 80.0; // winkelfunctie
        assert_eq!(use_from_mix(&m), Some(BuildingUse::Residential));
        m.area_by_doel[5] = 60.0; // kantoorfunctie: 120 of 260 is not more than half
        assert_eq!(use_from_mix(&m), Some(BuildingUse::Mixed));
        let mut s = UnitMix::default();
        s.area_by_doel[9] = 50.0;
        s.area_by_doel[OVERIGE] = 400.0; // a parking garage under a shop
        assert_eq!(use_from_mix(&s), Some(BuildingUse::Retail));
        let mut o = UnitMix::default();
        o.area_by_doel[OVERIGE] = 18.0;
        assert_eq!(use_from_mix(&o), Some(BuildingUse::Other));
        // No oppervlakte: units decide.
        let mut n = UnitMix::default();
        n.units_by_doel[6] = 2;
        assert_eq!(use_from_mix(&n), Some(BuildingUse::Horeca));
        assert_eq!(use_from_mix(&UnitMix::default()), None);
    }

    #[test]
    fn ids_are_sixteen_digits_of_the_right_object_type() {
        assert_eq!(parse_id("0221100000312938", b"10"), Some(221100000312938));
        assert_eq!(parse_id("221100000312938", b"10"), Some(221100000312938));
        assert_eq!(
            parse_id("NL.IMBAG.Pand.0221100000312938", b"10"),
            Some(221100000312938)
        );
        assert_eq!(parse_id("221010000330226", b"01"), Some(221010000330226));
        assert_eq!(parse_id("0221010000330226", b"10"), None);
        assert_eq!(parse_id("12345", b"10"), None);
    }

    #[test]
    fn statuses_are_those_of_the_catalogue() {
        assert_eq!(pand_exists("Pand buiten gebruik"), Some(true));
        assert_eq!(pand_exists("Pand gesloopt"), Some(false));
        assert_eq!(pand_exists("Bouwvergunning verleend"), Some(false));
        // A real catalogue status (Doesburg 2015: 88 panden): under construction.
        assert_eq!(pand_exists("Bouw gestart"), Some(false));
        assert_eq!(unit_exists("Verblijfsobject gevormd"), Some(false));
        assert_eq!(unit_exists("Verblijfsobject buiten gebruik"), Some(true));
        assert_eq!(pand_exists("Pand in aanbouw"), None);
    }
}
