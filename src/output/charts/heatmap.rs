//! Heatmap: the mean of an outcome over a grid of two varied parameters, one cell per
//! pair of values, labelled with its value, coloured on a scale drawn as a bar beside it.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::colorbar::{self, ColorScale};
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
    /// The colour scale (its title names the outcome and what a cell averages).
    pub scale: ColorScale,
}

/// A value as a cell shows it: whole numbers as such and from 10 on, two decimals below.
pub fn format_value(v: f64) -> String {
    if v.abs() >= 10.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

impl ChartSpec for HeatmapChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let body = style::titled(area, &self.title)?;
        let (w, h) = body.dim_in_pixel();
        let format = |v: f64| self.scale.tick_label(v);
        let bar_w = colorbar::color_bar_width(&self.scale, &format)
            .max(super::text::width(&self.scale.title, LABEL).ceil() as i32 - 20);
        let (grid_area, bar_area) = body.split_horizontally(w.saturating_sub(bar_w as u32 + 60));
        let (nx, ny) = (self.x.1.len(), self.y.1.len());
        let x_ticks = self.x.1.clone();
        let y_ticks = self.y.1.clone();
        let mut chart = ChartBuilder::on(&grid_area)
            .margin(style::MARGIN)
            .x_label_area_size(style::X_LABEL_AREA)
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
                let fill = cell.map_or(RGBColor(235, 235, 235), |v| self.scale.color(v));
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x, y), (x + 1.0, y + 1.0)],
                        fill.filled(),
                    )))
                    .map_err(draw_err)?;
                if let Some(v) = cell {
                    let color = if self.scale.dark(*v) { WHITE } else { BLACK };
                    chart
                        .draw_series(std::iter::once(Text::new(
                            format_value(*v),
                            (x + 0.5, y + 0.5),
                            (FAMILY, LABEL)
                                .into_font()
                                .color(&color)
                                .pos(Pos::new(HPos::Center, VPos::Center)),
                        )))
                        .map_err(draw_err)?;
                }
            }
        }
        let plot_y = chart.plotting_area().get_pixel_range().1;
        let base = bar_area.get_base_pixel();
        let top = plot_y.start - base.1 + 30;
        let height = (plot_y.end - plot_y.start - 30).max(40).min(h as i32);
        colorbar::draw_color_bar(&bar_area, &self.scale, (20, top), height, &format)?;
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
