//! The chart specifications of a sweep, from its design points: fan charts (members over
//! time, one panel per design point, a y axis shared by every page), the response chart
//! (an outcome against one parameter, every mark one design point's replicates) and the
//! heatmap (the mean outcome over a complete grid of two parameters, with its colour bar).

use std::collections::BTreeSet;

use super::execute::SweepError;
use super::report::Folder;
use super::stats::stats;
use crate::output::charts::axis::nice_ceil;
use crate::output::charts::colorbar::{ColorScale, YLGNBU};
use crate::output::charts::fan::{Fan, FanChart};
use crate::output::charts::heatmap::HeatmapChart;
use crate::output::charts::response::{Group, ResponseChart, Series};
use crate::output::charts::{self, Rendered};
use crate::time::Date;

/// Design points per fan chart.
const FANS_PER_CHART: usize = 4;
/// Fan charts drawn at most (more points are sampled evenly).
const MAX_FAN_CHARTS: usize = 6;
/// Most lines of a response chart (one per value of the second parameter).
const MAX_LINES: usize = 6;
/// Most values of a heatmap axis.
const MAX_CELLS: usize = 30;

/// A design point with the outcome of each of its successful runs.
#[derive(Clone, Debug)]
pub struct Point {
    /// The design point's number.
    pub index: u64,
    /// Its value of every varied path, as written in the files.
    pub values: Vec<String>,
    /// The outcome of each successful run, in run order.
    pub outcomes: Vec<f64>,
}

/// What the fan charts need of a sweep's design points: every point's values (labels are
/// shortened over all of them) and highest quantile (the pages share a y axis), and the
/// series of the points drawn ([`drawn_fans`]) alone, so that a design of any size is
/// drawn in memory that does not grow with its ticks.
#[derive(Clone, Debug, Default)]
pub struct Fans {
    /// Each design point's number and its value of every varied path, as written in the
    /// files, in point order.
    pub points: Vec<(u64, Vec<String>)>,
    /// The highest 95% quantile of members of any point at any tick.
    pub top: f64,
    /// The members over time of the points drawn, in point order.
    pub drawn: Vec<PointSeries>,
}

/// A design point's members over time.
#[derive(Clone, Debug)]
pub struct PointSeries {
    /// Tick dates.
    pub dates: Vec<Date>,
    /// 5, 25, 50, 75 and 95% quantiles of members over replicates at each tick.
    pub quantiles: Vec<[f64; 5]>,
}

/// The positions (in point order) of the design points the fan charts draw, of `total`:
/// every one up to 24, else four spread evenly over the design.
pub fn drawn_fans(total: usize) -> Vec<usize> {
    if total <= FANS_PER_CHART * MAX_FAN_CHARTS {
        (0..total).collect()
    } else {
        let step = (total - 1) as f64 / (FANS_PER_CHART - 1) as f64;
        (0..FANS_PER_CHART)
            .map(|k| (k as f64 * step).round() as usize)
            .collect()
    }
}

fn numeric(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// The values of one parameter written with as many decimals as tell them apart, and as
/// round values need (up to three, more only where needed to tell values apart), trailing
/// zeros dropped; text values are kept as written.
pub fn short_values(values: &[String]) -> Vec<String> {
    let numbers: Option<Vec<f64>> = values.iter().map(|v| numeric(v)).collect();
    let Some(numbers) = numbers else {
        return values.to_vec();
    };
    let distinct = |d: usize| {
        numbers
            .iter()
            .map(|x| format!("{x:.d$}"))
            .collect::<BTreeSet<_>>()
            .len()
    };
    let wanted = numbers
        .iter()
        .map(|x| x.to_bits())
        .collect::<BTreeSet<_>>()
        .len();
    let apart = (0..=12).find(|&d| distinct(d) == wanted).unwrap_or(12);
    // Round grid values (0.6, 0.125) are written whole, sampled ones (LHS) cut to what
    // tells them apart, with at least three decimals.
    let exact = (0..=12)
        .find(|&d| {
            numbers.iter().all(|x| {
                format!("{x:.d$}")
                    .parse::<f64>()
                    .is_ok_and(|r| (r - x).abs() <= 1e-9 * x.abs().max(1.0))
            })
        })
        .unwrap_or(12);
    let decimals = apart.max(exact.min(apart.max(3)));
    numbers
        .iter()
        .map(|x| {
            let text = format!("{x:.decimals$}");
            let text = if text.contains('.') {
                text.trim_end_matches('0').trim_end_matches('.').to_owned()
            } else {
                text
            };
            if text == "-0" { "0".to_owned() } else { text }
        })
        .collect()
}

/// Every point's values shortened column by column ([`short_values`]).
fn short_labels(all: &[Vec<String>], paths: &[String]) -> Vec<Vec<String>> {
    let columns: Vec<Vec<String>> = (0..paths.len())
        .map(|k| short_values(&all.iter().map(|v| v[k].clone()).collect::<Vec<_>>()))
        .collect();
    (0..all.len())
        .map(|i| columns.iter().map(|c| c[i].clone()).collect())
        .collect()
}

/// The fan charts: pages of up to four design points (for more than 24 points, four
/// spread evenly over the design), one panel each, every page on the same y axis.
pub fn fan_charts(folder: &Folder, fans: Fans) -> Result<Vec<Rendered>, SweepError> {
    let total = fans.points.len();
    let labels = short_labels(
        &fans.points.iter().map(|p| p.1.clone()).collect::<Vec<_>>(),
        &folder.paths,
    );
    let drawn: Vec<Fan> = drawn_fans(total)
        .into_iter()
        .zip(fans.drawn)
        .map(|(at, s)| Fan {
            label: if folder.paths.is_empty() {
                format!("all {} runs", folder.replicates)
            } else {
                let values: Vec<String> = folder
                    .paths
                    .iter()
                    .zip(&labels[at])
                    .map(|(p, v)| format!("{p} = {v}"))
                    .collect();
                format!("point {}: {}", fans.points[at].0, values.join(", "))
            },
            dates: s.dates,
            quantiles: s.quantiles,
        })
        .collect();
    let top = fans.top.max(10.0) * 1.08;
    let pages: Vec<Vec<Fan>> = drawn.chunks(FANS_PER_CHART).map(<[Fan]>::to_vec).collect();
    let replicates = format!("{} replicates per point", folder.replicates);
    let mut out = Vec::new();
    let count = pages.len();
    for (k, fans) in pages.into_iter().enumerate() {
        let title = if total > FANS_PER_CHART * MAX_FAN_CHARTS {
            format!(
                "{}: members, {FANS_PER_CHART} of {total} design points, {replicates}",
                folder.name
            )
        } else if count > 1 {
            format!(
                "{}: members by design point ({}/{count}), {replicates}",
                folder.name,
                k + 1
            )
        } else {
            format!("{}: members by design point, {replicates}", folder.name)
        };
        out.push(charts::render(&FanChart {
            name: if k == 0 {
                "fan".to_owned()
            } else {
                format!("fan-{}", k + 1)
            },
            title: folder.title(title),
            fans,
            observed: Vec::new(),
            y_max: Some(top),
        })?);
    }
    Ok(out)
}

/// A group of replicates as a mark: its x and the 5%, 50% and 95% quantiles.
fn group(x: f64, outcomes: &[f64]) -> Group {
    let q = stats(outcomes).quantiles;
    (x, [q[0], q[2], q[4]])
}

/// The response chart: the outcome against `x`, each design point a mark (its median and
/// the middle 90% of its replicates). With one other varied parameter of at most six
/// values, the points of each of its values are joined into a line; otherwise the marks
/// stand alone and the note says which parameters also differ between them.
pub fn response(
    folder: &Folder,
    points: &[Point],
    outcome: &str,
    x: &str,
    y: Option<&str>,
) -> Result<Option<Rendered>, SweepError> {
    let Some(xi) = folder.paths.iter().position(|p| p == x) else {
        return Ok(None);
    };
    let others: Vec<&String> = folder.paths.iter().filter(|p| *p != x).collect();
    let marks: Vec<(&Point, f64)> = points
        .iter()
        .filter(|p| !p.outcomes.is_empty())
        .filter_map(|p| Some((p, numeric(&p.values[xi])?)))
        .collect();
    if marks.is_empty() {
        return Ok(None);
    }
    let second = match (y, others.as_slice()) {
        (Some(y), [only]) if y == only.as_str() => Some(y),
        (None, [only]) => Some(only.as_str()),
        _ => None,
    }
    .and_then(|y| folder.paths.iter().position(|p| p == y));
    let line_values: Option<Vec<String>> = second.and_then(|yi| {
        let mut values: Vec<String> = marks.iter().map(|(p, _)| p.values[yi].clone()).collect();
        sort_values(&mut values);
        (values.len() <= MAX_LINES).then_some(values)
    });
    let (series, joined, note) = match (second, line_values) {
        (Some(yi), Some(values)) => lines_by_value(folder, &marks, yi, &values),
        _ => {
            let mut groups: Vec<Group> =
                marks.iter().map(|(p, x)| group(*x, &p.outcomes)).collect();
            groups.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut note = each_mark(folder);
            if !others.is_empty() {
                let others: Vec<&str> = others.iter().map(|s| s.as_str()).collect();
                note.push_str(&format!(" Points also differ in {}.", others.join(", ")));
            }
            let single = Series {
                label: String::new(),
                groups,
            };
            (vec![single], others.is_empty(), note)
        }
    };
    let chart = ResponseChart {
        name: "response".into(),
        title: folder.title(format!("{}: {outcome} against {x}", folder.name)),
        x_label: x.to_owned(),
        y_label: outcome.to_owned(),
        series,
        joined,
        note,
    };
    Ok(Some(charts::render(&chart)?))
}

/// What a mark of the response chart is.
fn each_mark(folder: &Folder) -> String {
    format!(
        "Each dot: one design point's median; its bar: the middle 90% of its {} replicates.",
        folder.replicates
    )
}

/// One series per value of the parameter at `yi` (`values`, sorted), its design points
/// joined in order of x; with the note that says so.
fn lines_by_value(
    folder: &Folder,
    marks: &[(&Point, f64)],
    yi: usize,
    values: &[String],
) -> (Vec<Series>, bool, String) {
    let short = short_values(values);
    let series = values
        .iter()
        .zip(&short)
        .map(|(v, s)| {
            let mut groups: Vec<Group> = marks
                .iter()
                .filter(|(p, _)| &p.values[yi] == v)
                .map(|(p, x)| group(*x, &p.outcomes))
                .collect();
            groups.sort_by(|a, b| a.0.total_cmp(&b.0));
            Series {
                label: format!("{} = {s}", folder.paths[yi]),
                groups,
            }
        })
        .collect();
    let note = format!(
        "{} One line per value of {}.",
        each_mark(folder),
        folder.paths[yi]
    );
    (series, true, note)
}

/// Sorts parameter values numerically where they are numbers, and removes repeats.
fn sort_values(values: &mut Vec<String>) {
    values.sort_by(|a, b| match (numeric(a), numeric(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    });
    values.dedup();
}

/// The heatmap of the mean outcome over `x` and `y`, when the design points hold every
/// combination of their values (a grid over the two, 2 to 30 values each); `None` for
/// other designs (a zip, a Latin hypercube), where most cells would be empty.
pub fn heatmap(
    folder: &Folder,
    points: &[Point],
    outcome: &str,
    x: &str,
    y: &str,
) -> Result<Option<Rendered>, SweepError> {
    let (Some(xi), Some(yi)) = (
        folder.paths.iter().position(|p| p == x),
        folder.paths.iter().position(|p| p == y),
    ) else {
        return Ok(None);
    };
    let mut xs: Vec<String> = points.iter().map(|p| p.values[xi].clone()).collect();
    let mut ys: Vec<String> = points.iter().map(|p| p.values[yi].clone()).collect();
    sort_values(&mut xs);
    sort_values(&mut ys);
    if xs.len() < 2 || ys.len() < 2 || xs.len() > MAX_CELLS || ys.len() > MAX_CELLS {
        return Ok(None);
    }
    let cells: Vec<Vec<Option<f64>>> = ys
        .iter()
        .map(|yv| {
            xs.iter()
                .map(|xv| {
                    let runs: Vec<f64> = points
                        .iter()
                        .filter(|p| &p.values[xi] == xv && &p.values[yi] == yv)
                        .flat_map(|p| p.outcomes.iter().copied())
                        .collect();
                    (!runs.is_empty()).then(|| stats(&runs).mean)
                })
                .collect()
        })
        .collect();
    let complete = ys.iter().all(|yv| {
        xs.iter().all(|xv| {
            points
                .iter()
                .any(|p| &p.values[xi] == xv && &p.values[yi] == yv)
        })
    });
    if !complete {
        return Ok(None);
    }
    let values: Vec<f64> = cells.iter().flatten().flatten().copied().collect();
    let lo = values.iter().copied().fold(0.0f64, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let hi = if lo < 0.0 { hi.max(0.0) } else { nice_ceil(hi) };
    let others: Vec<&str> = folder
        .paths
        .iter()
        .filter(|p| *p != x && *p != y)
        .map(String::as_str)
        .collect();
    let over = if others.is_empty() {
        format!("over {} replicates", folder.replicates)
    } else {
        format!(
            "over {} replicates and every value of {}",
            folder.replicates,
            others.join(", ")
        )
    };
    let chart = HeatmapChart {
        name: "heatmap".into(),
        title: folder.title(format!("{}: mean {outcome} {over}", folder.name)),
        x: (x.to_owned(), short_values(&xs)),
        y: (y.to_owned(), short_values(&ys)),
        cells,
        scale: ColorScale::new(lo, hi, &YLGNBU, format!("mean {outcome}")),
    };
    Ok(Some(charts::render(&chart)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_to_24_points_are_all_drawn_else_four_spread_over_the_design() {
        assert_eq!(drawn_fans(0), Vec::<usize>::new());
        assert_eq!(drawn_fans(24), (0..24).collect::<Vec<_>>());
        assert_eq!(drawn_fans(25), [0, 8, 16, 24]);
        assert_eq!(drawn_fans(200), [0, 66, 133, 199]);
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn values_keep_the_decimals_that_tell_them_apart() {
        assert_eq!(
            short_values(&strings(&["0.1", "0.30000000000000004", "0.5"])),
            ["0.1", "0.3", "0.5"]
        );
        assert_eq!(
            short_values(&strings(&["1.2341234567891", "1.2349876543219"])),
            ["1.234", "1.235"]
        );
        assert_eq!(
            short_values(&strings(&["0", "0.6", "2"])),
            ["0", "0.6", "2"]
        );
        assert_eq!(short_values(&strings(&["day", "month"])), ["day", "month"]);
    }

    fn folder(paths: &[&str]) -> Folder {
        Folder {
            name: "s".into(),
            paths: strings(paths),
            replicates: 3,
            shard: None,
        }
    }

    fn point(index: u64, values: &[&str], outcomes: &[f64]) -> Point {
        Point {
            index,
            values: strings(values),
            outcomes: outcomes.to_vec(),
        }
    }

    #[test]
    fn heatmaps_are_drawn_for_complete_grids_only() {
        let f = folder(&["a", "b"]);
        let grid: Vec<Point> = (0..4)
            .map(|k| {
                let (a, b) = (["1", "2"][k / 2], ["3", "4"][k % 2]);
                point(k as u64, &[a, b], &[k as f64])
            })
            .collect();
        assert!(
            heatmap(&f, &grid, "final_members", "a", "b")
                .unwrap()
                .is_some()
        );
        let zip = vec![point(0, &["1", "3"], &[1.0]), point(1, &["2", "4"], &[2.0])];
        assert!(
            heatmap(&f, &zip, "final_members", "a", "b")
                .unwrap()
                .is_none()
        );
    }
}
