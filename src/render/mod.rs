//! Annotated outputs: QGIS styles and project, the rendered map, the report.
//!
//! Everything here is pure: functions take plain data and return text or
//! bytes; `io::output` writes them. Rendering never recomputes rules: it is
//! given verdicts, zones and ranks and only draws them. Colours come from one
//! [`palette`], so a zone is the same green in QGIS, in map.png and in the
//! report. Every text from data goes through [`xml_escape`] before it lands in
//! XML or HTML.
//!
//! - [`palette`]: the colours and symbols shared by all outputs.
//! - [`qml`]: a QGIS `.qml` style per GeoJSON layer (QGIS loads `<layer>.qml`
//!   beside `<layer>.geojson` by itself), and the property names each style
//!   relies on.
//! - [`qgs`]: a QGIS project (`binnenstad.qgs`) that opens every layer, styled,
//!   grouped and ordered.
//! - [`map`]: map.svg and map.png, one drawing through a `canvas::Canvas`
//!   written as SVG (`canvas`) or painted with tiny-skia (`raster`).
//! - [`report`]: report.html, one self-contained file.

pub(crate) mod canvas;
pub mod kaart;
pub mod map;
pub mod palette;
pub mod qgs;
pub mod qml;
pub(crate) mod raster;
pub mod report;

/// Escapes text for XML and HTML, in element content and in attribute values
/// (either quote): `&`, `<`, `>`, `"` and `'`. Control characters that XML 1.0
/// forbids are dropped (tab, newline and carriage return are kept).
///
/// # Examples
/// ```
/// use binnenstad::render::xml_escape;
/// assert_eq!(
///     xml_escape(r#"Café "De <Nacht>" & Co"#),
///     "Café &quot;De &lt;Nacht&gt;&quot; &amp; Co"
/// );
/// ```
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A number with at most `decimals` decimals, trailing zeros trimmed, never
/// `-0`; non-finite values give `0`. Used for every number written into SVG,
/// QML and QGS so the outputs are byte-identical between runs.
pub(crate) fn num(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s
}

#[cfg(test)]
pub(crate) mod demo;
#[cfg(test)]
pub(crate) mod testxml;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        let name = r#"Café "De <Nacht>" & Co's"#;
        let e = xml_escape(name);
        assert_eq!(e, "Café &quot;De &lt;Nacht&gt;&quot; &amp; Co&apos;s");
        // Round trip through an XML parser as attribute (both quotes) and as text.
        let doc = format!("<a v=\"{e}\" w='{e}'>{e}</a>");
        let root = testxml::parse(&doc).unwrap();
        assert_eq!(root.attr("v"), Some(name));
        assert_eq!(root.attr("w"), Some(name));
        assert_eq!(root.text, name);
        assert_eq!(xml_escape("a\u{1}b\nc"), "ab\nc");
    }

    #[test]
    fn numbers_are_fixed_and_trimmed() {
        assert_eq!(num(1.25, 1), "1.2");
        assert_eq!(num(3.0, 1), "3");
        assert_eq!(num(-0.01, 1), "0");
        assert_eq!(num(f64::NAN, 1), "0");
        assert_eq!(num(12.345, 2), "12.35");
        assert_eq!(num(100.0, 0), "100");
    }
}
