//! A 7-day, 3-meals-a-day plan over a synthetic 354-recipe catalogue (the size of the real one)
//! and 8 synthetic sides: the filters, the scoring and the day-by-day mixed-integer programs
//! (good_lp/microlp) with the variety rule and sides in half portions, then the shopping list.
//! Setup is not timed.

use criterion::{criterion_group, criterion_main, Criterion};
use mmi_nutrition::meals::catalogue::ShoppingLine;
use mmi_nutrition::meals::sides::SideKind;
use mmi_nutrition::meals::{
    plan_days, shopping_list, targets, Filters, PlanRequest, RecipeProfile, SideFood,
};
use mmi_types::{Goal, MealNutrients};

fn catalogue() -> Vec<RecipeProfile> {
    (0..354)
        .map(|i| {
            let kcal = 200.0 + 13.0 * (i % 70) as f64;
            let protein_pct = 8.0 + (i * 7 % 30) as f64;
            let fat_pct = 20.0 + (i * 11 % 25) as f64;
            let protein_g = kcal * protein_pct / 400.0;
            let fat_g = kcal * fat_pct / 900.0;
            RecipeProfile {
                recipe_id: i,
                title: format!("recipe {i}"),
                cuisine: None,
                category: None,
                prep_minutes: Some(30),
                servings: 4,
                per_serving: MealNutrients {
                    energy_kcal: kcal,
                    protein_g,
                    fat_g,
                    carbohydrate_g: (kcal - 4.0 * protein_g - 9.0 * fat_g) / 4.0,
                    fiber_g: 4.0,
                    sodium_mg: 500.0,
                },
                diet: vec![("vegetarian".into(), i % 2 == 0)],
                allergens: Vec::new(),
                mass_share: 1.0,
                nrf93: None,
                lines: (0..8)
                    .map(|k| ShoppingLine {
                        item: format!("food {}", (i + k) % 90),
                        grams_per_serving: Some(60.0),
                        line: String::new(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Eight sides from protein-rich to fat- and carbohydrate-rich, every label held.
fn sides() -> Vec<SideFood> {
    (0..8)
        .map(|i| {
            let (protein_g, fat_g, carbohydrate_g) = (
                2.0 + 3.0 * i as f64,
                1.0 + (i % 3) as f64 * 5.0,
                30.0 - 3.0 * i as f64,
            );
            SideFood {
                ndb_no: format!("9{i:04}"),
                name: format!("side {i}"),
                description: format!("side food {i}"),
                kind: SideKind::Snack,
                amount: 1.0,
                measure: "cup".into(),
                grams: 150.0,
                per_portion: MealNutrients {
                    energy_kcal: 4.0 * protein_g + 9.0 * fat_g + 4.0 * carbohydrate_g,
                    protein_g,
                    fat_g,
                    carbohydrate_g,
                    fiber_g: 2.0,
                    sodium_mg: 50.0,
                },
                labels: [Some(true); 8],
                allergens: 0,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let (c_, sides) = (catalogue(), sides());
    let request = PlanRequest {
        filters: Filters::default(),
        targets: targets(Goal::Maintenance, Some(2200.0), None, 3),
        days: 7,
        meals_per_day: 3,
        no_repeat_days: Some(3),
    };
    c.bench_function("plan_7_days_3_meals", |b| {
        b.iter(|| {
            let plan = plan_days(&c_, &sides, &request).expect("feasible");
            shopping_list(&plan.days, &c_, &sides).len()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
