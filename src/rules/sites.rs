//! Transformation sites: which buildings could become homes, for whom, and how many.
//!
//! Inputs: the layers, the [`BuildingFacts`] and the [`Assessment`]s per
//! building and group (from [`assess_all`](super::suitability::assess_all)),
//! the groups and the [`SiteSettings`]. Output: ranked [`Site`]s.
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
//! - **Rank**: best score descending (sites without a best group last), then the
//!   best group's homes descending, then building id.

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
pub fn is_candidate(usage: BuildingUse, vacant: bool, settings: &SiteSettings) -> bool {
    (vacant && settings.include_vacant) || settings.candidate_uses.contains(&usage)
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
        if !is_candidate(b.usage, b.vacant, settings) {
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
            best_group: best.map(|(a, _)| a.group.clone()),
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
            .then(y.best_score.total_cmp(&x.best_score))
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
