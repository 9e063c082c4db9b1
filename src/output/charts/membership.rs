//! The membership chart: members and partners over time, with the scenario's dated events
//! marked and listed underneath.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, FAMILY, LABEL, MARKER, PALETTE};
use super::{ChartSpec, draw_err};
use crate::time::Date;

/// Most events listed under the chart; the rest are counted.
const MAX_MARKERS: usize = 14;

/// Members and partners over time.
pub struct MembershipChart {
    /// Chart title.
    pub title: String,
    /// Tick dates.
    pub dates: Vec<Date>,
    /// Members at each tick.
    pub members: Vec<u32>,
    /// Partners at each tick.
    pub partners: Vec<u32>,
    /// Dated events to mark (date, label); duplicates are merged.
    pub markers: Vec<(Date, String)>,
    /// Number of states in the world (for the y range).
    pub states: u32,
}

impl MembershipChart {
    fn unique_markers(&self) -> Vec<(Date, String)> {
        let mut out: Vec<(Date, String)> = Vec::new();
        for (date, label) in &self.markers {
            if !out.iter().any(|(d, l)| d == date && l == label) {
                out.push((*date, label.clone()));
            }
        }
        out.sort_by_key(|m| m.0);
        out
    }
}

impl ChartSpec for MembershipChart {
    fn name(&self) -> &str {
        "membership"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let markers = self.unique_markers();
        let shown = markers.len().min(MAX_MARKERS);
        // One row for the series key, then the events in two columns.
        let legend_rows = 1 + shown.div_ceil(2) + usize::from(markers.len() > shown);
        let legend_h = (legend_rows as u32) * 22 + 12;
        let (w, h) = area.dim_in_pixel();
        let (upper, lower) = area.split_vertically(h.saturating_sub(legend_h));

        let top = self
            .members
            .iter()
            .zip(&self.partners)
            .map(|(m, p)| m + p)
            .max()
            .unwrap_or(1)
            .max(10);
        let ymax = (f64::from(top) * 1.12).min(f64::from(self.states.max(top)) * 1.02);
        let mut chart = style::date_chart(
            &upper,
            &self.title,
            style::year_range(&self.dates),
            0f64..ymax,
            "states",
            &style::whole,
        )?;

        // Event numbers stack upwards where events are too close to read side by side.
        let range = style::year_range(&self.dates);
        let min_gap = (range.end - range.start) * 22.0 / f64::from(w.max(1));
        let mut placed: Vec<(f64, usize)> = Vec::new();
        for (k, (date, _)) in markers.iter().take(shown).enumerate() {
            let x = date.year_fraction();
            let mut level = 0;
            while placed
                .iter()
                .any(|&(px, l)| l == level && (x - px).abs() < min_gap)
            {
                level += 1;
            }
            placed.push((x, level));
            let top = ymax * (0.97 - 0.05 * level as f64);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, 0.0), (x, top - ymax * 0.02)],
                    MARKER.stroke_width(1),
                )))
                .map_err(draw_err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{}", k + 1),
                    (x, top),
                    (FAMILY, LABEL).into_font().color(&RGBColor(90, 90, 90)),
                )))
                .map_err(draw_err)?;
        }

        let series = [
            ("members", &self.members, PALETTE[0]),
            ("partners", &self.partners, PALETTE[1]),
        ];
        for (_, values, color) in series {
            let points: Vec<(f64, f64)> = self
                .dates
                .iter()
                .zip(values.iter())
                .map(|(d, v)| (d.year_fraction(), f64::from(*v)))
                .collect();
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(3)))
                .map_err(draw_err)?;
        }

        // The key sits under the plot, where it can never hide a line.
        let text = (FAMILY, LABEL).into_font().color(&RGBColor(60, 60, 60));
        let mut x = 30;
        for (name, _, color) in series {
            lower
                .draw(&PathElement::new(
                    vec![(x, 14), (x + 28, 14)],
                    color.stroke_width(3),
                ))
                .map_err(draw_err)?;
            lower
                .draw_text(name, &text, (x + 36, 6))
                .map_err(draw_err)?;
            x += 150;
        }
        if shown > 0 {
            lower
                .draw_text(
                    "numbered lines: the scenario's dated events",
                    &text,
                    (x + 20, 6),
                )
                .map_err(draw_err)?;
        }
        let col_w = (w as i32 - 40) / 2;
        for (k, (date, label)) in markers.iter().take(shown).enumerate() {
            let (row, col) = (k / 2 + 1, k % 2);
            let x = 30 + col as i32 * col_w;
            let y = 6 + row as i32 * 22;
            let mut line = format!("{}  {date}  {label}", k + 1);
            let max_chars = (col_w / 8).max(10) as usize;
            if line.chars().count() > max_chars {
                line = line.chars().take(max_chars - 1).collect::<String>() + "…";
            }
            lower.draw_text(&line, &text, (x, y)).map_err(draw_err)?;
        }
        if markers.len() > shown {
            let y = 6 + (shown.div_ceil(2) + 1) as i32 * 22;
            lower
                .draw_text(
                    &format!(
                        "… and {} more events (see events.csv)",
                        markers.len() - shown
                    ),
                    &text,
                    (30, y),
                )
                .map_err(draw_err)?;
        }
        Ok(())
    }
}
