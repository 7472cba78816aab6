//! Turning a [`Plan`] into output features and figures (pure).
//!
//! Each output layer is a list of [`OutFeature`]s with properties in a fixed
//! order, sorted by id; numbers are rounded here, at the edge, so files are
//! byte-identical between runs. `io` then writes them. The property names are
//! the contract the QGIS styles (`render::qml`) rely on.
//!
//! The two big layers, buildings and sites, are streamed ([`write_buildings`],
//! [`write_sites`]: properties straight to text, no map per feature); the
//! GeoPackage takes the same properties as features ([`buildings`], [`sites`]).
//!
//! # Proportional to the information (issue 18)
//! A file holds what varies per feature; what holds for the whole map is
//! written once. A reason the same for every building ([`map_caveats`]: the
//! map marks too few monuments, has no data for a needed kind) is named short
//! in each building's `reasons_<g>` (`monumentstatus onbekend`) and explained
//! once in the collection's `description` and `caveats` members
//! ([`caveats_text`]; 4 × 95 bytes a building at 70k before). Which amenity is
//! the nearest per kind is not written per building (760 of 3,290 bytes): the
//! `site` and `reach` commands name it. 70k synthetic city: 3,293 → 2,103
//! bytes a building.

use crate::error::Result;
use crate::io::write::{GeoJsonWriter, OutFeature, round_to};
use crate::network::KindDistances;
use crate::plan::Plan;
use crate::rules::suitability::MapCaveat;
use crate::scenario::Scenario;
use geo::{CoordsIter, Geometry};
use rayon::prelude::*;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn sorted(mut v: Vec<OutFeature>) -> Vec<OutFeature> {
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// Where a building's properties go: straight to GeoJSON text (streaming) or
/// into a map (GeoPackage tables). Generic, so the text path pays nothing.
pub trait PropSink {
    /// One property.
    fn put<V: serde::Serialize>(&mut self, key: &str, value: V);
    /// A number rounded to `decimals` (see [`round_to`]).
    fn round(&mut self, key: &str, v: f64, decimals: i32) {
        self.put(key, round_to(v, decimals));
    }
    /// An optional number rounded to `decimals`, null when absent.
    fn round_opt(&mut self, key: &str, v: Option<f64>, decimals: i32) {
        self.put(key, v.map_or(Value::Null, |v| round_to(v, decimals)));
    }
    /// A text property.
    fn put_str(&mut self, key: &str, value: &str) {
        self.put(key, value);
    }
    /// A text property, null when absent.
    fn put_opt_str(&mut self, key: &str, value: Option<&str>) {
        self.put(key, value);
    }
}

/// Straight to text (the layer files).
impl PropSink for crate::io::write::PropWriter<'_> {
    fn put<V: serde::Serialize>(&mut self, key: &str, value: V) {
        crate::io::write::PropWriter::put(self, key, value);
    }
    fn round(&mut self, key: &str, v: f64, decimals: i32) {
        crate::io::write::PropWriter::round(self, key, v, decimals);
    }
    fn round_opt(&mut self, key: &str, v: Option<f64>, decimals: i32) {
        crate::io::write::PropWriter::round_opt(self, key, v, decimals);
    }
    fn put_str(&mut self, key: &str, value: &str) {
        crate::io::write::PropWriter::put_str(self, key, value);
    }
    fn put_opt_str(&mut self, key: &str, value: Option<&str>) {
        crate::io::write::PropWriter::put_opt_str(self, key, value);
    }
}

impl PropSink for Map<String, Value> {
    fn put<V: serde::Serialize>(&mut self, key: &str, value: V) {
        self.insert(
            key.to_string(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
    }
}

/// Property names that depend on the scenario, computed once per layer.
struct BuildingKeys<'a> {
    kinds: Vec<(String, Option<&'a KindDistances>)>,
    groups: Vec<[String; 6]>,
    /// Whether an unmarked building is known not to be a monument / vacant
    /// (`model::monument_data`, `model::vacancy_data`); else it is null (onbekend).
    monument_known: bool,
    vacancy_known: bool,
}

/// Whether a building's vacancy figures (vacant units, vacant m²) say
/// something: the map's vacancy marks are complete (`known`, see
/// `model::vacancy_data`), or this building is marked vacant or has vacant
/// units. Else they are onbekend: written as null, never as 0.
fn vacancy_stated(b: &crate::model::Building, known: bool) -> bool {
    known || b.vacant || b.units.vacant > 0
}

/// A flag the map marks: true when marked; false when not marked and the map's
/// marks are complete (`known`); else null (onbekend, never "no").
fn marked(flag: bool, known: bool) -> Option<bool> {
    (flag || known).then_some(flag)
}

impl<'a> BuildingKeys<'a> {
    fn new(plan: &'a Plan, scenario: &Scenario) -> Self {
        let kinds = plan
            .walk_kinds(scenario)
            .into_iter()
            .map(|k| (format!("walk_m_{k}"), KindDistances::find(&plan.walk, k)))
            .collect();
        let groups = scenario
            .groups
            .iter()
            .map(|g| {
                let n = &g.name;
                [
                    format!("score_{n}"),
                    format!("verdict_{n}"),
                    format!("reasons_{n}"),
                    format!("needs_met_{n}"),
                    format!("needs_unmet_{n}"),
                    format!("needs_unknown_{n}"),
                ]
            })
            .collect();
        BuildingKeys {
            kinds,
            groups,
            monument_known: plan.suitability.monument_data,
            vacancy_known: plan.vacancy_data,
        }
    }
}

/// Every property of building `i`, in the fixed order of buildings.geojson.
fn building_props<P: PropSink>(
    plan: &Plan,
    scenario: &Scenario,
    keys: &BuildingKeys,
    i: usize,
    p: &mut P,
) {
    let b = &plan.layers.buildings[i];
    p.put_str("building_id", &b.id);
    p.put_opt_str("name", b.name.as_deref());
    p.put_str("use", b.usage.as_str());
    p.put_opt_str("ground_floor_use", b.ground_floor_use.map(|u| u.as_str()));
    p.put("floors", b.floors.value);
    p.put("floors_estimated", b.floors.estimated);
    p.round("floor_area_m2", b.floor_area_m2.value, 0);
    p.put("floor_area_estimated", b.floor_area_m2.estimated);
    p.round("footprint_m2", b.footprint_m2(), 1);
    p.put_opt_str("building", b.building_type.as_deref());
    p.put("non_dwelling", b.non_dwelling);
    p.put_opt_str("landmark", b.landmark.as_deref());
    p.put("dwellings", b.dwellings.value);
    p.put("dwellings_estimated", b.dwellings.estimated);
    p.put("vacant", marked(b.vacant, keys.vacancy_known));
    p.put("units", b.units.total);
    // Where the map marks too little vacancy to read the rest as in use, an
    // unmarked building's vacant units and area are onbekend (null), not 0.
    let vacancy_here = vacancy_stated(b, keys.vacancy_known);
    p.put("units_vacant", vacancy_here.then_some(b.units.vacant));
    p.round_opt("vacant_m2", vacancy_here.then_some(b.units.vacant_m2), 0);
    p.put("monument", marked(b.monument, keys.monument_known));
    p.put("lift", b.lift);
    p.put("year", b.year);
    if let Some(z) = plan.zoning.buildings.get(i) {
        p.put_str("zone", z.zone.as_str());
        p.round("reuring_index", z.reuring_index, 2);
    }
    let hits = plan.milieu.get(i).unwrap_or(&[]);
    let vng: Vec<String> = hits
        .iter()
        .map(|h| {
            let id = plan
                .layers
                .businesses
                .get(h.business)
                .map(|b| b.id.as_str())
                .unwrap_or("?");
            // Rounded as the reasons round it (down below the guide
            // distance), so "29 m (richtafstand 30 m)" reads the same in both.
            format!(
                "{id} op {} m (richtafstand {} m)",
                crate::rules::suitability::metres_against(h.distance_m, h.guide_m),
                crate::rules::suitability::num(h.guide_m)
            )
        })
        .collect();
    p.put_str("vng_conflicts", &vng.join("; "));
    // Which amenity is the nearest is not written per building (760 of 3,290
    // bytes a building at 70k): `binnenstad site ID` and `reach` name it.
    for (walk_key, kd) in &keys.kinds {
        let metres = kd.and_then(|k| k.metres(i));
        p.round_opt(walk_key, metres, 1);
    }
    let mut list = String::new();
    for (gi, (g, k)) in scenario.groups.iter().zip(&keys.groups).enumerate() {
        if let Some(a) = plan.assessments.get(i).and_then(|per| per.get(gi)) {
            p.round(&k[0], a.score, 0);
            p.put_str(&k[1], a.verdict.as_str());
            p.put_str(&k[2], &a.reasons());
        } else {
            // A non-dwelling has no housing verdict: null, not ongeschikt.
            p.put(&k[0], Value::Null);
            p.put(&k[1], Value::Null);
            p.put(&k[2], Value::Null);
        }
        // Needs the map has no data for, or that no path leads to (a loose
        // network part: rules::suitability), are neither met nor unmet:
        // onbekend, and out of the count. A need unmet within the map whose
        // limit reaches past the study area's edge is onbekend too, but still
        // not met: in the count (`2/3`), listed as onbekend, not as unmet.
        let unknown = &plan.suitability.unknown_needs;
        let all = crate::network::needs(g, &plan.walk, i);
        let edge_m = plan.edge_m.get(i).copied().flatten();
        // Each need once (they are in kind order): without data or a path
        // (out of the count), onbekend at the edge (counted, not met), met
        // or unmet.
        let no_data = |n: &crate::network::NeedResult| {
            n.metres.is_none() || unknown.iter().any(|(k, _)| *k == n.kind)
        };
        let at_edge = |n: &crate::network::NeedResult| {
            !n.met && crate::rules::suitability::need_beyond_edge(edge_m, g.reach_m(n.max_minutes))
        };
        let (mut met, mut counted) = (0, 0);
        for n in all.iter().filter(|n| !no_data(n)) {
            counted += 1;
            met += usize::from(n.met);
        }
        list.clear();
        let _ = write!(list, "{met}/{counted}");
        p.put_str(&k[3], &list);
        join_into(
            &mut list,
            all.iter()
                .filter(|n| !no_data(n) && !n.met && !at_edge(n))
                .map(|n| n.kind.as_str()),
        );
        p.put_str(&k[4], &list);
        join_into(
            &mut list,
            all.iter()
                .filter(|n| no_data(n) || at_edge(n))
                .map(|n| n.kind.as_str()),
        );
        p.put_str(&k[5], &list);
    }
}

/// `items` joined by ", " into `out` (cleared first): one buffer for every list
/// of a feature instead of a `Vec` and a `String` per list.
fn join_into<'a>(out: &mut String, items: impl Iterator<Item = &'a str>) {
    out.clear();
    for item in items {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(item);
    }
}

/// Building indices sorted by id; ties (duplicate ids) keep input order, so files stay deterministic.
fn building_order(plan: &Plan) -> Vec<usize> {
    let buildings = &plan.layers.buildings;
    let mut order: Vec<usize> = (0..buildings.len()).collect();
    order.par_sort_by(|&a, &b| buildings[a].id.cmp(&buildings[b].id).then(a.cmp(&b)));
    order
}

/// The buildings layer, streamed: every building with its normalised attributes
/// and results, sorted by id, one feature per line (see
/// [`GeoJsonWriter::write_collection`]); `tick(n)` after every `n` features.
/// Properties are written straight to text, so no map is built per building.
pub fn write_buildings(
    plan: &Plan,
    scenario: &Scenario,
    writer: &GeoJsonWriter,
    out: &mut (dyn std::io::Write + Send),
    tick: &(dyn Fn(usize) + Sync),
) -> Result<()> {
    let order = building_order(plan);
    let keys = BuildingKeys::new(plan, scenario);
    let members = caveat_members(&map_caveats(plan));
    writer.write_collection_with(
        out,
        "buildings",
        &members,
        order.len(),
        |k, buf| {
            let i = order[k];
            let b = &plan.layers.buildings[i];
            writer.feature_with(
                buf,
                &b.id,
                b.footprint.coords_count(),
                |buf| writer.multi_polygon_into(buf, &b.footprint),
                |p| building_props(plan, scenario, &keys, i, p),
            )
        },
        tick,
    )
}

/// The buildings layer as features (for the GeoPackage), in the same order and
/// with the same properties as buildings.geojson.
pub fn buildings(plan: &Plan, scenario: &Scenario) -> Vec<OutFeature> {
    let keys = BuildingKeys::new(plan, scenario);
    building_order(plan)
        .into_iter()
        .map(|i| {
            let b = &plan.layers.buildings[i];
            let mut p = Map::new();
            building_props(plan, scenario, &keys, i, &mut p);
            OutFeature {
                id: b.id.clone(),
                geometry: Geometry::MultiPolygon(b.footprint.clone()),
                properties: p,
            }
        })
        .collect()
}

/// Every property of site `site`, in the fixed order of sites.geojson.
fn site_props<P: PropSink>(
    plan: &Plan,
    scenario: &Scenario,
    homes_keys: &[String],
    site: &crate::rules::sites::Site,
    b: &crate::model::Building,
    p: &mut P,
) {
    let (monument_known, vacancy_known) = (plan.suitability.monument_data, plan.vacancy_data);
    p.put("rank", site.rank);
    p.put_str("building_id", &b.id);
    p.put_opt_str("name", b.name.as_deref());
    p.put_str("use", b.usage.as_str());
    p.put_str("site_type", site.kind.as_str());
    p.round("potential", site.potential, 1);
    for (k, v) in site.components.named() {
        p.round(k, v, 2);
    }
    p.round_opt("core_distance_m", site.core_distance_m, 0);
    p.put("vacant", marked(site.vacant, vacancy_known));
    p.put(
        "units_vacant",
        vacancy_stated(b, vacancy_known).then_some(b.units.vacant),
    );
    p.put("monument", marked(b.monument, monument_known));
    p.put("best_group", &site.best_group);
    p.round("best_score", site.best_score, 0);
    p.put("best_homes", site.best_homes);
    p.round("usable_m2", site.usable_m2, 0);
    p.put("usable_estimated", site.usable_estimated);
    for (g, key) in scenario.groups.iter().zip(homes_keys) {
        p.put(key, site.homes.get(&g.name).copied().unwrap_or(0));
    }
    p.put_str("conditions", &site.conditions.join("; "));
    p.put_str(
        "label",
        &site_label(site.rank, b, site.best_group.as_deref(), site.best_homes),
    );
}

/// `homes_<group>` for every doelgroep, in scenario order: sites' property names.
fn homes_keys(scenario: &Scenario) -> Vec<String> {
    scenario
        .groups
        .iter()
        .map(|g| format!("homes_{}", g.name))
        .collect()
}

/// The sites with their building, in rank order (a site whose building index
/// is out of range is skipped, as it has no footprint to draw).
fn site_buildings(plan: &Plan) -> Vec<(&crate::rules::sites::Site, &crate::model::Building)> {
    plan.sites
        .iter()
        .filter_map(|s| Some((s, plan.layers.buildings.get(s.building)?)))
        .collect()
}

/// The sites layer, streamed like [`write_buildings`] (no map per site): ranked
/// transformation candidates (footprints) with homes per group, in rank order;
/// the same bytes as [`sites`] through [`GeoJsonWriter::collection`].
pub fn write_sites(
    plan: &Plan,
    scenario: &Scenario,
    writer: &GeoJsonWriter,
    out: &mut (dyn std::io::Write + Send),
) -> Result<()> {
    let sites = site_buildings(plan);
    let homes_keys = homes_keys(scenario);
    writer.write_collection(
        out,
        "sites",
        sites.len(),
        |k, buf| {
            let (site, b) = sites[k];
            writer.feature_with(
                buf,
                &format!("site/{}", site.rank),
                b.footprint.coords_count(),
                |buf| writer.multi_polygon_into(buf, &b.footprint),
                |p| site_props(plan, scenario, &homes_keys, site, b, p),
            )
        },
        &|_| {},
    )
}

/// The sites layer as features (for the GeoPackage): ranked transformation
/// candidates (footprints), with homes per group; the properties of sites.geojson.
pub fn sites(plan: &Plan, scenario: &Scenario) -> Vec<OutFeature> {
    let homes_keys = homes_keys(scenario);
    site_buildings(plan)
        .into_iter()
        .map(|(site, b)| {
            let mut p = Map::new();
            site_props(plan, scenario, &homes_keys, site, b, &mut p);
            OutFeature {
                id: format!("site/{}", site.rank),
                geometry: Geometry::MultiPolygon(b.footprint.clone()),
                properties: p,
            }
        })
        .collect()
}

/// The caveats that hold for every building of the map (the monument status
/// the map cannot tell, the needs it has no data for): each building's
/// reasons carry the short [`MapCaveat::reason`], the outputs explain it once
/// (buildings.geojson's `description` and `caveats` members, report.html's data
/// problems, kaart.html's popups, the QGIS map tip).
pub fn map_caveats(plan: &Plan) -> Vec<MapCaveat> {
    MapCaveat::all(
        plan.suitability.monument_data,
        &plan.suitability.unknown_needs,
    )
}

/// The map's caveats as one Dutch sentence, e.g. `Redenen die voor de hele kaart
/// gelden: monumentstatus onbekend: de kaart markeert ...`; empty without any.
pub fn caveats_text(caveats: &[MapCaveat]) -> String {
    if caveats.is_empty() {
        return String::new();
    }
    let items: Vec<String> = caveats
        .iter()
        .map(|c| format!("{} = {}", c.reason, c.explanation))
        .collect();
    format!(
        "Redenen die voor de hele kaart gelden (kort in reasons_<doelgroep>): {}.",
        items.join("; ")
    )
}

/// The FeatureCollection members that carry the caveats once: `description`
/// (GDAL and QGIS show it as the layer's DESCRIPTION) and `caveats`, the lookup
/// table from the short reason to its explanation, for scripts. None without caveats.
fn caveat_members(caveats: &[MapCaveat]) -> Vec<(&'static str, Value)> {
    if caveats.is_empty() {
        return Vec::new();
    }
    let table: Map<String, Value> = caveats
        .iter()
        .map(|c| (c.reason.clone(), Value::String(c.explanation.clone())))
        .collect();
    vec![
        ("description", Value::String(caveats_text(caveats))),
        ("caveats", Value::Object(table)),
    ]
}

/// "3. Kalverstraat 12: 6 woningen voor starters", or without a name or
/// address "3. 1 woning voor studenten" (the id is in its own column) — the
/// label in QGIS.
fn site_label(rank: usize, b: &crate::model::Building, group: Option<&str>, homes: u32) -> String {
    let what = match group {
        Some(g) => format!(
            "{} voor {g}",
            crate::labels::aantal(u64::from(homes), "woning", "woningen")
        ),
        None => "geen doelgroep".to_string(),
    };
    match &b.name {
        Some(name) => format!("{rank}. {name}: {what}"),
        None => format!("{rank}. {what}"),
    }
}

/// The zones layer: rust / gemengd / reuring polygons.
pub fn zones(plan: &Plan) -> Vec<OutFeature> {
    zone_features(&plan.zoning)
}

/// The zone polygons of a zoning.
pub fn zone_features(zoning: &crate::rules::zoning::Zoning) -> Vec<OutFeature> {
    zoning
        .zones
        .iter()
        .map(|z| {
            let mut p = Map::new();
            p.insert("zone_id".into(), json!(z.id));
            p.insert("zone".into(), json!(z.character.as_str()));
            p.insert("mean_index".into(), round_to(z.mean_index, 2));
            p.insert("area_m2".into(), round_to(z.area_m2, 0));
            OutFeature {
                id: z.id.clone(),
                geometry: Geometry::Polygon(z.area.clone()),
                properties: p,
            }
        })
        .collect()
}

/// The coverage layer: per group and need, the area within reach and the homes in and out.
pub fn coverage(plan: &Plan, scenario: &Scenario) -> Vec<OutFeature> {
    let out = plan
        .coverage
        .iter()
        .map(|c| {
            let minutes = scenario.need_minutes(&c.group, c.kind);
            let id = format!("{}/{}", c.group, c.kind);
            let mut p = Map::new();
            p.insert("coverage_id".into(), json!(id));
            p.insert("group".into(), json!(c.group));
            p.insert("kind".into(), json!(c.kind.as_str()));
            p.insert("minutes".into(), round_to(minutes, 1));
            p.insert("threshold_m".into(), round_to(c.threshold_m, 0));
            let caveat = plan.coverage_caveat(c);
            // Without data for the kind, the homes "outside" are not known to be outside.
            let gap = caveat == Some(crate::plan::NO_DATA);
            for (key, homes) in [
                ("homes_inside", c.homes_inside),
                ("homes_outside", c.homes_outside),
                ("homes_unknown", c.homes_unknown),
            ] {
                p.insert(key.into(), if gap { Value::Null } else { json!(homes) });
            }
            p.insert(
                "share_inside".into(),
                if caveat.is_some() {
                    Value::Null
                } else {
                    round_to(c.share_inside, 3)
                },
            );
            p.insert("data".into(), json!(caveat.unwrap_or("ok")));
            OutFeature {
                id,
                geometry: Geometry::MultiPolygon(c.area.clone()),
                properties: p,
            }
        })
        .collect();
    sorted(out)
}

/// The amenities as used.
pub fn amenities(plan: &Plan) -> Vec<OutFeature> {
    sorted(
        plan.layers
            .amenities
            .iter()
            .map(|a| {
                let mut p = Map::new();
                p.insert("amenity_id".into(), json!(a.id));
                p.insert("kind".into(), json!(a.kind.as_str()));
                p.insert("name".into(), json!(a.name));
                OutFeature {
                    id: a.id.clone(),
                    geometry: Geometry::Point(a.point),
                    properties: p,
                }
            })
            .collect(),
    )
}

/// The horeca as used.
pub fn horeca(plan: &Plan) -> Vec<OutFeature> {
    sorted(
        plan.layers
            .horeca
            .iter()
            .map(|h| {
                let mut p = Map::new();
                p.insert("horeca_id".into(), json!(h.id));
                p.insert("kind".into(), json!(h.kind));
                p.insert("category".into(), json!(h.category.number()));
                p.insert("name".into(), json!(h.name));
                p.insert(
                    "closing_time".into(),
                    json!(
                        h.closing_minutes
                            .map(|m| format!("{:02}:{:02}", (m / 60) % 24, m % 60))
                    ),
                );
                p.insert("terrace_seats".into(), json!(h.terrace_seats));
                OutFeature {
                    id: h.id.clone(),
                    geometry: Geometry::Point(h.point),
                    properties: p,
                }
            })
            .collect(),
    )
}

/// The walkable streets as used, with their network component.
pub fn streets(plan: &Plan) -> Vec<OutFeature> {
    sorted(
        plan.layers
            .streets
            .iter()
            .map(|s| {
                let mut p = Map::new();
                p.insert("street_id".into(), json!(s.id));
                p.insert("highway".into(), json!(s.highway));
                p.insert("name".into(), json!(s.name));
                OutFeature {
                    id: s.id.clone(),
                    geometry: Geometry::LineString(s.line.clone()),
                    properties: p,
                }
            })
            .collect(),
    )
}

/// Plan conflicts as points with the features involved.
pub fn conflicts(plan: &Plan) -> Vec<OutFeature> {
    plan.conflicts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let id = format!("conflict/{}", i + 1);
            let mut p = Map::new();
            p.insert("conflict_id".into(), json!(id));
            p.insert("kind".into(), json!(c.kind.as_str()));
            p.insert("message".into(), json!(c.message));
            p.insert("feature_ids".into(), json!(c.feature_ids.join(", ")));
            OutFeature {
                id,
                geometry: Geometry::Point(c.location),
                properties: p,
            }
        })
        .collect()
}

/// The figures for summary.json.
pub fn summary(plan: &Plan, scenario: &Scenario) -> Value {
    let to_check = crate::rules::sites::to_check(&plan.sites);
    let mut uses = BTreeMap::<&str, usize>::new();
    for b in &plan.layers.buildings {
        *uses.entry(b.usage.as_str()).or_default() += 1;
    }
    let mut zone_area = BTreeMap::<&str, f64>::new();
    let mut zone_buildings = BTreeMap::<&str, usize>::new();
    for z in &plan.zoning.zones {
        *zone_area.entry(z.character.as_str()).or_default() += z.area_m2;
    }
    for z in &plan.zoning.buildings {
        *zone_buildings.entry(z.zone.as_str()).or_default() += 1;
    }
    let zone_area: BTreeMap<&str, Value> = zone_area
        .into_iter()
        .map(|(k, v)| (k, round_to(v, 0)))
        .collect();
    let coverage: Vec<Value> = plan
        .coverage
        .iter()
        .map(|c| {
            let caveat = plan.coverage_caveat(c);
            let gap = caveat == Some(crate::plan::NO_DATA);
            let homes = |n: usize| if gap { Value::Null } else { json!(n) };
            json!({
                "group": c.group, "kind": c.kind.as_str(), "threshold_m": round_to(c.threshold_m, 0),
                "homes_inside": homes(c.homes_inside), "homes_outside": homes(c.homes_outside),
                "homes_unknown": homes(c.homes_unknown),
                "share_inside": if caveat.is_some() { Value::Null } else { round_to(c.share_inside, 3) },
                "data": caveat.unwrap_or("ok"),
            })
        })
        .collect();
    let errors = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .count();
    let components = plan.network.components();
    json!({
        "scenario": scenario.name,
        "working_crs": plan.working_crs.to_string(),
        "counts": {
            "buildings": plan.layers.buildings.len(),
            "horeca": plan.layers.horeca.len(),
            "amenities": plan.layers.amenities.len(),
            "streets": plan.layers.streets.len(),
            "retail_core": plan.layers.retail_core.len(),
            "businesses": plan.layers.businesses.len(),
            "plan_zones": plan.layers.plan_zones.len(),
        },
        "buildings_by_use": uses,
        "network": {
            "nodes": plan.network.node_count(),
            "edges": plan.network.edge_count(),
            "components": components.len(),
        },
        "zones": { "area_m2": zone_area, "buildings": zone_buildings, "count": plan.zoning.zones.len() },
        "coverage": coverage,
        "data_gaps": plan.suitability.unknown_needs.iter().map(|(k, n)| json!({
            "kind": k.as_str(), "mapped": n,
            "meaning": "too few in the map to judge: the need is onbekend (geen data), not failed",
        })).collect::<Vec<_>>(),
        "study_area_km2": round_to(plan.zoning.area_km2(), 3),
        "vng_conflicts": plan.milieu.iter().filter(|h| !h.is_empty()).count(),
        "near_edge_buildings": near_edge_buildings(plan),
        "verdicts": verdict_counts(plan, scenario),
        "sites": {
            "count": plan.sites.len(),
            "with_group": plan.sites.iter().filter(|s| s.best_group.is_some()).count(),
            "homes_best_group": plan.sites.iter().map(|s| s.best_homes as u64).sum::<u64>(),
            // The same sites and homes per type; `vacant`: the building (or the
            // units) stand empty, else the current user must leave first.
            "by_type": crate::rules::sites::count_by_type(&plan.sites).iter().map(|(t, n, h)| json!({
                "site_type": t.as_str(), "vacant": t.is_vacant(), "count": n, "homes_best_group": h,
            })).collect::<Vec<_>>(),
            // Sites with more than `CHECK_HOMES` homes in one building for a
            // group (their conditions start with "controleren") and their best
            // group's homes: the part of `homes_best_group` a planner checks first.
            "sites_to_check": to_check.0,
            "homes_to_check": to_check.1,
            // Homes in the vacant types' sites; `vacancy_known` false: the map
            // marks almost no vacancy, so whole-building vacancy is onbekend
            // (vacant units, where mapped, still count here).
            "homes_vacant": plan.sites.iter().filter(|s| s.kind.is_vacant()).map(|s| s.best_homes as u64).sum::<u64>(),
            "vacancy_known": plan.vacancy_data,
            "top": plan.sites.iter().take(scenario.output.top_sites).map(|s| json!({
                "rank": s.rank,
                "building_id": plan.layers.buildings.get(s.building).map(|b| b.id.as_str()),
                "site_type": s.kind.as_str(), "potential": round_to(s.potential, 1),
                "best_group": s.best_group, "best_score": round_to(s.best_score, 0), "homes": s.best_homes,
                "usable_m2": round_to(s.usable_m2, 0),
            })).collect::<Vec<_>>(),
        },
        "interventions": plan.interventions,
        "plan_conflicts": plan.conflicts.len(),
        "diagnostics": { "errors": errors, "warnings": plan.diagnostics.len() - errors },
    })
}

/// Buildings with at least one need onbekend because the study area ends
/// within the need's limit (`Measure::NeedBeyondEdge`, any group).
pub(crate) fn near_edge_buildings(plan: &Plan) -> usize {
    plan.assessments
        .iter()
        .filter(|row| {
            row.iter().any(|a| {
                a.criteria.iter().any(|c| {
                    matches!(
                        c.measure,
                        crate::rules::suitability::Measure::NeedBeyondEdge { .. }
                    )
                })
            })
        })
        .count()
}

/// Per group, buildings per verdict.
fn verdict_counts(plan: &Plan, scenario: &Scenario) -> Value {
    let mut out = Map::new();
    for (gi, g) in scenario.groups.iter().enumerate() {
        let mut counts = BTreeMap::<&str, usize>::new();
        for per in &plan.assessments {
            if let Some(a) = per.get(gi) {
                *counts.entry(a.verdict.as_str()).or_default() += 1;
            }
        }
        out.insert(g.name.clone(), json!(counts));
    }
    Value::Object(out)
}
