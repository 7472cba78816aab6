//! Everything `plan` writes, as named byte buffers (pure; `io::output` writes them).
//!
//! GeoJSON layers (with a `.qml` sidecar each, which QGIS applies on load),
//! `binnenstad.qgs` (a project that opens every layer styled), `map.svg` and
//! `map.png` (the annotated map), `report.html` (self-contained), `kaart.html`
//! (the interactive map, self-contained: [`render::kaart`]) and
//! `summary.json` (every figure).
//!
//! With [`Format::Gpkg`] the layers go into one `binnenstad.gpkg` instead
//! (styles in its `layer_styles` table; written by `io::gpkg` from
//! [`gpkg_layers`], since SQLite needs a file), no GeoJSON or `.qml` files are
//! written, and `binnenstad.qgs` points at the GeoPackage's layers.

use crate::crs::{Crs, Transformer};
use crate::error::Result;
use crate::export;
use crate::io::write::{GeoJsonWriter, OutFeature};
use crate::plan::Plan;
use crate::render::{self, map::MapData, qml::GeomKind, report};
use crate::scenario::Scenario;
use geo::{Coord, Rect};
use std::time::{Duration, Instant};

/// The attribution every map and file carries.
pub const ATTRIBUTION: &str =
    "© OpenStreetMap contributors (ODbL) en de bronnen in de README van de kaartmap";

/// At most this many buildings are drawn on map.svg / map.png. Above it, every
/// k-th building (in input order) is drawn and the subtitle says so: at 1600 px a
/// city of a million buildings gives each well under a pixel, and the SVG
/// renderer refuses documents of more than about a million nodes.
pub const MAP_MAX_BUILDINGS: usize = 100_000;

/// At most this many buildings go into kaart.html (about 270 bytes each);
/// above it the page holds only the sites' buildings and says so. At 70,000
/// the page is 19 MB and interactive in headless Chromium in 2.5 s.
pub const KAART_MAX_BUILDINGS: usize = 150_000;

/// Width of map.svg / map.png in pixels.
pub const MAP_WIDTH_PX: u32 = 1600;

/// How the layers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One `<layer>.geojson` per layer, each with a `<layer>.qml` sidecar.
    #[default]
    GeoJson,
    /// One `binnenstad.gpkg` holding every layer and its style.
    Gpkg,
}

/// The GeoPackage's file name.
pub const GPKG_FILE: &str = "binnenstad.gpkg";

/// One output file.
pub struct OutputFile {
    /// File name inside the output folder.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

fn file(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> OutputFile {
    OutputFile {
        name: name.into(),
        bytes: bytes.into(),
    }
}

/// The GeoJSON layers of a plan, in drawing order, with their geometry kind and QGIS group.
/// The buildings and sites layers come without features: they are streamed by
/// [`export::write_buildings`] and [`export::write_sites`].
pub fn layers(
    plan: &Plan,
    scenario: &Scenario,
) -> Vec<(&'static str, GeomKind, &'static str, Vec<OutFeature>)> {
    vec![
        // Streamed by `export::write_sites`, as the buildings are.
        ("sites", GeomKind::Polygon, "Analyse", Vec::new()),
        (
            "amenities",
            GeomKind::Point,
            "Invoer",
            export::amenities(plan),
        ),
        ("horeca", GeomKind::Point, "Invoer", export::horeca(plan)),
        (
            "conflicts",
            GeomKind::Point,
            "Analyse",
            export::conflicts(plan),
        ),
        ("buildings", GeomKind::Polygon, "Analyse", Vec::new()),
        (
            "coverage",
            GeomKind::Polygon,
            "Analyse",
            export::coverage(plan, scenario),
        ),
        ("zones", GeomKind::Polygon, "Analyse", export::zones(plan)),
        ("streets", GeomKind::Line, "Invoer", export::streets(plan)),
    ]
}

/// The writer for a plan's layers: it interpolates the conversion to `out_crs`
/// on a checked lattice over everything the layers hold (see
/// [`GeoJsonWriter::over`]), a seventh of the plan's time at 70k buildings
/// when every position was converted exactly.
pub fn writer(plan: &Plan, out_crs: Crs) -> Result<GeoJsonWriter> {
    if plan.working_crs == out_crs {
        // Nothing to convert, so no lattice to size.
        return GeoJsonWriter::new(out_crs, out_crs);
    }
    let (extent, positions) = output_extent(plan);
    GeoJsonWriter::over(plan.working_crs, out_crs, extent, positions)
}

/// The extent (working CRS) of every position the layers write, and how many
/// there are (sites repeat buildings, so they are not counted again).
fn output_extent(plan: &Plan) -> (Option<[f64; 4]>, usize) {
    use crate::model::Extent;
    use geo::CoordsIter;
    let mut extent = Extent::EMPTY;
    let mut positions = 0;
    let mut add = |coords: &mut dyn Iterator<Item = Coord<f64>>| {
        for c in coords.filter(|c| c.x.is_finite() && c.y.is_finite()) {
            extent.add(c.x, c.y);
            positions += 1;
        }
    };
    let layers = &plan.layers;
    for b in &layers.buildings {
        add(&mut b.footprint.coords_iter());
    }
    for s in &layers.streets {
        add(&mut s.line.coords_iter());
    }
    for c in &plan.coverage {
        add(&mut c.area.coords_iter());
    }
    for z in &plan.zoning.zones {
        add(&mut z.area.coords_iter());
    }
    for a in &layers.amenities {
        add(&mut a.point.coords_iter());
    }
    for h in &layers.horeca {
        add(&mut h.point.coords_iter());
    }
    (extent.bounds(), positions)
}

/// The map's bounds: the buildings' extent (working CRS), padded by 2 %.
fn map_bounds(plan: &Plan) -> Rect<f64> {
    let rect = crate::io::load::buildings_rect(&plan.layers)
        .unwrap_or_else(|| Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }));
    let pad = 0.02 * rect.width().max(rect.height());
    Rect::new(
        Coord {
            x: rect.min().x - pad,
            y: rect.min().y - pad,
        },
        Coord {
            x: rect.max().x + pad,
            y: rect.max().y + pad,
        },
    )
}

/// The data for map.svg: zones, buildings by the map group's verdict, amenities, horeca, top sites.
pub fn map_data(plan: &Plan, scenario: &Scenario) -> MapData {
    let group = &scenario.output.map_group;
    let gi = scenario.groups.iter().position(|g| &g.name == group);
    let label = scenario
        .group(group)
        .map(|g| g.label.clone())
        .unwrap_or_else(|| group.clone());
    let stride = plan
        .layers
        .buildings
        .len()
        .div_ceil(MAP_MAX_BUILDINGS)
        .max(1);
    MapData {
        title: format!("binnenstad: {}", scenario.name),
        subtitle: format!(
            "Gebouwen gekleurd naar geschiktheid voor {label}; zones rust / gemengd / reuring{}",
            if stride > 1 {
                format!(" (1 op de {stride} gebouwen getekend)")
            } else {
                String::new()
            }
        ),
        bounds: map_bounds(plan),
        zones: plan
            .zoning
            .zones
            .iter()
            .map(|z| (geo::MultiPolygon(vec![z.area.clone()]), z.character))
            .collect(),
        buildings: plan
            .layers
            .buildings
            .iter()
            .enumerate()
            .step_by(stride)
            .map(|(i, b)| {
                let verdict = gi
                    .and_then(|gi| plan.assessments.get(i).and_then(|per| per.get(gi)))
                    .map(|a| a.verdict.as_str().to_string());
                (b.footprint.clone(), verdict)
            })
            .collect(),
        streets: plan.layers.streets.iter().map(|s| s.line.clone()).collect(),
        amenities: plan
            .layers
            .amenities
            .iter()
            .map(|a| (a.point, a.kind))
            .collect(),
        horeca: plan
            .layers
            .horeca
            .iter()
            .map(|h| (h.point, h.category.number()))
            .collect(),
        sites: plan
            .sites
            .iter()
            .take(scenario.output.top_sites)
            .filter_map(|s| {
                let b = plan.layers.buildings.get(s.building)?;
                // Name or address when known (the map says it with the homes);
                // else the legend lists the rank with the building id.
                Some(render::map::MapSite {
                    at: b.anchor(),
                    rank: s.rank,
                    name: b.name.clone().filter(|n| !n.trim().is_empty()),
                    homes: s
                        .best_group
                        .as_ref()
                        .map(|g| format!("{} {g}", s.best_homes))
                        .unwrap_or_default(),
                    id: b.id.clone(),
                })
            })
            .collect(),
        attribution: "© OpenStreetMap contributors".into(),
        metres_per_unit: 1.0,
        data_gaps: plan
            .suitability
            .unknown_needs
            .iter()
            .map(|(k, n)| match n {
                0 => format!(
                    "{}: geen in de kaart",
                    crate::rules::suitability::kind_nl(*k)
                ),
                n => format!(
                    "{}: maar {n} in de kaart",
                    crate::rules::suitability::kind_nl(*k)
                ),
            })
            .collect(),
    }
}

fn fmt_int(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A multipolygon in the working CRS as kaart.html polygons: simplified by
/// `epsilon_m` (Douglas-Peucker; a ring that would fall below a triangle is
/// kept whole) and converted to WGS84 lon/lat.
fn kaart_polygons(
    mp: &geo::MultiPolygon<f64>,
    epsilon_m: f64,
    to_wgs: &GeoJsonWriter,
) -> Result<Vec<render::kaart::Polygon>> {
    use geo::Simplify;
    let ring = |r: &geo::LineString<f64>| -> Result<Vec<[f64; 2]>> {
        let simple = r.simplify(epsilon_m);
        let r = if simple.0.len() >= 4 { &simple } else { r };
        r.0.iter().map(|c| to_wgs.coord(*c)).collect()
    };
    mp.0.iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(ring)
                .collect()
        })
        .collect()
}

/// The data of kaart.html: every building with its verdicts, reasons and
/// walking distances, zones, sites, amenities, horeca, coverage and streets,
/// in WGS84 (see [`render::kaart`]).
pub fn kaart_input(plan: &Plan, scenario: &Scenario) -> Result<render::kaart::KaartInput> {
    use rayon::prelude::*;
    use render::kaart::KaartRows;
    let (mut input, rows) = kaart_parts(plan, scenario)?;
    input.buildings = (0..rows.len())
        .into_par_iter()
        .map(|i| {
            let mut b = rows.building(i)?;
            b.per_group = rows.verdicts(i);
            Ok(b)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(input)
}

/// kaart.html's building rows, from the plan.
struct PlanKaartRows<'a> {
    plan: &'a Plan,
    groups: usize,
    /// The buildings shown, by index into the layer.
    keep: Vec<usize>,
    walk: Vec<Option<&'a crate::network::KindDistances>>,
    to_wgs: GeoJsonWriter,
}

impl render::kaart::KaartRows for PlanKaartRows<'_> {
    fn len(&self) -> usize {
        self.keep.len()
    }

    fn building(&self, row: usize) -> Result<render::kaart::KaartBuilding> {
        let i = self.keep[row];
        let b = &self.plan.layers.buildings[i];
        Ok(render::kaart::KaartBuilding {
            id: b.id.clone(),
            name: b.name.clone(),
            usage: b.usage.as_str(),
            zone: self.plan.zoning.buildings.get(i).map(|z| z.zone),
            footprint: kaart_polygons(&b.footprint, 0.3, &self.to_wgs)?,
            walk_m: self
                .walk
                .iter()
                .map(|kd| kd.and_then(|k| k.metres(i)))
                .collect(),
            per_group: Vec::new(),
        })
    }

    fn verdicts(&self, row: usize) -> Vec<render::kaart::Verdict> {
        let i = self.keep[row];
        (0..self.groups)
            .map(|gi| {
                self.plan
                    .assessments
                    .get(i)
                    .and_then(|per| per.get(gi))
                    .map(|a| (a.score, a.verdict.as_str(), a.reasons()))
            })
            .collect()
    }
}

/// kaart.html's input without the building rows, and the rows.
fn kaart_parts<'a>(
    plan: &'a Plan,
    scenario: &Scenario,
) -> Result<(render::kaart::KaartInput, PlanKaartRows<'a>)> {
    // The layers' converter: exact, or interpolated on a checked lattice.
    let to_wgs = writer(plan, Crs::WGS84)?;
    let point = |p: &geo::Point<f64>| to_wgs.coord(p.0);
    // The kinds some group needs, in the order of the walk table.
    let kinds: Vec<crate::model::AmenityKind> = plan
        .walk_kinds(scenario)
        .into_iter()
        .filter(|k| {
            scenario
                .groups
                .iter()
                .any(|g| g.needs_minutes.contains_key(k))
        })
        .collect();
    let walk: Vec<_> = kinds
        .iter()
        .map(|k| crate::network::KindDistances::find(&plan.walk, *k))
        .collect();
    // Above KAART_MAX_BUILDINGS the page holds the sites' buildings only.
    let all = plan.layers.buildings.len() <= KAART_MAX_BUILDINGS;
    let keep: Vec<usize> = if all {
        (0..plan.layers.buildings.len()).collect()
    } else {
        let mut v: Vec<usize> = plan.sites.iter().map(|s| s.building).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let position = |i: usize| keep.binary_search(&i).ok();
    let sites = plan
        .sites
        .iter()
        .filter_map(|s| Some((s, position(s.building)?)))
        .map(|(s, building)| {
            let c = &s.components;
            render::kaart::KaartSite {
                rank: s.rank,
                building,
                kind: s.kind.as_str(),
                potential: s.potential,
                components: c.named().to_vec(),
                best_group: s.best_group.clone(),
                best_score: s.best_score,
                homes: scenario
                    .groups
                    .iter()
                    .map(|g| s.homes.get(&g.name).copied().unwrap_or(0))
                    .collect(),
                usable_m2: s.usable_m2,
                conditions: s.conditions.clone(),
            }
        })
        .collect();
    let group = &scenario.output.map_group;
    let label = scenario
        .group(group)
        .map(|g| g.label.clone())
        .unwrap_or_else(|| group.clone());
    let input = render::kaart::KaartInput {
        title: format!("binnenstad: {}", scenario.name),
        subtitle: if all {
            format!(
                "Klik op een gebouw voor het oordeel per doelgroep en de loopminuten; gebouwen gekleurd voor {label}."
            )
        } else {
            format!(
                "Alleen de gebouwen van de transformatielocaties ({} van {} gebouwen; zie buildings.geojson in QGIS voor alle); gekleurd voor {label}.",
                crate::labels::nl_number(keep.len() as f64, 0),
                crate::labels::nl_number(plan.layers.buildings.len() as f64, 0)
            )
        },
        attribution: ATTRIBUTION.to_string(),
        kinds,
        unknown: plan
            .suitability
            .unknown_needs
            .iter()
            .map(|(k, _)| *k)
            .collect(),
        caveats: export::map_caveats(plan)
            .into_iter()
            .map(|c| (c.reason, c.explanation))
            .collect(),
        groups: scenario
            .groups
            .iter()
            .map(|g| render::kaart::KaartGroup {
                key: g.name.clone(),
                label: g.label.clone(),
                walk_speed_kmh: g.walk_speed_kmh,
                needs: g.needs_minutes.iter().map(|(k, m)| (*k, *m)).collect(),
            })
            .collect(),
        map_group: group.clone(),
        buildings: Vec::new(),
        zones: plan
            .zoning
            .zones
            .iter()
            .map(|z| {
                Ok((
                    z.character,
                    kaart_polygons(&geo::MultiPolygon(vec![z.area.clone()]), 1.0, &to_wgs)?,
                ))
            })
            .collect::<Result<_>>()?,
        sites,
        amenities: plan
            .layers
            .amenities
            .iter()
            .map(|a| Ok((point(&a.point)?, a.kind, a.name.clone())))
            .collect::<Result<_>>()?,
        horeca: plan
            .layers
            .horeca
            .iter()
            .map(|h| {
                Ok((
                    point(&h.point)?,
                    h.category.number(),
                    h.kind.clone(),
                    h.name.clone(),
                ))
            })
            .collect::<Result<_>>()?,
        coverage: plan
            .coverage
            .iter()
            .map(|c| {
                Ok(render::kaart::KaartCoverage {
                    group: c.group.clone(),
                    kind: c.kind,
                    minutes: scenario.need_minutes(&c.group, c.kind),
                    // No share where the report has none (onbekend, n.v.t.).
                    share: plan.coverage_caveat(c).is_none().then_some(c.share_inside),
                    area: kaart_polygons(&c.area, 1.0, &to_wgs)?,
                })
            })
            .collect::<Result<_>>()?,
        streets: plan
            .layers
            .streets
            .iter()
            .map(|s| {
                use geo::Simplify;
                s.line
                    .simplify(0.5)
                    .0
                    .iter()
                    .map(|c| to_wgs.coord(*c))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<_>>()?,
    };
    let rows = PlanKaartRows {
        plan,
        groups: scenario.groups.len(),
        keep,
        walk,
        to_wgs,
    };
    Ok((input, rows))
}

/// The report's contents.
pub fn report_input(
    plan: &Plan,
    scenario: &Scenario,
    map_svg: Option<String>,
) -> report::ReportInput {
    let mut figures = vec![
        ("Gebouwen".to_string(), fmt_int(plan.layers.buildings.len())),
        ("Horeca".to_string(), fmt_int(plan.layers.horeca.len())),
        (
            "Voorzieningen".to_string(),
            fmt_int(plan.layers.amenities.len()),
        ),
        (
            "Straten (stukken)".to_string(),
            fmt_int(plan.layers.streets.len()),
        ),
        ("Werk-CRS".to_string(), plan.working_crs.to_string()),
        (
            "Transformatielocaties".to_string(),
            fmt_int(plan.sites.len()),
        ),
        (
            "Woningen (beste doelgroep, alle locaties)".to_string(),
            fmt_int(plan.sites.iter().map(|s| s.best_homes as usize).sum()),
        ),
    ];
    // The homes split by whether the building stands empty (see `SiteType::is_vacant`).
    let by_type = crate::rules::sites::count_by_type(&plan.sites);
    for vacant in [true, false] {
        let parts: Vec<_> = by_type
            .iter()
            .filter(|t| t.0.is_vacant() == vacant)
            .collect();
        let (n, homes) = parts
            .iter()
            .fold((0, 0), |(n, h), (_, tn, th)| (n + tn, h + th));
        let value = if vacant && !plan.vacancy_data && n == 0 {
            "onbekend (de kaart markeert bijna geen leegstand)".to_string()
        } else {
            let kinds: Vec<String> = parts
                .iter()
                .map(|(t, tn, _)| {
                    format!("{} {}", crate::labels::site_type(t.as_str()), fmt_int(*tn))
                })
                .collect();
            format!(
                "{} ({} {}{})",
                fmt_int(homes as usize),
                fmt_int(n),
                if n == 1 { "locatie" } else { "locaties" },
                if kinds.is_empty() {
                    String::new()
                } else {
                    format!(": {}", kinds.join(", "))
                }
            ) + if vacant && !plan.vacancy_data {
                "; leegstand van hele gebouwen onbekend (de kaart markeert bijna geen leegstand)"
            } else {
                ""
            }
        };
        let label = if vacant {
            "Woningen in leegstaande panden"
        } else {
            "Woningen in panden in gebruik (winkels, bovenverdiepingen, kantoren)"
        };
        figures.push((label.to_string(), value));
    }
    // The part of the total in sites marked "controleren" (`rules::sites::to_check`).
    let (check, check_homes) = crate::rules::sites::to_check(&plan.sites);
    figures.push((
        format!(
            "Woningen in locaties om te controleren (meer dan {} woningen in één gebouw voor een doelgroep: een groot complex of een te ruime schatting)",
            crate::rules::sites::CHECK_HOMES
        ),
        format!(
            "{} ({} {})",
            fmt_int(check_homes as usize),
            fmt_int(check),
            if check == 1 { "locatie" } else { "locaties" }
        ),
    ));
    // Needs onbekend because the map ends within their reach (`rules::edge`).
    figures.push((
        "Gebouwen bij de rand van het plangebied (een voorziening kan net buiten de kaart liggen: onbekend)"
            .to_string(),
        fmt_int(export::near_edge_buildings(plan)),
    ));
    for g in &scenario.groups {
        figures.push((
            format!("Loopsnelheid {}", g.label),
            format!(
                "{} km/u",
                crate::labels::nl_number(g.walk_speed_kmh, 1).trim_end_matches(",0")
            ),
        ));
    }
    for line in &plan.interventions {
        figures.push(("Ingreep".to_string(), line.clone()));
    }
    let coverage = plan
        .coverage
        .iter()
        .map(|c| report::CoverageRow {
            group: scenario
                .group(&c.group)
                .map(|g| g.label.clone())
                .unwrap_or_else(|| c.group.clone()),
            kind: c.kind.as_str().to_string(),
            minutes: scenario.need_minutes(&c.group, c.kind),
            homes_inside: c.homes_inside as u64,
            homes_outside: c.homes_outside as u64,
            homes_unknown: c.homes_unknown as u64,
            share_inside: c.share_inside,
            caveat: plan.coverage_caveat(c),
        })
        .collect();
    let sites = plan
        .sites
        .iter()
        .take(scenario.output.top_sites)
        .filter_map(|s| {
            let b = plan.layers.buildings.get(s.building)?;
            let gi = s
                .best_group
                .as_ref()
                .and_then(|g| scenario.groups.iter().position(|x| &x.name == g));
            let mut reasons = s.conditions.clone();
            if let Some(a) = gi.and_then(|gi| plan.assessments.get(s.building)?.get(gi)) {
                let r = a.reasons();
                if !r.is_empty() && !reasons.contains(&r) {
                    reasons.push(r);
                }
            }
            Some(report::SiteRow {
                rank: s.rank,
                building_id: b.id.clone(),
                label: b.name.clone().unwrap_or_default(),
                best_group: s
                    .best_group
                    .as_ref()
                    .map(|g| {
                        scenario
                            .group(g)
                            .map(|x| x.label.clone())
                            .unwrap_or_else(|| g.clone())
                    })
                    .unwrap_or_else(|| "geen".into()),
                homes: s.best_homes,
                usable_m2: s.usable_m2,
                potential: s.potential,
                reasons,
            })
        })
        .collect();
    let zones = crate::model::ZoneCharacter::ALL
        .iter()
        .map(|c| {
            let zs: Vec<_> = plan
                .zoning
                .zones
                .iter()
                .filter(|z| z.character == *c)
                .collect();
            let area: f64 = zs.iter().map(|z| z.area_m2).sum();
            let mean = if area > 0.0 {
                zs.iter().map(|z| z.mean_index * z.area_m2).sum::<f64>() / area
            } else {
                0.0
            };
            report::ZoneRow {
                zone: c.as_str().to_string(),
                polygons: zs.len(),
                area_m2: area,
                buildings: plan
                    .zoning
                    .buildings
                    .iter()
                    .filter(|b| b.zone == *c)
                    .count(),
                mean_index: mean,
            }
        })
        .collect();
    report::ReportInput {
        title: format!("binnenstad: {}", scenario.name),
        description: scenario.description.clone().unwrap_or_default(),
        figures,
        coverage,
        sites,
        zones,
        diagnostics: plan
            .diagnostics
            .iter()
            .map(report::DiagnosticRow::from)
            .collect(),
        caveats: export::map_caveats(plan)
            .into_iter()
            .map(|c| (c.reason, c.explanation))
            .collect(),
        map_svg,
        attribution: ATTRIBUTION.to_string(),
    }
}

/// One layer with everything the writers need.
pub struct StyledLayer {
    /// Layer (and file or table) name.
    pub name: &'static str,
    /// Geometry type, as far as styling cares.
    pub geometry: GeomKind,
    /// Layer-tree group in the QGIS project.
    pub group: &'static str,
    /// The features, geometry in the working CRS.
    pub features: Vec<OutFeature>,
    /// The layer's QML style.
    pub qml: String,
}

/// The layers of a plan with their styles, in drawing order.
pub fn styled_layers(plan: &Plan, scenario: &Scenario) -> Vec<StyledLayer> {
    let styles = styles(plan, scenario);
    layers(plan, scenario)
        .into_iter()
        .map(|(name, geometry, group, features)| {
            // `layers` leaves buildings and sites to the streaming writer; tables need them whole.
            let features = match name {
                "buildings" => export::buildings(plan, scenario),
                "sites" => export::sites(plan, scenario),
                _ => features,
            };
            let qml = match styles.iter().find(|s| s.layer == name) {
                Some(s) => s.qml.clone(),
                None => render::qml::conflicts(),
            };
            StyledLayer {
                name,
                geometry,
                group,
                features,
                qml,
            }
        })
        .collect()
}

/// The QGIS styles of a plan's layers: buildings coloured for the map group,
/// with the map-level caveats their reasons name explained (see
/// [`render::qml::buildings_with`]).
fn styles(plan: &Plan, scenario: &Scenario) -> Vec<render::qml::StyleFile> {
    render::qml::all_with(
        &scenario.output.map_group,
        GeomKind::Polygon,
        &export::caveats_text(&export::map_caveats(plan)),
    )
}

/// The GeoPackage tables for `layers` (see [`crate::io::gpkg::write`]).
pub fn gpkg_layers(layers: &[StyledLayer]) -> Vec<crate::io::gpkg::GpkgLayer<'_>> {
    layers
        .iter()
        .map(|l| crate::io::gpkg::GpkgLayer {
            name: l.name,
            description: format!("binnenstad {} ({})", l.name, l.group),
            fallback_type: match l.geometry {
                GeomKind::Point => "POINT",
                GeomKind::Line => "LINESTRING",
                GeomKind::Polygon => "POLYGON",
            },
            features: &l.features,
            qml: &l.qml,
        })
        .collect()
}

/// Where output files go: each file is filled through a writer and finished
/// before its `file` call returns. [`write_all`] makes two files at once, one
/// per thread (the layers, and the map and pages drawn beside them), so a
/// sink is shared (`Sync`) and takes `&self`.
pub trait OutputSink: Sync {
    /// Writes the file `name`; `fill` writes its contents into the writer given.
    fn file(
        &self,
        name: &str,
        fill: &mut dyn FnMut(&mut (dyn std::io::Write + Send)) -> Result<()>,
    ) -> Result<()>;
}

impl OutputSink for std::sync::Mutex<Vec<OutputFile>> {
    fn file(
        &self,
        name: &str,
        fill: &mut dyn FnMut(&mut (dyn std::io::Write + Send)) -> Result<()>,
    ) -> Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes)?;
        // A panic elsewhere while the lock was held leaves the list as it was.
        self.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(file(name, bytes));
        Ok(())
    }
}

fn put(sink: &dyn OutputSink, name: &str, bytes: &[u8]) -> Result<()> {
    sink.file(name, &mut |w| {
        w.write_all(bytes)
            .map_err(|e| crate::Error::io(name, "kan niet schrijven", e))
    })
}

/// Every file `plan` writes, in memory (see [`write_all`]), by name.
pub fn files(
    plan: &Plan,
    scenario: &Scenario,
    out_crs: Crs,
    format: Format,
) -> Result<Vec<OutputFile>> {
    let out = std::sync::Mutex::new(Vec::new());
    write_all(plan, scenario, out_crs, format, &out, &crate::plan::Silent)?;
    let mut out = out
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Two threads write: their files interleave as they finish.
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Writes every file `plan` writes into `sink`: the layers one after the
/// other, while map.svg, map.png, report.html and kaart.html are drawn and
/// written on a thread beside them (each written as soon as it is drawn, not
/// held until the layers are done: at a million buildings they are 0.1 GB). `out_crs` is
/// the CRS of the layers (WGS84 by default). With [`Format::Gpkg`] the layers are
/// not written here (the caller writes [`GPKG_FILE`] from [`styled_layers`], as
/// SQLite needs a path) and the project points into the GeoPackage. Returns the time spent per
/// file (GeoJSON files with their `.qml`), in order; `progress` hears of each file
/// and of every chunk of buildings written.
pub fn write_all(
    plan: &Plan,
    scenario: &Scenario,
    out_crs: Crs,
    format: Format,
    sink: &dyn OutputSink,
    progress: &dyn crate::plan::Progress,
) -> Result<Vec<(String, Duration)>> {
    // The map and the report do not depend on the layer files: they are drawn
    // on a thread of their own while the layers are written (tiny-skia and the PNG
    // encoder use one core; the buildings writer uses the rest).
    std::thread::scope(|scope| {
        let drawing = scope.spawn(|| draw_map_and_report(plan, scenario, sink));
        let written = write_layers(plan, scenario, out_crs, format, sink, progress);
        progress.start("render map", None);
        // A panic while drawing is a bug: it goes on as the panic it was.
        let drawn = drawing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let (qgs_layers, mut laps) = written?;
        laps.lap("(waiting for the map)");
        let drawn_timings = drawn?;
        // Project extent in WGS84.
        let bounds = map_bounds(plan);
        let to_wgs = Transformer::new(plan.working_crs, Crs::WGS84)?;
        let (w, s) = to_wgs.convert(bounds.min().x, bounds.min().y)?;
        let (e, n) = to_wgs.convert(bounds.max().x, bounds.max().y)?;
        let title = format!("binnenstad: {}", scenario.name);
        put(
            sink,
            "binnenstad.qgs",
            render::qgs::project(&qgs_layers, [w, s, e, n], &title, ATTRIBUTION).as_bytes(),
        )?;
        laps.lap("binnenstad.qgs");
        progress.start("write report", None);
        let summary = export::summary(plan, scenario);
        let text = serde_json::to_string_pretty(&summary)
            .map_err(|e| crate::Error::Usage(format!("summary.json: {e}")))?;
        put(sink, "summary.json", (text + "\n").as_bytes())?;
        laps.lap("summary.json");
        // Drawn beside the layers: their own time, not part of the sum above.
        let mut timings = laps.timings;
        for (name, d) in drawn_timings {
            timings.push((format!("({name}, beside the layers)"), d));
        }
        Ok(timings)
    })
}

/// Time per output file: each lap ends where the previous one did.
struct Laps {
    timings: Vec<(String, Duration)>,
    last: Instant,
}

impl Laps {
    fn lap(&mut self, name: &str) {
        let now = Instant::now();
        self.timings.push((name.to_string(), now - self.last));
        self.last = now;
    }
}

/// Draws map.svg, map.png, report.html and kaart.html and writes each into
/// `sink` as soon as it is made (kaart.html straight into its file); returns
/// the time each took, writing included.
fn draw_map_and_report(
    plan: &Plan,
    scenario: &Scenario,
    sink: &dyn OutputSink,
) -> Result<Vec<(&'static str, Duration)>> {
    let t0 = Instant::now();
    let map = map_data(plan, scenario);
    let svg = render::map::svg(&map, MAP_WIDTH_PX);
    put(sink, "map.svg", svg.as_bytes())?;
    let t1 = Instant::now();
    let png = render::map::png(&map, MAP_WIDTH_PX)?;
    // Not held while the report and kaart.html are made (up to 100,000 drawn buildings).
    drop(map);
    put(sink, "map.png", &png)?;
    drop(png);
    let t2 = Instant::now();
    let report = render::report::html(&report_input(plan, scenario, Some(svg)));
    put(sink, "report.html", report.as_bytes())?;
    drop(report);
    let t3 = Instant::now();
    let (input, rows) = kaart_parts(plan, scenario)?;
    sink.file("kaart.html", &mut |w| {
        render::kaart::write_html(&input, &rows, w)
    })?;
    let t4 = Instant::now();
    Ok(vec![
        ("map.svg", t1 - t0),
        ("map.png", t2 - t1),
        ("report.html", t3 - t2),
        ("kaart.html", t4 - t3),
    ])
}

/// Writes the layers (GeoJSON + `.qml`, or only their project entries for a
/// GeoPackage), timing each; returns the project's layers and the laps so far.
fn write_layers(
    plan: &Plan,
    scenario: &Scenario,
    out_crs: Crs,
    format: Format,
    sink: &dyn OutputSink,
    progress: &dyn crate::plan::Progress,
) -> Result<(Vec<render::qgs::QgsLayer>, Laps)> {
    let mut laps = Laps {
        timings: Vec::new(),
        last: Instant::now(),
    };
    // A GeoPackage converts its positions itself (see `io::gpkg::write`).
    let writer = match format {
        Format::GeoJson => Some(writer(plan, out_crs)?),
        Format::Gpkg => None,
    };
    let styles = styles(plan, scenario);
    let mut qgs_layers = Vec::new();
    for (name, geometry, group, features) in layers(plan, scenario) {
        let file_name = format!("{name}.geojson");
        let qml = match styles.iter().find(|s| s.layer == name) {
            Some(s) => s.qml.clone(),
            None => render::qml::conflicts(),
        };
        let Some(writer) = &writer else {
            qgs_layers.push(render::qgs::QgsLayer {
                name: name.to_string(),
                file: format!("{GPKG_FILE}|layername={name}"),
                geometry,
                qml,
                group: group.to_string(),
                epsg: out_crs.epsg(),
            });
            continue;
        };
        if name == "buildings" {
            progress.start(
                "write buildings.geojson",
                Some(plan.layers.buildings.len() as u64),
            );
            sink.file(&file_name, &mut |w| {
                export::write_buildings(plan, scenario, writer, w, &|n| progress.advance(n as u64))
            })?;
        } else if name == "sites" {
            progress.start("write layers", None);
            sink.file(&file_name, &mut |w| {
                export::write_sites(plan, scenario, writer, w)
            })?;
        } else {
            progress.start("write layers", None);
            put(
                sink,
                &file_name,
                writer.collection(name, &features)?.as_bytes(),
            )?;
        }
        put(sink, &format!("{name}.qml"), qml.as_bytes())?;
        qgs_layers.push(render::qgs::QgsLayer {
            name: name.to_string(),
            file: file_name.clone(),
            geometry,
            qml,
            group: group.to_string(),
            epsg: out_crs.epsg(),
        });
        laps.lap(&file_name);
    }
    Ok((qgs_layers, laps))
}
