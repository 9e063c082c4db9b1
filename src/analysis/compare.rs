//! Comparing two scenarios over common random numbers: both are run on the same seeds,
//! and each seed's path under B is set against its path under A. Randomness is addressed
//! by (seed, tick, purpose, state), so a state draws the same uniforms under both
//! scenarios and the per-seed differences come from the scenarios alone; comparing a
//! scenario with itself gives exactly zero.
//!
//! Runs go in parallel (rayon, one reusable [`Runner`](crate::sim::Runner) per thread, each run single-threaded)
//! and are gathered in seed order, so every file is the same at any number of jobs.
//! [`compare`] makes the [`Comparison`]; [`Comparison::files`] turns it into the folder's
//! files; [`Comparison::report`] into the short table the command prints.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::AnalysisError;
use super::ensemble::digest::final_bars;
use super::shifts::{self, StateShift};
use crate::model::Status;
use crate::output::OutputError;
use crate::output::charts::{self, difference::DifferenceChart};
use crate::output::maps;
use crate::output::tables::num;
use crate::scenario::Scenario;
use crate::sim::output::{Cell, RunOutput};
use crate::sweep::stats::{Stats, stats};
use crate::time::Date;
use crate::world::resources::Detail;
use crate::world::spawn::Prepared;

/// The measures `difference.csv` compares, as column prefixes.
pub const MEASURES: [&str; 3] = ["members", "partners", "member_gdp_share"];

/// The statistics of each measure in `difference.csv`, as column suffixes.
pub const MEASURE_STATS: [&str; 9] = [
    "mean_a",
    "mean_b",
    "diff_mean",
    "diff_sd",
    "diff_q05",
    "diff_q25",
    "diff_q50",
    "diff_q75",
    "diff_q95",
];

/// The files of a comparison folder, in the order they are written.
pub const FILES: [&str; 9] = [
    "difference.csv",
    "states.csv",
    "compare.png",
    "compare.svg",
    "shift-member.png",
    "shift-member.svg",
    "shift-in.png",
    "shift-in.svg",
    "manifest.json",
];

/// The columns of `difference.csv`: `tick`, `date`, `paths_differ_share`, then
/// `<measure>_<stat>` for every measure and statistic.
pub fn difference_columns() -> Vec<String> {
    let mut cols = vec![
        "tick".to_owned(),
        "date".to_owned(),
        "paths_differ_share".to_owned(),
    ];
    for m in MEASURES {
        cols.extend(MEASURE_STATS.iter().map(|s| format!("{m}_{s}")));
    }
    cols
}

/// Which seeds to run and on how many threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Number of seeds (at least 1).
    pub seeds: u64,
    /// The first seed; seeds are `first_seed .. first_seed + seeds`.
    pub first_seed: u64,
    /// Worker threads.
    pub jobs: usize,
}

/// One scenario of a comparison, as the manifest records it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Side {
    /// Scenario name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// The file's label (path or `built-in baseline`).
    pub file: String,
    /// Overrides applied on top of the file.
    pub overrides: Vec<String>,
    /// SHA-256 of the scenario text (and overrides).
    pub sha256: String,
    /// The world file.
    pub nations: String,
    /// Its SHA-256.
    pub nations_sha256: String,
    /// The trade file.
    pub trade: String,
    /// Its SHA-256.
    pub trade_sha256: String,
}

impl Side {
    fn of(s: &Scenario) -> Side {
        Side {
            name: s.name.clone(),
            description: s.description.clone(),
            file: s.label.clone(),
            overrides: s.overrides.clone(),
            sha256: s.sha256.clone(),
            nations: s.world.nations_source.clone(),
            nations_sha256: s.world.nations_sha256.clone(),
            trade: s.world.trade_source.clone(),
            trade_sha256: s.world.trade_sha256.clone(),
        }
    }
}

/// One measure at one tick: the means under A and B and the statistics of the per-seed
/// difference B - A.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasureDifference {
    /// Mean over seeds under A.
    pub mean_a: f64,
    /// Mean over seeds under B.
    pub mean_b: f64,
    /// Mean, sample standard deviation and quantiles of B - A over seeds.
    pub diff: Stats,
}

/// Every measure at one tick (a row of `difference.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct TickDifference {
    /// Tick number.
    pub tick: u32,
    /// The tick's date.
    pub date: Date,
    /// Seeds in which the member or partner count differs between A and B at this tick.
    pub differ: u32,
    /// Members, partners and member GDP share, in the order of [`MEASURES`].
    pub measures: [MeasureDifference; 3],
}

/// The result of comparing scenario B with scenario A over common seeds.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// Scenario A.
    pub a: Side,
    /// Scenario B.
    pub b: Side,
    /// The body's name (from A).
    pub body: String,
    /// The first seed.
    pub first_seed: u64,
    /// Number of seeds.
    pub seeds: u64,
    /// The tick unit's name.
    pub tick_unit: &'static str,
    /// One row per tick.
    pub ticks: Vec<TickDifference>,
    /// Every state's shift, the largest first, then by code ([`shifts::rank`]).
    pub shifts: Vec<StateShift>,
    /// Number of states.
    pub states: usize,
    /// The world (A's), for the maps.
    pub world: std::sync::Arc<crate::world::WorldData>,
    /// The host and the opposing power (A's), marked on the maps.
    pub powers: maps::Powers,
}

/// What one run leaves for a comparison.
struct Path {
    members: Vec<u32>,
    partners: Vec<u32>,
    gdp_share: Vec<f64>,
    last: Vec<Status>,
    barred: Vec<bool>,
}

impl Path {
    fn of(prepared: &Prepared, run: &RunOutput) -> Path {
        Path {
            members: run.ticks.iter().map(|t| t.members).collect(),
            partners: run.ticks.iter().map(|t| t.partners).collect(),
            gdp_share: run.ticks.iter().map(|t| t.member_gdp_share).collect(),
            last: final_statuses(prepared, run),
            barred: final_bars(prepared, run)
                .iter()
                .map(|b| !b.is_empty())
                .collect(),
        }
    }

    fn value(&self, measure: usize, tick: usize) -> f64 {
        match measure {
            0 => f64::from(self.members[tick]),
            1 => f64::from(self.partners[tick]),
            _ => self.gdp_share[tick],
        }
    }
}

/// Every state's status at the end of a run, from its initial status and the run's joins,
/// exits, upgrades and downgrades (so a run recorded without full detail suffices).
pub fn final_statuses(prepared: &Prepared, run: &RunOutput) -> Vec<Status> {
    let mut status: Vec<Status> = prepared
        .bundles
        .iter()
        .map(|b| b.membership.status)
        .collect();
    for e in &run.events {
        if matches!(e.kind, "join" | "exit" | "upgrade" | "downgrade")
            && let (Some(i), Cell::Status(to)) = (e.state, e.to)
        {
            status[i as usize] = to;
        }
    }
    status
}

/// Fails unless `a` and `b` have the same states and the same calendar: only then does a
/// seed give the two scenarios the same random numbers at the same dates.
pub fn check_comparable(a: &Scenario, b: &Scenario) -> Result<(), AnalysisError> {
    let codes =
        |s: &Scenario| -> Vec<String> { s.world.nations.iter().map(|n| n.iso3.clone()).collect() };
    let (ca, cb) = (codes(a), codes(b));
    if ca != cb {
        let only = |x: &[String], y: &[String]| -> String {
            let list: Vec<&str> = x
                .iter()
                .filter(|c| y.binary_search(c).is_err())
                .map(String::as_str)
                .collect();
            match list.len() {
                0 => "none".to_owned(),
                n if n > 8 => format!("{} and {} more", list[..8].join(", "), n - 8),
                _ => list.join(", "),
            }
        };
        return Err(AnalysisError::Incomparable(format!(
            "{} and {} have different states (only in {}: {}; only in {}: {})\n  help: compare scenarios with the same world file; a state can be neutralised with `[states.ISO3]` instead of removed",
            a.label,
            b.label,
            a.name,
            only(&ca, &cb),
            b.name,
            only(&cb, &ca)
        )));
    }
    if a.calendar != b.calendar {
        let describe = |s: &Scenario| {
            format!(
                "{} runs {} to {} by {} ({} ticks)",
                s.label,
                s.calendar.start(),
                s.calendar.last_date(),
                s.calendar.unit().name(),
                s.calendar.last_tick()
            )
        };
        return Err(AnalysisError::Incomparable(format!(
            "the two scenarios have different calendars: {}, {}\n  help: give both the same `scenario.start`, `scenario.end` and `scenario.tick`",
            describe(a),
            describe(b)
        )));
    }
    Ok(())
}

/// Runs `a` and `b` on the same seeds and compares them.
pub fn compare(a: &Scenario, b: &Scenario, opts: &Options) -> Result<Comparison, AnalysisError> {
    check_comparable(a, b)?;
    if opts.seeds == 0 {
        return Err(AnalysisError::Options(
            "--seeds must be at least 1".to_owned(),
        ));
    }
    let Some(last) = opts.first_seed.checked_add(opts.seeds - 1) else {
        return Err(AnalysisError::Options(format!(
            "--first-seed {} with --seeds {} runs past the largest seed {}",
            opts.first_seed,
            opts.seeds,
            u64::MAX
        )));
    };
    let (pa, pb) = (Arc::new(Prepared::new(a)), Arc::new(Prepared::new(b)));
    let jobs = opts.jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|_| AnalysisError::Threads(jobs))?;
    let seeds: Vec<u64> = (opts.first_seed..=last).collect();
    let paths: Vec<(Path, Path)> = pool.install(|| {
        seeds
            .par_iter()
            .map(|&seed| {
                crate::sim::with_thread_runner(|runner| {
                    let run_a = runner.run(&pa, seed, Detail::Series);
                    let path_a = Path::of(&pa, &run_a);
                    let run_b = runner.run(&pb, seed, Detail::Series);
                    (path_a, Path::of(&pb, &run_b))
                })
            })
            .collect()
    });

    let dates = a.calendar.dates();
    let n = paths.len() as f64;
    let ticks = dates
        .iter()
        .enumerate()
        .map(|(t, &date)| TickDifference {
            tick: t as u32,
            date,
            differ: paths
                .iter()
                .filter(|(pa, pb)| {
                    pa.members[t] != pb.members[t] || pa.partners[t] != pb.partners[t]
                })
                .count() as u32,
            measures: [0, 1, 2].map(|m| {
                let (mut sum_a, mut sum_b) = (0.0, 0.0);
                let mut diffs = Vec::with_capacity(paths.len());
                for (pa, pb) in &paths {
                    let (x, y) = (pa.value(m, t), pb.value(m, t));
                    sum_a += x;
                    sum_b += y;
                    diffs.push(y - x);
                }
                MeasureDifference {
                    mean_a: sum_a / n,
                    mean_b: sum_b / n,
                    diff: stats(&diffs),
                }
            }),
        })
        .collect();

    let states = a.world.nations.len();
    let mut shifts: Vec<StateShift> = (0..states as u32)
        .map(|i| {
            let mut shift = StateShift::new(&a.world, i);
            for (pa, pb) in &paths {
                shift.add(pa.last[i as usize], pb.last[i as usize]);
                shift.add_barred(pa.barred[i as usize], pb.barred[i as usize]);
            }
            shift
        })
        .collect();
    shifts::rank(&mut shifts);

    Ok(Comparison {
        a: Side::of(a),
        b: Side::of(b),
        body: a.body.name.clone(),
        first_seed: opts.first_seed,
        seeds: opts.seeds,
        tick_unit: a.calendar.unit().name(),
        ticks,
        shifts,
        states,
        world: a.world.clone(),
        powers: maps::powers(&a.world, a.body.host, a.body.opponent),
    })
}

#[derive(Serialize)]
struct Manifest<'a> {
    waico_version: &'static str,
    kind: &'static str,
    body: &'a str,
    a: &'a Side,
    b: &'a Side,
    seeds: SeedInfo,
    run: RunInfo,
    files: Vec<&'static str>,
    summary: SummaryInfo,
}

/// The chart of a comparison: the difference in members, B minus A, over time.
fn difference_chart(
    body: &str,
    (a, b): (&str, &str),
    seeds: u64,
    dates: Vec<Date>,
    quantiles: Vec<[f64; 5]>,
    parts: Option<(Date, f64)>,
) -> DifferenceChart {
    DifferenceChart {
        title: format!(
            "{body} members: {b} minus {a}, {}",
            if seeds == 1 {
                "1 seed".to_owned()
            } else {
                format!("{seeds} seeds")
            }
        ),
        y_desc: format!("members under {b} minus under {a} (same seed)"),
        dates,
        quantiles,
        parts,
    }
}

/// Redraws the chart of the comparison folder `dir` from its `manifest.json` and
/// `difference.csv`; the error names the file and what is wrong.
pub fn redraw(dir: &std::path::Path) -> Result<charts::Rendered, String> {
    let path = dir.join("manifest.json");
    let m: serde_json::Value = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let text = |p: &str| {
        m.pointer(p)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
    };
    let seeds = m
        .pointer("/seeds/count")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    let path = dir.join("difference.csv");
    let csv = crate::output::compress::read_text(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let bad = |e: csv::Error| format!("{}: {e}", path.display());
    let header: Vec<String> = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(str::to_owned)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let need =
        |name: &str| col(name).ok_or_else(|| format!("{} has no `{name}` column", path.display()));
    let date = need("date")?;
    let q: Vec<usize> = ["q05", "q25", "q50", "q75", "q95"]
        .iter()
        .map(|s| need(&format!("members_diff_{s}")))
        .collect::<Result<_, _>>()?;
    let differ = col("paths_differ_share");
    let (mut dates, mut quantiles, mut parts) = (Vec::new(), Vec::new(), None);
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(bad)?;
        let at = |k: usize| record.get(k).unwrap_or("");
        let number = |k: usize| {
            at(k)
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    format!(
                        "{}, line {}: `{}` is not a number",
                        path.display(),
                        line + 2,
                        at(k)
                    )
                })
        };
        let d = Date::parse(at(date))
            .map_err(|e| format!("{}, line {}: {e}", path.display(), line + 2))?;
        if let Some(k) = differ
            && parts.is_none()
            && number(k)? > 0.0
        {
            parts = Some((d, number(k)?));
        }
        dates.push(d);
        quantiles.push([
            number(q[0])?,
            number(q[1])?,
            number(q[2])?,
            number(q[3])?,
            number(q[4])?,
        ]);
    }
    let body = match text("/body") {
        "" => "the body's",
        body => body,
    };
    charts::render(&difference_chart(
        body,
        (text("/a/name"), text("/b/name")),
        seeds,
        dates,
        quantiles,
        parts,
    ))
    .map_err(|e| e.to_string())
}

#[derive(Serialize)]
struct SeedInfo {
    first: u64,
    last: u64,
    count: u64,
}

/// The calendar both scenarios share: `ticks` steps after tick 0, `rows` = `ticks` + 1
/// rows of `difference.csv`, the first dated `start`, the last `end`.
#[derive(Serialize)]
struct RunInfo {
    start: String,
    end: String,
    tick: &'static str,
    ticks: usize,
    rows: usize,
    states: usize,
}

#[derive(Serialize)]
struct SummaryInfo {
    final_members_mean_a: f64,
    final_members_mean_b: f64,
    final_members_diff_mean: f64,
    states_differing: usize,
}

fn csv_err(e: csv::Error) -> OutputError {
    OutputError::Csv(e.to_string())
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, OutputError> {
    writer
        .into_inner()
        .map_err(|e| OutputError::Csv(e.error().to_string()))
}

/// `count` as a share of `seeds`.
fn share(count: u32, seeds: u64) -> f64 {
    f64::from(count) / seeds as f64
}

/// Rounded for the manifest, like a run's summary.
fn round6(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 { 0.0 } else { r }
}

impl Comparison {
    /// The first date at which the member or partner count differs in some seed, with
    /// the share of seeds in which it does then.
    pub fn parts(&self) -> Option<(Date, f64)> {
        self.ticks
            .iter()
            .find(|t| t.differ > 0)
            .map(|t| (t.date, share(t.differ, self.seeds)))
    }

    /// The last tick of each calendar year, and the last tick of the run.
    pub fn year_ends(&self) -> Vec<&TickDifference> {
        self.ticks
            .iter()
            .enumerate()
            .filter(|(k, t)| {
                self.ticks
                    .get(k + 1)
                    .is_none_or(|next| next.date.ymd().0 != t.date.ymd().0)
            })
            .filter(|(_, t)| t.tick > 0)
            .map(|(_, t)| t)
            .collect()
    }

    /// `difference.csv`: one row per tick.
    pub fn difference_csv(&self) -> Result<Vec<u8>, OutputError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(difference_columns()).map_err(csv_err)?;
        for t in &self.ticks {
            let mut record = vec![
                t.tick.to_string(),
                t.date.to_string(),
                num(share(t.differ, self.seeds)),
            ];
            for m in &t.measures {
                record.extend([
                    num(m.mean_a),
                    num(m.mean_b),
                    num(m.diff.mean),
                    num(m.diff.sd),
                ]);
                record.extend(m.diff.quantiles.iter().map(|&q| num(q)));
            }
            w.write_record(&record).map_err(csv_err)?;
        }
        finish(w)
    }

    /// Every file of the comparison folder, as (name, bytes), in the order of [`FILES`].
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
        let chart = charts::render(&difference_chart(
            &self.body,
            (&self.a.name, &self.b.name),
            self.seeds,
            self.ticks.iter().map(|t| t.date).collect(),
            self.ticks
                .iter()
                .map(|t| t.measures[0].diff.quantiles)
                .collect(),
            self.parts(),
        ))?;
        let last = self.ticks.last().map(|t| t.measures[0]);
        let manifest = Manifest {
            waico_version: env!("CARGO_PKG_VERSION"),
            kind: "compare",
            body: &self.body,
            a: &self.a,
            b: &self.b,
            seeds: SeedInfo {
                first: self.first_seed,
                last: self.first_seed + (self.seeds - 1),
                count: self.seeds,
            },
            run: RunInfo {
                start: self
                    .ticks
                    .first()
                    .map_or(String::new(), |t| t.date.to_string()),
                end: self
                    .ticks
                    .last()
                    .map_or(String::new(), |t| t.date.to_string()),
                tick: self.tick_unit,
                ticks: self.ticks.len().saturating_sub(1),
                rows: self.ticks.len(),
                states: self.states,
            },
            files: FILES.to_vec(),
            summary: SummaryInfo {
                final_members_mean_a: round6(last.map_or(0.0, |m| m.mean_a)),
                final_members_mean_b: round6(last.map_or(0.0, |m| m.mean_b)),
                final_members_diff_mean: round6(last.map_or(0.0, |m| m.diff.mean)),
                states_differing: self.shifts.iter().filter(|f| f.differs > 0).count(),
            },
        };
        let mut manifest_bytes =
            serde_json::to_vec_pretty(&manifest).map_err(|e| OutputError::Json(e.to_string()))?;
        manifest_bytes.push(b'\n');
        let [member, inside] = shifts::shift_maps(
            &self.world,
            &self.shifts,
            self.powers.clone(),
            (&self.a.name, &self.b.name),
            self.seeds,
        );
        let mut files = vec![
            ("difference.csv".to_owned(), self.difference_csv()?),
            ("states.csv".to_owned(), shifts::states_csv(&self.shifts)?),
            ("compare.png".to_owned(), chart.png),
            ("compare.svg".to_owned(), chart.svg),
        ];
        for map in [member, inside] {
            let drawn = charts::render(&map)?;
            files.push((format!("{}.png", drawn.name), drawn.png));
            files.push((format!("{}.svg", drawn.name), drawn.svg));
        }
        files.push(("manifest.json".to_owned(), manifest_bytes));
        Ok(files)
    }

    /// The short report the command prints: the difference in members at the end of each
    /// year, and the states whose final status differs most often (at most `top`).
    pub fn report(&self, top: usize) -> String {
        let mut out = String::new();
        let (a, b) = (&self.a.name, &self.b.name);
        let (first, last) = (
            self.ticks.first().map(|t| t.date),
            self.ticks.last().map(|t| t.date),
        );
        out.push_str(&format!(
            "{b} vs {a}: {} ({} to {}), {} to {}, by {}\n",
            if self.seeds == 1 {
                "1 seed".to_owned()
            } else {
                format!("{} seeds", self.seeds)
            },
            self.first_seed,
            self.first_seed + (self.seeds - 1),
            first.map(|d| d.to_string()).unwrap_or_default(),
            last.map(|d| d.to_string()).unwrap_or_default(),
            self.tick_unit
        ));
        for (label, side) in [("A", &self.a), ("B", &self.b)] {
            if !side.overrides.is_empty() {
                out.push_str(&format!(
                    "  {label} = {} with --set {}\n",
                    side.file,
                    side.overrides.join(" --set ")
                ));
            }
        }
        out.push_str(&format!(
            "  members at the end of each year, {b} minus {a} on the same seed:\n    {:<10}  {:>8}  {:>8}  {:>8}  {:>7}  {:>7}  {:>7}\n",
            "date", "mean A", "mean B", "diff", "5%", "median", "95%"
        ));
        for t in self.year_ends() {
            let m = &t.measures[0];
            let signed = |x: f64| {
                let s = format!("{x:+.1}");
                if s == "-0.0" || s == "+0.0" {
                    "0.0".to_owned()
                } else {
                    s
                }
            };
            out.push_str(&format!(
                "    {:<10}  {:>8.1}  {:>8.1}  {:>8}  {:>7}  {:>7}  {:>7}\n",
                t.date.to_string(),
                m.mean_a,
                m.mean_b,
                signed(m.diff.mean),
                signed(m.diff.quantiles[0]),
                signed(m.diff.quantiles[2]),
                signed(m.diff.quantiles[4]),
            ));
        }
        let differing = self.shifts.iter().filter(|f| f.differs > 0).count();
        if differing == 0 {
            out.push_str(&format!(
                "  no state's final status differs in any seed (of {} states)\n",
                self.states
            ));
        } else {
            out.push_str(&format!(
                "  final status differs in at least one seed for {differing} of {} states; the {top} largest shifts at the end,\n  {b} minus {a} on the same seeds (95% interval, Newcombe's paired score method):\n",
                self.states
            ));
            out.push_str(&shifts::report(&self.shifts, top));
        }
        out
    }
}
