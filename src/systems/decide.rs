//! Decide: the ordered-logit choice of section 6.

use bevy_ecs::prelude::*;

use crate::model::{Status, choice_probabilities, choose};
use crate::world::components::{Decision, Membership, StateId, Utility};
use crate::world::resources::{Detail, Settings, Tick};

/// What deciding reads and writes with full detail.
type Decided = (
    &'static StateId,
    &'static Membership,
    &'static Utility,
    &'static mut Decision,
);

/// What a reviewer's choice alone reads and writes (its index comes with it in the
/// reviewer list).
type Chosen = (&'static Membership, &'static Utility, &'static mut Decision);

/// Each reviewer computes `P(s >= partner)` and `P(s >= member)` from its utility and takes
/// the status its choice uniform falls in. With full detail, every state's probabilities
/// are computed (and recorded) too.
pub fn decide_membership(
    tick: Res<Tick>,
    settings: Res<Settings>,
    mut states: ParamSet<(Query<Decided>, Query<Chosen>)>,
) {
    let (clock, draws) = (&tick.clock, &tick.draws);
    if settings.detail == Detail::Full {
        for (id, membership, utility, mut decision) in &mut states.p0() {
            let (p_partner, p_member) = choice_probabilities(
                &settings.params,
                utility.total,
                membership.status,
                settings.partner_tier,
            );
            decision.p_partner = p_partner;
            decision.p_member = p_member;
            decision.from = membership.status;
            let reviews = draws.reviewers.binary_search_by_key(&id.0, |r| r.0).is_ok();
            if reviews {
                decision.reviewed_at = clock.tick;
                decision.next = choose(draws.choice(id.0 as usize), p_partner, p_member);
            } else {
                decision.next = membership.status;
            }
        }
    } else {
        // Without full detail only the choice matters: the status `choose_lazily` picks.
        // Both probabilities are computed, with no branch on either, so the reviewers'
        // computations are independent and the processor overlaps them instead of waiting
        // on each `exp` to learn whether the next is needed. The reviewer list carries
        // each index, so the lookup fetches only what the choice needs.
        let mut reviewers = states.p1();
        for &(i, entity) in &draws.reviewers {
            if let Ok((membership, utility, mut decision)) = reviewers.get_mut(entity) {
                let (p_partner, p_member) = choice_probabilities(
                    &settings.params,
                    utility.total,
                    membership.status,
                    settings.partner_tier,
                );
                let u = draws.choice(i as usize);
                decision.reviewed_at = clock.tick;
                decision.next = Status::from_index(
                    usize::from(u < p_partner) * (1 + usize::from(u < p_member)),
                );
            }
        }
    }
}
