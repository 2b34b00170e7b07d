//! Durable jobs (imports and trainings) as the admin API and the jobs page show them.

use serde::{Deserialize, Serialize};

/// `POST /api/admin/jobs`: what to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobRequest {
    /// `import` or `train`.
    pub kind: String,
    /// For `train`: crypto, nutrition, recommend, sentiment or recipes. For `import`: `files`
    /// (DATA_DIR, the default) or `live` (CoinGecko and FoodData Central).
    #[serde(default)]
    pub domain: Option<String>,
    /// Small grids and few epochs (trainings only).
    #[serde(default)]
    pub quick: bool,
}

/// The answer to a job request: the job, and whether it is new or the identical one already queued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobQueued {
    pub job: JobInfo,
    pub created: bool,
}

/// One job and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobInfo {
    pub id: i64,
    pub kind: String,
    pub domain: String,
    pub quick: bool,
    /// cli, api, schedule or start.
    pub origin: String,
    /// queued, running, succeeded or failed.
    pub state: String,
    pub attempts: i64,
    pub max_attempts: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub heartbeat_at: Option<String>,
    pub worker: Option<String>,
    pub progress: Option<JobProgress>,
    /// The tracking run a training recorded.
    pub run_id: Option<i64>,
    pub result: Option<String>,
    pub error: Option<String>,
}

/// How far a running job is: models trained of those planned, or files imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobProgress {
    pub done: i64,
    pub total: i64,
    /// What it is doing now (the model or the file).
    pub note: Option<String>,
}

/// `GET /api/admin/jobs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobList {
    pub jobs: Vec<JobInfo>,
}

/// The latest training job of one domain, for a page whose model is not trained yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainJob {
    pub job: Option<JobInfo>,
    /// Seconds since that job finished, if it has.
    pub finished_secs_ago: Option<i64>,
}
