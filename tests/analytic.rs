//! Analytic check: with peer, bloc and legitimacy weights at 0 and no events or strategies,
//! each state is an independent Markov chain on {outside, partner, member}. The mean member
//! count over 600 seeds must match the closed-form expectation within 4 standard errors.

use waico::scenario;
use waico::sim::Runner;
use waico::world::resources::Detail;
use waico::world::spawn::Prepared;
use waico::world::{BUILTIN_NATIONS, BUILTIN_TRADE, load_world};

const SCENARIO: &str = r#"
[scenario]
name = "independent"
start = 2025-07-26
end = 2029-07-26
tick = "month"

[body]
host = "CHN"
opponent = "USA"
founding_deadline = 2026-07-26
partner_tier = true

[params]
beta_0 = -1.0
beta_size = -0.1
beta_affinity = 1.0
beta_align = 1.2
beta_trade = 1.0
beta_need = 0.6
beta_peer = 0.0
beta_bloc = 0.0
beta_legit = 0.0
beta_founding = 0.3
beta_push = 0.8
beta_deter = 2.5
beta_pressure = 1.2
beta_democracy = 1.0
beta_dispute = 0.3
beta_forces = 0.3
review_rate = 1.0
cut_partner = 0.0
cut_member = 1.0
tau = 0.35
inertia = 0.3

[policy]
offer = 1.0
pressure = 0.5
retaliation = 0.2
[policy.stringency]
tier1 = 0.0
tier2 = 0.3
tier3 = 0.95

[strategies]
retaliation = false
[strategies.courtship]
enabled = false
"#;

/// The expected number of members at every tick, from the model's equations alone.
fn closed_form(ticks: usize) -> Vec<f64> {
    let world = load_world("w", BUILTIN_NATIONS, Some(("t", BUILTIN_TRADE))).unwrap();
    let n = world.nations.len();
    let logs: Vec<f64> = world.nations.iter().map(|s| s.gdp_usd_bn.ln()).collect();
    let mean = logs.iter().sum::<f64>() / n as f64;
    let sd = (logs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    let logistic = |x: f64| 1.0 / (1.0 + (-x).exp());
    let review = 1.0 - (-1.0f64 / 12.0).exp();
    // Monthly ticks from 2025-07-26: tick t's period starts at tick t-1, and the founding
    // bonus applies while that start is before 2026-07-26, i.e. for ticks 1..=12.
    let mut expected = vec![0.0; ticks + 1];
    for (i, s) in world.nations.iter().enumerate() {
        let mut dist = match s.iso3.as_str() {
            "CHN" => [0.0, 0.0, 1.0],
            _ => [1.0, 0.0, 0.0],
        };
        expected[0] += dist[2];
        // The host and the opponent never review, nor do states that may not join.
        let free = !matches!(s.iso3.as_str(), "CHN" | "USA") && s.recognises_host && s.sovereign;
        let tiers: [f64; 3] = [0.0, 0.3, 0.95];
        let stringency = tiers[s.export_tier as usize - 1];
        let at_risk = (tiers[(s.export_tier as usize).min(2)] - stringency).max(0.0);
        for (t, slot) in expected.iter_mut().enumerate().skip(1) {
            if free {
                let founding = if t <= 12 { 0.3 } else { 0.0 };
                let u = -1.0 - 0.1 * (logs[i] - mean) / sd
                    + 1.2 * s.alignment
                    + (s.china_trade_share - s.us_trade_share)
                    + 0.6 * (1.0 - s.ai_capacity)
                    + founding
                    + 0.8 * s.chip_dependence * stringency
                    - 2.5 * s.chip_dependence * 0.2 * at_risk
                    - 1.2 * s.us_ally * 0.5
                    - s.democracy
                    - 0.3 * f64::from(s.dispute_with_host)
                    - 0.3 * f64::from(u8::from(s.hosts_us_forces))
                    + s.bias;
                let mut next = [0.0; 3];
                for (from, &p_from) in dist.iter().enumerate() {
                    let v = u + if from > 0 { 0.3 } else { 0.0 };
                    let p1 = logistic(v / 0.35);
                    let p2 = logistic((v - 1.0) / 0.35);
                    let choice = [1.0 - p1, p1 - p2, p2];
                    for (to, q) in choice.iter().enumerate() {
                        next[to] += p_from * review * q;
                    }
                    next[from] += p_from * (1.0 - review);
                }
                dist = next;
            }
            *slot += dist[2];
        }
    }
    expected
}

#[test]
fn independent_chains_match_the_closed_form_within_four_standard_errors() {
    let s = scenario::parse("independent.toml", SCENARIO, None).unwrap();
    let prepared = Prepared::new(&s);
    let ticks = s.calendar.last_tick() as usize;
    let expected = closed_form(ticks);
    let seeds = 600u64;
    let mut runner = Runner::new();
    let mut sum = vec![0.0; ticks + 1];
    let mut sum_sq = vec![0.0; ticks + 1];
    for seed in 0..seeds {
        let run = runner.run(&prepared, seed, Detail::Series);
        for (t, row) in run.ticks.iter().enumerate() {
            let m = f64::from(row.members);
            sum[t] += m;
            sum_sq[t] += m * m;
        }
    }
    for t in [3usize, 6, 12, 13, 24, 36, 48] {
        let mean = sum[t] / seeds as f64;
        let var = sum_sq[t] / seeds as f64 - mean * mean;
        let se = (var / seeds as f64).sqrt();
        assert!(se > 0.0, "tick {t}: members vary across seeds");
        let z = (mean - expected[t]) / se;
        assert!(
            z.abs() < 4.0,
            "tick {t}: simulated mean {mean:.3}, closed form {:.3}, {z:.2} standard errors apart",
            expected[t]
        );
    }
    // The check has teeth: the curve moves by far more than 4 standard errors.
    assert!(
        expected[48] - expected[3] > 10.0,
        "membership grows: {expected:?}"
    );
}
