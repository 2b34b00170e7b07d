//! Up/down classifiers: logistic regression, a decision tree, a random forest and a support-vector
//! machine (Gaussian kernel, Platt-calibrated probabilities).

use linfa::prelude::*;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use linfa_svm::Svm;
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2, Axis, Slice};
use rand08::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use serde::{Deserialize, Serialize};

use crate::LearnError;

/// Which classifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassifierKind {
    Logistic,
    DecisionTree,
    RandomForest,
    Svm,
}

impl ClassifierKind {
    pub const ALL: [ClassifierKind; 4] = [
        ClassifierKind::Logistic,
        ClassifierKind::DecisionTree,
        ClassifierKind::RandomForest,
        ClassifierKind::Svm,
    ];

    /// The name used in the registry and the API (`"random_forest"`).
    pub fn name(self) -> &'static str {
        match self {
            ClassifierKind::Logistic => "logistic",
            ClassifierKind::DecisionTree => "decision_tree",
            ClassifierKind::RandomForest => "random_forest",
            ClassifierKind::Svm => "svm",
        }
    }
}

/// Hyperparameters of every classifier (each reads its own).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassifierParams {
    pub kind: ClassifierKind,
    /// L2 penalty of the logistic regression.
    pub l2: f64,
    pub max_depth: usize,
    /// Minimum total weight (samples) in a leaf.
    pub min_leaf: f32,
    pub n_trees: usize,
    /// Share of the features each tree of the forest sees.
    pub feature_proportion: f64,
    /// The SVM's cost of a margin violation.
    pub svm_c: f64,
    /// The width of the SVM's Gaussian kernel: `k(x, y) = exp(−‖x − y‖² / width)`.
    pub svm_kernel_width: f64,
    /// The SVM trains on at most this many rows, the most recent ones: the kernel matrix grows with
    /// the square of the rows.
    pub svm_max_rows: usize,
    pub seed: u64,
}

impl ClassifierParams {
    /// Defaults: L2 1.0, depth 6, 50 samples a leaf, 100 trees on a fifth of the features, C 1,
    /// kernel width 2·27 (twice the feature count of standardised features), 3,000 SVM rows, seed 42.
    pub fn new(kind: ClassifierKind) -> Self {
        ClassifierParams {
            kind,
            l2: 1.0,
            max_depth: 6,
            min_leaf: 50.0,
            n_trees: 100,
            feature_proportion: 0.2,
            svm_c: 1.0,
            svm_kernel_width: 54.0,
            svm_max_rows: 3000,
            seed: 42,
        }
    }

    /// The parameters that matter for this kind, as `(name, value)` pairs for the run record.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        match self.kind {
            ClassifierKind::Logistic => vec![("l2", self.l2.to_string())],
            ClassifierKind::DecisionTree => vec![
                ("max_depth", self.max_depth.to_string()),
                ("min_leaf", self.min_leaf.to_string()),
            ],
            ClassifierKind::RandomForest => vec![
                ("max_depth", self.max_depth.to_string()),
                ("min_leaf", self.min_leaf.to_string()),
                ("n_trees", self.n_trees.to_string()),
                ("feature_proportion", self.feature_proportion.to_string()),
                ("seed", self.seed.to_string()),
            ],
            ClassifierKind::Svm => vec![
                ("c", self.svm_c.to_string()),
                ("kernel_width", self.svm_kernel_width.to_string()),
                ("max_rows", self.svm_max_rows.to_string()),
            ],
        }
    }
}

/// A bagged forest of decision trees, each reading a subset of the features.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Forest {
    pub trees: Vec<DecisionTree<f64, bool>>,
    /// The feature columns tree `i` reads, in its own column order.
    pub features: Vec<Vec<usize>>,
}

/// A fitted classifier; serialisable, so it can be stored as a run's artifact and served.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "model", rename_all = "snake_case")]
pub enum FittedClassifier {
    Logistic(FittedLogisticRegression<f64, bool>),
    DecisionTree(DecisionTree<f64, bool>),
    RandomForest(Forest),
    Svm(Svm<f64, Pr>),
}

/// Fits on standardised features `x` and next-day directions `y` (true = up); rows in time order.
pub fn fit_classifier(
    p: &ClassifierParams,
    x: Array2<f64>,
    y: Array1<bool>,
) -> Result<FittedClassifier, LearnError> {
    let err = |e: &dyn std::fmt::Display| LearnError::Model(e.to_string());
    if x.nrows() == 0 || y.iter().all(|u| *u) || y.iter().all(|u| !*u) {
        return Err(LearnError::Model(
            "the training rows need both up and down days".into(),
        ));
    }
    Ok(match p.kind {
        ClassifierKind::Logistic => FittedClassifier::Logistic(
            LogisticRegression::default()
                .alpha(p.l2)
                .max_iterations(200)
                .fit(&Dataset::new(x, y))
                .map_err(|e| err(&e))?,
        ),
        ClassifierKind::DecisionTree => FittedClassifier::DecisionTree(
            DecisionTree::params()
                .max_depth(Some(p.max_depth))
                .min_weight_leaf(p.min_leaf)
                .fit(&tie_broken(x, y))
                .map_err(|e| err(&e))?,
        ),
        ClassifierKind::RandomForest => FittedClassifier::RandomForest(fit_forest(p, &x, &y)?),
        ClassifierKind::Svm => {
            // The most recent rows (the caller passes them in time order).
            let start = x.nrows().saturating_sub(p.svm_max_rows.max(1));
            let (x, y) = (
                x.slice_axis(Axis(0), Slice::from(start..)).to_owned(),
                y.slice_axis(Axis(0), Slice::from(start..)).to_owned(),
            );
            FittedClassifier::Svm(
                Svm::<f64, Pr>::params()
                    .pos_neg_weights(p.svm_c, p.svm_c)
                    .gaussian_kernel(p.svm_kernel_width)
                    .fit(&Dataset::new(x, y))
                    .map_err(|e| err(&e))?,
            )
        }
    })
}

/// How much more a down day weighs than an up day in the trees' training sets.
///
/// linfa's trees name a leaf's class by iterating a `std` `HashMap` (whose order changes from
/// process to process), so a leaf holding as much up as down weight votes either way from run to
/// run: the same seed gave hold-out accuracies of 0.5215 and 0.5238. With down days 1 + 1e-4 times
/// as heavy, a tie is always "down", and no split with a real difference between its sides moves.
const TIE_BREAK: f32 = 1e-4;

fn tie_broken(x: Array2<f64>, y: Array1<bool>) -> Dataset<f64, bool, ndarray::Ix1> {
    let weights = y.mapv(|up| if up { 1.0 } else { 1.0 + TIE_BREAK });
    Dataset::new(x, y).with_weights(weights)
}

/// Bagging by hand rather than `linfa-ensemble` (whose bootstrap drops the weights
/// [`tie_broken`] needs): per tree, as many rows drawn with replacement as there are, and a
/// `feature_proportion` share of the columns drawn without, all from one seeded generator.
fn fit_forest(
    p: &ClassifierParams,
    x: &Array2<f64>,
    y: &Array1<bool>,
) -> Result<Forest, LearnError> {
    let mut rng = Xoshiro256Plus::seed_from_u64(p.seed);
    let (n_rows, n_features) = x.dim();
    let n_sub = ((n_features as f64 * p.feature_proportion).ceil() as usize).clamp(1, n_features);
    let params = DecisionTree::params()
        .max_depth(Some(p.max_depth))
        .min_weight_leaf(p.min_leaf);
    let mut forest = Forest {
        trees: Vec::with_capacity(p.n_trees),
        features: Vec::with_capacity(p.n_trees),
    };
    for _ in 0..p.n_trees {
        let rows: Vec<usize> = (0..n_rows).map(|_| rng.gen_range(0..n_rows)).collect();
        // A partial Fisher–Yates shuffle: the first `n_sub` columns of a random permutation.
        let mut columns: Vec<usize> = (0..n_features).collect();
        for i in 0..n_sub {
            columns.swap(i, rng.gen_range(i..n_features));
        }
        columns.truncate(n_sub);
        columns.sort_unstable();
        let data = tie_broken(
            x.select(Axis(0), &rows).select(Axis(1), &columns),
            y.select(Axis(0), &rows),
        );
        let tree = params
            .fit(&data)
            .map_err(|e| LearnError::Model(e.to_string()))?;
        forest.trees.push(tree);
        forest.features.push(columns);
    }
    Ok(forest)
}

impl FittedClassifier {
    /// The score of "up" per row: the logistic and SVM (Platt) probabilities, the forest's share of
    /// trees voting up, or the tree's hard vote (0 or 1: linfa's trees expose no leaf proportions).
    pub fn probability_up(&self, x: &Array2<f64>) -> Vec<f64> {
        match self {
            FittedClassifier::Logistic(m) => {
                // linfa's "positive" class is the more frequent one in training, not `true`:
                // its probabilities are of `false` when up days (or a label) were the minority.
                let p = m.predict_probabilities(x);
                if m.labels().pos.class {
                    p.to_vec()
                } else {
                    p.iter().map(|v| 1.0 - v).collect()
                }
            }
            FittedClassifier::DecisionTree(m) => m
                .predict(x)
                .iter()
                .map(|up| f64::from(u8::from(*up)))
                .collect(),
            FittedClassifier::RandomForest(forest) => {
                let mut votes = vec![0.0; x.nrows()];
                for (tree, features) in forest.trees.iter().zip(&forest.features) {
                    let sub = x.select(Axis(1), features);
                    for (v, up) in votes.iter_mut().zip(tree.predict(&sub).iter()) {
                        *v += f64::from(u8::from(*up));
                    }
                }
                let n = forest.trees.len().max(1) as f64;
                votes.into_iter().map(|v| v / n).collect()
            }
            FittedClassifier::Svm(m) => m
                .predict(x)
                .iter()
                .map(|p| f64::from(**p).clamp(0.0, 1.0))
                .collect(),
        }
    }

    /// The model's own importance of each of the `n_features` columns, where it has one: the
    /// logistic regression's |coefficient| on standardised features, the trees' impurity decrease
    /// (a forest's averaged over the trees that saw the feature). `None` for the SVM.
    pub fn own_importance(&self, n_features: usize) -> Option<Vec<f64>> {
        match self {
            FittedClassifier::Logistic(m) => Some(m.params().iter().map(|c| c.abs()).collect()),
            FittedClassifier::DecisionTree(m) => Some(m.feature_importance()),
            FittedClassifier::RandomForest(forest) => {
                let mut total = vec![0.0; n_features];
                for (tree, features) in forest.trees.iter().zip(&forest.features) {
                    for (imp, &j) in tree.feature_importance().iter().zip(features) {
                        total[j] += imp;
                    }
                }
                let n = forest.trees.len().max(1) as f64;
                Some(total.into_iter().map(|t| t / n).collect())
            }
            FittedClassifier::Svm(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every feature row twice, once up and once down: every leaf of every tree is a tie.
    fn all_ties() -> (Array2<f64>, Array1<bool>) {
        let n = 40;
        let x = Array2::from_shape_fn((2 * n, 3), |(i, j)| ((i % n) * (j + 1)) as f64);
        let y = Array1::from_shape_fn(2 * n, |i| i < n);
        (x, y)
    }

    #[test]
    fn tied_leaves_vote_down_in_every_fit() {
        let (x, y) = all_ties();
        let tree = ClassifierParams {
            max_depth: 3,
            min_leaf: 4.0,
            ..ClassifierParams::new(ClassifierKind::DecisionTree)
        };
        // Fresh `HashMap`s, fresh random orders: without the tie-break some fits vote up.
        for _ in 0..8 {
            let model = fit_classifier(&tree, x.clone(), y.clone()).unwrap();
            assert!(model.probability_up(&x).iter().all(|v| *v == 0.0));
        }
        // A forest's bootstrap unbalances the pairs, but not from one fit to the next.
        let forest = ClassifierParams {
            n_trees: 15,
            ..ClassifierParams::new(ClassifierKind::RandomForest)
        };
        let votes = |_| {
            fit_classifier(&forest, x.clone(), y.clone())
                .unwrap()
                .probability_up(&x)
        };
        let first = votes(0);
        assert!((1..6).map(votes).all(|v| v == first));
    }

    #[test]
    fn the_same_seed_grows_the_same_forest() {
        let x = Array2::from_shape_fn((120, 5), |(i, j)| ((i * 7 + j * 13) % 17) as f64);
        let y = Array1::from_shape_fn(120, |i| (i * 7) % 17 > 8);
        let p = ClassifierParams {
            n_trees: 10,
            feature_proportion: 0.4,
            ..ClassifierParams::new(ClassifierKind::RandomForest)
        };
        let fit = |seed| match fit_classifier(&ClassifierParams { seed, ..p }, x.clone(), y.clone())
            .unwrap()
        {
            FittedClassifier::RandomForest(f) => f,
            _ => unreachable!(),
        };
        let (a, b, c) = (fit(42), fit(42), fit(7));
        assert_eq!(a.features, b.features);
        assert!(a.features.iter().all(|f| f.len() == 2), "40% of 5 columns");
        assert_eq!(
            serde_json::to_string(&a.trees).unwrap(),
            serde_json::to_string(&b.trees).unwrap()
        );
        assert_ne!(a.features, c.features, "another seed, other columns");
    }

    #[test]
    fn logistic_probability_is_of_true_even_when_true_is_the_minority() {
        // 20 rows, `true` (x > 0.8) the minority: a high x must score a high probability.
        let x = Array2::from_shape_fn((20, 1), |(i, _)| (i as f64 - 10.0) / 2.0);
        let y = Array1::from_shape_fn(20, |i| i >= 16);
        let m = fit_classifier(
            &ClassifierParams::new(ClassifierKind::Logistic),
            x.clone(),
            y,
        )
        .expect("fit");
        let p = m.probability_up(&x);
        assert!(p[19] > 0.5 && p[0] < 0.5, "{} {}", p[0], p[19]);
        assert!(p.windows(2).all(|w| w[1] >= w[0]));
    }
}
