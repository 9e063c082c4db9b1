//! Export controls cut both ways (docs/MODEL.md section 5): tightening the tier a state is
//! in pushes it towards the body (it has less left to lose), while tightening the tier the
//! US would punish it into holds it back (it has more at risk). One run set shows both
//! signs for the states that start in tier 2: the baseline, the baseline with tier-2
//! stringency raised from 0.3 to 0.6, and the baseline with tier-3 stringency lowered from
//! 0.95 to 0.6, all on the same 200 seeds (common random numbers). A higher chance of US
//! retaliation deters too.
//!
//! The statistic is the paired mean difference, over the seeds, in the number of initial
//! tier-2 states that are members at the end; each test requires the expected sign and a
//! mean beyond 3 of its standard errors (a one-sided test at about the 0.1% level, on
//! differences that are close to normal over 200 seeds).

use waico::model::Status;
use waico::sim::Runner;
use waico::world::board::Board;
use waico::world::resources::Detail;
use waico::world::spawn::Prepared;

use crate::util::baseline_with;

/// Seeds of the run set.
const SEEDS: u64 = 200;

/// Per seed, the number of the states that start in tier 2 that are members at the end.
fn tier_two_members(overrides: &[&str]) -> Vec<f64> {
    let prepared = Prepared::new(&baseline_with(overrides));
    let tier_two: Vec<usize> = (0..prepared.len())
        .filter(|&i| prepared.bundles[i].access.tier == 2)
        .collect();
    let mut runner = Runner::new();
    (1..=SEEDS)
        .map(|seed| {
            let mut members = 0;
            runner.run_inspected(&prepared, seed, Detail::Series, |world| {
                let board = world.resource::<Board>();
                members = tier_two
                    .iter()
                    .filter(|&&i| board.status(i) == Status::Member)
                    .count();
            });
            members as f64
        })
        .collect()
}

/// Mean and standard error of `after - before`, seed by seed.
fn paired(before: &[f64], after: &[f64]) -> (f64, f64) {
    let diffs: Vec<f64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
    let n = diffs.len() as f64;
    let mean = diffs.iter().sum::<f64>() / n;
    let var = diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

#[test]
fn export_controls_push_and_deter_in_one_run_set() {
    let baseline = tier_two_members(&[]);
    let own_tightened = tier_two_members(&["policy.stringency.tier2=0.6"]);
    let punishment_loosened = tier_two_members(&["policy.stringency.tier3=0.6"]);
    // Tightening tier 2 (0.3 -> 0.6) raises membership among tier-2 states.
    let (push, se_push) = paired(&baseline, &own_tightened);
    assert!(
        push > 3.0 * se_push,
        "tightening tier 2 changed tier-2 members by {push:.2} (se {se_push:.2})"
    );
    // Tightening tier 3 (0.6 -> 0.95, the baseline) lowers it.
    let (deter, se_deter) = paired(&punishment_loosened, &baseline);
    assert!(
        deter < -3.0 * se_deter,
        "tightening tier 3 changed tier-2 members by {deter:.2} (se {se_deter:.2})"
    );
}

#[test]
fn raising_retaliation_lowers_membership() {
    let (mean, se) = paired(
        &tier_two_members(&["policy.retaliation=0.2"]),
        &tier_two_members(&["policy.retaliation=0.8"]),
    );
    assert!(
        mean < -3.0 * se,
        "retaliation changed tier-2 members by {mean:.2} (se {se:.2})"
    );
}

/// A tier-3 state holding a chip deal has access at risk (its deal) and loses the deal
/// when the US retaliates against its joining; without a deal it risks nothing.
#[test]
fn a_tier_three_deal_holder_risks_its_deal() {
    let s = baseline_with(&[
        "policy.retaliation=1.0",
        "events[10]={ date = 2025-08-01, kind = \"chip_deal\", states = [\"IRN\", \"RUS\"], stringency = 0.05 }",
    ]);
    let irn = s.world.index_of("IRN").unwrap();
    let blr = s.world.index_of("BLR").unwrap();
    let mut withdrawn = 0;
    for seed in 1..=10 {
        let run = crate::util::run_full(&s, seed);
        let rows = |i: u32| run.nations.iter().filter(move |r| r.state == i);
        for r in rows(blr) {
            assert_eq!(
                r.at_risk, 0.0,
                "a tier-3 state without a deal risks nothing"
            );
        }
        let joined = run.events.iter().find(|e| {
            e.state == Some(irn) && e.to == waico::sim::output::Cell::Status(Status::Member)
        });
        for r in rows(irn) {
            let held = r.stringency < 0.5;
            if held {
                assert!(r.at_risk > 0.5, "the deal is at risk: {}", r.at_risk);
            }
        }
        if let Some(join) = joined {
            let lost = run
                .events
                .iter()
                .find(|e| e.kind == "deal_withdrawn" && e.state == Some(irn))
                .expect("retaliation at 1.0 takes the deal");
            assert_eq!(lost.tick, join.tick);
            assert_eq!(lost.value, Some(0.05));
            // The rows of a tick show what the state weighed before the tick's retaliation.
            if let Some(after) = rows(irn).find(|r| r.tick == join.tick + 1) {
                assert!(
                    after.stringency > 0.5 && after.at_risk == 0.0,
                    "the deal is gone"
                );
            }
            withdrawn += 1;
        }
    }
    assert!(
        withdrawn >= 8,
        "Iran became a member in {withdrawn} of 10 seeds"
    );
}
