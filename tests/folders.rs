//! Output folders: runs with overrides and unnamed child scenarios never share a default
//! folder with another scenario; `--force` replaces only a folder of the command's own
//! kind and names what it replaces when something else made it; every command that is
//! given a folder of the wrong kind says which kind it is.

use std::path::Path;
use std::process::Output;

use crate::util::waico;

/// A short child of the baseline (17 monthly ticks, to the last of its events), named or
/// not.
fn child(dir: &Path, file: &str, name: Option<&str>) {
    let name = name.map_or(String::new(), |n| format!("name = \"{n}\"\n"));
    std::fs::write(
        dir.join(file),
        format!("extends = \"baseline\"\n[scenario]\n{name}end = 2026-12-26\n"),
    )
    .unwrap();
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    waico().current_dir(dir).args(args).output().unwrap()
}

fn ok(out: &Output) -> (String, String) {
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "failed: {stderr}");
    (stdout, stderr)
}

fn fails(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn overrides_and_unnamed_children_get_folders_of_their_own() {
    let cwd = tempfile::tempdir().unwrap();
    let at = |p: &str| cwd.path().join(p);
    child(cwd.path(), "short.toml", Some("short"));
    child(cwd.path(), "what-if.toml", None);
    ok(&run_in(cwd.path(), &["run", "short.toml"]));
    assert!(at("output/short/seed-1/manifest.json").is_file());

    // The same scenario with an override: its own folder, the overrides in the summary
    // and the manifest.
    let (stdout, _) = ok(&run_in(
        cwd.path(),
        &["run", "short.toml", "--set", "policy.offer=2"],
    ));
    assert!(
        stdout.contains("overrides: --set policy.offer=2"),
        "{stdout}"
    );
    let set_dirs: Vec<String> = std::fs::read_dir(at("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("short+set-"))
        .collect();
    assert_eq!(set_dirs.len(), 1, "{set_dirs:?}");
    assert_eq!(set_dirs[0].len(), "short+set-".len() + 6);
    let m = manifest(&at(&format!("output/{}/seed-1", set_dirs[0])));
    assert_eq!(m["scenario"]["overrides"][0], "policy.offer=2");
    assert_eq!(m["kind"], "run");
    // Another override set, another folder; the same set, the same folder.
    ok(&run_in(
        cwd.path(),
        &["run", "short.toml", "--set", "policy.offer=3"],
    ));
    let again = fails(&run_in(
        cwd.path(),
        &["run", "short.toml", "--set", "policy.offer=2"],
    ));
    assert!(again.contains("already exists"), "{again}");

    // A child without a name: named after its file, with a warning from validate and run.
    let out = run_in(cwd.path(), &["validate", "what-if.toml"]);
    let (stdout, stderr) = ok(&out);
    assert!(stdout.contains("ok: what-if.toml (what-if:"), "{stdout}");
    assert!(
        stderr.contains(
            "warning: what-if.toml extends built-in baseline but sets no [scenario] name"
        ),
        "{stderr}"
    );
    let (_, stderr) = ok(&run_in(cwd.path(), &["run", "what-if.toml"]));
    assert!(stderr.contains("named `what-if`"), "{stderr}");
    assert_eq!(
        manifest(&at("output/what-if/seed-1"))["scenario"]["name"],
        "what-if"
    );
    assert!(
        !at("output/baseline").exists(),
        "nothing landed in the parent's folder"
    );

    let mut names: Vec<String> = std::fs::read_dir(at("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "four distinct folders: {names:?}");
}

#[test]
fn force_replaces_only_runs_and_names_what_it_replaces() {
    let cwd = tempfile::tempdir().unwrap();
    let at = |p: &str| cwd.path().join(p);
    child(cwd.path(), "short.toml", Some("short"));
    child(cwd.path(), "other.toml", Some("other"));
    ok(&run_in(cwd.path(), &["run", "short.toml", "--out", "here"]));

    // Without --force: refused, naming what the folder holds.
    let err = fails(&run_in(cwd.path(), &["run", "other.toml", "--out", "here"]));
    assert!(
        err.contains("already exists") && err.contains("made by `short`, seed 1"),
        "{err}"
    );
    assert_eq!(manifest(&at("here"))["scenario"]["name"], "short");

    // The same run again with --force: replaced without a word.
    let (_, stderr) = ok(&run_in(
        cwd.path(),
        &["run", "short.toml", "--out", "here", "--force"],
    ));
    assert!(stderr.is_empty(), "{stderr}");
    // Another scenario, seed or override set with --force: replaced, and said so.
    for (args, old) in [
        (
            vec!["run", "other.toml", "--out", "here", "--force"],
            "`short`, seed 1",
        ),
        (
            vec![
                "run",
                "other.toml",
                "--out",
                "here",
                "--force",
                "--seed",
                "2",
            ],
            "`other`, seed 1",
        ),
        (
            vec![
                "run",
                "other.toml",
                "--out",
                "here",
                "--force",
                "--seed",
                "2",
                "--set",
                "policy.offer=2",
            ],
            "`other`, seed 2 (sha256",
        ),
    ] {
        let (_, stderr) = ok(&run_in(cwd.path(), &args));
        assert!(
            stderr.contains("note: replacing here, which is a run folder"),
            "{stderr}"
        );
        assert!(stderr.contains(old), "{args:?}: {stderr}");
    }
    assert_eq!(
        manifest(&at("here"))["scenario"]["overrides"][0],
        "policy.offer=2"
    );

    // Folders that are not runs are never replaced, whatever the flags.
    std::fs::create_dir(at("mine")).unwrap();
    std::fs::write(at("mine/notes.txt"), "keep").unwrap();
    let err = fails(&run_in(
        cwd.path(),
        &["run", "short.toml", "--out", "mine", "--force"],
    ));
    assert!(
        err.contains("is not a folder written by waico") && err.contains("left untouched"),
        "{err}"
    );
    assert_eq!(std::fs::read(at("mine/notes.txt")).unwrap(), b"keep");
    ok(&run_in(cwd.path(), &["run", "short.toml", "--seed", "1"]));
    ok(&run_in(cwd.path(), &["run", "short.toml", "--seed", "2"]));
    let err = fails(&run_in(
        cwd.path(),
        &["run", "other.toml", "--out", "output/short", "--force"],
    ));
    assert!(
        err.contains("a scenario's folder holding 2 run folders (seed-1, seed-2)"),
        "{err}"
    );
    assert!(at("output/short/seed-2/manifest.json").is_file());
}

/// A tiny sweep of the short scenario: 2 points x 2 replicates.
const SWEEP: &str = r#"
[sweep]
name = "tiny"
scenario = "short.toml"
replicates = 2

[design]
kind = "grid"

[[design.param]]
path = "policy.offer"
values = [0.5, 1.5]
"#;

#[test]
fn every_command_names_the_kind_of_a_wrong_folder() {
    let cwd = tempfile::tempdir().unwrap();
    let dir = cwd.path();
    child(dir, "short.toml", Some("short"));
    std::fs::write(dir.join("tiny.toml"), SWEEP).unwrap();
    ok(&run_in(dir, &["run", "short.toml"]));
    ok(&run_in(
        dir,
        &["sweep", "tiny.toml", "--out", "sw", "--jobs", "1"],
    ));
    ok(&run_in(
        dir,
        &[
            "sweep",
            "tiny.toml",
            "--out",
            "shard",
            "--shard",
            "1/2",
            "--jobs",
            "1",
        ],
    ));
    ok(&run_in(
        dir,
        &[
            "compare",
            "short.toml",
            "--set",
            "policy.offer=2",
            "--seeds",
            "2",
            "--out",
            "cmp",
        ],
    ));
    std::fs::create_dir(dir.join("empty")).unwrap();
    std::fs::write(dir.join("file.txt"), "x").unwrap();

    let run = "output/short/seed-1";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["explain", "sw", "PAK"],
            "is a sweep folder (written by `waico sweep`), not a run folder",
        ),
        (
            vec!["explain", "shard", "PAK"],
            "is the folder of one shard of a sweep",
        ),
        (
            vec!["explain", "cmp", "PAK"],
            "is a comparison folder (written by `waico compare`), not a run folder",
        ),
        (
            vec!["explain", "output/short", "PAK"],
            "is a scenario's folder holding 1 run folder (seed-1)",
        ),
        (
            vec!["explain", "empty", "PAK"],
            "is an empty folder, not a run folder",
        ),
        (
            vec!["explain", "file.txt", "PAK"],
            "is a file, not a folder",
        ),
        (vec!["explain", "nowhere", "PAK"], "does not exist"),
        (
            vec!["plot", "output/short"],
            "is a scenario's folder holding 1 run folder",
        ),
        (
            vec!["plot", "empty"],
            "is an empty folder, so there are no charts to redraw",
        ),
        (vec!["plot", "file.txt"], "is a file, not a folder"),
        (
            vec!["plot", run, "--outcome", "peak_members"],
            "is a run folder (written by `waico run`): --outcome",
        ),
        (
            vec!["merge", run, "--out", "m"],
            "is a run folder (written by `waico run`), not the folder of a shard",
        ),
        (
            vec!["merge", "sw", "--out", "m"],
            "is a sweep folder (written by `waico sweep`), not the folder of a shard",
        ),
        (
            vec!["merge", "shard", "--out", "m"],
            "shard 2 of 2 is missing",
        ),
        (
            vec!["sweep", "tiny.toml", "--out", run, "--force"],
            "is a run folder (written by `waico run`); a sweep writes only",
        ),
        (
            vec!["sweep", "tiny.toml", "--out", "cmp", "--resume"],
            "is a comparison folder",
        ),
        (
            vec!["run", "short.toml", "--out", "sw", "--force"],
            "is a sweep folder (written by `waico sweep`); --force replaces only a run folder",
        ),
        (
            vec![
                "compare",
                "short.toml",
                "--seeds",
                "2",
                "--out",
                run,
                "--force",
            ],
            "is a run folder (written by `waico run`); --force replaces only a compare folder",
        ),
    ];
    for (args, kind) in cases {
        let err = fails(&run_in(dir, &args));
        assert!(err.contains(kind), "{args:?}:\n{err}");
    }
    // What was refused is untouched.
    assert_eq!(manifest(&dir.join(run))["kind"], "run");
    assert_eq!(manifest(&dir.join("sw"))["kind"], "sweep");
    assert!(!dir.join("m").exists());
}
