//! Membership by region: one line per region.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, PALETTE};
use super::{ChartSpec, draw_err};
use crate::time::Date;

/// Members per region over time.
pub struct RegionsChart {
    /// Chart title.
    pub title: String,
    /// Tick dates.
    pub dates: Vec<Date>,
    /// (region, members at each tick).
    pub regions: Vec<(String, Vec<u32>)>,
}

impl ChartSpec for RegionsChart {
    fn name(&self) -> &str {
        "membership_by_region"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let top = self
            .regions
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .max()
            .unwrap_or(1)
            .max(5);
        let mut chart = style::date_chart(
            area,
            &self.title,
            style::year_range(&self.dates),
            0f64..f64::from(top) * 1.15,
            "members",
            &style::whole,
        )?;
        for (k, (name, values)) in self.regions.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let points: Vec<(f64, f64)> = self
                .dates
                .iter()
                .zip(values.iter())
                .map(|(d, v)| (d.year_fraction(), f64::from(*v)))
                .collect();
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(3)))
                .map_err(draw_err)?
                .label(name.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                });
        }
        style::legend(&mut chart)
    }
}
