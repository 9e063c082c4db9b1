//! Running the model: a [`Runner`] owns one bevy `World` and the tick schedules, and runs
//! a [`Prepared`] scenario for a seed, returning a [`RunOutput`].
//!
//! A runner is reused across runs (and across scenarios): only the entities and resources
//! are replaced, so schedule construction and system initialisation happen once per runner.
//! Each run is single-threaded; parallelism belongs to sweeps, one runner per thread.

pub mod output;
pub mod rng;

use bevy_ecs::prelude::*;

pub use output::{RunOutput, Summary};

use crate::model::{Logit, review_probability};
use crate::systems::{initial_schedule, tick_schedule};
use crate::world::board::Board;
use crate::world::components::{
    Decision, ExportAccess, Exposure, Membership, Profile, Shock, StateId, Summit, TradeShares,
    Utility, UtilityCoefficients,
};
use crate::world::resources::{
    Clock, DealBook, Detail, Levers, Network, Recorder, Settings, StateIndex, Tick, TickCounts,
    TickDraws, Timeline, review_threshold,
};
use crate::world::spawn::Prepared;
use rng::Draws;

/// A reusable simulation engine: one ECS world and its schedules.
pub struct Runner {
    world: World,
    initial: Schedule,
    tick: Schedule,
    reset: Option<QueryState<ResetData>>,
}

/// Every component of a state, for resetting entities in place between runs.
type ResetData = (
    &'static StateId,
    &'static mut Profile,
    &'static mut UtilityCoefficients,
    &'static mut TradeShares,
    &'static mut ExportAccess,
    &'static mut Shock,
    &'static mut Summit,
    &'static mut Membership,
    &'static mut Exposure,
    &'static mut Utility,
    &'static mut Decision,
);

impl Default for Runner {
    fn default() -> Self {
        Runner::new()
    }
}

impl Runner {
    /// A runner with empty world and built schedules.
    pub fn new() -> Runner {
        Runner {
            world: World::new(),
            initial: initial_schedule(),
            tick: tick_schedule(),
            reset: None,
        }
    }

    /// Runs `prepared` with `seed` from tick 0 to the end.
    pub fn run(&mut self, prepared: &Prepared, seed: u64, detail: Detail) -> RunOutput {
        self.run_inspected(prepared, seed, detail, |_| {})
    }

    /// Runs like [`Runner::run`], handing the world to `inspect` after the initial state
    /// and after every tick (for tests and diagnostics; it cannot change the run).
    pub fn run_inspected(
        &mut self,
        prepared: &Prepared,
        seed: u64,
        detail: Detail,
        mut inspect: impl FnMut(&World),
    ) -> RunOutput {
        self.load(prepared, seed, detail);
        self.initial.run(&mut self.world);
        inspect(&self.world);
        for _ in 0..prepared.calendar.last_tick() {
            self.tick.run(&mut self.world);
            inspect(&self.world);
        }
        self.take_output(prepared, seed)
    }

    /// Puts the states of `prepared` into the world: overwriting the previous run's
    /// entities in place when the world has the same number of states, respawning
    /// otherwise. Either way every state lives in one table, row `i` holding state `i`:
    /// the first states are spawned in index order into an empty table, and they are only
    /// ever overwritten in place or all despawned. Systems index that table's columns by
    /// state ([`crate::systems`]).
    fn spawn_states(&mut self, prepared: &Prepared) -> Vec<Entity> {
        let world = &mut self.world;
        // Resources are entities too in bevy_ecs 0.20: never clear the whole world. The
        // index stays in place (emptied here, refilled by `load`).
        let previous = world
            .get_resource_mut::<Settings>()
            .map(|mut settings| std::mem::take(&mut settings.index.entities));
        if let Some(entities) = previous {
            if entities.len() == prepared.len() {
                let query = self.reset.get_or_insert_with(|| world.query::<ResetData>());
                let mut chunks = query
                    .contiguous_iter_mut(world)
                    .expect("state components live in tables");
                // One table, row `i` holding state `i`; nothing reads change ticks, so the
                // columns are written without marking them.
                if let Some((
                    ids,
                    mut profiles,
                    mut coefficients,
                    mut shares,
                    mut access,
                    mut shocks,
                    mut summits,
                    mut memberships,
                    mut exposures,
                    mut utilities,
                    mut decisions,
                )) = chunks.next()
                {
                    let profiles = profiles.bypass_change_detection();
                    let coefficients = coefficients.bypass_change_detection();
                    let shares = shares.bypass_change_detection();
                    let access = access.bypass_change_detection();
                    let shocks = shocks.bypass_change_detection();
                    let summits = summits.bypass_change_detection();
                    let memberships = memberships.bypass_change_detection();
                    let exposures = exposures.bypass_change_detection();
                    let utilities = utilities.bypass_change_detection();
                    let decisions = decisions.bypass_change_detection();
                    for (row, id) in ids.iter().enumerate() {
                        let b = &prepared.bundles[id.0 as usize];
                        profiles[row] = b.profile;
                        coefficients[row] = b.coefficients;
                        shares[row] = b.shares;
                        access[row] = b.access;
                        shocks[row] = b.shock;
                        summits[row] = b.summit;
                        memberships[row] = b.membership;
                        exposures[row] = b.exposure;
                        utilities[row] = b.utility;
                        decisions[row] = b.decision;
                    }
                }
                debug_assert!(chunks.next().is_none(), "all states share one table");
                return entities;
            }
            for entity in entities {
                world.despawn(entity);
            }
        }
        let entities = world
            .spawn_batch(prepared.bundles.iter().cloned())
            .collect();
        debug_assert!(
            world
                .query::<&StateId>()
                .contiguous_iter(world)
                .is_ok_and(|mut chunks| chunks.next().is_none_or(|ids| ids
                    .iter()
                    .enumerate()
                    .all(|(row, id)| id.0 as usize == row))
                    && chunks.next().is_none()),
            "the states fill one table in index order"
        );
        entities
    }

    /// Replaces the world's states and resources with `prepared`'s initial state.
    fn load(&mut self, prepared: &Prepared, seed: u64, detail: Detail) {
        if let Some(check) = self.world.check_change_ticks() {
            self.initial.check_change_ticks(check);
            self.tick.check_change_ticks(check);
        }
        let entities = self.spawn_states(prepared);
        let world = &mut self.world;
        let n = prepared.len();
        let cal = &prepared.calendar;
        let start = cal.start();
        let dt = cal.dt_years();
        let rate = prepared.params.review_rate;
        let timeline = Timeline {
            events: prepared.timeline.clone(),
            next: 0,
            reverts: Vec::new(),
            applied: 0,
            changes: 0,
            touched: Vec::new(),
        };
        let clock = Clock {
            tick: 0,
            date: start,
            period_start: start,
            before_deadline: prepared.deadline.is_some_and(|d| start < d),
        };
        let next_event = timeline.next_due();
        let settings = Settings {
            params: prepared.params.clone(),
            host: prepared.host,
            opponent: prepared.opponent,
            partner_tier: prepared.partner_tier,
            retaliation: prepared.retaliation,
            calendar: cal.clone(),
            deadline: prepared.deadline,
            dt,
            usual_review: review_probability(rate, 1.0, dt),
            logit: Logit::new(&prepared.params, prepared.partner_tier),
            detail,
            index: StateIndex {
                entities,
                codes: prepared.codes.clone(),
            },
            deal_ticks: prepared.deal_ticks.clone(),
        };
        let thresholds = prepared
            .bundles
            .iter()
            .map(|b| review_threshold(&settings, 1.0, &b.membership, &b.summit));
        // The tick's buffers are reused from the previous run when there is one.
        match world.get_resource_mut::<Tick>() {
            Some(mut tick) => {
                let tick = &mut *tick;
                tick.clock = clock;
                tick.draws.draws = Draws::new(seed);
                tick.draws.words.clear();
                tick.draws.words.resize(n, 0);
                tick.draws.thresholds.clear();
                tick.draws.thresholds.extend(thresholds);
                tick.draws.reviewers.clear();
                tick.draws.factor = 1.0;
                tick.draws.rescreen = false;
                tick.counts.new_members.clear();
                tick.counts = TickCounts {
                    new_members: std::mem::take(&mut tick.counts.new_members),
                    ..TickCounts::default()
                };
                tick.deal_round = false;
                tick.next_event = next_event;
            }
            None => {
                world.insert_resource(Tick {
                    clock,
                    draws: TickDraws {
                        draws: Draws::new(seed),
                        words: vec![0; n],
                        thresholds: thresholds.collect(),
                        reviewers: Vec::with_capacity(n),
                        factor: 1.0,
                        rescreen: false,
                    },
                    counts: TickCounts::default(),
                    deal_round: false,
                    next_event,
                });
            }
        }
        world.insert_resource(settings);
        world.insert_resource(Levers(prepared.policy.clone()));
        match world.get_resource_mut::<Network>() {
            Some(mut network) => network.0.clone_from(&prepared.network),
            None => world.insert_resource(Network(prepared.network.clone())),
        }
        match world.get_resource_mut::<Board>() {
            Some(mut board) => board.clone_from(&prepared.board),
            None => world.insert_resource(prepared.board.clone()),
        }
        world.insert_resource(timeline);
        // The kept scores start empty; their buffers are the previous run's.
        let mut rests = world
            .remove_resource::<DealBook>()
            .map(|book| book.rests)
            .unwrap_or_default();
        rests.clear();
        world.insert_resource(DealBook {
            courtship: prepared.courtship.clone(),
            counter_offer: prepared.counter_offer.clone(),
            rests,
        });
        let ticks = cal.last_tick() as usize + 1;
        world.insert_resource(Recorder {
            regions: prepared.regions.clone(),
            blocs: prepared.blocs.clone(),
            ticks: Vec::with_capacity(ticks),
            nations: if detail == Detail::Full {
                Vec::with_capacity(ticks * n)
            } else {
                Vec::new()
            },
            events: Vec::with_capacity(4 * n),
            founders: None,
        });
    }

    fn take_output(&mut self, prepared: &Prepared, seed: u64) -> RunOutput {
        // The rows move out; the emptied recorder stays in place (the next load replaces
        // it), which spares the world moving its entity.
        let mut recorder = self.world.resource_mut::<Recorder>();
        RunOutput {
            scenario: prepared.name.clone(),
            seed,
            codes: prepared.codes.clone(),
            alignment_stale: prepared.alignment_stale.clone(),
            regions: prepared.regions.clone(),
            group_columns: prepared.group_columns.clone(),
            ticks: std::mem::take(&mut recorder.ticks),
            nations: std::mem::take(&mut recorder.nations),
            events: std::mem::take(&mut recorder.events),
            founders: recorder.founders.take().unwrap_or_default(),
        }
    }
}

/// Names of the per-group member columns: by region, by tier, by counted bloc.
pub fn group_columns(regions: &[String], blocs: &[String]) -> Vec<String> {
    let slug = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect()
    };
    regions
        .iter()
        .map(|r| format!("members_region_{}", slug(r)))
        .chain((1..=3).map(|t| format!("members_tier{t}")))
        .chain(blocs.iter().map(|b| format!("members_bloc_{}", slug(b))))
        .collect()
}

thread_local! {
    static THREAD_RUNNER: std::cell::RefCell<Option<Runner>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's reusable [`Runner`] (made on first use). Parallel callers
/// (sweeps, comparisons, calibration) share it, so each worker thread keeps one world.
pub fn with_thread_runner<T>(f: impl FnOnce(&mut Runner) -> T) -> T {
    THREAD_RUNNER.with(|cell| f(cell.borrow_mut().get_or_insert_with(Runner::new)))
}

/// Drops this thread's runner, e.g. after a run panicked and may have left its world
/// half-updated; the next [`with_thread_runner`] starts afresh.
pub fn drop_thread_runner() {
    THREAD_RUNNER.with(|cell| *cell.borrow_mut() = None);
}

/// Runs a scenario once with a fresh runner (convenience for single runs and tests).
pub fn run(scenario: &crate::scenario::Scenario, seed: u64, detail: Detail) -> RunOutput {
    Runner::new().run(&Prepared::new(scenario), seed, detail)
}
