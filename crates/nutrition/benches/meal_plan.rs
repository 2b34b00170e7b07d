//! A 7-day, 3-meals-a-day plan over a synthetic 354-recipe catalogue (the size of the real one):
//! the filters, the scoring and seven mixed-integer programs (good_lp/microlp) with the variety
//! rule, then the shopping list. Setup is not timed.

use criterion::{criterion_group, criterion_main, Criterion};
use mmi_nutrition::meals::catalogue::ShoppingLine;
use mmi_nutrition::meals::{plan_days, shopping_list, targets, Filters, RecipeProfile};
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

fn bench(c: &mut Criterion) {
    let c_ = catalogue();
    let t = targets(Goal::Maintenance, Some(2200.0), None, 3);
    c.bench_function("plan_7_days_3_meals", |b| {
        b.iter(|| {
            let plan = plan_days(&c_, &Filters::default(), &t, 7, 3, 3).expect("feasible");
            shopping_list(&plan.days, &c_).len()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
