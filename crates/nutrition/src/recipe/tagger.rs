//! Training the ingredient tagger: a linear-chain CRF ([`mmi_text::ingredient::Crf`]) fitted by
//! stochastic gradient ascent on the conditional log-likelihood (the gradient is the observed
//! minus the expected feature counts, from forward-backward), with an L2 penalty on the weights a
//! sentence touches, a learning rate that decays per epoch, seeded shuffling, the weights averaged
//! over epochs, and early stopping on the validation sentences' word accuracy of the averaged
//! weights (the best epoch's are kept).
//!
//! Scored on held-out sentences: word accuracy (every token, and without punctuation), sentence
//! accuracy (every token right) and per-label F1.

use mmi_learn::ci::{wilson, BlockBootstrap, Interval};
pub use mmi_text::ingredient::FeatureSet;
use mmi_text::ingredient::{token_features, Crf, Label, LABELS};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::align::AlignedLine;

/// A line as the trainer sees it: hashed features and gold label indices per token.
#[derive(Debug, Clone)]
pub struct Sample {
    pub features: Vec<Vec<u32>>,
    pub labels: Vec<usize>,
    /// Whether each token is punctuation (scored apart).
    pub punctuation: Vec<bool>,
}

impl Sample {
    /// A sample with the latest feature set.
    pub fn new(line: &AlignedLine, buckets: u32) -> Sample {
        Sample::with_features(line, buckets, FeatureSet::LATEST)
    }

    pub fn with_features(line: &AlignedLine, buckets: u32, set: FeatureSet) -> Sample {
        Sample {
            features: token_features(&line.tokens, buckets, set),
            labels: line.labels.iter().map(|l| l.index()).collect(),
            punctuation: line
                .tokens
                .iter()
                .map(|t| t.kind == mmi_text::ingredient::TokenKind::Punctuation)
                .collect(),
        }
    }
}

/// The trainer's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TaggerParams {
    pub buckets: u32,
    /// Most passes over the training sentences.
    pub max_epochs: usize,
    /// Stop after this many epochs without a better validation word accuracy.
    pub patience: usize,
    /// Learning rate of epoch `e` is `learning_rate / (1 + e)`.
    pub learning_rate: f64,
    /// L2 penalty per update on the weights the sentence touches.
    pub l2: f64,
    pub seed: u64,
    /// The features the tagger is trained with (stored with the model).
    pub features: FeatureSet,
}

impl Default for TaggerParams {
    /// 2^17 buckets, at most 20 epochs, patience 3, learning rate 0.1, L2 1e-5, seed 42 (chosen
    /// on validation word accuracy among learning rates 0.02-0.1 and L2 0-1e-4).
    fn default() -> Self {
        TaggerParams {
            buckets: mmi_text::ingredient::BUCKETS,
            max_epochs: 20,
            patience: 3,
            learning_rate: 0.1,
            l2: 1e-5,
            seed: 42,
            features: FeatureSet::LATEST,
        }
    }
}

/// One epoch of training.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TaggerEpoch {
    pub epoch: usize,
    /// Mean negative log-likelihood per training sentence.
    pub train_loss: f64,
    pub validation_word_accuracy: f64,
    pub seconds: f64,
}

/// One SGD step on one sentence; returns its negative log-likelihood.
fn step(crf: &mut Crf, s: &Sample, lr: f64, l2: f64) -> f64 {
    let l = crf.n_labels;
    let n = s.labels.len();
    if n == 0 {
        return 0.0;
    }
    let em = crf.emissions(&s.features);
    let lattice = crf.lattice(&em);
    // The gold path's score, for the loss.
    let mut gold = f64::from(crf.start[s.labels[0]]) + f64::from(crf.end[s.labels[n - 1]]);
    for i in 0..n {
        gold += em[i * l + s.labels[i]];
        if i > 0 {
            gold += f64::from(crf.transition[s.labels[i - 1] * l + s.labels[i]]);
        }
    }
    let marginals = Crf::marginals(&lattice);
    // Transition gradient: observed minus expected pair counts (read before any update).
    let mut dt = vec![0.0f64; l * l];
    for i in 1..n {
        dt[s.labels[i - 1] * l + s.labels[i]] += 1.0;
        for a in 0..l {
            for b in 0..l {
                let p = (lattice.alpha[(i - 1) * l + a]
                    + f64::from(crf.transition[a * l + b])
                    + em[i * l + b]
                    + lattice.beta[i * l + b]
                    - lattice.log_z)
                    .exp();
                dt[a * l + b] -= p;
            }
        }
    }
    for (w, g) in crf.transition.iter_mut().zip(&dt) {
        *w += (lr * (g - l2 * f64::from(*w))) as f32;
    }
    for y in 0..l {
        let gs = f64::from(u8::from(s.labels[0] == y)) - marginals[y];
        let ge = f64::from(u8::from(s.labels[n - 1] == y)) - marginals[(n - 1) * l + y];
        crf.start[y] += (lr * gs) as f32;
        crf.end[y] += (lr * ge) as f32;
    }
    for i in 0..n {
        for f in &s.features[i] {
            let row = &mut crf.state[*f as usize * l..(*f as usize + 1) * l];
            for (y, w) in row.iter_mut().enumerate() {
                let g = f64::from(u8::from(s.labels[i] == y)) - marginals[i * l + y];
                *w += (lr * (g - l2 * f64::from(*w))) as f32;
            }
        }
    }
    lattice.log_z - gold
}

/// The running mean of the weights at the end of each epoch so far (checkpoint averaging, a
/// cheap cousin of Polyak averaging: it smooths the noise of the last epochs' updates).
fn add_to_average(avg: &mut Crf, crf: &Crf, k: usize) {
    let w = 1.0 / k as f32;
    let blend = |a: &mut Vec<f32>, b: &Vec<f32>| {
        for (x, y) in a.iter_mut().zip(b) {
            *x += (y - *x) * w;
        }
    };
    blend(&mut avg.state, &crf.state);
    blend(&mut avg.transition, &crf.transition);
    blend(&mut avg.start, &crf.start);
    blend(&mut avg.end, &crf.end);
}

/// Trains on `train`, keeping the epoch whose averaged weights have the best word accuracy on
/// `validation`. `on_epoch` sees each epoch as it ends (progress).
pub fn train_tagger(
    train: &[Sample],
    validation: &[Sample],
    params: &TaggerParams,
    mut on_epoch: impl FnMut(&TaggerEpoch),
) -> (Crf, Vec<TaggerEpoch>) {
    let mut crf = Crf::zeros(LABELS.len(), params.buckets);
    let mut average = crf.clone();
    let mut best = (f64::NEG_INFINITY, crf.clone());
    let mut history = Vec::new();
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut since_best = 0;
    for epoch in 0..params.max_epochs {
        let started = std::time::Instant::now();
        order.shuffle(&mut rng);
        let lr = params.learning_rate / (1.0 + epoch as f64);
        let loss: f64 = order
            .iter()
            .map(|i| step(&mut crf, &train[*i], lr, params.l2))
            .sum();
        add_to_average(&mut average, &crf, epoch + 1);
        let accuracy = score_tagger(&average, validation).word_accuracy.estimate;
        let e = TaggerEpoch {
            epoch: epoch + 1,
            train_loss: loss / train.len().max(1) as f64,
            validation_word_accuracy: accuracy,
            seconds: started.elapsed().as_secs_f64(),
        };
        on_epoch(&e);
        history.push(e);
        if accuracy > best.0 {
            best = (accuracy, average.clone());
            since_best = 0;
        } else {
            since_best += 1;
            if since_best >= params.patience {
                break;
            }
        }
    }
    (best.1, history)
}

/// Precision, recall and F1 of one label over tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelScore {
    pub label: String,
    pub support: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// The tagger on a set of sentences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggerScores {
    pub n_sentences: usize,
    pub n_tokens: usize,
    /// Share of tokens labelled right (95% bootstrap over sentences).
    pub word_accuracy: Interval,
    /// The same without punctuation tokens.
    pub word_accuracy_no_punctuation: Interval,
    /// Share of sentences with every token right (Wilson interval).
    pub sentence_accuracy: Interval,
    pub labels: Vec<LabelScore>,
}

/// Scores `crf` on `samples`.
pub fn score_tagger(crf: &Crf, samples: &[Sample]) -> TaggerScores {
    let predictions: Vec<Vec<usize>> = samples.iter().map(|s| crf.tag(&s.features).0).collect();
    score_predictions(samples, &predictions)
}

/// Per sentence: tokens right, tokens, and the same without punctuation.
type Counts = (usize, usize, usize, usize);

/// Scores given predictions (one label index per token of each sample).
pub fn score_predictions(samples: &[Sample], predictions: &[Vec<usize>]) -> TaggerScores {
    let l = LABELS.len();
    let mut per_sentence: Vec<Counts> = Vec::with_capacity(samples.len());
    let mut all_right = 0u64;
    let (mut tp, mut fp, mut fn_) = (vec![0usize; l], vec![0usize; l], vec![0usize; l]);
    for (s, p) in samples.iter().zip(predictions) {
        let mut c = (0usize, 0usize, 0usize, 0usize);
        for i in 0..s.labels.len() {
            let ok = s.labels[i] == p[i];
            c.0 += usize::from(ok);
            c.1 += 1;
            if !s.punctuation[i] {
                c.2 += usize::from(ok);
                c.3 += 1;
            }
            if ok {
                tp[p[i]] += 1;
            } else {
                fp[p[i]] += 1;
                fn_[s.labels[i]] += 1;
            }
        }
        all_right += u64::from(c.0 == c.1);
        per_sentence.push(c);
    }
    let bootstrap = BlockBootstrap {
        block: 1,
        resamples: 1000,
        seed: 42,
    };
    let ratio = |right: fn(&Counts) -> (usize, usize)| {
        bootstrap
            .interval(per_sentence.len(), |idx| {
                let (r, n) = idx.iter().fold((0, 0), |acc, i| {
                    let (r, n) = right(&per_sentence[*i]);
                    (acc.0 + r, acc.1 + n)
                });
                (n > 0).then(|| r as f64 / n as f64)
            })
            .unwrap_or(Interval::UNDEFINED)
    };
    let word_accuracy = ratio(|c| (c.0, c.1));
    let word_accuracy_no_punctuation = ratio(|c| (c.2, c.3));
    let labels = LABELS
        .iter()
        .map(|label: &Label| {
            let k = label.index();
            let precision = tp[k] as f64 / (tp[k] + fp[k]).max(1) as f64;
            let recall = tp[k] as f64 / (tp[k] + fn_[k]).max(1) as f64;
            LabelScore {
                label: label.name().to_string(),
                support: tp[k] + fn_[k],
                precision,
                recall,
                f1: if precision + recall > 0.0 {
                    2.0 * precision * recall / (precision + recall)
                } else {
                    0.0
                },
            }
        })
        .collect();
    TaggerScores {
        n_sentences: samples.len(),
        n_tokens: per_sentence.iter().map(|c| c.1).sum(),
        word_accuracy,
        word_accuracy_no_punctuation,
        sentence_accuracy: wilson(all_right, samples.len() as u64).unwrap_or(Interval::UNDEFINED),
        labels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recipe::align::AlignedLine;
    use mmi_text::ingredient::{tokenize_ingredient, Label::*};

    fn line(input: &str, labels: &[Label]) -> AlignedLine {
        AlignedLine {
            input: input.into(),
            tokens: tokenize_ingredient(input),
            labels: labels.to_vec(),
        }
    }

    #[test]
    fn learns_a_tiny_pattern_and_generalises_to_a_new_word() {
        let data = [
            line("2 cups flour", &[Qty, Unit, Name]),
            line("1 cup sugar", &[Qty, Unit, Name]),
            line("3 tbsp butter, melted", &[Qty, Unit, Name, Other, Prep]),
            line("1 tsp salt", &[Qty, Unit, Name]),
            line("2 large eggs, beaten", &[Qty, Size, Name, Other, Prep]),
            line("4 small onions, chopped", &[Qty, Size, Name, Other, Prep]),
        ];
        let samples: Vec<Sample> = data.iter().map(|l| Sample::new(l, 1 << 12)).collect();
        let params = TaggerParams {
            buckets: 1 << 12,
            max_epochs: 30,
            patience: 3,
            learning_rate: 0.1,
            l2: 1e-5,
            seed: 1,
            ..TaggerParams::default()
        };
        let (crf, history) = train_tagger(&samples, &samples, &params, |_| {});
        assert!(history.last().unwrap().train_loss < history[0].train_loss / 4.0);
        assert_eq!(score_tagger(&crf, &samples).sentence_accuracy.estimate, 1.0);
        let unseen = Sample::new(
            &line("5 cups rice, rinsed", &[Qty, Unit, Name, Other, Prep]),
            1 << 12,
        );
        assert_eq!(crf.tag(&unseen.features).0, unseen.labels);
    }

    #[test]
    fn scores_by_hand() {
        let s = Sample::new(
            &line("1 cup rice, rinsed", &[Qty, Unit, Name, Other, Prep]),
            64,
        );
        let t = Sample::new(&line("salt", &[Name]), 64);
        let preds = vec![
            vec![
                Qty.index(),
                Unit.index(),
                Name.index(),
                Other.index(),
                Comment.index(),
            ],
            vec![Name.index()],
        ];
        let scores = score_predictions(&[s, t], &preds);
        assert!((scores.word_accuracy.estimate - 5.0 / 6.0).abs() < 1e-12);
        assert!((scores.word_accuracy_no_punctuation.estimate - 4.0 / 5.0).abs() < 1e-12);
        assert!((scores.sentence_accuracy.estimate - 0.5).abs() < 1e-12);
        let prep = scores.labels.iter().find(|l| l.label == "PREP").unwrap();
        assert_eq!((prep.support, prep.recall), (1, 0.0));
    }
}
