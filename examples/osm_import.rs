//! Imports an OSM file and prints feature counts, timing and diagnostics.
//!
//! `cargo run --release --example osm_import -- FILE [OUT_DIR]` (writes
//! `<OUT_DIR>/<layer>.geojson` when OUT_DIR is given; for inspection only,
//! the CLI's `import osm` is the real writer).

use binnenstad::io::osm::{ImportOptions, import};
use std::collections::BTreeMap;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: osm_import FILE [OUT_DIR]"))?;
    let out = args.next();
    let start = Instant::now();
    let (layers, report) = import(std::path::Path::new(&path), &ImportOptions::default())?;
    let elapsed = start.elapsed();
    println!("{path}: imported in {:.3} s", elapsed.as_secs_f64());
    for (name, count) in &report.counts {
        println!("  {name:12} {count}");
    }
    println!("  retail core: {}", report.retail_core_method);
    let mut codes: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for d in &report.diagnostics {
        *codes.entry((d.layer.as_str(), d.code)).or_default() += 1;
    }
    for ((layer, code), n) in codes {
        println!("  diagnostics {layer}/{code}: {n}");
    }
    if let Some(out) = out {
        std::fs::create_dir_all(&out)?;
        for (name, collection) in layers.layers() {
            let file = std::path::Path::new(&out).join(format!("{name}.geojson"));
            std::fs::write(&file, serde_json::to_string(collection)?)?;
        }
    }
    Ok(())
}
