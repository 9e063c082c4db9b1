//! Granovetter's (1978) riot: 100 actors with thresholds 0, 1, ..., 99 all riot; raise
//! the threshold-1 actor to 2 and only the instigator does. Reproduced through a scenario
//! with a custom world file, the global network and a deterministic choice.

use crate::util::{scenario_in, world_row, write_world};
use waico::sim;
use waico::world::resources::Detail;

/// The riot scenario over `thresholds` (actor `k` is `G{k:02}`; the first is the host and
/// starts the riot).
fn riot(thresholds: &[u32]) -> Vec<u32> {
    let dir = tempfile::tempdir().unwrap();
    let rows = thresholds
        .iter()
        .enumerate()
        .map(|(k, t)| world_row(&format!("G{k:02}"), -f64::from(*t), ""));
    write_world(dir.path(), "riot.csv", rows);
    // U_i = beta_peer * peer_i + bias_i = (others rioting) - threshold_i with the global
    // network over 100 actors (weight 1/99 each); join iff U_i > -0.5, i.e. when at least
    // threshold_i others riot. Every weight but beta_peer is 0; reviews are certain.
    let text = r#"
[scenario]
name = "riot"
start = 2025-01-01
end = 2025-06-30
tick = "day"
world = "riot.csv"
trade = "none"
network = "global"

[body]
host = "G00"
opponent = ""
partner_tier = false

[params]
beta_0 = 0.0
beta_size = 0.0
beta_affinity = 0.0
beta_align = 0.0
beta_trade = 0.0
beta_need = 0.0
beta_peer = 99.0
beta_bloc = 0.0
beta_legit = 0.0
beta_founding = 0.0
beta_push = 0.0
beta_deter = 0.0
beta_pressure = 0.0
beta_democracy = 0.0
review_rate = 1000000.0
tau = 0.0
inertia = 0.0
cut_partner = -0.5
cut_member = -0.5

[strategies]
retaliation = false
[strategies.courtship]
enabled = false
"#;
    let s = scenario_in(dir.path(), text);
    let run = sim::run(&s, 7, Detail::Series);
    run.ticks.iter().map(|t| t.members).collect()
}

#[test]
fn thresholds_zero_to_ninety_nine_cascade_to_all_one_hundred() {
    let thresholds: Vec<u32> = (0..100).collect();
    let curve = riot(&thresholds);
    assert_eq!(curve[0], 1, "only the instigator at the start");
    for (t, &m) in curve.iter().enumerate().take(100) {
        assert_eq!(m, t as u32 + 1, "one more rioter each day, day {t}");
    }
    assert_eq!(*curve.last().unwrap(), 100, "everyone riots");
}

#[test]
fn raising_the_threshold_one_actor_to_two_stops_the_riot_at_one() {
    let mut thresholds: Vec<u32> = (0..100).collect();
    thresholds[1] = 2;
    let curve = riot(&thresholds);
    assert!(
        curve.iter().all(|&m| m == 1),
        "the riot never spreads: {curve:?}"
    );
}
