//! Reading a run folder written by `waico run` (`manifest.json`, `nations.csv`,
//! `events.csv`) and, for names, the scenario its manifest records. Used by
//! [`super::explain`]; reading never runs the model.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::AnalysisError;
use crate::model::{Status, TERMS, Term, Terms};
use crate::output::compress;
use crate::output::folder::{self, FolderKind};
use crate::scenario::{self, Override, Params};
use crate::world::eligibility::Bars;
use crate::world::network::TradeNetwork;
use crate::world::spawn::Prepared;

/// A run folder written by `waico run`, with its manifest read.
#[derive(Clone, Debug)]
pub struct RunFolder {
    /// The folder.
    pub dir: PathBuf,
    /// The manifest.
    pub manifest: Value,
    /// Scenario name.
    pub scenario: String,
    /// The run's seed.
    pub seed: u64,
    /// The weights and cut points the run used.
    pub params: Params,
    /// Whether the partner tier exists.
    pub partner_tier: bool,
    /// The host's code.
    pub host: String,
    /// The opponent's code.
    pub opponent: Option<String>,
    /// Whether the opponent reviews like other states.
    pub opponent_may_join: bool,
    /// The founding deadline, if any.
    pub founding_deadline: Option<String>,
    /// The tick unit (`day`, `week` or `month`).
    pub tick_unit: String,
    /// The manifest's account of each state barred at the start: code and why.
    pub ineligible: BTreeMap<String, String>,
}

fn read_text(path: &Path) -> Result<String, AnalysisError> {
    compress::read_text(path).map_err(|source| AnalysisError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The error for a file of a run folder that is not as `waico run` writes it.
pub(crate) fn malformed(
    path: &Path,
    line: Option<u64>,
    message: impl Into<String>,
) -> AnalysisError {
    AnalysisError::Malformed {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// The files a run folder must hold.
const RUN_FILES: [&str; 3] = ["manifest.json", "nations.csv", "events.csv"];

const RUN_HELP: &str = "give a folder written by `waico run`, such as output/baseline/seed-1";

impl RunFolder {
    /// Opens `dir`, failing clearly if it is not a run folder of `waico run`.
    pub fn open(dir: &Path) -> Result<RunFolder, AnalysisError> {
        let shown = dir.display();
        let kind = folder::kind_of(dir);
        let fail = |help: String| {
            Err(AnalysisError::Folder(format!(
                "{shown} {}{}\n  help: {help}",
                kind.describe(),
                match kind {
                    FolderKind::Missing | FolderKind::File | FolderKind::Run => "",
                    _ => ", not a run folder",
                }
            )))
        };
        match &kind {
            FolderKind::Run => {}
            FolderKind::File => {
                let in_run = dir
                    .file_name()
                    .is_some_and(|n| RUN_FILES.iter().any(|f| n == *f));
                return fail(match dir.parent() {
                    Some(parent) if in_run => format!("give its folder, {}", parent.display()),
                    _ => RUN_HELP.to_owned(),
                });
            }
            FolderKind::Sweep { .. } => {
                return fail(
                    "a sweep keeps no per-state rows: run one design point with `waico run SCENARIO --seed N` and explain its folder".to_owned(),
                );
            }
            FolderKind::Ensemble { .. } => {
                return fail(
                    "an ensemble keeps each state's shares over its seeds (its states.csv), not one run's rows: run one seed with `waico run SCENARIO --seed N` and explain its folder".to_owned(),
                );
            }
            FolderKind::Runs(_) => {
                let first = folder::first_run(dir, &kind).unwrap_or_default();
                return fail(format!("give one of them, e.g. {}", first.display()));
            }
            _ => return fail(RUN_HELP.to_owned()),
        }
        let summary_only =
            folder::manifest(dir).is_some_and(|m| m["detail"].as_str() == Some("summary"));
        if summary_only {
            return Err(AnalysisError::Folder(format!(
                "{shown} was written with --detail summary, which keeps no per-state rows (nations.csv)\n  help: run the scenario again with --detail full (the default) and explain that folder"
            )));
        }
        let missing: Vec<&str> = RUN_FILES
            .iter()
            .copied()
            .filter(|f| !compress::existing(&dir.join(f)).is_file())
            .collect();
        if !missing.is_empty() {
            return Err(AnalysisError::Folder(format!(
                "{shown} is a run folder without {}\n  help: run the scenario again with `waico run`",
                missing.join(", ")
            )));
        }
        let path = dir.join("manifest.json");
        let manifest: Value = serde_json::from_str(&read_text(&path)?)
            .map_err(|e| malformed(&path, Some(e.line() as u64), e.to_string()))?;
        let text = |pointer: &str| -> Result<String, AnalysisError> {
            manifest
                .pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| malformed(&path, None, format!("no text at `{pointer}`")))
        };
        let params: Params = manifest
            .get("params")
            .cloned()
            .ok_or_else(|| malformed(&path, None, "no `params`"))
            .and_then(|p| {
                serde_json::from_value(p)
                    .map_err(|e| malformed(&path, None, format!("`params`: {e}")))
            })?;
        Ok(RunFolder {
            dir: dir.to_path_buf(),
            scenario: text("/scenario/name")?,
            seed: manifest
                .get("seed")
                .and_then(Value::as_u64)
                .ok_or_else(|| malformed(&path, None, "no `seed`"))?,
            params,
            partner_tier: manifest
                .pointer("/body/partner_tier")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            host: text("/body/host")?,
            opponent: manifest
                .pointer("/body/opponent")
                .and_then(Value::as_str)
                .map(str::to_owned),
            opponent_may_join: manifest
                .pointer("/body/opponent_may_join")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            founding_deadline: manifest
                .pointer("/body/founding_deadline")
                .and_then(Value::as_str)
                .map(str::to_owned),
            tick_unit: text("/run/tick").unwrap_or_else(|_| "tick".to_owned()),
            ineligible: manifest
                .pointer("/eligibility/ineligible")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|e| {
                            let code = e.get("iso3")?.as_str()?;
                            let why = e.get("why")?.as_str()?;
                            Some((code.to_owned(), why.to_owned()))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            manifest,
        })
    }
}

/// What the run's scenario adds to the folder: names, blocs and the trade network.
#[derive(Clone, Debug)]
pub struct Context {
    /// Where the scenario was loaded from.
    pub source: String,
    /// Codes by state index.
    pub codes: Vec<String>,
    /// Names by state index.
    pub names: Vec<String>,
    /// The counted blocs of each state, by state index.
    pub blocs: Vec<Vec<String>>,
    /// The peer network at the start of the run.
    pub network: TradeNetwork,
}

impl Context {
    /// Loads the scenario the manifest records (its file, or `file` if given, with the
    /// manifest's overrides), and checks that it is the one the run used: the same SHA-256
    /// of text and overrides, the same world and trade files. The error says why not.
    pub fn load(folder: &RunFolder, file: Option<&str>) -> Result<Context, String> {
        let m = &folder.manifest;
        let recorded = m
            .pointer("/scenario/file")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name = match file {
            Some(f) => f.to_owned(),
            None => recorded
                .strip_prefix("built-in ")
                .unwrap_or(recorded)
                .to_owned(),
        };
        let overrides: Vec<Override> = m
            .pointer("/scenario/overrides")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(Override::parse)
                    .collect::<Result<Vec<_>, String>>()
            })
            .transpose()?
            .unwrap_or_default();
        let scenario = scenario::load_with(&name, &overrides).map_err(|e| {
            let first = e.to_string().lines().next().unwrap_or_default().to_owned();
            format!(
                "the run's scenario could not be loaded ({first}); give its current path with --scenario"
            )
        })?;
        let same =
            |pointer: &str, ours: &str| m.pointer(pointer).and_then(Value::as_str) == Some(ours);
        if !same("/scenario/sha256", &scenario.sha256) {
            return Err(format!(
                "`{name}` is not the scenario of the run (its SHA-256 differs from the manifest's: edited since?)"
            ));
        }
        let w = &scenario.world;
        if !same("/world/nations_sha256", &w.nations_sha256)
            || !same("/world/trade_sha256", &w.trade_sha256)
        {
            return Err(format!(
                "the world or trade file of `{name}` has changed since the run"
            ));
        }
        let prepared = Prepared::new(&scenario);
        let counted: BTreeSet<&str> = scenario.body.blocs.iter().map(String::as_str).collect();
        Ok(Context {
            source: scenario.label.clone(),
            codes: w.nations.iter().map(|n| n.iso3.clone()).collect(),
            names: w.nations.iter().map(|n| n.name.clone()).collect(),
            blocs: w
                .nations
                .iter()
                .map(|n| {
                    n.blocs
                        .iter()
                        .filter(|b| counted.contains(b.as_str()))
                        .cloned()
                        .collect()
                })
                .collect(),
            network: prepared.network,
        })
    }
}

/// One state's row of `nations.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct StateRow {
    /// Tick.
    pub tick: u32,
    /// Date.
    pub date: String,
    /// Status at the end of the tick.
    pub status: Status,
    /// Why it could not join at the end of the tick (empty if it could).
    pub bars: Bars,
    /// Whether its `alignment` is a documented override.
    pub alignment_stale: bool,
    /// Whether it reviewed its position during the tick.
    pub reviewed: bool,
    /// `U_i`.
    pub utility: f64,
    /// `P(s >= partner)` it faced.
    pub p_partner: f64,
    /// `P(s >= member)` it faced.
    pub p_member: f64,
    /// Every term of `U_i`.
    pub terms: Terms,
}

/// What `nations.csv` tells about one state and everybody's statuses.
pub(crate) struct Nations {
    /// Codes by state index, in the file's order.
    pub codes: Vec<String>,
    /// Status of every state (by index) at the end of every tick.
    pub status: Vec<Vec<Status>>,
    /// The explained state's rows, by tick.
    pub rows: Vec<StateRow>,
}

/// The header row of a CSV table, to find its columns by name.
struct Columns(Vec<String>);

impl Columns {
    /// The index of column `name`, or an error naming the file and the missing column.
    fn find(&self, name: &str, path: &Path) -> Result<usize, AnalysisError> {
        self.0
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| malformed(path, Some(1), format!("no `{name}` column")))
    }
}

/// Reads the header row of the table at `path`.
fn header_columns<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    path: &Path,
) -> Result<Columns, AnalysisError> {
    Ok(Columns(
        reader
            .headers()
            .map_err(|e| malformed(path, Some(1), e.to_string()))?
            .iter()
            .map(str::to_owned)
            .collect(),
    ))
}

/// Reads `nations.csv`: every state's status at every tick, checked complete, and the
/// rows of the state `code`.
pub(crate) fn read_nations(path: &Path, code: &str) -> Result<Nations, AnalysisError> {
    let file = compress::open(path).map_err(|source| AnalysisError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::Reader::from_reader(file);
    let columns = header_columns(&mut reader, path)?;
    let col = |name: &str| columns.find(name, path);
    let c_tick = col("tick")?;
    let c_date = col("date")?;
    let c_iso3 = col("iso3")?;
    let c_status = col("status")?;
    let c_reviewed = col("reviewed")?;
    let c_utility = col("utility")?;
    let c_pp = col("p_partner")?;
    let c_pm = col("p_member")?;
    let c_ineligible = col("ineligible")?;
    let c_stale = col("alignment_stale")?;
    let mut c_terms = [0usize; TERMS];
    for (k, term) in Term::ALL.iter().enumerate() {
        c_terms[k] = col(term.column())?;
    }

    let mut codes: Vec<String> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut status: Vec<Vec<Option<Status>>> = Vec::new();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| malformed(path, e.position().map(|p| p.line()), e.to_string()))?;
        if !more {
            break;
        }
        let line = record.position().map(|p| p.line());
        let field = |c: usize| record.get(c).unwrap_or_default();
        let number = |c: usize| -> Result<f64, AnalysisError> {
            field(c).parse::<f64>().map_err(|_| {
                malformed(
                    path,
                    line,
                    format!(
                        "`{}` is not a number in column `{}`",
                        field(c),
                        columns.0[c]
                    ),
                )
            })
        };
        let tick: u32 = field(c_tick)
            .parse()
            .map_err(|_| malformed(path, line, format!("bad tick `{}`", field(c_tick))))?;
        let iso3 = field(c_iso3);
        let st = Status::parse(field(c_status))
            .ok_or_else(|| malformed(path, line, format!("bad status `{}`", field(c_status))))?;
        let t = tick as usize;
        if t == status.len() {
            if t > 0 && status[t - 1].iter().any(Option::is_none) {
                return Err(malformed(
                    path,
                    line,
                    format!("tick {} is incomplete", t - 1),
                ));
            }
            status.push(vec![None; codes.len()]);
        } else if t + 1 != status.len() {
            return Err(malformed(path, line, "rows are not in tick order"));
        }
        let i = match index.get(iso3) {
            Some(&i) => i,
            None if t == 0 => {
                index.insert(iso3.to_owned(), codes.len());
                codes.push(iso3.to_owned());
                status[0].push(None);
                codes.len() - 1
            }
            None => {
                return Err(malformed(
                    path,
                    line,
                    format!("state `{iso3}` has no row at tick 0"),
                ));
            }
        };
        if status[t][i].replace(st).is_some() {
            return Err(malformed(
                path,
                line,
                format!("two rows for `{iso3}` at tick {t}"),
            ));
        }
        if iso3 == code {
            let mut terms = [0.0; TERMS];
            for (k, &c) in c_terms.iter().enumerate() {
                terms[k] = number(c)?;
            }
            let bars = Bars::parse(field(c_ineligible)).ok_or_else(|| {
                malformed(
                    path,
                    line,
                    format!("bad `ineligible` value `{}`", field(c_ineligible)),
                )
            })?;
            rows.push(StateRow {
                tick,
                date: field(c_date).to_owned(),
                status: st,
                bars,
                alignment_stale: field(c_stale) == "1",
                reviewed: field(c_reviewed) == "1",
                utility: number(c_utility)?,
                p_partner: number(c_pp)?,
                p_member: number(c_pm)?,
                terms,
            });
        }
    }
    if status.is_empty() {
        return Err(malformed(path, None, "no rows"));
    }
    let mut complete = Vec::with_capacity(status.len());
    for (t, tick) in status.into_iter().enumerate() {
        let row: Option<Vec<Status>> = tick.into_iter().collect();
        complete.push(row.ok_or_else(|| malformed(path, None, format!("tick {t} is incomplete")))?);
    }
    Ok(Nations {
        codes,
        status: complete,
        rows,
    })
}

/// A row of `events.csv`, its cells as written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EventRecord {
    /// The tick during which it happened.
    pub tick: u32,
    /// The tick's date.
    pub date: String,
    /// An event kind, `revert`, `join`, `exit`, `upgrade`, `downgrade`, `tier_change` or
    /// `deal`.
    pub kind: String,
    /// The state concerned, or empty.
    pub iso3: String,
    /// Status or tier before.
    pub from: String,
    /// Status or tier after; for deals, the other party.
    pub to: String,
    /// The event's label, or the cause (`decision`, `China courtship`, ...).
    pub label: String,
    /// For scenario events, the date in the file (its `until` for a revert).
    pub scheduled: String,
}

/// Every row of `events.csv`, in file order.
pub(crate) fn read_events(path: &Path) -> Result<Vec<EventRecord>, AnalysisError> {
    let text = read_text(path)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let columns = header_columns(&mut reader, path)?;
    let col = |name: &str| columns.find(name, path);
    let c = [
        "tick",
        "date",
        "kind",
        "iso3",
        "from",
        "to",
        "label",
        "scheduled",
    ]
    .iter()
    .map(|name| col(name))
    .collect::<Result<Vec<usize>, AnalysisError>>()?;
    let mut out = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| malformed(path, e.position().map(|p| p.line()), e.to_string()))?;
        let line = record.position().map(|p| p.line());
        let field = |k: usize| record.get(c[k]).unwrap_or_default().to_owned();
        out.push(EventRecord {
            tick: field(0)
                .parse()
                .map_err(|_| malformed(path, line, format!("bad tick `{}`", field(0))))?,
            date: field(1),
            kind: field(2),
            iso3: field(3),
            from: field(4),
            to: field(5),
            label: field(6),
            scheduled: field(7),
        });
    }
    Ok(out)
}
