//! Grid search over hyperparameters on time-ordered folds: every candidate is scored on every
//! fold (fitted on the fold's train period, scored on its test period, by the caller's
//! `evaluate`), and candidates are ranked by their mean score. The hold-out is never touched.

use serde::{Deserialize, Serialize};

use crate::split::Fold;

/// One candidate's scores (higher is better).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridResult<P> {
    pub params: P,
    pub fold_scores: Vec<f64>,
    pub mean: f64,
    pub std: f64,
}

/// Scores every candidate on every fold and returns them best first. A candidate whose
/// evaluation fails on any fold (`None`, e.g. a model that did not converge) is ranked last with
/// a mean of −∞ rather than dropped, so the caller sees it.
pub fn grid_search<P: Clone>(
    candidates: &[P],
    folds: &[Fold],
    evaluate: impl Fn(&P, &Fold) -> Option<f64>,
) -> Vec<GridResult<P>> {
    let mut results: Vec<GridResult<P>> = candidates
        .iter()
        .map(|params| {
            let scores: Option<Vec<f64>> =
                folds.iter().map(|fold| evaluate(params, fold)).collect();
            match scores {
                Some(fold_scores) if !fold_scores.is_empty() => {
                    let n = fold_scores.len() as f64;
                    let mean = fold_scores.iter().sum::<f64>() / n;
                    let std =
                        (fold_scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n).sqrt();
                    GridResult {
                        params: params.clone(),
                        fold_scores,
                        mean,
                        std,
                    }
                }
                _ => GridResult {
                    params: params.clone(),
                    fold_scores: Vec::new(),
                    mean: f64::NEG_INFINITY,
                    std: 0.0,
                },
            }
        })
        .collect();
    results.sort_by(|a, b| b.mean.total_cmp(&a.mean));
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::split::PurgedWalkForward;

    #[test]
    fn ranks_candidates_by_their_mean_fold_score() {
        let folds = PurgedWalkForward {
            n_folds: 3,
            test_size: 10,
            label_horizon: 1,
            embargo: 0,
            min_train: 5,
        }
        .folds(50)
        .unwrap();
        // The score peaks at alpha = 2; each fold adds its test start so scores differ by fold.
        let evaluate = |alpha: &f64, fold: &Fold| {
            (*alpha >= 0.0).then(|| -(alpha - 2.0).powi(2) + fold.test.start as f64 / 100.0)
        };
        let results = grid_search(&[0.5, 2.0, 4.0, -1.0], &folds, evaluate);
        assert_eq!(results[0].params, 2.0);
        assert_eq!(results[0].fold_scores.len(), 3);
        assert!((results[0].mean - 0.3).abs() < 1e-12, "{}", results[0].mean);
        assert!(results[0].std > 0.0);
        assert_eq!(results[3].params, -1.0);
        assert_eq!(results[3].mean, f64::NEG_INFINITY);
    }
}
