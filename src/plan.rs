//! The pipeline: from loaded layers to every result a plan writes.
//!
//! Pure: takes the validated [`Scenario`] and the [`Loaded`] layers, returns
//! a [`Plan`] with values only (no paths, clocks, environment or printing —
//! stage times are measured but only reported by the caller).
//! Stages: interventions → zoning → walking network and distances → VNG and
//! plan conflicts → suitability → coverage and sites.

use crate::crs::{Crs, Transformer};
use crate::error::{Diagnostic, Result};
use crate::io::load::Loaded;
use crate::model::{AmenityKind, Layers, RetailCore};
use crate::network::{self, Coverage, KindDistances, WalkNetwork};
use crate::rules::conflicts::{self, Conflict};
use crate::rules::interventions;
use crate::rules::milieu::{self, MilieuHits};
use crate::rules::sites::{self, Site};
use crate::rules::suitability::{self, Assessments, BuildingFacts};
use crate::rules::zoning::{self, Zoning};
use crate::scenario::Scenario;
use geo::{BoundingRect, Contains, Point, Rect};
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// Half-width of the coverage areas around reachable street pieces (m): about
/// the depth of a canal-house plot, so the area covers the homes along the street.
pub const COVERAGE_BUFFER_M: f64 = 30.0;

/// Everything computed for one scenario.
#[derive(Debug)]
pub struct Plan {
    /// The layers as used (after interventions), in the working CRS.
    pub layers: Layers,
    /// The working CRS.
    pub working_crs: crate::crs::Crs,
    /// The walking network.
    pub network: WalkNetwork,
    /// Zoning: grid, zones, zone per building.
    pub zoning: Zoning,
    /// Walking distances per amenity kind present (per building).
    pub walk: Vec<KindDistances>,
    /// Per building, businesses within their VNG guide distance.
    pub milieu: MilieuHits,
    /// Plan conflicts.
    pub conflicts: Vec<Conflict>,
    /// Coverage per group and need.
    pub coverage: Vec<Coverage>,
    /// Per building, the straight-line distance (m) to the study area's edge
    /// ([`BuildingFacts::edge_m`]). The rest of the facts the rules judged
    /// repeats the zoning and `milieu` (80 B per building, 80 MB at 1M): they
    /// are dropped after the sites, and [`Plan::building_facts`] gives one
    /// building's facts whole.
    pub edge_m: Vec<Option<f64>>,
    /// Per building, one assessment per group (in scenario group order), with
    /// the criteria that did not pass: `assessments.get(building)?.get(group)`.
    pub assessments: Assessments,
    /// Ranked transformation sites.
    pub sites: Vec<Site>,
    /// Whether the map's vacancy marks are complete enough to read an unmarked
    /// building as in use ([`crate::model::vacancy_data`]); computed once, as
    /// `suitability.monument_data` is for monuments.
    pub vacancy_data: bool,
    /// The suitability settings as used: the scenario's, with the needs the map
    /// has no data for ([`SuitabilitySettings::unknown_needs`](crate::scenario::SuitabilitySettings::unknown_needs)).
    pub suitability: crate::scenario::SuitabilitySettings,
    /// What the interventions changed, one line each.
    pub interventions: Vec<String>,
    /// Data problems from loading and from every stage.
    pub diagnostics: Vec<Diagnostic>,
    /// Time per stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Plan {
    /// What a coverage figure can say: `None` when it is a figure, else why
    /// not: the need is a data gap (`onbekend (geen data)`) or there are no
    /// homes (`n.v.t. (geen woningen)`). Unknown is never written as no.
    pub fn coverage_caveat(&self, c: &Coverage) -> Option<&'static str> {
        if self
            .suitability
            .unknown_needs
            .iter()
            .any(|(k, _)| *k == c.kind)
        {
            Some(NO_DATA)
        } else if c.homes_inside + c.homes_outside + c.homes_unknown == 0 {
            Some("n.v.t. (geen woningen)")
        } else {
            None
        }
    }

    /// One building's facts whole, walking distances included: what the
    /// rules judged it on.
    pub fn building_facts(&self, building: usize) -> Option<BuildingFacts> {
        let anchor = self.zoning.buildings.get(building).map(|z| z.anchor);
        let edge_m = *self.edge_m.get(building)?;
        let core = anchor.is_some_and(|a| in_retail_core(&[a], &self.layers.retail_core)[0]);
        let mut f = building_fact(
            &self.layers,
            &self.zoning,
            &self.milieu,
            building,
            core,
            edge_m,
        );
        f.walk = walk_facts(&self.walk, building);
        Some(f)
    }
    /// Frees what only the query commands (`site`, `reach`) read: each
    /// building's nearest amenity per kind ([`KindDistances::drop_nearest`];
    /// 4 B per building and kind, 84 MB at 1M buildings and 21 kinds). The
    /// written outputs read the distances, which stay; `plan` calls this
    /// before it writes.
    pub fn drop_nearest(&mut self) {
        self.walk.iter_mut().for_each(KindDistances::drop_nearest);
    }
    /// The amenity kinds that get walking-distance columns: those present and those any group needs.
    pub fn walk_kinds(&self, scenario: &Scenario) -> Vec<AmenityKind> {
        AmenityKind::ALL
            .iter()
            .copied()
            .filter(|k| {
                KindDistances::find(&self.walk, *k).is_some()
                    || scenario
                        .groups
                        .iter()
                        .any(|g| g.needs_minutes.contains_key(k))
            })
            .collect()
    }
}

/// What a figure without data says: `onbekend (geen data)`.
pub const NO_DATA: &str = "onbekend (geen data)";

/// An everyday voorziening (supermarket, bakery, GP, pharmacy, daycare, primary
/// school, playground, transit stop) with fewer than this many mapped per km²
/// of study area (and at least one) is a data gap: the need is "onbekend (geen
/// data)". One per km² is far below what a Dutch centre has of any of them
/// (each serves a few thousand residents; a centre houses 5,000-15,000 per
/// km²), so fewer means the map, not the town, lacks them.
pub const MIN_MAPPED_PER_KM2: f64 = 1.0;

pub use crate::model::{MONUMENT_DATA_MIN_SHARE, monument_data};

/// The same floor for district-level voorzieningen (library, theatre, cinema,
/// care, community centre, secondary school, sports, park, market, dentist,
/// square): one per 5 km².
pub const MIN_MAPPED_PER_KM2_DISTRICT: f64 = 0.2;

/// The floor per km² of study area below which a mapped kind is a data gap
/// ([`MIN_MAPPED_PER_KM2`] for everyday kinds, else [`MIN_MAPPED_PER_KM2_DISTRICT`]).
pub fn min_mapped_per_km2(kind: AmenityKind) -> f64 {
    use AmenityKind::*;
    match kind {
        Supermarket | Bakery | Gp | Pharmacy | Daycare | PrimarySchool | Playground
        | TransitStop => MIN_MAPPED_PER_KM2,
        _ => MIN_MAPPED_PER_KM2_DISTRICT,
    }
}

/// The kinds some group needs that the map has no usable data for, with how
/// many are mapped in the study area: none, or fewer than
/// [`min_mapped_per_km2`] × the study area (km², the zoned cells), and at least
/// one. In kind order.
pub fn data_gaps(layers: &Layers, zoning: &Zoning, scenario: &Scenario) -> Vec<(AmenityKind, u32)> {
    let area = zoning.area_km2();
    AmenityKind::ALL
        .iter()
        .copied()
        .filter(|k| {
            scenario
                .groups
                .iter()
                .any(|g| g.needs_minutes.contains_key(k))
        })
        .filter_map(|k| {
            let mapped = layers
                .amenities
                .iter()
                .filter(|a| a.kind == k && zoning.in_study_area(a.point))
                .count() as u32;
            let floor = (min_mapped_per_km2(k) * area).max(1.0);
            (f64::from(mapped) < floor).then_some((k, mapped))
        })
        .collect()
}

/// [`data_gaps`] and one warning per gap saying which groups' needs it makes
/// onbekend: what `plan` and `check` both report.
pub fn data_gap_diagnostics(
    layers: &Layers,
    zoning: &Zoning,
    scenario: &Scenario,
) -> (Vec<(AmenityKind, u32)>, Vec<Diagnostic>) {
    let unknown_needs = data_gaps(layers, zoning, scenario);
    let mut diagnostics = Vec::new();
    for &(kind, mapped) in &unknown_needs {
        let needed_by: Vec<&str> = scenario
            .groups
            .iter()
            .filter(|g| g.needs_minutes.contains_key(&kind))
            .map(|g| g.name.as_str())
            .collect();
        diagnostics.push(Diagnostic {
            severity: crate::error::Severity::Warning,
            layer: "amenities".into(),
            file: None,
            feature: None,
            code: "missing_kind",
            message: format!(
                "{}: {} in het studiegebied ({} km²), minder dan {} per km²: \
                 de behoefte eraan telt als onbekend (geen data) voor {}, niet als tekort; voeg ze toe aan amenities.geojson als ze er zijn",
                crate::labels::amenity_kind(kind),
                match mapped {
                    0 => "geen enkele".to_string(),
                    n => format!("maar {n}"),
                },
                crate::labels::nl_number(zoning.area_km2(), 2),
                crate::labels::nl_number(min_mapped_per_km2(kind), 1).trim_end_matches(",0"),
                needed_by.join(", ")
            ),
        });
    }
    (unknown_needs, diagnostics)
}

/// Hears how the pipeline gets on, so a front end can show progress (the
/// library itself never prints). Called from worker threads, hence `Sync`.
pub trait Progress: Sync {
    /// A stage begins; `total` is its number of items when known.
    fn start(&self, _stage: &'static str, _total: Option<u64>) {}
    /// `n` more items of the current stage are done.
    fn advance(&self, _n: u64) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

struct Stopwatch {
    timings: Vec<(&'static str, Duration)>,
    last: Instant,
}

impl Stopwatch {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings.push((stage, now - self.last));
        self.last = now;
    }
}

/// Per building: whether its anchor lies in a kernwinkelgebied polygon.
pub fn in_retail_core(anchors: &[Point<f64>], core: &[RetailCore]) -> Vec<bool> {
    let boxes: Vec<(Rect<f64>, &RetailCore)> = core
        .iter()
        .filter_map(|c| c.area.bounding_rect().map(|r| (r, c)))
        .collect();
    anchors
        .par_iter()
        .map(|p| {
            boxes.iter().any(|(r, c)| {
                p.x() >= r.min().x
                    && p.x() <= r.max().x
                    && p.y() >= r.min().y
                    && p.y() <= r.max().y
                    && c.area.contains(p)
            })
        })
        .collect()
}

/// One building's walking facts, from the per-kind distances.
fn walk_facts(walk: &[KindDistances], i: usize) -> suitability::WalkFacts {
    walk.iter()
        .map(|kd| (kd.kind, kd.get(i).map(|(m, a)| (m, a as usize))))
        .collect()
}

/// Gathers what the suitability rules need per building. The walking facts
/// stay empty: [`suitability::assess_all`] reads them from [`Plan::walk`] by
/// building index, and [`Plan::building_facts`] fills one building's.
fn facts(layers: &Layers, zoning: &Zoning, milieu: &MilieuHits) -> Vec<BuildingFacts> {
    let anchors: Vec<Point<f64>> = zoning.buildings.iter().map(|z| z.anchor).collect();
    let core = in_retail_core(&anchors, &layers.retail_core);
    let edge = crate::rules::edge::StudyEdge::new(&layers.study_area, zoning.extent);
    (0..layers.buildings.len())
        .into_par_iter()
        .map(|i| {
            let edge_m = edge
                .as_ref()
                .zip(anchors.get(i))
                .and_then(|(e, a)| e.distance_m(*a));
            let in_core = core.get(i).copied().unwrap_or(false);
            building_fact(layers, zoning, milieu, i, in_core, edge_m)
        })
        .collect()
}

/// Building `i`'s facts from the zoning and `milieu`, given whether its
/// anchor lies in the kernwinkelgebied and its distance to the study area's
/// edge; the walking facts stay empty.
fn building_fact(
    layers: &Layers,
    zoning: &Zoning,
    milieu: &MilieuHits,
    i: usize,
    anchor_in_core: bool,
    edge_m: Option<f64>,
) -> BuildingFacts {
    let (zone, reuring_index) = zoning
        .buildings
        .get(i)
        .map(|z| (z.zone, z.reuring_index))
        .unwrap_or((crate::model::ZoneCharacter::Rust, 0.0));
    let vng = milieu
        .get(i)
        .map(|hits| {
            hits.iter()
                .map(|h| (h.business, h.distance_m, h.guide_m))
                .collect()
        })
        .unwrap_or_default();
    BuildingFacts {
        zone,
        reuring_index,
        // A houseboat (woonboot) moored in a canal of the
        // kernwinkelgebied has no plint on a shopping street and is
        // no home above a shop: the core's rules are not its rules.
        in_retail_core: anchor_in_core
            && !layers.buildings.get(i).is_some_and(|b| {
                b.building_type
                    .as_deref()
                    .is_some_and(crate::io::osm::tags::is_houseboat_type)
            }),
        walk: suitability::WalkFacts::default(),
        vng,
        edge_m,
    }
}

/// Runs the pipeline. Fails only when an intervention names something that is not there.
pub fn run(scenario: &Scenario, loaded: Loaded) -> Result<Plan> {
    run_with(scenario, loaded, true, &Silent)
}

/// The scenario's interventions applied to `layers` (in `working_crs`), as
/// the plan applies them first; `check` applies them too, so that it refuses
/// what `plan` refuses and sees the features they add. Returns one line per
/// intervention for the report.
///
/// # Errors
/// [`crate::Error`] from [`interventions::apply`] (a building id the map does not
/// have, an amenity id it already has), or when WGS84 cannot be converted
/// into `working_crs`.
pub fn apply_interventions(
    layers: &mut Layers,
    scenario: &Scenario,
    working_crs: Crs,
) -> Result<Vec<String>> {
    let to_working = Transformer::new(Crs::WGS84, working_crs)?;
    let convert = |lonlat: [f64; 2]| {
        to_working
            .convert(lonlat[0], lonlat[1])
            .ok()
            .map(|(x, y)| Point::new(x, y))
    };
    interventions::apply(layers, &scenario.interventions, &convert)
}

/// Runs the pipeline; `with_coverage = false` skips the coverage areas (the query
/// commands do not need them); `progress` hears of each stage as it begins.
pub fn run_with(
    scenario: &Scenario,
    loaded: Loaded,
    with_coverage: bool,
    progress: &dyn Progress,
) -> Result<Plan> {
    let mut clock = Stopwatch {
        timings: Vec::new(),
        last: Instant::now(),
    };
    let mut layers = loaded.layers;
    let mut diagnostics = loaded.diagnostics;

    let intervention_log = apply_interventions(&mut layers, scenario, loaded.working_crs)?;
    crate::model::estimate_dwellings(&mut layers.buildings, scenario.dwelling_m2);
    clock.lap("interventions");

    progress.start("zoning", None);
    let zoning = zoning::zone(&layers, &scenario.zoning);
    diagnostics.extend(zoning.diagnostics.iter().cloned());
    clock.lap("zoning");

    progress.start("network", None);
    let (network, mut net_diags) = WalkNetwork::build(&layers.streets, &scenario.network);
    diagnostics.append(&mut net_diags);
    clock.lap("network");

    // Data gaps: a kind some group needs that the map lacks or maps too scarcely
    // is unknown (onbekend), not a finding; say so.
    let (unknown_needs, mut gap_diags) = data_gap_diagnostics(&layers, &zoning, scenario);
    diagnostics.append(&mut gap_diags);
    let suitability_settings = crate::scenario::SuitabilitySettings {
        unknown_needs,
        monument_data: monument_data(&layers.buildings),
        ..scenario.suitability.clone()
    };
    progress.start("distances", None);
    let (walk, mut walk_diags) = network::distances(
        &network,
        &layers.buildings,
        &layers.amenities,
        &scenario.network,
    );
    diagnostics.append(&mut walk_diags);
    clock.lap("distances");

    progress.start("vng+conflicts", None);
    let milieu = MilieuHits::from(milieu::milieu(&layers, &zoning));
    let conflicts = conflicts::plan_conflicts(&layers, &zoning, &scenario.zoning);
    clock.lap("vng+conflicts");

    progress.start("suitability", None);
    let facts = facts(&layers, &zoning, &milieu);
    let assessments = suitability::assess_all(
        &layers,
        &facts,
        Some(&walk),
        &scenario.groups,
        &suitability_settings,
    );
    clock.lap("suitability");

    progress.start("sites", None);
    let sites = sites::sites(
        &layers,
        &facts,
        &assessments,
        &scenario.groups,
        &scenario.sites,
    );
    clock.lap("sites");
    let edge_m: Vec<Option<f64>> = facts.iter().map(|f| f.edge_m).collect();
    drop(facts);

    progress.start("coverage", None);
    let coverage = if with_coverage {
        // Onbekend as the verdicts say it: the building's need of the kind
        // did not pass and is unknown (beyond the plan area's edge, cut off,
        // or no data).
        let unknown = |i: usize, group: &str, kind: AmenityKind| {
            assessments
                .get(i)
                .and_then(|row| row.iter().find(|a| &**a.group == group))
                .is_some_and(|a| {
                    a.criteria.iter().any(|c| {
                        c.status == suitability::Status::Unknown && c.need_kind() == Some(kind)
                    })
                })
        };
        network::coverage(
            &network,
            &layers.buildings,
            &layers.amenities,
            network::HomesWalk {
                distances: &walk,
                unknown: &unknown,
            },
            &scenario.groups,
            &scenario.network,
            COVERAGE_BUFFER_M,
        )
    } else {
        Vec::new()
    };
    clock.lap("coverage");

    let vacancy_data = crate::model::vacancy_data(&layers.buildings);
    Ok(Plan {
        layers,
        working_crs: loaded.working_crs,
        network,
        zoning,
        walk,
        milieu,
        conflicts,
        coverage,
        edge_m,
        assessments,
        sites,
        vacancy_data,
        suitability: suitability_settings,
        interventions: intervention_log,
        diagnostics,
        timings: clock.timings,
    })
}

#[cfg(test)]
mod monument_tests {
    use super::*;
    use crate::model::{Building, BuildingUse};

    fn buildings(marked: usize, all: usize, sheds: usize) -> Vec<Building> {
        let mut out: Vec<Building> = (0..all)
            .map(|i| {
                let mut b = Building::new(
                    i.to_string(),
                    geo::MultiPolygon(vec![]),
                    BuildingUse::Residential,
                );
                b.monument = i < marked;
                b
            })
            .collect();
        out.extend((0..sheds).map(|i| {
            let mut b = Building::new(
                format!("s{i}"),
                geo::MultiPolygon(vec![]),
                BuildingUse::Other,
            );
            b.non_dwelling = true;
            b
        }));
        out
    }

    /// Amsterdam's OpenStreetMap marks 8 of 2,073: too few to read silence as
    /// "geen monument"; a register export marking a quarter is read.
    #[test]
    fn monument_marks_count_only_when_enough() {
        assert!(!monument_data(&buildings(8, 2073, 0)));
        assert!(!monument_data(&buildings(0, 100, 0)));
        assert!(!monument_data(&[]));
        assert!(monument_data(&buildings(5, 100, 0)));
        assert!(monument_data(&buildings(500, 2000, 0)));
        // Sheds are not counted: 5 of 100 houses with 900 sheds is still 5%.
        assert!(monument_data(&buildings(5, 100, 900)));
        assert!(!monument_data(&buildings(4, 100, 0)));
    }
}

#[cfg(test)]
mod facts_tests {
    use super::*;

    /// One building's facts, made on demand, are the facts the rules judged
    /// it on (the pipeline's, with its walking distances).
    #[test]
    fn building_facts_are_the_judged_facts() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join("amsterdam-centrum.toml");
        let scenario = Scenario::load(&path).unwrap();
        let loaded = crate::io::load::load(&scenario).unwrap();
        let plan = run_with(&scenario, loaded, false, &Silent).unwrap();
        let judged = facts(&plan.layers, &plan.zoning, &plan.milieu);
        assert!(judged.len() > 1000);
        assert!(judged.iter().any(|f| f.in_retail_core));
        assert!(judged.iter().any(|f| !f.vng.is_empty()));
        for (i, f) in judged.into_iter().enumerate() {
            let whole = BuildingFacts {
                walk: walk_facts(&plan.walk, i),
                ..f
            };
            assert_eq!(plan.building_facts(i), Some(whole), "building {i}");
            assert_eq!(plan.edge_m[i], plan.building_facts(i).unwrap().edge_m);
        }
        assert_eq!(plan.building_facts(plan.layers.buildings.len()), None);
    }
}
