//! Many buffered areas at once, each line's cells computed once.
//!
//! The coverage areas of a city are its street pieces within each
//! (kind, distance) of the amenities: on a large city most pieces are in
//! many areas (at 1M buildings 20 areas of 54k-78k pieces each), and computing
//! each segment's runs of cells again for every area was most of the stage.
//! Here the areas' rasters are grouped by lattice (cell size and origin, bit
//! for bit, [`Frame::same_lattice`]); on each lattice a line that two or more
//! areas hold has its cells worked out once, as merged runs per row, and
//! every area holding it sets those runs. A cell's fate depends only on the
//! segment, the radius and the lattice, a raster is the union of its
//! segments' cells, and the runs are cut to each raster's own extent as
//! marking it directly would cut them; so every area's mask, and so its
//! polygons, are those [`buffer_lines`](super::isochrone::buffer_lines) makes.
//!
//! Input: a table of lines and per area the indices of its lines (in the
//! order `buffer_lines` would get them). Output: per area what
//! `buffer_lines` returns for those lines.

use super::isochrone::{Frame, buffer_clusters, capsule_runs, mark_lines};
use geo::{LineString, MultiPolygon};
use rayon::prelude::*;
use std::collections::HashMap;

/// A run of set cells: row, first and last column.
type Run = (u32, u32, u32);

/// [`buffer_lines`](super::isochrone::buffer_lines) of every set's lines
/// (`sets[i]` indexes `lines`), in set order.
pub(crate) fn buffer_line_sets(
    lines: &[LineString<f64>],
    sets: &[Vec<u32>],
    buffer_m: f64,
) -> Vec<MultiPolygon<f64>> {
    if buffer_m.is_nan() || buffer_m <= 0.0 || !buffer_m.is_finite() {
        return sets.iter().map(|_| MultiPolygon(vec![])).collect();
    }
    // Per set: its clusters (as buffer_lines forms them, as indices into
    // `lines`) and their frames.
    let prepared: Vec<Vec<(Vec<u32>, Frame)>> = sets
        .par_iter()
        .map(|set| clusters(lines, set, buffer_m))
        .collect();
    // Lattices: the frames of all clusters grouped by lattice, each group's
    // frame as large as its largest; per group the lines in two or more of
    // its clusters, with their runs.
    let mut lattices: Vec<Frame> = Vec::new();
    let mut lattice_of: Vec<Vec<usize>> = Vec::with_capacity(prepared.len());
    for p in &prepared {
        lattice_of.push(
            p.iter()
                .map(
                    |(_, f)| match lattices.iter().position(|g| g.same_lattice(f)) {
                        Some(k) => {
                            lattices[k].cols = lattices[k].cols.max(f.cols);
                            lattices[k].rows = lattices[k].rows.max(f.rows);
                            k
                        }
                        None => {
                            lattices.push(*f);
                            lattices.len() - 1
                        }
                    },
                )
                .collect(),
        );
    }
    let cached: Vec<Cached> = lattices
        .iter()
        .enumerate()
        .map(|(k, frame)| {
            let mut uses: HashMap<u32, u32> = HashMap::new();
            for (p, ks) in prepared.iter().zip(&lattice_of) {
                for ((members, _), _) in p.iter().zip(ks).filter(|&(_, &kk)| kk == k) {
                    for &l in members {
                        *uses.entry(l).or_insert(0) += 1;
                    }
                }
            }
            let mut shared: Vec<u32> = uses
                .into_iter()
                .filter(|&(_, n)| n >= 2)
                .map(|(l, _)| l)
                .collect();
            shared.sort_unstable();
            Cached::new(frame, lines, shared, buffer_m)
        })
        .collect();
    prepared
        .par_iter()
        .zip(&lattice_of)
        .map(|(p, ks)| {
            MultiPolygon(
                p.iter()
                    .zip(ks)
                    .flat_map(|((members, frame), &k)| {
                        let mut mask = vec![false; frame.cols * frame.rows];
                        let cache = &cached[k];
                        let own = members.iter().filter_map(|&l| match cache.runs(l) {
                            Some(runs) => {
                                set_runs(&mut mask, frame, runs);
                                None
                            }
                            None => Some(&lines[l as usize]),
                        });
                        // Collected first: the closure above borrows the mask.
                        let own: Vec<&LineString<f64>> = own.collect();
                        mark_lines(&mut mask, frame, 0..frame.rows, own.into_iter(), buffer_m);
                        frame.polygons(&mut mask).0
                    })
                    .collect(),
            )
        })
        .collect()
}

/// A set's clusters as [`buffer_lines`](super::isochrone::buffer_lines)
/// forms them (one cluster of every line unless they fall apart into
/// several), with their frames; clusters without a finite extent are left
/// out (they buffer to nothing).
fn clusters(lines: &[LineString<f64>], set: &[u32], buffer_m: f64) -> Vec<(Vec<u32>, Frame)> {
    if set.is_empty() {
        return Vec::new();
    }
    let own: Vec<&LineString<f64>> = set.iter().map(|&l| &lines[l as usize]).collect();
    let mut groups = buffer_clusters(&own, buffer_m);
    if groups.len() <= 1 {
        groups = vec![(0..own.len()).collect()];
    }
    groups
        .into_iter()
        .filter_map(|g| {
            let frame = Frame::around(g.iter().map(|&i| own[i]), buffer_m)?;
            Some((g.into_iter().map(|i| set[i]).collect(), frame))
        })
        .collect()
}

/// The runs of the lines shared on one lattice, computed on its frame.
struct Cached {
    /// Line index -> its runs in `runs`.
    spans: HashMap<u32, (usize, usize)>,
    runs: Vec<Run>,
}

impl Cached {
    fn new(frame: &Frame, lines: &[LineString<f64>], shared: Vec<u32>, r: f64) -> Cached {
        let per_line: Vec<Vec<Run>> = shared
            .par_iter()
            .map(|&l| line_runs(frame, &lines[l as usize], r))
            .collect();
        let mut spans = HashMap::with_capacity(shared.len());
        let mut runs = Vec::with_capacity(per_line.iter().map(Vec::len).sum());
        for (&l, rs) in shared.iter().zip(per_line) {
            spans.insert(l, (runs.len(), runs.len() + rs.len()));
            runs.extend(rs);
        }
        Cached { spans, runs }
    }

    fn runs(&self, line: u32) -> Option<&[Run]> {
        self.spans.get(&line).map(|&(a, b)| &self.runs[a..b])
    }
}

/// The cells of one line's buffer on `frame`, as runs sorted by row and
/// column, overlapping and touching runs merged.
fn line_runs(frame: &Frame, line: &LineString<f64>, r: f64) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for seg in line.lines() {
        capsule_runs(
            frame.origin,
            frame.cell,
            frame.cols,
            0..frame.rows,
            seg,
            r,
            |row, c0, c1| runs.push((row as u32, c0 as u32, c1 as u32)),
        );
    }
    runs.sort_unstable();
    let mut merged: Vec<Run> = Vec::with_capacity(runs.len());
    for run in runs {
        match merged.last_mut() {
            Some(last) if last.0 == run.0 && run.1 <= last.2.saturating_add(1) => {
                last.2 = last.2.max(run.2);
            }
            _ => merged.push(run),
        }
    }
    merged
}

/// Sets runs computed on a larger frame of the same lattice, cut to `frame`.
fn set_runs(mask: &mut [bool], frame: &Frame, runs: &[Run]) {
    for &(row, c0, c1) in runs {
        let (row, c0) = (row as usize, c0 as usize);
        let c1 = (c1 as usize).min(frame.cols - 1);
        if row < frame.rows && c0 <= c1 {
            let at = row * frame.cols;
            mask[at + c0..=at + c1].fill(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::isochrone::buffer_lines;
    use crate::synthetic::SplitMix64;
    use geo::MultiLineString;

    /// Each set's area is bit for bit what `buffer_lines` makes of its lines:
    /// random streets in one or two towns, lines shared by several sets and
    /// lines of one set, sets on the same lattice and on others, sets
    /// without lines, lines given twice.
    #[test]
    fn shared_runs_match_buffer_lines() {
        let mut rng = SplitMix64(23);
        let mut shared_cases = 0;
        for case in 0..60 {
            let buffer = [30.0, 20.0, 12.5][case % 3];
            let towns = 1 + case % 2;
            let lines: Vec<LineString<f64>> = (0..1 + rng.below(80))
                .map(|_| {
                    let town = rng.below(towns as u64) as f64 * 5_000.0;
                    let mut x = town + rng.range(0.0, 800.0);
                    let mut y = rng.range(0.0, 600.0);
                    let pts: Vec<(f64, f64)> = (0..2 + rng.below(4))
                        .map(|_| {
                            x += rng.range(-60.0, 60.0);
                            y += rng.range(-60.0, 60.0);
                            (x, y)
                        })
                        .collect();
                    LineString::from(pts)
                })
                .collect();
            let n = lines.len() as u64;
            // Some lines in most sets, others in few.
            let popular: Vec<u32> = (0..n as u32).filter(|_| rng.below(2) == 0).collect();
            let sets: Vec<Vec<u32>> = (0..1 + rng.below(6))
                .map(|_| {
                    let mut set: Vec<u32> = popular
                        .iter()
                        .copied()
                        .filter(|_| rng.below(5) != 0)
                        .collect();
                    for _ in 0..rng.below(20) {
                        let at = rng.below(set.len() as u64 + 1) as usize;
                        set.insert(at, rng.below(n) as u32);
                    }
                    set
                })
                .collect();
            let got = buffer_line_sets(&lines, &sets, buffer);
            assert_eq!(got.len(), sets.len());
            for (set, area) in sets.iter().zip(&got) {
                let own = MultiLineString(set.iter().map(|&l| lines[l as usize].clone()).collect());
                assert_eq!(area, &buffer_lines(&own, buffer), "case {case}");
            }
            let frames: Vec<Frame> = sets
                .iter()
                .flat_map(|s| clusters(&lines, s, buffer))
                .map(|(_, f)| f)
                .collect();
            if frames
                .iter()
                .enumerate()
                .any(|(i, f)| frames[i + 1..].iter().any(|g| g.same_lattice(f) && g != f))
            {
                shared_cases += 1;
            }
        }
        // Frames of different extents shared a lattice: the cut runs were used.
        assert!(shared_cases >= 10, "{shared_cases}");
    }

    /// A line's merged runs set the cells its segments set one by one.
    #[test]
    fn merged_runs_set_what_the_segments_set() {
        let mut rng = SplitMix64(5);
        for case in 0..40 {
            let mut x = rng.range(0.0, 500.0);
            let mut y = rng.range(0.0, 500.0);
            let line: LineString<f64> = (0..2 + rng.below(12))
                .map(|_| {
                    x += rng.range(-80.0, 80.0);
                    y += rng.range(-80.0, 80.0);
                    (x, y)
                })
                .collect::<Vec<_>>()
                .into();
            let frame = Frame::around(std::iter::once(&line), 30.0).expect("finite line");
            let mut direct = vec![false; frame.cols * frame.rows];
            mark_lines(
                &mut direct,
                &frame,
                0..frame.rows,
                std::iter::once(&line),
                30.0,
            );
            let mut from_runs = vec![false; frame.cols * frame.rows];
            let runs = line_runs(&frame, &line, 30.0);
            assert!(runs.windows(2).all(|w| w[0] < w[1]));
            set_runs(&mut from_runs, &frame, &runs);
            assert!(direct.iter().any(|&c| c));
            assert_eq!(from_runs, direct, "case {case}");
        }
    }
}
