//! Bad input, across every command: each case of the table (broken scenario, world, trade,
//! sweep and observed files, bad `--set`, `--fit` and counts, damaged shards, taken or
//! impossible output locations, huge requests) exits non-zero with a message naming the
//! problem, never panics, writes nothing and leaves every existing file as it was.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::util::{WORLD_HEADER, waico, world_row};

const HEAD: &str = "[scenario]\nname = \"t\"\nstart = 2025-01-01\nend = 2026-01-01\n";

struct FileCase {
    name: &'static str,
    scenario: String,
    world: Option<String>,
    trade: Option<String>,
    /// Fragments the error must contain.
    expect: &'static [&'static str],
}

fn case(name: &'static str, scenario: String, expect: &'static [&'static str]) -> FileCase {
    FileCase {
        name,
        scenario,
        world: None,
        trade: None,
        expect,
    }
}

fn with_world(name: &'static str, world: String, expect: &'static [&'static str]) -> FileCase {
    FileCase {
        name,
        scenario: format!(
            "{HEAD}world = \"w.csv\"\ntrade = \"none\"\n[body]\nhost = \"AAA\"\nopponent = \"\"\n"
        ),
        world: Some(world),
        trade: None,
        expect,
    }
}

fn event(body: &str) -> String {
    format!("{HEAD}\n[[events]]\n{body}\n")
}

fn file_cases() -> Vec<FileCase> {
    let row = |c: &str| world_row(c, 0.0, "");
    vec![
        case(
            "syntax_error",
            format!("{HEAD}[params\nbeta_peer = 1\n"),
            &["line 5", "unclosed table"],
        ),
        case(
            "unknown_key",
            format!("{HEAD}[params]\nbeta_peeer = 1.0\n"),
            &[
                "line 6",
                "params.beta_peeer",
                "unknown key",
                "did you mean `beta_peer`",
            ],
        ),
        case(
            "unknown_section",
            format!("{HEAD}[paramz]\nbeta_peer = 1.0\n"),
            &["unknown key `paramz`", "did you mean `params`"],
        ),
        case(
            "misspelt_event_kind",
            event("date = 2025-03-01\nkind = \"sumit\"\nbloc = \"SCO\""),
            &[
                "events[0].kind",
                "unknown event kind `sumit`",
                "did you mean `summit`",
            ],
        ),
        case(
            "unknown_iso3",
            event("date = 2025-03-01\nkind = \"shock\"\nstates = [\"GBX\"]\nvalue = 1.0"),
            &[
                "events[0].states[0]",
                "`GBX` is not a state",
                "did you mean",
            ],
        ),
        case(
            "name_instead_of_code",
            event("date = 2025-03-01\nkind = \"shock\"\nstate = \"France\"\nvalue = 1.0"),
            &["`France` is not a state", "did you mean `FRA` (France)?"],
        ),
        case(
            "negative_rate",
            format!("{HEAD}[params]\nreview_rate = -1.0\n"),
            &["params.review_rate", "-1 is out of range"],
        ),
        case(
            "end_before_start",
            "[scenario]\nname = \"t\"\nstart = 2026-01-01\nend = 2025-01-01\n".into(),
            &["scenario.end", "ends (2025-01-01) before it starts"],
        ),
        case(
            "event_after_end",
            event("date = 2027-03-01\nkind = \"offer\"\nvalue = 2.0"),
            &["events[0].date", "falls outside the run"],
        ),
        case(
            "event_before_start",
            event("date = 2024-03-01\nkind = \"offer\"\nvalue = 2.0"),
            &["events[0].date", "falls outside the run"],
        ),
        case(
            "wrong_type",
            format!("{HEAD}[params]\nbeta_peer = \"high\"\n"),
            &["params.beta_peer", "expected a number"],
        ),
        case(
            "missing_name",
            "[scenario]\nstart = 2025-01-01\nend = 2026-01-01\n".into(),
            &["scenario.name", "missing key `name`"],
        ),
        case(
            "unknown_tick",
            format!("{HEAD}tick = \"fortnight\"\n"),
            &["scenario.tick", "unknown tick length"],
        ),
        case(
            "stringency_out_of_range",
            format!("{HEAD}[policy.stringency]\ntier2 = 1.5\n"),
            &["policy.stringency.tier2", "1.5 is out of range"],
        ),
        case(
            "cuts_inverted",
            format!("{HEAD}[params]\ncut_partner = 2.0\ncut_member = 1.0\n"),
            &["params.cut_partner", "above cut_member"],
        ),
        case(
            "key_not_used_by_kind",
            event("date = 2025-03-01\nkind = \"summit\"\nbloc = \"SCO\"\ntier = 2"),
            &["events[0].tier", "does not use `tier`"],
        ),
        case(
            "missing_event_key",
            event("date = 2025-03-01\nkind = \"offer\""),
            &["events[0]", "needs `value`"],
        ),
        case(
            "unknown_bloc",
            event("date = 2025-03-01\nkind = \"summit\"\nbloc = \"SCOO\""),
            &["events[0].bloc", "bloc `SCOO`", "did you mean `SCO`"],
        ),
        case(
            "until_before_date",
            event("date = 2025-03-01\nkind = \"pressure\"\nvalue = 0.1\nuntil = 2025-02-01"),
            &["events[0].until", "not after"],
        ),
        case(
            "unknown_region",
            format!("{HEAD}[params.affinity]\nAfrika = 0.5\n"),
            &["params.affinity.Afrika", "did you mean `Africa`"],
        ),
        case(
            "unknown_host",
            format!("{HEAD}[body]\nhost = \"CHX\"\n"),
            &["body.host", "`CHX` is not a state"],
        ),
        case(
            "host_decides_to_leave",
            event("date = 2025-03-01\nkind = \"decide\"\nstate = \"CHN\"\nstatus = \"outside\""),
            &["hosts the body"],
        ),
        case(
            "negative_seed",
            format!("{HEAD}seed = -1\n"),
            &["scenario.seed", "-1"],
        ),
        case(
            "bad_date",
            event("date = \"2026-13-01\"\nkind = \"offer\"\nvalue = 1.0"),
            &["events[0].date", "2026-13-01"],
        ),
        case(
            "unknown_network",
            format!("{HEAD}network = \"globl\"\n"),
            &["scenario.network", "did you mean `global`"],
        ),
        case(
            "name_with_slash",
            "[scenario]\nname = \"a/b\"\nstart = 2025-01-01\nend = 2026-01-01\n".into(),
            &["scenario.name", "cannot name an output folder"],
        ),
        case(
            "missing_world_file",
            format!("{HEAD}world = \"nowhere.csv\"\n"),
            &["scenario.world", "cannot read"],
        ),
        case(
            "initial_member_twice",
            format!("{HEAD}[body]\ninitial_members = [\"PAK\"]\ninitial_partners = [\"PAK\"]\n"),
            &["listed twice"],
        ),
        case(
            "nan_parameter",
            format!("{HEAD}[params]\nbeta_peer = nan\n"),
            &["params.beta_peer", "not a finite number"],
        ),
        case(
            "territory_as_initial_member",
            format!(
                "{HEAD}[body]\ninitial_members = [\"PAK\", \"TWN\"]\n[states.TWN]\nsovereign = false\n"
            ),
            &[
                "body.initial_members[1]",
                "TWN (Taiwan) cannot join",
                "a territory",
                "admit = [\"TWN\"]",
            ],
        ),
        case(
            "barred_state_decided_in",
            format!(
                "{HEAD}[[eligibility.bar]]\nstates = [\"PRK\"]\nreason = \"UN sanctions\"\n\n[[events]]\ndate = 2025-03-01\nkind = \"decide\"\nstates = [\"PRK\"]\nstatus = \"member\"\n"
            ),
            &[
                "events[0]",
                "PRK (North Korea) cannot join",
                "the scenario bars it: UN sanctions",
                "[[eligibility.bar]]",
            ],
        ),
        case(
            "unrecognising_state_decided_in",
            format!(
                "{HEAD}[states.PRY]\nrecognises_host = 0\n\n[[events]]\ndate = 2025-03-01\nkind = \"decide\"\nstate = \"PRY\"\nstatus = \"partner\"\n"
            ),
            &[
                "events[0]",
                "PRY (Paraguay) cannot join",
                "does not recognise the host's government",
                "`recognition` event",
            ],
        ),
        case(
            "sovereign_state_admitted",
            format!("{HEAD}[eligibility]\nadmit = [\"FRA\"]\n"),
            &["eligibility.admit[0]", "FRA is a sovereign state"],
        ),
        case(
            "bar_without_reason",
            format!("{HEAD}[[eligibility.bar]]\nstates = [\"PRK\"]\nreason = \" \"\n"),
            &["eligibility.bar[0].reason", "the reason is empty"],
        ),
        case(
            "host_barred",
            format!("{HEAD}[[eligibility.bar]]\nstates = [\"CHN\"]\nreason = \"r\"\n"),
            &["eligibility.bar[0].states[0]", "cannot be barred"],
        ),
        case(
            "flag_not_binary",
            format!("{HEAD}[states.TWN]\nsovereign = 2\n"),
            &["states.TWN.sovereign", "2 is not 0 or 1"],
        ),
        case(
            "dispute_out_of_range",
            format!("{HEAD}[states.PHL]\ndispute_with_host = 3\n"),
            &["states.PHL.dispute_with_host", "3 is not 0, 1 or 2"],
        ),
        case(
            "deadline_horizon_zero",
            format!("{HEAD}[params]\ndeadline_horizon = 0.0\n"),
            &["params.deadline_horizon", "out of range"],
        ),
        case(
            "recognition_without_recognises",
            event("date = 2025-03-01\nkind = \"recognition\"\nstate = \"PRY\""),
            &["events[0]", "needs `recognises`"],
        ),
        with_world("empty_world_file", String::new(), &["w.csv", "empty"]),
        with_world(
            "world_without_states",
            format!("{WORLD_HEADER}\n"),
            &["w.csv", "no states"],
        ),
        with_world(
            "duplicate_iso3",
            format!(
                "{WORLD_HEADER}\n{}\n{}\n{}\n",
                row("AAA"),
                row("BBB"),
                row("AAA")
            ),
            &["w.csv", "line 4", "`AAA` appears twice"],
        ),
        with_world(
            "nan_in_world",
            format!(
                "{WORLD_HEADER}\n{}\n{}\n",
                row("AAA"),
                row("BBB").replace(",0.5,0.5,2,", ",NaN,0.5,2,")
            ),
            &["w.csv", "line 3", "ai_capacity", "not a finite number"],
        ),
        with_world(
            "world_column_misspelt",
            format!(
                "{}\n{}\n",
                WORLD_HEADER.replace("democracy", "democrazy"),
                row("AAA")
            ),
            &[
                "w.csv",
                "line 1",
                "unknown column `democrazy`",
                "did you mean `democracy`",
            ],
        ),
        with_world(
            "world_row_too_short",
            format!("{WORLD_HEADER}\n{}\nBBB,Short\n", row("AAA")),
            &["w.csv", "line 3", "fields"],
        ),
        FileCase {
            name: "trade_pair_twice",
            scenario: format!(
                "{HEAD}world = \"w.csv\"\ntrade = \"t.csv\"\n[body]\nhost = \"AAA\"\nopponent = \"\"\n"
            ),
            world: Some(format!("{WORLD_HEADER}\n{}\n{}\n", row("AAA"), row("BBB"))),
            trade: Some("iso3_a,iso3_b,trade_musd\nAAA,BBB,10\nBBB,AAA,5\n".into()),
            expect: &["t.csv", "line 3", "appears twice"],
        },
    ]
}

#[test]
fn absurd_but_well_formed_values_are_refused_not_crashed_on() {
    let cases = [
        (
            "[scenario]\nname = \"t\"\nstart = 1000-01-01\nend = 9999-12-31\ntick = \"day\"\n",
            "at most 100000 ticks",
        ),
        (
            "[scenario]\nname = \"t\"\nstart = 2025-01-01\nend = 2026-01-01\n[strategies.courtship]\nevery = \"4000000000 days\"\n",
            "strategies.courtship.every",
        ),
        (
            "[scenario]\nname = \"t\"\nstart = 2025-01-01\nend = 2026-01-01\n[params]\ntrade_partners = 4000000000\n",
            "",
        ),
    ];
    for (text, fragment) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("s.toml"), text).unwrap();
        let out = waico()
            .current_dir(dir.path())
            .args(["run", "s.toml", "--out", "out"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{text}: {err}");
        if fragment.is_empty() {
            assert!(out.status.success(), "{text}: {err}");
        } else {
            assert_eq!(out.status.code(), Some(1), "{text}");
            assert!(err.contains(fragment), "{text}: {err}");
        }
    }
}

/// One bad input: files to write, a setup that builds existing outputs, the command, and
/// fragments its error must contain.
struct Case {
    name: &'static str,
    files: Vec<(&'static str, String)>,
    setup: fn(&Path),
    args: Vec<&'static str>,
    env: Vec<(&'static str, &'static str)>,
    expect: Vec<&'static str>,
}

fn nothing(_: &Path) {}

fn cmd(name: &'static str, args: &[&'static str], expect: &[&'static str]) -> Case {
    Case {
        name,
        files: vec![("short.toml", SHORT.to_owned())],
        setup: nothing,
        args: args.to_vec(),
        env: Vec::new(),
        expect: expect.to_vec(),
    }
}

impl Case {
    fn file(mut self, name: &'static str, text: impl Into<String>) -> Case {
        self.files.push((name, text.into()));
        self
    }
    fn setup(mut self, setup: fn(&Path)) -> Case {
        self.setup = setup;
        self
    }
    fn env(mut self, key: &'static str, value: &'static str) -> Case {
        self.env.push((key, value));
        self
    }
}

/// A one-year baseline, quick to run.
const SHORT: &str = "extends = \"baseline\"\n[scenario]\nname = \"short\"\nend = 2026-12-26\n[[events]]\ndate = 2025-08-01\nkind = \"offer\"\nvalue = 1.0\n";

/// A sweep of the short scenario: 3 points x 3 replicates; in 2 shards, point 1 is split.
const SWEEP: &str = "[sweep]\nname = \"tiny\"\nscenario = \"short.toml\"\nreplicates = 3\n[design]\nkind = \"grid\"\n[[design.param]]\npath = \"params.beta_peer\"\nvalues = [0.5, 1.0, 1.5]\n";

fn sweep_head(extra: &str) -> String {
    format!("[sweep]\nname = \"s\"\nscenario = \"short.toml\"\nreplicates = 2\n{extra}")
}

const OBSERVED: &str = "date,members\n2025-12-26,20\n2026-06-26,30\n";

/// Two finished shards of [`SWEEP`] and the whole sweep, built once.
fn shards() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("short.toml"), SHORT).unwrap();
        std::fs::write(dir.path().join("sweep.toml"), SWEEP).unwrap();
        for (args, out) in [
            (vec!["--shard", "1/2"], "a"),
            (vec!["--shard", "2/2"], "b"),
            (vec![], "whole"),
        ] {
            let o = waico()
                .current_dir(dir.path())
                .args(["sweep", "sweep.toml", "--out", out])
                .args(args)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let o = waico()
            .current_dir(dir.path())
            .args(["run", "short.toml", "--out", "run"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        dir
    })
    .path()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// Copies the shards (and a merged folder) into `dir`.
fn with_shards(dir: &Path) {
    for name in ["a", "b", "whole", "run"] {
        copy_dir(&shards().join(name), &dir.join(name));
    }
    std::fs::write(dir.join("sweep.toml"), SWEEP).unwrap();
}

/// Edits a file of `dir` with `f`.
fn edit(dir: &Path, file: &str, f: impl FnOnce(&mut Vec<String>)) {
    let path = dir.join(file);
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    f(&mut lines);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

fn merge_case(name: &'static str, setup: fn(&Path), expect: &[&'static str]) -> Case {
    cmd(name, &["merge", "a", "b", "--out", "merged"], expect).setup(setup)
}

fn scenario_cases() -> Vec<Case> {
    file_cases()
        .into_iter()
        .map(|c| {
            let mut out = cmd(c.name, &["run", "s.toml", "--out", "out"], c.expect)
                .file("s.toml", c.scenario);
            if let Some(w) = c.world {
                out = out.file("w.csv", w);
            }
            if let Some(t) = c.trade {
                out = out.file("t.csv", t);
            }
            out
        })
        .collect()
}

fn command_cases() -> Vec<Case> {
    let row = |c: &str| world_row(c, 0.0, "");
    let world_scenario = format!(
        "{HEAD}world = \"w.csv\"\ntrade = \"t.csv\"\n[body]\nhost = \"AAA\"\nopponent = \"\"\n"
    );
    let two = format!("{WORLD_HEADER}\n{}\n{}\n", row("AAA"), row("BBB"));
    let fit = |range: &'static str| -> Vec<&'static str> {
        vec![
            "calibrate",
            "short.toml",
            "--observed",
            "obs.csv",
            "--fit",
            range,
            "--out",
            "fit",
        ]
    };
    let calib = |name: &'static str, extra: &[&'static str], expect: &[&'static str]| {
        let mut args = fit("params.beta_0=-2:0");
        args.extend(extra);
        cmd(name, &args, expect).file("obs.csv", OBSERVED)
    };
    vec![
        // World and trade files.
        cmd("world_gdp_overflows", &["run", "s.toml", "--out", "out"], &["w.csv", "line 2", "gdp_usd_bn", "1e308 is out of range", "1e6"])
            .file("s.toml", world_scenario.clone())
            .file("w.csv", two.replacen(",100,10,", ",1e308,10,", 1))
            .file("t.csv", "iso3_a,iso3_b,trade_musd\n"),
        cmd("world_population_negative", &["run", "s.toml", "--out", "out"], &["w.csv", "population_m", "out of range"])
            .file("s.toml", world_scenario.clone())
            .file("w.csv", two.replacen(",100,10,", ",100,-10,", 1))
            .file("t.csv", "iso3_a,iso3_b,trade_musd\n"),
        cmd("world_name_control_character", &["run", "s.toml", "--out", "out"], &["w.csv", "line 3", "name", "control character"])
            .file("s.toml", world_scenario.clone())
            .file("w.csv", two.replacen("State BBB", "State\u{7}BBB", 1))
            .file("t.csv", "iso3_a,iso3_b,trade_musd\n"),
        cmd("trade_value_overflows", &["run", "s.toml", "--out", "out"], &["t.csv", "line 2", "trade_musd", "out of range"])
            .file("s.toml", world_scenario.clone())
            .file("w.csv", two.clone())
            .file("t.csv", "iso3_a,iso3_b,trade_musd\nAAA,BBB,1e308\n"),
        cmd("trade_column_missing", &["run", "s.toml", "--out", "out"], &["t.csv", "trade_musd"])
            .file("s.toml", world_scenario)
            .file("w.csv", two)
            .file("t.csv", "iso3_a,iso3_b\nAAA,BBB\n"),
        // Scenario values at or past their ranges, labels and names.
        cmd("label_control_character", &["run", "s.toml", "--out", "out"], &["events[0].label", "U+001B"])
            .file("s.toml", format!("{HEAD}[[events]]\ndate = 2025-03-01\nkind = \"offer\"\nvalue = 1.0\nlabel = \"a\\u001bb\"\n")),
        cmd("body_name_control_character", &["run", "s.toml", "--out", "out"], &["body.name", "U+0000"])
            .file("s.toml", format!("{HEAD}[body]\nname = \"W\\u0000\"\n")),
        cmd("name_too_long", &["run", "s.toml", "--out", "out"], &["scenario.name", "300 characters", "at most 100"])
            .file("s.toml", format!("[scenario]\nname = \"{}\"\nstart = 2025-01-01\nend = 2026-01-01\n", "a".repeat(300))),
        cmd("whole_number_too_large", &["run", "s.toml", "--out", "out"], &["params.trade_partners", "99999999999 is too large", "4294967295"])
            .file("s.toml", format!("{HEAD}[params]\ntrade_partners = 99999999999\n")),
        cmd("section_given_a_number", &["run", "s.toml", "--out", "out"], &["params", "expected a table"])
            .file("s.toml", format!("params = 3\n{HEAD}")),
        cmd("weight_past_its_range", &["run", "s.toml", "--out", "out"], &["params.beta_size", "out of range", "-1e6 to 1e6"])
            .file("s.toml", format!("{HEAD}[params]\nbeta_size = 1.7e308\n")),
        cmd("summit_multiplier_zero", &["run", "s.toml", "--out", "out"], &["events[0].multiplier", "out of range"])
            .file("s.toml", format!("{HEAD}[[events]]\ndate = 2025-03-01\nkind = \"summit\"\nbloc = \"SCO\"\nmultiplier = 0\n")),
        cmd("state_override_bias_huge", &["run", "s.toml", "--out", "out"], &["states.FRA.bias", "out of range"])
            .file("s.toml", format!("{HEAD}[states.FRA]\nbias = 1e300\n")),
        // Extends.
        cmd("extends_missing_parent", &["run", "s.toml", "--out", "out"], &["extends", "nowhere.toml"])
            .file("s.toml", "extends = \"nowhere.toml\"\n[scenario]\nname = \"c\"\n"),
        cmd("extends_child_bad_key", &["run", "s.toml", "--out", "out"], &["s.toml", "params.beta_pear", "did you mean `beta_peer`"])
            .file("s.toml", "extends = \"baseline\"\n[scenario]\nname = \"c\"\n[params]\nbeta_pear = 1\n"),
        // --set.
        cmd("set_weight_overflows", &["run", "short.toml", "--set", "params.beta_affinity=1.7e308", "--set", "params.affinity.Africa=10", "--out", "out"], &["params.beta_affinity", "1.7e308 is out of range", "set by"]),
        cmd("set_unknown_key", &["run", "short.toml", "--set", "params.beta_peeer=1", "--out", "out"], &["params.beta_peeer", "did you mean `beta_peer`"]),
        cmd("set_wrong_type", &["run", "short.toml", "--set", "params.tau=high", "--out", "out"], &["params.tau", "expected a number"]),
        cmd("set_event_past_the_list", &["run", "short.toml", "--set", "events[40].value=1", "--out", "out"], &["events", "no [40]"]),
        cmd("set_not_a_path", &["run", "short.toml", "--set", "params..tau=1", "--out", "out"], &["not a key path"]),
        // Output locations.
        cmd("out_exists_without_force", &["run", "short.toml", "--out", "out"], &["out already exists", "--force"])
            .file("out/keep.txt", "mine"),
        cmd("out_is_a_file", &["run", "short.toml", "--out", "out", "--force"], &["is a file, not a folder"])
            .file("out", "a file"),
        cmd("sweep_force_onto_other_files", &["sweep", "sweep.toml", "--out", "mine", "--force"], &["mine exists and is not a sweep folder"])
            .file("sweep.toml", SWEEP)
            .file("mine/notes.txt", "keep me"),
        cmd("compare_out_exists", &["compare", "short.toml", "short.toml", "--seeds", "2", "--out", "cmp"], &["cmp already exists"])
            .file("cmp/keep.csv", "x"),
        // Huge counts and resources.
        cmd("run_too_long_without_yes_large", &["run", "s.toml", "--compress", "--out", "out"], &["this is large", "--yes-large", "scenario.end"])
            .file("s.toml", "[scenario]\nname = \"long\"\nstart = 2025-01-01\nend = 9999-12-31\n"),
        cmd("compare_seeds_absurd", &["compare", "short.toml", "short.toml", "--seeds", "99999999999999", "--out", "cmp"], &["--seeds", "1..=10000000"]),
        cmd("compare_seeds_zero", &["compare", "short.toml", "short.toml", "--seeds", "0", "--out", "cmp"], &["--seeds"]),
        cmd("compare_jobs_absurd", &["compare", "short.toml", "short.toml", "--seeds", "2", "--jobs", "10000", "--out", "cmp"], &["--jobs 10000", "1024"]),
        cmd("compare_incomparable", &["compare", "baseline", "short.toml", "--seeds", "2", "--out", "cmp"], &["different calendars"]),
        calib("calibrate_points_absurd", &["--points", "99999999999999"], &["--points", "at most 10000000"]),
        calib("calibrate_seeds_absurd", &["--seeds", "4294967295"], &["--seeds 4294967295", "10000000"]),
        calib("calibrate_seeds_zero", &["--seeds", "0"], &["--seeds 0"]),
        calib("calibrate_runs_huge", &["--seeds", "100000", "--points", "1000"], &["this is large", "--yes-large"]),
        calib("calibrate_jobs_zero", &["--jobs", "0", "--seeds", "2"], &["--jobs 0"]),
        calib("calibrate_who_weight_negative", &["--who-weight=-1"], &["--who-weight -1"]),
        cmd("sweep_jobs_zero", &["sweep", "sweep.toml", "--jobs", "0", "--out", "out"], &["--jobs 0"]).file("sweep.toml", SWEEP),
        cmd("sweep_huge_without_yes_large", &["sweep", "sweep.toml", "--out", "out"], &["this is large", "--yes-large"])
            .file("sweep.toml", SWEEP.replace("replicates = 3", "replicates = 3400000\nseries = false")),
        // Observed curves and --fit.
        cmd("observed_negative", &fit("params.beta_0=-2:0"), &["obs.csv", "line 2", "members", "-3"])
            .file("obs.csv", "date,members\n2025-12-26,-3\n"),
        cmd("observed_more_than_the_world", &fit("params.beta_0=-2:0"), &["obs.csv", "members", "99999", "196 states"])
            .file("obs.csv", "date,members\n2025-12-26,99999\n"),
        cmd("observed_unsorted", &fit("params.beta_0=-2:0"), &["obs.csv", "line 3", "does not come after"])
            .file("obs.csv", "date,members\n2026-06-26,30\n2025-12-26,20\n"),
        cmd("observed_without_members", &fit("params.beta_0=-2:0"), &["obs.csv", "date` and `members"])
            .file("obs.csv", "date,count\n2025-12-26,20\n"),
        cmd("observed_outside_the_run", &fit("params.beta_0=-2:0"), &["obs.csv", "2031-01-01", "outside the scenario"])
            .file("obs.csv", "date,members\n2031-01-01,20\n"),
        cmd("observed_missing", &fit("params.beta_0=-2:0"), &["obs.csv"]),
        cmd("fit_twice", &fit("params.beta_0=-2:0,params.beta_0=0:1"), &["--fit", "params.beta_0", "fitted twice"]).file("obs.csv", OBSERVED),
        cmd("fit_past_the_range", &fit("params.beta_0=-1e308:1e308"), &["--fit", "params.beta_0", "outside the key's valid range", "-1e6 to 1e6"]).file("obs.csv", OBSERVED),
        cmd("fit_a_whole_number_key", &fit("params.trade_partners=1:5"), &["--fit", "key `params.trade_partners`", "fractional"]).file("obs.csv", OBSERVED),
        cmd("fit_a_text_key", &fit("scenario.name=0:1"), &["--fit", "key `scenario.name`"]).file("obs.csv", OBSERVED),
        cmd("fit_unknown_key", &fit("params.beta_pear=0:1"), &["params.beta_pear", "did you mean `beta_peer`"]).file("obs.csv", OBSERVED),
        cmd("fit_empty_range", &fit("params.beta_0=1:0"), &["lower bound must be below"]).file("obs.csv", OBSERVED),
        // Sweep files and the Slurm environment.
        cmd("sweep_name_control_character", &["sweep", "sweep.toml", "--out", "out"], &["sweep.name", "cannot name an output folder"])
            .file("sweep.toml", SWEEP.replace("\"tiny\"", "\"ti\\u0007ny\"")),
        cmd("sweep_replicates_negative", &["sweep", "sweep.toml", "--out", "out"], &["sweep.replicates", "-2 is negative"])
            .file("sweep.toml", sweep_head("").replace("replicates = 2", "replicates = -2")),
        cmd("sweep_design_value_out_of_range", &["sweep", "sweep.toml", "--out", "out"], &["design point 1", "params.tau = -1", "out of range"])
            .file("sweep.toml", sweep_head("[design]\nkind = \"grid\"\n[[design.param]]\npath = \"params.tau\"\nvalues = [0.3, -1.0]\n")),
        cmd("slurm_task_id_not_a_number", &["sweep", "sweep.toml", "--out", "out"], &["SLURM_ARRAY_TASK_ID=`abc`", "--shard"])
            .file("sweep.toml", SWEEP)
            .env("SLURM_ARRAY_TASK_ID", "abc")
            .env("SLURM_ARRAY_TASK_COUNT", "4"),
        cmd("slurm_count_missing", &["sweep", "sweep.toml", "--out", "out"], &["SLURM_ARRAY_TASK_COUNT is not"])
            .file("sweep.toml", SWEEP)
            .env("SLURM_ARRAY_TASK_ID", "2"),
        cmd("sweep_finished_without_resume", &["sweep", "sweep.toml", "--out", "whole"], &["already holds a sweep", "--resume", "--force"])
            .setup(with_shards),
        cmd("sweep_interrupted_without_resume", &["sweep", "sweep.toml", "--out", "whole"], &["holds an interrupted sweep", "stopped", "--resume"])
            .setup(|d| {
                with_shards(d);
                std::fs::write(d.join("whole/sweep.lock"), "host elsewhere\npid 1\n").unwrap();
                let old = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
                std::fs::File::options().append(true).open(d.join("whole/sweep.lock")).unwrap().set_modified(old).unwrap();
            }),
        cmd("sweep_resume_of_another_sweep", &["sweep", "sweep.toml", "--out", "whole", "--resume"], &["holds a different sweep"])
            .setup(|d| {
                with_shards(d);
                std::fs::write(d.join("sweep.toml"), SWEEP.replace("1.5]", "2.5]")).unwrap();
            }),
        // Shards and merge.
        merge_case("merge_partial_lost_its_last_row", |d| { with_shards(d); edit(d, "a/partial.csv", |l| { l.pop(); }); }, &["shard 1 of 2", "partial.csv", "ticks"]),
        merge_case("merge_partial_missing", |d| { with_shards(d); std::fs::remove_file(d.join("b/partial.csv")).unwrap(); }, &["shard 2 of 2", "partial.csv", "missing"]),
        merge_case("merge_series_lost_a_row", |d| { with_shards(d); edit(d, "b/series.csv", |l| { l.remove(5); }); }, &["shard 2 of 2", "series.csv", "line 6"]),
        merge_case("merge_series_extra_row", |d| { with_shards(d); edit(d, "a/series.csv", |l| { let x = l[3].clone(); l.insert(3, x); }); }, &["shard 1 of 2", "series.csv", "expected tick"]),
        merge_case("merge_summary_lost_its_last_row", |d| { with_shards(d); edit(d, "a/summary.csv", |l| { l.pop(); }); }, &["shard 1", "ticks"]),
        merge_case("merge_runs_lost_a_row", |d| { with_shards(d); edit(d, "b/runs.csv", |l| { l.pop(); }); }, &["shard 2 of 2", "runs.csv", "holds 4 rows for the shard's 5 runs"]),
        merge_case("merge_runs_extra_row", |d| { with_shards(d); edit(d, "a/runs.csv", |l| { let x = l[1].clone(); l.push(x); }); }, &["shard 1 of 2", "runs.csv", "5 rows"]),
        merge_case("merge_runs_cut_mid_line", |d| { with_shards(d); let p = d.join("a/runs.csv"); let t = std::fs::read(&p).unwrap(); std::fs::write(&p, &t[..t.len() - 5]).unwrap(); }, &["shard 1 of 2", "runs.csv", "cut short"]),
        merge_case("merge_shard_still_locked", |d| { with_shards(d); std::fs::write(d.join("b/sweep.lock"), "host h\npid 1\n").unwrap(); }, &["b is still being written"]),
        cmd("merge_one_shard_missing", &["merge", "a", "--out", "merged"], &["shard 2 of 2 is missing"]).setup(with_shards),
        cmd("merge_shard_twice", &["merge", "a", "a", "--out", "merged"], &["shard 1 of 2 is given twice"]).setup(with_shards),
        cmd("merge_a_whole_sweep", &["merge", "whole", "--out", "merged"], &["is a sweep folder (written by `waico sweep`), not the folder of a shard"]).setup(with_shards),
        cmd("merge_a_run_folder", &["merge", "run", "--out", "merged"], &["is a run folder (written by `waico run`), not the folder of a shard"]).setup(with_shards),
        cmd("merge_force_keeps_the_good_folder", &["merge", "a", "b", "--out", "whole", "--force"], &["shard 2 of 2", "partial.csv"])
            .setup(|d| { with_shards(d); std::fs::remove_file(d.join("b/partial.csv")).unwrap(); }),
        cmd("merge_force_onto_other_files", &["merge", "a", "b", "--out", "mine", "--force"], &["mine exists and is not a sweep folder"])
            .setup(with_shards)
            .file("mine/notes.txt", "keep me"),
        // Backtests and cross-validation.
        cmd("backtest_unknown_label", &["backtest", "short.toml", "--observed", "obs.csv", "--seeds", "2", "--without", "no such event", "--out", "bt"], &["no event is labelled `no such event`", "--without"]).file("obs.csv", OBSERVED),
        cmd("backtest_unknown_group", &["backtest", "short.toml", "--observed", "obs.csv", "--seeds", "2", "--groups", "G8", "--out", "bt"], &["`G8` is neither a bloc nor a region"]).file("obs.csv", OBSERVED),
        cmd("backtest_seeds_zero", &["backtest", "short.toml", "--observed", "obs.csv", "--seeds", "0", "--out", "bt"], &["--seeds"]).file("obs.csv", OBSERVED),
        cmd("backtest_observed_missing", &["backtest", "short.toml", "--observed", "nowhere.csv", "--out", "bt"], &["nowhere.csv"]),
        calib("calibrate_one_fold", &["--folds", "1"], &["--folds 1", "from 2"]),
        calib("calibrate_folds_without_joined", &["--folds", "2", "--seeds", "2", "--points", "2", "--iterations", "2"], &["needs a `joined` column"]),
        // Sobol' and Morris designs, outcomes at dates.
        cmd("sobol_without_n", &["sweep", "sweep.toml", "--out", "out"], &["design", "needs `n`", "n = 512"])
            .file("sweep.toml", sweep_head("[design]\nkind = \"sobol\"\n[[design.param]]\npath = \"params.beta_peer\"\nmin = 0.5\nmax = 1.5\n")),
        cmd("sobol_log_of_zero", &["sweep", "sweep.toml", "--out", "out"], &["design.param[0].log", "positive"])
            .file("sweep.toml", sweep_head("[design]\nkind = \"sobol\"\nn = 4\n[[design.param]]\npath = \"params.beta_founding\"\nmin = 0.0\nmax = 0.6\nlog = true\n")),
        cmd("sobol_given_values", &["sweep", "sweep.toml", "--out", "out"], &["design.param[0].values", "between min and max"])
            .file("sweep.toml", sweep_head("[design]\nkind = \"sobol\"\nn = 4\n[[design.param]]\npath = \"params.beta_peer\"\nvalues = [0.5, 1.5]\n")),
        cmd("sobol_too_many_points", &["sweep", "sweep.toml", "--out", "out"], &["design.n", "more than 1,000,000"])
            .file("sweep.toml", sweep_head("[design]\nkind = \"sobol\"\nn = 1048576\n[[design.param]]\npath = \"params.beta_peer\"\nmin = 0.5\nmax = 1.5\n")),
        cmd("morris_key_on_a_grid", &["sweep", "sweep.toml", "--out", "out"], &["design.levels", "does not use"])
            .file("sweep.toml", SWEEP.replace("kind = \"grid\"", "kind = \"grid\"\nlevels = 4")),
        cmd("outcomes_at_outside_the_run", &["sweep", "sweep.toml", "--out", "out"], &["sweep.outcomes_at", "2031-01-01", "outside the run"])
            .file("sweep.toml", SWEEP.replace("replicates = 3", "replicates = 3\noutcomes_at = [2031-01-01]")),
        cmd("outcomes_at_not_a_date", &["sweep", "sweep.toml", "--out", "out"], &["sweep.outcomes_at[0]", "YYYY-MM-DD"])
            .file("sweep.toml", SWEEP.replace("replicates = 3", "replicates = 3\noutcomes_at = [2026]")),
        // Sensitivity and discovery.
        cmd("sensitivity_nowhere", &["sensitivity", "nowhere"], &["nowhere", "not a folder"]),
        cmd("sensitivity_a_run_folder", &["sensitivity", "run"], &["not a sweep folder"]).setup(with_shards),
        cmd("sensitivity_a_shard", &["sensitivity", "a"], &["one shard", "waico merge"]).setup(with_shards),
        cmd("sensitivity_a_running_sweep", &["sensitivity", "whole"], &["whole holds a sweep still running or interrupted", "--resume"])
            .setup(|d| { with_shards(d); std::fs::write(d.join("whole/sweep.lock"), "host h\npid 1\n").unwrap(); }),
        cmd("sensitivity_unknown_outcome", &["sensitivity", "whole", "--outcome", "final_membres"], &["not an outcome", "final_members"]).setup(with_shards),
        cmd("sensitivity_date_outside_the_run", &["sensitivity", "whole", "--outcome", "members@2040-01-01"], &["2040-01-01"]).setup(with_shards),
        cmd("sensitivity_out_exists", &["sensitivity", "whole", "--out", "sens"], &["sens already exists", "--force"])
            .setup(with_shards)
            .file("sens/keep.csv", "x"),
        cmd("sensitivity_resamples_absurd", &["sensitivity", "whole", "--resamples", "99999999"], &["--resamples", "99999999"]).setup(with_shards),
        cmd("discover_no_comparison", &["discover", "whole", "--where", "final_members"], &["no comparison"]).setup(with_shards),
        cmd("discover_holds_nowhere", &["discover", "whole", "--where", "final_members >= 1000"], &["holds in none"]).setup(with_shards),
        cmd("discover_time_against_a_number", &["discover", "whole", "--where", "first_100_members <= 100"], &["compare it with a date"]).setup(with_shards),
        cmd("discover_not_a_number", &["discover", "whole", "--where", "final_members >= x"], &["neither a number nor a date"]).setup(with_shards),
        cmd("discover_alpha_out_of_range", &["discover", "whole", "--where", "final_members >= 40", "--alpha", "1.5"], &["alpha"]).setup(with_shards),
        cmd("discover_coverage_floor_nan", &["discover", "whole", "--where", "final_members >= 40", "--coverage-floor", "NaN"], &["--coverage-floor"]).setup(with_shards),
        cmd("discover_a_shard", &["discover", "b", "--where", "final_members >= 40"], &["one shard", "waico merge"]).setup(with_shards),
        // Other commands' inputs.
        cmd("plot_a_run_folder_with_sweep_choices", &["plot", "run", "--x", "policy.offer"], &["is a run folder (written by `waico run`)", "--x"]).setup(with_shards),
        cmd("plot_nothing", &["plot", "nowhere"], &["nowhere does not exist"]),
        cmd("explain_unknown_state", &["explain", "run", "PAKK"], &["PAKK", "did you mean `PAK`"]).setup(with_shards),
        cmd("explain_a_sweep_folder", &["explain", "whole", "PAK"], &["whole"]).setup(with_shards),
        cmd("validate_missing_file", &["validate", "nowhere.toml"], &["nowhere.toml", "no such scenario"]),
    ]
}

/// Every file under `dir` (path relative to it) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap().display().to_string();
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                stack.push(path);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn every_bad_input_fails_clearly_writes_nothing_and_keeps_what_exists() {
    let mut all = scenario_cases();
    all.extend(command_cases());
    assert!(all.len() >= 60, "the table holds {} cases", all.len());
    let mut failures = Vec::new();
    for c in &all {
        let dir = tempfile::tempdir().unwrap();
        (c.setup)(dir.path());
        for (name, text) in &c.files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let before = snapshot(dir.path());
        let mut command = waico();
        command.current_dir(dir.path()).args(&c.args);
        for (k, v) in &c.env {
            command.env(k, v);
        }
        let out = command.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        if !matches!(out.status.code(), Some(1 | 2)) {
            failures.push(format!(
                "{}: exit {:?}, stderr {err}",
                c.name,
                out.status.code()
            ));
        }
        if !err.starts_with("error: ") && !err.starts_with("note: ") || err.contains("panicked") {
            failures.push(format!("{}: not a clean error: {err}", c.name));
        }
        for fragment in &c.expect {
            if !err.contains(fragment) {
                failures.push(format!("{}: missing {fragment:?} in: {err}", c.name));
            }
        }
        let after = snapshot(dir.path());
        if after != before {
            let changed: Vec<&String> = after
                .keys()
                .chain(before.keys())
                .filter(|k| after.get(*k) != before.get(*k))
                .collect();
            failures.push(format!("{}: wrote or changed {changed:?}", c.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
