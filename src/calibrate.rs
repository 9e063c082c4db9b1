//! Calibration: fitting chosen parameters of a scenario to an observed membership curve.
//!
//! The loss of a parameter vector is the mean squared difference, over the observed dates,
//! between the observed member count and the mean simulated member count over a fixed set
//! of seeds, plus (optionally) `who_weight` times the mean binary cross-entropy of who is
//! a member at the last observed date:
//!
//! ```text
//! loss = 1/D sum_d (mean_s members_s(d) - observed(d))^2
//!      + who_weight * 1/N sum_i -[y_i ln p_i + (1 - y_i) ln(1 - p_i)]
//! ```
//!
//! where `p_i` is the share of seeds in which state `i` is a member at the last observed
//! date (kept within `[1/(2S), 1 - 1/(2S)]`), `y_i` whether it was observed to be.
//!
//! Every evaluation uses the same seeds (common random numbers), so the loss is a
//! deterministic function of the parameters and two nearby parameter vectors differ by the
//! parameters' effect, not by sampling noise. The search has two stages:
//!
//! 1. **Global**: the scenario's own values and a Latin hypercube of `points` points over
//!    the given ranges, evaluated in parallel.
//! 2. **Local**: Nelder-Mead from the best point found, in coordinates scaled to the unit
//!    cube and kept inside it, until the simplex shrinks below `1e-4` of the ranges or
//!    `iterations` evaluations are spent.
//!
//! The result does not depend on the number of threads: each evaluation sums its seeds in
//! seed order, and stage 1's points are reduced in point order.

use std::path::Path;

use rayon::prelude::*;

use crate::scenario::ranges::show;
use crate::scenario::{Override, Scenario, ScenarioError};
use crate::sweep::Base;
use crate::sweep::design::latin_hypercube;
use crate::sweep::stats::stats;
use crate::time::Date;
use crate::world::resources::Detail;
use crate::world::spawn::Prepared;

/// An observed membership curve.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// The file it came from.
    pub label: String,
    /// (date, members) in date order.
    pub points: Vec<(Date, f64)>,
    /// Who was a member by the last date (ISO3, sorted), when the file says (`joined`).
    pub members: Option<Vec<String>>,
}

impl Observed {
    /// Reads a CSV with columns `date` and `members` (others ignored); an optional
    /// `joined` column lists the ISO3 codes that joined at each date, separated by `;`.
    pub fn read(path: &Path) -> Result<Observed, ScenarioError> {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            ScenarioError::new(&label, format!("cannot read the file: {e}"))
                .help("give the path of a CSV with columns date,members")
        })?;
        Observed::parse(&label, &text)
    }

    /// Parses the text of an observed-curve CSV (see [`Observed::read`]).
    pub fn parse(label: &str, text: &str) -> Result<Observed, ScenarioError> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| ScenarioError::new(label, format!("cannot read the CSV: {e}")).line(1))?
            .clone();
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (Some(date_col), Some(members_col)) = (column("date"), column("members")) else {
            return Err(
                ScenarioError::new(label, "the header needs `date` and `members`")
                    .line(1)
                    .help("write a header like date,members,joined"),
            );
        };
        let joined_col = column("joined");
        let mut points: Vec<(Date, f64)> = Vec::new();
        let mut joined: Vec<String> = Vec::new();
        for (k, record) in reader.records().enumerate() {
            let line = k + 2;
            let record = record.map_err(|e| {
                ScenarioError::new(label, format!("cannot read the row: {e}")).line(line)
            })?;
            let cell = |col: usize| record.get(col).unwrap_or("");
            let date = Date::parse(cell(date_col)).map_err(|e| {
                ScenarioError::new(label, e)
                    .line(line)
                    .key("date")
                    .help("write dates as YYYY-MM-DD")
            })?;
            let members: f64 = cell(members_col)
                .parse()
                .ok()
                .filter(|m: &f64| m.is_finite() && *m >= 0.0)
                .ok_or_else(|| {
                    ScenarioError::new(
                        label,
                        format!("`{}` is not a member count", cell(members_col)),
                    )
                    .line(line)
                    .key("members")
                    .help("write a number of members >= 0 (a count, or a mean of counts)")
                })?;
            if let Some(&(last, _)) = points.last()
                && date <= last
            {
                return Err(ScenarioError::new(
                    label,
                    format!("{date} does not come after {last}"),
                )
                .line(line)
                .key("date")
                .help("sort the rows by date, one row per date"));
            }
            if let Some(col) = joined_col {
                joined.extend(
                    cell(col)
                        .split(';')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned),
                );
            }
            points.push((date, members));
        }
        if points.is_empty() {
            return Err(ScenarioError::new(label, "no observations")
                .help("add rows of date,members below the header"));
        }
        joined.sort();
        joined.dedup();
        Ok(Observed {
            label: label.to_owned(),
            points,
            members: joined_col.map(|_| joined),
        })
    }
}

impl Observed {
    /// The observation in force at `date`: the last on or before it.
    pub fn value_at(&self, date: Date) -> Option<f64> {
        self.points
            .iter()
            .rev()
            .find(|(d, _)| *d <= date)
            .map(|p| p.1)
    }

    /// The curve read at `dates` only: at each, the observation in force (the last on or
    /// before it). Fitting at chosen checkpoints lets a user skip dates where the
    /// observations are known to lag the decisions they record.
    pub fn at_dates(&self, dates: &[Date]) -> Result<Observed, ScenarioError> {
        let mut points = Vec::with_capacity(dates.len());
        for &date in dates {
            let Some(value) = self.value_at(date) else {
                return Err(ScenarioError::new(
                    &self.label,
                    format!("no observation on or before {date}"),
                )
                .key("date")
                .help(format!("choose dates from {} on", self.points[0].0)));
            };
            if points.last().is_some_and(|&(d, _)| d >= date) {
                return Err(
                    ScenarioError::new(&self.label, "checkpoint dates must increase")
                        .help("list the dates in order, each once"),
                );
            }
            points.push((date, value));
        }
        Ok(Observed {
            label: self.label.clone(),
            points,
            members: self.members.clone(),
        })
    }
}

/// A parameter to fit and its range. One parameter may set several scenario keys to the
/// same value (`events[3].multiplier|events[4].multiplier`), to fit them tied.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Dotted scenario path, e.g. `params.beta_peer`; tied paths are joined by `|`.
    pub path: String,
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Parameter {
    /// Parses `path=lo:hi`.
    pub fn parse(text: &str) -> Result<Parameter, String> {
        let example = "e.g. params.beta_peer=0:3";
        let Some((path, range)) = text.split_once('=') else {
            return Err(format!(
                "`{text}` gives no range; write PATH=LO:HI, {example}"
            ));
        };
        let Some((lo, hi)) = range.split_once(':') else {
            return Err(format!("`{range}` is not a range LO:HI, {example}"));
        };
        let num = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("`{s}` is not a number, {example}"))
        };
        let (lo, hi) = (num(lo)?, num(hi)?);
        if lo >= hi {
            return Err(format!(
                "in `{text}` the lower bound must be below the upper"
            ));
        }
        Ok(Parameter {
            path: path.trim().to_owned(),
            lo,
            hi,
        })
    }

    /// The scenario paths it sets.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.path.split('|').map(str::trim)
    }

    fn at(&self, unit: f64) -> f64 {
        self.lo + unit.clamp(0.0, 1.0) * (self.hi - self.lo)
    }

    fn unit(&self, value: f64) -> f64 {
        ((value - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0)
    }
}

/// How hard to search.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Seeds per evaluation.
    pub seeds: u32,
    /// The first seed (seeds are `first_seed..first_seed + seeds`).
    pub first_seed: u64,
    /// Latin-hypercube points of stage 1.
    pub points: usize,
    /// Evaluations of stage 2 at most.
    pub iterations: usize,
    /// Weight of the who-joined term (0: the curve alone).
    pub who_weight: f64,
    /// Seed of the Latin hypercube.
    pub search_seed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            seeds: 32,
            first_seed: 1,
            points: 48,
            iterations: 80,
            who_weight: 0.0,
            search_seed: 2015,
        }
    }
}

/// Which stage an evaluation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The scenario's own values.
    Start,
    /// The Latin hypercube.
    Global,
    /// Nelder-Mead.
    Local,
}

impl Stage {
    /// The name in `search.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Start => "start",
            Stage::Global => "global",
            Stage::Local => "local",
        }
    }
}

/// One evaluated parameter vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Its stage.
    pub stage: Stage,
    /// Values, in the order of the fitted parameters.
    pub values: Vec<f64>,
    /// The total loss.
    pub loss: f64,
    /// The curve term.
    pub curve_loss: f64,
    /// The who-joined term (before weighting; 0 when not used).
    pub who_loss: f64,
}

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

/// What one parameter vector's runs give.
struct Sample {
    /// Members at every tick, per seed (seed-major).
    members: Vec<Vec<f64>>,
    /// Per state: in how many seeds it is a member at the last observed date.
    member_counts: Vec<u32>,
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
    let problem = Problem::new(base, observed, parameters, settings)?;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tick = || progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);

    // Stage 1: the scenario's own values (clamped into the ranges) and a Latin hypercube.
    let start: Vec<f64> = parameters
        .iter()
        .zip(&problem.start)
        .map(|(p, v)| p.unit(*v))
        .collect();
    let bounds = vec![(0.0, 1.0); parameters.len()];
    let mut candidates = vec![(Stage::Start, start)];
    candidates.extend(
        latin_hypercube(&bounds, settings.points, settings.search_seed)
            .into_iter()
            .map(|row| {
                let unit = row.iter().map(|v| v.as_float().unwrap_or(0.5)).collect();
                (Stage::Global, unit)
            }),
    );
    let mut history: Vec<Evaluation> = candidates
        .into_par_iter()
        .map(|(stage, unit)| {
            let e = problem.evaluate(stage, &unit, false);
            tick();
            e
        })
        .collect::<Result<_, _>>()?;

    // Stage 2: Nelder-Mead from the best point so far.
    let best = best_of(&history).clone();
    let from: Vec<f64> = parameters
        .iter()
        .zip(&best.values)
        .map(|(p, v)| p.unit(*v))
        .collect();
    let local = nelder_mead(&from, settings.iterations, |unit| {
        let e = problem.evaluate(Stage::Local, unit, true)?;
        tick();
        Ok(e)
    })?;
    history.extend(local);

    let best = best_of(&history).clone();
    let unit: Vec<f64> = parameters
        .iter()
        .zip(&best.values)
        .map(|(p, v)| p.unit(*v))
        .collect();
    let scenario = problem.scenario(&unit)?;
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

/// Every fitted path once, each range inside the path's valid range, and both ends of
/// every range a valid scenario; errors name the `--fit` key.
fn check_parameters(base: &Base, parameters: &[Parameter]) -> Result<(), ScenarioError> {
    fn fit(path: &str, p: &Parameter) -> impl Fn(String) -> ScenarioError {
        let (key, range) = (path.to_owned(), format!("{}:{}", show(p.lo), show(p.hi)));
        move |message| ScenarioError::new("--fit", format!("{range}: {message}")).key(&key)
    }
    let mut seen: Vec<&str> = Vec::new();
    for p in parameters {
        for path in p.paths() {
            let err = fit(path, p);
            if seen.contains(&path) {
                return Err(err("the key is fitted twice".into())
                    .help("name each path once (tie paths with `|` to fit them as one)"));
            }
            seen.push(path);
            if let Some(b) = crate::scenario::ranges::bound(path)
                && (p.lo < b.min || p.hi > b.max)
            {
                return Err(
                    err("the range reaches outside the key's valid range".into()).help(format!(
                        "fit within {} to {} ({})",
                        show(b.min),
                        show(b.max),
                        b.reason
                    )),
                );
            }
            // Both ends of every range must give a valid scenario.
            for end in [p.lo, p.hi] {
                let at_end = Override {
                    path: path.to_owned(),
                    value: toml::Value::Float(end),
                };
                if let Err(e) = base.scenario(&[at_end]) {
                    let blamed = e.key.as_deref().is_none_or(|k| k == path);
                    if !blamed {
                        return Err(e);
                    }
                    let mut out = err(format!("at {}, {}", show(end), e.message));
                    out.help = if e.message.starts_with("expected") {
                        Some("calibrate tries fractional values between the ends: fit a key that takes any number, e.g. params.beta_peer".into())
                    } else {
                        e.help
                    };
                    return Err(out);
                }
            }
        }
    }
    Ok(())
}

/// The lowest loss, the earliest on ties.
fn best_of(history: &[Evaluation]) -> &Evaluation {
    history
        .iter()
        .reduce(|a, b| if b.loss < a.loss { b } else { a })
        .expect("stage 1 evaluates at least the start")
}

/// Everything fixed during a calibration.
struct Problem<'a> {
    base: &'a Base,
    observed: &'a Observed,
    parameters: &'a [Parameter],
    settings: &'a Settings,
    /// The scenario's own values of the parameters.
    start: Vec<f64>,
    /// For each observation, the tick whose state it is compared with.
    ticks: Vec<usize>,
    /// Observed membership per state (index order), when known.
    who: Option<Vec<bool>>,
}

impl<'a> Problem<'a> {
    fn new(
        base: &'a Base,
        observed: &'a Observed,
        parameters: &'a [Parameter],
        settings: &'a Settings,
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
        let mut start = Vec::with_capacity(parameters.len());
        for p in parameters {
            let first = p.paths().next().unwrap_or_default();
            start.push(current_value(&base.table, first).unwrap_or((p.lo + p.hi) / 2.0));
        }
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
            let t = cal.dates().iter().rposition(|d| *d <= date).unwrap_or(0);
            ticks.push(t);
        }
        let who = match &observed.members {
            Some(list) => {
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
                Some(codes.iter().map(|c| list.iter().any(|m| m == c)).collect())
            }
            None => None,
        };
        if settings.who_weight > 0.0 && who.is_none() {
            return Err(ScenarioError::new(
                &observed.label,
                "the who-joined term needs a `joined` column",
            )
            .help("add a joined column (ISO3 codes separated by ;) or drop --who-weight"));
        }
        Ok(Problem {
            base,
            observed,
            parameters,
            settings,
            start,
            ticks,
            who,
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

    fn scenario(&self, unit: &[f64]) -> Result<Scenario, ScenarioError> {
        self.base.scenario(&self.overrides(unit))
    }

    /// Runs every seed; in parallel over seeds when `parallel` (stage 2 evaluates one
    /// point at a time), else on the calling thread (stage 1 is parallel over points).
    fn sample(&self, scenario: &Scenario, parallel: bool) -> Sample {
        let prepared = Prepared::new(scenario);
        let seeds: Vec<u64> = (0..u64::from(self.settings.seeds))
            .map(|k| self.settings.first_seed.wrapping_add(k))
            .collect();
        let one = |&seed: &u64| {
            let run = crate::sim::with_thread_runner(|r| r.run(&prepared, seed, Detail::Series));
            let members: Vec<f64> = run.ticks.iter().map(|t| f64::from(t.members)).collect();
            (members, run.founders)
        };
        let runs: Vec<(Vec<f64>, Vec<u32>)> = if parallel {
            seeds.par_iter().map(one).collect()
        } else {
            seeds.iter().map(one).collect()
        };
        let mut member_counts = vec![0u32; prepared.len()];
        for (_, founders) in &runs {
            for &i in founders {
                member_counts[i as usize] += 1;
            }
        }
        Sample {
            members: runs.into_iter().map(|(m, _)| m).collect(),
            member_counts,
        }
    }

    fn evaluate(
        &self,
        stage: Stage,
        unit: &[f64],
        parallel: bool,
    ) -> Result<Evaluation, ScenarioError> {
        let scenario = self.scenario(unit)?;
        let sample = self.sample(&scenario, parallel);
        let n = sample.members.len() as f64;
        let curve_loss = self
            .observed
            .points
            .iter()
            .zip(&self.ticks)
            .map(|(&(_, obs), &t)| {
                let mean = sample.members.iter().map(|m| m[t]).sum::<f64>() / n;
                (mean - obs).powi(2)
            })
            .sum::<f64>()
            / self.observed.points.len() as f64;
        let who_loss = match (&self.who, self.settings.who_weight > 0.0) {
            (Some(who), true) => {
                let floor = 0.5 / n;
                let host = scenario.body.host as usize;
                let (mut sum, mut count) = (0.0, 0.0);
                for (i, (&y, &k)) in who.iter().zip(&sample.member_counts).enumerate() {
                    if i == host {
                        continue;
                    }
                    let p = (f64::from(k) / n).clamp(floor, 1.0 - floor);
                    sum -= if y { p.ln() } else { (1.0 - p).ln() };
                    count += 1.0;
                }
                sum / count
            }
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

    fn curve(&self, scenario: &Scenario, sample: &Sample) -> Vec<CurveRow> {
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

    fn state_fits(&self, scenario: &Scenario, sample: &Sample) -> Vec<StateFit> {
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

/// The value `path` has in the scenario table, or its model default. Segments may index
/// arrays of tables, as in `events[3].multiplier`.
fn current_value(table: &toml::Table, path: &str) -> Option<f64> {
    let written = || {
        let mut here: Option<&toml::Value> = None;
        for segment in path.split('.') {
            let (key, index) = match segment.split_once('[') {
                Some((key, rest)) => (key, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
                None => (segment, None),
            };
            let parent = match here {
                None => table,
                Some(value) => value.as_table()?,
            };
            let mut value = parent.get(key)?;
            if let Some(i) = index {
                value = value.as_array()?.get(i)?;
            }
            here = Some(value);
        }
        match here? {
            toml::Value::Float(x) => Some(*x),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        }
    };
    written().or_else(|| default_param(path))
}

/// The model default of a `params.` path.
fn default_param(path: &str) -> Option<f64> {
    let key = path.strip_prefix("params.")?;
    let defaults = toml::Value::try_from(crate::scenario::Params::default()).ok()?;
    defaults.get(key)?.as_float()
}

/// Nelder-Mead minimisation over the unit cube (points are clamped into it), from `start`,
/// with at most `budget` evaluations. Returns every evaluation made, in order.
fn nelder_mead(
    start: &[f64],
    budget: usize,
    mut f: impl FnMut(&[f64]) -> Result<Evaluation, ScenarioError>,
) -> Result<Vec<Evaluation>, ScenarioError> {
    let dim = start.len();
    let mut made: Vec<Evaluation> = Vec::new();
    let clamp = |x: Vec<f64>| -> Vec<f64> { x.into_iter().map(|v| v.clamp(0.0, 1.0)).collect() };
    let mut eval = |x: &[f64], made: &mut Vec<Evaluation>| -> Result<Option<f64>, ScenarioError> {
        if made.len() >= budget {
            return Ok(None);
        }
        let e = f(x)?;
        let loss = e.loss;
        made.push(e);
        Ok(Some(loss))
    };
    // The initial simplex: the start and one step of 0.1 along each axis (inwards at a
    // bound).
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(dim + 1);
    let Some(l0) = eval(start, &mut made)? else {
        return Ok(made);
    };
    simplex.push((start.to_vec(), l0));
    for k in 0..dim {
        let mut x = start.to_vec();
        x[k] = if x[k] + 0.1 <= 1.0 {
            x[k] + 0.1
        } else {
            x[k] - 0.1
        };
        let Some(l) = eval(&x, &mut made)? else {
            return Ok(made);
        };
        simplex.push((x, l));
    }
    loop {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let size = simplex
            .iter()
            .skip(1)
            .map(|(x, _)| {
                x.iter()
                    .zip(&simplex[0].0)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max);
        if size < 1e-4 || made.len() >= budget {
            return Ok(made);
        }
        let worst = simplex[dim].clone();
        let centroid: Vec<f64> = (0..dim)
            .map(|k| simplex[..dim].iter().map(|(x, _)| x[k]).sum::<f64>() / dim as f64)
            .collect();
        let towards = |t: f64| -> Vec<f64> {
            clamp(
                centroid
                    .iter()
                    .zip(&worst.0)
                    .map(|(c, w)| c + t * (w - c))
                    .collect(),
            )
        };
        let reflected = towards(-1.0);
        let Some(lr) = eval(&reflected, &mut made)? else {
            return Ok(made);
        };
        if lr < simplex[0].1 {
            let expanded = towards(-2.0);
            let Some(le) = eval(&expanded, &mut made)? else {
                return Ok(made);
            };
            simplex[dim] = if le < lr {
                (expanded, le)
            } else {
                (reflected, lr)
            };
            continue;
        }
        if lr < simplex[dim - 1].1 {
            simplex[dim] = (reflected, lr);
            continue;
        }
        let (contracted, lc) = if lr < worst.1 {
            let x = towards(-0.5);
            let Some(l) = eval(&x, &mut made)? else {
                return Ok(made);
            };
            (x, l)
        } else {
            let x = towards(0.5);
            let Some(l) = eval(&x, &mut made)? else {
                return Ok(made);
            };
            (x, l)
        };
        if lc < worst.1.min(lr) {
            simplex[dim] = (contracted, lc);
            continue;
        }
        // Shrink towards the best.
        let best = simplex[0].0.clone();
        for entry in simplex.iter_mut().skip(1) {
            let x: Vec<f64> = entry
                .0
                .iter()
                .zip(&best)
                .map(|(v, b)| b + 0.5 * (v - b))
                .collect();
            let Some(l) = eval(&x, &mut made)? else {
                return Ok(made);
            };
            *entry = (x, l);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quadratic(x: &[f64]) -> Evaluation {
        let loss = (x[0] - 0.3).powi(2) + 2.0 * (x[1] - 0.7).powi(2);
        Evaluation {
            stage: Stage::Local,
            values: x.to_vec(),
            loss,
            curve_loss: loss,
            who_loss: 0.0,
        }
    }

    #[test]
    fn nelder_mead_finds_the_minimum_of_a_bowl() {
        let made = nelder_mead(&[0.9, 0.1], 200, |x| Ok(quadratic(x))).unwrap();
        let best = best_of(&made);
        assert!((best.values[0] - 0.3).abs() < 1e-3, "{:?}", best.values);
        assert!((best.values[1] - 0.7).abs() < 1e-3, "{:?}", best.values);
        assert!(made.len() <= 200);
    }

    #[test]
    fn nelder_mead_stays_in_the_cube_and_within_budget() {
        // The minimum lies outside the cube, at (1.5, -0.5): the search ends on its corner.
        let made = nelder_mead(&[0.5, 0.5], 60, |x| {
            assert!(x.iter().all(|v| (0.0..=1.0).contains(v)), "{x:?}");
            let loss = (x[0] - 1.5).powi(2) + (x[1] + 0.5).powi(2);
            Ok(Evaluation {
                stage: Stage::Local,
                values: x.to_vec(),
                loss,
                curve_loss: loss,
                who_loss: 0.0,
            })
        })
        .unwrap();
        assert_eq!(made.len(), 60.min(made.len()));
        let best = best_of(&made);
        assert!(
            best.values[0] > 0.99 && best.values[1] < 0.01,
            "{:?}",
            best.values
        );
    }

    #[test]
    fn ranges_parse_and_bad_ones_explain_themselves() {
        let p = Parameter::parse("params.beta_peer=0:3").unwrap();
        assert_eq!((p.lo, p.hi), (0.0, 3.0));
        assert_eq!(p.at(0.5), 1.5);
        assert_eq!(p.unit(4.0), 1.0);
        for bad in [
            "params.beta_peer",
            "params.beta_peer=3",
            "params.beta_peer=2:1",
            "x=a:1",
        ] {
            assert!(Parameter::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn observed_curves_are_read_strictly() {
        let o = Observed::parse(
            "o.csv",
            "date,members,joined\n2015-01-01,3,A;B\n2015-02-01,4,C\n",
        )
        .unwrap();
        assert_eq!(o.points.len(), 2);
        assert_eq!(
            o.members.as_deref(),
            Some(&["A".to_owned(), "B".into(), "C".into()][..])
        );
        let e = Observed::parse("o.csv", "date,members\n2015-02-01,3\n2015-01-01,4\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = Observed::parse("o.csv", "date,members\n2015-02-01,x\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("members"));
        assert!(Observed::parse("o.csv", "when,count\n").is_err());
        assert!(Observed::parse("o.csv", "date,members\n").is_err());
    }

    #[test]
    fn current_values_come_from_the_file_or_the_defaults() {
        let t: toml::Table = toml::from_str("[params]\nbeta_peer = 2.5\n").unwrap();
        assert_eq!(current_value(&t, "params.beta_peer"), Some(2.5));
        assert_eq!(
            current_value(&t, "params.tau"),
            Some(crate::scenario::Params::default().tau)
        );
        let t: toml::Table =
            toml::from_str("[[events]]\nmultiplier = 2\n[[events]]\nmultiplier = 28.5\n").unwrap();
        assert_eq!(current_value(&t, "events[0].multiplier"), Some(2.0));
        assert_eq!(current_value(&t, "events[1].multiplier"), Some(28.5));
        assert_eq!(current_value(&t, "events[2].multiplier"), None);
        assert_eq!(current_value(&t, "events.multiplier"), None);
    }
}
