//! Calendar time: dates, tick lengths, the run's calendar and repeating intervals.
//!
//! The model runs in ticks of a day, a week or a month; every output row carries its
//! calendar date and every event is scheduled by date. Dates are proleptic Gregorian days,
//! counted from 1970-01-01, so no time zone or clock is ever read.

use std::fmt;

/// Days in the Julian year, the year of every rate per year.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The date of year `y`, month `m` (1-12), day `d`, if it exists.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date(days_from_civil(y, m, d)))
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bad = || format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2025-07-26");
        let mut parts = text.trim().split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let y: i32 = y.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        let d: u32 = d.parse().map_err(|_| bad())?;
        Date::from_ymd(y, m, d).ok_or_else(|| format!("{text} is not a day of the calendar"))
    }

    /// The date `n` days later (earlier if negative).
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0 + n)
    }

    /// The date `n` calendar months later, keeping the day of the month where it exists
    /// and clamping to the month's last day otherwise (2025-01-31 + 1 month = 2025-02-28).
    pub fn add_months(self, n: i32) -> Date {
        let (y, m, d) = self.ymd();
        let months = y * 12 + (m as i32 - 1) + n;
        let (ny, nm) = (months.div_euclid(12), months.rem_euclid(12) as u32 + 1);
        let nd = d.min(days_in_month(ny, nm));
        Date(days_from_civil(ny, nm, nd))
    }

    /// Days from `earlier` to `self`.
    pub fn days_since(self, earlier: Date) -> i32 {
        self.0 - earlier.0
    }

    /// Days since 1970-01-01 (negative before): the position of a date on a chart axis.
    pub fn day_number(self) -> i32 {
        self.0
    }

    /// The date `n` days after 1970-01-01.
    pub fn from_day_number(n: i32) -> Date {
        Date(n)
    }

    /// The day of the week, 0 for Monday to 6 for Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.0 + 3).rem_euclid(7) as u32
    }
}

impl Date {
    /// Appends the date as `YYYY-MM-DD` (the bytes of its `Display`), without the general
    /// formatter: tables write a date on every row.
    pub fn push_iso(self, out: &mut String) {
        use crate::output::decimal::push_padded;
        let (y, m, d) = self.ymd();
        let Ok(year) = u64::try_from(y) else {
            // `write!` into a String cannot fail.
            let _ = fmt::Write::write_fmt(out, format_args!("{self}"));
            return;
        };
        push_padded(out, year, 4);
        out.push('-');
        push_padded(out, u64::from(m), 2);
        out.push('-');
        push_padded(out, u64::from(d), 2);
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's `days_from_civil` and `civil_from_days` algorithms
// (http://howardhinnant.github.io/date_algorithms.html), exact for all i32 days.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The length of one tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TickUnit {
    /// One calendar day.
    Day,
    /// Seven days.
    Week,
    /// One calendar month (the day of the month is kept, clamped at month ends).
    Month,
}

impl TickUnit {
    /// The names accepted in scenario files.
    pub const NAMES: [&'static str; 3] = ["day", "week", "month"];

    /// Parses `day`, `week` or `month`.
    pub fn parse(text: &str) -> Option<TickUnit> {
        match text {
            "day" => Some(TickUnit::Day),
            "week" => Some(TickUnit::Week),
            "month" => Some(TickUnit::Month),
            _ => None,
        }
    }

    /// The tick length in years, used to turn yearly rates into per-tick probabilities.
    /// A month is exactly 1/12 year; days and weeks use the Julian year of
    /// [`DAYS_PER_YEAR`] days.
    pub fn dt_years(self) -> f64 {
        match self {
            TickUnit::Day => 1.0 / DAYS_PER_YEAR,
            TickUnit::Week => 7.0 / DAYS_PER_YEAR,
            TickUnit::Month => 1.0 / 12.0,
        }
    }

    /// The date `n` ticks after `start`.
    pub fn advance(self, start: Date, n: i32) -> Date {
        match self {
            TickUnit::Day => start.add_days(n),
            TickUnit::Week => start.add_days(7 * n),
            TickUnit::Month => start.add_months(n),
        }
    }

    /// The scenario-file name of the unit.
    pub fn name(self) -> &'static str {
        match self {
            TickUnit::Day => "day",
            TickUnit::Week => "week",
            TickUnit::Month => "month",
        }
    }
}

/// What a run covers, defined once for every message, file and document:
///
/// - a run covers every day from its `start` to its `end` date, both included;
/// - tick 0 is the initial state on `start`; ticks 1 to T are the run's T steps, and tick
///   `t` is dated `start + t` tick lengths (`waico run` prints T; files hold T + 1 rows);
/// - tick `t` stands for the period from the date of tick `t - 1` up to (not including)
///   its own date: events dated in that period fire during tick `t`, and the row for
///   tick `t` is the state at its end;
/// - the last tick, T, is the first whose date is on or after `end`, so no day of the run
///   is left out; its period also includes its own date. When `end` is a tick date (the
///   shipped scenarios' are), the last tick is dated `end`.
///
/// So an event may be dated any day from `start` to `end`. A change that lasts `until` a
/// date reverts in the tick whose period holds that date by the half-open rule: one that
/// lasts until the last tick's date (or later) holds to the end of the run.
#[derive(Clone, Debug, PartialEq)]
pub struct Calendar {
    unit: TickUnit,
    dates: Vec<Date>,
    end: Date,
}

impl Calendar {
    /// The calendar from `start` to `end` in steps of `unit`; `None` unless `end` is
    /// after `start` (a run has at least one tick).
    pub fn new(start: Date, end: Date, unit: TickUnit) -> Option<Calendar> {
        if end <= start {
            return None;
        }
        let mut dates = vec![start];
        loop {
            let next = unit.advance(start, dates.len() as i32);
            dates.push(next);
            if next >= end {
                break;
            }
        }
        Some(Calendar { unit, dates, end })
    }

    /// The tick unit.
    pub fn unit(&self) -> TickUnit {
        self.unit
    }

    /// The tick length in years.
    pub fn dt_years(&self) -> f64 {
        self.unit.dt_years()
    }

    /// The date of every tick, tick 0 first.
    pub fn dates(&self) -> &[Date] {
        &self.dates
    }

    /// The date of tick `t`.
    pub fn date(&self, t: u32) -> Date {
        self.dates[t as usize]
    }

    /// T, the number of ticks after the initial state (rows are `0..=T`).
    pub fn last_tick(&self) -> u32 {
        (self.dates.len() - 1) as u32
    }

    /// The start date (tick 0).
    pub fn start(&self) -> Date {
        self.dates[0]
    }

    /// The end date the scenario gives: the last day the run covers.
    pub fn end(&self) -> Date {
        self.end
    }

    /// The date of the last tick: `end`, or the first tick date after it.
    pub fn last_date(&self) -> Date {
        *self
            .dates
            .last()
            .expect("a calendar has at least two dates")
    }

    /// Whether `date` is a day the run covers (from `start` to `end`).
    pub fn covers(&self, date: Date) -> bool {
        date >= self.start() && date <= self.end
    }

    /// The tick during which something dated `date` happens: the `t >= 1` with
    /// `date(t-1) <= date < date(t)`, or the last tick for its own date; `None` before the
    /// start or after the last tick's date.
    pub fn tick_of(&self, date: Date) -> Option<u32> {
        if date < self.start() || date > self.last_date() {
            return None;
        }
        let after = self.dates.partition_point(|d| *d <= date);
        Some((after as u32).min(self.last_tick()))
    }

    /// The tick during which a change lasting `until` a date reverts: the tick whose
    /// period holds that date, by the half-open rule alone; `None` from the last tick's
    /// date on (a change that lasts to the end of the run, or beyond, never reverts within
    /// it).
    pub fn revert_tick_of(&self, until: Date) -> Option<u32> {
        if until < self.start() {
            return None;
        }
        let after = self.dates.partition_point(|d| *d <= until);
        (after < self.dates.len()).then_some(after as u32)
    }
}

/// A repeating interval such as "3 months" or "1 week", for strategies that act on a rhythm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Every {
    /// How many units.
    pub count: u32,
    /// Days, weeks or months (a quarter is 3 months, a year 12).
    pub unit: TickUnit,
}

impl Every {
    /// Parses `"<n> <unit>"` where unit is day(s), week(s), month(s), quarter(s) or
    /// year(s); a bare unit means one of it (`"quarter"`).
    pub fn parse(text: &str) -> Result<Every, String> {
        let bad = || {
            format!(
                "`{text}` is not an interval; write e.g. \"3 months\", \"1 quarter\", \"2 weeks\" or \"30 days\""
            )
        };
        let words: Vec<&str> = text.split_whitespace().collect();
        let (count, unit) = match words.as_slice() {
            [unit] => (1, *unit),
            [n, unit] => (n.parse::<u32>().map_err(|_| bad())?, *unit),
            _ => return Err(bad()),
        };
        if count == 0 || count > 100_000 {
            return Err(format!("`{text}`: the interval must be 1 to 100000 units"));
        }
        let (factor, unit) = match unit.trim_end_matches('s') {
            "day" => (1, TickUnit::Day),
            "week" => (1, TickUnit::Week),
            "month" => (1, TickUnit::Month),
            "quarter" => (3, TickUnit::Month),
            "year" => (12, TickUnit::Month),
            _ => return Err(bad()),
        };
        Ok(Every {
            count: count * factor,
            unit,
        })
    }

    /// The `k`-th date of the rhythm after `start` (k = 1 is the first).
    pub fn nth_after(self, start: Date, k: u32) -> Date {
        // Far beyond any run; keeps the date arithmetic in range.
        let steps = (u64::from(self.count) * u64::from(k)).min(1_000_000) as i32;
        self.unit.advance(start, steps)
    }
}

impl fmt::Display for Every {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}s", self.count, self.unit.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_days() {
        for days in -800_000..800_000 {
            let date = Date(days);
            let (y, m, d) = date.ymd();
            assert_eq!(Date::from_ymd(y, m, d), Some(date), "{y}-{m}-{d}");
        }
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        assert_eq!(Date::from_ymd(2000, 3, 1), Some(Date(11_017)));
    }

    #[test]
    fn parse_accepts_iso_dates_and_rejects_the_rest() {
        assert_eq!(Date::parse("2025-07-26").unwrap().to_string(), "2025-07-26");
        for bad in [
            "2025-7-26",
            "2025-02-30",
            "26/07/2025",
            "2025-07",
            "",
            "2025-13-01",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} should not parse");
        }
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2025-02-29").is_err());
    }

    #[test]
    fn month_steps_clamp_to_month_ends() {
        let jan31 = Date::parse("2025-01-31").unwrap();
        assert_eq!(jan31.add_months(1).to_string(), "2025-02-28");
        assert_eq!(jan31.add_months(2).to_string(), "2025-03-31");
        assert_eq!(jan31.add_months(13).to_string(), "2026-02-28");
        assert_eq!(jan31.add_months(-2).to_string(), "2024-11-30");
    }

    #[test]
    fn calendar_counts_ticks_and_places_events_in_periods() {
        let start = Date::parse("2025-07-26").unwrap();
        let end = Date::parse("2030-12-26").unwrap();
        let cal = Calendar::new(start, end, TickUnit::Month).unwrap();
        assert_eq!(cal.last_tick(), 65);
        assert_eq!(
            cal.last_date(),
            end,
            "an end on a tick date is the last tick"
        );
        assert_eq!(cal.dates().len(), 66, "rows: tick 0 and 65 ticks");
        assert_eq!(
            cal.tick_of(start),
            Some(1),
            "a start-date event fires in tick 1"
        );
        let sep1 = Date::parse("2025-09-01").unwrap();
        assert_eq!(
            cal.tick_of(sep1),
            Some(2),
            "period [08-26, 09-26) is tick 2"
        );
        assert_eq!(cal.tick_of(Date::parse("2025-08-26").unwrap()), Some(2));
        assert_eq!(
            cal.tick_of(end),
            Some(65),
            "the end date fires in the last tick"
        );
        assert_eq!(cal.tick_of(end.add_days(1)), None);
        assert_eq!(cal.tick_of(start.add_days(-1)), None);
        assert!(Calendar::new(start, start, TickUnit::Week).is_none());
    }

    #[test]
    fn every_day_from_start_to_end_lies_in_a_tick() {
        let start = Date::parse("2025-07-26").unwrap();
        for unit in [TickUnit::Day, TickUnit::Week, TickUnit::Month] {
            for days in [1, 3, 6, 7, 8, 30, 31, 45, 365, 1984] {
                let end = start.add_days(days);
                let cal = Calendar::new(start, end, unit).unwrap();
                assert!(cal.last_date() >= end, "{unit:?} {days}");
                let before_last = cal.date(cal.last_tick() - 1);
                assert!(
                    before_last < end,
                    "{unit:?} {days}: no tick past the first on or after end"
                );
                for d in 0..=days {
                    let date = start.add_days(d);
                    assert!(cal.covers(date));
                    let t = cal
                        .tick_of(date)
                        .unwrap_or_else(|| panic!("{unit:?} {days}: {date}"));
                    assert!(t >= 1 && t <= cal.last_tick());
                    assert!(cal.date(t - 1) <= date && date <= cal.date(t));
                }
            }
        }
        let end = Date::parse("2030-12-31").unwrap();
        let cal = Calendar::new(start, end, TickUnit::Month).unwrap();
        assert_eq!(cal.last_tick(), 66);
        assert_eq!(cal.last_date().to_string(), "2031-01-26");
        assert_eq!(cal.tick_of(Date::parse("2030-12-28").unwrap()), Some(66));
    }

    #[test]
    fn intervals_parse_in_words() {
        assert_eq!(
            Every::parse("1 quarter").unwrap(),
            Every {
                count: 3,
                unit: TickUnit::Month
            }
        );
        assert_eq!(Every::parse("quarter").unwrap().count, 3);
        assert_eq!(
            Every::parse("2 weeks").unwrap(),
            Every {
                count: 2,
                unit: TickUnit::Week
            }
        );
        assert_eq!(Every::parse("1 year").unwrap().count, 12);
        for bad in ["0 months", "three months", "3 fortnights", ""] {
            assert!(Every::parse(bad).is_err(), "{bad}");
        }
    }
}
