//! `waico discover SWEEP_DIR --where "CONDITION" [--alpha A] [--paste-alpha A]
//! [--min-mass M] [--coverage-floor C] [--step S] [--out DIR] [--force]`: PRIM scenario
//! discovery over a sweep's varied paths.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use crate::analysis::discover::{self, Options, default_folder, parse_condition};
use crate::analysis::sweep_folder::SweepFolder;
use crate::explore::prim::PrimOptions;
use crate::output::atomic;

/// Arguments of `waico discover`.
#[derive(Args, Debug)]
pub struct DiscoverArgs {
    /// A finished sweep folder (written by `waico sweep` or `waico merge`).
    pub dir: PathBuf,
    /// The condition that marks a run of interest, e.g. "final_members >= 100" or
    /// "first_100_members <= 2028-12-31" (comparisons may be joined by `and`).
    #[arg(long = "where", value_name = "CONDITION")]
    pub condition: String,
    /// Share of a box's runs one peel removes.
    #[arg(long, value_name = "A", default_value_t = 0.05)]
    pub alpha: f64,
    /// Share of nearby runs one paste adds.
    #[arg(long, value_name = "A", default_value_t = 0.05)]
    pub paste_alpha: f64,
    /// No box may hold a smaller share of the runs.
    #[arg(long, value_name = "M", default_value_t = 0.05)]
    pub min_mass: f64,
    /// The default box holds at least this share of the runs of interest.
    #[arg(long, value_name = "C", default_value_t = 0.5)]
    pub coverage_floor: f64,
    /// Report this step of the trajectory instead of the default box.
    #[arg(long, value_name = "S")]
    pub step: Option<usize>,
    /// Folder to write [default: SWEEP_DIR/discover-<condition>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the folder if it holds the same kind of analysis (a folder of another kind
    /// is never replaced).
    #[arg(long)]
    pub force: bool,
}

/// Runs PRIM, writes the discovery folder and prints the box.
pub fn discover(args: &DiscoverArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_folder(&args.dir, &args.condition));
    let same = |m: &serde_json::Value| m["condition"].as_str() == Some(args.condition.trim());
    super::sensitivity::check_folder(&out, &args.dir, "discover", args.force, &same)?;
    if !(0.0..=1.0).contains(&args.coverage_floor) {
        anyhow::bail!(
            "--coverage-floor {}: give a share between 0 and 1",
            args.coverage_floor
        );
    }
    let folder = SweepFolder::open(&args.dir)?;
    let condition = parse_condition(&args.condition, &folder)?;
    let found = discover::discover(
        &folder,
        &condition,
        &Options {
            prim: PrimOptions {
                peel_alpha: args.alpha,
                paste_alpha: args.paste_alpha,
                min_mass: args.min_mass,
            },
            coverage_floor: args.coverage_floor,
            step: args.step,
        },
    )?;
    let files = found.files()?;
    atomic::write_dir(&out, &files, args.force)?;
    out!("{}", found.report());
    outln!(
        "  wrote {} ({} files) in {:.1} s",
        out.display(),
        files.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
