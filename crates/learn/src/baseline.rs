//! The naive forecasts every model is shown beside, and whether a model beats one.

use serde::{Deserialize, Serialize};

use crate::ci::{BlockBootstrap, Interval};

/// Tomorrow's close = today's close (a random walk's best guess).
pub fn persistence_close(close_today: &[f64]) -> Vec<f64> {
    close_today.to_vec()
}

/// Tomorrow's log return = 0 (persistence of the price, stated as a return).
pub fn zero_return(n: usize) -> Vec<f64> {
    vec![0.0; n]
}

/// "Up" every day.
pub fn always_up(n: usize) -> Vec<bool> {
    vec![true; n]
}

/// The most frequent class in the training labels (ties go to "up").
pub fn majority_class(train_labels: &[bool]) -> bool {
    let ups = train_labels.iter().filter(|l| **l).count();
    ups * 2 >= train_labels.len()
}

/// Whether a model beats a baseline on the same test samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Better, and the 95% interval of the difference excludes zero.
    Beats,
    /// Better on the point estimate, but the interval includes zero.
    Inconclusive,
    /// Not better: equal or worse.
    DoesNotBeat,
}

/// Compares a model with a baseline by the paired block-bootstrap interval of the difference of a
/// metric (`model − baseline` over the same resampled indices). `higher_is_better` says which
/// way is good (accuracy: true; RMSE: false).
pub fn compare(
    n: usize,
    bootstrap: &BlockBootstrap,
    higher_is_better: bool,
    model: impl Fn(&[usize]) -> Option<f64>,
    baseline: impl Fn(&[usize]) -> Option<f64>,
) -> Option<(Verdict, Interval)> {
    let sign = if higher_is_better { 1.0 } else { -1.0 };
    let diff = bootstrap.interval(n, |idx| Some(sign * (model(idx)? - baseline(idx)?)))?;
    let verdict = if diff.estimate <= 0.0 {
        Verdict::DoesNotBeat
    } else if diff.low > 0.0 {
        Verdict::Beats
    } else {
        Verdict::Inconclusive
    };
    // Report the difference in the metric's own direction.
    let interval = if higher_is_better {
        diff
    } else {
        Interval {
            estimate: -diff.estimate,
            low: -diff.high,
            high: -diff.low,
        }
    };
    Some((verdict, interval))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_forecasts() {
        assert_eq!(persistence_close(&[1.0, 2.0]), vec![1.0, 2.0]);
        assert_eq!(zero_return(2), vec![0.0, 0.0]);
        assert_eq!(always_up(2), vec![true, true]);
        assert!(majority_class(&[true, false]));
        assert!(!majority_class(&[true, false, false]));
    }

    #[test]
    fn verdicts() {
        let truth: Vec<bool> = (0..400).map(|i| (i * 37) % 100 < 55).collect();
        let accuracy = |pred: &Vec<bool>| {
            let pred = pred.clone();
            let truth = truth.clone();
            move |idx: &[usize]| {
                Some(idx.iter().filter(|&&i| pred[i] == truth[i]).count() as f64 / idx.len() as f64)
            }
        };
        let perfect = truth.clone();
        let up = always_up(truth.len());
        let inverted: Vec<bool> = truth.iter().map(|t| !t).collect();
        let b = BlockBootstrap {
            block: 5,
            resamples: 300,
            seed: 1,
        };
        let (v, diff) = compare(truth.len(), &b, true, accuracy(&perfect), accuracy(&up)).unwrap();
        assert_eq!(v, Verdict::Beats);
        assert!(diff.low > 0.3);
        assert_eq!(
            compare(truth.len(), &b, true, accuracy(&inverted), accuracy(&up))
                .unwrap()
                .0,
            Verdict::DoesNotBeat
        );
        // A model that is the baseline except on 2 samples, both right: better, but not provably.
        let mut nearly = up.clone();
        let wrong: Vec<usize> = (0..truth.len()).filter(|&i| !truth[i]).take(2).collect();
        for i in wrong {
            nearly[i] = false;
        }
        assert_eq!(
            compare(truth.len(), &b, true, accuracy(&nearly), accuracy(&up))
                .unwrap()
                .0,
            Verdict::Inconclusive
        );
    }
}
