//! Scheduled events: the validated form of `[[events]]` entries, and their validation.
//!
//! Each event has a date, optionally an `until` after which its change reverts, and an
//! [`Action`]. Which keys an entry may carry depends on its kind; the table [`KINDS`] is the
//! single source of truth for that, for validation, errors and docs/SCENARIOS.md alike.

use super::error::{ScenarioError, did_you_mean};
use super::file::EventEntry;
use super::validate::Resolver;
use crate::model::Status;
use crate::time::Date;

/// A validated event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Position in the file (0-based), for ordering same-date events and for errors.
    pub index: usize,
    /// When it happens.
    pub date: Date,
    /// When its change reverts, if ever.
    pub until: Option<Date>,
    /// A short label for charts and events.csv.
    pub label: std::sync::Arc<str>,
    /// The cited source.
    pub source: String,
    /// What it does.
    pub action: Action,
}

/// What an event changes.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Set (or add to) China's offer level.
    Offer {
        /// The level, or the amount added.
        value: f64,
        /// Whether `value` is added rather than set.
        add: bool,
    },
    /// Set the stringency of one export tier.
    ExportControls {
        /// The tier (1-3).
        tier: u8,
        /// The new stringency.
        stringency: f64,
    },
    /// Move states to another tier.
    TierChange {
        /// The states moved.
        states: Vec<u32>,
        /// The new tier.
        tier: u8,
    },
    /// A bilateral US chip deal: the states get their own stringency.
    ChipDeal {
        /// The states.
        states: Vec<u32>,
        /// Their stringency under the deal.
        stringency: f64,
    },
    /// A trade deal between `partner` and each state.
    TradeDeal {
        /// The other party.
        partner: u32,
        /// The states signing.
        states: Vec<u32>,
        /// Rise in the partner's weight in each state's trade row (and back).
        weight: f64,
        /// Rise in the state's trade share with the partner (host or opponent only).
        share: f64,
        /// Utility clause: positive for an accession clause, negative for no-accession.
        clause: f64,
    },
    /// Set US pressure.
    Pressure {
        /// The new level.
        value: f64,
    },
    /// Set the US retaliation probability.
    Retaliation {
        /// The new level.
        value: f64,
    },
    /// A summit: attendees review more often and may get a utility boost while it lasts.
    Summit {
        /// The attendees.
        states: Vec<u32>,
        /// Factor on their review rate.
        multiplier: f64,
        /// Utility boost while the summit lasts.
        boost: f64,
    },
    /// Add to the states' utility.
    Shock {
        /// The states.
        states: Vec<u32>,
        /// The amount.
        value: f64,
    },
    /// Force the states' status; they do not review until `until`.
    Decide {
        /// The states.
        states: Vec<u32>,
        /// The status they take.
        status: Status,
    },
    /// The states switch recognition to (or from) the host's government: eligibility
    /// follows, and a member or partner that stops recognising the host leaves.
    Recognition {
        /// The states.
        states: Vec<u32>,
        /// Whether they recognise the host from this date.
        recognises: bool,
    },
    /// A truce: lower stringencies and pressure until a date.
    Truce {
        /// Factor on every tier's stringency.
        stringency_scale: Option<f64>,
        /// New US pressure.
        pressure: Option<f64>,
        /// New US retaliation level.
        retaliation: Option<f64>,
    },
}

/// Keys every event may carry.
pub const COMMON_KEYS: [&str; 5] = ["date", "kind", "until", "label", "source"];

/// Keys that pick the states an event applies to (any combination; their union).
pub const TARGET_KEYS: [&str; 4] = ["state", "states", "bloc", "region"];

/// One event kind: its name, what it does, its required and optional keys, and whether
/// it applies to states.
pub struct KindSpec {
    /// The `kind` value.
    pub name: &'static str,
    /// One line for docs and errors.
    pub summary: &'static str,
    /// Keys that must be present (besides date and kind).
    pub required: &'static [&'static str],
    /// Keys that may be present.
    pub optional: &'static [&'static str],
    /// Whether the event needs target keys.
    pub targets: bool,
}

/// Every event kind.
pub const KINDS: [KindSpec; 12] = [
    KindSpec {
        name: "offer",
        summary: "set China's offer level (or add to it with mode = \"add\")",
        required: &["value"],
        optional: &["mode"],
        targets: false,
    },
    KindSpec {
        name: "export_controls",
        summary: "set the stringency of one export tier",
        required: &["tier", "stringency"],
        optional: &[],
        targets: false,
    },
    KindSpec {
        name: "tier_change",
        summary: "move states to another export tier",
        required: &["tier"],
        optional: &[],
        targets: true,
    },
    KindSpec {
        name: "chip_deal",
        summary: "a bilateral US chip deal giving states their own stringency",
        required: &["stringency"],
        optional: &[],
        targets: true,
    },
    KindSpec {
        name: "trade_deal",
        summary: "a trade deal between a partner and states, with an optional clause",
        required: &["partner"],
        optional: &["weight", "share", "clause", "clause_value"],
        targets: true,
    },
    KindSpec {
        name: "pressure",
        summary: "set US diplomatic pressure",
        required: &["value"],
        optional: &[],
        targets: false,
    },
    KindSpec {
        name: "retaliation",
        summary: "set the probability that the US punishes joiners",
        required: &["value"],
        optional: &[],
        targets: false,
    },
    KindSpec {
        name: "summit",
        summary: "attendees review more often (and get an optional boost) while it lasts",
        required: &[],
        optional: &["multiplier", "boost"],
        targets: true,
    },
    KindSpec {
        name: "shock",
        summary: "add to the utility of states",
        required: &["value"],
        optional: &[],
        targets: true,
    },
    KindSpec {
        name: "decide",
        summary: "force states' status (historical decisions); they hold it until `until`",
        required: &["status"],
        optional: &[],
        targets: true,
    },
    KindSpec {
        name: "recognition",
        summary: "states switch recognition to or from the host's government (eligibility follows)",
        required: &["recognises"],
        optional: &[],
        targets: true,
    },
    KindSpec {
        name: "truce",
        summary: "scale stringencies down and set pressure/retaliation until a date",
        required: &["until"],
        optional: &["stringency_scale", "pressure", "retaliation"],
        targets: false,
    },
];

/// Default review-rate factor of a summit.
pub const DEFAULT_SUMMIT_MULTIPLIER: f64 = 3.0;
/// Default trade-row weight a trade deal adds.
pub const DEFAULT_DEAL_WEIGHT: f64 = 0.05;
/// Default trade-share rise of a deal with the host or opponent.
pub const DEFAULT_DEAL_SHARE: f64 = 0.02;
/// Default size of a deal clause.
pub const DEFAULT_CLAUSE_VALUE: f64 = 0.25;

impl EventEntry {
    /// The optional keys this entry gives, in a fixed order.
    pub fn given_keys(&self) -> Vec<&'static str> {
        let flags = [
            ("until", self.until.is_some()),
            ("label", self.label.is_some()),
            ("source", self.source.is_some()),
            ("value", self.value.is_some()),
            ("mode", self.mode.is_some()),
            ("tier", self.tier.is_some()),
            ("stringency", self.stringency.is_some()),
            ("state", self.state.is_some()),
            ("states", self.states.is_some()),
            ("bloc", self.bloc.is_some()),
            ("region", self.region.is_some()),
            ("partner", self.partner.is_some()),
            ("weight", self.weight.is_some()),
            ("share", self.share.is_some()),
            ("clause", self.clause.is_some()),
            ("clause_value", self.clause_value.is_some()),
            ("multiplier", self.multiplier.is_some()),
            ("boost", self.boost.is_some()),
            ("status", self.status.is_some()),
            ("stringency_scale", self.stringency_scale.is_some()),
            ("pressure", self.pressure.is_some()),
            ("retaliation", self.retaliation.is_some()),
            ("recognises", self.recognises.is_some()),
        ];
        flags.iter().filter(|f| f.1).map(|f| f.0).collect()
    }
}

/// Validates event `i` of the file.
pub(crate) fn validate_event(
    r: &Resolver<'_>,
    i: usize,
    e: &EventEntry,
) -> Result<Event, ScenarioError> {
    let path = |key: &str| format!("events[{i}].{key}");
    let err = |key: &str, msg: String| r.error(&path(key), msg);
    let names = KINDS.iter().map(|k| k.name);
    let Some(spec) = KINDS.iter().find(|k| k.name == e.kind) else {
        return Err(err("kind", format!("unknown event kind `{}`", e.kind))
            .maybe_help(did_you_mean(&e.kind, names)));
    };
    for key in e.given_keys() {
        let allowed = COMMON_KEYS.contains(&key)
            || spec.required.contains(&key)
            || spec.optional.contains(&key)
            || (spec.targets && TARGET_KEYS.contains(&key));
        if !allowed {
            let mut takes: Vec<&str> = spec.required.iter().chain(spec.optional).copied().collect();
            if spec.targets {
                takes.extend(TARGET_KEYS);
            }
            return Err(
                err(key, format!("a `{}` event does not use `{key}`", spec.name)).help(format!(
                    "remove it; a `{}` event takes {}",
                    spec.name,
                    if takes.is_empty() {
                        "only date, until, label and source".to_owned()
                    } else {
                        takes.join(", ")
                    }
                )),
            );
        }
    }
    let given = e.given_keys();
    for key in spec.required {
        if !given.contains(key) {
            return Err(r
                .error(
                    &format!("events[{i}]"),
                    format!("a `{}` event needs `{key}`", spec.name),
                )
                .help(format!("add `{key} = ...` to this event")));
        }
    }
    for (key, text) in [("label", &e.label), ("source", &e.source)] {
        if let Some(text) = text {
            r.text(&path(key), text)?;
        }
    }
    let date = r.date(&path("date"), &e.date)?;
    r.within_run(&path("date"), date)?;
    let until = match &e.until {
        None => None,
        Some(v) => {
            let u = r.date(&path("until"), v)?;
            if u <= date {
                return Err(err(
                    "until",
                    format!("`until` ({u}) is not after the event's date ({date})"),
                )
                .help("give a later date, or remove `until` to make the change permanent"));
            }
            Some(u)
        }
    };
    let targets = |what: &str| -> Result<Vec<u32>, ScenarioError> {
        let states = r.targets(i, e)?;
        if states.is_empty() {
            return Err(r
                .error(
                    &format!("events[{i}]"),
                    format!("this `{what}` event names no state"),
                )
                .help("add `state`, `states`, `bloc` or `region`"));
        }
        Ok(states)
    };
    let num = |key: &str, value: Option<f64>, lo: f64, hi: f64| -> Result<f64, ScenarioError> {
        r.number(&path(key), value.unwrap_or(0.0), lo, hi)
    };
    let tier = |value: Option<i64>| -> Result<u8, ScenarioError> {
        match value {
            Some(t @ 1..=3) => Ok(t as u8),
            other => Err(err(
                "tier",
                format!("{} is not an export tier", other.unwrap_or(0)),
            )
            .help("write 1, 2 or 3")),
        }
    };
    let action = match spec.name {
        "offer" => {
            let add = match e.mode.as_deref() {
                None | Some("set") => false,
                Some("add") => true,
                Some(other) => {
                    return Err(err("mode", format!("unknown mode `{other}`"))
                        .help("write \"set\" or \"add\""));
                }
            };
            let lo = if add { -1e6 } else { 0.0 };
            Action::Offer {
                value: num("value", e.value, lo, 1e6)?,
                add,
            }
        }
        "export_controls" => Action::ExportControls {
            tier: tier(e.tier)?,
            stringency: num("stringency", e.stringency, 0.0, 1.0)?,
        },
        "tier_change" => Action::TierChange {
            states: targets("tier_change")?,
            tier: tier(e.tier)?,
        },
        "chip_deal" => Action::ChipDeal {
            states: targets("chip_deal")?,
            stringency: num("stringency", e.stringency, 0.0, 1.0)?,
        },
        "trade_deal" => {
            let partner_code = e.partner.as_deref().unwrap_or_default();
            let partner = r.state(&path("partner"), partner_code)?;
            let states = targets("trade_deal")?;
            if states.contains(&partner) {
                return Err(err(
                    "partner",
                    format!("{partner_code} cannot sign a deal with itself"),
                )
                .help("remove it from the event's states"));
            }
            let sign = match e.clause.as_deref() {
                None | Some("none") => 0.0,
                Some("accession") => 1.0,
                Some("no_accession") => -1.0,
                Some(other) => {
                    return Err(err("clause", format!("unknown clause `{other}`"))
                        .maybe_help(did_you_mean(other, ["none", "accession", "no_accession"])));
                }
            };
            if sign == 0.0 && e.clause_value.is_some() {
                return Err(err("clause_value", "`clause_value` needs a clause".into())
                    .help("add clause = \"accession\" or \"no_accession\""));
            }
            Action::TradeDeal {
                partner,
                states,
                weight: num("weight", e.weight.or(Some(DEFAULT_DEAL_WEIGHT)), 0.0, 100.0)?,
                share: num("share", e.share.or(Some(DEFAULT_DEAL_SHARE)), 0.0, 1.0)?,
                clause: sign
                    * num(
                        "clause_value",
                        e.clause_value.or(Some(DEFAULT_CLAUSE_VALUE)),
                        0.0,
                        1e6,
                    )?,
            }
        }
        "pressure" => Action::Pressure {
            value: num("value", e.value, 0.0, 1e6)?,
        },
        "retaliation" => Action::Retaliation {
            value: num("value", e.value, 0.0, 1.0)?,
        },
        "summit" => Action::Summit {
            states: targets("summit")?,
            // Summits multiply (and, ending, divide) a review factor: a zero would divide
            // by zero, and dozens of overlapping huge factors overflow.
            multiplier: num(
                "multiplier",
                e.multiplier.or(Some(DEFAULT_SUMMIT_MULTIPLIER)),
                1e-3,
                1e3,
            )?,
            boost: num("boost", e.boost, -1e6, 1e6)?,
        },
        "shock" => Action::Shock {
            states: targets("shock")?,
            value: num("value", e.value, -1e6, 1e6)?,
        },
        "decide" => {
            let text = e.status.as_deref().unwrap_or_default();
            let Some(status) = Status::parse(text) else {
                return Err(err("status", format!("unknown status `{text}`"))
                    .maybe_help(did_you_mean(text, Status::NAMES)));
            };
            let states = targets("decide")?;
            r.check_decidable(&path("states"), &states, status)?;
            Action::Decide { states, status }
        }
        "recognition" => Action::Recognition {
            states: targets("recognition")?,
            recognises: e.recognises.unwrap_or(true),
        },
        "truce" => {
            if e.stringency_scale.is_none() && e.pressure.is_none() && e.retaliation.is_none() {
                return Err(r
                    .error(&format!("events[{i}]"), "this truce changes nothing")
                    .help("add stringency_scale, pressure or retaliation"));
            }
            let opt = |key: &str, v: Option<f64>, hi: f64| -> Result<Option<f64>, ScenarioError> {
                v.map(|x| r.number(&path(key), x, 0.0, hi)).transpose()
            };
            Action::Truce {
                stringency_scale: opt("stringency_scale", e.stringency_scale, 1.0)?,
                pressure: opt("pressure", e.pressure, 1e6)?,
                retaliation: opt("retaliation", e.retaliation, 1.0)?,
            }
        }
        _ => unreachable!("every kind in KINDS is handled"),
    };
    Ok(Event {
        index: i,
        date,
        until,
        label: e
            .label
            .clone()
            .unwrap_or_else(|| spec.name.replace('_', " "))
            .into(),
        source: e.source.clone().unwrap_or_default(),
        action,
    })
}

impl Action {
    /// The event kind's name.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Offer { .. } => "offer",
            Action::ExportControls { .. } => "export_controls",
            Action::TierChange { .. } => "tier_change",
            Action::ChipDeal { .. } => "chip_deal",
            Action::TradeDeal { .. } => "trade_deal",
            Action::Pressure { .. } => "pressure",
            Action::Retaliation { .. } => "retaliation",
            Action::Summit { .. } => "summit",
            Action::Shock { .. } => "shock",
            Action::Decide { .. } => "decide",
            Action::Recognition { .. } => "recognition",
            Action::Truce { .. } => "truce",
        }
    }
}
