//! `waico run SCENARIO --seeds A..B [--jobs N] [--resume | --force] [--shard K/N]`: an
//! ensemble, the scenario once per seed on the sweep engine, into
//! `output/<scenario>/seeds-A-B/`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::limits;
use super::run::RunArgs;
use super::words::{count, follow, kept_and_failed, progress_bar};
use crate::analysis::ensemble::{self, Seeds, report};
use crate::sweep::execute::{self, CHECKPOINT, Options, Shard};

/// Runs the ensemble `args` asks for, draws its charts and prints its summary; exit code 3
/// if any run failed.
pub fn run(args: &RunArgs, seeds: Seeds) -> anyhow::Result<ExitCode> {
    let name = args.scenario.as_deref().unwrap_or("baseline");
    let (sweep, scenario) = ensemble::sweep(name, &args.overrides, seeds)?;
    let shard = args.shard.unwrap_or(Shard::WHOLE);
    let out = args.out.clone().unwrap_or_else(|| {
        let mut leaf = seeds.folder();
        if !shard.is_whole() {
            leaf.push_str(&format!("-shard-{}-of-{}", shard.index, shard.count));
        }
        PathBuf::from("output")
            .join(scenario.folder_name())
            .join(leaf)
    });
    let range = shard.range(sweep.runs());
    let runs = range.end - range.start;
    let jobs = limits::jobs(args.jobs, runs)?;
    let ticks = u64::from(scenario.calendar.last_tick()) + 1;
    let mut needed = limits::sweep(&sweep, runs, 1, ticks, jobs);
    // The tally (per tick, histograms of members, partners and GDP share, and each
    // state's first dates), held about three times over when its checkpoint is saved.
    let states = scenario.world.nations.len() as u64;
    needed.memory += 3 * 8 * ticks * (4 * states + ensemble::tally::GDP_BINS as u64 + 8);
    limits::check(&needed, &out, args.yes_large)?;
    let bar = progress_bar(runs, "seeds");
    let options = Options {
        out: out.clone(),
        jobs,
        resume: args.resume,
        force: args.force,
        shard,
        progress: follow(&bar),
        fail_run: None,
        checkpoint: args
            .checkpoint_secs
            .map_or(CHECKPOINT, Duration::from_secs_f64),
    };
    let done = execute::execute(&sweep, &options)?;
    bar.finish_and_clear();
    if let Some(holder) = &done.took_over {
        errln!("note: took over the lock of {holder}, an ensemble that no longer runs");
    }
    if shard.is_whole() {
        let charts = report::render_charts(&out)?;
        let folder = report::Folder::read(&out)?;
        out!("{}", report::summary(&folder, 10));
        outln!(
            "  ran {} in {:.1} s ({}){}; wrote {} (timeseries.csv, states.csv, runs.csv, manifest.json, {})",
            count(done.executed, "run", "runs"),
            done.seconds,
            count(jobs as u64, "job", "jobs"),
            kept_and_failed(done.kept, done.failed),
            out.display(),
            count(charts.len() as u64 / 2, "chart", "charts")
        );
    } else {
        outln!(
            "{} ({} to {}), shard {}/{}: seeds {} to {}; ran {} in {:.1} s{}",
            scenario.name,
            seeds.first,
            seeds.last,
            shard.index,
            shard.count,
            seeds.first + range.start,
            seeds.first + range.end.saturating_sub(1),
            count(done.executed, "run", "runs"),
            done.seconds,
            kept_and_failed(done.kept, done.failed),
        );
        outln!(
            "  wrote {}; join the shards with `waico merge`",
            out.display()
        );
    }
    Ok(if done.failed > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}
