//! The query commands' answers: `site`, `sites`, `reach`, `isochrone`, `compare`.
//!
//! Pure: each function takes a finished [`Plan`] (and its [`Scenario`]) and
//! returns a serialisable value; `table()` renders it as readable text for
//! the terminal, `serde_json` as JSON for scripts.

use crate::crs::{Crs, Transformer};
use crate::error::{Error, Result};
use crate::model::AmenityKind;
use crate::network::{self, KindDistances};
use crate::plan::Plan;
use crate::rules::compare::{self, VerdictChange};
use crate::rules::suitability::{self, CriterionText, HorecaIndex, kind_nl};
use crate::scenario::{Doelgroep, Scenario};
use geo::{Contains, Distance, Euclidean, LineString, Point};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Text from the data made safe for a terminal: control characters (ESC, NUL,
/// CR, newline, tab ...) and the bidirectional overrides that reorder what a
/// terminal shows become visible escapes (`\u{1b}`), so a name cannot move the
/// cursor, clear the screen or fake a row.
///
/// # Examples
/// ```
/// use binnenstad::query::printable;
/// assert_eq!(printable("Caf\u{e9}"), "Caf\u{e9}");
/// assert_eq!(printable("a\u{1b}[2Jb\r"), "a\\u{1b}[2Jb\\u{d}");
/// ```
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`printable`] for a whole table: its own line breaks stay.
pub fn printable_lines(table: &str) -> String {
    table
        .split('\n')
        .map(printable)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A building within this distance of a LON,LAT (m) counts as the one meant, when none contains it.
pub const PICK_RADIUS_M: f64 = 25.0;

/// Parses "LON,LAT" (degrees) into a working-CRS point; `None` when the text is not a coordinate pair.
pub fn parse_lonlat(text: &str, working: Crs) -> Result<Option<Point<f64>>> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [lon, lat] = parts.as_slice() else {
        return Ok(None);
    };
    let (Ok(lon), Ok(lat)) = (lon.parse::<f64>(), lat.parse::<f64>()) else {
        return Ok(None);
    };
    if !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
        // Metres in the Dutch grid (RD New, X,Y as QGIS shows them) are understood too.
        if (-7_000.0..=300_000.0).contains(&lon) && (289_000.0..=629_000.0).contains(&lat) {
            let (x, y) = Transformer::new(Crs::RD_NEW, working)?.convert(lon, lat)?;
            return Ok(Some(Point::new(x, y)));
        }
        return Err(Error::Usage(format!(
            "{text} is geen LON,LAT in graden en geen RD New X,Y in meters"
        )));
    }
    let (x, y) = Transformer::new(Crs::WGS84, working)?.convert(lon, lat)?;
    Ok(Some(Point::new(x, y)))
}

/// The building a planner means: its id, or the building at (or within 25 m of) LON,LAT.
///
/// A BAG pand id is found in both its 16-digit form and the 15-digit form that
/// lost the leading zero ([`crate::model::bag_pand_id`]).
pub fn find_building(plan: &Plan, text: &str) -> Result<usize> {
    if let Some(i) = building_by_id(plan, text) {
        return Ok(i);
    }
    if let Some(hint) = swapped_hint(plan, text) {
        return Err(Error::Usage(hint));
    }
    let Some(p) = parse_lonlat(text, plan.working_crs)? else {
        return Err(Error::Usage(format!(
            "geen gebouw met id \"{text}\" (geef een gebouw-id of LON,LAT)"
        )));
    };
    if let Some(i) = plan
        .layers
        .buildings
        .iter()
        .position(|b| b.footprint.contains(&p))
    {
        return Ok(i);
    }
    plan.layers
        .buildings
        .iter()
        .enumerate()
        .map(|(i, b)| (i, Euclidean.distance(&p, &b.footprint)))
        .filter(|(_, d)| *d <= PICK_RADIUS_M)
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
        .map(|(i, _)| i)
        .ok_or_else(|| {
            Error::Usage(format!(
                "geen gebouw op of binnen {PICK_RADIUS_M} m van {text}"
            ))
        })
}

/// The building with this id, as given or in its 16-digit BAG form
/// ([`crate::model::bag_pand_id`]), or else the first (in input order) whose
/// name or address is `text` (case aside: `staalkade 1`).
fn building_by_id(plan: &Plan, text: &str) -> Option<usize> {
    let id = crate::model::bag_pand_id(text);
    let buildings = &plan.layers.buildings;
    buildings
        .iter()
        .position(|b| b.id == id || b.id == text)
        .or_else(|| {
            let name = text.trim().to_lowercase();
            buildings
                .iter()
                .position(|b| b.name.as_deref().is_some_and(|n| n.to_lowercase() == name))
        })
}

/// When `text` is a coordinate pair outside the buildings' extent whose swap
/// (`LAT,LON` read as `LON,LAT`) lies inside it: the hint to give.
fn swapped_hint(plan: &Plan, text: &str) -> Option<String> {
    let (a, b) = text.split_once(',')?;
    let swapped = format!("{},{}", b.trim(), a.trim());
    let rect = crate::io::load::buildings_rect(&plan.layers)?;
    let grown = geo::Rect::new(
        geo::coord! { x: rect.min().x - 1000.0, y: rect.min().y - 1000.0 },
        geo::coord! { x: rect.max().x + 1000.0, y: rect.max().y + 1000.0 },
    );
    let inside = |t: &str| {
        parse_lonlat(t, plan.working_crs)
            .ok()
            .flatten()
            .is_some_and(|p| grown.contains(&p))
    };
    (!inside(text) && inside(&swapped)).then(|| {
        format!(
            "{text} ligt ver van de kaart en {swapped} ligt erin: coördinaten zijn LON,LAT (lengtegraad eerst); bedoelt u {swapped}?"
        )
    })
}

/// A point to start from: LON,LAT or a building id (its anchor).
///
/// # Errors
/// A usage error for text that is neither; for a pair given as LAT,LON that
/// lands far from the map, the message says so and gives the swapped pair.
pub fn find_point(plan: &Plan, text: &str) -> Result<Point<f64>> {
    if let Some(hint) = swapped_hint(plan, text) {
        return Err(Error::Usage(hint));
    }
    if let Some(p) = parse_lonlat(text, plan.working_crs)? {
        return Ok(p);
    }
    match building_by_id(plan, text).map(|i| &plan.layers.buildings[i]) {
        Some(b) => Ok(b.anchor()),
        None => Err(Error::Usage(format!(
            "\"{text}\" is geen LON,LAT, RD X,Y, gebouw-id, naam of adres van een gebouw"
        ))),
    }
}

/// One group's judgement of one building, every criterion with its numbers.
#[derive(Debug, Serialize)]
pub struct GroupExplanation {
    /// Group key.
    pub group: String,
    /// Group label.
    pub label: String,
    /// Score 0-100.
    pub score: f64,
    /// geschikt / voorwaardelijk / ongeschikt.
    pub verdict: String,
    /// Every criterion.
    pub criteria: Vec<CriterionText>,
}

/// Walking distance to one kind.
#[derive(Debug, Serialize)]
pub struct WalkRow {
    /// Amenity kind.
    pub kind: String,
    /// Metres over the network; null = none reachable.
    pub metres: Option<f64>,
    /// The nearest one's id.
    pub nearest: Option<String>,
}

/// The whole explanation of one building.
#[derive(Debug, Serialize)]
pub struct SiteExplanation {
    /// Stable id.
    pub building_id: String,
    /// Name or address.
    pub name: Option<String>,
    /// Use.
    pub usage: String,
    /// Floors (and whether estimated).
    pub floors: u32,
    /// Floors were estimated.
    pub floors_estimated: bool,
    /// Gross floor area m².
    pub floor_area_m2: f64,
    /// The source's building type (OSM `building=*`).
    pub building_type: Option<String>,
    /// Not a dwelling (shed, garage ...): no verdict for any group.
    pub non_dwelling: bool,
    /// Landmark / public-building kind, when it is one.
    pub landmark: Option<String>,
    /// Dwellings (woningen) in it.
    pub dwellings: u32,
    /// The dwellings were estimated from the floor area.
    pub dwellings_estimated: bool,
    /// Vacant as a whole.
    pub vacant: bool,
    /// Units known (0 = unknown).
    pub units: u32,
    /// Vacant units.
    pub units_vacant: u32,
    /// Floor area of the vacant units (m², estimated).
    pub vacant_m2: f64,
    /// Monument.
    pub monument: bool,
    /// Zone character.
    pub zone: String,
    /// Reuring index.
    pub reuring_index: f64,
    /// In the kernwinkelgebied.
    pub in_retail_core: bool,
    /// A transformation site: its rank.
    pub site_rank: Option<usize>,
    /// A transformation site: why it ranks where it does (type, potential and
    /// its components, usable m², homes, conditions), as `sites` shows it.
    pub site: Option<SiteRow>,
    /// Walking distances per kind.
    pub walking: Vec<WalkRow>,
    /// Per group.
    pub groups: Vec<GroupExplanation>,
}

/// Explains one building for every group.
pub fn explain_site(plan: &Plan, scenario: &Scenario, building: usize) -> Result<SiteExplanation> {
    let b = plan
        .layers
        .buildings
        .get(building)
        .ok_or_else(|| Error::Usage(format!("geen gebouw met nummer {building}")))?;
    let facts = plan.building_facts(building);
    let zone = plan.zoning.buildings.get(building);
    let walking = plan
        .walk_kinds(scenario)
        .into_iter()
        .map(|kind| {
            let kd = KindDistances::find(&plan.walk, kind);
            WalkRow {
                kind: kind.as_str().into(),
                metres: kd
                    .and_then(|k| k.metres(building))
                    .map(|m| (m * 10.0).round() / 10.0),
                nearest: kd
                    .and_then(|k| k.nearest(building))
                    .and_then(|a| plan.layers.amenities.get(a as usize))
                    .map(|a| a.id.clone()),
            }
        })
        .collect();
    let site = plan.sites.iter().find(|s| s.building == building);
    // The plan keeps only the criteria that did not pass; assess this one building again for all.
    let horeca_index = HorecaIndex::new(&plan.layers.horeca);
    let groups = scenario
        .groups
        .iter()
        .filter(|_| !b.non_dwelling)
        .filter_map(|g| {
            let a = suitability::assess(
                b,
                facts.as_ref()?,
                &plan.layers,
                g,
                &plan.suitability,
                &horeca_index,
            );
            Some(GroupExplanation {
                group: g.name.clone(),
                label: g.label.clone(),
                score: a.score.round(),
                verdict: a.verdict.as_str().into(),
                criteria: a.explain(),
            })
        })
        .collect();
    Ok(SiteExplanation {
        building_id: b.id.clone(),
        name: b.name.clone(),
        usage: b.usage.as_str().into(),
        floors: b.floors.value,
        floors_estimated: b.floors.estimated,
        floor_area_m2: b.floor_area_m2.value.round(),
        building_type: b.building_type.clone(),
        non_dwelling: b.non_dwelling,
        landmark: b.landmark.clone(),
        dwellings: b.dwellings.value,
        dwellings_estimated: b.dwellings.estimated,
        vacant: b.vacant,
        units: b.units.total,
        units_vacant: b.units.vacant,
        vacant_m2: b.units.vacant_m2.round(),
        monument: b.monument,
        zone: zone.map(|z| z.zone.as_str()).unwrap_or("rust").into(),
        reuring_index: zone
            .map(|z| (z.reuring_index * 100.0).round() / 100.0)
            .unwrap_or(0.0),
        in_retail_core: facts.as_ref().map(|f| f.in_retail_core).unwrap_or(false),
        site_rank: site.map(|s| s.rank),
        site: site.and_then(|s| site_row(plan, scenario, s, None)),
        walking,
        groups,
    })
}

fn status_word(s: crate::rules::suitability::Status) -> &'static str {
    match s {
        crate::rules::suitability::Status::Pass => "ok",
        crate::rules::suitability::Status::Warn => "let op",
        crate::rules::suitability::Status::Fail => "FAALT",
        crate::rules::suitability::Status::Unknown => "onbekend",
    }
}

impl SiteExplanation {
    /// Readable text.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "gebouw {}{}",
            printable(&self.building_id),
            self.name
                .as_ref()
                .map(|n| format!(" ({})", printable(n)))
                .unwrap_or_default()
        );
        let _ = writeln!(
            s,
            "  gebruik {}, {}{}, {} m² bvo{}{}",
            crate::labels::use_key(&self.usage),
            crate::labels::aantal(u64::from(self.floors), "bouwlaag", "bouwlagen"),
            if self.floors_estimated {
                " (geschat)"
            } else {
                ""
            },
            crate::labels::nl_number(self.floor_area_m2, 0),
            if self.vacant { ", leegstaand" } else { "" },
            if self.monument { ", monument" } else { "" }
        );
        if self.non_dwelling {
            let _ = writeln!(
                s,
                "  geen woning ({}): geen woonoordeel voor een doelgroep",
                self.building_type.as_deref().unwrap_or("bijgebouw")
            );
        } else {
            let _ = writeln!(
                s,
                // "bestaande": the homes there now, not the site's new ones
                // printed below (review: "woningen: 2" above "2 woningen voor
                // starters" read as one figure).
                "  bestaande woningen: {}{}",
                crate::labels::nl_number(f64::from(self.dwellings), 0),
                if self.dwellings_estimated && self.dwellings > 0 {
                    " (geschat uit het vloeroppervlak)"
                } else {
                    ""
                }
            );
        }
        if let Some(k) = &self.landmark {
            let _ = writeln!(
                s,
                "  beeldbepalend of publiek gebouw ({k}): geen transformatielocatie tenzij het scenario het noemt"
            );
        }
        if self.units_vacant > 0 && !self.vacant {
            let _ = writeln!(
                s,
                "  {} van {} units leeg (ca. {} m²); het gebouw zelf is in gebruik",
                self.units_vacant,
                self.units,
                crate::labels::nl_number(self.vacant_m2, 0)
            );
        }
        let _ = writeln!(
            s,
            "  zone {} (reuringindex {}){}{}",
            self.zone,
            crate::labels::nl_number(self.reuring_index, 2),
            if self.in_retail_core {
                ", in het kernwinkelgebied"
            } else {
                ""
            },
            self.site_rank
                .map(|r| format!(", transformatielocatie #{r}"))
                .unwrap_or_default()
        );
        if let Some(r) = &self.site {
            use crate::labels::nl_number;
            let c = &r.components;
            let part = |v: f64| component_text(v, 2);
            let _ = writeln!(
                s,
                "  transformatielocatie #{}: {}, potentie {} (geschiktheid {}, leegstand {}, ligging {}, pasvorm {}, monument {}, gemeten data {}); {} m² bruikbaar, {} voor {}",
                r.rank,
                crate::labels::site_type(&r.site_type),
                nl_number(r.potential, 1),
                part(c.suitability),
                part(c.vacancy),
                part(c.location),
                part(c.fit),
                part(c.monument),
                part(c.data),
                nl_number(r.usable_m2, 0),
                crate::labels::aantal(u64::from(r.homes), "woning", "woningen"),
                r.group.as_deref().unwrap_or("geen doelgroep")
            );
            let _ = writeln!(
                s,
                "    bruikbaar: {} = {} m²",
                printable(&r.usable_basis),
                nl_number(r.usable_m2, 0)
            );
            for cond in &r.conditions {
                let _ = writeln!(s, "    {}", printable(cond));
            }
        }
        let _ = writeln!(s, "  lopen (netwerk):");
        for w in &self.walking {
            let m = w
                .metres
                .map(|m| format!("{:>7} m", crate::labels::nl_number(m, 0)))
                .unwrap_or_else(|| "      – ".into());
            let _ = writeln!(
                s,
                "    {:<18} {m}  {}",
                crate::labels::amenity_key(&w.kind),
                printable(w.nearest.as_deref().unwrap_or(""))
            );
        }
        for g in &self.groups {
            let _ = writeln!(
                s,
                "\n{}: {} (score {} van 100)",
                g.label,
                g.verdict,
                crate::labels::nl_number(g.score, 0)
            );
            for c in &g.criteria {
                let _ = writeln!(
                    s,
                    "  {:<8} {:<26} gemeten {:<24} grens {:<22} {:>4}/{:<4}{}",
                    status_word(c.status),
                    crate::labels::criterion(&c.key),
                    printable(&c.measured),
                    printable(&c.threshold),
                    crate::labels::nl_number(c.points, 1),
                    crate::labels::nl_number(c.max_points, 1),
                    if c.knockout { "  knock-out" } else { "" }
                );
                if c.status != crate::rules::suitability::Status::Pass {
                    let _ = writeln!(s, "          {}", printable(&c.reason));
                }
            }
        }
        s
    }
}

/// The few lines `plan` prints before the files to open (Dutch numbers):
/// buildings and study area, buildings per zone, the buildings geschikt per
/// doelgroep, and the sites with their homes and the best one.
///
/// ```text
/// amsterdam-centrum: 2.073 gebouwen, studiegebied 0,81 km²
///   zones: reuring 1.362 gebouwen, gemengd 378, rust 333
///   geschikt: Gezinnen 327, Ouderen (65+) 72, Starters (25-45) 1.783, Studenten 1.885 gebouwen
///   201 transformatielocaties, samen 2.410 woningen voor hun beste doelgroep (waarvan 956 in 3 locaties om te controleren: meer dan 100 woningen in één gebouw voor een doelgroep):
///     leeg: leegstand (heel gebouw) 5 locaties met 22 woningen; leegstaande units 1 locatie met 2 woningen
///     in gebruik: boven winkels 162 locaties met 1.075 woningen; aanloopstraat 30 locaties met 614 woningen; kantoor 3 locaties met 697 woningen
///   #1 Kalverstraat 199 (leegstand (heel gebouw), potentie 75,2): 5 woningen voor Studenten
/// ```
pub fn plan_summary(plan: &Plan, scenario: &Scenario) -> String {
    use crate::labels::{aantal, nl_number};
    let mut s = String::new();
    let buildings = &plan.layers.buildings;
    let _ = writeln!(
        s,
        "{}: {}, studiegebied {} km²",
        scenario.name,
        aantal(buildings.len() as u64, "gebouw", "gebouwen"),
        nl_number(plan.zoning.area_km2(), 2)
    );
    let mut zones: Vec<(crate::model::ZoneCharacter, u64)> = crate::model::ZoneCharacter::ALL
        .iter()
        .map(|z| {
            let n = plan
                .zoning
                .buildings
                .iter()
                .filter(|b| b.zone == *z)
                .count();
            (*z, n as u64)
        })
        .collect();
    zones.sort_by_key(|z| std::cmp::Reverse(z.1));
    let zones: Vec<String> = zones
        .iter()
        .enumerate()
        .map(|(i, (z, n))| {
            if i == 0 {
                format!("{} {}", z.as_str(), aantal(*n, "gebouw", "gebouwen"))
            } else {
                format!("{} {}", z.as_str(), nl_number(*n as f64, 0))
            }
        })
        .collect();
    let _ = writeln!(s, "  zones: {}", zones.join(", "));
    let geschikt: Vec<String> = scenario
        .groups
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let n = plan
                .assessments
                .iter()
                .filter(|a| {
                    a.get(gi)
                        .is_some_and(|a| a.verdict == suitability::Verdict::Geschikt)
                })
                .count();
            format!("{} {}", g.label, nl_number(n as f64, 0))
        })
        .collect();
    if !geschikt.is_empty() {
        let _ = writeln!(s, "  geschikt: {} gebouwen", geschikt.join(", "));
    }
    // A group with no building geschikt because the map lacks the data for
    // half or more of its needs (`suitability::data_carries_geschikt`, the
    // verdict's own rule): say so, so 0 does not read as a finding.
    for (gi, g) in scenario.groups.iter().enumerate() {
        let none = !plan.assessments.is_empty()
            && !plan.assessments.iter().any(|a| {
                a.get(gi)
                    .is_some_and(|a| a.verdict == suitability::Verdict::Geschikt)
            });
        let missing: Vec<&str> = g
            .needs_minutes
            .keys()
            .filter(|k| plan.suitability.unknown_needs.iter().any(|(u, _)| u == *k))
            .map(|k| crate::labels::amenity_kind(*k))
            .collect();
        if none
            && !missing.is_empty()
            && !suitability::data_carries_geschikt(missing.len(), g.needs_minutes.len())
        {
            let _ = writeln!(
                s,
                "    {}: geschikt kan niet: {} van de {} behoeften zonder data in de kaart ({})",
                g.label,
                missing.len(),
                g.needs_minutes.len(),
                missing.join(", ")
            );
        }
    }
    let homes: u64 = plan.sites.iter().map(|x| u64::from(x.best_homes)).sum();
    let _ = write!(
        s,
        "  {}, samen {} voor hun beste doelgroep",
        aantal(
            plan.sites.len() as u64,
            "transformatielocatie",
            "transformatielocaties"
        ),
        aantal(homes, "woning", "woningen"),
    );
    // A few very large sites can carry the total: say how much of it they are.
    let (check, check_homes) = crate::rules::sites::to_check(&plan.sites);
    if check > 0 {
        let _ = write!(
            s,
            " (waarvan {} in {} om te controleren: meer dan {} woningen in één gebouw voor een doelgroep)",
            nl_number(check_homes as f64, 0),
            aantal(check as u64, "locatie", "locaties"),
            crate::rules::sites::CHECK_HOMES
        );
    }
    // The total mixes empty buildings with shops and offices in use: split it.
    let by_type = crate::rules::sites::count_by_type(&plan.sites);
    let part = |vacant: bool| -> Vec<String> {
        by_type
            .iter()
            .filter(|(t, ..)| t.is_vacant() == vacant)
            .map(|(t, n, h)| {
                format!(
                    "{} {} met {}",
                    crate::labels::site_type(t.as_str()),
                    aantal(*n as u64, "locatie", "locaties"),
                    aantal(*h, "woning", "woningen")
                )
            })
            .collect()
    };
    if !plan.sites.is_empty() {
        let (mut leeg, in_gebruik) = (part(true), part(false));
        if !plan.vacancy_data {
            // Vacant units may still be mapped where whole-building vacancy is not.
            leeg.push(
                "leegstand van hele gebouwen onbekend (de kaart markeert bijna geen leegstand: \
                 de andere locaties zijn kansen, geen leegstaande panden)"
                    .into(),
            );
        }
        if leeg.is_empty() {
            leeg.push("geen".into());
        }
        let _ = write!(s, ":\n    leeg: {}", leeg.join("; "));
        if !in_gebruik.is_empty() {
            let _ = write!(s, "\n    in gebruik: {}", in_gebruik.join("; "));
        }
    }
    match plan.sites.first() {
        Some(best) => {
            let b = &buildings[best.building];
            let name = b.name.as_deref().unwrap_or(&b.id);
            let group = best
                .best_group
                .as_deref()
                .map(|g| scenario.group(g).map_or(g, |x| x.label.as_str()));
            let _ = writeln!(
                s,
                "\n  #1 {name} ({}, potentie {}): {}",
                crate::labels::site_type(best.kind.as_str()),
                nl_number(best.potential, 1),
                match group {
                    Some(g) => format!(
                        "{} voor {g}",
                        aantal(u64::from(best.best_homes), "woning", "woningen")
                    ),
                    None => "geen doelgroep".into(),
                }
            );
        }
        None => s.push('\n'),
    }
    s
}

/// One row of the sites table.
#[derive(Debug, Serialize)]
pub struct SiteRow {
    /// Rank (overall, or for the group asked).
    pub rank: usize,
    /// Building id.
    pub building_id: String,
    /// Name.
    pub name: Option<String>,
    /// Use.
    pub usage: String,
    /// Vacant.
    pub vacant: bool,
    /// Candidate type (`leegstand`, `boven_winkels`, `aanloopstraat` ...).
    pub site_type: String,
    /// Transformation potential 0-100.
    pub potential: f64,
    /// Its components, each 0-1.
    pub components: crate::rules::sites::Components,
    /// The group (best, or the one asked).
    pub group: Option<String>,
    /// Its score.
    pub score: f64,
    /// Its verdict.
    pub verdict: Option<String>,
    /// Homes for it.
    pub homes: u32,
    /// Usable m².
    pub usable_m2: f64,
    /// How the usable area was reached ([`Site::usable_basis`](crate::rules::sites::Site::usable_basis)).
    pub usable_basis: String,
    /// Conditions.
    pub conditions: Vec<String>,
}

/// The ranked sites, overall (best group) or for one group (sites not ongeschikt for it, best score then most homes).
pub fn sites_rows(
    plan: &Plan,
    scenario: &Scenario,
    group: Option<&Doelgroep>,
    top: usize,
) -> Vec<SiteRow> {
    let mut rows: Vec<SiteRow> = plan
        .sites
        .iter()
        .filter_map(|s| site_row(plan, scenario, s, group))
        .collect();
    if group.is_some() {
        rows.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.homes.cmp(&a.homes))
                .then(a.building_id.cmp(&b.building_id))
        });
        for (i, r) in rows.iter_mut().enumerate() {
            r.rank = i + 1;
        }
    }
    rows.truncate(top);
    rows
}

/// One site as a row of the sites table: for its best group, or for `group`
/// (None when the site is ongeschikt for it).
fn site_row(
    plan: &Plan,
    scenario: &Scenario,
    s: &crate::rules::sites::Site,
    group: Option<&Doelgroep>,
) -> Option<SiteRow> {
    let b = plan.layers.buildings.get(s.building)?;
    let (gname, score, verdict, homes) = match group {
        None => {
            let gi = s
                .best_group
                .as_ref()
                .and_then(|g| scenario.groups.iter().position(|x| &x.name == g));
            let verdict = gi
                .and_then(|gi| plan.assessments.get(s.building)?.get(gi))
                .map(|a| a.verdict.as_str().to_string());
            (s.best_group.clone(), s.best_score, verdict, s.best_homes)
        }
        Some(g) => {
            let gi = scenario.groups.iter().position(|x| x.name == g.name)?;
            let a = plan.assessments.get(s.building)?.get(gi)?;
            if !a.verdict.acceptable() {
                return None;
            }
            (
                Some(g.name.clone()),
                a.score,
                Some(a.verdict.as_str().to_string()),
                s.homes.get(&g.name).copied().unwrap_or(0),
            )
        }
    };
    Some(SiteRow {
        rank: s.rank,
        building_id: b.id.clone(),
        name: b.name.clone(),
        usage: b.usage.as_str().into(),
        vacant: s.vacant,
        site_type: s.kind.as_str().into(),
        potential: (s.potential * 10.0).round() / 10.0,
        components: s.components,
        group: gname,
        score: score.round(),
        verdict,
        homes,
        usable_m2: s.usable_m2.round(),
        usable_basis: s.usable_basis.clone(),
        conditions: s.conditions.clone(),
    })
}

/// A site component (0-1) in Dutch; NaN, a component the data cannot give
/// (monument or vacancy status onbekend, `rules::sites`), reads "onbekend".
fn component_text(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        crate::labels::nl_number(v, decimals)
    } else {
        "onbekend".into()
    }
}

/// The sites table as text.
pub fn sites_table(rows: &[SiteRow]) -> String {
    use crate::labels::nl_number;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:>4}  {:<20} {:<28} {:<23} {:>8}  {:<34} {:<10} {:>5} {:>8} {:>8}  voorwaarden",
        "#",
        "gebouw",
        "naam",
        "type",
        "potentie",
        "gesch/leeg/ligg/pas/mon/data",
        "doelgroep",
        "score",
        "woningen",
        "m²"
    );
    for r in rows {
        // A longer name is cut with a mark, so the table says it is cut.
        let full = printable(r.name.as_deref().unwrap_or_default());
        let name: String = if full.chars().count() > 28 {
            full.chars().take(27).chain(['…']).collect()
        } else {
            full.to_string()
        };
        let c = &r.components;
        let _ = writeln!(
            s,
            "{:>4}  {:<20} {:<28} {:<23} {:>8}  {:<34} {:<10} {:>5} {:>8} {:>8}  {}",
            r.rank,
            printable(&r.building_id),
            name,
            crate::labels::site_type(&r.site_type),
            nl_number(r.potential, 1),
            [
                c.suitability,
                c.vacancy,
                c.location,
                c.fit,
                c.monument,
                c.data
            ]
            .iter()
            .enumerate()
            .map(|(i, v)| component_text(*v, if i == 4 { 0 } else { 2 }))
            .collect::<Vec<_>>()
            .join("/"),
            r.group.as_deref().unwrap_or("–"),
            nl_number(r.score, 0),
            nl_number(f64::from(r.homes), 0),
            nl_number(r.usable_m2, 0),
            printable(&r.conditions.join("; "))
        );
    }
    let _ = writeln!(
        s,
        "(potentie = transformatiepotentie 0-100 uit geschiktheid, leegstand, ligging t.o.v. het kernwinkelgebied, pasvorm van het vloeroppervlak, geen monument, gemeten data; score = geschiktheid voor de doelgroep)"
    );
    s
}

/// One row of `reach`.
#[derive(Debug, Serialize)]
pub struct ReachRow {
    /// Amenity kind.
    pub kind: String,
    /// Dutch name.
    pub kind_nl: String,
    /// Metres over the network (null = none reachable).
    pub metres: Option<f64>,
    /// Minutes at the group's speed.
    pub minutes: Option<f64>,
    /// The group's maximum for this kind, when it is a need.
    pub max_minutes: Option<f64>,
    /// Met (null when not a need of the group).
    pub met: Option<bool>,
    /// The amenity reached.
    pub amenity_id: Option<String>,
    /// Its name.
    pub amenity_name: Option<String>,
}

/// The answer of `reach`.
#[derive(Debug, Serialize)]
pub struct Reach {
    /// The group used for minutes.
    pub group: String,
    /// Its walking speed (km/h).
    pub walk_speed_kmh: f64,
    /// Per kind present, and per need of the group.
    pub rows: Vec<ReachRow>,
    /// Set when the start joins a part of the walking network cut off from the
    /// main one: how long that part is (m). Distances then stay within it.
    pub start_off_network_m: Option<f64>,
    /// Routes per kind (working CRS), not serialised.
    #[serde(skip)]
    pub routes: Vec<(AmenityKind, LineString<f64>)>,
}

/// Walking distance from a point to the nearest amenity of each kind, in minutes for a group.
pub fn reach(
    plan: &Plan,
    scenario: &Scenario,
    from: Point<f64>,
    group: &Doelgroep,
) -> Result<Reach> {
    let results = network::reach(
        &plan.network,
        from,
        &plan.layers.amenities,
        &scenario.network,
    )
    .map_err(|e| Error::Usage(format!("kan daar niet beginnen: {e}")))?;
    let gaps = crate::plan::data_gaps(&plan.layers, &plan.zoning, scenario);
    let mut rows = Vec::new();
    let mut routes = Vec::new();
    let mut kinds: Vec<AmenityKind> = results.iter().map(|r| r.kind).collect();
    for k in group.needs_minutes.keys() {
        if !kinds.contains(k) {
            kinds.push(*k);
        }
    }
    kinds.sort();
    for kind in kinds {
        let r = results.iter().find(|r| r.kind == kind);
        let metres = r.and_then(|r| r.metres);
        let minutes = metres.map(|m| group.minutes(m));
        let max = group.needs_minutes.get(&kind).copied();
        let amenity = r
            .and_then(|r| r.amenity)
            .and_then(|a| plan.layers.amenities.get(a as usize));
        if let Some(route) = r.and_then(|r| r.route.clone()) {
            routes.push((kind, route));
        }
        rows.push(ReachRow {
            kind: kind.as_str().into(),
            kind_nl: kind_nl(kind).into(),
            metres: metres.map(|m| (m * 10.0).round() / 10.0),
            minutes: minutes.map(|m| (m * 10.0).round() / 10.0),
            max_minutes: max,
            // Too few of the kind in the map to judge: onbekend (null), not "no".
            met: max
                .filter(|_| metres.is_some() || !gaps.iter().any(|(k, _)| *k == kind))
                .map(|mx| minutes.is_some_and(|m| m <= mx)),
            amenity_id: amenity.map(|a| a.id.clone()),
            amenity_name: amenity.and_then(|a| a.name.clone()),
        });
    }
    let start_off_network_m = plan
        .network
        .snap(from)
        .and_then(|s| plan.network.component_of_edge(s.edge))
        .filter(|&c| plan.network.is_cut_off(c))
        .and_then(|c| plan.network.components().get(c))
        .map(|c| c.length_m.round());
    Ok(Reach {
        group: group.name.clone(),
        walk_speed_kmh: group.walk_speed_kmh,
        rows,
        start_off_network_m,
        routes,
    })
}

impl Reach {
    /// Readable text.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "lopen voor {} ({} km/u)",
            self.group,
            crate::labels::nl_number(self.walk_speed_kmh, 1).trim_end_matches(",0")
        );
        if let Some(m) = self.start_off_network_m {
            let _ = writeln!(
                s,
                "let op: het startpunt ligt aan een van het hoofdnetwerk afgesneden stuk straat ({} m); afstanden alleen binnen dat stuk",
                crate::labels::nl_number(m, 0)
            );
        }
        let _ = writeln!(
            s,
            "{:<18} {:>8} {:>6} {:>6}  {:<9} naar",
            "soort", "meter", "min", "max", "behoefte"
        );
        for r in &self.rows {
            let _ = writeln!(
                s,
                "{:<18} {:>8} {:>6} {:>6}  {:<9} {}",
                crate::labels::amenity_key(&r.kind),
                r.metres
                    .map(|m| crate::labels::nl_number(m, 0))
                    .unwrap_or_else(|| "–".into()),
                r.minutes
                    .map(crate::labels::minutes)
                    .unwrap_or_else(|| "–".into()),
                r.max_minutes
                    .map(crate::labels::minutes)
                    .unwrap_or_default(),
                match (r.met, r.max_minutes) {
                    (Some(true), _) => "ja",
                    (Some(false), _) => "NEE",
                    (None, Some(_)) => "onbekend",
                    (None, None) => "",
                },
                r.amenity_name
                    .clone()
                    .or(r.amenity_id.clone())
                    .unwrap_or_default()
            );
        }
        s
    }
}

/// Coverage in A and B for one group and kind.
#[derive(Debug, Serialize)]
pub struct CoverageChange {
    /// Group.
    pub group: String,
    /// Kind.
    pub kind: String,
    /// Share of homes inside in A (0-1).
    pub share_a: Option<f64>,
    /// In B.
    pub share_b: Option<f64>,
    /// Homes inside in A.
    pub homes_inside_a: Option<usize>,
    /// In B.
    pub homes_inside_b: Option<usize>,
}

/// The answer of `compare`.
#[derive(Debug, Serialize)]
pub struct Comparison {
    /// Scenario A's name.
    pub a: String,
    /// Scenario B's name.
    pub b: String,
    /// Coverage per group and kind.
    pub coverage: Vec<CoverageChange>,
    /// Verdicts that changed.
    pub verdict_changes: Vec<VerdictChange>,
    /// Dwellings (woningen, counted or estimated) in A and in B.
    pub homes: (usize, usize),
    /// Homes added by transformation per group (usable area / the group's unit size).
    pub homes_added: BTreeMap<String, u32>,
    /// Buildings whose zone changed: id, before, after.
    pub zone_changes: Vec<(String, String, String)>,
    /// Zone area per character (m²) in A and B.
    pub zone_area_m2: BTreeMap<String, (f64, f64)>,
    /// Model settings that differ between A and B, and what they changed (in
    /// Dutch): not interventions, so no home they make counts as added.
    pub model_changes: Vec<String>,
}

/// The model settings (`[model]`) that differ between two scenarios, each with
/// what it did to the buildings: changed settings are no transformation.
fn model_changes(a: (&Plan, &Scenario), b: (&Plan, &Scenario)) -> Vec<String> {
    let mut out = Vec::new();
    if a.1.unknown_use != b.1.unknown_use {
        let ua: BTreeMap<&str, crate::model::BuildingUse> =
            a.0.layers
                .buildings
                .iter()
                .map(|x| (x.id.as_str(), x.usage))
                .collect();
        let changed =
            b.0.layers
                .buildings
                .iter()
                .filter(|x| ua.get(x.id.as_str()).is_some_and(|u| *u != x.usage))
                .count();
        let show = |u: Option<crate::model::BuildingUse>| {
            u.map_or("geen (overig blijft overig)".to_string(), |u| u.to_string())
        };
        out.push(format!(
            "model.unknown_use: {} → {}: {changed} gebouwen met een ander gebruik (een lezing van de data, geen transformatie)",
            show(a.1.unknown_use),
            show(b.1.unknown_use)
        ));
    }
    if a.1.dwelling_m2 != b.1.dwelling_m2 {
        out.push(format!(
            "model.dwelling_m2: {} → {} m² per woning: geschatte woningen opnieuw geteld",
            a.1.dwelling_m2, b.1.dwelling_m2
        ));
    }
    if a.1.landmarks != b.1.landmarks {
        let n = |p: &Plan| {
            p.layers
                .buildings
                .iter()
                .filter(|x| x.landmark.is_some())
                .count()
        };
        out.push(format!(
            "model.landmarks_*: beeldbepalende/publieke gebouwen {} → {}",
            n(a.0),
            n(b.0)
        ));
    }
    out
}

fn verdict_list(plan: &Plan, scenario: &Scenario) -> Vec<compare::BuildingVerdicts> {
    plan.layers
        .buildings
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let per = plan
                .assessments
                .get(i)
                .map(|per| {
                    per.iter()
                        .zip(&scenario.groups)
                        .map(|(a, g)| (g.name.clone(), a.verdict))
                        .collect()
                })
                .unwrap_or_default();
            (b.id.clone(), per)
        })
        .collect()
}

/// Compares two scenarios' plans.
pub fn compare_plans(a: (&Plan, &Scenario), b: (&Plan, &Scenario)) -> Comparison {
    let key = |p: &Plan| -> BTreeMap<(String, String), (f64, usize)> {
        p.coverage
            .iter()
            .map(|c| {
                (
                    (c.group.clone(), c.kind.as_str().to_string()),
                    (c.share_inside, c.homes_inside),
                )
            })
            .collect()
    };
    let (ca, cb) = (key(a.0), key(b.0));
    let mut keys: Vec<&(String, String)> = ca.keys().chain(cb.keys()).collect();
    keys.sort();
    keys.dedup();
    let coverage = keys
        .into_iter()
        .map(|k| CoverageChange {
            group: k.0.clone(),
            kind: k.1.clone(),
            share_a: ca.get(k).map(|v| (v.0 * 1000.0).round() / 1000.0),
            share_b: cb.get(k).map(|v| (v.0 * 1000.0).round() / 1000.0),
            homes_inside_a: ca.get(k).map(|v| v.1),
            homes_inside_b: cb.get(k).map(|v| v.1),
        })
        .collect();
    let verdict_changes =
        compare::verdict_changes(&verdict_list(a.0, a.1), &verdict_list(b.0, b.1));
    // Homes added: buildings residential in B but not in A, counted in homes for the group they best suit in B.
    let a_use: BTreeMap<&str, crate::model::BuildingUse> =
        a.0.layers
            .buildings
            .iter()
            .map(|x| (x.id.as_str(), x.usage))
            .collect();
    let mut homes_added = BTreeMap::new();
    for (i, bld) in b.0.layers.buildings.iter().enumerate() {
        let was = a_use.get(bld.id.as_str()).copied();
        // Only what B's interventions transform: a changed model setting (say
        // `model.unknown_use`) turns buildings residential without building a home.
        let transformed = b.1.interventions.iter().any(|iv| {
            matches!(iv, crate::scenario::Intervention::Transform { ids, .. } if ids.contains(&bld.id))
        });
        if transformed
            && bld.usage == crate::model::BuildingUse::Residential
            && was != Some(crate::model::BuildingUse::Residential)
        {
            // The best group by score for this building in B; homes = usable area / unit size.
            let best = b.0.assessments.get(i).and_then(|per| {
                per.iter()
                    .zip(&b.1.groups)
                    .filter(|(x, _)| x.verdict.acceptable())
                    .max_by(|x, y| {
                        x.0.score
                            .total_cmp(&y.0.score)
                            .then(y.1.name.cmp(&x.1.name))
                    })
            });
            // The group the intervention names wins; else the best group in B.
            let named = b.1.interventions.iter().find_map(|iv| match iv {
                crate::scenario::Intervention::Transform {
                    ids,
                    group: Some(g),
                } if ids.contains(&bld.id) => b.1.group(g),
                _ => None,
            });
            let (group, unit) = match (named, best) {
                (Some(g), _) | (None, Some((_, g))) => (g.name.clone(), g.unit_m2),
                (None, None) => ("geen doelgroep".to_string(), 60.0),
            };
            let share = if bld.floor_area_usable {
                1.0
            } else {
                b.1.sites.usable_share
            };
            let homes = (bld.floor_area_m2.value * share / unit).floor() as u32;
            *homes_added.entry(group).or_insert(0) += homes;
        }
    }
    let a_zone: BTreeMap<&str, &str> =
        a.0.layers
            .buildings
            .iter()
            .zip(&a.0.zoning.buildings)
            .map(|(x, z)| (x.id.as_str(), z.zone.as_str()))
            .collect();
    let zone_changes =
        b.0.layers
            .buildings
            .iter()
            .zip(&b.0.zoning.buildings)
            .filter_map(|(x, z)| {
                let before = a_zone.get(x.id.as_str())?;
                (*before != z.zone.as_str()).then(|| {
                    (
                        x.id.clone(),
                        before.to_string(),
                        z.zone.as_str().to_string(),
                    )
                })
            })
            .collect();
    let mut zone_area_m2: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for z in &a.0.zoning.zones {
        zone_area_m2
            .entry(z.character.as_str().into())
            .or_default()
            .0 += z.area_m2;
    }
    for z in &b.0.zoning.zones {
        zone_area_m2
            .entry(z.character.as_str().into())
            .or_default()
            .1 += z.area_m2;
    }
    let count_homes = |p: &Plan| -> usize {
        p.layers
            .buildings
            .iter()
            .filter(|x| !x.non_dwelling)
            .map(|x| x.dwellings.value as usize)
            .sum()
    };
    Comparison {
        a: a.1.name.clone(),
        b: b.1.name.clone(),
        homes: (count_homes(a.0), count_homes(b.0)),
        coverage,
        verdict_changes,
        homes_added,
        zone_changes,
        zone_area_m2,
        model_changes: model_changes(a, b),
    }
}

impl Comparison {
    /// Readable text.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "A = {}, B = {}", self.a, self.b);
        let _ = writeln!(s, "woningen: {} → {}", self.homes.0, self.homes.1);
        let _ = writeln!(s, "\nbereik (aandeel woongebouwen binnen de looptijd)");
        let pct = |v: Option<f64>| {
            v.map(|x| format!("{:.1}%", x * 100.0))
                .unwrap_or_else(|| "–".into())
        };
        let mut changed = 0;
        for c in &self.coverage {
            let mark = if c.share_a != c.share_b { " *" } else { "" };
            changed += usize::from(!mark.is_empty());
            let _ = writeln!(
                s,
                "  {:<10} {:<18} {:>7} → {:>7}{mark}",
                c.group,
                c.kind,
                pct(c.share_a),
                pct(c.share_b)
            );
        }
        let _ = writeln!(
            s,
            "  ({changed} veranderd)\n\noordelen die veranderen: {}",
            self.verdict_changes.len()
        );
        for v in self.verdict_changes.iter().take(50) {
            let w = |x: &Option<crate::rules::suitability::Verdict>| {
                x.map(|v| v.as_str()).unwrap_or("–")
            };
            let _ = writeln!(
                s,
                "  {:<22} {:<10} {} → {}",
                v.building_id,
                v.group,
                w(&v.before),
                w(&v.after)
            );
        }
        if self.verdict_changes.len() > 50 {
            let _ = writeln!(
                s,
                "  ... en {} meer (--json)",
                self.verdict_changes.len() - 50
            );
        }
        let _ = writeln!(
            s,
            "\nwoningen erbij door ingrepen (transformatie, per doelgroep):"
        );
        if self.homes_added.is_empty() {
            let _ = writeln!(s, "  geen");
        }
        for (g, n) in &self.homes_added {
            let _ = writeln!(s, "  {g:<16} {n}");
        }
        if !self.model_changes.is_empty() {
            let _ = writeln!(s, "\nandere modelinstellingen (geen ingreep):");
            for line in &self.model_changes {
                let _ = writeln!(s, "  {line}");
            }
        }
        let _ = writeln!(s, "\nzones (m²):");
        for (z, (a, b)) in &self.zone_area_m2 {
            let _ = writeln!(s, "  {z:<8} {a:>10.0} → {b:>10.0}");
        }
        let _ = writeln!(
            s,
            "gebouwen met een andere zone: {}",
            self.zone_changes.len()
        );
        s
    }
}

/// Spacing of candidate points along streets for `suggest` (m).
pub const SUGGEST_STREET_SPACING_M: f64 = 50.0;
/// Walking minutes used by `suggest` when the group has no need for the kind.
pub const SUGGEST_DEFAULT_MINUTES: f64 = 10.0;

/// One suggested location.
#[derive(Debug, Serialize)]
pub struct Suggestion {
    /// 1 = chosen first.
    pub rank: usize,
    /// `[lon, lat]` in WGS84.
    pub lonlat: [f64; 2],
    /// What the location is: `site <building id>` or `street <street id> at <m> m`.
    pub candidate: String,
    /// Homes newly within reach.
    pub homes_gained: u32,
    /// Share of all homes within reach after this one (0-1).
    pub share_after: f64,
}

/// The answer of `suggest`.
#[derive(Debug, Serialize)]
pub struct Suggest {
    /// Amenity kind.
    pub kind: String,
    /// Group.
    pub group: String,
    /// The walking time used (min) and its distance (m).
    pub minutes: f64,
    /// Metres at the group's speed.
    pub threshold_m: f64,
    /// Homes in the study area.
    pub homes: usize,
    /// Homes already within reach of an existing amenity of the kind.
    pub homes_covered_before: usize,
    /// Candidate locations considered (on the main network).
    pub candidates: usize,
    /// Candidate locations left out: they join a part of the walking network
    /// cut off from the main one (named in the run's `island` warnings).
    pub candidates_off_network: usize,
    /// Ids of the buildings with homes that join such a cut-off part, sorted:
    /// no location on the main network brings them within reach.
    pub homes_off_network: Vec<String>,
    /// The picks, in order.
    pub suggestions: Vec<Suggestion>,
}

/// The `count` locations (transformation sites or points along streets) that
/// bring the most homes (residential buildings) within the group's walking
/// time of a new amenity of `kind`, by greedy maximal coverage.
pub fn suggest(
    plan: &Plan,
    scenario: &Scenario,
    kind: AmenityKind,
    count: usize,
    group: &Doelgroep,
) -> Result<Suggest> {
    use geo::{Euclidean, InterpolateLine, Length};
    let minutes = group
        .needs_minutes
        .get(&kind)
        .copied()
        .unwrap_or(SUGGEST_DEFAULT_MINUTES);
    let threshold_m = group.reach_m(minutes);
    // Homes are dwellings: each building with dwellings, weighted by their number.
    let homes: Vec<usize> = plan
        .layers
        .buildings
        .iter()
        .enumerate()
        .filter(|(_, b)| b.dwellings.value > 0 && !b.non_dwelling)
        .map(|(i, _)| i)
        .collect();
    let weights: Vec<u32> = homes
        .iter()
        .map(|&i| plan.layers.buildings[i].dwellings.value)
        .collect();
    let total_dwellings: usize = weights.iter().map(|&w| w as usize).sum();
    let kd = KindDistances::find(&plan.walk, kind);
    let covered: Vec<bool> = homes
        .iter()
        .map(|&i| {
            kd.and_then(|k| k.metres(i))
                .is_some_and(|m| m <= threshold_m)
        })
        .collect();
    // Candidates: the sites' buildings, then points every 50 m along each street.
    let mut points: Vec<Point<f64>> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    for s in &plan.sites {
        if let Some(b) = plan.layers.buildings.get(s.building) {
            points.push(b.anchor());
            labels.push(match &b.name {
                Some(name) => format!("locatie {name} ({})", b.id),
                None => format!("locatie {}", b.id),
            });
        }
    }
    for st in &plan.layers.streets {
        let len = Euclidean.length(&st.line);
        let n = (len / SUGGEST_STREET_SPACING_M).floor() as usize;
        for k in 0..=n {
            let at = (k as f64 * SUGGEST_STREET_SPACING_M).min(len);
            if let Some(p) = Euclidean.point_at_distance_from_start(&st.line, at) {
                points.push(p);
                // A street by its name ("Kalverstraat op 120 m"), by its id when unnamed.
                labels.push(match &st.name {
                    Some(name) => format!("{name} op {at:.0} m ({})", st.id),
                    None => format!("straat {} op {at:.0} m", st.id),
                });
            }
        }
    }
    // A candidate that joins a part of the network cut off from the main one
    // (the run warns about those parts) is no answer: it would serve only the
    // few homes on that piece. Such candidates are left out and counted; so are
    // the homes there, which no candidate on the main network can reach. A
    // network of its own (another kern) is no such piece: its candidates count.
    let off_main = |snaps: Vec<Option<network::Snap>>| -> Vec<bool> {
        snaps
            .into_iter()
            .map(|s| {
                s.is_some_and(|s| {
                    s.connector_m <= scenario.network.max_connector_m
                        && plan
                            .network
                            .component_of_edge(s.edge)
                            .is_some_and(|c| plan.network.is_cut_off(c))
                })
            })
            .collect()
    };
    let candidate_off = off_main(plan.network.snap_all(&points));
    let candidates_off_network = candidate_off.iter().filter(|&&o| o).count();
    let (points, labels): (Vec<Point<f64>>, Vec<String>) = points
        .into_iter()
        .zip(labels)
        .zip(&candidate_off)
        .filter(|(_, off)| !**off)
        .map(|(pl, _)| pl)
        .unzip();
    let targets: Vec<Point<f64>> = homes
        .iter()
        .map(|&i| plan.layers.buildings[i].anchor())
        .collect();
    let home_off = off_main(plan.network.snap_all(&targets));
    let mut homes_off_network: Vec<String> = homes
        .iter()
        .zip(&home_off)
        .filter(|(_, off)| **off)
        .map(|(&i, _)| plan.layers.buildings[i].id.clone())
        .collect();
    homes_off_network.sort();
    let reach = network::within(
        &plan.network,
        &points,
        &targets,
        threshold_m,
        &scenario.network,
    );
    let picks = crate::rules::suggest::greedy_weighted(&reach, &weights, &covered, count);
    let to_wgs = Transformer::new(plan.working_crs, Crs::WGS84)?;
    let covered_before: usize = covered
        .iter()
        .zip(&weights)
        .filter(|(c, _)| **c)
        .map(|(_, &w)| w as usize)
        .sum();
    let mut now_covered = covered_before;
    let mut suggestions = Vec::new();
    for (rank, (cand, gain)) in picks.into_iter().enumerate() {
        let p = points[cand];
        let (lon, lat) = to_wgs.convert(p.x(), p.y())?;
        now_covered += gain as usize;
        suggestions.push(Suggestion {
            rank: rank + 1,
            lonlat: [(lon * 1e7).round() / 1e7, (lat * 1e7).round() / 1e7],
            candidate: labels[cand].clone(),
            homes_gained: gain,
            share_after: if total_dwellings == 0 {
                0.0
            } else {
                ((now_covered as f64 / total_dwellings as f64) * 1000.0).round() / 1000.0
            },
        });
    }
    Ok(Suggest {
        kind: kind.as_str().into(),
        group: group.name.clone(),
        minutes,
        threshold_m: threshold_m.round(),
        homes: total_dwellings,
        homes_covered_before: covered_before,
        candidates: points.len(),
        candidates_off_network,
        homes_off_network,
        suggestions,
    })
}

impl Suggest {
    /// Readable text.
    pub fn table(&self) -> String {
        use crate::labels::{aantal, nl_number};
        let mut s = String::new();
        let _ = writeln!(
            s,
            "nieuwe {} voor {}: binnen {} min ({} m); {} van {} al binnen bereik; {}",
            crate::labels::amenity_key(&self.kind),
            self.group,
            crate::labels::minutes(self.minutes),
            nl_number(self.threshold_m, 0),
            nl_number(self.homes_covered_before as f64, 0),
            aantal(self.homes as u64, "woning", "woningen"),
            aantal(self.candidates as u64, "kandidaat", "kandidaten")
        );
        let _ = writeln!(
            s,
            "{:>3}  {:<24} {:>8} {:>8}  plek",
            "#", "lon,lat", "erbij", "daarna"
        );
        for x in &self.suggestions {
            let _ = writeln!(
                s,
                "{:>3}  {:<24} {:>8} {:>8}  {}",
                x.rank,
                format!("{:.6},{:.6}", x.lonlat[0], x.lonlat[1]),
                nl_number(x.homes_gained as f64, 0),
                format!("{} %", nl_number(x.share_after * 100.0, 1)),
                x.candidate
            );
        }
        if self.suggestions.is_empty() {
            let _ = writeln!(s, "geen plek brengt nog woningen binnen bereik");
        }
        if self.candidates_off_network > 0 {
            let _ = writeln!(
                s,
                "{} op een van het hoofdnetwerk afgesneden stuk straat niet meegeteld (`binnenstad check` noemt die stukken: island)",
                aantal(
                    self.candidates_off_network as u64,
                    "kandidaat",
                    "kandidaten"
                )
            );
        }
        if !self.homes_off_network.is_empty() {
            let shown: Vec<&str> = self
                .homes_off_network
                .iter()
                .take(5)
                .map(String::as_str)
                .collect();
            let more = self.homes_off_network.len().saturating_sub(5);
            let _ = writeln!(
                s,
                "{} met woningen aan een afgesneden stuk straat, buiten bereik van elke plek: {}{}",
                aantal(self.homes_off_network.len() as u64, "gebouw", "gebouwen"),
                shown.join(", "),
                if more > 0 {
                    format!(" en {more} meer")
                } else {
                    String::new()
                }
            );
        }
        s
    }
}
