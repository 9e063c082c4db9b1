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

#[test]
fn a_run_covers_every_day_to_its_end_and_every_output_agrees() {
    let cwd = tempfile::tempdir().unwrap();
    let scenario = |event: &str| {
        format!(
            "extends = \"baseline\"\n[scenario]\nname = \"to-year-end\"\nend = 2030-12-31\n[[events]]\ndate = {event}\nkind = \"shock\"\nstate = \"IND\"\nvalue = 1.0\n"
        )
    };
    std::fs::write(cwd.path().join("late.toml"), scenario("2030-12-28")).unwrap();
    let out = waico()
        .current_dir(cwd.path())
        .args(["run", "late.toml"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("2025-07-26 to 2031-01-26, 66 month ticks")
            && stdout
                .contains("the end date 2030-12-31 falls within the last tick, dated 2031-01-26"),
        "{stdout}"
    );
    let dir = cwd.path().join("output/to-year-end/seed-1");
    let manifest: serde_json::Value = serde_json::from_slice(&read(&dir, "manifest.json")).unwrap();
    assert_eq!(manifest["run"]["ticks"], 66, "the ticks printed");
    assert_eq!(manifest["run"]["rows"], 67, "tick 0 and 66 ticks");
    assert_eq!(manifest["run"]["end"], "2030-12-31");
    assert_eq!(manifest["run"]["last_tick_date"], "2031-01-26");
    let timeseries = String::from_utf8(read(&dir, "timeseries.csv")).unwrap();
    assert_eq!(timeseries.lines().count(), 1 + 67);
    let events = String::from_utf8(read(&dir, "events.csv")).unwrap();
    assert!(
        events.contains("66,2031-01-26,shock,IND,"),
        "the event three days before the end fires in the last tick:\n{events}"
    );

    std::fs::write(cwd.path().join("after.toml"), scenario("2031-01-01")).unwrap();
    let out = waico()
        .current_dir(cwd.path())
        .args(["validate", "after.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("2031-01-01 falls outside the run, which covers 2025-07-26 to 2030-12-31"),
        "{err}"
    );
}

#[test]
fn summary_detail_and_compression_keep_what_they_say() {
    let cwd = tempfile::tempdir().unwrap();
    let waico_in = |args: &[&str]| waico().current_dir(cwd.path()).args(args).output().unwrap();
    for (out, extra) in [
        ("plain", vec![]),
        ("summary", vec!["--detail", "summary"]),
        ("zipped", vec!["--compress"]),
    ] {
        let mut args = vec!["run", "--out", out];
        args.extend(extra);
        let o = waico_in(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let at = |p: &str| cwd.path().join(p);
    assert!(!at("summary/nations.csv").exists());
    assert!(at("summary/timeseries.csv").is_file() && at("summary/events.csv").is_file());
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&at("summary"), "manifest.json")).unwrap();
    assert_eq!(manifest["detail"], "summary");
    let refused = waico_in(&["explain", "summary", "PAK"]);
    let err = String::from_utf8(refused.stderr).unwrap();
    assert!(
        err.contains("--detail summary") && err.contains("--detail full"),
        "{err}"
    );

    for table in ["timeseries.csv", "nations.csv", "events.csv"] {
        assert!(!at("zipped").join(table).exists());
        let zipped = read(&at("zipped"), &format!("{table}.gz"));
        let mut text = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(zipped.as_slice()),
            &mut text,
        )
        .unwrap();
        let plain = read(&at("plain"), table);
        assert!(text == plain, "{table}.gz holds {table}");
        if table == "nations.csv" {
            assert!(
                zipped.len() * 4 < plain.len(),
                "{} of {}",
                zipped.len(),
                plain.len()
            );
        }
    }
    let explain = |dir: &str| waico_in(&["explain", dir, "PAK"]).stdout;
    let (plain, zipped) = (explain("plain"), explain("zipped"));
    assert!(!plain.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&plain).replace("(plain)", "(zipped)"),
        String::from_utf8_lossy(&zipped),
        "explain reads a compressed folder"
    );
    assert!(waico_in(&["plot", "zipped"]).status.success());
}
