//! Property tests: any valid scenario, on worlds of any shape, runs without panicking and
//! keeps its counts in range, its board exact and its runs repeatable.

use proptest::prelude::*;
use std::sync::Arc;
use waico::scenario::{ScenarioFile, validate::validate_with_world};
use waico::sim::Runner;
use waico::world::board::Board;
use waico::world::resources::{Detail, Network};
use waico::world::spawn::Prepared;
use waico::world::synthetic::synthetic_world;

const KINDS: [&str; 11] = [
    "offer",
    "export_controls",
    "tier_change",
    "chip_deal",
    "trade_deal",
    "pressure",
    "retaliation",
    "summit",
    "shock",
    "decide",
    "truce",
];

fn event(kind: &str, day: u32, state: u32, x: f64) -> String {
    let date = format!("2025-{:02}-{:02}", 1 + day / 28 % 12, 1 + day % 28);
    let s = format!("S{:07}", state);
    let body = match kind {
        "offer" => format!("value = {}", x * 3.0),
        "export_controls" => format!("tier = {}\nstringency = {x}", 1 + state % 3),
        "tier_change" => format!("states = [\"{s}\"]\ntier = {}", 1 + state % 3),
        "chip_deal" => format!("states = [\"{s}\"]\nstringency = {x}"),
        "trade_deal" => format!(
            "partner = \"S0000000\"\nstates = [\"{s}\"]\nweight = {x}\nclause = \"accession\""
        ),
        "pressure" | "retaliation" => format!("value = {x}"),
        "summit" => format!(
            "states = [\"{s}\"]\nmultiplier = {}\nboost = {x}",
            0.5 + 4.0 * x
        ),
        "shock" => format!("states = [\"{s}\"]\nvalue = {}", x - 0.5),
        "decide" => format!(
            "states = [\"{s}\"]\nstatus = \"{}\"",
            ["outside", "partner", "member"][state as usize % 3]
        ),
        _ => format!("stringency_scale = {x}\npressure = {x}\nuntil = 2026-06-01"),
    };
    let until = if kind != "truce" && state.is_multiple_of(2) {
        "\nuntil = 2025-12-20"
    } else {
        ""
    };
    format!("[[events]]\ndate = {date}\nkind = \"{kind}\"\n{body}{until}\n")
}

prop_compose! {
    fn scenario_text()(
        tick in prop::sample::select(vec!["day", "week", "month"]),
        months in 2u32..18,
        beta_peer in -2.0f64..4.0,
        beta_bloc in -2.0f64..4.0,
        tau in prop::sample::select(vec![0.0, 0.05, 0.3, 2.0]),
        review_rate in 0.0f64..12.0,
        partner_tier in any::<bool>(),
        courtship in any::<bool>(),
        counter in any::<bool>(),
        events in prop::collection::vec((0usize..11, 0u32..300, 2u32..40, 0.0f64..1.0), 0..8),
    ) -> String {
        let end = format!("{}-{:02}-28", 2025 + (months / 12), 1 + months % 12);
        let mut text = format!(
            "[scenario]\nname = \"prop\"\nstart = 2025-01-01\nend = {end}\ntick = \"{tick}\"\n\n\
             [body]\nhost = \"S0000000\"\nopponent = \"S0000001\"\npartner_tier = {partner_tier}\n\
             founding_deadline = 2025-06-01\n\n\
             [params]\nbeta_peer = {beta_peer}\nbeta_bloc = {beta_bloc}\ntau = {tau}\nreview_rate = {review_rate}\n\
             cut_partner = -0.5\ncut_member = 0.5\ntrade_partners = 5\n\n\
             [strategies.courtship]\nenabled = {courtship}\nevery = \"1 month\"\n\
             [strategies.counter_offer]\nenabled = {counter}\n\n"
        );
        for (k, day, state, x) in events {
            let kind = KINDS[k];
            if kind == "decide" && !partner_tier && state % 3 == 1 {
                continue;
            }
            text.push_str(&event(kind, day % (months * 28).max(1), state, x));
        }
        text
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn any_valid_scenario_runs_with_counts_in_range(text in scenario_text(), n in 40usize..90, seed in 0u64..1000) {
        let world = Arc::new(synthetic_world(n, 5));
        let file: ScenarioFile = toml::from_str(&text).unwrap();
        let scenario = match validate_with_world(&file, "prop", world) {
            Ok(s) => s,
            // Generated events may fall after the last tick of short runs: skip those.
            Err(e) if e.message.contains("outside the run") => return Ok(()),
            Err(e) => panic!("{e}\n{text}"),
        };
        let prepared = Prepared::new(&scenario);
        let mut runner = Runner::new();
        let run = runner.run_inspected(&prepared, seed, Detail::Full, |w| {
            let board = w.resource::<Board>();
            assert_eq!(board, &board.recount(&w.resource::<Network>().0));
        });
        prop_assert_eq!(run.ticks.len(), scenario.calendar.last_tick() as usize + 1);
        for t in &run.ticks {
            prop_assert_eq!(t.members + t.partners + t.outside, n as u32);
            prop_assert!(t.members >= 1, "the host is always a member");
            for share in [t.member_gdp_share, t.member_population_share, t.legitimacy] {
                prop_assert!((0.0..=1.0).contains(&share));
            }
            let regions: u32 = t.groups[..run.regions.len()].iter().sum();
            prop_assert_eq!(regions, t.members);
        }
        for r in &run.nations {
            prop_assert!(r.utility.is_finite() && (0.0..=1.0).contains(&r.p_member));
            prop_assert!(r.p_member <= r.p_partner);
        }
        let again = runner.run(&prepared, seed, Detail::Full);
        prop_assert_eq!(&again.ticks, &run.ticks);
    }
}
