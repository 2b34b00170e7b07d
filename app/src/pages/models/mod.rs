//! The crypto models' pages: the comparison, the token clusters and the tracked runs.

mod clusters;
mod comparison;
mod experiments;
mod report;
mod table;

pub use clusters::ClustersPage;
pub use comparison::ModelsPage;
pub use experiments::{get_runs, ExperimentsPage};
pub use report::{estimate_text, get_model_report, opt, VerdictBadge};
