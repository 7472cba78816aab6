//! Scenarios: one planning question as a TOML file under version control.
//!
//! Two types, as in STYLE.md: [`RawScenario`] mirrors the TOML exactly
//! (`deny_unknown_fields`, `version`), and [`Scenario`] is the validated,
//! typed form the engine takes. Every default lives in this file, in the
//! `defaults` functions, and is documented with its unit in
//! `scenarios/README.md`. Paths in a scenario are relative to the file.

use crate::error::{Error, Result};
use crate::model::{AmenityKind, BuildingUse, HorecaCategory, ZoneCharacter};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The scenario format version this build reads.
pub const VERSION: u32 = 1;

/// Default gross floor area per dwelling (m², `model.dwelling_m2`): 90 m² gross
/// is about 75 m² gebruiksoppervlakte at the usual 0.8 ratio, the average size of
/// a dwelling in the older Dutch city centres (CBS/BAG: Amsterdam Centrum about
/// 70 m², the Netherlands about 100 m² gebruiksoppervlakte).
pub const DEFAULT_DWELLING_M2: f64 = 90.0;

// ---------------------------------------------------------------------------
// Raw TOML mirror
// ---------------------------------------------------------------------------

/// The TOML file as written (all optional except `version` and `name`).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Format version; must be 1.
    pub version: u32,
    /// Scenario name (used for the default output folder).
    pub name: String,
    /// What question the scenario answers.
    pub description: Option<String>,
    /// Folder with the layers, relative to the scenario file.
    pub area: Option<String>,
    /// Working CRS ("EPSG:28992", or "auto" for the UTM zone of the data).
    pub crs: Option<String>,
    /// Per-layer file and field mapping.
    #[serde(default)]
    pub layers: BTreeMap<String, RawLayer>,
    /// Walking network settings.
    pub network: Option<RawNetwork>,
    /// Zoning settings.
    pub zoning: Option<RawZoning>,
    /// Suitability settings.
    pub suitability: Option<RawSuitability>,
    /// Transformation-site settings.
    pub sites: Option<RawSites>,
    /// Output settings.
    pub output: Option<RawOutput>,
    /// How missing model values are filled in.
    pub model: Option<RawModel>,
    /// Doelgroep profiles (override or add to the four defaults).
    #[serde(default)]
    pub groups: BTreeMap<String, RawGroup>,
    /// Interventions applied to the inputs before the pipeline runs.
    #[serde(default)]
    pub interventions: Vec<RawIntervention>,
}

/// `[layers.<name>]`: where a layer's file is and how its properties are named.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawLayer {
    /// File path relative to the scenario file (default: `<area>/<layer>.geojson`).
    pub path: Option<String>,
    /// Canonical property name → the property name in the user's file.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// `[network]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawNetwork {
    /// Endpoints closer than this snap together (m).
    pub snap_tolerance_m: Option<f64>,
    /// Longest allowed connector from a feature to the network (m).
    pub max_connector_m: Option<f64>,
    /// Node lines where they cross without a shared vertex (hand-drawn data).
    pub node_crossings: Option<bool>,
    /// Components with less street length than this are reported as islands (m).
    pub island_max_length_m: Option<f64>,
}

/// `[zoning]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawZoning {
    /// Grid cell size (m).
    pub cell_m: Option<f64>,
    /// Kernel radius (m).
    pub kernel_radius_m: Option<f64>,
    /// Kernel shape: "quartic", "triangular", "uniform" or "gaussian".
    pub kernel: Option<String>,
    /// Weights per source.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Index thresholds per class.
    #[serde(default)]
    pub thresholds: BTreeMap<String, f64>,
    /// Zone polygons smaller than this are merged into their neighbour (m²).
    pub min_zone_area_m2: Option<f64>,
}

/// `[suitability]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSuitability {
    /// Score at or above which a building is geschikt (0-100).
    pub geschikt_min_score: Option<f64>,
    /// Score at or above which a building is voorwaardelijk (0-100).
    pub voorwaardelijk_min_score: Option<f64>,
    /// A need counts as a warning (not a fail) up to this factor of its minutes.
    pub warn_factor: Option<f64>,
}

/// `[sites]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSites {
    /// Building uses that are transformation candidates besides vacant buildings.
    pub candidate_uses: Option<Vec<String>>,
    /// Vacant buildings are candidates.
    pub include_vacant: Option<bool>,
    /// Share of gross floor area usable as dwelling floor area (0-1).
    pub usable_share: Option<f64>,
    /// Weights of the transformation-potential components.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
}

/// `[model]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    /// The use given to buildings whose use is missing or `other` (e.g. "residential"
    /// for OSM extracts where every building is plain `building=yes`).
    pub unknown_use: Option<String>,
    /// Gross floor area per dwelling (m²) for estimating the dwellings of a
    /// building whose data does not count them.
    pub dwelling_m2: Option<f64>,
    /// Building ids that are landmarks / public buildings although the data does not say so.
    pub landmarks_add: Option<Vec<String>>,
    /// Building ids that are not landmarks although the data says so (e.g. a
    /// town hall the municipality is leaving, to be studied as a site).
    pub landmarks_remove: Option<Vec<String>>,
    /// Landmark kinds (`department_store`, `station` ...) not treated as landmarks here.
    pub landmark_kinds_remove: Option<Vec<String>>,
}

/// What the scenario changes about which buildings are landmarks / public
/// buildings (not transformation candidates unless removed here).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LandmarkSettings {
    /// Building ids made landmarks (16-digit BAG form).
    pub add: Vec<String>,
    /// Building ids that are not landmarks.
    pub remove: Vec<String>,
    /// Landmark kinds that are not landmarks (lower case).
    pub remove_kinds: Vec<String>,
}

/// `[output]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawOutput {
    /// The doelgroep whose verdicts colour the map.
    pub map_group: Option<String>,
    /// Number of top sites labelled on the map and in the report.
    pub top_sites: Option<usize>,
}

/// `[groups.<name>]`: one doelgroep.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    /// Human-readable label.
    pub label: Option<String>,
    /// Walking speed (km/h).
    pub walk_speed_kmh: Option<f64>,
    /// Amenity kind → maximum walking minutes.
    pub needs_minutes: Option<BTreeMap<String, f64>>,
    /// Highest zone character accepted ("rust", "gemengd", "reuring").
    pub max_zone: Option<String>,
    /// "horeca_1" / "horeca_2" / "horeca_3" → minimum distance (m).
    pub min_distance_m: Option<BTreeMap<String, f64>>,
    /// Dwelling size (m² usable floor area).
    pub unit_m2: Option<f64>,
    /// Needs a ground-floor home or a lift.
    pub step_free: Option<bool>,
    /// Verdict for homes above shops in the kernwinkelgebied: "pass", "warn" or "fail".
    pub above_retail_core: Option<String>,
    /// Score weights per criterion group (needs, zone, horeca, building).
    pub weights: Option<BTreeMap<String, f64>>,
}

/// `[[interventions]]`: one change to the inputs, by stable id.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawIntervention {
    /// Building ids that become homes.
    pub transform: Option<Vec<String>>,
    /// The doelgroep the transformed homes are meant for.
    pub group: Option<String>,
    /// A new amenity.
    pub add_amenity: Option<RawNewPoint>,
    /// Amenity ids to remove.
    pub remove_amenity: Option<Vec<String>>,
    /// A new horeca business.
    pub add_horeca: Option<RawNewPoint>,
    /// Horeca ids to close.
    pub close_horeca: Option<Vec<String>>,
}

/// A point feature added by an intervention.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawNewPoint {
    /// Kind (amenity kind or horeca kind).
    pub kind: String,
    /// Location, `[lon, lat]` in WGS84 degrees.
    pub at: [f64; 2],
    /// Id (default: `scenario/<kind>/<n>`).
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Horeca category 1/2/3 (horeca only; default from the kind).
    pub category: Option<i64>,
}

// ---------------------------------------------------------------------------
// Validated scenario
// ---------------------------------------------------------------------------

/// How the working CRS is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrsChoice {
    /// An explicit EPSG CRS in metres, as written ("EPSG:28992").
    Epsg(String),
    /// The UTM zone of the buildings' centre.
    Auto,
}

/// Where one layer comes from.
#[derive(Debug, Clone)]
pub struct LayerSource {
    /// Layer name (`buildings` ...).
    pub name: String,
    /// Absolute or scenario-relative resolved path.
    pub path: PathBuf,
    /// Whether the layer must exist.
    pub required: bool,
    /// Whether the scenario named this path explicitly.
    pub explicit: bool,
    /// Canonical property name → property name in the file.
    pub fields: BTreeMap<String, String>,
}

impl LayerSource {
    /// The property name to read for a canonical name.
    pub fn field<'a>(&'a self, canonical: &'a str) -> &'a str {
        self.fields
            .get(canonical)
            .map(String::as_str)
            .unwrap_or(canonical)
    }
}

/// Walking network settings.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkSettings {
    /// Endpoints closer than this snap together (m). Default 0.5.
    pub snap_tolerance_m: f64,
    /// Longest connector from a feature to the network (m). Default 250.
    pub max_connector_m: f64,
    /// Node crossing lines without a shared vertex. Default false.
    pub node_crossings: bool,
    /// Components with less total length are islands (m). Default 200.
    pub island_max_length_m: f64,
}

impl Default for NetworkSettings {
    /// The documented defaults: snap 0.5 m, connector 250 m, no crossing nodes, islands under 200 m.
    fn default() -> Self {
        NetworkSettings {
            snap_tolerance_m: 0.5,
            max_connector_m: 250.0,
            node_crossings: false,
            island_max_length_m: 200.0,
        }
    }
}

/// Kernel shapes for the reuring index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// (1 - (d/r)²)², smooth, the common choice for density maps (QGIS heatmap default).
    Quartic,
    /// 1 - d/r.
    Triangular,
    /// 1 inside the radius.
    Uniform,
    /// exp(-d² / (2 (r/3)²)), truncated at r.
    Gaussian,
}

/// Zoning settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoningSettings {
    /// Grid cell size (m). Default 25.
    pub cell_m: f64,
    /// Kernel radius (m). Default 100.
    pub kernel_radius_m: f64,
    /// Kernel shape. Default quartic.
    pub kernel: Kernel,
    /// Weight of one horeca business per category 1, 2, 3. Defaults 1, 3, 8.
    pub horeca_weight: [f64; 3],
    /// Multiplier for horeca that closes after midnight. Default 1.5.
    pub late_opening_factor: f64,
    /// Multiplier for horeca with a terrace. Default 1.25.
    pub terrace_factor: f64,
    /// Index added inside the kernwinkelgebied. Default 2.
    pub retail_core_weight: f64,
    /// Weight of one event place (marketplace, theatre, cinema, square). Default 3.
    pub event_weight: f64,
    /// Index at or above which a cell is gemengd. Default 2.
    pub threshold_gemengd: f64,
    /// Index at or above which a cell is reuring. Default 6.
    pub threshold_reuring: f64,
    /// Zone parts smaller than this are merged into their surroundings (m²). Default 2 cells.
    pub min_zone_area_m2: f64,
}

/// Suitability settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SuitabilitySettings {
    /// Score ≥ this and no fail → geschikt. Default 70.
    pub geschikt_min_score: f64,
    /// Score ≥ this and no knock-out → voorwaardelijk. Default 45.
    pub voorwaardelijk_min_score: f64,
    /// A need up to this factor over its minutes is a warning, beyond a fail. Default 1.5.
    pub warn_factor: f64,
    /// Amenity kinds the map has no usable data for (absent, or fewer than
    /// [`crate::plan::MIN_MAPPED_PER_KM2`] per km² of study area), with how many
    /// are mapped: a need of such a kind is "onbekend (geen data)", not failed
    /// and not in the score. Not a scenario key: the plan fills it from the data.
    pub unknown_needs: Vec<(AmenityKind, u32)>,
    /// The map says which buildings are monuments (enough are marked:
    /// [`crate::plan::monument_data`]). Without that, monument status is
    /// unknown: not "geen monument". Filled by the plan; `true` from the scenario.
    pub monument_data: bool,
}

/// Transformation-site settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteSettings {
    /// Uses that are candidates besides vacant buildings. Default retail, office.
    pub candidate_uses: Vec<BuildingUse>,
    /// Vacant buildings are candidates. Default true.
    pub include_vacant: bool,
    /// Share of gross floor area usable for dwellings. Default 0.8.
    pub usable_share: f64,
    /// Weights of the transformation-potential components (`sites.weights`).
    pub weights: SiteWeights,
}

/// Weights of the components of a site's transformation potential
/// (`[sites] weights = { ... }`); each ≥ 0, not all 0. See
/// [`crate::rules::sites`] for the components.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteWeights {
    /// Suitability for the best doelgroep. Default 0.35.
    pub suitability: f64,
    /// Vacancy (leegstand). Default 0.25.
    pub vacancy: f64,
    /// Location against the kernwinkelgebied. Default 0.15.
    pub location: f64,
    /// Fit of the usable floor area to the group's unit size. Default 0.10.
    pub fit: f64,
    /// Not a monument. Default 0.05.
    pub monument: f64,
    /// Share of the building's data that was measured, not estimated. Default 0.10.
    pub data: f64,
}

impl SiteWeights {
    /// The sum of the weights.
    pub fn total(&self) -> f64 {
        self.suitability + self.vacancy + self.location + self.fit + self.monument + self.data
    }
}

impl Default for SiteWeights {
    fn default() -> Self {
        SiteWeights {
            suitability: 0.35,
            vacancy: 0.25,
            location: 0.15,
            fit: 0.10,
            monument: 0.05,
            data: 0.10,
        }
    }
}

/// Output settings.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputSettings {
    /// Doelgroep for the map colours. Default: the first group (starters when present).
    pub map_group: String,
    /// Top sites labelled. Default 10.
    pub top_sites: usize,
}

/// What a group accepts for homes above shops in the kernwinkelgebied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// Fine.
    Pass,
    /// A condition.
    Warn,
    /// Not suitable.
    Fail,
}

/// A doelgroep profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Doelgroep {
    /// Key (`starters`).
    pub name: String,
    /// Label (`Starters (25-45)`).
    pub label: String,
    /// Walking speed (km/h).
    pub walk_speed_kmh: f64,
    /// Needs: amenity kind → maximum walking minutes.
    pub needs_minutes: BTreeMap<AmenityKind, f64>,
    /// Highest zone character accepted.
    pub max_zone: ZoneCharacter,
    /// Minimum distance to horeca per category (m); absent = no minimum.
    pub min_horeca_distance_m: BTreeMap<HorecaCategory, f64>,
    /// Dwelling size (m²).
    pub unit_m2: f64,
    /// Needs a ground-floor home or a lift.
    pub step_free: bool,
    /// Homes above shops in the kernwinkelgebied.
    pub above_retail_core: Acceptance,
    /// Score weights per criterion group: needs, zone, horeca, building.
    pub weights: BTreeMap<String, f64>,
}

impl Doelgroep {
    /// Walking speed in metres per second.
    pub fn speed_m_per_s(&self) -> f64 {
        self.walk_speed_kmh / 3.6
    }
    /// Walking minutes for a distance in metres.
    pub fn minutes(&self, metres: f64) -> f64 {
        metres / self.speed_m_per_s() / 60.0
    }
    /// The distance in metres walkable in `minutes`.
    pub fn reach_m(&self, minutes: f64) -> f64 {
        minutes * 60.0 * self.speed_m_per_s()
    }
}

/// A validated intervention.
#[derive(Debug, Clone, PartialEq)]
pub enum Intervention {
    /// These buildings become homes (for a group, when given).
    Transform {
        /// Building ids.
        ids: Vec<String>,
        /// Intended doelgroep.
        group: Option<String>,
    },
    /// A new amenity at a WGS84 position.
    AddAmenity {
        /// Id.
        id: String,
        /// Kind.
        kind: AmenityKind,
        /// `[lon, lat]`.
        at: [f64; 2],
        /// Name.
        name: Option<String>,
    },
    /// Amenities removed.
    RemoveAmenity(Vec<String>),
    /// A new horeca business at a WGS84 position.
    AddHoreca {
        /// Id.
        id: String,
        /// Kind (`cafe` ...).
        kind: String,
        /// Category.
        category: HorecaCategory,
        /// `[lon, lat]`.
        at: [f64; 2],
        /// Name.
        name: Option<String>,
    },
    /// Horeca closed.
    CloseHoreca(Vec<String>),
}

/// A validated scenario: everything the engine needs, with every default filled in.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it came from.
    pub path: PathBuf,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Map folder.
    pub area: PathBuf,
    /// Working CRS.
    pub crs: CrsChoice,
    /// Layer sources, in [`crate::model::LAYER_NAMES`] order.
    pub layers: Vec<LayerSource>,
    /// Network settings.
    pub network: NetworkSettings,
    /// Zoning settings.
    pub zoning: ZoningSettings,
    /// Suitability settings.
    pub suitability: SuitabilitySettings,
    /// Site settings.
    pub sites: SiteSettings,
    /// Output settings.
    pub output: OutputSettings,
    /// The use given to buildings whose use is missing or `other`; None keeps `other`.
    pub unknown_use: Option<BuildingUse>,
    /// Gross floor area per dwelling (m², `model.dwelling_m2`, default
    /// [`DEFAULT_DWELLING_M2`]): estimates the woningen of a building whose data
    /// does not count them.
    pub dwelling_m2: f64,
    /// Changes to the landmark / public-building flag (`model.landmarks_*`).
    pub landmarks: LandmarkSettings,
    /// Doelgroepen, sorted by name.
    pub groups: Vec<Doelgroep>,
    /// Interventions in file order.
    pub interventions: Vec<Intervention>,
}

/// Layers that must be present.
const REQUIRED_LAYERS: [&str; 4] = ["buildings", "horeca", "amenities", "streets"];

/// Canonical property names per layer (the keys allowed in `[layers.X] fields`).
pub fn canonical_fields(layer: &str) -> &'static [&'static str] {
    match layer {
        "buildings" => &[
            "id",
            "use",
            "ground_floor_use",
            "floors",
            "height_m",
            "floor_area_m2",
            "vacant",
            "monument",
            "year",
            "name",
            "lift",
        ],
        "horeca" => &[
            "id",
            "kind",
            "category",
            "name",
            "closing_time",
            "closes_after_midnight",
            "terrace_seats",
            "outdoor_seating",
        ],
        "amenities" => &["id", "kind", "name"],
        "streets" => &[
            "id", "highway", "name", "foot", "bridge", "tunnel", "layer", "level",
        ],
        "retail_core" => &["id", "name"],
        "businesses" => &[
            "id",
            "milieucategorie",
            "functiemenging",
            "activity",
            "name",
        ],
        "plan_zones" => &["id", "zone", "name"],
        "study_area" => &["id", "name"],
        _ => &[],
    }
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario> {
        let bytes =
            std::fs::read(path).map_err(|e| Error::io(path, "kan het scenario niet lezen", e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let before = &e.as_bytes()[..at];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            Error::Scenario {
                path: path.to_path_buf(),
                key: key_at(&String::from_utf8_lossy(e.as_bytes()), at)
                    .unwrap_or_else(|| "(tekst)".into()),
                message: format!(
                    "geen geldige UTF-8 op byte {at} (regel {line}); TOML-tekst moet UTF-8 zijn: sla het bestand op als UTF-8"
                ),
            }
        })?;
        Self::from_toml(&text, path)
    }

    /// Parses and validates scenario text; `path` is used for messages and to resolve relative paths.
    pub fn from_toml(text: &str, path: &Path) -> Result<Scenario> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: RawScenario = toml::from_str(text).map_err(|e| Error::Scenario {
            path: path.to_path_buf(),
            key: toml_error_key(text, &e),
            message: toml_message(e.message()) + &toml_error_position(text, &e),
        })?;
        validate(raw, path)
    }

    /// The doelgroep with this name.
    pub fn group(&self, name: &str) -> Option<&Doelgroep> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// The minutes a group needs an amenity kind within (its `needs`); NaN for a
    /// group or kind the scenario does not list.
    pub fn need_minutes(&self, group: &str, kind: AmenityKind) -> f64 {
        self.group(group)
            .and_then(|g| g.needs_minutes.get(&kind).copied())
            .unwrap_or(f64::NAN)
    }

    /// The source of a layer by name.
    pub fn layer(&self, name: &str) -> Option<&LayerSource> {
        self.layers.iter().find(|l| l.name == name)
    }
}

/// The longest scenario `name`, in characters (it names the output folder,
/// which the file system limits to 255 bytes with binnenstad's suffixes).
pub const MAX_NAME_CHARS: usize = 100;

/// The largest `zoning.kernel_radius_m`.
pub const MAX_KERNEL_RADIUS_M: f64 = 2000.0;

fn toml_error_key(text: &str, e: &toml::de::Error) -> String {
    // toml reports unknown fields as "unknown field `x`, expected ..."; name the key.
    let msg = e.message();
    if msg.starts_with("unknown field")
        && let Some(start) = msg.find('`')
        && let Some(len) = msg[start + 1..].find('`')
    {
        return msg[start + 1..start + 1 + len].to_string();
    }
    // A missing key ("missing field `name`"): its span is the table around it, so name the key.
    if let Some(field) = msg
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return field.to_string();
    }
    // A bad value (`top_sites = -1`): the dotted key of the line it is on.
    e.span()
        .and_then(|span| key_at(text, span.start))
        .unwrap_or_else(|| "(syntaxis)".to_string())
}

/// The dotted key (`output.top_sites`) whose value is at byte `at` of the
/// TOML text: the key before `=` on that line, under the last `[table]`
/// header above it. None when the line has no plain `key =`.
fn key_at(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let key = line.split_once('=')?.0.trim();
    let plain = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    if !plain(key) {
        return None;
    }
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string())
        .filter(|t| plain(t));
    Some(match table {
        Some(t) => format!("{t}.{key}"),
        None => key.to_string(),
    })
}

/// The toml reader's message, in Dutch where serde words it (an unknown or
/// missing key); other messages (a wrong type, a syntax error) as the library
/// gives them. The key names stay in backticks, as typed.
fn toml_message(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("unknown field `")
        && let Some((field, rest)) = rest.split_once('`')
    {
        let expected = match rest {
            ", there are no fields" => Some("hier hoort geen enkele sleutel".to_string()),
            _ => rest
                .strip_prefix(", expected one of ")
                .map(|list| format!("verwacht een van {list}"))
                .or_else(|| {
                    rest.strip_prefix(", expected ")
                        .map(|list| format!("verwacht {}", list.replacen("` or `", "` of `", 1)))
                }),
        };
        if let Some(expected) = expected {
            return format!("onbekende sleutel `{field}` ({expected})");
        }
    }
    if let Some(rest) = msg.strip_prefix("missing field `")
        && let Some(field) = rest.strip_suffix('`')
    {
        return format!("sleutel `{field}` ontbreekt");
    }
    msg.to_string()
}

fn toml_error_position(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!(" (regel {line})")
        }
        None => String::new(),
    }
}

struct Ctx<'a> {
    path: &'a Path,
}

impl Ctx<'_> {
    fn err(&self, key: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Scenario {
            path: self.path.to_path_buf(),
            key: key.into(),
            message: message.into(),
        }
    }
    fn positive(&self, key: &str, v: Option<f64>, default: f64) -> Result<f64> {
        let v = v.unwrap_or(default);
        if !v.is_finite() || v <= 0.0 {
            return Err(self.err(key, format!("moet een positief getal zijn, niet {v}")));
        }
        Ok(v)
    }
    fn non_negative(&self, key: &str, v: Option<f64>, default: f64) -> Result<f64> {
        let v = v.unwrap_or(default);
        if !v.is_finite() || v < 0.0 {
            return Err(self.err(key, format!("moet 0 of meer zijn, niet {v}")));
        }
        Ok(v)
    }
    fn fraction(&self, key: &str, v: Option<f64>, default: f64) -> Result<f64> {
        let v = v.unwrap_or(default);
        if !v.is_finite() || !(0.0..=1.0).contains(&v) {
            return Err(self.err(key, format!("moet tussen 0 en 1 liggen, niet {v}")));
        }
        Ok(v)
    }
    fn zone(&self, key: &str, text: &str) -> Result<ZoneCharacter> {
        ZoneCharacter::parse(text).ok_or_else(|| {
            self.err(
                key,
                format!("onbekende zone \"{text}\" (verwacht rust, gemengd of reuring)"),
            )
        })
    }
    fn kind(&self, key: &str, text: &str) -> Result<AmenityKind> {
        AmenityKind::parse(text).ok_or_else(|| {
            let kinds: Vec<&str> = AmenityKind::ALL.iter().map(|k| k.as_str()).collect();
            self.err(
                key,
                format!(
                    "onbekende soort voorziening \"{text}\" (verwacht een van {})",
                    kinds.join(", ")
                ),
            )
        })
    }
    fn lonlat(&self, key: &str, at: [f64; 2]) -> Result<[f64; 2]> {
        let [lon, lat] = at;
        if !(lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat))
        {
            return Err(self.err(
                key,
                format!("[{lon}, {lat}] is geen WGS84-positie [lon, lat] in graden"),
            ));
        }
        Ok(at)
    }
}

/// "onbekend gebouwgebruik" with the uses a scenario may name.
fn unknown_use_message(text: &str) -> String {
    let uses: Vec<&str> = BuildingUse::ALL.iter().map(|u| u.as_str()).collect();
    format!(
        "onbekend gebouwgebruik \"{text}\" (verwacht een van {})",
        uses.join(", ")
    )
}

/// "onbekende doelgroep" with the groups the scenario has.
fn unknown_group_message(name: &str, groups: &[Doelgroep]) -> String {
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    format!(
        "onbekende doelgroep \"{name}\" (verwacht een van {})",
        names.join(", ")
    )
}

/// The four shipped doelgroepen, with their defaults (documented in scenarios/README.md).
pub fn default_groups() -> Vec<Doelgroep> {
    use AmenityKind::*;
    let weights = |needs: f64, zone: f64, horeca: f64, building: f64| {
        BTreeMap::from([
            ("needs".to_string(), needs),
            ("zone".to_string(), zone),
            ("horeca".to_string(), horeca),
            ("building".to_string(), building),
        ])
    };
    vec![
        Doelgroep {
            name: "starters".into(),
            label: "Starters (25-45)".into(),
            walk_speed_kmh: 4.8,
            needs_minutes: BTreeMap::from([
                (Supermarket, 10.0),
                (TransitStop, 10.0),
                (Gp, 15.0),
                (Sports, 15.0),
            ]),
            max_zone: ZoneCharacter::Reuring,
            min_horeca_distance_m: BTreeMap::from([(HorecaCategory::Heavy, 25.0)]),
            unit_m2: 55.0,
            step_free: false,
            above_retail_core: Acceptance::Pass,
            weights: weights(50.0, 15.0, 15.0, 20.0),
        },
        Doelgroep {
            name: "gezinnen".into(),
            label: "Gezinnen".into(),
            walk_speed_kmh: 4.0,
            needs_minutes: BTreeMap::from([
                (Playground, 5.0),
                (Daycare, 10.0),
                (PrimarySchool, 10.0),
                (Supermarket, 10.0),
                (Park, 10.0),
                (Gp, 15.0),
            ]),
            max_zone: ZoneCharacter::Gemengd,
            min_horeca_distance_m: BTreeMap::from([
                (HorecaCategory::Medium, 50.0),
                (HorecaCategory::Heavy, 150.0),
            ]),
            unit_m2: 85.0,
            step_free: false,
            above_retail_core: Acceptance::Fail,
            weights: weights(50.0, 20.0, 20.0, 10.0),
        },
        Doelgroep {
            name: "ouderen".into(),
            label: "Ouderen (65+)".into(),
            walk_speed_kmh: 3.6,
            needs_minutes: BTreeMap::from([
                (Supermarket, 10.0),
                (Gp, 10.0),
                (Pharmacy, 10.0),
                (TransitStop, 5.0),
                (Care, 15.0),
                (CommunityCentre, 15.0),
                (Theatre, 20.0),
            ]),
            max_zone: ZoneCharacter::Gemengd,
            min_horeca_distance_m: BTreeMap::from([
                (HorecaCategory::Medium, 25.0),
                (HorecaCategory::Heavy, 100.0),
            ]),
            unit_m2: 65.0,
            step_free: true,
            above_retail_core: Acceptance::Warn,
            weights: weights(50.0, 20.0, 15.0, 15.0),
        },
        Doelgroep {
            name: "studenten".into(),
            label: "Studenten".into(),
            walk_speed_kmh: 5.0,
            needs_minutes: BTreeMap::from([
                (Supermarket, 10.0),
                (Library, 15.0),
                (TransitStop, 10.0),
            ]),
            max_zone: ZoneCharacter::Reuring,
            min_horeca_distance_m: BTreeMap::new(),
            unit_m2: 30.0,
            step_free: false,
            above_retail_core: Acceptance::Pass,
            weights: weights(50.0, 10.0, 10.0, 30.0),
        },
    ]
}

fn validate(raw: RawScenario, path: &Path) -> Result<Scenario> {
    let cx = Ctx { path };
    if raw.version != VERSION {
        return Err(cx.err(
            "version",
            format!(
                "deze binnenstad leest scenarioversie {VERSION}, het bestand heeft versie {}",
                raw.version
            ),
        ));
    }
    if raw.name.trim().is_empty() || raw.name.contains(['/', '\\']) || raw.name.starts_with('.') {
        return Err(cx.err(
            "name",
            "moet een naam zijn, niet leeg en zonder schuine strepen (de naam wordt de uitvoermap)",
        ));
    }
    if let Some(c) = raw.name.chars().find(|c| c.is_control()) {
        return Err(cx.err(
            "name",
            format!(
                "bevat het stuurteken {} (de naam wordt de uitvoermap; gebruik letters, \
                 cijfers, - en _)",
                c.escape_unicode()
            ),
        ));
    }
    let chars = raw.name.chars().count();
    if chars > MAX_NAME_CHARS || raw.name.len() > 2 * MAX_NAME_CHARS {
        return Err(cx.err(
            "name",
            format!(
                "is {chars} tekens lang; hoogstens {MAX_NAME_CHARS} (de naam wordt de uitvoermap)"
            ),
        ));
    }
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let area = match &raw.area {
        Some(a) => base.join(a),
        None => {
            return Err(cx.err(
                "area",
                "ontbreekt: de map met de kaartlagen, gezien vanaf het scenariobestand",
            ));
        }
    };
    let crs = match raw.crs.as_deref().map(str::trim) {
        None | Some("auto") => CrsChoice::Auto,
        Some(text) => CrsChoice::Epsg(text.to_string()),
    };

    // Layers.
    for key in raw.layers.keys() {
        if !crate::model::LAYER_NAMES.contains(&key.as_str()) {
            return Err(cx.err(
                format!("layers.{key}"),
                format!(
                    "onbekende laag (verwacht een van {})",
                    crate::model::LAYER_NAMES.join(", ")
                ),
            ));
        }
    }
    let mut layers = Vec::new();
    for name in crate::model::LAYER_NAMES {
        let raw_layer = raw.layers.get(name).cloned().unwrap_or_default();
        for canonical in raw_layer.fields.keys() {
            if !canonical_fields(name).contains(&canonical.as_str()) {
                return Err(cx.err(
                    format!("layers.{name}.fields.{canonical}"),
                    format!(
                        "onbekende eigenschap (verwacht een van {})",
                        canonical_fields(name).join(", ")
                    ),
                ));
            }
        }
        let explicit = raw_layer.path.is_some();
        let path = match &raw_layer.path {
            Some(p) => base.join(p),
            None => area.join(format!("{name}.geojson")),
        };
        layers.push(LayerSource {
            name: name.to_string(),
            path,
            required: REQUIRED_LAYERS.contains(&name),
            explicit,
            fields: raw_layer.fields,
        });
    }

    let rn = raw.network.unwrap_or_default();
    let nd = NetworkSettings::default();
    let network = NetworkSettings {
        snap_tolerance_m: cx.non_negative(
            "network.snap_tolerance_m",
            rn.snap_tolerance_m,
            nd.snap_tolerance_m,
        )?,
        max_connector_m: cx.positive(
            "network.max_connector_m",
            rn.max_connector_m,
            nd.max_connector_m,
        )?,
        node_crossings: rn.node_crossings.unwrap_or(nd.node_crossings),
        island_max_length_m: cx.non_negative(
            "network.island_max_length_m",
            rn.island_max_length_m,
            nd.island_max_length_m,
        )?,
    };

    let rz = raw.zoning.unwrap_or_default();
    let cell_m = cx.positive("zoning.cell_m", rz.cell_m, 25.0)?;
    if !(1.0..=1000.0).contains(&cell_m) {
        return Err(cx.err("zoning.cell_m", format!("{cell_m} m ligt buiten 1..1000 m")));
    }
    let kernel_radius_m = cx.positive("zoning.kernel_radius_m", rz.kernel_radius_m, 100.0)?;
    if !(1.0..=MAX_KERNEL_RADIUS_M).contains(&kernel_radius_m) {
        return Err(cx.err(
            "zoning.kernel_radius_m",
            format!(
                "{kernel_radius_m} m ligt buiten 1..{MAX_KERNEL_RADIUS_M} m (hoe ver één \
                 horecazaak doorwerkt op zijn omgeving; standaard 100 m)"
            ),
        ));
    }
    let kernel = match rz.kernel.as_deref().unwrap_or("quartic") {
        "quartic" => Kernel::Quartic,
        "triangular" => Kernel::Triangular,
        "uniform" => Kernel::Uniform,
        "gaussian" => Kernel::Gaussian,
        other => {
            return Err(cx.err(
                "zoning.kernel",
                format!(
                    "onbekende kernelvorm \"{other}\" (verwacht quartic, triangular, uniform of gaussian)"
                ),
            ));
        }
    };
    const ALL_WEIGHT_KEYS: [&str; 7] = [
        "horeca_1",
        "horeca_2",
        "horeca_3",
        "retail_core",
        "event",
        "late_opening",
        "terrace",
    ];
    for key in rz.weights.keys() {
        if !ALL_WEIGHT_KEYS.contains(&key.as_str()) {
            return Err(cx.err(
                format!("zoning.weights.{key}"),
                format!(
                    "onbekend gewicht (verwacht een van {})",
                    ALL_WEIGHT_KEYS.join(", ")
                ),
            ));
        }
    }
    let w = |k: &str, d: f64| {
        cx.non_negative(
            &format!("zoning.weights.{k}"),
            rz.weights.get(k).copied(),
            d,
        )
    };
    for key in rz.thresholds.keys() {
        if key != "gemengd" && key != "reuring" {
            return Err(cx.err(
                format!("zoning.thresholds.{key}"),
                "onbekende drempel (verwacht gemengd of reuring)",
            ));
        }
    }
    let threshold_gemengd = cx.positive(
        "zoning.thresholds.gemengd",
        rz.thresholds.get("gemengd").copied(),
        2.0,
    )?;
    let threshold_reuring = cx.positive(
        "zoning.thresholds.reuring",
        rz.thresholds.get("reuring").copied(),
        6.0,
    )?;
    if threshold_reuring <= threshold_gemengd {
        return Err(cx.err(
            "zoning.thresholds",
            format!(
                "reuring ({threshold_reuring}) moet boven gemengd ({threshold_gemengd}) liggen"
            ),
        ));
    }
    let zoning = ZoningSettings {
        cell_m,
        kernel_radius_m,
        kernel,
        horeca_weight: [
            w("horeca_1", 1.0)?,
            w("horeca_2", 3.0)?,
            w("horeca_3", 8.0)?,
        ],
        late_opening_factor: w("late_opening", 1.5)?,
        terrace_factor: w("terrace", 1.25)?,
        retail_core_weight: w("retail_core", 2.0)?,
        event_weight: w("event", 3.0)?,
        threshold_gemengd,
        threshold_reuring,
        min_zone_area_m2: cx.non_negative(
            "zoning.min_zone_area_m2",
            rz.min_zone_area_m2,
            2.0 * cell_m * cell_m,
        )?,
    };

    let rs = raw.suitability.unwrap_or_default();
    let suitability = SuitabilitySettings {
        geschikt_min_score: cx.non_negative(
            "suitability.geschikt_min_score",
            rs.geschikt_min_score,
            70.0,
        )?,
        voorwaardelijk_min_score: cx.non_negative(
            "suitability.voorwaardelijk_min_score",
            rs.voorwaardelijk_min_score,
            45.0,
        )?,
        warn_factor: cx.positive("suitability.warn_factor", rs.warn_factor, 1.5)?,
        unknown_needs: Vec::new(),
        monument_data: true,
    };
    if suitability.geschikt_min_score > 100.0
        || suitability.voorwaardelijk_min_score > suitability.geschikt_min_score
    {
        return Err(cx.err(
            "suitability",
            format!(
                "moet gelden: 0 <= voorwaardelijk_min_score ({}) <= geschikt_min_score ({}) <= 100",
                suitability.voorwaardelijk_min_score, suitability.geschikt_min_score
            ),
        ));
    }
    if suitability.warn_factor < 1.0 {
        return Err(cx.err(
            "suitability.warn_factor",
            format!("moet 1 of meer zijn, niet {}", suitability.warn_factor),
        ));
    }

    let rsites = raw.sites.unwrap_or_default();
    let candidate_uses = match rsites.candidate_uses {
        None => vec![BuildingUse::Retail, BuildingUse::Office],
        Some(list) => list
            .iter()
            .map(|u| {
                BuildingUse::parse(u)
                    .ok_or_else(|| cx.err("sites.candidate_uses", unknown_use_message(u)))
            })
            .collect::<Result<Vec<_>>>()?,
    };
    let mut weights = SiteWeights::default();
    for (k, &v) in &rsites.weights {
        let key = format!("sites.weights.{k}");
        if !v.is_finite() || v < 0.0 {
            return Err(cx.err(key, format!("{v}: een gewicht is een getal ≥ 0")));
        }
        match k.as_str() {
            "suitability" => weights.suitability = v,
            "vacancy" => weights.vacancy = v,
            "location" => weights.location = v,
            "fit" => weights.fit = v,
            "monument" => weights.monument = v,
            "data" => weights.data = v,
            _ => {
                return Err(cx.err(
                    key,
                    "onbekend onderdeel (verwacht suitability, vacancy, location, fit, monument of data)",
                ));
            }
        }
    }
    if weights.total() <= 0.0 {
        return Err(cx.err("sites.weights", "minstens één gewicht moet boven 0 liggen"));
    }
    let sites = SiteSettings {
        candidate_uses,
        include_vacant: rsites.include_vacant.unwrap_or(true),
        usable_share: cx.fraction("sites.usable_share", rsites.usable_share, 0.8)?,
        weights,
    };

    // Groups: defaults, overridden or extended by [groups.X].
    let mut groups: BTreeMap<String, Doelgroep> = default_groups()
        .into_iter()
        .map(|g| (g.name.clone(), g))
        .collect();
    for (name, rg) in &raw.groups {
        let key = |k: &str| format!("groups.{name}.{k}");
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(cx.err(
                format!("groups.{name}"),
                "een doelgroepnaam bestaat uit a-z, 0-9 en _ (hij wordt een eigenschapsnaam in de uitvoer)",
            ));
        }
        let base_group = match groups.get(name) {
            Some(g) => g.clone(),
            None => {
                if rg.walk_speed_kmh.is_none() || rg.needs_minutes.is_none() {
                    return Err(cx.err(
                        format!("groups.{name}"),
                        "een nieuwe doelgroep heeft minstens walk_speed_kmh en needs_minutes nodig",
                    ));
                }
                Doelgroep {
                    name: name.clone(),
                    label: name.clone(),
                    walk_speed_kmh: 4.8,
                    needs_minutes: BTreeMap::new(),
                    max_zone: ZoneCharacter::Reuring,
                    min_horeca_distance_m: BTreeMap::new(),
                    unit_m2: 60.0,
                    step_free: false,
                    above_retail_core: Acceptance::Warn,
                    weights: default_groups()[0].weights.clone(),
                }
            }
        };
        let mut g = base_group;
        if let Some(l) = &rg.label {
            g.label = l.clone();
        }
        g.walk_speed_kmh =
            cx.positive(&key("walk_speed_kmh"), rg.walk_speed_kmh, g.walk_speed_kmh)?;
        if g.walk_speed_kmh > 15.0 {
            return Err(cx.err(
                key("walk_speed_kmh"),
                format!(
                    "{} km/h is geen loopsnelheid (de eenheid is km/h)",
                    g.walk_speed_kmh
                ),
            ));
        }
        if let Some(needs) = &rg.needs_minutes {
            let mut map = BTreeMap::new();
            for (k, &m) in needs {
                let kind = cx.kind(&key(&format!("needs_minutes.{k}")), k)?;
                map.insert(
                    kind,
                    cx.positive(&key(&format!("needs_minutes.{k}")), Some(m), 0.0)?,
                );
            }
            g.needs_minutes = map;
        }
        if let Some(z) = &rg.max_zone {
            g.max_zone = cx.zone(&key("max_zone"), z)?;
        }
        if let Some(md) = &rg.min_distance_m {
            let mut map = BTreeMap::new();
            for (k, &m) in md {
                let cat = k
                    .strip_prefix("horeca_")
                    .and_then(|n| n.parse::<i64>().ok())
                    .and_then(HorecaCategory::from_number)
                    .ok_or_else(|| {
                        cx.err(
                            key(&format!("min_distance_m.{k}")),
                            "onbekende horecacategorie (verwacht horeca_1, horeca_2 of horeca_3)",
                        )
                    })?;
                map.insert(
                    cat,
                    cx.non_negative(&key(&format!("min_distance_m.{k}")), Some(m), 0.0)?,
                );
            }
            g.min_horeca_distance_m = map;
        }
        g.unit_m2 = cx.positive(&key("unit_m2"), rg.unit_m2, g.unit_m2)?;
        if g.unit_m2 < 10.0 {
            return Err(cx.err(
                key("unit_m2"),
                format!(
                    "{} m² is te klein voor een woning (de eenheid is m²)",
                    g.unit_m2
                ),
            ));
        }
        if let Some(s) = rg.step_free {
            g.step_free = s;
        }
        if let Some(a) = &rg.above_retail_core {
            g.above_retail_core = match a.as_str() {
                "pass" => Acceptance::Pass,
                "warn" => Acceptance::Warn,
                "fail" => Acceptance::Fail,
                other => {
                    return Err(cx.err(
                        key("above_retail_core"),
                        format!("onbekende waarde \"{other}\" (verwacht pass, warn of fail)"),
                    ));
                }
            };
        }
        if let Some(ws) = &rg.weights {
            for (k, &v) in ws {
                if !g.weights.contains_key(k) {
                    return Err(cx.err(
                        key(&format!("weights.{k}")),
                        "onbekend gewicht (verwacht needs, zone, horeca of building)",
                    ));
                }
                g.weights.insert(
                    k.clone(),
                    cx.non_negative(&key(&format!("weights.{k}")), Some(v), 0.0)?,
                );
            }
            if g.weights.values().sum::<f64>() <= 0.0 {
                return Err(cx.err(key("weights"), "minstens één gewicht moet boven 0 liggen"));
            }
        }
        groups.insert(name.clone(), g);
    }
    let groups: Vec<Doelgroep> = groups.into_values().collect();

    let unknown_use = match raw.model.as_ref().and_then(|m| m.unknown_use.as_deref()) {
        None => None,
        Some(u) => Some(
            BuildingUse::parse(u)
                .ok_or_else(|| cx.err("model.unknown_use", unknown_use_message(u)))?,
        ),
    };
    let dwelling_m2 = match raw.model.as_ref().and_then(|m| m.dwelling_m2) {
        None => DEFAULT_DWELLING_M2,
        Some(v) if v.is_finite() && (10.0..=1000.0).contains(&v) => v,
        Some(v) => {
            return Err(cx.err(
                "model.dwelling_m2",
                format!("{v}: de bruto vloeroppervlakte van een woning moet 10 tot 1000 m² zijn"),
            ));
        }
    };
    let ids = |v: Option<&Vec<String>>| -> Vec<String> {
        v.map(|v| {
            v.iter()
                .map(|id| crate::model::bag_pand_id(id).into_owned())
                .collect()
        })
        .unwrap_or_default()
    };
    let landmarks = LandmarkSettings {
        add: ids(raw.model.as_ref().and_then(|m| m.landmarks_add.as_ref())),
        remove: ids(raw.model.as_ref().and_then(|m| m.landmarks_remove.as_ref())),
        remove_kinds: raw
            .model
            .as_ref()
            .and_then(|m| m.landmark_kinds_remove.as_ref())
            .map(|v| v.iter().map(|k| k.trim().to_ascii_lowercase()).collect())
            .unwrap_or_default(),
    };
    let ro = raw.output.unwrap_or_default();
    let map_group = match ro.map_group {
        Some(g) => {
            if !groups.iter().any(|x| x.name == g) {
                return Err(cx.err("output.map_group", unknown_group_message(&g, &groups)));
            }
            g
        }
        None => groups
            .iter()
            .find(|g| g.name == "starters")
            .unwrap_or(&groups[0])
            .name
            .clone(),
    };
    let output = OutputSettings {
        map_group,
        top_sites: ro.top_sites.unwrap_or(10),
    };

    let mut interventions = Vec::new();
    for (i, ri) in raw.interventions.iter().enumerate() {
        let key = |k: &str| format!("interventions[{i}].{k}");
        let mut count = 0;
        if let Some(ids) = &ri.transform {
            count += 1;
            if ids.is_empty() {
                return Err(cx.err(key("transform"), "noemt geen enkel gebouw-id"));
            }
            if let Some(g) = &ri.group
                && !groups.iter().any(|x| &x.name == g)
            {
                return Err(cx.err(key("group"), unknown_group_message(g, &groups)));
            }
            interventions.push(Intervention::Transform {
                ids: ids
                    .iter()
                    .map(|id| crate::model::bag_pand_id(id).into_owned())
                    .collect(),
                group: ri.group.clone(),
            });
        } else if ri.group.is_some() {
            return Err(cx.err(key("group"), "hoort alleen bij een transform"));
        }
        if let Some(p) = &ri.add_amenity {
            count += 1;
            let kind = cx.kind(&key("add_amenity.kind"), &p.kind)?;
            if p.category.is_some() {
                return Err(cx.err(
                    key("add_amenity.category"),
                    "alleen horeca heeft een categorie",
                ));
            }
            interventions.push(Intervention::AddAmenity {
                id: p
                    .id
                    .clone()
                    .unwrap_or_else(|| format!("scenario/{}/{}", kind, i + 1)),
                kind,
                at: cx.lonlat(&key("add_amenity.at"), p.at)?,
                name: p.name.clone(),
            });
        }
        if let Some(ids) = &ri.remove_amenity {
            count += 1;
            interventions.push(Intervention::RemoveAmenity(ids.clone()));
        }
        if let Some(p) = &ri.add_horeca {
            count += 1;
            let category = match p.category {
                Some(n) => HorecaCategory::from_number(n).ok_or_else(|| {
                    cx.err(
                        key("add_horeca.category"),
                        format!("onbekende categorie {n} (verwacht 1, 2 of 3)"),
                    )
                })?,
                None => HorecaCategory::from_kind(&p.kind).ok_or_else(|| {
                    cx.err(
                        key("add_horeca.kind"),
                        format!(
                            "onbekende horecasoort \"{}\"; geef er `category` = 1, 2 of 3 bij",
                            p.kind
                        ),
                    )
                })?,
            };
            interventions.push(Intervention::AddHoreca {
                id: p
                    .id
                    .clone()
                    .unwrap_or_else(|| format!("scenario/{}/{}", p.kind, i + 1)),
                kind: p.kind.clone(),
                category,
                at: cx.lonlat(&key("add_horeca.at"), p.at)?,
                name: p.name.clone(),
            });
        }
        if let Some(ids) = &ri.close_horeca {
            count += 1;
            interventions.push(Intervention::CloseHoreca(ids.clone()));
        }
        if count == 0 {
            return Err(cx.err(
                format!("interventions[{i}]"),
                "is leeg (verwacht transform, add_amenity, remove_amenity, add_horeca of close_horeca)",
            ));
        }
    }

    Ok(Scenario {
        path: path.to_path_buf(),
        name: raw.name,
        description: raw.description,
        area,
        crs,
        layers,
        network,
        zoning,
        suitability,
        sites,
        output,
        unknown_use,
        dwelling_m2,
        landmarks,
        groups,
        interventions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Scenario> {
        Scenario::from_toml(text, Path::new("/tmp/s/test.toml"))
    }

    const MINIMAL: &str = "version = 1\nname = \"t\"\narea = \"../maps/x\"\n";

    #[test]
    fn minimal_scenario_gets_every_default() {
        let s = parse(MINIMAL).unwrap();
        assert_eq!(s.area, Path::new("/tmp/s/../maps/x"));
        assert_eq!(s.crs, CrsChoice::Auto);
        assert_eq!(s.groups.len(), 4);
        assert_eq!(s.zoning.cell_m, 25.0);
        assert_eq!(s.network.max_connector_m, 250.0);
        assert_eq!(
            s.layer("buildings").unwrap().path,
            Path::new("/tmp/s/../maps/x/buildings.geojson")
        );
        assert_eq!(s.output.map_group, "starters");
        let g = s.group("gezinnen").unwrap();
        assert_eq!(g.needs_minutes[&AmenityKind::Playground], 5.0);
        assert!((g.reach_m(5.0) - 333.33).abs() < 0.01);
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = parse(&format!("{MINIMAL}colour = 3\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("colour"), "{e}");
        let e = parse(&format!("{MINIMAL}[zoning]\ncell_size = 3\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cell_size"), "{e}");
        let e = parse(&format!(
            "{MINIMAL}[groups.gezinnen]\nneeds_minutes = {{ playgrond = 5 }}\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("groups.gezinnen.needs_minutes.playgrond")
                && e.contains("onbekende soort voorziening"),
            "{e}"
        );
        let e = parse(&format!("{MINIMAL}[layers.building]\npath = \"x\"\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("layers.building"), "{e}");
    }

    #[test]
    fn wrong_values_are_refused_with_their_key() {
        let e = parse("version = 2\nname = \"t\"\narea = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("version"), "{e}");
        let e = parse(&format!(
            "{MINIMAL}[zoning]\nthresholds = {{ gemengd = 5, reuring = 2 }}\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("zoning.thresholds"), "{e}");
        let e = parse(&format!(
            "{MINIMAL}[groups.ouderen]\nwalk_speed_kmh = 1000\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("km/h"), "{e}");
        let e = parse(&format!("{MINIMAL}[[interventions]]\nadd_amenity = {{ kind = \"playground\", at = [121000, 487000] }}\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("interventions[0].add_amenity.at"), "{e}");
        let e = parse(&format!("{MINIMAL}[[interventions]]\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("is leeg"), "{e}");
    }

    #[test]
    fn groups_override_and_extend() {
        let s = parse(&format!(
            "{MINIMAL}[groups.gezinnen]\nwalk_speed_kmh = 3.5\n[groups.zorg]\nwalk_speed_kmh = 3.0\nneeds_minutes = {{ care = 5 }}\n"
        ))
        .unwrap();
        assert_eq!(s.groups.len(), 5);
        assert_eq!(s.group("gezinnen").unwrap().walk_speed_kmh, 3.5);
        assert_eq!(s.group("gezinnen").unwrap().needs_minutes.len(), 6);
        assert_eq!(
            s.group("zorg").unwrap().needs_minutes[&AmenityKind::Care],
            5.0
        );
        let e = parse(&format!("{MINIMAL}[groups.zorg]\nunit_m2 = 50\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("groups.zorg"), "{e}");
    }

    #[test]
    fn interventions_are_typed() {
        let s = parse(&format!(
            "{MINIMAL}[[interventions]]\ntransform = [\"0363100012165432\"]\ngroup = \"starters\"\n[[interventions]]\nadd_amenity = {{ kind = \"playground\", at = [4.8995, 52.3702] }}\n[[interventions]]\nadd_horeca = {{ kind = \"nightclub\", at = [4.9, 52.37] }}\n"
        ))
        .unwrap();
        assert_eq!(s.interventions.len(), 3);
        assert!(matches!(
            &s.interventions[1],
            Intervention::AddAmenity {
                kind: AmenityKind::Playground,
                ..
            }
        ));
        assert!(matches!(
            &s.interventions[2],
            Intervention::AddHoreca {
                category: HorecaCategory::Heavy,
                ..
            }
        ));
    }
}
