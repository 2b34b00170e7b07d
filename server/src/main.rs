//! The binary: parse the config, open the database, then import, train or serve.

use std::sync::{Arc, RwLock};

use anyhow::Context;
use app::state::AppState;
use clap::Parser;
use leptos::prelude::get_configuration;
use mmi_ingest::Progress;
use server::import;
use server::{
    config::{Cli, Command, Config},
    http, jobs, train,
};
use tracing_subscriber::EnvFilter;

/// mimalloc: with `MIMALLOC_ARENA_EAGER_COMMIT=0 MIMALLOC_PURGE_DELAY=100` (set by `make run`,
/// the image and the bench scripts) it hands freed pages back after 100 ms, and the server stays
/// near its working set; glibc's allocator kept what the snapshot build and a cold stampede had
/// freed. A delay of 0 gives back ~10 MiB more but makes the recurrent-network trainings spend
/// their time in the kernel, purging pages and faulting them back (docs/benchmarks.md, "Serving
/// from memory" and "More than one machine").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let result = runtime.block_on(run());
    // A training still running on a blocking thread after a shutdown (its job handed back by
    // then) must not hold the process for minutes: it ends with the process, having registered
    // nothing (a training registers in one transaction at its end).
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    result
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .init();
    let cli = Cli::parse();
    let pool = mmi_store::open(&cli.config.database_url)
        .await
        .with_context(|| format!("opening {}", cli.config.database_url))?;

    match cli.command.unwrap_or(Command::Serve) {
        Command::Import(args) => {
            let source = import::Source::from_config(&cli.config, args.live)?
                .context("no data source: set DATA_DIR (or --data-dir), or pass --live")?;
            let report = import::run(&pool, &source, &Progress::bars()).await?;
            println!("{report}");
            Ok(())
        }
        Command::Train(args) => {
            train::train_cli(
                &pool,
                args.domain,
                args.quick,
                cli.config.mlflow_tracking_uri.as_deref(),
            )
            .await
        }
        Command::EvaluateParser(args) => {
            train::recipes::evaluate_parser_cli(&pool, args.splits, &args.features).await
        }
        Command::EvaluatePlans { every } => train::recipes::evaluate_plans_cli(&pool, every).await,
        Command::ExportMlflow { run } => {
            let uri = cli
                .config
                .mlflow_tracking_uri
                .as_deref()
                .context("set MLFLOW_TRACKING_URI (or --mlflow-tracking-uri) to export")?;
            train::export_cli(&pool, uri, run).await
        }
        Command::Enqueue(args) => {
            let spec = jobs::JobSpec::parse(&args.kind, args.domain.as_deref(), args.quick)
                .map_err(|e| anyhow::anyhow!("{}: {}", e.field, e.message))?;
            let (id, new) = spec.enqueue(&pool, "cli").await?;
            if new {
                println!("job {id} queued");
            } else {
                println!("job {id} was already queued");
            }
            Ok(())
        }
        Command::Worker => {
            let config = Arc::new(cli.config);
            jobs::check_schedule(&config)?;
            jobs::plan_first_start(&pool, &config).await?;
            let worker = jobs::Worker {
                pool: pool.clone(),
                config: config.clone(),
                name: jobs::worker_name(),
                import_progress: Arc::new(RwLock::new(None)),
            };
            let name = worker.name.clone();
            tokio::spawn(schedule(pool.clone(), config));
            tokio::select! {
                () = worker.run() => {}
                () = shutdown_signal() => {}
            }
            jobs::hand_back(&pool, &name).await;
            Ok(())
        }
        Command::Serve => serve(cli.config, pool).await,
    }
}

async fn serve(config: Config, pool: mmi_store::Pool) -> anyhow::Result<()> {
    let leptos_options = get_configuration(None)
        .context("reading the Leptos configuration")?
        .leptos_options;
    let addr = leptos_options.site_addr;
    let state = AppState {
        leptos_options,
        services: mmi_serve::Services::new(pool.clone()),
        pool,
        import_progress: Arc::new(RwLock::new(None)),
    };

    // A first start queues the import and the trainings; this process runs them unless a
    // separate worker does (RUN_JOBS=false).
    let config = Arc::new(config);
    jobs::check_schedule(&config)?;
    jobs::plan_first_start(&state.pool, &config).await?;
    let worker_name = jobs::worker_name();
    if config.run_jobs {
        let worker = jobs::Worker {
            pool: state.pool.clone(),
            config: config.clone(),
            name: worker_name.clone(),
            import_progress: state.import_progress.clone(),
        };
        tokio::spawn(worker.run());
        tokio::spawn(schedule(state.pool.clone(), config.clone()));
    }
    // Warm before ready: the first snapshot is built now (`/readyz` is 503 until it is), then
    // rebuilt whenever an import or a training (by any process) changes the database.
    state.services.watch(std::time::Duration::from_millis(
        config.snapshot_poll_ms.max(10),
    ));

    let pool = state.pool.clone();
    let app = http::router(state, &config);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    if config.run_jobs {
        jobs::hand_back(&pool, &worker_name).await;
    }
    tracing::info!("shut down");
    Ok(())
}

/// Keeps the schedule, logging why it stopped if it does.
async fn schedule(pool: mmi_store::Pool, config: Arc<Config>) {
    if let Err(error) = jobs::run_schedule(pool, config).await {
        tracing::error!(error = format!("{error:#}"), "the schedule stopped");
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the server exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: shutting down"),
        () = terminate => tracing::info!("SIGTERM: shutting down"),
    }
}
