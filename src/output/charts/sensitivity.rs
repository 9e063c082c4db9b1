//! Sensitivity bar chart: one row per factor, sorted (largest first, at the top), with one
//! or two bars per row (S1 and ST, mu* and sigma, or a PRCC), each bar with its interval
//! as a whisker. The factors' names label the rows.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, FAMILY, LABEL, PALETTE};
use super::{ChartSpec, draw_err, text};

/// One series of bars: a label for the key, and per factor (in the chart's order) the
/// value and its interval (`[value, low, high]`; `low == high == value` for none).
#[derive(Clone, Debug, PartialEq)]
pub struct Bars {
    /// Key label, e.g. "ST (total), 95% bootstrap interval".
    pub label: String,
    /// `[value, low, high]` per factor.
    pub values: Vec<[f64; 3]>,
}

/// A horizontal bar chart of indices per factor.
#[derive(Clone, Debug, PartialEq)]
pub struct SensitivityChart {
    /// File stem.
    pub name: String,
    /// Title.
    pub title: String,
    /// What the x axis measures.
    pub x_desc: String,
    /// Factor names, top row first.
    pub factors: Vec<String>,
    /// One or two series.
    pub bars: Vec<Bars>,
}

/// Pixel height of one factor's row.
const ROW: u32 = 30;

impl SensitivityChart {
    /// The x range: zero and every interval, padded by 8% (at least 0 to 0.1).
    pub fn x_range(&self) -> (f64, f64) {
        let all = self.bars.iter().flat_map(|b| b.values.iter());
        let lo = all.clone().map(|v| v[1].min(v[0])).fold(0.0f64, f64::min);
        let hi = all.map(|v| v[2].max(v[0])).fold(0.1f64, f64::max);
        let pad = (hi - lo) * 0.08;
        (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
    }

    /// The vertical extent `(bottom, top)` of bar `series` of the factor in row `row` (row
    /// 0 at the top), in chart units where row `r` spans `[n - 1 - r, n - r]`.
    pub fn bar_span(&self, row: usize, series: usize) -> (f64, f64) {
        let n = self.factors.len() as f64;
        let m = self.bars.len().max(1) as f64;
        let height = 0.78 / m;
        let top = n - row as f64 - 0.11 - series as f64 * height;
        (top - height, top)
    }
}

impl ChartSpec for SensitivityChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn size(&self) -> (u32, u32) {
        (1200, (170 + ROW * self.factors.len() as u32).max(420))
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let label_width = label_width(&self.factors);
        let (x0, x1) = self.x_range();
        let n = self.factors.len() as f64;
        let body = style::titled(area, &self.title)?;
        let mut chart = ChartBuilder::on(&body)
            .margin(style::MARGIN)
            .x_label_area_size(style::X_LABEL_AREA)
            .y_label_area_size(label_width)
            .build_cartesian_2d(x0..x1, 0f64..n.max(1.0))
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(self.x_desc.as_str())
            .x_labels(10)
            .x_label_formatter(&style::number)
            .label_style((FAMILY, LABEL))
            .axis_desc_style((FAMILY, style::AXIS))
            .light_line_style(WHITE)
            .bold_line_style(style::GRID)
            .draw()
            .map_err(draw_err)?;
        for (s, bars) in self.bars.iter().enumerate() {
            let color = PALETTE[s % PALETTE.len()];
            let rects = bars.values.iter().enumerate().map(|(row, v)| {
                let (b, t) = self.bar_span(row, s);
                Rectangle::new([(0.0, b), (v[0], t)], color.mix(0.85).filled())
            });
            chart
                .draw_series(rects)
                .map_err(draw_err)?
                .label(bars.label.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 16, y + 6)], color.filled())
                });
            for (row, v) in bars.values.iter().enumerate() {
                if v[2] <= v[1] {
                    continue;
                }
                chart
                    .draw_series(whisker(v[1], v[2], self.bar_span(row, s)))
                    .map_err(draw_err)?;
            }
        }
        if x0 < 0.0 {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.0, 0.0), (0.0, n)],
                    BLACK.stroke_width(1),
                )))
                .map_err(draw_err)?;
        }
        let style = TextStyle::from((FAMILY, LABEL).into_font())
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (row, name) in self.factors.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(x0, n - row as f64 - 0.5));
            let name = text::fit(name, LABEL, f64::from(label_width - 24));
            area.draw_text(&name, &style, (px - 8, py))
                .map_err(draw_err)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(180, 180, 180))
            .label_font((FAMILY, LABEL))
            .draw()
            .map_err(draw_err)
    }
}

/// Room for the widest of `names` left of the plot, in pixels (as measured in the
/// embedded font; a name wider than the most is cut to fit with "…").
pub fn label_width(names: &[String]) -> u32 {
    let widest = names
        .iter()
        .map(|f| text::width(f, LABEL))
        .fold(0.0, f64::max);
    (widest.ceil() as u32 + 24).clamp(120, 420)
}

/// An interval from `lo` to `hi` across a bar spanning `(bottom, top)`: a line with caps.
fn whisker(lo: f64, hi: f64, (bottom, top): (f64, f64)) -> [PathElement<(f64, f64)>; 3] {
    let mid = (bottom + top) / 2.0;
    let cap = (top - bottom) * 0.3;
    let black = BLACK.stroke_width(2);
    [
        PathElement::new(vec![(lo, mid), (hi, mid)], black),
        PathElement::new(vec![(lo, mid - cap), (lo, mid + cap)], black),
        PathElement::new(vec![(hi, mid - cap), (hi, mid + cap)], black),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_run_top_down_and_bars_stay_inside_their_row() {
        let chart = SensitivityChart {
            name: "s".into(),
            title: "t".into(),
            x_desc: "x".into(),
            factors: vec!["a".into(), "b".into(), "c".into()],
            bars: vec![
                Bars {
                    label: "S1".into(),
                    values: vec![[0.5, 0.4, 0.6], [0.2, 0.1, 0.3], [0.0, -0.05, 0.04]],
                },
                Bars {
                    label: "ST".into(),
                    values: vec![[0.6, 0.5, 0.7], [0.3, 0.2, 0.4], [0.01, 0.0, 0.02]],
                },
            ],
        };
        for row in 0..3 {
            let (b0, t0) = chart.bar_span(row, 0);
            let (b1, t1) = chart.bar_span(row, 1);
            let (lo, hi) = (2.0 - row as f64, 3.0 - row as f64);
            assert!(
                lo < b1 && b1 < t1 && t1 <= b0 && b0 < t0 && t0 < hi,
                "row {row}"
            );
        }
        let (x0, x1) = chart.x_range();
        assert!(
            x0 < -0.05 && x1 > 0.7,
            "every interval is inside the axis: {x0}..{x1}"
        );
        let rendered = super::super::render(&chart).unwrap();
        let svg = String::from_utf8(rendered.svg).unwrap();
        for text in ["a", "b", "c", "S1", "ST"] {
            assert!(
                svg.contains(&format!("\n{text}\n</text>")),
                "label {text} is drawn"
            );
        }
    }
}
