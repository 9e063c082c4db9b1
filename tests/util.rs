//! Helpers shared by the integration tests.

use std::path::Path;

use waico::scenario::{self, Override, Scenario};
use waico::sim::{self, RunOutput};
use waico::world::resources::Detail;

/// The `waico` binary.
pub fn waico() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("waico").expect("the waico binary builds")
}

/// The `waico` binary as a plain process, for tests that start it and kill it.
pub fn waico_process() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_waico"))
}

/// The built-in baseline with `path=value` overrides.
pub fn baseline_with(overrides: &[&str]) -> Scenario {
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).expect("a valid override"))
        .collect();
    scenario::load_with("baseline", &overrides).expect("the baseline validates")
}

/// Parses scenario text whose relative paths start at `dir`.
pub fn scenario_in(dir: &Path, text: &str) -> Scenario {
    scenario::parse("test.toml", text, Some(dir)).unwrap_or_else(|e| panic!("{e}"))
}

/// One run with full detail.
pub fn run_full(s: &Scenario, seed: u64) -> RunOutput {
    sim::run(s, seed, Detail::Full)
}

/// The header of a world file.
pub const WORLD_HEADER: &str = "iso3,name,region,subregion,gdp_usd_bn,population_m,lat,lon,alignment,china_trade_share,us_trade_share,ai_capacity,chip_dependence,export_tier,us_ally,democracy,blocs,bias";

/// A world-file row with neutral attributes and the given code, bias and blocs.
pub fn world_row(code: &str, bias: f64, blocs: &str) -> String {
    format!("{code},State {code},Region,Sub,100,10,0,0,0,0.1,0.1,0.5,0.5,2,0,0.5,{blocs},{bias}")
}

/// Writes a world file `name` in `dir`: the header, then `rows`, one per line.
pub fn write_world(dir: &Path, name: &str, rows: impl IntoIterator<Item = String>) {
    let mut world = String::from(WORLD_HEADER);
    for row in rows {
        world.push('\n');
        world.push_str(&row);
    }
    std::fs::write(dir.join(name), world + "\n").expect("the world file is written");
}

/// Members per tick.
pub fn members(run: &RunOutput) -> Vec<u32> {
    run.ticks.iter().map(|t| t.members).collect()
}
