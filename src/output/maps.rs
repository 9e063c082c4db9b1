//! The world maps of output folders: a run's map of final status, and the maps of shares
//! over seeds (ensembles) and of shifts in shares (comparisons). Each builds a
//! [`MapChart`] from the world's states and one value or class per state.

use std::path::Path;

use plotters::style::RGBColor;
use serde_json::Value;

use super::charts::colorbar::{ColorScale, RDBU, VIRIDIS};
use super::charts::map::{Fill, Key, Labels, MapChart, MapState};
use super::charts::style::PALETTE;
use super::compress;
use crate::model::Status;
use crate::scenario::Scenario;
use crate::sim::output::{Cell, RunOutput};
use crate::world::eligibility::Bars;
use crate::world::spawn::Prepared;
use crate::world::{self, WorldData};

/// The colours of the statuses on a map, in the order outside, partner, member: a light
/// grey for outside, and Okabe-Ito's sky blue and blue (from the charts' palette), so that
/// the lightness follows the order of the statuses.
pub const STATUS_COLORS: [RGBColor; 3] = [RGBColor(212, 212, 212), PALETTE[5], PALETTE[0]];

/// The marked powers: host and opposing power as (code, name).
pub type Powers = (Option<(String, String)>, Option<(String, String)>);

/// The host and opposing power of a world by index.
pub fn powers(world: &WorldData, host: u32, opponent: Option<u32>) -> Powers {
    let named = |i: u32| {
        world
            .nations
            .get(i as usize)
            .map(|n| (n.iso3.clone(), n.name.clone()))
    };
    (named(host), opponent.and_then(named))
}

/// Every state's status at the last tick of a run recorded with full detail (outside
/// for a state without rows).
pub fn last_statuses(run: &RunOutput, states: usize) -> Vec<Status> {
    let mut status = vec![Status::Outside; states];
    let last = run.ticks.last().map_or(0, |t| t.tick);
    for row in run.nations.iter().filter(|r| r.tick == last) {
        if let Some(s) = status.get_mut(row.state as usize) {
            *s = row.status;
        }
    }
    status
}

/// Whether each state cannot join at the last tick of a run recorded with full detail
/// (its `ineligible` reasons are not empty).
pub fn last_barred(run: &RunOutput, states: usize) -> Vec<bool> {
    let mut barred = vec![false; states];
    let last = run.ticks.last().map_or(0, |t| t.tick);
    for row in run.nations.iter().filter(|r| r.tick == last) {
        if let Some(b) = barred.get_mut(row.state as usize) {
            *b = !row.bars.is_empty();
        }
    }
    barred
}

/// Every state's status at the end of `run` and whether it cannot join then: read from
/// its last per-state rows when the run was recorded with them, and otherwise replayed
/// from the start (the scenario's initial statuses and bars) through the run's events
/// (joins, exits, tier moves and recognitions), which every run records.
pub fn final_statuses(scenario: &Scenario, run: &RunOutput) -> (Vec<Status>, Vec<bool>) {
    let n = scenario.world.nations.len();
    if !run.nations.is_empty() {
        return (last_statuses(run, n), last_barred(run, n));
    }
    let prepared = Prepared::new(scenario);
    let mut status: Vec<Status> = prepared
        .bundles
        .iter()
        .map(|b| b.membership.status)
        .collect();
    let mut bars: Vec<Bars> = prepared.bundles.iter().map(|b| b.membership.bars).collect();
    for e in &run.events {
        let Some(i) = e.state.map(|i| i as usize).filter(|&i| i < n) else {
            continue;
        };
        match (e.kind, e.to) {
            ("join" | "exit" | "upgrade" | "downgrade", Cell::Status(to)) => status[i] = to,
            ("recognition", _) => {
                let recognises = e.value.is_some_and(|v| v > 0.5);
                bars[i] = bars[i].with(Bars::NO_RECOGNITION, !recognises);
            }
            _ => {}
        }
    }
    (status, bars.iter().map(|b| !b.is_empty()).collect())
}

/// The map of `run`'s final statuses, titled with the body, the end date and `subtitle`.
pub fn run_map(scenario: &Scenario, run: &RunOutput, subtitle: &str) -> MapChart {
    let (status, barred) = final_statuses(scenario, run);
    status_map(
        end_title(
            &scenario.body.name,
            run.ticks.last().map(|t| t.date.to_string()),
            subtitle,
        ),
        &scenario.world,
        &status,
        &barred,
        powers(&scenario.world, scenario.body.host, scenario.body.opponent),
    )
}

fn end_title(body: &str, end: Option<String>, subtitle: &str) -> String {
    format!(
        "{body} status at the end ({}): {subtitle}",
        end.unwrap_or_default()
    )
}

/// The map of final statuses redrawn from the run folder `dir` (its `manifest.json` is
/// `m`): the statuses and bars of the last tick of `nations.csv`, the states' places from
/// the world file the manifest names (the shipped one, or a file with the same SHA-256).
/// The error says why it cannot be redrawn.
pub fn read_run_map(dir: &Path, m: &Value, subtitle: &str) -> Result<MapChart, String> {
    let path = dir.join("nations.csv");
    let file = compress::existing(&path);
    if !file.exists() {
        return Err(format!(
            "map not redrawn: {} holds no nations.csv (the run kept --detail summary), so \
             the final statuses are not in the folder; map.png is left as the run drew it",
            dir.display()
        ));
    }
    let text = |pointer: &str| m.pointer(pointer).and_then(Value::as_str).unwrap_or("");
    let label = text("/world/nations");
    let nations = if label == "built-in nations.csv" {
        world::BUILTIN_NATIONS.to_owned()
    } else {
        let read = std::fs::read_to_string(label).map_err(|e| {
            format!("map not redrawn: the world file {label} the run used cannot be read: {e}")
        })?;
        if world::sha256_hex(read.as_bytes()) != text("/world/nations_sha256") {
            return Err(format!(
                "map not redrawn: the world file {label} has changed since the run"
            ));
        }
        read
    };
    let w =
        world::load_world(label, &nations, None).map_err(|e| format!("map not redrawn: {e}"))?;
    let csv = compress::read_text(&path).map_err(|e| format!("{}: {e}", file.display()))?;
    let (status, barred) = last_rows(&csv, &w).map_err(|e| format!("{}: {e}", file.display()))?;
    let code = |c: &str| w.nations.iter().position(|n| n.iso3 == c).map(|i| i as u32);
    let host = code(text("/body/host")).unwrap_or(u32::MAX);
    let opponent = code(text("/body/opponent"));
    let end = m.pointer("/run/last_tick_date").and_then(Value::as_str);
    Ok(status_map(
        end_title(text("/body/name"), end.map(str::to_owned), subtitle),
        &w,
        &status,
        &barred,
        powers(&w, host, opponent),
    ))
}

/// Each state's status and whether it is barred at the last tick of `nations.csv`.
fn last_rows(csv: &str, w: &WorldData) -> Result<(Vec<Status>, Vec<bool>), String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("no `{name}` column"))
    };
    let (tick, iso3, status, ineligible) = (
        col("tick")?,
        col("iso3")?,
        col("status")?,
        col("ineligible")?,
    );
    let mut index: Vec<(&str, usize)> = w
        .nations
        .iter()
        .enumerate()
        .map(|(k, n)| (n.iso3.as_str(), k))
        .collect();
    index.sort_unstable();
    let n = w.nations.len();
    let (mut out, mut barred, mut last) = (vec![Status::Outside; n], vec![false; n], 0u64);
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| e.to_string())?;
        let field = |k: usize| record.get(k).unwrap_or("");
        let bad = |what: &str, k: usize| format!("line {}: `{}` is not {what}", line + 2, field(k));
        let t: u64 = field(tick).parse().map_err(|_| bad("a tick", tick))?;
        if t > last {
            last = t;
            out.fill(Status::Outside);
            barred.fill(false);
        }
        let s = Status::parse(field(status)).ok_or_else(|| bad("a status", status))?;
        let b = Bars::parse(field(ineligible)).ok_or_else(|| bad("a reason", ineligible))?;
        if let Ok(k) = index.binary_search_by(|(c, _)| (*c).cmp(field(iso3))) {
            out[index[k].1] = s;
            barred[index[k].1] = !b.is_empty();
        }
    }
    Ok((out, barred))
}

/// The map of every state's status at the end of a run; states that cannot join
/// (`barred`) are shown as such.
pub fn status_map(
    title: String,
    world: &WorldData,
    status: &[Status],
    barred: &[bool],
    powers: Powers,
) -> MapChart {
    let states = world
        .nations
        .iter()
        .zip(status)
        .enumerate()
        .map(|(k, (n, s))| MapState {
            iso3: n.iso3.clone(),
            lat: n.lat,
            lon: n.lon,
            fill: Fill::Class(*s as usize),
            barred: barred.get(k).copied().unwrap_or(false),
        })
        .collect();
    MapChart {
        name: "map".into(),
        title,
        states,
        key: Key::Classes(
            Status::NAMES
                .iter()
                .zip(STATUS_COLORS)
                .map(|(n, c)| ((*n).to_owned(), c))
                .collect(),
        ),
        host: powers.0,
        opponent: powers.1,
    }
}

/// A map of one share per state (a probability over seeds), coloured on viridis from 0
/// to 1.
pub fn share_map(
    name: &str,
    title: String,
    caption: String,
    states: Vec<(MapState, f64)>,
    powers: Powers,
) -> MapChart {
    let scale = ColorScale::new(0.0, 1.0, &VIRIDIS, "share of seeds");
    value_map(
        name,
        title,
        (scale, caption, Labels::Percent),
        states,
        powers,
    )
}

/// A map of one shift per state (a difference of shares), on ColorBrewer RdBu, symmetric around zero
/// out to the largest absolute shift rounded up to a tenth (at least 0.1).
pub fn shift_map(
    name: &str,
    title: String,
    caption: String,
    states: Vec<(MapState, f64)>,
    powers: Powers,
) -> MapChart {
    let largest = states.iter().map(|(_, v)| v.abs()).fold(0.0, f64::max);
    let limit = ((largest * 10.0).ceil() / 10.0).clamp(0.1, 1.0);
    let scale = ColorScale::new(-limit, limit, &RDBU, "shift");
    value_map(
        name,
        title,
        (scale, caption, Labels::Points),
        states,
        powers,
    )
}

/// A map of one value per state, keyed by `key`: its colour scale, caption and labels.
fn value_map(
    name: &str,
    title: String,
    (scale, caption, labels): (ColorScale, String, Labels),
    states: Vec<(MapState, f64)>,
    powers: Powers,
) -> MapChart {
    MapChart {
        name: name.to_owned(),
        title,
        states: states
            .into_iter()
            .map(|(s, v)| MapState {
                fill: Fill::Value(v),
                ..s
            })
            .collect(),
        key: Key::Scale {
            scale,
            caption,
            labels,
        },
        host: powers.0,
        opponent: powers.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::resources::Detail;

    #[test]
    fn statuses_replayed_from_the_events_are_those_of_the_recorded_rows() {
        let scenario = crate::scenario::load_with("baseline", &[]).expect("the baseline loads");
        for seed in [1, 7] {
            let full = crate::sim::run(&scenario, seed, Detail::Full);
            let series = crate::sim::run(&scenario, seed, Detail::Series);
            assert!(series.nations.is_empty() && !full.nations.is_empty());
            let (status, barred) = final_statuses(&scenario, &series);
            assert_eq!(
                (status.clone(), barred.clone()),
                final_statuses(&scenario, &full)
            );
            let members = status.iter().filter(|s| **s == Status::Member).count();
            assert_eq!(members as u32, full.ticks.last().unwrap().members);
            assert!(barred.iter().any(|b| *b), "the baseline bars some states");
        }
    }
}
