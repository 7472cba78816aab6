//! The `binnenstad` command line: parse, call the library, print, exit code.
//!
//! Exit codes: 0 ok, 1 checks failed (`check` found errors), 2 bad input or usage.
#![forbid(unsafe_code)]

use anyhow::{Context, Result, bail};
use binnenstad::crs::Crs;
use binnenstad::io::load;
use binnenstad::io::output::OutputDir;
use binnenstad::query::{printable, printable_lines};
use binnenstad::scenario::Scenario;
use binnenstad::{Severity, plan};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// mimalloc instead of glibc's malloc: loading and writing a large city make
/// millions of small allocations from both threads (benches/README.md has the
/// figures: the 70k synthetic plan about 15% faster). Built with `no_thp`:
/// mimalloc would otherwise ask for transparent huge pages on its arenas, and
/// the kernel zeroing 2 MB pages made run times jump by up to a third.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "binnenstad",
    version,
    about = "Plannen voor de binnenstad: zonering rust/reuring, geschiktheid om te wonen per doelgroep, voorzieningen op loopafstand, transformatielocaties"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `--format` of `plan`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum LayerFormat {
    /// GeoJSON-bestanden met een .qml-opmaak ernaast.
    Geojson,
    /// Eén GeoPackage.
    Gpkg,
}

#[derive(Subcommand)]
enum Command {
    /// Alles doorrekenen en elke uitvoer schrijven (GeoJSON, opmaak, kaart, rapport).
    Plan {
        /// Scenariobestand (TOML).
        scenario: PathBuf,
        /// Uitvoermap (standaard out/<scenarionaam>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// CRS van de uitvoerlagen (standaard EPSG:4326, RFC 7946); een ander CRS
        /// (bijv. EPSG:28992) krijgt het oude `crs`-lid in GeoJSON.
        #[arg(long, default_value = "EPSG:4326")]
        output_crs: String,
        /// Laagformaat: `geojson` (een bestand per laag, .qml ernaast) of
        /// `gpkg` (één binnenstad.gpkg, opmaak in de tabel layer_styles).
        #[arg(long, value_enum, default_value_t = LayerFormat::Geojson)]
        format: LayerFormat,
        /// De tijd per stap tonen.
        #[arg(long)]
        timings: bool,
        /// Stoppen bij het eerste gegevensprobleem in plaats van het te melden en door te gaan.
        #[arg(long)]
        strict: bool,
    },
    /// Alleen de zonering berekenen en schrijven (zones.geojson, opgemaakt).
    Zones {
        /// Scenariobestand (TOML).
        scenario: PathBuf,
        /// Uitvoermap (standaard out/<scenarionaam>-zones/).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// De transformatielocaties op volgorde.
    Sites {
        /// Scenariobestand (TOML).
        scenario: PathBuf,
        /// Rangschikken voor deze doelgroep (standaard: de beste doelgroep per locatie).
        #[arg(long)]
        group: Option<String>,
        /// Hoeveel.
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// JSON tonen.
        #[arg(long)]
        json: bool,
    },
    /// Eén gebouw uitleggen: elke doelgroep, elk criterium met de getallen.
    Site {
        /// Scenariobestand (TOML).
        scenario: PathBuf,
        /// Gebouw-id, LON,LAT, RD X,Y, naam of adres (het gebouw daar of binnen 25 m).
        building: String,
        /// JSON tonen.
        #[arg(long)]
        json: bool,
    },
    /// Loopafstand en looptijd naar elke soort voorziening vanaf een punt of gebouw.
    Reach {
        /// Scenariobestand (TOML).
        scenario: PathBuf,
        /// LON,LAT, RD X,Y, een gebouw-id, naam of adres.
        #[arg(long, allow_hyphen_values = true)]
        from: String,
        /// Doelgroep voor loopsnelheid en behoeften (standaard: de kaartdoelgroep van het scenario).
        #[arg(long)]
        group: Option<String>,
        /// JSON tonen.
        #[arg(long)]
        json: bool,
        /// De routes als GeoJSON naar dit bestand schrijven.
        #[arg(long)]
        route_out: Option<PathBuf>,
    },
    /// Bereikbare straten en gebied binnen een aantal loopminuten vanaf een punt.
    Isochrone {
        /// Scenariobestand (TOML).
        scenario: PathBuf,
        /// LON,LAT, RD X,Y, een gebouw-id, naam of adres.
        #[arg(long, allow_hyphen_values = true)]
        from: String,
        /// Minutenbanden, bijv. 5,10,15.
        #[arg(long, value_delimiter = ',', default_value = "5,10,15")]
        minutes: Vec<f64>,
        /// Doelgroep voor de loopsnelheid (standaard: de kaartdoelgroep van het scenario).
        #[arg(long)]
        group: Option<String>,
        /// De banden als vlakken naar dit GeoJSON-bestand schrijven, de bereikte straten als
        /// lijnen naar <naam>.straten.geojson, elk met een .qml-opmaak ernaast.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Twee scenario's vergelijken: loopbereik, oordelen, woningen erbij, zones.
    Compare {
        /// Scenario A.
        a: PathBuf,
        /// Scenario B.
        b: PathBuf,
        /// JSON tonen.
        #[arg(long)]
        json: bool,
    },
    /// De beste nieuwe plekken voor een voorziening: de meeste woningen binnen bereik van de doelgroep.
    Suggest {
        /// Scenariobestand (TOML).
        scenario: PathBuf,
        /// Soort voorziening (sleutel: playground, daycare, supermarket ...).
        #[arg(long)]
        amenity: String,
        /// Hoeveel plekken.
        #[arg(long, default_value_t = 3)]
        count: usize,
        /// Doelgroep wier looptijd telt (standaard: de kaartdoelgroep van het scenario).
        #[arg(long)]
        group: Option<String>,
        /// JSON tonen.
        #[arg(long)]
        json: bool,
    },
    /// De invoer controleren en alle gegevensproblemen noemen (exitcode 1 bij fouten).
    Check {
        /// Scenariobestand (TOML).
        scenario: PathBuf,
        /// JSON tonen in plaats van een tabel.
        #[arg(long)]
        json: bool,
    },
    /// Kaartgegevens omzetten naar de lagen die binnenstad leest.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
}

#[derive(Subcommand)]
enum ImportSource {
    /// OpenStreetMap .osm, .osm.gz of .osm.pbf.
    Osm {
        /// Het OSM-bestand.
        file: PathBuf,
        /// Kaartmap om te schrijven (bijv. maps/amsterdam-centrum).
        #[arg(long)]
        out: PathBuf,
        /// Alleen objecten die het vak W,S,E,N (west, zuid, oost, noord in graden) raken.
        #[arg(long, value_parser = parse_bbox)]
        bbox: Option<[f64; 4]>,
        /// LV BAG-extract(en) (XML, zip, zips in zips, map): de BAG-panden
        /// worden de gebouwen, aan OSM gekoppeld via ref:bag.
        #[arg(long, num_args = 1..)]
        bag: Vec<PathBuf>,
        /// Het BAG-voorkomen dat op deze datum (JJJJ-MM-DD) gold in plaats van het huidige.
        #[arg(long, requires = "bag")]
        date: Option<String>,
        /// 3D BAG-bestand (CityJSON 1.x of CityJSONSeq .jsonl): bouwlagen en hoogtes per pand.
        #[arg(long = "3dbag", requires = "bag")]
        threedbag: Option<PathBuf>,
    },
    /// LV BAG 2.0-extract van het Kadaster: de gebouwenlaag (RD New).
    Bag {
        /// Extractbestanden: XML, zip per gemeente of landelijk (zips in zips), of een map.
        #[arg(required = true)]
        extract: Vec<PathBuf>,
        /// Kaartmap om te schrijven (bijv. maps/doesburg).
        #[arg(long)]
        out: PathBuf,
        /// Alleen panden die het vak W,S,E,N (west, zuid, oost, noord in graden) raken.
        #[arg(long, value_parser = parse_bbox)]
        bbox: Option<[f64; 4]>,
        /// Het voorkomen dat op deze datum (JJJJ-MM-DD) gold in plaats van het huidige.
        #[arg(long)]
        date: Option<String>,
        /// 3D BAG-bestand (CityJSON 1.x of CityJSONSeq .jsonl): bouwlagen en hoogtes per pand.
        #[arg(long = "3dbag")]
        threedbag: Option<PathBuf>,
    },
}

fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let parts: Vec<f64> = text
        .split(',')
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .map_err(|_| format!("\"{p}\" is geen getal"))
        })
        .collect::<Result<_, _>>()?;
    let [w, s, e, n] = <[f64; 4]>::try_from(parts).map_err(|_| {
        "verwacht W,S,E,N (vier getallen in graden: west, zuid, oost, noord)".to_string()
    })?;
    if !(w < e
        && s < n
        && (-180.0..=180.0).contains(&w)
        && (-180.0..=180.0).contains(&e)
        && (-90.0..=90.0).contains(&s)
        && (-90.0..=90.0).contains(&n))
    {
        return Err(format!(
            "{text} is geen W,S,E,N-vak in graden (west < oost, zuid < noord)"
        ));
    }
    Ok([w, s, e, n])
}

/// Prints a message to stderr. Unlike `eprintln!`, a stderr that cannot be
/// written (closed, full) does not panic: the message is lost, the run goes on
/// and its exit code still tells.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Writes results to stdout. Every command prints through [`out!`] and
/// [`outln!`], so a closed pipe and a full disk are handled here, once: the
/// write error becomes [`StdoutFailed`], which `main` turns into a quiet end
/// (broken pipe) or exit 2 with a message (anything else).
fn emit(args: std::fmt::Arguments<'_>) -> Result<()> {
    use std::io::Write;
    std::io::stdout()
        .lock()
        .write_fmt(args)
        .map_err(|e| StdoutFailed(e).into())
}

/// Prints to stdout through [`emit`]; returns early from the command on error.
macro_rules! out {
    ($($arg:tt)*) => { emit(format_args!($($arg)*))? };
}

/// [`out!`] with a newline.
macro_rules! outln {
    () => { emit(format_args!("\n"))? };
    ($($arg:tt)*) => { emit(format_args!("{}\n", format_args!($($arg)*)))? };
}

/// Standard output could not be written (a closed pipe, a full disk).
#[derive(Debug)]
struct StdoutFailed(std::io::Error);
impl std::fmt::Display for StdoutFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "kan niet naar de standaarduitvoer schrijven: {}", self.0)
    }
}
impl std::error::Error for StdoutFailed {}

/// The exit for a run whose results could not all be written to stdout:
/// a reader that went away (`| head`) ends the run quietly, as the Unix tools
/// do; anything else (a full disk) is an error, exit 2.
fn stdout_failed(e: &StdoutFailed) -> ExitCode {
    if e.0.kind() == std::io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    errln!("binnenstad: fout: {e}");
    ExitCode::from(2)
}

/// Errors that mean "checks failed" (exit 1) rather than bad input (exit 2).
#[derive(Debug)]
struct ChecksFailed(usize);
impl std::fmt::Display for ChecksFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} in de gegevens gevonden",
            binnenstad::labels::aantal(self.0 as u64, "fout", "fouten")
        )
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
    let result = run(cli).and_then(|()| {
        use std::io::Write;
        std::io::stdout()
            .flush()
            .map_err(|e| StdoutFailed(e).into())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(ref e) if let Some(failed) = e.downcast_ref::<StdoutFailed>() => stdout_failed(failed),
        Err(e) if e.downcast_ref::<ChecksFailed>().is_some() => {
            errln!("binnenstad: {e:#}");
            ExitCode::from(1)
        }
        Err(e) => {
            // Messages quote the data (ids, names): no raw control characters.
            errln!("binnenstad: fout: {}", printable_lines(&format!("{e:#}")));
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
            format,
            timings,
            strict,
        } => {
            let format = match format {
                LayerFormat::Geojson => binnenstad::outputs::Format::GeoJson,
                LayerFormat::Gpkg => binnenstad::outputs::Format::Gpkg,
            };
            cmd_plan(&scenario, out, &output_crs, format, timings, strict)
        }
        Command::Check { scenario, json } => cmd_check(&scenario, json),
        Command::Zones { scenario, out } => cmd_zones(&scenario, out),
        Command::Sites {
            scenario,
            group,
            top,
            json,
        } => {
            let (scenario, plan) = plan_for(&scenario, false)?;
            let g = group
                .as_deref()
                .map(|g| group_of(&scenario, g))
                .transpose()?;
            let rows = binnenstad::query::sites_rows(&plan, &scenario, g, top);
            if json {
                outln!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                out!(
                    "{}",
                    printable_lines(&binnenstad::query::sites_table(&rows))
                );
            }
            Ok(())
        }
        Command::Site {
            scenario,
            building,
            json,
        } => {
            let (scenario, plan) = plan_for(&scenario, false)?;
            let i = binnenstad::query::find_building(&plan, &building)?;
            let e = binnenstad::query::explain_site(&plan, &scenario, i)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&e)?);
            } else {
                out!("{}", printable_lines(&e.table()));
            }
            Ok(())
        }
        Command::Reach {
            scenario,
            from,
            group,
            json,
            route_out,
        } => cmd_reach(&scenario, &from, group, json, route_out),
        Command::Isochrone {
            scenario,
            from,
            minutes,
            group,
            out,
        } => cmd_isochrone(&scenario, &from, &minutes, group, out),
        Command::Suggest {
            scenario,
            amenity,
            count,
            group,
            json,
        } => {
            let kind = binnenstad::model::AmenityKind::parse(&amenity).ok_or_else(|| {
                let kinds: Vec<&str> = binnenstad::model::AmenityKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect();
                anyhow::anyhow!(
                    "--amenity {amenity}: onbekende soort (verwacht een van {})",
                    kinds.join(", ")
                )
            })?;
            if count == 0 {
                bail!("--count moet minstens 1 zijn");
            }
            let (scenario, plan) = plan_for(&scenario, false)?;
            let g = group_of(
                &scenario,
                group.as_deref().unwrap_or(&scenario.output.map_group),
            )?;
            let r = binnenstad::query::suggest(&plan, &scenario, kind, count, g)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                out!("{}", printable_lines(&r.table()));
            }
            Ok(())
        }
        Command::Compare { a, b, json } => {
            let (sa, pa) = plan_for(&a, true)?;
            let (sb, pb) = plan_for(&b, true)?;
            let c = binnenstad::query::compare_plans((&pa, &sa), (&pb, &sb));
            if json {
                outln!("{}", serde_json::to_string_pretty(&c)?);
            } else {
                out!("{}", printable_lines(&c.table()));
            }
            Ok(())
        }
        Command::Import {
            source:
                ImportSource::Osm {
                    file,
                    out,
                    bbox,
                    bag,
                    date,
                    threedbag,
                },
        } => cmd_import_osm(
            &file,
            &out,
            bbox,
            &bag,
            date.as_deref(),
            threedbag.as_deref(),
        ),
        Command::Import {
            source:
                ImportSource::Bag {
                    extract,
                    out,
                    bbox,
                    date,
                    threedbag,
                },
        } => cmd_import_bag(&extract, &out, bbox, date.as_deref(), threedbag.as_deref()),
    }
}

/// Prints up to `limit` diagnostics: whole-layer ones first (a missing amenity kind,
/// uses filled in), as they matter more than any single feature.
fn print_diagnostics(diagnostics: &[binnenstad::Diagnostic], limit: usize, all_of_them: &str) {
    let (layer_wide, per_feature): (Vec<_>, Vec<_>) =
        diagnostics.iter().partition(|d| d.feature.is_none());
    for d in layer_wide.into_iter().chain(per_feature).take(limit) {
        errln!("{}", printable(&d.to_string()));
    }
    if diagnostics.len() > limit {
        errln!(
            "... en nog {} (alle: {all_of_them})",
            diagnostics.len() - limit
        );
    }
}

/// Where the diagnostics of a plan are all listed.
const CHECK_LISTS_ALL: &str = "`binnenstad check --json`, of het rapport";

/// Every data problem of a plan, one per line, in the output folder (written
/// only when there are problems; report.html lists them too).
const PROBLEMS_FILE: &str = "problemen.txt";

/// The data problems of a plan as one line: how many, of what kind (most
/// frequent first), and where to read them all.
fn problems_line(diagnostics: &[binnenstad::Diagnostic], file: &Path) -> String {
    use binnenstad::labels::{aantal, diagnostic};
    let mut by_code: std::collections::BTreeMap<&str, u64> = Default::default();
    for d in diagnostics {
        *by_code.entry(diagnostic(d.code)).or_default() += 1;
    }
    let mut kinds: Vec<(&str, u64)> = by_code.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n}× {k}")).collect();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count() as u64;
    let warnings = diagnostics.len() as u64 - errors;
    let mut counts = Vec::new();
    if errors > 0 {
        counts.push(aantal(errors, "fout", "fouten"));
    }
    if warnings > 0 {
        counts.push(aantal(warnings, "waarschuwing", "waarschuwingen"));
    }
    format!(
        "let op: {} ({}: {}); alle in {} en in report.html onder Gegevensproblemen",
        aantal(
            diagnostics.len() as u64,
            "gegevensprobleem",
            "gegevensproblemen"
        ),
        counts.join(", "),
        kinds.join(", "),
        file.display()
    )
}

/// Every data problem `import osm` found, one per line, in the map folder it writes.
const IMPORT_PROBLEMS_FILE: &str = "import_problems.txt";

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
    format: binnenstad::outputs::Format,
    timings: bool,
    strict: bool,
) -> Result<()> {
    let start = Instant::now();
    let scenario = Scenario::load(path)?;
    let out_crs = Crs::parse(output_crs).context("--output-crs")?;
    let target = out.unwrap_or_else(|| PathBuf::from("out").join(&scenario.name));
    OutputDir::check(&target, &inputs_of(&scenario))?;
    let loaded = load::load(&scenario)?;
    if strict {
        let far = binnenstad::rules::zoning::far_outside(&loaded.layers);
        if let Some(d) = loaded.diagnostics.first().or(far.first()) {
            // The diagnostic says what a run without --strict does with the
            // feature ("overgeslagen"); this run stops.
            bail!(
                "gestopt bij het eerste gegevensprobleem (--strict); zonder --strict meldt de run: {d}"
            );
        }
    }
    let load_time = start.elapsed();
    let bars = Bars::new();
    let mut plan = plan::run_with(&scenario, loaded, true, &bars)?;
    // The written outputs read the walking distances, not which amenity is nearest.
    plan.drop_nearest();
    bars.clear();
    let t_write = Instant::now();
    // Files go straight into the temporary folder, one at a time; the folder
    // replaces the previous outputs only when every file is written.
    let dir = OutputDir::create(&target, &inputs_of(&scenario))?;
    let mut write_times =
        binnenstad::outputs::write_all(&plan, &scenario, out_crs, format, &dir, &bars)?;
    if format == binnenstad::outputs::Format::Gpkg {
        let t = Instant::now();
        let writer = binnenstad::outputs::writer(&plan, out_crs)?;
        let layers = binnenstad::outputs::styled_layers(&plan, &scenario);
        let tables = binnenstad::outputs::gpkg_layers(&layers);
        dir.write_with_path(binnenstad::outputs::GPKG_FILE, |path| {
            binnenstad::io::gpkg::write(path, &writer, &tables)
        })?;
        write_times.push((binnenstad::outputs::GPKG_FILE.to_string(), t.elapsed()));
    }
    if !plan.diagnostics.is_empty() {
        let mut text = String::new();
        for d in &plan.diagnostics {
            text.push_str(&printable(&d.to_string()));
            text.push('\n');
        }
        dir.write(PROBLEMS_FILE, text)?;
    }
    bars.clear();
    let written = dir.commit()?;
    if timings {
        errln!("{:<14} {:>9.3} s", "load", load_time.as_secs_f64());
        for (stage, d) in &plan.timings {
            errln!("{:<14} {:>9.3} s", stage, d.as_secs_f64());
        }
        errln!("{:<14} {:>9.3} s", "write", t_write.elapsed().as_secs_f64());
        for (file, d) in &write_times {
            errln!("  {:<22} {:>7.3} s", file, d.as_secs_f64());
        }
        errln!("{:<14} {:>9.3} s", "total", start.elapsed().as_secs_f64());
    }
    out!("{}", binnenstad::query::plan_summary(&plan, &scenario));
    if !plan.diagnostics.is_empty() {
        use std::io::Write as _;
        // The summary first, then the one line of problems, then what to open.
        let _ = std::io::stdout().flush();
        errln!(
            "{}",
            problems_line(&plan.diagnostics, &written.join(PROBLEMS_FILE))
        );
    }
    outln!("geschreven: {}", written.display());
    // What to open, not only where it went.
    outln!(
        "  open {:<40} klikbare kaart: oordeel, redenen en loopminuten per gebouw",
        written.join("kaart.html").display()
    );
    outln!(
        "  open {:<40} rapport: cijfers, beste locaties, gegevensproblemen",
        written.join("report.html").display()
    );
    outln!(
        "  verder: map.png (kaart als afbeelding), binnenstad.qgs (QGIS-project, alle lagen opgemaakt)"
    );
    // The process ends here: freeing a large city's millions of allocations
    // one by one only delays the exit (0.2-0.3 s at 1M buildings); the
    // operating system takes the memory back whole.
    std::mem::forget(plan);
    Ok(())
}

/// Progress bars on stderr (indicatif), only when stderr is a terminal: never in pipes or CI.
struct Bars {
    bar: Option<indicatif::ProgressBar>,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            bar: std::io::stderr()
                .is_terminal()
                .then(indicatif::ProgressBar::hidden),
        }
    }
    fn clear(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl plan::Progress for Bars {
    fn start(&self, stage: &'static str, total: Option<u64>) {
        let Some(b) = &self.bar else { return };
        b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        b.reset();
        match total {
            Some(n) => {
                b.set_length(n);
                b.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{msg:>24} [{bar:40}] {pos}/{len} ({eta})",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
            }
            None => {
                b.unset_length();
                b.set_style(
                    indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
                );
                b.enable_steady_tick(std::time::Duration::from_millis(120));
            }
        }
        b.set_message(stage);
    }
    fn advance(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }
}

/// Loads a scenario and runs the pipeline (diagnostics to stderr, briefly).
fn plan_for(path: &Path, with_coverage: bool) -> Result<(Scenario, plan::Plan)> {
    let scenario = Scenario::load(path)?;
    let plan = plan_of(&scenario, with_coverage)?;
    Ok((scenario, plan))
}

/// [`plan_for`] for a scenario already loaded.
fn plan_of(scenario: &Scenario, with_coverage: bool) -> Result<plan::Plan> {
    let loaded = load::load(scenario)?;
    let plan = plan::run_with(scenario, loaded, with_coverage, &plan::Silent)?;
    if !plan.diagnostics.is_empty() {
        errln!(
            "let op: {}; `binnenstad check` noemt ze alle",
            binnenstad::labels::aantal(
                plan.diagnostics.len() as u64,
                "gegevensprobleem",
                "gegevensproblemen"
            )
        );
    }
    Ok(plan)
}

fn group_of<'a>(scenario: &'a Scenario, name: &str) -> Result<&'a binnenstad::scenario::Doelgroep> {
    scenario.group(name).ok_or_else(|| {
        let names: Vec<&str> = scenario.groups.iter().map(|g| g.name.as_str()).collect();
        anyhow::anyhow!(
            "--group {name}: onbekende doelgroep (het scenario heeft {})",
            names.join(", ")
        )
    })
}

fn cmd_zones(path: &Path, out: Option<PathBuf>) -> Result<()> {
    let scenario = Scenario::load(path)?;
    let target =
        out.unwrap_or_else(|| PathBuf::from("out").join(format!("{}-zones", scenario.name)));
    OutputDir::check(&target, &inputs_of(&scenario))?;
    let loaded = load::load(&scenario)?;
    let working = loaded.working_crs;
    let zoning = binnenstad::rules::zoning::zone(&loaded.layers, &scenario.zoning);
    let features = binnenstad::export::zone_features(&zoning);
    let writer = binnenstad::io::write::GeoJsonWriter::new(working, Crs::WGS84)?;
    let dir = OutputDir::create(&target, &inputs_of(&scenario))?;
    dir.write("zones.geojson", writer.collection("zones", &features)?)?;
    dir.write("zones.qml", binnenstad::render::qml::zones())?;
    let written = dir.commit()?;
    for c in binnenstad::model::ZoneCharacter::ALL {
        let area: f64 = zoning
            .zones
            .iter()
            .filter(|z| z.character == *c)
            .map(|z| z.area_m2)
            .sum();
        let n = zoning.buildings.iter().filter(|b| b.zone == *c).count();
        outln!(
            "{:<8} {:>10} m²  {}",
            c.as_str(),
            binnenstad::labels::nl_number(area, 0),
            binnenstad::labels::aantal(n as u64, "gebouw", "gebouwen")
        );
    }
    outln!("geschreven: {}", written.display());
    Ok(())
}

/// `reach --route-out`: replaces only a routes file binnenstad wrote.
const ROUTE_FILE: binnenstad::io::output::FileKind = binnenstad::io::output::FileKind {
    flag: "--route-out",
    collection: "routes",
};
/// `isochrone --out FILE`: the bands (polygons); replaces only an isochrone
/// file binnenstad wrote.
const ISOCHRONE_FILE: binnenstad::io::output::FileKind = binnenstad::io::output::FileKind {
    flag: "--out",
    collection: "isochrone",
};
/// The reached street pieces (lines), in a sibling of FILE ([`isochrone_files`]).
const ISOCHRONE_STREETS_FILE: binnenstad::io::output::FileKind = binnenstad::io::output::FileKind {
    flag: "--out",
    collection: "isochrone_straten",
};

/// The four files of `isochrone --out FILE`, one geometry type per layer, each
/// with the QGIS style QGIS applies when it opens the layer (same stem, `.qml`):
/// `iso.geojson` → bands `iso.geojson` + `iso.qml`, streets
/// `iso.straten.geojson` + `iso.straten.qml`.
fn isochrone_files(file: &Path) -> [(PathBuf, binnenstad::io::output::FileKind); 4] {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "isochrone".into());
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "geojson".into());
    let beside = |name: String| file.with_file_name(name);
    [
        (file.to_path_buf(), ISOCHRONE_FILE),
        (beside(format!("{stem}.qml")), ISOCHRONE_FILE),
        (
            beside(format!("{stem}.straten.{ext}")),
            ISOCHRONE_STREETS_FILE,
        ),
        (
            beside(format!("{stem}.straten.qml")),
            ISOCHRONE_STREETS_FILE,
        ),
    ]
}

fn cmd_reach(
    path: &Path,
    from: &str,
    group: Option<String>,
    json: bool,
    route_out: Option<PathBuf>,
) -> Result<()> {
    // The output file is refused before the plan, not after.
    let scenario = Scenario::load(path)?;
    if let Some(file) = &route_out {
        binnenstad::io::output::check_file(file, &inputs_of(&scenario), ROUTE_FILE)?;
    }
    let plan = plan_of(&scenario, false)?;
    let g = group_of(
        &scenario,
        group.as_deref().unwrap_or(&scenario.output.map_group),
    )?;
    let p = binnenstad::query::find_point(&plan, from)?;
    let r = binnenstad::query::reach(&plan, &scenario, p, g)?;
    if let Some(file) = route_out {
        let features: Vec<binnenstad::io::write::OutFeature> = r
            .routes
            .iter()
            .map(|(kind, line)| {
                let row = r.rows.iter().find(|x| x.kind == kind.as_str());
                let mut props = serde_json::Map::new();
                props.insert("kind".into(), serde_json::json!(kind.as_str()));
                props.insert(
                    "metres".into(),
                    serde_json::json!(row.and_then(|x| x.metres)),
                );
                props.insert(
                    "minutes".into(),
                    serde_json::json!(row.and_then(|x| x.minutes)),
                );
                props.insert(
                    "to".into(),
                    serde_json::json!(row.and_then(|x| x.amenity_id.clone())),
                );
                binnenstad::io::write::OutFeature {
                    id: format!("route/{}", kind.as_str()),
                    geometry: geo::Geometry::LineString(line.clone()),
                    properties: props,
                }
            })
            .collect();
        let writer = binnenstad::io::write::GeoJsonWriter::new(plan.working_crs, Crs::WGS84)?;
        binnenstad::io::output::write_file(
            &file,
            writer.collection("routes", &features)?.as_bytes(),
            &inputs_of(&scenario),
            ROUTE_FILE,
        )?;
    }
    if json {
        outln!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        out!("{}", printable_lines(&r.table()));
    }
    Ok(())
}

fn cmd_isochrone(
    path: &Path,
    from: &str,
    minutes: &[f64],
    group: Option<String>,
    out: Option<PathBuf>,
) -> Result<()> {
    if minutes.is_empty()
        || minutes
            .iter()
            .any(|m| !m.is_finite() || *m <= 0.0 || *m > 240.0)
    {
        bail!("--minutes: geef positieve minuten tot en met 240, bijvoorbeeld 5,10,15");
    }
    let scenario = Scenario::load(path)?;
    // Every file is refused before the plan, not after; none is written then.
    let files = out.as_deref().map(isochrone_files);
    for (file, kind) in files.iter().flatten() {
        binnenstad::io::output::check_file(file, &inputs_of(&scenario), *kind)?;
    }
    let plan = plan_of(&scenario, false)?;
    let g = group_of(
        &scenario,
        group.as_deref().unwrap_or(&scenario.output.map_group),
    )?;
    let p = binnenstad::query::find_point(&plan, from)?;
    let bands_m: Vec<f64> = minutes.iter().map(|m| g.reach_m(*m)).collect();
    let bands = binnenstad::network::isochrone(
        &plan.network,
        p,
        &bands_m,
        binnenstad::plan::COVERAGE_BUFFER_M,
        scenario.network.max_connector_m,
    )
    .map_err(|e| anyhow::anyhow!("kan daar niet beginnen: {e}"))?;
    let mut areas = Vec::new();
    let mut streets = Vec::new();
    outln!(
        "{:>6} {:>8} {:>12} {:>10}",
        "min",
        "meter",
        "gebied m²",
        "straat m"
    );
    for (m, band) in minutes.iter().zip(&bands) {
        use geo::{Area, Euclidean, Length};
        let area = band.area.unsigned_area();
        let length: f64 = band.segments.0.iter().map(|l| Euclidean.length(l)).sum();
        outln!(
            "{:>6} {:>8} {:>12} {:>10}",
            binnenstad::labels::nl_number(*m, if m.fract() == 0.0 { 0 } else { 1 }),
            binnenstad::labels::nl_number(band.max_m, 0),
            binnenstad::labels::nl_number(area, 0),
            binnenstad::labels::nl_number(length, 0)
        );
        let props = || {
            let mut props = serde_json::Map::new();
            props.insert("minutes".into(), serde_json::json!(m));
            props.insert("metres".into(), serde_json::json!(band.max_m.round()));
            props.insert("group".into(), serde_json::json!(g.name));
            props
        };
        areas.push(binnenstad::io::write::OutFeature {
            id: format!("{m}min/gebied"),
            geometry: geo::Geometry::MultiPolygon(band.area.clone()),
            properties: props(),
        });
        streets.push(binnenstad::io::write::OutFeature {
            id: format!("{m}min/straten"),
            geometry: geo::Geometry::MultiLineString(band.segments.clone()),
            properties: props(),
        });
    }
    if let Some(files) = files {
        // The largest band first, so QGIS draws the nearer bands over it.
        areas.reverse();
        streets.reverse();
        let writer = binnenstad::io::write::GeoJsonWriter::new(plan.working_crs, Crs::WGS84)?;
        let style = |geometry| binnenstad::render::qml::isochrone(minutes, geometry);
        use binnenstad::render::qml::GeomKind;
        let texts = [
            writer.collection(ISOCHRONE_FILE.collection, &areas)?,
            binnenstad::io::output::mark_style(
                &style(GeomKind::Polygon),
                ISOCHRONE_FILE.collection,
            ),
            writer.collection(ISOCHRONE_STREETS_FILE.collection, &streets)?,
            binnenstad::io::output::mark_style(
                &style(GeomKind::Line),
                ISOCHRONE_STREETS_FILE.collection,
            ),
        ];
        for ((file, kind), text) in files.iter().zip(&texts) {
            binnenstad::io::output::write_file(
                file,
                text.as_bytes(),
                &inputs_of(&scenario),
                *kind,
            )?;
        }
        let [
            (bands, _),
            (bands_style, _),
            (streets, _),
            (streets_style, _),
        ] = &files;
        outln!(
            "geschreven: {} (gebieden per band, vlakken; opmaak {})",
            bands.display(),
            bands_style.display()
        );
        outln!(
            "geschreven: {} (bereikte straten per band, lijnen; opmaak {})",
            streets.display(),
            streets_style.display()
        );
    }
    Ok(())
}

fn cmd_check(path: &Path, json: bool) -> Result<()> {
    let scenario = Scenario::load(path)?;
    let mut loaded = load::load(&scenario)?;
    // What plan refuses, check refuses; what the interventions add is checked.
    binnenstad::plan::apply_interventions(&mut loaded.layers, &scenario, loaded.working_crs)?;
    let report = binnenstad::check::check(&scenario, &loaded);
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
            "scenario {} — werk-CRS {}",
            scenario.name,
            loaded.working_crs
        );
        outln!(
            "{:<12} {:>11} {:>9}  {:<11} omvang (W Z O N, graden)",
            "laag",
            "in bestand",
            "geladen",
            "CRS"
        );
        for l in &report.layers {
            if !l.present {
                outln!(
                    "{:<12} {:>11} {:>9}  {:<11} (ontbreekt: optioneel)",
                    l.name,
                    "-",
                    "-",
                    "-"
                );
                continue;
            }
            let extent = l
                .extent_wgs84
                .map(|[w, s, e, n]| format!("{w:.5} {s:.5} {e:.5} {n:.5}"))
                .unwrap_or_else(|| "(leeg)".into());
            outln!(
                "{:<12} {:>11} {:>9}  {:<11} {}",
                l.name,
                l.features_in_file,
                l.features_loaded,
                l.crs,
                extent
            );
        }
        for line in &report.notes {
            outln!("{}", printable(line));
        }
        let warnings = report.diagnostics.len() - errors;
        outln!(
            "{}, {}",
            binnenstad::labels::aantal(errors as u64, "fout", "fouten"),
            binnenstad::labels::aantal(warnings as u64, "waarschuwing", "waarschuwingen")
        );
        if std::io::stdout().is_terminal() {
            print_diagnostics(&report.diagnostics, 50, CHECK_LISTS_ALL);
        } else {
            for d in &report.diagnostics {
                outln!("{}", printable(&d.to_string()));
            }
        }
    }
    if errors > 0 {
        return Err(ChecksFailed(errors).into());
    }
    Ok(())
}

/// `--date YYYY-MM-DD` as a BAG date.
fn parse_date_arg(date: Option<&str>) -> Result<Option<binnenstad::io::bag::Date>> {
    date.map(|d| {
        binnenstad::io::bag::parse_date(d).ok_or_else(|| {
            binnenstad::Error::Usage(format!("--date {d}: verwacht JJJJ-MM-DD")).into()
        })
    })
    .transpose()
}

fn cmd_import_bag(
    extract: &[PathBuf],
    out: &Path,
    bbox: Option<[f64; 4]>,
    date: Option<&str>,
    threedbag: Option<&Path>,
) -> Result<()> {
    let start = Instant::now();
    let mut inputs = extract.to_vec();
    inputs.extend(threedbag.map(Path::to_path_buf));
    OutputDir::check_map(out, &inputs)?;
    let options = binnenstad::io::bag::BagOptions {
        bbox_rd: bbox.map(binnenstad::io::bag::rd_envelope).transpose()?,
        date: parse_date_arg(date)?,
    };
    let bag = binnenstad::io::bag::read_extract(extract, &options)?;
    let measured = match threedbag {
        Some(p) => binnenstad::io::bag::read_3dbag(p)?,
        None => Default::default(),
    };
    let (buildings, written) = binnenstad::io::bag::buildings(&bag, &measured);
    let dir = OutputDir::create_map(out, &inputs)?;
    dir.write_with("buildings.geojson", &mut |w| {
        binnenstad::io::bag::write_buildings(w, &buildings)
    })?;
    dir.write(
        "README.md",
        binnenstad::io::bag::readme(extract, threedbag, &bag, &written),
    )?;
    if !bag.diagnostics.is_empty() {
        let mut text = String::new();
        for d in &bag.diagnostics {
            text.push_str(&d.to_string());
            text.push('\n');
        }
        dir.write(IMPORT_PROBLEMS_FILE, text)?;
    }
    let written_to = dir.commit()?;
    for (name, n) in &bag.counts {
        outln!("{name:<22} {n:>9}");
    }
    outln!("{:<22} {:>9}", "gebouwen", written.buildings);
    for (status, n) in &written.left_out {
        outln!("weggelaten: {status}: {n}");
    }
    if threedbag.is_some() {
        outln!("{:<22} {:>9}", "met 3D BAG", written.measured);
    }
    if !bag.diagnostics.is_empty() {
        errln!(
            "{} in het BAG-extract:",
            binnenstad::labels::aantal(
                bag.diagnostics.len() as u64,
                "gegevensprobleem",
                "gegevensproblemen"
            )
        );
        let file = written_to.join(IMPORT_PROBLEMS_FILE);
        print_diagnostics(&bag.diagnostics, 10, &file.display().to_string());
    }
    outln!(
        "geschreven: {} in {} s",
        written_to.display(),
        binnenstad::labels::nl_number(start.elapsed().as_secs_f64(), 2)
    );
    Ok(())
}

fn cmd_import_osm(
    file: &Path,
    out: &Path,
    bbox: Option<[f64; 4]>,
    bag: &[PathBuf],
    date: Option<&str>,
    threedbag: Option<&Path>,
) -> Result<()> {
    let start = Instant::now();
    let options = binnenstad::io::osm::ImportOptions { bbox };
    let mut inputs = vec![file.to_path_buf()];
    inputs.extend(bag.iter().cloned());
    inputs.extend(threedbag.map(Path::to_path_buf));
    OutputDir::check_map(out, &inputs)?;
    let (mut layers, mut report) = binnenstad::io::osm::import(file, &options)?;
    let mut bag_summary = None;
    if !bag.is_empty() {
        // The box: --bbox, else the extent the OSM file declares, else its buildings'.
        let area = bbox
            .or_else(|| binnenstad::io::bag::collection_bounds(&layers.study_area))
            .or_else(|| binnenstad::io::bag::collection_bounds(&layers.buildings));
        let options = binnenstad::io::bag::BagOptions {
            bbox_rd: area.map(binnenstad::io::bag::rd_envelope).transpose()?,
            date: parse_date_arg(date)?,
        };
        let extract = binnenstad::io::bag::read_extract(bag, &options)?;
        let measured = match threedbag {
            Some(p) => binnenstad::io::bag::read_3dbag(p)?,
            None => Default::default(),
        };
        let (buildings, written) = binnenstad::io::bag::buildings(&extract, &measured);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (joined, join) =
            binnenstad::io::bag::join_osm(&layers.buildings, &buildings, area, &name)?;
        report
            .counts
            .insert("buildings".into(), joined.features.len());
        layers.buildings = joined;
        report
            .diagnostics
            .extend(extract.diagnostics.iter().cloned());
        report.diagnostics.extend(join.diagnostics.iter().cloned());
        bag_summary = Some(format!(
            "BAG: {} panden in het vak ({}), {} via ref:bag aan OSM gekoppeld, {} alleen uit de BAG, \
             {} OSM-gebouw(en) zonder pand (weggelaten, genoemd in {IMPORT_PROBLEMS_FILE}), {} met bouwlagen/hoogte uit 3D BAG",
            written.buildings,
            if extract.units_read {
                "verblijfsobjecten gelezen"
            } else {
                "geen verblijfsobjecten gelezen"
            },
            join.matched,
            join.bag_only,
            join.osm_unmatched,
            written.measured,
        ));
    }
    let dir = OutputDir::create_map(out, &inputs)?;
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
    if !report.diagnostics.is_empty() {
        let mut text = String::new();
        // The OSM file by name only: no absolute paths in outputs.
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        for d in &report.diagnostics {
            let mut d = d.clone();
            if d.file.is_some() {
                d.file.clone_from(&name);
            }
            text.push_str(&d.to_string());
            text.push('\n');
        }
        dir.write(IMPORT_PROBLEMS_FILE, text)?;
    }
    let written = dir.commit()?;
    for (name, n) in &report.counts {
        outln!("{name:<12} {n:>7}");
    }
    if !report.diagnostics.is_empty() {
        errln!(
            "{} in het OSM-bestand:",
            binnenstad::labels::aantal(
                report.diagnostics.len() as u64,
                "gegevensprobleem",
                "gegevensproblemen"
            )
        );
        let file = written.join(IMPORT_PROBLEMS_FILE);
        print_diagnostics(&report.diagnostics, 10, &file.display().to_string());
    }
    outln!("{}", report.retail_core_method);
    if let Some(summary) = bag_summary {
        outln!("{summary}");
    }
    outln!(
        "geschreven: {} in {} s",
        written.display(),
        binnenstad::labels::nl_number(start.elapsed().as_secs_f64(), 2)
    );
    Ok(())
}
