//! report.html: one self-contained page summarising a plan.
//!
//! No network: the CSS is inline and the map SVG is embedded as it is, so the
//! file can be mailed or opened offline. Sections: title and description, the
//! scenario's figures, the map, coverage per group and amenity kind, the top
//! sites with their best group, homes and reasons, the zones, the data problems
//! and the attribution. [`ReportInput`] holds plain values (text, numbers,
//! rows); the caller fills it from the plan, rendering computes nothing.

use super::palette;
use super::{num, xml_escape};
use crate::labels::nl_number;
use crate::model::ZoneCharacter;
use std::fmt::Write as _;

/// Everything the report shows.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    /// Page title (scenario name or area).
    pub title: String,
    /// A paragraph on what was asked and how (plain text).
    pub description: String,
    /// Headline figures as label / value, in display order
    /// (`buildings`, `1 234`; `walking speed gezinnen`, `4 km/h` ...).
    pub figures: Vec<(String, String)>,
    /// Coverage per group and amenity kind.
    pub coverage: Vec<CoverageRow>,
    /// The top sites, best first.
    pub sites: Vec<SiteRow>,
    /// Zones summary, one row per zone character.
    pub zones: Vec<ZoneRow>,
    /// Data problems (warnings and errors from loading and checks).
    pub diagnostics: Vec<DiagnosticRow>,
    /// Reasons that hold for the whole map, as (short reason, explanation):
    /// buildings.geojson's reasons name them short (`monumentstatus onbekend`),
    /// the report explains each once under the data problems.
    pub caveats: Vec<(String, String)>,
    /// The map as SVG (from [`super::map::svg`]), embedded inline; `None` leaves it out.
    pub map_svg: Option<String>,
    /// Data sources and licences.
    pub attribution: String,
}

/// Coverage of one amenity kind for one group.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageRow {
    /// Doelgroep.
    pub group: String,
    /// Amenity kind.
    pub kind: String,
    /// The walking time the group needs it within, in minutes.
    pub minutes: f64,
    /// Homes within that walking time.
    pub homes_inside: u64,
    /// Homes known to be beyond it.
    pub homes_outside: u64,
    /// Homes whose walk is onbekend (the plan area ends nearer than the
    /// threshold, or a cut-off piece of network): neither inside nor outside.
    pub homes_unknown: u64,
    /// Share of homes inside, 0-1.
    pub share_inside: f64,
    /// Why there is no share to show (`onbekend (geen data)`, `n.v.t. (geen woningen)`).
    pub caveat: Option<&'static str>,
}

/// One ranked transformation site.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRow {
    /// Rank, 1 = best.
    pub rank: usize,
    /// Stable building id.
    pub building_id: String,
    /// Name or address.
    pub label: String,
    /// The group it suits best.
    pub best_group: String,
    /// Homes it could hold for that group.
    pub homes: u32,
    /// Usable floor area in m².
    pub usable_m2: f64,
    /// Transformation potential 0-100: the number the list is ranked by
    /// (`rules::sites`: weighted suitability, vacancy, location, fit, monument
    /// and data), not the best group's suitability score.
    pub potential: f64,
    /// Why: readable reasons.
    pub reasons: Vec<String>,
}

/// Summary of one zone character.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneRow {
    /// `rust`, `gemengd`, `reuring`.
    pub zone: String,
    /// Number of polygons.
    pub polygons: usize,
    /// Total area in m².
    pub area_m2: f64,
    /// Buildings inside.
    pub buildings: usize,
    /// Mean reuring index.
    pub mean_index: f64,
}

/// One data problem.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticRow {
    /// `warning` or `error`.
    pub severity: String,
    /// Layer (`buildings` ...).
    pub layer: String,
    /// Feature (index and id), empty for whole-layer problems.
    pub feature: String,
    /// The problem in words.
    pub message: String,
}

impl From<&crate::Diagnostic> for DiagnosticRow {
    fn from(d: &crate::Diagnostic) -> Self {
        DiagnosticRow {
            severity: match d.severity {
                crate::Severity::Warning => "warning".into(),
                crate::Severity::Error => "error".into(),
            },
            layer: crate::labels::layer(&d.layer).to_string(),
            feature: d
                .feature
                .as_ref()
                .map(|f| f.to_string())
                .unwrap_or_default(),
            message: d.message.clone(),
        }
    }
}

const CSS: &str = "\
body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#222;margin:0;background:#f4f4f1;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:24px 28px 40px;background:#fff}
h1{font-size:1.7em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.8em 0 .5em;border-bottom:2px solid #e4e4e0;padding-bottom:.2em}
p.lead{color:#444;max-width:60em}
p.note{color:#555;font-size:90%;max-width:60em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.4em 0}
th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid #e6e6e6;vertical-align:top}
th{background:#f3f3ef;font-weight:bold}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:8px 16px;margin:.5em 0}
dl.figures div{background:#f7f7f4;padding:.5em .8em;border-radius:4px}dl.figures dt{font-size:.8em;color:#666}dl.figures dd{margin:0;font-size:1.25em;font-weight:bold}
.bar{display:inline-block;height:.7em;background:#3182bd;vertical-align:middle;margin-right:.4em;border-radius:2px}
.chip{display:inline-block;width:.9em;height:.9em;border:1px solid #888;vertical-align:middle;margin-right:.4em}
.warning{color:#8a5a00}.error{color:#b00020;font-weight:bold}
.map svg{max-width:100%;height:auto;border:1px solid #ddd}
ul.reasons{margin:0;padding-left:1.1em}
footer{margin-top:2em;font-size:.85em;color:#666}
";

fn table_open(out: &mut String, headers: &[(&str, bool)]) {
    out.push_str("<table><thead><tr>");
    for (h, numeric) in headers {
        if *numeric {
            let _ = write!(out, "<th class=\"n\">{}</th>", xml_escape(h));
        } else {
            let _ = write!(out, "<th>{}</th>", xml_escape(h));
        }
    }
    out.push_str("</tr></thead><tbody>\n");
}

fn td(out: &mut String, text: &str) {
    let _ = write!(out, "<td>{}</td>", xml_escape(text));
}

fn td_n(out: &mut String, text: &str) {
    let _ = write!(out, "<td class=\"n\">{}</td>", xml_escape(text));
}

/// An integer in Dutch prose (`12.345`).
fn thousands(n: u64) -> String {
    nl_number(n as f64, 0)
}

fn percent(share: f64) -> String {
    format!("{} %", nl_number((share * 100.0).clamp(0.0, 100.0), 1))
}

/// The reasons of one site row, each once: the site's conditions and the best
/// group's reasons (joined with `"; "`) are split into single reasons, and two
/// that say the same thing (the same words before the first `" ("`, e.g. the
/// plint condition of the site and the plint reason of the assessment with its
/// floor count) are shown once, the longer (more precise) text at the place of
/// the first.
fn distinct_reasons(reasons: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let stem = |r: &str| -> String { r.split(" (").next().unwrap_or(r).trim().to_string() };
    for r in reasons.iter().flat_map(|r| r.split("; ")) {
        let r = r.trim();
        if r.is_empty() {
            continue;
        }
        match out.iter().position(|o| stem(o) == stem(r)) {
            Some(i) if r.len() > out[i].len() => out[i] = r,
            Some(_) => {}
            None => out.push(r),
        }
    }
    out
}

/// The report as one HTML document.
pub fn html(input: &ReportInput) -> String {
    let mut s = String::with_capacity(32 * 1024 + input.map_svg.as_ref().map_or(0, |m| m.len()));
    let title = xml_escape(&input.title);
    s.push_str("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(s, "<title>{title}</title>");
    let _ = writeln!(s, "<style>\n{CSS}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(s, "<h1>{title}</h1>");
    if !input.description.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"lead\">{}</p>",
            xml_escape(&input.description)
        );
    }

    if !input.figures.is_empty() {
        s.push_str("<h2 id=\"figures\">Scenario</h2>\n<dl class=\"figures\">\n");
        for (label, value) in &input.figures {
            let _ = writeln!(
                s,
                "<div><dt>{}</dt><dd>{}</dd></div>",
                xml_escape(label),
                xml_escape(value)
            );
        }
        s.push_str("</dl>\n");
    }

    if let Some(svg) = &input.map_svg {
        s.push_str("<h2 id=\"map\">Kaart</h2>\n<div class=\"map\">\n");
        // The SVG is our own output (escaped where it holds data); drop an XML
        // declaration if one is there, HTML does not want it.
        let svg = match svg.find("<svg") {
            Some(i) => &svg[i..],
            None => "",
        };
        s.push_str(svg);
        s.push_str("</div>\n");
    }

    s.push_str("<h2 id=\"coverage\">Loopbereik per doelgroep</h2>\n");
    if input.coverage.is_empty() {
        s.push_str("<p>Geen cijfers over loopbereik.</p>\n");
    } else {
        table_open(
            &mut s,
            &[
                ("doelgroep", false),
                ("voorziening", false),
                ("binnen (min)", true),
                ("woningen binnen bereik", true),
                ("woningen buiten bereik", true),
                ("woningen onbekend", true),
                ("aandeel binnen bereik", true),
            ],
        );
        for r in &input.coverage {
            s.push_str("<tr>");
            td(&mut s, &r.group);
            td(&mut s, crate::labels::amenity_key(&r.kind));
            td_n(&mut s, &crate::labels::minutes(r.minutes));
            if r.caveat == Some(crate::plan::NO_DATA) {
                // Without data no home is inside or outside: not 0 and all.
                td_n(&mut s, "–");
                td_n(&mut s, "–");
                td_n(&mut s, "–");
            } else {
                td_n(&mut s, &thousands(r.homes_inside));
                td_n(&mut s, &thousands(r.homes_outside));
                td_n(&mut s, &thousands(r.homes_unknown));
            }
            if let Some(caveat) = r.caveat {
                td_n(&mut s, caveat);
            } else {
                let share = r.share_inside.clamp(0.0, 1.0);
                let _ = write!(
                    s,
                    "<td class=\"n\"><span class=\"bar\" style=\"width:{}px\"></span>{}</td>",
                    num(share * 60.0, 1),
                    xml_escape(&percent(share))
                );
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody></table>\n");
        s.push_str(
            "<p class=\"note\">Woningen onbekend: in de kaart geen voorziening binnen bereik, maar \
             het plangebied eindigt dichterbij dan de loopafstand (er kan er net buiten een staan), \
             of de woning ligt aan een los stuk straatnet. Het aandeel binnen bereik is van alle \
             woningen, de onbekende meegeteld: een ondergrens.</p>\n",
        );
    }

    s.push_str("<h2 id=\"sites\">Beste transformatielocaties</h2>\n");
    if input.sites.is_empty() {
        s.push_str("<p>Geen transformatielocaties.</p>\n");
    } else {
        table_open(
            &mut s,
            &[
                ("#", true),
                ("gebouw", false),
                ("beste doelgroep", false),
                ("woningen", true),
                ("bruikbaar m²", true),
                ("transformatiepotentie (0-100)", true),
                ("redenen en voorwaarden", false),
            ],
        );
        for r in &input.sites {
            s.push_str("<tr>");
            td_n(&mut s, &r.rank.to_string());
            if r.label.is_empty() || r.label == r.building_id {
                td(&mut s, &r.building_id);
            } else {
                let _ = write!(
                    s,
                    "<td>{}<br><small>{}</small></td>",
                    xml_escape(&r.label),
                    xml_escape(&r.building_id)
                );
            }
            td(&mut s, &r.best_group);
            td_n(&mut s, &thousands(u64::from(r.homes)));
            td_n(&mut s, &nl_number(r.usable_m2, 0));
            td_n(&mut s, &nl_number(r.potential, 1));
            s.push_str("<td><ul class=\"reasons\">");
            for reason in distinct_reasons(&r.reasons) {
                let _ = write!(s, "<li>{}</li>", xml_escape(reason));
            }
            s.push_str("</ul></td></tr>\n");
        }
        s.push_str("</tbody></table>\n");
    }

    s.push_str("<h2 id=\"zones\">Zones</h2>\n");
    if input.zones.is_empty() {
        s.push_str("<p>Geen zones.</p>\n");
    } else {
        table_open(
            &mut s,
            &[
                ("zone", false),
                ("vlakken", true),
                ("oppervlak (ha)", true),
                ("gebouwen", true),
                ("gemiddelde reuringindex", true),
            ],
        );
        for r in &input.zones {
            s.push_str("<tr>");
            let chip = ZoneCharacter::parse(&r.zone)
                .map(|z| {
                    palette::zone(z)
                        .with_alpha(palette::ZONE_ALPHA)
                        .over_white()
                        .hex()
                })
                .unwrap_or_else(|| "#ffffff".into());
            let _ = write!(
                s,
                "<td><span class=\"chip\" style=\"background:{chip}\"></span>{}</td>",
                xml_escape(&r.zone)
            );
            td_n(&mut s, &r.polygons.to_string());
            td_n(&mut s, &nl_number(r.area_m2 / 10_000.0, 2));
            td_n(&mut s, &thousands(r.buildings as u64));
            td_n(&mut s, &nl_number(r.mean_index, 2));
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody></table>\n");
    }

    s.push_str("<h2 id=\"problems\">Gegevensproblemen</h2>\n");
    if !input.caveats.is_empty() {
        s.push_str("<p>Redenen die voor de hele kaart gelden: in de redenen per gebouw (buildings.geojson, kaart.html) kort genoemd, hier uitgelegd.</p>\n");
        table_open(&mut s, &[("reden", false), ("uitleg", false)]);
        for (reason, explanation) in &input.caveats {
            s.push_str("<tr>");
            td(&mut s, reason);
            td(&mut s, explanation);
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody></table>\n");
    }
    if input.diagnostics.is_empty() {
        s.push_str("<p>Geen gegevensproblemen gevonden.</p>\n");
    } else {
        let errors = input
            .diagnostics
            .iter()
            .filter(|d| d.severity == "error")
            .count();
        let _ = writeln!(
            s,
            "<p>{}, {}.</p>",
            crate::labels::aantal(errors as u64, "fout", "fouten"),
            crate::labels::aantal(
                (input.diagnostics.len() - errors) as u64,
                "waarschuwing",
                "waarschuwingen"
            )
        );
        table_open(
            &mut s,
            &[
                ("ernst", false),
                ("laag", false),
                ("object", false),
                ("probleem", false),
            ],
        );
        for d in &input.diagnostics {
            let class = if d.severity == "error" {
                "error"
            } else {
                "warning"
            };
            let _ = write!(
                s,
                "<tr><td class=\"{class}\">{}</td>",
                xml_escape(match d.severity.as_str() {
                    "error" => "fout",
                    "warning" => "waarschuwing",
                    other => other,
                })
            );
            td(&mut s, &d.layer);
            td(&mut s, &d.feature);
            td(&mut s, &d.message);
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody></table>\n");
    }

    let attribution = if input.attribution.trim().is_empty() {
        super::map::DEFAULT_ATTRIBUTION
    } else {
        input.attribution.as_str()
    };
    let _ = writeln!(
        s,
        "<footer id=\"attribution\">Gegevens: {}. Gemaakt met binnenstad; klik in kaart.html op een gebouw voor het oordeel per doelgroep.</footer>",
        xml_escape(attribution)
    );
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = r#"Café "De <Nacht>" & Co"#;

    fn input() -> ReportInput {
        ReportInput {
            title: format!("Plan {NASTY}"),
            description: "Where can families live?".into(),
            figures: vec![("buildings".into(), "1 234".into())],
            coverage: vec![CoverageRow {
                group: "gezinnen".into(),
                kind: "primary_school".into(),
                minutes: 10.0,
                homes_inside: 12_345,
                homes_outside: 55,
                homes_unknown: 0,
                share_inside: 0.99556,
                caveat: None,
            }],
            sites: vec![SiteRow {
                rank: 1,
                building_id: "0344100000012345".into(),
                label: NASTY.into(),
                best_group: "starters".into(),
                homes: 14,
                usable_m2: 1234.4,
                potential: 81.6,
                reasons: vec!["vacant".into(), "heavy horeca < 150 m".into()],
            }],
            zones: vec![ZoneRow {
                zone: "reuring".into(),
                polygons: 2,
                area_m2: 123_456.0,
                buildings: 88,
                mean_index: 7.25,
            }],
            diagnostics: vec![DiagnosticRow {
                severity: "error".into(),
                layer: "buildings".into(),
                feature: "feature 3 (id <x>)".into(),
                message: "ring not closed".into(),
            }],
            caveats: vec![(
                "monumentstatus onbekend".into(),
                format!("te weinig monumenten in de kaart {NASTY}"),
            )],
            map_svg: Some("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>map</text></svg>".into()),
            attribution: String::new(),
        }
    }

    #[test]
    fn report_is_self_contained_and_escaped() {
        let h = html(&input());
        assert!(h.starts_with("<!DOCTYPE html>"));
        assert!(
            !h.contains("http://") || h.matches("http://").count() == 1,
            "only the SVG namespace"
        );
        assert!(!h.contains("https://"));
        assert!(!h.contains("<?xml"));
        assert!(!h.contains(NASTY));
        assert!(h.contains("Café &quot;De &lt;Nacht&gt;&quot; &amp; Co"));
        assert!(h.contains("12.345"));
        assert!(h.contains("99,6 %"));
        assert!(h.contains("heavy horeca &lt; 150 m"));
        assert!(h.contains("basisschool"));
        assert!(h.contains("12,35")); // ha
        assert!(h.contains("© OpenStreetMap contributors"));
        assert!(h.contains("1 fout, 0 waarschuwingen"));
        // Well-formed enough for an XML parser once the doctype and void tags are set aside.
        let body = h
            .replace("<!DOCTYPE html>", "")
            .replace("<br>", "<br/>")
            .replace("<meta charset=\"utf-8\">", "")
            .replace(
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
                "",
            );
        crate::render::testxml::parse(&body).unwrap();
        assert_eq!(h, html(&input()));
    }

    /// A map-level caveat, which the buildings' reasons only name, is explained
    /// once under the data problems (issue 18).
    #[test]
    fn map_caveats_are_explained_once_under_data_problems() {
        let h = html(&input());
        let problems = &h[h.find("id=\"problems\"").unwrap()..];
        assert_eq!(h.matches("<td>monumentstatus onbekend</td>").count(), 1);
        assert!(problems.contains(
            "<td>monumentstatus onbekend</td><td>te weinig monumenten in de kaart Café &quot;De &lt;Nacht&gt;&quot; &amp; Co</td>"
        ));
        let none = html(&ReportInput {
            caveats: Vec::new(),
            ..input()
        });
        assert!(!none.contains("hele kaart gelden"));
    }

    /// A need without data shows no homes inside or outside (not "0 inside,
    /// all outside" beside "onbekend").
    #[test]
    fn coverage_without_data_counts_no_homes() {
        let mut i = input();
        i.coverage[0].homes_inside = 0;
        i.coverage[0].homes_outside = 6_121;
        i.coverage[0].caveat = Some(crate::plan::NO_DATA);
        let h = html(&i);
        assert!(!h.contains("6.121"), "{h}");
        assert!(h.contains(crate::plan::NO_DATA));
    }

    /// Amsterdam's site #1 (review of issue 17): the site's plint condition and
    /// the assessment's plint reason were both listed; the column named
    /// "score" showed the group score, not the potential the list is ranked by.
    #[test]
    fn a_site_row_shows_its_potential_and_each_reason_once() {
        let mut i = input();
        i.sites[0].potential = 92.4;
        i.sites[0].reasons = vec![
            "plint in kernwinkelgebied blijft open: alleen de verdiepingen".into(),
            "monumentstatus onbekend (niet in de kaart)".into(),
            "vloeroppervlak geschat".into(),
            "plint in kernwinkelgebied blijft open: alleen de verdiepingen (2 van 3 bouwlagen); \
             monumentstatus onbekend (de kaart markeert geen enkel gebouw als monument)"
                .into(),
        ];
        let h = html(&i);
        assert_eq!(h.matches("plint in kernwinkelgebied").count(), 1, "{h}");
        assert!(h.contains("alleen de verdiepingen (2 van 3 bouwlagen)"));
        // Once among the sites (the data problems explain the map's caveats apart).
        let sites = &h[..h.find("id=\"problems\"").unwrap()];
        assert_eq!(sites.matches("monumentstatus onbekend").count(), 1);
        assert!(h.contains("<li>vloeroppervlak geschat</li>"));
        assert!(h.contains("transformatiepotentie (0-100)"));
        assert!(h.contains("<td class=\"n\">92,4</td>"));
        assert!(!h.contains(">score<"));
        assert_eq!(
            distinct_reasons(&["a (1)".into(), "b; a (12)".into()]),
            ["a (12)", "b"]
        );
    }

    #[test]
    fn empty_report_still_renders() {
        let h = html(&ReportInput::default());
        assert!(h.contains("Geen cijfers over loopbereik."));
        assert!(h.contains("Geen gegevensproblemen gevonden."));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1.000");
        assert_eq!(thousands(1_234_567), "1.234.567");
    }
}
