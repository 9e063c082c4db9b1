//! Decide: the ordered-logit choice of section 6.

use bevy_ecs::prelude::*;

use super::rows;
use crate::model::{Status, choose};
use crate::world::components::{Decision, Membership, StateId, Utility};
use crate::world::resources::{Detail, Settings, Tick};

/// What deciding reads and writes.
type Decided = (
    &'static StateId,
    &'static Membership,
    &'static Utility,
    &'static mut Decision,
);

/// Each reviewer computes `P(s >= partner)` and `P(s >= member)` from its utility and takes
/// the status its choice uniform falls in. With full detail, every state's probabilities
/// are computed (and recorded) too.
pub fn decide_membership(tick: Res<Tick>, settings: Res<Settings>, mut states: Query<Decided>) {
    let Some((ids, memberships, utilities, mut decisions)) = rows(&mut states) else {
        return;
    };
    decide(
        &tick,
        &settings,
        ids,
        memberships,
        utilities,
        decisions.bypass_change_detection(),
    );
}

/// The body of [`decide_membership`] on every state's rows (shared with
/// [`super::choose_statuses`]).
pub(super) fn decide(
    tick: &Tick,
    settings: &Settings,
    ids: &[StateId],
    memberships: &[Membership],
    utilities: &[Utility],
    decisions: &mut [Decision],
) {
    let (clock, draws) = (&tick.clock, &tick.draws);
    if settings.detail == Detail::Full {
        for (i, decision) in decisions.iter_mut().enumerate() {
            let status = memberships[i].status;
            // A state barred from joining faces no choice.
            let (p_partner, p_member) = if memberships[i].bars.is_empty() {
                settings.logit.probabilities(utilities[i].total, status)
            } else {
                (0.0, 0.0)
            };
            decision.p_partner = p_partner;
            decision.p_member = p_member;
            decision.from = status;
            let reviews = draws.reviewers.binary_search(&ids[i].0).is_ok();
            if reviews {
                decision.reviewed_at = clock.tick;
                decision.next = choose(draws.choice(i), p_partner, p_member);
            } else {
                decision.next = status;
            }
        }
    } else {
        // Without full detail only the choice matters. Both probabilities come from one
        // exponential, with no branch on either, so the reviewers' computations are
        // independent and the processor overlaps them.
        for &i in &draws.reviewers {
            let i = i as usize;
            debug_assert_eq!(ids[i].0 as usize, i);
            let next = choice(
                settings,
                utilities[i].total,
                memberships[i].status,
                draws.choice(i),
            );
            let decision = &mut decisions[i];
            decision.reviewed_at = clock.tick;
            decision.next = next;
        }
    }
}

/// A reviewer's new status from its utility, its status and its choice uniform `u`: the
/// ordered-logit choice without branches (both probabilities come from one exponential).
#[inline]
pub(super) fn choice(settings: &Settings, total: f64, status: Status, u: f64) -> Status {
    let (p_partner, p_member) = settings.logit.probabilities(total, status);
    Status::from_index(usize::from(u < p_partner) * (1 + usize::from(u < p_member)))
}
