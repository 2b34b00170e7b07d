//! The Leptos application: the HTML shell, the routes, the pages and the server functions beside
//! them. Compiled twice: with `ssr` into the server (rendering, server functions) and with
//! `hydrate` into the browser bundle, which links none of the server-only crates.

mod charts;
mod codec;
mod format;
mod pages;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

pub use pages::{
    analyze_recipe, get_browser_artifacts, get_db_stats, get_food_groups, get_food_profile,
    get_jobs, get_market_overview, get_model_report, get_nutrition_eda, get_nutrition_report,
    get_recipe_overview, get_recommender_report, get_runs, get_sentiment_overview,
    get_sentiment_series, get_token_eda, get_tokens, get_training_job, plan_meals,
    predict_next_day, recommend_meals, search_foods,
};
use pages::{
    ClustersPage, CryptoPage, ExperimentsPage, HomePage, JobsPage, MealPlanPage, MealsPage,
    ModelsPage, NotFound, NutritionModelsPage, NutritionPage, RecipesPage, RecommendPage,
    RecommendResultsPage, SentimentPage, TokenPage,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
                <link rel="icon" href="data:," />
            </head>
            <body>
                <App />
                // ECharts (the pinned npm package, copied by `make npm`) and the bridge the charts
                // call. Classic scripts at the end of the body: the server-rendered page paints
                // first, and both have run before the (module) hydration script draws a chart.
                <script src="/vendor/echarts.min.js"></script>
                <script src="/charts.js"></script>
            </body>
        </html>
    }
}

/// The layout: a top bar with the two sections, and the routed page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/mmi.css" />
        <Title text="Market & Meal Intelligence" />
        <Router>
            <header class="topbar">
                <a href="/" class="brand">
                    "Market & Meal Intelligence"
                </a>
                <nav>
                    <A href="/">"Home"</A>
                    <A href="/crypto">"Crypto"</A>
                    <A href="/crypto/models">"Models"</A>
                    <A href="/nutrition">"Nutrition"</A>
                    <A href="/recipes">"Recipes"</A>
                    <A href="/meals">"Meals"</A>
                    <A href="/recommend">"Recommend"</A>
                    <A href="/sentiment">"Sentiment"</A>
                    <A href="/jobs">"Jobs"</A>
                </nav>
            </header>
            <main>
                // Async: the server waits for the data before it sends the page, so the HTML holds
                // the real numbers (readable without JavaScript, and by crawlers).
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/crypto") view=CryptoPage ssr=SsrMode::Async />
                    <Route path=path!("/crypto/models") view=ModelsPage ssr=SsrMode::Async />
                    <Route path=path!("/crypto/clusters") view=ClustersPage ssr=SsrMode::Async />
                    <Route path=path!("/crypto/:symbol") view=TokenPage ssr=SsrMode::Async />
                    <Route path=path!("/experiments") view=ExperimentsPage ssr=SsrMode::Async />
                    <Route path=path!("/jobs") view=JobsPage ssr=SsrMode::Async />
                    <Route path=path!("/nutrition") view=NutritionPage ssr=SsrMode::Async />
                    <Route path=path!("/nutrition/models") view=NutritionModelsPage ssr=SsrMode::Async />
                    <Route path=path!("/recipes") view=RecipesPage ssr=SsrMode::Async />
                    <Route path=path!("/meals") view=MealsPage ssr=SsrMode::Async />
                    <Route path=path!("/meals/plan") view=MealPlanPage ssr=SsrMode::Async />
                    <Route path=path!("/recommend") view=RecommendPage ssr=SsrMode::Async />
                    <Route path=path!("/recommend/results") view=RecommendResultsPage ssr=SsrMode::Async />
                    <Route path=path!("/sentiment") view=SentimentPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
