//! The nutrition features, rules and models on the real USDA SR26 foods, imported by the
//! project's own importer from DATA_DIR into a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::OnceLock;

use approx::assert_relative_eq;
use mmi_learn::progress::Silent;
use mmi_nutrition::diet::{label_food, DietLabel, DIET_LABELS};
use mmi_nutrition::features::{categories, macro_ratios, nrf93};
use mmi_nutrition::train::{train_all, NutritionConfig};
use mmi_nutrition::{Food, Nutrient};

fn foods() -> &'static [Food] {
    static FOODS: OnceLock<Vec<Food>> = OnceLock::new();
    FOODS.get_or_init(|| {
        let data_dir = mmi_ingest::reference_data_dir(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."),
        );
        let scratch = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let url = format!("sqlite://{}", scratch.path().join("t.db").display());
            let pool = mmi_store::open(&url).await.unwrap();
            let only = scratch.path().join("data");
            let progress = mmi_ingest::Progress::default();
            mmi_ingest::import_parts(&pool, &data_dir, &["nutrition/sr26"], &only, &progress)
                .await
                .unwrap();
            mmi_nutrition::foods_of(mmi_store::foods(&pool).await.unwrap())
        })
    })
}

fn food(ndb: &str) -> &'static Food {
    foods().iter().find(|f| f.ndb_no == ndb).unwrap()
}

fn label(f: &Food, l: DietLabel) -> Option<bool> {
    label_food(f)[DIET_LABELS.iter().position(|x| *x == l).unwrap()]
}

#[test]
fn whole_milk_and_broccoli_features_from_the_store() {
    assert_eq!(foods().len(), 8463);
    let milk = food("01077");
    assert_eq!(milk.get(Nutrient::Protein), Some(3.15));
    // 4·3.15 + 4·4.80 + 9·3.25 = 61.05 kcal of macros; fat 29.25 of them.
    let r = macro_ratios(milk).unwrap();
    assert_relative_eq!(r.fat, 29.25 / 61.05, epsilon = 1e-12);
    // A cup of milk weighs 244 g: 2.44 × 61 kcal.
    let cup = milk.portions.iter().find(|p| p.measure == "cup").unwrap();
    assert_relative_eq!(
        milk.per_portion(Nutrient::Energy, cup).unwrap(),
        148.84,
        epsilon = 1e-9
    );
    let broccoli = food("11090");
    assert_relative_eq!(nrf93(broccoli).unwrap(), 211.5727, epsilon = 1e-3);
    assert!(categories(broccoli).contains(&"vitamin_c_rich"));
    // Missing stays missing: no SR26 value for broccoli's vitamin D IU is read as zero.
    let missing = foods()
        .iter()
        .filter(|f| f.get(Nutrient::Choline).is_none())
        .count();
    assert_eq!(missing, 8463 - 4511);
}

#[test]
fn diet_rules_on_named_real_foods() {
    use DietLabel::*;
    let cases: &[(&str, DietLabel, bool)] = &[
        ("01077", Vegetarian, true), // whole milk
        ("01077", Vegan, false),
        ("11090", Vegan, true), // raw broccoli
        ("11090", PaleoFriendly, true),
        ("11090", LowSodium, true),
        ("01009", KetoFriendly, true), // cheddar
        ("01009", HighProtein, true),
        ("15076", Pescatarian, true), // Atlantic salmon
        ("15076", Vegetarian, false),
        ("20044", GlutenFree, true),  // white rice
        ("20081", GlutenFree, false), // wheat flour
        ("16098", Vegan, true),       // peanut butter
        ("16098", PaleoFriendly, false),
        ("05062", Pescatarian, false), // chicken breast
    ];
    for (ndb, l, expected) in cases {
        let f = food(ndb);
        assert_eq!(
            label(f, *l),
            Some(*expected),
            "{} {}: {:?}",
            ndb,
            f.description,
            l
        );
    }
}

#[test]
fn quick_training_beats_the_baseline_and_finds_sensible_neighbours() {
    let started = std::time::Instant::now();
    let out = train_all(foods(), &NutritionConfig::quick(), &Silent).unwrap();
    let r = &out.report;
    eprintln!(
        "quick nutrition training: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(r.foods, 8463);
    assert_eq!(r.labelled_foods + r.undecided_foods, 8463);
    assert_eq!(
        r.train_foods + r.validation_foods + r.test_foods,
        r.labelled_foods
    );
    let baseline = r.diet.iter().find(|m| m.baseline).unwrap();
    for m in &r.diet {
        eprintln!(
            "{:<16} macro F1 {:.3} [{:.3}, {:.3}] micro {:.3} hamming {:.3} | {}",
            m.name,
            m.macro_f1,
            m.macro_f1_low,
            m.macro_f1_high,
            m.micro_f1,
            m.hamming_loss,
            m.per_label
                .iter()
                .map(|s| format!("{} {:.2}", s.label, s.f1))
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert_eq!(m.per_label.len(), 8);
        if !m.baseline {
            assert!(
                m.macro_f1 > baseline.macro_f1 + 0.2,
                "{} {}",
                m.name,
                m.macro_f1
            );
            assert!(m.macro_f1_low <= m.macro_f1 && m.macro_f1 <= m.macro_f1_high);
        }
    }
    for t in &r.regression {
        for m in &t.models {
            eprintln!(
                "{:<8} {:<14} RMSE {:.3} [{:.3}, {:.3}] R² {:?}",
                t.key, m.name, m.rmse, m.rmse_low, m.rmse_high, m.r2
            );
        }
        let mean = t.models.iter().find(|m| m.baseline).unwrap();
        let best = t
            .models
            .iter()
            .filter(|m| !m.baseline)
            .map(|m| m.rmse)
            .fold(f64::INFINITY, f64::min);
        let bound = if t.key == "energy" { 0.2 } else { 0.8 };
        assert!(
            best < bound * mean.rmse,
            "{}: {best} vs {}",
            t.key,
            mean.rmse
        );
    }
    // Energy is nearly Atwater: linear R² above 0.95.
    let energy = r.regression.iter().find(|t| t.key == "energy").unwrap();
    assert!(
        energy
            .models
            .iter()
            .find(|m| m.name == "linear")
            .unwrap()
            .r2
            .unwrap()
            > 0.95
    );
    eprintln!(
        "clusters: k {} ARI {:.3}",
        r.clusters.chosen_k, r.clusters.adjusted_rand_index
    );
    assert!(r.clusters.adjusted_rand_index > 0.05);
    for q in &r.embedding.quality {
        eprintln!(
            "{:<18} same group {:.3} macro distance {:.3}",
            q.method, q.same_group, q.macro_distance
        );
    }
    let (emb, random) = (&r.embedding.quality[0], &r.embedding.quality[2]);
    assert!(emb.same_group > 2.0 * random.same_group);
    assert!(emb.macro_distance < random.macro_distance);
    eprintln!(
        "int8 recall@5 {:.3}, {} bytes",
        r.embedding.int8_recall_at_5, r.embedding.int8_bytes
    );
    assert!(r.embedding.int8_recall_at_5 >= 0.9);
    assert!(out.models.iter().any(|m| m.task == Some("food_embedding")));
}
