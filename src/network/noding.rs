//! Noding beyond shared vertices, on the cleaned lines before the graph is
//! built: T-junctions (a line end on another line's interior, or within the
//! snap tolerance of it) and, on request, crossings.
//!
//! Both join only lines at the same [`Grade`]: a path ending under a bridge
//! or a bridge over a street is not a junction. Both work by inserting the
//! bitwise-same point into every line that meets there, so that the vertex
//! noding in `graph.rs` joins them; neither moves any vertex farther than the
//! snap tolerance.
//!
//! Cost: one R-tree over pieces of up to [`PIECE_SEGS`] segments and one
//! small envelope query per line end; near-linear in the number of segments.

use super::graph::{PIECE_SEGS, closest_on};
use crate::model::Grade;
use geo::{Coord, Line};
use rstar::{AABB, RTree, RTreeObject};
use std::collections::HashMap;

fn dist(a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// A small id per distinct grade, so that lines compare by integer.
pub(crate) fn grade_ids(grades: &[&Grade]) -> Vec<u32> {
    let mut seen: HashMap<&Grade, u32> = HashMap::new();
    grades
        .iter()
        .map(|g| {
            let next = seen.len() as u32;
            *seen.entry(*g).or_insert(next)
        })
        .collect()
}

/// Up to [`PIECE_SEGS`] consecutive segments of one line.
#[derive(Clone, Copy)]
struct Piece {
    line: u32,
    /// Index of the first segment in its line.
    first: u32,
    n: u8,
    lo: [f64; 2],
    hi: [f64; 2],
}

impl RTreeObject for Piece {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(self.lo, self.hi)
    }
}

/// Where one line end joins: the segment it lands on and the point there.
struct Landing {
    line: u32,
    seg: u32,
    at: Coord<f64>,
}

/// Joins line ends to the interior of nearby lines (T-junctions).
///
/// A line end that has no other vertex within `tol` (those join by vertex
/// snapping) but lies within `tol` of a segment of a line at the same grade
/// moves onto the nearest point of the nearest such segment, and that point
/// is inserted into the segment. Ties go to the lower line and segment, so
/// the result does not depend on the tree. Returns the number of ends joined.
///
/// # Units
/// Coordinates and `tol` in metres.
pub(crate) fn snap_t_junctions(lines: &mut [Vec<Coord<f64>>], grade: &[u32], tol: f64) -> usize {
    if !(tol >= 1e-6 && tol.is_finite()) {
        return 0;
    }
    let mut pieces = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        let mut k = 0;
        while k + 1 < l.len() {
            let n = (l.len() - 1 - k).min(PIECE_SEGS);
            let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
            for c in &l[k..=k + n] {
                lo = [lo[0].min(c.x), lo[1].min(c.y)];
                hi = [hi[0].max(c.x), hi[1].max(c.y)];
            }
            pieces.push(Piece {
                line: li as u32,
                first: k as u32,
                n: n as u8,
                lo,
                hi,
            });
            k += n;
        }
    }
    let tree = RTree::bulk_load(pieces);

    // (line, is last end) -> landing, found on the unchanged lines.
    let mut moves: Vec<(usize, bool, Landing)> = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        if l.len() < 2 {
            continue;
        }
        for last in [false, true] {
            let p = if last { l[l.len() - 1] } else { l[0] };
            let pa = [p.x, p.y];
            let env = AABB::from_corners([pa[0] - tol, pa[1] - tol], [pa[0] + tol, pa[1] + tol]);
            let mut near_vertex = false;
            // (squared distance, line, segment, point)
            let mut best: Option<(f64, u32, u32, [f64; 2])> = None;
            for piece in tree.locate_in_envelope_intersecting(&env) {
                let other = &lines[piece.line as usize];
                for s in piece.first..piece.first + piece.n as u32 {
                    let (a, b) = (other[s as usize], other[s as usize + 1]);
                    for v in [a, b] {
                        if v != p && dist(v, p) <= tol {
                            near_vertex = true;
                        }
                    }
                    if a == p || b == p || grade[piece.line as usize] != grade[li] {
                        continue;
                    }
                    let (t, q, d2) = closest_on([a.x, a.y], [b.x, b.y], pa);
                    if d2 > tol * tol || t <= 0.0 || t >= 1.0 {
                        continue;
                    }
                    let cand = (d2, piece.line, s, q);
                    if best.is_none_or(|b| (cand.0, cand.1, cand.2) < (b.0, b.1, b.2)) {
                        best = Some(cand);
                    }
                }
            }
            if near_vertex {
                continue;
            }
            if let Some((_, line, seg, q)) = best {
                let at = Coord { x: q[0], y: q[1] };
                // A point that rounds onto a segment end is that vertex: nothing to split.
                let (a, b) = (
                    lines[line as usize][seg as usize],
                    lines[line as usize][seg as usize + 1],
                );
                if at != a && at != b {
                    moves.push((li, last, Landing { line, seg, at }));
                }
            }
        }
    }
    if moves.is_empty() {
        return 0;
    }

    let mut inserts: HashMap<(u32, u32), Vec<Coord<f64>>> = HashMap::new();
    for (li, last, landing) in &moves {
        let l = &mut lines[*li];
        let end = if *last { l.len() - 1 } else { 0 };
        l[end] = landing.at;
        inserts
            .entry((landing.line, landing.seg))
            .or_default()
            .push(landing.at);
    }
    insert_points(lines, &mut inserts);
    moves.len()
}

/// Inserts points into segments ((line, segment) -> points), each in order
/// along its segment; consecutive repeats are dropped.
fn insert_points(
    lines: &mut [Vec<Coord<f64>>],
    inserts: &mut HashMap<(u32, u32), Vec<Coord<f64>>>,
) {
    for (li, l) in lines.iter_mut().enumerate() {
        let mut out = Vec::with_capacity(l.len());
        for (si, w) in l.windows(2).enumerate() {
            if out.last() != Some(&w[0]) {
                out.push(w[0]);
            }
            if let Some(pts) = inserts.get_mut(&(li as u32, si as u32)) {
                let a = w[0];
                pts.sort_by(|p, q| dist(a, *p).total_cmp(&dist(a, *q)));
                for p in pts.iter() {
                    if out.last() != Some(p) && *p != w[1] {
                        out.push(*p);
                    }
                }
            }
        }
        if let Some(last) = l.last()
            && out.last() != Some(last)
        {
            out.push(*last);
        }
        *l = out;
    }
}

/// Inserts a vertex at every crossing between segments of different lines (or
/// non-adjacent segments of one line) at the same grade. Both lines get the
/// bitwise-same point.
pub(crate) fn node_crossings(lines: &mut [Vec<Coord<f64>>], grade: &[u32]) {
    #[derive(Clone, Copy)]
    struct S {
        line: u32,
        seg: u32,
        a: [f64; 2],
        b: [f64; 2],
    }
    impl RTreeObject for S {
        type Envelope = AABB<[f64; 2]>;
        fn envelope(&self) -> Self::Envelope {
            AABB::from_corners(self.a, self.b)
        }
    }
    let mut all = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        for (si, w) in l.windows(2).enumerate() {
            all.push(S {
                line: li as u32,
                seg: si as u32,
                a: [w[0].x, w[0].y],
                b: [w[1].x, w[1].y],
            });
        }
    }
    let tree = RTree::bulk_load(all.clone());
    // (line, seg) -> points to insert
    let mut inserts: HashMap<(u32, u32), Vec<Coord<f64>>> = HashMap::new();
    for s in &all {
        let ls = Line::new(Coord::from(s.a), Coord::from(s.b));
        for o in tree.locate_in_envelope_intersecting(&s.envelope()) {
            if (o.line, o.seg) <= (s.line, s.seg) {
                continue; // each pair once
            }
            if o.line == s.line && o.seg == s.seg + 1 {
                continue; // neighbours share a vertex already
            }
            if grade[o.line as usize] != grade[s.line as usize] {
                continue; // a bridge over a street, a tunnel under it
            }
            let lo = Line::new(Coord::from(o.a), Coord::from(o.b));
            use geo::algorithm::line_intersection::{LineIntersection, line_intersection};
            let pts: Vec<Coord<f64>> = match line_intersection(ls, lo) {
                None => continue,
                Some(LineIntersection::SinglePoint { intersection, .. }) => vec![intersection],
                Some(LineIntersection::Collinear { intersection }) => {
                    vec![intersection.start, intersection.end]
                }
            };
            for mut p in pts {
                // Reuse an existing endpoint bit for bit when the crossing is on it.
                for e in [ls.start, ls.end, lo.start, lo.end] {
                    if dist(p, e) < 1e-7 {
                        p = e;
                        break;
                    }
                }
                inserts.entry((s.line, s.seg)).or_default().push(p);
                inserts.entry((o.line, o.seg)).or_default().push(p);
            }
        }
    }
    if !inserts.is_empty() {
        insert_points(lines, &mut inserts);
    }
}
