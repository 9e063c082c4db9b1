//! The world: the states and their attributes (the world file), the trade network, and
//! their image in the ECS (components, resources, spawning).
//!
//! Data flows `nations.csv + trade.csv --load--> WorldData --(scenario)--> TradeNetwork,
//! spawned entities`. The shipped world is embedded in the binary so `waico run` works from
//! any folder; users may pass their own files with the same columns.

pub mod board;
pub mod components;
pub mod eligibility;
mod load;
pub mod network;
pub mod resources;
pub mod spawn;
pub mod synthetic;

pub use load::{
    ATTRIBUTE_RANGES, BUILTIN_NATIONS, BUILTIN_TRADE, NATION_COLUMNS, attribute_range, load_trade,
    load_world, valid_bloc, valid_code,
};

use std::collections::BTreeSet;

/// One state of the world file. Every field is a column of `nations.csv`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Nation {
    /// ISO 3166 alpha-3 code (or any short upper-case code in a custom world).
    pub iso3: String,
    /// Common English name.
    pub name: String,
    /// UN M49 region (Africa, Americas, Asia, Europe, Oceania).
    pub region: String,
    /// UN M49 sub-region.
    pub subregion: String,
    /// GDP, current US$ billions.
    pub gdp_usd_bn: f64,
    /// Population, millions.
    pub population_m: f64,
    /// Latitude of the capital, degrees.
    pub lat: f64,
    /// Longitude of the capital, degrees.
    pub lon: f64,
    /// -1 at the opposing power's (US) position, +1 at the host's (China), from UNGA votes.
    pub alignment: f64,
    /// Share of the state's trade done with the host (China).
    pub china_trade_share: f64,
    /// Share of the state's trade done with the opposing power (US).
    pub us_trade_share: f64,
    /// Domestic AI capability in [0, 1].
    pub ai_capacity: f64,
    /// Reliance on US-controlled advanced chips in [0, 1].
    pub chip_dependence: f64,
    /// US AI-chip export tier: 1 (closest allies), 2, 3 (embargoed).
    pub export_tier: u8,
    /// Security tie to the US: 1 treaty ally, 0.5 major non-NATO ally, 0 none.
    pub us_ally: f64,
    /// Liberal-democracy score in [0, 1].
    pub democracy: f64,
    /// Bloc memberships (upper-case codes such as `SCO`, `NATO`).
    pub blocs: Vec<String>,
    /// The modeller's own utility offset for this state.
    pub bias: f64,
    /// Whether the state has diplomatic relations with the host's government.
    pub recognises_host: bool,
    /// Whether the state is a separate actor (not a territory of another state).
    pub sovereign: bool,
    /// Territorial or maritime dispute with the host: 0 none, 1 dormant, 2 active.
    pub dispute_with_host: u8,
    /// Whether the state hosts US forces or has a standing defence cooperation agreement.
    pub hosts_us_forces: bool,
    /// Whether `alignment` is a documented override (the government changed after the
    /// UN-vote data).
    pub alignment_stale: bool,
}

/// The loaded world: nations sorted by code, and bilateral trade between them.
#[derive(Clone, Debug, PartialEq)]
pub struct WorldData {
    /// The states, sorted by `iso3`; a state's index here is its `StateId`.
    pub nations: Vec<Nation>,
    /// Bilateral trade `(a, b, US$ millions)` with `a < b` indices into `nations`, sorted.
    pub trade: Vec<(u32, u32, f64)>,
    /// Where the nations came from (`built-in` or the path), for the manifest.
    pub nations_source: String,
    /// SHA-256 of the nations file's bytes.
    pub nations_sha256: String,
    /// Where the trade data came from (`built-in`, a path or `none`).
    pub trade_source: String,
    /// SHA-256 of the trade file's bytes (empty when there is none).
    pub trade_sha256: String,
}

impl WorldData {
    /// The index of the state with this code.
    pub fn index_of(&self, iso3: &str) -> Option<u32> {
        self.nations
            .binary_search_by(|n| n.iso3.as_str().cmp(iso3))
            .ok()
            .map(|i| i as u32)
    }

    /// Every region, sorted.
    pub fn regions(&self) -> Vec<String> {
        let set: BTreeSet<&str> = self.nations.iter().map(|n| n.region.as_str()).collect();
        set.into_iter().map(str::to_owned).collect()
    }

    /// Every bloc code, sorted.
    pub fn blocs(&self) -> Vec<String> {
        let set: BTreeSet<&str> = self
            .nations
            .iter()
            .flat_map(|n| n.blocs.iter().map(String::as_str))
            .collect();
        set.into_iter().map(str::to_owned).collect()
    }
}

/// Hex SHA-256 of some bytes, for manifests.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha256_hex_of([bytes])
}

/// Hex SHA-256 of the concatenation of `parts`, without making it.
pub fn sha256_hex_of<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
