//! Scenarios: the TOML files users write, parsed strictly and validated into a
//! [`Scenario`] the simulation can run.
//!
//! `text --parse--> ScenarioFile --validate--> Scenario`. Errors at either step are a
//! [`ScenarioError`] naming the file, line and key, with a fix.

pub mod error;
pub mod events;
pub mod extends;
pub mod file;
pub mod locate;
pub mod overrides;
pub mod ranges;
pub mod validate;

use std::path::Path;
use std::sync::Arc;

pub use error::ScenarioError;
pub use events::{Action, Event};
pub use file::{Params, Policy, ScenarioFile, Stringency};
pub use overrides::Override;

use crate::model::Status;
use crate::time::{Calendar, Date, Every};
use crate::world::{WorldData, sha256_hex};

/// The built-in baseline scenario (also shipped as `scenarios/baseline.toml`).
pub const BASELINE: &str = include_str!("../../scenarios/baseline.toml");

/// Built-in scenarios by name: the baseline and the WAICO scenario library of
/// `scenarios/` (docs/SCENARIOS.md describes each), so `waico run uk-moment` works from any
/// folder. The library's files extend `baseline.toml`, which resolves to the built-in
/// baseline here.
pub const BUILTINS: &[(&str, &str)] = &[
    ("baseline", BASELINE),
    (
        "controls-tighten",
        include_str!("../../scenarios/controls-tighten.toml"),
    ),
    (
        "truce-holds",
        include_str!("../../scenarios/truce-holds.toml"),
    ),
    (
        "truce-expires",
        include_str!("../../scenarios/truce-expires.toml"),
    ),
    (
        "us-counter-offer",
        include_str!("../../scenarios/us-counter-offer.toml"),
    ),
    (
        "global-south-push",
        include_str!("../../scenarios/global-south-push.toml"),
    ),
    (
        "partner-tier-off",
        include_str!("../../scenarios/partner-tier-off.toml"),
    ),
    ("uk-moment", include_str!("../../scenarios/uk-moment.toml")),
];

/// A validated scenario, ready to run.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Name (the output folder).
    pub name: String,
    /// Free text.
    pub description: String,
    /// Tick dates.
    pub calendar: Calendar,
    /// The seed given in the file (the CLI may override it).
    pub seed: u64,
    /// The world after per-state overrides.
    pub world: Arc<WorldData>,
    /// Which peer network.
    pub network: NetworkKind,
    /// The body, host and opponent.
    pub body: Body,
    /// Model weights.
    pub params: Params,
    /// Initial lever levels.
    pub policy: Policy,
    /// Endogenous strategies.
    pub strategies: Strategies,
    /// Events, by date then file order.
    pub events: Vec<Event>,
    /// Territories admitted and states barred by the scenario.
    pub eligibility: crate::world::eligibility::Rules,
    /// The file as parsed, for the manifest.
    pub file: ScenarioFile,
    /// The file's label (path or `built-in baseline`).
    pub label: String,
    /// SHA-256 of the scenario text (and of the overrides, if any).
    pub sha256: String,
    /// Overrides applied on top of the file (`path=value`), in order.
    pub overrides: Vec<String>,
    /// What a user should know about the file that is not an error (`waico validate` and
    /// `waico run` print these).
    pub warnings: Vec<String>,
}

impl Scenario {
    /// The name of the scenario's output folder: its name, and for a scenario changed by
    /// `--set` overrides `+set-` and the first six hex digits of the overrides' SHA-256,
    /// so a run with overrides never shares a folder with the scenario without them.
    pub fn folder_name(&self) -> String {
        if self.overrides.is_empty() {
            return self.name.clone();
        }
        let hash = sha256_hex(self.overrides.join("\n").as_bytes());
        format!("{}+set-{}", self.name, &hash[..6])
    }
}

/// Which network carries peer exposure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkKind {
    /// The trade network.
    Trade,
    /// Every other state weighs the same.
    Global,
}

/// The body: its host, opponent and rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// Display name.
    pub name: String,
    /// The host's state index.
    pub host: u32,
    /// The opponent's state index.
    pub opponent: Option<u32>,
    /// Whether the opponent may join.
    pub opponent_may_join: bool,
    /// Founding deadline.
    pub founding_deadline: Option<Date>,
    /// Whether the partner tier exists.
    pub partner_tier: bool,
    /// Blocs counted for bloc exposure, sorted.
    pub blocs: Vec<String>,
    /// Initial statuses other than outside (host excluded), sorted by state.
    pub initial: Vec<(u32, Status)>,
}

/// The powers' endogenous strategies.
#[derive(Clone, Debug, PartialEq)]
pub struct Strategies {
    /// The US retaliation rule.
    pub retaliation: bool,
    /// China's courtship, if on.
    pub courtship: Option<Deals>,
    /// US counter-offers, if on.
    pub counter_offer: Option<Deals>,
}

/// A deal-signing strategy.
#[derive(Clone, Debug, PartialEq)]
pub struct Deals {
    /// Rhythm.
    pub every: Every,
    /// Deals per round.
    pub deals: u32,
    /// Whom it picks.
    pub target: Target,
    /// Trade share rise.
    pub share: f64,
    /// Trade row weight rise.
    pub weight: f64,
    /// Size of the utility clause.
    pub utility: f64,
    /// At most one deal per state per run.
    pub once_per_state: bool,
}

/// How a strategy picks its deal partners.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Highest utility still short of the member cut (China), or closest to joining (US).
    Swing,
    /// Largest GDP.
    Largest,
    /// Lowest AI capacity.
    GlobalSouth,
}

/// Parses and validates scenario text. `label` names it in errors; `base` is the folder
/// for relative world paths.
pub fn parse(label: &str, text: &str, base: Option<&Path>) -> Result<Scenario, ScenarioError> {
    parse_with(label, text, base, &[])
}

/// Parses scenario text, applies dotted-path overrides, and validates the result. Errors in
/// the file carry its lines; errors caused by an override name the override.
pub fn parse_with(
    label: &str,
    text: &str,
    base: Option<&Path>,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    let layered = extends::resolve(label, text, base)?;
    if layered.is_layered() {
        return parse_layered(label, &layered, base, overrides);
    }
    let file: ScenarioFile =
        toml::from_str(text).map_err(|e| locate::from_toml_error(label, text, &e))?;
    let file = if overrides.is_empty() {
        file
    } else {
        let mut table = layered.table;
        for o in overrides {
            overrides::apply(&mut table, label, o).map_err(|e| in_override(e, o))?;
        }
        toml::Value::Table(table)
            .try_into::<ScenarioFile>()
            .map_err(|e| blame_override(label, &e, overrides))?
    };
    let scenario = validate::validate(&file, label, base)
        .map_err(|e| blame_key(e, overrides, |e| locate_error(e, text)))?;
    Ok(stamp(scenario, text, overrides))
}

/// [`parse_with`] for a file that extends another: the merged table is written out as
/// TOML and read back, so every error has a key, which then points into the file of the
/// chain that writes it.
fn parse_layered(
    label: &str,
    layered: &extends::Layered,
    base: Option<&Path>,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    let mut table = layered.table.clone();
    for o in overrides {
        overrides::apply(&mut table, label, o).map_err(|e| in_override(e, o))?;
    }
    let merged = toml::to_string(&table)
        .map_err(|e| ScenarioError::new(label, format!("cannot merge the chain: {e}")))?;
    let file: ScenarioFile = toml::from_str(&merged).map_err(|e| {
        let e = locate::from_toml_error(label, &merged, &e);
        blame_key(e, overrides, |e| layered.relocate(e))
    })?;
    let mut scenario = validate::validate(&file, label, base)
        .map_err(|e| blame_key(e, overrides, |e| layered.relocate(e)))?;
    if !layered.top_writes("scenario.name") && !overrides.iter().any(|o| o.path == "scenario.name")
    {
        name_after_file(&mut scenario, label, layered);
    }
    Ok(stamp(scenario, &layered.hash_text(), overrides))
}

/// Names a scenario that extends another without a `[scenario] name` of its own after
/// its file (`my-what-if.toml` runs as `my-what-if`), so its runs never land in the
/// parent's folder, and records a warning that says so.
fn name_after_file(scenario: &mut Scenario, label: &str, layered: &extends::Layered) {
    let stem = Path::new(label)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let parent = layered
        .layers
        .len()
        .checked_sub(2)
        .map(|k| layered.layers[k].label.clone())
        .unwrap_or_default();
    if !validate::is_folder_name(&name)
        || validate::RESERVED_NAMES.contains(&name.as_str())
        || name == scenario.name
    {
        name = format!("{}-child", scenario.name);
    }
    scenario.warnings.push(format!(
        "{label} extends {parent} but sets no [scenario] name; it is named `{name}` after its file (add `[scenario] name = \"...\"` to choose)"
    ));
    scenario.name = name;
}

/// An error whose key an override set is the override's; any other goes to `locate`.
fn blame_key(
    e: ScenarioError,
    overrides: &[Override],
    locate: impl FnOnce(ScenarioError) -> ScenarioError,
) -> ScenarioError {
    // An override sets its key and everything under it (`events[10]` appends a whole
    // event, whose `events[10].value` is then the override's).
    let under = |key: &str, path: &str| {
        key == path
            || key
                .strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    match overrides
        .iter()
        .rev()
        .find(|o| e.key.as_deref().is_some_and(|k| under(k, &o.path)))
    {
        Some(o) => in_override(e, o),
        None => locate(e),
    }
}

/// Records the hash of the scenario's text (and overrides) and the overrides applied.
fn stamp(mut scenario: Scenario, text: &str, overrides: &[Override]) -> Scenario {
    let mut hashed = text.to_owned();
    for o in overrides {
        hashed.push_str(&format!("\n# --set {}={}", o.path, o.value));
    }
    scenario.sha256 = sha256_hex(hashed.as_bytes());
    scenario.overrides = overrides
        .iter()
        .map(|o| format!("{}={}", o.path, o.value))
        .collect();
    scenario
}

fn in_override(mut e: ScenarioError, o: &Override) -> ScenarioError {
    e.line = None;
    e.column = None;
    e.message = format!(
        "{} (set by `{}={}`)",
        e.message,
        o.path,
        overrides::show_value(&o.value)
    );
    e
}

/// An error from deserializing the overridden table: the override whose key the message
/// names (or the last one) is to blame.
fn blame_override(label: &str, err: &toml::de::Error, overrides: &[Override]) -> ScenarioError {
    let base = locate::from_toml_error(label, "", err);
    let culprit = overrides
        .iter()
        .rev()
        .find(|o| {
            let leaf = o.path.rsplit('.').next().unwrap_or(&o.path);
            err.message().contains(&format!("`{leaf}`"))
        })
        .or(overrides.last());
    match culprit {
        Some(o) => {
            let mut e = in_override(base, o);
            e.key = Some(o.path.clone());
            e
        }
        None => base,
    }
}

/// Adds line and column to an error that names a key of `text`.
pub fn locate_error(mut err: ScenarioError, text: &str) -> ScenarioError {
    if err.line.is_none()
        && let Some(span) = err.key.as_deref().and_then(|k| locate::span_of(text, k))
    {
        err = err.at_span(text, span);
    }
    err
}

/// Loads a scenario: a path to a TOML file, or the name of a built-in scenario.
pub fn load(name_or_path: &str) -> Result<Scenario, ScenarioError> {
    load_with(name_or_path, &[])
}

/// Loads a scenario and applies overrides.
pub fn load_with(name_or_path: &str, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
    let path = Path::new(name_or_path);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ScenarioError::new(name_or_path, format!("cannot read the file: {e}")))?;
        return parse_with(name_or_path, &text, path.parent(), overrides);
    }
    if let Some((_, text)) = BUILTINS.iter().find(|(n, _)| *n == name_or_path) {
        return parse_with(&format!("built-in {name_or_path}"), text, None, overrides);
    }
    let names: Vec<&str> = BUILTINS.iter().map(|b| b.0).collect();
    Err(
        ScenarioError::new(name_or_path, "no such scenario file or built-in scenario").help(
            format!(
                "give the path of a .toml file, or one of the built-in scenarios: {}",
                names.join(", ")
            ),
        ),
    )
}
