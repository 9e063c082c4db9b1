//! Everything fixed during a calibration: the base scenario, the observed curve read at the
//! scenario's ticks, the fitted parameters' ranges and starts, and who was observed to
//! join. A [`Problem`] turns a point of the unit cube into a scenario, runs it on the
//! fixed seeds and scores it (`loss.rs`).

use rayon::prelude::*;

use super::loss::{curve_loss, who_loss};
use super::params::{Parameter, check_parameters, current_value};
use super::search::{Evaluation, Settings, Stage};
use super::trace::{free_states, initial_statuses, members_at};
use super::{CurveRow, Observed, StateFit};
use crate::scenario::{Override, Scenario, ScenarioError};
use crate::sweep::Base;
use crate::sweep::stats::stats;
use crate::world::resources::Detail;
use crate::world::spawn::Prepared;

/// What one parameter vector's runs give.
pub(crate) struct Sample {
    /// Members at every tick, per seed (seed-major).
    pub members: Vec<Vec<f64>>,
    /// Members at each observed date other than the held-out states, per seed.
    pub counted: Vec<Vec<f64>>,
    /// Per state: in how many seeds it is a member at the last observed date.
    pub member_counts: Vec<u32>,
}

/// Everything fixed during a calibration.
pub(crate) struct Problem<'a> {
    base: &'a Base,
    observed: &'a Observed,
    parameters: &'a [Parameter],
    settings: &'a Settings,
    /// The scenario's own values of the parameters.
    pub start: Vec<f64>,
    /// For each observation, the tick whose state it is compared with.
    ticks: Vec<usize>,
    /// Observed membership per state (index order) at the last observed date, when known.
    who: Option<Vec<bool>>,
    /// The states held out of the fit: neither counted in the curve nor scored.
    held_out: Vec<bool>,
    /// The states the who-joined term scores: those whose outcome the model decides
    /// ([`free_states`]), less the held-out ones.
    pub scored: Vec<bool>,
    /// The observed counts the curve term compares with: the observed value at each date
    /// less the held-out states observed to have joined by then.
    counted: Vec<f64>,
}

impl<'a> Problem<'a> {
    /// Checks the parameters, the seeds and the observations against the scenario.
    /// `held_out` (by state index; empty for none) marks states whose outcome the fit must
    /// not see.
    pub fn new(
        base: &'a Base,
        observed: &'a Observed,
        parameters: &'a [Parameter],
        settings: &'a Settings,
        held_out: &[bool],
    ) -> Result<Problem<'a>, ScenarioError> {
        if parameters.is_empty() {
            return Err(ScenarioError::new(&base.label, "no parameters to fit")
                .help("name them with --fit, e.g. --fit params.beta_peer=0:3"));
        }
        if settings.seeds == 0 {
            return Err(
                ScenarioError::new(&base.label, "calibration needs at least one seed")
                    .help("pass --seeds 16 or more"),
            );
        }
        let scenario = base.scenario(&[])?;
        check_parameters(base, parameters)?;
        let start = starts(base, parameters);
        let ticks = checkpoint_ticks(&scenario, observed)?;
        let who = observed_who(&scenario, observed)?;
        if settings.who_weight > 0.0 && who.is_none() {
            return Err(ScenarioError::new(
                &observed.label,
                "the who-joined term needs a `joined` column",
            )
            .help("add a joined column (ISO3 codes separated by ;) or drop --who-weight"));
        }
        let n = scenario.world.nations.len();
        let held_out: Vec<bool> = (0..n)
            .map(|i| held_out.get(i).copied().unwrap_or(false))
            .collect();
        let prepared = Prepared::new(&scenario);
        let scored = free_states(&scenario, &prepared)
            .into_iter()
            .zip(&held_out)
            .map(|(free, out)| free && !out)
            .collect();
        let counted = counted_observations(&scenario, observed, &held_out);
        Ok(Problem {
            base,
            observed,
            parameters,
            settings,
            start,
            ticks,
            who,
            held_out,
            scored,
            counted,
        })
    }

    fn overrides(&self, unit: &[f64]) -> Vec<Override> {
        self.parameters
            .iter()
            .zip(unit)
            .flat_map(|(p, &u)| {
                p.paths().map(move |path| Override {
                    path: path.to_owned(),
                    value: toml::Value::Float(p.at(u)),
                })
            })
            .collect()
    }

    /// The scenario at a point of the unit cube.
    pub fn scenario(&self, unit: &[f64]) -> Result<Scenario, ScenarioError> {
        self.base.scenario(&self.overrides(unit))
    }

    /// Runs every seed; in parallel over seeds when `parallel` (stage 2 evaluates one
    /// point at a time), else on the calling thread (stage 1 is parallel over points).
    pub fn sample(&self, scenario: &Scenario, parallel: bool) -> Sample {
        let prepared = Prepared::new(scenario);
        let seeds: Vec<u64> = (0..u64::from(self.settings.seeds))
            .map(|k| self.settings.first_seed.wrapping_add(k))
            .collect();
        let initial = initial_statuses(&prepared);
        let one = |&seed: &u64| {
            let run = crate::sim::with_thread_runner(|r| r.run(&prepared, seed, Detail::Series));
            let members: Vec<f64> = run.ticks.iter().map(|t| f64::from(t.members)).collect();
            let at = members_at(&run, &initial, &self.ticks);
            let counted: Vec<f64> = at
                .iter()
                .map(|m| {
                    m.iter()
                        .zip(&self.held_out)
                        .filter(|(m, out)| **m && !**out)
                        .count() as f64
                })
                .collect();
            let last = at.into_iter().next_back().unwrap_or_default();
            (members, counted, last)
        };
        let runs: Vec<(Vec<f64>, Vec<f64>, Vec<bool>)> = if parallel {
            seeds.par_iter().map(one).collect()
        } else {
            seeds.iter().map(one).collect()
        };
        let mut member_counts = vec![0u32; prepared.len()];
        for (_, _, last) in &runs {
            for (count, &m) in member_counts.iter_mut().zip(last) {
                *count += u32::from(m);
            }
        }
        let (members, counted) = runs.into_iter().map(|(m, c, _)| (m, c)).unzip();
        Sample {
            members,
            counted,
            member_counts,
        }
    }

    /// Runs and scores the point `unit`.
    pub fn evaluate(
        &self,
        stage: Stage,
        unit: &[f64],
        parallel: bool,
    ) -> Result<Evaluation, ScenarioError> {
        let scenario = self.scenario(unit)?;
        let sample = self.sample(&scenario, parallel);
        let checkpoints: Vec<(usize, f64)> = self.counted.iter().copied().enumerate().collect();
        let curve_loss = curve_loss(&sample.counted, &checkpoints);
        let who_loss = match (&self.who, self.settings.who_weight > 0.0) {
            (Some(who), true) => who_loss(
                who,
                &sample.member_counts,
                sample.members.len() as u32,
                &self.scored,
            ),
            _ => 0.0,
        };
        Ok(Evaluation {
            stage,
            values: self
                .parameters
                .iter()
                .zip(unit)
                .map(|(p, &u)| p.at(u))
                .collect(),
            loss: curve_loss + self.settings.who_weight * who_loss,
            curve_loss,
            who_loss,
        })
    }

    /// The simulated curve's mean and quantiles at every tick.
    pub fn curve(&self, scenario: &Scenario, sample: &Sample) -> Vec<CurveRow> {
        let dates = scenario.calendar.dates();
        dates
            .iter()
            .enumerate()
            .map(|(t, &date)| {
                let values: Vec<f64> = sample.members.iter().map(|m| m[t]).collect();
                let s = stats(&values);
                CurveRow {
                    date,
                    observed: self.observed.value_at(date),
                    mean: s.mean,
                    quantiles: s.quantiles,
                }
            })
            .collect()
    }

    /// Every state's simulated membership share beside what was observed.
    pub fn state_fits(&self, scenario: &Scenario, sample: &Sample) -> Vec<StateFit> {
        let n = f64::from(self.settings.seeds);
        scenario
            .world
            .nations
            .iter()
            .enumerate()
            .map(|(i, nation)| StateFit {
                iso3: nation.iso3.clone(),
                observed: self.who.as_ref().map(|w| w[i]),
                share: f64::from(sample.member_counts[i]) / n,
            })
            .collect()
    }
}

/// Each parameter's start: the scenario's value of its first path, or the model default,
/// or the middle of its range.
fn starts(base: &Base, parameters: &[Parameter]) -> Vec<f64> {
    parameters
        .iter()
        .map(|p| {
            let first = p.paths().next().unwrap_or_default();
            current_value(base.table(), first).unwrap_or((p.lo + p.hi) / 2.0)
        })
        .collect()
}

/// The observed counts less the held-out states observed to have joined by each date.
fn counted_observations(scenario: &Scenario, observed: &Observed, held_out: &[bool]) -> Vec<f64> {
    let codes: Vec<&str> = scenario
        .world
        .nations
        .iter()
        .map(|n| n.iso3.as_str())
        .collect();
    observed
        .points
        .iter()
        .map(|&(date, value)| {
            let joined = observed.joined_by(date).unwrap_or_default();
            let out = joined
                .iter()
                .filter(|c| {
                    codes
                        .iter()
                        .position(|k| k == c)
                        .is_some_and(|i| held_out[i])
                })
                .count();
            value - out as f64
        })
        .collect()
}

/// For each observation, the last tick on or before its date.
fn checkpoint_ticks(scenario: &Scenario, observed: &Observed) -> Result<Vec<usize>, ScenarioError> {
    let cal = &scenario.calendar;
    let states = scenario.world.nations.len();
    let mut ticks = Vec::with_capacity(observed.points.len());
    for &(date, members) in &observed.points {
        if members > states as f64 {
            return Err(ScenarioError::new(
                &observed.label,
                format!(
                    "{members} members on {date}, but the scenario's world has {states} states"
                ),
            )
            .key("members")
            .help("check the count, or the scenario's world file"));
        }
        if date < cal.start() || date > cal.last_date() {
            return Err(ScenarioError::new(
                &observed.label,
                format!(
                    "the observation of {date} lies outside the scenario's dates ({} to {})",
                    cal.start(),
                    cal.last_date()
                ),
            )
            .key("date")
            .help("drop the row, or widen the scenario's start and end"));
        }
        ticks.push(cal.dates().iter().rposition(|d| *d <= date).unwrap_or(0));
    }
    Ok(ticks)
}

/// Observed membership at the last date per state (index order), when the file says;
/// every code must be a state of the scenario's world.
fn observed_who(
    scenario: &Scenario,
    observed: &Observed,
) -> Result<Option<Vec<bool>>, ScenarioError> {
    observed
        .members
        .as_ref()
        .map(|list| membership_flags(scenario, observed, list))
        .transpose()
}

/// Whether each state of the scenario's world (index order) is in `list`, a list of
/// codes from `observed`'s `joined` column; a code that is no state is an error naming it.
pub(crate) fn membership_flags(
    scenario: &Scenario,
    observed: &Observed,
    list: &[String],
) -> Result<Vec<bool>, ScenarioError> {
    let codes: Vec<&str> = scenario
        .world
        .nations
        .iter()
        .map(|n| n.iso3.as_str())
        .collect();
    if let Some(unknown) = list.iter().find(|c| !codes.contains(&c.as_str())) {
        return Err(ScenarioError::new(
            &observed.label,
            format!("`{unknown}` is not a state of the scenario's world"),
        )
        .key("joined")
        .maybe_help(crate::scenario::error::did_you_mean(
            unknown,
            codes.iter().copied(),
        )));
    }
    Ok(codes.iter().map(|c| list.iter().any(|m| m == c)).collect())
}
