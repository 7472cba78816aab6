//! `binnenstad plan` on fixtures.

use crate::util::*;

#[test]
fn plan_writes_buildings_with_stable_ids() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let r = run(&[
        "plan",
        fixture("tiny.toml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = read_json(&out.join("buildings.geojson"));
    let by_id = features_by_id(&v);
    assert_eq!(by_id.len(), 6);
    let shop = &by_id["shop-vacant"]["properties"];
    assert_eq!(shop["building_id"], "shop-vacant");
    assert_eq!(shop["use"], "retail");
    assert_eq!(shop["vacant"], true);
    let office = &by_id["office"]["properties"];
    assert_eq!(office["monument"], true, "\"ja\" reads as true");
    assert_eq!(
        by_id["home-east"]["properties"]["use"], "residential",
        "BAG woonfunctie"
    );
    // 20 m x 20 m x 5 floors, estimated from the footprint.
    let area = office["floor_area_m2"].as_f64().unwrap();
    assert!((area - 2000.0).abs() < 5.0, "{area}");
    assert_eq!(office["floor_area_estimated"], true);
}
