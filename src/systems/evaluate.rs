//! Evaluate: exposures (section 4) and utility terms (section 5) for the states that need
//! them this tick.

use bevy_ecs::prelude::*;

use super::rows;
use crate::model::{
    Coefficients, Dynamic, Inputs, Terms, at_risk, founding_bonus, utility, utility_magnitude,
    utility_terms,
};
use crate::scenario::{Params, Policy};
use crate::world::board::Board;
use crate::world::components::{
    ExportAccess, Exposure, Profile, Shock, StateId, Summit, TradeShares, Utility,
    UtilityCoefficients,
};
use crate::world::resources::{Detail, Levers, Settings, Tick};

/// Everything shared that a state's utility depends on this tick.
pub struct Evaluator<'a> {
    /// Weights.
    pub params: &'a Params,
    /// Lever levels.
    pub policy: &'a Policy,
    /// Statuses and aggregates (peer and bloc exposure follow from them).
    pub board: &'a Board,
    /// Whether the founding bonus applies.
    pub before_deadline: bool,
    /// The body's legitimacy this tick.
    pub legit: f64,
}

impl<'a> Evaluator<'a> {
    /// The evaluator of this tick.
    pub fn new(
        params: &'a Params,
        policy: &'a Policy,
        board: &'a Board,
        before_deadline: bool,
    ) -> Evaluator<'a> {
        Evaluator {
            params,
            policy,
            board,
            before_deadline,
            legit: board.legitimacy(),
        }
    }

    /// Peer, bloc and export-control exposure of state `id`.
    pub fn exposure(&self, id: StateId, access: &ExportAccess) -> Exposure {
        let i = id.0 as usize;
        Exposure {
            peer: self.board.peer(i),
            bloc: self.board.bloc(i),
            ..self.chip_exposure(access)
        }
    }

    /// Export-control exposure alone (peer and bloc exposure 0): the stringency a state
    /// faces and the access it has at risk.
    pub fn chip_exposure(&self, access: &ExportAccess) -> Exposure {
        let stringency = self.stringency(access);
        Exposure {
            peer: 0.0,
            bloc: 0.0,
            stringency,
            at_risk: at_risk(self.policy, access.tier, stringency),
        }
    }

    /// The share of chip access denied to a state: its deal's, else its tier's.
    pub fn stringency(&self, access: &ExportAccess) -> f64 {
        access
            .deal
            .unwrap_or_else(|| self.policy.stringency.of(access.tier))
    }

    /// The utility terms of a state with these components (a breakdown of
    /// [`Evaluator::utility`], for output).
    pub fn terms(
        &self,
        profile: &Profile,
        shares: &TradeShares,
        shock: &Shock,
        summit: &Summit,
        exposure: &Exposure,
    ) -> Terms {
        let inputs = Inputs {
            china_share: shares.china,
            us_share: shares.us,
            shock: shock.0,
            summit: summit.boost,
            peer: exposure.peer,
            bloc: exposure.bloc,
            stringency: exposure.stringency,
            at_risk: exposure.at_risk,
            ..profile.static_inputs()
        };
        utility_terms(
            self.params,
            self.policy,
            &inputs,
            self.legit,
            self.before_deadline,
        )
    }

    /// The terms of the utility common to every state this tick: legitimacy and the
    /// founding bonus.
    pub fn common(&self) -> f64 {
        let (legit, founding) = self.common_terms();
        legit + founding
    }

    /// The magnitudes of the common terms, summed (their share of the scale of a utility's
    /// rounding error, [`utility_magnitude`]).
    pub fn common_magnitude(&self) -> f64 {
        let (legit, founding) = self.common_terms();
        legit.abs() + founding.abs()
    }

    /// The legitimacy term and the founding bonus this tick.
    fn common_terms(&self) -> (f64, f64) {
        let p = self.params;
        (
            p.beta_legit * self.legit,
            founding_bonus(p, self.before_deadline),
        )
    }

    /// The sum of the magnitudes of the utility's terms other than the common ones
    /// ([`utility_magnitude`]) for a state with these coefficients, components and exposure.
    pub fn magnitude(
        &self,
        coefficients: &Coefficients,
        shares: &TradeShares,
        shock: &Shock,
        summit: &Summit,
        exposure: &Exposure,
    ) -> f64 {
        let dynamic = dynamic(shares, shock, summit, exposure);
        utility_magnitude(self.params, self.policy, coefficients, &dynamic)
    }

    /// The utility `U_i` of a state with these coefficients, components and exposure.
    pub fn utility_with(
        &self,
        coefficients: &Coefficients,
        shares: &TradeShares,
        shock: &Shock,
        summit: &Summit,
        exposure: &Exposure,
    ) -> f64 {
        let dynamic = dynamic(shares, shock, summit, exposure);
        utility(
            self.params,
            self.policy,
            coefficients,
            &dynamic,
            self.legit,
            self.before_deadline,
        )
    }

    /// The utility `U_i` of a state with these coefficients and components.
    pub fn utility(
        &self,
        id: StateId,
        coefficients: &Coefficients,
        shares: &TradeShares,
        access: &ExportAccess,
        shock: &Shock,
        summit: &Summit,
    ) -> f64 {
        let exposure = self.exposure(id, access);
        self.utility_with(coefficients, shares, shock, summit, &exposure)
    }
}

/// What moves a state's utility, from its components and exposure.
fn dynamic(shares: &TradeShares, shock: &Shock, summit: &Summit, exposure: &Exposure) -> Dynamic {
    Dynamic {
        china_share: shares.china,
        us_share: shares.us,
        peer: exposure.peer,
        bloc: exposure.bloc,
        stringency: exposure.stringency,
        at_risk: exposure.at_risk,
        shock: shock.0,
        summit: summit.boost,
    }
}

/// What evaluation reads and writes with full detail.
type Evaluated = (
    &'static StateId,
    &'static Profile,
    &'static UtilityCoefficients,
    &'static TradeShares,
    &'static ExportAccess,
    &'static Shock,
    &'static Summit,
    &'static mut Exposure,
    &'static mut Utility,
);

/// Every state's components that evaluation reads, indexed by state.
pub(super) struct Rows<'a> {
    pub(super) ids: &'a [StateId],
    pub(super) profiles: &'a [Profile],
    pub(super) coefficients: &'a [UtilityCoefficients],
    pub(super) shares: &'a [TradeShares],
    pub(super) access: &'a [ExportAccess],
    pub(super) shocks: &'a [Shock],
    pub(super) summits: &'a [Summit],
}

/// Computes exposures and utility terms for every state that reviews this tick, or for
/// every state when the run records full detail.
pub fn evaluate_utility(
    settings: Res<Settings>,
    levers: Res<Levers>,
    board: Res<Board>,
    tick: Res<Tick>,
    mut states: Query<Evaluated>,
) {
    let evaluator = Evaluator::new(
        &settings.params,
        &levers.0,
        &board,
        tick.clock.before_deadline,
    );
    let Some((
        ids,
        profiles,
        coefficients,
        shares,
        access,
        shocks,
        summits,
        mut exposures,
        mut utilities,
    )) = rows(&mut states)
    else {
        return;
    };
    let inputs = Rows {
        ids,
        profiles,
        coefficients,
        shares,
        access,
        shocks,
        summits,
    };
    let reviewers = &tick.draws.reviewers;
    evaluate(
        &evaluator,
        settings.detail,
        reviewers,
        &inputs,
        exposures.bypass_change_detection(),
        utilities.bypass_change_detection(),
    );
}

/// The body of [`evaluate_utility`] on every state's rows (shared with
/// [`super::choose_statuses`]): with full detail every state's exposure and terms, else
/// the reviewers' utilities alone.
pub(super) fn evaluate(
    evaluator: &Evaluator<'_>,
    detail: Detail,
    reviewers: &[u32],
    x: &Rows<'_>,
    exposures: &mut [Exposure],
    utilities: &mut [Utility],
) {
    if detail == Detail::Full {
        for i in 0..x.ids.len() {
            let exposure = evaluator.exposure(x.ids[i], &x.access[i]);
            exposures[i] = exposure;
            let (profile, shares) = (&x.profiles[i], &x.shares[i]);
            let (shock, summit) = (&x.shocks[i], &x.summits[i]);
            utilities[i] = Utility {
                terms: evaluator.terms(profile, shares, shock, summit, &exposure),
                total: evaluator.utility_with(
                    &x.coefficients[i].0,
                    shares,
                    shock,
                    summit,
                    &exposure,
                ),
            };
        }
    } else {
        for &i in reviewers {
            let i = i as usize;
            debug_assert_eq!(x.ids[i].0 as usize, i);
            utilities[i].total = evaluator.utility(
                x.ids[i],
                &x.coefficients[i].0,
                &x.shares[i],
                &x.access[i],
                &x.shocks[i],
                &x.summits[i],
            );
        }
    }
}
