//! Tests of the walking network: behaviours on hand-made networks, the
//! brute-force oracle on random networks, robustness and determinism.

use super::oracle::brute_distances;
use super::*;
use crate::model::{Amenity, AmenityKind, Building, BuildingUse, Grade, Street};
use crate::scenario::NetworkSettings;
use geo::{Coord, LineString, Point, Polygon};
use proptest::prelude::*;

fn street(id: &str, pts: &[(f64, f64)]) -> Street {
    Street {
        id: id.into(),
        line: LineString(pts.iter().map(|&(x, y)| Coord { x, y }).collect()),
        highway: None,
        name: None,
        grade: Default::default(),
    }
}

pub(crate) fn building(id: &str, x: f64, y: f64) -> Building {
    let h = 1.0;
    let ring = LineString(vec![
        Coord { x: x - h, y: y - h },
        Coord { x: x + h, y: y - h },
        Coord { x: x + h, y: y + h },
        Coord { x: x - h, y: y + h },
        Coord { x: x - h, y: y - h },
    ]);
    Building::new(
        id,
        geo::MultiPolygon(vec![Polygon::new(ring, vec![])]),
        BuildingUse::Residential,
    )
}

fn amenity(id: &str, kind: AmenityKind, x: f64, y: f64) -> Amenity {
    Amenity {
        id: id.into(),
        point: Point::new(x, y),
        kind,
        name: None,
    }
}

fn settings() -> NetworkSettings {
    NetworkSettings::default()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn distance_is_connector_plus_path_plus_connector() {
    // An L: (0,0)-(100,0)-(100,100). Building at (20,5), supermarket at (95,80).
    let net_streets = [
        street("a", &[(0.0, 0.0), (100.0, 0.0)]),
        street("b", &[(100.0, 0.0), (100.0, 100.0)]),
    ];
    let (net, d) = WalkNetwork::build(&net_streets, &settings());
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        (net.node_count(), net.edge_count(), net.components().len()),
        (3, 2, 1)
    );
    let b = [building("b", 20.0, 5.0)];
    let a = [amenity("s", AmenityKind::Supermarket, 95.0, 80.0)];
    let (kd, diags) = distances(&net, &b, &a, &settings());
    assert!(diags.is_empty());
    assert_eq!(kd.len(), 1);
    assert!(
        close(kd[0].metres(0), 5.0 + 80.0 + 80.0 + 5.0),
        "{:?}",
        kd[0]
    );
    assert_eq!(kd[0].nearest(0), Some(0));
}

#[test]
fn two_features_on_one_edge_walk_along_it() {
    let s = [street("a", &[(0.0, 0.0), (1000.0, 0.0)])];
    let (net, _) = WalkNetwork::build(&s, &settings());
    let b = [building("b", 400.0, 3.0)];
    let a = [amenity("x", AmenityKind::Bakery, 450.0, -4.0)];
    let (kd, _) = distances(&net, &b, &a, &settings());
    assert!(close(kd[0].metres(0), 3.0 + 50.0 + 4.0), "{:?}", kd[0]);
}

#[test]
fn nearest_geometry_not_nearest_envelope() {
    // A long diagonal whose envelope contains the point, and a short street 6 m away.
    let s = [
        street("diag", &[(0.0, 0.0), (200.0, 200.0)]),
        street("short", &[(150.0, 44.0), (170.0, 44.0)]),
    ];
    let (net, _) = WalkNetwork::build(&s, &settings());
    let snap = net.snap(Point::new(160.0, 50.0)).unwrap();
    assert_eq!(net.edge_street(snap.edge), Some(1));
    assert!((snap.connector_m - 6.0).abs() < 1e-9);
}

#[test]
fn bridges_stay_apart_unless_crossings_are_noded() {
    let s = [
        street("canal_side", &[(0.0, 0.0), (100.0, 0.0)]),
        street("bridge", &[(50.0, -50.0), (50.0, 50.0)]),
    ];
    let (net, _) = WalkNetwork::build(&s, &settings());
    assert_eq!(net.components().len(), 2);
    let noded = NetworkSettings {
        node_crossings: true,
        ..settings()
    };
    let (net, _) = WalkNetwork::build(&s, &noded);
    assert_eq!(
        (net.components().len(), net.node_count(), net.edge_count()),
        (1, 5, 4)
    );
    let b = [building("b", 0.0, 1.0)];
    let a = [amenity("p", AmenityKind::Playground, 50.0, 51.0)];
    let (kd, _) = distances(&net, &b, &a, &noded);
    assert!(close(kd[0].metres(0), 1.0 + 50.0 + 50.0 + 1.0));
}

#[test]
fn endpoints_snap_within_tolerance_only() {
    let s = [
        street("a", &[(0.0, 0.0), (100.0, 0.0)]),
        street("b", &[(100.3, 0.2), (100.3, 100.0)]),
        street("c", &[(0.0, 0.8), (0.0, 100.0)]),
    ];
    let (net, _) = WalkNetwork::build(&s, &settings());
    // a and b join (0.36 m apart); c stays 0.8 m away.
    assert_eq!(net.components().len(), 2);
    // T-junction: an endpoint near an interior vertex joins it.
    let t = [
        street("main", &[(0.0, 0.0), (50.0, 0.0), (100.0, 0.0)]),
        street("side", &[(50.2, 0.3), (50.0, 80.0)]),
    ];
    let (net, _) = WalkNetwork::build(&t, &settings());
    assert_eq!((net.components().len(), net.edge_count()), (1, 3));
}

fn graded(id: &str, pts: &[(f64, f64)], bridge: bool, layer: i32) -> Street {
    Street {
        grade: Grade {
            bridge,
            layer,
            ..Grade::default()
        },
        ..street(id, pts)
    }
}

#[test]
fn a_line_ending_on_an_interior_splits_it() {
    // The side street ends exactly on main's only segment: no vertex there.
    let t = [
        street("main", &[(0.0, 0.0), (100.0, 0.0)]),
        street("side", &[(40.0, 0.0), (40.0, 80.0)]),
    ];
    let (net, d) = WalkNetwork::build(&t, &settings());
    assert!(d.is_empty(), "{d:?}");
    assert_eq!((net.components().len(), net.edge_count()), (1, 3));
    let b = [building("b", 41.0, 70.0)];
    let a = [amenity("s", AmenityKind::Supermarket, 95.0, -1.0)];
    let (kd, _) = distances(&net, &b, &a, &settings());
    assert!(close(kd[0].metres(0), 1.0 + 70.0 + 55.0 + 1.0));
}

#[test]
fn a_near_miss_within_the_tolerance_joins_and_beyond_it_does_not() {
    let t = [
        street("main", &[(0.0, 0.0), (100.0, 0.0)]),
        street("short", &[(40.0, 0.3), (40.0, 80.0)]),
        street("far", &[(60.0, -0.6), (60.0, -80.0)]),
    ];
    let (net, _) = WalkNetwork::build(&t, &settings());
    // short joins main (its end moves 0.3 m onto main); far stays apart.
    assert_eq!((net.components().len(), net.edge_count()), (2, 4));
    let b = [building("b", 41.0, 70.0)];
    let a = [amenity("s", AmenityKind::Supermarket, 95.0, 1.0)];
    let (kd, _) = distances(&net, &b, &a, &settings());
    assert!(close(kd[0].metres(0), 1.0 + 70.0 + 55.0 + 1.0));
}

#[test]
fn two_ends_on_one_interior_point_make_one_crossroads() {
    let t = [
        street("main", &[(0.0, 0.0), (100.0, 0.0)]),
        street("north", &[(50.0, 0.2), (50.0, 50.0)]),
        street("south", &[(50.0, 0.2), (50.0, -50.0)]),
    ];
    let (net, _) = WalkNetwork::build(&t, &settings());
    assert_eq!(
        (net.components().len(), net.node_count(), net.edge_count()),
        (1, 5, 4)
    );
}

#[test]
fn a_path_ending_under_a_bridge_does_not_join_it() {
    let t = [
        graded("bridge", &[(0.0, 0.0), (100.0, 0.0)], true, 1),
        street("quay_path", &[(40.0, 0.0), (40.0, 80.0)]),
        // The bridge's own end lands on a street at ground level: not joined
        // either (different grades); bridges join at shared vertices.
        street("quay", &[(-0.2, -50.0), (-0.2, 50.0)]),
    ];
    let (net, _) = WalkNetwork::build(&t, &settings());
    assert_eq!(net.components().len(), 3);
}

#[test]
fn crossings_are_noded_only_at_the_same_grade() {
    let t = [
        street("street", &[(0.0, 0.0), (100.0, 0.0)]),
        graded("bridge", &[(50.0, -50.0), (50.0, 50.0)], true, 1),
        street("lane", &[(20.0, -50.0), (20.0, 50.0)]),
    ];
    let noded = NetworkSettings {
        node_crossings: true,
        ..settings()
    };
    let (net, _) = WalkNetwork::build(&t, &noded);
    // street and lane meet; the bridge stays apart, but a feature on it is named.
    assert_eq!(net.components().len(), 2);
    let b = [building("on_bridge", 51.0, 30.0)];
    let a = [amenity("s", AmenityKind::Supermarket, 90.0, 1.0)];
    let (kd, diags) = distances(&net, &b, &a, &noded);
    assert_eq!(kd[0].metres(0), None);
    assert!(
        diags.iter().any(|d| d.code == "island"
            && d.feature.as_ref().unwrap().id.as_deref() == Some("on_bridge")),
        "{diags:?}"
    );
}

#[test]
fn long_connector_is_unreachable_with_a_diagnostic() {
    let s = [street("a", &[(0.0, 0.0), (100.0, 0.0)])];
    let (net, _) = WalkNetwork::build(&s, &settings());
    let b = [building("near", 10.0, 10.0), building("far", 10.0, 300.0)];
    let a = [amenity("s", AmenityKind::Gp, 90.0, 10.0)];
    let (kd, diags) = distances(&net, &b, &a, &settings());
    assert!(kd[0].metres(0).is_some());
    assert_eq!(kd[0].metres(1), None);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "unreachable_connector");
    assert_eq!(diags[0].layer, "buildings");
}

#[test]
fn islands_are_reported_and_features_on_them_flagged() {
    let s = [
        street("main", &[(0.0, 0.0), (1000.0, 0.0)]),
        street("island", &[(0.0, 100.0), (50.0, 100.0)]),
    ];
    let (net, diags) = WalkNetwork::build(&s, &settings());
    assert_eq!(net.components().iter().filter(|c| c.island).count(), 1);
    assert!(
        diags
            .iter()
            .any(|d| d.code == "island" && d.layer == "streets")
    );
    let b = [building("b", 10.0, 103.0)];
    let a = [amenity("s", AmenityKind::Gp, 10.0, -3.0)];
    let (kd, diags) = distances(&net, &b, &a, &settings());
    assert_eq!(kd[0].metres(0), None);
    assert!(
        diags
            .iter()
            .any(|d| d.code == "island" && d.layer == "buildings")
    );
}

/// Two kernen: the town (2 km of street) and a village of 1.2 km, `gap` m
/// north of it, each with a house and a supermarket.
fn two_kernen(gap: f64) -> (WalkNetwork, Vec<crate::error::Diagnostic>) {
    let y = gap;
    let s = [
        street("town", &[(0.0, 0.0), (2000.0, 0.0)]),
        street("village", &[(0.0, y), (600.0, y), (600.0, y + 600.0)]),
    ];
    WalkNetwork::build(&s, &settings())
}

#[test]
fn a_kern_of_its_own_is_a_separate_network_not_a_cut_off_part() {
    let b = |y: f64| {
        [
            building("town_house", 100.0, -5.0),
            building("village_house", 100.0, y + 5.0),
        ]
    };
    let a = |y: f64| {
        [
            amenity("s_town", AmenityKind::Supermarket, 500.0, -3.0),
            amenity("s_village", AmenityKind::Supermarket, 400.0, y + 3.0),
        ]
    };
    // 2 km of open land between them: the village is a network of its own,
    // named once (by a street), its house is not named, and both houses walk
    // to their own supermarket.
    let (net, diags) = two_kernen(2000.0);
    let village = net
        .components()
        .iter()
        .find(|c| c.length_m < 1500.0)
        .unwrap();
    assert!(village.separate && !village.island, "{village:?}");
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.code == "separate_network")
            .count(),
        1
    );
    let (kd, diags) = distances(&net, &b(2000.0), &a(2000.0), &settings());
    assert!(close(kd[0].metres(0), 5.0 + 400.0 + 3.0), "{:?}", kd[0]);
    assert!(close(kd[0].metres(1), 5.0 + 300.0 + 3.0), "{:?}", kd[0]);
    assert!(diags.iter().all(|d| d.code != "island"), "{diags:?}");
    // 40 m apart (a canal without its bridge in the data): cut off, and the
    // village house is named.
    let (net, diags) = two_kernen(40.0);
    assert!(net.components().iter().all(|c| !c.separate));
    assert!(diags.iter().all(|d| d.code != "separate_network"));
    let (_, diags) = distances(&net, &b(40.0), &a(40.0), &settings());
    assert!(
        diags.iter().any(|d| d.code == "island"
            && d.feature.as_ref().unwrap().id.as_deref() == Some("village_house")),
        "{diags:?}"
    );
}

#[test]
fn a_short_lone_piece_far_away_is_cut_off_not_a_kern() {
    // 500 m of street 2 km away: too short for a kern (SEPARATE_NETWORK_MIN_M).
    let s = [
        street("town", &[(0.0, 0.0), (2000.0, 0.0)]),
        street("lone", &[(0.0, 2000.0), (500.0, 2000.0)]),
    ];
    let (net, _) = WalkNetwork::build(&s, &settings());
    assert!(net.components().iter().all(|c| !c.separate && !c.island));
    let lone = net
        .components()
        .iter()
        .position(|c| c.length_m < 1000.0)
        .unwrap();
    assert!(net.is_cut_off(lone));
}

#[test]
fn bad_input_never_panics() {
    let (net, _) = WalkNetwork::build(&[], &settings());
    let b = [building("b", 0.0, 0.0), building("nan", f64::NAN, 1.0)];
    let a = [amenity("s", AmenityKind::Gp, 1.0, 1.0)];
    let (kd, _) = distances(&net, &b, &a, &settings());
    assert_eq!((kd[0].metres(0), kd[0].metres(1)), (None, None));
    assert_eq!(
        reach(&net, Point::new(0.0, 0.0), &a, &settings()),
        Err(QueryError::EmptyNetwork)
    );
    assert!(isochrone(&net, Point::new(0.0, 0.0), &[100.0], 20.0, 250.0).is_err());
    assert!(net.snap(Point::new(0.0, 0.0)).is_none());
    let bad = [
        street("nan", &[(0.0, 0.0), (f64::NAN, 1.0)]),
        street("zero", &[(5.0, 5.0), (5.0, 5.0)]),
        street("one", &[(5.0, 5.0)]),
        street("empty", &[]),
        street("ok", &[(0.0, 0.0), (0.0, 0.0), (10.0, 0.0), (10.0, 0.0)]),
        street("inf", &[(0.0, 0.0), (f64::INFINITY, 0.0)]),
    ];
    let (net, diags) = WalkNetwork::build(&bad, &settings());
    assert_eq!(net.edge_count(), 1);
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.code == "invalid_geometry")
            .count(),
        5
    );
    let (kd, _) = distances(&net, &b, &a, &settings());
    assert!(kd[0].metres(0).is_some());
    assert!(net.snap(Point::new(f64::NAN, 0.0)).is_none());
    let cover = coverage(&net, &b, &a, HomesWalk::known(&kd), &[], &settings(), 25.0);
    assert!(cover.is_empty());
}

#[test]
fn reach_gives_the_route_and_isochrone_cuts_edges() {
    let s = [
        street("a", &[(0.0, 0.0), (100.0, 0.0)]),
        street("b", &[(100.0, 0.0), (100.0, 100.0)]),
        street("c", &[(100.0, 0.0), (200.0, 0.0)]),
    ];
    let (net, _) = WalkNetwork::build(&s, &settings());
    let a = [
        amenity("far", AmenityKind::Park, 104.0, 90.0),
        amenity("near", AmenityKind::Park, 96.0, 60.0),
        amenity("sm", AmenityKind::Supermarket, 150.0, -2.0),
    ];
    let r = reach(&net, Point::new(10.0, 5.0), &a, &settings()).unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].kind, AmenityKind::Supermarket);
    assert!(close(r[0].metres, 5.0 + 140.0 + 2.0));
    assert_eq!(r[1].amenity, Some(1));
    assert!(close(r[1].metres, 5.0 + 90.0 + 60.0 + 4.0));
    use geo::{Euclidean, Length};
    let route = r[1].route.as_ref().unwrap();
    assert!((Euclidean.length(route) - r[1].metres.unwrap()).abs() < 1e-9);
    assert_eq!(route.0.first(), Some(&Coord { x: 10.0, y: 5.0 }));
    assert_eq!(route.0.last(), Some(&Coord { x: 96.0, y: 60.0 }));

    let bands = isochrone(&net, Point::new(10.0, 5.0), &[50.0, 155.0], 10.0, 250.0).unwrap();
    let len = |b: &IsoBand| Euclidean.length(&b.segments);
    assert!(
        (len(&bands[0]) - (10.0 + 45.0)).abs() < 1e-9,
        "{}",
        len(&bands[0])
    );
    // 150 m of network budget: 10 back to (0,0), 90 to the junction, then 60 up and 60 on.
    assert!(
        (len(&bands[1]) - (100.0 + 60.0 + 60.0)).abs() < 1e-9,
        "{}",
        len(&bands[1])
    );
    use geo::Area;
    assert!(bands[1].area.unsigned_area() > bands[0].area.unsigned_area());
    assert!(bands[0].area.unsigned_area() > 55.0 * 20.0 * 0.9);
}

#[test]
fn coverage_counts_homes_by_their_distance() {
    let s = [street("a", &[(0.0, 0.0), (2000.0, 0.0)])];
    let (net, _) = WalkNetwork::build(&s, &settings());
    let mut b = vec![
        building("in", 100.0, 5.0),
        building("out", 1500.0, 5.0),
        building("shop", 120.0, 5.0),
    ];
    b[2].usage = BuildingUse::Retail;
    // Homes are dwellings, not buildings: 4 inside, 2 outside; the shop has none.
    b[0].dwellings = crate::model::Valued {
        value: 4,
        estimated: false,
    };
    b[1].dwellings = crate::model::Valued {
        value: 2,
        estimated: false,
    };
    let a = [amenity("p", AmenityKind::Playground, 0.0, 5.0)];
    let (kd, _) = distances(&net, &b, &a, &settings());
    let scenario = crate::scenario::Scenario::from_toml(
        "version = 1\nname = \"t\"\narea = \"x\"\n",
        std::path::Path::new("/tmp/t.toml"),
    )
    .unwrap();
    let g = scenario.group("gezinnen").unwrap().clone();
    let cover = |walk| {
        coverage(
            &net,
            &b,
            &a,
            walk,
            std::slice::from_ref(&g),
            &settings(),
            20.0,
        )
    };
    let playground = |c: &[Coverage]| {
        let p = c
            .iter()
            .find(|c| c.kind == AmenityKind::Playground)
            .unwrap();
        assert!((p.share_inside - 4.0 / 6.0).abs() < 1e-12);
        (p.homes_inside, p.homes_outside, p.homes_unknown)
    };
    let c = cover(HomesWalk::known(&kd));
    assert_eq!(playground(&c), (4, 2, 0));
    // A need the verdict calls onbekend (beyond the plan area's edge) is
    // neither inside nor outside; one inside stays inside whatever it says.
    let beyond_edge = |i: usize, group: &str, kind| {
        group == "gezinnen" && kind == AmenityKind::Playground && i != 2
    };
    let c_edge = cover(HomesWalk {
        distances: &kd,
        unknown: &beyond_edge,
    });
    assert_eq!(playground(&c_edge), (4, 0, 2));
    let play = c
        .iter()
        .find(|c| c.kind == AmenityKind::Playground)
        .unwrap();
    assert!((play.threshold_m - g.reach_m(5.0)).abs() < 1e-9);
    // Kinds without amenities: empty area, every home outside.
    let sm = c
        .iter()
        .find(|c| c.kind == AmenityKind::Supermarket)
        .unwrap();
    assert!(sm.area.0.is_empty());
    assert_eq!(sm.homes_inside, 0);
    let n = needs(&g, &kd, 0);
    assert!(
        n.iter()
            .find(|x| x.kind == AmenityKind::Playground)
            .unwrap()
            .met
    );
    assert!(
        !n.iter()
            .find(|x| x.kind == AmenityKind::Supermarket)
            .unwrap()
            .met
    );
}

#[test]
fn synthetic_city_agrees_with_the_oracle_and_is_deterministic() {
    let city = crate::synthetic::city(600, 3);
    let (net, _) = WalkNetwork::build(&city.streets, &settings());
    let (kd, _) = distances(&net, &city.buildings, &city.amenities, &settings());
    let brute = brute_distances(&net, &city.buildings, &city.amenities, &settings());
    compare(&kd, &brute, &city.amenities);
    let (again, _) = distances(&net, &city.buildings, &city.amenities, &settings());
    assert_eq!(kd, again);
}

fn compare(kd: &[KindDistances], brute: &[KindDistances], amenities: &[Amenity]) {
    assert_eq!(kd.len(), brute.len());
    let _ = amenities;
    for (k, b) in kd.iter().zip(brute) {
        assert_eq!(k.kind, b.kind);
        assert_eq!(k.len(), b.len());
        for i in 0..k.len() {
            match (k.metres(i), b.metres(i)) {
                (None, None) => {}
                (Some(x), Some(y)) => {
                    assert!((x - y).abs() < 1e-6, "{} building {i}: {x} vs {y}", k.kind)
                }
                other => panic!("{} building {i}: {other:?}", k.kind),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random lines over a lattice (shared vertices join, crossings stay apart),
    /// random buildings and amenities: the fast path equals the brute force.
    #[test]
    fn fast_distances_equal_brute_force(
        lines in prop::collection::vec(prop::collection::vec((0u8..6, 0u8..6), 2..5), 1..14),
        bpts in prop::collection::vec((-20.0f64..120.0, -20.0f64..120.0), 1..12),
        apts in prop::collection::vec((-20.0f64..120.0, -20.0f64..120.0, 0usize..3), 1..8),
        crossings in any::<bool>(),
        jitter in any::<bool>(),
    ) {
        let streets: Vec<Street> = lines.iter().enumerate().map(|(i, l)| {
            let pts: Vec<(f64, f64)> = l.iter().enumerate().map(|(j, &(x, y))| {
                // Jitter endpoints by 0.3 m sometimes: they must snap back together.
                let d = if jitter && j == 0 { 0.3 } else { 0.0 };
                (x as f64 * 20.0 + d, y as f64 * 20.0)
            }).collect();
            street(&format!("s{i}"), &pts)
        }).collect();
        let kinds = [AmenityKind::Supermarket, AmenityKind::Park, AmenityKind::Gp];
        let b: Vec<Building> = bpts.iter().enumerate().map(|(i, &(x, y))| building(&format!("b{i}"), x, y)).collect();
        let a: Vec<Amenity> = apts.iter().enumerate().map(|(i, &(x, y, k))| amenity(&format!("a{i}"), kinds[k], x, y)).collect();
        let s = NetworkSettings { node_crossings: crossings, max_connector_m: 40.0, ..settings() };
        let (net, _) = WalkNetwork::build(&streets, &s);
        let (kd, _) = distances(&net, &b, &a, &s);
        let brute = brute_distances(&net, &b, &a, &s);
        compare(&kd, &brute, &a);
        // The reported nearest amenity is at the reported distance, per the oracle.
        for k in &kd {
            for i in 0..b.len() {
                if let Some((m, j)) = k.get(i) {
                    let only = [a[j as usize].clone()];
                    let (one, _) = distances(&net, &b[i..=i], &only, &s);
                    prop_assert!((one[0].metres(0).unwrap_or(f64::NAN) - m).abs() < 1e-6);
                }
            }
        }
    }

    /// Arbitrary coordinates (NaN, infinities, huge values) never panic.
    #[test]
    fn arbitrary_input_never_panics(
        pts in prop::collection::vec(prop::collection::vec((prop::num::f64::ANY, prop::num::f64::ANY), 0..4), 0..6),
        q in (prop::num::f64::ANY, prop::num::f64::ANY),
        tol in prop::num::f64::ANY,
    ) {
        let streets: Vec<Street> = pts.iter().enumerate().map(|(i, l)| street(&format!("s{i}"), l)).collect();
        let s = NetworkSettings { snap_tolerance_m: tol, node_crossings: true, ..settings() };
        let (net, _) = WalkNetwork::build(&streets, &s);
        let b = [building("b", q.0, q.1)];
        let a = [amenity("a", AmenityKind::Gp, q.1, q.0)];
        let _ = distances(&net, &b, &a, &s);
        let _ = reach(&net, Point::new(q.0, q.1), &a, &s);
        let _ = isochrone(&net, Point::new(q.0, q.1), &[q.0, 100.0], 5.0, 250.0);
    }
}
