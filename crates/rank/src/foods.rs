//! The food suggestions as exported to the browser: the int8 food embeddings (similar foods), a
//! few nutrients per 100 g with their Daily Values (foods that fill a nutrient gap), and each
//! food's diet labels and allergens as bit masks, so both rankings respect a user's filters.
//! Missing nutrient values stay missing ([`crate::rows::MISSING`]) and never count as zero.

use serde::{Deserialize, Serialize};

use crate::rows::{dot_i8, inv_norm, Int8Rows};
use crate::{top_k_by, QuantizedTable, RankError};

/// A nutrient of the gap ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapNutrient {
    pub key: String,
    pub name: String,
    pub unit: String,
    /// FDA Daily Value in `unit`.
    pub daily_value: f32,
}

/// Everything the browser needs to suggest foods.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FoodBundle {
    /// The serving food embedding (ids: NDB numbers), the item order of every vector below.
    pub embedding: QuantizedTable,
    pub names: Vec<String>,
    pub group_names: Vec<String>,
    /// Index into `group_names` (`u8::MAX`: none).
    pub groups: Vec<u8>,
    /// Diet label keys; bit `b` of a mask is label `b`.
    pub diet_labels: Vec<String>,
    /// Labels the food meets / labels decided for it (the rest are undecided: a missing value).
    pub diet_yes: Vec<u8>,
    pub diet_known: Vec<u8>,
    /// Allergen keys; bit `b` of a mask is allergen `b`.
    pub allergen_names: Vec<String>,
    pub allergens: Vec<u16>,
    pub gap_nutrients: Vec<GapNutrient>,
    /// Amount of each gap nutrient per 100 g (`MISSING` where SR26 has no value).
    pub per_100g: Int8Rows,
    pub kcal_per_100g: Vec<Option<f32>>,
    /// Lower-cased names for search, built on load.
    #[serde(skip)]
    lower: Vec<String>,
    /// `1 / ‖row‖` of every embedding row, built on load.
    #[serde(skip)]
    inv_norms: Vec<f32>,
    /// Per food and gap nutrient, the share of the Daily Value one portion holds (NaN: unknown),
    /// built on load so the gap ranking's loop only adds.
    #[serde(skip)]
    portion_dv: Vec<f32>,
}

/// Two bundles are equal when their encoded contents are (the caches follow from them).
impl PartialEq for FoodBundle {
    fn eq(&self, other: &Self) -> bool {
        self.to_bytes() == other.to_bytes()
    }
}

/// What a suggestion must respect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filters {
    /// Diet labels every suggestion must meet (decided and true).
    pub diet: u8,
    /// Allergens no suggestion may contain.
    pub exclude: u16,
}

/// A food that fills part of the gap, for one portion.
#[derive(Debug, Clone, PartialEq)]
pub struct GapSuggestion {
    pub index: usize,
    /// Share of the total remaining gap one portion fills (0..1).
    pub score: f32,
    /// The portion: 100 kcal, or 300 g for foods with fewer than 33 kcal per 100 g.
    pub grams: f32,
    /// `(nutrient index, share of its Daily Value the portion fills, capped at the gap)`, largest
    /// first.
    pub fills: Vec<(usize, f32)>,
}

/// The portion of the gap ranking: 100 kcal, at most this many grams.
pub const MAX_PORTION_G: f32 = 300.0;

impl FoodBundle {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        embedding: QuantizedTable,
        names: Vec<String>,
        group_names: Vec<String>,
        groups: Vec<u8>,
        diet_labels: Vec<String>,
        diet: (Vec<u8>, Vec<u8>),
        allergen_names: Vec<String>,
        allergens: Vec<u16>,
        gap_nutrients: Vec<GapNutrient>,
        per_100g: Int8Rows,
        kcal_per_100g: Vec<Option<f32>>,
    ) -> Result<Self, RankError> {
        let mut bundle = FoodBundle {
            embedding,
            names,
            group_names,
            groups,
            diet_labels,
            diet_yes: diet.0,
            diet_known: diet.1,
            allergen_names,
            allergens,
            gap_nutrients,
            per_100g,
            kcal_per_100g,
            lower: Vec::new(),
            inv_norms: Vec::new(),
            portion_dv: Vec::new(),
        };
        bundle.check()?;
        bundle.index();
        Ok(bundle)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RankError> {
        let mut bundle: FoodBundle =
            postcard::from_bytes(bytes).map_err(|e| RankError::Decode(e.to_string()))?;
        bundle.check()?;
        bundle.index();
        Ok(bundle)
    }

    /// The search and similarity caches of a checked bundle.
    fn index(&mut self) {
        self.lower = self.names.iter().map(|n| n.to_lowercase()).collect();
        self.inv_norms = (0..self.embedding.len())
            .map(|i| inv_norm(self.embedding.row(i)))
            .collect();
        let m = self.gap_nutrients.len();
        self.portion_dv = (0..self.len())
            .flat_map(|j| {
                let grams = self.portion(j);
                (0..m)
                    .map(|n| match (grams, self.per_100g.get(j, n)) {
                        (Some(g), Some(v)) => v * g / 100.0 / self.gap_nutrients[n].daily_value,
                        _ => f32::NAN,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
    }

    fn check(&self) -> Result<(), RankError> {
        let n = self.embedding.len();
        let lengths = [
            self.names.len(),
            self.groups.len(),
            self.diet_yes.len(),
            self.diet_known.len(),
            self.allergens.len(),
            self.kcal_per_100g.len(),
        ];
        if lengths.iter().any(|l| *l != n) || self.embedding.values.len() != n * self.embedding.dim
        {
            return Err(RankError::Format(format!(
                "per-food vectors {lengths:?} for {n} foods"
            )));
        }
        self.per_100g.check(n, "per_100g")?;
        if self.per_100g.dim() != self.gap_nutrients.len() {
            return Err(RankError::Format("gap nutrients and columns differ".into()));
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn position(&self, ndb_no: &str) -> Option<usize> {
        self.embedding.position(ndb_no)
    }

    pub fn group(&self, i: usize) -> Option<&str> {
        self.group_names
            .get(usize::from(self.groups[i]))
            .map(String::as_str)
    }

    /// The filter's masks from label and allergen keys (unknown keys are ignored).
    pub fn filters(&self, diet: &[&str], exclude: &[&str]) -> Filters {
        let bit = |keys: &[String], k: &str| keys.iter().position(|x| x == k);
        Filters {
            diet: diet
                .iter()
                .filter_map(|k| bit(&self.diet_labels, k))
                .fold(0u8, |m, b| m | (1 << b)),
            exclude: exclude
                .iter()
                .filter_map(|k| bit(&self.allergen_names, k))
                .fold(0u16, |m, b| m | (1 << b)),
        }
    }

    pub fn allowed(&self, i: usize, f: Filters) -> bool {
        self.diet_known[i] & f.diet == f.diet
            && self.diet_yes[i] & f.diet == f.diet
            && self.allergens[i] & f.exclude == 0
    }

    /// Foods whose name holds every word of `query`, names starting with the first word first,
    /// then shorter names, then NDB order (the server's food search rules); at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<usize> {
        crate::search_names(
            self.lower
                .iter()
                .map(|n| std::borrow::Cow::Borrowed(n.as_str())),
            query,
            limit,
        )
    }

    /// The `k` foods most similar to food `i` by embedding cosine that pass the filters.
    pub fn similar(&self, i: usize, k: usize, f: Filters) -> Vec<(usize, f32)> {
        // The same cosine as `QuantizedTable::top_k_like`, with the norms cached.
        let query = self.embedding.row(i);
        let unfiltered = f == Filters::default();
        top_k_by(self.len(), k, |j| {
            if j == i || !(unfiltered || self.allowed(j, f)) {
                return None;
            }
            Some(
                dot_i8(query, self.embedding.row(j)) as f32 * self.inv_norms[i] * self.inv_norms[j],
            )
        })
    }

    /// The amount of each gap nutrient in `eaten` (`(food, grams)`), and how many of the eaten
    /// foods lack a value for it (their share is unknown, not zero).
    pub fn intake(&self, eaten: &[(usize, f32)]) -> (Vec<f32>, Vec<usize>) {
        let m = self.gap_nutrients.len();
        let mut total = vec![0.0f32; m];
        let mut unknown = vec![0usize; m];
        for (i, grams) in eaten {
            for (n, (t, u)) in total.iter_mut().zip(&mut unknown).enumerate() {
                match self.per_100g.get(*i, n) {
                    Some(v) => *t += v * grams / 100.0,
                    None => *u += 1,
                }
            }
        }
        (total, unknown)
    }

    /// The share of each nutrient's Daily Value still missing after `eaten` (0..1).
    pub fn gap(&self, eaten: &[(usize, f32)]) -> Vec<f32> {
        let (intake, _) = self.intake(eaten);
        intake
            .iter()
            .zip(&self.gap_nutrients)
            .map(|(v, n)| (1.0 - v / n.daily_value).clamp(0.0, 1.0))
            .collect()
    }

    /// The `k` foods whose one portion fills the largest share of the remaining gap, among foods
    /// that pass the filters and are not eaten already. Empty when there is no gap.
    pub fn fill_gap(&self, eaten: &[(usize, f32)], k: usize, f: Filters) -> Vec<GapSuggestion> {
        let gap = self.gap(eaten);
        if gap.iter().sum::<f32>() <= 0.0 {
            return Vec::new();
        }
        let total: f32 = gap.iter().sum();
        top_k_by(self.len(), k, |j| {
            if eaten.iter().any(|e| e.0 == j) || !self.allowed(j, f) {
                return None;
            }
            self.gap_score(j, &gap, total)
        })
        .into_iter()
        .map(|(j, score)| {
            let mut parts = self.gap_fill(j, &gap).map(|x| x.1).unwrap_or_default();
            parts.retain(|p| p.1 > 0.0);
            parts.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            GapSuggestion {
                index: j,
                score,
                grams: self.portion(j).unwrap_or(0.0),
                fills: parts,
            }
        })
        .collect()
    }

    /// [`Self::gap_fill`]'s share without the per-nutrient list (the hot loop: no allocation),
    /// summed in the same order so it equals `gap_fill(j, gap).0` exactly.
    fn gap_score(&self, j: usize, gap: &[f32], total: f32) -> Option<f32> {
        self.kcal_per_100g[j]?;
        let m = gap.len();
        let row = &self.portion_dv[j * m..(j + 1) * m];
        let mut sum = 0.0f32;
        for (x, g) in row.iter().zip(gap) {
            if *g > 0.0 && !x.is_nan() {
                sum += x.clamp(0.0, *g);
            }
        }
        Some(sum / total)
    }

    /// How much of `gap` (per nutrient, share of its Daily Value) one portion of food `j` fills:
    /// the share of the total gap, and per nutrient its share of the Daily Value capped at the
    /// gap. `None` when the food's energy (so its portion) is unknown or there is no gap.
    pub fn gap_fill(&self, j: usize, gap: &[f32]) -> Option<(f32, Vec<(usize, f32)>)> {
        let total: f32 = gap.iter().sum();
        if total <= 0.0 {
            return None;
        }
        let score = self.gap_score(j, gap, total)?;
        let m = gap.len();
        let parts = self.portion_dv[j * m..(j + 1) * m]
            .iter()
            .zip(gap)
            .enumerate()
            .filter(|(_, (x, g))| **g > 0.0 && !x.is_nan())
            .map(|(n, (x, g))| (n, x.clamp(0.0, *g)))
            .collect();
        Some((score, parts))
    }

    /// 100 kcal of food `i` in grams, at most [`MAX_PORTION_G`]; `None` when its energy is missing.
    pub fn portion(&self, i: usize) -> Option<f32> {
        let kcal = self.kcal_per_100g[i]?;
        Some(if kcal * MAX_PORTION_G / 100.0 <= 100.0 {
            MAX_PORTION_G
        } else {
            100.0 * 100.0 / kcal
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three foods: spinach-like (iron, no energy value missing), a steak-like, and a candy with
    /// its iron missing.
    fn bundle() -> FoodBundle {
        let embedding = QuantizedTable::from_rows(
            vec!["00001".into(), "00002".into(), "00003".into()],
            &[vec![1.0, 0.0], vec![0.8, 0.6], vec![0.0, 1.0]],
        )
        .expect("table");
        FoodBundle::new(
            embedding,
            vec![
                "Spinach, raw".into(),
                "Beef, steak".into(),
                "Candy, hard".into(),
            ],
            vec!["Vegetables".into(), "Beef".into(), "Sweets".into()],
            vec![0, 1, 2],
            vec!["vegan".into()],
            (vec![1, 0, 1], vec![1, 1, 1]),
            vec!["milk".into(), "soy".into()],
            vec![0, 0, 0b10],
            vec![
                GapNutrient {
                    key: "iron".into(),
                    name: "Iron".into(),
                    unit: "mg".into(),
                    daily_value: 18.0,
                },
                GapNutrient {
                    key: "protein".into(),
                    name: "Protein".into(),
                    unit: "g".into(),
                    daily_value: 50.0,
                },
            ],
            Int8Rows::from_rows(&[
                vec![Some(2.7), Some(2.9)],
                vec![Some(2.6), Some(26.0)],
                vec![None, Some(0.0)],
            ])
            .expect("rows"),
            vec![Some(23.0), Some(250.0), Some(394.0)],
        )
        .expect("bundle")
    }

    #[test]
    fn portions_are_100_kcal_or_300_g() {
        let b = bundle();
        assert_eq!(b.portion(0), Some(300.0)); // 23 kcal/100 g: 300 g is 69 kcal
        assert!((b.portion(1).expect("known") - 40.0).abs() < 1e-4);
    }

    #[test]
    fn gap_filling_by_hand() {
        let b = bundle();
        // Nothing eaten: the gap is the whole DV of both nutrients (total 2).
        // Spinach, 300 g: iron 8.1 mg = 0.45 DV, protein 8.7 g = 0.174 DV → (0.624) / 2 = 0.312.
        // Steak, 40 g: iron 1.04 mg = 0.0578 DV, protein 10.4 g = 0.208 DV → 0.1329.
        // Candy: iron missing (no credit), protein 0.
        let top = b.fill_gap(&[], 3, Filters::default());
        assert_eq!(
            top.iter().map(|s| s.index).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        assert!((top[0].score - 0.312).abs() < 0.003, "{}", top[0].score);
        assert!((top[1].score - 0.1329).abs() < 0.002, "{}", top[1].score);
        assert_eq!(top[0].fills[0].0, 0);
        // After 1 kg of steak the protein gap is closed: only iron counts.
        let gap = b.gap(&[(1, 1000.0)]);
        assert_eq!(gap[1], 0.0);
        assert!((gap[0] - (1.0 - 26.0 / 18.0f32).max(0.0)).abs() < 1e-6);
        // The allocation-free score is the listed fill, exactly.
        let gap = b.gap(&[(1, 120.0)]);
        for j in 0..3 {
            let total: f32 = gap.iter().sum();
            assert_eq!(
                b.gap_score(j, &gap, total),
                b.gap_fill(j, &gap).map(|x| x.0)
            );
        }
        // Intake reports the candy's missing iron as unknown, not zero.
        let (_, unknown) = b.intake(&[(2, 100.0)]);
        assert_eq!(unknown, vec![1, 0]);
    }

    #[test]
    fn filters_apply_to_both_rankings() {
        let b = bundle();
        let vegan_no_soy = b.filters(&["vegan"], &["soy"]);
        assert_eq!(
            vegan_no_soy,
            Filters {
                diet: 1,
                exclude: 2
            }
        );
        assert!(b.allowed(0, vegan_no_soy));
        assert!(!b.allowed(1, vegan_no_soy)); // not vegan
        assert!(!b.allowed(2, vegan_no_soy)); // soy
        assert!(b.similar(0, 5, vegan_no_soy).is_empty());
        let all = b.similar(0, 5, Filters::default());
        assert_eq!(all.iter().map(|s| s.0).collect::<Vec<_>>(), vec![1, 2]);
        let filled = b.fill_gap(&[], 5, vegan_no_soy);
        assert_eq!(filled.iter().map(|s| s.index).collect::<Vec<_>>(), vec![0]);
    }

    #[test]
    fn search_and_bytes() {
        let b = bundle();
        assert_eq!(b.search("STEAK", 5), vec![1]);
        assert_eq!(b.search("a", 5), vec![1, 2, 0]); // equal lengths: NDB order
        let back = FoodBundle::from_bytes(&b.to_bytes()).expect("decode");
        assert_eq!(back, b);
        // The cached-norm search ranks exactly as the table's own.
        assert_eq!(
            b.similar(0, 5, Filters::default()),
            b.embedding.top_k_like(0, 5, |j| j == 0)
        );
        assert!(FoodBundle::from_bytes(&b.to_bytes()[..10]).is_err());
    }
}
