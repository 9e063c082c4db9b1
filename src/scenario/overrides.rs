//! Dotted-path overrides of a scenario: `params.beta_peer = 1.2`, `policy.stringency.tier2
//! = 0.6`, `events[3].stringency = 0.9`; `events[N]`, one past the last event, appends a
//! whole event given as an inline table. Used by `--set` and by sweeps; a path that names
//! no key of the scenario format is an error that suggests the closest valid one.

use super::error::{ScenarioError, did_you_mean};
use super::locate::{Segment, format_path, parse_path};

/// One override: a dotted path and the TOML value it sets.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// The path, e.g. `params.beta_peer`.
    pub path: String,
    /// The value.
    pub value: toml::Value,
}

impl Override {
    /// Parses `path=value`; the value is read as TOML (`1.2`, `true`, `"text"`,
    /// `2026-01-01`, `["A", "B"]`), and as a plain string if it is not valid TOML.
    pub fn parse(text: &str) -> Result<Override, String> {
        let Some((path, value)) = text.split_once('=') else {
            return Err(format!(
                "`{text}` is not PATH=VALUE, e.g. params.beta_peer=1.2"
            ));
        };
        let path = path.trim();
        if parse_path(path).is_none() {
            return Err(format!(
                "`{path}` is not a key path, e.g. params.beta_peer or events[2].date"
            ));
        }
        Ok(Override {
            path: path.to_owned(),
            value: parse_value(value.trim()),
        })
    }
}

/// A value as an error message shows it: large and tiny numbers in exponent form
/// (`1.7e308`, not 309 digits).
pub fn show_value(value: &toml::Value) -> String {
    match value {
        toml::Value::Float(x) if x.is_finite() && (x.abs() >= 1e6 || x.abs() < 1e-3) => {
            super::ranges::show(*x)
        }
        other => other.to_string(),
    }
}

/// Reads a command-line value as TOML, falling back to a string.
pub fn parse_value(text: &str) -> toml::Value {
    let doc = format!("v = {text}");
    match toml::from_str::<toml::Table>(&doc) {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| toml::Value::String(text.to_owned())),
        Err(_) => toml::Value::String(text.to_owned()),
    }
}

/// Keys of the sections that may be created by an override although the file omits them.
const SECTIONS: [&str; 7] = [
    "scenario",
    "body",
    "params",
    "policy",
    "strategies",
    "eligibility",
    "states",
];

/// Sets `value` at `path` in `table`, creating intermediate tables (not list entries).
pub fn apply(table: &mut toml::Table, file: &str, o: &Override) -> Result<(), ScenarioError> {
    let err = |msg: String| ScenarioError::new(file, msg).key(&o.path);
    let segments =
        parse_path(&o.path).ok_or_else(|| err(format!("`{}` is not a key path", o.path)))?;
    if let Some(Segment::Key(first)) = segments.first()
        && !SECTIONS.contains(&first.as_str())
        && first != "events"
    {
        let all = SECTIONS.iter().copied().chain(["events"]);
        return Err(err(format!("`{first}` is not a section of a scenario"))
            .maybe_help(did_you_mean(first, all)));
    }
    set_in_table(table, &segments, 0, &o.value).map_err(|(msg, help)| err(msg).maybe_help(help))
}

type SetError = (String, Option<String>);

fn set_in_table(
    t: &mut toml::Table,
    segs: &[Segment],
    k: usize,
    v: &toml::Value,
) -> Result<(), SetError> {
    let Segment::Key(key) = &segs[k] else {
        let here = format_path(&segs[..k]);
        return Err((
            format!("`{here}` is a table, not a list"),
            Some("remove the [index]".into()),
        ));
    };
    if k + 1 == segs.len() {
        t.insert(key.clone(), v.clone());
        return Ok(());
    }
    if !t.contains_key(key) {
        if let Segment::Index(i) = segs[k + 1] {
            let here = format_path(&segs[..=k]);
            return Err((
                format!("`{here}` has no entries, so there is no [{i}]"),
                None,
            ));
        }
        t.insert(key.clone(), toml::Value::Table(toml::Table::new()));
    }
    let entry = t.get_mut(key).expect("the key was just ensured");
    set_in_value(entry, segs, k + 1, v)
}

fn set_in_value(
    x: &mut toml::Value,
    segs: &[Segment],
    k: usize,
    v: &toml::Value,
) -> Result<(), SetError> {
    let here = format_path(&segs[..k]);
    match (&segs[k], x) {
        (Segment::Key(_), toml::Value::Table(t)) => set_in_table(t, segs, k, v),
        (Segment::Index(i), toml::Value::Array(a)) => {
            let len = a.len();
            if *i == len && k + 1 == segs.len() {
                // One past the end appends (`events[N]` adds an event).
                a.push(v.clone());
                return Ok(());
            }
            let Some(item) = a.get_mut(*i) else {
                return Err((
                    format!("`{here}` has {len} entries (numbered from 0); there is no [{i}]"),
                    Some(if k + 1 == segs.len() {
                        format!(
                            "use an index from 0 to {} to change an entry, or {len} to append one",
                            len.saturating_sub(1)
                        )
                    } else {
                        format!("use an index from 0 to {}", len.saturating_sub(1))
                    }),
                ));
            };
            if k + 1 == segs.len() {
                *item = v.clone();
                Ok(())
            } else {
                set_in_value(item, segs, k + 1, v)
            }
        }
        (Segment::Index(_), _) => Err((
            format!("`{here}` is not a list"),
            Some("remove the [index]".into()),
        )),
        (Segment::Key(_), _) => Err((
            format!("`{here}` is a value, not a table"),
            Some("set the value itself, without a further .key".into()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> toml::Table {
        toml::from_str("[params]\nbeta_peer = 1.0\n[[events]]\ndate = 2025-01-01\nkind = 'offer'\nvalue = 1.0\n").unwrap()
    }

    #[test]
    fn overrides_set_existing_and_new_keys() {
        let mut t = table();
        apply(
            &mut t,
            "f",
            &Override::parse("params.beta_peer=2.5").unwrap(),
        )
        .unwrap();
        apply(
            &mut t,
            "f",
            &Override::parse("policy.stringency.tier2=0.7").unwrap(),
        )
        .unwrap();
        apply(&mut t, "f", &Override::parse("events[0].value=3").unwrap()).unwrap();
        assert_eq!(t["params"]["beta_peer"].as_float(), Some(2.5));
        assert_eq!(t["policy"]["stringency"]["tier2"].as_float(), Some(0.7));
        assert_eq!(t["events"][0]["value"].as_integer(), Some(3));
    }

    #[test]
    fn bad_paths_are_explained() {
        let mut t = table();
        let e = apply(&mut t, "f", &Override::parse("events[4].value=1").unwrap()).unwrap_err();
        assert!(e.message.contains("1 entries"), "{}", e.message);
        let add = "events[1]={ date = 2025-02-01, kind = 'offer', value = 2.0 }";
        apply(&mut t, "f", &Override::parse(add).unwrap()).unwrap();
        assert_eq!(
            t["events"].as_array().map(Vec::len),
            Some(2),
            "one past the end appends"
        );
        let e = apply(&mut t, "f", &Override::parse("parms.beta_peer=1").unwrap()).unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `params`?"));
        let e = apply(
            &mut t,
            "f",
            &Override::parse("params.beta_peer.x=1").unwrap(),
        )
        .unwrap_err();
        assert!(e.message.contains("is a value"), "{}", e.message);
        assert!(Override::parse("params.beta_peer").is_err());
        assert_eq!(parse_value("abc"), toml::Value::String("abc".into()));
        assert_eq!(parse_value("[\"A\"]").as_array().map(Vec::len), Some(1));
    }
}
