//! The query commands on the hand-made fixture, whose distances can be worked out by
//! hand (tests/fixtures/make_tiny.py draws it in RD metres).

use crate::util::*;
use serde_json::Value;
use std::path::Path;

fn json_of(args: &[&str]) -> Value {
    let r = run(args);
    assert_eq!(r.code, 0, "{args:?}\n{}{}", r.stdout, r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

#[test]
fn reach_distances_are_worked_out_by_hand() {
    let tiny = fixture("tiny.toml");
    let v = json_of(&[
        "reach",
        tiny.to_str().unwrap(),
        "--from",
        "home-east",
        "--group",
        "gezinnen",
        "--json",
    ]);
    let row = |kind: &str| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == kind)
            .unwrap()
            .clone()
    };
    // home-east's anchor (121355, 487010): 10 m to Dwarsstraat, 155 m west to the crossing,
    // 150 m north, 5 m to the supermarket.
    assert_eq!(row("supermarket")["metres"], 320.0);
    // Along Dwarsstraat 25 m east to the playground's connector (5 m).
    assert_eq!(row("playground")["metres"], 40.0);
    assert_eq!(row("playground")["met"], true);
    // 10 + 155 + 180 south + 5.
    assert_eq!(row("primary_school")["metres"], 350.0);
    // 4.0 km/h: 350 m is 5.25 min.
    assert_eq!(row("primary_school")["minutes"], 5.3);
    // A need with no amenity of its kind in the map is onbekend (null), not "no".
    assert!(row("daycare")["met"].is_null(), "{}", row("daycare"));
    assert!(row("daycare")["metres"].is_null());
}

#[test]
fn reach_writes_routes_that_end_at_the_amenity() {
    let dir = tempfile::tempdir().unwrap();
    let routes = dir.path().join("routes.geojson");
    let tiny = fixture("tiny.toml");
    let r = run(&[
        "reach",
        tiny.to_str().unwrap(),
        "--from",
        "home-east",
        "--route-out",
        routes.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = read_json(&routes);
    let by_id = features_by_id(&v);
    assert_eq!(by_id.len(), 3, "supermarket, school, playground");
    let sm = &by_id["route/supermarket"];
    assert_eq!(sm["properties"]["metres"], 320.0);
    assert_eq!(sm["geometry"]["type"], "LineString");
}

#[test]
fn site_explains_the_nightclub_knock_out_with_numbers() {
    let tiny = fixture("tiny.toml");
    let v = json_of(&["site", tiny.to_str().unwrap(), "home-west", "--json"]);
    let g = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "gezinnen")
        .unwrap();
    assert_eq!(g["verdict"], "ongeschikt");
    let c = g["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "horeca_3")
        .unwrap();
    assert_eq!(c["status"], "fail");
    assert_eq!(c["knockout"], true);
    // home-west's nearest corner (121030, 487005) to the nightclub (121040, 486995):
    // 14.1 m (from its anchor (121025, 487010): 21.2 m).
    assert_eq!(c["reason"], "nachtclub De Nacht op 14 m (minimaal 150 m)");
    // The same building by LON,LAT: RD (121025, 487010), inside it (pyproj).
    let v2 = json_of(&[
        "site",
        tiny.to_str().unwrap(),
        "4.8883368,52.3699176",
        "--json",
    ]);
    assert_eq!(v2["building_id"], "home-west");
}

#[test]
fn sites_rank_the_vacant_shop_and_the_office() {
    let tiny = fixture("tiny.toml");
    let v = json_of(&["sites", tiny.to_str().unwrap(), "--json"]);
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["building_id"].as_str().unwrap())
        .collect();
    // The vacant shop; the shop plint of the mixed building (homes above it stay
    // homes: only the plint is a site); the office.
    assert_eq!(ids, ["shop-vacant", "shop-with-homes", "office"]);
    assert_eq!(v[1]["site_type"], "aanloopstraat");
    let office = &v[2];
    assert!(
        office["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str().unwrap().starts_with("monument"))
    );
    // 20 x 20 m x 5 floors x 0.8 usable / 55 m2 per starter home = 29.
    assert_eq!(office["homes"], 29);
}

#[test]
fn isochrone_grows_with_the_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("iso.geojson");
    let tiny = fixture("tiny.toml");
    let r = run(&[
        "isochrone",
        tiny.to_str().unwrap(),
        "--from",
        "home-east",
        "--minutes",
        "1,3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // One geometry type per layer: the bands as polygons in FILE, the reached
    // street pieces as lines beside it; each with its QGIS style (same stem).
    let v = read_json(&out);
    let mut areas: Vec<&Value> = v["features"].as_array().unwrap().iter().collect();
    assert!(
        areas
            .iter()
            .all(|f| f["geometry"]["type"] == "MultiPolygon")
    );
    let streets = read_json(&dir.path().join("iso.straten.geojson"));
    let lines = streets["features"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert!(
        lines
            .iter()
            .all(|f| f["geometry"]["type"] == "MultiLineString")
    );
    for (qml, symbol) in [
        ("iso.qml", "type=\"fill\""),
        ("iso.straten.qml", "type=\"line\""),
    ] {
        let text = std::fs::read_to_string(dir.path().join(qml)).unwrap();
        assert!(text.contains("attr=\"minutes\""), "{qml}");
        assert_eq!(text.matches("<range ").count(), 2, "{qml}");
        assert_eq!(text.matches(symbol).count(), 2, "{qml}");
        assert!(text.contains("label=\"1 – 3 min lopen\""), "{qml}");
    }
    for name in [
        "iso.geojson",
        "iso.qml",
        "iso.straten.geojson",
        "iso.straten.qml",
    ] {
        assert!(
            r.stdout.contains(name),
            "the message names {name}: {}",
            r.stdout
        );
    }
    assert_eq!(areas.len(), 2);
    // The largest band first, so the nearer band is drawn over it.
    areas.reverse();
    // 1 min at 4.8 km/h (starters, the fixture's map group) = 80 m.
    assert_eq!(areas[0]["properties"]["metres"], 80.0);
    // A style of the user's beside: refused before anything is written.
    std::fs::write(dir.path().join("eigen.qml"), "<qgis/>").unwrap();
    let r = run(&[
        "isochrone",
        tiny.to_str().unwrap(),
        "--from",
        "home-east",
        "--out",
        dir.path().join("eigen.geojson").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("eigen.qml"), "{}", r.stderr);
    assert!(!dir.path().join("eigen.geojson").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("eigen.qml")).unwrap(),
        "<qgis/>"
    );
    let r = run(&[
        "isochrone",
        tiny.to_str().unwrap(),
        "--from",
        "home-east",
        "--minutes",
        "0",
    ]);
    assert_eq!(r.code, 2);
}

#[test]
fn suggest_puts_a_daycare_where_it_reaches_the_homes() {
    let tiny = fixture("tiny.toml");
    let v = json_of(&[
        "suggest",
        tiny.to_str().unwrap(),
        "--amenity",
        "daycare",
        "--count",
        "2",
        "--group",
        "gezinnen",
        "--json",
    ]);
    // Homes are dwellings: the two residential buildings and the homes above
    // the shop, estimated from their floor area (90 m² each), not 3 buildings.
    let homes = v["homes"].as_u64().unwrap();
    assert!(homes > 3, "{homes} dwellings");
    assert_eq!(v["homes_covered_before"], 0);
    let picks = v["suggestions"].as_array().unwrap();
    // Every home lies within 10 minutes (667 m) of the crossing: one pick covers all.
    assert_eq!(picks.len(), 1);
    assert_eq!(picks[0]["homes_gained"].as_u64(), Some(homes));
    assert_eq!(picks[0]["share_after"], 1.0);
    let r = run(&[
        "suggest",
        tiny.to_str().unwrap(),
        "--amenity",
        "spaceport",
        "--count",
        "1",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("onbekende soort"), "{}", r.stderr);
}

#[test]
fn zones_writes_only_the_zoning() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("z");
    let tiny = fixture("tiny.toml");
    let r = run(&[
        "zones",
        tiny.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".binnenstad-output", "zones.geojson", "zones.qml"]);
    let v = read_json(&out.join("zones.geojson"));
    let zones: Vec<&str> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["zone"].as_str().unwrap())
        .collect();
    assert!(
        zones.contains(&"reuring") && zones.contains(&"rust"),
        "{zones:?}"
    );
}

#[test]
fn unknown_group_and_building_are_usage_errors() {
    let tiny = fixture("tiny.toml");
    let r = run(&["sites", tiny.to_str().unwrap(), "--group", "astronauten"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("astronauten") && r.stderr.contains("gezinnen"),
        "{}",
        r.stderr
    );
    let r = run(&["site", tiny.to_str().unwrap(), "no-such-building"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-such-building"), "{}", r.stderr);
}

/// Runs the binary with stdout going to `stdout`; returns exit code and stderr.
fn run_with_stdout(args: &[&str], stdout: std::process::Stdio) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_binnenstad"))
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    (out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_closed_pipe_ends_quietly_and_a_full_disk_is_an_error() {
    let tiny = fixture("tiny.toml");
    let tiny = tiny.to_str().unwrap();
    for args in [
        &["sites", tiny, "--json"][..],
        &["sites", tiny],
        &["site", tiny, "home-east"],
        &["reach", tiny, "--from", "home-east", "--json"],
        &["compare", tiny, tiny],
        &["check", tiny],
    ] {
        // A pipe whose reader is gone before the run starts: every write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let (code, stderr) = run_with_stdout(args, writer.into());
        assert_eq!(code, 0, "{args:?} into a closed pipe:\n{stderr}");
        assert!(
            !stderr.contains("error") && !stderr.contains("schrijven"),
            "{args:?}: {stderr}"
        );
        if Path::new("/dev/full").exists() {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let (code, stderr) = run_with_stdout(args, full.into());
            assert_eq!(code, 2, "{args:?} > /dev/full:\n{stderr}");
            assert!(
                stderr.contains("kan niet naar de standaarduitvoer schrijven"),
                "{args:?}: {stderr}"
            );
        }
    }
}

#[test]
fn control_characters_from_the_data_are_escaped_in_tables() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
    std::fs::copy(fixture("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
    let path = dir.path().join("tiny/buildings.geojson");
    let mut v = read_json(&path);
    for f in v["features"].as_array_mut().unwrap() {
        f["properties"]["name"] = Value::from("Evil\u{1b}[2J\u{0}\rname\u{202e}");
    }
    std::fs::write(&path, v.to_string()).unwrap();
    for args in [
        &["sites", "tiny.toml"][..],
        &["site", "tiny.toml", "shop-vacant"],
        &["check", "tiny.toml"],
    ] {
        let r = run_in(dir.path(), args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        for text in [&r.stdout, &r.stderr] {
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' || c == '\u{202e}'),
                "{args:?}: a raw control character in {text:?}"
            );
        }
        if args[0] != "check" {
            assert!(
                r.stdout.contains("Evil\\u{1b}[2J\\u{0}\\u{d}name"),
                "{args:?}: {}",
                r.stdout
            );
        }
    }
}

#[test]
fn a_stderr_that_cannot_be_written_is_no_panic() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let tiny = fixture("tiny.toml");
    for (args, expected) in [
        (vec!["sites", tiny.to_str().unwrap()], 0),
        (vec!["sites", "no-such-scenario.toml"], 2),
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_binnenstad"))
            .args(&args)
            .env("RUST_BACKTRACE", "0")
            .stdout(std::process::Stdio::null())
            .stderr(full)
            .status()
            .unwrap();
        assert_eq!(out.code(), Some(expected), "{args:?}");
    }
}

/// Case 08b: street/bridge passes over the main network without meeting it, a
/// cut-off part the run warns about, holding one home. `suggest` used to put
/// the supermarket there ("street street/bridge at 0 m", serving that one
/// home); candidates on cut-off parts are now left out and the homes there named.
#[test]
fn suggest_leaves_out_candidates_on_cut_off_parts_and_names_their_homes() {
    let scenario = fixture("network/08b-crossings-noded/scenario.toml");
    let v = json_of(&[
        "suggest",
        scenario.to_str().unwrap(),
        "--amenity",
        "supermarket",
        "--count",
        "2",
        "--json",
    ]);
    let picks = v["suggestions"].as_array().unwrap();
    assert!(
        picks
            .iter()
            .all(|p| !p["candidate"].as_str().unwrap().contains("street/bridge")),
        "{picks:?}"
    );
    // street/bridge is 400 m: candidates every 50 m, 0..=400 m.
    assert_eq!(v["candidates_off_network"], 9);
    assert_eq!(v["homes_off_network"], serde_json::json!(["home-bridge"]));
    // home-c and home-t are within reach already; home-bridge cannot be reached.
    assert!(picks.is_empty(), "{picks:?}");
    let r = run(&[
        "suggest",
        scenario.to_str().unwrap(),
        "--amenity",
        "supermarket",
        "--count",
        "2",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("home-bridge"), "{}", r.stdout);
    assert!(r.stdout.contains("9 kandidaten op een"), "{}", r.stdout);
}

/// A route from a start on a cut-off part (case 08b's street/bridge) is named
/// as such, in the table and in JSON (`start_off_network_m`: that part's length).
#[test]
fn reach_names_a_start_on_a_cut_off_part() {
    let scenario = fixture("network/08b-crossings-noded/scenario.toml");
    let args = |json: bool| {
        let mut a = vec![
            "reach".to_string(),
            scenario.to_str().unwrap().to_string(),
            "--from".into(),
            "4.89238,52.3699".into(),
        ];
        if json {
            a.push("--json".into());
        }
        a
    };
    let v = json_of(&args(true).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(v["start_off_network_m"], 400.0);
    let r = run(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        r.stdout.contains("afgesneden stuk straat (400 m)"),
        "{}",
        r.stdout
    );
    let v = json_of(&[
        "reach",
        scenario.to_str().unwrap(),
        "--from",
        "4.8905,52.36984",
        "--json",
    ]);
    assert!(v["start_off_network_m"].is_null());
}

/// The sites table on Amsterdam: whole column names, and a name longer than
/// its column ends in a mark instead of being cut silently.
#[test]
fn sites_table_marks_a_cut_name() {
    let r = run(&["sites", "scenarios/amsterdam-centrum.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let header = r.stdout.lines().next().unwrap();
    assert!(
        header.contains("potentie") && header.contains("woningen"),
        "{header}"
    );
    assert!(
        r.stdout.contains("Nieuwe Sint Pieterspoort 2-…"),
        "{}",
        r.stdout
    );
}
