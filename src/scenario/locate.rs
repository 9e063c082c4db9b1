//! Finding where a key is written in a TOML file, and which key a byte offset belongs to,
//! so every scenario error can name its line and its dotted key.
//!
//! Paths are written `params.beta_peer`, `events[3].date` (0-based index),
//! `states.GBR.bias`. The TOML is parsed again only when an error needs locating.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{ScenarioError, did_you_mean};

/// One step of a key path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A table key.
    Key(String),
    /// An array index (0-based).
    Index(usize),
}

/// Splits `a.b[2].c` into segments; `None` if the path is malformed.
pub fn parse_path(path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() {
            return None;
        }
        out.push(Segment::Key(name.to_owned()));
        while !rest.is_empty() {
            let close = rest.find(']')?;
            let index: usize = rest.get(1..close)?.parse().ok()?;
            out.push(Segment::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return None;
            }
        }
    }
    Some(out)
}

/// Writes segments back as a dotted path.
pub fn format_path(segments: &[Segment]) -> String {
    let mut out = String::new();
    for seg in segments {
        match seg {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The span of the deepest written part of `path`: the key's own span when it is written,
/// else its nearest written parent's.
pub fn span_of(text: &str, path: &str) -> Option<Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let segments = parse_path(path)?;
    let Segment::Key(first) = segments.first()? else {
        return None;
    };
    let (key, mut value) = root.get_ref().iter().find(|(k, _)| k.get_ref() == first)?;
    let mut best = key.span();
    for seg in &segments[1..] {
        let next = match (seg, value.get_ref()) {
            (Segment::Key(k), DeValue::Table(table)) => table
                .iter()
                .find(|(key, _)| key.get_ref() == k)
                .map(|(key, v)| (key.span(), v)),
            (Segment::Index(i), DeValue::Array(array)) => array.get(*i).map(|v| (v.span(), v)),
            _ => None,
        };
        let Some((span, v)) = next else { break };
        best = span;
        value = v;
    }
    Some(best)
}

/// The dotted path of the deepest key or value whose span holds `offset`.
pub fn path_at(text: &str, offset: usize) -> Option<String> {
    let root = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    descend_table(root.get_ref(), offset, &mut path);
    (!path.is_empty()).then(|| format_path(&path))
}

fn holds(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

fn descend_table(table: &DeTable<'_>, offset: usize, path: &mut Vec<Segment>) {
    for (key, value) in table.iter() {
        if holds(&key.span(), offset) {
            path.push(Segment::Key(key.get_ref().to_string()));
            return;
        }
        if holds(&value.span(), offset) || contains(value, offset) {
            path.push(Segment::Key(key.get_ref().to_string()));
            descend_value(value, offset, path);
            return;
        }
    }
}

fn descend_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &mut Vec<Segment>) {
    match value.get_ref() {
        DeValue::Table(table) => descend_table(table, offset, path),
        DeValue::Array(array) => {
            for (i, item) in array.iter().enumerate() {
                if holds(&item.span(), offset) || contains(item, offset) {
                    path.push(Segment::Index(i));
                    descend_value(item, offset, path);
                    return;
                }
            }
        }
        _ => {}
    }
}

/// Whether any key or value nested in `value` holds `offset` (tables spread over a file
/// have spans that do not cover their later keys).
fn contains(value: &Spanned<DeValue<'_>>, offset: usize) -> bool {
    match value.get_ref() {
        DeValue::Table(table) => table.iter().any(|(k, v)| {
            holds(&k.span(), offset) || holds(&v.span(), offset) || contains(v, offset)
        }),
        DeValue::Array(array) => array
            .iter()
            .any(|v| holds(&v.span(), offset) || contains(v, offset)),
        _ => false,
    }
}

/// Turns a TOML or serde error into a [`ScenarioError`] with line, key and a fix.
pub fn from_toml_error(file: &str, text: &str, err: &toml::de::Error) -> ScenarioError {
    let raw = err.message().trim().to_owned();
    let mut out = ScenarioError::new(file, raw.clone());
    if let Some(span) = err.span() {
        out = out.at_span(text, span.clone());
        out.key = path_at(text, span.start);
    }
    let (message, help) = explain_serde_message(&raw);
    out.message = message;
    if let (Some(missing), Some(key)) = (raw.strip_prefix("missing field `"), &out.key) {
        let field = missing.trim_end_matches('`');
        out.key = Some(format!("{key}.{field}"));
    }
    out.maybe_help(help)
}

/// Rewrites serde's wording ("invalid type: string \"a\", expected f64") in the words of
/// a scenario file, with a fix where one is clear.
fn explain_serde_message(raw: &str) -> (String, Option<String>) {
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let help = did_you_mean(field, candidates.iter().copied());
        return (format!("unknown key `{field}`"), help);
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return (
            format!("missing key `{field}`"),
            Some(format!("add `{field} = ...` here")),
        );
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = raw.strip_prefix(prefix) {
            let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            if let Some(message) = out_of_range(found.trim(), expected.trim()) {
                return message;
            }
            let want = describe_type(expected);
            return (
                format!("expected {want}, found {}", found.trim()),
                Some(format!("write {want}")),
            );
        }
    }
    (raw.to_owned(), None)
}

/// A whole number of the right type that does not fit it: too large, or negative.
fn out_of_range(found: &str, expected: &str) -> Option<(String, Option<String>)> {
    let max: u64 = match expected {
        "u8" => u8::MAX.into(),
        "u16" => u16::MAX.into(),
        "u32" => u32::MAX.into(),
        "u64" | "usize" => u64::MAX,
        _ => return None,
    };
    let number = found.strip_prefix("integer `")?.strip_suffix('`')?;
    let value: i128 = number.parse().ok()?;
    let message = if value < 0 {
        format!("{number} is negative")
    } else {
        format!("{number} is too large")
    };
    Some((
        message,
        Some(format!("write a whole number from 0 to {max}")),
    ))
}

fn describe_type(serde_name: &str) -> String {
    if serde_name.trim().starts_with("struct ") {
        return "a table of keys (a [section] or { key = value, ... })".into();
    }
    match serde_name.trim() {
        "f64" | "f32" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number >= 0".into(),
        "i64" | "i32" => "a whole number".into(),
        "a boolean" | "bool" => "true or false".into(),
        "a string" => "a quoted string".into(),
        "a sequence" => "a list like [\"A\", \"B\"]".into(),
        "a map" => "a table of keys (a [section] or { key = value, ... })".into(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[scenario]\nname = 'x'\n\n[params]\nbeta_peer = 1\n\n[[events]]\ndate = 2025-01-01\nkind = 'offer'\n\n[[events]]\ndate = 2025-02-01\nkind = 'summit'\n";

    #[test]
    fn paths_round_trip() {
        let p = parse_path("events[3].date").unwrap();
        assert_eq!(
            p,
            vec![
                Segment::Key("events".into()),
                Segment::Index(3),
                Segment::Key("date".into())
            ]
        );
        assert_eq!(format_path(&p), "events[3].date");
        assert!(parse_path("a..b").is_none());
        assert!(parse_path("a[x]").is_none());
    }

    #[test]
    fn spans_find_keys_and_fall_back_to_parents() {
        let line = |path: &str| {
            span_of(TEXT, path).map(|s| super::super::error::line_col(TEXT, s.start).0)
        };
        assert_eq!(line("params.beta_peer"), Some(5));
        assert_eq!(line("events[1].kind"), Some(13));
        assert_eq!(
            line("params.tau"),
            Some(4),
            "an unwritten key points at its table"
        );
        assert_eq!(line("nothing"), None);
    }

    #[test]
    fn offsets_map_back_to_paths() {
        let at = |needle: &str| path_at(TEXT, TEXT.find(needle).unwrap());
        assert_eq!(at("beta_peer").as_deref(), Some("params.beta_peer"));
        assert_eq!(at("'summit'").as_deref(), Some("events[1].kind"));
    }
}
