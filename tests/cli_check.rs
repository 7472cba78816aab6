//! `binnenstad check` on fixtures.

use crate::util::*;

#[test]
fn check_reports_layers_of_the_tiny_fixture() {
    let r = run(&["check", fixture("tiny.toml").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("buildings") && r.stdout.contains("EPSG:28992"),
        "{}",
        r.stdout
    );
    // amenities.geojson is in RD with a legacy crs member.
    let line = r
        .stdout
        .lines()
        .find(|l| l.starts_with("amenities"))
        .unwrap();
    assert!(
        line.contains("EPSG:28992") && line.contains(" 3 "),
        "{line}"
    );
}

#[test]
fn check_json_names_duplicate_ids_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
    std::fs::copy(fixture("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
    let path = dir.path().join("tiny/buildings.geojson");
    let mut v = read_json(&path);
    let first = v["features"][0].clone();
    v["features"].as_array_mut().unwrap().push(first);
    std::fs::write(&path, v.to_string()).unwrap();
    let r = run(&[
        "check",
        "--json",
        dir.path().join("tiny.toml").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "duplicate_id");
    assert_eq!(d["feature"]["index"], 6);
    assert_eq!(d["feature"]["id"], "home-west");
}

/// `crs = "auto"` takes the UTM zone from the median centre of the buildings:
/// one building with lat/lon swapped (lon 52, 4,000 km east) used to move the
/// extent's centre, and so the working CRS, to zone 35N (every area and
/// distance changed). Now the zone stays 31N and the building is named.
#[test]
fn crs_auto_comes_from_the_bulk_and_names_a_swapped_building() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
    let toml = std::fs::read_to_string(fixture("tiny.toml"))
        .unwrap()
        .replace("crs = \"EPSG:28992\"", "crs = \"auto\"");
    let scenario = dir.path().join("tiny.toml");
    std::fs::write(&scenario, toml).unwrap();
    let check = || run(&["check", scenario.to_str().unwrap()]);
    let r = check();
    assert!(r.stdout.contains("werk-CRS EPSG:32631"), "{}", r.stdout);

    let path = dir.path().join("tiny/buildings.geojson");
    let mut v = read_json(&path);
    let mut swapped = v["features"][0].clone();
    fn swap(c: &mut serde_json::Value) {
        match c.as_array_mut() {
            Some(a) if a.len() == 2 && a[0].is_number() => a.swap(0, 1),
            Some(a) => a.iter_mut().for_each(swap),
            None => {}
        }
    }
    swap(&mut swapped["geometry"]["coordinates"]);
    swapped["id"] = "swapped".into();
    swapped["properties"]["id"] = "swapped".into();
    v["features"].as_array_mut().unwrap().push(swapped);
    std::fs::write(&path, v.to_string()).unwrap();
    let r = check();
    assert!(r.stdout.contains("werk-CRS EPSG:32631"), "{}", r.stdout);
    let r = run(&["check", "--json", scenario.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_swapped_is_named_once_and_left_out(&v);

    // The same file with the CRS fixed: the scale check used to cover the
    // swapped building too and refused RD New itself ("34.62% verkeerd",
    // "gebruik EPSG:32635"). Now the plan runs without the building.
    let fixed = dir.path().join("fixed.toml");
    std::fs::write(
        &fixed,
        std::fs::read_to_string(fixture("tiny.toml")).unwrap(),
    )
    .unwrap();
    let r = run(&["check", "--json", fixed.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_swapped_is_named_once_and_left_out(&v);
    let out = dir.path().join("out");
    let r = run(&[
        "plan",
        fixed.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let buildings = read_json(&out.join("buildings.geojson"));
    let ids: Vec<&str> = buildings["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(!ids.is_empty() && !ids.contains(&"swapped"), "{ids:?}");
}

/// One error names the swapped building, says what is likely wrong and that
/// it is left out; nothing else names it.
fn assert_swapped_is_named_once_and_left_out(check: &serde_json::Value) {
    let named: Vec<&serde_json::Value> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["feature"]["id"] == "swapped")
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");
    assert_eq!(named[0]["code"], "far_outside");
    assert_eq!(named[0]["severity"], "error");
    let message = named[0]["message"].as_str().unwrap();
    assert!(
        message.contains("lengte- en breedtegraad verwisseld?") && message.contains("Overgeslagen"),
        "{message}"
    );
}
