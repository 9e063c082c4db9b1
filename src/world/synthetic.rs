//! Synthetic worlds of any size, for scale tests and benchmarks only: random but seeded
//! attributes, a few dozen blocs, no trade data (the network is gravity-filled).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Nation, WorldData};

const REGIONS: [&str; 5] = ["Africa", "Americas", "Asia", "Europe", "Oceania"];

/// A world of `n` states (at least 2) generated from `seed`. State `S0000000` is meant as
/// the host and `S0000001` as the opponent.
pub fn synthetic_world(n: usize, seed: u64) -> WorldData {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_blocs = (n / 100).clamp(8, 2000);
    let nations = (0..n.max(2))
        .map(|i| {
            let china: f64 = rng.random::<f64>() * 0.5;
            let us: f64 = rng.random::<f64>() * (1.0 - china) * 0.5;
            let blocs = (0..rng.random_range(0..4usize))
                .map(|_| format!("B{:05}", rng.random_range(0..n_blocs)))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let tier_draw: f64 = rng.random();
            Nation {
                iso3: format!("S{i:07}"),
                name: format!("State {i}"),
                region: REGIONS[rng.random_range(0..REGIONS.len())].to_owned(),
                subregion: "Synthetic".to_owned(),
                gdp_usd_bn: (rng.random::<f64>() * 8.0).exp(),
                population_m: (rng.random::<f64>() * 6.0).exp(),
                lat: rng.random::<f64>() * 140.0 - 60.0,
                lon: rng.random::<f64>() * 360.0 - 180.0,
                alignment: rng.random::<f64>() * 2.0 - 1.0,
                china_trade_share: china,
                us_trade_share: us,
                ai_capacity: rng.random(),
                chip_dependence: rng.random(),
                export_tier: if tier_draw < 0.05 {
                    1
                } else if tier_draw < 0.95 {
                    2
                } else {
                    3
                },
                us_ally: [0.0, 0.0, 0.0, 0.5, 1.0][rng.random_range(0..5usize)],
                democracy: rng.random(),
                blocs,
                bias: 0.0,
                recognises_host: true,
                sovereign: true,
                dispute_with_host: 0,
                hosts_us_forces: false,
                alignment_stale: false,
            }
        })
        .collect();
    WorldData {
        nations,
        trade: Vec::new(),
        nations_source: format!("synthetic({n}, seed {seed})"),
        nations_sha256: String::new(),
        trade_source: "none".to_owned(),
        trade_sha256: String::new(),
    }
}
