//! Tests of the importer on inline OSM XML and on the hand-made fixture
//! `tests/fixtures/osm/centrum.osm` (also as `.osm.gz` and `.osm.pbf`, converted
//! with pyosmium, so the three readers are compared on the same data).

use super::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/osm")
        .join(name)
}

/// Writes `bytes` to a temporary file named `name` and imports it.
fn import_bytes(name: &str, bytes: &[u8]) -> Result<(OsmLayers, ImportReport), Error> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    import(&path, &ImportOptions::default())
}

fn osm(body: &str) -> String {
    format!("<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n{body}\n</osm>\n")
}

fn find<'a>(c: &'a geojson::FeatureCollection, id: &str) -> &'a geojson::Feature {
    c.features
        .iter()
        .find(|f| f.id == Some(geojson::feature::Id::String(id.to_string())))
        .unwrap_or_else(|| panic!("no feature {id}"))
}

fn prop<'a>(f: &'a geojson::Feature, key: &str) -> &'a Value {
    f.properties
        .as_ref()
        .and_then(|p| p.get(key))
        .unwrap_or(&Value::Null)
}

fn ids(c: &geojson::FeatureCollection) -> Vec<String> {
    c.features
        .iter()
        .map(|f| match &f.id {
            Some(geojson::feature::Id::String(s)) => s.clone(),
            _ => String::new(),
        })
        .collect()
}

fn fixture_layers() -> (OsmLayers, ImportReport) {
    import(&fixture("centrum.osm"), &ImportOptions::default()).expect("fixture imports")
}

#[test]
fn buildings_take_use_from_tags_and_poi_nodes() {
    let (layers, _) = fixture_layers();
    let b = &layers.buildings;
    // B (way/101) and C (way/102) carry one ref:bag: one pand, one building.
    assert_eq!(
        ids(b),
        ["0363100000000001", "0363100000000002", "relation/200"]
    );
    let a = find(b, "0363100000000001");
    assert_eq!(prop(a, "use"), "residential");
    assert_eq!(prop(a, "use_source"), "building_tag");
    assert_eq!(prop(a, "ground_floor_use"), "retail");
    assert_eq!(prop(a, "floors"), 4);
    assert_eq!(prop(a, "year"), 1890);
    assert_eq!(prop(a, "monument"), true);
    assert_eq!(prop(a, "osm_id"), "way/100");
    let pand = find(b, "0363100000000002");
    assert_eq!(prop(pand, "osm_id"), "way/101;way/102");
    // C's building=retail states the use; the café and the vacant shop are its
    // two street-level units, one each: no majority, a mixed plint.
    assert_eq!(prop(pand, "building"), "retail");
    assert_eq!(prop(pand, "use"), "retail");
    assert_eq!(prop(pand, "use_source"), "building_tag");
    assert_eq!(prop(pand, "ground_floor_use"), "mixed");
    assert_eq!(prop(pand, "height_m"), 12.0);
    // One of two units is vacant: a vacant unit, not a vacant building.
    assert_eq!(prop(pand, "vacant"), false);
    assert_eq!(prop(pand, "units"), 2);
    assert_eq!(prop(pand, "units_vacant"), 1);
    assert_eq!(prop(pand, "units_business"), 1);
    let church = find(b, "relation/200");
    assert_eq!(prop(church, "use"), "culture");
    assert_eq!(prop(church, "name"), "Oude Kerk");
}

#[test]
fn polygons_follow_rfc7946_winding_and_keep_holes() {
    let (layers, _) = fixture_layers();
    let signed = |ring: &Vec<geojson::Position>| -> f64 {
        ring.windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum()
    };
    for f in &layers.buildings.features {
        let polygons = match f.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::Polygon { coordinates }) => vec![coordinates.clone()],
            // A pand drawn as two ways.
            Some(geojson::GeometryValue::MultiPolygon { coordinates }) => coordinates.clone(),
            _ => panic!("buildings are polygons"),
        };
        for coordinates in &polygons {
            assert!(signed(&coordinates[0]) > 0.0, "exterior ccw");
            for hole in &coordinates[1..] {
                assert!(signed(hole) < 0.0, "holes cw");
            }
        }
    }
    let church = find(&layers.buildings, "relation/200");
    let Some(geojson::GeometryValue::Polygon { coordinates }) =
        church.geometry.as_ref().map(|g| &g.value)
    else {
        panic!("church is a polygon");
    };
    assert_eq!(
        coordinates.len(),
        2,
        "outer ring joined from two ways, plus the hole"
    );
}

#[test]
fn diagnostics_name_the_element_and_the_problem() {
    let (_, report) = fixture_layers();
    let codes: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.layer.as_str(), d.code))
        .collect();
    assert!(codes.contains(&("buildings", "missing_members")));
    let missing = report
        .diagnostics
        .iter()
        .find(|d| d.code == "missing_nodes")
        .expect("street with a missing node");
    assert_eq!(missing.severity, crate::error::Severity::Warning);
    assert!(missing.message.contains("way/302"), "{}", missing.message);
    assert!(
        missing.message.contains("1 of 6 nodes missing"),
        "{}",
        missing.message
    );
    assert!(
        missing.message.contains("longest run of 3"),
        "{}",
        missing.message
    );
}

#[test]
fn streets_are_walkable_ways_only() {
    let (layers, _) = fixture_layers();
    assert_eq!(ids(&layers.streets), ["way/300", "way/302"]);
    let k = find(&layers.streets, "way/300");
    assert_eq!(prop(k, "name"), "Kalverstraat");
    assert_eq!(prop(k, "bridge"), true);
    assert_eq!(prop(k, "layer"), 1);
    let r = find(&layers.streets, "way/302");
    let Some(geojson::GeometryValue::LineString { coordinates }) =
        r.geometry.as_ref().map(|g| &g.value)
    else {
        panic!("streets are lines");
    };
    assert_eq!(coordinates.len(), 3);
}

#[test]
fn horeca_amenities_and_businesses_are_mapped() {
    let (layers, report) = fixture_layers();
    let cafe = find(&layers.horeca, "node/51");
    assert_eq!(prop(cafe, "category"), 1);
    assert_eq!(prop(cafe, "closing_time"), "03:00");
    assert_eq!(prop(cafe, "closes_after_midnight"), true);
    assert_eq!(prop(cafe, "outdoor_seating"), true);
    assert_eq!(prop(cafe, "terrace_seats"), &Value::Null);
    assert_eq!(prop(cafe, "name"), "Café 't Hoekje");
    let club = find(&layers.horeca, "node/63");
    assert_eq!(prop(club, "category"), 3);
    assert_eq!(prop(club, "closing_time"), "05:00");

    let kind = |id: &str| prop(find(&layers.amenities, id), "kind").clone();
    assert_eq!(kind("node/50"), "bakery");
    assert_eq!(
        prop(find(&layers.amenities, "node/50"), "name"),
        "Bakker & Zn"
    );
    assert_eq!(kind("node/60"), "primary_school");
    assert_eq!(kind("node/61"), "daycare");
    assert_eq!(kind("node/64"), "transit_stop");
    assert!(
        !ids(&layers.amenities).contains(&"node/65".to_string()),
        "platform of the same stop merged into the bus stop"
    );
    let carpenter = find(&layers.businesses, "node/62");
    assert_eq!(prop(carpenter, "activity"), "craft=carpenter");
    assert_eq!(prop(carpenter, "milieucategorie"), "3.1");
    assert_eq!(report.counts["horeca"], 2);
}

#[test]
fn xml_gzip_and_pbf_give_identical_layers() {
    let (xml, xml_report) = fixture_layers();
    for name in ["centrum.osm.gz", "centrum.osm.pbf"] {
        let (other, report) =
            import(&fixture(name), &ImportOptions::default()).expect("fixture imports");
        for ((layer, a), (_, b)) in xml.layers().iter().zip(other.layers().iter()) {
            // The study area is the file's declared extent: XML `<bounds>`, the PBF
            // header's bbox, which this fixture's PBF does not carry.
            if *layer == "study_area" && name.ends_with(".pbf") {
                continue;
            }
            assert_eq!(
                serde_json::to_string(a).ok(),
                serde_json::to_string(b).ok(),
                "{name}: layer {layer} differs"
            );
        }
        let without_area = |c: &BTreeMap<String, usize>| {
            let mut c = c.clone();
            c.remove("study_area");
            c
        };
        assert_eq!(
            without_area(&xml_report.counts),
            without_area(&report.counts)
        );
    }
}

#[test]
fn import_is_deterministic() {
    let (a, _) = fixture_layers();
    let (b, _) = fixture_layers();
    for ((_, x), (_, y)) in a.layers().iter().zip(b.layers().iter()) {
        assert_eq!(serde_json::to_string(x).ok(), serde_json::to_string(y).ok());
    }
}

#[test]
fn bbox_selects_without_clipping() {
    // Only building A (4.8900..4.8902) and the footway crossing it.
    let options = ImportOptions {
        bbox: Some([4.8899, 52.3699, 4.8903, 52.3709]),
    };
    let (layers, _) = import(&fixture("centrum.osm"), &options).expect("imports");
    assert_eq!(ids(&layers.buildings), ["0363100000000001"]);
    assert_eq!(ids(&layers.streets), ["way/300"]);
    let line = find(&layers.streets, "way/300");
    let Some(geojson::GeometryValue::LineString { coordinates }) =
        line.geometry.as_ref().map(|g| &g.value)
    else {
        panic!("line");
    };
    assert_eq!(coordinates.len(), 3, "not clipped");
    let bad = ImportOptions {
        bbox: Some([5.0, 52.0, 4.0, 53.0]),
    };
    assert!(matches!(
        import(&fixture("centrum.osm"), &bad),
        Err(Error::Usage(_))
    ));
}

#[test]
fn retail_core_is_derived_from_shop_density() {
    // 10 shops within 40 m: one derived core part; no landuse=retail.
    let nodes: String = (0..10)
        .map(|i| {
            format!(
                "<node id=\"{}\" lat=\"52.37\" lon=\"{:.5}\"><tag k=\"shop\" v=\"clothes\"/></node>",
                i + 1,
                4.89 + f64::from(i) * 0.00005
            )
        })
        .collect();
    let (layers, report) = import_bytes("shops.osm", osm(&nodes).as_bytes()).expect("imports");
    assert!(report.retail_core_derived);
    assert!(report.retail_core_method.contains("shops within"));
    assert_eq!(ids(&layers.retail_core), ["derived/1"]);
}

#[test]
fn tagged_landuse_retail_is_the_core_when_it_holds_the_shops() {
    let body = r#"
  <node id="1" lat="52.3700" lon="4.8900"/><node id="2" lat="52.3700" lon="4.8910"/>
  <node id="3" lat="52.3710" lon="4.8910"/><node id="4" lat="52.3710" lon="4.8900"/>
  <node id="5" lat="52.3705" lon="4.8905"><tag k="shop" v="shoes"/></node>
  <way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
    <tag k="landuse" v="retail"/><tag k="name" v="Kalverstraat"/></way>"#;
    let (layers, report) = import_bytes("core.osm", osm(body).as_bytes()).expect("imports");
    assert!(!report.retail_core_derived);
    assert_eq!(ids(&layers.retail_core), ["way/1"]);
    assert_eq!(
        prop(&layers.retail_core.features[0], "source"),
        "landuse=retail"
    );
}

#[test]
fn bad_coordinates_are_diagnostics_not_errors() {
    let body = r#"<node id="1" lat="nan" lon="4.89"><tag k="amenity" v="pub"/></node>
  <node id="2" lat="52.37" lon="400"/><node id="3" lon="4.89"/>
  <node id="4" lat="52.37" lon="4.89"><tag k="amenity" v="pub"/></node>"#;
    let (layers, report) = import_bytes("nan.osm", osm(body).as_bytes()).expect("imports");
    assert_eq!(ids(&layers.horeca), ["node/4"]);
    let bad = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "invalid_coordinates")
        .count();
    assert_eq!(bad, 3);
}

#[test]
fn unparsable_or_odd_tags_never_fail() {
    let body = r#"<node id="1" lat="52.37" lon="4.89">
    <tag k="amenity" v="bar"/><tag k="opening_hours" v="Mo-Su 99:99-:; sunset-sunrise, ||"/>
    <tag k="outdoor_seating" v="no"/></node>
  <way id="2"><nd ref="1"/><tag k="building" v="yes"/></way>
  <way id="3"/>
  <relation id="4"><member type="relation" ref="4" role="outer"/><tag k="type" v="multipolygon"/>
    <tag k="building" v="yes"/></relation>"#;
    let (layers, _) = import_bytes("odd.osm", osm(body).as_bytes()).expect("imports");
    let bar = find(&layers.horeca, "node/1");
    assert_eq!(prop(bar, "closing_time"), &Value::Null);
    assert_eq!(prop(bar, "terrace_seats"), 0);
    assert!(layers.buildings.features.is_empty());
}

/// Every broken input is an `Error::File` naming the path (never a panic).
#[test]
fn broken_files_are_errors_naming_the_file() {
    let gz = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(
            osm("<node id=\"1\" lat=\"52\" lon=\"4\"/>")
                .repeat(50)
                .as_bytes(),
        )
        .expect("gzip");
        e.finish().expect("gzip")
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.osm", Vec::new(), "empty"),
        (
            "data.osm",
            br#"{"type": "FeatureCollection"}"#.to_vec(),
            "not OSM",
        ),
        (
            "page.osm",
            b"<html><body/></html>".to_vec(),
            "root element is <html>",
        ),
        (
            "cut.osm",
            osm("<node id=\"1\" lat=\"5\" lon=\"4\"/>").as_bytes()[..60].to_vec(),
            "at byte",
        ),
        (
            "open.osm",
            b"<osm version=\"0.6\"><node id=\"1\" lat=\"5\" lon=\"4\"/>".to_vec(),
            "truncated",
        ),
        (
            "bad.osm",
            b"<osm><node id=\"x\" lat=\"1\" lon=\"2\"/></osm>".to_vec(),
            "not an integer",
        ),
        ("cut.osm.gz", gz[..gz.len() / 2].to_vec(), "osm.gz"),
        (
            "garbage.osm.pbf",
            vec![0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            "garbage.osm.pbf",
        ),
        (
            "random.osm.pbf",
            (0..5000u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
            "random.osm.pbf",
        ),
        ("noise.bin", vec![0xde, 0xad, 0xbe, 0xef], "not OSM data"),
    ];
    for (name, bytes, expected) in cases {
        match import_bytes(name, &bytes) {
            Err(e @ Error::File { .. }) => {
                let text = e.to_string();
                assert!(text.contains(name), "{name}: {text}");
                assert!(text.contains(expected), "{name}: {text}");
            }
            other => panic!(
                "{name}: expected Error::File, got {:?}",
                other.map(|r| r.1.counts)
            ),
        }
    }
    let missing = import(Path::new("/nonexistent/x.osm"), &ImportOptions::default());
    assert!(matches!(missing, Err(Error::Io { .. })));
}

/// Compares the importer with the pyosmium oracle (`tests/oracle/osm_counts.json`)
/// on the real extracts (`amsterdam-centrum.osm.gz`, `amsterdam-centrum.osm.pbf`,
/// `kbh.osm.pbf`), looked for in the folders `BINNENSTAD_OSM_DATA` lists (a
/// path list, as `PATH`), else beside the checkout in
/// `../shared/data/amsterdam-centrum` and `../shared/data/copenhagen`. The
/// data is not in the repository: without it this only checks that the
/// oracle file parses, unless the variable is set or CI requires every data
/// set (`BINNENSTAD_REQUIRE_CLIENTS`), where finding none fails.
#[test]
fn counts_match_the_pyosmium_oracle() {
    let oracle: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/osm_counts.json"),
        )
        .expect("oracle file"),
    )
    .expect("oracle json");
    let files = oracle["files"].as_object().expect("files");
    assert!(!files.is_empty());
    let given = std::env::var_os("BINNENSTAD_OSM_DATA");
    let dirs: Vec<std::path::PathBuf> = match &given {
        Some(list) => std::env::split_paths(list).collect(),
        None => ["amsterdam-centrum", "copenhagen"]
            .iter()
            .map(|d| {
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../shared/data")
                    .join(d)
            })
            .collect(),
    };
    let required = given.is_some() || std::env::var_os("BINNENSTAD_REQUIRE_CLIENTS").is_some();
    let mut checked = 0;
    for (name, expected) in files {
        let Some(path) = dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()) else {
            continue;
        };
        let (layers, report) = import(&path, &ImportOptions::default()).expect("real data imports");
        // One building per BAG pand: the OSM elements it was drawn with are
        // its `osm_id` parts (`way/1;way/2`), and those are what the oracle
        // counts (as in tests/maps.rs for the committed maps).
        let parts: u64 = layers
            .buildings
            .features
            .iter()
            .map(|f| {
                f.property("osm_id")
                    .and_then(|v| v.as_str())
                    .map_or(0, |ids| ids.split(';').count() as u64)
            })
            .sum();
        assert_eq!(
            Some(parts),
            expected["buildings_complete"].as_u64(),
            "{name} buildings"
        );
        assert!(
            report.counts["buildings"] as u64 <= parts,
            "{name} buildings"
        );
        assert_eq!(
            Some(report.counts["horeca"] as u64),
            expected["horeca_total"].as_u64(),
            "{name} horeca"
        );
        // Walkable ways, and walkable multipolygon areas (squares) as one
        // feature each (as in tests/maps.rs).
        assert_eq!(
            Some(report.counts["streets"] as u64),
            expected["walkable_ways_drawable"]
                .as_u64()
                .zip(expected["walkable_areas"].as_u64())
                .map(|(w, a)| w + a),
            "{name} streets"
        );
        checked += 1;
    }
    if checked == 0 {
        assert!(!required, "no OSM extract of the oracle found in {dirs:?}");
        eprintln!("skipped: no OSM extract of the oracle found in {dirs:?}");
    }
}

#[test]
fn import_bytes_matches_import_for_every_fixture_encoding() {
    for name in ["centrum.osm", "centrum.osm.gz", "centrum.osm.pbf"] {
        let path = fixture(name);
        let bytes = std::fs::read(&path).unwrap();
        let (from_file, report_file) = import(&path, &ImportOptions::default()).unwrap();
        let (from_bytes, report_bytes) =
            super::import_bytes(&bytes, &path, &ImportOptions::default()).unwrap();
        for ((layer, a), (_, b)) in from_file.layers().iter().zip(from_bytes.layers()) {
            assert_eq!(a.to_string(), b.to_string(), "{name} {layer}");
        }
        assert_eq!(report_file.counts, report_bytes.counts, "{name}");
        assert_eq!(
            report_file.diagnostics.len(),
            report_bytes.diagnostics.len(),
            "{name}"
        );
    }
}

/// Found by the `osm_import` fuzz target: a PBF relation member of type 8
/// (not node, way or relation) made osmpbf panic inside its member iterator.
/// The fixture is `centrum.osm.pbf` with the first relation's first member type
/// set to 8, blobs stored uncompressed (the fuzzer's own input relied on zlib
/// checksums being skipped under `cfg(fuzzing)`).
#[test]
fn pbf_relation_with_unknown_member_type_is_an_error_naming_the_relation() {
    let bytes = include_bytes!("../../../tests/fixtures/fuzz/pbf_relation_member_type_8.osm.pbf");
    let err = super::import_bytes(bytes, Path::new("bad.osm.pbf"), &ImportOptions::default())
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("bad.osm.pbf"), "{text}");
    assert!(
        text.contains("relation") && text.contains("not node, way or relation"),
        "{text}"
    );
}

#[test]
fn streets_carry_their_level_as_tagged() {
    let body = r#"
  <node id="1" lat="52.3700" lon="4.8900"/><node id="2" lat="52.3700" lon="4.8910"/>
  <node id="3" lat="52.3710" lon="4.8910"/>
  <way id="1"><nd ref="1"/><nd ref="2"/>
    <tag k="highway" v="footway"/><tag k="tunnel" v="yes"/><tag k="level" v="-1"/></way>
  <way id="2"><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>"#;
    let (layers, _) = import_bytes("level.osm", osm(body).as_bytes()).expect("imports");
    assert_eq!(prop(find(&layers.streets, "way/1"), "level"), "-1");
    assert_eq!(prop(find(&layers.streets, "way/1"), "tunnel"), true);
    assert!(prop(find(&layers.streets, "way/2"), "level").is_null());
}

/// relation/1828586 in Copenhagen: a block (outer ring C) around a courtyard
/// (inner ring B) holding another building (outer ring A). The courtyard used
/// to be given to A, the first outer around a point inside it, so A came out
/// as a shell with a hole larger than itself and C without its courtyard.
#[test]
fn a_courtyard_goes_to_the_outer_ring_around_it_not_to_a_building_inside_it() {
    let ring = |first: i64, pts: &[(f64, f64)]| -> (String, String) {
        let nodes = pts
            .iter()
            .enumerate()
            .map(|(k, (lon, lat))| {
                format!(
                    r#"<node id="{}" lat="{lat}" lon="{lon}"/>"#,
                    first + k as i64
                )
            })
            .collect::<String>();
        let mut refs: String = (0..pts.len())
            .map(|k| format!(r#"<nd ref="{}"/>"#, first + k as i64))
            .collect();
        refs.push_str(&format!(r#"<nd ref="{first}"/>"#));
        (nodes, refs)
    };
    // Listed A, B, C as in the relation's data: the building in the courtyard first.
    let a = ring(
        100,
        &[
            (12.5990102, 55.6676446),
            (12.5991898, 55.6673854),
            (12.5996722, 55.6674917),
            (12.5995332, 55.6676923),
            (12.5993037, 55.6676417),
            (12.5992631, 55.6677003),
        ],
    );
    let b = ring(
        200,
        &[
            (12.5986495, 55.6679162),
            (12.5995816, 55.6677975),
            (12.5998217, 55.6674632),
            (12.5991069, 55.667299),
            (12.5985834, 55.6678393),
        ],
    );
    let c = ring(
        300,
        &[
            (12.5985007, 55.6680335),
            (12.5983411, 55.667824),
            (12.5990076, 55.6671644),
            (12.6000724, 55.6673989),
            (12.5997533, 55.6678777),
        ],
    );
    let body = format!(
        r#"{}{}{}
  <way id="1">{}</way><way id="2">{}</way><way id="3">{}</way>
  <relation id="1828586"><member type="way" ref="1" role="outer"/>
    <member type="way" ref="2" role="inner"/><member type="way" ref="3" role="outer"/>
    <tag k="type" v="multipolygon"/><tag k="building" v="yes"/></relation>"#,
        a.0, b.0, c.0, a.1, b.1, c.1
    );
    let (layers, _) = import_bytes("court.osm", osm(&body).as_bytes()).expect("imports");
    let f = find(&layers.buildings, "relation/1828586");
    let Some(geojson::GeometryValue::MultiPolygon { coordinates }) =
        f.geometry.as_ref().map(|g| &g.value)
    else {
        panic!("a multipolygon building");
    };
    let rings: Vec<(usize, usize)> = coordinates
        .iter()
        .map(|p| (p[0].len(), p.len() - 1))
        .collect();
    // (exterior vertices incl. closing, holes): C holds the courtyard, A none.
    assert_eq!(rings, [(7, 0), (6, 1)], "{coordinates:?}");
    let mp: geo::MultiPolygon<f64> = geo::Geometry::<f64>::try_from(f.geometry.clone().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    use geo::Validation;
    assert!(mp.is_valid(), "{:?}", mp.validation_errors());
}

/// Copenhagen's "Vandtårn" (`building=yes`, `man_made=water_tower`,
/// `disused=yes`) was imported as a vacant mixed building without a landmark
/// and became the #1 transformation site. Structures on the building's own
/// tags are landmarks; a memorial node inside a house is not.
#[test]
fn structures_and_campus_buildings_are_landmarks() {
    let square = |way: i64, first: i64, lon: f64, tags: &str| -> String {
        let pts = [(0.0, 0.0), (0.0002, 0.0), (0.0002, 0.0001), (0.0, 0.0001)];
        let nodes: String = pts
            .iter()
            .enumerate()
            .map(|(k, (dx, dy))| {
                format!(
                    r#"<node id="{}" lat="{}" lon="{}"/>"#,
                    first + k as i64,
                    55.68 + dy,
                    lon + dx
                )
            })
            .collect();
        let refs: String = (0..4)
            .chain([0])
            .map(|k| format!(r#"<nd ref="{}"/>"#, first + k))
            .collect();
        format!(r#"{nodes}<way id="{way}">{refs}{tags}</way>"#)
    };
    let t = |pairs: &[(&str, &str)]| -> String {
        pairs
            .iter()
            .map(|(k, v)| format!(r#"<tag k="{k}" v="{v}"/>"#))
            .collect()
    };
    let body = [
        square(
            1,
            100,
            12.50,
            &t(&[
                ("building", "yes"),
                ("man_made", "water_tower"),
                ("disused", "yes"),
                ("name", "Vandtårn"),
            ]),
        ),
        square(
            2,
            200,
            12.51,
            &t(&[("building", "yes"), ("amenity", "university")]),
        ),
        square(
            3,
            300,
            12.52,
            &t(&[("building", "yes"), ("historic", "city_gate")]),
        ),
        square(4, 400, 12.53, &t(&[("building", "yes"), ("tunnel", "yes")])),
        square(5, 500, 12.54, &t(&[("building", "house")])),
        // A memorial plaque on the house: not a landmark.
        r#"<node id="600" lat="55.68005" lon="12.5401"><tag k="historic" v="memorial"/></node>"#
            .to_string(),
        square(
            6,
            700,
            12.55,
            &t(&[("building", "yes"), ("historic", "building")]),
        ),
    ]
    .join("\n");
    let (layers, _) = import_bytes("landmarks.osm", osm(&body).as_bytes()).expect("imports");
    let landmark = |id: &str| prop(find(&layers.buildings, id), "landmark").clone();
    assert_eq!(landmark("way/1"), Value::from("water_tower"));
    assert_eq!(landmark("way/2"), Value::from("education"));
    assert_eq!(landmark("way/3"), Value::from("historic"));
    assert_eq!(landmark("way/4"), Value::from("tunnel"));
    assert_eq!(landmark("way/5"), Value::Null);
    assert_eq!(landmark("way/6"), Value::Null);
}
