//! What a run produces, in memory: one row per tick, per state and tick, and per event,
//! plus the run's summary. Writers in `output/` turn these into files; sweeps aggregate
//! them.

use std::sync::Arc;

use crate::model::{Status, Terms};
use crate::time::Date;
use crate::world::eligibility::Bars;

/// One tick of the membership curve (a row of `timeseries.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct TickRow {
    /// Tick number, 0 = initial state.
    pub tick: u32,
    /// The tick's date.
    pub date: Date,
    /// Full members (the host included).
    pub members: u32,
    /// Partners.
    pub partners: u32,
    /// States outside.
    pub outside: u32,
    /// States that entered the body this tick (outside -> partner or member).
    pub joins: u32,
    /// States that left it (partner or member -> outside).
    pub exits: u32,
    /// Partners that became members.
    pub upgrades: u32,
    /// Members that became partners.
    pub downgrades: u32,
    /// Members' share of world GDP.
    pub member_gdp_share: f64,
    /// Members' share of world population.
    pub member_population_share: f64,
    /// Legitimacy: membership-weighted share of non-host GDP.
    pub legitimacy: f64,
    /// China's offer level.
    pub offer: f64,
    /// US pressure.
    pub pressure: f64,
    /// US retaliation probability.
    pub retaliation: f64,
    /// Export-tier changes this tick.
    pub tier_changes: u32,
    /// Deals signed this tick.
    pub deals: u32,
    /// Members by region, then by tier (1-3), then by counted bloc.
    pub groups: Vec<u32>,
}

/// One state at one tick (a row of `nations.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct NationRow {
    /// Tick number.
    pub tick: u32,
    /// State index.
    pub state: u32,
    /// Status at the end of the tick.
    pub status: Status,
    /// Why the state may not join at the end of the tick (empty if it may).
    pub bars: Bars,
    /// Export tier at the end of the tick.
    pub tier: u8,
    /// Whether the state reviewed its position during the tick.
    pub reviewed: bool,
    /// Peer exposure.
    pub peer: f64,
    /// Bloc exposure.
    pub bloc: f64,
    /// Effective stringency.
    pub stringency: f64,
    /// Chip access at risk if punished.
    pub at_risk: f64,
    /// Utility `U_i`.
    pub utility: f64,
    /// `P(s >= partner)` had it reviewed.
    pub p_partner: f64,
    /// `P(s >= member)` had it reviewed.
    pub p_member: f64,
    /// The status its choice probabilities started from (before the tick's update).
    pub from: Status,
    /// Every utility term.
    pub terms: Terms,
}

/// Something that happened (a row of `events.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    /// Tick number.
    pub tick: u32,
    /// The tick's date.
    pub date: Date,
    /// What: an event kind, `revert`, `join`, `exit`, `upgrade`, `downgrade`,
    /// `tier_change` or `deal`.
    pub kind: &'static str,
    /// The state concerned, if one.
    pub state: Option<u32>,
    /// Before (a status, tier or state), if relevant.
    pub from: Cell,
    /// After (a status, tier or state), if relevant.
    pub to: Cell,
    /// The number the event set or added, if any.
    pub value: Option<f64>,
    /// The event's label or the cause.
    pub label: Label,
    /// For scheduled events, the date in the scenario (its `until` for a reversion).
    pub scheduled: Option<Date>,
}

/// A `from` or `to` cell of an event row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// A membership status.
    Status(Status),
    /// An export tier.
    Tier(u8),
    /// A state, by index.
    State(u32),
}

/// Why something happened: a fixed cause or a scenario event's label.
#[derive(Clone, Debug, PartialEq)]
pub enum Label {
    /// A cause named by the model (`decision`, `US retaliation`, ...).
    Cause(&'static str),
    /// A scenario event's label.
    Event(Arc<str>),
}

impl Label {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Label::Cause(s) => s,
            Label::Event(s) => s,
        }
    }
}

/// Everything a run produced.
#[derive(Clone, Debug)]
pub struct RunOutput {
    /// Scenario name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// ISO3 code of each state index.
    pub codes: Arc<Vec<String>>,
    /// Whether each state's `alignment` is a documented override, by state index.
    pub alignment_stale: Arc<Vec<bool>>,
    /// Regions, sorted; the first entries of [`TickRow::groups`] count their members.
    pub regions: Arc<Vec<String>>,
    /// Names of the group columns of [`TickRow::groups`].
    pub group_columns: Arc<Vec<String>>,
    /// One row per tick.
    pub ticks: Vec<TickRow>,
    /// One row per state per tick (full detail only).
    pub nations: Vec<NationRow>,
    /// Events.
    pub events: Vec<EventRow>,
    /// Members at the founding deadline (or at the end without one), by state index.
    pub founders: Vec<u32>,
}

/// The numbers a run is judged by.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Members at the last tick.
    pub final_members: u32,
    /// Partners at the last tick.
    pub final_partners: u32,
    /// Members' GDP share at the last tick.
    pub final_member_gdp_share: f64,
    /// Most members at any tick.
    pub peak_members: u32,
    /// First date with at least 25, 50 and 100 members.
    pub first_past: [(u32, Option<Date>); 3],
}

/// Membership thresholds reported in summaries.
pub const THRESHOLDS: [u32; 3] = [25, 50, 100];

impl RunOutput {
    /// The run's summary.
    pub fn summary(&self) -> Summary {
        summarize(&self.ticks)
    }

    /// The founders' codes, in state order.
    pub fn founder_codes(&self) -> Vec<String> {
        self.founders
            .iter()
            .map(|&i| self.codes[i as usize].clone())
            .collect()
    }
}

/// The summary of a membership curve.
pub fn summarize(ticks: &[TickRow]) -> Summary {
    let last = ticks.last();
    let first_past = THRESHOLDS.map(|k| (k, ticks.iter().find(|t| t.members >= k).map(|t| t.date)));
    Summary {
        final_members: last.map_or(0, |t| t.members),
        final_partners: last.map_or(0, |t| t.partners),
        final_member_gdp_share: last.map_or(0.0, |t| t.member_gdp_share),
        peak_members: ticks.iter().map(|t| t.members).max().unwrap_or(0),
        first_past,
    }
}
