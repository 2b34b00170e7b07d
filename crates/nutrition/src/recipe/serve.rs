//! What `POST /api/analyze-recipe` and the recipe analyzer page run: the serving ingredient
//! parser (decoded once per version) and a food matcher over the imported foods (built once per
//! import), then [`analyze_lines`] on a blocking thread.

use std::sync::{Arc, Mutex};

use mmi_store::serving::ServingCache;
use mmi_store::SqlitePool;
use mmi_text::ingredient::IngredientParser;
use mmi_types::{
    AnalyzeRecipeRequest, MealConstraints, MealPlan, MealPlanRequest, ModelRef, RecipeAnalysis,
    RecommendMealRequest, RecommendMealResponse,
};

use super::analyze::analyze_lines;
use super::matching::FoodMatcher;
use super::train::PARSER_TASK;
use crate::meals::{
    build_catalogue, plan_days, recommend, shopping_list, targets, BodyStats, Filters,
    RecipeProfile,
};
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
    /// No meal plan meets the request; `field` names what to change.
    #[error("{message}")]
    Infeasible { field: String, message: String },
    #[error("{0}")]
    Internal(String),
}

/// The activity factor when body stats come without one: lightly active.
pub const DEFAULT_ACTIVITY: f64 = 1.375;

fn body_stats(c: &MealConstraints) -> Option<BodyStats> {
    Some(BodyStats {
        sex: c.sex?,
        age_years: c.age?,
        weight_kg: c.weight_kg?,
        height_cm: c.height_cm?,
        activity_factor: c.activity_factor.unwrap_or(DEFAULT_ACTIVITY),
    })
}

type ParserAndFoods = (
    mmi_store::tracking::ModelVersion,
    Arc<IngredientParser>,
    Arc<FoodIndex>,
);

type Catalogue = Option<(String, Arc<FoodIndex>, Arc<Vec<RecipeProfile>>)>;

type Matcher = Option<(Arc<FoodIndex>, Arc<FoodMatcher>)>;

#[derive(Debug, Clone, Default)]
pub struct RecipeService {
    parser: ServingCache<IngredientParser>,
    matcher: Arc<Mutex<Matcher>>,
    /// The recipes meals are chosen from, per parser version and import.
    catalogue: Arc<Mutex<Catalogue>>,
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

    /// The serving parser with its version, and the imported foods: what every analysis needs.
    async fn parser_and_foods(
        &self,
        pool: &SqlitePool,
        nutrition: &NutritionCache,
    ) -> Result<ParserAndFoods, RecipeError> {
        let (version, parser) = self.parser(pool).await?;
        let foods = nutrition
            .foods(pool)
            .await
            .map_err(|e| RecipeError::Internal(e.to_string()))?;
        if foods.foods.is_empty() {
            return Err(RecipeError::NoFoods);
        }
        Ok((version, parser, foods))
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
        let (version, parser, foods) = self.parser_and_foods(pool, nutrition).await?;
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
                seasonality: result.seasonality(request.month.unwrap_or_else(|| {
                    use chrono::Datelike;
                    chrono::Utc::now().month()
                })),
                parser: ModelRef {
                    name: version.name.clone(),
                    version: version.version,
                },
            }
        })
        .await
        .map_err(|e| RecipeError::Internal(format!("analysis thread: {e}")))
    }

    /// The meal catalogue (built on a blocking thread on first use after a new parser or import).
    pub async fn catalogue(
        &self,
        pool: &SqlitePool,
        nutrition: &NutritionCache,
    ) -> Result<Arc<Vec<RecipeProfile>>, RecipeError> {
        let (version, parser, foods) = self.parser_and_foods(pool, nutrition).await?;
        if let Some((sha, f, c)) = self.catalogue.lock().ok().and_then(|c| c.clone()) {
            if sha == version.sha256 && Arc::ptr_eq(&f, &foods) {
                return Ok(c);
            }
        }
        let recipes = mmi_store::recipes(pool)
            .await
            .map_err(|e| RecipeError::Internal(e.to_string()))?;
        let service = self.clone();
        let index = foods.clone();
        let built = tokio::task::spawn_blocking(move || {
            let matcher = service.matcher(&index);
            Arc::new(build_catalogue(&parser, &matcher, &index.foods, &recipes))
        })
        .await
        .map_err(|e| RecipeError::Internal(format!("catalogue thread: {e}")))?;
        if let Ok(mut c) = self.catalogue.lock() {
            *c = Some((version.sha256, foods, built.clone()));
        }
        Ok(built)
    }

    /// `POST /api/recommend-meal`.
    pub async fn recommend_meal(
        &self,
        pool: &SqlitePool,
        nutrition: &NutritionCache,
        request: &RecommendMealRequest,
    ) -> Result<RecommendMealResponse, RecipeError> {
        request
            .validate()
            .map_err(|(field, message)| RecipeError::Invalid { field, message })?;
        let catalogue = self.catalogue(pool, nutrition).await?;
        let c = request.constraints();
        let t = targets(
            request.goal,
            c.calories,
            body_stats(&c).as_ref(),
            c.meals_per_day.unwrap_or(3),
        );
        let (eligible, meals) =
            recommend(&catalogue, &Filters::from_constraints(&c), &t, request.k);
        Ok(RecommendMealResponse {
            goal: request.goal,
            targets: t,
            eligible,
            meals,
        })
    }

    /// `GET /api/meal-plan`.
    pub async fn meal_plan(
        &self,
        pool: &SqlitePool,
        nutrition: &NutritionCache,
        request: &MealPlanRequest,
    ) -> Result<MealPlan, RecipeError> {
        let catalogue = self.catalogue(pool, nutrition).await?;
        let request = request.clone();
        tokio::task::spawn_blocking(move || {
            let c = &request.constraints;
            let meals = c.meals_per_day.unwrap_or(3);
            let t = targets(request.goal, c.calories, body_stats(c).as_ref(), meals);
            let filters = Filters::from_constraints(c);
            let started = std::time::Instant::now();
            let planned = plan_days(
                &catalogue,
                &filters,
                &t,
                request.days,
                meals,
                request.no_repeat_days,
            )
            .map_err(|e| RecipeError::Infeasible {
                field: e.field.to_string(),
                message: e.message,
            })?;
            let solve_ms = started.elapsed().as_secs_f64() * 1000.0;
            Ok(MealPlan {
                goal: request.goal,
                shopping_list: shopping_list(&planned.days, &catalogue),
                days: planned.days,
                targets: t,
                no_repeat_days: request.no_repeat_days,
                eligible: planned.eligible,
                solver: "good_lp 1.14 / microlp (branch and bound)".into(),
                solve_ms,
            })
        })
        .await
        .map_err(|e| RecipeError::Internal(format!("planning thread: {e}")))?
    }
}
