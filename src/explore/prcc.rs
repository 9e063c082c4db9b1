//! Partial rank correlation coefficients (PRCC): a model-free screening for any design
//! (grids, Latin hypercubes, tables). Inputs and output are replaced by their ranks
//! (average ranks for ties); the PRCC of factor `i` is the correlation between the ranks of
//! `x_i` and of `y` once the linear effect of the other factors' ranks is removed from both
//! (Iman and Conover 1980; Marino et al. 2008). It measures a monotone association, not a
//! share of variance: a factor acting non-monotonically can have a PRCC near zero.
//!
//! Computed from the inverse `P` of the rank correlation matrix of `(x_1, .., x_k, y)`:
//! `PRCC_i = -P_iy / sqrt(P_ii P_yy)`. Intervals are Fisher's z: `atanh(PRCC) +- 1.96 /
//! sqrt(n - 3 - (k - 1))` mapped back by `tanh` (a 95% interval for a partial correlation
//! given `k - 1` other variables).
//!
//! - R. L. Iman and W. J. Conover (1980), "Small sample sensitivity analysis techniques for
//!   computer models", Commun. Stat. Theory Methods 9(17), 1749-1842.
//! - S. Marino, I. B. Hogue, C. J. Ray and D. E. Kirschner (2008), "A methodology for
//!   performing global uncertainty and sensitivity analysis in systems biology", J. Theor.
//!   Biol. 254, 178-196.

use super::Estimate;

/// The 97.5% point of the standard normal distribution (two-sided 95% intervals).
const Z_975: f64 = 1.959_963_984_540_054;

/// Average ranks of `v` (1-based; tied values share the mean of their ranks).
pub fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]).then(a.cmp(&b)));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &o in &order[i..=j] {
            out[o] = rank;
        }
        i = j + 1;
    }
    out
}

/// The PRCC of each factor with its 95% interval. `x` holds one row per case (`k` values),
/// `y` one output per case.
pub fn prcc(x: &[Vec<f64>], y: &[f64]) -> Result<Vec<Estimate>, String> {
    let n = y.len();
    let k = x.first().map_or(0, Vec::len);
    if x.len() != n || k == 0 {
        return Err("PRCC needs one row of factor values per output".into());
    }
    if n < k + 4 {
        return Err(format!(
            "PRCC over {k} factors needs at least {} cases, not {n}",
            k + 4
        ));
    }
    let mut columns: Vec<Vec<f64>> = (0..k)
        .map(|i| ranks(&x.iter().map(|r| r[i]).collect::<Vec<_>>()))
        .collect();
    columns.push(ranks(y));
    let centred: Vec<Vec<f64>> = columns
        .into_iter()
        .map(|c| {
            let m = c.iter().sum::<f64>() / n as f64;
            c.into_iter().map(|v| v - m).collect()
        })
        .collect();
    let norms: Vec<f64> = centred
        .iter()
        .map(|c| c.iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    if let Some(i) = norms[..k].iter().position(|&s| s == 0.0) {
        return Err(format!("factor {i} takes one value only"));
    }
    if norms[k] == 0.0 {
        // A constant output is associated with nothing.
        return Ok(vec![Estimate::exact(0.0); k]);
    }
    let m = k + 1;
    let mut corr = vec![0.0; m * m];
    for a in 0..m {
        for b in a..m {
            let c = centred[a]
                .iter()
                .zip(&centred[b])
                .map(|(p, q)| p * q)
                .sum::<f64>()
                / (norms[a] * norms[b]);
            corr[a * m + b] = c;
            corr[b * m + a] = c;
        }
    }
    let factors_only: Vec<f64> = (0..k)
        .flat_map(|a| corr[a * m..a * m + k].to_vec())
        .collect();
    if invert(&factors_only, k).is_none() {
        return Err("the factors are collinear in this design (one is a function of the others): PRCC cannot separate them".into());
    }
    let p = invert(&corr, m).ok_or_else(|| {
        format!("the outcome's ranks are an exact linear function of the factors' ranks over these {n} cases: too few cases to tell the factors apart")
    })?;
    let se = 1.0 / ((n - 3 - (k - 1)) as f64).sqrt();
    Ok((0..k)
        .map(|i| {
            let r = (-p[i * m + k] / (p[i * m + i] * p[k * m + k]).sqrt()).clamp(-1.0, 1.0);
            let z = r.clamp(-1.0 + 1e-15, 1.0 - 1e-15).atanh();
            Estimate {
                value: r,
                low: (z - Z_975 * se).tanh(),
                high: (z + Z_975 * se).tanh(),
            }
        })
        .collect())
}

/// The inverse of the `m x m` matrix `a` (row-major) by Gauss-Jordan elimination with
/// partial pivoting; `None` if it is singular to working precision.
fn invert(a: &[f64], m: usize) -> Option<Vec<f64>> {
    let mut w = a.to_vec();
    let mut inv = vec![0.0; m * m];
    for i in 0..m {
        inv[i * m + i] = 1.0;
    }
    for col in 0..m {
        let pivot =
            (col..m).max_by(|&r, &s| w[r * m + col].abs().total_cmp(&w[s * m + col].abs()))?;
        if w[pivot * m + col].abs() < 1e-10 {
            return None;
        }
        for c in 0..m {
            w.swap(col * m + c, pivot * m + c);
            inv.swap(col * m + c, pivot * m + c);
        }
        let d = w[col * m + col];
        for c in 0..m {
            w[col * m + c] /= d;
            inv[col * m + c] /= d;
        }
        for r in 0..m {
            if r != col {
                let f = w[r * m + col];
                if f != 0.0 {
                    for c in 0..m {
                        w[r * m + c] -= f * w[col * m + c];
                        inv[r * m + c] -= f * inv[col * m + c];
                    }
                }
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    fn pearson(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        cov / (va * vb).sqrt()
    }

    #[test]
    fn two_factors_match_the_textbook_partial_correlation() {
        // r_1y.2 = (r_1y - r_12 r_2y) / sqrt((1 - r_12^2)(1 - r_2y^2)) on ranks.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let x: Vec<Vec<f64>> = (0..60)
            .map(|_| vec![rng.random::<f64>(), rng.random()])
            .collect();
        let y: Vec<f64> = x
            .iter()
            .map(|r| r[0] + 0.5 * r[1] + 0.3 * rng.random::<f64>())
            .collect();
        let (r1, r2, ry) = (
            ranks(&x.iter().map(|r| r[0]).collect::<Vec<_>>()),
            ranks(&x.iter().map(|r| r[1]).collect::<Vec<_>>()),
            ranks(&y),
        );
        let (a, b, c) = (pearson(&r1, &ry), pearson(&r1, &r2), pearson(&r2, &ry));
        let expected = (a - b * c) / ((1.0 - b * b) * (1.0 - c * c)).sqrt();
        let got = prcc(&x, &y).unwrap();
        assert!(
            (got[0].value - expected).abs() < 1e-12,
            "{got:?} vs {expected}"
        );
    }

    #[test]
    fn an_irrelevant_factor_has_an_interval_around_zero() {
        // y = x0 + 0.5 x1 (+ noise); x2 does nothing. 400 cases.
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let x: Vec<Vec<f64>> = (0..400)
            .map(|_| vec![rng.random::<f64>(), rng.random(), rng.random()])
            .collect();
        let y: Vec<f64> = x
            .iter()
            .map(|r| r[0] + 0.5 * r[1] + 0.2 * rng.random::<f64>())
            .collect();
        let p = prcc(&x, &y).unwrap();
        assert!(p[0].value > p[1].value && p[1].low > 0.5, "{p:?}");
        assert!(p[2].covers(0.0), "{:?}", p[2]);
        // Collinear factors cannot be separated.
        let twins: Vec<Vec<f64>> = x.iter().map(|r| vec![r[0], r[0] * 2.0]).collect();
        assert!(prcc(&twins, &y).unwrap_err().contains("collinear"));
        assert!(prcc(&x[..5], &y[..5]).is_err(), "too few cases");
    }
}
