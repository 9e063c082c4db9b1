//! `waico sensitivity SWEEP_DIR [--outcome NAME] [--resamples B] [--seed S] [--out DIR]
//! [--force]`: which varied paths explain a sweep's outcomes.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use crate::analysis::sensitivity::{self, default_folder};
use crate::analysis::sweep_folder::SweepFolder;
use crate::explore::bootstrap::Bootstrap;
use crate::output::{atomic, folder};

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
    /// Replace the folder if it holds the same kind of analysis (a folder of another kind
    /// is never replaced).
    #[arg(long)]
    pub force: bool,
}

/// Analyses the sweep folder, writes the analysis folder and prints the report.
pub fn sensitivity(args: &SensitivityArgs) -> anyhow::Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_folder(&args.dir, args.outcome.as_deref()));
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

/// Refuses, before any work, an output folder a `kind` analysis of the sweep folder `dir`
/// must not write: an existing one without `force`, and one of another kind (a run, a
/// sweep, someone's files) even with it; prints a notice when `--force` replaces the
/// analysis of another sweep, or one that `same` (given its manifest) says differs.
pub(crate) fn check_folder(
    out: &Path,
    dir: &Path,
    kind: &str,
    force: bool,
    same: &dyn Fn(&serde_json::Value) -> bool,
) -> anyhow::Result<()> {
    let sha = folder::manifest(dir).and_then(|m| m["sweep"]["sha256"].as_str().map(str::to_owned));
    let same_sweep = |m: &serde_json::Value| {
        sha.is_some() && m.pointer("/sweep/sha256").and_then(|v| v.as_str()) == sha.as_deref()
    };
    let both = |m: &serde_json::Value| same_sweep(m) && same(m);
    if let Some(notice) = atomic::check_replace(out, force, kind, &both)? {
        errln!("{notice}");
    }
    Ok(())
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
    check_folder(out, dir, "sensitivity", force, &|_| true)?;
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
