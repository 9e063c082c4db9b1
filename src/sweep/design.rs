//! Designs: the list of points a sweep runs, each a value for every varied scenario path.
//!
//! - `grid`: the full factorial of each path's values (the first path varies slowest);
//! - `zip`: the paths' value lists taken together, point `k` from entry `k` of each;
//! - `lhs`: a Latin hypercube of `points` points over each path's `[min, max]`, drawn with
//!   ChaCha8 from the design's seed (one stratum per point on every axis);
//! - `table`: the rows of a CSV whose header names the paths (designs made elsewhere);
//! - no `[design]`: one point, the base scenario itself (replicates only).

use std::path::Path;

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::file::{DesignSection, ParamEntry};
use crate::scenario::ScenarioError;
use crate::scenario::error::did_you_mean;
use crate::scenario::overrides::parse_value;

/// The most points a design may have.
pub const MAX_POINTS: usize = 1_000_000;

/// The points of a design.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// `grid`, `zip`, `lhs` or `table`.
    pub kind: String,
    /// The varied paths, in file order.
    pub paths: Vec<String>,
    /// One value per path for every point.
    pub points: Vec<Vec<toml::Value>>,
}

/// Builds the design of `[design]`; `file` names the sweep file in errors and `base` is
/// the folder a table's path starts from.
pub fn build(d: &DesignSection, file: &str, base: Option<&Path>) -> Result<Design, ScenarioError> {
    let err = |key: &str, msg: String| ScenarioError::new(file, msg).key(key);
    let used = |keys: &[(&str, bool)], kind: &str| -> Result<(), ScenarioError> {
        for (key, present) in keys {
            if *present {
                return Err(err(
                    &format!("design.{key}"),
                    format!("a `{kind}` design does not use `{key}`"),
                )
                .help("remove it"));
            }
        }
        Ok(())
    };
    let design = match d.kind.as_str() {
        "" if d.params.is_empty() && d.file.is_none() && d.points.is_none() => Design {
            kind: "none".into(),
            paths: Vec::new(),
            points: vec![Vec::new()],
        },
        "grid" | "zip" => {
            used(
                &[
                    ("points", d.points.is_some()),
                    ("seed", d.seed.is_some()),
                    ("file", d.file.is_some()),
                ],
                &d.kind,
            )?;
            let lists = listed_values(&d.params, file, &d.kind)?;
            let points = if d.kind == "grid" {
                let count = lists
                    .iter()
                    .try_fold(1usize, |acc, l| acc.checked_mul(l.len()));
                if count.is_none_or(|c| c > MAX_POINTS) {
                    return Err(
                        err("design", "the grid has more than 1,000,000 points".into())
                            .help("use fewer values, or an `lhs` design"),
                    );
                }
                product(&lists)
            } else {
                let n = lists[0].len();
                if let Some(k) = lists.iter().position(|l| l.len() != n) {
                    return Err(err(
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
            Design {
                kind: d.kind.clone(),
                paths: d.params.iter().map(|p| p.path.clone()).collect(),
                points,
            }
        }
        "lhs" => {
            used(&[("file", d.file.is_some())], "lhs")?;
            let n = match d.points {
                Some(n) if n >= 1 && n as usize <= MAX_POINTS => n as usize,
                other => {
                    return Err(err(
                        "design.points",
                        format!("{} is not a number of points", other.map_or(0, i64::from)),
                    )
                    .help("an lhs design needs points = 1 to 1000000"));
                }
            };
            if d.params.is_empty() {
                return Err(err("design", "an lhs design varies no path".into())
                    .help("add [[design.param]] entries with path, min and max"));
            }
            let mut bounds = Vec::new();
            for (k, p) in d.params.iter().enumerate() {
                let key = |name: &str| format!("design.param[{k}].{name}");
                if p.values.is_some() || p.range.is_some() {
                    return Err(err(
                        &key(if p.values.is_some() {
                            "values"
                        } else {
                            "range"
                        }),
                        "an lhs design samples between min and max".into(),
                    )
                    .help("give min and max instead"));
                }
                let (Some(lo), Some(hi)) = (p.min, p.max) else {
                    return Err(err(
                        &format!("design.param[{k}]"),
                        format!("`{}` needs min and max", p.path),
                    )
                    .help("add min = ... and max = ..."));
                };
                if !(lo.is_finite() && hi.is_finite()) || lo >= hi {
                    return Err(err(&key("max"), format!("the range [{lo}, {hi}] is empty"))
                        .help("give finite bounds with min < max"));
                }
                bounds.push((lo, hi));
            }
            Design {
                kind: "lhs".into(),
                paths: d.params.iter().map(|p| p.path.clone()).collect(),
                points: latin_hypercube(&bounds, n, d.seed.unwrap_or(1)),
            }
        }
        "table" => {
            used(
                &[("points", d.points.is_some()), ("seed", d.seed.is_some())],
                "table",
            )?;
            if !d.params.is_empty() {
                return Err(err(
                    "design.param",
                    "a table design takes its paths from the CSV header".into(),
                )
                .help("remove the [[design.param]] entries"));
            }
            let Some(path) = &d.file else {
                return Err(err("design", "a table design needs `file`".into())
                    .help("add file = \"points.csv\""));
            };
            read_table(path, file, base)?
        }
        other => {
            return Err(err("design.kind", format!("unknown design `{other}`"))
                .maybe_help(did_you_mean(other, ["grid", "zip", "lhs", "table"])));
        }
    };
    let mut seen = std::collections::BTreeSet::new();
    for (k, path) in design.paths.iter().enumerate() {
        if !seen.insert(path) {
            return Err(err(
                &format!("design.param[{k}].path"),
                format!("`{path}` is varied twice"),
            )
            .help("vary each path once"));
        }
    }
    Ok(design)
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
        if p.min.is_some() || p.max.is_some() {
            return Err(ScenarioError::new(
                file,
                format!("a `{kind}` design takes values or a range, not min and max"),
            )
            .key(key(if p.min.is_some() { "min" } else { "max" }))
            .help("use an lhs design to sample between bounds"));
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
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut columns: Vec<Vec<f64>> = Vec::with_capacity(bounds.len());
    for &(lo, hi) in bounds {
        let mut strata: Vec<usize> = (0..n).collect();
        strata.shuffle(&mut rng);
        columns.push(
            strata
                .into_iter()
                .map(|k| lo + (k as f64 + rng.random::<f64>()) / n as f64 * (hi - lo))
                .collect(),
        );
    }
    (0..n)
        .map(|i| columns.iter().map(|c| toml::Value::Float(c[i])).collect())
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
    Ok(Design {
        kind: "table".into(),
        paths,
        points,
    })
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
