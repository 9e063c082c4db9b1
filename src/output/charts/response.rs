//! Response chart: an outcome against one varied parameter, the median over runs with its
//! 90% band (runs are grouped by the parameter's value, or into equal-width bins when it
//! takes many values).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, FAMILY, LABEL, PALETTE};
use super::{ChartSpec, draw_err};

/// One group of runs: the parameter value and the outcome's 5%, 50% and 95% quantiles.
pub type Group = (f64, [f64; 3]);

/// Outcome against a parameter.
pub struct ResponseChart {
    /// File stem.
    pub name: String,
    /// Title.
    pub title: String,
    /// The parameter's path.
    pub x_label: String,
    /// The outcome's name.
    pub y_label: String,
    /// Groups in increasing parameter order.
    pub groups: Vec<Group>,
}

impl ChartSpec for ResponseChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let xs: Vec<f64> = self.groups.iter().map(|g| g.0).collect();
        let (x0, x1) = (
            xs.iter().copied().fold(f64::INFINITY, f64::min),
            xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
        let pad = if x1 > x0 { (x1 - x0) * 0.04 } else { 0.5 };
        let y0 = self
            .groups
            .iter()
            .map(|g| g.1[0])
            .fold(f64::INFINITY, f64::min)
            .min(0.0);
        let y1 = self
            .groups
            .iter()
            .map(|g| g.1[2])
            .fold(f64::NEG_INFINITY, f64::max);
        let y1 = if y1 > y0 { y1 * 1.1 } else { y0 + 1.0 };
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FAMILY, style::TITLE))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(x0 - pad..x1 + pad, y0..y1)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc(self.x_label.as_str())
            .y_desc(format!("{} (median and 90% of runs)", self.y_label))
            .label_style((FAMILY, LABEL))
            .axis_desc_style((FAMILY, style::AXIS))
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(225, 225, 225))
            .draw()
            .map_err(draw_err)?;
        let color = PALETTE[0];
        let mut band: Vec<(f64, f64)> = self.groups.iter().map(|g| (g.0, g.1[2])).collect();
        band.extend(self.groups.iter().rev().map(|g| (g.0, g.1[0])));
        chart
            .draw_series(std::iter::once(Polygon::new(band, color.mix(0.2).filled())))
            .map_err(draw_err)?;
        chart
            .draw_series(LineSeries::new(
                self.groups.iter().map(|g| (g.0, g.1[1])),
                color.stroke_width(3),
            ))
            .map_err(draw_err)?;
        chart
            .draw_series(
                self.groups
                    .iter()
                    .map(|g| Circle::new((g.0, g.1[1]), 4, color.filled())),
            )
            .map_err(draw_err)?;
        Ok(())
    }
}
