//! Diet-label classifiers that read nutrient values only (never the description or the group the
//! rules read), so a good score means the label is learnable from composition.
//!
//! - the majority baseline: each label's majority class in the training foods;
//! - one-vs-rest logistic regression, random forest and RBF SVM (`mmi_learn::models`);
//! - a candle network with eight sigmoid outputs trained on binary cross-entropy of logits.
//!
//! Every model's per-label decision threshold is chosen on the validation foods (the best F1 on
//! a grid of 0.05..0.95); the hold-out foods are scored once.

use mmi_learn::models::{fit_classifier, ClassifierKind, ClassifierParams, FittedClassifier};
use ndarray::{Array1, Array2};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::rules::{label_food, DIET_LABELS};
use crate::neural::{bce_with_logits, tensor, FitConfig, History, Mlp};
use crate::{Food, NutritionError};

pub const N_LABELS: usize = DIET_LABELS.len();

/// The foods whose every label is decided, with their labels.
pub struct LabelledSet {
    /// Indices into the food list.
    pub foods: Vec<usize>,
    pub labels: Vec<[bool; N_LABELS]>,
    /// Foods left out because a rule could not decide (a needed nutrient is missing).
    pub undecided: usize,
}

pub fn labelled_set(foods: &[Food]) -> LabelledSet {
    let mut set = LabelledSet {
        foods: Vec::new(),
        labels: Vec::new(),
        undecided: 0,
    };
    for (i, food) in foods.iter().enumerate() {
        let decided: Option<Vec<bool>> = label_food(food).iter().copied().collect();
        match decided {
            Some(v) => {
                let mut row = [false; N_LABELS];
                row.copy_from_slice(&v);
                set.foods.push(i);
                set.labels.push(row);
            }
            None => set.undecided += 1,
        }
    }
    set
}

/// Splits positions `0..labels.len()` into (rest, held out) with `share` of every stratum held
/// out. Strata are label combinations; combinations too rare to split (fewer than 1 / `share`
/// foods) share one stratum. Both parts come back shuffled by `seed`.
pub fn stratified_split(
    labels: &[[bool; N_LABELS]],
    share: f64,
    seed: u64,
) -> (Vec<usize>, Vec<usize>) {
    use std::collections::BTreeMap;
    let key = |l: &[bool; N_LABELS]| l.iter().fold(0u16, |k, b| (k << 1) | u16::from(*b));
    let mut counts: BTreeMap<u16, usize> = BTreeMap::new();
    for l in labels {
        *counts.entry(key(l)).or_default() += 1;
    }
    let min = (1.0 / share).ceil() as usize;
    let mut strata: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
    for (i, l) in labels.iter().enumerate() {
        let k = key(l);
        let k = if counts[&k] < min { u16::MAX } else { k };
        strata.entry(k).or_default().push(i);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut rest, mut held) = (Vec::new(), Vec::new());
    for (_, mut members) in strata {
        members.shuffle(&mut rng);
        let n_held = (members.len() as f64 * share).round() as usize;
        held.extend_from_slice(&members[..n_held]);
        rest.extend_from_slice(&members[n_held..]);
    }
    rest.shuffle(&mut rng);
    held.shuffle(&mut rng);
    (rest, held)
}

/// Which diet model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DietModelKind {
    Majority,
    Logistic,
    RandomForest,
    Svm,
    Network,
}

impl DietModelKind {
    pub const MODELS: [DietModelKind; 4] = [
        DietModelKind::Logistic,
        DietModelKind::RandomForest,
        DietModelKind::Svm,
        DietModelKind::Network,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DietModelKind::Majority => "majority",
            DietModelKind::Logistic => "logistic",
            DietModelKind::RandomForest => "random_forest",
            DietModelKind::Svm => "svm",
            DietModelKind::Network => "neural_network",
        }
    }
}

/// Settings of the diet models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DietParams {
    pub logistic: ClassifierParams,
    pub forest: ClassifierParams,
    pub svm: ClassifierParams,
    /// Hidden layer sizes of the network.
    pub hidden: Vec<usize>,
    pub network: FitConfig,
}

impl DietParams {
    /// Logistic L2 1; forest of 50 trees, depth 12, 5 foods a leaf, a third of the features;
    /// SVM C 10, kernel width 2·46, on 3,000 foods; network 46 → 64 → 32 → 8, dropout 0.2,
    /// Adam 1e-3, batches of 64, up to 300 epochs with patience 20.
    pub fn full(seed: u64) -> Self {
        DietParams {
            logistic: ClassifierParams {
                seed,
                ..ClassifierParams::new(ClassifierKind::Logistic)
            },
            forest: ClassifierParams {
                max_depth: 12,
                min_leaf: 5.0,
                n_trees: 50,
                feature_proportion: 0.33,
                seed,
                ..ClassifierParams::new(ClassifierKind::RandomForest)
            },
            svm: ClassifierParams {
                svm_c: 10.0,
                svm_kernel_width: 92.0,
                svm_max_rows: 3000,
                seed,
                ..ClassifierParams::new(ClassifierKind::Svm)
            },
            hidden: vec![64, 32],
            network: FitConfig {
                max_epochs: 300,
                batch_size: 64,
                learning_rate: 1e-3,
                weight_decay: 1e-4,
                patience: 20,
                dropout: 0.2,
                seed,
            },
        }
    }

    /// Small forest, SVM on 1,000 foods, network up to 60 epochs: the pipeline in seconds.
    pub fn quick(seed: u64) -> Self {
        let full = DietParams::full(seed);
        DietParams {
            forest: ClassifierParams {
                n_trees: 20,
                ..full.forest
            },
            svm: ClassifierParams {
                svm_max_rows: 1000,
                ..full.svm
            },
            network: FitConfig {
                max_epochs: 60,
                patience: 10,
                ..full.network
            },
            ..full
        }
    }

    pub fn describe(&self, kind: DietModelKind) -> Vec<(String, String)> {
        let pairs = |v: Vec<(&str, String)>| {
            v.into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<Vec<_>>()
        };
        match kind {
            DietModelKind::Majority => Vec::new(),
            DietModelKind::Logistic => pairs(self.logistic.describe()),
            DietModelKind::RandomForest => pairs(self.forest.describe()),
            DietModelKind::Svm => pairs(self.svm.describe()),
            DietModelKind::Network => vec![
                ("hidden".into(), format!("{:?}", self.hidden)),
                ("max_epochs".into(), self.network.max_epochs.to_string()),
                ("batch_size".into(), self.network.batch_size.to_string()),
                (
                    "learning_rate".into(),
                    self.network.learning_rate.to_string(),
                ),
                ("weight_decay".into(), self.network.weight_decay.to_string()),
                ("patience".into(), self.network.patience.to_string()),
                ("dropout".into(), self.network.dropout.to_string()),
                ("seed".into(), self.network.seed.to_string()),
            ],
        }
    }
}

/// A label's classifier in a one-vs-rest model; a label with one class in training is constant.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "model", rename_all = "snake_case")]
pub enum LabelModel {
    Constant(bool),
    Fitted(FittedClassifier),
}

/// A fitted diet model: per-label scores in 0..=1 and the validation-chosen thresholds.
pub enum DietModel {
    Majority([bool; N_LABELS]),
    OneVsRest(Vec<LabelModel>),
    Network(Mlp),
}

impl DietModel {
    /// Scores of each label per row (probabilities, vote shares, or 0/1 for constants).
    pub fn scores(&self, x: &Array2<f64>) -> Result<Vec<[f64; N_LABELS]>, NutritionError> {
        let mut out = vec![[0.0; N_LABELS]; x.nrows()];
        match self {
            DietModel::Majority(m) => {
                for row in &mut out {
                    for (l, v) in row.iter_mut().enumerate() {
                        *v = f64::from(u8::from(m[l]));
                    }
                }
            }
            DietModel::OneVsRest(models) => {
                for (l, m) in models.iter().enumerate() {
                    let p = match m {
                        LabelModel::Constant(b) => vec![f64::from(u8::from(*b)); x.nrows()],
                        LabelModel::Fitted(f) => f.probability_up(x),
                    };
                    for (row, v) in out.iter_mut().zip(p) {
                        row[l] = v;
                    }
                }
            }
            DietModel::Network(mlp) => {
                for (row, logits) in out.iter_mut().zip(mlp.predict(x)?) {
                    for (v, z) in row.iter_mut().zip(logits) {
                        *v = 1.0 / (1.0 + (-f64::from(z)).exp());
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Fits `kind` on (`x`, `y`); the network also reads the validation rows for early stopping.
pub fn fit_diet_model(
    kind: DietModelKind,
    params: &DietParams,
    x: &Array2<f64>,
    y: &[[bool; N_LABELS]],
    validation: (&Array2<f64>, &[[bool; N_LABELS]]),
    mut on_step: impl FnMut(),
) -> Result<(DietModel, Option<History>), NutritionError> {
    let column = |l: usize| Array1::from_iter(y.iter().map(|r| r[l]));
    let one_vs_rest = |p: &ClassifierParams, on_step: &mut dyn FnMut()| {
        (0..N_LABELS)
            .map(|l| {
                let target = column(l);
                let positives = target.iter().filter(|b| **b).count();
                let m = if positives == 0 || positives == target.len() {
                    LabelModel::Constant(positives > 0)
                } else {
                    LabelModel::Fitted(fit_classifier(p, x.clone(), target)?)
                };
                on_step();
                Ok(m)
            })
            .collect::<Result<Vec<_>, NutritionError>>()
    };
    Ok(match kind {
        DietModelKind::Majority => {
            let mut m = [false; N_LABELS];
            for (l, v) in m.iter_mut().enumerate() {
                *v = 2 * y.iter().filter(|r| r[l]).count() > y.len();
            }
            (DietModel::Majority(m), None)
        }
        DietModelKind::Logistic => (
            DietModel::OneVsRest(one_vs_rest(&params.logistic, &mut on_step)?),
            None,
        ),
        DietModelKind::RandomForest => (
            DietModel::OneVsRest(one_vs_rest(&params.forest, &mut on_step)?),
            None,
        ),
        DietModelKind::Svm => (
            DietModel::OneVsRest(one_vs_rest(&params.svm, &mut on_step)?),
            None,
        ),
        DietModelKind::Network => {
            let mut sizes = vec![x.ncols()];
            sizes.extend(&params.hidden);
            sizes.push(N_LABELS);
            let mlp = Mlp::new(&sizes, params.network.seed)?;
            let targets = |rows: &[[bool; N_LABELS]]| {
                Array2::from_shape_fn((rows.len(), N_LABELS), |(i, l)| {
                    f64::from(u8::from(rows[i][l]))
                })
            };
            let history = mlp.fit(
                &tensor(x)?,
                &tensor(&targets(y))?,
                &tensor(validation.0)?,
                &tensor(&targets(validation.1))?,
                &bce_with_logits,
                &params.network,
                |_, _, _| {},
            )?;
            on_step();
            (DietModel::Network(mlp), Some(history))
        }
    })
}

/// Per label, the threshold in 0.05..=0.95 with the best F1 on the validation scores (ties: the
/// one nearest 0.5); 0.5 where no threshold finds a positive.
pub fn tune_thresholds(scores: &[[f64; N_LABELS]], y: &[[bool; N_LABELS]]) -> [f64; N_LABELS] {
    let mut out = [0.5f64; N_LABELS];
    for (l, best) in out.iter_mut().enumerate() {
        let mut best_f1: f64 = -1.0;
        for step in 1..=19 {
            let t = f64::from(step) / 20.0;
            let (mut tp, mut fp, mut fn_) = (0u32, 0u32, 0u32);
            for (s, truth) in scores.iter().zip(y) {
                match (s[l] >= t, truth[l]) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fn_ += 1,
                    _ => {}
                }
            }
            let f1 = if tp == 0 {
                0.0
            } else {
                f64::from(2 * tp) / f64::from(2 * tp + fp + fn_)
            };
            if f1 > best_f1 + 1e-12
                || ((f1 - best_f1).abs() <= 1e-12 && (t - 0.5).abs() < (*best - 0.5).abs())
            {
                best_f1 = f1;
                *best = t;
            }
        }
    }
    out
}

/// Decisions of `scores` at `thresholds`.
pub fn decide(scores: &[[f64; N_LABELS]], thresholds: &[f64; N_LABELS]) -> Vec<Vec<bool>> {
    scores
        .iter()
        .map(|s| s.iter().zip(thresholds).map(|(v, t)| *v >= *t).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_split_keeps_label_shares_and_is_seeded() {
        let labels: Vec<[bool; N_LABELS]> = (0..1000)
            .map(|i| {
                let mut l = [false; N_LABELS];
                l[0] = i % 10 == 0; // 10 % positives
                l[1] = i % 2 == 0;
                l
            })
            .collect();
        let (rest, held) = stratified_split(&labels, 0.2, 1);
        assert_eq!(rest.len() + held.len(), 1000);
        let mut all: Vec<usize> = rest.iter().chain(&held).copied().collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 1000, "no food in both parts");
        let share = |idx: &[usize], l: usize| {
            idx.iter().filter(|i| labels[**i][l]).count() as f64 / idx.len() as f64
        };
        assert!((share(&held, 0) - 0.1).abs() < 0.005);
        assert!((share(&held, 1) - 0.5).abs() < 0.005);
        assert_eq!(
            stratified_split(&labels, 0.2, 1),
            (rest.clone(), held.clone())
        );
        assert_ne!(stratified_split(&labels, 0.2, 2).1, held);
    }

    #[test]
    fn thresholds_maximise_validation_f1() {
        let y: Vec<[bool; N_LABELS]> = (0..10)
            .map(|i| {
                let mut l = [false; N_LABELS];
                l[0] = i >= 7;
                l
            })
            .collect();
        // Positives score 0.3..0.5, negatives below 0.25: the best threshold is 0.3.
        let scores: Vec<[f64; N_LABELS]> = (0..10)
            .map(|i| {
                let mut s = [0.0; N_LABELS];
                s[0] = if i >= 7 {
                    0.3 + 0.1 * f64::from(i - 7)
                } else {
                    0.02 * f64::from(i)
                };
                s
            })
            .collect();
        let t = tune_thresholds(&scores, &y);
        assert!((t[0] - 0.3).abs() < 1e-9, "{}", t[0]);
        // A label with no positives keeps 0.5.
        assert_eq!(t[1], 0.5);
        let d = decide(&scores, &t);
        assert_eq!(d.iter().filter(|r| r[0]).count(), 3);
    }
}
