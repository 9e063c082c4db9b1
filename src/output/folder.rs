//! What an output folder holds, so every command that reads or replaces a folder can say
//! what it found and what would work instead: a run, a sweep (or a shard of one), a
//! comparison, a calibration, a scenario's folder of runs, something else, or nothing.
//!
//! A folder is known by its `manifest.json` (`kind`, written by every command since the
//! key was added) and, for folders written before, by its files.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::compress;

/// The kind of a folder on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FolderKind {
    /// Nothing is there.
    Missing,
    /// A file, not a folder.
    File,
    /// An empty folder.
    Empty,
    /// A folder of `waico run`.
    Run,
    /// A folder of `waico sweep` (a shard holds part of one).
    Sweep {
        /// Whether it holds one shard of the sweep.
        shard: bool,
    },
    /// A folder of `waico run --seeds` (a shard holds part of one).
    Ensemble {
        /// Whether it holds one shard of the ensemble.
        shard: bool,
    },
    /// A folder of `waico compare`.
    Compare,
    /// A folder of `waico calibrate`.
    Calibrate,
    /// A folder written by another command of waico (its manifest names the kind).
    OtherWaico(String),
    /// A folder holding run folders (`output/<scenario>` holds `seed-N` folders).
    Runs(Vec<String>),
    /// A folder of something else.
    Other,
}

/// The manifest of `dir`, if it has a readable one.
pub fn manifest(dir: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// The folders inside `dir` that are run folders, sorted.
fn run_folders(dir: &Path) -> Vec<String> {
    let mut runs: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| kind_of(&e.path()) == FolderKind::Run)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    runs.sort();
    runs
}

/// What `dir` holds.
pub fn kind_of(dir: &Path) -> FolderKind {
    if !dir.exists() {
        return FolderKind::Missing;
    }
    if !dir.is_dir() {
        return FolderKind::File;
    }
    let has = |name: &str| compress::existing(&dir.join(name)).is_file();
    let manifest = manifest(dir);
    let shard = manifest.as_ref().is_some_and(|m| m["shard"].is_object());
    match manifest.as_ref().and_then(|m| m["kind"].as_str()) {
        Some("run") => return FolderKind::Run,
        Some("sweep") => return FolderKind::Sweep { shard },
        Some("ensemble") => return FolderKind::Ensemble { shard },
        Some("compare") => return FolderKind::Compare,
        Some("calibrate") => return FolderKind::Calibrate,
        Some(other) => return FolderKind::OtherWaico(other.to_owned()),
        None => {}
    }
    // A sweep takes its lock before it writes anything else.
    if has("runs.csv") || dir.join("sweep.lock").is_file() {
        FolderKind::Sweep { shard }
    } else if has("difference.csv") {
        FolderKind::Compare
    } else if has("fit.csv") {
        FolderKind::Calibrate
    } else if has("manifest.json") && has("timeseries.csv") {
        FolderKind::Run
    } else {
        let runs = run_folders(dir);
        if !runs.is_empty() {
            FolderKind::Runs(runs)
        } else if std::fs::read_dir(dir).is_ok_and(|mut e| e.next().is_none()) {
            FolderKind::Empty
        } else {
            FolderKind::Other
        }
    }
}

impl FolderKind {
    /// What the folder is, in words ("a folder of `waico sweep`").
    pub fn describe(&self) -> String {
        match self {
            FolderKind::Missing => "does not exist".into(),
            FolderKind::File => "is a file, not a folder".into(),
            FolderKind::Empty => "is an empty folder".into(),
            FolderKind::Run => "is a run folder (written by `waico run`)".into(),
            FolderKind::Sweep { shard: false } => {
                "is a sweep folder (written by `waico sweep`)".into()
            }
            FolderKind::Sweep { shard: true } => {
                "is the folder of one shard of a sweep (written by `waico sweep --shard`)".into()
            }
            FolderKind::Ensemble { shard: false } => {
                "is an ensemble folder (written by `waico run --seeds`)".into()
            }
            FolderKind::Ensemble { shard: true } => {
                "is the folder of one shard of an ensemble (written by `waico run --seeds --shard`)"
                    .into()
            }
            FolderKind::Compare => "is a comparison folder (written by `waico compare`)".into(),
            FolderKind::Calibrate => {
                "is a calibration folder (written by `waico calibrate`)".into()
            }
            FolderKind::OtherWaico(kind) => match kind.as_str() {
                "sensitivity" => "is a sensitivity folder (written by `waico sensitivity`)".into(),
                "discover" => "is a discovery folder (written by `waico discover`)".into(),
                "backtest" => "is a backtest folder (written by `waico backtest`)".into(),
                _ => format!("is a folder of kind `{kind}`"),
            },
            FolderKind::Runs(runs) => format!(
                "is a scenario's folder holding {} run folder{} ({})",
                runs.len(),
                if runs.len() == 1 { "" } else { "s" },
                list(runs)
            ),
            FolderKind::Other => "is not a folder written by waico".into(),
        }
    }

    /// The short name of the kind, as manifests write it.
    pub fn name(&self) -> &str {
        match self {
            FolderKind::Run => "run",
            FolderKind::Sweep { .. } => "sweep",
            FolderKind::Ensemble { .. } => "ensemble",
            FolderKind::Compare => "compare",
            FolderKind::Calibrate => "calibrate",
            FolderKind::OtherWaico(kind) => kind,
            _ => "other",
        }
    }
}

/// Who made a folder, from its manifest: the scenario (or sweep, or pair of scenarios),
/// the seed and the overrides, and a prefix of the scenario's SHA-256.
pub fn identity(manifest: &Value) -> String {
    let text = |pointer: &str| manifest.pointer(pointer).and_then(Value::as_str);
    let sha = |pointer: &str| {
        text(pointer)
            .map(|s| format!(" (sha256 {}…)", &s[..s.len().min(12)]))
            .unwrap_or_default()
    };
    let overrides = |pointer: &str| {
        let list: Vec<&str> = manifest
            .pointer(pointer)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if list.is_empty() {
            String::new()
        } else {
            format!(", with --set {}", list.join(" --set "))
        }
    };
    if let (Some("ensemble"), Some(name)) = (text("/kind"), text("/ensemble/scenario/name")) {
        let seeds = |key: &str| manifest["ensemble"]["seeds"][key].as_u64().unwrap_or(0);
        return format!(
            "the ensemble of `{name}`, seeds {} to {}{}{}",
            seeds("first"),
            seeds("last"),
            overrides("/ensemble/scenario/overrides"),
            sha("/ensemble/scenario/sha256")
        );
    }
    if let Some(name) = text("/sweep/name") {
        return format!("the sweep `{name}`{}", sha("/sweep/sha256"));
    }
    if let (Some(a), Some(b)) = (text("/a/name"), text("/b/name")) {
        return format!("`{b}` compared with `{a}`{}", overrides("/b/overrides"));
    }
    let name = text("/scenario/name").unwrap_or("an unnamed scenario");
    let seed = manifest
        .get("seed")
        .and_then(Value::as_u64)
        .map(|s| format!(", seed {s}"))
        .unwrap_or_default();
    format!(
        "`{name}`{seed}{}{}",
        overrides("/scenario/overrides"),
        sha("/scenario/sha256")
    )
}

/// Up to five names, then how many more.
fn list(names: &[String]) -> String {
    let shown = names[..names.len().min(5)].join(", ");
    match names.len() {
        n if n > 5 => format!("{shown} and {} more", n - 5),
        _ => shown,
    }
}

/// The first run folder inside `dir`, for a hint.
pub fn first_run(dir: &Path, kind: &FolderKind) -> Option<PathBuf> {
    match kind {
        FolderKind::Runs(runs) => runs.first().map(|r| dir.join(r)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_apart_by_manifest_and_by_files() {
        let tmp = tempfile::tempdir().unwrap();
        let at = |name: &str| tmp.path().join(name);
        assert_eq!(kind_of(&at("none")), FolderKind::Missing);
        std::fs::write(at("file"), "x").unwrap();
        assert_eq!(kind_of(&at("file")), FolderKind::File);
        std::fs::create_dir(at("empty")).unwrap();
        assert_eq!(kind_of(&at("empty")), FolderKind::Empty);
        for (name, manifest, kind) in [
            ("run", r#"{"kind": "run"}"#, FolderKind::Run),
            (
                "sweep",
                r#"{"kind": "sweep", "shard": null}"#,
                FolderKind::Sweep { shard: false },
            ),
            (
                "shard",
                r#"{"kind": "sweep", "shard": {"index": 1}}"#,
                FolderKind::Sweep { shard: true },
            ),
            (
                "ens",
                r#"{"kind": "ensemble", "shard": null}"#,
                FolderKind::Ensemble { shard: false },
            ),
            (
                "ens-shard",
                r#"{"kind": "ensemble", "shard": {"index": 2}}"#,
                FolderKind::Ensemble { shard: true },
            ),
            ("cmp", r#"{"kind": "compare"}"#, FolderKind::Compare),
            ("cal", r#"{"kind": "calibrate"}"#, FolderKind::Calibrate),
        ] {
            std::fs::create_dir(at(name)).unwrap();
            std::fs::write(at(name).join("manifest.json"), manifest).unwrap();
            assert_eq!(kind_of(&at(name)), kind, "{name}");
        }
        std::fs::create_dir(at("old-sweep")).unwrap();
        std::fs::write(at("old-sweep").join("runs.csv"), "run\n").unwrap();
        assert_eq!(
            kind_of(&at("old-sweep")),
            FolderKind::Sweep { shard: false }
        );
        std::fs::create_dir_all(at("scenario/seed-1")).unwrap();
        std::fs::write(at("scenario/seed-1/manifest.json"), r#"{"kind": "run"}"#).unwrap();
        assert_eq!(
            kind_of(&at("scenario")),
            FolderKind::Runs(vec!["seed-1".into()])
        );
        assert!(kind_of(&at("scenario")).describe().contains("seed-1"));
        std::fs::create_dir(at("mine")).unwrap();
        std::fs::write(at("mine/notes.txt"), "x").unwrap();
        assert_eq!(kind_of(&at("mine")), FolderKind::Other);
    }
}
