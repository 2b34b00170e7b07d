//! Configuration: one clap struct, every field also read from the environment (see `.env.sample`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Market & Meal Intelligence: serve the dashboard and API, import data, or train models.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the dashboard, server functions and REST API (the default).
    Serve,
    /// Import data from a data directory (DATA_DIR) or, with --live, from CoinGecko and FoodData Central.
    Import(ImportArgs),
    /// Train models on the imported data, record the runs and register the versions.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Copy a recorded run and its children to the MLflow server at MLFLOW_TRACKING_URI.
    ExportMlflow {
        /// The local run id (the parent run of a `train` command); the latest run by default.
        #[arg(long)]
        run: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// Every crypto model (direction classifiers, return regressors, token clusters): walk-forward
    /// grid search, hold-out evaluation beside the baselines, then registration for serving.
    Crypto {
        /// One-candidate grids, 2 folds and small forests: every output in a fraction of the time.
        #[arg(long)]
        quick: bool,
    },
    /// Every nutrition model (diet labels, energy and density regressions, food clusters and
    /// embeddings): stratified hold-out evaluation beside the baselines, then registration.
    Nutrition {
        /// Small forests, short network training, fewer k: every output in about a minute.
        #[arg(long)]
        quick: bool,
    },
    /// The token recommender (content, user-user and item-item CF, ALS, hybrid) on simulated
    /// traders, and the food-suggestion artifact from the serving food embedding; both are
    /// served to the browser and behind `/api/recommend`.
    Recommend {
        /// 1,500 traders and one candidate per hyperparameter.
        #[arg(long)]
        quick: bool,
    },
    /// The ingredient parser (a CRF tagger on the labelled ingredient sentences), registered and
    /// served; then the recipe pipeline (parse, match foods, grams, nutrition) scored against
    /// the recipes' site-reported nutrition. Needs the foods and the ingredient data imported.
    Recipes {
        /// 3,000 training sentences and 3 epochs.
        #[arg(long)]
        quick: bool,
    },
    /// The sentiment classifiers (VADER lexicon, TF-IDF + logistic regression, a word CNN) on
    /// the Financial PhraseBank beside the majority class; the better learned one is served
    /// (API, browser) and scores the dated news into the market sentiment index.
    Sentiment {
        /// One candidate per model and 3 network epochs.
        #[arg(long)]
        quick: bool,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Fetch from the live APIs even when a data directory is configured.
    #[arg(long)]
    pub live: bool,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// SQLite database URL; the file and its directory are created on first start.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://data/mmi.db"
    )]
    pub database_url: String,

    /// Directory of data files laid out like the reference data (crypto/, nutrition/sr26/, recipes/, ingredients/).
    #[arg(long, global = true, env = "DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Use the live APIs as the data source when no data directory is set (on first start too).
    #[arg(long, global = true, env = "LIVE_IMPORT", default_value_t = false)]
    pub live_import: bool,

    /// Import on start-up when the database is empty and a data source is configured.
    #[arg(long, global = true, env = "IMPORT_ON_START", default_value_t = true, action = clap::ArgAction::Set)]
    pub import_on_start: bool,

    /// CoinGecko API base URL.
    #[arg(
        long,
        env = "COINGECKO_BASE_URL",
        default_value = "https://api.coingecko.com/api/v3"
    )]
    pub coingecko_base_url: String,

    /// CoinGecko demo API key (optional; sent as x-cg-demo-api-key).
    #[arg(long, global = true, env = "COINGECKO_API_KEY", hide_env_values = true)]
    pub coingecko_api_key: Option<String>,

    /// How many tokens to fetch from CoinGecko, by market cap.
    #[arg(long, global = true, env = "COINGECKO_TOP_N", default_value_t = 25)]
    pub coingecko_top_n: u32,

    /// Days of daily history to fetch per token.
    #[arg(
        long,
        global = true,
        env = "COINGECKO_HISTORY_DAYS",
        default_value_t = 365
    )]
    pub coingecko_history_days: i64,

    /// FoodData Central API base URL.
    #[arg(
        long,
        env = "FDC_BASE_URL",
        default_value = "https://api.nal.usda.gov/fdc"
    )]
    pub fdc_base_url: String,

    /// FoodData Central API key (foods are fetched live only when it is set).
    #[arg(long, global = true, env = "FDC_API_KEY", hide_env_values = true)]
    pub fdc_api_key: Option<String>,

    /// At most this many SR Legacy foods from FoodData Central (one request each).
    #[arg(long, global = true, env = "FDC_MAX_FOODS", default_value_t = 200)]
    pub fdc_max_foods: u32,

    /// An MLflow tracking server (e.g. http://127.0.0.1:5000): `train` copies its runs there too.
    #[arg(long, global = true, env = "MLFLOW_TRACKING_URI")]
    pub mlflow_tracking_uri: Option<String>,

    /// Largest accepted request body, in bytes.
    #[arg(
        long,
        global = true,
        env = "BODY_LIMIT_BYTES",
        default_value_t = 1_048_576
    )]
    pub body_limit_bytes: usize,

    /// How often (milliseconds) the server checks the database for a finished import or a newly
    /// registered model version, and rebuilds what requests read when it finds one.
    #[arg(long, global = true, env = "SNAPSHOT_POLL_MS", default_value_t = 1000)]
    pub snapshot_poll_ms: u64,
}
