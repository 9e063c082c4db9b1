//! Simple predictors of who joins, to judge the model's skill against: the base rate (every
//! state gets the training share of joiners) and a logistic regression on the states'
//! attributes with no dynamics at all (no peers, no blocs, no timing). Both know nothing
//! of the simulation: attributes and outcomes in, probabilities out.
//!
//! The regression is fitted by Newton's method (iteratively reweighted least squares) on
//! standardised columns, with an optional ridge penalty `ridge/2 * |beta|^2` on the slopes
//! (not the intercept), which keeps the fit finite when an attribute separates the
//! training states.

/// The base-rate predictor: the share of `y` that is true (0.5 when `y` is empty).
pub fn base_rate(y: &[bool]) -> f64 {
    if y.is_empty() {
        return 0.5;
    }
    y.iter().filter(|&&v| v).count() as f64 / y.len() as f64
}

/// A fitted logistic regression, on the attributes' own scales.
#[derive(Clone, Debug, PartialEq)]
pub struct Logistic {
    /// The intercept.
    pub intercept: f64,
    /// One coefficient per attribute (0 for a constant column).
    pub coefficients: Vec<f64>,
    /// Newton steps taken.
    pub iterations: usize,
}

impl Logistic {
    /// `P(y = 1 | x)`.
    pub fn predict(&self, x: &[f64]) -> f64 {
        let eta = self.intercept
            + self
                .coefficients
                .iter()
                .zip(x)
                .map(|(b, v)| b * v)
                .sum::<f64>();
        logistic(eta)
    }
}

fn logistic(eta: f64) -> f64 {
    1.0 / (1.0 + (-eta).exp())
}

/// Fits `P(y = 1 | x) = logistic(a + b . x)` to the rows `x` (one per state, every row the
/// same length) by Newton's method, with a ridge penalty `ridge/2 * |b_std|^2` on the
/// slopes of the standardised columns. Fails when the rows are empty or ragged, the
/// Newton system is singular (an unpenalised fit of separated or collinear data) or the
/// fit does not converge in 100 steps.
pub fn fit_logistic(x: &[Vec<f64>], y: &[bool], ridge: f64) -> Result<Logistic, String> {
    let n = x.len();
    let d = x.first().map_or(0, Vec::len);
    if n == 0 || n != y.len() || x.iter().any(|r| r.len() != d) {
        return Err("the regression needs one row of equal length per outcome".into());
    }
    // Standardise: the penalty then treats every attribute alike.
    let mut means = vec![0.0; d];
    let mut sds = vec![0.0; d];
    for k in 0..d {
        means[k] = x.iter().map(|r| r[k]).sum::<f64>() / n as f64;
        let var = x.iter().map(|r| (r[k] - means[k]).powi(2)).sum::<f64>() / n as f64;
        sds[k] = var.sqrt();
    }
    let z: Vec<Vec<f64>> = x
        .iter()
        .map(|r| {
            let mut row = Vec::with_capacity(d + 1);
            row.push(1.0);
            row.extend((0..d).map(|k| {
                if sds[k] > 0.0 {
                    (r[k] - means[k]) / sds[k]
                } else {
                    0.0
                }
            }));
            row
        })
        .collect();
    let beta = newton(&z, y, ridge, &sds)?;
    // Back to the attributes' own scales.
    let coefficients: Vec<f64> = (0..d)
        .map(|k| {
            if sds[k] > 0.0 {
                beta.0[k + 1] / sds[k]
            } else {
                0.0
            }
        })
        .collect();
    let intercept = beta.0[0]
        - coefficients
            .iter()
            .zip(&means)
            .map(|(b, m)| b * m)
            .sum::<f64>();
    Ok(Logistic {
        intercept,
        coefficients,
        iterations: beta.1,
    })
}

/// Newton's method on the design `z` (first column the intercept). Columns whose `sd` is 0
/// are held at 0.
fn newton(
    z: &[Vec<f64>],
    y: &[bool],
    ridge: f64,
    sds: &[f64],
) -> Result<(Vec<f64>, usize), String> {
    let dim = z[0].len();
    let mut beta = vec![0.0; dim];
    for step in 1..=100 {
        let mut hessian = vec![vec![0.0; dim]; dim];
        let mut gradient = vec![0.0; dim];
        for (row, &yi) in z.iter().zip(y) {
            let eta: f64 = row.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = logistic(eta);
            let w = p * (1.0 - p);
            let r = f64::from(u8::from(yi)) - p;
            for a in 0..dim {
                gradient[a] += row[a] * r;
                for b in 0..dim {
                    hessian[a][b] += w * row[a] * row[b];
                }
            }
        }
        for a in 1..dim {
            if sds[a - 1] > 0.0 {
                hessian[a][a] += ridge;
                gradient[a] -= ridge * beta[a];
            } else {
                // A constant column: pin its coefficient at 0.
                hessian[a] = vec![0.0; dim];
                hessian[a][a] = 1.0;
                gradient[a] = 0.0;
            }
        }
        let delta = solve(hessian, gradient)
            .ok_or("the regression's Newton system is singular (separated or collinear data; add a ridge penalty)")?;
        let size = delta.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        for (b, d) in beta.iter_mut().zip(&delta) {
            *b += d;
        }
        if !beta.iter().all(|b| b.is_finite()) {
            return Err("the regression diverged (separated data; add a ridge penalty)".into());
        }
        if size < 1e-10 {
            return Ok((beta, step));
        }
    }
    Err(
        "the regression did not converge in 100 Newton steps (separated data; add a ridge penalty)"
            .into(),
    )
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None` when `a` is
/// singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    let scale = a
        .iter()
        .flatten()
        .fold(0.0f64, |m, v| m.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() <= 1e-12 * scale {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (top, rest) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for (offset, row) in rest.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[col + 1 + offset] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regression_recovers_the_challenger_o_ring_fit() {
        // The 23 shuttle flights before Challenger: launch temperature (F) and whether an
        // O-ring was damaged (Dalal, Fowlkes and Hoadley 1989). The maximum-likelihood fit
        // is logit(p) = 15.0429 - 0.2322 * temperature (for example Faraway, "Extending
        // the Linear Model with R", 2006; R's glm on the `orings` data).
        let temp = [
            66., 70., 69., 68., 67., 72., 73., 70., 57., 63., 70., 78., 67., 53., 67., 75., 70.,
            81., 76., 79., 75., 76., 58.,
        ];
        let damaged = [
            0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1,
        ];
        let x: Vec<Vec<f64>> = temp.iter().map(|t| vec![*t]).collect();
        let y: Vec<bool> = damaged.iter().map(|&d| d == 1).collect();
        let fit = fit_logistic(&x, &y, 0.0).unwrap();
        assert!((fit.intercept - 15.0429).abs() < 5e-4, "{fit:?}");
        assert!((fit.coefficients[0] + 0.2322).abs() < 5e-5, "{fit:?}");
    }

    #[test]
    fn a_binary_attribute_gives_each_group_its_own_rate() {
        // Without a penalty the fit reproduces each group's observed share: 2 of 8 and 6
        // of 8, so the slope is logit(0.75) - logit(0.25) = 2 ln 3.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for (group, joined) in [(0.0, 2), (1.0, 6)] {
            for k in 0..8 {
                x.push(vec![group, 5.0]); // a constant column is ignored
                y.push(k < joined);
            }
        }
        let fit = fit_logistic(&x, &y, 0.0).unwrap();
        assert!((fit.predict(&[0.0, 5.0]) - 0.25).abs() < 1e-9);
        assert!((fit.predict(&[1.0, 5.0]) - 0.75).abs() < 1e-9);
        assert!((fit.coefficients[0] - 2.0 * 3f64.ln()).abs() < 1e-9);
        assert_eq!(fit.coefficients[1], 0.0);
    }

    #[test]
    fn a_ridge_keeps_separated_data_finite_and_shrinks_the_slope() {
        let x: Vec<Vec<f64>> = (0..10).map(|k| vec![f64::from(k)]).collect();
        let y: Vec<bool> = (0..10).map(|k| k >= 5).collect();
        assert!(
            fit_logistic(&x, &y, 0.0).is_err(),
            "separated data has no MLE"
        );
        let light = fit_logistic(&x, &y, 0.1).unwrap();
        let heavy = fit_logistic(&x, &y, 10.0).unwrap();
        assert!(light.coefficients[0] > heavy.coefficients[0]);
        assert!(heavy.coefficients[0] > 0.0);
        assert!(light.predict(&[9.0]) > 0.9 && light.predict(&[0.0]) < 0.1);
        // Symmetric data: the fit crosses one half at the middle.
        assert!((heavy.predict(&[4.5]) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn the_base_rate_is_the_share_of_joiners() {
        assert_eq!(base_rate(&[true, false, false, false]), 0.25);
        assert_eq!(base_rate(&[]), 0.5);
    }
}
