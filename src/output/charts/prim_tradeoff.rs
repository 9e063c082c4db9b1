//! PRIM trade-off chart: each box of the peeling trajectory as a point, coverage (the
//! share of all cases of interest inside) against density (the share of the cases inside
//! that are of interest), coloured by how many factors the box restricts (a sequential
//! scale, with its bar on the right); the chosen box is ringed.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::heatmap::shade;
use super::style::{self, FAMILY, LABEL};
use super::{ChartSpec, draw_err};

/// A peeling trajectory for the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct TradeoffChart {
    /// Title.
    pub title: String,
    /// Per step: coverage, density, number of restricted factors.
    pub steps: Vec<(f64, f64, usize)>,
    /// The chosen step.
    pub chosen: usize,
}

impl TradeoffChart {
    /// The most factors any box restricts (at least 1, so the scale has a span).
    pub fn most(&self) -> usize {
        self.steps.iter().map(|s| s.2).max().unwrap_or(0).max(1)
    }

    /// The colour of a box restricting `n` of at most `most` factors: light (none) to
    /// dark blue (`most`), never so light that a point vanishes on white.
    pub fn colour(n: usize, most: usize) -> RGBColor {
        shade(0.2 + 0.8 * n.min(most) as f64 / most.max(1) as f64)
    }

    /// The y range: from just below the lowest density (the first box's, the share of all
    /// cases of interest) to 1.
    pub fn y_range(&self) -> (f64, f64) {
        let lo = self.steps.iter().map(|s| s.1).fold(1.0f64, f64::min);
        ((lo - 0.05).max(0.0), 1.02)
    }
}

impl ChartSpec for TradeoffChart {
    fn name(&self) -> &str {
        "tradeoff"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let (main, side) = area.split_horizontally(area.dim_in_pixel().0 - 120);
        let (y0, y1) = self.y_range();
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, (FAMILY, style::TITLE))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(-0.02f64..1.02f64, y0..y1)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("coverage: share of all cases of interest inside the box (peeling runs right to left)")
            .y_desc("density: share of the box's cases that are of interest")
            .label_style((FAMILY, LABEL))
            .axis_desc_style((FAMILY, style::AXIS))
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(225, 225, 225))
            .draw()
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                self.steps.iter().map(|s| (s.0, s.1)).collect::<Vec<_>>(),
                RGBColor(170, 170, 170).stroke_width(1),
            )))
            .map_err(draw_err)?;
        let most = self.most();
        chart
            .draw_series(self.steps.iter().map(|&(c, d, n)| {
                EmptyElement::at((c, d))
                    + Circle::new((0, 0), 5, Self::colour(n, most).filled())
                    + Circle::new((0, 0), 5, RGBColor(90, 90, 90).stroke_width(1))
            }))
            .map_err(draw_err)?;
        if let Some(&(c, d, _)) = self.steps.get(self.chosen) {
            chart
                .draw_series([Circle::new((c, d), 11, BLACK.stroke_width(2))])
                .map_err(draw_err)?;
            let (px, py) = chart.backend_coord(&(c, d));
            let anchor = if c > 0.6 { HPos::Right } else { HPos::Left };
            let dx = if c > 0.6 { -16 } else { 16 };
            main.draw_text(
                &format!(
                    "chosen box (step {}): coverage {c:.2}, density {d:.2}",
                    self.chosen
                ),
                &TextStyle::from((FAMILY, LABEL).into_font()).pos(Pos::new(anchor, VPos::Bottom)),
                (px + dx, py - 10),
            )
            .map_err(draw_err)?;
        }
        let (_, top) = chart.backend_coord(&(0.0, y1));
        let (_, bottom) = chart.backend_coord(&(0.0, y0));
        colour_bar(&side, most, top + 30, bottom)
    }
}

/// The colour scale's bar: one swatch per number of restricted factors, 0 at the bottom,
/// labelled at a few whole numbers, between pixel rows `top` and `bottom`.
fn colour_bar<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    most: usize,
    top: i32,
    bottom: i32,
) -> Result<(), String> {
    let text = |h: HPos, v: VPos| TextStyle::from((FAMILY, LABEL).into_font()).pos(Pos::new(h, v));
    side.draw_text("factors", &text(HPos::Left, VPos::Bottom), (8, top - 22))
        .map_err(draw_err)?;
    side.draw_text("restricted", &text(HPos::Left, VPos::Bottom), (8, top - 4))
        .map_err(draw_err)?;
    let step = f64::from(bottom - top) / (most + 1) as f64;
    let every = most.div_ceil(8).max(1);
    for n in 0..=most {
        let y1 = bottom - (n as f64 * step) as i32;
        let y0 = bottom - ((n + 1) as f64 * step) as i32;
        side.draw(&Rectangle::new(
            [(10, y0), (34, y1)],
            TradeoffChart::colour(n, most).filled(),
        ))
        .map_err(draw_err)?;
        if n % every == 0 || n == most {
            side.draw_text(
                &n.to_string(),
                &text(HPos::Left, VPos::Center),
                (42, (y0 + y1) / 2),
            )
            .map_err(draw_err)?;
        }
    }
    side.draw(&Rectangle::new(
        [(10, top), (34, bottom)],
        RGBColor(120, 120, 120).stroke_width(1),
    ))
    .map_err(draw_err)
}
