//! `extends = "baseline.toml"`: a scenario written as changes to another.
//!
//! A file that extends another is read as the other file with its own keys laid on top:
//! tables merge key by key (a key the child writes replaces the parent's), and the
//! child's `[[events]]` are appended to the parent's, so a what-if keeps the parent's
//! timeline and adds its own dated events. Chains are allowed (a parent may extend a
//! grandparent), cycles are not.
//!
//! The parent is looked up next to the extending file first, then among the built-in
//! scenarios by name (with or without `.toml`), so the built-in library resolves the same
//! way wherever the binary runs.
//!
//! Errors keep pointing into the file that wrote the offending key: a key the child writes
//! is the child's, an event is the file whose `[[events]]` holds it (with its index in
//! that file), anything else the nearest parent that writes it.

use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use super::error::ScenarioError;
use super::locate::{self, Segment, format_path, parse_path};
use super::{BUILTINS, locate_error};

/// How deep a chain of `extends` may go.
const MAX_DEPTH: usize = 8;

/// One file of a chain.
#[derive(Clone, Debug)]
pub struct Layer {
    /// The file as named in errors (a path, or `built-in NAME`).
    pub label: String,
    /// Its text.
    pub text: String,
    /// Its folder (for relative paths), none for a built-in scenario.
    pub dir: Option<PathBuf>,
    /// How many `[[events]]` it writes itself.
    pub events: usize,
}

/// A scenario file with its chain of parents resolved and merged.
#[derive(Clone, Debug)]
pub struct Layered {
    /// The chain, the root parent first and the file itself last.
    pub layers: Vec<Layer>,
    /// The merged table (without `extends`).
    pub table: toml::Table,
}

impl Layered {
    /// Whether the file extends another.
    pub fn is_layered(&self) -> bool {
        self.layers.len() > 1
    }

    /// Whether the file itself (the last of the chain) writes `key`.
    pub fn top_writes(&self, key: &str) -> bool {
        let top = self.layers.last().expect("a chain has at least one file");
        parse_path(key).is_some_and(|segments| writes(&top.text, &segments))
    }

    /// The text a scenario's hash covers: every file of the chain, root first.
    pub fn hash_text(&self) -> String {
        let texts: Vec<&str> = self.layers.iter().map(|l| l.text.as_str()).collect();
        texts.join("\n# --- extended by ---\n")
    }

    /// Moves an error that names a key of the merged scenario into the file that writes
    /// that key, with that file's line (and, for events, the event's index in that file).
    pub fn relocate(&self, mut err: ScenarioError) -> ScenarioError {
        let top = self.layers.last().expect("a chain has at least one file");
        let Some(key) = err.key.clone() else {
            err.file = top.label.clone();
            return err;
        };
        let (layer, key) = self.origin(&key);
        err.file = layer.label.clone();
        err.key = Some(key);
        err.line = None;
        err.column = None;
        locate_error(err, &layer.text)
    }

    /// The file that writes `key`, and the key as that file writes it.
    fn origin(&self, key: &str) -> (&Layer, String) {
        let top = self.layers.last().expect("a chain has at least one file");
        let Some(mut segments) = parse_path(key) else {
            return (top, key.to_owned());
        };
        if let [Segment::Key(first), Segment::Index(n), ..] = segments.as_slice()
            && first == "events"
        {
            let mut start = 0;
            let n = *n;
            for layer in &self.layers {
                if n < start + layer.events {
                    segments[1] = Segment::Index(n - start);
                    return (layer, format_path(&segments));
                }
                start += layer.events;
            }
            return (top, key.to_owned());
        }
        let layer = self
            .layers
            .iter()
            .rev()
            .find(|l| writes(&l.text, &segments))
            .unwrap_or(top);
        (layer, key.to_owned())
    }
}

/// Reads `text` (named `label`, in folder `dir`) and, if it extends another scenario,
/// its chain of parents, merged into one table.
pub fn resolve(label: &str, text: &str, dir: Option<&Path>) -> Result<Layered, ScenarioError> {
    // The top file's relative paths stay relative to its own folder (validation resolves
    // them there); only parents' paths are made absolute.
    resolve_at(label, text, dir, &mut Vec::new())
}

fn resolve_at(
    label: &str,
    text: &str,
    dir: Option<&Path>,
    seen: &mut Vec<String>,
) -> Result<Layered, ScenarioError> {
    let mut table: toml::Table =
        toml::from_str(text).map_err(|e| locate::from_toml_error(label, text, &e))?;
    let events = table
        .get("events")
        .and_then(toml::Value::as_array)
        .map_or(0, Vec::len);
    let me = Layer {
        label: label.to_owned(),
        text: text.to_owned(),
        dir: dir.map(Path::to_path_buf),
        events,
    };
    let Some(parent) = table.remove("extends") else {
        return Ok(Layered {
            layers: vec![me],
            table,
        });
    };
    let here =
        |message: String| locate_error(ScenarioError::new(label, message).key("extends"), text);
    let Some(name) = parent.as_str() else {
        return Err(here("`extends` must be a quoted file name".into())
            .help("write extends = \"baseline.toml\""));
    };
    seen.push(identity(label, dir));
    if seen.len() > MAX_DEPTH {
        return Err(
            here(format!("more than {MAX_DEPTH} files extend one another"))
                .help("flatten the chain: copy the keys you need into fewer files"),
        );
    }
    let (parent_label, parent_text, parent_dir) = find_parent(name, dir)
        .map_err(|help| here(format!("cannot find the scenario `{name}` to extend")).help(help))?;
    if seen.contains(&identity(&parent_label, parent_dir.as_deref())) {
        return Err(here(format!("`{name}` extends this file again (a cycle)"))
            .help("remove `extends` from one of the files"));
    }
    let mut parent = resolve_at(&parent_label, &parent_text, parent_dir.as_deref(), seen)?;
    seen.pop();
    absolute_paths(&mut parent.table, parent_dir.as_deref());
    merge(&mut parent.table, table);
    parent.layers.push(me);
    Ok(parent)
}

/// A file's identity for cycle detection.
fn identity(label: &str, dir: Option<&Path>) -> String {
    match dir {
        Some(_) => std::fs::canonicalize(label)
            .map_or_else(|_| label.to_owned(), |p| p.display().to_string()),
        None => label.to_owned(),
    }
}

/// The parent's label, text and folder; on failure, a fix.
fn find_parent(
    name: &str,
    dir: Option<&Path>,
) -> Result<(String, String, Option<PathBuf>), String> {
    if let Some(dir) = dir {
        let path = dir.join(name);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("`{}` cannot be read: {e}", path.display()))?;
            return Ok((
                path.display().to_string(),
                text,
                path.parent().map(Path::to_path_buf),
            ));
        }
    }
    let bare = name.strip_suffix(".toml").unwrap_or(name);
    if let Some((builtin, text)) = BUILTINS.iter().find(|(n, _)| *n == bare) {
        return Ok((format!("built-in {builtin}"), (*text).to_owned(), None));
    }
    let names: Vec<&str> = BUILTINS.iter().map(|b| b.0).collect();
    Err(format!(
        "give a file next to this one{}, or a built-in scenario: {}",
        dir.map(|d| format!(" (in `{}`)", d.display()))
            .unwrap_or_default(),
        names.join(", ")
    ))
}

/// Makes a parent's relative `scenario.world` and `scenario.trade` paths absolute, so they
/// keep naming the parent's files once the table belongs to the child.
fn absolute_paths(table: &mut toml::Table, dir: Option<&Path>) {
    let Some(dir) = dir else { return };
    let Some(toml::Value::Table(section)) = table.get_mut("scenario") else {
        return;
    };
    for key in ["world", "trade"] {
        if let Some(toml::Value::String(path)) = section.get_mut(key)
            && !matches!(path.as_str(), "builtin" | "none")
            && Path::new(path.as_str()).is_relative()
        {
            let joined = dir.join(path.as_str());
            let absolute = std::path::absolute(&joined).unwrap_or(joined);
            *path = absolute.display().to_string();
        }
    }
}

/// Lays `child` over `parent`: tables merge, top-level `events` append, other keys replace.
fn merge(parent: &mut toml::Table, child: toml::Table) {
    for (key, value) in child {
        match (parent.get_mut(&key), value) {
            (Some(toml::Value::Array(mine)), toml::Value::Array(theirs)) if key == "events" => {
                mine.extend(theirs);
            }
            (Some(toml::Value::Table(mine)), toml::Value::Table(theirs)) => {
                merge_tables(mine, theirs);
            }
            (_, value) => {
                parent.insert(key, value);
            }
        }
    }
}

fn merge_tables(parent: &mut toml::Table, child: toml::Table) {
    for (key, value) in child {
        match (parent.get_mut(&key), value) {
            (Some(toml::Value::Table(mine)), toml::Value::Table(theirs)) => {
                merge_tables(mine, theirs);
            }
            (_, value) => {
                parent.insert(key, value);
            }
        }
    }
}

/// Whether `text` writes the key at `segments` itself (not just a parent table of it).
fn writes(text: &str, segments: &[Segment]) -> bool {
    let Ok(root) = DeTable::parse(text) else {
        return false;
    };
    let mut table = root.get_ref();
    for (k, segment) in segments.iter().enumerate() {
        let Segment::Key(name) = segment else {
            return false;
        };
        let Some((_, value)) = table.iter().find(|(key, _)| key.get_ref() == name) else {
            return false;
        };
        if k + 1 == segments.len() {
            return true;
        }
        match value.get_ref() {
            DeValue::Table(inner) => table = inner,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARENT: &str = "[scenario]\nname = 'p'\nstart = 2025-01-01\nend = 2026-01-01\n\n[params]\nbeta_peer = 1.0\ntau = 0.5\n\n[[events]]\ndate = 2025-02-01\nkind = 'offer'\nvalue = 1.0\n";

    fn layered(child: &str) -> Layered {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("parent.toml"), PARENT).unwrap();
        let label = dir.path().join("child.toml").display().to_string();
        let l = resolve(&label, child, Some(dir.path())).unwrap();
        drop(dir);
        l
    }

    #[test]
    fn tables_merge_and_events_append() {
        let l = layered(
            "extends = 'parent.toml'\n[scenario]\nname = 'c'\n[params]\ntau = 0.2\n[[events]]\ndate = 2025-03-01\nkind = 'pressure'\nvalue = 1.0\n",
        );
        assert_eq!(l.layers.len(), 2);
        assert_eq!(l.table["scenario"]["name"].as_str(), Some("c"));
        assert!(
            l.table["scenario"].get("start").is_some(),
            "kept from the parent"
        );
        assert_eq!(l.table["params"]["tau"].as_float(), Some(0.2));
        assert_eq!(l.table["params"]["beta_peer"].as_float(), Some(1.0));
        let events = l.table["events"].as_array().unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1]["kind"].as_str(), Some("pressure"));
        assert!(!l.table.contains_key("extends"));
    }

    #[test]
    fn errors_point_into_the_file_that_writes_the_key() {
        let l = layered(
            "extends = 'parent.toml'\n[scenario]\nname = 'c'\n\n[[events]]\ndate = 2025-03-01\nkind = 'pressure'\n",
        );
        let e = l.relocate(ScenarioError::new("x", "bad").key("events[1].kind"));
        assert!(e.file.ends_with("child.toml"), "{}", e.file);
        assert_eq!(e.key.as_deref(), Some("events[0].kind"));
        assert_eq!(e.line, Some(7));
        let e = l.relocate(ScenarioError::new("x", "bad").key("events[0].value"));
        assert!(e.file.ends_with("parent.toml"), "{}", e.file);
        assert_eq!(e.line, Some(13));
        let e = l.relocate(ScenarioError::new("x", "bad").key("params.tau"));
        assert!(e.file.ends_with("parent.toml"));
        assert_eq!(e.line, Some(8));
        let e = l.relocate(ScenarioError::new("x", "bad").key("scenario.name"));
        assert!(e.file.ends_with("child.toml"));
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn missing_parents_and_cycles_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        let b = dir.path().join("b.toml");
        std::fs::write(&a, "extends = 'b.toml'\n").unwrap();
        std::fs::write(&b, "extends = 'a.toml'\n").unwrap();
        let text = std::fs::read_to_string(&a).unwrap();
        let e = resolve(&a.display().to_string(), &text, Some(dir.path())).unwrap_err();
        assert!(e.message.contains("cycle"), "{}", e.message);
        let e = resolve("c.toml", "extends = 'nowhere.toml'\n", Some(dir.path())).unwrap_err();
        assert!(e.message.contains("cannot find"), "{}", e.message);
        assert_eq!(e.line, Some(1));
        assert!(e.help.unwrap().contains("baseline"));
        let e = resolve("c.toml", "extends = 3\n", None).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("extends"));
    }

    #[test]
    fn built_in_parents_resolve_by_name() {
        let l = resolve(
            "c.toml",
            "extends = 'baseline.toml'\n[scenario]\nname = 'c'\n",
            None,
        )
        .unwrap();
        assert_eq!(l.layers[0].label, "built-in baseline");
        assert_eq!(l.table["scenario"]["name"].as_str(), Some("c"));
    }
}
