//! Training and scoring the diet-label models.

use mmi_learn::ci::BlockBootstrap;
use mmi_learn::metrics::MultiLabelMetrics;
use mmi_learn::progress::TrainProgress;
use mmi_types::{DietModelResult, F1Point, LabelScore};
use ndarray::{Array2, Axis};
use serde::Serialize;

use super::{profile_preprocessor, utc_now, NutritionConfig, TrainedModel, DIET_TASK};
use crate::diet::models::{
    decide, fit_diet_model, tune_thresholds, DietModel, DietModelKind, LabelledSet, N_LABELS,
};
use crate::diet::DIET_LABELS;
use crate::features::Preprocessor;
use crate::{Food, NutritionError};

/// What a one-vs-rest diet version stores (the network stores its weights as safetensors beside
/// this, without `models`).
#[derive(Serialize)]
struct DietArtifact<'a> {
    labels: Vec<&'static str>,
    preprocessor: &'a Preprocessor,
    thresholds: [f64; N_LABELS],
    #[serde(skip_serializing_if = "Option::is_none")]
    models: Option<&'a [crate::diet::models::LabelModel]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    majority: Option<[bool; N_LABELS]>,
}

fn rows(labels: &[[bool; N_LABELS]]) -> Vec<Vec<bool>> {
    labels.iter().map(|r| r.to_vec()).collect()
}

/// Trains the baseline and every model on `train`, tunes thresholds on `validation`, scores once
/// on `test` (positions into `set`).
pub(super) fn train(
    foods: &[Food],
    set: &LabelledSet,
    (train, validation, test): (&[usize], &[usize], &[usize]),
    config: &NutritionConfig,
    progress: &dyn TrainProgress,
    models: &mut Vec<TrainedModel>,
) -> Result<Vec<DietModelResult>, NutritionError> {
    let food_refs =
        |pos: &[usize]| -> Vec<&Food> { pos.iter().map(|&p| &foods[set.foods[p]]).collect() };
    let label_rows =
        |pos: &[usize]| -> Vec<[bool; N_LABELS]> { pos.iter().map(|&p| set.labels[p]).collect() };
    let pre = profile_preprocessor(&food_refs(train))?;
    let (x_train, x_val, x_test) = (
        pre.transform(&food_refs(train)),
        pre.transform(&food_refs(validation)),
        pre.transform(&food_refs(test)),
    );
    let (y_train, y_val, y_test) = (label_rows(train), label_rows(validation), label_rows(test));
    let bootstrap = BlockBootstrap {
        block: 1,
        resamples: config.bootstrap_resamples,
        seed: config.seed,
    };
    let mut results = Vec::new();
    let kinds = std::iter::once(DietModelKind::Majority).chain(DietModelKind::MODELS);
    for kind in kinds {
        let started_at = utc_now();
        let steps = if kind == DietModelKind::Network {
            1
        } else {
            N_LABELS
        };
        progress.begin(
            &format!("diet: {}", kind.name()),
            (steps * config.learning_fractions.len()) as u64,
        );
        let clock = std::time::Instant::now();
        let (model, history) = fit_diet_model(
            kind,
            &config.diet,
            &x_train,
            &y_train,
            (&x_val, &y_val),
            || progress.step(),
        )?;
        let fit_seconds = clock.elapsed().as_secs_f64();
        let thresholds = if kind == DietModelKind::Majority {
            [0.5; N_LABELS]
        } else {
            tune_thresholds(&model.scores(&x_val)?, &y_val)
        };
        let val_pred = decide(&model.scores(&x_val)?, &thresholds);
        let validation_macro_f1 = MultiLabelMetrics::compute(&val_pred, &rows(&y_val))?.macro_f1;
        let test_pred = decide(&model.scores(&x_test)?, &thresholds);
        let truth = rows(&y_test);
        let m = MultiLabelMetrics::compute(&test_pred, &truth)?;
        let ci = bootstrap.interval(truth.len(), |idx| {
            let p: Vec<Vec<bool>> = idx.iter().map(|i| test_pred[*i].clone()).collect();
            let t: Vec<Vec<bool>> = idx.iter().map(|i| truth[*i].clone()).collect();
            MultiLabelMetrics::compute(&p, &t).ok().map(|m| m.macro_f1)
        });
        let learning_curve = if kind == DietModelKind::Majority {
            Vec::new()
        } else {
            learning_curve(
                kind,
                config,
                &model,
                (&x_train, &y_train),
                (&x_val, &y_val),
                progress,
            )?
        };
        let per_label: Vec<LabelScore> = DIET_LABELS
            .iter()
            .zip(&m.per_label)
            .map(|(l, c)| LabelScore {
                label: l.key().to_string(),
                precision: c.precision(),
                recall: c.recall(),
                f1: if c.tp == 0 {
                    0.0
                } else {
                    c.f1().unwrap_or(0.0)
                },
                support: c.tp + c.fn_,
            })
            .collect();
        let result = DietModelResult {
            name: kind.name().to_string(),
            baseline: kind == DietModelKind::Majority,
            version: None,
            per_label,
            macro_f1: m.macro_f1,
            macro_f1_low: ci.map_or(f64::NAN, |c| c.low),
            macro_f1_high: ci.map_or(f64::NAN, |c| c.high),
            micro_f1: m.micro_f1,
            hamming_loss: m.hamming_loss,
            subset_accuracy: m.subset_accuracy,
            learning_curve,
            epochs: history
                .as_ref()
                .map(|h| {
                    h.train_loss
                        .iter()
                        .copied()
                        .zip(h.validation_loss.iter().copied())
                        .collect()
                })
                .unwrap_or_default(),
            fit_seconds,
        };
        progress.finish(
            &format!("diet: {}", kind.name()),
            &format!(
                "macro F1 {:.3} [{:.3}, {:.3}], micro F1 {:.3}",
                result.macro_f1, result.macro_f1_low, result.macro_f1_high, result.micro_f1
            ),
        );
        models.push(record(
            kind,
            config,
            &pre,
            &model,
            thresholds,
            &result,
            validation_macro_f1,
            history.as_ref(),
            started_at,
        )?);
        results.push(result);
    }
    Ok(results)
}

/// Macro F1 on the training subset and the validation foods, for models fitted on the first
/// shares of the training foods (threshold 0.5; the full share reuses the fitted model).
fn learning_curve(
    kind: DietModelKind,
    config: &NutritionConfig,
    full: &DietModel,
    (x, y): (&Array2<f64>, &[[bool; N_LABELS]]),
    (x_val, y_val): (&Array2<f64>, &[[bool; N_LABELS]]),
    progress: &dyn TrainProgress,
) -> Result<Vec<F1Point>, NutritionError> {
    let mut out = Vec::new();
    for &share in &config.learning_fractions {
        let n = ((x.nrows() as f64 * share).round() as usize).clamp(50, x.nrows());
        let xs = x.slice_axis(Axis(0), (0..n).into()).to_owned();
        let ys = &y[..n];
        let fitted;
        let model = if n == x.nrows() {
            full
        } else {
            fitted = fit_diet_model(kind, &config.diet, &xs, ys, (x_val, y_val), || {
                progress.step()
            })?
            .0;
            &fitted
        };
        let f1 = |x: &Array2<f64>, y: &[[bool; N_LABELS]]| -> Result<f64, NutritionError> {
            let pred = decide(&model.scores(x)?, &[0.5; N_LABELS]);
            Ok(MultiLabelMetrics::compute(&pred, &rows(y))?.macro_f1)
        };
        out.push(F1Point {
            train_size: n,
            train_macro_f1: f1(&xs, ys)?,
            validation_macro_f1: f1(x_val, y_val)?,
        });
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)] // one record of one model's every output
fn record(
    kind: DietModelKind,
    config: &NutritionConfig,
    pre: &Preprocessor,
    model: &DietModel,
    thresholds: [f64; N_LABELS],
    r: &DietModelResult,
    validation_macro_f1: f64,
    history: Option<&crate::neural::History>,
    started_at: String,
) -> Result<TrainedModel, NutritionError> {
    let mut metrics: Vec<(String, i64, f64)> = vec![
        ("holdout_macro_f1".into(), 0, r.macro_f1),
        ("holdout_macro_f1_low".into(), 0, r.macro_f1_low),
        ("holdout_macro_f1_high".into(), 0, r.macro_f1_high),
        ("holdout_micro_f1".into(), 0, r.micro_f1),
        ("holdout_hamming_loss".into(), 0, r.hamming_loss),
        ("holdout_subset_accuracy".into(), 0, r.subset_accuracy),
        ("validation_macro_f1".into(), 0, validation_macro_f1),
        ("fit_seconds".into(), 0, r.fit_seconds),
    ];
    for s in &r.per_label {
        metrics.push((format!("holdout_f1_{}", s.label), 0, s.f1));
    }
    for (l, t) in DIET_LABELS.iter().zip(thresholds) {
        metrics.push((format!("threshold_{}", l.key()), 0, t));
    }
    for p in &r.learning_curve {
        metrics.push((
            "learning_train_macro_f1".into(),
            p.train_size as i64,
            p.train_macro_f1,
        ));
        metrics.push((
            "learning_validation_macro_f1".into(),
            p.train_size as i64,
            p.validation_macro_f1,
        ));
    }
    if let Some(h) = history {
        for (e, (t, v)) in h.train_loss.iter().zip(&h.validation_loss).enumerate() {
            metrics.push(("train_loss".into(), e as i64, *t));
            metrics.push(("validation_loss".into(), e as i64, *v));
        }
        metrics.push(("best_epoch".into(), 0, h.best_epoch as f64));
    }
    let labels: Vec<&'static str> = DIET_LABELS.iter().map(|l| l.key()).collect();
    let json = |models, majority| {
        serde_json::to_vec(&DietArtifact {
            labels: labels.clone(),
            preprocessor: pre,
            thresholds,
            models,
            majority,
        })
        .map_err(|e| NutritionError::Model(e.to_string()))
    };
    let artifacts = match model {
        DietModel::Majority(m) => vec![(
            "model.json".to_string(),
            "application/json".to_string(),
            json(None, Some(*m))?,
        )],
        DietModel::OneVsRest(ms) => vec![(
            "model.json".into(),
            "application/json".into(),
            json(Some(ms), None)?,
        )],
        DietModel::Network(mlp) => vec![
            (
                "model.safetensors".into(),
                "application/octet-stream".into(),
                mlp.to_safetensors()?,
            ),
            (
                "preprocessing.json".into(),
                "application/json".into(),
                json(None, None)?,
            ),
        ],
    };
    Ok(TrainedModel {
        task: (kind != DietModelKind::Majority).then_some(DIET_TASK),
        name: kind.name().to_string(),
        params: config.diet.describe(kind),
        metrics,
        artifacts,
        validation_score: validation_macro_f1,
        started_at,
        ended_at: utc_now(),
    })
}
