//! What `POST /api/analyze-recipe` and the recipe analyzer page run: the serving ingredient
//! parser (decoded once per version) and a food matcher over the imported foods (built once per
//! import), then [`analyze_lines`] on a blocking thread.

use std::sync::{Arc, Mutex};

use mmi_store::serving::ServingCache;
use mmi_store::SqlitePool;
use mmi_text::ingredient::IngredientParser;
use mmi_types::{AnalyzeRecipeRequest, ModelRef, RecipeAnalysis};

use super::analyze::analyze_lines;
use super::matching::FoodMatcher;
use super::train::PARSER_TASK;
use crate::serve::{FoodIndex, NutritionCache};

#[derive(Debug, thiserror::Error)]
pub enum RecipeError {
    /// The request is wrong; `field` names what.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("no ingredient parser is trained yet: run `server train recipes` first")]
    NotTrained,
    #[error("no foods in the database: import data first")]
    NoFoods,
    #[error("{0}")]
    Internal(String),
}

type Matcher = Option<(Arc<FoodIndex>, Arc<FoodMatcher>)>;

#[derive(Debug, Clone, Default)]
pub struct RecipeService {
    parser: ServingCache<IngredientParser>,
    matcher: Arc<Mutex<Matcher>>,
}

impl RecipeService {
    /// The food matcher over `foods`, built on first use after each import.
    fn matcher(&self, foods: &Arc<FoodIndex>) -> Arc<FoodMatcher> {
        if let Some((f, m)) = self.matcher.lock().ok().and_then(|c| c.clone()) {
            if Arc::ptr_eq(&f, foods) {
                return m;
            }
        }
        let m = Arc::new(FoodMatcher::new(&foods.foods));
        if let Ok(mut c) = self.matcher.lock() {
            *c = Some((foods.clone(), m.clone()));
        }
        m
    }

    /// The serving parser and its version, or `NotTrained`.
    pub async fn parser(
        &self,
        pool: &SqlitePool,
    ) -> Result<(mmi_store::tracking::ModelVersion, Arc<IngredientParser>), RecipeError> {
        self.parser
            .get(pool, PARSER_TASK, IngredientParser::from_bytes)
            .await
            .map_err(RecipeError::Internal)?
            .ok_or(RecipeError::NotTrained)
    }

    pub async fn analyze(
        &self,
        pool: &SqlitePool,
        nutrition: &NutritionCache,
        request: &AnalyzeRecipeRequest,
    ) -> Result<RecipeAnalysis, RecipeError> {
        request
            .validate()
            .map_err(|(field, message)| RecipeError::Invalid { field, message })?;
        let (version, parser) = self.parser(pool).await?;
        let foods = nutrition
            .foods(pool)
            .await
            .map_err(|e| RecipeError::Internal(e.to_string()))?;
        if foods.foods.is_empty() {
            return Err(RecipeError::NoFoods);
        }
        let service = self.clone();
        let request = request.clone();
        tokio::task::spawn_blocking(move || {
            let matcher = service.matcher(&foods);
            let result = analyze_lines(
                &parser,
                &matcher,
                &foods.foods,
                &request.ingredients,
                request.servings,
            );
            RecipeAnalysis {
                title: request.title.clone(),
                servings: request.servings,
                lines: result.analyzed_lines(),
                nutrients: result.nutrients(),
                coverage: result.coverage(),
                diet_labels: result.diet_labels(),
                allergens: result.allergens(),
                parser: ModelRef {
                    name: version.name.clone(),
                    version: version.version,
                },
            }
        })
        .await
        .map_err(|e| RecipeError::Internal(format!("analysis thread: {e}")))
    }
}
