//! The server: configuration, the HTTP router (health checks, REST API, Leptos pages and server
//! functions), import and training orchestration. `main.rs` only parses the command line and dispatches.

pub mod config;
pub mod http;
pub mod import;
pub mod jobs;
pub mod mlflow;
pub mod train;
