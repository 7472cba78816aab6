//! The study area's edge (de rand van het plangebied): how far each building
//! lies from it.
//!
//! Input: the `study_area` polygons when the map has them (an OSM import writes
//! its bounding box as one), else the extent of the data the zoning used
//! ([`Zoning::extent`](crate::rules::zoning::Zoning::extent): buildings,
//! streets, horeca and amenities, without features far outside). Output: per
//! point, the straight-line distance (m) to the boundary; 0 outside the area.
//!
//! Why: the map holds nothing beyond its edge. A building 120 m from the edge
//! may have a supermarket 200 m away just outside the data, so "no
//! supermarket within 800 m" cannot be said there; the suitability calls such
//! an unmet need onbekend ([`Measure::NeedBeyondEdge`](crate::rules::suitability::Measure::NeedBeyondEdge)).
//! Walking is never shorter than the straight line, so a building farther from
//! the edge than a need's limit is judged as before.

use crate::model::RetailCore;
use geo::{Contains, Point, Rect};
use rstar::RTree;
use rstar::primitives::Line;

/// The boundary of the study area, indexed for distance queries.
#[derive(Debug)]
pub struct StudyEdge {
    /// Every ring segment of the boundary.
    segments: RTree<Line<[f64; 2]>>,
    /// The study area polygons (inside test); empty for a derived extent.
    areas: Vec<geo::MultiPolygon<f64>>,
    /// The derived extent (inside test), when there are no polygons.
    rect: Option<Rect<f64>>,
}

impl StudyEdge {
    /// The edge of the `study_area` polygons, else of `extent`; `None` when
    /// neither gives a boundary (no polygons, no finite extent).
    pub fn new(study_area: &[RetailCore], extent: Option<Rect<f64>>) -> Option<Self> {
        let mut segments = Vec::new();
        let mut areas = Vec::new();
        for a in study_area {
            for p in &a.area.0 {
                for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                    for l in ring.lines() {
                        let ok = [l.start, l.end]
                            .iter()
                            .all(|c| c.x.is_finite() && c.y.is_finite());
                        if ok && l.start != l.end {
                            segments.push(Line::new([l.start.x, l.start.y], [l.end.x, l.end.y]));
                        }
                    }
                }
            }
            areas.push(a.area.clone());
        }
        if !segments.is_empty() {
            return Some(StudyEdge {
                segments: RTree::bulk_load(segments),
                areas,
                rect: None,
            });
        }
        let r = extent?;
        let (a, b) = (r.min(), r.max());
        if !(a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite()) {
            return None;
        }
        let corners = [[a.x, a.y], [b.x, a.y], [b.x, b.y], [a.x, b.y]];
        let segments = (0..4)
            .map(|i| Line::new(corners[i], corners[(i + 1) % 4]))
            .collect();
        Some(StudyEdge {
            segments: RTree::bulk_load(segments),
            areas: Vec::new(),
            rect: Some(r),
        })
    }

    /// Straight-line distance (m) from `p` to the edge; 0 when `p` lies
    /// outside the study area (or on its edge). `None` for a non-finite point.
    ///
    /// # Examples
    /// ```
    /// use binnenstad::rules::edge::StudyEdge;
    /// let r = geo::Rect::new(geo::coord! { x: 0.0, y: 0.0 }, geo::coord! { x: 1000.0, y: 600.0 });
    /// let edge = StudyEdge::new(&[], Some(r)).unwrap();
    /// assert_eq!(edge.distance_m(geo::Point::new(500.0, 50.0)), Some(50.0));
    /// assert_eq!(edge.distance_m(geo::Point::new(-20.0, 50.0)), Some(0.0));
    /// ```
    pub fn distance_m(&self, p: Point<f64>) -> Option<f64> {
        if !(p.x().is_finite() && p.y().is_finite()) {
            return None;
        }
        let inside = match &self.rect {
            Some(r) => {
                p.x() > r.min().x && p.x() < r.max().x && p.y() > r.min().y && p.y() < r.max().y
            }
            None => self.areas.iter().any(|a| a.contains(&p)),
        };
        if !inside {
            return Some(0.0);
        }
        self.segments.nearest_neighbor(&[p.x(), p.y()]).map(|l| {
            use rstar::PointDistance;
            l.distance_2(&[p.x(), p.y()]).sqrt()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(wkt: geo::Polygon<f64>) -> RetailCore {
        RetailCore {
            id: "study_area/1".into(),
            area: geo::MultiPolygon(vec![wkt]),
            name: None,
        }
    }

    #[test]
    fn distance_to_the_polygon_edge_and_zero_outside() {
        let a =
            area(geo::wkt! { POLYGON((0.0 0.0, 1000.0 0.0, 1000.0 1000.0, 0.0 1000.0, 0.0 0.0)) });
        let edge = StudyEdge::new(&[a], None).expect("edge");
        assert_eq!(edge.distance_m(Point::new(500.0, 50.0)), Some(50.0));
        assert_eq!(edge.distance_m(Point::new(500.0, 500.0)), Some(500.0));
        assert_eq!(edge.distance_m(Point::new(1200.0, 500.0)), Some(0.0));
        assert_eq!(edge.distance_m(Point::new(f64::NAN, 500.0)), None);
    }

    #[test]
    fn without_polygons_the_extent_is_the_edge() {
        assert!(StudyEdge::new(&[], None).is_none());
        let r = Rect::new(
            geo::coord! { x: 100.0, y: 100.0 },
            geo::coord! { x: 300.0, y: 900.0 },
        );
        let edge = StudyEdge::new(&[], Some(r)).expect("edge");
        assert_eq!(edge.distance_m(Point::new(150.0, 500.0)), Some(50.0));
        assert_eq!(edge.distance_m(Point::new(50.0, 500.0)), Some(0.0));
    }
}
