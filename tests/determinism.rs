//! Determinism: the same scenario and seed give byte-identical files, whatever runner,
//! detail level or history came before; different seeds give different paths; a late event
//! leaves every earlier row untouched (common random numbers).

use crate::util::{baseline_with, members, run_full};
use waico::output::run_files;
use waico::scenario;
use waico::sim::{RunOutput, Runner};
use waico::world::resources::Detail;
use waico::world::spawn::Prepared;

fn files(seed: u64) -> Vec<(String, Vec<u8>)> {
    let s = scenario::load("baseline").unwrap();
    run_files(&s, &run_full(&s, seed)).unwrap()
}

#[test]
fn same_seed_gives_identical_files() {
    let (a, b) = (files(3), files(3));
    assert_eq!(a.len(), b.len());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between two runs of seed 3");
    }
    let names: Vec<&str> = a.iter().map(|f| f.0.as_str()).collect();
    for expected in [
        "timeseries.csv",
        "nations.csv",
        "events.csv",
        "manifest.json",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} is written: {names:?}"
        );
    }
}

#[test]
fn different_seeds_give_different_paths() {
    let s = scenario::load("baseline").unwrap();
    let runs: Vec<Vec<u32>> = (0..5).map(|seed| members(&run_full(&s, seed))).collect();
    for i in 0..runs.len() {
        for j in i + 1..runs.len() {
            assert_ne!(
                runs[i], runs[j],
                "seeds {i} and {j} give the same membership curve"
            );
        }
    }
}

fn same_run(a: &RunOutput, b: &RunOutput, what: &str) {
    assert_eq!(a.ticks, b.ticks, "{what}: tick rows differ");
    assert_eq!(a.events, b.events, "{what}: events differ");
    assert_eq!(a.founders, b.founders, "{what}: founders differ");
}

#[test]
fn a_reused_runner_repeats_a_fresh_run_exactly() {
    let base = scenario::load("baseline").unwrap();
    let other = baseline_with(&["params.beta_peer=2.0", "policy.offer=2.0"]);
    let (p_base, p_other) = (Prepared::new(&base), Prepared::new(&other));
    let fresh = Runner::new().run(&p_base, 11, Detail::Full);
    let mut runner = Runner::new();
    for seed in 0..4 {
        runner.run(&p_other, seed, Detail::Series);
        runner.run(&p_base, seed + 100, Detail::Full);
    }
    let reused = runner.run(&p_base, 11, Detail::Full);
    same_run(&fresh, &reused, "reused runner");
    assert_eq!(fresh.nations, reused.nations, "state rows differ");
}

#[test]
fn recording_detail_does_not_change_the_run() {
    let s = scenario::load("baseline").unwrap();
    let p = Prepared::new(&s);
    for seed in [0, 5, 9] {
        let full = Runner::new().run(&p, seed, Detail::Full);
        let series = Runner::new().run(&p, seed, Detail::Series);
        same_run(&full, &series, &format!("seed {seed}"));
        assert!(series.nations.is_empty() && !full.nations.is_empty());
    }
}

#[test]
fn a_late_event_leaves_earlier_rows_identical() {
    // The same seeds on two scenarios that differ only by a shock on 2029-03-01 to three
    // large states: every row dated up to that day is identical, and later rows are not.
    let base = baseline_with(&[]);
    let shock = format!(
        "events[{}]={{ date = 2029-03-01, kind = \"shock\", states = [\"IND\", \"IDN\", \"BRA\"], value = 3.0 }}",
        base.file.events.len()
    );
    let late = baseline_with(&[shock.as_str()]);
    assert_eq!(late.events.len(), base.events.len() + 1);
    let cutoff = waico::time::Date::parse("2029-03-01").unwrap();
    let mut later_differs = false;
    for seed in 0..6 {
        let (a, b) = (run_full(&base, seed), run_full(&late, seed));
        let early = |r: &RunOutput| {
            r.ticks
                .iter()
                .filter(|t| t.date <= cutoff)
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            early(&a),
            early(&b),
            "seed {seed}: rows up to {cutoff} differ"
        );
        let last_early = early(&a).last().unwrap().tick;
        let rows = |r: &RunOutput| {
            r.nations
                .iter()
                .filter(|n| n.tick <= last_early)
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            rows(&a),
            rows(&b),
            "seed {seed}: state rows up to {cutoff} differ"
        );
        later_differs |= a.ticks != b.ticks || a.nations != b.nations;
    }
    assert!(later_differs, "the shock changes something after it fires");
}
