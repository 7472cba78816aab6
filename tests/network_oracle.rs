//! The walking network against networkx on a tiny shared network.
//!
//! `tests/oracle/network_networkx.py` computed `network_expected.json` from
//! `network_fixture.json` with an independent implementation (every vertex a
//! node, brute-force edge snapping, networkx multi-source Dijkstra); this test
//! needs no Python.

use binnenstad::model::{Amenity, AmenityKind, Building, BuildingUse, Street};
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

#[test]
fn distances_match_networkx() {
    let fx = load("network_fixture.json");
    let expected = load("network_expected.json");
    let streets: Vec<Street> = fx["streets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Street {
            id: s["id"].as_str().unwrap().into(),
            line: LineString(
                s["coords"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| Coord {
                        x: c[0].as_f64().unwrap(),
                        y: c[1].as_f64().unwrap(),
                    })
                    .collect(),
            ),
            highway: None,
            name: None,
            grade: Default::default(),
        })
        .collect();
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
    let settings = NetworkSettings {
        snap_tolerance_m: f(&fx, "snap_tolerance_m"),
        max_connector_m: f(&fx, "max_connector_m"),
        ..NetworkSettings::default()
    };
    let (net, net_diags) = WalkNetwork::build(&streets, &settings);
    assert!(net_diags.iter().any(|d| d.code == "island"));
    let (kd, diags) = distances(&net, &buildings, &amenities, &settings);
    assert!(diags.iter().any(|d| d.code == "unreachable_connector"));
    let mut checked = 0;
    for k in &kd {
        for (i, b) in buildings.iter().enumerate() {
            let want = &expected["buildings"][&b.id][k.kind.as_str()];
            match (k.metres[i], want.is_null()) {
                (None, true) => {}
                (Some(m), false) => {
                    let w = want["metres"].as_f64().unwrap();
                    assert!(
                        (m - w).abs() < 1e-6,
                        "{} {}: rust {m}, networkx {w}",
                        b.id,
                        k.kind
                    );
                    let j = k.nearest[i].unwrap() as usize;
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
    assert_eq!(checked, 33, "the data-driven test ran");
}
