//! The loss of a parameter vector, from what its runs gave:
//!
//! ```text
//! loss = 1/D sum_d (mean_s members_s(d) - observed(d))^2
//!      + who_weight * 1/N sum_i -[y_i ln p_i + (1 - y_i) ln(1 - p_i)]
//! ```
//!
//! The first term is the curve: the mean squared difference, over the observed dates,
//! between the observed member count and the mean simulated count over the seeds. The
//! second is who joined: the mean binary cross-entropy, over the scored states, of being a
//! member at the last observed date, where `p_i` is the share of seeds in which state `i`
//! is (kept within `[1/(2S), 1 - 1/(2S)]`) and `y_i` whether it was observed to be.
//! Pure functions of counts, called by `problem.rs`.

/// The curve term: `members[s][t]` is seed `s`'s member count at tick `t`; `checkpoints`
/// pairs each observed value with the tick it is compared with.
pub fn curve_loss(members: &[Vec<f64>], checkpoints: &[(usize, f64)]) -> f64 {
    let n = members.len() as f64;
    checkpoints
        .iter()
        .map(|&(t, observed)| {
            let mean = members.iter().map(|m| m[t]).sum::<f64>() / n;
            (mean - observed).powi(2)
        })
        .sum::<f64>()
        / checkpoints.len() as f64
}

/// A simulated share of seeds kept off 0 and 1 by half a seed, so that one surprise costs
/// a finite amount: within `[1/(2S), 1 - 1/(2S)]` for `S` seeds.
pub fn floored_share(count: u32, seeds: u32) -> f64 {
    let n = f64::from(seeds);
    let floor = 0.5 / n;
    (f64::from(count) / n).clamp(floor, 1.0 - floor)
}

/// The who-joined term: the mean cross-entropy over the states `scored` marks, of being
/// a member in `counts[i]` of `seeds` seeds against `who[i]`, whether it was observed to
/// be. 0 when no state is scored.
pub fn who_loss(who: &[bool], counts: &[u32], seeds: u32, scored: &[bool]) -> f64 {
    let (mut sum, mut count) = (0.0, 0.0);
    for ((&y, &k), _) in who.iter().zip(counts).zip(scored).filter(|(_, s)| **s) {
        let p = floored_share(k, seeds);
        sum -= if y { p.ln() } else { (1.0 - p).ln() };
        count += 1.0;
    }
    if count > 0.0 { sum / count } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curve_term_is_the_mean_squared_gap_of_the_mean_count() {
        // Two seeds: means 2 and 5 at ticks 0 and 1, observed 3 and 5.
        let members = vec![vec![1.0, 4.0], vec![3.0, 6.0]];
        assert_eq!(curve_loss(&members, &[(0, 3.0), (1, 5.0)]), 0.5);
        assert_eq!(curve_loss(&members, &[(1, 5.0)]), 0.0);
    }

    #[test]
    fn the_who_term_is_the_cross_entropy_over_scored_states() {
        // 4 seeds: state 0 a member in 3 (observed member), state 1 in 0 (observed not, so
        // floored at 1/8), state 2 never scored.
        let who = [true, false, true];
        let counts = [3, 0, 0];
        let got = who_loss(&who, &counts, 4, &[true, true, false]);
        let want = -(0.75f64.ln() + (1.0 - 0.125f64).ln()) / 2.0;
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        assert_eq!(who_loss(&who, &counts, 4, &[false; 3]), 0.0);
        assert_eq!(floored_share(4, 4), 1.0 - 0.125);
    }
}
