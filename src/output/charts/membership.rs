//! The membership chart: members (and partners, where the body has a partner tier) over
//! time, every dated event of the scenario a numbered vertical line, the numbers above
//! the plot and the events listed underneath. For an ensemble, the lines are medians over
//! seeds with their 50% and 90% bands, and the key says what the bands span.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, FAMILY, Frame, KeyEntry, LABEL, MARKER, PALETTE};
use super::{ChartSpec, draw_err, text};
use crate::time::Date;

/// The height of the chart above the list of events.
const PLOT_HEIGHT: u32 = 600;
/// The height of one line of the key and the list of events.
const ROW: u32 = 22;
/// The height of one level of event numbers above the plot.
const LEVEL: u32 = 17;

/// Members and partners over time.
pub struct MembershipChart {
    /// Chart title.
    pub title: String,
    /// Tick dates.
    pub dates: Vec<Date>,
    /// Members at each tick.
    pub members: Vec<u32>,
    /// Partners at each tick.
    pub partners: Vec<u32>,
    /// Whether the body has a partner tier (no partners line otherwise).
    pub partner_tier: bool,
    /// Dated events to mark (date, label); exact duplicates are merged.
    pub markers: Vec<(Date, String)>,
    /// Number of states in the world (for the y range).
    pub states: u32,
    /// For an ensemble: the 5, 25, 50, 75 and 95% quantiles over seeds of members and of
    /// partners at each tick, drawn as bands around the medians (which replace `members`
    /// and `partners`); the text says what the bands span.
    pub bands: Option<Bands>,
}

/// The events drawn: numbered in date order, grouped by date into one line each.
#[derive(Debug, PartialEq)]
pub struct Markers {
    /// (number, date, label) of every event, numbered from 1.
    pub listed: Vec<(usize, Date, String)>,
    /// (date, its numbers' text such as "3–8", level above the plot) of every line.
    pub lines: Vec<(Date, String, u32)>,
}

/// Quantiles over seeds of members and partners at each tick.
#[derive(Clone, Debug, PartialEq)]
pub struct Bands {
    /// Members: 5, 25, 50, 75 and 95% quantiles at each tick.
    pub members: Vec<[f64; 5]>,
    /// Partners: the same.
    pub partners: Vec<[f64; 5]>,
    /// What the bands span, for the key (e.g. "200 seeds").
    pub over: String,
}

/// A line's values at each tick as quantiles (all five equal for a single run).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Q([f64; 5]);

impl MembershipChart {
    /// The events within the run's dates, numbered, grouped and stacked where their
    /// numbers would collide on a plot `plot_w` pixels wide.
    pub fn markers(&self, plot_w: f64) -> Markers {
        let (Some(&first), Some(&last)) = (self.dates.first(), self.dates.last()) else {
            return Markers {
                listed: Vec::new(),
                lines: Vec::new(),
            };
        };
        let mut events: Vec<(Date, String)> = Vec::new();
        for (date, label) in &self.markers {
            if *date >= first
                && *date <= last
                && !events.iter().any(|(d, l)| d == date && l == label)
            {
                events.push((*date, label.clone()));
            }
        }
        events.sort_by_key(|e| e.0);
        let listed: Vec<(usize, Date, String)> = events
            .into_iter()
            .enumerate()
            .map(|(k, (d, l))| (k + 1, d, l))
            .collect();
        let span = f64::from(last.days_since(first).max(1));
        let mut lines: Vec<(Date, String, u32)> = Vec::new();
        let mut placed: Vec<(f64, f64, u32)> = Vec::new();
        let mut k = 0;
        while k < listed.len() {
            let date = listed[k].1;
            let end = listed[k..].iter().take_while(|e| e.1 == date).count() + k;
            let numbers = if end - k == 1 {
                listed[k].0.to_string()
            } else {
                format!("{}–{}", listed[k].0, listed[end - 1].0)
            };
            let x = f64::from(date.days_since(first)) / span * plot_w;
            let half = text::width(&numbers, LABEL) / 2.0 + 3.0;
            let mut level = 0;
            while placed
                .iter()
                .any(|&(a, b, l)| l == level && x - half < b && x + half > a)
            {
                level += 1;
            }
            placed.push((x - half, x + half, level));
            lines.push((date, numbers, level));
            k = end;
        }
        Markers { listed, lines }
    }

    fn rows(&self) -> u32 {
        let listed = self.markers(1000.0).listed.len() as u32;
        1 + listed.div_ceil(2)
    }
}

impl ChartSpec for MembershipChart {
    fn name(&self) -> &str {
        "membership"
    }

    fn size(&self) -> (u32, u32) {
        (style::SIZE.0, PLOT_HEIGHT + self.rows() * ROW + 16)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(draw_err)?;
        let (w, h) = area.dim_in_pixel();
        let (upper, lower) = area.split_vertically(h.min(PLOT_HEIGHT));
        let plot_w = f64::from(w.saturating_sub(2 * style::MARGIN + style::Y_LABEL_AREA));
        let markers = self.markers(plot_w);
        let levels = markers.lines.iter().map(|l| l.2 + 1).max().unwrap_or(0);
        let series = self.series();
        // The highest line (or band): members, or members and partners stacked.
        let top = (0..self.dates.len())
            .map(|t| {
                series
                    .iter()
                    .map(|(_, q, _)| q.get(t).map_or(0.0, |q| q.0[4]))
                    .sum()
            })
            .fold(10.0, f64::max);
        let ymax = (top * 1.08).min(f64::from(self.states).max(top) * 1.02);
        let mut chart = style::date_chart(
            &upper,
            &Frame {
                title: &self.title,
                dates: &self.dates,
                y: style::from_zero(ymax),
                y_desc: "states",
                y_label: &style::whole,
                top: levels * LEVEL,
            },
        )?;
        draw_event_lines(&mut chart, area, &markers, ymax)?;
        let x: Vec<f64> = self.dates.iter().map(|d| style::x_of(*d)).collect();
        for (_, values, color) in &series {
            if self.bands.is_some() {
                for (lo, hi, alpha) in BANDS {
                    let mut outline: Vec<(f64, f64)> =
                        x.iter().zip(values).map(|(&x, q)| (x, q.0[hi])).collect();
                    outline.extend(x.iter().zip(values).rev().map(|(&x, q)| (x, q.0[lo])));
                    chart
                        .draw_series(std::iter::once(Polygon::new(
                            outline,
                            color.mix(alpha).filled(),
                        )))
                        .map_err(draw_err)?;
                }
            }
            let points: Vec<(f64, f64)> = x.iter().zip(values).map(|(&x, q)| (x, q.0[2])).collect();
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(3)))
                .map_err(draw_err)?;
        }
        // The key and the list of events sit under the plot, where they hide nothing.
        let mut key: Vec<KeyEntry<'_>> = series
            .iter()
            .map(|(name, _, color)| KeyEntry {
                text: name,
                style: color.stroke_width(3),
                filled: false,
            })
            .collect();
        // One entry says what the lines and both bands span, so the key keeps to one row.
        let spans = self
            .bands
            .as_ref()
            .map(|b| format!("lines: medians; bands: middle 50% and 90% of {}", b.over));
        if let Some(text) = &spans {
            key.push(KeyEntry {
                text,
                style: PALETTE[0].mix(BANDS[1].2).filled(),
                filled: true,
            });
        }
        if !markers.listed.is_empty() {
            key.push(KeyEntry {
                text: "numbered lines: the scenario's dated events",
                style: MARKER.stroke_width(1),
                filled: false,
            });
        }
        style::key_row(&lower, &key, 30, ROW as i32 / 2 + 4)?;
        draw_event_list(&lower, &markers)
    }
}

/// The bands around an ensemble's medians: (lower quantile, upper quantile, opacity) by
/// index into the five quantiles (5, 25, 50, 75, 95%): the 90% band, then the 50% band.
const BANDS: [(usize, usize, f64); 2] = [(0, 4, 0.15), (1, 3, 0.3)];

impl MembershipChart {
    /// The lines drawn, as quantiles at each tick (all five equal for a single run):
    /// members, and partners where the body has a partner tier; for an ensemble, the
    /// lines are medians.
    fn series(&self) -> Vec<(&'static str, Vec<Q>, RGBColor)> {
        let (members, partners): (Vec<Q>, Vec<Q>) = match &self.bands {
            Some(b) => (
                b.members.iter().map(|q| Q(*q)).collect(),
                b.partners.iter().map(|q| Q(*q)).collect(),
            ),
            None => (
                self.members.iter().map(|&c| Q([f64::from(c); 5])).collect(),
                self.partners
                    .iter()
                    .map(|&c| Q([f64::from(c); 5]))
                    .collect(),
            ),
        };
        let mut series = vec![("members", members, PALETTE[0])];
        if self.partner_tier {
            series.push(("partners", partners, PALETTE[1]));
        }
        series
    }
}

/// Every event line, from 0 to `ymax`, its numbers above the plot at its level, kept
/// within the plot's width.
fn draw_event_lines<DB: DrawingBackend>(
    chart: &mut style::DateChart<'_, DB>,
    area: &DrawingArea<DB, Shift>,
    markers: &Markers,
    ymax: f64,
) -> Result<(), String> {
    let font = (FAMILY, LABEL)
        .into_font()
        .color(&RGBColor(90, 90, 90))
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let (plot_x, _) = chart.plotting_area().get_pixel_range();
    let base = area.get_base_pixel();
    for (date, numbers, level) in &markers.lines {
        let x = style::x_of(*date);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, 0.0), (x, ymax)],
                MARKER.stroke_width(1),
            )))
            .map_err(draw_err)?;
        let (px, py) = chart.backend_coord(&(x, ymax));
        let half = (text::width(numbers, LABEL) / 2.0).ceil() as i32;
        let px = px.clamp(plot_x.start + half, plot_x.end - half);
        let y = py - 4 - (*level as i32) * LEVEL as i32;
        area.draw_text(numbers, &font, (px - base.0, y - base.1))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// The events listed under the key in two columns: number, date and label, the label cut
/// to its column.
fn draw_event_list<DB: DrawingBackend>(
    lower: &DrawingArea<DB, Shift>,
    markers: &Markers,
) -> Result<(), String> {
    let (w, _) = lower.dim_in_pixel();
    let font = (FAMILY, LABEL)
        .into_font()
        .color(&style::NOTE)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let right = (FAMILY, LABEL)
        .into_font()
        .color(&style::NOTE)
        .pos(Pos::new(HPos::Right, VPos::Center));
    let col_w = (w as i32 - 60) / 2;
    let number_w = markers
        .listed
        .last()
        .map_or(0.0, |(n, _, _)| text::width(&n.to_string(), LABEL))
        .ceil() as i32;
    let date_w = text::width("2000-00-00", LABEL).ceil() as i32;
    for (k, (number, date, label)) in markers.listed.iter().enumerate() {
        let (row, col) = (k / 2 + 1, k % 2);
        let x = 30 + col as i32 * col_w;
        let y = ROW as i32 / 2 + 4 + row as i32 * ROW as i32;
        let label_x = x + number_w + 10 + date_w + 12;
        let label = text::fit(label, LABEL, f64::from(x + col_w - 16 - label_x));
        lower
            .draw_text(&number.to_string(), &right, (x + number_w, y))
            .map_err(draw_err)?;
        lower
            .draw_text(&date.to_string(), &font, (x + number_w + 10, y))
            .map_err(draw_err)?;
        lower
            .draw_text(&label, &font, (label_x, y))
            .map_err(draw_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn chart(markers: Vec<(Date, String)>) -> MembershipChart {
        let start = date("2025-07-26");
        let dates: Vec<Date> = (0..66).map(|k| start.add_months(k)).collect();
        MembershipChart {
            title: "t".into(),
            members: vec![1; dates.len()],
            partners: vec![0; dates.len()],
            dates,
            partner_tier: true,
            markers,
            states: 196,
            bands: None,
        }
    }

    #[test]
    fn every_event_is_numbered_and_same_dates_share_a_line() {
        let mut markers: Vec<(Date, String)> = (0..20)
            .map(|k| (date("2026-01-01").add_months(k), format!("event {k}")))
            .collect();
        markers.push((date("2026-01-01"), "another".into()));
        markers.push((date("2026-01-01"), "another".into()));
        markers.push((date("2040-01-01"), "after the run".into()));
        let m = chart(markers).markers(1100.0);
        assert_eq!(
            m.listed.len(),
            21,
            "duplicates merged, the event after the run left out"
        );
        assert_eq!(m.lines.len(), 20, "one line per date");
        assert_eq!(m.lines[0].1, "1–2");
        assert_eq!(m.lines[19].1, "21");
        let numbers: Vec<usize> = m.listed.iter().map(|e| e.0).collect();
        assert_eq!(numbers, (1..=21).collect::<Vec<_>>());
    }

    #[test]
    fn numbers_that_would_collide_stack_upwards() {
        let markers = vec![
            (date("2026-01-01"), "a".into()),
            (date("2026-01-03"), "b".into()),
            (date("2026-01-05"), "c".into()),
            (date("2028-01-01"), "d".into()),
        ];
        let m = chart(markers).markers(1100.0);
        let levels: Vec<u32> = m.lines.iter().map(|l| l.2).collect();
        assert_eq!(levels, [0, 1, 2, 0]);
    }

    #[test]
    fn the_chart_grows_to_list_every_event() {
        let few = chart(vec![(date("2026-01-01"), "a".into())]).size().1;
        let many = chart(
            (0..30)
                .map(|k| (date("2026-01-01").add_months(k), format!("e{k}")))
                .collect(),
        )
        .size()
        .1;
        assert_eq!(many - few, 14 * ROW);
    }
}
