//! Joining features to the network: the exact nearest point on the nearest edge.
//!
//! The R-tree holds every edge in pieces of up to eight segments; its distance
//! function is the exact point-to-polyline distance, so `nearest_neighbors` returns the
//! truly nearest piece (not the nearest envelope; polylines touch every face
//! of their envelope, so rstar's min-max pruning is sound). Then every piece at
//! that distance is collected and ties go to the lowest edge id, then the
//! lowest offset, so results are deterministic.

use super::graph::WalkNetwork;
use geo::Point;
use rayon::prelude::*;
use rstar::PointDistance;

/// Where a point joins the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The edge joined.
    pub edge: u32,
    /// Distance along the edge from its first node to the joining point (m).
    pub offset_m: f64,
    /// Straight-line length of the connector from the point to the edge (m).
    pub connector_m: f64,
    /// The joining point on the edge.
    pub point: Point<f64>,
}

impl WalkNetwork {
    /// The nearest point on the nearest edge, or `None` for an empty network or
    /// a non-finite (or beyond 1e9 m) point. The connector length is not checked here; see
    /// [`WalkNetwork::snap_within`].
    ///
    /// # Units
    /// Metres, in the working CRS.
    ///
    /// # Examples
    /// ```
    /// use binnenstad::model::Street;
    /// use binnenstad::network::WalkNetwork;
    /// use binnenstad::scenario::NetworkSettings;
    /// let street = Street { id: "s".into(), line: geo::wkt!(LINESTRING(0. 0., 100. 0.)), highway: None, name: None, grade: Default::default() };
    /// let (net, _) = WalkNetwork::build(&[street], &NetworkSettings::default());
    /// let snap = net.snap(geo::Point::new(30.0, 4.0)).unwrap();
    /// assert_eq!((snap.offset_m, snap.connector_m), (30.0, 4.0));
    /// ```
    pub fn snap(&self, p: Point<f64>) -> Option<Snap> {
        if !super::graph::in_range(p.0) {
            return None;
        }
        let q = [p.x(), p.y()];
        // The single nearest piece (branch and bound, exact leaf distances),
        // then every piece at that same distance so that ties go to the lowest edge.
        let d2_min = self.segs.nearest_neighbor(&q)?.distance_2(&q);
        let (edge, offset, on, d2) = self
            .segs
            .locate_within_distance(q, d2_min)
            .map(|s| {
                let (offset, on, d2) = s.closest(q);
                (s.edge, offset, on, d2)
            })
            .min_by(|a, b| {
                a.3.total_cmp(&b.3)
                    .then(a.0.cmp(&b.0))
                    .then(a.1.total_cmp(&b.1))
            })?;
        let len = self.edge_len[edge as usize];
        Some(Snap {
            edge,
            offset_m: offset.clamp(0.0, len),
            connector_m: d2.sqrt(),
            point: Point::new(on[0], on[1]),
        })
    }

    /// [`WalkNetwork::snap`], but `None` when the connector is longer than `max_connector_m`.
    pub fn snap_within(&self, p: Point<f64>, max_connector_m: f64) -> Option<Snap> {
        self.snap(p).filter(|s| s.connector_m <= max_connector_m)
    }

    /// Snaps many points in parallel (same result as one [`WalkNetwork::snap`] each).
    pub fn snap_all(&self, points: &[Point<f64>]) -> Vec<Option<Snap>> {
        points.par_iter().map(|p| self.snap(*p)).collect()
    }
}
