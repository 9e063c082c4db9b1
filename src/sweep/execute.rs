//! Executing a sweep, or one shard of it: blocks of runs in parallel (rayon, one reusable
//! [`Runner`](crate::sim::Runner) per thread), results written in run order by a writer
//! thread while the next block runs, a lock against two writers, resumption after any
//! interruption, and failed runs recorded, not fatal.
//!
//! Files are appended run by run; a design point's summary rows are written when its last
//! run is. On `--resume`, the first design point whose rows are not all written is run
//! again from its first run, so the finished files equal those of an uninterrupted sweep.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::Sweep;
pub use super::error::SweepError;
use super::error::io;
use super::lock;
use super::shard::Layout;
pub use super::shard::Shard;
use super::states::{self, Found, Kept, StatesWriter};
use super::tables::{self, Values};
use super::tally::{SPILL_RUNS, Tally};
use crate::analysis::ensemble::digest::Digest;
use crate::output::folder;
use crate::sim;
use crate::world::resources::Detail;
use crate::world::spawn::Prepared;

/// How to execute a sweep.
#[derive(Clone)]
pub struct Options {
    /// The output folder.
    pub out: PathBuf,
    /// Worker threads.
    pub jobs: usize,
    /// Continue an interrupted sweep in `out`.
    pub resume: bool,
    /// Start over, replacing what `out` holds.
    pub force: bool,
    /// Which slice of the runs.
    pub shard: Shard,
    /// Call with (runs done, runs to do) as blocks finish.
    pub progress: Option<Arc<dyn Fn(u64, u64) + Send + Sync>>,
    /// For tests: make this run panic, to check that failures are recorded.
    pub fail_run: Option<u64>,
    /// How often an ensemble saves its tally (`tally.csv`) to resume from.
    pub checkpoint: Duration,
}

/// How often an ensemble saves its tally by default.
pub const CHECKPOINT: Duration = Duration::from_secs(5);

/// What an execution did.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Runs executed now (not counting those a resume kept).
    pub executed: u64,
    /// Runs of this shard already done before a resume.
    pub kept: u64,
    /// Runs that failed.
    pub failed: u64,
    /// Seconds spent running.
    pub seconds: f64,
    /// The holder of a stale lock this execution took over, described for a message.
    pub took_over: Option<String>,
}

/// Runs per block: enough to keep every thread busy, few enough to bound memory.
const BLOCK_PER_JOB: u64 = 128;

/// The scratch file of a design point's shares (see [`super::tally`]); removed as soon as
/// it is opened.
const SCRATCH: &str = ".summary-scratch";

/// The output files of a shard.
struct Files {
    runs: File,
    series: Option<File>,
    summary: Option<File>,
    partial: Option<File>,
    dir: PathBuf,
}

impl Files {
    fn write(file: &mut File, dir: &Path, name: &str, text: &str) -> Result<(), SweepError> {
        file.write_all(text.as_bytes()).map_err(io(&dir.join(name)))
    }
}

/// A finished (or failed) run, formatted.
struct Done {
    run: u64,
    point: u64,
    row: String,
    series: String,
    values: Option<Values>,
    digest: Option<Digest>,
}

/// A computed block of runs, in run order, with the design points they ran.
struct Block {
    done: Vec<Done>,
    prepared: BTreeMap<u64, Arc<Prepared>>,
}

/// Appends finished blocks to the shard's files and writes each design point's summary
/// once its last run is in.
struct Writer<'a> {
    sweep: &'a Sweep,
    files: Files,
    layout: &'a Layout,
    pending: Tally,
    failed: u64,
    states: Option<StatesWriter>,
}

impl Writer<'_> {
    fn write_block(&mut self, block: Block) -> Result<(), SweepError> {
        let files = &mut self.files;
        for d in block.done {
            if d.values.is_none() {
                self.failed += 1;
            }
            if let Some(series) = files.series.as_mut() {
                Files::write(series, &files.dir, "series.csv", &d.series)?;
            }
            let whole = self.layout.whole(d.point);
            let dates = block.prepared[&d.point].calendar.dates();
            if !whole && let (Some(partial), Some(values)) = (files.partial.as_mut(), &d.values) {
                let rows = tables::partial_rows(d.run, d.point, values, dates);
                Files::write(partial, &files.dir, "partial.csv", &rows)?;
            }
            Files::write(&mut files.runs, &files.dir, "runs.csv", &d.row)?;
            if whole && let Some(summary) = files.summary.as_mut() {
                let scratch = files.dir.join(SCRATCH);
                if let Some(values) = d.values {
                    self.pending.add(&values).map_err(io(&scratch))?;
                }
                if d.run == (d.point + 1) * self.layout.replicates - 1 {
                    let ticks = self.pending.ticks(dates.len()).map_err(io(&scratch))?;
                    let runs = self.pending.runs();
                    let rows = tables::summary_rows(self.sweep, d.point, runs, &ticks, dates);
                    Files::write(summary, &files.dir, "summary.csv", &rows)?;
                    self.pending.clear();
                }
            }
            if let Some(states) = self.states.as_mut() {
                let prepared = &block.prepared[&d.point];
                states.add(self.sweep, self.layout, d.run, d.digest.as_ref(), prepared)?;
            }
        }
        if let Some(states) = self.states.as_mut() {
            states.after_block()?;
        }
        Ok(())
    }
}

fn execute_one(
    sweep: &Sweep,
    prepared: &Prepared,
    run: u64,
    keep_series: bool,
    fail_run: Option<u64>,
) -> Done {
    let (point, replicate) = sweep.locate_run(run);
    let seed = sweep.seed_for(point, replicate);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if fail_run == Some(run) {
            panic!("run {run} failed on purpose (--fail-run)");
        }
        sim::with_thread_runner(|runner| runner.run(prepared, seed, Detail::Series))
    }))
    .map_err(|payload| {
        // A runner that panicked may hold a half-updated world: start afresh.
        sim::drop_thread_runner();
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the run panicked".to_owned())
    })
    .and_then(|output| {
        // No non-finite number reaches runs.csv, series.csv or summary.csv.
        crate::output::finite::check_ticks(&output)
            .map(|()| output)
            .map_err(|e| e.to_string())
    });
    match outcome {
        Ok(output) => Done {
            run,
            point,
            row: tables::run_row(sweep, run, seed, &output),
            series: if keep_series {
                tables::series_rows(run, &output)
            } else {
                String::new()
            },
            values: Some(tables::values(&output)),
            digest: sweep.states.then(|| Digest::of(prepared, &output)),
        },
        Err(message) => Done {
            run,
            point,
            row: tables::failed_row(sweep, run, seed, &message),
            series: String::new(),
            values: None,
            digest: None,
        },
    }
}

/// Refuses a folder the options do not allow writing: a folder of another kind (a run, a
/// comparison, an ensemble for a sweep or a sweep for an ensemble) whatever the flags, a
/// folder of the sweep's own kind without `--resume` or `--force` (saying whether it was
/// interrupted), anything else but an empty folder.
fn check_folder(
    sweep: &Sweep,
    dir: &Path,
    existing: bool,
    opts: &Options,
) -> Result<(), SweepError> {
    let (own, noun) = if sweep.ensemble.is_some() {
        ("ensemble", "an ensemble")
    } else {
        ("sweep", "a sweep")
    };
    let kind = folder::kind_of(dir);
    if existing && kind.name() != own {
        return Err(SweepError::Folder(format!(
            "{} exists and {}; {noun} writes only into a new or empty folder or a folder of its own kind, so it is left untouched\n  help: choose another --out",
            dir.display(),
            kind.describe()
        )));
    }
    if existing && !opts.resume && !opts.force {
        return Err(SweepError::Folder(match lock::state(dir) {
            lock::State::Free => format!(
                "{} already holds {noun} (finished, or stopped by an error); pass --resume to finish it, or --force to start over",
                dir.display()
            ),
            lock::State::Live(holder) => format!(
                "{} is being written by another sweep ({}); wait for it to finish, or use another --out",
                dir.display(),
                holder.describe()
            ),
            stale => lock::interrupted(dir, &stale),
        }));
    }
    // A sweep killed before writing its manifest leaves only its lock.
    let empty = fs::read_dir(dir).map_or(true, |entries| {
        entries
            .flatten()
            .all(|e| [lock::LOCK, "manifest.json.tmp"].contains(&&*e.file_name().to_string_lossy()))
    });
    if !existing && !empty {
        // --force replaces a sweep, never a folder of other files.
        return Err(SweepError::Folder(format!(
            "{} exists and is not a sweep folder; use another --out",
            dir.display()
        )));
    }
    Ok(())
}

/// Executes `sweep` (its shard `opts.shard`) into `opts.out`.
pub fn execute(sweep: &Sweep, opts: &Options) -> Result<Report, SweepError> {
    let started = Instant::now();
    let dir = &opts.out;
    let manifest = super::manifest::manifest_json(sweep, opts.shard)?;
    let manifest_path = dir.join("manifest.json");
    let existing = manifest_path.exists();
    check_folder(sweep, dir, existing, opts)?;
    fs::create_dir_all(dir).map_err(io(dir))?;
    let (_lock, replaced) = lock::take(dir, opts.resume || opts.force)?;
    let resuming = existing && opts.resume && !opts.force;
    if resuming {
        let old = fs::read(&manifest_path).map_err(io(&manifest_path))?;
        if old != manifest {
            return Err(SweepError::Folder(format!(
                "{} holds a different sweep (or another shard); use another --out, or --force to start over",
                dir.display()
            )));
        }
    } else if dir.exists() {
        for entry in fs::read_dir(dir).map_err(io(dir))?.flatten() {
            if entry.file_name() != lock::LOCK {
                let p = entry.path();
                if p.is_dir() {
                    fs::remove_dir_all(&p)
                } else {
                    fs::remove_file(&p)
                }
                .map_err(io(&p))?;
            }
        }
    }
    let layout = Layout {
        range: opts.shard.range(sweep.runs()),
        replicates: u64::from(sweep.replicates),
    };
    let (restart, kept) = if resuming {
        prepare_resume(sweep, dir, &layout)?
    } else {
        (layout.range.start, Kept::default())
    };
    if !resuming {
        write_new(&manifest_path, &manifest)?;
    }
    let files = open_files(sweep, dir, &layout, resuming)?;
    let states = if sweep.states {
        Some(StatesWriter::open(
            sweep,
            dir,
            resuming,
            kept,
            opts.checkpoint,
        )?)
    } else {
        None
    };

    let jobs = opts.jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|_| SweepError::Threads(jobs))?;
    let block = BLOCK_PER_JOB * jobs as u64;
    let mut prepared: BTreeMap<u64, Arc<Prepared>> = BTreeMap::new();
    let total = layout.range.end - restart;
    let mut writer = Writer {
        sweep,
        files,
        layout: &layout,
        pending: Tally::spilling(dir.join(SCRATCH), SPILL_RUNS),
        failed: 0,
        states,
    };
    // The blocks are computed on the pool while a writer thread appends the previous one,
    // so writing never idles the workers. The channel holds one block, so at most three
    // are in memory (being written, waiting, being computed) whatever the number of runs.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Block>(1);
    let (computed, written) = std::thread::scope(|scope| {
        let writing = scope.spawn(move || -> Result<Writer<'_>, SweepError> {
            for block in receiver {
                writer.write_block(block)?;
            }
            Ok(writer)
        });
        let mut next = restart;
        let computed = (|| -> Result<(), SweepError> {
            while next < layout.range.end {
                let ids: Vec<u64> = (next..(next + block).min(layout.range.end)).collect();
                let first_point = sweep.locate_run(ids[0]).0;
                let last_point = sweep.locate_run(*ids.last().unwrap_or(&ids[0])).0;
                prepared.retain(|&p, _| p >= first_point);
                let missing: Vec<u64> = (first_point..=last_point)
                    .filter(|p| !prepared.contains_key(p))
                    .collect();
                let built: Vec<Result<(u64, Arc<Prepared>), SweepError>> = pool.install(|| {
                    missing
                        .par_iter()
                        .map(|&p| Ok((p, Arc::new(Prepared::new(&sweep.scenario(p)?)))))
                        .collect()
                });
                for b in built {
                    let (p, prep) = b?;
                    prepared.insert(p, prep);
                }
                let done: Vec<Done> = pool.install(|| {
                    ids.par_iter()
                        .map(|&run| {
                            let point = sweep.locate_run(run).0;
                            execute_one(sweep, &prepared[&point], run, sweep.series, opts.fail_run)
                        })
                        .collect()
                });
                let block = Block {
                    done,
                    prepared: prepared.clone(),
                };
                if sender.send(block).is_err() {
                    // The writer stopped on an error; joining it below reports the error.
                    return Ok(());
                }
                next = ids.last().map_or(next, |l| l + 1);
                if let Some(progress) = &opts.progress {
                    progress(next - restart, total);
                }
            }
            Ok(())
        })();
        drop(sender);
        let written = writing
            .join()
            .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
        (computed, written)
    });
    let writer = written?;
    computed?;
    let mut writer = writer;
    let failed = writer.failed;
    let files = &mut writer.files;
    for (file, name) in [
        (Some(&mut files.runs), "runs.csv"),
        (files.series.as_mut(), "series.csv"),
        (files.summary.as_mut(), "summary.csv"),
        (files.partial.as_mut(), "partial.csv"),
    ] {
        if let Some(f) = file {
            f.sync_all().map_err(io(&dir.join(name)))?;
        }
    }
    if let Some(states) = writer.states.as_mut() {
        states.sync()?;
    }
    Ok(Report {
        executed: layout.range.end - restart,
        kept: restart - layout.range.start,
        failed,
        seconds: started.elapsed().as_secs_f64(),
        took_over: replaced.map(|stale| match stale {
            lock::State::Stale(Some(holder)) => holder.describe(),
            _ => "an unreadable lock".to_owned(),
        }),
    })
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), SweepError> {
    let tmp = path.with_extension("json.tmp");
    fs::write(&tmp, bytes).map_err(io(&tmp))?;
    fs::rename(&tmp, path).map_err(io(path))
}

fn open_files(
    sweep: &Sweep,
    dir: &Path,
    layout: &Layout,
    resuming: bool,
) -> Result<Files, SweepError> {
    let open = |name: &str, header: &str| -> Result<File, SweepError> {
        let path = dir.join(name);
        if resuming && path.exists() {
            OpenOptions::new()
                .append(true)
                .open(&path)
                .map_err(io(&path))
        } else {
            let mut f = File::create(&path).map_err(io(&path))?;
            f.write_all(header.as_bytes()).map_err(io(&path))?;
            Ok(f)
        }
    };
    Ok(Files {
        runs: open("runs.csv", &tables::runs_header(sweep))?,
        series: if sweep.series {
            Some(open("series.csv", tables::SERIES_HEADER)?)
        } else {
            None
        },
        summary: if sweep.summary {
            Some(open("summary.csv", &tables::summary_header(sweep))?)
        } else {
            None
        },
        partial: if sweep.summary && layout.has_split_point() {
            Some(open("partial.csv", tables::PARTIAL_HEADER)?)
        } else {
            None
        },
        dir: dir.to_path_buf(),
    })
}

/// Reads the leading number of every data line of `path` (after the header), stopping at
/// a line cut short (no newline).
fn leading_numbers(path: &Path) -> Result<Vec<(u64, u64)>, SweepError> {
    let mut out = Vec::new();
    let Ok(file) = File::open(path) else {
        return Ok(out);
    };
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut offset = 0u64;
    let mut header = true;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(io(path))?;
        if n == 0 || line.last() != Some(&b'\n') {
            break;
        }
        if !header {
            let first = line.split(|&b| b == b',').next().unwrap_or_default();
            let value = std::str::from_utf8(first)
                .ok()
                .and_then(|t| t.parse::<u64>().ok());
            match value {
                Some(v) => out.push((v, offset)),
                None => break,
            }
        }
        header = false;
        offset += n as u64;
    }
    Ok(out)
}

/// Cuts `path` before the first data line whose leading number is at least `from` (and
/// any line cut short).
fn truncate_from(path: &Path, from: u64) -> Result<(), SweepError> {
    if !path.exists() {
        return Ok(());
    }
    let lines = leading_numbers(path)?;
    let cut = match lines.iter().find(|(v, _)| *v >= from) {
        Some(&(_, offset)) => offset,
        None => {
            // Keep every whole line: find where the last complete line ends.
            let bytes = fs::read(path).map_err(io(path))?;
            bytes
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i as u64 + 1)
        }
    };
    let file = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(io(path))?;
    file.set_len(cut).map_err(io(path))
}

/// Finds where an interrupted shard must restart and cuts every file back to it; returns
/// the restart and what the per-state tables keep (an ensemble may continue from its
/// saved tally rather than from its first run).
fn prepare_resume(sweep: &Sweep, dir: &Path, layout: &Layout) -> Result<(u64, Kept), SweepError> {
    let mut summary: BTreeMap<u64, usize> = BTreeMap::new();
    for (p, _) in leading_numbers(&dir.join("summary.csv"))? {
        *summary.entry(p).or_default() += 1;
    }
    // Rows are in run order, so the list is sorted.
    let runs: Vec<u64> = leading_numbers(&dir.join("runs.csv"))?
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    let found = if sweep.states {
        let rows = leading_numbers(&dir.join(states::STATES))?;
        Some(Found::read(
            dir,
            rows.into_iter().map(|(p, _)| p).collect(),
        )?)
    } else {
        None
    };
    let mut restart = layout.range.end;
    for point in layout.points() {
        let states_done = |n: usize| {
            found
                .as_ref()
                .is_none_or(|f| f.complete(sweep, layout, point, n))
        };
        let ran = || runs.binary_search(&(layout.chunk_end(point) - 1)).is_ok();
        let complete = if layout.whole(point) {
            let scenario = sweep.scenario(point)?;
            let summarised = if sweep.summary {
                let ticks = scenario.calendar.last_tick() as usize + 1;
                summary.get(&point).copied().unwrap_or(0) == ticks
            } else {
                // An ensemble's saved tally says which of its runs count.
                sweep.ensemble.is_some() || ran()
            };
            summarised && states_done(scenario.world.nations.len())
        } else {
            ran() && states_done(0)
        };
        if !complete {
            restart = layout.chunk_start(point);
            break;
        }
    }
    let kept = match found {
        Some(found) => found.keep(sweep, layout, restart, &runs),
        None => Kept::default(),
    };
    let restart_point = restart / layout.replicates;
    let from_point = if restart == layout.range.end {
        u64::MAX
    } else {
        restart_point
    };
    // An ensemble continues after the runs its saved tally holds.
    let restart = kept.resumed.as_ref().map_or(restart, |e| e.end_run);
    truncate_from(&dir.join("runs.csv"), restart)?;
    truncate_from(&dir.join("series.csv"), restart)?;
    truncate_from(&dir.join("partial.csv"), restart)?;
    truncate_from(&dir.join("summary.csv"), from_point)?;
    if sweep.ensemble.is_none() {
        truncate_from(&dir.join(states::STATES), from_point)?;
    }
    Ok((restart, kept))
}
