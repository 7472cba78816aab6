//! Rules: pure functions from [`crate::model::Layers`] and scenario settings to verdicts.
//!
//! One rule per file; each takes borrowed layers and typed settings and returns values.

/// Rust / gemengd / reuring: the reuring index grid, zone polygons, each building's zone.
pub mod zoning;

/// Plan conflicts: the zoning against the plan's intended zones and the homes.
pub mod conflicts;

/// VNG milieuzonering: per building, the businesses within their guide distance.
pub mod milieu;
