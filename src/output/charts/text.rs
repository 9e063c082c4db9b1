//! Measuring chart text as the SVG will lay it out, and keeping text fit for XML.
//!
//! Chart text is set in the embedded DejaVu Sans at `font-size = size / 1.24` pixels (the
//! size plotters writes into the SVG for a font of `size`); widths here sum the font's
//! advances and kerning pairs at that size, so labels can be placed and cut to fit before
//! they are drawn.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef};

use super::style::FONT;

/// The font-size in SVG pixels of text drawn with plotters font size `size`.
pub fn em(size: u32) -> f64 {
    f64::from(size) / 1.24
}

fn font() -> Option<&'static FontRef<'static>> {
    static FONT_REF: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT_REF
        .get_or_init(|| FontRef::try_from_slice(FONT).ok())
        .as_ref()
}

/// The width in pixels of `text` drawn at plotters font size `size`.
pub fn width(text: &str, size: u32) -> f64 {
    let Some(font) = font() else {
        // Without the font (never: it is compiled in), a generous estimate.
        return text.chars().count() as f64 * em(size) * 0.62;
    };
    let units = font.units_per_em().unwrap_or(2048.0);
    let mut total = 0f32;
    let mut previous = None;
    for c in text.chars() {
        let glyph = font.glyph_id(c);
        total += font.h_advance_unscaled(glyph);
        if let Some(p) = previous {
            total += font.kern_unscaled(p, glyph);
        }
        previous = Some(glyph);
    }
    f64::from(total / units) * em(size)
}

/// `text`, cut at a character boundary and ended with "…" if it is wider than `max`
/// pixels at font size `size`.
pub fn fit(text: &str, size: u32, max: f64) -> String {
    if width(text, size) <= max {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    // The longest prefix that fits with the ellipsis (binary search on the prefix length).
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if width(&candidate, size) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept: String = chars[..lo].iter().collect();
    kept.trim_end().to_owned() + "…"
}

/// Whether `c` may appear in an XML 1.0 document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || (c >= ' ' && !('\u{7f}'..='\u{9f}').contains(&c) && c != '\u{fffe}' && c != '\u{ffff}')
}

/// `svg` with every character XML does not allow removed (plotters escapes `<`, `&` and
/// quotes in text and attributes; control characters it passes through).
pub fn xml_safe(svg: String) -> String {
    if svg.chars().all(xml_char) {
        svg
    } else {
        svg.chars().filter(|&c| xml_char(c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size_and_kerning_applies() {
        assert_eq!(width("", 15), 0.0);
        let a = width("2025-10-30", 15);
        assert!(a > 50.0 && a < 90.0, "{a}");
        assert!(width("2025-10-30", 30) > 1.9 * a);
        // DejaVu Sans kerns "AV" tighter than the sum of its letters.
        assert!(width("AV", 15) < width("A", 15) + width("V", 15));
    }

    #[test]
    fn fitting_cuts_with_an_ellipsis_only_when_needed() {
        assert_eq!(fit("Tianjin", 15, 500.0), "Tianjin");
        let cut = fit("Saint Vincent and the Grenadines", 15, 100.0);
        assert!(cut.ends_with('…') && width(&cut, 15) <= 100.0, "{cut}");
        assert!(cut.starts_with("Saint"), "{cut}");
    }

    #[test]
    fn control_characters_never_reach_the_svg() {
        let svg = "<text>a\u{1}b\u{b}c\u{7f}</text>\n".to_owned();
        assert_eq!(xml_safe(svg), "<text>abc</text>\n");
        let clean = "<text>é ü – …</text>".to_owned();
        assert_eq!(xml_safe(clean.clone()), clean);
    }
}
