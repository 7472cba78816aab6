//! Greedy maximal coverage: where should `count` new amenities go so that the
//! most homes get one within reach?
//!
//! Pure: the caller turns candidate locations into the homes each would bring
//! within reach (walking network, group speed and minutes); this module only
//! chooses. Greedy is the classic (1 − 1/e) approximation of maximal coverage.
//! It is evaluated lazily (CELF): a priority queue holds an upper bound of each
//! candidate's gain (its gain when last computed; gains only shrink as homes get
//! covered), and only the top candidate is re-evaluated, so a round usually
//! touches a handful of candidates instead of all of them.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// Gain of one candidate: the weights of its distinct homes not yet covered
/// (weight 1 for a home beyond `weights`).
fn gain(homes: &[u32], weights: &[u32], covered: &[bool]) -> u32 {
    let mut n: u32 = 0;
    let mut prev = None;
    for &h in homes {
        if prev == Some(h) {
            continue;
        }
        prev = Some(h);
        if !covered.get(h as usize).copied().unwrap_or(false) {
            n = n.saturating_add(weights.get(h as usize).copied().unwrap_or(1));
        }
    }
    n
}

fn cover(homes: &[u32], covered: &mut Vec<bool>) {
    for &h in homes {
        let h = h as usize;
        if h >= covered.len() {
            covered.resize(h + 1, false);
        }
        covered[h] = true;
    }
}

#[derive(PartialEq, Eq)]
struct Entry {
    bound: u32,
    candidate: Reverse<usize>,
    round: usize,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Largest bound first; on ties the lowest candidate index.
        self.bound
            .cmp(&other.bound)
            .then(self.candidate.cmp(&other.candidate))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Picks up to `count` candidates greedily.
///
/// `candidates[i]` lists the home indices candidate `i` would bring within reach,
/// sorted (duplicates are counted once). `already_covered[h]` is true for homes
/// already within reach; homes beyond its length count as not covered.
///
/// Each round takes the candidate with the largest gain in newly covered homes
/// (ties: the lowest index) and marks its homes covered; it stops early when no
/// candidate adds a home. Returns `(candidate index, homes gained)` in the
/// order picked. The result equals a naive greedy's.
///
/// # Examples
/// ```
/// use binnenstad::rules::suggest::greedy;
/// let candidates = vec![vec![0, 1], vec![1, 2, 3], vec![3]];
/// assert_eq!(greedy(&candidates, &[false; 4], 3), vec![(1, 3), (0, 1)]);
/// ```
pub fn greedy(
    candidates: &[Vec<u32>],
    already_covered: &[bool],
    count: usize,
) -> Vec<(usize, u32)> {
    greedy_weighted(candidates, &[], already_covered, count)
}

/// [`greedy`] where home `h` counts `weights[h]` (a building with its
/// dwellings; 1 beyond the slice): each round takes the candidate that brings
/// the most weight within reach. Returns `(candidate index, weight gained)`.
///
/// # Examples
/// ```
/// use binnenstad::rules::suggest::greedy_weighted;
/// // Home 3 is a block of 10 dwellings: one candidate reaching it beats two homes.
/// let candidates = vec![vec![0, 1], vec![3]];
/// assert_eq!(greedy_weighted(&candidates, &[1, 1, 1, 10], &[false; 4], 1), vec![(1, 10)]);
/// ```
pub fn greedy_weighted(
    candidates: &[Vec<u32>],
    weights: &[u32],
    already_covered: &[bool],
    count: usize,
) -> Vec<(usize, u32)> {
    let mut covered = already_covered.to_vec();
    let mut heap: BinaryHeap<Entry> = candidates
        .iter()
        .enumerate()
        .map(|(i, homes)| Entry {
            bound: gain(homes, weights, &covered),
            candidate: Reverse(i),
            round: 0,
        })
        .collect();
    let mut picked = Vec::with_capacity(count.min(candidates.len()));
    let mut round = 0;
    while picked.len() < count {
        let Some(top) = heap.pop() else { break };
        if top.bound == 0 {
            break; // every bound is 0: nothing left to gain
        }
        let i = top.candidate.0;
        let homes = &candidates[i];
        if top.round == round {
            // Fresh: no other candidate can beat it (their bounds are lower, or
            // equal with a higher index).
            cover(homes, &mut covered);
            picked.push((i, top.bound));
            round += 1;
        } else {
            heap.push(Entry {
                bound: gain(homes, weights, &covered),
                candidate: top.candidate,
                round,
            });
        }
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(candidates: &[Vec<u32>], already: &[bool], count: usize) -> Vec<(usize, u32)> {
        let mut covered = already.to_vec();
        let mut out = Vec::new();
        for _ in 0..count {
            let mut best: Option<(usize, u32)> = None;
            for (i, c) in candidates.iter().enumerate() {
                let g = gain(c, &[], &covered);
                if best.is_none_or(|(_, bg)| g > bg) {
                    best = Some((i, g));
                }
            }
            match best {
                Some((i, g)) if g > 0 => {
                    cover(&candidates[i], &mut covered);
                    out.push((i, g));
                }
                _ => break,
            }
        }
        out
    }

    fn covered_by(chosen: &[usize], candidates: &[Vec<u32>], already: &[bool]) -> u32 {
        let mut covered = already.to_vec();
        let mut n = 0;
        for &i in chosen {
            n += gain(&candidates[i], &[], &covered);
            cover(&candidates[i], &mut covered);
        }
        n
    }

    fn optimum(candidates: &[Vec<u32>], already: &[bool], count: usize) -> u32 {
        let n = candidates.len();
        let mut best = 0;
        for mask in 0u32..(1 << n) {
            if mask.count_ones() as usize > count {
                continue;
            }
            let chosen: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
            best = best.max(covered_by(&chosen, candidates, already));
        }
        best
    }

    #[test]
    fn lazy_greedy_equals_naive_and_is_near_optimal() {
        let mut rng = crate::synthetic::SplitMix64(42);
        let mut cases = 0;
        for _ in 0..400 {
            let homes = 1 + rng.below(20) as u32;
            let n = 1 + rng.below(9) as usize;
            let candidates: Vec<Vec<u32>> = (0..n)
                .map(|_| {
                    let k = rng.below(u64::from(homes) + 1);
                    let mut v: Vec<u32> =
                        (0..k).map(|_| rng.below(u64::from(homes)) as u32).collect();
                    v.sort_unstable();
                    v
                })
                .collect();
            let already: Vec<bool> = (0..homes).map(|_| rng.below(4) == 0).collect();
            let count = 1 + rng.below(4) as usize;
            let g = greedy(&candidates, &already, count);
            assert_eq!(g, naive(&candidates, &already, count));
            let total: u32 = g.iter().map(|x| x.1).sum();
            let chosen: Vec<usize> = g.iter().map(|x| x.0).collect();
            assert_eq!(total, covered_by(&chosen, &candidates, &already));
            let opt = optimum(&candidates, &already, count);
            assert!(
                f64::from(total) >= (1.0 - (-1.0f64).exp()) * f64::from(opt) - 1e-9,
                "greedy {total} < (1-1/e) x optimum {opt}"
            );
            cases += 1;
        }
        assert_eq!(cases, 400);
    }

    #[test]
    fn ties_go_to_the_lowest_index_and_zero_gain_stops() {
        let c = vec![vec![1, 2], vec![0, 1], vec![0, 1], vec![]];
        assert_eq!(greedy(&c, &[false; 3], 10), vec![(0, 2), (1, 1)]);
        assert_eq!(greedy(&c, &[true; 3], 10), vec![]);
        assert_eq!(greedy(&[], &[], 3), vec![]);
        // Duplicates count once; homes beyond already_covered count as uncovered.
        assert_eq!(greedy(&[vec![5, 5, 7]], &[false; 2], 1), vec![(0, 2)]);
    }
}
