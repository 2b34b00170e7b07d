//! Functional categories from FDA nutrient content claims.
//!
//! - "High in" / "rich in": at least 20 % of the Daily Value; "good source": 10–19 %
//!   (21 CFR 101.54(b) and (c)).
//! - "Low sodium": at most 140 mg (21 CFR 101.61(b)(4)); "low fat": at most 3 g
//!   (21 CFR 101.62(b)(2)); "low calorie": at most 40 kcal (21 CFR 101.60(b)(2)).
//!
//! FDA applies these per reference amount customarily consumed (RACC, 21 CFR 101.12), which SR26
//! does not carry; here they are applied per 100 g, so a food eaten in small amounts (herbs,
//! spices) qualifies more easily than on a label. A category whose nutrient is missing is not
//! decided (`None`), neither true nor false.

use serde::{Deserialize, Serialize};

use crate::nutrient::Nutrient;
use crate::Food;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimLevel {
    None,
    GoodSource,
    High,
}

/// The level of `n` in 100 g of `food` against its Daily Value; `None` if `n` is missing or has
/// no Daily Value.
pub fn claim_level(food: &Food, n: Nutrient) -> Option<ClaimLevel> {
    let share = food.get(n)? / n.info().daily_value?;
    Some(if share >= 0.2 {
        ClaimLevel::High
    } else if share >= 0.1 {
        ClaimLevel::GoodSource
    } else {
        ClaimLevel::None
    })
}

/// A functional category and the rule that decides it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Category {
    pub key: &'static str,
    pub name: &'static str,
    pub rule: Rule,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// "High in": ≥ 20 % DV per 100 g.
    HighIn(Nutrient),
    /// At most this amount per 100 g.
    AtMost(Nutrient, f64),
}

pub const CATEGORIES: [Category; 11] = [
    Category {
        key: "high_protein",
        name: "High protein",
        rule: Rule::HighIn(Nutrient::Protein),
    },
    Category {
        key: "high_fibre",
        name: "High fibre",
        rule: Rule::HighIn(Nutrient::Fiber),
    },
    Category {
        key: "vitamin_c_rich",
        name: "Vitamin C rich",
        rule: Rule::HighIn(Nutrient::VitaminC),
    },
    Category {
        key: "iron_rich",
        name: "Iron rich",
        rule: Rule::HighIn(Nutrient::Iron),
    },
    Category {
        key: "calcium_rich",
        name: "Calcium rich",
        rule: Rule::HighIn(Nutrient::Calcium),
    },
    Category {
        key: "potassium_rich",
        name: "Potassium rich",
        rule: Rule::HighIn(Nutrient::Potassium),
    },
    Category {
        key: "vitamin_a_rich",
        name: "Vitamin A rich",
        rule: Rule::HighIn(Nutrient::VitaminARae),
    },
    Category {
        key: "folate_rich",
        name: "Folate rich",
        rule: Rule::HighIn(Nutrient::FolateDfe),
    },
    Category {
        key: "low_sodium",
        name: "Low sodium",
        rule: Rule::AtMost(Nutrient::Sodium, 140.0),
    },
    Category {
        key: "low_fat",
        name: "Low fat",
        rule: Rule::AtMost(Nutrient::Fat, 3.0),
    },
    Category {
        key: "low_calorie",
        name: "Low calorie",
        rule: Rule::AtMost(Nutrient::Energy, 40.0),
    },
];

impl Category {
    /// Whether `food` is in this category; `None` when the nutrient is missing.
    pub fn decide(&self, food: &Food) -> Option<bool> {
        match self.rule {
            Rule::HighIn(n) => claim_level(food, n).map(|l| l == ClaimLevel::High),
            Rule::AtMost(n, limit) => food.get(n).map(|v| v <= limit),
        }
    }
}

/// The keys of the categories `food` is in (undecided ones are left out).
pub fn categories(food: &Food) -> Vec<&'static str> {
    CATEGORIES
        .iter()
        .filter(|c| c.decide(food) == Some(true))
        .map(|c| c.key)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nutrient::Nutrient as N;

    #[test]
    fn broccoli_and_milk_categories() {
        let broccoli = super::super::density::tests::raw_broccoli();
        // Vitamin C 89.2 mg = 99 % DV; fibre 2.6 g = 9.3 % (not "good source"); sodium 33 mg.
        assert_eq!(claim_level(&broccoli, N::VitaminC), Some(ClaimLevel::High));
        assert_eq!(claim_level(&broccoli, N::Fiber), Some(ClaimLevel::None));
        assert_eq!(claim_level(&broccoli, N::Potassium), Some(ClaimLevel::None));
        let cats = categories(&broccoli);
        assert!(cats.contains(&"vitamin_c_rich") && cats.contains(&"low_sodium"));
        assert!(cats.contains(&"low_fat") && cats.contains(&"low_calorie"));
        assert!(!cats.contains(&"high_fibre") && !cats.contains(&"high_protein"));
        // Folate is missing from this test food: undecided, not "not folate rich".
        let folate = CATEGORIES
            .iter()
            .find(|c| c.key == "folate_rich")
            .expect("category");
        assert_eq!(folate.decide(&broccoli), None);

        // Whole milk: calcium 113 mg = 8.7 % DV, protein 3.15 g = 6.3 %, fat 3.25 g > 3 g.
        let milk = super::super::macros::tests::whole_milk().with(N::Calcium, 113.0);
        assert_eq!(claim_level(&milk, N::Calcium), Some(ClaimLevel::None));
        assert!(!categories(&milk).contains(&"low_fat"));
        let cheddar = Food::new("01009", "Cheese, cheddar", Some("0100")).with(N::Calcium, 721.0);
        assert_eq!(claim_level(&cheddar, N::Calcium), Some(ClaimLevel::High));
        let yogurt =
            Food::new("01116", "Yogurt, plain, whole milk", Some("0100")).with(N::Calcium, 121.0);
        // 121 / 1300 = 9.3 %: just short of a good source.
        assert_eq!(claim_level(&yogurt, N::Calcium), Some(ClaimLevel::None));
        let kale = Food::new("11233", "Kale, raw", Some("1100")).with(N::Calcium, 150.0);
        assert_eq!(claim_level(&kale, N::Calcium), Some(ClaimLevel::GoodSource));
    }
}
