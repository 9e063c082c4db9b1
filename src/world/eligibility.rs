//! Who may join, and why not (docs/MODEL.md section 5, "Eligibility").
//!
//! Before any utility, a state may be barred from the body: the opposing power (unless the
//! scenario lets it join), a territory that is not a separate actor (`sovereign = 0` in the
//! world file, unless the scenario admits it as a non-sovereign participant), a state the
//! scenario bars with a stated reason (`[[eligibility.bar]]`), and a state that does not
//! recognise the host's government (`recognises_host = 0`; a `recognition` event switches
//! it at a date). The host is a member from the start whatever its attributes.
//!
//! A state's reasons are a small set, [`Bars`], fixed at the start ([`initial_bars`]) and
//! kept on its [`super::components::Membership`]; only `recognition` events change them
//! during a run. A barred state never reviews, is never courted, stays outside, and is
//! listed with its reasons in every output. Validation uses [`first_barred_join`] to
//! reject initial statuses and `decide` events that would put a barred state in.

use std::sync::Arc;

use super::Nation;

/// Why a state may not join: a set of reasons, empty when it may.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bars(u8);

impl Bars {
    /// No reason: the state may join.
    pub const NONE: Bars = Bars(0);
    /// The opposing power, which the scenario does not let join.
    pub const OPPONENT: Bars = Bars(1);
    /// A territory, not a separate actor, and not admitted by the scenario.
    pub const TERRITORY: Bars = Bars(2);
    /// Barred by the scenario, with its stated reason.
    pub const BARRED: Bars = Bars(4);
    /// Does not recognise the host's government.
    pub const NO_RECOGNITION: Bars = Bars(8);

    /// Every reason, in the order they are reported, with its short code.
    pub const CODES: [(Bars, &'static str); 4] = [
        (Bars::OPPONENT, "opponent"),
        (Bars::TERRITORY, "territory"),
        (Bars::BARRED, "barred"),
        (Bars::NO_RECOGNITION, "no_recognition"),
    ];

    /// Whether nothing bars the state.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether `reason` is among the reasons.
    pub fn contains(self, reason: Bars) -> bool {
        self.0 & reason.0 == reason.0
    }

    /// These reasons with `reason` added (`on`) or taken away.
    pub fn with(self, reason: Bars, on: bool) -> Bars {
        if on {
            Bars(self.0 | reason.0)
        } else {
            Bars(self.0 & !reason.0)
        }
    }

    /// The reasons' short codes joined by `;` (`territory;no_recognition`), empty when
    /// nothing bars the state: the `ineligible` column of `nations.csv`.
    pub fn codes(self) -> String {
        let codes: Vec<&str> = Bars::CODES
            .iter()
            .filter(|(b, _)| self.contains(*b))
            .map(|(_, c)| *c)
            .collect();
        codes.join(";")
    }

    /// Parses the `ineligible` column back (`None` for an unknown code).
    pub fn parse(text: &str) -> Option<Bars> {
        let mut bars = Bars::NONE;
        for code in text.split(';').filter(|c| !c.is_empty()) {
            let (b, _) = Bars::CODES.iter().find(|(_, c)| *c == code)?;
            bars = bars.with(*b, true);
        }
        Some(bars)
    }
}

/// A scenario's own eligibility rules (`[eligibility]`), validated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rules {
    /// Territories admitted as non-sovereign participants, sorted by state.
    pub admitted: Vec<u32>,
    /// States the scenario bars, with the stated reason, sorted by state.
    pub barred: Vec<(u32, Arc<str>)>,
}

impl Rules {
    /// The reason the scenario gives for barring state `i`, if it does.
    pub fn bar_reason(&self, i: u32) -> Option<&str> {
        self.barred
            .binary_search_by_key(&i, |b| b.0)
            .ok()
            .map(|k| &*self.barred[k].1)
    }
}

/// Who a state is for eligibility: the host is always in; the opponent is barred unless
/// the scenario lets it join.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// The host.
    Host,
    /// The opposing power, and whether it may join.
    Opponent {
        /// `body.opponent_may_join`.
        may_join: bool,
    },
    /// Any other state.
    State,
}

/// The reasons that bar state `i` at the start of a run.
pub fn initial_bars(nation: &Nation, i: u32, standing: Standing, rules: &Rules) -> Bars {
    if standing == Standing::Host {
        return Bars::NONE;
    }
    let admitted = rules.admitted.binary_search(&i).is_ok();
    Bars::NONE
        .with(
            Bars::OPPONENT,
            standing == (Standing::Opponent { may_join: false }),
        )
        .with(Bars::TERRITORY, !nation.sovereign && !admitted)
        .with(Bars::BARRED, rules.bar_reason(i).is_some())
        .with(Bars::NO_RECOGNITION, !nation.recognises_host)
}

/// Every state's bars at the start of a run with this host, opponent and rules.
pub fn start_bars(
    nations: &[Nation],
    host: u32,
    opponent: Option<u32>,
    opponent_may_join: bool,
    rules: &Rules,
) -> Vec<Bars> {
    (0..nations.len() as u32)
        .map(|i| {
            let standing = if i == host {
                Standing::Host
            } else if Some(i) == opponent {
                Standing::Opponent {
                    may_join: opponent_may_join,
                }
            } else {
                Standing::State
            };
            initial_bars(&nations[i as usize], i, standing, rules)
        })
        .collect()
}

/// Why `bars` keep a state out, in a sentence's words ("it is not a sovereign state ...;
/// it does not recognise ..."); `barred` is the scenario's stated reason, if barred.
pub fn describe(bars: Bars, barred: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if bars.contains(Bars::OPPONENT) {
        parts.push(
            "it is the opposing power, which may not join (`body.opponent_may_join` is false)"
                .to_owned(),
        );
    }
    if bars.contains(Bars::TERRITORY) {
        parts.push(
            "it is a territory, not a separate actor (`sovereign = 0` in the world file), and the scenario does not admit it as a non-sovereign participant"
                .to_owned(),
        );
    }
    if bars.contains(Bars::BARRED) {
        parts.push(format!(
            "the scenario bars it: {}",
            barred.unwrap_or("(no reason recorded)")
        ));
    }
    if bars.contains(Bars::NO_RECOGNITION) {
        parts
            .push("it does not recognise the host's government (`recognises_host = 0`)".to_owned());
    }
    parts.join("; ")
}

/// How to make a state with these bars eligible, for validation errors.
pub fn fix(bars: Bars, code: &str) -> String {
    if bars.contains(Bars::OPPONENT) {
        "set [body] opponent_may_join = true, or leave it out".to_owned()
    } else if bars.contains(Bars::TERRITORY) {
        format!(
            "leave it out, or admit it as a non-sovereign participant with [eligibility] admit = [\"{code}\"]"
        )
    } else if bars.contains(Bars::BARRED) {
        "leave it out, or remove it from [[eligibility.bar]]".to_owned()
    } else {
        format!(
            "leave it out, or add a `recognition` event with recognises = true for {code} before this date (or set [states.{code}] recognises_host = 1)"
        )
    }
}

/// A step of a scenario's timeline that eligibility cares about, in the order the run
/// applies them.
#[derive(Clone, Debug, PartialEq)]
pub enum Step<'a> {
    /// A `recognition` event: the states switch recognition, until `revert` (a tick).
    Recognition {
        /// The states.
        states: &'a [u32],
        /// Whether they recognise the host from now on.
        recognises: bool,
        /// The tick at whose start the switch reverts, if it does.
        revert: Option<u32>,
    },
    /// States put in (initial members and partners, or a `decide` event to partner or
    /// member).
    Join {
        /// The states.
        states: &'a [u32],
    },
}

/// A pending reversion of a recognition switch: the tick at whose start it applies, the
/// order in which the switch was applied, and the flags to restore (state, recognised).
type Reversion = (u32, usize, Vec<(u32, bool)>);

/// Replays the steps, each with the tick it happens in (steps sorted as the run applies
/// them: by tick, then file order), starting from `initial` bars, the way the run applies
/// and reverts recognition switches, and returns the first join of a barred state: the
/// step's index, the state and its bars then.
pub fn first_barred_join(
    initial: &[Bars],
    steps: &[(u32, Step<'_>)],
) -> Option<(usize, u32, Bars)> {
    let mut bars = initial.to_vec();
    let mut reverts: Vec<Reversion> = Vec::new();
    for (k, (tick, step)) in steps.iter().enumerate() {
        // Reversions due by this tick, the latest applied first (as systems/events.rs).
        let (mut due, later): (Vec<_>, Vec<_>) = reverts.drain(..).partition(|r| r.0 <= *tick);
        reverts = later;
        due.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (_, _, restore) in due {
            for (i, recognised) in restore {
                let b = &mut bars[i as usize];
                *b = b.with(Bars::NO_RECOGNITION, !recognised);
            }
        }
        match step {
            Step::Recognition {
                states,
                recognises,
                revert,
            } => {
                let mut before = Vec::with_capacity(states.len());
                for &i in *states {
                    let b = &mut bars[i as usize];
                    before.push((i, !b.contains(Bars::NO_RECOGNITION)));
                    *b = b.with(Bars::NO_RECOGNITION, !recognises);
                }
                if let Some(t) = revert {
                    reverts.push((*t, k, before));
                }
            }
            Step::Join { states } => {
                if let Some(&i) = states.iter().find(|&&i| !bars[i as usize].is_empty()) {
                    return Some((k, i, bars[i as usize]));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_list_every_reason_and_read_back() {
        let b = Bars::NONE
            .with(Bars::TERRITORY, true)
            .with(Bars::NO_RECOGNITION, true);
        assert_eq!(b.codes(), "territory;no_recognition");
        assert_eq!(Bars::parse(&b.codes()), Some(b));
        assert_eq!(Bars::NONE.codes(), "");
        assert_eq!(Bars::parse(""), Some(Bars::NONE));
        assert_eq!(Bars::parse("nope"), None);
        assert!(
            b.with(Bars::TERRITORY, false)
                .contains(Bars::NO_RECOGNITION)
        );
        assert!(!b.with(Bars::TERRITORY, false).contains(Bars::TERRITORY));
    }

    #[test]
    fn recognition_switches_make_joins_valid_from_their_date() {
        let initial = [Bars::NO_RECOGNITION, Bars::NONE];
        let switch = [0u32];
        let both = [0u32, 1];
        // A join before the switch fails; after it, it passes; after the switch reverts
        // (tick 5), it fails again.
        let steps = vec![
            (1, Step::Join { states: &both }),
            (
                2,
                Step::Recognition {
                    states: &switch,
                    recognises: true,
                    revert: Some(5),
                },
            ),
        ];
        assert_eq!(
            first_barred_join(&initial, &steps),
            Some((0, 0, Bars::NO_RECOGNITION))
        );
        let mut later = steps[1..].to_vec();
        later.push((3, Step::Join { states: &both }));
        assert_eq!(first_barred_join(&initial, &later), None);
        later.push((5, Step::Join { states: &switch }));
        assert_eq!(
            first_barred_join(&initial, &later),
            Some((2, 0, Bars::NO_RECOGNITION))
        );
    }
}
