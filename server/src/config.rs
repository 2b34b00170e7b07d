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
    Train(TrainArgs),
    /// Run queued jobs (imports and trainings) and nothing else: the worker of a deployment whose
    /// app processes set RUN_JOBS=false.
    Worker,
    /// Queue a job for a worker (`server serve` runs them unless RUN_JOBS=false).
    Enqueue(EnqueueArgs),
    /// How the ingredient parser generalises: the mean over random 80/20 splits of the labelled
    /// sentences and, trained on one source, tested on the others (records nothing).
    EvaluateParser(EvaluateParserArgs),
    /// The meal planner on a grid of ordinary 7-day requests (3 goals × 1,400–3,200 kcal × each
    /// diet alone × without or with one excluded allergen) over the database's recipes and the
    /// serving parser: how many plans meet their targets every day, and the time per plan.
    EvaluatePlans {
        /// Plan every n-th request of the grid only.
        #[arg(long, default_value_t = 1)]
        every: usize,
    },
    /// Copy a recorded run and its children to the MLflow server at MLFLOW_TRACKING_URI.
    ExportMlflow {
        /// The local run id (the parent run of a `train` command); the latest run by default.
        #[arg(long)]
        run: Option<i64>,
    },
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// What to train.
    #[arg(value_enum)]
    pub domain: crate::train::Domain,
    /// Small grids, few epochs, small forests: every output in a fraction of the time.
    #[arg(long)]
    pub quick: bool,
}

#[derive(Debug, Args)]
pub struct EvaluateParserArgs {
    /// Random 80/20 splits (seeds 0, 1, ...).
    #[arg(long, default_value_t = 25)]
    pub splits: usize,
    /// Feature sets to compare: v1 (the first tagger's), v2 (context, affixes and lexicons), v3
    /// (v2 over one spelling of sizes and units; the shipped one).
    #[arg(long, value_delimiter = ',', default_value = "v1,v2,v3", value_parser = ["v1", "v2", "v3"])]
    pub features: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EnqueueArgs {
    /// `import` or `train`.
    #[arg(value_parser = ["import", "train"])]
    pub kind: String,
    /// For train: crypto, nutrition, recommend, sentiment or recipes; for import: files (the
    /// default) or live.
    pub domain: Option<String>,
    /// A quick training.
    #[arg(long)]
    pub quick: bool,
}

/// What a first start trains once its import is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TrainOnStart {
    /// A quick training of every domain (minutes), then a full one (the figures of the docs).
    QuickThenFull,
    Quick,
    Full,
    Off,
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

    /// What a first start (an empty database, or data without any trained model) trains, as jobs
    /// queued after the import.
    #[arg(
        long,
        global = true,
        env = "TRAIN_ON_START",
        value_enum,
        default_value = "quick-then-full"
    )]
    pub train_on_start: TrainOnStart,

    /// Whether `serve` also runs queued jobs (set false where a separate `server worker` runs them).
    #[arg(long, global = true, env = "RUN_JOBS", default_value_t = true, action = clap::ArgAction::Set)]
    pub run_jobs: bool,

    /// How often (milliseconds) an idle worker looks for a queued job.
    #[arg(long, global = true, env = "JOB_POLL_MS", default_value_t = 1000)]
    pub job_poll_ms: u64,

    /// A running job whose worker has not written its heartbeat (every second) for this many
    /// seconds is taken back: queued again while it has attempts left, failed otherwise.
    #[arg(long, global = true, env = "JOB_STALE_SECS", default_value_t = 30)]
    pub job_stale_secs: u64,

    /// The bearer token of the admin API (`/api/admin/jobs`); the admin API is off without one.
    #[arg(long, global = true, env = "ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// Cron expression (UTC, with seconds: `sec min hour day month weekday`) of the price
    /// refresh from CoinGecko, e.g. `0 15 0 * * *`; off when unset. Needs a live source.
    #[arg(long, global = true, env = "PRICE_REFRESH_CRON")]
    pub price_refresh_cron: Option<String>,

    /// Cron expression (UTC, with seconds) of the full retraining of every domain, e.g.
    /// `0 0 3 * * Sun`; off when unset.
    #[arg(long, global = true, env = "RETRAIN_CRON")]
    pub retrain_cron: Option<String>,
}
