//! The documentation's examples work: every TOML scenario shown in the README and in
//! docs/SCENARIOS.md validates, and every key of the format is documented.

use std::path::Path;

use waico::scenario;

fn toml_blocks(doc: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc)).unwrap();
    text.split("```toml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_documented_scenarios_validate() {
    let mut checked = 0;
    for doc in ["README.md", "docs/SCENARIOS.md"] {
        for block in toml_blocks(doc) {
            if block.contains("[scenario]") {
                scenario::parse(doc, &block, None).unwrap_or_else(|e| panic!("{doc}: {e}"));
                checked += 1;
            }
        }
    }
    assert!(checked >= 2, "found {checked} example scenarios");
}

#[test]
fn every_key_and_event_kind_is_documented() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/SCENARIOS.md"))
            .unwrap();
    let params = toml::Value::try_from(waico::scenario::Params::default()).unwrap();
    for key in params.as_table().unwrap().keys() {
        assert!(
            text.contains(&format!("`{key}`")),
            "params.{key} is not documented"
        );
    }
    for kind in waico::scenario::events::KINDS {
        assert!(
            text.contains(&format!("| `{}` |", kind.name)),
            "event kind {} is not documented",
            kind.name
        );
        for key in kind.required.iter().chain(kind.optional) {
            assert!(
                text.contains(&format!("`{key}`")),
                "event key {key} is not documented"
            );
        }
    }
    for column in waico::output::tables::TIMESERIES_COLUMNS
        .iter()
        .chain(&waico::output::tables::NATION_COLUMNS)
        .chain(&waico::output::tables::EVENT_COLUMNS)
    {
        assert!(
            text.contains(&format!("`{column}`")),
            "column {column} is not documented"
        );
    }
    for term in waico::model::Term::ALL {
        assert!(
            text.contains(&format!("`{}`", term.column())),
            "{} is not documented",
            term.column()
        );
    }
}

#[test]
fn the_model_documents_every_default_as_the_code_has_it() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/MODEL.md"))
        .unwrap();
    let params = toml::Value::try_from(waico::scenario::Params::default()).unwrap();
    for (key, value) in params.as_table().unwrap() {
        let row = format!("| `{key}` | {value} |");
        assert!(
            text.contains(&row),
            "docs/MODEL.md lacks the row starting {row:?}"
        );
    }
}

#[test]
fn the_shipped_and_documented_sweeps_validate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sweeps = root.join("scenarios/sweeps");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&sweeps).unwrap() {
        let path = entry.unwrap().path();
        let s = waico::sweep::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            s.runs() >= 1000,
            "{}: a shipped sweep has replicates enough to trust",
            path.display()
        );
        names.push(s.design.kind.clone());
    }
    names.sort();
    assert_eq!(names, ["grid", "grid", "lhs"]);
    for block in toml_blocks("docs/SWEEPS.md") {
        if block.contains("[sweep]") {
            waico::sweep::parse("docs/SWEEPS.md", &block, Some(&sweeps))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

#[test]
fn every_range_is_documented_with_its_bounds() {
    use waico::scenario::ranges::{BOUNDS, show};
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/SCENARIOS.md"))
            .unwrap();
    let section = text
        .split("## Ranges")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("docs/SCENARIOS.md has a Ranges section");
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| `")).collect();
    let row_of = |key: &str| {
        rows.iter().find(|l| {
            l.contains(&format!("`{key}`"))
                || (key.starts_with("params.beta_") && l.contains("`params.beta_0` ..."))
        })
    };
    let ranges = BOUNDS.iter().map(|b| (b.key, b.min, b.max)).chain(
        waico::world::ATTRIBUTE_RANGES
            .iter()
            .map(|r| (r.0, r.1, r.2)),
    );
    for (key, min, max) in ranges {
        let row = row_of(key).unwrap_or_else(|| panic!("no row documents `{key}`"));
        let bounds = format!("| {} | {} |", show(min), show(max));
        assert!(
            row.contains(&bounds),
            "`{key}` is documented as {row}, not {bounds}"
        );
    }
}
