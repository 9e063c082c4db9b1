//! Advance: the clock moves one tick and the tick's uniforms are drawn.

use bevy_ecs::prelude::*;

use crate::sim::rng::Purpose;
use crate::world::resources::{Clock, Recorder, Settings, TickDraws};

/// Moves the clock to the next tick, draws every state's review and choice uniforms for
/// it, and clears the tick's counters.
pub fn advance_clock(
    mut clock: ResMut<Clock>,
    settings: Res<Settings>,
    mut draws: ResMut<TickDraws>,
    mut recorder: ResMut<Recorder>,
) {
    clock.tick += 1;
    clock.period_start = clock.date;
    clock.date = settings.calendar.date(clock.tick);
    clock.before_deadline = settings.deadline.is_some_and(|d| clock.period_start < d);
    let d = &mut *draws;
    d.draws.fill_words(clock.tick, Purpose::Tick, &mut d.words);
    let counts = &mut recorder.counts;
    let mut new_members = std::mem::take(&mut counts.new_members);
    new_members.clear();
    *counts = Default::default();
    counts.new_members = new_members;
}
