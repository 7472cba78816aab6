//! Which targets lie within a walking distance of each origin (for `suggest`).

use super::graph::WalkNetwork;
use super::reach::search_from;
use super::search::via_ends;
use super::snap::Snap;
use crate::scenario::NetworkSettings;
use geo::Point;
use rayon::prelude::*;

/// For each origin, the indices of the targets within `max_m` walking metres
/// (origin connector + network + target connector; along the edge when both
/// are on the same one), sorted. Origins that cannot join the network (too far,
/// empty network) reach nothing; targets beyond the maximum connector are never
/// reached. One bounded search per origin, origins in parallel.
///
/// # Units
/// Metres.
pub fn within(
    net: &WalkNetwork,
    origins: &[Point<f64>],
    targets: &[Point<f64>],
    max_m: f64,
    settings: &NetworkSettings,
) -> Vec<Vec<u32>> {
    let tsnaps: Vec<Option<Snap>> = net
        .snap_all(targets)
        .into_iter()
        .map(|s| s.filter(|s| s.connector_m <= settings.max_connector_m))
        .collect();
    origins
        .par_iter()
        .map(|&p| {
            let Ok((o, tree)) = search_from(net, p, settings.max_connector_m, max_m, false) else {
                return Vec::new();
            };
            tsnaps
                .iter()
                .enumerate()
                .filter_map(|(i, t)| {
                    let t = t.as_ref()?;
                    let mut d = via_ends(net, &tree, t).0 + t.connector_m;
                    if t.edge == o.edge {
                        d = d.min(o.connector_m + (o.offset_m - t.offset_m).abs() + t.connector_m);
                    }
                    (d <= max_m).then_some(i as u32)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Amenity, AmenityKind};

    /// `within` from a point agrees with the multi-source distances to an amenity placed there.
    #[test]
    fn agrees_with_distances_from_an_amenity_at_the_origin() {
        let city = crate::synthetic::city(600, 11);
        let settings = NetworkSettings::default();
        let (net, _) = WalkNetwork::build(&city.streets, &settings);
        let anchors: Vec<Point<f64>> = city.buildings.iter().map(|b| b.anchor()).collect();
        let mut checked = 0;
        for origin in anchors.iter().step_by(97).take(5) {
            let amenity = Amenity {
                id: "o".into(),
                point: *origin,
                kind: AmenityKind::Playground,
                name: None,
            };
            let (kd, _) = super::super::distances(&net, &city.buildings, &[amenity], &settings);
            for max_m in [150.0, 400.0] {
                let got = &within(&net, &[*origin], &anchors, max_m, &settings)[0];
                let want: Vec<u32> = (0..kd[0].len())
                    .filter(|&i| kd[0].metres(i).is_some_and(|m| m <= max_m))
                    .map(|i| i as u32)
                    .collect();
                assert_eq!(got, &want, "origin {origin:?}, {max_m} m");
                checked += want.len();
            }
        }
        assert!(checked > 20, "the test reached only {checked} buildings");
    }
}
