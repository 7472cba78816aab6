//! Polygon validity that scales: what [`geo::Validation`] checks, with its
//! ring self-intersection test made near-linear.
//!
//! geo 0.33's `Validation` tests every segment of a ring against every other
//! one: a footprint of 100k vertices took 87 s to load, 1M never finished.
//! [`first_problem`] answers with the same errors, in the same order, as
//! `validation_errors().first()` does:
//! - per ring: too few distinct points, a self-intersection, a non-finite
//!   coordinate;
//! - per polygon: interior rings inside the exterior and not touching it or
//!   each other on a line or an area (geo's `Relate`, already indexed);
//! - per multipolygon: parts that overlap or touch on a line.
//!
//! The self-intersection test keeps geo's rule (two segments that intersect
//! and are not consecutive, the start of one being the end of the other) but
//! finds candidate pairs through an R-tree of segment envelopes, so a ring of
//! n segments costs about n log n instead of n². Short rings (most buildings)
//! keep the direct loop, which is faster there.

use geo::RemoveRepeatedPoints;
use geo::algorithm::validation::{
    CoordIndex, GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole,
};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{Intersects, Line, LineString, MultiPolygon, Polygon, PreparedGeometry, Relate};

/// Rings with at most this many segments are tested pair by pair.
const DIRECT_MAX_SEGMENTS: usize = 64;

/// The first validity problem of `mp`, as `mp.validation_errors().first()`
/// would give it, or None when it is valid.
pub fn first_problem(mp: &MultiPolygon<f64>) -> Option<InvalidMultiPolygon> {
    for (i, polygon) in mp.0.iter().enumerate() {
        if let Some(p) = polygon_problem(polygon) {
            return Some(InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), p));
        }
        for (j, other) in mp.0.iter().enumerate().skip(i + 1) {
            let im = polygon.relate(other);
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Some(InvalidMultiPolygon::ElementsOverlaps(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Some(InvalidMultiPolygon::ElementsTouchOnALine(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
        }
    }
    None
}

/// The first problem of one polygon, in geo's order.
fn polygon_problem(polygon: &Polygon<f64>) -> Option<InvalidPolygon> {
    use geo::HasDimensions;
    if polygon.is_empty() {
        return None;
    }
    let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
    for (ring_idx, ring) in rings.enumerate() {
        if ring.0.is_empty() {
            continue;
        }
        let role = if ring_idx == 0 {
            RingRole::Exterior
        } else {
            RingRole::Interior(ring_idx - 1)
        };
        if ring.remove_repeated_points().0.len() < 4 {
            return Some(InvalidPolygon::TooFewPointsInRing(role));
        }
        if has_self_intersection(ring) {
            return Some(InvalidPolygon::SelfIntersection(role));
        }
        if let Some(k) = ring
            .0
            .iter()
            .position(|c| !c.x.is_finite() || !c.y.is_finite())
        {
            return Some(InvalidPolygon::NonFiniteCoord(role, CoordIndex(k)));
        }
    }
    if polygon.interiors().iter().all(|r| r.0.is_empty()) {
        return None;
    }
    // Rings against each other: geo's own checks, whose relate is indexed.
    let exterior = Polygon::new(polygon.exterior().clone(), Vec::new());
    let prepared_exterior = PreparedGeometry::from(&exterior);
    let interiors: Vec<(usize, Polygon<f64>)> = polygon
        .interiors()
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.0.is_empty())
        .map(|(k, r)| (k, Polygon::new(r.clone(), Vec::new())))
        .collect();
    for (n, (k1, ring1)) in interiors.iter().enumerate() {
        let role1 = RingRole::Interior(*k1);
        let prepared1 = PreparedGeometry::from(ring1);
        let im = prepared_exterior.relate(&prepared1);
        if !im.is_contains() {
            return Some(InvalidPolygon::InteriorRingNotContainedInExteriorRing(
                role1,
            ));
        }
        if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
            return Some(InvalidPolygon::IntersectingRingsOnALine(
                RingRole::Exterior,
                role1,
            ));
        }
        for (k2, ring2) in &interiors[n + 1..] {
            let role2 = RingRole::Interior(*k2);
            let im = prepared1.relate(ring2);
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Some(InvalidPolygon::IntersectingRingsOnAnArea(role1, role2));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Some(InvalidPolygon::IntersectingRingsOnALine(role1, role2));
            }
        }
    }
    None
}

/// Repairs an invalid (multi)polygon as GEOS `MakeValid` with its default
/// `linework` method (shapely's `make_valid`) does: the area inside an odd
/// number of its rings is inside (the even-odd rule over every ring of every
/// part). So a bow-tie becomes its two triangles, a spike disappears, a hole
/// outside its shell becomes a second part, and a building standing in a
/// courtyard whose ring the source gave to the wrong part still counts once.
/// Overlapping parts cancel where they overlap, as in GEOS. Rings with
/// non-finite coordinates are dropped. The result is valid and may be empty.
///
/// # Examples
/// ```
/// use binnenstad::io::validity::make_valid;
/// use geo::{Area, wkt};
/// let bowtie = wkt!(MULTIPOLYGON(((0. 0., 10. 10., 10. 0., 0. 10., 0. 0.))));
/// assert_eq!(make_valid(&bowtie).unsigned_area(), 50.0);
/// ```
pub fn make_valid(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    try_make_valid(mp).unwrap_or_else(|| MultiPolygon::new(Vec::new()))
}

/// [`make_valid`], or `None` when the overlay fails: geo 0.33's boolean
/// operations (i_overlay 4.5.2) panic on some degenerate rings (an index out
/// of bounds in `bind/solver.rs`, found by fuzzing the loader); the panic is
/// caught so that the caller can skip the feature and name it.
pub fn try_make_valid(mp: &MultiPolygon<f64>) -> Option<MultiPolygon<f64>> {
    std::panic::catch_unwind(|| overlay_even_odd(mp)).ok()
}

fn overlay_even_odd(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::BooleanOps;
    let finite = |r: &LineString<f64>| {
        r.0.len() >= 4 && r.0.iter().all(|c| c.x.is_finite() && c.y.is_finite())
    };
    // Every ring as a part of its own: the overlay's even-odd fill rule then
    // counts ring crossings over all of them.
    let rings = MultiPolygon::new(
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .filter(|r| finite(r))
            .map(|r| Polygon::new(r.clone(), Vec::new()))
            .collect(),
    );
    rings.union(&MultiPolygon::<f64>::new(Vec::new()))
}

/// Whether two segments of the ring intersect other than where consecutive
/// segments meet: geo's rule, `Validation`'s `SelfIntersection`.
pub fn has_self_intersection(ring: &LineString<f64>) -> bool {
    let lines: Vec<Line<f64>> = ring.lines().collect();
    let conflict =
        |a: &Line<f64>, b: &Line<f64>| a.intersects(b) && a.start != b.end && a.end != b.start;
    if lines.len() <= DIRECT_MAX_SEGMENTS {
        return lines.iter().enumerate().any(|(i, a)| {
            lines
                .iter()
                .enumerate()
                .any(|(j, b)| i != j && conflict(a, b))
        });
    }
    use rstar::primitives::{GeomWithData, Rectangle};
    use rstar::{AABB, RTree};
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            GeomWithData::new(
                Rectangle::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]),
                i,
            )
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    lines.iter().enumerate().any(|(i, a)| {
        let envelope = AABB::from_corners([a.start.x, a.start.y], [a.end.x, a.end.y]);
        tree.locate_in_envelope_intersecting(&envelope)
            .any(|b| b.data > i && conflict(a, &lines[b.data]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Validation, coord, wkt};

    #[test]
    fn make_valid_repairs_as_geos_does() {
        let area = |mp: MultiPolygon<f64>| {
            let fixed = make_valid(&mp);
            assert!(first_problem(&fixed).is_none(), "{fixed:?}");
            fixed.unsigned_area()
        };
        // A 10 x 10 bow-tie: two triangles of 25 m² (raw shoelace: 0).
        let bowtie = wkt!(MULTIPOLYGON(((0. 0., 10. 10., 10. 0., 0. 10., 0. 0.))));
        assert!((area(bowtie) - 50.0).abs() < 1e-9);
        // A hole outside its shell is a second part (raw: 100 - 25 = 75).
        let hole_outside = wkt!(MULTIPOLYGON(
            ((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.), (20. 0., 25. 0., 25. 5., 20. 5., 20. 0.))
        ));
        assert!((area(hole_outside) - 125.0).abs() < 1e-9);
        // A spike (zero-width) disappears; a hole inside stays subtracted.
        let spike = wkt!(MULTIPOLYGON(
            ((0. 0., 10. 0., 10. 10., 5. 10., 5. 20., 5. 10., 0. 10., 0. 0.))
        ));
        assert!((area(spike) - 100.0).abs() < 1e-9);
        let holed = wkt!(MULTIPOLYGON(
            ((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.), (2. 2., 4. 2., 4. 4., 2. 4., 2. 2.))
        ));
        assert!((area(holed) - 96.0).abs() < 1e-9);
        // A courtyard (hole) given to the building standing in it, not to
        // the block around it (as in a Copenhagen relation): 400 - 100 + 25.
        let courtyard = wkt!(MULTIPOLYGON(
            ((8. 8., 13. 8., 13. 13., 8. 13., 8. 8.), (5. 5., 15. 5., 15. 15., 5. 15., 5. 5.)),
            ((0. 0., 20. 0., 20. 20., 0. 20., 0. 0.))
        ));
        assert!((area(courtyard) - 325.0).abs() < 1e-9);
    }

    /// A tiny deterministic generator (no dependency): xorshift.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % 10_000) as f64 / 10_000.0
        }
    }

    fn ring(n: usize, rng: &mut Rng, jitter: f64, grid: bool) -> LineString<f64> {
        let mut pts: Vec<_> = (0..n)
            .map(|i| {
                let a = std::f64::consts::TAU * i as f64 / n as f64;
                let r = 10.0 + jitter * (rng.next() - 0.5) * 20.0;
                let (x, y) = (r * a.cos(), r * a.sin());
                if grid {
                    coord! { x: x.round(), y: y.round() }
                } else {
                    coord! { x: x, y: y }
                }
            })
            .collect();
        pts.push(pts[0]);
        LineString::new(pts)
    }

    #[test]
    fn agrees_with_geo_on_random_rings_short_and_long() {
        let mut rng = Rng(0x9e3779b97f4a7c15);
        let mut invalid = 0;
        let mut cases = 0;
        for n in [4, 5, 8, 30, 70, 150, 400] {
            for jitter in [0.0, 0.3, 1.0] {
                for grid in [false, true] {
                    for _ in 0..4 {
                        let exterior = ring(n, &mut rng, jitter, grid);
                        let hole = LineString::new(
                            ring(n.min(40), &mut rng, jitter, grid)
                                .0
                                .iter()
                                .map(|c| coord! { x: c.x * 0.3 + 1.0, y: c.y * 0.3 })
                                .collect(),
                        );
                        for mp in [
                            MultiPolygon::new(vec![Polygon::new(exterior.clone(), vec![])]),
                            MultiPolygon::new(vec![Polygon::new(exterior.clone(), vec![hole])]),
                        ] {
                            let expected = mp.validation_errors().into_iter().next();
                            invalid += usize::from(expected.is_some());
                            assert_eq!(first_problem(&mp), expected, "{mp:?}");
                            cases += 1;
                        }
                    }
                }
            }
        }
        assert!(invalid > 10 && invalid < cases - 10, "{invalid} of {cases}");
    }

    #[test]
    fn agrees_with_geo_on_degenerate_long_rings() {
        // Long enough for the R-tree path: repeated points, a spike out and
        // back along one line, a ring touching itself at a vertex, collinear
        // overlapping edges.
        let mut rng = Rng(42);
        let base = ring(200, &mut rng, 0.0, true).0;
        let mut repeated = base.clone();
        repeated.insert(10, repeated[10]);
        repeated.insert(100, repeated[100]);
        let mut spike = base.clone();
        let tip = coord! { x: spike[50].x * 0.5, y: spike[50].y * 0.5 };
        spike.splice(51..51, [tip, spike[50]]);
        let mut touch = base.clone();
        touch.insert(120, coord! { x: 0.0, y: 0.0 });
        touch.insert(20, coord! { x: 0.0, y: 0.0 });
        let mut overlap = base.clone();
        overlap.splice(60..60, [base[58], base[59]]);
        let mut invalid = Vec::new();
        for pts in [base, repeated, spike, touch, overlap] {
            let mp = MultiPolygon::new(vec![Polygon::new(LineString::new(pts), vec![])]);
            let expected = mp.validation_errors().into_iter().next();
            assert_eq!(first_problem(&mp), expected, "{mp:?}");
            invalid.push(expected.is_some());
        }
        assert_eq!(invalid, [false, false, true, true, true]);
    }

    #[test]
    fn known_shapes() {
        let bowtie: MultiPolygon<f64> = wkt! { MULTIPOLYGON(((0. 0.,2. 2.,2. 0.,0. 2.,0. 0.))) };
        assert_eq!(
            first_problem(&bowtie).map(|e| e.to_string()),
            bowtie.validation_errors().first().map(|e| e.to_string())
        );
        assert!(first_problem(&bowtie).is_some());
        let overlapping: MultiPolygon<f64> = wkt! {
            MULTIPOLYGON(((0. 0.,2. 0.,2. 2.,0. 2.,0. 0.)),((1. 1.,3. 1.,3. 3.,1. 3.,1. 1.)))
        };
        assert!(matches!(
            first_problem(&overlapping),
            Some(InvalidMultiPolygon::ElementsOverlaps(..))
        ));
        // A long valid ring, and the same with one crossing spike.
        let mut rng = Rng(7);
        let long = ring(100_000, &mut rng, 0.0, false);
        assert!(!has_self_intersection(&long));
        let mut crossing = long.0.clone();
        crossing.insert(50_000, coord! { x: 20.0, y: 0.0 });
        assert!(has_self_intersection(&LineString::new(crossing)));
    }
}
