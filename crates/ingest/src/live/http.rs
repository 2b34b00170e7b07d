//! GET-and-decode with retries: 429 and 5xx (and connection failures) are retried with
//! exponential backoff, honouring `Retry-After`; other errors and malformed bodies are final.

use std::time::Duration;

use reqwest::{header::RETRY_AFTER, Client, StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::IngestError;

/// How often and how patiently to retry a request.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Wait before the first retry; doubles each time.
    pub base_delay: Duration,
    /// Upper bound of any wait, `Retry-After` included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 5 retries from 1 s, capped at 60 s: rides out CoinGecko's per-minute rate limit.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let backoff = self.base_delay.saturating_mul(2u32.saturating_pow(attempt));
        retry_after.unwrap_or(backoff).min(self.max_delay)
    }
}

/// Parses a base URL and makes sure it ends in `/`, so relative paths join under it.
pub(crate) fn base(url: &str) -> Result<Url, IngestError> {
    let with_slash = if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    };
    Url::parse(&with_slash).map_err(|e| IngestError::Format {
        path: url.to_owned(),
        message: format!("invalid base URL: {e}"),
    })
}

/// The HTTP client of one API: our user agent and a 30 s timeout per request.
pub(crate) fn client(api: &'static str) -> Result<Client, IngestError> {
    Client::builder()
        .user_agent(concat!(
            "market-meal-intelligence/",
            env!("CARGO_PKG_VERSION")
        ))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|source| IngestError::Http {
            api,
            endpoint: "client".into(),
            source,
        })
}

/// `path` under `base` (which ends in `/`), with `query` appended.
pub(crate) fn url_under(
    base: &Url,
    path: &str,
    query: &[(&str, String)],
) -> Result<Url, IngestError> {
    let mut url = base.join(path).map_err(|e| IngestError::Format {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    url.query_pairs_mut().extend_pairs(query);
    Ok(url)
}

/// GETs `url` with `headers` and decodes the JSON body as `T`. `endpoint` names the call in
/// errors and logs (never the full URL: it may carry an API key).
pub(crate) async fn get_json<T: DeserializeOwned>(
    client: &Client,
    api: &'static str,
    endpoint: &str,
    url: Url,
    headers: &[(&'static str, String)],
    retry: &RetryPolicy,
) -> Result<T, IngestError> {
    let mut attempt = 0;
    loop {
        let mut request = client.get(url.clone());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let wait = match request.send().await {
            Ok(response) if response.status().is_success() => {
                let body = response.text().await.map_err(|source| IngestError::Http {
                    api,
                    endpoint: endpoint.to_owned(),
                    source,
                })?;
                return serde_json::from_str(&body).map_err(|e| IngestError::MalformedBody {
                    api,
                    endpoint: endpoint.to_owned(),
                    message: e.to_string(),
                });
            }
            Ok(response) => {
                let status = response.status();
                let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
                if !retryable || attempt >= retry.max_retries {
                    let body = response.text().await.unwrap_or_default();
                    return Err(IngestError::HttpStatus {
                        api,
                        endpoint: endpoint.to_owned(),
                        status: status.as_u16(),
                        body: body.chars().take(200).collect(),
                    });
                }
                let retry_after = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                tracing::warn!(api, endpoint, %status, attempt, "retrying");
                retry.delay(attempt, retry_after)
            }
            Err(source)
                if attempt >= retry.max_retries
                    || !(source.is_connect() || source.is_timeout()) =>
            {
                return Err(IngestError::Http {
                    api,
                    endpoint: endpoint.to_owned(),
                    source,
                });
            }
            Err(error) => {
                tracing::warn!(api, endpoint, %error, attempt, "retrying");
                retry.delay(attempt, None)
            }
        };
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped_and_retry_after_wins() {
        let p = RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        };
        assert_eq!(p.delay(0, None), Duration::from_millis(100));
        assert_eq!(p.delay(2, None), Duration::from_millis(400));
        assert_eq!(p.delay(3, None), Duration::from_millis(500));
        assert_eq!(
            p.delay(0, Some(Duration::from_millis(300))),
            Duration::from_millis(300)
        );
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(9))),
            Duration::from_millis(500)
        );
    }
}
