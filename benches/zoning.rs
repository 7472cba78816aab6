//! Zoning at city scale: 1 M buildings and 100 k horeca over 10 × 10 km.
//!
//! `cargo bench --bench zoning` (release). Prints the time of `zone`, `plan_conflicts`
//! and `milieu` (best and median of a few runs). Peak memory:
//! `/usr/bin/time -v target/release/deps/zoning-* ` (look for "Maximum resident set").
//! Options: `--buildings N --horeca N --runs N --generate-only`.
//!
//! The synthetic city is generated here with a seeded SplitMix64, so the figures do not
//! move when other generators change: buildings on a 10 m lattice with jitter; 70 % of
//! the horeca in 40 hotspots (σ 150 m), the rest spread out; event places, a
//! kernwinkelgebied rectangle per hotspot, businesses of every milieucategorie, and a
//! 10 × 10 grid of 1 km plan zones.

use binnenstad::model::*;
use binnenstad::rules::{conflicts, milieu, zoning};
use binnenstad::scenario::Scenario;
use geo::{LineString, Point, Polygon};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use binnenstad::synthetic::SplitMix64 as Rng;

/// A standard normal number (Box-Muller).
fn normal(rng: &mut Rng) -> f64 {
    let (u, v) = (rng.unit().max(1e-12), rng.unit());
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn rect(x0: f64, y0: f64, w: f64, h: f64) -> Polygon<f64> {
    Polygon::new(
        LineString::from(vec![
            (x0, y0),
            (x0 + w, y0),
            (x0 + w, y0 + h),
            (x0, y0 + h),
            (x0, y0),
        ]),
        vec![],
    )
}

/// RD New-like origin, so coordinates have realistic magnitude.
const X0: f64 = 115_000.0;
const Y0: f64 = 480_000.0;
const SIZE_M: f64 = 10_000.0;

fn city(n_buildings: usize, n_horeca: usize) -> Layers {
    let mut rng = Rng(2024);
    let side = (n_buildings as f64).sqrt().ceil() as usize;
    let pitch = SIZE_M / side as f64;
    let buildings = (0..n_buildings)
        .map(|i| {
            let (c, r) = ((i % side) as f64, (i / side) as f64);
            let (w, h) = (
                pitch * (0.5 + 0.3 * rng.unit()),
                pitch * (0.5 + 0.3 * rng.unit()),
            );
            let x = X0 + c * pitch + rng.unit() * (pitch - w);
            let y = Y0 + r * pitch + rng.unit() * (pitch - h);
            let u = rng.unit();
            let usage = if u < 0.6 {
                BuildingUse::Residential
            } else if u < 0.75 {
                BuildingUse::Mixed
            } else if u < 0.9 {
                BuildingUse::Retail
            } else {
                BuildingUse::Office
            };
            Building::new(format!("b{i}"), to_multi(rect(x, y, w, h)), usage)
        })
        .collect();
    let hotspots: Vec<(f64, f64)> = (0..40)
        .map(|_| {
            (
                X0 + 500.0 + rng.unit() * 9000.0,
                Y0 + 500.0 + rng.unit() * 9000.0,
            )
        })
        .collect();
    let horeca = (0..n_horeca)
        .map(|i| {
            let (x, y) = if rng.unit() < 0.7 {
                let (hx, hy) = hotspots[i % hotspots.len()];
                (hx + 150.0 * normal(&mut rng), hy + 150.0 * normal(&mut rng))
            } else {
                (X0 + rng.unit() * SIZE_M, Y0 + rng.unit() * SIZE_M)
            };
            let u = rng.unit();
            let category = if u < 0.6 {
                HorecaCategory::Light
            } else if u < 0.9 {
                HorecaCategory::Medium
            } else {
                HorecaCategory::Heavy
            };
            Horeca {
                id: format!("h{i}"),
                point: Point::new(x, y),
                kind: "bar".into(),
                category,
                name: None,
                closing_minutes: (rng.unit() < 0.5)
                    .then(|| if rng.unit() < 0.4 { 26 * 60 } else { 22 * 60 }),
                terrace_seats: (rng.unit() < 0.5).then(|| if rng.unit() < 0.6 { 20 } else { 0 }),
            }
        })
        .collect();
    let amenities = (0..5000)
        .map(|i| Amenity {
            id: format!("a{i}"),
            point: Point::new(X0 + rng.unit() * SIZE_M, Y0 + rng.unit() * SIZE_M),
            kind: AmenityKind::ALL[i % AmenityKind::ALL.len()],
            name: None,
        })
        .collect();
    let retail_core = hotspots
        .iter()
        .enumerate()
        .map(|(i, (x, y))| RetailCore {
            id: format!("core{i}"),
            area: to_multi(rect(x - 200.0, y - 60.0, 400.0, 120.0)),
            name: None,
        })
        .collect();
    let businesses = (0..5000)
        .map(|i| {
            // As in a centre: mostly categories 1-3.1, a few 3.2-4.2, 5 % known only
            // by a functiemenging class.
            let u = rng.unit();
            let (milieucategorie, functiemenging) = match u {
                u if u < 0.38 => (Some(Milieucategorie::C1), None),
                u if u < 0.72 => (Some(Milieucategorie::C2), None),
                u if u < 0.86 => (Some(Milieucategorie::C3_1), None),
                u if u < 0.91 => (Some(Milieucategorie::C3_2), None),
                u if u < 0.94 => (Some(Milieucategorie::C4_1), None),
                u if u < 0.95 => (Some(Milieucategorie::C4_2), None),
                _ => (None, Some(Functiemenging::B)),
            };
            Business {
                id: format!("k{i}"),
                point: Point::new(X0 + rng.unit() * SIZE_M, Y0 + rng.unit() * SIZE_M),
                milieucategorie,
                functiemenging,
                activity: None,
                name: None,
            }
        })
        .collect();
    let plan_zones = (0..100)
        .map(|i| PlanZone {
            id: format!("p{i}"),
            area: to_multi(rect(
                X0 + (i % 10) as f64 * 1000.0,
                Y0 + (i / 10) as f64 * 1000.0,
                1000.0,
                1000.0,
            )),
            zone: ZoneCharacter::ALL[i % 3],
            name: None,
        })
        .collect();
    Layers {
        buildings,
        horeca,
        amenities,
        streets: Vec::new(),
        retail_core,
        businesses,
        plan_zones,
        study_area: Vec::new(),
    }
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{label:<16} best {:>8.3} s   median {:>8.3} s",
        times[0].as_secs_f64(),
        times[times.len() / 2].as_secs_f64()
    );
}

fn main() {
    let n_buildings = arg("--buildings", 1_000_000);
    let n_horeca = arg("--horeca", 100_000);
    let runs = arg("--runs", 3).max(1);
    let settings = Scenario::from_toml(
        "version = 1\nname = \"bench\"\narea = \".\"\n",
        Path::new("bench.toml"),
    )
    .expect("default scenario")
    .zoning;
    let t = Instant::now();
    let layers = city(n_buildings, n_horeca);
    println!(
        "synthetic city: {} buildings, {} horeca, {} amenities, {} businesses, {} plan zones over {} km², generated in {:.2} s; {} threads",
        layers.buildings.len(),
        layers.horeca.len(),
        layers.amenities.len(),
        layers.businesses.len(),
        layers.plan_zones.len(),
        SIZE_M * SIZE_M / 1e6,
        t.elapsed().as_secs_f64(),
        rayon::current_num_threads(),
    );

    if std::env::args().any(|a| a == "--generate-only") {
        // For comparing peak memory with and without the rules.
        black_box(&layers);
        return;
    }
    let mut times = Vec::new();
    let mut z = None;
    for _ in 0..runs {
        let t = Instant::now();
        z = Some(black_box(zoning::zone(&layers, &settings)));
        times.push(t.elapsed());
    }
    let z = z.expect("at least one run");
    report("zone", times);
    let count = |c: ZoneCharacter| z.zones.iter().filter(|z| z.character == c).count();
    println!(
        "  grid {} × {} cells of {} m; zones: {} rust, {} gemengd, {} reuring; buildings reuring: {}",
        z.grid.cols,
        z.grid.rows,
        z.grid.cell_m,
        count(ZoneCharacter::Rust),
        count(ZoneCharacter::Gemengd),
        count(ZoneCharacter::Reuring),
        z.buildings
            .iter()
            .filter(|b| b.zone == ZoneCharacter::Reuring)
            .count(),
    );

    let mut times = Vec::new();
    let mut found = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        found = black_box(conflicts::plan_conflicts(&layers, &z, &settings));
        times.push(t.elapsed());
    }
    report("plan_conflicts", times);
    println!("  {} conflicts", found.len());

    let mut times = Vec::new();
    let mut hits = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        hits = black_box(milieu::milieu(&layers, &z));
        times.push(t.elapsed());
    }
    report("milieu", times);
    println!(
        "  {} buildings with a VNG hit, {} hits",
        hits.iter().filter(|h| !h.is_empty()).count(),
        hits.iter().map(Vec::len).sum::<usize>()
    );
}
