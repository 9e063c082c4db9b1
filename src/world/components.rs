//! Components: one entity per state, one component per attribute group.
//!
//! Static attributes sit in [`Profile`], apart from the utility coefficients computed from
//! them ([`UtilityCoefficients`]), which every evaluation reads; what events, deals and
//! decisions change has its own component, so a system borrows only what it touches.

use bevy_ecs::prelude::*;

use super::eligibility::Bars;
use crate::model::{Coefficients, Inputs, Status, Terms};

/// The state's index in the world (sorted by ISO3); order of every output and draw.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StateId(pub u32);

/// Attributes that do not change during a run.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Profile {
    /// Index of the region in the sorted region list.
    pub region: u16,
    /// Standardised log GDP.
    pub size_z: f64,
    /// The region's affinity value from `[params.affinity]`.
    pub affinity: f64,
    /// UN-vote alignment, -1 (US) to +1 (host).
    pub alignment: f64,
    /// AI capacity.
    pub ai_capacity: f64,
    /// Reliance on US-controlled chips.
    pub chip_dependence: f64,
    /// Security tie to the US.
    pub us_ally: f64,
    /// Liberal-democracy score.
    pub democracy: f64,
    /// Territorial or maritime dispute with the host: 0 none, 1 dormant, 2 active.
    pub dispute: f64,
    /// 1 if the state hosts US forces, else 0.
    pub forces: f64,
    /// The modeller's offset.
    pub bias: f64,
}

/// A state's utility coefficients for this run: the weights times its [`Profile`]. Every
/// evaluation reads them and little else of the profile, so they are a component of their
/// own: a pass over many states (the courtship's ranking, the reviewers' evaluation) reads
/// 40 bytes a state instead of the whole profile.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct UtilityCoefficients(pub Coefficients);

impl Profile {
    /// The static inputs of the utility (dynamic fields zero).
    pub fn static_inputs(&self) -> Inputs {
        Inputs {
            size_z: self.size_z,
            affinity: self.affinity,
            alignment: self.alignment,
            ai_capacity: self.ai_capacity,
            chip_dependence: self.chip_dependence,
            us_ally: self.us_ally,
            democracy: self.democracy,
            dispute: self.dispute,
            forces: self.forces,
            bias: self.bias,
            ..Inputs::default()
        }
    }
}

/// Trade shares with the host and the opponent; deals move them.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct TradeShares {
    /// Share of trade with the host.
    pub china: f64,
    /// Share of trade with the opponent.
    pub us: f64,
}

/// Access to US-controlled chips: the export tier, or a bilateral deal's own stringency.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct ExportAccess {
    /// Export tier, 1-3.
    pub tier: u8,
    /// Stringency set by a chip deal, overriding the tier's.
    pub deal: Option<f64>,
}

/// Accumulated utility shocks (events and deal clauses).
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct Shock(pub f64);

/// Summit effects in progress.
#[derive(Component, Clone, Copy, Debug, PartialEq)]
pub struct Summit {
    /// Factor on the review rate.
    pub multiplier: f64,
    /// Utility boost.
    pub boost: f64,
}

impl Default for Summit {
    fn default() -> Self {
        Summit {
            multiplier: 1.0,
            boost: 0.0,
        }
    }
}

/// Who a state is with respect to the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The host: a member from the start, never reviews.
    Host,
    /// The opposing power: reviews only when the scenario lets it join.
    Opponent,
    /// Any other state.
    State,
}

/// Membership status, whether the state may join at all, and whether it may review.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Membership {
    /// Current status.
    pub status: Status,
    /// Host, opponent or other.
    pub role: Role,
    /// Why the state may not join (see [`super::eligibility`]); empty if it may. The
    /// host's are always empty.
    pub bars: Bars,
    /// Whether the state reviews at all: it is not the host and nothing bars it (kept in
    /// step with `bars` by [`Membership::set_bars`]).
    pub free: bool,
    /// Held by a `decide` event.
    pub locked: bool,
}

impl Membership {
    /// A state's membership with these bars, free to review unless it is the host or
    /// barred.
    pub fn new(status: Status, role: Role, bars: Bars) -> Membership {
        let mut m = Membership {
            status,
            role,
            bars,
            free: false,
            locked: false,
        };
        m.set_bars(bars);
        m
    }

    /// Replaces the bars and brings `free` into step with them.
    pub fn set_bars(&mut self, bars: Bars) {
        self.bars = bars;
        self.free = self.role != Role::Host && bars.is_empty();
    }

    /// Whether the state may review its position this tick.
    pub fn can_review(&self) -> bool {
        self.free && !self.locked
    }
}

/// Exposures at the state's latest evaluation.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct Exposure {
    /// Weighted membership of trade partners.
    pub peer: f64,
    /// Highest bloc-mate membership share.
    pub bloc: f64,
    /// Effective stringency.
    pub stringency: f64,
    /// Chip access at risk if punished, `max(0, stringency_if_punished - stringency)`.
    pub at_risk: f64,
}

/// The utility terms at the state's latest evaluation.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct Utility {
    /// Every term of section 5.
    pub terms: Terms,
    /// Their sum, `U_i`.
    pub total: f64,
}

/// The state's latest decision.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq)]
pub struct Decision {
    /// The tick of the latest review (0: never reviewed).
    pub reviewed_at: u32,
    /// `P(s >= partner)` at the latest evaluation.
    pub p_partner: f64,
    /// `P(s >= member)` at the latest evaluation.
    pub p_member: f64,
    /// The status chosen.
    pub next: Status,
    /// The status the latest evaluation started from (with full detail): its
    /// status-quo bonus is `inertia` if in, else 0.
    pub from: Status,
}

/// Everything spawned for one state.
#[derive(Bundle, Clone, Debug)]
pub struct StateBundle {
    /// Index.
    pub id: StateId,
    /// Static attributes.
    pub profile: Profile,
    /// Utility coefficients.
    pub coefficients: UtilityCoefficients,
    /// Trade shares.
    pub shares: TradeShares,
    /// Chip access.
    pub access: ExportAccess,
    /// Shocks.
    pub shock: Shock,
    /// Summits.
    pub summit: Summit,
    /// Status.
    pub membership: Membership,
    /// Exposures.
    pub exposure: Exposure,
    /// Utility.
    pub utility: Utility,
    /// Decision.
    pub decision: Decision,
}
