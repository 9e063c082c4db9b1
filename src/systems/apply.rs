//! Apply: every new status takes effect at once, after all states have decided.

use crate::model::Status;
use crate::sim::output::{Cell, EventRow, Label};
use crate::world::board::Board;
use crate::world::components::{Decision, Membership};
use crate::world::resources::{Clock, Recorder, Tick, TickCounts};

/// Applies reviewers' choices (synchronous update: every choice was made on the board as
/// it stood before any of them) in state-index order, counting and logging every join,
/// exit, upgrade and downgrade.
pub(super) fn apply(
    tick: &mut Tick,
    recorder: &mut Recorder,
    board: &mut Board,
    memberships: &mut [Membership],
    decisions: &[Decision],
) {
    let Tick {
        clock,
        draws,
        counts,
        ..
    } = tick;
    for &i in &draws.reviewers {
        let (membership, decision) = (&mut memberships[i as usize], &decisions[i as usize]);
        if decision.next != membership.status {
            let from = membership.status;
            membership.status = decision.next;
            board.mark(i);
            record_transition(
                clock,
                counts,
                recorder,
                i,
                from,
                decision.next,
                Label::Cause("decision"),
            );
        }
    }
}

/// Counts and logs a change of status of state `i`.
pub(crate) fn record_transition(
    clock: &Clock,
    counts: &mut TickCounts,
    recorder: &mut Recorder,
    i: u32,
    from: Status,
    to: Status,
    cause: Label,
) {
    let kind = match (from, to) {
        (Status::Outside, _) => {
            counts.joins += 1;
            "join"
        }
        (_, Status::Outside) => {
            counts.exits += 1;
            "exit"
        }
        (Status::Partner, Status::Member) => {
            counts.upgrades += 1;
            "upgrade"
        }
        _ => {
            counts.downgrades += 1;
            "downgrade"
        }
    };
    if to == Status::Member {
        counts.new_members.push(i);
    }
    recorder.events.push(EventRow {
        tick: clock.tick,
        date: clock.date,
        kind,
        state: Some(i),
        from: Cell::Status(from),
        to: Cell::Status(to),
        value: None,
        label: cause,
        scheduled: None,
    });
}
