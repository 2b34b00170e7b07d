//! Training the food clusters and embeddings, checking the neighbours, exporting the int8 table.

use linfa::prelude::*;
use linfa_reduction::Pca;
use mmi_learn::progress::TrainProgress;
use mmi_rank::QuantizedTable;
use mmi_types::{EmbeddingReport, FoodClusters, ProjectedFood};
use ndarray::Array2;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{
    all_nutrients, profile_preprocessor, utc_now, NutritionConfig, TrainedModel,
    EMBEDDING_ARTIFACT, EMBEDDING_TASK,
};
use crate::embed::{embed, int8_recall_at_5, neighbour_quality, train_embedding, EmbedParams};
use crate::features::macro_ratios;
use crate::groups::cluster_foods;
use crate::{Food, NutritionError};

/// Reads an embedding version's artifact.
pub fn load_table(bytes: &[u8]) -> Result<QuantizedTable, NutritionError> {
    QuantizedTable::from_bytes(bytes).map_err(|e| NutritionError::Model(e.to_string()))
}

pub(super) fn train(
    foods: &[Food],
    groups: &[usize],
    group_names: &[String],
    config: &NutritionConfig,
    progress: &dyn TrainProgress,
    models: &mut Vec<TrainedModel>,
) -> Result<(FoodClusters, EmbeddingReport, Vec<ProjectedFood>), NutritionError> {
    let all: Vec<&Food> = foods.iter().collect();

    // k-means on every food's normalised profile (unsupervised: fitted on all foods).
    let started_at = utc_now();
    let ks = config.k_range.0..=config.k_range.1;
    progress.begin("food clusters", 1);
    let profile = profile_preprocessor(&all)?;
    let x_all = profile.transform(&all);
    let (clusters, cluster_of) = cluster_foods(
        &x_all,
        groups,
        group_names,
        ks,
        config.silhouette_sample,
        config.seed,
    )?;
    progress.step();
    progress.finish(
        "food clusters",
        &format!(
            "k = {} by silhouette, adjusted Rand index vs USDA groups {:.3}",
            clusters.chosen_k, clusters.adjusted_rand_index
        ),
    );
    let mut metrics = vec![
        ("chosen_k".to_string(), 0, clusters.chosen_k as f64),
        (
            "adjusted_rand_index".to_string(),
            0,
            clusters.adjusted_rand_index,
        ),
    ];
    metrics.extend(
        clusters
            .silhouettes
            .iter()
            .map(|(k, s)| ("silhouette".to_string(), *k as i64, *s)),
    );
    models.push(TrainedModel {
        task: None,
        name: "kmeans".into(),
        params: vec![
            (
                "k_range".into(),
                format!("{}..={}", config.k_range.0, config.k_range.1),
            ),
            (
                "silhouette_sample".into(),
                config.silhouette_sample.to_string(),
            ),
            ("seed".into(), config.seed.to_string()),
        ],
        metrics,
        artifacts: Vec::new(),
        validation_score: 0.0,
        started_at,
        ended_at: utc_now(),
    });

    // Embeddings: 20 % of foods never seen by the network or its preprocessing, 10 % of the rest
    // for early stopping.
    let started_at = utc_now();
    let mut order: Vec<usize> = (0..foods.len()).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(config.seed + 7));
    let n_held = foods.len() / 5;
    let (held, rest) = order.split_at(n_held);
    let n_val = rest.len() / 10;
    let (val, train) = rest.split_at(n_val);
    let train_refs: Vec<&Food> = train.iter().map(|&i| &foods[i]).collect();
    let pre = profile_preprocessor(&train_refs)?;
    let x = pre.transform(&all);
    let nutrients = all_nutrients();
    let observed = Array2::from_shape_fn((foods.len(), nutrients.len()), |(i, j)| {
        f64::from(u8::from(foods[i].get(nutrients[j]).is_some()))
    });
    let macros: Vec<Option<[f64; 3]>> = foods
        .iter()
        .map(|f| macro_ratios(f).map(|r| [r.protein, r.carbohydrate, r.fat]))
        .collect();
    // The triplet weight is chosen on the validation foods, searching among non-held-out foods.
    let mut is_held = vec![false; foods.len()];
    for &i in held {
        is_held[i] = true;
    }
    let grid = &config.embed.triplet_grid;
    progress.begin(
        "food embedding",
        (config.embed.fit.max_epochs * grid.len().max(1)) as u64,
    );
    let mut best: Option<(f64, f64, crate::neural::Mlp, crate::neural::History)> = None;
    let mut grid_scores = Vec::new();
    for &weight in grid
        .iter()
        .chain(grid.is_empty().then_some(&config.embed.triplet_weight))
    {
        let params = EmbedParams {
            triplet_weight: weight,
            ..config.embed.clone()
        };
        let (mlp, history) =
            train_embedding(&x, &observed, groups, train, val, &params, |_, _, _| {
                progress.step()
            })?;
        let v = embed(&mlp, &x)?;
        let score = neighbour_quality(
            "validation",
            Some(&v),
            val,
            &is_held,
            foods.len(),
            groups,
            &macros,
            config.seed,
        )
        .same_group;
        grid_scores.push((weight, score));
        if best.as_ref().is_none_or(|b| score > b.1) {
            best = Some((weight, score, mlp, history));
        }
    }
    let (chosen_weight, _, mlp, history) =
        best.ok_or_else(|| NutritionError::Model("no embedding trained".into()))?;
    let vectors = embed(&mlp, &x)?;
    let profile_vectors: Vec<Vec<f32>> = x
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|v| *v as f32).collect())
        .collect();
    let methods: [(&str, Option<&[Vec<f32>]>); 3] = [
        ("embedding", Some(&vectors)),
        ("nutrient profile", Some(&profile_vectors)),
        ("random foods", None),
    ];
    let quality: Vec<_> = methods
        .into_iter()
        .map(|(name, v)| {
            neighbour_quality(
                name,
                v,
                held,
                &[],
                foods.len(),
                groups,
                &macros,
                config.seed,
            )
        })
        .collect();
    let ids: Vec<String> = foods.iter().map(|f| f.ndb_no.clone()).collect();
    let table = QuantizedTable::from_rows(ids, &vectors)
        .map_err(|e| NutritionError::Model(e.to_string()))?;
    let recall = int8_recall_at_5(&table, &vectors, held);
    let bytes = table.to_bytes();
    let report = EmbeddingReport {
        dim: config.embed.dim,
        version: None,
        held_out_foods: held.len(),
        quality,
        int8_recall_at_5: recall,
        int8_bytes: bytes.len(),
        f32_bytes: foods.len() * config.embed.dim * 4,
        epochs: history
            .train_loss
            .iter()
            .copied()
            .zip(history.validation_loss.iter().copied())
            .collect(),
        fit_seconds: history.seconds,
    };
    progress.finish(
        "food embedding",
        &format!(
            "top-5 same group {:.3} (profile {:.3}, random {:.3}); int8 recall@5 {:.3}",
            report.quality[0].same_group,
            report.quality[1].same_group,
            report.quality[2].same_group,
            recall
        ),
    );
    let mut metrics: Vec<(String, i64, f64)> = vec![
        ("held_out_foods".into(), 0, held.len() as f64),
        ("triplet_weight".into(), 0, chosen_weight),
        ("int8_recall_at_5".into(), 0, recall),
        ("int8_bytes".into(), 0, bytes.len() as f64),
        ("best_epoch".into(), 0, history.best_epoch as f64),
        ("fit_seconds".into(), 0, history.seconds),
    ];
    for (weight, score) in &grid_scores {
        // Step = the triplet weight × 10 (steps are integers).
        metrics.push((
            "validation_same_group_at_5".into(),
            (weight * 10.0).round() as i64,
            *score,
        ));
    }
    for q in &report.quality {
        let key = q.method.replace(' ', "_");
        metrics.push((format!("same_group_at_5_{key}"), 0, q.same_group));
        metrics.push((format!("macro_distance_at_5_{key}"), 0, q.macro_distance));
    }
    for (e, (t, v)) in history
        .train_loss
        .iter()
        .zip(&history.validation_loss)
        .enumerate()
    {
        metrics.push(("train_loss".into(), e as i64, *t));
        metrics.push(("validation_loss".into(), e as i64, *v));
    }
    let p = &config.embed;
    models.push(TrainedModel {
        task: Some(EMBEDDING_TASK),
        name: "autoencoder_triplet".into(),
        params: vec![
            ("dim".into(), p.dim.to_string()),
            ("hidden".into(), p.hidden.to_string()),
            ("triplet_weight".into(), chosen_weight.to_string()),
            ("triplet_grid".into(), format!("{:?}", p.triplet_grid)),
            ("margin".into(), p.margin.to_string()),
            ("max_epochs".into(), p.fit.max_epochs.to_string()),
            ("learning_rate".into(), p.fit.learning_rate.to_string()),
            ("batch_size".into(), p.fit.batch_size.to_string()),
            ("seed".into(), p.fit.seed.to_string()),
        ],
        metrics,
        artifacts: vec![
            (
                EMBEDDING_ARTIFACT.into(),
                "application/octet-stream".into(),
                bytes,
            ),
            (
                "autoencoder.safetensors".into(),
                "application/octet-stream".into(),
                mlp.to_safetensors()?,
            ),
            (
                "preprocessing.json".into(),
                "application/json".into(),
                serde_json::to_vec(&pre).map_err(|e| NutritionError::Model(e.to_string()))?,
            ),
        ],
        validation_score: report.quality[0].same_group,
        started_at,
        ended_at: utc_now(),
    });

    // The embedding's two principal axes, for a seeded sample of foods.
    let emb = Array2::from_shape_fn((vectors.len(), config.embed.dim), |(i, j)| {
        f64::from(vectors[i][j])
    });
    let pca = Pca::params(2)
        .fit(&DatasetBase::from(emb.clone()))
        .map_err(|e| NutritionError::Model(format!("PCA: {e}")))?;
    let xy: Array2<f64> = pca.predict(&emb);
    let mut sample: Vec<usize> = (0..foods.len()).collect();
    sample.shuffle(&mut ChaCha8Rng::seed_from_u64(config.seed + 11));
    sample.truncate(1500);
    sample.sort_unstable();
    let projection = sample
        .into_iter()
        .map(|i| ProjectedFood {
            ndb_no: foods[i].ndb_no.clone(),
            description: foods[i].description.clone(),
            group: groups[i] as u16,
            cluster: cluster_of[i] as u16,
            x: xy[[i, 0]] as f32,
            y: xy[[i, 1]] as f32,
        })
        .collect();
    Ok((clusters, report, projection))
}
