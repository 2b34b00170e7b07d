//! How a long training run reports how far it is (indicatif bars in the CLI, nothing in tests).

/// Where a long training run reports how far it is (indicatif bars in the CLI).
pub trait TrainProgress: Sync {
    /// A model starts; `steps` units of work (fits, mostly) follow.
    fn begin(&self, model: &str, steps: u64);
    fn step(&self);
    /// A model is done; `summary` is its one-line result.
    fn finish(&self, model: &str, summary: &str);
}

/// No reporting.
pub struct Silent;

impl TrainProgress for Silent {
    fn begin(&self, _: &str, _: u64) {}
    fn step(&self) {}
    fn finish(&self, _: &str, _: &str) {}
}
