//! Zoning: the reuring index on a grid, rust / gemengd / reuring, zone polygons.
//!
//! # Inputs
//! Buildings, horeca, amenities and the kernwinkelgebied of [`Layers`](crate::model::Layers), and
//! [`ZoningSettings`](crate::scenario::ZoningSettings) (cell size, kernel, radius, weights, thresholds, minimum zone area).
//!
//! # The reuring index
//! A grid covers the study area: the bounding box of buildings, horeca, amenities and
//! the kernwinkelgebied, padded by the kernel radius and snapped outwards to multiples of the cell size, so the
//! same inputs always give the same grid. Every cell centre gets
//!
//! ```text
//! index = Σ horeca   weight(category) × late factor × terrace factor × K(d / r)
//!       + Σ events   event weight × K(d / r)          (marketplace, theatre, cinema, square)
//!       + retail core weight                           (when the centre lies in the kernwinkelgebied)
//! ```
//!
//! where `K` is the scenario's kernel, normalised to 1 at distance 0 and 0 from the radius
//! `r` on. With the default weights the index reads as **weighted horeca-equivalents
//! nearby**: one category-1 horeca right at the cell centre adds exactly 1.
//! See [`horeca_weight`](crate::rules::zoning::horeca_weight), [`closes_late`](crate::rules::zoning::closes_late), [`is_event_place`](crate::rules::zoning::is_event_place) and [`kernel_weight`](crate::rules::zoning::kernel_weight).
//!
//! # Classes and zones
//! A cell is reuring at or above the reuring threshold, gemengd at or above the gemengd
//! threshold, rust below. Connected regions of one class (cells sharing an edge) smaller
//! than `min_zone_area_m2` take the class of their largest neighbouring region, so the
//! grid's `class` is the smoothed class (the raw `index` is kept). Each remaining region
//! becomes one [`Zone`](crate::rules::zoning::Zone): a polygon traced along the cell edges, holes kept. Zones are valid
//! OGC polygons by construction: rings never touch themselves; where two cells of one
//! region meet only at a corner, the corner is shared by the outer ring and a hole, or by
//! two holes, which OGC allows. Zones tile the grid: no gaps, no overlaps.
//!
//! # Buildings
//! Every building takes the class and index of the cell holding its [`Building::anchor`]
//! (O(1) per building).
//!
//! # Units
//! Metres in the working CRS; areas in m².
//!
//! [`Building::anchor`]: crate::model::Building::anchor

use crate::error::{Diagnostic, FeatureRef, Severity};
use crate::model::{Amenity, Extent, Horeca, Layers, ZoneCharacter};
use crate::scenario::{Kernel, ZoningSettings};
use geo::{Coord, LineString, MultiPolygon, Point, Polygon};
use rayon::prelude::*;

mod dissolve;
mod generalise;

/// Largest grid (in cells) zoning builds. A study area that would need more cells (a
/// huge extent, or a stray feature far away, e.g. in the wrong CRS) is zoned with a
/// coarser cell, an integer multiple of the scenario's, and a diagnostic says so.
/// 16 M cells is 100 × 100 km at 25 m (a province, or the 75 × 54 km of the
/// national benchmark's ten towns), about 400 MB of working memory; a
/// country's extent at 25 m (4 M cells until 2026-12-01) was zoned at 50 m.
pub const MAX_CELLS: usize = 16_000_000;

/// A closing time after this (minutes after midnight of the opening day) counts as late.
pub const LATE_AFTER_MINUTES: u32 = 24 * 60;

/// A closing time from 00:01 up to this (minutes) is read as the next morning, i.e. late,
/// for data that writes the clock time instead of adding 24 h.
pub const NEXT_MORNING_UNTIL_MINUTES: u32 = 6 * 60;

/// Rows per parallel work band when splatting sources onto the grid.
const BAND_ROWS: usize = 16;

/// The reuring index and class per grid cell.
///
/// Cells are stored row by row from the south-west corner: cell `(col, row)` is
/// `index[row * cols + col]` and covers `[x0 + col·cell_m, x0 + (col+1)·cell_m) ×
/// [y0 + row·cell_m, y0 + (row+1)·cell_m)` with `origin = [x0, y0]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReuringGrid {
    /// South-west corner of the grid (working CRS, metres), a multiple of `cell_m`.
    pub origin: [f64; 2],
    /// Cell size (m). The scenario's, unless the grid had to be coarsened ([`MAX_CELLS`]).
    pub cell_m: f64,
    /// Number of columns (west to east).
    pub cols: usize,
    /// Number of rows (south to north).
    pub rows: usize,
    /// Reuring index per cell (weighted horeca-equivalents nearby), as computed.
    pub index: Vec<f64>,
    /// Zone character per cell, after small regions were merged into their
    /// neighbours. A cell outside the study area (`in_area` false) belongs to no
    /// zone; its entry here is `rust` only as a filler.
    pub class: Vec<ZoneCharacter>,
    /// Per cell: inside the study area (see the module docs, "Study area").
    /// Empty means every cell (a grid built by hand).
    pub in_area: Vec<bool>,
}

impl ReuringGrid {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.cols * self.rows
    }

    /// True when the grid has no cells (nothing to zone).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell (row-major index) containing `p`, or `None` outside the grid or for a
    /// non-finite point. Points on a cell edge belong to the cell east / north of it.
    pub fn cell_of(&self, p: Point<f64>) -> Option<usize> {
        if !(p.x().is_finite() && p.y().is_finite()) || self.is_empty() {
            return None;
        }
        let c = ((p.x() - self.origin[0]) / self.cell_m).floor();
        let r = ((p.y() - self.origin[1]) / self.cell_m).floor();
        if c < 0.0 || r < 0.0 || c >= self.cols as f64 || r >= self.rows as f64 {
            return None;
        }
        Some(r as usize * self.cols + c as usize)
    }

    /// Index and class at `p`, or `None` outside the grid.
    pub fn at(&self, p: Point<f64>) -> Option<(f64, ZoneCharacter)> {
        self.cell_of(p).map(|i| (self.index[i], self.class[i]))
    }

    /// Centre of a cell (row-major index).
    pub fn cell_centre(&self, cell: usize) -> Point<f64> {
        let (col, row) = (cell % self.cols.max(1), cell / self.cols.max(1));
        Point::new(self.centre_x(col), self.centre_y(row))
    }

    /// The square of a cell, counter-clockwise.
    pub fn cell_polygon(&self, cell: usize) -> Polygon<f64> {
        let (col, row) = (cell % self.cols.max(1), cell / self.cols.max(1));
        let x0 = self.origin[0] + col as f64 * self.cell_m;
        let y0 = self.origin[1] + row as f64 * self.cell_m;
        let (x1, y1) = (x0 + self.cell_m, y0 + self.cell_m);
        Polygon::new(
            LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
            vec![],
        )
    }

    fn centre_x(&self, col: usize) -> f64 {
        self.origin[0] + (col as f64 + 0.5) * self.cell_m
    }

    fn centre_y(&self, row: usize) -> f64 {
        self.origin[1] + (row as f64 + 0.5) * self.cell_m
    }
}

/// One zone: a connected region of cells of one character.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Deterministic id: character and a number from 1 per character, counted from the
    /// south-west (row by row), e.g. `reuring-3`.
    pub id: String,
    /// Rust, gemengd or reuring.
    pub character: ZoneCharacter,
    /// The area: a valid polygon along cell edges (exterior counter-clockwise, holes
    /// clockwise, as RFC 7946 wants), holes kept.
    pub area: Polygon<f64>,
    /// Mean reuring index over the zone's cells.
    pub mean_index: f64,
    /// Area in m² (cells × cell area).
    pub area_m2: f64,
}

/// The zone of one building.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuildingZone {
    /// Character of the cell holding the building's anchor (rust when it has none).
    pub zone: ZoneCharacter,
    /// Reuring index of that cell (0 when it has none).
    pub reuring_index: f64,
    /// The grid cell (row-major), `None` when the footprint has no usable point.
    pub cell: Option<usize>,
    /// The point that placed the building: [`crate::model::Building::anchor`].
    pub anchor: Point<f64>,
}

/// The result of [`zone`].
#[derive(Debug, Clone)]
pub struct Zoning {
    /// The grid with index and class per cell.
    pub grid: ReuringGrid,
    /// Zones, ordered by their first cell from the south-west (row by row).
    pub zones: Vec<Zone>,
    /// Per cell, the position of its zone in `zones`.
    pub cell_zone: Vec<u32>,
    /// Per building, parallel to `layers.buildings`.
    pub buildings: Vec<BuildingZone>,
    /// Data problems met on the way (features without a usable location, coarsened grid).
    pub diagnostics: Vec<Diagnostic>,
    /// The study area's extent before padding: the bounding box of the
    /// `study_area` polygons, else of the data in it (buildings, streets,
    /// horeca, amenities, kernwinkelgebied; features far outside left out).
    /// `None` without any.
    pub extent: Option<geo::Rect<f64>>,
}

impl Zoning {
    /// The study area's size (km²): its cells (every cell of a grid without a mask).
    pub fn area_km2(&self) -> f64 {
        let cells = if self.grid.in_area.is_empty() {
            self.grid.len()
        } else {
            self.grid.in_area.iter().filter(|a| **a).count()
        };
        cells as f64 * self.grid.cell_m * self.grid.cell_m / 1e6
    }

    /// True when `p` lies in a cell of the study area.
    pub fn in_study_area(&self, p: Point<f64>) -> bool {
        self.grid
            .cell_of(p)
            .is_some_and(|c| self.grid.in_area.get(c).copied().unwrap_or(true))
    }

    /// The zone a building lies in, when it has a cell.
    pub fn zone_of_building(&self, building: usize) -> Option<&Zone> {
        let cell = self.buildings.get(building)?.cell?;
        self.zones.get(*self.cell_zone.get(cell)? as usize)
    }
}

/// The kernel at `distance_m` from a source with radius `radius_m`: 1 at 0, 0 at and
/// beyond the radius (and for a non-positive radius or a NaN distance).
///
/// | kernel | K(t), t = d / r |
/// |---|---|
/// | quartic | (1 − t²)² |
/// | triangular | 1 − t |
/// | uniform | 1 |
/// | gaussian | exp(−t² / (2 · (1/3)²)), truncated at t = 1 |
///
/// # Examples
/// ```
/// use binnenstad::rules::zoning::kernel_weight;
/// use binnenstad::scenario::Kernel;
/// assert_eq!(kernel_weight(Kernel::Quartic, 0.0, 100.0), 1.0);
/// assert_eq!(kernel_weight(Kernel::Quartic, 50.0, 100.0), 0.5625);
/// assert_eq!(kernel_weight(Kernel::Quartic, 100.0, 100.0), 0.0);
/// ```
pub fn kernel_weight(kernel: Kernel, distance_m: f64, radius_m: f64) -> f64 {
    if radius_m.is_nan() || radius_m <= 0.0 || distance_m.is_nan() || distance_m < 0.0 {
        return 0.0;
    }
    let t = distance_m / radius_m;
    kernel_t2(kernel, t * t)
}

/// The kernel as a function of t² = (d / r)².
#[inline]
fn kernel_t2(kernel: Kernel, t2: f64) -> f64 {
    if t2.is_nan() || t2 >= 1.0 {
        return 0.0;
    }
    match kernel {
        Kernel::Quartic => {
            let u = 1.0 - t2;
            u * u
        }
        Kernel::Triangular => 1.0 - t2.sqrt(),
        Kernel::Uniform => 1.0,
        Kernel::Gaussian => (-4.5 * t2).exp(),
    }
}

/// True when a horeca business closes after midnight: a closing time after 24:00
/// ([`LATE_AFTER_MINUTES`]), or one written as a clock time from 00:01 up to 06:00
/// ([`NEXT_MORNING_UNTIL_MINUTES`]). Unknown closing time: false.
pub fn closes_late(h: &Horeca) -> bool {
    matches!(h.closing_minutes, Some(m) if m > LATE_AFTER_MINUTES || (1..=NEXT_MORNING_UNTIL_MINUTES).contains(&m))
}

/// A horeca business's weight in the reuring index: the weight of its category, times
/// the late-opening factor when it [`closes_late`], times the terrace factor when it has
/// terrace seats. Unknown values do not raise the weight. Non-finite or negative
/// settings count as 0.
pub fn horeca_weight(h: &Horeca, settings: &ZoningSettings) -> f64 {
    let mut w = sane(settings.horeca_weight[(h.category.number() as usize).clamp(1, 3) - 1]);
    if closes_late(h) {
        w *= sane(settings.late_opening_factor);
    }
    if h.terrace_seats.is_some_and(|s| s > 0) {
        w *= sane(settings.terrace_factor);
    }
    w
}

/// True for amenities that make reuring as event places: marketplace, theatre, cinema
/// and square.
pub fn is_event_place(a: &Amenity) -> bool {
    // By name, so a `square` kind counts as soon as the model has one.
    matches!(
        a.kind.as_str(),
        "marketplace" | "theatre" | "cinema" | "square"
    )
}

fn sane(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 { x } else { 0.0 }
}

/// A weighted point source of reuring.
#[derive(Debug, Clone, Copy)]
struct Source {
    x: f64,
    y: f64,
    w: f64,
}

/// Kernel-weighted horeca and event places as point sources, in input order.
fn sources(layers: &Layers, settings: &ZoningSettings) -> Vec<Source> {
    let horeca = layers
        .horeca
        .iter()
        .map(|h| (h.point, horeca_weight(h, settings)));
    let events = layers
        .amenities
        .iter()
        .filter(|a| is_event_place(a))
        .map(|a| (a.point, sane(settings.event_weight)));
    horeca
        .chain(events)
        .filter(|(p, w)| p.x().is_finite() && p.y().is_finite() && *w > 0.0)
        .map(|(p, w)| Source {
            x: p.x(),
            y: p.y(),
            w,
        })
        .collect()
}

/// One source's contribution at a cell centre `dx, dy` away: identical arithmetic in
/// the fast path and the test oracle, so both agree bit for bit.
#[inline]
fn contribution(kernel: Kernel, w: f64, dx: f64, dy: f64, r2: f64) -> f64 {
    w * kernel_t2(kernel, (dx * dx + dy * dy) / r2)
}

/// Grid geometry for an extent: origin, cols, rows (snapped outwards to the cell size,
/// padded by the radius).
fn grid_frame(ext: &Extent, cell_m: f64, pad_m: f64) -> Option<([f64; 2], usize, usize)> {
    let lo = |v: f64| ((v - pad_m) / cell_m).floor();
    let hi = |v: f64| ((v + pad_m) / cell_m).ceil();
    let (c0, r0) = (lo(ext.min[0]), lo(ext.min[1]));
    let cols = (hi(ext.max[0]) - c0).max(1.0);
    let rows = (hi(ext.max[1]) - r0).max(1.0);
    let origin = [c0 * cell_m, r0 * cell_m];
    let fits = cols * rows <= MAX_CELLS as f64;
    (fits && origin[0].is_finite() && origin[1].is_finite()).then_some((
        origin,
        cols as usize,
        rows as usize,
    ))
}

/// Computes the reuring index, classes, zones and every building's zone.
///
/// Never panics: empty layers give an empty grid (every building rust, index 0);
/// features without a finite location are left out and reported in
/// [`Zoning::diagnostics`]; non-finite or negative weights count as 0. Deterministic:
/// the result does not depend on the number of threads.
///
/// # Examples
/// ```
/// use binnenstad::model::{Horeca, HorecaCategory, Layers, ZoneCharacter};
/// use binnenstad::rules::zoning::zone;
/// use binnenstad::scenario::{Kernel, ZoningSettings};
/// let settings = ZoningSettings {
///     cell_m: 25.0, kernel_radius_m: 100.0, kernel: Kernel::Quartic,
///     horeca_weight: [1.0, 3.0, 8.0], late_opening_factor: 1.5, terrace_factor: 1.25,
///     retail_core_weight: 2.0, event_weight: 3.0,
///     threshold_gemengd: 2.0, threshold_reuring: 6.0, min_zone_area_m2: 1250.0,
/// };
/// let club = Horeca {
///     id: "club".into(), point: geo::Point::new(1000.0, 1000.0), kind: "nightclub".into(),
///     category: HorecaCategory::Heavy, name: None, closing_minutes: None, terrace_seats: None,
/// };
/// let layers = Layers { horeca: vec![club], ..Layers::default() };
/// let zoning = zone(&layers, &settings);
/// let (_, class) = zoning.grid.at(geo::Point::new(1000.0, 1000.0)).unwrap();
/// assert_eq!(class, ZoneCharacter::Reuring);
/// ```
pub fn zone(layers: &Layers, settings: &ZoningSettings) -> Zoning {
    let mut diagnostics = Vec::new();

    // Anchors and extent of the buildings, in parallel; the min/max reduction is
    // order-independent, so the result is deterministic.
    let placed: Vec<(Point<f64>, Extent)> = layers.buildings.par_iter().map(place).collect();
    report_unplaced(layers, &placed, &mut diagnostics);
    let area = StudyArea::new(layers, &placed, &mut diagnostics);
    let ext = area.extent;

    let cell_req = if settings.cell_m.is_finite() && settings.cell_m > 0.0 {
        settings.cell_m
    } else {
        diagnostics.push(zoning_diagnostic(
            "invalid_setting",
            format!("zoning.cell_m = {} is unusable; 25 m used", settings.cell_m),
        ));
        25.0
    };
    let radius = sane(settings.kernel_radius_m);

    let frame = if ext.is_empty() {
        Some(([0.0, 0.0], 0, 0, cell_req))
    } else if let Some((o, c, r)) = grid_frame(&ext, cell_req, radius) {
        Some((o, c, r, cell_req))
    } else {
        // Too many cells: coarsen by whole multiples of the cell size until it fits.
        let (w, h) = (ext.max[0] - ext.min[0], ext.max[1] - ext.min[1]);
        let needed = ((w + 2.0 * radius) / cell_req + 1.0) * ((h + 2.0 * radius) / cell_req + 1.0);
        let mut factor = (needed / MAX_CELLS as f64).sqrt().ceil().max(2.0);
        let mut found = None;
        for _ in 0..64 {
            let cell_m = cell_req * factor;
            if let Some((o, c, r)) = grid_frame(&ext, cell_m, radius) {
                found = Some((o, c, r, cell_m));
                break;
            }
            factor = (factor * 1.1).ceil();
        }
        let message = match found {
            Some((.., cell_m)) => format!(
                "het plangebied ({w:.0} × {h:.0} m) vraagt ongeveer {needed:.0} cellen van {cell_req} m; \
                 gezoneerd met cellen van {cell_m} m (hoogstens {MAX_CELLS} cellen). \
                 Controleer op features ver buiten het gebied of in een verkeerd CRS"
            ),
            None => format!(
                "het plangebied ({w:.0} × {h:.0} m) past in geen raster; niets gezoneerd. \
                 Controleer op features ver buiten het gebied of in een verkeerd CRS"
            ),
        };
        diagnostics.push(zoning_diagnostic("grid_coarsened", message));
        found
    };
    let (origin, cols, rows, cell_m) = frame.unwrap_or(([0.0, 0.0], 0, 0, cell_req));

    let mut grid = ReuringGrid {
        origin,
        cell_m,
        cols,
        rows,
        index: vec![0.0; cols * rows],
        class: Vec::new(),
        in_area: Vec::new(),
    };
    let srcs = sources(layers, settings);
    splat(&mut grid, &srcs, settings.kernel, radius);
    add_retail_core(&mut grid, layers, sane(settings.retail_core_weight));
    grid.in_area = area.mask(&grid, layers, &placed, radius);

    let (tg, tr) = (settings.threshold_gemengd, settings.threshold_reuring);
    let mut class: Vec<Option<ZoneCharacter>> = grid
        .index
        .iter()
        .zip(&grid.in_area)
        .map(|(&v, &inside)| inside.then(|| classify(v, tg, tr)))
        .collect();
    let cell_area = cell_m * cell_m;
    let min_cells = if settings.min_zone_area_m2.is_finite() {
        settings.min_zone_area_m2 / cell_area
    } else {
        0.0
    };
    dissolve::merge_small(cols, rows, &mut class, min_cells);

    let comps = dissolve::label(cols, rows, &class);
    grid.class = class
        .iter()
        .map(|c| c.unwrap_or(ZoneCharacter::Rust))
        .collect();
    let rings = dissolve::trace(cols, rows, &comps.labels, comps.comps.len());
    let mut sums = vec![0.0; comps.comps.len()];
    for (cell, &l) in comps.labels.iter().enumerate() {
        if let Some(sum) = sums.get_mut(l as usize) {
            *sum += grid.index[cell];
        }
    }
    let mut counters = [0usize; 3];
    let to_xy = |(i, j): (i64, i64)| Coord {
        x: origin[0] + i as f64 * cell_m,
        y: origin[1] + j as f64 * cell_m,
    };
    let to_ring =
        |r: &Vec<(i64, i64)>| LineString::from(r.iter().map(|&v| to_xy(v)).collect::<Vec<_>>());
    let zones = comps
        .comps
        .iter()
        .zip(rings)
        .zip(sums)
        .map(|((c, (outer, holes)), sum)| {
            let k = c.class as usize;
            counters[k] += 1;
            Zone {
                id: format!("{}-{}", c.class, counters[k]),
                character: c.class,
                area: Polygon::new(to_ring(&outer), holes.iter().map(to_ring).collect()),
                mean_index: sum / c.cells as f64,
                area_m2: c.cells as f64 * cell_area,
            }
        })
        .collect();

    let buildings = placed
        .par_iter()
        .map(
            |(anchor, _)| match grid.cell_of(*anchor).filter(|&c| grid.in_area[c]) {
                Some(cell) => BuildingZone {
                    zone: grid.class[cell],
                    reuring_index: grid.index[cell],
                    cell: Some(cell),
                    anchor: *anchor,
                },
                None => BuildingZone {
                    zone: ZoneCharacter::Rust,
                    reuring_index: 0.0,
                    cell: None,
                    anchor: *anchor,
                },
            },
        )
        .collect();

    Zoning {
        grid,
        zones,
        cell_zone: comps.labels,
        buildings,
        diagnostics,
        extent: (!ext.is_empty()).then(|| {
            geo::Rect::new(
                geo::coord! { x: ext.min[0], y: ext.min[1] },
                geo::coord! { x: ext.max[0], y: ext.max[1] },
            )
        }),
    }
}

/// The cells set in `mask` (row-major, row 0 = south) as valid polygons along the
/// cell edges, holes kept: the same exact tracer that dissolves the zones, used
/// elsewhere for raster areas (coverage, isochrones). `origin` is the south-west
/// corner of cell 0.
pub fn mask_polygons(
    origin: [f64; 2],
    cell_m: f64,
    cols: usize,
    rows: usize,
    mask: &[bool],
) -> MultiPolygon<f64> {
    mask_polygons_generalised(origin, cell_m, cols, rows, mask, 0.0)
}

/// Sets the gaps of `mask` (`cols` × `rows`, row-major): 4-connected groups of
/// unset cells that do not touch the grid's edge and have fewer than
/// `max_cells` cells. Returns the number of cells set.
pub fn fill_mask_gaps(cols: usize, rows: usize, mask: &mut [bool], max_cells: usize) -> usize {
    dissolve::fill_gaps(cols, rows, mask, max_cells)
}

/// [`mask_polygons`] with the staircase of cell edges generalised: each ring
/// simplified (Douglas-Peucker) to within `tolerance_cells` cells of the traced
/// outline, with its validity kept (see `zoning/generalise.rs`: shortcuts that
/// would touch or cross another ring, fold back, or move a hole out of its
/// polygon are undone). Every vertex is a traced corner. `tolerance_cells` of 0
/// (or not finite) gives the traced outline itself.
pub fn mask_polygons_generalised(
    origin: [f64; 2],
    cell_m: f64,
    cols: usize,
    rows: usize,
    mask: &[bool],
    tolerance_cells: f64,
) -> MultiPolygon<f64> {
    if cols == 0 || rows == 0 || mask.len() != cols * rows || !mask.iter().any(|m| *m) {
        return MultiPolygon(vec![]);
    }
    // Only the set cells are labelled: the unset ones are no region, so their edges
    // with set cells are boundaries and no ring is traced around them.
    let (labels, regions) = dissolve::label_mask(cols, rows, mask);
    let rings = generalise::generalise(
        dissolve::trace(cols, rows, &labels, regions),
        tolerance_cells,
    );
    let to_xy = |(i, j): (i64, i64)| Coord {
        x: origin[0] + i as f64 * cell_m,
        y: origin[1] + j as f64 * cell_m,
    };
    let to_ring =
        |r: &Vec<(i64, i64)>| LineString::from(r.iter().map(|&v| to_xy(v)).collect::<Vec<_>>());
    MultiPolygon(
        rings
            .iter()
            .map(|(outer, holes)| Polygon::new(to_ring(outer), holes.iter().map(to_ring).collect()))
            .collect(),
    )
}

fn classify(v: f64, gemengd: f64, reuring: f64) -> ZoneCharacter {
    if v >= reuring {
        ZoneCharacter::Reuring
    } else if v >= gemengd {
        ZoneCharacter::Gemengd
    } else {
        ZoneCharacter::Rust
    }
}

/// A building or street farther than this (m) outside the box holding the
/// middle 98% of the building anchors (or the box's own size, when larger) lies
/// far outside the study area: a stray feature, in the wrong CRS or with its
/// coordinates swapped. It is reported and left out of the zoning.
pub const FAR_OUTSIDE_M: f64 = 2_000.0;

/// The study area: the scenario's `study_area` polygons, or derived from where
/// the buildings and streets are.
struct StudyArea {
    /// The grid's extent (before padding).
    extent: Extent,
    /// Outside this box a feature is far outside (derived areas only).
    bulk: Option<Extent>,
}

impl StudyArea {
    fn new(
        layers: &Layers,
        placed: &[(Point<f64>, Extent)],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> StudyArea {
        // The bulk of the buildings; without buildings, of the horeca and amenities.
        let bulk = bulk_box(placed.iter().map(|(a, _)| *a)).or_else(|| {
            bulk_box(
                layers
                    .horeca
                    .iter()
                    .map(|h| h.point)
                    .chain(layers.amenities.iter().map(|a| a.point)),
            )
        });
        let inside = |x: f64, y: f64| in_bulk(bulk, x, y);
        let mut extent = Extent::EMPTY;
        let mut far = |layer: &str, index: usize, id: &str, x: f64, y: f64| {
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                layer: layer.into(),
                file: None,
                feature: Some(FeatureRef {
                    index,
                    id: Some(id.to_string()),
                }),
                code: "far_outside",
                message: format!(
                    "ligt ver buiten het plangebied (op {x:.0}, {y:.0} in het werk-CRS, \
                     meer dan {FAR_OUTSIDE_M:.0} m buiten de kern van de gebouwen): \
                     verkeerd CRS of lengte- en breedtegraad verwisseld? Niet meegenomen in de zonering"
                ),
            });
        };
        for (i, (b, (anchor, e))) in layers.buildings.iter().zip(placed).enumerate() {
            if !(anchor.x().is_finite() && anchor.y().is_finite()) {
                continue;
            }
            if inside(anchor.x(), anchor.y()) {
                extent = extent.merge(*e);
            } else {
                far("buildings", i, &b.id, anchor.x(), anchor.y());
            }
        }
        for (i, st) in layers.streets.iter().enumerate() {
            let mut any = false;
            for c in &st.line.0 {
                if inside(c.x, c.y) {
                    extent.add(c.x, c.y);
                    any = true;
                }
            }
            if !any && let Some(c) = st.line.0.first() {
                far("streets", i, &st.id, c.x, c.y);
            }
        }
        let horeca = layers
            .horeca
            .iter()
            .enumerate()
            .map(|(i, h)| ("horeca", i, &h.id, h.point));
        let amenities = layers
            .amenities
            .iter()
            .enumerate()
            .map(|(i, a)| ("amenities", i, &a.id, a.point));
        for (layer, i, id, p) in horeca.chain(amenities) {
            let (x, y) = (p.x(), p.y());
            if !x.is_finite() || !y.is_finite() {
                continue;
            }
            if inside(x, y) {
                extent.add(x, y);
            } else {
                far(layer, i, id, x, y);
            }
        }
        for c in layers
            .retail_core
            .iter()
            .flat_map(|core| core.area.0.iter().flat_map(|p| &p.exterior().0))
        {
            if inside(c.x, c.y) {
                extent.add(c.x, c.y);
            }
        }
        if !layers.study_area.is_empty() {
            // The scenario's boundary gives the grid; far features are still named.
            extent = Extent::EMPTY;
            for c in layers
                .study_area
                .iter()
                .flat_map(|a| a.area.0.iter().flat_map(|p| &p.exterior().0))
            {
                extent.add(c.x, c.y);
            }
        }
        StudyArea { extent, bulk }
    }

    /// Per cell of `grid`: inside the study area: within the kernel radius of a
    /// building anchor, a street (sampled every half cell), a horeca business or
    /// an event place in the bulk (water, rail yards and empty land beyond the
    /// radius are no zone), and, with `study_area` polygons, with its centre in one.
    fn mask(
        &self,
        grid: &ReuringGrid,
        layers: &Layers,
        placed: &[(Point<f64>, Extent)],
        radius: f64,
    ) -> Vec<bool> {
        use geo::{BoundingRect, Intersects};
        let (cols, rows) = (grid.cols, grid.rows);
        let mut mask = vec![false; cols * rows];
        if cols * rows == 0 {
            return mask;
        }
        let near = self.near_features(grid, layers, placed, radius);
        if !layers.study_area.is_empty() {
            for a in &layers.study_area {
                let Some(r) = a.area.bounding_rect() else {
                    continue;
                };
                let c0 = ((r.min().x - grid.origin[0]) / grid.cell_m)
                    .floor()
                    .max(0.0) as usize;
                let r0 = ((r.min().y - grid.origin[1]) / grid.cell_m)
                    .floor()
                    .max(0.0) as usize;
                for row in r0..rows {
                    let y = grid.centre_y(row);
                    if y > r.max().y {
                        break;
                    }
                    for col in c0..cols {
                        let x = grid.centre_x(col);
                        if x > r.max().x {
                            break;
                        }
                        let c = row * cols + col;
                        if !mask[c] && near[c] && a.area.intersects(&Point::new(x, y)) {
                            mask[c] = true;
                        }
                    }
                }
            }
            return mask;
        }
        near
    }

    /// Per cell: within the kernel radius (at least two cells) of a building
    /// anchor, a street (sampled every half cell), a horeca business or an event
    /// place in the bulk.
    fn near_features(
        &self,
        grid: &ReuringGrid,
        layers: &Layers,
        placed: &[(Point<f64>, Extent)],
        radius: f64,
    ) -> Vec<bool> {
        let (cols, rows) = (grid.cols, grid.rows);
        let mut mask = vec![false; cols * rows];
        let inside = |x: f64, y: f64| x.is_finite() && y.is_finite() && in_bulk(self.bulk, x, y);
        // Seed cells, then a disk of the radius around each distinct seed.
        let mut seed = vec![false; cols * rows];
        let mut mark = |x: f64, y: f64| {
            if inside(x, y)
                && let Some(c) = grid.cell_of(Point::new(x, y))
            {
                seed[c] = true;
            }
        };
        for (anchor, _) in placed {
            mark(anchor.x(), anchor.y());
        }
        // Horeca and event places are in buildings or on streets in real data;
        // they seed too, so that a map of points alone still zones.
        for h in &layers.horeca {
            mark(h.point.x(), h.point.y());
        }
        for a in layers.amenities.iter().filter(|a| is_event_place(a)) {
            mark(a.point.x(), a.point.y());
        }
        let step = (grid.cell_m / 2.0).max(0.5);
        for st in &layers.streets {
            for w in st.line.0.windows(2) {
                let (a, b) = (w[0], w[1]);
                let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
                let n = if len.is_finite() {
                    (len / step).ceil().min(1e6) as usize
                } else {
                    0
                };
                for k in 0..=n {
                    let t = if n == 0 { 0.0 } else { k as f64 / n as f64 };
                    mark(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
                }
            }
        }
        // At least two cells around every seed, so a small kernel still leaves
        // neighbours for a one-cell speck to merge into.
        let radius = radius.max(2.0 * grid.cell_m);
        let reach = (radius / grid.cell_m).floor() as i64;
        // Half-widths of the disk per row offset (cell centres within the radius).
        let widths: Vec<i64> = (-reach..=reach)
            .map(|dy| {
                let dy = dy as f64 * grid.cell_m;
                ((radius * radius - dy * dy).max(0.0).sqrt() / grid.cell_m).floor() as i64
            })
            .collect();
        for (c, _) in seed.iter().enumerate().filter(|(_, s)| **s) {
            let (col, row) = ((c % cols) as i64, (c / cols) as i64);
            for (k, w) in widths.iter().enumerate() {
                let r = row + k as i64 - reach;
                if r < 0 || r >= rows as i64 {
                    continue;
                }
                let lo = (col - w).max(0) as usize;
                let hi = (col + w).min(cols as i64 - 1) as usize;
                mask[r as usize * cols + lo..=r as usize * cols + hi].fill(true);
            }
        }
        mask
    }
}

/// The features far outside the study area (see [`FAR_OUTSIDE_M`]): one
/// `far_outside` error per building, street, horeca business or amenity, naming
/// it. What zoning reports and leaves out; `check` and `plan --strict` fail on them.
pub fn far_outside(layers: &Layers) -> Vec<Diagnostic> {
    let placed: Vec<(Point<f64>, Extent)> = layers.buildings.iter().map(place).collect();
    let mut out = Vec::new();
    StudyArea::new(layers, &placed, &mut out);
    out
}

/// True when (x, y) lies in the bulk box (always, without one).
fn in_bulk(bulk: Option<Extent>, x: f64, y: f64) -> bool {
    bulk.is_none_or(|b| x >= b.min[0] && x <= b.max[0] && y >= b.min[1] && y <= b.max[1])
}

/// A building's anchor and the extent of its footprint. A footprint with a
/// non-finite coordinate has no meaningful anchor (NaN; geo's centroid asserts
/// closed rings, which NaN never compares as).
fn place(b: &crate::model::Building) -> (Point<f64>, Extent) {
    let mut e = Extent::EMPTY;
    let mut finite = true;
    for c in b.footprint.0.iter().flat_map(|p| &p.exterior().0) {
        finite &= c.x.is_finite() && c.y.is_finite();
        e.add(c.x, c.y);
    }
    let anchor = if finite && !b.footprint.0.is_empty() {
        b.anchor()
    } else {
        Point::new(f64::NAN, f64::NAN)
    };
    (anchor, e)
}

/// The box holding the middle 98% of the points in x and in y (at least the
/// outermost point at each end left out, from three points on), padded by
/// [`FAR_OUTSIDE_M`] or by its own size, whichever is larger. `None` without
/// finite points.
pub(crate) fn bulk_box(points: impl Iterator<Item = Point<f64>>) -> Option<Extent> {
    let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = points
        .filter(|p| p.x().is_finite() && p.y().is_finite())
        .map(|p| (p.x(), p.y()))
        .unzip();
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    ys.sort_by(f64::total_cmp);
    let n = xs.len();
    // At least the one most extreme point at each end is trimmed (from three
    // points on): with fewer than 100 buildings, one swapped building would
    // otherwise stretch the box over itself.
    let cut = if n >= 3 { (n / 100).max(1) } else { 0 };
    let (x0, x1, y0, y1) = (xs[cut], xs[n - 1 - cut], ys[cut], ys[n - 1 - cut]);
    let pad = FAR_OUTSIDE_M.max(x1 - x0).max(y1 - y0);
    Some(Extent {
        min: [x0 - pad, y0 - pad],
        max: [x1 + pad, y1 + pad],
    })
}

fn zoning_diagnostic(code: &'static str, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        layer: "zoning".into(),
        file: None,
        feature: None,
        code,
        message,
    }
}

fn report_unplaced(layers: &Layers, placed: &[(Point<f64>, Extent)], out: &mut Vec<Diagnostic>) {
    let finite = |p: Point<f64>| p.x().is_finite() && p.y().is_finite();
    let mut push = |layer: &str, index: usize, id: &str, what: &str| {
        out.push(Diagnostic {
            severity: Severity::Warning,
            layer: layer.into(),
            file: None,
            feature: Some(FeatureRef {
                index,
                id: Some(id.to_string()),
            }),
            code: "no_location",
            message: format!("no usable location; {what}"),
        })
    };
    for (i, (b, (anchor, _))) in layers.buildings.iter().zip(placed).enumerate() {
        if !finite(*anchor) {
            push(
                "buildings",
                i,
                &b.id,
                "left out of the zoning (zone rust, index 0)",
            );
        }
    }
    for (i, h) in layers.horeca.iter().enumerate() {
        if !finite(h.point) {
            push("horeca", i, &h.id, "left out of the reuring index");
        }
    }
    for (i, a) in layers.amenities.iter().enumerate() {
        if !finite(a.point) && is_event_place(a) {
            push("amenities", i, &a.id, "left out of the reuring index");
        }
    }
}

/// Adds every source to the cells whose centre lies within the radius.
///
/// Parallel by bands of rows; each band adds its sources in input order, so every
/// cell's sum is the same whatever the number of threads.
fn splat(grid: &mut ReuringGrid, srcs: &[Source], kernel: Kernel, radius: f64) {
    let (cols, rows, cell) = (grid.cols, grid.rows, grid.cell_m);
    if cols == 0 || rows == 0 || radius <= 0.0 || srcs.is_empty() {
        return;
    }
    let r2 = radius * radius;
    let [ox, oy] = grid.origin;
    // The rows and columns a source can reach (one extra on each side; the distance
    // test decides).
    let span = |v: f64, o: f64, n: usize| -> Option<(usize, usize)> {
        let lo = ((v - radius - o) / cell - 0.5).floor();
        let hi = ((v + radius - o) / cell - 0.5).ceil();
        if hi < 0.0 || lo > (n - 1) as f64 {
            return None;
        }
        Some((lo.max(0.0) as usize, hi.min((n - 1) as f64) as usize))
    };
    let nbands = rows.div_ceil(BAND_ROWS);
    let mut band_sources: Vec<Vec<u32>> = vec![Vec::new(); nbands];
    let mut spans = Vec::with_capacity(srcs.len());
    for (i, s) in srcs.iter().enumerate() {
        let sp = span(s.y, oy, rows).zip(span(s.x, ox, cols));
        if let Some(((r0, r1), _)) = sp {
            for band in band_sources
                .iter_mut()
                .take(r1 / BAND_ROWS + 1)
                .skip(r0 / BAND_ROWS)
            {
                band.push(i as u32);
            }
        }
        spans.push(sp);
    }
    let frame = ReuringGrid {
        index: Vec::new(),
        class: Vec::new(),
        in_area: Vec::new(),
        ..*grid
    };
    grid.index
        .par_chunks_mut(BAND_ROWS * cols)
        .zip(band_sources.par_iter())
        .enumerate()
        .for_each(|(b, (chunk, list))| {
            let first_row = b * BAND_ROWS;
            let last_row = first_row + chunk.len() / cols - 1;
            for &si in list {
                let s = srcs[si as usize];
                let Some(((r0, r1), (c0, c1))) = spans[si as usize] else {
                    continue;
                };
                for row in r0.max(first_row)..=r1.min(last_row) {
                    let dy = frame.centre_y(row) - s.y;
                    let line = &mut chunk[(row - first_row) * cols..(row - first_row + 1) * cols];
                    for (col, v) in line.iter_mut().enumerate().take(c1 + 1).skip(c0) {
                        let dx = frame.centre_x(col) - s.x;
                        *v += contribution(kernel, s.w, dx, dy, r2);
                    }
                }
            }
        });
}

/// Adds the retail-core weight to every cell whose centre lies inside a kernwinkelgebied
/// polygon (once, however many polygons overlap there). Scanline fill with the even-odd
/// rule per polygon, so holes stay out.
fn add_retail_core(grid: &mut ReuringGrid, layers: &Layers, weight: f64) {
    if weight <= 0.0 || grid.is_empty() || layers.retail_core.is_empty() {
        return;
    }
    let (cols, rows, cell) = (grid.cols, grid.rows, grid.cell_m);
    let [ox, oy] = grid.origin;
    let mut inside = vec![false; cols * rows];
    let mut xs: Vec<f64> = Vec::new();
    for core in &layers.retail_core {
        for poly in &core.area.0 {
            let edges: Vec<(Coord<f64>, Coord<f64>)> = std::iter::once(poly.exterior())
                .chain(poly.interiors())
                .flat_map(|ring| ring.lines().map(|l| (l.start, l.end)))
                .filter(|(a, b)| {
                    a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite()
                })
                .collect();
            let (ymin, ymax) = edges
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
                    (lo.min(a.y).min(b.y), hi.max(a.y).max(b.y))
                });
            if ymin > ymax {
                continue;
            }
            let r0 = ((ymin - oy) / cell - 0.5).floor().max(0.0);
            let r1 = ((ymax - oy) / cell - 0.5).ceil().min(rows as f64 - 1.0);
            if r1 < r0 {
                continue;
            }
            for row in r0 as usize..=r1 as usize {
                let y = grid.centre_y(row);
                xs.clear();
                for (a, b) in &edges {
                    if (a.y <= y) != (b.y <= y) {
                        xs.push(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
                    }
                }
                xs.sort_by(f64::total_cmp);
                for pair in xs.chunks_exact(2) {
                    // Cells whose centre x lies in [pair[0], pair[1]).
                    let c0 = ((pair[0] - ox) / cell - 0.5).ceil().max(0.0);
                    let c1 = ((pair[1] - ox) / cell - 0.5).ceil().min(cols as f64);
                    if c1 > c0 {
                        inside[row * cols + c0 as usize..row * cols + c1 as usize].fill(true);
                    }
                }
            }
        }
    }
    for (v, inside) in grid.index.iter_mut().zip(inside) {
        if inside {
            *v += weight;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{AmenityKind, Building, BuildingUse, HorecaCategory, RetailCore, to_multi};
    use approx::assert_relative_eq;
    use geo::{Area, Contains, Validation, wkt};

    pub(crate) fn settings() -> ZoningSettings {
        ZoningSettings {
            cell_m: 25.0,
            kernel_radius_m: 100.0,
            kernel: Kernel::Quartic,
            horeca_weight: [1.0, 3.0, 8.0],
            late_opening_factor: 1.5,
            terrace_factor: 1.25,
            retail_core_weight: 2.0,
            event_weight: 3.0,
            threshold_gemengd: 2.0,
            threshold_reuring: 6.0,
            min_zone_area_m2: 1250.0,
        }
    }

    pub(crate) fn horeca(id: &str, x: f64, y: f64, cat: u8) -> Horeca {
        Horeca {
            id: id.into(),
            point: Point::new(x, y),
            kind: "x".into(),
            category: HorecaCategory::from_number(cat as i64).unwrap(),
            name: None,
            closing_minutes: None,
            terrace_seats: None,
        }
    }

    pub(crate) fn building(id: &str, x: f64, y: f64, usage: BuildingUse) -> Building {
        let (x0, y0, x1, y1) = (x - 4.0, y - 4.0, x + 4.0, y + 4.0);
        let ring = LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]);
        Building::new(id, to_multi(Polygon::new(ring, vec![])), usage)
    }

    fn assert_tiles(z: &Zoning) {
        let cell_area = z.grid.cell_m * z.grid.cell_m;
        let mut total = 0.0;
        for zone in &z.zones {
            assert!(
                zone.area.is_valid(),
                "{} invalid: {:?}",
                zone.id,
                zone.area.validation_errors()
            );
            assert_relative_eq!(zone.area.signed_area(), zone.area_m2, epsilon = 1e-6);
            total += zone.area_m2;
        }
        // The zones tile the study area's cells; a cell outside it has no zone.
        let inside = z.grid.in_area.iter().filter(|a| **a).count();
        assert_relative_eq!(total, inside as f64 * cell_area, epsilon = 1e-6);
        // Every cell centre lies in exactly the zone recorded for it.
        for cell in 0..z.grid.len() {
            let c = z.grid.cell_centre(cell);
            if !z.grid.in_area[cell] {
                assert_eq!(
                    z.cell_zone[cell],
                    u32::MAX,
                    "cell {cell} outside has a zone"
                );
                assert!(z.zones.iter().all(|zone| !zone.area.contains(&c)));
                continue;
            }
            let zi = z.cell_zone[cell] as usize;
            assert!(
                z.zones[zi].area.contains(&c),
                "cell {cell} not in {}",
                z.zones[zi].id
            );
            assert_eq!(z.zones[zi].character, z.grid.class[cell]);
        }
    }

    #[test]
    fn kernel_is_one_at_the_centre_and_zero_at_the_radius() {
        for k in [
            Kernel::Quartic,
            Kernel::Triangular,
            Kernel::Uniform,
            Kernel::Gaussian,
        ] {
            assert_eq!(kernel_weight(k, 0.0, 100.0), 1.0);
            assert_eq!(kernel_weight(k, 100.0, 100.0), 0.0);
            assert_eq!(kernel_weight(k, 150.0, 100.0), 0.0);
            assert_eq!(kernel_weight(k, f64::NAN, 100.0), 0.0);
            assert_eq!(kernel_weight(k, 10.0, 0.0), 0.0);
            let mid = kernel_weight(k, 50.0, 100.0);
            assert!((0.0..=1.0).contains(&mid));
        }
        assert_relative_eq!(kernel_weight(Kernel::Triangular, 25.0, 100.0), 0.75);
        assert_relative_eq!(
            kernel_weight(Kernel::Gaussian, 100.0 / 3.0, 100.0),
            (-0.5f64).exp()
        );
    }

    #[test]
    fn one_light_horeca_at_a_cell_centre_adds_exactly_one() {
        let mut s = settings();
        s.min_zone_area_m2 = 0.0;
        // 12.5 is a cell centre on the 25 m grid.
        let layers = Layers {
            horeca: vec![horeca("a", 512.5, 512.5, 1)],
            ..Layers::default()
        };
        let z = zone(&layers, &s);
        let (v, class) = z.grid.at(Point::new(512.5, 512.5)).unwrap();
        assert_eq!(v, 1.0);
        assert_eq!(class, ZoneCharacter::Rust);
        // Grid snapped to the cell size and padded by the radius.
        assert_eq!(z.grid.origin, [400.0, 400.0]);
        assert_eq!((z.grid.cols, z.grid.rows), (9, 9));
    }

    #[test]
    fn horeca_weight_counts_late_hours_and_terraces() {
        let s = settings();
        let mut h = horeca("p", 0.0, 0.0, 2);
        assert_eq!(horeca_weight(&h, &s), 3.0);
        h.closing_minutes = Some(26 * 60);
        assert_eq!(horeca_weight(&h, &s), 4.5);
        h.terrace_seats = Some(20);
        assert_eq!(horeca_weight(&h, &s), 5.625);
        h.closing_minutes = Some(24 * 60);
        h.terrace_seats = Some(0);
        assert_eq!(horeca_weight(&h, &s), 3.0);
        h.closing_minutes = Some(120); // written as 02:00
        assert!(closes_late(&h));
        h.closing_minutes = Some(0); // midnight
        assert!(!closes_late(&h));
    }

    #[test]
    fn a_nightclub_makes_its_cells_reuring_and_far_cells_rust() {
        let layers = Layers {
            horeca: vec![horeca("club", 1000.0, 1000.0, 3)],
            buildings: vec![
                building("near", 1010.0, 1005.0, BuildingUse::Residential),
                building("far", 1400.0, 1400.0, BuildingUse::Residential),
            ],
            ..Layers::default()
        };
        let z = zone(&layers, &settings());
        assert_eq!(z.buildings[0].zone, ZoneCharacter::Reuring);
        assert!(z.buildings[0].reuring_index >= 6.0);
        assert_eq!(z.buildings[1].zone, ZoneCharacter::Rust);
        assert_eq!(z.buildings[1].reuring_index, 0.0);
        // Rings: reuring core, gemengd ring around it, rust outside.
        let kinds: Vec<_> = z.zones.iter().map(|z| z.character).collect();
        assert!(kinds.contains(&ZoneCharacter::Reuring));
        assert!(kinds.contains(&ZoneCharacter::Gemengd));
        assert!(kinds.contains(&ZoneCharacter::Rust));
        assert_tiles(&z);
        // Buildings take the class of their cell.
        for (b, bz) in layers.buildings.iter().zip(&z.buildings) {
            assert_eq!(z.grid.at(b.anchor()).unwrap().1, bz.zone);
            assert!(z.zone_of_building(0).is_some());
        }
    }

    #[test]
    fn thresholds_are_respected() {
        let mut s = settings();
        s.min_zone_area_m2 = 0.0;
        let mut h: Vec<Horeca> = (0..40)
            .map(|i| {
                horeca(
                    &format!("h{i}"),
                    (i * 37 % 400) as f64,
                    (i * 91 % 400) as f64,
                    (i % 3 + 1) as u8,
                )
            })
            .collect();
        h[3].terrace_seats = Some(4);
        let layers = Layers {
            horeca: h,
            ..Layers::default()
        };
        let z = zone(&layers, &s);
        for (v, c) in z.grid.index.iter().zip(&z.grid.class) {
            assert_eq!(*c, classify(*v, 2.0, 6.0));
        }
        assert!(z.grid.class.contains(&ZoneCharacter::Reuring));
        assert!(z.grid.class.contains(&ZoneCharacter::Gemengd));
        assert!(z.grid.class.contains(&ZoneCharacter::Rust));
        assert_tiles(&z);
        // Exactly at a threshold counts as the higher class.
        assert_eq!(classify(2.0, 2.0, 6.0), ZoneCharacter::Gemengd);
        assert_eq!(classify(6.0, 2.0, 6.0), ZoneCharacter::Reuring);
        assert_eq!(classify(f64::NAN, 2.0, 6.0), ZoneCharacter::Rust);
    }

    #[test]
    fn retail_core_and_event_places_raise_the_index() {
        let mut s = settings();
        s.min_zone_area_m2 = 0.0;
        // A square core with a square hole: cells in the hole get nothing.
        let core = wkt! { POLYGON((0.0 0.0, 200.0 0.0, 200.0 200.0, 0.0 200.0, 0.0 0.0),
        (50.0 50.0, 150.0 50.0, 150.0 150.0, 50.0 150.0, 50.0 50.0)) };
        let layers = Layers {
            retail_core: vec![RetailCore {
                id: "core".into(),
                area: to_multi(core),
                name: None,
            }],
            amenities: vec![
                Amenity {
                    id: "theatre".into(),
                    point: Point::new(1012.5, 1012.5),
                    kind: AmenityKind::Theatre,
                    name: None,
                },
                Amenity {
                    id: "gp".into(),
                    point: Point::new(1112.5, 1112.5),
                    kind: AmenityKind::Gp,
                    name: None,
                },
            ],
            ..Layers::default()
        };
        let z = zone(&layers, &s);
        assert_eq!(z.grid.at(Point::new(12.5, 12.5)).unwrap().0, 2.0);
        assert_eq!(z.grid.at(Point::new(187.5, 112.5)).unwrap().0, 2.0);
        assert_eq!(z.grid.at(Point::new(112.5, 112.5)).unwrap().0, 0.0);
        assert_eq!(z.grid.at(Point::new(212.5, 12.5)).unwrap().0, 0.0);
        assert_eq!(
            z.grid.at(Point::new(1012.5, 1012.5)).unwrap(),
            (3.0, ZoneCharacter::Gemengd)
        );
        assert_eq!(z.grid.at(Point::new(1112.5, 1112.5)).unwrap().0, 0.0);
        assert_tiles(&z);
    }

    /// Brute force: every source against every cell centre, in input order.
    fn oracle(grid: &ReuringGrid, srcs: &[Source], kernel: Kernel, radius: f64) -> Vec<f64> {
        let r2 = radius * radius;
        (0..grid.len())
            .map(|cell| {
                let (col, row) = (cell % grid.cols, cell / grid.cols);
                srcs.iter().fold(0.0, |acc, s| {
                    let (dx, dy) = (grid.centre_x(col) - s.x, grid.centre_y(row) - s.y);
                    acc + contribution(kernel, s.w, dx, dy, r2)
                })
            })
            .collect()
    }

    #[test]
    fn splat_matches_the_brute_force_oracle() {
        let mut rng = crate::synthetic::SplitMix64(42);
        for round in 0..12 {
            let kernel = [
                Kernel::Quartic,
                Kernel::Triangular,
                Kernel::Uniform,
                Kernel::Gaussian,
            ][round % 4];
            let n = 1 + (rng.unit() * 300.0) as usize;
            let span = 200.0 + rng.unit() * 1500.0;
            let mut horeca_list = Vec::new();
            for i in 0..n {
                let mut h = horeca(
                    &format!("h{i}"),
                    rng.unit() * span - 300.0,
                    rng.unit() * span + 7.3,
                    1 + (rng.unit() * 3.0) as u8,
                );
                if rng.unit() < 0.3 {
                    h.closing_minutes = Some(25 * 60);
                }
                if rng.unit() < 0.3 {
                    h.terrace_seats = Some(10);
                }
                horeca_list.push(h);
            }
            let mut s = settings();
            s.kernel = kernel;
            s.cell_m = 5.0 + rng.unit() * 40.0;
            s.kernel_radius_m = 10.0 + rng.unit() * 200.0;
            let layers = Layers {
                horeca: horeca_list,
                ..Layers::default()
            };
            let z = zone(&layers, &s);
            let srcs = sources(&layers, &s);
            let expected = oracle(&z.grid, &srcs, kernel, s.kernel_radius_m);
            assert_eq!(z.grid.index.len(), expected.len());
            for (a, b) in z.grid.index.iter().zip(&expected) {
                assert_eq!(a, b, "round {round}");
            }
        }
    }

    #[test]
    fn dissolve_keeps_a_rust_hole_inside_a_reuring_ring() {
        let mut s = settings();
        s.min_zone_area_m2 = 0.0;
        s.kernel = Kernel::Uniform;
        s.kernel_radius_m = 30.0;
        s.cell_m = 10.0;
        // A ring of nightclubs around a quiet courtyard: uniform kernel of 30 m.
        let mut h = Vec::new();
        for i in 0..=10 {
            let t = i as f64 * 20.0;
            h.push(horeca(&format!("s{i}"), t, 0.0, 3));
            h.push(horeca(&format!("n{i}"), t, 200.0, 3));
            h.push(horeca(&format!("w{i}"), 0.0, t, 3));
            h.push(horeca(&format!("e{i}"), 200.0, t, 3));
        }
        // A house in the courtyard puts it in the study area.
        let layers = Layers {
            horeca: h,
            buildings: vec![building("house", 100.0, 100.0, BuildingUse::Residential)],
            ..Layers::default()
        };
        let z = zone(&layers, &s);
        assert_tiles(&z);
        let hole = z.grid.cell_of(Point::new(100.0, 100.0)).unwrap();
        assert_eq!(z.grid.class[hole], ZoneCharacter::Rust);
        let reuring: Vec<&Zone> = z
            .zones
            .iter()
            .filter(|z| z.character == ZoneCharacter::Reuring)
            .collect();
        assert_eq!(reuring.len(), 1);
        // The courtyard is a hole: the rust zone around the house, and cells
        // beyond the kernel of anything, which belong to no zone (traced apart
        // where they touch only at a corner).
        assert!(!reuring[0].area.interiors().is_empty());
        assert!(!reuring[0].area.contains(&Point::new(100.0, 100.0)));
        let inner = z
            .zones
            .iter()
            .filter(|z| z.area.contains(&Point::new(100.0, 100.0)))
            .count();
        assert_eq!(inner, 1);
    }

    #[test]
    fn small_regions_merge_into_their_largest_neighbour() {
        // One light horeca plus a gemengd speck: a single cell at index ≥ 2 inside rust.
        let mut s = settings();
        s.kernel = Kernel::Uniform;
        s.kernel_radius_m = 10.0;
        s.cell_m = 25.0;
        s.min_zone_area_m2 = 2.0 * 625.0;
        let layers = Layers {
            horeca: vec![horeca("pub", 512.5, 512.5, 2)],
            buildings: vec![
                building("sw", 400.0, 400.0, BuildingUse::Residential),
                building("ne", 700.0, 700.0, BuildingUse::Residential),
            ],
            ..Layers::default()
        };
        let z = zone(&layers, &s);
        let (v, class) = z.grid.at(Point::new(512.5, 512.5)).unwrap();
        assert_eq!(v, 3.0);
        assert_eq!(
            class,
            ZoneCharacter::Rust,
            "a one-cell gemengd speck merges"
        );
        // Three islands of study area (around each building and the pub), all rust.
        assert_eq!(z.zones.len(), 3);
        assert!(z.zones.iter().all(|z| z.character == ZoneCharacter::Rust));
        assert_tiles(&z);
        // Without a minimum it stays, as a hole in the rust zone around the pub.
        s.min_zone_area_m2 = 0.0;
        let z = zone(&layers, &s);
        assert_eq!(z.zones.len(), 4);
        let speck: Vec<&Zone> = z
            .zones
            .iter()
            .filter(|z| z.character == ZoneCharacter::Gemengd)
            .collect();
        assert_eq!(speck.len(), 1);
        assert_eq!(speck[0].area_m2, 625.0);
        assert!(
            z.zones
                .iter()
                .any(|z| z.character == ZoneCharacter::Rust && z.area.interiors().len() == 1)
        );
        assert_tiles(&z);
    }

    #[test]
    fn empty_and_degenerate_inputs_do_not_panic() {
        let s = settings();
        let z = zone(&Layers::default(), &s);
        assert!(z.grid.is_empty());
        assert!(z.zones.is_empty());
        assert_eq!(z.grid.at(Point::new(0.0, 0.0)), None);

        // All points identical.
        let layers = Layers {
            horeca: vec![horeca("a", 5.0, 5.0, 2), horeca("b", 5.0, 5.0, 2)],
            buildings: vec![building("x", 5.0, 5.0, BuildingUse::Residential)],
            ..Layers::default()
        };
        let z = zone(&layers, &s);
        assert_eq!(z.buildings[0].zone, ZoneCharacter::Gemengd);
        assert_tiles(&z);

        // NaN everywhere.
        let mut nan = building("nan", f64::NAN, 0.0, BuildingUse::Residential);
        nan.footprint = to_multi(wkt! { POLYGON((0.0 0.0, 1.0 0.0, 1.0 1.0, 0.0 0.0)) });
        let layers = Layers {
            horeca: vec![horeca("a", f64::NAN, 5.0, 2)],
            buildings: vec![building("b", f64::NAN, f64::NAN, BuildingUse::Residential)],
            ..Layers::default()
        };
        let z = zone(&layers, &s);
        assert!(z.grid.is_empty());
        assert_eq!(z.buildings[0].cell, None);
        assert_eq!(z.diagnostics.len(), 2);

        // Unusable settings.
        let mut bad = s.clone();
        bad.cell_m = f64::NAN;
        bad.horeca_weight = [f64::NAN, -1.0, f64::INFINITY];
        let layers = Layers {
            horeca: vec![horeca("a", 5.0, 5.0, 2)],
            buildings: vec![nan],
            ..Layers::default()
        };
        let z = zone(&layers, &bad);
        assert_eq!(z.grid.cell_m, 25.0);
        assert!(z.grid.index.iter().all(|v| *v == 0.0));
    }

    #[test]
    fn a_far_stray_feature_coarsens_the_grid_instead_of_exhausting_memory() {
        let s = settings();
        let layers = Layers {
            horeca: vec![
                horeca("a", 0.0, 0.0, 2),
                horeca("wrong-crs", 190_000.0, 180_000.0, 2),
            ],
            ..Layers::default()
        };
        let z = zone(&layers, &s);
        assert!(z.grid.len() <= MAX_CELLS);
        assert!(z.grid.cell_m > 25.0);
        assert!(z.diagnostics.iter().any(|d| d.code == "grid_coarsened"));
        // Absurd coordinates: no hang, no panic, nothing zoned or a coarse grid.
        for far in [1e300, f64::MAX] {
            let layers = Layers {
                horeca: vec![horeca("a", 0.0, 0.0, 2), horeca("far", far, far, 2)],
                buildings: vec![building("b", 3.0, 3.0, BuildingUse::Residential)],
                ..Layers::default()
            };
            let z = zone(&layers, &s);
            assert!(z.grid.len() <= MAX_CELLS);
            assert_eq!(z.buildings.len(), 1);
            assert!(!z.diagnostics.is_empty());
        }
    }

    #[test]
    fn zoning_is_deterministic() {
        let mut rng = crate::synthetic::SplitMix64(7);
        let layers = Layers {
            horeca: (0..500)
                .map(|i| {
                    horeca(
                        &format!("h{i}"),
                        rng.unit() * 2000.0,
                        rng.unit() * 2000.0,
                        1 + i as u8 % 3,
                    )
                })
                .collect(),
            ..Layers::default()
        };
        let a = zone(&layers, &settings());
        let b = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| zone(&layers, &settings()));
        assert_eq!(a.grid, b.grid);
        assert_eq!(a.zones, b.zones);
        assert_tiles(&a);
    }
}
