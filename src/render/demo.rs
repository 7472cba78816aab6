//! A synthetic city centre for tests: a street grid near Utrecht (RD New)
//! with buildings, three zone bands, amenities, horeca and sites, and a test
//! that writes a whole output folder (GeoJSON + QML + QGS + map + report).
//! `BINNENSTAD_DEMO_DIR=/some/dir cargo test --lib demo` keeps that folder,
//! e.g. to open it in QGIS or run tests/qgis/check_styles.py on it.

use super::map::MapData;
use super::qgs::{self, QgsLayer};
use super::qml::{self, GeomKind};
use super::report::{self, CoverageRow, DiagnosticRow, ReportInput, SiteRow, ZoneRow};
use crate::crs::Crs;
use crate::io::write::{GeoJsonWriter, OutFeature};
use crate::model::{AmenityKind, ZoneCharacter};
use geo::{Coord, Geometry, LineString, MultiPolygon, Point, Rect, polygon};
use serde_json::{Map, json};

const X0: f64 = 136_000.0;
const Y0: f64 = 455_700.0;
const W: f64 = 480.0;
const H: f64 = 300.0;

fn rect(x: f64, y: f64, w: f64, h: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![polygon![
        (x: x, y: y), (x: x + w, y: y), (x: x + w, y: y + h), (x: x, y: y + h),
    ]])
}

fn circle(cx: f64, cy: f64, r: f64) -> MultiPolygon<f64> {
    let ring: Vec<(f64, f64)> = (0..=36)
        .map(|i| {
            let a = f64::from(i) * std::f64::consts::TAU / 36.0;
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    MultiPolygon(vec![geo::Polygon::new(LineString::from(ring), vec![])])
}

fn zone_at(x: f64) -> ZoneCharacter {
    if x < X0 + 160.0 {
        ZoneCharacter::Rust
    } else if x < X0 + 320.0 {
        ZoneCharacter::Gemengd
    } else {
        ZoneCharacter::Reuring
    }
}

/// The synthetic centre.
pub struct Demo {
    pub zones: Vec<(MultiPolygon<f64>, ZoneCharacter)>,
    pub buildings: Vec<(String, MultiPolygon<f64>, Option<String>, ZoneCharacter)>,
    pub streets: Vec<LineString<f64>>,
    pub amenities: Vec<(Point<f64>, AmenityKind, String)>,
    pub horeca: Vec<(Point<f64>, u8, String)>,
    pub sites: Vec<(Point<f64>, usize, String, String)>,
    pub coverage: Vec<MultiPolygon<f64>>,
}

pub fn demo() -> Demo {
    let zones = [
        ZoneCharacter::Rust,
        ZoneCharacter::Gemengd,
        ZoneCharacter::Reuring,
    ]
    .iter()
    .enumerate()
    .map(|(i, z)| (rect(X0 + 160.0 * i as f64, Y0, 160.0, H), *z))
    .collect();
    let mut streets = Vec::new();
    for i in 0..=8 {
        let x = X0 + 60.0 * f64::from(i);
        streets.push(LineString::from(vec![(x, Y0), (x, Y0 + H)]));
    }
    for j in 0..=5 {
        let y = Y0 + 60.0 * f64::from(j);
        streets.push(LineString::from(vec![(X0, y), (X0 + W, y)]));
    }
    let mut buildings = Vec::new();
    let verdicts = [
        Some("geschikt"),
        Some("voorwaardelijk"),
        Some("ongeschikt"),
        None,
    ];
    let mut n = 0;
    for i in 0..8 {
        for j in 0..5 {
            let bx = X0 + 60.0 * i as f64 + 8.0;
            let by = Y0 + 60.0 * j as f64 + 8.0;
            for (k, (dx, dy)) in [(0.0, 0.0), (23.0, 0.0), (0.0, 23.0), (23.0, 23.0)]
                .iter()
                .enumerate()
            {
                let x = bx + dx;
                let zone = zone_at(x);
                // More unsuitable verdicts towards the reuring side.
                let v = verdicts[(i + j + k + usize::from(zone == ZoneCharacter::Reuring) * 2) % 4];
                buildings.push((
                    format!("0344100000{n:06}"),
                    rect(x, by + dy, 20.0, 20.0),
                    v.map(str::to_string),
                    zone,
                ));
                n += 1;
            }
        }
    }
    let kinds = [
        (AmenityKind::Supermarket, 70.0, 125.0),
        (AmenityKind::Bakery, 190.0, 185.0),
        (AmenityKind::Playground, 40.0, 250.0),
        (AmenityKind::PrimarySchool, 130.0, 60.0),
        (AmenityKind::Gp, 250.0, 120.0),
        (AmenityKind::Pharmacy, 310.0, 240.0),
        (AmenityKind::Park, 100.0, 180.0),
        (AmenityKind::TransitStop, 420.0, 60.0),
        (AmenityKind::Daycare, 10.0, 120.0),
        (AmenityKind::Library, 370.0, 180.0),
    ];
    let amenities = kinds
        .iter()
        .map(|(k, x, y)| {
            (
                Point::new(X0 + x, Y0 + y),
                *k,
                format!("{} {NASTY}", k.as_str()),
            )
        })
        .collect();
    let mut horeca = Vec::new();
    for i in 0..18 {
        let fi = f64::from(i);
        let x = X0 + 300.0 + (fi * 37.0) % 170.0;
        let y = Y0 + 10.0 + (fi * 53.0) % 280.0;
        let cat = match i % 5 {
            0 => 3,
            1 | 2 => 2,
            _ => 1,
        };
        horeca.push((Point::new(x, y), cat, format!("Café {i}")));
    }
    horeca.push((Point::new(X0 + 200.0, Y0 + 62.0), 1, "Lunchroom".into()));
    let sites = [
        (30.0, 40.0),
        (150.0, 100.0),
        (90.0, 220.0),
        (270.0, 160.0),
        (210.0, 280.0),
    ]
    .iter()
    .enumerate()
    .map(|(i, (x, y))| {
        let label = if i == 0 {
            NASTY.to_string()
        } else {
            format!("Pand {}", i + 1)
        };
        (Point::new(X0 + x, Y0 + y), i + 1, label, format!("site{i}"))
    })
    .collect();
    let coverage = vec![
        circle(X0 + 40.0, Y0 + 250.0, 150.0),
        circle(X0 + 130.0, Y0 + 60.0, 200.0),
    ];
    Demo {
        zones,
        buildings,
        streets,
        amenities,
        horeca,
        sites,
        coverage,
    }
}

pub const NASTY: &str = r#"Café "De <Nacht>" & Co"#;

impl Demo {
    pub fn map_data(&self) -> MapData {
        MapData {
            title: format!("Binnenstad demo — {NASTY}"),
            subtitle: "Buildings coloured for doelgroep gezinnen; top 5 transformation sites"
                .into(),
            bounds: Rect::new(
                Coord {
                    x: X0 - 10.0,
                    y: Y0 - 10.0,
                },
                Coord {
                    x: X0 + W + 10.0,
                    y: Y0 + H + 10.0,
                },
            ),
            zones: self.zones.clone(),
            buildings: self
                .buildings
                .iter()
                .map(|b| (b.1.clone(), b.2.clone()))
                .collect(),
            streets: self.streets.clone(),
            amenities: self.amenities.iter().map(|a| (a.0, a.1)).collect(),
            horeca: self.horeca.iter().map(|h| (h.0, h.1)).collect(),
            sites: self
                .sites
                .iter()
                .map(|s| super::map::MapSite {
                    at: s.0,
                    rank: s.1,
                    name: Some(s.2.clone()),
                    homes: String::new(),
                    id: s.3.clone(),
                })
                .collect(),
            attribution: "© OpenStreetMap contributors".into(),
            metres_per_unit: 1.0,
            data_gaps: Vec::new(),
        }
    }

    fn feature(id: String, g: Geometry<f64>, props: serde_json::Value) -> OutFeature {
        let properties: Map<String, serde_json::Value> =
            props.as_object().cloned().unwrap_or_default();
        OutFeature {
            id,
            geometry: g,
            properties,
        }
    }

    /// The GeoJSON layers with the contract's property names.
    pub fn layers(&self) -> Vec<(&'static str, Vec<OutFeature>)> {
        let zones = self
            .zones
            .iter()
            .enumerate()
            .map(|(i, (mp, z))| {
                Self::feature(
                    format!("z{i}"),
                    mp.clone().into(),
                    json!({"zone_id": format!("z{i}"), "zone": z.as_str(), "mean_index": i as f64 * 3.0, "area_m2": 48000.0}),
                )
            })
            .collect();
        let buildings = self
            .buildings
            .iter()
            .map(|(id, mp, v, z)| {
                Self::feature(
                    id.clone(),
                    mp.clone().into(),
                    json!({"building_id": id, "name": NASTY, "use": "retail", "zone": z.as_str(),
                        "reuring_index": 2.5, "floors": 3, "vacant": false, "monument": false,
                        "walk_min_gezinnen_playground": 6.5, "score_gezinnen": 70, "verdict_gezinnen": v,
                        "reasons_gezinnen": "test"}),
                )
            })
            .collect();
        let sites = self
            .sites
            .iter()
            .map(|(p, rank, label, id)| {
                Self::feature(
                    id.clone(),
                    (*p).into(),
                    json!({"rank": rank, "building_id": id, "best_group": "gezinnen", "homes_gezinnen": 12,
                        "usable_m2": 900.0, "label": label}),
                )
            })
            .collect();
        let amenities = self
            .amenities
            .iter()
            .enumerate()
            .map(|(i, (p, k, name))| {
                Self::feature(
                    format!("a{i}"),
                    (*p).into(),
                    json!({"amenity_id": format!("a{i}"), "kind": k.as_str(), "name": name}),
                )
            })
            .collect();
        let horeca = self
            .horeca
            .iter()
            .enumerate()
            .map(|(i, (p, c, name))| {
                Self::feature(format!("h{i:02}"), (*p).into(), json!({"horeca_id": format!("h{i:02}"), "kind": "cafe", "category": c, "name": name}))
            })
            .collect();
        let coverage = self
            .coverage
            .iter()
            .enumerate()
            .map(|(i, mp)| {
                Self::feature(
                    format!("c{i}"),
                    mp.clone().into(),
                    json!({"kind": "playground", "group": "gezinnen", "minutes": 5,
                    "homes_inside": 100, "homes_outside": 20, "homes_unknown": 0, "share_inside": 0.83}),
                )
            })
            .collect();
        let streets = self
            .streets
            .iter()
            .enumerate()
            .map(|(i, l)| {
                Self::feature(
                    format!("s{i:02}"),
                    l.clone().into(),
                    json!({"street_id": format!("s{i:02}"), "highway": "residential"}),
                )
            })
            .collect();
        vec![
            ("zones", zones),
            ("buildings", buildings),
            ("sites", sites),
            ("amenities", amenities),
            ("horeca", horeca),
            ("coverage", coverage),
            ("streets", streets),
        ]
    }
}

/// Writes the whole demo output folder into `dir`.
pub fn write_folder(dir: &std::path::Path) {
    let d = demo();
    let writer = GeoJsonWriter::new(Crs::RD_NEW, Crs::WGS84).unwrap();
    for (name, features) in d.layers() {
        let text = writer.collection(name, &features).unwrap();
        std::fs::write(dir.join(format!("{name}.geojson")), text).unwrap();
    }
    let styles = qml::all("gezinnen", GeomKind::Point);
    for s in &styles {
        std::fs::write(dir.join(format!("{}.qml", s.layer)), &s.qml).unwrap();
    }
    let layers: Vec<QgsLayer> = styles
        .iter()
        .map(|s| QgsLayer {
            name: s.layer.to_string(),
            file: format!("{}.geojson", s.layer),
            geometry: s.geometry,
            epsg: 4326,
            qml: s.qml.clone(),
            group: if matches!(s.layer, "amenities" | "horeca" | "streets") {
                "Invoer"
            } else {
                "Analyse"
            }
            .into(),
        })
        .collect();
    let sw = writer
        .coord(Coord {
            x: X0 - 10.0,
            y: Y0 - 10.0,
        })
        .unwrap();
    let ne = writer
        .coord(Coord {
            x: X0 + W + 10.0,
            y: Y0 + H + 10.0,
        })
        .unwrap();
    let project = qgs::project(
        &layers,
        [sw[0], sw[1], ne[0], ne[1]],
        &format!("Demo {NASTY}"),
        "© OpenStreetMap contributors",
    );
    std::fs::write(dir.join("binnenstad.qgs"), project).unwrap();
    let map = d.map_data();
    let svg = super::map::svg(&map, 1200);
    let png = super::map::png(&map, 1200).unwrap();
    std::fs::write(dir.join("map.svg"), &svg).unwrap();
    std::fs::write(dir.join("map.png"), png).unwrap();
    let input = ReportInput {
        title: format!("Demo {NASTY}"),
        description: "A synthetic centre.".into(),
        figures: vec![("buildings".into(), d.buildings.len().to_string())],
        coverage: vec![CoverageRow {
            group: "gezinnen".into(),
            kind: "playground".into(),
            minutes: 5.0,
            homes_inside: 100,
            homes_outside: 20,
            homes_unknown: 0,
            share_inside: 0.833,
            caveat: None,
        }],
        sites: d
            .sites
            .iter()
            .map(|s| SiteRow {
                rank: s.1,
                building_id: s.3.clone(),
                label: s.2.clone(),
                best_group: "gezinnen".into(),
                homes: 12,
                usable_m2: 900.0,
                potential: 75.0,
                reasons: vec!["leegstand".into()],
            })
            .collect(),
        zones: d
            .zones
            .iter()
            .map(|(_, z)| ZoneRow {
                zone: z.as_str().into(),
                polygons: 1,
                area_m2: 48_000.0,
                buildings: 40,
                mean_index: 1.0,
            })
            .collect(),
        diagnostics: vec![DiagnosticRow {
            severity: "warning".into(),
            layer: "buildings".into(),
            feature: "feature 1".into(),
            message: "floors estimated".into(),
        }],
        caveats: Vec::new(),
        map_svg: Some(svg),
        attribution: "© OpenStreetMap contributors".into(),
    };
    std::fs::write(dir.join("report.html"), report::html(&input)).unwrap();
}

#[test]
fn demo_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = match std::env::var_os("BINNENSTAD_DEMO_DIR") {
        Some(d) => {
            std::fs::create_dir_all(&d).unwrap();
            std::path::PathBuf::from(d)
        }
        None => tmp.path().to_path_buf(),
    };
    write_folder(&dir);
    for f in [
        "zones.geojson",
        "zones.qml",
        "buildings.qml",
        "sites.qml",
        "binnenstad.qgs",
        "map.svg",
        "map.png",
        "report.html",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
}
