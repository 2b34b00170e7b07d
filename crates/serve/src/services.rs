//! [`Services`]: the handle every adapter holds. It publishes the current [`Snapshot`] through an
//! `ArcSwap` (a request loads it without a lock), and rebuilds it when the database's stamp
//! changes: every process polls the stamp, so an import or a training run by any process (or
//! the CLI) is picked up without a restart.

use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwapOption;
use mmi_store::Pool;
use mmi_types::SnapshotInfo;

use crate::snapshot::{BuildCounters, Snapshot};
use crate::ServeError;

#[derive(Debug, Clone)]
pub struct Services {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    pool: Pool,
    current: ArcSwapOption<Snapshot>,
    /// Held while a snapshot is built: concurrent refreshes wait for that build, never start
    /// their own.
    building: tokio::sync::Mutex<()>,
    counters: BuildCounters,
}

impl Services {
    /// Services over `pool`, with no snapshot yet (see [`Services::refresh`]).
    pub fn new(pool: Pool) -> Self {
        Services {
            inner: Arc::new(Inner {
                pool,
                current: ArcSwapOption::empty(),
                building: tokio::sync::Mutex::new(()),
                counters: BuildCounters::default(),
            }),
        }
    }

    pub fn pool(&self) -> &Pool {
        &self.inner.pool
    }

    pub(crate) fn counters(&self) -> &BuildCounters {
        &self.inner.counters
    }

    /// The published snapshot, if one has been built.
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.inner.current.load_full()
    }

    /// What the published snapshot was built for, and the build counts.
    pub fn info(&self) -> Option<SnapshotInfo> {
        self.current().map(|s| s.info(&self.inner.counters))
    }

    /// The snapshot requests read. Before the first one is published (a request that beats the
    /// warm-up), the caller waits for the one build in progress or starts it.
    pub async fn snapshot(&self) -> Result<Arc<Snapshot>, ServeError> {
        if let Some(s) = self.current() {
            return Ok(s);
        }
        self.refresh().await?;
        self.current()
            .ok_or_else(|| ServeError::NotReady("the server is still starting".into()))
    }

    /// Reads the database's stamp and, when it differs from the published snapshot's, builds a
    /// new snapshot (reusing the unchanged parts) and publishes it. Returns whether it did.
    pub async fn refresh(&self) -> Result<bool, ServeError> {
        let _building = self.inner.building.lock().await;
        let stamp = mmi_store::stamp(&self.inner.pool).await?;
        let previous = self.current();
        if previous.as_ref().is_some_and(|p| p.stamp == stamp) {
            return Ok(false);
        }
        let snapshot = Snapshot::build(
            &self.inner.pool,
            stamp,
            previous.as_deref(),
            &self.inner.counters,
        )
        .await?;
        tracing::info!(
            data_versions = ?snapshot.stamp.data,
            versions = snapshot.stamp.versions.len(),
            build_ms = snapshot.build_ms,
            "serving snapshot published"
        );
        self.inner.current.store(Some(Arc::new(snapshot)));
        Ok(true)
    }

    /// Builds the first snapshot now, then checks the stamp every `every` for the life of the
    /// process. A failed build is logged and the last snapshot keeps serving.
    pub fn watch(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let services = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(error) = services.refresh().await {
                    tracing::error!(%error, source = ?std::error::Error::source(&error), "building the serving snapshot failed");
                }
                tokio::time::sleep(every).await;
            }
        })
    }
}
