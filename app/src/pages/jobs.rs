//! Jobs (imports and trainings, `mmi_store::jobs`) with their progress, followed live: the page
//! asks again every two seconds while it is open. The `/jobs` page lists them; the home page shows
//! the latest few.

use std::time::Duration;

use leptos::prelude::*;
use mmi_types::{DomainJob, JobInfo, JobList};

/// The latest `limit` jobs, newest first. Read from the database on each call: the list changes
/// while jobs run, and it is a small indexed read.
#[server(prefix = "/sfn", endpoint = "jobs", output = crate::codec::Json)]
pub async fn get_jobs(limit: i64) -> Result<JobList, ServerFnError> {
    use crate::state::use_app_state;
    let state = use_app_state()?;
    let jobs = mmi_store::jobs::list(&state.pool, limit.clamp(1, 200))
        .await
        .map_err(|e| {
            leptos::logging::error!("listing the jobs: {e}");
            ServerFnError::new("internal error while listing the jobs")
        })?;
    Ok(JobList { jobs })
}

/// The latest `limit` jobs, asked for again every two seconds in the browser.
#[component]
pub fn LiveJobs(limit: i64) -> impl IntoView {
    let (tick, set_tick) = signal(0u32);
    // Effects run only in the browser: the server renders the list once.
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || set_tick.update(|n| *n = n.wrapping_add(1)),
            Duration::from_secs(2),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    let jobs = Resource::new(move || tick.get(), move |_| get_jobs(limit));
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading jobs…"</p> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(list) if list.jobs.is_empty() => {
                        view! { <p class="muted" data-testid="no-jobs">"No jobs yet."</p> }
                            .into_any()
                    }
                    Ok(list) => view! { <JobsTable jobs=list.jobs /> }.into_any(),
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobsTable(jobs: Vec<JobInfo>) -> impl IntoView {
    view! {
        <table class="jobs" data-testid="jobs">
            <thead>
                <tr>
                    <th>"#"</th>
                    <th>"Job"</th>
                    <th>"From"</th>
                    <th>"State"</th>
                    <th>"Progress"</th>
                    <th>"Started"</th>
                    <th>"Finished"</th>
                    <th>"Outcome"</th>
                </tr>
            </thead>
            <tbody>
                {jobs.into_iter().map(|job| view! { <JobRow job /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn JobRow(job: JobInfo) -> impl IntoView {
    let what = match (job.kind.as_str(), job.quick) {
        ("train", true) => format!("train {} (quick)", job.domain),
        ("train", false) => format!("train {}", job.domain),
        (kind, _) => format!("{kind} {}", job.domain),
    };
    let progress = job
        .progress
        .clone()
        .filter(|_| job.state == "running")
        .map(|p| {
            let label = format!(
                "{} of {}{}",
                p.done,
                p.total,
                p.note.map(|n| format!(": {n}")).unwrap_or_default()
            );
            view! {
                <progress max=p.total.max(1) value=p.done></progress>
                <span class="muted">{label}</span>
            }
        });
    let attempts = (job.attempts > 1).then(|| format!(" (attempt {})", job.attempts));
    let outcome = job
        .error
        .clone()
        .or_else(|| {
            job.result
                .as_deref()
                .and_then(|r| r.lines().next())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let time =
        |t: Option<String>| t.map(|t| t.replace('T', " ").chars().take(19).collect::<String>());
    let link = match (job.kind.as_str(), job.domain.as_str()) {
        ("train", "crypto") => Some("/crypto/models"),
        ("train", "nutrition") => Some("/nutrition/models"),
        ("train", "recommend") => Some("/recommend/results"),
        ("train", "sentiment") => Some("/sentiment"),
        ("train", "recipes") => Some("/recipes"),
        _ => None,
    };
    let state = job.state.clone();
    let class = format!("job {state}");
    let data_state = state.clone();
    view! {
        <tr class=class data-testid="job" data-state=data_state>
            <td>{job.id}</td>
            <td>
                {match link {
                    Some(href) => view! { <a href=href>{what}</a> }.into_any(),
                    None => view! { <span>{what}</span> }.into_any(),
                }}
            </td>
            <td>{job.origin}</td>
            <td class="state">{state}{attempts}</td>
            <td>{progress}</td>
            <td>{time(job.started_at)}</td>
            <td>{time(job.finished_at)}</td>
            <td class="outcome">{outcome}</td>
        </tr>
    }
}

/// The latest training job of `domain` (crypto, nutrition, recommend, sentiment, recipes).
#[server(prefix = "/sfn", endpoint = "training_job", output = crate::codec::Json)]
pub async fn get_training_job(domain: String) -> Result<DomainJob, ServerFnError> {
    use crate::state::use_app_state;
    let state = use_app_state()?;
    let latest = mmi_store::jobs::latest(&state.pool, "train", &domain)
        .await
        .map_err(|e| {
            leptos::logging::error!("reading the training job: {e}");
            ServerFnError::new("internal error while reading the jobs")
        })?;
    Ok(match latest {
        Some((job, finished_secs_ago)) => DomainJob {
            job: Some(job),
            finished_secs_ago,
        },
        None => DomainJob {
            job: None,
            finished_secs_ago: None,
        },
    })
}

/// Shown where a page's model is not trained yet: its explanation (`children`), and the training
/// job of `domain` with its progress, followed live. When that job succeeds (or had just
/// succeeded when this was shown: the serving snapshot follows within a poll), `retry` reloads
/// the page's data, so the page fills in without a reload.
#[component]
pub fn Untrained(domain: &'static str, retry: Callback<()>, children: Children) -> impl IntoView {
    let (tick, set_tick) = signal(0u32);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || set_tick.update(|n| *n = n.wrapping_add(1)),
            Duration::from_secs(3),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    let status = Resource::new(
        move || tick.get(),
        move |_| get_training_job(domain.to_owned()),
    );
    // The state seen last, to notice the job ending while the page is open.
    let seen = StoredValue::new(None::<(i64, String)>);
    Effect::new(move |_| {
        let Some(Ok(s)) = status.get() else { return };
        let Some(job) = s.job else { return };
        let before = seen.get_value();
        seen.set_value(Some((job.id, job.state.clone())));
        let ended_now = job.state == "succeeded"
            && before
                .as_ref()
                .is_some_and(|(id, state)| *id != job.id || state != "succeeded");
        let ended_just_before =
            before.is_none() && job.state == "succeeded" && s.finished_secs_ago.unwrap_or(99) < 20;
        if ended_now || ended_just_before {
            // After a serving poll (SNAPSHOT_POLL_MS, 1 s by default).
            set_timeout(move || retry.run(()), Duration::from_millis(1500));
        }
    });
    view! {
        <div class="untrained" data-testid="untrained">
            {children()}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let job = status.await.ok().and_then(|s| s.job);
                    job.map(|job| {
                        let text = match (job.state.as_str(), &job.progress) {
                            ("running", Some(p)) => format!(
                                "Training now (job {}): {} of {} models{}. This page fills in when it is done.",
                                job.id,
                                p.done,
                                p.total,
                                p.note.as_ref().map(|n| format!(", at {n}")).unwrap_or_default()
                            ),
                            ("running", None) | ("queued", _) => format!(
                                "A training is {} (job {}). This page fills in when it is done.",
                                job.state, job.id
                            ),
                            ("failed", _) => format!(
                                "The last training failed (job {}): {}",
                                job.id,
                                job.error.clone().unwrap_or_default()
                            ),
                            _ => format!("The last training (job {}) finished.", job.id),
                        };
                        view! {
                            <p class="training-status" data-testid="training-status">
                                {text} " " <a href="/jobs">"All jobs"</a>
                            </p>
                        }
                    })
                })}
            </Transition>
        </div>
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    view! {
        <section class="jobs-page">
            <h1>"Jobs"</h1>
            <p class="lead">
                "Imports and trainings run by the workers, newest first, followed live. Queue one with "
                <code>"server enqueue train crypto --quick"</code> " or "
                <code>"POST /api/admin/jobs"</code> " (with ADMIN_TOKEN)."
            </p>
            <LiveJobs limit=50 />
        </section>
    }
}
