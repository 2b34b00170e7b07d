//! Top-K recommendation metrics: one user's ranked list against the items held out for them,
//! and list-level properties (coverage, diversity, novelty). Item ids are indices.

/// How many of the first `k` recommended items are relevant.
fn hits(recommended: &[usize], relevant: &[usize], k: usize) -> usize {
    recommended
        .iter()
        .take(k)
        .filter(|i| relevant.contains(i))
        .count()
}

/// Relevant items among the first `k` recommended, over `k`.
pub fn precision_at_k(recommended: &[usize], relevant: &[usize], k: usize) -> f64 {
    if k == 0 {
        return 0.0;
    }
    hits(recommended, relevant, k) as f64 / k as f64
}

/// Relevant items among the first `k` recommended, over all relevant items; `None` when there are
/// none.
pub fn recall_at_k(recommended: &[usize], relevant: &[usize], k: usize) -> Option<f64> {
    (!relevant.is_empty()).then(|| hits(recommended, relevant, k) as f64 / relevant.len() as f64)
}

/// 1 when any of the first `k` recommended items is relevant.
pub fn hit_at_k(recommended: &[usize], relevant: &[usize], k: usize) -> f64 {
    f64::from(u8::from(hits(recommended, relevant, k) > 0))
}

/// Binary-relevance NDCG@k: `DCG = Σ rel_i / log2(i + 2)` over positions `i < k`, divided by the
/// DCG of the ideal list (all relevant items first); `None` when there are no relevant items.
pub fn ndcg_at_k(recommended: &[usize], relevant: &[usize], k: usize) -> Option<f64> {
    if relevant.is_empty() {
        return None;
    }
    let gain = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let dcg: f64 = recommended
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, item)| relevant.contains(item))
        .map(|(i, _)| gain(i))
        .sum();
    let ideal: f64 = (0..k.min(relevant.len())).map(gain).sum();
    Some(dcg / ideal)
}

/// Share of the catalogue's `n_items` that appear in at least one list.
pub fn catalogue_coverage(lists: &[Vec<usize>], n_items: usize) -> f64 {
    if n_items == 0 {
        return 0.0;
    }
    let mut seen = vec![false; n_items];
    for i in lists.iter().flatten() {
        if let Some(s) = seen.get_mut(*i) {
            *s = true;
        }
    }
    seen.iter().filter(|s| **s).count() as f64 / n_items as f64
}

/// `1 − mean pairwise similarity` of a list; `None` for lists shorter than 2.
pub fn intra_list_diversity(
    list: &[usize],
    similarity: impl Fn(usize, usize) -> f64,
) -> Option<f64> {
    let mut sum = 0.0;
    let mut pairs = 0usize;
    for (a, i) in list.iter().enumerate() {
        for j in &list[a + 1..] {
            sum += similarity(*i, *j);
            pairs += 1;
        }
    }
    (pairs > 0).then(|| 1.0 - sum / pairs as f64)
}

/// Mean self-information `−log2 p(i)` of a list's items, `p` the share of users holding an item
/// (items nobody holds count as held by one user in `n_users`); `None` for an empty list.
pub fn novelty(list: &[usize], popularity: &[f64], n_users: usize) -> Option<f64> {
    if list.is_empty() {
        return None;
    }
    let floor = 1.0 / n_users.max(1) as f64;
    Some(
        list.iter()
            .map(|i| -popularity.get(*i).copied().unwrap_or(0.0).max(floor).log2())
            .sum::<f64>()
            / list.len() as f64,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_example() {
        // Recommended 3, 1, 7, 5, 2; relevant {1, 2, 9}.
        let rec = [3, 1, 7, 5, 2];
        let rel = [1, 2, 9];
        assert!((precision_at_k(&rec, &rel, 5) - 0.4).abs() < 1e-12);
        assert!((precision_at_k(&rec, &rel, 2) - 0.5).abs() < 1e-12);
        assert!((recall_at_k(&rec, &rel, 5).expect("rel") - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(hit_at_k(&rec, &rel, 1), 0.0);
        assert_eq!(hit_at_k(&rec, &rel, 2), 1.0);
        // DCG = 1/log2(3) + 1/log2(6) = 0.63093 + 0.38685 = 1.01778;
        // IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.13093 → 0.47762.
        let ndcg = ndcg_at_k(&rec, &rel, 5).expect("rel");
        assert!((ndcg - 0.477_62).abs() < 1e-5, "{ndcg}");
        assert_eq!(ndcg_at_k(&[1, 2], &[1, 2], 2), Some(1.0));
        assert_eq!(ndcg_at_k(&rec, &[], 5), None);
        assert_eq!(recall_at_k(&rec, &[], 5), None);
    }

    #[test]
    fn list_properties() {
        assert!((catalogue_coverage(&[vec![0, 1], vec![1, 2]], 6) - 0.5).abs() < 1e-12);
        // Pairs (0,1) 0.8, (0,2) 0.2, (1,2) 0.5 → 1 − 0.5 = 0.5.
        let sim = |a: usize, b: usize| match (a.min(b), a.max(b)) {
            (0, 1) => 0.8,
            (0, 2) => 0.2,
            _ => 0.5,
        };
        assert!((intra_list_diversity(&[0, 1, 2], sim).expect("pairs") - 0.5).abs() < 1e-12);
        assert_eq!(intra_list_diversity(&[0], sim), None);
        // −log2(0.5) = 1, −log2(0.25) = 2, unheld → −log2(1/8) = 3: mean 2.
        let n = novelty(&[0, 1, 2], &[0.5, 0.25, 0.0], 8).expect("list");
        assert!((n - 2.0).abs() < 1e-12);
    }
}
