//! PRIM trade-off chart: each box of the peeling trajectory as a point, coverage (the
//! share of all cases of interest inside) against density (the share of the cases inside
//! that are of interest), coloured by how many factors the box restricts (a sequential
//! scale, with its bar on the right); the chosen box is ringed.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::colorbar::{self, ColorScale, YLGNBU};
use super::style::{self, FAMILY, LABEL};
use super::{ChartSpec, draw_err, text};

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

    /// The colour scale of restricted factors: from 0 to the most any box restricts, at
    /// least 5 so the bar's ticks are whole numbers.
    pub fn scale(&self) -> ColorScale {
        ColorScale::new(
            0.0,
            self.most().max(5) as f64,
            &YLGNBU,
            "factors restricted",
        )
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
        let body = style::titled(area, &self.title)?;
        let scale = self.scale();
        let format = |v: f64| scale.tick_label(v);
        let bar_w = colorbar::color_bar_width(&scale, &format)
            .max(text::width(&scale.title, LABEL).ceil() as i32 - 20);
        let (w, _) = body.dim_in_pixel();
        let (main, side) = body.split_horizontally(w.saturating_sub(bar_w as u32 + 60));
        let (y0, y1) = self.y_range();
        let mut chart = ChartBuilder::on(&main)
            .margin(style::MARGIN)
            .x_label_area_size(style::X_LABEL_AREA)
            .y_label_area_size(72)
            .build_cartesian_2d(-0.02f64..1.02f64, y0..y1)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("coverage: share of all cases of interest inside the box (peeling runs right to left)")
            .y_desc("density: share of the box's cases that are of interest")
            .x_label_formatter(&style::number)
            .y_label_formatter(&style::number)
            .label_style((FAMILY, LABEL))
            .axis_desc_style((FAMILY, style::AXIS))
            .light_line_style(WHITE)
            .bold_line_style(style::GRID)
            .draw()
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                self.steps.iter().map(|s| (s.0, s.1)).collect::<Vec<_>>(),
                RGBColor(170, 170, 170).stroke_width(1),
            )))
            .map_err(draw_err)?;
        chart
            .draw_series(self.steps.iter().map(|&(c, d, n)| {
                EmptyElement::at((c, d))
                    + Circle::new((0, 0), 5, scale.color(n as f64).filled())
                    + Circle::new((0, 0), 5, RGBColor(90, 90, 90).stroke_width(1))
            }))
            .map_err(draw_err)?;
        self.mark_chosen(&main, &chart)?;
        let plot_y = chart.plotting_area().get_pixel_range().1;
        let top = plot_y.start - side.get_base_pixel().1 + 30;
        let height = (plot_y.end - plot_y.start - 30).max(40);
        colorbar::draw_color_bar(&side, &scale, (20, top), height, &format)
    }
}

impl TradeoffChart {
    /// Rings the chosen box and says its coverage and density beside it.
    fn mark_chosen<DB: DrawingBackend>(
        &self,
        main: &DrawingArea<DB, Shift>,
        chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    ) -> Result<(), String> {
        let Some(&(c, d, _)) = self.steps.get(self.chosen) else {
            return Ok(());
        };
        chart
            .plotting_area()
            .draw(&Circle::new((c, d), 11, BLACK.stroke_width(2)))
            .map_err(draw_err)?;
        let (px, py) = chart.backend_coord(&(c, d));
        let base = main.get_base_pixel();
        let (anchor, dx) = if c > 0.6 {
            (HPos::Right, -16)
        } else {
            (HPos::Left, 16)
        };
        main.draw_text(
            &format!(
                "chosen box (step {}): coverage {c:.2}, density {d:.2}",
                self.chosen
            ),
            &TextStyle::from((FAMILY, LABEL).into_font()).pos(Pos::new(anchor, VPos::Bottom)),
            (px - base.0 + dx, py - base.1 - 10),
        )
        .map_err(draw_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_spans_the_restricted_counts_with_whole_ticks_and_its_bar_is_drawn() {
        for most in [1, 3, 7, 12, 22] {
            let chart = TradeoffChart {
                title: "t".into(),
                steps: vec![(1.0, 0.3, 0), (0.6, 0.8, most)],
                chosen: 1,
            };
            let scale = chart.scale();
            assert!(scale.hi >= most as f64, "{most}");
            assert!(
                scale.ticks().iter().all(|t| t.fract() == 0.0),
                "{most}: {:?}",
                scale.ticks()
            );
            assert!(scale.color(0.0) != scale.color(most as f64));
        }
        let chart = TradeoffChart {
            title: "t".into(),
            steps: vec![(1.0, 0.3, 0), (0.6, 0.8, 3)],
            chosen: 1,
        };
        let svg = String::from_utf8(super::super::render(&chart).unwrap().svg).unwrap();
        assert!(svg.contains("factors restricted"), "the bar has its title");
        assert!(svg.contains("chosen box (step 1)"));
    }
}
