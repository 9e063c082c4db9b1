//! Output: turning a [`RunOutput`] into files (CSV tables, manifest, charts), and writing
//! them atomically. Writers never run the model; every writer returns bytes.

pub mod atomic;
pub mod charts;
pub mod compress;
pub mod decimal;
pub mod finite;
pub mod folder;
pub mod manifest;
pub mod maps;
pub mod run_charts;
pub mod tables;

use std::path::PathBuf;

use run_charts::RunCharts;

use crate::scenario::Scenario;
use crate::sim::output::RunOutput;

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The target exists and `--force` was not given.
    #[error("{} already exists; pass --force to replace it, or --out to write elsewhere", .0.display())]
    Exists(PathBuf),
    /// The target is a file, which `--force` does not replace.
    #[error("{} exists and is a file, not a folder; choose another --out, or remove it", .0.display())]
    NotAFolder(PathBuf),
    /// The target exists (it holds what `holds` says) and `--force` was not given.
    #[error("{} already exists: it {holds}\n  help: pass --force to replace it, or --out to write elsewhere", path.display())]
    Occupied {
        /// The folder.
        path: PathBuf,
        /// What it holds, in words.
        holds: String,
    },
    /// The target holds another kind of folder, which `--force` never replaces.
    #[error("{} exists and is not a {kind} folder: it {holds}; --force replaces only a {kind} folder, so it is left untouched\n  help: choose another --out, or move the folder away yourself", path.display())]
    Refused {
        /// The folder.
        path: PathBuf,
        /// What it holds, in words.
        holds: String,
        /// The kind of folder the command writes.
        kind: String,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// CSV encoding failed.
    #[error("cannot encode CSV: {0}")]
    Csv(String),
    /// JSON encoding failed.
    #[error("cannot encode JSON: {0}")]
    Json(String),
    /// A number to be written is infinite or NaN.
    #[error(
        "refusing to write {file}: column `{column}` at tick {tick}{} is {value}; a weight or attribute of the scenario is too extreme (nothing was written)",
        state.as_ref().map(|s| format!(" for {s}")).unwrap_or_default()
    )]
    NonFinite {
        /// The file it belongs to.
        file: &'static str,
        /// The column.
        column: String,
        /// The tick.
        tick: u32,
        /// The state's code, for a per-state row.
        state: Option<String>,
        /// The value.
        value: f64,
    },
    /// A chart could not be drawn.
    #[error("cannot draw the {name} chart: {message}")]
    Chart {
        /// Chart name.
        name: String,
        /// What went wrong.
        message: String,
    },
}

/// What a run folder keeps beyond its summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keep {
    /// Whether `nations.csv` (one row per state per tick) is written; the run must have
    /// been recorded with full detail.
    pub nations: bool,
    /// Whether the CSV files are written gzipped (`.csv.gz`).
    pub compress: bool,
}

impl Default for Keep {
    fn default() -> Self {
        Keep {
            nations: true,
            compress: false,
        }
    }
}

/// Every file of a single run's folder, as (name, bytes), in a fixed order, with every
/// table kept and nothing compressed. `run` must have been recorded with full detail.
pub fn run_files(
    scenario: &Scenario,
    run: &RunOutput,
) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    run_files_kept(scenario, run, Keep::default())
}

/// Every file of a single run's folder, keeping what `keep` says.
pub fn run_files_kept(
    scenario: &Scenario,
    run: &RunOutput,
    keep: Keep,
) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    finite::check_run(run)?;
    let gz = |name: &str, bytes: Vec<u8>| -> Result<(String, Vec<u8>), OutputError> {
        if keep.compress {
            let zipped = compress::gzip(&bytes).map_err(|e| OutputError::Csv(e.to_string()))?;
            Ok((format!("{name}.gz"), zipped))
        } else {
            Ok((name.to_owned(), bytes))
        }
    };
    let mut files = vec![gz("timeseries.csv", tables::timeseries_csv(run)?)?];
    if keep.nations {
        let inertia = scenario.params.inertia;
        files.push(if keep.compress {
            // Streamed through gzip: the uncompressed table is never held whole.
            let w = csv::Writer::from_writer(compress::encoder());
            let w = tables::write_nations(w, run, inertia)?;
            let bytes = w
                .into_inner()
                .map_err(|e| OutputError::Csv(e.error().to_string()))?
                .finish()
                .map_err(|e| OutputError::Csv(e.to_string()))?;
            ("nations.csv.gz".to_owned(), bytes)
        } else {
            ("nations.csv".to_owned(), tables::nations_csv(run, inertia)?)
        });
    }
    files.push(gz("events.csv", tables::events_csv(run)?)?);
    for chart in RunCharts::of(scenario, run).render()? {
        files.push((format!("{}.png", chart.name), chart.png));
        files.push((format!("{}.svg", chart.name), chart.svg));
    }
    let mut names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    names.push("manifest.json");
    let manifest = manifest::manifest_json(scenario, run, &names)?;
    files.push(("manifest.json".to_owned(), manifest));
    Ok(files)
}

/// A whole number with thousands separated by commas ("1,000,000"), as messages and
/// chart titles write counts.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
