//! Applies a scenario's interventions to the layers, in file order.
//!
//! - `transform`: the buildings become homes: `usage = residential`,
//!   `vacant = false` (the plint use is left as it is).
//! - `add_amenity` / `add_horeca`: a new feature at a WGS84 position, placed in
//!   the working CRS by the caller's `to_working`; its id must be new in its layer.
//! - `remove_amenity` / `close_horeca`: features removed by id; order of the
//!   remaining features is kept.
//!
//! Features are named by their stable id, never by position. An unknown or
//! duplicate id, or a position that cannot be placed, is an [`Error::Usage`]
//! naming the intervention (`interventions[2]`) and the id; the run stops and
//! the layers may have been changed by the interventions before it.

use crate::error::Error;
use crate::model::{Amenity, BuildingUse, Horeca, Layers};
use crate::scenario::Intervention;
use geo::Point;
use std::collections::{BTreeSet, HashMap};

/// Applies `interventions` to `layers` and returns one log line per change.
///
/// `to_working` turns a WGS84 `[lon, lat]` into the working CRS (`None` when it
/// cannot).
pub fn apply(
    layers: &mut Layers,
    interventions: &[Intervention],
    to_working: &dyn Fn([f64; 2]) -> Option<Point<f64>>,
) -> Result<Vec<String>, Error> {
    let mut log = Vec::new();
    let mut building_index: Option<HashMap<String, usize>> = None;
    for (i, iv) in interventions.iter().enumerate() {
        let at = |what: &str| format!("interventions[{i}].{what}");
        match iv {
            Intervention::Transform { ids, group } => {
                let index = building_index.get_or_insert_with(|| {
                    let mut m = HashMap::with_capacity(layers.buildings.len());
                    for (k, b) in layers.buildings.iter().enumerate() {
                        // First occurrence wins, as in the loader's duplicate handling.
                        m.entry(b.id.clone()).or_insert(k);
                    }
                    m
                });
                for id in ids {
                    let k = *index.get(id).ok_or_else(|| {
                        Error::Usage(format!("{}: no building with id \"{id}\"", at("transform")))
                    })?;
                    let b = &mut layers.buildings[k];
                    b.usage = BuildingUse::Residential;
                    b.vacant = false;
                    log.push(match group {
                        Some(g) => {
                            format!("{}: building {id} becomes homes for {g}", at("transform"))
                        }
                        None => format!("{}: building {id} becomes homes", at("transform")),
                    });
                }
            }
            Intervention::AddAmenity {
                id,
                kind,
                at: lonlat,
                name,
            } => {
                if layers.amenities.iter().any(|a| &a.id == id) {
                    return Err(Error::Usage(format!(
                        "{}: an amenity with id \"{id}\" already exists",
                        at("add_amenity")
                    )));
                }
                let point = place(to_working, *lonlat, &at("add_amenity.at"))?;
                layers.amenities.push(Amenity {
                    id: id.clone(),
                    point,
                    kind: *kind,
                    name: name.clone(),
                });
                log.push(format!(
                    "{}: {kind} {id} added at [{}, {}]",
                    at("add_amenity"),
                    lonlat[0],
                    lonlat[1]
                ));
            }
            Intervention::RemoveAmenity(ids) => {
                let wanted = known(
                    ids,
                    layers.amenities.iter().map(|a| &a.id),
                    &at("remove_amenity"),
                    "amenity",
                )?;
                layers.amenities.retain(|a| !wanted.contains(a.id.as_str()));
                for id in wanted {
                    log.push(format!("{}: amenity {id} removed", at("remove_amenity")));
                }
            }
            Intervention::AddHoreca {
                id,
                kind,
                category,
                at: lonlat,
                name,
            } => {
                if layers.horeca.iter().any(|h| &h.id == id) {
                    return Err(Error::Usage(format!(
                        "{}: a horeca business with id \"{id}\" already exists",
                        at("add_horeca")
                    )));
                }
                let point = place(to_working, *lonlat, &at("add_horeca.at"))?;
                layers.horeca.push(Horeca {
                    id: id.clone(),
                    point,
                    kind: kind.clone(),
                    category: *category,
                    name: name.clone(),
                    closing_minutes: None,
                    terrace_seats: None,
                });
                log.push(format!(
                    "{}: {kind} {id} (category {}) added at [{}, {}]",
                    at("add_horeca"),
                    category.number(),
                    lonlat[0],
                    lonlat[1]
                ));
            }
            Intervention::CloseHoreca(ids) => {
                let wanted = known(
                    ids,
                    layers.horeca.iter().map(|h| &h.id),
                    &at("close_horeca"),
                    "horeca business",
                )?;
                layers.horeca.retain(|h| !wanted.contains(h.id.as_str()));
                for id in wanted {
                    log.push(format!("{}: horeca {id} closed", at("close_horeca")));
                }
            }
        }
    }
    Ok(log)
}

fn place(
    to_working: &dyn Fn([f64; 2]) -> Option<Point<f64>>,
    lonlat: [f64; 2],
    key: &str,
) -> Result<Point<f64>, Error> {
    to_working(lonlat)
        .filter(|p| p.x().is_finite() && p.y().is_finite())
        .ok_or_else(|| {
            Error::Usage(format!(
                "{key}: [{}, {}] cannot be placed in the working CRS",
                lonlat[0], lonlat[1]
            ))
        })
}

/// The ids to remove, checked to exist; sorted for a deterministic log.
fn known<'a, 'b>(
    ids: &'a [String],
    existing: impl Iterator<Item = &'b String>,
    key: &str,
    what: &str,
) -> Result<BTreeSet<&'a str>, Error> {
    let have: std::collections::HashSet<&str> = existing.map(String::as_str).collect();
    let mut wanted = BTreeSet::new();
    for id in ids {
        if !have.contains(id.as_str()) {
            return Err(Error::Usage(format!("{key}: no {what} with id \"{id}\"")));
        }
        wanted.insert(id.as_str());
    }
    Ok(wanted)
}
