//! The walking network against networkx on a tiny shared network.
//!
//! `tests/oracle/network_networkx.py` computed `network_expected.json` from
//! `network_fixture.json` (and `network_junctions_expected.json` from
//! `network_junctions_fixture.json`) with an independent implementation (every vertex a
//! node, brute-force edge snapping, networkx multi-source Dijkstra); this test
//! needs no Python.

use binnenstad::error::Diagnostic;
use binnenstad::model::{Amenity, AmenityKind, Building, BuildingUse, Grade, Street};
use binnenstad::network::{WalkNetwork, distances};
use binnenstad::scenario::NetworkSettings;
use geo::{Coord, LineString, MultiPolygon, Point, Polygon};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/oracle/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("json")
}

fn square(id: &str, x: f64, y: f64) -> Building {
    let ring: Vec<Coord<f64>> = [
        (-1.0, -1.0),
        (1.0, -1.0),
        (1.0, 1.0),
        (-1.0, 1.0),
        (-1.0, -1.0),
    ]
    .iter()
    .map(|(dx, dy)| Coord {
        x: x + dx,
        y: y + dy,
    })
    .collect();
    Building::new(
        id,
        MultiPolygon(vec![Polygon::new(LineString(ring), vec![])]),
        BuildingUse::Residential,
    )
}

/// The fixture's streets; a walkable area (`rings`, a square mapped as a
/// multipolygon) becomes one line per ring, `id#k`, and its inner rings that
/// no line meets are left out by the loader's rule, as for a Polygon street.
fn streets(fx: &Value) -> Vec<Street> {
    let line = |c: &Value| {
        LineString(
            c.as_array()
                .unwrap()
                .iter()
                .map(|c| Coord {
                    x: c[0].as_f64().unwrap(),
                    y: c[1].as_f64().unwrap(),
                })
                .collect(),
        )
    };
    let mut out = Vec::new();
    let mut inner = Vec::new();
    for s in fx["streets"].as_array().unwrap() {
        let id = s["id"].as_str().unwrap();
        let grade = Grade {
            bridge: s["bridge"].as_bool().unwrap_or(false),
            tunnel: s["tunnel"].as_bool().unwrap_or(false),
            layer: s["layer"].as_i64().unwrap_or(0) as i32,
            level: None,
        };
        let parts: Vec<(String, LineString<f64>)> = match s["rings"].as_array() {
            Some(rings) => rings
                .iter()
                .enumerate()
                .map(|(k, r)| (format!("{id}#{k}"), line(r)))
                .collect(),
            None => vec![(id.to_string(), line(&s["coords"]))],
        };
        for (k, (id, line)) in parts.into_iter().enumerate() {
            if k > 0 {
                inner.push(out.len());
            }
            out.push(Street {
                id,
                line,
                highway: None,
                name: None,
                grade: grade.clone(),
            });
        }
    }
    binnenstad::io::load::drop_unjoined_rings(out, &inner)
}

/// Plans the fixture and compares every building and kind with networkx;
/// returns the number of pairs compared and the diagnostics.
fn compare(fx: &Value, expected: &Value, settings: &NetworkSettings) -> (usize, Vec<Diagnostic>) {
    let streets = streets(fx);
    let f = |v: &Value, k: &str| v[k].as_f64().unwrap();
    let buildings: Vec<Building> = fx["buildings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| square(b["id"].as_str().unwrap(), f(b, "x"), f(b, "y")))
        .collect();
    let amenities: Vec<Amenity> = fx["amenities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| Amenity {
            id: a["id"].as_str().unwrap().into(),
            point: Point::new(f(a, "x"), f(a, "y")),
            kind: AmenityKind::parse(a["kind"].as_str().unwrap()).unwrap(),
            name: None,
        })
        .collect();
    let (net, mut diags) = WalkNetwork::build(&streets, settings);
    let (kd, walk_diags) = distances(&net, &buildings, &amenities, settings);
    diags.extend(walk_diags);
    let mut checked = 0;
    for k in &kd {
        for (i, b) in buildings.iter().enumerate() {
            let want = &expected[&b.id][k.kind.as_str()];
            match (k.metres(i), want.is_null()) {
                (None, true) => {}
                (Some(m), false) => {
                    let w = want["metres"].as_f64().unwrap();
                    // Distances are kept in single precision (a relative
                    // 6e-8: 0.02 mm at 300 m).
                    assert!(
                        (m - w).abs() < 1e-6 + w * f64::from(f32::EPSILON),
                        "{} {}: rust {m}, networkx {w}",
                        b.id,
                        k.kind
                    );
                    let j = k.nearest(i).unwrap() as usize;
                    assert_eq!(
                        amenities[j].id,
                        want["nearest"].as_str().unwrap(),
                        "{} {}",
                        b.id,
                        k.kind
                    );
                }
                (got, _) => panic!("{} {}: rust {got:?}, networkx {want}", b.id, k.kind),
            }
            checked += 1;
        }
    }
    (checked, diags)
}

fn settings(fx: &Value, node_crossings: bool) -> NetworkSettings {
    NetworkSettings {
        snap_tolerance_m: fx["snap_tolerance_m"].as_f64().unwrap(),
        max_connector_m: fx["max_connector_m"].as_f64().unwrap(),
        node_crossings,
        ..NetworkSettings::default()
    }
}

#[test]
fn distances_match_networkx() {
    let fx = load("network_fixture.json");
    let expected = load("network_expected.json");
    let settings = settings(&fx, false);
    let (checked, diags) = compare(&fx, &expected["buildings"], &settings);
    assert_eq!(checked, 33, "the data-driven test ran");
    assert!(diags.iter().any(|d| d.code == "island"));
    assert!(diags.iter().any(|d| d.code == "unreachable_connector"));
}

/// T-junctions with no vertex where they land, a near miss within the
/// tolerance and one beyond it, a line ending on itself, a bridge over the
/// street and a path ending under it, a multipolygon square (its outer ring
/// reached by a street ending on it with no vertex there; a building beyond
/// it walks round the outline, one in the fountain reaches nothing); with
/// crossings noded and not.
#[test]
fn junctions_match_networkx() {
    let fx = load("network_junctions_fixture.json");
    let expected = load("network_junctions_expected.json");
    let mut checked = 0;
    for crossings in [false, true] {
        let want = &expected[format!("node_crossings={crossings}")];
        let (n, diags) = compare(&fx, want, &settings(&fx, crossings));
        checked += n;
        // t_beyond stops 0.8 m short: an island, its building named.
        assert!(diags.iter().any(|d| d.code == "island"
            && d.feature.as_ref().and_then(|f| f.id.as_deref()) == Some("on_t_beyond")));
    }
    assert_eq!(checked, 2 * 11 * 3, "the data-driven test ran");
}
