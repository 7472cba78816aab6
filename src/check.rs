//! `binnenstad check`: what the inputs hold and what is wrong with them.
//!
//! Pure: takes the loaded layers and returns a [`CheckReport`]: per layer
//! the feature count, CRS and extent, and every data problem (from loading,
//! and the checks here: amenities and horeca far outside the buildings'
//! extent, streets not connected to the main network).

use crate::error::Diagnostic;
use crate::io::load::{LayerInfo, Loaded};
use crate::scenario::Scenario;
use serde::Serialize;

/// The result of `check`.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    /// Scenario name.
    pub scenario: String,
    /// Working CRS.
    pub working_crs: String,
    /// Per-layer summary.
    pub layers: Vec<LayerInfo>,
    /// Remarks that are not problems (derived retail core, ...).
    pub notes: Vec<String>,
    /// Data problems, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every check.
pub fn check(scenario: &Scenario, loaded: &Loaded) -> CheckReport {
    let mut diagnostics = loaded.diagnostics.clone();
    // What plan reports besides the load: the zoning's (far-off features, a
    // coarsened grid) and the data gaps; so check and plan count the same problems.
    let zoning = crate::rules::zoning::zone(&loaded.layers, &scenario.zoning);
    diagnostics.extend(zoning.diagnostics.iter().cloned());
    let (_, gaps) = crate::plan::data_gap_diagnostics(&loaded.layers, &zoning, scenario);
    diagnostics.extend(gaps);
    let mut notes = Vec::new();
    if loaded.layers.retail_core.is_empty() {
        notes.push(
            "retail_core: geen kernwinkelgebied; de plintregel en de zonering gebruiken er geen (import leidt er een af uit de winkeldichtheid)"
                .to_string(),
        );
    }
    let (network, net_diags) =
        crate::network::WalkNetwork::build(&loaded.layers.streets, &scenario.network);
    diagnostics.extend(net_diags);
    let components = network.components();
    if components.len() > 1 {
        let main = components.iter().map(|c| c.length_m).fold(0.0, f64::max);
        let total: f64 = components.iter().map(|c| c.length_m).sum();
        notes.push(format!(
            "streets: {} samenhangende delen; het grootste bevat {} van {} m straat ({} %)",
            components.len(),
            crate::labels::nl_number(main, 0),
            crate::labels::nl_number(total, 0),
            crate::labels::nl_number(
                if total > 0.0 {
                    100.0 * main / total
                } else {
                    0.0
                },
                1
            )
        ));
    }
    // Features that join the network only through an island, or not at all.
    let (_, walk_diags) = crate::network::distances(
        &network,
        &loaded.layers.buildings,
        &loaded.layers.amenities,
        &scenario.network,
    );
    diagnostics.extend(walk_diags);
    diagnostics.sort_by_key(|d| std::cmp::Reverse(d.severity));
    CheckReport {
        scenario: scenario.name.clone(),
        working_crs: loaded.working_crs.to_string(),
        layers: loaded.info.clone(),
        notes,
        diagnostics,
    }
}
