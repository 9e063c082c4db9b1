//! Per-state outcomes of sweeps and ensembles: the tally of each design point (one run's
//! digest at a time, in run order, see [`crate::analysis::ensemble`]) and the files made
//! from it.
//!
//! - A sweep that keeps `states` appends the `states.csv` rows of each design point (one
//!   per state) when its last run is in.
//! - An ensemble (one design point) writes `timeseries.csv` and `states.csv` when its last
//!   run is in, and until then saves its tally to `tally.csv` now and then, so that an
//!   interrupted ensemble resumes from there rather than from its first run.
//! - A shard that holds a design point only in part keeps that point's tally in
//!   `tally.csv`, for `waico merge` to sum ([`merge`]).
//!
//! Every count is an integer, so the files are the same whatever the shards, the
//! interruptions and the number of jobs.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Sweep;
use super::shard::Layout;
use super::tables::{csv_field, params};
use crate::analysis::ensemble::digest::{Digest, year_ends};
use crate::analysis::ensemble::file::{self, Entry};
use crate::analysis::ensemble::tables::{self as state_tables, state_cells, state_columns};
use crate::analysis::ensemble::tally::{Shape, StateLabel, Tally, labels};
use crate::world::spawn::Prepared;

/// `states.csv`.
pub const STATES: &str = "states.csv";
/// `tally.csv`.
pub const TALLY: &str = "tally.csv";
/// `timeseries.csv` of an ensemble.
pub const TIMESERIES: &str = "timeseries.csv";

/// Why the state tables could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum StatesError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file does not hold what it should, or a point's scenario is invalid.
    #[error("{0}")]
    Invalid(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StatesError + '_ {
    move |source| StatesError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `bytes` to `dir/name` through a temporary file renamed into place, so the file
/// is either whole or absent.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), StatesError> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut f = File::create(&tmp).map_err(io(&tmp))?;
    f.write_all(bytes).map_err(io(&tmp))?;
    f.sync_all().map_err(io(&tmp))?;
    fs::rename(&tmp, dir.join(name)).map_err(io(&dir.join(name)))
}

/// The years of the `in_share_YYYY` columns of a sweep's `states.csv`: those of the base
/// calendar, or of every point's when the design varies the calendar.
pub fn sweep_years(sweep: &Sweep) -> Result<Vec<i32>, StatesError> {
    let varies = sweep
        .design
        .paths
        .iter()
        .any(|p| p.starts_with("scenario."));
    let points = if varies { sweep.points() } else { 1 };
    let mut years = std::collections::BTreeSet::new();
    for point in 0..points {
        let s = sweep
            .scenario(point)
            .map_err(|e| StatesError::Invalid(e.to_string()))?;
        years.extend(year_ends(&s.calendar).into_iter().map(|(y, _)| y));
    }
    Ok(years.into_iter().collect())
}

/// The header of a sweep's long-form `states.csv`.
pub fn sweep_header(sweep: &Sweep, years: &[i32]) -> String {
    let mut cols = vec!["point".to_owned()];
    cols.extend(
        sweep
            .design
            .paths
            .iter()
            .map(|p| csv_field(&Sweep::param_column(p))),
    );
    cols.extend(state_columns(years).iter().map(|c| csv_field(c)));
    cols.join(",") + "\n"
}

/// The `states.csv` rows of design point `point` (as [`params`] writes its values).
pub fn sweep_rows(point: u64, params: &str, tally: &Tally, years: &[i32]) -> String {
    let mut out = String::new();
    for i in 0..tally.states() {
        let cells: Vec<String> = state_cells(tally, i, years)
            .iter()
            .map(|c| csv_field(c))
            .collect();
        out.push_str(&format!("{point},{params}{}\n", cells.join(",")));
    }
    out
}

/// The state tables of one execution of a sweep or ensemble.
pub struct StatesWriter {
    dir: PathBuf,
    ensemble: bool,
    file: Option<File>,
    years: Vec<i32>,
    base_labels: Arc<Vec<StateLabel>>,
    current: Option<Entry>,
    partials: Vec<Entry>,
    checkpoint: Duration,
    saved: Instant,
}

impl StatesWriter {
    /// Opens the state tables in `dir`: `states.csv` of a sweep (appended to when
    /// `resuming`), and the tallies kept by an interrupted execution (`kept`: split points
    /// already finished, and the checkpoint to continue from, if any). An ensemble saves
    /// its tally at most every `checkpoint`.
    pub fn open(
        sweep: &Sweep,
        dir: &Path,
        resuming: bool,
        kept: Kept,
        checkpoint: Duration,
    ) -> Result<StatesWriter, StatesError> {
        let ensemble = sweep.ensemble.is_some();
        let years = if ensemble {
            Vec::new()
        } else {
            sweep_years(sweep)?
        };
        let file = if ensemble {
            None
        } else {
            let path = dir.join(STATES);
            Some(if resuming && path.exists() {
                OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .map_err(io(&path))?
            } else {
                let mut f = File::create(&path).map_err(io(&path))?;
                f.write_all(sweep_header(sweep, &years).as_bytes())
                    .map_err(io(&path))?;
                f
            })
        };
        let mut writer = StatesWriter {
            dir: dir.to_path_buf(),
            ensemble,
            file,
            years,
            base_labels: labels(&sweep.base.world),
            current: None,
            partials: kept.finished,
            checkpoint,
            saved: Instant::now(),
        };
        // What tally.csv held beyond what is kept (a later point's, a stale checkpoint)
        // goes now.
        let tally = dir.join(TALLY);
        if !writer.partials.is_empty() || kept.resumed.is_some() {
            writer.save(kept.resumed.as_ref())?;
        } else if tally.exists() {
            fs::remove_file(&tally).map_err(io(&tally))?;
        }
        writer.current = kept.resumed;
        Ok(writer)
    }

    fn shape(&self, sweep: &Sweep, point: u64, prepared: &Prepared) -> Result<Shape, StatesError> {
        let own_world = sweep
            .overrides(point)
            .iter()
            .any(|o| o.path.starts_with("scenario.world"));
        let states = if own_world {
            let s = sweep
                .scenario(point)
                .map_err(|e| StatesError::Invalid(e.to_string()))?;
            labels(&s.world)
        } else {
            self.base_labels.clone()
        };
        Ok(Shape {
            states,
            dates: prepared.calendar.dates().to_vec(),
            years: year_ends(&prepared.calendar),
        })
    }

    /// Counts run `run` of design point `point` (its digest; `None` for a failed run), and
    /// writes the point's rows or tally when it is the shard's last run of the point.
    pub fn add(
        &mut self,
        sweep: &Sweep,
        layout: &Layout,
        run: u64,
        digest: Option<&Digest>,
        prepared: &Prepared,
    ) -> Result<(), StatesError> {
        let point = run / layout.replicates;
        if self.current.as_ref().is_none_or(|c| c.point != point) {
            let shape = self.shape(sweep, point, prepared)?;
            self.current = Some(Entry {
                point,
                first_run: run,
                end_run: run,
                tally: Tally::new(shape, self.ensemble),
            });
        }
        let Some(current) = self.current.as_mut() else {
            return Ok(());
        };
        if let Some(d) = digest {
            current.tally.add(d);
        }
        current.end_run = run + 1;
        if run + 1 == layout.chunk_end(point)
            && let Some(done) = self.current.take()
        {
            self.finish_point(sweep, layout, done)?;
        }
        Ok(())
    }

    fn finish_point(
        &mut self,
        sweep: &Sweep,
        layout: &Layout,
        done: Entry,
    ) -> Result<(), StatesError> {
        if !layout.whole(done.point) {
            self.partials.push(done);
            return self.save(None);
        }
        if self.ensemble {
            let bad = |e: String| StatesError::Invalid(e);
            write_atomic(
                &self.dir,
                TIMESERIES,
                &state_tables::timeseries_csv(&done.tally).map_err(bad)?,
            )?;
            write_atomic(
                &self.dir,
                STATES,
                &state_tables::states_csv(&done.tally).map_err(bad)?,
            )?;
            let tally = self.dir.join(TALLY);
            if tally.exists() {
                fs::remove_file(&tally).map_err(io(&tally))?;
            }
            return Ok(());
        }
        let rows = sweep_rows(
            done.point,
            &params(sweep, done.point),
            &done.tally,
            &self.years,
        );
        let path = self.dir.join(STATES);
        if let Some(f) = self.file.as_mut() {
            f.write_all(rows.as_bytes()).map_err(io(&path))?;
        }
        Ok(())
    }

    /// Rewrites `tally.csv` with the finished split points and, for a checkpoint, the
    /// point in progress.
    fn save(&mut self, current: Option<&Entry>) -> Result<(), StatesError> {
        let entries: Vec<Entry> = self.partials.iter().chain(current).cloned().collect();
        write_atomic(&self.dir, TALLY, &file::to_csv(&entries))?;
        self.saved = Instant::now();
        Ok(())
    }

    /// Called after each block of runs: an ensemble saves its tally when the checkpoint
    /// interval has passed since the last save.
    pub fn after_block(&mut self) -> Result<(), StatesError> {
        if !self.ensemble || self.saved.elapsed() < self.checkpoint {
            return Ok(());
        }
        match self.current.take() {
            Some(current) => {
                let saved = self.save(Some(&current));
                self.current = Some(current);
                saved
            }
            None => Ok(()),
        }
    }

    /// Flushes `states.csv` to disk.
    pub fn sync(&mut self) -> Result<(), StatesError> {
        let path = self.dir.join(STATES);
        match self.file.as_mut() {
            Some(f) => f.sync_all().map_err(io(&path)),
            None => Ok(()),
        }
    }
}

/// What an interrupted execution kept of the state tables.
#[derive(Default)]
pub struct Kept {
    /// The tallies of split points it finished.
    pub finished: Vec<Entry>,
    /// The tally to continue from.
    pub resumed: Option<Entry>,
}

/// The state tables found in an interrupted folder.
pub struct Found {
    /// The design point of every whole row of `states.csv`.
    rows: Vec<u64>,
    /// The tallies of `tally.csv`.
    entries: Vec<Entry>,
    /// Whether an ensemble's final files are there.
    finals: bool,
}

impl Found {
    /// Reads `dir`'s state tables; `rows` are the leading numbers of `states.csv`'s whole
    /// lines.
    pub fn read(dir: &Path, rows: Vec<u64>) -> Result<Found, StatesError> {
        let path = dir.join(TALLY);
        let entries = match fs::read(&path) {
            Ok(bytes) => {
                file::from_csv(&path.display().to_string(), &bytes).map_err(StatesError::Invalid)?
            }
            Err(_) => Vec::new(),
        };
        Ok(Found {
            rows,
            entries,
            finals: dir.join(TIMESERIES).exists() && dir.join(STATES).exists(),
        })
    }

    /// Whether the state tables of `point` are complete: a sweep's `states` rows (`states`
    /// of them) or a split point's tally, an ensemble's final files.
    pub fn complete(&self, sweep: &Sweep, layout: &Layout, point: u64, states: usize) -> bool {
        if !layout.whole(point) {
            let end = layout.chunk_end(point);
            return self
                .entries
                .iter()
                .any(|e| e.point == point && e.end_run == end);
        }
        if sweep.ensemble.is_some() {
            return self.finals;
        }
        self.rows.iter().filter(|&&p| p == point).count() == states
    }

    /// What to keep when the execution restarts at run `restart` (the first run of an
    /// incomplete point): the finished split points before it and, for an ensemble, a
    /// checkpoint of that point starting at `restart` whose runs are all in `runs.csv`.
    pub fn keep(self, sweep: &Sweep, layout: &Layout, restart: u64, runs: &[u64]) -> Kept {
        let point = restart / layout.replicates.max(1);
        let mut kept = Kept::default();
        for e in self.entries {
            if e.point < point && e.end_run == layout.chunk_end(e.point) {
                kept.finished.push(e);
            } else if sweep.ensemble.is_some()
                && e.point == point
                && e.first_run == restart
                && e.end_run > restart
                && e.end_run < layout.chunk_end(point)
                && (restart..e.end_run).all(|r| runs.binary_search(&r).is_ok())
            {
                kept.resumed = Some(e);
            }
        }
        kept
    }
}

/// Writes into `out` the state tables of the folder merged from shard folders `dirs` (in
/// shard order): a sweep's `states.csv` (rows of whole points copied as they stream, split
/// points' rows summed from the shards' tallies, with the parameter cells `params` gives,
/// each put before the first row of a later point), or an ensemble's `timeseries.csv` and
/// `states.csv`.
pub fn merge(
    dirs: &[PathBuf],
    ensemble: bool,
    params: &dyn Fn(u64) -> Result<String, String>,
    out: &Path,
) -> Result<(), StatesError> {
    let mut sums: BTreeMap<u64, Tally> = BTreeMap::new();
    for dir in dirs {
        let path = dir.join(TALLY);
        if path.exists() {
            let bytes = fs::read(&path).map_err(io(&path))?;
            for e in
                file::from_csv(&path.display().to_string(), &bytes).map_err(StatesError::Invalid)?
            {
                match sums.get_mut(&e.point) {
                    Some(t) => t
                        .merge(&e.tally)
                        .map_err(|m| StatesError::Invalid(format!("{}: {m}", path.display())))?,
                    None => {
                        sums.insert(e.point, e.tally);
                    }
                }
            }
        }
    }
    let write = |name: &str, body: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>| {
        let path = out.join(name);
        let mut f = std::io::BufWriter::new(File::create(&path).map_err(io(&path))?);
        body(&mut f)
            .and_then(|()| f.flush())
            .and_then(|()| f.get_ref().sync_all())
            .map_err(io(&path))
    };
    if ensemble {
        let tally = sums.remove(&0).ok_or_else(|| {
            StatesError::Invalid("no shard holds the ensemble's tally (tally.csv)".into())
        })?;
        let bad = |e: String| StatesError::Invalid(e);
        let timeseries = state_tables::timeseries_csv(&tally).map_err(bad)?;
        let states = state_tables::states_csv(&tally).map_err(bad)?;
        write(TIMESERIES, &mut |f| f.write_all(&timeseries))?;
        return write(STATES, &mut |f| f.write_all(&states));
    }
    // Every shard's states.csv has the same header (merge checked each).
    let first = dirs.first().map(|d| d.join(STATES)).unwrap_or_default();
    let header = BufReader::new(File::open(&first).map_err(io(&first))?)
        .lines()
        .next()
        .transpose()
        .map_err(io(&first))?
        .unwrap_or_default();
    let years: Vec<i32> = header
        .split(',')
        .filter_map(|c| c.strip_prefix("in_share_")?.parse().ok())
        .collect();
    let mut split: BTreeMap<u64, String> = BTreeMap::new();
    for (point, tally) in &sums {
        let cells = params(*point).map_err(StatesError::Invalid)?;
        split.insert(*point, sweep_rows(*point, &cells, tally, &years));
    }
    write(STATES, &mut |f| {
        writeln!(f, "{header}")?;
        let sources: Vec<PathBuf> = dirs.iter().map(|d| d.join(STATES)).collect();
        super::tables::copy_rows(&sources, &split, f)
    })
}
