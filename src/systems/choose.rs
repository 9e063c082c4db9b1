//! Choose: the stages from review to apply (Review, Evaluate, Decide, Apply) as one
//! system.
//!
//! They run in every tick, one after the other, on the same states, so the tick schedule
//! runs them as one system: one dispatch and one fetch of the resources and the state
//! table instead of four. Each stage's body is its own module's ([`super::review`],
//! [`super::evaluate`], [`super::decide`], [`super::apply`]), called in the stages' order,
//! so what a tick computes, and in which order, is unchanged. Without full detail,
//! evaluation and decision share one pass over the reviewers ([`evaluate_and_decide`]).

use bevy_ecs::prelude::*;

use super::evaluate::{Evaluator, Rows};
use super::{apply, decide, evaluate, review, rows};
use crate::world::board::Board;
use crate::world::components::{
    Decision, ExportAccess, Exposure, Membership, Profile, Shock, StateId, Summit, TradeShares,
    Utility,
};
use crate::world::resources::{Detail, Levers, Recorder, Settings, Tick};

/// What the four stages read and write.
type Choosing = (
    &'static StateId,
    &'static mut Membership,
    &'static Summit,
    &'static Profile,
    &'static TradeShares,
    &'static ExportAccess,
    &'static Shock,
    &'static mut Exposure,
    &'static mut Utility,
    &'static mut Decision,
);

/// Lists this tick's reviewers ([`review::draw`]), evaluates them
/// ([`super::evaluate_utility`]), takes their choices ([`super::decide_membership`]) and
/// applies them all at once ([`apply::apply`]).
pub fn choose_statuses(
    mut tick: ResMut<Tick>,
    settings: Res<Settings>,
    levers: Res<Levers>,
    mut board: ResMut<Board>,
    mut recorder: ResMut<Recorder>,
    mut states: Query<Choosing>,
) {
    let tick = &mut *tick;
    let Some((
        ids,
        mut memberships,
        summits,
        profiles,
        shares,
        access,
        shocks,
        mut exposures,
        mut utilities,
        mut decisions,
    )) = rows(&mut states)
    else {
        return;
    };
    let memberships: &mut [Membership] = &mut memberships;
    let utilities: &mut [Utility] = &mut utilities;
    let decisions: &mut [Decision] = &mut decisions;
    review::draw(&settings, &mut tick.draws, memberships, summits);
    let evaluator = Evaluator::new(
        &settings.params,
        &levers.0,
        &board,
        tick.clock.before_deadline,
    );
    let inputs = Rows {
        ids,
        profiles,
        shares,
        access,
        shocks,
        summits,
    };
    if settings.detail == Detail::Full {
        let reviewers = &tick.draws.reviewers;
        let detail = settings.detail;
        evaluate::evaluate(
            &evaluator,
            detail,
            reviewers,
            &inputs,
            &mut exposures,
            utilities,
        );
        decide::decide(tick, &settings, ids, memberships, utilities, decisions);
    } else {
        evaluate_and_decide(
            tick,
            &settings,
            &evaluator,
            &inputs,
            memberships,
            utilities,
            decisions,
        );
    }
    apply::apply(tick, &mut recorder, &mut board, memberships, decisions);
}

/// Evaluation and decision of the reviewers alone (without full detail), in one pass:
/// each reviewer's utility, then its choice, exactly as [`evaluate::evaluate`] and
/// [`decide::decide`] compute them one after the other. Neither reads another state's
/// utility or decision, so one pass gives the same values; it visits each reviewer's rows
/// once instead of twice, which matters once the states outgrow the processor's caches.
/// Nothing in the pass branches on a state, so the reviewers' computations overlap.
fn evaluate_and_decide(
    tick: &Tick,
    settings: &Settings,
    evaluator: &Evaluator<'_>,
    x: &Rows<'_>,
    memberships: &[Membership],
    utilities: &mut [Utility],
    decisions: &mut [Decision],
) {
    let (clock, draws) = (&tick.clock, &tick.draws);
    for &i in &draws.reviewers {
        let i = i as usize;
        debug_assert_eq!(x.ids[i].0 as usize, i);
        let total = evaluator.utility(
            x.ids[i],
            &x.profiles[i],
            &x.shares[i],
            &x.access[i],
            &x.shocks[i],
            &x.summits[i],
        );
        utilities[i].total = total;
        let next = decide::choice(settings, total, memberships[i].status, draws.choice(i));
        let decision = &mut decisions[i];
        decision.reviewed_at = clock.tick;
        decision.next = next;
    }
}
