//! The classical models behind one shape (params → `fit` → predict): binary classifiers
//! (logistic regression, decision tree, a seeded bagging forest, RBF SVM) and regressors (OLS,
//! ridge and lasso as elastic nets, smartcore's regression forest).

mod classify;
mod regress;

pub use classify::{fit_classifier, ClassifierKind, ClassifierParams, FittedClassifier, Forest};
pub use regress::{
    fit_regressor, FittedRegressor, ForestRegressor, RegressorKind, RegressorParams,
};
