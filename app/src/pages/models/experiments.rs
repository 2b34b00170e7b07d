//! `/experiments`: the tracked runs with their params, metrics and artifacts, and the registry.

use leptos::prelude::*;
use mmi_types::{ModelVersionSummary, RunSummary};

use super::report::no_report;

/// The latest tracked runs and every registered model version.
#[server(prefix = "/sfn", endpoint = "runs", output = crate::codec::Json)]
pub async fn get_runs() -> Result<(Vec<RunSummary>, Vec<ModelVersionSummary>), ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.runs().await.map_err(serve_error)
}

#[component]
pub fn ExperimentsPage() -> impl IntoView {
    let runs_resource = Resource::new(|| (), |_| get_runs());
    view! {
        <section>
            <h1>"Experiments"</h1>
            <p class="lead">"Every tracked training run: its parameters, metrics and artifacts, and the registered model versions."</p>
            <nav class="subnav">
                <a href="/crypto/models">"Comparison"</a>
                <a href="/crypto/clusters">"Token clusters"</a>
                <a href="/experiments" aria-current="page">"Experiments"</a>
            </nav>
            <Suspense fallback=|| view! { <p class="loading">"Loading the runs…"</p> }>
                {move || Suspend::new(async move {
                    match runs_resource.await {
                        Ok((runs, _)) if runs.is_empty() => no_report(Callback::new(move |()| runs_resource.refetch())),
                        Ok((runs, versions)) => view! { <Runs runs versions /> }.into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The step-0 metrics worth a column, in order.
const HEADLINE_METRICS: [&str; 15] = [
    "holdout_accuracy",
    "holdout_roc_auc",
    "holdout_rmse",
    "holdout_sign_accuracy",
    "cv_roc_auc",
    "cv_rmse",
    "holdout_macro_f1",
    "holdout_micro_f1",
    "validation_macro_f1",
    "linear_r2",
    "random_forest_r2",
    "chosen_k",
    "adjusted_rand_index",
    "same_group_at_5_embedding",
    "int8_recall_at_5",
];

#[component]
fn Runs(runs: Vec<RunSummary>, versions: Vec<ModelVersionSummary>) -> impl IntoView {
    let version_rows = versions
        .into_iter()
        .map(|v| {
            view! {
                <tr data-testid="version-row" data-task=v.task.clone()>
                    <td>{v.task.clone()}</td>
                    <td>{v.name}</td>
                    <td class="num">{v.version}</td>
                    <td class="num">{v.run_id}</td>
                    <td>{if v.serving { view! { <span class="badge good">"serving"</span> }.into_any() } else { "".into_any() }}</td>
                    <td>{v.created_at}</td>
                </tr>
            }
        })
        .collect_view();
    let run_rows = runs
        .into_iter()
        .map(|r| {
            let metric = |key: &str| r.metrics.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
            let metrics = HEADLINE_METRICS
                .iter()
                .filter_map(|k| metric(k).map(|v| format!("{k} {v:.4}")))
                .collect::<Vec<_>>()
                .join(" · ");
            let params = r
                .params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
            let artifacts = r
                .artifacts
                .iter()
                .map(|a| format!("{} ({} KB, sha256 {}…)", a.name, a.size_bytes / 1024, &a.sha256[..12]))
                .collect::<Vec<_>>()
                .join(", ");
            let status_class = format!("status {}", r.status);
            view! {
                <tr data-testid="run-row" data-experiment=r.experiment.clone() class:child=r.parent_id.is_some()>
                    <td class="num">{r.id}</td>
                    <td>{r.name}</td>
                    <td><span class=status_class>{r.status}</span></td>
                    <td>{r.started_at}</td>
                    <td>{r.ended_at.unwrap_or_default()}</td>
                    <td><code>{r.git_commit.map(|c| c.chars().take(8).collect::<String>()).unwrap_or_default()}</code></td>
                    <td class="params">{params}</td>
                    <td class="params">{metrics}</td>
                    <td class="params">{artifacts}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Model registry"</h2>
        <table class="data" data-testid="versions-table">
            <thead><tr><th>"Task"</th><th>"Model"</th><th class="num">"Version"</th><th class="num">"Run"</th><th>"Serving"</th><th>"Registered"</th></tr></thead>
            <tbody>{version_rows}</tbody>
        </table>
        <h2>"Runs"</h2>
        <table class="data runs" data-testid="runs-table">
            <thead><tr><th class="num">"Run"</th><th>"Name"</th><th>"Status"</th><th>"Started"</th><th>"Ended"</th><th>"Commit"</th><th>"Params"</th><th>"Metrics"</th><th>"Artifacts"</th></tr></thead>
            <tbody>{run_rows}</tbody>
        </table>
    }
}
