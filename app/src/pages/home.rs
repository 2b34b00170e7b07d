//! The home page: what the database holds, the empty state with the import command, and the
//! progress of a running import.

use leptos::prelude::*;
use mmi_types::{DbStats, ImportProgress};

use crate::format::thousands;

/// Row counts of every data set, and the import running now, if any.
#[server(prefix = "/sfn", endpoint = "db_stats", output = crate::codec::Json)]
pub async fn get_db_stats() -> Result<DbStats, ServerFnError> {
    use crate::state::{serve_error, use_app_state};
    let state = use_app_state()?;
    let mut stats = state.services.stats().await.map_err(serve_error)?;
    stats.import = state.import_now();
    Ok(stats)
}

#[component]
pub fn HomePage() -> impl IntoView {
    let (refreshes, set_refreshes) = signal(0u32);
    let (details, set_details) = signal(false);
    let stats = Resource::new(move || refreshes.get(), |_| get_db_stats());

    view! {
        <section class="home">
            <h1>"Dashboard"</h1>
            <p class="lead">
                "Two systems on one store: crypto market intelligence and personal nutrition intelligence."
            </p>
            <div class="toolbar">
                <button data-testid="refresh" on:click=move |_| set_refreshes.update(|n| *n += 1)>
                    "Refresh counts"
                </button>
                <button
                    data-testid="toggle-details"
                    aria-expanded=move || details.get().to_string()
                    on:click=move |_| set_details.update(|d| *d = !*d)
                >
                    {move || if details.get() { "Hide details" } else { "Show details" }}
                </button>
                <span class="muted" data-testid="refresh-count">
                    {move || match refreshes.get() {
                        0 => String::new(),
                        1 => "refreshed once".to_owned(),
                        n => format!("refreshed {n} times"),
                    }}
                </span>
            </div>
            <Transition fallback=|| view! { <p class="loading">"Loading counts…"</p> }>
                {move || Suspend::new(async move {
                    match stats.await {
                        Ok(s) => view! { <Stats stats=s details /> }.into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <section class="home-jobs">
                <h2>
                    <a href="/jobs">"Jobs"</a>
                </h2>
                <p class="muted">
                    "A first start imports the data, then trains every model quickly and then fully; each page fills in as its models are registered."
                </p>
                <super::LiveJobs limit=6 />
            </section>
        </section>
    }
}

#[component]
fn Stats(stats: DbStats, details: ReadSignal<bool>) -> impl IntoView {
    let progress = stats
        .import
        .clone()
        .map(|p| view! { <Progress progress=p /> });
    if stats.is_empty() {
        return view! {
            {progress}
            <EmptyState />
        }
        .into_any();
    }
    let range = match (&stats.first_price_day, &stats.last_price_day) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no prices".to_owned(),
    };
    let detail_rows = [
        (
            "Food nutrient values",
            stats.food_nutrients,
            "count-food-nutrients",
        ),
        ("Food portions", stats.food_portions, "count-food-portions"),
        (
            "Sentiment sentences",
            stats.sentiment_sentences,
            "count-sentiment",
        ),
    ];
    let last_import = stats
        .last_import_at
        .clone()
        .unwrap_or_else(|| "never".to_owned());
    view! {
        {progress}
        <div class="cards">
            <section class="card crypto">
                <h2>
                    <a href="/crypto">"Crypto"</a>
                </h2>
                <Count label="Tokens" value=stats.tokens testid="count-tokens" />
                <Count label="Daily prices" value=stats.price_rows testid="count-prices" />
                <p class="range" data-testid="price-range">
                    {range}
                </p>
                <Count label="News items" value=stats.news_items testid="count-news" />
            </section>
            <section class="card nutrition">
                <h2>
                    <a href="/nutrition">"Nutrition"</a>
                </h2>
                <Count label="Foods" value=stats.foods testid="count-foods" />
                <Count label="Recipes" value=stats.recipes testid="count-recipes" />
                <Count
                    label="Ingredient sentences"
                    value=stats.ingredient_sentences
                    testid="count-ingredients"
                />
            </section>
        </div>
        <Show when=move || details.get()>
            <table class="details" data-testid="details">
                <tbody>
                    {detail_rows
                        .iter()
                        .map(|(label, n, testid)| {
                            view! {
                                <tr>
                                    <th>{*label}</th>
                                    <td data-testid=*testid>{thousands(*n)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                    <tr>
                        <th>"Last import finished"</th>
                        <td>{last_import.clone()}</td>
                    </tr>
                </tbody>
            </table>
        </Show>
    }
    .into_any()
}

#[component]
fn Count(label: &'static str, value: i64, testid: &'static str) -> impl IntoView {
    view! {
        <p class="count">
            <span class="value" data-testid=testid>
                {thousands(value)}
            </span>
            <span class="label">{label}</span>
        </p>
    }
}

#[component]
fn Progress(progress: ImportProgress) -> impl IntoView {
    view! {
        <div class="import-progress" data-testid="import-progress">
            <p>
                {format!(
                    "Importing {} ({} of {} files, {} rows so far). Refresh to follow it.",
                    progress.current,
                    progress.files_done,
                    progress.files_total,
                    thousands(progress.rows_done as i64),
                )}
            </p>
            <progress max=progress.files_total value=progress.files_done></progress>
        </div>
    }
}

#[component]
fn EmptyState() -> impl IntoView {
    view! {
        <div class="empty" data-testid="empty-state">
            <h2>"No data yet"</h2>
            <p>
                "The database is empty. Import the reference data sets (prices, news, USDA foods, recipes, ingredient sentences) from a data directory:"
            </p>
            <pre>
                <code>"DATA_DIR=../shared/data make import"</code>
            </pre>
            <p>
                "or run the server binary directly: " <code>"server import --data-dir DIR"</code>
                ". Without a data directory, " <code>"server import --live"</code>
                " fetches tokens from CoinGecko and foods from FoodData Central (set FDC_API_KEY)."
            </p>
        </div>
    }
}
