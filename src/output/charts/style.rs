//! The shared look of every chart: size, font, colours, date axis.

use std::ops::Range;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::{FontStyle, RGBColor, register_font as plotters_register_font};

use super::draw_err;

use crate::time::Date;

/// The embedded chart font: DejaVu Sans 2.37 (Bitstream Vera licence, see
/// `assets/fonts/LICENSE-DejaVu.txt`).
pub const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family name charts ask for.
pub const FAMILY: &str = "sans-serif";

/// Default chart size in pixels.
pub const SIZE: (u32, u32) = (1200, 720);

/// Title font size.
pub const TITLE: u32 = 28;
/// Axis description font size.
pub const AXIS: u32 = 18;
/// Tick label and legend font size.
pub const LABEL: u32 = 15;

/// A colour-blind-safe palette (Okabe & Ito 2008), then greys.
pub const PALETTE: [RGBColor; 9] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
    RGBColor(120, 120, 120),
];

/// Colour of event markers.
pub const MARKER: RGBColor = RGBColor(150, 150, 150);

/// Registers the embedded font with plotters (once per process).
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in and known to parse; a failure here would only mean
        // charts without text, never a crash.
        let _ = plotters_register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

/// A date axis label: the year at a year boundary, `YYYY-MM` otherwise.
pub fn date_label(x: f64) -> String {
    let year = x.floor();
    let month = ((x - year) * 12.0).round() as i32;
    if month == 0 || month == 12 {
        format!("{}", if month == 12 { year + 1.0 } else { year })
    } else {
        format!("{year:.0}-{:02}", month + 1)
    }
}

/// The x range covering `dates`, as fractional years.
pub fn year_range(dates: &[Date]) -> std::ops::Range<f64> {
    let first = dates.first().map_or(0.0, |d| d.year_fraction());
    let last = dates.last().map_or(1.0, |d| d.year_fraction());
    first..last.max(first + 1.0 / 365.0)
}

/// A chart over time on `area`, its mesh drawn: the title, a date x axis over `x`
/// (fractional years), a y axis over `y` described by `y_desc` with labels from
/// `y_label`, and a light grid. Every time-series chart starts here.
pub fn date_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    x: Range<f64>,
    y: Range<f64>,
    y_desc: &str,
    y_label: &dyn Fn(&f64) -> String,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, String> {
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FAMILY, TITLE))
        .margin(18)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(x, y)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_desc("date")
        .y_desc(y_desc)
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&|x| date_label(*x))
        .y_label_formatter(y_label)
        .label_style((FAMILY, LABEL))
        .axis_desc_style((FAMILY, AXIS))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(draw_err)?;
    Ok(chart)
}

/// A whole-number axis label.
pub fn whole(y: &f64) -> String {
    format!("{y:.0}")
}

/// Draws the key of the labelled series in the chart's upper left corner.
pub fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font((FAMILY, LABEL))
        .draw()
        .map_err(draw_err)
}
