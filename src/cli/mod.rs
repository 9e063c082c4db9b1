//! The `waico` command line. Only this module knows about flags, terminals and exit
//! codes; each subcommand has its own file.
//!
//! Exit codes: 0 success, 1 bad input or a failed write (the message says which file, line
//! and key, and how to fix it), 2 a malformed command line, 3 a sweep or ensemble that
//! finished with failed runs (recorded in its runs.csv).

#[macro_use]
mod out;

mod backtest;
mod calibrate;
mod compare;
mod discover;
mod ensemble;
mod explain;
mod limits;
mod merge;
mod plot;
mod run;
mod scenarios;
mod sensitivity;
mod sweep;
mod validate;
mod words;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Simulate which states join a Shanghai-hosted AI cooperation body (WAICO), and why.
#[derive(Parser, Debug)]
#[command(name = "waico", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run one scenario for one seed (or, with --seeds, for many): CSV tables, manifest and
    /// charts in one folder.
    Run(run::RunArgs),
    /// Check scenario and sweep files without running them.
    Validate(validate::ValidateArgs),
    /// List the built-in scenarios, or print one to copy and edit.
    Scenarios(scenarios::ScenariosArgs),
    /// Run a sweep: many seeded runs over a design of scenario variations.
    Sweep(sweep::SweepArgs),
    /// Join the folders of a sweep's shards into the unsharded sweep's folder.
    Merge(merge::MergeArgs),
    /// Redraw the charts of a sweep, run, ensemble or comparison folder from its files.
    Plot(plot::PlotArgs),
    /// Fit scenario parameters to an observed membership curve.
    Calibrate(calibrate::CalibrateArgs),
    /// Set a scenario against an observed history over many seeds, with a counterfactual.
    Backtest(backtest::BacktestArgs),
    /// Run two scenarios on the same seeds and report how they differ.
    Compare(compare::CompareArgs),
    /// Explain why a state changed its status in a run, term by term.
    Explain(explain::ExplainArgs),
    /// Which varied paths of a sweep explain its outcomes (Sobol', Morris or PRCC).
    Sensitivity(sensitivity::SensitivityArgs),
    /// Find the region of a sweep's varied paths where a condition holds (PRIM).
    Discover(discover::DiscoverArgs),
    /// Print a shell completion script (`waico completions bash > ~/.local/share/bash-completion/completions/waico`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Prints the completion script for `shell`.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<()> {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "waico", &mut script);
    out::stdout_bytes(&script);
    Ok(())
}

/// Parses the command line, runs it and reports errors; the binary's whole `main`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let done = |r: anyhow::Result<()>| r.map(|()| ExitCode::SUCCESS);
    let result = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Validate(args) => done(validate::validate(&args)),
        Command::Scenarios(args) => done(scenarios::scenarios(&args)),
        Command::Completions { shell } => done(completions(shell)),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Merge(args) => done(merge::merge(&args)),
        Command::Plot(args) => done(plot::plot(&args)),
        Command::Calibrate(args) => done(calibrate::calibrate(&args)),
        Command::Backtest(args) => done(backtest::backtest_command(&args)),
        Command::Compare(args) => done(compare::compare(&args)),
        Command::Explain(args) => done(explain::explain(&args)),
        Command::Sensitivity(args) => done(sensitivity::sensitivity(&args)),
        Command::Discover(args) => done(discover::discover(&args)),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            let message = err.to_string();
            errln!("error: {message}");
            // Causes the message already quotes (an I/O error after its path) are not
            // repeated.
            for cause in err.chain().skip(1) {
                let cause = cause.to_string();
                if !message.contains(&cause) {
                    errln!("  caused by: {cause}");
                }
            }
            ExitCode::from(1)
        }
    }
}
