//! A QGIS project (`binnenstad.qgs`) that opens every output layer, styled.
//!
//! Each layer is an `ogr` layer with a relative datasource (`./zones.geojson`),
//! so the output folder can be moved or zipped as a whole. Its style is the
//! same QML as the sidecar `.qml`, embedded in its `<maplayer>`. Layers sit in
//! groups (`Analyse`, `Invoer`) in the layer tree, and a custom drawing order
//! puts sites on top, then conflicts, amenities, horeca, buildings, coverage, zones and
//! streets, whatever group they are in. Coverage starts switched off: its
//! areas overlap per kind and group and are meant to be looked at one by one.
//!
//! The GeoJSON layers are WGS84 (EPSG:4326, RFC 7946) unless `--output-crs` chose
//! another, which each layer then names by its EPSG id; the project shows them in
//! Web Mercator (EPSG:3857) so the map is not stretched at Dutch latitudes;
//! layers written in a projected CRS (`--output-crs EPSG:28992`) open in that CRS.
//! The attribution is the project's rights metadata and is repeated in its
//! abstract. No timestamps or absolute paths: the file is deterministic.

use super::qml::GeomKind;
use super::{num, xml_escape};
use std::fmt::Write as _;

/// One layer of the project.
#[derive(Debug, Clone)]
pub struct QgsLayer {
    /// Layer name shown in QGIS (`zones`).
    pub name: String,
    /// File relative to the project (`zones.geojson`).
    pub file: String,
    /// Geometry type.
    pub geometry: GeomKind,
    /// The layer's QML style (the text of the sidecar `.qml`).
    pub qml: String,
    /// Layer-tree group (`Analyse` or `Invoer`).
    pub group: String,
    /// EPSG code of the file's CRS: 4326 for RFC 7946 GeoJSON, another
    /// when the user chose `--output-crs` (QGIS believes the project's CRS
    /// over the file's, so it must be right).
    pub epsg: u32,
}

/// Drawing rank: lower is drawn on top. Unknown layers go below the known ones.
fn draw_rank(name: &str) -> usize {
    const ORDER: [&str; 8] = [
        "sites",
        "conflicts",
        "amenities",
        "horeca",
        "buildings",
        "coverage",
        "zones",
        "streets",
    ];
    ORDER.iter().position(|n| *n == name).unwrap_or(ORDER.len())
}

/// A layer id: the name with characters outside `[A-Za-z0-9_]` replaced,
/// plus a fixed suffix (QGIS ids must be unique and stable).
fn layer_id(name: &str, index: usize) -> String {
    let clean: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{clean}_binnenstad_{index}")
}

const WGS84_SRS: &str = concat!(
    "<spatialrefsys nativeFormat=\"Wkt\">",
    "<wkt>GEOGCRS[\"WGS 84\",DATUM[\"World Geodetic System 1984\",ELLIPSOID[\"WGS 84\",6378137,298.257223563,LENGTHUNIT[\"metre\",1]]],PRIMEM[\"Greenwich\",0,ANGLEUNIT[\"degree\",0.0174532925199433]],CS[ellipsoidal,2],AXIS[\"geodetic latitude (Lat)\",north,ORDER[1],ANGLEUNIT[\"degree\",0.0174532925199433]],AXIS[\"geodetic longitude (Lon)\",east,ORDER[2],ANGLEUNIT[\"degree\",0.0174532925199433]],ID[\"EPSG\",4326]]</wkt>",
    "<proj4>+proj=longlat +datum=WGS84 +no_defs</proj4>",
    "<srsid>3452</srsid><srid>4326</srid><authid>EPSG:4326</authid>",
    "<description>WGS 84</description><projectionacronym>longlat</projectionacronym>",
    "<ellipsoidacronym>EPSG:7030</ellipsoidacronym><geographicflag>true</geographicflag>",
    "</spatialrefsys>"
);

const MERCATOR_SRS: &str = concat!(
    "<spatialrefsys nativeFormat=\"Wkt\">",
    "<wkt></wkt>",
    "<proj4>+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs</proj4>",
    "<srsid>3857</srsid><srid>3857</srid><authid>EPSG:3857</authid>",
    "<description>WGS 84 / Pseudo-Mercator</description><projectionacronym>merc</projectionacronym>",
    "<ellipsoidacronym>EPSG:7030</ellipsoidacronym><geographicflag>false</geographicflag>",
    "</spatialrefsys>"
);

/// Web Mercator metres of a WGS84 lon/lat (latitude clamped to ±85°).
fn to_mercator(lon: f64, lat: f64) -> (f64, f64) {
    const R: f64 = 6_378_137.0;
    let lat = lat.clamp(-85.0, 85.0).to_radians();
    let x = R * lon.to_radians();
    let y = R * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln();
    (x, y)
}

/// When every layer is in one projected CRS: its `<spatialrefsys>` (QGIS
/// resolves it from the authority id), its authority id, and `extent_wgs84`
/// converted into it (`[min_x, min_y, max_x, max_y]`). `None` for WGS84 layers,
/// mixed CRSs, or a CRS the extent cannot be converted into.
fn project_crs(layers: &[QgsLayer], extent_wgs84: [f64; 4]) -> Option<(String, String, [f64; 4])> {
    let epsg = layers.first()?.epsg;
    if epsg == 4326 || layers.iter().any(|l| l.epsg != epsg) {
        return None;
    }
    let crs = crate::crs::Crs::from_epsg(epsg).ok()?;
    if crs.is_geographic() {
        return None;
    }
    let t = crate::crs::Transformer::new(crate::crs::Crs::WGS84, crs).ok()?;
    let [w, south, e, north] = extent_wgs84;
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for (lon, lat) in [(w, south), (e, south), (e, north), (w, north)] {
        let (x, y) = t.convert(lon, lat).ok()?;
        xs.push(x);
        ys.push(y);
    }
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let srs = format!(
        "<spatialrefsys nativeFormat=\"Wkt\"><wkt></wkt><proj4></proj4><srsid>0</srsid><srid>{epsg}</srid><authid>EPSG:{epsg}</authid><description></description><projectionacronym></projectionacronym><ellipsoidacronym></ellipsoidacronym><geographicflag>false</geographicflag></spatialrefsys>"
    );
    Some((
        srs,
        format!("EPSG:{epsg}"),
        [min(&xs), min(&ys), max(&xs), max(&ys)],
    ))
}

/// The inside of a QML document (the children of `<qgis>`) and whether it
/// enables labels. Anything that is not a QML document gives an empty style
/// (QGIS then uses its default).
fn qml_body(qml: &str) -> (&str, bool) {
    let Some(start) = qml.find("<qgis") else {
        return ("", false);
    };
    // Attribute values are escaped, so the first '>' closes the start tag.
    let Some(tag_len) = qml[start..].find('>') else {
        return ("", false);
    };
    let tag = &qml[start..start + tag_len];
    let body_start = start + tag_len + 1;
    let Some(end) = qml.rfind("</qgis>") else {
        return ("", false);
    };
    if end < body_start {
        return ("", false);
    }
    (
        qml[body_start..end].trim_matches('\n'),
        tag.contains("labelsEnabled=\"1\""),
    )
}

/// The project: every layer from `layers` (GeoJSON in WGS84 beside the
/// project), styled by its QML, grouped, drawn sites-first; the canvas opens
/// on `extent_wgs84` (`[west, south, east, north]` in degrees); `title` names
/// the project; `attribution` is its rights statement.
pub fn project(
    layers: &[QgsLayer],
    extent_wgs84: [f64; 4],
    title: &str,
    attribution: &str,
) -> String {
    let title_e = xml_escape(title);
    let attribution_e = xml_escape(attribution);
    // Ids by input position; drawing order by rank, ties by input order.
    let ids: Vec<String> = layers
        .iter()
        .enumerate()
        .map(|(i, l)| layer_id(&l.name, i))
        .collect();
    let mut order: Vec<usize> = (0..layers.len()).collect();
    order.sort_by_key(|&i| (draw_rank(&layers[i].name), i));

    let mut s = String::with_capacity(4096 + layers.iter().map(|l| l.qml.len()).sum::<usize>());
    s.push_str("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n");
    let _ = writeln!(
        s,
        "<qgis projectname=\"{title_e}\" version=\"{}\">",
        super::qml::QGIS_VERSION
    );
    s.push_str("  <homePath path=\"\"/>\n");
    let _ = writeln!(s, "  <title>{title_e}</title>");
    s.push_str("  <projectFlags set=\"\"/>\n");
    // The project opens in the layers' CRS when they are written in a projected
    // one (`--output-crs EPSG:28992`); in Web Mercator when they are in WGS84.
    let projected = project_crs(layers, extent_wgs84);
    let (project_srs, project_auth, canvas) = match &projected {
        Some((srs, auth, extent)) => (srs.as_str(), auth.as_str(), *extent),
        None => {
            let [w, south, e, north] = extent_wgs84;
            let (x0, y0) = to_mercator(w, south);
            let (x1, y1) = to_mercator(e, north);
            (MERCATOR_SRS, "EPSG:3857", [x0, y0, x1, y1])
        }
    };
    let _ = writeln!(s, "  <projectCrs>{project_srs}</projectCrs>");

    // Layer tree: groups in the order their first layer is drawn.
    let mut groups: Vec<&str> = Vec::new();
    for &i in &order {
        if !groups.contains(&layers[i].group.as_str()) {
            groups.push(&layers[i].group);
        }
    }
    s.push_str("  <layer-tree-group>\n    <customproperties/>\n");
    for g in &groups {
        let _ = writeln!(
            s,
            "    <layer-tree-group name=\"{}\" checked=\"Qt::Checked\" expanded=\"1\">\n      <customproperties/>",
            xml_escape(g)
        );
        for &i in order.iter().filter(|&&i| layers[i].group == *g) {
            let l = &layers[i];
            let checked = if l.name == "coverage" {
                "Qt::Unchecked"
            } else {
                "Qt::Checked"
            };
            let _ = writeln!(
                s,
                "      <layer-tree-layer id=\"{}\" name=\"{}\" source=\"./{}\" providerKey=\"ogr\" checked=\"{checked}\" expanded=\"0\"><customproperties/></layer-tree-layer>",
                ids[i],
                xml_escape(&l.name),
                xml_escape(&l.file)
            );
        }
        s.push_str("    </layer-tree-group>\n");
    }
    s.push_str("    <custom-order enabled=\"1\">\n");
    for &i in &order {
        let _ = writeln!(s, "      <item>{}</item>", ids[i]);
    }
    s.push_str("    </custom-order>\n  </layer-tree-group>\n");

    // Canvas: the extent in project CRS.
    let [x0, y0, x1, y1] = canvas;
    let [w, south, e, north] = extent_wgs84;
    let _ = writeln!(
        s,
        "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n    <units>meters</units>\n    <extent><xmin>{}</xmin><ymin>{}</ymin><xmax>{}</xmax><ymax>{}</ymax></extent>\n    <rotation>0</rotation>\n    <destinationsrs>{project_srs}</destinationsrs>\n    <rendermaptile>0</rendermaptile>\n  </mapcanvas>",
        num(x0.min(x1), 2),
        num(y0.min(y1), 2),
        num(x0.max(x1), 2),
        num(y0.max(y1), 2)
    );

    s.push_str("  <projectlayers>\n");
    for (i, l) in layers.iter().enumerate() {
        let (body, labels) = qml_body(&l.qml);
        let _ = writeln!(
            s,
            "    <maplayer type=\"vector\" geometry=\"{}\" labelsEnabled=\"{}\" styleCategories=\"AllStyleCategories\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\" readOnly=\"0\">",
            l.geometry.qgis_geometry(),
            u8::from(labels)
        );
        let _ = writeln!(
            s,
            "      <extent><xmin>{}</xmin><ymin>{}</ymin><xmax>{}</xmax><ymax>{}</ymax></extent>",
            num(w, 7),
            num(south, 7),
            num(e, 7),
            num(north, 7)
        );
        let _ = writeln!(s, "      <id>{}</id>", ids[i]);
        let _ = writeln!(
            s,
            "      <datasource>./{}</datasource>",
            xml_escape(&l.file)
        );
        let _ = writeln!(s, "      <layername>{}</layername>", xml_escape(&l.name));
        if l.epsg == 4326 {
            let _ = writeln!(s, "      <srs>{WGS84_SRS}</srs>");
        } else {
            // QGIS resolves the CRS from its authority id.
            let _ = writeln!(
                s,
                "      <srs><spatialrefsys nativeFormat=\"Wkt\"><wkt></wkt><proj4></proj4><srsid>0</srsid><srid>{0}</srid><authid>EPSG:{0}</authid><description></description><projectionacronym></projectionacronym><ellipsoidacronym></ellipsoidacronym><geographicflag>false</geographicflag></spatialrefsys></srs>",
                l.epsg
            );
        }
        s.push_str("      <provider encoding=\"UTF-8\">ogr</provider>\n");
        s.push_str(body);
        s.push_str("\n    </maplayer>\n");
    }
    s.push_str("  </projectlayers>\n  <layerorder>\n");
    for &i in &order {
        let _ = writeln!(s, "    <layer id=\"{}\"/>", ids[i]);
    }
    s.push_str("  </layerorder>\n");
    // QGIS reads <projectCrs> only when ProjectionsEnabled is set.
    let _ = writeln!(
        s,
        "  <properties>\n    <Paths><Absolute type=\"bool\">false</Absolute></Paths>\n    <SpatialRefSys><ProjectionsEnabled type=\"int\">1</ProjectionsEnabled><ProjectCrs type=\"QString\">{project_auth}</ProjectCrs></SpatialRefSys>"
    );
    let _ = writeln!(
        s,
        "    <WMSServiceTitle type=\"QString\">{title_e}</WMSServiceTitle>\n    <WMSContactOrganization type=\"QString\">{attribution_e}</WMSContactOrganization>"
    );
    s.push_str("  </properties>\n");
    let _ = writeln!(
        s,
        "  <projectMetadata>\n    <identifier></identifier>\n    <parentidentifier></parentidentifier>\n    <language></language>\n    <type></type>\n    <title>{title_e}</title>\n    <abstract>{title_e}. {attribution_e}</abstract>\n    <rights>{attribution_e}</rights>\n    <author>binnenstad</author>\n    <creation></creation>\n  </projectMetadata>"
    );
    s.push_str("</qgis>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::qml;
    use crate::render::testxml;

    fn layers() -> Vec<QgsLayer> {
        qml::all("gezinnen", GeomKind::Point)
            .into_iter()
            .rev() // the project must order them itself
            .map(|s| QgsLayer {
                name: s.layer.to_string(),
                file: format!("{}.geojson", s.layer),
                geometry: s.geometry,
                epsg: 4326,
                qml: s.qml,
                group: if matches!(s.layer, "amenities" | "horeca" | "streets") {
                    "Invoer".into()
                } else {
                    "Analyse".into()
                },
            })
            .collect()
    }

    #[test]
    fn project_lists_every_layer_styled_and_ordered() {
        let ls = layers();
        let text = project(
            &ls,
            [5.11, 52.08, 5.13, 52.10],
            r#"Utrecht "centrum" <test>"#,
            "© OpenStreetMap contributors & BAG",
        );
        let root = testxml::parse(&text).unwrap();
        assert_eq!(root.name, "qgis");
        assert_eq!(
            root.child("title").unwrap().text,
            r#"Utrecht "centrum" <test>"#
        );
        let maplayers = root.find_all("maplayer");
        assert_eq!(maplayers.len(), ls.len());
        for l in &ls {
            let m = maplayers
                .iter()
                .find(|m| m.child("layername").unwrap().text == l.name)
                .unwrap();
            assert_eq!(m.child("datasource").unwrap().text, format!("./{}", l.file));
            assert_eq!(m.child("provider").unwrap().text, "ogr");
            let r = m.child("renderer-v2").expect("embedded renderer");
            assert!(r.child("symbols").is_some());
            assert_eq!(m.attr("geometry"), Some(l.geometry.qgis_geometry()));
        }
        let sites = maplayers
            .iter()
            .find(|m| m.child("layername").unwrap().text == "sites")
            .unwrap();
        assert_eq!(sites.attr("labelsEnabled"), Some("1"));
        assert!(sites.child("labeling").is_some());
        // Drawing order.
        let name_of = |id: &str| {
            maplayers
                .iter()
                .find(|m| m.child("id").unwrap().text == id)
                .unwrap()
                .child("layername")
                .unwrap()
                .text
                .clone()
        };
        let order: Vec<String> = root.find_all("custom-order")[0]
            .children
            .iter()
            .map(|i| name_of(&i.text))
            .collect();
        assert_eq!(
            order,
            [
                "sites",
                "amenities",
                "horeca",
                "buildings",
                "coverage",
                "zones",
                "streets"
            ]
        );
        let groups: Vec<&str> = root
            .child("layer-tree-group")
            .unwrap()
            .children
            .iter()
            .filter(|c| c.name == "layer-tree-group")
            .map(|g| g.attr("name").unwrap())
            .collect();
        assert_eq!(groups, ["Analyse", "Invoer"]);
        let meta = root.child("projectMetadata").unwrap();
        assert_eq!(
            meta.child("rights").unwrap().text,
            "© OpenStreetMap contributors & BAG"
        );
        // Deterministic.
        assert_eq!(
            text,
            project(
                &ls,
                [5.11, 52.08, 5.13, 52.10],
                r#"Utrecht "centrum" <test>"#,
                "© OpenStreetMap contributors & BAG",
            )
        );
    }

    #[test]
    fn rd_layers_open_in_an_rd_project() {
        let mut ls = layers();
        for l in &mut ls {
            l.epsg = 28992;
        }
        let text = project(&ls, [4.88, 52.36, 4.91, 52.38], "t", "a");
        assert!(text.contains("<ProjectCrs type=\"QString\">EPSG:28992</ProjectCrs>"));
        assert!(!text.contains("EPSG:3857"), "no Web Mercator left");
        let canvas = &text[text.find("<mapcanvas").unwrap()..];
        let xmin: f64 = canvas[canvas.find("<xmin>").unwrap() + 6..canvas.find("</xmin>").unwrap()]
            .parse()
            .unwrap();
        assert!((119_000.0..122_000.0).contains(&xmin), "RD metres: {xmin}");
        // WGS84 layers keep the Web Mercator project.
        let text = project(&layers(), [4.88, 52.36, 4.91, 52.38], "t", "a");
        assert!(text.contains("<ProjectCrs type=\"QString\">EPSG:3857</ProjectCrs>"));
    }

    #[test]
    fn foreign_qml_gives_an_empty_style() {
        assert_eq!(qml_body("nonsense"), ("", false));
        assert_eq!(qml_body("</qgis><qgis>"), ("", false));
        let zones = qml::zones();
        let (body, labels) = qml_body(&zones);
        assert!(body.starts_with("  <renderer-v2"));
        assert!(!labels);
    }

    #[test]
    fn mercator_of_amsterdam() {
        let (x, y) = to_mercator(4.9, 52.37);
        assert!((x - 545_465.0).abs() < 10.0, "{x}");
        assert!((y - 6_867_304.7).abs() < 1.0, "{y}");
    }
}
