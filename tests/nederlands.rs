//! No English word in what a Dutch planner reads (issue 17): report.html (its
//! text and the text of the embedded map and legend), what `plan` prints (the
//! summary, the one line of data problems, the files to open) and `site` on
//! the top sites, on the three shipped maps (Amsterdam, Copenhagen, Delft).
//!
//! Set aside first, as they are not prose: proper names from the map data
//! (`name` of buildings, amenities, horeca and streets: "The Bank" is a name),
//! text in double quotes or backticks (values and property names as written in
//! the files, commands), feature ids (`way/123`), paths and file names (the
//! keys of the files may stay English: `streets.geojson`).

use crate::util::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// English words that have no Dutch homograph (not `of`, `in`, `is`, `data`,
/// `zone`, `park`, `bar`, `score`, `open`, `school`, `monument`, `units`
/// (leegstaande units): Dutch too). Not `feature` either: the GeoJSON object
/// type, the word Dutch GIS practice uses for one object of a layer ("feature 5
/// (id node/…)" names it as the file does).
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "with",
    "without",
    "for",
    "to",
    "at",
    "from",
    "by",
    "this",
    "that",
    "which",
    "where",
    "when",
    "not",
    "only",
    "than",
    "fewer",
    "yes",
    "no",
    "none",
    "unknown",
    "missing",
    "home",
    "homes",
    "building",
    "buildings",
    "families",
    "family",
    "walking",
    "walk",
    "minutes",
    "problem",
    "problems",
    "warning",
    "warnings",
    "error",
    "errors",
    "skipped",
    "ignored",
    "taken",
    "street",
    "streets",
    "network",
    "island",
    "wrote",
    "written",
    "found",
    "amenity",
    "amenities",
    "kind",
    "kinds",
    "need",
    "needs",
    "unreachable",
    "nearest",
    "connected",
    "edges",
    "part",
    "lies",
    "joins",
    "cut",
    "off",
    "main",
    "area",
    "study",
    "coverage",
    "site",
    "sites",
    "top",
    "group",
    "groups",
    "suitable",
    "unsuitable",
    "conditional",
    "reason",
    "reasons",
    "vacant",
    "vacancy",
    "floor",
    "floors",
    "usable",
    "potential",
    "rank",
    "best",
    "supermarket",
    "gp",
    "pharmacy",
    "playground",
    "daycare",
    "retail",
    "office",
    "residential",
    "mixed",
    "industry",
    "healthcare",
    "use",
    "other",
    "legend",
    "north",
    "scale",
    "centre",
    "center",
    "layer",
    "file",
    "empty",
    "default",
    "estimated",
    "shop",
    "shops",
];

/// The names in a map's layers, longest first (so "The Bank" goes before "Bank").
fn names(area: &str) -> Vec<String> {
    let mut set = BTreeSet::new();
    for layer in ["buildings", "amenities", "horeca", "streets"] {
        let path = root()
            .join("maps")
            .join(area)
            .join(format!("{layer}.geojson"));
        let v = read_json(&path);
        for f in v["features"].as_array().unwrap() {
            for key in ["name", "addr:street", "address"] {
                if let Some(Value::String(s)) = f["properties"].get(key)
                    && !s.trim().is_empty()
                {
                    set.insert(s.clone());
                }
            }
        }
    }
    let mut v: Vec<String> = set.into_iter().collect();
    v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    v
}

/// The English words in `text` once names, quotes, ids, paths and file names
/// are set aside; each with the line it stands in.
fn english(text: &str, names: &[String], temp: &str) -> Vec<(String, String)> {
    let quoted = regex_lite(text);
    let mut found = Vec::new();
    for line in quoted.lines() {
        let mut l = line.replace(temp, " ");
        for n in names {
            if l.contains(n.as_str()) {
                l = l.replace(n.as_str(), " ");
            }
        }
        for token in l.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '/' || c == '.')) {
            // Ids (way/123, node/1), paths and file names (kaart.html) are no prose.
            if token.contains('/') || token.contains('.') && token.len() > 1 {
                continue;
            }
            let word = token.to_lowercase();
            if ENGLISH.contains(&word.as_str()) {
                found.push((token.to_string(), line.trim().chars().take(200).collect()));
            }
        }
    }
    found
}

/// `text` without what stands in double quotes or backticks (one line at a time).
fn regex_lite(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside: Option<char> = None;
    for c in text.chars() {
        match (inside, c) {
            (None, '"' | '`' | '“') => inside = Some(if c == '“' { '”' } else { c }),
            (Some(q), c) if c == q => inside = None,
            (_, '\n') => {
                inside = None;
                out.push('\n');
            }
            (Some(_), _) => {}
            (None, c) => out.push(c),
        }
    }
    out
}

/// The text of report.html: tags, the style sheet and entities out; the SVG
/// map's text (labels, legend, scale bar) stays in.
fn report_text(html: &str) -> String {
    let html = match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &html[..a], &html[b..]),
        _ => html.to_string(),
    };
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

#[test]
fn english_word_finder_finds_and_sets_aside() {
    let names = vec!["The Bank".to_string()];
    let found = english(
        "The Bank: 3 homes near \"floors\" = 0, way/12 in /tmp/x/problemen.txt\nzone reuring",
        &names,
        "/tmp/x",
    );
    let words: Vec<&str> = found.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(words, ["homes"]);
    assert!(english("2 gebouwen in het studiegebied", &names, "/x").is_empty());
}

#[test]
fn a_dutch_planner_reads_no_english_on_the_three_maps() {
    let mut cases = 0;
    let mut problems = Vec::new();
    for (area, scenario) in [
        ("amsterdam-centrum", "scenarios/amsterdam-centrum.toml"),
        ("copenhagen", "scenarios/copenhagen.toml"),
        ("delft-tu", "scenarios/delft-tu.toml"),
    ] {
        let names = names(area);
        let dir = tempfile::tempdir().unwrap();
        let temp = dir.path().to_string_lossy().into_owned();
        let out = dir.path().join("out");
        let plan = run(&["plan", scenario, "--out", out.to_str().unwrap()]);
        assert_eq!(plan.code, 0, "{area}: {}", plan.stderr);
        // The data problems are one line, with a count and where to read them.
        let warned: Vec<&str> = plan
            .stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(warned.len() <= 1, "{area}: {}", plan.stderr);
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        let mut texts = vec![
            ("plan (stdout)".to_string(), plan.stdout.clone()),
            ("plan (stderr)".to_string(), plan.stderr.clone()),
            ("report.html".to_string(), report_text(&html)),
        ];
        let sites = read_json(&out.join("sites.geojson"));
        // The QGIS labels count homes in Dutch, singular for one (the review
        // saw "1 studenten").
        for f in sites["features"].as_array().unwrap() {
            let p = &f["properties"];
            let label = p["label"].as_str().unwrap();
            if let (Some(g), Some(n)) = (p["best_group"].as_str(), p["best_homes"].as_u64()) {
                let homes = if n == 1 { "woning" } else { "woningen" };
                // Thousands with a dot, as Dutch prose writes them.
                let n = if n >= 1000 {
                    format!("{}.{:03}", n / 1000, n % 1000)
                } else {
                    n.to_string()
                };
                assert!(
                    label.ends_with(&format!(" {n} {homes} voor {g}")),
                    "{area}: {label}"
                );
            }
        }
        for f in sites["features"].as_array().unwrap().iter().take(2) {
            let id = f["properties"]["building_id"].as_str().unwrap();
            let site = run(&["site", scenario, id]);
            assert_eq!(site.code, 0, "{area} {id}: {}", site.stderr);
            texts.push((format!("site {id}"), site.stdout + &site.stderr));
        }
        for (what, text) in &texts {
            assert!(!text.trim().is_empty(), "{area}: {what} is empty");
            cases += 1;
            for (word, line) in english(text, &names, &temp) {
                problems.push(format!("{area}, {what}: \"{word}\" in: {line}"));
            }
        }
    }
    assert_eq!(cases, 15, "every text was read");
    assert!(
        problems.is_empty(),
        "{} English word(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Every family of scenario message (src/scenario.rs) in Dutch: the error
/// names the file, the key and the problem with the bad value, and holds no
/// English word once the keys and the values a planner types (`quartic`,
/// `playground`, `retail` ...: in backticks, quotes or the list after
/// "verwacht") are set aside. One bad scenario per family.
#[test]
fn scenario_messages_are_dutch_and_say_where() {
    use binnenstad::scenario::Scenario;
    const HEAD: &str = "version = 1\nname = \"proef\"\narea = \"kaart\"\n";
    // (scenario text after HEAD, or whole when it starts with "version"; key; fragments)
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "version = 2\nname = \"proef\"\narea = \"kaart\"\n",
            "version",
            &["deze binnenstad leest scenarioversie 1, het bestand heeft versie 2"],
        ),
        (
            "version = 1\nname = \"\"\narea = \"kaart\"\n",
            "name",
            &["niet leeg", "(de naam wordt de uitvoermap)"],
        ),
        (
            "version = 1\nname = \"a\\u0001b\"\narea = \"kaart\"\n",
            "name",
            &[
                "bevat het stuurteken \\u{1}",
                "gebruik letters, cijfers, - en _",
            ],
        ),
        (
            "version = 1\nname = \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\"\narea = \"kaart\"\n",
            "name",
            &["is 101 tekens lang; hoogstens 100"],
        ),
        (
            "version = 1\nname = \"proef\"\n",
            "area",
            &["ontbreekt: de map met de kaartlagen"],
        ),
        (
            "version = 1\narea = \"kaart\"\n",
            "name",
            &["sleutel `name` ontbreekt"],
        ),
        (
            "kleur = 3\n",
            "kleur",
            &[
                "onbekende sleutel `kleur` (verwacht een van `version`",
                "(regel 4)",
            ],
        ),
        (
            "[output]\ntop_sites = \"tien\"\n",
            "output.top_sites",
            &["(regel 5)"],
        ),
        ("[zoning\n", "(syntaxis)", &["(regel 4)"]),
        (
            "[network]\nmax_connector_m = -5\n",
            "network.max_connector_m",
            &["moet een positief getal zijn, niet -5"],
        ),
        (
            "[network]\nsnap_tolerance_m = -1\n",
            "network.snap_tolerance_m",
            &["moet 0 of meer zijn, niet -1"],
        ),
        (
            "[sites]\nusable_share = 1.5\n",
            "sites.usable_share",
            &["moet tussen 0 en 1 liggen, niet 1.5"],
        ),
        (
            "[groups.gezinnen]\nmax_zone = \"druk\"\n",
            "groups.gezinnen.max_zone",
            &["onbekende zone \"druk\" (verwacht rust, gemengd of reuring)"],
        ),
        (
            "[groups.gezinnen]\nneeds_minutes = { playgrond = 5 }\n",
            "groups.gezinnen.needs_minutes.playgrond",
            &["onbekende soort voorziening \"playgrond\" (verwacht een van supermarket"],
        ),
        (
            "[[interventions]]\nadd_amenity = { kind = \"playground\", at = [121000, 487000] }\n",
            "interventions[0].add_amenity.at",
            &["[121000, 487000] is geen WGS84-positie [lon, lat] in graden"],
        ),
        (
            "[layers.building]\npath = \"x\"\n",
            "layers.building",
            &["onbekende laag (verwacht een van buildings"],
        ),
        (
            "[layers.buildings]\nfields = { hoogte = \"h\" }\n",
            "layers.buildings.fields.hoogte",
            &["onbekende eigenschap (verwacht een van id, use"],
        ),
        (
            "[zoning]\ncell_m = 5000\n",
            "zoning.cell_m",
            &["5000 m ligt buiten 1..1000 m"],
        ),
        (
            "[zoning]\nkernel_radius_m = 5000\n",
            "zoning.kernel_radius_m",
            &["5000 m ligt buiten 1..2000 m", "standaard 100 m"],
        ),
        (
            "[zoning]\nkernel = \"kwadratisch\"\n",
            "zoning.kernel",
            &[
                "onbekende kernelvorm \"kwadratisch\" (verwacht quartic, triangular, uniform of gaussian)",
            ],
        ),
        (
            "[zoning]\nweights = { horeca_4 = 1 }\n",
            "zoning.weights.horeca_4",
            &["onbekend gewicht (verwacht een van horeca_1"],
        ),
        (
            "[zoning]\nthresholds = { rust = 1 }\n",
            "zoning.thresholds.rust",
            &["onbekende drempel (verwacht gemengd of reuring)"],
        ),
        (
            "[zoning]\nthresholds = { gemengd = 5, reuring = 2 }\n",
            "zoning.thresholds",
            &["reuring (2) moet boven gemengd (5) liggen"],
        ),
        (
            "[suitability]\ngeschikt_min_score = 40\nvoorwaardelijk_min_score = 50\n",
            "suitability",
            &["moet gelden: 0 <= voorwaardelijk_min_score (50) <= geschikt_min_score (40) <= 100"],
        ),
        (
            "[suitability]\nwarn_factor = 0.5\n",
            "suitability.warn_factor",
            &["moet 1 of meer zijn, niet 0.5"],
        ),
        (
            "[sites]\ncandidate_uses = [\"kasteel\"]\n",
            "sites.candidate_uses",
            &["onbekend gebouwgebruik \"kasteel\" (verwacht een van residential"],
        ),
        (
            "[sites]\nweights = { vacancy = -1 }\n",
            "sites.weights.vacancy",
            &["-1: een gewicht is een getal ≥ 0"],
        ),
        (
            "[sites]\nweights = { prijs = 1 }\n",
            "sites.weights.prijs",
            &["onbekend onderdeel (verwacht suitability"],
        ),
        (
            "[sites]\nweights = { suitability = 0, vacancy = 0, location = 0, fit = 0, monument = 0, data = 0 }\n",
            "sites.weights",
            &["minstens één gewicht moet boven 0 liggen"],
        ),
        (
            "[groups.Zorg]\nwalk_speed_kmh = 3.0\n",
            "groups.Zorg",
            &["een doelgroepnaam bestaat uit a-z, 0-9 en _"],
        ),
        (
            "[groups.zorg]\nunit_m2 = 50\n",
            "groups.zorg",
            &["een nieuwe doelgroep heeft minstens walk_speed_kmh en needs_minutes nodig"],
        ),
        (
            "[groups.ouderen]\nwalk_speed_kmh = 1000\n",
            "groups.ouderen.walk_speed_kmh",
            &["1000 km/h is geen loopsnelheid (de eenheid is km/h)"],
        ),
        (
            "[groups.gezinnen]\nmin_distance_m = { horeca_9 = 50 }\n",
            "groups.gezinnen.min_distance_m.horeca_9",
            &["onbekende horecacategorie (verwacht horeca_1, horeca_2 of horeca_3)"],
        ),
        (
            "[groups.gezinnen]\nunit_m2 = 5\n",
            "groups.gezinnen.unit_m2",
            &["5 m² is te klein voor een woning (de eenheid is m²)"],
        ),
        (
            "[groups.gezinnen]\nabove_retail_core = \"misschien\"\n",
            "groups.gezinnen.above_retail_core",
            &["onbekende waarde \"misschien\" (verwacht pass, warn of fail)"],
        ),
        (
            "[groups.gezinnen]\nweights = { prijs = 1 }\n",
            "groups.gezinnen.weights.prijs",
            &["onbekend gewicht (verwacht needs, zone, horeca of building)"],
        ),
        (
            "[groups.gezinnen]\nweights = { needs = 0, zone = 0, horeca = 0, building = 0 }\n",
            "groups.gezinnen.weights",
            &["minstens één gewicht moet boven 0 liggen"],
        ),
        (
            "[model]\nunknown_use = \"kasteel\"\n",
            "model.unknown_use",
            &["onbekend gebouwgebruik \"kasteel\""],
        ),
        (
            "[model]\ndwelling_m2 = 5\n",
            "model.dwelling_m2",
            &["5: de bruto vloeroppervlakte van een woning moet 10 tot 1000 m² zijn"],
        ),
        (
            "[output]\nmap_group = \"astronauten\"\n",
            "output.map_group",
            &["onbekende doelgroep \"astronauten\" (verwacht een van gezinnen"],
        ),
        (
            "[[interventions]]\ntransform = []\n",
            "interventions[0].transform",
            &["noemt geen enkel gebouw-id"],
        ),
        (
            "[[interventions]]\ntransform = [\"1\"]\ngroup = \"astronauten\"\n",
            "interventions[0].group",
            &["onbekende doelgroep \"astronauten\""],
        ),
        (
            "[[interventions]]\nremove_amenity = [\"a\"]\ngroup = \"starters\"\n",
            "interventions[0].group",
            &["hoort alleen bij een transform"],
        ),
        (
            "[[interventions]]\nadd_amenity = { kind = \"park\", at = [4.9, 52.37], category = 1 }\n",
            "interventions[0].add_amenity.category",
            &["alleen horeca heeft een categorie"],
        ),
        (
            "[[interventions]]\nadd_horeca = { kind = \"cafe\", at = [4.9, 52.37], category = 4 }\n",
            "interventions[0].add_horeca.category",
            &["onbekende categorie 4 (verwacht 1, 2 of 3)"],
        ),
        (
            "[[interventions]]\nadd_horeca = { kind = \"kroeg\", at = [4.9, 52.37] }\n",
            "interventions[0].add_horeca.kind",
            &["onbekende horecasoort \"kroeg\"; geef er `category` = 1, 2 of 3 bij"],
        ),
        (
            "[[interventions]]\nadd_amenity = { kind = \"park\" }\n",
            "at",
            &["sleutel `at` ontbreekt"],
        ),
        (
            "[[interventions]]\n",
            "interventions[0]",
            &["is leeg (verwacht transform, add_amenity"],
        ),
    ];
    // What a planner types is set aside: the lists of accepted values after
    // "verwacht" (`supermarket`, `retail`, `building` ...).
    let prose = |message: &str| {
        let mut out = message.to_string();
        while let Some(start) = out.find("(verwacht ") {
            let end = out[start..].find(')').map_or(out.len(), |e| start + e + 1);
            out.replace_range(start..end, " ");
        }
        out
    };
    let path = std::path::Path::new("plannen/proef.toml");
    let mut problems = Vec::new();
    for (text, key, fragments) in cases {
        let text = if text.starts_with("version") {
            text.to_string()
        } else {
            format!("{HEAD}{text}")
        };
        let e = match Scenario::from_toml(&text, path) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e,
        };
        let shown = e.to_string();
        let binnenstad::Error::Scenario {
            key: got, message, ..
        } = &e
        else {
            panic!("not a scenario error: {shown}");
        };
        assert!(
            shown.starts_with(&format!("plannen/proef.toml: {key}: ")),
            "names the file and the key {key}: {shown}"
        );
        assert_eq!(got, key, "{shown}");
        for fragment in *fragments {
            assert!(shown.contains(fragment), "lacks {fragment:?}: {shown}");
        }
        for (word, _) in english(&prose(message), &[], "\u{0}") {
            problems.push(format!("\"{word}\" in: {shown}"));
        }
    }
    assert!(cases.len() >= 45, "every family was tried");
    assert!(
        problems.is_empty(),
        "{} English word(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
