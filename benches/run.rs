//! Benchmarks of single runs: `cargo bench --bench run`.
//!
//! - `run_baseline`: one run of the built-in baseline in memory (per-tick series, no
//!   files), reusing the runner and the prepared scenario as sweeps do.
//! - `run_baseline_full`: the same with every state's utility terms recorded.
//! - `prepare_baseline`: compiling the scenario (network, bundles) once per scenario.
//! - `run_and_write`: what `waico run` does after parsing: a full-detail run, the CSV
//!   tables, manifest and two charts (PNG and SVG each), written atomically to a temporary
//!   folder.
//! - `run_charts`: the two charts of a baseline run alone, drawn as SVG and rendered to PNG.
//! - `nations_csv`: `nations.csv` of one full-detail baseline run, as bytes (the number
//!   formatting of a single run).
//! - `summary_tally`: a design point of 10,000 baseline runs' per-tick values gathered and
//!   summarised as a sweep does (histograms, shares spilled to a scratch file).
//! - `synthetic/N`: one 66-tick run on a generated world of N states (growth with N).
//! - `sweep/jobs-J`: `waico sweep` of 1,000 baseline runs with series kept, on J worker
//!   threads, into a temporary folder (the parallel speed-up; the 10,000-run command is in
//!   docs/SWEEPS.md).
//! - `ensemble/jobs-J`: `waico run --seeds 1..1000` (the same 1,000 runs as an ensemble,
//!   with its tally, timeseries.csv and states.csv; no charts), on J worker threads, and
//!   `ensemble/sweep-jobs-J`, the same 1,000 runs as a plain sweep (runs.csv and
//!   summary.csv, no series), the reference it is compared with.
//! - `lone_draw`: one state's retaliation uniform, drawn alone.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use waico::output::tables::nations_csv;
use waico::output::{atomic, run_files};
use waico::scenario::{self, Scenario, ScenarioFile, validate::validate_with_world};
use waico::sim::Runner;
use waico::sweep::execute::{Options, Shard, execute};
use waico::sweep::tables::values;
use waico::sweep::tally::{SPILL_RUNS, Tally};
use waico::world::resources::Detail;
use waico::world::spawn::Prepared;
use waico::world::synthetic::synthetic_world;

fn baseline() -> Scenario {
    scenario::load("baseline").expect("the baseline validates")
}

fn run_baseline(c: &mut Criterion) {
    let s = baseline();
    let prepared = Prepared::new(&s);
    let mut runner = Runner::new();
    let mut seed = 0u64;
    c.bench_function("run_baseline", |b| {
        b.iter(|| {
            seed += 1;
            black_box(runner.run(&prepared, seed, Detail::Series))
        })
    });
    c.bench_function("run_baseline_full", |b| {
        b.iter(|| {
            seed += 1;
            black_box(runner.run(&prepared, seed, Detail::Full))
        })
    });
    c.bench_function("prepare_baseline", |b| {
        b.iter(|| black_box(Prepared::new(&s)))
    });
}

fn run_and_write(c: &mut Criterion) {
    let s = baseline();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut k = 0u64;
    let mut group = c.benchmark_group("end_to_end");
    group.sample_size(20);
    group.bench_function("run_and_write", |b| {
        b.iter(|| {
            k += 1;
            let run = waico::sim::run(&s, k, Detail::Full);
            let files = run_files(&s, &run).expect("files render");
            atomic::write_dir(&dir.path().join(format!("seed-{k}")), &files, false)
                .expect("files are written");
        })
    });
    group.finish();
}

/// The two charts of a baseline run, drawn as SVG and rendered to PNG.
fn tables(c: &mut Criterion) {
    let s = baseline();
    let run = waico::sim::run(&s, 1, Detail::Full);
    c.bench_function("nations_csv", |b| {
        b.iter(|| black_box(nations_csv(&run, s.params.inertia).expect("the table encodes")))
    });
    // The 10,000 runs are made when the benchmark is chosen, not when a filter skips it.
    const RUNS: u64 = 10_000;
    let mut runs: Option<Vec<Vec<(u32, f64)>>> = None;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("summary");
    group.sample_size(10).throughput(Throughput::Elements(RUNS));
    group.bench_function("summary_tally", |b| {
        let runs: &[Vec<(u32, f64)>] = runs.get_or_insert_with(|| {
            let mut runner = Runner::new();
            let prepared = Prepared::new(&s);
            (0..RUNS)
                .map(|seed| values(&runner.run(&prepared, seed, Detail::Series)))
                .collect()
        });
        let ticks = runs[0].len();
        b.iter(|| {
            let mut tally = Tally::spilling(dir.path().join("scratch"), SPILL_RUNS);
            for r in runs {
                tally.add(r).expect("the scratch file is written");
            }
            black_box(tally.ticks(ticks).expect("the scratch file is read"))
        })
    });
    group.finish();
}

fn charts(c: &mut Criterion) {
    let s = baseline();
    let run = waico::sim::run(&s, 1, Detail::Series);
    let data = waico::output::run_charts::RunCharts::of(&s, &run);
    let mut group = c.benchmark_group("end_to_end");
    group.sample_size(20);
    group.bench_function("run_charts", |b| {
        b.iter(|| black_box(data.render().expect("charts render")))
    });
    group.finish();
}

/// A 66-month scenario on a synthetic world of `n` states.
fn synthetic(n: usize) -> Scenario {
    let text = r#"
[scenario]
name = "synthetic"
start = 2025-07-26
end = 2030-12-31
trade = "none"

[body]
host = "S0000000"
opponent = "S0000001"
"#;
    let file: ScenarioFile = toml::from_str(text).expect("valid TOML");
    validate_with_world(&file, "synthetic", Arc::new(synthetic_world(n, 1)))
        .expect("the synthetic scenario validates")
}

fn scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("synthetic");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for n in [1_000usize, 10_000, 100_000] {
        // The world is generated when the benchmark is chosen, not when a filter skips it.
        let mut prepared = None;
        let mut runner = Runner::new();
        let mut seed = 0;
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            let prepared = prepared.get_or_insert_with(|| Prepared::new(&synthetic(n)));
            b.iter(|| {
                seed += 1;
                black_box(runner.run(prepared, seed, Detail::Series))
            })
        });
    }
    group.finish();
}

fn sweep(c: &mut Criterion) {
    let text = r#"
[sweep]
name = "bench-1k"
scenario = "baseline"
replicates = 1000
seed = 1
series = true
"#;
    let sweep = waico::sweep::parse("bench-1k", text, None).expect("the bench sweep validates");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("sweep");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15))
        .throughput(Throughput::Elements(sweep.runs()));
    for jobs in [1usize, 2] {
        let opts = Options {
            out: dir.path().join(format!("jobs-{jobs}")),
            jobs,
            resume: false,
            force: true,
            shard: Shard::WHOLE,
            progress: None,
            fail_run: None,
            checkpoint: waico::sweep::execute::CHECKPOINT,
        };
        group.bench_function(format!("jobs-{jobs}"), |b| {
            b.iter(|| black_box(execute(&sweep, &opts).expect("the sweep runs")))
        });
    }
    group.finish();
}

fn ensemble(c: &mut Criterion) {
    let plain = r#"
[sweep]
name = "bench-1k-plain"
scenario = "baseline"
replicates = 1000
seed = 1
series = false
"#;
    let plain = waico::sweep::parse("bench-1k-plain", plain, None).expect("the sweep validates");
    let (sweep, _) = waico::analysis::ensemble::sweep(
        "baseline",
        &[],
        waico::analysis::ensemble::Seeds {
            first: 1,
            last: 1000,
        },
    )
    .expect("the baseline validates");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("ensemble");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15))
        .throughput(Throughput::Elements(sweep.runs()));
    for jobs in [1usize, 2] {
        for (name, s) in [("sweep-jobs", &plain), ("jobs", &sweep)] {
            let opts = Options {
                out: dir.path().join(format!("{name}-{jobs}")),
                jobs,
                resume: false,
                force: true,
                shard: Shard::WHOLE,
                progress: None,
                fail_run: None,
                checkpoint: waico::sweep::execute::CHECKPOINT,
            };
            group.bench_function(format!("{name}-{jobs}"), |b| {
                b.iter(|| black_box(execute(s, &opts).expect("the runs run")))
            });
        }
    }
    group.finish();
}

/// `lone_draw`: one state's retaliation uniform, as the retaliation rule draws it for each
/// new member (one ChaCha block computed for the one word it needs).
fn lone_draws(c: &mut Criterion) {
    let draws = waico::sim::rng::Draws::new(7);
    let mut state = 0u32;
    c.bench_function("lone_draw", |b| {
        b.iter(|| {
            state = (state + 1) % 196;
            black_box(draws.one(30, waico::sim::rng::Purpose::Retaliate, state))
        })
    });
}

criterion_group!(
    benches,
    run_baseline,
    run_and_write,
    tables,
    charts,
    scale,
    sweep,
    ensemble,
    lone_draws
);
criterion_main!(benches);
