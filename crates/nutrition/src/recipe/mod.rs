//! Recipes: the ingredient parser's training ([`align`], [`tagger`]), food matching
//! ([`matching`]), amounts in grams ([`grams`]), recipe nutrition with coverage, diet labels
//! and allergens ([`analyze`]), seasonal produce ([`season`]), its evaluation against site-reported nutrition ([`evaluate`]),
//! how the tagger generalises ([`study`]) and the training run ([`train`]). The request-time service is `mmi-serve`'s.

pub mod align;
pub mod analyze;
pub mod evaluate;
pub mod grams;
pub mod matching;
pub mod season;
pub mod study;
pub mod tagger;
pub mod train;

pub use analyze::{analyze_lines, RecipeResult, RECIPE_NUTRIENTS};
pub use matching::{FoodMatch, FoodMatcher};
pub use train::{
    train_recipes, RecipeConfig, RecipeInput, RecipeOutcome, PARSER_MODEL, PARSER_TASK,
    RECIPE_EXPERIMENT, RECIPE_REPORT_ARTIFACT, RECIPE_RUN,
};
