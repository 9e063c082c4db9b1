//! `waico validate FILE...`: parse and validate scenario files without running them.

use clap::Args;

use crate::scenario;

/// Arguments of `waico validate`.
#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Scenario files (or built-in scenario names).
    #[arg(required = true)]
    pub files: Vec<String>,
}

/// Validates every file, reporting each; fails if any is invalid.
pub fn validate(args: &ValidateArgs) -> anyhow::Result<()> {
    let mut failed = 0;
    for file in &args.files {
        match scenario::load(file) {
            Ok(s) => outln!(
                "ok: {file} ({}: {} ticks from {}, {} events, {} states)",
                s.name,
                s.calendar.last_tick(),
                s.calendar.start(),
                s.events.len(),
                s.world.nations.len()
            ),
            Err(err) => {
                errln!("error: {err}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        anyhow::bail!(
            "{failed} of {} scenario files are invalid",
            args.files.len()
        );
    }
    Ok(())
}
