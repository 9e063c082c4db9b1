//! Retaliate: the US retaliation rule of section 7.

use bevy_ecs::prelude::*;

use crate::sim::output::{Cell, EventRow, Label};
use crate::sim::rng::Purpose;
use crate::world::board::Board;
use crate::world::components::ExportAccess;
use crate::world::resources::{Clock, Levers, Recorder, Settings, StateIndex, TickDraws};

/// Each state of tier 1 or 2 that became a member this tick is moved one tier down (and
/// loses any chip deal) with probability `retaliation`, drawn from its own uniform.
#[allow(clippy::too_many_arguments)]
pub fn retaliate_against_joiners(
    clock: Res<Clock>,
    levers: Res<Levers>,
    draws: Res<TickDraws>,
    index: Res<StateIndex>,
    mut recorder: ResMut<Recorder>,
    mut board: ResMut<Board>,
    mut access: Query<&mut ExportAccess>,
) {
    let mut joiners = std::mem::take(&mut recorder.counts.new_members);
    joiners.sort_unstable();
    for &i in &joiners {
        let Ok(mut a) = access.get_mut(index.entities[i as usize]) else {
            continue;
        };
        if a.tier > 2 {
            continue;
        }
        if draws.draws.one(clock.tick, Purpose::Retaliate, i) < levers.0.retaliation {
            let from = a.tier;
            a.tier += 1;
            a.deal = None;
            board.mark(i);
            recorder.counts.tier_changes += 1;
            recorder.events.push(EventRow {
                tick: clock.tick,
                date: clock.date,
                kind: "tier_change",
                state: Some(i),
                from: Cell::Tier(from),
                to: Cell::Tier(a.tier),
                value: None,
                label: Label::Cause("US retaliation"),
                scheduled: None,
            });
        }
    }
    recorder.counts.new_members = joiners;
}

/// Run condition: the retaliation rule is on and someone became a member this tick.
pub fn someone_joined(settings: Res<Settings>, recorder: Res<Recorder>) -> bool {
    settings.retaliation && !recorder.counts.new_members.is_empty()
}
