//! Analyses built on runs: [`compare`] runs two scenarios over the same seeds and reports
//! how their paths differ.
//!
//! ```text
//! Scenario A, Scenario B --compare: the same seeds on both, rayon--> Comparison
//!   --files--> difference.csv, flips.csv, compare.png/svg, manifest.json
//! ```
//!
//! It does not change the model: compare runs the engine as `waico run` does.

pub mod compare;

use crate::output::OutputError;
use crate::scenario::ScenarioError;

/// Why an analysis could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// A scenario is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// Output could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Two scenarios cannot be compared (different states or calendars).
    #[error("{0}")]
    Incomparable(String),
    /// The options make no sense (no seeds, seeds past the largest).
    #[error("{0}")]
    Options(String),
    /// The thread pool could not start.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
}
