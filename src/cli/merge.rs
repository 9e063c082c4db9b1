//! `waico merge DIR... --out DIR [--force]`: join shard folders into the unsharded sweep.

use std::path::PathBuf;

use clap::Args;

use crate::sweep::{merge, report};

/// Arguments of `waico merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shard folders, in any order.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// The merged folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace the merged folder if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Merges the shards, draws the charts and reports.
pub fn merge(args: &MergeArgs) -> anyhow::Result<()> {
    let runs = merge::merge(&args.dirs, &args.out, args.force)?;
    let charts = report::render_charts(&args.out)?;
    outln!(
        "merged {} shards ({runs} runs) into {} with {} charts",
        args.dirs.len(),
        args.out.display(),
        charts.len() / 2
    );
    Ok(())
}
