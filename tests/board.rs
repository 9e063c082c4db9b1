//! The board's incremental aggregates always equal a recount from scratch: after the
//! initial state and after every tick, across events of every kind, deals, decisions,
//! recognition switches (and the exits they force) and retaliation. Trade rows keep their
//! exact shares: a micro-state's as finely as a large one's.

use crate::util::baseline_with;
use waico::sim::Runner;
use waico::world::board::Board;
use waico::world::resources::{Detail, Network};
use waico::world::spawn::Prepared;

#[test]
fn incremental_aggregates_equal_a_recount_at_every_tick() {
    let s = baseline_with(&[
        "strategies.counter_offer.enabled=true",
        "policy.retaliation=0.6",
        "events[10]={ date = 2026-02-01, kind = \"trade_deal\", partner = \"IND\", states = [\"BGD\", \"NPL\"], weight = 0.4, until = 2027-01-01 }",
        "events[11]={ date = 2026-03-01, kind = \"decide\", states = [\"GBR\"], status = \"member\", until = 2028-01-01 }",
        "events[12]={ date = 2026-04-01, kind = \"tier_change\", bloc = \"ASEAN\", tier = 3, until = 2027-06-01 }",
        "events[13]={ date = 2027-01-01, kind = \"export_controls\", tier = 2, stringency = 0.8 }",
        "events[14]={ date = 2026-05-01, kind = \"recognition\", states = [\"PRY\", \"SWZ\", \"HTI\"], recognises = true, until = 2029-01-01 }",
        "params.review_rate=4.0",
    ]);
    let prepared = Prepared::new(&s);
    let mut runner = Runner::new();
    let mut checked = 0;
    for seed in 0..5 {
        runner.run_inspected(&prepared, seed, Detail::Series, |world| {
            let board = world.resource::<Board>();
            let network = &world.resource::<Network>().0;
            assert_eq!(
                board,
                &board.recount(network),
                "seed {seed}: the board drifted"
            );
            checked += 1;
        });
    }
    assert_eq!(checked, 5 * (s.calendar.last_tick() as usize + 1));
}

#[test]
fn gravity_rows_keep_exact_shares_even_for_tuvalu() {
    // Gravity alone: Tuvalu's weights, tiny in any unit of trade, are its exact shares of
    // `gdp_i gdp_j / max(distance, 100 km)` over the partners it keeps, within 1e-9.
    let s = baseline_with(&["scenario.trade=\"none\""]);
    let prepared = Prepared::new(&s);
    let nations = &s.world.nations;
    let tuv = nations.iter().position(|n| n.iso3 == "TUV").unwrap();
    let distance = |a: usize, b: usize| -> f64 {
        let (la, lb) = (nations[a].lat.to_radians(), nations[b].lat.to_radians());
        let dlon = (nations[b].lon - nations[a].lon).to_radians();
        let h = ((lb - la) / 2.0).sin().powi(2) + la.cos() * lb.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * 6371.0 * h.sqrt().min(1.0).asin()
    };
    let row = prepared.network.row(tuv);
    assert_eq!(row.len(), 20);
    let gravity: Vec<f64> = row
        .iter()
        .map(|&(j, _)| {
            nations[tuv].gdp_usd_bn * nations[j as usize].gdp_usd_bn
                / distance(tuv, j as usize).max(100.0)
        })
        .collect();
    let total: f64 = gravity.iter().sum();
    let worst = row
        .iter()
        .zip(&gravity)
        .map(|(&(_, w), g)| (w - g / total).abs())
        .fold(0.0, f64::max);
    assert!(
        worst < 1e-9,
        "Tuvalu's weights are off their shares by up to {worst:e}"
    );
}
