//! The tables computed from a tally: an ensemble's `timeseries.csv` (per tick: mean,
//! standard deviation and quantiles of members, partners and member GDP share) and
//! `states.csv` (per state: shares of runs by final status and at each 31 December, first
//! dates, tier moves, deals and eligibility), also written in long form, one row per design point and
//! state, by sweeps that keep `states`. Column lists here are the schema docs/ANALYSIS.md
//! documents.

use super::tally::{GDP_BINS, INELIGIBLE_WIDTH, Tally};
use crate::output::tables::num;
use crate::sweep::stats::QUANTILES;
use crate::time::Date;
use crate::world::eligibility::Bars;

/// The columns of `states.csv` before the year columns.
pub const STATE_COLUMNS: [&str; 13] = [
    "iso3",
    "name",
    "region",
    "ineligible",
    "lat",
    "lon",
    "runs",
    "member_share",
    "partner_share",
    "outside_share",
    "ineligible_share",
    "ever_member_share",
    "ever_in_share",
];

/// The columns of `states.csv` after the year columns.
pub const STATE_TAIL_COLUMNS: [&str; 9] = [
    "first_member_q05",
    "first_member_q50",
    "first_member_q95",
    "first_in_q05",
    "first_in_q50",
    "first_in_q95",
    "tier_down_share",
    "host_deal_share",
    "opponent_deal_share",
];

/// The quantiles of first dates, as fractions (numerator, denominator): 5%, 50%, 95%.
const DATE_QUANTILES: [(u64, u64); 3] = [(5, 100), (50, 100), (95, 100)];

/// The column of the share in (partner or member) at the end of `year`.
pub fn year_column(year: i32) -> String {
    format!("in_share_{year}")
}

/// The `states.csv` columns for a run covering the 31 Decembers of `years`.
pub fn state_columns(years: &[i32]) -> Vec<String> {
    STATE_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(years.iter().map(|&y| year_column(y)))
        .chain(STATE_TAIL_COLUMNS.iter().map(|c| (*c).to_owned()))
        .collect()
}

/// The `timeseries.csv` columns of an ensemble.
pub fn timeseries_columns() -> Vec<String> {
    let mut cols = vec!["tick".to_owned(), "date".to_owned(), "runs".to_owned()];
    for m in ["members", "partners", "member_gdp_share"] {
        for s in ["mean", "sd", "q05", "q25", "q50", "q75", "q95"] {
            cols.push(format!("{m}_{s}"));
        }
    }
    cols
}

/// The [`QUANTILES`] of values given as a histogram (`counts[k]` values equal to
/// `value(k)`, ascending in `k`), by linear interpolation between order statistics
/// (Hyndman and Fan's type 7), as `summary.csv` of a sweep computes them from the values.
pub fn histogram_quantiles(counts: &[u64], value: impl Fn(usize) -> f64) -> [f64; 5] {
    let n: u64 = counts.iter().sum();
    if n == 0 {
        return [0.0; 5];
    }
    // The value of order statistic j (0-based): the first k whose cumulative count exceeds j.
    let order = |j: u64| {
        let mut cumulative = 0;
        for (k, &c) in counts.iter().enumerate() {
            cumulative += c;
            if cumulative > j {
                return value(k);
            }
        }
        value(counts.len() - 1)
    };
    QUANTILES.map(|q| {
        let h = (n - 1) as f64 * q;
        let (lo, hi) = (h.floor() as u64, h.ceil() as u64);
        let (a, b) = (order(lo), order(hi));
        a + (h - lo as f64) * (b - a)
    })
}

/// Mean, standard deviation and quantiles of an integer histogram (`counts[k]` runs with
/// value `k`), exact.
fn integer_stats(counts: &[u64]) -> Vec<f64> {
    let n: u64 = counts.iter().sum();
    let (mut s1, mut s2) = (0u128, 0u128);
    for (k, &c) in counts.iter().enumerate() {
        let (k, c) = (k as u128, u128::from(c));
        s1 += k * c;
        s2 += k * k * c;
    }
    let (mean, sd) = super::tally::mean_sd(n, s1, s2);
    let mut out = vec![mean, sd];
    out.extend(histogram_quantiles(counts, |k| k as f64));
    out
}

/// The first date by which a share `q` of the runs where it happens have seen it: the
/// tick of order statistic `ceil(q m)` of the `m` runs (Hyndman and Fan's type 1, so the
/// result is a tick date); `None` if it never happens.
pub fn date_quantile(counts: &[u64], dates: &[Date], (num, den): (u64, u64)) -> Option<Date> {
    let m: u64 = counts.iter().sum();
    if m == 0 {
        return None;
    }
    let rank = (num * m).div_ceil(den).max(1);
    let mut cumulative = 0;
    for (k, &c) in counts.iter().enumerate() {
        cumulative += c;
        if cumulative >= rank {
            return dates.get(k).copied();
        }
    }
    dates.last().copied()
}

/// The `timeseries.csv` of an ensemble's tally (which must keep per-tick counts).
pub fn timeseries_csv(tally: &Tally) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| e.to_string();
    w.write_record(timeseries_columns()).map_err(err)?;
    let Some(c) = &tally.ticks else {
        return Err("the tally has no per-tick counts".into());
    };
    let n = tally.states() + 1;
    for (t, date) in tally.shape.dates.iter().enumerate() {
        let mut record = vec![t.to_string(), date.to_string(), tally.runs.to_string()];
        if tally.runs > 0 {
            for hist in [
                &c.members[t * n..(t + 1) * n],
                &c.partners[t * n..(t + 1) * n],
            ] {
                record.extend(integer_stats(hist).into_iter().map(num));
            }
            let (mean, sd) = tally.gdp_mean_sd(t);
            let bins = &c.gdp[t * (GDP_BINS + 1)..(t + 1) * (GDP_BINS + 1)];
            let wide: Vec<u64> = bins.iter().map(|&b| u64::from(b)).collect();
            record.extend([num(mean), num(sd)]);
            // Written with the four decimals of the histogram's resolution.
            let q = histogram_quantiles(&wide, |k| k as f64 / GDP_BINS as f64);
            record.extend(q.into_iter().map(|x| format!("{x:.4}")));
        } else {
            record.extend(std::iter::repeat_n(String::new(), 21));
        }
        w.write_record(&record).map_err(err)?;
    }
    w.into_inner().map_err(|e| e.error().to_string())
}

/// The cells of state `i`'s row of `states.csv` (after any design-point cells), for the
/// year columns `years`.
pub fn state_cells(tally: &Tally, i: usize, years: &[i32]) -> Vec<String> {
    let s = &tally.shape.states[i];
    let (n, ticks, runs) = (tally.states(), tally.tick_count(), tally.runs);
    let share = |count: u64| {
        if runs == 0 {
            String::new()
        } else {
            num(count as f64 / runs as f64)
        }
    };
    let first_member = &tally.first_member[i * ticks..(i + 1) * ticks];
    let first_in = &tally.first_in[i * ticks..(i + 1) * ticks];
    let barred = &tally.ineligible[i * INELIGIBLE_WIDTH..(i + 1) * INELIGIBLE_WIDTH];
    let reasons: Vec<&str> = Bars::CODES
        .iter()
        .zip(&barred[1..])
        .filter(|(_, count)| **count > 0)
        .map(|((_, code), _)| *code)
        .collect();
    let mut cells = vec![
        s.iso3.clone(),
        s.name.clone(),
        s.region.clone(),
        reasons.join(";"),
        s.lat.to_string(),
        s.lon.to_string(),
        runs.to_string(),
        share(tally.last[i * 3 + 2]),
        share(tally.last[i * 3 + 1]),
        share(tally.last[i * 3]),
        share(barred[0]),
        share(first_member.iter().sum()),
        share(first_in.iter().sum()),
    ];
    for year in years {
        let k = tally.shape.years.iter().position(|(y, _)| y == year);
        cells.push(k.map_or_else(String::new, |k| share(tally.in_at[k * n + i])));
    }
    for hist in [first_member, first_in] {
        for q in DATE_QUANTILES {
            let d = date_quantile(hist, &tally.shape.dates, q);
            cells.push(d.map(|d| d.to_string()).unwrap_or_default());
        }
    }
    cells.extend([
        share(tally.tier_down[i]),
        share(tally.host_deal[i]),
        share(tally.opponent_deal[i]),
    ]);
    cells
}

/// The years of a tally's 31 Decembers.
pub fn years(tally: &Tally) -> Vec<i32> {
    tally.shape.years.iter().map(|(y, _)| *y).collect()
}

/// The `states.csv` of an ensemble: one row per state, in state (code) order.
pub fn states_csv(tally: &Tally) -> Result<Vec<u8>, String> {
    let years = years(tally);
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| e.to_string();
    w.write_record(state_columns(&years)).map_err(err)?;
    for i in 0..tally.states() {
        w.write_record(state_cells(tally, i, &years)).map_err(err)?;
    }
    w.into_inner().map_err(|e| e.error().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::stats::stats;

    #[test]
    fn histogram_quantiles_equal_those_of_the_values() {
        let values = [3u64, 7, 7, 1, 0, 9, 3, 3, 12, 5, 5, 6];
        let mut counts = vec![0u64; 13];
        for &v in &values {
            counts[v as usize] += 1;
        }
        let as_f64: Vec<f64> = values.iter().map(|&v| v as f64).collect();
        let direct = stats(&as_f64);
        assert_eq!(histogram_quantiles(&counts, |k| k as f64), direct.quantiles);
        let exact = integer_stats(&counts);
        assert_eq!(exact[0], direct.mean);
        assert!(
            (exact[1] - direct.sd).abs() < 1e-12,
            "{} vs {}",
            exact[1],
            direct.sd
        );
        assert_eq!(histogram_quantiles(&[0, 0, 4], |k| k as f64), [2.0; 5]);
    }

    #[test]
    fn date_quantiles_are_tick_dates_of_the_runs_where_it_happens() {
        let dates: Vec<Date> = (1..=4)
            .map(|m| Date::from_ymd(2026, m, 1).unwrap())
            .collect();
        // 20 runs: first at tick 1 in 1 run, tick 2 in 9, tick 3 in 10.
        let counts = [0, 1, 9, 10];
        let q = |p| date_quantile(&counts, &dates, p).unwrap();
        assert_eq!(q((5, 100)), dates[1], "rank ceil(0.05 * 20) = 1");
        assert_eq!(q((50, 100)), dates[2], "rank 10");
        assert_eq!(q((95, 100)), dates[3], "rank 19");
        assert_eq!(date_quantile(&[0, 0, 0, 0], &dates, (50, 100)), None);
    }
}
