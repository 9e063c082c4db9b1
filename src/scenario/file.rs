//! The serde image of a scenario file: exactly what TOML may say, with defaults, and no
//! more (`deny_unknown_fields` everywhere). Validation turns it into a [`super::Scenario`].
//!
//! The defaults of `[params]`, `[policy]` and `[strategies]` are the model's documented
//! defaults (docs/MODEL.md explains how each was chosen).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A whole scenario file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// `[scenario]`: name, dates, tick, seed, world.
    pub scenario: ScenarioSection,
    /// `[body]`: the body, its host and opponent.
    #[serde(default)]
    pub body: BodySection,
    /// `[params]`: the weights of the utility and decision model.
    #[serde(default)]
    pub params: Params,
    /// `[policy]`: initial levels of the powers' levers.
    #[serde(default)]
    pub policy: Policy,
    /// `[strategies]`: the powers' endogenous strategies.
    #[serde(default)]
    pub strategies: StrategiesSection,
    /// `[eligibility]`: territories admitted and states barred by the scenario.
    #[serde(default, skip_serializing_if = "EligibilitySection::is_empty")]
    pub eligibility: EligibilitySection,
    /// `[[events]]`: dated exogenous changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventEntry>,
    /// `[states.ISO3]`: per-state overrides of world attributes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub states: BTreeMap<String, StateOverride>,
}

/// `[scenario]`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSection {
    /// Short name, used for the output folder.
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// First date (tick 0).
    pub start: toml::Value,
    /// Last date.
    pub end: toml::Value,
    /// `day`, `week` or `month`.
    #[serde(default = "default_tick")]
    pub tick: String,
    /// The run's seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// A world file (path relative to the scenario file); the shipped world when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub world: Option<String>,
    /// A trade edge-list file, `"builtin"` (the default) or `"none"` (gravity only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade: Option<String>,
    /// `trade` (the trade network) or `global` (everyone watches everyone equally).
    #[serde(default = "default_network")]
    pub network: String,
}

fn default_tick() -> String {
    "month".into()
}
fn default_seed() -> u64 {
    1
}
fn default_network() -> String {
    "trade".into()
}

/// `[body]`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BodySection {
    /// The body's name, for titles.
    pub name: String,
    /// The host power (a member from the start, never leaves).
    pub host: String,
    /// The opposing power; empty for none.
    pub opponent: String,
    /// Whether the opposing power may join.
    pub opponent_may_join: bool,
    /// While the date is before this, `beta_founding` applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub founding_deadline: Option<toml::Value>,
    /// Whether the partner tier exists.
    pub partner_tier: bool,
    /// Blocs counted for bloc exposure; every bloc of the world when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocs: Option<Vec<String>>,
    /// States that are members at the start (besides the host).
    pub initial_members: Vec<String>,
    /// States that are partners at the start.
    pub initial_partners: Vec<String>,
}

impl Default for BodySection {
    fn default() -> Self {
        BodySection {
            name: "WAICO".into(),
            host: "CHN".into(),
            opponent: "USA".into(),
            opponent_may_join: false,
            founding_deadline: None,
            partner_tier: true,
            blocs: None,
            initial_members: Vec::new(),
            initial_partners: Vec::new(),
        }
    }
}

/// `[eligibility]`: who may join beyond what the world file says (docs/MODEL.md section 5).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct EligibilitySection {
    /// Territories (`sovereign = 0`) admitted as non-sovereign participants.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub admit: Vec<String>,
    /// `[[eligibility.bar]]`: states barred, each entry with its stated reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bar: Vec<BarEntry>,
}

impl EligibilitySection {
    /// Whether the section says nothing.
    pub fn is_empty(&self) -> bool {
        self.admit.is_empty() && self.bar.is_empty()
    }
}

/// One `[[eligibility.bar]]` entry.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BarEntry {
    /// The states barred.
    pub states: Vec<String>,
    /// Why, with its source: shown in outputs and explanations.
    pub reason: String,
}

/// A yes-or-no world attribute in a `[states.ISO3]` override: `true`/`false` or, as in the
/// world file, `1`/`0`.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Flag {
    /// `true` or `false`.
    Bool(bool),
    /// `1` or `0` (other integers are rejected by validation).
    Int(i64),
}

/// `[params]`: every weight of the utility (section 5 of the model) and the decision rule
/// (section 6). The field names are the scenario keys.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// Constant.
    pub beta_0: f64,
    /// Weight of standardised log GDP.
    pub beta_size: f64,
    /// Weight of the regional affinity table.
    pub beta_affinity: f64,
    /// Weight of UN-vote alignment with the host.
    pub beta_align: f64,
    /// Weight of (host trade share - opponent trade share).
    pub beta_trade: f64,
    /// Weight of (1 - AI capacity) x offer.
    pub beta_need: f64,
    /// Weight of peer exposure on the trade network.
    pub beta_peer: f64,
    /// Weight of bloc exposure.
    pub beta_bloc: f64,
    /// Weight of the body's legitimacy (members' share of non-host GDP).
    pub beta_legit: f64,
    /// Bonus for deciding before the founding deadline.
    pub beta_founding: f64,
    /// Push of export controls on the cut-off: chip dependence x stringency.
    pub beta_push: f64,
    /// Deterrence of chip access at risk: chip dependence x retaliation x
    /// max(0, stringency_if_punished - stringency).
    pub beta_deter: f64,
    /// Weight of US pressure on allies.
    pub beta_pressure: f64,
    /// Weight of liberal democracy (standards distance).
    pub beta_democracy: f64,
    /// Weight of a territorial or maritime dispute with the host (per level, 0-2).
    pub beta_dispute: f64,
    /// Weight of hosting US forces.
    pub beta_forces: f64,
    /// Membership weight of a partner (a member weighs 1).
    pub partner_weight: f64,
    /// Partners kept per state in the trade network.
    pub trade_partners: u32,
    /// Reviews per year.
    pub review_rate: f64,
    /// How much the founding deadline raises review rates as it nears (0: not at all).
    pub deadline_pull: f64,
    /// Years over which the deadline's pull fades with the time left.
    pub deadline_horizon: f64,
    /// Cut point for partner or better.
    pub cut_partner: f64,
    /// Cut point for member.
    pub cut_member: f64,
    /// Logit temperature (0 = deterministic).
    pub tau: f64,
    /// Status-quo bonus for states already in.
    pub inertia: f64,
    /// Regional affinity, by region name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub affinity: BTreeMap<String, f64>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            beta_0: -1.0,
            beta_size: -0.1,
            beta_affinity: 1.0,
            beta_align: 1.2,
            beta_trade: 1.0,
            beta_need: 0.6,
            beta_peer: 1.0,
            beta_bloc: 0.8,
            beta_legit: 1.0,
            beta_founding: 0.3,
            beta_push: 0.8,
            beta_deter: 2.7,
            beta_pressure: 1.2,
            beta_democracy: 1.0,
            beta_dispute: 0.3,
            beta_forces: 0.3,
            partner_weight: 0.5,
            trade_partners: 20,
            review_rate: 2.0,
            deadline_pull: 0.0,
            deadline_horizon: 0.25,
            cut_partner: 0.0,
            cut_member: 1.0,
            tau: 0.35,
            inertia: 0.3,
            affinity: BTreeMap::new(),
        }
    }
}

/// `[policy]`: the initial levels of the powers' levers.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// China's package (open models, compute, training), 0 = nothing, 1 = the 2025 offer.
    pub offer: f64,
    /// US diplomatic pressure on allies, 0-1.
    pub pressure: f64,
    /// Probability that the US punishes a tier-1/2 joiner by moving it down a tier.
    pub retaliation: f64,
    /// Stringency of each export tier.
    pub stringency: Stringency,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            offer: 1.0,
            pressure: 0.5,
            retaliation: 0.2,
            stringency: Stringency::default(),
        }
    }
}

/// `[policy.stringency]`: the share of advanced-chip access denied, per tier.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Stringency {
    /// Tier 1 (closest allies).
    pub tier1: f64,
    /// Tier 2 (everyone else).
    pub tier2: f64,
    /// Tier 3 (embargoed).
    pub tier3: f64,
}

impl Default for Stringency {
    fn default() -> Self {
        // After the AI Diffusion rule's rescission (May 2025): no caps for tier 1, case-by-case
        // licensing for tier 2, the arms-embargo destinations still cut off.
        Stringency {
            tier1: 0.0,
            tier2: 0.3,
            tier3: 0.95,
        }
    }
}

impl Stringency {
    /// The stringency of `tier` (1-3).
    pub fn of(&self, tier: u8) -> f64 {
        // A lookup rather than a branch: tiers vary from state to state without pattern.
        [self.tier3, self.tier1, self.tier2, self.tier3][usize::from(tier.min(3))]
    }

    /// Sets the stringency of `tier` (1-3).
    pub fn set(&mut self, tier: u8, value: f64) {
        match tier {
            1 => self.tier1 = value,
            2 => self.tier2 = value,
            _ => self.tier3 = value,
        }
    }
}

/// `[strategies]`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct StrategiesSection {
    /// The US retaliation rule: a tier-1/2 state that becomes a member is moved one tier
    /// down with probability `policy.retaliation`.
    pub retaliation: bool,
    /// China's courtship deals.
    pub courtship: DealStrategy,
    /// US counter-offers.
    pub counter_offer: DealStrategy,
}

impl Default for StrategiesSection {
    fn default() -> Self {
        StrategiesSection {
            retaliation: true,
            courtship: DealStrategy::default(),
            counter_offer: DealStrategy {
                enabled: Some(false),
                ..DealStrategy::default()
            },
        }
    }
}

/// `[strategies.courtship]` and `[strategies.counter_offer]`: a power signing trade deals
/// on a rhythm with the states its rule picks.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct DealStrategy {
    /// On or off (courtship defaults on, counter-offers off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// How often, e.g. "3 months".
    pub every: String,
    /// Deals per round.
    pub deals: u32,
    /// `swing`, `largest` or `global_south`.
    pub target: String,
    /// Rise in the target's trade share with the power.
    pub share: f64,
    /// Rise in the power's weight in the target's trade row.
    pub weight: f64,
    /// Utility clause: + for the host's accession clause, - for the opponent's.
    pub utility: f64,
    /// Whether a state gets at most one deal from this power per run.
    pub once_per_state: bool,
}

impl Default for DealStrategy {
    fn default() -> Self {
        DealStrategy {
            enabled: None,
            every: "3 months".into(),
            deals: 2,
            target: "swing".into(),
            share: 0.02,
            weight: 0.05,
            utility: 0.25,
            once_per_state: true,
        }
    }
}

/// One `[[events]]` entry. Which keys apply depends on `kind`; validation rejects keys
/// the kind does not use.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct EventEntry {
    pub date: toml::Value,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<toml::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stringency: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub states: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bloc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boost: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stringency_scale: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pressure: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retaliation: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognises: Option<bool>,
}

/// `[states.ISO3]`: overrides of one state's world attributes.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct StateOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subregion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdp_usd_bn: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alignment: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub china_trade_share: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub us_trade_share: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_capacity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chip_dependence: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_tier: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub us_ally: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub democracy: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocs: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognises_host: Option<Flag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sovereign: Option<Flag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispute_with_host: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosts_us_forces: Option<Flag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alignment_stale: Option<Flag>,
}
