//! `waico plot DIR`: redraw a sweep folder's charts from its CSV files.

use std::path::PathBuf;

use clap::Args;

use crate::sweep::report;

/// Arguments of `waico plot`.
#[derive(Args, Debug)]
pub struct PlotArgs {
    /// A sweep folder.
    pub dir: PathBuf,
}

/// Redraws the charts.
pub fn plot(args: &PlotArgs) -> anyhow::Result<()> {
    let names = report::render_charts(&args.dir)?;
    outln!("wrote {} in {}", names.join(", "), args.dir.display());
    Ok(())
}
