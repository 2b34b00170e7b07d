//! The service layer called directly (no HTTP) for each of its error cases, over a real SQLite
//! file: input that cannot be read (400) or met (422) names its field, what does not exist is
//! 404, what is not imported or trained yet is 503 and says what to run, and a database that
//! fails is a 500 whose source stays in the log. The server's tests check that the REST
//! handlers and the server functions give each of these the same status.

// Test helpers unwrap too: a panic is the failure report we want.
#![allow(clippy::unwrap_used)]

use mmi_serve::{ServeError, Services};
use mmi_types::{
    AnalyzeRecipeRequest, Correlation, MealPlanRequest, RecommendMealRequest, RecommendRequest,
    SentimentTextsRequest,
};
use serde_json::json;

/// Services over a fresh, migrated and empty database (the directory lives as long as they do).
async fn empty() -> (Services, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("mmi.db").display());
    let pool = mmi_store::open(&url).await.unwrap();
    (Services::new(pool), dir)
}

fn request<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap()
}

/// Asserts the error's kind (by status), its field and a part of its message.
#[track_caller]
fn assert_error<T: std::fmt::Debug>(
    result: Result<T, ServeError>,
    status: u16,
    field: Option<&str>,
    says: &str,
) {
    let e = result.unwrap_err();
    assert_eq!(e.code().status(), status, "{e}");
    assert_eq!(e.field(), field, "{e}");
    assert!(e.to_string().contains(says), "{e:?} should say {says:?}");
}

#[tokio::test]
async fn input_that_cannot_be_read_or_met_names_its_field() {
    let (s, _dir) = empty().await;
    // 400: a parameter that cannot be read.
    assert_error(
        s.market_overview(Some(1), Correlation::Pearson).await,
        400,
        Some("window_days"),
        "between 2 and 10000",
    );
    assert_error(
        s.search_foods(&"x".repeat(101)).await,
        400,
        Some("query"),
        "at most 100",
    );
    assert_error(
        s.sentiment_day(None, None).await,
        400,
        Some("symbol"),
        "required",
    );
    assert_error(
        s.sentiment_day(Some("BTC"), Some("yesterday")).await,
        400,
        Some("date"),
        "YYYY-MM-DD",
    );
    assert_error(
        s.sentiment_series(" ").await,
        400,
        Some("symbol"),
        "token symbol",
    );

    // 422: well-formed, but wrong.
    assert_error(
        s.predict(" ", None).await,
        422,
        Some("symbol"),
        "token symbol",
    );
    assert_error(
        s.predict("BTC", Some("oracle")).await,
        422,
        Some("model"),
        "unknown model \"oracle\"",
    );
    let no_holdings: RecommendRequest = request(json!({"holdings": []}));
    assert_error(s.recommend(&no_holdings).await, 422, Some("holdings"), "");
    let bad_k: RecommendRequest = request(json!({"holdings": [{"symbol": "BTC"}], "k": 0}));
    assert_error(
        s.recommend(&bad_k).await,
        422,
        Some("k"),
        "k must be between",
    );
    let bad_method: RecommendRequest =
        request(json!({"holdings": [{"symbol": "BTC"}], "method": "astrology"}));
    assert_error(
        s.recommend(&bad_method).await,
        422,
        Some("method"),
        "astrology",
    );
    let no_lines: AnalyzeRecipeRequest = request(json!({"ingredients": [], "servings": 2}));
    assert_error(
        s.analyze_recipe(&no_lines).await,
        422,
        Some("ingredients"),
        "",
    );
    let no_servings: AnalyzeRecipeRequest =
        request(json!({"ingredients": ["1 cup rice"], "servings": 0}));
    assert_error(
        s.analyze_recipe(&no_servings).await,
        422,
        Some("servings"),
        "",
    );
    let bad_calories: RecommendMealRequest =
        request(json!({"goal": "maintenance", "calories": -5}));
    assert_error(
        s.recommend_meal(&bad_calories).await,
        422,
        Some("calories"),
        "",
    );
    assert_error(
        s.score_texts(&SentimentTextsRequest { texts: Vec::new() })
            .await,
        422,
        Some("texts"),
        "texts is empty",
    );
}

#[tokio::test]
async fn what_does_not_exist_is_not_found() {
    let (s, _dir) = empty().await;
    assert_error(s.predict("nope", None).await, 404, Some("symbol"), "NOPE");
    assert_error(
        s.token_eda("NOPE", None, None).await,
        404,
        Some("symbol"),
        "NOPE",
    );
    assert_error(s.food_profile("99999").await, 404, Some("ndb_no"), "99999");
}

#[tokio::test]
async fn what_is_not_trained_yet_is_not_ready_and_says_what_to_run() {
    let (s, _dir) = empty().await;
    let holdings: RecommendRequest = request(json!({"holdings": [{"symbol": "BTC"}]}));
    assert_error(
        s.recommend(&holdings).await,
        503,
        None,
        "server train recommend",
    );
    let texts = SentimentTextsRequest {
        texts: vec!["Bitcoin rallies".into()],
    };
    assert_error(s.score_texts(&texts).await, 503, None, "train");
    assert_error(s.sentiment_day(Some("BTC"), None).await, 503, None, "train");
    let recipe: AnalyzeRecipeRequest =
        request(json!({"ingredients": ["1 cup rice"], "servings": 2}));
    assert_error(s.analyze_recipe(&recipe).await, 503, None, "train");
    let meal: RecommendMealRequest = request(json!({"goal": "maintenance"}));
    assert_error(s.recommend_meal(&meal).await, 503, None, "train");
    let plan = MealPlanRequest::from_query(&[
        ("days".into(), "3".into()),
        ("goal".into(), "maintenance".into()),
    ])
    .unwrap();
    assert_error(s.meal_plan(&plan).await, 503, None, "train");
    // With no data at all, the pages' reads are empty answers, not errors.
    assert!(s
        .market_overview(None, Correlation::Pearson)
        .await
        .unwrap()
        .is_none());
    assert!(s.tokens().await.unwrap().is_empty());
    assert!(s.model_report().await.unwrap().is_none());
}

#[tokio::test]
async fn a_failing_database_is_internal_and_its_source_is_not_sent() {
    let (s, _dir) = empty().await;
    s.pool().close().await;
    let e = s.stats().await.unwrap_err();
    assert_eq!(e.code().status(), 500);
    assert_eq!(e.field(), None);
    let body = e.body();
    assert_eq!(
        body.error.message,
        "internal error while reading the database"
    );
    // The source is kept for the log.
    assert!(std::error::Error::source(&e).is_some());
}
