//! Binary classification metrics (positive = "up").

use serde::{Deserialize, Serialize};

use super::check;
use crate::LearnError;

/// Counts of a binary confusion matrix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    pub tp: u64,
    pub fp: u64,
    pub tn: u64,
    pub fn_: u64,
}

impl Confusion {
    pub fn n(&self) -> u64 {
        self.tp + self.fp + self.tn + self.fn_
    }
    pub fn accuracy(&self) -> Option<f64> {
        (self.n() > 0).then(|| (self.tp + self.tn) as f64 / self.n() as f64)
    }
    /// Of the predicted positives, the share that were positive; `None` with no positive prediction.
    pub fn precision(&self) -> Option<f64> {
        let predicted = self.tp + self.fp;
        (predicted > 0).then(|| self.tp as f64 / predicted as f64)
    }
    /// Of the actual positives, the share predicted positive; `None` with no positive.
    pub fn recall(&self) -> Option<f64> {
        let actual = self.tp + self.fn_;
        (actual > 0).then(|| self.tp as f64 / actual as f64)
    }
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        (p + r > 0.0).then(|| 2.0 * p * r / (p + r))
    }
}

/// The confusion matrix of predicted against actual labels.
pub fn confusion(predicted: &[bool], actual: &[bool]) -> Confusion {
    let mut c = Confusion::default();
    for (p, a) in predicted.iter().zip(actual) {
        match (p, a) {
            (true, true) => c.tp += 1,
            (true, false) => c.fp += 1,
            (false, false) => c.tn += 1,
            (false, true) => c.fn_ += 1,
        }
    }
    c
}

/// The classification metrics of one evaluation: from hard labels, and from scores (the
/// predicted probability of "up") for the ranking metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationMetrics {
    pub confusion: Confusion,
    pub accuracy: f64,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// `None` when the targets hold one class only, or no scores were given.
    pub roc_auc: Option<f64>,
    pub pr_auc: Option<f64>,
}

impl ClassificationMetrics {
    pub fn compute(
        predicted: &[bool],
        scores: Option<&[f64]>,
        actual: &[bool],
    ) -> Result<Self, LearnError> {
        check(predicted, actual)?;
        if let Some(s) = scores {
            check(s, actual)?;
        }
        let c = confusion(predicted, actual);
        Ok(ClassificationMetrics {
            confusion: c,
            accuracy: c.accuracy().unwrap_or(0.0),
            precision: c.precision(),
            recall: c.recall(),
            f1: c.f1(),
            roc_auc: scores.and_then(|s| roc_auc(s, actual)),
            pr_auc: scores.and_then(|s| average_precision(s, actual)),
        })
    }
}

/// Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive
/// scores above a random negative, ties counting one half (average ranks).
pub fn roc_auc(scores: &[f64], actual: &[bool]) -> Option<f64> {
    let n_pos = actual.iter().filter(|a| **a).count();
    let n_neg = actual.len() - n_pos;
    if n_pos == 0 || n_neg == 0 || scores.len() != actual.len() {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut rank_sum_pos = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let average_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum_pos += order[i..=j].iter().filter(|&&k| actual[k]).count() as f64 * average_rank;
        i = j + 1;
    }
    let n_pos = n_pos as f64;
    Some((rank_sum_pos - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg as f64))
}

/// `(threshold, true positives, false positives)` at each distinct score, highest first.
fn cumulative_counts(scores: &[f64], actual: &[bool]) -> Vec<(f64, u64, u64)> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut fp) = (0u64, 0u64);
    let mut out = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        if actual[i] {
            tp += 1;
        } else {
            fp += 1;
        }
        let last_of_tie = order
            .get(k + 1)
            .is_none_or(|&next| scores[next] != scores[i]);
        if last_of_tie {
            out.push((scores[i], tp, fp));
        }
    }
    out
}

/// ROC curve points `(false positive rate, true positive rate)`, from (0, 0) to (1, 1).
pub fn roc_curve(scores: &[f64], actual: &[bool]) -> Vec<(f64, f64)> {
    let n_pos = actual.iter().filter(|a| **a).count() as f64;
    let n_neg = actual.len() as f64 - n_pos;
    if n_pos == 0.0 || n_neg == 0.0 {
        return Vec::new();
    }
    std::iter::once((0.0, 0.0))
        .chain(
            cumulative_counts(scores, actual)
                .into_iter()
                .map(|(_, tp, fp)| (fp as f64 / n_neg, tp as f64 / n_pos)),
        )
        .collect()
}

/// Precision-recall points `(recall, precision)` at each threshold, highest threshold first.
pub fn pr_curve(scores: &[f64], actual: &[bool]) -> Vec<(f64, f64)> {
    let n_pos = actual.iter().filter(|a| **a).count() as f64;
    if n_pos == 0.0 {
        return Vec::new();
    }
    cumulative_counts(scores, actual)
        .into_iter()
        .map(|(_, tp, fp)| (tp as f64 / n_pos, tp as f64 / (tp + fp) as f64))
        .collect()
}

/// Average precision (the area under the step-wise PR curve, as scikit-learn computes it):
/// `Σ (R_k − R_{k−1}) P_k` over thresholds.
pub fn average_precision(scores: &[f64], actual: &[bool]) -> Option<f64> {
    let points = pr_curve(scores, actual);
    if points.is_empty() || !actual.contains(&false) {
        return None;
    }
    let mut previous_recall = 0.0;
    let mut area = 0.0;
    for (recall, precision) in points {
        area += (recall - previous_recall) * precision;
        previous_recall = recall;
    }
    Some(area)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn confusion_by_hand() {
        let predicted = [true, true, false, false, true];
        let actual = [true, false, false, true, true];
        let c = confusion(&predicted, &actual);
        assert_eq!(
            c,
            Confusion {
                tp: 2,
                fp: 1,
                tn: 1,
                fn_: 1
            }
        );
        assert_relative_eq!(c.accuracy().unwrap(), 0.6);
        assert_relative_eq!(c.precision().unwrap(), 2.0 / 3.0);
        assert_relative_eq!(c.recall().unwrap(), 2.0 / 3.0);
        assert_relative_eq!(c.f1().unwrap(), 2.0 / 3.0);
        assert_eq!(confusion(&[false, false], &[true, false]).precision(), None);
    }

    #[test]
    fn ranking_metrics_against_scikit_learn_documentation() {
        // scikit-learn's docs: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75 and
        // average_precision_score(...) = 0.83 (5/6).
        let scores = [0.1, 0.4, 0.35, 0.8];
        let actual = [false, false, true, true];
        assert_relative_eq!(roc_auc(&scores, &actual).unwrap(), 0.75);
        assert_relative_eq!(
            average_precision(&scores, &actual).unwrap(),
            5.0 / 6.0,
            epsilon = 1e-12
        );
        assert_eq!(
            roc_curve(&scores, &actual),
            vec![(0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)]
        );
    }

    #[test]
    fn ties_count_half_and_one_class_has_no_auc() {
        assert_relative_eq!(roc_auc(&[0.5, 0.5], &[true, false]).unwrap(), 0.5);
        assert_eq!(roc_auc(&[0.1, 0.9], &[true, true]), None);
        let m = ClassificationMetrics::compute(&[true, false], Some(&[0.9, 0.2]), &[true, false])
            .unwrap();
        assert_eq!(
            (m.accuracy, m.roc_auc, m.pr_auc),
            (1.0, Some(1.0), Some(1.0))
        );
    }
}
