//! Review: which states reconsider their position this tick.

use crate::model::review_probability;
use crate::sim::rng::upper_threshold;
use crate::world::components::{Membership, Summit};
use crate::world::resources::{Settings, TickDraws};

/// Lists, in index order, the free states that review this tick: each with probability
/// `1 - exp(-review_rate * summit factor * deadline factor * dt)`, using its review uniform.
///
/// Each state's probability is kept as an integer screen on its word
/// ([`crate::world::resources::TickDraws::thresholds`], 0 for states that cannot review),
/// so the whole tick is one pass free of branches: every state is written to the next
/// free slot, which only advances past the states that review. Screens change only with
/// a state's summits, hold or eligibility (events keep them), and with the founding
/// deadline's factor, which moves every tick only while its pull is on: then every screen
/// is worked out again here first.
pub(super) fn draw(
    settings: &Settings,
    d: &mut TickDraws,
    memberships: &[Membership],
    summits: &[Summit],
) {
    if d.rescreen {
        rescreen(settings, d, memberships, summits);
        d.rescreen = false;
    }
    d.reviewers.resize(d.words.len(), 0);
    let mut found = 0;
    for (i, (&w, &threshold)) in d.words.iter().zip(&d.thresholds).enumerate() {
        d.reviewers[found] = i as u32;
        found += usize::from((w >> 32) < threshold);
    }
    d.reviewers.truncate(found);
}

/// Every state's screen at the deadline factor `d.factor`: the states outside any summit
/// share one, worked out once.
fn rescreen(
    settings: &Settings,
    d: &mut TickDraws,
    memberships: &[Membership],
    summits: &[Summit],
) {
    let rate = settings.params.review_rate;
    let shared = upper_threshold(review_probability(rate, d.factor, settings.dt));
    for ((threshold, membership), summit) in d.thresholds.iter_mut().zip(memberships).zip(summits) {
        *threshold = if !membership.can_review() {
            0
        } else if summit.multiplier == 1.0 {
            shared
        } else {
            upper_threshold(review_probability(
                rate,
                summit.multiplier * d.factor,
                settings.dt,
            ))
        };
    }
}
