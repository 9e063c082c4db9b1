//! Advance: the clock moves one tick and the tick's uniforms are drawn.

use bevy_ecs::prelude::*;

use crate::model::deadline_factor;
use crate::sim::rng::Purpose;
use crate::time::DAYS_PER_YEAR;
use crate::world::resources::{Settings, Tick};

/// Moves the clock to the next tick, draws every state's review and choice uniforms for
/// it, works out the founding deadline's factor on review rates (while its pull is on),
/// notes whether a deal round is due, and clears the tick's counters.
pub fn advance_clock(mut tick: ResMut<Tick>, settings: Res<Settings>) {
    let tick = &mut *tick;
    let clock = &mut tick.clock;
    clock.tick += 1;
    clock.period_start = clock.date;
    clock.date = settings.calendar.date(clock.tick);
    clock.before_deadline = settings.deadline.is_some_and(|d| clock.period_start < d);
    let d = &mut tick.draws;
    if settings.params.deadline_pull != 0.0 {
        let left = settings
            .deadline
            .map(|deadline| f64::from(deadline.days_since(clock.period_start)) / DAYS_PER_YEAR);
        let factor = deadline_factor(&settings.params, left);
        d.rescreen |= factor != d.factor;
        d.factor = factor;
    }
    d.draws.fill_words(clock.tick, Purpose::Tick, &mut d.words);
    tick.deal_round = settings
        .deal_ticks
        .get(clock.tick as usize)
        .copied()
        .unwrap_or(false);
    let counts = &mut tick.counts;
    let mut new_members = std::mem::take(&mut counts.new_members);
    new_members.clear();
    *counts = Default::default();
    counts.new_members = new_members;
}
