//! Summary statistics over replicates: mean, standard deviation and quantiles, computed the
//! same way wherever the values come from (a sweep, a resumed sweep, merged shards), so the
//! summaries agree to the byte.

/// The quantiles reported in summaries.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Statistics of one quantity over replicates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// Number of values.
    pub n: usize,
    /// Mean (0 for none).
    pub mean: f64,
    /// Sample standard deviation (0 for fewer than two values).
    pub sd: f64,
    /// The [`QUANTILES`], by linear interpolation between order statistics (Hyndman and
    /// Fan's type 7, the default of R and NumPy).
    pub quantiles: [f64; 5],
}

/// Statistics of `values`, summed in the order given.
pub fn stats(values: &[f64]) -> Stats {
    let n = values.len();
    if n == 0 {
        return Stats {
            n,
            mean: 0.0,
            sd: 0.0,
            quantiles: [0.0; 5],
        };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let quantiles = QUANTILES.map(|q| {
        let h = (n - 1) as f64 * q;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
    });
    Stats {
        n,
        mean,
        sd,
        quantiles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_match_hand_computation() {
        let s = stats(&[4.0, 1.0, 3.0, 2.0, 5.0]);
        assert_eq!(s.n, 5);
        assert_eq!(s.mean, 3.0);
        assert!((s.sd - 2.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(s.quantiles, [1.2, 2.0, 3.0, 4.0, 4.8]);
        let one = stats(&[7.0]);
        assert_eq!(
            (one.sd, one.quantiles[0], one.quantiles[4]),
            (0.0, 7.0, 7.0)
        );
        assert_eq!(stats(&[]).n, 0);
    }
}
