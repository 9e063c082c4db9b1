//! Heatmap: the mean of an outcome over two varied parameters, one cell per pair of
//! values, labelled with its value.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, FAMILY, LABEL};
use super::{ChartSpec, draw_err};

/// An outcome over a grid of two parameters.
pub struct HeatmapChart {
    /// File stem.
    pub name: String,
    /// Title.
    pub title: String,
    /// The x parameter's path and its values (as written in the files), in order.
    pub x: (String, Vec<String>),
    /// The y parameter's path and its values, in order.
    pub y: (String, Vec<String>),
    /// `cells[j][i]`: the mean at y value `j` and x value `i`, if any run had them.
    pub cells: Vec<Vec<Option<f64>>>,
}

/// A colour from light yellow (low) to dark blue (high); colour-blind safe.
fn shade(t: f64) -> RGBColor {
    let stops = [
        (255.0, 255.0, 204.0),
        (161.0, 218.0, 180.0),
        (65.0, 182.0, 196.0),
        (44.0, 127.0, 184.0),
        (37.0, 52.0, 148.0),
    ];
    let t = t.clamp(0.0, 1.0) * (stops.len() - 1) as f64;
    let (k, f) = (t.floor() as usize, t - t.floor());
    let (a, b) = (stops[k], stops[(k + 1).min(stops.len() - 1)]);
    let mix = |x: f64, y: f64| (x + (y - x) * f) as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

impl ChartSpec for HeatmapChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let (nx, ny) = (self.x.1.len(), self.y.1.len());
        let values: Vec<f64> = self.cells.iter().flatten().flatten().copied().collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let span = if hi > lo { hi - lo } else { 1.0 };
        let x_ticks = self.x.1.clone();
        let y_ticks = self.y.1.clone();
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FAMILY, style::TITLE))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(self.x.0.as_str())
            .y_desc(self.y.0.as_str())
            .x_labels(nx.max(1) * 2 + 1)
            .y_labels(ny.max(1) * 2 + 1)
            .x_label_formatter(&|v| label_at(&x_ticks, *v))
            .y_label_formatter(&|v| label_at(&y_ticks, *v))
            .label_style((FAMILY, LABEL))
            .axis_desc_style((FAMILY, style::AXIS))
            .draw()
            .map_err(draw_err)?;
        for (j, row) in self.cells.iter().enumerate() {
            for (i, cell) in row.iter().enumerate() {
                let (x, y) = (i as f64, j as f64);
                let fill = cell.map_or(RGBColor(235, 235, 235), |v| shade((v - lo) / span));
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x, y), (x + 1.0, y + 1.0)],
                        fill.filled(),
                    )))
                    .map_err(draw_err)?;
                if let Some(v) = cell {
                    let dark = (v - lo) / span > 0.55;
                    let text_color = if dark { WHITE } else { BLACK };
                    let text = if v.abs() >= 10.0 {
                        format!("{v:.0}")
                    } else {
                        format!("{v:.2}")
                    };
                    chart
                        .draw_series(std::iter::once(Text::new(
                            text,
                            (x + 0.42, y + 0.55),
                            (FAMILY, LABEL).into_font().color(&text_color),
                        )))
                        .map_err(draw_err)?;
                }
            }
        }
        Ok(())
    }
}

/// The tick label at axis position `v`: a value's name at the middle of its cell.
fn label_at(names: &[String], v: f64) -> String {
    let k = v - 0.5;
    if k >= 0.0 && (k - k.round()).abs() < 1e-6 {
        names.get(k.round() as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}
