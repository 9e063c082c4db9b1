//! Charts: every SVG the tool writes is well-formed XML whatever the labels hold, and
//! the geometry says what the data say: date ticks on calendar boundaries, every event
//! numbered and listed, no partners line without a partner tier.

use std::path::{Path, PathBuf};

use crate::util::waico;

fn ok(dir: &Path, args: &[&str]) {
    let out = waico().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every `.svg` file under `dir`, sorted.
fn svgs(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(svgs(&path));
        } else if path.extension().is_some_and(|e| e == "svg") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Every text node of an SVG with its `x` attribute: (text, x).
fn texts(svg: &str) -> Vec<(String, f64)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            (
                n.text().unwrap_or("").trim().to_owned(),
                n.attribute("x")
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(f64::NAN),
            )
        })
        .collect()
}

/// Labels that would break XML if they reached the SVG unescaped.
const HOSTILE: &str = r#"<b>Tom & "Jerry"</b> it's ]]> café"#;

#[test]
fn every_svg_the_tool_writes_parses_as_xml() {
    let cwd = tempfile::tempdir().unwrap();
    let dir = cwd.path();
    let mut scenario = String::from(
        "extends = \"baseline\"\n[scenario]\nname = \"odd\"\ndescription = \"<desc> & more\"\n",
    );
    // Twenty events more than the baseline's ten, all listed on the chart.
    for k in 0..20 {
        let label = toml::Value::String(format!("{HOSTILE} {k}"));
        scenario.push_str(&format!(
            "[[events]]\ndate = 2027-{:02}-0{}\nkind = \"pressure\"\nvalue = 0.5\nlabel = {label}\n",
            k % 12 + 1,
            k / 12 + 1
        ));
    }
    std::fs::write(dir.join("odd.toml"), scenario).unwrap();
    std::fs::write(
        dir.join("sweep.toml"),
        "[sweep]\nname = \"odd-sweep\"\nscenario = \"odd.toml\"\nreplicates = 2\n[design]\nkind = \"grid\"\n[[design.param]]\npath = \"policy.offer\"\nvalues = [0.5, 1.5]\n[[design.param]]\npath = \"policy.pressure\"\nvalues = [0.2, 0.8]\n",
    )
    .unwrap();
    ok(dir, &["run", "odd.toml"]);
    ok(dir, &["run", "partner-tier-off"]);
    ok(dir, &["sweep", "sweep.toml", "--jobs", "1"]);
    ok(
        dir,
        &[
            "compare",
            "odd.toml",
            "--set",
            "policy.offer=2",
            "--seeds",
            "2",
        ],
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let history = root.join("scenarios/history");
    ok(
        dir,
        &[
            "calibrate",
            history.join("aiib-2015.toml").to_str().unwrap(),
            "--observed",
            history.join("aiib-observed.csv").to_str().unwrap(),
            "--fit",
            "params.beta_bloc=0:6",
            "--seeds",
            "2",
            "--points",
            "2",
            "--iterations",
            "1",
        ],
    );
    let files = svgs(&dir.join("output"));
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in [
        "membership.svg",
        "membership_by_region.svg",
        "fan.svg",
        "response.svg",
        "heatmap.svg",
        "compare.svg",
        "calibration.svg",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "no {expected} in {names:?}"
        );
    }
    for file in &files {
        let svg = std::fs::read_to_string(file).unwrap();
        if let Err(e) = roxmltree::Document::parse(&svg) {
            panic!("{} is not XML: {e}", file.display());
        }
    }
    let membership = std::fs::read_to_string(dir.join("output/odd/seed-1/membership.svg")).unwrap();
    let listed: Vec<String> = texts(&membership).into_iter().map(|t| t.0).collect();
    for k in 0..20 {
        let label = format!("{HOSTILE} {k}");
        assert!(
            listed.contains(&label),
            "event {k} is not listed whole: {listed:?}"
        );
    }
    // Every distinct (date, label) of the manifest's events is numbered.
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("output/odd/seed-1/manifest.json")).unwrap(),
    )
    .unwrap();
    let mut events: Vec<String> = manifest["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e["date"], e["label"]))
        .collect();
    events.sort();
    events.dedup();
    assert_eq!(
        events.len(),
        28,
        "the baseline's 8 distinct events and 20 more"
    );
    assert!(
        listed.iter().any(|t| t == "28"),
        "all 28 events are numbered"
    );
    assert!(listed.iter().any(|t| t == "partners"));
    let off =
        std::fs::read_to_string(dir.join("output/partner-tier-off/seed-1/membership.svg")).unwrap();
    assert!(
        !texts(&off).iter().any(|t| t.0 == "partners"),
        "no partners key without a partner tier"
    );
}

#[test]
fn a_daily_run_ticks_on_month_starts_and_places_events_between_them() {
    let cwd = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/history/aiib-2015.toml");
    ok(
        cwd.path(),
        &["run", scenario.to_str().unwrap(), "--detail", "summary"],
    );
    let svg =
        std::fs::read_to_string(cwd.path().join("output/aiib-2015/seed-1/membership.svg")).unwrap();
    let texts = texts(&svg);
    let x_of = |label: &str| {
        texts
            .iter()
            .find(|t| t.0 == label)
            .unwrap_or_else(|| panic!("no label {label}: {texts:?}"))
            .1
    };
    let months = [
        "2014-11", "2014-12", "2015-01", "2015-02", "2015-03", "2015-04",
    ];
    let x: Vec<f64> = months.iter().map(|m| x_of(m)).collect();
    // Ticks on the 1st of each month: spaced by the days between them (30, 31, 31, 28, 31).
    let days = [30.0, 31.0, 31.0, 28.0, 31.0];
    let per_day = (x[5] - x[0]) / days.iter().sum::<f64>();
    for k in 0..5 {
        let gap = x[k + 1] - x[k];
        assert!(
            (gap - days[k] * per_day).abs() <= 1.5,
            "{} to {}: {gap} px, expected {} (ticks not on month starts)",
            months[k],
            months[k + 1],
            days[k] * per_day
        );
    }
    // The UK's application (2015-03-12) sits 11 days right of "2015-03". Its number is
    // the one the list under the plot gives it; its line's label holds that number alone
    // or within a range ("2–7") of events on the same date.
    let listed = texts
        .iter()
        .position(|t| t.0.starts_with("UK applies"))
        .expect("the UK's application is listed");
    let number: u32 = texts[listed - 2].0.parse().unwrap();
    let holds = |label: &str| match label.split_once('–') {
        Some((a, b)) => {
            a.parse::<u32>().is_ok_and(|a| a <= number)
                && b.parse::<u32>().is_ok_and(|b| number <= b)
        }
        None => label.parse::<u32>() == Ok(number),
    };
    let uk = texts
        .iter()
        .enumerate()
        // A number of the list is followed by its date; a line's label is not.
        .find(|(k, t)| {
            holds(&t.0)
                && texts
                    .get(k + 1)
                    .is_none_or(|next| !next.0.starts_with("20"))
        })
        .map(|(_, t)| t.1)
        .unwrap_or_else(|| panic!("no line label holds event {number}: {texts:?}"));
    assert!(
        (uk - (x[4] + 11.0 * per_day)).abs() <= 1.5,
        "the 2015-03-12 line is at {uk}, 2015-03-01 at {}",
        x[4]
    );
}
