//! Transformation sites: which buildings could become homes, for whom, and how many.
//!
//! Inputs: the layers, the [`BuildingFacts`](crate::rules::suitability::BuildingFacts) and the [`Assessment`](crate::rules::suitability::Assessment)s per
//! building and group (from [`assess_all`](crate::rules::suitability::assess_all)),
//! the groups and the `SiteSettings`. Output: ranked `Site`s.
//!
//! # Rules
//! - **Candidates**: vacant buildings (when `include_vacant`) and buildings whose
//!   main use is one of `candidate_uses`. The plint use does not make a building a
//!   candidate: a `mixed` building with a shop plint counts only when vacant or
//!   when `mixed` itself is listed, because BAG "mixed" is mostly homes above a
//!   shop (already housing) and the shop part alone is the plint, which in the
//!   kernwinkelgebied must stay open anyway.
//! - **Usable floor area**: gross floor area × `usable_share`; in the
//!   kernwinkelgebied the plint stays open, so the ground floor
//!   (floor area / floors) is taken off *before* the share is applied:
//!   `(floor_area − floor_area / floors) × usable_share`.
//! - **Homes per group**: `floor(usable / unit_m2)`, on the floors the group's
//!   assessment allows: a step-free group without a lift gets the ground floor
//!   only (`floor_area / floors × usable_share`); no floors gives 0.
//! - **Best group**: the highest score among groups whose verdict is not
//!   ongeschikt and that get at least one home; ties by group name.
//! - **Rank**: best score (whole points) descending (sites without a best group
//!   last), then vacant before in use (leegstand is the transformation question
//!   of the day; a shop still trading is a later option), then the best group's
//!   homes descending, then building id.

use super::suitability::{Assessment, BuildingFacts, FloorsAdvice, Status, Verdict};
use crate::model::{BuildingUse, Layers};
use crate::scenario::{Doelgroep, SiteSettings};
use serde::Serialize;
use std::collections::BTreeMap;

/// A transformation site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// 1-based rank.
    pub rank: usize,
    /// Index in `layers.buildings`.
    pub building: usize,
    /// The best doelgroep, when any group may live here.
    pub best_group: Option<String>,
    /// The best group's score (0 when there is none).
    pub best_score: f64,
    /// The best group's homes (0 when there is none).
    pub best_homes: u32,
    /// Usable floor area (m²) for homes (upper floors only in the kernwinkelgebied).
    pub usable_m2: f64,
    /// The floor area (or, in the kernwinkelgebied, the storey count) was estimated.
    pub usable_estimated: bool,
    /// Homes per group key.
    pub homes: BTreeMap<String, u32>,
    /// Conditions in Dutch (plint, monument, estimated area, the best group's warnings).
    pub conditions: Vec<String>,
    /// Registered or tagged as vacant.
    pub vacant: bool,
}

/// True when the building is a transformation candidate under `settings`.
///
/// Existing dwellings (`residential`) never are: a vacant home is housing
/// vacancy, not a transformation site.
pub fn is_candidate(usage: BuildingUse, vacant: bool, settings: &SiteSettings) -> bool {
    usage != BuildingUse::Residential
        && ((vacant && settings.include_vacant) || settings.candidate_uses.contains(&usage))
}

/// Finds, measures and ranks the transformation sites.
///
/// `facts` and `assessments` are parallel to `layers.buildings`;
/// `assessments[b]` is parallel to `groups`. Buildings beyond the shortest of
/// the three are ignored.
pub fn sites(
    layers: &Layers,
    facts: &[BuildingFacts],
    assessments: &[Vec<Assessment>],
    groups: &[Doelgroep],
    settings: &SiteSettings,
) -> Vec<Site> {
    let mut out = Vec::new();
    for (i, ((b, f), per_group)) in layers
        .buildings
        .iter()
        .zip(facts)
        .zip(assessments)
        .enumerate()
    {
        if b.non_dwelling || b.landmark.is_some() || !is_candidate(b.usage, b.vacant, settings) {
            continue;
        }
        let floors = f64::from(b.floors.value.max(1));
        let area = b.floor_area_m2.value.max(0.0);
        let storey = area / floors;
        let in_core = f.in_retail_core;
        let usable_m2 = if in_core { area - storey } else { area } * settings.usable_share;
        let usable_estimated = b.floor_area_m2.estimated || (in_core && b.floors.estimated);

        let mut homes = BTreeMap::new();
        let mut best: Option<(&Assessment, u32)> = None;
        for (a, g) in per_group.iter().zip(groups) {
            let usable = match a.floors {
                FloorsAdvice::AllFloors | FloorsAdvice::UpperFloorsOnly => usable_m2,
                FloorsAdvice::GroundFloorOnly => storey * settings.usable_share,
                FloorsAdvice::NoFloors => 0.0,
            };
            let n = if g.unit_m2 > 0.0 && usable > 0.0 {
                // Saturating float → int: huge areas cap at u32::MAX.
                (usable / g.unit_m2).floor() as u32
            } else {
                0
            };
            homes.insert(g.name.clone(), n);
            if a.verdict == Verdict::Ongeschikt || n == 0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((bb, _)) => a
                    .score
                    .total_cmp(&bb.score)
                    .then_with(|| bb.group.cmp(&a.group))
                    .is_gt(),
            };
            if better {
                best = Some((a, n));
            }
        }

        let mut conditions = Vec::new();
        if in_core {
            conditions
                .push("plint in kernwinkelgebied blijft open: alleen de verdiepingen".to_string());
        }
        if b.monument {
            conditions.push("monument: transformatie mogelijk maar lastiger".to_string());
        }
        if usable_estimated {
            conditions.push("vloeroppervlak geschat".to_string());
        }
        if let Some((a, _)) = best {
            for c in &a.criteria {
                let key = c.key();
                if c.status == Status::Warn && key != "plint" && key != "monument" {
                    conditions.push(c.reason());
                }
            }
        }
        out.push(Site {
            rank: 0,
            building: i,
            best_group: best.map(|(a, _)| a.group.to_string()),
            best_score: best.map_or(0.0, |(a, _)| a.score),
            best_homes: best.map_or(0, |(_, n)| n),
            usable_m2,
            usable_estimated,
            homes,
            conditions,
            vacant: b.vacant,
        });
    }
    out.sort_by(|x, y| {
        y.best_group
            .is_some()
            .cmp(&x.best_group.is_some())
            .then(y.best_score.round().total_cmp(&x.best_score.round()))
            .then(y.vacant.cmp(&x.vacant))
            .then(y.best_homes.cmp(&x.best_homes))
            .then_with(|| {
                layers.buildings[x.building]
                    .id
                    .cmp(&layers.buildings[y.building].id)
            })
            .then(x.building.cmp(&y.building))
    });
    for (r, s) in out.iter_mut().enumerate() {
        s.rank = r + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AmenityKind, Building, Valued, ZoneCharacter, to_multi};
    use crate::rules::suitability::assess_all;
    use crate::scenario::{SuitabilitySettings, default_groups};

    fn building(id: &str, x: f64, usage: BuildingUse, vacant: bool) -> Building {
        let sq = geo::Polygon::new(
            geo::LineString::from(vec![
                (x, 0.0),
                (x + 10.0, 0.0),
                (x + 10.0, 10.0),
                (x, 10.0),
                (x, 0.0),
            ]),
            vec![],
        );
        Building {
            id: id.into(),
            footprint: to_multi(sq),
            usage,
            ground_floor_use: None,
            floors: Valued {
                value: 3,
                estimated: false,
            },
            floor_area_m2: Valued {
                value: 300.0,
                estimated: false,
            },
            vacant,
            monument: false,
            lift: Some(true),
            year: None,
            name: None,
            ..crate::model::Building::new(
                "",
                geo::MultiPolygon(vec![]),
                crate::model::BuildingUse::Other,
            )
        }
    }

    fn facts(in_core: bool) -> BuildingFacts {
        BuildingFacts {
            zone: ZoneCharacter::Rust,
            reuring_index: 0.0,
            in_retail_core: in_core,
            walk: AmenityKind::ALL
                .iter()
                .map(|k| (*k, Some((100.0, 0))))
                .collect(),
            vng: Vec::new(),
        }
    }

    fn site_settings() -> SiteSettings {
        SiteSettings {
            candidate_uses: vec![BuildingUse::Retail, BuildingUse::Office],
            include_vacant: true,
            usable_share: 0.8,
        }
    }

    fn run(layers: &Layers, facts: &[BuildingFacts]) -> Vec<Site> {
        let groups = default_groups();
        let settings = SuitabilitySettings {
            geschikt_min_score: 70.0,
            voorwaardelijk_min_score: 45.0,
            warn_factor: 1.5,
        };
        let a = assess_all(layers, facts, &groups, &settings);
        sites(layers, facts, &a, &groups, &site_settings())
    }

    #[test]
    fn usable_area_with_and_without_core() {
        let layers = Layers {
            buildings: vec![
                building("outside", 0.0, BuildingUse::Retail, false),
                building("core", 20.0, BuildingUse::Retail, false),
            ],
            ..Layers::default()
        };
        let s = run(&layers, &[facts(false), facts(true)]);
        let get = |id: &str| {
            s.iter()
                .find(|x| layers.buildings[x.building].id == id)
                .expect("site")
        };
        let out = get("outside");
        // 300 m² × 0.8 = 240 m²: starters 55 m² → 4, gezinnen 85 m² → 2, studenten 30 m² → 8.
        assert!((out.usable_m2 - 240.0).abs() < 1e-9);
        assert_eq!(out.homes["starters"], 4);
        assert_eq!(out.homes["gezinnen"], 2);
        assert_eq!(out.homes["studenten"], 8);
        assert!(out.conditions.is_empty(), "{:?}", out.conditions);
        // Core: ground floor (100 m²) stays shop → (300 − 100) × 0.8 = 160 m².
        let core = get("core");
        assert!((core.usable_m2 - 160.0).abs() < 1e-9);
        assert_eq!(core.homes["starters"], 2);
        assert_eq!(core.homes["studenten"], 5);
        assert_eq!(
            core.conditions[0],
            "plint in kernwinkelgebied blijft open: alleen de verdiepingen"
        );
        // Gezinnen refuse homes above shops in the core, so they are never the best group there.
        assert_ne!(core.best_group.as_deref(), Some("gezinnen"));
        assert!(!core.usable_estimated);
        // Ranked: the outside site scores higher (no plint warning).
        assert_eq!(s[0].rank, 1);
        assert_eq!(layers.buildings[s[0].building].id, "outside");
        assert_eq!(s[1].rank, 2);
    }

    #[test]
    fn candidates_best_group_and_ranking() {
        let mut monument = building("m", 40.0, BuildingUse::Office, false);
        monument.monument = true;
        monument.floor_area_m2.estimated = true;
        let mut small = building("small", 60.0, BuildingUse::Retail, false);
        small.floor_area_m2.value = 20.0;
        let layers = Layers {
            buildings: vec![
                building("home", 0.0, BuildingUse::Residential, false),
                building("empty-home", 20.0, BuildingUse::Residential, true),
                monument,
                small,
                building("mixed", 80.0, BuildingUse::Mixed, false),
            ],
            ..Layers::default()
        };
        let f: Vec<BuildingFacts> = (0..5).map(|_| facts(false)).collect();
        let s = run(&layers, &f);
        let ids: Vec<&str> = s
            .iter()
            .map(|x| layers.buildings[x.building].id.as_str())
            .collect();
        // Existing dwellings never (a vacant home is housing vacancy), mixed only
        // when vacant; the tiny one has no best group and comes last.
        assert_eq!(ids, ["m", "small"]);
        let m = &s[0];
        // All groups score 100 here; ties go by name → gezinnen.
        assert_eq!(m.best_group.as_deref(), Some("gezinnen"));
        assert!(m.usable_estimated);
        assert_eq!(
            m.conditions,
            [
                "monument: transformatie mogelijk maar lastiger",
                "vloeroppervlak geschat"
            ]
        );
        let small = &s[1];
        assert_eq!(small.best_group, None);
        assert_eq!(small.best_score, 0.0);
        assert_eq!(small.homes["studenten"], 0);
    }

    #[test]
    fn ground_floor_only_for_step_free_groups_without_lift() {
        let mut b = building("b", 0.0, BuildingUse::Office, false);
        b.lift = Some(false);
        let layers = Layers {
            buildings: vec![b],
            ..Layers::default()
        };
        let s = run(&layers, &[facts(false)]);
        // Ouderen: ground floor only, 100 m² × 0.8 = 80 m² → 1 home of 65 m².
        assert_eq!(s[0].homes["ouderen"], 1);
        assert_eq!(s[0].homes["starters"], 4);
    }
}
