//! Who reviews: each free state with probability `1 - exp(-review_rate * factor * dt)` per
//! tick, where `factor` is the product of the summits it attends; states held by a `decide`
//! event never, until the hold ends. The review screens are kept per state and updated by
//! the events, so this checks them through a run: rates before, during and after a summit,
//! and during and after a hold; and the founding deadline's pull, tick by tick.

use crate::util::{run_full, scenario_in, world_row, write_world};
use waico::sim::RunOutput;
use waico::sim::output::{EventRow, Label};

/// States `S00` (the host) to `S59`: `S01`-`S30` attend the summit, `S31`-`S40` are held.
fn scenario() -> waico::scenario::Scenario {
    let dir = tempfile::tempdir().unwrap();
    let rows = (0..60).map(|k| {
        let blocs = match k {
            1..=30 => "SUM",
            31..=40 => "HLD",
            _ => "",
        };
        world_row(&format!("S{k:02}"), 0.0, blocs)
    });
    write_world(dir.path(), "w.csv", rows);
    let text = r#"
[scenario]
name = "reviews"
start = 2025-01-01
end = 2029-12-31
world = "w.csv"
trade = "none"

[body]
host = "S00"
opponent = ""

[params]
review_rate = 1.0

[strategies]
retaliation = false
[strategies.courtship]
enabled = false

[[events]]
date = 2026-01-15
kind = "summit"
bloc = "SUM"
multiplier = 4.0
until = 2027-01-15
label = "Summit"

[[events]]
date = 2027-06-15
kind = "decide"
bloc = "HLD"
status = "outside"
until = 2028-06-15
label = "Hold"
"#;
    scenario_in(dir.path(), text)
}

/// The ticks `[fire, revert)` during which the event labelled `label` is in force.
fn window(run: &RunOutput, label: &str) -> (u32, u32) {
    let labelled = |e: &&EventRow| matches!(&e.label, Label::Event(l) if &**l == label);
    let fire = run.events.iter().filter(labelled).map(|e| e.tick).min();
    let revert = run
        .events
        .iter()
        .filter(labelled)
        .filter(|e| e.kind == "revert")
        .map(|e| e.tick)
        .next();
    (fire.expect("the event fired"), revert.expect("it reverted"))
}

/// Share of (state, tick) pairs with a review, over `runs`, for states in `states` and
/// ticks in `ticks`, with the number of pairs.
fn review_share(
    runs: &[RunOutput],
    states: std::ops::RangeInclusive<u32>,
    ticks: std::ops::Range<u32>,
) -> (f64, f64) {
    let (mut reviewed, mut total) = (0u32, 0u32);
    for run in runs {
        for row in &run.nations {
            if states.contains(&row.state) && ticks.contains(&row.tick) {
                total += 1;
                reviewed += u32::from(row.reviewed);
            }
        }
    }
    (f64::from(reviewed) / f64::from(total), f64::from(total))
}

#[test]
fn review_rates_follow_summits_and_holds() {
    let s = scenario();
    let runs: Vec<RunOutput> = (1..=40).map(|seed| run_full(&s, seed)).collect();
    let (summit_on, summit_off) = window(&runs[0], "Summit");
    let (hold_on, hold_off) = window(&runs[0], "Hold");
    let last = runs[0].ticks.last().unwrap().tick + 1;
    let dt = s.calendar.dt_years();
    let usual = 1.0 - (-dt).exp();
    let boosted = 1.0 - (-4.0 * dt).exp();
    // Each share is a mean of independent Bernoulli draws: allow 5 standard errors.
    let cases = [
        ("attendees before the summit", 1..=30, 1..summit_on, usual),
        (
            "attendees during the summit",
            1..=30,
            summit_on..summit_off,
            boosted,
        ),
        (
            "others during the summit",
            41..=59,
            summit_on..summit_off,
            usual,
        ),
        (
            "attendees after the summit",
            1..=30,
            summit_off..last,
            usual,
        ),
        ("held states before the hold", 31..=40, 1..hold_on, usual),
        ("held states after the hold", 31..=40, hold_off..last, usual),
    ];
    for (what, states, ticks, p) in cases {
        let (share, n) = review_share(&runs, states, ticks);
        let tolerance = 5.0 * (p * (1.0 - p) / n).sqrt();
        assert!(
            (share - p).abs() < tolerance,
            "{what}: {share:.4} reviews per state and tick, expected {p:.4} +- {tolerance:.4}"
        );
    }
    let (held, _) = review_share(&runs, 31..=40, hold_on..hold_off);
    assert_eq!(held, 0.0, "held states never review");
    assert!(
        runs.iter()
            .flat_map(|r| &r.nations)
            .all(|row| row.state != 0 || !row.reviewed),
        "the host never reviews"
    );
}

/// The founding deadline's pull: review rates rise as the deadline nears, as
/// `1 + deadline_pull * exp(-time_left / deadline_horizon)`, and fall back to the usual
/// rate from the deadline on; a summit's factor multiplies it.
#[test]
fn review_rates_follow_the_deadline_pull() {
    let dir = tempfile::tempdir().unwrap();
    let rows = (0..60).map(|k| {
        let blocs = if (1..=30).contains(&k) { "SUM" } else { "" };
        world_row(&format!("S{k:02}"), -5.0, blocs)
    });
    write_world(dir.path(), "w.csv", rows);
    let text = r#"
[scenario]
name = "deadline"
start = 2025-01-01
end = 2027-12-31
world = "w.csv"
trade = "none"

[body]
host = "S00"
opponent = ""
founding_deadline = 2026-10-01

[params]
review_rate = 1.0
deadline_pull = 20.0
deadline_horizon = 0.25

[strategies]
retaliation = false
[strategies.courtship]
enabled = false

[[events]]
date = 2025-06-15
kind = "summit"
bloc = "SUM"
multiplier = 2.0
until = 2027-06-15
label = "Summit"
"#;
    let s = scenario_in(dir.path(), text);
    let runs: Vec<RunOutput> = (1..=40).map(|seed| run_full(&s, seed)).collect();
    let (summit_on, summit_off) = window(&runs[0], "Summit");
    let deadline = waico::time::Date::parse("2026-10-01").unwrap();
    let dt = s.calendar.dt_years();
    let ticks = &runs[0].ticks;
    let mut checked = 0;
    for t in 1..ticks.len() as u32 {
        let start = ticks[t as usize - 1].date;
        let left = f64::from(deadline.days_since(start)) / 365.25;
        let pull = if left > 0.0 {
            1.0 + 20.0 * (-left / 0.25).exp()
        } else {
            1.0
        };
        let summit = if (summit_on..summit_off).contains(&t) {
            2.0
        } else {
            1.0
        };
        for (what, states, factor) in [
            ("attendees", 1..=30, pull * summit),
            ("others", 31..=59, pull),
        ] {
            let p = 1.0 - (-factor * dt).exp();
            let (share, n) = review_share(&runs, states, t..t + 1);
            let tolerance = 5.0 * (p * (1.0 - p) / n).sqrt();
            assert!(
                (share - p).abs() < tolerance,
                "{what} at tick {t} ({left:.2} years left): {share:.4} reviews per state, expected {p:.4} +- {tolerance:.4}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * (ticks.len() - 1));
}
