//! `waico sweep FILE [--out DIR] [--jobs N] [--resume] [--force] [--shard K/N] [--dry-run]`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::sim::Runner;
use crate::sweep::execute::{self, Options, Shard};
use crate::sweep::{self, Sweep, report};
use crate::world::resources::Detail;
use crate::world::spawn::Prepared;

/// Arguments of `waico sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The sweep file.
    pub file: PathBuf,
    /// Folder to write [default: output/sweeps/<name> (a shard: <name>-shard-K-of-N)].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads [default: all cores].
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Continue an interrupted sweep in the folder.
    #[arg(long, conflicts_with = "force")]
    pub resume: bool,
    /// Start over, replacing the folder's contents.
    #[arg(long)]
    pub force: bool,
    /// Run only the K-th of N slices of the runs [default: from SLURM_ARRAY_TASK_ID and
    /// SLURM_ARRAY_TASK_COUNT when set].
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Print the plan (runs, output size, time) and run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Make this run fail (to test failure handling).
    #[arg(long, hide = true)]
    pub fail_run: Option<u64>,
}

/// Runs (or plans) the sweep and prints a report; exit code 3 if any run failed.
pub fn sweep(args: &SweepArgs) -> anyhow::Result<ExitCode> {
    let s = sweep::load(&args.file)?;
    let shard = match args.shard {
        Some(shard) => shard,
        None => match Shard::from_slurm(|k| std::env::var(k).ok()) {
            Some(parsed) => {
                parsed.map_err(|e| anyhow::anyhow!("SLURM_ARRAY_TASK_ID/COUNT: {e}"))?
            }
            None => Shard::WHOLE,
        },
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let out = args.out.clone().unwrap_or_else(|| {
        let leaf = if shard.is_whole() {
            s.name.clone()
        } else {
            format!("{}-shard-{}-of-{}", s.name, shard.index, shard.count)
        };
        PathBuf::from("output").join("sweeps").join(leaf)
    });
    let range = shard.range(s.runs());
    if args.dry_run {
        dry_run(&s, shard, jobs, &out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(range.end - range.start);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec}  ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let progress_bar = bar.clone();
    let options = Options {
        out: out.clone(),
        jobs,
        resume: args.resume,
        force: args.force,
        shard,
        progress: Some(Arc::new(move |done, total| {
            progress_bar.set_length(total);
            progress_bar.set_position(done);
        })),
        fail_run: args.fail_run,
    };
    let report = execute::execute(&s, &options)?;
    bar.finish_and_clear();
    outln!(
        "{}: {} runs ({} design points x {} replicates){}",
        s.name,
        s.runs(),
        s.points(),
        s.replicates,
        if shard.is_whole() {
            String::new()
        } else {
            format!(
                ", shard {}/{}: runs {}..{}",
                shard.index, shard.count, range.start, range.end
            )
        }
    );
    outln!(
        "  ran {} runs in {:.1} s ({:.0} runs/s, {jobs} jobs){}{}",
        report.executed,
        report.seconds,
        report.executed as f64 / report.seconds.max(1e-9),
        if report.kept > 0 {
            format!(", kept {} from before", report.kept)
        } else {
            String::new()
        },
        if report.failed > 0 {
            format!(", {} FAILED (see runs.csv)", report.failed)
        } else {
            String::new()
        },
    );
    if shard.is_whole() {
        let charts = report::render_charts(&out)?;
        outln!(
            "  wrote {} (runs.csv, summary.csv{}, manifest.json, {} charts)",
            out.display(),
            if s.series { ", series.csv" } else { "" },
            charts.len() / 2
        );
    } else {
        outln!(
            "  wrote {}; join the shards with `waico merge`",
            out.display()
        );
    }
    Ok(if report.failed > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn dry_run(s: &Sweep, shard: Shard, jobs: usize, out: &std::path::Path) -> anyhow::Result<()> {
    let range = shard.range(s.runs());
    let runs = range.end - range.start;
    // Time a few runs of the first point on one thread, and measure their rows.
    let first_point = s.locate_run(range.start.min(s.runs().saturating_sub(1))).0;
    let scenario = s.scenario(first_point)?;
    let prepared = Prepared::new(&scenario);
    let mut runner = Runner::new();
    // One untimed run warms the engine up, as a worker's first run does.
    runner.run(&prepared, s.seed_for(first_point, 0), Detail::Series);
    let sample = 10u64;
    let started = Instant::now();
    let mut bytes = 0usize;
    for r in 0..sample {
        let output = runner.run(&prepared, s.seed_for(first_point, r as u32), Detail::Series);
        bytes += sweep::tables::run_row(s, first_point * u64::from(s.replicates), 0, &output).len();
        if s.series {
            bytes += sweep::tables::series_rows(0, &output).len();
        }
    }
    let per_run = started.elapsed().as_secs_f64() / sample as f64;
    let size = bytes as f64 / sample as f64 * runs as f64;
    outln!(
        "{}: {} design points x {} replicates = {} runs",
        s.name,
        s.points(),
        s.replicates,
        s.runs()
    );
    if !shard.is_whole() {
        outln!(
            "  shard {}/{}: runs {}..{} ({runs} runs)",
            shard.index,
            shard.count,
            range.start,
            range.end
        );
    }
    outln!(
        "  varies: {}",
        if s.design.paths.is_empty() {
            "nothing (replicates of the base scenario)".to_owned()
        } else {
            s.design.paths.join(", ")
        }
    );
    outln!("  seeds: {}", s.seed_formula());
    outln!(
        "  output: {} (about {:.1} MB{})",
        out.display(),
        size / 1e6,
        if s.series {
            ", most of it series.csv"
        } else {
            ""
        }
    );
    outln!(
        "  time: about {:.1} s with {jobs} jobs ({:.2} ms per run on one thread)",
        per_run * runs as f64 / jobs as f64,
        per_run * 1e3
    );
    Ok(())
}
