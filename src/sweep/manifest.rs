//! `manifest.json` of a sweep folder: what the sweep is (its file and base scenario,
//! design, seeds) and which slice of its runs the folder holds. Written first by
//! `execute`, compared on `--resume`, read by `merge` and `plot`.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use super::Sweep;
use super::design::Structure;
use super::error::SweepError;
use super::shard::Shard;

/// The `manifest.json` of a sweep folder (a shard's names its slice; the whole sweep's has
/// `"shard": null`). Keys are sorted, so the text depends on the content alone.
pub fn manifest_json(sweep: &Sweep, shard: Shard) -> Result<Vec<u8>, SweepError> {
    let range = shard.range(sweep.runs());
    let value = json!({
        "waico_version": env!("CARGO_PKG_VERSION"),
        "kind": if sweep.ensemble.is_some() { "ensemble" } else { "sweep" },
        "sweep": {
            "overrides": sweep.overrides,
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
            "factors": sweep.design.factors.iter().map(|f| json!({
                "path": f.name, "min": f.min, "max": f.max, "log": f.log,
            })).collect::<Vec<_>>(),
            "structure": structure_json(&sweep.design.structure),
            "seed": sweep.design.seed,
            "notes": sweep.design.notes,
        },
        "calendar": calendar_json(sweep)?,
        "replicates": sweep.replicates,
        "runs": sweep.runs(),
        "seeds": sweep.seed_formula(),
        "common_seeds": sweep.seeds == super::Seeds::Common,
        "series": sweep.series,
        "summary": sweep.summary,
        "outcomes_at": sweep.outcomes_at.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "states": sweep.states,
        "ensemble": sweep.ensemble,
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

/// The layout of a Sobol' or Morris design, for the analyses that rely on it.
fn structure_json(structure: &Structure) -> Value {
    match structure {
        Structure::Plain => Value::Null,
        Structure::Sobol(s) => json!({
            "method": "sobol",
            "base_samples": s.base,
            "second_order": s.second_order,
        }),
        Structure::Morris(m) => json!({
            "method": "morris",
            "trajectories": m.trajectories,
            "levels": m.levels,
            "candidates": m.candidates,
        }),
    }
}

/// The base scenario's first and last tick dates (the span of every run unless the design
/// varies the calendar).
fn calendar_json(sweep: &Sweep) -> Result<Value, SweepError> {
    let cal = sweep.base.scenario(&[])?.calendar;
    Ok(json!({
        "start": cal.start().to_string(),
        "last": cal.last_date().to_string(),
        "tick": cal.unit().name(),
    }))
}

pub(crate) fn pretty(value: &Value) -> Result<Vec<u8>, SweepError> {
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
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        SweepError::Folder(format!(
            "{}: the manifest is not valid JSON: {e}",
            path.display()
        ))
    })?;
    if value["sweep"].is_object() {
        return Ok(value);
    }
    let what = if value["seed"].is_u64() && value["scenario"].is_object() {
        "a `waico run` folder"
    } else if value["a"].is_object() && value["b"].is_object() {
        "a `waico compare` folder"
    } else if value["fit"].is_array() {
        "a `waico calibrate` folder"
    } else {
        "not written by `waico sweep`"
    };
    Err(SweepError::Folder(format!(
        "{} is {what}, not a sweep folder",
        dir.display()
    )))
}
