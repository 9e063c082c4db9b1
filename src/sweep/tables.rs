//! The rows of a sweep's files, formatted in the worker that produced them: `runs.csv`
//! (one row per run), `series.csv` (one row per run and tick), `summary.csv` (one row per
//! design point and tick) and, in a shard, `partial.csv` (the exact per-tick values of the
//! runs of design points the shard holds only in part, for `waico merge`).
//!
//! Column lists here are the schema docs/SWEEPS.md documents.

use std::collections::BTreeMap;

use super::Sweep;
use super::stats::Stats;
use crate::output::decimal::push_u64;
use crate::output::tables::{num, push_num};
use crate::sim::output::RunOutput;
use crate::time::Date;

/// Outcomes of a run, as `runs.csv` columns (also the outcomes charts may show).
pub const OUTCOMES: [&str; 7] = [
    "final_members",
    "final_partners",
    "final_member_gdp_share",
    "peak_members",
    "first_25_members",
    "first_50_members",
    "first_100_members",
];

/// The `series.csv` header.
pub const SERIES_HEADER: &str =
    "run,tick,date,members,partners,member_gdp_share,member_population_share,legitimacy\n";

/// The `partial.csv` header.
pub const PARTIAL_HEADER: &str = "run,point,tick,date,members,member_gdp_share\n";

/// A CSV cell, quoted when it must be.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A design value as written in the files.
pub fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The `runs.csv` header.
pub fn runs_header(sweep: &Sweep) -> String {
    let mut cols = vec![
        "run".to_owned(),
        "point".into(),
        "replicate".into(),
        "seed".into(),
    ];
    cols.extend(
        sweep
            .design
            .paths
            .iter()
            .map(|p| csv_field(&Sweep::param_column(p))),
    );
    cols.push("status".into());
    cols.extend(OUTCOMES.iter().map(|c| c.to_string()));
    cols.extend(dated_columns(&sweep.outcomes_at));
    cols.push("error".into());
    cols.join(",") + "\n"
}

/// The `runs.csv` columns of outcomes kept at dates: `members@DATE` and `gdp_share@DATE`
/// for each date, in date order.
pub fn dated_columns(dates: &[Date]) -> Vec<String> {
    dates
        .iter()
        .flat_map(|d| [format!("members@{d}"), format!("gdp_share@{d}")])
        .collect()
}

/// The cells of the outcomes kept at `dates`: each at the last tick dated on or before the
/// date, every cell followed by a comma.
fn dated_cells(dates: &[Date], output: &RunOutput) -> String {
    let mut out = String::new();
    for &date in dates {
        let after = output.ticks.partition_point(|t| t.date <= date);
        match after.checked_sub(1).map(|t| &output.ticks[t]) {
            Some(t) => out.push_str(&format!("{},{},", t.members, num(t.member_gdp_share))),
            None => out.push_str(",,"),
        }
    }
    out
}

/// The `summary.csv` header.
pub fn summary_header(sweep: &Sweep) -> String {
    let mut cols = vec!["point".to_owned()];
    cols.extend(
        sweep
            .design
            .paths
            .iter()
            .map(|p| csv_field(&Sweep::param_column(p))),
    );
    cols.extend(["tick".into(), "date".into(), "runs".into()]);
    for quantity in ["members", "member_gdp_share"] {
        for stat in ["mean", "sd", "q05", "q25", "q50", "q75", "q95"] {
            cols.push(format!("{quantity}_{stat}"));
        }
    }
    cols.join(",") + "\n"
}

/// The point's values as CSV cells, each followed by a comma (nothing if none vary).
pub fn params(sweep: &Sweep, point: u64) -> String {
    sweep.design.points[point as usize]
        .iter()
        .map(|v| csv_field(&value_text(v)) + ",")
        .collect()
}

/// The `runs.csv` row of a finished run.
pub fn run_row(sweep: &Sweep, run: u64, seed: u64, output: &RunOutput) -> String {
    let (point, replicate) = sweep.locate_run(run);
    let s = output.summary();
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    format!(
        "{run},{point},{replicate},{seed},{}ok,{},{},{},{},{},{},{},{}\n",
        params(sweep, point),
        s.final_members,
        s.final_partners,
        num(s.final_member_gdp_share),
        s.peak_members,
        date(s.first_past[0].1),
        date(s.first_past[1].1),
        date(s.first_past[2].1),
        dated_cells(&sweep.outcomes_at, output),
    )
}

/// The `runs.csv` row of a run that failed with `error`.
pub fn failed_row(sweep: &Sweep, run: u64, seed: u64, error: &str) -> String {
    let (point, replicate) = sweep.locate_run(run);
    let empty = ",".repeat(OUTCOMES.len() + 2 * sweep.outcomes_at.len());
    format!(
        "{run},{point},{replicate},{seed},{}failed{empty},{}\n",
        params(sweep, point),
        csv_field(&error.replace('\n', " "))
    )
}

/// The `series.csv` rows of a finished run.
pub fn series_rows(run: u64, output: &RunOutput) -> String {
    let mut out = String::with_capacity(output.ticks.len() * 72);
    for t in &output.ticks {
        for n in [run, u64::from(t.tick)] {
            push_u64(&mut out, n);
            out.push(',');
        }
        t.date.push_iso(&mut out);
        for n in [t.members, t.partners] {
            out.push(',');
            push_u64(&mut out, u64::from(n));
        }
        out.push(',');
        push_num(&mut out, t.member_gdp_share);
        out.push(',');
        push_num(&mut out, t.member_population_share);
        out.push(',');
        push_num(&mut out, t.legitimacy);
        out.push('\n');
    }
    out
}

/// The per-tick values a summary is computed from: members and member GDP share.
pub type Values = Vec<(u32, f64)>;

/// The values of a finished run.
pub fn values(output: &RunOutput) -> Values {
    output
        .ticks
        .iter()
        .map(|t| (t.members, t.member_gdp_share))
        .collect()
}

/// The `partial.csv` rows of a run: exact values (shortest round-trip decimals).
pub fn partial_rows(run: u64, point: u64, values: &Values, dates: &[Date]) -> String {
    let mut out = String::new();
    for (tick, ((members, share), date)) in values.iter().zip(dates).enumerate() {
        out.push_str(&format!("{run},{point},{tick},{date},{members},{share}\n"));
    }
    out
}

/// The `summary.csv` rows of a design point from the statistics of its successful runs
/// (`runs` of them), tick by tick, and the tick dates.
pub fn summary_rows(
    sweep: &Sweep,
    point: u64,
    runs: usize,
    ticks: &[(Stats, Stats)],
    dates: &[Date],
) -> String {
    summary_rows_with(point, &params(sweep, point), runs, ticks, dates)
}

/// [`summary_rows`] given the point's parameter cells (as [`params`] writes them).
pub fn summary_rows_with(
    point: u64,
    params: &str,
    runs: usize,
    ticks: &[(Stats, Stats)],
    dates: &[Date],
) -> String {
    let mut out = String::new();
    let fmt = |s: &Stats| {
        let mut cells = vec![num(s.mean), num(s.sd)];
        cells.extend(s.quantiles.iter().map(|&q| num(q)));
        cells.join(",")
    };
    for (tick, (date, (members, shares))) in dates.iter().zip(ticks).enumerate() {
        out.push_str(&format!(
            "{point},{params}{tick},{date},{runs},{},{}\n",
            fmt(members),
            fmt(shares)
        ));
    }
    out
}

/// Copies the rows (the lines after the header) of each file of `sources` in turn into
/// `to`, putting the rows of `inserted` (by design point; a row's first cell is its
/// point's number) before the first copied row of a later point, and any left after the
/// last: how `waico merge` places the rows of points split across shards among those the
/// shards held whole. An error reading a source names it.
pub fn copy_rows<W: std::io::Write + ?Sized>(
    sources: &[std::path::PathBuf],
    inserted: &BTreeMap<u64, String>,
    to: &mut W,
) -> std::io::Result<()> {
    use std::io::BufRead;
    let mut inserted = inserted.iter().peekable();
    for path in sources {
        let named = |e: std::io::Error| {
            std::io::Error::new(e.kind(), format!("reading {}: {e}", path.display()))
        };
        let file = std::fs::File::open(path).map_err(named)?;
        let mut lines = std::io::BufReader::new(file).lines();
        lines.next().transpose().map_err(named)?;
        for line in lines {
            let line = line.map_err(named)?;
            if inserted.peek().is_some() {
                let point: u64 = line
                    .split(',')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(0);
                while let Some((_, rows)) = inserted.next_if(|(p, _)| **p < point) {
                    to.write_all(rows.as_bytes())?;
                }
            }
            writeln!(to, "{line}")?;
        }
    }
    inserted.try_for_each(|(_, rows)| to.write_all(rows.as_bytes()))
}
