//! From a chart's SVG to its PNG: the SVG is rendered by `resvg` with a font database that
//! holds only the embedded DejaVu Sans, so the PNG is the same picture as the SVG, its text
//! shaped with kerning and sub-pixel advances, and no system font or fontconfig is read.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use super::style::FONT;

/// The family the embedded font answers to.
const FONT_NAME: &str = "DejaVu Sans";

/// The options for reading chart SVGs: the embedded font and nothing else.
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        for generic in ["sans-serif", "serif", "monospace"] {
            match generic {
                "sans-serif" => db.set_sans_serif_family(FONT_NAME),
                "serif" => db.set_serif_family(FONT_NAME),
                _ => db.set_monospace_family(FONT_NAME),
            }
        }
        usvg::Options {
            font_family: FONT_NAME.to_owned(),
            fontdb: Arc::new(db),
            // Charts never reference images; refuse to read any file an SVG might name.
            image_href_resolver: usvg::ImageHrefResolver {
                resolve_data: Box::new(|_, _, _| None),
                resolve_string: Box::new(|_, _| None),
            },
            ..usvg::Options::default()
        }
    })
}

/// Renders `svg` on a white `width` x `height` canvas and encodes it as an RGB PNG.
pub fn png_from_svg(svg: &str, width: u32, height: u32) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| format!("bad SVG: {e}"))?;
    let mut pixmap =
        Pixmap::new(width, height).ok_or_else(|| format!("no {width} x {height} canvas"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let size = tree.size();
    let transform =
        Transform::from_scale(width as f32 / size.width(), height as f32 / size.height());
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    // The canvas is opaque, so premultiplied RGBA is plain RGBA; keep RGB.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    encode_png(&rgb, width, height)
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
