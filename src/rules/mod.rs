//! Rules: pure functions from [`crate::model::Layers`] and scenario settings to verdicts.
//!
//! One rule per file; each takes borrowed layers and typed settings and returns values.

/// Verdict changes between two scenarios, keyed by building id.
pub mod compare;
/// Plan conflicts: the zoning against the plan's intended zones and the homes.
pub mod conflicts;
/// The study area's edge: each building's straight-line distance to it.
pub mod edge;
/// Scenario interventions applied to the layers (transform, add / remove amenities and horeca).
pub mod interventions;
/// VNG milieuzonering: per building, the businesses within their guide distance.
pub mod milieu;
/// Transformation sites: candidates, usable floor area, homes per doelgroep, ranking.
pub mod sites;
/// Greedy maximal coverage (lazy, CELF) for suggesting new amenity locations.
pub mod suggest;
/// Housing suitability per building and doelgroep: criteria, score, verdict, reasons.
pub mod suitability;
/// Rust / gemengd / reuring: the reuring index grid, zone polygons, each building's zone.
pub mod zoning;
