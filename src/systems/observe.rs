//! Observe: bring the board up to date with every status and tier that changed.

use bevy_ecs::prelude::*;

use crate::world::board::Board;
use crate::world::components::{ExportAccess, Membership};
use crate::world::resources::{Network, StateIndex};

/// Copies the status and export tier of every state marked on the board since it last
/// looked; the board updates its exact aggregates (counts, GDP and population shares,
/// bloc and peer sums, legitimacy) and the exposures of the states they feed. Runs before
/// states evaluate (so they see this tick's events) and again before recording.
pub fn sync_board(
    mut board: ResMut<Board>,
    network: Res<Network>,
    index: Res<StateIndex>,
    states: Query<(&Membership, &ExportAccess)>,
) {
    let dirty = board.take_dirty();
    for &i in &dirty {
        let Ok((membership, access)) = states.get(index.entities[i as usize]) else {
            continue;
        };
        let i = i as usize;
        board.set_tier(i, access.tier);
        board.set_status(i, membership.status, &network.0);
    }
    board.return_dirty(dirty);
}

/// Run condition: something was marked since the board last looked.
pub fn board_is_dirty(board: Res<Board>) -> bool {
    board.has_dirty()
}
