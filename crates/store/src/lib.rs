//! The SQLite store: opening (and creating) the database file, applying the migrations, the
//! generic upsert every importer uses, and the read queries behind the dashboard.
//!
//! Server-only: nothing here compiles for the browser.

mod error;
mod foods;
mod pool;
mod prices;
mod queries;
pub mod recipes;
pub mod sentiment;
pub mod tracking;
mod upsert;
mod version;

pub use error::StoreError;
pub use foods::{food_count, foods, FoodRow, PortionRow};
pub use pool::{migrate, open};
pub use prices::{daily_prices, PriceRow};
pub use queries::{
    begin_import_run, finish_import_run, food_groups, has_data, last_import_at, ping, recipe_id,
    stats, table_counts, token_id, tokens, DATA_TABLES,
};
pub use recipes::{ingredient_sentences, recipes, LabelledIngredient, RecipeRecord};
pub use sqlx::{SqliteConnection, SqlitePool};
/// A transaction on the store (what a training records its runs in).
pub type Transaction = sqlx::Transaction<'static, sqlx::Sqlite>;
pub use upsert::{insert_new, upsert, Outcome, SqlValue};
pub use version::{bump_data_version, stamp, Stamp, DATA_SETS};
