//! Writes a synthetic city (`binnenstad::synthetic::city`) as a map folder
//! plus a scenario, so the real CLI can plan it:
//!
//! ```sh
//! cargo run --release --example synth_map -- --buildings 70000 --out /tmp/synth70k
//! binnenstad plan /tmp/synth70k/scenario.toml --timings
//! # a country of 10 centres, 5 million buildings (binnenstad::synthetic::country)
//! cargo run --release --example synth_map -- --buildings 5000000 --centres 10 --out /tmp/synth5m
//! ```
//!
//! Layers are GeoJSON in RD New with the legacy `crs` member
//! (`urn:ogc:def:crs:EPSG::28992`), written by `binnenstad::io::write::map_folder` (`GeoJsonWriter`
//! RD → RD, 1 mm), with the canonical properties the loader reads; with `--wgs84`
//! in WGS84 (1e-7°), as OpenStreetMap extracts are, so that loading converts every
//! position. The same arguments always give the same bytes.

use anyhow::{Context, Result, bail};
use binnenstad::crs::Crs;
use std::path::{Path, PathBuf};

/// Writes the map folder and `scenario.toml` into `out`.
fn write_map(buildings: usize, centres: usize, seed: u64, crs: Crs, out: &Path) -> Result<()> {
    let (layers, what) = if centres > 1 {
        (
            binnenstad::synthetic::country(buildings, centres, seed),
            format!("country({buildings}, {centres}, {seed})"),
        )
    } else {
        (
            binnenstad::synthetic::city(buildings, seed),
            format!("city({buildings}, {seed})"),
        )
    };
    binnenstad::io::write::map_folder(&layers, &out.join("map"), crs, Crs::RD_NEW)?;
    let scenario = format!(
        "# Synthetic map: binnenstad::synthetic::{what}, written by examples/synth_map.rs.\n\
         version = 1\n\
         name = \"synth-{buildings}\"\n\
         description = \"Synthetic {what}: {buildings} buildings\"\n\
         area = \"map\"\n\
         crs = \"EPSG:28992\"\n"
    );
    std::fs::write(out.join("scenario.toml"), scenario)?;
    Ok(())
}

fn main() -> Result<()> {
    let mut buildings: Option<usize> = None;
    let mut out: Option<PathBuf> = None;
    let mut seed = 42u64;
    let mut centres = 1usize;
    let mut crs = Crs::RD_NEW;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--buildings" => buildings = Some(value()?.parse().context("--buildings")?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().context("--seed")?,
            "--centres" => centres = value()?.parse().context("--centres")?,
            "--wgs84" => crs = Crs::WGS84,
            other => bail!(
                "unknown argument {other}; usage: synth_map --buildings N --out DIR [--centres K] [--seed S] [--wgs84]"
            ),
        }
    }
    let (Some(buildings), Some(out)) = (buildings, out) else {
        bail!("usage: synth_map --buildings N --out DIR [--centres K] [--seed S] [--wgs84]");
    };
    write_map(buildings, centres, seed, crs, &out)?;
    println!("wrote {}", out.join("scenario.toml").display());
    Ok(())
}
