//! Purged walk-forward cross-validation.

use serde::{Deserialize, Serialize};

use super::Fold;
use crate::LearnError;

/// `n_folds` consecutive test blocks of `test_size` times at the end of the series; each fold
/// trains on everything before its block (an expanding window) less the purge and the embargo.
/// Folds whose training period would be shorter than `min_train` are an error, not silently
/// dropped: the caller chooses fewer or smaller folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgedWalkForward {
    pub n_folds: usize,
    pub test_size: usize,
    pub label_horizon: usize,
    pub embargo: usize,
    pub min_train: usize,
}

impl PurgedWalkForward {
    pub fn folds(&self, n_times: usize) -> Result<Vec<Fold>, LearnError> {
        let gap = self.label_horizon + self.embargo;
        let tested = self.n_folds * self.test_size;
        if self.n_folds == 0 || self.test_size == 0 || tested > n_times {
            return Err(LearnError::InvalidSplit(format!(
                "{} folds of {} do not fit in {n_times} times",
                self.n_folds, self.test_size
            )));
        }
        let first_test = n_times - tested;
        if first_test < gap + self.min_train.max(1) {
            return Err(LearnError::InvalidSplit(format!(
                "the first fold would train on {} times, fewer than the minimum {}",
                first_test.saturating_sub(gap),
                self.min_train.max(1)
            )));
        }
        Ok((0..self.n_folds)
            .map(|k| {
                let start = first_test + k * self.test_size;
                Fold {
                    train: 0..start - gap,
                    test: start..start + self.test_size,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_tile_the_end_without_overlap_and_respect_the_gap() {
        let cv = PurgedWalkForward {
            n_folds: 4,
            test_size: 50,
            label_horizon: 1,
            embargo: 5,
            min_train: 100,
        };
        let folds = cv.folds(500).unwrap();
        assert_eq!(folds.len(), 4);
        assert_eq!(
            folds[0],
            Fold {
                train: 0..294,
                test: 300..350
            }
        );
        assert_eq!(
            folds[3],
            Fold {
                train: 0..444,
                test: 450..500
            }
        );
        for (k, f) in folds.iter().enumerate() {
            // Train ends label_horizon + embargo before test; tests do not overlap each other.
            assert_eq!(f.test.start - f.train.end, 6);
            if k > 0 {
                assert_eq!(folds[k - 1].test.end, f.test.start);
            }
            assert!(f.train.end <= f.test.start);
        }
    }

    #[test]
    fn too_little_history_is_an_error() {
        let cv = PurgedWalkForward {
            n_folds: 5,
            test_size: 50,
            label_horizon: 1,
            embargo: 0,
            min_train: 100,
        };
        assert!(
            cv.folds(300).is_err(),
            "the first fold would train on 49 times"
        );
        assert!(cv.folds(200).is_err(), "the folds do not fit");
        assert!(cv.folds(351).is_ok());
    }
}
