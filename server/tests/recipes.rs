//! Recipes end to end against a real server over a real SQLite file with the real USDA foods,
//! labelled ingredient sentences and recipes: before training the API says what to run;
//! `train recipes` (quick) registers the parser and scores it on held-out sentences beside its
//! baseline; `POST /api/analyze-recipe` parses, matches, weighs and totals a recipe in the
//! issue's shape, never counting an unmatched line as zero; every bad request is a 4xx naming
//! its field; the page is rendered on the server.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{error_of, golden, import_reference_part, start, TestServer};
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
        "servings": 4,
        "month": 7
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
    s.refresh().await;
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
    golden("analyze_recipe_pancakes", &body, &[]);
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
    // Blueberries in July (US): in season.
    assert_eq!(a.seasonality.month, 7);
    let berries = a
        .seasonality
        .produce
        .iter()
        .find(|p| p.produce == "blueberry")
        .unwrap();
    assert!(berries.in_season);
    assert!(
        r.prep_density.as_ref().is_some_and(|d| d.points.len() > 50),
        "{:?}",
        r.prep_density.as_ref().map(|d| d.points.len())
    );

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

    // Meals for a goal, from the analysed recipes.
    let meals = reqwest::Client::new()
        .post(format!("{}/api/recommend-meal", s.base))
        .json(&json!({"goal": "weight_loss", "calories": 1800, "diet": ["vegetarian"], "exclude_allergens": ["peanuts"], "k": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(meals.status(), 200);
    let meals: Value = meals.json().await.unwrap();
    golden("recommend_meal_vegetarian", &meals, &[]);
    let keys: Vec<&str> = meals
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["eligible", "goal", "meals", "targets"]);
    assert_eq!(meals["targets"]["meal_kcal"], 600.0);
    let list = meals["meals"].as_array().unwrap();
    assert_eq!(list.len(), 5, "{meals}");
    for m in list {
        assert!(
            m["diet_labels"]
                .as_array()
                .unwrap()
                .contains(&json!("vegetarian")),
            "{m}"
        );
        assert!(!m["allergens"].to_string().contains("peanuts"), "{m}");
        assert!(!m["reasons"].as_array().unwrap().is_empty());
        assert!(m["per_serving"]["energy_kcal"].as_f64().unwrap() > 0.0);
    }
    let scores: Vec<f64> = list.iter().map(|m| m["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let bad = |body: Value| {
        let base = s.base.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{base}/api/recommend-meal"))
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    rejected(
        bad(json!({"goal": "maintenance", "k": 0})).await,
        422,
        Some("k"),
        "k must be",
    )
    .await;
    rejected(
        bad(json!({"goal": "maintenance", "diet": ["carnivore"]})).await,
        422,
        Some("diet"),
        "unknown diet",
    )
    .await;
    rejected(
        bad(json!({"goal": "maintenance", "exclude_allergens": ["gluten"]})).await,
        422,
        Some("exclude_allergens"),
        "unknown allergen",
    )
    .await;
    rejected(
        bad(json!({"goal": "maintenance", "age": 40})).await,
        422,
        Some("sex"),
        "body stats",
    )
    .await;
    assert_eq!(bad(json!({"goal": "bulk"})).await.status(), 422);

    // A week's plan: every day within ±5% and inside the macro ranges, no repeats within 3 days.
    let plan = reqwest::get(format!(
        "{}/api/meal-plan?days=7&goal=maintenance&calories=2200&meals_per_day=3",
        s.base
    ))
    .await
    .unwrap();
    assert_eq!(plan.status(), 200);
    let plan: Value = plan.json().await.unwrap();
    golden("meal_plan_week", &plan, &["solve_ms"]);
    let plan: mmi_types::MealPlan = serde_json::from_value(plan).unwrap();
    assert_eq!(plan.days.len(), 7);
    for (i, d) in plan.days.iter().enumerate() {
        assert!(d.meets_targets, "{d:?}");
        assert!((d.totals.energy_kcal - 2200.0).abs() <= 110.0 + 1e-6);
        for m in &d.meals {
            for earlier in &plan.days[i.saturating_sub(2)..i] {
                assert!(earlier.meals.iter().all(|e| e.recipe_id != m.recipe_id));
            }
        }
    }
    assert!(!plan.shopping_list.is_empty());
    let get = |query: &str| {
        let url = format!("{}/api/meal-plan?{query}", s.base);
        async move { reqwest::get(url).await.unwrap() }
    };
    // The ordinary request: a vegetarian week. Every day's totals are recomputed from its
    // meals and sides (not read from the plan's flags); the sides are on the shopping list.
    let veg = get("days=7&goal=maintenance&calories=2000&diet=vegetarian").await;
    assert_eq!(veg.status(), 200);
    let veg: mmi_types::MealPlan = veg.json().await.unwrap();
    assert_eq!(veg.days.len(), 7);
    for d in &veg.days {
        let kcal: f64 = d.meals.iter().map(|m| m.nutrients.energy_kcal).sum::<f64>()
            + d.sides.iter().map(|s| s.nutrients.energy_kcal).sum::<f64>();
        let protein: f64 = d.meals.iter().map(|m| m.nutrients.protein_g).sum::<f64>()
            + d.sides.iter().map(|s| s.nutrients.protein_g).sum::<f64>();
        assert!((kcal - 2000.0).abs() <= 100.0 + 1e-6, "{d:?}");
        let share = 100.0 * 4.0 * protein / kcal;
        assert!((10.0 - 1e-6..=35.0 + 1e-6).contains(&share), "{d:?}");
        for side in &d.sides {
            assert!([0.5, 1.0, 1.5, 2.0].contains(&side.portions), "{side:?}");
        }
    }
    let side_grams: f64 = veg
        .days
        .iter()
        .flat_map(|d| &d.sides)
        .map(|s| s.grams)
        .sum();
    let listed: f64 = veg.shopping_list.iter().filter_map(|i| i.grams).sum();
    assert!(listed >= side_grams);
    // Too few vegan recipes for four a day without repeats within two weeks: the answer says so
    // and offers the change that can be planned.
    let refused =
        get("days=14&goal=maintenance&calories=2000&diet=vegan&meals_per_day=4&no_repeat_days=14")
            .await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["field"], "diet", "{body}");
    assert_eq!(
        body["error"]["suggestion"]["field"], "no_repeat_days",
        "{body}"
    );
    let accepted = body["error"]["suggestion"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let retried = get(&format!(
        "days=14&goal=maintenance&calories=2000&diet=vegan&meals_per_day=4&no_repeat_days={accepted}"
    ))
    .await;
    assert_eq!(retried.status(), 200, "the suggested change is planned");
    rejected(get("days=7").await, 400, Some("goal"), "goal is required").await;
    rejected(
        get("goal=maintenance&days=30").await,
        400,
        Some("days"),
        "days must be 1..=14",
    )
    .await;
    rejected(
        get("goal=maintenance&exclude=gluten").await,
        400,
        Some("exclude"),
        "unknown allergen",
    )
    .await;
    rejected(
        get("goal=maintenance&colour=red").await,
        400,
        Some("colour"),
        "unknown parameter",
    )
    .await;
    // Infeasible: too few vegan recipes without repeats over two weeks of six meals.
    rejected(
        get("goal=maintenance&days=14&meals_per_day=6&no_repeat_days=14&diet=vegan,keto_friendly")
            .await,
        422,
        Some("diet"),
        "recipes fit",
    )
    .await;

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
    for page in ["meals", "meals/plan"] {
        let html = reqwest::get(format!("{}/{page}", s.base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("data-testid=\"meal-goal\""), "{page}");
    }
}
