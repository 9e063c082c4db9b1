//! Face validity (pattern-oriented modelling, Grimm et al. 2005): the patterns an expert
//! expects of the WAICO baseline, each checked over 200 seeds. docs/MODEL.md section 10
//! lists them with their reasons and sources; the IDs below are the table's. A pattern the
//! model does not show is kept as a known failure: the test checks that it still fails, so
//! the table cannot go stale in either direction.
//!
//! Eligibility is checked everywhere: no state barred from joining is ever a partner or a
//! member, at any tick, in any shipped scenario, and a `recognition` event makes a state
//! eligible from its date and not before.

use rayon::prelude::*;

use waico::model::Status;
use waico::scenario::{self, Scenario};
use waico::sim::with_thread_runner;
use waico::world::board::Board;
use waico::world::components::Membership;
use waico::world::resources::Detail;
use waico::world::spawn::Prepared;

use crate::util::{WORLD_HEADER, baseline_with, run_full, scenario_in, world_row};

/// Seeds of every check here.
const SEEDS: u64 = 200;

/// What a set of runs of one scenario showed.
struct Tally {
    /// Codes by state index.
    codes: Vec<String>,
    /// Seeds in which each state ended as a partner or member.
    in_body: Vec<u32>,
    /// (seed, tick, state) at which a barred state was in the body.
    barred_in: Vec<(u64, u32, String)>,
    /// States barred at some tick of some run.
    ever_barred: usize,
    /// Mean members at every tick.
    members: Vec<f64>,
    /// Dates of the ticks.
    dates: Vec<waico::time::Date>,
}

impl Tally {
    /// Share of seeds in which `code` ended in the body.
    fn share_in(&self, code: &str) -> f64 {
        let i = self.index(code);
        f64::from(self.in_body[i]) / SEEDS as f64
    }

    fn index(&self, code: &str) -> usize {
        self.codes
            .iter()
            .position(|c| c == code)
            .unwrap_or_else(|| panic!("{code} is not in the world"))
    }

    /// Mean members at the last tick on or before `date`.
    fn members_at(&self, date: &str) -> f64 {
        let d = waico::time::Date::parse(date).unwrap();
        let t = self.dates.iter().rposition(|x| *x <= d).unwrap();
        self.members[t]
    }
}

/// Runs `s` over the seeds, checking at every tick that no barred state is in the body.
fn tally(s: &Scenario) -> Tally {
    let prepared = Prepared::new(s);
    let n = prepared.len();
    let mut in_body = vec![0u32; n];
    let mut barred_in = Vec::new();
    let mut ever = vec![false; n];
    let mut members = Vec::new();
    let mut dates = Vec::new();
    with_thread_runner(|runner| {
        for seed in 1..=SEEDS {
            let mut last = vec![Status::Outside; n];
            let mut tick = 0u32;
            let run = runner.run_inspected(&prepared, seed, Detail::Series, |world| {
                let mut query = world
                    .try_query::<(&waico::world::components::StateId, &Membership)>()
                    .expect("states are spawned");
                for (id, m) in query.iter(world) {
                    let i = id.0 as usize;
                    if !m.bars.is_empty() {
                        ever[i] = true;
                        if m.status.is_in() {
                            barred_in.push((seed, tick, prepared.codes[i].clone()));
                        }
                    }
                }
                let board = world.resource::<Board>();
                for (i, status) in last.iter_mut().enumerate() {
                    *status = board.status(i);
                }
                tick += 1;
            });
            for (i, status) in last.iter().enumerate() {
                in_body[i] += u32::from(status.is_in());
            }
            members.resize(run.ticks.len(), 0.0);
            for (m, t) in members.iter_mut().zip(&run.ticks) {
                *m += f64::from(t.members) / SEEDS as f64;
            }
            dates = run.ticks.iter().map(|t| t.date).collect();
        }
    });
    Tally {
        codes: prepared.codes.to_vec(),
        in_body,
        barred_in,
        ever_barred: ever.iter().filter(|b| **b).count(),
        members,
        dates,
    }
}

/// One pattern's outcome: its ID, what was measured, and whether it holds.
struct Outcome {
    id: &'static str,
    measured: String,
    holds: bool,
}

/// Every pattern of the table, measured on the baseline's tally.
fn patterns(t: &Tally, s: &Scenario) -> Vec<Outcome> {
    let world = &s.world.nations;
    let codes_where = |f: &dyn Fn(&waico::world::Nation) -> bool| -> Vec<&str> {
        world
            .iter()
            .filter(|n| f(n))
            .map(|n| n.iso3.as_str())
            .collect()
    };
    let extreme = |codes: &[&str], highest: bool| -> (String, f64) {
        let mut best = (String::new(), if highest { -1.0 } else { 2.0 });
        for c in codes {
            let v = t.share_in(c);
            if (highest && v > best.1) || (!highest && v < best.1) {
                best = (c.to_string(), v);
            }
        }
        best
    };
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    let mut out = Vec::new();

    // P1: no barred state is ever in.
    out.push(Outcome {
        id: "P1",
        measured: format!(
            "{} barred states, {} (seed, tick) with one in",
            t.ever_barred,
            t.barred_in.len()
        ),
        holds: t.barred_in.is_empty() && t.ever_barred >= 4,
    });
    // P2: US treaty allies in Europe, North America, East Asia and Oceania stay out.
    let allies = codes_where(&|n| {
        n.us_ally == 1.0
            && (n.region == "Europe"
                || [
                    "Northern America",
                    "Eastern Asia",
                    "Australia and New Zealand",
                ]
                .contains(&n.subregion.as_str()))
    });
    let (code, most) = extreme(&allies, true);
    out.push(Outcome {
        id: "P2",
        measured: format!(
            "{} allies; most often in: {code} {}",
            allies.len(),
            pct(most)
        ),
        holds: allies.len() >= 30 && most <= 0.05,
    });
    // P3: the SCO's full members other than India are in.
    let sco = codes_where(&|n| {
        n.blocs.iter().any(|b| b == "SCO") && n.iso3 != "IND" && n.iso3 != s_host(s)
    });
    let (code, least) = extreme(&sco, false);
    out.push(Outcome {
        id: "P3",
        measured: format!(
            "{} members; least often in: {code} {}",
            sco.len(),
            pct(least)
        ),
        holds: sco.len() >= 8 && least >= 0.80,
    });
    // P4: India stays out.
    let india = t.share_in("IND");
    out.push(Outcome {
        id: "P4",
        measured: format!("India in {}", pct(india)),
        holds: india <= 0.25,
    });
    // P5: the Philippines stays out.
    let phl = t.share_in("PHL");
    out.push(Outcome {
        id: "P5",
        measured: format!("Philippines in {}", pct(phl)),
        holds: phl <= 0.25,
    });
    // P6: Gulf states hosting US forces join less often than those that host none.
    let gulf = |hosts: bool| {
        codes_where(&|n| n.blocs.iter().any(|b| b == "GCC") && n.hosts_us_forces == hosts)
    };
    let (hosts, others) = (gulf(true), gulf(false));
    let (host, most) = extreme(&hosts, true);
    let (other, least) = extreme(&others, false);
    out.push(Outcome {
        id: "P6",
        measured: format!(
            "hosts most often in: {host} {}; others least often in: {other} {}",
            pct(most),
            pct(least)
        ),
        holds: !hosts.is_empty() && !others.is_empty() && most < least,
    });
    // P7: no EU member is in in more than 10% of seeds.
    let eu = codes_where(&|n| n.blocs.iter().any(|b| b == "EU"));
    let (code, most) = extreme(&eu, true);
    out.push(Outcome {
        id: "P7",
        measured: format!("{} members; most often in: {code} {}", eu.len(), pct(most)),
        holds: eu.len() == 27 && most <= 0.10,
    });
    // P8: most of the African Union's members that may join are in in most seeds.
    let au = codes_where(&|n| n.blocs.iter().any(|b| b == "AU") && n.recognises_host);
    let majority = au.iter().filter(|c| t.share_in(c) > 0.5).count();
    let share = majority as f64 / au.len() as f64;
    out.push(Outcome {
        id: "P8",
        measured: format!(
            "{majority} of {} in in most seeds ({})",
            au.len(),
            pct(share)
        ),
        holds: share >= 0.75,
    });
    // P9: Russia, Iran and Belarus are in.
    let (code, least) = extreme(&["RUS", "IRN", "BLR"], false);
    out.push(Outcome {
        id: "P9",
        measured: format!("least often in: {code} {}", pct(least)),
        holds: least >= 0.95,
    });
    // P10: Vietnam joins less often than its neighbours without a dispute.
    let (vnm, lao, khm) = (t.share_in("VNM"), t.share_in("LAO"), t.share_in("KHM"));
    out.push(Outcome {
        id: "P10",
        measured: format!(
            "Vietnam {}, Laos {}, Cambodia {}",
            pct(vnm),
            pct(lao),
            pct(khm)
        ),
        holds: vnm < lao.min(khm),
    });
    // P11: growth slows: the last year adds less than half of what the first added.
    let first = t.members_at("2026-07-26") - t.members_at("2025-07-26");
    let last = t.members_at("2030-12-26") - t.members_at("2029-12-26");
    out.push(Outcome {
        id: "P11",
        measured: format!("first year +{first:.1} members, last year +{last:.1}"),
        holds: first > 0.0 && last < 0.5 * first,
    });
    // P12 (known failure): Syria's new government is no sure joiner.
    let syria = t.share_in("SYR");
    out.push(Outcome {
        id: "P12",
        measured: format!("Syria in {}", pct(syria)),
        holds: syria <= 0.80,
    });
    out
}

fn s_host(s: &Scenario) -> &str {
    &s.world.nations[s.body.host as usize].iso3
}

/// Patterns the model does not show (docs/MODEL.md section 10 says why).
const KNOWN_FAILURES: [&str; 1] = ["P12"];

#[test]
fn the_baseline_shows_the_patterns_an_expert_expects() {
    let s = scenario::load("baseline").unwrap();
    let t = tally(&s);
    let outcomes = patterns(&t, &s);
    let report: Vec<String> = outcomes
        .iter()
        .map(|o| {
            format!(
                "{} {}: {}",
                o.id,
                if o.holds { "holds" } else { "fails" },
                o.measured
            )
        })
        .collect();
    let report = report.join("\n");
    // Shown with `--nocapture`: the figures of docs/MODEL.md's table.
    eprintln!("{report}");
    for o in &outcomes {
        let known = KNOWN_FAILURES.contains(&o.id);
        assert!(
            o.holds != known,
            "{} {} (update docs/MODEL.md section 10 if the model changed):\n{report}",
            o.id,
            if known {
                "now holds though listed as a known failure"
            } else {
                "fails"
            }
        );
    }
}

#[test]
fn no_barred_state_is_ever_in_in_any_shipped_scenario() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let aiib = root.join("scenarios/history/aiib-2015.toml");
    let mut names: Vec<String> = scenario::BUILTINS
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    names.push(aiib.display().to_string());
    let results: Vec<(String, Tally)> = names
        .par_iter()
        .map(|name| {
            let s = scenario::load(name).unwrap_or_else(|e| panic!("{e}"));
            (name.clone(), tally(&s))
        })
        .collect();
    for (name, t) in results {
        let (barred, violations) = (t.ever_barred, t.barred_in);
        // Taiwan, Hong Kong, Macau and North Korea at least, in every shipped scenario.
        assert!(barred >= 4, "{name}: only {barred} barred states");
        assert!(
            violations.is_empty(),
            "{name}: barred states in the body (seed, tick, state): {:?}",
            &violations[..violations.len().min(10)]
        );
    }
}

/// A world of 12 eager states (`S01`-`S11` and the host `S00`), of which `S01` does not
/// recognise the host until a `recognition` event on `date`, and `S02` stops recognising
/// it on 2027-01-15.
fn recognition_scenario(dir: &std::path::Path, date: &str) -> Scenario {
    let mut world = format!("{WORLD_HEADER},recognises_host\n");
    for k in 0..12 {
        let recognises = if k == 1 { 0 } else { 1 };
        world += &format!("{},{recognises}\n", world_row(&format!("S{k:02}"), 3.0, ""));
    }
    std::fs::write(dir.join("w.csv"), world).unwrap();
    scenario_in(
        dir,
        &format!(
            r#"
[scenario]
name = "recognition"
start = 2025-01-01
end = 2027-12-31
world = "w.csv"
trade = "none"

[body]
host = "S00"
opponent = ""

[params]
review_rate = 12.0

[[events]]
date = {date}
kind = "recognition"
state = "S01"
recognises = true
label = "S01 recognises Beijing"

[[events]]
date = 2027-01-15
kind = "recognition"
state = "S02"
recognises = false
label = "S02 recognises Taipei"
"#
        ),
    )
}

#[test]
fn a_recognition_event_makes_a_state_eligible_from_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let s = recognition_scenario(dir.path(), "2026-03-10");
    let switch = s
        .calendar
        .tick_of(waico::time::Date::parse("2026-03-10").unwrap());
    let exit = s
        .calendar
        .tick_of(waico::time::Date::parse("2027-01-15").unwrap());
    let (switch, exit) = (switch.unwrap(), exit.unwrap());
    let mut joined_after = 0;
    for seed in 1..=40 {
        let run = run_full(&s, seed);
        for row in run.nations.iter().filter(|r| r.state == 1) {
            if row.tick < switch {
                assert!(
                    !row.status.is_in() && !row.reviewed && !row.bars.is_empty(),
                    "seed {seed}: S01 at tick {} before its switch: {:?}",
                    row.tick,
                    row.status
                );
                assert_eq!(row.bars.codes(), "no_recognition");
            } else {
                assert!(
                    row.bars.is_empty(),
                    "seed {seed}: S01 eligible from tick {switch}"
                );
            }
        }
        // Eager and reviewing monthly, S01 joins within months of its switch.
        joined_after += usize::from(
            run.nations
                .iter()
                .any(|r| r.state == 1 && r.tick < switch + 6 && r.status.is_in()),
        );
        // S02, in the body by then, leaves the tick it stops recognising the host, and
        // stays out.
        let s02: Vec<_> = run.nations.iter().filter(|r| r.state == 2).collect();
        assert!(
            s02[exit as usize - 1].status.is_in(),
            "seed {seed}: S02 was in"
        );
        assert!(
            s02[exit as usize..]
                .iter()
                .all(|r| r.status == Status::Outside && r.bars.codes() == "no_recognition"),
            "seed {seed}: S02 left and stayed out"
        );
        let exits: Vec<_> = run
            .events
            .iter()
            .filter(|e| e.kind == "exit" && e.state == Some(2))
            .collect();
        assert_eq!(exits.len(), 1, "seed {seed}");
        assert_eq!(exits[0].tick, exit);
        assert!(
            exits[0]
                .label
                .as_str()
                .contains("no longer recognises the host"),
            "{}",
            exits[0].label.as_str()
        );
    }
    assert!(
        joined_after >= 36,
        "S01 joined soon after in {joined_after} of 40 seeds"
    );
}

#[test]
fn a_decide_event_cannot_put_a_state_in_before_it_recognises_the_host() {
    let dir = tempfile::tempdir().unwrap();
    let s = recognition_scenario(dir.path(), "2026-03-10");
    let decide = |date: &str| {
        let mut file = s.file.clone();
        file.events.push(
            toml::from_str(&format!(
                "date = {date}\nkind = \"decide\"\nstate = \"S01\"\nstatus = \"partner\"\n"
            ))
            .unwrap(),
        );
        scenario::validate::validate(&file, "test.toml", Some(dir.path()))
    };
    let err = decide("2026-03-01").unwrap_err();
    assert_eq!(err.key.as_deref(), Some("events[2]"), "{err}");
    assert!(
        err.message.contains("S01") && err.message.contains("does not recognise"),
        "{err}"
    );
    assert!(
        err.help.as_deref().unwrap_or("").contains("recognition"),
        "{err}"
    );
    decide("2026-03-10").expect("eligible from the switch's date");
    decide("2027-02-01").expect("S01 still recognises the host then");
}

/// Neither power courts a state that may not join: with both strategies signing with the
/// largest economies every month, Taiwan, Hong Kong and the states without relations with
/// Beijing would be among the first picked if they were eligible.
#[test]
fn barred_states_are_never_courted() {
    let overrides = [
        "strategies.courtship.every=\"1 month\"",
        "strategies.courtship.target=\"largest\"",
        "strategies.courtship.deals=40",
        "strategies.courtship.once_per_state=false",
        "strategies.counter_offer.enabled=true",
        "strategies.counter_offer.every=\"1 month\"",
        "strategies.counter_offer.target=\"largest\"",
        "strategies.counter_offer.deals=40",
        "strategies.counter_offer.once_per_state=false",
    ];
    let prepared = Prepared::new(&baseline_with(&overrides));
    let barred: Vec<u32> = (0..prepared.len() as u32)
        .filter(|&i| !prepared.bundles[i as usize].membership.bars.is_empty())
        .collect();
    let codes = |list: &[u32]| -> Vec<&str> {
        list.iter()
            .map(|&i| prepared.codes[i as usize].as_str())
            .collect()
    };
    for code in ["TWN", "HKG", "PRK", "PRY"] {
        assert!(codes(&barred).contains(&code), "{code} is barred");
    }
    let run = waico::sim::Runner::new().run(&prepared, 1, Detail::Series);
    let deals: Vec<u32> = run
        .events
        .iter()
        .filter(|e| e.kind == "deal")
        .filter_map(|e| e.state)
        .collect();
    assert!(deals.len() > 1000, "{} deals", deals.len());
    let courted: Vec<u32> = deals
        .iter()
        .copied()
        .filter(|i| barred.contains(i))
        .collect();
    assert!(
        courted.is_empty(),
        "barred states courted: {:?}",
        codes(&courted)
    );
}
