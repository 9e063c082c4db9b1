//! No non-finite number can be written: valid-looking inputs at the very edges of their
//! ranges (weights of a million, temperatures near zero, GDP from US$ 1 thousand to US$ 1
//! quadrillion, piles of overlapping summits and shocks) run through a whole run, and every
//! number of every file the run writes is finite. The writer's guard refusing such a run
//! fails the test too: the validated ranges alone must keep every number finite.

use proptest::prelude::*;

use crate::util::WORLD_HEADER;
use waico::output;
use waico::scenario;
use waico::sim;
use waico::world::resources::Detail;

/// Values at the edges of a weight's range, and ordinary ones.
fn weight() -> impl Strategy<Value = f64> {
    prop::sample::select(vec![-1e6, -1.0, 0.0, 1e-300, 0.5, 1e6])
}

fn world_row(k: usize, gdp: f64, population: f64, bias: f64) -> String {
    let code = format!("S{k:02}");
    let (lat, lon) = (
        (k as f64 * 37.0) % 180.0 - 90.0,
        (k as f64 * 71.0) % 360.0 - 180.0,
    );
    let share = (k % 3) as f64 * 0.5;
    format!(
        "{code},State {k},R{},Sub,{gdp},{population},{lat},{lon},{},{share},{},{},{},{},{},{},{},{bias}",
        k % 3,
        [-1.0, 0.0, 1.0][k % 3],
        1.0 - share,
        [0.0, 1.0][k % 2],
        [1.0, 0.0][k % 2],
        1 + k % 3,
        (k % 2) as f64,
        [0.0, 1.0][k % 2],
        ["G20", "", "G20;SCO"][k % 3],
    )
}

prop_compose! {
    fn extreme_scenario()(
        betas in prop::collection::vec(weight(), 14),
        cuts in (weight(), weight()),
        tau in prop::sample::select(vec![0.0, 1e-300, 0.35, 1e6]),
        inertia in weight(),
        review_rate in prop::sample::select(vec![0.0, 1e-9, 1.0, 1e9]),
        offer in prop::sample::select(vec![0.0, 1e6]),
        pressure in prop::sample::select(vec![0.0, 1e6]),
        affinity in weight(),
        multiplier in prop::sample::select(vec![1e-3, 1e3]),
        shock in prop::sample::select(vec![-1e6, 1e6]),
        deal_weight in prop::sample::select(vec![0.0, 100.0]),
        gdp in prop::collection::vec(prop::sample::select(vec![1e-6, 1.0, 1e6]), 6),
        population in prop::sample::select(vec![1e-6, 1e5]),
        bias in prop::sample::select(vec![-1e6, 0.0, 1e6]),
        trade in prop::sample::select(vec![1e-6, 1e9]),
    ) -> (String, String, String) {
        let names = [
            "beta_0", "beta_size", "beta_affinity", "beta_align", "beta_trade", "beta_need",
            "beta_peer", "beta_bloc", "beta_legit", "beta_founding", "beta_push", "beta_deter",
            "beta_pressure", "beta_democracy",
        ];
        let (lo, hi) = if cuts.0 <= cuts.1 { cuts } else { (cuts.1, cuts.0) };
        let mut text = format!(
            "[scenario]\nname = \"extreme\"\nstart = 2025-01-01\nend = 2026-01-01\n\
             world = \"w.csv\"\ntrade = \"t.csv\"\n\n[body]\nhost = \"S00\"\nopponent = \"S01\"\n\
             founding_deadline = 2025-06-01\n\n[params]\ncut_partner = {lo:e}\ncut_member = {hi:e}\n\
             tau = {tau:e}\ninertia = {inertia:e}\nreview_rate = {review_rate:e}\ntrade_partners = 3\n"
        );
        for (name, b) in names.iter().zip(&betas) {
            text.push_str(&format!("{name} = {b:e}\n"));
        }
        text.push_str(&format!(
            "affinity = {{ R0 = {affinity:e}, R1 = {:e} }}\n\n[policy]\noffer = {offer:e}\npressure = {pressure:e}\n\n\
             [strategies.courtship]\nevery = \"1 month\"\ndeals = 3\nweight = {deal_weight:e}\nutility = 1e6\n\
             [strategies.counter_offer]\nenabled = true\nevery = \"1 month\"\nweight = {deal_weight:e}\nutility = 1e6\n",
            -affinity
        ));
        // Overlapping summits and shocks, and an offer raised again and again.
        for month in 1..12 {
            text.push_str(&format!(
                "\n[[events]]\ndate = 2025-{month:02}-02\nkind = \"summit\"\nregion = \"R1\"\n\
                 multiplier = {multiplier:e}\nboost = {shock:e}\nuntil = 2025-12-30\n\
                 [[events]]\ndate = 2025-{month:02}-03\nkind = \"shock\"\nbloc = \"G20\"\nvalue = {shock:e}\n\
                 [[events]]\ndate = 2025-{month:02}-04\nkind = \"offer\"\nmode = \"add\"\nvalue = 1e6\n\
                 [[events]]\ndate = 2025-{month:02}-05\nkind = \"trade_deal\"\npartner = \"S00\"\n\
                 states = [\"S03\", \"S04\"]\nweight = 100\nshare = 1\nclause = \"accession\"\nclause_value = 1e6\n"
            ));
        }
        let mut world = String::from(WORLD_HEADER);
        for (k, g) in gdp.iter().enumerate() {
            world.push('\n');
            world.push_str(&world_row(k, *g, population, bias));
        }
        world.push('\n');
        let trade = format!(
            "iso3_a,iso3_b,trade_musd\nS00,S02,{trade:e}\nS01,S03,1e-6\nS04,S05,1e9\n"
        );
        (text, world, trade)
    }
}

fn check_finite(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let text = String::from_utf8_lossy(bytes);
    for (k, line) in text.lines().enumerate().skip(1) {
        for cell in line.split(',') {
            let lower = cell.to_ascii_lowercase();
            prop_assert!(
                !matches!(lower.as_str(), "inf" | "-inf" | "+inf" | "nan" | "infinity"),
                "{name}, line {}: `{cell}` in {line}",
                k + 1
            );
            if let Ok(x) = cell.parse::<f64>() {
                prop_assert!(x.is_finite(), "{name}, line {}: {cell}", k + 1);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn extreme_valid_inputs_write_only_finite_numbers(
        (text, world, trade) in extreme_scenario(),
        seed in 0u64..1000,
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("w.csv"), &world).unwrap();
        std::fs::write(dir.path().join("t.csv"), &trade).unwrap();
        let s = scenario::parse("extreme.toml", &text, Some(dir.path()))
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        let run = sim::run(&s, seed, Detail::Full);
        let files = output::run_files(&s, &run)
            .unwrap_or_else(|e| panic!("the guard refused a valid scenario: {e}\n{text}\n{world}"));
        for (name, bytes) in &files {
            if name.ends_with(".csv") {
                check_finite(name, bytes)?;
            }
        }
    }
}
