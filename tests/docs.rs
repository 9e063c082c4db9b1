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
    assert_eq!(names, ["grid", "grid", "lhs", "sobol"]);
    let mut documented = 0;
    for doc in ["docs/SWEEPS.md", "docs/EXPLORE.md"] {
        for block in toml_blocks(doc) {
            if block.contains("[sweep]") {
                waico::sweep::parse(doc, &block, Some(&sweeps)).unwrap_or_else(|e| panic!("{e}"));
                documented += 1;
            }
        }
    }
    assert!(documented >= 2, "found {documented} documented sweeps");
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

/// An example whose printed output a document shows: the block's fence is preceded by a
/// comment `<!-- COMMAND -->` naming the shell command that prints it (`waico` stands for
/// the binary, `cargo run --release --` in the prose).
struct Example {
    /// The command line.
    command: String,
    /// The line numbers (0-based) of the block's first and last content lines.
    lines: (usize, usize),
}

/// The tagged examples of a document, in order.
fn examples(text: &str) -> Vec<Example> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let Some(command) = line
            .trim()
            .strip_prefix("<!-- $ ")
            .and_then(|c| c.strip_suffix("-->"))
        else {
            continue;
        };
        assert!(
            lines.get(k + 1).is_some_and(|l| l.starts_with("```")),
            "line {}: an example's comment must sit right above its fence",
            k + 1
        );
        let start = k + 2;
        let end = start
            + lines[start..]
                .iter()
                .position(|l| l.starts_with("```"))
                .expect("the block is closed");
        out.push(Example {
            command: command.trim().to_owned(),
            lines: (start, end),
        });
    }
    out
}

/// `line` with what changes from run to run replaced: times ("in 0.06 s") and job counts.
fn steady(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    let number = |w: &str| {
        let w = w.trim_start_matches('(');
        !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    let mut out: Vec<String> = Vec::new();
    for (k, word) in words.iter().enumerate() {
        let next = words.get(k + 1).copied().unwrap_or("");
        let prev = if k > 0 { words[k - 1] } else { "" };
        if number(word) && (next.starts_with("s") && next.len() <= 2 && prev == "in") {
            out.push("<time>".into());
        } else if number(word) && (next.starts_with("jobs") || next.starts_with("job)")) {
            out.push("<jobs>".into());
        } else {
            out.push((*word).to_owned());
        }
    }
    out.join(" ")
}

/// The shape of a line for finding it in the output: runs of digits become `#`, runs of
/// words (letters and the spaces between them, so "Suriname" and "El Salvador" alike)
/// become `a`, other spaces go, punctuation stays.
fn shape(line: &str) -> String {
    let mut out = String::new();
    for c in line.trim().chars() {
        let class = if c.is_ascii_digit() {
            '#'
        } else if c.is_alphabetic() {
            'a'
        } else if c.is_whitespace() {
            continue;
        } else {
            c
        };
        if !(out.ends_with(class) && matches!(class, '#' | 'a')) {
            out.push(class);
        }
    }
    out
}

#[test]
fn lines_are_found_by_their_shape_whatever_the_names_and_numbers() {
    assert_eq!(
        shape("    SUR  Suriname      differs in  67% of seeds"),
        shape("    SLV  El Salvador   differs in   5% of seeds")
    );
    assert_ne!(shape("  2030-12-26   64.2"), shape("  final: 71 members"));
}

/// Matches a documented block against the actual output: `...` lines stand for any lines;
/// every other line must equal its line of the output (times and job counts aside). Returns
/// the block with its lines `update`d from the output (the `...` kept), or why it does not
/// match.
fn match_block(doc: &[String], actual: &[String], update: bool) -> Result<Vec<String>, String> {
    let mut segments: Vec<Vec<String>> = vec![Vec::new()];
    for line in doc {
        if line.trim() == "..." {
            segments.push(Vec::new());
        } else {
            segments.last_mut().expect("one segment").push(line.clone());
        }
    }
    let (mut cursor, mut out) = (0usize, Vec::new());
    let count = segments.len();
    for (k, seg) in segments.iter().enumerate() {
        if k > 0 {
            out.push(
                doc.iter()
                    .find(|l| l.trim() == "...")
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        if seg.is_empty() {
            continue;
        }
        let fits = |pos: usize| {
            pos + seg.len() <= actual.len()
                && seg
                    .iter()
                    .zip(&actual[pos..])
                    .all(|(d, a)| shape(d) == shape(a))
        };
        // The first segment starts the output and the last ends it, unless `...` says
        // more comes before or after.
        let (first, last) = (k == 0, k + 1 == count);
        let pos = match (first, last) {
            (true, true) => Some(0).filter(|&p| fits(p) && seg.len() == actual.len()),
            (true, false) => Some(0).filter(|&p| fits(p)),
            (false, true) => actual
                .len()
                .checked_sub(seg.len())
                .filter(|&p| p >= cursor && fits(p)),
            (false, false) => (cursor..actual.len()).find(|&p| fits(p)),
        }
        .ok_or_else(|| format!("the lines starting {:?} are not in the output", seg[0]))?;
        for (d, a) in seg.iter().zip(&actual[pos..]) {
            if steady(d) == steady(a) {
                out.push(d.clone());
            } else if update {
                out.push(a.clone());
            } else {
                return Err(format!("documented:\n  {d}\nprinted:\n  {a}"));
            }
        }
        cursor = pos + seg.len();
    }
    Ok(out)
}

/// Runs `command` with `sh` in `dir`, `waico` on the PATH; returns stdout then stderr.
fn run_example(dir: &Path, command: &str) -> Vec<String> {
    let bin = dir.join(".bin");
    if !bin.exists() {
        std::fs::create_dir(&bin).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_waico"), bin.join("waico")).unwrap();
        std::os::unix::fs::symlink(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
            dir.join("scenarios"),
        )
        .unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines().map(str::to_owned).collect()
}

/// The documents whose examples are run.
const RUN_DOCS: [&str; 4] = [
    "README.md",
    "docs/ANALYSIS.md",
    "docs/SCENARIOS.md",
    "docs/SWEEPS.md",
];

/// Every tagged example of the README and the docs is run, in document order in one
/// folder per document, and its printed output compared with the document's. Set
/// `WAICO_UPDATE_DOCS=1` to rewrite the documented outputs from the actual ones (when the
/// model's numbers change on purpose); review the diff before committing it.
#[test]
fn the_documented_commands_print_what_the_documents_show() {
    let update = std::env::var_os("WAICO_UPDATE_DOCS").is_some();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    let mut failures = Vec::new();
    for doc in RUN_DOCS {
        let path = root.join(doc);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let scratch = tempfile::tempdir().unwrap();
        // Replace from the end, so earlier line numbers stay valid.
        let mut rewrites = Vec::new();
        for example in examples(&text) {
            let (start, end) = example.lines;
            let actual = run_example(scratch.path(), &example.command);
            match match_block(&lines[start..end], &actual, update) {
                Ok(block) => rewrites.push((start, end, block)),
                Err(why) if update => {
                    eprintln!("{doc}: `{}` rewritten whole: {why}", example.command);
                    rewrites.push((start, end, actual));
                }
                Err(why) => failures.push(format!(
                    "{doc}, line {}: `{}`: {why}",
                    start + 1,
                    example.command
                )),
            }
            checked += 1;
        }
        if update {
            for (start, end, block) in rewrites.into_iter().rev() {
                lines.splice(start..end, block);
            }
            let mut new = lines.join("\n");
            new.push('\n');
            if new != text {
                std::fs::write(&path, new).unwrap();
            }
        }
    }
    assert!(
        failures.is_empty(),
        "the docs and the commands disagree (if the change is meant, run \
         `WAICO_UPDATE_DOCS=1 cargo test --test tests docs::` and review the diff):\n{}",
        failures.join("\n\n")
    );
    assert!(checked >= 5, "found {checked} examples");
}

#[test]
fn documented_outputs_match_with_elisions_times_and_jobs_aside() {
    let lines = |t: &str| t.lines().map(str::to_owned).collect::<Vec<_>>();
    let actual = lines(
        "head 1\nrow 2021 1.0\nrow 2022 2.0\nrow 2023 3.0\nfinal 3 of 9\nx AAA\nx BBB\n  wrote out in 0.52 s (8 runs, 2 jobs)",
    );
    let doc = lines(
        "head 1\nrow 2021 1.0\n...\nrow 2023 3.0\nfinal 3 of 9\nx AAA\n...\n  wrote out in 0.06 s (8 runs, 8 jobs)",
    );
    assert_eq!(
        match_block(&doc, &actual, false).unwrap(),
        doc,
        "times and jobs aside"
    );
    let wrong = lines("head 1\nrow 2021 1.5\n...");
    assert!(
        match_block(&wrong, &actual, false)
            .unwrap_err()
            .contains("row 2021 1.5")
    );
    assert_eq!(
        match_block(&wrong, &actual, true).unwrap(),
        lines("head 1\nrow 2021 1.0\n..."),
        "an update keeps the elisions"
    );
    let missing = lines("head 1\n...\nnot there 1");
    assert!(match_block(&missing, &actual, true).is_err());
    let short = lines("head 1\nrow 2021 1.0");
    assert!(
        match_block(&short, &actual, false).is_err(),
        "without ... the block is the whole output"
    );
}
