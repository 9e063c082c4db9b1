//! The calibration itself: stage 1 evaluates the scenario's own values and a Latin
//! hypercube in parallel; stage 2 runs Nelder-Mead from the best point; the best point's
//! scenario is run once more for its curve and every state's share.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::problem::Problem;
use super::search::{Evaluation, Settings, Stage, best_of, global_candidates, nelder_mead};
use super::{Observed, Parameter};
use crate::scenario::{Scenario, ScenarioError};
use crate::sweep::Base;
use crate::time::Date;

/// The simulated curve of the fitted values at one tick.
#[derive(Clone, Debug, PartialEq)]
pub struct CurveRow {
    /// The tick's date.
    pub date: Date,
    /// The observation in force at that date, if any observation precedes it.
    pub observed: Option<f64>,
    /// Mean members over seeds.
    pub mean: f64,
    /// 5, 25, 50, 75, 95% quantiles of members over seeds.
    pub quantiles: [f64; 5],
}

/// A state's simulated chance of membership at the last observed date, with the fit.
#[derive(Clone, Debug, PartialEq)]
pub struct StateFit {
    /// ISO3.
    pub iso3: String,
    /// Whether it was observed to be a member.
    pub observed: Option<bool>,
    /// Share of seeds in which it is a member.
    pub share: f64,
}

/// The result of a calibration.
#[derive(Clone, Debug)]
pub struct Fit {
    /// The parameters fitted.
    pub parameters: Vec<Parameter>,
    /// The best evaluation.
    pub best: Evaluation,
    /// Every evaluation, in the order made.
    pub history: Vec<Evaluation>,
    /// The fitted scenario's curve at every tick.
    pub curve: Vec<CurveRow>,
    /// Every state's membership share at the last observed date under the fitted values.
    pub states: Vec<StateFit>,
    /// The fitted scenario.
    pub scenario: Scenario,
}

/// Calibrates `parameters` of `base` to `observed`. `progress` is called after every
/// evaluation with the number done so far.
pub fn calibrate(
    base: &Base,
    observed: &Observed,
    parameters: &[Parameter],
    settings: &Settings,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Fit, ScenarioError> {
    let problem = Problem::new(base, observed, parameters, settings, &[])?;
    search(&problem, parameters, settings, true, progress)
}

/// Searches `problem`: stage 1 (the scenario's own values when `from_scenario`, and the
/// Latin hypercube), stage 2 (Nelder-Mead from the best so far), then the best point's
/// curve and state shares.
pub(crate) fn search(
    problem: &Problem,
    parameters: &[Parameter],
    settings: &Settings,
    from_scenario: bool,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Fit, ScenarioError> {
    let done = AtomicUsize::new(0);
    let tick = || progress(done.fetch_add(1, Ordering::Relaxed) + 1);
    let to_unit = |values: &[f64]| -> Vec<f64> {
        parameters
            .iter()
            .zip(values)
            .map(|(p, v)| p.unit(*v))
            .collect()
    };

    // Stage 1: the scenario's own values (clamped into the ranges) and a Latin hypercube.
    let mut candidates = global_candidates(
        to_unit(&problem.start),
        settings.points,
        settings.search_seed,
    );
    if !from_scenario {
        candidates.retain(|(stage, _)| *stage != Stage::Start);
    }
    let mut history: Vec<Evaluation> = candidates
        .into_par_iter()
        .map(|(stage, unit)| {
            let e = problem.evaluate(stage, &unit, false);
            tick();
            e
        })
        .collect::<Result<_, _>>()?;
    if history.is_empty() {
        return Err(ScenarioError::new(
            "--points",
            "a search that may not start from the scenario's values needs Latin-hypercube points",
        )
        .help("pass --points 1 or more"));
    }

    // Stage 2: Nelder-Mead from the best point so far.
    let from = to_unit(&best_of(&history).values);
    let local = nelder_mead(&from, settings.iterations, |unit| {
        let e = problem.evaluate(Stage::Local, unit, true)?;
        tick();
        Ok(e)
    })?;
    history.extend(local);

    let best = best_of(&history).clone();
    let scenario = problem.scenario(&to_unit(&best.values))?;
    let sample = problem.sample(&scenario, true);
    Ok(Fit {
        parameters: parameters.to_vec(),
        curve: problem.curve(&scenario, &sample),
        states: problem.state_fits(&scenario, &sample),
        best,
        history,
        scenario,
    })
}
