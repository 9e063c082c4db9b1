//! The country outlines world maps draw, embedded in the binary: Natural Earth's 1:50m
//! Admin 0 countries (public domain), simplified by `tools/build_outlines.py` into
//! `assets/maps/outlines.bin` (provenance in `assets/maps/README.md`).
//!
//! The file: `WOUT`, a version byte (1), the points per degree (u32) and the number of
//! outlines (u16), all little-endian; then per outline, sorted by code, the code's length
//! (u8) and ASCII bytes, the number of rings (u16), and per ring its number of points
//! followed by each point's longitude and latitude (in 1/unit degree) as differences from
//! the previous point (the first from 0), every number a zigzag LEB128 varint.

use std::sync::OnceLock;

use super::projection::equal_earth;

/// The embedded outline file.
pub const OUTLINES: &[u8] = include_bytes!("../../../../assets/maps/outlines.bin");

/// One state's or territory's outline, projected.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    /// ISO 3166-1 alpha-3 code (`XKX` for Kosovo).
    pub code: String,
    /// Rings of projected Equal Earth points (x, y), each implicitly closed.
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// The embedded outlines, projected, sorted by code (decoded once per process).
pub fn outlines() -> &'static [Outline] {
    static DECODED: OnceLock<Vec<Outline>> = OnceLock::new();
    DECODED.get_or_init(|| {
        // The file is compiled in and checked by the tests: a failure cannot happen at run
        // time, and would only leave maps without outlines (every state a dot).
        decode(OUTLINES).unwrap_or_default()
    })
}

/// The outline of `code`, if there is one.
pub fn outline(code: &str) -> Option<&'static Outline> {
    let all = outlines();
    all.binary_search_by(|o| o.code.as_str().cmp(code))
        .ok()
        .map(|k| &all[k])
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("the file ends early (at byte {})", self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(format!("a number runs past 64 bits (at byte {})", self.at))
    }

    fn signed(&mut self) -> Result<i64, String> {
        let z = self.varint()?;
        Ok((z >> 1) as i64 ^ -((z & 1) as i64))
    }
}

/// Decodes an outline file (the format of the module documentation), projecting every
/// point.
pub fn decode(bytes: &[u8]) -> Result<Vec<Outline>, String> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4)? != b"WOUT" {
        return Err("not an outline file (no WOUT mark)".into());
    }
    let version = r.take(1)?[0];
    if version != 1 {
        return Err(format!("outline file version {version}, expected 1"));
    }
    let unit = r.take(4)?;
    let unit = f64::from(u32::from_le_bytes([unit[0], unit[1], unit[2], unit[3]]));
    if unit <= 0.0 {
        return Err("zero points per degree".into());
    }
    let count = r.u16()?;
    let mut out: Vec<Outline> = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        let len = usize::from(r.take(1)?[0]);
        let code = std::str::from_utf8(r.take(len)?)
            .map_err(|_| "a code is not ASCII".to_owned())?
            .to_owned();
        if out.last().is_some_and(|o| o.code >= code) {
            return Err(format!("outline `{code}` is out of order"));
        }
        let mut rings = Vec::new();
        for _ in 0..r.u16()? {
            let n = r.varint()?;
            let mut ring = Vec::with_capacity(n.min(1 << 16) as usize);
            let (mut x, mut y) = (0i64, 0i64);
            for _ in 0..n {
                x += r.signed()?;
                y += r.signed()?;
                ring.push(equal_earth(x as f64 / unit, y as f64 / unit));
            }
            rings.push(ring);
        }
        out.push(Outline { code, rings });
    }
    if r.at != bytes.len() {
        return Err(format!(
            "{} bytes after the last outline",
            bytes.len() - r.at
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_outlines_decode_and_lie_on_the_map() {
        let all = decode(OUTLINES).expect("the embedded file decodes");
        assert!(all.len() > 200, "{} outlines", all.len());
        for o in &all {
            assert!(!o.rings.is_empty(), "{} has rings", o.code);
            for ring in &o.rings {
                assert!(
                    ring.len() >= 3,
                    "{}: a ring of {} points",
                    o.code,
                    ring.len()
                );
                for &(x, y) in ring {
                    assert!(
                        x.abs() <= super::super::projection::X_MAX + 1e-9,
                        "{}",
                        o.code
                    );
                    assert!((-1.1..=1.32).contains(&y), "{}: y = {y}", o.code);
                }
            }
        }
        assert!(outline("ATA").is_none(), "Antarctica is left out");
        // China lies east of the prime meridian, north of the equator.
        let chn = outline("CHN").expect("China");
        assert!(chn.rings.iter().flatten().all(|&(x, y)| x > 0.0 && y > 0.0));
    }

    #[test]
    fn a_damaged_file_is_an_error_not_a_panic() {
        for cut in [0, 3, 5, 11, 40, OUTLINES.len() - 1] {
            assert!(decode(&OUTLINES[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad = OUTLINES.to_vec();
        bad[4] = 9;
        assert!(decode(&bad).unwrap_err().contains("version 9"));
        let mut longer = OUTLINES.to_vec();
        longer.push(0);
        assert!(decode(&longer).is_err());
    }
}
