//! Reading and checking a shard folder for `waico merge`: every row of every file is
//! checked against the shard's manifest (its runs, in order, each once; its design points'
//! summaries, each tick once; the exact values of points it holds in part; with per-state
//! tables, their rows and tallies), so a shard that lost or gained a row is refused with
//! its name, file and line, never merged into wrong summaries. An ensemble's shard has no
//! summaries: its tally (`tally.csv`) stands for them.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::error::{SweepError, io};
use super::shard::Layout;
use super::tables::{self, Values};
use crate::time::Date;

/// A shard folder whose files agree with its manifest.
pub struct ShardFolder {
    /// Which shard, from 1.
    pub index: u32,
    /// Its folder.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Value,
    /// The header and rows of `runs.csv`, one per run, in run order.
    pub runs: (String, Vec<String>),
    /// The header of `summary.csv`, and its rows by design point.
    pub summary: Summary,
    /// Ticks per design point, from its summary or its exact values.
    pub ticks: BTreeMap<u64, usize>,
    /// The exact values of the points it holds in part: point -> run -> (values, dates).
    pub partial: BTreeMap<u64, BTreeMap<u64, (Values, Vec<Date>)>>,
    /// States per design point in its per-state tables (rows of `states.csv`, or states of
    /// its tally), when they are kept.
    pub states: BTreeMap<u64, usize>,
}

/// A problem in one file of a shard, as an error naming shard, file and line.
struct Blame<'a> {
    index: u32,
    count: u64,
    dir: &'a Path,
}

impl Blame<'_> {
    fn at(&self, file: &str, line: Option<usize>, problem: &str) -> SweepError {
        SweepError::Folder(format!(
            "shard {} of {} ({}): {file}{}: {problem}\n  help: the file was cut short or edited; run the shard again with `waico sweep FILE --shard {}/{} --force` (into its folder) and merge again",
            self.index,
            self.count,
            self.dir.display(),
            line.map(|l| format!(", line {l}")).unwrap_or_default(),
            self.index,
            self.count,
        ))
    }
}

/// The header and rows of a CSV file of the shard, which must exist, start with the
/// expected first column and end with a whole line.
fn lines(blame: &Blame<'_>, name: &str, first: &str) -> Result<(String, Vec<String>), SweepError> {
    let path = blame.dir.join(name);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(blame.at(name, None, "the file is missing"));
        }
        Err(e) => return Err(io(&path)(e)),
    };
    if text.is_empty() {
        return Err(blame.at(name, None, "the file is empty"));
    }
    if !text.ends_with('\n') {
        return Err(blame.at(name, None, "the last line is cut short"));
    }
    let mut lines = text.lines().map(str::to_owned);
    let header = lines.next().unwrap_or_default();
    if header.split(',').next() != Some(first) {
        return Err(blame.at(name, Some(1), "the header is missing or damaged"));
    }
    Ok((header, lines.collect()))
}

fn leading(line: &str) -> Option<u64> {
    line.split(',').next()?.parse().ok()
}

/// The cells of one CSV line (quoted cells may hold commas).
fn record(line: &str) -> Option<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
}

/// Reads shard folder `dir` (whose manifest is `manifest`) and checks every file.
pub fn read(dir: &Path, manifest: Value) -> Result<ShardFolder, SweepError> {
    let shard = &manifest["shard"];
    let (index, count) = (
        shard["index"].as_u64().unwrap_or(0) as u32,
        shard["count"].as_u64().unwrap_or(0),
    );
    let blame = Blame { index, count, dir };
    let layout = Layout {
        range: shard["first_run"].as_u64().unwrap_or(0)..shard["end_run"].as_u64().unwrap_or(0),
        replicates: manifest["replicates"].as_u64().unwrap_or(1).max(1),
    };
    let paths = manifest["design"]["paths"].as_array().map_or(0, Vec::len);
    let runs = lines(&blame, "runs.csv", "run")?;
    let ok = check_runs(&blame, &layout, paths, &runs)?;
    // An ensemble, and a sweep without summaries (`summary = false`), writes neither file.
    let ensemble = !manifest["ensemble"].is_null();
    let (summary, ticks, partial) = if ensemble || manifest["summary"].as_bool() == Some(false) {
        Default::default()
    } else {
        let (summary, mut ticks) = read_summary(&blame, &layout, paths, &ok)?;
        let partial = read_partial(&blame, &layout, &ok, &mut ticks)?;
        (summary, ticks, partial)
    };
    let states = if manifest["states"].as_bool() == Some(true) {
        check_states(&blame, &layout, &ok, ensemble)?
    } else {
        BTreeMap::new()
    };
    if manifest["series"].as_bool() == Some(true) {
        read_series(&blame, &ok, &ticks, &layout)?;
    }
    Ok(ShardFolder {
        index,
        dir: dir.to_path_buf(),
        manifest,
        runs,
        summary,
        ticks,
        partial,
        states,
    })
}

/// Checks that `runs.csv` holds the shard's runs in order, each once and whole; returns
/// the successful runs.
fn check_runs(
    blame: &Blame<'_>,
    layout: &Layout,
    paths: usize,
    (header, rows): &(String, Vec<String>),
) -> Result<Vec<u64>, SweepError> {
    let expected = layout.range.end - layout.range.start;
    if rows.len() as u64 != expected {
        return Err(blame.at(
            "runs.csv",
            None,
            &format!(
                "holds {} rows for the shard's {expected} runs ({} to {})",
                rows.len(),
                layout.range.start,
                layout.range.end.saturating_sub(1)
            ),
        ));
    }
    let columns = record(header).map_or(0, |h| h.len());
    let status_at = 4 + paths;
    let mut ok = Vec::new();
    for (k, (line, run)) in rows.iter().zip(layout.range.clone()).enumerate() {
        let Some(record) = record(line).filter(|r| r.len() == columns && columns > status_at)
        else {
            return Err(blame.at("runs.csv", Some(k + 2), "the row is malformed"));
        };
        if leading(line) != Some(run) {
            return Err(blame.at(
                "runs.csv",
                Some(k + 2),
                &format!("expected run {run}, found `{}`", &record[0]),
            ));
        }
        match &record[status_at] {
            "ok" => ok.push(run),
            "failed" => {}
            other => {
                return Err(blame.at(
                    "runs.csv",
                    Some(k + 2),
                    &format!("unknown status `{other}`"),
                ));
            }
        }
    }
    Ok(ok)
}

/// Reads `summary.csv`: one block of rows per design point the shard holds whole, in
/// order, ticks from 0, each counting the point's successful runs.
fn read_summary(
    blame: &Blame<'_>,
    layout: &Layout,
    paths: usize,
    ok: &[u64],
) -> Result<(Summary, BTreeMap<u64, usize>), SweepError> {
    let (header, rows) = lines(blame, "summary.csv", "point")?;
    let columns = record(&header).map_or(0, |h| h.len());
    let mut blocks: BTreeMap<u64, String> = BTreeMap::new();
    let mut ticks: BTreeMap<u64, usize> = BTreeMap::new();
    for (k, line) in rows.iter().enumerate() {
        let bad = |problem: &str| blame.at("summary.csv", Some(k + 2), problem);
        let cells = record(line)
            .filter(|c| c.len() == columns)
            .ok_or_else(|| bad("the row is malformed"))?;
        let point = leading(line).ok_or_else(|| bad("the row is malformed"))?;
        let tick = cells.get(1 + paths).and_then(|c| c.parse::<usize>().ok());
        let runs = cells.get(3 + paths).and_then(|c| c.parse::<u64>().ok());
        if !layout.whole(point) {
            return Err(bad(&format!(
                "design point {point} is not one the shard holds whole"
            )));
        }
        if blocks.keys().next_back().is_some_and(|&last| last > point) {
            return Err(bad(&format!("design point {point} comes out of order")));
        }
        let seen = ticks.entry(point).or_default();
        if tick != Some(*seen) {
            return Err(bad(&format!(
                "expected tick {seen} of design point {point}"
            )));
        }
        *seen += 1;
        let ok_runs = ok
            .iter()
            .filter(|&&r| r / layout.replicates == point)
            .count() as u64;
        if runs != Some(ok_runs) {
            return Err(bad(&format!(
                "design point {point} counts {} runs, but runs.csv holds {ok_runs} that succeeded",
                runs.map_or("no".to_owned(), |r| r.to_string())
            )));
        }
        let block = blocks.entry(point).or_default();
        block.push_str(line);
        block.push('\n');
    }
    let first = layout.range.start / layout.replicates;
    let last = layout.range.end.div_ceil(layout.replicates);
    if let Some(point) = (first..last).find(|&p| layout.whole(p) && !ticks.contains_key(&p)) {
        return Err(blame.at(
            "summary.csv",
            None,
            &format!("design point {point} has no summary rows"),
        ));
    }
    Ok(((header, blocks), ticks))
}

/// Checks the per-state tables: `tally.csv` holds one tally for each design point the
/// shard holds in part (an ensemble's one point), spanning the shard's runs of it and
/// counting its successful ones; a sweep's `states.csv` holds the rows of every point the
/// shard holds whole, in order, and no other. Returns the number of states of each point.
fn check_states(
    blame: &Blame<'_>,
    layout: &Layout,
    ok: &[u64],
    ensemble: bool,
) -> Result<BTreeMap<u64, usize>, SweepError> {
    use super::states::{STATES, TALLY};
    let split: Vec<u64> = layout.points().filter(|&p| !layout.whole(p)).collect();
    let entries = match fs::read(blame.dir.join(TALLY)) {
        Ok(bytes) => crate::analysis::ensemble::file::from_csv(TALLY, &bytes)
            .map_err(|e| blame.at(TALLY, None, &e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && split.is_empty() => Vec::new(),
        Err(_) => return Err(blame.at(TALLY, None, "the file is missing")),
    };
    let found: Vec<u64> = entries.iter().map(|e| e.point).collect();
    if found != split {
        return Err(blame.at(
            TALLY,
            None,
            &format!("holds the tallies of design points {found:?}, the shard splits {split:?}"),
        ));
    }
    for e in &entries {
        let (start, end) = (layout.chunk_start(e.point), layout.chunk_end(e.point));
        let counted = ok.iter().filter(|&&r| (start..end).contains(&r)).count() as u64;
        if (e.first_run, e.end_run, e.tally.runs) != (start, end, counted) {
            return Err(blame.at(
                TALLY,
                None,
                &format!(
                    "design point {} counts {} runs of {}..{}, but the shard has {counted} successful runs of {start}..{end}",
                    e.point, e.tally.runs, e.first_run, e.end_run
                ),
            ));
        }
    }
    let mut counts: BTreeMap<u64, usize> = entries
        .iter()
        .map(|e| (e.point, e.tally.states()))
        .collect();
    if ensemble {
        return Ok(counts);
    }
    let (header, rows) = lines(blame, STATES, "point")?;
    let columns = record(&header).map_or(0, |h| h.len());
    let mut seen: Vec<u64> = Vec::new();
    for (k, line) in rows.iter().enumerate() {
        let bad = |problem: &str| blame.at(STATES, Some(k + 2), problem);
        let point = leading(line)
            .filter(|_| record(line).is_some_and(|r| r.len() == columns))
            .ok_or_else(|| bad("the row is malformed"))?;
        if !layout.whole(point) {
            return Err(bad(&format!(
                "design point {point} is not one the shard holds whole"
            )));
        }
        match seen.last() {
            Some(&last) if last == point => {}
            Some(&last) if last > point => {
                return Err(bad(&format!("design point {point} comes out of order")));
            }
            _ => seen.push(point),
        }
        *counts.entry(point).or_default() += 1;
    }
    let whole: Vec<u64> = layout.points().filter(|&p| layout.whole(p)).collect();
    if seen != whole {
        return Err(blame.at(
            STATES,
            None,
            &format!("holds the rows of design points {seen:?}, the shard holds {whole:?} whole"),
        ));
    }
    Ok(counts)
}

/// A summary's header and its rows by design point.
pub type Summary = (String, BTreeMap<u64, String>);

type Partial = BTreeMap<u64, BTreeMap<u64, (Values, Vec<Date>)>>;

/// Reads `partial.csv`: the exact values of every successful run of the design points
/// the shard holds in part, ticks from 0; records each such point's ticks.
fn read_partial(
    blame: &Blame<'_>,
    layout: &Layout,
    ok: &[u64],
    ticks: &mut BTreeMap<u64, usize>,
) -> Result<Partial, SweepError> {
    let split: Vec<u64> = ok
        .iter()
        .copied()
        .filter(|&r| !layout.whole(r / layout.replicates))
        .collect();
    let mut partial: Partial = BTreeMap::new();
    if !layout.has_split_point() {
        return Ok(partial);
    }
    for (k, line) in lines(blame, "partial.csv", "run")?.1.iter().enumerate() {
        let bad = |problem: &str| blame.at("partial.csv", Some(k + 2), problem);
        let (run, point, tick, date, members, share) =
            partial_row(line).ok_or_else(|| bad("the row is malformed"))?;
        if !split.contains(&run) || run / layout.replicates != point {
            return Err(bad(&format!(
                "run {run} of point {point} is not a successful run of a point the shard holds in part"
            )));
        }
        let entry = partial.entry(point).or_default().entry(run).or_default();
        if tick != entry.0.len() {
            return Err(bad(&format!(
                "expected tick {} of run {run}",
                entry.0.len()
            )));
        }
        entry.0.push((members, share));
        entry.1.push(date);
    }
    for run in &split {
        let point = run / layout.replicates;
        let Some((values, _)) = partial.get(&point).and_then(|p| p.get(run)) else {
            return Err(blame.at("partial.csv", None, &format!("run {run} has no rows")));
        };
        let n = *ticks.entry(point).or_insert(values.len());
        if values.len() != n {
            return Err(blame.at(
                "partial.csv",
                None,
                &format!(
                    "run {run} has {} ticks, other runs of point {point} {n}",
                    values.len()
                ),
            ));
        }
    }
    Ok(partial)
}

/// A `partial.csv` row: run, point, tick, date, members, member GDP share.
fn partial_row(line: &str) -> Option<(u64, u64, usize, Date, u32, f64)> {
    let cells: Vec<&str> = line.split(',').collect();
    let [run, point, tick, date, members, share] = cells.as_slice() else {
        return None;
    };
    Some((
        run.parse().ok()?,
        point.parse().ok()?,
        tick.parse().ok()?,
        Date::parse(date).ok()?,
        members.parse().ok()?,
        share.parse().ok()?,
    ))
}

/// Whether a non-empty file ends with a newline.
fn ends_with_newline(file: &fs::File) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(last[0] == b'\n')
}

/// Checks `series.csv` without holding it: the successful runs in order, each with the
/// ticks of its design point from 0.
fn read_series(
    blame: &Blame<'_>,
    ok: &[u64],
    ticks: &BTreeMap<u64, usize>,
    layout: &Layout,
) -> Result<(), SweepError> {
    let runs = series_runs(blame)?;
    let at = |line: usize, problem: String| blame.at("series.csv", Some(line), &problem);
    for (k, &(run, n, line)) in runs.iter().enumerate() {
        if ok.get(k) != Some(&run) {
            return Err(at(
                line,
                format!("run {run} is not the next successful run of runs.csv"),
            ));
        }
        let point = run / layout.replicates;
        if let Some(&want) = ticks.get(&point).filter(|&&want| want != n) {
            let file = if layout.whole(point) {
                "summary.csv"
            } else {
                "partial.csv"
            };
            return Err(at(
                line,
                format!("run {run} has {n} ticks, but design point {point} has {want} in {file}"),
            ));
        }
    }
    if let Some(missing) = ok.get(runs.len()) {
        return Err(blame.at("series.csv", None, &format!("run {missing} has no rows")));
    }
    Ok(())
}

/// The runs of `series.csv` in file order: (run, ticks, the line of its first row), each
/// run's ticks counted from 0 without a gap.
fn series_runs(blame: &Blame<'_>) -> Result<Vec<(u64, usize, usize)>, SweepError> {
    let path = blame.dir.join("series.csv");
    let file = match fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(blame.at("series.csv", None, "the file is missing"));
        }
        Err(e) => return Err(io(&path)(e)),
    };
    if !ends_with_newline(&file).map_err(io(&path))? {
        return Err(blame.at("series.csv", None, "the last line is cut short"));
    }
    let columns = tables::SERIES_HEADER.split(',').count();
    let mut runs: Vec<(u64, usize, usize)> = Vec::new();
    for (k, line) in BufReader::new(file).lines().enumerate().skip(1) {
        let (line, number) = (line.map_err(io(&path))?, k + 1);
        let bad = |problem: &str| blame.at("series.csv", Some(number), problem);
        let mut cells = line.split(',');
        let run = cells.next().and_then(|c| c.parse::<u64>().ok());
        let tick = cells.next().and_then(|c| c.parse::<usize>().ok());
        let (Some(run), Some(tick)) = (run, tick) else {
            return Err(bad("the row is malformed"));
        };
        if line.split(',').count() != columns {
            return Err(bad("the row is malformed"));
        }
        match runs.last_mut() {
            Some(last) if last.0 == run => last.1 += 1,
            _ => runs.push((run, 1, number)),
        }
        let count = runs.last().map_or(0, |r| r.1);
        if tick + 1 != count {
            return Err(bad(&format!("expected tick {} of run {run}", count - 1)));
        }
    }
    Ok(runs)
}
