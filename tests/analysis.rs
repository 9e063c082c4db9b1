//! Analyses: `waico compare` shows exactly no difference between a scenario and itself, a
//! positive one for a larger offer, the same files at any number of jobs, and never
//! overwrites a folder without `--force`; `waico explain` reports a state's changes with
//! the numbers of nations.csv and fails clearly on a misspelt code or a folder that is
//! not a run.

use std::path::Path;

use crate::util::{baseline_with, run_full, waico};
use waico::analysis::compare::{
    self, MEASURE_STATS, MEASURES, check_comparable, difference_columns,
};
use waico::analysis::ensemble;
use waico::analysis::explain::CSV_COLUMNS;
use waico::analysis::shifts::STATE_COLUMNS;
use waico::model::Term;
use waico::scenario::{self, BASELINE};
use waico::sim::Runner;
use waico::world::resources::Detail;
use waico::world::spawn::Prepared;

/// The baseline with a three times larger offer, as a scenario file named `offer-high`.
fn offer_high(dir: &Path) -> String {
    let text = BASELINE
        .replacen("name = \"baseline\"", "name = \"offer-high\"", 1)
        .replacen("\noffer = 1.0\n", "\noffer = 3.0\n", 1);
    assert!(
        text.contains("\noffer = 3.0\n") && text.contains("name = \"offer-high\""),
        "the baseline's [policy] offer and name were found"
    );
    let path = dir.join("offer-high.toml");
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn compare_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["compare"];
    all.extend(args);
    waico().current_dir(dir).args(&all).output().unwrap()
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A CSV file as its header and rows of cells.
fn table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{e}"));
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn comparing_the_baseline_with_itself_shows_no_difference_and_no_shift() {
    let cwd = tempfile::tempdir().unwrap();
    let stdout = ok(&compare_in(
        cwd.path(),
        &["baseline", "baseline", "--seeds", "6"],
    ));
    let dir = cwd.path().join("output/compare/baseline-vs-baseline");
    for name in compare::FILES {
        assert!(dir.join(name).is_file(), "{name} is written");
    }
    let (header, rows) = table(&dir.join("difference.csv"));
    assert_eq!(header, difference_columns());
    let ticks = scenario::load("baseline").unwrap().calendar.dates().len();
    assert_eq!(rows.len(), ticks, "one row per tick");
    let mut checked = 0;
    for row in &rows {
        for m in MEASURES {
            for stat in MEASURE_STATS.iter().filter(|s| s.starts_with("diff_")) {
                let cell = &row[column(&header, &format!("{m}_{stat}"))];
                assert_eq!(cell, "0.000000", "{m}_{stat} at tick {}", row[0]);
                checked += 1;
            }
            assert_eq!(
                row[column(&header, &format!("{m}_mean_a"))],
                row[column(&header, &format!("{m}_mean_b"))],
                "{m} at tick {}",
                row[0]
            );
        }
    }
    assert_eq!(checked, ticks * 3 * 7);
    // The means are those of real runs, not zeros.
    let last = rows.last().unwrap();
    let members: f64 = last[column(&header, "members_mean_a")].parse().unwrap();
    assert!(members > 1.0, "the baseline ends with members: {members}");
    let (state_header, states) = table(&dir.join("states.csv"));
    assert_eq!(state_header, STATE_COLUMNS);
    assert_eq!(states.len(), 196, "every state has a row");
    for row in &states {
        for c in ["member_shift", "in_shift", "differs_share"] {
            assert_eq!(
                row[column(&state_header, c)],
                "0.000000",
                "{c} of {}",
                row[0]
            );
        }
        let (lo, hi): (f64, f64) = (
            row[column(&state_header, "in_shift_lo")].parse().unwrap(),
            row[column(&state_header, "in_shift_hi")].parse().unwrap(),
        );
        assert!(lo <= 0.0 && 0.0 <= hi, "the interval holds 0: {lo} {hi}");
    }
    assert!(
        stdout.contains("no state's final status differs in any seed"),
        "{stdout}"
    );
}

#[test]
fn a_larger_offer_raises_membership_seed_by_seed() {
    let cwd = tempfile::tempdir().unwrap();
    let b = offer_high(cwd.path());
    let stdout = ok(&compare_in(
        cwd.path(),
        &["baseline", &b, "--seeds", "10", "--out", "cmp"],
    ));
    let dir = cwd.path().join("cmp");
    let (header, rows) = table(&dir.join("difference.csv"));
    let last = rows.last().unwrap();
    let get = |name: &str| -> f64 { last[column(&header, name)].parse().unwrap() };
    assert!(
        get("members_diff_mean") > 0.0,
        "a larger offer adds members on average: {}",
        get("members_diff_mean")
    );
    assert!(
        (get("members_mean_b") - get("members_mean_a") - get("members_diff_mean")).abs() < 1e-5,
        "the mean difference is the difference of the means"
    );
    assert!(get("members_diff_q05") <= get("members_diff_q50"));
    assert!(get("members_diff_q50") <= get("members_diff_q95"));

    let (fh, states) = table(&dir.join("states.csv"));
    assert_eq!(states.len(), 196, "every state has a row");
    let get = |r: &Vec<String>, c: &str| -> f64 { r[column(&fh, c)].parse().unwrap() };
    let key: Vec<(i64, String)> = states
        .iter()
        .map(|r| {
            let size = get(r, "member_shift").abs().max(get(r, "in_shift").abs());
            (-(size * 1e6).round() as i64, r[column(&fh, "iso3")].clone())
        })
        .collect();
    let mut sorted = key.clone();
    sorted.sort();
    assert_eq!(
        key, sorted,
        "states are ranked by the size of their shift, then code"
    );
    let (up, down) = (
        states.iter().filter(|r| get(r, "in_shift") > 0.0).count(),
        states.iter().filter(|r| get(r, "in_shift") < 0.0).count(),
    );
    assert!(
        up > 2 * down,
        "a larger offer draws states in: {up} up, {down} down"
    );
    for r in &states {
        for m in ["member", "in"] {
            let (a, b, shift) = (
                get(r, &format!("{m}_share_a")),
                get(r, &format!("{m}_share_b")),
                get(r, &format!("{m}_shift")),
            );
            assert!((b - a - shift).abs() < 2e-6, "{m} shift of {}", r[0]);
            let (lo, hi) = (
                get(r, &format!("{m}_shift_lo")),
                get(r, &format!("{m}_shift_hi")),
            );
            assert!(
                lo <= shift && shift <= hi && -1.0 <= lo && hi <= 1.0,
                "{} {m}: {lo} {shift} {hi}",
                r[0]
            );
        }
        assert!(
            (get(r, "more_in_b_share") + get(r, "less_in_b_share") - get(r, "differs_share")).abs()
                < 1e-5
        );
    }
    assert!(stdout.contains("largest shifts"), "{stdout}");

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["a"]["name"], "baseline");
    assert_eq!(manifest["b"]["name"], "offer-high");
    assert_ne!(manifest["a"]["sha256"], manifest["b"]["sha256"]);
    assert_eq!(manifest["seeds"]["first"], 1);
    assert_eq!(manifest["seeds"]["count"], 10);
    assert_eq!(
        &std::fs::read(dir.join("compare.png")).unwrap()[..8],
        b"\x89PNG\r\n\x1a\n"
    );
    let svg = String::from_utf8(std::fs::read(dir.join("compare.svg")).unwrap()).unwrap();
    assert!(
        svg.contains("offer-high minus baseline"),
        "the chart's title names both"
    );
    assert!(stdout.contains("offer-high vs baseline"), "{stdout}");
}

#[test]
fn compare_files_are_the_same_at_any_number_of_jobs() {
    let cwd = tempfile::tempdir().unwrap();
    let b = offer_high(cwd.path());
    for (jobs, out) in [("1", "one"), ("2", "two")] {
        ok(&compare_in(
            cwd.path(),
            &[
                "baseline",
                &b,
                "--seeds",
                "7",
                "--first-seed",
                "5",
                "--jobs",
                jobs,
                "--out",
                out,
            ],
        ));
    }
    for name in compare::FILES {
        let (x, y) = (
            std::fs::read(cwd.path().join("one").join(name)).unwrap(),
            std::fs::read(cwd.path().join("two").join(name)).unwrap(),
        );
        assert!(x == y, "{name} differs between 1 and 2 jobs");
    }
}

#[test]
fn compare_refuses_an_existing_folder_and_leaves_it_untouched() {
    let cwd = tempfile::tempdir().unwrap();
    let dir = cwd.path().join("taken");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let args = ["baseline", "baseline", "--seeds", "2", "--out", "taken"];
    let refused = compare_in(cwd.path(), &args);
    assert!(!refused.status.success());
    let err = String::from_utf8(refused.stderr).unwrap();
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["notes.txt"], "nothing was added");
    assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"mine");

    // --force never replaces a folder that is not a comparison's: the notes stay.
    let mut forced = args.to_vec();
    forced.push("--force");
    let refused = compare_in(cwd.path(), &forced);
    assert!(!refused.status.success());
    let err = String::from_utf8(refused.stderr).unwrap();
    assert!(
        err.contains("is not a folder written by waico") && err.contains("left untouched"),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"mine");

    // A comparison folder is replaced by --force, silently for the same comparison and
    // with a notice for another.
    std::fs::remove_dir_all(&dir).unwrap();
    ok(&compare_in(cwd.path(), &args));
    assert!(dir.join("difference.csv").is_file());
    let again = compare_in(cwd.path(), &forced);
    ok(&again);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
    let other = [
        "baseline",
        "--set",
        "policy.offer=2",
        "--seeds",
        "2",
        "--out",
        "taken",
        "--force",
    ];
    let replaced = compare_in(cwd.path(), &other);
    ok(&replaced);
    let notice = String::from_utf8(replaced.stderr).unwrap();
    assert!(
        notice.contains("note: replacing taken")
            && notice.contains("`baseline` compared with `baseline`"),
        "{notice}"
    );
    let leftovers: Vec<String> = std::fs::read_dir(cwd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["taken"], "no staging folders remain");
}

#[test]
fn scenarios_with_other_states_or_dates_cannot_be_compared() {
    let base = scenario::load("baseline").unwrap();
    let shorter = baseline_with(&["scenario.end=2029-12-31"]);
    let err = check_comparable(&base, &shorter).unwrap_err().to_string();
    assert!(err.contains("different calendars"), "{err}");
    assert!(err.contains("scenario.end"), "the fix is named: {err}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("two.csv"),
        format!(
            "{}\n{}\n{}\n",
            crate::util::WORLD_HEADER,
            crate::util::world_row("CHN", 0.0, ""),
            crate::util::world_row("USA", 0.0, "")
        ),
    )
    .unwrap();
    let small = crate::util::scenario_in(
        dir.path(),
        "[scenario]\nname = \"two\"\nstart = 2025-07-26\nend = 2030-12-31\nworld = \"two.csv\"\n",
    );
    let err = check_comparable(&base, &small).unwrap_err().to_string();
    assert!(err.contains("different states"), "{err}");
    assert!(
        err.contains("only in baseline: AFG"),
        "the missing states are listed: {err}"
    );
    // Refused before any run: the command fails the same way.
    let out = compare_in(
        dir.path(),
        &["baseline", "baseline", "--seeds", "0", "--out", "x"],
    );
    assert!(!out.status.success(), "zero seeds are refused");
    assert!(!dir.path().join("x").exists());
}

#[test]
fn final_statuses_from_events_match_the_full_rows() {
    let s = baseline_with(&[]);
    let prepared = Prepared::new(&s);
    let mut runner = Runner::new();
    for seed in [1, 2, 3] {
        let series = runner.run(&prepared, seed, Detail::Series);
        let full = run_full(&s, seed);
        let last = full.ticks.len() as u32 - 1;
        let expected: Vec<_> = full
            .nations
            .iter()
            .filter(|r| r.tick == last)
            .map(|r| r.status)
            .collect();
        assert_eq!(
            compare::final_statuses(&prepared, &series),
            expected,
            "seed {seed}"
        );
    }
}

/// A run folder of the baseline, seed 1, in `dir/run`.
fn run_folder(dir: &Path) -> std::path::PathBuf {
    let out = waico()
        .current_dir(dir)
        .args(["run", "--seed", "1", "--out", "run"])
        .output()
        .unwrap();
    ok(&out);
    dir.join("run")
}

fn explain_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["explain"];
    all.extend(args);
    waico().current_dir(dir).args(&all).output().unwrap()
}

#[test]
fn explain_names_the_join_date_and_the_terms_that_moved_a_state() {
    let cwd = tempfile::tempdir().unwrap();
    let run = run_folder(cwd.path());
    // The first state that joins for the first time, by its own decision, after some term
    // of its utility moved (a join at the first ticks can come from the draw alone).
    let (eh, events) = table(&run.join("events.csv"));
    let (nh, nations) = table(&run.join("nations.csv"));
    let rows_of = |code: &str| -> Vec<&Vec<String>> {
        nations
            .iter()
            .filter(|r| r[column(&nh, "iso3")] == code)
            .collect()
    };
    let value = |r: &Vec<String>, c: &str| -> f64 { r[column(&nh, c)].parse().unwrap() };
    let join = events
        .iter()
        .filter(|e| e[column(&eh, "kind")] == "join" && e[column(&eh, "label")] == "decision")
        .find(|e| {
            let rows = rows_of(&e[column(&eh, "iso3")]);
            let tick: usize = e[column(&eh, "tick")].parse().unwrap();
            let first = rows[..tick]
                .iter()
                .all(|r| r[column(&nh, "status")] == "outside");
            first
                && Term::ALL.iter().any(|t| {
                    (value(rows[tick], t.column()) - value(rows[0], t.column())).abs() >= 0.005
                })
        })
        .expect("some state joins in the baseline after its utility moved");
    let code = join[column(&eh, "iso3")].clone();
    let tick: usize = join[column(&eh, "tick")].parse().unwrap();
    let date = join[column(&eh, "date")].clone();

    let text = ok(&explain_in(cwd.path(), &["run", &code.to_lowercase()]));
    assert!(text.contains(&code), "{text}");
    assert!(
        text.contains(&format!("{date} joined as a")),
        "the join date is given:\n{text}"
    );
    assert!(text.contains("cut"), "U is set against the cut points");
    assert!(text.contains("draw"), "the choice is called a draw");

    // The state's rows of nations.csv: the join tick and its reference (the start: a
    // join is its first change of status).
    let rows = rows_of(&code);
    assert_eq!(rows[tick][column(&nh, "status")], join[column(&eh, "to")]);
    assert!(
        rows[..tick]
            .iter()
            .all(|r| r[column(&nh, "status")] == "outside"),
        "a join is the first change"
    );

    let csv = ok(&explain_in(cwd.path(), &["run", &code, "--csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, CSV_COLUMNS);
    let group: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .filter(|r: &Vec<String>| r[1] == tick.to_string())
        .collect();
    assert_eq!(group.len(), Term::ALL.len(), "one row per term");
    let mut moved = 0;
    let mut last_size = f64::INFINITY;
    for r in &group {
        let term = &r[column(&header, "column")];
        let (before, after, change): (f64, f64, f64) = (
            r[column(&header, "before")].parse().unwrap(),
            r[column(&header, "after")].parse().unwrap(),
            r[column(&header, "change")].parse().unwrap(),
        );
        assert_eq!(r[column(&header, "since_tick")], "0");
        assert_eq!(before, value(rows[0], term), "{term} at tick 0");
        assert_eq!(after, value(rows[tick], term), "{term} at tick {tick}");
        let expected = value(rows[tick], term) - value(rows[0], term);
        assert!(
            (change - expected).abs() < 1.5e-6,
            "{term}: {change} vs nations.csv {expected}"
        );
        assert!(change.abs() <= last_size + 1e-12, "ranked by size");
        last_size = change.abs();
        if change.abs() >= 0.005 && moved < 8 {
            moved += 1;
            let name = Term::ALL
                .iter()
                .find(|t| t.column() == term)
                .unwrap()
                .describe();
            assert!(
                text.contains(&format!("{name} {expected:+.2}")),
                "the text gives {name} {expected:+.2}:\n{text}"
            );
        }
    }
    assert!(moved >= 1, "at least one term moved the state:\n{text}");
}

#[test]
fn explain_of_a_state_that_never_moved_says_why_it_stayed() {
    let cwd = tempfile::tempdir().unwrap();
    let run = run_folder(cwd.path());
    let (nh, nations) = table(&run.join("nations.csv"));
    let (c_iso, c_status) = (column(&nh, "iso3"), column(&nh, "status"));
    let mut first: std::collections::BTreeMap<&str, &str> = Default::default();
    let mut moved: std::collections::BTreeSet<&str> = Default::default();
    for r in &nations {
        let (code, status) = (r[c_iso].as_str(), r[c_status].as_str());
        // A state that may not join never moves for another reason (the test below).
        if *first.entry(code).or_insert(status) != status
            || !r[column(&nh, "ineligible")].is_empty()
        {
            moved.insert(code);
        }
    }
    let still = first
        .iter()
        .find(|(c, _)| !moved.contains(*c) && !["CHN", "USA"].contains(*c))
        .map(|(c, s)| (c.to_string(), s.to_string()))
        .expect("some state never moves");
    let text = ok(&explain_in(cwd.path(), &["run", &still.0]));
    assert!(
        text.contains(&format!("stayed {}", still.1)),
        "it stayed {}:\n{text}",
        still.1
    );
    assert!(text.contains("largest terms"), "{text}");
    let host = ok(&explain_in(cwd.path(), &["run", "chn"]));
    assert!(host.contains("is the host"), "{host}");
}

#[test]
fn a_state_that_may_not_join_is_listed_with_its_reason_everywhere() {
    let cwd = tempfile::tempdir().unwrap();
    let run = run_folder(cwd.path());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("manifest.json")).unwrap()).unwrap();
    let listed = manifest["eligibility"]["ineligible"].as_array().unwrap();
    let prk = listed
        .iter()
        .find(|e| e["iso3"] == "PRK")
        .expect("the manifest lists North Korea");
    assert_eq!(prk["reasons"], "barred");
    assert!(
        prk["why"].as_str().unwrap().contains("resolution 2321"),
        "{prk}"
    );
    let (nh, nations) = table(&run.join("nations.csv"));
    let rows: Vec<&Vec<String>> = nations
        .iter()
        .filter(|r| r[column(&nh, "iso3")] == "PRK")
        .collect();
    assert!(rows.len() > 60);
    for r in &rows {
        assert_eq!(r[column(&nh, "ineligible")], "barred");
        assert_eq!(r[column(&nh, "status")], "outside");
        assert_eq!(r[column(&nh, "p_partner")], "0.000000");
    }
    let text = ok(&explain_in(cwd.path(), &["run", "PRK"]));
    assert!(
        text.contains("North Korea) cannot join: the scenario bars it: UN Security Council"),
        "{text}"
    );
    // Every state the manifest lists says why it cannot join; the opponent has its own words.
    for e in listed {
        let code = e["iso3"].as_str().unwrap();
        let text = ok(&explain_in(cwd.path(), &["run", code]));
        let expected = if code == "USA" {
            "opposing power"
        } else {
            "cannot join"
        };
        assert!(text.contains(expected), "{code}:\n{text}");
    }
}

#[test]
fn explain_suggests_the_code_meant_by_a_misspelling() {
    let cwd = tempfile::tempdir().unwrap();
    run_folder(cwd.path());
    let out = explain_in(cwd.path(), &["run", "PKA"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no state `PKA`"), "{err}");
    assert!(
        err.contains("did you mean") && err.contains("`PAK` (Pakistan)"),
        "{err}"
    );
    let by_name = explain_in(cwd.path(), &["run", "pakistan"]);
    let err = String::from_utf8(by_name.stderr).unwrap();
    assert!(err.contains("`PAK`"), "a name leads to its code: {err}");
}

#[test]
fn explain_refuses_a_folder_that_is_not_a_run() {
    let cwd = tempfile::tempdir().unwrap();
    std::fs::create_dir(cwd.path().join("empty")).unwrap();
    let out = explain_in(cwd.path(), &["empty", "PAK"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("is an empty folder, not a run folder") && err.contains("waico run"),
        "{err}"
    );
    assert!(err.contains("waico run"), "the fix is named: {err}");
    let out = explain_in(cwd.path(), &["nowhere", "PAK"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        !out.status.success() && err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn every_analysis_flag_and_column_is_documented() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ANALYSIS.md"))
            .unwrap();
    let words = MEASURES
        .iter()
        .chain(&MEASURE_STATS)
        .chain(&STATE_COLUMNS)
        .chain(&CSV_COLUMNS)
        .chain(&compare::FILES)
        .chain(&ensemble::tables::STATE_COLUMNS)
        .chain(&ensemble::tables::STATE_TAIL_COLUMNS)
        .chain(&[
            "in_share_<YYYY>",
            "timeseries.csv",
            "tally.csv",
            "fan.png",
            "map-member.png",
            "map-in.png",
            "likely.png",
            "map.png",
            "--shard",
            "--resume",
            "--seeds",
            "--first-seed",
            "--out",
            "--force",
            "--jobs",
            "--csv",
            "--scenario",
            "--yes-large",
        ]);
    for word in words {
        assert!(
            text.contains(&format!("`{word}`")),
            "docs/ANALYSIS.md lacks `{word}`"
        );
    }
    for column in ensemble::tables::timeseries_columns() {
        let stat = column.rsplit('_').next().unwrap();
        assert!(
            ["tick", "date", "runs"].contains(&column.as_str())
                || text.contains(&format!("`_{stat}`"))
                || text.contains(&format!("`<measure>_{stat}`")),
            "docs/ANALYSIS.md lacks the timeseries column {column}"
        );
    }
}

#[test]
fn a_state_forced_in_by_a_decide_event_shifts_most() {
    let cwd = tempfile::tempdir().unwrap();
    let text = BASELINE.replacen("name = \"baseline\"", "name = \"japan-joins\"", 1)
        + "\n[[events]]\ndate = 2025-09-01\nkind = \"decide\"\nstate = \"JPN\"\nstatus = \"member\"\nlabel = \"Japan joins\"\n";
    std::fs::write(cwd.path().join("japan.toml"), text).unwrap();
    let stdout = ok(&compare_in(
        cwd.path(),
        &["baseline", "japan.toml", "--seeds", "12", "--out", "cmp"],
    ));
    let (h, states) = table(&cwd.path().join("cmp/states.csv"));
    let first = &states[0];
    assert_eq!(
        first[column(&h, "iso3")],
        "JPN",
        "Japan's shift is the largest"
    );
    assert_eq!(first[column(&h, "member_share_a")], "0.000000");
    assert_eq!(first[column(&h, "member_shift")], "1.000000");
    let lo: f64 = first[column(&h, "member_shift_lo")].parse().unwrap();
    assert!(
        lo > 0.5 && lo < 1.0,
        "12 seeds of 12 leave some doubt: {lo}"
    );
    assert!(
        stdout.lines().any(|l| l.trim_start().starts_with("JPN")),
        "{stdout}"
    );
    for map in ["shift-member.png", "shift-in.svg"] {
        assert!(cwd.path().join("cmp").join(map).is_file(), "{map}");
    }
}
