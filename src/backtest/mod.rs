//! Backtests: a scenario run on many seeds and set against an observed history, without
//! fitting anything. It answers how well a scenario's parameters reproduce a history they
//! were not fitted to (other seeds, a later period), and what one dated event did: with
//! `without`, the same seeds are run again with the events of that label removed (a
//! counterfactual on common random numbers), and every count is compared seed by seed.
//!
//! What is measured, at each observed date (`checkpoints`):
//! - the member count: observed, and the simulated mean and quantiles over seeds;
//! - for each group of states (blocs or regions, `+` for a union): how many of them joined
//!   since the start, observed and simulated, and the share of seeds in which at least one
//!   did;
//! - at the last date, who joined: each state's share of seeds in which it is a member,
//!   scored (log loss, Brier, AUC) on the states whose outcome the model decides.
//!
//! `report.rs` turns a [`Backtest`] into the printed table and the folder's files.
//! Called by `cli/backtest.rs`.

pub mod report;

use rayon::prelude::*;

use crate::calibrate::Observed;
use crate::calibrate::scores::{Scores, score};
use crate::calibrate::trace::{free_states, initial_statuses, members_at};
use crate::scenario::{Scenario, ScenarioError};
use crate::sweep::stats::{Stats, stats};
use crate::time::Date;
use crate::world::resources::Detail;
use crate::world::spawn::Prepared;

/// How to backtest.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Seeds (`first_seed..first_seed + seeds`).
    pub seeds: u32,
    /// The first seed.
    pub first_seed: u64,
    /// The label of the events to remove for the counterfactual, if any.
    pub without: Option<String>,
    /// Groups of states to follow: bloc codes or region names, `+` for a union.
    pub groups: Vec<String>,
}

/// A group of states to follow.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// As the user wrote it, e.g. `NATO+EU+G7`.
    pub name: String,
    /// Its states, by index.
    pub states: Vec<bool>,
}

/// One observed date and what each arm gave there.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    /// The date.
    pub date: Date,
    /// The tick compared with it (the last on or before the date).
    pub tick: usize,
    /// The observed member count.
    pub observed: f64,
    /// Per group: how many of its states were observed to join since the start, when the
    /// observed file says who joined.
    pub observed_groups: Vec<Option<u32>>,
}

/// What one version of the scenario gave over the seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    /// Members at every tick, per seed.
    pub members: Vec<Vec<u32>>,
    /// Per checkpoint, per seed: members.
    pub at_checkpoints: Vec<Vec<f64>>,
    /// Per checkpoint, per group, per seed: the group's states that joined since the start.
    pub group_joiners: Vec<Vec<Vec<f64>>>,
    /// Per state: the share of seeds in which it is a member at the last checkpoint.
    pub shares: Vec<f64>,
    /// Who joined, scored at the last checkpoint over the states the model decides.
    pub scores: Option<Scores>,
}

/// The result of a backtest.
#[derive(Clone, Debug)]
pub struct Backtest {
    /// The scenario as written.
    pub scenario: Scenario,
    /// The observed history.
    pub observed: Observed,
    /// The options.
    pub options: Options,
    /// The groups followed.
    pub groups: Vec<Group>,
    /// The observed dates.
    pub checkpoints: Vec<Checkpoint>,
    /// Per state: whether its outcome is the model's (scored).
    pub free: Vec<bool>,
    /// Per state: whether it was observed to be a member at the last date, when known.
    pub who: Option<Vec<bool>>,
    /// The scenario as written.
    pub with: Arm,
    /// The counterfactual, with the events of `options.without` removed.
    pub without: Option<Arm>,
}

/// Runs `scenario` (and its counterfactual) on the seeds and sets it against `observed`.
pub fn backtest(
    scenario: &Scenario,
    observed: &Observed,
    options: &Options,
) -> Result<Backtest, ScenarioError> {
    if options.seeds == 0 {
        return Err(
            ScenarioError::new("--seeds", "a backtest needs at least one seed")
                .help("pass --seeds 100 or more"),
        );
    }
    let groups = options
        .groups
        .iter()
        .map(|g| group(scenario, g))
        .collect::<Result<Vec<_>, _>>()?;
    let counterfactual = options
        .without
        .as_deref()
        .map(|label| without(scenario, label))
        .transpose()?;
    let prepared = Prepared::new(scenario);
    let initial = initial_statuses(&prepared);
    let checkpoints = checkpoints(scenario, observed, &groups, &initial)?;
    let free = free_states(scenario, &prepared);
    let who = who(scenario, observed, checkpoints.last().map(|c| c.date))?;
    let with = arm(
        scenario,
        options,
        &checkpoints,
        &groups,
        &free,
        who.as_deref(),
    );
    let without =
        counterfactual.map(|s| arm(&s, options, &checkpoints, &groups, &free, who.as_deref()));
    Ok(Backtest {
        scenario: scenario.clone(),
        observed: observed.clone(),
        options: options.clone(),
        groups,
        checkpoints,
        free,
        who,
        with,
        without,
    })
}

/// `scenario` without the events labelled `label`; an error naming the labels there are
/// if none has it.
pub fn without(scenario: &Scenario, label: &str) -> Result<Scenario, ScenarioError> {
    let mut s = scenario.clone();
    s.events.retain(|e| &*e.label != label);
    if s.events.len() == scenario.events.len() {
        let labels: Vec<&str> = scenario.events.iter().map(|e| &*e.label).collect();
        return Err(
            ScenarioError::new(&scenario.label, format!("no event is labelled `{label}`"))
                .key("--without")
                .help(
                    crate::scenario::error::did_you_mean(label, labels.iter().copied())
                        .unwrap_or_else(|| {
                            format!(
                                "give an event's label exactly, one of: {}",
                                labels.join("; ")
                            )
                        }),
                ),
        );
    }
    s.name = format!("{}-without", scenario.name);
    Ok(s)
}

/// The states of a group: `+`-joined bloc codes or region names of the scenario's world.
fn group(scenario: &Scenario, name: &str) -> Result<Group, ScenarioError> {
    let nations = &scenario.world.nations;
    let mut states = vec![false; nations.len()];
    for part in name.split('+').map(str::trim) {
        let mut found = false;
        for (i, n) in nations.iter().enumerate() {
            if n.region == part || n.blocs.iter().any(|b| b == part) {
                states[i] = true;
                found = true;
            }
        }
        if !found {
            let mut known: Vec<&str> = nations
                .iter()
                .flat_map(|n| {
                    std::iter::once(n.region.as_str()).chain(n.blocs.iter().map(String::as_str))
                })
                .collect();
            known.sort_unstable();
            known.dedup();
            return Err(ScenarioError::new(
                &scenario.label,
                format!("`{part}` is neither a bloc nor a region of the world"),
            )
            .key("--groups")
            .help(
                crate::scenario::error::did_you_mean(part, known.iter().copied())
                    .unwrap_or_else(|| format!("choose from {}", known.join(", "))),
            ));
        }
    }
    Ok(Group {
        name: name.to_owned(),
        states,
    })
}

/// The observed dates, each with its tick and the groups' observed joiners since the
/// start.
fn checkpoints(
    scenario: &Scenario,
    observed: &Observed,
    groups: &[Group],
    initial: &[crate::model::Status],
) -> Result<Vec<Checkpoint>, ScenarioError> {
    let cal = &scenario.calendar;
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
                .help("drop the row, or choose --dates within the scenario's period"));
            }
            let tick = cal.dates().iter().rposition(|d| *d <= date).unwrap_or(0);
            let joined = observed.joined_by(date);
            let observed_groups = groups
                .iter()
                .map(|g| {
                    joined.as_ref().map(|j| {
                        j.iter()
                            .filter_map(|c| codes.iter().position(|k| k == c))
                            .filter(|&i| g.states[i] && initial[i] != crate::model::Status::Member)
                            .count() as u32
                    })
                })
                .collect();
            Ok(Checkpoint {
                date,
                tick,
                observed: value,
                observed_groups,
            })
        })
        .collect()
}

/// Observed membership at `date` by state index, when the file says; every code must be
/// a state of the world.
fn who(
    scenario: &Scenario,
    observed: &Observed,
    date: Option<Date>,
) -> Result<Option<Vec<bool>>, ScenarioError> {
    date.and_then(|d| observed.joined_by(d))
        .map(|joined| crate::calibrate::membership_flags(scenario, observed, &joined))
        .transpose()
}

/// Runs the seeds of one version of the scenario and reduces them in seed order.
fn arm(
    scenario: &Scenario,
    options: &Options,
    checkpoints: &[Checkpoint],
    groups: &[Group],
    free: &[bool],
    who: Option<&[bool]>,
) -> Arm {
    let prepared = Prepared::new(scenario);
    let initial = initial_statuses(&prepared);
    let ticks: Vec<usize> = checkpoints.iter().map(|c| c.tick).collect();
    let seeds: Vec<u64> = (0..u64::from(options.seeds))
        .map(|k| options.first_seed.wrapping_add(k))
        .collect();
    let runs: Vec<(Vec<u32>, Vec<Vec<bool>>)> = seeds
        .par_iter()
        .map(|&seed| {
            let run = crate::sim::with_thread_runner(|r| r.run(&prepared, seed, Detail::Series));
            let members = run.ticks.iter().map(|t| t.members).collect();
            (members, members_at(&run, &initial, &ticks))
        })
        .collect();
    let was_member: Vec<bool> = initial
        .iter()
        .map(|s| *s == crate::model::Status::Member)
        .collect();
    let at_checkpoints = (0..ticks.len())
        .map(|k| {
            runs.iter()
                .map(|(_, at)| at[k].iter().filter(|&&m| m).count() as f64)
                .collect()
        })
        .collect();
    let group_joiners = (0..ticks.len())
        .map(|k| {
            groups
                .iter()
                .map(|g| {
                    runs.iter()
                        .map(|(_, at)| {
                            at[k]
                                .iter()
                                .zip(&g.states)
                                .zip(&was_member)
                                .filter(|((m, in_group), was)| **m && **in_group && !**was)
                                .count() as f64
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let n = runs.len() as f64;
    let states = initial.len();
    let shares: Vec<f64> = (0..states)
        .map(|i| {
            runs.iter()
                .filter(|(_, at)| at.last().is_some_and(|last| last[i]))
                .count() as f64
                / n
        })
        .collect();
    let scores = who.map(|who| {
        let scored: Vec<usize> = (0..states).filter(|&i| free[i]).collect();
        let p: Vec<f64> = scored.iter().map(|&i| shares[i]).collect();
        let y: Vec<bool> = scored.iter().map(|&i| who[i]).collect();
        score(&p, &y, 0.5 / n)
    });
    Arm {
        members: runs.into_iter().map(|(m, _)| m).collect(),
        at_checkpoints,
        group_joiners,
        shares,
        scores,
    }
}

/// A paired comparison of one number over the same seeds: `b - a` seed by seed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paired {
    /// Mean difference.
    pub mean: f64,
    /// Its standard error (the differences' standard deviation over `sqrt(n)`).
    pub se: f64,
    /// Share of seeds in which `b > a`.
    pub above: f64,
    /// Share of seeds in which `b < a`.
    pub below: f64,
}

/// The paired comparison of `b` with `a` (same length, same seeds).
pub fn paired(a: &[f64], b: &[f64]) -> Paired {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let s: Stats = stats(&d);
    let n = d.len().max(1) as f64;
    Paired {
        mean: s.mean,
        se: s.sd / n.sqrt(),
        above: d.iter().filter(|&&x| x > 0.0).count() as f64 / n,
        below: d.iter().filter(|&&x| x < 0.0).count() as f64 / n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_differences_are_taken_seed_by_seed() {
        let p = paired(&[1.0, 2.0, 3.0, 4.0], &[2.0, 2.0, 5.0, 6.0]);
        assert_eq!(p.mean, 1.25);
        assert_eq!((p.above, p.below), (0.75, 0.0));
        // Differences 1, 0, 2, 2: sd sqrt(11/12), se sd/2.
        assert!((p.se - (11.0f64 / 12.0).sqrt() / 2.0).abs() < 1e-12);
    }

    #[test]
    fn groups_join_blocs_and_regions_and_name_what_they_miss() {
        let s = crate::scenario::load("baseline").unwrap();
        let g = group(&s, "G7+Oceania").unwrap();
        let code = |c: &str| s.world.nations.iter().position(|n| n.iso3 == c).unwrap();
        assert!(g.states[code("JPN")] && g.states[code("FJI")] && !g.states[code("BRA")]);
        let e = group(&s, "G8").unwrap_err();
        assert!(e.message.contains("`G8`"), "{}", e.message);
        let e = without(&s, "no such event").unwrap_err();
        assert!(e.help.is_some());
    }
}
