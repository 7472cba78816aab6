//! Transformation sites: which buildings could become homes, for whom, how many,
//! and how strong a case each is.
//!
//! Inputs: the layers, the [`BuildingFacts`](crate::rules::suitability::BuildingFacts) and the [`Assessment`](crate::rules::suitability::Assessment)s per
//! building and group (from [`assess_all`](crate::rules::suitability::assess_all)),
//! the groups and the `SiteSettings`. Output: ranked `Site`s.
//!
//! # Candidate types (trends 5, 7 and 9 of the source study)
//! | type | what | usable floor area |
//! |---|---|---|
//! | `leegstand` | a building vacant as a whole | all floors; in the kernwinkelgebied the floors above the plint |
//! | `leegstaande_units` | vacant units in an occupied building, outside the kernwinkelgebied | the vacant units' floor area |
//! | `boven_winkels` | a retail building of two or more storeys in the kernwinkelgebied: wonen boven winkels, the plint stays open | the floors above the plint |
//! | `aanloopstraat` | a retail building outside the kernwinkelgebied, where retail shrinks first; or the shop plint of a mixed building there (homes above) | all floors; for a mixed building its business units' share of the floor area (every unit an equal part, as for vacant units), at most the plint; the whole plint when the units are not known |
//! | `kantoor` | an office building (when `office` is in `candidate_uses`) | all floors |
//! | `overig` | another use the scenario lists in `candidate_uses` | all floors (the plint kept in the core) |
//!
//! Retail and office types need their use in `candidate_uses`; the vacancy types
//! need `include_vacant`. Never a site: existing dwellings (`residential`; a vacant
//! home is housing vacancy), non-dwellings, landmarks and public buildings (unless
//! the scenario removes the flag), the upper floors of mixed buildings (homes above
//! a plint are housing already), and a building still housing a voorziening some
//! doelgroep needs (an active supermarket, GP, school ...): transforming it would
//! take that voorziening away. Nor a building where no group gets one home (the
//! usable area below every group's unit size, or no floor the groups may use,
//! as a one-storey shop in the core). The first type that applies, in the order above.
//!
//! # Homes
//! Usable area (gross floor area × `usable_share`, or the BAG's oppervlakte whole:
//! it is usable area already, NEN 2580) / the group's `unit_m2` (rounded down), on the
//! floors the group's assessment allows: a step-free group without a lift gets
//! the ground floor only; no floors gives 0. The best group: among the groups
//! geschikt or voorwaardelijk (not ongeschikt, not onbekend) that get at least
//! one home, a geschikt one before a voorwaardelijk one, then the highest
//! suitability score. The score leaves needs onbekend out, so a group with most
//! needs unknown can score 100 and yet only be voorwaardelijk (half or more of
//! its needs without data never make geschikt): a planner chooses the group the
//! building is geschikt for (Delft, Minervaplein 3: 1 home for ouderen at 100,
//! voorwaardelijk with 5 of 7 needs onbekend, over starters geschikt at 98).
//!
//! A hall ([`is_estimated_hall`](crate::rules::sites::is_estimated_hall): industry use or a hall type, storeys not in
//! the data) counts one storey; the conditions give the range up to the
//! guessed storeys (`woningen geschat 16-50`). Any estimated usable area is
//! said in the conditions (`woningen geschat`).
//!
//! # Transformation potential (0-100)
//! `100 × Σ weight × component / Σ weight`, each component 0-1 and shown with the site:
//! - `suitability`: half the best group's score / 100 and half the breadth: the
//!   mean over all groups of score / 100 for those that may live there (geschikt
//!   or voorwaardelijk, at least one home), 0 for the others; 0 without a best
//!   group. A building several doelgroepen can live in is the more flexible
//!   case (the study's key word), and the best score alone saturates at 100 in
//!   a well-served centre (Copenhagen's sites 2-10 tied at 66.6);
//! - `vacancy`: 1 for a vacant building; ½ + ½ × (vacant units / units) for vacant
//!   units; 0 for a building in use; NaN (onbekend, written null) when the map
//!   marks too little vacancy to read an unmarked building as in use
//!   (`model::vacancy_data`, under 1% of the buildings). In the potential and
//!   the ties an onbekend vacancy counts as
//!   [`VACANCY_ONBEKEND`](crate::rules::sites::VACANCY_ONBEKEND), the neutral
//!   middle: below every building known to have vacant units, above one known
//!   to be in use;
//! - `location`: against the kernwinkelgebied: 1 within [`AANLOOP_M`](crate::rules::sites::AANLOOP_M) outside it
//!   (the aanloopstraten), falling linearly to 0.4 at [`FAR_M`](crate::rules::sites::FAR_M) and beyond; 0.8
//!   inside it (upper floors only); 0.5 when the map has no kernwinkelgebied;
//! - `fit`: the share of the usable area the best group's homes fill
//!   (homes × unit size / usable area; 0 without a home); at most
//!   [`ESTIMATED_FIT`](crate::rules::sites::ESTIMATED_FIT) when the usable
//!   area is estimated, so a guess never outranks measured data;
//! - `monument`: 0 for a monument (transformation is harder), else 1; NaN
//!   (onbekend, written null) and left out with its weight when the map marks
//!   too few buildings as monuments to be read as complete (`model::monument_data`);
//! - `data`: the share of floors, floor area and use that came from the data
//!   rather than a default.
//!
//! Weights: `[sites] weights`, defaults in [`SiteWeights`](crate::scenario::SiteWeights).
//! Rank: potential (to 0.1) descending; ties by vacancy, location, suitability and
//! data (each descending), then a measured usable area before an estimated one,
//! then building id: never by size alone.

use super::suitability::{
    AssessmentRef, Assessments, BuildingFacts, FloorsAdvice, Status, Verdict,
};
use crate::model::{AmenityKind, Building, BuildingUse, Layers};
use crate::scenario::{Doelgroep, SiteSettings, SiteWeights};
use geo::{BoundingRect, Distance, Euclidean, Intersects};
use rayon::prelude::*;
use rstar::{AABB, RTree, primitives::GeomWithData};
use serde::Serialize;
use std::sync::Arc;

/// Outside the kernwinkelgebied, within this distance (m) a site lies in an
/// aanloopstraat: location 1.
pub const AANLOOP_M: f64 = 300.0;
/// From this distance (m) outside the kernwinkelgebied on, location is 0.4.
pub const FAR_M: f64 = 1000.0;
/// The share of the `suitability` component that is the best group's score;
/// the rest is the breadth over all groups (module docs).
pub const SUITABILITY_BEST_SHARE: f64 = 0.5;
/// The `fit` component of a site whose usable area is estimated: the neutral
/// middle (or the fit, when lower), never more, so a guess does not outrank
/// measured data.
pub const ESTIMATED_FIT: f64 = 0.5;
/// The `vacancy` component's value in the potential when the vacancy is
/// onbekend (written null): the neutral middle, so a building the map marks as
/// (partly) vacant, 0.5-1, always counts more than one it says nothing about,
/// and that one more than a building known to be in use, 0. Left out with its
/// weight instead, an unknown vacancy raised a site above known vacant units
/// whenever its other components were higher (Delft: two sites with vacant
/// units, vacancy 0.75, ranked below shops whose vacancy was onbekend).
pub const VACANCY_ONBEKEND: f64 = 0.5;

/// Above this many homes for its best group, or for another group that may
/// live there (geschikt or voorwaardelijk: "tot 256 woningen ... voor
/// studenten"), a site's conditions start with "controleren: ..." (homes,
/// usable m², whether estimated): the size of the building is in question
/// whichever group is best (Delft, Rijnweg 1: 90 homes for gezinnen, 256 for
/// studenten, was not marked). A review mark, not
/// a rule: one building then holds as many homes as a new-build block, which in
/// a city centre is a large complex or a floor area estimated too generously
/// (a whole plint counted, storeys guessed over a large footprint).
pub const CHECK_HOMES: u32 = 100;

/// How the condition of a site to check starts (see [`CHECK_HOMES`]).
const CHECK_PREFIX: &str = "controleren: ";

/// The kind of transformation candidate (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteType {
    /// A building vacant as a whole.
    Leegstand,
    /// Vacant units in an occupied building, outside the kernwinkelgebied.
    LeegstaandeUnits,
    /// Upper floors above shops in the kernwinkelgebied.
    BovenWinkels,
    /// Retail outside the kernwinkelgebied.
    Aanloopstraat,
    /// An office building.
    Kantoor,
    /// Another use the scenario lists.
    Overig,
}

impl SiteType {
    /// Every site type, in the order of the module docs.
    pub const ALL: [SiteType; 6] = [
        SiteType::Leegstand,
        SiteType::LeegstaandeUnits,
        SiteType::BovenWinkels,
        SiteType::Aanloopstraat,
        SiteType::Kantoor,
        SiteType::Overig,
    ];

    /// `leegstand`, `leegstaande_units`, `boven_winkels`, `aanloopstraat`, `kantoor`, `overig`.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteType::Leegstand => "leegstand",
            SiteType::LeegstaandeUnits => "leegstaande_units",
            SiteType::BovenWinkels => "boven_winkels",
            SiteType::Aanloopstraat => "aanloopstraat",
            SiteType::Kantoor => "kantoor",
            SiteType::Overig => "overig",
        }
    }

    /// True for the types whose homes come from space standing empty (the whole
    /// building, or its vacant units); false where the building is in use (the
    /// floors above shops in the kernwinkelgebied, aanloopstraat shops, offices,
    /// other uses): those homes need a change of use that the map cannot promise.
    pub fn is_vacant(self) -> bool {
        matches!(self, SiteType::Leegstand | SiteType::LeegstaandeUnits)
    }
}

/// Sites and their homes (best group) per type, in [`SiteType::ALL`] order,
/// only the types present: `(type, sites, homes)`.
///
/// A figure of homes over all sites mixes empty buildings with shops and offices
/// in use; this is the split a planner reads it by.
pub fn count_by_type(sites: &[Site]) -> Vec<(SiteType, usize, u64)> {
    SiteType::ALL
        .iter()
        .filter_map(|&t| {
            let (n, homes) = sites
                .iter()
                .filter(|s| s.kind == t)
                .fold((0usize, 0u64), |(n, h), s| {
                    (n + 1, h + u64::from(s.best_homes))
                });
            (n > 0).then_some((t, n, homes))
        })
        .collect()
}

/// The sites whose conditions start with "controleren" (more than
/// [`CHECK_HOMES`] homes in one building for a group that may live there) and
/// their best group's homes: `(sites, homes)`. A headline total of homes is
/// read with this part beside it: in Delft one shopping centre, its 5 storeys
/// counted over its whole 15,183 m² footprint, gave 883 of the 1,463 homes.
pub fn to_check(sites: &[Site]) -> (usize, u64) {
    sites
        .iter()
        .filter(|s| {
            s.conditions
                .first()
                .is_some_and(|c| c.starts_with(CHECK_PREFIX))
        })
        .fold((0, 0), |(n, h), s| (n + 1, h + u64::from(s.best_homes)))
}

/// The components of a site's transformation potential, each 0-1.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Components {
    /// The best group's suitability score / 100.
    pub suitability: f64,
    /// Vacancy; NaN when the map's vacancy is onbekend (`model::vacancy_data`):
    /// written as null, left out of the potential.
    pub vacancy: f64,
    /// Location against the kernwinkelgebied.
    pub location: f64,
    /// Fit of the usable area to the best group's unit size.
    pub fit: f64,
    /// 0 for a monument, else 1; NaN when the map's monument status is
    /// onbekend (`model::monument_data`): written as null, left out of the potential.
    pub monument: f64,
    /// Share of the data that was measured, not estimated.
    pub data: f64,
}

impl Components {
    /// The components by their output keys (`c_suitability` … `c_data`), in
    /// the order sites.geojson and kaart.html write them.
    pub fn named(&self) -> [(&'static str, f64); 6] {
        [
            ("c_suitability", self.suitability),
            ("c_vacancy", self.vacancy),
            ("c_location", self.location),
            ("c_fit", self.fit),
            ("c_monument", self.monument),
            ("c_data", self.data),
        ]
    }

    /// The vacancy as ranked: the component, or [`VACANCY_ONBEKEND`] when it
    /// is onbekend (NaN).
    pub fn vacancy_ranked(&self) -> f64 {
        if self.vacancy.is_nan() {
            VACANCY_ONBEKEND
        } else {
            self.vacancy
        }
    }

    /// The transformation potential 0-100: `100 × Σ weight × component / Σ weight`
    /// over the components that are known (a NaN component, the monument
    /// status onbekend, drops out with its weight), with an onbekend vacancy
    /// counted as [`VACANCY_ONBEKEND`]; 0 when no weight is left.
    pub fn potential(&self, w: &SiteWeights) -> f64 {
        let parts = [
            (w.suitability, self.suitability),
            (w.vacancy, self.vacancy_ranked()),
            (w.location, self.location),
            (w.fit, self.fit),
            (w.monument, self.monument),
            (w.data, self.data),
        ];
        let (sum, total) = parts
            .iter()
            .filter(|(_, c)| c.is_finite())
            .fold((0.0, 0.0), |(s, t), (w, c)| (s + w * c, t + w));
        if total <= 0.0 {
            return 0.0;
        }
        100.0 * sum / total
    }
}

/// The homes a site gives each doelgroep: a map from the group's key to a
/// number, in key order. One boxed slice whose keys are the assessments'
/// shared group keys (a `BTreeMap<String, u32>` held a node and a `String`
/// per group: about 0.5 KB per site, 65 MB for the 133k sites of 1M buildings).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Homes(Box<[(Arc<str>, u32)]>);

impl Homes {
    /// The homes for a group key.
    pub fn get(&self, group: &str) -> Option<&u32> {
        self.0
            .binary_search_by(|(k, _)| (**k).cmp(group))
            .ok()
            .map(|i| &self.0[i].1)
    }
    /// The numbers, in key order.
    pub fn values(&self) -> impl Iterator<Item = &u32> {
        self.0.iter().map(|(_, n)| n)
    }
    /// `(group key, homes)` in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.0.iter().map(|(k, n)| (&**k, *n))
    }
    /// The number of groups.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// No group.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(Arc<str>, u32)> for Homes {
    /// In key order; a key given twice keeps its last number (as a map's insert).
    fn from_iter<I: IntoIterator<Item = (Arc<str>, u32)>>(iter: I) -> Self {
        let mut v: Vec<(Arc<str>, u32)> = iter.into_iter().collect();
        // Stable: equal keys keep their order, the last one wins below.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Arc<str>, u32)> = Vec::with_capacity(v.len());
        for (k, n) in v {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = n,
                _ => out.push((k, n)),
            }
        }
        Homes(out.into_boxed_slice())
    }
}

impl std::ops::Index<&str> for Homes {
    type Output = u32;
    fn index(&self, group: &str) -> &u32 {
        self.get(group).expect("no homes for this group key")
    }
}

impl Serialize for Homes {
    /// A map from group key to homes, in key order (as a `BTreeMap`).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// A transformation site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// 1-based rank.
    pub rank: usize,
    /// Index in `layers.buildings`.
    pub building: usize,
    /// The candidate type.
    pub kind: SiteType,
    /// Transformation potential 0-100 (see the module docs).
    pub potential: f64,
    /// Its components.
    pub components: Components,
    /// The best doelgroep, when any group may live here.
    pub best_group: Option<String>,
    /// The best group's suitability score (0 when there is none).
    pub best_score: f64,
    /// The best group's homes (0 when there is none).
    pub best_homes: u32,
    /// Usable floor area (m²) for homes (upper floors only in the kernwinkelgebied).
    pub usable_m2: f64,
    /// The floor area (or, in the kernwinkelgebied, the storey count) was estimated.
    pub usable_estimated: bool,
    /// How the usable area was reached, in Dutch with the numbers
    /// (`312 m² bvo − begane grond 104 m² (plint blijft winkel) = 208 m² × 0,8
    /// bruikbaar`), so a planner can follow 166 of 312 m².
    pub usable_basis: String,
    /// Distance (m) from the building to the kernwinkelgebied (0 inside; `None` without one).
    pub core_distance_m: Option<f64>,
    /// Homes per group key.
    pub homes: Homes,
    /// Conditions in Dutch (plint, monument, estimated area, the best group's warnings).
    pub conditions: Vec<String>,
    /// Registered or tagged as vacant (the whole building).
    pub vacant: bool,
}

/// True when the building's use can make it a transformation candidate under
/// `settings`, before the rules on location, voorzieningen and landmarks.
///
/// Existing dwellings (`residential`) never are: a vacant home is housing
/// vacancy, not a transformation site.
pub fn is_candidate(usage: BuildingUse, vacant: bool, settings: &SiteSettings) -> bool {
    usage != BuildingUse::Residential
        && ((vacant && settings.include_vacant) || settings.candidate_uses.contains(&usage))
}

/// The candidate type of a building, or `None` when it is no site (module docs).
pub fn site_type(
    b: &Building,
    in_core: bool,
    houses_voorziening: bool,
    settings: &SiteSettings,
) -> Option<SiteType> {
    if b.non_dwelling || b.landmark.is_some() || b.usage == BuildingUse::Residential {
        return None;
    }
    if b.vacant {
        return settings.include_vacant.then_some(SiteType::Leegstand);
    }
    if houses_voorziening {
        return None;
    }
    if b.units.vacant > 0 && settings.include_vacant && !in_core {
        return Some(SiteType::LeegstaandeUnits);
    }
    if b.usage == BuildingUse::Mixed {
        // Homes above a plint: outside the core the shop plint itself can
        // become homes (the aanloopstraat, where retail shrinks first).
        let retail_plint = b.ground_floor_use == Some(BuildingUse::Retail);
        return (retail_plint
            && !in_core
            && settings.candidate_uses.contains(&BuildingUse::Retail))
        .then_some(SiteType::Aanloopstraat);
    }
    let listed = settings.candidate_uses.contains(&b.usage);
    match b.usage {
        BuildingUse::Retail if listed && in_core => {
            (b.floors.value >= 2).then_some(SiteType::BovenWinkels)
        }
        BuildingUse::Retail if listed => Some(SiteType::Aanloopstraat),
        BuildingUse::Office if listed => Some(SiteType::Kantoor),
        _ if listed => Some(SiteType::Overig),
        _ => None,
    }
}

/// A mixed building's business units and their area, as `(business, total,
/// m²)`: its known units less its dwellings (both from the data, not
/// estimated), when there is at least one of each, and that share of
/// `area_m2` (the floor area), every unit an equal part (the rule the vacant
/// units' area follows). `None` when the data cannot say, and the whole plint
/// is taken. A site takes the area at most up to the plint: a perimeter block
/// with 3 shops among 34 units no longer turns its whole ground floor into
/// homes (Copenhagen, Arkonagade 1-23: 158 homes from a 10,914 m² plint).
pub fn business_units(b: &Building, area_m2: f64) -> Option<(u32, u32, f64)> {
    let total = b.units.total;
    let homes = b.dwellings.value;
    (b.usage == BuildingUse::Mixed
        && total > 0
        && !b.dwellings.estimated
        && homes > 0
        && homes < total)
        .then(|| {
            let business = total - homes;
            (
                business,
                total,
                area_m2 * f64::from(business) / f64::from(total),
            )
        })
}

/// The usable area's derivation in words (see [`Site::usable_basis`]): the
/// floor area taken (the whole building, the upper floors, the plint or the
/// vacant units), then the usable share (1 for the BAG's oppervlakte).
#[allow(clippy::too_many_arguments)]
fn usable_basis(
    kind: SiteType,
    b: &Building,
    in_core: bool,
    hall: bool,
    area: f64,
    storey: f64,
    gross: f64,
    share: f64,
) -> String {
    use crate::labels::nl_number;
    let m2 = |v: f64| format!("{} m²", nl_number(v, 0));
    let source = if b.floor_area_usable {
        "oppervlakte (BAG)"
    } else {
        "bvo"
    };
    let floors = if hall {
        "1 bouwlaag aangenomen (hal)".to_string()
    } else {
        crate::labels::aantal(u64::from(b.floors.value.max(1)), "bouwlaag", "bouwlagen")
    };
    let taken = match kind {
        SiteType::LeegstaandeUnits => format!("leegstaande units {}", m2(gross)),
        SiteType::Aanloopstraat if b.usage == BuildingUse::Mixed => match business_units(b, area) {
            Some((business, total, share_m2)) => format!(
                "de bedrijfsunits: {business} van {total} units × {} {source} = {}{}",
                m2(area),
                m2(gross),
                if gross < share_m2 {
                    format!(" (hoogstens de plint: {} / {floors})", m2(area))
                } else {
                    String::new()
                }
            ),
            None => format!("de plint: {} {source} / {floors} = {}", m2(area), m2(gross)),
        },
        _ if in_core => format!(
            "{} {source} − begane grond {} (plint blijft winkel, {floors}) = {}",
            m2(area),
            m2(storey),
            m2(gross)
        ),
        _ => format!("{} {source}", m2(area)),
    };
    if share == 1.0 {
        format!("{taken}, al bruikbaar")
    } else {
        format!("{taken} × {} bruikbaar", nl_number(share, 2))
    }
}

/// `building=*` types of halls: one tall open volume (a factory floor, a
/// warehouse, a hangar), not a stack of storeys.
pub const HALL_TYPES: [&str; 6] = [
    "industrial",
    "warehouse",
    "manufacture",
    "factory",
    "hangar",
    "depot",
];

/// True when the building is a hall (industry use or a [`HALL_TYPES`] type)
/// whose storeys the data does not give: its homes are counted on one storey
/// (the footprint), the estimate's storeys only as the upper end of a range.
/// A hall of 8-12 m holds one storey of work; the documented default of 3
/// storeys (or height / 3 m) would count a floor slab that is not there, and
/// inserting floors is new construction (source: Dutch transformation practice,
/// e.g. the Rijksdienst voor het Cultureel Erfgoed's guide "Herbestemming
/// industrieel erfgoed": halls are converted by building new floors inside).
pub fn is_estimated_hall(b: &Building) -> bool {
    b.floors.estimated
        && b.floors.value > 1
        && (b.usage == BuildingUse::Industry
            || b.building_type
                .as_deref()
                .is_some_and(|t| HALL_TYPES.contains(&t.trim().to_ascii_lowercase().as_str())))
}

/// Location against the kernwinkelgebied (module docs); `None` = no core in the map.
pub fn location_component(in_core: bool, core_distance_m: Option<f64>) -> f64 {
    match (in_core, core_distance_m) {
        (true, _) => 0.8,
        (false, None) => 0.5,
        (false, Some(d)) if d <= AANLOOP_M => 1.0,
        (false, Some(d)) => (1.0 - 0.6 * (d - AANLOOP_M) / (FAR_M - AANLOOP_M)).max(0.4),
    }
}

/// Finds, measures and ranks the transformation sites.
///
/// `facts` and `assessments` are parallel to `layers.buildings`;
/// `assessments.get(b)` is parallel to `groups`. Buildings beyond the shortest of
/// the three are ignored.
pub fn sites(
    layers: &Layers,
    facts: &[BuildingFacts],
    assessments: &Assessments,
    groups: &[Doelgroep],
    settings: &SiteSettings,
) -> Vec<Site> {
    // Voorzieningen a group needs, to keep the buildings that house them.
    let needed: Vec<AmenityKind> = AmenityKind::ALL
        .iter()
        .copied()
        .filter(|k| groups.iter().any(|g| g.needs_minutes.contains_key(k)))
        .collect();
    let voorzieningen: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        layers
            .amenities
            .iter()
            .enumerate()
            .filter(|(_, a)| needed.contains(&a.kind) && a.point.x().is_finite())
            .map(|(i, a)| GeomWithData::new([a.point.x(), a.point.y()], i))
            .collect(),
    );
    let houses_voorziening = |b: &Building| {
        let Some(r) = b.footprint.bounding_rect() else {
            return false;
        };
        voorzieningen
            .locate_in_envelope(&AABB::from_corners(
                [r.min().x, r.min().y],
                [r.max().x, r.max().y],
            ))
            .any(|hit| {
                let [x, y] = *hit.geom();
                b.footprint.intersects(&geo::Point::new(x, y))
            })
    };
    let w = settings.weights;
    // Too few buildings marked as monuments to read the rest as "no monument"
    // (`model::monument_data`): the status is unknown, so the component is
    // NaN (onbekend) and drops out, rather than counting every building as
    // "no monument".
    let monument_known = crate::model::monument_data(&layers.buildings);
    // The same for vacancy (`model::vacancy_data`): where the map marks almost
    // no vacancy, a building not marked is not known to be in use, so the
    // vacancy component is onbekend and drops out, and every site says so.
    let vacancy_known = crate::model::vacancy_data(&layers.buildings);
    // One building's site, if it is one: buildings are independent, so they
    // are looked at in parallel and collected in building order.
    let site_of = |i: usize| -> Option<Site> {
        let (b, f, per_group) = (&layers.buildings[i], facts.get(i)?, assessments.get(i)?);
        let in_core = f.in_retail_core;
        let kind = site_type(b, in_core, houses_voorziening(b), settings)?;
        // A hall with guessed storeys counts one (see `is_estimated_hall`);
        // the guess is kept for the upper end of the homes range.
        let hall = is_estimated_hall(b);
        let guessed_floors = b.floors.value.max(1);
        let floors = if hall { 1.0 } else { f64::from(guessed_floors) };
        let area_guess = b.floor_area_m2.value.max(0.0);
        let area = if hall && b.floor_area_m2.estimated {
            b.footprint_m2().min(area_guess)
        } else {
            area_guess
        };
        let storey = area / floors;
        let gross = match kind {
            // The vacant units' area shrinks with the building's.
            SiteType::LeegstaandeUnits if area_guess > 0.0 => {
                b.units.vacant_m2.max(0.0) * area / area_guess
            }
            SiteType::LeegstaandeUnits => b.units.vacant_m2.max(0.0),
            // A mixed building's homes are there already: its business
            // units' share, at most the plint (the whole plint when the
            // units are not known).
            SiteType::Aanloopstraat if b.usage == BuildingUse::Mixed => {
                business_units(b, area).map_or(storey, |(.., share_m2)| share_m2.min(storey))
            }
            _ if in_core => area - storey,
            _ => area,
        };
        // The BAG's oppervlakte is usable floor area already (NEN 2580).
        let share = if b.floor_area_usable {
            1.0
        } else {
            settings.usable_share
        };
        let usable_m2 = gross * share;
        let usable_basis = usable_basis(kind, b, in_core, hall, area, storey, gross, share);
        let usable_estimated = b.floor_area_m2.estimated || (in_core && b.floors.estimated);
        // The homes a hall would give on its guessed storeys (upper end).
        let hall_guess_m2 = if hall && area > 0.0 {
            usable_m2 * area_guess / area
        } else {
            usable_m2
        };

        let mut homes = Vec::with_capacity(groups.len());
        let mut best: Option<(AssessmentRef, u32, f64)> = None;
        // The most homes for a group that may live here, for the check.
        let mut most: Option<(&str, u32)> = None;
        for (a, g) in per_group.iter().zip(groups) {
            let usable = match a.floors {
                FloorsAdvice::AllFloors | FloorsAdvice::UpperFloorsOnly => usable_m2,
                FloorsAdvice::GroundFloorOnly => (storey * share).min(usable_m2),
                FloorsAdvice::NoFloors => 0.0,
            };
            let n = if g.unit_m2 > 0.0 && usable > 0.0 {
                // Saturating float → int: huge areas cap at u32::MAX.
                (usable / g.unit_m2).floor() as u32
            } else {
                0
            };
            homes.push((Arc::clone(a.group), n));
            if !a.verdict.acceptable() || n == 0 {
                continue;
            }
            if most.is_none_or(|(_, m)| n > m) {
                most = Some((&g.name, n));
            }
            // Geschikt before voorwaardelijk, then the score, then the name.
            let geschikt = |v: Verdict| v == Verdict::Geschikt;
            let better = match best {
                None => true,
                Some((bb, ..)) => geschikt(a.verdict)
                    .cmp(&geschikt(bb.verdict))
                    .then(a.score.total_cmp(&bb.score))
                    .then_with(|| bb.group.cmp(a.group))
                    .is_gt(),
            };
            if better {
                let fit = (f64::from(n) * g.unit_m2 / usable).clamp(0.0, 1.0);
                best = Some((a, n, fit));
            }
        }
        // Not one home for any group (the usable area is below every unit
        // size, or no floor may be used): nothing to transform into homes.
        let homes = Homes::from_iter(homes);
        if homes.values().all(|n| *n == 0) {
            return None;
        }
        // Breadth: the mean over all groups of the score of those that may
        // live here (geschikt or voorwaardelijk, at least one home), others 0.
        let breadth = if per_group.is_empty() {
            0.0
        } else {
            per_group
                .iter()
                .zip(groups)
                .filter(|(a, g)| {
                    a.verdict.acceptable() && homes.get(&g.name).is_some_and(|n| *n > 0)
                })
                .map(|(a, _)| a.score / 100.0)
                .sum::<f64>()
                / per_group.len() as f64
        };

        let core_distance_m = if layers.retail_core.is_empty() {
            None
        } else if in_core {
            Some(0.0)
        } else {
            let anchor = b.anchor();
            layers
                .retail_core
                .iter()
                .map(|c| Euclidean.distance(&anchor, &c.area))
                .filter(|d| d.is_finite())
                .min_by(f64::total_cmp)
        };
        let estimated = [
            b.floors.estimated,
            b.floor_area_m2.estimated,
            b.usage == BuildingUse::Other,
        ];
        let components = Components {
            // Half the best group's score, half the breadth over all groups.
            suitability: best.map_or(0.0, |(a, ..)| {
                SUITABILITY_BEST_SHARE * a.score / 100.0 + (1.0 - SUITABILITY_BEST_SHARE) * breadth
            }),
            vacancy: match kind {
                SiteType::Leegstand => 1.0,
                SiteType::LeegstaandeUnits => {
                    0.5 + 0.5 * f64::from(b.units.vacant) / f64::from(b.units.total.max(1))
                }
                _ if vacancy_known => 0.0,
                _ => f64::NAN,
            },
            location: location_component(in_core, core_distance_m),
            // A fit computed from a guessed floor area is itself a guess: it
            // earns the neutral middle, so measured data can beat it.
            fit: best.map_or(0.0, |(.., fit)| {
                if usable_estimated {
                    ESTIMATED_FIT.min(fit)
                } else {
                    fit
                }
            }),
            monument: match (b.monument, monument_known) {
                (true, _) => 0.0,
                (false, true) => 1.0,
                (false, false) => f64::NAN,
            },
            data: estimated.iter().filter(|e| !**e).count() as f64 / estimated.len() as f64,
        };
        let potential = components.potential(&w);

        let mut conditions = Vec::new();
        if in_core {
            // In the words of the building's plint reason (review: the site
            // table said it without the storeys the report gave).
            conditions.push(crate::rules::suitability::plint_reason(
                true,
                b.floors.value,
            ));
        }
        if kind == SiteType::LeegstaandeUnits {
            conditions.push(format!(
                "{} van {} units leeg: alleen die units (ca. {:.0} m²)",
                b.units.vacant, b.units.total, gross
            ));
        }
        if !vacancy_known && !matches!(kind, SiteType::Leegstand | SiteType::LeegstaandeUnits) {
            conditions.push(
                "leegstand onbekend (de kaart markeert bijna geen leegstand): een kans, geen leeg pand"
                    .to_string(),
            );
        }
        if b.monument {
            conditions.push("monument: transformatie mogelijk maar lastiger".to_string());
        } else if !monument_known {
            conditions.push("monumentstatus onbekend (niet in de kaart)".to_string());
        }
        if hall {
            let group = best.map(|(a, ..)| a.group.to_string());
            let upper = best
                .zip(groups.iter().find(|g| Some(&g.name) == group.as_ref()))
                .map(|(_, g)| (hall_guess_m2 / g.unit_m2).floor() as u32);
            conditions.push(match (best, upper) {
                (Some((_, n, _)), Some(m)) if m > n => format!(
                    "hal: bouwlagen niet in de data, 1 bouwlaag aangenomen: woningen geschat {n}-{m} ({n} op 1 bouwlaag, {m} als er {guessed_floors} in passen)"
                ),
                _ => "hal: bouwlagen niet in de data, 1 bouwlaag aangenomen: woningen geschat".to_string(),
            });
        } else if usable_estimated {
            conditions.push(if b.floors.estimated {
                format!(
                    "vloeroppervlak geschat ({} aangenomen): woningen geschat",
                    crate::labels::aantal(u64::from(guessed_floors), "bouwlaag", "bouwlagen")
                )
            } else {
                "vloeroppervlak geschat (grondvlak × bouwlagen): woningen geschat".to_string()
            });
        }
        if let Some((group, m)) = most
            && m > CHECK_HOMES
        {
            let area = format!(
                "{} m² bruikbaar{}",
                crate::labels::nl_number(usable_m2, 0),
                if usable_estimated { ", geschat" } else { "" }
            );
            let homes = match best {
                Some((_, n, _)) if n > CHECK_HOMES => {
                    format!("{n} woningen in één gebouw ({area})")
                }
                _ => format!("tot {m} woningen in één gebouw (voor {group}; {area})"),
            };
            conditions.insert(
                0,
                format!("{CHECK_PREFIX}{homes}: een groot complex of een te ruime schatting"),
            );
        }
        if let Some((a, ..)) = best {
            for c in a.criteria {
                let key = c.key();
                if matches!(c.status, Status::Warn | Status::Unknown)
                    && key != "plint"
                    && key != "monument"
                {
                    conditions.push(c.reason());
                }
            }
        }
        Some(Site {
            rank: 0,
            building: i,
            kind,
            potential,
            components,
            best_group: best.map(|(a, ..)| a.group.to_string()),
            best_score: best.map_or(0.0, |(a, ..)| a.score),
            best_homes: best.map_or(0, |(_, n, _)| n),
            usable_m2,
            usable_estimated,
            usable_basis,
            core_distance_m,
            homes,
            conditions,
            vacant: b.vacant,
        })
    };
    let mut out: Vec<Site> = (0..layers.buildings.len())
        .into_par_iter()
        .filter_map(site_of)
        .collect();
    let tenth = |v: f64| (v * 10.0).round();
    out.sort_by(|x, y| {
        tenth(y.potential)
            .total_cmp(&tenth(x.potential))
            .then(
                y.components
                    .vacancy_ranked()
                    .total_cmp(&x.components.vacancy_ranked()),
            )
            .then(y.components.location.total_cmp(&x.components.location))
            .then(
                y.components
                    .suitability
                    .total_cmp(&x.components.suitability),
            )
            .then(y.components.data.total_cmp(&x.components.data))
            .then(x.usable_estimated.cmp(&y.usable_estimated))
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
    // Grown by doubling; the plan keeps the sites to the end (133k at 1M
    // buildings, up to 28 MB of slack).
    out.shrink_to_fit();
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
            floor_area_usable: false,
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

    /// A site's homes read, iterate and serialise as the map they were.
    #[test]
    fn homes_are_a_map_in_key_order() {
        let key = |k: &str| Arc::<str>::from(k);
        let homes: Homes = [
            (key("studenten"), 8),
            (key("gezinnen"), 2),
            (key("starters"), 4),
            (key("gezinnen"), 3),
        ]
        .into_iter()
        .collect();
        let map: std::collections::BTreeMap<String, u32> = [
            ("studenten".to_string(), 8),
            ("gezinnen".to_string(), 3),
            ("starters".to_string(), 4),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            serde_json::to_string(&homes).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        assert_eq!(homes.len(), 3);
        assert_eq!(homes["gezinnen"], 3);
        let starters = String::from("starters");
        assert_eq!(homes.get(&starters).copied(), Some(4));
        assert_eq!(homes.get("ouderen"), None);
        assert_eq!(
            homes.iter().collect::<Vec<_>>(),
            [("gezinnen", 3), ("starters", 4), ("studenten", 8)]
        );
        assert!(Homes::default().is_empty());
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
            edge_m: None,
        }
    }

    fn site_settings() -> SiteSettings {
        SiteSettings {
            candidate_uses: vec![BuildingUse::Retail, BuildingUse::Office],
            include_vacant: true,
            usable_share: 0.8,
            weights: crate::scenario::SiteWeights::default(),
        }
    }

    fn run(layers: &Layers, facts: &[BuildingFacts]) -> Vec<Site> {
        let groups = default_groups();
        let settings = SuitabilitySettings {
            geschikt_min_score: 70.0,
            voorwaardelijk_min_score: 45.0,
            warn_factor: 1.5,
            unknown_needs: Vec::new(),
            monument_data: true,
        };
        let a = assess_all(layers, facts, None, &groups, &settings);
        sites(layers, facts, &a, &groups, &site_settings())
    }

    /// The BAG's oppervlakte is usable area already: taken whole, where a gross
    /// floor area gives `usable_share` of it.
    #[test]
    fn bag_oppervlakte_is_not_reduced_again() {
        let mut bag = building("bag", 0.0, BuildingUse::Office, true);
        bag.floor_area_usable = true;
        let layers = Layers {
            buildings: vec![bag, building("gross", 20.0, BuildingUse::Office, true)],
            ..Layers::default()
        };
        let s = run(&layers, &[facts(false), facts(false)]);
        let usable = |id: &str| {
            s.iter()
                .find(|x| layers.buildings[x.building].id == id)
                .expect("site")
                .usable_m2
        };
        assert!((usable("bag") - 300.0).abs() < 1e-9);
        let bag = s
            .iter()
            .find(|x| layers.buildings[x.building].id == "bag")
            .unwrap();
        assert_eq!(bag.usable_basis, "300 m² oppervlakte (BAG), al bruikbaar");
        assert!((usable("gross") - 240.0).abs() < 1e-9);
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
        assert_eq!(out.usable_basis, "300 m² bvo × 0,80 bruikbaar");
        // In the core the plint stays a shop: (300 − 100) × 0.8 = 160 m²,
        // and the site says how.
        let core = get("core");
        assert!((core.usable_m2 - 160.0).abs() < 1e-9);
        assert_eq!(
            core.usable_basis,
            "300 m² bvo − begane grond 100 m² (plint blijft winkel, 3 bouwlagen) = 200 m² × 0,80 bruikbaar"
        );
        assert_eq!(out.homes["starters"], 4);
        assert_eq!(out.homes["gezinnen"], 2);
        assert_eq!(out.homes["studenten"], 8);
        // No building in this map is marked as a monument or as vacant: both are unknown.
        assert_eq!(
            out.conditions,
            vec![
                "leegstand onbekend (de kaart markeert bijna geen leegstand): een kans, geen leeg pand"
                    .to_string(),
                "monumentstatus onbekend (niet in de kaart)".to_string()
            ]
        );
        assert!(out.components.vacancy.is_nan() && out.components.monument.is_nan());
        // Core: ground floor (100 m²) stays shop → (300 − 100) × 0.8 = 160 m².
        let core = get("core");
        assert!((core.usable_m2 - 160.0).abs() < 1e-9);
        assert_eq!(core.homes["starters"], 2);
        assert_eq!(core.homes["studenten"], 5);
        assert_eq!(
            core.conditions[0],
            "plint in kernwinkelgebied blijft open: alleen de verdiepingen (2 van 3 bouwlagen)"
        );
        // Gezinnen refuse homes above shops in the core, so they are never the best group there.
        assert_ne!(core.best_group.as_deref(), Some("gezinnen"));
        assert!(!core.usable_estimated);
        // Types: retail outside the core is an aanloopstraat site, in the core the
        // floors above the shops.
        assert_eq!(out.kind, SiteType::Aanloopstraat);
        assert_eq!(core.kind, SiteType::BovenWinkels);
        // No kernwinkelgebied polygon in this map: location is neutral outside it.
        assert_eq!(out.components.location, 0.5);
        assert_eq!(core.components.location, 0.8);
        // Ranked by potential.
        assert_eq!(s[0].rank, 1);
        assert!(s[0].potential >= s[1].potential);
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
        // when vacant; the tiny shop (20 m²) holds no home for any group, so it
        // is no site either.
        assert_eq!(ids, ["m"]);
        let m = &s[0];
        // All groups score 100 here; ties go by name → gezinnen.
        assert_eq!(m.best_group.as_deref(), Some("gezinnen"));
        assert!(m.usable_estimated);
        assert_eq!(
            m.conditions,
            [
                "monument: transformatie mogelijk maar lastiger",
                "vloeroppervlak geschat (grondvlak × bouwlagen): woningen geschat"
            ]
        );
        // The same shop with room for homes is a site.
        let mut layers = layers;
        layers.buildings[3].floor_area_m2.value = 400.0;
        let s = run(&layers, &f);
        let small = s
            .iter()
            .find(|x| layers.buildings[x.building].id == "small")
            .expect("a 400 m² shop is a site");
        assert!(small.homes.values().any(|n| *n > 0), "{:?}", small.homes);
    }

    /// A mixed building's shop plint counts its business units' share of the
    /// floor area, at most the plint (Copenhagen, Arkonagade 1-23: a perimeter
    /// block with 3 shops among 34 units gave 158 homes from its whole plint);
    /// without known units the whole plint, as before.
    #[test]
    fn a_mixed_plint_counts_its_business_units() {
        let mixed = |id: &str, x: f64, units: u32, dwellings: Option<u32>| {
            let mut b = building(id, x, BuildingUse::Mixed, false);
            b.ground_floor_use = Some(BuildingUse::Retail);
            b.floor_area_m2.value = 3_000.0; // 3 storeys of 1,000 m²
            b.units.total = units;
            b.dwellings = Valued {
                value: dwellings.unwrap_or(0),
                estimated: dwellings.is_none(),
            };
            b
        };
        let layers = Layers {
            buildings: vec![
                mixed("block", 0.0, 34, Some(31)),
                mixed("corner", 20.0, 2, Some(1)),
                mixed("unknown", 40.0, 0, Some(0)),
                mixed("estimated", 60.0, 10, None),
            ],
            ..Layers::default()
        };
        let s = run(&layers, &vec![facts(false); 4]);
        let usable = |id: &str| {
            let site = s
                .iter()
                .find(|x| layers.buildings[x.building].id == id)
                .unwrap_or_else(|| panic!("{id} is a site"));
            (site.usable_m2, site.usable_basis.clone())
        };
        // 3 of 34 units: 3,000 × 3/34 m², × 0.8 usable.
        let (m2, basis) = usable("block");
        assert!((m2 - 3_000.0 * 3.0 / 34.0 * 0.8).abs() < 1e-9, "{m2}");
        assert!(
            basis.starts_with("de bedrijfsunits: 3 van 34 units"),
            "{basis}"
        );
        // Half the units would be 1,500 m²: at most the plint, 1,000 m².
        let (m2, basis) = usable("corner");
        assert!((m2 - 1_000.0 * 0.8).abs() < 1e-9, "{m2}");
        assert!(basis.contains("hoogstens de plint"), "{basis}");
        // Units unknown, or dwellings estimated: the whole plint.
        for id in ["unknown", "estimated"] {
            let (m2, basis) = usable(id);
            assert!((m2 - 1_000.0 * 0.8).abs() < 1e-9, "{id} {m2}");
            assert!(basis.starts_with("de plint"), "{id} {basis}");
        }
    }

    /// A water tower (Copenhagen's "Vandtårn", vacant, was the #1 site) or a
    /// town hall is no candidate unless the scenario clears the flag.
    #[test]
    fn landmarks_are_no_sites() {
        let mut tower = building("tower", 0.0, BuildingUse::Mixed, true);
        tower.landmark = Some("water_tower".into());
        let mut hall = building("hall", 20.0, BuildingUse::Office, false);
        hall.landmark = Some("townhall".into());
        let layers = Layers {
            buildings: vec![
                tower,
                hall,
                building("shop", 40.0, BuildingUse::Retail, true),
            ],
            ..Layers::default()
        };
        let s = run(&layers, &[facts(false), facts(false), facts(false)]);
        let ids: Vec<&str> = s
            .iter()
            .map(|x| layers.buildings[x.building].id.as_str())
            .collect();
        assert_eq!(ids, ["shop"]);
    }

    /// A hall with guessed storeys (a Delft industrial building got 50 homes
    /// from 3 assumed storeys) counts one storey; the range is in the conditions.
    #[test]
    fn hall_with_guessed_storeys_counts_one() {
        let mut hall = building("hall", 0.0, BuildingUse::Industry, true);
        hall.floors = Valued {
            value: 3,
            estimated: true,
        };
        hall.floor_area_m2 = Valued {
            value: 300.0,
            estimated: true,
        };
        let mut measured = hall.clone();
        measured.id = "measured".into();
        measured.floors.estimated = false;
        let layers = Layers {
            buildings: vec![hall, measured],
            ..Layers::default()
        };
        let s = run(&layers, &[facts(false), facts(false)]);
        let get = |id: &str| {
            s.iter()
                .find(|x| layers.buildings[x.building].id == id)
                .expect("site")
        };
        let h = get("hall");
        // One storey: 100 m² × 0.8 = 80 m² → 1 starters home (55 m²), not 4.
        assert!((h.usable_m2 - 80.0).abs() < 1e-9);
        assert_eq!(h.homes["starters"], 1);
        assert_eq!(h.homes["studenten"], 2);
        assert!(
            h.conditions.iter().any(|c| c.starts_with(
                "hal: bouwlagen niet in de data, 1 bouwlaag aangenomen: woningen geschat"
            )),
            "{:?}",
            h.conditions
        );
        // Measured storeys are taken as given.
        assert!((get("measured").usable_m2 - 240.0).abs() < 1e-9);
        assert!(is_estimated_hall(&layers.buildings[0]));
        assert!(!is_estimated_hall(&layers.buildings[1]));
    }

    /// A guessed floor area must not outrank measured data: the same building
    /// with a measured area ranks first, and its fit counts whole.
    #[test]
    fn estimated_area_does_not_outrank_measured() {
        let mut guess = building("a-guess", 0.0, BuildingUse::Retail, true);
        guess.floor_area_m2.estimated = true;
        let measured = building("b-measured", 20.0, BuildingUse::Retail, true);
        let layers = Layers {
            buildings: vec![guess, measured],
            ..Layers::default()
        };
        let s = run(&layers, &[facts(false), facts(false)]);
        assert_eq!(layers.buildings[s[0].building].id, "b-measured");
        assert!(s[1].components.fit <= ESTIMATED_FIT);
        assert!(s[0].components.fit > ESTIMATED_FIT);
        assert!(s[0].potential > s[1].potential);
    }

    /// Sites whose best group scores 100 tied (Copenhagen 2-10 at 66.6): the
    /// breadth over the groups separates them.
    #[test]
    fn breadth_over_groups_separates_saturated_best_scores() {
        let wide = building("a-wide", 0.0, BuildingUse::Retail, true);
        let narrow = building("b-narrow", 20.0, BuildingUse::Retail, true);
        let layers = Layers {
            buildings: vec![wide, narrow],
            horeca: vec![crate::model::Horeca {
                id: "club".into(),
                // 30 m from the narrow one's centre: too close for families and elderly.
                point: geo::Point::new(25.0, 35.0),
                kind: "nightclub".into(),
                category: crate::model::HorecaCategory::Heavy,
                name: None,
                closing_minutes: None,
                terrace_seats: None,
            }],
            ..Layers::default()
        };
        let s = run(&layers, &[facts(false), facts(false)]);
        let get = |id: &str| {
            s.iter()
                .find(|x| layers.buildings[x.building].id == id)
                .expect("site")
        };
        let (w, n) = (get("a-wide"), get("b-narrow"));
        assert!(w.components.suitability > n.components.suitability);
        assert!(w.potential > n.potential);
        assert_eq!(layers.buildings[s[0].building].id, "a-wide");
    }

    /// Monument status onbekend is shown as onbekend (NaN, written null), not 1,
    /// and the potential leaves it out with its weight.
    /// Review finding (Copenhagen): with 1 building of 8,425 marked vacant, the
    /// 145 occupied aanloopstraat sites were ranked as known to be in use
    /// (vacancy 0). Under 1% marked, vacancy is onbekend: NaN, counted as
    /// `VACANCY_ONBEKEND` in the potential.
    #[test]
    fn vacancy_component_onbekend_without_data_and_0_with_it() {
        let mut buildings: Vec<Building> = (0..99)
            .map(|k| {
                building(
                    &format!("b{k}"),
                    30.0 * k as f64,
                    BuildingUse::Retail,
                    false,
                )
            })
            .collect();
        let facts_all = vec![facts(false); 100];
        buildings.push(building("v", 5000.0, BuildingUse::Retail, false));
        let layers = Layers {
            buildings: buildings.clone(),
            ..Layers::default()
        };
        let s = run(&layers, &facts_all);
        assert!(s.iter().all(|x| x.components.vacancy.is_nan()));
        // One of 100 marked vacant (1%): the marks count, an unmarked shop is in use.
        buildings[99].vacant = true;
        let layers = Layers {
            buildings,
            ..Layers::default()
        };
        let s = run(&layers, &facts_all);
        let occupied = s
            .iter()
            .find(|x| layers.buildings[x.building].id == "b0")
            .unwrap();
        assert_eq!(occupied.components.vacancy, 0.0);
        let vacant = s
            .iter()
            .find(|x| layers.buildings[x.building].id == "v")
            .unwrap();
        assert_eq!(vacant.components.vacancy, 1.0);
    }

    /// Review finding (Delft): with vacancy onbekend left out of the mean, two
    /// sites with vacant units (0.75) ranked below shops the map says nothing
    /// about. An onbekend vacancy counts as the neutral 0.5: the same building
    /// with marked vacant units ranks first, and its potential is higher.
    #[test]
    fn known_vacant_units_outrank_onbekend_vacancy() {
        let mut buildings: Vec<Building> = (0..200)
            .map(|k| {
                building(
                    &format!("b{k:03}"),
                    30.0 * k as f64,
                    BuildingUse::Retail,
                    false,
                )
            })
            .collect();
        // The last one has 3 of 4 units vacant: positive information on a map
        // that otherwise marks no vacancy (under 1%).
        let units = &mut buildings[199].units;
        units.total = 4;
        units.vacant = 3;
        units.vacant_m2 = 225.0;
        let layers = Layers {
            buildings,
            ..Layers::default()
        };
        let s = run(&layers, &vec![facts(false); 200]);
        assert!(!crate::model::vacancy_data(&layers.buildings));
        let top = &s[0];
        assert_eq!(layers.buildings[top.building].id, "b199", "{:?}", top);
        assert_eq!(top.components.vacancy, 0.875);
        let unknown = &s[1];
        assert!(unknown.components.vacancy.is_nan());
        assert_eq!(unknown.components.vacancy_ranked(), VACANCY_ONBEKEND);
        assert!(top.potential > unknown.potential);
        // The onbekend vacancy counts 0.5 in the weighted mean.
        let w = SiteWeights::default();
        let c = unknown.components;
        let expected = 100.0
            * (w.suitability * c.suitability
                + w.vacancy * VACANCY_ONBEKEND
                + w.location * c.location
                + w.fit * c.fit
                + w.data * c.data)
            / (w.total() - w.monument);
        assert!((unknown.potential - expected).abs() < 1e-9);
    }

    #[test]
    fn monument_component_onbekend_without_data() {
        let layers = Layers {
            buildings: vec![building("x", 0.0, BuildingUse::Retail, true)],
            ..Layers::default()
        };
        let s = run(&layers, &[facts(false)]);
        let c = s[0].components;
        assert!(c.monument.is_nan());
        let w = SiteWeights::default();
        let expected = 100.0
            * (w.suitability * c.suitability
                + w.vacancy * c.vacancy
                + w.location * c.location
                + w.fit * c.fit
                + w.data * c.data)
            / (w.total() - w.monument);
        assert!((s[0].potential - expected).abs() < 1e-9);
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
