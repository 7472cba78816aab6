//! Suitability at scale: 1M buildings with random facts, ~50k horeca, the four
//! default doelgroepen. Goal: `assess_all` under 5 s on 2 cores (release).
//!
//! Run: `cargo bench --bench suitability` (set `RAYON_NUM_THREADS=2` to pin the
//! core count; `BENCH_BUILDINGS=N` for another size). Deterministic: its own
//! SplitMix64 generator with a fixed seed.

use binnenstad::model::{
    AmenityKind, Building, BuildingUse, Business, Horeca, HorecaCategory, Layers, Milieucategorie,
    Valued, ZoneCharacter, to_multi,
};
use binnenstad::rules::sites::sites;
use binnenstad::rules::suitability::{BuildingFacts, assess_all};
use binnenstad::scenario::{SiteSettings, SuitabilitySettings, default_groups};
use geo::{LineString, Point, Polygon};
use std::time::Instant;

use binnenstad::synthetic::SplitMix64;

/// The command line's allocator (src/main.rs), so the bench measures what `plan` runs.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// CPU seconds (user, system) used by this process so far, from /proc (Linux);
/// zeros elsewhere. On a shared machine CPU time is steadier than wall time.
fn cpu_seconds() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0) / 100.0;
    (tick(11), tick(12))
}

fn main() {
    let n: usize = std::env::var("BENCH_BUILDINGS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let n_horeca = n / 20;
    let mut rng = SplitMix64(0x5EED);
    // A square city with buildings on a 20 m grid.
    let side = (n as f64).sqrt().ceil() as usize;
    let extent = side as f64 * 20.0;
    let t = Instant::now();
    let buildings: Vec<Building> = (0..n)
        .map(|i| {
            let (x, y) = ((i % side) as f64 * 20.0, (i / side) as f64 * 20.0);
            let w = 6.0 + rng.unit() * 8.0;
            let ring =
                LineString::from(vec![(x, y), (x + w, y), (x + w, y + w), (x, y + w), (x, y)]);
            let floors = 1 + rng.below(5) as u32;
            Building {
                id: format!("{:016}", i),
                footprint: to_multi(Polygon::new(ring, vec![])),
                usage: [
                    BuildingUse::Retail,
                    BuildingUse::Office,
                    BuildingUse::Residential,
                    BuildingUse::Mixed,
                ][rng.below(4) as usize],
                ground_floor_use: None,
                floors: Valued {
                    value: floors,
                    estimated: rng.below(3) == 0,
                },
                floor_area_m2: Valued {
                    value: w * w * f64::from(floors),
                    estimated: true,
                },
                floor_area_usable: false,
                vacant: rng.below(10) == 0,
                monument: rng.below(20) == 0,
                lift: [Some(true), Some(false), None][rng.below(3) as usize],
                year: None,
                name: None,
                ..binnenstad::model::Building::new(
                    "",
                    geo::MultiPolygon(vec![]),
                    binnenstad::model::BuildingUse::Other,
                )
            }
        })
        .collect();
    let kinds = ["restaurant", "cafe", "pub", "bar", "nightclub", "fast_food"];
    let horeca: Vec<Horeca> = (0..n_horeca)
        .map(|i| {
            let kind = kinds[rng.below(kinds.len() as u64) as usize];
            Horeca {
                id: format!("node/{i}"),
                point: Point::new(rng.unit() * extent, rng.unit() * extent),
                kind: kind.into(),
                category: HorecaCategory::from_kind(kind).unwrap_or(HorecaCategory::Light),
                name: (rng.below(2) == 0).then(|| format!("Zaak {i}")),
                closing_minutes: None,
                terrace_seats: None,
            }
        })
        .collect();
    let businesses: Vec<Business> = (0..n / 100)
        .map(|i| Business {
            id: format!("kvk/{i}"),
            point: Point::new(rng.unit() * extent, rng.unit() * extent),
            milieucategorie: Some(Milieucategorie::ALL[rng.below(4) as usize]),
            functiemenging: None,
            activity: None,
            name: Some(format!("Bedrijf {i}")),
        })
        .collect();
    let facts: Vec<BuildingFacts> = (0..n)
        .map(|_| {
            let idx = rng.unit() * 10.0;
            BuildingFacts {
                zone: if idx < 2.0 {
                    ZoneCharacter::Rust
                } else if idx < 6.0 {
                    ZoneCharacter::Gemengd
                } else {
                    ZoneCharacter::Reuring
                },
                reuring_index: idx,
                in_retail_core: rng.below(8) == 0,
                walk: AmenityKind::ALL
                    .iter()
                    .map(|k| {
                        let w = (rng.below(20) != 0)
                            .then(|| (rng.unit() * 1500.0, rng.below(1000) as usize));
                        (*k, w)
                    })
                    .collect(),
                vng: if rng.below(50) == 0 {
                    vec![(
                        rng.below(businesses.len().max(1) as u64) as usize,
                        20.0,
                        30.0,
                    )]
                } else {
                    Vec::new()
                },
                edge_m: None,
            }
        })
        .collect();
    let layers = Layers {
        buildings,
        horeca,
        businesses,
        ..Layers::default()
    };
    let groups = default_groups();
    let settings = SuitabilitySettings {
        geschikt_min_score: 70.0,
        voorwaardelijk_min_score: 45.0,
        warn_factor: 1.5,
        unknown_needs: Vec::new(),
        monument_data: true,
    };
    println!(
        "generated {n} buildings, {n_horeca} horeca in {:.2} s; threads {}",
        t.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );

    let (u0, s0) = cpu_seconds();
    let t = Instant::now();
    let all = assess_all(&layers, &facts, None, &groups, &settings);
    let assess_s = t.elapsed().as_secs_f64();
    let (u1, s1) = cpu_seconds();
    let criteria: usize = all.iter().flatten().map(|a| a.criteria.len()).sum();
    println!(
        "assess_all: {} assessments ({criteria} criteria, {} B each) in {assess_s:.2} s wall, \
         {:.2} s user + {:.2} s system CPU",
        all.len() * groups.len(),
        std::mem::size_of::<binnenstad::rules::suitability::Criterion>(),
        u1 - u0,
        s1 - s0,
    );

    let t = Instant::now();
    let reasons_bytes: usize = {
        use rayon::prelude::*;
        (0..all.len())
            .into_par_iter()
            .filter_map(|i| all.get(i))
            .map(|per| per.iter().map(|a| a.reasons().len()).sum::<usize>())
            .sum()
    };
    println!(
        "reasons for every assessment: {:.1} MB of text in {:.2} s",
        reasons_bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let site_settings = SiteSettings {
        candidate_uses: vec![BuildingUse::Retail, BuildingUse::Office],
        include_vacant: true,
        usable_share: 0.8,
        weights: binnenstad::scenario::SiteWeights::default(),
    };
    let s = sites(&layers, &facts, &all, &groups, &site_settings);
    println!(
        "sites: {} ranked in {:.2} s",
        s.len(),
        t.elapsed().as_secs_f64()
    );

    let mut verdicts = [0usize; 3];
    for a in all.iter().flatten() {
        verdicts[a.verdict as usize] += 1;
    }
    println!("verdicts geschikt/voorwaardelijk/ongeschikt: {verdicts:?}");
    if assess_s > 5.0 {
        println!("WARNING: assess_all took {assess_s:.2} s, over the 5 s goal");
    }
}
