//! Date axes that tick on calendar boundaries: every day, every Monday, the 1st of a
//! month (or of every second, third or sixth month, counted from January) or 1 January,
//! whichever is the finest whose labels fit. [`date_ticks`] is a pure function of the
//! dates and the room, so the tick positions are tested without drawing; [`DateAxis`] is
//! the plotters coordinate that draws exactly those ticks and no others.
//!
//! Positions on a date axis are day numbers ([`Date::day_number`]), so a date and its
//! tick land on the same pixel whatever the run's tick length.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

use crate::time::Date;

/// The spacing of a date axis's ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Every `n`-th day, counted from 1970-01-01.
    Days(u32),
    /// Every `n`-th Monday, counted from 1970-01-05.
    Weeks(u32),
    /// The 1st of every `n`-th month, counted from January (3: quarters, 6: half years).
    Months(u32),
    /// 1 January of every year divisible by `n`.
    Years(u32),
}

/// The steps tried, finest first.
pub const LADDER: [Step; 15] = [
    Step::Days(1),
    Step::Days(2),
    Step::Weeks(1),
    Step::Weeks(2),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(50),
    Step::Years(100),
];

/// The day number of Monday 1970-01-05, the first Monday of the day count.
const FIRST_MONDAY: i32 = 4;

impl Step {
    /// Whether `date` is a tick of this step.
    pub fn holds(self, date: Date) -> bool {
        let (y, m, d) = date.ymd();
        let day = date.day_number();
        match self {
            Step::Days(n) => day.rem_euclid(n as i32) == 0,
            Step::Weeks(n) => {
                date.weekday() == 0 && (day - FIRST_MONDAY).div_euclid(7).rem_euclid(n as i32) == 0
            }
            Step::Months(n) => d == 1 && (m - 1) % n == 0,
            Step::Years(n) => d == 1 && m == 1 && y.rem_euclid(n as i32) == 0,
        }
    }

    /// A tick's label: the date for days and weeks, `YYYY-MM` for months, the year for
    /// years.
    pub fn label(self, date: Date) -> String {
        let (y, m, _) = date.ymd();
        match self {
            Step::Days(_) | Step::Weeks(_) => date.to_string(),
            Step::Months(_) => format!("{y:04}-{m:02}"),
            Step::Years(_) => format!("{y}"),
        }
    }

    /// The widest label of this step, for measuring the room it needs.
    pub fn widest_label(self) -> &'static str {
        match self {
            Step::Days(_) | Step::Weeks(_) => "2000-00-00",
            Step::Months(_) => "2000-00",
            Step::Years(_) => "2000",
        }
    }

    /// The first tick on or after `date`.
    fn first_from(self, date: Date) -> Date {
        let day = date.day_number();
        match self {
            Step::Days(n) => {
                let n = n as i32;
                Date::from_day_number(day + (n - day.rem_euclid(n)) % n)
            }
            Step::Weeks(n) => {
                let period = 7 * n as i32;
                let offset = (day - FIRST_MONDAY).rem_euclid(period);
                Date::from_day_number(day + (period - offset) % period)
            }
            Step::Months(n) | Step::Years(n) => {
                let months = match self {
                    Step::Months(_) => n,
                    _ => 12 * n,
                } as i32;
                let (y, m, d) = date.ymd();
                // Months since year 0, rounded up to the next month start when past the 1st.
                let mut index = y * 12 + (m as i32 - 1) + i32::from(d > 1);
                index += (months - index.rem_euclid(months)) % months;
                Date::from_ymd(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
                    .expect("the 1st of a month exists")
            }
        }
    }

    /// The tick after `tick`.
    fn next(self, tick: Date) -> Date {
        match self {
            Step::Days(n) => tick.add_days(n as i32),
            Step::Weeks(n) => tick.add_days(7 * n as i32),
            Step::Months(n) => tick.add_months(n as i32),
            Step::Years(n) => tick.add_months(12 * n as i32),
        }
    }

    /// The ticks from `first` to `last` (both included), or `None` once there would be
    /// more than `most`.
    pub fn ticks(self, first: Date, last: Date, most: usize) -> Option<Vec<Date>> {
        let mut out = Vec::new();
        let mut tick = self.first_from(first);
        while tick <= last {
            if out.len() == most {
                return None;
            }
            out.push(tick);
            tick = self.next(tick);
        }
        Some(out)
    }
}

/// The ticks of a date axis: the step and the dates it marks.
#[derive(Clone, Debug, PartialEq)]
pub struct DateTicks {
    /// The step chosen.
    pub step: Step,
    /// The tick dates, in order, all within the axis.
    pub dates: Vec<Date>,
}

impl DateTicks {
    /// (position, label) of every tick.
    pub fn labelled(&self) -> Vec<(f64, String)> {
        self.dates
            .iter()
            .map(|d| (f64::from(d.day_number()), self.step.label(*d)))
            .collect()
    }
}

/// The ticks of an axis from `first` to `last`: the finest step of [`LADDER`] that puts at
/// most `room(step)` ticks on the axis (`room` says how many of that step's labels fit).
pub fn date_ticks(first: Date, last: Date, room: impl Fn(Step) -> usize) -> DateTicks {
    for step in LADDER {
        if let Some(dates) = step.ticks(first, last, room(step)) {
            return DateTicks { step, dates };
        }
    }
    let step = Step::Years(100);
    DateTicks {
        step,
        dates: step.ticks(first, last, usize::MAX).unwrap_or_default(),
    }
}

/// A plotters x coordinate over day numbers whose only key points are calendar ticks.
#[derive(Clone, Debug)]
pub struct DateAxis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl DateAxis {
    /// The axis over `range` (day numbers) with `ticks` as its key points.
    pub fn new(range: Range<f64>, ticks: &DateTicks) -> DateAxis {
        DateAxis {
            range,
            ticks: ticks
                .dates
                .iter()
                .map(|d| f64::from(d.day_number()))
                .collect(),
        }
    }
}

impl Ranged for DateAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let t = if span > 0.0 {
            (value - self.range.start) / span
        } else {
            0.0
        };
        (f64::from(limit.0) + t * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Bold points carry the labels and grid lines; there are no light ones.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// The x range of a date axis over `dates` (day numbers), at least one day wide.
pub fn day_range(dates: &[Date]) -> Range<f64> {
    let first = dates.first().map_or(0.0, |d| f64::from(d.day_number()));
    let last = dates.last().map_or(1.0, |d| f64::from(d.day_number()));
    first..last.max(first + 1.0)
}

/// A round step (1, 2 or 5 times a power of ten) that puts at most `most` ticks between
/// `lo` and `hi`, as (multiplier, power of ten).
fn nice_step(lo: f64, hi: f64, most: usize) -> (f64, i32) {
    let span = (hi - lo).abs().max(f64::MIN_POSITIVE);
    let raw = span / most.max(1) as f64;
    let exp = raw.log10().floor() as i32;
    let power = 10f64.powi(exp);
    for m in [1.0, 2.0, 5.0] {
        if span / (m * power) <= most as f64 {
            return (m, exp);
        }
    }
    (1.0, exp + 1)
}

/// `k * m * 10^exp`, computed so that decimal steps come out as the nearest double
/// (0.15, not 0.15000000000000002).
fn scaled(k: i64, m: f64, exp: i32) -> f64 {
    if exp < 0 {
        k as f64 * m / 10f64.powi(-exp)
    } else {
        k as f64 * m * 10f64.powi(exp)
    }
}

/// Round tick values from `lo` to `hi` (both included when round), at most `most` + 1.
pub fn nice_ticks(lo: f64, hi: f64, most: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let (m, exp) = nice_step(lo, hi, most);
    let step = scaled(1, m, exp);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| scaled(k, m, exp)).collect()
}

/// The smallest round number (1, 2, 2.5 or 5 times a power of ten) at least `x` (> 0).
pub fn nice_ceil(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|v| *v >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * power)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{Calendar, TickUnit};

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// The ticks over the dates of a run from `start` over `days` days in ticks of `unit`,
    /// with room for `room` labels.
    fn run_ticks(start: &str, days: i32, unit: TickUnit, room: usize) -> (Vec<Date>, DateTicks) {
        let start = date(start);
        let cal = Calendar::new(start, start.add_days(days), unit).unwrap();
        let dates = cal.dates().to_vec();
        let ticks = date_ticks(dates[0], *dates.last().unwrap(), |_| room);
        (dates, ticks)
    }

    #[test]
    fn ticks_fall_on_calendar_boundaries_for_every_tick_length_and_span() {
        let spans = [91, 120, 183, 365, 730, 1095, 1826, 2557, 3652];
        let starts = ["2014-10-24", "2025-07-26", "2024-02-29", "2031-12-31"];
        for unit in [TickUnit::Day, TickUnit::Week, TickUnit::Month] {
            for days in spans {
                for start in starts {
                    for room in [4, 6, 8, 12] {
                        let (dates, ticks) = run_ticks(start, days, unit, room);
                        let what =
                            format!("{unit:?} run from {start} over {days} days, room {room}");
                        assert!(ticks.dates.len() <= room, "{what}: {ticks:?}");
                        assert!(ticks.dates.len() >= 2, "{what}: too few ticks {ticks:?}");
                        for d in &ticks.dates {
                            assert!(
                                ticks.step.holds(*d),
                                "{what}: {d} is not a {:?} tick",
                                ticks.step
                            );
                            assert!(
                                *d >= dates[0] && d <= dates.last().unwrap(),
                                "{what}: {d} off the axis"
                            );
                            let (_, m, day) = d.ymd();
                            match ticks.step {
                                Step::Days(_) => {}
                                Step::Weeks(_) => {
                                    assert_eq!(d.weekday(), 0, "{what}: {d} is not a Monday")
                                }
                                Step::Months(n) => {
                                    assert!(day == 1 && (m - 1) % n == 0, "{what}: {d}")
                                }
                                Step::Years(_) => {
                                    assert!(day == 1 && m == 1, "{what}: {d} is not 1 January")
                                }
                            }
                        }
                        // No tick of the step is missing between the first and the last.
                        let all = ticks
                            .step
                            .ticks(dates[0], *dates.last().unwrap(), usize::MAX)
                            .unwrap();
                        assert_eq!(all, ticks.dates, "{what}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_finest_step_that_fits_is_chosen() {
        let pick = |first: &str, last: &str, room: usize| {
            date_ticks(date(first), date(last), |_| room).step
        };
        assert_eq!(pick("2015-03-01", "2015-03-07", 8), Step::Days(1));
        assert_eq!(pick("2014-10-24", "2015-04-15", 8), Step::Months(1));
        assert_eq!(pick("2014-10-24", "2015-01-15", 8), Step::Weeks(2));
        assert_eq!(pick("2025-07-26", "2030-12-26", 8), Step::Years(1));
        assert_eq!(pick("2025-07-26", "2030-12-26", 12), Step::Months(6));
        assert_eq!(pick("2025-07-26", "2035-07-26", 8), Step::Years(2));
        assert_eq!(pick("2025-07-26", "2026-01-26", 8), Step::Months(1));
    }

    #[test]
    fn ticks_and_labels_of_the_aiib_replay() {
        // The case: a daily run from 2014-10-24 to 2015-04-15. The UK event line
        // (2015-03-12) lies between the ticks 2015-03-01 and 2015-04-01, right of "2015-03".
        let ticks = date_ticks(date("2014-10-24"), date("2015-04-15"), |_| 8);
        let labels: Vec<String> = ticks.labelled().into_iter().map(|(_, l)| l).collect();
        assert_eq!(
            labels,
            [
                "2014-11", "2014-12", "2015-01", "2015-02", "2015-03", "2015-04"
            ]
        );
        let march = ticks.labelled()[4].0;
        assert_eq!(march, f64::from(date("2015-03-01").day_number()));
        assert!(f64::from(date("2015-03-12").day_number()) > march);
    }

    #[test]
    fn first_ticks_round_up_to_the_boundary() {
        assert_eq!(
            Step::Weeks(1).first_from(date("2015-03-12")),
            date("2015-03-16")
        );
        assert_eq!(
            Step::Weeks(1).first_from(date("2015-03-16")),
            date("2015-03-16")
        );
        assert_eq!(
            Step::Months(3).first_from(date("2025-07-26")),
            date("2025-10-01")
        );
        assert_eq!(
            Step::Months(3).first_from(date("2025-10-01")),
            date("2025-10-01")
        );
        assert_eq!(
            Step::Months(6).first_from(date("2025-12-31")),
            date("2026-01-01")
        );
        assert_eq!(
            Step::Years(5).first_from(date("2025-07-26")),
            date("2030-01-01")
        );
        assert_eq!(
            Step::Days(2).first_from(date("1970-01-02")),
            date("1970-01-03")
        );
    }

    #[test]
    fn numeric_ticks_are_round() {
        assert_eq!(
            nice_ticks(0.0, 100.0, 5),
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            nice_ticks(0.0, 0.3, 6),
            [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
        );
        assert_eq!(nice_ticks(5.0, 5.0, 4), [5.0]);
        assert_eq!(nice_ceil(72.0), 100.0);
        assert_eq!(nice_ceil(0.28), 0.5);
        assert_eq!(nice_ceil(196.0), 200.0);
        assert_eq!(nice_ceil(0.21), 0.25);
    }

    #[test]
    fn the_axis_maps_dates_linearly_and_offers_only_its_ticks() {
        let ticks = date_ticks(date("2025-01-01"), date("2026-01-01"), |_| 13);
        let axis = DateAxis::new(day_range(&[date("2025-01-01"), date("2026-01-01")]), &ticks);
        assert_eq!(
            axis.map(&f64::from(date("2025-01-01").day_number()), (0, 365)),
            0
        );
        assert_eq!(
            axis.map(&f64::from(date("2026-01-01").day_number()), (0, 365)),
            365
        );
        assert_eq!(
            axis.map(&f64::from(date("2025-07-02").day_number()), (0, 365)),
            182
        );
        use plotters::coord::ranged1d::{BoldPoints, LightPoints};
        assert_eq!(axis.key_points(BoldPoints(3)).len(), 13);
        assert!(axis.key_points(LightPoints::new(3, 30)).is_empty());
    }
}
