//! Geometry from OSM elements: way lines, closed-way polygons, multipolygon
//! relations (ring assembly), and conversion to RFC 7946 GeoJSON.
//!
//! All coordinates here are WGS84 degrees (lon, lat). Output polygons have
//! exterior rings counter-clockwise and holes clockwise; output coordinates are
//! rounded to 1e-7 degrees.

use super::data::{MemberType, OsmData, Relation, Way};
use geo::{
    Area, Contains, Coord, InteriorPoint, Intersects, LineString, MultiPolygon, Orient, Point,
    Polygon, orient::Direction,
};
use std::collections::HashMap;

/// Rounds a coordinate to 1e-7 degrees (the OSM database precision).
pub(crate) fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

/// The coordinates of a way's nodes that are present, and how many are missing.
/// `runs` splits the present nodes at every gap.
pub(crate) struct WayCoords {
    /// Runs of consecutive present nodes.
    pub runs: Vec<Vec<Coord<f64>>>,
    /// Number of referenced nodes not in the file.
    pub missing: usize,
}

impl WayCoords {
    /// Resolves the node references of `way`.
    pub fn of(data: &OsmData, way: &Way) -> Self {
        let mut runs = vec![Vec::new()];
        let mut missing = 0;
        for r in &way.refs {
            match data.coord(*r) {
                Some((x, y)) => {
                    if let Some(run) = runs.last_mut() {
                        run.push(Coord { x, y });
                    }
                }
                None => {
                    missing += 1;
                    if runs.last().is_some_and(|r| !r.is_empty()) {
                        runs.push(Vec::new());
                    }
                }
            }
        }
        runs.retain(|r| !r.is_empty());
        WayCoords { runs, missing }
    }

    /// All coordinates when none is missing.
    pub fn complete(&self) -> Option<&[Coord<f64>]> {
        match (self.missing, self.runs.as_slice()) {
            (0, [run]) => Some(run),
            _ => None,
        }
    }

    /// The longest run of consecutive present nodes (first one on ties).
    pub fn longest_run(&self) -> Option<&[Coord<f64>]> {
        let mut best: Option<&Vec<Coord<f64>>> = None;
        for run in &self.runs {
            if best.is_none_or(|b| run.len() > b.len()) {
                best = Some(run);
            }
        }
        best.map(|b| b.as_slice())
    }

    /// Every present coordinate.
    pub fn present(&self) -> Vec<Coord<f64>> {
        self.runs.iter().flatten().copied().collect()
    }
}

/// True when the way's first and last node are the same and it has at least 4 refs.
pub(crate) fn is_closed(way: &Way) -> bool {
    way.refs.len() >= 4 && way.refs.first() == way.refs.last()
}

/// A polygon from a closed ring, rejecting rings with zero area.
pub(crate) fn ring_polygon(ring: Vec<Coord<f64>>) -> Option<Polygon<f64>> {
    let polygon = Polygon::new(LineString::new(ring), vec![]);
    (polygon.unsigned_area() > 0.0).then_some(polygon)
}

/// A representative point of a set of coordinates: the interior point of the
/// polygon they form when closed, else of the line.
pub(crate) fn representative_point(coords: &[Coord<f64>], closed: bool) -> Option<Point<f64>> {
    if closed
        && coords.len() >= 4
        && let Some(p) = ring_polygon(coords.to_vec()).and_then(|p| p.interior_point())
    {
        return Some(p);
    }
    match coords {
        [] => None,
        [c] => Some(Point::from(*c)),
        _ => LineString::new(coords.to_vec()).interior_point(),
    }
}

/// Why a multipolygon relation could not be built.
pub(crate) enum AssemblyError {
    /// Member ways absent from the file (ids), or ways with absent nodes.
    MissingMembers { ways: usize, nodes: usize },
    /// Rings whose segments do not join up.
    Unclosed { rings: usize },
    /// No outer ring.
    Empty,
}

impl AssemblyError {
    /// Diagnostic code and message.
    pub fn describe(&self) -> (&'static str, String) {
        match self {
            AssemblyError::MissingMembers { ways, nodes } => (
                "missing_members",
                format!(
                    "{ways} member way(s) and {nodes} node(s) of member ways are not in the file; relation skipped"
                ),
            ),
            AssemblyError::Unclosed { rings } => (
                "unclosed_ring",
                format!(
                    "{rings} ring(s) could not be closed from the member ways; relation skipped"
                ),
            ),
            AssemblyError::Empty => (
                "invalid_geometry",
                "no outer ring with an area; relation skipped".to_string(),
            ),
        }
    }
}

/// Assembles a multipolygon relation from its member ways: joins way segments end
/// to end (by node id) into closed rings, then puts every inner ring into the
/// outer ring that contains it. Members with role `outer` or an empty role are
/// outer rings; `inner` are holes. Inner rings that lie in no outer ring are dropped.
pub(crate) fn assemble_multipolygon(
    data: &OsmData,
    ways: &HashMap<i64, &Way>,
    relation: &Relation,
) -> Result<MultiPolygon<f64>, AssemblyError> {
    let mut outer_segments = Vec::new();
    let mut inner_segments = Vec::new();
    let mut missing_ways = 0;
    let mut missing_nodes = 0;
    for m in &relation.members {
        if m.kind != MemberType::Way {
            continue;
        }
        let Some(way) = ways.get(&m.id) else {
            missing_ways += 1;
            continue;
        };
        let absent = way
            .refs
            .iter()
            .filter(|r| data.coord(**r).is_none())
            .count();
        missing_nodes += absent;
        if way.refs.len() < 2 {
            continue;
        }
        match m.role.as_str() {
            "inner" => inner_segments.push(way.refs.clone()),
            _ => outer_segments.push(way.refs.clone()),
        }
    }
    if missing_ways > 0 || missing_nodes > 0 {
        return Err(AssemblyError::MissingMembers {
            ways: missing_ways,
            nodes: missing_nodes,
        });
    }
    let (outer_rings, unclosed_outer) = join_rings(outer_segments);
    let (inner_rings, unclosed_inner) = join_rings(inner_segments);
    if unclosed_outer + unclosed_inner > 0 {
        return Err(AssemblyError::Unclosed {
            rings: unclosed_outer + unclosed_inner,
        });
    }
    let to_coords = |ring: &[i64]| -> Vec<Coord<f64>> {
        ring.iter()
            .filter_map(|r| data.coord(*r))
            .map(|(x, y)| Coord { x, y })
            .collect()
    };
    let mut polygons: Vec<Polygon<f64>> = outer_rings
        .iter()
        .filter_map(|r| ring_polygon(to_coords(r)))
        .collect();
    if polygons.is_empty() {
        return Err(AssemblyError::Empty);
    }
    // Each inner ring goes to the smallest outer ring that holds all of it. A
    // point inside the hole is not enough: a courtyard may hold another outer
    // ring (a building in the courtyard, relation/1828586 in Copenhagen), and
    // the hole must not be given to that one.
    let shells: Vec<(Polygon<f64>, f64)> = polygons
        .iter()
        .map(|p| {
            let shell = Polygon::new(p.exterior().clone(), vec![]);
            let area = shell.unsigned_area();
            (shell, area)
        })
        .collect();
    for ring in &inner_rings {
        let Some(hole) = ring_polygon(to_coords(ring)) else {
            continue;
        };
        let holds = |shell: &Polygon<f64>| {
            hole.exterior()
                .coords()
                .all(|c| shell.intersects(&Point::from(*c)))
        };
        let best = shells
            .iter()
            .enumerate()
            .filter(|(_, (shell, _))| holds(shell))
            .min_by(|a, b| a.1.1.total_cmp(&b.1.1).then(a.0.cmp(&b.0)))
            .map(|(i, _)| i)
            .or_else(|| {
                // No outer holds the whole ring (a ring crossing its shell):
                // the outer around a point inside the hole, as before.
                let probe = hole.interior_point()?;
                polygons.iter().position(|p| p.contains(&probe))
            });
        if let Some(i) = best {
            polygons[i].interiors_push(hole.exterior().clone());
        }
    }
    Ok(MultiPolygon(polygons))
}

/// Joins node-id segments into closed rings. Returns the rings and the number of
/// rings that could not be closed.
fn join_rings(segments: Vec<Vec<i64>>) -> (Vec<Vec<i64>>, usize) {
    let mut remaining: std::collections::VecDeque<Vec<i64>> = segments.into();
    let mut rings = Vec::new();
    let mut unclosed = 0;
    while let Some(mut ring) = remaining.pop_front() {
        while let (Some(&first), Some(&last)) = (ring.first(), ring.last()) {
            if first == last && ring.len() >= 4 {
                rings.push(ring);
                break;
            }
            let next = remaining
                .iter()
                .position(|s| s.first() == Some(&last) || s.last() == Some(&last));
            match next.and_then(|i| remaining.remove(i)) {
                Some(mut segment) => {
                    if segment.first() != Some(&last) {
                        segment.reverse();
                    }
                    ring.extend_from_slice(&segment[1..]);
                }
                None => {
                    unclosed += 1;
                    break;
                }
            }
        }
    }
    (rings, unclosed)
}

fn position(c: Coord<f64>) -> geojson::Position {
    geojson::Position::from([round7(c.x), round7(c.y)])
}

fn ring_positions(ring: &LineString<f64>) -> Vec<geojson::Position> {
    ring.coords().map(|c| position(*c)).collect()
}

fn polygon_rings(p: &Polygon<f64>) -> Vec<Vec<geojson::Position>> {
    std::iter::once(ring_positions(p.exterior()))
        .chain(p.interiors().iter().map(ring_positions))
        .collect()
}

/// GeoJSON Polygon (one part) or MultiPolygon, RFC 7946 winding, rounded.
pub(crate) fn polygon_geometry(shape: &MultiPolygon<f64>) -> geojson::Geometry {
    let oriented = shape.orient(Direction::Default);
    match oriented.0.as_slice() {
        [single] => geojson::Geometry::new_polygon(polygon_rings(single)),
        parts => geojson::Geometry::new_multi_polygon(parts.iter().map(polygon_rings)),
    }
}

/// GeoJSON Point, rounded.
pub(crate) fn point_geometry(p: Point<f64>) -> geojson::Geometry {
    geojson::Geometry::new_point(position(p.0))
}

/// GeoJSON LineString, rounded.
pub(crate) fn line_geometry(coords: &[Coord<f64>]) -> geojson::Geometry {
    geojson::Geometry::new_line_string(coords.iter().map(|c| position(*c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_segments_in_any_direction() {
        let (rings, unclosed) = join_rings(vec![vec![1, 2, 3], vec![5, 4, 3], vec![5, 6, 1]]);
        assert_eq!(unclosed, 0);
        assert_eq!(rings, vec![vec![1, 2, 3, 4, 5, 6, 1]]);
        let (rings, unclosed) = join_rings(vec![vec![1, 2, 3], vec![7, 8]]);
        assert!(rings.is_empty());
        assert_eq!(unclosed, 2);
    }

    #[test]
    fn polygons_are_written_counter_clockwise() {
        let cw = ring_polygon(vec![
            Coord { x: 0.0, y: 0.0 },
            Coord { x: 0.0, y: 1.0 },
            Coord { x: 1.0, y: 1.0 },
            Coord { x: 1.0, y: 0.0 },
            Coord { x: 0.0, y: 0.0 },
        ])
        .expect("square has area");
        let g = polygon_geometry(&MultiPolygon(vec![cw]));
        let geojson::GeometryValue::Polygon { coordinates } = g.value else {
            panic!("expected a polygon");
        };
        let ring: Vec<(f64, f64)> = coordinates[0].iter().map(|p| (p[0], p[1])).collect();
        let signed: f64 = ring
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum();
        assert!(signed > 0.0, "exterior must be counter-clockwise");
    }
}
