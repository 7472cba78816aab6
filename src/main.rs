//! The `binnenstad` command line: parse, call the library, print, exit code.
//!
//! Exit codes: 0 ok, 1 checks failed (`check` found errors), 2 bad input or usage.

use anyhow::{Context, Result, bail};
use binnenstad::crs::Crs;
use binnenstad::io::load;
use binnenstad::io::output::OutputDir;
use binnenstad::scenario::Scenario;
use binnenstad::{Severity, plan};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "binnenstad",
    version,
    about = "Planning Dutch city centres: zoning, housing suitability per doelgroep, walkable amenities, transformation sites"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole pipeline and write every output (GeoJSON, styles, map, report).
    Plan {
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Output folder (default out/<scenario name>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// CRS of the GeoJSON outputs (default EPSG:4326, RFC 7946).
        #[arg(long, default_value = "EPSG:4326")]
        output_crs: String,
        /// Print the time per stage.
        #[arg(long)]
        timings: bool,
        /// Stop at the first data problem instead of reporting it and going on.
        #[arg(long)]
        strict: bool,
    },
    /// Validate the inputs and report data problems (exit 1 when there are errors).
    Check {
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Import map data into the layers binnenstad reads.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
}

#[derive(Subcommand)]
enum ImportSource {
    /// OpenStreetMap .osm, .osm.gz or .osm.pbf.
    Osm {
        /// The OSM file.
        file: PathBuf,
        /// Map folder to write (e.g. maps/amsterdam-centrum).
        #[arg(long)]
        out: PathBuf,
        /// Keep only features intersecting W,S,E,N (degrees).
        #[arg(long, value_parser = parse_bbox)]
        bbox: Option<[f64; 4]>,
    },
}

fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let parts: Vec<f64> = text
        .split(',')
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .map_err(|_| format!("\"{p}\" is not a number"))
        })
        .collect::<Result<_, _>>()?;
    let [w, s, e, n] = <[f64; 4]>::try_from(parts)
        .map_err(|_| "expected W,S,E,N (four numbers in degrees)".to_string())?;
    if !(w < e
        && s < n
        && (-180.0..=180.0).contains(&w)
        && (-180.0..=180.0).contains(&e)
        && (-90.0..=90.0).contains(&s)
        && (-90.0..=90.0).contains(&n))
    {
        return Err(format!(
            "{text} is not a W,S,E,N box in degrees (west < east, south < north)"
        ));
    }
    Ok([w, s, e, n])
}

/// Errors that mean "checks failed" (exit 1) rather than bad input (exit 2).
#[derive(Debug)]
struct ChecksFailed(usize);
impl std::fmt::Display for ChecksFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} data error(s) found", self.0)
    }
}
impl std::error::Error for ChecksFailed {}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<ChecksFailed>().is_some() => {
            eprintln!("binnenstad: {e:#}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("binnenstad: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Plan {
            scenario,
            out,
            output_crs,
            timings,
            strict,
        } => cmd_plan(&scenario, out, &output_crs, timings, strict),
        Command::Check { scenario, json } => cmd_check(&scenario, json),
        Command::Import {
            source: ImportSource::Osm { file, out, bbox },
        } => cmd_import_osm(&file, &out, bbox),
    }
}

fn print_diagnostics(diagnostics: &[binnenstad::Diagnostic], limit: usize) {
    for d in diagnostics.iter().take(limit) {
        eprintln!("{d}");
    }
    if diagnostics.len() > limit {
        eprintln!(
            "... and {} more (all of them: `binnenstad check --json`, or the report)",
            diagnostics.len() - limit
        );
    }
}

fn inputs_of(scenario: &Scenario) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = scenario.layers.iter().map(|l| l.path.clone()).collect();
    v.push(scenario.path.clone());
    v.push(scenario.area.clone());
    v
}

fn cmd_plan(
    path: &Path,
    out: Option<PathBuf>,
    output_crs: &str,
    timings: bool,
    strict: bool,
) -> Result<()> {
    let start = Instant::now();
    let scenario = Scenario::load(path)?;
    let out_crs = Crs::parse(output_crs).context("--output-crs")?;
    let loaded = load::load(&scenario)?;
    if strict && let Some(d) = loaded.diagnostics.first() {
        bail!("--strict: {d}");
    }
    let load_time = start.elapsed();
    let plan = plan::run(&scenario, loaded)?;
    print_diagnostics(&plan.diagnostics, 20);
    let target = out.unwrap_or_else(|| PathBuf::from("out").join(&scenario.name));
    let t_write = Instant::now();
    let files = binnenstad::outputs::files(&plan, &scenario, out_crs)?;
    let dir = OutputDir::create(&target, &inputs_of(&scenario))?;
    for f in &files {
        dir.write(&f.name, &f.bytes)?;
    }
    let written = dir.commit()?;
    if timings {
        eprintln!("{:<12} {:>9.3} s", "load", load_time.as_secs_f64());
        for (stage, d) in &plan.timings {
            eprintln!("{:<12} {:>9.3} s", stage, d.as_secs_f64());
        }
        eprintln!("{:<12} {:>9.3} s", "write", t_write.elapsed().as_secs_f64());
        eprintln!("{:<12} {:>9.3} s", "total", start.elapsed().as_secs_f64());
    }
    println!("wrote {}", written.display());
    Ok(())
}

fn cmd_check(path: &Path, json: bool) -> Result<()> {
    let scenario = Scenario::load(path)?;
    let loaded = load::load(&scenario)?;
    let report = binnenstad::check::check(&scenario, &loaded);
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "scenario {} — working CRS {}",
            scenario.name, loaded.working_crs
        );
        println!(
            "{:<12} {:>9} {:>9}  {:<11} extent (W S E N, degrees)",
            "layer", "in file", "loaded", "CRS"
        );
        for l in &report.layers {
            if !l.present {
                println!(
                    "{:<12} {:>9} {:>9}  {:<11} (absent: optional)",
                    l.name, "-", "-", "-"
                );
                continue;
            }
            let extent = l
                .extent_wgs84
                .map(|[w, s, e, n]| format!("{w:.5} {s:.5} {e:.5} {n:.5}"))
                .unwrap_or_else(|| "(empty)".into());
            println!(
                "{:<12} {:>9} {:>9}  {:<11} {}",
                l.name, l.features_in_file, l.features_loaded, l.crs, extent
            );
        }
        for line in &report.notes {
            println!("{line}");
        }
        let warnings = report.diagnostics.len() - errors;
        println!("{errors} error(s), {warnings} warning(s)");
        if std::io::stdout().is_terminal() {
            print_diagnostics(&report.diagnostics, 50);
        } else {
            for d in &report.diagnostics {
                println!("{d}");
            }
        }
    }
    if errors > 0 {
        return Err(ChecksFailed(errors).into());
    }
    Ok(())
}

fn cmd_import_osm(file: &Path, out: &Path, bbox: Option<[f64; 4]>) -> Result<()> {
    let start = Instant::now();
    let options = binnenstad::io::osm::ImportOptions { bbox };
    let (layers, report) = binnenstad::io::osm::import(file, &options)?;
    let dir = OutputDir::create(out, &[file.to_path_buf()])?;
    for (name, collection) in layers.layers() {
        dir.write(
            &format!("{name}.geojson"),
            binnenstad::io::write::collection_text(name, collection)?,
        )?;
    }
    dir.write(
        "README.md",
        binnenstad::io::write::import_readme(
            file,
            &report.counts,
            &report.retail_core_method,
            report.diagnostics.len(),
        ),
    )?;
    let written = dir.commit()?;
    for (name, n) in &report.counts {
        println!("{name:<12} {n:>7}");
    }
    if !report.diagnostics.is_empty() {
        eprintln!(
            "{} data problem(s) in the OSM file:",
            report.diagnostics.len()
        );
        print_diagnostics(&report.diagnostics, 10);
    }
    println!("{}", report.retail_core_method);
    println!(
        "wrote {} in {:.2} s",
        written.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
