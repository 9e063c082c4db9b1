//! The charts of a sweep folder, drawn from its files alone (so `waico plot DIR` can
//! redraw them anywhere): fan charts of members over time per design point, a heatmap of an
//! outcome over two varied parameters, and the outcome against one parameter.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

use super::error::{SweepError, io};
use super::manifest::read_manifest;
use super::stats::stats;
use crate::output::charts::fan::{Fan, FanChart};
use crate::output::charts::heatmap::HeatmapChart;
use crate::output::charts::response::ResponseChart;
use crate::output::charts::{self, Rendered};
use crate::time::Date;

/// Outcomes a chart can show (numeric columns of `runs.csv`).
pub const CHART_OUTCOMES: [&str; 4] = [
    "final_members",
    "final_partners",
    "final_member_gdp_share",
    "peak_members",
];

/// Design points per fan chart, for legibility.
const FANS_PER_CHART: usize = 4;

/// Fan charts drawn at most (more points are sampled evenly).
const MAX_FAN_CHARTS: usize = 6;

fn read_csv(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>), SweepError> {
    let text = fs::read_to_string(path).map_err(|source| SweepError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let bad = |e: csv::Error| SweepError::Folder(format!("{}: {e}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        rows.push(record.map_err(bad)?.iter().map(str::to_owned).collect());
    }
    Ok((header, rows))
}

fn column(header: &[String], name: &str, file: &str) -> Result<usize, SweepError> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| SweepError::Folder(format!("{file} has no `{name}` column")))
}

/// Draws every chart of the sweep folder `dir` and writes them there (each file replaced
/// atomically). Returns the file names written.
pub fn render_charts(dir: &Path) -> Result<Vec<String>, SweepError> {
    let manifest = read_manifest(dir)?;
    let mut rendered = fan_charts(dir, &manifest)?;
    let (runs_header, runs) = read_csv(&dir.join("runs.csv"))?;
    let paths: Vec<String> = manifest["design"]["paths"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let outcome = manifest["charts"]["outcome"]
        .as_str()
        .unwrap_or("final_members")
        .to_owned();
    let status = column(&runs_header, "status", "runs.csv")?;
    let out_col = column(&runs_header, &outcome, "runs.csv")?;
    let ok: Vec<&Vec<String>> = runs.iter().filter(|r| r[status] == "ok").collect();
    let name = manifest["sweep"]["name"]
        .as_str()
        .unwrap_or("sweep")
        .to_owned();
    let x = manifest["charts"]["x"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| paths.first().cloned());
    if let Some(x) = &x {
        let xc = column(&runs_header, &format!("param_{x}"), "runs.csv")?;
        if let Some(chart) = response(
            &name,
            x,
            &outcome,
            ok.iter().map(|r| (r[xc].as_str(), r[out_col].as_str())),
        ) {
            rendered.push(charts::render(&chart)?);
        }
        let y = manifest["charts"]["y"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| paths.iter().find(|p| *p != x).cloned());
        if let Some(y) = &y {
            let yc = column(&runs_header, &format!("param_{y}"), "runs.csv")?;
            let triples = ok
                .iter()
                .map(|r| (r[xc].as_str(), r[yc].as_str(), r[out_col].as_str()));
            if let Some(chart) = heatmap(&name, x, y, &outcome, triples) {
                rendered.push(charts::render(&chart)?);
            }
        }
    }
    let mut names = Vec::new();
    for chart in rendered {
        for (ext, bytes) in [("png", &chart.png), ("svg", &chart.svg)] {
            let file = format!("{}.{ext}", chart.name);
            let tmp = dir.join(format!(".{file}.tmp"));
            let written = fs::write(&tmp, bytes)
                .map_err(io(&tmp))
                .and_then(|()| fs::rename(&tmp, dir.join(&file)).map_err(io(&dir.join(&file))));
            if written.is_err() {
                // A full disk leaves no half-written chart behind.
                let _ = fs::remove_file(&tmp);
            }
            written?;
            names.push(file);
        }
    }
    Ok(names)
}

fn fan_charts(dir: &Path, manifest: &Value) -> Result<Vec<Rendered>, SweepError> {
    let (header, rows) = read_csv(&dir.join("summary.csv"))?;
    let paths: Vec<&str> = manifest["design"]["paths"]
        .as_array()
        .map_or(Vec::new(), |a| a.iter().filter_map(Value::as_str).collect());
    let (point, date) = (
        column(&header, "point", "summary.csv")?,
        column(&header, "date", "summary.csv")?,
    );
    let q: Vec<usize> = ["q05", "q25", "q50", "q75", "q95"]
        .iter()
        .map(|s| column(&header, &format!("members_{s}"), "summary.csv"))
        .collect::<Result<_, _>>()?;
    let mut fans: BTreeMap<u64, Fan> = BTreeMap::new();
    for row in &rows {
        let p: u64 = row[point].parse().unwrap_or(0);
        let fan = fans.entry(p).or_insert_with(|| Fan {
            label: if paths.is_empty() {
                "all runs".to_owned()
            } else {
                paths
                    .iter()
                    .enumerate()
                    .map(|(k, path)| format!("{path} = {}", row[point + 1 + k]))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            dates: Vec::new(),
            quantiles: Vec::new(),
        });
        let Ok(d) = Date::parse(&row[date]) else {
            continue;
        };
        fan.dates.push(d);
        fan.quantiles
            .push([0, 1, 2, 3, 4].map(|k| row[q[k]].parse().unwrap_or(0.0)));
    }
    let all: Vec<Fan> = fans.into_values().collect();
    let name = manifest["sweep"]["name"].as_str().unwrap_or("sweep");
    let groups: Vec<Vec<Fan>> = if all.len() <= FANS_PER_CHART * MAX_FAN_CHARTS {
        all.chunks(FANS_PER_CHART).map(<[Fan]>::to_vec).collect()
    } else {
        let step = (all.len() - 1) as f64 / (FANS_PER_CHART - 1) as f64;
        vec![
            (0..FANS_PER_CHART)
                .map(|k| all[(k as f64 * step).round() as usize].clone())
                .collect(),
        ]
    };
    let total = all.len();
    let mut out = Vec::new();
    for (k, fans) in groups.into_iter().enumerate() {
        let title = if total > FANS_PER_CHART * MAX_FAN_CHARTS {
            format!("{name}: members, {FANS_PER_CHART} of {total} design points")
        } else if total > FANS_PER_CHART {
            format!(
                "{name}: members by design point ({}/{})",
                k + 1,
                total.div_ceil(FANS_PER_CHART)
            )
        } else {
            format!("{name}: members by design point")
        };
        let file = if k == 0 {
            "fan".to_owned()
        } else {
            format!("fan-{}", k + 1)
        };
        out.push(charts::render(&FanChart {
            name: file,
            title,
            fans,
            observed: Vec::new(),
        })?);
    }
    Ok(out)
}

fn numeric(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn response<'a>(
    name: &str,
    x: &str,
    outcome: &str,
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> Option<ResponseChart> {
    let pairs: Vec<(f64, f64)> = pairs
        .filter_map(|(a, b)| Some((numeric(a)?, numeric(b)?)))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let mut distinct: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let groups: Vec<(f64, Vec<f64>)> = if distinct.len() <= 25 {
        distinct
            .iter()
            .map(|&v| (v, pairs.iter().filter(|p| p.0 == v).map(|p| p.1).collect()))
            .collect()
    } else {
        let (lo, hi) = (distinct[0], distinct[distinct.len() - 1]);
        let bins = 12;
        let width = (hi - lo) / bins as f64;
        (0..bins)
            .map(|b| {
                let (from, to) = (lo + b as f64 * width, lo + (b + 1) as f64 * width);
                let last = b == bins - 1;
                let ys = pairs
                    .iter()
                    .filter(|p| p.0 >= from && (p.0 < to || (last && p.0 <= to)))
                    .map(|p| p.1)
                    .collect();
                ((from + to) / 2.0, ys)
            })
            .filter(|(_, ys): &(f64, Vec<f64>)| !ys.is_empty())
            .collect()
    };
    let groups = groups
        .into_iter()
        .map(|(x, ys)| {
            let s = stats(&ys);
            (x, [s.quantiles[0], s.quantiles[2], s.quantiles[4]])
        })
        .collect();
    Some(ResponseChart {
        name: "response".into(),
        title: format!("{name}: {outcome} against {x}"),
        x_label: x.to_owned(),
        y_label: outcome.to_owned(),
        groups,
    })
}

fn heatmap<'a>(
    name: &str,
    x: &str,
    y: &str,
    outcome: &str,
    triples: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
) -> Option<HeatmapChart> {
    let triples: Vec<(&str, &str, f64)> = triples
        .filter_map(|(a, b, c)| Some((a, b, numeric(c)?)))
        .collect();
    let order = |values: Vec<&str>| -> Vec<String> {
        let mut v: Vec<&str> = values;
        v.sort_by(|a, b| match (numeric(a), numeric(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => a.cmp(b),
        });
        v.dedup();
        v.into_iter().map(str::to_owned).collect()
    };
    let xs = order(triples.iter().map(|t| t.0).collect());
    let ys = order(triples.iter().map(|t| t.1).collect());
    // Only a grid makes a heatmap: a sampled design has too many distinct values.
    if xs.len() < 2 || ys.len() < 2 || xs.len() > 30 || ys.len() > 30 {
        return None;
    }
    let cells = ys
        .iter()
        .map(|yv| {
            xs.iter()
                .map(|xv| {
                    let v: Vec<f64> = triples
                        .iter()
                        .filter(|t| t.0 == xv && t.1 == yv)
                        .map(|t| t.2)
                        .collect();
                    (!v.is_empty()).then(|| stats(&v).mean)
                })
                .collect()
        })
        .collect();
    Some(HeatmapChart {
        name: "heatmap".into(),
        title: format!("{name}: mean {outcome}"),
        x: (x.to_owned(), xs),
        y: (y.to_owned(), ys),
        cells,
    })
}
