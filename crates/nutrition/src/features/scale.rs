//! The preprocessing of nutrient columns for the models, fitted on training foods only.
//!
//! Per column: `ln(1 + x)` when asked for and the training values are right-skewed (sample skewness > 1: most
//! micronutrients span orders of magnitude), then the median of the training values fills missing
//! ones (so a missing value never becomes 0 and never uses a test food), then standard
//! (mean / standard deviation) or robust (median / interquartile range) scaling.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::nutrient::Nutrient;
use crate::Food;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    Standard,
    Robust,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The nutrient's key (see [`crate::nutrient::NutrientInfo::key`]).
    pub key: String,
    pub log: bool,
    /// The fill for a missing value, on the transformed scale.
    pub fill: f64,
    pub center: f64,
    pub scale: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preprocessor {
    pub scaling: Scaling,
    pub columns: Vec<Column>,
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn skewness(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let m2 = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let m3 = v.iter().map(|x| (x - mean).powi(3)).sum::<f64>() / n;
    if m2 > 0.0 {
        m3 / m2.powf(1.5)
    } else {
        0.0
    }
}

impl Preprocessor {
    /// Fits every column on `train`; a column with no training value at all is an error. Without
    /// `log_skewed` no column is logged (linear models of energy need grams on their own scale).
    pub fn fit(
        train: &[&Food],
        nutrients: &[Nutrient],
        scaling: Scaling,
        log_skewed: bool,
    ) -> Result<Self, String> {
        let mut columns = Vec::with_capacity(nutrients.len());
        for &n in nutrients {
            let raw: Vec<f64> = train.iter().filter_map(|f| f.get(n)).collect();
            if raw.is_empty() {
                return Err(format!("no training food has {}", n.info().key));
            }
            let log = log_skewed && skewness(&raw) > 1.0 && raw.iter().all(|v| *v >= 0.0);
            let mut t: Vec<f64> = raw
                .iter()
                .map(|v| if log { v.ln_1p() } else { *v })
                .collect();
            t.sort_by(f64::total_cmp);
            let median = quantile(&t, 0.5);
            // Scaling statistics over the imputed training column, as the model will see it.
            let missing = train.len() - t.len();
            let (center, scale) = match scaling {
                Scaling::Standard => {
                    let n_all = train.len() as f64;
                    let mean = (t.iter().sum::<f64>() + missing as f64 * median) / n_all;
                    let var = (t.iter().map(|x| (x - mean).powi(2)).sum::<f64>()
                        + missing as f64 * (median - mean).powi(2))
                        / n_all;
                    (mean, var.sqrt())
                }
                Scaling::Robust => {
                    let mut all = t.clone();
                    all.extend(std::iter::repeat_n(median, missing));
                    all.sort_by(f64::total_cmp);
                    (median, quantile(&all, 0.75) - quantile(&all, 0.25))
                }
            };
            columns.push(Column {
                key: n.info().key.to_string(),
                log,
                fill: median,
                center,
                scale: if scale > 1e-12 { scale } else { 1.0 },
            });
        }
        Ok(Preprocessor { scaling, columns })
    }

    pub fn nutrients(&self) -> Vec<Nutrient> {
        self.columns
            .iter()
            .filter_map(|c| Nutrient::from_key(&c.key))
            .collect()
    }

    /// One transformed value of column `j`.
    pub fn value(&self, j: usize, raw: Option<f64>) -> f64 {
        let c = &self.columns[j];
        let t = match raw {
            Some(v) if c.log => v.max(0.0).ln_1p(),
            Some(v) => v,
            None => c.fill,
        };
        (t - c.center) / c.scale
    }

    /// The design matrix of `foods` (one row each).
    pub fn transform(&self, foods: &[&Food]) -> Array2<f64> {
        let nutrients = self.nutrients();
        Array2::from_shape_fn((foods.len(), nutrients.len()), |(i, j)| {
            self.value(j, foods[i].get(nutrients[j]))
        })
    }
}

#[cfg(test)]
mod tests {
    use approx::assert_relative_eq;

    use super::*;
    use crate::nutrient::Nutrient as N;

    fn foods() -> Vec<Food> {
        [Some(1.0), Some(2.0), Some(3.0), None]
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let f = Food::new(&i.to_string(), "x", None).with(N::Water, 50.0 + i as f64);
                match v {
                    Some(v) => f.with(N::Protein, *v),
                    None => f,
                }
            })
            .collect()
    }

    #[test]
    fn median_fill_and_standard_scaling_by_hand() {
        let foods = foods();
        let refs: Vec<&Food> = foods.iter().collect();
        let p = Preprocessor::fit(&refs, &[N::Protein], Scaling::Standard, true).expect("fit");
        // Not skewed: no log. Median of 1, 2, 3 is 2; imputed column 1, 2, 3, 2: mean 2,
        // population sd sqrt(0.5).
        assert!(!p.columns[0].log);
        let x = p.transform(&refs);
        assert_relative_eq!(x[[0, 0]], -1.0 / 0.5f64.sqrt(), epsilon = 1e-12);
        assert_relative_eq!(x[[3, 0]], 0.0, epsilon = 1e-12);
    }

    #[test]
    fn fitted_on_training_rows_only() {
        let foods = foods();
        let train: Vec<&Food> = foods[..2].iter().collect();
        let p = Preprocessor::fit(&train, &[N::Protein], Scaling::Robust, true).expect("fit");
        // Transforming a test food with an extreme value uses the training statistics as they are.
        let outlier = Food::new("9", "x", None).with(N::Protein, 1000.0);
        assert_relative_eq!(p.transform(&[&outlier])[[0, 0]], (1000.0 - 1.5) / 0.5);
        // Median of 1, 2 is 1.5, IQR 0.5.
        assert_relative_eq!(p.columns[0].center, 1.5);
        assert_relative_eq!(p.columns[0].scale, 0.5);
        assert!(Preprocessor::fit(&train, &[N::Lycopene], Scaling::Standard, true).is_err());
    }

    #[test]
    fn skewed_columns_are_logged() {
        let foods: Vec<Food> = (0..50)
            .map(|i| {
                Food::new(&i.to_string(), "x", None)
                    .with(N::VitaminC, if i < 45 { 1.0 } else { 500.0 })
            })
            .collect();
        let refs: Vec<&Food> = foods.iter().collect();
        let p = Preprocessor::fit(&refs, &[N::VitaminC], Scaling::Standard, true).expect("fit");
        assert!(p.columns[0].log);
        assert_relative_eq!(p.columns[0].fill, 2f64.ln());
    }
}
