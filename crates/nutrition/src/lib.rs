//! The nutrition system's analytics and models, on USDA SR26 foods (8,463 foods × 46 nutrients):
//!
//! - [`nutrient`], [`food`]: the nutrient table with FDA Daily Values, and foods with their
//!   values per 100 g (missing stays `None`) and household portions;
//! - [`features`]: macro energy shares, nutrient density (per 100 kcal, NRF9.3), FDA-style
//!   categories, energy density, and the model preprocessing fitted on training foods only;
//! - [`diet`]: documented rules for eight diet labels and the models that learn them from
//!   nutrients alone;
//! - [`eda`]: the exploratory views of the nutrition page.
//!
//! Server-only: it trains with linfa and candle. It computes on data handed to it (rows read by
//! `mmi-store`) and never opens the database itself.

pub mod diet;
pub mod eda;
pub mod embed;
pub mod features;
pub mod food;
pub mod groups;
pub mod lookup;
pub mod meals;
pub mod neural;
pub mod nutrient;
pub mod recipe;
pub mod regress;
pub mod suggest;
pub mod train;

pub use food::{foods_of, Food, Portion};
pub use nutrient::{Nutrient, NutrientInfo, NUTRIENTS, N_NUTRIENTS};

/// What can go wrong in the nutrition analytics.
#[derive(Debug, thiserror::Error)]
pub enum NutritionError {
    /// Nothing imported yet.
    #[error("no foods in the database: import data first")]
    NoData,
    /// An unknown NDB number.
    #[error("no food {0:?}")]
    UnknownFood(String),
    /// A model could not be fitted or applied.
    #[error("model: {0}")]
    Model(String),
    #[error(transparent)]
    Learn(#[from] mmi_learn::LearnError),
    #[error(transparent)]
    Store(#[from] mmi_store::StoreError),
    #[error("neural network: {0}")]
    Candle(#[from] candle_core::Error),
}
