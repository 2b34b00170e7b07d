//! Time-ordered splits (and, for samples with no time order such as labelled sentences, a
//! [`stratified_split`]). Everything here works on *time indices*: positions in the sorted list of
//! distinct timestamps. Panel data (23 tokens a day) is split by day with [`rows_in`], so a day is
//! never in train for one token and in test for another.
//!
//! Labels look ahead (the next day's return is known one day later), so a training sample whose
//! label window reaches into the test period is *purged*, and an extra *embargo* gap can be left
//! on top (López de Prado, "Advances in Financial Machine Learning", ch. 7). With train always
//! before test, purging means ending train `label_horizon` steps before the test starts.

mod stratified;
mod walk_forward;

pub use stratified::{stratified_split, Stratified};
pub use walk_forward::PurgedWalkForward;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::LearnError;

/// Train and test periods as time-index ranges; train ends before test starts, with the gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fold {
    pub train: Range<usize>,
    pub test: Range<usize>,
}

/// The final hold-out: the last `test_size` times are kept for the one last evaluation; train is
/// everything before, less the purge (`label_horizon`) and the `embargo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldOut {
    pub test_size: usize,
    pub label_horizon: usize,
    pub embargo: usize,
}

impl HoldOut {
    pub fn split(&self, n_times: usize) -> Result<Fold, LearnError> {
        let gap = self.label_horizon + self.embargo;
        if self.test_size == 0 || n_times <= self.test_size + gap {
            return Err(LearnError::InvalidSplit(format!(
                "{n_times} times cannot hold a test period of {} plus a gap of {gap}",
                self.test_size
            )));
        }
        let test_start = n_times - self.test_size;
        Ok(Fold {
            train: 0..test_start - gap,
            test: test_start..n_times,
        })
    }
}

/// The rows whose time lies in `range` of the sorted distinct `times`.
pub fn rows_in<T: Ord>(row_times: &[T], times: &[T], range: &Range<usize>) -> Vec<usize> {
    if range.is_empty() || range.end > times.len() {
        return Vec::new();
    }
    let (first, last) = (&times[range.start], &times[range.end - 1]);
    row_times
        .iter()
        .enumerate()
        .filter(|(_, t)| *t >= first && *t <= last)
        .map(|(i, _)| i)
        .collect()
}

/// The sorted distinct times of the rows.
pub fn distinct_times<T: Ord + Clone>(row_times: &[T]) -> Vec<T> {
    let mut times = row_times.to_vec();
    times.sort();
    times.dedup();
    times
}

/// The folds of a learning curve: `fold`'s test period, trained on the most recent `fraction` of
/// its training times (at least `min_times`). The training end, and so the purge gap, never moves;
/// only older history is dropped. Sizes that round to the same range appear once.
pub fn learning_curve_folds(fold: &Fold, fractions: &[f64], min_times: usize) -> Vec<Fold> {
    let n = fold.train.len();
    let mut out: Vec<Fold> = Vec::new();
    for f in fractions {
        let keep = ((n as f64 * f.clamp(0.0, 1.0)).round() as usize).clamp(min_times.min(n), n);
        if keep == 0 {
            continue;
        }
        let candidate = Fold {
            train: fold.train.end - keep..fold.train.end,
            test: fold.test.clone(),
        };
        if !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learning_curve_folds_drop_old_history_only() {
        let fold = Fold {
            train: 0..100,
            test: 105..120,
        };
        let folds = learning_curve_folds(&fold, &[0.1, 0.5, 1.0, 1.0, 0.01], 5);
        let trains: Vec<_> = folds.iter().map(|f| f.train.clone()).collect();
        assert_eq!(trains, vec![90..100, 50..100, 0..100, 95..100]);
        assert!(folds.iter().all(|f| f.test == (105..120)));
    }

    #[test]
    fn hold_out_purges_and_embargoes_before_the_test_period() {
        let fold = HoldOut {
            test_size: 10,
            label_horizon: 1,
            embargo: 2,
        }
        .split(100)
        .unwrap();
        assert_eq!(
            fold,
            Fold {
                train: 0..87,
                test: 90..100
            }
        );
        // The last training sample (time 86) has its label at 87: before the test starts.
        let last_label_time = (fold.train.end - 1) + 1;
        assert!(last_label_time < fold.test.start);
        assert!(HoldOut {
            test_size: 10,
            label_horizon: 1,
            embargo: 0
        }
        .split(11)
        .is_err());
    }

    #[test]
    fn panel_rows_split_by_time_not_by_row() {
        let row_times = ["d1", "d1", "d2", "d3", "d3", "d4"];
        let times = distinct_times(&row_times);
        assert_eq!(times, ["d1", "d2", "d3", "d4"]);
        assert_eq!(rows_in(&row_times, &times, &(0..2)), vec![0, 1, 2]);
        assert_eq!(rows_in(&row_times, &times, &(2..4)), vec![3, 4, 5]);
        assert!(rows_in(&row_times, &times, &(2..2)).is_empty());
    }
}
