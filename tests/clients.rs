//! The outputs checked by the real clients: GDAL (`ogrinfo`, `validate_gpkg.py`),
//! QGIS (headless, tests/qgis/check_styles.py) and Chromium (a screenshot of
//! report.html).
//!
//! A client that is not installed skips its test with "skipped: <tool> not
//! installed", unless BINNENSTAD_REQUIRE_CLIENTS=1 (CI) makes that a failure.
//! The Amsterdam outputs are planned once per test binary into
//! `target/tmp/clients/` (kept, so the QGIS renders and the screenshot can be
//! looked at after a run); the tiny fixture runs in temporary folders.

use crate::util::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The layers `plan` writes.
const LAYERS: [&str; 8] = [
    "sites",
    "amenities",
    "horeca",
    "conflicts",
    "buildings",
    "coverage",
    "zones",
    "streets",
];

/// Debian's python3, which has the GDAL and QGIS bindings (a pyenv or venv
/// python3 earlier on PATH usually has neither).
const SYSTEM_PYTHON: &str = "/usr/bin/python3";

/// Where Debian's python3-gdal ships GDAL's GeoPackage validator.
const VALIDATE_GPKG: [&str; 2] = [
    "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py",
    "/usr/share/doc/python3-gdal/examples/validate_gpkg.py",
];

fn plan_into(scenario: &Path, out: &Path, extra: &[&str]) {
    // The clients put their own files (screenshots, renders) into this output
    // folder; binnenstad would rightly refuse to replace them on the next run.
    let _ = std::fs::remove_dir_all(out);
    let mut args = vec![
        "plan",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let r = run(&args);
    assert_eq!(r.code, 0, "plan {args:?}:\n{}{}", r.stdout, r.stderr);
}

/// Amsterdam planned once per test binary, with `extra` arguments, into
/// target/tmp/clients/<name>.
fn amsterdam(cell: &'static OnceLock<PathBuf>, name: &str, extra: &[&str]) -> &'static Path {
    cell.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("clients")
            .join(name);
        plan_into(
            &root().join("scenarios/amsterdam-centrum.toml"),
            &out,
            extra,
        );
        out
    })
}

pub(crate) fn amsterdam_geojson() -> &'static Path {
    static CELL: OnceLock<PathBuf> = OnceLock::new();
    amsterdam(&CELL, "amsterdam-geojson", &[])
}

fn amsterdam_gpkg() -> &'static Path {
    static CELL: OnceLock<PathBuf> = OnceLock::new();
    amsterdam(&CELL, "amsterdam-gpkg", &["--format", "gpkg"])
}

fn ogrinfo() -> Option<PathBuf> {
    client("ogrinfo (gdal-bin)", on_path(&["ogrinfo"]))
}

/// `Feature Count: N` from `ogrinfo -so`.
fn feature_count(summary: &str) -> Option<usize> {
    summary
        .lines()
        .find_map(|l| l.trim().strip_prefix("Feature Count: "))
        .and_then(|n| n.trim().parse().ok())
}

/// The integer after `<name> (Integer) = ` in ogrinfo's feature dump.
fn sql_integer(dump: &str, name: &str) -> Option<i64> {
    let key = format!("{name} (Integer) = ");
    dump.lines()
        .find_map(|l| l.trim().strip_prefix(key.as_str()))
        .and_then(|n| n.trim().parse().ok())
}

/// Checks every GeoJSON layer in `dir` with ogrinfo: the CRS (`epsg`, and the
/// name GDAL gives it), the feature count, and no geometry SpatiaLite calls
/// invalid. Returns the counts.
fn check_geojson_with_ogrinfo(ogr: &Path, dir: &Path, epsg: u32, crs_name: &str) -> Vec<usize> {
    let mut counts = Vec::new();
    for layer in LAYERS {
        let file = dir.join(format!("{layer}.geojson"));
        let file_s = file.to_str().unwrap();
        let expected = read_json(&file)["features"].as_array().unwrap().len();
        let t = tool(ogr, &["-ro", "-al", "-so", file_s], &[]);
        assert!(t.ok, "ogrinfo {file_s}: {}", t.stderr);
        assert!(
            t.stdout.contains(&format!("ID[\"EPSG\",{epsg}]]")) && t.stdout.contains(crs_name),
            "{file_s}: GDAL does not read it as EPSG:{epsg} ({crs_name}):\n{}",
            t.stdout
        );
        assert_eq!(feature_count(&t.stdout), Some(expected), "{file_s}");
        assert!(
            !t.stderr.contains("Warning") && !t.stderr.contains("ERROR"),
            "{file_s}: {}",
            t.stderr
        );
        let sql =
            format!("SELECT COUNT(*) AS n_invalid FROM \"{layer}\" WHERE NOT ST_IsValid(geometry)");
        let t = tool(
            ogr,
            &["-ro", "-q", "-dialect", "SQLite", "-sql", &sql, file_s],
            &[],
        );
        assert!(t.ok, "ogrinfo -sql on {file_s}: {}", t.stderr);
        assert_eq!(
            sql_integer(&t.stdout, "n_invalid"),
            Some(0),
            "{file_s}: invalid geometries (or no SpatiaLite ST_IsValid):\n{}{}",
            t.stdout,
            t.stderr
        );
        counts.push(expected);
    }
    counts
}

#[test]
fn ogrinfo_reads_every_geojson_as_wgs84_with_valid_geometry() {
    let Some(ogr) = ogrinfo() else { return };
    let dir = tempfile::tempdir().unwrap();
    let tiny = dir.path().join("tiny");
    plan_into(&fixture("tiny.toml"), &tiny, &[]);
    let counts = check_geojson_with_ogrinfo(&ogr, &tiny, 4326, "WGS 84");
    assert_eq!(counts[4], 6, "tiny has six buildings");
    let counts = check_geojson_with_ogrinfo(&ogr, amsterdam_geojson(), 4326, "WGS 84");
    assert!(counts[4] > 1000, "Amsterdam buildings: {counts:?}");
}

fn ogr2ogr() -> Option<PathBuf> {
    client("ogr2ogr (gdal-bin)", on_path(&["ogr2ogr"]))
}

/// The Amsterdam map as a QGIS or GDAL export in another CRS (the legacy
/// `crs` member, positions reprojected by GDAL's PROJ, not ours): RD New (the
/// working CRS, so loaded without conversion), UTM 31N and Web Mercator
/// (converted through the loader's lattice). The plan must not depend on the
/// CRS the data came in: every file it writes is byte-identical to the plan of
/// the OpenStreetMap original (WGS84), which needs positions within about a
/// millimetre of each other all the way through (outputs round to 1e-7°,
/// distances to 0.1 m).
#[test]
fn the_same_map_exported_in_another_crs_plans_the_same() {
    let Some(ogr) = ogr2ogr() else { return };
    let reference = amsterdam_geojson();
    let original = root().join("maps/amsterdam-centrum");
    let scenario = std::fs::read_to_string(root().join("scenarios/amsterdam-centrum.toml"))
        .unwrap()
        .replace("area = \"../maps/amsterdam-centrum\"", "area = \"map\"");
    assert!(
        scenario.contains("area = \"map\""),
        "the scenario names its map folder"
    );
    for epsg in [28992, 32631, 3857] {
        let dir = tempfile::tempdir().unwrap();
        let map = dir.path().join("map");
        std::fs::create_dir(&map).unwrap();
        for entry in std::fs::read_dir(&original).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "geojson") {
                continue;
            }
            let target = map.join(path.file_name().unwrap());
            let srs = format!("EPSG:{epsg}");
            let t = tool(
                &ogr,
                &[
                    "-f",
                    "GeoJSON",
                    "-t_srs",
                    &srs,
                    "-lco",
                    "RFC7946=NO",
                    target.to_str().unwrap(),
                    path.to_str().unwrap(),
                ],
                &[],
            );
            assert!(t.ok, "ogr2ogr {}: {}", path.display(), t.stderr);
            let text = std::fs::read_to_string(&target).unwrap();
            assert!(
                text.contains(&format!("urn:ogc:def:crs:EPSG::{epsg}")),
                "{}: GDAL wrote no crs member",
                target.display()
            );
        }
        let toml = dir.path().join("scenario.toml");
        std::fs::write(&toml, &scenario).unwrap();
        let out = dir.path().join("out");
        plan_into(&toml, &out, &[]);
        // Every file this plan wrote (the reference folder also gets the other
        // tests' renders and screenshots).
        let mut compared = 0;
        for entry in std::fs::read_dir(&out).unwrap() {
            let name = entry.unwrap().file_name();
            let (a, b) = (reference.join(&name), out.join(&name));
            assert!(
                std::fs::read(&a).ok() == Some(std::fs::read(&b).unwrap()),
                "EPSG:{epsg}: {} differs from the plan of the WGS84 original",
                name.to_string_lossy()
            );
            compared += 1;
        }
        assert!(
            compared >= 20,
            "EPSG:{epsg}: only {compared} files compared"
        );
    }
}

#[test]
fn ogrinfo_reads_rd_output_as_amersfoort_rd_new() {
    let Some(ogr) = ogrinfo() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rd");
    plan_into(&fixture("tiny.toml"), &out, &["--output-crs", "EPSG:28992"]);
    check_geojson_with_ogrinfo(&ogr, &out, 28992, "Amersfoort / RD New");
    let gpkg = dir.path().join("rd-gpkg");
    plan_into(
        &fixture("tiny.toml"),
        &gpkg,
        &["--output-crs", "EPSG:28992", "--format", "gpkg"],
    );
    let file = gpkg.join("binnenstad.gpkg");
    for layer in LAYERS {
        let t = tool(&ogr, &["-ro", "-so", file.to_str().unwrap(), layer], &[]);
        assert!(t.ok, "{layer}: {}", t.stderr);
        assert!(
            t.stdout.contains("Amersfoort / RD New") && t.stdout.contains("ID[\"EPSG\",28992]]"),
            "{layer}: {}",
            t.stdout
        );
    }
}

/// The GeoPackage's own tables, read with SQLite: header fields, contents,
/// geometry columns, blobs, and the styles (the same QML as the sidecars).
fn check_gpkg_schema(gpkg: &Path, geojson_dir: &Path, srs_id: i64) {
    let conn =
        rusqlite::Connection::open_with_flags(gpkg, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let pragma = |p: &str| -> i64 {
        conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(pragma("application_id"), 0x4750_4B47, "application_id GPKG");
    assert_eq!(pragma("user_version"), 10300);
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'gpkg_extensions'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0, "no extensions");
    for layer in LAYERS {
        let (data_type, srs): (String, i64) = conn
            .query_row(
                "SELECT data_type, srs_id FROM gpkg_contents WHERE table_name = ?1",
                [layer],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap_or_else(|e| panic!("{layer} in gpkg_contents: {e}"));
        assert_eq!((data_type.as_str(), srs), ("features", srs_id), "{layer}");
        let (column, gsrs): (String, i64) = conn
            .query_row(
                "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1",
                [layer],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((column.as_str(), gsrs), ("geom", srs_id), "{layer}");
        let n: usize = conn
            .query_row(&format!("SELECT COUNT(*) FROM \"{layer}\""), [], |r| {
                r.get(0)
            })
            .unwrap();
        let geojson = read_json(&geojson_dir.join(format!("{layer}.geojson")));
        let features = geojson["features"].as_array().unwrap();
        assert_eq!(n, features.len(), "{layer}: features in gpkg and GeoJSON");
        let bad_blobs: i64 = conn
            .query_row(
                &format!(
                    "SELECT COUNT(*) FROM \"{layer}\" WHERE geom IS NOT NULL AND substr(geom, 1, 4) <> X'47500003'"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            bad_blobs, 0,
            "{layer}: GP header, version 0, LE, XY envelope"
        );
        let (qml, default): (String, bool) = conn
            .query_row(
                "SELECT styleQML, useAsDefault FROM layer_styles WHERE f_table_name = ?1 AND f_geometry_column = 'geom'",
                [layer],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap_or_else(|e| panic!("{layer} in layer_styles: {e}"));
        assert!(default, "{layer}: style is the default");
        let sidecar = std::fs::read_to_string(geojson_dir.join(format!("{layer}.qml"))).unwrap();
        assert_eq!(qml, sidecar, "{layer}: the gpkg style is the sidecar .qml");
    }
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM buildings ORDER BY fid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let geojson = read_json(&geojson_dir.join("buildings.geojson"));
    let want: Vec<String> = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, want, "buildings in the GeoJSON order, by stable id");
}

#[test]
fn geopackage_has_every_layer_and_style_and_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("json");
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    plan_into(&fixture("tiny.toml"), &json, &[]);
    plan_into(&fixture("tiny.toml"), &a, &["--format", "gpkg"]);
    plan_into(&fixture("tiny.toml"), &b, &["--format", "gpkg"]);
    let file = a.join("binnenstad.gpkg");
    check_gpkg_schema(&file, &json, 4326);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(b.join("binnenstad.gpkg")).unwrap(),
        "same inputs, byte-identical GeoPackage"
    );
    let mut names: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".binnenstad-output",
            "binnenstad.gpkg",
            "binnenstad.qgs",
            "kaart.html",
            "map.png",
            "map.svg",
            "problemen.txt",
            "report.html",
            "summary.json"
        ],
        "gpkg mode writes no GeoJSON or .qml files"
    );
    let qgs = std::fs::read_to_string(a.join("binnenstad.qgs")).unwrap();
    assert!(
        qgs.contains("./binnenstad.gpkg|layername=buildings"),
        "qgs points at the gpkg"
    );
}

#[test]
fn gdal_validates_the_geopackage() {
    let Some(ogr) = ogrinfo() else { return };
    let validator = client(
        "validate_gpkg.py (python3-gdal)",
        VALIDATE_GPKG
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file() && Path::new(SYSTEM_PYTHON).is_file()),
    );
    let dir = tempfile::tempdir().unwrap();
    let tiny = dir.path().join("tiny");
    plan_into(&fixture("tiny.toml"), &tiny, &["--format", "gpkg"]);
    let mut checked = 0;
    for (gpkg, json) in [
        (tiny.join("binnenstad.gpkg"), None),
        (
            amsterdam_gpkg().join("binnenstad.gpkg"),
            Some(amsterdam_geojson()),
        ),
    ] {
        let gpkg_s = gpkg.to_str().unwrap();
        if let Some(v) = &validator {
            let t = tool(
                Path::new(SYSTEM_PYTHON),
                &[v.to_str().unwrap(), gpkg_s],
                &[],
            );
            assert!(t.ok, "validate_gpkg {gpkg_s}:\n{}{}", t.stdout, t.stderr);
            assert!(
                t.stderr.trim().is_empty(),
                "validate_gpkg warnings: {}",
                t.stderr
            );
        }
        let t = tool(&ogr, &["-ro", "-so", gpkg_s], &[]);
        assert!(t.ok, "{}", t.stderr);
        assert!(!t.stderr.contains("Warning"), "ogrinfo: {}", t.stderr);
        for layer in LAYERS {
            assert!(
                t.stdout.contains(&format!(": {layer} (")),
                "{layer} listed: {}",
                t.stdout
            );
            let s = tool(&ogr, &["-ro", "-so", gpkg_s, layer], &[]);
            assert!(
                s.stdout.contains("ID[\"EPSG\",4326]]"),
                "{layer}: {}",
                s.stdout
            );
            if let Some(json) = json {
                let n = read_json(&json.join(format!("{layer}.geojson")))["features"]
                    .as_array()
                    .unwrap()
                    .len();
                assert_eq!(feature_count(&s.stdout), Some(n), "{layer}");
            }
            let sql =
                format!("SELECT COUNT(*) AS n_invalid FROM \"{layer}\" WHERE NOT ST_IsValid(geom)");
            let q = tool(
                &ogr,
                &["-ro", "-q", "-dialect", "SQLite", "-sql", &sql, gpkg_s],
                &[],
            );
            assert_eq!(
                sql_integer(&q.stdout, "n_invalid"),
                Some(0),
                "{layer}: {}{}",
                q.stdout,
                q.stderr
            );
        }
        checked += 1;
    }
    check_gpkg_schema(
        &amsterdam_gpkg().join("binnenstad.gpkg"),
        amsterdam_geojson(),
        4326,
    );
    assert_eq!(checked, 2);
}

fn qgis() -> Option<PathBuf> {
    let python = Path::new(SYSTEM_PYTHON);
    let found = python.is_file()
        && tool(
            python,
            &["-c", "import qgis.core"],
            &[("QT_QPA_PLATFORM", "offscreen")],
        )
        .ok;
    client(
        "QGIS (qgis + python3-qgis)",
        found.then(|| python.to_path_buf()),
    )
}

fn check_styles(python: &Path, dir: &Path, map_group: &str) -> Tool {
    let script = root().join("tests/qgis/check_styles.py");
    tool(
        python,
        &[
            script.to_str().unwrap(),
            dir.to_str().unwrap(),
            "--map-group",
            map_group,
        ],
        &[("QT_QPA_PLATFORM", "offscreen")],
    )
}

#[test]
fn qgis_applies_every_style_from_sidecars_and_from_the_geopackage() {
    let Some(python) = qgis() else { return };
    for dir in [amsterdam_geojson(), amsterdam_gpkg()] {
        let t = check_styles(&python, dir, "gezinnen");
        assert!(
            t.ok && t.stdout.contains("all QGIS checks passed"),
            "QGIS on {}:\n{}{}",
            dir.display(),
            t.stdout,
            t.stderr
        );
        // Every layer was loaded, styled and rendered.
        let rendered = t.stdout.matches(", rendered, ").count();
        assert_eq!(rendered, LAYERS.len(), "{}", t.stdout);
        assert!(
            t.stdout
                .contains("buildings: categorizedSymbol on 'verdict_gezinnen'")
        );
        assert!(dir.join("qgis_check.png").is_file());
    }
}

#[test]
fn qgis_opens_rd_output_in_place() {
    let Some(python) = qgis() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (name, extra) in [
        ("rd", &["--output-crs", "EPSG:28992"][..]),
        (
            "rd-gpkg",
            &["--output-crs", "EPSG:28992", "--format", "gpkg"][..],
        ),
    ] {
        let out = dir.path().join(name);
        plan_into(&fixture("tiny.toml"), &out, extra);
        let t = check_styles(&python, &out, "starters");
        assert!(
            t.ok && t.stdout.contains("all QGIS checks passed"),
            "QGIS on {name}:\n{}{}",
            t.stdout,
            t.stderr
        );
        assert!(
            t.stdout
                .contains("project layer buildings: EPSG:28992, styled"),
            "{}",
            t.stdout
        );
    }
}

#[test]
fn qgis_check_catches_a_style_on_a_missing_field() {
    let Some(python) = qgis() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tiny");
    plan_into(&fixture("tiny.toml"), &out, &[]);
    let qml = out.join("zones.qml");
    let text = std::fs::read_to_string(&qml).unwrap();
    assert!(text.contains("attr=\"zone\""));
    // First the untouched output passes (tiny's map group is starters) ...
    let t = check_styles(&python, &out, "starters");
    assert!(t.ok, "tiny:\n{}{}", t.stdout, t.stderr);
    // ... then a style on a field the layer does not have fails.
    std::fs::write(&qml, text.replace("attr=\"zone\"", "attr=\"zone_typo\"")).unwrap();
    let t = check_styles(&python, &out, "starters");
    assert!(!t.ok, "a style on a missing field must fail:\n{}", t.stdout);
    assert!(
        t.stdout
            .contains("zones: attribute 'zone_typo' is not a field"),
        "{}",
        t.stdout
    );
}

/// Share of pixels that are not (near) white, and the number of distinct colours.
pub(crate) fn ink(png: &[u8]) -> (f64, usize) {
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).expect("a PNG");
    let mut inked = 0usize;
    let mut colours = std::collections::HashSet::new();
    for p in pixmap.pixels() {
        let (r, g, b) = (p.red(), p.green(), p.blue());
        if r < 245 || g < 245 || b < 245 {
            inked += 1;
        }
        colours.insert((r >> 3, g >> 3, b >> 3));
    }
    (inked as f64 / pixmap.pixels().len() as f64, colours.len())
}

#[test]
fn chromium_renders_the_report() {
    let Some(chromium) = client(
        "chromium",
        on_path(&["chromium", "chromium-browser", "google-chrome"]),
    ) else {
        return;
    };
    let report = amsterdam_geojson().join("report.html");
    let shot = amsterdam_geojson().join("report.png");
    let profile = tempfile::tempdir().unwrap();
    let _ = std::fs::remove_file(&shot);
    let t = tool(
        &chromium,
        &[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("--screenshot={}", shot.display()),
            "--window-size=1400,3000",
            &format!("file://{}", report.display()),
        ],
        &[],
    );
    assert!(
        t.ok && shot.is_file(),
        "chromium:\n{}{}",
        t.stdout,
        t.stderr
    );
    let (share, colours) = ink(&std::fs::read(&shot).unwrap());
    // The page has tables and a full-width map: far from blank.
    assert!(
        share > 0.10,
        "only {:.1} % of the screenshot is not white",
        share * 100.0
    );
    assert!(
        colours > 50,
        "only {colours} colours: the map did not render"
    );
}
