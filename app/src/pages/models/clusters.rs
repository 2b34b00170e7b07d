//! `/crypto/clusters`: tokens by return profile, k-means on a 2-D projection, the Ward dendrogram
//! and the silhouette by k.

use leptos::prelude::*;
use mmi_types::ModelReport;

use super::report::{get_model_report, no_report};
use crate::charts::{cluster_scatter, dendrogram_chart, silhouette_chart, to_json, EChart};

#[component]
pub fn ClustersPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| get_model_report());
    view! {
        <section>
            <h1>"Token clusters"</h1>
            <p class="lead">
                "Tokens grouped by how their daily returns move: each token's standardised log returns over the last 240 days, "
                "clustered by k-means (k chosen by the mean silhouette) and by Ward's agglomerative clustering."
            </p>
            <nav class="subnav">
                <a href="/crypto/models">"Comparison"</a>
                <a href="/crypto/clusters" aria-current="page">"Token clusters"</a>
                <a href="/experiments">"Experiments"</a>
            </nav>
            <Suspense fallback=|| view! { <p class="loading">"Loading the clusters…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(Some(ModelReport { clusters: Some(c), .. })) => {
                            let scatter = to_json(&cluster_scatter(&c));
                            let silhouette = to_json(&silhouette_chart(&c));
                            let dendrogram = to_json(&dendrogram_chart(&c));
                            let rows = c
                                .symbols
                                .iter()
                                .zip(c.kmeans_labels.iter().zip(&c.hierarchical_labels))
                                .map(|(s, (k, h))| view! {
                                    <tr data-testid="cluster-row">
                                        <td class="symbol"><a href=format!("/crypto/{s}")>{s.clone()}</a></td>
                                        <td class="num">{k + 1}</td>
                                        <td class="num">{h + 1}</td>
                                    </tr>
                                })
                                .collect_view();
                            view! {
                                <p class="note" data-testid="cluster-window">
                                    {format!("{} to {} · {} tokens · k = {} · left out (missing days): {}", c.from_day, c.to_day, c.symbols.len(), c.chosen_k,
                                        if c.excluded.is_empty() { "none".to_string() } else { c.excluded.join(", ") })}
                                </p>
                                <div class="chart-grid">
                                    <EChart option=Signal::derive(move || Some(scatter.clone())) test_id="chart-clusters" label="Tokens on two principal components coloured by cluster" height_px=460 />
                                    <EChart option=Signal::derive(move || Some(dendrogram.clone())) test_id="chart-dendrogram" label="Dendrogram" height_px=460 />
                                </div>
                                <div class="chart-grid">
                                    <EChart option=Signal::derive(move || Some(silhouette.clone())) test_id="chart-silhouette" label="Silhouette by k" height_px=280 />
                                    <table class="data" data-testid="cluster-table">
                                        <thead><tr><th>"Token"</th><th class="num">"k-means cluster"</th><th class="num">"Ward cluster"</th></tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }
                        Ok(_) => no_report(Callback::new(move |()| report.refetch())),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
