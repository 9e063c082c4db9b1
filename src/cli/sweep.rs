//! `waico sweep FILE [--out DIR] [--jobs N] [--resume] [--force] [--shard K/N] [--dry-run]
//! [--set PATH=VALUE]...`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::limits;
use super::words::{count, follow, kept_and_failed, progress_bar, thousands};
use crate::analysis;
use crate::explore::bootstrap::Bootstrap;
use crate::output::atomic;
use crate::output::folder::{self, FolderKind};
use crate::scenario::Override;
use crate::sim::Runner;
use crate::sweep::design::Structure;
use crate::sweep::execute::{self, Options, Shard};
use crate::sweep::{self, Sweep, report};
use crate::world::resources::Detail;
use crate::world::spawn::Prepared;
use clap::Args;

/// Arguments of `waico sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The sweep file.
    pub file: PathBuf,
    /// Folder to write [default: output/sweeps/<name> (a shard: <name>-shard-K-of-N; with
    /// --set: <name>+set-<hash>)].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads, at least 1 [default: all cores].
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Continue an interrupted sweep in the folder.
    #[arg(long, conflicts_with = "force")]
    pub resume: bool,
    /// Start over, replacing the folder's contents (only a sweep folder is ever replaced).
    #[arg(long)]
    pub force: bool,
    /// Override a key of the base scenario for every run, e.g. `--set policy.offer=2`
    /// (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = super::run::parse_override)]
    pub overrides: Vec<Override>,
    /// Run only the K-th of N slices of the runs [default: from SLURM_ARRAY_TASK_ID and
    /// SLURM_ARRAY_TASK_COUNT when set].
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Print the plan (runs, output size, time) and run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Go ahead with a sweep projected to need more than 2 GB of memory or output, or more
    /// than 10 million runs.
    #[arg(long)]
    pub yes_large: bool,
    /// Make this run fail (to test failure handling).
    #[arg(long, hide = true)]
    pub fail_run: Option<u64>,
}

/// Runs (or plans) the sweep and prints a report; exit code 3 if any run failed.
pub fn sweep(args: &SweepArgs) -> anyhow::Result<ExitCode> {
    let s = sweep::load_with(&args.file, &args.overrides)?;
    let shard = shard_of(args)?;
    let out = args.out.clone().unwrap_or_else(|| {
        let leaf = if shard.is_whole() {
            s.folder_name()
        } else {
            format!(
                "{}-shard-{}-of-{}",
                s.folder_name(),
                shard.index,
                shard.count
            )
        };
        PathBuf::from("output").join("sweeps").join(leaf)
    });
    let range = shard.range(s.runs());
    let jobs = limits::jobs(args.jobs, range.end - range.start)?;
    let projection = projection(&s, shard, jobs)?;
    for note in &s.design.notes {
        errln!("warning: {note}");
    }
    if args.dry_run {
        dry_run(&s, shard, jobs, &out, &projection)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut needed = projection.clone();
    if args.resume {
        needed.output = needed.output.saturating_sub(folder_size(&out));
    }
    check_folder(&s, shard, &out, args)?;
    limits::check(&needed, &out, args.yes_large)?;
    let bar = progress_bar(range.end - range.start, "runs");
    let options = Options {
        out: out.clone(),
        jobs,
        resume: args.resume,
        force: args.force,
        shard,
        progress: follow(&bar),
        fail_run: args.fail_run,
        checkpoint: execute::CHECKPOINT,
    };
    let report = execute::execute(&s, &options)?;
    bar.finish_and_clear();
    if let Some(holder) = &report.took_over {
        errln!(
            "note: took over the lock of {}, a sweep that no longer runs",
            holder
        );
    }
    print_report(&s, shard, jobs, &report);
    finish(&s, shard, &out, &report)?;
    Ok(if report.failed > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// After the runs: a whole sweep's charts and, for a Sobol' or Morris design, its
/// sensitivity analysis; a shard's pointer to `waico merge`.
fn finish(s: &Sweep, shard: Shard, out: &Path, report: &execute::Report) -> anyhow::Result<()> {
    if shard.is_whole() {
        let charts = report::render_charts(out, &report::Choices::default())?;
        outln!(
            "  wrote {} (runs.csv{}{}, manifest.json, {})",
            out.display(),
            if s.summary { ", summary.csv" } else { "" },
            if s.series { ", series.csv" } else { "" },
            count(charts.len() as u64 / 2, "chart", "charts")
        );
        let designed = !matches!(s.design.structure, Structure::Plain);
        if report.failed == 0 {
            after_sweep(designed, out);
        } else if designed {
            outln!(
                "  sensitivity not computed: runs failed; fix them and run `waico sensitivity {}`",
                out.display()
            );
        }
    } else {
        outln!(
            "  wrote {}; join the shards with `waico merge`",
            out.display()
        );
    }
    Ok(())
}

/// The shard to run: `--shard`, else the Slurm array task's, else the whole sweep.
fn shard_of(args: &SweepArgs) -> anyhow::Result<Shard> {
    if let Some(shard) = args.shard {
        return Ok(shard);
    }
    match Shard::from_slurm(|k| std::env::var(k).ok()) {
        Some(parsed) => parsed.map_err(|e| {
            anyhow::anyhow!(
                "the Slurm array variables do not name a shard: {e}\n  help: pass --shard K/N to choose the slice, or unset SLURM_ARRAY_TASK_ID to run the whole sweep"
            )
        }),
        None => Ok(Shard::WHOLE),
    }
}

/// The first lines of the report: what ran, how fast, what was kept or failed.
fn print_report(s: &Sweep, shard: Shard, jobs: usize, report: &execute::Report) {
    let range = shard.range(s.runs());
    outln!(
        "{}: {} ({} x {}){}",
        s.name,
        count(s.runs(), "run", "runs"),
        count(s.points(), "design point", "design points"),
        count(s.replicates, "replicate", "replicates"),
        if shard.is_whole() {
            String::new()
        } else {
            format!(
                ", shard {}/{}: runs {}..{}",
                shard.index, shard.count, range.start, range.end
            )
        }
    );
    if !s.overrides.is_empty() {
        outln!("  overrides: --set {}", s.overrides.join(" --set "));
    }
    outln!(
        "  ran {} in {:.1} s ({} runs/s, {}){}",
        count(report.executed, "run", "runs"),
        report.seconds,
        thousands((report.executed as f64 / report.seconds.max(1e-9)).round() as u64),
        count(jobs as u64, "job", "jobs"),
        kept_and_failed(report.kept, report.failed),
    );
}

/// Refuses an output folder a sweep must not write: one of another kind (a run, a
/// comparison, someone's files), whatever the flags; prints a notice when `--force`
/// replaces a different sweep.
fn check_folder(s: &Sweep, shard: Shard, out: &Path, args: &SweepArgs) -> anyhow::Result<()> {
    let kind = folder::kind_of(out);
    if args.resume || !matches!(kind, FolderKind::Sweep { .. }) {
        if matches!(
            kind,
            FolderKind::Missing | FolderKind::Empty | FolderKind::Sweep { .. }
        ) {
            return Ok(());
        }
        anyhow::bail!(
            "{} exists and is not a sweep folder: it {}; a sweep writes only into a new or empty folder or a sweep folder\n  help: choose another --out",
            out.display(),
            kind.describe()
        );
    }
    if !args.force {
        // `execute` says what to do (--resume or --force).
        return Ok(());
    }
    let same = |m: &serde_json::Value| {
        m.pointer("/sweep/sha256").and_then(|v| v.as_str()) == Some(s.sha256.as_str())
            && m["shard"]["index"].as_u64() == (!shard.is_whole()).then_some(u64::from(shard.index))
    };
    if let Some(notice) = atomic::check_replace(out, true, "sweep", &same)? {
        errln!("{notice}");
    }
    Ok(())
}

/// The sensitivity analysis a Sobol' or Morris design was made for, written to
/// `DIR/sensitivity` (replacing an earlier one: it belongs to the sweep just finished).
/// Nothing for other designs. A failure is reported, not fatal: the sweep's own files are
/// complete, and `waico sensitivity DIR` can be run again.
pub(crate) fn after_sweep(designed: bool, out: &Path) {
    if !designed {
        return;
    }
    outln!("");
    let result = super::sensitivity::write(
        out,
        None,
        Bootstrap::default(),
        &analysis::sensitivity::default_folder(out, None),
        true,
    );
    if let Err(e) = result {
        errln!("warning: sensitivity not computed: {e:#}");
    }
}

/// What the shard's runs will write and hold.
fn projection(s: &Sweep, shard: Shard, jobs: usize) -> anyhow::Result<limits::Projection> {
    let range = shard.range(s.runs());
    let (first, last) = (
        s.locate_run(range.start).0,
        s.locate_run(range.end.saturating_sub(1)).0,
    );
    let ticks =
        |p: u64| -> anyhow::Result<u64> { Ok(u64::from(s.scenario(p)?.calendar.last_tick()) + 1) };
    // Points differ in length only when the design varies the scenario's dates.
    let ticks = if s.design.paths.iter().any(|p| p.starts_with("scenario.")) {
        (first..=last).try_fold(0, |most, p| Ok::<_, anyhow::Error>(most.max(ticks(p)?)))?
    } else {
        ticks(first.min(s.points().saturating_sub(1)))?
    };
    let points = if range.is_empty() {
        0
    } else {
        last - first + 1
    };
    Ok(limits::sweep(
        s,
        range.end - range.start,
        points,
        ticks,
        jobs,
    ))
}

/// Bytes of the files directly in `dir` (0 if it does not exist).
fn folder_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum()
    })
}

fn dry_run(
    s: &Sweep,
    shard: Shard,
    jobs: usize,
    out: &Path,
    projection: &limits::Projection,
) -> anyhow::Result<()> {
    let range = shard.range(s.runs());
    let runs = range.end - range.start;
    let (per_run, bytes_per_run) = sample_runs(s, range.clone())?;
    let size = bytes_per_run * runs as f64;
    outln!(
        "{}: {} x {} = {}",
        s.name,
        count(s.points(), "design point", "design points"),
        count(s.replicates, "replicate", "replicates"),
        count(s.runs(), "run", "runs")
    );
    if let Some(line) = structure_line(&s.design.structure) {
        outln!("  design: {line}");
    }
    if !shard.is_whole() {
        outln!(
            "  shard {}/{}: runs {}..{} ({})",
            shard.index,
            shard.count,
            range.start,
            range.end,
            count(runs, "run", "runs")
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
        "  time: about {} with {} ({:.2} ms per run on one thread, timed on runs spread over the design)",
        duration(per_run * runs as f64 / jobs as f64),
        count(jobs as u64, "job", "jobs"),
        per_run * 1e3
    );
    dry_run_fit(out, size as u64, projection);
    Ok(())
}

/// The run count of a Sobol' or Morris design, as a formula.
fn structure_line(structure: &Structure) -> Option<String> {
    match structure {
        Structure::Plain => None,
        Structure::Sobol(d) => Some(format!(
            "Saltelli, N = {} base samples x ({} = {}k + 2, k = {} paths) = {} points{}",
            d.base,
            d.rows_per_base(),
            if d.second_order { "2" } else { "" },
            d.factors,
            d.points(),
            if d.second_order {
                ", with second order"
            } else {
                ""
            }
        )),
        Structure::Morris(d) => Some(format!(
            "Morris, r = {} trajectories x (k + 1 = {}) = {} points on {} levels{}",
            d.trajectories,
            d.factors + 1,
            d.points(),
            d.levels,
            if d.candidates > d.trajectories {
                format!(", chosen from {} for spread", d.candidates)
            } else {
                String::new()
            }
        )),
    }
}

/// Seconds as `12 s`, `4.5 min` or `2.1 h`.
fn duration(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.1} s")
    } else if seconds < 7200.0 {
        format!("{:.1} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

/// Seconds per run on one thread and bytes written per run, from up to 12 runs at design
/// points spread evenly over `range` (after one untimed run, as a worker's first), for at
/// most about two seconds; a first run that takes over a second is its own estimate.
fn sample_runs(s: &Sweep, range: std::ops::Range<u64>) -> anyhow::Result<(f64, f64)> {
    let total = range.end - range.start;
    let samples = total.clamp(1, 12);
    let at = |k: u64| {
        let run = (range.start + k * total / samples).min(s.runs().saturating_sub(1));
        (run, s.locate_run(run))
    };
    let mut runner = Runner::new();
    let row_bytes = |run: u64, output: &crate::sim::RunOutput| {
        let series = if s.series {
            sweep::tables::series_rows(0, output).len()
        } else {
            0
        };
        sweep::tables::run_row(s, run, 0, output).len() + series
    };
    let (run, (point, replicate)) = at(0);
    let warm = Instant::now();
    let first = runner.run(
        &Prepared::new(&s.scenario(point)?),
        s.seed_for(point, replicate),
        Detail::Series,
    );
    let seconds = warm.elapsed().as_secs_f64();
    if seconds > 1.0 {
        return Ok((seconds, row_bytes(run, &first) as f64));
    }
    let (mut seconds, mut bytes, mut sample) = (0.0, 0, 0);
    let started = Instant::now();
    while sample < samples && (sample == 0 || started.elapsed().as_secs_f64() < 2.0) {
        let (run, (point, replicate)) = at(sample);
        let prepared = Prepared::new(&s.scenario(point)?);
        let timed = Instant::now();
        let output = runner.run(&prepared, s.seed_for(point, replicate), Detail::Series);
        seconds += timed.elapsed().as_secs_f64();
        bytes += row_bytes(run, &output);
        sample += 1;
    }
    let n = sample as f64;
    Ok((seconds / n, bytes as f64 / n))
}

/// The plan's verdict on the machine: free disk, memory, and whether `--yes-large` is
/// needed.
fn dry_run_fit(out: &Path, size: u64, projection: &limits::Projection) {
    let output = projection.output.max(size);
    if let Some(free) = limits::free_space(out) {
        let verdict = if output > free {
            "NOT ENOUGH: the sweep would be refused"
        } else {
            "enough"
        };
        outln!("  disk: {} free, {verdict}", limits::bytes(free));
    }
    if let Some(available) = limits::available_memory() {
        let verdict = if projection.memory > available {
            "NOT ENOUGH: the sweep would be refused"
        } else {
            "enough"
        };
        outln!(
            "  memory: about {} at most, {} available, {verdict}",
            limits::bytes(projection.memory),
            limits::bytes(available)
        );
    }
    if output > limits::LARGE_BYTES
        || projection.memory > limits::LARGE_BYTES
        || projection.runs > limits::LARGE_RUNS
    {
        outln!("  large: the sweep needs --yes-large to start");
    }
}
