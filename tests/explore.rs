//! Sensitivity analysis and scenario discovery on sweeps: Sobol' and Morris designs run
//! end to end; a weight that cannot act gets no index; the analyses are the same bytes at
//! any number of jobs and from merged shards; bad input fails clearly.

use std::path::Path;

use crate::util::waico;

/// A Sobol' sweep of the baseline over two weights that act and one that cannot: with no
/// `params.affinity` table the affinity term is zero whatever `beta_affinity` is.
fn sobol(n: u32, replicates: u32) -> String {
    format!(
        r#"
[sweep]
name = "sob"
scenario = "baseline"
replicates = {replicates}
series = false
summary = false
outcomes_at = [2027-12-31]

[design]
kind = "sobol"
n = {n}
seed = 5

[[design.param]]
path = "params.beta_align"
min = 0.6
max = 1.8

[[design.param]]
path = "params.beta_affinity"
min = 0.0
max = 2.0

[[design.param]]
path = "params.review_rate"
min = 0.5
max = 2.0
log = true
"#
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let o = waico().current_dir(dir).args(args).output().unwrap();
    assert!(
        o.status.success(),
        "waico {args:?}:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let o = waico().current_dir(dir).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!o.status.success(), "waico {args:?} should fail");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

/// The rows of `sensitivity.csv` for `outcome`, by factor: the numbers after the factor.
fn rows(csv: &str, outcome: &str) -> Vec<(String, Vec<f64>)> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| c[1] == outcome)
        .map(|c| {
            (
                c[2].to_owned(),
                c[3..].iter().map(|v| v.parse().unwrap()).collect(),
            )
        })
        .collect()
}

#[test]
fn sensitivity_is_the_same_at_any_jobs_and_from_merged_shards() {
    let dir = tempfile::tempdir().unwrap();
    // 16 base samples x 5 rows = 80 points x 3 replicates = 240 runs; three shards split
    // design points.
    write(dir.path(), "s.toml", &sobol(16, 3));
    run(
        dir.path(),
        &["sweep", "s.toml", "--jobs", "1", "--out", "j1"],
    );
    run(
        dir.path(),
        &["sweep", "s.toml", "--jobs", "2", "--out", "j2"],
    );
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = format!("part{k}");
        run(
            dir.path(),
            &["sweep", "s.toml", "--shard", &shard, "--out", &out],
        );
    }
    run(
        dir.path(),
        &["merge", "part2", "part1", "part3", "--out", "merged"],
    );
    let reference = std::fs::read(dir.path().join("j1/sensitivity/sensitivity.csv")).unwrap();
    assert!(
        reference.len() > 200,
        "the sweep wrote its sensitivity analysis"
    );
    for other in ["j2", "merged"] {
        for file in [
            "sensitivity.csv",
            "convergence.csv",
            "outcomes.csv",
            "sensitivity.txt",
        ] {
            assert!(
                std::fs::read(dir.path().join(other).join("sensitivity").join(file)).unwrap()
                    == std::fs::read(dir.path().join("j1/sensitivity").join(file)).unwrap(),
                "{other}/sensitivity/{file} differs from the one-job sweep's"
            );
        }
    }
    // Run by hand, with another folder, it is the same again.
    run(dir.path(), &["sensitivity", "j2", "--out", "again"]);
    assert_eq!(
        std::fs::read(dir.path().join("again/sensitivity.csv")).unwrap(),
        reference
    );
    // Discovery too.
    for out in ["j1", "j2", "merged"] {
        run(
            dir.path(),
            &["discover", out, "--where", "final_members >= 70"],
        );
    }
    for file in ["trajectory.csv", "box.csv", "box.txt"] {
        let one = read(
            dir.path()
                .join("j1/discover-final_members-ge-70")
                .join(file),
        );
        for out in ["j2", "merged"] {
            assert_eq!(
                one,
                read(
                    dir.path()
                        .join(out)
                        .join("discover-final_members-ge-70")
                        .join(file)
                ),
                "{out}: {file}"
            );
        }
    }
}

#[test]
fn a_weight_that_cannot_act_has_no_total_index_and_prim_leaves_it_free() {
    // 64 base samples x 5 rows x 4 replicates = 1,280 runs. With common random numbers
    // the runs at A and AB_affinity are identical, so beta_affinity's total index and its
    // bootstrap interval are 0; beta_align's interval is well above 0 (ST about 0.7).
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.toml", &sobol(64, 4));
    run(dir.path(), &["sweep", "s.toml", "--out", "s"]);
    let csv = read(dir.path().join("s/sensitivity/sensitivity.csv"));
    assert!(
        csv.starts_with("method,outcome,factor,s1,s1_low,s1_high,st,st_low,st_high,st_minus_s1\n")
    );
    for outcome in [
        "final_members",
        "final_member_gdp_share",
        "members@2027-12-31",
    ] {
        let r = rows(&csv, outcome);
        let get = |f: &str| r.iter().find(|(n, _)| n == f).unwrap().1.clone();
        let (dummy, align) = (get("params.beta_affinity"), get("params.beta_align"));
        // columns: s1, s1_low, s1_high, st, st_low, st_high, st - s1
        assert!(
            dummy[4] <= 0.0 && 0.0 <= dummy[5],
            "{outcome}: beta_affinity ST interval {dummy:?}"
        );
        assert!(
            dummy[3].abs() < 1e-9,
            "{outcome}: beta_affinity ST {}",
            dummy[3]
        );
        assert!(
            align[4] > 0.2,
            "{outcome}: beta_align ST interval {align:?}"
        );
    }
    let text = read(dir.path().join("s/sensitivity/sensitivity.txt"));
    assert!(
        text.contains("Saltelli design of N = 64 base samples x 5 = 320 points"),
        "{text}"
    );
    assert!(text.contains("replicate noise"), "{text}");
    // PRIM: where do runs end with at least 75 members? Not a matter of beta_affinity.
    let o = run(
        dir.path(),
        &["discover", "s", "--where", "final_members >= 75"],
    );
    let report = String::from_utf8_lossy(&o.stdout);
    let boxed = read(dir.path().join("s/discover-final_members-ge-75/box.csv"));
    let restricted = |factor: &str| {
        boxed
            .lines()
            .find(|l| l.starts_with(factor))
            .unwrap()
            .split(',')
            .nth(1)
            == Some("true")
    };
    assert!(restricted("params.beta_align"), "{report}");
    assert!(!restricted("params.beta_affinity"), "{report}");
    for f in [
        "trajectory.csv",
        "box.txt",
        "tradeoff.png",
        "box.png",
        "tradeoff.svg",
        "manifest.json",
    ] {
        assert!(
            dir.path()
                .join("s/discover-final_members-ge-75")
                .join(f)
                .exists(),
            "{f}"
        );
    }
}

#[test]
fn a_morris_sweep_screens_its_paths() {
    let dir = tempfile::tempdir().unwrap();
    let text = sobol(0, 2)
        .replace(
            "kind = \"sobol\"\nn = 0",
            "kind = \"morris\"\ntrajectories = 12\nlevels = 4\ncandidates = 40",
        )
        .replace("name = \"sob\"", "name = \"mor\"");
    write(dir.path(), "m.toml", &text);
    let plan = run(dir.path(), &["sweep", "m.toml", "--dry-run"]);
    let plan = String::from_utf8_lossy(&plan.stdout);
    assert!(
        plan.contains("Morris, r = 12 trajectories x (k + 1 = 4) = 48 points"),
        "{plan}"
    );
    assert!(
        plan.contains("48 design points x 2 replicates = 96 runs"),
        "{plan}"
    );
    run(dir.path(), &["sweep", "m.toml", "--out", "m"]);
    let csv = read(dir.path().join("m/sensitivity/sensitivity.csv"));
    assert!(csv.starts_with("method,outcome,factor,mu,mu_star,mu_star_low,mu_star_high,sigma\n"));
    let r = rows(&csv, "final_members");
    let get = |f: &str| r.iter().find(|(n, _)| n == f).unwrap().1.clone();
    assert_eq!(get("params.beta_affinity")[1], 0.0, "no effect: mu* is 0");
    assert!(
        get("params.beta_align")[1] > 5.0,
        "{:?}",
        get("params.beta_align")
    );
    let conv = read(dir.path().join("m/sensitivity/convergence.csv"));
    assert!(
        conv.contains("morris,final_members,params.beta_align,3,"),
        "r/4 = 3 trajectories"
    );
    assert!(conv.contains("morris,final_members,params.beta_align,12,"));
}

#[test]
fn other_designs_get_a_rank_correlation_screening() {
    let dir = tempfile::tempdir().unwrap();
    let text = sobol(0, 2)
        .replace("kind = \"sobol\"\nn = 0", "kind = \"lhs\"\npoints = 60")
        .replace("name = \"sob\"", "name = \"lh\"");
    write(dir.path(), "l.toml", &text);
    let o = run(dir.path(), &["sweep", "l.toml", "--out", "l"]);
    assert!(
        !dir.path().join("l/sensitivity").exists(),
        "only Sobol' and Morris sweeps analyse themselves"
    );
    assert!(!String::from_utf8_lossy(&o.stdout).contains("partial rank"));
    let o = run(
        dir.path(),
        &["sensitivity", "l", "--outcome", "final_members"],
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("partial rank correlation coefficients (PRCC"),
        "{text}"
    );
    let csv = read(
        dir.path()
            .join("l/sensitivity-final_members/sensitivity.csv"),
    );
    assert!(csv.starts_with("method,outcome,factor,prcc,prcc_low,prcc_high\n"));
    let r = rows(&csv, "final_members");
    let get = |f: &str| r.iter().find(|(n, _)| n == f).unwrap().1.clone();
    assert!(
        get("params.beta_align")[1] > 0.5,
        "alignment pulls members in: {:?}",
        get("params.beta_align")
    );
    let dummy = get("params.beta_affinity");
    assert!(
        dummy[1] < 0.0 && 0.0 < dummy[2],
        "no association: {dummy:?}"
    );
}

#[test]
fn outcomes_at_a_date_agree_between_runs_csv_and_series_csv() {
    let dir = tempfile::tempdir().unwrap();
    let grid = |kept: &str| {
        format!(
            "[sweep]\nname = \"g\"\nscenario = \"baseline\"\nreplicates = 2\n{kept}\n[design]\nkind = \"grid\"\n[[design.param]]\npath = \"params.beta_align\"\nvalues = [0.8, 1.1, 1.4]\n[[design.param]]\npath = \"params.beta_peer\"\nvalues = [0.4, 0.8, 1.2, 1.6]\n"
        )
    };
    write(
        dir.path(),
        "kept.toml",
        &grid("outcomes_at = [2027-06-30]\nseries = false"),
    );
    write(dir.path(), "series.toml", &grid(""));
    run(dir.path(), &["sweep", "kept.toml", "--out", "kept"]);
    run(dir.path(), &["sweep", "series.toml", "--out", "series"]);
    let runs = read(dir.path().join("kept/runs.csv"));
    assert!(
        runs.lines()
            .next()
            .unwrap()
            .ends_with(",first_100_members,members@2027-06-30,gdp_share@2027-06-30,error")
    );
    for (dir_name, outcome) in [
        ("kept", "members@2027-06-30"),
        ("series", "members@2027-06-30"),
    ] {
        run(dir.path(), &["sensitivity", dir_name, "--outcome", outcome]);
    }
    let table = |d: &str| {
        read(
            dir.path()
                .join(d)
                .join("sensitivity-members-at-2027-06-30/sensitivity.csv"),
        )
    };
    assert_eq!(
        table("kept"),
        table("series"),
        "the column and series.csv give the same outcome"
    );
    let err = fails(
        dir.path(),
        &["sensitivity", "kept", "--outcome", "members@2026-01-31"],
    );
    assert!(err.contains("outcomes_at = [2026-01-31]"), "{err}");
}

#[test]
fn a_summaryless_sweep_resumes_to_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.toml", &sobol(8, 3));
    run(dir.path(), &["sweep", "s.toml", "--out", "whole"]);
    run(dir.path(), &["sweep", "s.toml", "--out", "cut"]);
    // An interruption: the last 50 runs and half a line lost, the lock of a dead process.
    let runs = dir.path().join("cut/runs.csv");
    let text = read(&runs);
    let keep: Vec<&str> = text.lines().collect();
    let cut = keep[..keep.len() - 50].join("\n") + "\n121,40,1,";
    std::fs::write(&runs, cut).unwrap();
    std::fs::write(dir.path().join("cut/sweep.lock"), "4294967\n").unwrap();
    let o = run(dir.path(), &["sweep", "s.toml", "--resume", "--out", "cut"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("kept"));
    for f in ["runs.csv", "manifest.json", "sensitivity/sensitivity.csv"] {
        assert_eq!(
            read(dir.path().join("whole").join(f)),
            read(dir.path().join("cut").join(f)),
            "{f}"
        );
    }
    assert!(!dir.path().join("cut/summary.csv").exists());
}
