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
