//! Deal targeting (section 7). The swing rule's search scores only the states its bounds
//! cannot rule out; debug builds check every round against an exhaustive search that
//! scores every eligible state in full (`court.rs`). These runs drive that check through
//! the cases the bounds treat differently: negative exposure weights (which swap the
//! bounds' sides), one deal or many per round, both powers courting the same tick, and
//! the utility scores kept between rounds going out of date: the terms common to all
//! states moving far between rounds (large legitimacy and founding weights), and
//! retaliation taking tiers and chip deals, events of every kind firing and reverting
//! (which put out of date only the states they touch, or all when a lever moves); and, in
//! a generated world of thousands of states, the ranking kept between rounds as it is
//! mended. They exist only in debug
//! builds, where the check is on.

#![cfg(debug_assertions)]

use crate::util::baseline_with;
use waico::sim::Runner;
use waico::world::resources::Detail;
use waico::world::spawn::Prepared;

#[test]
fn swing_targets_match_an_exhaustive_search() {
    let monthly = [
        "strategies.courtship.every=\"1 month\"",
        "strategies.courtship.once_per_state=false",
        "strategies.counter_offer.enabled=true",
        "strategies.counter_offer.every=\"1 month\"",
        "strategies.counter_offer.target=\"swing\"",
    ];
    let cases: [&[&str]; 7] = [
        &[],
        &["params.beta_legit=6", "params.beta_founding=-2"],
        &[
            "policy.retaliation=1.0",
            "events[10]={ date = 2025-08-01, kind = \"chip_deal\", states = [\"IRN\", \"RUS\", \"CUB\", \"VEN\", \"BLR\", \"PAK\"], stringency = 0.05 }",
        ],
        &["params.beta_peer=-0.6"],
        &["params.beta_bloc=-0.5", "strategies.courtship.deals=1"],
        &[
            "params.beta_peer=-0.4",
            "params.beta_bloc=-0.3",
            "strategies.counter_offer.deals=12",
        ],
        &["strategies.courtship.deals=12", "params.tau=0.1"],
    ];
    let mut runner = Runner::new();
    for case in cases {
        let overrides: Vec<&str> = monthly.iter().chain(case).copied().collect();
        let prepared = Prepared::new(&baseline_with(&overrides));
        for seed in 0..4 {
            let run = runner.run(&prepared, seed, Detail::Series);
            let (mut china, mut us) = (0, 0);
            for e in run.events.iter().filter(|e| e.kind == "deal") {
                match e.label.as_str() {
                    "China courtship" => china += 1,
                    "US counter-offer" => us += 1,
                    other => panic!("a deal labelled {other}"),
                }
            }
            // Both powers sign deals in most of the 65 monthly rounds.
            assert!(
                china > 30 && us > 30,
                "{case:?}, seed {seed}: {china} and {us} deals"
            );
        }
    }
}

/// The same check through events of every kind, fired and reverted while both powers
/// court every month: an event puts out of date the kept scores of the states it touches
/// only, and every state's when it changes a lever.
#[test]
fn swing_targets_match_an_exhaustive_search_through_every_kind_of_event() {
    let swing = [
        "IDN", "BRA", "IND", "TUR", "MEX", "ZAF", "EGY", "ARG", "VNM", "PHL",
    ];
    let list = |states: &[&str]| {
        let quoted: Vec<String> = states.iter().map(|s| format!("\"{s}\"")).collect();
        format!("[{}]", quoted.join(", "))
    };
    let (a, b) = (list(&swing[..5]), list(&swing[5..]));
    let events = [
        format!("date = 2025-10-10, kind = \"shock\", states = {a}, value = 1.5, until = 2026-06-10"),
        format!("date = 2025-11-10, kind = \"summit\", states = {b}, multiplier = 2.0, boost = 1.2, until = 2026-08-10"),
        format!("date = 2026-01-10, kind = \"trade_deal\", partner = \"CHN\", states = {a}, weight = 0.5, share = 0.1, clause = \"accession\", clause_value = 0.8, until = 2026-11-10"),
        format!("date = 2026-02-10, kind = \"trade_deal\", partner = \"USA\", states = {b}, weight = 0.5, share = 0.1, clause = \"no_accession\", clause_value = 0.8, until = 2027-02-10"),
        format!("date = 2026-03-10, kind = \"tier_change\", states = {b}, tier = 3, until = 2026-12-10"),
        format!("date = 2026-04-10, kind = \"chip_deal\", states = {a}, stringency = 0.0, until = 2027-04-10"),
        format!("date = 2026-05-10, kind = \"decide\", states = {}, status = \"outside\", until = 2027-05-10", list(&swing[..3])),
        "date = 2026-06-20, kind = \"recognition\", states = [\"PRY\", \"SWZ\", \"HTI\", \"GTM\"], recognises = true, until = 2028-01-10".to_string(),
        "date = 2026-07-10, kind = \"offer\", value = 0.8, mode = \"add\", until = 2027-07-10".to_string(),
        "date = 2026-09-10, kind = \"export_controls\", tier = 2, stringency = 0.9, until = 2027-09-10".to_string(),
        "date = 2026-10-10, kind = \"pressure\", value = 2.0, until = 2027-10-10".to_string(),
        "date = 2026-12-20, kind = \"retaliation\", value = 0.9, until = 2027-12-10".to_string(),
        "date = 2028-03-10, kind = \"truce\", stringency_scale = 0.2, pressure = 0.0, until = 2028-09-10".to_string(),
    ];
    let mut overrides: Vec<String> = [
        "strategies.courtship.every=\"1 month\"",
        "strategies.courtship.once_per_state=false",
        "strategies.counter_offer.enabled=true",
        "strategies.counter_offer.every=\"1 month\"",
        "strategies.counter_offer.target=\"swing\"",
        "params.review_rate=0.5",
    ]
    .map(String::from)
    .to_vec();
    for (n, event) in events.iter().enumerate() {
        overrides.push(format!("events[{}]={{ {event} }}", 10 + n));
    }
    let overrides: Vec<&str> = overrides.iter().map(String::as_str).collect();
    let prepared = Prepared::new(&baseline_with(&overrides));
    let mut runner = Runner::new();
    for seed in 0..6 {
        let run = runner.run(&prepared, seed, Detail::Series);
        let reverts = run.events.iter().filter(|e| e.kind == "revert").count();
        let deals = run.events.iter().filter(|e| e.kind == "deal").count();
        // Each event above reverts within the run.
        assert!(reverts >= events.len(), "seed {seed}: {reverts} reverts");
        assert!(deals > 60, "seed {seed}: {deals} deals");
    }
}

/// The same check on a generated world of 3,000 states, both powers courting every month
/// with the swing rule: rankings of thousands of states, kept between rounds and mended
/// as statuses change and deals are signed.
#[test]
fn swing_targets_match_an_exhaustive_search_in_a_large_world() {
    use std::sync::Arc;
    use waico::scenario::{ScenarioFile, validate::validate_with_world};
    use waico::world::synthetic::synthetic_world;

    let text = r#"
[scenario]
name = "synthetic"
start = 2025-07-26
end = 2028-12-31
trade = "none"

[body]
host = "S0000000"
opponent = "S0000001"

[strategies.courtship]
every = "1 month"
deals = 5
target = "swing"
once_per_state = false

[strategies.counter_offer]
enabled = true
every = "1 month"
deals = 4
target = "swing"
"#;
    let file: ScenarioFile = toml::from_str(text).expect("valid TOML");
    let scenario = validate_with_world(&file, "synthetic", Arc::new(synthetic_world(3000, 7)))
        .expect("the synthetic scenario validates");
    let prepared = Prepared::new(&scenario);
    let mut runner = Runner::new();
    for seed in 0..2 {
        let run = runner.run(&prepared, seed, Detail::Series);
        let deals = run.events.iter().filter(|e| e.kind == "deal").count();
        // Nine deals in each of the 41 monthly rounds, less the rounds short of takers.
        assert!(deals > 300, "seed {seed}: {deals} deals");
    }
}
