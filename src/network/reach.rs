//! Reach from one point: per amenity kind the walking distance to the nearest
//! amenity and the route there.
//!
//! One single-source search (with predecessors) from the point's snap; every
//! amenity is then looked up through its edge's two ends or, on the same edge,
//! straight along it. The route runs point → connector → partial edge → whole
//! edges → partial edge → connector → amenity.

use super::graph::{NONE, WalkNetwork};
use super::search::{Seed, Tree, dijkstra, join_amenities, seeds_of};
use super::snap::Snap;
use crate::model::{Amenity, AmenityKind};
use crate::scenario::NetworkSettings;
use geo::{Coord, LineString, Point};

/// Why a query from one point cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    /// The network has no edges.
    #[error("het loopnetwerk is leeg")]
    EmptyNetwork,
    /// The point is not a finite coordinate.
    #[error("het punt is geen eindige coördinaat")]
    BadPoint,
    /// The nearest street is further than the maximum connector.
    #[error(
        "de dichtstbijzijnde looproute ligt op {connector_m:.0} m, meer dan de maximale aansluiting van {max_m:.0} m"
    )]
    TooFar {
        /// Connector length (m).
        connector_m: f64,
        /// The maximum (m).
        max_m: f64,
    },
}

/// Snaps a query point and searches from it (up to `limit` metres).
pub(crate) fn search_from(
    net: &WalkNetwork,
    from: Point<f64>,
    max_connector_m: f64,
    limit: f64,
    want_pred: bool,
) -> Result<(Snap, Tree), QueryError> {
    if net.edge_count() == 0 {
        return Err(QueryError::EmptyNetwork);
    }
    let s = net.snap(from).ok_or(QueryError::BadPoint)?;
    if s.connector_m > max_connector_m {
        return Err(QueryError::TooFar {
            connector_m: s.connector_m,
            max_m: max_connector_m,
        });
    }
    let seeds: [Seed; 2] = seeds_of(net, &s, 0);
    Ok((s, dijkstra(net, &seeds, limit, want_pred)))
}

/// The nearest amenity of one kind from a point.
#[derive(Debug, Clone, PartialEq)]
pub struct ReachResult {
    /// The amenity kind.
    pub kind: AmenityKind,
    /// Walking metres (connector + network + connector); `None` = none reachable.
    pub metres: Option<f64>,
    /// Index into the amenities slice of the nearest one.
    pub amenity: Option<u32>,
    /// The walking route from the point to the amenity (metres, working CRS).
    pub route: Option<LineString<f64>>,
}

/// How a target on the network is reached from the search origin.
enum Via {
    /// Straight along the origin's own edge.
    SameEdge,
    /// Through this end node of the target's edge.
    End(u32),
}

/// Best way from the origin (snap `o`, tree) to a target snap `t` (without `t`'s connector).
fn best_way(net: &WalkNetwork, tree: &Tree, o: &Snap, t: &Snap) -> (f64, Via) {
    let e = t.edge as usize;
    let (a, b) = (net.edge_from[e], net.edge_to[e]);
    let da = tree.dist[a as usize] + t.offset_m;
    let db = tree.dist[b as usize] + (net.edge_len[e] - t.offset_m).max(0.0);
    let mut best = if db < da {
        (db, Via::End(b))
    } else {
        (da, Via::End(a))
    };
    if t.edge == o.edge {
        let ds = o.connector_m + (o.offset_m - t.offset_m).abs();
        if ds <= best.0 {
            best = (ds, Via::SameEdge);
        }
    }
    best
}

fn push_all(out: &mut Vec<Coord<f64>>, pts: impl IntoIterator<Item = Coord<f64>>) {
    for p in pts {
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
}

/// The route from the origin snap to a target snap through `via`, as coordinates on the network.
fn route_coords(net: &WalkNetwork, tree: &Tree, o: &Snap, t: &Snap, via: &Via) -> Vec<Coord<f64>> {
    let mut out = Vec::new();
    let end = match via {
        Via::SameEdge => {
            push_all(&mut out, net.edge_slice(o.edge, o.offset_m, t.offset_m));
            return out;
        }
        Via::End(n) => *n,
    };
    // Walk predecessors back from the target's end node to a seed node.
    let mut chain: Vec<(u32, bool)> = Vec::new(); // (edge, forward)
    let mut v = end;
    let mut guard = 0usize;
    while tree.pred.get(v as usize).is_some_and(|&p| p != NONE) && guard <= net.node_count() {
        let e = tree.pred[v as usize] as usize;
        let (f, to) = (net.edge_from[e], net.edge_to[e]);
        let (other, forward) = if to == v { (f, true) } else { (to, false) };
        chain.push((e as u32, forward));
        v = other;
        guard += 1;
    }
    chain.reverse();
    // From the origin's snap point to the seed node v.
    let oe = o.edge as usize;
    let olen = net.edge_len[oe];
    let to_from_end = if net.edge_from[oe] == net.edge_to[oe] {
        o.offset_m <= olen - o.offset_m
    } else {
        v == net.edge_from[oe]
    };
    push_all(
        &mut out,
        net.edge_slice(o.edge, o.offset_m, if to_from_end { 0.0 } else { olen }),
    );
    for (e, forward) in chain {
        let c = net.edge_coords(e);
        if forward {
            push_all(&mut out, c.iter().copied());
        } else {
            push_all(&mut out, c.iter().rev().copied());
        }
    }
    let te = t.edge as usize;
    let start = if end == net.edge_from[te] {
        0.0
    } else {
        net.edge_len[te]
    };
    push_all(&mut out, net.edge_slice(t.edge, start, t.offset_m));
    out
}

/// Walking distance from a point to the nearest amenity of each kind present,
/// with the route. `from` is in the working CRS (the caller converts LON,LAT
/// or takes a building's [`anchor`](crate::model::Building::anchor)).
/// Amenities beyond the maximum connector are left out. One entry per kind
/// present among the amenities, in [`AmenityKind::ALL`] order.
///
/// # Units
/// Metres.
pub fn reach(
    net: &WalkNetwork,
    from: Point<f64>,
    amenities: &[Amenity],
    settings: &NetworkSettings,
) -> Result<Vec<ReachResult>, QueryError> {
    let (o, tree) = search_from(net, from, settings.max_connector_m, f64::INFINITY, true)?;
    let (asnaps, _) = join_amenities(net, amenities, settings);
    let mut out = Vec::new();
    for &kind in AmenityKind::ALL {
        if !amenities.iter().any(|a| a.kind == kind) {
            continue;
        }
        let mut best: Option<(f64, u32, Via)> = None;
        for (i, a) in amenities.iter().enumerate() {
            let Some(t) = (a.kind == kind).then_some(asnaps[i]).flatten() else {
                continue;
            };
            let (d, via) = best_way(net, &tree, &o, &t);
            let d = d + t.connector_m;
            if d.is_finite() && best.as_ref().is_none_or(|b| d < b.0) {
                best = Some((d, i as u32, via));
            }
        }
        out.push(match best {
            None => ReachResult {
                kind,
                metres: None,
                amenity: None,
                route: None,
            },
            Some((d, i, via)) => {
                let t = asnaps[i as usize].unwrap_or(o);
                let mut coords = vec![from.0];
                push_all(&mut coords, [o.point.0]);
                push_all(&mut coords, route_coords(net, &tree, &o, &t, &via));
                push_all(&mut coords, [t.point.0, amenities[i as usize].point.0]);
                if coords.len() == 1 {
                    coords.push(from.0);
                }
                ReachResult {
                    kind,
                    metres: Some(d),
                    amenity: Some(i),
                    route: Some(LineString(coords)),
                }
            }
        });
    }
    Ok(out)
}
