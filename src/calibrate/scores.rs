//! Scores of probabilistic predictions of a yes/no outcome (did the state join?): log
//! loss, Brier score and the area under the ROC curve. They know nothing of the model: a
//! list of predicted probabilities and a list of outcomes in, a number out. Used by the
//! cross-validation and the backtests to put the model beside simple baselines.

/// The three scores of one predictor on one set of states.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    /// States scored.
    pub n: usize,
    /// Of which observed to join.
    pub positives: usize,
    /// Mean cross-entropy `-[y ln p + (1 - y) ln(1 - p)]` (lower is better; 0.693 is a
    /// coin toss).
    pub log_loss: f64,
    /// Mean squared error `(p - y)^2` (lower is better; 0.25 is a coin toss).
    pub brier: f64,
    /// Area under the ROC curve: the chance that a random joiner gets a higher
    /// probability than a random non-joiner, ties counting half (0.5 is no skill); `None`
    /// when one class is empty.
    pub auc: Option<f64>,
}

/// Scores `p` against `y`. Each probability is kept within `[floor, 1 - floor]` for the
/// log loss, so one confident miss costs a finite amount (`floor` > 0).
pub fn score(p: &[f64], y: &[bool], floor: f64) -> Scores {
    debug_assert_eq!(p.len(), y.len());
    let n = p.len();
    let positives = y.iter().filter(|&&v| v).count();
    let mean = |sum: f64| if n == 0 { 0.0 } else { sum / n as f64 };
    let log_loss = mean(
        p.iter()
            .zip(y)
            .map(|(&p, &y)| {
                let p = p.clamp(floor, 1.0 - floor);
                -if y { p.ln() } else { (1.0 - p).ln() }
            })
            .sum(),
    );
    let brier = mean(
        p.iter()
            .zip(y)
            .map(|(&p, &y)| (p - f64::from(u8::from(y))).powi(2))
            .sum(),
    );
    Scores {
        n,
        positives,
        log_loss,
        brier,
        auc: auc(p, y),
    }
}

/// The area under the ROC curve by the rank-sum (Mann-Whitney) formula, tied
/// probabilities sharing their mean rank.
pub fn auc(p: &[f64], y: &[bool]) -> Option<f64> {
    let positives = y.iter().filter(|&&v| v).count();
    let negatives = y.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut rank_sum = 0.0;
    let mut k = 0;
    while k < order.len() {
        let mut end = k;
        while end + 1 < order.len() && p[order[end + 1]] == p[order[k]] {
            end += 1;
        }
        // Ranks k+1 ..= end+1 share their mean.
        let mean_rank = (k + end) as f64 / 2.0 + 1.0;
        rank_sum += mean_rank * order[k..=end].iter().filter(|&&i| y[i]).count() as f64;
        k = end + 1;
    }
    let (pos, neg) = (positives as f64, negatives as f64);
    Some((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ordered_pairs_and_halves_ties() {
        let y = [true, false, true, false];
        assert_eq!(auc(&[0.9, 0.1, 0.8, 0.2], &y), Some(1.0));
        assert_eq!(auc(&[0.1, 0.9, 0.2, 0.8], &y), Some(0.0));
        assert_eq!(auc(&[0.5; 4], &y), Some(0.5));
        // Pairs (pos, neg): (0.9, 0.1) yes, (0.9, 0.5) yes, (0.5, 0.1) yes, (0.5, 0.5) half.
        assert_eq!(auc(&[0.9, 0.1, 0.5, 0.5], &y), Some(3.5 / 4.0));
        assert_eq!(auc(&[0.3, 0.4], &[true, true]), None);
    }

    #[test]
    fn log_loss_and_brier_match_their_definitions() {
        let s = score(&[0.8, 0.4], &[true, false], 1e-6);
        let want = -(0.8f64.ln() + 0.6f64.ln()) / 2.0;
        assert!((s.log_loss - want).abs() < 1e-12);
        assert!((s.brier - (0.04 + 0.16) / 2.0).abs() < 1e-12);
        assert_eq!((s.n, s.positives), (2, 1));
        // A certain miss costs ln(1/floor), not infinity.
        let s = score(&[0.0], &[true], 0.01);
        assert!((s.log_loss - 100f64.ln()).abs() < 1e-12);
        assert_eq!(s.brier, 1.0);
    }
}
