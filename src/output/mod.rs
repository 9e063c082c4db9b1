//! Output: turning a [`RunOutput`] into files (CSV tables, manifest, charts), and writing
//! them atomically. Writers never run the model; every writer returns bytes.

pub mod atomic;
pub mod charts;
pub mod finite;
pub mod manifest;
pub mod tables;

use std::path::PathBuf;

use charts::membership::MembershipChart;
use charts::regions::RegionsChart;

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

/// Every file of a single run's folder, as (name, bytes), in a fixed order. `run` must
/// have been recorded with full detail for `nations.csv` to hold rows.
pub fn run_files(
    scenario: &Scenario,
    run: &RunOutput,
) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    finite::check_run(run)?;
    let mut files = vec![
        ("timeseries.csv".to_owned(), tables::timeseries_csv(run)?),
        (
            "nations.csv".to_owned(),
            tables::nations_csv(run, scenario.params.inertia)?,
        ),
        ("events.csv".to_owned(), tables::events_csv(run)?),
    ];
    let dates: Vec<_> = run.ticks.iter().map(|t| t.date).collect();
    let subtitle = format!("{}, seed {}", scenario.name, run.seed);
    let membership = charts::render(&MembershipChart {
        title: format!("{} membership: {subtitle}", scenario.body.name),
        dates: dates.clone(),
        members: run.ticks.iter().map(|t| t.members).collect(),
        partners: run.ticks.iter().map(|t| t.partners).collect(),
        markers: scenario
            .events
            .iter()
            .map(|e| (e.date, e.label.to_string()))
            .collect(),
        states: scenario.world.nations.len() as u32,
    })?;
    let regions: Vec<(String, Vec<u32>)> = run
        .regions
        .iter()
        .enumerate()
        .map(|(k, name)| {
            (
                name.clone(),
                run.ticks.iter().map(|t| t.groups[k]).collect(),
            )
        })
        .collect();
    let by_region = charts::render(&RegionsChart {
        title: format!("{} members by region: {subtitle}", scenario.body.name),
        dates,
        regions,
    })?;
    for chart in [membership, by_region] {
        files.push((format!("{}.png", chart.name), chart.png));
        files.push((format!("{}.svg", chart.name), chart.svg));
    }
    let mut names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    names.push("manifest.json");
    let manifest = manifest::manifest_json(scenario, run, &names)?;
    files.push(("manifest.json".to_owned(), manifest));
    Ok(files)
}
