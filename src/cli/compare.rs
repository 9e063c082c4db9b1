//! `waico compare A [B] [--set PATH=VALUE]... [--seeds N] [--first-seed S] [--out DIR]
//! [--force] [--jobs J]`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::limits;
use super::words::count;
use crate::analysis::compare::{self, Options};
use crate::output::atomic;
use crate::scenario::Override;

/// Arguments of `waico compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Scenario A, the reference: a file, or the name of a built-in scenario.
    pub a: String,
    /// Scenario B, set against A seed by seed (differences are B minus A) [default: A, so
    /// that `--set` alone compares A with A changed].
    pub b: Option<String>,
    /// Override a key of scenario B, e.g. `--set policy.offer=2` (repeatable): with B left
    /// out, compares A with A plus the overrides, without writing a file.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = super::run::parse_override)]
    pub overrides: Vec<Override>,
    /// Number of seeds run on both scenarios.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=limits::MAX_SEEDS))]
    pub seeds: u64,
    /// The first seed; the seeds are S, S+1, ..., S+N-1.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub first_seed: u64,
    /// Folder to write [default: output/compare/<A>-vs-<B>, with the scenarios' names].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Worker threads, at least 1 [default: all cores]; the files are the same at any number.
    #[arg(long, value_name = "J")]
    pub jobs: Option<usize>,
    /// Go ahead with a comparison projected to need more than 2 GB of memory or output,
    /// or more than 10 million runs.
    #[arg(long)]
    pub yes_large: bool,
}

/// Runs both scenarios on the same seeds, writes the comparison folder and prints a table.
pub fn compare(args: &CompareArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let a = super::run::load(&args.a, &[])?;
    let mut b = super::run::load(args.b.as_deref().unwrap_or(&args.a), &args.overrides)?;
    // B named by its folder name, so "baseline+set-3f9a2c vs baseline" says which is which.
    b.name = b.folder_name();
    compare::check_comparable(&a, &b)?;
    let dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("output")
            .join("compare")
            .join(format!("{}-vs-{}", a.name, b.name))
    });
    let same = |m: &serde_json::Value| {
        m.pointer("/a/sha256").and_then(|v| v.as_str()) == Some(a.sha256.as_str())
            && m.pointer("/b/sha256").and_then(|v| v.as_str()) == Some(b.sha256.as_str())
    };
    let notice = atomic::check_replace(&dir, args.force, "compare", &same)?;
    limits::check(&limits::compare(&a, args.seeds), &dir, args.yes_large)?;
    let jobs = limits::jobs(args.jobs, args.seeds)?;
    let comparison = compare::compare(
        &a,
        &b,
        &Options {
            seeds: args.seeds,
            first_seed: args.first_seed,
            jobs,
        },
    )?;
    let files = comparison.files()?;
    if let Some(notice) = notice {
        errln!("{notice}");
    }
    atomic::write_dir(&dir, &files, args.force)?;
    out!("{}", comparison.report(20));
    outln!(
        "  wrote {} ({}) in {:.1} s ({}, {})",
        dir.display(),
        count(files.len() as u64, "file", "files"),
        started.elapsed().as_secs_f64(),
        count(2 * args.seeds, "run", "runs"),
        count(jobs as u64, "job", "jobs")
    );
    Ok(())
}
