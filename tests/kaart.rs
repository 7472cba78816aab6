//! kaart.html in a real browser: Debian's Chromium, driven by playwright-core
//! (tests/browser/kaart.mjs; `npm ci` in tests/browser installs it), clicks a
//! known Amsterdam building and reads the panel; the reasons must be the ones
//! buildings.geojson holds. Screenshots land in
//! `target/tmp/clients/amsterdam-geojson/kaart-*.png`.
//!
//! Skipped without chromium, node or playwright-core, unless
//! BINNENSTAD_REQUIRE_CLIENTS=1 (CI).

use crate::clients::{amsterdam_geojson, ink};
use crate::util::*;
use serde_json::Value;

/// Staalkade 1: a named building with reasons for every group (a nightclub
/// too close for families, the plint in the kernwinkelgebied, walking times).
const BUILDING: &str = "0363020000818150";

fn playwright() -> Option<std::path::PathBuf> {
    let dir = root().join("tests/browser/node_modules/playwright-core");
    client(
        "playwright-core (run `npm ci` in tests/browser)",
        dir.is_dir().then_some(dir),
    )
}

#[test]
fn a_planner_clicks_a_building_in_kaart_html_and_reads_why() {
    let Some(chromium) = client("chromium", on_path(&["chromium", "chromium-browser"])) else {
        return;
    };
    let Some(node) = client("node (nodejs)", on_path(&["node", "nodejs"])) else {
        return;
    };
    if playwright().is_none() {
        return;
    }
    let out = amsterdam_geojson();
    // The page alone, copied away from the other outputs: it needs nothing beside it.
    let alone = tempfile::tempdir().unwrap();
    let page = alone.path().join("kaart.html");
    std::fs::copy(out.join("kaart.html"), &page).unwrap();
    for shot in ["kaart-gebouw.png", "kaart-locatie.png", "kaart-bereik.png"] {
        let _ = std::fs::remove_file(out.join(shot));
    }
    let t = tool(
        &node,
        &[
            root().join("tests/browser/kaart.mjs").to_str().unwrap(),
            page.to_str().unwrap(),
            BUILDING,
            out.to_str().unwrap(),
            chromium.to_str().unwrap(),
        ],
        &[],
    );
    assert!(t.ok, "node kaart.mjs:\n{}{}", t.stdout, t.stderr);
    let r: Value = serde_json::from_str(t.stdout.trim())
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", t.stdout, t.stderr));
    assert!(r.get("error").is_none(), "{}", r["error"]);
    assert_eq!(
        r["requests_outside"],
        serde_json::json!([]),
        "the page went online"
    );
    assert_eq!(r["console_errors"], serde_json::json!([]), "script errors");

    // The panel after a mouse click on the building, against buildings.geojson.
    let buildings = read_json(&out.join("buildings.geojson"));
    let features = buildings["features"].as_array().unwrap();
    assert_eq!(r["buildings"].as_u64(), Some(features.len() as u64));
    let props = &features
        .iter()
        .find(|f| f["properties"]["building_id"] == BUILDING)
        .expect("the building is in buildings.geojson")["properties"];
    let clicked = &r["clicked"];
    assert_eq!(clicked["building"], BUILDING, "{clicked}");
    assert_eq!(clicked["title"], "Staalkade 1");
    let groups = clicked["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 4, "{clicked}");
    for g in groups {
        let key = g["group"].as_str().unwrap();
        assert_eq!(g["verdict"], props[format!("verdict_{key}")], "{key}");
        // A reason the whole map shares is short in the layer and shown with
        // its explanation (the layer's `caveats` table), as `site` prints it.
        let expected: Vec<String> = props[format!("reasons_{key}")]
            .as_str()
            .unwrap()
            .split("; ")
            .filter(|s| !s.is_empty())
            .map(|r| match buildings["caveats"][r].as_str() {
                Some(e) => match r.strip_suffix(')') {
                    Some(open) => format!("{open}: {e})"),
                    None => format!("{r} ({e})"),
                },
                None => r.to_string(),
            })
            .collect();
        let shown: Vec<&str> = g["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(shown, expected, "{key}");
        let score = props[format!("score_{key}")].as_f64().unwrap();
        assert!(
            g["text"]
                .as_str()
                .unwrap()
                .contains(&format!("score {score:.0} van 100")),
            "{g}"
        );
    }
    // The reasons for families name the nightclub that is too close.
    assert!(
        groups[0]["reasons"][0]
            .as_str()
            .unwrap()
            .starts_with("nachtclub "),
        "{}",
        groups[0]
    );
    // Walking minutes per need: whole minutes, as in the reasons (758 m at 4 km/h = 11 min).
    let minutes = clicked["minutes"].as_array().unwrap();
    let school = minutes
        .iter()
        .find(|row| row[0] == "Gezinnen" && row[1] == "basisschool")
        .expect("families' school row");
    assert_eq!(school[2], "11", "{school}");
    assert_eq!(school[4], "✗");
    let daycare = minutes
        .iter()
        .find(|row| row[1] == "kinderopvang")
        .expect("daycare row");
    assert_eq!(
        daycare[2], "geen data",
        "no daycare in the map: unknown, not failed"
    );

    // The sites table: every site, and a click on the first row shows site #1.
    let sites = read_json(&out.join("sites.geojson"));
    let n_sites = sites["features"].as_array().unwrap().len() as u64;
    assert_eq!(r["site_rows"].as_u64(), Some(n_sites));
    let site = &r["site"];
    assert!(
        site["title"].as_str().unwrap().starts_with("Locatie #1"),
        "{site}"
    );
    let text = site["text"].as_str().unwrap();
    for word in [
        "leegstand",
        "potentie",
        "Woningen per doelgroep",
        "Scorecomponenten",
    ] {
        assert!(text.contains(word), "{word} in {text}");
    }
    // Its conditions, written as numbers into the page's reasons table, read
    // as in sites.geojson; the score components each with a percentage.
    let first = &sites["features"][0]["properties"];
    for c in first["conditions"].as_str().unwrap().split("; ") {
        assert!(text.contains(c), "{c} in {text}");
    }
    let components = text
        .split("Scorecomponenten")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.trim_end().ends_with('%'))
        .count();
    assert_eq!(components, 6, "{text}");
    assert!(
        site["zoom"].as_f64().unwrap() >= 17.0,
        "zoomed to the site: {site}"
    );

    // Search by id finds and selects it.
    assert!(
        r["search"][0].as_str().unwrap().contains(BUILDING),
        "{}",
        r["search"]
    );
    assert_eq!(r["search_selected"], BUILDING);
    assert!(r["coverage_options"].as_u64().unwrap() > 0);

    for shot in ["kaart-gebouw.png", "kaart-locatie.png", "kaart-bereik.png"] {
        let png = std::fs::read(out.join(shot)).unwrap_or_else(|e| panic!("{shot}: {e}"));
        let (share, colours) = ink(&png);
        assert!(
            share > 0.3 && colours > 30,
            "{shot}: {share} inked, {colours} colours"
        );
    }
}

/// map.svg (and so map.png) on Amsterdam as resvg lays it out with the
/// embedded fonts: every site label lies inside the map frame and no two
/// overlap, measured on the rendered text.
#[test]
fn amsterdam_map_labels_are_inside_the_frame_and_do_not_overlap() {
    let svg = std::fs::read_to_string(amsterdam_geojson().join("map.svg")).unwrap();
    let mut opt = resvg::usvg::Options::default();
    for font in ["assets/DejaVuSans.ttf", "assets/DejaVuSans-Bold.ttf"] {
        opt.fontdb_mut()
            .load_font_data(std::fs::read(root().join(font)).unwrap());
    }
    let tree = resvg::usvg::Tree::from_str(&svg, &opt).unwrap();
    let mut frame = Vec::new();
    boxes_with_id(tree.root(), "map-frame", &mut frame);
    let frame = frame.first().expect("the map frame").1;
    let mut labels = Vec::new();
    boxes_with_id(tree.root(), "site-label-", &mut labels);
    assert!(labels.len() >= 5, "only {} site labels", labels.len());
    assert_labels_inside_and_apart(&labels, frame);
    // Labels read as names or homes, never as a bare BAG id.
    assert!(!svg.contains(">0363"), "a label shows a BAG id");
}
