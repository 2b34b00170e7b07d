//! Diet classifiers.
