//! Charts: each chart is a type implementing [`ChartSpec`], drawn once as SVG and
//! rasterised from that SVG into the PNG, so both files are the same picture. One chart
//! per file; the shared look in [`style`], date axes in [`axis`], colour scales and their
//! bars in [`colorbar`], text measurement in [`text`].
//!
//! Text is set in the embedded DejaVu Sans: the SVG names it first (then any sans-serif),
//! and the PNG is rendered by `resvg` with that font alone ([`raster`]), so no system font
//! or fontconfig is ever read.

pub mod axis;
pub mod colorbar;
pub mod difference;
pub mod dots;
pub mod fan;
pub mod heatmap;
pub mod map;
pub mod membership;
pub mod prim_box;
pub mod prim_tradeoff;
pub mod raster;
pub mod regions;
pub mod response;
pub mod sensitivity;
pub mod style;
pub mod text;

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

/// Draws `spec` as SVG and renders that SVG as the PNG.
pub fn render(spec: &impl ChartSpec) -> Result<Rendered, OutputError> {
    let svg = svg(spec)?;
    let (w, h) = spec.size();
    let png = raster::png_from_svg(&svg, w, h).map_err(|message| OutputError::Chart {
        name: spec.name().to_owned(),
        message,
    })?;
    Ok(Rendered {
        name: spec.name().to_owned(),
        png,
        svg: svg.into_bytes(),
    })
}

/// Draws `spec` as SVG text, every character of it allowed in XML.
pub fn svg(spec: &impl ChartSpec) -> Result<String, OutputError> {
    style::register_font();
    let (w, h) = spec.size();
    let fail = |message: String| OutputError::Chart {
        name: spec.name().to_owned(),
        message,
    };
    let mut svg = String::new();
    {
        let backend = SVGBackend::with_string(&mut svg, (w, h));
        let area = backend.into_drawing_area();
        spec.draw(&area).map_err(fail)?;
        area.present().map_err(|e| fail(e.to_string()))?;
    }
    Ok(text::xml_safe(svg))
}

/// Writes each chart's PNG and SVG into `dir`, each file replaced atomically (written
/// beside it, then renamed over it); returns the file names.
pub fn write_into(dir: &std::path::Path, charts: &[Rendered]) -> Result<Vec<String>, OutputError> {
    let mut names = Vec::new();
    for chart in charts {
        for (ext, bytes) in [("png", &chart.png), ("svg", &chart.svg)] {
            let file = format!("{}.{ext}", chart.name);
            let tmp = dir.join(format!(".{file}.tmp"));
            let io = |path: &std::path::Path| {
                let path = path.to_path_buf();
                move |source| OutputError::Io { path, source }
            };
            let written = std::fs::write(&tmp, bytes)
                .map_err(io(&tmp))
                .and_then(|()| {
                    std::fs::rename(&tmp, dir.join(&file)).map_err(io(&dir.join(&file)))
                });
            if written.is_err() {
                // A full disk leaves no half-written chart behind.
                let _ = std::fs::remove_file(&tmp);
            }
            written?;
            names.push(file);
        }
    }
    Ok(names)
}

/// Turns a plotters drawing error into a message.
pub fn draw_err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}
