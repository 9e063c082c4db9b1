//! The Patient Rule Induction Method (Friedman and Fisher 1999) for scenario discovery
//! (Bryant and Lempert 2010): which box of the inputs holds the cases of interest?
//!
//! Starting from the box that holds every case, **peeling** repeatedly cuts off a slice of
//! `alpha` (default 5%) of the cases in the box, at the low or the high end of one factor,
//! choosing the slice whose removal raises the density (the share of cases of interest)
//! most per case removed (the EMA Workbench's default objective, "lenient1"), until no
//! slice raises it or the box would fall below the minimum mass (default 5% of cases).
//! **Pasting** then grows the last box back along its restricted factors, by slices of
//! `paste_alpha` of the cases just outside it, while that raises the density. Every box on
//! the way is a step of the **peeling trajectory**: its coverage (the share of all cases of
//! interest it holds), density, mass (the share of all cases it holds) and the factors it
//! restricts. Limits fall halfway between data values, as in sdtoolkit and the EMA
//! Workbench.
//!
//! Each restricted limit of a box gets a quasi-p-value (Bryant and Lempert 2010): with `p`
//! the density of the box without that limit, the one-sided binomial probability of at
//! least the box's cases of interest among its cases. A large value says the limit adds
//! little beyond chance.
//!
//! - J. H. Friedman and N. I. Fisher (1999), "Bump hunting in high-dimensional data",
//!   Statistics and Computing 9, 123-143.
//! - B. P. Bryant and R. J. Lempert (2010), "Thinking inside the box: a participatory,
//!   computer-assisted approach to scenario discovery", Technol. Forecast. Soc. Change 77,
//!   34-49.
//! - J. H. Kwakkel (2017), "The Exploratory Modeling Workbench", Environ. Model. Softw. 96,
//!   239-250.

/// PRIM's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrimOptions {
    /// Share of the box's cases a peel removes.
    pub peel_alpha: f64,
    /// Share of the nearby outside cases a paste adds.
    pub paste_alpha: f64,
    /// No box may hold a smaller share of all cases.
    pub min_mass: f64,
}

impl Default for PrimOptions {
    fn default() -> Self {
        PrimOptions {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            min_mass: 0.05,
        }
    }
}

/// One box of the trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// `(low, high)` of every factor (the data's range where unrestricted).
    pub limits: Vec<(f64, f64)>,
    /// Cases in the box.
    pub cases: usize,
    /// Cases of interest in the box.
    pub hits: usize,
    /// Whether the box was made by pasting (false: by peeling, or the first box).
    pub pasted: bool,
}

/// The peeling trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// The boxes, the first holding every case.
    pub steps: Vec<Step>,
    /// All cases.
    pub cases: usize,
    /// All cases of interest.
    pub hits: usize,
}

impl Step {
    /// Share of the cases in the box that are of interest.
    pub fn density(&self) -> f64 {
        if self.cases == 0 {
            0.0
        } else {
            self.hits as f64 / self.cases as f64
        }
    }
}

impl Trajectory {
    /// Share of all cases of interest in box `step`.
    pub fn coverage(&self, step: usize) -> f64 {
        if self.hits == 0 {
            0.0
        } else {
            self.steps[step].hits as f64 / self.hits as f64
        }
    }

    /// Share of all cases in box `step`.
    pub fn mass(&self, step: usize) -> f64 {
        self.steps[step].cases as f64 / self.cases.max(1) as f64
    }

    /// The factors box `step` restricts (its limits differ from the first box's).
    pub fn restricted(&self, step: usize) -> Vec<usize> {
        let (first, box_) = (&self.steps[0].limits, &self.steps[step].limits);
        (0..first.len()).filter(|&j| first[j] != box_[j]).collect()
    }

    /// The default choice: among the boxes whose coverage is at least `coverage_floor`,
    /// find the densest; then take the box of highest coverage (ties to the earlier step)
    /// whose density is within two binomial standard errors of that density
    /// (`2 sqrt(d (1 - d) / n)`, `n` the densest box's cases). Densities closer than that
    /// are not told apart by the data, and peeling on would trade coverage for noise. The
    /// first box if no box reaches the floor.
    pub fn choose(&self, coverage_floor: f64) -> usize {
        let eligible: Vec<usize> = (0..self.steps.len())
            .filter(|&s| self.coverage(s) + 1e-12 >= coverage_floor)
            .collect();
        let Some(&densest) = eligible.iter().max_by(|&&a, &&b| {
            let (da, db) = (self.steps[a].density(), self.steps[b].density());
            da.total_cmp(&db)
                .then(self.coverage(a).total_cmp(&self.coverage(b)))
                .then(b.cmp(&a))
        }) else {
            return 0;
        };
        let d = self.steps[densest].density();
        let se = (d * (1.0 - d) / self.steps[densest].cases.max(1) as f64).sqrt();
        eligible
            .into_iter()
            .filter(|&s| self.steps[s].density() >= d - 2.0 * se - 1e-12)
            .max_by(|&a, &b| {
                self.coverage(a)
                    .total_cmp(&self.coverage(b))
                    .then(b.cmp(&a))
            })
            .unwrap_or(densest)
    }

    /// The quasi-p-values of box `step`'s limits, per factor `(low, high)`; `None` where
    /// that side is not restricted.
    pub fn quasi_p(
        &self,
        x: &[Vec<f64>],
        y: &[bool],
        step: usize,
    ) -> Vec<(Option<f64>, Option<f64>)> {
        let (first, b) = (&self.steps[0].limits, &self.steps[step]);
        (0..first.len())
            .map(|j| {
                let side = |upper: bool| {
                    let (lim, init) = if upper {
                        (b.limits[j].1, first[j].1)
                    } else {
                        (b.limits[j].0, first[j].0)
                    };
                    (lim != init).then(|| {
                        let mut wider = b.limits.clone();
                        if upper {
                            wider[j].1 = init;
                        } else {
                            wider[j].0 = init;
                        }
                        let (cases, hits) = count(x, y, &wider);
                        let p = if cases == 0 {
                            0.0
                        } else {
                            hits as f64 / cases as f64
                        };
                        binomial_sf(b.hits, b.cases, p)
                    })
                };
                (side(false), side(true))
            })
            .collect()
    }
}

/// Cases and cases of interest inside `limits`.
fn count(x: &[Vec<f64>], y: &[bool], limits: &[(f64, f64)]) -> (usize, usize) {
    let mut cases = 0;
    let mut hits = 0;
    for (row, &hit) in x.iter().zip(y) {
        if inside(row, limits) {
            cases += 1;
            hits += usize::from(hit);
        }
    }
    (cases, hits)
}

fn inside(row: &[f64], limits: &[(f64, f64)]) -> bool {
    row.iter()
        .zip(limits)
        .all(|(v, (lo, hi))| lo <= v && v <= hi)
}

/// `P(X >= h)` for `X ~ Binomial(n, p)`, summed from the mode-safe log of the first term.
pub fn binomial_sf(h: usize, n: usize, p: f64) -> f64 {
    if h == 0 {
        return 1.0;
    }
    if h > n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    // log C(n, h) + h log p + (n - h) log(1 - p)
    let log_choose: f64 = (1..=h.min(n - h))
        .map(|i| ((n - h.min(n - h) + i) as f64 / i as f64).ln())
        .sum();
    let mut term = (log_choose + h as f64 * p.ln() + (n - h) as f64 * (-p).ln_1p()).exp();
    let mut sum = 0.0;
    let ratio = p / (1.0 - p);
    for x in h..=n {
        sum += term;
        if term < sum * 1e-17 && x as f64 > n as f64 * p {
            break;
        }
        term *= (n - x) as f64 / (x + 1) as f64 * ratio;
    }
    sum.min(1.0)
}

/// The sdtoolkit quantile PRIM peels at: halfway between the order statistic near `q` and
/// the next distinct value inwards, so a peel always removes whole groups of ties.
fn peel_quantile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let i = (n - 1) as f64 * q;
    let (mut lo, mut hi) = (i.floor() as usize, i.ceil() as usize);
    if q > 0.5 {
        while sorted[lo] == sorted[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while sorted[lo] == sorted[hi] && hi < n - 1 {
            hi += 1;
        }
    }
    (sorted[lo] + sorted[hi]) / 2.0
}

/// A candidate box: its limits and the cases inside.
struct Candidate {
    limits: Vec<(f64, f64)>,
    members: Vec<usize>,
}

/// EMA Workbench's lenient1 objective: the change of density per case removed or added.
fn objective(y: &[bool], old: &[usize], new: &[usize]) -> f64 {
    let mean = |m: &[usize]| {
        if m.is_empty() {
            0.0
        } else {
            m.iter().filter(|&&i| y[i]).count() as f64 / m.len() as f64
        }
    };
    let change = old.len().abs_diff(new.len());
    if change == 0 {
        return 0.0;
    }
    (mean(new) - mean(old)) / change as f64
}

/// Runs PRIM over the cases `x` (one row of factor values per case) with `y` marking the
/// cases of interest.
pub fn prim(x: &[Vec<f64>], y: &[bool], opts: &PrimOptions) -> Result<Trajectory, String> {
    let n = x.len();
    let k = x.first().map_or(0, Vec::len);
    if n == 0 || k == 0 || y.len() != n {
        return Err("PRIM needs one row of factor values and one outcome per case".into());
    }
    if x.iter().flatten().any(|v| !v.is_finite()) {
        return Err("PRIM needs finite factor values".into());
    }
    for (name, v) in [
        ("peel_alpha", opts.peel_alpha),
        ("paste_alpha", opts.paste_alpha),
    ] {
        if !(v > 0.0 && v < 0.5) {
            return Err(format!("{name} must lie between 0 and 0.5, not {v}"));
        }
    }
    if !(0.0..1.0).contains(&opts.min_mass) {
        return Err(format!(
            "the minimum mass must lie in [0, 1), not {}",
            opts.min_mass
        ));
    }
    let limits: Vec<(f64, f64)> = (0..k)
        .map(|j| {
            x.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
                    (lo.min(r[j]), hi.max(r[j]))
                })
        })
        .collect();
    let hits = y.iter().filter(|&&v| v).count();
    let mut steps = vec![Step {
        limits: limits.clone(),
        cases: n,
        hits,
        pasted: false,
    }];
    let mut current = Candidate {
        limits,
        members: (0..n).collect(),
    };
    let initial = current.limits.clone();
    while let Some(next) = best_peel(x, y, &current, &initial, opts) {
        steps.push(step(y, &next, false));
        current = next;
    }
    while let Some(next) = best_paste(x, y, &current, &initial, opts) {
        steps.push(step(y, &next, true));
        current = next;
    }
    Ok(Trajectory {
        steps,
        cases: n,
        hits,
    })
}

fn step(y: &[bool], c: &Candidate, pasted: bool) -> Step {
    Step {
        limits: c.limits.clone(),
        cases: c.members.len(),
        hits: c.members.iter().filter(|&&i| y[i]).count(),
        pasted,
    }
}

fn unrestricted(limits: &[(f64, f64)], initial: &[(f64, f64)]) -> usize {
    limits.iter().zip(initial).filter(|(a, b)| a == b).count()
}

/// Picks the best of `candidates` (highest objective, then most unrestricted factors,
/// then the first), if its objective is positive.
fn pick(
    y: &[bool],
    old: &Candidate,
    candidates: Vec<Candidate>,
    initial: &[(f64, f64)],
) -> Option<Candidate> {
    let mut best: Option<(f64, usize, Candidate)> = None;
    for c in candidates {
        let score = (
            objective(y, &old.members, &c.members),
            unrestricted(&c.limits, initial),
        );
        if best
            .as_ref()
            .is_none_or(|b| score.0 > b.0 || (score.0 == b.0 && score.1 > b.1))
        {
            best = Some((score.0, score.1, c));
        }
    }
    best.filter(|b| b.0 > 0.0).map(|b| b.2)
}

fn best_peel(
    x: &[Vec<f64>],
    y: &[bool],
    box_: &Candidate,
    initial: &[(f64, f64)],
    opts: &PrimOptions,
) -> Option<Candidate> {
    let n = x.len() as f64;
    let mut candidates = Vec::new();
    for j in 0..box_.limits.len() {
        let mut values: Vec<f64> = box_.members.iter().map(|&i| x[i][j]).collect();
        values.sort_by(f64::total_cmp);
        for upper in [false, true] {
            let q = if upper {
                1.0 - opts.peel_alpha
            } else {
                opts.peel_alpha
            };
            let cut = peel_quantile(&values, q);
            let members: Vec<usize> = box_
                .members
                .iter()
                .copied()
                .filter(|&i| {
                    if upper {
                        x[i][j] <= cut
                    } else {
                        x[i][j] >= cut
                    }
                })
                .collect();
            if members.len() == box_.members.len() || (members.len() as f64) < opts.min_mass * n {
                continue;
            }
            let mut limits = box_.limits.clone();
            if upper {
                limits[j].1 = cut;
            } else {
                limits[j].0 = cut;
            }
            candidates.push(Candidate { limits, members });
        }
    }
    pick(y, box_, candidates, initial)
}

fn best_paste(
    x: &[Vec<f64>],
    y: &[bool],
    box_: &Candidate,
    initial: &[(f64, f64)],
    opts: &PrimOptions,
) -> Option<Candidate> {
    let old_density =
        box_.members.iter().filter(|&&i| y[i]).count() as f64 / box_.members.len().max(1) as f64;
    let mut candidates = Vec::new();
    for j in 0..box_.limits.len() {
        if box_.limits[j] == initial[j] {
            continue;
        }
        for upper in [false, true] {
            let (lim, init) = if upper {
                (box_.limits[j].1, initial[j].1)
            } else {
                (box_.limits[j].0, initial[j].0)
            };
            if lim == init {
                continue;
            }
            // The slab between the box and the data's edge on this side.
            let mut slab_limits = box_.limits.clone();
            slab_limits[j] = if upper { (lim, init) } else { (init, lim) };
            let mut slab: Vec<f64> = x
                .iter()
                .filter(|r| inside(r, &slab_limits))
                .map(|r| r[j])
                .filter(|&v| if upper { v > lim } else { v < lim })
                .collect();
            let value = if slab.is_empty() {
                init
            } else {
                slab.sort_by(f64::total_cmp);
                let q = if upper {
                    opts.paste_alpha
                } else {
                    1.0 - opts.paste_alpha
                };
                peel_quantile(&slab, q)
            };
            let mut limits = box_.limits.clone();
            if upper {
                limits[j].1 = value.max(lim);
            } else {
                limits[j].0 = value.min(lim);
            }
            let members: Vec<usize> = (0..x.len()).filter(|&i| inside(&x[i], &limits)).collect();
            if members.len() <= box_.members.len() {
                continue;
            }
            let density = members.iter().filter(|&&i| y[i]).count() as f64 / members.len() as f64;
            if density > old_density {
                candidates.push(Candidate { limits, members });
            }
        }
    }
    pick(y, box_, candidates, initial)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// 3,000 cases uniform on [0, 1]^3; of interest inside 0.2 <= x0 <= 0.6 and x1 >= 0.3
    /// (x2 plays no part), each label flipped with probability `noise`.
    fn planted(seed: u64, noise: f64) -> (Vec<Vec<f64>>, Vec<bool>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x: Vec<Vec<f64>> = (0..3000)
            .map(|_| vec![rng.random::<f64>(), rng.random(), rng.random()])
            .collect();
        let y = x
            .iter()
            .map(|r| {
                let inside = (0.2..=0.6).contains(&r[0]) && r[1] >= 0.3;
                inside != (rng.random::<f64>() < noise)
            })
            .collect();
        (x, y)
    }

    #[test]
    fn prim_recovers_a_planted_box_and_leaves_the_irrelevant_factor_free() {
        // With exact labels and with 10% of labels flipped, over eight data sets each, the
        // default box's limits lie within 0.04 of the planted ones (about one peel: 5% of
        // a box holding a quarter of the cases spans 0.035 of a factor), the upper limit
        // of x1 and both limits of x2 stay unrestricted, and every restricted limit's
        // quasi-p is below 1e-6.
        for (noise, tol) in [(0.0, 0.04), (0.1, 0.04)] {
            for seed in 1..=8 {
                let (x, y) = planted(seed, noise);
                let t = prim(&x, &y, &PrimOptions::default()).unwrap();
                let s = t.choose(0.5);
                let b = &t.steps[s];
                let what = format!("noise {noise}, seed {seed}, box {:?}", b.limits);
                assert!((b.limits[0].0 - 0.2).abs() < tol, "{what}");
                assert!((b.limits[0].1 - 0.6).abs() < tol, "{what}");
                assert!((b.limits[1].0 - 0.3).abs() < tol, "{what}");
                assert_eq!(t.restricted(s), vec![0, 1], "{what}");
                let qp = t.quasi_p(&x, &y, s);
                assert!(qp[1].1.is_none() && qp[2] == (None, None), "{what}");
                for p in [qp[0].0, qp[0].1, qp[1].0].into_iter().flatten() {
                    assert!(p < 1e-6, "{what}: quasi-p {p}");
                }
                assert!(t.coverage(s) >= 0.5 && b.density() > 0.85 - noise, "{what}");
            }
        }
    }

    #[test]
    fn the_trajectory_loses_coverage_as_it_gains_density() {
        let (x, y) = planted(4, 0.05);
        let t = prim(&x, &y, &PrimOptions::default()).unwrap();
        assert!(t.steps.len() > 10);
        let peeled: Vec<&Step> = t.steps.iter().filter(|s| !s.pasted).collect();
        for w in peeled.windows(2) {
            assert!(w[1].cases < w[0].cases && w[1].density() > w[0].density());
        }
        for s in 0..t.steps.len() {
            assert!(t.mass(s) >= 0.05);
        }
        assert_eq!(t.coverage(0), 1.0);
    }

    #[test]
    fn binomial_tail_matches_hand_computation() {
        // P(X >= 2), X ~ Bin(3, 0.5) = 4/8.
        assert!((binomial_sf(2, 3, 0.5) - 0.5).abs() < 1e-12);
        // P(X >= 9), X ~ Bin(10, 0.3) = 10 * 0.3^9 * 0.7 + 0.3^10.
        let exact = 10.0 * 0.3f64.powi(9) * 0.7 + 0.3f64.powi(10);
        assert!((binomial_sf(9, 10, 0.3) - exact).abs() < 1e-15);
        assert_eq!(binomial_sf(0, 10, 0.3), 1.0);
        assert_eq!(binomial_sf(11, 10, 0.3), 0.0);
        // Large n: P(X >= 5100), X ~ Bin(10000, 0.5) is about P(Z >= 1.99) = 0.0233.
        let tail = binomial_sf(5100, 10000, 0.5);
        assert!((tail - 0.0233).abs() < 0.001, "{tail}");
    }
}
