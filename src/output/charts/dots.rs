//! Ranked dot chart (a Cleveland dot plot): one row per state, its probabilities as dots
//! on a shared 0-100% axis, in panels side by side (for example the states most likely to
//! join, and the most likely of each region). Rows without values are group headings.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, FAMILY, LABEL};
use super::{ChartSpec, draw_err, text as measure};

/// One row: a label and two values in [0, 1] (drawn as the two series), or a heading.
#[derive(Clone, Debug, PartialEq)]
pub struct DotRow {
    /// The row's label.
    pub label: String,
    /// The two values, or `None` for a group heading.
    pub values: Option<[f64; 2]>,
}

/// One panel of rows.
#[derive(Clone, Debug, PartialEq)]
pub struct DotPanel {
    /// The panel's heading.
    pub title: String,
    /// Its rows, top to bottom.
    pub rows: Vec<DotRow>,
}

/// A chart of panels of ranked rows.
pub struct DotsChart {
    /// File stem.
    pub name: String,
    /// Title.
    pub title: String,
    /// The two series' names and colours (the first is drawn larger, under the second).
    pub series: [(String, RGBColor); 2],
    /// The axis caption.
    pub axis: String,
    /// The panels, left to right.
    pub panels: Vec<DotPanel>,
}

/// Where a panel's rows are drawn, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelGeometry {
    /// The x pixel of 0 and of 1 on the axis.
    pub axis: (i32, i32),
    /// The y pixel of each row's centre.
    pub rows: Vec<i32>,
    /// The x pixels of each row's two dots (none for a heading).
    pub dots: Vec<Option<[i32; 2]>>,
}

const TOP: i32 = 96;
const BOTTOM: i32 = 56;
const LABEL_WIDTH: i32 = 210;

impl DotsChart {
    /// Where every row and dot goes on a picture of `w` x `h` pixels.
    pub fn geometry(&self, w: u32, h: u32) -> Vec<PanelGeometry> {
        let (w, h) = (w as i32, h as i32);
        let panels = self.panels.len().max(1) as i32;
        let width = (w - 20) / panels;
        let most = self
            .panels
            .iter()
            .map(|p| p.rows.len())
            .max()
            .unwrap_or(1)
            .max(1) as i32;
        let step = ((h - TOP - BOTTOM) / most).clamp(8, 24);
        self.panels
            .iter()
            .enumerate()
            .map(|(k, panel)| {
                let left = 10 + k as i32 * width + LABEL_WIDTH;
                let right = 10 + (k as i32 + 1) * width - 24;
                let x =
                    |v: f64| left + (v.clamp(0.0, 1.0) * f64::from(right - left)).round() as i32;
                PanelGeometry {
                    axis: (left, right),
                    rows: (0..panel.rows.len() as i32)
                        .map(|r| TOP + step * r + step / 2)
                        .collect(),
                    dots: panel
                        .rows
                        .iter()
                        .map(|row| row.values.map(|v| [x(v[0]), x(v[1])]))
                        .collect(),
                }
            })
            .collect()
    }
}

impl ChartSpec for DotsChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn size(&self) -> (u32, u32) {
        (1200, 820)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let (w, h) = area.dim_in_pixel();
        let ink = RGBColor(40, 40, 40);
        let (band, _) = area.split_vertically(style::TITLE_BAND);
        style::draw_title(&band, &self.title)?;
        for (panel, g) in self.panels.iter().zip(self.geometry(w, h)) {
            draw_panel(area, panel, &g, &self.series, h as i32)?;
        }
        let text = (FAMILY, LABEL).into_font().color(&ink);
        let mut x = 30;
        let y = h as i32 - 30;
        for (name, color) in &self.series {
            area.draw(&Circle::new((x + 6, y + 8), 6, color.filled()))
                .map_err(draw_err)?;
            area.draw_text(name, &text, (x + 18, y)).map_err(draw_err)?;
            x += 18 + measure::width(name, LABEL).ceil() as i32 + 30;
        }
        area.draw_text(&self.axis, &text, (x + 20, y))
            .map_err(draw_err)
    }
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &DotPanel,
    g: &PanelGeometry,
    series: &[(String, RGBColor); 2],
    h: i32,
) -> Result<(), String> {
    let ink = RGBColor(40, 40, 40);
    let text = (FAMILY, LABEL).into_font().color(&ink);
    let heading = (FAMILY, style::AXIS).into_font().color(&ink);
    let (left, right) = g.axis;
    area.draw_text(&panel.title, &heading, (left - LABEL_WIDTH + 10, TOP - 52))
        .map_err(draw_err)?;
    let grid = RGBColor(225, 225, 225);
    for k in 0..=4 {
        let x = left + (right - left) * k / 4;
        area.draw(&PathElement::new(
            vec![(x, TOP - 6), (x, h - BOTTOM)],
            grid.stroke_width(1),
        ))
        .map_err(draw_err)?;
        let label = format!("{}%", k * 25);
        let lw = measure::width(&label, LABEL).round() as i32;
        area.draw_text(&label, &text, (x - lw / 2, TOP - 24))
            .map_err(draw_err)?;
    }
    for ((row, &y), dots) in panel.rows.iter().zip(&g.rows).zip(&g.dots) {
        // Labels end at the axis; group headings start at the panel's left edge.
        let (style, size) = if dots.is_some() {
            (&text, LABEL)
        } else {
            (&heading, style::AXIS)
        };
        let style = style.pos(Pos::new(HPos::Left, VPos::Center));
        let lw = measure::width(&row.label, size).ceil() as i32;
        let x = if dots.is_some() {
            left - 12 - lw
        } else {
            left - LABEL_WIDTH + 10
        };
        area.draw_text(&row.label, &style, (x, y))
            .map_err(draw_err)?;
        let Some([a, b]) = *dots else { continue };
        area.draw(&PathElement::new(
            vec![(left, y), (right, y)],
            RGBColor(240, 240, 240).stroke_width(1),
        ))
        .map_err(draw_err)?;
        area.draw(&PathElement::new(
            vec![(a.min(b), y), (a.max(b), y)],
            RGBColor(150, 150, 150).stroke_width(2),
        ))
        .map_err(draw_err)?;
        area.draw(&Circle::new((a, y), 6, series[0].1.filled()))
            .map_err(draw_err)?;
        area.draw(&Circle::new((b, y), 5, series[1].1.filled()))
            .map_err(draw_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, a: f64, b: f64) -> DotRow {
        DotRow {
            label: label.into(),
            values: Some([a, b]),
        }
    }

    #[test]
    fn dots_sit_on_their_values_and_rows_stack_in_order() {
        let chart = DotsChart {
            name: "likely".into(),
            title: "t".into(),
            series: [("in".into(), BLUE), ("member".into(), BLACK)],
            axis: "share of seeds".into(),
            panels: vec![
                DotPanel {
                    title: "a".into(),
                    rows: vec![row("X", 1.0, 0.5), row("Y", 0.25, 0.0)],
                },
                DotPanel {
                    title: "b".into(),
                    rows: vec![
                        DotRow {
                            label: "Region".into(),
                            values: None,
                        },
                        row("Z", 0.75, 0.75),
                    ],
                },
            ],
        };
        let g = chart.geometry(1200, 820);
        let (l, r) = g[0].axis;
        assert_eq!(g[0].dots[0], Some([r, l + (r - l) / 2]));
        assert_eq!(g[0].dots[1], Some([l + (r - l) / 4, l]));
        assert!(g[0].rows[0] < g[0].rows[1], "the first row is on top");
        assert_eq!(g[1].dots[0], None, "a heading has no dots");
        assert!(g[1].axis.0 > g[0].axis.1, "panels do not overlap");
        assert!(crate::output::charts::render(&chart).is_ok());
    }
}
