//! Verdicts on the real Amsterdam map that can be argued from the map itself.
//! Each pin says why it must hold; if a rule change breaks one, the change needs
//! an argument too.

use crate::util::*;
use serde_json::Value;

fn site(id: &str) -> Value {
    let r = run(&["site", "scenarios/amsterdam-centrum.toml", id, "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// Runs `command` (plan, zones) on the Amsterdam scenario into a temporary
/// folder; returns the folder (kept alive) and the output path.
fn written(command: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let r = run(&[
        command,
        "scenarios/amsterdam-centrum.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (dir, out)
}

fn group<'a>(v: &'a Value, g: &str) -> &'a Value {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["group"] == g)
        .unwrap()
}

fn reasons(g: &Value) -> Vec<String> {
    g["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "pass")
        .map(|c| c["reason"].as_str().unwrap().to_string())
        .collect()
}

/// A house on the Wallen (Oudezijds Achterburgwal, red-light district): the densest
/// horeca of the city, Casa Rosso (a nightclub) across the canal. Reuring; no place
/// for families; starters, who accept reuring, may live here.
#[test]
fn wallen_is_reuring_and_unsuitable_for_families() {
    let v = site("0363100012165015");
    assert_eq!(v["zone"], "reuring");
    let g = group(&v, "gezinnen");
    assert_eq!(g["verdict"], "ongeschikt");
    let r = reasons(g);
    assert!(
        r.iter().any(|x| x.starts_with("ligt in reuring-zone")),
        "{r:?}"
    );
    assert!(
        r.iter().any(|x| x.starts_with("nachtclub Casa Rosso op")),
        "{r:?}"
    );
    assert_ne!(group(&v, "starters")["verdict"], "ongeschikt");
}

/// A block on the east side (Lastage, by the Montelbaanstoren): homes, a school next
/// door, the nearest pub 150 m away. Rust; families only miss a daycare (none is
/// mapped in this extract) and a closer playground: voorwaardelijk, never a knock-out.
#[test]
fn quiet_block_east_is_rust_and_conditional_for_families() {
    let v = site("0363100012170901");
    assert_eq!(v["zone"], "rust");
    let g = group(&v, "gezinnen");
    assert_eq!(g["verdict"], "voorwaardelijk");
    assert!(
        g["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["knockout"] == false)
    );
    assert!(
        reasons(g).iter().any(|x| x.contains("kinderopvang")),
        "{:?}",
        reasons(g)
    );
}

/// Spui 1-3, at the Kalverstraat, in the kernwinkelgebied, with one vacant shop unit
/// among a dozen: the plint stays a shop, so only the upper floors can become homes;
/// that suits starters, not families.
#[test]
fn above_a_shop_in_the_core_suits_starters_not_families() {
    let v = site("0363100012165109");
    assert_eq!(v["in_retail_core"], true);
    // One vacant unit in an occupied building is not a vacant building.
    assert_eq!(v["vacant"], false);
    assert!(
        v["units_vacant"].as_u64().unwrap() >= 1,
        "{}",
        v["units_vacant"]
    );
    let g = group(&v, "gezinnen");
    assert_eq!(g["verdict"], "ongeschikt");
    assert!(
        reasons(g)
            .iter()
            .any(|x| x == "wonen boven winkels in het kernwinkelgebied past niet bij gezinnen")
    );
    let s = group(&v, "starters");
    assert_eq!(s["verdict"], "geschikt");
    assert!(
        reasons(s)
            .iter()
            .any(|x| x.contains("alleen de verdiepingen")),
        "{:?}",
        reasons(s)
    );
}

/// The plan on Amsterdam: zoning finds all three characters, Rembrandtplein and the
/// Wallen come out reuring, and every output is there.
#[test]
fn plan_on_amsterdam_writes_everything() {
    let (_dir, out) = written("plan");
    for f in [
        "buildings.geojson",
        "zones.geojson",
        "sites.geojson",
        "coverage.geojson",
        "amenities.geojson",
        "horeca.geojson",
        "streets.geojson",
        "conflicts.geojson",
        "buildings.qml",
        "zones.qml",
        "binnenstad.qgs",
        "map.svg",
        "map.png",
        "report.html",
        "kaart.html",
        "summary.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let s = read_json(&out.join("summary.json"));
    for z in ["rust", "gemengd", "reuring"] {
        assert!(
            s["zones"]["buildings"][z].as_u64().unwrap() > 50,
            "{z}: {}",
            s["zones"]
        );
    }
    // Rembrandtplein (4.8966, 52.3664) lies in a reuring zone.
    let zones = read_json(&out.join("zones.geojson"));
    let p = geo::Point::new(4.8966, 52.3664);
    let hit = zones["features"].as_array().unwrap().iter().find(|f| {
        let gj: geojson::Geometry = serde_json::from_value(f["geometry"].clone()).unwrap();
        let g: geo::Geometry<f64> = gj.try_into().unwrap();
        use geo::Contains;
        g.contains(&p)
    });
    assert_eq!(hit.unwrap()["properties"]["zone"], "reuring");
    let b = read_json(&out.join("buildings.geojson"));
    let f = &b["features"][0]["properties"];
    for key in [
        "verdict_gezinnen",
        "score_starters",
        "reasons_ouderen",
        "walk_m_supermarket",
        "zone",
    ] {
        assert!(f.get(key).is_some(), "buildings.geojson lacks {key}");
    }
    map_level_reasons_are_explained_once(&b, &out);
    // The report states how many buildings have a need onbekend at the edge
    // of the study area, the same count as summary.json (1.780 of 2.073).
    let near_edge = s["near_edge_buildings"].as_u64().unwrap();
    assert!(near_edge > 0 && near_edge < 2073, "{near_edge}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    let thousands = format!("{}.{:03}", near_edge / 1000, near_edge % 1000);
    assert!(
        report.contains(&format!(
            "Gebouwen bij de rand van het plangebied (een voorziening kan net buiten de kaart liggen: onbekend)</dt><dd>{thousands}</dd>"
        )),
        "report lacks the near-edge count {thousands}"
    );
}

/// Issue 18: the map marks too few monuments and no daycare, which holds for
/// every building. Each building's reasons name it short; the explanation is
/// in the layer once (description, caveats), in buildings.qml, report.html and
/// kaart.html; `site` says it whole. Which amenity is nearest is not written
/// per building (760 of 3,290 bytes a building): `site` names it.
fn map_level_reasons_are_explained_once(b: &Value, out: &std::path::Path) {
    const WHY: &str =
        "de kaart markeert te weinig gebouwen als monument om de rest als geen monument te lezen";
    assert_eq!(
        b["caveats"]["monumentstatus onbekend"], WHY,
        "{}",
        b["caveats"]
    );
    assert_eq!(
        b["caveats"]["kinderopvang: onbekend (geen data)"],
        "de kaart bevat er geen"
    );
    assert!(b["description"].as_str().unwrap().contains(WHY));
    let features = b["features"].as_array().unwrap();
    let text = std::fs::read_to_string(out.join("buildings.geojson")).unwrap();
    assert_eq!(text.matches(WHY).count(), 2, "description and caveats only");
    let props = &features
        .iter()
        .find(|f| f["id"] == "0363100012165015")
        .unwrap()["properties"];
    let r = props["reasons_gezinnen"].as_str().unwrap();
    assert!(r.split("; ").any(|x| x == "monumentstatus onbekend"), "{r}");
    assert!(
        r.split("; ")
            .any(|x| x == "kinderopvang: onbekend (geen data)"),
        "{r}"
    );
    assert!(
        features[0]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .all(|k| !k.starts_with("nearest_"))
    );
    for file in ["buildings.qml", "report.html", "kaart.html"] {
        let t = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(
            t.contains(WHY),
            "{file} does not explain the monument status"
        );
    }
    // One building explained alone: the whole sentence and the nearest amenity per kind.
    let v = site("0363100012165015");
    let g = group(&v, "gezinnen");
    let r = reasons(g);
    assert!(
        r.contains(&format!("monumentstatus onbekend ({WHY})")),
        "{r:?}"
    );
    assert!(
        r.contains(&"kinderopvang: onbekend (geen data: de kaart bevat er geen)".to_string()),
        "{r:?}"
    );
    let walking = v["walking"].as_array().unwrap();
    let playground = walking.iter().find(|w| w["kind"] == "playground").unwrap();
    assert!(playground["nearest"].is_string(), "{playground}");
}

/// Site #1 of the old ranking (Albert Heijn, Etos and a café, one `disused:shop`
/// node inside): its businesses trade, so it is not a vacant building; its one
/// vacant unit is counted as a unit.
#[test]
fn a_vacant_unit_does_not_make_the_building_vacant() {
    let v = site("0363100012185418");
    assert_eq!(v["vacant"], false);
    assert_eq!(v["units_vacant"], 1);
    assert!(v["units"].as_u64().unwrap() > 1);
}

/// The Stopera (town hall and opera: two OSM ways, one BAG pand) and De Bijenkorf
/// (a department store on Dam square) are landmarks / public buildings: never a
/// transformation site unless the scenario names them. De Bijenkorf lies in the
/// kernwinkelgebied (the mapped `landuse=retail` strips miss Dam square; shop
/// density adds it).
#[test]
fn landmarks_are_flagged_and_are_no_sites() {
    let stopera = site("0363100012186092");
    assert!(stopera["landmark"].is_string(), "{}", stopera["landmark"]);
    assert!(stopera["site_rank"].is_null());
    let bijenkorf = site("0363100012168052");
    assert_eq!(bijenkorf["landmark"], "department_store");
    assert_eq!(bijenkorf["name"], "De Bijenkorf");
    assert_eq!(bijenkorf["in_retail_core"], true);
    assert!(bijenkorf["site_rank"].is_null());
}

/// OpenStreetMap's `ref:bag` lost the leading zero on some buildings; a planner
/// types the id either way and gets the same building.
#[test]
fn a_building_is_found_by_its_15_and_16_digit_id() {
    let long = site("0363100012171799");
    let short = site("363100012171799");
    assert_eq!(long["building_id"], "0363100012171799");
    assert_eq!(short["building_id"], long["building_id"]);
}

/// The zones lie within the study area (the extract's bounds: lon 4.89063..4.90368,
/// lat 52.36568..52.37372, about 79 ha; cells on its edge reach half a cell beyond),
/// and quiet is no longer the water and the empty land around the data.
#[test]
fn zones_stay_in_the_study_area_and_rust_does_not_dominate() {
    let (_dir, out) = written("zones");
    let zones = read_json(&out.join("zones.geojson"));
    let mut area = std::collections::BTreeMap::<String, f64>::new();
    for f in zones["features"].as_array().unwrap() {
        *area
            .entry(f["properties"]["zone"].as_str().unwrap().to_string())
            .or_default() += f["properties"]["area_m2"].as_f64().unwrap();
    }
    let total: f64 = area.values().sum();
    // The bounds in RD New: about 887 m × 894 m; a 25 m cell's margin all round.
    assert!(total < 912.0 * 919.0, "{total} m² of zones: {area:?}");
    assert!(total > 0.9 * 887.0 * 894.0, "{total} m² of zones: {area:?}");
    assert!(area["rust"] < area["reuring"] + area["gemengd"], "{area:?}");
}

/// The headline answer a planner must defend: the top of `sites` holds no shop
/// that still sells groceries, no landmark and no existing home; the ranking
/// discriminates (not 100 for half the city, not by size); no building is
/// geschikt for a group with an unmet need; and the daycare need, which this
/// extract does not map, is "onbekend", not a 0 % finding.
#[test]
fn sites_and_verdicts_a_planner_can_defend() {
    use geo::Contains;
    let (_dir, out) = written("plan");
    let geometry = |f: &Value| -> geo::Geometry<f64> {
        let gj: geojson::Geometry = serde_json::from_value(f["geometry"].clone()).unwrap();
        gj.try_into().unwrap()
    };
    let sites = read_json(&out.join("sites.geojson"));
    let mut sites: Vec<&Value> = sites["features"].as_array().unwrap().iter().collect();
    sites.sort_by_key(|f| f["properties"]["rank"].as_u64().unwrap());
    let amenities = read_json(&out.join("amenities.geojson"));
    let supermarkets: Vec<geo::Geometry<f64>> = amenities["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "supermarket")
        .map(geometry)
        .collect();
    let buildings = read_json(&out.join("buildings.geojson"));
    let by_id = features_by_id(&buildings);
    for f in sites.iter().take(20) {
        let p = &f["properties"];
        let id = p["building_id"].as_str().unwrap();
        let b = &by_id[id]["properties"];
        assert!(b["landmark"].is_null(), "{id} is a landmark");
        assert_ne!(b["use"], "residential", "{id} is housing already");
        let shape = geometry(f);
        for s in &supermarkets {
            let geo::Geometry::Point(pt) = s else {
                continue;
            };
            assert!(!shape.contains(pt), "{id} holds an active supermarket");
        }
        assert!(p["site_type"].is_string(), "{id} says its type");
    }
    let distinct: std::collections::BTreeSet<String> = sites
        .iter()
        .take(50)
        .map(|f| f["properties"]["potential"].to_string())
        .collect();
    assert!(
        distinct.len() >= 10,
        "{} distinct potentials",
        distinct.len()
    );
    // The Stopera's housing verdict says what it is, first.
    let stopera = &by_id["0363100012186092"]["properties"];
    assert_eq!(stopera["verdict_starters"], "ongeschikt");
    assert!(
        stopera["reasons_starters"]
            .as_str()
            .unwrap()
            .starts_with("overheidsgebouw (government): beeldbepalend of publiek gebouw"),
        "{}",
        stopera["reasons_starters"]
    );
    // Buildings on a loose network part (17 here) were voorwaardelijk with
    // score 46: onbekend now, with a score that claims no more than half.
    let mut islands = 0;
    for f in buildings["features"].as_array().unwrap() {
        let p = &f["properties"];
        let r = p["reasons_starters"].as_str().unwrap_or("");
        if r.contains("supermarkt: onbekend - bereikbaarheid niet te bepalen (los netwerkdeel)") {
            islands += 1;
            assert_eq!(p["verdict_starters"], "onbekend", "{}", p["building_id"]);
            assert!(p["score_starters"].as_f64().unwrap() <= 50.0);
        }
    }
    assert!(islands >= 10, "{islands} island buildings");
    // The daycare gap alone no longer keeps every family home from geschikt.
    assert!(
        buildings["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["properties"]["verdict_gezinnen"] == "geschikt")
    );
    for f in buildings["features"].as_array().unwrap() {
        let p = &f["properties"];
        for g in ["gezinnen", "ouderen", "starters", "studenten"] {
            if p[format!("verdict_{g}")] == "geschikt" {
                assert_eq!(
                    p[format!("needs_unmet_{g}")],
                    "",
                    "{} geschikt for {g} with unmet needs",
                    p["building_id"]
                );
            }
        }
        let unknown = p["needs_unknown_gezinnen"].as_str().unwrap_or("");
        if !p["non_dwelling"].as_bool().unwrap() {
            assert!(unknown.contains("daycare"), "{unknown}");
        }
    }
    let summary = read_json(&out.join("summary.json"));
    let daycare = coverage_row(&summary, "gezinnen", "daycare");
    assert!(daycare["share_inside"].is_null(), "{daycare}");
    assert_eq!(daycare["data"], "onbekend (geen data)");
    assert!(
        summary["data_gaps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["kind"] == "daycare")
    );
    // And a quiet block's reasons name the gap.
    let v = site("0363100012170901");
    let g = group(&v, "gezinnen");
    assert!(
        g["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["status"] == "unknown" && c["key"] == "need.daycare"),
        "{g}"
    );
}

/// One horeca point with longitude and latitude swapped (case 04 of the shared
/// reliability cases): named and left out; the zoning keeps its 25 m cells and
/// its picture; `check` and `plan --strict` fail on it.
#[test]
fn a_stray_point_is_named_and_does_not_ruin_the_zoning() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &root().join("maps/amsterdam-centrum"),
        &dir.path().join("map"),
    );
    let scenario = std::fs::read_to_string(root().join("scenarios/amsterdam-centrum.toml"))
        .unwrap()
        .replace("area = \"../maps/amsterdam-centrum\"", "area = \"map\"");
    std::fs::write(dir.path().join("s.toml"), scenario).unwrap();
    let path = dir.path().join("map/horeca.geojson");
    let mut v = read_json(&path);
    let id = v["features"][5]["id"].as_str().unwrap().to_string();
    v["features"][5]["geometry"]["coordinates"] = serde_json::json!([52.37, 4.89]);
    std::fs::write(&path, v.to_string()).unwrap();

    let check = run_in(dir.path(), &["check", "s.toml"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stdout.contains(&id) || check.stderr.contains(&id));
    let strict = run_in(dir.path(), &["plan", "s.toml", "--out", "o1", "--strict"]);
    assert_eq!(strict.code, 2);
    assert!(strict.stderr.contains("ver buiten"), "{}", strict.stderr);
    // It says the run stopped, and that "overgeslagen" is what a run without
    // --strict does (review: "--strict: fout: ...; overgeslagen" read as skipped).
    assert!(
        strict
            .stderr
            .contains("gestopt bij het eerste gegevensprobleem (--strict)"),
        "{}",
        strict.stderr
    );
    let r = run_in(dir.path(), &["plan", "s.toml", "--out", "o"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let problems = std::fs::read_to_string(dir.path().join("o/problemen.txt")).unwrap();
    assert!(
        problems.contains(&format!("feature 5 (id {id})")),
        "{problems}"
    );
    let s = read_json(&dir.path().join("o/summary.json"));
    assert!(!r.stderr.contains("grid_coarsened") && !r.stderr.contains("cells instead"));
    assert!(
        s["zones"]["buildings"]["reuring"].as_u64().unwrap() > 1000,
        "{}",
        s["zones"]
    );
}

/// `check` and `plan` count the same problems (they once said 15 and 16).
#[test]
fn check_and_plan_count_the_same_problems() {
    let (_dir, out) = written("plan");
    let s = read_json(&out.join("summary.json"));
    let plan = s["diagnostics"]["errors"].as_u64().unwrap()
        + s["diagnostics"]["warnings"].as_u64().unwrap();
    let c = run(&["check", "scenarios/amsterdam-centrum.toml", "--json"]);
    let v: Value = serde_json::from_str(&c.stdout).unwrap();
    assert_eq!(v["diagnostics"].as_array().unwrap().len() as u64, plan);
}

/// Coordinates given LAT,LON (the order map sites show) are named as swapped,
/// with the pair to use; the BAG's own `NL.IMBAG.Pand.` form of an id is found.
#[test]
fn swapped_coordinates_and_bag_id_forms() {
    let r = run(&[
        "reach",
        "scenarios/amsterdam-centrum.toml",
        "--from",
        "52.37,4.895",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bedoelt u 4.895,52.37"), "{}", r.stderr);
    let v = site("NL.IMBAG.Pand.0363100012168052");
    assert_eq!(v["building_id"], "0363100012168052");
}

/// `--from` also takes RD New X,Y in metres (as QGIS shows them in the Dutch
/// grid) and a building's name or address: the same answer as LON,LAT there.
#[test]
fn reach_from_rd_metres_and_from_an_address() {
    let json = |from: &str| {
        let r = run(&[
            "reach",
            "scenarios/amsterdam-centrum.toml",
            "--from",
            from,
            "--json",
        ]);
        assert_eq!(r.code, 0, "--from {from}: {}", r.stderr);
        serde_json::from_str::<Value>(&r.stdout).unwrap()
    };
    // Amsterdam, 121400,487400 in RD New = 4.8938039,52.3734457 (PROJ).
    let rd = json("121400,487400");
    let wgs = json("4.8938039,52.3734457");
    let rows = |v: &Value| -> Vec<(String, Option<String>)> {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["kind"].to_string(),
                    r["amenity_id"].as_str().map(String::from),
                )
            })
            .collect()
    };
    assert!(!rows(&rd).is_empty());
    assert_eq!(rows(&rd), rows(&wgs), "the same nearest amenities");
    for (a, b) in rd["rows"]
        .as_array()
        .unwrap()
        .iter()
        .zip(wgs["rows"].as_array().unwrap())
    {
        if let (Some(a), Some(b)) = (a["metres"].as_f64(), b["metres"].as_f64()) {
            assert!((a - b).abs() < 0.5, "{a} m from RD, {b} m from LON,LAT");
        }
    }
    let by_name = json("staalkade 1");
    let by_id = json("0363020000818150");
    assert_eq!(by_name, by_id);
}

/// A houseboat (woonboot 0363020001988056) moored in a canal inside the
/// kernwinkelgebied polygon: it has no plint on a shopping street, so the
/// plint rule does not knock it out, and without storeys in the map it is
/// taken as one storey (not the default three).
#[test]
fn a_houseboat_in_the_core_has_no_plint_and_one_storey() {
    let v = site("0363020001988056");
    let g = group(&v, "starters");
    let r = reasons(g);
    assert!(!r.iter().any(|x| x.contains("plint")), "{r:?}");
    assert_ne!(g["verdict"], "ongeschikt", "{g}");
    assert_eq!(
        (&v["building_type"], &v["floors"]),
        (&"houseboat".into(), &1.into())
    );
}

/// The study area ends about 450 m from the middle of this map (a 0.9 × 0.9 km
/// extract): an unmet need whose limit reaches past the edge is onbekend
/// ("het plangebied eindigt op N m"), one whose limit does not stays unmet.
/// Some buildings are near the edge for some need, not all; every such
/// sentence names an edge nearer than the limit and about where the building
/// lies; in the middle (over 350 m from the edge) a need with a shorter limit
/// (ouderen: transit stop, 5 min at 3.6 km/h = 300 m) is never onbekend for
/// the edge, and it is unmet there for some building (so the check ran).
#[test]
fn unmet_needs_near_the_study_area_edge_are_onbekend_not_in_the_middle() {
    let (_dir, out) = written("plan");
    let summary = read_json(&out.join("summary.json"));
    let buildings = read_json(&out.join("buildings.geojson"));
    let area = read_json(&root().join("maps/amsterdam-centrum/study_area.geojson"));
    let ring = area["features"][0]["geometry"]["coordinates"][0]
        .as_array()
        .unwrap();
    let xy = |c: &Value| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for c in ring {
        let (x, y) = xy(c);
        (w, s, e, n) = (w.min(x), s.min(y), e.max(x), n.max(y));
    }
    // Metres per degree at 52.37° N (close enough for a 60 m tolerance).
    let (kx, ky) = (111_320.0 * 52.37f64.to_radians().cos(), 110_574.0);
    let features = buildings["features"].as_array().unwrap();
    let (mut near, mut middle_unmet, mut starters_edge) = (0, 0, 0);
    for f in features {
        let g = &f["geometry"];
        let outer = match g["type"].as_str().unwrap() {
            "MultiPolygon" => &g["coordinates"][0][0],
            _ => &g["coordinates"][0],
        };
        let pts: Vec<(f64, f64)> = outer.as_array().unwrap().iter().map(xy).collect();
        let k = (pts.len() - 1).max(1) as f64;
        let x = pts.iter().take(pts.len() - 1).map(|p| p.0).sum::<f64>() / k;
        let y = pts.iter().take(pts.len() - 1).map(|p| p.1).sum::<f64>() / k;
        let edge = ((x - w) * kx)
            .min((e - x) * kx)
            .min((y - s) * ky)
            .min((n - y) * ky);
        let p = &f["properties"];
        let mut any = false;
        for (key, v) in p.as_object().unwrap() {
            let Some(text) = v.as_str().filter(|_| key.starts_with("reasons_")) else {
                continue;
            };
            for (limit, at) in edge_pairs(text) {
                any = true;
                assert!(at < limit, "{key}: {text}");
                assert!((at - edge).abs() < 60.0, "{key}: {text} (edge {edge:.0} m)");
                if edge > 350.0 {
                    assert!(limit > 350.0, "{key}: {text} (edge {edge:.0} m)");
                }
            }
        }
        near += usize::from(any);
        // Onbekend at the edge, yet not met: listed as onbekend, not as
        // unmet, and counted in needs_met's total (starters have four needs).
        if p["reasons_starters"]
            .as_str()
            .is_some_and(|r| r.contains("geen supermarkt binnen"))
        {
            starters_edge += 1;
            assert!(
                p["needs_unknown_starters"]
                    .as_str()
                    .unwrap()
                    .contains("supermarket")
            );
            assert!(
                !p["needs_unmet_starters"]
                    .as_str()
                    .unwrap()
                    .contains("supermarket")
            );
            assert!(
                p["needs_met_starters"].as_str().unwrap().ends_with("/4"),
                "{p}"
            );
        }
        if edge > 350.0
            && p["needs_unmet_ouderen"]
                .as_str()
                .is_some_and(|u| u.split(", ").any(|k| k == "transit_stop"))
        {
            middle_unmet += 1;
        }
    }
    assert_eq!(summary["near_edge_buildings"], near);
    assert!(
        near > 0 && near < features.len(),
        "{near} of {}",
        features.len()
    );
    assert!(middle_unmet > 0 && starters_edge > 0);
}

/// Pairs (limit m, edge m) from every sentence `geen ... binnen L m (...) in
/// de kaart ..., en het plangebied eindigt op E m: onbekend` in `text`
/// (reasons are joined with "; "; Dutch thousands dots).
fn edge_pairs(text: &str) -> Vec<(f64, f64)> {
    let num = |s: &str| s.replace('.', "").parse::<f64>().unwrap();
    text.split("; ")
        .filter_map(|r| {
            let (need, edge) = r.split_once(", en het plangebied eindigt op ")?;
            let edge = edge.strip_suffix(" m: onbekend")?;
            let limit = need.split("binnen ").nth(1)?.split(" m (").next()?;
            Some((num(limit), num(edge)))
        })
        .collect()
}

/// A site with more than 100 homes in one building (The Bank, an office of
/// 15.470 m² estimated) says "controleren" first in its conditions; a
/// smaller one does not.
#[test]
fn a_site_with_very_many_homes_asks_to_be_checked() {
    let (_dir, out) = written("plan");
    let sites = read_json(&out.join("sites.geojson"));
    let mut checked = 0;
    for f in sites["features"].as_array().unwrap() {
        let p = &f["properties"];
        let homes = p["best_homes"].as_u64().unwrap();
        let conditions = p["conditions"].as_str().unwrap();
        let mark = format!("controleren: {homes} woningen in één gebouw");
        assert_eq!(
            conditions.starts_with(&mark),
            homes > 100,
            "{}: {conditions}",
            p["building_id"]
        );
        checked += usize::from(homes > 100);
    }
    assert!(checked >= 1, "no large site on Amsterdam");
}
