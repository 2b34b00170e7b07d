//! The nutrition section: the EDA page with the food explorer (`/nutrition`) and the models page
//! (`/nutrition/models`).

mod eda;
mod food;
mod groups;
mod models;

pub use eda::{get_nutrition_eda, NutritionPage};
pub use food::{get_food_profile, search_foods};
pub use groups::get_food_groups;
pub use models::{get_nutrition_report, NutritionModelsPage};
