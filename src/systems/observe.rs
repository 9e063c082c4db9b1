//! Observe: bring the board up to date with every status and tier that changed.

use bevy_ecs::prelude::*;

use super::rows;
use crate::world::board::Board;
use crate::world::components::{ExportAccess, Membership};
use crate::world::network::TradeNetwork;
use crate::world::resources::Network;

/// Copies the status and export tier of every state marked on the board since it last
/// looked; the board updates its exact aggregates (counts, GDP and population shares,
/// bloc and peer sums, legitimacy) and the exposures of the states they feed. Runs after
/// events (so states evaluate on them); the Record stage does the same before recording.
pub fn sync_board(
    mut board: ResMut<Board>,
    network: Res<Network>,
    mut states: Query<(&Membership, &ExportAccess)>,
) {
    sync(&mut board, &network.0, &mut states);
}

/// The body of [`sync_board`], shared with the Record stage.
pub(crate) fn sync(
    board: &mut Board,
    network: &TradeNetwork,
    states: &mut Query<(&Membership, &ExportAccess)>,
) {
    if !board.has_dirty() {
        return;
    }
    let Some((memberships, access)) = rows(states) else {
        return;
    };
    let dirty = board.take_dirty();
    for &i in &dirty {
        let i = i as usize;
        board.set_tier(i, access[i].tier);
        board.set_status(i, memberships[i].status, network);
    }
    board.return_dirty(dirty);
}

/// Run condition: something was marked since the board last looked.
pub fn board_is_dirty(board: Res<Board>) -> bool {
    board.has_dirty()
}
