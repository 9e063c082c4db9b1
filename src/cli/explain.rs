//! `waico explain RUN_DIR ISO3 [--csv] [--scenario FILE]`.

use std::path::PathBuf;

use clap::Args;

use crate::analysis::explain;
use crate::analysis::folder::{Context, RunFolder};

/// Arguments of `waico explain`.
#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A run folder written by `waico run`, e.g. output/baseline/seed-1.
    #[arg(value_name = "RUN_DIR")]
    pub dir: PathBuf,
    /// The state's ISO3 code, in any case (e.g. pak).
    pub iso3: String,
    /// Print the breakdown as CSV (one row per term and change) instead of text.
    #[arg(long)]
    pub csv: bool,
    /// The run's scenario file, where it is not the path the manifest records (it is used
    /// only if its SHA-256 matches the manifest's) [default: the recorded file].
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<String>,
}

/// Explains the state's status changes in the run.
pub fn explain(args: &ExplainArgs) -> anyhow::Result<()> {
    let folder = RunFolder::open(&args.dir)?;
    let context = Context::load(&folder, args.scenario.as_deref());
    let explanation = explain::explain(
        &folder,
        &args.iso3,
        context.as_ref().map_err(String::as_str),
    )?;
    if args.csv {
        super::out::stdout_bytes(&explanation.csv()?);
    } else {
        out!("{explanation}");
    }
    Ok(())
}
