//! Plan conflicts: where the computed zoning, the plan's intended zones and the homes
//! disagree.
//!
//! # Inputs
//! The layers (buildings, horeca, the optional `plan_zones`), a [`Zoning`](crate::rules::zoning::Zoning) computed from
//! the same layers, and the zoning settings (for the thresholds quoted in messages).
//!
//! # Conflicts found
//! | kind | what | reported per |
//! |---|---|---|
//! | [`ConflictKind::HomesInPlannedReuring`](crate::rules::conflicts::ConflictKind::HomesInPlannedReuring) | homes inside a plan zone intended as reuring | plan zone |
//! | [`ConflictKind::PlannedRustIsReuring`](crate::rules::conflicts::ConflictKind::PlannedRustIsReuring) | homes in a plan zone intended as rust whose computed character is reuring | plan zone × computed zone |
//! | [`ConflictKind::HorecaClusterInPlannedRust`](crate::rules::conflicts::ConflictKind::HorecaClusterInPlannedRust) | a horeca cluster (see [`CLUSTER_MIN_HORECA`](crate::rules::conflicts::CLUSTER_MIN_HORECA), [`CLUSTER_RADIUS_M`](crate::rules::conflicts::CLUSTER_RADIUS_M)) with members inside a plan zone intended as rust | cluster × plan zone |
//! | [`ConflictKind::ReuringBordersRustHomes`](crate::rules::conflicts::ConflictKind::ReuringBordersRustHomes) | rust cells with homes that share an edge with reuring cells: no gemengd buffer between | connected stretch of such cells |
//!
//! The first three need the `plan_zones` layer and are silent without it; the last one
//! uses the computed zoning only. A home is a residential or mixed building
//! ([`is_home`](crate::rules::conflicts::is_home)), placed by its anchor. Where plan zones overlap, a point belongs to the
//! quietest of them (rust before gemengd before reuring), then to the first in the layer.
//!
//! # Output
//! Conflicts in a fixed order (by kind as listed, then by plan zone, cluster or
//! stretch from the south-west), each with a readable message carrying the numbers, the
//! ids of the features involved (plan zone first, then computed zone ids such as
//! `reuring-2`, then buildings or horeca in layer order) and a point to label it.

use super::zoning::Zoning;
use crate::model::{Building, BuildingUse, Layers, PlanZone, ZoneCharacter};
use crate::scenario::ZoningSettings;
use geo::{BoundingRect, Contains, Point};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// A horeca cluster needs at least this many horeca of category 2 or 3 within
/// [`CLUSTER_RADIUS_M`] of one of them (itself included). Three is the smallest number
/// that reads as a concentration rather than a pair of neighbours.
pub const CLUSTER_MIN_HORECA: usize = 3;

/// Radius of a horeca cluster (m): about a short street front, well inside the distance
/// where noise from one café still carries at night.
pub const CLUSTER_RADIUS_M: f64 = 50.0;

/// What kind of conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Homes inside a plan zone intended as reuring.
    HomesInPlannedReuring,
    /// Homes in a plan zone intended as rust that the zoning finds reuring.
    PlannedRustIsReuring,
    /// A horeca cluster (category 2-3) inside a plan zone intended as rust.
    HorecaClusterInPlannedRust,
    /// Reuring cells sharing an edge with rust cells that hold homes: no gemengd buffer.
    ReuringBordersRustHomes,
}

impl ConflictKind {
    /// The canonical snake_case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HomesInPlannedReuring => "homes_in_planned_reuring",
            Self::PlannedRustIsReuring => "planned_rust_is_reuring",
            Self::HorecaClusterInPlannedRust => "horeca_cluster_in_planned_rust",
            Self::ReuringBordersRustHomes => "reuring_borders_rust_homes",
        }
    }
}

impl fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One conflict, with the features involved.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// What kind.
    pub kind: ConflictKind,
    /// Readable explanation with the numbers.
    pub message: String,
    /// Ids of the features involved: plan zone, computed zones, buildings or horeca.
    pub feature_ids: Vec<String>,
    /// Where to put the label (working CRS).
    pub location: Point<f64>,
}

/// True for buildings people live in: residential or mixed use.
pub fn is_home(b: &Building) -> bool {
    matches!(b.usage, BuildingUse::Residential | BuildingUse::Mixed)
}

/// Finds the plan conflicts. `zoning` must come from [`super::zoning::zone`] on the same
/// layers; buildings beyond `zoning.buildings` are skipped.
pub fn plan_conflicts(
    layers: &Layers,
    zoning: &Zoning,
    settings: &ZoningSettings,
) -> Vec<Conflict> {
    let mut out = Vec::new();
    if !layers.plan_zones.is_empty() {
        let plan = PlanIndex::new(&layers.plan_zones);
        homes_against_plan(layers, zoning, settings, &plan, &mut out);
        horeca_clusters(layers, &plan, &mut out);
    }
    reuring_borders_rust_homes(layers, zoning, &mut out);
    out
}

/// Plan zones by bounding box.
struct PlanIndex<'a> {
    zones: &'a [PlanZone],
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl<'a> PlanIndex<'a> {
    fn new(zones: &'a [PlanZone]) -> Self {
        let boxes = zones
            .iter()
            .enumerate()
            .filter_map(|(i, z)| {
                let r = z.area.bounding_rect()?;
                let (a, b) = (r.min(), r.max());
                [a.x, a.y, b.x, b.y]
                    .iter()
                    .all(|v| v.is_finite())
                    .then(|| GeomWithData::new(Rectangle::from_corners([a.x, a.y], [b.x, b.y]), i))
            })
            .collect();
        PlanIndex {
            zones,
            tree: RTree::bulk_load(boxes),
        }
    }

    /// The plan zone holding `p`: the quietest, then the first.
    fn at(&self, p: Point<f64>) -> Option<usize> {
        if !(p.x().is_finite() && p.y().is_finite()) {
            return None;
        }
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point([p.x(), p.y()]))
            .map(|g| g.data)
            .filter(|&i| self.zones[i].area.contains(&p))
            .min_by_key(|&i| (self.zones[i].zone, i))
    }

    fn label(&self, i: usize) -> String {
        let z = &self.zones[i];
        match &z.name {
            Some(name) => format!("{} (\"{name}\")", z.id),
            None => z.id.clone(),
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn homes_against_plan(
    layers: &Layers,
    zoning: &Zoning,
    settings: &ZoningSettings,
    plan: &PlanIndex,
    out: &mut Vec<Conflict>,
) {
    let placed: Vec<Option<usize>> = layers
        .buildings
        .par_iter()
        .zip(zoning.buildings.par_iter())
        .map(|(b, bz)| if is_home(b) { plan.at(bz.anchor) } else { None })
        .collect();
    let mut in_reuring: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut rust_is_reuring: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, pz) in placed.iter().enumerate() {
        let Some(pz) = *pz else { continue };
        let bz = &zoning.buildings[i];
        match plan.zones[pz].zone {
            ZoneCharacter::Reuring => in_reuring.entry(pz).or_default().push(i),
            ZoneCharacter::Rust if bz.zone == ZoneCharacter::Reuring => {
                let Some(z) = bz.cell.and_then(|c| zoning.cell_zone.get(c)) else {
                    continue;
                };
                rust_is_reuring
                    .entry((pz, *z as usize))
                    .or_default()
                    .push(i);
            }
            _ => {}
        }
    }
    // The home where the index is highest: where the conflict is worst.
    let worst = |homes: &[usize]| -> (Point<f64>, f64) {
        let mut best = (Point::new(f64::NAN, f64::NAN), f64::NEG_INFINITY);
        for &h in homes {
            let bz = &zoning.buildings[h];
            if bz.reuring_index > best.1 {
                best = (bz.anchor, bz.reuring_index);
            }
        }
        best
    };
    let ids = |homes: &[usize]| -> Vec<String> {
        homes
            .iter()
            .map(|&h| layers.buildings[h].id.clone())
            .collect()
    };
    for (pz, homes) in in_reuring {
        let (location, max) = worst(&homes);
        out.push(Conflict {
            kind: ConflictKind::HomesInPlannedReuring,
            message: format!(
                "{} in planzone {}, die het plan als reuring bedoelt \
                 (berekende reuringindex tot {})",
                plural(homes.len(), "woning", "woningen"),
                plan.label(pz),
                crate::labels::nl_number(max, 1),
            ),
            feature_ids: std::iter::once(plan.zones[pz].id.clone())
                .chain(ids(&homes))
                .collect(),
            location,
        });
    }
    for ((pz, z), homes) in rust_is_reuring {
        let (location, max) = worst(&homes);
        let zone_id = zoning
            .zones
            .get(z)
            .map(|z| z.id.clone())
            .unwrap_or_default();
        out.push(Conflict {
            kind: ConflictKind::PlannedRustIsReuring,
            message: format!(
                "{} in planzone {}, gepland als rust, liggen in berekende zone {zone_id}, \
                 reuring (index tot {}; reuring vanaf {})",
                plural(homes.len(), "woning", "woningen"),
                plan.label(pz),
                crate::labels::nl_number(max, 1),
                crate::labels::nl_number(settings.threshold_reuring, 1),
            ),
            feature_ids: [plan.zones[pz].id.clone(), zone_id]
                .into_iter()
                .chain(ids(&homes))
                .collect(),
            location,
        });
    }
}

/// Horeca clusters: DBSCAN on category 2-3 horeca with [`CLUSTER_RADIUS_M`] and
/// [`CLUSTER_MIN_HORECA`]. Returns clusters as sorted horeca indices, ordered by their
/// first member.
fn clusters(layers: &Layers) -> Vec<Vec<usize>> {
    let pts: Vec<(usize, [f64; 2])> = layers
        .horeca
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            h.category.number() >= 2 && h.point.x().is_finite() && h.point.y().is_finite()
        })
        .map(|(i, h)| (i, [h.point.x(), h.point.y()]))
        .collect();
    let tree = RTree::bulk_load(
        pts.iter()
            .enumerate()
            .map(|(k, (_, p))| GeomWithData::new(*p, k))
            .collect(),
    );
    let r2 = CLUSTER_RADIUS_M * CLUSTER_RADIUS_M;
    let neighbours: Vec<Vec<usize>> = pts
        .par_iter()
        .map(|(_, p)| {
            let mut n: Vec<usize> = tree
                .locate_within_distance(*p, r2)
                .map(|g| g.data)
                .collect();
            n.sort_unstable();
            n
        })
        .collect();
    let core: Vec<bool> = neighbours
        .iter()
        .map(|n| n.len() >= CLUSTER_MIN_HORECA)
        .collect();
    let mut parent: Vec<usize> = (0..pts.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for k in 0..pts.len() {
        if !core[k] {
            continue;
        }
        for &m in &neighbours[k] {
            if core[m] {
                let (a, b) = (find(&mut parent, k), find(&mut parent, m));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for k in 0..pts.len() {
        let owner = if core[k] {
            Some(k)
        } else {
            // A border point joins the cluster of its first core neighbour.
            neighbours[k].iter().copied().find(|&m| core[m])
        };
        if let Some(o) = owner {
            let root = find(&mut parent, o);
            groups.entry(root).or_default().push(pts[k].0);
        }
    }
    groups.into_values().collect()
}

fn horeca_clusters(layers: &Layers, plan: &PlanIndex, out: &mut Vec<Conflict>) {
    for members in clusters(layers) {
        let mut inside: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &h in &members {
            if let Some(pz) = plan.at(layers.horeca[h].point)
                && plan.zones[pz].zone == ZoneCharacter::Rust
            {
                inside.entry(pz).or_default().push(h);
            }
        }
        for (pz, hs) in inside {
            let n = hs.len() as f64;
            let (sx, sy) = hs.iter().fold((0.0, 0.0), |(x, y), &h| {
                (
                    x + layers.horeca[h].point.x(),
                    y + layers.horeca[h].point.y(),
                )
            });
            out.push(Conflict {
                kind: ConflictKind::HorecaClusterInPlannedRust,
                message: format!(
                    "een horecacluster van {} (categorie 2-3, minstens {CLUSTER_MIN_HORECA} \
                     binnen {CLUSTER_RADIUS_M} m) heeft er {} in planzone {}, gepland als rust",
                    members.len(),
                    hs.len(),
                    plan.label(pz),
                ),
                feature_ids: std::iter::once(plan.zones[pz].id.clone())
                    .chain(members.iter().map(|&h| layers.horeca[h].id.clone()))
                    .collect(),
                location: Point::new(sx / n, sy / n),
            });
        }
    }
}

fn reuring_borders_rust_homes(layers: &Layers, zoning: &Zoning, out: &mut Vec<Conflict>) {
    let g = &zoning.grid;
    let (cols, rows) = (g.cols, g.rows);
    if g.is_empty() || zoning.cell_zone.len() != g.len() {
        return;
    }
    let home_cell = |b: usize| -> Option<usize> {
        let cell = zoning.buildings.get(b)?.cell?;
        (is_home(&layers.buildings[b]) && g.class.get(cell) == Some(&ZoneCharacter::Rust))
            .then_some(cell)
    };
    let edge_neighbours = |cell: usize| {
        let (c, r) = (cell % cols, cell / cols);
        [
            (c > 0).then(|| cell - 1),
            (c + 1 < cols).then(|| cell + 1),
            (r > 0).then(|| cell - cols),
            (r + 1 < rows).then(|| cell + cols),
        ]
        .into_iter()
        .flatten()
    };
    let mut exposed = vec![false; g.len()];
    for b in 0..layers.buildings.len() {
        if let Some(cell) = home_cell(b) {
            exposed[cell] = edge_neighbours(cell).any(|n| g.class[n] == ZoneCharacter::Reuring);
        }
    }
    // Stretches: exposed cells joined through edges or corners, numbered from the
    // south-west.
    const NONE: u32 = u32::MAX;
    let mut stretch = vec![NONE; g.len()];
    let mut count = 0u32;
    let mut stack = Vec::new();
    for start in 0..g.len() {
        if !exposed[start] || stretch[start] != NONE {
            continue;
        }
        stretch[start] = count;
        stack.push(start);
        while let Some(cell) = stack.pop() {
            let (c, r) = ((cell % cols) as i64, (cell / cols) as i64);
            for (dc, dr) in [
                (-1, -1),
                (0, -1),
                (1, -1),
                (-1, 0),
                (1, 0),
                (-1, 1),
                (0, 1),
                (1, 1),
            ] {
                let (nc, nr) = (c + dc, r + dr);
                if nc < 0 || nr < 0 || nc >= cols as i64 || nr >= rows as i64 {
                    continue;
                }
                let n = nr as usize * cols + nc as usize;
                if exposed[n] && stretch[n] == NONE {
                    stretch[n] = count;
                    stack.push(n);
                }
            }
        }
        count += 1;
    }
    if count == 0 {
        return;
    }
    struct Stretch {
        homes: Vec<usize>,
        rust_zones: Vec<u32>,
        reuring_zones: Vec<u32>,
        edges: usize,
        worst: (f64, Point<f64>),
    }
    let mut stretches: Vec<Stretch> = (0..count)
        .map(|_| Stretch {
            homes: Vec::new(),
            rust_zones: Vec::new(),
            reuring_zones: Vec::new(),
            edges: 0,
            worst: (f64::NEG_INFINITY, Point::new(f64::NAN, f64::NAN)),
        })
        .collect();
    for b in 0..layers.buildings.len() {
        if let Some(cell) = home_cell(b)
            && exposed[cell]
        {
            stretches[stretch[cell] as usize].homes.push(b);
        }
    }
    for cell in 0..g.len() {
        if !exposed[cell] {
            continue;
        }
        let s = &mut stretches[stretch[cell] as usize];
        s.rust_zones.push(zoning.cell_zone[cell]);
        let here = g.cell_centre(cell);
        for n in edge_neighbours(cell) {
            if g.class[n] != ZoneCharacter::Reuring {
                continue;
            }
            s.edges += 1;
            s.reuring_zones.push(zoning.cell_zone[n]);
            if g.index[n] > s.worst.0 {
                let there = g.cell_centre(n);
                // The middle of the shared edge.
                let mid = Point::new((here.x() + there.x()) / 2.0, (here.y() + there.y()) / 2.0);
                s.worst = (g.index[n], mid);
            }
        }
    }
    let zone_id = |z: u32| {
        zoning
            .zones
            .get(z as usize)
            .map(|z| z.id.clone())
            .unwrap_or_default()
    };
    for mut s in stretches {
        for v in [&mut s.rust_zones, &mut s.reuring_zones] {
            v.sort_unstable();
            v.dedup();
        }
        let rust: Vec<String> = s.rust_zones.iter().map(|&z| zone_id(z)).collect();
        let reuring: Vec<String> = s.reuring_zones.iter().map(|&z| zone_id(z)).collect();
        out.push(Conflict {
            kind: ConflictKind::ReuringBordersRustHomes,
            message: format!(
                "{} in rustzone {} grenzen direct aan reuringzone {} over {} m celrand \
                 (reuringindex tot {}), zonder gemengde buffer ertussen",
                plural(s.homes.len(), "woning", "woningen"),
                rust.join(", "),
                reuring.join(", "),
                crate::labels::nl_number(s.edges as f64 * g.cell_m, 0),
                crate::labels::nl_number(s.worst.0, 1),
            ),
            feature_ids: rust
                .iter()
                .chain(&reuring)
                .cloned()
                .chain(s.homes.iter().map(|&b| layers.buildings[b].id.clone()))
                .collect(),
            location: s.worst.1,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BuildingUse, to_multi};
    use crate::rules::zoning::tests::{building, horeca, settings};
    use crate::rules::zoning::zone;
    use crate::scenario::Kernel;
    use geo::wkt;

    fn plan(id: &str, zone: ZoneCharacter, x0: f64, y0: f64, x1: f64, y1: f64) -> PlanZone {
        PlanZone {
            id: id.into(),
            area: to_multi(geo::Polygon::new(
                geo::LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
                vec![],
            )),
            zone,
            name: None,
        }
    }

    fn kinds(c: &[Conflict]) -> Vec<ConflictKind> {
        c.iter().map(|c| c.kind).collect()
    }

    #[test]
    fn homes_in_planned_rust_that_are_reuring() {
        let layers = Layers {
            horeca: vec![horeca("club", 1000.0, 1000.0, 3)],
            buildings: vec![
                building("home", 1005.0, 1005.0, BuildingUse::Residential),
                building("shop", 1010.0, 995.0, BuildingUse::Retail),
                building("far-home", 1500.0, 1500.0, BuildingUse::Residential),
            ],
            plan_zones: vec![plan("quiet", ZoneCharacter::Rust, 0.0, 0.0, 2000.0, 2000.0)],
            ..Layers::default()
        };
        let z = zone(&layers, &settings());
        let c = plan_conflicts(&layers, &z, &settings());
        let hits: Vec<_> = c
            .iter()
            .filter(|c| c.kind == ConflictKind::PlannedRustIsReuring)
            .collect();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].feature_ids[0], "quiet");
        assert!(hits[0].feature_ids[1].starts_with("reuring-"));
        assert_eq!(&hits[0].feature_ids[2..], ["home"]);
        assert!(
            hits[0].message.contains("1 woning in planzone quiet"),
            "{}",
            hits[0].message
        );
        // Planned reuring there instead: the same home is now a home in planned reuring.
        let mut layers = layers;
        layers.plan_zones[0].zone = ZoneCharacter::Reuring;
        let c = plan_conflicts(&layers, &z, &settings());
        assert_eq!(kinds(&c), vec![ConflictKind::HomesInPlannedReuring]);
        assert_eq!(c[0].feature_ids, ["quiet", "home", "far-home"]);
        // Planned gemengd: no plan conflict.
        layers.plan_zones[0].zone = ZoneCharacter::Gemengd;
        assert!(plan_conflicts(&layers, &z, &settings()).is_empty());
        // No plan zones at all: none either.
        layers.plan_zones.clear();
        assert!(plan_conflicts(&layers, &z, &settings()).is_empty());
    }

    #[test]
    fn horeca_cluster_in_planned_rust() {
        let mut layers = Layers {
            horeca: vec![
                horeca("a", 100.0, 100.0, 2),
                horeca("b", 130.0, 100.0, 2),
                horeca("c", 110.0, 140.0, 3),
                horeca("lunch", 115.0, 115.0, 1), // category 1: not counted
                horeca("lone", 900.0, 900.0, 3),
            ],
            plan_zones: vec![
                plan("quiet", ZoneCharacter::Rust, 0.0, 0.0, 120.0, 500.0),
                plan("lively", ZoneCharacter::Reuring, 120.0, 0.0, 1000.0, 1000.0),
            ],
            ..Layers::default()
        };
        let z = zone(&layers, &settings());
        let c = plan_conflicts(&layers, &z, &settings());
        let hits: Vec<_> = c
            .iter()
            .filter(|c| c.kind == ConflictKind::HorecaClusterInPlannedRust)
            .collect();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].feature_ids, ["quiet", "a", "b", "c"]);
        assert!(
            hits[0].message.contains("horecacluster van 3"),
            "{}",
            hits[0].message
        );
        assert!(
            hits[0].message.contains("heeft er 2 in"),
            "{}",
            hits[0].message
        );
        // Spread out beyond 50 m: no cluster.
        layers.horeca[1].point = Point::new(200.0, 100.0);
        let c = plan_conflicts(&layers, &z, &settings());
        assert!(!kinds(&c).contains(&ConflictKind::HorecaClusterInPlannedRust));
    }

    #[test]
    fn reuring_next_to_rust_homes_without_a_buffer() {
        // A uniform kernel gives a sharp edge: reuring directly next to rust.
        let mut s = settings();
        s.kernel = Kernel::Uniform;
        s.kernel_radius_m = 30.0;
        s.min_zone_area_m2 = 0.0;
        let layers = Layers {
            horeca: vec![horeca("club", 512.5, 512.5, 3)],
            buildings: vec![
                building("next-door", 562.5, 512.5, BuildingUse::Residential),
                building("next-door-too", 537.5, 537.5, BuildingUse::Mixed),
                building("office", 462.5, 512.5, BuildingUse::Office),
                building("far", 700.0, 700.0, BuildingUse::Residential),
            ],
            ..Layers::default()
        };
        let z = zone(&layers, &s);
        assert_eq!(z.buildings[0].zone, ZoneCharacter::Rust);
        let c = plan_conflicts(&layers, &z, &s);
        assert_eq!(kinds(&c), vec![ConflictKind::ReuringBordersRustHomes]);
        // One stretch for both homes, deduplicated.
        let rust = z.zone_of_building(0).expect("next-door has a zone");
        assert_eq!(
            c[0].feature_ids,
            [rust.id.as_str(), "reuring-1", "next-door", "next-door-too"]
        );
        assert!(c[0].message.starts_with("2 woningen"), "{}", c[0].message);

        // With a gemengd buffer (quartic kernel, default radius), no conflict.
        let layers = Layers {
            horeca: vec![horeca("club", 512.5, 512.5, 3)],
            buildings: vec![building("home", 587.5, 512.5, BuildingUse::Residential)],
            ..Layers::default()
        };
        let z = zone(&layers, &settings());
        assert_eq!(z.buildings[0].zone, ZoneCharacter::Rust);
        assert!(z.grid.class.contains(&ZoneCharacter::Gemengd));
        assert!(plan_conflicts(&layers, &z, &settings()).is_empty());
    }

    #[test]
    fn overlapping_plan_zones_take_the_quietest() {
        let zones = vec![
            plan("a", ZoneCharacter::Reuring, 0.0, 0.0, 10.0, 10.0),
            plan("b", ZoneCharacter::Rust, 5.0, 5.0, 20.0, 20.0),
            PlanZone {
                id: "broken".into(),
                area: to_multi(wkt! { POLYGON((0.0 0.0, 1.0 0.0, 1.0 1.0, 0.0 0.0)) }),
                zone: ZoneCharacter::Rust,
                name: None,
            },
        ];
        let idx = PlanIndex::new(&zones);
        assert_eq!(idx.at(Point::new(7.0, 7.0)), Some(1));
        assert_eq!(idx.at(Point::new(2.0, 7.0)), Some(0));
        assert_eq!(idx.at(Point::new(f64::NAN, 7.0)), None);
        assert_eq!(idx.at(Point::new(50.0, 7.0)), None);
    }
}
