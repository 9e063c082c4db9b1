//! The search over the unit cube: the global stage's candidates (the scenario's own values
//! and a Latin hypercube) and the local stage (Nelder-Mead, kept inside the cube). Knows
//! nothing of the model: it moves points and reads losses.

use crate::scenario::ScenarioError;
use crate::sweep::design::latin_hypercube;

/// How hard to search, and on which seeds.
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

/// Stage 1's points in unit coordinates: `start` first, then a Latin hypercube of
/// `points` points seeded by `seed`.
pub(crate) fn global_candidates(
    start: Vec<f64>,
    points: usize,
    seed: u64,
) -> Vec<(Stage, Vec<f64>)> {
    let bounds = vec![(0.0, 1.0); start.len()];
    let mut candidates = vec![(Stage::Start, start)];
    candidates.extend(
        latin_hypercube(&bounds, points, seed)
            .into_iter()
            .map(|row| {
                let unit = row.iter().map(|v| v.as_float().unwrap_or(0.5)).collect();
                (Stage::Global, unit)
            }),
    );
    candidates
}

/// The lowest loss, the earliest on ties.
pub(crate) fn best_of(history: &[Evaluation]) -> &Evaluation {
    history
        .iter()
        .reduce(|a, b| if b.loss < a.loss { b } else { a })
        .expect("stage 1 evaluates at least the start")
}

/// Nelder-Mead minimisation over the unit cube (points are clamped into it), from `start`,
/// with at most `budget` evaluations. Returns every evaluation made, in order.
pub(crate) fn nelder_mead(
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
        assert!(made.len() <= 60);
        let best = best_of(&made);
        assert!(
            best.values[0] > 0.99 && best.values[1] < 0.01,
            "{:?}",
            best.values
        );
    }

    #[test]
    fn global_candidates_start_from_the_scenario_and_fill_the_cube() {
        let c = global_candidates(vec![0.25, 0.75], 10, 7);
        assert_eq!(c.len(), 11);
        assert_eq!(c[0], (Stage::Start, vec![0.25, 0.75]));
        for (stage, x) in &c[1..] {
            assert_eq!(*stage, Stage::Global);
            assert!(x.iter().all(|v| (0.0..=1.0).contains(v)), "{x:?}");
        }
        // A Latin hypercube: one point in each tenth of every axis.
        for k in 0..2 {
            let mut bins: Vec<usize> = c[1..].iter().map(|(_, x)| (x[k] * 10.0) as usize).collect();
            bins.sort_unstable();
            assert_eq!(bins, (0..10).collect::<Vec<_>>());
        }
    }
}
