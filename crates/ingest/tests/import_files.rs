//! The file importers against a real database, SQLite and PostgreSQL: counts, rejected rows with their lines,
//! idempotence, and missing values staying missing.

// Test helpers unwrap too: a panic is the failure report we want.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use mmi_ingest::{import_dir, FileReport, ImportReport, Progress};
use mmi_store::Pool;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data")
}

fn file<'r>(report: &'r ImportReport, name: &str) -> &'r FileReport {
    report
        .files
        .iter()
        .find(|f| f.file.ends_with(name))
        .unwrap_or_else(|| panic!("no report for {name}: {report}"))
}

fn rejected_lines(report: &FileReport) -> Vec<u64> {
    report.rejected.iter().map(|r| r.line).collect()
}

async fn count(pool: &Pool, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn counts(pool: &Pool) -> Vec<i64> {
    mmi_store::table_counts(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, n)| n)
        .collect()
}

#[tokio::test]
async fn imports_every_format_and_reports_each_bad_row_with_its_line() {
    for db in mmi_store::scratch::all().await {
        let pool = mmi_store::open(&db.url).await.unwrap();
        let report = import_dir(&pool, &fixtures(), &Progress::default())
            .await
            .unwrap();
        assert!(report.missing.is_empty(), "{report}");

        let prices = file(&report, "coin_Testcoin.csv");
        assert_eq!((prices.read, prices.inserted, prices.duplicates), (8, 3, 1));
        assert_eq!(rejected_lines(prices), vec![4, 5, 6, 9]);
        assert!(prices.rejected[0].reason.contains("Close: not a number"));
        assert!(prices.rejected[1]
            .reason
            .contains("expected 10 fields, found 7"));
        assert!(prices.rejected[2].reason.contains("below Low"));
        assert!(prices.rejected[3].reason.contains("conflicts with line 7"));

        let titles = file(&report, "titles.csv");
        assert_eq!((titles.inserted, rejected_lines(titles)), (3, vec![4]));
        let articles = file(&report, "articles.csv");
        assert_eq!((articles.inserted, rejected_lines(articles)), (2, vec![3]));
        let phrasebank = file(&report, "phrasebank.csv");
        assert_eq!(
            (phrasebank.inserted, rejected_lines(phrasebank)),
            (3, vec![5])
        );

        assert_eq!(file(&report, "FD_GROUP.txt").inserted, 2);
        assert_eq!(file(&report, "NUTR_DEF.txt").inserted, 3);
        let foods = file(&report, "FOOD_DES.txt");
        assert_eq!((foods.inserted, rejected_lines(foods)), (2, vec![3]));
        assert!(foods.rejected[0].reason.contains("unknown food group"));
        let abbrev = file(&report, "ABBREV.txt");
        assert_eq!((abbrev.inserted, rejected_lines(abbrev)), (2, vec![3]));
        assert!(abbrev.rejected[0].reason.contains("Protein_(g)"));
        let weight = file(&report, "WEIGHT.txt");
        assert_eq!((weight.inserted, rejected_lines(weight)), (3, vec![4, 5]));

        let recipes = file(&report, "recipes.jsonl");
        assert_eq!((recipes.inserted, rejected_lines(recipes)), (2, vec![2, 3]));
        let ingredients = file(&report, "test-ingredients-2017.csv");
        assert_eq!(
            (
                ingredients.inserted,
                ingredients.duplicates,
                rejected_lines(ingredients)
            ),
            (3, 1, vec![5, 6])
        );

        // The bad rows are skipped, the rest is there.
        assert_eq!(
            counts(&pool).await,
            // tokens, prices, news, sentences, groups, nutrient defs (3 + ABBREV's 46 less the 3
            // shared), foods, nutrient values (46 + 45), portions, recipes, their ingredient lines,
            // ingredient sentences
            vec![1, 3, 5, 3, 2, 46, 2, 91, 3, 2, 4, 3]
        );
    }
}

#[tokio::test]
async fn missing_values_stay_missing() {
    for db in mmi_store::scratch::all().await {
        let pool = mmi_store::open(&db.url).await.unwrap();
        import_dir(&pool, &fixtures(), &Progress::default())
            .await
            .unwrap();

        // An empty selenium field in ABBREV: no row, not a zero.
        let selenium: Vec<(String, f64)> = sqlx::query_as(
            "SELECT ndb_no, amount FROM food_nutrients WHERE nutr_no = '317' ORDER BY ndb_no",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(selenium, vec![("01001".to_owned(), 1.0)]);

        // Empty OHLC and volume, and CoinMarketCap's 0.0 volume, are NULL.
        let rows: Vec<(String, Option<f64>, Option<f64>, f64)> = sqlx::query_as(
            "SELECT day, open_usd, volume_usd, close_usd FROM daily_prices ORDER BY day",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(
            rows,
            vec![
                ("2020-01-01".into(), Some(10.0), None, 10.5),
                ("2020-01-02".into(), Some(10.5), Some(5000.0), 11.5),
                ("2020-01-06".into(), None, None, 11.9),
            ]
        );

        // Latin-1 text decoded, the unit with its micro sign intact.
        let unit: String =
            sqlx::query_scalar("SELECT unit FROM nutrient_definitions WHERE nutr_no = '317'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(unit, "µg");
        let cafe: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sentiment_sentences WHERE sentence LIKE '%café%'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(cafe, 1);
    }
}

#[tokio::test]
async fn a_second_import_changes_nothing() {
    for db in mmi_store::scratch::all().await {
        let pool = mmi_store::open(&db.url).await.unwrap();
        let first = import_dir(&pool, &fixtures(), &Progress::default())
            .await
            .unwrap();
        let before = counts(&pool).await;
        let second = import_dir(&pool, &fixtures(), &Progress::default())
            .await
            .unwrap();
        assert_eq!(counts(&pool).await, before);
        assert_eq!(second.total(|f| f.inserted), 0, "{second}");
        assert_eq!(second.total(|f| f.updated), 0, "{second}");
        assert_eq!(second.total(|f| f.unchanged), first.total(|f| f.inserted));
        assert_eq!(
            second.total(|f| f.rejected.len() as u64),
            first.total(|f| f.rejected.len() as u64)
        );
    }
}

#[tokio::test]
async fn a_missing_data_set_is_reported_and_the_rest_imports() {
    let data = tempfile::tempdir().unwrap();
    let prices = data.path().join("crypto/prices");
    std::fs::create_dir_all(&prices).unwrap();
    std::fs::copy(
        fixtures().join("crypto/prices/coin_Testcoin.csv"),
        prices.join("coin_Testcoin.csv"),
    )
    .unwrap();
    for db in mmi_store::scratch::all().await {
        let pool = mmi_store::open(&db.url).await.unwrap();
        let report = import_dir(&pool, data.path(), &Progress::default())
            .await
            .unwrap();
        assert_eq!(report.files.len(), 1);
        assert!(
            report.missing.iter().any(|m| m.contains("ABBREV.txt")),
            "{report}"
        );
        assert!(
            report.missing.iter().any(|m| m.contains("recipes")),
            "{report}"
        );
        assert_eq!(count(&pool, "daily_prices").await, 3);
    }
}
