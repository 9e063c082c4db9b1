//! Membership by region: one line per region.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, FAMILY, LABEL, PALETTE};
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
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FAMILY, style::TITLE))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(style::year_range(&self.dates), 0f64..f64::from(top) * 1.15)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("date")
            .y_desc("members")
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&|x| style::date_label(*x))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FAMILY, LABEL))
            .axis_desc_style((FAMILY, style::AXIS))
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(225, 225, 225))
            .draw()
            .map_err(draw_err)?;
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
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .label_font((FAMILY, LABEL))
            .draw()
            .map_err(draw_err)?;
        Ok(())
    }
}
