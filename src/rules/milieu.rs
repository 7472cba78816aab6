//! VNG milieuzonering: per building, the businesses closer than their guide distance.
//!
//! # Inputs
//! The optional `businesses` layer (milieucategorie, or functiemenging class A/B/C) and
//! a [`Zoning`](crate::rules::zoning::Zoning) of the same layers: each building's zone decides the VNG area type.
//!
//! # Rule
//! * A building in a **rust** zone is judged as in a *rustige woonwijk*; in a
//!   **gemengd** or **reuring** zone as in a *gemengd gebied*, where the guide distances
//!   are one step lower (VNG "Bedrijven en milieuzonering" 2009, see
//!   [`Milieucategorie::guide_distance_rustig_m`](crate::model::Milieucategorie::guide_distance_rustig_m) and
//!   [`Milieucategorie::guide_distance_gemengd_m`](crate::model::Milieucategorie::guide_distance_gemengd_m)).
//! * A business with a milieucategorie is a hit when it lies **closer than** its guide
//!   distance (at exactly the guide distance the guide is met). Category 1 in a gemengd
//!   gebied (0 m) is never a hit.
//! * A business with only a functiemenging class: A may adjoin homes (never a hit); B and
//!   C need structural separation, so they are a hit closer than
//!   [`FUNCTIEMENGING_SEPARATION_M`](crate::rules::milieu::FUNCTIEMENGING_SEPARATION_M) in either area type. When both are given, the
//!   milieucategorie decides.
//! * Businesses with neither, or without a finite location, are ignored.
//!
//! # Distance
//! From the business point to the nearest point of the building's footprint (0 when the
//! point lies inside it), i.e. to the facade. VNG measures from the edge of the business
//! plot; with only a point for the business this reads slightly in its favour, by up to
//! the plot's half width.
//!
//! Every building gets its hits (not only homes), because transformation candidates are
//! shops and offices today. The caller decides for which uses they matter.
//!
//! # Units
//! Metres in the working CRS.

use super::zoning::Zoning;
use crate::model::{Business, Functiemenging, Layers, Milieucategorie, ZoneCharacter};
use geo::{BoundingRect, Distance, Euclidean};
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::{AABB, RTree};
use serde::Serialize;

/// Distance (m) under which a functiemenging B or C business counts as adjoining a
/// building and so needs structural separation (a shared wall or floor, or across a
/// narrow alley).
pub const FUNCTIEMENGING_SEPARATION_M: f64 = 10.0;

/// The VNG area type a zone is judged as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VngArea {
    /// Rustige woonwijk: the full guide distances.
    RustigeWoonwijk,
    /// Gemengd gebied: one step lower.
    GemengdGebied,
}

impl VngArea {
    /// The area type for a zone character: rust is a rustige woonwijk, gemengd and
    /// reuring are gemengd gebied.
    pub fn for_zone(zone: ZoneCharacter) -> Self {
        match zone {
            ZoneCharacter::Rust => Self::RustigeWoonwijk,
            ZoneCharacter::Gemengd | ZoneCharacter::Reuring => Self::GemengdGebied,
        }
    }

    /// The Dutch name, as in the VNG publication.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RustigeWoonwijk => "rustige woonwijk",
            Self::GemengdGebied => "gemengd gebied",
        }
    }
}

/// What the guide distance of a hit rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GuideBasis {
    /// The VNG milieucategorie's guide distance.
    Milieucategorie(Milieucategorie),
    /// A functiemenging class B or C without a category: structural separation.
    Functiemenging(Functiemenging),
}

/// A business closer to a building than its guide distance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MilieuHit {
    /// Position of the business in `layers.businesses`.
    pub business: usize,
    /// Distance from the business point to the footprint (m).
    pub distance_m: f64,
    /// The guide distance that applies (m).
    pub guide_m: f64,
    /// What the guide distance rests on.
    pub basis: GuideBasis,
    /// The area type the building was judged as.
    pub area: VngArea,
}

/// Per building (parallel to `layers.buildings`), its [`MilieuHit`]s as
/// [`milieu`] gives them, every building's run end to end: one `Vec` per
/// building held 24 B for each, nearly all of them empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MilieuHits {
    /// Per building, the index of its first hit; one more at the end.
    first: Vec<u32>,
    hits: Vec<MilieuHit>,
}

impl MilieuHits {
    /// Building `i`'s hits, nearest first; `None` when `i` is out of range.
    pub fn get(&self, i: usize) -> Option<&[MilieuHit]> {
        let (a, b) = (*self.first.get(i)?, *self.first.get(i + 1)?);
        self.hits.get(a as usize..b as usize)
    }
    /// The number of buildings.
    pub fn len(&self) -> usize {
        self.first.len().saturating_sub(1)
    }
    /// No buildings.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Every building's hits, in building order.
    pub fn iter(&self) -> impl Iterator<Item = &[MilieuHit]> {
        self.first
            .windows(2)
            .map(|w| &self.hits[w[0] as usize..w[1] as usize])
    }
}

impl From<Vec<Vec<MilieuHit>>> for MilieuHits {
    fn from(per_building: Vec<Vec<MilieuHit>>) -> Self {
        let mut first = Vec::with_capacity(per_building.len() + 1);
        let mut hits = Vec::with_capacity(per_building.iter().map(Vec::len).sum());
        first.push(0);
        for mut h in per_building {
            hits.append(&mut h);
            first.push(u32::try_from(hits.len()).expect("fewer than 2^32 hits"));
        }
        MilieuHits { first, hits }
    }
}

/// The guide distance (m) of a business in an area type and what it rests on, or `None`
/// when the business never conflicts there (functiemenging A, nothing known, or a 0 m
/// guide).
pub fn guide_distance_m(business: &Business, area: VngArea) -> Option<(f64, GuideBasis)> {
    let (guide, basis) = match (business.milieucategorie, business.functiemenging) {
        (Some(m), _) => (
            match area {
                VngArea::RustigeWoonwijk => m.guide_distance_rustig_m(),
                VngArea::GemengdGebied => m.guide_distance_gemengd_m(),
            },
            GuideBasis::Milieucategorie(m),
        ),
        (None, Some(f @ (Functiemenging::B | Functiemenging::C))) => {
            (FUNCTIEMENGING_SEPARATION_M, GuideBasis::Functiemenging(f))
        }
        _ => return None,
    };
    (guide > 0.0).then_some((guide, basis))
}

/// Per building (parallel to `layers.buildings`), the businesses closer than their guide
/// distance, nearest first (ties by business position). A building without a zoning
/// entry (a `zoning` from other layers) is judged as in a rustige woonwijk, the stricter
/// reading. Never panics; deterministic.
///
/// # Examples
/// ```
/// use binnenstad::model::{Business, Milieucategorie, ZoneCharacter};
/// use binnenstad::rules::milieu::{guide_distance_m, VngArea};
/// let carpenter = Business {
///     id: "b1".into(), point: geo::Point::new(0.0, 0.0),
///     milieucategorie: Some(Milieucategorie::C3_1), functiemenging: None,
///     activity: Some("craft=carpenter".into()), name: None,
/// };
/// assert_eq!(guide_distance_m(&carpenter, VngArea::for_zone(ZoneCharacter::Rust)).unwrap().0, 50.0);
/// assert_eq!(guide_distance_m(&carpenter, VngArea::for_zone(ZoneCharacter::Reuring)).unwrap().0, 30.0);
/// ```
pub fn milieu(layers: &Layers, zoning: &Zoning) -> Vec<Vec<MilieuHit>> {
    // One tree per guide row (each milieucategorie, and functiemenging B/C), so a
    // building only meets the businesses that can reach it.
    let mut rows: Vec<Vec<GeomWithData<[f64; 2], usize>>> = vec![Vec::new(); TIERS];
    for (i, b) in layers.businesses.iter().enumerate() {
        if let Some(t) = tier(b)
            && b.point.x().is_finite()
            && b.point.y().is_finite()
        {
            rows[t].push(GeomWithData::new([b.point.x(), b.point.y()], i));
        }
    }
    let tiers: Vec<(usize, PointTree)> = rows
        .into_iter()
        .enumerate()
        .filter(|(_, r)| !r.is_empty())
        .map(|(t, r)| (t, RTree::bulk_load(r)))
        .collect();
    if tiers.is_empty() {
        return vec![Vec::new(); layers.buildings.len()];
    }
    layers
        .buildings
        .par_iter()
        .enumerate()
        .map(|(bi, building)| {
            let zone = zoning
                .buildings
                .get(bi)
                .map_or(ZoneCharacter::Rust, |z| z.zone);
            let area = VngArea::for_zone(zone);
            let Some(rect) = building.footprint.bounding_rect() else {
                return Vec::new();
            };
            let (lo, hi) = (rect.min(), rect.max());
            if ![lo.x, lo.y, hi.x, hi.y].iter().all(|v| v.is_finite()) {
                return Vec::new();
            }
            let mut hits = Vec::new();
            for (t, tree) in &tiers {
                let r = tier_guide_m(*t, area);
                if r.is_nan() || r <= 0.0 {
                    continue;
                }
                let envelope = AABB::from_corners([lo.x - r, lo.y - r], [hi.x + r, hi.y + r]);
                for g in tree.locate_in_envelope_intersecting(&envelope) {
                    let b = &layers.businesses[g.data];
                    // Cheap test first: the distance to the bounding box is a lower bound.
                    let [x, y] = *g.geom();
                    let dx = (lo.x - x).max(x - hi.x).max(0.0);
                    let dy = (lo.y - y).max(y - hi.y).max(0.0);
                    if dx * dx + dy * dy >= r * r {
                        continue;
                    }
                    let Some((guide_m, basis)) = guide_distance_m(b, area) else {
                        continue;
                    };
                    let distance_m = Euclidean.distance(&b.point, &building.footprint);
                    if distance_m < guide_m {
                        hits.push(MilieuHit {
                            business: g.data,
                            distance_m,
                            guide_m,
                            basis,
                            area,
                        });
                    }
                }
            }
            hits.sort_by(|a, b| {
                a.distance_m
                    .total_cmp(&b.distance_m)
                    .then(a.business.cmp(&b.business))
            });
            hits
        })
        .collect()
}

/// Business points with their position in the layer.
type PointTree = RTree<GeomWithData<[f64; 2], usize>>;

/// Guide rows: the ten milieucategorieën, then functiemenging B/C.
const TIERS: usize = 11;

fn tier(b: &Business) -> Option<usize> {
    match (b.milieucategorie, b.functiemenging) {
        (Some(m), _) => Milieucategorie::ALL.iter().position(|&c| c == m),
        (None, Some(Functiemenging::B | Functiemenging::C)) => Some(10),
        _ => None,
    }
}

fn tier_guide_m(tier: usize, area: VngArea) -> f64 {
    match Milieucategorie::ALL.get(tier) {
        Some(m) => match area {
            VngArea::RustigeWoonwijk => m.guide_distance_rustig_m(),
            VngArea::GemengdGebied => m.guide_distance_gemengd_m(),
        },
        None => FUNCTIEMENGING_SEPARATION_M,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BuildingUse;
    use crate::rules::zoning::tests::{building, horeca, settings};
    use crate::rules::zoning::zone;
    use geo::Point;

    /// The store gives back every building's hits as the per-building lists did.
    #[test]
    fn milieu_hits_store_each_buildings_run() {
        let hit = |business: usize| MilieuHit {
            business,
            distance_m: business as f64 + 0.5,
            guide_m: 30.0,
            basis: GuideBasis::Functiemenging(Functiemenging::B),
            area: VngArea::GemengdGebied,
        };
        let lists = vec![vec![], vec![hit(3), hit(1)], vec![], vec![hit(7)], vec![]];
        let store = MilieuHits::from(lists.clone());
        assert_eq!(store.len(), 5);
        for (i, l) in lists.iter().enumerate() {
            assert_eq!(store.get(i), Some(l.as_slice()), "{i}");
        }
        assert_eq!(store.get(5), None);
        assert_eq!(store.iter().collect::<Vec<_>>(), lists);
        assert!(MilieuHits::from(Vec::new()).is_empty());
        assert_eq!(MilieuHits::from(Vec::new()).get(0), None);
    }

    fn business(
        id: &str,
        x: f64,
        y: f64,
        cat: Option<&str>,
        f: Option<Functiemenging>,
    ) -> Business {
        Business {
            id: id.into(),
            point: Point::new(x, y),
            milieucategorie: cat.and_then(Milieucategorie::parse),
            functiemenging: f,
            activity: None,
            name: None,
        }
    }

    #[test]
    fn category_3_1_at_40_m_is_a_hit_in_rust_not_in_gemengd() {
        // Home footprint 8 × 8 m around (1000, 1000); business 44 m east of the anchor,
        // 40 m from the facade.
        let carpentry = business("carpentry", 1044.0, 1000.0, Some("3.1"), None);
        let quiet = Layers {
            buildings: vec![building("home", 1000.0, 1000.0, BuildingUse::Residential)],
            businesses: vec![carpentry.clone()],
            ..Layers::default()
        };
        let z = zone(&quiet, &settings());
        assert_eq!(z.buildings[0].zone, ZoneCharacter::Rust);
        let hits = milieu(&quiet, &z);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].len(), 1);
        let h = hits[0][0];
        assert_eq!((h.business, h.distance_m, h.guide_m), (0, 40.0, 50.0));
        assert_eq!(h.area, VngArea::RustigeWoonwijk);
        assert_eq!(h.basis, GuideBasis::Milieucategorie(Milieucategorie::C3_1));

        // The same home next to a pub: gemengd gebied, 30 m, no hit.
        let mixed = Layers {
            horeca: vec![horeca("pub", 1000.0, 1000.0, 2)],
            ..quiet
        };
        let z = zone(&mixed, &settings());
        assert_eq!(z.buildings[0].zone, ZoneCharacter::Gemengd);
        assert!(milieu(&mixed, &z)[0].is_empty());
    }

    #[test]
    fn functiemenging_and_edge_cases() {
        let layers = Layers {
            buildings: vec![
                building("home", 0.0, 0.0, BuildingUse::Residential),
                building("shop", 100.0, 0.0, BuildingUse::Retail),
            ],
            businesses: vec![
                business("a", 6.0, 0.0, None, Some(Functiemenging::A)),
                business("b", 9.0, 0.0, None, Some(Functiemenging::B)),
                business("c-far", 0.0, 20.0, None, Some(Functiemenging::C)),
                business("inside", 100.0, 1.0, Some("2"), None),
                business("unknown", 1.0, 1.0, None, None),
                business("nan", f64::NAN, 1.0, Some("6"), None),
                business("cat1", 0.0, 8.0, Some("1"), Some(Functiemenging::C)),
                business("exactly", 0.0, -34.0, Some("2"), None),
            ],
            ..Layers::default()
        };
        let z = zone(&layers, &settings());
        let hits = milieu(&layers, &z);
        let ids = |b: usize| -> Vec<&str> {
            hits[b]
                .iter()
                .map(|h| layers.businesses[h.business].id.as_str())
                .collect()
        };
        // b at 5 m from the facade (B: < 10 m); cat 1 at 4 m (rust: 10 m) and it
        // outranks its class C; c-far at 16 m; "exactly" at 30 m = guide: not a hit.
        assert_eq!(ids(0), ["cat1", "b"]);
        assert_eq!(
            hits[0][1].basis,
            GuideBasis::Functiemenging(Functiemenging::B)
        );
        assert_eq!(ids(1), ["inside"]);
        assert_eq!(hits[1][0].distance_m, 0.0);
        // No businesses, no zoning entries: empty per building, no panic.
        let bare = Layers {
            buildings: layers.buildings.clone(),
            ..Layers::default()
        };
        assert_eq!(milieu(&bare, &z), vec![Vec::new(), Vec::new()]);
        let empty_zoning = zone(&Layers::default(), &settings());
        assert_eq!(milieu(&layers, &empty_zoning)[0].len(), 2);
    }

    #[test]
    fn guide_distances_follow_the_vng_table() {
        let b = business("x", 0.0, 0.0, Some("6"), None);
        assert_eq!(
            guide_distance_m(&b, VngArea::RustigeWoonwijk).unwrap().0,
            1500.0
        );
        assert_eq!(
            guide_distance_m(&b, VngArea::GemengdGebied).unwrap().0,
            1000.0
        );
        let one = business("x", 0.0, 0.0, Some("1"), None);
        assert_eq!(guide_distance_m(&one, VngArea::GemengdGebied), None);
        assert_eq!(
            VngArea::for_zone(ZoneCharacter::Reuring),
            VngArea::GemengdGebied
        );
    }
}
