//! Looking foods up, as the nutrition pages do: the foods with their EDA as of one import
//! ([`FoodIndex`]), food search, a food's profile, and its most similar foods by the embedding.
//! Pure computation on data handed in; `mmi-serve` keeps the index and the table per version.

use mmi_rank::QuantizedTable;
use mmi_types::{
    FoodHit, FoodProfile, LabelDecision, NutrientAmount, NutritionEda, PortionValues, SimilarFood,
};

use crate::diet::{label_food, DIET_LABELS};
use crate::eda::nutrition_eda;
use crate::features::{categories, energy_density, macro_ratios, nrf93, per_100_kcal};
use crate::nutrient::{Nutrient, NUTRIENTS};
use crate::Food;

/// The foods and their EDA, as of one import.
#[derive(Debug)]
pub struct FoodIndex {
    pub foods: Vec<Food>,
    pub eda: NutritionEda,
}

impl FoodIndex {
    /// The index of `foods` (sorted here by NDB number) with their EDA: seconds of work, done
    /// once per import.
    pub fn new(mut foods: Vec<Food>) -> Self {
        foods.sort_by(|a, b| a.ndb_no.cmp(&b.ndb_no));
        let eda = nutrition_eda(&foods);
        FoodIndex { foods, eda }
    }

    pub fn get(&self, ndb_no: &str) -> Option<&Food> {
        self.foods
            .binary_search_by(|f| f.ndb_no.as_str().cmp(ndb_no))
            .ok()
            .map(|i| &self.foods[i])
    }
}

/// Foods whose description holds every word of `query` (case-insensitive), those starting with
/// the first word first, then shorter descriptions; at most `limit`.
pub fn search(index: &FoodIndex, query: &str, limit: usize) -> Vec<FoodHit> {
    // The foods are in NDB order, so ties go to the lower NDB number.
    let lowered = index
        .foods
        .iter()
        .map(|f| std::borrow::Cow::Owned(f.description.to_lowercase()));
    mmi_rank::search_names(lowered, query, limit)
        .into_iter()
        .map(|i| {
            let f = &index.foods[i];
            FoodHit {
                ndb_no: f.ndb_no.clone(),
                description: f.description.clone(),
                group: f.group_name.clone(),
            }
        })
        .collect()
}

/// The `k` foods most similar to `ndb_no` by the embedding table, or `None` if the table does
/// not hold it (a food imported after the training).
pub fn similar(
    table: &QuantizedTable,
    index: &FoodIndex,
    ndb_no: &str,
    k: usize,
) -> Option<Vec<SimilarFood>> {
    let row = table.position(ndb_no)?;
    Some(
        table
            .top_k_like(row, k, |i| i == row)
            .into_iter()
            .map(|(i, s)| {
                let id = &table.ids[i];
                let food = index.get(id);
                SimilarFood {
                    ndb_no: id.clone(),
                    description: food.map_or_else(|| id.clone(), |f| f.description.clone()),
                    group: food.and_then(|f| f.group_name.clone()),
                    similarity: f64::from(s),
                }
            })
            .collect(),
    )
}

/// A food's profile panel (without its similar foods, which the caller adds).
pub fn profile(food: &Food) -> FoodProfile {
    let ratios = macro_ratios(food);
    let density = energy_density(food);
    let labels = label_food(food);
    FoodProfile {
        ndb_no: food.ndb_no.clone(),
        description: food.description.clone(),
        group: food.group_name.clone(),
        nutrients: NUTRIENTS
            .iter()
            .map(|info| {
                let v = food.get(info.nutrient);
                NutrientAmount {
                    key: info.key.into(),
                    name: info.name.into(),
                    unit: info.unit.into(),
                    per_100g: v,
                    daily_value_pct: v.zip(info.daily_value).map(|(v, dv)| 100.0 * v / dv),
                    per_100_kcal: per_100_kcal(food, info.nutrient),
                }
            })
            .collect(),
        macro_shares: ratios.map(|r| [r.protein, r.carbohydrate, r.fat, r.alcohol]),
        nrf93: nrf93(food),
        energy_density: density.map(|d| d.0),
        energy_density_class: density.map(|d| {
            serde_json::to_value(d.1)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }),
        categories: categories(food).into_iter().map(str::to_string).collect(),
        diet_labels: DIET_LABELS
            .iter()
            .zip(labels)
            .map(|(l, v)| LabelDecision {
                label: l.key().into(),
                value: v,
            })
            .collect(),
        portions: food
            .portions
            .iter()
            .map(|p| PortionValues {
                measure: format!("{} {}", trim_amount(p.amount), p.measure),
                grams: p.grams,
                energy_kcal: food.per_portion(Nutrient::Energy, p),
                protein_g: food.per_portion(Nutrient::Protein, p),
                fat_g: food.per_portion(Nutrient::Fat, p),
                carbohydrate_g: food.per_portion(Nutrient::Carbohydrate, p),
                sodium_mg: food.per_portion(Nutrient::Sodium, p),
            })
            .collect(),
        similar: Vec::new(),
        similar_note: None,
    }
}

fn trim_amount(a: f64) -> String {
    if a.fract() == 0.0 {
        format!("{a:.0}")
    } else {
        format!("{a}")
    }
}
