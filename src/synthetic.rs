//! Deterministic synthetic city centres for benchmarks and tests.
//!
//! [`city`] lays out a street grid (96 m × 64 m blocks, bent by a smooth warp
//! and jittered vertices, a few missing links, diagonal paths through small
//! parks), rows of small buildings along every block edge (mostly homes;
//! shops, horeca and offices near the centre), amenities of every
//! [`AmenityKind`], horeca with categories and a kernwinkelgebied. Coordinates
//! are metres around RD New's Amsterdam (x ≈ 120 000, y ≈ 487 000), so the
//! layers can be written out as EPSG:28992. There are about 0.55 street
//! segments per building, like a real centre. The same `(buildings, seed)`
//! always gives the same city (own splitmix64, no global state).

use crate::model::{
    Amenity, AmenityKind, Building, BuildingUse, Grade, Horeca, HorecaCategory, Layers, RetailCore,
    Street, Valued,
};
use geo::{Coord, LineString, MultiPolygon, Point, Polygon};

const BLOCK_W: f64 = 96.0;
const BLOCK_H: f64 = 64.0;
const PIECES_W: usize = 8;
const PIECES_H: usize = 6;
const SETBACK: f64 = 6.0;
const CENTRE: (f64, f64) = (120_000.0, 487_000.0);

/// SplitMix64: tiny, fast, deterministic pseudo-random numbers, good enough for
/// test data. The one generator of the crate's synthetic cities, seeded tests and
/// benchmarks.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [a, b).
    pub fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.unit()
    }
    /// An integer in 0..n (n > 0; modulo bias is irrelevant for test data).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash-derived uniform number in [-1, 1) for a grid place, so that any
/// line through a vertex computes the same coordinates bit for bit.
fn jitter(seed: u64, parts: [u64; 4]) -> f64 {
    let mut h = seed;
    for p in parts {
        h = mix(h ^ p.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    }
    (h >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

struct Grid {
    seed: u64,
    nx: usize,
    ny: usize,
    x0: f64,
    y0: f64,
}

impl Grid {
    /// The smooth warp that bends the whole grid (streets and buildings alike).
    fn warp(&self, x: f64, y: f64) -> Coord<f64> {
        let (u, v) = (x - self.x0, y - self.y0);
        Coord {
            x: x + 7.0 * (u * 0.011 + v * 0.013).sin() + 3.0 * (v * 0.031).sin(),
            y: y + 7.0 * (v * 0.009 - u * 0.012).sin() + 3.0 * (u * 0.027).sin(),
        }
    }
    fn node(&self, i: usize, j: usize) -> (f64, f64) {
        (self.x0 + i as f64 * BLOCK_W, self.y0 + j as f64 * BLOCK_H)
    }
    /// Vertex `k` of the horizontal grid edge from (i, j) to (i + 1, j).
    fn h_vertex(&self, i: usize, j: usize, k: usize) -> Coord<f64> {
        let (x, y) = self.node(i, j);
        let dy = if k == 0 || k == PIECES_W {
            0.0
        } else {
            1.5 * jitter(self.seed, [1, i as u64, j as u64, k as u64])
        };
        self.warp(x + k as f64 * (BLOCK_W / PIECES_W as f64), y + dy)
    }
    /// Vertex `k` of the vertical grid edge from (i, j) to (i, j + 1).
    fn v_vertex(&self, i: usize, j: usize, k: usize) -> Coord<f64> {
        if k == PIECES_H {
            return self.h_vertex(i, j + 1, 0);
        }
        if k == 0 {
            return self.h_vertex(i, j, 0);
        }
        let (x, y) = self.node(i, j);
        let dx = 1.5 * jitter(self.seed, [2, i as u64, j as u64, k as u64]);
        self.warp(x + dx, y + k as f64 * (BLOCK_H / PIECES_H as f64))
    }
    fn missing(&self, horizontal: bool, i: usize, j: usize) -> bool {
        let border = if horizontal {
            j == 0 || j == self.ny
        } else {
            i == 0 || i == self.nx
        };
        !border && jitter(self.seed, [3, horizontal as u64, i as u64, j as u64]) < -0.92
    }
    fn park(&self, i: usize, j: usize) -> bool {
        jitter(self.seed, [4, i as u64, j as u64, 0]) > 0.94
    }
}

const HORECA_KINDS: [&str; 8] = [
    "restaurant",
    "cafe",
    "pub",
    "bar",
    "fast_food",
    "ice_cream",
    "restaurant",
    "nightclub",
];

/// Expected amenities per 1000 buildings, by kind.
fn per_thousand(kind: AmenityKind) -> f64 {
    use AmenityKind::*;
    match kind {
        TransitStop => 6.0,
        Playground => 3.0,
        Supermarket | Bakery => 2.0,
        Daycare => 1.5,
        Gp => 1.0,
        Greengrocer | Pharmacy | Dentist | PrimarySchool => 0.8,
        Butcher => 0.7,
        Care | Sports => 0.5,
        CommunityCentre | Park => 0.3,
        SecondarySchool => 0.2,
        Library => 0.15,
        Marketplace | Theatre | Cinema | Square => 0.1,
    }
}

/// A synthetic city centre with exactly `buildings` buildings (see the module docs).
///
/// # Examples
/// ```
/// let a = binnenstad::synthetic::city(500, 7);
/// assert_eq!(a.buildings.len(), 500);
/// assert!(!a.streets.is_empty() && !a.amenities.is_empty());
/// assert_eq!(a.buildings[42].footprint, binnenstad::synthetic::city(500, 7).buildings[42].footprint);
/// ```
pub fn city(buildings: usize, seed: u64) -> Layers {
    let mut rng = SplitMix64(seed ^ 0x5EED_C17E);
    let blocks = ((buildings as f64 / 24.0).ceil() as usize).max(1);
    let nx = ((blocks as f64 * BLOCK_H / BLOCK_W).sqrt().ceil() as usize).max(1);
    let ny = blocks.div_ceil(nx).max(1);
    let g = Grid {
        seed,
        nx,
        ny,
        x0: CENTRE.0 - nx as f64 * BLOCK_W / 2.0,
        y0: CENTRE.1 - ny as f64 * BLOCK_H / 2.0,
    };
    let radius = (nx as f64 * BLOCK_W).hypot(ny as f64 * BLOCK_H) / 2.0;
    let mut layers = Layers::default();

    // Streets: ways of up to 5 grid edges along each grid line, broken at missing links.
    let mut push_way = |coords: &mut Vec<Coord<f64>>, main: bool, name: String| {
        if coords.len() >= 2 {
            let id = format!("synth/street/{}", layers.streets.len());
            layers.streets.push(Street {
                id,
                line: LineString(std::mem::take(coords)),
                highway: Some(if main { "tertiary" } else { "residential" }.into()),
                name: Some(name),
                grade: Grade::GROUND,
            });
        }
        coords.clear();
    };
    for j in 0..=ny {
        let mut way: Vec<Coord<f64>> = Vec::new();
        for i in 0..nx {
            if g.missing(true, i, j) || (i % 5 == 0 && !way.is_empty()) {
                push_way(&mut way, j % 5 == 0, format!("Dwarsstraat {j}"));
            }
            if g.missing(true, i, j) {
                continue;
            }
            for k in 0..=PIECES_W {
                let c = g.h_vertex(i, j, k);
                if way.last() != Some(&c) {
                    way.push(c);
                }
            }
        }
        push_way(&mut way, j % 5 == 0, format!("Dwarsstraat {j}"));
    }
    for i in 0..=nx {
        let mut way: Vec<Coord<f64>> = Vec::new();
        for j in 0..ny {
            if g.missing(false, i, j) || (j % 5 == 0 && !way.is_empty()) {
                push_way(&mut way, i % 5 == 0, format!("Gracht {i}"));
            }
            if g.missing(false, i, j) {
                continue;
            }
            for k in 0..=PIECES_H {
                let c = g.v_vertex(i, j, k);
                if way.last() != Some(&c) {
                    way.push(c);
                }
            }
        }
        push_way(&mut way, i % 5 == 0, format!("Gracht {i}"));
    }

    // Blocks: buildings, or a small park with a diagonal path.
    let mut count = 0usize;
    'blocks: for j in 0..ny {
        for i in 0..nx {
            if count >= buildings {
                break 'blocks;
            }
            let (x, y) = g.node(i, j);
            if g.park(i, j) && buildings - count > 30 {
                let path: Vec<Coord<f64>> = (0..=6)
                    .map(|k| {
                        if k == 0 {
                            g.h_vertex(i, j, 0)
                        } else if k == 6 {
                            g.h_vertex(i + 1, j + 1, 0)
                        } else {
                            let f = k as f64 / 6.0;
                            g.warp(x + f * BLOCK_W, y + f * BLOCK_H)
                        }
                    })
                    .collect();
                layers.streets.push(Street {
                    id: format!("synth/street/{}", layers.streets.len()),
                    line: LineString(path),
                    highway: Some("footway".into()),
                    name: Some(format!("Park {i}-{j}")),
                    grade: Grade::GROUND,
                });
                layers.amenities.push(Amenity {
                    id: format!("synth/amenity/{}", layers.amenities.len()),
                    point: Point(g.warp(x + BLOCK_W * 0.3, y + BLOCK_H * 0.6)),
                    kind: AmenityKind::Park,
                    name: Some(format!("Park {i}-{j}")),
                });
                continue;
            }
            let (ix0, iy0, ix1, iy1) = (
                x + SETBACK,
                y + SETBACK,
                x + BLOCK_W - SETBACK,
                y + BLOCK_H - SETBACK,
            );
            let mut rects: Vec<[f64; 4]> = Vec::new();
            for bottom in [true, false] {
                let mut cx = ix0;
                while cx < ix1 - 4.0 {
                    let w = rng.range(6.0, 10.0).min(ix1 - cx);
                    let d = rng.range(10.0, 14.0);
                    rects.push(if bottom {
                        [cx, iy0, cx + w, iy0 + d]
                    } else {
                        [cx, iy1 - d, cx + w, iy1]
                    });
                    cx += w;
                }
            }
            for left in [true, false] {
                let mut cy = iy0 + 14.0;
                while cy < iy1 - 14.0 - 4.0 {
                    let w = rng.range(6.0, 10.0).min(iy1 - 14.0 - cy);
                    let d = rng.range(10.0, 14.0);
                    rects.push(if left {
                        [ix0, cy, ix0 + d, cy + w]
                    } else {
                        [ix1 - d, cy, ix1, cy + w]
                    });
                    cy += w;
                }
            }
            for r in rects {
                if count >= buildings {
                    break;
                }
                let ring: Vec<Coord<f64>> = [
                    (r[0], r[1]),
                    (r[2], r[1]),
                    (r[2], r[3]),
                    (r[0], r[3]),
                    (r[0], r[1]),
                ]
                .iter()
                .map(|&(a, b)| g.warp(a, b))
                .collect();
                let mid = g.warp((r[0] + r[2]) / 2.0, (r[1] + r[3]) / 2.0);
                let rel = (mid.x - CENTRE.0).hypot(mid.y - CENTRE.1) / radius;
                let u = rng.unit();
                let usage = if rel < 0.25 {
                    match u {
                        u if u < 0.35 => BuildingUse::Residential,
                        u if u < 0.65 => BuildingUse::Retail,
                        u if u < 0.77 => BuildingUse::Horeca,
                        u if u < 0.87 => BuildingUse::Office,
                        u if u < 0.95 => BuildingUse::Mixed,
                        _ => BuildingUse::Culture,
                    }
                } else {
                    match u {
                        u if u < 0.80 => BuildingUse::Residential,
                        u if u < 0.85 => BuildingUse::Retail,
                        u if u < 0.90 => BuildingUse::Office,
                        u if u < 0.93 => BuildingUse::Mixed,
                        u if u < 0.95 => BuildingUse::Education,
                        u if u < 0.97 => BuildingUse::Healthcare,
                        _ => BuildingUse::Other,
                    }
                };
                let floors = 2 + (rng.next_u64() % 4) as u32;
                let area = (r[2] - r[0]) * (r[3] - r[1]);
                let id = format!("synth/b/{count}");
                if usage == BuildingUse::Horeca
                    || (usage != BuildingUse::Residential && rng.unit() < 0.02)
                {
                    let kind = HORECA_KINDS[(rng.next_u64() % HORECA_KINDS.len() as u64) as usize];
                    layers.horeca.push(Horeca {
                        id: format!("synth/horeca/{}", layers.horeca.len()),
                        point: Point(mid),
                        kind: kind.into(),
                        category: HorecaCategory::from_kind(kind).unwrap_or(HorecaCategory::Light),
                        name: None,
                        closing_minutes: Some(if kind == "nightclub" {
                            300
                        } else {
                            1320 + 30 * (rng.next_u64() % 6) as u32
                        }),
                        terrace_seats: Some((rng.next_u64() % 3) as u32 * 12),
                    });
                }
                for &kind in AmenityKind::ALL {
                    if rng.unit() * 1000.0 < per_thousand(kind) {
                        layers.amenities.push(Amenity {
                            id: format!("synth/amenity/{}", layers.amenities.len()),
                            point: Point(mid),
                            kind,
                            name: None,
                        });
                    }
                }
                layers.buildings.push(Building {
                    id,
                    footprint: MultiPolygon(vec![Polygon::new(LineString(ring), vec![])]),
                    usage,
                    ground_floor_use: Some(usage),
                    floors: Valued {
                        value: floors,
                        estimated: false,
                    },
                    floor_area_m2: Valued {
                        value: area * floors as f64,
                        estimated: true,
                    },
                    floor_area_usable: false,
                    vacant: rng.unit() < 0.03,
                    monument: rel < 0.3 && rng.unit() < 0.1,
                    lift: None,
                    year: Some(1600 + (rng.next_u64() % 420) as i32),
                    name: None,
                    building_type: None,
                    non_dwelling: false,
                    landmark: None,
                    units: crate::model::Units::default(),
                    dwellings: Valued {
                        value: 0,
                        estimated: true,
                    },
                });
                count += 1;
            }
        }
    }
    // Every kind at least once.
    for &kind in AmenityKind::ALL {
        if !layers.amenities.iter().any(|a| a.kind == kind) && !layers.buildings.is_empty() {
            let b = (rng.next_u64() % layers.buildings.len() as u64) as usize;
            layers.amenities.push(Amenity {
                id: format!("synth/amenity/{}", layers.amenities.len()),
                point: layers.buildings[b].anchor(),
                kind,
                name: None,
            });
        }
    }
    let (cx, cy) = (0.15 * nx as f64 * BLOCK_W, 0.15 * ny as f64 * BLOCK_H);
    let core: Vec<Coord<f64>> = [(-cx, -cy), (cx, -cy), (cx, cy), (-cx, cy), (-cx, -cy)]
        .iter()
        .map(|&(a, b)| g.warp(CENTRE.0 + a, CENTRE.1 + b))
        .collect();
    layers.retail_core.push(RetailCore {
        id: "synth/core".into(),
        area: MultiPolygon(vec![Polygon::new(LineString(core), vec![])]),
        name: Some("Kernwinkelgebied".into()),
    });
    crate::model::estimate_dwellings(&mut layers.buildings, crate::scenario::DEFAULT_DWELLING_M2);
    layers
}

/// A synthetic country: `centres` cities ([`city`], seeds `seed`, `seed + 1`,
/// ...) of `buildings / centres` buildings each (the first ones get the
/// remainder), laid out on a grid across the Netherlands in RD New with gaps of
/// open land between them (at least 10 km, as between Dutch towns), every id
/// prefixed with its centre (`c3/synth/b/17`). For the national-scale benchmark
/// (`examples/synth_map.rs --centres K`): the same arguments always give the
/// same layers.
pub fn country(buildings: usize, centres: usize, seed: u64) -> Layers {
    use geo::Translate;
    let centres = centres.max(1);
    let cols = (centres as f64).sqrt().ceil() as usize;
    let mut out = Layers::default();
    // The largest city's footprint sets the spacing of the grid.
    let mut spacing = 0.0f64;
    let mut cities = Vec::with_capacity(centres);
    for c in 0..centres {
        let n = buildings / centres + usize::from(c < buildings % centres);
        let layers = city(n, seed.wrapping_add(c as u64));
        if let Some(r) = crate::io::load::buildings_rect(&layers) {
            spacing = spacing.max(r.width().max(r.height()));
        }
        cities.push(layers);
    }
    let spacing = spacing + 10_000.0;
    // Centred on the country's middle (RD 155 000, 463 000, near Amersfoort).
    let rows = centres.div_ceil(cols);
    let x0 = 155_000.0 - (cols as f64 - 1.0) * spacing / 2.0;
    let y0 = 463_000.0 - (rows as f64 - 1.0) * spacing / 2.0;
    for (c, mut layers) in cities.into_iter().enumerate() {
        let (dx, dy) = (
            x0 + (c % cols) as f64 * spacing - CENTRE.0,
            y0 + (c / cols) as f64 * spacing - CENTRE.1,
        );
        let prefix = |id: &mut String| *id = format!("c{c}/{id}");
        for b in &mut layers.buildings {
            b.footprint.translate_mut(dx, dy);
            prefix(&mut b.id);
        }
        for s in &mut layers.streets {
            s.line.translate_mut(dx, dy);
            prefix(&mut s.id);
        }
        for a in &mut layers.amenities {
            a.point.translate_mut(dx, dy);
            prefix(&mut a.id);
        }
        for h in &mut layers.horeca {
            h.point.translate_mut(dx, dy);
            prefix(&mut h.id);
        }
        for r in &mut layers.retail_core {
            r.area.translate_mut(dx, dy);
            prefix(&mut r.id);
        }
        out.buildings.append(&mut layers.buildings);
        out.streets.append(&mut layers.streets);
        out.amenities.append(&mut layers.amenities);
        out.horeca.append(&mut layers.horeca);
        out.retail_core.append(&mut layers.retail_core);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_is_centres_apart_with_unique_ids() {
        let c = country(3001, 3, 7);
        assert_eq!(c.buildings.len(), 3001);
        assert_eq!(c.retail_core.len(), 3);
        let ids: std::collections::HashSet<&str> =
            c.buildings.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids.len(), 3001);
        // The same city as `city` alone, moved: areas are unchanged.
        use geo::Area;
        let one = city(1001, 7);
        let moved: f64 = c.buildings[..1001]
            .iter()
            .map(|b| b.footprint.unsigned_area())
            .sum();
        let alone: f64 = one
            .buildings
            .iter()
            .map(|b| b.footprint.unsigned_area())
            .sum();
        assert!((moved - alone).abs() < 1e-6 * alone);
        // Centres are at least 10 km apart (open land between the towns).
        let r = |b: &[crate::model::Building]| {
            let l = Layers {
                buildings: b.to_vec(),
                ..Layers::default()
            };
            crate::io::load::buildings_rect(&l).unwrap()
        };
        let (a, b) = (r(&c.buildings[..1001]), r(&c.buildings[1001..2001]));
        assert!(b.min().x - a.max().x >= 10_000.0 - 1e-6, "{a:?} {b:?}");
        assert_eq!(
            country(3001, 3, 7).buildings[2500].footprint,
            c.buildings[2500].footprint
        );
    }

    #[test]
    fn city_is_deterministic_and_sized() {
        let a = city(3000, 1);
        let b = city(3000, 1);
        assert_eq!(a.buildings.len(), 3000);
        assert_eq!(a.streets.len(), b.streets.len());
        assert_eq!(a.streets[7].line, b.streets[7].line);
        assert_eq!(a.amenities.len(), b.amenities.len());
        for k in AmenityKind::ALL {
            assert!(a.amenities.iter().any(|x| x.kind == *k), "{k}");
        }
        let segs: usize = a.streets.iter().map(|s| s.line.0.len() - 1).sum();
        let ratio = segs as f64 / 3000.0;
        assert!((0.35..0.8).contains(&ratio), "{ratio}");
        assert_ne!(
            city(3000, 2).buildings[0].footprint,
            a.buildings[0].footprint
        );
    }
}
