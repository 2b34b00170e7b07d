//! The direction task: classifiers of next-day up/down beside always-up and the majority class.

use mmi_learn::baseline::{always_up, compare, majority_class, Verdict};
use mmi_learn::ci::BlockBootstrap;
use mmi_learn::grid::grid_search;
use mmi_learn::importance::permutation_importance;
use mmi_learn::metrics::{confusion, pr_curve, roc_auc, roc_curve, ClassificationMetrics};
use mmi_learn::split::learning_curve_folds;
use mmi_types::{
    BaselineVerdict, ConfusionCounts, DirectionMetrics, FeatureImportance, GridPoint,
    LearningPoint, ModelResult, ModelTask, TokenAccuracy,
};
use ndarray::{Array1, Array2};

use super::panel::{estimate, n_days, thin, Panel};
use super::{ServedModel, ServedWeights, TrainConfig, TrainProgress, TrainedModel};
use crate::models::{fit_classifier, ClassifierKind, ClassifierParams, FittedClassifier};
use crate::{CryptoError, MODEL_FEATURES};

/// The candidates of the grid search.
pub fn grid(kind: ClassifierKind, config: &TrainConfig) -> Vec<ClassifierParams> {
    let base = ClassifierParams {
        seed: config.seed,
        ..ClassifierParams::new(kind)
    };
    if config.quick {
        return vec![ClassifierParams {
            n_trees: 10,
            svm_max_rows: 800,
            ..base
        }];
    }
    match kind {
        ClassifierKind::Logistic => [0.01, 1.0, 100.0]
            .map(|l2| ClassifierParams { l2, ..base })
            .to_vec(),
        ClassifierKind::DecisionTree => [3, 5, 8]
            .map(|max_depth| ClassifierParams {
                max_depth,
                min_leaf: 100.0,
                ..base
            })
            .to_vec(),
        ClassifierKind::RandomForest => [4, 8]
            .map(|max_depth| ClassifierParams {
                max_depth,
                n_trees: 50,
                ..base
            })
            .to_vec(),
        ClassifierKind::Svm => [(0.1, 54.0), (1.0, 54.0), (1.0, 216.0)]
            .map(|(svm_c, svm_kernel_width)| ClassifierParams {
                svm_c,
                svm_kernel_width,
                ..base
            })
            .to_vec(),
    }
}

pub fn verdict(v: Verdict) -> BaselineVerdict {
    match v {
        Verdict::Beats => BaselineVerdict::Beats,
        Verdict::Inconclusive => BaselineVerdict::Inconclusive,
        Verdict::DoesNotBeat => BaselineVerdict::DoesNotBeat,
    }
}

fn pick<T: Copy>(v: &[T], idx: &[usize]) -> Vec<T> {
    idx.iter().map(|&i| v[i]).collect()
}

fn accuracy_of<'a>(
    predicted: &'a [bool],
    actual: &'a [bool],
) -> impl Fn(&[usize]) -> Option<f64> + 'a {
    move |idx: &[usize]| {
        (!idx.is_empty()).then(|| {
            idx.iter().filter(|&&i| predicted[i] == actual[i]).count() as f64 / idx.len() as f64
        })
    }
}

/// Hold-out metrics with block-bootstrap intervals for accuracy, F1 and ROC-AUC.
pub fn metrics(
    predicted: &[bool],
    scores: &[f64],
    actual: &[bool],
    bootstrap: &BlockBootstrap,
) -> Result<DirectionMetrics, CryptoError> {
    let m = ClassificationMetrics::compute(predicted, Some(scores), actual)
        .map_err(|e| CryptoError::Model(e.to_string()))?;
    let n = actual.len();
    let accuracy = bootstrap
        .interval(n, accuracy_of(predicted, actual))
        .ok_or(CryptoError::Model("no hold-out rows".into()))?;
    let f1 = bootstrap.interval(n, |idx| {
        confusion(&pick(predicted, idx), &pick(actual, idx)).f1()
    });
    let auc = bootstrap.interval(n, |idx| roc_auc(&pick(scores, idx), &pick(actual, idx)));
    Ok(DirectionMetrics {
        accuracy: estimate(accuracy),
        precision: m.precision,
        recall: m.recall,
        f1: f1.map(estimate),
        roc_auc: auc.map(estimate),
        pr_auc: m.pr_auc,
        confusion: ConfusionCounts {
            tp: m.confusion.tp,
            fp: m.confusion.fp,
            tn: m.confusion.tn,
            fn_: m.confusion.fn_,
        },
    })
}

/// Accuracy per token beside always-up on the token's own hold-out days (blocks of days).
pub fn per_token(
    panel: &Panel,
    predicted: &[bool],
    actual: &[bool],
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
            let (p, a) = (pick(predicted, &positions), pick(actual, &positions));
            let up = always_up(a.len());
            let accuracy = bootstrap.interval(a.len(), accuracy_of(&p, &a))?;
            let (v, _) = compare(
                a.len(),
                &bootstrap,
                true,
                accuracy_of(&p, &a),
                accuracy_of(&up, &a),
            )?;
            Some(TokenAccuracy {
                symbol,
                days: a.len(),
                accuracy: estimate(accuracy),
                always_up: a.iter().filter(|u| **u).count() as f64 / a.len() as f64,
                verdict: verdict(v),
            })
        })
        .collect()
}

/// A classifier's hold-out: its calls at 0.5, the truth, the metrics and the paired comparison
/// with always-up.
pub struct HoldOutScores {
    pub predicted: Vec<bool>,
    pub actual: Vec<bool>,
    pub direction: DirectionMetrics,
    pub versus: Option<(String, mmi_types::Estimate, BaselineVerdict)>,
}

/// Scores the hold-out probabilities of up `scores` (one per [`Panel::test`] row).
pub fn score_hold_out(
    panel: &Panel,
    scores: &[f64],
    config: &TrainConfig,
) -> Result<HoldOutScores, CryptoError> {
    let predicted: Vec<bool> = scores.iter().map(|p| *p >= 0.5).collect();
    let actual = panel.up(&panel.test);
    let bootstrap = panel.bootstrap(&panel.test, config);
    let direction = metrics(&predicted, scores, &actual, &bootstrap)?;
    let up = always_up(actual.len());
    let versus = compare(
        actual.len(),
        &bootstrap,
        true,
        accuracy_of(&predicted, &actual),
        accuracy_of(&up, &actual),
    )
    .map(|(v, diff)| ("always_up".to_string(), estimate(diff), verdict(v)));
    Ok(HoldOutScores {
        predicted,
        actual,
        direction,
        versus,
    })
}

/// Always-up and the training majority class, scored like the models.
pub fn baselines(panel: &Panel, config: &TrainConfig) -> Vec<ModelResult> {
    let actual = panel.up(&panel.test);
    let bootstrap = panel.bootstrap(&panel.test, config);
    let majority = majority_class(&panel.up(&panel.train));
    [
        ("always_up", true, Vec::new()),
        (
            "majority_class",
            majority,
            vec![(
                "class".to_string(),
                if majority { "up" } else { "down" }.to_string(),
            )],
        ),
    ]
    .into_iter()
    .filter_map(|(name, class, params)| {
        let predicted = vec![class; actual.len()];
        let scores = vec![f64::from(u8::from(class)); actual.len()];
        let direction = metrics(&predicted, &scores, &actual, &bootstrap).ok()?;
        Some(ModelResult {
            name: name.into(),
            task: ModelTask::Direction,
            baseline: true,
            params,
            cv_mean: None,
            cv_std: None,
            grid: Vec::new(),
            direction: Some(direction),
            returns: None,
            versus_baseline: None,
            per_token: per_token(panel, &predicted, &actual, config),
            roc: Vec::new(),
            pr: Vec::new(),
            learning_curve: Vec::new(),
            importance: Vec::new(),
            close_paths: Vec::new(),
            epoch_losses: Vec::new(),
            fit_seconds: 0.0,
            version: None,
        })
    })
    .collect()
}

fn fit(
    panel: &Panel,
    params: &ClassifierParams,
    rows: &[usize],
) -> Result<(mmi_signals::transform::StandardScaler, FittedClassifier), CryptoError> {
    let (scaler, x) = panel.fit_matrix(rows)?;
    let model = fit_classifier(params, x, Array1::from(panel.up(rows)))?;
    Ok((scaler, model))
}

/// Tunes, fits, evaluates, explains and refits one classifier.
pub fn train(
    panel: &Panel,
    kind: ClassifierKind,
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

    // 1. Grid search on the walk-forward folds (ROC-AUC, higher is better).
    let results = grid_search(&candidates, &panel.folds, |params, fold| {
        let (train, test) = panel.fold_rows(fold);
        let scored = fit(panel, params, &train).ok().and_then(|(scaler, model)| {
            let scores = model.probability_up(&panel.matrix(&test, &scaler).ok()?);
            roc_auc(&scores, &panel.up(&test))
        });
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

    // 2. Fit on every day before the hold-out (purged) and score the hold-out.
    let started = std::time::Instant::now();
    let (scaler, model) = fit(panel, &params, &panel.train)?;
    let fit_seconds = started.elapsed().as_secs_f64();
    progress.step();
    let x_test = panel.matrix(&panel.test, &scaler)?;
    let scores = model.probability_up(&x_test);
    let HoldOutScores {
        predicted,
        actual,
        direction,
        versus,
    } = score_hold_out(panel, &scores, config)?;

    // 3. Learning curve on the last walk-forward fold.
    let mut learning_curve = Vec::new();
    for fold in &curve_folds {
        let (train, test) = panel.fold_rows(fold);
        if let Ok((s, m)) = fit(panel, &params, &train) {
            let train_score = panel
                .matrix(&train, &s)
                .ok()
                .and_then(|x| roc_auc(&m.probability_up(&x), &panel.up(&train)));
            let validation = panel
                .matrix(&test, &s)
                .ok()
                .and_then(|x| roc_auc(&m.probability_up(&x), &panel.up(&test)));
            if let (Some(train_score), Some(validation_score)) = (train_score, validation) {
                learning_curve.push(LearningPoint {
                    train_days: n_days(panel.data, &train),
                    train_rows: train.len(),
                    train_score,
                    validation_score,
                });
            }
        }
        progress.step();
    }

    // 4. Permutation importance on the hold-out (drop of ROC-AUC), and the model's own.
    let columns: Vec<Vec<f64>> = x_test.columns().into_iter().map(|c| c.to_vec()).collect();
    let n = actual.len();
    let perm = permutation_importance(&columns, config.importance_repeats, config.seed, |cols| {
        let x = Array2::from_shape_fn((n, cols.len()), |(i, j)| cols[j][i]);
        roc_auc(&model.probability_up(&x), &actual).unwrap_or(0.5)
    });
    let own = model.own_importance(MODEL_FEATURES.len());
    let importance = importance_table(&perm, own.as_deref());
    progress.step();

    // 5. Refit on every labelled day for serving.
    let (serving_scaler, serving) = fit(panel, &params, &panel.all)?;
    progress.step();
    let served = ServedModel {
        task: ModelTask::Direction,
        name: kind.name().into(),
        features: MODEL_FEATURES.iter().map(|s| s.to_string()).collect(),
        scaler: serving_scaler,
        trained_through: panel.last_day(&panel.all),
        model: ServedWeights::Direction(serving),
    };
    let artifact = serde_json::to_vec(&served).map_err(|e| CryptoError::Model(e.to_string()))?;

    let described: Vec<(String, String)> = params
        .describe()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let result = ModelResult {
        name: kind.name().into(),
        task: ModelTask::Direction,
        baseline: false,
        params: described.clone(),
        cv_mean: Some(best.mean),
        cv_std: Some(best.std),
        grid: grid_points(&results, |p: &ClassifierParams| p.describe()),
        direction: Some(direction.clone()),
        returns: None,
        versus_baseline: versus,
        per_token: per_token(panel, &predicted, &actual, config),
        roc: thin(roc_curve(&scores, &actual), 200),
        pr: thin(pr_curve(&scores, &actual), 200),
        learning_curve,
        importance,
        close_paths: Vec::new(),
        epoch_losses: Vec::new(),
        fit_seconds,
        version: None,
    };
    let mut metrics_rows = vec![
        ("cv_roc_auc".to_string(), 0, best.mean),
        ("cv_roc_auc_std".to_string(), 0, best.std),
        ("fit_seconds".to_string(), 0, fit_seconds),
    ];
    for (k, s) in best.fold_scores.iter().enumerate() {
        metrics_rows.push(("cv_fold_roc_auc".into(), k as i64 + 1, *s));
    }
    push_estimate(
        &mut metrics_rows,
        "holdout_accuracy",
        Some(direction.accuracy),
    );
    push_estimate(&mut metrics_rows, "holdout_roc_auc", direction.roc_auc);
    push_estimate(&mut metrics_rows, "holdout_f1", direction.f1);
    for (key, v) in [
        ("holdout_precision", direction.precision),
        ("holdout_recall", direction.recall),
        ("holdout_pr_auc", direction.pr_auc),
    ] {
        if let Some(v) = v {
            metrics_rows.push((key.into(), 0, v));
        }
    }
    for t in &result.per_token {
        if config.focus.contains(&t.symbol) {
            let key = format!("holdout_accuracy_{}", t.symbol.to_lowercase());
            metrics_rows.push((key, 0, t.accuracy.value));
        }
    }
    for p in &result.learning_curve {
        metrics_rows.push((
            "learning_train_roc_auc".into(),
            p.train_rows as i64,
            p.train_score,
        ));
        metrics_rows.push((
            "learning_validation_roc_auc".into(),
            p.train_rows as i64,
            p.validation_score,
        ));
    }
    let trained = TrainedModel {
        task: ModelTask::Direction,
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
    Ok((result, trained))
}

/// `name`, `name_low`, `name_high` metric rows.
pub fn push_estimate(
    rows: &mut Vec<(String, i64, f64)>,
    name: &str,
    e: Option<mmi_types::Estimate>,
) {
    if let Some(e) = e {
        rows.push((name.to_string(), 0, e.value));
        rows.push((format!("{name}_low"), 0, e.low));
        rows.push((format!("{name}_high"), 0, e.high));
    }
}

pub fn grid_points<P>(
    results: &[mmi_learn::grid::GridResult<P>],
    describe: impl Fn(&P) -> Vec<(&'static str, String)>,
) -> Vec<GridPoint> {
    results
        .iter()
        .map(|r| GridPoint {
            params: describe(&r.params)
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            fold_scores: r.fold_scores.clone(),
            mean: r.mean,
            std: r.std,
        })
        .collect()
}

/// Permutation importance (and the model's own) by feature name, most important first.
pub fn importance_table(
    perm: &[mmi_learn::importance::Importance],
    own: Option<&[f64]>,
) -> Vec<FeatureImportance> {
    let mut rows: Vec<FeatureImportance> = perm
        .iter()
        .map(|imp| FeatureImportance {
            feature: MODEL_FEATURES[imp.feature].to_string(),
            permutation_mean: imp.mean_drop,
            permutation_std: imp.std_drop,
            own: own.and_then(|o| o.get(imp.feature).copied()),
        })
        .collect();
    rows.sort_by(|a, b| b.permutation_mean.total_cmp(&a.permutation_mean));
    rows
}
