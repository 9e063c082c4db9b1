//! `waico backtest SCENARIO --observed CURVE.csv [--seeds N] [--first-seed S]
//! [--dates D,...] [--without LABEL] [--groups G,...] [--out DIR] [--force] [--jobs J]
//! [--yes-large]`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::limits;
use crate::backtest::{Options, backtest};
use crate::calibrate::Observed;
use crate::output::atomic;
use crate::scenario;

/// Arguments of `waico backtest`.
#[derive(Args, Debug)]
pub struct BacktestArgs {
    /// Scenario file, or the name of a built-in scenario.
    pub scenario: String,
    /// The observed curve: a CSV with columns date,members (and optionally joined).
    #[arg(long)]
    pub observed: PathBuf,
    /// Number of seeds.
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=limits::MAX_SEEDS as i64))]
    pub seeds: u32,
    /// The first seed; the seeds are S, S+1, ..., S+N-1.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub first_seed: u64,
    /// Compare at these dates only (comma-separated), reading the observed curve's value in
    /// force at each [default: every observed date].
    #[arg(long, value_delimiter = ',', value_parser = crate::time::Date::parse)]
    pub dates: Vec<crate::time::Date>,
    /// Also run the same seeds without the events of this label (a counterfactual), and
    /// compare seed by seed.
    #[arg(long, value_name = "LABEL")]
    pub without: Option<String>,
    /// Groups of states to follow (comma-separated): bloc codes or region names, `+` for a
    /// union, e.g. `NATO+EU+G7,Europe`.
    #[arg(long, value_delimiter = ',')]
    pub groups: Vec<String>,
    /// Folder to write [default: output/backtest/<scenario>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the folder if it holds a backtest (a folder of another kind is never
    /// replaced).
    #[arg(long)]
    pub force: bool,
    /// Worker threads [default: all cores]; the files are the same at any number.
    #[arg(long, value_name = "J")]
    pub jobs: Option<usize>,
    /// Go ahead with a backtest projected to need more than 2 GB of memory or output, or
    /// more than 10 million runs.
    #[arg(long)]
    pub yes_large: bool,
}

/// Runs the backtest, writes its folder and prints its tables.
pub fn backtest_command(args: &BacktestArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let s = scenario::load(&args.scenario)?;
    let observed = Observed::read(&args.observed)?;
    let observed = if args.dates.is_empty() {
        observed
    } else {
        observed.at_dates(&args.dates)?
    };
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join("backtest").join(&s.name));
    let same = |m: &serde_json::Value| {
        m.pointer("/scenario/sha256").and_then(|v| v.as_str()) == Some(s.sha256.as_str())
    };
    let notice = atomic::check_replace(&dir, args.force, "backtest", &same)?;
    let options = Options {
        seeds: args.seeds,
        first_seed: args.first_seed,
        without: args.without.clone(),
        groups: args.groups.clone(),
    };
    let arms = if args.without.is_some() { 2 } else { 1 };
    let runs = u64::from(args.seeds) * arms;
    let projection = limits::backtest(&s, u64::from(args.seeds), arms, observed.points.len());
    limits::check(&projection, &dir, args.yes_large)?;
    let jobs = limits::jobs(args.jobs, runs)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let result = pool.install(|| backtest(&s, &observed, &options))?;
    let files = result.files(&args.scenario)?;
    atomic::write_dir(&dir, &files, args.force)?;
    if let Some(notice) = notice {
        errln!("{notice}");
    }
    out!("{}", result.report());
    outln!(
        "  wrote {} ({} files) in {:.1} s ({} runs)",
        dir.display(),
        files.len(),
        started.elapsed().as_secs_f64(),
        runs
    );
    Ok(())
}
