//! `waico sensitivity SWEEP_DIR [--outcome NAME] [--resamples B] [--seed S] [--out DIR]
//! [--force]`: which varied paths explain a sweep's outcomes.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use crate::analysis::sensitivity::{self, default_folder};
use crate::analysis::sweep_folder::SweepFolder;
use crate::explore::bootstrap::Bootstrap;
use crate::output::atomic;

/// Arguments of `waico sensitivity`.
#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// A finished sweep folder (written by `waico sweep` or `waico merge`).
    pub dir: PathBuf,
    /// One outcome: a column of runs.csv (e.g. final_members) or members@DATE /
    /// gdp_share@DATE [default: every outcome of runs.csv].
    #[arg(long, value_name = "NAME")]
    pub outcome: Option<String>,
    /// Bootstrap resamples for the intervals.
    #[arg(long, value_name = "B", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=100_000))]
    pub resamples: u64,
    /// Seed of the bootstrap.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Folder to write [default: SWEEP_DIR/sensitivity, or SWEEP_DIR/sensitivity-NAME
    /// with --outcome].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the folder if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Analyses the sweep folder, writes the analysis folder and prints the report.
pub fn sensitivity(args: &SensitivityArgs) -> anyhow::Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_folder(&args.dir, args.outcome.as_deref()));
    atomic::check_target(&out, args.force)?;
    let bootstrap = Bootstrap {
        resamples: args.resamples as usize,
        seed: args.seed,
        level: 0.95,
    };
    write(
        &args.dir,
        args.outcome.as_deref(),
        bootstrap,
        &out,
        args.force,
    )
}

/// Analyses `dir` (every outcome, or `outcome`), writes the folder `out` and prints the
/// report; used by `waico sensitivity` and at the end of a Sobol' or Morris sweep.
pub fn write(
    dir: &Path,
    outcome: Option<&str>,
    bootstrap: Bootstrap,
    out: &Path,
    force: bool,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let folder = SweepFolder::open(dir)?;
    let analysis = sensitivity::analyze(&folder, outcome, bootstrap)?;
    let files = analysis.files()?;
    atomic::write_dir(out, &files, force)?;
    out!("{}", analysis.report());
    outln!(
        "  wrote {} ({} files) in {:.1} s",
        out.display(),
        files.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
