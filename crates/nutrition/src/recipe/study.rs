//! How well the ingredient tagger generalises, measured the way published CRF ingredient parsers
//! report themselves (the mean over random 80/20 splits of the labelled sentences) and across
//! sites: trained on one source's sentences (one site's house style), tested on every other
//! source's. `server evaluate-parser` runs it for each feature set; `docs/recipes.md` has the
//! figures.
//!
//! Every fit is the shipped recipe: 10% of its training part held out for early stopping, the
//! model quantized to int8 and scored as the server runs it.

use std::collections::BTreeMap;

use mmi_learn::progress::TrainProgress;
use mmi_store::LabelledIngredient;
use mmi_text::ingredient::{encode_model, FeatureSet, IngredientParser};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::align::{align, AlignedLine};
use super::tagger::{score_tagger, train_tagger, Sample, TaggerParams};
use crate::NutritionError;

/// The aligned labelled sentences with their source, each distinct line once (the first
/// occurrence: the same line in two files would otherwise sit on both sides of a split).
pub fn aligned_unique(sentences: &[LabelledIngredient]) -> Vec<(String, AlignedLine)> {
    let mut seen = std::collections::HashSet::new();
    sentences
        .iter()
        .filter_map(|s| Some((s.source.clone(), align(s)?)))
        .filter(|(_, l)| seen.insert(l.input.trim().to_lowercase()))
        .collect()
}

/// Word and sentence accuracy of one fit on one test set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub n_train: usize,
    pub n_test: usize,
    pub word_accuracy: f64,
    pub sentence_accuracy: f64,
}

/// Trains on `train` (its last tenth, after a seeded shuffle, for early stopping) and scores the
/// int8 model on `test`.
pub fn fit_and_score(
    train: &[AlignedLine],
    test: &[AlignedLine],
    params: &TaggerParams,
) -> Result<Fit, NutritionError> {
    let samples = |lines: &[&AlignedLine]| -> Vec<Sample> {
        lines
            .iter()
            .map(|l| Sample::with_features(l, params.buckets, params.features))
            .collect()
    };
    let mut order: Vec<&AlignedLine> = train.iter().collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(params.seed));
    let n_validation = (order.len() / 10).max(1);
    let (fit, validation) = order.split_at(order.len() - n_validation);
    let (crf, _) = train_tagger(&samples(fit), &samples(validation), params, |_| {});
    let parser = IngredientParser::from_bytes(&encode_model(&crf, params.features))
        .map_err(|e| NutritionError::Model(e.to_string()))?;
    let test_refs: Vec<&AlignedLine> = test.iter().collect();
    let scores = score_tagger(parser.crf(), &samples(&test_refs));
    Ok(Fit {
        n_train: fit.len(),
        n_test: test.len(),
        word_accuracy: scores.word_accuracy.estimate,
        sentence_accuracy: scores.sentence_accuracy.estimate,
    })
}

/// One line of the study: a set of fits summarised.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyRow {
    /// `random 80/20` or `train <source> → test <others>`.
    pub name: String,
    pub features: FeatureSet,
    pub fits: Vec<Fit>,
}

impl StudyRow {
    fn stat(&self, f: impl Fn(&Fit) -> f64) -> (f64, f64) {
        let v: Vec<f64> = self.fits.iter().map(f).collect();
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let sd = if v.len() > 1 {
            (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        (mean, sd)
    }

    /// Mean and standard deviation of word accuracy over the fits.
    pub fn words(&self) -> (f64, f64) {
        self.stat(|f| f.word_accuracy)
    }

    pub fn sentences(&self) -> (f64, f64) {
        self.stat(|f| f.sentence_accuracy)
    }
}

/// `splits` random 80/20 splits (seeds 0..splits), then one fit per source tested on the other
/// sources, with `params`' feature set. Needs at least two sources for the cross-site rows.
pub fn study(
    lines: &[(String, AlignedLine)],
    splits: usize,
    params: &TaggerParams,
    progress: &dyn TrainProgress,
) -> Result<Vec<StudyRow>, NutritionError> {
    if lines.len() < 50 {
        return Err(NutritionError::Model(format!(
            "only {} usable labelled ingredient sentences: import the ingredient data first",
            lines.len()
        )));
    }
    let mut by_source: BTreeMap<&str, Vec<&AlignedLine>> = BTreeMap::new();
    for (source, line) in lines {
        by_source.entry(source).or_default().push(line);
    }
    let label = format!("parser study ({:?})", params.features);
    progress.begin(&label, (splits + by_source.len()) as u64);
    let mut random = StudyRow {
        name: "random 80/20".into(),
        features: params.features,
        fits: Vec::new(),
    };
    for seed in 0..splits as u64 {
        let mut all: Vec<AlignedLine> = lines.iter().map(|(_, l)| l.clone()).collect();
        all.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        let test = all.split_off(all.len() - all.len() / 5);
        random.fits.push(fit_and_score(&all, &test, params)?);
        progress.step();
    }
    let mut rows = vec![random];
    if by_source.len() > 1 {
        for (source, own) in &by_source {
            let train: Vec<AlignedLine> = own.iter().map(|l| (*l).clone()).collect();
            let test: Vec<AlignedLine> = by_source
                .iter()
                .filter(|(s, _)| s != &source)
                .flat_map(|(_, ls)| ls.iter().map(|l| (*l).clone()))
                .collect();
            rows.push(StudyRow {
                name: format!("train {source} → test the others"),
                features: params.features,
                fits: vec![fit_and_score(&train, &test, params)?],
            });
            progress.step();
        }
    }
    let (w, _) = rows[0].words();
    let (s, _) = rows[0].sentences();
    progress.finish(
        &label,
        &format!("random splits: words {w:.4}, sentences {s:.4}"),
    );
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmi_text::ingredient::tokenize_ingredient;
    use mmi_text::ingredient::Label::{self, *};

    fn line(text: &str, labels: &[Label]) -> AlignedLine {
        let tokens = tokenize_ingredient(text);
        assert_eq!(tokens.len(), labels.len(), "{text}");
        AlignedLine {
            input: text.into(),
            tokens,
            labels: labels.to_vec(),
        }
    }

    #[test]
    fn splits_and_sites_are_scored_apart() {
        let foods = [
            "flour", "sugar", "rice", "milk", "salt", "oats", "honey", "water",
        ];
        let units = ["cup", "tbsp", "tsp", "g", "oz"];
        let mut lines = Vec::new();
        for (i, food) in foods.iter().enumerate() {
            for (j, unit) in units.iter().enumerate() {
                let qty = (i + j) % 4 + 1;
                lines.push((
                    "site-a".to_string(),
                    line(&format!("{qty} {unit} {food}"), &[Qty, Unit, Name]),
                ));
                lines.push((
                    "site-b".to_string(),
                    line(
                        &format!("{qty} {unit} {food}, sifted"),
                        &[Qty, Unit, Name, Other, Prep],
                    ),
                ));
            }
        }
        let params = TaggerParams {
            buckets: 1 << 12,
            max_epochs: 10,
            ..TaggerParams::default()
        };
        let rows = study(&lines, 3, &params, &mmi_learn::progress::Silent).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].fits.len(), 3);
        // 80 lines: 16 tested, 64 for training of which 6 hold out for early stopping.
        assert!(rows[0]
            .fits
            .iter()
            .all(|f| (f.n_test, f.n_train) == (16, 58)));
        let (words, sd) = rows[0].words();
        assert!(words > 0.9 && sd >= 0.0, "{words}");
        // Site A never shows a prepared food: tested on site B it cannot label "sifted" PREP.
        assert!(rows[1].name.contains("site-a"));
        assert!(rows[1].sentences().0 < 0.5, "{:?}", rows[1].fits);
        assert_eq!(rows[1].fits[0].n_test, 40);
        assert!(study(&lines[..10], 1, &params, &mmi_learn::progress::Silent).is_err());
    }
}
