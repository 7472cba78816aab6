//! The raw OSM elements as read from a file, before any mapping.
//!
//! Both readers (XML and PBF) produce an [`OsmData`]. Coordinates are kept as
//! integer decimicrodegrees (1e-7°, the OSM database precision) so that the
//! XML and the PBF of the same data give bit-identical geometry.

use std::collections::HashMap;

/// Key/value tags of one element, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tags(pub Vec<(String, String)>);

impl Tags {
    /// The value of `key`, if tagged.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    /// True when `key` is tagged (any value).
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    /// True when `key` has exactly `value`.
    pub fn is(&self, key: &str, value: &str) -> bool {
        self.get(key) == Some(value)
    }
    /// True when there are no tags.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A node with tags (untagged nodes only live in [`OsmData::coords`]).
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub id: i64,
    /// Longitude, latitude in decimicrodegrees.
    pub coord: (i32, i32),
    pub tags: Tags,
}

/// A way: node references and tags.
#[derive(Debug, Clone)]
pub(crate) struct Way {
    pub id: i64,
    pub refs: Vec<i64>,
    pub tags: Tags,
}

/// The type of a relation member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MemberType {
    Node,
    Way,
    Relation,
}

/// One member of a relation.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub kind: MemberType,
    pub id: i64,
    pub role: String,
}

/// A relation: members and tags.
#[derive(Debug, Clone)]
pub(crate) struct Relation {
    pub id: i64,
    pub members: Vec<Member>,
    pub tags: Tags,
}

/// Everything read from one OSM file.
#[derive(Debug, Default)]
pub(crate) struct OsmData {
    /// Every node's location (lon, lat in decimicrodegrees), tagged or not.
    pub coords: HashMap<i64, (i32, i32)>,
    /// Nodes that carry tags.
    pub nodes: Vec<Node>,
    pub ways: Vec<Way>,
    pub relations: Vec<Relation>,
    /// Nodes dropped because their coordinates were not finite or out of range.
    pub bad_nodes: Vec<i64>,
    /// The extent the file says its data covers (XML `<bounds>`, the PBF
    /// header's bbox): west, south, east, north in degrees.
    pub bounds: Option<[f64; 4]>,
}

impl OsmData {
    /// Adds a node given in degrees; non-finite or out-of-range coordinates are
    /// recorded in `bad_nodes` instead (the node then counts as missing).
    pub fn push_node_degrees(&mut self, id: i64, lon: f64, lat: f64, tags: Tags) {
        match to_decimicro(lon, lat) {
            Some(coord) => self.push_node(id, coord, tags),
            None => self.bad_nodes.push(id),
        }
    }

    /// Adds a node given in decimicrodegrees.
    pub fn push_node(&mut self, id: i64, coord: (i32, i32), tags: Tags) {
        self.coords.insert(id, coord);
        if !tags.is_empty() {
            self.nodes.push(Node { id, coord, tags });
        }
    }

    /// Appends everything from `other` (used to merge PBF blocks read in parallel).
    pub fn extend(&mut self, other: OsmData) {
        self.coords.extend(other.coords);
        self.nodes.extend(other.nodes);
        self.ways.extend(other.ways);
        self.relations.extend(other.relations);
        self.bad_nodes.extend(other.bad_nodes);
        self.bounds = self.bounds.or(other.bounds);
    }

    /// Records the data's extent from two corners in degrees, when they are
    /// finite, in range and span an area.
    pub fn set_bounds(&mut self, lon: [f64; 2], lat: [f64; 2]) {
        let (w, e) = (lon[0].min(lon[1]), lon[0].max(lon[1]));
        let (s, n) = (lat[0].min(lat[1]), lat[0].max(lat[1]));
        let ok = [w, e, s, n].iter().all(|v| v.is_finite())
            && (-180.0..=180.0).contains(&w)
            && (-180.0..=180.0).contains(&e)
            && (-90.0..=90.0).contains(&s)
            && (-90.0..=90.0).contains(&n)
            && w < e
            && s < n;
        if ok && self.bounds.is_none() {
            self.bounds = Some([w, s, e, n]);
        }
    }

    /// Sorts elements by id so that later steps are independent of file order.
    pub fn sort(&mut self) {
        self.nodes.sort_by_key(|n| n.id);
        self.ways.sort_by_key(|w| w.id);
        self.relations.sort_by_key(|r| r.id);
        self.bad_nodes.sort_unstable();
    }

    /// The location of a node in degrees, if the node is present.
    pub fn coord(&self, id: i64) -> Option<(f64, f64)> {
        self.coords.get(&id).map(|&c| from_decimicro(c))
    }
}

/// Degrees to decimicrodegrees, rejecting NaN, infinities and out-of-range values.
pub(crate) fn to_decimicro(lon: f64, lat: f64) -> Option<(i32, i32)> {
    if !(lon.is_finite() && lat.is_finite()) || lon.abs() > 180.0 || lat.abs() > 90.0 {
        return None;
    }
    // In range by the check above, so the casts cannot saturate.
    Some(((lon * 1e7).round() as i32, (lat * 1e7).round() as i32))
}

/// Decimicrodegrees to degrees.
pub(crate) fn from_decimicro(c: (i32, i32)) -> (f64, f64) {
    (f64::from(c.0) / 1e7, f64::from(c.1) / 1e7)
}
