//! Designs: the list of points a sweep runs, each a value for every varied scenario path.
//!
//! - `grid`: the full factorial of each path's values (the first path varies slowest);
//! - `zip`: the paths' value lists taken together, point `k` from entry `k` of each;
//! - `lhs`: a Latin hypercube of `points` points over each path's `[min, max]`, drawn with
//!   ChaCha8 from the design's seed (one stratum per point on every axis);
//! - `sobol`: the Saltelli design of `n` base samples on a scrambled Sobol' sequence over
//!   each path's `[min, max]`, for Sobol' indices ([`crate::explore::saltelli`]);
//! - `morris`: `trajectories` Morris trajectories on `levels` levels over each path's
//!   `[min, max]`, for elementary effects ([`crate::explore::morris`]);
//! - `table`: the rows of a CSV whose header names the paths (designs made elsewhere);
//! - no `[design]`: one point, the base scenario itself (replicates only).
//!
//! Sampled designs (`lhs`, `sobol`, `morris`) may spread a positive range on a log scale
//! (`log = true`); their values are rounded to 6 significant digits, so the files stay
//! readable and a value depends only on its position in the unit range.

use std::path::Path;

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::file::{DesignSection, ParamEntry};
use crate::explore::morris::Morris;
use crate::explore::saltelli::{self, Saltelli};
use crate::explore::{Factor, round_significant};
use crate::scenario::ScenarioError;
use crate::scenario::error::did_you_mean;
use crate::scenario::overrides::parse_value;

/// The most points a design may have.
pub const MAX_POINTS: usize = 1_000_000;

/// Significant digits of sampled design values.
pub const DIGITS: usize = 6;

/// The design kinds a sweep file may name.
pub const KINDS: [&str; 6] = ["grid", "zip", "lhs", "sobol", "morris", "table"];

/// How the points of a design were laid out, for the analyses that depend on it.
#[derive(Clone, Debug, PartialEq)]
pub enum Structure {
    /// Points with no order an estimator relies on (grid, zip, lhs, table, none).
    Plain,
    /// A Saltelli design: base samples of `k + 2` (or `2k + 2`) points.
    Sobol(Saltelli),
    /// Morris trajectories of `k + 1` points.
    Morris(Morris),
}

/// The points of a design.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// `grid`, `zip`, `lhs`, `sobol`, `morris`, `table` or `none`.
    pub kind: String,
    /// The varied paths, in file order.
    pub paths: Vec<String>,
    /// One value per path for every point.
    pub points: Vec<Vec<toml::Value>>,
    /// The ranges sampled (`lhs`, `sobol`, `morris`; empty otherwise).
    pub factors: Vec<Factor>,
    /// The layout estimators rely on.
    pub structure: Structure,
    /// The sampling seed (`lhs`, `sobol`, `morris`).
    pub seed: Option<u64>,
    /// Things the user should know about the design (e.g. a base size that is not a
    /// power of two).
    pub notes: Vec<String>,
}

impl Design {
    /// A design that only lists its points: no sampled ranges, no layout, no seed.
    pub fn plain(kind: &str, paths: Vec<String>, points: Vec<Vec<toml::Value>>) -> Design {
        Design {
            kind: kind.to_owned(),
            paths,
            points,
            factors: Vec::new(),
            structure: Structure::Plain,
            seed: None,
            notes: Vec::new(),
        }
    }
}

fn err(file: &str, key: &str, msg: String) -> ScenarioError {
    ScenarioError::new(file, msg).key(key)
}

/// Fails if any key of `keys` that `kind` does not use is present.
fn unused(file: &str, kind: &str, keys: &[(&str, bool)]) -> Result<(), ScenarioError> {
    match keys.iter().find(|(_, present)| *present) {
        Some((key, _)) => Err(err(
            file,
            &format!("design.{key}"),
            format!("a `{kind}` design does not use `{key}`"),
        )
        .help("remove it")),
        None => Ok(()),
    }
}

/// Builds the design of `[design]`; `file` names the sweep file in errors and `base` is
/// the folder a table's path starts from.
pub fn build(d: &DesignSection, file: &str, base: Option<&Path>) -> Result<Design, ScenarioError> {
    let design = match d.kind.as_str() {
        "" if d.params.is_empty() && d.file.is_none() && d.points.is_none() => {
            Design::plain("none", Vec::new(), vec![Vec::new()])
        }
        "grid" | "zip" => grid_or_zip(d, file)?,
        "lhs" => lhs(d, file)?,
        "sobol" => sobol(d, file)?,
        "morris" => morris(d, file)?,
        "table" => {
            unused(
                file,
                "table",
                &[("points", d.points.is_some()), ("seed", d.seed.is_some())],
            )?;
            sampling_keys_unused(d, file, "table")?;
            if !d.params.is_empty() {
                return Err(err(
                    file,
                    "design.param",
                    "a table design takes its paths from the CSV header".into(),
                )
                .help("remove the [[design.param]] entries"));
            }
            let Some(path) = &d.file else {
                return Err(err(file, "design", "a table design needs `file`".into())
                    .help("add file = \"points.csv\""));
            };
            read_table(path, file, base)?
        }
        other => {
            return Err(
                err(file, "design.kind", format!("unknown design `{other}`"))
                    .maybe_help(did_you_mean(other, KINDS)),
            );
        }
    };
    let mut seen = std::collections::BTreeSet::new();
    for (k, path) in design.paths.iter().enumerate() {
        if !seen.insert(path) {
            return Err(err(
                file,
                &format!("design.param[{k}].path"),
                format!("`{path}` is varied twice"),
            )
            .help("vary each path once"));
        }
    }
    Ok(design)
}

/// Fails if a Sobol' or Morris key is given to a design of another kind.
fn sampling_keys_unused(d: &DesignSection, file: &str, kind: &str) -> Result<(), ScenarioError> {
    let sobol = kind == "sobol";
    let morris = kind == "morris";
    unused(
        file,
        kind,
        &[
            ("n", d.n.is_some() && !sobol),
            ("second_order", d.second_order.is_some() && !sobol),
            ("trajectories", d.trajectories.is_some() && !morris),
            ("levels", d.levels.is_some() && !morris),
            ("candidates", d.candidates.is_some() && !morris),
        ],
    )
}

fn grid_or_zip(d: &DesignSection, file: &str) -> Result<Design, ScenarioError> {
    unused(
        file,
        &d.kind,
        &[
            ("points", d.points.is_some()),
            ("seed", d.seed.is_some()),
            ("file", d.file.is_some()),
        ],
    )?;
    sampling_keys_unused(d, file, &d.kind)?;
    let lists = listed_values(&d.params, file, &d.kind)?;
    let points = if d.kind == "grid" {
        let count = lists
            .iter()
            .try_fold(1usize, |acc, l| acc.checked_mul(l.len()));
        if count.is_none_or(|c| c > MAX_POINTS) {
            return Err(err(
                file,
                "design",
                "the grid has more than 1,000,000 points".into(),
            )
            .help("use fewer values, or an `lhs` design"));
        }
        product(&lists)
    } else {
        let n = lists[0].len();
        if let Some(k) = lists.iter().position(|l| l.len() != n) {
            return Err(err(
                file,
                &format!("design.param[{k}]"),
                format!(
                    "a zip needs lists of equal length: {} values here, {n} in the first",
                    lists[k].len()
                ),
            )
            .help("give every path the same number of values"));
        }
        (0..n)
            .map(|i| lists.iter().map(|l| l[i].clone()).collect())
            .collect()
    };
    Ok(Design::plain(
        &d.kind,
        d.params.iter().map(|p| p.path.clone()).collect(),
        points,
    ))
}

/// The `[min, max]` (and log scale) of every path of a sampled design.
fn bounded_factors(d: &DesignSection, file: &str) -> Result<Vec<Factor>, ScenarioError> {
    if d.params.is_empty() {
        return Err(err(
            file,
            "design",
            format!("an {} design varies no path", d.kind),
        )
        .help("add [[design.param]] entries with path, min and max"));
    }
    let mut factors = Vec::new();
    for (k, p) in d.params.iter().enumerate() {
        let key = |name: &str| format!("design.param[{k}].{name}");
        if p.values.is_some() || p.range.is_some() {
            let which = if p.values.is_some() {
                "values"
            } else {
                "range"
            };
            return Err(err(
                file,
                &key(which),
                format!("a `{}` design samples between min and max", d.kind),
            )
            .help("give min and max instead"));
        }
        let (Some(min), Some(max)) = (p.min, p.max) else {
            return Err(err(
                file,
                &format!("design.param[{k}]"),
                format!("`{}` needs min and max", p.path),
            )
            .help("add min = ... and max = ..."));
        };
        let factor = Factor {
            name: p.path.clone(),
            min,
            max,
            log: p.log.unwrap_or(false),
        };
        factor.check().map_err(|msg| {
            err(
                file,
                &key(if factor.log && min <= 0.0 {
                    "log"
                } else {
                    "max"
                }),
                msg,
            )
            .help("give finite bounds with min < max (both positive on a log scale)")
        })?;
        factors.push(factor);
    }
    Ok(factors)
}

/// A value per factor from a point of the unit hypercube.
fn place(factors: &[Factor], unit: &[f64]) -> Vec<toml::Value> {
    factors
        .iter()
        .zip(unit)
        .map(|(f, &u)| toml::Value::Float(round_significant(f.value(u), DIGITS)))
        .collect()
}

fn sampled(
    d: &DesignSection,
    factors: Vec<Factor>,
    unit: Vec<Vec<f64>>,
    structure: Structure,
    seed: u64,
) -> Design {
    Design {
        kind: d.kind.clone(),
        paths: factors.iter().map(|f| f.name.clone()).collect(),
        points: unit.iter().map(|u| place(&factors, u)).collect(),
        factors,
        structure,
        seed: Some(seed),
        notes: Vec::new(),
    }
}

fn lhs(d: &DesignSection, file: &str) -> Result<Design, ScenarioError> {
    unused(file, "lhs", &[("file", d.file.is_some())])?;
    sampling_keys_unused(d, file, "lhs")?;
    let n = match d.points {
        Some(n) if n >= 1 && n as usize <= MAX_POINTS => n as usize,
        other => {
            return Err(err(
                file,
                "design.points",
                format!("{} is not a number of points", other.map_or(0, i64::from)),
            )
            .help("an lhs design needs points = 1 to 1000000"));
        }
    };
    let factors = bounded_factors(d, file)?;
    let seed = d.seed.unwrap_or(1);
    let unit = latin_hypercube_unit(factors.len(), n, seed);
    Ok(sampled(d, factors, unit, Structure::Plain, seed))
}

fn sobol(d: &DesignSection, file: &str) -> Result<Design, ScenarioError> {
    unused(
        file,
        "sobol",
        &[("points", d.points.is_some()), ("file", d.file.is_some())],
    )?;
    sampling_keys_unused(d, file, "sobol")?;
    let factors = bounded_factors(d, file)?;
    let Some(n) = d.n else {
        return Err(err(
            file,
            "design",
            "a sobol design needs `n`, its base samples".into(),
        )
        .help("add n = 512 (a power of two; the design has n (k + 2) points)"));
    };
    let shape = Saltelli::new(factors.len(), n as usize, d.second_order.unwrap_or(false))
        .map_err(|msg| err(file, "design.n", msg).help("give n >= 2 and at most 64 paths"))?;
    if shape.points() > MAX_POINTS {
        return Err(err(
            file,
            "design.n",
            format!(
                "the design has {} points, more than 1,000,000",
                shape.points()
            ),
        )
        .help("use a smaller n"));
    }
    let seed = d.seed.unwrap_or(1);
    let unit = shape.design(seed);
    let mut design = sampled(d, factors, unit, Structure::Sobol(shape), seed);
    if !saltelli::is_power_of_two(n as usize) {
        design.notes.push(format!(
            "n = {n} is not a power of two: the Sobol' sequence is balanced only at powers of two, so the indices converge more slowly (use {} or {})",
            (n as usize).next_power_of_two() / 2,
            (n as usize).next_power_of_two()
        ));
    }
    Ok(design)
}

fn morris(d: &DesignSection, file: &str) -> Result<Design, ScenarioError> {
    unused(
        file,
        "morris",
        &[("points", d.points.is_some()), ("file", d.file.is_some())],
    )?;
    sampling_keys_unused(d, file, "morris")?;
    let factors = bounded_factors(d, file)?;
    let Some(r) = d.trajectories else {
        return Err(err(
            file,
            "design",
            "a morris design needs `trajectories`".into(),
        )
        .help("add trajectories = 20 (the design has trajectories (k + 1) points)"));
    };
    let shape = Morris::new(
        factors.len(),
        r as usize,
        d.levels.unwrap_or(4) as usize,
        d.candidates.unwrap_or(0) as usize,
    )
    .map_err(|msg| {
        let key = if msg.contains("levels") {
            "design.levels"
        } else if msg.contains("candidate") {
            "design.candidates"
        } else {
            "design.trajectories"
        };
        err(file, key, msg).help("e.g. trajectories = 20, levels = 4, candidates = 200")
    })?;
    if shape.points() > MAX_POINTS {
        return Err(err(
            file,
            "design.trajectories",
            format!(
                "the design has {} points, more than 1,000,000",
                shape.points()
            ),
        )
        .help("use fewer trajectories"));
    }
    let seed = d.seed.unwrap_or(1);
    let unit = shape.design(seed);
    Ok(sampled(d, factors, unit, Structure::Morris(shape), seed))
}

fn listed_values(
    params: &[ParamEntry],
    file: &str,
    kind: &str,
) -> Result<Vec<Vec<toml::Value>>, ScenarioError> {
    if params.is_empty() {
        return Err(
            ScenarioError::new(file, format!("a `{kind}` design varies no path"))
                .key("design")
                .help("add [[design.param]] entries with path and values or range"),
        );
    }
    let mut lists = Vec::new();
    for (k, p) in params.iter().enumerate() {
        let key = |name: &str| format!("design.param[{k}].{name}");
        if p.min.is_some() || p.max.is_some() || p.log.is_some() {
            let which = if p.min.is_some() {
                "min"
            } else if p.max.is_some() {
                "max"
            } else {
                "log"
            };
            return Err(ScenarioError::new(
                file,
                format!("a `{kind}` design takes values or a range, not min, max or log"),
            )
            .key(key(which))
            .help("use an lhs, sobol or morris design to sample between bounds"));
        }
        let values = match (&p.values, &p.range) {
            (Some(v), None) => v.clone(),
            (None, Some(r)) => parse_range(r).map_err(|msg| {
                ScenarioError::new(file, msg)
                    .key(key("range"))
                    .help("write start:stop:step, e.g. \"0:0.8:0.2\"")
            })?,
            (Some(_), Some(_)) => {
                return Err(ScenarioError::new(file, "give values or a range, not both")
                    .key(key("range"))
                    .help("remove one of them"));
            }
            (None, None) => {
                return Err(
                    ScenarioError::new(file, format!("`{}` has no values", p.path))
                        .key(format!("design.param[{k}]"))
                        .help("add values = [...] or range = \"start:stop:step\""),
                );
            }
        };
        if values.is_empty() {
            return Err(ScenarioError::new(
                file,
                format!("`{}` has an empty list of values", p.path),
            )
            .key(key("values"))
            .help("list at least one value"));
        }
        lists.push(values);
    }
    Ok(lists)
}

/// Parses `start:stop:step` into the values from start to stop inclusive.
pub fn parse_range(text: &str) -> Result<Vec<toml::Value>, String> {
    let parts: Vec<&str> = text.split(':').map(str::trim).collect();
    let [start, stop, step] = parts.as_slice() else {
        return Err(format!("`{text}` is not start:stop:step"));
    };
    let num = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
    let (Some(a), Some(b), Some(s)) = (num(start), num(stop), num(step)) else {
        return Err(format!(
            "`{text}` is not start:stop:step with three numbers"
        ));
    };
    if s == 0.0 {
        return Err(format!("`{text}` has a step of zero"));
    }
    if (b - a) * s < 0.0 {
        return Err(format!(
            "`{text}` is empty: the step goes away from the stop"
        ));
    }
    let count = ((b - a) / s + 1e-9).floor() as usize + 1;
    if count > MAX_POINTS {
        return Err(format!("`{text}` has more than 1,000,000 values"));
    }
    // Round away the binary noise of repeated steps (0.1 * 3 = 0.30000000000000004).
    let clean = |x: f64| (x * 1e12).round() / 1e12;
    Ok((0..count)
        .map(|k| toml::Value::Float(clean(a + k as f64 * s)))
        .collect())
}

fn product(lists: &[Vec<toml::Value>]) -> Vec<Vec<toml::Value>> {
    let mut points: Vec<Vec<toml::Value>> = vec![Vec::new()];
    for list in lists {
        points = points
            .into_iter()
            .flat_map(|prefix| {
                list.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(v.clone());
                    p
                })
            })
            .collect();
    }
    points
}

/// `n` points of a Latin hypercube over `bounds`: on every axis each of the `n` equal
/// strata holds exactly one point, at a uniform position within it.
pub fn latin_hypercube(bounds: &[(f64, f64)], n: usize, seed: u64) -> Vec<Vec<toml::Value>> {
    latin_hypercube_unit(bounds.len(), n, seed)
        .into_iter()
        .map(|u| {
            u.iter()
                .zip(bounds)
                .map(|(u, (lo, hi))| toml::Value::Float(lo + u * (hi - lo)))
                .collect()
        })
        .collect()
}

/// `n` points of a Latin hypercube in `[0, 1]^dims`, drawn with ChaCha8 from `seed`.
pub fn latin_hypercube_unit(dims: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut columns: Vec<Vec<f64>> = Vec::with_capacity(dims);
    for _ in 0..dims {
        let mut strata: Vec<usize> = (0..n).collect();
        strata.shuffle(&mut rng);
        columns.push(
            strata
                .into_iter()
                .map(|k| (k as f64 + rng.random::<f64>()) / n as f64)
                .collect(),
        );
    }
    (0..n)
        .map(|i| columns.iter().map(|c| c[i]).collect())
        .collect()
}

fn read_table(path: &str, file: &str, base: Option<&Path>) -> Result<Design, ScenarioError> {
    let full = base.map_or_else(|| Path::new(path).to_path_buf(), |b| b.join(path));
    let label = full.display().to_string();
    let text = std::fs::read_to_string(&full).map_err(|e| {
        ScenarioError::new(file, format!("cannot read `{label}`: {e}"))
            .key("design.file")
            .help("give a path relative to the sweep file")
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ScenarioError::new(&label, format!("cannot read the CSV: {e}")).line(1))?
        .clone();
    let paths: Vec<String> = headers.iter().map(str::to_owned).collect();
    if paths.is_empty() || paths.iter().any(String::is_empty) {
        return Err(ScenarioError::new(
            &label,
            "the header must name a scenario path in every column",
        )
        .line(1)
        .help("e.g. params.beta_peer,policy.offer"));
    }
    let mut points = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let mut err = ScenarioError::new(&label, format!("cannot read the CSV: {e}"))
                .help("every row needs one value per column");
            err.line = e.position().map(|p| p.line() as u32);
            err
        })?;
        points.push(record.iter().map(parse_value).collect());
        if points.len() > MAX_POINTS {
            return Err(ScenarioError::new(
                &label,
                "the table has more than 1,000,000 rows",
            ));
        }
    }
    if points.is_empty() {
        return Err(ScenarioError::new(&label, "the table has no rows")
            .line(1)
            .help("add one row per design point under the header"));
    }
    Ok(Design::plain("table", paths, points))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_both_ends_without_binary_noise() {
        let v = parse_range("0:0.8:0.2").unwrap();
        let xs: Vec<f64> = v.iter().map(|x| x.as_float().unwrap()).collect();
        assert_eq!(xs, vec![0.0, 0.2, 0.4, 0.6, 0.8]);
        assert_eq!(parse_range("1:0:-0.5").unwrap().len(), 3);
        assert!(parse_range("0:1:0").unwrap_err().contains("zero"));
        assert!(parse_range("1:0:0.5").unwrap_err().contains("empty"));
        assert!(parse_range("a:b").is_err());
    }

    #[test]
    fn a_latin_hypercube_fills_every_stratum_once() {
        let points = latin_hypercube(&[(0.0, 1.0), (10.0, 20.0)], 50, 3);
        assert_eq!(points.len(), 50);
        for (axis, (lo, hi)) in [(0.0, 1.0), (10.0, 20.0)].into_iter().enumerate() {
            let mut strata: Vec<usize> = points
                .iter()
                .map(|p| ((p[axis].as_float().unwrap() - lo) / (hi - lo) * 50.0) as usize)
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..50).collect::<Vec<_>>(), "axis {axis}");
        }
        assert_eq!(
            points,
            latin_hypercube(&[(0.0, 1.0), (10.0, 20.0)], 50, 3),
            "seeded"
        );
    }

    #[test]
    fn grids_vary_the_first_path_slowest() {
        let lists = vec![
            vec![toml::Value::Integer(1), toml::Value::Integer(2)],
            vec![
                toml::Value::Integer(7),
                toml::Value::Integer(8),
                toml::Value::Integer(9),
            ],
        ];
        let points = product(&lists);
        assert_eq!(points.len(), 6);
        assert_eq!(
            points[1],
            vec![toml::Value::Integer(1), toml::Value::Integer(8)]
        );
        assert_eq!(
            points[3],
            vec![toml::Value::Integer(2), toml::Value::Integer(7)]
        );
    }
}
