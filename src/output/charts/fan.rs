//! Fan chart: members over time for several design points, each a median line with its
//! 50% and 90% bands across replicates.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, PALETTE};
use super::{ChartSpec, draw_err};
use crate::time::Date;

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

/// Several fans on one chart.
pub struct FanChart {
    /// File stem.
    pub name: String,
    /// Title.
    pub title: String,
    /// The fans, at most as many as the palette has colours.
    pub fans: Vec<Fan>,
    /// Observed values (date, members) drawn over the fans as a black step line with
    /// markers; empty for none.
    pub observed: Vec<(Date, f64)>,
}

impl ChartSpec for FanChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let first = self
            .fans
            .iter()
            .filter_map(|f| f.dates.first())
            .min()
            .copied();
        let last = self
            .fans
            .iter()
            .filter_map(|f| f.dates.last())
            .max()
            .copied();
        let range = match (first, last) {
            (Some(a), Some(b)) => style::year_range(&[a, b]),
            _ => 0.0..1.0,
        };
        let top = self
            .fans
            .iter()
            .flat_map(|f| f.quantiles.iter().map(|q| q[4]))
            .chain(self.observed.iter().map(|o| o.1))
            .fold(10.0f64, f64::max);
        let range_end = range.end;
        let mut chart = style::date_chart(
            area,
            &self.title,
            range,
            0f64..top * 1.1,
            "members (median, 50% and 90% of runs)",
            &style::whole,
        )?;
        for (k, fan) in self.fans.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let x: Vec<f64> = fan.dates.iter().map(|d| d.year_fraction()).collect();
            for (lo, hi, alpha) in [(0usize, 4usize, 0.12), (1, 3, 0.25)] {
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
            let median: Vec<(f64, f64)> = x
                .iter()
                .zip(&fan.quantiles)
                .map(|(&x, q)| (x, q[2]))
                .collect();
            chart
                .draw_series(LineSeries::new(median, color.stroke_width(3)))
                .map_err(draw_err)?
                .label(fan.label.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                });
        }
        if !self.observed.is_empty() {
            let mut steps: Vec<(f64, f64)> = Vec::with_capacity(2 * self.observed.len());
            for (k, &(date, value)) in self.observed.iter().enumerate() {
                let x = date.year_fraction();
                if k > 0 {
                    steps.push((x, self.observed[k - 1].1));
                }
                steps.push((x, value));
            }
            if let Some(&(_, last)) = self.observed.last() {
                steps.push((range_end, last));
            }
            chart
                .draw_series(LineSeries::new(steps, BLACK.stroke_width(2)))
                .map_err(draw_err)?
                .label("observed")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(2))
                });
            chart
                .draw_series(
                    self.observed
                        .iter()
                        .map(|&(d, v)| Circle::new((d.year_fraction(), v), 4, BLACK.filled())),
                )
                .map_err(draw_err)?;
        }
        style::legend(&mut chart)
    }
}
