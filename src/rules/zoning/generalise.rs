//! Generalising traced raster outlines without breaking validity.
//!
//! The tracer ([`super::dissolve::trace`]) follows cell edges, so a street at an
//! angle gives a staircase with a vertex at every cell corner. Walking areas
//! (coverage, isochrones) only need their outline to within about a cell, which
//! is also how exact the raster is. This module removes the staircase:
//!
//! 1. **Douglas-Peucker per ring** with a tolerance in cells: every dropped
//!    vertex lies within the tolerance of the segment that replaces it. Rings
//!    are anchored at their row-major first vertex (a corner of the convex hull)
//!    and at the vertex farthest from it.
//! 2. **Topology repaired locally**, in integer cell coordinates (exact): a
//!    shortcut (a segment that replaced two or more cell edges) is undone,
//!    restoring its cell edges, when it touches or crosses any other segment of
//!    any ring, when it folds back on its neighbour, or when the area it sweeps
//!    (between the cell edges it replaces and itself) holds a vertex of another
//!    ring, which would move a hole out of its polygon or a polygon into a
//!    hole. Repeated until no shortcut conflicts; the traced rings are valid
//!    (see [`super::dissolve`]), so this always ends, at worst with the traced
//!    rings themselves.
//!
//! This is the approach of Saalfeld's topologically consistent line
//! simplification (1999), specialised to rings on a lattice. Routing engines
//! generalise isochrone contours the same way (e.g. Valhalla's `generalize`,
//! in metres; OSRM's isochrone plugins with Douglas-Peucker).

use super::dissolve::Ring;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree, RTreeObject};

/// A traced polygon: exterior ring and holes, closed, in vertex coordinates.
pub(super) type Traced = (Ring, Vec<Ring>);

/// The rings of `polygons` simplified with Douglas-Peucker at `tolerance`
/// cells, repaired so that the result is exactly as valid as the input (no
/// ring touches or crosses another where the traced rings did not, no hole
/// leaves its polygon, no polygon enters another's hole).
///
/// Every output vertex is a traced vertex, in ring order; every traced vertex
/// lies within `tolerance` cells of its ring's output. A non-positive or
/// non-finite tolerance returns the rings unchanged.
pub(super) fn generalise(polygons: Vec<Traced>, tolerance: f64) -> Vec<Traced> {
    if !(tolerance.is_finite() && tolerance > 0.0) {
        return polygons;
    }
    // Flatten: ring r is polygons[owner[r].0], ring index owner[r].1 (0 = exterior).
    let mut rings: Vec<&Ring> = Vec::new();
    for (outer, holes) in &polygons {
        rings.push(outer);
        rings.extend(holes.iter());
    }
    let mut keep: Vec<Vec<bool>> = rings
        .iter()
        .map(|r| douglas_peucker(r, tolerance))
        .collect();
    repair(&rings, &mut keep, tolerance);
    let mut flat = rings
        .iter()
        .zip(&keep)
        .map(|(r, k)| {
            let mut out: Ring = (0..k.len()).filter(|&i| k[i]).map(|i| r[i]).collect();
            out.push(out[0]);
            out
        })
        .collect::<Vec<_>>()
        .into_iter();
    polygons
        .iter()
        .map(|(_, holes)| {
            let outer = flat.next().unwrap_or_default();
            let holes = holes.iter().filter_map(|_| flat.next()).collect();
            (outer, holes)
        })
        .collect()
}

/// Douglas-Peucker on a closed ring (first = last): which of its `len - 1`
/// distinct vertices to keep. Rings of four or fewer corners are kept whole.
fn douglas_peucker(ring: &Ring, tolerance: f64) -> Vec<bool> {
    let n = ring.len().saturating_sub(1);
    let mut keep = vec![true; n];
    if n <= 4 {
        return keep;
    }
    keep.fill(false);
    let far = (1..n)
        .max_by_key(|&i| {
            let (dx, dy) = (ring[i].0 - ring[0].0, ring[i].1 - ring[0].1);
            (dx * dx + dy * dy, std::cmp::Reverse(i))
        })
        .unwrap_or(1);
    keep[0] = true;
    keep[far] = true;
    let t2 = tolerance * tolerance;
    // ring[n] == ring[0], so the second half ends at index n.
    let mut stack = vec![(0usize, far), (far, n)];
    while let Some((i, j)) = stack.pop() {
        if j <= i + 1 {
            continue;
        }
        let (a, b) = (ring[i], ring[j]);
        let (mut worst, mut at) = (-1.0, i);
        for (k, &p) in ring.iter().enumerate().take(j).skip(i + 1) {
            let d = segment_distance2(p, a, b);
            if d > worst {
                (worst, at) = (d, k);
            }
        }
        if worst > t2 {
            keep[at] = true;
            stack.push((i, at));
            stack.push((at, j));
        }
    }
    keep
}

/// Squared distance from `p` to the segment `a`–`b` (cells²).
fn segment_distance2(p: (i64, i64), a: (i64, i64), b: (i64, i64)) -> f64 {
    let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
    let (px, py) = ((p.0 - a.0) as f64, (p.1 - a.1) as f64);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        ((px * dx + py * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (px - t * dx, py - t * dy);
    ex * ex + ey * ey
}

/// A segment of a generalised ring: ring, and the indices of its two ends in
/// the traced ring (`end` may be the ring's length minus one, vertex 0 again).
/// A *shortcut* when `end > start + 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Seg {
    ring: u32,
    start: u32,
    end: u32,
}

impl Seg {
    fn shortcut(self) -> bool {
        self.end > self.start + 1
    }
}

/// Undoes shortcuts until none conflicts (see the module docs). `keep[r][i]`:
/// whether vertex `i` of ring `r` stays; set for the vertices of undone shortcuts.
///
/// One R-tree of segments serves every pass: undone shortcuts stay in it but
/// are skipped as no longer live, and the restored cell edges are inserted. The
/// first pass checks every shortcut; later passes check only the restored cell
/// edges against the shortcuts (two cell edges never conflict, and the
/// shortcuts that passed have been checked against everything else).
fn repair(rings: &[&Ring], keep: &mut [Vec<bool>], tolerance: f64) {
    let n_of = |r: u32| rings[r as usize].len() - 1;
    let at = |r: u32, i: u32| rings[r as usize][i as usize];
    let item = |sg: Seg| {
        let (a, b) = (at(sg.ring, sg.start), at(sg.ring, sg.end));
        GeomWithData::new(
            Rectangle::from_corners([a.0.min(b.0), a.1.min(b.1)], [a.0.max(b.0), a.1.max(b.1)]),
            sg,
        )
    };
    let mut segs = Vec::new();
    for (r, k) in keep.iter().enumerate() {
        let n = k.len();
        let kept: Vec<usize> = (0..n).filter(|&i| k[i]).collect();
        for (t, &i) in kept.iter().enumerate() {
            let j = kept.get(t + 1).copied().unwrap_or(n);
            segs.push(Seg {
                ring: r as u32,
                start: i as u32,
                end: j as u32,
            });
        }
    }
    // Vertices a shortcut could sweep a whole ring over. A ring wholly within
    // the tolerance of a segment lies in a band 2 x tolerance wide, so its area
    // is at most that width times its length (at most its bounding box's
    // diagonal); any other ring in a swept area also crosses the shortcut.
    let thin: Vec<GeomWithData<[i64; 2], u32>> = rings
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let (mut lo, mut hi) = ([i64::MAX; 2], [i64::MIN; 2]);
            for &(x, y) in r.iter() {
                lo = [lo[0].min(x), lo[1].min(y)];
                hi = [hi[0].max(x), hi[1].max(y)];
            }
            let twice_area: i64 = r
                .windows(2)
                .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                .sum();
            let diagonal = ((hi[0] - lo[0]) as f64).hypot((hi[1] - lo[1]) as f64);
            twice_area.unsigned_abs() as f64 / 2.0 <= 2.0 * tolerance * diagonal
        })
        .flat_map(|(r, ring)| {
            ring[..ring.len() - 1]
                .iter()
                .map(move |&(x, y)| GeomWithData::new([x, y], r as u32))
        })
        .collect();
    let vertices = RTree::bulk_load(thin);
    let mut tree = RTree::bulk_load(segs.iter().map(|&sg| item(sg)).collect());
    // Live: still a segment of its ring (an undone shortcut has its inner
    // vertices kept again).
    let live = |keep: &[Vec<bool>], sg: Seg| {
        !sg.shortcut() || !keep[sg.ring as usize][sg.start as usize + 1]
    };
    // The live segments before and after `sg` in its ring.
    let neighbours = |keep: &[Vec<bool>], sg: Seg| {
        let k = &keep[sg.ring as usize];
        let n = k.len();
        let prev = (1..=n)
            .map(|d| (sg.start as usize + n - d) % n)
            .find(|&i| k[i])
            .unwrap_or(0);
        let next_end = (sg.end as usize % n + 1..=n)
            .find(|&i| i == n || k[i])
            .unwrap_or(n);
        let before = Seg {
            ring: sg.ring,
            start: prev as u32,
            end: if sg.start == 0 { n as u32 } else { sg.start },
        };
        let after = Seg {
            ring: sg.ring,
            start: (sg.end as usize % n) as u32,
            end: next_end as u32,
        };
        (before, after)
    };
    let mut todo: Vec<Seg> = segs.into_iter().filter(|s| s.shortcut()).collect();
    loop {
        let mut bad = std::collections::BTreeSet::new();
        for &sg in &todo {
            if !live(keep, sg) {
                continue;
            }
            let (a, b) = (at(sg.ring, sg.start), at(sg.ring, sg.end));
            let (before, after) = neighbours(keep, sg);
            // Folding back on a neighbour of the same ring.
            for (x, y, z, other) in [
                (at(before.ring, before.start), a, b, before),
                (a, b, at(after.ring, after.end), after),
            ] {
                if (sg.shortcut() || other.shortcut()) && orient(x, y, z) == 0 && dot(x, y, z) < 0 {
                    bad.extend([sg, other].into_iter().filter(|s| s.shortcut()));
                }
            }
            let n = n_of(sg.ring) as u32;
            for other in tree.locate_in_envelope_intersecting(&item(sg).envelope()) {
                let o = other.data;
                if o == sg || !(sg.shortcut() || o.shortcut()) || !live(keep, o) {
                    continue;
                }
                let adjacent = o.ring == sg.ring
                    && (o.start == sg.end % n || o.end % n == sg.start)
                    && !(o.start == sg.end % n && o.end % n == sg.start);
                if adjacent {
                    continue; // share one end; folding is checked above
                }
                if segments_meet(a, b, at(o.ring, o.start), at(o.ring, o.end)) {
                    bad.extend([sg, o].into_iter().filter(|s| s.shortcut()));
                }
            }
            if sg.shortcut() && sweeps_a_vertex(rings, sg, &vertices, tolerance) {
                bad.insert(sg);
            }
        }
        if bad.is_empty() {
            return;
        }
        todo.clear();
        for sg in bad {
            let k = &mut keep[sg.ring as usize];
            for i in sg.start + 1..sg.end {
                k[i as usize] = true;
            }
            for i in sg.start..sg.end {
                let edge = Seg {
                    ring: sg.ring,
                    start: i,
                    end: i + 1,
                };
                tree.insert(item(edge));
                todo.push(edge);
            }
        }
    }
}

/// Whether the area between shortcut `sg` and the cell edges it replaces (all
/// within `tolerance` cells of the shortcut) holds a vertex of another ring
/// (strictly inside: a vertex on the boundary is a touch the traced rings
/// already had).
fn sweeps_a_vertex(
    rings: &[&Ring],
    sg: Seg,
    vertices: &RTree<GeomWithData<[i64; 2], u32>>,
    tolerance: f64,
) -> bool {
    let chain = &rings[sg.ring as usize][sg.start as usize..=sg.end as usize];
    let (mut lo, mut hi) = ([i64::MAX; 2], [i64::MIN; 2]);
    for &(x, y) in chain {
        lo = [lo[0].min(x), lo[1].min(y)];
        hi = [hi[0].max(x), hi[1].max(y)];
    }
    vertices
        .locate_in_envelope(&AABB::from_corners(lo, hi))
        .filter(|v| v.data != sg.ring)
        .any(|v| {
            let p = (v.geom()[0], v.geom()[1]);
            // The swept area lies within the tolerance of the shortcut (every
            // replaced vertex does, and the area is between them): a cheap test first.
            segment_distance2(p, chain[0], chain[chain.len() - 1]) <= tolerance * tolerance
                && strictly_inside(p, chain)
        })
}

/// Whether `p` lies strictly inside the closed path `chain` + back to its start
/// (crossing number; `false` on the boundary). Exact on integers.
fn strictly_inside(p: (i64, i64), chain: &[(i64, i64)]) -> bool {
    let n = chain.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (chain[i], chain[(i + 1) % n]);
        if on_segment(p, a, b) {
            return false;
        }
        if (a.1 > p.1) != (b.1 > p.1) {
            // x of the crossing > p.x, compared without division.
            let lhs = (p.1 - a.1) as i128 * (b.0 - a.0) as i128;
            let rhs = (p.0 - a.0) as i128 * (b.1 - a.1) as i128;
            let right_of_p = if b.1 > a.1 { lhs > rhs } else { lhs < rhs };
            if right_of_p {
                inside = !inside;
            }
        }
    }
    inside
}

/// Sign of the turn a → b → c: positive left, negative right, 0 collinear.
fn orient(a: (i64, i64), b: (i64, i64), c: (i64, i64)) -> i128 {
    let v = (b.0 - a.0) as i128 * (c.1 - a.1) as i128 - (b.1 - a.1) as i128 * (c.0 - a.0) as i128;
    v.signum()
}

/// Dot product of a → b and b → c.
fn dot(a: (i64, i64), b: (i64, i64), c: (i64, i64)) -> i128 {
    (b.0 - a.0) as i128 * (c.0 - b.0) as i128 + (b.1 - a.1) as i128 * (c.1 - b.1) as i128
}

/// Whether `p` lies on the closed segment `a`–`b`.
fn on_segment(p: (i64, i64), a: (i64, i64), b: (i64, i64)) -> bool {
    orient(a, b, p) == 0
        && p.0 >= a.0.min(b.0)
        && p.0 <= a.0.max(b.0)
        && p.1 >= a.1.min(b.1)
        && p.1 <= a.1.max(b.1)
}

/// Whether the closed segments `a`–`b` and `c`–`d` share any point.
fn segments_meet(a: (i64, i64), b: (i64, i64), c: (i64, i64), d: (i64, i64)) -> bool {
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    if o1 != o2 && o3 != o4 && o1 * o2 <= 0 && o3 * o4 <= 0 {
        return true;
    }
    on_segment(c, a, b) || on_segment(d, a, b) || on_segment(a, c, d) || on_segment(b, c, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::SplitMix64;
    use geo::{Area, Contains, Coord, LineString, MultiPolygon, Point, Polygon, Validation};

    fn to_geo(polys: &[Traced]) -> MultiPolygon<f64> {
        let ring = |r: &Ring| {
            LineString::from(
                r.iter()
                    .map(|&(x, y)| Coord {
                        x: x as f64,
                        y: y as f64,
                    })
                    .collect::<Vec<_>>(),
            )
        };
        MultiPolygon(
            polys
                .iter()
                .map(|(o, h)| Polygon::new(ring(o), h.iter().map(ring).collect()))
                .collect(),
        )
    }

    /// Random masks: unions of discs and thick segments, with holes punched in,
    /// the shapes walking areas have.
    fn random_mask(rng: &mut SplitMix64, cols: usize, rows: usize) -> Vec<bool> {
        let mut mask = vec![false; cols * rows];
        let shapes = 1 + (rng.range(0.0, 6.0) as usize);
        for _ in 0..shapes {
            let (ax, ay) = (rng.range(0.0, cols as f64), rng.range(0.0, rows as f64));
            let (bx, by) = (rng.range(0.0, cols as f64), rng.range(0.0, rows as f64));
            let r = rng.range(0.7, 6.0);
            for row in 0..rows {
                for col in 0..cols {
                    let p = (col as f64 + 0.5, row as f64 + 0.5);
                    let d2 = segment_distance2_f(p, (ax, ay), (bx, by));
                    if d2 <= r * r {
                        mask[row * cols + col] = true;
                    }
                }
            }
        }
        // Holes and islands: single cells and small blocks flipped.
        for _ in 0..(rng.range(0.0, 12.0) as usize) {
            let (c, r) = (
                rng.range(0.0, cols as f64) as usize,
                rng.range(0.0, rows as f64) as usize,
            );
            let w = 1 + rng.range(0.0, 3.0) as usize;
            for rr in r..(r + w).min(rows) {
                for cc in c..(c + w).min(cols) {
                    mask[rr * cols + cc] = !mask[rr * cols + cc];
                }
            }
        }
        mask
    }

    fn segment_distance2_f(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (ex, ey) = (p.0 - a.0 - t * dx, p.1 - a.1 - t * dy);
        ex * ex + ey * ey
    }

    fn traced(cols: usize, rows: usize, mask: &[bool]) -> Vec<Traced> {
        let (labels, regions) = super::super::dissolve::label_mask(cols, rows, mask);
        super::super::dissolve::trace(cols, rows, &labels, regions)
    }

    /// geo's own validity check is the oracle; the outline stays within the
    /// tolerance; fewer vertices; cells far from the outline keep their side.
    #[test]
    fn generalised_masks_are_valid_close_and_smaller() {
        let mut rng = SplitMix64(11);
        let (mut before, mut after) = (0usize, 0usize);
        for case in 0..300 {
            let (cols, rows) = (10 + case % 37, 8 + case % 29);
            let mask = random_mask(&mut rng, cols, rows);
            let rings = traced(cols, rows, &mask);
            let exact = to_geo(&rings);
            let tol = [0.5, 1.0, 1.5, 3.0][case % 4];
            let simplified_rings = generalise(rings.clone(), tol);
            let simp = to_geo(&simplified_rings);
            assert!(
                simp.is_valid(),
                "case {case} tol {tol}: {:?}\nexact {exact:?}\ngeneralised {simp:?}",
                simp.validation_errors()
            );
            before += exact.0.iter().map(|p| p.exterior().0.len()).sum::<usize>();
            after += simp.0.iter().map(|p| p.exterior().0.len()).sum::<usize>();
            assert_eq!(simp.0.len(), exact.0.len());
            // Cells whose centre is farther than the tolerance from the traced
            // outline are on the same side of the generalised one.
            for row in 0..rows {
                for col in 0..cols {
                    let c = Point::new(col as f64 + 0.5, row as f64 + 0.5);
                    let near = rings
                        .iter()
                        .flat_map(|(o, h)| std::iter::once(o).chain(h))
                        .any(|r| {
                            r.windows(2).any(|w| {
                                segment_distance2_f(
                                    (c.x(), c.y()),
                                    (w[0].0 as f64, w[0].1 as f64),
                                    (w[1].0 as f64, w[1].1 as f64),
                                ) <= tol * tol
                            })
                        });
                    if !near {
                        assert_eq!(
                            simp.contains(&c),
                            mask[row * cols + col],
                            "case {case} tol {tol}: cell {col},{row}"
                        );
                    }
                }
            }
            let (ea, ga) = (exact.unsigned_area(), simp.unsigned_area());
            let perimeter: f64 = rings
                .iter()
                .flat_map(|(o, h)| std::iter::once(o).chain(h))
                .map(|r| (r.len() - 1) as f64)
                .sum::<f64>()
                .max(1.0);
            assert!(
                (ea - ga).abs() <= perimeter * tol * 2.0,
                "case {case}: {ea} vs {ga}"
            );
        }
        assert!(after < before, "{after} vertices of {before}");
    }

    #[test]
    fn a_staircase_becomes_a_straight_edge() {
        // A band at slope 1/3: three cells along, one up, forty times.
        let (cols, rows) = (130, 50);
        let mut mask = vec![false; cols * rows];
        for col in 0..cols - 5 {
            let base = col / 3;
            for row in base..base + 6 {
                mask[row * cols + col] = true;
            }
        }
        let rings = traced(cols, rows, &mask);
        let before = rings[0].0.len();
        let simp = generalise(rings, 1.0);
        let after = simp[0].0.len();
        assert!(before > 160, "{before}");
        assert!(after <= 8, "{after}: {:?}", simp[0].0);
        assert!(to_geo(&simp).is_valid());
    }

    #[test]
    fn a_hole_in_a_bump_keeps_the_bump() {
        // A 40 x 10 block with a 3 x 3 bump on top holding a one-cell hole.
        // Douglas-Peucker at 3.5 cells would cut the bump off and leave the hole
        // outside its polygon; the swept-area test undoes that shortcut.
        let (cols, rows) = (44, 16);
        let mut mask = vec![false; cols * rows];
        for row in 1..11 {
            for col in 2..42 {
                mask[row * cols + col] = true;
            }
        }
        for row in 11..14 {
            for col in 20..23 {
                mask[row * cols + col] = true;
            }
        }
        mask[12 * cols + 21] = false;
        let rings = traced(cols, rows, &mask);
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].1.len(), 1);
        // Without the repair the bump goes: the plain Douglas-Peucker drops it.
        let plain = douglas_peucker(&rings[0].0, 3.5);
        assert!(plain.iter().filter(|k| **k).count() < rings[0].0.len() - 1);
        let simp = to_geo(&generalise(rings, 3.5));
        assert!(simp.is_valid(), "{:?}", simp.validation_errors());
        assert_eq!(simp.0[0].interiors().len(), 1);
        assert!(!simp.contains(&Point::new(21.5, 12.5)), "the hole's cell");
        assert!(simp.contains(&Point::new(20.5, 12.5)), "the bump beside it");
    }

    #[test]
    fn no_tolerance_changes_nothing() {
        let mut rng = SplitMix64(3);
        let mask = random_mask(&mut rng, 30, 20);
        let rings = traced(30, 20, &mask);
        assert_eq!(generalise(rings.clone(), 0.0), rings);
        assert_eq!(generalise(rings.clone(), f64::NAN), rings);
    }
}
