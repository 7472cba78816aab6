//! `import bag` (Kadaster's LV BAG 2.0 extract) and `import osm --bag`.
//!
//! GDAL's LVBAG driver (`ogr2ogr`) is the oracle for what the register says:
//! on Doesburg's real extract the current panden, ids, bouwjaren and statuses,
//! on the unit files the gebruiksdoelen and oppervlakten. The hand-made
//! fixtures in tests/fixtures/bag pin the rules (status, several
//! gebruiksdoelen, a unit in two panden, repaired polygons, dates).
//! The real data lives outside the repository (`../shared/data/bag`, or
//! `BINNENSTAD_BAG_DATA`); tests needing it or ogr2ogr say "skipped" when
//! absent, and fail instead under BINNENSTAD_REQUIRE_CLIENTS=1.

use crate::util::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn bag_data() -> Option<PathBuf> {
    let dir = std::env::var_os("BINNENSTAD_BAG_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data/bag"));
    if dir
        .join("doesburg-lvbag-2020/0221PND15092020.zip")
        .is_file()
    {
        Some(dir)
    } else {
        assert!(
            !clients_required(),
            "BAG test data not found at {} (BINNENSTAD_BAG_DATA)",
            dir.display()
        );
        eprintln!("skipped: BAG test data not found at {}", dir.display());
        None
    }
}

fn ogr2ogr() -> Option<PathBuf> {
    client("ogr2ogr", on_path(&["ogr2ogr"]))
}

/// `ogr2ogr -f GeoJSON` of `source`, parsed.
fn ogr(program: &Path, source: &str, tmp: &Path, name: &str) -> Value {
    let out = tmp.join(format!("{name}.geojson"));
    let t = tool(
        program,
        &["-f", "GeoJSON", out.to_str().unwrap(), source],
        &[],
    );
    assert!(t.ok, "ogr2ogr {source}: {}", t.stderr);
    read_json(&out)
}

fn import_bag(args: &[&str], out: &Path) -> Run {
    let mut a = vec!["import", "bag"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--out", out.to_str().unwrap()]);
    run(&a)
}

fn props_of(v: &Value) -> BTreeMap<String, Value> {
    features_by_id(v)
        .into_iter()
        .map(|(k, f)| (k, f["properties"].clone()))
        .collect()
}

/// Shoelace area of a GeoJSON (Multi)Polygon, holes subtracted.
fn area(g: &Value) -> f64 {
    let ring = |r: &Value| -> f64 {
        let p: Vec<(f64, f64)> = r
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
            .collect();
        (p.windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum::<f64>()
            / 2.0)
            .abs()
    };
    let poly = |p: &Value| -> f64 {
        let rings = p.as_array().unwrap();
        ring(&rings[0]) - rings[1..].iter().map(ring).sum::<f64>()
    };
    match g["type"].as_str().unwrap() {
        "Polygon" => poly(&g["coordinates"]),
        "MultiPolygon" => g["coordinates"].as_array().unwrap().iter().map(poly).sum(),
        t => panic!("{t}"),
    }
}

const EXISTING: [&str; 5] = [
    "Pand in gebruik",
    "Pand in gebruik (niet ingemeten)",
    "Verbouwing pand",
    "Sloopvergunning verleend",
    "Pand buiten gebruik",
];

#[test]
fn doesburg_panden_match_gdal_lvbag() {
    let (Some(data), Some(ogr2ogr)) = (bag_data(), ogr2ogr()) else {
        return;
    };
    let zip = data.join("doesburg-lvbag-2020/0221PND15092020.zip");
    let tmp = tempfile::tempdir().unwrap();
    let r = import_bag(&[zip.to_str().unwrap()], &tmp.path().join("doesburg"));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let ours = read_json(&tmp.path().join("doesburg/buildings.geojson"));
    assert_eq!(
        ours["crs"]["properties"]["name"], "urn:ogc:def:crs:EPSG::28992",
        "RD New with the legacy crs member"
    );
    let gdal = ogr(
        &ogr2ogr,
        &format!("/vsizip/{}", zip.display()),
        tmp.path(),
        "gdal",
    );
    let all = gdal["features"].as_array().unwrap();
    assert_eq!(all.len(), 13_098, "every voorkomen");
    // GDAL lists every voorkomen; the current one has no eindGeldigheid.
    let current: Vec<&Value> = all
        .iter()
        .filter(|f| f["properties"]["eindGeldigheid"].is_null())
        .collect();
    assert_eq!(current.len(), 7_797);
    let existing: BTreeMap<String, &Value> = current
        .iter()
        .filter(|f| EXISTING.contains(&f["properties"]["status"].as_str().unwrap()))
        .map(|f| {
            let id = f["properties"]["identificatie"].as_str().unwrap();
            (id.trim_start_matches("NL.IMBAG.Pand.").to_string(), *f)
        })
        .collect();
    let ours = features_by_id(&ours);
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        existing.keys().collect::<Vec<_>>(),
        "the same existing panden, the same 16-digit ids"
    );
    assert_eq!(ours.len(), 7_227);
    let mut years = 0;
    for (id, g) in &existing {
        let (p, q) = (&ours[id]["properties"], &g["properties"]);
        assert_eq!(p["status"], q["status"], "{id}");
        assert_eq!(p["bouwjaar"], q["oorspronkelijkBouwjaar"], "{id}");
        let y = q["oorspronkelijkBouwjaar"].as_i64().unwrap();
        if y != 1005 && y != 9999 {
            assert_eq!(p["year"], q["oorspronkelijkBouwjaar"], "{id}");
            years += 1;
        } else {
            assert!(p["year"].is_null(), "{id}: placeholder {y} is no year");
        }
        let (a, b) = (area(&ours[id]["geometry"]), area(&g["geometry"]));
        assert!(
            (a - b).abs() < 0.01 + 1e-6 * b,
            "{id}: area {a} vs GDAL {b}"
        );
    }
    assert!(years > 7_000, "{years} real years compared");
    // The panden left out are GDAL's current ones with other statuses.
    let left_out = current.len() - existing.len();
    assert_eq!(left_out, 168 + 12 + 389 + 1);
    assert!(
        r.stdout.contains("weggelaten: Pand gesloopt: 389"),
        "{}",
        r.stdout
    );
}

/// Per pand, what GDAL's reading of the VBO files says its units are,
/// computed with the documented rule (current voorkomen, existing status,
/// counted in the lowest pand id, oppervlakte split over gebruiksdoelen and panden).
fn expected_units(vbo: &[&Value]) -> BTreeMap<String, (u32, BTreeMap<String, f64>, u32)> {
    let existing = [
        "Verblijfsobject in gebruik",
        "Verblijfsobject in gebruik (niet ingemeten)",
        "Verbouwing verblijfsobject",
        "Verblijfsobject buiten gebruik",
    ];
    let mut out: BTreeMap<String, (u32, BTreeMap<String, f64>, u32)> = BTreeMap::new();
    for f in vbo {
        let p = &f["properties"];
        if !p["eindGeldigheid"].is_null() || !existing.contains(&p["status"].as_str().unwrap()) {
            continue;
        }
        let doelen: Vec<String> = p["gebruiksdoel"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().replace(' ', "_"))
            .collect();
        let mut panden: Vec<String> = p["pandRef"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_str()
                    .unwrap()
                    .trim_start_matches("NL.IMBAG.Pand.")
                    .to_string()
            })
            .collect();
        panden.sort();
        let share = p["oppervlakte"].as_f64().unwrap() / (doelen.len() * panden.len()) as f64;
        for (k, pand) in panden.iter().enumerate() {
            let e = out.entry(pand.clone()).or_default();
            for d in &doelen {
                *e.1.entry(d.clone()).or_default() += share;
            }
            if k == 0 {
                e.0 += 1;
                e.2 += u32::from(doelen.iter().any(|d| d == "woonfunctie"));
            }
        }
    }
    out
}

fn check_units(
    ours: &BTreeMap<String, Value>,
    expected: &BTreeMap<String, (u32, BTreeMap<String, f64>, u32)>,
) {
    assert!(!expected.is_empty());
    for (pand, (units, areas, dwellings)) in expected {
        let p = &ours[pand];
        assert_eq!(p["units"], *units, "{pand}");
        assert_eq!(p["dwellings"], *dwellings, "{pand}");
        for (doel, a) in areas {
            let got = p[format!("oppervlakte_{doel}_m2")].as_f64().unwrap();
            assert!((got - a).abs() < 0.051, "{pand} {doel}: {got} vs {a}");
        }
        let total: f64 = areas.values().sum();
        assert!(
            (p["floor_area_m2"].as_f64().unwrap() - total).abs() < 0.051,
            "{pand}"
        );
    }
}

#[test]
fn units_match_gdal_lvbag_on_the_fixture_and_the_doesburg_sample() {
    let Some(ogr2ogr) = ogr2ogr() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let pnd = fixture("bag/0999PND01012024-000001.xml");
    let vbo = fixture("bag/0999VBO01012024-000001.xml");
    let r = import_bag(
        &[pnd.to_str().unwrap(), vbo.to_str().unwrap()],
        &tmp.path().join("fixture"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ours = props_of(&read_json(&tmp.path().join("fixture/buildings.geojson")));
    let gdal = ogr(&ogr2ogr, vbo.to_str().unwrap(), tmp.path(), "vbo");
    let features: Vec<&Value> = gdal["features"].as_array().unwrap().iter().collect();
    assert_eq!(
        features[0]["properties"]["gebruiksdoel"],
        serde_json::json!(["woonfunctie", "winkelfunctie"]),
        "the fixture has a unit with two gebruiksdoelen"
    );
    let expected = expected_units(&features);
    assert_eq!(expected.len(), 2, "units in panden 1 and 2");
    check_units(&ours, &expected);

    let Some(data) = bag_data() else { return };
    let d = data.join("doesburg-lvbag-2020");
    let r = import_bag(
        &[
            d.join("0221PND15092020.zip").to_str().unwrap(),
            d.join("small-expand/0221VBO15092020-000001.xml")
                .to_str()
                .unwrap(),
        ],
        &tmp.path().join("doesburg"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("only 2 of 7227 existing panden have units"),
        "a VBO file of a smaller area is pointed out: {}",
        r.stderr
    );
    let ours = props_of(&read_json(&tmp.path().join("doesburg/buildings.geojson")));
    let gdal = ogr(
        &ogr2ogr,
        d.join("small-expand/0221VBO15092020-000001.xml")
            .to_str()
            .unwrap(),
        tmp.path(),
        "doesburg-vbo",
    );
    let features: Vec<&Value> = gdal["features"].as_array().unwrap().iter().collect();
    assert_eq!(features.len(), 5, "five voorkomens of two units");
    let expected = expected_units(&features);
    // The current voorkomen of 0221010000330226 is the third: 223 m², not 306 or 315.
    assert_eq!(expected["0221100000312938"].1["woonfunctie"], 223.0);
    check_units(&ours, &expected);
    assert_eq!(ours["0221100000312938"]["use"], "residential");
    assert_eq!(ours["0221100000311191"]["use"], "other");
}

#[test]
fn the_register_rules_on_the_fixture() {
    let tmp = tempfile::tempdir().unwrap();
    let pnd = fixture("bag/0999PND01012024-000001.xml");
    let vbo = fixture("bag/0999VBO01012024-000001.xml");
    let out = tmp.path().join("now");
    let r = import_bag(&[pnd.to_str().unwrap(), vbo.to_str().unwrap()], &out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = read_json(&out.join("buildings.geojson"));
    let f = features_by_id(&v);
    assert_eq!(
        f.keys().collect::<Vec<_>>(),
        ["0999100000000001", "0999100000000002", "0999100000000003"],
        "the demolished pand is left out; the one out of use (buiten gebruik) stays"
    );
    let a = &f["0999100000000001"]["properties"];
    assert_eq!(a["status"], "Pand in gebruik", "the current voorkomen");
    assert_eq!(a["year"], 1885);
    // One unit woon+winkel 120 m², one woon 80 m² shared with pand 2; a planned unit not counted.
    assert_eq!(a["units"], 2);
    assert_eq!(a["units_woonfunctie"], 2);
    assert_eq!(a["units_winkelfunctie"], 1);
    assert_eq!(a["dwellings"], 2);
    assert_eq!(a["oppervlakte_woonfunctie_m2"], 100.0);
    assert_eq!(a["oppervlakte_winkelfunctie_m2"], 60.0);
    assert_eq!(a["use"], "residential");
    // The courtyard stays a hole: 200 m² minus 9 m².
    assert_eq!(area(&f["0999100000000001"]["geometry"]), 191.0);
    let b = &f["0999100000000002"]["properties"];
    assert_eq!(
        (b["units"].clone(), b["units_shared"].clone()),
        (1.into(), 1.into())
    );
    assert_eq!(b["use"], "office", "300 m² office, 40 m² of a shared home");
    assert_eq!(b["floor_area_m2"], 340.0);
    assert_eq!(b["bouwjaar"], 1005);
    assert!(b["year"].is_null(), "1005 is the BAG's unknown year");
    // The bow tie is repaired into its two triangles (2 × 25 m²) and reported.
    assert_eq!(area(&f["0999100000000002"]["geometry"]), 50.0);
    let problems = std::fs::read_to_string(out.join("import_problems.txt")).unwrap();
    assert!(
        problems.contains("0999PND01012024-000001.xml: pand 0999100000000002: invalid polygon"),
        "{problems}"
    );
    assert!(
        !problems.contains(&root().display().to_string()),
        "no absolute paths"
    );
    let c = &f["0999100000000003"]["properties"];
    assert_eq!(c["units"], 0);
    assert_eq!(
        c["non_dwelling"], true,
        "a pand without units is a bijgebouw"
    );
    assert_eq!(c["use_source"], "bag_no_units");
    assert_eq!(c["status"], "Pand buiten gebruik");
    assert!(c["vacant"].is_null(), "buiten gebruik is not vacancy");

    // On 2003-01-01: pand 1 was a permit (left out), pand 4 stood; the office was 250 m².
    let then = tmp.path().join("then");
    let r = import_bag(
        &[
            pnd.to_str().unwrap(),
            vbo.to_str().unwrap(),
            "--date",
            "2003-01-01",
        ],
        &then,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let f = props_of(&read_json(&then.join("buildings.geojson")));
    assert_eq!(
        f.keys().collect::<Vec<_>>(),
        ["0999100000000002", "0999100000000003", "0999100000000004"]
    );
    assert_eq!(f["0999100000000002"]["floor_area_m2"], 250.0);
    assert!(
        r.stdout.contains("weggelaten: Bouwvergunning verleend: 1"),
        "{}",
        r.stdout
    );

    // Deterministic: a second run writes the same bytes.
    let again = tmp.path().join("again");
    let r = import_bag(&[pnd.to_str().unwrap(), vbo.to_str().unwrap()], &again);
    assert_eq!(r.code, 0);
    assert_eq!(
        std::fs::read(out.join("buildings.geojson")).unwrap(),
        std::fs::read(again.join("buildings.geojson")).unwrap()
    );
}

#[test]
fn zips_inside_zips_read_as_the_bare_files() {
    let Some(data) = bag_data() else { return };
    let d = data.join("doesburg-lvbag-2020");
    let tmp = tempfile::tempdir().unwrap();
    let national = tmp.path().join("national");
    let r = import_bag(
        &[d.join("BAGNLDL-15092020-small.zip").to_str().unwrap()],
        &national,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bare = tmp.path().join("bare");
    let r = import_bag(
        &[
            d.join("small-expand/0221PND15092020-000001.xml")
                .to_str()
                .unwrap(),
            d.join("small-expand/0221VBO15092020-000001.xml")
                .to_str()
                .unwrap(),
        ],
        &bare,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let folder = tmp.path().join("folder");
    let r = import_bag(&[d.join("small-expand").to_str().unwrap()], &folder);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read(bare.join("buildings.geojson")).unwrap();
    assert_eq!(
        text,
        std::fs::read(national.join("buildings.geojson")).unwrap()
    );
    assert_eq!(
        text,
        std::fs::read(folder.join("buildings.geojson")).unwrap()
    );
    let f = props_of(&read_json(&bare.join("buildings.geojson")));
    assert_eq!(f.len(), 2);
    assert_eq!(f["0221100000312938"]["dwellings"], 1);
}

/// An import that finds no current pand says so, with the way out (`--date`);
/// PND files without VBO files say that units come only with the VBO files.
#[test]
fn an_empty_or_unitless_import_says_why() {
    let Some(data) = bag_data() else { return };
    let tmp = tempfile::tempdir().unwrap();
    // Its one voorkomen ended on 2019-01-08 (SOURCE.txt).
    let bad = data.join("doesburg-lvbag-2020/pand-gml-bad.xml");
    let r = import_bag(&[bad.to_str().unwrap()], &tmp.path().join("a"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("1 pand voorkomen(s) read, none valid today")
            && r.stderr.contains("--date"),
        "{}",
        r.stderr
    );
    let r = import_bag(
        &[bad.to_str().unwrap(), "--date", "2018-12-01"],
        &tmp.path().join("b"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("none valid"), "{}", r.stderr);
    let pnd = data.join("doesburg-lvbag-2020/0221PND15092020.zip");
    let r = import_bag(&[pnd.to_str().unwrap()], &tmp.path().join("c"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("no verblijfsobject (VBO) file read: the 7227 existing panden"),
        "{}",
        r.stderr
    );
}

#[test]
fn mutation_files_broken_xml_and_foreign_folders_are_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let r = import_bag(
        &[fixture("bag/mutatie.xml").to_str().unwrap()],
        &tmp.path().join("m"),
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("mutatie.xml") && r.stderr.contains("mutation file"),
        "{}",
        r.stderr
    );
    let r = import_bag(
        &[fixture("bag/truncated.xml").to_str().unwrap()],
        &tmp.path().join("t"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("truncated.xml:"), "{}", r.stderr);
    let r = import_bag(
        &[fixture("tiny.toml").to_str().unwrap()],
        &tmp.path().join("x"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not XML"), "{}", r.stderr);
    assert!(!tmp.path().join("x").exists(), "nothing written");
    // A folder with other files and no marker is not ours to replace.
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let r = import_bag(
        &[fixture("bag/0999PND01012024-000001.xml").to_str().unwrap()],
        &foreign,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn three_d_bag_floors_and_heights_are_measured() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("m");
    let pnd = fixture("bag/0999PND01012024-000001.xml");
    let r = import_bag(
        &[
            pnd.to_str().unwrap(),
            "--3dbag",
            fixture("bag/0999-3dbag.city.jsonl").to_str().unwrap(),
        ],
        &out,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let f = props_of(&read_json(&out.join("buildings.geojson")));
    let a = &f["0999100000000001"];
    assert_eq!(a["floors"], 4);
    assert_eq!(a["floors_source"], "3dbag");
    assert_eq!(a["height_m"], 12.5);
    assert!(f["0999100000000003"]["floors"].is_null());
    // Without a VBO file the units are unknown, not zero.
    assert!(a["units"].is_null() && a["dwellings"].is_null());

    let Some(data) = bag_data() else { return };
    let s = data.join("3dbag-samples");
    let delft =
        binnenstad::io::bag::read_3dbag(&s.join("delft-3dbag-v20240420-small.city.jsonl")).unwrap();
    assert_eq!(delft.len(), 3);
    assert_eq!(delft["0503100000005156"].floors, Some(3));
    assert_eq!(delft["0503100000005156"].height_m, Some(8.5)); // 9.24 - 0.692
    assert_eq!(delft["0503100000012869"].floors, None);
    let haag =
        binnenstad::io::bag::read_3dbag(&s.join("denhaag-3dbag-2021-sample.city.json")).unwrap();
    assert_eq!(haag.len(), 3, "Buildings only, not their BuildingParts");
    assert_eq!(haag["0518100000285075"].height_m, Some(10.9)); // 11.216 - 0.266 = 10.950, just under
    assert_eq!(
        haag["0518100000285075"].floors, None,
        "2021 release: no storeys"
    );
}

/// The Amsterdam OpenStreetMap extract the shipped map was imported from
/// (in a folder `BINNENSTAD_OSM_DATA` lists, else ../shared/data/amsterdam-centrum).
fn amsterdam_osm() -> Option<PathBuf> {
    let dirs: Vec<PathBuf> = match std::env::var_os("BINNENSTAD_OSM_DATA") {
        Some(list) => std::env::split_paths(&list).collect(),
        None => vec![root().join("../shared/data/amsterdam-centrum")],
    };
    let name = "amsterdam-centrum.osm.pbf";
    let found = dirs.iter().map(|d| d.join(name)).find(|f| f.is_file());
    if let Some(file) = found {
        Some(file)
    } else {
        let file = dirs[0].join(name);
        assert!(!clients_required(), "{} not found", file.display());
        eprintln!("skipped: {} not found", file.display());
        None
    }
}

/// tests/fixtures/bag/amsterdam holds a hand-made extract for twelve shipped
/// buildings (six whose OSM ref:bag lost its leading zero) and a demolished
/// pand; its units differ from what OSM suggests (make_amsterdam.py says how).
#[test]
fn amsterdam_joins_the_bag_and_plan_uses_its_units() {
    let Some(osm) = amsterdam_osm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let map = tmp.path().join("map");
    let r = run(&[
        "import",
        "osm",
        osm.to_str().unwrap(),
        "--bag",
        fixture("bag/amsterdam").to_str().unwrap(),
        "--out",
        map.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("12 via ref:bag aan OSM gekoppeld, 0 alleen uit de BAG"),
        "{}",
        r.stdout
    );
    let b = props_of(&read_json(&map.join("buildings.geojson")));
    assert_eq!(
        b.len(),
        12,
        "the BAG panden are the buildings; the demolished one is not"
    );
    // Matched in the 15-digit form OSM wrote (363100012168198) and the 16-digit one.
    assert_eq!(b["0363100012168198"]["osm_id"], "relation/3583133");
    assert!(
        b["0363100012165121"]["osm_id"]
            .as_str()
            .unwrap()
            .starts_with("way/")
    );
    // OSM keeps names and landmarks; the BAG gives use, units and floor area.
    assert_eq!(b["0363100012165008"]["name"], "Oost-Indisch Huis");
    assert_eq!(b["0363100012165008"]["use"], "education");
    assert_eq!(b["0363100012178990"]["use"], "horeca");
    assert_eq!(b["0363100012178990"]["name"], "Hotel 83");
    assert_eq!(b["0363100012165123"]["bouwjaar"], 1005);
    let problems = std::fs::read_to_string(map.join("import_problems.txt")).unwrap();
    assert!(
        problems.contains("ref:bag 363100012171241: no existing pand"),
        "the demolished pand's OSM building is reported"
    );
    for layer in ["horeca", "amenities", "streets", "retail_core"] {
        let v = read_json(&map.join(format!("{layer}.geojson")));
        assert!(
            !v["features"].as_array().unwrap().is_empty(),
            "{layer} from OSM"
        );
    }

    let scenario = tmp.path().join("bag.toml");
    let text = std::fs::read_to_string(root().join("scenarios/amsterdam-centrum.toml")).unwrap();
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("area =") {
                "area = \"map\""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&scenario, text).unwrap();
    let site = |id: &str| -> Value {
        let r = run(&["site", scenario.to_str().unwrap(), id, "--json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };
    // OSM called it retail with 2 units; the BAG has three homes above a shop.
    let s = site("363100012168198");
    assert_eq!(s["usage"], "residential");
    assert_eq!(s["dwellings"], 3);
    assert_eq!(s["dwellings_estimated"], false);
    assert_eq!(s["floor_area_m2"], 270.0, "3 × 70 + 60 m² oppervlakte");
    // OSM said 8 dwellings (apartments); the BAG registers 12 woonfunctie units.
    assert_eq!(site("0363100012165128")["dwellings"], 12);
    // Ten homes of its own and the home it shares with its neighbour (the lower id).
    assert_eq!(site("0363100012165009")["dwellings"], 11);
    let mixed = site("0363100012165124");
    assert_eq!(
        mixed["usage"], "mixed",
        "80 m² home, 90 m² shop, 60 m² office"
    );
    // Offices of 400 + 350 m²: the best site, its usable area from the oppervlakte.
    let office = site("0363100012169213");
    assert_eq!(office["usage"], "office");
    assert_eq!(office["floor_area_m2"], 750.0);
    assert_eq!(office["site_rank"], 1);
    let shed = site("0363100012165016");
    assert_eq!(shed["non_dwelling"], true, "a pand without units");

    let out = tmp.path().join("plan");
    let r = run(&[
        "plan",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sites = read_json(&out.join("sites.geojson"));
    let first = &sites["features"][0]["properties"];
    assert_eq!(first["building_id"], "0363100012169213", "{first}");
    // The BAG's oppervlakte is usable area (NEN 2580): taken whole, not
    // reduced by `usable_share` (0.8) as a gross area is.
    assert_eq!(first["usable_m2"], 750.0, "750 m² oppervlakte, whole");
}
