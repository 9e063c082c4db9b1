//! `waico run [SCENARIO] [--seed N] [--out DIR] [--force]`.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::limits;
use crate::output::{self, atomic};
use crate::scenario::{self, Override};
use crate::sim::{self, output::THRESHOLDS};
use crate::world::resources::Detail;

/// Arguments of `waico run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file, or the name of a built-in scenario [default: the built-in baseline].
    pub scenario: Option<String>,
    /// Seed [default: the scenario's `seed`].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Folder to write [default: output/<scenario>/seed-<N>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Override a scenario key, e.g. `--set params.beta_peer=1.2` (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
    pub overrides: Vec<Override>,
    /// Go ahead with a run projected to need more than 2 GB of memory or output.
    #[arg(long)]
    pub yes_large: bool,
}

/// Parses `PATH=VALUE` for clap.
pub fn parse_override(text: &str) -> Result<Override, String> {
    Override::parse(text)
}

/// Runs the scenario, writes its folder and prints a summary.
pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let scenario = scenario::load_with(
        args.scenario.as_deref().unwrap_or("baseline"),
        &args.overrides,
    )?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("output")
            .join(&scenario.name)
            .join(format!("seed-{seed}"))
    });
    atomic::check_target(&dir, args.force)?;
    limits::check(&limits::run(&scenario), &dir, args.yes_large)?;
    let run = sim::run(&scenario, seed, Detail::Full);
    let files = output::run_files(&scenario, &run)?;
    atomic::write_dir(&dir, &files, args.force)?;

    let s = run.summary();
    let cal = &scenario.calendar;
    outln!(
        "{} (seed {seed}): {} to {}, {} {} ticks, {} states",
        scenario.name,
        cal.start(),
        cal.last_date(),
        cal.last_tick(),
        cal.unit().name(),
        scenario.world.nations.len()
    );
    outln!(
        "  final: {} members, {} partners; members hold {:.1}% of world GDP (peak {} members)",
        s.final_members,
        s.final_partners,
        100.0 * s.final_member_gdp_share,
        s.peak_members
    );
    let past: Vec<String> = s
        .first_past
        .iter()
        .zip(THRESHOLDS)
        .map(|((_, date), k)| match date {
            Some(d) => format!("{k} on {d}"),
            None => format!("{k} never"),
        })
        .collect();
    outln!("  first past: {}", past.join(", "));
    if let Some(deadline) = scenario.body.founding_deadline {
        outln!(
            "  founders (members as of {deadline}): {}",
            run.founders.len()
        );
    }
    outln!(
        "  wrote {} ({} files) in {:.2} s",
        dir.display(),
        files.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
