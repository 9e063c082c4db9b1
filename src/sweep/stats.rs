//! Summary statistics over replicates: mean, standard deviation and quantiles, computed the
//! same way wherever the values come from (a sweep, a resumed sweep, merged shards), so the
//! summaries agree to the byte.
//! Member counts are integers in 0..=states, so their statistics come from a histogram
//! ([`count_stats`]) whose size does not grow with the replicates
//! ([`super::tally::Tally`] gathers them).

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

/// Statistics of integer counts given as a histogram: `histogram[k]` values equal `k`.
/// The mean and quantiles are those [`stats`] gives for the same values, to the bit; the
/// standard deviation is computed from exact integer sums (order-free), so it may differ
/// from [`stats`]'s running sum in the last binary digits.
pub fn count_stats(histogram: &[u64]) -> Stats {
    let n: u64 = histogram.iter().sum();
    if n == 0 {
        return stats(&[]);
    }
    let (mut sum, mut squares) = (0u128, 0u128);
    for (k, &c) in histogram.iter().enumerate() {
        let (k, c) = (k as u128, u128::from(c));
        sum += c * k;
        squares += c * k * k;
    }
    let nf = n as f64;
    // Partial sums of counts are exact in a double, so this is what summing them gives.
    let mean = sum as f64 / nf;
    let sd = if n > 1 {
        // sum (x - mean)^2 = (n * sum x^2 - (sum x)^2) / n, exactly, in integers.
        let spread = u128::from(n) * squares - sum * sum;
        (spread as f64 / (nf * (n - 1) as f64)).sqrt()
    } else {
        0.0
    };
    let quantiles = QUANTILES.map(|q| {
        let h = (n - 1) as f64 * q;
        let (lo, hi) = (h.floor() as u64, h.ceil() as u64);
        let (x_lo, x_hi) = (nth(histogram, lo), nth(histogram, hi));
        x_lo + (h - lo as f64) * (x_hi - x_lo)
    });
    Stats {
        n: n as usize,
        mean,
        sd,
        quantiles,
    }
}

/// The value of rank `rank` (from 0) among the histogram's values in ascending order.
fn nth(histogram: &[u64], rank: u64) -> f64 {
    let mut below = 0u64;
    for (k, &c) in histogram.iter().enumerate() {
        below += c;
        if below > rank {
            return k as f64;
        }
    }
    unreachable!("rank {rank} is below the number of values")
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

    fn histogram(values: &[u32]) -> Vec<u64> {
        let mut h = vec![0u64; values.iter().max().map_or(0, |&m| m as usize + 1)];
        values.iter().for_each(|&v| h[v as usize] += 1);
        h
    }

    #[test]
    fn counts_from_a_histogram_match_hand_computation() {
        let s = count_stats(&histogram(&[4, 1, 3, 2, 5]));
        assert_eq!(
            (s.n, s.mean, s.quantiles),
            (5, 3.0, [1.2, 2.0, 3.0, 4.0, 4.8])
        );
        assert!((s.sd - 2.5f64.sqrt()).abs() < 1e-15, "sd {}", s.sd);
        assert_eq!(count_stats(&[]), stats(&[]));
        assert_eq!(count_stats(&[0, 0, 1]).quantiles, [2.0; 5]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// The histogram's mean and quantiles are the sorted list's, to the bit; its
        /// standard deviation agrees to 1e-12 relative (the list's is a running sum).
        #[test]
        fn histogram_statistics_equal_those_of_the_sorted_list(
            values in proptest::collection::vec(0u32..250, 1..3000),
        ) {
            let exact = stats(&values.iter().map(|&v| f64::from(v)).collect::<Vec<_>>());
            let counted = count_stats(&histogram(&values));
            proptest::prop_assert_eq!(counted.n, exact.n);
            proptest::prop_assert_eq!(counted.mean.to_bits(), exact.mean.to_bits());
            for (a, b) in counted.quantiles.iter().zip(exact.quantiles) {
                proptest::prop_assert_eq!(a.to_bits(), b.to_bits());
            }
            proptest::prop_assert!(
                (counted.sd - exact.sd).abs() <= 1e-12 * exact.sd.max(1e-300),
                "sd {} vs {}", counted.sd, exact.sd
            );
        }
    }
}
