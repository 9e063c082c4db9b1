//! The one error type of sweeps: a folder in use or holding something else, a file that
//! cannot be read or written, an invalid design point, charts that cannot be drawn.

use std::path::{Path, PathBuf};

/// Why a sweep could not run or finish.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The output folder is in use or holds something else.
    #[error("{0}")]
    Folder(String),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A design point's scenario is invalid.
    #[error(transparent)]
    Scenario(#[from] crate::scenario::ScenarioError),
    /// Charts could not be drawn.
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    /// The per-state tables could not be written or read.
    #[error(transparent)]
    States(#[from] super::states::StatesError),
    /// The thread pool could not start.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
}

/// Wraps an I/O error with its path.
pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SweepError + '_ {
    move |source| SweepError::Io {
        path: path.to_path_buf(),
        source,
    }
}
