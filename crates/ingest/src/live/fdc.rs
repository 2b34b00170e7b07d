//! USDA FoodData Central: `/v1/foods/list` (SR Legacy foods, paged) and `/v1/food/{fdcId}`
//! (category and portions), <https://fdc.nal.usda.gov/api-guide>. Requires an API key.

use mmi_store::{insert_new, upsert, Conn, Outcome, Pool, StoreError};
use reqwest::{Client, Url};
use serde::Deserialize;
use serde_json::Value;

use super::http::{base, client, get_json, url_under, RetryPolicy};
use crate::batch::{combine, write_rows, Record};
use crate::{FileReport, IngestError, Progress};

const API: &str = "FoodData Central";
const PAGE_SIZE: u32 = 200;

/// A FoodData Central client.
#[derive(Debug, Clone)]
pub struct FdcClient {
    http: Client,
    base_url: Url,
    api_key: String,
    retry: RetryPolicy,
}

/// One food of `/v1/foods/list` (the abridged format).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AbridgedFood {
    pub fdc_id: i64,
    pub description: String,
    pub data_type: Option<String>,
}

/// `/v1/food/{fdcId}` for an SR Legacy food (the fields we store).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FoodDetail {
    pub fdc_id: i64,
    pub description: String,
    /// A number in the detail format and a string in others; normalised by [`ndb_no`].
    pub ndb_number: Option<Value>,
    pub food_category: Option<FoodCategory>,
    #[serde(default)]
    pub food_nutrients: Vec<FoodNutrient>,
    #[serde(default)]
    pub food_portions: Vec<FoodPortion>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FoodCategory {
    pub code: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FoodNutrient {
    pub nutrient: Nutrient,
    pub amount: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Nutrient {
    pub number: String,
    pub name: String,
    pub unit_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FoodPortion {
    pub sequence_number: Option<i64>,
    pub amount: Option<f64>,
    pub gram_weight: Option<f64>,
    pub modifier: Option<String>,
    pub portion_description: Option<String>,
}

impl FdcClient {
    /// `base_url` is e.g. `https://api.nal.usda.gov/fdc`.
    pub fn new(base_url: &str, api_key: String, retry: RetryPolicy) -> Result<Self, IngestError> {
        Ok(FdcClient {
            http: client(API)?,
            base_url: base(base_url)?,
            api_key,
            retry,
        })
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> Result<Url, IngestError> {
        let mut url = url_under(&self.base_url, path, query)?;
        url.query_pairs_mut().append_pair("api_key", &self.api_key);
        Ok(url)
    }

    /// Page `page_number` (1-based) of SR Legacy foods.
    pub async fn list(
        &self,
        page_number: u32,
        page_size: u32,
    ) -> Result<Vec<AbridgedFood>, IngestError> {
        let url = self.url(
            "v1/foods/list",
            &[
                ("dataType", "SR Legacy".into()),
                ("pageSize", page_size.to_string()),
                ("pageNumber", page_number.to_string()),
            ],
        )?;
        get_json(&self.http, API, "/v1/foods/list", url, &[], &self.retry).await
    }

    /// One food in full.
    pub async fn food(&self, fdc_id: i64) -> Result<FoodDetail, IngestError> {
        let url = self.url(&format!("v1/food/{fdc_id}"), &[])?;
        get_json(
            &self.http,
            API,
            &format!("/v1/food/{fdc_id}"),
            url,
            &[],
            &self.retry,
        )
        .await
    }
}

/// SR's five-digit NDB number (`1001` → `01001`).
fn ndb_no(value: &Value) -> Option<String> {
    let digits = match value {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    Some(format!("{digits:05}"))
}

/// FDC writes units in capitals (`MG`, `UG`); the store uses SR's spelling.
fn sr_unit(unit: &str) -> String {
    match unit.to_ascii_uppercase().as_str() {
        "G" => "g".into(),
        "MG" => "mg".into(),
        "UG" | "µG" => "µg".into(),
        "KCAL" => "kcal".into(),
        "KJ" => "kJ".into(),
        "IU" => "IU".into(),
        other => other.to_lowercase(),
    }
}

#[derive(Debug, Clone, PartialEq)]
struct FdcFood {
    ndb_no: String,
    fdc_id: i64,
    description: String,
    group: Option<(String, String)>,
    /// (nutr_no, name, unit, amount per 100 g); nutrients without an amount are left out.
    nutrients: Vec<(String, String, String, f64)>,
    /// (seq, amount, measure, grams)
    portions: Vec<(i64, f64, String, f64)>,
}

impl Record for FdcFood {
    fn key(&self) -> String {
        self.ndb_no.clone()
    }

    async fn write(&self, conn: &mut Conn) -> Result<Outcome, StoreError> {
        if let Some((code, name)) = &self.group {
            insert_new(
                conn,
                "food_groups",
                &[("code", code.as_str().into())],
                &[("name", name.as_str().into())],
            )
            .await?;
        }
        let mut outcome = upsert(
            conn,
            "foods",
            &[("ndb_no", self.ndb_no.as_str().into())],
            &[
                ("fdc_id", self.fdc_id.into()),
                ("description", self.description.as_str().into()),
                (
                    "food_group_code",
                    self.group.as_ref().map(|g| g.0.as_str()).into(),
                ),
            ],
        )
        .await?;
        for (nutr_no, name, unit, amount) in &self.nutrients {
            insert_new(
                conn,
                "nutrient_definitions",
                &[("nutr_no", nutr_no.as_str().into())],
                &[
                    ("unit", unit.as_str().into()),
                    ("name", name.as_str().into()),
                ],
            )
            .await?;
            let this = upsert(
                conn,
                "food_nutrients",
                &[
                    ("ndb_no", self.ndb_no.as_str().into()),
                    ("nutr_no", nutr_no.as_str().into()),
                ],
                &[("amount", (*amount).into()), ("unit", unit.as_str().into())],
            )
            .await?;
            outcome = combine(outcome, this);
        }
        for (seq, amount, measure, grams) in &self.portions {
            let this = upsert(
                conn,
                "food_portions",
                &[
                    ("ndb_no", self.ndb_no.as_str().into()),
                    ("seq", (*seq).into()),
                ],
                &[
                    ("amount", (*amount).into()),
                    ("measure", measure.as_str().into()),
                    ("grams", (*grams).into()),
                ],
            )
            .await?;
            outcome = combine(outcome, this);
        }
        Ok(outcome)
    }
}

fn to_row(food: FoodDetail) -> Result<FdcFood, String> {
    let ndb = food
        .ndb_number
        .as_ref()
        .and_then(ndb_no)
        .ok_or_else(|| format!("fdcId {}: no NDB number", food.fdc_id))?;
    let nutrients = food
        .food_nutrients
        .into_iter()
        .filter_map(|n| {
            let amount = n.amount.filter(|a| a.is_finite() && *a >= 0.0)?;
            Some((
                n.nutrient.number,
                n.nutrient.name,
                sr_unit(&n.nutrient.unit_name),
                amount,
            ))
        })
        .collect();
    let portions = food
        .food_portions
        .into_iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let grams = p.gram_weight.filter(|g| *g > 0.0)?;
            let measure = p
                .modifier
                .or(p.portion_description)
                .filter(|m| !m.trim().is_empty())?;
            Some((
                p.sequence_number.unwrap_or(i as i64 + 1),
                p.amount.filter(|a| *a > 0.0).unwrap_or(1.0),
                measure,
                grams,
            ))
        })
        .collect();
    Ok(FdcFood {
        ndb_no: ndb,
        fdc_id: food.fdc_id,
        description: food.description,
        group: food
            .food_category
            .and_then(|c| Some((c.code?, c.description))),
        nutrients,
        portions,
    })
}

/// Imports up to `max_foods` SR Legacy foods, one report row per food.
pub(crate) async fn import(
    pool: &Pool,
    client: &FdcClient,
    max_foods: u32,
    progress: &Progress,
) -> Result<FileReport, IngestError> {
    let mut report = FileReport::new("fdc /v1/foods/list + /v1/food");
    let mut rows = Vec::new();
    let mut page = 1;
    'pages: while (report.read as u32) < max_foods {
        let foods = client.list(page, PAGE_SIZE.min(max_foods)).await?;
        if foods.is_empty() {
            break;
        }
        for food in foods {
            if report.read as u32 >= max_foods {
                break 'pages;
            }
            report.read += 1;
            let line = report.read;
            match to_row(client.food(food.fdc_id).await?) {
                Ok(row) => rows.push((line, row)),
                Err(reason) => report.reject(line, reason),
            }
        }
        page += 1;
    }
    write_rows(pool, rows, &mut report, progress).await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ndb_numbers_are_zero_padded_from_numbers_or_strings() {
        assert_eq!(ndb_no(&json!(1001)).as_deref(), Some("01001"));
        assert_eq!(ndb_no(&json!("9003")).as_deref(), Some("09003"));
        assert_eq!(ndb_no(&json!(null)), None);
    }

    #[test]
    fn units_use_sr_spelling() {
        assert_eq!(sr_unit("UG"), "µg");
        assert_eq!(sr_unit("KCAL"), "kcal");
        assert_eq!(sr_unit("MG"), "mg");
    }
}
