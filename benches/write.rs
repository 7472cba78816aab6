//! The layer writers on their own: buildings.geojson and sites.geojson
//! rendered from a finished plan into a sink that drops the bytes, so the
//! figure is the text's cost alone (no disk, no page cache).
//!
//! `cargo bench --bench write -- SCENARIO.toml [--runs N] [--threads T]`
//! (release). Loads and plans the scenario once, then renders each layer
//! `--runs` times (default 5) in a pool of `--threads` threads (default: all
//! cores) and prints best and median time, bytes, and CPU microseconds per
//! feature (wall × threads / features: an upper bound).

mod common;

use binnenstad::{export, outputs};
use std::io::Write;
use std::time::{Duration, Instant};

/// Counts the bytes written and drops them.
struct Count(u64);

impl Write for Count {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0 += data.len() as u64;
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    let (args, scenario_path) =
        common::args("cargo bench --bench write -- SCENARIO.toml [--runs N] [--threads T]");
    let runs: usize = common::arg(&args, "--runs").unwrap_or(5);
    let threads: usize = common::arg(&args, "--threads").unwrap_or_else(rayon::current_num_threads);
    let (scenario, plan) = common::planned(&scenario_path);
    let writer = outputs::writer(&plan, binnenstad::crs::Crs::WGS84).expect("writer");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    println!(
        "{scenario_path}: {} buildings, {} sites, {runs} runs, {threads} threads",
        plan.layers.buildings.len(),
        plan.sites.len()
    );
    let layers: [(&str, usize); 2] = [
        ("buildings.geojson", plan.layers.buildings.len()),
        ("sites.geojson", plan.sites.len()),
    ];
    for (name, features) in layers {
        let mut times: Vec<Duration> = Vec::new();
        let mut bytes = 0;
        for _ in 0..runs {
            let mut sink = Count(0);
            let t = Instant::now();
            pool.install(|| {
                if name == "buildings.geojson" {
                    export::write_buildings(&plan, &scenario, &writer, &mut sink, &|_| {})
                } else {
                    export::write_sites(&plan, &scenario, &writer, &mut sink)
                }
            })
            .expect("write");
            times.push(t.elapsed());
            bytes = sink.0;
        }
        times.sort();
        let median = times[times.len() / 2].as_secs_f64();
        println!(
            "{name:<18} best {:>7.3} s  median {:>7.3} s  {:>7.1} MB  {:>6.0} B/feature  {:>5.2} µs CPU/feature",
            times[0].as_secs_f64(),
            median,
            bytes as f64 / 1e6,
            bytes as f64 / features.max(1) as f64,
            median * threads as f64 * 1e6 / features.max(1) as f64
        );
    }
}
