//! Export of tracked runs to an MLflow tracking server through its REST API
//! (<https://mlflow.org/docs/latest/api_reference/rest-api.html>), when `MLFLOW_TRACKING_URI` is
//! set. The app's database stays the record: MLflow gets a copy of a run tree (the parent run and
//! its children, linked by `mlflow.parentRunId`) with params, every metric step, tags and the
//! artifact files.

use std::time::Duration;

use mmi_store::{tracking::run_tree, Pool};
use mmi_types::RunSummary;
use reqwest::{Client, Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

/// MLflow's per-request limits of `runs/log-batch`.
const MAX_METRICS_PER_BATCH: usize = 1000;
const MAX_PARAMS_PER_BATCH: usize = 100;
const MAX_TAGS_PER_BATCH: usize = 100;
/// MLflow rejects longer param values (6,000 characters since MLflow 2.x).
const MAX_PARAM_CHARS: usize = 6000;

#[derive(Debug, thiserror::Error)]
pub enum MlflowError {
    #[error("MLFLOW_TRACKING_URI {uri:?} is not an http(s) URL: {reason}")]
    BadUri { uri: String, reason: String },
    #[error("MLflow {endpoint}: {source}")]
    Http {
        endpoint: String,
        source: reqwest::Error,
    },
    #[error("MLflow {endpoint} answered {status}: {message}")]
    Api {
        endpoint: String,
        status: StatusCode,
        message: String,
    },
    #[error("run {0} is not in the database")]
    NoSuchRun(i64),
    #[error(transparent)]
    Store(#[from] mmi_store::StoreError),
}

/// MLflow's error body: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}`.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    error_code: Option<String>,
    message: Option<String>,
}

/// A client of one MLflow tracking server.
#[derive(Debug, Clone)]
pub struct Mlflow {
    http: Client,
    base: Url,
}

/// What an export created on the MLflow server.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub experiment_id: String,
    /// `(local run id, MLflow run id)`, the parent first.
    pub runs: Vec<(i64, String)>,
    pub artifacts_uploaded: usize,
}

impl Mlflow {
    /// A client of the server at `uri` (e.g. `http://127.0.0.1:5000`).
    pub fn new(uri: &str) -> Result<Self, MlflowError> {
        let bad = |reason: String| MlflowError::BadUri {
            uri: uri.to_string(),
            reason,
        };
        let mut base = Url::parse(uri).map_err(|e| bad(e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(bad("only http and https servers are supported".into()));
        }
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let http = Client::builder()
            .user_agent(concat!(
                "market-meal-intelligence/",
                env!("CARGO_PKG_VERSION")
            ))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|source| MlflowError::Http {
                endpoint: "client".into(),
                source,
            })?;
        Ok(Mlflow { http, base })
    }

    /// `path` under the server's REST API root (`api/2.0/`).
    fn url(&self, path: &str) -> Result<Url, MlflowError> {
        self.base
            .join(&format!("api/2.0/{path}"))
            .map_err(|e| MlflowError::BadUri {
                uri: self.base.to_string(),
                reason: e.to_string(),
            })
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        endpoint: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> Result<T, MlflowError> {
        let http_err = |source| MlflowError::Http {
            endpoint: endpoint.to_string(),
            source,
        };
        let mut url = self.url(&format!("mlflow/{endpoint}"))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(http_err)?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            let message = match serde_json::from_str::<ErrorBody>(&text) {
                Ok(ErrorBody {
                    error_code: Some(code),
                    message,
                }) => format!("{code}: {}", message.unwrap_or_default()),
                _ => text,
            };
            return Err(MlflowError::Api {
                endpoint: endpoint.to_string(),
                status,
                message,
            });
        }
        response.json().await.map_err(http_err)
    }

    /// The id of the experiment called `name`, created when missing.
    pub async fn experiment_id(&self, name: &str) -> Result<String, MlflowError> {
        #[derive(Deserialize)]
        struct Experiment {
            experiment_id: String,
        }
        #[derive(Deserialize)]
        struct GetByName {
            experiment: Experiment,
        }
        match self
            .call::<GetByName>(
                Method::GET,
                "experiments/get-by-name",
                &[("experiment_name", name)],
                None,
            )
            .await
        {
            Ok(found) => Ok(found.experiment.experiment_id),
            Err(MlflowError::Api {
                status: StatusCode::NOT_FOUND,
                ..
            }) => {
                let created: Experiment = self
                    .call(
                        Method::POST,
                        "experiments/create",
                        &[],
                        Some(json!({ "name": name })),
                    )
                    .await?;
                Ok(created.experiment_id)
            }
            Err(e) => Err(e),
        }
    }

    /// Copies local run `run_id` and its children into MLflow: a new MLflow run each.
    pub async fn export_run(&self, pool: &Pool, run_id: i64) -> Result<Exported, MlflowError> {
        let tree = run_tree(pool, run_id).await?;
        let experiment = tree
            .first()
            .map(|(r, _)| r.experiment.clone())
            .ok_or(MlflowError::NoSuchRun(run_id))?;
        let experiment_id = self.experiment_id(&experiment).await?;
        let mut exported = Exported {
            experiment_id,
            runs: Vec::new(),
            artifacts_uploaded: 0,
        };
        // `run_tree` lists the parent first, so every child finds its parent's MLflow id.
        for (run, metrics) in &tree {
            let parent = run
                .parent_id
                .and_then(|p| exported.runs.iter().find(|(local, _)| *local == p))
                .map(|(_, remote)| remote.clone());
            let (remote, artifact_root) = self
                .create_run(&exported.experiment_id, run, parent.as_deref())
                .await?;
            self.log_batches(&remote, run, metrics).await?;
            exported.artifacts_uploaded += self.upload_artifacts(pool, run, &artifact_root).await?;
            self.call::<Value>(
                Method::POST,
                "runs/update",
                &[],
                Some(json!({
                    "run_id": remote,
                    "status": match run.status.as_str() {
                        "finished" => "FINISHED",
                        "failed" => "FAILED",
                        _ => "RUNNING",
                    },
                    "end_time": run.ended_at.as_deref().and_then(millis),
                })),
            )
            .await?;
            exported.runs.push((run.id, remote));
        }
        Ok(exported)
    }

    /// Creates the MLflow run of `run`; returns its id and artifact URI.
    async fn create_run(
        &self,
        experiment_id: &str,
        run: &RunSummary,
        parent: Option<&str>,
    ) -> Result<(String, String), MlflowError> {
        #[derive(Deserialize)]
        struct Info {
            run_id: String,
            #[serde(default)]
            artifact_uri: String,
        }
        #[derive(Deserialize)]
        struct Run {
            info: Info,
        }
        #[derive(Deserialize)]
        struct Created {
            run: Run,
        }
        let mut tags = vec![
            json!({"key": "mlflow.runName", "value": run.name}),
            json!({"key": "mmi.run_id", "value": run.id.to_string()}),
        ];
        if let Some(p) = parent {
            tags.push(json!({"key": "mlflow.parentRunId", "value": p}));
        }
        if let Some(c) = &run.git_commit {
            tags.push(json!({"key": "mlflow.source.git.commit", "value": c}));
        }
        let created: Created = self
            .call(
                Method::POST,
                "runs/create",
                &[],
                Some(json!({
                    "experiment_id": experiment_id,
                    "run_name": run.name,
                    "start_time": millis(&run.started_at),
                    "tags": tags,
                })),
            )
            .await?;
        Ok((created.run.info.run_id, created.run.info.artifact_uri))
    }

    /// Params, every metric step and the tags (with each artifact's hash), in batches within
    /// MLflow's limits.
    async fn log_batches(
        &self,
        remote: &str,
        run: &RunSummary,
        metrics: &[(String, i64, f64)],
    ) -> Result<(), MlflowError> {
        let timestamp = millis(run.ended_at.as_deref().unwrap_or(&run.started_at)).unwrap_or(0);
        let params: Vec<Value> = run
            .params
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v.chars().take(MAX_PARAM_CHARS).collect::<String>()}))
            .collect();
        let metrics: Vec<Value> = metrics
            .iter()
            .map(|(k, step, v)| json!({"key": k, "value": v, "step": step, "timestamp": timestamp}))
            .collect();
        let tags: Vec<Value> = run
            .tags
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .chain(run.artifacts.iter().map(
                |a| json!({"key": format!("mmi.artifact.{}.sha256", a.name), "value": a.sha256}),
            ))
            .collect();
        let batches = params
            .len()
            .div_ceil(MAX_PARAMS_PER_BATCH)
            .max(metrics.len().div_ceil(MAX_METRICS_PER_BATCH))
            .max(tags.len().div_ceil(MAX_TAGS_PER_BATCH));
        let slice = |v: &[Value], size: usize, i: usize| -> Vec<Value> {
            v.iter().skip(i * size).take(size).cloned().collect()
        };
        for i in 0..batches {
            self.call::<Value>(
                Method::POST,
                "runs/log-batch",
                &[],
                Some(json!({
                    "run_id": remote,
                    "params": slice(&params, MAX_PARAMS_PER_BATCH, i),
                    "metrics": slice(&metrics, MAX_METRICS_PER_BATCH, i),
                    "tags": slice(&tags, MAX_TAGS_PER_BATCH, i),
                })),
            )
            .await?;
        }
        Ok(())
    }

    /// Uploads the run's artifact files through the server's artifact proxy, when the run's
    /// artifact URI is a proxied one (`mlflow-artifacts:/...`, MLflow's default since 2.0);
    /// other stores (S3, local paths) are the server's own business and keep the hash tags only.
    async fn upload_artifacts(
        &self,
        pool: &Pool,
        run: &RunSummary,
        artifact_uri: &str,
    ) -> Result<usize, MlflowError> {
        let Some(root) = artifact_uri.strip_prefix("mlflow-artifacts:") else {
            return Ok(0);
        };
        let root = root.trim_start_matches('/').trim_end_matches('/');
        for a in &run.artifacts {
            let endpoint = format!("mlflow-artifacts/artifacts/{root}/{}", a.name);
            let content = mmi_store::tracking::artifact(pool, &a.sha256)
                .await?
                .ok_or_else(|| {
                    mmi_store::StoreError::Corrupt(format!("artifact {} is missing", a.sha256))
                })?;
            let url = self.url(&endpoint)?;
            let response = self
                .http
                .put(url)
                .body(content)
                .send()
                .await
                .map_err(|source| MlflowError::Http {
                    endpoint: endpoint.clone(),
                    source,
                })?;
            if !response.status().is_success() {
                return Err(MlflowError::Api {
                    endpoint,
                    status: response.status(),
                    message: response.text().await.unwrap_or_default(),
                });
            }
        }
        Ok(run.artifacts.len())
    }
}

/// Milliseconds since the epoch of an RFC 3339 time, as MLflow stores times.
fn millis(rfc3339: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_become_epoch_milliseconds() {
        assert_eq!(millis("1970-01-01T00:00:01.500Z"), Some(1500));
        assert_eq!(millis("2021-07-05T00:00:00Z"), Some(1_625_443_200_000));
        assert_eq!(millis("yesterday"), None);
    }

    #[test]
    fn only_http_uris_are_accepted() {
        assert!(Mlflow::new("http://127.0.0.1:5000").is_ok());
        assert!(matches!(
            Mlflow::new("databricks"),
            Err(MlflowError::BadUri { .. })
        ));
        assert!(matches!(
            Mlflow::new("file:///tmp/mlruns"),
            Err(MlflowError::BadUri { .. })
        ));
    }
}
