//! Ensembles: one scenario run once per seed, and what the runs say together: per tick,
//! the spread of members, partners and member GDP share; per state, the probability that
//! it ends as a member, as a partner or outside, that it is in at each 31 December, when it
//! first joins, and how often the powers moved it.
//!
//! ```text
//! Scenario, seeds a..=b --sweep (one design point, b-a+1 replicates)--> runs, in parallel
//!   --Digest of each run (digest.rs), in run order--> Tally (tally.rs: exact counts)
//!   --tables.rs--> timeseries.csv, states.csv --report.rs--> charts, printed summary
//! ```
//!
//! An ensemble runs on the sweep engine ([`crate::sweep`]), so it is parallel, streamed,
//! resumable (from its saved tally, [`file`]) and shardable, with the same files at any
//! number of jobs. Its memory does not grow with the number of seeds. Sweeps that keep
//! `states` use the same tally for each design point. Documented for users in
//! `docs/ANALYSIS.md`.

pub mod digest;
pub mod file;
pub mod report;
pub mod tables;
pub mod tally;

use serde_json::json;

use crate::scenario::overrides::{self, Override};
use crate::scenario::{self, Scenario, ScenarioError};
use crate::sweep::design::Design;
use crate::sweep::file::ChartsSection;
use crate::sweep::{Base, Seeds as SeedRule, Sweep};
use crate::world::sha256_hex;

/// The seeds of an ensemble: `first..=last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seeds {
    /// The first seed.
    pub first: u64,
    /// The last seed.
    pub last: u64,
}

impl Seeds {
    /// Parses `A..B` (seeds A to B, both included) or `N` (seeds 1 to N).
    pub fn parse(text: &str) -> Result<Seeds, String> {
        let bad = || format!("`{text}` is not a seed range: write e.g. 1..200, or 200 for 1..200");
        let seeds = match text.split_once("..") {
            Some((a, b)) => Seeds {
                first: a.trim().parse().map_err(|_| bad())?,
                last: b
                    .trim()
                    .trim_start_matches('=')
                    .parse()
                    .map_err(|_| bad())?,
            },
            None => Seeds {
                first: 1,
                last: text.trim().parse().map_err(|_| bad())?,
            },
        };
        if seeds.last < seeds.first {
            return Err(format!("`{text}`: the last seed is before the first"));
        }
        if seeds.count() > 1_000_000_000 {
            return Err(format!("`{text}`: more than a billion seeds"));
        }
        Ok(seeds)
    }

    /// How many seeds.
    pub fn count(self) -> u64 {
        self.last - self.first + 1
    }

    /// The folder name: `seeds-A-B`.
    pub fn folder(self) -> String {
        format!("seeds-{}-{}", self.first, self.last)
    }
}

/// The sweep that runs `name` (a scenario file or built-in name, with `overrides`) once
/// for each of `seeds`, and the validated scenario.
pub fn sweep(
    name: &str,
    overrides_given: &[Override],
    seeds: Seeds,
) -> Result<(Sweep, Scenario), ScenarioError> {
    let scenario = scenario::load_with(name, overrides_given)?;
    let mut base = Base::load(name, name, "scenario", None)?;
    for o in overrides_given {
        let label = base.label.clone();
        overrides::apply(base.table_mut(), &label, o)?;
        base.text
            .push_str(&format!("\n# --set {}={}", o.path, o.value));
    }
    base.world = scenario.world.clone();
    let replicates = u32::try_from(seeds.count())
        .map_err(|_| ScenarioError::new(name, "more than 4,294,967,295 seeds".to_owned()))?;
    let text = format!("{}\n# seeds {}..={}", base.text, seeds.first, seeds.last);
    let sweep = Sweep {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        label: scenario.label.clone(),
        sha256: sha256_hex(text.as_bytes()),
        text: String::new(),
        base,
        design: Design::plain("none", Vec::new(), vec![Vec::new()]),
        replicates,
        seed: seeds.first,
        seeds: SeedRule::Common,
        series: false,
        summary: false,
        outcomes_at: Vec::new(),
        states: true,
        ensemble: Some(manifest(&scenario, seeds)),
        charts: ChartsSection::default(),
        overrides: scenario.overrides.clone(),
    };
    Ok((sweep, scenario))
}

/// What an ensemble's manifest records beyond a sweep's: the scenario, the seeds, the
/// calendar, the world files, the host and the opposing power, and the dated events (for
/// the fan chart).
fn manifest(s: &Scenario, seeds: Seeds) -> serde_json::Value {
    let who = |i: Option<u32>| {
        i.and_then(|i| s.world.nations.get(i as usize))
            .map(|n| json!({ "iso3": n.iso3, "name": n.name }))
    };
    let events: Vec<serde_json::Value> = s
        .events
        .iter()
        .map(|e| json!({ "date": e.date.to_string(), "label": e.label.to_string() }))
        .collect();
    json!({
        "scenario": {
            "name": s.name,
            "description": s.description,
            "file": s.label,
            "overrides": s.overrides,
            "sha256": s.sha256,
        },
        "seeds": { "first": seeds.first, "last": seeds.last, "count": seeds.count() },
        "calendar": {
            "start": s.calendar.start().to_string(),
            "end": s.calendar.last_date().to_string(),
            "tick": s.calendar.unit().name(),
            "ticks": s.calendar.last_tick() + 1,
        },
        "world": {
            "nations": s.world.nations_source,
            "nations_sha256": s.world.nations_sha256,
            "trade": s.world.trade_source,
            "trade_sha256": s.world.trade_sha256,
            "states": s.world.nations.len(),
        },
        "body": s.body.name,
        "partner_tier": s.body.partner_tier,
        "host": who(Some(s.body.host)),
        "opponent": who(s.body.opponent),
        "events": events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_ranges_parse_and_name_their_folder() {
        assert_eq!(
            Seeds::parse("1..200"),
            Ok(Seeds {
                first: 1,
                last: 200
            })
        );
        assert_eq!(
            Seeds::parse("200"),
            Ok(Seeds {
                first: 1,
                last: 200
            })
        );
        assert_eq!(Seeds::parse("5..=7").map(Seeds::count), Ok(3));
        assert_eq!(
            Seeds::parse("7..7").map(|s| s.folder()),
            Ok("seeds-7-7".into())
        );
        for bad in ["", "a..b", "10..2", "1..", "-3", "0..2000000000"] {
            assert!(Seeds::parse(bad).is_err(), "{bad}");
        }
    }
}
