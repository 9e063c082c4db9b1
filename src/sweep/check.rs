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
    /// The header of `runs.csv` (its rows, checked, stay in the file).
    pub runs_header: String,
    /// The number of rows of `runs.csv`: the shard's runs.
    pub runs: u64,
    /// The parameter cells of each design point the shard holds in part, as its rows of
    /// `runs.csv` hold them, each followed by a comma.
    pub split_params: BTreeMap<u64, String>,
    /// The header of `summary.csv` (empty without one); its rows, checked, stay in the
    /// file.
    pub summary_header: String,
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

/// Reads the CSV file `name` of the shard line by line without holding it: it must
/// exist, not be empty, end with a whole line and have a header whose first column is
/// `first`. Calls `row` with the header, each row's line number and its text; returns the
/// header.
fn each_line(
    blame: &Blame<'_>,
    name: &str,
    first: &str,
    mut row: impl FnMut(&str, usize, &str) -> Result<(), SweepError>,
) -> Result<String, SweepError> {
    let path = blame.dir.join(name);
    let file = match fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(blame.at(name, None, "the file is missing"));
        }
        Err(e) => return Err(io(&path)(e)),
    };
    if file.metadata().map_err(io(&path))?.len() == 0 {
        return Err(blame.at(name, None, "the file is empty"));
    }
    if !ends_with_newline(&file).map_err(io(&path))? {
        return Err(blame.at(name, None, "the last line is cut short"));
    }
    let mut reader = BufReader::new(file);
    let mut bytes = Vec::new();
    let mut number = 0;
    let mut header: Option<String> = None;
    loop {
        bytes.clear();
        if reader.read_until(b'\n', &mut bytes).map_err(io(&path))? == 0 {
            break;
        }
        number += 1;
        // A line's end, as `str::lines` takes it.
        bytes.pop_if(|b| *b == b'\n');
        bytes.pop_if(|b| *b == b'\r');
        let Ok(line) = std::str::from_utf8(&bytes) else {
            return Err(blame.at(name, Some(number), "the line is not UTF-8 text"));
        };
        if let Some(header) = &header {
            row(header, number, line)?;
        } else if line.split(',').next() == Some(first) {
            header = Some(line.to_owned());
        } else {
            return Err(blame.at(name, Some(1), "the header is missing or damaged"));
        }
    }
    Ok(header.unwrap_or_default())
}

fn leading(line: &str) -> Option<u64> {
    line.split(',').next()?.parse().ok()
}

/// Splits CSV lines into their cells (quoted cells may hold commas), reusing one parser
/// and its buffers from line to line.
struct Cells {
    parser: csv_core::Reader,
    text: Vec<u8>,
    ends: Vec<usize>,
    count: usize,
}

impl Cells {
    fn new() -> Cells {
        Cells {
            parser: csv_core::Reader::new(),
            text: Vec::new(),
            ends: Vec::new(),
            count: 0,
        }
    }

    /// Splits `line` (one line, without its end); the number of cells, or `None` if it
    /// is not one whole CSV record.
    fn split(&mut self, line: &str) -> Option<usize> {
        use csv_core::ReadRecordResult::{InputEmpty, Record};
        if line.is_empty() {
            return None;
        }
        // A line's cells never take more room than the line, nor outnumber its bytes.
        self.text.resize(line.len() + 1, 0);
        self.ends.resize(line.len() + 2, 0);
        self.parser.reset();
        let (first, read, written, ended) =
            self.parser
                .read_record(line.as_bytes(), &mut self.text, &mut self.ends);
        if first != InputEmpty || read != line.len() {
            return None;
        }
        let (end, _, more, more_ends) =
            self.parser
                .read_record(&[], &mut self.text[written..], &mut self.ends[ended..]);
        if end != Record || more != 0 {
            return None;
        }
        self.count = ended + more_ends;
        Some(self.count)
    }

    /// Cell `k` of the last line split.
    fn get(&self, k: usize) -> Option<&str> {
        if k >= self.count {
            return None;
        }
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        std::str::from_utf8(&self.text[start..self.ends[k]]).ok()
    }
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
    let runs = check_runs(&blame, &layout, paths)?;
    let ok = &runs.ok;
    // An ensemble, and a sweep without summaries (`summary = false`), writes neither file.
    let ensemble = !manifest["ensemble"].is_null();
    let (summary_header, ticks, partial) =
        if ensemble || manifest["summary"].as_bool() == Some(false) {
            Default::default()
        } else {
            let (header, mut ticks) = read_summary(&blame, &layout, paths, ok)?;
            let partial = read_partial(&blame, &layout, ok, &mut ticks)?;
            (header, ticks, partial)
        };
    let states = if manifest["states"].as_bool() == Some(true) {
        check_states(&blame, &layout, ok, ensemble)?
    } else {
        BTreeMap::new()
    };
    if manifest["series"].as_bool() == Some(true) {
        read_series(&blame, ok, &ticks, &layout)?;
    }
    Ok(ShardFolder {
        index,
        dir: dir.to_path_buf(),
        manifest,
        runs_header: runs.header,
        runs: layout.range.end - layout.range.start,
        split_params: runs.split_params,
        summary_header,
        ticks,
        partial,
        states,
    })
}

/// What [`check_runs`] found in `runs.csv`.
struct Runs {
    header: String,
    /// The runs that succeeded, in order.
    ok: Vec<u64>,
    /// The parameter cells of each design point the shard holds in part.
    split_params: BTreeMap<u64, String>,
}

/// Checks, reading it row by row, that `runs.csv` holds the shard's runs in order, each
/// once and whole.
fn check_runs(blame: &Blame<'_>, layout: &Layout, paths: usize) -> Result<Runs, SweepError> {
    let status_at = 4 + paths;
    let mut cells = Cells::new();
    let mut columns = None;
    let mut expected = layout.range.clone();
    let mut rows = 0u64;
    let mut ok = Vec::new();
    let mut split_params = BTreeMap::new();
    let header = each_line(blame, "runs.csv", "run", |header, number, line| {
        let bad = |problem: &str| blame.at("runs.csv", Some(number), problem);
        let columns = *columns.get_or_insert_with(|| cells.split(header).unwrap_or(0));
        rows += 1;
        // Rows past the shard's runs are only counted, for the message below.
        let Some(run) = expected.next() else {
            return Ok(());
        };
        if cells.split(line) != Some(columns) || columns <= status_at {
            return Err(bad("the row is malformed"));
        }
        if leading(line) != Some(run) {
            return Err(bad(&format!(
                "expected run {run}, found `{}`",
                cells.get(0).unwrap_or_default()
            )));
        }
        match cells.get(status_at) {
            Some("ok") => ok.push(run),
            Some("failed") => {}
            other => {
                return Err(bad(&format!(
                    "unknown status `{}`",
                    other.unwrap_or_default()
                )));
            }
        }
        let point = run / layout.replicates;
        if !layout.whole(point) && !split_params.contains_key(&point) {
            let params = (4..status_at)
                .filter_map(|k| cells.get(k))
                .map(|cell| tables::csv_field(cell) + ",")
                .collect();
            split_params.insert(point, params);
        }
        Ok(())
    })?;
    let want = layout.range.end - layout.range.start;
    if rows != want {
        return Err(blame.at(
            "runs.csv",
            None,
            &format!(
                "holds {rows} rows for the shard's {want} runs ({} to {})",
                layout.range.start,
                layout.range.end.saturating_sub(1)
            ),
        ));
    }
    Ok(Runs {
        header,
        ok,
        split_params,
    })
}

/// Checks `summary.csv`, reading it row by row: one block of rows per design point the
/// shard holds whole, in order, ticks from 0, each counting the point's successful runs.
/// Returns its header and each point's ticks.
fn read_summary(
    blame: &Blame<'_>,
    layout: &Layout,
    paths: usize,
    ok: &[u64],
) -> Result<(String, BTreeMap<u64, usize>), SweepError> {
    // Successful runs by design point, counted once (a point's rows each check it).
    let mut ok_runs: BTreeMap<u64, u64> = BTreeMap::new();
    for &run in ok {
        *ok_runs.entry(run / layout.replicates).or_default() += 1;
    }
    let mut cells = Cells::new();
    let mut columns = None;
    let mut ticks: BTreeMap<u64, usize> = BTreeMap::new();
    let header = each_line(blame, "summary.csv", "point", |header, number, line| {
        let bad = |problem: &str| blame.at("summary.csv", Some(number), problem);
        let columns = *columns.get_or_insert_with(|| cells.split(header).unwrap_or(0));
        if cells.split(line) != Some(columns) {
            return Err(bad("the row is malformed"));
        }
        let point = leading(line).ok_or_else(|| bad("the row is malformed"))?;
        let tick = cells.get(1 + paths).and_then(|c| c.parse::<usize>().ok());
        let runs = cells.get(3 + paths).and_then(|c| c.parse::<u64>().ok());
        if !layout.whole(point) {
            return Err(bad(&format!(
                "design point {point} is not one the shard holds whole"
            )));
        }
        if ticks.keys().next_back().is_some_and(|&last| last > point) {
            return Err(bad(&format!("design point {point} comes out of order")));
        }
        let seen = ticks.entry(point).or_default();
        if tick != Some(*seen) {
            return Err(bad(&format!(
                "expected tick {seen} of design point {point}"
            )));
        }
        *seen += 1;
        let ok_runs = ok_runs.get(&point).copied().unwrap_or(0);
        if runs != Some(ok_runs) {
            return Err(bad(&format!(
                "design point {point} counts {} runs, but runs.csv holds {ok_runs} that succeeded",
                runs.map_or("no".to_owned(), |r| r.to_string())
            )));
        }
        Ok(())
    })?;
    let first = layout.range.start / layout.replicates;
    let last = layout.range.end.div_ceil(layout.replicates);
    if let Some(point) = (first..last).find(|&p| layout.whole(p) && !ticks.contains_key(&p)) {
        return Err(blame.at(
            "summary.csv",
            None,
            &format!("design point {point} has no summary rows"),
        ));
    }
    Ok((header, ticks))
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
    let mut cells = Cells::new();
    let mut columns = None;
    let mut seen: Vec<u64> = Vec::new();
    each_line(blame, STATES, "point", |header, number, line| {
        let bad = |problem: &str| blame.at(STATES, Some(number), problem);
        let columns = *columns.get_or_insert_with(|| cells.split(header).unwrap_or(0));
        let point = leading(line)
            .filter(|_| cells.split(line) == Some(columns))
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
        Ok(())
    })?;
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
    each_line(blame, "partial.csv", "run", |_, number, line| {
        let bad = |problem: &str| blame.at("partial.csv", Some(number), problem);
        let (run, point, tick, date, members, share) =
            partial_row(line).ok_or_else(|| bad("the row is malformed"))?;
        // `ok`, and so `split`, is in run order.
        if split.binary_search(&run).is_err() || run / layout.replicates != point {
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
        Ok(())
    })?;
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
    let columns = tables::SERIES_HEADER.split(',').count();
    let mut runs: Vec<(u64, usize, usize)> = Vec::new();
    each_line(blame, "series.csv", "run", |_, number, line| {
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
        Ok(())
    })?;
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_split_quoted_commas_and_refuse_what_is_not_one_record() {
        let mut cells = Cells::new();
        assert_eq!(cells.split("3,0,\"a,b\",\"say \"\"hi\"\"\",ok"), Some(5));
        let all: Vec<&str> = (0..5).map(|k| cells.get(k).unwrap()).collect();
        assert_eq!(all, ["3", "0", "a,b", "say \"hi\"", "ok"]);
        assert_eq!(cells.get(5), None);
        assert_eq!(
            cells.split("7"),
            Some(1),
            "a shorter line after a longer one"
        );
        assert_eq!(cells.get(0), Some("7"));
        assert_eq!(cells.get(1), None, "nothing left over from the line before");
        assert_eq!(cells.split("1,,2,"), Some(4), "empty cells count");
        assert_eq!(cells.split(""), None, "a blank line is no record");
        assert_eq!(cells.split("1,2\n3"), None, "two lines are not one record");
    }

    #[test]
    fn lines_are_read_with_their_numbers_and_a_bad_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let blame = Blame {
            index: 2,
            count: 3,
            dir: dir.path(),
        };
        std::fs::write(dir.path().join("a.csv"), "run,x\r\n0,a\n1,b\r\n").unwrap();
        let mut seen = Vec::new();
        let header = each_line(&blame, "a.csv", "run", |header, number, line| {
            seen.push((header.to_owned(), number, line.to_owned()));
            Ok(())
        })
        .unwrap();
        assert_eq!(header, "run,x");
        assert_eq!(
            seen,
            [
                ("run,x".to_owned(), 2, "0,a".to_owned()),
                ("run,x".to_owned(), 3, "1,b".to_owned())
            ]
        );
        let error = |text: &[u8]| {
            std::fs::write(dir.path().join("b.csv"), text).unwrap();
            each_line(&blame, "b.csv", "run", |_, _, _| Ok(()))
                .unwrap_err()
                .to_string()
        };
        assert!(error(b"run\n0\n\xff\n").contains("b.csv, line 3: the line is not UTF-8"));
        assert!(error(b"run\n0").contains("cut short"));
        assert!(error(b"").contains("empty"));
        assert!(error(b"point\n0\n").contains("line 1: the header"));
        let missing = each_line(&blame, "c.csv", "run", |_, _, _| Ok(())).unwrap_err();
        assert!(missing.to_string().contains("shard 2 of 3"), "{missing}");
        assert!(
            missing.to_string().contains("c.csv: the file is missing"),
            "{missing}"
        );
    }
}
