//! Resource limits, checked before any work starts: counts (seeds, points, jobs), and the
//! projected memory and output size of a command against the machine's available memory
//! and the output disk's free space. A command that would need more than there is is
//! refused; one that is merely huge (more than [`LARGE_BYTES`] of memory or output, or
//! more than [`LARGE_RUNS`] runs) needs `--yes-large`. docs/SWEEPS.md documents the
//! limits.

use std::path::Path;

use crate::model::Term;
use crate::output::Keep;
use crate::scenario::Scenario;
use crate::sim::output::{NationRow, TickRow};
use crate::sweep::Sweep;

/// Memory or output above this (2 GB) needs `--yes-large`.
pub const LARGE_BYTES: u64 = 2_000_000_000;

/// Memory or output above this (100 MB) is announced before the work starts.
pub const NOTABLE_BYTES: u64 = 100_000_000;

/// More runs than this (about three hours on one core) need `--yes-large`.
pub const LARGE_RUNS: u64 = 10_000_000;

/// The most worker threads a command starts.
pub const MAX_JOBS: usize = 1024;

/// The most seeds `compare` and `calibrate` take.
pub const MAX_SEEDS: u64 = 10_000_000;

/// The most Latin-hypercube points or local evaluations `calibrate` takes.
pub const MAX_EVALUATIONS: usize = 10_000_000;

/// What a command is about to use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Projection {
    /// Runs of the model.
    pub runs: u64,
    /// Bytes held in memory at the peak.
    pub memory: u64,
    /// Bytes written.
    pub output: u64,
    /// What makes it large, for the help line (e.g. "shorten the run").
    pub remedy: &'static str,
}

/// The worker threads to start: `requested` (at least 1, at most [`MAX_JOBS`]) or every
/// core, never more than `runs`. Warns when far above the number of cores.
pub fn jobs(requested: Option<usize>, runs: u64) -> anyhow::Result<usize> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = match requested {
        None => cores,
        Some(0) => anyhow::bail!(
            "--jobs 0: a command needs at least one worker thread\n  help: give 1 or more, or leave --jobs out to use every core"
        ),
        Some(j) if j > MAX_JOBS => anyhow::bail!(
            "--jobs {j} is more than the {MAX_JOBS} worker threads waico starts\n  help: this machine has {cores} cores; --jobs {cores} uses them all"
        ),
        Some(j) => {
            if j > 4 * cores {
                errln!(
                    "warning: --jobs {j} is more than four times the {cores} cores: the threads only wait on each other"
                );
            }
            j
        }
    };
    Ok(jobs.min(usize::try_from(runs.max(1)).unwrap_or(usize::MAX)))
}

/// Refuses a command whose projection does not fit the machine (memory, the free space
/// under `out`), or that is large without `yes_large`.
pub fn check(p: &Projection, out: &Path, yes_large: bool) -> anyhow::Result<()> {
    if p.output > NOTABLE_BYTES || p.memory > NOTABLE_BYTES {
        errln!(
            "note: projected {} of output and {} of memory",
            bytes(p.output),
            bytes(p.memory)
        );
    }
    if let Some(free) = free_space(out)
        && p.output > free
    {
        anyhow::bail!(
            "this would write about {} but {} has only {} free\n  help: free some space, choose another --out, or {}",
            bytes(p.output),
            existing_ancestor(out).display(),
            bytes(free),
            p.remedy
        );
    }
    if let Some(available) = available_memory()
        && p.memory > available
    {
        anyhow::bail!(
            "this would need about {} of memory but only {} is available\n  help: {}",
            bytes(p.memory),
            bytes(available),
            p.remedy
        );
    }
    if !yes_large && (p.memory > LARGE_BYTES || p.output > LARGE_BYTES || p.runs > LARGE_RUNS) {
        let runs = if p.runs > 1 {
            format!("{} runs, ", p.runs)
        } else {
            String::new()
        };
        anyhow::bail!(
            "this is large: {runs}about {} of memory and {} of output\n  help: pass --yes-large to go ahead, or {}",
            bytes(p.memory),
            bytes(p.output),
            p.remedy
        );
    }
    Ok(())
}

/// Bytes as people read them: `850 kB`, `4.5 GB`.
pub fn bytes(n: u64) -> String {
    let n = n as f64;
    match n {
        _ if n >= 1e12 => format!("{:.1} TB", n / 1e12),
        _ if n >= 1e9 => format!("{:.1} GB", n / 1e9),
        _ if n >= 1e6 => format!("{:.1} MB", n / 1e6),
        _ => format!("{:.0} kB", (n / 1e3).ceil()),
    }
}

/// CSV bytes of one `nations.csv` row: fixed columns and one number per utility term.
fn nation_row_bytes() -> u64 {
    60 + 11 * Term::ALL.len() as u64
}

/// What `waico run` of `scenario` holds and writes: with `keep.nations`, every state at
/// every tick in memory and in `nations.csv`.
pub fn run(scenario: &Scenario, keep: Keep) -> Projection {
    let ticks = u64::from(scenario.calendar.last_tick()) + 1;
    // Without nations.csv, a run holds and writes its counts per tick alone.
    let rows = if keep.nations {
        ticks * scenario.world.nations.len() as u64
    } else {
        0
    };
    let csv = rows * nation_row_bytes() + ticks * 150 + 1_000_000;
    let held = rows * std::mem::size_of::<NationRow>() as u64
        + ticks * std::mem::size_of::<TickRow>() as u64;
    Projection {
        runs: 1,
        memory: held + csv,
        // gzip shrinks these tables about tenfold; a fifth is a safe projection.
        output: if keep.compress { csv / 5 } else { csv },
        remedy: "shorten the run (scenario.end), use a longer tick, or pass --detail summary",
    }
}

/// Ticks plus one of a scenario.
fn rows(scenario: &Scenario) -> u64 {
    u64::from(scenario.calendar.last_tick()) + 1
}

/// What `waico compare` of `a` over `seeds` seeds holds: each seed's three curves, final
/// statuses and eligibility, under both scenarios.
pub fn compare(a: &Scenario, seeds: u64) -> Projection {
    let per_seed = 2 * (rows(a) * 24 + 2 * a.world.nations.len() as u64) + 64;
    Projection {
        runs: seeds.saturating_mul(2),
        memory: seeds.saturating_mul(per_seed),
        output: rows(a) * 300 + 1_000_000,
        remedy: "use fewer --seeds",
    }
}

/// What `waico calibrate` holds: the search history, and one sample of `seeds` curves
/// per worker thread.
pub fn calibrate(
    s: &Scenario,
    seeds: u64,
    evaluations: u64,
    parameters: usize,
    jobs: usize,
) -> Projection {
    let per_evaluation = 48 * parameters as u64 + 64;
    Projection {
        runs: evaluations.saturating_mul(seeds),
        memory: evaluations.saturating_mul(per_evaluation).saturating_add(
            (jobs as u64)
                .saturating_mul(seeds)
                .saturating_mul(rows(s) * 8 + 64),
        ),
        output: evaluations.saturating_mul(24 * parameters as u64 + 60) + rows(s) * 120 + 1_000_000,
        remedy: "use fewer --seeds, --points or --iterations",
    }
}

/// What `waico backtest` holds: each seed's curve and who is a member at each of
/// `checkpoints` observed dates, for each of `arms` versions of the scenario.
pub fn backtest(s: &Scenario, seeds: u64, arms: u64, checkpoints: usize) -> Projection {
    let states = s.world.nations.len() as u64;
    let per_seed = rows(s) * 4 + (checkpoints as u64) * (states + 24) + 64;
    Projection {
        runs: seeds.saturating_mul(arms),
        memory: seeds.saturating_mul(arms).saturating_mul(per_seed),
        output: arms * (rows(s) * 120 + states * 40) + 1_000_000,
        remedy: "use fewer --seeds",
    }
}

/// What a sweep (its `runs` runs, of `points` design points, `ticks` ticks each at most)
/// writes, and holds: at most three blocks of 128 runs per job (docs/SWEEPS.md).
pub fn sweep(s: &Sweep, runs: u64, points: u64, ticks: u64, jobs: usize) -> Projection {
    let paths = s.design.paths.len() as u64;
    let per_run =
        120 + 16 * paths + 24 * s.outcomes_at.len() as u64 + if s.series { ticks * 56 } else { 0 };
    let summary = if s.summary {
        points.saturating_mul(ticks * (170 + 16 * paths))
    } else {
        0
    };
    let block = runs.min(128 * jobs as u64);
    // A block holds its runs' rows and values, and the prepared scenarios of its points.
    let prepared = points.min(3 * (block / u64::from(s.replicates.max(1)) + 2));
    Projection {
        runs,
        memory: 3 * block * (per_run + ticks * 16) + prepared * 1_000_000,
        output: runs.saturating_mul(per_run).saturating_add(summary) + 2_000_000,
        remedy: "run fewer points or replicates (or set series = false), or split it with --shard",
    }
}

/// The nearest folder of `path` that exists (itself, a parent, or `.`).
fn existing_ancestor(path: &Path) -> &Path {
    path.ancestors()
        .find(|p| !p.as_os_str().is_empty() && p.exists())
        .unwrap_or(Path::new("."))
}

/// Bytes free for this user on the disk that holds `path` (or would hold it), if known.
pub fn free_space(path: &Path) -> Option<u64> {
    statvfs_free(existing_ancestor(path))
}

#[cfg(unix)]
fn statvfs_free(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `c` is a NUL-terminated path and `stat` is a buffer of the right type, which
    // statvfs fills when it returns 0.
    let stat = unsafe {
        if libc::statvfs(c.as_ptr(), stat.as_mut_ptr()) != 0 {
            return None;
        }
        stat.assume_init()
    };
    #[allow(clippy::unnecessary_cast)]
    Some((stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64))
}

#[cfg(not(unix))]
fn statvfs_free(_: &Path) -> Option<u64> {
    None
}

/// Memory available to new processes (Linux `MemAvailable`), if known.
pub fn available_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb.saturating_mul(1024))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_as_people_write_them() {
        assert_eq!(bytes(850), "1 kB");
        assert_eq!(bytes(4_500_000_000), "4.5 GB");
        assert_eq!(bytes(326_000_000_000), "326.0 GB");
    }

    #[test]
    fn the_free_space_of_the_current_disk_is_known_on_unix() {
        let tmp = tempfile::tempdir().unwrap();
        let free = free_space(&tmp.path().join("not/yet/made"));
        if cfg!(unix) {
            assert!(free.is_some_and(|f| f > 0), "{free:?}");
        }
    }

    #[test]
    fn a_projection_beyond_the_disk_is_refused_and_a_large_one_needs_the_flag() {
        let tmp = tempfile::tempdir().unwrap();
        let huge = Projection {
            runs: 1,
            memory: 0,
            output: u64::MAX,
            remedy: "shrink it",
        };
        if free_space(tmp.path()).is_some() {
            let e = check(&huge, tmp.path(), true).unwrap_err().to_string();
            assert!(e.contains("free") && e.contains("shrink it"), "{e}");
        }
        let many = Projection {
            runs: LARGE_RUNS + 1,
            ..Projection::default()
        };
        let e = check(&many, tmp.path(), false).unwrap_err().to_string();
        assert!(e.contains("--yes-large"), "{e}");
        assert!(check(&many, tmp.path(), true).is_ok());
        assert!(check(&Projection::default(), tmp.path(), false).is_ok());
    }

    #[test]
    fn jobs_are_at_least_one_at_most_the_runs() {
        assert!(jobs(Some(0), 10).is_err());
        assert!(jobs(Some(MAX_JOBS + 1), 10).is_err());
        assert_eq!(jobs(Some(8), 3).unwrap(), 3);
        assert_eq!(jobs(Some(2), 100).unwrap(), 2);
    }
}
