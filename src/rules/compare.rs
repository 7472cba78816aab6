//! Verdict changes between two scenarios.
//!
//! Buildings are matched by their stable id, never by position, so buildings
//! added or removed between the scenarios show up with `None` on one side.

use super::suitability::Verdict;
use serde::Serialize;
use std::collections::BTreeMap;

/// The verdicts of one building per group: `(building id, [(group, verdict)])`.
pub type BuildingVerdicts = (String, Vec<(String, Verdict)>);

/// One building and group whose verdict differs between scenario A and B.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct VerdictChange {
    /// The building's stable id.
    pub building_id: String,
    /// The doelgroep's key.
    pub group: String,
    /// Verdict in A (`None`: the building or group is not in A).
    pub before: Option<Verdict>,
    /// Verdict in B (`None`: the building or group is not in B).
    pub after: Option<Verdict>,
}

/// Every (building, group) whose verdict differs between `a` and `b`, sorted
/// by building id, then group. When an id occurs twice on one side, the last
/// occurrence wins.
pub fn verdict_changes(a: &[BuildingVerdicts], b: &[BuildingVerdicts]) -> Vec<VerdictChange> {
    fn table(side: &[BuildingVerdicts]) -> BTreeMap<(&str, &str), Verdict> {
        let mut t = BTreeMap::new();
        for (id, per_group) in side {
            for (g, v) in per_group {
                t.insert((id.as_str(), g.as_str()), *v);
            }
        }
        t
    }
    let (ta, tb) = (table(a), table(b));
    let mut keys: Vec<&(&str, &str)> = ta.keys().chain(tb.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (before, after) = (ta.get(k).copied(), tb.get(k).copied());
            (before != after).then(|| VerdictChange {
                building_id: k.0.to_string(),
                group: k.1.to_string(),
                before,
                after,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Verdict::*;

    fn side(rows: &[(&str, &[(&str, Verdict)])]) -> Vec<BuildingVerdicts> {
        rows.iter()
            .map(|(id, g)| {
                (
                    id.to_string(),
                    g.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn changes_are_keyed_by_id_and_sorted() {
        let a = side(&[
            ("b2", &[("gezinnen", Ongeschikt), ("starters", Geschikt)]),
            ("b1", &[("gezinnen", Voorwaardelijk)]),
            ("gone", &[("starters", Geschikt)]),
        ]);
        let b = side(&[
            ("new", &[("starters", Voorwaardelijk)]),
            ("b1", &[("gezinnen", Voorwaardelijk)]),
            ("b2", &[("gezinnen", Geschikt), ("starters", Geschikt)]),
        ]);
        let c = verdict_changes(&a, &b);
        let got: Vec<(&str, &str, Option<Verdict>, Option<Verdict>)> = c
            .iter()
            .map(|x| (x.building_id.as_str(), x.group.as_str(), x.before, x.after))
            .collect();
        assert_eq!(
            got,
            vec![
                ("b2", "gezinnen", Some(Ongeschikt), Some(Geschikt)),
                ("gone", "starters", Some(Geschikt), None),
                ("new", "starters", None, Some(Voorwaardelijk)),
            ]
        );
        assert!(verdict_changes(&a, &a).is_empty());
    }
}
