//! The tally of an ensemble (or of one design point of a sweep): exact counts over runs,
//! taken one run's [`Digest`] at a time, in run order, and summed across shards. Memory
//! does not grow with the number of runs: per tick, a histogram of members and of partners
//! (integers, so their quantiles are exact) and of member GDP share rounded to
//! [`GDP_BINS`] steps, with exact sums for its mean and standard deviation; per state,
//! counts of seeds and histograms of first ticks.
//!
//! Every count is an integer, so adding runs in any grouping (shards, resumed runs) gives
//! the same tally, and the files computed from it are the same to the byte.
//!
//! A tally is written as CSV (`tally.csv` of an ensemble or shard folder, see
//! [`Tally::write_rows`]) so that an interrupted ensemble resumes from it and `waico merge`
//! sums the tallies of shards.

use std::sync::Arc;

use super::digest::Digest;
use crate::time::Date;
use crate::world::WorldData;
use crate::world::eligibility::Bars;

/// Steps of member GDP share in its histogram: shares are counted rounded to 1/10,000
/// (0.01 percentage point), so its quantiles are exact to within 0.00005.
pub const GDP_BINS: usize = 10_000;

/// Units of member GDP share in its exact sums: 10⁻⁹.
const GDP_UNIT: f64 = 1e9;

/// What a state is called and where its capital is, for tables and maps.
#[derive(Clone, Debug, PartialEq)]
pub struct StateLabel {
    /// ISO3 code.
    pub iso3: String,
    /// Name.
    pub name: String,
    /// Region.
    pub region: String,
    /// Latitude of the capital.
    pub lat: f64,
    /// Longitude of the capital.
    pub lon: f64,
}

/// The labels of a world's states, by index.
pub fn labels(world: &WorldData) -> Arc<Vec<StateLabel>> {
    Arc::new(
        world
            .nations
            .iter()
            .map(|n| StateLabel {
                iso3: n.iso3.clone(),
                name: n.name.clone(),
                region: n.region.clone(),
                lat: n.lat,
                lon: n.lon,
            })
            .collect(),
    )
}

/// What a tally counts over: the states, the tick dates and the year ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// The states.
    pub states: Arc<Vec<StateLabel>>,
    /// The date of every tick.
    pub dates: Vec<Date>,
    /// The 31 Decembers the runs cover, as (year, tick).
    pub years: Vec<(i32, u32)>,
}

/// Per-tick histograms (ensembles only; a sweep summarises ticks in `summary.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct TickCounts {
    /// `members[tick * (states + 1) + k]`: runs with `k` members at the tick.
    pub members: Vec<u64>,
    /// The same for partners.
    pub partners: Vec<u64>,
    /// `gdp[tick * (GDP_BINS + 1) + b]`: runs whose member GDP share rounds to `b / GDP_BINS`.
    pub gdp: Vec<u32>,
    /// Per tick, the sum of member GDP shares in units of 10⁻⁹.
    pub gdp_sum: Vec<u128>,
    /// Per tick, the sum of their squares (units 10⁻¹⁸).
    pub gdp_squares: Vec<u128>,
}

/// Exact counts over runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Tally {
    /// What is counted over.
    pub shape: Shape,
    /// Runs counted.
    pub runs: u64,
    /// Per tick, if kept.
    pub ticks: Option<TickCounts>,
    /// `last[state * 3 + status]`: runs in which the state ends with the status.
    pub last: Vec<u64>,
    /// `in_at[year * states + state]`: runs in which it is in at the year end.
    pub in_at: Vec<u64>,
    /// `first_member[state * ticks + tick]`: runs in which it first is a member at the tick.
    pub first_member: Vec<u64>,
    /// The same for partner or member.
    pub first_in: Vec<u64>,
    /// Per state: runs in which it was moved a tier down.
    pub tier_down: Vec<u64>,
    /// Per state: runs in which it received a deal from the host.
    pub host_deal: Vec<u64>,
    /// Per state: runs in which it received a deal from the opposing power.
    pub opponent_deal: Vec<u64>,
    /// `ineligible[state * INELIGIBLE_WIDTH]`: runs in which it cannot join at the end;
    /// `+ 1 + r`: runs in which reason `r` of [`Bars::CODES`] bars it then.
    pub ineligible: Vec<u64>,
}

/// Counts per state in [`Tally::ineligible`]: any reason, then each of [`Bars::CODES`].
pub const INELIGIBLE_WIDTH: usize = 1 + Bars::CODES.len();

/// A share of world GDP as an integer count of 10⁻⁹ (shares lie in [0, 1]).
fn gdp_units(share: f64) -> u64 {
    (share.clamp(0.0, 1.0) * GDP_UNIT).round() as u64
}

/// The histogram step of a share.
pub fn gdp_bin(share: f64) -> usize {
    (share.clamp(0.0, 1.0) * GDP_BINS as f64).round() as usize
}

impl Tally {
    /// An empty tally over `shape`, with per-tick histograms if `ticks`.
    pub fn new(shape: Shape, ticks: bool) -> Tally {
        let (n, t, y) = (shape.states.len(), shape.dates.len(), shape.years.len());
        Tally {
            runs: 0,
            ticks: ticks.then(|| TickCounts {
                members: vec![0; t * (n + 1)],
                partners: vec![0; t * (n + 1)],
                gdp: vec![0; t * (GDP_BINS + 1)],
                gdp_sum: vec![0; t],
                gdp_squares: vec![0; t],
            }),
            last: vec![0; n * 3],
            in_at: vec![0; y * n],
            first_member: vec![0; n * t],
            first_in: vec![0; n * t],
            tier_down: vec![0; n],
            host_deal: vec![0; n],
            opponent_deal: vec![0; n],
            ineligible: vec![0; n * INELIGIBLE_WIDTH],
            shape,
        }
    }

    /// Number of states.
    pub fn states(&self) -> usize {
        self.shape.states.len()
    }

    /// Number of ticks.
    pub fn tick_count(&self) -> usize {
        self.shape.dates.len()
    }

    /// Counts one run. The digest must come from a run over the tally's shape.
    pub fn add(&mut self, d: &Digest) {
        let (n, t) = (self.states(), self.tick_count());
        debug_assert_eq!(d.states.len(), n, "a digest of another world");
        self.runs += 1;
        if let Some(c) = self.ticks.as_mut() {
            for k in 0..t.min(d.members.len()) {
                c.members[k * (n + 1) + (d.members[k] as usize).min(n)] += 1;
                c.partners[k * (n + 1) + (d.partners[k] as usize).min(n)] += 1;
                let share = d.member_gdp_share[k];
                c.gdp[k * (GDP_BINS + 1) + gdp_bin(share)] += 1;
                let units = u128::from(gdp_units(share));
                c.gdp_sum[k] += units;
                c.gdp_squares[k] += units * units;
            }
        }
        for (i, o) in d.states.iter().enumerate().take(n) {
            self.last[i * 3 + o.last as usize] += 1;
            if let Some(tick) = o.first_member.filter(|&x| (x as usize) < t) {
                self.first_member[i * t + tick as usize] += 1;
            }
            if let Some(tick) = o.first_in.filter(|&x| (x as usize) < t) {
                self.first_in[i * t + tick as usize] += 1;
            }
            self.tier_down[i] += u64::from(o.tier_down);
            self.host_deal[i] += u64::from(o.host_deal);
            self.opponent_deal[i] += u64::from(o.opponent_deal);
            if !o.bars.is_empty() {
                self.ineligible[i * INELIGIBLE_WIDTH] += 1;
                for (r, (reason, _)) in Bars::CODES.iter().enumerate() {
                    self.ineligible[i * INELIGIBLE_WIDTH + 1 + r] +=
                        u64::from(o.bars.contains(*reason));
                }
            }
        }
        for (k, &inside) in d.in_at.iter().enumerate().take(self.in_at.len()) {
            self.in_at[k] += u64::from(inside);
        }
    }

    /// Adds another tally over the same shape (a shard's, or a resumed part's).
    pub fn merge(&mut self, other: &Tally) -> Result<(), String> {
        if other.shape != self.shape || other.ticks.is_some() != self.ticks.is_some() {
            return Err("the tallies count over different states, dates or tables".into());
        }
        self.runs += other.runs;
        let sum = |a: &mut Vec<u64>, b: &Vec<u64>| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        sum(&mut self.last, &other.last);
        sum(&mut self.in_at, &other.in_at);
        sum(&mut self.first_member, &other.first_member);
        sum(&mut self.first_in, &other.first_in);
        sum(&mut self.tier_down, &other.tier_down);
        sum(&mut self.host_deal, &other.host_deal);
        sum(&mut self.opponent_deal, &other.opponent_deal);
        sum(&mut self.ineligible, &other.ineligible);
        if let (Some(a), Some(b)) = (self.ticks.as_mut(), other.ticks.as_ref()) {
            sum(&mut a.members, &b.members);
            sum(&mut a.partners, &b.partners);
            a.gdp.iter_mut().zip(&b.gdp).for_each(|(x, y)| *x += y);
            a.gdp_sum
                .iter_mut()
                .zip(&b.gdp_sum)
                .for_each(|(x, y)| *x += y);
            a.gdp_squares
                .iter_mut()
                .zip(&b.gdp_squares)
                .for_each(|(x, y)| *x += y);
        }
        Ok(())
    }

    /// The exact mean and sample standard deviation of member GDP share at `tick`.
    pub fn gdp_mean_sd(&self, tick: usize) -> (f64, f64) {
        let Some(c) = &self.ticks else {
            return (0.0, 0.0);
        };
        let (s1, s2) = (c.gdp_sum[tick], c.gdp_squares[tick]);
        let (mean, sd) = mean_sd(self.runs, s1, s2);
        (mean / GDP_UNIT, sd / GDP_UNIT)
    }
}

/// Mean and sample standard deviation from the count, sum and sum of squares of
/// integers, exactly up to the final division and square root (0 for fewer than two).
pub fn mean_sd(n: u64, s1: u128, s2: u128) -> (f64, f64) {
    if n == 0 {
        return (0.0, 0.0);
    }
    let n128 = u128::from(n);
    let mean = s1 as f64 / n as f64;
    if n < 2 {
        return (mean, 0.0);
    }
    // n * S2 - S1^2 >= 0 by the Cauchy-Schwarz inequality; exact in integers.
    let numerator = (n128 * s2).saturating_sub(s1 * s1);
    let variance = numerator as f64 / (n as f64 * (n - 1) as f64);
    (mean, variance.sqrt())
}
