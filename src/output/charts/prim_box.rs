//! PRIM box-limits chart: one row per restricted factor, the range of its values as a grey
//! bar and the box's limits as a coloured bar within it, each end labelled with its value
//! and, on the right, the limits' quasi-p-values.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::sensitivity::label_width;
use super::style::{self, FAMILY, LABEL, PALETTE};
use super::{ChartSpec, draw_err, text};

/// One restricted factor.
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    /// The factor's name.
    pub factor: String,
    /// The data's range `(min, max)`.
    pub range: (f64, f64),
    /// The box's limits `(low, high)`.
    pub limits: (f64, f64),
    /// The quasi-p-values of the low and high limits, where restricted.
    pub quasi_p: (Option<f64>, Option<f64>),
}

/// The chosen box's limits.
#[derive(Clone, Debug, PartialEq)]
pub struct BoxChart {
    /// Title.
    pub title: String,
    /// The restricted factors, in order.
    pub limits: Vec<Limit>,
}

const ROW: u32 = 56;

impl Limit {
    /// The box's limits as positions in the factor's range (0 its minimum, 1 its maximum).
    pub fn span(&self) -> (f64, f64) {
        let (a, b) = self.range;
        let w = if b > a { b - a } else { 1.0 };
        ((self.limits.0 - a) / w, (self.limits.1 - a) / w)
    }
}

fn value(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(0.001..10000.0).contains(&a) {
        format!("{x:.2e}")
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}

fn qp(p: Option<f64>) -> String {
    match p {
        None => "-".to_owned(),
        Some(p) if p < 0.001 => "<0.001".to_owned(),
        Some(p) => format!("{p:.3}"),
    }
}

impl ChartSpec for BoxChart {
    fn name(&self) -> &str {
        "box"
    }

    fn size(&self) -> (u32, u32) {
        (1200, (170 + ROW * self.limits.len() as u32).max(320))
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let n = self.limits.len().max(1) as f64;
        let names: Vec<String> = self.limits.iter().map(|l| l.factor.clone()).collect();
        let label_width = label_width(&names);
        // The title spans the whole width, above the bars and the quasi-p column.
        let (head, body) = area.split_vertically(52);
        let width = head.dim_in_pixel().0;
        title(&head, &self.title)?;
        // Positions from the chart are in the whole image's pixels: text goes on `area`.
        let (main, _) = body.split_horizontally(width - 190);
        let side_x = (width - 190) as i32 + 6;
        let mut chart = ChartBuilder::on(&main)
            .margin(style::MARGIN)
            .x_label_area_size(style::X_LABEL_AREA)
            .y_label_area_size(label_width)
            .build_cartesian_2d(-0.02f64..1.02f64, 0f64..n)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc("position in the range of the factor's values over the runs (0 = lowest, 1 = highest)")
            .x_label_formatter(&style::number)
            .label_style((FAMILY, LABEL))
            .axis_desc_style((FAMILY, style::AXIS))
            .light_line_style(WHITE)
            .bold_line_style(style::GRID)
            .draw()
            .map_err(draw_err)?;
        let font =
            |h: HPos| TextStyle::from((FAMILY, LABEL).into_font()).pos(Pos::new(h, VPos::Center));
        for (row, l) in self.limits.iter().enumerate() {
            let mid = n - row as f64 - 0.5;
            let (lo, hi) = l.span();
            chart
                .draw_series([
                    Rectangle::new(
                        [(0.0, mid - 0.12), (1.0, mid + 0.12)],
                        RGBColor(215, 215, 215).filled(),
                    ),
                    Rectangle::new(
                        [(lo, mid - 0.22), (hi, mid + 0.22)],
                        PALETTE[0].mix(0.85).filled(),
                    ),
                ])
                .map_err(draw_err)?;
            for (x, v, h) in [(lo, l.limits.0, HPos::Right), (hi, l.limits.1, HPos::Left)] {
                let (px, py) = chart.backend_coord(&(x, mid + 0.36));
                let dx = if matches!(h, HPos::Right) { -4 } else { 4 };
                area.draw_text(&value(v), &font(h), (px + dx, py))
                    .map_err(draw_err)?;
            }
            let (px, py) = chart.backend_coord(&(-0.02, mid));
            let name = text::fit(&l.factor, LABEL, f64::from(label_width - 24));
            area.draw_text(&name, &font(HPos::Right), (px - 8, py))
                .map_err(draw_err)?;
            let (_, sy) = chart.backend_coord(&(0.0, mid));
            area.draw_text(
                &format!("qp {} / {}", qp(l.quasi_p.0), qp(l.quasi_p.1)),
                &font(HPos::Left),
                (side_x, sy),
            )
            .map_err(draw_err)?;
        }
        let (_, top) = chart.backend_coord(&(0.0, n));
        area.draw_text("quasi-p low / high", &font(HPos::Left), (side_x, top - 8))
            .map_err(draw_err)?;
        Ok(())
    }
}

/// The title across the whole width of `head`; a long one (a long condition) is set
/// smaller, down to the label size, and only then cut with "…".
fn title<DB: DrawingBackend>(head: &DrawingArea<DB, Shift>, title: &str) -> Result<(), String> {
    let width = head.dim_in_pixel().0;
    let room = f64::from(width.saturating_sub(2 * style::MARGIN));
    let size = (LABEL..=style::TITLE)
        .rev()
        .find(|&size| text::width(title, size) <= room)
        .unwrap_or(LABEL);
    head.draw_text(
        &text::fit(title, size, room),
        &TextStyle::from((FAMILY, size).into_font())
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Center)),
        (width as i32 / 2, 30),
    )
    .map_err(draw_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_placed_within_the_factor_range() {
        let l = Limit {
            factor: "policy.offer".into(),
            range: (0.5, 2.5),
            limits: (1.0, 2.5),
            quasi_p: (Some(1e-5), None),
        };
        assert_eq!(l.span(), (0.25, 1.0));
        assert_eq!(
            (qp(Some(1e-5)), qp(None), qp(Some(0.0421))),
            ("<0.001".into(), "-".into(), "0.042".into())
        );
        assert_eq!(value(1234.5678), "1234.6");
        assert_eq!(value(0.00012), "1.20e-4");
    }
}
