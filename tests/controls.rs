//! Export controls act in both directions (section 5): tightening tier-2 stringency pushes
//! the states it cuts off towards the body, while a higher chance of US retaliation deters
//! those that still have access. Each comparison runs both scenarios on the same 30 seeds
//! (common random numbers) and requires the mean paired difference in final members to
//! have the expected sign, to exceed 5 states, and to exceed 4 of its standard errors.

use crate::util::baseline_with;
use waico::sim::Runner;
use waico::world::resources::Detail;
use waico::world::spawn::Prepared;

/// Mean and standard error of `after - before` in final members over paired seeds.
fn paired_difference(before: &[&str], after: &[&str]) -> (f64, f64) {
    let (a, b) = (
        Prepared::new(&baseline_with(before)),
        Prepared::new(&baseline_with(after)),
    );
    let mut runner = Runner::new();
    let diffs: Vec<f64> = (0..30)
        .map(|seed| {
            let x = runner.run(&a, seed, Detail::Series).summary().final_members;
            let y = runner.run(&b, seed, Detail::Series).summary().final_members;
            f64::from(y) - f64::from(x)
        })
        .collect();
    let n = diffs.len() as f64;
    let mean = diffs.iter().sum::<f64>() / n;
    let var = diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

#[test]
fn tightening_tier_two_controls_raises_membership() {
    let (mean, se) = paired_difference(
        &["policy.stringency.tier2=0.3"],
        &["policy.stringency.tier2=0.9"],
    );
    assert!(
        mean > 5.0 && mean > 4.0 * se,
        "tightening changed final members by {mean:.1} (se {se:.2})"
    );
}

#[test]
fn raising_retaliation_lowers_membership() {
    let (mean, se) = paired_difference(&["policy.retaliation=0.2"], &["policy.retaliation=0.8"]);
    assert!(
        mean < -5.0 && -mean > 4.0 * se,
        "retaliation changed final members by {mean:.1} (se {se:.2})"
    );
}
