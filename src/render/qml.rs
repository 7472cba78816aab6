//! QGIS layer styles (`.qml`), one per output GeoJSON layer.
//!
//! QGIS applies `<layer>.qml` when it opens `<layer>.geojson` from the same
//! folder, so a planner who drags zones.geojson into QGIS sees the zones in
//! their colours straight away. The styles are QGIS 3 QML (`renderer-v2` with
//! symbol layers in the `<Option type="Map">` form QGIS ≥ 3.26 writes; older
//! QGIS 3 releases read it too).
//!
//! **The property names are the contract.** A categorised style whose `attr`
//! names a field the layer does not have draws nothing, without a warning. The
//! `*_FIELDS` constants and [`building_group_fields`] list the properties each
//! style relies on; the exporter writes exactly these names, and the tests check
//! every style's `attr` against them.
//!
//! Sizes are millimetres on the page (QGIS `MM` units), colours come from
//! `render::palette`.

use super::palette::{self, Rgba};
use super::{num, xml_escape};
use crate::model::{AmenityKind, ZoneCharacter};
use std::fmt::Write as _;

/// The QGIS version the styles and the project are stamped with. They use the
/// QGIS 3 `<Option>` form (written by QGIS ≥ 3.26) and were checked by loading
/// and rendering them in QGIS 3.22 (Debian 12); stamping 3.22 spares users of
/// that release a "saved with a newer version" warning, and newer releases
/// read older files silently.
pub const QGIS_VERSION: &str = "3.22.0-Białowieża";

/// The geometry type of a layer, as far as styling cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeomKind {
    /// Polygons and multipolygons (fill symbols).
    Polygon,
    /// Lines and multilines (line symbols).
    Line,
    /// Points and multipoints (marker symbols).
    Point,
}

impl GeomKind {
    /// `polygon`, `line` or `point`.
    pub fn as_str(self) -> &'static str {
        match self {
            GeomKind::Polygon => "polygon",
            GeomKind::Line => "line",
            GeomKind::Point => "point",
        }
    }
    /// The QGIS symbol type (`fill`, `line`, `marker`).
    pub fn symbol_type(self) -> &'static str {
        match self {
            GeomKind::Polygon => "fill",
            GeomKind::Line => "line",
            GeomKind::Point => "marker",
        }
    }
    /// The `geometry` attribute of a QGIS `<maplayer>` (`Polygon`, `Line`, `Point`).
    pub fn qgis_geometry(self) -> &'static str {
        match self {
            GeomKind::Polygon => "Polygon",
            GeomKind::Line => "Line",
            GeomKind::Point => "Point",
        }
    }
    /// QGIS `layerGeometryType` code (0 point, 1 line, 2 polygon).
    fn code(self) -> u8 {
        match self {
            GeomKind::Point => 0,
            GeomKind::Line => 1,
            GeomKind::Polygon => 2,
        }
    }
}

/// Properties of `zones.geojson`.
pub const ZONES_FIELDS: &[&str] = &["zone_id", "zone", "mean_index", "area_m2"];
/// Fixed properties of `buildings.geojson`; per group see [`building_group_fields`],
/// and walking times `walk_m_<kind>` / `walk_min_<group>_<kind>`.
pub const BUILDINGS_FIELDS: &[&str] = &[
    "building_id",
    "name",
    "use",
    "zone",
    "reuring_index",
    "floors",
    "vacant",
    "monument",
];
/// Fixed properties of `sites.geojson`; plus `homes_<group>` per group.
pub const SITES_FIELDS: &[&str] = &["rank", "building_id", "best_group", "usable_m2", "label"];
/// Properties of `amenities.geojson`.
pub const AMENITIES_FIELDS: &[&str] = &["amenity_id", "kind", "name"];
/// Properties of `horeca.geojson`.
pub const HORECA_FIELDS: &[&str] = &["horeca_id", "kind", "category", "name"];
/// Properties of `coverage.geojson`.
pub const COVERAGE_FIELDS: &[&str] = &[
    "kind",
    "group",
    "minutes",
    "homes_inside",
    "homes_outside",
    "homes_unknown",
    "share_inside",
];
/// Properties of `streets.geojson`.
pub const STREETS_FIELDS: &[&str] = &["street_id", "highway"];

/// The per-group properties of `buildings.geojson`: `score_<group>`,
/// `verdict_<group>`, `reasons_<group>`.
pub fn building_group_fields(group: &str) -> [String; 3] {
    [
        format!("score_{group}"),
        format!("verdict_{group}"),
        format!("reasons_{group}"),
    ]
}

/// The walking-time property of `buildings.geojson` for a group and an amenity kind.
pub fn walk_minutes_field(group: &str, kind: AmenityKind) -> String {
    format!("walk_min_{group}_{}", kind.as_str())
}

// ---------------------------------------------------------------- symbols

fn opt(out: &mut String, name: &str, value: &str) {
    let _ = write!(
        out,
        "<Option name=\"{}\" value=\"{}\" type=\"QString\"/>",
        name,
        xml_escape(value)
    );
}

fn symbol_open(out: &mut String, kind: &str, name: &str) {
    let _ = writeln!(
        out,
        "      <symbol type=\"{kind}\" name=\"{}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\" is_animated=\"0\" frame_rate=\"10\">",
        xml_escape(name)
    );
}

/// A simple fill: `fill` colour with an `outline` of `outline_mm` millimetres.
fn fill_symbol(name: &str, fill: Rgba, outline: Rgba, outline_mm: f64) -> String {
    let mut s = String::new();
    symbol_open(&mut s, "fill", name);
    s.push_str("        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n          <Option type=\"Map\">");
    opt(&mut s, "border_width_map_unit_scale", "3x:0,0,0,0,0,0");
    opt(&mut s, "color", &fill.qgis());
    opt(&mut s, "joinstyle", "bevel");
    opt(&mut s, "offset", "0,0");
    opt(&mut s, "offset_map_unit_scale", "3x:0,0,0,0,0,0");
    opt(&mut s, "offset_unit", "MM");
    opt(&mut s, "outline_color", &outline.qgis());
    opt(
        &mut s,
        "outline_style",
        if outline.3 == 0 { "no" } else { "solid" },
    );
    opt(&mut s, "outline_width", &num(outline_mm, 2));
    opt(&mut s, "outline_width_unit", "MM");
    opt(&mut s, "style", if fill.3 == 0 { "no" } else { "solid" });
    s.push_str("</Option>\n        </layer>\n      </symbol>\n");
    s
}

/// A simple line of `width_mm` millimetres.
fn line_symbol(name: &str, colour: Rgba, width_mm: f64) -> String {
    let mut s = String::new();
    symbol_open(&mut s, "line", name);
    s.push_str("        <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">\n          <Option type=\"Map\">");
    opt(&mut s, "capstyle", "round");
    opt(&mut s, "joinstyle", "round");
    opt(&mut s, "line_color", &colour.qgis());
    opt(&mut s, "line_style", "solid");
    opt(&mut s, "line_width", &num(width_mm, 2));
    opt(&mut s, "line_width_unit", "MM");
    opt(&mut s, "offset", "0");
    opt(&mut s, "offset_unit", "MM");
    opt(&mut s, "use_custom_dash", "0");
    s.push_str("</Option>\n        </layer>\n      </symbol>\n");
    s
}

/// A circle marker of `size_mm` diameter.
fn marker_symbol(name: &str, fill: Rgba, outline: Rgba, size_mm: f64, outline_mm: f64) -> String {
    let mut s = String::new();
    symbol_open(&mut s, "marker", name);
    s.push_str("        <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n          <Option type=\"Map\">");
    opt(&mut s, "angle", "0");
    opt(&mut s, "color", &fill.qgis());
    opt(&mut s, "horizontal_anchor_point", "1");
    opt(&mut s, "joinstyle", "bevel");
    opt(&mut s, "name", "circle");
    opt(&mut s, "offset", "0,0");
    opt(&mut s, "offset_map_unit_scale", "3x:0,0,0,0,0,0");
    opt(&mut s, "offset_unit", "MM");
    opt(&mut s, "outline_color", &outline.qgis());
    opt(&mut s, "outline_style", "solid");
    opt(&mut s, "outline_width", &num(outline_mm, 2));
    opt(&mut s, "outline_width_unit", "MM");
    opt(&mut s, "scale_method", "diameter");
    opt(&mut s, "size", &num(size_mm, 2));
    opt(&mut s, "size_map_unit_scale", "3x:0,0,0,0,0,0");
    opt(&mut s, "size_unit", "MM");
    opt(&mut s, "vertical_anchor_point", "1");
    s.push_str("</Option>\n        </layer>\n      </symbol>\n");
    s
}

/// The default symbol of a geometry type in one colour (used by graduated styles).
fn plain_symbol(geometry: GeomKind, name: &str, colour: Rgba) -> String {
    match geometry {
        GeomKind::Polygon => fill_symbol(name, colour, colour.darker(0.7).with_alpha(255), 0.1),
        GeomKind::Line => line_symbol(name, colour, 0.6),
        GeomKind::Point => marker_symbol(name, colour, Rgba::rgb(255, 255, 255), 2.6, 0.2),
    }
}

// -------------------------------------------------------------- documents

/// Labels for a field, drawn over the feature (points: on the symbol;
/// polygons: at the centroid), with a halo.
struct Labels<'a> {
    field: &'a str,
    size_pt: f64,
    colour: Rgba,
    buffer: Rgba,
    bold: bool,
}

fn labeling_xml(l: &Labels) -> String {
    let (weight, style) = if l.bold {
        (75, "Bold")
    } else {
        (50, "Regular")
    };
    format!(
        concat!(
            "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n",
            "      <text-style fieldName=\"{field}\" isExpression=\"0\" fontFamily=\"DejaVu Sans\" namedStyle=\"{style}\" fontWeight=\"{weight}\" fontItalic=\"0\" fontSize=\"{size}\" fontSizeUnit=\"Point\" textColor=\"{colour}\" textOpacity=\"1\" fontCapitals=\"0\" fontUnderline=\"0\" fontStrikeout=\"0\" fontLetterSpacing=\"0\" fontWordSpacing=\"0\" multilineHeight=\"1\" blendMode=\"0\" previewBkgrdColor=\"255,255,255,255\" useSubstitutions=\"0\">\n",
            "        <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" bufferColor=\"{buffer}\" bufferOpacity=\"1\" bufferNoFill=\"1\" bufferJoinStyle=\"128\" bufferBlendMode=\"0\"/>\n",
            "      </text-style>\n",
            "      <text-format wrapChar=\"\" autoWrapLength=\"0\" multilineAlign=\"1\" formatNumbers=\"0\" decimals=\"0\" plussign=\"0\"/>\n",
            "      <placement placement=\"1\" placementFlags=\"10\" dist=\"0\" distUnits=\"MM\" offsetType=\"0\" quadOffset=\"4\" xOffset=\"0\" yOffset=\"0\" offsetUnits=\"MM\" centroidWhole=\"0\" centroidInside=\"1\" fitInPolygonOnly=\"0\" priority=\"10\"/>\n",
            "      <rendering drawLabels=\"1\" obstacle=\"1\" obstacleFactor=\"1\" displayAll=\"0\" upsidedownLabels=\"0\" limitNumLabels=\"0\" maxNumLabels=\"2000\" scaleVisibility=\"0\" fontLimitPixelSize=\"0\" labelPerPart=\"0\" mergeLines=\"0\" minFeatureSize=\"0\" zIndex=\"10\"/>\n",
            "    </settings>\n  </labeling>\n"
        ),
        field = xml_escape(l.field),
        style = style,
        weight = weight,
        size = num(l.size_pt, 1),
        colour = l.colour.qgis(),
        buffer = l.buffer.qgis(),
    )
}

/// Wraps a renderer (and labels) into a whole QML document.
fn document(
    geometry: GeomKind,
    renderer: &str,
    labels: Option<&Labels>,
    display_field: &str,
) -> String {
    let mut s = String::with_capacity(renderer.len() + 1200);
    s.push_str("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n");
    let _ = writeln!(
        s,
        "<qgis version=\"{QGIS_VERSION}\" styleCategories=\"AllStyleCategories\" labelsEnabled=\"{}\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\" readOnly=\"0\">",
        u8::from(labels.is_some())
    );
    s.push_str(renderer);
    if let Some(l) = labels {
        s.push_str(&labeling_xml(l));
    }
    let _ = writeln!(s, "  <blendMode>0</blendMode>");
    let _ = writeln!(s, "  <featureBlendMode>0</featureBlendMode>");
    let _ = writeln!(s, "  <layerOpacity>1</layerOpacity>");
    let _ = writeln!(
        s,
        "  <previewExpression>\"{}\"</previewExpression>",
        xml_escape(display_field)
    );
    let _ = writeln!(
        s,
        "  <layerGeometryType>{}</layerGeometryType>",
        geometry.code()
    );
    s.push_str("</qgis>\n");
    s
}

fn renderer_open(kind: &str, attr: Option<&str>, extra: &str) -> String {
    let attr = attr
        .map(|a| format!(" attr=\"{}\"", xml_escape(a)))
        .unwrap_or_default();
    format!(
        "  <renderer-v2 type=\"{kind}\"{attr}{extra} symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\" referencescale=\"-1\">\n"
    )
}

/// One category of a categorised style: value, legend label, symbol.
struct Category {
    value: String,
    label: String,
    symbol: String,
}

fn categorized(attr: &str, cats: Vec<Category>) -> String {
    let mut s = renderer_open("categorizedSymbol", Some(attr), "");
    s.push_str("    <categories>\n");
    for (i, c) in cats.iter().enumerate() {
        let _ = writeln!(
            s,
            "      <category value=\"{}\" label=\"{}\" symbol=\"{i}\" render=\"true\"/>",
            xml_escape(&c.value),
            xml_escape(&c.label)
        );
    }
    s.push_str("    </categories>\n    <symbols>\n");
    for (i, c) in cats.iter().enumerate() {
        // Symbols are named by their index, as the categories refer to them.
        s.push_str(&c.symbol.replacen("name=\"#\"", &format!("name=\"{i}\""), 1));
    }
    s.push_str("    </symbols>\n    <rotation/>\n    <sizescale/>\n  </renderer-v2>\n");
    s
}

fn single(symbol: &str) -> String {
    let mut s = renderer_open("singleSymbol", None, "");
    s.push_str("    <symbols>\n");
    s.push_str(&symbol.replacen("name=\"#\"", "name=\"0\"", 1));
    s.push_str("    </symbols>\n    <rotation/>\n    <sizescale/>\n  </renderer-v2>\n");
    s
}

// ---------------------------------------------------------------- layers

/// `zones.qml`: categorised on `zone` — rust soft green, gemengd soft yellow,
/// reuring soft orange-red, semi-transparent.
pub fn zones() -> String {
    let cats = ZoneCharacter::ALL
        .iter()
        .map(|z| {
            let c = palette::zone(*z);
            Category {
                value: z.as_str().to_string(),
                label: z.as_str().to_string(),
                symbol: fill_symbol("#", c.with_alpha(palette::ZONE_ALPHA), c.darker(0.75), 0.3),
            }
        })
        .collect();
    document(GeomKind::Polygon, &categorized("zone", cats), None, "zone")
}

/// `buildings.qml`: categorised on `verdict_<group>` — geschikt green,
/// voorwaardelijk amber, ongeschikt red, onbekend slate blue, anything else
/// (no verdict) grey.
pub fn buildings(group: &str) -> String {
    buildings_with(group, "")
}

/// The virtual field of buildings.qml that explains the map's caveats.
pub const CAVEATS_FIELD: &str = "kanttekeningen_kaart";

/// [`buildings`] that also explains the map-level `caveats` (Dutch text, see
/// `export::caveats_text`; empty: none), which each building's reasons only
/// name (`monumentstatus onbekend`): a virtual field [`CAVEATS_FIELD`] holding
/// the text (QGIS shows it in the attribute table, the identify panel and the
/// form, without a byte per building in the file) and a map tip with the map
/// group's verdict, its reasons and the text.
pub fn buildings_with(group: &str, caveats: &str) -> String {
    let outline = Rgba::rgb(90, 90, 90);
    let mut cats: Vec<Category> = palette::VERDICTS
        .iter()
        .map(|v| Category {
            value: v.to_string(),
            label: v.to_string(),
            symbol: fill_symbol("#", palette::verdict(Some(v)), outline, 0.1),
        })
        .collect();
    // An empty value is QGIS's "all other values" category.
    cats.push(Category {
        value: String::new(),
        label: "geen oordeel (geen woongebouw)".to_string(),
        symbol: fill_symbol("#", palette::verdict(None), outline, 0.1),
    });
    let attr = format!("verdict_{group}");
    let mut renderer = categorized(&attr, cats);
    if !caveats.is_empty() {
        // A QGIS string literal: single quotes doubled.
        let literal = format!("'{}'", caveats.replace('\'', "''"));
        let _ = writeln!(
            renderer,
            "  <expressionfields>\n    <field name=\"{CAVEATS_FIELD}\" expression=\"{}\" type=\"10\" typeName=\"string\" length=\"0\" precision=\"0\" subType=\"0\" comment=\"\"/>\n  </expressionfields>",
            xml_escape(&literal)
        );
        let tip = format!(
            "<b>[% \"building_id\" %]</b> [% \"name\" %]<br>{group}: [% \"verdict_{group}\" %] ([% \"score_{group}\" %])<br>[% \"reasons_{group}\" %]<hr><i>{}</i>",
            xml_escape(caveats)
        );
        let _ = writeln!(renderer, "  <mapTip>{}</mapTip>", xml_escape(&tip));
    }
    document(GeomKind::Polygon, &renderer, None, "building_id")
}

/// `sites.qml`: one symbol (purple circle for points, bold purple outline for
/// polygons) with the `rank` as label.
pub fn sites(geometry: GeomKind) -> String {
    let white = Rgba::rgb(255, 255, 255);
    let (symbol, labels) = match geometry {
        GeomKind::Point => (
            marker_symbol("#", palette::SITE, white, 6.0, 0.4),
            Labels {
                field: "rank",
                size_pt: 9.0,
                colour: white,
                buffer: palette::SITE,
                bold: true,
            },
        ),
        GeomKind::Polygon => (
            fill_symbol("#", palette::SITE.with_alpha(40), palette::SITE, 0.8),
            Labels {
                field: "rank",
                size_pt: 11.0,
                colour: palette::SITE,
                buffer: white,
                bold: true,
            },
        ),
        GeomKind::Line => (
            line_symbol("#", palette::SITE, 1.0),
            Labels {
                field: "rank",
                size_pt: 11.0,
                colour: palette::SITE,
                buffer: white,
                bold: true,
            },
        ),
    };
    document(geometry, &single(&symbol), Some(&labels), "label")
}

/// `amenities.qml`: categorised on `kind`, a circle in a distinct colour per kind.
pub fn amenities() -> String {
    let white = Rgba::rgb(255, 255, 255);
    let mut cats: Vec<Category> = AmenityKind::ALL
        .iter()
        .map(|k| Category {
            value: k.as_str().to_string(),
            label: palette::amenity_label(*k),
            symbol: marker_symbol("#", palette::amenity(*k), white, 3.2, 0.3),
        })
        .collect();
    cats.push(Category {
        value: String::new(),
        label: "overig".to_string(),
        symbol: marker_symbol("#", Rgba::rgb(150, 150, 150), white, 2.4, 0.3),
    });
    document(GeomKind::Point, &categorized("kind", cats), None, "name")
}

/// `horeca.qml`: categorised on `category` — 1 light and small, 2 medium,
/// 3 heavy, large and dark.
pub fn horeca() -> String {
    let cats = [1u8, 2, 3]
        .iter()
        .map(|c| {
            let (colour, size) = palette::horeca(*c);
            Category {
                value: c.to_string(),
                label: palette::horeca_label(*c).to_string(),
                symbol: marker_symbol("#", colour, colour.darker(0.55), size, 0.2),
            }
        })
        .collect();
    document(
        GeomKind::Point,
        &categorized("category", cats),
        None,
        "name",
    )
}

/// `coverage.qml`: one semi-transparent blue fill.
pub fn coverage() -> String {
    let symbol = fill_symbol(
        "#",
        palette::COVERAGE,
        palette::COVERAGE.with_alpha(200),
        0.3,
    );
    document(GeomKind::Polygon, &single(&symbol), None, "kind")
}

/// `conflicts.qml`: plan conflicts as red markers with a white rim.
pub fn conflicts() -> String {
    document(
        GeomKind::Point,
        &single(&marker_symbol(
            "0",
            Rgba::rgb(200, 0, 0),
            Rgba::rgb(255, 255, 255),
            3.2,
            0.4,
        )),
        None,
        "message",
    )
}

/// `streets.qml`: thin grey lines.
pub fn streets() -> String {
    document(
        GeomKind::Line,
        &single(&line_symbol("#", palette::STREET, 0.3)),
        None,
        "street_id",
    )
}

/// A graduated style on a numeric `field`: class `i` covers
/// `breaks[i]..breaks[i+1]` and is drawn in `colours[i]` (the last colour is
/// reused when there are fewer colours than classes; grey when there are none).
/// Fewer than two breaks give one class over all values.
///
/// # Examples
/// Walking minutes to a playground for gezinnen, green (near) to red (far):
/// ```
/// use binnenstad::render::{palette::Rgba, qml};
/// let field = "walk_min_gezinnen_playground";
/// let qml = qml::graduated_qml(field, qml::GeomKind::Polygon, &[0.0, 5.0, 10.0, 15.0, 1e6],
///     &[Rgba::rgb(26, 152, 80), Rgba::rgb(166, 217, 106), Rgba::rgb(253, 174, 97), Rgba::rgb(215, 48, 39)]);
/// assert!(qml.contains("attr=\"walk_min_gezinnen_playground\""));
/// ```
pub fn graduated_qml(field: &str, geometry: GeomKind, breaks: &[f64], colours: &[Rgba]) -> String {
    let grey = Rgba::rgb(150, 150, 150);
    let mut ranges: Vec<(f64, f64)> = breaks.windows(2).map(|w| (w[0], w[1])).collect();
    if ranges.is_empty() {
        ranges.push((-1e12, 1e12));
    }
    let colour = |i: usize| {
        colours
            .get(i)
            .or_else(|| colours.last())
            .copied()
            .unwrap_or(grey)
    };
    let mut s = renderer_open(
        "graduatedSymbol",
        Some(field),
        " graduatedMethod=\"GraduatedColor\"",
    );
    s.push_str("    <ranges>\n");
    for (i, (lo, hi)) in ranges.iter().enumerate() {
        let label = if *hi >= 1e6 {
            format!("≥ {}", num(*lo, 2))
        } else {
            format!("{} – {}", num(*lo, 2), num(*hi, 2))
        };
        let _ = writeln!(
            s,
            "      <range lower=\"{}\" upper=\"{}\" label=\"{}\" symbol=\"{i}\" render=\"true\"/>",
            num(*lo, 6),
            num(*hi, 6),
            xml_escape(&label)
        );
    }
    s.push_str("    </ranges>\n    <symbols>\n");
    for i in 0..ranges.len() {
        s.push_str(&plain_symbol(geometry, &i.to_string(), colour(i)));
    }
    s.push_str("    </symbols>\n    <mode name=\"manual\"/>\n    <rotation/>\n    <sizescale/>\n  </renderer-v2>\n");
    document(geometry, &s, None, field)
}

/// Walking minutes for `group` to `kind` on buildings: green within 5 min,
/// light green within 10, orange within 15, red beyond.
pub fn walk_minutes(group: &str, kind: AmenityKind) -> String {
    graduated_qml(
        &walk_minutes_field(group, kind),
        GeomKind::Polygon,
        &[0.0, 5.0, 10.0, 15.0, 1e6],
        &[
            Rgba::rgb(26, 152, 80),
            Rgba::rgb(166, 217, 106),
            Rgba::rgb(253, 174, 97),
            Rgba::rgb(215, 48, 39),
        ],
    )
}

/// The field the isochrone styles class on: the band's walking minutes.
pub const ISOCHRONE_FIELD: &str = "minutes";

/// The style of an isochrone layer (`isochrone --out`): the bands as
/// polygons (`geometry` = [`GeomKind::Polygon`]) or the reached street pieces
/// as lines ([`GeomKind::Line`]), classed on [`ISOCHRONE_FIELD`], one class per
/// band of `minutes` (sorted; class `i` holds `minutes[i-1] < m ≤ minutes[i]`),
/// dark green for the nearest band to orange for the farthest. Polygons are
/// half transparent so the map and the smaller bands drawn over the larger
/// ones show through; labels read `≤ 5 min lopen`, `5 – 10 min lopen`.
pub fn isochrone(minutes: &[f64], geometry: GeomKind) -> String {
    const RAMP: [Rgba; 5] = [
        Rgba::rgb(0, 104, 55),
        Rgba::rgb(102, 189, 99),
        Rgba::rgb(217, 239, 139),
        Rgba::rgb(254, 224, 139),
        Rgba::rgb(244, 109, 67),
    ];
    let mut m: Vec<f64> = minutes.iter().copied().filter(|x| x.is_finite()).collect();
    m.sort_by(f64::total_cmp);
    m.dedup();
    let mut s = renderer_open(
        "graduatedSymbol",
        Some(ISOCHRONE_FIELD),
        " graduatedMethod=\"GraduatedColor\"",
    );
    s.push_str("    <ranges>\n");
    let mut lower = 0.0;
    for (i, hi) in m.iter().enumerate() {
        let label = if i == 0 {
            format!("≤ {} min lopen", crate::labels::nl_number(*hi, 0))
        } else {
            format!(
                "{} – {} min lopen",
                crate::labels::nl_number(lower, 0),
                crate::labels::nl_number(*hi, 0)
            )
        };
        let _ = writeln!(
            s,
            "      <range lower=\"{}\" upper=\"{}\" label=\"{}\" symbol=\"{i}\" render=\"true\"/>",
            num(lower, 6),
            num(*hi, 6),
            xml_escape(&label)
        );
        lower = *hi;
    }
    s.push_str("    </ranges>\n    <symbols>\n");
    for i in 0..m.len() {
        // Spread the classes over the ramp: two bands are dark green and orange.
        let at = if m.len() == 1 {
            0
        } else {
            i * (RAMP.len() - 1) / (m.len() - 1)
        };
        let c = RAMP[at];
        let name = i.to_string();
        s.push_str(&match geometry {
            GeomKind::Polygon => fill_symbol(&name, c.with_alpha(90), c.darker(0.7), 0.3),
            GeomKind::Line => line_symbol(&name, c.darker(0.85), 0.7),
            GeomKind::Point => plain_symbol(geometry, &name, c),
        });
    }
    s.push_str("    </symbols>\n    <mode name=\"manual\"/>\n    <rotation/>\n    <sizescale/>\n  </renderer-v2>\n");
    document(geometry, &s, None, ISOCHRONE_FIELD)
}

/// One style file: the layer it belongs to (`zones` → `zones.qml` beside
/// `zones.geojson`), its geometry and its text.
#[derive(Debug, Clone)]
pub struct StyleFile {
    /// Layer name, the file stem shared with the GeoJSON.
    pub layer: &'static str,
    /// Geometry type of the layer.
    pub geometry: GeomKind,
    /// The QML document.
    pub qml: String,
}

/// The styles of the seven output layers; buildings are coloured by the
/// verdict of `map_group`, sites are drawn as `sites_geometry`.
pub fn all(map_group: &str, sites_geometry: GeomKind) -> Vec<StyleFile> {
    all_with(map_group, sites_geometry, "")
}

/// [`all`] with the buildings' map-level `caveats` explained (see [`buildings_with`]).
pub fn all_with(map_group: &str, sites_geometry: GeomKind, caveats: &str) -> Vec<StyleFile> {
    vec![
        StyleFile {
            layer: "sites",
            geometry: sites_geometry,
            qml: sites(sites_geometry),
        },
        StyleFile {
            layer: "amenities",
            geometry: GeomKind::Point,
            qml: amenities(),
        },
        StyleFile {
            layer: "horeca",
            geometry: GeomKind::Point,
            qml: horeca(),
        },
        StyleFile {
            layer: "buildings",
            geometry: GeomKind::Polygon,
            qml: buildings_with(map_group, caveats),
        },
        StyleFile {
            layer: "coverage",
            geometry: GeomKind::Polygon,
            qml: coverage(),
        },
        StyleFile {
            layer: "zones",
            geometry: GeomKind::Polygon,
            qml: zones(),
        },
        StyleFile {
            layer: "streets",
            geometry: GeomKind::Line,
            qml: streets(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testxml::{self, El};

    /// The property names of a layer, per the contract (groups `gezinnen`, `starters`).
    fn fields(layer: &str) -> Vec<String> {
        let fixed: &[&str] = match layer {
            "zones" => ZONES_FIELDS,
            "buildings" => BUILDINGS_FIELDS,
            "sites" => SITES_FIELDS,
            "amenities" => AMENITIES_FIELDS,
            "horeca" => HORECA_FIELDS,
            "coverage" => COVERAGE_FIELDS,
            "streets" => STREETS_FIELDS,
            other => panic!("unknown layer {other}"),
        };
        let mut v: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
        for g in ["gezinnen", "starters"] {
            if layer == "buildings" {
                v.extend(building_group_fields(g));
                for k in AmenityKind::ALL {
                    v.push(walk_minutes_field(g, *k));
                }
            }
            if layer == "sites" {
                v.push(format!("homes_{g}"));
            }
        }
        v
    }

    fn check_symbols(root: &El, geometry: GeomKind) {
        let renderer = root.child("renderer-v2").expect("renderer-v2");
        let symbols = renderer.child("symbols").expect("symbols");
        let names: Vec<&str> = symbols
            .children
            .iter()
            .map(|s| s.attr("name").unwrap())
            .collect();
        for s in &symbols.children {
            assert_eq!(s.attr("type"), Some(geometry.symbol_type()));
            let layer = s.child("layer").unwrap();
            let options = layer.child("Option").unwrap();
            assert_eq!(options.attr("type"), Some("Map"));
            assert!(!options.children.is_empty());
        }
        // Every category / range refers to an existing symbol.
        for c in renderer
            .find_all("category")
            .into_iter()
            .chain(renderer.find_all("range"))
        {
            assert!(names.contains(&c.attr("symbol").unwrap()));
        }
    }

    /// Issue 18: the buildings' map-level caveats, which each reason only names,
    /// are explained in the style: a virtual field and the map tip, escaped.
    #[test]
    fn building_style_explains_the_map_caveats() {
        let text = "Redenen: monumentstatus onbekend = de kaart's <weinig> & \"meer\"";
        let qml = buildings_with("gezinnen", text);
        let root = testxml::parse(&qml).unwrap();
        check_symbols(&root, GeomKind::Polygon);
        let field = root
            .child("expressionfields")
            .and_then(|e| e.child("field"))
            .expect("expression field");
        assert_eq!(field.attr("name"), Some(CAVEATS_FIELD));
        // A QGIS string literal: the quote doubled.
        assert_eq!(
            field.attr("expression"),
            Some("'Redenen: monumentstatus onbekend = de kaart''s <weinig> & \"meer\"'")
        );
        let tip = root.child("mapTip").expect("map tip").text.clone();
        assert!(tip.contains("[% \"reasons_gezinnen\" %]"), "{tip}");
        assert!(
            tip.contains("de kaart&apos;s &lt;weinig&gt;")
                || tip.contains("de kaart's &lt;weinig&gt;"),
            "{tip}"
        );
        // Without caveats the style is the plain one.
        assert_eq!(buildings_with("gezinnen", ""), buildings("gezinnen"));
        assert!(!buildings("gezinnen").contains("expressionfields"));
    }

    /// `isochrone --out`: one style per layer, one class per band, in the order
    /// of the minutes whatever order they were given in.
    #[test]
    fn isochrone_styles_have_a_class_per_band() {
        for geometry in [GeomKind::Polygon, GeomKind::Line] {
            let qml = isochrone(&[15.0, 5.0, 10.0, 10.0], geometry);
            let root = testxml::parse(&qml).unwrap();
            check_symbols(&root, geometry);
            let renderer = root.child("renderer-v2").unwrap();
            assert_eq!(renderer.attr("attr"), Some(ISOCHRONE_FIELD));
            let ranges = renderer.find_all("range");
            let bounds: Vec<(&str, &str)> = ranges
                .iter()
                .map(|r| (r.attr("lower").unwrap(), r.attr("upper").unwrap()))
                .collect();
            assert_eq!(bounds, [("0", "5"), ("5", "10"), ("10", "15")]);
            assert_eq!(ranges[0].attr("label"), Some("≤ 5 min lopen"));
            assert_eq!(ranges[2].attr("label"), Some("10 – 15 min lopen"));
        }
    }

    #[test]
    fn every_style_parses_and_its_attr_is_a_layer_property() {
        for geometry in [GeomKind::Point, GeomKind::Polygon] {
            for style in all("gezinnen", geometry) {
                let root = testxml::parse(&style.qml)
                    .unwrap_or_else(|e| panic!("{}.qml: {e}", style.layer));
                assert_eq!(root.name, "qgis");
                let renderer = root.child("renderer-v2").unwrap();
                if let Some(attr) = renderer.attr("attr") {
                    assert!(
                        fields(style.layer).iter().any(|f| f == attr),
                        "{}.qml: attr {attr} is not a property",
                        style.layer
                    );
                } else {
                    assert_eq!(renderer.attr("type"), Some("singleSymbol"));
                }
                check_symbols(&root, style.geometry);
                if let Some(labeling) = root.child("labeling") {
                    let ts = labeling.find_all("text-style");
                    let field = ts[0].attr("fieldName").unwrap();
                    assert!(fields(style.layer).iter().any(|f| f == field));
                    assert_eq!(root.attr("labelsEnabled"), Some("1"));
                }
            }
        }
        let root = testxml::parse(&walk_minutes("gezinnen", AmenityKind::Playground)).unwrap();
        let attr = root.child("renderer-v2").unwrap().attr("attr").unwrap();
        assert!(fields("buildings").iter().any(|f| f == attr));
        check_symbols(&root, GeomKind::Polygon);
    }

    #[test]
    fn categories_and_colours() {
        let root = testxml::parse(&zones()).unwrap();
        let values: Vec<&str> = root
            .find_all("category")
            .iter()
            .map(|c| c.attr("value").unwrap())
            .collect();
        assert_eq!(values, ["rust", "gemengd", "reuring"]);
        let colours: Vec<&str> = root
            .find_all("Option")
            .into_iter()
            .filter(|o| o.attr("name") == Some("color"))
            .map(|o| o.attr("value").unwrap())
            .collect();
        let rust = palette::zone(ZoneCharacter::Rust).with_alpha(palette::ZONE_ALPHA);
        assert_eq!(colours[0], rust.qgis());

        let root = testxml::parse(&amenities()).unwrap();
        assert_eq!(root.find_all("category").len(), AmenityKind::ALL.len() + 1);
        let root = testxml::parse(&horeca()).unwrap();
        let values: Vec<&str> = root
            .find_all("category")
            .iter()
            .map(|c| c.attr("value").unwrap())
            .collect();
        assert_eq!(values, ["1", "2", "3"]);
        let root = testxml::parse(&buildings("ouderen")).unwrap();
        assert_eq!(
            root.child("renderer-v2").unwrap().attr("attr"),
            Some("verdict_ouderen")
        );
    }

    #[test]
    fn group_names_are_escaped() {
        let qml = buildings(r#"Café "De <Nacht>" & Co"#);
        let root = testxml::parse(&qml).unwrap();
        assert_eq!(
            root.child("renderer-v2").unwrap().attr("attr"),
            Some(r#"verdict_Café "De <Nacht>" & Co"#)
        );
    }

    #[test]
    fn graduated_edge_cases() {
        let q = graduated_qml("minutes", GeomKind::Point, &[], &[]);
        let root = testxml::parse(&q).unwrap();
        assert_eq!(root.find_all("range").len(), 1);
        let q = graduated_qml(
            "minutes",
            GeomKind::Line,
            &[0.0, 1.0, 2.0],
            &[Rgba::rgb(1, 2, 3)],
        );
        assert_eq!(q.matches("1,2,3,255").count(), 2);
        assert_eq!(
            q,
            graduated_qml(
                "minutes",
                GeomKind::Line,
                &[0.0, 1.0, 2.0],
                &[Rgba::rgb(1, 2, 3)]
            )
        );
    }
}
