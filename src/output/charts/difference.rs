//! Difference chart: how much one scenario's member count differs from another's over
//! time, run by run on the same seeds: the median difference with its 50% and 90% bands,
//! and the line of no difference.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, FAMILY, LABEL, PALETTE};
use super::{ChartSpec, draw_err};
use crate::time::Date;

/// The per-seed difference of a count over time, summarised by quantiles.
#[derive(Clone, Debug)]
pub struct DifferenceChart {
    /// Title.
    pub title: String,
    /// Axis description of the difference (e.g. "members, B minus A").
    pub y_desc: String,
    /// Tick dates.
    pub dates: Vec<Date>,
    /// 5, 25, 50, 75 and 95% quantiles of the difference at each tick.
    pub quantiles: Vec<[f64; 5]>,
}

impl DifferenceChart {
    /// The y range: both bands and zero, padded; at least -1 to 1.
    fn y_range(&self) -> std::ops::Range<f64> {
        let lo = self.quantiles.iter().map(|q| q[0]).fold(0.0f64, f64::min);
        let hi = self.quantiles.iter().map(|q| q[4]).fold(0.0f64, f64::max);
        let pad = ((hi - lo) * 0.1).max(1.0);
        lo - pad..hi + pad
    }
}

impl ChartSpec for DifferenceChart {
    fn name(&self) -> &str {
        "compare"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let (_, h) = area.dim_in_pixel();
        let (upper, lower) = area.split_vertically(h.saturating_sub(40));
        let x_range = style::year_range(&self.dates);
        let mut chart = style::date_chart(
            &upper,
            &self.title,
            x_range.clone(),
            self.y_range(),
            &self.y_desc,
            &|y| {
                let text = format!("{y:+.0}");
                if text == "-0" || text == "+0" {
                    "0".to_owned()
                } else {
                    text
                }
            },
        )?;

        let color = PALETTE[0];
        let x: Vec<f64> = self.dates.iter().map(|d| d.year_fraction()).collect();
        for (lo, hi, alpha) in [(0usize, 4usize, 0.15), (1, 3, 0.35)] {
            let mut outline: Vec<(f64, f64)> = x
                .iter()
                .zip(&self.quantiles)
                .map(|(&x, q)| (x, q[hi]))
                .collect();
            outline.extend(
                x.iter()
                    .zip(&self.quantiles)
                    .rev()
                    .map(|(&x, q)| (x, q[lo])),
            );
            chart
                .draw_series(std::iter::once(Polygon::new(
                    outline,
                    color.mix(alpha).filled(),
                )))
                .map_err(draw_err)?;
        }
        chart
            .draw_series(LineSeries::new(
                vec![(x_range.start, 0.0), (x_range.end, 0.0)],
                BLACK.stroke_width(1),
            ))
            .map_err(draw_err)?;
        let median: Vec<(f64, f64)> = x
            .iter()
            .zip(&self.quantiles)
            .map(|(&x, q)| (x, q[2]))
            .collect();
        chart
            .draw_series(LineSeries::new(median, color.stroke_width(3)))
            .map_err(draw_err)?;

        // The key sits under the plot, where it can never hide the bands.
        let text = (FAMILY, LABEL).into_font().color(&RGBColor(60, 60, 60));
        let mut x = 30;
        let key: [(&str, ShapeStyle, bool); 4] = [
            ("median difference", color.stroke_width(3), false),
            ("50% of seeds", color.mix(0.35).filled(), true),
            ("90% of seeds", color.mix(0.15).filled(), true),
            ("no difference", BLACK.stroke_width(1), false),
        ];
        for (name, shape, filled) in key {
            if filled {
                lower
                    .draw(&Rectangle::new([(x, 6), (x + 28, 22)], shape))
                    .map_err(draw_err)?;
            } else {
                lower
                    .draw(&PathElement::new(vec![(x, 14), (x + 28, 14)], shape))
                    .map_err(draw_err)?;
            }
            lower
                .draw_text(name, &text, (x + 36, 6))
                .map_err(draw_err)?;
            x += 210;
        }
        Ok(())
    }
}
