//! Reader for OSM PBF files (`.osm.pbf`) through the `osmpbf` crate.
//!
//! The file is split into blobs sequentially, then the blobs are decoded in
//! parallel (rayon) into partial [`OsmData`] that are merged in file order.
//! Plain nodes and DenseNodes are both handled.

use super::data::{Member, MemberType, OsmData, Relation, Tags, Way};
use osmpbf::{BlobDecode, BlobReader, Element, RelMemberType};
use rayon::prelude::*;
use std::io::Read;

/// Reads an OSM PBF stream. The error is a message without the path.
pub(crate) fn read_pbf<R: Read + Send>(input: R) -> Result<OsmData, String> {
    let mut blobs = Vec::new();
    for (index, blob) in BlobReader::new(input).enumerate() {
        blobs.push(blob.map_err(|e| format!("invalid PBF at blob {index}: {e}"))?);
    }
    if blobs.is_empty() {
        return Err("not an OSM PBF file: no blobs".to_string());
    }
    let parts: Vec<Result<OsmData, String>> = blobs
        .par_iter()
        .enumerate()
        .map(|(index, blob)| decode_blob(index, blob))
        .collect();
    let mut data = OsmData::default();
    for part in parts {
        data.extend(part?);
    }
    Ok(data)
}

/// Decodes one blob; header and unknown blobs give empty data.
fn decode_blob(index: usize, blob: &osmpbf::Blob) -> Result<OsmData, String> {
    let mut data = OsmData::default();
    let block = match blob
        .decode()
        .map_err(|e| format!("invalid PBF at blob {index}: {e}"))?
    {
        BlobDecode::OsmData(block) => block,
        BlobDecode::OsmHeader(header) => {
            if let Some(b) = header.bbox() {
                data.set_bounds([b.left, b.right], [b.top, b.bottom]);
            }
            return Ok(data);
        }
        BlobDecode::Unknown(_) => return Ok(data),
    };
    for element in block.elements() {
        match element {
            Element::Node(n) => {
                let tags = collect_tags(n.tags());
                data.push_node_checked(n.id(), n.decimicro_lon(), n.decimicro_lat(), tags);
            }
            Element::DenseNode(n) => {
                let tags = collect_tags(n.tags());
                data.push_node_checked(n.id(), n.decimicro_lon(), n.decimicro_lat(), tags);
            }
            Element::Way(w) => data.ways.push(Way {
                id: w.id(),
                refs: w.refs().collect(),
                tags: collect_tags(w.tags()),
            }),
            Element::Relation(r) => {
                let id = r.id();
                let members = relation_members(&r).ok_or_else(|| {
                    format!(
                        "invalid PBF at blob {index}: relation {id} has a member whose type is \
                         not node, way or relation"
                    )
                })?;
                data.relations.push(Relation {
                    id,
                    members,
                    tags: collect_tags(r.tags()),
                });
            }
        }
    }
    Ok(data)
}

/// The members of a relation, or None when one has an unknown member type.
///
/// osmpbf 0.3.8 unwraps the protobuf member type inside `RelMemberIter::next`
/// (`protobuf-3.7.2/src/enum_or_unknown.rs:52`) and offers no raw access to it,
/// so a corrupt type (found by fuzzing: type 8) can only be caught as a panic.
/// Catching it here, per relation, names the relation in the error instead of
/// failing the whole file with "the decoder failed".
fn relation_members(r: &osmpbf::Relation) -> Option<Vec<Member>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        r.members()
            .map(|m| Member {
                kind: match m.member_type {
                    RelMemberType::Node => MemberType::Node,
                    RelMemberType::Way => MemberType::Way,
                    RelMemberType::Relation => MemberType::Relation,
                },
                id: m.member_id,
                // A role that is not valid UTF-8 is read as no role.
                role: m.role().unwrap_or_default().to_string(),
            })
            .collect()
    }))
    .ok()
}

fn collect_tags<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Tags {
    Tags(tags.map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

impl OsmData {
    /// Adds a PBF node, rejecting out-of-range coordinates like the XML reader does.
    fn push_node_checked(&mut self, id: i64, lon: i32, lat: i32, tags: Tags) {
        if lon.unsigned_abs() > 1_800_000_000 || lat.unsigned_abs() > 900_000_000 {
            self.bad_nodes.push(id);
        } else {
            self.push_node(id, (lon, lat), tags);
        }
    }
}
