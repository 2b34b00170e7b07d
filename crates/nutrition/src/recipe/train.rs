//! `server train recipes`: the ingredient tagger trained on the labelled ingredient sentences
//! (80% train, 10% validation for early stopping, 10% test, seeded, duplicates removed before
//! the split), scored on the test sentences beside a per-word baseline, quantized; then the whole
//! recipe pipeline (parse → match → grams → nutrition) scored against the site-reported nutrition
//! of the test half of the recipes.

use std::collections::HashMap;
use std::time::Instant;

use mmi_learn::progress::TrainProgress;
use mmi_store::{LabelledIngredient, RecipeRecord};
use mmi_text::ingredient::{encode_model, IngredientParser, Label, TokenKind, LABELS};
use mmi_types::{ParserEvaluation, RecipeCaloriePoint, RecipeReport, TagScore, TaggerEpochPoint};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::align::AlignedLine;
use super::analyze::analyze_lines;
use super::evaluate::{error_row, is_english, is_test_recipe, median, servings, site_value};
use super::matching::FoodMatcher;
use super::study::aligned_unique;
use super::tagger::{
    score_predictions, score_tagger, train_tagger, Sample, TaggerParams, TaggerScores,
};
use crate::nutrient::Nutrient;
use crate::train::utc_now;
use crate::{Food, NutritionError};

/// The registry task and model name of the ingredient parser.
pub const PARSER_TASK: &str = "ingredient_parser";
pub const PARSER_MODEL: &str = "crf_tagger";
pub const RECIPE_EXPERIMENT: &str = "recipes";
pub const RECIPE_RUN: &str = "recipes";
pub const RECIPE_REPORT_ARTIFACT: &str = "recipe_report.json";

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecipeConfig {
    pub quick: bool,
    pub tagger: TaggerParams,
    /// At most this many training sentences (all in a full run).
    pub max_train: usize,
}

impl RecipeConfig {
    pub fn full() -> RecipeConfig {
        RecipeConfig {
            quick: false,
            tagger: TaggerParams::default(),
            max_train: usize::MAX,
        }
    }

    /// A few thousand sentences and three epochs: for tests and CI.
    pub fn quick() -> RecipeConfig {
        RecipeConfig {
            quick: true,
            tagger: TaggerParams {
                max_epochs: 3,
                ..TaggerParams::default()
            },
            max_train: 3000,
        }
    }

    pub fn params(&self) -> Vec<(String, String)> {
        let t = &self.tagger;
        vec![
            ("buckets".into(), t.buckets.to_string()),
            ("max_epochs".into(), t.max_epochs.to_string()),
            ("patience".into(), t.patience.to_string()),
            ("learning_rate".into(), t.learning_rate.to_string()),
            ("l2".into(), t.l2.to_string()),
            ("seed".into(), t.seed.to_string()),
            ("features".into(), format!("{:?}", t.features)),
            (
                "max_train".into(),
                if self.max_train == usize::MAX {
                    "all".into()
                } else {
                    self.max_train.to_string()
                },
            ),
        ]
    }
}

pub struct RecipeInput {
    pub sentences: Vec<LabelledIngredient>,
    pub recipes: Vec<RecipeRecord>,
    pub foods: Vec<Food>,
}

/// The trained parser for the registry.
pub struct TrainedParser {
    pub bytes: Vec<u8>,
    pub params: Vec<(String, String)>,
    pub metrics: Vec<(String, i64, f64)>,
    pub started_at: String,
    pub ended_at: String,
}

pub struct RecipeOutcome {
    pub report: RecipeReport,
    pub parser: TrainedParser,
}

fn evaluation(name: &str, s: &TaggerScores) -> ParserEvaluation {
    ParserEvaluation {
        name: name.to_string(),
        n_sentences: s.n_sentences,
        n_tokens: s.n_tokens,
        word_accuracy: s.word_accuracy.into(),
        word_accuracy_no_punctuation: s.word_accuracy_no_punctuation.into(),
        sentence_accuracy: s.sentence_accuracy.into(),
        labels: s
            .labels
            .iter()
            .map(|l| TagScore {
                label: l.label.clone(),
                support: l.support,
                precision: l.precision,
                recall: l.recall,
                f1: l.f1,
            })
            .collect(),
    }
}

/// The baseline tagger: every word gets its most frequent training label; a word never seen
/// gets its kind's (a number QTY, punctuation OTHER, a word NAME).
fn baseline_predictions(train: &[AlignedLine], test: &[AlignedLine]) -> Vec<Vec<usize>> {
    let mut counts: HashMap<String, [usize; 8]> = HashMap::new();
    for l in train {
        for (t, y) in l.tokens.iter().zip(&l.labels) {
            counts
                .entry(mmi_text::ingredient::stem(&t.text))
                .or_insert([0; 8])[y.index()] += 1;
        }
    }
    test.iter()
        .map(|l| {
            l.tokens
                .iter()
                .map(|t| match counts.get(&mmi_text::ingredient::stem(&t.text)) {
                    Some(c) => (0..LABELS.len())
                        .max_by_key(|k| (c[*k], usize::MAX - k))
                        .unwrap_or(0),
                    None => match t.kind {
                        TokenKind::Quantity => Label::Qty.index(),
                        TokenKind::Punctuation => Label::Other.index(),
                        TokenKind::Word => Label::Name.index(),
                    },
                })
                .collect()
        })
        .collect()
}

/// Preparation time against NRF9.3 over the catalogue's recipes that have both.
fn prep_density(catalogue: &[crate::meals::RecipeProfile]) -> Option<mmi_types::PrepDensity> {
    let points: Vec<(f64, f64)> = catalogue
        .iter()
        .filter_map(|p| Some((f64::from(p.prep_minutes?), p.nrf93?)))
        .collect();
    if points.len() < 10 {
        return None;
    }
    let rho = |idx: &[usize]| {
        let x: Vec<Option<f64>> = idx.iter().map(|i| Some(points[*i].0)).collect();
        let y: Vec<Option<f64>> = idx.iter().map(|i| Some(points[*i].1)).collect();
        mmi_signals::stats::spearman(&x, &y)
    };
    let bootstrap = mmi_learn::ci::BlockBootstrap {
        block: 1,
        resamples: 1000,
        seed: 42,
    };
    let quick: Vec<f64> = points.iter().filter(|p| p.0 <= 30.0).map(|p| p.1).collect();
    let slow: Vec<f64> = points.iter().filter(|p| p.0 > 30.0).map(|p| p.1).collect();
    Some(mmi_types::PrepDensity {
        spearman: bootstrap.interval(points.len(), rho).map(Into::into),
        median_quick: median(&quick),
        median_slow: median(&slow),
        points,
    })
}

/// The whole recipe run (blocking: call it off the async runtime).
pub fn train_recipes(
    input: &RecipeInput,
    config: &RecipeConfig,
    progress: &dyn TrainProgress,
) -> Result<RecipeOutcome, NutritionError> {
    let started_at = utc_now();
    // Align, drop duplicate lines (the same line in both files would leak across the split).
    let mut aligned: Vec<AlignedLine> = aligned_unique(&input.sentences)
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    let n_labelled = input.sentences.iter().filter(|s| s.name.is_some()).count();
    if aligned.len() < 50 {
        return Err(NutritionError::Model(format!(
            "only {} usable labelled ingredient sentences: import the ingredient data first",
            aligned.len()
        )));
    }
    let n_aligned = aligned.len();
    let mut rng = ChaCha8Rng::seed_from_u64(config.tagger.seed);
    aligned.shuffle(&mut rng);
    let n_test = n_aligned / 10;
    let n_validation = n_aligned / 10;
    let test = aligned.split_off(n_aligned - n_test);
    let validation = aligned.split_off(aligned.len() - n_validation);
    let mut train = aligned;
    train.truncate(config.max_train);
    let buckets = config.tagger.buckets;
    let to_samples = |lines: &[AlignedLine]| -> Vec<Sample> {
        lines
            .iter()
            .map(|l| Sample::with_features(l, buckets, config.tagger.features))
            .collect()
    };
    let (train_s, validation_s, test_s) = (
        to_samples(&train),
        to_samples(&validation),
        to_samples(&test),
    );

    progress.begin("crf tagger", config.tagger.max_epochs as u64);
    let fit_started = Instant::now();
    let (crf, epochs) = train_tagger(&train_s, &validation_s, &config.tagger, |_| progress.step());
    let train_seconds = fit_started.elapsed().as_secs_f64();
    // What is shipped is the quantized model: score that one.
    let bytes = encode_model(&crf, config.tagger.features);
    let parser =
        IngredientParser::from_bytes(&bytes).map_err(|e| NutritionError::Model(e.to_string()))?;
    let scores = score_tagger(parser.crf(), &test_s);
    let baseline = score_predictions(&test_s, &baseline_predictions(&train, &test));
    progress.finish(
        "crf tagger",
        &format!(
            "words {:.4}, sentences {:.4} on {} test sentences ({:.1} s)",
            scores.word_accuracy.estimate,
            scores.sentence_accuracy.estimate,
            test.len(),
            train_seconds
        ),
    );

    // The whole pipeline on recipes with site nutrition.
    progress.begin("recipe nutrition", 1);
    let matcher = FoodMatcher::new(&input.foods);
    let evaluated: Vec<(&RecipeRecord, u32)> = input
        .recipes
        .iter()
        .filter(|r| is_english(r) && !r.ingredients.is_empty())
        .filter_map(|r| {
            let n = servings(r.yields.as_deref()?)?;
            let json = r.nutrients_json.as_deref()?;
            site_value(json, Nutrient::Energy).filter(|v| *v > 0.0)?;
            Some((r, n))
        })
        .collect();
    let development_median = |n: Nutrient| {
        let v: Vec<f64> = evaluated
            .iter()
            .filter(|(r, _)| !is_test_recipe(r))
            .filter_map(|(r, _)| site_value(r.nutrients_json.as_deref()?, n))
            .collect();
        median(&v).unwrap_or(0.0)
    };
    let mut pairs: HashMap<&str, Vec<(f64, f64)>> = HashMap::new();
    let mut calories = Vec::new();
    let (mut lines, mut matched, mut counted) = (0usize, 0usize, 0usize);
    let mut mass_shares = Vec::new();
    let test_recipes: Vec<&(&RecipeRecord, u32)> = evaluated
        .iter()
        .filter(|(r, _)| is_test_recipe(r))
        .collect();
    // Sites none of whose recipes is in the development half (a split by host).
    let development_hosts: std::collections::HashSet<&str> = input
        .recipes
        .iter()
        .filter(|r| !is_test_recipe(r))
        .filter_map(|r| r.host.as_deref())
        .collect();
    let unseen = |r: &RecipeRecord| {
        r.host
            .as_deref()
            .is_some_and(|h| !development_hosts.contains(h))
    };
    let mut unseen_pairs = Vec::new();
    let mut unseen_hosts = std::collections::HashSet::new();
    for (r, n) in &test_recipes {
        let result = analyze_lines(&parser, &matcher, &input.foods, &r.ingredients, *n);
        lines += result.lines.len();
        matched += result.lines.iter().filter(|l| l.matched.is_some()).count();
        let coverage = result.coverage();
        counted += coverage.counted;
        if let Some(s) = coverage.mass_share {
            mass_shares.push(s);
        }
        let json = r.nutrients_json.as_deref().unwrap_or("{}");
        for (key, nutrient) in [
            ("calories", Nutrient::Energy),
            ("protein", Nutrient::Protein),
            ("fat", Nutrient::Fat),
            ("carbohydrate", Nutrient::Carbohydrate),
        ] {
            if let (Some(ours), Some(site)) =
                (result.per_serving(nutrient), site_value(json, nutrient))
            {
                pairs.entry(key).or_default().push((ours, site));
                if nutrient == Nutrient::Energy && unseen(r) {
                    unseen_pairs.push((ours, site));
                    unseen_hosts.insert(r.host.clone());
                }
                if nutrient == Nutrient::Energy {
                    calories.push(RecipeCaloriePoint {
                        title: r.title.clone(),
                        site_kcal: site,
                        our_kcal: ours,
                        mass_share: coverage.mass_share,
                    });
                }
            }
        }
    }
    let nutrition: Vec<_> = [
        ("calories", Nutrient::Energy),
        ("protein", Nutrient::Protein),
        ("fat", Nutrient::Fat),
        ("carbohydrate", Nutrient::Carbohydrate),
    ]
    .iter()
    .filter_map(|(key, n)| error_row(key, pairs.get(key)?, development_median(*n)))
    .collect();
    let calorie_row = nutrition.iter().find(|r| r.nutrient == "calories");
    progress.finish(
        "recipe nutrition",
        &calorie_row.map_or("no recipes with site calories".into(), |r| {
            format!(
                "calories MdAPE {:.3} (baseline {:.3}) on {} recipes",
                r.mdape.value, r.baseline_mdape.value, r.n_recipes
            )
        }),
    );

    let mut metrics = vec![
        (
            "test_word_accuracy".to_string(),
            0,
            scores.word_accuracy.estimate,
        ),
        (
            "test_sentence_accuracy".to_string(),
            0,
            scores.sentence_accuracy.estimate,
        ),
        (
            "baseline_word_accuracy".to_string(),
            0,
            baseline.word_accuracy.estimate,
        ),
        ("model_bytes".to_string(), 0, bytes.len() as f64),
    ];
    for (i, e) in epochs.iter().enumerate() {
        metrics.push(("train_loss".into(), i as i64 + 1, e.train_loss));
        metrics.push((
            "validation_word_accuracy".into(),
            i as i64 + 1,
            e.validation_word_accuracy,
        ));
    }
    if let Some(r) = calorie_row {
        metrics.push(("calories_mdape".into(), 0, r.mdape.value));
    }
    let mut report = RecipeReport {
        prep_density: None,
        n_labelled,
        n_aligned,
        n_train: train.len(),
        n_validation: validation.len(),
        n_test: test.len(),
        epochs: epochs
            .iter()
            .map(|e| TaggerEpochPoint {
                epoch: e.epoch,
                train_loss: e.train_loss,
                validation_word_accuracy: e.validation_word_accuracy,
                seconds: e.seconds,
            })
            .collect(),
        parser: evaluation("CRF tagger (int8)", &scores),
        baseline: evaluation("most frequent label per word", &baseline),
        model_bytes: bytes.len(),
        train_seconds,
        nutrition_recipes: test_recipes.len(),
        unseen_sites: error_row(
            "calories",
            &unseen_pairs,
            development_median(Nutrient::Energy),
        ),
        unseen_site_count: unseen_hosts.len(),
        nutrition,
        calories,
        lines_matched: matched as f64 / lines.max(1) as f64,
        lines_counted: counted as f64 / lines.max(1) as f64,
        median_mass_share: median(&mass_shares),
        meals: None,
    };
    progress.begin("meals", 1);
    let catalogue = crate::meals::build_catalogue(&parser, &matcher, &input.foods, &input.recipes);
    let sides = crate::meals::build_sides(&input.foods);
    // A quick run plans every fifth request of the grid.
    let every = if config.quick { 5 } else { 1 };
    let meals =
        (!catalogue.is_empty()).then(|| crate::meals::evaluate_meals(&catalogue, &sides, every));
    progress.finish(
        "meals",
        &meals.as_ref().map_or("no recipe catalogue".into(), |m| {
            format!(
                "{} recipes; top-5 energy error {:.3} vs random {:.3}; {} of {} week plans on target",
                m.catalogue, m.energy_error, m.baseline_energy_error, m.plans_on_target, m.plans
            )
        }),
    );
    report.meals = meals;
    report.prep_density = prep_density(&catalogue);
    Ok(RecipeOutcome {
        report,
        parser: TrainedParser {
            bytes,
            params: config.params(),
            metrics,
            started_at,
            ended_at: utc_now(),
        },
    })
}
