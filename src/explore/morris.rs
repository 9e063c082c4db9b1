//! Morris screening: elementary effects along random one-at-a-time trajectories (Morris
//! 1991), summarised by mu* (the mean absolute effect, Campolongo et al. 2007), mu and
//! sigma, with optional trajectory selection for spread (Campolongo et al. 2007).
//!
//! The unit range of each factor is cut into `p` levels `0, 1/(p-1), ..., 1` (`p` even);
//! a step moves one factor by `delta = p / (2 (p - 1))`. A trajectory starts at a random
//! point of the lower half of the grid and moves each factor once, in a random order and a
//! random direction: `k + 1` points. The elementary effect of the factor moved between two
//! consecutive points is `(f(after) - f(before)) / delta`, signed by the direction, in
//! units of the output per whole range of the factor. `r` trajectories give `r` effects per
//! factor and `r (k + 1)` points in all.
//!
//! With `candidates = M > r`, `M` trajectories are drawn and `r` of them kept, chosen
//! greedily to maximise Campolongo et al.'s spread: the sum over pairs of the squared
//! distance `d_ml = sum_i sum_j |X_i^m - X_j^l|` (the first step of Ruano et al.'s 2012
//! local search, not the exhaustive search, which is combinatorial).
//!
//! - M. D. Morris (1991), "Factorial sampling plans for preliminary computational
//!   experiments", Technometrics 33(2), 161-174.
//! - F. Campolongo, J. Cariboni and A. Saltelli (2007), "An effective screening design
//!   for sensitivity analysis of large models", Environ. Model. Softw. 22, 1509-1518.
//! - M. V. Ruano, J. Ribes, A. Seco and J. Ferrer (2012), "An improved sampling strategy
//!   based on trajectory design for application of the Morris method to systems with many
//!   input factors", Environ. Model. Softw. 37, 103-109.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Estimate;
use super::bootstrap::Bootstrap;

/// The shape of a Morris design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Morris {
    /// Number of factors `k`.
    pub factors: usize,
    /// Trajectories kept, `r`.
    pub trajectories: usize,
    /// Grid levels `p` (even, at least 2).
    pub levels: usize,
    /// Trajectories drawn before selection (`<= r`: no selection).
    pub candidates: usize,
}

/// Morris measures of one output.
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisIndices {
    /// Mean elementary effect of each factor (effects of opposite sign cancel).
    pub mu: Vec<f64>,
    /// Mean absolute elementary effect, with its bootstrap interval over trajectories.
    pub mu_star: Vec<Estimate>,
    /// Sample standard deviation of the effects (non-linearity or interactions).
    pub sigma: Vec<f64>,
}

/// The most candidate trajectories a selection considers (its cost grows as the square).
pub const MAX_CANDIDATES: usize = 2000;

impl Morris {
    /// A design of `trajectories` trajectories over `factors` factors on `levels` levels,
    /// selected from `candidates` when that is larger.
    pub fn new(
        factors: usize,
        trajectories: usize,
        levels: usize,
        candidates: usize,
    ) -> Result<Morris, String> {
        if factors == 0 {
            return Err("a Morris design needs at least one factor".into());
        }
        if trajectories < 2 {
            return Err(format!(
                "a Morris design needs at least 2 trajectories, not {trajectories}"
            ));
        }
        if levels < 2 || levels % 2 == 1 {
            return Err(format!(
                "Morris levels must be an even number of at least 2, not {levels}"
            ));
        }
        if candidates > MAX_CANDIDATES {
            return Err(format!(
                "at most {MAX_CANDIDATES} candidate trajectories, not {candidates}"
            ));
        }
        Ok(Morris {
            factors,
            trajectories,
            levels,
            candidates,
        })
    }

    /// The step `delta = p / (2 (p - 1))`.
    pub fn delta(&self) -> f64 {
        self.levels as f64 / (2.0 * (self.levels - 1) as f64)
    }

    /// Points: `r (k + 1)`.
    pub fn points(&self) -> usize {
        self.trajectories * (self.factors + 1)
    }

    /// The same design cut to its first `trajectories` trajectories.
    pub fn prefix(&self, trajectories: usize) -> Morris {
        Morris {
            trajectories: trajectories.min(self.trajectories),
            ..*self
        }
    }

    /// The design's points in the unit hypercube, trajectory after trajectory, drawn with
    /// ChaCha8 from `seed`.
    pub fn design(&self, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let drawn = self.candidates.max(self.trajectories);
        let all: Vec<Vec<Vec<f64>>> = (0..drawn).map(|_| self.trajectory(&mut rng)).collect();
        let chosen = if drawn > self.trajectories {
            select(&all, self.trajectories)
        } else {
            (0..drawn).collect()
        };
        chosen.into_iter().flat_map(|t| all[t].clone()).collect()
    }

    fn trajectory(&self, rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
        let (k, p) = (self.factors, self.levels);
        let delta = self.delta();
        let step = 1.0 / (p - 1) as f64;
        let start: Vec<f64> = (0..k)
            .map(|_| (rng.next_u32() as usize % (p / 2)) as f64 * step)
            .collect();
        let up: Vec<bool> = (0..k).map(|_| rng.next_u32() & 1 == 1).collect();
        let mut order: Vec<usize> = (0..k).collect();
        order.shuffle(rng);
        let mut x: Vec<f64> = (0..k)
            .map(|i| if up[i] { start[i] } else { start[i] + delta })
            .collect();
        let mut rows = vec![x.clone()];
        for &i in &order {
            x[i] = if up[i] { start[i] + delta } else { start[i] };
            rows.push(x.clone());
        }
        rows
    }

    /// The measures from the outputs `y` at the points `x` (the design's points in design
    /// order, in unit or in value coordinates: only which factor moved, and which way,
    /// is read from them), with intervals for mu* from `bootstrap` over trajectories.
    pub fn analyze(
        &self,
        x: &[Vec<f64>],
        y: &[f64],
        bootstrap: &Bootstrap,
    ) -> Result<MorrisIndices, String> {
        let (k, r) = (self.factors, self.trajectories);
        if x.len() != self.points() || y.len() != self.points() {
            return Err(format!(
                "a Morris design of {r} trajectories over {k} factors has {} points, not {}",
                self.points(),
                y.len()
            ));
        }
        let delta = self.delta();
        // effects[t * k + i]: the effect of factor i in trajectory t.
        let mut effects = vec![f64::NAN; r * k];
        for t in 0..r {
            for s in 0..k {
                let (a, b) = (t * (k + 1) + s, t * (k + 1) + s + 1);
                let moved: Vec<usize> = (0..k).filter(|&i| x[a][i] != x[b][i]).collect();
                let [i] = moved.as_slice() else {
                    return Err(format!(
                        "points {a} and {b} differ in {} factors, not one: not a Morris trajectory",
                        moved.len()
                    ));
                };
                let sign = if x[b][*i] > x[a][*i] { 1.0 } else { -1.0 };
                effects[t * k + i] = sign * (y[b] - y[a]) / delta;
            }
        }
        if let Some(bad) = effects.iter().position(|e| e.is_nan()) {
            return Err(format!(
                "trajectory {} does not move factor {}",
                bad / k,
                bad % k
            ));
        }
        let mean_abs = |idx: &[usize], i: usize| {
            idx.iter().map(|&t| effects[t * k + i].abs()).sum::<f64>() / idx.len() as f64
        };
        let all: Vec<usize> = (0..r).collect();
        let resamples: Vec<Vec<usize>> = (0..bootstrap.resamples)
            .map(|b| bootstrap.resample(b, r))
            .collect();
        let mut out = MorrisIndices {
            mu: Vec::with_capacity(k),
            mu_star: Vec::with_capacity(k),
            sigma: Vec::with_capacity(k),
        };
        for i in 0..k {
            let e: Vec<f64> = (0..r).map(|t| effects[t * k + i]).collect();
            let mu = e.iter().sum::<f64>() / r as f64;
            let var = e.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (r - 1) as f64;
            let value = mean_abs(&all, i);
            let mu_star = if resamples.is_empty() {
                Estimate::exact(value)
            } else {
                let mut s: Vec<f64> = resamples.iter().map(|idx| mean_abs(idx, i)).collect();
                let (low, high) = bootstrap.interval(&mut s);
                Estimate { value, low, high }
            };
            out.mu.push(mu);
            out.mu_star.push(mu_star);
            out.sigma.push(var.sqrt());
        }
        Ok(out)
    }
}

/// Campolongo et al.'s distance between two trajectories: the sum of the Euclidean
/// distances between every point of one and every point of the other.
fn distance(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    let mut d = 0.0;
    for p in a {
        for q in b {
            d += p
                .iter()
                .zip(q)
                .map(|(x, y)| (x - y).powi(2))
                .sum::<f64>()
                .sqrt();
        }
    }
    d
}

/// Picks `r` of the trajectories greedily: the farthest pair first, then each time the
/// trajectory adding most to the sum of squared distances (ties to the lowest index).
/// Returns their indices in the order chosen.
fn select(all: &[Vec<Vec<f64>>], r: usize) -> Vec<usize> {
    let m = all.len();
    let mut d2 = vec![0.0; m * m];
    for i in 0..m {
        for j in i + 1..m {
            let d = distance(&all[i], &all[j]).powi(2);
            d2[i * m + j] = d;
            d2[j * m + i] = d;
        }
    }
    let mut best = (0, 1, f64::NEG_INFINITY);
    for i in 0..m {
        for j in i + 1..m {
            if d2[i * m + j] > best.2 {
                best = (i, j, d2[i * m + j]);
            }
        }
    }
    let mut chosen = vec![best.0, best.1];
    let mut gain: Vec<f64> = (0..m)
        .map(|c| d2[c * m + best.0] + d2[c * m + best.1])
        .collect();
    while chosen.len() < r {
        let next = (0..m)
            .filter(|c| !chosen.contains(c))
            .fold(None, |acc: Option<usize>, c| match acc {
                Some(b) if gain[b] >= gain[c] => Some(b),
                _ => Some(c),
            })
            .expect("r <= m candidates");
        chosen.push(next);
        for (c, g) in gain.iter_mut().enumerate() {
            *g += d2[c * m + next];
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::saltelli::tests::g_function;

    #[test]
    fn trajectories_move_each_factor_once_by_delta_on_the_grid() {
        let d = Morris::new(5, 10, 4, 0).unwrap();
        let x = d.design(2);
        assert_eq!(x.len(), 60);
        let grid = [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0];
        for t in x.chunks(6) {
            let mut moved = [0; 5];
            for w in t.windows(2) {
                let diff: Vec<usize> = (0..5).filter(|&i| w[0][i] != w[1][i]).collect();
                assert_eq!(diff.len(), 1, "one factor per step");
                let i = diff[0];
                assert!(((w[0][i] - w[1][i]).abs() - d.delta()).abs() < 1e-12);
                moved[i] += 1;
            }
            assert_eq!(moved, [1; 5]);
            for p in t {
                assert!(
                    p.iter().all(|v| grid.iter().any(|g| (g - v).abs() < 1e-12)),
                    "{p:?}"
                );
            }
        }
        assert_eq!(x, d.design(2), "seeded");
        assert!(Morris::new(3, 10, 3, 0).is_err(), "odd levels");
    }

    #[test]
    fn selection_spreads_the_trajectories() {
        let plain = Morris::new(4, 10, 4, 0).unwrap();
        let chosen = Morris::new(4, 10, 4, 100).unwrap();
        let spread = |x: Vec<Vec<f64>>| {
            let t: Vec<Vec<Vec<f64>>> = x.chunks(5).map(<[Vec<f64>]>::to_vec).collect();
            let mut s = 0.0;
            for i in 0..t.len() {
                for j in i + 1..t.len() {
                    s += distance(&t[i], &t[j]).powi(2);
                }
            }
            s
        };
        let (a, b) = (spread(plain.design(4)), spread(chosen.design(4)));
        assert!(b > a * 1.05, "selected spread {b} vs plain {a}");
    }

    #[test]
    fn morris_ranks_the_g_function_factors_in_their_known_order() {
        // a = (0, 1, 4.5, 9, 99, 99, 99, 99): importance falls with a (Saltelli et al.
        // 2008, section 3.3); mu* must order the first four strictly and put each of them
        // above every factor with a = 99, for 50 trajectories on 4 levels, with and
        // without selection, for three seeds.
        let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
        for candidates in [0, 200] {
            let d = Morris::new(8, 50, 4, candidates).unwrap();
            for seed in 1..=3 {
                let x = d.design(seed);
                let y: Vec<f64> = x.iter().map(|u| g_function(&a, u)).collect();
                let m = d.analyze(&x, &y, &Bootstrap::default()).unwrap();
                let mu: Vec<f64> = m.mu_star.iter().map(|e| e.value).collect();
                let inert = mu[4..].iter().copied().fold(0.0, f64::max);
                assert!(
                    mu[0] > mu[1] && mu[1] > mu[2] && mu[2] > mu[3] && mu[3] > inert,
                    "candidates {candidates}, seed {seed}: {mu:?}"
                );
                assert!(
                    m.mu_star
                        .iter()
                        .all(|e| e.low <= e.value && e.value <= e.high)
                );
            }
        }
    }

    #[test]
    fn effects_are_signed_by_direction() {
        // f = 3 x_0 - x_1: every effect of x_0 is 3, of x_1 is -1, whichever way it moves.
        let d = Morris::new(2, 6, 4, 0).unwrap();
        let x = d.design(1);
        let y: Vec<f64> = x.iter().map(|u| 3.0 * u[0] - u[1]).collect();
        let m = d.analyze(&x, &y, &Bootstrap::default()).unwrap();
        assert!((m.mu[0] - 3.0).abs() < 1e-9 && (m.mu[1] + 1.0).abs() < 1e-9);
        assert!(m.sigma.iter().all(|s| s.abs() < 1e-9));
        let e = m.mu_star[0];
        assert!(
            (e.low - 3.0).abs() < 1e-9 && (e.high - 3.0).abs() < 1e-9,
            "{e:?}"
        );
        let mut broken = x.clone();
        broken[1] = broken[0].clone();
        assert!(d.analyze(&broken, &y, &Bootstrap::default()).is_err());
    }
}
