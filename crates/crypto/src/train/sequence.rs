//! The recurrent models (an LSTM, and a GRU beside it) on exactly the folds, hold-out and
//! baselines of the classical models: one network with two heads gives a direction row and a
//! return row of the same comparison table.
//!
//! - Inputs: for the row of token s on day t, the standardised features of s's last `window`
//!   stored days up to and including t (never later); a token with a shorter history is padded
//!   on the left with zeros (the training mean), so every row of a period has its window and the
//!   scored rows are the classical models' own.
//! - Normalisation: the scaler is fitted on the training rows of each fit only, and the return
//!   target standardised with the training rows' standard deviation.
//! - Early stopping: the last [`VALIDATION_DAYS`] days of each training period are held back
//!   (after a one-day purge, the label horizon) and the epoch with the lowest loss there is kept.
//! - Tuning: the window length by mean walk-forward ROC-AUC.

use std::collections::HashMap;

use mmi_learn::metrics::{rmse, roc_auc};
use mmi_signals::transform::StandardScaler;
use mmi_types::{GridPoint, ModelResult, ModelTask};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::direction::{push_estimate, score_hold_out, HoldOutScores};
use super::panel::Panel;
use super::{TrainConfig, TrainProgress, TrainedModel};
use crate::models::recurrent::{EpochHistory, Recurrent, RecurrentConfig, Sequences};
use crate::{CryptoError, MODEL_FEATURES};

/// Days at the end of each training period used for early stopping.
pub const VALIDATION_DAYS: usize = 60;
/// The registry task of the recurrent models (not served by `POST /api/predict`).
pub const SEQUENCE_TASK: &str = "crypto_sequence";

/// What a recurrent model's registered artifact holds beside its safetensors.
#[derive(Debug, Serialize, Deserialize)]
pub struct ServedSequence {
    pub name: String,
    pub config: RecurrentConfig,
    pub features: Vec<String>,
    pub scaler: StandardScaler,
    /// The training rows' standard deviation of the next-day log return (the return head's unit).
    pub return_std: f64,
    pub trained_through: String,
}

/// Rows of each token by day, for the windows.
struct Histories {
    /// For each row, the rows of its token up to it, oldest first, as a range of `order`.
    order: Vec<usize>,
    end: Vec<usize>,
    start: Vec<usize>,
}

impl Histories {
    fn new(panel: &Panel) -> Histories {
        let d = panel.data;
        let mut by_token: HashMap<&str, Vec<usize>> = HashMap::new();
        for i in 0..d.n_rows() {
            by_token.entry(d.symbols[i].as_str()).or_default().push(i);
        }
        let mut symbols: Vec<&&str> = by_token.keys().collect();
        symbols.sort();
        let mut order = Vec::with_capacity(d.n_rows());
        let (mut start, mut end) = (vec![0; d.n_rows()], vec![0; d.n_rows()]);
        for s in symbols {
            let mut rows = by_token[*s].clone();
            rows.sort_by(|a, b| d.days[*a].cmp(&d.days[*b]));
            let first = order.len();
            for (k, r) in rows.iter().enumerate() {
                start[*r] = first;
                end[*r] = first + k + 1;
            }
            order.extend(rows);
        }
        Histories { order, end, start }
    }

    /// The rows of the window ending at row `i` (at most `window`, oldest first).
    fn window(&self, i: usize, window: usize) -> &[usize] {
        let from = self.end[i].saturating_sub(window).max(self.start[i]);
        &self.order[from..self.end[i]]
    }
}

fn sequences(
    panel: &Panel,
    histories: &Histories,
    scaled: &Array2<f64>,
    rows: &[usize],
    window: usize,
    return_std: f64,
) -> Sequences {
    let f = scaled.ncols();
    let mut x = vec![0f32; rows.len() * window * f];
    for (n, &i) in rows.iter().enumerate() {
        let w = histories.window(i, window);
        let pad = window - w.len();
        for (k, &r) in w.iter().enumerate() {
            let at = (n * window + pad + k) * f;
            for j in 0..f {
                x[at + j] = scaled[[r, j]] as f32;
            }
        }
    }
    Sequences {
        x,
        n: rows.len(),
        window,
        features: f,
        y_return: rows
            .iter()
            .map(|&i| (panel.data.next_log_return[i] / return_std) as f32)
            .collect(),
        y_up: rows
            .iter()
            .map(|&i| f32::from(u8::from(panel.data.next_up[i])))
            .collect(),
    }
}

/// A network fitted on `rows`, with what scoring needs.
struct Fitted {
    net: Recurrent,
    scaler: StandardScaler,
    scaled: Array2<f64>,
    return_std: f64,
    history: EpochHistory,
}

fn fit(
    panel: &Panel,
    histories: &Histories,
    rows: &[usize],
    config: RecurrentConfig,
) -> Result<Fitted, CryptoError> {
    let (scaler, _) = panel.fit_matrix(rows)?;
    let all: Vec<usize> = (0..panel.data.n_rows()).collect();
    let scaled = panel.matrix(&all, &scaler)?;
    let returns = panel.log_return(rows);
    let mean = returns.iter().sum::<f64>() / returns.len().max(1) as f64;
    let return_std = (returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>()
        / returns.len().max(2) as f64)
        .sqrt()
        .max(1e-9);
    // The last days of the period validate; the day before them is purged (its label is the
    // first validation day's close).
    let mut days: Vec<&String> = rows.iter().map(|&i| &panel.data.days[i]).collect();
    days.sort();
    days.dedup();
    if days.len() <= VALIDATION_DAYS + 30 {
        return Err(CryptoError::Model(format!(
            "{} training days leave too little before the {VALIDATION_DAYS} validation days",
            days.len()
        )));
    }
    let validation_from = days[days.len() - VALIDATION_DAYS].clone();
    let purged = days[days.len() - VALIDATION_DAYS - 1].clone();
    let (fit_rows, val_rows): (Vec<usize>, Vec<usize>) = rows
        .iter()
        .filter(|&&i| panel.data.days[i] != purged)
        .partition(|&&i| panel.data.days[i] < validation_from);
    let train = sequences(
        panel,
        histories,
        &scaled,
        &fit_rows,
        config.window,
        return_std,
    );
    let validation = sequences(
        panel,
        histories,
        &scaled,
        &val_rows,
        config.window,
        return_std,
    );
    let net = Recurrent::new(MODEL_FEATURES.len(), config)?;
    let history = net.fit(&train, &validation, |_, _, _| {})?;
    Ok(Fitted {
        net,
        scaler,
        scaled,
        return_std,
        history,
    })
}

/// `(predicted log returns, probabilities of up)` of `rows`.
fn predict(
    panel: &Panel,
    histories: &Histories,
    f: &Fitted,
    rows: &[usize],
) -> Result<(Vec<f64>, Vec<f64>), CryptoError> {
    let seqs = sequences(
        panel,
        histories,
        &f.scaled,
        rows,
        f.net.config.window,
        f.return_std,
    );
    let out = f.net.predict(&seqs)?;
    Ok((
        out.iter().map(|(r, _)| r * f.return_std).collect(),
        out.iter().map(|(_, p)| *p).collect(),
    ))
}

/// A candidate with its fold ROC-AUCs and fold return RMSEs.
type Scored = (RecurrentConfig, Vec<f64>, Vec<f64>);

/// The candidates: the window lengths of `base`'s cell.
pub fn candidates(base: RecurrentConfig, config: &TrainConfig) -> Vec<RecurrentConfig> {
    if config.quick {
        return vec![base];
    }
    [7, 14]
        .map(|window| RecurrentConfig { window, ..base })
        .to_vec()
}

/// Tunes, evaluates and refits one recurrent network; returns its direction and return rows.
pub fn train(
    panel: &Panel,
    base: RecurrentConfig,
    config: &TrainConfig,
    progress: &dyn TrainProgress,
) -> Result<(Vec<ModelResult>, TrainedModel), CryptoError> {
    let started_at = super::utc_now();
    let name = base.cell.name();
    let histories = Histories::new(panel);
    let grid = candidates(base, config);
    progress.begin(name, (grid.len() * panel.folds.len() + 2) as u64);

    // 1. Walk-forward: every candidate on every fold (ROC-AUC and return RMSE).
    let mut scored: Vec<Scored> = Vec::new();
    for c in &grid {
        let (mut aucs, mut rmses) = (Vec::new(), Vec::new());
        for fold in &panel.folds {
            let (train, test) = panel.fold_rows(fold);
            let f = fit(panel, &histories, &train, *c)?;
            let (r, p) = predict(panel, &histories, &f, &test)?;
            aucs.push(roc_auc(&p, &panel.up(&test)).unwrap_or(0.5));
            rmses.push(rmse(&r, &panel.log_return(&test)));
            progress.step();
        }
        scored.push((*c, aucs, rmses));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let std = |v: &[f64]| {
        let m = mean(v);
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len().max(1) as f64).sqrt()
    };
    let (chosen, aucs, rmses) = scored
        .iter()
        .max_by(|a, b| mean(&a.1).total_cmp(&mean(&b.1)))
        .cloned()
        .ok_or_else(|| CryptoError::Model(format!("{name}: no candidate")))?;

    // 2. Fit before the hold-out (its own early stopping), score the hold-out.
    let f = fit(panel, &histories, &panel.train, chosen)?;
    progress.step();
    let fit_seconds = f.history.seconds;
    let epochs = f.history.train_loss.len();
    let (returns, probs) = predict(panel, &histories, &f, &panel.test)?;
    let losses: Vec<(f64, f64)> = f
        .history
        .train_loss
        .iter()
        .copied()
        .zip(f.history.validation_loss.iter().copied())
        .collect();
    let HoldOutScores {
        predicted,
        actual,
        direction,
        versus,
    } = score_hold_out(panel, &probs, config)?;
    let params: Vec<(String, String)> = chosen
        .describe()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .chain([
            (
                "best_epoch".to_string(),
                (f.history.best_epoch + 1).to_string(),
            ),
            ("epochs_run".to_string(), epochs.to_string()),
        ])
        .collect();
    let grid_points = |pick: fn(&Scored) -> &Vec<f64>| {
        scored
            .iter()
            .map(|s| GridPoint {
                params: s
                    .0
                    .describe()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                fold_scores: pick(s).clone(),
                mean: mean(pick(s)),
                std: std(pick(s)),
            })
            .collect::<Vec<_>>()
    };
    let mut direction_row = ModelResult {
        name: name.into(),
        task: ModelTask::Direction,
        baseline: false,
        params: params.clone(),
        cv_mean: Some(mean(&aucs)),
        cv_std: Some(std(&aucs)),
        grid: grid_points(|s| &s.1),
        direction: Some(direction.clone()),
        returns: None,
        versus_baseline: versus,
        per_token: super::direction::per_token(panel, &predicted, &actual, config),
        roc: super::panel::thin(mmi_learn::metrics::roc_curve(&probs, &actual), 200),
        pr: super::panel::thin(mmi_learn::metrics::pr_curve(&probs, &actual), 200),
        learning_curve: Vec::new(),
        importance: Vec::new(),
        close_paths: Vec::new(),
        epoch_losses: losses.clone(),
        fit_seconds,
        version: None,
    };
    let mut return_row = super::returns::result(panel, name, &returns, config)?;
    return_row.baseline = false;
    return_row.params = params.clone();
    return_row.cv_mean = Some(mean(&rmses));
    return_row.cv_std = Some(std(&rmses));
    return_row.grid = grid_points(|s| &s.2);
    return_row.epoch_losses = losses;
    return_row.fit_seconds = fit_seconds;
    direction_row.learning_curve = Vec::new();

    // 3. Refit on every labelled day for serving (its own registry task).
    let serving = fit(panel, &histories, &panel.all, chosen)?;
    progress.step();
    let served = ServedSequence {
        name: name.into(),
        config: chosen,
        features: MODEL_FEATURES.iter().map(|s| s.to_string()).collect(),
        scaler: serving.scaler.clone(),
        return_std: serving.return_std,
        trained_through: panel.last_day(&panel.all),
    };
    let artifact = serde_json::to_vec(&served).map_err(|e| CryptoError::Model(e.to_string()))?;
    let weights = serving.net.to_safetensors()?;

    let mut metrics_rows = vec![
        ("cv_roc_auc".to_string(), 0, mean(&aucs)),
        ("cv_rmse".to_string(), 0, mean(&rmses)),
        ("fit_seconds".to_string(), 0, fit_seconds),
        (
            "epoch_seconds".to_string(),
            0,
            fit_seconds / epochs.max(1) as f64,
        ),
        (
            "best_epoch".to_string(),
            0,
            (f.history.best_epoch + 1) as f64,
        ),
    ];
    for (k, (a, r)) in aucs.iter().zip(&rmses).enumerate() {
        metrics_rows.push(("cv_fold_roc_auc".into(), k as i64 + 1, *a));
        metrics_rows.push(("cv_fold_rmse".into(), k as i64 + 1, *r));
    }
    for (e, (t, v)) in f
        .history
        .train_loss
        .iter()
        .zip(&f.history.validation_loss)
        .enumerate()
    {
        metrics_rows.push(("train_loss".into(), e as i64 + 1, *t));
        metrics_rows.push(("validation_loss".into(), e as i64 + 1, *v));
    }
    push_estimate(
        &mut metrics_rows,
        "holdout_accuracy",
        Some(direction.accuracy),
    );
    push_estimate(&mut metrics_rows, "holdout_roc_auc", direction.roc_auc);
    if let Some(r) = &return_row.returns {
        push_estimate(&mut metrics_rows, "holdout_rmse", Some(r.rmse));
    }
    progress.finish(
        name,
        &format!(
            "window {} days, accuracy {:.3}, ROC-AUC {}, return RMSE {}, {:.1} s ({} epochs, {:.2} s each)",
            chosen.window,
            direction.accuracy.value,
            direction.roc_auc.map_or("-".into(), |a| format!("{:.3}", a.value)),
            return_row
                .returns
                .as_ref()
                .map_or("-".into(), |r| format!("{:.5}", r.rmse.value)),
            fit_seconds,
            epochs,
            fit_seconds / epochs.max(1) as f64
        ),
    );
    let trained = TrainedModel {
        task: ModelTask::Direction,
        name: name.into(),
        params,
        metrics: metrics_rows,
        cv_score: mean(&aucs),
        artifact,
        extra_artifacts: vec![(
            format!("{name}.safetensors"),
            "application/octet-stream".into(),
            weights,
        )],
        own_task: Some(SEQUENCE_TASK),
        started_at,
        ended_at: super::utc_now(),
    };
    Ok((vec![direction_row, return_row], trained))
}
