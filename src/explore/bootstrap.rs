//! The bootstrap (Efron 1979): resampling the independent units of an estimate with
//! replacement, and percentile intervals from the resampled estimates (Efron and
//! Tibshirani 1993, ch. 13). Every resample is drawn from its own ChaCha8 stream, keyed by
//! the caller's seed and the resample's number, so intervals are identical whatever the
//! number of threads that compute them.
//!
//! - B. Efron (1979), "Bootstrap methods: another look at the jackknife", Ann. Statist.
//!   7(1), 1-26.
//! - B. Efron and R. J. Tibshirani (1993), *An Introduction to the Bootstrap*, Chapman &
//!   Hall.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How to bootstrap an estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bootstrap {
    /// Number of resamples (0: no intervals, every interval collapses to the estimate).
    pub resamples: usize,
    /// Seed of the resampling.
    pub seed: u64,
    /// Coverage of the intervals, e.g. 0.95.
    pub level: f64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap {
            resamples: 1000,
            seed: 1,
            level: 0.95,
        }
    }
}

impl Bootstrap {
    /// The unit indices of resample `b` of `n` units: `n` draws in `0..n` with replacement.
    pub fn resample(&self, b: usize, n: usize) -> Vec<usize> {
        let key = self.seed ^ (b as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut rng = ChaCha8Rng::seed_from_u64(key);
        // Lemire's multiply-shift: a uniform draw in 0..n from 64 random bits (the bias is
        // below n / 2^64), independent of any library's sampling algorithm.
        (0..n)
            .map(|_| ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize)
            .collect()
    }

    /// The percentile interval of `samples` (the resampled estimates) at [`Self::level`].
    pub fn interval(&self, samples: &mut [f64]) -> (f64, f64) {
        samples.sort_by(f64::total_cmp);
        let tail = (1.0 - self.level) / 2.0;
        (quantile(samples, tail), quantile(samples, 1.0 - tail))
    }
}

/// The `q`-quantile of sorted `values` by linear interpolation between order statistics
/// (Hyndman and Fan's type 7, the default of R and NumPy); 0 for no values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resamples_are_seeded_uniform_and_independent_of_order() {
        let b = Bootstrap::default();
        let first = b.resample(3, 1000);
        assert_eq!(
            first,
            b.resample(3, 1000),
            "a resample depends on (seed, b) only"
        );
        assert_ne!(first, b.resample(4, 1000));
        assert!(first.iter().all(|&i| i < 1000));
        // Each unit is drawn about once: over 200 resamples of 50 units every count is
        // binomial(10000, 1/50), mean 200, sd 14; none should stray by 6 sd.
        let mut count = [0u32; 50];
        for r in 0..200 {
            for i in b.resample(r, 50) {
                count[i] += 1;
            }
        }
        assert!(count.iter().all(|&c| (116..=284).contains(&c)), "{count:?}");
    }

    #[test]
    fn percentile_intervals_cover_the_mean_of_a_known_sample() {
        // The bootstrap of a mean of 400 draws of a uniform(0, 1): the 95% interval is
        // about +-1.96 * sqrt(1/12 / 400) = +-0.028 around the sample mean.
        let b = Bootstrap::default();
        let data: Vec<f64> = (0..400)
            .map(|i| ((i * 7919) % 400) as f64 / 400.0)
            .collect();
        let mean = data.iter().sum::<f64>() / 400.0;
        let mut means: Vec<f64> = (0..b.resamples)
            .map(|r| b.resample(r, 400).iter().map(|&i| data[i]).sum::<f64>() / 400.0)
            .collect();
        let (lo, hi) = b.interval(&mut means);
        assert!(lo < mean && mean < hi);
        let half = (hi - lo) / 2.0;
        assert!((half - 0.0283).abs() < 0.004, "half-width {half}");
    }

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.05), 1.2);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }
}
