//! The tick: one system per stage, in one declared order.
//!
//! Every tick runs, in this order ([`TickSystems`]):
//!
//! 1. **Advance**: move the clock one tick; draw this tick's review and choice uniforms.
//! 2. **ApplyEvents**: revert changes whose `until` has come; fire events dated in the
//!    tick's period (same-date events in file order).
//! 3. **Observe**: the board takes every changed status and tier (its exact aggregates:
//!    counts, shares, bloc and peer sums, legitimacy), so all states decide on the same
//!    information. Only events change statuses or tiers before it, so it runs when they
//!    do.
//! 4. **Court**: China's courtship and US counter-offers sign their round of deals.
//! 5. **Review**: each free state reviews its position with probability
//!    `1 - exp(-review_rate * summit multiplier * dt)`; reviewers are listed.
//! 6. **Evaluate**: exposures and utility terms, for reviewers (for all when recording
//!    full detail).
//! 7. **Decide**: ordered-logit probabilities and, for reviewers, the new status.
//! 8. **Apply**: all new statuses at once (synchronous update); joins and exits logged.
//! 9. **Retaliate**: the US moves some new tier-1/2 members one tier down.
//! 10. **Record**: the board takes this tick's changes; the tick's rows.
//!
//! Stages 5 to 8 always run together, on the same states: they are one system
//! ([`choose_statuses`]) that calls each stage's body in turn, which spares three dispatches
//! and their fetches of resources and state rows every tick.
//!
//! Tick 0 runs Observe, Evaluate, Decide and Record only, to record the initial state.
//! Stages that have nothing to do in most ticks (events, deal rounds, retaliation) are
//! skipped by run conditions that read a single resource.
//! Systems never touch files, clocks or environment; every draw comes from
//! [`crate::sim::rng`], and everything that reaches output is taken in state-index order
//! or from the board's order-free integer sums.

mod apply;
mod choose;
mod clock;
mod court;
mod decide;
mod evaluate;
mod events;
mod observe;
mod record;
mod retaliate;
mod review;

use bevy_ecs::prelude::*;
use bevy_ecs::query::{ArchetypeFilter, ContiguousQueryData};
use bevy_ecs::schedule::SingleThreadedExecutor;

pub use choose::choose_statuses;
pub use clock::advance_clock;
pub use court::{court_states, deal_round_due};
pub use decide::decide_membership;
pub use evaluate::{Evaluator, evaluate_utility};
pub use events::{apply_due_events, events_due};
pub use observe::{board_is_dirty, sync_board};
pub use record::record_tick;
pub use retaliate::{retaliate_against_joiners, someone_joined};

/// Every state's components of `query` as slices indexed by state: all states share one
/// table, whose row `i` holds state `i` (the runner keeps them so, see
/// [`crate::sim::Runner`]). A system that visits a few states (the reviewers) indexes the
/// slices instead of looking each entity up. `None` when there are no states.
///
/// Nothing in the engine reads change ticks, so systems take their mutable columns with
/// `bypass_change_detection`: a mutable borrow of a column would otherwise mark every row
/// of it as changed, a pass over all the states each time.
pub(crate) fn rows<'w, 's, D, F>(
    query: &'w mut Query<'_, 's, D, F>,
) -> Option<D::Contiguous<'w, 's>>
where
    D: ContiguousQueryData,
    F: ArchetypeFilter,
{
    let mut chunks = query
        .contiguous_iter_mut()
        .expect("state components live in tables");
    let rows = chunks.next();
    debug_assert!(chunks.next().is_none(), "all states share one table");
    rows
}

/// The stages of a tick, in order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TickSystems {
    /// Clock and draws.
    Advance,
    /// Scheduled events and reversions.
    ApplyEvents,
    /// Snapshot of statuses and aggregates.
    Observe,
    /// Deal strategies.
    Court,
    /// Who reviews.
    Review,
    /// Exposures and utilities.
    Evaluate,
    /// Choices.
    Decide,
    /// Synchronous status update.
    Apply,
    /// US retaliation.
    Retaliate,
    /// Output rows.
    Record,
}

/// A schedule run on one thread. No system defers work (there are no `Commands`), so the
/// end of a run has nothing to apply and skips the step.
fn single_threaded() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.set_apply_final_deferred(false);
    schedule
}

/// The schedule of one tick.
pub fn tick_schedule() -> Schedule {
    use TickSystems::*;
    let mut schedule = single_threaded();
    schedule.configure_sets(
        (
            Advance,
            ApplyEvents,
            Observe,
            Court,
            Review,
            Evaluate,
            Decide,
            Apply,
            Retaliate,
            Record,
        )
            .chain(),
    );
    schedule.add_systems((
        advance_clock.in_set(Advance),
        // One condition for both stages, evaluated once.
        (
            apply_due_events.in_set(ApplyEvents),
            sync_board.in_set(Observe),
        )
            .run_if(events_due),
        court_states.run_if(deal_round_due).in_set(Court),
        // Review, Evaluate, Decide and Apply: one system, the stages in their order.
        choose_statuses.in_set(Review),
        retaliate_against_joiners
            .run_if(someone_joined)
            .in_set(Retaliate),
        record_tick.in_set(Record),
    ));
    schedule
}

/// The schedule that records the initial state (tick 0).
pub fn initial_schedule() -> Schedule {
    use TickSystems::*;
    let mut schedule = single_threaded();
    schedule.configure_sets((Observe, Evaluate, Decide, Record).chain());
    schedule.add_systems((
        sync_board.run_if(board_is_dirty).in_set(Observe),
        evaluate_utility.in_set(Evaluate),
        decide_membership.in_set(Decide),
        record_tick.in_set(Record),
    ));
    schedule
}
