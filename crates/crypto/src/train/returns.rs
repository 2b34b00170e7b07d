//! The return task: regressors of the next-day log return (and so of the close) beside
//! persistence (tomorrow's close = today's, a zero return).

use mmi_learn::baseline::{always_up, compare, zero_return};
use mmi_learn::ci::BlockBootstrap;
use mmi_learn::grid::grid_search;
use mmi_learn::importance::permutation_importance;
use mmi_learn::metrics::{mape, rmse, RegressionMetrics};
use mmi_learn::split::learning_curve_folds;
use mmi_signals::transform::StandardScaler;
use mmi_types::{ClosePath, LearningPoint, ModelResult, ModelTask, ReturnMetrics, TokenAccuracy};
use ndarray::{Array1, Array2};

use super::direction::{grid_points, importance_table, push_estimate, verdict};
use super::panel::{estimate, n_days, Panel};
use super::{ServedModel, ServedWeights, TrainConfig, TrainProgress, TrainedModel};
use crate::models::{fit_regressor, FittedRegressor, RegressorKind, RegressorParams};
use crate::{CryptoError, MODEL_FEATURES};

pub fn grid(kind: RegressorKind, config: &TrainConfig) -> Vec<RegressorParams> {
    let base = RegressorParams {
        seed: config.seed,
        ..RegressorParams::new(kind)
    };
    if config.quick {
        return vec![RegressorParams {
            n_trees: 10,
            ..base
        }];
    }
    match kind {
        RegressorKind::Linear => vec![base],
        RegressorKind::Ridge | RegressorKind::Lasso => [1e-4, 1e-3, 1e-2]
            .map(|penalty| RegressorParams { penalty, ..base })
            .to_vec(),
        RegressorKind::RandomForest => [4, 8]
            .map(|max_depth| RegressorParams {
                max_depth,
                n_trees: 50,
                ..base
            })
            .to_vec(),
    }
}

fn rmse_of<'a>(predicted: &'a [f64], actual: &'a [f64]) -> impl Fn(&[usize]) -> Option<f64> + 'a {
    move |idx: &[usize]| {
        (!idx.is_empty()).then(|| {
            (idx.iter()
                .map(|&i| (predicted[i] - actual[i]).powi(2))
                .sum::<f64>()
                / idx.len() as f64)
                .sqrt()
        })
    }
}

fn sign_accuracy_of<'a>(
    predicted: &'a [f64],
    actual: &'a [f64],
) -> impl Fn(&[usize]) -> Option<f64> + 'a {
    move |idx: &[usize]| {
        (!idx.is_empty()).then(|| {
            idx.iter()
                .filter(|&&i| (predicted[i] > 0.0) == (actual[i] > 0.0))
                .count() as f64
                / idx.len() as f64
        })
    }
}

fn metrics(
    predicted: &[f64],
    actual: &[f64],
    bootstrap: &BlockBootstrap,
) -> Result<ReturnMetrics, CryptoError> {
    let m = RegressionMetrics::compute(predicted, actual)
        .map_err(|e| CryptoError::Model(e.to_string()))?;
    let n = actual.len();
    let missing = || CryptoError::Model("no hold-out rows".into());
    Ok(ReturnMetrics {
        rmse: estimate(
            bootstrap
                .interval(n, rmse_of(predicted, actual))
                .ok_or_else(missing)?,
        ),
        mse: m.mse,
        mae: m.mae,
        r2: m.r2,
        sign_accuracy: estimate(
            bootstrap
                .interval(n, sign_accuracy_of(predicted, actual))
                .ok_or_else(missing)?,
        ),
    })
}

/// Sign accuracy per token beside always-up.
fn per_token(
    panel: &Panel,
    predicted: &[f64],
    actual: &[f64],
    config: &TrainConfig,
) -> Vec<TokenAccuracy> {
    let bootstrap = BlockBootstrap {
        block: config.bootstrap_block_days,
        resamples: config.bootstrap_resamples,
        seed: config.seed,
    };
    panel
        .test_by_symbol()
        .into_iter()
        .filter_map(|(symbol, positions)| {
            let p: Vec<f64> = positions.iter().map(|&i| predicted[i]).collect();
            let a: Vec<f64> = positions.iter().map(|&i| actual[i]).collect();
            let up = vec![1.0; a.len()];
            let accuracy = bootstrap.interval(a.len(), sign_accuracy_of(&p, &a))?;
            let (v, _) = compare(
                a.len(),
                &bootstrap,
                true,
                sign_accuracy_of(&p, &a),
                sign_accuracy_of(&up, &a),
            )?;
            Some(TokenAccuracy {
                symbol,
                days: a.len(),
                accuracy: estimate(accuracy),
                always_up: always_up(a.len())
                    .iter()
                    .zip(&a)
                    .filter(|(_, r)| **r > 0.0)
                    .count() as f64
                    / a.len() as f64,
                verdict: verdict(v),
            })
        })
        .collect()
}

/// Predicted against actual next-day closes of the focus tokens.
fn close_paths(panel: &Panel, predicted: &[f64], config: &TrainConfig) -> Vec<ClosePath> {
    let d = panel.data;
    panel
        .test_by_symbol()
        .into_iter()
        .filter(|(s, _)| config.focus.contains(s))
        .map(|(symbol, positions)| {
            let rows: Vec<usize> = positions.iter().map(|&p| panel.test[p]).collect();
            let actual: Vec<f64> = rows.iter().map(|&i| d.next_close[i]).collect();
            let persistence: Vec<f64> = rows.iter().map(|&i| d.close[i]).collect();
            let predicted: Vec<f64> = positions
                .iter()
                .zip(&rows)
                .map(|(&p, &i)| d.close[i] * predicted[p].exp())
                .collect();
            ClosePath {
                days: rows.iter().map(|&i| d.next_day[i].clone()).collect(),
                rmse: rmse(&predicted, &actual),
                persistence_rmse: rmse(&persistence, &actual),
                mape: mape(&predicted, &actual),
                persistence_mape: mape(&persistence, &actual),
                symbol,
                actual,
                predicted,
                persistence,
            }
        })
        .collect()
}

pub(super) fn result(
    panel: &Panel,
    name: &str,
    predicted: &[f64],
    config: &TrainConfig,
) -> Result<ModelResult, CryptoError> {
    let actual = panel.log_return(&panel.test);
    let bootstrap = panel.bootstrap(&panel.test, config);
    let zero = zero_return(actual.len());
    let versus = (name != "persistence")
        .then(|| {
            compare(
                actual.len(),
                &bootstrap,
                false,
                rmse_of(predicted, &actual),
                rmse_of(&zero, &actual),
            )
        })
        .flatten()
        .map(|(v, diff)| ("persistence".to_string(), estimate(diff), verdict(v)));
    Ok(ModelResult {
        name: name.into(),
        task: ModelTask::Return,
        baseline: name == "persistence",
        params: Vec::new(),
        cv_mean: None,
        cv_std: None,
        grid: Vec::new(),
        direction: None,
        returns: Some(metrics(predicted, &actual, &bootstrap)?),
        versus_baseline: versus,
        per_token: per_token(panel, predicted, &actual, config),
        roc: Vec::new(),
        pr: Vec::new(),
        learning_curve: Vec::new(),
        importance: Vec::new(),
        close_paths: close_paths(panel, predicted, config),
        epoch_losses: Vec::new(),
        fit_seconds: 0.0,
        version: None,
    })
}

/// Persistence: a zero log return, tomorrow's close = today's.
pub fn baselines(panel: &Panel, config: &TrainConfig) -> Vec<ModelResult> {
    result(panel, "persistence", &zero_return(panel.test.len()), config)
        .into_iter()
        .collect()
}

fn fit(
    panel: &Panel,
    params: &RegressorParams,
    rows: &[usize],
) -> Result<(StandardScaler, FittedRegressor), CryptoError> {
    let (scaler, x) = panel.fit_matrix(rows)?;
    let model = fit_regressor(params, x, Array1::from(panel.log_return(rows)))?;
    Ok((scaler, model))
}

fn rmse_on(
    panel: &Panel,
    scaler: &StandardScaler,
    model: &FittedRegressor,
    rows: &[usize],
) -> Option<f64> {
    let predicted = model.predict(&panel.matrix(rows, scaler).ok()?).ok()?;
    Some(rmse(&predicted, &panel.log_return(rows))).filter(|v| v.is_finite())
}

/// Tunes, fits, evaluates, explains and refits one regressor.
pub fn train(
    panel: &Panel,
    kind: RegressorKind,
    config: &TrainConfig,
    progress: &dyn TrainProgress,
) -> Result<(ModelResult, TrainedModel), CryptoError> {
    let started_at = super::utc_now();
    let candidates = grid(kind, config);
    let last_fold = panel
        .folds
        .last()
        .ok_or(CryptoError::Model("no walk-forward folds".into()))?;
    let curve_folds = learning_curve_folds(last_fold, &config.learning_fractions, 30);
    progress.begin(
        kind.name(),
        (candidates.len() * panel.folds.len() + curve_folds.len() + 3) as u64,
    );

    // 1. Grid search on the walk-forward folds (minus the RMSE, higher is better).
    let results = grid_search(&candidates, &panel.folds, |params, fold| {
        let (train, test) = panel.fold_rows(fold);
        let scored = fit(panel, params, &train)
            .ok()
            .and_then(|(scaler, model)| rmse_on(panel, &scaler, &model, &test))
            .map(|r| -r);
        progress.step();
        scored
    });
    let best = results
        .first()
        .filter(|r| r.mean.is_finite())
        .ok_or_else(|| {
            CryptoError::Model(format!("{}: no candidate could be fitted", kind.name()))
        })?
        .clone();
    let params = best.params;

    // 2. Fit before the hold-out, score it.
    let started = std::time::Instant::now();
    let (scaler, model) = fit(panel, &params, &panel.train)?;
    let fit_seconds = started.elapsed().as_secs_f64();
    progress.step();
    let x_test = panel.matrix(&panel.test, &scaler)?;
    let predicted = model.predict(&x_test)?;
    let mut out = result(panel, kind.name(), &predicted, config)?;

    // 3. Learning curve (RMSE of the log return: lower is better).
    for fold in &curve_folds {
        let (train, test) = panel.fold_rows(fold);
        if let Ok((s, m)) = fit(panel, &params, &train) {
            if let (Some(train_score), Some(validation_score)) = (
                rmse_on(panel, &s, &m, &train),
                rmse_on(panel, &s, &m, &test),
            ) {
                out.learning_curve.push(LearningPoint {
                    train_days: n_days(panel.data, &train),
                    train_rows: train.len(),
                    train_score,
                    validation_score,
                });
            }
        }
        progress.step();
    }

    // 4. Permutation importance on the hold-out (rise of the RMSE), and the coefficients.
    let actual = panel.log_return(&panel.test);
    let columns: Vec<Vec<f64>> = x_test.columns().into_iter().map(|c| c.to_vec()).collect();
    let n = actual.len();
    let perm = permutation_importance(&columns, config.importance_repeats, config.seed, |cols| {
        let x = Array2::from_shape_fn((n, cols.len()), |(i, j)| cols[j][i]);
        model
            .predict(&x)
            .map_or(f64::NEG_INFINITY, |p| -rmse(&p, &actual))
    });
    out.importance = importance_table(&perm, model.own_importance().as_deref());
    progress.step();

    // 5. Refit on every labelled day for serving.
    let (serving_scaler, serving) = fit(panel, &params, &panel.all)?;
    progress.step();
    let served = ServedModel {
        task: ModelTask::Return,
        name: kind.name().into(),
        features: MODEL_FEATURES.iter().map(|s| s.to_string()).collect(),
        scaler: serving_scaler,
        trained_through: panel.last_day(&panel.all),
        model: ServedWeights::Return(serving),
    };
    let artifact = serde_json::to_vec(&served).map_err(|e| CryptoError::Model(e.to_string()))?;

    let described: Vec<(String, String)> = params
        .describe()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    out.params = described.clone();
    out.cv_mean = Some(-best.mean);
    out.cv_std = Some(best.std);
    out.grid = grid_points(&results, |p: &RegressorParams| p.describe());
    for g in &mut out.grid {
        g.mean = -g.mean;
        g.fold_scores.iter_mut().for_each(|s| *s = -*s);
    }
    out.fit_seconds = fit_seconds;

    let mut metrics_rows = vec![
        ("cv_rmse".to_string(), 0, -best.mean),
        ("cv_rmse_std".to_string(), 0, best.std),
        ("fit_seconds".to_string(), 0, fit_seconds),
    ];
    for (k, s) in best.fold_scores.iter().enumerate() {
        metrics_rows.push(("cv_fold_rmse".into(), k as i64 + 1, -s));
    }
    if let Some(r) = &out.returns {
        push_estimate(&mut metrics_rows, "holdout_rmse", Some(r.rmse));
        push_estimate(
            &mut metrics_rows,
            "holdout_sign_accuracy",
            Some(r.sign_accuracy),
        );
        metrics_rows.push(("holdout_mae".into(), 0, r.mae));
        metrics_rows.push(("holdout_mse".into(), 0, r.mse));
        if let Some(r2) = r.r2 {
            metrics_rows.push(("holdout_r2".into(), 0, r2));
        }
    }
    for p in &out.close_paths {
        let s = p.symbol.to_lowercase();
        metrics_rows.push((format!("holdout_close_rmse_{s}"), 0, p.rmse));
        if let Some(mape) = p.mape {
            metrics_rows.push((format!("holdout_close_mape_{s}"), 0, mape));
        }
        metrics_rows.push((format!("persistence_close_rmse_{s}"), 0, p.persistence_rmse));
    }
    for p in &out.learning_curve {
        metrics_rows.push((
            "learning_train_rmse".into(),
            p.train_rows as i64,
            p.train_score,
        ));
        metrics_rows.push((
            "learning_validation_rmse".into(),
            p.train_rows as i64,
            p.validation_score,
        ));
    }
    let trained = TrainedModel {
        task: ModelTask::Return,
        name: kind.name().into(),
        params: described,
        metrics: metrics_rows,
        cv_score: best.mean,
        artifact,
        extra_artifacts: Vec::new(),
        own_task: None,
        started_at,
        ended_at: super::utc_now(),
    };
    Ok((out, trained))
}
