//! A closed standard output: `waico ... | head -1` and `waico ... | true` must never panic.
//! Every command runs with a pipe whose reading end is closed before it prints; each must
//! exit 0, print no panic, and still do its work (files written, charts drawn).

use std::path::Path;
use std::process::Stdio;

use crate::util::{waico, waico_process};

/// A 4-run sweep of a one-year baseline.
const SWEEP: &str = r#"
[sweep]
name = "piped"
scenario = "short.toml"
replicates = 2

[design]
kind = "grid"

[[design.param]]
path = "params.beta_peer"
values = [0.5, 1.5]
"#;

/// A Sobol' sweep of the same scenario: 4 base samples x 3 = 12 points x 2 replicates.
const SOBOL: &str = r#"
[sweep]
name = "piped-sobol"
scenario = "short.toml"
replicates = 2
summary = false

[design]
kind = "sobol"
n = 4

[[design.param]]
path = "params.beta_peer"
min = 0.5
max = 1.5
"#;

const SHORT: &str = "extends = \"baseline\"\n[scenario]\nname = \"short\"\nend = 2026-12-26\n";

/// Runs `waico args` in `dir` with its standard output a pipe nobody reads: the reading
/// end is closed before the command starts writing.
fn closed_stdout(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = waico_process()
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("waico starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("waico finishes");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn check(dir: &Path, args: &[&str]) {
    let (code, stderr) = closed_stdout(dir, args);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{args:?}: {stderr}"
    );
    assert_eq!(code, Some(0), "{args:?}: {stderr}");
}

#[test]
fn every_command_survives_a_closed_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("short.toml"), SHORT).unwrap();
    std::fs::write(dir.join("sweep.toml"), SWEEP).unwrap();
    std::fs::write(
        dir.join("observed.csv"),
        "date,members\n2025-12-26,20\n2026-06-26,30\n",
    )
    .unwrap();

    check(dir, &["validate", "short.toml", "baseline"]);
    check(dir, &["run", "short.toml", "--out", "run"]);
    assert!(
        dir.join("run/membership.svg").is_file(),
        "run wrote its folder"
    );
    check(dir, &["explain", "run", "PAK"]);
    check(dir, &["explain", "run", "PAK", "--csv"]);

    check(dir, &["sweep", "sweep.toml", "--dry-run"]);
    check(dir, &["sweep", "sweep.toml", "--out", "whole"]);
    for file in ["runs.csv", "summary.csv", "fan.png", "response.svg"] {
        assert!(dir.join("whole").join(file).is_file(), "sweep wrote {file}");
    }
    std::fs::remove_file(dir.join("whole/fan.png")).unwrap();
    check(dir, &["plot", "whole"]);
    assert!(dir.join("whole/fan.png").is_file(), "plot redrew the fan");

    for k in ["1", "2"] {
        let out = waico()
            .current_dir(dir)
            .args(["sweep", "sweep.toml", "--shard", &format!("{k}/2")])
            .args(["--out", &format!("shard{k}")])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    check(dir, &["merge", "shard1", "shard2", "--out", "merged"]);
    assert!(
        dir.join("merged/fan.svg").is_file(),
        "merge drew its charts"
    );

    check(
        dir,
        &[
            "compare",
            "short.toml",
            "short.toml",
            "--seeds",
            "2",
            "--out",
            "cmp",
        ],
    );
    assert!(dir.join("cmp/difference.csv").is_file(), "compare wrote");
    check(
        dir,
        &[
            "calibrate",
            "short.toml",
            "--observed",
            "observed.csv",
            "--fit",
            "params.beta_0=-2:0",
            "--seeds",
            "2",
            "--points",
            "2",
            "--iterations",
            "2",
            "--out",
            "fit",
        ],
    );
    assert!(dir.join("fit/fit.csv").is_file(), "calibrate wrote");
    check(
        dir,
        &[
            "backtest",
            "short.toml",
            "--observed",
            "observed.csv",
            "--seeds",
            "2",
            "--groups",
            "EU",
            "--out",
            "bt",
        ],
    );
    assert!(dir.join("bt/checkpoints.csv").is_file(), "backtest wrote");
    std::fs::write(dir.join("sobol.toml"), SOBOL).unwrap();
    check(dir, &["sweep", "sobol.toml", "--out", "sobol"]);
    assert!(
        dir.join("sobol/sensitivity/sensitivity.csv").is_file(),
        "the sweep wrote its sensitivity analysis"
    );
    check(dir, &["sensitivity", "sobol", "--out", "sens"]);
    assert!(
        dir.join("sens/sensitivity.csv").is_file(),
        "sensitivity wrote"
    );
    check(
        dir,
        &[
            "discover",
            "sobol",
            "--where",
            "final_members >= 40",
            "--out",
            "found",
        ],
    );
    assert!(dir.join("found/box.csv").is_file(), "discover wrote");
    check(dir, &["--help"]);
    check(dir, &["run", "--help"]);
}
