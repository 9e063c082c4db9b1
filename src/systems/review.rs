//! Review: which states reconsider their position this tick.

use bevy_ecs::prelude::*;

use crate::world::resources::Tick;

/// Lists, in index order, the free states that review this tick: each with probability
/// `1 - exp(-review_rate * summit factor * dt)`, using its review uniform.
///
/// Each state's probability is kept as an integer screen on its word
/// ([`crate::world::resources::TickDraws::thresholds`], 0 for states that cannot review),
/// so the whole tick is one pass free of branches: every state is written to the next
/// free slot, which only advances past the states that review.
pub fn draw_reviews(mut tick: ResMut<Tick>) {
    let d = &mut tick.draws;
    d.reviewers.resize(d.words.len(), 0);
    let mut found = 0;
    for (i, (&w, &threshold)) in d.words.iter().zip(&d.thresholds).enumerate() {
        d.reviewers[found] = i as u32;
        found += usize::from((w >> 32) < threshold);
    }
    d.reviewers.truncate(found);
}
