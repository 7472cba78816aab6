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
/// unknown values state nothing (`commercial` is a fallback, see
/// [`COMMERCIAL_FALLBACK`]).
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

/// `building=commercial` without POIs inside: retail (in a city centre most
/// commercial buildings hold shops; offices are tagged `building=office`).
pub(crate) const COMMERCIAL_FALLBACK: BuildingUse = BuildingUse::Retail;

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
            "clinic"
                if healthcare == Some("doctor")
                    || tags
                        .get("healthcare:speciality")
                        .is_some_and(|s| s.contains("general")) =>
            {
                Some(Gp)
            }
            "pharmacy" => Some(Pharmacy),
            "dentist" => Some(Dentist),
            "social_facility" => match tags.get("social_facility") {
                None
                | Some(
                    "nursing_home" | "assisted_living" | "group_home" | "day_care" | "healthcare",
                ) => Some(Care),
                Some(_) => None,
            },
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
            "doctor" => Some(Gp),
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
            "park" => Some(Park),
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

/// Leegstand on an element: `disused:shop=*`, `vacant=yes`, `shop=vacant`, `disused=yes`.
pub(crate) fn is_vacant(tags: &Tags) -> bool {
    tags.has("disused:shop")
        || tags.is("vacant", "yes")
        || tags.is("shop", "vacant")
        || tags.is("disused", "yes")
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

/// The first run of exactly four digits in a date (`"1852"`, `"~1650"`,
/// `"2018-07-21"`, `"before 1900"`).
pub(crate) fn year(value: &str) -> Option<i32> {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                return value[start..i].parse().ok();
            }
        } else {
            i += 1;
        }
    }
    None
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
    fn parses_numbers_and_years() {
        assert_eq!(leading_number("12 m"), Some(12.0));
        assert_eq!(leading_number("12,5"), Some(12.5));
        assert_eq!(leading_number("40'"), None);
        assert_eq!(leading_number("tall"), None);
        assert_eq!(year("2018-07-21"), Some(2018));
        assert_eq!(year("~1650"), Some(1650));
        assert_eq!(year("C17"), None);
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
