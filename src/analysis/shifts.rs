//! Per-state shifts of a comparison: for every state, the share of seeds in which it ends
//! as a member and in (partner or member) under A and under B, the paired difference B - A
//! with its 95% interval, how often its final status differs and how often it cannot
//! join at the end under each; `states.csv` of a
//! comparison folder and its two world maps of the shifts.
//!
//! The interval is Newcombe's hybrid score interval for a difference of paired
//! proportions (R. G. Newcombe, "Improved confidence intervals for the difference between
//! binomial proportions based on paired data", Statistics in Medicine 17, 2635-2650, 1998,
//! method 10; recommended by M. W. Fagerland, S. Lydersen and P. Laake, "Recommended tests
//! and confidence intervals for paired binomial proportions", Statistics in Medicine 33,
//! 2850-2875, 2014). It combines the Wilson score intervals of the two shares with their
//! correlation over the seeds, so it stays inside [-1, 1] and keeps a width at shares of
//! 0 and 1, where the paired t interval collapses to a point.

use crate::model::Status;
use crate::output::OutputError;
use crate::output::charts::map::{Fill, MapChart, MapState};
use crate::output::maps::{self, Powers};
use crate::output::tables::num;
use crate::world::WorldData;

/// The normal quantile of a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson score interval (95%) of `k` successes in `n` trials.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let all = k == n;
    let (n, p, z2) = (n as f64, k as f64 / n as f64, Z95 * Z95);
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 and n successes the bounds are exactly 0 and 1 (rounding would miss them).
    let lower = if k == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let upper = if all { 1.0 } else { (centre + half).min(1.0) };
    (lower, upper)
}

/// A paired 2x2 table of seeds: whether an outcome happened under the first and under the
/// second scenario.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Paired {
    /// Seeds where it happened under both.
    pub both: u64,
    /// Under the first only.
    pub first_only: u64,
    /// Under the second only.
    pub second_only: u64,
    /// Under neither.
    pub neither: u64,
}

impl Paired {
    /// Counts one seed.
    pub fn add(&mut self, first: bool, second: bool) {
        match (first, second) {
            (true, true) => self.both += 1,
            (true, false) => self.first_only += 1,
            (false, true) => self.second_only += 1,
            (false, false) => self.neither += 1,
        }
    }

    /// The number of seeds.
    pub fn n(&self) -> u64 {
        self.both + self.first_only + self.second_only + self.neither
    }

    /// The shares of seeds in which it happened under the first and under the second.
    pub fn shares(&self) -> (f64, f64) {
        let n = self.n().max(1) as f64;
        (
            (self.both + self.first_only) as f64 / n,
            (self.both + self.second_only) as f64 / n,
        )
    }

    /// The difference of shares, first minus second: exactly 0 when no seed differs.
    pub fn difference(&self) -> f64 {
        (self.first_only as f64 - self.second_only as f64) / self.n().max(1) as f64
    }

    /// Newcombe's hybrid score 95% interval of [`Paired::difference`] (method 10 of
    /// Newcombe 1998, with its correction of the correlation).
    pub fn interval(&self) -> (f64, f64) {
        let n = self.n();
        let (k1, k2) = (self.both + self.first_only, self.both + self.second_only);
        let (p1, p2) = self.shares();
        let (l1, u1) = wilson(k1, n);
        let (l2, u2) = wilson(k2, n);
        let margins = [k1, n - k1, k2, n - k2];
        let phi = if margins.contains(&0) {
            0.0
        } else {
            let product: f64 = margins.iter().map(|&m| m as f64).product();
            let a = self.both as f64 * self.neither as f64
                - self.first_only as f64 * self.second_only as f64;
            let half = n as f64 / 2.0;
            let corrected = if a > half {
                a - half
            } else if a >= 0.0 {
                0.0
            } else {
                a
            };
            corrected / product.sqrt()
        };
        let d = self.difference();
        let root = |x: f64, y: f64| (x * x - 2.0 * phi * x * y + y * y).max(0.0).sqrt();
        let lower = d - root(p1 - l1, u2 - p2);
        let upper = d + root(u1 - p1, p2 - l2);
        (lower.max(-1.0), upper.min(1.0))
    }
}

/// One state's shift between scenario A and scenario B over common seeds (a row of a
/// comparison's `states.csv`). In the paired tables the first scenario is B, so
/// differences are B minus A.
#[derive(Clone, Debug, PartialEq)]
pub struct StateShift {
    /// State index.
    pub state: u32,
    /// Code.
    pub iso3: String,
    /// Name.
    pub name: String,
    /// Region.
    pub region: String,
    /// Ends as a member: under B (first) and under A (second).
    pub member: Paired,
    /// Ends in (partner or member): under B and under A.
    pub inside: Paired,
    /// Seeds in which its final status differs.
    pub differs: u64,
    /// Seeds in which it ends further in under B (outside < partner < member).
    pub more_in_b: u64,
    /// Seeds in which it ends further out under B.
    pub less_in_b: u64,
    /// Seeds in which it cannot join at the end (ineligible): under A and under B.
    pub ineligible: [u64; 2],
}

impl StateShift {
    /// An empty tally for state `state` of `world`.
    pub fn new(world: &WorldData, state: u32) -> StateShift {
        let n = &world.nations[state as usize];
        StateShift {
            state,
            iso3: n.iso3.clone(),
            name: n.name.clone(),
            region: n.region.clone(),
            member: Paired::default(),
            inside: Paired::default(),
            differs: 0,
            more_in_b: 0,
            less_in_b: 0,
            ineligible: [0, 0],
        }
    }

    /// Counts one seed's eligibility at the end: whether the state cannot join under A
    /// and under B.
    pub fn add_barred(&mut self, a: bool, b: bool) {
        self.ineligible[0] += u64::from(a);
        self.ineligible[1] += u64::from(b);
    }

    /// Whether it cannot join at the end under either scenario, on every seed.
    pub fn barred(&self) -> bool {
        let n = self.member.n();
        n > 0 && self.ineligible == [n, n]
    }

    /// Counts one seed: the state's final status under A and under B.
    pub fn add(&mut self, a: Status, b: Status) {
        self.member.add(b == Status::Member, a == Status::Member);
        self.inside.add(b.is_in(), a.is_in());
        self.differs += u64::from(a != b);
        self.more_in_b += u64::from(b > a);
        self.less_in_b += u64::from(b < a);
    }

    /// The size of its shift: the larger absolute shift of P(member) and P(in).
    pub fn size(&self) -> f64 {
        self.member
            .difference()
            .abs()
            .max(self.inside.difference().abs())
    }
}

/// Sorts shifts by size, largest first, then by code.
pub fn rank(shifts: &mut [StateShift]) {
    shifts.sort_by(|x, y| y.size().total_cmp(&x.size()).then(x.iso3.cmp(&y.iso3)));
}

/// The columns of a comparison's `states.csv`.
pub const STATE_COLUMNS: [&str; 19] = [
    "iso3",
    "name",
    "region",
    "seeds",
    "member_share_a",
    "member_share_b",
    "member_shift",
    "member_shift_lo",
    "member_shift_hi",
    "in_share_a",
    "in_share_b",
    "in_shift",
    "in_shift_lo",
    "in_shift_hi",
    "differs_share",
    "more_in_b_share",
    "less_in_b_share",
    "ineligible_share_a",
    "ineligible_share_b",
];

/// A comparison's `states.csv`: every state, in the order given (by size of shift).
pub fn states_csv(shifts: &[StateShift]) -> Result<Vec<u8>, OutputError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| OutputError::Csv(e.to_string());
    w.write_record(STATE_COLUMNS).map_err(err)?;
    for s in shifts {
        let n = s.member.n().max(1) as f64;
        let mut record = vec![
            s.iso3.clone(),
            s.name.clone(),
            s.region.clone(),
            s.member.n().to_string(),
        ];
        for p in [&s.member, &s.inside] {
            let (b, a) = p.shares();
            let (lo, hi) = p.interval();
            record.extend([num(a), num(b), num(p.difference()), num(lo), num(hi)]);
        }
        record.extend(
            [
                s.differs,
                s.more_in_b,
                s.less_in_b,
                s.ineligible[0],
                s.ineligible[1],
            ]
            .map(|c| num(c as f64 / n)),
        );
        w.write_record(&record).map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| OutputError::Csv(e.error().to_string()))
}

/// The two diverging world maps of the shifts in P(member) and P(in) at the end.
pub fn shift_maps(
    world: &WorldData,
    shifts: &[StateShift],
    powers: Powers,
    names: (&str, &str),
    seeds: u64,
) -> [MapChart; 2] {
    let (a, b) = names;
    let mut by_state: Vec<&StateShift> = shifts.iter().collect();
    by_state.sort_by_key(|s| s.state);
    let map = |file: &str, what: &str, ends: &str, value: fn(&StateShift) -> f64| {
        let states = by_state
            .iter()
            .map(|s| {
                let n = &world.nations[s.state as usize];
                let at = MapState {
                    iso3: n.iso3.clone(),
                    lat: n.lat,
                    lon: n.lon,
                    fill: Fill::Value(0.0),
                    barred: s.barred(),
                };
                (at, value(s))
            })
            .collect();
        maps::shift_map(
            file,
            format!("P({what} at the end): {b} minus {a}, {seeds} seeds"),
            format!("shift in the share of seeds ending {ends} ({b} minus {a})"),
            states,
            powers.clone(),
        )
    };
    [
        map("shift-member", "member", "a member", |s| {
            s.member.difference()
        }),
        map("shift-in", "in", "in", |s| s.inside.difference()),
    ]
}

/// Percentage points with a sign.
fn pp(x: f64) -> String {
    let v = (100.0 * x).round() as i64;
    if v > 0 {
        format!("+{v}")
    } else {
        format!("{v}")
    }
}

/// The printed table: the `top` largest shifts, with their intervals.
pub fn report(shifts: &[StateShift], top: usize) -> String {
    let mut out = String::new();
    // The name column is as wide as the longest name shown: no name is cut.
    let width = shifts
        .iter()
        .take(top)
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(22);
    for s in shifts.iter().take(top) {
        let name = &s.name;
        let cell = |p: &Paired| {
            let (b, a) = p.shares();
            let (lo, hi) = p.interval();
            format!(
                "{:>3.0}% -> {:>3.0}% ({:>4} pp, {} to {})",
                100.0 * a,
                100.0 * b,
                pp(p.difference()),
                pp(lo),
                pp(hi)
            )
        };
        out.push_str(&format!(
            "    {}  {name:<width$}  member {}; in {}\n",
            s.iso3,
            cell(&s.member),
            cell(&s.inside)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newcombe_s_interval_matches_the_published_example() {
        // Cavo et al. (2012), as analysed by Fagerland, Lydersen & Laake (2017, chapter 8):
        // 59 both, 6 first only, 16 second only, 80 neither; estimate -0.0621, 95%
        // interval -0.1186 to -0.0046 (Newcombe's square-and-add interval).
        let p = Paired {
            both: 59,
            first_only: 6,
            second_only: 16,
            neither: 80,
        };
        let (lo, hi) = p.interval();
        assert!(
            (p.difference() - -0.0621).abs() < 5e-5,
            "{}",
            p.difference()
        );
        assert!((lo - -0.1186).abs() < 5e-5, "lower {lo}");
        assert!((hi - -0.0046).abs() < 5e-5, "upper {hi}");
    }

    #[test]
    fn the_interval_behaves_at_zero_and_one_and_is_symmetric() {
        let none = Paired {
            neither: 100,
            ..Paired::default()
        };
        assert_eq!(none.difference(), 0.0);
        let (lo, hi) = none.interval();
        assert!(lo < 0.0 && hi > 0.0 && hi < 0.05, "({lo}, {hi})");
        let all = Paired {
            first_only: 100,
            ..Paired::default()
        };
        assert_eq!(all.difference(), 1.0);
        let (lo, hi) = all.interval();
        assert!(lo > 0.9 && hi == 1.0, "({lo}, {hi})");
        let p = Paired {
            both: 10,
            first_only: 7,
            second_only: 2,
            neither: 81,
        };
        let q = Paired {
            first_only: 2,
            second_only: 7,
            ..p
        };
        let ((a, b), (c, d)) = (p.interval(), q.interval());
        assert!(
            (a + d).abs() < 1e-12 && (b + c).abs() < 1e-12,
            "swapping A and B negates it"
        );
        assert!(a < p.difference() && p.difference() < b);
    }

    #[test]
    fn wilson_intervals_match_a_hand_computation() {
        // 5 of 20: centre (0.25 + 1.92/20) / (1 + 3.84/20), the known (0.1119, 0.4687).
        let (lo, hi) = wilson(5, 20);
        assert!(
            (lo - 0.1119).abs() < 1e-4 && (hi - 0.4687).abs() < 1e-4,
            "({lo}, {hi})"
        );
        assert_eq!(wilson(0, 10).0, 0.0);
        assert_eq!(wilson(10, 10).1, 1.0);
    }
}
