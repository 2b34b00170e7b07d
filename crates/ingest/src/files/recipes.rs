//! Recipes, one JSON object a line (the recipe-scrapers schema): title, host, ingredients[],
//! instructions_list[], times in minutes, yields, cuisine, category, site-reported nutrients.

use std::path::Path;

use mmi_store::{upsert, Conn, Outcome, Pool, StoreError};
use serde::Deserialize;
use serde_json::Value;

use super::{file_label, read_file};
use crate::batch::{combine, write_rows, Record};
use crate::{FileReport, IngestError, Progress};

#[derive(Debug, Deserialize)]
struct RawRecipe {
    title: Option<String>,
    host: Option<String>,
    language: Option<String>,
    canonical_url: Option<String>,
    ingredients: Option<Value>,
    instructions_list: Option<Vec<String>>,
    prep_time: Option<Value>,
    cook_time: Option<Value>,
    total_time: Option<Value>,
    yields: Option<Value>,
    cuisine: Option<Value>,
    category: Option<Value>,
    nutrients: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
struct RecipeRow {
    natural_key: String,
    title: String,
    host: Option<String>,
    language: Option<String>,
    canonical_url: Option<String>,
    ingredients: Vec<String>,
    instructions_json: String,
    prep_time_min: Option<i64>,
    cook_time_min: Option<i64>,
    total_time_min: Option<i64>,
    yields: Option<String>,
    cuisine: Option<String>,
    category: Option<String>,
    nutrients_json: Option<String>,
}

impl Record for RecipeRow {
    fn key(&self) -> String {
        self.natural_key.clone()
    }

    async fn write(&self, conn: &mut Conn) -> Result<Outcome, StoreError> {
        let mut outcome = upsert(
            conn,
            "recipes",
            &[("natural_key", self.natural_key.as_str().into())],
            &[
                ("title", self.title.as_str().into()),
                ("host", self.host.clone().into()),
                ("language", self.language.clone().into()),
                ("canonical_url", self.canonical_url.clone().into()),
                ("instructions_json", self.instructions_json.as_str().into()),
                ("prep_time_min", self.prep_time_min.into()),
                ("cook_time_min", self.cook_time_min.into()),
                ("total_time_min", self.total_time_min.into()),
                ("yields", self.yields.clone().into()),
                ("cuisine", self.cuisine.clone().into()),
                ("category", self.category.clone().into()),
                ("nutrients_json", self.nutrients_json.clone().into()),
            ],
        )
        .await?;
        let id = mmi_store::recipe_id(conn, &self.natural_key)
            .await?
            .ok_or(StoreError::Sqlx(sqlx::Error::RowNotFound))?;
        for (position, line) in self.ingredients.iter().enumerate() {
            let this = upsert(
                conn,
                "recipe_ingredients",
                &[
                    ("recipe_id", id.into()),
                    ("position", (position as i64).into()),
                ],
                &[("line", line.as_str().into())],
            )
            .await?;
            outcome = combine(outcome, this);
        }
        // A recipe that lost ingredient lines since the last import loses their rows too.
        let stale =
            sqlx::query("DELETE FROM recipe_ingredients WHERE recipe_id = $1 AND position >= $2")
                .bind(id)
                .bind(self.ingredients.len() as i64)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        if stale > 0 {
            outcome = combine(outcome, Outcome::Updated);
        }
        Ok(outcome)
    }
}

/// Minutes from a JSON time: an integer, or a string such as `"27 minutes"` or `"1 hour"`.
fn minutes(value: Option<&Value>, field: &str) -> Result<Option<i64>, String> {
    let bad = |v: &Value| format!("{field}: not a duration in minutes: {v}");
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Number(n)) => match n.as_i64() {
            Some(m) if m >= 0 => Ok(Some(m)),
            _ => Err(bad(v)),
        },
        Some(v @ Value::String(s)) => {
            let s = s.trim().to_lowercase();
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            let unit = s[digits.len()..].trim();
            let n: i64 = digits.parse().map_err(|_| bad(v))?;
            match unit {
                "" | "m" | "min" | "mins" | "minute" | "minutes" => Ok(Some(n)),
                "h" | "hr" | "hrs" | "hour" | "hours" => Ok(Some(n * 60)),
                _ => Err(bad(v)),
            }
        }
        Some(v) => Err(bad(v)),
    }
}

/// Ingredient lines: a JSON array of strings, or (as a few sites give it) one string with a
/// line per ingredient.
fn ingredient_lines(value: Option<&Value>) -> Result<Vec<String>, String> {
    let lines: Vec<String> = match value {
        None | Some(Value::Null) => return Err("ingredients: missing".into()),
        Some(Value::String(s)) => s.lines().filter_map(crate::text::non_empty).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.trim().to_owned()),
                other => Err(format!("ingredients: not a string: {other}")),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(format!("ingredients: not a list: {other}")),
    };
    if lines.is_empty() {
        return Err("ingredients: empty list".into());
    }
    Ok(lines)
}

/// Text from a JSON scalar: strings as they are, numbers written out, null as missing.
fn scalar_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => crate::text::non_empty(s),
        other => Some(other.to_string()),
    }
}

fn parse(line: &str) -> Result<RecipeRow, String> {
    let raw: RawRecipe = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let title = raw
        .title
        .as_deref()
        .and_then(crate::text::non_empty)
        .ok_or("title: missing")?;
    let ingredients = ingredient_lines(raw.ingredients.as_ref())?;
    // Some sites give only their host as the canonical URL, so the title is part of the key.
    let natural_key = format!(
        "{}|{}",
        raw.canonical_url
            .as_deref()
            .or(raw.host.as_deref())
            .unwrap_or("")
            .trim(),
        title
    );
    Ok(RecipeRow {
        natural_key,
        title,
        host: raw.host,
        language: raw.language,
        canonical_url: raw.canonical_url,
        ingredients,
        instructions_json: serde_json::to_string(&raw.instructions_list.unwrap_or_default())
            .map_err(|e| e.to_string())?,
        prep_time_min: minutes(raw.prep_time.as_ref(), "prep_time")?,
        cook_time_min: minutes(raw.cook_time.as_ref(), "cook_time")?,
        total_time_min: minutes(raw.total_time.as_ref(), "total_time")?,
        yields: scalar_text(raw.yields.as_ref()),
        cuisine: scalar_text(raw.cuisine.as_ref()),
        category: scalar_text(raw.category.as_ref()),
        nutrients_json: match raw.nutrients {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.to_string()),
        },
    })
}

/// Imports a recipes JSONL file.
pub(crate) async fn import(
    pool: &Pool,
    path: &Path,
    progress: &Progress,
) -> Result<FileReport, IngestError> {
    let mut report = FileReport::new(file_label(path));
    let content = read_file(path)?;
    let mut rows = Vec::new();
    for (i, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        report.read += 1;
        match parse(line) {
            Ok(row) => rows.push((i as u64 + 1, row)),
            Err(reason) => report.reject(i as u64 + 1, reason),
        }
    }
    write_rows(pool, rows, &mut report, progress).await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn minutes_from_numbers_and_words() {
        assert_eq!(minutes(Some(&json!(45)), "t"), Ok(Some(45)));
        assert_eq!(minutes(Some(&json!("27 minutes")), "t"), Ok(Some(27)));
        assert_eq!(minutes(Some(&json!("2 hours")), "t"), Ok(Some(120)));
        assert_eq!(minutes(Some(&Value::Null), "t"), Ok(None));
        assert_eq!(minutes(None, "t"), Ok(None));
        assert!(minutes(Some(&json!("soon")), "t").is_err());
        assert!(minutes(Some(&json!(-5)), "t").is_err());
    }

    #[test]
    fn rejects_recipes_without_title_or_ingredients() {
        assert!(parse(r#"{"title": "", "ingredients": ["1 egg"]}"#).is_err());
        assert!(parse(r#"{"title": "Egg", "ingredients": []}"#).is_err());
        assert!(parse("{not json").unwrap_err().contains("invalid JSON"));
        let ok =
            parse(r#"{"title": "Egg", "host": "x.com", "ingredients": ["1 egg"], "yields": 2}"#)
                .unwrap();
        assert_eq!(ok.natural_key, "x.com|Egg");
        assert_eq!(ok.yields.as_deref(), Some("2"));
        assert_eq!(ok.nutrients_json, None);
        let lines = parse(r#"{"title": "Egg", "ingredients": "1 egg\n\n2 tbsp milk"}"#).unwrap();
        assert_eq!(lines.ingredients, vec!["1 egg", "2 tbsp milk"]);
    }
}
