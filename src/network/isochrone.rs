//! Isochrones: the street pieces within walking distance of one point, per band,
//! and their buffered, dissolved area.
//!
//! Pieces are exact: an edge is cut where the remaining distance runs out, from
//! either end and, on the start edge, both ways from the start point. The area
//! is the union of round buffers around the pieces (geo's `Buffer`, i_overlay
//! underneath), with a coarse arc step (about 4 segments per quarter circle) to
//! keep the dissolve fast.

use super::graph::WalkNetwork;
use super::reach::{QueryError, search_from};
use super::search::Tree;
use super::snap::Snap;
use geo::algorithm::buffer::{BufferStyle, LineCap, LineJoin};
use geo::{Buffer, LineString, MultiLineString, MultiPolygon, Point};

/// One isochrone band.
#[derive(Debug, Clone, PartialEq)]
pub struct IsoBand {
    /// The band's walking distance (m).
    pub max_m: f64,
    /// The reachable street pieces (partial edges included).
    pub segments: MultiLineString<f64>,
    /// The pieces buffered by `buffer_m` and dissolved.
    pub area: MultiPolygon<f64>,
}

/// Reachable pieces `(edge, from offset, to offset)` within `max` metres, given
/// a search tree and the point sources `(snap, distance at the snap point)`
/// whose own edges are also walked from the point both ways. Sorted by edge.
pub(crate) fn reachable_pieces(
    net: &WalkNetwork,
    tree: &Tree,
    points: &[(Snap, f64)],
    max: f64,
) -> Vec<(u32, f64, f64)> {
    let mut by_edge: Vec<(u32, f64, f64)> = points
        .iter()
        .map(|(s, d)| (s.edge, s.offset_m, *d))
        .collect();
    by_edge.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out = Vec::new();
    let mut iv: Vec<(f64, f64)> = Vec::new();
    let mut k = 0;
    for e in 0..net.edge_count() {
        iv.clear();
        let len = net.edge_len[e];
        let da = tree.dist[net.edge_from[e] as usize];
        let db = tree.dist[net.edge_to[e] as usize];
        if da <= max {
            iv.push((0.0, (max - da).min(len)));
        }
        if db <= max {
            iv.push(((len - (max - db)).max(0.0), len));
        }
        while k < by_edge.len() && (by_edge[k].0 as usize) < e {
            k += 1;
        }
        let mut j = k;
        while j < by_edge.len() && by_edge[j].0 as usize == e {
            let (_, off, d) = by_edge[j];
            if d <= max {
                let r = max - d;
                iv.push(((off - r).max(0.0), (off + r).min(len)));
            }
            j += 1;
        }
        if iv.is_empty() {
            continue;
        }
        iv.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut cur = iv[0];
        for &(a, b) in &iv[1..] {
            if a <= cur.1 {
                cur.1 = cur.1.max(b);
            } else {
                out.push((e as u32, cur.0, cur.1));
                cur = (a, b);
            }
        }
        out.push((e as u32, cur.0, cur.1));
    }
    out
}

/// Pieces as lines (zero-length pieces, at a node, are left out).
pub(crate) fn pieces_to_lines(
    net: &WalkNetwork,
    pieces: &[(u32, f64, f64)],
) -> MultiLineString<f64> {
    MultiLineString(
        pieces
            .iter()
            .filter(|p| p.2 > p.1)
            .map(|&(e, a, b)| LineString(net.edge_slice(e, a, b)))
            .filter(|l| l.0.len() >= 2)
            .collect(),
    )
}

/// Round buffer of the lines, dissolved; empty for no lines or a non-positive width.
pub(crate) fn buffer_lines(lines: &MultiLineString<f64>, buffer_m: f64) -> MultiPolygon<f64> {
    if lines.0.is_empty() || buffer_m.is_nan() || buffer_m <= 0.0 || !buffer_m.is_finite() {
        return MultiPolygon(vec![]);
    }
    let style = BufferStyle::new(buffer_m)
        .line_join(LineJoin::Round(0.4))
        .line_cap(LineCap::Round(0.4));
    lines.buffer_with_style(style)
}

/// The street network within each walking distance band of a point.
///
/// `from` is in the working CRS; its connector to the network counts towards
/// the distance. Bands are walking distances in metres (the caller converts
/// minutes with [`Doelgroep::reach_m`](crate::scenario::Doelgroep::reach_m)),
/// returned in the order given; `buffer_m` is the half-width of the area
/// around the reachable pieces.
///
/// # Units
/// Metres.
pub fn isochrone(
    net: &WalkNetwork,
    from: Point<f64>,
    bands_m: &[f64],
    buffer_m: f64,
    max_connector_m: f64,
) -> Result<Vec<IsoBand>, QueryError> {
    let limit = bands_m
        .iter()
        .copied()
        .filter(|b| b.is_finite())
        .fold(0.0, f64::max);
    let (o, tree) = search_from(net, from, max_connector_m, limit, false)?;
    Ok(bands_m
        .iter()
        .map(|&max_m| {
            let pieces = if max_m.is_finite() && max_m >= 0.0 {
                reachable_pieces(net, &tree, &[(o, o.connector_m)], max_m)
            } else {
                Vec::new()
            };
            let segments = pieces_to_lines(net, &pieces);
            let area = buffer_lines(&segments, buffer_m);
            IsoBand {
                max_m,
                segments,
                area,
            }
        })
        .collect())
}
