//! Splitting the labs of a workshop across N CI jobs: longest lab first onto
//! the least loaded shard (ties: the lower shard), by recorded durations.
//! Deterministic, so every job computes the same split on its own.

use crate::durations::Durations;
use crate::error::Error;
use crate::model::Lab;

/// For each shard (0-based), the indices of its units, in their original order.
pub fn assign(estimates_ms: &[u64], shards: usize) -> Vec<Vec<usize>> {
    let shards = shards.max(1);
    let mut order: Vec<usize> = (0..estimates_ms.len()).collect();
    // Longest first; equal estimates keep their original order.
    order.sort_by(|&a, &b| estimates_ms[b].cmp(&estimates_ms[a]).then(a.cmp(&b)));
    let mut load = vec![0u64; shards];
    let mut out = vec![Vec::new(); shards];
    for i in order {
        let (s, _) = load
            .iter()
            .enumerate()
            .min_by_key(|(s, l)| (**l, *s))
            .expect("at least one shard");
        load[s] = load[s].saturating_add(estimates_ms[i]);
        out[s].push(i);
    }
    for units in &mut out {
        units.sort_unstable();
    }
    out
}

/// Parses `K/N` (1 ≤ K ≤ N ≤ [`crate::limits::MAX_SHARDS`]).
pub fn parse(spec: &str) -> Option<(usize, usize)> {
    let (k, n) = spec.split_once('/')?;
    let (k, n): (usize, usize) = (k.trim().parse().ok()?, n.trim().parse().ok()?);
    (k >= 1 && k <= n && n <= crate::limits::MAX_SHARDS).then_some((k, n))
}

/// `--shard K/N`: the labs of shard K (each with its place in the whole
/// run), split by their expected run time ([`crate::timing`]), and the
/// shard's label `K/N`.
pub fn pick(
    spec: &str,
    labs: Vec<(usize, Lab)>,
    recorded: &Durations,
) -> Result<(Vec<(usize, Lab)>, String), Error> {
    let (k, n) =
        parse(spec).ok_or_else(|| Error::Usage(crate::msg!("run-bad-shard", shard = spec)))?;
    let estimates: Vec<u64> = labs
        .iter()
        .map(|(_, l)| crate::timing::lab_expected(&l.pages, recorded))
        .collect();
    let mine = &assign(&estimates, n)[k - 1];
    let labs = labs
        .into_iter()
        .enumerate()
        .filter(|(i, _)| mine.contains(i))
        .map(|(_, u)| u)
        .collect();
    Ok((labs, format!("{k}/{n}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn longest_first_onto_least_loaded() {
        let s = assign(&[10, 50, 30, 30, 5], 2);
        // 50 → 0; 30 → 1; 30 → 1 (30 < 50); 10 → 0 (50 < 60); 5 → 0 (60 = 60: the lower shard).
        assert_eq!(s, vec![vec![0, 1, 4], vec![2, 3]]);
    }

    #[test]
    fn specs_parse() {
        assert_eq!(parse("2/3"), Some((2, 3)));
        assert_eq!(parse("0/3"), None);
        assert_eq!(parse("4/3"), None);
        assert_eq!(parse("x"), None);
        assert_eq!(parse("1000/1000"), Some((1000, 1000)));
        assert_eq!(parse("1/1001"), None);
        assert_eq!(parse("1/18446744073709551615"), None);
    }

    #[test]
    fn a_shard_keeps_its_labs_places_in_the_whole_run() {
        use crate::run::select::test_lab;
        let blocks = |n: usize| "```bash\n$ true\n```\n\n".repeat(n);
        // Guessed durations: a second a block.
        let labs: Vec<(usize, Lab)> = [("a", 1), ("b", 3), ("c", 2)]
            .iter()
            .enumerate()
            .map(|(i, (id, n))| {
                let rel = format!("{id}/index.md");
                (
                    i,
                    test_lab(id, "en", &[(rel.as_str(), blocks(*n).as_str())]),
                )
            })
            .collect();
        let recorded = Durations::default();
        let ids = |(labs, label): (Vec<(usize, Lab)>, String)| {
            let ids: Vec<(usize, String)> = labs.into_iter().map(|(i, l)| (i, l.id)).collect();
            (ids, label)
        };
        // b (3 s) → 1; c (2 s) → 2; a (1 s) → 2.
        let first = ids(pick("1/2", labs.clone(), &recorded).unwrap());
        assert_eq!(first, (vec![(1, "b".to_owned())], "1/2".to_owned()));
        let second = ids(pick(" 2 / 2 ", labs.clone(), &recorded).unwrap());
        assert_eq!(second.0, [(0, "a".to_owned()), (2, "c".to_owned())]);
        assert_eq!(second.1, "2/2");
        match pick("3/2", labs, &recorded) {
            Err(Error::Usage(m)) => assert_eq!(m.id, "run-bad-shard"),
            other => panic!("{other:?}"),
        }
    }

    proptest! {
        #[test]
        fn every_unit_lands_on_exactly_one_shard(est in proptest::collection::vec(0u64..10_000, 0..40), n in 1usize..8) {
            let s = assign(&est, n);
            let mut all: Vec<usize> = s.iter().flatten().copied().collect();
            all.sort_unstable();
            prop_assert_eq!(all, (0..est.len()).collect::<Vec<_>>());
            // The split is balanced: no shard exceeds the ideal by more than the largest unit.
            let total: u64 = est.iter().sum();
            let max = est.iter().copied().max().unwrap_or(0);
            for units in &s {
                let load: u64 = units.iter().map(|&i| est[i]).sum();
                prop_assert!(load <= total / n as u64 + max);
            }
        }
    }
}
