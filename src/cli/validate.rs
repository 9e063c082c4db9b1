//! `waico validate FILE...`: parse and validate scenario and sweep files without running
//! them.

use std::path::Path;

use clap::Args;

use super::words::count;
use crate::{scenario, sweep};

/// Arguments of `waico validate`.
#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Scenario files, sweep files (those with a [sweep] table) or built-in scenario names.
    #[arg(required = true)]
    pub files: Vec<String>,
}

/// Validates every file, reporting each; fails if any is invalid.
pub fn validate(args: &ValidateArgs) -> anyhow::Result<()> {
    let mut failed = 0;
    for file in &args.files {
        let result = if sweep::is_sweep_file(Path::new(file)) {
            check_sweep(file)
        } else {
            check_scenario(file)
        };
        match result {
            Ok(line) => outln!("{line}"),
            Err(err) => {
                errln!("error: {err}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        anyhow::bail!(
            "{failed} of {} {} invalid",
            count(args.files.len() as u64, "file", "files"),
            if failed == 1 { "is" } else { "are" }
        );
    }
    Ok(())
}

/// A scenario's line: what it covers, its events and states; its warnings on stderr.
fn check_scenario(file: &str) -> anyhow::Result<String> {
    let s = scenario::load(file)?;
    for warning in &s.warnings {
        errln!("warning: {warning}");
    }
    let cal = &s.calendar;
    Ok(format!(
        "ok: {file} ({}: {} to {}, {} {}, {}, {})",
        s.name,
        cal.start(),
        cal.last_date(),
        cal.last_tick(),
        if cal.last_tick() == 1 {
            format!("{} tick", cal.unit().name())
        } else {
            format!("{} ticks", cal.unit().name())
        },
        count(s.events.len() as u64, "event", "events"),
        count(s.world.nations.len() as u64, "state", "states")
    ))
}

/// A sweep's line: its design and runs; every design point's scenario is validated.
fn check_sweep(file: &str) -> anyhow::Result<String> {
    let s = sweep::load(Path::new(file))?;
    let base = s.base.scenario(&[])?;
    Ok(format!(
        "ok: {file} (sweep {}: {} {} x {} = {} of {})",
        s.name,
        count(s.points(), "design point", "design points"),
        if s.design.kind.is_empty() {
            "(no design)".to_owned()
        } else {
            format!("({})", s.design.kind)
        },
        count(s.replicates, "replicate", "replicates"),
        count(s.runs(), "run", "runs"),
        base.name
    ))
}
