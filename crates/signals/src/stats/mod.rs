//! Descriptive statistics of a sample of returns: moments, order statistics, correlations, a
//! normality test and a histogram with its normal fit. Means, variances, medians, ranks and the
//! distributions come from `statrs`; the moment ratios it lacks (sample skewness and kurtosis) are
//! written here from their textbook formulas, with the source named.

mod correlation;
mod describe;
mod histogram;
mod normality;

pub use correlation::{pearson, spearman, CorrelationMethod};
pub use describe::{describe, Summary};
pub use histogram::{histogram, Histogram};
pub use normality::{jarque_bera, JarqueBera};

/// The defined values of a series, in order.
pub fn defined(x: &[Option<f64>]) -> Vec<f64> {
    x.iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect()
}
