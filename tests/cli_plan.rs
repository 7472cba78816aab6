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

/// A QGIS/BAG export with its own property names and RD coordinates works through the
/// scenario's field mapping, without editing the file.
#[test]
fn field_mapping_reads_a_bag_style_export() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
    let path = dir.path().join("tiny/buildings.geojson");
    let mut v = read_json(&path);
    for f in v["features"].as_array_mut().unwrap() {
        let p = f["properties"].as_object_mut().unwrap();
        let id = p.remove("id").unwrap();
        p.insert("identificatie".into(), id);
        if let Some(u) = p.remove("use") {
            p.insert("gebruiksdoel".into(), u);
        }
        if let Some(n) = p.remove("floors") {
            p.insert("bouwlagen".into(), n);
        }
        f.as_object_mut().unwrap().remove("id");
    }
    std::fs::write(&path, v.to_string()).unwrap();
    let scenario = dir.path().join("bag.toml");
    std::fs::write(
        &scenario,
        "version = 1\nname = \"bag\"\narea = \"tiny\"\ncrs = \"EPSG:28992\"\n\
         [layers.buildings]\nfields = { id = \"identificatie\", use = \"gebruiksdoel\", floors = \"bouwlagen\" }\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let r = run_in(
        dir.path(),
        &[
            "plan",
            "bag.toml",
            "--out",
            out.to_str().unwrap(),
            "--strict",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b = features_by_id(&read_json(&out.join("buildings.geojson")));
    assert_eq!(b["office"]["properties"]["use"], "office");
    assert_eq!(b["office"]["properties"]["floors"], 5);
    assert_eq!(b["office"]["properties"]["floors_estimated"], false);
    // Without the mapping the same file has no ids: --strict refuses it, naming the feature.
    std::fs::write(
        &scenario,
        "version = 1\nname = \"bag\"\narea = \"tiny\"\ncrs = \"EPSG:28992\"\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "plan",
            "bag.toml",
            "--out",
            out.to_str().unwrap(),
            "--strict",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("buildings.geojson")
            && r.stderr.contains("feature 0")
            && r.stderr.contains("geen id"),
        "{}",
        r.stderr
    );
}

/// A plan whose amenities layer (or streets layer) is empty gave score 100
/// everywhere: missing data is onbekend, never a perfect score or geschikt.
#[test]
fn a_plan_without_amenities_or_streets_is_onbekend_not_100() {
    for layer in ["amenities", "streets"] {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
        std::fs::write(
            dir.path().join(format!("tiny/{layer}.geojson")),
            r#"{"type":"FeatureCollection","features":[]}"#,
        )
        .unwrap();
        std::fs::copy(fixture("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
        let out = dir.path().join("out");
        let r = run_in(
            dir.path(),
            &["plan", "tiny.toml", "--out", out.to_str().unwrap()],
        );
        assert_eq!(r.code, 0, "{layer}: {}", r.stderr);
        let b = read_json(&out.join("buildings.geojson"));
        let mut judged = 0;
        for f in b["features"].as_array().unwrap() {
            let p = &f["properties"];
            for g in ["gezinnen", "ouderen", "starters", "studenten"] {
                let v = &p[format!("verdict_{g}")];
                if v.is_null() {
                    continue;
                }
                judged += 1;
                assert!(
                    v == "onbekend" || v == "ongeschikt",
                    "{layer}: {} {g}: {v}",
                    p["building_id"]
                );
                let score = p[format!("score_{g}")].as_f64().unwrap();
                assert!(score < 100.0, "{layer}: {} {g}: {score}", p["building_id"]);
            }
        }
        assert!(judged > 0, "{layer}: no building judged");
    }
}
