//! The charts of a sweep folder, drawn from its files alone (so `waico plot DIR` can
//! redraw them anywhere): reads the manifest, `summary.csv` and `runs.csv`, settles which
//! outcome and parameters to show, and hands the data to [`super::charts`].

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::charts::{self as figures, Point};
use super::error::SweepError;
use super::manifest::read_manifest;
use crate::output::charts::Rendered;
use crate::scenario::error::did_you_mean;
use crate::time::Date;

/// Outcomes a chart can show (numeric columns of `runs.csv`).
pub const CHART_OUTCOMES: [&str; 4] = [
    "final_members",
    "final_partners",
    "final_member_gdp_share",
    "peak_members",
];

/// What to draw, where the sweep file's `[charts]` is to be overridden (`waico plot
/// --outcome/--x/--y`).
#[derive(Clone, Debug, Default)]
pub struct Choices {
    /// The outcome of the response chart and heatmap.
    pub outcome: Option<String>,
    /// The parameter on their x axis.
    pub x: Option<String>,
    /// The second parameter (the heatmap's y axis, the response chart's lines).
    pub y: Option<String>,
}

/// A sweep folder's facts the charts need.
#[derive(Clone, Debug)]
pub struct Folder {
    /// The sweep's name.
    pub name: String,
    /// The varied paths, in design order.
    pub paths: Vec<String>,
    /// Replicates per design point.
    pub replicates: u64,
    /// For a shard: "shard K of N, runs A to B"; the charts say it.
    pub shard: Option<String>,
}

impl Folder {
    fn of(manifest: &Value) -> Folder {
        let shard = &manifest["shard"];
        Folder {
            name: manifest["sweep"]["name"]
                .as_str()
                .unwrap_or("sweep")
                .to_owned(),
            paths: manifest["design"]["paths"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            replicates: manifest["replicates"].as_u64().unwrap_or(0),
            shard: shard["index"].as_u64().map(|k| {
                format!(
                    "shard {k} of {}, runs {} to {} only",
                    shard["count"].as_u64().unwrap_or(0),
                    shard["first_run"].as_u64().unwrap_or(0),
                    shard["end_run"].as_u64().unwrap_or(1).saturating_sub(1)
                )
            }),
        }
    }

    /// `title`, with the shard named when the folder holds one.
    pub fn title(&self, title: String) -> String {
        match &self.shard {
            Some(shard) => format!("{title} ({shard})"),
            None => title,
        }
    }
}

/// Reads the CSV `path` (or its `.gz`) record by record: `columns` finds in the header
/// the columns the reader needs, then `each` gets them with every record in turn. Memory
/// holds one record, whatever the size of the file.
fn each_record<T>(
    path: &Path,
    columns: impl FnOnce(&[String]) -> Result<T, SweepError>,
    mut each: impl FnMut(&T, &csv::StringRecord),
) -> Result<(), SweepError> {
    let file = crate::output::compress::open(path).map_err(|source| SweepError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new().from_reader(file);
    let bad = |e: csv::Error| SweepError::Folder(format!("{}: {e}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(str::to_owned)
        .collect();
    let columns = columns(&header)?;
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(bad)? {
        each(&columns, &record);
    }
    Ok(())
}

/// The columns of the varied parameters in `file`, in design order.
fn param_columns(header: &[String], folder: &Folder, file: &str) -> Result<Vec<usize>, SweepError> {
    folder
        .paths
        .iter()
        .map(|p| column(header, &format!("param_{p}"), file))
        .collect()
}

fn column(header: &[String], name: &str, file: &str) -> Result<usize, SweepError> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| SweepError::Folder(format!("{file} has no `{name}` column")))
}

/// The outcome and parameters to draw: the choices, else the sweep file's `[charts]`,
/// else the first varied paths; a choice the sweep cannot show is an error naming what
/// it can.
fn settle(
    folder: &Folder,
    manifest: &Value,
    choices: &Choices,
) -> Result<(String, Option<String>, Option<String>), SweepError> {
    let from_file = |key: &str| manifest["charts"][key].as_str().map(str::to_owned);
    let outcome = choices
        .outcome
        .clone()
        .or_else(|| from_file("outcome"))
        .unwrap_or_else(|| "final_members".to_owned());
    if !CHART_OUTCOMES.contains(&outcome.as_str()) {
        let help = did_you_mean(&outcome, CHART_OUTCOMES)
            .unwrap_or_else(|| format!("choose one of {}", CHART_OUTCOMES.join(", ")));
        return Err(SweepError::Folder(format!(
            "`{outcome}` is not an outcome the charts can show\n  help: {help}"
        )));
    }
    let check = |flag: &str, path: &str| -> Result<(), SweepError> {
        if folder.paths.iter().any(|p| p == path) {
            return Ok(());
        }
        let varied = if folder.paths.is_empty() {
            "nothing (it runs replicates of one scenario)".to_owned()
        } else {
            folder.paths.join(", ")
        };
        Err(SweepError::Folder(format!(
            "{flag} `{path}` is not a parameter this sweep varies; it varies {varied}"
        )))
    };
    let x = match (&choices.x, from_file("x")) {
        (Some(x), _) => {
            check("--x", x)?;
            Some(x.clone())
        }
        (None, Some(x)) if folder.paths.contains(&x) => Some(x),
        _ => folder.paths.first().cloned(),
    };
    let y = match (&choices.y, from_file("y")) {
        (Some(y), _) => {
            check("--y", y)?;
            if Some(y) == x.as_ref() {
                return Err(SweepError::Folder(format!(
                    "--y `{y}` is the x parameter too; choose two different parameters"
                )));
            }
            Some(y.clone())
        }
        (None, Some(y)) if folder.paths.contains(&y) && Some(&y) != x.as_ref() => Some(y),
        _ => folder
            .paths
            .iter()
            .find(|p| Some(*p) != x.as_ref())
            .cloned(),
    };
    Ok((outcome, x, y))
}

/// Every design point with its values and the outcome of its successful runs, from
/// `runs.csv`, read as it streams: memory holds each point's outcomes (8 bytes a run),
/// not the file.
fn points(dir: &Path, folder: &Folder, outcome: &str) -> Result<Vec<Point>, SweepError> {
    let mut by_point: BTreeMap<u64, Point> = BTreeMap::new();
    each_record(
        &dir.join("runs.csv"),
        |header| {
            let params = param_columns(header, folder, "runs.csv")?;
            Ok((
                column(header, "status", "runs.csv")?,
                column(header, "point", "runs.csv")?,
                column(header, outcome, "runs.csv")?,
                params,
            ))
        },
        |(status, point, out, params), row| {
            let cell = |c: usize| row.get(c).unwrap_or_default();
            if cell(*status) != "ok" {
                return;
            }
            let Ok(p) = cell(*point).parse::<u64>() else {
                return;
            };
            let entry = by_point.entry(p).or_insert_with(|| Point {
                index: p,
                values: params.iter().map(|&c| cell(c).to_owned()).collect(),
                outcomes: Vec::new(),
            });
            if let Some(v) = cell(*out).parse::<f64>().ok().filter(|v| v.is_finite()) {
                entry.outcomes.push(v);
            }
        },
    )?;
    Ok(by_point.into_values().collect())
}

/// What the fan charts need of `summary.csv` ([`figures::Fans`]), read as it streams,
/// twice: first every point's values and the highest quantile, then the series of the
/// points drawn.
fn fans(dir: &Path, folder: &Folder) -> Result<figures::Fans, SweepError> {
    let path = dir.join("summary.csv");
    let columns = |header: &[String]| {
        let params = param_columns(header, folder, "summary.csv")?;
        let q: Vec<usize> = ["q05", "q25", "q50", "q75", "q95"]
            .iter()
            .map(|s| column(header, &format!("members_{s}"), "summary.csv"))
            .collect::<Result<_, _>>()?;
        Ok((
            column(header, "point", "summary.csv")?,
            column(header, "date", "summary.csv")?,
            params,
            q,
        ))
    };
    // A row's point, date and quantiles; `None` for a row that is not one.
    let read = |(point, date, _, q): &(usize, usize, Vec<usize>, Vec<usize>),
                row: &csv::StringRecord| {
        let cell = |c: usize| row.get(c).unwrap_or_default();
        let (Ok(p), Ok(d)) = (cell(*point).parse::<u64>(), Date::parse(cell(*date))) else {
            return None;
        };
        Some((
            p,
            d,
            [0, 1, 2, 3, 4].map(|k| cell(q[k]).parse().unwrap_or(0.0)),
        ))
    };
    let mut points: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    let mut fans = figures::Fans::default();
    each_record(&path, columns, |columns, row| {
        let Some((p, _, quantiles)) = read(columns, row) else {
            return;
        };
        points.entry(p).or_insert_with(|| {
            let cell = |c: usize| row.get(c).unwrap_or_default().to_owned();
            columns.2.iter().map(|&c| cell(c)).collect()
        });
        fans.top = fans.top.max(quantiles[4]);
    })?;
    fans.points = points.into_iter().collect();
    let drawn = figures::drawn_fans(fans.points.len());
    let mut series: BTreeMap<u64, figures::PointSeries> = drawn
        .iter()
        .map(|&at| {
            let empty = figures::PointSeries {
                dates: Vec::new(),
                quantiles: Vec::new(),
            };
            (fans.points[at].0, empty)
        })
        .collect();
    each_record(&path, columns, |columns, row| {
        if let Some((p, d, quantiles)) = read(columns, row)
            && let Some(s) = series.get_mut(&p)
        {
            s.dates.push(d);
            s.quantiles.push(quantiles);
        }
    })?;
    fans.drawn = series.into_values().collect();
    Ok(fans)
}

/// Draws every chart of the sweep folder `dir` and writes them there (each file replaced
/// atomically). Returns the file names written.
pub fn render_charts(dir: &Path, choices: &Choices) -> Result<Vec<String>, SweepError> {
    let manifest = read_manifest(dir)?;
    let folder = Folder::of(&manifest);
    let (outcome, x, y) = settle(&folder, &manifest, choices)?;
    // Fan charts are drawn from summary.csv, which a sweep may leave out.
    let mut rendered: Vec<Rendered> = if manifest["summary"].as_bool() == Some(false) {
        Vec::new()
    } else {
        figures::fan_charts(&folder, fans(dir, &folder)?)?
    };
    let points = points(dir, &folder, &outcome)?;
    if let Some(x) = &x {
        rendered.extend(figures::response(
            &folder,
            &points,
            &outcome,
            x,
            y.as_deref(),
        )?);
        if let Some(y) = &y {
            rendered.extend(figures::heatmap(&folder, &points, &outcome, x, y)?);
        }
    }
    let names = crate::output::charts::write_into(dir, &rendered)?;
    Ok(names)
}
