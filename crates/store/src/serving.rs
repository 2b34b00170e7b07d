//! The serving version of a registry task, decoded once per version (content hash) and kept:
//! what the API's model-backed services share. A new serving version is picked up on the next
//! request; the old one is dropped.

use std::sync::{Arc, Mutex};

use crate::tracking::{artifact, serving_version, ModelVersion};
use crate::SqlitePool;

/// A registered version and its decoded model.
pub type Loaded<T> = (ModelVersion, Arc<T>);

#[derive(Debug)]
pub struct ServingCache<T> {
    loaded: Arc<Mutex<Option<Loaded<T>>>>,
}

impl<T> Default for ServingCache<T> {
    fn default() -> Self {
        ServingCache {
            loaded: Arc::new(Mutex::new(None)),
        }
    }
}

impl<T> Clone for ServingCache<T> {
    fn clone(&self) -> Self {
        ServingCache {
            loaded: self.loaded.clone(),
        }
    }
}

impl<T> ServingCache<T> {
    /// `task`'s serving version and its model (`decode`d from the artifact on first use); `None`
    /// before the task's first training. Errors are messages for the caller's internal error.
    pub async fn get<E: std::fmt::Display>(
        &self,
        pool: &SqlitePool,
        task: &str,
        decode: impl FnOnce(&[u8]) -> Result<T, E>,
    ) -> Result<Option<Loaded<T>>, String> {
        let Some(version) = serving_version(pool, task)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        if let Some((v, m)) = self.loaded.lock().ok().and_then(|c| c.clone()) {
            if v.sha256 == version.sha256 {
                return Ok(Some((v, m)));
            }
        }
        let bytes = artifact(pool, &version.sha256)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("artifact {} is missing", version.sha256))?;
        let model = Arc::new(decode(&bytes).map_err(|e| e.to_string())?);
        if let Ok(mut c) = self.loaded.lock() {
            *c = Some((version.clone(), model.clone()));
        }
        Ok(Some((version, model)))
    }
}
