//! What the recipe side reads: the labelled ingredient sentences (the parser's training data)
//! and the recipes with their ingredient lines.

use sqlx::Row;

use crate::{Pool, StoreError};

/// One labelled ingredient sentence: the line and the text of each field (`None` when empty).
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledIngredient {
    pub source: String,
    pub input: String,
    pub name: Option<String>,
    pub quantity: Option<String>,
    pub unit: Option<String>,
    pub size: Option<String>,
    pub preparation: Option<String>,
    pub comment: Option<String>,
    pub purpose: Option<String>,
}

/// Every labelled sentence, in import order.
pub async fn ingredient_sentences(pool: &Pool) -> Result<Vec<LabelledIngredient>, StoreError> {
    let rows = sqlx::query(
        "SELECT source, input, name, quantity, unit, size, preparation, comment, purpose
           FROM ingredient_sentences ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LabelledIngredient {
                source: r.try_get("source")?,
                input: r.try_get("input")?,
                name: r.try_get("name")?,
                quantity: r.try_get("quantity")?,
                unit: r.try_get("unit")?,
                size: r.try_get("size")?,
                preparation: r.try_get("preparation")?,
                comment: r.try_get("comment")?,
                purpose: r.try_get("purpose")?,
            })
        })
        .collect()
}

/// A stored recipe with its ingredient lines in order.
#[derive(Debug, Clone, PartialEq)]
pub struct RecipeRecord {
    pub id: i64,
    pub title: String,
    pub host: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub prep_time_min: Option<i64>,
    pub cook_time_min: Option<i64>,
    pub total_time_min: Option<i64>,
    pub yields: Option<String>,
    pub cuisine: Option<String>,
    pub category: Option<String>,
    /// The site-reported nutrition as the site gave it (JSON object of strings).
    pub nutrients_json: Option<String>,
    pub ingredients: Vec<String>,
}

/// Every recipe, by id, with its ingredients.
pub async fn recipes(pool: &Pool) -> Result<Vec<RecipeRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, title, host, language, canonical_url, prep_time_min, cook_time_min,
                total_time_min, yields, cuisine, category, nutrients_json
           FROM recipes ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let lines: Vec<(i64, String)> = sqlx::query_as(
        "SELECT recipe_id, line FROM recipe_ingredients ORDER BY recipe_id, position",
    )
    .fetch_all(pool)
    .await?;
    let mut out: Vec<RecipeRecord> = rows
        .iter()
        .map(|r| {
            Ok(RecipeRecord {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                host: r.try_get("host")?,
                language: r.try_get("language")?,
                url: r.try_get("canonical_url")?,
                prep_time_min: r.try_get("prep_time_min")?,
                cook_time_min: r.try_get("cook_time_min")?,
                total_time_min: r.try_get("total_time_min")?,
                yields: r.try_get("yields")?,
                cuisine: r.try_get("cuisine")?,
                category: r.try_get("category")?,
                nutrients_json: r.try_get("nutrients_json")?,
                ingredients: Vec::new(),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let mut k = 0;
    for (recipe_id, line) in lines {
        while k < out.len() && out[k].id < recipe_id {
            k += 1;
        }
        if k < out.len() && out[k].id == recipe_id {
            out[k].ingredients.push(line);
        }
    }
    Ok(out)
}
