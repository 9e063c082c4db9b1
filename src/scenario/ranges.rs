//! The valid range of every number of `[params]`, `[policy]` and `[strategies]`, in one
//! table. Validation checks each number a scenario sets against it; `waico calibrate`
//! checks the ranges of `--fit` against it; docs/SCENARIOS.md lists it.
//!
//! The bounds are generous (a weight may be a million times its default) but finite, so
//! that every utility, probability and share the model derives from them stays a finite
//! number: a term is a weight times an attribute in a bounded range, and a sum of a few
//! dozen such terms cannot overflow. A new number in these sections needs a row here (a
//! unit test lists any that lack one; until then it gets [`FALLBACK`]).

use super::error::ScenarioError;

/// One row of the table: a dotted key (`*` stands for any one segment), its bounds and
/// why they are what they are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    /// The dotted key, e.g. `params.beta_peer` or `params.affinity.*`.
    pub key: &'static str,
    /// The smallest valid value.
    pub min: f64,
    /// The largest valid value.
    pub max: f64,
    /// Why, in a few words (shown in errors and docs).
    pub reason: &'static str,
}

const WEIGHT: &str =
    "a utility weight; at most a million times the defaults keeps every utility finite";
const LEVEL: &str =
    "a lever's level; beyond a million times the 2025 level every utility still stays finite";
const SHARE: &str = "a share or probability";

const fn row(key: &'static str, min: f64, max: f64, reason: &'static str) -> Bound {
    Bound {
        key,
        min,
        max,
        reason,
    }
}

/// Every bounded number of `[params]`, `[policy]` and `[strategies]`.
pub const BOUNDS: &[Bound] = &[
    row("params.beta_0", -1e6, 1e6, WEIGHT),
    row("params.beta_size", -1e6, 1e6, WEIGHT),
    row("params.beta_affinity", -1e6, 1e6, WEIGHT),
    row("params.beta_align", -1e6, 1e6, WEIGHT),
    row("params.beta_trade", -1e6, 1e6, WEIGHT),
    row("params.beta_need", -1e6, 1e6, WEIGHT),
    row("params.beta_peer", -1e6, 1e6, WEIGHT),
    row("params.beta_bloc", -1e6, 1e6, WEIGHT),
    row("params.beta_legit", -1e6, 1e6, WEIGHT),
    row("params.beta_founding", -1e6, 1e6, WEIGHT),
    row("params.beta_push", -1e6, 1e6, WEIGHT),
    row("params.beta_deter", -1e6, 1e6, WEIGHT),
    row("params.beta_pressure", -1e6, 1e6, WEIGHT),
    row("params.beta_democracy", -1e6, 1e6, WEIGHT),
    row("params.beta_dispute", -1e6, 1e6, WEIGHT),
    row("params.beta_forces", -1e6, 1e6, WEIGHT),
    row("params.affinity.*", -1e6, 1e6, WEIGHT),
    row(
        "params.partner_weight",
        0.0,
        1.0,
        "a partner weighs between nothing and a member",
    ),
    row(
        "params.review_rate",
        0.0,
        1e9,
        "reviews per year; 1e9 is a review every 30 ms",
    ),
    row(
        "params.deadline_pull",
        0.0,
        1e9,
        "how many times the review rate rises at the deadline",
    ),
    row(
        "params.deadline_horizon",
        1e-6,
        1e6,
        "years over which the pull fades; above zero",
    ),
    row(
        "params.cut_partner",
        -1e6,
        1e6,
        "a cut point on the utility scale",
    ),
    row(
        "params.cut_member",
        -1e6,
        1e6,
        "a cut point on the utility scale",
    ),
    row("params.tau", 0.0, 1e6, "a temperature: 0 is deterministic"),
    row("params.inertia", -1e6, 1e6, WEIGHT),
    row("policy.offer", 0.0, 1e6, LEVEL),
    row("policy.pressure", 0.0, 1e6, LEVEL),
    row("policy.retaliation", 0.0, 1.0, SHARE),
    row("policy.stringency.*", 0.0, 1.0, SHARE),
    row("strategies.*.share", 0.0, 1.0, SHARE),
    row(
        "strategies.*.weight",
        0.0,
        100.0,
        "a trade row holds at most 100 times its total",
    ),
    row("strategies.*.utility", 0.0, 1e6, WEIGHT),
];

/// The bound of a number no row names (a key added without its row).
pub const FALLBACK: Bound = row("*", -1e6, 1e6, WEIGHT);

/// The row for `key`, if the table has one.
pub fn bound(key: &str) -> Option<&'static Bound> {
    BOUNDS.iter().find(|b| matches(b.key, key))
}

fn matches(pattern: &str, key: &str) -> bool {
    let (mut p, mut k) = (pattern.split('.'), key.split('.'));
    loop {
        match (p.next(), k.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == "*" || a == b => {}
            _ => return false,
        }
    }
}

/// A bound as people write it: `100`, `1e5`, `1e9`, `0.5`, `-1e6`.
pub fn show(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e5 || x.abs() < 1e-3) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Checks every number in `value` (a section of the scenario, serialised) against the
/// table, naming the key of the first out of range. `prefix` is the section's key.
pub fn check_numbers(file: &str, prefix: &str, value: &toml::Value) -> Result<(), ScenarioError> {
    match value {
        toml::Value::Table(table) => {
            for (k, v) in table {
                check_numbers(file, &format!("{prefix}.{k}"), v)?;
            }
            Ok(())
        }
        toml::Value::Float(x) => check(file, prefix, *x).map(|_| ()),
        _ => Ok(()),
    }
}

/// Checks one number against its row (or [`FALLBACK`]).
pub fn check(file: &str, key: &str, value: f64) -> Result<f64, ScenarioError> {
    let b = bound(key).unwrap_or(&FALLBACK);
    let range = || format!("a number from {} to {}", show(b.min), show(b.max));
    if !value.is_finite() {
        return Err(
            ScenarioError::new(file, format!("{value} is not a finite number"))
                .key(key)
                .help(format!("write {}", range())),
        );
    }
    if value < b.min || value > b.max {
        return Err(
            ScenarioError::new(file, format!("{} is out of range", show(value)))
                .key(key)
                .help(format!("write {} ({})", range(), b.reason)),
        );
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::file::{Params, Policy, StrategiesSection};

    fn leaves(prefix: &str, value: &toml::Value, out: &mut Vec<String>) {
        match value {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    leaves(&format!("{prefix}.{k}"), v, out);
                }
            }
            toml::Value::Float(_) => out.push(prefix.to_owned()),
            _ => {}
        }
    }

    #[test]
    fn every_number_of_params_policy_and_strategies_has_its_row() {
        let mut keys = Vec::new();
        leaves(
            "params",
            &toml::Value::try_from(Params::default()).unwrap(),
            &mut keys,
        );
        leaves(
            "policy",
            &toml::Value::try_from(Policy::default()).unwrap(),
            &mut keys,
        );
        leaves(
            "strategies",
            &toml::Value::try_from(StrategiesSection::default()).unwrap(),
            &mut keys,
        );
        assert!(keys.len() >= 25, "{keys:?}");
        let missing: Vec<&String> = keys.iter().filter(|k| bound(k).is_none()).collect();
        assert!(missing.is_empty(), "add rows to BOUNDS for {missing:?}");
        for b in BOUNDS {
            assert!(
                b.min < b.max && b.min.is_finite() && b.max.is_finite(),
                "{b:?}"
            );
        }
    }

    #[test]
    fn wildcards_match_one_segment() {
        assert_eq!(bound("params.affinity.Africa").unwrap().max, 1e6);
        assert_eq!(bound("strategies.courtship.share").unwrap().max, 1.0);
        assert!(bound("params.affinity").is_none());
        assert!(bound("params.beta_pear").is_none());
    }

    #[test]
    fn out_of_range_names_the_key_and_a_readable_range() {
        let e = check("s.toml", "params.beta_size", 1.7e308).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("params.beta_size"));
        assert_eq!(e.message, "1.7e308 is out of range");
        let help = e.help.unwrap();
        assert!(
            help.starts_with("write a number from -1e6 to 1e6"),
            "{help}"
        );
        let e = check("s.toml", "policy.offer", f64::NAN).unwrap_err();
        assert!(e.message.contains("not a finite number"), "{}", e.message);
        assert_eq!(check("s.toml", "params.tau", 0.35), Ok(0.35));
        assert_eq!(show(1e9), "1e9");
        assert_eq!(show(0.5), "0.5");
        assert_eq!(show(-1.0), "-1");
    }
}
