//! The nutrition pages' requests: the EDA, food search, a food's profile with its most similar
//! foods by the serving embedding, and the food groups.

use mmi_nutrition::lookup::{profile, search, similar};
use mmi_types::{FoodGroupSummary, FoodHit, FoodProfile, NutritionEda};

use crate::{ServeError, Services};

/// Foods a search returns.
pub const SEARCH_HITS: usize = 20;
/// Similar foods on a profile.
pub const SIMILAR_FOODS: usize = 8;

impl Services {
    /// The nutrition EDA; `None` before foods are imported.
    pub async fn nutrition_eda(&self) -> Result<Option<NutritionEda>, ServeError> {
        let snapshot = self.snapshot().await?;
        let foods = &snapshot.data.foods.index;
        Ok((!foods.foods.is_empty()).then(|| foods.eda.clone()))
    }

    /// Foods whose description holds every word of `query`; nothing under two characters.
    pub async fn search_foods(&self, query: &str) -> Result<Vec<FoodHit>, ServeError> {
        if query.chars().count() > 100 {
            return Err(ServeError::bad_parameter(
                "query",
                "query: at most 100 characters",
            ));
        }
        if query.trim().chars().count() < 2 {
            return Ok(Vec::new());
        }
        let snapshot = self.snapshot().await?;
        Ok(search(&snapshot.data.foods.index, query, SEARCH_HITS))
    }

    /// A food's profile with its most similar foods (or a note why there are none).
    pub async fn food_profile(&self, ndb_no: &str) -> Result<FoodProfile, ServeError> {
        let ndb_no = ndb_no.trim();
        let snapshot = self.snapshot().await?;
        let index = &snapshot.data.foods.index;
        let food = index.get(ndb_no).ok_or_else(|| {
            ServeError::not_found(
                Some("ndb_no"),
                format!("no food with NDB number {ndb_no:?}"),
            )
        })?;
        let mut p = profile(food);
        match &snapshot.models.embedding {
            Some((_, table)) => match similar(table, index, &food.ndb_no, SIMILAR_FOODS) {
                Some(s) => p.similar = s,
                None => {
                    p.similar_note = Some(
                        "This food is newer than the embedding: train the models again.".into(),
                    )
                }
            },
            None => {
                p.similar_note = Some(
                    "No food embedding yet: run `server train nutrition` to see similar foods."
                        .into(),
                )
            }
        }
        Ok(p)
    }

    pub async fn food_groups(&self) -> Result<Vec<FoodGroupSummary>, ServeError> {
        Ok(self.snapshot().await?.data.foods.groups.clone())
    }
}
