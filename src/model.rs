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
    /// `-beta_deter * chip_dependence * (1 - stringency) * retaliation`.
    Deter,
    /// `-beta_pressure * us_ally * pressure`.
    Pressure,
    /// `-beta_democracy * democracy`.
    Democracy,
    /// The state's `bias`.
    Bias,
    /// Accumulated shocks (events, deal clauses).
    Shock,
    /// The utility boost of a summit in progress.
    Summit,
}

impl Term {
    /// Every term, in equation order.
    pub const ALL: [Term; 17] = [
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
            Term::Deter => "US retaliation risk",
            Term::Pressure => "US pressure on allies",
            Term::Democracy => "democratic standards",
            Term::Bias => "state-specific bias",
            Term::Shock => "shocks and deal clauses",
            Term::Summit => "summit boost",
        }
    }
}

/// The value of every utility term for one state, indexed by [`Term`].
pub type Terms = [f64; 17];

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
}

/// The parts of a state's utility fixed for a run (weights times static attributes),
/// computed once per scenario so that evaluating a state costs a dozen operations.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Coefficients {
    /// `beta_0 + size + affinity + align + democracy + bias` terms.
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
    let founding = if before_deadline {
        p.beta_founding
    } else {
        0.0
    };
    c.fixed
        + p.beta_trade * (d.china_share - d.us_share)
        + c.need * policy.offer
        + p.beta_peer * d.peer
        + p.beta_bloc * d.bloc
        + p.beta_legit * legit
        + founding
        + c.push * d.stringency
        - c.deter * (1.0 - d.stringency) * policy.retaliation
        - c.pressure * policy.pressure
        + d.shock
        + d.summit
}

/// The utility terms of section 5 for one state.
pub fn utility_terms(
    p: &Params,
    policy: &Policy,
    x: &Inputs,
    legit: f64,
    before_deadline: bool,
) -> Terms {
    let mut t = [0.0; 17];
    t[Term::Base as usize] = p.beta_0;
    t[Term::Size as usize] = p.beta_size * x.size_z;
    t[Term::Affinity as usize] = p.beta_affinity * x.affinity;
    t[Term::Align as usize] = p.beta_align * x.alignment;
    t[Term::Trade as usize] = p.beta_trade * (x.china_share - x.us_share);
    t[Term::Need as usize] = p.beta_need * (1.0 - x.ai_capacity) * policy.offer;
    t[Term::Peer as usize] = p.beta_peer * x.peer;
    t[Term::Bloc as usize] = p.beta_bloc * x.bloc;
    t[Term::Legit as usize] = p.beta_legit * legit;
    t[Term::Founding as usize] = if before_deadline {
        p.beta_founding
    } else {
        0.0
    };
    t[Term::Push as usize] = p.beta_push * x.chip_dependence * x.stringency;
    t[Term::Deter as usize] =
        -p.beta_deter * x.chip_dependence * (1.0 - x.stringency) * policy.retaliation;
    t[Term::Pressure as usize] = -p.beta_pressure * x.us_ally * policy.pressure;
    t[Term::Democracy as usize] = -p.beta_democracy * x.democracy;
    t[Term::Bias as usize] = x.bias;
    t[Term::Shock as usize] = x.shock;
    t[Term::Summit as usize] = x.summit;
    t
}

/// The sum of the terms, `U_i`.
pub fn total(terms: &Terms) -> f64 {
    terms.iter().sum()
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
            bias: -0.2,
            shock: 0.15,
            summit: 0.05,
            peer: 0.42,
            bloc: 0.61,
            stringency: 0.3,
        };
        let d = Dynamic {
            china_share: x.china_share,
            us_share: x.us_share,
            peer: x.peer,
            bloc: x.bloc,
            stringency: x.stringency,
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
    fn export_controls_push_the_cut_off_and_deter_the_connected() {
        let p = Params::default();
        let policy = Policy {
            retaliation: 0.5,
            ..Policy::default()
        };
        let x = Inputs {
            chip_dependence: 1.0,
            ..Inputs::default()
        };
        let open = utility_terms(
            &p,
            &policy,
            &Inputs {
                stringency: 0.0,
                ..x
            },
            0.0,
            false,
        );
        let shut = utility_terms(
            &p,
            &policy,
            &Inputs {
                stringency: 1.0,
                ..x
            },
            0.0,
            false,
        );
        assert!(open[Term::Deter as usize] < 0.0 && open[Term::Push as usize] == 0.0);
        assert!(shut[Term::Push as usize] > 0.0 && shut[Term::Deter as usize] == 0.0);
        assert!(total(&shut) > total(&open));
    }
}
