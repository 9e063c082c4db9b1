//! Resources: what is shared by all states in a run: the settings, the tick (clock,
//! random draws and counters), the levers, the trade network, this tick's board of
//! statuses, the timeline of events and the recorder of output rows.
//!
//! What every stage reads together sits in one resource ([`Tick`], [`Settings`]), so a
//! system fetches few resources per tick.

use std::sync::Arc;

use bevy_ecs::prelude::*;

use super::network::TradeNetwork;
use crate::model::{Logit, review_probability};
use crate::scenario::{Deals, Event, Params, Policy, Stringency};
use crate::sim::output::{EventRow, NationRow, TickRow};
use crate::sim::rng::{Draws, lower_unit, upper_threshold};
use crate::time::{Calendar, Date};
use crate::world::components::{Membership, Summit};

/// The current tick and what follows from its date.
#[derive(Clone, Debug)]
pub struct Clock {
    /// Tick number (0 = initial state).
    pub tick: u32,
    /// The tick's date (end of its period).
    pub date: Date,
    /// Start of the tick's period (the previous tick's date).
    pub period_start: Date,
    /// Whether the period starts before the founding deadline.
    pub before_deadline: bool,
}

/// The current tick: its clock, its random draws, what happened so far in it, and what
/// is due in it.
#[derive(Resource, Clone, Debug)]
pub struct Tick {
    /// Tick number and date.
    pub clock: Clock,
    /// This tick's uniforms and reviewers.
    pub draws: TickDraws,
    /// This tick's counters.
    pub counts: TickCounts,
    /// Whether a deal strategy has a round this tick.
    pub deal_round: bool,
    /// The first tick at which an event fires or a change reverts (`u32::MAX`: none).
    pub next_event: u32,
}

impl Tick {
    /// Whether an event fires or a change reverts this tick.
    pub fn events_due(&self) -> bool {
        self.clock.tick >= self.next_event
    }
}

/// What a run keeps fixed: weights, rules of the body, calendar, and what to record.
#[derive(Resource, Clone, Debug)]
pub struct Settings {
    /// The model's weights.
    pub params: Params,
    /// The host's index.
    pub host: u32,
    /// The opponent's index.
    pub opponent: Option<u32>,
    /// Whether the partner tier exists.
    pub partner_tier: bool,
    /// Whether the US retaliation rule is on.
    pub retaliation: bool,
    /// Tick dates.
    pub calendar: Calendar,
    /// Founding deadline.
    pub deadline: Option<Date>,
    /// Tick length in years.
    pub dt: f64,
    /// The review probability of a state outside any summit,
    /// `1 - exp(-review_rate * dt)`.
    pub usual_review: f64,
    /// The ordered logit of the weights (cut points, inertia, temperature).
    pub logit: Logit,
    /// What to record.
    pub detail: Detail,
    /// Entity of each state.
    pub index: StateIndex,
    /// Whether a deal strategy has a round, by tick.
    pub deal_ticks: Arc<Vec<bool>>,
}

/// The current levels of the powers' levers (events change them).
#[derive(Resource, Clone, Debug)]
pub struct Levers(pub Policy);

/// The trade network, mutable by deals.
#[derive(Resource, Clone, Debug)]
pub struct Network(pub TradeNetwork);

/// From state index to entity, and each state's code.
#[derive(Clone, Debug, Default)]
pub struct StateIndex {
    /// Entity of each state, by index.
    pub entities: Vec<Entity>,
    /// ISO3 code of each state.
    pub codes: Arc<Vec<String>>,
}

/// This tick's random draws and who reviews.
#[derive(Clone, Debug)]
pub struct TickDraws {
    /// The run's addressed generator.
    pub draws: Draws,
    /// This tick's words, by state: the upper half is the review uniform (whether the
    /// state reviews), the lower half the choice uniform (the ordered-logit draw).
    pub words: Vec<u64>,
    /// Each state's review screen: its review uniform is below its review probability
    /// exactly when the word's upper half is below this integer
    /// ([`crate::sim::rng::upper_threshold`]); 0 for states that cannot review. Kept up to
    /// date by whatever changes a summit factor or a lock ([`review_threshold`]).
    pub thresholds: Vec<u64>,
    /// The states that review their position this tick, by index.
    pub reviewers: Vec<u32>,
    /// The founding deadline's factor on every review rate this tick
    /// ([`crate::model::deadline_factor`]); 1 while the deadline's pull is off.
    pub factor: f64,
    /// Whether the factor changed this tick, so every screen must be worked out again
    /// (the Review stage does it before drawing).
    pub rescreen: bool,
}

/// State's review screen for [`TickDraws::thresholds`]: the integer form of its review
/// probability `1 - exp(-review_rate * summit factor * deadline factor * dt)`, or 0 if it
/// cannot review.
pub fn review_threshold(
    settings: &Settings,
    factor: f64,
    membership: &Membership,
    summit: &Summit,
) -> u64 {
    if !membership.can_review() {
        return 0;
    }
    let multiplier = summit.multiplier * factor;
    let p = if multiplier == 1.0 {
        settings.usual_review
    } else {
        review_probability(settings.params.review_rate, multiplier, settings.dt)
    };
    upper_threshold(p)
}

impl TickDraws {
    /// State `i`'s choice uniform this tick.
    pub fn choice(&self, i: usize) -> f64 {
        lower_unit(self.words[i])
    }
}

/// An event with the ticks at which it fires and reverts.
#[derive(Clone, Debug)]
pub struct Scheduled {
    /// Tick during which it fires.
    pub fire: u32,
    /// Tick at whose start it reverts, if within the run.
    pub revert: Option<u32>,
    /// The event.
    pub event: Event,
}

/// How to undo an event's change.
#[derive(Clone, Debug)]
pub enum Undo {
    /// Restore the offer level.
    Offer(f64),
    /// Restore a tier's stringency.
    Stringency {
        /// Tier.
        tier: u8,
        /// Previous value.
        prev: f64,
    },
    /// Restore states' tiers and deals.
    Access(Vec<(u32, u8, Option<f64>)>),
    /// Take back trade deals: (state, raw weight added to state->partner, to
    /// partner->state, host share added, opponent share added, clause).
    Trade {
        /// The other party.
        partner: u32,
        /// Per state.
        entries: Vec<(u32, i64, i64, f64, f64, f64)>,
    },
    /// Restore US pressure.
    Pressure(f64),
    /// Restore the retaliation level.
    Retaliation(f64),
    /// End a summit.
    Summit {
        /// Attendees.
        states: Vec<u32>,
        /// Review factor applied.
        multiplier: f64,
        /// Boost applied.
        boost: f64,
    },
    /// Take back a shock.
    Shock {
        /// States.
        states: Vec<u32>,
        /// Amount.
        value: f64,
    },
    /// Release states held by a decision.
    Unlock(Vec<u32>),
    /// Restore states' recognition of the host (state, recognised before).
    Recognition(Vec<(u32, bool)>),
    /// End a truce.
    Truce {
        /// Stringencies before.
        stringency: Stringency,
        /// Pressure before.
        pressure: f64,
        /// Retaliation before.
        retaliation: f64,
    },
}

/// A pending reversion.
#[derive(Clone, Debug)]
pub struct Revert {
    /// Tick at whose start it applies.
    pub tick: u32,
    /// Order of application of the change it undoes (later changes undo first).
    pub seq: usize,
    /// The event's label.
    pub label: std::sync::Arc<str>,
    /// The event's `until` date (none for summits ending after one tick).
    pub until: Option<Date>,
    /// What to restore.
    pub undo: Undo,
}

/// The events still to fire and the changes still to revert.
#[derive(Resource, Clone, Debug)]
pub struct Timeline {
    /// Every event, by firing tick.
    pub events: Arc<Vec<Scheduled>>,
    /// The next event to fire.
    pub next: usize,
    /// Pending reversions.
    pub reverts: Vec<Revert>,
    /// Changes applied so far (orders reversions).
    pub applied: usize,
    /// Ticks on which events changed a lever (offer, pressure, retaliation, stringency)
    /// so far: every state's utility may have moved when this moved.
    pub changes: u64,
    /// States whose own components (shares, shocks, summits, tiers, chip deals, locks,
    /// recognition, statuses) events changed since a swing rule last looked, with repeats.
    pub touched: Vec<u32>,
}

impl Timeline {
    /// The first tick at which the next event fires or a pending change reverts
    /// (`u32::MAX` if none will).
    pub fn next_due(&self) -> u32 {
        let event = self.events.get(self.next).map_or(u32::MAX, |s| s.fire);
        self.reverts.iter().map(|r| r.tick).fold(event, u32::min)
    }
}

/// A deal strategy's schedule and memory.
#[derive(Clone, Debug)]
pub struct DealPlan {
    /// The strategy.
    pub deals: Deals,
    /// Ticks at which a round of deals happens, ascending.
    pub rounds: Arc<Vec<u32>>,
    /// States already signed (when `once_per_state`).
    pub signed: Vec<bool>,
}

/// The powers' deal strategies.
#[derive(Resource, Clone, Debug, Default)]
pub struct DealBook {
    /// China's courtship.
    pub courtship: Option<DealPlan>,
    /// US counter-offers.
    pub counter_offer: Option<DealPlan>,
    /// The swing rule's scores of every state, kept between rounds.
    pub rests: Rests,
}

/// Every state's swing score without its peer and bloc terms (its `rest`: its utility with
/// export-control exposure alone, plus inertia if in) as worked out when last needed, so
/// that a round need not work out every state's utility again: between rounds a state's
/// `rest` changes only with its own components and with the terms common to all states
/// (legitimacy and the founding bonus), which the bounds allow for. Its components change
/// by events (which list the states they touch, [`Timeline::touched`], and count the
/// changes of levers, which move every state), by deals, by its own status changes (which
/// mark it on the board) and by retaliation, which strikes only states that became
/// members that tick, marked already.
#[derive(Clone, Debug, Default)]
pub struct Rests {
    /// One entry per state (none before the first round).
    pub entries: Vec<Rest>,
    /// The timeline's [`Timeline::changes`] as of this round.
    pub changes: u64,
    /// The states each power's swing rule may court, ranked by their kept `rest`: the
    /// host's, then the opponent's.
    pub rankings: [Ranking; 2],
}

impl Rests {
    /// Empties every entry and ranking, as at the start of a run, keeping the buffers and
    /// each ranking's [`Ranking::opening`].
    pub fn clear(&mut self) {
        self.entries.clear();
        self.changes = 0;
        for ranking in &mut self.rankings {
            ranking.ranked.clear();
            ranking.pending.clear();
            ranking.built = None;
            ranking.span = 0.0;
        }
    }
}

/// The states one swing rule may court, best kept `rest` first, kept between rounds: a
/// round fills its top `k` from the first of them, finds by it the point past which no
/// state can make the round's cut, and visits only the states before that point, instead
/// of bounding every state. A state leaves it when its entry goes out of
/// date (and comes back, in its place, if still open to a deal); a change of a lever
/// rebuilds it.
#[derive(Clone, Debug, Default)]
pub struct Ranking {
    /// (key, state), the key being the kept `rest` less the common terms it was worked out
    /// with, as an integer whose ascending order is the key's descending order: sorted, the
    /// highest key comes first and ties go to the lower index.
    pub ranked: Vec<(u64, u32)>,
    /// The ranking as first built in the last run that built it: the next run's first
    /// build starts from its order (runs of one world open much alike). It may name
    /// states of another world.
    pub opening: Vec<(u64, u32)>,
    /// States whose entries went out of date since the last round, with repeats.
    pub pending: Vec<u32>,
    /// The timeline's [`Timeline::changes`] when it was built (`None`: never built, and
    /// nothing is kept pending for it).
    pub built: Option<u64>,
    /// The largest `scale + |common|` among its entries since it was built: it bounds the
    /// rounding of every ranked state's shifted `rest` at once.
    pub span: f64,
}

/// One state's entry in [`Rests`].
#[derive(Clone, Copy, Debug)]
pub struct Rest {
    /// `rest` as worked out.
    pub value: f64,
    /// The common terms (legitimacy and founding bonus) it was worked out with.
    pub common: f64,
    /// The magnitudes of its terms, summed: the scale of its rounding error (and, with
    /// the common terms' magnitudes at the time of use, of its shifted value's).
    pub scale: f64,
    /// The timeline's [`Timeline::changes`] when it was worked out: it is out of date once
    /// they differ (a lever changed), or once it is [`Rest::STALE`].
    pub changes: u64,
}

impl Rest {
    /// An entry that is out of date whatever the timeline's count.
    pub const STALE: Rest = Rest {
        value: 0.0,
        common: 0.0,
        scale: 0.0,
        changes: u64::MAX,
    };
}

/// What happened during this tick, for the tick's row.
#[derive(Clone, Debug, Default)]
pub struct TickCounts {
    /// Outside -> partner or member.
    pub joins: u32,
    /// Partner or member -> outside.
    pub exits: u32,
    /// Partner -> member.
    pub upgrades: u32,
    /// Member -> partner.
    pub downgrades: u32,
    /// Export-tier changes.
    pub tier_changes: u32,
    /// Deals signed.
    pub deals: u32,
    /// States that became members this tick, by index.
    pub new_members: Vec<u32>,
}

/// How much a run records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Per-tick counts and events.
    Series,
    /// Also every state's status and utility terms at every tick.
    Full,
}

/// Output rows collected during the run.
#[derive(Resource, Clone, Debug)]
pub struct Recorder {
    /// Counted regions, sorted (group columns).
    pub regions: Arc<Vec<String>>,
    /// Counted blocs, sorted (group columns).
    pub blocs: Arc<Vec<String>>,
    /// One row per tick.
    pub ticks: Vec<TickRow>,
    /// One row per state per tick (`Full` only).
    pub nations: Vec<NationRow>,
    /// Events, joins, exits, tier changes and deals.
    pub events: Vec<EventRow>,
    /// Founding members: the members at the first tick on or after the founding deadline
    /// (or at the last tick if the deadline falls after the run).
    pub founders: Option<Vec<u32>>,
}
