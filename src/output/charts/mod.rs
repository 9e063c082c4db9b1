//! Charts: each chart is a type implementing [`ChartSpec`], drawn once on a bitmap (PNG)
//! and once on SVG, and returned as bytes. One chart per file; shared look in [`style`].
//!
//! Text is laid out with the embedded DejaVu Sans font (plotters' `ab_glyph` backend), so
//! no system font or fontconfig is ever needed.

pub mod difference;
pub mod fan;
pub mod heatmap;
pub mod membership;
pub mod regions;
pub mod response;
pub mod style;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::OutputError;

/// A chart that can be drawn on any plotters backend.
pub trait ChartSpec {
    /// The file stem (`membership` gives `membership.png` and `membership.svg`).
    fn name(&self) -> &str;
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32) {
        style::SIZE
    }
    /// Draws the chart on `area`.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// A rendered chart.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// File stem.
    pub name: String,
    /// PNG bytes.
    pub png: Vec<u8>,
    /// SVG bytes.
    pub svg: Vec<u8>,
}

/// Draws `spec` as PNG and SVG.
pub fn render(spec: &impl ChartSpec) -> Result<Rendered, OutputError> {
    style::register_font();
    let (w, h) = spec.size();
    let fail = |message: String| OutputError::Chart {
        name: spec.name().to_owned(),
        message,
    };
    let mut pixels = vec![0u8; (w * h * 3) as usize];
    {
        let backend = BitMapBackend::with_buffer(&mut pixels, (w, h));
        let area = backend.into_drawing_area();
        spec.draw(&area).map_err(fail)?;
        area.present().map_err(|e| fail(e.to_string()))?;
    }
    let png = encode_png(&pixels, w, h).map_err(fail)?;
    let mut svg = String::new();
    {
        let backend = SVGBackend::with_string(&mut svg, (w, h));
        let area = backend.into_drawing_area();
        spec.draw(&area).map_err(fail)?;
        area.present().map_err(|e| fail(e.to_string()))?;
    }
    Ok(Rendered {
        name: spec.name().to_owned(),
        png,
        svg: svg.into_bytes(),
    })
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// Turns a plotters drawing error into a message.
pub fn draw_err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}
