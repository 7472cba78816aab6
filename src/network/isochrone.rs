//! Isochrones: the street pieces within walking distance of one point, per band,
//! and their buffered, dissolved area.
//!
//! Pieces are exact: an edge is cut where the remaining distance runs out, from
//! either end and, on the start edge, both ways from the start point. The area
//! is the union of round buffers around the pieces (geo's `Buffer`, i_overlay
//! underneath), with a coarse arc step (about 4 segments per quarter circle) to
//! keep the dissolve fast.

use super::graph::WalkNetwork;
use super::reach::{QueryError, search_from};
use super::search::Tree;
use super::snap::Snap;
use geo::{BoundingRect, LineString, MultiLineString, MultiPolygon, Point};

/// One isochrone band.
#[derive(Debug, Clone, PartialEq)]
pub struct IsoBand {
    /// The band's walking distance (m).
    pub max_m: f64,
    /// The reachable street pieces (partial edges included).
    pub segments: MultiLineString<f64>,
    /// The pieces buffered by `buffer_m` and dissolved.
    pub area: MultiPolygon<f64>,
}

/// Reachable pieces `(edge, from offset, to offset)` within `max` metres, given
/// a search tree and the point sources `(snap, distance at the snap point)`
/// whose own edges are also walked from the point both ways. Sorted by edge.
pub(crate) fn reachable_pieces(
    net: &WalkNetwork,
    tree: &Tree,
    points: &[(Snap, f64)],
    max: f64,
) -> Vec<(u32, f64, f64)> {
    let mut by_edge: Vec<(u32, f64, f64)> = points
        .iter()
        .map(|(s, d)| (s.edge, s.offset_m, *d))
        .collect();
    by_edge.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out = Vec::new();
    let mut iv: Vec<(f64, f64)> = Vec::new();
    let mut k = 0;
    for e in 0..net.edge_count() {
        iv.clear();
        let len = net.edge_len[e];
        let da = tree.dist[net.edge_from[e] as usize];
        let db = tree.dist[net.edge_to[e] as usize];
        if da <= max {
            iv.push((0.0, (max - da).min(len)));
        }
        if db <= max {
            iv.push(((len - (max - db)).max(0.0), len));
        }
        while k < by_edge.len() && (by_edge[k].0 as usize) < e {
            k += 1;
        }
        let mut j = k;
        while j < by_edge.len() && by_edge[j].0 as usize == e {
            let (_, off, d) = by_edge[j];
            if d <= max {
                let r = max - d;
                iv.push(((off - r).max(0.0), (off + r).min(len)));
            }
            j += 1;
        }
        if iv.is_empty() {
            continue;
        }
        iv.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut cur = iv[0];
        for &(a, b) in &iv[1..] {
            if a <= cur.1 {
                cur.1 = cur.1.max(b);
            } else {
                out.push((e as u32, cur.0, cur.1));
                cur = (a, b);
            }
        }
        out.push((e as u32, cur.0, cur.1));
    }
    out
}

/// Pieces as lines (zero-length pieces, at a node, are left out).
pub(crate) fn pieces_to_lines(
    net: &WalkNetwork,
    pieces: &[(u32, f64, f64)],
) -> MultiLineString<f64> {
    MultiLineString(
        pieces
            .iter()
            .filter(|p| p.2 > p.1)
            .map(|&(e, a, b)| LineString(net.edge_slice(e, a, b)))
            .filter(|l| l.0.len() >= 2)
            .collect(),
    )
}

/// Largest raster for one buffered area (cells); beyond it the cells grow.
const MAX_BUFFER_CELLS: f64 = 16_000_000.0;

/// How far (cells, so at most 5 m) the outline of a walking area may move from
/// the traced cell edges when its staircase is generalised. One cell: the
/// raster itself is only exact to half a cell diagonal, and a street at an
/// angle then needs two vertices per side instead of two per cell.
pub(crate) const GENERALISE_CELLS: f64 = 1.0;

/// Gaps inside a walking area smaller than this (m²: a 50 m square) are
/// filled before tracing. They are block interiors (courtyards, gardens) a few
/// metres beyond the buffer of streets that all reach, not places out of
/// reach: as holes they were most of the rings of a city's coverage areas.
/// Homes are counted from each building's own walking distance, never from
/// the area, so filling changes no count.
pub(crate) const FILL_GAP_M2: f64 = 2_500.0;

/// The area within `buffer_m` of the lines, dissolved; empty for no lines or a
/// non-positive width.
///
/// Rasterised, because buffering thousands of street pieces and unioning them
/// as vectors took seconds per area (18 s for the 20 coverage areas of a
/// 70k-building city): cells of `buffer_m / 6` (at most 5 m) whose centre lies
/// within `buffer_m` of a line are set, gaps smaller than [`FILL_GAP_M2`] are
/// filled, and the cells are traced into valid polygons along the cell edges
/// (the zoning's tracer), whose staircase is then generalised to within
/// [`GENERALISE_CELLS`] cell without losing validity. The boundary is within
/// about one and a half cells of the exact buffer (gaps aside); the areas are
/// deterministic.
///
/// Lines whose buffers cannot meet are rasterised apart
/// ([`buffer_clusters`]): the walking areas of towns kilometres apart (the
/// kernen of a region, a whole country) each get a raster over their own
/// extent at the full cell size, instead of one raster over the empty land
/// between them, which coarsened the cells (beyond [`MAX_BUFFER_CELLS`]) and
/// cost memory and time for nothing. The clusters' areas are disjoint, so
/// their polygons together are the same dissolved area.
pub(crate) fn buffer_lines(lines: &MultiLineString<f64>, buffer_m: f64) -> MultiPolygon<f64> {
    if lines.0.is_empty() || buffer_m.is_nan() || buffer_m <= 0.0 || !buffer_m.is_finite() {
        return MultiPolygon(vec![]);
    }
    let clusters = buffer_clusters(&lines.0, buffer_m);
    if clusters.len() <= 1 {
        return buffer_cluster(lines.0.iter(), buffer_m);
    }
    MultiPolygon(
        clusters
            .iter()
            .flat_map(|c| buffer_cluster(c.iter().map(|&i| &lines.0[i]), buffer_m).0)
            .collect(),
    )
}

/// Side (m) of the tiles [`buffer_clusters`] joins lines on; at least four
/// buffer widths.
const CLUSTER_TILE_M: f64 = 500.0;

/// The lines in groups whose buffers may meet: each line's bounding box,
/// grown by `buffer_m` and a margin of two of the largest cells (10 m), is
/// laid on tiles of [`CLUSTER_TILE_M`] (or four buffer widths); lines sharing
/// a tile, directly or through other lines, form one group. Two lines in
/// different groups have grown boxes that share no tile, so they lie more
/// than two buffer widths and the margin apart: their rasterised buffers
/// cannot touch. Groups in order of their first line, lines in input order.
/// Lines without a finite bounding box stay with the first group.
pub(crate) fn buffer_clusters<L: std::borrow::Borrow<LineString<f64>>>(
    lines: &[L],
    buffer_m: f64,
) -> Vec<Vec<usize>> {
    use std::collections::HashMap;
    let grow = buffer_m + 10.0;
    let tile = CLUSTER_TILE_M.max(4.0 * buffer_m);
    // Union-find over lines; a tile remembers the first line that touched it.
    let mut parent: Vec<usize> = (0..lines.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<(i64, i64), usize> = HashMap::new();
    let mut loose = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(bb) = l.borrow().bounding_rect() else {
            loose.push(i);
            continue;
        };
        let t = |v: f64| (v / tile).floor();
        let (x0, y0) = (t(bb.min().x - grow), t(bb.min().y - grow));
        let (x1, y1) = (t(bb.max().x + grow), t(bb.max().y + grow));
        // A line spanning too many tiles to list (or not finite): one group.
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite())
            || (x1 - x0 + 1.0) * (y1 - y0 + 1.0) > 1e6
        {
            return vec![(0..lines.len()).collect()];
        }
        for tx in x0 as i64..=x1 as i64 {
            for ty in y0 as i64..=y1 as i64 {
                match owner.entry((tx, ty)) {
                    std::collections::hash_map::Entry::Occupied(o) => {
                        let (a, b) = (find(&mut parent, *o.get()), find(&mut parent, i));
                        if a != b {
                            parent[a.max(b)] = a.min(b);
                        }
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(i);
                    }
                }
            }
        }
    }
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..lines.len() {
        if loose.binary_search(&i).is_ok() {
            continue;
        }
        let root = find(&mut parent, i);
        let g = *group_of.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    match groups.first_mut() {
        Some(first) if !loose.is_empty() => {
            first.extend(loose);
            first.sort_unstable();
        }
        None if !loose.is_empty() => groups.push(loose),
        _ => {}
    }
    groups
}

/// The raster a group of lines is buffered on: `cols` × `rows` cells of
/// `cell` metres, the first cell's lower left corner at `origin`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    pub(crate) origin: [f64; 2],
    pub(crate) cell: f64,
    pub(crate) cols: usize,
    pub(crate) rows: usize,
}

impl Frame {
    /// The raster [`buffer_lines`] uses for one group of lines: their extent
    /// grown by `buffer_m` and a cell, in cells of `buffer_m / 6` (at most
    /// 5 m; larger beyond [`MAX_BUFFER_CELLS`]) on a lattice of that cell
    /// size. `None` without a finite extent.
    pub(crate) fn around<'a>(
        lines: impl Iterator<Item = &'a LineString<f64>>,
        buffer_m: f64,
    ) -> Option<Frame> {
        let mut bounds: Option<geo::Rect<f64>> = None;
        for l in lines {
            if let Some(r) = l.bounding_rect() {
                bounds = Some(match bounds {
                    None => r,
                    Some(b) => geo::Rect::new(
                        geo::Coord {
                            x: b.min().x.min(r.min().x),
                            y: b.min().y.min(r.min().y),
                        },
                        geo::Coord {
                            x: b.max().x.max(r.max().x),
                            y: b.max().y.max(r.max().y),
                        },
                    ),
                });
            }
        }
        let bb = bounds?;
        let (w, h) = (bb.width() + 2.0 * buffer_m, bb.height() + 2.0 * buffer_m);
        if !(w.is_finite() && h.is_finite()) {
            return None;
        }
        let mut cell = (buffer_m / 6.0).min(5.0);
        if (w / cell) * (h / cell) > MAX_BUFFER_CELLS {
            cell = (w * h / MAX_BUFFER_CELLS).sqrt();
        }
        let origin = [
            ((bb.min().x - buffer_m) / cell).floor() * cell - cell,
            ((bb.min().y - buffer_m) / cell).floor() * cell - cell,
        ];
        let cols = (w / cell).ceil() as usize + 3;
        let rows = (h / cell).ceil() as usize + 3;
        Some(Frame {
            origin,
            cell,
            cols,
            rows,
        })
    }

    /// Whether `self` and `other` have the same cells where they overlap: the
    /// same cell size and origin, bit for bit. Marking a segment then sets the
    /// same cells in both (every cell's centre is computed the same way), so a
    /// raster marked in one can stand for the other.
    pub(crate) fn same_lattice(&self, other: &Frame) -> bool {
        self.cell.to_bits() == other.cell.to_bits()
            && self.origin[0].to_bits() == other.origin[0].to_bits()
            && self.origin[1].to_bits() == other.origin[1].to_bits()
    }

    /// Gaps under [`FILL_GAP_M2`] filled, the cells traced and generalised.
    pub(crate) fn polygons(&self, mask: &mut [bool]) -> MultiPolygon<f64> {
        crate::rules::zoning::fill_mask_gaps(
            self.cols,
            self.rows,
            mask,
            (FILL_GAP_M2 / (self.cell * self.cell)).ceil() as usize,
        );
        crate::rules::zoning::mask_polygons_generalised(
            self.origin,
            self.cell,
            self.cols,
            self.rows,
            mask,
            GENERALISE_CELLS,
        )
    }
}

/// Sets the cells of rows `band` of `frame` (`mask` holds those rows) whose
/// centre lies within `r` of a segment of the lines.
pub(crate) fn mark_lines<'a>(
    mask: &mut [bool],
    frame: &Frame,
    band: std::ops::Range<usize>,
    lines: impl Iterator<Item = &'a LineString<f64>>,
    r: f64,
) {
    for line in lines {
        for seg in line.lines() {
            mark_capsule(
                mask,
                frame.origin,
                frame.cell,
                frame.cols,
                band.clone(),
                seg,
                r,
            );
        }
    }
}

/// [`buffer_lines`] for one group of lines, on one raster over their extent.
fn buffer_cluster<'a>(
    lines: impl Iterator<Item = &'a LineString<f64>> + Clone,
    buffer_m: f64,
) -> MultiPolygon<f64> {
    let Some(frame) = Frame::around(lines.clone(), buffer_m) else {
        return MultiPolygon(vec![]);
    };
    let mut mask = vec![false; frame.cols * frame.rows];
    mark_lines(&mut mask, &frame, 0..frame.rows, lines, buffer_m);
    frame.polygons(&mut mask)
}

/// Sets the cells whose centre lies within `r` of the segment, in the rows
/// `band` of a raster of `cols` columns (cell `cell` from `origin`; `mask`
/// holds those rows). Row by row: a horizontal line meets
/// the segment's buffer (a capsule, convex) in one interval, the union of its
/// meetings with the two end discs and the band along the segment, so the
/// cells are set as a run instead of testing each cell of the bounding box.
/// A cell's fate depends on the segment, `r`, `origin` and `cell` only, not on
/// the band: marking a raster band by band sets what marking it whole does.
fn mark_capsule(
    mask: &mut [bool],
    origin: [f64; 2],
    cell: f64,
    cols: usize,
    band: std::ops::Range<usize>,
    seg: geo::Line<f64>,
    r: f64,
) {
    let first = band.start;
    capsule_runs(origin, cell, cols, band, seg, r, |row, c0, c1| {
        let start = (row - first) * cols;
        mask[start + c0..=start + c1].fill(true);
    });
}

/// The runs of cells [`mark_capsule`] sets, as `(row, first col, last col)`,
/// rows in increasing order.
#[inline(always)]
pub(crate) fn capsule_runs(
    origin: [f64; 2],
    cell: f64,
    cols: usize,
    band: std::ops::Range<usize>,
    seg: geo::Line<f64>,
    r: f64,
    mut run: impl FnMut(usize, usize, usize),
) {
    let (a, b) = (seg.start, seg.end);
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy);
    let row_of = |y: f64| (y - origin[1]) / cell - 0.5;
    let r0 = row_of(a.y.min(b.y) - r).ceil().max(band.start as f64) as usize;
    let r1 = row_of(a.y.max(b.y) + r).floor().min(band.end as f64 - 1.0);
    if r1 < 0.0 {
        return;
    }
    for row in r0..=r1 as usize {
        let y = origin[1] + (row as f64 + 0.5) * cell;
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for c in [a, b] {
            let h2 = r * r - (y - c.y) * (y - c.y);
            if h2 >= 0.0 {
                let h = h2.sqrt();
                lo = lo.min(c.x - h);
                hi = hi.max(c.x + h);
            }
        }
        if len > 0.0 {
            // Points (x, y) with 0 <= t <= 1 along the segment and at most r
            // across it: both linear in x, so each bounds x on one side or both.
            let (ux, uy) = (dx / len, dy / len);
            // t·len = (x - a.x)·ux + (y - a.y)·uy  in [0, len]
            let mut l = f64::NEG_INFINITY;
            let mut h = f64::INFINITY;
            let mut bound = |k: f64, c0: f64, min: f64, max: f64| {
                // min <= k·x + c0 <= max
                if k > 0.0 {
                    l = l.max((min - c0) / k);
                    h = h.min((max - c0) / k);
                } else if k < 0.0 {
                    l = l.max((max - c0) / k);
                    h = h.min((min - c0) / k);
                } else if c0 < min || c0 > max {
                    l = f64::INFINITY;
                }
            };
            bound(ux, -a.x * ux + (y - a.y) * uy, 0.0, len);
            // signed distance across = (x - a.x)·(-uy) + (y - a.y)·ux  in [-r, r]
            bound(-uy, a.x * uy + (y - a.y) * ux, -r, r);
            if l <= h {
                lo = lo.min(l);
                hi = hi.max(h);
            }
        }
        if lo > hi {
            continue;
        }
        let col_of = |x: f64| (x - origin[0]) / cell - 0.5;
        let (x0, x1) = (col_of(lo), col_of(hi));
        if x1 < 0.0 || x0 > (cols - 1) as f64 {
            continue;
        }
        // Ceiling and floor by truncation to i64 (x0 is at most cols - 1 here,
        // x1 saturates and is clamped): f64::ceil and floor are library calls
        // without SSE4.1, and these ran once per row of every segment.
        let c0 = if x0 > 0.0 {
            let t = x0 as i64;
            t + i64::from((t as f64) < x0)
        } else {
            0
        };
        let c1 = (x1 as i64).min(cols as i64 - 1);
        if c1 < c0 {
            continue;
        }
        run(row, c0 as usize, c1 as usize);
    }
}

/// The street network within each walking distance band of a point.
///
/// `from` is in the working CRS; its connector to the network counts towards
/// the distance. Bands are walking distances in metres (the caller converts
/// minutes with [`Doelgroep::reach_m`](crate::scenario::Doelgroep::reach_m)),
/// returned in the order given; `buffer_m` is the half-width of the area
/// around the reachable pieces.
///
/// # Units
/// Metres.
pub fn isochrone(
    net: &WalkNetwork,
    from: Point<f64>,
    bands_m: &[f64],
    buffer_m: f64,
    max_connector_m: f64,
) -> Result<Vec<IsoBand>, QueryError> {
    let limit = bands_m
        .iter()
        .copied()
        .filter(|b| b.is_finite())
        .fold(0.0, f64::max);
    let (o, tree) = search_from(net, from, max_connector_m, limit, false)?;
    Ok(bands_m
        .iter()
        .map(|&max_m| {
            let pieces = if max_m.is_finite() && max_m >= 0.0 {
                reachable_pieces(net, &tree, &[(o, o.connector_m)], max_m)
            } else {
                Vec::new()
            };
            let segments = pieces_to_lines(net, &pieces);
            let area = buffer_lines(&segments, buffer_m);
            IsoBand {
                max_m,
                segments,
                area,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::SplitMix64;
    use geo::{Coord, Distance, Euclidean};

    /// A grid of streets at an angle: the buffered area is valid (geo's
    /// check), holds every street point, fills block interiors under
    /// [`FILL_GAP_M2`] and keeps larger ones, and needs a fraction of the
    /// traced outline's vertices.
    #[test]
    fn buffered_grid_is_valid_filled_and_generalised() {
        use geo::{Area, Contains, Validation};
        let (sin, cos) = 0.3f64.sin_cos();
        let rot = |x: f64, y: f64| Coord {
            x: x * cos - y * sin,
            y: x * sin + y * cos,
        };
        let mut lines = Vec::new();
        // Small blocks (80 m apart: 20 m interiors after 30 m buffers, filled)
        // west of x = 400; one 200 m block east of it (140 m interior, kept).
        for i in 0..=5 {
            let x = i as f64 * 80.0;
            lines.push(geo::LineString::from(vec![rot(x, 0.0), rot(x, 400.0)]));
            let y = i as f64 * 80.0;
            lines.push(geo::LineString::from(vec![rot(0.0, y), rot(600.0, y)]));
        }
        lines.push(geo::LineString::from(vec![
            rot(600.0, 0.0),
            rot(600.0, 400.0),
        ]));
        let lines = MultiLineString(lines);
        let area = buffer_lines(&lines, 30.0);
        assert!(area.is_valid(), "{:?}", area.validation_errors());
        for l in &lines.0 {
            for p in l.points() {
                assert!(area.contains(&p), "{p:?}");
            }
        }
        let holes: Vec<f64> = area
            .0
            .iter()
            .flat_map(|p| {
                p.interiors()
                    .iter()
                    .map(|h| geo::Polygon::new(h.clone(), vec![]).unsigned_area())
            })
            .collect();
        assert!(holes.iter().all(|&a| a >= FILL_GAP_M2), "{holes:?}");
        // The 200 m x 80 m blocks east of x = 400 keep a 140 m x 20 m interior
        // each (about 2,800 m² on the raster), so five holes stay, one per row.
        assert_eq!(holes.len(), 5, "{holes:?}");
        let vertices = |mp: &geo::MultiPolygon<f64>| -> usize {
            mp.0.iter()
                .map(|p| {
                    p.exterior().0.len() + p.interiors().iter().map(|h| h.0.len()).sum::<usize>()
                })
                .sum()
        };
        // Traced along 5 m cells, the outline at this angle had a vertex at
        // every cell corner: thousands.
        let n = vertices(&area);
        assert!(n < 150, "{n} vertices");
        assert_eq!(area.0.len(), 1);
    }

    /// Lines in different clusters lie more than two buffer widths apart
    /// (brute force over every pair), and every line is in exactly one.
    #[test]
    fn clusters_are_farther_apart_than_two_buffers() {
        let mut rng = SplitMix64(11);
        for case in 0..40 {
            let buffer = rng.range(5.0, 60.0);
            let n = 2 + case % 30;
            // Lines in a few blobs over up to 8 km, some long, some points.
            let lines: Vec<geo::LineString<f64>> = (0..n)
                .map(|_| {
                    let (cx, cy) = (
                        (rng.range(0.0, 4.0).floor()) * 2000.0,
                        rng.range(0.0, 3000.0),
                    );
                    let a = (cx + rng.range(0.0, 400.0), cy + rng.range(0.0, 400.0));
                    let b = (
                        a.0 + rng.range(-300.0, 300.0),
                        a.1 + rng.range(-300.0, 300.0),
                    );
                    geo::LineString::from(vec![a, b])
                })
                .collect();
            let groups = buffer_clusters(&lines, buffer);
            let mut seen = vec![0; n];
            for g in &groups {
                for &i in g {
                    seen[i] += 1;
                }
            }
            assert!(seen.iter().all(|&k| k == 1), "case {case}: {seen:?}");
            for (ga, a) in groups.iter().enumerate() {
                for b in &groups[ga + 1..] {
                    for &i in a {
                        for &j in b {
                            let d = Euclidean.distance(&lines[i], &lines[j]);
                            assert!(d > 2.0 * buffer, "case {case}: lines {i}, {j} at {d} m");
                        }
                    }
                }
            }
        }
    }

    /// Two towns 40 km apart both ways: each is rasterised on its own at the
    /// full cell size (3.3 m); one raster over both would have 10 m cells
    /// ([`MAX_BUFFER_CELLS`]) for a 20 m buffer. The result is the two towns'
    /// own areas side by side.
    #[test]
    fn far_towns_are_buffered_apart_at_full_resolution() {
        use geo::Area;
        let town = |x0: f64| -> Vec<geo::LineString<f64>> {
            vec![
                geo::LineString::from(vec![(x0, x0), (x0 + 1000.0, x0)]),
                geo::LineString::from(vec![(x0 + 500.0, x0 - 300.0), (x0 + 500.0, x0 + 300.0)]),
            ]
        };
        let (a, b) = (town(0.0), town(40_000.0));
        let both = MultiLineString(a.iter().chain(&b).cloned().collect());
        assert_eq!(buffer_clusters(&both.0, 20.0).len(), 2);
        let area = buffer_lines(&both, 20.0);
        let alone_a = buffer_lines(&MultiLineString(a), 20.0);
        let alone_b = buffer_lines(&MultiLineString(b), 20.0);
        let mut expected = alone_a.0.clone();
        expected.extend(alone_b.0.clone());
        assert_eq!(area.0, expected);
        // Exact: two capsules crossing: 2·20·1000 + π·20² + 2·20·600 − 40·40.
        let exact =
            2.0 * 20.0 * 1000.0 + std::f64::consts::PI * 400.0 + 2.0 * 20.0 * 600.0 - 40.0 * 40.0;
        let got = alone_a.unsigned_area();
        assert!((got - exact).abs() / exact < 0.05, "{got} against {exact}");
        assert!((area.unsigned_area() - 2.0 * got).abs() < 1e-6);
        // One raster over both: coarse cells, a worse area.
        let coarse = buffer_cluster(both.0.iter(), 20.0).unsigned_area() / 2.0;
        assert!(
            (coarse - exact).abs() > 2.0 * (got - exact).abs(),
            "{coarse} {got} {exact}"
        );
    }

    #[test]
    fn capsule_runs_match_the_cell_by_cell_test() {
        let mut rng = SplitMix64(7);
        let (cols, rows, cell) = (60, 50, 2.5);
        let origin = [-20.0, -10.0];
        for case in 0..400 {
            let mut p = || (rng.range(-40.0, 140.0), rng.range(-30.0, 120.0));
            let (a, mut b) = (p(), p());
            match case % 5 {
                0 => b.0 = a.0, // vertical
                1 => b.1 = a.1, // horizontal
                2 => b = a,     // a point
                _ => {}
            }
            let seg = geo::Line::new(Coord { x: a.0, y: a.1 }, Coord { x: b.0, y: b.1 });
            let r = rng.range(0.5, 20.5);
            let mut mask = vec![false; cols * rows];
            mark_capsule(&mut mask, origin, cell, cols, 0..rows, seg, r);
            for row in 0..rows {
                for col in 0..cols {
                    let c = Point::new(
                        origin[0] + (col as f64 + 0.5) * cell,
                        origin[1] + (row as f64 + 0.5) * cell,
                    );
                    // geo's own point-to-segment distance is the oracle.
                    let d = Euclidean.distance(&c, &seg);
                    if (d - r).abs() > 1e-9 {
                        assert_eq!(
                            mask[row * cols + col],
                            d <= r,
                            "case {case}: {seg:?} r {r} cell {col},{row} d {d}"
                        );
                    }
                }
            }
        }
    }
}
