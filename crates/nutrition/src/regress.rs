//! Regression from composition: energy (kcal per 100 g) from every nutrient but energy, and the
//! NRF9.3 density score from every nutrient. Energy is close to a linear identity (Atwater
//! factors), so its linear coefficients per gram are shown beside 4/4/9; NRF9.3 is a capped,
//! per-calorie ratio, which linear models cannot express exactly.
//!
//! Foods are split at random (seeded; foods are not a time series), the preprocessing is fitted
//! on the training foods, and every model is scored once on the held-out foods beside the
//! training mean (the naive baseline), with a bootstrap 95% interval of the RMSE.

use mmi_learn::ci::BlockBootstrap;
use mmi_learn::metrics::{mae, r2, rmse};
use mmi_learn::models::{fit_regressor, RegressorKind, RegressorParams};
use mmi_learn::progress::TrainProgress;
use mmi_types::{RegressionResult, RegressionTarget};
use ndarray::Array1;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::features::{nrf93, Preprocessor, Scaling};
use crate::nutrient::{Nutrient, NUTRIENTS};
use crate::{Food, NutritionError};

/// A regression target: its key, name, unit, value of a food, and the nutrients it may read.
pub struct Target {
    pub key: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
    pub value: fn(&Food) -> Option<f64>,
    pub inputs: Vec<Nutrient>,
}

pub fn targets() -> Vec<Target> {
    let all: Vec<Nutrient> = NUTRIENTS.iter().map(|n| n.nutrient).collect();
    vec![
        Target {
            key: "energy",
            name: "Energy",
            unit: "kcal/100 g",
            value: |f| f.get(Nutrient::Energy),
            inputs: all
                .iter()
                .copied()
                .filter(|n| *n != Nutrient::Energy)
                .collect(),
        },
        Target {
            key: "nrf93",
            name: "NRF9.3 nutrient density",
            unit: "score per 100 kcal",
            value: nrf93,
            inputs: all,
        },
    ]
}

/// Regressor settings: ridge/lasso penalty 0.01; forest of `n_trees`, depth 12, 3 foods a leaf,
/// 15 features a split.
pub fn regressor_params(kind: RegressorKind, n_trees: usize, seed: u64) -> RegressorParams {
    RegressorParams {
        penalty: 0.01,
        max_depth: 12,
        min_leaf: 3,
        n_trees,
        features_per_split: 15,
        seed,
        ..RegressorParams::new(kind)
    }
}

/// Trains and scores every regressor on `target`.
pub fn train_target(
    foods: &[Food],
    target: &Target,
    n_trees: usize,
    seed: u64,
    progress: &dyn TrainProgress,
) -> Result<RegressionTarget, NutritionError> {
    let mut rows: Vec<(&Food, f64)> = foods
        .iter()
        .filter_map(|f| (target.value)(f).filter(|v| v.is_finite()).map(|v| (f, v)))
        .collect();
    rows.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let n_test = rows.len() / 5;
    let (test, train) = rows.split_at(n_test);
    let train_foods: Vec<&Food> = train.iter().map(|r| r.0).collect();
    let test_foods: Vec<&Food> = test.iter().map(|r| r.0).collect();
    let pre = Preprocessor::fit(&train_foods, &target.inputs, Scaling::Standard, false)
        .map_err(NutritionError::Model)?;
    let (x_train, x_test) = (pre.transform(&train_foods), pre.transform(&test_foods));
    let y_train: Vec<f64> = train.iter().map(|r| r.1).collect();
    let y_test: Vec<f64> = test.iter().map(|r| r.1).collect();
    let bootstrap = BlockBootstrap {
        block: 1,
        resamples: 1000,
        seed,
    };
    let score = |name: &str, baseline: bool, pred: Vec<f64>, top: Vec<(String, f64)>, secs: f64| {
        let ci = bootstrap.interval(pred.len(), |idx| {
            let p: Vec<f64> = idx.iter().map(|i| pred[*i]).collect();
            let t: Vec<f64> = idx.iter().map(|i| y_test[*i]).collect();
            Some(rmse(&p, &t))
        });
        let step = (pred.len() / 600).max(1);
        RegressionResult {
            name: name.to_string(),
            baseline,
            rmse: rmse(&pred, &y_test),
            rmse_low: ci.map_or(f64::NAN, |c| c.low),
            rmse_high: ci.map_or(f64::NAN, |c| c.high),
            mae: mae(&pred, &y_test),
            r2: r2(&pred, &y_test),
            points: pred
                .iter()
                .zip(&y_test)
                .step_by(step)
                .map(|(p, a)| (*p, *a))
                .collect(),
            top_features: top,
            fit_seconds: secs,
        }
    };
    let mean = y_train.iter().sum::<f64>() / y_train.len().max(1) as f64;
    let mut models = vec![score(
        "training_mean",
        true,
        vec![mean; y_test.len()],
        Vec::new(),
        0.0,
    )];
    progress.begin(
        &format!("regression: {}", target.key),
        RegressorKind::ALL.len() as u64,
    );
    for kind in RegressorKind::ALL {
        let started = std::time::Instant::now();
        let params = regressor_params(kind, n_trees, seed);
        let fitted = fit_regressor(&params, x_train.clone(), Array1::from(y_train.clone()))?;
        let secs = started.elapsed().as_secs_f64();
        let pred = fitted.predict(&x_test)?;
        // Coefficients back on each nutrient's own unit: the change of the target per unit.
        let top = fitted
            .coefficients()
            .map(|c| {
                let mut per_unit: Vec<(String, f64)> = pre
                    .columns
                    .iter()
                    .zip(c)
                    .map(|(col, c)| (col.key.clone(), c / col.scale))
                    .collect();
                let weight = |key: &str, v: f64| {
                    let j = pre.columns.iter().position(|c| c.key == key).unwrap_or(0);
                    (v * pre.columns[j].scale).abs()
                };
                per_unit.sort_by(|a, b| weight(&b.0, b.1).total_cmp(&weight(&a.0, a.1)));
                per_unit.truncate(8);
                per_unit
            })
            .unwrap_or_default();
        models.push(score(kind.name(), false, pred, top, secs));
        progress.step();
    }
    let best = models
        .iter()
        .filter(|m| !m.baseline)
        .min_by(|a, b| a.rmse.total_cmp(&b.rmse))
        .map(|m| format!("{} RMSE {:.2} (mean {:.2})", m.name, m.rmse, models[0].rmse))
        .unwrap_or_default();
    progress.finish(&format!("regression: {}", target.key), &best);
    Ok(RegressionTarget {
        key: target.key.to_string(),
        name: target.name.to_string(),
        unit: target.unit.to_string(),
        train_rows: train.len(),
        test_rows: test.len(),
        models,
    })
}
