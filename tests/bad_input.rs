//! Bad input: every broken file in the table makes `waico run` exit non-zero with a message
//! that names the file and the problem (and the line and key where there is one), and
//! leaves no output folder behind.

use crate::util::{WORLD_HEADER, waico, world_row};

const HEAD: &str = "[scenario]\nname = \"t\"\nstart = 2025-01-01\nend = 2026-01-01\n";

struct Case {
    name: &'static str,
    scenario: String,
    world: Option<String>,
    trade: Option<String>,
    /// Fragments the error must contain.
    expect: &'static [&'static str],
}

fn case(name: &'static str, scenario: String, expect: &'static [&'static str]) -> Case {
    Case {
        name,
        scenario,
        world: None,
        trade: None,
        expect,
    }
}

fn with_world(name: &'static str, world: String, expect: &'static [&'static str]) -> Case {
    Case {
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

fn cases() -> Vec<Case> {
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
        Case {
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
fn every_broken_file_fails_clearly_and_leaves_nothing_behind() {
    let all = cases();
    assert!(all.len() >= 30, "the table holds {} cases", all.len());
    let mut failures = Vec::new();
    for c in &all {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("s.toml"), &c.scenario).unwrap();
        if let Some(w) = &c.world {
            std::fs::write(dir.path().join("w.csv"), w).unwrap();
        }
        if let Some(t) = &c.trade {
            std::fs::write(dir.path().join("t.csv"), t).unwrap();
        }
        let out = waico()
            .current_dir(dir.path())
            .args(["run", "s.toml", "--out", "out"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.code() != Some(1) {
            failures.push(format!(
                "{}: exit {:?}, stderr {err}",
                c.name,
                out.status.code()
            ));
        }
        if !err.starts_with("error: ") || err.contains("panicked") {
            failures.push(format!("{}: not a clean error: {err}", c.name));
        }
        for fragment in c.expect {
            if !err.contains(fragment) {
                failures.push(format!("{}: missing {fragment:?} in: {err}", c.name));
            }
        }
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !["s.toml", "w.csv", "t.csv"].contains(&n.as_str()))
            .collect();
        if !left.is_empty() {
            failures.push(format!("{}: left {left:?} behind", c.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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
