//! Colour scales and their bars: a value maps to a colour along a ramp between `lo` and
//! `hi`, and every chart that colours by value draws the bar that says how
//! ([`draw_color_bar`]), with round ticks and the scale's title.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::nice_ticks;
use super::style::{FAMILY, LABEL, NOTE};
use super::{draw_err, text};

/// ColorBrewer YlGnBu (Brewer 2002): sequential, light yellow (low) to dark blue (high),
/// colour-blind safe and legible in grey.
pub const YLGNBU: [(u8, u8, u8); 5] = [
    (255, 255, 204),
    (161, 218, 180),
    (65, 182, 196),
    (44, 127, 184),
    (37, 52, 148),
];

/// ColorBrewer RdBu (Brewer 2002), reversed: diverging, red (low) through white to blue
/// (high), for signed changes centred on zero.
pub const RDBU: [(u8, u8, u8); 5] = [
    (202, 0, 32),
    (244, 165, 130),
    (247, 247, 247),
    (146, 197, 222),
    (5, 113, 176),
];

/// viridis at 0, 0.1, ..., 1 (van der Walt and Smith's matplotlib colour map, CC0):
/// sequential, dark blue-purple (low) to yellow (high), monotone in lightness, readable in
/// grey and by colour-blind readers; the world maps' scale of shares.
pub const VIRIDIS: [(u8, u8, u8); 11] = [
    (0x44, 0x01, 0x54),
    (0x48, 0x24, 0x75),
    (0x41, 0x44, 0x87),
    (0x35, 0x5f, 0x8d),
    (0x2a, 0x78, 0x8e),
    (0x21, 0x91, 0x8c),
    (0x22, 0xa8, 0x84),
    (0x44, 0xbf, 0x70),
    (0x7a, 0xd1, 0x51),
    (0xbd, 0xdf, 0x26),
    (0xfd, 0xe7, 0x25),
];

/// A map from values to colours.
#[derive(Clone, Debug)]
pub struct ColorScale {
    /// The value of the ramp's first colour (lower values get it too).
    pub lo: f64,
    /// The value of the ramp's last colour (higher values get it too).
    pub hi: f64,
    /// Colours at equal steps from `lo` to `hi`.
    pub ramp: &'static [(u8, u8, u8)],
    /// What the values are, written above the bar.
    pub title: String,
}

impl ColorScale {
    /// A scale from `lo` to `hi` along `ramp`.
    pub fn new(lo: f64, hi: f64, ramp: &'static [(u8, u8, u8)], title: impl Into<String>) -> Self {
        ColorScale {
            lo,
            hi,
            ramp,
            title: title.into(),
        }
    }

    /// Where `value` lies on the scale, from 0 to 1.
    pub fn position(&self, value: f64) -> f64 {
        if self.hi > self.lo && value.is_finite() {
            ((value - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0)
        } else {
            0.5
        }
    }

    /// The colour of `value`.
    pub fn color(&self, value: f64) -> RGBColor {
        let t = self.position(value) * (self.ramp.len() - 1) as f64;
        let k = (t.floor() as usize).min(self.ramp.len() - 1);
        let f = t - k as f64;
        let (a, b) = (self.ramp[k], self.ramp[(k + 1).min(self.ramp.len() - 1)]);
        let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
        RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// Whether text on `value`'s colour should be white (the colour is dark).
    pub fn dark(&self, value: f64) -> bool {
        let RGBColor(r, g, b) = self.color(value);
        0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b) < 140.0
    }

    /// The bar's tick values: round numbers from `lo` to `hi`.
    pub fn ticks(&self) -> Vec<f64> {
        nice_ticks(self.lo, self.hi, 5)
    }

    /// A tick value as the bar labels it: with the decimals its tick step needs, the same
    /// for every tick ("0", "20", ... or "0.0", "0.1", ...).
    pub fn tick_label(&self, value: f64) -> String {
        let ticks = self.ticks();
        let step = match ticks.as_slice() {
            [a, b, ..] => b - a,
            _ => 1.0,
        };
        // The fewest decimals that write the step exactly (0.25 needs two).
        let decimals = (0..6)
            .find(|&d| {
                let scaled = step * 10f64.powi(d);
                (scaled - scaled.round()).abs() < 1e-6
            })
            .unwrap_or(6) as usize;
        format!("{value:.decimals$}")
    }
}

/// The width a vertical colour bar with its tick labels needs, in pixels.
pub fn color_bar_width(scale: &ColorScale, format: &dyn Fn(f64) -> String) -> i32 {
    let labels = scale
        .ticks()
        .iter()
        .map(|v| text::width(&format(*v), LABEL))
        .fold(0.0, f64::max);
    22 + 8 + labels.ceil() as i32
}

/// Draws a vertical colour bar for `scale` on `area` with its top left corner at (`x`,
/// `y`) and `height` pixels tall: the ramp (low at the bottom), a tick and a label (from
/// `format`) at each round value, and the scale's title above.
pub fn draw_color_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: &ColorScale,
    (x, y): (i32, i32),
    height: i32,
    format: &dyn Fn(f64) -> String,
) -> Result<(), String> {
    const WIDTH: i32 = 22;
    let steps = height.max(1);
    for k in 0..steps {
        // Band k spans pixel rows y + k .. y + k + 1, from the top (hi) down.
        let t = 1.0 - (f64::from(k) + 0.5) / f64::from(steps);
        let color = scale.color(scale.lo + t * (scale.hi - scale.lo));
        area.draw(&Rectangle::new(
            [(x, y + k), (x + WIDTH, y + k + 1)],
            color.filled(),
        ))
        .map_err(draw_err)?;
    }
    area.draw(&Rectangle::new(
        [(x, y), (x + WIDTH, y + height)],
        NOTE.stroke_width(1),
    ))
    .map_err(draw_err)?;
    let font = (FAMILY, LABEL)
        .into_font()
        .color(&NOTE)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for value in scale.ticks() {
        let ty = y + height - (scale.position(value) * f64::from(height)).round() as i32;
        area.draw(&PathElement::new(
            vec![(x + WIDTH, ty), (x + WIDTH + 5, ty)],
            NOTE.stroke_width(1),
        ))
        .map_err(draw_err)?;
        area.draw_text(&format(value), &font, (x + WIDTH + 8, ty))
            .map_err(draw_err)?;
    }
    let title = (FAMILY, LABEL)
        .into_font()
        .color(&NOTE)
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    area.draw_text(&scale.title, &title, (x, y - 8))
        .map_err(draw_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_follow_the_ramp_and_clamp() {
        let s = ColorScale::new(0.0, 100.0, &YLGNBU, "members");
        assert_eq!(s.color(0.0), RGBColor(255, 255, 204));
        assert_eq!(s.color(100.0), RGBColor(37, 52, 148));
        assert_eq!(s.color(-5.0), s.color(0.0));
        assert_eq!(s.color(500.0), s.color(100.0));
        assert_eq!(s.color(25.0), RGBColor(161, 218, 180));
        assert!(!s.dark(0.0) && s.dark(100.0));
        assert_eq!(s.ticks(), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(s.tick_label(0.0), "0");
        assert_eq!(s.tick_label(40.0), "40");
        let share = ColorScale::new(0.0, 0.5, &YLGNBU, "share");
        assert_eq!(share.tick_label(0.0), "0.0");
        assert_eq!(share.tick_label(0.2), "0.2");
        // Every label writes its tick exactly, all with the same decimals.
        for hi in [0.1, 0.125, 0.75, 3.0, 250.0] {
            let scale = ColorScale::new(0.0, hi, &YLGNBU, "x");
            let labels: Vec<String> = scale.ticks().iter().map(|&v| scale.tick_label(v)).collect();
            for (v, label) in scale.ticks().iter().zip(&labels) {
                assert!(
                    (label.parse::<f64>().unwrap() - v).abs() < 1e-9,
                    "{hi}: {label}"
                );
            }
            let decimals = |l: &String| l.split('.').nth(1).map_or(0, str::len);
            assert!(
                labels.iter().all(|l| decimals(l) == decimals(&labels[0])),
                "{labels:?}"
            );
        }
        // Values close together get colours close together.
        let a = ColorScale::new(0.0, 0.5, &YLGNBU, "share");
        let (RGBColor(r1, g1, b1), RGBColor(r2, g2, b2)) = (a.color(0.27), a.color(0.28));
        let gap = (i32::from(r1) - i32::from(r2)).abs()
            + (i32::from(g1) - i32::from(g2)).abs()
            + (i32::from(b1) - i32::from(b2)).abs();
        assert!(gap < 20, "{gap}");
    }

    #[test]
    fn viridis_and_rdbu_reach_their_ends_and_viridis_lightens_monotonically() {
        let seq = ColorScale::new(0.0, 1.0, &VIRIDIS, "share");
        assert_eq!(seq.color(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(seq.color(1.0), RGBColor(0xfd, 0xe7, 0x25));
        let greens: Vec<u8> = (0..=20).map(|k| seq.color(k as f64 / 20.0).1).collect();
        assert!(greens.windows(2).all(|w| w[0] <= w[1]), "{greens:?}");
        let div = ColorScale::new(-0.5, 0.5, &RDBU, "shift");
        assert_eq!(
            div.color(0.0),
            RGBColor(247, 247, 247),
            "zero is near-white"
        );
        assert_eq!(div.color(-0.5), RGBColor(202, 0, 32));
        assert_eq!(div.color(0.5), RGBColor(5, 113, 176));
    }
}
