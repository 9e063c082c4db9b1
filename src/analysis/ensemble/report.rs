//! An ensemble folder's charts and printed summary, made from its files alone
//! (`manifest.json`, `timeseries.csv`, `states.csv`), so that `waico plot` and `waico merge`
//! can draw them anywhere:
//!
//! - `fan`: members and partners over time, medians with 50% and 90% bands over seeds, and
//!   the scenario's dated events;
//! - `map-member`, `map-in`: world maps of the share of seeds in which each state ends as
//!   a member, and in (partner or member);
//! - `likely`: the states most likely to be in at the end, and the most likely of each
//!   region.

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::super::AnalysisError;
use crate::output::charts::dots::{DotPanel, DotRow, DotsChart};
use crate::output::charts::map::{Fill, MapState};
use crate::output::charts::membership::{Bands, MembershipChart};
use crate::output::charts::{self, ChartSpec, Rendered};
use crate::output::maps::{self, Powers, STATUS_COLORS};
use crate::output::thousands;
use crate::time::Date;

/// States listed in the left panel of `likely`.
const TOP: usize = 30;
/// States listed per region in its right panel.
const PER_REGION: usize = 4;

/// One row of an ensemble's `states.csv`, as the charts need it.
#[derive(Clone, Debug, PartialEq)]
pub struct StateShares {
    /// Code.
    pub iso3: String,
    /// Name.
    pub name: String,
    /// Region.
    pub region: String,
    /// Capital.
    pub lat: f64,
    /// Capital.
    pub lon: f64,
    /// Share of seeds ending as a member.
    pub member: f64,
    /// Share ending as a partner.
    pub partner: f64,
    /// Share in which it cannot join at the end (ineligible).
    pub ineligible: f64,
}

impl StateShares {
    /// Share ending in (partner or member).
    pub fn inside(&self) -> f64 {
        self.member + self.partner
    }

    fn on_map(&self) -> MapState {
        MapState {
            iso3: self.iso3.clone(),
            lat: self.lat,
            lon: self.lon,
            fill: Fill::Value(0.0),
            barred: self.barred(),
        }
    }

    /// Whether it cannot join at the end of every run.
    pub fn barred(&self) -> bool {
        self.ineligible >= 1.0
    }
}

/// What the files of an ensemble folder say.
pub struct Folder {
    /// The manifest's `ensemble` section.
    pub info: Value,
    /// The states.
    pub states: Vec<StateShares>,
    /// Tick dates.
    pub dates: Vec<Date>,
    /// Members and partners: 5, 25, 50, 75, 95% quantiles at each tick.
    pub quantiles: [Vec<[f64; 5]>; 2],
    /// Runs summarised (successful).
    pub runs: u64,
}

fn read_csv(path: &Path) -> Result<(Vec<String>, Vec<csv::StringRecord>), AnalysisError> {
    let bytes = fs::read(path).map_err(|source| AnalysisError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let malformed = |message: String| AnalysisError::Malformed {
        path: path.to_path_buf(),
        line: None,
        message,
    };
    let header = reader
        .headers()
        .map_err(|e| malformed(e.to_string()))?
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| malformed(e.to_string()))?;
    Ok((header, rows))
}

/// Reads cells of a CSV by column name.
struct Columns<'a> {
    path: &'a Path,
    header: Vec<String>,
}

impl Columns<'_> {
    fn get<T: std::str::FromStr>(
        &self,
        row: &csv::StringRecord,
        line: usize,
        name: &str,
    ) -> Result<T, AnalysisError> {
        let malformed = |message: String| AnalysisError::Malformed {
            path: self.path.to_path_buf(),
            line: Some(line as u64),
            message,
        };
        let k = self
            .header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| malformed(format!("no `{name}` column")))?;
        let cell = row.get(k).unwrap_or("");
        cell.parse()
            .map_err(|_| malformed(format!("`{name}` is `{cell}`")))
    }
}

impl Folder {
    /// Reads the ensemble folder `dir`.
    pub fn read(dir: &Path) -> Result<Folder, AnalysisError> {
        let manifest = dir.join("manifest.json");
        let info: Value = fs::read(&manifest)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .map(|m| m["ensemble"].clone())
            .filter(Value::is_object)
            .ok_or_else(|| {
                AnalysisError::Folder(format!(
                    "{} is not an ensemble folder (its manifest.json has no `ensemble`)",
                    dir.display()
                ))
            })?;
        let path = dir.join("states.csv");
        let (header, rows) = read_csv(&path)?;
        let c = Columns {
            path: &path,
            header,
        };
        let mut states = Vec::with_capacity(rows.len());
        for (k, row) in rows.iter().enumerate() {
            let line = k + 2;
            states.push(StateShares {
                iso3: c.get(row, line, "iso3")?,
                name: c.get(row, line, "name")?,
                region: c.get(row, line, "region")?,
                lat: c.get(row, line, "lat")?,
                lon: c.get(row, line, "lon")?,
                member: c.get::<f64>(row, line, "member_share").unwrap_or(0.0),
                partner: c.get::<f64>(row, line, "partner_share").unwrap_or(0.0),
                ineligible: c.get::<f64>(row, line, "ineligible_share").unwrap_or(0.0),
            });
        }
        let path = dir.join("timeseries.csv");
        let (header, rows) = read_csv(&path)?;
        let c = Columns {
            path: &path,
            header,
        };
        let (mut dates, mut members, mut partners, mut runs) =
            (Vec::new(), Vec::new(), Vec::new(), 0);
        for (k, row) in rows.iter().enumerate() {
            let line = k + 2;
            let text: String = c.get(row, line, "date")?;
            dates.push(
                Date::parse(&text).map_err(|message| AnalysisError::Malformed {
                    path: path.clone(),
                    line: Some(line as u64),
                    message,
                })?,
            );
            runs = c.get(row, line, "runs")?;
            let q = |m: &str| -> Result<[f64; 5], AnalysisError> {
                let mut out = [0.0; 5];
                for (slot, s) in out.iter_mut().zip(["q05", "q25", "q50", "q75", "q95"]) {
                    *slot = c.get::<f64>(row, line, &format!("{m}_{s}")).unwrap_or(0.0);
                }
                Ok(out)
            };
            members.push(q("members")?);
            partners.push(q("partners")?);
        }
        Ok(Folder {
            info,
            states,
            dates,
            quantiles: [members, partners],
            runs,
        })
    }

    fn name(&self) -> &str {
        self.info["scenario"]["name"].as_str().unwrap_or("ensemble")
    }

    fn body(&self) -> &str {
        self.info["body"].as_str().unwrap_or("the body")
    }

    fn seeds(&self) -> String {
        let s = &self.info["seeds"];
        let n = |key: &str, default: u64| thousands(s[key].as_u64().unwrap_or(default));
        format!(
            "{} seeds ({} to {})",
            n("count", self.runs),
            n("first", 0),
            n("last", 0)
        )
    }

    fn powers(&self) -> Powers {
        let who = |k: &str| {
            let v = &self.info[k];
            Some((
                v["iso3"].as_str()?.to_owned(),
                v["name"].as_str()?.to_owned(),
            ))
        };
        (who("host"), who("opponent"))
    }

    fn host(&self) -> Option<String> {
        self.powers().0.map(|h| h.0)
    }
}

/// Every chart of an ensemble folder.
pub fn charts(f: &Folder) -> Result<Vec<Rendered>, AnalysisError> {
    let end = f.dates.last().map(|d| d.to_string()).unwrap_or_default();
    let over = format!("{} seeds", thousands(f.runs));
    let markers = f.info["events"]
        .as_array()
        .map(|events| {
            events
                .iter()
                .filter_map(|e| {
                    Some((
                        Date::parse(e["date"].as_str()?).ok()?,
                        e["label"].as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let fan = MembershipChart {
        title: format!("{} membership: {}, {}", f.body(), f.name(), f.seeds()),
        dates: f.dates.clone(),
        members: Vec::new(),
        partners: Vec::new(),
        partner_tier: f.info["partner_tier"].as_bool().unwrap_or(true),
        markers,
        states: f.states.len() as u32,
        bands: Some(Bands {
            members: f.quantiles[0].clone(),
            partners: f.quantiles[1].clone(),
            over: over.clone(),
        }),
    };
    let share_map = |name: &str, what: &str, ends: &str, value: fn(&StateShares) -> f64| {
        maps::share_map(
            name,
            format!("{}: P({what} at the end, {end}), {}", f.name(), f.seeds()),
            format!("share of the {over} in which the state ends {ends}"),
            f.states.iter().map(|s| (s.on_map(), value(s))).collect(),
            f.powers(),
        )
    };
    Ok(vec![
        charts::render(&NamedMembership {
            name: "fan",
            chart: fan,
        })?,
        charts::render(&share_map("map-member", "member", "a member", |s| s.member))?,
        charts::render(&share_map(
            "map-in",
            "in",
            "in (partner or member)",
            StateShares::inside,
        ))?,
        charts::render(&likely(f, &over))?,
    ])
}

/// The membership chart under another file name.
struct NamedMembership {
    name: &'static str,
    chart: MembershipChart,
}

impl ChartSpec for NamedMembership {
    fn name(&self) -> &str {
        self.name
    }

    fn draw<DB: plotters::prelude::DrawingBackend>(
        &self,
        area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    ) -> Result<(), String> {
        self.chart.draw(area)
    }
}

/// States ranked by the share of seeds in which they end in, then as members, then by
/// code; the host left out (it is a member from the start).
fn ranked<'a>(
    f: &'a Folder,
    states: impl Iterator<Item = &'a StateShares>,
) -> Vec<&'a StateShares> {
    let host = f.host();
    let mut v: Vec<&StateShares> = states.filter(|s| Some(&s.iso3) != host.as_ref()).collect();
    v.sort_by(|a, b| {
        b.inside()
            .total_cmp(&a.inside())
            .then(b.member.total_cmp(&a.member))
            .then(a.iso3.cmp(&b.iso3))
    });
    v
}

fn dot_row(s: &StateShares) -> DotRow {
    let name: String = s.name.chars().take(24).collect();
    DotRow {
        label: format!("{name} ({})", s.iso3),
        values: Some([s.inside(), s.member]),
    }
}

/// The ranked dot chart: the most likely to be in at the end, and by region.
fn likely(f: &Folder, over: &str) -> DotsChart {
    let top: Vec<DotRow> = ranked(f, f.states.iter())
        .into_iter()
        .take(TOP)
        .map(dot_row)
        .collect();
    let mut regions: Vec<&str> = f.states.iter().map(|s| s.region.as_str()).collect();
    regions.sort_unstable();
    regions.dedup();
    let mut by_region = Vec::new();
    for region in regions {
        by_region.push(DotRow {
            label: region.to_owned(),
            values: None,
        });
        let states = ranked(f, f.states.iter().filter(|s| s.region == region));
        by_region.extend(states.into_iter().take(PER_REGION).map(dot_row));
    }
    DotsChart {
        name: "likely".into(),
        title: format!("{}: who ends in, {}", f.name(), f.seeds()),
        series: [
            ("in (partner or member)".into(), STATUS_COLORS[1]),
            ("member".into(), STATUS_COLORS[2]),
        ],
        axis: format!("share of the {over} (at the end of the run)"),
        panels: vec![
            DotPanel {
                title: format!("the {TOP} most likely to be in"),
                rows: top,
            },
            DotPanel {
                title: format!("the {PER_REGION} most likely of each region"),
                rows: by_region,
            },
        ],
    }
}

/// Draws every chart of the ensemble folder `dir` and writes them there (each file
/// replaced atomically); returns the file names.
pub fn render_charts(dir: &Path) -> Result<Vec<String>, AnalysisError> {
    let folder = Folder::read(dir)?;
    let mut names = Vec::new();
    for chart in charts(&folder)? {
        for (ext, bytes) in [("png", &chart.png), ("svg", &chart.svg)] {
            let file = format!("{}.{ext}", chart.name);
            let tmp = dir.join(format!(".{file}.tmp"));
            let io = |path: &Path| {
                let path = path.to_path_buf();
                move |source| AnalysisError::Io { path, source }
            };
            fs::write(&tmp, bytes).map_err(io(&tmp))?;
            fs::rename(&tmp, dir.join(&file)).map_err(io(&dir.join(&file)))?;
            names.push(file);
        }
    }
    Ok(names)
}

/// The printed summary: the seeds and calendar, the members and partners at the end (median
/// and 90% band) and the `top` states whose membership is most uncertain (nearest 50%).
pub fn summary(f: &Folder, top: usize) -> String {
    let cal = &f.info["calendar"];
    let mut out = format!(
        "{}: {}, {} to {}, {} {} ticks, {} states\n",
        f.name(),
        f.seeds(),
        cal["start"].as_str().unwrap_or(""),
        cal["end"].as_str().unwrap_or(""),
        cal["ticks"].as_u64().unwrap_or(1).saturating_sub(1),
        cal["tick"].as_str().unwrap_or(""),
        f.states.len()
    );
    if let (Some(m), Some(p)) = (f.quantiles[0].last(), f.quantiles[1].last()) {
        out.push_str(&format!(
            "  at the end: median {} members (90% of seeds: {} to {}), {} partners ({} to {})\n",
            m[2], m[0], m[4], p[2], p[0], p[4]
        ));
    }
    let barred: Vec<&str> = f
        .states
        .iter()
        .filter(|s| s.barred())
        .map(|s| s.iso3.as_str())
        .collect();
    if !barred.is_empty() {
        out.push_str(&format!(
            "  {} states cannot join (ineligible at the end of every seed): {}\n",
            barred.len(),
            barred.join(" ")
        ));
    }
    let host = f.host();
    let mut uncertain: Vec<&StateShares> = f
        .states
        .iter()
        .filter(|s| Some(&s.iso3) != host.as_ref() && !s.barred())
        .collect();
    uncertain.sort_by(|a, b| {
        (a.member - 0.5)
            .abs()
            .total_cmp(&(b.member - 0.5).abs())
            .then(a.iso3.cmp(&b.iso3))
    });
    out.push_str(&format!(
        "  the {top} states whose membership is most uncertain (P(member at the end) nearest 50%):\n"
    ));
    for s in uncertain.into_iter().take(top) {
        let name: String = s.name.chars().take(24).collect();
        out.push_str(&format!(
            "    {}  {name:<24}  member {:>3.0}%, partner {:>3.0}%, in {:>3.0}%\n",
            s.iso3,
            100.0 * s.member,
            100.0 * s.partner,
            100.0 * s.inside()
        ));
    }
    out
}
