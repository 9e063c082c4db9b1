//! Reading a finished sweep folder for analysis (`waico sensitivity`, `waico discover`):
//! its manifest (design kind, varied paths, the Sobol' or Morris layout, seeds, calendar)
//! and `runs.csv` (every run's values and outcomes), and `series.csv` when an outcome at a
//! date was not kept in `runs.csv`. Reading never runs the model.
//!
//! An outcome is a number per run: the counts and shares of `runs.csv`, the dates of
//! `first_N_members` as years after the start (never reached: infinity, which analyses
//! handle explicitly), and `members@DATE` / `gdp_share@DATE`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::AnalysisError;
use super::folder::malformed;
use crate::explore::morris::Morris;
use crate::explore::saltelli::Saltelli;
use crate::sweep::design::Structure;
use crate::sweep::tables::OUTCOMES;
use crate::time::Date;

/// A finished sweep folder, read.
#[derive(Clone, Debug)]
pub struct SweepFolder {
    /// The folder.
    pub dir: PathBuf,
    /// The sweep's name.
    pub name: String,
    /// The SHA-256 of the sweep file, as its manifest records it (empty if it does not).
    pub sha256: String,
    /// The design kind (`grid`, `zip`, `lhs`, `sobol`, `morris`, `table`, `none`).
    pub kind: String,
    /// The varied paths.
    pub paths: Vec<String>,
    /// The layout of a Sobol' or Morris design.
    pub structure: Structure,
    /// Runs per design point.
    pub replicates: usize,
    /// Whether replicate `r` has the same seed at every point.
    pub common_seeds: bool,
    /// The first tick's date.
    pub start: Date,
    /// The last tick's date.
    pub last: Date,
    /// The design points, in order.
    pub points: Vec<Point>,
    /// The outcome columns of `runs.csv`, in file order.
    pub outcomes: Vec<String>,
}

/// One design point: its values as written, and its runs in replicate order.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The cell of every varied path.
    pub params: Vec<String>,
    /// Its runs.
    pub runs: Vec<Run>,
}

/// One run of `runs.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The run number.
    pub run: u64,
    /// Whether it finished.
    pub ok: bool,
    /// Each outcome of [`SweepFolder::outcomes`] (`None` where the cell is empty, as for a
    /// failed run; `first_N_members` never reached is infinity).
    pub values: Vec<Option<f64>>,
}

/// One outcome over the design: `values[point][replicate]` (`None` for a failed run).
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Its name.
    pub name: String,
    /// The values.
    pub values: Vec<Vec<Option<f64>>>,
    /// Whether it is a time to reach a count (years after the start), infinite if never.
    pub is_time: bool,
}

fn folder(msg: String) -> AnalysisError {
    AnalysisError::Folder(msg)
}

impl SweepFolder {
    /// Opens the sweep folder `dir`, failing clearly if it is not a finished, whole sweep.
    pub fn open(dir: &Path) -> Result<SweepFolder, AnalysisError> {
        let shown = dir.display();
        let help =
            "give a folder written by `waico sweep` (or `waico merge`), such as output/sweeps/NAME";
        if !dir.is_dir() {
            return Err(folder(format!("{shown} is not a folder\n  help: {help}")));
        }
        let path = dir.join("manifest.json");
        if !dir.join("runs.csv").is_file() || !path.is_file() {
            return Err(folder(format!(
                "{shown} is not a sweep folder (no runs.csv and manifest.json)\n  help: {help}"
            )));
        }
        if dir.join("sweep.lock").exists() {
            return Err(folder(format!(
                "{shown} holds a sweep still running or interrupted\n  help: let it finish, or continue it with `waico sweep FILE --resume`"
            )));
        }
        let text = std::fs::read_to_string(&path).map_err(|source| AnalysisError::Io {
            path: path.clone(),
            source,
        })?;
        let m: Value = serde_json::from_str(&text)
            .map_err(|e| malformed(&path, Some(e.line() as u64), e.to_string()))?;
        if m["kind"] == "ensemble" {
            return Err(folder(format!(
                "{shown} is an ensemble's folder (written by `waico run --seeds`): it varies no parameter, so there is nothing to attribute its outcomes to\n  help: {help}"
            )));
        }
        if !m["shard"].is_null() {
            return Err(folder(format!(
                "{shown} holds one shard of a sweep\n  help: join the shards first with `waico merge SHARD... --out DIR`"
            )));
        }
        let need = |pointer: &str| {
            m.pointer(pointer)
                .ok_or_else(|| malformed(&path, None, format!("no `{pointer}`")))
        };
        let paths: Vec<String> = need("/design/paths")?
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let date = |pointer: &str| -> Result<Date, AnalysisError> {
            let t = need(pointer)?.as_str().unwrap_or_default();
            Date::parse(t).map_err(|e| malformed(&path, None, format!("`{pointer}`: {e}")))
        };
        let structure = structure(&m["design"]["structure"], paths.len())
            .map_err(|e| malformed(&path, None, e))?;
        let mut sweep = SweepFolder {
            dir: dir.to_path_buf(),
            name: need("/sweep/name")?.as_str().unwrap_or("sweep").to_owned(),
            sha256: m["sweep"]["sha256"].as_str().unwrap_or_default().to_owned(),
            kind: need("/design/kind")?
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            paths,
            structure,
            replicates: need("/replicates")?.as_u64().unwrap_or(1).max(1) as usize,
            common_seeds: m["common_seeds"].as_bool().unwrap_or(false),
            start: date("/calendar/start")?,
            last: date("/calendar/last")?,
            points: Vec::new(),
            outcomes: Vec::new(),
        };
        let expected_points = need("/design/points")?.as_u64().unwrap_or(0) as usize;
        sweep.read_runs(expected_points)?;
        Ok(sweep)
    }

    fn read_runs(&mut self, expected_points: usize) -> Result<(), AnalysisError> {
        let path = self.dir.join("runs.csv");
        let file = std::fs::File::open(&path).map_err(|source| AnalysisError::Io {
            path: path.clone(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new().from_reader(std::io::BufReader::new(file));
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| malformed(&path, Some(1), e.to_string()))?
            .iter()
            .map(str::to_owned)
            .collect();
        let Columns {
            run: run_c,
            point: point_c,
            status: status_c,
            params: param_c,
            first,
            error: error_c,
        } = Columns::find(&header, &self.paths, &path)?;
        self.outcomes = header[first..error_c].to_vec();
        let start = self.start;
        self.points = vec![
            Point {
                params: Vec::new(),
                runs: Vec::new()
            };
            expected_points
        ];
        let mut count = 0usize;
        for (k, record) in reader.records().enumerate() {
            let line = k as u64 + 2;
            let record = record.map_err(|e| malformed(&path, Some(line), e.to_string()))?;
            let number = |c: usize| record.get(c).and_then(|t| t.parse::<u64>().ok());
            let (Some(run), Some(point)) = (number(run_c), number(point_c)) else {
                return Err(malformed(&path, Some(line), "no run or point number"));
            };
            let Some(slot) = self.points.get_mut(point as usize) else {
                return Err(malformed(
                    &path,
                    Some(line),
                    format!("design point {point} is not in the design"),
                ));
            };
            if slot.runs.is_empty() {
                slot.params = param_c
                    .iter()
                    .map(|&c| record.get(c).unwrap_or_default().to_owned())
                    .collect();
            }
            let values = (first..error_c)
                .map(|c| cell_value(&header[c], record.get(c).unwrap_or_default(), start))
                .collect::<Result<Vec<_>, String>>()
                .map_err(|e| malformed(&path, Some(line), e))?;
            slot.runs.push(Run {
                run,
                ok: record.get(status_c) == Some("ok"),
                values,
            });
            count += 1;
        }
        let expected = expected_points * self.replicates;
        if count != expected {
            return Err(folder(format!(
                "{} holds {count} of the sweep's {expected} runs\n  help: finish it with `waico sweep FILE --resume`",
                path.display()
            )));
        }
        Ok(())
    }

    /// The outcome `name` over the design: a column of `runs.csv`, or `members@DATE` /
    /// `gdp_share@DATE` read from `series.csv` when `runs.csv` did not keep it.
    pub fn outcome(&self, name: &str) -> Result<Outcome, AnalysisError> {
        let is_time = name.starts_with("first_");
        if let Some(c) = self.outcomes.iter().position(|o| o == name) {
            return Ok(Outcome {
                name: name.to_owned(),
                values: self
                    .points
                    .iter()
                    .map(|p| {
                        p.runs
                            .iter()
                            .map(|r| if r.ok { r.values[c] } else { None })
                            .collect()
                    })
                    .collect(),
                is_time,
            });
        }
        let Some((what, date)) = name.split_once('@') else {
            return Err(self.unknown_outcome(name));
        };
        if what != "members" && what != "gdp_share" {
            return Err(self.unknown_outcome(name));
        }
        let date = Date::parse(date).map_err(|e| {
            folder(format!(
                "`{name}`: {e}\n  help: write members@YYYY-MM-DD or gdp_share@YYYY-MM-DD"
            ))
        })?;
        self.read_series(name, what == "members", date)
    }

    fn unknown_outcome(&self, name: &str) -> AnalysisError {
        folder(format!(
            "`{name}` is not an outcome of {}\n  help: use one of {}, or members@DATE / gdp_share@DATE",
            self.dir.display(),
            self.outcomes.join(", ")
        ))
    }

    fn read_series(&self, name: &str, members: bool, date: Date) -> Result<Outcome, AnalysisError> {
        let path = self.dir.join("series.csv");
        if !path.is_file() {
            return Err(folder(format!(
                "{} kept neither a `{name}` column in runs.csv nor series.csv\n  help: add outcomes_at = [{date}] to the sweep file's [sweep] table (or series = true) and run it again",
                self.dir.display()
            )));
        }
        if date < self.start {
            return Err(folder(format!(
                "{date} is before the runs start ({})",
                self.start
            )));
        }
        let file = std::fs::File::open(&path).map_err(|source| AnalysisError::Io {
            path: path.clone(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new().from_reader(std::io::BufReader::new(file));
        // The value of each run at the last tick dated on or before `date`.
        let mut at: BTreeMap<u64, f64> = BTreeMap::new();
        for (k, record) in reader.records().enumerate() {
            let line = k as u64 + 2;
            let r = record.map_err(|e| malformed(&path, Some(line), e.to_string()))?;
            let parsed = (
                r.get(0).and_then(|t| t.parse::<u64>().ok()),
                r.get(2).and_then(|t| Date::parse(t).ok()),
                r.get(if members { 3 } else { 5 })
                    .and_then(|t| t.parse::<f64>().ok()),
            );
            let (Some(run), Some(d), Some(v)) = parsed else {
                return Err(malformed(
                    &path,
                    Some(line),
                    "expected run, tick, date and values",
                ));
            };
            if d <= date {
                at.insert(run, v);
            }
        }
        Ok(Outcome {
            name: name.to_owned(),
            values: self
                .points
                .iter()
                .map(|p| {
                    p.runs
                        .iter()
                        .map(|r| if r.ok { at.get(&r.run).copied() } else { None })
                        .collect()
                })
                .collect(),
            is_time: false,
        })
    }

    /// The varied paths whose every point holds a number, with the values per point.
    pub fn numeric_factors(&self) -> (Vec<usize>, Vec<Vec<f64>>) {
        let numeric: Vec<usize> = (0..self.paths.len())
            .filter(|&j| {
                self.points.iter().all(|p| {
                    p.params
                        .get(j)
                        .and_then(|t| t.parse::<f64>().ok())
                        .is_some_and(f64::is_finite)
                })
            })
            .collect();
        let values = self
            .points
            .iter()
            .map(|p| {
                numeric
                    .iter()
                    .map(|&j| p.params[j].parse().unwrap_or(0.0))
                    .collect()
            })
            .collect();
        (numeric, values)
    }
}

/// A cell of an outcome column as a number: counts and shares as written, the dates of
/// `first_N_members` as years after `start` (empty: never, infinity), other empty cells
/// `None`.
/// Where the columns of `runs.csv` are.
struct Columns {
    run: usize,
    point: usize,
    status: usize,
    /// One per varied path, in the manifest's order.
    params: Vec<usize>,
    /// The first outcome column; outcomes run from it to `error`.
    first: usize,
    error: usize,
}

impl Columns {
    fn find(header: &[String], paths: &[String], path: &Path) -> Result<Columns, AnalysisError> {
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| malformed(path, Some(1), format!("no `{name}` column")))
        };
        let (first, error) = (col(OUTCOMES[0])?, col("error")?);
        if first > error {
            return Err(malformed(
                path,
                Some(1),
                "the outcome columns do not come before `error`",
            ));
        }
        Ok(Columns {
            run: col("run")?,
            point: col("point")?,
            status: col("status")?,
            params: paths
                .iter()
                .map(|p| col(&format!("param_{p}")))
                .collect::<Result<_, _>>()?,
            first,
            error,
        })
    }
}

fn cell_value(column: &str, text: &str, start: Date) -> Result<Option<f64>, String> {
    if column.starts_with("first_") {
        if text.is_empty() {
            return Ok(Some(f64::INFINITY));
        }
        let d = Date::parse(text).map_err(|e| format!("`{column}`: {e}"))?;
        return Ok(Some(f64::from(d.days_since(start)) / 365.25));
    }
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| format!("`{column}`: `{text}` is not a number"))
}

/// The Sobol' or Morris layout the manifest records.
fn structure(v: &Value, factors: usize) -> Result<Structure, String> {
    let n = |key: &str| {
        v[key]
            .as_u64()
            .map(|x| x as usize)
            .ok_or(format!("design.structure has no `{key}`"))
    };
    match v["method"].as_str() {
        None => Ok(Structure::Plain),
        Some("sobol") => Ok(Structure::Sobol(Saltelli::new(
            factors,
            n("base_samples")?,
            v["second_order"].as_bool().unwrap_or(false),
        )?)),
        Some("morris") => Ok(Structure::Morris(Morris::new(
            factors,
            n("trajectories")?,
            n("levels")?,
            n("candidates")?,
        )?)),
        Some(other) => Err(format!("unknown design method `{other}`")),
    }
}
