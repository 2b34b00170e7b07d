//! Permutation importance (Breiman 2001; scikit-learn's `permutation_importance`): how much a
//! fitted model's score drops when one feature's values are shuffled across the evaluation rows.
//! Works for any model: the caller passes a function scoring a feature table.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// One feature's importance: the mean and standard deviation of the score drop over the repeats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Importance {
    pub feature: usize,
    pub mean_drop: f64,
    pub std_drop: f64,
}

/// `columns` is the evaluation table, one `Vec` per feature; `score` evaluates the fitted model on
/// a table (higher is better). Each feature is shuffled `n_repeats` times with a seeded RNG.
pub fn permutation_importance(
    columns: &[Vec<f64>],
    n_repeats: usize,
    seed: u64,
    score: impl Fn(&[Vec<f64>]) -> f64,
) -> Vec<Importance> {
    let base = score(columns);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut table = columns.to_vec();
    (0..columns.len())
        .map(|j| {
            let drops: Vec<f64> = (0..n_repeats.max(1))
                .map(|_| {
                    table[j].shuffle(&mut rng);
                    let drop = base - score(&table);
                    table[j].clone_from(&columns[j]);
                    drop
                })
                .collect();
            let n = drops.len() as f64;
            let mean = drops.iter().sum::<f64>() / n;
            let var = drops.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n;
            Importance {
                feature: j,
                mean_drop: mean,
                std_drop: var.sqrt(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feature_the_model_reads_matters_and_the_other_does_not() {
        // The "model" predicts y = x0; x1 is noise it ignores. Score = −MSE.
        let x0: Vec<f64> = (0..200).map(|i| (i as f64 * 0.37).sin()).collect();
        let x1: Vec<f64> = (0..200).map(|i| (i as f64 * 1.3).cos()).collect();
        let y = x0.clone();
        let score = |t: &[Vec<f64>]| {
            -t[0]
                .iter()
                .zip(&y)
                .map(|(p, y)| (p - y).powi(2))
                .sum::<f64>()
                / y.len() as f64
        };
        let imp = permutation_importance(&[x0, x1], 5, 3, score);
        assert!(imp[0].mean_drop > 0.5, "{imp:?}");
        assert_eq!(imp[1].mean_drop, 0.0);
        assert_eq!(imp[1].std_drop, 0.0);
    }
}
