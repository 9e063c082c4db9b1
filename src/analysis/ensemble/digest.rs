//! What one run leaves for an ensemble's tally: members, partners and member GDP share
//! per tick, and per state its final status, its first ticks as a member and as partner
//! or member, whether it was in at each 31 December, whether it was moved a tier down and
//! whether it received a deal from each power, and the reasons that bar it at the end.
//! Computed in the worker that ran the run, from a run recorded without per-state rows
//! (statuses and eligibility are replayed from the events).

use crate::model::Status;
use crate::sim::output::{Cell, RunOutput};
use crate::time::{Calendar, Date};
use crate::world::eligibility::Bars;
use crate::world::spawn::Prepared;

/// One state's outcomes in one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateOutcome {
    /// Status at the last tick.
    pub last: Status,
    /// First tick as a member, if any (0: from the start).
    pub first_member: Option<u32>,
    /// First tick as a partner or member, if any.
    pub first_in: Option<u32>,
    /// Whether its export tier was moved down (to a higher tier number) at least once.
    pub tier_down: bool,
    /// Whether it received at least one deal from the host.
    pub host_deal: bool,
    /// Whether it received at least one deal from the opposing power.
    pub opponent_deal: bool,
    /// Why it cannot join at the last tick (empty if it can).
    pub bars: Bars,
}

/// What one run leaves for the tally.
#[derive(Clone, Debug, PartialEq)]
pub struct Digest {
    /// Members at each tick.
    pub members: Vec<u32>,
    /// Partners at each tick.
    pub partners: Vec<u32>,
    /// Members' share of world GDP at each tick.
    pub member_gdp_share: Vec<f64>,
    /// Each state's outcomes, by state index.
    pub states: Vec<StateOutcome>,
    /// Whether each state was in (partner or member) at each year end of
    /// [`year_ends`]: `in_at[year * states + state]`.
    pub in_at: Vec<bool>,
}

/// The 31 Decembers a run covers, as (year, tick): for every year, the last tick dated on
/// or before its 31 December, if the run reaches that day (a later tick, or the tick that
/// would follow the last one, lies after it). The status on 31 December is the status at
/// that tick.
pub fn year_ends(calendar: &Calendar) -> Vec<(i32, u32)> {
    let dates = calendar.dates();
    let last = calendar.last_tick();
    let after_last = calendar.unit().advance(calendar.start(), last as i32 + 1);
    let (first_year, last_year) = (calendar.start().ymd().0, calendar.last_date().ymd().0);
    (first_year..=last_year)
        .filter_map(|year| {
            let dec31 = Date::from_ymd(year, 12, 31)?;
            let after = dates.partition_point(|d| *d <= dec31);
            let reached = after < dates.len() || after_last > dec31;
            (after > 0 && reached).then_some((year, after as u32 - 1))
        })
        .collect()
}

/// Why each state cannot join at the end of `run`, a run of `prepared` (empty for a state
/// that can): its reasons at the start, switched by the run's `recognition` events (a
/// run recorded without per-state rows suffices).
pub fn final_bars(prepared: &Prepared, run: &RunOutput) -> Vec<Bars> {
    let mut bars: Vec<Bars> = prepared.bundles.iter().map(|b| b.membership.bars).collect();
    for e in run.events.iter().filter(|e| e.kind == "recognition") {
        if let Some(b) = e.state.and_then(|i| bars.get_mut(i as usize)) {
            let recognises = e.value.is_some_and(|v| v > 0.5);
            *b = b.with(Bars::NO_RECOGNITION, !recognises);
        }
    }
    bars
}

impl Digest {
    /// The digest of `run`, a run of `prepared` (recorded with at least per-tick detail).
    pub fn of(prepared: &Prepared, run: &RunOutput) -> Digest {
        let n = prepared.bundles.len();
        let mut status: Vec<Status> = prepared
            .bundles
            .iter()
            .map(|b| b.membership.status)
            .collect();
        let mut states: Vec<StateOutcome> = final_bars(prepared, run)
            .into_iter()
            .map(|bars| StateOutcome {
                bars,
                ..StateOutcome::default()
            })
            .collect();
        let ends = year_ends(&prepared.calendar);
        let mut in_at = vec![false; ends.len() * n];
        let mut year = 0;
        let mut events = run.events.iter().peekable();
        for (t, _) in run.ticks.iter().enumerate() {
            let t = t as u32;
            let mut changed: Vec<u32> = Vec::new();
            while let Some(e) = events.next_if(|e| e.tick <= t) {
                let Some(i) = e.state else { continue };
                let o = &mut states[i as usize];
                match (e.kind, e.from, e.to) {
                    ("join" | "exit" | "upgrade" | "downgrade", _, Cell::Status(to)) => {
                        status[i as usize] = to;
                        changed.push(i);
                    }
                    ("tier_change", Cell::Tier(from), Cell::Tier(to)) if to > from => {
                        o.tier_down = true;
                    }
                    ("deal", _, Cell::State(p)) if p == prepared.host => o.host_deal = true,
                    ("deal", _, Cell::State(p)) if Some(p) == prepared.opponent => {
                        o.opponent_deal = true;
                    }
                    _ => {}
                }
            }
            let mut note = |i: usize| {
                let (s, o) = (status[i], &mut states[i]);
                if s == Status::Member && o.first_member.is_none() {
                    o.first_member = Some(t);
                }
                if s.is_in() && o.first_in.is_none() {
                    o.first_in = Some(t);
                }
            };
            if t == 0 {
                (0..n).for_each(&mut note);
            } else {
                changed.iter().for_each(|&i| note(i as usize));
            }
            while year < ends.len() && ends[year].1 == t {
                for (k, s) in status.iter().enumerate() {
                    in_at[year * n + k] = s.is_in();
                }
                year += 1;
            }
        }
        for (o, s) in states.iter_mut().zip(&status) {
            o.last = *s;
        }
        Digest {
            members: run.ticks.iter().map(|t| t.members).collect(),
            partners: run.ticks.iter().map(|t| t.partners).collect(),
            member_gdp_share: run.ticks.iter().map(|t| t.member_gdp_share).collect(),
            states,
            in_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::TickUnit;

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn year_ends_are_the_last_ticks_before_each_31_december_the_run_reaches() {
        // Monthly from 2025-07-26 to 2030-12-26: every 31 December, the last one reached
        // because the next tick would be 2031-01-26.
        let cal = Calendar::new(date(2025, 7, 26), date(2030, 12, 31), TickUnit::Month).unwrap();
        let ends = year_ends(&cal);
        let years: Vec<i32> = ends.iter().map(|e| e.0).collect();
        assert_eq!(years, [2025, 2026, 2027, 2028, 2029, 2030]);
        for &(year, t) in &ends {
            assert_eq!(cal.date(t), date(year, 12, 26), "{year}");
        }
        // A run ending in March does not reach 31 December of its last year.
        let cal = Calendar::new(date(2025, 7, 26), date(2027, 3, 31), TickUnit::Month).unwrap();
        let years: Vec<i32> = year_ends(&cal).iter().map(|e| e.0).collect();
        assert_eq!(years, [2025, 2026]);
        // Daily ticks: 31 December is itself a tick.
        let cal = Calendar::new(date(2014, 10, 1), date(2015, 4, 15), TickUnit::Day).unwrap();
        let ends = year_ends(&cal);
        assert_eq!(ends.len(), 1);
        assert_eq!(cal.date(ends[0].1), date(2014, 12, 31));
    }
}
