//! Sweeps: the same files at any thread count and any shard split, after any
//! interruption; a run in a sweep is the run `waico run` makes; bad sweep files fail
//! clearly and leave nothing behind.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::{waico, waico_process};

const FILES: [&str; 4] = ["runs.csv", "series.csv", "summary.csv", "manifest.json"];

/// A grid sweep of the baseline: 4 points x `replicates` replicates.
fn grid(replicates: u32) -> String {
    format!(
        r#"
[sweep]
name = "grid"
scenario = "baseline"
replicates = {replicates}

[design]
kind = "grid"

[[design.param]]
path = "policy.stringency.tier2"
values = [0.2, 0.8]

[[design.param]]
path = "params.beta_peer"
range = "0.5:1.5:1.0"
"#
    )
}

fn write_sweep(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("sweep.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn sweep(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["sweep", "sweep.toml"];
    all.extend(args);
    waico().current_dir(dir).args(&all).output().unwrap()
}

fn same_files(a: &Path, b: &Path, names: &[&str]) {
    for name in names {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
        );
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn one_and_two_jobs_write_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), &grid(6));
    for jobs in ["1", "2"] {
        let out = sweep(dir.path(), &["--jobs", jobs, "--out", jobs]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    same_files(&dir.path().join("1"), &dir.path().join("2"), &FILES);
    let runs = std::fs::read_to_string(dir.path().join("1/runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 24, "a header and 24 runs");
    let ids: Vec<u64> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ids, (0..24).collect::<Vec<_>>(), "rows are in run order");
    for chart in ["fan.png", "heatmap.png", "response.png", "fan.svg"] {
        assert!(
            dir.path().join("1").join(chart).exists(),
            "{chart} is drawn"
        );
    }
}

#[test]
fn three_shards_merged_equal_the_unsharded_sweep() {
    let dir = tempfile::tempdir().unwrap();
    // 4 points x 5 replicates = 20 runs: the thirds 0..6, 6..13 and 13..20 split points.
    write_sweep(dir.path(), &grid(5));
    assert!(sweep(dir.path(), &["--out", "whole"]).status.success());
    let mut shards = Vec::new();
    for k in [3, 1, 2] {
        let out = format!("shard{k}");
        let o = sweep(dir.path(), &["--shard", &format!("{k}/3"), "--out", &out]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        shards.push(out);
    }
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(String::as_str));
    args.extend(["--out", "merged"]);
    let o = waico()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    same_files(
        &dir.path().join("whole"),
        &dir.path().join("merged"),
        &FILES,
    );
    assert!(
        dir.path().join("shard2/partial.csv").exists(),
        "a split point kept its exact values"
    );
}

#[test]
fn slurm_array_variables_choose_the_shard() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), &grid(5));
    let o = waico()
        .current_dir(dir.path())
        .args(["sweep", "sweep.toml", "--out", "s"])
        .env("SLURM_ARRAY_TASK_ID", "2")
        .env("SLURM_ARRAY_TASK_MIN", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("s/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["shard"]["index"], 2);
    assert_eq!(manifest["shard"]["count"], 3);
}

#[test]
fn a_killed_sweep_resumes_to_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    // 42 points x 150 replicates: killed after 400 runs, two points are done.
    write_sweep(
        dir.path(),
        &grid(150).replace("range = \"0.5:1.5:1.0\"", "range = \"0.5:1.5:0.05\""),
    );
    assert!(
        sweep(dir.path(), &["--jobs", "1", "--out", "whole"])
            .status
            .success()
    );
    let mut child = waico_process()
        .current_dir(dir.path())
        .args(["sweep", "sweep.toml", "--jobs", "1", "--out", "killed"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let runs = dir.path().join("killed/runs.csv");
    let started = Instant::now();
    while std::fs::read_to_string(&runs).map_or(0, |t| t.lines().count()) < 400 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the sweep never got going"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let written = std::fs::read_to_string(&runs).unwrap().lines().count();
    assert!(written < 6301, "killed mid-way ({written} lines)");
    // A write cut short by the kill leaves half a line: simulate the worst case too.
    use std::io::Write;
    for name in ["runs.csv", "series.csv"] {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join("killed").join(name))
            .unwrap();
        f.write_all(b"99999,1,2").unwrap();
    }
    let refused = sweep(dir.path(), &["--jobs", "2", "--out", "killed"]);
    assert!(
        !refused.status.success(),
        "an interrupted folder is not silently reused"
    );
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("interrupted") && said.contains("--resume"),
        "the refusal says what happened and what to do: {said}"
    );
    let resumed = sweep(dir.path(), &["--jobs", "2", "--resume", "--out", "killed"]);
    assert!(
        resumed.status.success(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert!(
        String::from_utf8_lossy(&resumed.stdout).contains("kept"),
        "the resume kept finished runs"
    );
    same_files(
        &dir.path().join("whole"),
        &dir.path().join("killed"),
        &FILES,
    );
    assert!(!dir.path().join("killed/sweep.lock").exists());
}

#[test]
fn a_run_in_a_sweep_is_the_run_waico_run_makes() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), &grid(3));
    assert!(sweep(dir.path(), &["--out", "s"]).status.success());
    // Run 7: point 2 (tier-2 stringency 0.8, beta_peer 0.5), replicate 1, seed 2.
    let runs = std::fs::read_to_string(dir.path().join("s/runs.csv")).unwrap();
    let row: Vec<&str> = runs.lines().nth(8).unwrap().split(',').collect();
    assert_eq!(&row[..6], &["7", "2", "1", "2", "0.8", "0.5"]);
    let o = waico()
        .current_dir(dir.path())
        .args([
            "run",
            "--seed",
            "2",
            "--set",
            "policy.stringency.tier2=0.8",
            "--set",
            "params.beta_peer=0.5",
            "--out",
            "single",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let single = std::fs::read_to_string(dir.path().join("single/timeseries.csv")).unwrap();
    let expected: Vec<String> = single
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            format!(
                "7,{},{},{},{},{},{},{}",
                c[0], c[1], c[2], c[3], c[9], c[10], c[11]
            )
        })
        .collect();
    let series = std::fs::read_to_string(dir.path().join("s/series.csv")).unwrap();
    let got: Vec<&str> = series.lines().filter(|l| l.starts_with("7,")).collect();
    assert_eq!(got, expected);
}

#[test]
fn a_failing_run_is_recorded_and_the_sweep_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), &grid(4));
    let o = sweep(dir.path(), &["--fail-run", "5", "--out", "s"]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "failures are reported in the exit status"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 FAILED"));
    let runs = std::fs::read_to_string(dir.path().join("s/runs.csv")).unwrap();
    let failed: Vec<&str> = runs.lines().filter(|l| l.contains(",failed,")).collect();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].starts_with("5,1,1,") && failed[0].contains("failed on purpose"),
        "{}",
        failed[0]
    );
    assert_eq!(runs.lines().count(), 1 + 16, "every other run finished");
    let summary = std::fs::read_to_string(dir.path().join("s/summary.csv")).unwrap();
    let point1 = summary.lines().find(|l| l.starts_with("1,")).unwrap();
    assert_eq!(
        point1.split(',').nth(5),
        Some("3"),
        "point 1 summarises its 3 good runs: {point1}"
    );
}

#[test]
fn a_second_sweep_cannot_write_the_same_folder() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), &grid(2000));
    let mut child = waico_process()
        .current_dir(dir.path())
        .args(["sweep", "sweep.toml", "--jobs", "1", "--out", "busy"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lock = dir.path().join("busy/sweep.lock");
    let started = Instant::now();
    while !lock.exists() {
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = sweep(dir.path(), &["--resume", "--out", "busy"]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("being written by another sweep"), "{err}");
}

#[test]
fn seeds_are_common_across_points_unless_independent() {
    let dir = tempfile::tempdir().unwrap();
    let seeds_of = |text: &str, out: &str| -> Vec<Vec<String>> {
        write_sweep(dir.path(), text);
        assert!(sweep(dir.path(), &["--out", out]).status.success());
        let runs = std::fs::read_to_string(dir.path().join(out).join("runs.csv")).unwrap();
        let seeds: Vec<String> = runs
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(3).unwrap().to_owned())
            .collect();
        seeds.chunks(3).map(<[String]>::to_vec).collect()
    };
    let common = seeds_of(&grid(3), "common");
    assert!(common.iter().all(|p| p == &common[0]), "{common:?}");
    let independent = seeds_of(
        &grid(3).replace("replicates = 3", "replicates = 3\nseeds = \"independent\""),
        "independent",
    );
    assert_ne!(independent[0], independent[1]);
}

#[test]
fn a_dry_run_plans_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), &grid(50));
    let o = sweep(dir.path(), &["--dry-run", "--out", "never"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "4 design points x 50 replicates = 200 runs",
        "MB",
        "time: about",
    ] {
        assert!(text.contains(needle), "{needle:?} in {text}");
    }
    assert!(!dir.path().join("never").exists());
}

#[test]
fn every_broken_sweep_file_fails_clearly_and_leaves_nothing_behind() {
    let head = "[sweep]\nname = \"s\"\nscenario = \"baseline\"\nreplicates = 2\n";
    let param = |body: &str| format!("{head}[design]\nkind = \"grid\"\n[[design.param]]\n{body}\n");
    let cases: Vec<(String, &[&str], &str)> = vec![
        (
            param("path = \"params.beta_peeer\"\nvalues = [1.0]"),
            &[
                "params.beta_peeer",
                "unknown key",
                "did you mean `beta_peer`",
            ],
            "",
        ),
        (
            param("path = \"parms.beta_peer\"\nvalues = [1.0]"),
            &["not a section", "did you mean `params`"],
            "",
        ),
        (
            param("path = \"params.beta_peer\"\nrange = \"1:0:0.5\""),
            &["design.param[0].range", "is empty"],
            "",
        ),
        (
            param("path = \"params.beta_peer\"\nrange = \"0:1:0\""),
            &["step of zero"],
            "",
        ),
        (
            param("path = \"params.beta_peer\"\nvalues = []"),
            &["empty list"],
            "",
        ),
        (
            param("path = \"policy.retaliation\"\nvalues = [0.5, 1.5]"),
            &["design point 1", "policy.retaliation = 1.5", "out of range"],
            "",
        ),
        (
            param("path = \"events[42].value\"\nvalues = [1.0]"),
            &["events", "no [42]"],
            "",
        ),
        (
            format!(
                "{head}[design]\nkind = \"lhs\"\npoints = 0\n[[design.param]]\npath = \"params.tau\"\nmin = 0.1\nmax = 0.5\n"
            ),
            &["design.points", "1 to 1000000"],
            "",
        ),
        (
            format!(
                "{head}[design]\nkind = \"lhs\"\npoints = 5\n[[design.param]]\npath = \"params.tau\"\nmin = 0.5\nmax = 0.1\n"
            ),
            &["is empty"],
            "",
        ),
        (
            format!("{head}[design]\nkind = \"grd\"\n"),
            &["unknown design", "did you mean `grid`"],
            "",
        ),
        (
            format!(
                "{head}[design]\nkind = \"zip\"\n[[design.param]]\npath = \"params.tau\"\nvalues = [0.1, 0.2]\n[[design.param]]\npath = \"params.inertia\"\nvalues = [0.1]\n"
            ),
            &["equal length"],
            "",
        ),
        (
            format!("{head}[design]\nkind = \"table\"\nfile = \"nowhere.csv\"\n"),
            &["design.file", "cannot read"],
            "",
        ),
        (
            head.replace("replicates = 2", "replicates = 0"),
            &["sweep.replicates", "at least one"],
            "",
        ),
        (
            format!("{head}seeds = \"shared\"\n"),
            &["sweep.seeds", "unknown seed rule"],
            "",
        ),
        (
            head.replace("\"baseline\"", "\"baseliine\""),
            &["sweep.scenario", "neither a scenario file"],
            "",
        ),
        (
            format!("{head}[charts]\nx = \"params.tau\"\n"),
            &["charts.x", "not a varied path"],
            "",
        ),
        (format!("{head}[swep]\n"), &["unknown key `swep`"], ""),
        (
            format!(
                "{head}[design]\nkind = \"sobol\"\n[[design.param]]\npath = \"params.tau\"\nmin = 0.1\nmax = 0.5\n"
            ),
            &["needs `n`", "n = 512"],
            "",
        ),
        (
            format!(
                "{head}[design]\nkind = \"sobol\"\nn = 8\n[[design.param]]\npath = \"params.beta_peer\"\nmin = 0.0\nmax = 1.0\nlog = true\n"
            ),
            &["design.param[0].log", "positive range"],
            "",
        ),
        (
            format!(
                "{head}[design]\nkind = \"morris\"\ntrajectories = 4\nlevels = 3\n[[design.param]]\npath = \"params.tau\"\nmin = 0.1\nmax = 0.5\n"
            ),
            &["design.levels", "even"],
            "",
        ),
        (
            format!(
                "{head}[design]\nkind = \"morris\"\ntrajectories = 4\nn = 8\n[[design.param]]\npath = \"params.tau\"\nmin = 0.1\nmax = 0.5\n"
            ),
            &["design.n", "does not use"],
            "",
        ),
        (
            param("path = \"params.tau\"\nvalues = [0.1]\nlog = true"),
            &["design.param[0].log", "values or a range"],
            "",
        ),
        (
            format!("{head}outcomes_at = [2040-01-01]\n"),
            &["sweep.outcomes_at", "outside the run"],
            "",
        ),
        (
            format!(
                "{head}[design]\nkind = \"sobol\"\nn = 8\n[[design.param]]\npath = \"policy.retaliation\"\nmin = 0.5\nmax = 1.5\n"
            ),
            &["design point", "policy.retaliation", "out of range"],
            "",
        ),
        (grid(2), &["4/3"], "4/3"),
    ];
    assert!(cases.len() >= 15);
    for (text, fragments, shard) in cases {
        let dir = tempfile::tempdir().unwrap();
        write_sweep(dir.path(), &text);
        let mut args = vec!["--out", "out"];
        if !shard.is_empty() {
            args.extend(["--shard", shard]);
        }
        let o = sweep(dir.path(), &args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{text}");
        assert!(!err.contains("panicked"), "{err}");
        for f in fragments {
            assert!(err.contains(f), "missing {f:?} in: {err}\nfor:\n{text}");
        }
        assert!(
            !dir.path().join("out").exists(),
            "{text}: left an output folder"
        );
    }
}

#[test]
fn merge_refuses_unfinished_or_foreign_shards() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), &grid(2));
    assert!(
        sweep(dir.path(), &["--shard", "1/2", "--out", "a"])
            .status
            .success()
    );
    let missing = waico()
        .current_dir(dir.path())
        .args(["merge", "a", "--out", "m"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("shard 2 of 2 is missing"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
    write_sweep(dir.path(), &grid(3));
    assert!(
        sweep(dir.path(), &["--shard", "2/2", "--out", "b"])
            .status
            .success()
    );
    let foreign = waico()
        .current_dir(dir.path())
        .args(["merge", "a", "b", "--out", "m"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&foreign.stderr).contains("another sweep"),
        "{}",
        String::from_utf8_lossy(&foreign.stderr)
    );
    assert!(!dir.path().join("m").exists());
}

#[test]
fn merge_is_atomic_and_refuses_a_shard_with_a_missing_or_extra_row() {
    let dir = tempfile::tempdir().unwrap();
    write_sweep(dir.path(), &grid(3));
    for k in [1, 2] {
        let o = sweep(
            dir.path(),
            &["--shard", &format!("{k}/2"), "--out", &format!("s{k}")],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let merge = |out: &str, force: bool| {
        let mut args = vec!["merge", "s1", "s2", "--out", out];
        if force {
            args.push("--force");
        }
        waico()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap()
    };
    assert!(merge("merged", false).status.success());
    let files = |d: &str| -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path().join(d))
            .unwrap()
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        all.sort();
        all
    };
    let good = files("merged");
    let series = dir.path().join("s2/series.csv");
    let original = std::fs::read_to_string(&series).unwrap();
    let lines: Vec<&str> = original.lines().collect();
    let missing = lines[..lines.len() - 1].join("\n") + "\n";
    let extra = format!("{original}{}\n", lines[lines.len() - 1]);
    for (what, text) in [("missing", missing), ("extra", extra)] {
        std::fs::write(&series, text).unwrap();
        let o = merge("merged", true);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "a {what} row is refused");
        assert!(
            err.contains("shard 2 of 2") && err.contains("series.csv"),
            "{what}: {err}"
        );
        assert_eq!(
            files("merged"),
            good,
            "a {what} row leaves the merged folder as it was"
        );
    }
    std::fs::write(&series, original).unwrap();
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folder is left: {leftovers:?}"
    );
    assert!(merge("merged", true).status.success());
    assert_eq!(
        files("merged"),
        good,
        "the same shards merge to the same bytes"
    );
}
