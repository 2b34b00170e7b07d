//! The HTTP surface against a real server on a loopback port over a real SQLite file and (where
//! the test run has one) a PostgreSQL database: health and readiness, the admin API, the JSON error shape for every API error, request ids, the body limit, server-side
//! rendering of the home page, and a server function round trip.

// Test helpers unwrap too: a panic is the failure report we want.
#![allow(clippy::unwrap_used)]

mod common;

use common::{error_of, import_fixtures, start, start_on, ADMIN_TOKEN, BODY_LIMIT};
use mmi_types::{DbStats, ErrorCode, JobList, JobQueued, Readiness};

#[tokio::test]
async fn healthz_is_alive_and_readyz_needs_data() {
    for db in mmi_store::scratch::all().await {
        let s = start_on(&db).await;
        let health = reqwest::get(format!("{}/healthz", s.base)).await.unwrap();
        assert_eq!(health.status(), 200);
        assert_eq!(health.text().await.unwrap(), "ok");

        let empty = reqwest::get(format!("{}/readyz", s.base)).await.unwrap();
        assert_eq!(empty.status(), 503);
        let body: Readiness = empty.json().await.unwrap();
        assert!(body.database && !body.data_present && !body.ready);

        import_fixtures(&s.state).await;
        let ready = reqwest::get(format!("{}/readyz", s.base)).await.unwrap();
        assert_eq!(ready.status(), 200);
        let body = ready.json::<Readiness>().await.unwrap();
        assert!(body.ready);
        // Ready means the snapshot of that import is built: the fixtures touch every data set once.
        let snapshot = body.snapshot.unwrap();
        assert_eq!(snapshot.data_versions.get("prices"), Some(&1));
        assert_eq!(snapshot.data_versions.get("foods"), Some(&1));
        assert!(snapshot.builds["snapshots"] >= 1);

        // A running import makes the service not ready.
        *s.state.import_progress.write().unwrap() = Some(Default::default());
        let importing = reqwest::get(format!("{}/readyz", s.base)).await.unwrap();
        assert_eq!(importing.status(), 503);
        assert!(importing.json::<Readiness>().await.unwrap().import_running);
    }
}

#[tokio::test]
async fn api_stats_reports_the_imported_counts() {
    for db in mmi_store::scratch::all().await {
        let s = start_on(&db).await;
        import_fixtures(&s.state).await;
        let response = reqwest::get(format!("{}/api/stats", s.base)).await.unwrap();
        assert_eq!(response.status(), 200);
        let stats: DbStats = response.json().await.unwrap();
        assert_eq!(
            (stats.tokens, stats.price_rows, stats.foods, stats.recipes),
            (1, 3, 2, 2)
        );
        assert_eq!(stats.first_price_day.as_deref(), Some("2020-01-01"));
        assert!(
            stats.last_import_at.is_none(),
            "import_dir alone records no run"
        );
    }
}

#[tokio::test]
async fn every_api_error_has_the_json_shape() {
    let s = start().await;
    let client = reqwest::Client::new();

    let not_found = client
        .get(format!("{}/api/nope", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(not_found.status(), 404);
    let body = error_of(not_found).await;
    assert_eq!(body.error.code, ErrorCode::NotFound);
    assert!(body.error.message.contains("/api/nope"));

    let wrong_method = client
        .delete(format!("{}/api/stats", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(
        error_of(wrong_method).await.error.code,
        ErrorCode::MethodNotAllowed
    );

    let too_large = client
        .post(format!("{}/api/stats", s.base))
        .body(vec![b'x'; BODY_LIMIT + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(too_large.status(), 413);
    assert_eq!(
        error_of(too_large).await.error.code,
        ErrorCode::PayloadTooLarge
    );
}

#[tokio::test]
async fn responses_carry_a_request_id_and_keep_a_given_one() {
    let s = start().await;
    let client = reqwest::Client::new();
    let generated = client
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .unwrap();
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let given = client
        .get(format!("{}/api/nope", s.base))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "trace-me-42");
}

#[tokio::test]
async fn home_page_renders_the_counts_on_the_server() {
    for db in mmi_store::scratch::all().await {
        let s = start_on(&db).await;
        let empty = reqwest::get(format!("{}/", s.base)).await.unwrap();
        assert_eq!(empty.status(), 200);
        let html = empty.text().await.unwrap();
        assert!(html.contains("data-testid=\"empty-state\""), "{html}");

        import_fixtures(&s.state).await;
        let html = reqwest::get(format!("{}/", s.base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains("data-testid=\"empty-state\""));
        assert!(html.contains("2020-01-01 to 2020-01-06"), "{html}");
        // Sent brotli-compressed to a client that accepts it, plain to one that does not.
        let compressed = reqwest::Client::new()
            .get(format!("{}/", s.base))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(compressed.headers()["content-encoding"], "br");
        let compressed = compressed.bytes().await.unwrap().len();
        assert!(
            compressed * 2 < html.len(),
            "{compressed} vs {}",
            html.len()
        );

        let unknown = reqwest::get(format!("{}/no/such/page", s.base))
            .await
            .unwrap();
        assert_eq!(unknown.status(), 404);
    }
}

#[tokio::test]
async fn server_function_round_trip() {
    let s = start().await;
    import_fixtures(&s.state).await;
    let response = reqwest::Client::new()
        .post(format!("{}/sfn/db_stats", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let stats: DbStats = response.json().await.unwrap();
    assert_eq!(stats.tokens, 1);
    assert_eq!(stats.ingredient_sentences, 3);
}

/// The crypto pages' server functions: data for a known token, and a status that names the
/// problem for an unknown token (404), a bad date or a bad window (400).
#[tokio::test]
async fn crypto_server_functions_answer_with_data_or_a_clear_status() {
    for db in mmi_store::scratch::all().await {
        let s = start_on(&db).await;
        import_fixtures(&s.state).await;
        let call = |endpoint: &'static str, form: &'static str| {
            let url = format!("{}/sfn/{endpoint}", s.base);
            async move {
                reqwest::Client::new()
                    .post(url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let ok = call("token_eda", "symbol=tst").await;
        assert_eq!(ok.status(), 200);
        let eda: mmi_types::TokenEda = ok.json().await.unwrap();
        assert_eq!(eda.history.symbol, "TST");
        assert_eq!(eda.history.days.len(), 3, "the fixture's three valid days");

        let unknown = call("token_eda", "symbol=NOPE").await;
        assert_eq!(unknown.status(), 404);
        let message = unknown.text().await.unwrap();
        assert!(
            message.contains("no prices for token") && message.contains("NOPE"),
            "{message}"
        );

        let bad_date = call("token_eda", "symbol=TST&from=2020-13-01").await;
        assert_eq!(bad_date.status(), 400);
        assert!(bad_date
            .text()
            .await
            .unwrap()
            .contains("is not a YYYY-MM-DD date"));

        let market = call("market_overview", "method=spearman").await;
        assert_eq!(market.status(), 200);
        let overview: Option<mmi_types::MarketOverview> = market.json().await.unwrap();
        assert_eq!(overview.unwrap().tokens.len(), 1);

        let bad_window = call("market_overview", "window_days=1&method=pearson").await;
        assert_eq!(bad_window.status(), 400);
        assert!(bad_window
            .text()
            .await
            .unwrap()
            .contains("window_days must be between 2 and 10000"));
    }
}

/// Both adapters of the service layer give the same problem the same status and message: each
/// case is sent once to the REST API and once to the page's server function.
#[tokio::test]
async fn rest_and_server_functions_map_each_error_to_the_same_status() {
    let s = start().await;
    let client = reqwest::Client::new();
    let sfn_form = |endpoint: &str, form: String| {
        client
            .post(format!("{}/sfn/{endpoint}", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
    };
    let sfn_json = |endpoint: &str, body: serde_json::Value| {
        client
            .post(format!("{}/sfn/{endpoint}", s.base))
            .json(&body)
    };
    let rest =
        |path: &str, body: serde_json::Value| client.post(format!("{}{path}", s.base)).json(&body);
    let meal = |body: serde_json::Value| (rest("/api/recommend-meal", body.clone()), body);
    let cases = [
        // (REST request, server function request, status)
        (
            rest("/api/predict", serde_json::json!({"symbol": " "})),
            sfn_form("predict", "symbol=+".into()),
            422,
        ),
        (
            rest(
                "/api/predict",
                serde_json::json!({"symbol": "BTC", "model": "oracle"}),
            ),
            sfn_form("predict", "symbol=BTC&model=oracle".into()),
            422,
        ),
        (
            rest("/api/predict", serde_json::json!({"symbol": "NOPE"})),
            sfn_form("predict", "symbol=NOPE".into()),
            404,
        ),
        {
            let (r, body) = meal(serde_json::json!({"goal": "maintenance", "calories": 5}));
            (
                r,
                sfn_json("recommend_meals", serde_json::json!({"request": body})),
                422,
            )
        },
        {
            let (r, body) = meal(serde_json::json!({"goal": "maintenance"}));
            (
                r,
                sfn_json("recommend_meals", serde_json::json!({"request": body})),
                503,
            )
        },
        (
            client.get(format!(
                "{}/api/meal-plan?days=3&goal=maintenance&colour=red",
                s.base
            )),
            sfn_json(
                "plan_meals",
                serde_json::json!({"params": [["days", "3"], ["goal", "maintenance"], ["colour", "red"]]}),
            ),
            400,
        ),
        (
            client.get(format!("{}/api/meal-plan?days=3&goal=maintenance", s.base)),
            sfn_json(
                "plan_meals",
                serde_json::json!({"params": [["days", "3"], ["goal", "maintenance"]]}),
            ),
            503,
        ),
        (
            rest(
                "/api/analyze-recipe",
                serde_json::json!({"ingredients": ["1 cup rice"], "servings": 0}),
            ),
            sfn_form("analyze_recipe", "ingredients=1+cup+rice&servings=0".into()),
            422,
        ),
        (
            rest(
                "/api/analyze-recipe",
                serde_json::json!({"ingredients": ["1 cup rice"], "servings": 2}),
            ),
            sfn_form("analyze_recipe", "ingredients=1+cup+rice&servings=2".into()),
            503,
        ),
    ];
    for (rest, sfn, status) in cases {
        let rest = rest.send().await.unwrap();
        let sfn = sfn.send().await.unwrap();
        assert_eq!(rest.status(), status, "REST {}", rest.url());
        assert_eq!(sfn.status(), status, "server function {}", sfn.url());
        let url = sfn.url().clone();
        let message = error_of(rest).await.error.message;
        let sfn_text = sfn.text().await.unwrap();
        assert!(
            sfn_text.contains(&message),
            "{url}: the server function says {sfn_text:?}, REST {message:?}"
        );
    }
}

#[tokio::test]
async fn the_admin_api_needs_the_token_and_queues_validated_jobs() {
    for db in mmi_store::scratch::all().await {
        let s = start_on(&db).await;
        let client = reqwest::Client::new();
        let url = format!("{}/api/admin/jobs", s.base);
        let post = |token: Option<&str>, body: serde_json::Value| {
            let mut request = client.post(&url).json(&body);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send()
        };
        let train = serde_json::json!({"kind": "train", "domain": "crypto", "quick": true});

        let anonymous = post(None, train.clone()).await.unwrap();
        assert_eq!(anonymous.status(), 401);
        assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
        assert_eq!(
            error_of(anonymous).await.error.code,
            ErrorCode::Unauthorized
        );
        let wrong = post(Some("not-the-token"), train.clone()).await.unwrap();
        assert_eq!(wrong.status(), 403);
        assert_eq!(error_of(wrong).await.error.code, ErrorCode::Forbidden);
        let listed = client.get(&url).send().await.unwrap();
        assert_eq!(listed.status(), 401, "listing needs the token too");

        for (body, field) in [
            (serde_json::json!({"kind": "export"}), "kind"),
            (serde_json::json!({"kind": "train"}), "domain"),
            (
                serde_json::json!({"kind": "train", "domain": "weather"}),
                "domain",
            ),
            (
                serde_json::json!({"kind": "import", "quick": true}),
                "quick",
            ),
        ] {
            let refused = post(Some(ADMIN_TOKEN), body.clone()).await.unwrap();
            assert_eq!(refused.status(), 422, "{body}");
            assert_eq!(error_of(refused).await.error.field.as_deref(), Some(field));
        }
        let unknown_field = post(
            Some(ADMIN_TOKEN),
            serde_json::json!({"kind": "train", "domian": "crypto"}),
        )
        .await
        .unwrap();
        assert_eq!(unknown_field.status(), 422);

        let queued = post(Some(ADMIN_TOKEN), train.clone()).await.unwrap();
        assert_eq!(queued.status(), 202);
        let queued: JobQueued = queued.json().await.unwrap();
        assert!(queued.created);
        assert_eq!(
            (
                queued.job.kind.as_str(),
                queued.job.domain.as_str(),
                queued.job.state.as_str()
            ),
            ("train", "crypto", "queued")
        );
        assert_eq!(queued.job.origin, "api");
        // The same request while it waits returns the same job.
        let again: JobQueued = post(Some(ADMIN_TOKEN), train.clone())
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!((again.job.id, again.created), (queued.job.id, false));

        let list: JobList = client
            .get(&url)
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list.jobs.len(), 1, "{:?}", db.backend);
        assert_eq!(list.jobs[0].id, queued.job.id);
    }
}

#[tokio::test]
async fn the_admin_api_is_off_without_a_token() {
    let s = start().await;
    let mut config = (*common::test_config()).clone();
    config.admin_token = None;
    let app = server::http::router(s.state.clone(), &std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let off = reqwest::Client::new()
        .get(format!("{base}/api/admin/jobs"))
        .bearer_auth("anything")
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 404);
    assert!(error_of(off).await.error.message.contains("ADMIN_TOKEN"));
}
