//! Deriving the kernwinkelgebied (retail core) from shop density, for data
//! without a usable `landuse=retail` core.
//!
//! # Rule
//! Shops are projected to a local metric plane (equirectangular around the
//! centre of the shops; errors well under 1% over a city centre). A grid of
//! [`CELL_M`] cells covers the shops; a cell belongs to the core when at least
//! [`MIN_SHOPS`] active shops lie within [`RADIUS_M`] of its centre. Core cells
//! are dissolved into polygons, and parts smaller than [`MIN_PART_M2`] are dropped.

use geo::{Area, Coord, LineString, MapCoords, MultiPolygon, Polygon};
use rstar::RTree;

/// Grid cell size in metres.
pub const CELL_M: f64 = 50.0;
/// Search radius around each cell centre in metres.
pub const RADIUS_M: f64 = 100.0;
/// Minimum number of shops within the radius for a core cell.
pub const MIN_SHOPS: usize = 8;
/// Smallest dissolved part kept, in m² (four cells).
pub const MIN_PART_M2: f64 = 4.0 * CELL_M * CELL_M;

/// Mean Earth radius (m), for the local projection.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The rule in words, for the `source` property and the import report.
pub fn method() -> String {
    format!(
        "derived: ≥{MIN_SHOPS} shops within {RADIUS_M:.0} m ({CELL_M:.0} m grid, parts < {MIN_PART_M2:.0} m² dropped)"
    )
}

/// A local equirectangular projection around a centre point.
struct Local {
    lon0: f64,
    lat0: f64,
    cos0: f64,
}

impl Local {
    fn forward(&self, lon: f64, lat: f64) -> [f64; 2] {
        [
            EARTH_RADIUS_M * self.cos0 * (lon - self.lon0).to_radians(),
            EARTH_RADIUS_M * (lat - self.lat0).to_radians(),
        ]
    }
    fn inverse(&self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: self.lon0 + (c.x / (EARTH_RADIUS_M * self.cos0)).to_degrees(),
            y: self.lat0 + (c.y / EARTH_RADIUS_M).to_degrees(),
        }
    }
}

/// Derives core polygons (WGS84 degrees) from shop locations (lon, lat).
/// Parts are returned largest first.
pub(crate) fn derive(shops: &[(f64, f64)]) -> Vec<MultiPolygon<f64>> {
    if shops.len() < MIN_SHOPS {
        return Vec::new();
    }
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(lon, lat) in shops {
        w = w.min(lon);
        e = e.max(lon);
        s = s.min(lat);
        n = n.max(lat);
    }
    let lat0 = (s + n) / 2.0;
    let local = Local {
        lon0: (w + e) / 2.0,
        lat0,
        cos0: lat0.to_radians().cos(),
    };
    let points: Vec<[f64; 2]> = shops.iter().map(|&(x, y)| local.forward(x, y)).collect();
    let (min, max) = (local.forward(w, s), local.forward(e, n));
    let tree = RTree::bulk_load(points);
    // Cells aligned to the projection centre so the grid does not depend on
    // which shop is most westerly.
    let first = |v: f64| ((v - RADIUS_M) / CELL_M).floor() as i64;
    let last = |v: f64| ((v + RADIUS_M) / CELL_M).ceil() as i64;
    let mut cells = Vec::new();
    for j in first(min[1])..last(max[1]) {
        for i in first(min[0])..last(max[0]) {
            let (x0, y0) = (i as f64 * CELL_M, j as f64 * CELL_M);
            let centre = [x0 + CELL_M / 2.0, y0 + CELL_M / 2.0];
            let count = tree
                .locate_within_distance(centre, RADIUS_M * RADIUS_M)
                .take(MIN_SHOPS)
                .count();
            if count >= MIN_SHOPS {
                cells.push(square(x0, y0));
            }
        }
    }
    if cells.is_empty() {
        return Vec::new();
    }
    let merged = geo::unary_union(&cells);
    let mut parts: Vec<Polygon<f64>> = merged
        .0
        .into_iter()
        .filter(|p| p.unsigned_area() >= MIN_PART_M2)
        .collect();
    parts.sort_by(|a, b| b.unsigned_area().total_cmp(&a.unsigned_area()));
    parts
        .into_iter()
        .map(|p| MultiPolygon(vec![p.map_coords(|c| local.inverse(c))]))
        .collect()
}

fn square(x0: f64, y0: f64) -> Polygon<f64> {
    let x1 = x0 + CELL_M;
    let y1 = y0 + CELL_M;
    Polygon::new(
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_of_shops_makes_a_core_and_scattered_shops_do_not() {
        // 20 shops in a 60 m line near (4.89, 52.37); 10 scattered 1 km apart.
        let mut shops: Vec<(f64, f64)> = (0..20)
            .map(|i| (4.89 + i as f64 * 0.00004, 52.37))
            .collect();
        shops.extend((0..10).map(|i| (4.95 + i as f64 * 0.015, 52.40)));
        let parts = derive(&shops);
        assert_eq!(parts.len(), 1);
        let area_deg = parts[0].unsigned_area();
        assert!(area_deg > 0.0);
        assert!(derive(&shops[20..]).is_empty());
    }
}
