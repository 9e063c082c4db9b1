//! `waico merge`: joining the folders of a sweep's shards into the folder the unsharded
//! sweep would have written, byte for byte.
//!
//! Every shard is checked first, row by row, against its manifest ([`super::check`]).
//! Runs and series are concatenated in shard order (which is run order). Summary rows of
//! design points that one shard held whole are copied; a point split across shards is
//! summarised from the exact per-tick values each shard kept in `partial.csv`, in run
//! order, with the same code the unsharded sweep uses. Per-state tables (`states` kept,
//! and every ensemble) are merged by [`super::states::merge`]: rows copied, split points'
//! tallies added up. Rows are copied from the shards' files as they stream, never held.
//! The merged folder is built beside its target and renamed into place with its charts,
//! so a failure leaves the target as it was (an existing merged folder is replaced only
//! once the new one is complete).

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::check::{self, ShardFolder};
use super::error::{SweepError, io};
use super::manifest::{pretty, read_manifest};
use super::report;
use super::tables::{self, Values};
use super::tally::Tally;
use crate::output::atomic::Staging;
use crate::output::folder::{self, FolderKind};
use crate::time::Date;

/// What a merge wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// Runs in the merged sweep.
    pub runs: u64,
    /// Chart files drawn.
    pub charts: usize,
}

/// Joins the shard folders `dirs` into `out` with its charts.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool) -> Result<Merged, SweepError> {
    let shards = read_shards(dirs)?;
    check_target(out, force, &shards[0].manifest)?;
    let staging = Staging::new(out, force)?;
    let runs = write_merged(&shards, staging.dir())?;
    let charts = if shards[0].manifest["ensemble"].is_null() {
        report::render_charts(staging.dir(), &report::Choices::default())?
    } else {
        crate::analysis::ensemble::report::render_charts(staging.dir())
            .map_err(|e| SweepError::Folder(e.to_string()))?
    }
    .len();
    staging.commit()?;
    Ok(Merged { runs, charts })
}

/// `--force` replaces a merged folder of the shards' kind (a sweep's or an ensemble's, as
/// `manifest`, a shard's, says) or an empty one, never anything else; either way the
/// message names what the folder holds.
fn check_target(out: &Path, force: bool, manifest: &Value) -> Result<(), SweepError> {
    if !out.exists() {
        return Ok(());
    }
    let kind = folder::kind_of(out);
    if !force {
        return Err(SweepError::Folder(format!(
            "{} already exists: it {}\n  help: pass --force to replace it, or give another --out",
            out.display(),
            kind.describe()
        )));
    }
    let own = manifest["kind"].as_str().unwrap_or("sweep");
    let merged = match kind {
        FolderKind::Sweep { shard } | FolderKind::Ensemble { shard } => !shard,
        _ => false,
    };
    if kind != FolderKind::Empty && !(merged && kind.name() == own) {
        return Err(SweepError::Folder(format!(
            "{} exists and is not a {own} folder: it {}; --force replaces only a merged {own} folder, so it is left untouched\n  help: give another --out",
            out.display(),
            kind.describe()
        )));
    }
    Ok(())
}

/// Reads every shard's manifest, checks they are all the shards of one split, then reads
/// and checks each shard's files.
fn read_shards(dirs: &[PathBuf]) -> Result<Vec<ShardFolder>, SweepError> {
    if dirs.is_empty() {
        return Err(SweepError::Folder("name the shard folders to merge".into()));
    }
    let mut shards: Vec<(u32, PathBuf, Value)> = Vec::new();
    for dir in dirs {
        let kind = folder::kind_of(dir);
        if !matches!(
            kind,
            FolderKind::Sweep { shard: true } | FolderKind::Ensemble { shard: true }
        ) {
            return Err(SweepError::Folder(format!(
                "{} {}, not the folder of a shard\n  help: give the folders `waico sweep --shard K/N` (or `waico run --seeds A..B --shard K/N`) wrote",
                dir.display(),
                kind.describe()
            )));
        }
        let m = read_manifest(dir)?;
        if dir.join("sweep.lock").exists() {
            return Err(SweepError::Folder(format!(
                "{} is still being written (or was interrupted: resume it first)",
                dir.display()
            )));
        }
        let index = m["shard"]["index"].as_u64().ok_or_else(|| {
            SweepError::Folder(format!(
                "{} holds a whole sweep, not a shard: there is nothing to merge",
                dir.display()
            ))
        })? as u32;
        shards.push((index, dir.clone(), m));
    }
    shards.sort_by_key(|s| s.0);
    let first = shards[0].2.clone();
    let count = first["shard"]["count"].as_u64().unwrap_or(0) as u32;
    for (_, dir, m) in &shards {
        if m["kind"] != first["kind"]
            || m["sweep"]["sha256"] != first["sweep"]["sha256"]
            || m["shard"]["count"] != first["shard"]["count"]
        {
            return Err(SweepError::Folder(format!(
                "{} is a shard of another sweep (or of another split) than {}",
                dir.display(),
                shards[0].1.display()
            )));
        }
    }
    if let Some(pair) = shards.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(SweepError::Folder(format!(
            "shard {} of {count} is given twice: {} and {}",
            pair[0].0,
            pair[0].1.display(),
            pair[1].1.display()
        )));
    }
    check_none_missing(&shards, &first, count)?;
    let shards: Vec<ShardFolder> = shards
        .into_iter()
        .map(|(_, dir, m)| check::read(&dir, m))
        .collect::<Result<_, _>>()?;
    check_ticks_agree(&shards)?;
    check_states_agree(&shards)?;
    Ok(shards)
}

/// Every shard of the split is given; else an error naming the missing ones.
fn check_none_missing(
    shards: &[(u32, PathBuf, Value)],
    first: &Value,
    count: u32,
) -> Result<(), SweepError> {
    let missing: Vec<String> = (1..=count)
        .filter(|k| !shards.iter().any(|s| s.0 == *k))
        .map(|k| k.to_string())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let name = first["sweep"]["name"].as_str().unwrap_or("sweep");
    let (s, are) = if missing.len() == 1 {
        ("", "is")
    } else {
        ("s", "are")
    };
    Err(SweepError::Folder(format!(
        "shard{s} {} of {count} {are} missing\n  help: give every shard's folder (by default output/sweeps/{name}-shard-K-of-{count})",
        missing.join(", ")
    )))
}

/// Every design point has as many states in the per-state tables as every other, unless
/// the design varies the world file.
fn check_states_agree(shards: &[ShardFolder]) -> Result<(), SweepError> {
    let varies_world = shards[0].manifest["design"]["paths"]
        .as_array()
        .is_some_and(|paths| {
            paths
                .iter()
                .any(|p| p.as_str().unwrap_or_default().starts_with("scenario.world"))
        });
    if varies_world {
        return Ok(());
    }
    let most = shards
        .iter()
        .flat_map(|s| s.states.values())
        .copied()
        .max()
        .unwrap_or(0);
    for s in shards {
        if let Some((point, n)) = s.states.iter().find(|&(_, &n)| n != most) {
            return Err(SweepError::Folder(format!(
                "shard {} ({}): design point {point} has {n} states in its per-state tables, others {most}: a states.csv or tally.csv was cut short or edited\n  help: run the shard again (`--shard K/N --force`) and merge again",
                s.index,
                s.dir.display()
            )));
        }
    }
    Ok(())
}

/// A design point split across shards has the same ticks in each; so has every point
/// when the design varies no date of the scenario.
fn check_ticks_agree(shards: &[ShardFolder]) -> Result<(), SweepError> {
    let same_dates = shards[0].manifest["design"]["paths"]
        .as_array()
        .is_some_and(|paths| {
            paths
                .iter()
                .all(|p| !p.as_str().unwrap_or_default().starts_with("scenario."))
        });
    let mut seen: BTreeMap<u64, (usize, u32, u64)> = BTreeMap::new();
    for s in shards {
        for (&point, &n) in &s.ticks {
            let key = if same_dates { 0 } else { point };
            let (want, from, other) = *seen.entry(key).or_insert((n, s.index, point));
            if want != n {
                return Err(SweepError::Folder(format!(
                    "shard {} ({}): design point {point} has {n} ticks, but design point {other} has {want} in shard {from}: a summary.csv or partial.csv was cut short or edited\n  help: run the shard whose file was changed again (`waico sweep FILE --shard K/N --force`) and merge again",
                    s.index,
                    s.dir.display()
                )));
            }
        }
    }
    Ok(())
}

/// Writes the merged `manifest.json`, `runs.csv`, `summary.csv` (unless the sweep keeps
/// none, as an ensemble does), `series.csv` and the per-state tables into `dir`; returns
/// the number of runs.
fn write_merged(shards: &[ShardFolder], dir: &Path) -> Result<u64, SweepError> {
    let first = &shards[0].manifest;
    // The parameter cells of the points split across shards, as their runs' rows hold
    // them (every run of a point holds the same).
    let mut split_params: BTreeMap<u64, &String> = BTreeMap::new();
    for s in shards {
        for (point, params) in &s.split_params {
            split_params.entry(*point).or_insert(params);
        }
    }
    let params = |point: u64| {
        split_params
            .get(&point)
            .map(|p| p.to_string())
            .ok_or_else(|| {
                SweepError::Folder(format!("no run of design point {point} in runs.csv"))
            })
    };

    // Summary rows of the points split across shards, from their exact values.
    let mut partial: BTreeMap<u64, BTreeMap<u64, &(Values, Vec<Date>)>> = BTreeMap::new();
    for s in shards {
        for (point, by_run) in &s.partial {
            partial
                .entry(*point)
                .or_default()
                .extend(by_run.iter().map(|(r, v)| (*r, v)));
        }
    }
    let mut split_rows: BTreeMap<u64, String> = BTreeMap::new();
    for (point, by_run) in &partial {
        // A tally without a scratch file: the values are in memory already.
        let mut tally = Tally::default();
        for (values, _) in by_run.values() {
            tally.add(values).map_err(io(dir))?;
        }
        let dates = by_run
            .values()
            .next()
            .map(|(_, d)| d.clone())
            .unwrap_or_default();
        split_rows.insert(
            *point,
            tables::summary_rows_with(
                *point,
                &params(*point)?,
                tally.runs(),
                &tally.ticks(dates.len()).map_err(io(dir))?,
                &dates,
            ),
        );
    }

    let mut manifest = first.clone();
    manifest["shard"] = Value::Null;
    let path = dir.join("manifest.json");
    fs::write(&path, pretty(&manifest)?).map_err(io(&path))?;
    // The shards' files were checked row by row; their rows are copied, not held.
    let none = BTreeMap::new();
    write_csv(dir, "runs.csv", &shards[0].runs_header, |f| {
        tables::copy_rows(&files(shards, "runs.csv"), &none, f)
    })?;
    let ensemble = !first["ensemble"].is_null();
    if first["summary"].as_bool() != Some(false) && !ensemble {
        write_csv(dir, "summary.csv", &shards[0].summary_header, |f| {
            tables::copy_rows(&files(shards, "summary.csv"), &split_rows, f)
        })?;
    }
    if first["states"].as_bool() == Some(true) {
        let dirs: Vec<PathBuf> = shards.iter().map(|s| s.dir.clone()).collect();
        let cells = |p: u64| params(p).map_err(|e| e.to_string());
        super::states::merge(&dirs, ensemble, &cells, dir)?;
    }
    if first["series"].as_bool() == Some(true) {
        write_csv(dir, "series.csv", tables::SERIES_HEADER.trim_end(), |f| {
            tables::copy_rows(&files(shards, "series.csv"), &none, f)
        })?;
    }
    Ok(shards.iter().map(|s| s.runs).sum())
}

/// Writes `header` and the rows `body` writes as `dir/name`, synced.
fn write_csv(
    dir: &Path,
    name: &str,
    header: &str,
    body: impl FnOnce(&mut BufWriter<fs::File>) -> std::io::Result<()>,
) -> Result<(), SweepError> {
    let path = dir.join(name);
    let mut f = BufWriter::new(fs::File::create(&path).map_err(io(&path))?);
    writeln!(f, "{header}")
        .and_then(|()| body(&mut f))
        .and_then(|()| f.flush())
        .map_err(io(&path))?;
    f.get_ref().sync_all().map_err(io(&path))
}

/// The file `name` of each shard, in shard order.
fn files(shards: &[ShardFolder], name: &str) -> Vec<PathBuf> {
    shards.iter().map(|s| s.dir.join(name)).collect()
}
