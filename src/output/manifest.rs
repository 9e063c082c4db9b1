//! `manifest.json`: what produced a run folder (scenario and its hash, world files and their
//! hashes, resolved parameters, seed, version) and what came out of it.

use serde::Serialize;

use super::OutputError;
use crate::scenario::Scenario;
use crate::scenario::file::{Params, Policy, StrategiesSection};
use crate::sim::output::RunOutput;
use crate::world::eligibility::{describe, start_bars};

#[derive(Serialize)]
struct Manifest<'a> {
    waico_version: &'static str,
    kind: &'static str,
    detail: &'static str,
    scenario: ScenarioInfo<'a>,
    seed: u64,
    run: RunInfo,
    world: WorldInfo<'a>,
    body: BodyInfo,
    eligibility: EligibilityInfo,
    params: &'a Params,
    policy: &'a Policy,
    strategies: &'a StrategiesSection,
    events: Vec<EventInfo<'a>>,
    files: Vec<String>,
    summary: SummaryInfo,
}

#[derive(Serialize)]
struct ScenarioInfo<'a> {
    name: &'a str,
    description: &'a str,
    file: &'a str,
    overrides: &'a [String],
    sha256: &'a str,
}

/// What the run covers (see [`crate::time::Calendar`]): from `start` to `end` (the
/// scenario's dates), in `ticks` steps of one `tick`, the last dated `last_tick_date`;
/// the tables hold `rows` = `ticks` + 1 rows per state, tick 0 the initial state.
#[derive(Serialize)]
struct RunInfo {
    start: String,
    end: String,
    last_tick_date: String,
    tick: &'static str,
    ticks: u32,
    rows: u32,
    states: usize,
}

#[derive(Serialize)]
struct WorldInfo<'a> {
    nations: &'a str,
    nations_sha256: &'a str,
    trade: &'a str,
    trade_sha256: &'a str,
    network: &'static str,
}

#[derive(Serialize)]
struct BodyInfo {
    name: String,
    host: String,
    opponent: Option<String>,
    opponent_may_join: bool,
    founding_deadline: Option<String>,
    partner_tier: bool,
    blocs: Vec<String>,
    founders: Vec<String>,
}

/// Who may not join at the start, and why; territories the scenario admits.
#[derive(Serialize)]
struct EligibilityInfo {
    admitted: Vec<String>,
    ineligible: Vec<IneligibleInfo>,
}

#[derive(Serialize)]
struct IneligibleInfo {
    iso3: String,
    name: String,
    reasons: String,
    why: String,
}

#[derive(Serialize)]
struct EventInfo<'a> {
    date: String,
    until: Option<String>,
    kind: &'static str,
    label: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct SummaryInfo {
    final_members: u32,
    final_partners: u32,
    final_member_gdp_share: f64,
    peak_members: u32,
    first_date_25_members: Option<String>,
    first_date_50_members: Option<String>,
    first_date_100_members: Option<String>,
}

/// The manifest of a run of `scenario`, as pretty JSON bytes.
pub fn manifest_json(
    scenario: &Scenario,
    run: &RunOutput,
    files: &[&str],
) -> Result<Vec<u8>, OutputError> {
    let w = &scenario.world;
    let code = |i: u32| w.nations[i as usize].iso3.clone();
    let summary = run.summary();
    let first = |k: usize| summary.first_past[k].1.map(|d| d.to_string());
    let manifest = Manifest {
        waico_version: env!("CARGO_PKG_VERSION"),
        kind: "run",
        detail: if files.iter().any(|f| f.starts_with("nations.csv")) {
            "full"
        } else {
            "summary"
        },
        scenario: ScenarioInfo {
            name: &scenario.name,
            description: &scenario.description,
            file: &scenario.label,
            overrides: &scenario.overrides,
            sha256: &scenario.sha256,
        },
        seed: run.seed,
        run: RunInfo {
            start: scenario.calendar.start().to_string(),
            end: scenario.calendar.end().to_string(),
            last_tick_date: scenario.calendar.last_date().to_string(),
            tick: scenario.calendar.unit().name(),
            ticks: scenario.calendar.last_tick(),
            rows: scenario.calendar.last_tick() + 1,
            states: w.nations.len(),
        },
        world: WorldInfo {
            nations: &w.nations_source,
            nations_sha256: &w.nations_sha256,
            trade: &w.trade_source,
            trade_sha256: &w.trade_sha256,
            network: match scenario.network {
                crate::scenario::NetworkKind::Trade => "trade",
                crate::scenario::NetworkKind::Global => "global",
            },
        },
        body: BodyInfo {
            name: scenario.body.name.clone(),
            host: code(scenario.body.host),
            opponent: scenario.body.opponent.map(code),
            opponent_may_join: scenario.body.opponent_may_join,
            founding_deadline: scenario.body.founding_deadline.map(|d| d.to_string()),
            partner_tier: scenario.body.partner_tier,
            blocs: scenario.body.blocs.clone(),
            founders: run.founder_codes(),
        },
        eligibility: eligibility_info(scenario),
        params: &scenario.params,
        policy: &scenario.policy,
        strategies: &scenario.file.strategies,
        events: scenario
            .events
            .iter()
            .map(|e| EventInfo {
                date: e.date.to_string(),
                until: e.until.map(|d| d.to_string()),
                kind: e.action.kind(),
                label: &e.label,
                source: &e.source,
            })
            .collect(),
        files: files.iter().map(|f| f.to_string()).collect(),
        summary: SummaryInfo {
            final_members: summary.final_members,
            final_partners: summary.final_partners,
            final_member_gdp_share: (summary.final_member_gdp_share * 1e6).round() / 1e6,
            peak_members: summary.peak_members,
            first_date_25_members: first(0),
            first_date_50_members: first(1),
            first_date_100_members: first(2),
        },
    };
    let mut bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|e| OutputError::Json(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The states barred at the start of a run of `scenario`, with their reasons, in state
/// order; `recognition` events that change this later are listed among the events.
fn eligibility_info(scenario: &Scenario) -> EligibilityInfo {
    let w = &scenario.world;
    let body = &scenario.body;
    let rules = &scenario.eligibility;
    let bars = start_bars(
        &w.nations,
        body.host,
        body.opponent,
        body.opponent_may_join,
        rules,
    );
    EligibilityInfo {
        admitted: rules
            .admitted
            .iter()
            .map(|&i| w.nations[i as usize].iso3.clone())
            .collect(),
        ineligible: bars
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.is_empty())
            .map(|(i, &b)| IneligibleInfo {
                iso3: w.nations[i].iso3.clone(),
                name: w.nations[i].name.clone(),
                reasons: b.codes(),
                why: describe(b, rules.bar_reason(i as u32)),
            })
            .collect(),
    }
}
