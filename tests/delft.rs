//! The Dutch residential town area (Delft, TU-wijk and Wippolder; maps/delft-tu):
//! real Dutch buildings read right. Sheds and garages are no homes, every BAG id
//! has its 16 digits, and neighbourhood green mapped as grass counts as green.

use crate::util::*;

#[test]
fn sheds_garages_ids_and_green_on_the_delft_map() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let r = run(&[
        "plan",
        "scenarios/delft-tu.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b = read_json(&out.join("buildings.geojson"));
    let features = b["features"].as_array().unwrap();
    let mut sheds = 0;
    for f in features {
        let p = &f["properties"];
        let id = p["building_id"].as_str().unwrap();
        // BAG pand ids: 16 digits (2,417 of them lost their zero in OSM).
        if id.chars().all(|c| c.is_ascii_digit()) {
            assert_eq!(id.len(), 16, "{id}");
        }
        // A shed or a garage has no housing verdict at all: null, not ongeschikt,
        // and no dwellings.
        if matches!(p["building"].as_str(), Some("shed" | "garage" | "garages")) {
            sheds += 1;
            assert_eq!(p["non_dwelling"], true, "{id}");
            for g in ["gezinnen", "ouderen", "starters", "studenten"] {
                assert!(p[format!("verdict_{g}")].is_null(), "{id} {g}");
            }
            assert_eq!(p["dwellings"], 0, "{id}");
        }
    }
    assert!(sheds > 800, "{sheds} sheds and garages");
    // A business within its VNG guide distance: the building's vng_conflicts
    // and its reasons give the same metres ("29 m (richtafstand 30 m)", not 30
    // in one and 29 in the other; review: building 0503100000001941).
    let mut conflicts = 0;
    for f in features {
        let p = &f["properties"];
        let vng = p["vng_conflicts"].as_str().unwrap_or("");
        for hit in vng.split("; ").filter(|h| !h.is_empty()) {
            conflicts += 1;
            let (_, at) = hit.split_once(" op ").unwrap();
            for g in ["gezinnen", "ouderen", "starters", "studenten"] {
                if let Some(reasons) = p[format!("reasons_{g}")].as_str() {
                    assert!(
                        reasons.contains(&format!(" op {at}")),
                        "{hit} / {g}: {reasons}"
                    );
                }
            }
        }
    }
    assert!(
        conflicts > 0,
        "Delft has businesses within their guide distance"
    );
    // Green: the amenities used include landuse=grass (of playing-field size).
    let a = read_json(&out.join("amenities.geojson"));
    let grass = a["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "park")
        .count();
    let map = read_json(&root().join("maps/delft-tu/amenities.geojson"));
    let grass_in_map = map["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["osm_tag"] == "landuse=grass")
        .count();
    assert!(grass_in_map > 10, "{grass_in_map} landuse=grass");
    assert!(grass >= grass_in_map);
    // Homes are dwellings: more than the residential buildings.
    let s = read_json(&out.join("summary.json"));
    let cov = &s["coverage"][0];
    let homes = cov["homes_inside"].as_u64().unwrap()
        + cov["homes_outside"].as_u64().unwrap()
        + cov["homes_unknown"].as_u64().unwrap();
    let residential = s["buildings_by_use"]["residential"].as_u64().unwrap();
    assert!(
        homes > residential,
        "{homes} dwellings, {residential} residential buildings"
    );
    // Walking reach counts a home whose need is onbekend (no supermarket
    // within reach in the map, but the import box ends nearer) as onbekend,
    // not as outside (review: 2,570 of 2,583 Gezinnen homes "buiten bereik"
    // of a supermarket were onbekend in their own verdicts), and a need its
    // verdict calls met (5.04 min for 5: minutes as shown) as inside. Each
    // figure is recounted from the buildings layer's own lists.
    let buildings = read_json(&out.join("buildings.geojson"));
    let mut rows = 0;
    for c in s["coverage"].as_array().unwrap() {
        if c["data"] != "ok" {
            continue;
        }
        let (g, kind) = (c["group"].as_str().unwrap(), c["kind"].as_str().unwrap());
        let (mut inside, mut outside, mut unknown) = (0, 0, 0);
        for f in buildings["features"].as_array().unwrap() {
            let p = &f["properties"];
            let n = p["dwellings"].as_u64().unwrap_or(0);
            if n == 0 || p["non_dwelling"] == true {
                continue;
            }
            let listed = |list: &str| {
                p[format!("{list}_{g}")]
                    .as_str()
                    .unwrap_or("")
                    .split(", ")
                    .any(|k| k == kind)
            };
            if listed("needs_unknown") {
                unknown += n;
            } else if listed("needs_unmet") {
                outside += n;
            } else {
                inside += n;
            }
        }
        let figure = |k: &str| c[k].as_u64().unwrap();
        assert_eq!(
            (
                figure("homes_inside"),
                figure("homes_outside"),
                figure("homes_unknown")
            ),
            (inside, outside, unknown),
            "{c}"
        );
        rows += 1;
    }
    assert!(rows > 10, "{rows} coverage rows with data");
    // kaart.html's walking-reach menu gives no share where the report says
    // onbekend (geen data) (review: "basisschool (≤ 10 min, 13 % van de
    // woningen)" for 2 mapped schools), and the report's share otherwise.
    let html = std::fs::read_to_string(out.join("kaart.html")).unwrap();
    let start = html.find(r#"id="kaart-data">"#).unwrap() + r#"id="kaart-data">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    let menu = data["coverage"].as_array().unwrap();
    let summary_rows = s["coverage"].as_array().unwrap();
    assert_eq!(menu.len(), summary_rows.len());
    let mut gaps = 0;
    for (m, c) in menu.iter().zip(summary_rows) {
        assert_eq!((&m[0], &m[1]), (&c["group"], &c["kind"]));
        if c["data"] == "ok" {
            assert_eq!(
                m[3].as_f64(),
                c["share_inside"].as_f64(),
                "{} {}",
                m[0],
                m[1]
            );
        } else {
            assert!(m[3].is_null(), "{} {}: {}", m[0], m[1], m[3]);
            gaps += 1;
        }
    }
    assert!(gaps > 0, "Delft lacks data for some needs");
    let super_gezinnen = coverage_row(&s, "gezinnen", "supermarket");
    assert!(
        super_gezinnen["homes_unknown"].as_u64().unwrap() > 1000,
        "{super_gezinnen}"
    );
    assert!(
        super_gezinnen["homes_outside"].as_u64().unwrap() < 100,
        "{super_gezinnen}"
    );
    // An industrial hall whose storeys OSM does not give got 50 starters homes
    // from 3 assumed storeys: one storey now, the range in the conditions.
    let sites = read_json(&out.join("sites.geojson"));
    let hall = sites["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["properties"])
        .find(|p| p["building_id"] == "0503100000032526")
        .expect("the hall is a site");
    assert!(hall["best_homes"].as_u64().unwrap() <= 20, "{hall}");
    assert!(
        hall["conditions"]
            .as_str()
            .unwrap()
            .contains("hal: bouwlagen niet in de data, 1 bouwlaag aangenomen: woningen geschat"),
        "{hall}"
    );
    // The headline total says how much of it sits in sites marked
    // "controleren": recounted from the sites layer's own conditions (Delft's
    // shopping centre Leeuwenstein: 883 of the 1,460 homes).
    let (mut check, mut check_homes) = (0u64, 0u64);
    for f in sites["features"].as_array().unwrap() {
        let p = &f["properties"];
        if p["conditions"]
            .as_str()
            .unwrap()
            .starts_with("controleren: ")
        {
            check += 1;
            check_homes += p["best_homes"].as_u64().unwrap();
        }
    }
    assert!(check > 0, "Delft has a site to check");
    assert_eq!(s["sites"]["sites_to_check"].as_u64(), Some(check));
    assert_eq!(s["sites"]["homes_to_check"].as_u64(), Some(check_homes));
    let total = s["sites"]["homes_best_group"].as_u64().unwrap();
    assert!(
        r.stdout.contains(&format!(
            "samen {} woningen voor hun beste doelgroep (waarvan {} in {} {} om te controleren: meer dan 100 woningen in één gebouw voor een doelgroep)",
            nl(total),
            nl(check_homes),
            check,
            if check == 1 { "locatie" } else { "locaties" }
        )),
        "{}",
        r.stdout
    );
    // A site's best group is one the building is geschikt for whenever a
    // group with homes there is: a voorwaardelijk group scoring 100 on the
    // few needs it can be judged on does not win over it (Minervaplein 3 gave
    // 1 home for ouderen, voorwaardelijk with 5 of 7 needs onbekend, over
    // starters, geschikt).
    let verdicts = features_by_id(&b);
    let mut checked = 0;
    for f in sites["features"].as_array().unwrap() {
        let p = &f["properties"];
        let id = p["building_id"].as_str().unwrap();
        let building = &verdicts[id]["properties"];
        let geschikt_with_homes =
            ["gezinnen", "ouderen", "starters", "studenten"]
                .iter()
                .any(|g| {
                    building[format!("verdict_{g}")] == "geschikt"
                        && p[format!("homes_{g}")].as_u64().unwrap_or(0) > 0
                });
        // Marked "controleren" exactly when a group that may live there gets
        // more than 100 homes, the best group or another (Rijnweg 1: 90 for
        // gezinnen, 139 for starters).
        let most = ["gezinnen", "ouderen", "starters", "studenten"]
            .iter()
            .filter(|g| {
                matches!(
                    building[format!("verdict_{g}")].as_str(),
                    Some("geschikt" | "voorwaardelijk")
                )
            })
            .filter_map(|g| p[format!("homes_{g}")].as_u64())
            .max()
            .unwrap_or(0);
        assert_eq!(
            p["conditions"]
                .as_str()
                .unwrap()
                .starts_with("controleren: "),
            most > 100,
            "{id}: {p}"
        );
        if geschikt_with_homes {
            checked += 1;
            let best = p["best_group"].as_str().unwrap();
            assert_eq!(building[format!("verdict_{best}")], "geschikt", "{id}: {p}");
        }
    }
    assert!(checked > 5, "{checked} sites with a geschikt group");
    // Campus buildings (landmark education) are no sites and say why.
    for f in features {
        let p = &f["properties"];
        if p["landmark"] == "education" && p["non_dwelling"] == false {
            assert_eq!(p["verdict_starters"], "ongeschikt", "{}", p["building_id"]);
            assert!(
                p["reasons_starters"]
                    .as_str()
                    .unwrap()
                    .starts_with("onderwijsinstelling (education)")
            );
        }
    }
}
