//! The USDA food table as the nutrition models read it: every food with its group, its nutrients
//! per 100 g (absent when USDA has no value) and its household portions.

use std::collections::HashMap;

use sqlx::Row;

use crate::Pool;

use crate::StoreError;

/// One household measure: `amount` × `measure` weighs `grams`.
#[derive(Debug, Clone, PartialEq)]
pub struct PortionRow {
    pub amount: f64,
    pub measure: String,
    pub grams: f64,
}

/// One food as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct FoodRow {
    pub ndb_no: String,
    pub description: String,
    pub group_code: Option<String>,
    pub group_name: Option<String>,
    /// `(nutr_no, amount per 100 g)`; a nutrient USDA did not measure has no entry.
    pub nutrients: Vec<(String, f64)>,
    pub portions: Vec<PortionRow>,
}

/// How many foods are stored (one index count, cheap enough to check on every request).
pub async fn food_count(pool: &Pool) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM foods")
        .fetch_one(pool)
        .await?)
}

/// Every food, ordered by NDB number, with nutrients and portions (three queries, joined here).
pub async fn foods(pool: &Pool) -> Result<Vec<FoodRow>, StoreError> {
    let mut foods: Vec<FoodRow> = sqlx::query(
        "SELECT f.ndb_no, f.description, f.food_group_code, g.name AS group_name
           FROM foods f LEFT JOIN food_groups g ON g.code = f.food_group_code
          ORDER BY f.ndb_no",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| {
        Ok(FoodRow {
            ndb_no: r.try_get("ndb_no")?,
            description: r.try_get("description")?,
            group_code: r.try_get("food_group_code")?,
            group_name: r.try_get("group_name")?,
            nutrients: Vec::new(),
            portions: Vec::new(),
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let index: HashMap<String, usize> = foods
        .iter()
        .enumerate()
        .map(|(i, f)| (f.ndb_no.clone(), i))
        .collect();
    for r in sqlx::query("SELECT ndb_no, nutr_no, amount FROM food_nutrients")
        .fetch_all(pool)
        .await?
    {
        let ndb: String = r.try_get("ndb_no")?;
        if let Some(&i) = index.get(&ndb) {
            foods[i]
                .nutrients
                .push((r.try_get("nutr_no")?, r.try_get("amount")?));
        }
    }
    for r in
        sqlx::query("SELECT ndb_no, amount, measure, grams FROM food_portions ORDER BY ndb_no, seq")
            .fetch_all(pool)
            .await?
    {
        let ndb: String = r.try_get("ndb_no")?;
        if let Some(&i) = index.get(&ndb) {
            foods[i].portions.push(PortionRow {
                amount: r.try_get("amount")?,
                measure: r.try_get("measure")?,
                grams: r.try_get("grams")?,
            });
        }
    }
    Ok(foods)
}
