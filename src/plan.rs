//! The pipeline: from loaded layers to every result a plan writes.
//!
//! Pure: takes the validated [`Scenario`] and the [`Loaded`] layers, returns
//! a [`Plan`] with values only (no paths, clocks, environment or printing —
//! stage times are measured but only reported by the caller).
//! Stages: interventions → zoning → walking network and distances → VNG and
//! plan conflicts → suitability → coverage and sites.

use crate::error::Diagnostic;
use crate::io::load::Loaded;
use crate::model::{AmenityKind, Layers};
use crate::network::{self, Coverage, KindDistances, WalkNetwork};
use crate::rules::conflicts::{self, Conflict};
use crate::rules::milieu::{self, MilieuHit};
use crate::rules::zoning::{self, Zoning};
use crate::scenario::Scenario;
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
    pub milieu: Vec<Vec<MilieuHit>>,
    /// Plan conflicts.
    pub conflicts: Vec<Conflict>,
    /// Coverage per group and need.
    pub coverage: Vec<Coverage>,
    /// Data problems from loading and from every stage.
    pub diagnostics: Vec<Diagnostic>,
    /// Time per stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Plan {
    /// The amenity kinds that get walking-distance columns: those present and those any group needs.
    pub fn walk_kinds(&self, scenario: &Scenario) -> Vec<AmenityKind> {
        AmenityKind::ALL
            .iter()
            .copied()
            .filter(|k| {
                KindDistances::find(&self.walk, *k).is_some()
                    || scenario.groups.iter().any(|g| g.needs_minutes.contains_key(k))
            })
            .collect()
    }
}

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

/// Runs the pipeline.
pub fn run(scenario: &Scenario, loaded: Loaded) -> Plan {
    let mut clock = Stopwatch { timings: Vec::new(), last: Instant::now() };
    let layers = loaded.layers;
    let mut diagnostics = loaded.diagnostics;

    let zoning = zoning::zone(&layers, &scenario.zoning);
    diagnostics.extend(zoning.diagnostics.iter().cloned());
    clock.lap("zoning");

    let (network, mut net_diags) = WalkNetwork::build(&layers.streets, &scenario.network);
    diagnostics.append(&mut net_diags);
    clock.lap("network");

    let (walk, mut walk_diags) = network::distances(&network, &layers.buildings, &layers.amenities, &scenario.network);
    diagnostics.append(&mut walk_diags);
    clock.lap("distances");

    let milieu = milieu::milieu(&layers, &zoning);
    let conflicts = conflicts::plan_conflicts(&layers, &zoning, &scenario.zoning);
    clock.lap("vng+conflicts");

    let coverage = network::coverage(
        &network,
        &layers.buildings,
        &layers.amenities,
        &walk,
        &scenario.groups,
        &scenario.network,
        COVERAGE_BUFFER_M,
    );
    clock.lap("coverage");

    Plan {
        layers,
        working_crs: loaded.working_crs,
        network,
        zoning,
        walk,
        milieu,
        conflicts,
        coverage,
        diagnostics,
        timings: clock.timings,
    }
}
