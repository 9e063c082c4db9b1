//! The serde image of a sweep file: a base scenario, a design over dotted scenario paths,
//! replicates and what to keep. Strict like scenario files; [`super::parse`] turns it
//! into a [`super::Sweep`].

use serde::{Deserialize, Serialize};

/// A whole sweep file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// `[sweep]`: name, base scenario, replicates, seeds, outputs.
    pub sweep: SweepSection,
    /// `[design]`: which scenario keys vary, and how (none: one point, the base scenario).
    #[serde(default)]
    pub design: DesignSection,
    /// `[charts]`: which outcome and parameters the summary charts show.
    #[serde(default)]
    pub charts: ChartsSection,
}

/// `[sweep]`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SweepSection {
    /// Short name, for the output folder.
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The base scenario: a path relative to the sweep file, or a built-in name.
    pub scenario: String,
    /// Runs per design point.
    pub replicates: u32,
    /// Base seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// `common` (the same seeds at every point) or `independent`.
    #[serde(default = "default_seeds")]
    pub seeds: String,
    /// Whether to write the per-tick `series.csv` (default true); not with `keep`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<bool>,
    /// The optional tables to write, from [`KEEPABLE`] (replaces `series`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep: Option<Vec<String>>,
    /// Whether to write the per-point, per-tick `summary.csv` (and its fan charts).
    #[serde(default = "default_true")]
    pub summary: bool,
    /// Dates at which every run's members and member GDP share are kept as extra
    /// `runs.csv` columns (`members@DATE`, `gdp_share@DATE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes_at: Vec<toml::Value>,
}

/// The tables `keep` may list: `series` (one row per run and tick) and `states` (one row
/// per design point and state).
pub const KEEPABLE: [&str; 2] = ["series", "states"];

fn default_seed() -> u64 {
    1
}
fn default_true() -> bool {
    true
}
fn default_seeds() -> String {
    "common".into()
}

/// `[design]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DesignSection {
    /// `grid`, `zip`, `lhs`, `sobol`, `morris` or `table`; empty (no `[design]`) for the
    /// base scenario alone.
    #[serde(default)]
    pub kind: String,
    /// Number of points (`lhs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<u32>,
    /// Base samples `N` (`sobol`): the design has `N (k + 2)` points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// Whether to add the points for second-order indices (`sobol`): `N (2k + 2)` points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_order: Option<bool>,
    /// Trajectories `r` (`morris`): the design has `r (k + 1)` points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectories: Option<u32>,
    /// Grid levels `p` (`morris`, default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<u32>,
    /// Trajectories drawn before keeping the `r` most spread (`morris`; none by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<u32>,
    /// Seed of the sampling (`lhs`, `sobol`, `morris`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// A CSV of points whose header names the paths (`table`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The varied keys (`grid`, `zip`, `lhs`).
    #[serde(default, rename = "param", skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamEntry>,
}

/// One `[[design.param]]`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParamEntry {
    /// Dotted scenario path, e.g. `params.beta_peer`.
    pub path: String,
    /// Listed values (`grid`, `zip`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<toml::Value>>,
    /// `start:stop:step`, both ends included (`grid`, `zip`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    /// Lower bound (`lhs`, `sobol`, `morris`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Upper bound (`lhs`, `sobol`, `morris`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Whether values spread evenly on a log scale (a positive range; `lhs`, `sobol`,
    /// `morris`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<bool>,
}

/// `[charts]`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChartsSection {
    /// The outcome of the heatmap and response charts (a column of `runs.csv`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The varied path on the x axis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// The varied path on the y axis of the heatmap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}
