//! `waico plot DIR [--outcome O] [--x PATH] [--y PATH]`: redraw a folder's charts from its
//! files: a sweep's (choosing what the response chart and heatmap show), an ensemble's, a
//! run's or a comparison's.

use std::path::PathBuf;

use clap::Args;

use super::words::count;
use crate::analysis::{compare, ensemble};
use crate::output::charts;
use crate::output::folder::{self, FolderKind};
use crate::output::run_charts::RunCharts;
use crate::sweep::report::{self, Choices};

/// Arguments of `waico plot`.
#[derive(Args, Debug)]
pub struct PlotArgs {
    /// A folder written by `waico sweep`, `waico run` (one seed or an ensemble) or
    /// `waico compare`.
    pub dir: PathBuf,
    /// A sweep's outcome for the response chart and heatmap: final_members,
    /// final_partners, final_member_gdp_share or peak_members [default: the sweep file's
    /// [charts] outcome].
    #[arg(long)]
    pub outcome: Option<String>,
    /// The varied parameter on the x axis of a sweep's response chart and heatmap
    /// [default: the sweep file's [charts] x, or the first varied parameter].
    #[arg(long, value_name = "PATH")]
    pub x: Option<String>,
    /// The second varied parameter: the heatmap's y axis and the response chart's lines
    /// [default: the sweep file's [charts] y, or the next varied parameter].
    #[arg(long, value_name = "PATH")]
    pub y: Option<String>,
}

/// Redraws the charts of the folder, whatever kind it is, or says what it is.
pub fn plot(args: &PlotArgs) -> anyhow::Result<()> {
    let dir = &args.dir;
    let kind = folder::kind_of(dir);
    let chooses = args.outcome.is_some() || args.x.is_some() || args.y.is_some();
    let names = match &kind {
        FolderKind::Ensemble { .. } if chooses => anyhow::bail!(
            "{} is an ensemble's folder: --outcome, --x and --y choose what a sweep's charts show\n  help: leave them out to redraw its charts",
            dir.display()
        ),
        FolderKind::Ensemble { .. } => ensemble::report::render_charts(dir)?,
        FolderKind::Sweep { .. } => report::render_charts(
            dir,
            &Choices {
                outcome: args.outcome.clone(),
                x: args.x.clone(),
                y: args.y.clone(),
            },
        )?,
        FolderKind::Run | FolderKind::Compare if chooses => anyhow::bail!(
            "{} {}: --outcome, --x and --y choose what a sweep's charts show\n  help: leave them out to redraw its charts",
            dir.display(),
            kind.describe()
        ),
        FolderKind::Run => {
            let run = RunCharts::read(dir).map_err(anyhow::Error::msg)?;
            if let Err(why) = &run.map {
                errln!("{why}");
            }
            charts::write_into(dir, &run.render()?)?
        }
        FolderKind::Compare => {
            let chart = compare::redraw(dir).map_err(anyhow::Error::msg)?;
            charts::write_into(dir, &[chart])?
        }
        FolderKind::Calibrate => anyhow::bail!(
            "{} {}: its chart is drawn by `waico calibrate` alone\n  help: plot redraws the charts of folders written by `waico sweep`, `waico run` and `waico compare`",
            dir.display(),
            kind.describe()
        ),
        other => {
            let help = match folder::first_run(dir, other) {
                Some(run) => format!("give one of its run folders, e.g. {}", run.display()),
                None => "give a folder written by `waico sweep`, `waico run` or `waico compare`"
                    .to_owned(),
            };
            anyhow::bail!(
                "{} {}, so there are no charts to redraw\n  help: {help}",
                dir.display(),
                other.describe()
            )
        }
    };
    outln!(
        "wrote {} in {}: {}",
        count(names.len() as u64, "file", "files"),
        dir.display(),
        names.join(", ")
    );
    Ok(())
}
