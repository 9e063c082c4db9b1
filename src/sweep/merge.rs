//! Manifests of sweep folders, and `waico merge`: joining the folders of a sweep's shards
//! into the folder the unsharded sweep would have written, byte for byte.
//!
//! Runs and series are concatenated in shard order (which is run order). Summary rows of
//! design points that one shard held whole are copied; a point split across shards is
//! summarised from the exact per-tick values each shard kept in `partial.csv`, in run
//! order, with the same code the unsharded sweep uses.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::Sweep;
use super::execute::{Shard, SweepError};
use super::tables::{self, Values};
use crate::time::Date;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SweepError + '_ {
    move |source| SweepError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The `manifest.json` of a sweep folder (a shard's names its slice; the whole sweep's has
/// `"shard": null`). Keys are sorted, so the text depends on the content alone.
pub fn manifest_json(sweep: &Sweep, shard: Shard) -> Result<Vec<u8>, SweepError> {
    let range = shard.range(sweep.runs());
    let value = json!({
        "waico_version": env!("CARGO_PKG_VERSION"),
        "sweep": {
            "name": sweep.name,
            "description": sweep.description,
            "file": sweep.label,
            "sha256": sweep.sha256,
            "text": sweep.text,
        },
        "scenario": {
            "file": sweep.base.label,
            "text": sweep.base.text,
        },
        "design": {
            "kind": sweep.design.kind,
            "paths": sweep.design.paths,
            "points": sweep.points(),
        },
        "replicates": sweep.replicates,
        "runs": sweep.runs(),
        "seeds": sweep.seed_formula(),
        "series": sweep.series,
        "charts": {
            "outcome": sweep.charts.outcome,
            "x": sweep.charts.x,
            "y": sweep.charts.y,
        },
        "shard": if shard.is_whole() {
            Value::Null
        } else {
            json!({ "index": shard.index, "count": shard.count, "first_run": range.start, "end_run": range.end })
        },
    });
    pretty(&value)
}

fn pretty(value: &Value) -> Result<Vec<u8>, SweepError> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| SweepError::Folder(format!("cannot encode the manifest: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Reads a sweep folder's manifest.
pub fn read_manifest(dir: &Path) -> Result<Value, SweepError> {
    let path = dir.join("manifest.json");
    let bytes = fs::read(&path).map_err(|_| {
        SweepError::Folder(format!(
            "{} is not a sweep folder (no manifest.json)",
            dir.display()
        ))
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        SweepError::Folder(format!(
            "{}: the manifest is not valid JSON: {e}",
            path.display()
        ))
    })
}

/// Lines of a CSV file after its header.
fn body(path: &Path) -> Result<(String, Vec<String>), SweepError> {
    let text = fs::read_to_string(path).map_err(io(path))?;
    let mut lines = text.lines().map(str::to_owned);
    let header = lines.next().unwrap_or_default();
    Ok((header, lines.collect()))
}

fn leading(line: &str) -> Option<u64> {
    line.split(',').next()?.parse().ok()
}

/// Joins the shard folders `dirs` into `out`.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool) -> Result<u64, SweepError> {
    if dirs.is_empty() {
        return Err(SweepError::Folder("name the shard folders to merge".into()));
    }
    let mut shards: Vec<(u32, PathBuf, Value)> = Vec::new();
    for dir in dirs {
        let m = read_manifest(dir)?;
        if dir.join("sweep.lock").exists() {
            return Err(SweepError::Folder(format!(
                "{} is still being written (or was interrupted: resume it first)",
                dir.display()
            )));
        }
        let index = m["shard"]["index"].as_u64().ok_or_else(|| {
            SweepError::Folder(format!(
                "{} holds a whole sweep, not a shard",
                dir.display()
            ))
        })? as u32;
        shards.push((index, dir.clone(), m));
    }
    shards.sort_by_key(|s| s.0);
    let first = &shards[0].2;
    let count = first["shard"]["count"].as_u64().unwrap_or(0) as u32;
    for (k, (index, dir, m)) in shards.iter().enumerate() {
        if m["sweep"]["sha256"] != first["sweep"]["sha256"]
            || m["shard"]["count"] != first["shard"]["count"]
        {
            return Err(SweepError::Folder(format!(
                "{} is a shard of another sweep (or of another split)",
                dir.display()
            )));
        }
        if *index != k as u32 + 1 {
            return Err(SweepError::Folder(format!(
                "shard {} of {count} is missing or given twice",
                k + 1
            )));
        }
    }
    if shards.len() != count as usize {
        return Err(SweepError::Folder(format!(
            "{} of {count} shards given",
            shards.len()
        )));
    }
    if out.exists() {
        if !force {
            return Err(SweepError::Folder(format!(
                "{} already exists; pass --force to replace it, or another --out",
                out.display()
            )));
        }
        fs::remove_dir_all(out).map_err(io(out))?;
    }
    let replicates = first["replicates"].as_u64().unwrap_or(1).max(1);
    let paths = first["design"]["paths"].as_array().map_or(0, Vec::len);

    // Check that every shard finished, and gather runs.
    let mut runs_header = String::new();
    let mut runs: Vec<String> = Vec::new();
    for (_, dir, m) in &shards {
        let (header, lines) = body(&dir.join("runs.csv"))?;
        let expected = m["shard"]["end_run"].as_u64().unwrap_or(0)
            - m["shard"]["first_run"].as_u64().unwrap_or(0);
        if lines.len() as u64 != expected {
            return Err(SweepError::Folder(format!(
                "{} holds {} of its {expected} runs: resume it before merging",
                dir.display(),
                lines.len()
            )));
        }
        runs_header = header;
        runs.extend(lines);
    }

    // Summary rows by point: copied where a shard held the point whole, computed from the
    // exact values where it was split.
    let mut summary_header = String::new();
    let mut summary: BTreeMap<u64, String> = BTreeMap::new();
    let mut partial: BTreeMap<u64, BTreeMap<u64, (Values, Vec<Date>)>> = BTreeMap::new();
    for (_, dir, _) in &shards {
        let (header, lines) = body(&dir.join("summary.csv"))?;
        summary_header = header;
        for line in lines {
            let point = leading(&line).unwrap_or(0);
            let rows = summary.entry(point).or_default();
            rows.push_str(&line);
            rows.push('\n');
        }
        let path = dir.join("partial.csv");
        if path.exists() {
            for line in body(&path)?.1 {
                let cells: Vec<&str> = line.split(',').collect();
                let [run, point, _tick, date, members, share] = cells.as_slice() else {
                    return Err(SweepError::Folder(format!(
                        "{}: malformed row `{line}`",
                        path.display()
                    )));
                };
                let parsed = (
                    run.parse::<u64>(),
                    point.parse::<u64>(),
                    Date::parse(date),
                    members.parse::<u32>(),
                    share.parse::<f64>(),
                );
                let (Ok(run), Ok(point), Ok(date), Ok(members), Ok(share)) = parsed else {
                    return Err(SweepError::Folder(format!(
                        "{}: malformed row `{line}`",
                        path.display()
                    )));
                };
                let entry = partial.entry(point).or_default().entry(run).or_default();
                entry.0.push((members, share));
                entry.1.push(date);
            }
        }
    }
    for (point, by_run) in &partial {
        let values: Vec<Values> = by_run.values().map(|(v, _)| v.clone()).collect();
        let dates = by_run
            .values()
            .next()
            .map(|(_, d)| d.clone())
            .unwrap_or_default();
        let params = point_params(&runs, *point, replicates, paths)?;
        summary.insert(
            *point,
            tables::summary_rows_with(*point, &params, &values, &dates),
        );
    }

    fs::create_dir_all(out).map_err(io(out))?;
    let mut manifest = first.clone();
    manifest["shard"] = Value::Null;
    fs::write(out.join("manifest.json"), pretty(&manifest)?).map_err(io(out))?;
    let write_csv = |name: &str,
                     header: &str,
                     rows: &mut dyn Iterator<Item = String>|
     -> Result<(), SweepError> {
        let path = out.join(name);
        let mut f = std::io::BufWriter::new(fs::File::create(&path).map_err(io(&path))?);
        writeln!(f, "{header}").map_err(io(&path))?;
        for row in rows {
            f.write_all(row.as_bytes()).map_err(io(&path))?;
        }
        f.flush().map_err(io(&path))
    };
    write_csv(
        "runs.csv",
        &runs_header,
        &mut runs.iter().map(|l| format!("{l}\n")),
    )?;
    write_csv("summary.csv", &summary_header, &mut summary.into_values())?;
    if first["series"].as_bool() == Some(true) {
        let mut header = String::new();
        let mut lines = Vec::new();
        for (_, dir, _) in &shards {
            let (h, body) = body(&dir.join("series.csv"))?;
            header = h;
            lines.extend(body);
        }
        write_csv(
            "series.csv",
            &header,
            &mut lines.into_iter().map(|l| format!("{l}\n")),
        )?;
    }
    Ok(runs.len() as u64)
}

/// The parameter cells of design point `point`, as written in its `runs.csv` rows.
fn point_params(
    runs: &[String],
    point: u64,
    replicates: u64,
    paths: usize,
) -> Result<String, SweepError> {
    let first_run = point * replicates;
    let line = runs
        .iter()
        .find(|l| leading(l).is_some_and(|r| r / replicates == point && r >= first_run))
        .ok_or_else(|| SweepError::Folder(format!("no run of design point {point} in runs.csv")))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let record = reader
        .records()
        .next()
        .and_then(Result::ok)
        .ok_or_else(|| SweepError::Folder(format!("malformed runs.csv row `{line}`")))?;
    Ok(record
        .iter()
        .skip(4)
        .take(paths)
        .map(|cell| tables::csv_field(cell) + ",")
        .collect())
}
