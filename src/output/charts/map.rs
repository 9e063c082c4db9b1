//! World maps: every state of a run's world coloured by a value (a probability, a shift)
//! or a class (a status), on the Equal Earth projection ([`projection`]), from outlines
//! embedded in the binary ([`outlines`]), Antarctica left out.
//!
//! Every state of the world is drawn: with its outline when it has one that is large
//! enough to see, and otherwise (small islands, micro-states, codes of a custom world that
//! have no outline) as a dot at its capital's `lat`/`lon` from the world file. Outlines of
//! places the world file does not have are drawn white and hatched; states that cannot
//! join (ineligible) are drawn grey and hatched, whatever their value, with their own key
//! entry, so that "cannot" never reads as "did not". The host and the opposing power
//! get a thick outline and a marker; a colour bar (or, for classes, a key) says what the
//! colours mean.
//!
//! [`MapChart::geometry`] computes everything that is drawn (in pixels), so tests check
//! the picture's content without reading pixels; [`MapChart::draw`] only draws it.

pub mod outlines;
pub mod projection;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::colorbar::{ColorScale, color_bar_width, draw_color_bar};
use super::style::{self, FAMILY, LABEL};
use super::{ChartSpec, draw_err, text};
use projection::{X_MAX, equal_earth};

/// The map's southern and northern edges (degrees): Antarctica is left out; the northern
/// tip of Greenland lies at 83.6°N.
const LAT_RANGE: (f64, f64) = (-60.0, 84.0);

/// An outline whose largest ring spans fewer pixels than this (in both directions) is
/// too small to see: its state is also drawn as a dot.
pub const MIN_OUTLINE_PX: i32 = 6;

/// Radius of a state's dot, in pixels.
const DOT_RADIUS: i32 = 4;

/// Ocean, land outside the world file (white, hatched in grey, so that no colour of any
/// scale can be mistaken for it), and borders.
const OCEAN: RGBColor = RGBColor(228, 238, 246);
const ELSEWHERE: RGBColor = RGBColor(255, 255, 255);
const ELSEWHERE_BORDER: RGBColor = RGBColor(160, 160, 160);
const HATCH: RGBColor = RGBColor(175, 175, 175);

/// States that cannot join: a mid grey, hatched darker (lighter than any status colour's
/// opposite, darker than outside's light grey, and no colour of either scale).
const BARRED: RGBColor = RGBColor(150, 150, 150);
const BARRED_HATCH: RGBColor = RGBColor(80, 80, 80);

/// Pixels between hatch lines.
const HATCH_SPACING: i32 = 5;
const BORDER: RGBColor = RGBColor(255, 255, 255);
const INK: RGBColor = RGBColor(20, 20, 20);

/// What a state is coloured by.
#[derive(Clone, Debug, PartialEq)]
pub enum Fill {
    /// A value on the map's [`ColorScale`].
    Value(f64),
    /// A class of the map's key, by index.
    Class(usize),
}

/// One state of the world, as the map needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct MapState {
    /// Its code: the outline drawn, if there is one.
    pub iso3: String,
    /// Latitude of its capital, where its dot goes.
    pub lat: f64,
    /// Longitude of its capital.
    pub lon: f64,
    /// Its colour.
    pub fill: Fill,
    /// Whether it cannot join at all (ineligible): drawn grey and hatched whatever its
    /// fill.
    pub barred: bool,
}

/// What the colours mean.
#[derive(Clone, Debug)]
pub enum Key {
    /// A continuous scale with its colour bar (right of the map) and a caption (under it).
    Scale {
        /// The scale; its title is written above the bar.
        scale: ColorScale,
        /// What the colours mean, in full.
        caption: String,
        /// How the bar labels its ticks.
        labels: Labels,
    },
    /// Named classes and their colours.
    Classes(Vec<(String, RGBColor)>),
}

/// How a colour bar labels its ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Labels {
    /// Shares as percentages ("25%").
    Percent,
    /// Differences of shares in percentage points, signed ("+10 pp").
    Points,
}

impl Labels {
    /// The label of tick `value`.
    pub fn label(self, value: f64) -> String {
        let pct = (value * 100.0).round() as i64;
        match self {
            Labels::Percent => format!("{pct}%"),
            Labels::Points if pct > 0 => format!("+{pct} pp"),
            Labels::Points => format!("{pct} pp"),
        }
    }
}

/// A world map.
#[derive(Clone, Debug)]
pub struct MapChart {
    /// File stem.
    pub name: String,
    /// Title.
    pub title: String,
    /// Every state of the world.
    pub states: Vec<MapState>,
    /// What the colours mean.
    pub key: Key,
    /// The host's code and name, marked with a triangle.
    pub host: Option<(String, String)>,
    /// The opposing power's code and name, marked with a square.
    pub opponent: Option<(String, String)>,
}

/// A filled outline on the map, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// The outline's code.
    pub code: String,
    /// The state it belongs to (index into [`MapChart::states`]), or none.
    pub state: Option<usize>,
    /// Its rings, each implicitly closed (consecutive points that fall on the same pixel
    /// are merged).
    pub rings: Vec<Vec<(i32, i32)>>,
    /// Its colour.
    pub color: RGBColor,
    /// Whether it is large enough to see (its largest ring spans [`MIN_OUTLINE_PX`]).
    pub visible: bool,
    /// Hatch lines across it (land outside the world file, or a state that cannot join):
    /// segments inside its rings.
    pub hatch: Vec<((i32, i32), (i32, i32))>,
}

/// A state drawn as a dot.
#[derive(Clone, Debug, PartialEq)]
pub struct Dot {
    /// The state (index into [`MapChart::states`]).
    pub state: usize,
    /// Centre in pixels.
    pub at: (i32, i32),
    /// Its colour.
    pub color: RGBColor,
}

/// Everything the map draws, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    /// Pixel rectangle of the projected world: left, top, width, height.
    pub frame: (i32, i32, i32, i32),
    /// The outline of the globe (the edge of the ocean).
    pub globe: Vec<(i32, i32)>,
    /// Outlines, those of places outside the world file first.
    pub shapes: Vec<Shape>,
    /// States drawn as dots.
    pub dots: Vec<Dot>,
    /// Marked states: (state, pixel position of the marker, `true` for the host).
    pub marks: Vec<(usize, (i32, i32), bool)>,
}

impl Geometry {
    /// Whether state `k` is visible: a visible outline, or a dot.
    pub fn shows(&self, k: usize) -> bool {
        self.dots.iter().any(|d| d.state == k)
            || self.shapes.iter().any(|s| s.state == Some(k) && s.visible)
    }
}

/// Maps projected coordinates to pixels within a frame.
struct Pixels {
    left: f64,
    top: f64,
    scale: f64,
    y_top: f64,
}

impl Pixels {
    fn new(frame: (i32, i32, i32, i32)) -> Pixels {
        let (y_bottom, y_top) = (
            equal_earth(0.0, LAT_RANGE.0).1,
            equal_earth(0.0, LAT_RANGE.1).1,
        );
        let scale =
            (f64::from(frame.2) / (2.0 * X_MAX)).min(f64::from(frame.3) / (y_top - y_bottom));
        Pixels {
            left: f64::from(frame.0) + (f64::from(frame.2) - 2.0 * X_MAX * scale) / 2.0,
            top: f64::from(frame.1),
            scale,
            y_top,
        }
    }

    fn at(&self, (x, y): (f64, f64)) -> (i32, i32) {
        (
            (self.left + (x + X_MAX) * self.scale).round() as i32,
            (self.top + (self.y_top - y) * self.scale).round() as i32,
        )
    }

    fn ring(&self, ring: &[(f64, f64)]) -> Vec<(i32, i32)> {
        let mut out: Vec<(i32, i32)> = Vec::with_capacity(ring.len());
        for &p in ring {
            let q = self.at(p);
            if out.last() != Some(&q) {
                out.push(q);
            }
        }
        out
    }
}

/// Diagonal lines (rising to the right, `spacing` pixels apart) across the inside of
/// `rings` (even-odd: a ring inside another cuts a hole), as segments.
pub fn hatch(rings: &[Vec<(i32, i32)>], spacing: i32) -> Vec<((i32, i32), (i32, i32))> {
    // Along a line x + y = c, a point is given by its x; every edge the line crosses adds
    // one crossing, and the inside lies between crossings 1-2, 3-4, ...
    let sums = rings.iter().flatten().map(|p| p.0 + p.1);
    let (Some(lo), Some(hi)) = (sums.clone().min(), sums.max()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut c = lo - lo.rem_euclid(spacing) + spacing;
    while c < hi {
        let cf = f64::from(c) + 0.5;
        let mut xs: Vec<f64> = Vec::new();
        for ring in rings {
            for (k, &(x0, y0)) in ring.iter().enumerate() {
                let (x1, y1) = ring[(k + 1) % ring.len()];
                let (s0, s1) = (f64::from(x0 + y0), f64::from(x1 + y1));
                if (s0 < cf) != (s1 < cf) {
                    let t = (cf - s0) / (s1 - s0);
                    xs.push(f64::from(x0) + t * f64::from(x1 - x0));
                }
            }
        }
        xs.sort_by(f64::total_cmp);
        for pair in xs.chunks_exact(2) {
            let (a, b) = (pair[0].round() as i32, pair[1].round() as i32);
            if b > a {
                out.push(((a, c - a), (b, c - b)));
            }
        }
        c += spacing;
    }
    out
}

/// Whether a ring of pixels spans at least [`MIN_OUTLINE_PX`] in either direction.
fn spans(ring: &[(i32, i32)]) -> bool {
    let extent = |f: fn(&(i32, i32)) -> i32| {
        let lo = ring.iter().map(f).min().unwrap_or(0);
        let hi = ring.iter().map(f).max().unwrap_or(0);
        hi - lo
    };
    extent(|p| p.0) >= MIN_OUTLINE_PX || extent(|p| p.1) >= MIN_OUTLINE_PX
}

impl MapChart {
    fn state_color(&self, state: &MapState) -> RGBColor {
        if state.barred {
            BARRED
        } else {
            self.color(&state.fill)
        }
    }

    fn color(&self, fill: &Fill) -> RGBColor {
        match (fill, &self.key) {
            (Fill::Value(v), Key::Scale { scale, .. }) => {
                if v.is_finite() {
                    scale.color(*v)
                } else {
                    ELSEWHERE
                }
            }
            (Fill::Class(k), Key::Classes(classes)) => classes.get(*k).map_or(ELSEWHERE, |c| c.1),
            _ => ELSEWHERE,
        }
    }

    fn index(&self) -> Vec<(&str, usize)> {
        let mut index: Vec<(&str, usize)> = self
            .states
            .iter()
            .enumerate()
            .map(|(k, s)| (s.iso3.as_str(), k))
            .collect();
        index.sort_unstable();
        index
    }

    /// Everything the map draws in a picture of `w` x `h` pixels.
    pub fn geometry(&self, w: u32, h: u32) -> Geometry {
        let frame = map_frame(w, h, self.bar_room());
        let px = Pixels::new(frame);
        let index = self.index();
        let find = |code: &str| {
            index
                .binary_search_by(|(c, _)| (*c).cmp(code))
                .ok()
                .map(|k| index[k].1)
        };
        let mut shapes: Vec<Shape> = outlines::outlines()
            .iter()
            .map(|o| {
                let rings: Vec<Vec<(i32, i32)>> = o.rings.iter().map(|r| px.ring(r)).collect();
                let state = find(&o.code);
                Shape {
                    code: o.code.clone(),
                    state,
                    visible: rings.iter().any(|r| spans(r)),
                    color: state.map_or(ELSEWHERE, |k| self.state_color(&self.states[k])),
                    hatch: if state.is_none_or(|k| self.states[k].barred) {
                        hatch(&rings, HATCH_SPACING)
                    } else {
                        Vec::new()
                    },
                    rings,
                }
            })
            .collect();
        // Places outside the world file first, so states' borders are drawn over theirs.
        shapes.sort_by_key(|s| s.state.is_some());
        let mut outlined = vec![false; self.states.len()];
        for shape in shapes.iter().filter(|s| s.visible) {
            if let Some(k) = shape.state {
                outlined[k] = true;
            }
        }
        let dots = self
            .states
            .iter()
            .enumerate()
            .filter(|(k, _)| !outlined[*k])
            .map(|(k, s)| Dot {
                state: k,
                at: px.at(equal_earth(s.lon, s.lat.clamp(LAT_RANGE.0, LAT_RANGE.1))),
                color: self.state_color(s),
            })
            .collect();
        let marks = [(&self.host, true), (&self.opponent, false)]
            .into_iter()
            .filter_map(|(who, host)| {
                let k = find(&who.as_ref()?.0)?;
                let s = &self.states[k];
                Some((k, px.at(equal_earth(s.lon, s.lat)), host))
            })
            .collect();
        Geometry {
            frame,
            globe: globe(&px),
            shapes,
            dots,
            marks,
        }
    }
}

/// Height of the title band and of the key band, in pixels.
const TITLE_BAND: i32 = 52;
const KEY_BAND: i32 = 92;

/// The map's frame in a `w` x `h` picture, `right` pixels kept free on its right (for the
/// colour bar).
fn map_frame(w: u32, h: u32, right: i32) -> (i32, i32, i32, i32) {
    let (w, h) = (w as i32, h as i32);
    (
        16,
        TITLE_BAND,
        (w - 32 - right).max(1),
        (h - TITLE_BAND - KEY_BAND).max(1),
    )
}

impl MapChart {
    /// The width kept right of the map for the colour bar (none for a key of classes).
    fn bar_room(&self) -> i32 {
        match &self.key {
            Key::Scale { scale, labels, .. } => {
                let format = |v: f64| labels.label(v);
                let title = text::width(&scale.title, LABEL).ceil() as i32;
                color_bar_width(scale, &format).max(title) + 24
            }
            Key::Classes(_) => 0,
        }
    }
}

/// The edge of the projected globe between the map's latitudes.
fn globe(px: &Pixels) -> Vec<(i32, i32)> {
    let (south, north) = LAT_RANGE;
    let steps = 64;
    let lat = |k: i32| south + (north - south) * f64::from(k) / f64::from(steps);
    let mut edge: Vec<(f64, f64)> = (0..=steps).map(|k| equal_earth(180.0, lat(k))).collect();
    edge.extend((0..=steps).rev().map(|k| equal_earth(-180.0, lat(k))));
    px.ring(&edge)
}

impl ChartSpec for MapChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn size(&self) -> (u32, u32) {
        (1200, 680)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let (w, h) = area.dim_in_pixel();
        let g = self.geometry(w, h);
        area.draw(&Polygon::new(g.globe.clone(), OCEAN.filled()))
            .map_err(draw_err)?;
        for shape in &g.shapes {
            draw_shape(area, shape)?;
        }
        for (k, _, _) in &g.marks {
            for shape in g.shapes.iter().filter(|s| s.state == Some(*k)) {
                for ring in &shape.rings {
                    area.draw(&PathElement::new(closed(ring), INK.stroke_width(2)))
                        .map_err(draw_err)?;
                }
            }
        }
        for dot in &g.dots {
            area.draw(&Circle::new(dot.at, DOT_RADIUS, dot.color.filled()))
                .map_err(draw_err)?;
            area.draw(&Circle::new(dot.at, DOT_RADIUS, INK.stroke_width(1)))
                .map_err(draw_err)?;
        }
        for &(_, at, host) in &g.marks {
            draw_mark(area, at, host)?;
        }
        let (band, _) = area.split_vertically(TITLE_BAND as u32);
        style::draw_title(&band, &self.title)?;
        if let Key::Scale { scale, labels, .. } = &self.key {
            let format = |v: f64| labels.label(v);
            let (x, y) = (g.frame.0 + g.frame.2 + 24, g.frame.1 + 40);
            draw_color_bar(area, scale, (x, y), (g.frame.3 - 80).max(40), &format)?;
        }
        self.draw_key(area, g.frame.1 + g.frame.3 + 12, w as i32)
    }
}

fn closed(ring: &[(i32, i32)]) -> Vec<(i32, i32)> {
    let mut path = ring.to_vec();
    if let Some(&first) = ring.first() {
        path.push(first);
    }
    path
}

fn draw_shape<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    shape: &Shape,
) -> Result<(), String> {
    let (border, hatching) = if shape.state.is_some() {
        (BORDER, BARRED_HATCH)
    } else {
        (ELSEWHERE_BORDER, HATCH)
    };
    for ring in shape.rings.iter().filter(|r| r.len() >= 3) {
        area.draw(&Polygon::new(ring.clone(), shape.color.filled()))
            .map_err(draw_err)?;
    }
    for &(a, b) in &shape.hatch {
        area.draw(&PathElement::new(vec![a, b], hatching.stroke_width(1)))
            .map_err(draw_err)?;
    }
    for ring in &shape.rings {
        area.draw(&PathElement::new(closed(ring), border.stroke_width(1)))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// The host's triangle or the opposing power's square, white-edged so it reads on any
/// colour.
fn draw_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    host: bool,
) -> Result<(), String> {
    let r = 7;
    let points = if host {
        vec![(x, y - r), (x + r, y + r - 1), (x - r, y + r - 1)]
    } else {
        vec![
            (x - r + 1, y - r + 1),
            (x + r - 1, y - r + 1),
            (x + r - 1, y + r - 1),
            (x - r + 1, y + r - 1),
        ]
    };
    area.draw(&Polygon::new(points.clone(), INK.filled()))
        .map_err(draw_err)?;
    area.draw(&PathElement::new(closed(&points), WHITE.stroke_width(1)))
        .map_err(draw_err)
}

impl MapChart {
    /// The key under the map: the colour bar or the classes on the left, then what the
    /// marks mean, and the credit on the right.
    fn draw_key<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        y: i32,
        w: i32,
    ) -> Result<(), String> {
        let text = (FAMILY, LABEL).into_font().color(&RGBColor(40, 40, 40));
        let x = 40;
        match &self.key {
            Key::Scale { caption, .. } => {
                // The bar is right of the map; its full caption here, in up to three lines.
                for (k, line) in style::wrap(caption, " ", LABEL, 440.0, 3)
                    .iter()
                    .enumerate()
                {
                    area.draw_text(line, &text, (x, y + 22 * k as i32))
                        .map_err(draw_err)?;
                }
            }
            Key::Classes(classes) => {
                let mut cx = x;
                for (name, color) in classes {
                    swatch(area, (cx, y), *color)?;
                    area.draw_text(name, &text, (cx + 24, y))
                        .map_err(draw_err)?;
                    cx += 24 + text::width(name, LABEL).ceil() as i32 + 24;
                }
            }
        }
        let kx = 510;
        let mut ky = y;
        hatched_swatch(area, (kx, ky), ELSEWHERE, HATCH)?;
        area.draw_text("not in the world file", &text, (kx + 24, ky))
            .map_err(draw_err)?;
        ky += 24;
        if self.states.iter().any(|s| s.barred) {
            hatched_swatch(area, (kx, ky), BARRED, BARRED_HATCH)?;
            area.draw_text("cannot join (ineligible)", &text, (kx + 24, ky))
                .map_err(draw_err)?;
            ky += 24;
        }
        let dot = (kx + 8, ky + 8);
        area.draw(&Circle::new(dot, DOT_RADIUS, WHITE.filled()))
            .map_err(draw_err)?;
        area.draw(&Circle::new(dot, DOT_RADIUS, INK.stroke_width(1)))
            .map_err(draw_err)?;
        area.draw_text(
            "too small to see: a dot at the capital",
            &text,
            (kx + 24, ky),
        )
        .map_err(draw_err)?;
        let mx = 850;
        let mut my = y;
        for (who, host) in [(&self.host, true), (&self.opponent, false)] {
            if let Some((_, name)) = who {
                draw_mark(area, (mx + 8, my + 8), host)?;
                let role = if host { "host" } else { "opposing power" };
                area.draw_text(&format!("{name} ({role})"), &text, (mx + 24, my))
                    .map_err(draw_err)?;
                my += 26;
            }
        }
        let small = (FAMILY, 12).into_font().color(&RGBColor(110, 110, 110));
        let credit = "Equal Earth projection; outlines: Natural Earth";
        let cw = text::width(credit, 12).ceil() as i32;
        area.draw_text(credit, &small, (w - cw - 20, y + 62))
            .map_err(draw_err)
    }
}

/// A key's square of `color` crossed by hatch lines of `lines`.
fn hatched_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    color: RGBColor,
    lines: RGBColor,
) -> Result<(), String> {
    swatch(area, (x, y), color)?;
    let square = vec![vec![(x, y), (x + 16, y), (x + 16, y + 16), (x, y + 16)]];
    for (a, b) in hatch(&square, HATCH_SPACING) {
        area.draw(&PathElement::new(vec![a, b], lines.stroke_width(1)))
            .map_err(draw_err)?;
    }
    Ok(())
}

fn swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    color: RGBColor,
) -> Result<(), String> {
    area.draw(&Rectangle::new([(x, y), (x + 16, y + 16)], color.filled()))
        .map_err(draw_err)?;
    area.draw(&Rectangle::new(
        [(x, y), (x + 16, y + 16)],
        RGBColor(120, 120, 120).stroke_width(1),
    ))
    .map_err(draw_err)
}

#[cfg(test)]
mod tests {
    use super::super::colorbar::VIRIDIS;
    use super::*;
    use crate::world::{BUILTIN_NATIONS, load_world};

    fn chart(states: Vec<MapState>, host: &str, opponent: &str) -> MapChart {
        MapChart {
            name: "map".into(),
            title: "test".into(),
            states,
            key: Key::Scale {
                scale: ColorScale::new(0.0, 1.0, &VIRIDIS, "share"),
                caption: "share".into(),
                labels: Labels::Percent,
            },
            host: Some((host.into(), "Host".into())),
            opponent: Some((opponent.into(), "Opponent".into())),
        }
    }

    fn shipped() -> Vec<MapState> {
        let world = load_world("built-in", BUILTIN_NATIONS, None).expect("the shipped world loads");
        world
            .nations
            .iter()
            .enumerate()
            .map(|(k, n)| MapState {
                iso3: n.iso3.clone(),
                lat: n.lat,
                lon: n.lon,
                fill: Fill::Value(k as f64 / 200.0),
                barred: false,
            })
            .collect()
    }

    #[test]
    fn every_state_of_the_shipped_world_is_drawn() {
        let states = shipped();
        let map = chart(states.clone(), "CHN", "USA");
        let (w, h) = map.size();
        let g = map.geometry(w, h);
        let (left, top, fw, fh) = g.frame;
        let hidden: Vec<&str> = (0..states.len())
            .filter(|&k| !g.shows(k))
            .map(|k| states[k].iso3.as_str())
            .collect();
        assert!(hidden.is_empty(), "not drawn: {hidden:?}");
        for dot in &g.dots {
            assert!(
                (left..=left + fw).contains(&dot.at.0) && (top..=top + fh).contains(&dot.at.1),
                "{} at {:?} lies outside the map",
                states[dot.state].iso3,
                dot.at
            );
        }
        // Most states have an outline large enough to see; micro-states and small islands
        // are dots, and so are the two without outlines at this scale.
        let dotted: Vec<&str> = g
            .dots
            .iter()
            .map(|d| states[d.state].iso3.as_str())
            .collect();
        assert!(dotted.len() < 50, "{} dots: {dotted:?}", dotted.len());
        for code in ["TUV", "MCO", "SGP", "MLT", "NRU", "KIR"] {
            assert!(dotted.contains(&code), "{code} is a dot");
        }
        for code in ["CHN", "USA", "IND", "BRA", "FRA", "TWN"] {
            assert!(!dotted.contains(&code), "{code} has its outline");
        }
        // A state's outline takes its colour; land outside the world file does not.
        let shape = |code: &str| g.shapes.iter().find(|s| s.code == code).expect(code);
        let ind = states.iter().position(|s| s.iso3 == "IND").unwrap();
        assert_eq!(shape("IND").state, Some(ind));
        assert_eq!(shape("IND").color, map.color(&states[ind].fill));
        assert_eq!(
            shape("GRL").state,
            None,
            "Greenland is not in the world file"
        );
        assert_eq!(shape("GRL").color, ELSEWHERE);
        let marked: Vec<(&str, bool)> = g
            .marks
            .iter()
            .map(|&(k, _, host)| (states[k].iso3.as_str(), host))
            .collect();
        assert_eq!(marked, [("CHN", true), ("USA", false)]);
    }

    #[test]
    fn codes_without_outlines_are_dots_where_their_capitals_are() {
        let states: Vec<MapState> = [
            ("AAA", 10.0, 20.0),
            ("ZZQ", -30.0, -60.0),
            ("QQQ", 45.0, 179.0),
        ]
        .iter()
        .map(|&(c, lat, lon)| MapState {
            iso3: c.into(),
            lat,
            lon,
            fill: Fill::Value(0.5),
            barred: c == "QQQ",
        })
        .collect();
        let map = chart(states, "AAA", "ZZQ");
        let g = map.geometry(1200, 680);
        assert_eq!(g.dots.len(), 3);
        assert!(
            g.shapes.iter().all(|s| s.state.is_none()),
            "no outline is theirs"
        );
        let (a, z, q) = (g.dots[0].at, g.dots[1].at, g.dots[2].at);
        assert!(
            a.0 > z.0 && a.1 < z.1,
            "east and north of the second: {a:?} {z:?}"
        );
        assert!(q.0 > a.0 && q.1 < a.1, "{q:?}");
        assert_eq!(
            g.marks.len(),
            2,
            "host and opponent are marked on their dots"
        );
        assert_eq!(g.marks[0].1, a);
        assert_eq!(
            g.dots.iter().map(|d| d.color).collect::<Vec<_>>(),
            [
                map.color(&Fill::Value(0.5)),
                map.color(&Fill::Value(0.5)),
                BARRED
            ],
            "a state that cannot join is grey whatever its value"
        );
        let drawn = crate::output::charts::render(&map).expect("a map of dots renders");
        assert!(drawn.png.starts_with(b"\x89PNG") && !drawn.svg.is_empty());
    }

    #[test]
    fn states_that_cannot_join_are_grey_and_hatched_and_still_drawn() {
        let mut states = shipped();
        let barred = ["TWN", "HKG", "MAC", "PRK", "TUV", "USA"];
        for s in &mut states {
            s.barred = barred.contains(&s.iso3.as_str());
        }
        let map = chart(states.clone(), "CHN", "USA");
        let g = map.geometry(1200, 680);
        for code in barred {
            let k = states.iter().position(|s| s.iso3 == code).unwrap();
            assert!(g.shows(k), "{code} is drawn");
            for shape in g.shapes.iter().filter(|s| s.state == Some(k)) {
                assert_eq!(shape.color, BARRED, "{code}");
                assert!(
                    !shape.visible || !shape.hatch.is_empty(),
                    "{code}'s outline is hatched"
                );
            }
            for dot in g.dots.iter().filter(|d| d.state == k) {
                assert_eq!(dot.color, BARRED, "{code}'s dot");
            }
        }
        let ind = states.iter().position(|s| s.iso3 == "IND").unwrap();
        let india = g.shapes.iter().find(|s| s.state == Some(ind)).unwrap();
        assert!(india.hatch.is_empty() && india.color != BARRED);
    }

    #[test]
    fn hatching_stays_inside_its_rings_and_skips_holes() {
        let outer = vec![(0, 0), (100, 0), (100, 100), (0, 100)];
        let hole = vec![(40, 40), (60, 40), (60, 60), (40, 60)];
        let lines = hatch(&[outer, hole], 5);
        assert!(lines.len() > 30, "{} segments", lines.len());
        for &((x0, y0), (x1, y1)) in &lines {
            for (x, y) in [(x0, y0), (x1, y1)] {
                assert!(
                    (0..=100).contains(&x) && (-1..=101).contains(&y),
                    "({x}, {y})"
                );
            }
            // No segment runs through the hole's centre.
            let (cx, cy) = (50, 50);
            let crosses = x0 + y0 == cx + cy && x0 < cx && cx < x1;
            assert!(
                !crosses,
                "a line crosses the hole: {:?}",
                ((x0, y0), (x1, y1))
            );
            assert_eq!(x0 + y0, x1 + y1, "lines are diagonal");
        }
        assert!(hatch(&[], 5).is_empty());
    }

    #[test]
    fn the_map_keeps_the_projection_s_proportions() {
        let map = chart(shipped(), "CHN", "USA");
        let g = map.geometry(1200, 680);
        let xs: Vec<i32> = g.globe.iter().map(|p| p.0).collect();
        let ys: Vec<i32> = g.globe.iter().map(|p| p.1).collect();
        let width = f64::from(xs.iter().max().unwrap() - xs.iter().min().unwrap());
        let height = f64::from(ys.iter().max().unwrap() - ys.iter().min().unwrap());
        let (south, north) = (
            equal_earth(0.0, LAT_RANGE.0).1,
            equal_earth(0.0, LAT_RANGE.1).1,
        );
        let expected = 2.0 * X_MAX / (north - south);
        assert!(
            (width / height - expected).abs() < 0.02,
            "aspect {} vs {expected}",
            width / height
        );
    }
}
