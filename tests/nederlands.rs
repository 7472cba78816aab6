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
