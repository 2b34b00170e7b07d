//! The nutrition models end to end, against a real server over a real SQLite file: the quick
//! training on the real SR26 foods records a parent run with the report and child runs per model,
//! registers the diet and embedding versions with one serving each, and the pages' server
//! functions answer from them (EDA, search, a food's profile with similar foods, the report).

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{golden, import_reference_part, start, TestServer};
use mmi_learn::progress::Silent;
use mmi_nutrition::train::{NutritionConfig, DIET_TASK, EMBEDDING_TASK};
use mmi_store::tracking::{model_versions, run_tree};
use mmi_types::{FoodHit, FoodProfile, NutritionEda, NutritionReport};
use server::train::{nutrition::PARENT_RUN, train_nutrition};

async fn server_fn(s: &TestServer, endpoint: &str, form: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/sfn/{endpoint}", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn training_records_runs_and_the_pages_answer_from_them() {
    let s = start().await;
    // Before any food: no EDA, no report, and the profile of a food is a 404.
    let eda: Option<NutritionEda> = server_fn(&s, "nutrition_eda", "")
        .await
        .json()
        .await
        .unwrap();
    assert!(eda.is_none());
    let report: Option<NutritionReport> = server_fn(&s, "nutrition_report", "")
        .await
        .json()
        .await
        .unwrap();
    assert!(report.is_none());

    import_reference_part(&s.state, s.dir.path(), "nutrition/sr26").await;
    let eda: Option<NutritionEda> = server_fn(&s, "nutrition_eda", "")
        .await
        .json()
        .await
        .unwrap();
    let eda = eda.unwrap();
    assert_eq!(eda.foods, 8463);
    assert_eq!(eda.groups.len(), 25);
    // Every food with energy from macros is a point; shares in thousandths.
    let points = &eda.macro_points;
    assert!(points.len() > 8000, "{} macro points", points.len());
    assert_eq!(points.protein_permille.len(), points.len());
    assert!(points.fat_permille.iter().all(|&f| f <= 1000));
    let choline = eda.missingness.iter().find(|m| m.key == "choline").unwrap();
    assert_eq!(choline.missing, 8463 - 4511);

    // Before training: a profile without similar foods, saying how to get them.
    let p: FoodProfile = server_fn(&s, "food_profile", "ndb_no=11090")
        .await
        .json()
        .await
        .unwrap();
    assert!(p.similar.is_empty());
    assert!(p.similar_note.unwrap().contains("server train nutrition"));

    let trained = train_nutrition(&s.state.pool, NutritionConfig::quick(), Arc::new(Silent))
        .await
        .unwrap();
    s.refresh().await;
    let tree = run_tree(&s.state.pool, trained.run_id).await.unwrap();
    let (parent, _) = &tree[0];
    assert_eq!(
        (parent.name.as_str(), parent.status.as_str()),
        (PARENT_RUN, "finished")
    );
    assert!(parent.artifacts.iter().any(|a| a.name == "report.json"));
    // Majority + 4 diet models, 2 regressions, k-means, embedding.
    assert_eq!(tree.len(), 1 + 9);
    for (child, metrics) in &tree[1..] {
        assert_eq!(child.status, "finished", "{}", child.name);
        assert_eq!(child.parent_id, Some(trained.run_id));
        assert!(child.started_at >= parent.started_at);
        assert!(child.ended_at >= Some(child.started_at.clone()));
        assert!(!metrics.is_empty(), "{} has no metrics", child.name);
    }
    let embedding = tree
        .iter()
        .find(|(r, _)| r.name.starts_with("autoencoder"))
        .unwrap();
    let names: Vec<&str> = embedding
        .0
        .artifacts
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let versions = model_versions(&s.state.pool).await.unwrap();
    assert_eq!(versions.iter().filter(|v| v.task == DIET_TASK).count(), 4);
    assert_eq!(
        versions
            .iter()
            .filter(|v| v.task == DIET_TASK && v.serving)
            .count(),
        1
    );
    assert_eq!(
        versions
            .iter()
            .filter(|v| v.task == EMBEDDING_TASK && v.serving)
            .count(),
        1
    );

    let report: Option<NutritionReport> = server_fn(&s, "nutrition_report", "")
        .await
        .json()
        .await
        .unwrap();
    let report = report.unwrap();
    assert_eq!(report.run_id, Some(trained.run_id));
    assert!(report.embedding.version.is_some());
    assert_eq!(
        report.diet.iter().filter(|m| m.version.is_some()).count(),
        4
    );

    // Search, then the profile of raw broccoli with its nearest foods from the embedding.
    let hits: Vec<FoodHit> = server_fn(&s, "search_foods", "query=broccoli%20raw")
        .await
        .json()
        .await
        .unwrap();
    golden(
        "search_foods_broccoli",
        &serde_json::to_value(&hits).unwrap(),
        &[],
    );
    assert_eq!(hits[0].ndb_no, "11090");
    let p: FoodProfile = server_fn(&s, "food_profile", "ndb_no=11090")
        .await
        .json()
        .await
        .unwrap();
    golden(
        "food_profile_11090",
        &serde_json::to_value(&p).unwrap(),
        &[],
    );
    assert_eq!(p.description, "Broccoli, raw");
    assert_eq!(p.similar.len(), 8);
    assert!(p.similar.iter().all(|f| f.ndb_no != "11090"));
    let vegetables = p
        .similar
        .iter()
        .filter(|f| f.group.as_deref() == Some("Vegetables and Vegetable Products"))
        .count();
    assert!(vegetables >= 4, "{:?}", p.similar);
    assert!(p
        .similar
        .windows(2)
        .all(|w| w[0].similarity >= w[1].similarity));

    // Errors: an unknown food is a 404 naming it; an over-long query a 400.
    let r = server_fn(&s, "food_profile", "ndb_no=99999").await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("99999"));
    let long = format!("query={}", "a".repeat(101));
    assert_eq!(server_fn(&s, "search_foods", &long).await.status(), 400);
}
