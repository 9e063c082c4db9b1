//! Deal targeting (section 7). The swing rule's search scores only the states its bounds
//! cannot rule out; debug builds check every round against an exhaustive search that
//! scores every eligible state in full (`court.rs`). These runs drive that check through
//! the cases the bounds treat differently: negative exposure weights (which swap the
//! bounds' sides), one deal or many per round, both powers courting the same tick, and
//! the utility scores kept between rounds going out of date: the terms common to all
//! states moving far between rounds (large legitimacy and founding weights), and
//! retaliation taking tiers and chip deals; and, in a generated world of thousands of
//! states, the ranking kept between rounds as it is mended. They exist only in debug
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
