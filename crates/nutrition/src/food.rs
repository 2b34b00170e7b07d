//! A food as the features and models read it: its USDA identity and group, its 46 nutrient values
//! per 100 g edible portion (`None` where USDA has no value: never zero-filled) and its household
//! portions.

use mmi_store::FoodRow;

use crate::nutrient::{Nutrient, N_NUTRIENTS};

/// A household measure: `amount` × `measure` weighs `grams` (USDA `WEIGHT.txt`).
#[derive(Debug, Clone, PartialEq)]
pub struct Portion {
    pub amount: f64,
    pub measure: String,
    pub grams: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Food {
    pub ndb_no: String,
    pub description: String,
    pub group_code: Option<String>,
    pub group_name: Option<String>,
    /// Per 100 g, indexed by `Nutrient as usize`.
    pub values: [Option<f64>; N_NUTRIENTS],
    pub portions: Vec<Portion>,
}

impl Food {
    /// The amount of `n` per 100 g, if USDA measured it.
    pub fn get(&self, n: Nutrient) -> Option<f64> {
        self.values[n as usize]
    }

    /// A food with only a description, a group and the given values (tests and examples).
    pub fn new(ndb_no: &str, description: &str, group_code: Option<&str>) -> Food {
        Food {
            ndb_no: ndb_no.to_string(),
            description: description.to_string(),
            group_code: group_code.map(str::to_string),
            group_name: None,
            values: [None; N_NUTRIENTS],
            portions: Vec::new(),
        }
    }

    pub fn with(mut self, n: Nutrient, value: f64) -> Food {
        self.values[n as usize] = Some(value);
        self
    }

    /// `n` in one portion: the per-100 g value scaled by the portion's weight.
    pub fn per_portion(&self, n: Nutrient, portion: &Portion) -> Option<f64> {
        self.get(n).map(|v| v * portion.grams / 100.0)
    }
}

impl From<FoodRow> for Food {
    fn from(row: FoodRow) -> Food {
        let mut values = [None; N_NUTRIENTS];
        for (nutr_no, amount) in &row.nutrients {
            if let Some(n) = Nutrient::from_nutr_no(nutr_no) {
                values[n as usize] = Some(*amount);
            }
        }
        Food {
            ndb_no: row.ndb_no,
            description: row.description,
            group_code: row.group_code,
            group_name: row.group_name,
            values,
            portions: row
                .portions
                .into_iter()
                .map(|p| Portion {
                    amount: p.amount,
                    measure: p.measure,
                    grams: p.grams,
                })
                .collect(),
        }
    }
}

/// The foods of the stored rows (`mmi_store::foods`).
pub fn foods_of(rows: Vec<FoodRow>) -> Vec<Food> {
    rows.into_iter().map(Food::from).collect()
}
