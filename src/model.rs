//! The model's pure mathematics: statuses, the utility of membership (section 5 of
//! docs/MODEL.md) and the ordered-logit decision (section 6). Systems call these; tests
//! check them directly.

use crate::scenario::file::{Params, Policy};

/// A state's position towards the body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not in the body.
    #[default]
    Outside = 0,
    /// In the low-cost partner tier.
    Partner = 1,
    /// A full member.
    Member = 2,
}

impl Status {
    /// The scenario-file and CSV names, in order.
    pub const NAMES: [&'static str; 3] = ["outside", "partner", "member"];

    /// Parses `outside`, `partner` or `member`.
    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "outside" => Some(Status::Outside),
            "partner" => Some(Status::Partner),
            "member" => Some(Status::Member),
            _ => None,
        }
    }

    /// The name used in files.
    pub fn name(self) -> &'static str {
        Status::NAMES[self as usize]
    }

    /// The status with index 0, 1 or 2.
    pub fn from_index(k: usize) -> Status {
        match k {
            0 => Status::Outside,
            1 => Status::Partner,
            _ => Status::Member,
        }
    }

    /// Whether the state is in the body at all (partner or member).
    pub fn is_in(self) -> bool {
        self != Status::Outside
    }

    /// The membership weight `m(s)`: 0 outside, `partner_weight` for a partner, 1 member.
    pub fn weight(self, partner_weight: f64) -> f64 {
        // A lookup rather than a branch: statuses vary from state to state without pattern.
        [0.0, partner_weight, 1.0][self as usize]
    }

    /// What `inertia` adds to the utility of a state with this status: all of it for a
    /// member or partner, nothing outside (a lookup, like [`Status::weight`]).
    pub fn inertia(self, inertia: f64) -> f64 {
        [0.0, inertia, inertia][self as usize]
    }
}

/// The utility terms, in the order of the model's equation. Their sum is `U_i`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Term {
    /// `beta_0`.
    Base,
    /// `beta_size * z_size`.
    Size,
    /// `beta_affinity * affinity[region]`.
    Affinity,
    /// `beta_align * alignment`.
    Align,
    /// `beta_trade * (china_share - us_share)`.
    Trade,
    /// `beta_need * (1 - ai_capacity) * offer`.
    Need,
    /// `beta_peer * peer`.
    Peer,
    /// `beta_bloc * bloc`.
    Bloc,
    /// `beta_legit * legit`.
    Legit,
    /// `beta_founding * [date < deadline]`.
    Founding,
    /// `beta_push * chip_dependence * stringency`.
    Push,
    /// `-beta_deter * chip_dependence * retaliation * max(0, at_risk)`.
    Deter,
    /// `-beta_pressure * us_ally * pressure`.
    Pressure,
    /// `-beta_democracy * democracy`.
    Democracy,
    /// `-beta_dispute * dispute_with_host`.
    Dispute,
    /// `-beta_forces * hosts_us_forces`.
    Forces,
    /// The state's `bias`.
    Bias,
    /// Accumulated shocks (events, deal clauses).
    Shock,
    /// The utility boost of a summit in progress.
    Summit,
}

impl Term {
    /// Every term, in equation order.
    pub const ALL: [Term; TERMS] = [
        Term::Base,
        Term::Size,
        Term::Affinity,
        Term::Align,
        Term::Trade,
        Term::Need,
        Term::Peer,
        Term::Bloc,
        Term::Legit,
        Term::Founding,
        Term::Push,
        Term::Deter,
        Term::Pressure,
        Term::Democracy,
        Term::Dispute,
        Term::Forces,
        Term::Bias,
        Term::Shock,
        Term::Summit,
    ];

    /// The CSV column of the term.
    pub fn column(self) -> &'static str {
        match self {
            Term::Base => "u_base",
            Term::Size => "u_size",
            Term::Affinity => "u_affinity",
            Term::Align => "u_align",
            Term::Trade => "u_trade",
            Term::Need => "u_need",
            Term::Peer => "u_peer",
            Term::Bloc => "u_bloc",
            Term::Legit => "u_legit",
            Term::Founding => "u_founding",
            Term::Push => "u_push",
            Term::Deter => "u_deter",
            Term::Pressure => "u_pressure",
            Term::Democracy => "u_democracy",
            Term::Dispute => "u_dispute",
            Term::Forces => "u_forces",
            Term::Bias => "u_bias",
            Term::Shock => "u_shock",
            Term::Summit => "u_summit",
        }
    }

    /// How an analyst would name the term.
    pub fn describe(self) -> &'static str {
        match self {
            Term::Base => "baseline",
            Term::Size => "economic size",
            Term::Affinity => "regional affinity",
            Term::Align => "UN-vote alignment",
            Term::Trade => "trade with China vs the US",
            Term::Need => "China's offer meeting AI needs",
            Term::Peer => "peer pressure",
            Term::Bloc => "bloc pressure",
            Term::Legit => "the body's legitimacy",
            Term::Founding => "founding-member bonus",
            Term::Push => "export controls (nothing left to lose)",
            Term::Deter => "export controls (chip access at risk)",
            Term::Pressure => "US pressure on allies",
            Term::Democracy => "democratic standards",
            Term::Dispute => "territorial dispute with the host",
            Term::Forces => "hosting US forces",
            Term::Bias => "state-specific bias",
            Term::Shock => "shocks and deal clauses",
            Term::Summit => "summit boost",
        }
    }
}

/// The number of utility terms.
pub const TERMS: usize = 19;

/// The value of every utility term for one state, indexed by [`Term`].
pub type Terms = [f64; TERMS];

/// What a state brings to its utility that does not change within a run, or changes only
/// through events (trade shares, stringency, shocks).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Inputs {
    /// Standardised log GDP.
    pub size_z: f64,
    /// The region's affinity value.
    pub affinity: f64,
    /// UN-vote alignment, -1 (US) to +1 (host).
    pub alignment: f64,
    /// Trade share with the host.
    pub china_share: f64,
    /// Trade share with the opponent.
    pub us_share: f64,
    /// AI capacity.
    pub ai_capacity: f64,
    /// Chip dependence.
    pub chip_dependence: f64,
    /// US ally score.
    pub us_ally: f64,
    /// Democracy score.
    pub democracy: f64,
    /// Territorial or maritime dispute with the host: 0 none, 1 dormant, 2 active.
    pub dispute: f64,
    /// 1 if the state hosts US forces, else 0.
    pub forces: f64,
    /// The state's bias.
    pub bias: f64,
    /// Accumulated shocks.
    pub shock: f64,
    /// Summit boost in effect.
    pub summit: f64,
    /// Peer exposure.
    pub peer: f64,
    /// Bloc exposure.
    pub bloc: f64,
    /// The state's effective stringency.
    pub stringency: f64,
    /// The chip access a punished state would lose, `max(0, stringency_if_punished -
    /// stringency)`.
    pub at_risk: f64,
}

/// The parts of a state's utility fixed for a run (weights times static attributes),
/// computed once per scenario so that evaluating a state costs a dozen operations.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Coefficients {
    /// `beta_0 + size + affinity + align + democracy + dispute + forces + bias` terms.
    pub fixed: f64,
    /// `beta_need * (1 - ai_capacity)`.
    pub need: f64,
    /// `beta_push * chip_dependence`.
    pub push: f64,
    /// `beta_deter * chip_dependence`.
    pub deter: f64,
    /// `beta_pressure * us_ally`.
    pub pressure: f64,
}

impl Coefficients {
    /// The coefficients of a state with these static inputs (the dynamic fields of `x`
    /// are ignored).
    pub fn of(p: &Params, x: &Inputs) -> Coefficients {
        Coefficients {
            fixed: p.beta_0
                + p.beta_size * x.size_z
                + p.beta_affinity * x.affinity
                + p.beta_align * x.alignment
                - p.beta_democracy * x.democracy
                - p.beta_dispute * x.dispute
                - p.beta_forces * x.forces
                + x.bias,
            need: p.beta_need * (1.0 - x.ai_capacity),
            push: p.beta_push * x.chip_dependence,
            deter: p.beta_deter * x.chip_dependence,
            pressure: p.beta_pressure * x.us_ally,
        }
    }
}

/// What moves a state's utility during a run, besides the levers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Dynamic {
    /// Trade share with the host.
    pub china_share: f64,
    /// Trade share with the opponent.
    pub us_share: f64,
    /// Peer exposure.
    pub peer: f64,
    /// Bloc exposure.
    pub bloc: f64,
    /// Effective stringency.
    pub stringency: f64,
    /// Chip access at risk, `max(0, stringency_if_punished - stringency)`.
    pub at_risk: f64,
    /// Accumulated shocks.
    pub shock: f64,
    /// Summit boost in effect.
    pub summit: f64,
}

/// `U_i`, the utility of section 5: the value every decision uses. It equals the sum of
/// [`utility_terms`] up to rounding in the last digits (the terms are a breakdown).
pub fn utility(
    p: &Params,
    policy: &Policy,
    c: &Coefficients,
    d: &Dynamic,
    legit: f64,
    before_deadline: bool,
) -> f64 {
    let founding = founding_bonus(p, before_deadline);
    c.fixed
        + p.beta_trade * (d.china_share - d.us_share)
        + c.need * policy.offer
        + p.beta_peer * d.peer
        + p.beta_bloc * d.bloc
        + p.beta_legit * legit
        + founding
        + c.push * d.stringency
        - c.deter * policy.retaliation * d.at_risk
        - c.pressure * policy.pressure
        + d.shock
        + d.summit
}

/// The founding bonus: `beta_founding` before the deadline, else 0.
pub fn founding_bonus(p: &Params, before_deadline: bool) -> f64 {
    if before_deadline {
        p.beta_founding
    } else {
        0.0
    }
}

/// The sum of the magnitudes of [`utility`]'s terms other than legitimacy and the founding
/// bonus (the terms common to every state): with theirs added, a scale for the rounding
/// error of `U_i`, which a dozen products and additions keep below `1e-14` times it.
pub fn utility_magnitude(p: &Params, policy: &Policy, c: &Coefficients, d: &Dynamic) -> f64 {
    c.fixed.abs()
        + (p.beta_trade * (d.china_share - d.us_share)).abs()
        + (c.need * policy.offer).abs()
        + (p.beta_peer * d.peer).abs()
        + (p.beta_bloc * d.bloc).abs()
        + (c.push * d.stringency).abs()
        + (c.deter * policy.retaliation * d.at_risk).abs()
        + (c.pressure * policy.pressure).abs()
        + d.shock.abs()
        + d.summit.abs()
}

/// The utility terms of section 5 for one state.
pub fn utility_terms(
    p: &Params,
    policy: &Policy,
    x: &Inputs,
    legit: f64,
    before_deadline: bool,
) -> Terms {
    let mut t = [0.0; TERMS];
    t[Term::Base as usize] = p.beta_0;
    t[Term::Size as usize] = p.beta_size * x.size_z;
    t[Term::Affinity as usize] = p.beta_affinity * x.affinity;
    t[Term::Align as usize] = p.beta_align * x.alignment;
    t[Term::Trade as usize] = p.beta_trade * (x.china_share - x.us_share);
    t[Term::Need as usize] = p.beta_need * (1.0 - x.ai_capacity) * policy.offer;
    t[Term::Peer as usize] = p.beta_peer * x.peer;
    t[Term::Bloc as usize] = p.beta_bloc * x.bloc;
    t[Term::Legit as usize] = p.beta_legit * legit;
    t[Term::Founding as usize] = founding_bonus(p, before_deadline);
    t[Term::Push as usize] = p.beta_push * x.chip_dependence * x.stringency;
    t[Term::Deter as usize] = -p.beta_deter * x.chip_dependence * policy.retaliation * x.at_risk;
    t[Term::Pressure as usize] = -p.beta_pressure * x.us_ally * policy.pressure;
    t[Term::Democracy as usize] = -p.beta_democracy * x.democracy;
    t[Term::Dispute as usize] = -p.beta_dispute * x.dispute;
    t[Term::Forces as usize] = -p.beta_forces * x.forces;
    t[Term::Bias as usize] = x.bias;
    t[Term::Shock as usize] = x.shock;
    t[Term::Summit as usize] = x.summit;
    t
}

/// The sum of the terms, `U_i`.
pub fn total(terms: &Terms) -> f64 {
    terms.iter().sum()
}

/// The chip access a state would lose if the US punished it for joining:
/// `max(0, stringency_if_punished - stringency)`, where `stringency_if_punished` is the
/// stringency of the tier retaliation moves it to, `min(tier + 1, 3)`, without any chip
/// deal (a punished state loses its deal), and `stringency` is what it is denied now.
pub fn at_risk(policy: &Policy, tier: u8, stringency: f64) -> f64 {
    (policy.stringency.of((tier + 1).min(3)) - stringency).max(0.0)
}

/// The founding deadline's factor on every review rate:
/// `1 + deadline_pull * exp(-time_left / deadline_horizon)` while `time_left`, the years
/// from the start of the tick's period to the deadline, is positive; 1 from the deadline on,
/// without a deadline, and with `deadline_pull = 0`.
pub fn deadline_factor(p: &Params, time_left_years: Option<f64>) -> f64 {
    match time_left_years {
        Some(t) if t > 0.0 && p.deadline_pull != 0.0 => {
            1.0 + p.deadline_pull * (-t / p.deadline_horizon).exp()
        }
        _ => 1.0,
    }
}

/// The probability of reviewing within one tick: `1 - exp(-rate * boost * dt)`.
pub fn review_probability(rate_per_year: f64, boost: f64, dt_years: f64) -> f64 {
    1.0 - (-rate_per_year * boost * dt_years).exp()
}

/// The standard logistic function.
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `P(s >= partner)` and `P(s >= member)` of the ordered logit for a state with utility
/// `u` and current status `current`; with `tau = 0` they are 0 or 1.
pub fn choice_probabilities(p: &Params, u: f64, current: Status, partner_tier: bool) -> (f64, f64) {
    Logit::new(p, partner_tier).probabilities(u, current)
}

/// The ordered logit of section 6 with everything that depends only on the weights
/// computed once: the cut points, the inertia and `exp((cut_member - cut_partner) / tau)`.
///
/// Both probabilities are logistic in `V`, with the same temperature, so one exponential
/// gives both: with `e = exp(-(V - cut_partner) / tau)`,
/// `P(s >= partner) = 1 / (1 + e)` and `P(s >= member) = 1 / (1 + e * gap)`. The second
/// equals `logistic((V - cut_member) / tau)` up to rounding in the last digit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Logit {
    inertia: f64,
    cut_partner: f64,
    cut_member: f64,
    tau: f64,
    gap: f64,
}

impl Logit {
    /// The logit of these weights, with or without the partner tier (without it, both
    /// cuts are the member cut).
    pub fn new(p: &Params, partner_tier: bool) -> Logit {
        let cut_partner = if partner_tier {
            p.cut_partner
        } else {
            p.cut_member
        };
        Logit {
            inertia: p.inertia,
            cut_partner,
            cut_member: p.cut_member,
            tau: p.tau,
            gap: ((p.cut_member - cut_partner) / p.tau).exp(),
        }
    }

    /// `P(s >= partner)` and `P(s >= member)` for a state with utility `u` and current
    /// status `current`.
    pub fn probabilities(&self, u: f64, current: Status) -> (f64, f64) {
        let v = u + current.inertia(self.inertia);
        if self.tau == 0.0 {
            return (
                if v > self.cut_partner { 1.0 } else { 0.0 },
                if v > self.cut_member { 1.0 } else { 0.0 },
            );
        }
        let e = (-((v - self.cut_partner) / self.tau)).exp();
        let p_partner = 1.0 / (1.0 + e);
        let p_member = if self.gap > 0.0 && self.gap.is_finite() {
            1.0 / (1.0 + e * self.gap)
        } else {
            // Cuts so far apart (in units of tau) that the factor over- or underflows.
            logistic((v - self.cut_member) / self.tau)
        };
        (p_partner, p_member)
    }
}

/// The new status from one uniform draw: the number of cut probabilities `u` falls under.
pub fn choose(u: f64, p_partner: f64, p_member: f64) -> Status {
    Status::from_index(usize::from(u < p_partner) + usize::from(u < p_member))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_follows_the_cut_points() {
        let p = Params {
            tau: 0.0,
            cut_partner: 0.0,
            cut_member: 1.0,
            inertia: 0.5,
            ..Params::default()
        };
        assert_eq!(
            choice_probabilities(&p, -0.1, Status::Outside, true),
            (0.0, 0.0)
        );
        assert_eq!(
            choice_probabilities(&p, 0.5, Status::Outside, true),
            (1.0, 0.0)
        );
        assert_eq!(
            choice_probabilities(&p, 0.6, Status::Partner, true),
            (1.0, 1.0),
            "inertia lifts a partner over the member cut"
        );
        assert_eq!(
            choice_probabilities(&p, 0.5, Status::Outside, false),
            (0.0, 0.0),
            "without a partner tier both cuts are the member cut"
        );
        assert_eq!(choose(0.3, 0.5, 0.2), Status::Partner);
        assert_eq!(choose(0.1, 0.5, 0.2), Status::Member);
        assert_eq!(choose(0.9, 0.5, 0.2), Status::Outside);
    }

    #[test]
    fn one_exponential_gives_both_logistic_probabilities() {
        // Against the textbook form, logistic((V - cut) / tau) for each cut, across cut
        // gaps, temperatures and utilities far into both tails.
        for (cut_partner, cut_member, tau) in [(0.0, 1.0, 0.35), (-0.4, 2.5, 0.1), (0.3, 0.3, 1.0)]
        {
            let p = Params {
                cut_partner,
                cut_member,
                tau,
                ..Params::default()
            };
            let logit = Logit::new(&p, true);
            for k in -400..=400 {
                let u = f64::from(k) * 0.05;
                for current in [Status::Outside, Status::Member] {
                    let v = u + if current.is_in() { p.inertia } else { 0.0 };
                    let (a, b) = logit.probabilities(u, current);
                    assert_eq!(a, logistic((v - cut_partner) / tau), "u {u}");
                    // `exp` turns an absolute rounding error in its argument into a
                    // relative error of the result: allow a few ulps of the exponents used,
                    // `(V - cut_partner) / tau` and `(cut_member - cut_partner) / tau`.
                    let want = logistic((v - cut_member) / tau);
                    let scale =
                        1.0 + ((v - cut_partner) / tau).abs() + (cut_member - cut_partner) / tau;
                    assert!(
                        (b - want).abs() <= 4.0 * f64::EPSILON * scale * want,
                        "u {u}: {b} vs {want}"
                    );
                    assert!(a >= b);
                }
            }
        }
        // Cuts hundreds of temperatures apart: the factor overflows and the textbook form
        // takes over.
        let far = Params {
            cut_partner: 0.0,
            cut_member: 10.0,
            tau: 0.01,
            ..Params::default()
        };
        let (a, b) = Logit::new(&far, true).probabilities(9.99, Status::Outside);
        assert_eq!(
            (a, b),
            (logistic(9.99 / 0.01), logistic((9.99 - 10.0) / 0.01))
        );
    }

    #[test]
    fn logit_probabilities_are_ordered() {
        let p = Params::default();
        for u in [-3.0, -0.5, 0.0, 0.4, 2.0] {
            let (a, b) = choice_probabilities(&p, u, Status::Outside, true);
            assert!(a >= b && (0.0..=1.0).contains(&a) && (0.0..=1.0).contains(&b));
        }
    }

    #[test]
    fn the_utility_is_the_sum_of_its_terms() {
        let p = Params {
            beta_size: 0.3,
            beta_affinity: 0.7,
            ..Params::default()
        };
        let policy = Policy {
            offer: 1.3,
            pressure: 0.6,
            retaliation: 0.4,
            ..Policy::default()
        };
        let x = Inputs {
            size_z: 1.2,
            affinity: 0.4,
            alignment: 0.6,
            china_share: 0.3,
            us_share: 0.1,
            ai_capacity: 0.35,
            chip_dependence: 0.7,
            us_ally: 0.5,
            democracy: 0.45,
            dispute: 2.0,
            forces: 1.0,
            bias: -0.2,
            shock: 0.15,
            summit: 0.05,
            peer: 0.42,
            bloc: 0.61,
            stringency: 0.3,
            at_risk: at_risk(&policy, 2, 0.3),
        };
        let d = Dynamic {
            china_share: x.china_share,
            us_share: x.us_share,
            peer: x.peer,
            bloc: x.bloc,
            stringency: x.stringency,
            at_risk: x.at_risk,
            shock: x.shock,
            summit: x.summit,
        };
        for before in [false, true] {
            let sum = total(&utility_terms(&p, &policy, &x, 0.37, before));
            let u = utility(&p, &policy, &Coefficients::of(&p, &x), &d, 0.37, before);
            assert!((sum - u).abs() < 1e-12, "{sum} vs {u}");
        }
    }

    #[test]
    fn export_controls_cut_both_ways() {
        // A tier-2 state: tightening its own tier pushes it in (less left to lose),
        // tightening tier 3, where retaliation would move it, holds it back.
        let p = Params::default();
        let utility_at = |tier2: f64, tier3: f64| {
            let policy = Policy {
                retaliation: 0.5,
                stringency: crate::scenario::Stringency {
                    tier1: 0.0,
                    tier2,
                    tier3,
                },
                ..Policy::default()
            };
            let x = Inputs {
                chip_dependence: 1.0,
                stringency: tier2,
                at_risk: at_risk(&policy, 2, tier2),
                ..Inputs::default()
            };
            total(&utility_terms(&p, &policy, &x, 0.0, false))
        };
        let base = utility_at(0.3, 0.9);
        let h = 0.01;
        // The derivatives of docs/MODEL.md section 5, at_risk > 0.
        let d_own = (utility_at(0.3 + h, 0.9) - base) / h;
        let d_punished = (utility_at(0.3, 0.9 + h) - base) / h;
        let want_own = p.beta_push + p.beta_deter * 0.5;
        assert!((d_own - want_own).abs() < 1e-9, "{d_own} vs {want_own}");
        assert!(
            (d_punished + p.beta_deter * 0.5).abs() < 1e-9,
            "{d_punished}"
        );
        // With nothing at risk (tier 3 as loose as tier 2), only the push remains.
        let flat = utility_at(0.5, 0.5);
        let d_flat = (utility_at(0.5 + h, 0.5 + h) - flat) / h;
        assert!((d_flat - p.beta_push).abs() < 1e-9, "{d_flat}");
        // Tier 3 has nothing at risk unless it holds a deal.
        let policy = Policy::default();
        assert_eq!(at_risk(&policy, 3, policy.stringency.tier3), 0.0);
        assert!(at_risk(&policy, 3, 0.05) > 0.8);
        assert_eq!(at_risk(&policy, 1, 0.0), policy.stringency.tier2);
    }

    #[test]
    fn the_deadline_pulls_reviews_as_it_nears() {
        let p = Params {
            deadline_pull: 4.0,
            deadline_horizon: 0.25,
            ..Params::default()
        };
        assert_eq!(
            deadline_factor(&Params::default(), Some(0.01)),
            1.0,
            "off by default"
        );
        assert_eq!(deadline_factor(&p, None), 1.0, "no deadline");
        assert_eq!(deadline_factor(&p, Some(0.0)), 1.0, "from the deadline on");
        assert_eq!(deadline_factor(&p, Some(-1.0)), 1.0);
        let near = deadline_factor(&p, Some(0.05));
        let far = deadline_factor(&p, Some(1.0));
        assert!((near - (1.0 + 4.0 * (-0.2f64).exp())).abs() < 1e-12);
        assert!(far < near && far > 1.0);
    }
}
