//! Does news sentiment help the price models? The ablation: the same models trained with and
//! without lagged sentiment features, on the token-days where the news index exists, beside the
//! same baselines, the difference with a paired 95% block-bootstrap interval.
//!
//! - Rows: the tokens with at least [`MIN_NEWS_DAYS`] days of news, on the days from their 8th day
//!   after the first news to their last news day (so every lag can reach back into the index).
//! - Sentiment features of the row (token s, day t): for k in 1, 3, 7 the score of s's news on
//!   day t − k and whether there was any (`sent_lag_k`, `news_lag_k`). A day without news has no
//!   score: the indicator says so and the score is set to 0, the neutral point of the scale —
//!   an explicit encoding the models see, not a silent fill. Nothing of day t or later is read.
//! - Split: time-ordered; the last quarter of the days is the test period, the day before it
//!   purged (the label horizon); scalers fitted on the training rows only.

use std::collections::HashMap;

use mmi_learn::baseline::{always_up, compare};
use mmi_learn::ci::BlockBootstrap;
use mmi_learn::metrics::{rmse, roc_auc};
use mmi_types::{AblationResult, SentimentAblation};
use ndarray::Array1;

use super::index::ItemSentiment;
use crate::models::{
    design_matrix, fit_classifier, fit_regressor, fit_scaler, ClassifierKind, ClassifierParams,
    RegressorKind, RegressorParams,
};
use crate::train::{estimate, verdict};
use crate::{CryptoError, Dataset};

pub const MIN_NEWS_DAYS: usize = 30;
pub const LAGS: [i64; 3] = [1, 3, 7];

/// The daily index: `(symbol, day) → mean score`.
fn daily_scores(index: &[ItemSentiment]) -> HashMap<(String, String), f64> {
    let mut sums: HashMap<(String, String), (f64, f64)> = HashMap::new();
    for r in index {
        let e = sums
            .entry((r.symbol.clone(), r.published_on.clone()))
            .or_default();
        e.0 += r.score;
        e.1 += 1.0;
    }
    sums.into_iter().map(|(k, (s, n))| (k, s / n)).collect()
}

fn day_minus(day: &str, k: i64) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    Some((d - chrono::Days::new(k as u64)).to_string())
}

/// The sentiment columns of `rows` (3 scores, then 3 indicators).
pub fn sentiment_columns(
    data: &Dataset,
    rows: &[usize],
    scores: &HashMap<(String, String), f64>,
) -> Vec<Vec<f64>> {
    let mut cols = vec![Vec::with_capacity(rows.len()); 2 * LAGS.len()];
    for &i in rows {
        for (j, k) in LAGS.iter().enumerate() {
            let score = day_minus(&data.days[i], *k)
                .and_then(|d| scores.get(&(data.symbols[i].clone(), d)).copied());
            cols[j].push(score.unwrap_or(0.0));
            cols[LAGS.len() + j].push(f64::from(u8::from(score.is_some())));
        }
    }
    cols
}

/// Runs the ablation; `None` when no token has enough news.
pub fn ablation(
    data: &Dataset,
    index: &[ItemSentiment],
    seed: u64,
) -> Result<Option<SentimentAblation>, CryptoError> {
    let scores = daily_scores(index);
    // Each token's news span.
    let mut spans: HashMap<&str, (String, String, usize)> = HashMap::new();
    for (symbol, day) in scores.keys() {
        let e = spans
            .entry(symbol.as_str())
            .or_insert_with(|| (day.clone(), day.clone(), 0));
        if *day < e.0 {
            e.0 = day.clone();
        }
        if *day > e.1 {
            e.1 = day.clone();
        }
        e.2 += 1;
    }
    let mut tokens: Vec<String> = spans
        .iter()
        .filter(|(_, s)| s.2 >= MIN_NEWS_DAYS)
        .map(|(t, _)| t.to_string())
        .collect();
    tokens.sort();
    let mut rows: Vec<usize> = (0..data.n_rows())
        .filter(|&i| {
            spans.get(data.symbols[i].as_str()).is_some_and(|s| {
                s.2 >= MIN_NEWS_DAYS
                    && day_minus(&data.days[i], 7).is_some_and(|d| d >= s.0)
                    && data.days[i] <= s.1
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (&data.days[*a], &data.symbols[*a]).cmp(&(&data.days[*b], &data.symbols[*b]))
    });
    let mut days: Vec<&String> = rows.iter().map(|&i| &data.days[i]).collect();
    days.dedup();
    if days.len() < 40 {
        return Ok(None);
    }
    let test_from = days[days.len() - days.len() / 4].clone();
    let purged = days[days.len() - days.len() / 4 - 1].clone();
    let train: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&i| data.days[i] < purged)
        .collect();
    let test: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&i| data.days[i] >= test_from)
        .collect();

    // The design matrices without and with the sentiment columns (scalers fitted on train).
    let with_sentiment = |subset: &[usize]| {
        let mut d = data.select(subset);
        d.columns.extend(sentiment_columns(data, subset, &scores));
        d
    };
    let matrices = |extended: bool| -> Result<_, CryptoError> {
        let (tr, te) = if extended {
            (with_sentiment(&train), with_sentiment(&test))
        } else {
            (data.select(&train), data.select(&test))
        };
        let scaler = fit_scaler(&tr)?;
        Ok((design_matrix(&tr, &scaler)?, design_matrix(&te, &scaler)?))
    };
    let (base_train, base_test) = matrices(false)?;
    let (sent_train, sent_test) = matrices(true)?;
    let up_train: Vec<bool> = train.iter().map(|&i| data.next_up[i]).collect();
    let up_test: Vec<bool> = test.iter().map(|&i| data.next_up[i]).collect();
    let ret_train: Vec<f64> = train.iter().map(|&i| data.next_log_return[i]).collect();
    let ret_test: Vec<f64> = test.iter().map(|&i| data.next_log_return[i]).collect();
    let test_days = {
        let mut d: Vec<&String> = test.iter().map(|&i| &data.days[i]).collect();
        d.dedup();
        d.len().max(1)
    };
    let bootstrap = BlockBootstrap {
        block: (10 * test.len()).div_ceil(test_days).max(1),
        resamples: 1000,
        seed,
    };
    let model_err = |e: mmi_learn::LearnError| CryptoError::Model(e.to_string());
    let accuracy = |p: &[bool]| {
        let p = p.to_vec();
        let a = up_test.clone();
        move |idx: &[usize]| {
            (!idx.is_empty())
                .then(|| idx.iter().filter(|&&i| p[i] == a[i]).count() as f64 / idx.len() as f64)
        }
    };
    let mut results = Vec::new();
    for kind in [ClassifierKind::Logistic, ClassifierKind::RandomForest] {
        let params = ClassifierParams {
            seed,
            n_trees: 50,
            ..ClassifierParams::new(kind)
        };
        let score = |x_train: &ndarray::Array2<f64>, x_test: &ndarray::Array2<f64>| {
            fit_classifier(&params, x_train.clone(), Array1::from(up_train.clone()))
                .map(|m| m.probability_up(x_test))
                .map_err(model_err)
        };
        let (p0, p1) = (
            score(&base_train, &base_test)?,
            score(&sent_train, &sent_test)?,
        );
        let (c0, c1): (Vec<bool>, Vec<bool>) = (
            p0.iter().map(|p| *p >= 0.5).collect(),
            p1.iter().map(|p| *p >= 0.5).collect(),
        );
        let without = bootstrap.interval(test.len(), accuracy(&c0));
        let with = bootstrap.interval(test.len(), accuracy(&c1));
        let diff = compare(test.len(), &bootstrap, true, accuracy(&c1), accuracy(&c0));
        if let (Some(without), Some(with), Some((v, d))) = (without, with, diff) {
            results.push(AblationResult {
                task: "direction".into(),
                model: kind.name().into(),
                metric: "accuracy".into(),
                without: estimate(without),
                with: estimate(with),
                difference: estimate(d),
                verdict: verdict(v),
                roc_auc_without: roc_auc(&p0, &up_test),
                roc_auc_with: roc_auc(&p1, &up_test),
            });
        }
    }
    for kind in [RegressorKind::Ridge, RegressorKind::RandomForest] {
        let params = RegressorParams {
            seed,
            n_trees: 50,
            ..RegressorParams::new(kind)
        };
        let predict = |x_train: &ndarray::Array2<f64>, x_test: &ndarray::Array2<f64>| {
            fit_regressor(&params, x_train.clone(), Array1::from(ret_train.clone()))
                .and_then(|m| m.predict(x_test))
                .map_err(model_err)
        };
        let (r0, r1) = (
            predict(&base_train, &base_test)?,
            predict(&sent_train, &sent_test)?,
        );
        let rmse_of = |p: Vec<f64>| {
            let a = ret_test.clone();
            move |idx: &[usize]| {
                let pp: Vec<f64> = idx.iter().map(|&i| p[i]).collect();
                let aa: Vec<f64> = idx.iter().map(|&i| a[i]).collect();
                (!idx.is_empty()).then(|| rmse(&pp, &aa))
            }
        };
        let without = bootstrap.interval(test.len(), rmse_of(r0.clone()));
        let with = bootstrap.interval(test.len(), rmse_of(r1.clone()));
        // `compare` reports an RMSE difference as with − without; the gain is its negative.
        let diff =
            compare(test.len(), &bootstrap, false, rmse_of(r1), rmse_of(r0)).map(|(v, d)| {
                let gain = mmi_learn::ci::Interval {
                    estimate: -d.estimate,
                    low: -d.high,
                    high: -d.low,
                };
                (v, gain)
            });
        if let (Some(without), Some(with), Some((v, d))) = (without, with, diff) {
            results.push(AblationResult {
                task: "return".into(),
                model: kind.name().into(),
                metric: "log-return RMSE".into(),
                without: estimate(without),
                with: estimate(with),
                difference: estimate(d),
                verdict: verdict(v),
                roc_auc_without: None,
                roc_auc_with: None,
            });
        }
    }
    let up = always_up(test.len());
    let zero = vec![0.0; test.len()];
    let persistence = rmse(&zero, &ret_test);
    Ok(Some(SentimentAblation {
        tokens,
        train_rows: train.len(),
        test_rows: test.len(),
        train_from: train
            .first()
            .map(|&i| data.days[i].clone())
            .unwrap_or_default(),
        test_from,
        test_to: test
            .last()
            .map(|&i| data.days[i].clone())
            .unwrap_or_default(),
        always_up_accuracy: accuracy(&up)(&(0..test.len()).collect::<Vec<_>>()).unwrap_or(0.0),
        persistence_rmse: persistence,
        test_news_share: test
            .iter()
            .filter(|&&i| {
                day_minus(&data.days[i], 1)
                    .is_some_and(|d| scores.contains_key(&(data.symbols[i].clone(), d)))
            })
            .count() as f64
            / test.len().max(1) as f64,
        results,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lags_read_only_earlier_days() {
        let data = Dataset {
            columns: vec![vec![0.0; 3]],
            symbols: vec!["BTC".into(); 3],
            days: vec![
                "2019-01-01".into(),
                "2019-01-02".into(),
                "2019-01-08".into(),
            ],
            close: vec![1.0; 3],
            next_day: vec![String::new(); 3],
            next_close: vec![1.0; 3],
            next_log_return: vec![0.0; 3],
            next_up: vec![true; 3],
        };
        let mut scores = HashMap::new();
        scores.insert(("BTC".to_string(), "2019-01-01".to_string()), 0.5);
        // Same-day news must never be read.
        scores.insert(("BTC".to_string(), "2019-01-02".to_string()), -0.9);
        let cols = sentiment_columns(&data, &[1, 2], &scores);
        // Row 2019-01-02: lag 1 is 2019-01-01 (0.5, present); lags 3 and 7 absent.
        assert_eq!((cols[0][0], cols[3][0]), (0.5, 1.0));
        assert_eq!((cols[1][0], cols[4][0]), (0.0, 0.0));
        // Row 2019-01-08: lag 7 is 2019-01-01; lag 1 (01-07) absent; 01-02's −0.9 is never a lag.
        assert_eq!((cols[2][1], cols[5][1]), (0.5, 1.0));
        assert_eq!((cols[0][1], cols[3][1]), (0.0, 0.0));
        assert!(cols.iter().flatten().all(|v| *v != -0.9));
    }
}
