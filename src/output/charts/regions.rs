//! Members by region as small multiples: one panel per region on a shared y axis, the
//! region's line in colour over the other regions' lines in grey, so regions with equal
//! counts never hide each other.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, Frame, PALETTE};
use super::{ChartSpec, draw_err};
use crate::time::Date;

/// Most panels; further regions are summed into one panel.
const MAX_PANELS: usize = 12;
/// The height of one row of panels.
const PANEL_HEIGHT: u32 = 300;

/// Members per region over time.
pub struct RegionsChart {
    /// Chart title.
    pub title: String,
    /// Tick dates.
    pub dates: Vec<Date>,
    /// (region, members at each tick).
    pub regions: Vec<(String, Vec<u32>)>,
}

impl RegionsChart {
    /// The panels drawn: every region, or with more than [`MAX_PANELS`] the regions with
    /// most members at the end and one panel summing the others.
    pub fn panels(&self) -> Vec<(String, Vec<u32>)> {
        if self.regions.len() <= MAX_PANELS {
            return self.regions.clone();
        }
        let mut order: Vec<usize> = (0..self.regions.len()).collect();
        let last = |k: usize| self.regions[k].1.last().copied().unwrap_or(0);
        order.sort_by(|&a, &b| last(b).cmp(&last(a)).then(a.cmp(&b)));
        let (kept, rest) = order.split_at(MAX_PANELS - 1);
        let mut kept = kept.to_vec();
        kept.sort_unstable();
        let mut out: Vec<(String, Vec<u32>)> =
            kept.iter().map(|&k| self.regions[k].clone()).collect();
        let mut other = vec![0u32; self.dates.len()];
        for &k in rest {
            for (o, v) in other.iter_mut().zip(&self.regions[k].1) {
                *o += v;
            }
        }
        out.push((format!("{} other regions", rest.len()), other));
        out
    }
}

impl ChartSpec for RegionsChart {
    fn name(&self) -> &str {
        "membership_by_region"
    }

    fn size(&self) -> (u32, u32) {
        let n = self.panels().len().max(1);
        let rows = n.div_ceil(style::panel_columns(n)) as u32;
        (style::SIZE.0, style::TITLE_BAND + rows * PANEL_HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let body = style::titled(area, &self.title)?;
        let panels = self.panels();
        let top = panels
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .max()
            .unwrap_or(1)
            .max(5);
        let y = style::from_zero(f64::from(top) * 1.08);
        let line = |values: &[u32]| -> Vec<(f64, f64)> {
            self.dates
                .iter()
                .zip(values)
                .map(|(d, v)| (style::x_of(*d), f64::from(*v)))
                .collect()
        };
        for (k, (cell, (name, values))) in style::panels(&body, panels.len())
            .iter()
            .zip(&panels)
            .enumerate()
        {
            let color = PALETTE[0];
            let heading = format!("{name}: {} at the end", values.last().copied().unwrap_or(0));
            let cell = style::panel_heading(cell, &heading, color)?;
            let mut chart = style::date_chart(
                &cell,
                &Frame {
                    title: "",
                    dates: &self.dates,
                    y: y.clone(),
                    y_desc: "members",
                    y_label: &style::whole,
                    top: 0,
                },
            )?;
            for (j, (_, other)) in panels.iter().enumerate() {
                if j != k {
                    chart
                        .draw_series(LineSeries::new(
                            line(other),
                            RGBColor(200, 200, 200).stroke_width(1),
                        ))
                        .map_err(draw_err)?;
                }
            }
            chart
                .draw_series(LineSeries::new(line(values), color.stroke_width(3)))
                .map_err(draw_err)?;
        }
        Ok(())
    }
}
