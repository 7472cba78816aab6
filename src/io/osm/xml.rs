//! Streaming reader for OSM XML (`.osm`, and `.osm.gz` through a gzip decoder).
//!
//! Reads `<node>`, `<way>`, `<relation>` with their `<tag>`, `<nd>` and `<member>`
//! children into [`OsmData`]; everything else (`<bounds>`, `<note>`, `<meta>`) is
//! skipped. The root element must be `<osm>`; a file that ends before `</osm>`
//! is reported as truncated. Errors carry the byte offset in the (decompressed)
//! XML stream.

use super::data::{Member, MemberType, OsmData, Tags};
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// The element whose children are being read.
enum Current {
    None,
    Node {
        id: i64,
        lon: f64,
        lat: f64,
        tags: Tags,
    },
    Way {
        id: i64,
        refs: Vec<i64>,
        tags: Tags,
    },
    Relation {
        id: i64,
        members: Vec<Member>,
        tags: Tags,
    },
}

/// Reads OSM XML from `input`. The error is a message without the path (the
/// caller adds it).
pub(crate) fn read_xml<R: BufRead>(input: R) -> Result<OsmData, String> {
    let mut reader = quick_xml::Reader::from_reader(input);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut data = OsmData::default();
    let mut current = Current::None;
    let mut seen_root = false;
    let mut root_closed = false;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("invalid XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name();
                let name = name.as_ref();
                if !seen_root {
                    if name != b"osm" {
                        return Err(format!(
                            "not an OSM XML file: root element is <{}> (expected <osm>) at byte {at}",
                            String::from_utf8_lossy(name)
                        ));
                    }
                    seen_root = true;
                    continue;
                }
                match name {
                    b"node" | b"way" | b"relation" => {
                        let element = start_element(e, name, at)?;
                        if empty {
                            finish(element, &mut data);
                        } else {
                            current = element;
                        }
                    }
                    b"bounds" => {
                        let num = |k: &[u8]| -> Result<f64, String> {
                            Ok(attr(e, k, at)?
                                .and_then(|v| v.trim().parse::<f64>().ok())
                                .unwrap_or(f64::NAN))
                        };
                        let lon = [num(b"minlon")?, num(b"maxlon")?];
                        let lat = [num(b"minlat")?, num(b"maxlat")?];
                        data.set_bounds(lon, lat);
                    }
                    b"tag" => {
                        let k = attr(e, b"k", at)?.unwrap_or_default();
                        let v = attr(e, b"v", at)?.unwrap_or_default();
                        match &mut current {
                            Current::Node { tags, .. }
                            | Current::Way { tags, .. }
                            | Current::Relation { tags, .. } => tags.0.push((k, v)),
                            Current::None => {}
                        }
                    }
                    b"nd" => {
                        if let Current::Way { refs, .. } = &mut current {
                            refs.push(int_attr(e, b"ref", at)?);
                        }
                    }
                    b"member" => {
                        if let Current::Relation { members, .. } = &mut current {
                            let kind = match attr(e, b"type", at)?.as_deref() {
                                Some("node") => MemberType::Node,
                                Some("way") => MemberType::Way,
                                Some("relation") => MemberType::Relation,
                                other => {
                                    return Err(format!(
                                        "member with unknown type {other:?} at byte {at}"
                                    ));
                                }
                            };
                            let id = int_attr(e, b"ref", at)?;
                            let role = attr(e, b"role", at)?.unwrap_or_default();
                            members.push(Member { kind, id, role });
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match e.name().as_ref() {
                b"node" | b"way" | b"relation" => {
                    finish(std::mem::replace(&mut current, Current::None), &mut data)
                }
                b"osm" => root_closed = true,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !seen_root {
        return Err("not an OSM XML file: no <osm> element found".to_string());
    }
    if !root_closed {
        return Err(format!(
            "truncated OSM XML: the file ends at byte {} before </osm>",
            reader.buffer_position()
        ));
    }
    Ok(data)
}

/// Reads the attributes of `<node>`, `<way>` or `<relation>`. Elements marked
/// `visible="false"` (deleted, in history files) are returned as `Current::None`.
fn start_element(e: &BytesStart<'_>, name: &[u8], at: u64) -> Result<Current, String> {
    if attr(e, b"visible", at)?.as_deref() == Some("false") {
        return Ok(Current::None);
    }
    let id = int_attr(e, b"id", at)?;
    Ok(match name {
        b"node" => {
            // A missing or unparsable coordinate becomes NaN: the node then counts
            // as a bad node (a diagnostic), not as a broken file.
            let coord = |key: &[u8]| -> Result<f64, String> {
                Ok(attr(e, key, at)?
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .unwrap_or(f64::NAN))
            };
            Current::Node {
                id,
                lon: coord(b"lon")?,
                lat: coord(b"lat")?,
                tags: Tags::default(),
            }
        }
        b"way" => Current::Way {
            id,
            refs: Vec::new(),
            tags: Tags::default(),
        },
        _ => Current::Relation {
            id,
            members: Vec::new(),
            tags: Tags::default(),
        },
    })
}

/// Stores a completed element.
fn finish(element: Current, data: &mut OsmData) {
    match element {
        Current::None => {}
        Current::Node { id, lon, lat, tags } => data.push_node_degrees(id, lon, lat, tags),
        Current::Way { id, refs, tags } => data.ways.push(super::data::Way { id, refs, tags }),
        Current::Relation { id, members, tags } => {
            data.relations
                .push(super::data::Relation { id, members, tags })
        }
    }
}

/// The unescaped value of attribute `key`, if present.
fn attr(e: &BytesStart<'_>, key: &[u8], at: u64) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|err| format!("invalid attribute at byte {at}: {err}"))?;
        if a.key.as_ref() == key {
            let value = a
                .unescape_value()
                .map_err(|err| format!("invalid attribute value at byte {at}: {err}"))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// A required integer attribute (`id`, `ref`).
fn int_attr(e: &BytesStart<'_>, key: &[u8], at: u64) -> Result<i64, String> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let key_text = String::from_utf8_lossy(key).into_owned();
    match attr(e, key, at)? {
        Some(v) => v.trim().parse().map_err(|_| {
            format!("<{name}> at byte {at}: attribute {key_text}={v:?} is not an integer")
        }),
        None => Err(format!(
            "<{name}> at byte {at}: missing attribute {key_text}"
        )),
    }
}
