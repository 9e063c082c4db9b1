//! Analyses built on runs: [`ensemble`] runs one scenario over many seeds and counts, state
//! by state, how often each outcome happens; [`compare`] runs two scenarios over the same
//! seeds and reports how their paths differ, and [`shifts`] how each state's chances
//! shift; [`explain`] reads a run folder ([`folder`]) and tells why one state changed its
//! status, term by term; [`sensitivity`] and [`discover`] read a sweep folder
//! ([`sweep_folder`]) and tell which varied paths its outcomes depend on, and in which
//! region of them a condition holds.
//!
//! ```text
//! Scenario, seeds --ensemble: a sweep of one point, a tally of exact counts-->
//!   timeseries.csv, states.csv, fan chart, maps, ranked dot chart
//! Scenario A, Scenario B --compare: the same seeds on both, rayon--> Comparison
//!   --files--> difference.csv, states.csv (shifts.rs), compare.png/svg, shift maps, manifest.json
//! run folder (manifest.json, nations.csv, events.csv) --explain ISO3--> Explanation
//!   --text or CSV--> stdout
//! sweep folder (manifest.json, runs.csv) --sensitivity: Sobol', Morris or PRCC--> Sensitivity
//!   --files--> sensitivity.csv, convergence.csv, outcomes.csv, charts
//! sweep folder --discover CONDITION: PRIM--> Discovery --files--> trajectory.csv, box.csv, charts
//! ```
//!
//! Ensembles, compare and explain are documented for users in `docs/ANALYSIS.md`,
//! sensitivity and discover in `docs/EXPLORE.md`. None changes the model: ensembles and
//! compare run the engine as `waico run` does; the others only read what runs wrote. The
//! estimators live in [`crate::explore`], which knows nothing of the model.

pub mod compare;
pub mod discover;
pub mod ensemble;
pub mod explain;
pub mod folder;
pub mod sensitivity;
pub mod shifts;
pub mod sweep_folder;

use std::path::PathBuf;

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
    /// A folder is not what the command reads.
    #[error("{0}")]
    Folder(String),
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file of a run folder does not have the form `waico run` writes.
    #[error("{}{}: {message}\n  help: the file was edited or written by another version; run the scenario again with `waico run`", path.display(), line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The 1-based line, when known.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// No state of the run has this code.
    #[error("{}: no state `{code}` in this run{}", dir.display(), help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
    UnknownState {
        /// The run folder.
        dir: PathBuf,
        /// The code as given.
        code: String,
        /// A suggestion.
        help: Option<String>,
    },
    /// The thread pool could not start.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
}
