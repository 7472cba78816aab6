//! From raw OSM elements to the six layers (the tag mapping is in `tags`).
//!
//! Order of work: multipolygon relations are assembled once; POIs (tagged
//! nodes, and ways / relations reduced to an interior point) feed horeca,
//! amenities, businesses and shop density; closed ways and multipolygons with
//! `building=*` become buildings, their use read from their own tags or from
//! the POI nodes inside; walkable highways become streets; `landuse=retail`
//! or shop density gives the retail core. Features are sorted by id.

use super::data::{OsmData, Relation, Tags, Way};
use super::geom::{
    self, AssemblyError, WayCoords, is_closed, line_geometry, point_geometry, polygon_geometry,
    ring_polygon,
};
use super::{ImportOptions, OsmLayers, hours, retail_core, tags};
use crate::error::{Diagnostic, Severity};
use crate::io::number::{self, Quantity};
use crate::model::{AmenityKind, BuildingUse, HorecaCategory};
use geo::{
    BoundingRect, ChamberlainDuquetteArea, Coord, Distance, Haversine, InteriorPoint, Intersects,
    MultiPolygon,
};
use geo::{Point, Rect};
use geojson::{Feature, FeatureCollection, feature::Id};
use rstar::{AABB, RTree, primitives::GeomWithData};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Everything [`build`] produces.
pub(crate) struct Built {
    pub layers: OsmLayers,
    pub diagnostics: Vec<Diagnostic>,
    pub retail_core_derived: bool,
    pub retail_core_method: String,
}

/// Collects diagnostics for one file.
struct Diagnostics {
    file: String,
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    fn warn(&mut self, layer: &str, code: &'static str, message: String) {
        self.list.push(Diagnostic {
            severity: Severity::Warning,
            layer: layer.to_string(),
            file: Some(self.file.clone()),
            feature: None,
            code,
            message,
        });
    }
}

/// A point feature candidate: a tagged node, or a way / relation reduced to a point.
struct Poi<'a> {
    id: String,
    point: Point<f64>,
    tags: &'a Tags,
    /// Area (m²) when the element is a closed way or a multipolygon.
    area_m2: Option<f64>,
}

/// True when the tags make a point feature in some layer (or count as a shop).
fn is_poi(t: &Tags) -> bool {
    tags::horeca_kind(t).is_some()
        || tags::amenity_kind(t).is_some()
        || tags::business_activity(t).is_some()
        || tags::is_active_shop(t)
}

/// The layer a diagnostic about an element with these tags belongs to.
fn layer_of(t: &Tags) -> &'static str {
    if tags::is_building(t) {
        "buildings"
    } else if tags::horeca_kind(t).is_some() {
        "horeca"
    } else if t.is("landuse", "retail") {
        "retail_core"
    } else if tags::business_activity(t).is_some() {
        "businesses"
    } else {
        "amenities"
    }
}

/// Builds all layers from `data`. `file` names the input in diagnostics.
pub(crate) fn build(data: &OsmData, options: &ImportOptions, file: &str) -> Built {
    let mut diags = Diagnostics {
        file: file.to_string(),
        list: Vec::new(),
    };
    for id in &data.bad_nodes {
        diags.warn(
            "nodes",
            "invalid_coordinates",
            format!("node/{id}: coordinates missing, not finite or out of range; node ignored"),
        );
    }
    let bbox = options
        .bbox
        .map(|[w, s, e, n]| Rect::new(Coord { x: w, y: s }, Coord { x: e, y: n }));
    let keep = |g: &geo::Geometry<f64>| bbox.is_none_or(|r| r.intersects(g));

    let ways: HashMap<i64, &Way> = data.ways.iter().map(|w| (w.id, w)).collect();
    let multipolygons = assemble_relations(data, &ways, &mut diags);

    let pois = collect_pois(data, &multipolygons, &mut diags);
    let pois: Vec<Poi<'_>> = pois
        .into_iter()
        .filter(|p| keep(&geo::Geometry::Point(p.point)))
        .collect();

    let horeca = horeca_layer(&pois);
    let amenities = amenity_layer(&pois);
    let businesses = business_layer(&pois);
    let buildings = building_layer(data, &multipolygons, &mut diags, &keep);
    let streets = street_layer(data, &multipolygons, &mut diags, &keep);
    let shops: Vec<(f64, f64)> = pois
        .iter()
        .filter(|p| tags::is_active_shop(p.tags))
        .map(|p| (p.point.x(), p.point.y()))
        .collect();
    let (retail_core, derived, method) =
        retail_core_layer(data, &multipolygons, &shops, &mut diags, &keep);

    Built {
        layers: OsmLayers {
            buildings: collection(buildings),
            horeca: collection(horeca),
            amenities: collection(amenities),
            streets: collection(streets),
            retail_core: collection(retail_core),
            businesses: collection(businesses),
            study_area: collection(study_area_layer(options.bbox, data.bounds)),
        },
        diagnostics: diags.list,
        retail_core_derived: derived,
        retail_core_method: method,
    }
}

/// The study area as one polygon: the `--bbox` when given (the import keeps
/// what intersects it), else the extent the file declares. An extract holds
/// every feature inside that extent and only the ways that cross its edge
/// beyond it, so zoning and coverage outside it would count missing data as quiet.
fn study_area_layer(bbox: Option<[f64; 4]>, bounds: Option<[f64; 4]>) -> Vec<Feature> {
    let (box_, source) = match (bbox, bounds) {
        (Some(b), _) => (b, "--bbox"),
        (None, Some(b)) => (b, "bounds of the file"),
        (None, None) => return Vec::new(),
    };
    let [w, s, e, n] = box_.map(geom::round7);
    let ring = vec![
        Coord { x: w, y: s },
        Coord { x: e, y: s },
        Coord { x: e, y: n },
        Coord { x: w, y: n },
        Coord { x: w, y: s },
    ];
    let Some(p) = ring_polygon(ring) else {
        return Vec::new();
    };
    let id = "study_area/1".to_string();
    let mut props = Map::new();
    props.insert("id".into(), json!(id));
    props.insert("name".into(), Value::Null);
    props.insert("source".into(), json!(source));
    vec![feature(id, polygon_geometry(&MultiPolygon(vec![p])), props)]
}

/// Sorts features by id into a collection.
fn collection(mut features: Vec<Feature>) -> FeatureCollection {
    features.sort_by(|a, b| feature_id(a).cmp(feature_id(b)));
    FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    }
}

fn feature_id(f: &Feature) -> &str {
    match &f.id {
        Some(Id::String(s)) => s,
        _ => "",
    }
}

fn feature(id: String, geometry: geojson::Geometry, properties: Map<String, Value>) -> Feature {
    Feature {
        bbox: None,
        geometry: Some(geometry),
        id: Some(Id::String(id)),
        properties: Some(properties),
        foreign_members: None,
    }
}

fn opt_str(v: Option<&str>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.to_string()))
}

/// Assembles every multipolygon relation whose tags matter to some layer.
fn assemble_relations(
    data: &OsmData,
    ways: &HashMap<i64, &Way>,
    diags: &mut Diagnostics,
) -> HashMap<i64, MultiPolygon<f64>> {
    let mut out = HashMap::new();
    for r in &data.relations {
        if !is_multipolygon(r) {
            continue;
        }
        if !(tags::is_building(&r.tags)
            || tags::is_walkable(&r.tags)
            || r.tags.is("landuse", "retail")
            || is_poi(&r.tags)
            || tags::public_grounds(&r.tags).is_some())
        {
            continue;
        }
        match geom::assemble_multipolygon(data, ways, r) {
            Ok(shape) => {
                out.insert(r.id, shape);
            }
            Err(e) => {
                let code = match e {
                    AssemblyError::MissingMembers { .. } => "missing_members",
                    AssemblyError::Unclosed { .. } => "unclosed_ring",
                    AssemblyError::Empty => "invalid_geometry",
                };
                let (_, message) = e.describe();
                diags.warn(
                    layer_of(&r.tags),
                    code,
                    format!("relation/{}: {message}", r.id),
                );
            }
        }
    }
    out
}

fn is_multipolygon(r: &Relation) -> bool {
    r.tags.is("type", "multipolygon")
}

/// Tagged nodes, ways and assembled multipolygons that are POIs, as points.
fn collect_pois<'a>(
    data: &'a OsmData,
    multipolygons: &HashMap<i64, MultiPolygon<f64>>,
    diags: &mut Diagnostics,
) -> Vec<Poi<'a>> {
    let mut pois = Vec::new();
    for n in &data.nodes {
        if is_poi(&n.tags) {
            let (x, y) = super::data::from_decimicro(n.coord);
            pois.push(Poi {
                id: format!("node/{}", n.id),
                point: Point::new(x, y),
                tags: &n.tags,
                area_m2: None,
            });
        }
    }
    for w in &data.ways {
        if !is_poi(&w.tags) {
            continue;
        }
        let coords = WayCoords::of(data, w);
        let point = match coords.complete() {
            Some(c) => geom::representative_point(c, is_closed(w)),
            None => {
                let present = coords.present();
                let point = geom::representative_point(&present, false);
                let outcome = if point.is_some() {
                    "point taken from the present nodes"
                } else {
                    "skipped"
                };
                diags.warn(
                    layer_of(&w.tags),
                    "missing_nodes",
                    format!(
                        "way/{}: {} of {} nodes missing; {outcome}",
                        w.id,
                        coords.missing,
                        w.refs.len()
                    ),
                );
                point
            }
        };
        if let Some(point) = point {
            let area_m2 = coords
                .complete()
                .filter(|_| is_closed(w))
                .and_then(|c| ring_polygon(c.to_vec()))
                .map(|p| p.chamberlain_duquette_unsigned_area());
            pois.push(Poi {
                id: format!("way/{}", w.id),
                point,
                tags: &w.tags,
                area_m2,
            });
        }
    }
    for r in &data.relations {
        if !is_poi(&r.tags) {
            continue;
        }
        if let Some(shape) = multipolygons.get(&r.id)
            && let Some(point) = shape.interior_point()
        {
            pois.push(Poi {
                id: format!("relation/{}", r.id),
                point,
                tags: &r.tags,
                area_m2: Some(shape.chamberlain_duquette_unsigned_area()),
            });
        }
    }
    pois
}

fn horeca_layer(pois: &[Poi<'_>]) -> Vec<Feature> {
    let mut out = Vec::new();
    for p in pois {
        let Some(kind) = tags::horeca_kind(p.tags) else {
            continue;
        };
        let t = p.tags;
        let category = HorecaCategory::from_kind(kind).map(HorecaCategory::number);
        let hours = t.get("opening_hours");
        let closing = hours.and_then(hours::closing_time);
        let outdoor = tags::yes_no(t.get("outdoor_seating")).or_else(|| {
            // `street`, `sidewalk`, `pedestrian_zone`, `garden` ... are kinds of terrace.
            t.get("outdoor_seating").map(|_| true)
        });
        let seats = ["outdoor_seating:capacity", "capacity:outdoor_seating"]
            .iter()
            .find_map(|k| t.get(k).and_then(|v| v.trim().parse::<u32>().ok()))
            .or(if outdoor == Some(false) {
                Some(0)
            } else {
                None
            });
        let mut props = Map::new();
        props.insert("id".into(), json!(p.id));
        props.insert("kind".into(), json!(kind));
        props.insert("category".into(), json!(category));
        props.insert("name".into(), opt_str(t.get("name")));
        props.insert("opening_hours".into(), opt_str(hours));
        props.insert(
            "closing_time".into(),
            closing.map_or(Value::Null, |c| json!(c.clock())),
        );
        props.insert(
            "closes_after_midnight".into(),
            closing.map_or(Value::Null, |c| json!(c.after_midnight())),
        );
        props.insert("terrace_seats".into(), json!(seats));
        props.insert("outdoor_seating".into(), json!(outdoor));
        out.push(feature(p.id.clone(), point_geometry(p.point), props));
    }
    out
}

/// Transit stops of the same name closer than this are one stop (platform,
/// stop position and stop sign of one halt).
const TRANSIT_MERGE_M: f64 = 75.0;

fn amenity_layer(pois: &[Poi<'_>]) -> Vec<Feature> {
    let mut out = Vec::new();
    let mut transit = Vec::new();
    for p in pois {
        let Some(m) = tags::amenity_kind(p.tags) else {
            continue;
        };
        // Grass smaller than a playing field is verge, not neighbourhood green.
        if m.osm_tag == "landuse=grass" && p.area_m2.is_none_or(|a| a < tags::GRASS_MIN_M2) {
            continue;
        }
        if m.kind == AmenityKind::TransitStop {
            transit.push((tags::transit_priority(&m.osm_tag), p, m));
            continue;
        }
        out.push(amenity_feature(p, &m));
    }
    // Keep the best-priority stop of each name; unnamed stops are all kept.
    transit.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let mut kept: Vec<(String, Point<f64>)> = Vec::new();
    for (_, p, m) in transit {
        if let Some(name) = p.tags.get("name").map(str::to_lowercase) {
            let duplicate = kept
                .iter()
                .any(|(n, q)| *n == name && Haversine.distance(*q, p.point) < TRANSIT_MERGE_M);
            if duplicate {
                continue;
            }
            kept.push((name, p.point));
        }
        out.push(amenity_feature(p, &m));
    }
    out
}

fn amenity_feature(p: &Poi<'_>, m: &tags::AmenityMatch) -> Feature {
    let mut props = Map::new();
    props.insert("id".into(), json!(p.id));
    props.insert("kind".into(), json!(m.kind.as_str()));
    props.insert("name".into(), opt_str(p.tags.get("name")));
    props.insert("osm_tag".into(), json!(m.osm_tag));
    props.insert("kind_basis".into(), json!(m.basis.as_str()));
    feature(p.id.clone(), point_geometry(p.point), props)
}

fn business_layer(pois: &[Poi<'_>]) -> Vec<Feature> {
    let mut out = Vec::new();
    for p in pois {
        let Some(activity) = tags::business_activity(p.tags) else {
            continue;
        };
        if tags::is_vacant(p.tags) {
            continue;
        }
        let mut props = Map::new();
        props.insert("id".into(), json!(p.id));
        props.insert("activity".into(), json!(activity));
        props.insert(
            "milieucategorie".into(),
            opt_str(tags::milieucategorie(&activity)),
        );
        props.insert("name".into(), opt_str(p.tags.get("name")));
        out.push(feature(p.id.clone(), point_geometry(p.point), props));
    }
    out
}

/// One building (a BAG pand) before its use is read: the OSM ways and
/// multipolygons that carry its `ref:bag` (or the one element without one).
struct BuildingShape<'a> {
    /// OSM ids of the parts, in the order read (ways before relations, by id).
    osm_ids: Vec<String>,
    /// Tags of each part, parallel to `osm_ids`.
    tags: Vec<&'a Tags>,
    shape: MultiPolygon<f64>,
}

impl<'a> BuildingShape<'a> {
    /// The first part's value of `key`.
    fn get(&self, key: &str) -> Option<&'a str> {
        self.tags.iter().find_map(|t| t.get(key))
    }
}

/// One unit inside a building: a mapped address, a business, or a vacancy marker.
#[derive(Default, Clone, Copy)]
struct Unit {
    /// The use of the business in it.
    business: Option<BuildingUse>,
    /// Marked vacant, with the use it had.
    vacant: Option<Option<BuildingUse>>,
}

/// The units found inside a footprint (see `maps/README.md`, "units").
#[derive(Default)]
struct UnitTally {
    /// Units by normalised address (`street|housenumber|unit`).
    by_address: HashMap<String, Unit>,
    /// Businesses and vacancy markers without an address: one unit each.
    loose: Vec<Unit>,
}

impl UnitTally {
    fn add(&mut self, t: &Tags) {
        // A vacancy marker wins: `shop=vacant` is a shop unit without a shop.
        let vacant = tags::is_vacant(t).then(|| tags::former_use(t));
        let unit = Unit {
            business: if vacant.is_some() {
                None
            } else {
                tags::poi_use(t)
            },
            vacant,
        };
        match address_key(t) {
            Some(key) => {
                let u = self.by_address.entry(key).or_default();
                u.business = u.business.or(unit.business);
                u.vacant = u.vacant.or(unit.vacant);
            }
            None if unit.business.is_some() || unit.vacant.is_some() => self.loose.push(unit),
            None => {}
        }
    }
    fn units(&self) -> impl Iterator<Item = &Unit> {
        self.by_address.values().chain(&self.loose)
    }
}

/// A normalised address key, when the element has a house number.
fn address_key(t: &Tags) -> Option<String> {
    let number = t.get("addr:housenumber")?.trim().to_lowercase();
    let street = t
        .get("addr:street")
        .or(t.get("addr:postcode"))
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    let unit = t
        .get("addr:unit")
        .or(t.get("addr:door"))
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    Some(format!("{street}|{number}|{unit}"))
}

/// One address for a building from the `(addr:street, addr:housenumber)` of
/// the address nodes inside it: the street with the most addresses (ties:
/// the first in alphabetical order) and its house number: one address as
/// mapped ("Kalverstraat 12a"); several as the range of their numbers without
/// additions ("Kalverstraat 10-14", the Dutch way to write a range), or the
/// one number when they differ only in their additions (Amsterdam's floors
/// "58-1", "58-2", "58-H" give "Kloveniersburgwal 58"). Other streets'
/// addresses (a corner building) are left out. `None` without addresses.
fn address_label(addresses: &[(&str, &str)]) -> Option<String> {
    let mut streets: Vec<(&str, Vec<&str>)> = Vec::new();
    for &(street, number) in addresses {
        let (street, number) = (street.trim(), number.trim());
        if street.is_empty() || number.is_empty() {
            continue;
        }
        match streets.iter_mut().find(|(s, _)| *s == street) {
            Some((_, numbers)) => numbers.push(number),
            None => streets.push((street, vec![number])),
        }
    }
    streets.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let (street, mut numbers) = streets.into_iter().next()?;
    // House-number order: the leading digits as a number, then the rest
    // ("12" < "12a" < "12-1" < "14"; a number without digits last).
    let key = |n: &str| {
        let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
        (digits.parse::<u64>().unwrap_or(u64::MAX), n.to_string())
    };
    numbers.sort_by_key(|n| key(n));
    numbers.dedup();
    if let [one] = numbers[..] {
        return Some(format!("{street} {one}"));
    }
    let base = |n: &str| key(n).0;
    let (first, last) = (base(numbers[0]), base(numbers[numbers.len() - 1]));
    Some(match (first, last) {
        (u64::MAX, _) | (_, u64::MAX) => format!("{street} {}", numbers[0]),
        (a, b) if a == b => format!("{street} {a}"),
        (a, b) => format!("{street} {a}-{b}"),
    })
}

/// The use most units have when it is more than half of them; several uses
/// without a majority → mixed; none → none.
fn majority(uses: &[BuildingUse]) -> Option<BuildingUse> {
    let mut counts: Vec<(BuildingUse, usize)> = Vec::new();
    for u in uses {
        match counts.iter_mut().find(|(v, _)| v == u) {
            Some((_, n)) => *n += 1,
            None => counts.push((*u, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    match counts.first() {
        None => None,
        Some(&(u, n)) if n * 2 > uses.len() => Some(u),
        Some(_) => Some(BuildingUse::Mixed),
    }
}

/// `building=*` values of a building with one household.
const SINGLE_DWELLING_TYPES: [&str; 8] = [
    "house",
    "detached",
    "semidetached_house",
    "bungalow",
    "houseboat",
    "farm",
    "static_caravan",
    "villa",
];

/// POI units must hold more than this share of a `building=yes` building's
/// units to give it their use (see `maps/README.md`).
const POI_UNIT_SHARE: f64 = 0.5;

fn building_layer(
    data: &OsmData,
    multipolygons: &HashMap<i64, MultiPolygon<f64>>,
    diags: &mut Diagnostics,
    keep: &dyn Fn(&geo::Geometry<f64>) -> bool,
) -> Vec<Feature> {
    let mut shapes: Vec<BuildingShape<'_>> = Vec::new();
    for w in &data.ways {
        if !tags::is_building(&w.tags) || !is_closed(w) {
            continue;
        }
        let coords = WayCoords::of(data, w);
        let Some(ring) = coords.complete() else {
            diags.warn(
                "buildings",
                "missing_nodes",
                format!(
                    "way/{}: {} of {} nodes missing; building skipped",
                    w.id,
                    coords.missing,
                    w.refs.len()
                ),
            );
            continue;
        };
        match ring_polygon(ring.to_vec()) {
            Some(p) => shapes.push(BuildingShape {
                osm_ids: vec![format!("way/{}", w.id)],
                tags: vec![&w.tags],
                shape: MultiPolygon(vec![p]),
            }),
            None => diags.warn(
                "buildings",
                "invalid_geometry",
                format!("way/{}: ring has no area; building skipped", w.id),
            ),
        }
    }
    for r in &data.relations {
        if tags::is_building(&r.tags)
            && is_multipolygon(r)
            && let Some(shape) = multipolygons.get(&r.id)
        {
            shapes.push(BuildingShape {
                osm_ids: vec![format!("relation/{}", r.id)],
                tags: vec![&r.tags],
                shape: shape.clone(),
            });
        }
    }
    shapes.retain(|b| keep(&geo::Geometry::MultiPolygon(b.shape.clone())));
    let shapes = merge_panden(shapes);
    let grounds = public_grounds(data, multipolygons);

    // Nodes that tell about units: POIs, vacancy markers, addresses, landmarks.
    let index: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        data.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                tags::poi_use(&n.tags).is_some()
                    || tags::is_vacant(&n.tags)
                    || n.tags.has("addr:housenumber")
                    || tags::landmark_kind(&n.tags).is_some()
            })
            .map(|(i, n)| {
                let (x, y) = super::data::from_decimicro(n.coord);
                GeomWithData::new([x, y], i)
            })
            .collect(),
    );

    let mut out = Vec::new();
    for b in shapes {
        let mut tally = UnitTally::default();
        let mut node_landmarks: Vec<(&'static str, i64)> = Vec::new();
        let mut addresses: Vec<(&str, &str)> = Vec::new();
        if let Some(rect) = b.shape.bounding_rect() {
            let envelope =
                AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
            for hit in index.locate_in_envelope(&envelope) {
                let node = &data.nodes[hit.data];
                let [x, y] = *hit.geom();
                if !b.shape.intersects(&Point::new(x, y)) {
                    continue;
                }
                tally.add(&node.tags);
                if let (Some(street), Some(number)) = (
                    node.tags.get("addr:street"),
                    node.tags.get("addr:housenumber"),
                ) {
                    addresses.push((street, number));
                }
                if let Some(k) = tags::landmark_kind(&node.tags) {
                    node_landmarks.push((k, node.id));
                }
            }
        }
        // The building's own address and POI tags are a unit when nothing inside is.
        if tally.units().next().is_none() {
            for t in &b.tags {
                tally.add(t);
            }
        }
        let units: Vec<Unit> = tally.units().copied().collect();
        let business: Vec<BuildingUse> = units.iter().filter_map(|u| u.business).collect();
        let vacant_units = units
            .iter()
            .filter(|u| u.business.is_none() && u.vacant.is_some())
            .count();
        let street_uses: Vec<BuildingUse> = units
            .iter()
            .filter_map(|u| u.business.or(u.vacant.flatten()))
            .collect();
        let street_units = units
            .iter()
            .filter(|u| u.business.is_some() || u.vacant.is_some())
            .count();
        let plain_units = units.len() - street_units;

        // The building type: the first part whose `building=*` says more than `yes`.
        let building = b
            .tags
            .iter()
            .filter_map(|t| t.get("building"))
            .find(|v| tags::building_type_use(v).is_some() || *v != "yes")
            .or(b.get("building"))
            .unwrap_or("yes");
        let own = b.tags.iter().find_map(|t| tags::poi_use(t));
        // Floors, height and year by the loader's rule (crate::io::number),
        // with the same problem text, so both paths read a value alike.
        let element = b.osm_ids[0].clone();
        let mut number = |key: &str, q: Quantity| {
            let text = b.get(key)?;
            let reading = number::read(q, text);
            if let Some(note) = &reading.note {
                let code = if reading.value.is_none() {
                    "bad_value"
                } else {
                    "number_read_as"
                };
                diags.warn(
                    "buildings",
                    code,
                    format!("{element}: {key} = {text}: {note}"),
                );
            }
            reading.value
        };
        let floors = number("building:levels", Quantity::Floors).map(|v| v as u32);
        let height_m = number("height", Quantity::HeightM);
        let year = number("start_date", Quantity::Year).map(|y| y as i32);
        let (usage, source, ground) = match tags::building_type_use(building) {
            Some(BuildingUse::Residential) => {
                let mut plint = street_uses.clone();
                plint.extend(own);
                (BuildingUse::Residential, "building_tag", majority(&plint))
            }
            Some(u) => (u, "building_tag", majority(&street_uses)),
            None => match own {
                Some(u) => (u, "building_tag", None),
                None if street_units > 0 => {
                    // Upper storeys without a mapped unit count as one unit each:
                    // the storeys tagged, else the documented default (3).
                    let storeys = floors.unwrap_or(crate::io::load::DEFAULT_FLOORS);
                    let upper = storeys.saturating_sub(1) as usize;
                    let total = (street_units + plain_units).max(street_units + upper);
                    let share = street_units as f64 / total as f64;
                    let uses = majority(&street_uses);
                    if share > POI_UNIT_SHARE {
                        (uses.unwrap_or(BuildingUse::Other), "poi_units", None)
                    } else {
                        (BuildingUse::Mixed, "poi_units", uses)
                    }
                }
                // `building=commercial` with nothing mapped inside: business
                // premises of unknown kind (shops, offices, workshops); no evidence of retail.
                None => (BuildingUse::Other, "default", None),
            },
        };
        let non_dwelling = b
            .tags
            .iter()
            .all(|t| t.get("building").is_some_and(tags::is_non_dwelling_type));
        let vacant = b.tags.iter().any(|t| tags::is_vacant(t))
            || (!units.is_empty() && vacant_units == units.len());
        let landmark = b
            .tags
            .iter()
            .find_map(|t| tags::landmark_kind(t))
            .or_else(|| {
                b.tags
                    .iter()
                    .filter_map(|t| t.get("building"))
                    .find_map(tags::building_type_landmark)
            })
            // A structure (water tower, tunnel, historic tower): the building's own tags only.
            .or_else(|| b.tags.iter().find_map(|t| tags::structure_kind(t)))
            .or_else(|| {
                node_landmarks.sort_by_key(|(k, id)| (*k, *id));
                node_landmarks.first().map(|(k, _)| *k)
            })
            .or_else(|| {
                // On a campus or a hospital's grounds: the institution's building.
                let anchor = b.shape.interior_point()?;
                grounds
                    .iter()
                    .find(|(shape, _)| shape.intersects(&anchor))
                    .map(|(_, kind)| *kind)
            })
            .filter(|k| !(vacant && *k == "department_store"));
        let flats = b
            .get("building:flats")
            .and_then(tags::leading_number)
            .filter(|v| *v >= 0.0 && *v < 100_000.0)
            .map(|v| v as u32);
        let (dwellings, dwellings_source) = if non_dwelling {
            (Some(0), Some("non_dwelling"))
        } else if let Some(n) = flats {
            (Some(n), Some("building:flats"))
        } else if matches!(usage, BuildingUse::Residential | BuildingUse::Mixed) && plain_units > 0
        {
            (Some(plain_units as u32), Some("addresses"))
        } else if usage == BuildingUse::Residential && SINGLE_DWELLING_TYPES.contains(&building) {
            (Some(1), Some("building_tag"))
        } else {
            (None, None)
        };

        let ref_bag = b.get("ref:bag").map(str::trim).filter(|v| !v.is_empty());
        let id = match ref_bag {
            Some(r) => crate::model::bag_pand_id(r).into_owned(),
            None => b.osm_ids[0].clone(),
        };
        // The address: the building's own, else that of the address nodes
        // inside its footprint (most of Amsterdam maps them there).
        let address = match (b.get("addr:street"), b.get("addr:housenumber")) {
            (Some(s), Some(n)) => Some(format!("{} {}", s.trim(), n.trim())),
            _ => address_label(&addresses),
        };
        let name = b.get("name").map(str::to_string).or(address.clone());
        let lift = tags::yes_no(b.get("building:lift")).or(tags::yes_no(b.get("lift")));
        let mut props = Map::new();
        props.insert("id".into(), json!(id));
        props.insert("osm_id".into(), json!(b.osm_ids.join(";")));
        props.insert("ref_bag".into(), opt_str(ref_bag));
        props.insert("building".into(), json!(building));
        props.insert("use".into(), json!(usage.as_str()));
        props.insert("use_source".into(), json!(source));
        props.insert(
            "ground_floor_use".into(),
            opt_str(ground.map(BuildingUse::as_str)),
        );
        props.insert("floors".into(), json!(floors));
        props.insert("height_m".into(), json!(height_m));
        props.insert("year".into(), json!(year));
        props.insert(
            "monument".into(),
            json!(b.tags.iter().any(|t| tags::is_monument(t))),
        );
        props.insert("vacant".into(), json!(vacant));
        props.insert("units".into(), json!(units.len()));
        props.insert("units_business".into(), json!(business.len()));
        props.insert("units_vacant".into(), json!(vacant_units));
        props.insert("units_street".into(), json!(street_units));
        props.insert("dwellings".into(), json!(dwellings));
        props.insert("dwellings_source".into(), opt_str(dwellings_source));
        props.insert("non_dwelling".into(), json!(non_dwelling));
        props.insert("landmark".into(), opt_str(landmark));
        props.insert("name".into(), json!(name));
        props.insert("address".into(), json!(address));
        props.insert("lift".into(), json!(lift));
        out.push(feature(id, polygon_geometry(&b.shape), props));
    }
    out
}

/// The grounds of public institutions (campus, school yard, hospital grounds)
/// with their landmark kind, from closed ways and assembled multipolygons.
fn public_grounds(
    data: &OsmData,
    multipolygons: &HashMap<i64, MultiPolygon<f64>>,
) -> Vec<(MultiPolygon<f64>, &'static str)> {
    let mut out = Vec::new();
    for w in &data.ways {
        let Some(kind) = tags::public_grounds(&w.tags) else {
            continue;
        };
        if !is_closed(w) {
            continue;
        }
        if let Some(p) = WayCoords::of(data, w)
            .complete()
            .and_then(|c| ring_polygon(c.to_vec()))
        {
            out.push((MultiPolygon(vec![p]), kind));
        }
    }
    for r in &data.relations {
        if let Some(kind) = tags::public_grounds(&r.tags)
            && let Some(shape) = multipolygons.get(&r.id)
        {
            out.push((shape.clone(), kind));
        }
    }
    out
}

/// Joins the parts of one BAG pand: OSM often draws a pand as several ways (the
/// Stopera is a town hall way and an opera way with one `ref:bag`). Parts with
/// the same `ref:bag` (in either digit form) become one building whose
/// footprint is their union; the others are kept as they are.
fn merge_panden(shapes: Vec<BuildingShape<'_>>) -> Vec<BuildingShape<'_>> {
    use geo::BooleanOps;
    let mut out: Vec<BuildingShape<'_>> = Vec::with_capacity(shapes.len());
    let mut by_ref: HashMap<String, usize> = HashMap::new();
    for s in shapes {
        let key = s
            .get("ref:bag")
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|r| crate::model::bag_pand_id(r).into_owned());
        match key.map(|k| match by_ref.get(&k) {
            Some(&i) => Ok(i),
            None => Err(k),
        }) {
            Some(Ok(i)) => {
                let first = &mut out[i];
                // geo's overlay can panic on degenerate rings (see
                // io::validity::try_make_valid): then both parts are kept as
                // drawn, and the loader repairs the footprint or names it.
                let (a, b) = (&first.shape, &s.shape);
                let union = std::panic::catch_unwind(|| a.union(b)).unwrap_or_else(|_| {
                    let mut both = a.clone();
                    both.0.extend(b.0.iter().cloned());
                    both
                });
                first.shape = union;
                first.osm_ids.extend(s.osm_ids);
                first.tags.extend(s.tags);
            }
            Some(Err(k)) => {
                by_ref.insert(k, out.len());
                out.push(s);
            }
            None => out.push(s),
        }
    }
    out
}

/// Walkable ways as lines, then walkable multipolygon relations (a
/// `highway=pedestrian` square with a fountain cut out) as their (Multi)Polygon:
/// the loader walks an area along its edge, as a closed way area, never
/// across (see maps/README.md).
fn street_layer(
    data: &OsmData,
    multipolygons: &HashMap<i64, MultiPolygon<f64>>,
    diags: &mut Diagnostics,
    keep: &dyn Fn(&geo::Geometry<f64>) -> bool,
) -> Vec<Feature> {
    let mut out = Vec::new();
    for w in &data.ways {
        if !tags::is_walkable(&w.tags) {
            continue;
        }
        let coords = WayCoords::of(data, w);
        let line = match coords.complete() {
            Some(c) => c,
            None => {
                let run = coords.longest_run().filter(|r| r.len() >= 2);
                let outcome = match run {
                    Some(r) => format!(
                        "kept the longest run of {} present consecutive nodes",
                        r.len()
                    ),
                    None => "skipped (fewer than 2 consecutive nodes present)".to_string(),
                };
                diags.warn(
                    "streets",
                    "missing_nodes",
                    format!(
                        "way/{}: {} of {} nodes missing; {outcome}",
                        w.id,
                        coords.missing,
                        w.refs.len()
                    ),
                );
                match run {
                    Some(r) => r,
                    None => continue,
                }
            }
        };
        if line.len() < 2 {
            continue;
        }
        let ls = geo::LineString::new(line.to_vec());
        if !keep(&geo::Geometry::LineString(ls)) {
            continue;
        }
        let id = format!("way/{}", w.id);
        let props = street_props(&id, &w.tags, w.tags.is("area", "yes"));
        out.push(feature(id, line_geometry(line), props));
    }
    for r in &data.relations {
        if !(is_multipolygon(r) && tags::is_walkable(&r.tags)) {
            continue;
        }
        // Not assembled: a diagnostic was written by assemble_relations.
        let Some(shape) = multipolygons.get(&r.id) else {
            continue;
        };
        if !keep(&geo::Geometry::MultiPolygon(shape.clone())) {
            continue;
        }
        let id = format!("relation/{}", r.id);
        let props = street_props(&id, &r.tags, true);
        // As a (Multi)Polygon: the loader walks its outer rings, and an inner
        // ring where another line meets it (maps/README.md).
        let geometry = polygon_geometry(shape);
        out.push(feature(id, geometry, props));
    }
    out
}

/// A street's properties as maps/README.md lists them. `bridge` / `tunnel`
/// are true for any value but `no`; `layer` is the integer OSM gives (0 when
/// absent or not an integer); `level` is written as tagged (the loader
/// normalises it), null when absent.
fn street_props(id: &str, t: &Tags, area: bool) -> Map<String, Value> {
    let flag = |k: &str| t.get(k).is_some_and(|v| v != "no");
    let mut props = Map::new();
    props.insert("id".into(), json!(id));
    props.insert("highway".into(), opt_str(t.get("highway")));
    props.insert("name".into(), opt_str(t.get("name")));
    props.insert("foot".into(), opt_str(t.get("foot")));
    props.insert("bridge".into(), json!(flag("bridge")));
    props.insert("tunnel".into(), json!(flag("tunnel")));
    props.insert(
        "layer".into(),
        json!(
            t.get("layer")
                .and_then(|v| v.trim().parse::<i64>().ok())
                .unwrap_or(0)
        ),
    );
    props.insert("level".into(), opt_str(t.get("level")));
    props.insert("area".into(), json!(area));
    props
}

/// Tagged `landuse=retail` is the core when it holds at least this share of
/// the shops; otherwise it is a few retail sites (a mall, a market hall) and
/// the core is derived from shop density (the tagged polygons are kept too).
const TAGGED_CORE_MIN_SHOP_SHARE: f64 = 0.25;

fn retail_core_layer(
    data: &OsmData,
    multipolygons: &HashMap<i64, MultiPolygon<f64>>,
    shops: &[(f64, f64)],
    diags: &mut Diagnostics,
    keep: &dyn Fn(&geo::Geometry<f64>) -> bool,
) -> (Vec<Feature>, bool, String) {
    let mut tagged: Vec<(String, &Tags, MultiPolygon<f64>)> = Vec::new();
    for w in &data.ways {
        if !w.tags.is("landuse", "retail") || !is_closed(w) {
            continue;
        }
        let coords = WayCoords::of(data, w);
        match coords.complete().and_then(|c| ring_polygon(c.to_vec())) {
            Some(p) => tagged.push((format!("way/{}", w.id), &w.tags, MultiPolygon(vec![p]))),
            None => diags.warn(
                "retail_core",
                if coords.missing > 0 {
                    "missing_nodes"
                } else {
                    "invalid_geometry"
                },
                format!(
                    "way/{}: {} of {} nodes missing or no area; landuse=retail skipped",
                    w.id,
                    coords.missing,
                    w.refs.len()
                ),
            ),
        }
    }
    for r in &data.relations {
        if r.tags.is("landuse", "retail")
            && is_multipolygon(r)
            && let Some(shape) = multipolygons.get(&r.id)
        {
            tagged.push((format!("relation/{}", r.id), &r.tags, shape.clone()));
        }
    }
    tagged.retain(|(_, _, s)| keep(&geo::Geometry::MultiPolygon(s.clone())));
    type Shops = Vec<(f64, f64)>;
    let (inside_shops, outside_shops): (Shops, Shops) = shops.iter().partition(|(x, y)| {
        let p = Point::new(*x, *y);
        tagged.iter().any(|(_, _, s)| s.intersects(&p))
    });
    let inside = inside_shops.len();
    let share = if shops.is_empty() {
        0.0
    } else {
        inside as f64 / shops.len() as f64
    };
    let mut out = Vec::new();
    for (id, t, shape) in &tagged {
        let mut props = Map::new();
        props.insert("id".into(), json!(id));
        props.insert("name".into(), opt_str(t.get("name")));
        props.insert("source".into(), json!("landuse=retail"));
        out.push(feature(id.clone(), polygon_geometry(shape), props));
    }
    if !tagged.is_empty() && share >= TAGGED_CORE_MIN_SHOP_SHARE {
        // The mapped core, and where the shops outside it are dense enough to be
        // core too (a department store on a square the mapped strips miss).
        let derived = retail_core::derive(&outside_shops);
        let mut method = format!(
            "landuse=retail: {} polygon(s) holding {:.0}% of {} shops",
            tagged.len(),
            share * 100.0,
            shops.len()
        );
        if !derived.is_empty() {
            method.push_str(&format!(
                "; plus {} part(s) where the {} shops outside them are dense ({})",
                derived.len(),
                outside_shops.len(),
                retail_core::method()
            ));
        }
        push_derived(&mut out, &derived);
        return (out, !derived.is_empty(), method);
    }
    let derived = retail_core::derive(shops);
    let method = format!(
        "{}; {} part(s) from {} shops{}",
        retail_core::method(),
        derived.len(),
        shops.len(),
        if tagged.is_empty() {
            String::new()
        } else {
            format!(
                "; plus {} landuse=retail polygon(s) kept as retail sites (they hold only {:.0}% of the shops)",
                tagged.len(),
                share * 100.0
            )
        }
    );
    push_derived(&mut out, &derived);
    (out, true, method)
}

/// Adds derived core parts as features `derived/1`, `derived/2` ... with the rule as `source`.
fn push_derived(out: &mut Vec<Feature>, derived: &[MultiPolygon<f64>]) {
    for (i, shape) in derived.iter().enumerate() {
        let id = format!("derived/{}", i + 1);
        let mut props = Map::new();
        props.insert("id".into(), json!(id));
        props.insert("name".into(), Value::Null);
        props.insert("source".into(), json!(retail_core::method()));
        out.push(feature(id, polygon_geometry(shape), props));
    }
}

#[cfg(test)]
mod tests {
    use super::address_label;

    #[test]
    fn address_label_takes_the_main_street_and_its_number_range() {
        assert_eq!(address_label(&[]), None);
        assert_eq!(
            address_label(&[("Kalverstraat", "12")]).as_deref(),
            Some("Kalverstraat 12")
        );
        // House-number order, not text order ("9" before "10"); duplicates once.
        let a = [
            ("Kalverstraat", "10"),
            ("Kalverstraat", "9"),
            ("Kalverstraat", "12a"),
            ("Kalverstraat", "9"),
            ("Spui", "2"),
        ];
        assert_eq!(address_label(&a).as_deref(), Some("Kalverstraat 9-12"));
        // Amsterdam's floor numbers: one house number.
        let c = [
            ("Kloveniersburgwal", "58-H"),
            ("Kloveniersburgwal", "58-1"),
            ("Kloveniersburgwal", "58-2"),
        ];
        assert_eq!(address_label(&c).as_deref(), Some("Kloveniersburgwal 58"));
        // A tie between streets: the first alphabetically; blanks are skipped.
        let b = [("Spui", "2"), ("Rokin", "7"), (" ", "3"), ("Damrak", " ")];
        assert_eq!(address_label(&b).as_deref(), Some("Rokin 7"));
    }
}
