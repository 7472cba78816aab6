//! Coverage: per amenity kind and doelgroep, the area within the group's
//! walking threshold and the homes inside and outside it.
//!
//! The area is the buffered, dissolved union of the street pieces within the
//! threshold of any amenity of the kind (one multi-source search per kind,
//! shared by all groups). Homes are dwellings (woningen: [`Building::dwellings`],
//! counted or estimated), not buildings; a building's dwellings are inside
//! when its own walking distance (from [`distances`](super::distances)) meets
//! the need as its verdict judges it ([`need_met`](super::need_met):
//! the minutes as shown, to 0.1 min), so the counts agree with the
//! per-building figures even where a buffer would reach across a canal.

use super::buffer_sets::buffer_line_sets;
use super::graph::WalkNetwork;
use super::isochrone::reachable_pieces;
use super::search::{KindDistances, join_amenities, kind_tree};
use crate::model::{Amenity, AmenityKind, Building};
use crate::scenario::{Doelgroep, NetworkSettings};
use geo::{LineString, MultiPolygon};
use rayon::prelude::*;

/// Coverage of one amenity kind for one doelgroep.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// The amenity kind.
    pub kind: AmenityKind,
    /// The doelgroep's key.
    pub group: String,
    /// The group's walking distance for this need (m).
    pub threshold_m: f64,
    /// Street pieces within the threshold, buffered and dissolved.
    pub area: MultiPolygon<f64>,
    /// Dwellings (woningen) within the threshold.
    pub homes_inside: usize,
    /// Dwellings known to be beyond it: the nearest amenity of the kind is
    /// further, or none is reachable, and the map says so.
    pub homes_outside: usize,
    /// Dwellings whose walk is onbekend (the `unknown` of [`coverage`]): none
    /// of the kind within the threshold in the map, but the plan area's edge
    /// nearer than the threshold (one may stand just outside it), or on a
    /// piece of network cut off from the rest. Neither inside nor outside.
    pub homes_unknown: usize,
    /// `homes_inside` over all dwellings (inside, outside and onbekend), 0
    /// without homes.
    pub share_inside: f64,
}

/// Where each home's walk stands: the walking distances, and which needs the
/// verdicts call onbekend.
#[derive(Clone, Copy)]
pub struct HomesWalk<'a> {
    /// The output of [`distances`](super::distances) for the same buildings
    /// and amenities.
    pub distances: &'a [KindDistances],
    /// `unknown(building, group, kind)`: the building's need of `kind` is
    /// onbekend for the group (its key), as the group's verdict says it
    /// ([`crate::plan`] asks the assessments).
    pub unknown: &'a (dyn Fn(usize, &str, AmenityKind) -> bool + Sync),
}

impl<'a> HomesWalk<'a> {
    /// The distances alone: no need onbekend.
    pub fn known(distances: &'a [KindDistances]) -> Self {
        HomesWalk {
            distances,
            unknown: &|_, _, _| false,
        }
    }
}

/// Coverage for every need (kind and minutes) of every group, in group order
/// then kind order. `buffer_m` is the half-width of the area around the
/// reachable street pieces. Dwellings beyond the threshold whose need the
/// verdicts call onbekend ([`HomesWalk::unknown`]) count as `homes_unknown`,
/// not outside.
///
/// # Units
/// Metres.
pub fn coverage(
    net: &WalkNetwork,
    buildings: &[Building],
    amenities: &[Amenity],
    walk: HomesWalk,
    groups: &[Doelgroep],
    settings: &NetworkSettings,
    buffer_m: f64,
) -> Vec<Coverage> {
    let (kd, unknown) = (walk.distances, walk.unknown);
    let (asnaps, _) = join_amenities(net, amenities, settings);
    let jobs: Vec<(&Doelgroep, AmenityKind, f64, f64)> = groups
        .iter()
        .flat_map(|g| {
            g.needs_minutes
                .iter()
                .map(move |(&k, &m)| (g, k, m, g.reach_m(m)))
        })
        .collect();
    // Homes are dwellings (woningen): each building counts with its dwellings.
    let homes: Vec<(usize, usize)> = buildings
        .iter()
        .enumerate()
        .filter(|(_, b)| b.dwellings.value > 0 && !b.non_dwelling)
        .map(|(i, b)| (i, b.dwellings.value as usize))
        .collect();
    let total: usize = homes.iter().map(|h| h.1).sum();
    // One area per distinct (kind, distance): groups that walk the same
    // distance to the same kind share it.
    let mut areas_for: Vec<(AmenityKind, u64)> = jobs
        .iter()
        .map(|&(_, kind, _, threshold_m)| (kind, threshold_m.to_bits()))
        .collect();
    areas_for.sort_unstable();
    areas_for.dedup();
    let pieces: Vec<Vec<(u32, f64, f64)>> = areas_for
        .par_iter()
        .map(|&(kind, bits)| {
            let threshold_m = f64::from_bits(bits);
            let (tree, sources) = kind_tree(net, &asnaps, amenities, kind, threshold_m);
            let points: Vec<_> = sources
                .iter()
                .filter_map(|&(_, i)| asnaps[i as usize].map(|s| (s, s.connector_m)))
                .collect();
            if points.is_empty() {
                Vec::new()
            } else {
                reachable_pieces(net, &tree, &points, threshold_m)
            }
        })
        .collect();
    let areas = buffer_areas(net, &pieces, buffer_m);
    jobs.par_iter()
        .map(|&(g, kind, max_minutes, threshold_m)| {
            let slot = areas_for
                .binary_search(&(kind, threshold_m.to_bits()))
                .expect("every job's area was computed");
            let area = areas[slot].clone();
            let within = KindDistances::find(kd, kind);
            let (mut homes_inside, mut homes_unknown) = (0, 0);
            for &(i, n) in &homes {
                // Inside as the verdicts have it: the minutes as shown.
                if within
                    .and_then(|k| k.metres(i))
                    .is_some_and(|m| super::search::need_met(g, m, max_minutes))
                {
                    homes_inside += n;
                } else if unknown(i, &g.name, kind) {
                    homes_unknown += n;
                }
            }
            let homes_outside = total - homes_inside - homes_unknown;
            Coverage {
                kind,
                group: g.name.clone(),
                threshold_m,
                area,
                homes_inside,
                homes_outside,
                homes_unknown,
                share_inside: if total == 0 {
                    0.0
                } else {
                    homes_inside as f64 / total as f64
                },
            }
        })
        .collect()
}

/// A street piece as a key: edge and the bits of its two offsets.
type PieceKey = (u32, u64, u64);

fn piece_key(&(e, a, b): &(u32, f64, f64)) -> PieceKey {
    (e, a.to_bits(), b.to_bits())
}

/// Each area's reachable pieces buffered and dissolved, as
/// [`buffer_lines`](super::isochrone::buffer_lines) of their lines: a piece
/// is cut from its edge once, however many areas reach it alike, and
/// [`buffer_line_sets`] works out its cells once per lattice.
fn buffer_areas(
    net: &WalkNetwork,
    pieces: &[Vec<(u32, f64, f64)>],
    buffer_m: f64,
) -> Vec<MultiPolygon<f64>> {
    // The lines of pieces_to_lines: zero-length pieces and slices of fewer
    // than two points left out.
    let mut table: Vec<PieceKey> = pieces
        .iter()
        .flatten()
        .filter(|p| p.2 > p.1)
        .map(piece_key)
        .collect();
    table.par_sort_unstable();
    table.dedup();
    let lines: Vec<LineString<f64>> = table
        .par_iter()
        .map(|&(e, a, b)| LineString(net.edge_slice(e, f64::from_bits(a), f64::from_bits(b))))
        .collect();
    let sets: Vec<Vec<u32>> = pieces
        .par_iter()
        .map(|p| {
            p.iter()
                .filter(|p| p.2 > p.1)
                .map(|piece| {
                    let at = table
                        .binary_search(&piece_key(piece))
                        .expect("every piece is in the table");
                    at as u32
                })
                .filter(|&at| lines[at as usize].0.len() >= 2)
                .collect()
        })
        .collect();
    buffer_line_sets(&lines, &sets, buffer_m)
}
