//! Multi-label metrics: per-label precision, recall and F1, their macro and micro averages, and
//! the Hamming loss (the share of wrong label decisions).
//!
//! F1 of a label with no true positive is 0 (also when it has no positive at all), the
//! convention of scikit-learn's `zero_division=0`, so a baseline that never predicts a label
//! scores 0 on it rather than being left out of the macro average.

use serde::{Deserialize, Serialize};

use super::{check, confusion, Confusion};
use crate::LearnError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiLabelMetrics {
    /// One confusion matrix per label, in label order.
    pub per_label: Vec<Confusion>,
    pub macro_f1: f64,
    pub micro_f1: f64,
    pub hamming_loss: f64,
    /// The share of rows with every label right.
    pub subset_accuracy: f64,
}

fn f1_or_zero(c: &Confusion) -> f64 {
    if c.tp == 0 {
        0.0
    } else {
        c.f1().unwrap_or(0.0)
    }
}

impl MultiLabelMetrics {
    /// `predicted[i][l]` and `actual[i][l]`: row `i`, label `l`; every row has the same labels.
    pub fn compute(predicted: &[Vec<bool>], actual: &[Vec<bool>]) -> Result<Self, LearnError> {
        check(predicted, actual)?;
        let n_labels = actual[0].len();
        if predicted
            .iter()
            .chain(actual)
            .any(|row| row.len() != n_labels)
        {
            return Err(LearnError::LengthMismatch {
                predictions: predicted[0].len(),
                targets: n_labels,
            });
        }
        let per_label: Vec<Confusion> = (0..n_labels)
            .map(|l| {
                let p: Vec<bool> = predicted.iter().map(|r| r[l]).collect();
                let a: Vec<bool> = actual.iter().map(|r| r[l]).collect();
                confusion(&p, &a)
            })
            .collect();
        let macro_f1 = per_label.iter().map(f1_or_zero).sum::<f64>() / n_labels as f64;
        let total = per_label
            .iter()
            .fold(Confusion::default(), |acc, c| Confusion {
                tp: acc.tp + c.tp,
                fp: acc.fp + c.fp,
                tn: acc.tn + c.tn,
                fn_: acc.fn_ + c.fn_,
            });
        let wrong = (total.fp + total.fn_) as f64;
        let rows_right = predicted.iter().zip(actual).filter(|(p, a)| p == a).count();
        Ok(MultiLabelMetrics {
            macro_f1,
            micro_f1: f1_or_zero(&total),
            hamming_loss: wrong / (actual.len() * n_labels) as f64,
            subset_accuracy: rows_right as f64 / actual.len() as f64,
            per_label,
        })
    }
}

#[cfg(test)]
mod tests {
    use approx::assert_relative_eq;

    use super::*;

    #[test]
    fn by_hand() {
        // Two labels, four rows.
        let actual = vec![
            vec![true, false],
            vec![true, true],
            vec![false, false],
            vec![false, true],
        ];
        let predicted = vec![
            vec![true, false],
            vec![false, true],
            vec![true, false],
            vec![false, false],
        ];
        let m = MultiLabelMetrics::compute(&predicted, &actual).expect("metrics");
        // Label 0: tp 1, fp 1, fn 1 → P = R = F1 = 0.5. Label 1: tp 1, fp 0, fn 1 → P 1, R 0.5,
        // F1 2/3. Macro (0.5 + 2/3) / 2; micro: tp 2, fp 1, fn 2 → 2·2 / (2·2 + 1 + 2) = 4/7.
        assert_relative_eq!(m.macro_f1, (0.5 + 2.0 / 3.0) / 2.0);
        assert_relative_eq!(m.micro_f1, 4.0 / 7.0);
        // 3 wrong decisions of 8.
        assert_relative_eq!(m.hamming_loss, 3.0 / 8.0);
        assert_relative_eq!(m.subset_accuracy, 0.25);
        assert_eq!(m.per_label[1].tp, 1);
    }

    #[test]
    fn never_predicting_a_label_scores_zero_on_it() {
        let actual = vec![vec![true], vec![false]];
        let m = MultiLabelMetrics::compute(&[vec![false], vec![false]], &actual).expect("m");
        assert_eq!(m.macro_f1, 0.0);
        assert_relative_eq!(m.hamming_loss, 0.5);
        assert!(MultiLabelMetrics::compute(&[vec![false, true]], &[vec![true]]).is_err());
    }
}
