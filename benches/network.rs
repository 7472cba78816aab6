//! Walking-network benchmark on synthetic cities (std::time, no harness).
//!
//! ```text
//! cargo bench --bench network                       # 70k and 1M buildings, 15 kinds
//! cargo bench --bench network -- 70000 --kinds 20   # one size, all kinds
//! cargo bench --bench network -- 70000 --json /tmp/city70k.json
//! cargo bench --bench network -- 70000 --coverage   # also time isochrone and coverage
//! ```
//! `--json PATH` also writes the city (street lines, building anchors,
//! amenities) and Rust's distances as plain JSON for
//! `benches/compare_networkx.py`. Peak memory: run one size under
//! `/usr/bin/time -v`.

use binnenstad::model::{AmenityKind, Layers};
use binnenstad::network::{WalkNetwork, distances};
use binnenstad::scenario::NetworkSettings;
use binnenstad::synthetic;
use std::io::Write;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut sizes = Vec::new();
    let mut kinds = 15usize;
    let mut json: Option<String> = None;
    let mut with_coverage = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--kinds" => kinds = it.next().and_then(|k| k.parse().ok()).unwrap_or(15),
            "--json" => json = it.next().cloned(),
            "--bench" => {}
            "--coverage" => with_coverage = true,
            s => {
                if let Ok(n) = s.replace('_', "").parse::<usize>() {
                    sizes.push(n);
                }
            }
        }
    }
    if sizes.is_empty() {
        sizes = vec![70_000, 1_000_000];
    }
    let settings = NetworkSettings::default();
    println!(
        "{:>9} {:>8} {:>9} {:>8} {:>6} {:>8} | {:>8} {:>10} {:>9} {:>8}",
        "buildings",
        "streets",
        "segments",
        "amenity",
        "kinds",
        "gen s",
        "build s",
        "distances s",
        "total s",
        "threads"
    );
    for n in sizes {
        let t = Instant::now();
        let mut city: Layers = synthetic::city(n, 42);
        let keep: Vec<AmenityKind> = AmenityKind::ALL.iter().copied().take(kinds).collect();
        city.amenities.retain(|a| keep.contains(&a.kind));
        let gen_s = t.elapsed().as_secs_f64();
        let segments: usize = city
            .streets
            .iter()
            .map(|s| s.line.0.len().saturating_sub(1))
            .sum();

        let cpu0 = cpu_seconds();
        let t = Instant::now();
        let (net, _d) = WalkNetwork::build(&city.streets, &settings);
        let build_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let (kd, diags) = distances(&net, &city.buildings, &city.amenities, &settings);
        let dist_s = t.elapsed().as_secs_f64();
        let cpu_s = cpu_seconds() - cpu0;
        println!(
            "{:>9} {:>8} {:>9} {:>8} {:>6} {:>8.2} | {:>8.3} {:>10.3} {:>9.3} {:>8}",
            n,
            city.streets.len(),
            segments,
            city.amenities.len(),
            kd.len(),
            gen_s,
            build_s,
            dist_s,
            build_s + dist_s,
            rayon::current_num_threads()
        );
        let reached = kd
            .iter()
            .map(|k| (0..k.len()).filter(|&i| k.metres(i).is_some()).count())
            .sum::<usize>();
        eprintln!("  cpu (all threads) for build + distances: {cpu_s:.2} s");
        eprintln!(
            "  nodes {} edges {} components {} diagnostics {} reached {:.4}",
            net.node_count(),
            net.edge_count(),
            net.components().len(),
            diags.len(),
            reached as f64 / (kd.len() * n).max(1) as f64
        );
        let t = Instant::now();
        let anchors: Vec<_> = city.buildings.iter().map(|b| b.anchor()).collect();
        let anchor_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let snaps = net.snap_all(&anchors);
        let snap_s = t.elapsed().as_secs_f64();
        eprintln!(
            "  detail: anchors (1 thread) {anchor_s:.3} s, snap_all {snap_s:.3} s, snapped {}",
            snaps.iter().filter(|s| s.is_some()).count()
        );
        if with_coverage {
            let scenario = binnenstad::scenario::Scenario::from_toml(
                "version = 1\nname = \"bench\"\narea = \"x\"\n",
                std::path::Path::new("bench.toml"),
            )
            .expect("default scenario");
            let t = Instant::now();
            let iso = binnenstad::network::isochrone(
                &net,
                city.buildings[n / 2].anchor(),
                &[400.0, 800.0, 1200.0],
                25.0,
                250.0,
            );
            let iso_s = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let cov = binnenstad::network::coverage(
                &net,
                &city.buildings,
                &city.amenities,
                binnenstad::network::HomesWalk::known(&kd),
                &scenario.groups,
                &settings,
                25.0,
            );
            eprintln!(
                "  isochrone 3 bands {iso_s:.3} s ({} pieces); coverage {} (kind, group) pairs {:.3} s",
                iso.map(|b| b.iter().map(|x| x.segments.0.len()).sum::<usize>())
                    .unwrap_or(0),
                cov.len(),
                t.elapsed().as_secs_f64()
            );
        }
        if let Some(path) = &json {
            write_json(path, &city, &kd, build_s, dist_s, cpu_s).expect("write json");
            eprintln!("  wrote {path}");
        }
    }
}

/// Plain JSON both sides read: streets as coordinate lists (RD metres), building
/// anchors, amenities, and Rust's distances per kind (null = unreachable).
fn write_json(
    path: &str,
    city: &Layers,
    kd: &[binnenstad::network::KindDistances],
    build_s: f64,
    dist_s: f64,
    cpu_s: f64,
) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(
        w,
        "{{\"crs\":\"EPSG:28992\",\"rust_seconds\":{{\"build\":{build_s:.4},\"distances\":{dist_s:.4},\"cpu\":{cpu_s:.3},\"threads\":{}}},\"streets\":[",
        rayon::current_num_threads()
    )?;
    for (i, s) in city.streets.iter().enumerate() {
        if i > 0 {
            write!(w, ",")?;
        }
        write!(w, "[")?;
        for (j, c) in s.line.0.iter().enumerate() {
            write!(w, "{}[{:?},{:?}]", if j > 0 { "," } else { "" }, c.x, c.y)?;
        }
        write!(w, "]")?;
    }
    write!(w, "],\"buildings\":[")?;
    for (i, b) in city.buildings.iter().enumerate() {
        let p = b.anchor();
        write!(
            w,
            "{}[{:?},{:?}]",
            if i > 0 { "," } else { "" },
            p.x(),
            p.y()
        )?;
    }
    write!(w, "],\"amenities\":[")?;
    for (i, a) in city.amenities.iter().enumerate() {
        write!(
            w,
            "{}{{\"kind\":\"{}\",\"x\":{:?},\"y\":{:?}}}",
            if i > 0 { "," } else { "" },
            a.kind,
            a.point.x(),
            a.point.y()
        )?;
    }
    write!(w, "],\"rust\":{{")?;
    for (i, k) in kd.iter().enumerate() {
        write!(w, "{}\"{}\":[", if i > 0 { "," } else { "" }, k.kind)?;
        for j in 0..k.len() {
            let sep = if j > 0 { "," } else { "" };
            match k.metres(j) {
                Some(m) => write!(w, "{sep}{m:.3}")?,
                None => write!(w, "{sep}null")?,
            }
        }
        write!(w, "]")?;
    }
    write!(w, "}}}}")?;
    w.flush()
}

/// User + system CPU seconds of this process (all threads), from /proc (Linux);
/// 0 elsewhere. The machine may be shared, so CPU time is the steadier figure.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
