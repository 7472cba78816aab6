//! Walking networks as people draw them: `binnenstad plan` on the shared
//! cases in `tests/fixtures/network/` (each with its README and right values).

use crate::util::*;

/// Every data problem a plan listed in `out` (problemen.txt; empty when none).
fn problems(out: &std::path::Path) -> String {
    std::fs::read_to_string(out.join("problemen.txt")).unwrap_or_default()
}

/// Plans one case folder and returns `walk_m_supermarket` and the data problems.
fn plan(case: &str) -> (std::collections::BTreeMap<String, Option<f64>>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = fixture(&format!("network/{case}/scenario.toml"));
    let r = run(&[
        "plan",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = read_json(&out.join("buildings.geojson"));
    let walk = features_by_id(&v)
        .into_iter()
        .map(|(id, f)| (id, f["properties"]["walk_m_supermarket"].as_f64()))
        .collect();
    (walk, problems(&out))
}

#[test]
fn near_misses_and_t_junctions_join() {
    let (walk, _) = plan("08c-near-miss-junctions");
    assert_eq!(walk["home-endgap"], Some(493.0), "end-to-end gap of 0.3 m");
    // The T end lies exactly on street/a, which has no vertex there.
    assert_eq!(walk["home-ttouch"], Some(293.0), "7.5 + 92.5 + 190 + 3");
    // The T end stops 0.3 m short of street/a.
    assert_eq!(walk["home-tshort"], Some(393.0));
}

#[test]
fn crossings_are_noded_at_the_same_grade_only() {
    let (walk, problems) = plan("08b-crossings-noded");
    assert_eq!(walk["home-c"], Some(393.0), "street/c crosses street/a");
    assert_eq!(walk["home-t"], Some(393.0), "the T stops 0.3 m short");
    // street/bridge (bridge, layer 1) passes over street/a without meeting it.
    assert_eq!(walk["home-bridge"], None);
    assert!(
        problems.contains("home-bridge): sluit aan op een afgesneden deel van het netwerk"),
        "{problems}"
    );
}

#[test]
fn invalid_footprints_are_repaired_not_measured_raw() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = fixture("network/20-invalid-polygons/scenario.toml");
    let r = run(&[
        "plan",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = read_json(&out.join("buildings.geojson"));
    let by_id = features_by_id(&v);
    let area = |id: &str| by_id[id]["properties"]["floor_area_m2"].as_f64().unwrap();
    // One floor each: floor area = footprint. shapely make_valid: 50 m².
    assert_eq!(area("bowtie"), 50.0, "as drawn: 0");
    // GEOS's default (linework) method: the hole is a second part, 100 + 25
    // (as drawn: 100 - 25 = 75).
    assert_eq!(area("hole-outside"), 125.0);
    assert_eq!(area("spike"), 100.0);
    assert_eq!(area("ok"), 100.0);
    let listed = problems(&out);
    for id in ["bowtie", "hole-outside", "spike"] {
        assert!(
            listed.contains(&format!("(id {id}): ongeldige polygoon"))
                && listed.contains("hersteld zoals GEOS make_valid"),
            "{listed}"
        );
    }
}

/// The same T-junction and near miss drawn in OpenStreetMap XML, through
/// `import osm`: the importer path ends in the same network build.
#[test]
fn near_misses_and_t_junctions_join_after_import_osm() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("network/08c-near-miss-junctions-osm"), dir.path());
    let r = run_in(
        dir.path(),
        &["import", "osm", "input.osm", "--out", "layers"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = run_in(dir.path(), &["plan", "scenario.toml", "--out", "out"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // The problems file is there (the plan has data gaps), without an island.
    let listed = std::fs::read_to_string(dir.path().join("out/problemen.txt")).unwrap();
    assert!(!listed.contains("los stuk netwerk"), "{listed}");
    let v = read_json(&dir.path().join("out/buildings.geojson"));
    let by_id = features_by_id(&v);
    let walk = |id: &str| by_id[id]["properties"]["walk_m_supermarket"].as_f64();
    assert_eq!(walk("way/50"), Some(493.0), "home-endgap");
    assert_eq!(walk("way/60"), Some(393.0), "home-tshort");
    assert_eq!(walk("way/70"), Some(293.0), "home-ttouch");
}

/// A `highway=pedestrian` square mapped as a `type=multipolygon` relation with
/// an inner ring is walked along its outline like the closed-way square beside
/// it (case 09): 565 m for way/40. `import osm` writes it as a Polygon with a
/// hole; the same square drawn as a MultiPolygon gives the same. The inner
/// ring, which no line meets, is left out (no island warning).
#[test]
fn multipolygon_squares_are_walked_along_their_outline_in_both_paths() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("network/09-pedestrian-square-area"), dir.path());
    let r = run_in(
        dir.path(),
        &["import", "osm", "input.osm", "--out", "layers"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let streets = read_json(&dir.path().join("layers/streets.geojson"));
    let by_id = features_by_id(&streets);
    let square = &by_id["relation/20"];
    assert_eq!(square["geometry"]["type"], "Polygon");
    assert_eq!(
        square["geometry"]["coordinates"].as_array().unwrap().len(),
        2
    );
    assert_eq!(square["properties"]["area"], true);
    assert_eq!(square["properties"]["highway"], "pedestrian");

    let walk_of_way_40 = |out: &str| {
        let r = run_in(dir.path(), &["plan", "scenario.toml", "--out", out]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        // The inner ring (way/12) meets no line: left out, so no island.
        let listed = problems(&dir.path().join(out));
        assert!(
            !listed.is_empty() && !listed.contains("relation/20#1"),
            "{listed}"
        );
        let v = read_json(&dir.path().join(out).join("buildings.geojson"));
        features_by_id(&v)["way/40"]["properties"]["walk_m_supermarket"].as_f64()
    };
    assert_eq!(walk_of_way_40("out-osm"), Some(565.0));

    // The GeoJSON path as a user might draw it: a MultiPolygon.
    let mut streets = streets;
    for f in streets["features"].as_array_mut().unwrap() {
        if f["id"] == "relation/20" {
            let rings = f["geometry"]["coordinates"].clone();
            f["geometry"] = serde_json::json!({"type": "MultiPolygon", "coordinates": [rings]});
        }
    }
    std::fs::write(
        dir.path().join("layers/streets.geojson"),
        serde_json::to_string(&streets).unwrap(),
    )
    .unwrap();
    assert_eq!(walk_of_way_40("out-geojson"), Some(565.0));
}
