//! Diet labels: the rules that make the ground truth ([`rules`]) and the models that learn the
//! labels from nutrient values alone ([`models`]).

pub mod models;
pub mod rules;

pub use rules::{allergens, label_food, DietLabel, Labels, ALLERGENS, DIET_LABELS};
