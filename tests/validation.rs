//! Out-of-sample checks of a scenario: cross-validation over states (`calibrate --folds`)
//! and backtests (`waico backtest`), on small scenarios whose truth is known.

use waico::backtest::{self, Options};
use waico::calibrate::crossval::cross_validate;
use waico::calibrate::trace::{free_states, initial_statuses, members_at};
use waico::calibrate::{Observed, Parameter, Settings};
use waico::scenario;
use waico::sim::Runner;
use waico::sweep::Base;
use waico::world::resources::Detail;
use waico::world::spawn::Prepared;

use crate::util::waico;

/// Two years, monthly, on the default world, with a dated decision to cut.
const SMALL: &str = r#"
[scenario]
name = "small"
start = 2025-01-01
end = 2027-01-01
tick = "month"

[body]
host = "CHN"
opponent = "USA"

[params]
beta_0 = -1.0
review_rate = 2.0

[strategies]
retaliation = false

[strategies.courtship]
enabled = false

[[events]]
date = 2025-03-01
kind = "decide"
label = "France joins"
states = ["FRA"]
status = "member"
"#;

/// Who is a member at the end of `seed`'s run of `s`, as an observed file: the start and
/// the end.
fn one_history(s: &scenario::Scenario, seed: u64) -> String {
    let prepared = Prepared::new(s);
    let run = Runner::new().run(&prepared, seed, Detail::Series);
    let last = run.ticks.len() - 1;
    let at = &members_at(&run, &initial_statuses(&prepared), &[last])[0];
    let joined: Vec<&str> = s
        .world
        .nations
        .iter()
        .zip(at)
        .filter(|(_, m)| **m)
        .map(|(n, _)| n.iso3.as_str())
        .collect();
    format!(
        "date,members,joined\n{},1,CHN\n{},{},{}\n",
        s.calendar.date(0),
        s.calendar.last_date(),
        joined.len(),
        joined.join(";")
    )
}

#[test]
fn cross_validation_predicts_every_free_state_once_and_beats_the_base_rate_on_its_own_truth() {
    // The "history" is one run of the model at known weights; the folds refit beta_0 on
    // two thirds of the states and predict the rest. A model that generated the data must
    // rank its held-out joiners above its non-joiners better than chance, and beat a
    // constant on log loss. Tolerance: AUC >= 0.6 with about 60 joiners among 190 states.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.toml"), SMALL).unwrap();
    let base = Base::load("small.toml", "test", "scenario", Some(dir.path())).unwrap();
    let s = base.scenario(&[]).unwrap();
    let observed = Observed::parse("history.csv", &one_history(&s, 77)).unwrap();
    let parameters = vec![Parameter::parse("params.beta_0=-3:1").unwrap()];
    let settings = Settings {
        seeds: 16,
        points: 6,
        iterations: 8,
        who_weight: 1.0,
        ..Settings::default()
    };
    let cv = cross_validate(&base, &observed, &parameters, &settings, 3, &|_| {}).unwrap();
    // Every state the model decides (not the host, the opponent, a state that may not
    // join, or France, held by its decide event) is predicted exactly once, by the fold
    // that held it out.
    let mut codes: Vec<&str> = cv.predictions.iter().map(|p| p.iso3.as_str()).collect();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n, "each state once");
    for held in ["CHN", "USA", "FRA", "TWN", "HKG"] {
        assert!(!codes.contains(&held), "{held} is not scored");
    }
    let free = free_states(&s, &Prepared::new(&s));
    assert_eq!(n, free.iter().filter(|&&f| f).count());
    assert!(n > 150, "{n} states scored");
    assert_eq!(cv.folds.len(), 3);
    let auc = cv.model.auc.unwrap();
    assert!(auc >= 0.6, "model AUC {auc}");
    assert!(
        cv.model.log_loss < cv.base_rate.log_loss,
        "model {:?}, base rate {:?}",
        cv.model,
        cv.base_rate
    );
    // The base rate of each fold is its training share of joiners, not the held-out one.
    for p in &cv.predictions {
        assert!(p.base_rate > 0.0 && p.base_rate < 1.0);
    }
}

#[test]
fn a_backtest_counterfactual_runs_the_same_seeds_without_the_event() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.toml"), SMALL).unwrap();
    let s = scenario::load(dir.path().join("small.toml").to_str().unwrap()).unwrap();
    let observed = Observed::parse("history.csv", &one_history(&s, 77)).unwrap();
    let options = Options {
        seeds: 30,
        first_seed: 1,
        without: Some("France joins".into()),
        groups: vec!["EU".into()],
    };
    let b = backtest::backtest(&s, &observed, &options).unwrap();
    let without = b.without.as_ref().unwrap();
    let fra = s
        .world
        .nations
        .iter()
        .position(|n| n.iso3 == "FRA")
        .unwrap();
    assert_eq!(b.with.shares[fra], 1.0, "France is held in");
    assert!(
        without.shares[fra] < 1.0,
        "without the event France decides"
    );
    // Before the event's date both arms are the same runs, tick for tick.
    let first = s
        .calendar
        .dates()
        .iter()
        .position(|d| d.to_string() == "2025-03-01")
        .unwrap();
    for (a, c) in b.with.members.iter().zip(&without.members) {
        assert_eq!(a[..first], c[..first]);
    }
    // The event's arm is the scenario itself: the same seeds give the same counts.
    let prepared = Prepared::new(&s);
    let mut runner = Runner::new();
    for (k, counts) in b.with.members.iter().enumerate() {
        let run = runner.run(&prepared, 1 + k as u64, Detail::Series);
        let direct: Vec<u32> = run.ticks.iter().map(|t| t.members).collect();
        assert_eq!(&direct, counts, "seed {}", k + 1);
    }
    // EU joiners counted since the start; France is one of them in every seed.
    let last = b.checkpoints.len() - 1;
    assert!(b.with.group_joiners[last][0].iter().all(|&n| n >= 1.0));
}

#[test]
fn waico_backtest_writes_the_same_files_at_any_thread_count_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.toml"), SMALL).unwrap();
    let s = scenario::load(dir.path().join("small.toml").to_str().unwrap()).unwrap();
    std::fs::write(dir.path().join("history.csv"), one_history(&s, 77)).unwrap();
    let run = |out: &str, jobs: &str| {
        waico()
            .current_dir(dir.path())
            .args([
                "backtest",
                "small.toml",
                "--observed",
                "history.csv",
                "--seeds",
                "12",
                "--without",
                "France joins",
                "--groups",
                "EU,G7+NATO",
                "--jobs",
                jobs,
                "--out",
                out,
            ])
            .assert()
    };
    let printed = run("one", "1").success();
    let stdout = String::from_utf8_lossy(&printed.get_output().stdout).into_owned();
    assert!(stdout.contains("without `France joins`"), "{stdout}");
    run("two", "2").success();
    let files = [
        "checkpoints.csv",
        "groups.csv",
        "states.csv",
        "curve.csv",
        "scores.csv",
        "backtest.png",
        "backtest.svg",
    ];
    for f in files {
        let a = std::fs::read(dir.path().join("one").join(f)).unwrap();
        let b = std::fs::read(dir.path().join("two").join(f)).unwrap();
        assert_eq!(a, b, "{f} differs between 1 and 2 threads");
    }
    assert!(dir.path().join("one/manifest.json").is_file());
    let before = std::fs::read(dir.path().join("one/states.csv")).unwrap();
    let again = run("one", "1").failure();
    let stderr = String::from_utf8_lossy(&again.get_output().stderr).into_owned();
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        std::fs::read(dir.path().join("one/states.csv")).unwrap(),
        before
    );
    // --force replaces a backtest, never a folder of another kind such as a run's.
    waico()
        .current_dir(dir.path())
        .args(["run", "small.toml", "--out", "a-run"])
        .assert()
        .success();
    let timeseries = std::fs::read(dir.path().join("a-run/timeseries.csv")).unwrap();
    // A backtest of small.toml against history.csv, with these arguments besides.
    let backtest = |args: &[&str]| {
        waico()
            .current_dir(dir.path())
            .args(["backtest", "small.toml", "--observed", "history.csv"])
            .args(args)
            .assert()
    };
    let forced = backtest(&["--seeds", "2", "--force", "--out", "a-run"]).failure();
    let stderr = String::from_utf8_lossy(&forced.get_output().stderr).into_owned();
    assert!(stderr.contains("is a run folder"), "{stderr}");
    assert_eq!(
        std::fs::read(dir.path().join("a-run/timeseries.csv")).unwrap(),
        timeseries
    );
    assert!(!dir.path().join("a-run/scores.csv").exists());
    backtest(&["--seeds", "2", "--force", "--out", "one"]).success();

    // A label that no event has names the labels there are, and writes nothing.
    let failed =
        backtest(&["--seeds", "2", "--without", "France join", "--out", "three"]).failure();
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert!(stderr.contains("France joins"), "{stderr}");
    assert!(!dir.path().join("three").exists());
}
