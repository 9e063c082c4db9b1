//! Ensembles (`waico run --seeds`) and sweeps that keep `states`: the shares an ensemble
//! reports are those counted from the single runs of the same seeds; the files are the
//! same at any number of jobs, across shards merged, and after a kill and `--resume`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::{waico, waico_process};

const ENSEMBLE_FILES: [&str; 4] = ["timeseries.csv", "states.csv", "runs.csv", "manifest.json"];

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    waico().current_dir(dir).args(args).output().unwrap()
}

/// A CSV file as a header and rows of cells.
fn table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn same_files(a: &Path, b: &Path, names: &[&str]) {
    for name in names {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap_or_else(|e| panic!("{}/{name}: {e}", a.display())),
            std::fs::read(b.join(name)).unwrap_or_else(|e| panic!("{}/{name}: {e}", b.display())),
        );
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn share(count: usize, n: usize) -> String {
    format!("{:.6}", count as f64 / n as f64)
}

/// What one `waico run` folder says about each state.
struct Single {
    last: BTreeMap<String, String>,
    /// The `ineligible` reasons at the last tick.
    ineligible: BTreeMap<String, String>,
    in_at_year_end: BTreeMap<(String, i32), bool>,
    first_member: BTreeMap<String, String>,
    first_in: BTreeMap<String, String>,
    tier_down: Vec<String>,
    deals: Vec<(String, String)>,
}

fn single(dir: &Path) -> Single {
    let (h, rows) = table(&dir.join("nations.csv"));
    let (tick, date, iso3, status) = (
        col(&h, "tick"),
        col(&h, "date"),
        col(&h, "iso3"),
        col(&h, "status"),
    );
    let last_tick = rows
        .iter()
        .map(|r| r[tick].parse::<u32>().unwrap())
        .max()
        .unwrap();
    let dates: Vec<String> = {
        let (h, rows) = table(&dir.join("timeseries.csv"));
        rows.iter().map(|r| r[col(&h, "date")].clone()).collect()
    };
    // The tick standing for 31 December of each year: the last tick on or before it.
    let year_end = |year: i32| -> String {
        dates
            .iter()
            .filter(|d| **d <= format!("{year}-12-31"))
            .max()
            .unwrap()
            .clone()
    };
    let mut s = Single {
        last: BTreeMap::new(),
        ineligible: BTreeMap::new(),
        in_at_year_end: BTreeMap::new(),
        first_member: BTreeMap::new(),
        first_in: BTreeMap::new(),
        tier_down: Vec::new(),
        deals: Vec::new(),
    };
    for r in &rows {
        let code = r[iso3].clone();
        if r[tick].parse::<u32>().unwrap() == last_tick {
            s.last.insert(code.clone(), r[status].clone());
            s.ineligible
                .insert(code.clone(), r[col(&h, "ineligible")].clone());
        }
        for year in 2025..=2030 {
            if r[date] == year_end(year) {
                s.in_at_year_end
                    .insert((code.clone(), year), r[status] != "outside");
            }
        }
        if r[status] == "member" {
            s.first_member
                .entry(code.clone())
                .or_insert_with(|| r[date].clone());
        }
        if r[status] != "outside" {
            s.first_in.entry(code).or_insert_with(|| r[date].clone());
        }
    }
    let (h, events) = table(&dir.join("events.csv"));
    let (kind, who, from, to) = (
        col(&h, "kind"),
        col(&h, "iso3"),
        col(&h, "from"),
        col(&h, "to"),
    );
    for e in &events {
        if e[kind] == "tier_change" && e[to].parse::<u8>().unwrap() > e[from].parse::<u8>().unwrap()
        {
            s.tier_down.push(e[who].clone());
        }
        if e[kind] == "deal" {
            s.deals.push((e[who].clone(), e[to].clone()));
        }
    }
    s
}

/// Type-1 quantile of dates (the rank `ceil(q m)` of the `m` sorted dates).
fn date_quantile(mut dates: Vec<String>, percent: usize) -> String {
    if dates.is_empty() {
        return String::new();
    }
    dates.sort();
    let rank = (percent * dates.len()).div_ceil(100).max(1);
    dates[rank - 1].clone()
}

#[test]
fn an_ensemble_s_shares_are_those_counted_from_single_runs() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = 1..=6u64;
    let n = seeds.clone().count();
    ok(&run_in(
        dir.path(),
        &["run", "--seeds", "6", "--out", "ens"],
    ));
    let runs: Vec<Single> = seeds
        .clone()
        .map(|seed| {
            let out = format!("seed-{seed}");
            ok(&run_in(
                dir.path(),
                &["run", "--seed", &seed.to_string(), "--out", &out],
            ));
            single(&dir.path().join(out))
        })
        .collect();
    let (h, rows) = table(&dir.path().join("ens/states.csv"));
    assert_eq!(rows.len(), 196, "one row per state");
    let years: Vec<i32> = h
        .iter()
        .filter_map(|c| c.strip_prefix("in_share_")?.parse().ok())
        .collect();
    assert_eq!(years, (2025..=2030).collect::<Vec<_>>());
    for row in &rows {
        let code = &row[col(&h, "iso3")];
        let count = |f: &dyn Fn(&Single) -> bool| runs.iter().filter(|s| f(s)).count();
        let cell = |name: &str| row[col(&h, name)].as_str();
        let status = |s: &Single| s.last[code].clone();
        assert_eq!(cell("runs"), n.to_string());
        assert_eq!(
            cell("member_share"),
            share(count(&|s| status(s) == "member"), n),
            "{code}"
        );
        assert_eq!(
            cell("partner_share"),
            share(count(&|s| status(s) == "partner"), n),
            "{code}"
        );
        assert_eq!(
            cell("outside_share"),
            share(count(&|s| status(s) == "outside"), n),
            "{code}"
        );
        assert_eq!(
            cell("ineligible_share"),
            share(count(&|s| !s.ineligible[code].is_empty()), n),
            "{code}"
        );
        let mut reasons: Vec<&str> = runs
            .iter()
            .flat_map(|s| s.ineligible[code].split(';'))
            .filter(|r| !r.is_empty())
            .collect();
        reasons.sort_by_key(|r| {
            ["opponent", "territory", "barred", "no_recognition"]
                .iter()
                .position(|x| x == r)
        });
        reasons.dedup();
        assert_eq!(cell("ineligible"), reasons.join(";"), "{code}");
        assert_eq!(
            cell("ever_member_share"),
            share(count(&|s| s.first_member.contains_key(code)), n)
        );
        assert_eq!(
            cell("ever_in_share"),
            share(count(&|s| s.first_in.contains_key(code)), n)
        );
        for year in 2025..=2030 {
            let expected = share(count(&|s| s.in_at_year_end[&(code.clone(), year)]), n);
            assert_eq!(cell(&format!("in_share_{year}")), expected, "{code} {year}");
        }
        for (what, firsts) in [
            (
                "member",
                runs.iter()
                    .filter_map(|s| s.first_member.get(code).cloned())
                    .collect::<Vec<_>>(),
            ),
            (
                "in",
                runs.iter()
                    .filter_map(|s| s.first_in.get(code).cloned())
                    .collect(),
            ),
        ] {
            for q in [5, 50, 95] {
                let name = format!("first_{what}_q{q:02}");
                assert_eq!(
                    cell(&name),
                    date_quantile(firsts.clone(), q),
                    "{code} {name}"
                );
            }
        }
        assert_eq!(
            cell("tier_down_share"),
            share(count(&|s| s.tier_down.contains(code)), n),
            "{code}"
        );
        let dealt =
            |power: &str| count(&|s: &Single| s.deals.iter().any(|(w, p)| w == code && p == power));
        assert_eq!(cell("host_deal_share"), share(dealt("CHN"), n), "{code}");
        assert_eq!(
            cell("opponent_deal_share"),
            share(dealt("USA"), n),
            "{code}"
        );
    }
    // Somebody moves, and somebody cannot: the check is not of an ensemble where nothing
    // happens.
    let member = col(&h, "member_share");
    let barred: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r[col(&h, "ineligible_share")] == "1.000000")
        .map(|r| (r[0].as_str(), r[col(&h, "ineligible")].as_str()))
        .collect();
    for (code, why) in [
        ("TWN", "territory;no_recognition"),
        ("PRK", "barred"),
        ("USA", "opponent"),
    ] {
        assert!(barred.contains(&(code, why)), "{code}: {barred:?}");
    }
    assert!(
        rows.iter()
            .any(|r| r[member] != "0.000000" && r[member] != "1.000000")
    );
    assert!(
        rows.iter()
            .any(|r| r[col(&h, "tier_down_share")] != "0.000000")
    );
    assert!(
        rows.iter()
            .any(|r| r[col(&h, "host_deal_share")] != "0.000000")
    );

    // timeseries.csv: the members' statistics are those of the runs' members per tick.
    let (th, trows) = table(&dir.path().join("ens/timeseries.csv"));
    let per_run: Vec<Vec<f64>> = seeds
        .map(|seed| {
            let (h, rows) = table(&dir.path().join(format!("seed-{seed}/timeseries.csv")));
            rows.iter()
                .map(|r| r[col(&h, "members")].parse().unwrap())
                .collect()
        })
        .collect();
    for (t, row) in trows.iter().enumerate() {
        let values: Vec<f64> = per_run.iter().map(|r| r[t]).collect();
        let s = waico::sweep::stats::stats(&values);
        assert_eq!(
            row[col(&th, "members_mean")],
            format!("{:.6}", s.mean),
            "tick {t}"
        );
        let sd: f64 = row[col(&th, "members_sd")].parse().unwrap();
        assert!((sd - s.sd).abs() < 2e-6, "tick {t}: sd {sd} vs {}", s.sd);
        for (k, q) in ["q05", "q25", "q50", "q75", "q95"].iter().enumerate() {
            assert_eq!(
                row[col(&th, &format!("members_{q}"))],
                format!("{:.6}", s.quantiles[k])
            );
        }
    }
}

fn ensemble(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["run", "--seeds", "1..40"];
    all.extend(args);
    ok(&run_in(dir, &all))
}

#[test]
fn ensembles_are_the_same_at_any_jobs_and_across_shards_merged() {
    let dir = tempfile::tempdir().unwrap();
    ensemble(dir.path(), &["--jobs", "1", "--out", "j1"]);
    let printed = ensemble(dir.path(), &["--jobs", "2", "--out", "j2"]);
    assert!(printed.contains("median"), "{printed}");
    same_files(
        &dir.path().join("j1"),
        &dir.path().join("j2"),
        &ENSEMBLE_FILES,
    );
    for k in 1..=3 {
        ensemble(
            dir.path(),
            &["--shard", &format!("{k}/3"), "--out", &format!("s{k}")],
        );
        assert!(
            !dir.path().join(format!("s{k}/states.csv")).exists(),
            "a shard holds a tally only"
        );
    }
    ok(&run_in(
        dir.path(),
        &["merge", "s1", "s2", "s3", "--out", "merged"],
    ));
    same_files(
        &dir.path().join("j1"),
        &dir.path().join("merged"),
        &ENSEMBLE_FILES,
    );
    for chart in ["fan", "map-member", "map-in", "likely"] {
        assert!(
            dir.path().join(format!("merged/{chart}.png")).exists(),
            "{chart}"
        );
        assert!(
            dir.path().join(format!("j1/{chart}.svg")).exists(),
            "{chart}"
        );
    }
    assert!(
        !dir.path().join("j1/tally.csv").exists(),
        "a finished ensemble keeps no tally"
    );
    // `--seeds 40` is 1..40; an existing folder is not reused without --resume or --force.
    let again = run_in(dir.path(), &["run", "--seeds", "40", "--out", "j1"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--resume"));
}

/// Starts `waico` with `args` in `dir`, kills it (SIGKILL) once `file` has `lines` lines,
/// and returns how many it had.
fn kill_when(dir: &Path, args: &[&str], file: &str, lines: usize) -> usize {
    let mut child = waico_process()
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let path = dir.join(file);
    let started = Instant::now();
    while std::fs::read_to_string(&path).map_or(0, |t| t.lines().count()) < lines {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "it never got going"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::read_to_string(&path).unwrap().lines().count()
}

#[test]
fn a_killed_ensemble_resumes_from_its_tally_to_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let args = |out: &'static str, jobs: &'static str| {
        vec![
            "run",
            "--seeds",
            "1..1500",
            "--jobs",
            jobs,
            "--out",
            out,
            "--checkpoint-secs",
            "0",
        ]
    };
    ok(&run_in(dir.path(), &args("whole", "2")));
    let written = kill_when(dir.path(), &args("killed", "1"), "killed/runs.csv", 400);
    assert!(written < 1501, "killed mid-way ({written} lines)");
    assert!(
        dir.path().join("killed/tally.csv").exists(),
        "a checkpoint was saved"
    );
    // A write cut short by the kill leaves half a line.
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.path().join("killed/runs.csv"))
        .unwrap();
    f.write_all(b"1499,0,1499,15").unwrap();
    let refused = run_in(dir.path(), &args("killed", "2"));
    assert!(
        !refused.status.success(),
        "an interrupted folder is not silently reused"
    );
    let mut resume = args("killed", "2");
    resume.push("--resume");
    let printed = ok(&run_in(dir.path(), &resume));
    assert!(
        printed.contains("kept"),
        "the resume kept the runs its tally holds: {printed}"
    );
    same_files(
        &dir.path().join("whole"),
        &dir.path().join("killed"),
        &ENSEMBLE_FILES,
    );
    assert!(!dir.path().join("killed/sweep.lock").exists());
}

/// A sweep of the baseline keeping per-state outcomes: 3 points x `replicates`.
fn states_sweep(dir: &Path, replicates: u32) {
    let text = format!(
        r#"
[sweep]
name = "states"
scenario = "baseline"
replicates = {replicates}
keep = ["states"]

[design]
kind = "grid"

[[design.param]]
path = "policy.offer"
values = [0.5, 1.0, 2.0]
"#
    );
    std::fs::write(dir.join("sweep.toml"), text).unwrap();
}

const SWEEP_FILES: [&str; 4] = ["runs.csv", "summary.csv", "states.csv", "manifest.json"];

#[test]
fn sweeps_keep_states_the_same_at_any_jobs_shards_and_after_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    states_sweep(dir.path(), 150);
    let sweep = |args: &[&str]| {
        let mut all = vec!["sweep", "sweep.toml"];
        all.extend(args);
        ok(&run_in(dir.path(), &all))
    };
    sweep(&["--jobs", "1", "--out", "j1"]);
    sweep(&["--jobs", "2", "--out", "j2"]);
    same_files(&dir.path().join("j1"), &dir.path().join("j2"), &SWEEP_FILES);
    assert!(
        !dir.path().join("j1/series.csv").exists(),
        "keep lists the tables kept"
    );
    let (h, rows) = table(&dir.path().join("j1/states.csv"));
    assert_eq!(rows.len(), 3 * 196, "one row per design point and state");
    assert_eq!(&h[..3], &["point", "param_policy.offer", "iso3"]);
    // China's offer raises membership: more expected members at the larger offer.
    let members = |point: &str| -> f64 {
        rows.iter()
            .filter(|r| r[0] == point)
            .map(|r| r[col(&h, "member_share")].parse::<f64>().unwrap())
            .sum()
    };
    assert!(
        members("2") > members("0"),
        "{} vs {}",
        members("2"),
        members("0")
    );
    for k in 1..=4 {
        sweep(&["--shard", &format!("{k}/4"), "--out", &format!("s{k}")]);
    }
    ok(&run_in(
        dir.path(),
        &["merge", "s1", "s2", "s3", "s4", "--out", "merged"],
    ));
    same_files(
        &dir.path().join("j1"),
        &dir.path().join("merged"),
        &SWEEP_FILES,
    );
    let written = kill_when(
        dir.path(),
        &["sweep", "sweep.toml", "--jobs", "1", "--out", "killed"],
        "killed/runs.csv",
        200,
    );
    assert!(written < 451, "killed mid-way ({written} lines)");
    sweep(&["--jobs", "2", "--resume", "--out", "killed"]);
    same_files(
        &dir.path().join("j1"),
        &dir.path().join("killed"),
        &SWEEP_FILES,
    );
}

#[test]
fn a_sweep_s_state_rows_are_the_ensemble_s_for_the_same_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"
[sweep]
name = "plain"
scenario = "baseline"
replicates = 12
keep = ["states"]
"#;
    std::fs::write(dir.path().join("sweep.toml"), text).unwrap();
    ok(&run_in(
        dir.path(),
        &["sweep", "sweep.toml", "--out", "sweep"],
    ));
    ok(&run_in(
        dir.path(),
        &["run", "--seeds", "1..12", "--out", "ens"],
    ));
    let sweep = std::fs::read_to_string(dir.path().join("sweep/states.csv")).unwrap();
    let ens = std::fs::read_to_string(dir.path().join("ens/states.csv")).unwrap();
    let without_point: Vec<&str> = sweep
        .lines()
        .map(|l| l.split_once(',').unwrap().1)
        .collect();
    assert_eq!(without_point, ens.lines().collect::<Vec<_>>());
}

#[test]
fn keep_and_seeds_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    for (keep, message) in [
        (r#"keep = ["statse"]"#, "did you mean `states`"),
        ("keep = [\"series\"]\nseries = true", "remove `series`"),
    ] {
        let text =
            format!("[sweep]\nname = \"k\"\nscenario = \"baseline\"\nreplicates = 2\n{keep}\n");
        std::fs::write(dir.path().join("sweep.toml"), text).unwrap();
        let out = run_in(dir.path(), &["sweep", "sweep.toml"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(message),
            "{keep}: {err}"
        );
    }
    for bad in ["0..x", "9..3"] {
        let out = run_in(dir.path(), &["run", "--seeds", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
    let out = run_in(dir.path(), &["run", "--seed", "3", "--seeds", "1..4"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--seed and --seeds exclude each other"
    );
    assert!(!dir.path().join("output").exists(), "nothing was written");
}

#[test]
fn merge_refuses_shards_whose_state_tables_were_damaged() {
    let dir = tempfile::tempdir().unwrap();
    for k in 1..=2 {
        let shard = format!("{k}/2");
        let out = format!("e{k}");
        ok(&run_in(
            dir.path(),
            &["run", "--seeds", "1..10", "--shard", &shard, "--out", &out],
        ));
    }
    // The tally says it counted one run more than the shard ran.
    let tally = dir.path().join("e2/tally.csv");
    let text = std::fs::read_to_string(&tally).unwrap();
    let edited: Vec<String> = text
        .lines()
        .map(|l| match l.strip_prefix("0,span,") {
            Some(rest) => {
                let (span, runs) = rest.rsplit_once(',').unwrap();
                format!("0,span,{span},{}", runs.parse::<u64>().unwrap() + 1)
            }
            None => l.to_owned(),
        })
        .collect();
    assert_ne!(edited.join("\n") + "\n", text, "the span row was found");
    std::fs::write(&tally, edited.join("\n") + "\n").unwrap();
    let out = run_in(dir.path(), &["merge", "e1", "e2", "--out", "merged"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("shard 2 of 2") && err.contains("tally.csv"),
        "{err}"
    );
    assert!(!dir.path().join("merged").exists(), "nothing was written");

    // A sweep shard that lost the last row of its states.csv.
    states_sweep(dir.path(), 4);
    for k in 1..=2 {
        let shard = format!("{k}/2");
        let out = format!("s{k}");
        ok(&run_in(
            dir.path(),
            &["sweep", "sweep.toml", "--shard", &shard, "--out", &out],
        ));
    }
    let states = dir.path().join("s1/states.csv");
    let text = std::fs::read_to_string(&states).unwrap();
    let kept: Vec<&str> = text.lines().collect();
    std::fs::write(&states, kept[..kept.len() - 1].join("\n") + "\n").unwrap();
    let out = run_in(dir.path(), &["merge", "s1", "s2", "--out", "merged"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("shard 1 (") && err.contains("states.csv"),
        "{err}"
    );
    assert!(!dir.path().join("merged").exists(), "nothing was written");
}

/// Every file under `dir` with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            files.insert(name, std::fs::read(&path).unwrap());
        }
    }
    files
}

#[test]
fn force_never_lets_an_ensemble_and_a_sweep_or_a_run_replace_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&run_in(d, &["run", "--seeds", "1..3", "--out", "ens"]));
    ok(&run_in(d, &["run", "--seed", "1", "--out", "one"]));
    states_sweep(d, 1);
    ok(&run_in(d, &["sweep", "sweep.toml", "--out", "swp"]));
    let before: Vec<_> = ["ens", "one", "swp"]
        .iter()
        .map(|f| contents(&d.join(f)))
        .collect();
    for (args, holds) in [
        (
            vec!["sweep", "sweep.toml", "--force", "--out", "ens"],
            "ensemble folder",
        ),
        (
            vec!["run", "--seeds", "1..3", "--force", "--out", "swp"],
            "sweep folder",
        ),
        (
            vec!["run", "--seeds", "1..3", "--force", "--out", "one"],
            "run folder",
        ),
        (
            vec!["run", "--seeds", "1..3", "--resume", "--out", "swp"],
            "sweep folder",
        ),
        (
            vec!["run", "--seed", "1", "--force", "--out", "ens"],
            "ensemble folder",
        ),
    ] {
        let out = run_in(d, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(holds) && err.contains("--out"),
            "{args:?}: {err}"
        );
    }
    let after: Vec<_> = ["ens", "one", "swp"]
        .iter()
        .map(|f| contents(&d.join(f)))
        .collect();
    assert!(before == after, "no folder was touched");
    // The ensemble's own kind: --force replaces it, and its manifest says what it is.
    ok(&run_in(
        d,
        &["run", "--seeds", "1..3", "--force", "--out", "ens"],
    ));
    let manifest = std::fs::read_to_string(d.join("ens/manifest.json")).unwrap();
    assert!(manifest.contains(r#""kind": "ensemble""#), "{manifest}");
    // Tools that read sweeps say what an ensemble folder is instead.
    for args in [vec!["sensitivity", "ens"], vec!["explain", "ens", "IND"]] {
        let out = run_in(d, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains("ensemble"),
            "{args:?}: {err}"
        );
    }
}
