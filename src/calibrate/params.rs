//! The parameters a calibration fits: scenario paths with their ranges, the unit-cube
//! coordinates the search moves in, where each starts (the scenario's own value), and the
//! checks every range passes before any work.

use crate::scenario::ranges::show;
use crate::scenario::{Override, ScenarioError};
use crate::sweep::Base;

/// A parameter to fit and its range. One parameter may set several scenario keys to the
/// same value (`events[3].multiplier|events[4].multiplier`), to fit them tied.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Dotted scenario path, e.g. `params.beta_peer`; tied paths are joined by `|`.
    pub path: String,
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Parameter {
    /// Parses `path=lo:hi`.
    pub fn parse(text: &str) -> Result<Parameter, String> {
        let example = "e.g. params.beta_peer=0:3";
        let Some((path, range)) = text.split_once('=') else {
            return Err(format!(
                "`{text}` gives no range; write PATH=LO:HI, {example}"
            ));
        };
        let Some((lo, hi)) = range.split_once(':') else {
            return Err(format!("`{range}` is not a range LO:HI, {example}"));
        };
        let num = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("`{s}` is not a number, {example}"))
        };
        let (lo, hi) = (num(lo)?, num(hi)?);
        if lo >= hi {
            return Err(format!(
                "in `{text}` the lower bound must be below the upper"
            ));
        }
        Ok(Parameter {
            path: path.trim().to_owned(),
            lo,
            hi,
        })
    }

    /// The scenario paths it sets.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.path.split('|').map(str::trim)
    }

    /// The value at unit coordinate `unit` (clamped into [0, 1]).
    pub(crate) fn at(&self, unit: f64) -> f64 {
        self.lo + unit.clamp(0.0, 1.0) * (self.hi - self.lo)
    }

    /// The unit coordinate of `value` (clamped into the range).
    pub(crate) fn unit(&self, value: f64) -> f64 {
        ((value - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0)
    }
}

/// The value `path` has in the scenario table, or its model default. Segments may index
/// arrays of tables, as in `events[3].multiplier`.
pub(crate) fn current_value(table: &toml::Table, path: &str) -> Option<f64> {
    let written = || {
        let mut here: Option<&toml::Value> = None;
        for segment in path.split('.') {
            let (key, index) = match segment.split_once('[') {
                Some((key, rest)) => (key, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
                None => (segment, None),
            };
            let parent = match here {
                None => table,
                Some(value) => value.as_table()?,
            };
            let mut value = parent.get(key)?;
            if let Some(i) = index {
                value = value.as_array()?.get(i)?;
            }
            here = Some(value);
        }
        match here? {
            toml::Value::Float(x) => Some(*x),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        }
    };
    written().or_else(|| default_param(path))
}

/// The model default of a `params.` path.
fn default_param(path: &str) -> Option<f64> {
    let key = path.strip_prefix("params.")?;
    let defaults = toml::Value::try_from(crate::scenario::Params::default()).ok()?;
    defaults.get(key)?.as_float()
}

/// Every fitted path once, each range inside the path's valid range, and both ends of
/// every range a valid scenario; errors name the `--fit` key.
pub(crate) fn check_parameters(base: &Base, parameters: &[Parameter]) -> Result<(), ScenarioError> {
    fn fit(path: &str, p: &Parameter) -> impl Fn(String) -> ScenarioError {
        let (key, range) = (path.to_owned(), format!("{}:{}", show(p.lo), show(p.hi)));
        move |message| ScenarioError::new("--fit", format!("{range}: {message}")).key(&key)
    }
    let mut seen: Vec<&str> = Vec::new();
    for p in parameters {
        for path in p.paths() {
            let err = fit(path, p);
            if seen.contains(&path) {
                return Err(err("the key is fitted twice".into())
                    .help("name each path once (tie paths with `|` to fit them as one)"));
            }
            seen.push(path);
            if let Some(b) = crate::scenario::ranges::bound(path)
                && (p.lo < b.min || p.hi > b.max)
            {
                return Err(
                    err("the range reaches outside the key's valid range".into()).help(format!(
                        "fit within {} to {} ({})",
                        show(b.min),
                        show(b.max),
                        b.reason
                    )),
                );
            }
            // Both ends of every range must give a valid scenario.
            for end in [p.lo, p.hi] {
                let at_end = Override {
                    path: path.to_owned(),
                    value: toml::Value::Float(end),
                };
                if let Err(e) = base.scenario(&[at_end]) {
                    let blamed = e.key.as_deref().is_none_or(|k| k == path);
                    if !blamed {
                        return Err(e);
                    }
                    let mut out = err(format!("at {}, {}", show(end), e.message));
                    out.help = if e.message.starts_with("expected") {
                        Some("calibrate tries fractional values between the ends: fit a key that takes any number, e.g. params.beta_peer".into())
                    } else {
                        e.help
                    };
                    return Err(out);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_bad_ones_explain_themselves() {
        let p = Parameter::parse("params.beta_peer=0:3").unwrap();
        assert_eq!((p.lo, p.hi), (0.0, 3.0));
        assert_eq!(p.at(0.5), 1.5);
        assert_eq!(p.unit(4.0), 1.0);
        for bad in [
            "params.beta_peer",
            "params.beta_peer=3",
            "params.beta_peer=2:1",
            "x=a:1",
        ] {
            assert!(Parameter::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn current_values_come_from_the_file_or_the_defaults() {
        let t: toml::Table = toml::from_str("[params]\nbeta_peer = 2.5\n").unwrap();
        assert_eq!(current_value(&t, "params.beta_peer"), Some(2.5));
        assert_eq!(
            current_value(&t, "params.tau"),
            Some(crate::scenario::Params::default().tau)
        );
        let t: toml::Table =
            toml::from_str("[[events]]\nmultiplier = 2\n[[events]]\nmultiplier = 28.5\n").unwrap();
        assert_eq!(current_value(&t, "events[0].multiplier"), Some(2.0));
        assert_eq!(current_value(&t, "events[1].multiplier"), Some(28.5));
        assert_eq!(current_value(&t, "events[2].multiplier"), None);
        assert_eq!(current_value(&t, "events.multiplier"), None);
    }
}
