//! `manifest.json` of a sweep folder: what the sweep is (its file and base scenario,
//! design, seeds) and which slice of its runs the folder holds. Written first by
//! `execute`, compared on `--resume`, read by `merge` and `plot`.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use super::Sweep;
use super::error::SweepError;
use super::shard::Shard;

/// The `manifest.json` of a sweep folder (a shard's names its slice; the whole sweep's has
/// `"shard": null`). Keys are sorted, so the text depends on the content alone.
pub fn manifest_json(sweep: &Sweep, shard: Shard) -> Result<Vec<u8>, SweepError> {
    let range = shard.range(sweep.runs());
    let value = json!({
        "waico_version": env!("CARGO_PKG_VERSION"),
        "kind": "sweep",
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
