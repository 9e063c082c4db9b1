//! How much of an output's variance over design points is replicate noise: the variance
//! a point's mean over its replicates would show if the point were run again on other
//! seeds, set against the variance of the point means across the design.
//!
//! With independent seeds, the noise variance of a point mean is the pooled within-point
//! variance divided by the replicates `R`. With common random numbers (replicate `r` has
//! the same seed at every point), part of each replicate's deviation is shared by every
//! point and moves all point means together, adding nothing to their spread; the noise is
//! then the residual of the two-way analysis of variance (point x replicate), whose mean
//! square `sum (y_pr - ybar_p. - ybar_.r + ybar..)^2 / ((P - 1)(R - 1))`, divided by `R`,
//! estimates it (Montgomery, *Design and Analysis of Experiments*, 2017, ch. 4, the
//! randomised complete block design with seeds as blocks).

/// Replicate noise of an output over design points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Noise {
    /// Sample variance of the point means across the design.
    pub between: f64,
    /// Estimated noise variance of one point mean.
    pub noise: f64,
    /// `noise / between` (0 when the point means do not vary and nothing is noise).
    pub share: f64,
}

/// The replicate noise of `values` (one row per design point, one value per replicate,
/// every row as long; at least two points and two replicates), with replicates sharing
/// seeds across points when `common` is set. `None` when it cannot be estimated.
pub fn replicate_noise(values: &[Vec<f64>], common: bool) -> Option<Noise> {
    let p = values.len();
    let r = values.first()?.len();
    if p < 2 || r < 2 || values.iter().any(|v| v.len() != r) {
        return None;
    }
    let point_means: Vec<f64> = values
        .iter()
        .map(|v| v.iter().sum::<f64>() / r as f64)
        .collect();
    let grand = point_means.iter().sum::<f64>() / p as f64;
    let between = point_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>() / (p - 1) as f64;
    let noise = if common {
        let seed_means: Vec<f64> = (0..r)
            .map(|j| values.iter().map(|v| v[j]).sum::<f64>() / p as f64)
            .collect();
        let mut ss = 0.0;
        for (v, m) in values.iter().zip(&point_means) {
            for (j, y) in v.iter().enumerate() {
                ss += (y - m - seed_means[j] + grand).powi(2);
            }
        }
        ss / ((p - 1) * (r - 1)) as f64 / r as f64
    } else {
        let mut ss = 0.0;
        for (v, m) in values.iter().zip(&point_means) {
            ss += v.iter().map(|y| (y - m).powi(2)).sum::<f64>();
        }
        ss / (p * (r - 1)) as f64 / r as f64
    };
    let share = if between > 0.0 {
        noise / between
    } else if noise > 0.0 {
        1.0
    } else {
        0.0
    };
    Some(Noise {
        between,
        noise,
        share,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn noise_is_recovered_with_and_without_common_seeds() {
        // 400 points with signal sd 1; 8 replicates with noise sd 2, of which a seed effect
        // of sd 1.5 is shared by every point under common seeds. The noise variance of a
        // point mean is 4/8 = 0.5 without common seeds; with them the shared part drops
        // out: (4 - 2.25)/8 = 0.219.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut normal = || {
            let (u, v): (f64, f64) = (rng.random(), rng.random());
            (-2.0 * (1.0 - u).ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        };
        let seed_effect: Vec<f64> = (0..8).map(|_| 1.5 * normal()).collect();
        let signal: Vec<f64> = (0..400).map(|_| normal()).collect();
        let own = (4.0f64 - 2.25).sqrt();
        let common: Vec<Vec<f64>> = signal
            .iter()
            .map(|s| {
                (0..8)
                    .map(|j| s + seed_effect[j] + own * normal())
                    .collect()
            })
            .collect();
        let n = replicate_noise(&common, true).unwrap();
        assert!((n.noise - 0.219).abs() < 0.03, "{n:?}");
        let independent: Vec<Vec<f64>> = signal
            .iter()
            .map(|s| (0..8).map(|_| s + 2.0 * normal()).collect())
            .collect();
        let n = replicate_noise(&independent, false).unwrap();
        assert!((n.noise - 0.5).abs() < 0.06, "{n:?}");
        assert!((n.between - 1.5).abs() < 0.3, "{n:?}");
        assert!((n.share - 0.5 / 1.5).abs() < 0.08, "{n:?}");
        assert!(
            replicate_noise(&[vec![1.0], vec![2.0]], true).is_none(),
            "one replicate"
        );
    }
}
