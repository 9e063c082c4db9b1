//! Observe: bring the board up to date with every status and tier that changed.

use bevy_ecs::prelude::*;

use crate::model::Status;
use crate::world::board::Board;
use crate::world::components::{ExportAccess, Membership};
use crate::world::network::TradeNetwork;
use crate::world::resources::{Network, Settings};

/// Copies the status and export tier of every state marked on the board since it last
/// looked; the board updates its exact aggregates (counts, GDP and population shares,
/// bloc and peer sums, legitimacy) and the exposures of the states they feed. Runs after
/// events (so states evaluate on them); the Record stage does the same before recording.
pub fn sync_board(
    mut board: ResMut<Board>,
    network: Res<Network>,
    settings: Res<Settings>,
    states: Query<(&Membership, &ExportAccess)>,
) {
    let entities = &settings.index.entities;
    sync(&mut board, &network.0, |i| {
        let (membership, access) = states.get(entities[i]).ok()?;
        Some((membership.status, access.tier))
    });
}

/// The body of [`sync_board`], for any query: `lookup` gives state `i`'s status and tier.
pub(crate) fn sync(
    board: &mut Board,
    network: &TradeNetwork,
    lookup: impl Fn(usize) -> Option<(Status, u8)>,
) {
    if !board.has_dirty() {
        return;
    }
    let dirty = board.take_dirty();
    for &i in &dirty {
        let i = i as usize;
        let Some((status, tier)) = lookup(i) else {
            continue;
        };
        board.set_tier(i, tier);
        board.set_status(i, status, network);
    }
    board.return_dirty(dirty);
}

/// Run condition: something was marked since the board last looked.
pub fn board_is_dirty(board: Res<Board>) -> bool {
    board.has_dirty()
}
