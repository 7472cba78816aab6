//! Many conversions over one small area: exact conversions at the nodes of a
//! square lattice, biquadratic interpolation between them, and a measured
//! proof for every cell that the interpolation is within a tolerance (the idea
//! of GDAL's approximate transformer, with the error measured, not assumed).
//!
//! A city's outputs convert about ten positions per building (700k at 70k
//! buildings), each an inverse stereographic or transverse Mercator
//! projection plus a datum shift through geocentric coordinates: a seventh of
//! the whole plan; loading OpenStreetMap data (WGS84) converts every input
//! vertex the other way. Interpolation makes a written coordinate (rounded to
//! 1e-7°, about 1 cm) differ from the exact one only where the exact value
//! lies within the tolerance of a rounding boundary.
//!
//! # Why quadratic, and why the check is sound
//! Bilinear interpolation is not enough: parallels are curved in a projected
//! CRS, so latitude is quadratic along a row, and over 100 m RD New → WGS84
//! the midpoint error is 2.3e-9° (0.25 mm; measured, growing with the square
//! of the step). Lagrange interpolation through the three nearest nodes per
//! axis (a tensor product: it reproduces every `x^a·y^b` with `a, b ≤ 2`)
//! leaves, to third order, only the pure cubic terms `cx·x³ + cy·y³`. Along an
//! axis their error is `c·h³·s(s−1)(s−2)` with `s` counted from the stencil's
//! first node: for `s ∈ [½, 1½]` (inside the lattice) largest in magnitude,
//! `0.375·|c|·h³`, at `s = ½` and `s = 1½`, the midpoints between nodes, where
//! the stencil changes (the same magnitude on either side); in the half cells
//! along the lattice's edges, where the stencil cannot be centred, up to
//! `0.385·|c|·h³` (at `s = 1 ∓ 1/√3`), 3% more. So the error at a position is
//! at most about 1.03 times the error at the midpoint of a horizontal edge of
//! its cell (the `cx` term alone) plus that at the midpoint of a vertical edge
//! (the `cy` term alone). Every cell's bottom and left edge midpoints and its
//! centre are converted exactly and compared (a cell's top and right edges are
//! its neighbours' bottom and left ones), and the lattice is used only when,
//! for every cell, the sum of the two edge errors and the centre error are
//! each within a quarter of the tolerance: the bound above is then about half
//! the tolerance, and the other half is left for the terms of fourth and
//! higher order the argument neglects (checked against exact conversions in
//! eleven CRSs by a property test). Measured
//! for RD New and UTM 32N over city centres at a 100 m step: below 1e-12°.

use super::Transformer;
use crate::error::Error;
use rayon::prelude::*;

/// The lattice step tried first in a projected source CRS (metres), and the
/// largest tried before giving up on interpolation.
const STEP: f64 = 100.0;
const MAX_STEP: f64 = 2_000.0;
/// The same in a geographic source CRS (degrees): 0.001° is 111 m of latitude.
const STEP_DEG: f64 = 0.001;
const MAX_STEP_DEG: f64 = 0.02;

/// A [`Transformer`] that interpolates inside an extent and converts exactly
/// outside it (or everywhere, when no lattice passed its check).
pub struct Interpolating {
    exact: Transformer,
    lattice: Option<Lattice>,
}

/// Exact conversions at the nodes of a square lattice.
struct Lattice {
    x0: f64,
    y0: f64,
    step: f64,
    /// Cells across and up.
    nx: usize,
    ny: usize,
    /// `(nx + 1) × (ny + 1)` converted nodes, row by row from `(x0, y0)`.
    nodes: Vec<[f64; 2]>,
}

impl Interpolating {
    /// Prepares conversions with `exact` over `extent` (`[min_x, min_y, max_x,
    /// max_y]` in the source CRS), interpolated to within `tolerance` (target
    /// units) on a lattice of at most `max_nodes` nodes, of 100 m (0.001° in a
    /// geographic source) or a power of two times that. No lattice is built
    /// (every position is converted exactly) when the conversion is the
    /// identity, the extent is empty or not finite (or beyond ±90° of
    /// latitude), or no step up to 2 km (0.02°) passes the check.
    pub fn new(
        exact: Transformer,
        extent: Option<[f64; 4]>,
        tolerance: f64,
        max_nodes: usize,
    ) -> Interpolating {
        let lattice = extent.and_then(|extent| {
            if exact.identity() {
                return None;
            }
            let [x0, y0, x1, y1] = extent;
            let finite = [x0, y0, x1, y1].iter().all(|v| v.is_finite());
            if !finite || x1 < x0 || y1 < y0 {
                return None;
            }
            let (mut step, max_step) = if exact.source().is_geographic() {
                if y0 < -90.0 || y1 > 90.0 {
                    return None;
                }
                (STEP_DEG, MAX_STEP_DEG)
            } else {
                (STEP, MAX_STEP)
            };
            while step <= max_step {
                // Counted in f64: a huge extent must not wrap a usize.
                let nx = ((x1 - x0) / step).ceil().max(2.0);
                let ny = ((y1 - y0) / step).ceil().max(2.0);
                if (nx + 1.0) * (ny + 1.0) <= max_nodes as f64 {
                    let (nx, ny) = (nx as usize, ny as usize);
                    // A step that fails its check fails larger ones too (the
                    // error grows with its cube): no retry.
                    return Lattice::build(&exact, x0, y0, step, nx, ny, tolerance);
                }
                step *= 2.0;
            }
            None
        });
        Interpolating { exact, lattice }
    }

    /// The lattice step in source units, if interpolation is in use.
    pub fn step(&self) -> Option<f64> {
        self.lattice.as_ref().map(|l| l.step)
    }

    /// Converts every coordinate of a geometry (see [`Self::convert`]).
    ///
    /// # Errors
    /// The first coordinate that [`Transformer::convert`] rejects.
    pub fn convert_geometry<G>(&self, g: &G) -> Result<G, Error>
    where
        G: geo::MapCoords<f64, f64, Output = G>,
    {
        if self.lattice.is_none() {
            return self.exact.convert_geometry(g);
        }
        g.try_map_coords(|c| {
            self.convert(c.x, c.y)
                .map(|(x, y)| geo::coord! { x: x, y: y })
        })
    }

    /// Converts one position: interpolated inside the lattice, exactly
    /// outside it. Errors as [`Transformer::convert`] (only for exact ones:
    /// every node converted when the lattice was built).
    pub fn convert(&self, x: f64, y: f64) -> Result<(f64, f64), Error> {
        if let Some(p) = self.lattice.as_ref().and_then(|l| l.interpolate(x, y)) {
            return Ok(p);
        }
        self.exact.convert(x, y)
    }
}

impl Lattice {
    fn build(
        exact: &Transformer,
        x0: f64,
        y0: f64,
        step: f64,
        nx: usize,
        ny: usize,
        tolerance: f64,
    ) -> Option<Lattice> {
        let convert = |x: f64, y: f64| exact.convert(x, y).ok().map(|(a, b)| [a, b]);
        let nodes = (0..(nx + 1) * (ny + 1))
            .into_par_iter()
            .map(|k| {
                let (i, j) = (k % (nx + 1), k / (nx + 1));
                convert(x0 + i as f64 * step, y0 + j as f64 * step)
            })
            .collect::<Option<Vec<_>>>()?;
        let lattice = Lattice {
            x0,
            y0,
            step,
            nx,
            ny,
            nodes,
        };
        // Every cell: bottom and left edge midpoints, and the centre. The top
        // row's and right column's outer edges are checked as the bottom and
        // left edges of cells one beyond (their midpoints lie on the lattice).
        let error = |x: f64, y: f64| -> Option<f64> {
            let e = convert(x, y)?;
            let (a, b) = lattice.interpolate(x, y)?;
            Some((a - e[0]).abs().max((b - e[1]).abs()))
        };
        let passes = (0..(nx + 1) * (ny + 1)).into_par_iter().all(|k| {
            let (i, j) = (k % (nx + 1), k / (nx + 1));
            let (x, y) = (x0 + i as f64 * step, y0 + j as f64 * step);
            let half = step / 2.0;
            let bottom = if i < nx {
                error(x + half, y)
            } else {
                Some(0.0)
            };
            let left = if j < ny {
                error(x, y + half)
            } else {
                Some(0.0)
            };
            let centre = if i < nx && j < ny {
                error(x + half, y + half)
            } else {
                Some(0.0)
            };
            match (bottom, left, centre) {
                // The cell whose lower-left corner the node is: its own two
                // edges (opposite edges are checked by the neighbours), each
                // sum within a quarter of the tolerance (see the module docs).
                (Some(b), Some(l), Some(c)) => 4.0 * (b + l).max(c) <= tolerance,
                _ => false,
            }
        });
        passes.then_some(lattice)
    }

    /// Biquadratic interpolation from the 3 × 3 nodes around `(x, y)`, or
    /// None outside the lattice (or not finite).
    #[inline]
    fn interpolate(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let u = (x - self.x0) / self.step;
        let v = (y - self.y0) / self.step;
        // A millionth of a cell beyond the last node still counts as on it:
        // `x0 + n·step` itself lands there (0.001° steps are not exact).
        let (nx, ny) = (self.nx as f64 + 1e-6, self.ny as f64 + 1e-6);
        // Also false for NaN.
        if !(u >= 0.0 && v >= 0.0 && u <= nx && v <= ny) {
            return None;
        }
        let (i, wx) = stencil(u, self.nx);
        let (j, wy) = stencil(v, self.ny);
        let row = self.nx + 1;
        let mut out = [0.0; 2];
        for (b, wy) in wy.iter().enumerate() {
            let k = (j + b) * row + i;
            let nodes = &self.nodes[k..k + 3];
            for c in 0..2 {
                out[c] += wy * (wx[0] * nodes[0][c] + wx[1] * nodes[1][c] + wx[2] * nodes[2][c]);
            }
        }
        Some((out[0], out[1]))
    }
}

/// The first of the three nodes nearest to lattice coordinate `u` (of `n`
/// cells, `n ≥ 2`) and the three Lagrange weights.
#[inline]
fn stencil(u: f64, n: usize) -> (usize, [f64; 3]) {
    // The node nearest to u is the middle one, except at the lattice's edges.
    let first = ((u + 0.5) as usize).saturating_sub(1).min(n - 2);
    let s = u - first as f64;
    (
        first,
        [
            0.5 * (s - 1.0) * (s - 2.0),
            -s * (s - 2.0),
            0.5 * s * (s - 1.0),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crs::Crs;
    use proptest::prelude::*;

    fn rd_to_wgs84(extent: [f64; 4]) -> (Transformer, Interpolating) {
        let t = Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        let i = Interpolating::new(
            Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap(),
            Some(extent),
            1e-10,
            1 << 20,
        );
        (t, i)
    }

    /// Amsterdam's centre and around, in RD New.
    const AMSTERDAM: [f64; 4] = [118_000.0, 484_000.0, 124_500.0, 489_500.0];

    #[test]
    fn rd_new_is_interpolated_at_the_first_step() {
        let (_, i) = rd_to_wgs84(AMSTERDAM);
        assert_eq!(i.step(), Some(STEP));
    }

    proptest! {
        /// Against the exact conversion at arbitrary positions in the extent:
        /// within the tolerance, far below the 1e-7° written.
        #[test]
        fn interpolation_is_within_the_tolerance(
            fx in 0.0f64..=1.0, fy in 0.0f64..=1.0,
        ) {
            let (exact, i) = rd_to_wgs84(AMSTERDAM);
            let x = AMSTERDAM[0] + fx * (AMSTERDAM[2] - AMSTERDAM[0]);
            let y = AMSTERDAM[1] + fy * (AMSTERDAM[3] - AMSTERDAM[1]);
            let (a, b) = i.convert(x, y).unwrap();
            let (ea, eb) = exact.convert(x, y).unwrap();
            prop_assert!((a - ea).abs() <= 1e-10 && (b - eb).abs() <= 1e-10,
                "({x}, {y}): {a}, {b} vs {ea}, {eb}");
        }
    }

    #[test]
    fn nodes_are_exact_and_outside_is_exact() {
        let (exact, i) = rd_to_wgs84(AMSTERDAM);
        for (x, y) in [
            (118_000.0, 484_000.0),
            (118_100.0, 484_300.0),
            (124_500.0, 489_500.0),
            (200_000.0, 400_000.0),
            (117_999.0, 484_000.0),
        ] {
            assert_eq!(i.convert(x, y).unwrap(), exact.convert(x, y).unwrap());
        }
        assert!(i.convert(f64::NAN, 485_000.0).is_err());
        assert!(i.convert(120_000.0, f64::INFINITY).is_err());
    }

    #[test]
    fn a_tolerance_it_cannot_meet_means_exact_conversion() {
        // 1e-17°: below the rounding of a double near 5° (9e-16).
        let i = Interpolating::new(
            Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap(),
            Some(AMSTERDAM),
            1e-17,
            1 << 20,
        );
        assert_eq!(i.step(), None);
        let exact = Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        assert_eq!(
            i.convert(120_013.7, 486_001.3).unwrap(),
            exact.convert(120_013.7, 486_001.3).unwrap()
        );
    }

    #[test]
    fn the_node_budget_widens_the_step_or_declines() {
        let t = || Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        // 6.5 km × 5.5 km at 100 m is 65 × 55 cells, 3696 nodes; at 200 m
        // 33 × 28 cells, 986 nodes.
        let i = Interpolating::new(t(), Some(AMSTERDAM), 1e-9, 1000);
        assert_eq!(i.step(), Some(200.0));
        assert_eq!(
            Interpolating::new(t(), Some(AMSTERDAM), 1e-9, 985).step(),
            Some(400.0)
        );
        // Not even 2 km fits four nodes.
        assert_eq!(
            Interpolating::new(t(), Some(AMSTERDAM), 1e-9, 4).step(),
            None
        );
    }

    #[test]
    fn a_huge_extent_gets_no_lattice() {
        // 1e300 m across: the cell count does not fit a usize.
        let t = Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        let huge = [0.0, 400_000.0, 1e300, 500_000.0];
        let i = Interpolating::new(t, Some(huge), 1e-9, usize::MAX);
        assert_eq!(i.step(), None);
        let exact = Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
        assert_eq!(
            i.convert(120_000.0, 487_000.0).unwrap(),
            exact.convert(120_000.0, 487_000.0).unwrap()
        );
    }

    #[test]
    fn no_lattice_for_identity_or_bad_extents() {
        let id = Transformer::new(Crs::RD_NEW, Crs::RD_NEW).unwrap();
        assert_eq!(
            Interpolating::new(id, Some(AMSTERDAM), 1e-5, 1 << 20).step(),
            None
        );
        for bad in [
            [1.0, 1.0, 0.0, 2.0],
            [f64::NAN, 0.0, 1.0, 1.0],
            [0.0, 0.0, f64::INFINITY, 1.0],
        ] {
            let t = Transformer::new(Crs::RD_NEW, Crs::WGS84).unwrap();
            assert_eq!(Interpolating::new(t, Some(bad), 1e-9, 1 << 20).step(), None);
        }
        let wgs = Transformer::new(Crs::WGS84, Crs::RD_NEW).unwrap();
        let beyond_pole = [4.8, 89.99, 4.9, 90.5];
        assert_eq!(
            Interpolating::new(wgs, Some(beyond_pole), 1e-6, 1 << 20).step(),
            None
        );
    }

    proptest! {
        /// WGS84 -> RD New (loading OpenStreetMap data), 0.001° lattice over
        /// Amsterdam's centre: within 1e-6 m of the exact conversion.
        #[test]
        fn wgs84_sources_are_interpolated_within_the_tolerance(
            fx in 0.0f64..=1.0, fy in 0.0f64..=1.0,
        ) {
            let extent = [4.86, 52.35, 4.93, 52.39];
            let i = Interpolating::new(
                Transformer::new(Crs::WGS84, Crs::RD_NEW).unwrap(),
                Some(extent),
                1e-6,
                1 << 20,
            );
            prop_assert_eq!(i.step(), Some(STEP_DEG));
            let exact = Transformer::new(Crs::WGS84, Crs::RD_NEW).unwrap();
            let x = extent[0] + fx * (extent[2] - extent[0]);
            let y = extent[1] + fy * (extent[3] - extent[1]);
            let (a, b) = i.convert(x, y).unwrap();
            let (ea, eb) = exact.convert(x, y).unwrap();
            prop_assert!((a - ea).abs() <= 1e-6 && (b - eb).abs() <= 1e-6,
                "({x}, {y}): {a}, {b} vs {ea}, {eb}");
        }
    }

    #[test]
    fn geometries_are_converted_position_by_position() {
        let (exact, i) = rd_to_wgs84(AMSTERDAM);
        let line: geo::LineString<f64> = vec![
            (120_000.3, 486_000.7),
            (120_050.1, 486_020.9),
            (121_999.9, 488_888.8),
        ]
        .into();
        let fast = i.convert_geometry(&line).unwrap();
        for (c, f) in line.0.iter().zip(&fast.0) {
            assert_eq!(i.convert(c.x, c.y).unwrap(), (f.x, f.y));
            let (ex, ey) = exact.convert(c.x, c.y).unwrap();
            assert!((f.x - ex).abs() <= 1e-10 && (f.y - ey).abs() <= 1e-10);
        }
        let bad: geo::LineString<f64> = vec![(120_000.0, 486_000.0), (f64::NAN, 1.0)].into();
        assert!(i.convert_geometry(&bad).is_err());
    }

    #[test]
    fn utm_to_wgs84_is_interpolated_too() {
        // Copenhagen in UTM 32N (the working CRS of Danish data).
        let utm = Crs::from_epsg(32632).unwrap();
        let extent = [720_000.0, 6_170_000.0, 727_000.0, 6_178_000.0];
        let i = Interpolating::new(
            Transformer::new(utm, Crs::WGS84).unwrap(),
            Some(extent),
            1e-9,
            1 << 20,
        );
        assert_eq!(i.step(), Some(STEP));
        let exact = Transformer::new(utm, Crs::WGS84).unwrap();
        let (x, y) = (723_456.7, 6_174_321.9);
        let (a, b) = i.convert(x, y).unwrap();
        let (ea, eb) = exact.convert(x, y).unwrap();
        assert!((a - ea).abs() <= 1e-9 && (b - eb).abs() <= 1e-9);
    }

    /// European city centres (lon, lat) in a CRS whose domain holds them:
    /// the lattice must hold its tolerance for any projection a user's data
    /// may come in, not only RD New and UTM.
    const CITIES: [(u32, f64, f64); 11] = [
        (28992, 5.12, 52.09),  // Utrecht, RD New (oblique stereographic)
        (28992, 5.69, 50.85),  // Maastricht, RD New near its edge
        (32631, 2.35, 48.86),  // Paris, UTM 31N
        (32632, 12.57, 55.68), // Copenhagen, UTM 32N (1.4° from its meridian)
        (25832, 9.99, 53.55),  // Hamburg, ETRS89 / UTM 32N
        (3035, 16.37, 48.21),  // Vienna, ETRS89-LAEA
        (3857, -9.14, 38.72),  // Lisbon, Web Mercator
        (31370, 4.35, 50.85),  // Brussels, Belgian Lambert 72
        (27700, -0.13, 51.51), // London, British National Grid
        (2180, 21.01, 52.23),  // Warsaw, Poland CS92
        (2056, 8.54, 47.37),   // Zürich, Swiss LV95 (oblique Mercator)
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Any of those CRSs, both ways (projected → WGS84 as outputs are
        /// written, WGS84 → projected as OpenStreetMap data is loaded), an
        /// extent of 0.3-25 km around the centre, a node budget that may
        /// force a wider step: every position in the extent is within the
        /// tolerance of its exact conversion whenever a lattice is used, and
        /// a city-sized extent with room for 100 m (0.001°) nodes gets one.
        #[test]
        fn any_crs_is_interpolated_within_the_tolerance_or_exactly(
            city in 0..CITIES.len(),
            size_m in 300.0f64..25_000.0,
            aspect in 0.3f64..3.0,
            budget in 9usize..20_000,
            to_wgs84: bool,
            points in proptest::collection::vec((0.0f64..=1.0, 0.0f64..=1.0), 40),
        ) {
            let (code, lon, lat) = CITIES[city];
            let crs = Crs::from_epsg(code).unwrap();
            let to_crs = Transformer::new(Crs::WGS84, crs).unwrap();
            let (cx, cy) = to_crs.convert(lon, lat).unwrap();
            let (w, h) = (size_m * aspect.sqrt(), size_m / aspect.sqrt());
            let (source, target, extent, tolerance) = if to_wgs84 {
                (crs, Crs::WGS84, [cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0], 1e-10)
            } else {
                // Degrees: a metre is about 1/111 km of latitude.
                let (dx, dy) = (w / 111_000.0 / lat.to_radians().cos(), h / 111_000.0);
                (Crs::WGS84, crs, [lon - dx / 2.0, lat - dy / 2.0, lon + dx / 2.0, lat + dy / 2.0], 1e-6)
            };
            let exact = Transformer::new(source, target).unwrap();
            let i = Interpolating::new(
                Transformer::new(source, target).unwrap(), Some(extent), tolerance, budget,
            );
            if size_m <= 10_000.0 && budget >= 12_000 {
                prop_assert!(i.step().is_some(), "EPSG:{code} over {extent:?}: no lattice");
            }
            for (fx, fy) in points {
                let x = extent[0] + fx * (extent[2] - extent[0]);
                let y = extent[1] + fy * (extent[3] - extent[1]);
                let (a, b) = i.convert(x, y).unwrap();
                let (ea, eb) = exact.convert(x, y).unwrap();
                prop_assert!(
                    (a - ea).abs() <= tolerance && (b - eb).abs() <= tolerance,
                    "EPSG:{code} {} step {:?} at ({x}, {y}): {a}, {b} vs {ea}, {eb}",
                    if to_wgs84 { "-> WGS84" } else { "<- WGS84" }, i.step()
                );
            }
        }
    }
}
