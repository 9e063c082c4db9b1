//! ApplyEvents: scheduled events of section 7 fire, and expired ones revert.
//!
//! A change with `until` is undone at the start of the tick containing that date: levels
//! that were *set* go back to their value from just before the event; amounts that were
//! *added* (shocks, summit boosts, deals) are taken back, so overlapping events compose.
//! Reversions due in the same tick run latest-applied first.

use std::sync::Arc;

use bevy_ecs::prelude::*;

use super::apply::record_transition;
use super::court::sign_deal;
use crate::scenario::Action;
use crate::sim::output::{Cell, EventRow, Label};
use crate::time::Date;
use crate::world::board::Board;
use crate::world::components::{ExportAccess, Membership, Shock, Summit, TradeShares};
use crate::world::resources::{
    Clock, Levers, Network, Recorder, Revert, Settings, StateIndex, Tick, TickCounts, Timeline,
    Undo, review_threshold,
};

type Mutable<'a> = (
    &'a mut TradeShares,
    &'a mut ExportAccess,
    &'a mut Shock,
    &'a mut Summit,
    &'a mut Membership,
);

/// Everything an event may change, borrowed for the tick.
struct Effects<'w, 's, 'a> {
    clock: &'a Clock,
    counts: &'a mut TickCounts,
    levers: &'a mut Levers,
    network: &'a mut Network,
    board: &'a mut Board,
    index: &'a StateIndex,
    settings: &'a Settings,
    recorder: &'a mut Recorder,
    thresholds: &'a mut [u64],
    scheduled: Option<Date>,
    states: &'a mut Query<'w, 's, Mutable<'static>>,
}

impl Effects<'_, '_, '_> {
    fn log(
        &mut self,
        kind: &'static str,
        state: Option<u32>,
        from: Cell,
        to: Cell,
        value: Option<f64>,
        label: &Arc<str>,
    ) {
        self.recorder.events.push(EventRow {
            tick: self.clock.tick,
            date: self.clock.date,
            kind,
            state,
            from,
            to,
            value,
            label: Label::Event(label.clone()),
            scheduled: self.scheduled,
        });
    }

    /// Applies `action` and returns how to undo it.
    fn apply(&mut self, action: &Action, label: &Arc<str>) -> Undo {
        let kind = action.kind();
        match action {
            Action::Offer { value, add } => {
                let prev = self.levers.0.offer;
                self.levers.0.offer = if *add {
                    (prev + value).max(0.0)
                } else {
                    *value
                };
                self.log(
                    kind,
                    None,
                    Cell::Empty,
                    Cell::Empty,
                    Some(self.levers.0.offer),
                    label,
                );
                Undo::Offer(prev)
            }
            Action::ExportControls { tier, stringency } => {
                let prev = self.levers.0.stringency.of(*tier);
                self.levers.0.stringency.set(*tier, *stringency);
                self.log(
                    kind,
                    None,
                    Cell::Tier(*tier),
                    Cell::Empty,
                    Some(*stringency),
                    label,
                );
                Undo::Stringency { tier: *tier, prev }
            }
            Action::TierChange { states, tier } => {
                let mut before = Vec::with_capacity(states.len());
                for &i in states {
                    let Ok((_, mut access, ..)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    else {
                        continue;
                    };
                    before.push((i, access.tier, access.deal));
                    let from = access.tier;
                    access.tier = *tier;
                    if from != *tier {
                        self.counts.tier_changes += 1;
                        self.board.mark(i);
                    }
                    self.log(
                        "tier_change",
                        Some(i),
                        Cell::Tier(from),
                        Cell::Tier(*tier),
                        None,
                        label,
                    );
                }
                Undo::Access(before)
            }
            Action::ChipDeal { states, stringency } => {
                let mut before = Vec::with_capacity(states.len());
                for &i in states {
                    let Ok((_, mut access, ..)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    else {
                        continue;
                    };
                    before.push((i, access.tier, access.deal));
                    access.deal = Some(*stringency);
                    self.log(
                        kind,
                        Some(i),
                        Cell::Empty,
                        Cell::Empty,
                        Some(*stringency),
                        label,
                    );
                }
                Undo::Access(before)
            }
            Action::TradeDeal {
                partner,
                states,
                weight,
                share,
                clause,
            } => {
                let mut entries = Vec::with_capacity(states.len());
                for &i in states {
                    let Ok((mut shares, _, mut shock, ..)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    else {
                        continue;
                    };
                    let (a, b, c, u) = sign_deal(
                        &mut self.network.0,
                        self.board,
                        self.settings,
                        &mut shares,
                        i,
                        *partner,
                        *weight,
                        *share,
                    );
                    shock.0 += clause;
                    entries.push((i, a, b, c, u, *clause));
                    self.counts.deals += 1;
                    self.log(
                        kind,
                        Some(i),
                        Cell::Empty,
                        Cell::State(*partner),
                        Some(*share),
                        label,
                    );
                }
                Undo::Trade {
                    partner: *partner,
                    entries,
                }
            }
            Action::Pressure { value } => {
                let prev = self.levers.0.pressure;
                self.levers.0.pressure = *value;
                self.log(kind, None, Cell::Empty, Cell::Empty, Some(*value), label);
                Undo::Pressure(prev)
            }
            Action::Retaliation { value } => {
                let prev = self.levers.0.retaliation;
                self.levers.0.retaliation = *value;
                self.log(kind, None, Cell::Empty, Cell::Empty, Some(*value), label);
                Undo::Retaliation(prev)
            }
            Action::Summit {
                states,
                multiplier,
                boost,
            } => {
                for &i in states {
                    if let Ok((.., mut summit, membership)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    {
                        summit.multiplier *= multiplier;
                        summit.boost += boost;
                        self.thresholds[i as usize] =
                            review_threshold(self.settings, &membership, &summit);
                    }
                    self.log(
                        kind,
                        Some(i),
                        Cell::Empty,
                        Cell::Empty,
                        Some(*multiplier),
                        label,
                    );
                }
                Undo::Summit {
                    states: states.clone(),
                    multiplier: *multiplier,
                    boost: *boost,
                }
            }
            Action::Shock { states, value } => {
                for &i in states {
                    if let Ok((_, _, mut shock, ..)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    {
                        shock.0 += value;
                    }
                    self.log(kind, Some(i), Cell::Empty, Cell::Empty, Some(*value), label);
                }
                Undo::Shock {
                    states: states.clone(),
                    value: *value,
                }
            }
            Action::Decide { states, status } => {
                for &i in states {
                    let Ok((.., mut membership)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    else {
                        continue;
                    };
                    let from = membership.status;
                    membership.status = *status;
                    membership.locked = true;
                    self.thresholds[i as usize] = 0;
                    self.board.mark(i);
                    self.log(
                        kind,
                        Some(i),
                        Cell::Status(from),
                        Cell::Status(*status),
                        None,
                        label,
                    );
                    if from != *status {
                        record_transition(
                            self.clock,
                            self.counts,
                            self.recorder,
                            i,
                            from,
                            *status,
                            Label::Event(label.clone()),
                        );
                    }
                }
                Undo::Unlock(states.clone())
            }
            Action::Truce {
                stringency_scale,
                pressure,
                retaliation,
            } => {
                let before = Undo::Truce {
                    stringency: self.levers.0.stringency,
                    pressure: self.levers.0.pressure,
                    retaliation: self.levers.0.retaliation,
                };
                let p = &mut self.levers.0;
                if let Some(scale) = stringency_scale {
                    for tier in 1..=3 {
                        p.stringency.set(tier, p.stringency.of(tier) * scale);
                    }
                }
                if let Some(v) = pressure {
                    p.pressure = *v;
                }
                if let Some(v) = retaliation {
                    p.retaliation = *v;
                }
                self.log(
                    kind,
                    None,
                    Cell::Empty,
                    Cell::Empty,
                    *stringency_scale,
                    label,
                );
                before
            }
        }
    }

    fn undo(&mut self, undo: &Undo, label: &Arc<str>) {
        match undo {
            Undo::Offer(prev) => self.levers.0.offer = *prev,
            Undo::Stringency { tier, prev } => self.levers.0.stringency.set(*tier, *prev),
            Undo::Access(before) => {
                for &(i, tier, deal) in before {
                    if let Ok((_, mut access, ..)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    {
                        if access.tier != tier {
                            self.counts.tier_changes += 1;
                            self.board.mark(i);
                        }
                        *access = ExportAccess { tier, deal };
                    }
                }
            }
            Undo::Trade { partner, entries } => {
                for &(i, raw_ij, raw_ji, d_china, d_us, clause) in entries {
                    let (iu, pu) = (i as usize, *partner as usize);
                    let back = self.network.0.add_raw(iu, pu, -raw_ij);
                    self.board.weight_changed(iu, pu, back);
                    let back = self.network.0.add_raw(pu, iu, -raw_ji);
                    self.board.weight_changed(pu, iu, back);
                    if let Ok((mut shares, _, mut shock, ..)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    {
                        shares.china -= d_china;
                        shares.us -= d_us;
                        shock.0 -= clause;
                    }
                }
            }
            Undo::Pressure(prev) => self.levers.0.pressure = *prev,
            Undo::Retaliation(prev) => self.levers.0.retaliation = *prev,
            Undo::Summit {
                states,
                multiplier,
                boost,
            } => {
                for &i in states {
                    if let Ok((.., mut summit, membership)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    {
                        summit.multiplier /= multiplier;
                        summit.boost -= boost;
                        self.thresholds[i as usize] =
                            review_threshold(self.settings, &membership, &summit);
                    }
                }
            }
            Undo::Shock { states, value } => {
                for &i in states {
                    if let Ok((_, _, mut shock, ..)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    {
                        shock.0 -= value;
                    }
                }
            }
            Undo::Unlock(states) => {
                for &i in states {
                    if let Ok((.., summit, mut membership)) =
                        self.states.get_mut(self.index.entities[i as usize])
                    {
                        membership.locked = false;
                        self.thresholds[i as usize] =
                            review_threshold(self.settings, &membership, &summit);
                    }
                }
            }
            Undo::Truce {
                stringency,
                pressure,
                retaliation,
            } => {
                let p = &mut self.levers.0;
                p.stringency = *stringency;
                p.pressure = *pressure;
                p.retaliation = *retaliation;
            }
        }
        self.log("revert", None, Cell::Empty, Cell::Empty, None, label);
    }
}

/// Reverts the changes whose `until` falls in this tick, then fires the events dated in
/// the tick's period, logging each; then brings the tick's agenda (the next tick with
/// something due) up to date. Changes to summit factors and locks update the states'
/// review screens.
#[allow(clippy::too_many_arguments)]
pub fn apply_due_events(
    mut tick: ResMut<Tick>,
    settings: Res<Settings>,
    mut timeline: ResMut<Timeline>,
    mut levers: ResMut<Levers>,
    mut network: ResMut<Network>,
    mut board: ResMut<Board>,
    mut recorder: ResMut<Recorder>,
    mut states: Query<Mutable<'static>>,
) {
    let timeline = &mut *timeline;
    let Tick {
        clock,
        counts,
        next_event,
        draws,
        ..
    } = &mut *tick;
    let tick = clock.tick;
    let due_reverts = timeline.reverts.iter().any(|r| r.tick <= tick);
    let due_events = timeline
        .events
        .get(timeline.next)
        .is_some_and(|s| s.fire <= tick);
    if !due_reverts && !due_events {
        *next_event = timeline.next_due();
        return;
    }
    let mut effects = Effects {
        clock,
        counts,
        levers: &mut levers,
        network: &mut network,
        board: &mut board,
        index: &settings.index,
        settings: &settings,
        recorder: &mut recorder,
        thresholds: &mut draws.thresholds,
        scheduled: None,
        states: &mut states,
    };
    if due_reverts {
        let (mut now, later): (Vec<Revert>, Vec<Revert>) =
            timeline.reverts.drain(..).partition(|r| r.tick <= tick);
        timeline.reverts = later;
        now.sort_by_key(|r| std::cmp::Reverse(r.seq));
        for r in &now {
            effects.scheduled = r.until;
            effects.undo(&r.undo, &r.label);
        }
    }
    while let Some(scheduled) = timeline.events.get(timeline.next) {
        if scheduled.fire > tick {
            break;
        }
        effects.scheduled = Some(scheduled.event.date);
        let undo = effects.apply(&scheduled.event.action, &scheduled.event.label);
        if let Some(revert) = scheduled.revert {
            timeline.reverts.push(Revert {
                tick: revert,
                seq: timeline.applied,
                label: scheduled.event.label.clone(),
                until: scheduled.event.until,
                undo,
            });
        }
        timeline.applied += 1;
        timeline.next += 1;
    }
    *next_event = timeline.next_due();
}

/// Run condition: an event fires or a change reverts this tick.
pub fn events_due(tick: Res<Tick>) -> bool {
    tick.events_due()
}
