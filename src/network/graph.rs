//! Noding and the compressed graph: streets in, an immutable [`WalkNetwork`] out.
//!
//! Lines join where they share a vertex (bitwise-equal coordinates, as OSM ways
//! do). Line endpoints snap to any vertex within the snap tolerance (union-find
//! clusters, so chains of close points become one node; the node sits on the
//! cluster's first vertex). A line end with no vertex that near but on, or
//! within the tolerance of, another line at the same grade splits that line
//! (a T-junction, `noding.rs`). Lines that cross without a shared vertex stay
//! apart (bridges, tunnels) unless `node_crossings` asks for a node at every
//! crossing at the same grade (hand-drawn data). Nodes are line endpoints, shared vertices and snapped
//! vertices; edges are the pieces of line between two nodes, each keeping its
//! polyline so that partial edges can be drawn.
//!
//! Invariants: every edge has a positive, finite length and at least two
//! coordinates; the adjacency is CSR (`adj_start[n]..adj_start[n + 1]`),
//! self-loops are kept as edges (they can be snapped to) but not as arcs.

use super::noding;
use crate::error::{Diagnostic, FeatureRef, Severity};
use crate::model::Street;
use crate::scenario::NetworkSettings;
use geo::Coord;
use rstar::{AABB, PointDistance, RTree, RTreeObject};
use std::collections::HashMap;

/// Sentinel for "no node / no edge".
pub(crate) const NONE: u32 = u32::MAX;

/// One arc of the CSR adjacency.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Arc {
    /// Head node.
    pub to: u32,
    /// Edge the arc runs along.
    pub edge: u32,
    /// Length in metres.
    pub len: f64,
}

/// Segments per index entry: fewer, fatter R-tree entries build much faster
/// (bulk loading dominates network construction) and query about as fast.
pub(crate) const PIECE_SEGS: usize = 8;

/// Up to [`PIECE_SEGS`] consecutive segments of one edge, for the exact
/// nearest-edge query. Its distance is the exact distance to the polyline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seg {
    /// Vertices; the first `n + 1` are used.
    pub pts: [[f64; 2]; PIECE_SEGS + 1],
    /// Number of segments (1..=PIECE_SEGS).
    pub n: u8,
    /// Edge the piece belongs to.
    pub edge: u32,
    /// Distance along the edge to the first vertex (m).
    pub offset: f64,
}

/// Closest point on segment a-b to p: (parameter 0..=1, point, squared distance).
#[inline]
pub(crate) fn closest_on(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> (f64, [f64; 2], f64) {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let l2 = dx * dx + dy * dy;
    let t = if l2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let q = [a[0] + t * dx, a[1] + t * dy];
    let (ex, ey) = (p[0] - q[0], p[1] - q[1]);
    (t, q, ex * ex + ey * ey)
}

impl Seg {
    /// The closest point of the piece to `p`: (offset along the edge, point,
    /// squared distance); the first segment wins ties.
    pub fn closest(&self, p: [f64; 2]) -> (f64, [f64; 2], f64) {
        let mut best = (self.offset, self.pts[0], f64::INFINITY);
        let mut off = self.offset;
        for k in 0..self.n as usize {
            let (a, b) = (self.pts[k], self.pts[k + 1]);
            let (t, q, d2) = closest_on(a, b, p);
            let l = (b[0] - a[0]).hypot(b[1] - a[1]);
            if d2 < best.2 {
                best = (off + t * l, q, d2);
            }
            off += l;
        }
        best
    }
}

impl RTreeObject for Seg {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_points(self.pts[..=self.n as usize].iter())
    }
}

impl PointDistance for Seg {
    /// Exact squared distance from the point to the polyline piece (not to its envelope).
    fn distance_2(&self, p: &[f64; 2]) -> f64 {
        let mut best = f64::INFINITY;
        for k in 0..self.n as usize {
            best = best.min(closest_on(self.pts[k], self.pts[k + 1], *p).2);
        }
        best
    }
}

/// A connected part of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// Number of nodes.
    pub nodes: usize,
    /// Number of edges.
    pub edges: usize,
    /// Total street length (m).
    pub length_m: f64,
    /// A small island: shorter than `island_max_length_m` and not the largest component.
    pub island: bool,
    /// A network of its own: not the largest component, not an island, at
    /// least [`SEPARATE_NETWORK_MIN_M`] of street, and
    /// nowhere within [`SEPARATE_NETWORK_GAP_M`] of another part that is no
    /// island (a village or a town across open land, another kern of the
    /// gemeente). Distances there are measured within it, as in the largest;
    /// its buildings are not named as cut off. A part closer than that to
    /// another is cut off (a bridge, a crossing or a path missing in the data).
    pub separate: bool,
}

/// Parts of the walking network farther apart than this (m) are separate
/// networks (see [`Component::separate`]); closer, the smaller is a part cut
/// off by a missing link. 100 m: wider than the canals and streets a missing
/// bridge or crossing leaves open in a Dutch centre (10-60 m), narrower than the
/// open land between two kernen.
pub const SEPARATE_NETWORK_GAP_M: f64 = 100.0;

/// A separate network has at least this much street (m): a hamlet has more;
/// a shorter lone piece is a part cut off (a path, a yard drawn apart).
pub const SEPARATE_NETWORK_MIN_M: f64 = 1000.0;

/// The walking network: noded, compressed, indexed. Build once, query many.
#[derive(Debug)]
pub struct WalkNetwork {
    pub(crate) node_xy: Vec<Coord<f64>>,
    pub(crate) adj_start: Vec<u32>,
    pub(crate) adj: Vec<Arc>,
    pub(crate) edge_from: Vec<u32>,
    pub(crate) edge_to: Vec<u32>,
    pub(crate) edge_len: Vec<f64>,
    pub(crate) edge_street: Vec<u32>,
    pub(crate) edge_coord_start: Vec<u32>,
    pub(crate) coords: Vec<Coord<f64>>,
    pub(crate) node_component: Vec<u32>,
    pub(crate) components: Vec<Component>,
    /// The largest component (by street length), if any.
    pub(crate) main_component: Option<usize>,
    pub(crate) segs: RTree<Seg>,
}

/// A small multiplicative hasher for integer keys (FxHash's constant); the
/// keys are coordinate bits and grid cells, not attacker-controlled.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(*b as u64);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_i64(&mut self, i: i64) {
        self.write_u64(i as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

fn key(c: Coord<f64>) -> (u64, u64) {
    // +0.0 normalises -0.0 so that both spellings of zero meet.
    ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits())
}

/// Largest coordinate magnitude accepted (m): far beyond any metric CRS, small
/// enough that squared distances cannot overflow.
pub(crate) const MAX_COORD: f64 = 1e9;

/// Finite and within [`MAX_COORD`].
pub(crate) fn in_range(c: Coord<f64>) -> bool {
    c.x.abs() <= MAX_COORD && c.y.abs() <= MAX_COORD
}

fn dist(a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// Union-find whose root is always the smallest member (deterministic).
pub(crate) struct MinUnionFind(Vec<u32>);

impl MinUnionFind {
    pub fn new(n: usize) -> Self {
        MinUnionFind((0..n as u32).collect())
    }
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let p = self.0[x as usize];
            self.0[x as usize] = self.0[p as usize];
            x = p;
        }
        x
    }
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi as usize] = lo;
        }
    }
}

fn street_diag(streets: &[Street], i: usize, code: &'static str, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        layer: "streets".into(),
        file: None,
        feature: Some(FeatureRef {
            index: i,
            id: Some(streets[i].id.clone()),
        }),
        code,
        message,
    }
}

/// Cleans a street line: no non-finite coordinates, no repeated points.
fn clean(street: &Street) -> Result<Vec<Coord<f64>>, &'static str> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(street.line.0.len());
    for c in &street.line.0 {
        if !in_range(*c) {
            return Err(
                "heeft een coördinaat die geen eindig getal is of buiten bereik ligt (verder dan 1e9 m); overgeslagen",
            );
        }
        if out.last() != Some(c) {
            out.push(*c);
        }
    }
    if out.len() < 2 {
        return Err("heeft lengte nul; overgeslagen");
    }
    Ok(out)
}

/// Sets [`Component::separate`]: a component that is neither the largest nor
/// an island and has [`SEPARATE_NETWORK_MIN_M`] of street is separate when no node of it lies within
/// [`SEPARATE_NETWORK_GAP_M`] of a street of another non-island component.
/// Components whose boxes (grown by the gap) meet no other box are separate
/// without looking at their nodes, so towns kilometres apart cost nothing.
fn mark_separate(
    components: &mut [Component],
    largest: Option<usize>,
    node_xy: &[Coord<f64>],
    node_component: &[u32],
    edge_from: &[u32],
    segs: &RTree<Seg>,
) {
    use rstar::primitives::{GeomWithData, Rectangle};
    let gap = SEPARATE_NETWORK_GAP_M;
    let candidate = |i: usize, c: &Component| {
        Some(i) != largest && !c.island && c.edges > 0 && c.length_m >= SEPARATE_NETWORK_MIN_M
    };
    if !components.iter().enumerate().any(|(i, c)| candidate(i, c)) {
        return;
    }
    let mut boxes: Vec<Option<[f64; 4]>> = vec![None; components.len()];
    for (p, &c) in node_xy.iter().zip(node_component) {
        let b = &mut boxes[c as usize];
        *b = Some(match *b {
            None => [p.x, p.y, p.x, p.y],
            Some([w, s, e, n]) => [w.min(p.x), s.min(p.y), e.max(p.x), n.max(p.y)],
        });
    }
    // Boxes of every part that is no island (the largest included).
    let others: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = components
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.island && c.edges > 0)
        .filter_map(|(i, _)| {
            let [w, s, e, n] = boxes[i]?;
            Some(GeomWithData::new(
                Rectangle::from_corners([w, s], [e, n]),
                i,
            ))
        })
        .collect();
    let others = RTree::bulk_load(others);
    let mut nodes_of: Vec<Vec<u32>> = vec![Vec::new(); components.len()];
    for (n, &c) in node_component.iter().enumerate() {
        if candidate(c as usize, &components[c as usize]) {
            nodes_of[c as usize].push(n as u32);
        }
    }
    for i in 0..components.len() {
        if !candidate(i, &components[i]) {
            continue;
        }
        let Some([w, s, e, n]) = boxes[i] else {
            continue;
        };
        let near: Vec<usize> = others
            .locate_in_envelope_intersecting(&rstar::AABB::from_corners(
                [w - gap, s - gap],
                [e + gap, n + gap],
            ))
            .map(|r| r.data)
            .filter(|&k| k != i)
            .collect();
        let close = !near.is_empty()
            && nodes_of[i].iter().any(|&node| {
                let p = node_xy[node as usize];
                segs.locate_in_envelope_intersecting(&rstar::AABB::from_corners(
                    [p.x - gap, p.y - gap],
                    [p.x + gap, p.y + gap],
                ))
                .any(|seg| {
                    let k = node_component[edge_from[seg.edge as usize] as usize] as usize;
                    near.contains(&k) && seg.distance_2(&[p.x, p.y]) <= gap * gap
                })
            });
        components[i].separate = !close;
    }
}

impl WalkNetwork {
    /// Whether component `c` is cut off: not the largest, and not a network of
    /// its own ([`Component::separate`]). Its buildings' distances are missing
    /// or partial because of the data, and are named as such.
    pub fn is_cut_off(&self, c: usize) -> bool {
        self.main_component.is_some_and(|m| m != c)
            && self.components.get(c).is_some_and(|k| !k.separate)
    }

    /// Nodes and indexes the streets.
    ///
    /// Bad streets (non-finite coordinates, zero length) are skipped with a
    /// diagnostic; every small island (see [`Component::island`]) gets one.
    /// Never panics; an empty layer gives an empty network.
    ///
    /// # Units
    /// Coordinates and settings in metres (the working CRS).
    pub fn build(streets: &[Street], settings: &NetworkSettings) -> (WalkNetwork, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut lines: Vec<Vec<Coord<f64>>> = Vec::new();
        let mut line_street: Vec<u32> = Vec::new();
        for (i, s) in streets.iter().enumerate() {
            match clean(s) {
                Ok(l) => {
                    lines.push(l);
                    line_street.push(i as u32);
                }
                Err(why) => diags.push(street_diag(
                    streets,
                    i,
                    "invalid_geometry",
                    format!("street {why}"),
                )),
            }
        }
        let grade: Vec<&crate::model::Grade> = line_street
            .iter()
            .map(|&s| &streets[s as usize].grade)
            .collect();
        let grade = noding::grade_ids(&grade);
        if settings.node_crossings {
            noding::node_crossings(&mut lines, &grade);
        }
        noding::snap_t_junctions(&mut lines, &grade, settings.snap_tolerance_m);

        // Unique vertices, in order of first appearance.
        let total: usize = lines.iter().map(Vec::len).sum();
        let mut ids: FxMap<(u64, u64), u32> =
            FxMap::with_capacity_and_hasher(total, Default::default());
        let mut uniq: Vec<Coord<f64>> = Vec::with_capacity(total);
        let mut count: Vec<u8> = Vec::with_capacity(total);
        let mut endpoint: Vec<bool> = Vec::with_capacity(total);
        let mut line_vids: Vec<Vec<u32>> = Vec::with_capacity(lines.len());
        for l in &lines {
            let mut v = Vec::with_capacity(l.len());
            for (j, c) in l.iter().enumerate() {
                let id = *ids.entry(key(*c)).or_insert_with(|| {
                    uniq.push(*c);
                    count.push(0);
                    endpoint.push(false);
                    (uniq.len() - 1) as u32
                });
                count[id as usize] = count[id as usize].saturating_add(1);
                if j == 0 || j + 1 == l.len() {
                    endpoint[id as usize] = true;
                }
                v.push(id);
            }
            line_vids.push(v);
        }
        drop(ids);

        // Endpoint snapping: endpoints join any vertex within the tolerance.
        let mut uf = MinUnionFind::new(uniq.len());
        let tol = settings.snap_tolerance_m;
        // Below a micrometre snapping is off (and grid cells would overflow).
        if tol >= 1e-6 && tol.is_finite() {
            let cell = |c: Coord<f64>| {
                let f = |v: f64| (v / tol).floor().clamp(-1e16, 1e16) as i64;
                (f(c.x), f(c.y))
            };
            // Grid of endpoints only; every vertex looks for endpoints near it.
            let mut grid: FxMap<(i64, i64), Vec<u32>> = FxMap::default();
            for (i, c) in uniq.iter().enumerate() {
                if endpoint[i] {
                    grid.entry(cell(*c)).or_default().push(i as u32);
                }
            }
            for (i, c) in uniq.iter().enumerate() {
                let (cx, cy) = cell(*c);
                for gx in cx - 1..=cx + 1 {
                    for gy in cy - 1..=cy + 1 {
                        if let Some(list) = grid.get(&(gx, gy)) {
                            for &j in list {
                                if j as usize != i && dist(*c, uniq[j as usize]) <= tol {
                                    uf.union(i as u32, j);
                                }
                            }
                        }
                    }
                }
            }
        }
        // A vertex is a node when it ends a line, is shared, or was snapped.
        let mut node_of: Vec<u32> = vec![NONE; uniq.len()];
        let mut node_xy: Vec<Coord<f64>> = Vec::new();
        for i in 0..uniq.len() {
            let r = uf.find(i as u32) as usize;
            let is_node = endpoint[i] || count[i] >= 2 || r != i || node_of[r] != NONE;
            if !is_node {
                continue;
            }
            if node_of[r] == NONE {
                node_of[r] = node_xy.len() as u32;
                node_xy.push(uniq[r]);
            }
            node_of[i] = node_of[r];
        }
        // A root that only became a node through a later member is marked above;
        // members seen before their root cannot exist because the root is the minimum.

        // Split lines into edges.
        let mut edge_from = Vec::new();
        let mut edge_to = Vec::new();
        let mut edge_len = Vec::new();
        let mut edge_street = Vec::new();
        let mut edge_coord_start = vec![0u32];
        let mut coords: Vec<Coord<f64>> = Vec::with_capacity(total);
        for (li, vids) in line_vids.iter().enumerate() {
            let mut start = coords.len();
            let mut from = node_of[vids[0] as usize];
            coords.push(node_xy[from as usize]);
            for &v in &vids[1..] {
                let n = node_of[v as usize];
                let c = if n != NONE {
                    node_xy[n as usize]
                } else {
                    uniq[v as usize]
                };
                if coords.last() != Some(&c) || coords.len() == start {
                    coords.push(c);
                }
                if n == NONE {
                    continue;
                }
                let piece = &coords[start..];
                let len: f64 = piece.windows(2).map(|w| dist(w[0], w[1])).sum();
                if piece.len() >= 2 && len > 0.0 && len.is_finite() {
                    edge_from.push(from);
                    edge_to.push(n);
                    edge_len.push(len);
                    edge_street.push(line_street[li]);
                    edge_coord_start.push(coords.len() as u32);
                } else {
                    coords.truncate(start);
                }
                start = coords.len();
                coords.push(node_xy[n as usize]);
                from = n;
            }
            coords.truncate(start);
        }
        coords.shrink_to_fit();
        drop(line_vids);
        drop(uniq);

        // CSR adjacency, arcs in edge order.
        let n = node_xy.len();
        let mut deg = vec![0u32; n + 1];
        for e in 0..edge_from.len() {
            if edge_from[e] != edge_to[e] {
                deg[edge_from[e] as usize] += 1;
                deg[edge_to[e] as usize] += 1;
            }
        }
        let mut adj_start = vec![0u32; n + 1];
        for i in 0..n {
            adj_start[i + 1] = adj_start[i] + deg[i];
        }
        let mut fill: Vec<u32> = adj_start[..n].to_vec();
        let mut adj = vec![
            Arc {
                to: 0,
                edge: 0,
                len: 0.0
            };
            adj_start[n] as usize
        ];
        for e in 0..edge_from.len() {
            let (a, b) = (edge_from[e], edge_to[e]);
            if a == b {
                continue;
            }
            let len = edge_len[e];
            adj[fill[a as usize] as usize] = Arc {
                to: b,
                edge: e as u32,
                len,
            };
            fill[a as usize] += 1;
            adj[fill[b as usize] as usize] = Arc {
                to: a,
                edge: e as u32,
                len,
            };
            fill[b as usize] += 1;
        }

        // Components.
        let mut cuf = MinUnionFind::new(n);
        for e in 0..edge_from.len() {
            cuf.union(edge_from[e], edge_to[e]);
        }
        let mut comp_of_root: Vec<u32> = vec![NONE; n];
        let mut node_component = vec![0u32; n];
        let mut components: Vec<Component> = Vec::new();
        for (i, slot) in node_component.iter_mut().enumerate() {
            let r = cuf.find(i as u32) as usize;
            if comp_of_root[r] == NONE {
                comp_of_root[r] = components.len() as u32;
                components.push(Component {
                    nodes: 0,
                    edges: 0,
                    length_m: 0.0,
                    island: false,
                    separate: false,
                });
            }
            *slot = comp_of_root[r];
            components[comp_of_root[r] as usize].nodes += 1;
        }
        let mut comp_street: Vec<u32> = vec![NONE; components.len()];
        for e in 0..edge_from.len() {
            let c = node_component[edge_from[e] as usize] as usize;
            components[c].edges += 1;
            components[c].length_m += edge_len[e];
            comp_street[c] = comp_street[c].min(edge_street[e]);
        }
        let largest = components
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.length_m.total_cmp(&b.1.length_m).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i);
        for (i, c) in components.iter_mut().enumerate() {
            if Some(i) != largest && c.length_m < settings.island_max_length_m {
                c.island = true;
                if comp_street[i] != NONE {
                    diags.push(street_diag(
                        streets,
                        comp_street[i] as usize,
                        "island",
                        format!(
                            "straat ligt op een los stuk netwerk van {} m ({}), niet verbonden met het hoofdnetwerk",
                            crate::labels::nl_number(c.length_m, 0),
                            crate::labels::aantal(c.edges as u64, "straatdeel", "straatdelen")
                        ),
                    ));
                }
            }
        }

        if edge_from.is_empty() {
            diags.push(Diagnostic {
                severity: Severity::Warning,
                layer: "streets".into(),
                file: None,
                feature: None,
                code: "empty_network",
                message: "geen bruikbare straat: elke loopafstand is onbekend".into(),
            });
        }

        // Segment index for exact nearest-edge queries.
        let mut segs = Vec::with_capacity(coords.len() / PIECE_SEGS + edge_from.len());
        for e in 0..edge_from.len() {
            let piece = &coords[edge_coord_start[e] as usize..edge_coord_start[e + 1] as usize];
            let mut off = 0.0;
            let mut k = 0;
            while k + 1 < piece.len() {
                let n = (piece.len() - 1 - k).min(PIECE_SEGS);
                let mut pts = [[0.0; 2]; PIECE_SEGS + 1];
                for (j, c) in piece[k..=k + n].iter().enumerate() {
                    pts[j] = [c.x, c.y];
                }
                segs.push(Seg {
                    pts,
                    n: n as u8,
                    edge: e as u32,
                    offset: off,
                });
                off += piece[k..=k + n]
                    .windows(2)
                    .map(|w| dist(w[0], w[1]))
                    .sum::<f64>();
                k += n;
            }
        }
        let segs = RTree::bulk_load(segs);
        mark_separate(
            &mut components,
            largest,
            &node_xy,
            &node_component,
            &edge_from,
            &segs,
        );
        for (i, c) in components.iter().enumerate() {
            if c.separate && comp_street[i] != NONE {
                diags.push(street_diag(
                    streets,
                    comp_street[i] as usize,
                    "separate_network",
                    format!(
                        "straat ligt op een eigen straatnet van {} m ({}), meer dan {} m van elk ander: een andere kern of een gebied apart; loopafstanden worden daarbinnen gemeten",
                        crate::labels::nl_number(c.length_m, 0),
                        crate::labels::aantal(c.edges as u64, "straatdeel", "straatdelen"),
                        SEPARATE_NETWORK_GAP_M
                    ),
                ));
            }
        }

        (
            WalkNetwork {
                node_xy,
                adj_start,
                adj,
                edge_from,
                edge_to,
                edge_len,
                edge_street,
                edge_coord_start,
                coords,
                node_component,
                components,
                main_component: largest,
                segs,
            },
            diags,
        )
    }

    /// Number of nodes (junctions, line ends, snapped points).
    pub fn node_count(&self) -> usize {
        self.node_xy.len()
    }

    /// Number of edges (pieces of street between two nodes).
    pub fn edge_count(&self) -> usize {
        self.edge_len.len()
    }

    /// The connected components, largest first is not guaranteed: in order of
    /// their first node. See [`WalkNetwork::component_of_edge`].
    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// The largest component (by street length): the main network.
    pub fn main_component(&self) -> Option<usize> {
        self.main_component
    }

    /// The component an edge belongs to.
    pub fn component_of_edge(&self, edge: u32) -> Option<usize> {
        let from = *self.edge_from.get(edge as usize)?;
        Some(self.node_component[from as usize] as usize)
    }

    /// Length of an edge in metres.
    pub fn edge_length(&self, edge: u32) -> Option<f64> {
        self.edge_len.get(edge as usize).copied()
    }

    /// Index (into the streets slice given to [`WalkNetwork::build`]) of the street an edge came from.
    pub fn edge_street(&self, edge: u32) -> Option<usize> {
        self.edge_street.get(edge as usize).map(|&s| s as usize)
    }

    /// The polyline of an edge, from its first node to its last.
    pub fn edge_coords(&self, edge: u32) -> &[Coord<f64>] {
        let e = edge as usize;
        if e >= self.edge_len.len() {
            return &[];
        }
        &self.coords[self.edge_coord_start[e] as usize..self.edge_coord_start[e + 1] as usize]
    }

    pub(crate) fn arcs(&self, node: u32) -> &[Arc] {
        &self.adj
            [self.adj_start[node as usize] as usize..self.adj_start[node as usize + 1] as usize]
    }

    /// The part of an edge between offsets `a` and `b` (m from its start),
    /// running from `a` to `b` (reversed when `b < a`).
    pub(crate) fn edge_slice(&self, edge: u32, a: f64, b: f64) -> Vec<Coord<f64>> {
        let pts = self.edge_coords(edge);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let mut out = Vec::new();
        let mut off = 0.0;
        for w in pts.windows(2) {
            let l = dist(w[0], w[1]);
            let (s, t) = (off, off + l);
            if t >= lo && s <= hi && l > 0.0 {
                let at = |x: f64| {
                    let f = ((x - s) / l).clamp(0.0, 1.0);
                    Coord {
                        x: w[0].x + f * (w[1].x - w[0].x),
                        y: w[0].y + f * (w[1].y - w[0].y),
                    }
                };
                let p = at(lo.max(s));
                if out.last() != Some(&p) {
                    out.push(p);
                }
                let q = at(hi.min(t));
                if out.last() != Some(&q) {
                    out.push(q);
                }
            }
            off = t;
        }
        if out.is_empty()
            && let Some(p) = pts.first()
        {
            out.push(*p);
        }
        if a > b {
            out.reverse();
        }
        out
    }
}
