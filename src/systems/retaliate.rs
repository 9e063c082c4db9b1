//! Retaliate: the US retaliation rule of section 7.

use bevy_ecs::prelude::*;

use super::rows;
use crate::sim::output::{Cell, EventRow, Label};
use crate::sim::rng::Purpose;
use crate::world::board::Board;
use crate::world::components::ExportAccess;
use crate::world::resources::{Levers, Recorder, Settings, Tick};

/// Each state of tier 1 or 2 that became a member this tick is moved one tier down (and
/// loses any chip deal) with probability `retaliation`, drawn from its own uniform; a
/// tier-3 state holding a chip deal loses the deal with the same probability.
pub fn retaliate_against_joiners(
    mut tick: ResMut<Tick>,
    levers: Res<Levers>,
    mut recorder: ResMut<Recorder>,
    mut board: ResMut<Board>,
    mut states: Query<&mut ExportAccess>,
) {
    let Some(mut access) = rows(&mut states) else {
        return;
    };
    let access = access.bypass_change_detection();
    let tick = &mut *tick;
    let clock = &tick.clock;
    let mut joiners = std::mem::take(&mut tick.counts.new_members);
    joiners.sort_unstable();
    for &i in &joiners {
        let a = &mut access[i as usize];
        // A tier-3 state has nothing more to lose unless it holds a chip deal.
        if a.tier > 2 && a.deal.is_none() {
            continue;
        }
        if tick.draws.draws.one(clock.tick, Purpose::Retaliate, i) >= levers.0.retaliation {
            continue;
        }
        let (from, had) = (a.tier, a.deal.take());
        let row = if from <= 2 {
            a.tier += 1;
            board.mark(i);
            tick.counts.tier_changes += 1;
            ("tier_change", Cell::Tier(from), Cell::Tier(a.tier), None)
        } else {
            ("deal_withdrawn", Cell::Empty, Cell::Empty, had)
        };
        recorder.events.push(EventRow {
            tick: clock.tick,
            date: clock.date,
            kind: row.0,
            state: Some(i),
            from: row.1,
            to: row.2,
            value: row.3,
            label: Label::Cause("US retaliation"),
            scheduled: None,
        });
    }
    tick.counts.new_members = joiners;
}

/// Run condition: the retaliation rule is on and someone became a member this tick.
pub fn someone_joined(settings: Res<Settings>, tick: Res<Tick>) -> bool {
    settings.retaliation && !tick.counts.new_members.is_empty()
}
