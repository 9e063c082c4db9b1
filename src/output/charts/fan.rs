//! Fan chart: members over time, a median line with its 50% and 90% bands across
//! replicates. One fan fills the chart (with an observed curve over it, for calibration);
//! several are small multiples, one panel per design point on a shared y axis, each with
//! the other points' medians in grey for comparison, so bands never overlap.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, Frame, KeyEntry, PALETTE};
use super::{ChartSpec, draw_err};
use crate::time::Date;

/// The height of one row of panels.
const PANEL_HEIGHT: u32 = 320;
/// The height of the key under the plot.
const KEY_HEIGHT: u32 = 40;

/// One design point's band over time.
#[derive(Clone, Debug)]
pub struct Fan {
    /// Legend text (the point's parameter values).
    pub label: String,
    /// Tick dates.
    pub dates: Vec<Date>,
    /// 5, 25, 50, 75 and 95% quantiles of members at each tick.
    pub quantiles: Vec<[f64; 5]>,
}

/// One or several fans.
pub struct FanChart {
    /// File stem.
    pub name: String,
    /// Title.
    pub title: String,
    /// The fans.
    pub fans: Vec<Fan>,
    /// Observed values (date, members) drawn over the fans as a black step line with
    /// markers; empty for none.
    pub observed: Vec<(Date, f64)>,
    /// The top of the y axis, shared by every page of a sweep's fans; `None`: from the
    /// data.
    pub y_max: Option<f64>,
}

impl FanChart {
    /// The top of the y axis: `y_max`, or the highest 95% quantile or observation.
    pub fn top(&self) -> f64 {
        self.y_max.unwrap_or_else(|| {
            let top = self
                .fans
                .iter()
                .flat_map(|f| f.quantiles.iter().map(|q| q[4]))
                .chain(self.observed.iter().map(|o| o.1))
                .fold(10.0f64, f64::max);
            top * 1.08
        })
    }

    fn dates(&self) -> Vec<Date> {
        let first = self.fans.iter().filter_map(|f| f.dates.first()).min();
        let last = self.fans.iter().filter_map(|f| f.dates.last()).max();
        first.into_iter().chain(last).copied().collect()
    }

    fn draw_fan<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        title: &str,
        k: usize,
    ) -> Result<(), String> {
        let dates = self.dates();
        let mut chart = style::date_chart(
            area,
            &Frame {
                title,
                dates: &dates,
                y: style::from_zero(self.top()),
                y_desc: "members",
                y_label: &style::whole,
                top: 0,
            },
        )?;
        let line = |fan: &Fan| -> Vec<(f64, f64)> {
            fan.dates
                .iter()
                .zip(&fan.quantiles)
                .map(|(d, q)| (style::x_of(*d), q[2]))
                .collect()
        };
        for (j, other) in self.fans.iter().enumerate() {
            if j != k {
                chart
                    .draw_series(LineSeries::new(
                        line(other),
                        RGBColor(190, 190, 190).stroke_width(1),
                    ))
                    .map_err(draw_err)?;
            }
        }
        let fan = &self.fans[k];
        let color = PALETTE[0];
        let x: Vec<f64> = fan.dates.iter().map(|d| style::x_of(*d)).collect();
        for (lo, hi, alpha) in [(0usize, 4usize, 0.15), (1, 3, 0.3)] {
            let mut outline: Vec<(f64, f64)> = x
                .iter()
                .zip(&fan.quantiles)
                .map(|(&x, q)| (x, q[hi]))
                .collect();
            outline.extend(x.iter().zip(&fan.quantiles).rev().map(|(&x, q)| (x, q[lo])));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    outline,
                    color.mix(alpha).filled(),
                )))
                .map_err(draw_err)?;
        }
        chart
            .draw_series(LineSeries::new(line(fan), color.stroke_width(3)))
            .map_err(draw_err)?;
        if !self.observed.is_empty() {
            let end = dates.last().map_or(0.0, |d| style::x_of(*d));
            let mut steps: Vec<(f64, f64)> = Vec::with_capacity(2 * self.observed.len());
            for (j, &(date, value)) in self.observed.iter().enumerate() {
                let x = style::x_of(date);
                if j > 0 {
                    steps.push((x, self.observed[j - 1].1));
                }
                steps.push((x, value));
            }
            if let Some(&(_, last)) = self.observed.last() {
                steps.push((end, last));
            }
            chart
                .draw_series(LineSeries::new(steps, BLACK.stroke_width(2)))
                .map_err(draw_err)?;
            chart
                .draw_series(
                    self.observed
                        .iter()
                        .map(|&(d, v)| Circle::new((style::x_of(d), v), 4, BLACK.filled())),
                )
                .map_err(draw_err)?;
        }
        Ok(())
    }

    fn key(&self) -> Vec<KeyEntry<'static>> {
        let color = PALETTE[0];
        let mut key = vec![
            KeyEntry {
                text: "median of runs",
                style: color.stroke_width(3),
                filled: false,
            },
            KeyEntry {
                text: "50% of runs",
                style: color.mix(0.3).filled(),
                filled: true,
            },
            KeyEntry {
                text: "90% of runs",
                style: color.mix(0.15).filled(),
                filled: true,
            },
        ];
        if self.fans.len() > 1 {
            key.push(KeyEntry {
                text: "the other panels' medians",
                style: RGBColor(190, 190, 190).stroke_width(1),
                filled: false,
            });
        }
        if !self.observed.is_empty() {
            key.push(KeyEntry {
                text: "observed",
                style: BLACK.stroke_width(2),
                filled: false,
            });
        }
        key
    }
}

impl ChartSpec for FanChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn size(&self) -> (u32, u32) {
        if self.fans.len() <= 1 {
            return style::SIZE;
        }
        let rows = self
            .fans
            .len()
            .div_ceil(style::panel_columns(self.fans.len())) as u32;
        (
            style::SIZE.0,
            style::TITLE_BAND + rows * PANEL_HEIGHT + KEY_HEIGHT,
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let (_, h) = area.dim_in_pixel();
        let (upper, lower) = area.split_vertically(h.saturating_sub(KEY_HEIGHT));
        match self.fans.len() {
            0 => {
                style::titled(&upper, &self.title)?;
            }
            1 => {
                let body = style::titled(&upper, &self.title)?;
                let body = style::panel_heading(&body, &self.fans[0].label, style::NOTE)?;
                self.draw_fan(&body, "", 0)?;
            }
            n => {
                let body = style::titled(&upper, &self.title)?;
                for (k, cell) in style::panels(&body, n).iter().take(n).enumerate() {
                    let cell = style::panel_heading(cell, &self.fans[k].label, style::NOTE)?;
                    self.draw_fan(&cell, "", k)?;
                }
            }
        }
        style::key_row(&lower, &self.key(), 30, KEY_HEIGHT as i32 / 2)?;
        Ok(())
    }
}
