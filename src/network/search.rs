//! Distances from every building to the nearest amenity of every kind.
//!
//! One multi-source Dijkstra per kind over the CSR graph (kinds run in
//! parallel): every amenity is a source, seeded at both ends of its edge with
//! connector + along-edge offset. The search leaves, per node, the distance to
//! the nearest amenity and which one. A building then takes the best of its
//! edge's two ends (plus the along-edge part and its own connector), and of any
//! amenity on its own edge (walking straight along it). Ties go to the lowest
//! amenity index, so results are deterministic.

use super::graph::{NONE, WalkNetwork};
use super::snap::Snap;
use crate::error::{Diagnostic, FeatureRef, Severity};
use crate::model::{Amenity, AmenityKind, Building};
use crate::scenario::{Doelgroep, NetworkSettings};
use geo::Point;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A search source: a node, a start distance (m) and a label (amenity index).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seed {
    pub node: u32,
    pub dist: f64,
    pub label: u32,
}

/// Result of a search: per node distance (m, infinite = unreached), label and
/// (optionally) the arc's edge used to arrive (`NONE` at seeds).
pub(crate) struct Tree {
    pub dist: Vec<f64>,
    pub label: Vec<u32>,
    pub pred: Vec<u32>,
}

/// Multi-source Dijkstra with a binary heap of (distance bits, node).
/// Non-negative f64 bit patterns order like the numbers, so the heap compares integers.
/// `limit` stops the search at that distance (nodes beyond stay infinite).
pub(crate) fn dijkstra(net: &WalkNetwork, seeds: &[Seed], limit: f64, want_pred: bool) -> Tree {
    let n = net.node_count();
    let mut dist = vec![f64::INFINITY; n];
    let mut label = vec![NONE; n];
    let mut pred = if want_pred { vec![NONE; n] } else { Vec::new() };
    let mut heap: BinaryHeap<Reverse<(u64, u32)>> = BinaryHeap::with_capacity(seeds.len() * 2 + 16);
    for s in seeds {
        let v = s.node as usize;
        if v < n
            && s.dist.is_finite()
            && s.dist >= 0.0
            && better(s.dist, s.label, dist[v], label[v])
        {
            dist[v] = s.dist;
            label[v] = s.label;
            if want_pred {
                pred[v] = NONE;
            }
            heap.push(Reverse((s.dist.to_bits(), s.node)));
        }
    }
    while let Some(Reverse((bits, u))) = heap.pop() {
        let d = f64::from_bits(bits);
        let ui = u as usize;
        if d > dist[ui] {
            continue;
        }
        if d > limit {
            break;
        }
        let lu = label[ui];
        for a in net.arcs(u) {
            let nd = d + a.len;
            let vi = a.to as usize;
            if better(nd, lu, dist[vi], label[vi]) {
                dist[vi] = nd;
                label[vi] = lu;
                if want_pred {
                    pred[vi] = a.edge;
                }
                heap.push(Reverse((nd.to_bits(), a.to)));
            }
        }
    }
    Tree { dist, label, pred }
}

/// Strictly better: shorter, or as short with a lower label.
#[inline]
fn better(d: f64, l: u32, d0: f64, l0: u32) -> bool {
    d < d0 || (d == d0 && l < l0)
}

/// The two seeds of a snapped feature.
pub(crate) fn seeds_of(net: &WalkNetwork, s: &Snap, label: u32) -> [Seed; 2] {
    let e = s.edge as usize;
    [
        Seed {
            node: net.edge_from[e],
            dist: s.connector_m + s.offset_m,
            label,
        },
        Seed {
            node: net.edge_to[e],
            dist: s.connector_m + (net.edge_len[e] - s.offset_m).max(0.0),
            label,
        },
    ]
}

/// Network distance (without the target's own connector) from a search tree to
/// a point on an edge, via the edge's two ends; with the label reached.
pub(crate) fn via_ends(net: &WalkNetwork, tree: &Tree, s: &Snap) -> (f64, u32) {
    let e = s.edge as usize;
    let (a, b) = (net.edge_from[e] as usize, net.edge_to[e] as usize);
    let da = tree.dist[a] + s.offset_m;
    let db = tree.dist[b] + (net.edge_len[e] - s.offset_m).max(0.0);
    if better(db, tree.label[b], da, tree.label[a]) {
        (db, tree.label[b])
    } else {
        (da, tree.label[a])
    }
}

/// Distances from every building to the nearest amenity of one kind.
///
/// One copy per plan, read by building index ([`KindDistances::metres`],
/// [`KindDistances::nearest`]): 12 bytes per building and kind (an `f64`
/// with an infinite sentinel and a `u32` with `u32::MAX`), half of the
/// `Option` pair it replaced (24 bytes; 0.25 GB at 1M buildings and 21
/// kinds). Metres stay `f64`: `f32` would move about one written value in a
/// thousand across a 0.1 m rounding boundary.
#[derive(Debug, Clone, PartialEq)]
pub struct KindDistances {
    /// The amenity kind.
    pub kind: AmenityKind,
    /// Per building (same order as the buildings slice): walking metres
    /// (connector + network + connector), infinite when unreachable. Single
    /// precision: within 0.5 mm below 8 km (the searches add in double
    /// precision, the reasons already show these f32 metres), and half the
    /// memory (84 MB of 1.7 GB at a million buildings and 21 kinds).
    metres: Vec<f32>,
    /// Per building: index into the amenities slice of the nearest one,
    /// `NO_AMENITY` when unreachable.
    nearest: Vec<u32>,
}

/// `KindDistances::nearest` of an unreachable building.
const NO_AMENITY: u32 = u32::MAX;

impl KindDistances {
    /// Every one of `buildings` unreachable.
    pub fn unreachable(kind: AmenityKind, buildings: usize) -> Self {
        KindDistances {
            kind,
            metres: vec![f32::INFINITY; buildings],
            nearest: vec![NO_AMENITY; buildings],
        }
    }
    /// The entry for a kind in a list from [`distances`].
    pub fn find(list: &[KindDistances], kind: AmenityKind) -> Option<&KindDistances> {
        list.iter().find(|k| k.kind == kind)
    }
    /// Number of buildings.
    pub fn len(&self) -> usize {
        self.metres.len()
    }
    /// No buildings.
    pub fn is_empty(&self) -> bool {
        self.metres.is_empty()
    }
    /// Walking metres from building `i` (index into the buildings given to
    /// [`distances`]) to the nearest amenity of this kind; `None` when it is
    /// unreachable or `i` is out of range.
    #[inline]
    pub fn metres(&self, i: usize) -> Option<f64> {
        self.metres
            .get(i)
            .copied()
            .filter(|m| m.is_finite())
            .map(f64::from)
    }
    /// Index in the amenities slice of building `i`'s nearest amenity of this
    /// kind; `None` when it is unreachable or `i` is out of range.
    #[inline]
    pub fn nearest(&self, i: usize) -> Option<u32> {
        self.nearest
            .get(i)
            .copied()
            .filter(|&a| a != NO_AMENITY && self.metres(i).is_some())
    }
    /// Both at once: `(metres, amenity index)`, `None` when unreachable.
    #[inline]
    pub fn get(&self, i: usize) -> Option<(f64, u32)> {
        self.metres(i).zip(self.nearest(i))
    }
    /// Frees the nearest amenities (4 B per building), keeping the distances:
    /// afterwards [`KindDistances::nearest`] and [`KindDistances::get`] say
    /// `None` for every building, [`KindDistances::metres`] is unchanged.
    /// For a caller that only writes the outputs, which read the distances.
    pub fn drop_nearest(&mut self) {
        self.nearest = Vec::new();
    }
    /// Sets building `i`'s entry (`None` = unreachable). Panics when `i` is
    /// out of range. A non-finite distance or amenity index `u32::MAX` is
    /// stored as unreachable.
    pub fn set(&mut self, i: usize, value: Option<(f64, u32)>) {
        match value {
            Some((m, a)) if m.is_finite() && a != NO_AMENITY => {
                self.metres[i] = m as f32;
                self.nearest[i] = a;
            }
            _ => {
                self.metres[i] = f32::INFINITY;
                self.nearest[i] = NO_AMENITY;
            }
        }
    }
}

fn feature_diag(
    layer: &str,
    index: usize,
    id: &str,
    code: &'static str,
    message: String,
) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        layer: layer.into(),
        file: None,
        feature: Some(FeatureRef {
            index,
            id: Some(id.to_string()),
        }),
        code,
        message,
    }
}

/// Snaps features, keeping those within the maximum connector; diagnostics for
/// the others and for those landing on an island.
pub(crate) fn join_features(
    net: &WalkNetwork,
    points: &[Point<f64>],
    ids: &dyn Fn(usize) -> String,
    layer: &str,
    settings: &NetworkSettings,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<Snap>> {
    let snaps = net.snap_all(points);
    let mut out = Vec::with_capacity(snaps.len());
    for (i, s) in snaps.into_iter().enumerate() {
        match s {
            None if net.edge_count() == 0 => out.push(None),
            None => {
                diags.push(feature_diag(
                    layer,
                    i,
                    &ids(i),
                    "no_location",
                    "heeft geen bruikbare ligging; geen loopafstanden".into(),
                ));
                out.push(None);
            }
            Some(s) if s.connector_m > settings.max_connector_m => {
                diags.push(feature_diag(
                    layer,
                    i,
                    &ids(i),
                    "unreachable_connector",
                    format!(
                        "dichtstbijzijnde looproute ligt op {} m (meer dan de maximale aansluiting van {} m); onbereikbaar",
                        crate::labels::nl_number(s.connector_m, 0),
                        crate::labels::nl_number(settings.max_connector_m, 0)
                    ),
                ));
                out.push(None);
            }
            Some(s) => {
                let comp = net.component_of_edge(s.edge).unwrap_or(0);
                // Every feature on a part cut off from the main network is
                // named, whatever the length of its part: its distances are
                // missing or partial. A network of its own (another kern, see
                // `Component::separate`) is named once, by its streets.
                if net.is_cut_off(comp)
                    && let Some(c) = net.components.get(comp)
                {
                    let part = if c.island {
                        "los stuk netwerk"
                    } else {
                        "afgesneden deel van het netwerk"
                    };
                    diags.push(feature_diag(
                        layer,
                        i,
                        &ids(i),
                        "island",
                        format!(
                            "sluit aan op een {part} ({} m straat), niet verbonden met het hoofdnetwerk",
                            crate::labels::nl_number(c.length_m, 0)
                        ),
                    ));
                }
                out.push(Some(s));
            }
        }
    }
    out
}

/// Amenities of one kind, grouped for the same-edge case: sorted (edge, index).
fn kind_sources(
    snaps: &[Option<Snap>],
    amenities: &[Amenity],
    kind: AmenityKind,
) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = amenities
        .iter()
        .enumerate()
        .filter(|(i, a)| a.kind == kind && snaps[*i].is_some())
        .filter_map(|(i, _)| snaps[i].map(|s| (s.edge, i as u32)))
        .collect();
    v.sort_unstable();
    v
}

/// Distance from a snapped point to the nearest source of one kind, with its label.
pub(crate) fn best_for(
    net: &WalkNetwork,
    tree: &Tree,
    on_edge: &[(u32, u32)],
    amenity_snaps: &[Option<Snap>],
    s: &Snap,
) -> Option<(f64, u32)> {
    let (mut d, mut l) = via_ends(net, tree, s);
    let start = on_edge.partition_point(|&(e, _)| e < s.edge);
    for &(e, i) in &on_edge[start..] {
        if e != s.edge {
            break;
        }
        if let Some(a) = amenity_snaps[i as usize] {
            let da = a.connector_m + (a.offset_m - s.offset_m).abs();
            if better(da, i, d, l) {
                d = da;
                l = i;
            }
        }
    }
    (d.is_finite() && l != NONE).then_some((d + s.connector_m, l))
}

/// For every building and every amenity kind present, the walking distance to
/// the nearest amenity of that kind and which one.
///
/// One multi-source search per kind (kinds in parallel); buildings and
/// amenities join the network at the nearest point of the nearest edge, and a
/// connector longer than `settings.max_connector_m` makes the feature
/// unreachable (with a diagnostic). The result has one entry per kind present
/// among the amenities, in [`AmenityKind::ALL`] order.
///
/// # Units
/// Metres.
pub fn distances(
    net: &WalkNetwork,
    buildings: &[Building],
    amenities: &[Amenity],
    settings: &NetworkSettings,
) -> (Vec<KindDistances>, Vec<Diagnostic>) {
    let anchors: Vec<Point<f64>> = buildings.par_iter().map(Building::anchor).collect();
    let mut diags = Vec::new();
    let bsnaps = join_features(
        net,
        &anchors,
        &|i| buildings[i].id.clone(),
        "buildings",
        settings,
        &mut diags,
    );
    drop(anchors);
    let (asnaps, mut adiags) = join_amenities(net, amenities, settings);
    diags.append(&mut adiags);
    let kinds: Vec<AmenityKind> = AmenityKind::ALL
        .iter()
        .copied()
        .filter(|k| amenities.iter().any(|a| a.kind == *k))
        .collect();
    let out = kinds
        .par_iter()
        .map(|&kind| kind_distances(net, &bsnaps, &asnaps, amenities, kind))
        .collect();
    (out, diags)
}

/// Snaps the amenities (see [`distances`]); `None` = unreachable.
pub(crate) fn join_amenities(
    net: &WalkNetwork,
    amenities: &[Amenity],
    settings: &NetworkSettings,
) -> (Vec<Option<Snap>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let pts: Vec<Point<f64>> = amenities.iter().map(|a| a.point).collect();
    let snaps = join_features(
        net,
        &pts,
        &|i| amenities[i].id.clone(),
        "amenities",
        settings,
        &mut diags,
    );
    (snaps, diags)
}

/// The multi-source search of one kind.
pub(crate) fn kind_tree(
    net: &WalkNetwork,
    asnaps: &[Option<Snap>],
    amenities: &[Amenity],
    kind: AmenityKind,
    limit: f64,
) -> (Tree, Vec<(u32, u32)>) {
    let sources = kind_sources(asnaps, amenities, kind);
    let mut seeds = Vec::with_capacity(sources.len() * 2);
    for &(_, i) in &sources {
        if let Some(s) = &asnaps[i as usize] {
            seeds.extend(seeds_of(net, s, i));
        }
    }
    (dijkstra(net, &seeds, limit, false), sources)
}

/// Distances of one kind for snapped buildings.
pub(crate) fn kind_distances(
    net: &WalkNetwork,
    bsnaps: &[Option<Snap>],
    asnaps: &[Option<Snap>],
    amenities: &[Amenity],
    kind: AmenityKind,
) -> KindDistances {
    let (tree, sources) = kind_tree(net, asnaps, amenities, kind, f64::INFINITY);
    let mut out = KindDistances::unreachable(kind, bsnaps.len());
    for (i, s) in bsnaps.iter().enumerate() {
        if let Some(s) = s {
            out.set(i, best_for(net, &tree, &sources, asnaps, s));
        }
    }
    out
}

/// One need of a doelgroep for one building.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedResult {
    /// The amenity kind needed.
    pub kind: AmenityKind,
    /// The group's maximum walking minutes.
    pub max_minutes: f64,
    /// Walking minutes at the group's speed (`None` = unreachable or none of this kind).
    pub minutes: Option<f64>,
    /// Walking metres (`None` as above).
    pub metres: Option<f64>,
    /// Within the maximum.
    pub met: bool,
}

/// True when `minutes` of walking are within `max_minutes`, compared as the
/// reader sees them (rounded to 0.1 min): 5.04 min meets a 5-minute need.
/// The one rule behind needs_met, the verdicts
/// ([`need_share`](crate::rules::suitability::need_share)) and the coverage
/// counts ([`need_met`]).
pub fn minutes_within(minutes: f64, max_minutes: f64) -> bool {
    (minutes * 10.0).round() / 10.0 <= max_minutes
}

/// True when `metres` of walking meet a need of `max_minutes` for `group`
/// ([`minutes_within`] at the group's speed).
pub fn need_met(group: &Doelgroep, metres: f64, max_minutes: f64) -> bool {
    minutes_within(group.minutes(metres), max_minutes)
}

/// The needs of a doelgroep for one building (index into the buildings given
/// to [`distances`]), in kind order. A kind without any amenity is unmet.
pub fn needs(group: &Doelgroep, kd: &[KindDistances], building: usize) -> Vec<NeedResult> {
    group
        .needs_minutes
        .iter()
        .map(|(&kind, &max_minutes)| {
            let metres = KindDistances::find(kd, kind).and_then(|k| k.metres(building));
            NeedResult {
                kind,
                max_minutes,
                minutes: metres.map(|m| group.minutes(m)),
                metres,
                met: metres.is_some_and(|m| need_met(group, m, max_minutes)),
            }
        })
        .collect()
}

#[cfg(test)]
mod kind_distances_tests {
    use super::*;

    /// Unreachable is one state whatever way it is set; out of range is `None`.
    #[test]
    fn unreachable_sentinels_read_as_none() {
        let mut k = KindDistances::unreachable(AmenityKind::Gp, 3);
        assert_eq!(k.len(), 3);
        k.set(0, Some((412.25, 7)));
        k.set(1, Some((f64::NAN, 2)));
        k.set(2, Some((10.0, u32::MAX)));
        assert_eq!(k.get(0), Some((412.25, 7)));
        assert_eq!((k.metres(0), k.nearest(0)), (Some(412.25), Some(7)));
        for i in [1, 2, 3] {
            assert_eq!(
                (k.metres(i), k.nearest(i), k.get(i)),
                (None, None, None),
                "{i}"
            );
        }
        k.set(0, None);
        assert_eq!(k, KindDistances::unreachable(AmenityKind::Gp, 3));
    }

    /// Dropping the nearest amenities keeps every distance.
    #[test]
    fn drop_nearest_keeps_the_distances() {
        let mut k = KindDistances::unreachable(AmenityKind::Gp, 3);
        k.set(0, Some((412.25, 7)));
        k.set(2, Some((10.5, 1)));
        k.drop_nearest();
        assert_eq!(k.len(), 3);
        assert_eq!(
            (0..4).map(|i| k.metres(i)).collect::<Vec<_>>(),
            [Some(412.25), None, Some(10.5), None]
        );
        assert!((0..4).all(|i| k.nearest(i).is_none() && k.get(i).is_none()));
    }
}
