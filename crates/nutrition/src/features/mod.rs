//! Food features: macro energy shares, nutrient density, FDA-style nutrient categories, energy
//! density, and the scaling the models use. Every function takes a [`Food`](crate::Food) and says
//! what a missing input does to its output (always `None` or "not decided", never zero).

mod claims;
mod density;
mod macros;
mod scale;

pub use claims::{categories, claim_level, Category, ClaimLevel, CATEGORIES};
pub use density::{
    energy_density, nrf93, per_100_kcal, EnergyDensityClass, NRF_ENCOURAGE, NRF_LIMIT,
};
pub use macros::{macro_energy, macro_ratios, MacroEnergy, MacroRatios};
pub use scale::{Preprocessor, Scaling};
