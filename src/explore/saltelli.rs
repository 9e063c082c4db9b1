//! Variance-based sensitivity indices (Sobol' 1993) from the Saltelli design.
//!
//! The design takes `N` base samples of a scrambled Sobol' sequence in `2k` dimensions:
//! the first `k` coordinates make matrix `A`, the other `k` matrix `B`. `AB_i` is `A` with
//! column `i` taken from `B` (and, for second-order indices, `BA_i` is `B` with column `i`
//! from `A`). The points are laid out base sample by base sample, as SALib does: for
//! sample `j`, the row of `A`, the rows of `AB_1 .. AB_k`, (the rows of `BA_1 .. BA_k`,)
//! then the row of `B`; `N (k + 2)` points in all (`N (2k + 2)` with second order). So the
//! first `N/4` or `N/2` base samples are a prefix of the points, which gives the
//! convergence table for free.
//!
//! Estimators, with `V` the variance of the outputs at `A` and `B` together and `f` the
//! outputs less their mean over `A` and `B` (centring leaves the estimators' expectations
//! unchanged and makes their variance independent of the output's level; Sobol' 2001):
//! - first order (Saltelli et al. 2010, table 2 (b)): `S_i = mean(f(B) (f(AB_i) - f(A))) / V`;
//! - total (Jansen 1999; Saltelli et al. 2010, table 2 (f)):
//!   `ST_i = mean((f(A) - f(AB_i))^2) / (2V)`;
//! - second order (Saltelli 2002): `S_il = mean(f(BA_i) f(AB_l) - f(A) f(B)) / V - S_i - S_l`.
//!
//! Intervals are bootstrap percentile intervals over the base samples (the `k + 2` rows
//! of a base sample are resampled together).
//!
//! - I. M. Sobol' (1993), "Sensitivity estimates for nonlinear mathematical models", Math.
//!   Model. Comput. Exp. 1, 407-414.
//! - I. M. Sobol' (2001), "Global sensitivity indices for nonlinear mathematical models and
//!   their Monte Carlo estimates", Math. Comput. Simul. 55, 271-280.
//! - M. J. W. Jansen (1999), "Analysis of variance designs for model output", Comput.
//!   Phys. Commun. 117, 35-43.
//! - A. Saltelli (2002), "Making best use of model evaluations to compute sensitivity
//!   indices", Comput. Phys. Commun. 145, 280-297.
//! - A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto and S. Tarantola (2010),
//!   "Variance based sensitivity analysis of model output. Design and estimator for the
//!   total sensitivity index", Comput. Phys. Commun. 181, 259-270.

use rayon::prelude::*;

use super::Estimate;
use super::bootstrap::Bootstrap;
use super::sobol_seq::{MAX_DIMS, Sobol};

/// The shape of a Saltelli design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Saltelli {
    /// Number of factors `k`.
    pub factors: usize,
    /// Number of base samples `N` (ideally a power of two).
    pub base: usize,
    /// Whether the `BA_i` rows for second-order indices are included.
    pub second_order: bool,
}

/// Sobol' indices of one output, with bootstrap intervals.
#[derive(Clone, Debug, PartialEq)]
pub struct SobolIndices {
    /// First-order index of each factor.
    pub first: Vec<Estimate>,
    /// Total index of each factor.
    pub total: Vec<Estimate>,
    /// Second-order index of each pair `(i, l)`, `i < l` (empty without second order).
    pub second: Vec<(usize, usize, Estimate)>,
    /// The output's variance over `A` and `B` (0: the output is constant, and every index
    /// is reported as 0).
    pub variance: f64,
}

/// The most factors a design can have: two Sobol' dimensions each.
pub const MAX_FACTORS: usize = MAX_DIMS / 2;

/// Whether `n` is a power of two (the base sizes at which the Sobol' sequence is balanced).
pub fn is_power_of_two(n: usize) -> bool {
    n.is_power_of_two()
}

impl Saltelli {
    /// A design of `base` samples over `factors` factors.
    pub fn new(factors: usize, base: usize, second_order: bool) -> Result<Saltelli, String> {
        if factors == 0 || factors > MAX_FACTORS {
            return Err(format!(
                "a Sobol' design takes 1 to {MAX_FACTORS} factors, not {factors}"
            ));
        }
        if base < 2 {
            return Err(format!(
                "a Sobol' design needs at least 2 base samples, not {base}"
            ));
        }
        Ok(Saltelli {
            factors,
            base,
            second_order,
        })
    }

    /// Points per base sample: `k + 2`, or `2k + 2` with second order.
    pub fn rows_per_base(&self) -> usize {
        if self.second_order {
            2 * self.factors + 2
        } else {
            self.factors + 2
        }
    }

    /// Number of points: `N (k + 2)` (or `N (2k + 2)`).
    pub fn points(&self) -> usize {
        self.base * self.rows_per_base()
    }

    /// The same design cut to its first `base` base samples (a prefix of the points).
    pub fn prefix(&self, base: usize) -> Saltelli {
        Saltelli {
            base: base.min(self.base),
            ..*self
        }
    }

    /// The design's points in the unit hypercube, in the order of the module doc, from the
    /// Sobol' sequence scrambled with `seed`.
    pub fn design(&self, seed: u64) -> Vec<Vec<f64>> {
        let k = self.factors;
        let sequence = Sobol::scrambled(2 * k, seed).expect("2k <= MAX_DIMS by construction");
        let mut out = Vec::with_capacity(self.points());
        for row in sequence.points(self.base) {
            let (a, b) = row.split_at(k);
            out.push(a.to_vec());
            for i in 0..k {
                let mut ab = a.to_vec();
                ab[i] = b[i];
                out.push(ab);
            }
            if self.second_order {
                for i in 0..k {
                    let mut ba = b.to_vec();
                    ba[i] = a[i];
                    out.push(ba);
                }
            }
            out.push(b.to_vec());
        }
        out
    }

    /// The indices from the outputs `y` at the design's points (in design order), with
    /// intervals from `bootstrap`. `y` must hold [`Self::points`] finite values.
    pub fn analyze(&self, y: &[f64], bootstrap: &Bootstrap) -> SobolIndices {
        let runs = Outputs::split(self, y);
        let all: Vec<usize> = (0..self.base).collect();
        let point = runs.estimate(&all);
        if point.variance <= 0.0 {
            let zero = |n: usize| vec![Estimate::exact(0.0); n];
            return SobolIndices {
                first: zero(self.factors),
                total: zero(self.factors),
                second: pairs(self.factors, self.second_order)
                    .map(|(i, l)| (i, l, Estimate::exact(0.0)))
                    .collect(),
                variance: 0.0,
            };
        }
        let resampled: Vec<Raw> = (0..bootstrap.resamples)
            .into_par_iter()
            .map(|b| runs.estimate(&bootstrap.resample(b, self.base)))
            .collect();
        let interval = |value: f64, pick: &dyn Fn(&Raw) -> f64| -> Estimate {
            if resampled.is_empty() {
                return Estimate::exact(value);
            }
            let mut s: Vec<f64> = resampled.iter().map(pick).collect();
            let (low, high) = bootstrap.interval(&mut s);
            Estimate { value, low, high }
        };
        SobolIndices {
            first: (0..self.factors)
                .map(|i| interval(point.first[i], &|r: &Raw| r.first[i]))
                .collect(),
            total: (0..self.factors)
                .map(|i| interval(point.total[i], &|r: &Raw| r.total[i]))
                .collect(),
            second: point
                .second
                .iter()
                .enumerate()
                .map(|(p, &(i, l, v))| (i, l, interval(v, &|r: &Raw| r.second[p].2)))
                .collect(),
            variance: point.variance,
        }
    }
}

/// The pairs `(i, l)`, `i < l`, of second-order indices (none without second order).
fn pairs(k: usize, second_order: bool) -> impl Iterator<Item = (usize, usize)> {
    let k = if second_order { k } else { 0 };
    (0..k).flat_map(move |i| (i + 1..k).map(move |l| (i, l)))
}

/// The outputs split by matrix, one row per base sample.
struct Outputs {
    k: usize,
    second_order: bool,
    a: Vec<f64>,
    b: Vec<f64>,
    /// `ab[j * k + i]`: the output at row `j` of `AB_i`.
    ab: Vec<f64>,
    /// `ba[j * k + i]`: the output at row `j` of `BA_i` (empty without second order).
    ba: Vec<f64>,
}

/// Indices from one set of base samples, before intervals.
struct Raw {
    first: Vec<f64>,
    total: Vec<f64>,
    second: Vec<(usize, usize, f64)>,
    variance: f64,
}

impl Outputs {
    fn split(design: &Saltelli, y: &[f64]) -> Outputs {
        let (k, rows) = (design.factors, design.rows_per_base());
        assert_eq!(y.len(), design.points(), "one output per design point");
        let mut out = Outputs {
            k,
            second_order: design.second_order,
            a: Vec::with_capacity(design.base),
            b: Vec::with_capacity(design.base),
            ab: Vec::with_capacity(design.base * k),
            ba: Vec::new(),
        };
        for block in y.chunks(rows) {
            out.a.push(block[0]);
            out.ab.extend_from_slice(&block[1..=k]);
            if design.second_order {
                out.ba.extend_from_slice(&block[k + 1..=2 * k]);
            }
            out.b.push(block[rows - 1]);
        }
        out
    }

    /// The estimators over the base samples `idx` (repeats allowed).
    fn estimate(&self, idx: &[usize]) -> Raw {
        let (k, n) = (self.k, idx.len() as f64);
        let mut sum = 0.0;
        for &j in idx {
            sum += self.a[j] + self.b[j];
        }
        let mean = sum / (2.0 * n);
        let mut squares = 0.0;
        let mut first = vec![0.0; k];
        let mut total = vec![0.0; k];
        for &j in idx {
            let (a, b) = (self.a[j], self.b[j]);
            squares += (a - mean).powi(2) + (b - mean).powi(2);
            for (i, &ab) in self.ab[j * k..(j + 1) * k].iter().enumerate() {
                first[i] += (b - mean) * (ab - a);
                total[i] += (a - ab).powi(2);
            }
        }
        let variance = squares / (2.0 * n);
        if variance <= 0.0 {
            return Raw {
                first: vec![0.0; k],
                total: vec![0.0; k],
                second: pairs(k, self.second_order)
                    .map(|(i, l)| (i, l, 0.0))
                    .collect(),
                variance,
            };
        }
        for i in 0..k {
            first[i] /= n * variance;
            total[i] /= 2.0 * n * variance;
        }
        // One pass over the base samples for every pair, rows read in order.
        let mut sums = vec![
            0.0;
            if self.second_order {
                k * (k - 1) / 2
            } else {
                0
            }
        ];
        if self.second_order {
            for &j in idx {
                let base = (self.a[j] - mean) * (self.b[j] - mean);
                let (ab, ba) = (&self.ab[j * k..(j + 1) * k], &self.ba[j * k..(j + 1) * k]);
                let mut p = 0;
                for i in 0..k {
                    let bai = ba[i] - mean;
                    let rest = &ab[i + 1..];
                    for (s, abl) in sums[p..p + rest.len()].iter_mut().zip(rest) {
                        *s += bai * (abl - mean) - base;
                    }
                    p += rest.len();
                }
            }
        }
        let second = pairs(k, self.second_order)
            .zip(sums)
            .map(|((i, l), s)| (i, l, s / (n * variance) - first[i] - first[l]))
            .collect();
        Raw {
            first,
            total,
            second,
            variance,
        }
    }
}

/// The indices of `f` over `factors` inputs in `[0, 1]`: a Saltelli design of `base`
/// samples scrambled with `seed`, `f` evaluated at every point, intervals from
/// `bootstrap`. For tests and for functions cheap enough to call in place.
pub fn estimate(
    design: &Saltelli,
    seed: u64,
    bootstrap: &Bootstrap,
    f: impl Fn(&[f64]) -> f64,
) -> SobolIndices {
    let y: Vec<f64> = design.design(seed).iter().map(|x| f(x)).collect();
    design.analyze(&y, bootstrap)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// The Ishigami function (Ishigami and Homma 1990) with a = 7, b = 0.1, on the unit
    /// cube mapped to [-pi, pi]^3.
    pub fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Sobol's G-function with coefficients `a`.
    pub fn g_function(a: &[f64], u: &[f64]) -> f64 {
        a.iter()
            .zip(u)
            .map(|(a, x)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
            .product()
    }

    /// The G-function's analytic first-order and total indices (Saltelli et al. 2010).
    pub fn g_indices(a: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let vi: Vec<f64> = a.iter().map(|a| 1.0 / (3.0 * (1.0 + a).powi(2))).collect();
        let v = vi.iter().map(|v| 1.0 + v).product::<f64>() - 1.0;
        let first = vi.iter().map(|x| x / v).collect();
        let total = (0..a.len())
            .map(|i| {
                vi[i]
                    * (0..a.len())
                        .filter(|&j| j != i)
                        .map(|j| 1.0 + vi[j])
                        .product::<f64>()
                    / v
            })
            .collect();
        (first, total)
    }

    #[test]
    fn the_design_has_the_saltelli_layout() {
        let d = Saltelli::new(3, 8, true).unwrap();
        assert_eq!((d.rows_per_base(), d.points()), (8, 64));
        let x = d.design(5);
        assert_eq!(x.len(), 64);
        for block in x.chunks(8) {
            let (a, b) = (&block[0], &block[7]);
            for i in 0..3 {
                for c in 0..3 {
                    let (ab, ba) = (&block[1 + i], &block[4 + i]);
                    assert_eq!(ab[c], if c == i { b[c] } else { a[c] }, "AB_{i}");
                    assert_eq!(ba[c], if c == i { a[c] } else { b[c] }, "BA_{i}");
                }
            }
        }
        assert_eq!(x, d.design(5), "seeded");
        assert_eq!(
            d.prefix(2).design(5),
            x[..16].to_vec(),
            "a prefix of base samples is a prefix of the points"
        );
        assert!(Saltelli::new(0, 8, false).is_err());
        assert!(Saltelli::new(MAX_FACTORS + 1, 8, false).is_err());
    }

    #[test]
    fn ishigami_indices_match_the_analytic_values() {
        // Analytic values for a = 7, b = 0.1 (Ishigami and Homma 1990; Saltelli et al.
        // 2010): S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437. At N = 8192 base
        // samples (40,960 evaluations) every estimate is within 0.02 of its value, and
        // the 95% intervals cover it, for each of four scrambling seeds.
        let (s1, st) = ([0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437]);
        let d = Saltelli::new(3, 8192, false).unwrap();
        let boot = Bootstrap {
            resamples: 300,
            ..Bootstrap::default()
        };
        for seed in 1..=4 {
            let r = estimate(&d, seed, &boot, ishigami);
            for i in 0..3 {
                let (f, t) = (r.first[i], r.total[i]);
                assert!((f.value - s1[i]).abs() < 0.02, "seed {seed}: S1_{i} {f:?}");
                assert!((t.value - st[i]).abs() < 0.02, "seed {seed}: ST_{i} {t:?}");
                assert!(
                    f.covers(s1[i]) || (f.value - s1[i]).abs() < 0.005,
                    "seed {seed}: S1_{i} {f:?}"
                );
                assert!(
                    t.covers(st[i]) || (t.value - st[i]).abs() < 0.005,
                    "seed {seed}: ST_{i} {t:?}"
                );
            }
        }
    }

    #[test]
    fn g_function_indices_match_the_analytic_values() {
        // a = (0, 1, 4.5, 9, 99, 99): two strong factors, two weak, two nearly inert.
        // At N = 4096 every first-order and total index is within 0.03 of its analytic
        // value; second-order indices (the G-function's are small) within 0.05.
        let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0];
        let (s1, st) = g_indices(&a);
        let d = Saltelli::new(6, 4096, true).unwrap();
        let r = estimate(
            &d,
            3,
            &Bootstrap {
                resamples: 200,
                ..Bootstrap::default()
            },
            |u| g_function(&a, u),
        );
        for i in 0..6 {
            assert!(
                (r.first[i].value - s1[i]).abs() < 0.03,
                "S1_{i}: {:?} vs {}",
                r.first[i],
                s1[i]
            );
            assert!(
                (r.total[i].value - st[i]).abs() < 0.03,
                "ST_{i}: {:?} vs {}",
                r.total[i],
                st[i]
            );
        }
        // S_12 analytic: V_1 V_2 / V.
        let vi: Vec<f64> = a.iter().map(|a| 1.0 / (3.0 * (1.0 + a).powi(2))).collect();
        let v = vi.iter().map(|v| 1.0 + v).product::<f64>() - 1.0;
        assert_eq!(r.second.len(), 15);
        for &(i, l, e) in &r.second {
            let exact = vi[i] * vi[l] / v;
            assert!((e.value - exact).abs() < 0.05, "S_{i}{l}: {e:?} vs {exact}");
        }
    }

    #[test]
    fn indices_do_not_depend_on_the_level_of_the_output() {
        // Shares of counts near 200, or of dates near 2030: shifting the output by a
        // constant must change nothing (the uncentred first-order estimator would scatter).
        let d = Saltelli::new(3, 256, true).unwrap();
        let boot = Bootstrap {
            resamples: 50,
            ..Bootstrap::default()
        };
        let a = estimate(&d, 2, &boot, ishigami);
        let b = estimate(&d, 2, &boot, |u| ishigami(u) + 1000.0);
        let close = |x: &Estimate, y: &Estimate| {
            (x.value - y.value).abs() < 1e-9
                && (x.low - y.low).abs() < 1e-9
                && (x.high - y.high).abs() < 1e-9
        };
        for i in 0..3 {
            assert!(
                close(&a.first[i], &b.first[i]),
                "S1_{i}: {:?} vs {:?}",
                a.first[i],
                b.first[i]
            );
            assert!(close(&a.total[i], &b.total[i]), "ST_{i}");
        }
        for (x, y) in a.second.iter().zip(&b.second) {
            assert!(close(&x.2, &y.2), "S2 {x:?} vs {y:?}");
        }
    }

    #[test]
    fn a_constant_output_has_zero_indices_and_no_nan() {
        let d = Saltelli::new(2, 16, true).unwrap();
        let r = estimate(&d, 1, &Bootstrap::default(), |_| 3.0);
        assert_eq!(r.variance, 0.0);
        assert!(
            r.first
                .iter()
                .chain(&r.total)
                .all(|e| *e == Estimate::exact(0.0))
        );
        assert_eq!(r.second.len(), 1);
    }

    #[test]
    fn intervals_do_not_depend_on_the_number_of_threads() {
        let d = Saltelli::new(3, 256, false).unwrap();
        let boot = Bootstrap::default();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let two = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let a = one.install(|| estimate(&d, 9, &boot, ishigami));
        let b = two.install(|| estimate(&d, 9, &boot, ishigami));
        assert_eq!(a, b);
    }
}
