//! Cross-validation over states: how well does a fit predict who joins among states it
//! did not see? The states whose outcome the model decides are dealt into `k` folds
//! (joiners and non-joiners dealt separately, so every fold holds its share of each).
//! For each fold, the parameters are fitted again with that fold held out: its states are
//! left out of the observed and simulated counts and of the who-joined term, a held-out
//! state's own offset (`states.ISO3.bias`, fitted to its own outcome) is dropped, and the
//! search starts from the Latin hypercube alone (the scenario's values were fitted on every
//! state). The refitted scenario then predicts the held-out states: each one's share of
//! seeds in which it is a member at the last observed date.
//!
//! Two baselines are fitted on the same training states and predict the same held-out
//! ones: the base rate (the training share of joiners) and a logistic regression on the
//! states' attributes with no dynamics ([`attributes`]). Every state is predicted once,
//! by the fold that held it out, and the pooled predictions are scored (`scores.rs`).

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::baselines::{base_rate, fit_logistic};
use super::fit::search;
use super::problem::Problem;
use super::scores::{Scores, score};
use super::search::{Evaluation, Settings};
use super::trace::free_states;
use super::{Observed, Parameter};
use crate::scenario::{Scenario, ScenarioError};
use crate::sweep::Base;
use crate::world::spawn::Prepared;

/// The ridge penalty of the logistic baseline, on standardised attributes: light enough to
/// leave a well-determined fit alone, enough to keep a separating attribute finite.
pub const RIDGE: f64 = 1.0;

/// The attributes the logistic baseline uses: the static inputs of the model's utility.
pub const ATTRIBUTES: [&str; 9] = [
    "size_z",
    "affinity",
    "alignment",
    "trade",
    "need",
    "us_ally",
    "democracy",
    "dispute_with_host",
    "hosts_us_forces",
];

/// One held-out state's predictions.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// ISO3.
    pub iso3: String,
    /// The fold that held it out (0-based).
    pub fold: usize,
    /// Whether it was observed to be a member at the last observed date.
    pub observed: bool,
    /// The model's share of seeds in which it is a member then.
    pub model: f64,
    /// The base rate of its fold's training states.
    pub base_rate: f64,
    /// The logistic baseline's probability.
    pub logistic: f64,
}

/// One fold's fit.
#[derive(Clone, Debug)]
pub struct FoldFit {
    /// The fold (0-based).
    pub fold: usize,
    /// States held out.
    pub held_out: usize,
    /// The parameters fitted (those naming a held-out state dropped).
    pub parameters: Vec<Parameter>,
    /// The best evaluation on the training states.
    pub best: Evaluation,
    /// Evaluations made.
    pub evaluations: usize,
}

/// The result of a cross-validation.
#[derive(Clone, Debug)]
pub struct CrossValidation {
    /// Folds.
    pub k: usize,
    /// Each fold's fit.
    pub folds: Vec<FoldFit>,
    /// Every scored state's held-out predictions, in state order.
    pub predictions: Vec<Prediction>,
    /// The model's pooled scores.
    pub model: Scores,
    /// The base rate's.
    pub base_rate: Scores,
    /// The logistic regression's.
    pub logistic: Scores,
}

impl CrossValidation {
    /// The three predictors with their pooled scores, the model first.
    pub fn predictors(&self) -> [(&'static str, &Scores); 3] {
        [
            ("model", &self.model),
            ("base rate", &self.base_rate),
            ("logistic", &self.logistic),
        ]
    }
}

/// Cross-validates the fit of `parameters` over `k` folds of states. `progress` is called
/// after every evaluation with the number done so far (over all folds).
pub fn cross_validate(
    base: &Base,
    observed: &Observed,
    parameters: &[Parameter],
    settings: &Settings,
    k: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<CrossValidation, ScenarioError> {
    let scenario = base.scenario(&[])?;
    let who = outcomes(&scenario, observed)?;
    let prepared = Prepared::new(&scenario);
    let free = free_states(&scenario, &prepared);
    let fold_of = deal(&free, &who, k, settings.search_seed)?;
    let x = attributes(&scenario);
    let floor = 0.5 / f64::from(settings.seeds.max(1));
    let codes: Vec<String> = scenario
        .world
        .nations
        .iter()
        .map(|n| n.iso3.clone())
        .collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let mut folds = Vec::with_capacity(k);
    let mut predictions: Vec<Prediction> = Vec::new();
    for f in 0..k {
        let held_out: Vec<bool> = fold_of.iter().map(|g| *g == Some(f)).collect();
        let (fold_base, fold_params) = without_offsets(base, parameters, &codes, &held_out);
        let offset = done.load(std::sync::atomic::Ordering::Relaxed);
        let counted = |n: usize| {
            done.store(offset + n, std::sync::atomic::Ordering::Relaxed);
            progress(offset + n);
        };
        let problem = Problem::new(&fold_base, observed, &fold_params, settings, &held_out)?;
        let fit = search(&problem, &fold_params, settings, false, &counted)?;
        let train: Vec<usize> = (0..free.len())
            .filter(|&i| fold_of[i].is_some() && !held_out[i])
            .collect();
        let y_train: Vec<bool> = train.iter().map(|&i| who[i]).collect();
        let rate = base_rate(&y_train);
        let x_train: Vec<Vec<f64>> = train.iter().map(|&i| x[i].clone()).collect();
        let logistic = fit_logistic(&x_train, &y_train, RIDGE).map_err(|e| {
            ScenarioError::new(
                &base.label,
                format!("the logistic baseline of fold {}: {e}", f + 1),
            )
        })?;
        for i in (0..free.len()).filter(|&i| held_out[i]) {
            predictions.push(Prediction {
                iso3: codes[i].clone(),
                fold: f,
                observed: who[i],
                model: fit.states[i].share,
                base_rate: rate,
                logistic: logistic.predict(&x[i]),
            });
        }
        folds.push(FoldFit {
            fold: f,
            held_out: held_out.iter().filter(|&&h| h).count(),
            parameters: fold_params,
            evaluations: fit.history.len(),
            best: fit.best,
        });
    }
    predictions.sort_by(|a, b| a.iso3.cmp(&b.iso3));
    let y: Vec<bool> = predictions.iter().map(|p| p.observed).collect();
    let pooled = |get: fn(&Prediction) -> f64| {
        let p: Vec<f64> = predictions.iter().map(get).collect();
        score(&p, &y, floor)
    };
    Ok(CrossValidation {
        k,
        folds,
        model: pooled(|p| p.model),
        base_rate: pooled(|p| p.base_rate),
        logistic: pooled(|p| p.logistic),
        predictions,
    })
}

/// Observed membership at the last observed date, by state index.
fn outcomes(scenario: &Scenario, observed: &Observed) -> Result<Vec<bool>, ScenarioError> {
    let Some(members) = &observed.members else {
        return Err(ScenarioError::new(
            &observed.label,
            "cross-validation scores who joined and needs a `joined` column",
        )
        .help("add a joined column (ISO3 codes separated by ;) or drop --folds"));
    };
    Ok(scenario
        .world
        .nations
        .iter()
        .map(|n| members.binary_search(&n.iso3).is_ok())
        .collect())
}

/// Deals the free states into `k` folds: joiners, then non-joiners, each in a seeded
/// shuffle, dealt in turn. `None` for states not scored.
fn deal(
    free: &[bool],
    who: &[bool],
    k: usize,
    seed: u64,
) -> Result<Vec<Option<usize>>, ScenarioError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut joiners: Vec<usize> = (0..free.len()).filter(|&i| free[i] && who[i]).collect();
    let mut others: Vec<usize> = (0..free.len()).filter(|&i| free[i] && !who[i]).collect();
    if k < 2 || k > joiners.len().min(others.len()) {
        return Err(ScenarioError::new(
            "--folds",
            format!(
                "{k} folds: each fold needs a joiner and a non-joiner among the {} states the model decides ({} joined)",
                joiners.len() + others.len(),
                joiners.len()
            ),
        )
        .help(format!("choose 2 to {} folds", joiners.len().min(others.len()).max(2))));
    }
    joiners.shuffle(&mut rng);
    others.shuffle(&mut rng);
    let mut fold_of = vec![None; free.len()];
    for (n, i) in joiners.into_iter().chain(others).enumerate() {
        fold_of[i] = Some(n % k);
    }
    Ok(fold_of)
}

/// The fold's base and parameters: a held-out state's `bias` removed from the scenario,
/// and fitted paths that name a held-out state dropped.
fn without_offsets(
    base: &Base,
    parameters: &[Parameter],
    codes: &[String],
    held_out: &[bool],
) -> (Base, Vec<Parameter>) {
    let out: Vec<&str> = codes
        .iter()
        .zip(held_out)
        .filter(|(_, h)| **h)
        .map(|(c, _)| c.as_str())
        .collect();
    let mut fold_base = base.clone();
    if let Some(toml::Value::Table(states)) = fold_base.table_mut().get_mut("states") {
        for code in &out {
            if let Some(toml::Value::Table(state)) = states.get_mut(*code) {
                state.remove("bias");
            }
        }
    }
    let names_held_out = |path: &str| {
        path.strip_prefix("states.")
            .and_then(|rest| rest.split('.').next())
            .is_some_and(|code| out.contains(&code))
    };
    let fold_params = parameters
        .iter()
        .filter_map(|p| {
            let kept: Vec<&str> = p.paths().filter(|path| !names_held_out(path)).collect();
            (!kept.is_empty()).then(|| Parameter {
                path: kept.join("|"),
                lo: p.lo,
                hi: p.hi,
            })
        })
        .collect();
    (fold_base, fold_params)
}

/// Every state's [`ATTRIBUTES`], by index: standardised log GDP (over every state of the
/// world, as the model's `z_size`), the scenario's regional affinity, alignment, trade with
/// the host less trade with the opponent, `1 - ai_capacity`, the US alliance, democracy, the
/// dispute with the host and US forces.
pub fn attributes(scenario: &Scenario) -> Vec<Vec<f64>> {
    let nations = &scenario.world.nations;
    let logs: Vec<f64> = nations.iter().map(|n| n.gdp_usd_bn.ln()).collect();
    let mean = logs.iter().sum::<f64>() / logs.len().max(1) as f64;
    let sd =
        (logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / logs.len().max(1) as f64).sqrt();
    nations
        .iter()
        .zip(&logs)
        .map(|(n, l)| {
            vec![
                if sd > 0.0 { (l - mean) / sd } else { 0.0 },
                scenario
                    .params
                    .affinity
                    .get(&n.region)
                    .copied()
                    .unwrap_or(0.0),
                n.alignment,
                n.china_trade_share - n.us_trade_share,
                1.0 - n.ai_capacity,
                n.us_ally,
                n.democracy,
                f64::from(n.dispute_with_host),
                f64::from(u8::from(n.hosts_us_forces)),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_deal_joiners_and_others_evenly_and_skip_held_states() {
        let free: Vec<bool> = (0..40).map(|i| i % 10 != 0).collect();
        let who: Vec<bool> = (0..40).map(|i| i % 3 == 0).collect();
        let fold_of = deal(&free, &who, 4, 9).unwrap();
        for i in 0..40 {
            assert_eq!(fold_of[i].is_some(), free[i], "state {i}");
        }
        for f in 0..4 {
            let joiners = (0..40).filter(|&i| fold_of[i] == Some(f) && who[i]).count();
            let all = (0..40).filter(|&i| fold_of[i] == Some(f)).count();
            assert!((2..=3).contains(&joiners), "fold {f}: {joiners} joiners");
            assert!((8..=10).contains(&all), "fold {f}: {all} states");
        }
        assert_eq!(fold_of, deal(&free, &who, 4, 9).unwrap(), "seeded");
        assert!(deal(&free, &who, 1, 9).is_err());
        assert!(deal(&free, &who, 30, 9).is_err());
    }

    #[test]
    fn a_held_out_state_loses_its_offset_and_its_fitted_paths() {
        let mut base = Base::load("baseline", "test", "scenario", None).unwrap();
        let mut jpn = toml::Table::new();
        jpn.insert("bias".into(), toml::Value::Float(-3.0));
        jpn.insert("alignment".into(), toml::Value::Float(0.1));
        let mut states = toml::Table::new();
        states.insert("JPN".into(), toml::Value::Table(jpn));
        base.table_mut()
            .insert("states".into(), toml::Value::Table(states));
        let codes = vec!["FRA".to_owned(), "JPN".into()];
        let params = vec![
            Parameter::parse("states.JPN.bias=-6:0").unwrap(),
            Parameter::parse("params.beta_peer=0:2").unwrap(),
            Parameter::parse("states.JPN.shock|states.FRA.shock=0:1").unwrap(),
        ];
        let (b, p) = without_offsets(&base, &params, &codes, &[false, true]);
        let jpn = &b.table()["states"]["JPN"];
        assert!(jpn.get("bias").is_none());
        assert_eq!(
            jpn["alignment"].as_float(),
            Some(0.1),
            "data overrides stay"
        );
        let paths: Vec<&str> = p.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["params.beta_peer", "states.FRA.shock"]);
    }
}
