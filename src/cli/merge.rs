//! `waico merge DIR... --out DIR [--force]`: join shard folders into the unsharded sweep
//! (or ensemble).

use std::path::PathBuf;

use clap::Args;

use super::words::count;
use crate::analysis::ensemble;
use crate::sweep::{manifest, merge};

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

/// Checks and merges the shards, draws the charts and reports.
pub fn merge(args: &MergeArgs) -> anyhow::Result<()> {
    let merged = merge::merge(&args.dirs, &args.out, args.force)?;
    if !manifest::read_manifest(&args.out)?["ensemble"].is_null() {
        let folder = ensemble::report::Folder::read(&args.out)?;
        out!("{}", ensemble::report::summary(&folder, 10));
    }
    outln!(
        "merged {} ({}) into {} with {}",
        count(args.dirs.len() as u64, "shard", "shards"),
        count(merged.runs, "run", "runs"),
        args.out.display(),
        count(merged.charts as u64 / 2, "chart", "charts")
    );
    let manifest = crate::sweep::manifest::read_manifest(&args.out)?;
    super::sweep::after_sweep(!manifest["design"]["structure"].is_null(), &args.out);
    Ok(())
}
