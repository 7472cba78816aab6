//! Turning a [`Plan`] into output features and figures (pure).
//!
//! Each output layer is a list of [`OutFeature`]s with properties in a fixed
//! order, sorted by id; numbers are rounded here, at the edge, so files are
//! byte-identical between runs. `io` then writes them.

use crate::io::write::{OutFeature, round_to};
use crate::plan::Plan;
use geo::Geometry;
use serde_json::{Map, Value, json};

/// The buildings layer: every building with its normalised attributes and results.
pub fn buildings(plan: &Plan) -> Vec<OutFeature> {
    let mut out: Vec<OutFeature> = plan
        .layers
        .buildings
        .iter()
        .map(|b| {
            let mut p = Map::new();
            p.insert("building_id".into(), json!(b.id));
            p.insert("name".into(), json!(b.name));
            p.insert("use".into(), json!(b.usage.as_str()));
            p.insert(
                "ground_floor_use".into(),
                json!(b.ground_floor_use.map(|u| u.as_str())),
            );
            p.insert("floors".into(), json!(b.floors.value));
            p.insert("floors_estimated".into(), json!(b.floors.estimated));
            p.insert("floor_area_m2".into(), round_to(b.floor_area_m2.value, 0));
            p.insert(
                "floor_area_estimated".into(),
                json!(b.floor_area_m2.estimated),
            );
            p.insert("footprint_m2".into(), round_to(b.footprint_m2(), 1));
            p.insert("vacant".into(), json!(b.vacant));
            p.insert("monument".into(), json!(b.monument));
            p.insert("lift".into(), json!(b.lift));
            p.insert("year".into(), json!(b.year));
            OutFeature {
                id: b.id.clone(),
                geometry: Geometry::MultiPolygon(b.footprint.clone()),
                properties: p,
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The figures for summary.json.
pub fn summary(plan: &Plan, scenario_name: &str) -> Value {
    let mut uses = std::collections::BTreeMap::<&str, usize>::new();
    for b in &plan.layers.buildings {
        *uses.entry(b.usage.as_str()).or_default() += 1;
    }
    let errors = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .count();
    json!({
        "scenario": scenario_name,
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
        "diagnostics": { "errors": errors, "warnings": plan.diagnostics.len() - errors },
    })
}
