//! The pages, each with the server functions it calls.

mod crypto;
mod home;
mod jobs;
mod meals;
mod models;
mod not_found;
mod nutrition;
mod predict;
mod recipes;
mod recommend;
mod sentiment;
mod token;

pub use crypto::{get_market_overview, get_tokens, CryptoPage};
pub use home::{get_db_stats, HomePage};
pub use jobs::{get_jobs, get_training_job, JobsPage, LiveJobs, Untrained};
pub use meals::{plan_meals, recommend_meals, MealPlanPage, MealsPage};
pub use models::{get_model_report, get_runs, ClustersPage, ExperimentsPage, ModelsPage};
pub use not_found::NotFound;
pub use nutrition::{
    get_food_groups, get_food_profile, get_nutrition_eda, get_nutrition_report, search_foods,
    NutritionModelsPage, NutritionPage,
};
pub use predict::{predict_next_day, PredictionPanel};
pub use recipes::{analyze_recipe, get_recipe_overview, RecipesPage};
pub use recommend::{
    get_browser_artifacts, get_recommender_report, RecommendPage, RecommendResultsPage,
};
pub use sentiment::{get_sentiment_overview, get_sentiment_series, SentimentPage};
pub use token::{get_token_eda, TokenPage};
