//! Meals for a goal: daily targets ([`targets`]), the recipe catalogue meals come from
//! ([`catalogue`]), ranked recommendations with reasons ([`recommend`]) and multi-day plans chosen
//! by a mixed-integer program with a shopping list ([`plan`]), and their evaluation beside a
//! random baseline ([`evaluate`]).

pub mod catalogue;
pub mod evaluate;
pub mod plan;
pub mod recommend;
pub mod sides;
pub mod targets;

pub use catalogue::{build_catalogue, RecipeProfile};
pub use evaluate::evaluate_meals;
pub use plan::{plan_days, shopping_list, Infeasible, PlanRequest};
pub use recommend::{recommend, Filters};
pub use sides::{build_sides, SideFood};
pub use targets::{targets, BodyStats};
