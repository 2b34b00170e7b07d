//! Up/down classifiers: logistic regression, a decision tree, a random forest.

use linfa::prelude::*;
use linfa_ensemble::{EnsembleLearner, EnsembleLearnerParams};
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2, Axis};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::{Deserialize, Serialize};

use crate::CryptoError;

/// Which classifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassifierKind {
    Logistic,
    DecisionTree,
    RandomForest,
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
    pub seed: u64,
}

impl ClassifierParams {
    /// Defaults: L2 1.0, depth 6, 50 samples a leaf, 100 trees on √p / p of the features, seed 42.
    pub fn new(kind: ClassifierKind) -> Self {
        ClassifierParams {
            kind,
            l2: 1.0,
            max_depth: 6,
            min_leaf: 50.0,
            n_trees: 100,
            feature_proportion: 0.2,
            seed: 42,
        }
    }
}

/// A fitted classifier.
pub enum FittedClassifier {
    Logistic(FittedLogisticRegression<f64, bool>),
    DecisionTree(DecisionTree<f64, bool>),
    RandomForest(EnsembleLearner<DecisionTree<f64, bool>>),
}

/// Fits on standardised features `x` and next-day directions `y` (true = up).
pub fn fit_classifier(
    p: &ClassifierParams,
    x: Array2<f64>,
    y: Array1<bool>,
) -> Result<FittedClassifier, CryptoError> {
    let data = Dataset::new(x, y);
    let err = |e: &dyn std::fmt::Display| CryptoError::Model(e.to_string());
    Ok(match p.kind {
        ClassifierKind::Logistic => FittedClassifier::Logistic(
            LogisticRegression::default()
                .alpha(p.l2)
                .max_iterations(200)
                .fit(&data)
                .map_err(|e| err(&e))?,
        ),
        ClassifierKind::DecisionTree => FittedClassifier::DecisionTree(
            DecisionTree::params()
                .max_depth(Some(p.max_depth))
                .min_weight_leaf(p.min_leaf)
                .fit(&data)
                .map_err(|e| err(&e))?,
        ),
        ClassifierKind::RandomForest => {
            let tree = DecisionTree::params()
                .max_depth(Some(p.max_depth))
                .min_weight_leaf(p.min_leaf);
            FittedClassifier::RandomForest(
                EnsembleLearnerParams::new_fixed_rng(tree, Xoshiro256Plus::seed_from_u64(p.seed))
                    .ensemble_size(p.n_trees)
                    .bootstrap_proportion(1.0)
                    .feature_proportion(p.feature_proportion)
                    .fit(&data)
                    .map_err(|e| err(&e))?,
            )
        }
    })
}

impl FittedClassifier {
    /// The score of "up" per row: the logistic probability, the forest's share of trees voting up,
    /// or the tree's hard vote (0 or 1: linfa's trees expose no leaf proportions).
    pub fn probability_up(&self, x: &Array2<f64>) -> Vec<f64> {
        match self {
            FittedClassifier::Logistic(m) => m.predict_probabilities(x).to_vec(),
            FittedClassifier::DecisionTree(m) => m
                .predict(x)
                .iter()
                .map(|up| f64::from(u8::from(*up)))
                .collect(),
            FittedClassifier::RandomForest(forest) => {
                let mut votes = vec![0.0; x.nrows()];
                for (tree, features) in forest.models.iter().zip(&forest.model_features) {
                    let sub = x.select(Axis(1), features);
                    for (v, up) in votes.iter_mut().zip(tree.predict(&sub).iter()) {
                        *v += f64::from(u8::from(*up));
                    }
                }
                let n = forest.models.len().max(1) as f64;
                votes.into_iter().map(|v| v / n).collect()
            }
        }
    }
}
