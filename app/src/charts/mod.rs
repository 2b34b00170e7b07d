//! Charts: ECharts options built with charming from the pages' data (plain functions, tested on
//! the server), and the component that draws them in the browser.

mod component;
mod crypto;
mod meals;
mod models;
mod nutrition;
mod recipes;
mod recommend;
mod sentiment;

pub use component::EChart;
pub use crypto::{
    correlation_heatmap, cumulative_chart, drawdown_chart, heatmap_chart, histogram_chart,
    macd_chart, price_option, rsi_chart, volatility_chart, volume_chart, Indicators, Overlays,
};
pub use meals::{plan_energy_chart, plan_macro_chart};
pub use models::{
    close_chart, cluster_scatter, dendrogram_chart, importance_chart, learning_chart, pr_chart,
    roc_chart, silhouette_by_k, silhouette_chart,
};
pub use nutrition::{
    daily_value_chart, embedding_scatter, f1_learning_chart, histogram_bars, label_f1_chart,
    loss_chart, macro_scatter, missingness_chart, residual_chart, residual_scatter,
};
pub use recipes::{calorie_scatter, prep_density_chart, tag_f1_chart, tagger_epochs_chart};
pub use recommend::{hybrid_weight_chart, recommender_metrics_chart};
pub use sentiment::{sentiment_index_chart, sentiment_metrics_chart};

/// An option as the JSON ECharts reads.
pub fn to_json(chart: &charming::Chart) -> String {
    serde_json::to_string(chart).unwrap_or_default()
}

/// A chart's option built only where it is read: charts are drawn after hydration, so the
/// browser builds it and the server's render, which never reads it, does not (the nutrition
/// page's scatter of 8,463 foods was most of its server time).
pub fn lazy_chart(
    build: impl Fn() -> charming::Chart + Send + Sync + 'static,
) -> leptos::prelude::Signal<Option<String>> {
    leptos::prelude::Signal::derive(move || Some(to_json(&build())))
}
