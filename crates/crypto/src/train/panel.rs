//! The panel's rows split by time: the dated hold-out, the walk-forward folds inside its training
//! period, and the helpers every model's evaluation shares.

use mmi_learn::ci::{BlockBootstrap, Interval};
use mmi_learn::split::{distinct_times, rows_in, Fold};
use mmi_signals::transform::StandardScaler;
use mmi_types::Estimate;
use ndarray::Array2;

use super::TrainConfig;
use crate::models::{design_matrix, fit_scaler};
use crate::{CryptoError, Dataset};

pub struct Panel<'a> {
    pub data: &'a Dataset,
    /// Distinct feature days, oldest first; folds index into it.
    pub times: Vec<String>,
    pub hold_out: Fold,
    /// Walk-forward folds inside the hold-out's training period.
    pub folds: Vec<Fold>,
    /// Row indices, each list ordered by day, then symbol.
    pub train: Vec<usize>,
    pub test: Vec<usize>,
    pub all: Vec<usize>,
}

impl<'a> Panel<'a> {
    pub fn new(data: &'a Dataset, config: &TrainConfig) -> Result<Self, CryptoError> {
        let times = distinct_times(&data.days);
        let invalid = |e: mmi_learn::LearnError| CryptoError::Model(e.to_string());
        let hold_out = config.hold_out.split(times.len()).map_err(invalid)?;
        let folds = config.cv.folds(hold_out.train.end).map_err(invalid)?;
        let mut panel = Panel {
            data,
            times,
            hold_out,
            folds,
            train: Vec::new(),
            test: Vec::new(),
            all: by_day(data, (0..data.n_rows()).collect()),
        };
        panel.train = panel.rows(&panel.hold_out.train);
        panel.test = panel.rows(&panel.hold_out.test);
        Ok(panel)
    }

    /// The rows whose feature day falls in `range` (of [`Panel::times`]), by day then symbol.
    pub fn rows(&self, range: &std::ops::Range<usize>) -> Vec<usize> {
        by_day(self.data, rows_in(&self.data.days, &self.times, range))
    }

    pub fn fold_rows(&self, fold: &Fold) -> (Vec<usize>, Vec<usize>) {
        (self.rows(&fold.train), self.rows(&fold.test))
    }

    /// A scaler fitted on `rows` and their standardised design matrix.
    pub fn fit_matrix(&self, rows: &[usize]) -> Result<(StandardScaler, Array2<f64>), CryptoError> {
        let subset = self.data.select(rows);
        let scaler = fit_scaler(&subset)?;
        let x = design_matrix(&subset, &scaler)?;
        Ok((scaler, x))
    }

    pub fn matrix(
        &self,
        rows: &[usize],
        scaler: &StandardScaler,
    ) -> Result<Array2<f64>, CryptoError> {
        design_matrix(&self.data.select(rows), scaler)
    }

    pub fn up(&self, rows: &[usize]) -> Vec<bool> {
        rows.iter().map(|&i| self.data.next_up[i]).collect()
    }

    pub fn log_return(&self, rows: &[usize]) -> Vec<f64> {
        rows.iter().map(|&i| self.data.next_log_return[i]).collect()
    }

    pub fn last_day(&self, rows: &[usize]) -> String {
        rows.last()
            .map(|&i| self.data.days[i].clone())
            .unwrap_or_default()
    }

    /// The block bootstrap over `rows` (ordered by day): blocks of `block_days` days of rows.
    pub fn bootstrap(&self, rows: &[usize], config: &TrainConfig) -> BlockBootstrap {
        let days = {
            let mut d: Vec<&String> = rows.iter().map(|&i| &self.data.days[i]).collect();
            d.dedup();
            d.len().max(1)
        };
        BlockBootstrap {
            block: (config.bootstrap_block_days * rows.len())
                .div_ceil(days)
                .max(1),
            resamples: config.bootstrap_resamples,
            seed: config.seed,
        }
    }

    /// Hold-out rows of each token, in the order the tokens first appear.
    pub fn test_by_symbol(&self) -> Vec<(String, Vec<usize>)> {
        let mut out: Vec<(String, Vec<usize>)> = Vec::new();
        for (pos, &i) in self.test.iter().enumerate() {
            let symbol = &self.data.symbols[i];
            match out.iter_mut().find(|(s, _)| s == symbol) {
                Some((_, v)) => v.push(pos),
                None => out.push((symbol.clone(), vec![pos])),
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

fn by_day(d: &Dataset, mut rows: Vec<usize>) -> Vec<usize> {
    rows.sort_by(|&a, &b| (&d.days[a], &d.symbols[a]).cmp(&(&d.days[b], &d.symbols[b])));
    rows
}

pub fn estimate(i: Interval) -> Estimate {
    i.into()
}

/// At most `max` points of a curve, evenly spaced, first and last kept.
pub fn thin(points: Vec<(f64, f64)>, max: usize) -> Vec<(f64, f64)> {
    if points.len() <= max || max < 2 {
        return points;
    }
    let last = points.len() - 1;
    (0..max).map(|k| points[k * last / (max - 1)]).collect()
}

/// The distinct days of `rows`.
pub fn n_days(data: &Dataset, rows: &[usize]) -> usize {
    distinct_times(
        &rows
            .iter()
            .map(|&i| data.days[i].clone())
            .collect::<Vec<_>>(),
    )
    .len()
}
