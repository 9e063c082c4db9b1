//! The shared look of every chart: size, font, colours, the date chart every time series
//! starts from, legends and the room text needs.

use std::ops::Range;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, RGBColor, register_font as plotters_register_font};

use super::axis::{DateAxis, DateTicks, Step, date_ticks};
use super::{draw_err, text};

use crate::time::Date;

/// The embedded chart font: DejaVu Sans 2.37 (Bitstream Vera licence, see
/// `assets/fonts/LICENSE-DejaVu.txt`).
pub const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family charts ask for, as written into the SVG: the embedded font first, so a
/// viewer with DejaVu Sans shows the same picture as the PNG, then any sans-serif.
pub const FAMILY: &str = "DejaVu Sans, sans-serif";

/// Default chart size in pixels.
pub const SIZE: (u32, u32) = (1200, 720);

/// Title font size.
pub const TITLE: u32 = 28;
/// Axis description font size.
pub const AXIS: u32 = 18;
/// Tick label and legend font size.
pub const LABEL: u32 = 15;

/// The margin around a chart's plotting area, in pixels.
pub const MARGIN: u32 = 18;
/// The height of the x label area (tick labels and the axis description).
pub const X_LABEL_AREA: u32 = 48;
/// The width of the y label area of a date chart.
pub const Y_LABEL_AREA: u32 = 64;

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

/// Colour of secondary text (keys, notes).
pub const NOTE: RGBColor = RGBColor(60, 60, 60);

/// Colour of light grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);

/// Registers the embedded font with plotters (once per process).
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in and known to parse; a failure here would only mean
        // charts without text, never a crash.
        let _ = plotters_register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

/// A chart over time: a date x axis and a numeric y axis.
pub type DateChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<DateAxis, RangedCoordf64>>;

/// The calendar ticks for a date axis from `first` to `last` that is `width` pixels wide:
/// the finest calendar step whose labels fit side by side.
pub fn ticks_for_width(first: Date, last: Date, width: f64) -> DateTicks {
    date_ticks(first, last, |step: Step| {
        let label = text::width(step.widest_label(), LABEL) + 24.0;
        ((width / label).floor() as usize).max(2)
    })
}

/// The x range covering `dates` (day numbers).
pub fn day_range(dates: &[Date]) -> Range<f64> {
    super::axis::day_range(dates)
}

/// A y range from 0 to `top` with room below 0, so a line at 0 is drawn whole above
/// the axis.
pub fn from_zero(top: f64) -> Range<f64> {
    -top * 0.012..top
}

/// What a date chart shows on its axes.
pub struct Frame<'a> {
    /// The title (empty for none).
    pub title: &'a str,
    /// The dates the x axis spans (the first and last are used).
    pub dates: &'a [Date],
    /// The y range.
    pub y: Range<f64>,
    /// The y axis description.
    pub y_desc: &'a str,
    /// The y tick labels.
    pub y_label: &'a dyn Fn(&f64) -> String,
    /// Pixels left free between the title and the plot (for labels above the plot).
    pub top: u32,
}

/// The height of the band a chart's title is drawn in.
pub const TITLE_BAND: u32 = 44;

/// Draws `title` centred in `band`, cut to the band's width.
pub fn draw_title<DB: DrawingBackend>(
    band: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<(), String> {
    let (w, h) = band.dim_in_pixel();
    let font = (FAMILY, TITLE)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let fitted = text::fit(title, TITLE, f64::from(w.saturating_sub(2 * MARGIN)));
    band.draw_text(&fitted, &font, (w as i32 / 2, h as i32 / 2 + 4))
        .map_err(draw_err)
}

/// `area` under a title band holding `title` (the whole area when the title is empty).
pub fn titled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    if title.is_empty() {
        return Ok(area.clone());
    }
    let (band, body) = area.split_vertically(TITLE_BAND);
    draw_title(&band, title)?;
    Ok(body)
}

/// A chart over time on `area`, its mesh drawn: the title, a date x axis ticking on
/// calendar boundaries, a y axis with labels, and a light grid. Every time-series chart
/// starts here.
pub fn date_chart<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Frame<'_>,
) -> Result<DateChart<'a, DB>, String> {
    let body = titled(area, frame.title)?.margin(frame.top, 0, 0, 0);
    let x = day_range(frame.dates);
    let (w, _) = body.dim_in_pixel();
    let plot_w = f64::from(w.saturating_sub(2 * MARGIN + Y_LABEL_AREA));
    let first = frame
        .dates
        .first()
        .copied()
        .unwrap_or(Date::from_day_number(0));
    let last = frame.dates.last().copied().unwrap_or(first);
    let ticks = ticks_for_width(first, last, plot_w);
    let labels = ticks.labelled();
    let mut chart = ChartBuilder::on(&body)
        .margin(MARGIN)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(DateAxis::new(x, &ticks), frame.y.clone())
        .map_err(draw_err)?;
    let x_label = |v: &f64| {
        labels
            .iter()
            .find(|(p, _)| p == v)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .x_desc("date")
        .y_desc(frame.y_desc)
        .x_labels(labels.len().max(1))
        .y_labels(8)
        .x_label_formatter(&x_label)
        .y_label_formatter(frame.y_label)
        .label_style((FAMILY, LABEL))
        .axis_desc_style((FAMILY, AXIS))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()
        .map_err(draw_err)?;
    Ok(chart)
}

/// The x position of a date on a date chart.
pub fn x_of(date: Date) -> f64 {
    f64::from(date.day_number())
}

/// A whole-number axis label (no "-0").
pub fn whole(y: &f64) -> String {
    let text = format!("{y:.0}");
    if text == "-0" { "0".to_owned() } else { text }
}

/// Draws the key of the labelled series in the chart's upper left corner.
pub fn legend<'a, DB: DrawingBackend + 'a, X: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>,
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

/// One entry of a key drawn under a plot: a line or a filled box, and its text.
pub struct KeyEntry<'a> {
    /// The text.
    pub text: &'a str,
    /// The line or fill style.
    pub style: ShapeStyle,
    /// A filled box (a band) rather than a line.
    pub filled: bool,
}

/// Draws `entries` in rows on `area` from (`x`, `y`), each its sample and its text,
/// spaced by their measured widths and wrapped at the area's right edge.
pub fn key_row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[KeyEntry<'_>],
    x: i32,
    y: i32,
) -> Result<(), String> {
    let font = (FAMILY, LABEL)
        .into_font()
        .color(&NOTE)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let right = area.dim_in_pixel().0 as i32 - 20;
    let (mut cx, mut cy) = (x, y);
    for entry in entries {
        let w = 36 + text::width(entry.text, LABEL).ceil() as i32;
        if cx > x && cx + w > right {
            (cx, cy) = (x, cy + 24);
        }
        if entry.filled {
            area.draw(&Rectangle::new(
                [(cx, cy - 7), (cx + 28, cy + 7)],
                entry.style,
            ))
            .map_err(draw_err)?;
        } else {
            area.draw(&PathElement::new(
                vec![(cx, cy), (cx + 28, cy)],
                entry.style,
            ))
            .map_err(draw_err)?;
        }
        area.draw_text(entry.text, &font, (cx + 36, cy))
            .map_err(draw_err)?;
        cx += w + 28;
    }
    Ok(())
}

/// Columns of a grid of `n` small multiples.
pub fn panel_columns(n: usize) -> usize {
    match n {
        0..=1 => 1,
        2 | 4 => 2,
        _ => 3,
    }
}

/// `area` split into a grid for `n` small multiples, row by row (the grid may hold more
/// cells than `n`; the rest stay empty).
pub fn panels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    n: usize,
) -> Vec<DrawingArea<DB, Shift>> {
    let cols = panel_columns(n);
    let rows = n.div_ceil(cols).max(1);
    area.split_evenly((rows, cols))
}

/// `text` broken into lines at most `max` pixels wide at font size `size`, between the
/// parts `split` by `sep` (kept at the line ends); at most `lines` lines, the last cut to
/// fit.
pub fn wrap(text: &str, sep: &str, size: u32, max: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let parts: Vec<&str> = text.split(sep).collect();
    let mut current = String::new();
    for (k, part) in parts.iter().enumerate() {
        let piece = if k + 1 < parts.len() {
            format!("{part}{}", sep.trim_end())
        } else {
            (*part).to_owned()
        };
        let joined = if current.is_empty() {
            piece.clone()
        } else {
            format!("{current} {piece}")
        };
        if current.is_empty() || super::text::width(&joined, size) <= max || out.len() + 1 == lines
        {
            current = joined;
        } else {
            out.push(std::mem::take(&mut current));
            current = piece;
        }
    }
    out.push(current);
    out.into_iter()
        .map(|line| super::text::fit(&line, size, max))
        .collect()
}

/// Draws a panel's heading at the top left of `panel` (a small multiple's title, wrapped
/// at ", " into at most three lines) and returns the area under it.
pub fn panel_heading<DB: DrawingBackend>(
    panel: &DrawingArea<DB, Shift>,
    heading: &str,
    color: RGBColor,
) -> Result<DrawingArea<DB, Shift>, String> {
    let (w, _) = panel.dim_in_pixel();
    let lines = wrap(
        heading,
        ", ",
        LABEL + 1,
        f64::from(w.saturating_sub(MARGIN + Y_LABEL_AREA + MARGIN)),
        3,
    );
    let (band, body) = panel.split_vertically(8 + 19 * lines.len() as u32);
    let font = (FAMILY, LABEL + 1)
        .into_font()
        .color(&color)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (k, line) in lines.iter().enumerate() {
        band.draw_text(
            line,
            &font,
            ((MARGIN + Y_LABEL_AREA) as i32, 14 + 19 * k as i32),
        )
        .map_err(draw_err)?;
    }
    Ok(body)
}

/// A tick label for a numeric axis: the value with at most three decimals, trailing
/// zeros dropped ("120", "0.25").
pub fn number(y: &f64) -> String {
    let text = format!("{y:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}
