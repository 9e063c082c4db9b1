//! `waico scenarios [show NAME]`: the built-in scenarios, listed with their one-line
//! descriptions, or one printed whole so it can be copied and edited.

use clap::{Args, Subcommand};

use crate::scenario::{self, BUILTINS};

/// Arguments of `waico scenarios`.
#[derive(Args, Debug)]
pub struct ScenariosArgs {
    #[command(subcommand)]
    show: Option<Show>,
}

#[derive(Subcommand, Debug)]
enum Show {
    /// Print a built-in scenario's file, to copy and edit (`waico scenarios show baseline
    /// > mine.toml`).
    Show {
        /// The scenario's name.
        name: String,
    },
}

/// Lists the built-in scenarios, or prints one.
pub fn scenarios(args: &ScenariosArgs) -> anyhow::Result<()> {
    match &args.show {
        None => {
            out!("{}", list()?);
            Ok(())
        }
        Some(Show::Show { name }) => {
            let text = BUILTINS
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, text)| *text)
                .ok_or_else(|| {
                    let names: Vec<&str> = BUILTINS.iter().map(|b| b.0).collect();
                    let help = scenario::error::did_you_mean(name, names.iter().copied())
                        .unwrap_or_else(|| format!("choose one of {}", names.join(", ")));
                    anyhow::anyhow!("no built-in scenario is named `{name}`\n  help: {help}")
                })?;
            out!("{text}");
            Ok(())
        }
    }
}

/// The list: each built-in scenario's name and description, then how to use them.
pub fn list() -> anyhow::Result<String> {
    let width = BUILTINS.iter().map(|b| b.0.len()).max().unwrap_or(0);
    let mut out = String::from("built-in scenarios (run one with `waico run NAME`):\n");
    for (name, _) in BUILTINS {
        let s = scenario::load(name)?;
        out.push_str(&format!("  {name:<width$}  {}\n", s.description));
    }
    out.push_str("print one with `waico scenarios show NAME` to copy and edit it\n");
    Ok(out)
}
