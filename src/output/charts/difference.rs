//! Difference chart: how much one scenario's member count differs from another's over
//! time, run by run on the same seeds: the median difference with its 50% and 90% bands
//! over seeds, the line of no difference, and the first date the paths part.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, FAMILY, Frame, KeyEntry, LABEL, MARKER, PALETTE};
use super::{ChartSpec, draw_err};
use crate::time::Date;

/// The height of the key under the plot.
const KEY_HEIGHT: u32 = 40;

/// The per-seed difference of a count over time, summarised by quantiles.
#[derive(Clone, Debug)]
pub struct DifferenceChart {
    /// Title.
    pub title: String,
    /// Axis description of the difference (e.g. "members, B minus A").
    pub y_desc: String,
    /// Tick dates.
    pub dates: Vec<Date>,
    /// 5, 25, 50, 75 and 95% quantiles of the difference at each tick.
    pub quantiles: Vec<[f64; 5]>,
    /// The first date at which the paths differ in some seed, and the share of seeds
    /// in which they differ then; none if they never do.
    pub parts: Option<(Date, f64)>,
}

impl DifferenceChart {
    /// The y range: both bands and zero, padded by a tenth (at least 1) each way.
    pub fn y_range(&self) -> std::ops::Range<f64> {
        let lo = self.quantiles.iter().map(|q| q[0]).fold(0.0f64, f64::min);
        let hi = self.quantiles.iter().map(|q| q[4]).fold(0.0f64, f64::max);
        let pad = ((hi - lo) * 0.1).max(1.0);
        lo - pad..hi + pad
    }
}

/// A signed whole-number label, "0" without a sign.
fn signed(y: &f64) -> String {
    let text = format!("{y:+.0}");
    if text == "-0" || text == "+0" {
        "0".to_owned()
    } else {
        text
    }
}

impl ChartSpec for DifferenceChart {
    fn name(&self) -> &str {
        "compare"
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let (_, h) = area.dim_in_pixel();
        let (upper, lower) = area.split_vertically(h.saturating_sub(KEY_HEIGHT));
        let y = self.y_range();
        let mut chart = style::date_chart(
            &upper,
            &Frame {
                title: &self.title,
                dates: &self.dates,
                y: y.clone(),
                y_desc: &self.y_desc,
                y_label: &signed,
                top: 22,
            },
        )?;

        let color = PALETTE[0];
        let x: Vec<f64> = self.dates.iter().map(|d| style::x_of(*d)).collect();
        for (lo, hi, alpha) in [(0usize, 4usize, 0.15), (1, 3, 0.35)] {
            let mut outline: Vec<(f64, f64)> = x
                .iter()
                .zip(&self.quantiles)
                .map(|(&x, q)| (x, q[hi]))
                .collect();
            outline.extend(
                x.iter()
                    .zip(&self.quantiles)
                    .rev()
                    .map(|(&x, q)| (x, q[lo])),
            );
            chart
                .draw_series(std::iter::once(Polygon::new(
                    outline,
                    color.mix(alpha).filled(),
                )))
                .map_err(draw_err)?;
        }
        let (first, last) = (
            x.first().copied().unwrap_or(0.0),
            x.last().copied().unwrap_or(1.0),
        );
        chart
            .draw_series(LineSeries::new(
                vec![(first, 0.0), (last, 0.0)],
                BLACK.stroke_width(1),
            ))
            .map_err(draw_err)?;
        if let Some((date, share)) = self.parts {
            let px = style::x_of(date);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(px, y.start), (px, y.end)],
                    6,
                    4,
                    MARKER.stroke_width(1),
                ))
                .map_err(draw_err)?;
            let (bx, by) = chart.backend_coord(&(px, y.end));
            let base = area.get_base_pixel();
            let right = f64::from(bx) > f64::from(area.dim_in_pixel().0) * 0.7;
            let (anchor, shift) = if right {
                (HPos::Right, -4)
            } else {
                (HPos::Left, 4)
            };
            let note = format!(
                "paths first differ: {date} ({:.0}% of seeds)",
                100.0 * share
            );
            area.draw_text(
                &note,
                &(FAMILY, LABEL)
                    .into_font()
                    .color(&style::NOTE)
                    .pos(Pos::new(anchor, VPos::Bottom)),
                (bx - base.0 + shift, by - base.1 - 4),
            )
            .map_err(draw_err)?;
        }
        let median: Vec<(f64, f64)> = x
            .iter()
            .zip(&self.quantiles)
            .map(|(&x, q)| (x, q[2]))
            .collect();
        chart
            .draw_series(LineSeries::new(median, color.stroke_width(3)))
            .map_err(draw_err)?;

        // The key sits under the plot, where it can never hide the bands.
        style::key_row(
            &lower,
            &[
                KeyEntry {
                    text: "median difference",
                    style: color.stroke_width(3),
                    filled: false,
                },
                KeyEntry {
                    text: "50% of seeds",
                    style: color.mix(0.35).filled(),
                    filled: true,
                },
                KeyEntry {
                    text: "90% of seeds",
                    style: color.mix(0.15).filled(),
                    filled: true,
                },
                KeyEntry {
                    text: "no difference",
                    style: BLACK.stroke_width(1),
                    filled: false,
                },
            ],
            30,
            KEY_HEIGHT as i32 / 2,
        )?;
        Ok(())
    }
}
