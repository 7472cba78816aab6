//! Rules: the judgements the engine makes on the model, one capability per file.

/// Verdict changes between two scenarios, keyed by building id.
pub mod compare;
/// Scenario interventions applied to the layers (transform, add / remove amenities and horeca).
pub mod interventions;
/// Transformation sites: candidates, usable floor area, homes per doelgroep, ranking.
pub mod sites;
/// Greedy maximal coverage (lazy, CELF) for suggesting new amenity locations.
pub mod suggest;
/// Housing suitability per building and doelgroep: criteria, score, verdict, reasons.
pub mod suitability;
