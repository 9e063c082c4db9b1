//! The board's incremental aggregates always equal a recount from scratch: after the
//! initial state and after every tick, across events of every kind, deals, decisions and
//! retaliation.

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
