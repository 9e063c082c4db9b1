//! Response chart: an outcome against one varied parameter. Each mark is one group of
//! replicates (a design point, or the runs at one value of the parameter and one value of
//! a second): its median as a dot and the middle 90% of its replicates as a bar, so a bar
//! spans replicates only, never another parameter. Groups of the same second-parameter
//! value are joined by a line, one line per value.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, FAMILY, KeyEntry, LABEL, PALETTE};
use super::{ChartSpec, draw_err};

/// One group of replicates: the parameter value and the outcome's 5%, 50% and 95%
/// quantiles over the group's runs.
pub type Group = (f64, [f64; 3]);

/// The groups that share a value of the second parameter (or all groups).
#[derive(Clone, Debug)]
pub struct Series {
    /// The key's text (e.g. `policy.retaliation = 0.2`); empty for a single series.
    pub label: String,
    /// Groups in increasing parameter order.
    pub groups: Vec<Group>,
}

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
    /// The series, each drawn in its colour.
    pub series: Vec<Series>,
    /// Whether groups of a series are joined by lines (false: scattered design points).
    pub joined: bool,
    /// What a bar spans and what differs between groups, written under the plot.
    pub note: String,
}

/// The height of the key and note under the plot.
const KEY_HEIGHT: u32 = 64;

impl ResponseChart {
    fn ranges(&self) -> (std::ops::Range<f64>, std::ops::Range<f64>) {
        let groups = || self.series.iter().flat_map(|s| s.groups.iter());
        let (x0, x1) = groups().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), g| {
            (a.min(g.0), b.max(g.0))
        });
        let (x0, x1) = if x0 <= x1 { (x0, x1) } else { (0.0, 1.0) };
        let pad = if x1 > x0 { (x1 - x0) * 0.05 } else { 0.5 };
        let lo = groups().map(|g| g.1[0]).fold(0.0f64, f64::min);
        let hi = groups().map(|g| g.1[2]).fold(f64::NEG_INFINITY, f64::max);
        let hi = if hi > lo { hi * 1.08 } else { lo + 1.0 };
        (x0 - pad..x1 + pad, lo - (hi - lo) * 0.012..hi)
    }
}

impl ChartSpec for ResponseChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let (_, h) = area.dim_in_pixel();
        let (upper, lower) = area.split_vertically(h.saturating_sub(KEY_HEIGHT));
        let body = style::titled(&upper, &self.title)?;
        let (x, y) = self.ranges();
        let dodge_unit = (x.end - x.start) * 0.006;
        let mut chart = ChartBuilder::on(&body)
            .margin(style::MARGIN)
            .x_label_area_size(style::X_LABEL_AREA)
            .y_label_area_size(72)
            .build_cartesian_2d(x, y)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc(self.x_label.as_str())
            .y_desc(format!("{} (median, 90% of replicates)", self.y_label))
            .x_label_formatter(&style::number)
            .y_label_formatter(&style::number)
            .label_style((FAMILY, LABEL))
            .axis_desc_style((FAMILY, style::AXIS))
            .light_line_style(WHITE)
            .bold_line_style(style::GRID)
            .draw()
            .map_err(draw_err)?;
        let n = self.series.len();
        for (k, series) in self.series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            // Series side by side at each x, so bars of equal x never cover each other.
            let dodge = (k as f64 - (n as f64 - 1.0) / 2.0) * dodge_unit;
            let at = |g: &Group| g.0 + dodge;
            chart
                .draw_series(series.groups.iter().map(|g| {
                    PathElement::new(
                        vec![(at(g), g.1[0]), (at(g), g.1[2])],
                        color.stroke_width(2),
                    )
                }))
                .map_err(draw_err)?;
            if self.joined {
                chart
                    .draw_series(LineSeries::new(
                        series.groups.iter().map(|g| (at(g), g.1[1])),
                        color.stroke_width(2),
                    ))
                    .map_err(draw_err)?;
            }
            chart
                .draw_series(
                    series
                        .groups
                        .iter()
                        .map(|g| Circle::new((at(g), g.1[1]), 4, color.filled())),
                )
                .map_err(draw_err)?;
        }
        let key: Vec<KeyEntry<'_>> = self
            .series
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.label.is_empty())
            .map(|(k, s)| KeyEntry {
                text: &s.label,
                style: PALETTE[k % PALETTE.len()].stroke_width(3),
                filled: false,
            })
            .collect();
        style::key_row(&lower, &key, 30, 14)?;
        let font = (FAMILY, LABEL)
            .into_font()
            .color(&style::NOTE)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let (w, _) = lower.dim_in_pixel();
        let note = super::text::fit(&self.note, LABEL, f64::from(w.saturating_sub(60)));
        lower
            .draw_text(&note, &font, (30, if key.is_empty() { 14 } else { 42 }))
            .map_err(draw_err)?;
        Ok(())
    }
}
