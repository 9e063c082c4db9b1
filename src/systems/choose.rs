//! Choose: the stages from review to apply (Review, Evaluate, Decide, Apply) as one
//! system.
//!
//! They run in every tick, one after the other, on the same states, so the tick schedule
//! runs them as one system: one dispatch and one fetch of the resources and the state
//! table instead of four. Each stage's body is its own module's ([`super::review`],
//! [`super::evaluate`], [`super::decide`], [`super::apply`]), called in the stages' order,
//! so what a tick computes, and in which order, is unchanged. Without full detail,
//! evaluation, decision and application share one pass over the reviewers
//! ([`evaluate_decide_apply`]), which keeps neither utilities nor decisions: nothing
//! reads them without full detail.

use bevy_ecs::prelude::*;

use super::evaluate::{Evaluator, Rows};
use super::{apply, decide, evaluate, review, rows};
use crate::sim::output::Label;
use crate::world::board::Board;
use crate::world::components::{
    Decision, ExportAccess, Exposure, Membership, Profile, Shock, StateId, Summit, TradeShares,
    Utility, UtilityCoefficients,
};
use crate::world::resources::{Detail, Levers, Recorder, Settings, Tick};

/// What the four stages read and write.
type Choosing = (
    &'static StateId,
    &'static mut Membership,
    &'static Summit,
    &'static Profile,
    &'static UtilityCoefficients,
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
    mut changed: Local<Vec<u32>>,
) {
    let tick = &mut *tick;
    let Some((
        ids,
        mut memberships,
        summits,
        profiles,
        coefficients,
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
    let memberships = memberships.bypass_change_detection();
    let exposures = exposures.bypass_change_detection();
    let utilities = utilities.bypass_change_detection();
    let decisions = decisions.bypass_change_detection();
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
        coefficients,
        shares,
        access,
        shocks,
        summits,
    };
    if settings.detail == Detail::Full {
        let reviewers = &tick.draws.reviewers;
        let detail = settings.detail;
        evaluate::evaluate(&evaluator, detail, reviewers, &inputs, exposures, utilities);
        decide::decide(tick, &settings, ids, memberships, utilities, decisions);
        apply::apply(tick, &mut recorder, &mut board, memberships, decisions);
    } else {
        changed.clear();
        evaluate_decide_apply(
            tick,
            &settings,
            &evaluator,
            &inputs,
            memberships,
            &mut recorder,
            &mut changed,
        );
        for &i in changed.iter() {
            board.mark(i);
        }
    }
}

/// Evaluation, decision and application for the reviewers alone (without full detail), in
/// one pass: each reviewer's utility, its choice and its new status, exactly as
/// [`evaluate::evaluate`], [`decide::decide`] and [`apply::apply`] compute them one after
/// the other. A choice reads the board and the reviewer's own status only, and the board
/// takes the new statuses only after the stage (the reviewers that changed are listed in
/// `changed`, in index order, for the caller to mark), so one pass gives the same statuses,
/// counts and events, in the same order; it visits each reviewer's rows once instead of
/// three times, which matters once the states outgrow the processor's caches.
fn evaluate_decide_apply(
    tick: &mut Tick,
    settings: &Settings,
    evaluator: &Evaluator<'_>,
    x: &Rows<'_>,
    memberships: &mut [Membership],
    recorder: &mut Recorder,
    changed: &mut Vec<u32>,
) {
    let Tick {
        clock,
        draws,
        counts,
        ..
    } = tick;
    for &i in &draws.reviewers {
        let reviewer = i;
        let i = i as usize;
        debug_assert_eq!(x.ids[i].0 as usize, i);
        let total = evaluator.utility(
            x.ids[i],
            &x.coefficients[i].0,
            &x.shares[i],
            &x.access[i],
            &x.shocks[i],
            &x.summits[i],
        );
        let membership = &mut memberships[i];
        let from = membership.status;
        let next = decide::choice(settings, total, from, draws.choice(i));
        if next != from {
            membership.status = next;
            changed.push(reviewer);
            let cause = Label::Cause("decision");
            apply::record_transition(clock, counts, recorder, reviewer, from, next, cause);
        }
    }
}
