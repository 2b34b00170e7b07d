//! The recipe and meal requests: `POST /api/analyze-recipe` (the serving parser and the
//! snapshot's food matcher, on a blocking thread), `POST /api/recommend-meal` and
//! `GET /api/meal-plan` (the snapshot's meal catalogue; a plan is solved once per request and
//! snapshot and kept), and the recipe page's overview.

use std::sync::Arc;

use mmi_nutrition::meals::evaluate::{plan_grid, PlanGridResult};
use mmi_nutrition::meals::{
    plan_days, recommend, shopping_list, targets, BodyStats, Filters, PlanRequest, RecipeProfile,
    SideFood,
};
use mmi_nutrition::recipe::analyze_lines;
use mmi_types::{
    AnalyzeRecipeRequest, MealConstraints, MealPlan, MealPlanRequest, ModelRef, RecipeAnalysis,
    RecipeOverview, RecommendMealRequest, RecommendMealResponse,
};

use crate::crypto::shared_error;
use crate::snapshot::{count, Snapshot};
use crate::{ServeError, Services};

/// The activity factor when body stats come without one: lightly active.
pub const DEFAULT_ACTIVITY: f64 = 1.375;

const NO_PARSER: &str = "no ingredient parser is trained yet: run `server train recipes` first";
const NO_FOODS: &str = "no foods in the database: import data first";

fn body_stats(c: &MealConstraints) -> Option<BodyStats> {
    Some(BodyStats {
        sex: c.sex?,
        age_years: c.age?,
        weight_kg: c.weight_kg?,
        height_cm: c.height_cm?,
        activity_factor: c.activity_factor.unwrap_or(DEFAULT_ACTIVITY),
    })
}

/// The parser must be trained and foods imported, in that order of complaint.
fn check_ready(snapshot: &Snapshot) -> Result<(), ServeError> {
    if snapshot.models.parser.is_none() {
        return Err(ServeError::NotReady(NO_PARSER.into()));
    }
    if snapshot.data.foods.index.foods.is_empty() {
        return Err(ServeError::NotReady(NO_FOODS.into()));
    }
    Ok(())
}

fn catalogue(snapshot: &Snapshot) -> Result<Arc<Vec<RecipeProfile>>, ServeError> {
    check_ready(snapshot)?;
    snapshot
        .meals
        .catalogue
        .clone()
        .ok_or_else(|| ServeError::NotReady(NO_PARSER.into()))
}

impl Services {
    /// Every line parsed, matched and weighed; totals, per serving, coverage, diet labels,
    /// allergens and seasonal produce.
    pub async fn analyze_recipe(
        &self,
        request: &AnalyzeRecipeRequest,
    ) -> Result<RecipeAnalysis, ServeError> {
        request
            .validate()
            .map_err(|(field, message)| ServeError::invalid(&field, message))?;
        let snapshot = self.snapshot().await?;
        check_ready(&snapshot)?;
        let request = request.clone();
        tokio::task::spawn_blocking(move || {
            let Some((version, parser)) = &snapshot.models.parser else {
                return Err(ServeError::NotReady(NO_PARSER.into()));
            };
            let data = &snapshot.data;
            let result = analyze_lines(
                parser,
                &data.foods.matcher,
                &data.foods.index.foods,
                &request.ingredients,
                request.servings,
            );
            Ok(RecipeAnalysis {
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
            })
        })
        .await
        .map_err(|e| ServeError::internal("analysing a recipe", e))?
    }

    /// Recipes ranked for a goal, with their nutrients and reasons.
    pub async fn recommend_meal(
        &self,
        request: &RecommendMealRequest,
    ) -> Result<RecommendMealResponse, ServeError> {
        request
            .validate()
            .map_err(|(field, message)| ServeError::invalid(&field, message))?;
        let snapshot = self.snapshot().await?;
        let catalogue = catalogue(&snapshot)?;
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

    /// A plan meeting the daily targets, or `Invalid` naming the constraint that cannot be met.
    /// The same request on the same snapshot is solved once (concurrent ones wait for it).
    pub async fn meal_plan(&self, request: &MealPlanRequest) -> Result<Arc<MealPlan>, ServeError> {
        let snapshot = self.snapshot().await?;
        let catalogue = catalogue(&snapshot)?;
        let sides = snapshot.meals.sides.clone();
        let key = format!("{request:?}");
        let request = request.clone();
        let services = self.clone();
        snapshot
            .meals
            .plans
            .try_get_with(key, async move {
                count(&services.counters().meal_plan);
                tokio::task::spawn_blocking(move || solve(&catalogue, &sides, &request))
                    .await
                    .map_err(|e| ServeError::internal("planning meals", e))?
                    .map(Arc::new)
            })
            .await
            .map_err(|e: Arc<ServeError>| shared_error(&e, "planning meals"))
    }

    /// The 7-day plan grid ([`mmi_nutrition::meals::evaluate::plan_grid`]) on the snapshot's
    /// catalogue and sides (`server evaluate-plans`; `every` > 1 plans every n-th request).
    pub async fn plan_grid(&self, every: usize) -> Result<(usize, PlanGridResult), ServeError> {
        let snapshot = self.snapshot().await?;
        let catalogue = catalogue(&snapshot)?;
        let sides = snapshot.meals.sides.clone();
        tokio::task::spawn_blocking(move || (catalogue.len(), plan_grid(&catalogue, &sides, every)))
            .await
            .map_err(|e| ServeError::internal("planning the grid", e))
    }

    /// The recipe page: the serving parser, the latest recipe report, example recipes.
    pub async fn recipe_overview(&self) -> Result<RecipeOverview, ServeError> {
        let snapshot = self.snapshot().await?;
        Ok(RecipeOverview {
            parser: snapshot.models.parser.as_ref().map(|(v, _)| ModelRef {
                name: v.name.clone(),
                version: v.version,
            }),
            report: snapshot.reports.recipes.clone(),
            examples: snapshot.data.recipes.examples.clone(),
        })
    }
}

fn solve(
    catalogue: &[RecipeProfile],
    sides: &[SideFood],
    request: &MealPlanRequest,
) -> Result<MealPlan, ServeError> {
    let c = &request.constraints;
    let meals = c.meals_per_day.unwrap_or(3);
    let t = targets(request.goal, c.calories, body_stats(c).as_ref(), meals);
    let started = std::time::Instant::now();
    let planned = plan_days(
        catalogue,
        sides,
        &PlanRequest {
            filters: Filters::from_constraints(c),
            targets: t.clone(),
            days: request.days,
            meals_per_day: meals,
            no_repeat_days: request.no_repeat_days,
        },
    )
    .map_err(|e| match e.relaxation {
        Some(r) => ServeError::invalid_with(e.field, e.message, r),
        None => ServeError::invalid(e.field, e.message),
    })?;
    let solve_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(MealPlan {
        goal: request.goal,
        shopping_list: shopping_list(&planned.days, catalogue, sides),
        days: planned.days,
        targets: t,
        no_repeat_days: planned.no_repeat_days,
        eligible: planned.eligible,
        solver: "good_lp 1.14 / microlp (branch and bound): day by day with a two-day repair; recipes, then sides in half portions".into(),
        solve_ms,
    })
}
