//! From a grid of classes to regions and polygons.
//!
//! Regions are connected components of cells of one class, cells joined when they share
//! an edge (4-connectivity); for a mask, only the set cells form regions and the unset
//! ones are left out like the outside of the grid. Polygons are traced along cell
//! edges in integer vertex coordinates, so they are exact and need no overlay.
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
/// their first cell; cells outside the study area (`None`) get no region ([`NONE`]).
pub(super) fn label(cols: usize, rows: usize, class: &[Option<ZoneCharacter>]) -> Regions {
    let (labels, comps) = label_runs(cols, rows, class, |c| c.is_some());
    let comps = comps
        .into_iter()
        .filter_map(|(class, cells)| class.map(|class| Region { class, cells }))
        .collect();
    Regions { labels, comps }
}

/// Labels the 4-connected regions of set cells, numbered in row-major order of their
/// first cell; unset cells get no region ([`NONE`]), so [`trace`] traces only the set
/// regions (their holes included). Returns the labels and the number of regions.
pub(super) fn label_mask(cols: usize, rows: usize, mask: &[bool]) -> (Vec<u32>, usize) {
    let (labels, comps) = label_runs(cols, rows, mask, |m| m);
    (labels, comps.len())
}

/// Sets every gap of `mask`: a 4-connected group of unset cells that does not
/// touch the edge of the grid and has fewer than `max_cells` cells. Returns how
/// many cells were set.
pub(super) fn fill_gaps(cols: usize, rows: usize, mask: &mut [bool], max_cells: usize) -> usize {
    if max_cells == 0 || cols == 0 || rows == 0 || mask.len() != cols * rows {
        return 0;
    }
    let (labels, comps) = label_runs(cols, rows, &*mask, |m: bool| !m);
    let mut fill: Vec<bool> = comps.iter().map(|&(_, n)| n < max_cells).collect();
    let mut edge = |c: usize| {
        if let Some(f) = fill.get_mut(labels[c] as usize) {
            *f = false;
        }
    };
    for col in 0..cols {
        edge(col);
        edge((rows - 1) * cols + col);
    }
    for row in 0..rows {
        edge(row * cols);
        edge(row * cols + cols - 1);
    }
    let mut set = 0;
    for (m, &l) in mask.iter_mut().zip(&labels) {
        if !*m && fill.get(l as usize).copied().unwrap_or(false) {
            *m = true;
            set += 1;
        }
    }
    set
}

/// Labels the 4-connected regions of equal value among the cells `keep` accepts
/// (the others get [`NONE`]), numbered in row-major order of their first cell.
/// Returns the labels and, per region, its value and number of cells.
///
/// Works on runs of equal value along a row instead of on single cells: runs of two
/// rows that share a column and a value are joined (union-find, the root being the
/// earliest run), then each region is numbered at its earliest run, which holds its
/// first cell.
fn label_runs<T: Copy + PartialEq>(
    cols: usize,
    rows: usize,
    cells: &[T],
    keep: impl Fn(T) -> bool,
) -> (Vec<u32>, Vec<(T, usize)>) {
    // Kept runs as (first cell, end cell), row by row.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut parent: Vec<u32> = Vec::new();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let p = parent[parent[x as usize] as usize];
            parent[x as usize] = p;
            x = p;
        }
        x
    }
    let mut prev = 0..0;
    for row in 0..rows {
        let base = row * cols;
        let line = &cells[base..base + cols];
        let first = runs.len();
        let mut c = 0;
        while c < cols {
            let v = line[c];
            let mut e = c + 1;
            while e < cols && line[e] == v {
                e += 1;
            }
            if keep(v) {
                parent.push(runs.len() as u32);
                runs.push((base + c, base + e));
            }
            c = e;
        }
        // Join with the runs of the row below that share a column and the value.
        let (mut p, mut q) = (prev.start, first);
        while p < prev.end && q < runs.len() {
            let (ps, pe) = (runs[p].0 + cols, runs[p].1 + cols);
            let (qs, qe) = runs[q];
            if ps < qe && qs < pe && cells[runs[p].0] == cells[qs] {
                let (a, b) = (find(&mut parent, p as u32), find(&mut parent, q as u32));
                parent[a.max(b) as usize] = a.min(b);
            }
            if pe <= qe {
                p += 1;
            } else {
                q += 1;
            }
        }
        prev = first..runs.len();
    }
    let mut labels = vec![NONE; cols * rows];
    let mut run_label = vec![NONE; runs.len()];
    let mut comps: Vec<(T, usize)> = Vec::new();
    for (k, &(s, e)) in runs.iter().enumerate() {
        let root = find(&mut parent, k as u32) as usize;
        if root == k {
            run_label[k] = comps.len() as u32;
            comps.push((cells[s], 0));
        } else {
            run_label[k] = run_label[root];
        }
        let id = run_label[k];
        labels[s..e].fill(id);
        comps[id as usize].1 += e - s;
    }
    (labels, comps)
}

/// Gives every region smaller than `min_cells` the class of its largest neighbouring
/// region (ties: the neighbour whose first cell comes first). Small regions are taken
/// smallest first; a region grown by a merge is judged again with its new size.
/// Cells outside the study area (`None`) are no region and no neighbour.
pub(super) fn merge_small(
    cols: usize,
    rows: usize,
    class: &mut [Option<ZoneCharacter>],
    min_cells: f64,
) {
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
            if a == NONE {
                continue;
            }
            if col + 1 < cols {
                let b = labels[row * cols + col + 1];
                if a != b && b != NONE {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
            if row + 1 < rows {
                let b = labels[(row + 1) * cols + col];
                if a != b && b != NONE {
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
        if l != NONE {
            let r = find(&mut parent, l);
            *c = Some(cls[r as usize]);
        }
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
    // The region on the left of the edge leaving (i, j) in direction d.
    let left = |i: i64, j: i64, d: usize| -> u32 {
        match d {
            0 => lab(i, j),
            1 => lab(i - 1, j),
            2 => lab(i - 1, j - 1),
            _ => lab(i, j - 1),
        }
    };
    let vcols = ci + 1;
    let nverts = ((ci + 1) * (ri + 1)) as usize;
    // Per vertex, a bit per boundary edge leaving it: an edge is a boundary when the
    // cells on its two sides differ, and it leaves the vertex from which it has a
    // region on its left. Found by comparing each cell with its neighbours below and
    // to the west, instead of looking up the four cells around every vertex.
    let mut open = vec![0u8; nverts];
    let vc = cols + 1;
    let outside = vec![NONE; cols];
    let row_of = |j: usize| {
        if j < rows {
            &labels[j * cols..(j + 1) * cols]
        } else {
            &outside[..]
        }
    };
    for j in 0..=rows {
        // Horizontal edges of vertex row j: east with the cell above on the left,
        // west with the cell below on the left.
        let below = if j > 0 { row_of(j - 1) } else { &outside[..] };
        let above = row_of(j);
        let verts = &mut open[j * vc..(j + 1) * vc];
        for (i, (&b, &a)) in below.iter().zip(above).enumerate() {
            if a != b {
                if a != NONE {
                    verts[i] |= 1;
                }
                if b != NONE {
                    verts[i + 1] |= 1 << 2;
                }
            }
        }
    }
    for j in 0..rows {
        // Vertical edges between vertex rows j and j + 1: north with the cell to the
        // west on the left, south with the cell to the east on the left.
        let line = row_of(j);
        let mut west = NONE;
        for i in 0..=cols {
            let east = if i < cols { line[i] } else { NONE };
            if west != east {
                if west != NONE {
                    open[j * vc + i] |= 1 << 1;
                }
                if east != NONE {
                    open[(j + 1) * vc + i] |= 1 << 3;
                }
            }
            west = east;
        }
    }
    for v in 0..nverts {
        while open[v] != 0 {
            let d0 = open[v].trailing_zeros() as usize;
            open[v] &= !(1 << d0);
            let (i0, j0) = (v as i64 % vcols, v as i64 / vcols);
            let region = left(i0, j0, d0);
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
                    .find(|&nd| open[vi] & (1 << nd) != 0 && left(i, j, nd) == region);
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

    /// [`super::label`] on a grid with every cell in the study area.
    fn label(cols: usize, rows: usize, class: &[ZoneCharacter]) -> Regions {
        let all: Vec<_> = class.iter().copied().map(Some).collect();
        super::label(cols, rows, &all)
    }

    /// [`super::merge_small`] on a grid with every cell in the study area.
    fn merge_small(cols: usize, rows: usize, class: &mut [ZoneCharacter], min_cells: f64) {
        let mut all: Vec<_> = class.iter().copied().map(Some).collect();
        super::merge_small(cols, rows, &mut all, min_cells);
        for (c, a) in class.iter_mut().zip(all) {
            *c = a.expect("every cell stays in the study area");
        }
    }

    #[test]
    fn cells_outside_the_study_area_are_no_region_and_never_merge() {
        // R R X · X R R: the two reuring specks are cut off by a cell outside the area,
        // so each is its own region; a small region next to the outside takes
        // its in-area neighbour's class, never "outside".
        let mut g = vec![Some(R), Some(R), Some(X), None, Some(X), Some(R), Some(R)];
        let regs = super::label(7, 1, &g);
        assert_eq!(regs.comps.len(), 4);
        assert_eq!(regs.labels[3], NONE);
        super::merge_small(7, 1, &mut g, 2.0);
        assert_eq!(
            g,
            vec![Some(R), Some(R), Some(R), None, Some(R), Some(R), Some(R)]
        );
    }

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

    /// The labelling as a flood fill from each unlabelled cell in row-major order.
    fn flood_fill(cols: usize, rows: usize, class: &[ZoneCharacter]) -> Regions {
        let mut labels = vec![NONE; cols * rows];
        let mut comps = Vec::new();
        for start in 0..cols * rows {
            if labels[start] != NONE {
                continue;
            }
            let id = comps.len() as u32;
            let (c, mut cells, mut stack) = (class[start], 0, vec![start]);
            labels[start] = id;
            while let Some(cell) = stack.pop() {
                cells += 1;
                let (col, row) = (cell % cols, cell / cols);
                let nbs = [
                    (col > 0).then(|| cell - 1),
                    (col + 1 < cols).then(|| cell + 1),
                    (row > 0).then(|| cell - cols),
                    (row + 1 < rows).then(|| cell + cols),
                ];
                for nb in nbs.into_iter().flatten() {
                    if labels[nb] == NONE && class[nb] == c {
                        labels[nb] = id;
                        stack.push(nb);
                    }
                }
            }
            comps.push(Region { class: c, cells });
        }
        Regions { labels, comps }
    }

    /// Random grids of all shapes, from mostly one class to noise.
    fn random_grids(classes: &[ZoneCharacter]) -> Vec<(usize, usize, Vec<ZoneCharacter>)> {
        let mut rng = crate::synthetic::SplitMix64(11);
        (0..300)
            .map(|case| {
                let cols = 1 + rng.below(if case % 10 == 0 { 3 } else { 24 }) as usize;
                let rows = 1 + rng.below(24) as usize;
                let skew = rng.unit();
                let cells = (0..cols * rows)
                    .map(|_| {
                        let i = if rng.unit() < skew {
                            0
                        } else {
                            rng.below(classes.len() as u64) as usize
                        };
                        classes[i]
                    })
                    .collect();
                (cols, rows, cells)
            })
            .collect()
    }

    #[test]
    fn runs_label_like_a_flood_fill_and_trace_valid_rings() {
        for (c, r, g) in random_grids(&[R, G, X]) {
            let (runs, flood) = (label(c, r, &g), flood_fill(c, r, &g));
            assert_eq!(runs.labels, flood.labels, "{c}x{r} {g:?}");
            let sizes = |rs: &Regions| {
                rs.comps
                    .iter()
                    .map(|c| (c.class, c.cells))
                    .collect::<Vec<_>>()
            };
            assert_eq!(sizes(&runs), sizes(&flood));
            check(c, r, &g);
        }
    }

    #[test]
    fn mask_regions_trace_like_the_full_labelling() {
        for (c, r, g) in random_grids(&[R, X]) {
            let mask: Vec<bool> = g.iter().map(|&k| k == X).collect();
            let (labels, regions) = label_mask(c, r, &mask);
            for (l, &m) in labels.iter().zip(&mask) {
                assert_eq!(*l == NONE, !m);
            }
            // The set regions of the full labelling, unset ones dropped: same rings
            // in the same order.
            let full = label(c, r, &g);
            let expected: Vec<_> = trace(c, r, &full.labels, full.comps.len())
                .into_iter()
                .zip(&full.comps)
                .filter(|(_, k)| k.class == X)
                .map(|(rings, _)| rings)
                .collect();
            assert_eq!(regions, expected.len());
            assert_eq!(trace(c, r, &labels, regions), expected, "{c}x{r} {mask:?}");
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
