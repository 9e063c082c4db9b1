//! PRIM trade-off chart: each box of the peeling trajectory as a point, coverage (the
//! share of all cases of interest inside) against density (the share of the cases inside
//! that are of interest), coloured by how many factors the box restricts; the chosen box
//! is ringed.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, FAMILY, LABEL, PALETTE};
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
    /// The colour of a box restricting `n` factors (the palette, greys beyond it).
    pub fn colour(n: usize) -> RGBColor {
        PALETTE[n.min(PALETTE.len() - 1)]
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
        let (y0, y1) = self.y_range();
        let mut chart = ChartBuilder::on(area)
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
        let most = self.steps.iter().map(|s| s.2).max().unwrap_or(0);
        for n in 0..=most {
            let points: Vec<(f64, f64)> = self
                .steps
                .iter()
                .filter(|s| s.2 == n)
                .map(|s| (s.0, s.1))
                .collect();
            if points.is_empty() {
                continue;
            }
            let colour = Self::colour(n);
            let label = match n {
                0 => "no factor restricted".to_owned(),
                1 => "1 factor restricted".to_owned(),
                n => format!("{n} factors restricted"),
            };
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 5, colour.filled())),
                )
                .map_err(draw_err)?
                .label(label)
                .legend(move |(x, y)| Circle::new((x + 8, y), 5, colour.filled()));
        }
        if let Some(&(c, d, _)) = self.steps.get(self.chosen) {
            chart
                .draw_series([Circle::new((c, d), 11, BLACK.stroke_width(2))])
                .map_err(draw_err)?;
            let (px, py) = chart.backend_coord(&(c, d));
            let anchor = if c > 0.6 { HPos::Right } else { HPos::Left };
            let dx = if c > 0.6 { -16 } else { 16 };
            area.draw_text(
                &format!(
                    "chosen box (step {}): coverage {c:.2}, density {d:.2}",
                    self.chosen
                ),
                &TextStyle::from((FAMILY, LABEL).into_font()).pos(Pos::new(anchor, VPos::Bottom)),
                (px + dx, py - 10),
            )
            .map_err(draw_err)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(180, 180, 180))
            .label_font((FAMILY, LABEL))
            .draw()
            .map_err(draw_err)
    }
}
