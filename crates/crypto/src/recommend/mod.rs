//! `server train recommend`'s token half as a pure computation: behaviour profiles from the real
//! prices, a seeded population of simulated traders, collaborative models trained on the training
//! traders, every hyperparameter and the hybrid weight tuned on validation traders, and every
//! method scored on the test traders' held-out tokens beside the popularity baseline. The scoring
//! is `mmi_rank::tokens`, on the int8 model that is served, so what is evaluated is what ranks in
//! the browser and behind `/api/recommend`.

mod als;
pub mod profile;
pub mod simulate;

use mmi_learn::ci::BlockBootstrap;
use mmi_learn::metrics::ranking::{
    catalogue_coverage, hit_at_k, intra_list_diversity, ndcg_at_k, novelty, precision_at_k,
    recall_at_k,
};
use mmi_learn::progress::TrainProgress;
use mmi_rank::tokens::{Holding, Method, TokenModel};
use mmi_rank::Int8Rows;
use mmi_store::PriceRow;
use mmi_types::{
    ArchetypeSummary, Estimate, RecommenderReport, RecommenderResult, TokenProfile, TuningPoint,
};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::CryptoError;
pub use profile::{profiles, sector, Profiles, PROFILE_FEATURES};
pub use simulate::{simulate, Trader, ARCHETYPES};

/// The experiment and the registry task of the token recommender.
pub const EXPERIMENT: &str = "recommenders";
pub const TOKEN_TASK: &str = "recommend_tokens";
pub const TOKEN_MODEL_NAME: &str = "token_recommender";
/// The parent run of `server train recommend` and its report artifact.
pub const PARENT_RUN: &str = "train recommend";
pub const REPORT_ARTIFACT: &str = "recommender_report.json";

/// What to simulate, tune and measure.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendConfig {
    pub traders: usize,
    pub seed: u64,
    pub k: usize,
    pub profile_days: usize,
    /// Share of an evaluated trader's tokens held out (at least one, never all).
    pub held_out_share: f64,
    /// ALS candidates `(factors, regularisation, alpha)`.
    pub als_grid: Vec<(usize, f32, f32)>,
    pub als_iterations: usize,
    pub neighbour_grid: Vec<u32>,
    pub hybrid_grid: Vec<f32>,
    pub bootstrap_resamples: usize,
    pub quick: bool,
}

impl RecommendConfig {
    pub fn full() -> Self {
        RecommendConfig {
            traders: 4000,
            seed: 42,
            k: 5,
            profile_days: 365,
            held_out_share: 0.3,
            als_grid: [4, 8]
                .into_iter()
                .flat_map(|f| {
                    [0.1f32, 1.0]
                        .into_iter()
                        .flat_map(move |l| [2.0f32, 10.0, 40.0].into_iter().map(move |a| (f, l, a)))
                })
                .collect(),
            als_iterations: 15,
            neighbour_grid: vec![10, 25, 50, 100, 200],
            hybrid_grid: (0..=10).map(|i| i as f32 / 10.0).collect(),
            bootstrap_resamples: 1000,
            quick: false,
        }
    }

    pub fn quick() -> Self {
        RecommendConfig {
            traders: 1500,
            als_grid: vec![(8, 0.1, 10.0)],
            als_iterations: 8,
            neighbour_grid: vec![50],
            hybrid_grid: vec![0.0, 0.5, 1.0],
            bootstrap_resamples: 200,
            quick: true,
            ..Self::full()
        }
    }

    pub fn params(&self) -> Vec<(String, String)> {
        [
            ("traders", self.traders.to_string()),
            ("seed", self.seed.to_string()),
            ("k", self.k.to_string()),
            ("profile_days", self.profile_days.to_string()),
            ("held_out_share", self.held_out_share.to_string()),
            ("als_iterations", self.als_iterations.to_string()),
            ("bootstrap_resamples", self.bootstrap_resamples.to_string()),
            ("quick", self.quick.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

/// A trader of the validation or test set: what the recommender sees and what it should find.
#[derive(Debug, Clone)]
struct EvalUser {
    visible: Vec<Holding>,
    hidden: Vec<usize>,
}

/// The trained recommender, its artifact and what was measured.
pub struct RecommendOutcome {
    pub model: TokenModel,
    pub artifact: Vec<u8>,
    pub report: RecommenderReport,
    pub params: Vec<(String, String)>,
    pub metrics: Vec<(String, i64, f64)>,
    pub started_at: String,
    pub ended_at: String,
}

/// Trains, tunes and evaluates the token recommender on `rows` (every stored price).
pub fn train_recommender(
    rows: &[PriceRow],
    config: &RecommendConfig,
    progress: &dyn TrainProgress,
) -> Result<RecommendOutcome, CryptoError> {
    let started_at = crate::train::utc_now();
    let profiles = profiles(rows, config.profile_days);
    let n = profiles.symbols.len();
    if n < config.k + 2 {
        return Err(CryptoError::Model(format!(
            "{n} tokens: too few to recommend {} of them",
            config.k
        )));
    }
    let steps = (config.als_grid.len()
        + config.neighbour_grid.len()
        + config.hybrid_grid.len()
        + Method::ALL.len()) as u64;
    progress.begin(TOKEN_MODEL_NAME, steps);

    let traders = simulate(&profiles, config.traders, config.seed);
    let mut order: Vec<usize> = (0..traders.len()).collect();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(config.seed ^ 0x5eed);
    order.shuffle(&mut rng);
    let n_train = traders.len() * 70 / 100;
    let n_val = traders.len() * 15 / 100;
    let train: Vec<&Trader> = order[..n_train].iter().map(|i| &traders[*i]).collect();
    let split_eval = |ids: &[usize], rng: &mut Xoshiro256PlusPlus| -> Vec<EvalUser> {
        ids.iter()
            .filter_map(|i| hide(&traders[*i], config.held_out_share, rng))
            .collect()
    };
    let validation = split_eval(&order[n_train..n_train + n_val], &mut rng);
    let test = split_eval(&order[n_train + n_val..], &mut rng);

    // The parts that need no tuning.
    let content_rows: Vec<Vec<f32>> = profiles
        .z
        .iter()
        .map(|r| r.iter().map(|v| *v as f32).collect())
        .collect();
    let content = Int8Rows::from_dense(&content_rows).map_err(model_err)?;
    let mut popularity = vec![0.0f32; n];
    for t in &train {
        for (i, _) in &t.holdings {
            popularity[*i] += 1.0;
        }
    }
    for p in &mut popularity {
        *p /= train.len().max(1) as f32;
    }
    let item_item = Int8Rows::from_dense(&co_holding(&train, n)).map_err(model_err)?;
    let users: Vec<Vec<u16>> = train
        .iter()
        .map(|t| t.holdings.iter().map(|h| h.0 as u16).collect())
        .collect();
    let weighted: Vec<Vec<(usize, f64)>> = train.iter().map(|t| t.holdings.clone()).collect();

    let mut model = TokenModel {
        symbols: profiles.symbols.clone(),
        sectors: profiles
            .symbols
            .iter()
            .map(|s| sector(s).to_string())
            .collect(),
        profile_features: PROFILE_FEATURES.iter().map(|s| s.to_string()).collect(),
        content,
        item_item,
        users,
        user_neighbours: config.neighbour_grid.first().copied().unwrap_or(50),
        factors: Int8Rows::from_dense(&vec![vec![0.0; 1]; n]).map_err(model_err)?,
        als_regularization: 0.1,
        als_alpha: 10.0,
        popularity,
        collaborative: Method::ItemKnn,
        hybrid_weight: 0.5,
    };
    let mut tuning = Vec::new();

    // ALS: factors, regularisation and confidence on validation traders.
    let mut best: Option<(f64, Int8Rows, f32, f32, usize)> = None;
    for &(f, lambda, alpha) in &config.als_grid {
        let y = als::train(
            &weighted,
            n,
            f,
            lambda,
            alpha,
            config.als_iterations,
            config.seed,
        );
        let rows: Vec<Vec<f32>> = y
            .iter()
            .map(|r| r.iter().map(|v| *v as f32).collect())
            .collect();
        model.factors = Int8Rows::from_dense(&rows).map_err(model_err)?;
        model.als_regularization = lambda;
        model.als_alpha = alpha;
        let score = mean_ndcg(&model, &validation, Method::Als, config.k);
        tuning.push(TuningPoint {
            method: "als".into(),
            params: format!("factors {f}, λ {lambda}, α {alpha}"),
            validation_ndcg: score,
            chosen: false,
        });
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((
                score,
                model.factors.clone(),
                lambda,
                alpha,
                tuning.len() - 1,
            ));
        }
        progress.step();
    }
    if let Some((_, factors, lambda, alpha, at)) = best {
        model.factors = factors;
        model.als_regularization = lambda;
        model.als_alpha = alpha;
        tuning[at].chosen = true;
    }
    // User-user CF: the neighbourhood size.
    let mut best: Option<(f64, u32, usize)> = None;
    for &k in &config.neighbour_grid {
        model.user_neighbours = k;
        let score = mean_ndcg(&model, &validation, Method::UserKnn, config.k);
        tuning.push(TuningPoint {
            method: "user_knn".into(),
            params: format!("{k} neighbours"),
            validation_ndcg: score,
            chosen: false,
        });
        if best.is_none_or(|b| score > b.0) {
            best = Some((score, k, tuning.len() - 1));
        }
        progress.step();
    }
    if let Some((_, k, at)) = best {
        model.user_neighbours = k;
        tuning[at].chosen = true;
    }
    // The collaborative method, then the hybrid's weight.
    let cf = [Method::UserKnn, Method::ItemKnn, Method::Als];
    let cf_scores: Vec<f64> = cf
        .iter()
        .map(|m| mean_ndcg(&model, &validation, *m, config.k))
        .collect();
    let at = (0..cf.len()).fold(0, |b, i| if cf_scores[i] > cf_scores[b] { i } else { b });
    model.collaborative = cf[at];
    let mut best: Option<(f64, f32, usize)> = None;
    for &w in &config.hybrid_grid {
        model.hybrid_weight = w;
        let score = mean_ndcg(&model, &validation, Method::Hybrid, config.k);
        tuning.push(TuningPoint {
            method: "hybrid".into(),
            params: format!("CF weight {w:.1}"),
            validation_ndcg: score,
            chosen: false,
        });
        if best.is_none_or(|b| score > b.0) {
            best = Some((score, w, tuning.len() - 1));
        }
        progress.step();
    }
    if let Some((_, w, at)) = best {
        model.hybrid_weight = w;
        tuning[at].chosen = true;
    }

    // The test traders, once.
    let bootstrap = BlockBootstrap {
        block: 1,
        resamples: config.bootstrap_resamples,
        seed: config.seed,
    };
    let popularity_ndcg = per_user(&model, &test, Method::Popularity, config.k).ndcg;
    let mut results = Vec::new();
    let mut metrics = Vec::new();
    for method in Method::ALL {
        let r = per_user(&model, &test, method, config.k);
        let mean_ci = |v: &[f64]| estimate(&bootstrap, v);
        let vs = (method != Method::Popularity).then(|| {
            let diff: Vec<f64> = r
                .ndcg
                .iter()
                .zip(&popularity_ndcg)
                .map(|(a, b)| a - b)
                .collect();
            mean_ci(&diff)
        });
        let pop: Vec<f64> = model.popularity.iter().map(|p| f64::from(*p)).collect();
        let diversity = mean(
            &r.lists
                .iter()
                .filter_map(|l| {
                    intra_list_diversity(l, |a, b| {
                        f64::from(mmi_rank::rows::cosine_i8(
                            model.content.row(a),
                            model.content.row(b),
                        ))
                    })
                })
                .collect::<Vec<_>>(),
        );
        let nov = mean(
            &r.lists
                .iter()
                .filter_map(|l| novelty(l, &pop, train.len()))
                .collect::<Vec<_>>(),
        );
        let result = RecommenderResult {
            method: method.key().into(),
            label: method.label().into(),
            baseline: method == Method::Popularity,
            precision: mean_ci(&r.precision),
            recall: mean_ci(&r.recall),
            ndcg: mean_ci(&r.ndcg),
            hit_rate: mean_ci(&r.hit),
            ndcg_vs_popularity: vs,
            coverage: catalogue_coverage(&r.lists, n),
            diversity,
            novelty: nov,
            validation_ndcg: mean_ndcg(&model, &validation, method, config.k),
        };
        let key = method.key();
        for (name, value) in [
            ("precision_at_k", Some(result.precision.value)),
            ("recall_at_k", Some(result.recall.value)),
            ("ndcg_at_k", Some(result.ndcg.value)),
            ("hit_rate", Some(result.hit_rate.value)),
            ("coverage", Some(result.coverage)),
            ("diversity", result.diversity),
            ("novelty", result.novelty),
            ("validation_ndcg_at_k", Some(result.validation_ndcg)),
        ] {
            if let Some(v) = value {
                metrics.push((format!("test_{key}_{name}"), 0, v));
            }
        }
        results.push(result);
        progress.step();
    }
    let int8_recall = int8_agreement(&model, &content_rows, &test, config.k);
    metrics.push(("int8_content_recall_at_k".into(), 0, int8_recall));
    let artifact = model.to_bytes();
    let best = results
        .iter()
        .filter(|r| !r.baseline)
        .max_by(|a, b| a.ndcg.value.total_cmp(&b.ndcg.value));
    progress.finish(
        TOKEN_MODEL_NAME,
        &format!(
            "best NDCG@{} {} {:.3} vs popularity {:.3}",
            config.k,
            best.map_or("-", |b| b.method.as_str()),
            best.map_or(f64::NAN, |b| b.ndcg.value),
            results.first().map_or(f64::NAN, |r| r.ndcg.value)
        ),
    );

    let archetypes = ARCHETYPES
        .iter()
        .enumerate()
        .map(|(a, arch)| {
            let of: Vec<&Trader> = traders.iter().filter(|t| t.archetype == a).collect();
            let mut top: Vec<(String, f64)> = (0..n)
                .map(|i| {
                    let held = of
                        .iter()
                        .filter(|t| t.holdings.iter().any(|h| h.0 == i))
                        .count();
                    (
                        profiles.symbols[i].clone(),
                        held as f64 / of.len().max(1) as f64,
                    )
                })
                .collect();
            top.sort_by(|a, b| b.1.total_cmp(&a.1));
            top.truncate(5);
            ArchetypeSummary {
                name: arch.name.into(),
                description: arch.description.into(),
                share: arch.share,
                traders: of.len(),
                top_tokens: top,
            }
        })
        .collect();
    let mut params = config.params();
    params.extend([
        (
            "collaborative".to_string(),
            model.collaborative.key().to_string(),
        ),
        ("hybrid_weight".to_string(), model.hybrid_weight.to_string()),
        (
            "user_neighbours".to_string(),
            model.user_neighbours.to_string(),
        ),
        ("als_factors".to_string(), model.factors.dim().to_string()),
        (
            "als_regularization".to_string(),
            model.als_regularization.to_string(),
        ),
        ("als_alpha".to_string(), model.als_alpha.to_string()),
    ]);
    let report = RecommenderReport {
        run_id: None,
        version: None,
        k: config.k,
        seed: config.seed,
        traders: traders.len(),
        train_traders: train.len(),
        validation_traders: validation.len(),
        test_traders: test.len(),
        held_out_share: config.held_out_share,
        profile_days: config.profile_days,
        profile_to: profiles.to.clone(),
        profile_features: model.profile_features.clone(),
        profiles: profiles
            .symbols
            .iter()
            .zip(&profiles.z)
            .map(|(s, z)| TokenProfile {
                symbol: s.clone(),
                sector: sector(s).into(),
                values: z.clone(),
            })
            .collect(),
        archetypes,
        results,
        tuning,
        collaborative: model.collaborative.key().into(),
        hybrid_weight: f64::from(model.hybrid_weight),
        int8_recall,
        artifact_bytes: artifact.len() as u64,
        food_bundle: None,
    };
    Ok(RecommendOutcome {
        model,
        artifact,
        report,
        params,
        metrics,
        started_at,
        ended_at: crate::train::utc_now(),
    })
}

fn model_err(e: mmi_rank::RankError) -> CryptoError {
    CryptoError::Model(e.to_string())
}

/// Hides `share` of a trader's tokens (at least one, leaving at least one); `None` for a trader
/// with a single token.
fn hide(t: &Trader, share: f64, rng: &mut Xoshiro256PlusPlus) -> Option<EvalUser> {
    let len = t.holdings.len();
    if len < 2 {
        return None;
    }
    let count = ((share * len as f64).round() as usize).clamp(1, len - 1);
    let mut idx: Vec<usize> = (0..len).collect();
    idx.shuffle(rng);
    let hidden: Vec<usize> = idx[..count].iter().map(|i| t.holdings[*i].0).collect();
    let mut visible: Vec<Holding> = idx[count..]
        .iter()
        .map(|i| Holding {
            index: t.holdings[*i].0,
            weight: t.holdings[*i].1 as f32,
        })
        .collect();
    visible.sort_by_key(|h| h.index);
    let total: f32 = visible.iter().map(|h| h.weight).sum();
    for h in &mut visible {
        h.weight /= total;
    }
    Some(EvalUser { visible, hidden })
}

/// Cosine similarity of the tokens' columns in the binary trader × token matrix.
fn co_holding(train: &[&Trader], n: usize) -> Vec<Vec<f32>> {
    let mut both = vec![vec![0.0f64; n]; n];
    for t in train {
        for (a, _) in &t.holdings {
            for (b, _) in &t.holdings {
                both[*a][*b] += 1.0;
            }
        }
    }
    (0..n)
        .map(|a| {
            (0..n)
                .map(|b| {
                    let d = (both[a][a] * both[b][b]).sqrt();
                    if d > 0.0 {
                        (both[a][b] / d) as f32
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

struct PerUser {
    precision: Vec<f64>,
    recall: Vec<f64>,
    ndcg: Vec<f64>,
    hit: Vec<f64>,
    lists: Vec<Vec<usize>>,
}

fn per_user(model: &TokenModel, users: &[EvalUser], method: Method, k: usize) -> PerUser {
    let mut out = PerUser {
        precision: Vec::new(),
        recall: Vec::new(),
        ndcg: Vec::new(),
        hit: Vec::new(),
        lists: Vec::new(),
    };
    for u in users {
        let list: Vec<usize> = model
            .recommend(&u.visible, method, k)
            .into_iter()
            .map(|s| s.index)
            .collect();
        out.precision.push(precision_at_k(&list, &u.hidden, k));
        out.recall
            .push(recall_at_k(&list, &u.hidden, k).unwrap_or(0.0));
        out.ndcg.push(ndcg_at_k(&list, &u.hidden, k).unwrap_or(0.0));
        out.hit.push(hit_at_k(&list, &u.hidden, k));
        out.lists.push(list);
    }
    out
}

fn mean_ndcg(model: &TokenModel, users: &[EvalUser], method: Method, k: usize) -> f64 {
    mean(&per_user(model, users, method, k).ndcg).unwrap_or(0.0)
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn estimate(bootstrap: &BlockBootstrap, values: &[f64]) -> Estimate {
    bootstrap.mean(values).map_or(
        Estimate {
            value: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        },
        |c| Estimate {
            value: c.estimate,
            low: c.low,
            high: c.high,
        },
    )
}

/// Recall@k of the int8 content ranking against the same ranking computed on the f32 profiles.
fn int8_agreement(model: &TokenModel, rows: &[Vec<f32>], users: &[EvalUser], k: usize) -> f64 {
    let cos = |a: &[f32], b: &[f32]| {
        let d: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        let n = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
        let nn = n(a) * n(b);
        if nn > 0.0 {
            d / nn
        } else {
            0.0
        }
    };
    let agree: Vec<f64> = users
        .iter()
        .map(|u| {
            let held = |j: usize| u.visible.iter().any(|h| h.index == j);
            let exact = mmi_rank::top_k_by(rows.len(), k, |j| {
                (!held(j)).then(|| {
                    u.visible
                        .iter()
                        .map(|h| h.weight * cos(&rows[h.index], &rows[j]))
                        .sum()
                })
            });
            let quantized = model.recommend(&u.visible, Method::Content, k);
            let same = quantized
                .iter()
                .filter(|q| exact.iter().any(|e| e.0 == q.index))
                .count();
            same as f64 / exact.len().max(1) as f64
        })
        .collect();
    mean(&agree).unwrap_or(0.0)
}
