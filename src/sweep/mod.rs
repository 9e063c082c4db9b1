//! Sweeps: many seeded runs over a design of scenario variations, run in parallel,
//! streamed to disk in run order, resumable, shardable across machines.
//!
//! `sweep file --parse--> SweepFile --validate--> Sweep (base scenario, design, seeds)
//!   --execute: blocks of runs, rayon, one Runner per thread--> runs.csv, series.csv,
//!   summary.csv (+ partial.csv in a shard) --merge--> the unsharded files`.
//!
//! Run `r` of a sweep with `R` replicates is replicate `r % R` of design point `r / R`;
//! every file is ordered by run (or point), never by completion.

pub mod charts;
pub mod check;
pub mod design;
pub mod error;
pub mod execute;
pub mod file;
pub mod lock;
pub mod manifest;
pub mod merge;
pub mod report;
pub mod shard;
pub mod states;
pub mod stats;
pub mod tables;
pub mod tally;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use design::Design;
use file::{ChartsSection, SweepFile};
use rayon::prelude::*;

use crate::scenario::error::did_you_mean;
use crate::scenario::overrides::{self, Override};
use crate::scenario::{self, Scenario, ScenarioError, ScenarioFile, locate};
use crate::sim::rng::splitmix64;
use crate::time::Date;
use crate::world::{WorldData, sha256_hex, sha256_hex_of};

/// Whether `path` is a sweep file (a TOML file with a `[sweep]` table) rather than a
/// scenario; `false` for anything that cannot be read or parsed.
pub fn is_sweep_file(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|table| table.contains_key("sweep"))
}

/// How replicate seeds are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seeds {
    /// Replicate `r` uses seed `seed + r` at every design point (common random numbers).
    Common,
    /// Every run has its own seed, mixed from (seed, point, replicate) by SplitMix64.
    Independent,
}

/// A validated sweep.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// Name (the output folder).
    pub name: String,
    /// Free text.
    pub description: String,
    /// The sweep file's label, as named by the user.
    pub label: String,
    /// The sweep file's text.
    pub text: String,
    /// SHA-256 of the sweep file and of the base scenario's text.
    pub sha256: String,
    /// The base scenario.
    pub base: Base,
    /// The design points.
    pub design: Design,
    /// Runs per point.
    pub replicates: u32,
    /// Base seed.
    pub seed: u64,
    /// Seed rule.
    pub seeds: Seeds,
    /// Whether `series.csv` is written.
    pub series: bool,
    /// Whether `summary.csv` (and, in a shard, `partial.csv`) is written; never for an
    /// ensemble.
    pub summary: bool,
    /// Dates at which each run's members and member GDP share go into `runs.csv`.
    pub outcomes_at: Vec<Date>,
    /// Whether `states.csv` is written: one row per design point and state
    /// ([`states`]); always for an ensemble.
    pub states: bool,
    /// For an ensemble (`waico run --seeds`), what its manifest records beyond a sweep's;
    /// `None` for a sweep. An ensemble has one design point, writes no `summary.csv`, and
    /// takes its per-tick statistics from the tally (`timeseries.csv`), in memory that does
    /// not grow with the number of runs.
    pub ensemble: Option<serde_json::Value>,
    /// Chart choices.
    pub charts: ChartsSection,
    /// Overrides laid over the base scenario from the command line (`path=value`).
    pub overrides: Vec<String>,
}

/// The base scenario of a sweep: its text and parsed image, and its world, loaded once.
#[derive(Clone, Debug)]
pub struct Base {
    /// Where it came from.
    pub label: String,
    /// The scenario's text.
    pub text: String,
    /// The folder its relative paths start from.
    pub dir: Option<PathBuf>,
    /// The text as a TOML table, to apply each point's values to ([`Base::table`]).
    table: toml::Table,
    /// The world, shared by every point that does not change it.
    pub world: Arc<WorldData>,
    /// The table validated as it stands, with the world it was validated in: worked out
    /// when first needed (for the points that change only numbers, see
    /// [`Base::scenario`]), forgotten whenever the table changes, and passed over once the
    /// world is replaced.
    validated: OnceLock<Option<(Arc<WorldData>, Scenario)>>,
}

impl Base {
    /// Loads the base scenario `name`: a file (relative to `dir`, the sweep file's folder)
    /// or a built-in scenario. `label` and `key` name the file and key that chose it, for
    /// errors. The base must be valid on its own; its errors point into its own file.
    pub fn load(
        name: &str,
        label: &str,
        key: &str,
        dir: Option<&Path>,
    ) -> Result<Base, ScenarioError> {
        load_base(name, label, key, dir)
    }

    /// The base scenario as a TOML table.
    pub fn table(&self) -> &toml::Table {
        &self.table
    }

    /// The base scenario's table, to change (what was worked out from it is forgotten).
    pub fn table_mut(&mut self) -> &mut toml::Table {
        self.validated = OnceLock::new();
        &mut self.table
    }

    /// The validated base scenario with `overrides` applied (the world is reloaded only
    /// when an override changes it).
    pub fn scenario(&self, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
        match self.numbers_only(overrides) {
            Some(scenario) => Ok(self.stamp(scenario, overrides)),
            None => self.validate(overrides),
        }
    }

    /// The point's scenario when `overrides` change only `[params]`, `[policy]` and
    /// `[strategies]` (as most designs do): the base, validated once, with those sections
    /// read and checked again. Nothing else in a scenario depends on them, so it is the
    /// scenario [`Base::validate`] gives (a test compares the two). `None` when an
    /// override reaches another section or anything fails: the full path then gives the
    /// error.
    fn numbers_only(&self, overrides: &[Override]) -> Option<Scenario> {
        const SECTIONS: [&str; 3] = ["params", "policy", "strategies"];
        let inside = |o: &Override| {
            SECTIONS.iter().any(|s| {
                o.path
                    .strip_prefix(s)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
        };
        if overrides.is_empty() || !overrides.iter().all(inside) {
            return None;
        }
        let (world, base) = self
            .validated
            .get_or_init(|| Some((self.world.clone(), self.validate(&[]).ok()?)))
            .as_ref()?;
        if !Arc::ptr_eq(world, &self.world) {
            return None;
        }
        let mut table = toml::Table::new();
        for section in SECTIONS {
            if let Some(value) = self.table.get(section) {
                table.insert(section.to_owned(), value.clone());
            }
        }
        for o in overrides {
            overrides::apply(&mut table, &self.label, o).ok()?;
        }
        fn read<T: Default + serde::de::DeserializeOwned>(
            table: &toml::Table,
            name: &str,
        ) -> Option<T> {
            table
                .get(name)
                .map_or(Ok(T::default()), |v| v.clone().try_into())
                .ok()
        }
        let mut file = base.file.clone();
        file.params = read(&table, "params")?;
        file.policy = read(&table, "policy")?;
        file.strategies = read(&table, "strategies")?;
        let (params, policy, strategies) =
            scenario::validate::validate_numbers(&file, &self.label, &base.world).ok()?;
        Some(Scenario {
            params,
            policy,
            strategies,
            file,
            ..base.clone()
        })
    }

    /// The scenario of the table with `overrides` applied, read and validated whole.
    fn validate(&self, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
        let mut table = self.table.clone();
        for o in overrides {
            overrides::apply(&mut table, &self.label, o)?;
        }
        let file: ScenarioFile = toml::Value::Table(table)
            .try_into()
            .map_err(|e| locate::from_toml_error(&self.label, "", &e))?;
        let changes_world = overrides
            .iter()
            .any(|o| o.path.starts_with("scenario.world") || o.path.starts_with("scenario.trade"));
        let s = if changes_world {
            scenario::validate::validate(&file, &self.label, self.dir.as_deref())
        } else {
            scenario::validate::validate_with_world(&file, &self.label, self.world.clone())
        }?;
        Ok(self.stamp(s, overrides))
    }

    /// `s` with the hash of the text and `overrides` it was made from, and the overrides.
    fn stamp(&self, mut s: Scenario, overrides: &[Override]) -> Scenario {
        // The text with a line for each override, hashed without copying the text.
        let lines: Vec<String> = overrides
            .iter()
            .map(|o| format!("\n# --set {}={}", o.path, o.value))
            .collect();
        let parts = std::iter::once(self.text.as_bytes()).chain(lines.iter().map(|l| l.as_bytes()));
        s.sha256 = sha256_hex_of(parts);
        s.overrides = overrides
            .iter()
            .map(|o| format!("{}={}", o.path, o.value))
            .collect();
        s
    }
}

impl Base {
    /// The base with `overrides` laid over it (`waico sweep --set`), checked; the text
    /// (hashed, and kept in the manifest) records them.
    pub fn with_overrides(mut self, overrides: &[Override]) -> Result<Base, ScenarioError> {
        for o in overrides {
            let label = self.label.clone();
            overrides::apply(self.table_mut(), &label, o)?;
            self.text
                .push_str(&format!("\n# --set {}={}", o.path, o.value));
        }
        if !overrides.is_empty() {
            self.scenario(&[]).map_err(|mut e| {
                e.message = format!("with the overrides: {}", e.message);
                e
            })?;
        }
        Ok(self)
    }
}

impl Sweep {
    /// The name of the sweep's output folder: its name, and with `--set` overrides
    /// `+set-` and six hex digits of their SHA-256.
    pub fn folder_name(&self) -> String {
        if self.overrides.is_empty() {
            return self.name.clone();
        }
        let hash = sha256_hex(self.overrides.join("\n").as_bytes());
        format!("{}+set-{}", self.name, &hash[..6])
    }

    /// Number of design points.
    pub fn points(&self) -> u64 {
        self.design.points.len() as u64
    }

    /// Total number of runs.
    pub fn runs(&self) -> u64 {
        self.points() * u64::from(self.replicates)
    }

    /// The design point and replicate of run `run`.
    pub fn locate_run(&self, run: u64) -> (u64, u32) {
        let r = u64::from(self.replicates);
        (run / r, (run % r) as u32)
    }

    /// The seed of replicate `replicate` at point `point`.
    pub fn seed_for(&self, point: u64, replicate: u32) -> u64 {
        match self.seeds {
            Seeds::Common => self.seed.wrapping_add(u64::from(replicate)),
            Seeds::Independent => {
                let mut state = self.seed ^ point.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                state = splitmix64(&mut state) ^ u64::from(replicate);
                splitmix64(&mut state)
            }
        }
    }

    /// The formula of [`Sweep::seed_for`], in words, for the manifest.
    pub fn seed_formula(&self) -> String {
        match self.seeds {
            Seeds::Common => format!("seed = {} + replicate (the same at every point)", self.seed),
            Seeds::Independent => format!(
                "seed = splitmix64(splitmix64({} xor point * 0x9E3779B97F4A7C15) xor replicate)",
                self.seed
            ),
        }
    }

    /// The overrides that make point `point`.
    pub fn overrides(&self, point: u64) -> Vec<Override> {
        self.design
            .paths
            .iter()
            .zip(&self.design.points[point as usize])
            .map(|(path, value)| Override {
                path: path.clone(),
                value: value.clone(),
            })
            .collect()
    }

    /// The validated scenario of design point `point`.
    pub fn scenario(&self, point: u64) -> Result<Scenario, ScenarioError> {
        self.base
            .scenario(&self.overrides(point))
            .map_err(|e| self.in_point(point, e))
    }

    fn in_point(&self, point: u64, mut e: ScenarioError) -> ScenarioError {
        let values: Vec<String> = self
            .overrides(point)
            .iter()
            .map(|o| format!("{} = {}", o.path, overrides::show_value(&o.value)))
            .collect();
        e.file = self.label.clone();
        e.line = None;
        e.column = None;
        e.message = format!(
            "design point {point} ({}): {}",
            values.join(", "),
            e.message
        );
        e
    }

    /// The `runs.csv` column of a varied path.
    pub fn param_column(path: &str) -> String {
        format!("param_{path}")
    }
}

/// Loads a sweep file.
pub fn load(path: &Path) -> Result<Sweep, ScenarioError> {
    load_with(path, &[])
}

/// Loads a sweep file and lays `overrides` over its base scenario.
pub fn load_with(path: &Path, overrides: &[Override]) -> Result<Sweep, ScenarioError> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::new(&label, format!("cannot read the file: {e}")))?;
    parse_with(&label, &text, path.parent(), overrides)
}

/// Parses and validates sweep text; `base` is the folder relative paths start from.
pub fn parse(label: &str, text: &str, base: Option<&Path>) -> Result<Sweep, ScenarioError> {
    parse_with(label, text, base, &[])
}

/// [`parse`] with `overrides` laid over the base scenario.
pub fn parse_with(
    label: &str,
    text: &str,
    base: Option<&Path>,
    overrides: &[Override],
) -> Result<Sweep, ScenarioError> {
    let file: SweepFile =
        toml::from_str(text).map_err(|e| locate::from_toml_error(label, text, &e))?;
    validate(&file, label, text, base, overrides).map_err(|e| scenario::locate_error(e, text))
}

fn validate(
    file: &SweepFile,
    label: &str,
    text: &str,
    dir: Option<&Path>,
    overrides: &[Override],
) -> Result<Sweep, ScenarioError> {
    let s = &file.sweep;
    let err = |key: &str, msg: String| ScenarioError::new(label, msg).key(key);
    if !scenario::validate::is_folder_name(&s.name) {
        return Err(err(
            "sweep.name",
            format!(
                "`{}` cannot name an output folder",
                scenario::validate::shorten(&s.name)
            ),
        )
        .help(format!(
            "use at most {} letters, digits, `-`, `_` and `.`",
            scenario::validate::MAX_NAME
        )));
    }
    if s.replicates == 0 {
        return Err(err(
            "sweep.replicates",
            "a sweep needs at least one replicate".into(),
        )
        .help("write replicates = 1 or more"));
    }
    let (series, states) = keep(s, label)?;
    let seeds = match s.seeds.as_str() {
        "common" => Seeds::Common,
        "independent" => Seeds::Independent,
        other => {
            return Err(err("sweep.seeds", format!("unknown seed rule `{other}`"))
                .maybe_help(did_you_mean(other, ["common", "independent"])));
        }
    };
    let base = load_base(&s.scenario, label, "sweep.scenario", dir)?.with_overrides(overrides)?;
    let design = design::build(&file.design, label, dir)?;
    if design.points.len() as u64 * u64::from(s.replicates) > 1_000_000_000 {
        return Err(err(
            "sweep.replicates",
            "the sweep has more than a billion runs".into(),
        )
        .help("use fewer points or replicates"));
    }
    let sweep = Sweep {
        name: s.name.clone(),
        description: s.description.clone(),
        label: label.to_owned(),
        text: text.to_owned(),
        sha256: sha256_hex(format!("{text}\n{}", base.text).as_bytes()),
        base,
        design,
        replicates: s.replicates,
        seed: s.seed,
        seeds,
        series,
        summary: s.summary,
        outcomes_at: Vec::new(),
        states,
        ensemble: None,
        charts: file.charts.clone(),
        overrides: overrides
            .iter()
            .map(|o| format!("{}={}", o.path, o.value))
            .collect(),
    };
    for (k, path) in sweep.design.paths.iter().enumerate() {
        if locate::parse_path(path).is_none() {
            return Err(err(
                &format!("design.param[{k}].path"),
                format!("`{path}` is not a key path"),
            )
            .help("write e.g. params.beta_peer or events[2].stringency"));
        }
    }
    // Every point must make a valid scenario: find out now, not after hours of running.
    // Points are checked in parallel; the first invalid one (in point order) is reported.
    let first_error = (0..sweep.points())
        .into_par_iter()
        .map(|point| sweep.scenario(point).err())
        .find_first(Option::is_some)
        .flatten();
    if let Some(e) = first_error {
        return Err(e);
    }
    let sweep = Sweep {
        outcomes_at: outcome_dates(&s.outcomes_at, &sweep, label)?,
        ..sweep
    };
    for (key, value) in [("charts.x", &file.charts.x), ("charts.y", &file.charts.y)] {
        if let Some(path) = value
            && !sweep.design.paths.contains(path)
        {
            return Err(
                err(key, format!("`{path}` is not a varied path")).maybe_help(did_you_mean(
                    path,
                    sweep.design.paths.iter().map(String::as_str),
                )),
            );
        }
    }
    if let Some(outcome) = &file.charts.outcome
        && !report::CHART_OUTCOMES.contains(&outcome.as_str())
    {
        return Err(
            err("charts.outcome", format!("unknown outcome `{outcome}`"))
                .maybe_help(did_you_mean(outcome, report::CHART_OUTCOMES)),
        );
    }
    Ok(sweep)
}

/// The dates of `[sweep] outcomes_at`: each within the run of every design point (from
/// its start to its last tick's period), in increasing order, none twice.
fn outcome_dates(
    values: &[toml::Value],
    sweep: &Sweep,
    label: &str,
) -> Result<Vec<Date>, ScenarioError> {
    let mut dates = Vec::new();
    for (k, value) in values.iter().enumerate() {
        let key = format!("sweep.outcomes_at[{k}]");
        let text = match value {
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            toml::Value::String(s) => s.clone(),
            other => {
                return Err(
                    ScenarioError::new(label, format!("expected a date, found `{other}`"))
                        .key(key)
                        .help("write dates as YYYY-MM-DD, e.g. outcomes_at = [2028-12-31]"),
                );
            }
        };
        let date = Date::parse(&text).map_err(|msg| {
            ScenarioError::new(label, msg)
                .key(key.clone())
                .help("write dates as YYYY-MM-DD, e.g. outcomes_at = [2028-12-31]")
        })?;
        if dates.last().is_some_and(|&d| d >= date) {
            return Err(ScenarioError::new(
                label,
                format!("{date} is not after the date before it"),
            )
            .key(key)
            .help("list the dates once each, in increasing order"));
        }
        dates.push(date);
    }
    if let Some(&last) = dates.last() {
        let first = dates[0];
        for point in 0..sweep.points() {
            let cal = sweep.scenario(point)?.calendar;
            let end = cal.unit().advance(cal.last_date(), 1);
            if first < cal.start() || last >= end {
                let bad = if first < cal.start() { first } else { last };
                return Err(ScenarioError::new(
                    label,
                    format!(
                        "{bad} falls outside the run of design point {point}, whose ticks cover {} to {}",
                        cal.start(),
                        cal.last_date()
                    ),
                )
                .key("sweep.outcomes_at")
                .help("give dates within the scenario's run"));
            }
            if sweep
                .design
                .paths
                .iter()
                .all(|p| !p.starts_with("scenario."))
            {
                break; // every point shares the base scenario's calendar
            }
        }
    }
    Ok(dates)
}

/// The tables kept, `(series, states)`: `keep = [...]` lists them; without it, `series`
/// (default true) says whether series are kept, and states are not.
fn keep(s: &file::SweepSection, label: &str) -> Result<(bool, bool), ScenarioError> {
    let Some(keep) = &s.keep else {
        return Ok((s.series.unwrap_or(true), false));
    };
    let err = |msg: String| ScenarioError::new(label, msg).key("sweep.keep");
    if s.series.is_some() {
        return Err(ScenarioError::new(
            label,
            "`series` and `keep` both say whether series are kept".to_owned(),
        )
        .key("sweep.series")
        .help("remove `series` and list \"series\" in `keep` to keep them"));
    }
    for table in keep {
        if !file::KEEPABLE.contains(&table.as_str()) {
            return Err(err(format!("`{table}` is not a table a sweep can keep"))
                .maybe_help(did_you_mean(table, file::KEEPABLE)));
        }
    }
    let has = |t: &str| keep.iter().any(|k| k == t);
    Ok((has("series"), has("states")))
}

fn load_base(
    name: &str,
    label: &str,
    key: &str,
    dir: Option<&Path>,
) -> Result<Base, ScenarioError> {
    let path = dir.map_or_else(|| PathBuf::from(name), |d| d.join(name));
    let (base_label, text, base_dir) = if path.is_file() {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            ScenarioError::new(label, format!("cannot read `{}`: {e}", path.display())).key(key)
        })?;
        (
            path.display().to_string(),
            text,
            path.parent().map(Path::to_path_buf),
        )
    } else if let Some((_, text)) = scenario::BUILTINS.iter().find(|(n, _)| *n == name) {
        (format!("built-in {name}"), (*text).to_owned(), None)
    } else {
        let names: Vec<&str> = scenario::BUILTINS.iter().map(|b| b.0).collect();
        return Err(ScenarioError::new(
            label,
            format!("`{name}` is neither a scenario file nor a built-in scenario"),
        )
        .key(key)
        .help(format!(
            "give a path relative to the sweep file, or one of: {}",
            names.join(", ")
        )));
    };
    // The base must be valid on its own; its errors point into its own file.
    let scenario = scenario::parse(&base_label, &text, base_dir.as_deref())?;
    // A base that extends another is its merged chain; its hash covers every file.
    let layered = scenario::extends::resolve(&base_label, &text, base_dir.as_deref())?;
    Ok(Base {
        label: base_label,
        text: layered.hash_text(),
        table: layered.table,
        dir: base_dir,
        world: scenario.world.clone(),
        validated: OnceLock::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(texts: &[&str]) -> Vec<Override> {
        texts.iter().map(|t| Override::parse(t).unwrap()).collect()
    }

    #[test]
    fn a_point_that_changes_only_numbers_gets_the_scenario_validated_whole() {
        // A base with per-state overrides, an affinity table and strategies of its own.
        let baseline = scenario::BUILTINS.iter().find(|(n, _)| *n == "baseline");
        let text = format!(
            "{}\n[params.affinity]\nAfrica = 0.3\n[states.JPN]\nbias = -0.5\n",
            baseline.unwrap().1.replace(
                "[strategies.counter_offer]\nenabled = false",
                "[strategies.counter_offer]\nenabled = true"
            )
        );
        assert!(text.contains("counter_offer]\nenabled = true"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("base.toml");
        std::fs::write(&path, &text).unwrap();
        let base = Base::load(
            "base.toml",
            "sweep.toml",
            "sweep.scenario",
            Some(dir.path()),
        )
        .unwrap();
        let cases: [&[&str]; 6] = [
            &["params.beta_peer=0.4"],
            &[
                "params.beta_peer=0.4",
                "policy.stringency.tier2=0.7",
                "policy.offer=2.0",
            ],
            &["params.affinity.Africa=0.9", "params.tau=0.5"],
            &[
                "strategies.courtship.utility=0.2",
                "strategies.counter_offer.deals=3",
            ],
            &["strategies.courtship.enabled=false", "params.inertia=0.1"],
            &["params.beta_peer=0.4", "params.beta_peer=0.6"],
        ];
        for case in cases {
            let o = overrides(case);
            let fast = base
                .numbers_only(&o)
                .expect("the numbers-only path is taken");
            let whole = base.validate(&o).unwrap();
            assert_eq!(
                format!("{:?}", base.stamp(fast, &o)),
                format!("{:?}", whole),
                "{case:?}"
            );
        }
        // Overrides past the three sections, or values the checks refuse, take the full
        // path (which names the error).
        for case in [
            &["body.partner_tier=false"][..],
            &["params.beta_peer=0.4", "scenario.end=2028-12-31"],
            &["params.tau=-1"],
            &["params.affinity.Atlantis=1.0"],
            &["strategies.courtship.target=\"nearest\""],
            &["params.beta_pear=1.0"],
        ] {
            let o = overrides(case);
            assert!(base.numbers_only(&o).is_none(), "{case:?}");
        }
        assert!(base.scenario(&overrides(&["params.tau=-1"])).is_err());
    }
}
