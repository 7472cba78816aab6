//! Brute-force oracle (tests only): an explicit split graph with a node at every
//! feature's joining point and one per feature, and a plain Dijkstra per building.

use super::graph::WalkNetwork;
use super::search::KindDistances;
use crate::model::{Amenity, AmenityKind, Building};
use crate::scenario::NetworkSettings;

fn dijkstra(adj: &[Vec<(usize, f64)>], src: usize) -> Vec<f64> {
    let mut dist = vec![f64::INFINITY; adj.len()];
    let mut done = vec![false; adj.len()];
    dist[src] = 0.0;
    let mut heap = std::collections::BinaryHeap::new();
    heap.push(std::cmp::Reverse((0u64, src)));
    while let Some(std::cmp::Reverse((bits, u))) = heap.pop() {
        if done[u] {
            continue;
        }
        done[u] = true;
        let d = f64::from_bits(bits);
        for &(v, w) in &adj[u] {
            if d + w < dist[v] {
                dist[v] = d + w;
                heap.push(std::cmp::Reverse((dist[v].to_bits(), v)));
            }
        }
    }
    dist
}

/// Same contract as [`super::distances`] (all kinds present), computed the slow way.
pub(crate) fn brute_distances(
    net: &WalkNetwork,
    buildings: &[Building],
    amenities: &[Amenity],
    settings: &NetworkSettings,
) -> Vec<KindDistances> {
    let n = net.node_count();
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let feature_node = |adj: &mut Vec<Vec<(usize, f64)>>| {
        adj.push(Vec::new());
        adj.len() - 1
    };
    // Joining points per edge: (offset, feature node, connector).
    let mut on_edge: Vec<Vec<(f64, usize, f64)>> = vec![Vec::new(); net.edge_count()];
    let mut bnode = vec![None; buildings.len()];
    for (i, b) in buildings.iter().enumerate() {
        if let Some(s) = net.snap_within(b.anchor(), settings.max_connector_m) {
            let f = feature_node(&mut adj);
            bnode[i] = Some(f);
            on_edge[s.edge as usize].push((s.offset_m, f, s.connector_m));
        }
    }
    let mut anode = vec![None; amenities.len()];
    for (i, a) in amenities.iter().enumerate() {
        if let Some(s) = net.snap_within(a.point, settings.max_connector_m) {
            let f = feature_node(&mut adj);
            anode[i] = Some(f);
            on_edge[s.edge as usize].push((s.offset_m, f, s.connector_m));
        }
    }
    for (e, pts) in on_edge.iter_mut().enumerate() {
        let mut pts = std::mem::take(pts);
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let len = net.edge_len[e];
        let mut prev = (net.edge_from[e] as usize, 0.0);
        for (off, f, c) in pts {
            let split = feature_node(&mut adj);
            adj[prev.0].push((split, off - prev.1));
            adj[split].push((prev.0, off - prev.1));
            adj[split].push((f, c));
            adj[f].push((split, c));
            prev = (split, off);
        }
        let to = net.edge_to[e] as usize;
        adj[prev.0].push((to, len - prev.1));
        adj[to].push((prev.0, len - prev.1));
    }
    let kinds: Vec<AmenityKind> = AmenityKind::ALL
        .iter()
        .copied()
        .filter(|k| amenities.iter().any(|a| a.kind == *k))
        .collect();
    let mut out: Vec<KindDistances> = kinds
        .iter()
        .map(|&kind| KindDistances::unreachable(kind, buildings.len()))
        .collect();
    for (i, b) in bnode.iter().enumerate() {
        let Some(b) = *b else { continue };
        let dist = dijkstra(&adj, b);
        for kd in out.iter_mut() {
            let mut best: Option<(f64, u32)> = None;
            for (j, a) in amenities.iter().enumerate() {
                if let (true, Some(an)) = (a.kind == kd.kind, anode[j]) {
                    let d = dist[an];
                    if d.is_finite() && best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, j as u32));
                    }
                }
            }
            kd.set(i, best);
        }
    }
    out
}
