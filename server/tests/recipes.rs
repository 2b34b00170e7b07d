//! Recipes end to end against a real server over a real SQLite file with the real USDA foods,
//! labelled ingredient sentences and recipes: before training the API says what to run;
//! `train recipes` (quick) registers the parser and scores it on held-out sentences beside its
//! baseline; `POST /api/analyze-recipe` parses, matches, weighs and totals a recipe in the
//! issue's shape, never counting an unmatched line as zero; every bad request is a 4xx naming
//! its field; the page is rendered on the server.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{error_of, import_reference_part, start, TestServer};
use mmi_learn::progress::Silent;
use mmi_nutrition::recipe::{RecipeConfig, PARSER_TASK};
use mmi_store::tracking::serving_version;
use mmi_types::{LineStatus, RecipeAnalysis};
use serde_json::{json, Value};
use server::train::train_recipes_run;

async fn post(s: &TestServer, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/analyze-recipe", s.base))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn rejected(r: reqwest::Response, status: u16, field: Option<&str>, says: &str) {
    assert_eq!(r.status(), status);
    let e = error_of(r).await.error;
    assert_eq!(e.field.as_deref(), field, "{}", e.message);
    assert!(e.message.contains(says), "{}", e.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trained_parser_analyses_recipes_through_the_api() {
    let s = start().await;
    let scratch = tempfile::tempdir().unwrap();
    for part in ["nutrition/sr26", "ingredients", "recipes"] {
        import_reference_part(&s.state, scratch.path(), part).await;
    }
    let recipe = json!({
        "title": "Pancakes",
        "ingredients": [
            "1 1/2 cups all-purpose flour",
            "2 tablespoons sugar",
            "2 large eggs",
            "1 ¼ cups whole milk",
            "3 tbsp unsalted butter, melted",
            "1/2 teaspoon salt",
            "1 cup blueberries (optional)",
            "maple syrup, to serve",
            "2 pinches of zorblax dust"
        ],
        "servings": 4
    });
    rejected(
        post(&s, recipe.clone()).await,
        503,
        None,
        "server train recipes",
    )
    .await;

    let trained = train_recipes_run(&s.state.pool, RecipeConfig::quick(), Arc::new(Silent))
        .await
        .unwrap();
    let r = &trained.report;
    assert_eq!(r.n_train, 3000);
    assert!(r.n_aligned > 20_000, "{r:?}");
    assert_eq!(r.n_test, r.n_aligned / 10);
    // Even three epochs on 3,000 sentences beat the per-word baseline clearly.
    assert!(
        r.parser.word_accuracy.value > r.baseline.word_accuracy.value + 0.03,
        "{:?} vs {:?}",
        r.parser.word_accuracy,
        r.baseline.word_accuracy
    );
    assert!(r.parser.word_accuracy.value > 0.9 && r.parser.sentence_accuracy.value > 0.6);
    assert!(r.model_bytes < 2 * 1024 * 1024);
    let calories = r
        .nutrition
        .iter()
        .find(|n| n.nutrient == "calories")
        .unwrap();
    assert!(calories.n_recipes > 50, "{calories:?}");
    assert!(
        calories.mdape.value < calories.baseline_mdape.value,
        "{calories:?}"
    );
    let serving = serving_version(&s.state.pool, PARSER_TASK)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(serving.version, trained.version);

    let response = post(&s, recipe).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "title",
        "servings",
        "lines",
        "nutrients",
        "coverage",
        "diet_labels",
        "allergens",
        "parser",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    let a: RecipeAnalysis = serde_json::from_value(body).unwrap();
    assert_eq!(a.lines.len(), 9);
    let flour = &a.lines[0];
    assert_eq!(flour.quantity.unwrap().low, 1.5);
    assert_eq!(flour.unit.as_deref(), Some("cup"));
    assert!(flour
        .food
        .as_ref()
        .unwrap()
        .description
        .starts_with("Wheat flour, white, all-purpose"));
    // 1½ cups of flour by USDA's own cup of flour (125 g).
    assert!((flour.grams.unwrap() - 187.5).abs() < 1.0, "{flour:?}");
    let eggs = &a.lines[2];
    assert_eq!(eggs.size.as_ref().unwrap().text, "large");
    assert!(eggs
        .food
        .as_ref()
        .unwrap()
        .description
        .starts_with("Egg, whole, raw"));
    assert!((eggs.grams.unwrap() - 100.0).abs() < 2.0, "{eggs:?}");
    // No amount, and no food: listed, not counted as zero.
    assert_eq!(a.lines[7].status, LineStatus::NoAmount);
    assert_eq!(a.lines[8].status, LineStatus::Unmatched);
    assert!(a
        .coverage
        .unmatched
        .contains(&"2 pinches of zorblax dust".to_string()));
    assert!(a
        .coverage
        .no_amount
        .contains(&"maple syrup, to serve".to_string()));
    assert_eq!(a.coverage.counted, 7);
    // The totals are the sum of the counted lines: about 1,500 kcal, so 300-500 a serving.
    let kcal = a.nutrients.iter().find(|n| n.key == "energy").unwrap();
    let per = kcal.per_serving.unwrap();
    assert!((300.0..550.0).contains(&per), "{per}");
    assert!((kcal.total.unwrap() / 4.0 - per).abs() < 1e-9);
    let allergens: Vec<&str> = a.allergens.iter().map(|r| r.allergen.as_str()).collect();
    for must in ["milk", "egg", "wheat_gluten"] {
        assert!(allergens.contains(&must), "{allergens:?}");
    }
    assert!(!allergens.contains(&"fish"), "{allergens:?}");
    let vegan = a.diet_labels.iter().find(|d| d.label == "vegan").unwrap();
    assert_eq!(vegan.value, Some(false), "{vegan:?}");
    assert_eq!(a.parser.version, trained.version);

    // Every bad request names its field.
    let lines = |v: Value| json!({"ingredients": v, "servings": 2});
    rejected(
        post(&s, lines(json!([]))).await,
        422,
        Some("ingredients"),
        "ingredients is empty",
    )
    .await;
    rejected(
        post(&s, lines(json!(vec!["1 egg"; 101]))).await,
        422,
        Some("ingredients"),
        "at most 100",
    )
    .await;
    rejected(
        post(&s, lines(json!(["1 egg", "x".repeat(501)]))).await,
        422,
        Some("ingredients[1]"),
        "501 characters",
    )
    .await;
    rejected(
        post(&s, lines(json!(["1 egg", "  "]))).await,
        422,
        Some("ingredients[1]"),
        "is empty",
    )
    .await;
    rejected(
        post(&s, json!({"ingredients": ["1 egg"], "servings": 0})).await,
        422,
        Some("servings"),
        "1..=100",
    )
    .await;
    assert_eq!(
        post(&s, json!({"ingredients": ["1 egg"]})).await.status(),
        422
    );
    assert_eq!(
        post(&s, json!({"ingredients": ["1 egg"], "servings": 2, "x": 1}))
            .await
            .status(),
        422
    );

    // The page is rendered on the server with the parser's evaluation.
    let html = reqwest::get(format!("{}/recipes", s.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("data-testid=\"parser-table\""),
        "no parser table"
    );
    assert!(html.contains("data-testid=\"recipe-analyzer\""));
    assert!(html.contains("most frequent label per word"));
}
