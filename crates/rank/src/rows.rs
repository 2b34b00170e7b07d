//! Int8 rows with a per-row scale, without ids: the matrices inside the exported models.

use serde::{Deserialize, Serialize};

use crate::{quantize_row, RankError};

/// The int8 value that marks a missing entry (quantized values stay within −127..=127).
pub const MISSING: i8 = i8::MIN;

/// A row-major int8 matrix, each row with its own scale (`value ≈ q × scale`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Int8Rows {
    pub dim: u32,
    pub scales: Vec<f32>,
    pub values: Vec<i8>,
}

impl Int8Rows {
    /// Quantizes `rows` (all `dim` long; `None` entries are kept as [`MISSING`]).
    pub fn from_rows(rows: &[Vec<Option<f32>>]) -> Result<Self, RankError> {
        let dim = rows.first().map_or(0, Vec::len);
        let mut scales = Vec::with_capacity(rows.len());
        let mut values = Vec::with_capacity(rows.len() * dim);
        for (i, row) in rows.iter().enumerate() {
            if row.len() != dim {
                return Err(RankError::Dim {
                    row: i,
                    got: row.len(),
                    expected: dim,
                });
            }
            let known: Vec<f32> = row.iter().map(|v| v.unwrap_or(0.0)).collect();
            let (scale, q) = quantize_row(&known);
            scales.push(scale);
            values.extend(
                q.into_iter()
                    .zip(row)
                    .map(|(q, v)| if v.is_some() { q } else { MISSING }),
            );
        }
        Ok(Int8Rows {
            dim: dim as u32,
            scales,
            values,
        })
    }

    /// Quantizes complete rows.
    pub fn from_dense(rows: &[Vec<f32>]) -> Result<Self, RankError> {
        let rows: Vec<Vec<Option<f32>>> = rows
            .iter()
            .map(|r| r.iter().map(|v| Some(*v)).collect())
            .collect();
        Self::from_rows(&rows)
    }

    pub fn len(&self) -> usize {
        self.scales.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scales.is_empty()
    }

    pub fn dim(&self) -> usize {
        self.dim as usize
    }

    pub fn row(&self, i: usize) -> &[i8] {
        let d = self.dim();
        &self.values[i * d..(i + 1) * d]
    }

    /// Entry `(i, j)` dequantized, `None` when missing.
    pub fn get(&self, i: usize, j: usize) -> Option<f32> {
        let q = self.row(i)[j];
        (q != MISSING).then(|| f32::from(q) * self.scales[i])
    }

    /// Row `i` dequantized (missing entries as 0).
    pub fn dense(&self, i: usize) -> Vec<f32> {
        self.row(i)
            .iter()
            .map(|q| {
                if *q == MISSING {
                    0.0
                } else {
                    f32::from(*q) * self.scales[i]
                }
            })
            .collect()
    }

    /// Checks the shape (for artifacts read from outside).
    pub fn check(&self, rows: usize, what: &str) -> Result<(), RankError> {
        if self.len() != rows || self.values.len() != rows * self.dim() {
            return Err(RankError::Format(format!(
                "{what}: {} rows of {} values for {rows} items",
                self.len(),
                self.values.len()
            )));
        }
        Ok(())
    }
}

/// `1 / ‖row‖` of an int8 row (0 for a zero row): cached by the food search, and the one way
/// every cosine here is normalised, so cached and fresh cosines are bit-identical.
#[inline]
pub fn inv_norm(row: &[i8]) -> f32 {
    let n: i32 = row.iter().map(|x| i32::from(*x) * i32::from(*x)).sum();
    if n == 0 {
        0.0
    } else {
        1.0 / (n as f32).sqrt()
    }
}

/// The integer dot product of two int8 rows.
#[inline]
pub fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| i32::from(*x) * i32::from(*y))
        .sum()
}

/// Cosine similarity of two int8 rows (their scales cancel): `dot · (1/‖a‖) · (1/‖b‖)`.
#[inline]
pub fn cosine_i8(a: &[i8], b: &[i8]) -> f32 {
    dot_i8(a, b) as f32 * inv_norm(a) * inv_norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_stays_missing_and_values_round_trip() {
        let rows =
            Int8Rows::from_rows(&[vec![Some(1.0), None, Some(-0.5)], vec![None; 3]]).expect("rows");
        assert_eq!(rows.get(0, 1), None);
        assert_eq!(rows.get(1, 0), None);
        let step = 1.0 / 127.0;
        assert!((rows.get(0, 0).expect("known") - 1.0).abs() <= step / 2.0);
        assert!((rows.get(0, 2).expect("known") + 0.5).abs() <= step / 2.0);
        assert_eq!(rows.dense(0)[1], 0.0);
        assert!(rows.check(2, "x").is_ok());
        assert!(rows.check(3, "x").is_err());
    }

    #[test]
    fn integer_cosine_matches_the_float_one() {
        let a = [100i8, -20, 5];
        let b = [90i8, 10, -5];
        let f = |v: &[i8]| v.iter().map(|x| f32::from(*x)).collect::<Vec<_>>();
        let (fa, fb) = (f(&a), f(&b));
        let dot: f32 = fa.iter().zip(&fb).map(|(x, y)| x * y).sum();
        let n = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((cosine_i8(&a, &b) - dot / (n(&fa) * n(&fb))).abs() < 1e-6);
        assert_eq!(cosine_i8(&a, &[0, 0, 0]), 0.0);
    }
}
