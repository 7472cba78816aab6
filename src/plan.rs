//! The pipeline: from loaded layers to every result a plan writes.
//!
//! Pure: takes the validated [`Scenario`] and the [`Loaded`] layers, returns
//! a [`Plan`] with values only (no paths, clocks, environment or printing).
//! Stages: interventions → zoning → walking network and reach → suitability →
//! coverage and sites. Each stage's time is recorded for `--timings`.

use crate::error::Diagnostic;
use crate::io::load::Loaded;
use crate::model::Layers;
use crate::scenario::Scenario;
use std::time::{Duration, Instant};

/// Everything computed for one scenario.
#[derive(Debug)]
pub struct Plan {
    /// The layers as used (after interventions), in the working CRS.
    pub layers: Layers,
    /// Data problems from loading and from every stage.
    pub diagnostics: Vec<Diagnostic>,
    /// Time per stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs the pipeline.
pub fn run(_scenario: &Scenario, loaded: Loaded) -> Plan {
    let timings = Vec::new();
    let t = Instant::now();
    let layers = loaded.layers;
    let mut timings = timings;
    timings.push(("model", t.elapsed()));
    Plan {
        layers,
        diagnostics: loaded.diagnostics,
        timings,
    }
}
