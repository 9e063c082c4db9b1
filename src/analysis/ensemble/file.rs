//! `tally.csv`: tallies written out, so that an interrupted ensemble resumes from its last
//! checkpoint and `waico merge` can sum the tallies of shards. One row per non-zero count:
//! `point,section,i,j,value`, the point's rows together, in point order.
//!
//! | section | i | j | value |
//! |---|---|---|---|
//! | `span` | first run | end run (exclusive) | runs counted |
//! | `ticks` | | | 1 if per-tick histograms are kept |
//! | `date` | tick | | its date |
//! | `year` | index | tick | the year whose 31 December the tick stands for |
//! | `state`, `name`, `region`, `lat`, `lon` | state | | its code, name, region, capital |
//! | `members`, `partners` | tick | count | runs with that many |
//! | `gdp` | tick | step (1/10,000) | runs |
//! | `gdp_sum`, `gdp_squares` | tick | | sum of shares (10⁻⁹) and of their squares |
//! | `last` | state | status (0 outside, 1 partner, 2 member) | runs |
//! | `in_at` | year index | state | runs |
//! | `first_member`, `first_in` | state | tick | runs |
//! | `tier_down`, `host_deal`, `opponent_deal` | state | | runs |
//! | `ineligible` | state | 0 (any reason) or 1 + a reason's index in `Bars::CODES` | runs in which it cannot join at the end |

use std::collections::BTreeMap;
use std::sync::Arc;

use super::tally::{GDP_BINS, INELIGIBLE_WIDTH, Shape, StateLabel, Tally};
use crate::time::Date;

/// The header of `tally.csv`.
pub const HEADER: [&str; 5] = ["point", "section", "i", "j", "value"];

/// A tally of runs `first_run..end_run` of design point `point`.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The design point (0 for an ensemble).
    pub point: u64,
    /// The first run counted.
    pub first_run: u64,
    /// One past the last run counted.
    pub end_run: u64,
    /// The counts.
    pub tally: Tally,
}

struct Rows<'a> {
    writer: &'a mut csv::Writer<Vec<u8>>,
    point: String,
}

impl Rows<'_> {
    fn row(&mut self, section: &str, i: impl ToString, j: impl ToString, value: impl ToString) {
        // Writing to memory cannot fail; a failure would show as a row missing at parse.
        let _ = self.writer.write_record([
            self.point.as_str(),
            section,
            &i.to_string(),
            &j.to_string(),
            &value.to_string(),
        ]);
    }

    fn counts<T: Copy + Default + PartialEq + ToString>(
        &mut self,
        section: &str,
        values: &[T],
        width: usize,
    ) {
        for (k, &v) in values.iter().enumerate() {
            if v != T::default() {
                self.row(section, k / width.max(1), k % width.max(1), v);
            }
        }
    }
}

/// The text of `tally.csv` holding `entries` (sorted by point by the caller).
pub fn to_csv(entries: &[Entry]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(HEADER);
    for e in entries {
        let t = &e.tally;
        let mut r = Rows {
            writer: &mut writer,
            point: e.point.to_string(),
        };
        r.row("span", e.first_run, e.end_run, t.runs);
        r.row("ticks", "", "", u8::from(t.ticks.is_some()));
        for (k, d) in t.shape.dates.iter().enumerate() {
            r.row("date", k, "", d);
        }
        for (k, (year, tick)) in t.shape.years.iter().enumerate() {
            r.row("year", k, tick, year);
        }
        for (k, s) in t.shape.states.iter().enumerate() {
            r.row("state", k, "", &s.iso3);
            r.row("name", k, "", &s.name);
            r.row("region", k, "", &s.region);
            r.row("lat", k, "", s.lat);
            r.row("lon", k, "", s.lon);
        }
        let (n, ticks) = (t.states(), t.tick_count());
        if let Some(c) = &t.ticks {
            r.counts("members", &c.members, n + 1);
            r.counts("partners", &c.partners, n + 1);
            r.counts("gdp", &c.gdp, GDP_BINS + 1);
            r.counts("gdp_sum", &c.gdp_sum, 1);
            r.counts("gdp_squares", &c.gdp_squares, 1);
        }
        r.counts("last", &t.last, 3);
        r.counts("in_at", &t.in_at, n);
        r.counts("first_member", &t.first_member, ticks);
        r.counts("first_in", &t.first_in, ticks);
        r.counts("tier_down", &t.tier_down, 1);
        r.counts("host_deal", &t.host_deal, 1);
        r.counts("opponent_deal", &t.opponent_deal, 1);
        r.counts("ineligible", &t.ineligible, INELIGIBLE_WIDTH);
    }
    writer.into_inner().unwrap_or_default()
}

/// One point's rows as read, before the tally is built.
#[derive(Default)]
struct Parts {
    span: Option<(u64, u64, u64)>,
    ticks: bool,
    dates: BTreeMap<usize, Date>,
    years: BTreeMap<usize, (i32, u32)>,
    labels: BTreeMap<usize, [String; 5]>,
    counts: Vec<(String, usize, usize, String, u64)>,
}

/// Reads `tally.csv` (named `label` in errors, which give the line).
pub fn from_csv(label: &str, bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{label}: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    if header != HEADER {
        return Err(format!(
            "{label}, line 1: the header is not `{}`",
            HEADER.join(",")
        ));
    }
    let mut points: BTreeMap<u64, Parts> = BTreeMap::new();
    for (k, record) in reader.records().enumerate() {
        let line = k + 2;
        let bad = |what: &str| format!("{label}, line {line}: {what}");
        let record = record.map_err(|e| bad(&e.to_string()))?;
        let [point, section, i, j, value] = [0, 1, 2, 3, 4].map(|c| record.get(c).unwrap_or(""));
        let point: u64 = point.parse().map_err(|_| bad("`point` is not a number"))?;
        let num = |s: &str, what: &str| s.parse::<usize>().map_err(|_| bad(what));
        let parts = points.entry(point).or_default();
        match section {
            "span" => {
                let v = (
                    num(i, "bad first run")? as u64,
                    num(j, "bad end run")? as u64,
                );
                let runs = value.parse().map_err(|_| bad("bad run count"))?;
                parts.span = Some((v.0, v.1, runs));
            }
            "ticks" => parts.ticks = value == "1",
            "date" => {
                let d = Date::parse(value).map_err(|e| bad(&e))?;
                parts.dates.insert(num(i, "bad tick")?, d);
            }
            "year" => {
                let y = value.parse().map_err(|_| bad("bad year"))?;
                parts
                    .years
                    .insert(num(i, "bad year index")?, (y, num(j, "bad tick")? as u32));
            }
            "state" | "name" | "region" | "lat" | "lon" => {
                let slot = ["state", "name", "region", "lat", "lon"]
                    .iter()
                    .position(|s| *s == section)
                    .unwrap_or(0);
                parts.labels.entry(num(i, "bad state")?).or_default()[slot] = value.to_owned();
            }
            _ => {
                // The sums of shares may exceed 64 bits; they are read from the text.
                let count: u64 = if section.starts_with("gdp_s") {
                    0
                } else {
                    value.parse().map_err(|_| bad("a count is not a number"))?
                };
                let (i, j) = (
                    num(i, "bad index")?,
                    if j.is_empty() {
                        0
                    } else {
                        num(j, "bad index")?
                    },
                );
                parts
                    .counts
                    .push((section.to_owned(), i, j, value.to_owned(), count));
            }
        }
    }
    points
        .into_iter()
        .map(|(point, parts)| build(label, point, parts))
        .collect()
}

fn build(label: &str, point: u64, parts: Parts) -> Result<Entry, String> {
    let bad = |what: String| format!("{label}: point {point}: {what}");
    let (first_run, end_run, runs) = parts.span.ok_or_else(|| bad("no `span` row".into()))?;
    fn dense<T>(m: &BTreeMap<usize, T>) -> bool {
        m.keys().enumerate().all(|(k, &i)| k == i)
    }
    if !dense(&parts.dates) || !dense(&parts.years) || !dense(&parts.labels) {
        return Err(bad("dates, years or states are missing".into()));
    }
    let mut states = Vec::with_capacity(parts.labels.len());
    for (k, [iso3, name, region, lat, lon]) in parts.labels.into_values().enumerate() {
        let coord = |s: &str| {
            s.parse::<f64>()
                .map_err(|_| bad(format!("state {k}: bad coordinate `{s}`")))
        };
        states.push(StateLabel {
            lat: coord(&lat)?,
            lon: coord(&lon)?,
            iso3,
            name,
            region,
        });
    }
    let shape = Shape {
        states: Arc::new(states),
        dates: parts.dates.into_values().collect(),
        years: parts.years.into_values().collect(),
    };
    let mut tally = Tally::new(shape, parts.ticks);
    tally.runs = runs;
    for (section, i, j, text, count) in parts.counts {
        set(&mut tally, &section, i, j, &text, count).map_err(bad)?;
    }
    Ok(Entry {
        point,
        first_run,
        end_run,
        tally,
    })
}

fn set(
    t: &mut Tally,
    section: &str,
    i: usize,
    j: usize,
    text: &str,
    count: u64,
) -> Result<(), String> {
    let (n, ticks, years) = (t.states(), t.tick_count(), t.shape.years.len());
    let out_of_range = || format!("`{section}` row ({i}, {j}) is out of range");
    let slot = |v: &mut Vec<u64>, k: usize| -> Result<(), String> {
        *v.get_mut(k).ok_or_else(out_of_range)? = count;
        Ok(())
    };
    let check = |ok: bool| if ok { Ok(()) } else { Err(out_of_range()) };
    match (section, t.ticks.as_mut()) {
        ("members", Some(c)) => {
            check(j <= n)?;
            slot(&mut c.members, i * (n + 1) + j)
        }
        ("partners", Some(c)) => {
            check(j <= n)?;
            slot(&mut c.partners, i * (n + 1) + j)
        }
        ("gdp", Some(c)) => {
            check(j <= GDP_BINS)?;
            let value = u32::try_from(count).map_err(|_| out_of_range())?;
            *c.gdp
                .get_mut(i * (GDP_BINS + 1) + j)
                .ok_or_else(out_of_range)? = value;
            Ok(())
        }
        ("gdp_sum" | "gdp_squares", Some(c)) => {
            let exact: u128 = text.parse().map_err(|_| out_of_range())?;
            let v = if section == "gdp_sum" {
                &mut c.gdp_sum
            } else {
                &mut c.gdp_squares
            };
            *v.get_mut(i).ok_or_else(out_of_range)? = exact;
            Ok(())
        }
        ("last", _) => {
            check(j < 3)?;
            slot(&mut t.last, i * 3 + j)
        }
        ("in_at", _) => {
            check(i < years && j < n)?;
            slot(&mut t.in_at, i * n + j)
        }
        ("first_member", _) => {
            check(j < ticks)?;
            slot(&mut t.first_member, i * ticks + j)
        }
        ("first_in", _) => {
            check(j < ticks)?;
            slot(&mut t.first_in, i * ticks + j)
        }
        ("tier_down", _) => slot(&mut t.tier_down, i),
        ("host_deal", _) => slot(&mut t.host_deal, i),
        ("opponent_deal", _) => slot(&mut t.opponent_deal, i),
        ("ineligible", _) => {
            check(j < INELIGIBLE_WIDTH)?;
            slot(&mut t.ineligible, i * INELIGIBLE_WIDTH + j)
        }
        _ => Err(format!("unknown section `{section}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::ensemble::digest::{Digest, StateOutcome};
    use crate::model::Status;
    use crate::world::eligibility::Bars;

    fn tally() -> Tally {
        let states = vec![
            StateLabel {
                iso3: "AAA".into(),
                name: "Land, with a comma".into(),
                region: "R".into(),
                lat: 10.5,
                lon: -3.25,
            },
            StateLabel {
                iso3: "BBB".into(),
                name: "B \"quoted\"".into(),
                region: "S".into(),
                lat: 0.1 + 0.2,
                lon: 179.9,
            },
        ];
        let dates: Vec<Date> = (1..=3)
            .map(|m| Date::from_ymd(2026, m, 1).unwrap())
            .collect();
        let shape = Shape {
            states: Arc::new(states),
            dates,
            years: vec![(2026, 2)],
        };
        let mut t = Tally::new(shape, true);
        let outcome = |last, member: Option<u32>| StateOutcome {
            last,
            first_member: member,
            first_in: member.map(|m| m.saturating_sub(1)),
            tier_down: member.is_some(),
            host_deal: true,
            opponent_deal: false,
            bars: if member.is_none() {
                Bars::NONE
                    .with(Bars::TERRITORY, true)
                    .with(Bars::NO_RECOGNITION, true)
            } else {
                Bars::NONE
            },
        };
        for (k, share) in [0.25, 0.123456789, 1.0].into_iter().enumerate() {
            t.add(&Digest {
                members: vec![1, 1 + k as u32, 2],
                partners: vec![0, 1, k as u32],
                member_gdp_share: vec![0.1, share, share],
                states: vec![
                    outcome(Status::Member, Some(0)),
                    outcome(Status::from_index(k), (k > 0).then_some(k as u32)),
                ],
                in_at: vec![true, k > 1],
            });
        }
        t
    }

    #[test]
    fn a_tally_reads_back_exactly_as_written() {
        let entries = vec![
            Entry {
                point: 0,
                first_run: 0,
                end_run: 3,
                tally: tally(),
            },
            Entry {
                point: 4,
                first_run: 12,
                end_run: 15,
                tally: tally(),
            },
        ];
        let text = to_csv(&entries);
        assert_eq!(from_csv("tally.csv", &text).unwrap(), entries);
    }

    #[test]
    fn merged_tallies_equal_one_tally_of_all_runs() {
        let mut twice = tally();
        twice.merge(&tally()).unwrap();
        assert_eq!(twice.runs, 6);
        assert_eq!(twice.last[3 + 2], 2, "BBB ends a member in one run of each");
        let w = INELIGIBLE_WIDTH;
        assert_eq!(
            twice.ineligible[w..2 * w],
            [2, 0, 2, 0, 2],
            "BBB cannot join (a territory not recognising the host) at the end of one run of each"
        );
        let mut other = tally();
        other.shape.years.clear();
        assert!(
            twice.merge(&other).is_err(),
            "tallies over other calendars do not add"
        );
    }

    #[test]
    fn a_damaged_tally_file_names_its_line() {
        let text = String::from_utf8(to_csv(&[Entry {
            point: 0,
            first_run: 0,
            end_run: 3,
            tally: tally(),
        }]))
        .unwrap();
        let broken = text.replacen("members,1,1,1", "members,1,1,x", 1);
        assert_ne!(broken, text);
        let err = from_csv("t.csv", broken.as_bytes()).unwrap_err();
        assert!(
            err.starts_with("t.csv, line ") && err.contains("not a number"),
            "{err}"
        );
        let err = from_csv("t.csv", b"point,section\n").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        let out_of_range = text.replacen("last,1,", "last,7,", 1);
        assert!(from_csv("t.csv", out_of_range.as_bytes()).is_err());
    }
}
