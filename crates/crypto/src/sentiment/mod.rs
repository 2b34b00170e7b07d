//! News sentiment (`server train sentiment`): three classifiers of financial sentences into
//! negative / neutral / positive, trained and compared on the Financial PhraseBank, and the
//! market sentiment index built with the best of them.
//!
//! - Split: stratified 70 / 15 / 15 (train / validation / test), seeded. The sentences have no
//!   time order, so a stratified random split is the honest one here.
//! - Preprocessing ([`mmi_text`]): lower-cased word tokens, numbers as one token, stop words out
//!   (negations kept), a vocabulary built on the training sentences only.
//! - Models: the majority class (baseline), the VADER lexicon (baseline, nothing learned),
//!   TF-IDF + multinomial logistic regression (linfa; L2 strength tuned on validation), and a
//!   small word-CNN in candle (settings tuned on validation, early stopping on validation loss).
//! - The served model is the learned one with the better validation macro F1; every model is
//!   scored once on the test sentences, with 95% bootstrap intervals.
//! - The served model scores the dated news into the index ([`index`]), and the headlines' next-day
//!   BTC direction checks whether headline sentiment says anything about the next day.

pub mod ablation;
pub mod cnn;
pub mod index;
pub mod lexicon;
pub mod linear;

use mmi_learn::ci::BlockBootstrap;
use mmi_learn::metrics::MultiClassMetrics;
use mmi_learn::progress::TrainProgress;
use mmi_learn::split::stratified_split;
use mmi_text::sentiment::{SentimentModel, NEGATIVE, NEUTRAL, POSITIVE};
use mmi_text::{tokens_without_stop_words, Vocabulary};
use mmi_types::{
    EpochLoss, HeadlineCheck, SentimentModelResult, SentimentReport, SentimentTuning,
    SENTIMENT_LABELS,
};
use serde::{Deserialize, Serialize};

use crate::train::{estimate, utc_now};
use crate::CryptoError;
use cnn::{Cnn, CnnConfig};
use index::{score_items, ItemSentiment, NewsItem, TokenNames};

pub const EXPERIMENT: &str = "sentiment";
pub const PARENT_RUN: &str = "sentiment models";
/// The registry task of the served sentiment model (the API, the index and the browser use it).
pub const TASK: &str = "news_sentiment";
pub const REPORT_ARTIFACT: &str = "sentiment-report.json";
pub const LINEAR_NAME: &str = "tfidf_logistic";
pub const CNN_NAME: &str = "cnn";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentConfig {
    pub seed: u64,
    pub validation: f64,
    pub test: f64,
    /// L2 strengths tried for the logistic regression.
    pub alphas: Vec<f64>,
    pub logistic_iterations: u64,
    /// Network settings tried.
    pub cnn: Vec<CnnConfig>,
    pub quick: bool,
}

impl SentimentConfig {
    pub fn full() -> SentimentConfig {
        let base = CnnConfig {
            embedding_dim: 48,
            filters: 96,
            kernel: 3,
            max_tokens: 64,
            dropout: 0.5,
            learning_rate: 3e-3,
            weight_decay: 1e-4,
            batch_size: 32,
            max_epochs: 40,
            patience: 4,
            seed: 42,
        };
        SentimentConfig {
            seed: 42,
            validation: 0.15,
            test: 0.15,
            alphas: vec![0.03, 0.1, 0.3, 1.0, 3.0],
            logistic_iterations: 200,
            cnn: vec![
                base,
                CnnConfig { kernel: 2, ..base },
                CnnConfig {
                    dropout: 0.3,
                    ..base
                },
                CnnConfig {
                    embedding_dim: 32,
                    filters: 64,
                    ..base
                },
            ],
            quick: false,
        }
    }

    /// One candidate each, a few epochs: for tests and CI.
    pub fn quick() -> SentimentConfig {
        let full = SentimentConfig::full();
        SentimentConfig {
            alphas: vec![0.3],
            logistic_iterations: 60,
            cnn: vec![CnnConfig {
                max_epochs: 3,
                ..full.cnn[0]
            }],
            quick: true,
            ..full
        }
    }

    pub fn params(&self) -> Vec<(String, String)> {
        vec![
            ("seed".into(), self.seed.to_string()),
            ("validation_fraction".into(), self.validation.to_string()),
            ("test_fraction".into(), self.test.to_string()),
            ("alphas".into(), format!("{:?}", self.alphas)),
            ("cnn_candidates".into(), self.cnn.len().to_string()),
        ]
    }
}

/// What the training reads (all of it loaded from the database by the caller).
pub struct SentimentInput {
    /// `(sentence, "negative" | "neutral" | "positive")`.
    pub sentences: Vec<(String, String)>,
    /// `(headline, next day up)`.
    pub headlines: Vec<(String, bool)>,
    pub news: Vec<NewsItem>,
    /// `(symbol, name)` of the stored tokens.
    pub tokens: Vec<(String, String)>,
    /// Every stored daily price, for the ablation of the price models (empty: no ablation).
    pub prices: Vec<mmi_store::PriceRow>,
}

/// One trained model for the tracking store.
pub struct TrainedSentiment {
    pub name: &'static str,
    pub model: SentimentModel,
    pub bytes: Vec<u8>,
    /// Extra artifacts (`name`, media type, content): the network's f32 safetensors.
    pub extra: Vec<(String, String, Vec<u8>)>,
    pub params: Vec<(String, String)>,
    pub metrics: Vec<(String, i64, f64)>,
    pub started_at: String,
    pub ended_at: String,
}

pub struct SentimentOutcome {
    pub report: SentimentReport,
    /// The two learned models; `served` indexes the one served.
    pub models: Vec<TrainedSentiment>,
    pub served: usize,
    pub index: Vec<ItemSentiment>,
}

fn class_of(label: &str) -> Option<usize> {
    SENTIMENT_LABELS.iter().position(|l| *l == label)
}

fn macro_f1(predicted: &[usize], actual: &[usize]) -> f64 {
    mmi_learn::metrics::ConfusionMatrix::new(predicted, actual, 3)
        .macro_f1()
        .unwrap_or(0.0)
}

fn argmax(p: &[f32]) -> usize {
    (0..p.len())
        .max_by(|a, b| p[*a].total_cmp(&p[*b]))
        .unwrap_or(NEUTRAL)
}

struct Scoring {
    method: &'static str,
    label: &'static str,
    predicted: Vec<usize>,
    validation_macro_f1: f64,
    train_seconds: f64,
    bytes: Option<u64>,
    micros_per_text: f64,
    is_baseline: bool,
}

fn result(
    s: Scoring,
    actual: &[usize],
    bootstrap: &BlockBootstrap,
) -> Result<SentimentModelResult, CryptoError> {
    let m = MultiClassMetrics::compute(&s.predicted, actual, 3, bootstrap)?;
    Ok(SentimentModelResult {
        method: s.method.into(),
        label: s.label.into(),
        accuracy: estimate(m.accuracy),
        macro_f1: estimate(m.macro_f1),
        validation_macro_f1: s.validation_macro_f1,
        confusion: m.confusion.matrix,
        class_f1: m.per_class.iter().map(|c| c.f1).collect(),
        train_seconds: s.train_seconds,
        bytes: s.bytes,
        micros_per_text: s.micros_per_text,
        is_baseline: s.is_baseline,
    })
}

/// Scores `texts` with `model`, timing it.
fn predict_timed(model: &SentimentModel, texts: &[&str]) -> (Vec<usize>, Vec<[f32; 3]>, f64) {
    let started = std::time::Instant::now();
    let scored: Vec<_> = texts.iter().map(|t| model.score(t)).collect();
    let micros = started.elapsed().as_secs_f64() * 1e6 / texts.len().max(1) as f64;
    (
        scored.iter().map(|s| s.label).collect(),
        scored.iter().map(|s| s.probabilities).collect(),
        micros,
    )
}

pub fn train_sentiment(
    input: &SentimentInput,
    config: &SentimentConfig,
    progress: &dyn TrainProgress,
) -> Result<SentimentOutcome, CryptoError> {
    // Sentences with a known label; anything else is an importer bug, so it stops the training.
    let mut texts = Vec::with_capacity(input.sentences.len());
    let mut labels = Vec::with_capacity(input.sentences.len());
    for (text, label) in &input.sentences {
        let c = class_of(label)
            .ok_or_else(|| CryptoError::Model(format!("unknown sentiment label {label:?}")))?;
        texts.push(text.as_str());
        labels.push(c);
    }
    if texts.len() < 30 {
        return Err(CryptoError::Model(format!(
            "{} labelled sentences: import the Financial PhraseBank first (`server import`)",
            texts.len()
        )));
    }
    let split = stratified_split(&labels, config.validation, config.test, config.seed)?;
    let tokens: Vec<Vec<String>> = texts.iter().map(|t| tokens_without_stop_words(t)).collect();
    let pick = |idx: &[usize]| -> (Vec<&Vec<String>>, Vec<usize>, Vec<&str>) {
        (
            idx.iter().map(|i| &tokens[*i]).collect(),
            idx.iter().map(|i| labels[*i]).collect(),
            idx.iter().map(|i| texts[*i]).collect(),
        )
    };
    let (train_x, train_y, _) = pick(&split.train);
    let (val_x, val_y, val_t) = pick(&split.validation);
    let (_, test_y, test_t) = pick(&split.test);
    let train_docs: Vec<Vec<String>> = train_x.iter().map(|d| (*d).clone()).collect();
    let vocabulary = Vocabulary::fit(&train_docs, linear::MIN_DOCUMENT_COUNT, linear::MAX_TERMS);
    let bootstrap = BlockBootstrap {
        block: 1,
        resamples: 1000,
        seed: config.seed,
    };
    let steps = 2 + config.alphas.len() as u64 + config.cnn.len() as u64;
    progress.begin("sentiment models", steps);
    let mut results = Vec::new();
    let mut tuning = Vec::new();

    // Baselines.
    let mut counts = [0usize; 3];
    for c in &train_y {
        counts[*c] += 1;
    }
    let majority = (0..3).max_by_key(|c| counts[*c]).unwrap_or(NEUTRAL);
    results.push(result(
        Scoring {
            method: "majority",
            label: "majority class (baseline)",
            predicted: vec![majority; test_y.len()],
            validation_macro_f1: macro_f1(&vec![majority; val_y.len()], &val_y),
            train_seconds: 0.0,
            bytes: None,
            micros_per_text: 0.0,
            is_baseline: true,
        },
        &test_y,
        &bootstrap,
    )?);
    progress.step();
    let lexicon = lexicon::Lexicon::default();
    let started = std::time::Instant::now();
    let lexicon_test: Vec<usize> = test_t.iter().map(|t| lexicon.classify(t)).collect();
    let micros = started.elapsed().as_secs_f64() * 1e6 / test_t.len().max(1) as f64;
    let lexicon_val: Vec<usize> = val_t.iter().map(|t| lexicon.classify(t)).collect();
    results.push(result(
        Scoring {
            method: "lexicon",
            label: "VADER lexicon (baseline)",
            predicted: lexicon_test,
            validation_macro_f1: macro_f1(&lexicon_val, &val_y),
            train_seconds: 0.0,
            bytes: None,
            micros_per_text: micros,
            is_baseline: true,
        },
        &test_y,
        &bootstrap,
    )?);
    progress.step();

    // TF-IDF + logistic regression: the L2 strength with the best validation macro F1.
    let started_at = utc_now();
    let started = std::time::Instant::now();
    let mut best_linear: Option<(f64, f64, SentimentModel)> = None;
    for alpha in &config.alphas {
        let fitted = linear::fit(
            &vocabulary,
            &train_x,
            &train_y,
            *alpha,
            config.logistic_iterations,
        )?;
        let model = SentimentModel::Linear(fitted);
        let (val_pred, _, _) = predict_timed(&model, &val_t);
        let f1 = macro_f1(&val_pred, &val_y);
        tuning.push(SentimentTuning {
            method: LINEAR_NAME.into(),
            setting: format!("alpha {alpha}"),
            validation_macro_f1: f1,
            chosen: false,
        });
        if best_linear.as_ref().is_none_or(|b| f1 > b.0) {
            best_linear = Some((f1, *alpha, model));
        }
        progress.step();
    }
    let linear_seconds = started.elapsed().as_secs_f64();
    let (linear_val_f1, alpha, linear_model) =
        best_linear.ok_or_else(|| CryptoError::Model("no logistic regression candidate".into()))?;
    mark_chosen(&mut tuning, LINEAR_NAME, &format!("alpha {alpha}"));
    let linear_bytes = linear_model
        .to_bytes()
        .map_err(|e| CryptoError::Model(e.to_string()))?;
    let (linear_test, _, micros) = predict_timed(&linear_model, &test_t);
    let linear_result = result(
        Scoring {
            method: LINEAR_NAME,
            label: "TF-IDF + logistic regression",
            predicted: linear_test,
            validation_macro_f1: linear_val_f1,
            train_seconds: linear_seconds,
            bytes: Some(linear_bytes.len() as u64),
            micros_per_text: micros,
            is_baseline: false,
        },
        &test_y,
        &bootstrap,
    )?;
    let linear = TrainedSentiment {
        name: LINEAR_NAME,
        params: vec![
            ("alpha".into(), alpha.to_string()),
            ("vocabulary".into(), vocabulary.len().to_string()),
            (
                "min_document_count".into(),
                linear::MIN_DOCUMENT_COUNT.to_string(),
            ),
        ],
        metrics: model_metrics(&linear_result),
        model: linear_model,
        bytes: linear_bytes,
        extra: Vec::new(),
        started_at,
        ended_at: utc_now(),
    };
    results.push(linear_result);
    progress.finish(
        LINEAR_NAME,
        &format!("alpha {alpha}, validation macro F1 {linear_val_f1:.3}"),
    );

    // The CNN: each setting trained with early stopping; the best validation macro F1 is kept.
    let started_at = utc_now();
    let started = std::time::Instant::now();
    progress.begin("sentiment cnn", config.cnn.len() as u64);
    let mut best_cnn: Option<(f64, Cnn, cnn::CnnHistory)> = None;
    for c in &config.cnn {
        let net = Cnn::new(vocabulary.clone(), *c)?;
        let ids =
            |docs: &[&Vec<String>]| -> Vec<Vec<u32>> { docs.iter().map(|d| net.ids(d)).collect() };
        let (train_ids, val_ids) = (ids(&train_x), ids(&val_x));
        let history = net.fit(&train_ids, &train_y, (&val_ids, &val_y), |_, _, _| {})?;
        let val_pred: Vec<usize> = net
            .probabilities(&val_ids)?
            .iter()
            .map(|p| argmax(p))
            .collect();
        let f1 = macro_f1(&val_pred, &val_y);
        tuning.push(SentimentTuning {
            method: CNN_NAME.into(),
            setting: c.setting(),
            validation_macro_f1: f1,
            chosen: false,
        });
        if best_cnn.as_ref().is_none_or(|b| f1 > b.0) {
            best_cnn = Some((f1, net, history));
        }
        progress.step();
    }
    let cnn_seconds = started.elapsed().as_secs_f64();
    let (cnn_val_f1, net, history) =
        best_cnn.ok_or_else(|| CryptoError::Model("no network candidate".into()))?;
    mark_chosen(&mut tuning, CNN_NAME, &net.config.setting());
    let cnn_model = SentimentModel::Cnn(net.export()?);
    let cnn_bytes = cnn_model
        .to_bytes()
        .map_err(|e| CryptoError::Model(e.to_string()))?;
    let (cnn_test, _, micros) = predict_timed(&cnn_model, &test_t);
    // How often the int8 export agrees with its f32 original on the test sentences.
    let test_docs: Vec<Vec<u32>> = split.test.iter().map(|i| net.ids(&tokens[*i])).collect();
    let f32_test: Vec<usize> = net
        .probabilities(&test_docs)?
        .iter()
        .map(|p| argmax(p))
        .collect();
    let agreement = f32_test
        .iter()
        .zip(&cnn_test)
        .filter(|(a, b)| a == b)
        .count() as f64
        / cnn_test.len().max(1) as f64;
    let cnn_result = result(
        Scoring {
            method: CNN_NAME,
            label: "word CNN (candle)",
            predicted: cnn_test,
            validation_macro_f1: cnn_val_f1,
            train_seconds: cnn_seconds,
            bytes: Some(cnn_bytes.len() as u64),
            micros_per_text: micros,
            is_baseline: false,
        },
        &test_y,
        &bootstrap,
    )?;
    let epoch_seconds = history.seconds / history.train_loss.len().max(1) as f64;
    let mut cnn_metrics = model_metrics(&cnn_result);
    for (e, (t, v)) in history
        .train_loss
        .iter()
        .zip(&history.validation_loss)
        .enumerate()
    {
        cnn_metrics.push(("train_loss".into(), e as i64, *t));
        cnn_metrics.push(("validation_loss".into(), e as i64, *v));
    }
    cnn_metrics.push(("epoch_seconds".into(), 0, epoch_seconds));
    cnn_metrics.push(("int8_agreement".into(), 0, agreement));
    let mut cnn_params = vec![
        ("setting".into(), net.config.setting()),
        ("best_epoch".into(), history.best_epoch.to_string()),
    ];
    cnn_params.extend(
        serde_json::to_value(net.config)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, v.to_string())),
    );
    let cnn_trained = TrainedSentiment {
        name: CNN_NAME,
        params: cnn_params,
        metrics: cnn_metrics,
        model: cnn_model,
        bytes: cnn_bytes,
        extra: vec![(
            "cnn.safetensors".into(),
            "application/octet-stream".into(),
            net.to_safetensors()?,
        )],
        started_at,
        ended_at: utc_now(),
    };
    results.push(cnn_result);
    progress.finish(
        CNN_NAME,
        &format!(
            "{}, best epoch {} of {}, validation macro F1 {cnn_val_f1:.3}, {epoch_seconds:.2} s/epoch",
            net.config.setting(),
            history.best_epoch + 1,
            history.train_loss.len()
        ),
    );

    // Serve the learned model with the better validation macro F1 (ties: the smaller network-free one).
    let served = if cnn_val_f1 > linear_val_f1 { 1 } else { 0 };
    let models = vec![linear, cnn_trained];
    let model = &models[served].model;

    let headline_check = check_headlines(&input.headlines, model, &bootstrap)?;
    let names = TokenNames::new(&input.tokens);
    let (index, index_items) = score_items(&input.news, &names, model);
    let token_days = index
        .iter()
        .map(|r| (&r.symbol, &r.published_on))
        .collect::<std::collections::HashSet<_>>()
        .len();

    // The price models with and without lagged sentiment, on the token-days with news.
    let ablation = if input.prices.is_empty() {
        None
    } else {
        progress.begin("sentiment ablation", 1);
        let frame = crate::feature_frame(&crate::prices_frame(&input.prices)?)?;
        let data = crate::next_day_dataset(&frame)?;
        let found = ablation::ablation(&data, &index, config.seed)?;
        progress.step();
        progress.finish(
            "sentiment ablation",
            &found.as_ref().map_or("not enough news".into(), |a| {
                format!("{} test rows of {}", a.test_rows, a.tokens.join(", "))
            }),
        );
        found
    };
    let mut class_counts = vec![0usize; 3];
    for c in &labels {
        class_counts[*c] += 1;
    }
    let report = SentimentReport {
        run_id: None,
        version: None,
        sentences: texts.len(),
        train: split.train.len(),
        validation: split.validation.len(),
        test: split.test.len(),
        class_counts,
        vocabulary: vocabulary.len(),
        results,
        tuning,
        history: history
            .train_loss
            .iter()
            .zip(&history.validation_loss)
            .enumerate()
            .map(|(epoch, (t, v))| EpochLoss {
                epoch: epoch + 1,
                train: *t,
                validation: *v,
            })
            .collect(),
        best_epoch: history.best_epoch + 1,
        served: models[served].name.to_string(),
        quantized_agreement: Some(agreement),
        headline_check,
        ablation,
        index_items,
        index_token_days: token_days,
        seed: config.seed,
    };
    Ok(SentimentOutcome {
        report,
        models,
        served,
        index,
    })
}

fn mark_chosen(tuning: &mut [SentimentTuning], method: &str, setting: &str) {
    for t in tuning.iter_mut().filter(|t| t.method == method) {
        t.chosen = t.setting == setting;
    }
}

fn model_metrics(r: &SentimentModelResult) -> Vec<(String, i64, f64)> {
    vec![
        ("test_accuracy".into(), 0, r.accuracy.value),
        ("test_macro_f1".into(), 0, r.macro_f1.value),
        ("validation_macro_f1".into(), 0, r.validation_macro_f1),
        ("train_seconds".into(), 0, r.train_seconds),
    ]
}

/// Headlines the model calls positive or negative, against BTC's next day.
fn check_headlines(
    headlines: &[(String, bool)],
    model: &SentimentModel,
    bootstrap: &BlockBootstrap,
) -> Result<Option<HeadlineCheck>, CryptoError> {
    if headlines.is_empty() {
        return Ok(None);
    }
    let mut hits = Vec::new();
    for (text, up) in headlines {
        let s = model.score(text);
        if s.label == POSITIVE || s.label == NEGATIVE {
            hits.push(if (s.label == POSITIVE) == *up {
                1.0
            } else {
                0.0
            });
        }
    }
    let up_share = headlines.iter().filter(|(_, up)| *up).count() as f64 / headlines.len() as f64;
    Ok(Some(HeadlineCheck {
        headlines: headlines.len(),
        opinionated: hits.len(),
        agreement: bootstrap.mean(&hits).map(estimate),
        up_share,
    }))
}
