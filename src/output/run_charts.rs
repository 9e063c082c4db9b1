//! The charts of one run (membership, members by region, and the world map of final
//! status), from the run in memory or redrawn from a run folder's files (`waico plot
//! RUN_DIR`): `manifest.json` for the title, the events, the body and the world,
//! `timeseries.csv` for the counts, `nations.csv` for the final statuses (a folder
//! without it keeps the map the run drew, and says so).

use std::path::Path;

use serde_json::Value;

use super::charts::map::MapChart;
use super::charts::membership::MembershipChart;
use super::charts::regions::RegionsChart;
use super::charts::{self, Rendered};
use super::{OutputError, compress, maps};
use crate::scenario::Scenario;
use crate::sim::output::RunOutput;
use crate::time::Date;

/// What a run's charts show.
#[derive(Clone, Debug)]
pub struct RunCharts {
    /// The body's name.
    pub body: String,
    /// The scenario's name.
    pub scenario: String,
    /// The seed.
    pub seed: u64,
    /// Tick dates.
    pub dates: Vec<Date>,
    /// Members at each tick.
    pub members: Vec<u32>,
    /// Partners at each tick.
    pub partners: Vec<u32>,
    /// Whether the body has a partner tier.
    pub partner_tier: bool,
    /// The scenario's dated events (date, label).
    pub markers: Vec<(Date, String)>,
    /// Number of states.
    pub states: u32,
    /// (region, members at each tick).
    pub regions: Vec<(String, Vec<u32>)>,
    /// The world map of final status, or why it cannot be drawn from what a folder keeps.
    pub map: Result<MapChart, String>,
}

/// The prefix of `timeseries.csv`'s region columns.
const REGION: &str = "members_region_";

impl RunCharts {
    /// The charts' data of `run` of `scenario`.
    pub fn of(scenario: &Scenario, run: &RunOutput) -> RunCharts {
        let subtitle = format!("{}, seed {}", scenario.name, run.seed);
        RunCharts {
            map: Ok(maps::run_map(scenario, run, &subtitle)),
            body: scenario.body.name.clone(),
            scenario: scenario.name.clone(),
            seed: run.seed,
            dates: run.ticks.iter().map(|t| t.date).collect(),
            members: run.ticks.iter().map(|t| t.members).collect(),
            partners: run.ticks.iter().map(|t| t.partners).collect(),
            partner_tier: scenario.body.partner_tier,
            markers: scenario
                .events
                .iter()
                .map(|e| (e.date, e.label.to_string()))
                .collect(),
            states: scenario.world.nations.len() as u32,
            regions: run
                .regions
                .iter()
                .enumerate()
                .map(|(k, name)| {
                    (
                        name.clone(),
                        run.ticks.iter().map(|t| t.groups[k]).collect(),
                    )
                })
                .collect(),
        }
    }

    /// The charts' data from the run folder `dir`; the error names the file and what is
    /// wrong with it.
    pub fn read(dir: &Path) -> Result<RunCharts, String> {
        let manifest_path = dir.join("manifest.json");
        let m: Value = std::fs::read_to_string(&manifest_path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
            .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
        let text = |pointer: &str| m.pointer(pointer).and_then(Value::as_str).unwrap_or("");
        let markers = m["events"]
            .as_array()
            .map(|events| {
                events
                    .iter()
                    .filter_map(|e| {
                        let date = Date::parse(e["date"].as_str()?).ok()?;
                        Some((date, e["label"].as_str().unwrap_or("").to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let path = dir.join("timeseries.csv");
        let csv = compress::read_text(&path)
            .map_err(|e| format!("{}: {e}", compress::existing(&path).display()))?;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let bad = |e: csv::Error| format!("{}: {e}", path.display());
        let header: Vec<String> = reader
            .headers()
            .map_err(bad)?
            .iter()
            .map(str::to_owned)
            .collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| format!("{} has no `{name}` column", path.display()))
        };
        let (date, members, partners) = (col("date")?, col("members")?, col("partners")?);
        let regions: Vec<(usize, String)> = header
            .iter()
            .enumerate()
            .filter_map(|(k, h)| h.strip_prefix(REGION).map(|r| (k, r.to_owned())))
            .collect();
        let seed = m["seed"].as_u64().unwrap_or(0);
        let subtitle = format!("{}, seed {seed}", text("/scenario/name"));
        let mut out = RunCharts {
            map: maps::read_run_map(dir, &m, &subtitle),
            body: text("/body/name").to_owned(),
            scenario: text("/scenario/name").to_owned(),
            seed,
            dates: Vec::new(),
            members: Vec::new(),
            partners: Vec::new(),
            partner_tier: m
                .pointer("/body/partner_tier")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            markers,
            states: m
                .pointer("/run/states")
                .and_then(Value::as_u64)
                .unwrap_or(0) as u32,
            regions: regions
                .iter()
                .map(|(_, r)| (r.clone(), Vec::new()))
                .collect(),
        };
        for (line, record) in reader.records().enumerate() {
            let record = record.map_err(bad)?;
            let field = |k: usize| record.get(k).unwrap_or("");
            let number = |k: usize| {
                field(k).parse::<u32>().map_err(|_| {
                    format!(
                        "{}, line {}: `{}` is not a count",
                        path.display(),
                        line + 2,
                        field(k)
                    )
                })
            };
            out.dates.push(
                Date::parse(field(date))
                    .map_err(|e| format!("{}, line {}: {e}", path.display(), line + 2))?,
            );
            out.members.push(number(members)?);
            out.partners.push(number(partners)?);
            for (r, (k, _)) in regions.iter().enumerate() {
                out.regions[r].1.push(number(*k)?);
            }
        }
        Ok(out)
    }

    /// The membership chart, the chart by region and the map (when it can be drawn).
    pub fn render(&self) -> Result<Vec<Rendered>, OutputError> {
        let subtitle = format!("{}, seed {}", self.scenario, self.seed);
        let membership = charts::render(&MembershipChart {
            title: format!("{} membership: {subtitle}", self.body),
            dates: self.dates.clone(),
            members: self.members.clone(),
            partners: self.partners.clone(),
            partner_tier: self.partner_tier,
            markers: self.markers.clone(),
            states: self.states,
            bands: None,
        })?;
        let by_region = charts::render(&RegionsChart {
            title: format!("{} members by region: {subtitle}", self.body),
            dates: self.dates.clone(),
            regions: self.regions.clone(),
        })?;
        let mut charts = vec![membership, by_region];
        if let Ok(map) = &self.map {
            charts.push(charts::render(map)?);
        }
        Ok(charts)
    }
}
