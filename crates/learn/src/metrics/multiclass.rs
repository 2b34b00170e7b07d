//! Single-label multi-class metrics: the confusion matrix, accuracy, per-class precision, recall
//! and F1, and macro F1 (the unweighted mean over classes, so a rare class counts as much as a
//! common one), with 95% bootstrap intervals over the evaluated samples.

use serde::{Deserialize, Serialize};

use super::check;
use crate::ci::{BlockBootstrap, Interval};
use crate::LearnError;

/// `matrix[actual][predicted]` counts for `classes` classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    pub matrix: Vec<Vec<u64>>,
}

impl ConfusionMatrix {
    pub fn new(predicted: &[usize], actual: &[usize], classes: usize) -> ConfusionMatrix {
        let mut matrix = vec![vec![0u64; classes]; classes];
        for (p, a) in predicted.iter().zip(actual) {
            if *p < classes && *a < classes {
                matrix[*a][*p] += 1;
            }
        }
        ConfusionMatrix { matrix }
    }

    pub fn n(&self) -> u64 {
        self.matrix.iter().flatten().sum()
    }

    pub fn accuracy(&self) -> Option<f64> {
        let n = self.n();
        let correct: u64 = (0..self.matrix.len()).map(|c| self.matrix[c][c]).sum();
        (n > 0).then(|| correct as f64 / n as f64)
    }

    /// Precision, recall and F1 of class `c`; `None` where undefined (nothing predicted as `c`,
    /// no sample of `c`).
    pub fn class(&self, c: usize) -> ClassScores {
        let tp = self.matrix[c][c] as f64;
        let predicted: u64 = self.matrix.iter().map(|row| row[c]).sum();
        let actual: u64 = self.matrix[c].iter().sum();
        let precision = (predicted > 0).then(|| tp / predicted as f64);
        let recall = (actual > 0).then(|| tp / actual as f64);
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            (Some(_), Some(_)) => Some(0.0),
            // A class never predicted but present scores F1 0 (scikit-learn's zero_division=0).
            (None, Some(_)) => Some(0.0),
            _ => None,
        };
        ClassScores {
            precision,
            recall,
            f1,
            support: actual,
        }
    }

    /// The mean F1 over the classes present in the truth.
    pub fn macro_f1(&self) -> Option<f64> {
        let f1: Vec<f64> = (0..self.matrix.len())
            .filter_map(|c| self.class(c).f1)
            .collect();
        (!f1.is_empty()).then(|| f1.iter().sum::<f64>() / f1.len() as f64)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// Samples of the class in the truth.
    pub support: u64,
}

/// Everything reported for a multi-class classifier on one evaluation set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiClassMetrics {
    pub confusion: ConfusionMatrix,
    pub accuracy: Interval,
    pub macro_f1: Interval,
    pub per_class: Vec<ClassScores>,
}

impl MultiClassMetrics {
    /// Metrics of `predicted` against `actual` (class indices below `classes`); the intervals are
    /// a plain bootstrap over samples (`bootstrap.block` should be 1 for independent texts).
    pub fn compute(
        predicted: &[usize],
        actual: &[usize],
        classes: usize,
        bootstrap: &BlockBootstrap,
    ) -> Result<MultiClassMetrics, LearnError> {
        check(predicted, actual)?;
        let resampled = |idx: &[usize]| {
            let p: Vec<usize> = idx.iter().map(|i| predicted[*i]).collect();
            let a: Vec<usize> = idx.iter().map(|i| actual[*i]).collect();
            ConfusionMatrix::new(&p, &a, classes)
        };
        let undefined = || LearnError::Model("no defined metric on these samples".into());
        let accuracy = bootstrap
            .interval(actual.len(), |idx| resampled(idx).accuracy())
            .ok_or_else(undefined)?;
        let macro_f1 = bootstrap
            .interval(actual.len(), |idx| resampled(idx).macro_f1())
            .ok_or_else(undefined)?;
        let confusion = ConfusionMatrix::new(predicted, actual, classes);
        let per_class = (0..classes).map(|c| confusion.class(c)).collect();
        Ok(MultiClassMetrics {
            confusion,
            accuracy,
            macro_f1,
            per_class,
        })
    }
}

#[cfg(test)]
mod tests {
    use approx::assert_relative_eq;

    use super::*;

    #[test]
    fn by_hand() {
        // actual:    0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        let m = ConfusionMatrix::new(&[0, 0, 1, 1, 2, 2], &[0, 0, 0, 1, 1, 2], 3);
        assert_eq!(m.matrix, vec![vec![2, 1, 0], vec![0, 1, 1], vec![0, 0, 1]]);
        assert_relative_eq!(m.accuracy().unwrap_or(0.0), 4.0 / 6.0);
        // Class 0: P 1, R 2/3, F1 0.8; class 1: P 1/2, R 1/2, F1 1/2; class 2: P 1/2, R 1, F1 2/3.
        let c0 = m.class(0);
        assert_eq!((c0.precision, c0.support), (Some(1.0), 3));
        assert_relative_eq!(c0.f1.unwrap_or(0.0), 0.8, epsilon = 1e-12);
        assert_relative_eq!(
            m.macro_f1().unwrap_or(0.0),
            (0.8 + 0.5 + 2.0 / 3.0) / 3.0,
            epsilon = 1e-12
        );
        // A class that is present but never predicted scores 0, not undefined.
        let never = ConfusionMatrix::new(&[0, 0], &[0, 1], 2);
        assert_eq!(never.class(1).f1, Some(0.0));
        assert_relative_eq!(never.macro_f1().unwrap_or(0.0), (2.0 / 3.0) / 2.0);
    }

    #[test]
    fn intervals_contain_the_estimate() {
        let actual: Vec<usize> = (0..300).map(|i| i % 3).collect();
        let predicted: Vec<usize> = actual
            .iter()
            .enumerate()
            .map(|(i, a)| if i % 4 == 0 { (a + 1) % 3 } else { *a })
            .collect();
        let b = BlockBootstrap {
            block: 1,
            resamples: 400,
            seed: 1,
        };
        let m = MultiClassMetrics::compute(&predicted, &actual, 3, &b).expect("metrics");
        assert_relative_eq!(m.accuracy.estimate, 0.75);
        assert!(
            m.accuracy.low < 0.75 && m.accuracy.high > 0.75,
            "{:?}",
            m.accuracy
        );
        assert!(m.macro_f1.low <= m.macro_f1.estimate && m.macro_f1.estimate <= m.macro_f1.high);
        assert!(MultiClassMetrics::compute(&[0], &[0, 1], 2, &b).is_err());
    }
}
