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
//! duplicate id, or a position that cannot be placed, is an [`Error::Usage`](crate::Error::Usage)
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
                        Error::Usage(format!("{}: geen gebouw met id \"{id}\"", at("transform")))
                    })?;
                    let b = &mut layers.buildings[k];
                    b.usage = BuildingUse::Residential;
                    b.vacant = false;
                    b.units.vacant = 0;
                    b.units.vacant_m2 = 0.0;
                    b.non_dwelling = false;
                    // Its dwellings are estimated again from the floor area
                    // (the pipeline calls `estimate_dwellings` after the interventions).
                    b.dwellings = crate::model::Valued {
                        value: 0,
                        estimated: true,
                    };
                    log.push(match group {
                        Some(g) => {
                            format!("{}: gebouw {id} wordt woningen voor {g}", at("transform"))
                        }
                        None => format!("{}: gebouw {id} wordt woningen", at("transform")),
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
                        "{}: er is al een voorziening met id \"{id}\"",
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
                    "{}: {} {id} toegevoegd op [{}, {}]",
                    at("add_amenity"),
                    crate::labels::amenity_kind(*kind),
                    lonlat[0],
                    lonlat[1]
                ));
            }
            Intervention::RemoveAmenity(ids) => {
                let wanted = known(
                    ids,
                    layers.amenities.iter().map(|a| &a.id),
                    &at("remove_amenity"),
                    "voorziening",
                )?;
                layers.amenities.retain(|a| !wanted.contains(a.id.as_str()));
                for id in wanted {
                    log.push(format!(
                        "{}: voorziening {id} verwijderd",
                        at("remove_amenity")
                    ));
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
                        "{}: er is al een horecazaak met id \"{id}\"",
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
                    "{}: {} {id} (categorie {}) toegevoegd op [{}, {}]",
                    at("add_horeca"),
                    crate::labels::horeca_kind(kind),
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
                    "horecazaak",
                )?;
                layers.horeca.retain(|h| !wanted.contains(h.id.as_str()));
                for id in wanted {
                    log.push(format!("{}: horecazaak {id} gesloten", at("close_horeca")));
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
                "{key}: [{}, {}] kan niet in het werk-CRS worden geplaatst",
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
            return Err(Error::Usage(format!("{key}: geen {what} met id \"{id}\"")));
        }
        wanted.insert(id.as_str());
    }
    Ok(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AmenityKind, Building, HorecaCategory, Valued, to_multi};

    fn layers() -> Layers {
        let sq = geo::Polygon::new(
            geo::LineString::from(vec![
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (0.0, 10.0),
                (0.0, 0.0),
            ]),
            vec![],
        );
        Layers {
            buildings: vec![Building {
                id: "0363100012165432".into(),
                footprint: to_multi(sq),
                usage: BuildingUse::Retail,
                ground_floor_use: Some(BuildingUse::Retail),
                floors: Valued {
                    value: 3,
                    estimated: false,
                },
                floor_area_m2: Valued {
                    value: 300.0,
                    estimated: false,
                },
                floor_area_usable: false,
                vacant: true,
                monument: false,
                lift: None,
                year: None,
                name: None,
                ..crate::model::Building::new(
                    "",
                    geo::MultiPolygon(vec![]),
                    crate::model::BuildingUse::Other,
                )
            }],
            amenities: vec![Amenity {
                id: "node/1".into(),
                point: Point::new(5.0, 5.0),
                kind: AmenityKind::Playground,
                name: None,
            }],
            horeca: vec![Horeca {
                id: "node/2".into(),
                point: Point::new(50.0, 5.0),
                kind: "nightclub".into(),
                category: HorecaCategory::Heavy,
                name: Some("De Nacht".into()),
                closing_minutes: None,
                terrace_seats: None,
            }],
            ..Layers::default()
        }
    }

    /// A fake projection: degrees × 1000.
    fn to_working(p: [f64; 2]) -> Option<Point<f64>> {
        (p[0] > 0.0).then(|| Point::new(p[0] * 1000.0, p[1] * 1000.0))
    }

    fn err(r: Result<Vec<String>, Error>) -> String {
        match r {
            Err(Error::Usage(m)) => m,
            other => panic!("expected a usage error, got {other:?}"),
        }
    }

    #[test]
    fn transform_makes_homes() {
        let mut l = layers();
        let log = apply(
            &mut l,
            &[Intervention::Transform {
                ids: vec!["0363100012165432".into()],
                group: Some("starters".into()),
            }],
            &to_working,
        )
        .expect("applies");
        assert_eq!(l.buildings[0].usage, BuildingUse::Residential);
        assert!(!l.buildings[0].vacant);
        assert_eq!(l.buildings[0].ground_floor_use, Some(BuildingUse::Retail));
        assert_eq!(
            log,
            ["interventions[0].transform: gebouw 0363100012165432 wordt woningen voor starters"]
        );
    }

    #[test]
    fn add_and_remove_amenities_and_horeca() {
        let mut l = layers();
        let ivs = [
            Intervention::AddAmenity {
                id: "scenario/playground/1".into(),
                kind: AmenityKind::Playground,
                at: [4.9, 52.37],
                name: None,
            },
            Intervention::RemoveAmenity(vec!["node/1".into()]),
            Intervention::AddHoreca {
                id: "scenario/cafe/3".into(),
                kind: "cafe".into(),
                category: HorecaCategory::Light,
                at: [4.9, 52.0],
                name: Some("Koffie".into()),
            },
            Intervention::CloseHoreca(vec!["node/2".into()]),
        ];
        let log = apply(&mut l, &ivs, &to_working).expect("applies");
        assert_eq!(l.amenities.len(), 1);
        assert_eq!(l.amenities[0].id, "scenario/playground/1");
        assert!((l.amenities[0].point.x() - 4900.0).abs() < 1e-9);
        assert_eq!(l.horeca.len(), 1);
        assert_eq!(l.horeca[0].id, "scenario/cafe/3");
        assert_eq!(l.horeca[0].category, HorecaCategory::Light);
        assert_eq!(log.len(), 4);
        assert_eq!(
            log[0],
            "interventions[0].add_amenity: speeltuin scenario/playground/1 toegevoegd op [4.9, 52.37]"
        );
        assert_eq!(
            log[2],
            "interventions[2].add_horeca: lunchroom scenario/cafe/3 (categorie 1) toegevoegd op [4.9, 52]"
        );
        assert_eq!(
            log[1],
            "interventions[1].remove_amenity: voorziening node/1 verwijderd"
        );
        assert_eq!(
            log[3],
            "interventions[3].close_horeca: horecazaak node/2 gesloten"
        );
        // Deterministic: the same interventions on the same layers give the same log.
        let mut again = layers();
        assert_eq!(apply(&mut again, &ivs, &to_working).expect("applies"), log);
    }

    #[test]
    fn unknown_and_duplicate_ids_are_errors_naming_the_intervention() {
        let mut l = layers();
        let noop = Intervention::RemoveAmenity(vec![]);
        let m = err(apply(
            &mut l,
            &[
                noop.clone(),
                Intervention::Transform {
                    ids: vec!["nope".into()],
                    group: None,
                },
            ],
            &to_working,
        ));
        assert_eq!(m, "interventions[1].transform: geen gebouw met id \"nope\"");
        let m = err(apply(
            &mut l,
            &[Intervention::RemoveAmenity(vec!["x".into()])],
            &to_working,
        ));
        assert_eq!(
            m,
            "interventions[0].remove_amenity: geen voorziening met id \"x\""
        );
        let m = err(apply(
            &mut l,
            &[Intervention::CloseHoreca(vec!["y".into()])],
            &to_working,
        ));
        assert_eq!(
            m,
            "interventions[0].close_horeca: geen horecazaak met id \"y\""
        );
        let m = err(apply(
            &mut l,
            &[Intervention::AddAmenity {
                id: "node/1".into(),
                kind: AmenityKind::Park,
                at: [4.9, 52.0],
                name: None,
            }],
            &to_working,
        ));
        assert_eq!(
            m,
            "interventions[0].add_amenity: er is al een voorziening met id \"node/1\""
        );
        let m = err(apply(
            &mut l,
            &[Intervention::AddHoreca {
                id: "node/2".into(),
                kind: "bar".into(),
                category: HorecaCategory::Medium,
                at: [4.9, 52.0],
                name: None,
            }],
            &to_working,
        ));
        assert_eq!(
            m,
            "interventions[0].add_horeca: er is al een horecazaak met id \"node/2\""
        );
        let m = err(apply(
            &mut l,
            &[Intervention::AddAmenity {
                id: "new".into(),
                kind: AmenityKind::Park,
                at: [-1.0, 52.0],
                name: None,
            }],
            &to_working,
        ));
        assert_eq!(
            m,
            "interventions[0].add_amenity.at: [-1, 52] kan niet in het werk-CRS worden geplaatst"
        );
    }
}
