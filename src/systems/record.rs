//! Record: the board takes this tick's changes; the tick's rows of section 9.

use bevy_ecs::prelude::*;

use super::observe::sync;
use crate::sim::output::{NationRow, TickRow};
use crate::world::board::Board;
use crate::world::components::{Decision, ExportAccess, Exposure, Membership, StateId, Utility};
use crate::world::resources::{Detail, Levers, Network, Recorder, Settings, Tick};

/// Brings the board up to date (as [`super::sync_board`] does: some status changes in
/// nearly every tick, so the board is not asked first), then appends the tick's row
/// (counts, shares, levers, members by region, tier and bloc, all read from the board)
/// and, with full detail, one row per state in index order.
#[allow(clippy::too_many_arguments)]
pub fn record_tick(
    tick: Res<Tick>,
    settings: Res<Settings>,
    levers: Res<Levers>,
    network: Res<Network>,
    mut board: ResMut<Board>,
    mut recorder: ResMut<Recorder>,
    states: Query<(
        &StateId,
        &Membership,
        &ExportAccess,
        &Exposure,
        &Utility,
        &Decision,
    )>,
    mut changed: Query<(&Membership, &ExportAccess)>,
) {
    sync(&mut board, &network.0, &mut changed);
    let clock = &tick.clock;
    let (members, partners) = (board.members(), board.partners());
    let counts = &tick.counts;
    let row = TickRow {
        tick: clock.tick,
        date: clock.date,
        members,
        partners,
        outside: board.len() as u32 - members - partners,
        joins: counts.joins,
        exits: counts.exits,
        upgrades: counts.upgrades,
        downgrades: counts.downgrades,
        member_gdp_share: board.member_gdp_share(),
        member_population_share: board.member_population_share(),
        legitimacy: board.legitimacy(),
        offer: levers.0.offer,
        pressure: levers.0.pressure,
        retaliation: levers.0.retaliation,
        tier_changes: counts.tier_changes,
        deals: counts.deals,
        groups: board.groups(),
    };
    recorder.ticks.push(row);

    if recorder.founders.is_none()
        && let Some(deadline) = settings.deadline
        && (clock.date >= deadline || clock.tick == settings.calendar.last_tick())
    {
        recorder.founders = Some(board.member_list());
    }

    if settings.detail == Detail::Full {
        let start = recorder.nations.len();
        for (id, membership, access, exposure, utility, decision) in &states {
            recorder.nations.push(NationRow {
                tick: clock.tick,
                state: id.0,
                status: membership.status,
                bars: membership.bars,
                tier: access.tier,
                reviewed: clock.tick > 0 && decision.reviewed_at == clock.tick,
                peer: exposure.peer,
                bloc: exposure.bloc,
                stringency: exposure.stringency,
                at_risk: exposure.at_risk,
                utility: utility.total,
                p_partner: decision.p_partner,
                p_member: decision.p_member,
                from: decision.from,
                terms: utility.terms,
            });
        }
        recorder.nations[start..].sort_unstable_by_key(|r| r.state);
    }
}
