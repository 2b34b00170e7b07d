//! A stratified random split for samples with no time order (labelled sentences): every class is
//! shuffled with a seed and cut in the same proportions, so train, validation and test keep the
//! class balance of the whole set. Never use it for time series.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::LearnError;

/// Sample indices of the three parts, each sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stratified {
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
    pub test: Vec<usize>,
}

/// Splits the samples with class `labels[i]` into train / validation / test with the given
/// fractions of every class (the rest is train).
pub fn stratified_split(
    labels: &[usize],
    validation: f64,
    test: f64,
    seed: u64,
) -> Result<Stratified, LearnError> {
    if !(0.0..1.0).contains(&validation) || !(0.0..1.0).contains(&test) || validation + test >= 1.0
    {
        return Err(LearnError::InvalidSplit(format!(
            "validation {validation} and test {test} must be fractions summing below 1"
        )));
    }
    let classes = labels.iter().max().map_or(0, |m| m + 1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Stratified {
        train: Vec::new(),
        validation: Vec::new(),
        test: Vec::new(),
    };
    for c in 0..classes {
        let mut members: Vec<usize> = (0..labels.len()).filter(|i| labels[*i] == c).collect();
        members.shuffle(&mut rng);
        let n = members.len() as f64;
        let n_test = (n * test).round() as usize;
        let n_val = (n * validation).round() as usize;
        out.test.extend(&members[..n_test]);
        out.validation.extend(&members[n_test..n_test + n_val]);
        out.train.extend(&members[n_test + n_val..]);
    }
    out.train.sort_unstable();
    out.validation.sort_unstable();
    out.test.sort_unstable();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_class_shares_and_partitions_the_samples() {
        // 600 of class 0, 300 of class 1, 100 of class 2.
        let labels: Vec<usize> = (0..1000)
            .map(|i| match i % 10 {
                0..=5 => 0,
                6..=8 => 1,
                _ => 2,
            })
            .collect();
        let s = stratified_split(&labels, 0.15, 0.15, 7).expect("split");
        let count = |idx: &[usize], c: usize| idx.iter().filter(|i| labels[**i] == c).count();
        assert_eq!(
            [count(&s.test, 0), count(&s.test, 1), count(&s.test, 2)],
            [90, 45, 15]
        );
        assert_eq!(s.validation.len(), 150);
        let mut all: Vec<usize> = [s.train.clone(), s.validation.clone(), s.test.clone()].concat();
        all.sort_unstable();
        assert_eq!(all, (0..1000).collect::<Vec<_>>());
        // Seeded: the same seed, the same split; another seed, another one.
        assert_eq!(stratified_split(&labels, 0.15, 0.15, 7).expect("again"), s);
        assert_ne!(
            stratified_split(&labels, 0.15, 0.15, 8)
                .expect("other")
                .test,
            s.test
        );
        assert!(stratified_split(&labels, 0.5, 0.5, 7).is_err());
    }
}
