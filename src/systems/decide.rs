//! Decide: the ordered-logit choice of section 6.

use bevy_ecs::prelude::*;

use crate::model::{choice_probabilities, choose, choose_lazily};
use crate::world::components::{Decision, Membership, StateId, Utility};
use crate::world::resources::{Clock, Detail, Settings, TickDraws};

/// Each reviewer computes `P(s >= partner)` and `P(s >= member)` from its utility and takes
/// the status its choice uniform falls in. With full detail, every state's probabilities
/// are computed (and recorded) too.
pub fn decide_membership(
    clock: Res<Clock>,
    settings: Res<Settings>,
    draws: Res<TickDraws>,
    mut states: Query<(&StateId, &Membership, &Utility, &mut Decision)>,
) {
    let decide = |(id, membership, utility, mut decision): (
        &StateId,
        &Membership,
        &Utility,
        Mut<Decision>,
    ),
                  reviews: bool| {
        let (p_partner, p_member) = choice_probabilities(
            &settings.params,
            utility.total,
            membership.status,
            settings.partner_tier,
        );
        decision.p_partner = p_partner;
        decision.p_member = p_member;
        if reviews {
            decision.reviewed_at = clock.tick;
            decision.next = choose(draws.uniforms[id.0 as usize].1, p_partner, p_member);
        } else {
            decision.next = membership.status;
        }
    };
    // Without full detail only the choice matters: skip `P(s >= member)` when the uniform
    // already lies above `P(s >= partner)` (the result is the same, `P(member) <= P(partner)`).
    let choose_only = |(id, membership, utility, mut decision): (
        &StateId,
        &Membership,
        &Utility,
        Mut<Decision>,
    )| {
        let u = draws.uniforms[id.0 as usize].1;
        decision.reviewed_at = clock.tick;
        decision.next = choose_lazily(
            &settings.params,
            utility.total,
            membership.status,
            settings.partner_tier,
            u,
        );
    };
    if settings.detail == Detail::Full {
        for item in &mut states {
            let reviews = draws
                .reviewers
                .binary_search_by_key(&item.0.0, |r| r.0)
                .is_ok();
            decide(item, reviews);
        }
    } else {
        for &(_, entity) in &draws.reviewers {
            if let Ok(item) = states.get_mut(entity) {
                choose_only(item);
            }
        }
    }
}
