//! From a grid of classes to regions and polygons.
//!
//! Regions are connected components of cells of one class, cells joined when they share
//! an edge (4-connectivity). Polygons are traced along cell edges in integer vertex
//! coordinates, so they are exact and need no overlay.
//!
//! # Why the rings are valid
//! Every boundary edge is directed with its region on the left, so exterior rings run
//! counter-clockwise and holes clockwise. A vertex is a *pinch* when two cells of the
//! region meet there only diagonally. Walking into a pinch, the tracer turns right (it
//! keeps the two diagonal cells together). Since the two cells belong to one
//! 4-connected region, they are also joined elsewhere, and that path separates the two
//! other cells at the pinch; turning right makes each ring border exactly one of those,
//! so no ring visits a vertex twice. What remains are holes touching the exterior, or
//! each other, at single points, which OGC allows.

use crate::model::ZoneCharacter;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// No region (outside the grid).
const NONE: u32 = u32::MAX;

/// One region of the grid.
#[derive(Debug, Clone)]
pub(super) struct Region {
    /// Its class.
    pub class: ZoneCharacter,
    /// Number of cells.
    pub cells: usize,
}

/// Regions of a grid: label per cell and regions ordered by their first cell.
#[derive(Debug, Clone)]
pub(super) struct Regions {
    pub labels: Vec<u32>,
    pub comps: Vec<Region>,
}

/// Labels the 4-connected regions of equal class, numbered in row-major order of
/// their first cell.
pub(super) fn label(cols: usize, rows: usize, class: &[ZoneCharacter]) -> Regions {
    let n = cols * rows;
    let mut labels = vec![NONE; n];
    let mut comps = Vec::new();
    let mut stack = Vec::new();
    for start in 0..n {
        if labels[start] != NONE {
            continue;
        }
        let id = comps.len() as u32;
        let c = class[start];
        labels[start] = id;
        stack.push(start);
        let mut cells = 0;
        while let Some(cell) = stack.pop() {
            cells += 1;
            let (col, row) = (cell % cols, cell / cols);
            let mut visit = |nb: usize| {
                if labels[nb] == NONE && class[nb] == c {
                    labels[nb] = id;
                    stack.push(nb);
                }
            };
            if col > 0 {
                visit(cell - 1);
            }
            if col + 1 < cols {
                visit(cell + 1);
            }
            if row > 0 {
                visit(cell - cols);
            }
            if row + 1 < rows {
                visit(cell + cols);
            }
        }
        comps.push(Region { class: c, cells });
    }
    Regions { labels, comps }
}

/// Gives every region smaller than `min_cells` the class of its largest neighbouring
/// region (ties: the neighbour whose first cell comes first). Small regions are taken
/// smallest first; a region grown by a merge is judged again with its new size.
pub(super) fn merge_small(cols: usize, rows: usize, class: &mut [ZoneCharacter], min_cells: f64) {
    if min_cells.is_nan() || min_cells <= 1.0 || cols * rows == 0 {
        // Every region has at least one cell.
        return;
    }
    let Regions { labels, comps } = label(cols, rows, class);
    let small = |cells: usize| (cells as f64) < min_cells;
    if comps.len() < 2 || !comps.iter().any(|c| small(c.cells)) {
        return;
    }
    // Adjacency between regions (shared edges), deduplicated.
    let mut pairs = Vec::new();
    for row in 0..rows {
        for col in 0..cols {
            let a = labels[row * cols + col];
            if col + 1 < cols {
                let b = labels[row * cols + col + 1];
                if a != b {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
            if row + 1 < rows {
                let b = labels[(row + 1) * cols + col];
                if a != b {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let k = comps.len();
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); k];
    for (a, b) in pairs {
        adj[a as usize].push(b);
        adj[b as usize].push(a);
    }
    // Union-find; the root keeps size, class and the (lowest) first label.
    let mut parent: Vec<u32> = (0..k as u32).collect();
    let mut size: Vec<usize> = comps.iter().map(|c| c.cells).collect();
    let mut cls: Vec<ZoneCharacter> = comps.iter().map(|c| c.class).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let p = parent[parent[x as usize] as usize];
            parent[x as usize] = p;
            x = p;
        }
        x
    }
    let mut heap: BinaryHeap<Reverse<(usize, u32)>> = (0..k as u32)
        .filter(|&i| small(size[i as usize]))
        .map(|i| Reverse((size[i as usize], i)))
        .collect();
    while let Some(Reverse((s, id))) = heap.pop() {
        if find(&mut parent, id) != id || size[id as usize] != s || !small(s) {
            continue; // stale entry
        }
        let mut neighbours: Vec<u32> = std::mem::take(&mut adj[id as usize])
            .into_iter()
            .map(|n| find(&mut parent, n))
            .filter(|&n| n != id)
            .collect();
        neighbours.sort_unstable();
        neighbours.dedup();
        // Largest neighbour; on equal size the one labelled first (roots keep the
        // lowest label, see below).
        let Some(&target) = neighbours
            .iter()
            .max_by_key(|&&n| (size[n as usize], Reverse(n)))
        else {
            continue;
        };
        let new_class = cls[target as usize];
        // The region joins the target; so do other neighbours of the target's class,
        // which now touch it through this region.
        let mut group: Vec<u32> = neighbours
            .iter()
            .copied()
            .filter(|&n| cls[n as usize] == new_class)
            .collect();
        group.push(id);
        let root = *group.iter().min().unwrap_or(&target);
        let mut merged_adj = Vec::new();
        let mut total = 0;
        for &g in &group {
            total += size[g as usize];
            merged_adj.append(&mut adj[g as usize]);
            merged_adj.extend(neighbours.iter().copied().filter(|&n| n != g));
            parent[g as usize] = root;
        }
        merged_adj.sort_unstable();
        merged_adj.dedup();
        adj[root as usize] = merged_adj;
        size[root as usize] = total;
        cls[root as usize] = new_class;
        if small(total) {
            heap.push(Reverse((total, root)));
        }
    }
    for (c, &l) in class.iter_mut().zip(&labels) {
        let r = find(&mut parent, l);
        *c = cls[r as usize];
    }
}

/// Directions of an edge leaving a vertex: east, north, west, south.
const STEP: [(i64, i64); 4] = [(1, 0), (0, 1), (-1, 0), (0, -1)];

/// A ring in vertex coordinates (vertex `(i, j)` is the south-west corner of cell
/// `(col i, row j)`), closed (first = last), corners only.
pub(super) type Ring = Vec<(i64, i64)>;

/// Traces every region's exterior and holes. Returns, per region, the exterior ring
/// (counter-clockwise) and the holes (clockwise), in trace order.
pub(super) fn trace(
    cols: usize,
    rows: usize,
    labels: &[u32],
    regions: usize,
) -> Vec<(Ring, Vec<Ring>)> {
    let mut out: Vec<(Ring, Vec<Ring>)> = vec![(Vec::new(), Vec::new()); regions];
    if cols == 0 || rows == 0 {
        return out;
    }
    let (ci, ri) = (cols as i64, rows as i64);
    let lab = |c: i64, r: i64| -> u32 {
        if c >= 0 && r >= 0 && c < ci && r < ri {
            labels[(r * ci + c) as usize]
        } else {
            NONE
        }
    };
    // The region on the left and on the right of the edge leaving (i, j) in direction d.
    let sides = |i: i64, j: i64, d: usize| -> (u32, u32) {
        match d {
            0 => (lab(i, j), lab(i, j - 1)),
            1 => (lab(i - 1, j), lab(i, j)),
            2 => (lab(i - 1, j - 1), lab(i - 1, j)),
            _ => (lab(i, j - 1), lab(i - 1, j - 1)),
        }
    };
    let vcols = ci + 1;
    let nverts = ((ci + 1) * (ri + 1)) as usize;
    // Per vertex, a bit per boundary edge leaving it.
    let mut open = vec![0u8; nverts];
    for j in 0..=ri {
        for i in 0..=ci {
            let mut bits = 0u8;
            for d in 0..4 {
                let (l, r) = sides(i, j, d);
                if l != NONE && l != r {
                    bits |= 1 << d;
                }
            }
            open[(j * vcols + i) as usize] = bits;
        }
    }
    for v in 0..nverts {
        while open[v] != 0 {
            let d0 = open[v].trailing_zeros() as usize;
            open[v] &= !(1 << d0);
            let (i0, j0) = (v as i64 % vcols, v as i64 / vcols);
            let region = sides(i0, j0, d0).0;
            // Row-major first vertex of the ring: always a corner.
            let mut ring: Ring = vec![(i0, j0)];
            let (mut i, mut j, mut d) = (i0 + STEP[d0].0, j0 + STEP[d0].1, d0);
            let closed = loop {
                if (i, j) == (i0, j0) {
                    break true;
                }
                let vi = (j * vcols + i) as usize;
                // Right, straight, left: right first keeps diagonal cells together.
                let next = [(d + 3) % 4, d, (d + 1) % 4]
                    .into_iter()
                    .find(|&nd| open[vi] & (1 << nd) != 0 && sides(i, j, nd).0 == region);
                let Some(nd) = next else {
                    break false; // unreachable for a consistent edge set
                };
                if nd != d {
                    ring.push((i, j));
                }
                open[vi] &= !(1 << nd);
                (i, j, d) = (i + STEP[nd].0, j + STEP[nd].1, nd);
            };
            if !closed || ring.len() < 4 || region == NONE {
                continue;
            }
            ring.push((i0, j0));
            let twice_area: i64 = ring
                .windows(2)
                .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                .sum();
            let slot = &mut out[region as usize];
            if twice_area > 0 && slot.0.is_empty() {
                slot.0 = ring;
            } else {
                slot.1.push(ring);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ZoneCharacter::{Gemengd as G, Reuring as X, Rust as R};
    use geo::{Area, LineString, Polygon, Validation};

    /// Rows given north first, as they look on the page.
    fn grid(rows_north_first: &[&[ZoneCharacter]]) -> (usize, usize, Vec<ZoneCharacter>) {
        let rows = rows_north_first.len();
        let cols = rows_north_first[0].len();
        let cells = rows_north_first
            .iter()
            .rev()
            .flat_map(|r| r.iter().copied())
            .collect();
        (cols, rows, cells)
    }

    fn polygons(
        cols: usize,
        rows: usize,
        class: &[ZoneCharacter],
    ) -> Vec<(ZoneCharacter, Polygon<f64>)> {
        let regs = label(cols, rows, class);
        let to_ls = |r: &Ring| {
            LineString::from(
                r.iter()
                    .map(|&(x, y)| (x as f64, y as f64))
                    .collect::<Vec<_>>(),
            )
        };
        trace(cols, rows, &regs.labels, regs.comps.len())
            .iter()
            .zip(&regs.comps)
            .map(|((o, h), c)| {
                (
                    c.class,
                    Polygon::new(to_ls(o), h.iter().map(to_ls).collect()),
                )
            })
            .collect()
    }

    fn check(
        cols: usize,
        rows: usize,
        class: &[ZoneCharacter],
    ) -> Vec<(ZoneCharacter, Polygon<f64>)> {
        let polys = polygons(cols, rows, class);
        let regs = label(cols, rows, class);
        let mut total = 0.0;
        for ((_, p), r) in polys.iter().zip(&regs.comps) {
            assert!(p.is_valid(), "{p:?}: {:?}", p.validation_errors());
            assert!(!p.exterior().0.is_empty());
            assert_eq!(p.signed_area(), r.cells as f64);
            total += p.signed_area();
        }
        assert_eq!(total, (cols * rows) as f64);
        polys
    }

    #[test]
    fn diagonal_touch_inside_one_region_is_valid() {
        // Three rust holes meeting each other at corners; the reuring cell between
        // them joins the rest only through its north edge, and two reuring corners are
        // pinches.
        let (c, r, g) = grid(&[
            &[X, X, X, X, X],
            &[X, R, X, R, X],
            &[X, X, R, X, X],
            &[X, X, X, X, X],
        ]);
        let polys = check(c, r, &g);
        let reuring: Vec<_> = polys.iter().filter(|(k, _)| *k == X).collect();
        assert_eq!(reuring.len(), 1);
        // Three holes that share corner vertices with each other.
        assert_eq!(reuring[0].1.interiors().len(), 3);
    }

    #[test]
    fn hole_touching_the_exterior_at_a_corner_is_valid() {
        // The rust cell at the centre touches the outside rust diagonally at the
        // north-east: the reuring ring pinches there; the hole touches the exterior.
        let (c, r, g) = grid(&[&[X, X, R], &[X, R, X], &[X, X, X]]);
        let polys = check(c, r, &g);
        let reuring: Vec<_> = polys.iter().filter(|(k, _)| *k == X).collect();
        assert_eq!(reuring.len(), 1);
        assert_eq!(reuring[0].1.interiors().len(), 1);
        // The hole and the exterior share the vertex (2, 2).
        let shared = (2.0, 2.0);
        let on = |ls: &LineString<f64>| ls.0.iter().any(|c| (c.x, c.y) == shared);
        assert!(on(reuring[0].1.exterior()) && on(&reuring[0].1.interiors()[0]));
        let (c, r, g) = grid(&[&[R, R, R, R], &[R, X, R, R], &[R, R, X, R], &[R, R, R, R]]);
        // Two reuring cells meeting at a corner are separate regions.
        let polys = check(c, r, &g);
        assert_eq!(polys.iter().filter(|(k, _)| *k == X).count(), 2);
        // Checkerboard: every cell its own region, all valid.
        let (c, r, g) = grid(&[&[X, R, X, R], &[R, X, R, X], &[X, R, X, R]]);
        assert_eq!(check(c, r, &g).len(), 12);
    }

    #[test]
    fn holes_are_kept_and_nested() {
        let (c, r, g) = grid(&[
            &[R, R, R, R, R, R, R],
            &[R, G, G, G, G, G, R],
            &[R, G, X, X, X, G, R],
            &[R, G, X, R, X, G, R],
            &[R, G, X, X, X, G, R],
            &[R, G, G, G, G, G, R],
            &[R, R, R, R, R, R, R],
        ]);
        let polys = check(c, r, &g);
        assert_eq!(polys.len(), 4);
        for (k, p) in &polys {
            let holes = p.interiors().len();
            match k {
                X | G => assert_eq!(holes, 1),
                R => assert!(holes <= 1),
            }
        }
    }

    #[test]
    fn merge_small_takes_the_largest_neighbour() {
        let (c, r, mut g) = grid(&[
            &[R, R, R, R, G, G],
            &[R, X, R, R, G, G],
            &[R, R, R, G, G, G],
        ]);
        merge_small(c, r, &mut g, 2.0);
        assert!(!g.contains(&X));
        // A speck between two regions takes the larger one's class, and a region
        // reached through it is joined.
        let (c, r, mut g) = grid(&[&[R, R, R, X, G, G]]);
        merge_small(c, r, &mut g, 2.0);
        assert_eq!(g, vec![R, R, R, R, G, G]);
        // Two small neighbours of the same size: deterministic, and nothing small stays.
        let (c, r, mut g) = grid(&[&[X, G]]);
        merge_small(c, r, &mut g, 2.0);
        assert_eq!(g, vec![G, G]);
        let (c, r, mut g) = grid(&[&[X, R, X, R], &[R, X, R, X]]);
        merge_small(c, r, &mut g, 3.0);
        let regs = label(c, r, &g);
        assert!(regs.comps.iter().all(|c| c.cells >= 3) || regs.comps.len() == 1);
    }
}
