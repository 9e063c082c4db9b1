//! Review: which states reconsider their position this tick.

use bevy_ecs::prelude::*;

use crate::model::review_probability;
use crate::sim::rng::upper_threshold;
use crate::world::components::{Membership, Summit};
use crate::world::resources::{Settings, Tick};

/// Lists, in index order, the free states that review this tick: each with probability
/// `1 - exp(-review_rate * summit multiplier * dt)`, using its review uniform.
///
/// Most uniforms exceed even the highest probability any state can have this tick (the
/// summits in progress bound it), so a first pass, free of branches, lists the few below
/// it, and only those are looked up.
pub fn draw_reviews(
    settings: Res<Settings>,
    mut tick: ResMut<Tick>,
    states: Query<(&Membership, &Summit)>,
    mut under: Local<Vec<u32>>,
) {
    let rate = settings.params.review_rate;
    let usual = settings.usual_review;
    // The review uniform is the word's upper half times 2^-32, so comparing it with the
    // ceiling is comparing the half with an integer threshold, without converting.
    let threshold = upper_threshold(tick.review_ceiling);
    let d = &mut tick.draws;
    // Every state is written to the next free slot, which only advances past states
    // under the ceiling.
    under.resize(d.words.len(), 0);
    let mut found = 0;
    for (i, &w) in d.words.iter().enumerate() {
        under[found] = i as u32;
        found += usize::from((w >> 32) < threshold);
    }
    d.reviewers.clear();
    for &i in &under[..found] {
        let (i, u) = (i as usize, d.review(i as usize));
        let entity = settings.index.entities[i];
        let Ok((membership, summit)) = states.get(entity) else {
            continue;
        };
        let p = if summit.multiplier == 1.0 {
            usual
        } else {
            review_probability(rate, summit.multiplier, settings.dt)
        };
        if u < p && membership.can_review() {
            d.reviewers.push((i as u32, entity));
        }
    }
}
