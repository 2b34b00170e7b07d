//! The pages, each with the server functions it calls.

mod crypto;
mod home;
mod not_found;
mod nutrition;

pub use crypto::{get_tokens, CryptoPage};
pub use home::{get_db_stats, HomePage};
pub use not_found::NotFound;
pub use nutrition::{get_food_groups, NutritionPage};
