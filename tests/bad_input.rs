//! The bad-input corpus: every case exits 2 with a message naming the file, the
//! feature and the problem, never panics, and creates no output folder.
//!
//! Each case copies the tiny fixture into a temp folder, breaks one thing, and runs
//! `plan` (with `--strict` where the problem is one bad feature in a good file,
//! which without `--strict` is a diagnostic and the run goes on).

use crate::util::*;
use serde_json::{Value, json};
use std::path::Path;

struct Case {
    name: &'static str,
    /// Breaks the copied fixture.
    mutate: fn(&Path),
    /// Extra arguments (e.g. --strict).
    args: &'static [&'static str],
    /// Fragments the error message must contain.
    expect: &'static [&'static str],
}

fn write(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).unwrap();
}

fn edit_json(dir: &Path, rel: &str, f: impl FnOnce(&mut Value)) {
    let path = dir.join(rel);
    let mut v = read_json(&path);
    f(&mut v);
    std::fs::write(path, v.to_string()).unwrap();
}

fn first_geometry(dir: &Path, layer: &str, geometry: Value) {
    edit_json(dir, &format!("tiny/{layer}.geojson"), |v| {
        v["features"][0]["geometry"] = geometry
    });
}

/// Gives every feature of a layer the same geometry (the whole file in another CRS).
fn every_geometry(dir: &Path, layer: &str, geometry: Value) {
    edit_json(dir, &format!("tiny/{layer}.geojson"), |v| {
        for f in v["features"].as_array_mut().unwrap() {
            f["geometry"] = geometry.clone();
        }
    });
}

fn append_scenario(dir: &Path, extra: &str) {
    let path = dir.join("tiny.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, format!("{text}{extra}")).unwrap();
}

const CASES: &[Case] = &[
    Case {
        name: "truncated json",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny/buildings.geojson")).unwrap();
            write(d, "tiny/buildings.geojson", &text[..text.len() / 2]);
        },
        args: &[],
        expect: &["buildings.geojson", "geen geldige JSON op regel"],
    },
    Case {
        name: "binary garbage",
        mutate: |d| {
            std::fs::write(d.join("tiny/horeca.geojson"), [0u8, 159, 146, 150, 1, 2]).unwrap()
        },
        args: &[],
        expect: &["horeca.geojson"],
    },
    Case {
        name: "empty file",
        mutate: |d| write(d, "tiny/streets.geojson", ""),
        args: &[],
        expect: &["streets.geojson", "geen geldige JSON"],
    },
    Case {
        name: "top-level array",
        mutate: |d| write(d, "tiny/streets.geojson", "[1, 2]"),
        args: &[],
        expect: &["streets.geojson", "geen GeoJSON-object"],
    },
    Case {
        name: "a geometry instead of a collection",
        mutate: |d| {
            write(
                d,
                "tiny/amenities.geojson",
                r#"{"type":"Point","coordinates":[4.9,52.37]}"#,
            )
        },
        args: &[],
        expect: &[
            "amenities.geojson",
            "is een GeoJSON Point, verwacht een FeatureCollection",
        ],
    },
    Case {
        name: "features is not an array",
        mutate: |d| {
            write(
                d,
                "tiny/amenities.geojson",
                r#"{"type":"FeatureCollection","features":{}}"#,
            )
        },
        args: &[],
        expect: &["amenities.geojson", "\"features\" is geen array"],
    },
    Case {
        name: "malformed feature",
        mutate: |d| {
            first_geometry(
                d,
                "buildings",
                json!({"type": "Polygon", "coordinates": "nope"}),
            )
        },
        // One feature's geometry: that feature is left out and named (--strict stops).
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 0 (id home-west)",
            "geen geldige geometrie",
        ],
    },
    Case {
        name: "unknown geometry type",
        mutate: |d| {
            first_geometry(
                d,
                "buildings",
                json!({"type": "Circle", "coordinates": [1, 2]}),
            )
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 0",
            "geen geldige geometrie",
            "Circle",
        ],
    },
    Case {
        name: "empty buildings collection",
        mutate: |d| {
            write(
                d,
                "tiny/buildings.geojson",
                r#"{"type":"FeatureCollection","features":[]}"#,
            )
        },
        args: &[],
        expect: &["buildings.geojson", "bevat geen bruikbaar gebouw"],
    },
    Case {
        name: "point in the buildings layer",
        mutate: |d| {
            first_geometry(
                d,
                "buildings",
                json!({"type": "Point", "coordinates": [4.9, 52.37]}),
            )
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 0 (id home-west)",
            "is een Point, verwacht Polygon",
        ],
    },
    Case {
        // A Polygon street is a walkable area (walked along its rings); a
        // Point is no street.
        name: "point in the streets layer",
        mutate: |d| {
            first_geometry(
                d,
                "streets",
                json!({"type": "Point", "coordinates": [4.9, 52.37]}),
            )
        },
        args: &["--strict"],
        expect: &[
            "streets.geojson",
            "feature 0 (id street/west-east)",
            "verwacht LineString",
        ],
    },
    Case {
        name: "huge coordinates",
        mutate: |d| {
            every_geometry(
                d,
                "horeca",
                json!({"type": "Point", "coordinates": [1e300, 52.37]}),
            )
        },
        args: &[],
        expect: &[
            "horeca.geojson",
            "feature 0 (id horeca/nightclub)",
            "kunnen geen WGS84-graden zijn",
        ],
    },
    Case {
        name: "infinite coordinate",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny/horeca.geojson")).unwrap();
            let i = text.find("\"coordinates\"").unwrap();
            let j = i + text[i..].find(']').unwrap();
            write(
                d,
                "tiny/horeca.geojson",
                &format!(
                    "{}\"coordinates\": [1e999, 52.3]{}",
                    &text[..i],
                    &text[j + 1..]
                ),
            );
        },
        args: &[],
        expect: &["horeca.geojson", "geen geldige JSON"],
    },
    Case {
        name: "rd metres without a crs member",
        mutate: |d| {
            every_geometry(
                d,
                "horeca",
                json!({"type": "Point", "coordinates": [121040.0, 486995.0]}),
            )
        },
        args: &[],
        expect: &[
            "horeca.geojson",
            "feature 0 (id horeca/nightclub)",
            "kunnen geen WGS84-graden zijn",
            "EPSG:28992",
        ],
    },
    Case {
        name: "wgs84 degrees in a file that declares RD",
        mutate: |d| {
            every_geometry(
                d,
                "amenities",
                json!({"type": "Point", "coordinates": [4.9, 52.37]}),
            )
        },
        args: &[],
        expect: &[
            "amenities.geojson",
            "feature 0 (id amenity/playground)",
            "liggen buiten wat EPSG:28992 kan bevatten",
        ],
    },
    Case {
        name: "unknown crs",
        mutate: |d| {
            edit_json(d, "tiny/amenities.geojson", |v| {
                v["crs"]["properties"]["name"] = json!("urn:ogc:def:crs:EPSG::999999")
            })
        },
        args: &[],
        expect: &["amenities.geojson", "999999"],
    },
    Case {
        name: "crs member without a name",
        mutate: |d| {
            edit_json(d, "tiny/amenities.geojson", |v| {
                v["crs"] = json!({"type": "name"})
            })
        },
        args: &[],
        expect: &["amenities.geojson", "crs", "properties.name"],
    },
    Case {
        name: "position with one number",
        mutate: |d| {
            first_geometry(
                d,
                "buildings",
                json!({"type": "Polygon", "coordinates": [[[4.9, 52.37], [5.1], [4.901, 52.371], [4.9, 52.37]]]}),
            )
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 0 (id home-west)",
            "heeft 1 getal",
        ],
    },
    Case {
        name: "unclosed ring",
        mutate: |d| {
            first_geometry(
                d,
                "buildings",
                json!({"type": "Polygon", "coordinates": [[[4.9, 52.37], [4.9002, 52.37], [4.9002, 52.3702], [4.9, 52.3702]]]}),
            )
        },
        args: &["--strict"],
        expect: &["buildings.geojson", "feature 0 (id home-west)", "gesloten"],
    },
    Case {
        name: "self-intersecting polygon",
        mutate: |d| {
            first_geometry(
                d,
                "buildings",
                json!({"type": "Polygon", "coordinates": [[[4.9, 52.37], [4.9002, 52.3702], [4.9002, 52.37], [4.9, 52.3702], [4.9, 52.37]]]}),
            )
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 0 (id home-west)",
            "ongeldige polygoon",
            "hersteld zoals GEOS make_valid",
        ],
    },
    Case {
        name: "duplicate ids",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][1]["id"] = json!("home-west");
                v["features"][1]["properties"]["id"] = json!("home-west");
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 1 (id home-west)",
            "dezelfde id als feature 0",
        ],
    },
    Case {
        name: "unknown amenity kind",
        mutate: |d| {
            edit_json(d, "tiny/amenities.geojson", |v| {
                v["features"][0]["properties"]["kind"] = json!("spaceport")
            })
        },
        args: &["--strict"],
        expect: &[
            "amenities.geojson",
            "feature 0 (id amenity/playground)",
            "spaceport",
        ],
    },
    Case {
        name: "horeca category out of range",
        mutate: |d| {
            edit_json(d, "tiny/horeca.geojson", |v| {
                v["features"][1]["properties"]["category"] = json!(7)
            })
        },
        args: &["--strict"],
        expect: &["horeca.geojson", "feature 1 (id horeca/cafe)", "category"],
    },
    Case {
        name: "floors that are not a number",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["floors"] = json!("veel")
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"floors\" = veel",
        ],
    },
    Case {
        name: "floors as a fraction",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["floors"] = json!("2.5")
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"floors\" = 2.5: een breuk; gelezen als 2 hele bouwlagen",
        ],
    },
    Case {
        name: "floors as a list",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["floors"] = json!("3;4")
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"floors\" = 3;4: een lijst of bereik; gelezen als de laagste, 3",
        ],
    },
    Case {
        name: "floors as a range",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["floors"] = json!("3-4")
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"floors\" = 3-4: een lijst of bereik; gelezen als de laagste, 3",
        ],
    },
    Case {
        name: "floors as a bound",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["floors"] = json!("<4")
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"floors\" = <4: een grens, geen waarde; genegeerd",
        ],
    },
    Case {
        name: "a billion floors",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["floors"] = json!(1e9)
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "buiten 1-200 bouwlagen; genegeerd",
        ],
    },
    Case {
        name: "negative floors",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["floors"] = json!(-3)
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"floors\" = -3: buiten 1-200 bouwlagen; genegeerd",
        ],
    },
    Case {
        name: "zero floors",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["floors"] = json!(0)
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"floors\" = 0: buiten 1-200 bouwlagen; genegeerd",
        ],
    },
    Case {
        name: "negative height",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["height_m"] = json!(-5)
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"height_m\" = -5: buiten 0,5-1000 m; genegeerd",
        ],
    },
    Case {
        name: "height in feet",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["height_m"] = json!("40 ft")
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"height_m\" = 40 ft: in voet; geef meters; genegeerd",
        ],
    },
    Case {
        name: "negative floor area",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["floor_area_m2"] = json!(-100)
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"floor_area_m2\" = -100: buiten 0-5.000.000 m²; genegeerd",
        ],
    },
    Case {
        name: "floor area of 1e308",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["floor_area_m2"] = json!(1e308)
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "buiten 0-5.000.000 m²; genegeerd",
        ],
    },
    Case {
        name: "year 99999999999",
        mutate: |d| {
            edit_json(d, "tiny/buildings.geojson", |v| {
                v["features"][2]["properties"]["year"] = json!(99999999999u64)
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "feature 2 (id shop-vacant)",
            "\"year\" = 99999999999: buiten de jaren 1000-2100; genegeerd",
        ],
    },
    Case {
        name: "unclosed ring in a polygon street (a walkable area)",
        mutate: |d| {
            first_geometry(
                d,
                "streets",
                json!({"type": "Polygon", "coordinates": [[[4.9, 52.37], [4.901, 52.37], [4.901, 52.371], [4.9, 52.371]]]}),
            )
        },
        args: &["--strict"],
        expect: &[
            "streets.geojson",
            "feature 0 (id street/west-east)",
            "gesloten",
        ],
    },
    Case {
        name: "street layer that is not an integer",
        mutate: |d| {
            edit_json(d, "tiny/streets.geojson", |v| {
                v["features"][0]["properties"]["layer"] = json!("hoog")
            })
        },
        args: &["--strict"],
        expect: &[
            "streets.geojson",
            "feature 0 (id street/west-east)",
            "\"layer\" = hoog",
            "geheel laagnummer",
        ],
    },
    Case {
        name: "bridge that is a list",
        mutate: |d| {
            edit_json(d, "tiny/streets.geojson", |v| {
                v["features"][0]["properties"]["bridge"] = json!([1])
            })
        },
        args: &["--strict"],
        expect: &[
            "streets.geojson",
            "feature 0 (id street/west-east)",
            "\"bridge\" = [1]",
            "ja/nee",
        ],
    },
    Case {
        name: "crs auto with one building lat/lon swapped",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny.toml"))
                .unwrap()
                .replace("crs = \"EPSG:28992\"", "crs = \"auto\"");
            write(d, "tiny.toml", &text);
            edit_json(d, "tiny/buildings.geojson", |v| {
                let mut f = v["features"][0].clone();
                f["id"] = json!("swapped");
                f["properties"]["id"] = json!("swapped");
                f["geometry"] = json!({"type": "Polygon", "coordinates": [[[52.37, 4.9], [52.37, 4.9002], [52.3702, 4.9002], [52.37, 4.9]]]});
                v["features"].as_array_mut().unwrap().push(f);
            })
        },
        args: &["--strict"],
        expect: &[
            "buildings.geojson",
            "(id swapped)",
            "lengte- en breedtegraad verwisseld?",
        ],
    },
    Case {
        name: "missing layer",
        mutate: |d| std::fs::remove_file(d.join("tiny/horeca.geojson")).unwrap(),
        args: &[],
        expect: &["horeca.geojson", "laag horeca bestaat niet"],
    },
    Case {
        name: "map folder that does not exist",
        mutate: |d| {
            let path = d.join("tiny.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(path, text.replace("area = \"tiny\"", "area = \"tinny\"")).unwrap();
        },
        args: &[],
        // Review: it said "zet [layers.buildings] path in het scenario".
        expect: &[
            "tinny/buildings.geojson",
            "de kaartmap bestaat niet: controleer area in het scenario",
        ],
    },
    Case {
        name: "unknown scenario key",
        mutate: |d| append_scenario(d, "[zoning]\ncell_size_m = 20\n"),
        args: &[],
        expect: &[
            "tiny.toml",
            "cell_size_m",
            "onbekende sleutel `cell_size_m`",
        ],
    },
    Case {
        name: "walking speed in the wrong unit",
        mutate: |d| append_scenario(d, "[groups.ouderen]\nwalk_speed_kmh = 1000\n"),
        args: &[],
        expect: &[
            "tiny.toml",
            "groups.ouderen.walk_speed_kmh",
            "1000 km/h is geen loopsnelheid",
        ],
    },
    Case {
        name: "scenario syntax error",
        mutate: |d| append_scenario(d, "[zoning\n"),
        args: &[],
        expect: &["tiny.toml", "(syntaxis)", "(regel 6)"],
    },
    Case {
        name: "geographic working crs",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny.toml"))
                .unwrap()
                .replace("EPSG:28992", "EPSG:4326");
            write(d, "tiny.toml", &text);
        },
        args: &[],
        expect: &["tiny.toml", "crs", "meters"],
    },
    Case {
        name: "web mercator working crs",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny.toml"))
                .unwrap()
                .replace("EPSG:28992", "EPSG:3857");
            write(d, "tiny.toml", &text);
        },
        args: &[],
        expect: &[
            "tiny.toml",
            "crs",
            "EPSG:3857",
            "Mercator",
            "gebruik EPSG:28992",
        ],
    },
    Case {
        name: "utm zone far from the map as working crs",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny.toml"))
                .unwrap()
                .replace("EPSG:28992", "EPSG:32635");
            write(d, "tiny.toml", &text);
        },
        args: &[],
        expect: &[
            "tiny.toml",
            "crs",
            "EPSG:32635",
            "hoogstens 1%",
            "gebruik EPSG:28992",
        ],
    },
    Case {
        name: "scenario name with a NUL byte",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny.toml"))
                .unwrap()
                .replace("name = \"tiny\"", "name = \"ti\\u0000ny\"");
            write(d, "tiny.toml", &text);
        },
        args: &[],
        expect: &["tiny.toml", "name", "stuurteken", "uitvoermap"],
    },
    Case {
        name: "scenario name of 300 characters",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny.toml"))
                .unwrap()
                .replace(
                    "name = \"tiny\"",
                    &format!("name = \"{}\"", "n".repeat(300)),
                );
            write(d, "tiny.toml", &text);
        },
        args: &[],
        expect: &["tiny.toml", "name", "300 tekens lang", "hoogstens 100"],
    },
    Case {
        name: "negative top_sites",
        mutate: |d| append_scenario(d, "[output]\ntop_sites = -1\n"),
        args: &[],
        expect: &["tiny.toml", "output.top_sites", "-1"],
    },
    Case {
        name: "kernel radius of a million km",
        mutate: |d| append_scenario(d, "[zoning]\nkernel_radius_m = 1e9\n"),
        args: &[],
        expect: &[
            "tiny.toml",
            "zoning.kernel_radius_m",
            "ligt buiten 1..2000 m",
        ],
    },
    Case {
        name: "invalid utf-8 in one horeca name",
        mutate: |d| {
            let path = d.join("tiny/horeca.geojson");
            let text = std::fs::read_to_string(&path).unwrap();
            // The second feature's name gets a lone continuation byte.
            let at = text.find("Het Hoekje").unwrap() + 4;
            let mut bytes = text.into_bytes();
            bytes.splice(at..at, [0x80u8]);
            std::fs::write(path, bytes).unwrap();
        },
        args: &[],
        expect: &[
            "horeca.geojson",
            "feature 1 (id horeca/cafe)",
            "geen geldige UTF-8 op byte",
            "regel",
        ],
    },
    Case {
        name: "invalid utf-8 in the scenario",
        mutate: |d| {
            let path = d.join("tiny.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            let at = text.find("\"tiny\"").unwrap() + 3;
            let mut bytes = text.into_bytes();
            bytes.splice(at..at, [0xe9u8]);
            std::fs::write(path, bytes).unwrap();
        },
        args: &[],
        expect: &[
            "tiny.toml",
            "name",
            "geen geldige UTF-8 op byte",
            "regel 3",
            "sla het bestand op als UTF-8",
        ],
    },
    Case {
        name: "scenario name with a tab",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny.toml"))
                .unwrap()
                .replace("name = \"tiny\"", "name = \"ti\\tny\"");
            write(d, "tiny.toml", &text);
        },
        args: &[],
        expect: &["tiny.toml", "name", "stuurteken \\u{9}"],
    },
    Case {
        name: "scenario name ..",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny.toml"))
                .unwrap()
                .replace("name = \"tiny\"", "name = \"..\"");
            write(d, "tiny.toml", &text);
        },
        args: &[],
        expect: &["tiny.toml", "name", "uitvoermap"],
    },
    Case {
        name: "kernel radius under a metre",
        mutate: |d| append_scenario(d, "[zoning]\nkernel_radius_m = 0.5\n"),
        args: &[],
        expect: &[
            "tiny.toml",
            "zoning.kernel_radius_m",
            "ligt buiten 1..2000 m",
        ],
    },
    Case {
        name: "top_sites as text",
        mutate: |d| append_scenario(d, "[output]\ntop_sites = \"ten\"\n"),
        args: &[],
        expect: &["tiny.toml", "output.top_sites", "regel"],
    },
    Case {
        name: "threshold as text in an inline table",
        mutate: |d| {
            append_scenario(
                d,
                "[zoning]\nthresholds = { gemengd = \"x\", reuring = 6.0 }\n",
            )
        },
        args: &[],
        expect: &["tiny.toml", "zoning.thresholds", "regel"],
    },
    Case {
        name: "latin-1 building name",
        mutate: |d| {
            let path = d.join("tiny/buildings.geojson");
            let text = std::fs::read_to_string(&path).unwrap();
            let at = text.find("\"home-west\"").unwrap() + 3;
            let mut bytes = text.into_bytes();
            bytes.splice(at..at, [0xe9u8]);
            std::fs::write(path, bytes).unwrap();
        },
        args: &[],
        expect: &[
            "buildings.geojson",
            "feature 0",
            "geen geldige UTF-8 op byte",
            "kolom",
        ],
    },
    Case {
        name: "invalid utf-8 before the features",
        mutate: |d| {
            let path = d.join("tiny/streets.geojson");
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.splice(1..1, [0xffu8]);
            std::fs::write(path, bytes).unwrap();
        },
        args: &[],
        expect: &[
            "streets.geojson",
            "geen geldige UTF-8 op byte 1 (regel 1, kolom 2)",
        ],
    },
    Case {
        name: "utf-16 layer",
        mutate: |d| {
            let path = d.join("tiny/amenities.geojson");
            let text = std::fs::read_to_string(&path).unwrap();
            let mut bytes = vec![0xffu8, 0xfe];
            bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            std::fs::write(path, bytes).unwrap();
        },
        args: &[],
        expect: &[
            "amenities.geojson",
            "geen geldige UTF-8 op byte 0",
            "UTF-16",
        ],
    },
    Case {
        name: "scenario version 2",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny.toml"))
                .unwrap()
                .replace("version = 1", "version = 2");
            write(d, "tiny.toml", &text);
        },
        args: &[],
        expect: &[
            "tiny.toml",
            "version",
            "deze binnenstad leest scenarioversie 1, het bestand heeft versie 2",
        ],
    },
    Case {
        name: "scenario without a name",
        mutate: |d| {
            let text = std::fs::read_to_string(d.join("tiny.toml"))
                .unwrap()
                .replace("name = \"tiny\"\n", "");
            write(d, "tiny.toml", &text);
        },
        args: &[],
        expect: &["tiny.toml", "name", "sleutel `name` ontbreekt"],
    },
    Case {
        name: "unknown amenity kind in a need",
        mutate: |d| append_scenario(d, "[groups.gezinnen]\nneeds_minutes = { playgrond = 5 }\n"),
        args: &[],
        expect: &[
            "tiny.toml",
            "groups.gezinnen.needs_minutes.playgrond",
            "onbekende soort voorziening \"playgrond\"",
        ],
    },
    Case {
        name: "transform of a building that is not in the map",
        mutate: |d| append_scenario(d, "[[interventions]]\ntransform = [\"no-such-building\"]\n"),
        args: &[],
        expect: &[
            "interventions[0].transform",
            "geen gebouw met id \"no-such-building\"",
        ],
    },
    Case {
        name: "new amenity with an id the map has",
        mutate: |d| {
            append_scenario(
                d,
                "[[interventions]]\nadd_amenity = { kind = \"park\", at = [4.9, 52.37], id = \"amenity/playground\" }\n",
            )
        },
        args: &[],
        expect: &[
            "interventions[0].add_amenity",
            "er is al een voorziening met id \"amenity/playground\"",
        ],
    },
    Case {
        name: "explicit layer path that does not exist",
        mutate: |d| append_scenario(d, "[layers.plan_zones]\npath = \"nowhere.geojson\"\n"),
        args: &[],
        expect: &[
            "nowhere.geojson",
            "bestaat niet (controleer [layers.plan_zones] path in het scenario)",
        ],
    },
    Case {
        name: "unknown output crs",
        mutate: |_| {},
        args: &["--output-crs", "EPSG:0"],
        expect: &["--output-crs"],
    },
];

#[test]
fn bad_input_corpus() {
    let mut ran = 0;
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
        std::fs::copy(fixture("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
        (case.mutate)(dir.path());
        let before = snapshot(dir.path());
        let out = dir.path().join("out");
        let mut args = vec!["plan", "tiny.toml", "--out", out.to_str().unwrap()];
        args.extend_from_slice(case.args);
        let r = run_in(dir.path(), &args);
        assert_eq!(
            r.code, 2,
            "case {:?}: exit {}\n{}{}",
            case.name, r.code, r.stdout, r.stderr
        );
        for fragment in case.expect {
            assert!(
                r.stderr.contains(fragment),
                "case {:?}: stderr lacks {fragment:?}:\n{}",
                case.name,
                r.stderr
            );
        }
        assert!(
            !out.exists(),
            "case {:?}: an output folder was created",
            case.name
        );
        assert!(
            snapshot(dir.path()) == before,
            "case {:?}: inputs changed",
            case.name
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(
            leftovers.is_empty(),
            "case {:?}: temporary folders left: {leftovers:?}",
            case.name
        );
        ran += 1;
    }
    assert!(ran >= 68, "only {ran} cases ran");
}

#[test]
fn scenario_that_does_not_exist() {
    let r = run(&["plan", "scenarios/no-such-file.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no-such-file.toml") && r.stderr.contains("kan het scenario niet lezen"),
        "{}",
        r.stderr
    );
    // The OS's reason once, not repeated by the printed error chain.
    assert_eq!(
        r.stderr.matches("No such file or directory").count(),
        1,
        "{}",
        r.stderr
    );
}

#[test]
fn output_inside_the_inputs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
    std::fs::copy(fixture("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
    let before = std::fs::read(dir.path().join("tiny/buildings.geojson")).unwrap();
    let r = run_in(dir.path(), &["plan", "tiny.toml", "--out", "tiny"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("zou de invoer"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("tiny/buildings.geojson")).unwrap(),
        before
    );
}

/// Every file under `dir` (recursive), relative path → bytes: "nothing lost"
/// is this map unchanged by a refused run.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The tiny fixture copied into a temp folder, with user files beside it.
fn tiny_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
    std::fs::copy(fixture("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
    for (folder, file) in [
        ("docs", "thesis.txt"),
        ("work", "notes.txt"),
        ("keep", "k.txt"),
    ] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join(file), "years of work").unwrap();
    }
    std::fs::write(dir.path().join("mine.geojson"), "my own file").unwrap();
    dir
}

#[test]
fn outputs_never_replace_what_binnenstad_did_not_write() {
    struct Refusal {
        cwd: &'static str,
        args: &'static [&'static str],
        expect: &'static [&'static str],
    }
    const FROM: &str = "home-east";
    let refusals = [
        Refusal {
            cwd: ".",
            args: &["plan", "tiny.toml", "--out", "docs"],
            expect: &["--out docs", "niet schreef", "thesis.txt"],
        },
        Refusal {
            cwd: "work",
            args: &["plan", "../tiny.toml", "--out", "."],
            expect: &["niet schreef", "notes.txt"],
        },
        Refusal {
            cwd: ".",
            args: &["plan", "tiny.toml", "--out", "docs/sub/.."],
            expect: &["niet schreef", "thesis.txt"],
        },
        Refusal {
            cwd: ".",
            args: &["plan", "tiny.toml", "--out", "."],
            expect: &["zou de invoer", "tiny"],
        },
        Refusal {
            cwd: ".",
            args: &["zones", "tiny.toml", "--out", "keep"],
            expect: &["--out keep", "niet schreef", "k.txt"],
        },
        Refusal {
            cwd: ".",
            args: &[
                "reach",
                "tiny.toml",
                "--from",
                FROM,
                "--route-out",
                "tiny/buildings.geojson",
            ],
            expect: &[
                "--route-out tiny/buildings.geojson",
                "zou de invoer",
                "invoer",
            ],
        },
        Refusal {
            cwd: ".",
            args: &[
                "reach",
                "tiny.toml",
                "--from",
                FROM,
                "--route-out",
                "tiny.toml",
            ],
            expect: &["--route-out tiny.toml", "zou de invoer"],
        },
        Refusal {
            cwd: ".",
            args: &[
                "reach",
                "tiny.toml",
                "--from",
                FROM,
                "--route-out",
                "tiny/new.geojson",
            ],
            expect: &["--route-out tiny/new.geojson", "zou de invoer"],
        },
        Refusal {
            cwd: ".",
            args: &[
                "reach",
                "tiny.toml",
                "--from",
                FROM,
                "--route-out",
                "mine.geojson",
            ],
            expect: &[
                "--route-out mine.geojson",
                "geen routes-bestand dat binnenstad schreef",
            ],
        },
        Refusal {
            cwd: ".",
            args: &["reach", "tiny.toml", "--from", FROM, "--route-out", "docs"],
            expect: &["--route-out docs", "is een map"],
        },
        Refusal {
            cwd: ".",
            args: &[
                "isochrone",
                "tiny.toml",
                "--from",
                FROM,
                "--minutes",
                "5",
                "--out",
                "tiny/horeca.geojson",
            ],
            expect: &["--out tiny/horeca.geojson", "zou de invoer"],
        },
    ];
    for case in &refusals {
        let dir = tiny_workspace();
        let before = snapshot(dir.path());
        let r = run_in(&dir.path().join(case.cwd), case.args);
        assert_eq!(r.code, 2, "{:?}: exit {}\n{}", case.args, r.code, r.stderr);
        for fragment in case.expect {
            assert!(
                r.stderr.contains(fragment),
                "{:?}: stderr lacks {fragment:?}:\n{}",
                case.args,
                r.stderr
            );
        }
        let after = snapshot(dir.path());
        assert!(
            before == after,
            "{:?}: files changed, added or removed: {:?} -> {:?}",
            case.args,
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>()
        );
    }
    // import osm into a folder that holds a user file.
    let dir = tiny_workspace();
    let before = snapshot(dir.path());
    let osm = fixture("osm/centrum.osm");
    let r = run_in(
        dir.path(),
        &["import", "osm", osm.to_str().unwrap(), "--out", "docs"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("niet schreef"), "{}", r.stderr);
    assert!(before == snapshot(dir.path()), "import osm changed files");
}

#[test]
fn outputs_replace_their_own_previous_outputs() {
    let dir = tiny_workspace();
    for _ in 0..2 {
        let r = run_in(dir.path(), &["plan", "tiny.toml", "--out", "out"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = run_in(
            dir.path(),
            &[
                "reach",
                "tiny.toml",
                "--from",
                "home-east",
                "--route-out",
                "routes.geojson",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = run_in(
            dir.path(),
            &[
                "isochrone",
                "tiny.toml",
                "--from",
                "home-east",
                "--minutes",
                "2",
                "--out",
                "iso.geojson",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert!(dir.path().join("out/.binnenstad-output").is_file());
    // A route file is not an isochrone file.
    let r = run_in(
        dir.path(),
        &[
            "isochrone",
            "tiny.toml",
            "--from",
            "home-east",
            "--minutes",
            "2",
            "--out",
            "routes.geojson",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let hidden: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "left behind: {hidden:?}");
}

#[test]
fn byte_order_marks_are_read_in_layers_and_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
    std::fs::copy(fixture("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
    for rel in ["tiny/buildings.geojson", "tiny/horeca.geojson", "tiny.toml"] {
        let path = dir.path().join(rel);
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(std::fs::read(&path).unwrap());
        std::fs::write(path, bytes).unwrap();
    }
    let r = run_in(dir.path(), &["check", "tiny.toml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let plain = run_in(&root(), &["check", fixture("tiny.toml").to_str().unwrap()]);
    assert_eq!(r.stdout, plain.stdout);
}

/// `--out` naming a file that is not binnenstad's: refused in Dutch, the file
/// left as it was.
#[test]
fn out_naming_an_existing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notities.txt");
    std::fs::write(&file, "mijn notities").unwrap();
    let r = run(&[
        "plan",
        "scenarios/amsterdam-centrum.toml",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("notities.txt") && r.stderr.contains("bestaat al en is geen map"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mijn notities");
}

/// `check` refuses a scenario whose interventions `plan` refuses (exit 2, the
/// same message), and checks what the interventions add: an amenity placed at
/// [lat, lon] instead of [lon, lat] is a fout (exit 1), as in the plan
/// (review: `check` said "0 fouten" to both).
#[test]
fn check_applies_the_interventions_as_plan_does() {
    let setup = |extra: &str| {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
        std::fs::copy(fixture("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
        append_scenario(dir.path(), extra);
        dir
    };
    let dir = setup("[[interventions]]\ntransform = [\"no-such-building\"]\n");
    let out = dir.path().join("out");
    let plan = run_in(
        dir.path(),
        &["plan", "tiny.toml", "--out", out.to_str().unwrap()],
    );
    let check = run_in(dir.path(), &["check", "tiny.toml"]);
    assert_eq!(
        (plan.code, check.code),
        (2, 2),
        "{}\n{}",
        plan.stderr,
        check.stderr
    );
    for r in [&plan, &check] {
        assert!(
            r.stderr.contains("interventions[0].transform")
                && r.stderr.contains("geen gebouw met id \"no-such-building\""),
            "{}",
            r.stderr
        );
    }
    let fixture_map = read_json(&fixture("tiny").join("buildings.geojson"));
    let first = &fixture_map["features"][0]["geometry"]["coordinates"][0][0];
    let (lon, lat) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
    let dir = setup(&format!(
        "[[interventions]]\nadd_amenity = {{ kind = \"playground\", at = [{lat}, {lon}] }}\n"
    ));
    let check = run_in(dir.path(), &["check", "tiny.toml"]);
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains("scenario/playground/1") && check.stdout.contains("verwisseld"),
        "{}",
        check.stdout
    );
}
