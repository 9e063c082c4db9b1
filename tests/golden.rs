//! Golden files: a tiny scenario's tables must not change unless the model does (review
//! any change with `cargo insta review`); error messages of the CLI likewise.

use crate::util::{WORLD_HEADER, waico};
use waico::output::tables::{events_csv, nations_csv, timeseries_csv};
use waico::scenario;
use waico::sim;
use waico::world::resources::Detail;

/// Eight states, two blocs, a host and an opponent; one state (Phi) recognises the host
/// only from July, one (Delta) hosts US forces.
const WORLD: &str = "\
HST,Host,Asia,East,1000,100,30,110,1,0,0.2,0.6,0.7,3,0,0.1,SCO;G20,0
OPP,Opponent,Americas,North,1200,50,40,-75,-1,0.2,0,0.8,0.9,1,0,0.8,G20,0
AAA,Alpha,Asia,South,80,90,20,80,0.7,0.3,0.1,0.3,0.4,2,0,0.3,SCO,0
BBB,Beta,Africa,West,20,40,5,0,0.8,0.25,0.05,0.2,0.2,2,0,0.4,,0
CCC,Gamma,Europe,West,300,60,50,5,-0.5,0.1,0.15,0.7,0.8,1,1,0.85,G20,0
DDD,Delta,Asia,West,150,30,25,50,0.5,0.2,0.1,0.5,0.7,2,0.5,0.1,SCO;G20,0
EEE,Epsilon,Americas,South,60,20,-20,-60,0.3,0.2,0.3,0.4,0.5,2,0.5,0.6,,0.2
FFF,Phi,Africa,East,10,25,0,35,0.9,0.35,0.05,0.15,0.1,3,0,0.2,,0
";

const SCENARIO: &str = r#"
[scenario]
name = "tiny"
start = 2026-01-01
end = 2026-12-31
tick = "month"
seed = 4
world = "tiny.csv"
trade = "none"

[body]
host = "HST"
opponent = "OPP"
founding_deadline = 2026-06-01
initial_partners = ["AAA"]
blocs = ["G20", "SCO"]

[params]
review_rate = 4.0
trade_partners = 3

[strategies.courtship]
every = "2 months"
deals = 1

[[events]]
date = 2026-02-10
kind = "summit"
bloc = "SCO"
boost = 0.3
label = "Summit"

[[events]]
date = 2026-04-01
kind = "export_controls"
tier = 2
stringency = 0.7
until = 2026-09-01
label = "Controls tighten"

[[events]]
date = 2026-05-15
kind = "decide"
state = "CCC"
status = "partner"
label = "Gamma hedges"

[[events]]
date = 2026-07-10
kind = "recognition"
state = "FFF"
recognises = true
label = "Phi recognises Host"

[states.FFF]
recognises_host = 0
dispute_with_host = 1

[states.DDD]
hosts_us_forces = true
alignment_stale = 1
"#;

#[test]
fn a_tiny_scenario_gives_the_recorded_tables() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tiny.csv"),
        format!("{WORLD_HEADER}\n{WORLD}"),
    )
    .unwrap();
    let s = scenario::parse("tiny.toml", SCENARIO, Some(dir.path())).unwrap();
    let run = sim::run(&s, s.seed, Detail::Full);
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    insta::assert_snapshot!("tiny_timeseries", text(timeseries_csv(&run).unwrap()));
    insta::assert_snapshot!("tiny_events", text(events_csv(&run).unwrap()));
    insta::assert_snapshot!(
        "tiny_nations",
        text(nations_csv(&run, s.params.inertia).unwrap())
    );
}

#[test]
fn cli_error_messages_are_stable() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "misspelt_key",
            "[scenario]\nname = \"x\"\nstart = 2025-01-01\nend = 2026-01-01\n\n[params]\nbeta_peeer = 1.0\n",
        ),
        (
            "unknown_state",
            "[scenario]\nname = \"x\"\nstart = 2025-01-01\nend = 2026-01-01\n\n[[events]]\ndate = 2025-03-01\nkind = \"shock\"\nstates = [\"GBX\"]\nvalue = 1.0\n",
        ),
        (
            "misspelt_kind",
            "[scenario]\nname = \"x\"\nstart = 2025-01-01\nend = 2026-01-01\n\n[[events]]\ndate = 2025-03-01\nkind = \"sumit\"\nbloc = \"SCO\"\n",
        ),
    ];
    for (name, text) in cases {
        let path = dir.path().join(format!("{name}.toml"));
        std::fs::write(&path, text).unwrap();
        let out = waico()
            .current_dir(dir.path())
            .args(["validate", &format!("{name}.toml")])
            .output()
            .unwrap();
        assert!(!out.status.success());
        insta::assert_snapshot!(
            format!("error_{name}"),
            String::from_utf8(out.stderr).unwrap()
        );
    }
}

/// `format!("{x:.6}")` without the negative zero: how every CSV number was written before
/// the integer formatter, kept here as its reference.
fn general_fixed6(x: f64) -> String {
    let s = format!("{x:.6}");
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        s[1..].to_owned()
    } else {
        s
    }
}

#[test]
fn every_number_of_every_shipped_scenario_is_written_as_the_general_formatter_writes_it() {
    use waico::output::tables::num;
    let mut checked = 0usize;
    for &(name, _) in scenario::BUILTINS {
        let s = scenario::load(name).unwrap();
        let run = sim::run(&s, 7, Detail::Full);
        let ticks = run.ticks.iter().flat_map(|t| {
            [
                t.member_gdp_share,
                t.member_population_share,
                t.legitimacy,
                t.offer,
                t.pressure,
                t.retaliation,
            ]
        });
        let nations = run.nations.iter().flat_map(|r| {
            [
                r.peer,
                r.bloc,
                r.stringency,
                r.at_risk,
                r.utility,
                r.p_partner,
                r.p_member,
            ]
            .into_iter()
            .chain(r.terms)
        });
        let events = run.events.iter().filter_map(|e| e.value);
        for x in ticks.chain(nations).chain(events) {
            assert_eq!(num(x), general_fixed6(x), "{name}: {x:e}");
            checked += 1;
        }
    }
    assert!(checked > 100_000, "only {checked} numbers checked");
}
