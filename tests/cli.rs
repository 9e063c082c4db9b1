//! The command line: `waico run` writes a complete folder, prints a summary, never
//! overwrites without `--force`; `waico validate` checks files without running them.

use std::path::Path;

use crate::util::waico;

const FILES: [&str; 8] = [
    "timeseries.csv",
    "nations.csv",
    "events.csv",
    "manifest.json",
    "membership.png",
    "membership.svg",
    "membership_by_region.png",
    "membership_by_region.svg",
];

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn run_without_a_scenario_writes_the_baseline_folder_and_a_summary() {
    let cwd = tempfile::tempdir().unwrap();
    let out = waico()
        .current_dir(cwd.path())
        .args(["run", "--seed", "2"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "baseline (seed 2)",
        "final:",
        "members",
        "first past:",
        "wrote",
    ] {
        assert!(
            stdout.contains(needle),
            "summary lacks {needle:?}:\n{stdout}"
        );
    }
    let dir = cwd.path().join("output/baseline/seed-2");
    for name in FILES {
        assert!(!read(&dir, name).is_empty(), "{name} is empty");
    }
    assert_eq!(&read(&dir, "membership.png")[..8], b"\x89PNG\r\n\x1a\n");
    let svg = String::from_utf8(read(&dir, "membership.svg")).unwrap();
    assert!(
        svg.contains("<svg") && svg.contains("WAICO membership"),
        "the SVG has its title"
    );
    let manifest: serde_json::Value = serde_json::from_slice(&read(&dir, "manifest.json")).unwrap();
    assert_eq!(manifest["seed"], 2);
    assert_eq!(manifest["scenario"]["name"], "baseline");
    assert_eq!(
        manifest["world"]["nations_sha256"].as_str().map(str::len),
        Some(64)
    );
    let timeseries = String::from_utf8(read(&dir, "timeseries.csv")).unwrap();
    assert!(timeseries.starts_with(
        "tick,date,members,partners,outside,joins,exits,upgrades,downgrades,member_gdp_share,member_population_share,legitimacy"
    ));
    assert_eq!(
        timeseries.lines().count(),
        67,
        "a header and 66 monthly rows"
    );
}

#[test]
fn existing_output_is_never_overwritten_without_force() {
    let cwd = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "--seed", "1", "--out", "here"];
        args.extend(extra);
        waico()
            .current_dir(cwd.path())
            .args(&args)
            .output()
            .unwrap()
    };
    assert!(run(&[]).status.success());
    let dir = cwd.path().join("here");
    std::fs::write(dir.join("timeseries.csv"), "edited by hand").unwrap();
    let refused = run(&[]);
    assert!(!refused.status.success());
    let err = String::from_utf8(refused.stderr).unwrap();
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(read(&dir, "timeseries.csv"), b"edited by hand", "untouched");
    assert!(run(&["--force"]).status.success());
    assert_ne!(
        read(&dir, "timeseries.csv"),
        b"edited by hand",
        "replaced with --force"
    );
    let leftovers: Vec<String> = std::fs::read_dir(cwd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, vec!["here"], "no staging folders remain");
}

#[test]
fn the_same_seed_twice_writes_identical_files() {
    let cwd = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        let o = waico()
            .current_dir(cwd.path())
            .args(["run", "--seed", "9", "--out", out])
            .output()
            .unwrap();
        assert!(o.status.success());
    }
    for name in FILES {
        assert!(
            read(&cwd.path().join("a"), name) == read(&cwd.path().join("b"), name),
            "{name} differs"
        );
    }
}

#[test]
fn the_shipped_baseline_file_runs_like_the_built_in_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cwd = tempfile::tempdir().unwrap();
    let file = root.join("scenarios/baseline.toml");
    for (args, out) in [
        (vec!["run"], "builtin"),
        (vec!["run", file.to_str().unwrap()], "file"),
    ] {
        let mut args = args.clone();
        args.extend(["--out", out]);
        assert!(
            waico()
                .current_dir(cwd.path())
                .args(&args)
                .output()
                .unwrap()
                .status
                .success()
        );
    }
    assert_eq!(
        read(&cwd.path().join("builtin"), "timeseries.csv"),
        read(&cwd.path().join("file"), "timeseries.csv")
    );
}

#[test]
fn validate_reports_each_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ok = waico()
        .args([
            "validate",
            root.join("scenarios/baseline.toml").to_str().unwrap(),
            "baseline",
        ])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(
        String::from_utf8(ok.stdout)
            .unwrap()
            .matches("ok: ")
            .count(),
        2
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[scenario]\nname = \"x\"\nstart = 2025-01-01\nend = 2024-01-01\n",
    )
    .unwrap();
    let out = waico()
        .args(["validate", "baseline", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.toml") && err.contains("1 of 2"), "{err}");
}

#[test]
fn a_scenario_finds_its_world_file_next_to_it_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("study");
    std::fs::create_dir(&nested).unwrap();
    let world = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/world/nations.csv"),
    )
    .unwrap();
    std::fs::write(nested.join("my-world.csv"), world).unwrap();
    std::fs::write(
        nested.join("s.toml"),
        "[scenario]\nname = \"mine\"\nstart = 2025-01-01\nend = 2026-01-01\nworld = \"my-world.csv\"\n",
    )
    .unwrap();
    let out = waico()
        .current_dir(dir.path())
        .args(["run", "study/s.toml", "--out", "o"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = String::from_utf8(read(&dir.path().join("o"), "manifest.json")).unwrap();
    assert!(
        manifest.contains("my-world.csv"),
        "the manifest names the world file"
    );
}
