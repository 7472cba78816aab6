//! The city-centre model: typed features in the metric working CRS.
//!
//! Every geometry here is in the scenario's working CRS (metres). Loading
//! (`io`) converts GeoJSON into these types once; rules compute on borrowed
//! slices of them; writers convert back to WGS84. Ids are the stable ids of
//! the source data (BAG pand id, OSM `way/123`), never vector positions.

use geo::{LineString, MultiPolygon, Point, Polygon};
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* #[doc = concat!("`", $text, "`")] $variant),+ }
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The canonical lower-case name used in files and the CLI.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            /// Parses the canonical name (case-insensitive, `-` and ` ` read as `_`).
            pub fn parse(text: &str) -> Option<Self> {
                let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                match t.as_str() { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

str_enum!(
    /// What a building is used for (after mapping BAG gebruiksdoel or OSM tags).
    BuildingUse {
        Residential => "residential",
        Retail => "retail",
        Horeca => "horeca",
        Office => "office",
        Culture => "culture",
        Education => "education",
        Healthcare => "healthcare",
        Industry => "industry",
        Mixed => "mixed",
        Other => "other",
    }
);

str_enum!(
    /// Kinds of voorzieningen (amenities) a resident may need to walk to.
    AmenityKind {
        Supermarket => "supermarket",
        Bakery => "bakery",
        Butcher => "butcher",
        Greengrocer => "greengrocer",
        Marketplace => "marketplace",
        Gp => "gp",
        Pharmacy => "pharmacy",
        Dentist => "dentist",
        Care => "care",
        Daycare => "daycare",
        PrimarySchool => "primary_school",
        SecondarySchool => "secondary_school",
        Playground => "playground",
        Park => "park",
        Library => "library",
        CommunityCentre => "community_centre",
        Theatre => "theatre",
        Cinema => "cinema",
        Sports => "sports",
        TransitStop => "transit_stop",
        /// An event place: a named square (`place=square`, pedestrian area).
        Square => "square",
    }
);

str_enum!(
    /// The character (sfeer) of a zone: quiet, mixed or lively.
    ZoneCharacter {
        /// Quiet: homes first.
        Rust => "rust",
        /// Mixed: in between.
        Gemengd => "gemengd",
        /// Lively: horeca, retail core, events.
        Reuring => "reuring",
    }
);

/// Horeca category as used in Dutch horeca plans (DOMAIN.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HorecaCategory {
    /// 1: light, daytime (lunchroom, ice cream, restaurant closing early).
    Light = 1,
    /// 2: medium (café, bar, pub).
    Medium = 2,
    /// 3: heavy (nightclub, discotheque).
    Heavy = 3,
}

impl HorecaCategory {
    /// All categories, light to heavy.
    pub const ALL: [HorecaCategory; 3] = [Self::Light, Self::Medium, Self::Heavy];
    /// The number 1, 2 or 3.
    pub fn number(self) -> u8 {
        self as u8
    }
    /// From 1, 2 or 3.
    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(Self::Light),
            2 => Some(Self::Medium),
            3 => Some(Self::Heavy),
            _ => None,
        }
    }
    /// The category a horeca kind gets when the data does not say.
    /// Restaurants, cafés (lunchrooms), fast food and ice cream are daytime (1);
    /// pubs, bars and biergartens are 2; nightclubs are 3.
    pub fn from_kind(kind: &str) -> Option<Self> {
        match kind {
            "restaurant" | "cafe" | "fast_food" | "ice_cream" | "food_court" => Some(Self::Light),
            "pub" | "bar" | "biergarten" => Some(Self::Medium),
            "nightclub" | "discotheque" => Some(Self::Heavy),
            _ => None,
        }
    }
}

/// A value that was either read from the data or estimated from a documented default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Valued<T> {
    /// The value.
    pub value: T,
    /// True when the data did not give it and a default rule did.
    pub estimated: bool,
}

/// A building footprint (BAG pand or OSM building) with its attributes.
#[derive(Debug, Clone)]
pub struct Building {
    /// Stable id: BAG pand id or OSM id (`way/123`).
    pub id: String,
    /// Footprint in the working CRS.
    pub footprint: MultiPolygon<f64>,
    /// Main use.
    pub usage: BuildingUse,
    /// Use of the plint (ground floor) when known.
    pub ground_floor_use: Option<BuildingUse>,
    /// Number of storeys above ground (from data, height / 3 m, or default 3).
    pub floors: Valued<u32>,
    /// Gross floor area in m² (from data or footprint × floors).
    pub floor_area_m2: Valued<f64>,
    /// Whether `floor_area_m2` is already usable floor area (the BAG's
    /// gebruiksoppervlakte, NEN 2580: `floor_area_source = "bag_oppervlakte"`),
    /// so the sites step takes it whole instead of `sites.usable_share` of it.
    pub floor_area_usable: bool,
    /// Leegstand: registered or tagged as vacant.
    pub vacant: bool,
    /// Listed building (rijks- or gemeentelijk monument).
    pub monument: bool,
    /// Has a lift (true, false, or unknown).
    pub lift: Option<bool>,
    /// Construction year.
    pub year: Option<i32>,
    /// Name or address when known.
    pub name: Option<String>,
    /// The source's building type (OSM `building=*`: `house`, `shed`, `yes` ...) when known.
    pub building_type: Option<String>,
    /// Not a building anyone could live in (shed, garage, roof, construction site
    /// ...): no housing verdict, in no count of homes. See [`Building::non_dwelling`].
    pub non_dwelling: bool,
    /// Landmark or public building (town hall, station, place of worship, museum,
    /// theatre, department store ...): its kind, e.g. `townhall`. Not a
    /// transformation candidate unless the scenario names it.
    pub landmark: Option<String>,
    /// Units (verblijfsobjecten, or mapped addresses and businesses) and how many
    /// are vacant; see [`Units`].
    pub units: Units,
    /// Dwellings (woningen) in the building: from data (`building:flats`, mapped
    /// addresses, BAG woonfunctie units) or estimated from the floor area
    /// (`estimated`). 0 for buildings without homes.
    pub dwellings: Valued<u32>,
}

/// The units of a building: a BAG verblijfsobject, or in OpenStreetMap a mapped
/// address or business inside the footprint.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Units {
    /// Units known (0 = unknown).
    pub total: u32,
    /// Units that are vacant (leegstaand).
    pub vacant: u32,
    /// Floor area of the vacant units (m², estimated: the ground storey split
    /// over the building's street-level units; the whole floor area when the
    /// whole building is vacant).
    pub vacant_m2: f64,
}

/// A BAG pand id in its 16-digit form: OpenStreetMap's `ref:bag` and
/// spreadsheets often lost the leading zero of the gemeentecode (`363100012185418`
/// for `0363100012185418`). A 15-digit number whose object-type digits (4th-5th)
/// are `10` (pand) gets its zero back; the prefix `NL.IMBAG.Pand.` is dropped;
/// anything else is returned as given (trimmed).
///
/// # Examples
/// ```
/// use binnenstad::model::bag_pand_id;
/// assert_eq!(bag_pand_id("363100012185418"), "0363100012185418");
/// assert_eq!(bag_pand_id("NL.IMBAG.Pand.0363100012185418"), "0363100012185418");
/// assert_eq!(bag_pand_id("way/123"), "way/123");
/// assert_eq!(bag_pand_id("036301000000001"), "036301000000001"); // 15 digits, not a pand
/// ```
///
/// Source: a BAG identificatie is the 4-digit gemeentecode, the 2-digit
/// objecttypecode (`10` pand, `01` verblijfsobject) and a 10-digit serial
/// (Kadaster, Catalogus BAG 2018).
pub fn bag_pand_id(id: &str) -> std::borrow::Cow<'_, str> {
    // The BAG's own URI-like form (`NL.IMBAG.Pand.0363100012185418`, as in the
    // 3D BAG and PDOK) names the same pand.
    let t = id.trim();
    let t = t.strip_prefix("NL.IMBAG.Pand.").unwrap_or(t);
    let b = t.as_bytes();
    if b.len() == 15 && b.iter().all(u8::is_ascii_digit) && &b[3..5] == b"10" {
        std::borrow::Cow::Owned(format!("0{t}"))
    } else if t.len() != id.len() {
        std::borrow::Cow::Owned(t.to_string())
    } else {
        std::borrow::Cow::Borrowed(id)
    }
}

/// A construction year as the data says it, or `None` for BAG's placeholders:
/// 1005 ("unknown", used for buildings registered without a year) and 9999,
/// and for years outside 1000..=2100.
pub fn construction_year(year: i64) -> Option<i32> {
    match year {
        1005 | 9999 => None,
        1000..=2100 => Some(year as i32),
        _ => None,
    }
}

impl Building {
    /// A building with only what every building has; floors default to
    /// [`crate::io::load::DEFAULT_FLOORS`] and floor area to footprint × floors, both
    /// marked estimated; not vacant, no monument, lift, year or name.
    pub fn new(
        id: impl Into<String>,
        footprint: MultiPolygon<f64>,
        usage: BuildingUse,
    ) -> Building {
        use geo::Area;
        let floors = crate::io::load::DEFAULT_FLOORS;
        let area = footprint.unsigned_area() * floors as f64;
        Building {
            id: id.into(),
            footprint,
            usage,
            ground_floor_use: None,
            floors: Valued {
                value: floors,
                estimated: true,
            },
            floor_area_m2: Valued {
                value: area,
                estimated: true,
            },
            floor_area_usable: false,
            vacant: false,
            monument: false,
            lift: None,
            year: None,
            name: None,
            building_type: None,
            non_dwelling: false,
            landmark: None,
            units: Units::default(),
            dwellings: Valued {
                value: 0,
                estimated: true,
            },
        }
    }

    /// The point where the building is: its centroid, or a point inside the
    /// footprint when the centroid falls outside (L-shaped and courtyard blocks).
    /// The zone and the kernwinkelgebied are read here; VNG guide distances
    /// and horeca minimum distances are measured from the footprint instead
    /// (`rules::milieu`, `rules::suitability::HorecaIndex::nearest_to_footprint`). A footprint
    /// with a non-finite coordinate (or no area) gives a NaN point.
    pub fn anchor(&self) -> Point<f64> {
        use geo::{Centroid, Contains, CoordsIter, InteriorPoint};
        // geo's centroid asserts closed rings, which a NaN coordinate breaks.
        if self
            .footprint
            .coords_iter()
            .any(|c| !c.x.is_finite() || !c.y.is_finite())
        {
            return Point::new(f64::NAN, f64::NAN);
        }
        match self.footprint.centroid() {
            Some(c) if self.footprint.contains(&c) => c,
            _ => self
                .footprint
                .interior_point()
                .or_else(|| self.footprint.centroid())
                .unwrap_or_else(|| Point::new(f64::NAN, f64::NAN)),
        }
    }
    /// Footprint area in m².
    pub fn footprint_m2(&self) -> f64 {
        use geo::Area;
        self.footprint.unsigned_area()
    }
}

/// A horeca business (café, bar, restaurant, nightclub ...).
#[derive(Debug, Clone)]
pub struct Horeca {
    /// Stable id.
    pub id: String,
    /// Location (centroid when the source was a polygon).
    pub point: Point<f64>,
    /// Kind as tagged (`restaurant`, `pub`, `nightclub` ...).
    pub kind: String,
    /// Category 1/2/3, from data or derived from the kind.
    pub category: HorecaCategory,
    /// Name when known.
    pub name: Option<String>,
    /// Closing time in minutes after midnight of the opening day (may exceed 1440 for
    /// places that close after midnight), when known.
    pub closing_minutes: Option<u32>,
    /// Terrace seats when known (0 = no terrace).
    pub terrace_seats: Option<u32>,
}

/// A voorziening (amenity) residents walk to.
#[derive(Debug, Clone)]
pub struct Amenity {
    /// Stable id.
    pub id: String,
    /// Location (centroid or point on surface when the source was a polygon).
    pub point: Point<f64>,
    /// Kind.
    pub kind: AmenityKind,
    /// Name when known.
    pub name: Option<String>,
}

/// A walkable street or path.
#[derive(Debug, Clone)]
pub struct Street {
    /// Stable id.
    pub id: String,
    /// Centre line in the working CRS.
    pub line: LineString<f64>,
    /// OSM highway class or equivalent (`footway`, `residential` ...).
    pub highway: Option<String>,
    /// Name when known.
    pub name: Option<String>,
    /// Where the street runs relative to the ground (bridge, tunnel, layer, level).
    pub grade: Grade,
}

/// Where a street runs relative to the ground, from OSM's `bridge`, `tunnel`,
/// `layer` and `level`. Streets cross (and T-junctions join) only at the same
/// grade; a bridge over a street is not a junction. Lines that share or snap a
/// vertex join whatever their grade (a bridge meets the quay at its ends).
///
/// The default is the ground: no bridge, no tunnel, layer 0, no level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Grade {
    /// On a bridge (`bridge` is anything but `no`).
    pub bridge: bool,
    /// In a tunnel, covered passage or culvert (`tunnel` is anything but `no`).
    pub tunnel: bool,
    /// OSM `layer`: relative vertical order, 0 at the ground.
    pub layer: i32,
    /// OSM `level` (indoor floor) as written, numbers normalised (`"1.0"` is
    /// `"1"`); `None` for the ground floor (absent or 0).
    pub level: Option<String>,
}

impl Grade {
    /// The ground: no bridge, no tunnel, layer 0, no level.
    pub const GROUND: Grade = Grade {
        bridge: false,
        tunnel: false,
        layer: 0,
        level: None,
    };

    /// Normalises an OSM `level` value: a number is written the shortest way
    /// (`"1.0"` and `"1"` meet, `"0"` is the ground); lists and ranges
    /// (`"0;1"`, stairs between floors) are kept as written.
    pub fn level_from(text: &str) -> Option<String> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        match t.replace(',', ".").parse::<f64>() {
            Ok(0.0) => None,
            Ok(v) if v.is_finite() => Some(format!("{v}")),
            _ => Some(t.to_string()),
        }
    }
}

/// A polygon of the kernwinkelgebied (retail core).
#[derive(Debug, Clone)]
pub struct RetailCore {
    /// Stable id.
    pub id: String,
    /// Area in the working CRS.
    pub area: MultiPolygon<f64>,
    /// Name when known.
    pub name: Option<String>,
}

/// VNG milieucategorie, stored as its guide-distance row (1, 2, 3.1 ... 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Milieucategorie {
    /// 1
    C1,
    /// 2
    C2,
    /// 3.1
    C3_1,
    /// 3.2
    C3_2,
    /// 4.1
    C4_1,
    /// 4.2
    C4_2,
    /// 5.1
    C5_1,
    /// 5.2
    C5_2,
    /// 5.3
    C5_3,
    /// 6
    C6,
}

impl Milieucategorie {
    /// All categories in ascending order.
    pub const ALL: [Milieucategorie; 10] = [
        Self::C1,
        Self::C2,
        Self::C3_1,
        Self::C3_2,
        Self::C4_1,
        Self::C4_2,
        Self::C5_1,
        Self::C5_2,
        Self::C5_3,
        Self::C6,
    ];
    /// Parses "1", "2", "3.1", "3.2", "4.1" ... "6" (also "3" = 3.1, "4" = 4.1, "5" = 5.1).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().replace(',', ".").as_str() {
            "1" => Some(Self::C1),
            "2" => Some(Self::C2),
            "3" | "3.1" => Some(Self::C3_1),
            "3.2" => Some(Self::C3_2),
            "4" | "4.1" => Some(Self::C4_1),
            "4.2" => Some(Self::C4_2),
            "5" | "5.1" => Some(Self::C5_1),
            "5.2" => Some(Self::C5_2),
            "5.3" => Some(Self::C5_3),
            "6" => Some(Self::C6),
            _ => None,
        }
    }
    /// The label as written in the VNG list.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::C1 => "1",
            Self::C2 => "2",
            Self::C3_1 => "3.1",
            Self::C3_2 => "3.2",
            Self::C4_1 => "4.1",
            Self::C4_2 => "4.2",
            Self::C5_1 => "5.1",
            Self::C5_2 => "5.2",
            Self::C5_3 => "5.3",
            Self::C6 => "6",
        }
    }
    /// VNG (2009) guide distance to homes in metres for a rustige woonwijk.
    pub fn guide_distance_rustig_m(self) -> f64 {
        match self {
            Self::C1 => 10.0,
            Self::C2 => 30.0,
            Self::C3_1 => 50.0,
            Self::C3_2 => 100.0,
            Self::C4_1 => 200.0,
            Self::C4_2 => 300.0,
            Self::C5_1 => 500.0,
            Self::C5_2 => 700.0,
            Self::C5_3 => 1000.0,
            Self::C6 => 1500.0,
        }
    }
    /// Guide distance in a gemengd gebied: one step lower (VNG 2009).
    pub fn guide_distance_gemengd_m(self) -> f64 {
        match self {
            Self::C1 => 0.0,
            Self::C2 => 10.0,
            Self::C3_1 => 30.0,
            Self::C3_2 => 50.0,
            Self::C4_1 => 100.0,
            Self::C4_2 => 200.0,
            Self::C5_1 => 300.0,
            Self::C5_2 => 500.0,
            Self::C5_3 => 700.0,
            Self::C6 => 1000.0,
        }
    }
}

/// VNG functiemenging class for mixed areas (no distances).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Functiemenging {
    /// A: may adjoin homes.
    A,
    /// B: needs structural separation from homes.
    B,
    /// C: as B, plus heavy traffic.
    C,
}

/// A business with an environmental category (VNG milieuzonering).
#[derive(Debug, Clone)]
pub struct Business {
    /// Stable id.
    pub id: String,
    /// Location (centroid when the source was a polygon).
    pub point: Point<f64>,
    /// Milieucategorie when known.
    pub milieucategorie: Option<Milieucategorie>,
    /// Functiemenging class when known.
    pub functiemenging: Option<Functiemenging>,
    /// Activity as tagged (`craft=carpenter` ...).
    pub activity: Option<String>,
    /// Name when known.
    pub name: Option<String>,
}

/// A zone a plan intends (rust / gemengd / reuring).
#[derive(Debug, Clone)]
pub struct PlanZone {
    /// Stable id.
    pub id: String,
    /// Area in the working CRS.
    pub area: MultiPolygon<f64>,
    /// Intended character.
    pub zone: ZoneCharacter,
    /// Name when known.
    pub name: Option<String>,
}

/// All layers of one study area, loaded and reprojected.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    /// Buildings (panden).
    pub buildings: Vec<Building>,
    /// Horeca.
    pub horeca: Vec<Horeca>,
    /// Amenities.
    pub amenities: Vec<Amenity>,
    /// Walkable streets.
    pub streets: Vec<Street>,
    /// Kernwinkelgebied polygons (may be empty).
    pub retail_core: Vec<RetailCore>,
    /// Businesses with milieucategorie (optional layer).
    pub businesses: Vec<Business>,
    /// Planned zones (optional layer).
    pub plan_zones: Vec<PlanZone>,
    /// The study area's boundary (optional layer `study_area`): zoning, zone areas
    /// and coverage stay inside it. Empty: derived from where the buildings and
    /// streets are (see [`crate::rules::zoning`]).
    pub study_area: Vec<RetailCore>,
}

/// The layers' names as used for files and messages.
pub const LAYER_NAMES: [&str; 8] = [
    "buildings",
    "horeca",
    "amenities",
    "streets",
    "retail_core",
    "businesses",
    "plan_zones",
    "study_area",
];

/// Bounding box accumulator over finite coordinates (non-finite ones are
/// skipped), mergeable across threads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Extent {
    pub min: [f64; 2],
    pub max: [f64; 2],
}

impl Extent {
    pub const EMPTY: Extent = Extent {
        min: [f64::INFINITY; 2],
        max: [f64::NEG_INFINITY; 2],
    };

    pub fn add(&mut self, x: f64, y: f64) {
        if x.is_finite() && y.is_finite() {
            self.min = [self.min[0].min(x), self.min[1].min(y)];
            self.max = [self.max[0].max(x), self.max[1].max(y)];
        }
    }

    /// Adds a rectangle's corners.
    pub fn add_rect(&mut self, r: &geo::Rect<f64>) {
        self.add(r.min().x, r.min().y);
        self.add(r.max().x, r.max().y);
    }

    pub fn merge(self, o: Extent) -> Extent {
        Extent {
            min: [self.min[0].min(o.min[0]), self.min[1].min(o.min[1])],
            max: [self.max[0].max(o.max[0]), self.max[1].max(o.max[1])],
        }
    }

    pub fn is_empty(&self) -> bool {
        !(self.min[0] <= self.max[0] && self.min[1] <= self.max[1])
    }

    /// `[min_x, min_y, max_x, max_y]`, or None when nothing was added.
    pub fn bounds(&self) -> Option<[f64; 4]> {
        (!self.is_empty()).then_some([self.min[0], self.min[1], self.max[0], self.max[1]])
    }
}

/// Fills in the dwellings (woningen) of the buildings whose data did not give
/// them: a residential building holds `floor area / dwelling_m2` dwellings
/// (rounded down, at least 1); a mixed building the same on its upper floors
/// (the plint is the business); other uses and non-dwellings none. The
/// estimates are flagged `estimated`.
///
/// # Units
/// `dwelling_m2`: gross floor area per dwelling, m² (scenario key `model.dwelling_m2`).
pub fn estimate_dwellings(buildings: &mut [Building], dwelling_m2: f64) {
    for b in buildings.iter_mut().filter(|b| b.dwellings.estimated) {
        let area = b.floor_area_m2.value.max(0.0);
        let floors = f64::from(b.floors.value.max(1));
        let n = match b.usage {
            _ if b.non_dwelling => 0.0,
            BuildingUse::Residential => (area / dwelling_m2).floor().max(1.0),
            BuildingUse::Mixed => (area * (floors - 1.0) / floors / dwelling_m2).floor(),
            _ => 0.0,
        };
        b.dwellings.value = n.min(f64::from(u32::MAX)) as u32;
    }
}

/// Helper to convert a polygon into a one-part multipolygon.
pub fn to_multi(polygon: Polygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon(vec![polygon])
}

/// Monument status is known only where at least this share of the map's
/// buildings (dwellings and others, non-dwellings aside) is marked as a
/// monument; below it an unmarked building's status is "onbekend", not "geen
/// monument". Dutch centres are a quarter to half rijksmonumenten (Amsterdam's
/// canal belt more); OpenStreetMap marks a few (8 of 2,073 buildings in the
/// shipped Amsterdam centre, 0.4%), so its silence says nothing. A map from
/// the monument register clears the bar; a suburb with complete data but few
/// monuments reads as onbekend, which is the cautious error.
pub const MONUMENT_DATA_MIN_SHARE: f64 = 0.05;

/// Whether the map's monument marks can be read as complete: at least
/// [`MONUMENT_DATA_MIN_SHARE`] of its buildings (non-dwellings aside) marked.
pub fn monument_data(buildings: &[Building]) -> bool {
    let (marked, all) = buildings
        .iter()
        .filter(|b| !b.non_dwelling)
        .fold((0usize, 0usize), |(m, n), b| {
            (m + usize::from(b.monument), n + 1)
        });
    all > 0 && marked as f64 >= MONUMENT_DATA_MIN_SHARE * all as f64
}

/// Least share of the buildings (non-dwellings aside) marked vacant, as a
/// whole or by unit, for the map's vacancy marks to be read as complete. Dutch
/// centres have 5-10% of their shops vacant (the source study, DOMAIN.md); an
/// OpenStreetMap extract marks a handful (Copenhagen: 1 of 8,425), so there
/// "not marked" means onbekend, not "in use".
pub const VACANCY_DATA_MIN_SHARE: f64 = 0.01;

/// Whether the map's vacancy marks (`vacant`, `units.vacant`) can be read as
/// complete: at least [`VACANCY_DATA_MIN_SHARE`] of its buildings marked.
pub fn vacancy_data(buildings: &[Building]) -> bool {
    let (marked, all) = buildings
        .iter()
        .filter(|b| !b.non_dwelling)
        .fold((0usize, 0usize), |(m, n), b| {
            (m + usize::from(b.vacant || b.units.vacant > 0), n + 1)
        });
    all > 0 && marked as f64 >= VACANCY_DATA_MIN_SHARE * all as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_text() {
        for k in AmenityKind::ALL {
            assert_eq!(AmenityKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(
            AmenityKind::parse("Primary-School"),
            Some(AmenityKind::PrimarySchool)
        );
        assert_eq!(BuildingUse::parse("nonsense"), None);
        for m in Milieucategorie::ALL {
            assert_eq!(Milieucategorie::parse(m.as_str()), Some(m));
            assert!(m.guide_distance_gemengd_m() < m.guide_distance_rustig_m());
        }
    }

    #[test]
    fn anchor_is_inside_an_l_shaped_footprint() {
        // A U-shaped block whose centroid lies in the courtyard, outside the footprint.
        let u = geo::wkt! { POLYGON((0.0 0.0, 30.0 0.0, 30.0 30.0, 20.0 30.0, 20.0 5.0, 10.0 5.0, 10.0 30.0, 0.0 30.0, 0.0 0.0)) };
        let b = Building::new("u", to_multi(u), BuildingUse::Residential);
        use geo::Contains;
        assert!(b.footprint.contains(&b.anchor()));
        assert!((b.footprint_m2() - 650.0).abs() < 1e-9);
    }

    #[test]
    fn horeca_category_from_kind() {
        assert_eq!(
            HorecaCategory::from_kind("nightclub"),
            Some(HorecaCategory::Heavy)
        );
        assert_eq!(
            HorecaCategory::from_kind("pub"),
            Some(HorecaCategory::Medium)
        );
        assert_eq!(
            HorecaCategory::from_kind("ice_cream"),
            Some(HorecaCategory::Light)
        );
    }
}
