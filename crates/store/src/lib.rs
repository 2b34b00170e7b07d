//! The store, on SQLite (embedded, the default) or PostgreSQL (shared by several processes):
//! opening it, applying the migrations, the generic upsert every importer uses, and the read
//! queries behind the dashboard.
//!
//! Server-only: nothing here compiles for the browser.

mod error;
mod foods;
pub mod jobs;
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
pub use pool::{migrate, open, Backend};
pub mod scratch;
pub use prices::{daily_prices, PriceRow};
pub use queries::{
    begin_import_run, finish_import_run, food_groups, has_data, last_import_at, ping, recipe_id,
    stats, table_counts, token_id, tokens, DATA_TABLES,
};
pub use recipes::{ingredient_sentences, recipes, LabelledIngredient, RecipeRecord};
/// A pool of connections to either backend.
pub type Pool = sqlx::AnyPool;
/// One connection (or a transaction, through `&mut *tx`).
pub type Conn = sqlx::AnyConnection;
/// A transaction on the store (what a training records its runs in).
pub type Transaction = sqlx::Transaction<'static, sqlx::Any>;
pub use upsert::{insert_new, upsert, Outcome, SqlValue};
pub use version::{bump_data_version, stamp, Stamp, DATA_SETS};
