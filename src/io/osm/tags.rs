//! The tag mapping: which OSM tags make which layer, kind, use, category and
//! milieucategorie. Every table here is reproduced in `maps/README.md`; change
//! both together.

use super::data::Tags;
use crate::model::{AmenityKind, BuildingUse};

/// True for `building=*` other than `building=no`.
pub(crate) fn is_building(tags: &Tags) -> bool {
    tags.get("building").is_some_and(|v| v != "no")
}

/// The use a `building=*` value states by itself. `yes`, `commercial` and
/// unknown values state nothing: their units decide, else the use is unknown.
pub(crate) fn building_type_use(value: &str) -> Option<BuildingUse> {
    use BuildingUse::*;
    Some(match value {
        "retail" | "supermarket" | "kiosk" | "shop" => Retail,
        "apartments" | "house" | "residential" | "terrace" | "detached" | "semidetached_house"
        | "houseboat" | "dormitory" | "bungalow" | "farm" => Residential,
        // Hotels are the "ho" in horeca (Dutch: logies is part of the horeca sector).
        "hotel" => Horeca,
        "office" | "government" => Office,
        "school" | "university" | "college" | "kindergarten" => Education,
        "church" | "chapel" | "cathedral" | "mosque" | "synagogue" | "temple" | "religious"
        | "museum" | "theatre" => Culture,
        "hospital" => Healthcare,
        "industrial" | "warehouse" | "manufacture" => Industry,
        _ => return None,
    })
}

/// `building=*` values that are not buildings a household could live in: outbuildings,
/// technical structures, shelters, roofs, ruins and what is not (yet) built. They get no
/// housing verdict, count in no figure of homes, and are listed as such.
pub(crate) const NON_DWELLING_TYPES: [&str; 48] = [
    "allotment_house",
    "barn",
    "bicycle_parking",
    "bicycle_shed",
    "boathouse",
    "bridge",
    "bunker",
    "cabin",
    "carport",
    "chimney",
    "collapsed",
    "construction",
    "container",
    "conservatory",
    "cowshed",
    "demolished",
    "destroyed",
    "digester",
    "farm_auxiliary",
    "garage",
    "garages",
    "gatehouse",
    "grandstand",
    "greenhouse",
    "hangar",
    "hut",
    "kiosk",
    "outbuilding",
    "parking",
    "pavilion",
    "proposed",
    "pumping_station",
    "roof",
    "ruins",
    "service",
    "shed",
    "shelter",
    "silo",
    "stable",
    "storage_tank",
    "sty",
    "tent",
    "toilet",
    "toilets",
    "tower",
    "transformer_tower",
    "water_tower",
    "windmill",
];

/// `building=*` values built with one storey (OSM wiki, Key:building): sheds,
/// garages, kiosks, greenhouses, houseboats (woonboten), bungalows, caravans.
/// Used for the storeys assumed when neither `building:levels` nor a height is
/// known ([`crate::io::load::default_floors`]).
pub(crate) const ONE_STOREY_TYPES: [&str; 26] = [
    "allotment_house",
    "bicycle_shed",
    "boathouse",
    "bungalow",
    "cabin",
    "carport",
    "conservatory",
    "container",
    "cowshed",
    "garage",
    "garages",
    "greenhouse",
    "hangar",
    "houseboat",
    "hut",
    "kiosk",
    "outbuilding",
    "pavilion",
    "shed",
    "shelter",
    "static_caravan",
    "sty",
    "tent",
    "toilet",
    "toilets",
    "transformer_tower",
];

/// True when a `building=*` value is built with one storey ([`ONE_STOREY_TYPES`]).
pub(crate) fn is_one_storey_type(value: &str) -> bool {
    ONE_STOREY_TYPES.contains(&value.trim().to_ascii_lowercase().as_str())
}

/// True for `building=houseboat` (a woonboot, moored on water).
pub(crate) fn is_houseboat_type(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("houseboat")
}

/// True when a `building=*` value is a non-dwelling ([`NON_DWELLING_TYPES`]).
pub(crate) fn is_non_dwelling_type(value: &str) -> bool {
    NON_DWELLING_TYPES.contains(&value.trim().to_ascii_lowercase().as_str())
}

/// The landmark / public-building kind a `building=*` value states: town hall,
/// government, station, place of worship, museum, theatre ... (`None` for others).
pub(crate) fn building_type_landmark(value: &str) -> Option<&'static str> {
    Some(match value.trim().to_ascii_lowercase().as_str() {
        "townhall" => "townhall",
        "government" | "civic" | "public" => "government",
        "train_station" | "transportation" => "station",
        "church" | "chapel" | "cathedral" | "mosque" | "synagogue" | "temple" | "religious"
        | "shrine" | "monastery" => "place_of_worship",
        "museum" => "museum",
        "theatre" => "theatre",
        "fire_station" => "fire_station",
        "courthouse" => "courthouse",
        "police" => "police",
        "library" => "library",
        "hospital" => "hospital",
        "palace" | "castle" => "palace",
        "stadium" => "stadium",
        "department_store" => "department_store",
        "university" | "college" => "education",
        _ => return None,
    })
}

/// `historic=*` values that make a structure, not a house: a landmark
/// whatever its `building=*` says. `historic=building`, `house`, `yes` and
/// small objects (memorial plaques, boundary stones) are left out: a canal
/// house with a plaque stays a candidate (its monument status is separate).
const HISTORIC_STRUCTURES: [&str; 14] = [
    "castle",
    "palace",
    "manor",
    "fort",
    "city_gate",
    "citywalls",
    "church",
    "monastery",
    "tower",
    "windmill",
    "watermill",
    "lighthouse",
    "ruins",
    "aqueduct",
];

/// The landmark kind a building's own tags state as a structure rather than
/// an institution: `man_made=water_tower|tower|lighthouse|windmill|watermill`,
/// a structural `historic=*` value ([`HISTORIC_STRUCTURES`]), or a building
/// in a tunnel or on a bridge (`tunnel=*`, `bridge=*` other than `no`,
/// `location=underground`, `layer` below 0). Read on the building's own tags
/// only, never on a node inside it (a memorial plaque on a house is no
/// landmark). Source: OSM wiki, Key:man_made, Key:historic, Key:tunnel.
pub(crate) fn structure_kind(tags: &Tags) -> Option<&'static str> {
    match tags.get("man_made") {
        Some("water_tower") => return Some("water_tower"),
        Some("tower" | "lighthouse" | "windmill" | "watermill") => return Some("tower"),
        _ => {}
    }
    if let Some(h) = tags.get("historic") {
        let h = h.trim().to_ascii_lowercase();
        if matches!(h.as_str(), "castle" | "palace") {
            return Some("palace");
        }
        if HISTORIC_STRUCTURES.contains(&h.as_str()) {
            return Some("historic");
        }
    }
    let yes = |k: &str| tags.get(k).is_some_and(|v| v.trim() != "no");
    if yes("tunnel")
        || tags.is("location", "underground")
        || tags
            .get("layer")
            .and_then(|l| l.trim().parse::<i32>().ok())
            .is_some_and(|l| l < 0)
    {
        return Some("tunnel");
    }
    if yes("bridge") || yes("bridge:structure") {
        return Some("bridge");
    }
    None
}

/// The landmark / public-building kind a POI's or a building's own tags state
/// (`amenity=townhall`, `office=government`, `shop=department_store`,
/// `railway=station`, `tourism=museum` ...). A node with such tags inside a
/// building makes the building a landmark: the institution is housed there.
pub(crate) fn landmark_kind(tags: &Tags) -> Option<&'static str> {
    if let Some(v) = tags.get("amenity") {
        let kind = match v {
            "townhall" => Some("townhall"),
            "courthouse" => Some("courthouse"),
            "police" => Some("police"),
            "fire_station" => Some("fire_station"),
            "place_of_worship" => Some("place_of_worship"),
            "theatre" | "concert_hall" | "music_venue" | "opera" => Some("theatre"),
            "library" => Some("library"),
            "exhibition_centre" | "planetarium" => Some("museum"),
            "hospital" => Some("hospital"),
            "university" | "college" => Some("education"),
            _ => None,
        };
        if kind.is_some() {
            return kind;
        }
    }
    if tags.is("office", "government") || tags.has("government") {
        return Some("government");
    }
    if tags.is("shop", "department_store") {
        return Some("department_store");
    }
    if tags.is("tourism", "museum") {
        return Some("museum");
    }
    if matches!(tags.get("railway"), Some("station")) || tags.is("public_transport", "station") {
        return Some("station");
    }
    if matches!(tags.get("historic"), Some("castle" | "palace")) {
        return Some("palace");
    }
    None
}

/// The grounds of a public institution (`amenity=university|college|school|hospital`,
/// `healthcare=hospital`): a building on them belongs to the institution and is a
/// public building (landmark kind `education` or `hospital`), not a transformation
/// candidate, whatever its own `building=*` says (a faculty drawn as `building=office`).
pub(crate) fn public_grounds(tags: &Tags) -> Option<&'static str> {
    match tags.get("amenity") {
        Some("university" | "college" | "school") => Some("education"),
        Some("hospital") => Some("hospital"),
        _ if tags.is("healthcare", "hospital") => Some("hospital"),
        _ => None,
    }
}

/// The use a vacancy marker says the unit had (`disused:shop=*` → retail,
/// `was:amenity=restaurant` → horeca), read from the marker's prefixed keys.
pub(crate) fn former_use(tags: &Tags) -> Option<BuildingUse> {
    for prefix in VACANCY_PREFIXES {
        let stripped: Vec<(String, String)> = tags
            .0
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix(prefix)
                    .and_then(|k| k.strip_prefix(':'))
                    .map(|k| (k.to_string(), v.clone()))
            })
            .collect();
        if !stripped.is_empty()
            && let Some(u) = poi_use(&Tags(stripped))
        {
            return Some(u);
        }
    }
    tags.is("shop", "vacant").then_some(BuildingUse::Retail)
}

/// The building use a POI's tags imply (on a node inside a building, or on the
/// building polygon itself). Street furniture (`amenity=bench`, `atm`,
/// `bicycle_parking` ...) implies nothing.
pub(crate) fn poi_use(tags: &Tags) -> Option<BuildingUse> {
    use BuildingUse::*;
    if let Some(v) = tags.get("amenity") {
        let u = match v {
            "cafe" | "bar" | "pub" | "restaurant" | "fast_food" | "ice_cream" | "nightclub"
            | "biergarten" | "food_court" => Some(Horeca),
            "school" | "kindergarten" | "childcare" | "college" | "university"
            | "language_school" | "music_school" => Some(Education),
            "doctors" | "clinic" | "dentist" | "pharmacy" | "hospital" | "social_facility"
            | "nursing_home" => Some(Healthcare),
            "theatre" | "cinema" | "arts_centre" | "library" | "place_of_worship"
            | "community_centre" | "events_venue" | "exhibition_centre" | "music_venue" => {
                Some(Culture)
            }
            "bank" | "post_office" | "townhall" | "courthouse" | "police" => Some(Office),
            _ => None,
        };
        if u.is_some() {
            return u;
        }
    }
    if tags.get("shop").is_some_and(|v| v != "no") {
        return Some(Retail);
    }
    if tags.has("office") {
        return Some(Office);
    }
    if tags.has("craft") {
        return Some(Industry);
    }
    match tags.get("tourism") {
        Some("hotel" | "hostel" | "guest_house" | "motel") => return Some(Horeca),
        Some("museum" | "gallery") => return Some(Culture),
        _ => {}
    }
    if tags.has("healthcare") {
        return Some(Healthcare);
    }
    None
}

/// Horeca kinds read from `amenity=*`.
pub(crate) const HORECA_KINDS: [&str; 9] = [
    "restaurant",
    "cafe",
    "fast_food",
    "ice_cream",
    "food_court",
    "pub",
    "bar",
    "biergarten",
    "nightclub",
];

/// The horeca kind of an element, if it is horeca.
pub(crate) fn horeca_kind(tags: &Tags) -> Option<&'static str> {
    let v = tags.get("amenity")?;
    HORECA_KINDS.iter().copied().find(|k| *k == v)
}

/// How an amenity's kind was decided (for schools: from what).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KindBasis {
    /// A tag says it directly.
    Tag,
    /// `isced:level`.
    Isced,
    /// The name (`basisschool`, `gymnasium` ...).
    Name,
    /// Nothing said it: the documented default.
    Default,
}

impl KindBasis {
    /// Text for the `kind_basis` property.
    pub fn as_str(self) -> &'static str {
        match self {
            KindBasis::Tag => "tag",
            KindBasis::Isced => "isced:level",
            KindBasis::Name => "name",
            KindBasis::Default => "default",
        }
    }
}

/// An amenity match: kind, the tag that made it (`shop=supermarket`), and how.
pub(crate) struct AmenityMatch {
    pub kind: AmenityKind,
    pub osm_tag: String,
    pub basis: KindBasis,
}

fn tag_match(kind: AmenityKind, key: &str, value: &str) -> Option<AmenityMatch> {
    Some(AmenityMatch {
        kind,
        osm_tag: format!("{key}={value}"),
        basis: KindBasis::Tag,
    })
}

/// True when general access is private or forbidden.
fn private(tags: &Tags) -> bool {
    matches!(tags.get("access"), Some("private" | "no"))
}

/// The amenity kind of an element (first match in the order below), if any.
pub(crate) fn amenity_kind(tags: &Tags) -> Option<AmenityMatch> {
    use AmenityKind::*;
    if let Some(v) = tags.get("shop") {
        let kind = match v {
            "supermarket" => Some(Supermarket),
            "bakery" => Some(Bakery),
            "butcher" => Some(Butcher),
            "greengrocer" => Some(Greengrocer),
            _ => None,
        };
        if let Some(kind) = kind {
            return tag_match(kind, "shop", v);
        }
    }
    let healthcare = tags.get("healthcare");
    if let Some(v) = tags.get("amenity") {
        let kind = match v {
            "marketplace" => Some(Marketplace),
            "doctors" => Some(Gp),
            // A gezondheidscentrum / medical centre: in the Netherlands the
            // huisarts practises there as often as in an `amenity=doctors`.
            "clinic" => Some(Gp),
            "pharmacy" => Some(Pharmacy),
            "dentist" => Some(Dentist),
            "social_facility" => social_facility_kind(tags),
            "nursing_home" => Some(Care),
            "childcare" | "kindergarten" => Some(Daycare),
            "library" => Some(Library),
            "community_centre" => Some(CommunityCentre),
            "theatre" => Some(Theatre),
            "cinema" => Some(Cinema),
            "school" => return Some(school_kind(tags)),
            _ => None,
        };
        if let Some(kind) = kind {
            return tag_match(kind, "amenity", v);
        }
    }
    if let Some(v) = healthcare {
        let kind = match v {
            "doctor" | "centre" => Some(Gp),
            "pharmacy" => Some(Pharmacy),
            "dentist" => Some(Dentist),
            "nursing_home" => Some(Care),
            _ => None,
        };
        if let Some(kind) = kind {
            return tag_match(kind, "healthcare", v);
        }
    }
    if let Some(v) = tags.get("leisure") {
        let kind = match v {
            "playground" => Some(Playground),
            "park" | "common" | "recreation_ground" | "village_green" => Some(Park),
            "garden" if !private(tags) && !tags.is("garden:type", "residential") => Some(Park),
            "sports_centre" | "fitness_centre" | "sports_hall" | "stadium" | "ice_rink" => {
                Some(Sports)
            }
            "pitch" | "swimming_pool" if !private(tags) => Some(Sports),
            _ => None,
        };
        if let Some(kind) = kind {
            return tag_match(kind, "leisure", v);
        }
    }
    // Dutch neighbourhood green is mostly mapped as land cover; grass smaller
    // than a playing field is verge (the importer drops it by area).
    if let Some(v) = tags.get("landuse") {
        let kind = match v {
            "village_green" | "recreation_ground" | "grass" => Some(Park),
            _ => None,
        };
        if let Some(kind) = kind
            && !private(tags)
        {
            return tag_match(kind, "landuse", v);
        }
    }
    if tags.is("place", "square") {
        return tag_match(Square, "place", "square");
    }
    if tags.is("highway", "pedestrian") && tags.is("area", "yes") && tags.has("name") {
        return Some(AmenityMatch {
            kind: Square,
            osm_tag: "highway=pedestrian+area=yes".to_string(),
            basis: KindBasis::Tag,
        });
    }
    transit_tag(tags).map(|(key, value)| AmenityMatch {
        kind: TransitStop,
        osm_tag: format!("{key}={value}"),
        basis: KindBasis::Tag,
    })
}

/// `amenity=social_facility`: care for the elderly (nursing home, assisted
/// living, day care, group home) is **care**; day care or a home for children
/// (`social_facility:for=child|children|juvenile|kids`) is **daycare**; other
/// social facilities (shelters, food banks) are no walking need.
fn social_facility_kind(tags: &Tags) -> Option<AmenityKind> {
    let for_children = tags.get("social_facility:for").is_some_and(|f| {
        f.split(';')
            .any(|f| matches!(f.trim(), "child" | "children" | "juvenile" | "kids"))
    });
    match tags.get("social_facility") {
        Some("day_care" | "group_home") if for_children => Some(AmenityKind::Daycare),
        _ if for_children => None,
        None
        | Some("nursing_home" | "assisted_living" | "group_home" | "day_care" | "healthcare") => {
            Some(AmenityKind::Care)
        }
        Some(_) => None,
    }
}

/// Green smaller than this (m²) mapped as `landuse=grass` is verge or a lawn, not
/// neighbourhood green (a small playing field is about 1,000 m²).
pub(crate) const GRASS_MIN_M2: f64 = 1_000.0;

/// The amenity kind an amenities layer's `kind` text names: the canonical names
/// (`gp`, `daycare` ...) and the OSM values they come from (`doctors`, `clinic`,
/// `childcare`, `kindergarten`, `grass`, `nursing_home`, `bus_stop` ...), so a
/// QGIS export of OSM data reads the same as `import osm` writes it.
pub(crate) fn amenity_kind_text(text: &str) -> Option<AmenityKind> {
    use AmenityKind::*;
    if let Some(k) = AmenityKind::parse(text) {
        return Some(k);
    }
    let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    Some(match t.as_str() {
        "doctors" | "doctor" | "clinic" | "huisarts" | "general_practitioner" | "centre" => Gp,
        "chemist_pharmacy" | "apotheek" => Pharmacy,
        "childcare" | "kindergarten" | "kinderopvang" | "kinderdagverblijf" | "day_care_child" => {
            Daycare
        }
        "nursing_home" | "social_facility" | "assisted_living" | "verpleeghuis" => Care,
        "grass" | "village_green" | "recreation_ground" | "garden" | "common" | "green" => Park,
        "school" | "basisschool" => PrimarySchool,
        "bus_stop" | "tram_stop" | "station" | "halt" | "platform" | "stop_position"
        | "ferry_terminal" => TransitStop,
        "community_center" => CommunityCentre,
        "sports_centre" | "fitness_centre" | "sports_hall" | "pitch" | "swimming_pool" => Sports,
        "market" => Marketplace,
        _ => return None,
    })
}

/// The tag that makes a transit stop, and its priority when stops of the same
/// name are merged (lower is kept first).
pub(crate) fn transit_tag(tags: &Tags) -> Option<(&'static str, &'static str)> {
    match (
        tags.get("railway"),
        tags.get("highway"),
        tags.get("public_transport"),
    ) {
        (Some("station"), _, _) => Some(("railway", "station")),
        (Some("halt"), _, _) => Some(("railway", "halt")),
        (Some("tram_stop"), _, _) => Some(("railway", "tram_stop")),
        (_, Some("bus_stop"), _) => Some(("highway", "bus_stop")),
        (_, _, Some("station")) => Some(("public_transport", "station")),
        (_, _, Some("platform")) => Some(("public_transport", "platform")),
        (_, _, Some("stop_position")) => Some(("public_transport", "stop_position")),
        _ => match tags.get("amenity") {
            Some("ferry_terminal") => Some(("amenity", "ferry_terminal")),
            _ => None,
        },
    }
}

/// Merge priority of a transit tag: stations first, stop positions last.
pub(crate) fn transit_priority(osm_tag: &str) -> u8 {
    match osm_tag {
        "railway=station" | "public_transport=station" | "amenity=ferry_terminal" => 0,
        "railway=halt" | "railway=tram_stop" | "highway=bus_stop" => 1,
        "public_transport=platform" => 2,
        _ => 3,
    }
}

/// Primary or secondary school: `isced:level` (1 → primary; 2 or 3 →
/// secondary), else the name (Dutch and Danish school words), else primary.
fn school_kind(tags: &Tags) -> AmenityMatch {
    use AmenityKind::*;
    let result = |kind, basis| AmenityMatch {
        kind,
        osm_tag: "amenity=school".to_string(),
        basis,
    };
    if let Some(levels) = tags.get("isced:level") {
        let levels: Vec<&str> = levels.split([';', ',', '-']).map(str::trim).collect();
        if levels.contains(&"1") {
            return result(PrimarySchool, KindBasis::Isced);
        }
        if levels.iter().any(|l| matches!(*l, "2" | "3")) {
            return result(SecondarySchool, KindBasis::Isced);
        }
    }
    let name = tags.get("name").unwrap_or_default().to_lowercase();
    const PRIMARY: [&str; 4] = ["basisschool", "folkeskole", "montessori", "skole"];
    const SECONDARY: [&str; 9] = [
        "lyceum",
        "gymnasium",
        "college",
        "havo",
        "vwo",
        "vmbo",
        "mavo",
        "atheneum",
        "scholengemeenschap",
    ];
    if SECONDARY.iter().any(|w| name.contains(w)) {
        return result(SecondarySchool, KindBasis::Name);
    }
    if PRIMARY.iter().any(|w| name.contains(w)) {
        return result(PrimarySchool, KindBasis::Name);
    }
    result(PrimarySchool, KindBasis::Default)
}

/// Highway classes that are walkable unless foot access says otherwise.
pub(crate) const WALKABLE_HIGHWAYS: [&str; 19] = [
    "footway",
    "pedestrian",
    "path",
    "steps",
    "living_street",
    "residential",
    "service",
    "unclassified",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
    "cycleway",
    "track",
    "road",
    "bridleway",
    "platform",
];

/// True for a way pedestrians may use: a walkable highway class, not
/// `foot=no`/`private`, and not `access=private`/`no` unless `foot=yes`,
/// `designated` or `permissive` overrides it. Other classes (trunk, motorway)
/// count only with an explicit `foot=yes|designated|permissive`.
pub(crate) fn is_walkable(tags: &Tags) -> bool {
    let Some(highway) = tags.get("highway") else {
        return false;
    };
    let foot = tags.get("foot");
    let foot_allowed = matches!(foot, Some("yes" | "designated" | "permissive"));
    if matches!(foot, Some("no" | "private" | "use_sidepath")) {
        return false;
    }
    if !WALKABLE_HIGHWAYS.contains(&highway) {
        return foot_allowed && !matches!(highway, "construction" | "proposed");
    }
    foot_allowed || !private(tags)
}

/// VNG (2009) milieucategorie for an activity (`craft=carpenter`), where the
/// "Bedrijven en milieuzonering" list makes it evident; `None` when unsure.
pub(crate) fn milieucategorie(activity: &str) -> Option<&'static str> {
    Some(match activity {
        "craft=shoemaker" | "craft=tailor" | "craft=dressmaker" | "craft=watchmaker"
        | "craft=key_cutter" | "craft=photographer" | "craft=bookbinder" | "craft=optician"
        | "craft=goldsmith" | "craft=jeweller" => "1",
        "craft=bakery"
        | "craft=confectionery"
        | "craft=printer"
        | "craft=caterer"
        | "craft=car_repair"
        | "shop=car_repair" => "2",
        "craft=carpenter" | "craft=joiner" | "craft=cabinet_maker" | "craft=car_painter" => "3.1",
        "craft=metal_construction" => "3.2",
        _ => return None,
    })
}

/// The business activity of an element: `craft=*`, `industrial=*`,
/// `man_made=works`, or `shop=car_repair` (a workshop, VNG category 2).
pub(crate) fn business_activity(tags: &Tags) -> Option<String> {
    if let Some(v) = tags.get("craft") {
        return Some(format!("craft={v}"));
    }
    if let Some(v) = tags.get("industrial") {
        return Some(format!("industrial={v}"));
    }
    if tags.is("man_made", "works") {
        return Some("man_made=works".to_string());
    }
    if tags.is("shop", "car_repair") {
        return Some("shop=car_repair".to_string());
    }
    None
}

/// True for a shop that counts towards retail density: `shop=*` other than
/// `no`/`vacant`, not marked vacant or disused.
pub(crate) fn is_active_shop(tags: &Tags) -> bool {
    tags.get("shop").is_some_and(|v| v != "no" && v != "vacant") && !is_vacant(tags)
}

/// Lifecycle prefixes that mark a unit as no longer in use (`disused:shop=*`,
/// `was:amenity=*`, `abandoned:office=*`).
const VACANCY_PREFIXES: [&str; 3] = ["disused", "was", "abandoned"];

/// Keys whose prefixed form (`disused:<key>`) marks a vacant unit.
const VACANCY_KEYS: [&str; 6] = [
    "shop",
    "amenity",
    "office",
    "craft",
    "tourism",
    "healthcare",
];

/// Leegstand on an element: `shop=vacant`, `vacant=yes`, `disused=yes`, or a
/// lifecycle prefix (`disused:`, `was:`, `abandoned:`) on `shop`, `amenity`,
/// `office`, `craft`, `tourism` or `healthcare` — unless the element is in use
/// again (it carries an active shop, amenity, office ... of its own: a `was:shop`
/// beside a current `amenity=cafe` is history, not vacancy).
pub(crate) fn is_vacant(tags: &Tags) -> bool {
    if tags.is("shop", "vacant") || tags.is("vacant", "yes") || tags.is("disused", "yes") {
        return true;
    }
    let marked = VACANCY_PREFIXES.iter().any(|p| {
        VACANCY_KEYS.iter().any(|k| {
            tags.0
                .iter()
                .any(|(key, _)| key.strip_prefix(p).and_then(|r| r.strip_prefix(':')) == Some(k))
        })
    });
    marked && poi_use(tags).is_none()
}

/// Listed building: `heritage=*` (not `no`), `listed_status`, `heritage:operator=rce`, `ref:rce`.
pub(crate) fn is_monument(tags: &Tags) -> bool {
    tags.get("heritage").is_some_and(|v| v != "no")
        || tags.has("listed_status")
        || tags.is("heritage:operator", "rce")
        || tags.has("ref:rce")
}

/// Parses a yes/no tag.
pub(crate) fn yes_no(value: Option<&str>) -> Option<bool> {
    match value? {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// A leading decimal number in a tag (`"12 m"` → 12, `"12,5"` → 12.5). Values in
/// feet (`'` or `ft`) and values without a leading number give `None`.
pub(crate) fn leading_number(value: &str) -> Option<f64> {
    let v = value.trim();
    if v.contains('\'') || v.contains("ft") {
        return None;
    }
    let end = v
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(v.len(), |(i, _)| i);
    let n: f64 = v[..end].replace(',', ".").parse().ok()?;
    n.is_finite().then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        Tags(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn structure_kinds() {
        assert_eq!(
            structure_kind(&tags(&[("man_made", "water_tower")])),
            Some("water_tower")
        );
        assert_eq!(
            structure_kind(&tags(&[("historic", "castle")])),
            Some("palace")
        );
        assert_eq!(structure_kind(&tags(&[("historic", "memorial")])), None);
        assert_eq!(structure_kind(&tags(&[("historic", "building")])), None);
        assert_eq!(structure_kind(&tags(&[("layer", "-1")])), Some("tunnel"));
        assert_eq!(structure_kind(&tags(&[("layer", "1")])), None);
        assert_eq!(structure_kind(&tags(&[("bridge", "no")])), None);
        assert_eq!(building_type_landmark("university"), Some("education"));
        assert_eq!(
            landmark_kind(&tags(&[("amenity", "college")])),
            Some("education")
        );
    }

    #[test]
    fn parses_leading_numbers() {
        assert_eq!(leading_number("12 m"), Some(12.0));
        assert_eq!(leading_number("12,5"), Some(12.5));
        assert_eq!(leading_number("40'"), None);
        assert_eq!(leading_number("tall"), None);
    }

    #[test]
    fn walkability_respects_foot_and_access() {
        assert!(is_walkable(&tags(&[("highway", "footway")])));
        assert!(!is_walkable(&tags(&[
            ("highway", "cycleway"),
            ("foot", "no")
        ])));
        assert!(!is_walkable(&tags(&[
            ("highway", "service"),
            ("access", "private")
        ])));
        assert!(is_walkable(&tags(&[
            ("highway", "service"),
            ("access", "private"),
            ("foot", "yes")
        ])));
        assert!(!is_walkable(&tags(&[("highway", "motorway")])));
    }

    #[test]
    fn schools_split_by_isced_then_name() {
        let k = |t: &[(&str, &str)]| amenity_kind(&tags(t)).map(|m| (m.kind, m.basis));
        assert_eq!(
            k(&[("amenity", "school"), ("isced:level", "0;1")]),
            Some((AmenityKind::PrimarySchool, KindBasis::Isced))
        );
        assert_eq!(
            k(&[("amenity", "school"), ("name", "Barlaeus Gymnasium")]),
            Some((AmenityKind::SecondarySchool, KindBasis::Name))
        );
        assert_eq!(
            k(&[("amenity", "school")]),
            Some((AmenityKind::PrimarySchool, KindBasis::Default))
        );
        assert_eq!(k(&[("shop", "convenience")]), None);
    }
}
