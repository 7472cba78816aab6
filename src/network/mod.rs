//! The walking network and distances over it.
//!
//! Streets are noded into an immutable [`WalkNetwork`] (built once, queried
//! many times); buildings and amenities join it at the nearest point on the
//! nearest edge; distances come from multi-source searches, one per amenity
//! kind. Everything is in metres in the working CRS.
//!
//! | file | job |
//! |---|---|
//! | `noding.rs` | T-junctions (line ends onto nearby lines) and optional crossings, at the same grade |
//! | `graph.rs` | noding (shared vertices, snapped endpoints), CSR graph, components |
//! | `snap.rs` | exact nearest point on the nearest edge ([`Snap`]) |
//! | `search.rs` | multi-source Dijkstra; [`distances`] per building and kind; [`needs`] per doelgroep |
//! | `reach.rs` | [`reach`]: from one point, nearest amenity per kind with the route |
//! | `isochrone.rs` | [`isochrone`]: reachable street pieces and their area per band |
//! | `within.rs` | [`within`]: per origin, the targets within a walking distance (for `suggest`) |
//! | `buffer_sets.rs` | many buffered areas at once, the lines common to all marked once |
//! | `coverage.rs` | [`coverage`]: per kind and group, area within the threshold and homes in/out |
//!
//! Distance between a building and an amenity = building connector + network
//! path + amenity connector; two features on one edge may walk straight along it.

mod buffer_sets;
mod coverage;
mod graph;
mod isochrone;
mod noding;
mod reach;
mod search;
mod snap;
mod within;

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;

pub use coverage::{Coverage, HomesWalk, coverage};
pub use graph::{Component, SEPARATE_NETWORK_GAP_M, SEPARATE_NETWORK_MIN_M, WalkNetwork};
pub use isochrone::{IsoBand, isochrone};
pub use reach::{QueryError, ReachResult, reach};
pub use search::{KindDistances, NeedResult, distances, minutes_within, need_met, needs};
pub use snap::Snap;
pub use within::within;
