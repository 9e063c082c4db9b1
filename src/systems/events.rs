//! ApplyEvents: scheduled events of section 7 fire, and expired ones revert.
//!
//! A change with `until` is undone at the start of the tick containing that date: levels
//! that were *set* go back to their value from just before the event; amounts that were
//! *added* (shocks, summit boosts, deals) are taken back, so overlapping events compose.
//! Reversions due in the same tick run latest-applied first.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::query::QueryItem;

use super::apply::record_transition;
use super::court::sign_deal;
use crate::model::Status;
use crate::scenario::{Action, Policy, Stringency};
use crate::sim::output::{Cell, EventRow, Label};
use crate::time::Date;
use crate::world::board::Board;
use crate::world::components::{ExportAccess, Membership, Shock, Summit, TradeShares};
use crate::world::eligibility::Bars;
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
    settings: &'a Settings,
    recorder: &'a mut Recorder,
    thresholds: &'a mut [u64],
    factor: f64,
    scheduled: Option<Date>,
    states: Rows<'w, 's, 'a>,
}

/// The states' components that events change, borrowed for the tick.
struct Rows<'w, 's, 'a> {
    query: &'a mut Query<'w, 's, Mutable<'static>>,
    index: &'a StateIndex,
    /// The states whose components were borrowed to change (the swing rule's kept scores
    /// of those go out of date).
    touched: &'a mut Vec<u32>,
}

impl<'s> Rows<'_, 's, '_> {
    /// State `i`'s components, to change (`None` if it has no entity). Every change an
    /// event makes to a state goes through here, which lists the state as touched.
    fn get_mut(&mut self, i: u32) -> Option<QueryItem<'_, 's, Mutable<'static>>> {
        self.touched.push(i);
        self.query.get_mut(self.index.entities[i as usize]).ok()
    }

    /// State `i`'s components, to read.
    fn get(&self, i: u32) -> Option<(&TradeShares, &ExportAccess, &Shock, &Summit, &Membership)> {
        self.query.get(self.index.entities[i as usize]).ok()
    }
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

    /// Applies `action` and returns how to undo it: one method per kind.
    fn apply(&mut self, action: &Action, label: &Arc<str>) -> Undo {
        match action {
            Action::Offer { value, add } => self.offer(*value, *add, label),
            Action::ExportControls { tier, stringency } => {
                self.export_controls(*tier, *stringency, label)
            }
            Action::TierChange { states, tier } => self.tier_change(states, *tier, label),
            Action::ChipDeal { states, stringency } => self.chip_deal(states, *stringency, label),
            Action::TradeDeal {
                partner,
                states,
                weight,
                share,
                clause,
            } => self.trade_deal(*partner, states, *weight, *share, *clause, label),
            Action::Pressure { value } => {
                let prev = std::mem::replace(&mut self.levers.0.pressure, *value);
                self.log_level(action.kind(), *value, label);
                Undo::Pressure(prev)
            }
            Action::Retaliation { value } => {
                let prev = std::mem::replace(&mut self.levers.0.retaliation, *value);
                self.log_level(action.kind(), *value, label);
                Undo::Retaliation(prev)
            }
            Action::Summit {
                states,
                multiplier,
                boost,
            } => self.summit(states, *multiplier, *boost, label),
            Action::Shock { states, value } => self.shock(states, *value, label),
            Action::Decide { states, status } => self.decide(states, *status, label),
            Action::Recognition { states, recognises } => {
                let before = states
                    .iter()
                    .filter_map(|&i| {
                        let was = self.recognises(i)?;
                        self.recognise(i, *recognises, label);
                        Some((i, was))
                    })
                    .collect();
                Undo::Recognition(before)
            }
            Action::Truce {
                stringency_scale,
                pressure,
                retaliation,
            } => self.truce(*stringency_scale, *pressure, *retaliation, label),
        }
    }

    /// Logs an event that sets a level without naming states.
    fn log_level(&mut self, kind: &'static str, value: f64, label: &Arc<str>) {
        self.log(kind, None, Cell::Empty, Cell::Empty, Some(value), label);
    }

    fn offer(&mut self, value: f64, add: bool, label: &Arc<str>) -> Undo {
        let prev = self.levers.0.offer;
        self.levers.0.offer = if add { (prev + value).max(0.0) } else { value };
        self.log_level("offer", self.levers.0.offer, label);
        Undo::Offer(prev)
    }

    fn export_controls(&mut self, tier: u8, stringency: f64, label: &Arc<str>) -> Undo {
        let prev = self.levers.0.stringency.of(tier);
        self.levers.0.stringency.set(tier, stringency);
        let kind = "export_controls";
        self.log(
            kind,
            None,
            Cell::Tier(tier),
            Cell::Empty,
            Some(stringency),
            label,
        );
        Undo::Stringency { tier, prev }
    }

    fn tier_change(&mut self, states: &[u32], tier: u8, label: &Arc<str>) -> Undo {
        let mut before = Vec::with_capacity(states.len());
        for &i in states {
            let Some((_, mut access, ..)) = self.states.get_mut(i) else {
                continue;
            };
            before.push((i, access.tier, access.deal));
            let from = access.tier;
            access.tier = tier;
            if from != tier {
                self.counts.tier_changes += 1;
                self.board.mark(i);
            }
            let (from, to) = (Cell::Tier(from), Cell::Tier(tier));
            self.log("tier_change", Some(i), from, to, None, label);
        }
        Undo::Access(before)
    }

    fn chip_deal(&mut self, states: &[u32], stringency: f64, label: &Arc<str>) -> Undo {
        let mut before = Vec::with_capacity(states.len());
        for &i in states {
            let Some((_, mut access, ..)) = self.states.get_mut(i) else {
                continue;
            };
            before.push((i, access.tier, access.deal));
            access.deal = Some(stringency);
            let value = Some(stringency);
            self.log("chip_deal", Some(i), Cell::Empty, Cell::Empty, value, label);
        }
        Undo::Access(before)
    }

    #[allow(clippy::too_many_arguments)]
    fn trade_deal(
        &mut self,
        partner: u32,
        states: &[u32],
        weight: f64,
        share: f64,
        clause: f64,
        label: &Arc<str>,
    ) -> Undo {
        let mut entries = Vec::with_capacity(states.len());
        for &i in states {
            let Some((mut shares, _, mut shock, ..)) = self.states.get_mut(i) else {
                continue;
            };
            let (a, b, c, u) = sign_deal(
                &mut self.network.0,
                self.board,
                self.settings,
                &mut shares,
                i,
                partner,
                weight,
                share,
            );
            shock.0 += clause;
            entries.push((i, a, b, c, u, clause));
            self.counts.deals += 1;
            let to = Cell::State(partner);
            self.log("trade_deal", Some(i), Cell::Empty, to, Some(share), label);
        }
        Undo::Trade { partner, entries }
    }

    fn summit(&mut self, states: &[u32], multiplier: f64, boost: f64, label: &Arc<str>) -> Undo {
        for &i in states {
            if let Some((.., mut summit, membership)) = self.states.get_mut(i) {
                summit.multiplier *= multiplier;
                summit.boost += boost;
                self.thresholds[i as usize] =
                    review_threshold(self.settings, self.factor, &membership, &summit);
            }
            let value = Some(multiplier);
            self.log("summit", Some(i), Cell::Empty, Cell::Empty, value, label);
        }
        Undo::Summit {
            states: states.to_vec(),
            multiplier,
            boost,
        }
    }

    fn shock(&mut self, states: &[u32], value: f64, label: &Arc<str>) -> Undo {
        for &i in states {
            if let Some((_, _, mut shock, ..)) = self.states.get_mut(i) {
                shock.0 += value;
            }
            self.log(
                "shock",
                Some(i),
                Cell::Empty,
                Cell::Empty,
                Some(value),
                label,
            );
        }
        Undo::Shock {
            states: states.to_vec(),
            value,
        }
    }

    fn decide(&mut self, states: &[u32], status: Status, label: &Arc<str>) -> Undo {
        for &i in states {
            let Some((.., mut membership)) = self.states.get_mut(i) else {
                continue;
            };
            let from = membership.status;
            membership.status = status;
            membership.locked = true;
            self.thresholds[i as usize] = 0;
            self.board.mark(i);
            let (from_cell, to_cell) = (Cell::Status(from), Cell::Status(status));
            self.log("decide", Some(i), from_cell, to_cell, None, label);
            if from != status {
                let cause = Label::Event(label.clone());
                record_transition(
                    self.clock,
                    self.counts,
                    self.recorder,
                    i,
                    from,
                    status,
                    cause,
                );
            }
        }
        Undo::Unlock(states.to_vec())
    }

    /// Whether state `i` recognises the host's government (`None` if it has no entity).
    fn recognises(&mut self, i: u32) -> Option<bool> {
        let (.., membership) = self.states.get(i)?;
        Some(!membership.bars.contains(Bars::NO_RECOGNITION))
    }

    /// Switches state `i`'s recognition of the host: its eligibility and review screen
    /// follow, and a member or partner that stops recognising the host leaves (logged as
    /// an exit with the reason).
    fn recognise(&mut self, i: u32, recognises: bool, label: &Arc<str>) {
        let Some((.., summit, mut membership)) = self.states.get_mut(i) else {
            return;
        };
        let bars = membership.bars.with(Bars::NO_RECOGNITION, !recognises);
        membership.set_bars(bars);
        self.thresholds[i as usize] =
            review_threshold(self.settings, self.factor, &membership, &summit);
        let from = membership.status;
        let leaves = !bars.is_empty() && from.is_in();
        if leaves {
            membership.status = Status::Outside;
            self.board.mark(i);
        }
        let value = Some(f64::from(u8::from(recognises)));
        self.log(
            "recognition",
            Some(i),
            Cell::Empty,
            Cell::Empty,
            value,
            label,
        );
        if leaves {
            let cause = Label::Event(format!("{label}: no longer recognises the host").into());
            let to = Status::Outside;
            record_transition(self.clock, self.counts, self.recorder, i, from, to, cause);
        }
    }

    fn truce(
        &mut self,
        stringency_scale: Option<f64>,
        pressure: Option<f64>,
        retaliation: Option<f64>,
        label: &Arc<str>,
    ) -> Undo {
        let p = &mut self.levers.0;
        let before = Undo::Truce {
            stringency: p.stringency,
            pressure: p.pressure,
            retaliation: p.retaliation,
        };
        if let Some(scale) = stringency_scale {
            for tier in 1..=3 {
                p.stringency.set(tier, p.stringency.of(tier) * scale);
            }
        }
        p.pressure = pressure.unwrap_or(p.pressure);
        p.retaliation = retaliation.unwrap_or(p.retaliation);
        self.log(
            "truce",
            None,
            Cell::Empty,
            Cell::Empty,
            stringency_scale,
            label,
        );
        before
    }

    /// Undoes a change whose `until` has come.
    fn undo(&mut self, undo: &Undo, label: &Arc<str>) {
        match undo {
            Undo::Offer(prev) => self.levers.0.offer = *prev,
            Undo::Stringency { tier, prev } => self.levers.0.stringency.set(*tier, *prev),
            Undo::Access(before) => self.restore_access(before),
            Undo::Trade { partner, entries } => self.take_back_deals(*partner, entries),
            Undo::Pressure(prev) => self.levers.0.pressure = *prev,
            Undo::Retaliation(prev) => self.levers.0.retaliation = *prev,
            Undo::Summit {
                states,
                multiplier,
                boost,
            } => self.end_summit(states, *multiplier, *boost),
            Undo::Shock { states, value } => {
                for &i in states {
                    if let Some((_, _, mut shock, ..)) = self.states.get_mut(i) {
                        shock.0 -= value;
                    }
                }
            }
            Undo::Unlock(states) => self.unlock(states),
            Undo::Recognition(before) => {
                for &(i, recognised) in before {
                    self.recognise(i, recognised, label);
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

    fn restore_access(&mut self, before: &[(u32, u8, Option<f64>)]) {
        for &(i, tier, deal) in before {
            if let Some((_, mut access, ..)) = self.states.get_mut(i) {
                if access.tier != tier {
                    self.counts.tier_changes += 1;
                    self.board.mark(i);
                }
                *access = ExportAccess { tier, deal };
            }
        }
    }

    fn take_back_deals(&mut self, partner: u32, entries: &[(u32, i64, i64, f64, f64, f64)]) {
        for &(i, raw_ij, raw_ji, d_china, d_us, clause) in entries {
            let (iu, pu) = (i as usize, partner as usize);
            let back = self.network.0.add_raw(iu, pu, -raw_ij);
            self.board.weight_changed(iu, pu, back);
            let back = self.network.0.add_raw(pu, iu, -raw_ji);
            self.board.weight_changed(pu, iu, back);
            if let Some((mut shares, _, mut shock, ..)) = self.states.get_mut(i) {
                shares.china -= d_china;
                shares.us -= d_us;
                shock.0 -= clause;
            }
        }
    }

    fn end_summit(&mut self, states: &[u32], multiplier: f64, boost: f64) {
        for &i in states {
            if let Some((.., mut summit, membership)) = self.states.get_mut(i) {
                summit.multiplier /= multiplier;
                summit.boost -= boost;
                self.thresholds[i as usize] =
                    review_threshold(self.settings, self.factor, &membership, &summit);
            }
        }
    }

    fn unlock(&mut self, states: &[u32]) {
        for &i in states {
            if let Some((.., summit, mut membership)) = self.states.get_mut(i) {
                membership.locked = false;
                self.thresholds[i as usize] =
                    review_threshold(self.settings, self.factor, &membership, &summit);
            }
        }
    }
}

/// Reverts the changes whose `until` falls in this tick, then fires the events dated in
/// the tick's period, logging each; then brings the tick's agenda (the next tick with
/// something due) up to date. Changes to summit factors, locks and recognition update
/// the states' review screens. The states whose components changed are listed in the
/// timeline ([`Timeline::touched`]), and a change of a lever counted
/// ([`Timeline::changes`]), for the swing rule's kept scores.
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
    let before = levels(&levers.0);
    let mut effects = Effects {
        clock,
        counts,
        levers: &mut levers,
        network: &mut network,
        board: &mut board,
        settings: &settings,
        recorder: &mut recorder,
        thresholds: &mut draws.thresholds,
        factor: draws.factor,
        scheduled: None,
        states: Rows {
            query: &mut states,
            index: &settings.index,
            touched: &mut timeline.touched,
        },
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
    if levels(&levers.0) != before {
        timeline.changes += 1;
    }
    *next_event = timeline.next_due();
}

/// The levers' levels, bit for bit (a change of a lever moves every state's utility).
/// Every field is named, so a new lever cannot be left out unnoticed.
fn levels(p: &Policy) -> [u64; 6] {
    let Policy {
        offer,
        pressure,
        retaliation,
        stringency: Stringency {
            tier1,
            tier2,
            tier3,
        },
    } = *p;
    [offer, pressure, retaliation, tier1, tier2, tier3].map(f64::to_bits)
}

/// Run condition: an event fires or a change reverts this tick.
pub fn events_due(tick: Res<Tick>) -> bool {
    tick.events_due()
}
