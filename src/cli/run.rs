//! `waico run [SCENARIO] [--seed N] [--out DIR] [--force] [--set PATH=VALUE]...
//! [--detail summary|full] [--compress]`; with `--seeds A..B`, an ensemble
//! (`cli/ensemble.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::limits;
use super::words::count;
use crate::analysis::ensemble::Seeds;
use crate::output::{self, Keep, atomic};
use crate::scenario::{self, Override, Scenario};
use crate::sim::{self, output::THRESHOLDS};
use crate::sweep::execute::Shard;
use crate::world::resources::Detail;

/// How much of a run its folder keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DetailArg {
    /// The counts per tick, the events, the charts and the manifest (no `nations.csv`).
    Summary,
    /// Also `nations.csv`: every state's status and utility terms at every tick.
    Full,
}

/// Arguments of `waico run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file, or the name of a built-in scenario (`waico scenarios` lists them)
    /// [default: the built-in baseline].
    pub scenario: Option<String>,
    /// Seed [default: the scenario's `seed`].
    #[arg(long, conflicts_with = "seeds")]
    pub seed: Option<u64>,
    /// Run an ensemble: once per seed of `A..B` (both included), or of `1..N` for `N`.
    #[arg(long, value_name = "A..B", value_parser = Seeds::parse)]
    pub seeds: Option<Seeds>,
    /// Folder to write [default: output/<scenario>/seed-<N>, or seeds-<A>-<B> for an
    /// ensemble; with --set, output/<scenario>+set-<hash>/...].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the folder if it holds a run (a folder of another kind is never replaced;
    /// a run of another scenario, seed or overrides is named as it is replaced).
    #[arg(long, conflicts_with = "resume")]
    pub force: bool,
    /// Ensembles: worker threads [default: all cores]; the files are the same at any number.
    #[arg(long, requires = "seeds")]
    pub jobs: Option<usize>,
    /// Ensembles: continue the interrupted ensemble in the folder.
    #[arg(long, requires = "seeds")]
    pub resume: bool,
    /// Ensembles: run only the K-th of N slices of the seeds (join them with `waico merge`).
    #[arg(long, value_name = "K/N", value_parser = Shard::parse, requires = "seeds")]
    pub shard: Option<Shard>,
    /// Ensembles: seconds between saves of the tally an interrupted ensemble resumes from.
    #[arg(long, hide = true, requires = "seeds")]
    pub checkpoint_secs: Option<f64>,
    /// Override a scenario key, e.g. `--set params.beta_peer=1.2` (repeatable); `events[N]`
    /// with N the number of events appends one.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_override)]
    pub overrides: Vec<Override>,
    /// What the folder keeps: `summary` leaves out nations.csv (one row per state and tick,
    /// ~100 MB for a daily run), `full` keeps it (needed by `waico explain`).
    #[arg(long, value_enum, default_value_t = DetailArg::Full, conflicts_with = "seeds")]
    pub detail: DetailArg,
    /// Write the CSV files gzipped (`.csv.gz`, read directly by pandas, R and waico).
    #[arg(long, conflicts_with = "seeds")]
    pub compress: bool,
    /// Go ahead with a run projected to need more than 2 GB of memory or output.
    #[arg(long)]
    pub yes_large: bool,
}

/// Parses `PATH=VALUE` for clap.
pub fn parse_override(text: &str) -> Result<Override, String> {
    Override::parse(text)
}

/// Loads a scenario named on the command line, refusing a sweep file with a pointer to
/// `waico sweep`, and prints the scenario's warnings.
pub fn load(name: &str, overrides: &[Override]) -> anyhow::Result<Scenario> {
    if crate::sweep::is_sweep_file(Path::new(name)) {
        anyhow::bail!(
            "{name} is a sweep file (it has a [sweep] table), not a scenario\n  help: run it with `waico sweep {name}`"
        );
    }
    let scenario = scenario::load_with(name, overrides)?;
    for warning in &scenario.warnings {
        errln!("warning: {warning}");
    }
    Ok(scenario)
}

/// Runs the scenario (or the ensemble), writes its folder and prints a summary.
pub fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    if let Some(seeds) = args.seeds {
        return super::ensemble::run(args, seeds);
    }
    run_one(args).map(|()| ExitCode::SUCCESS)
}

/// Runs the scenario once, writes its folder and prints a summary.
fn run_one(args: &RunArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let scenario = load(
        args.scenario.as_deref().unwrap_or("baseline"),
        &args.overrides,
    )?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("output")
            .join(scenario.folder_name())
            .join(format!("seed-{seed}"))
    });
    let same = |m: &serde_json::Value| {
        m.pointer("/scenario/name").and_then(|v| v.as_str()) == Some(scenario.name.as_str())
            && m.pointer("/scenario/sha256").and_then(|v| v.as_str())
                == Some(scenario.sha256.as_str())
            && m["seed"].as_u64() == Some(seed)
    };
    let notice = atomic::check_replace(&dir, args.force, "run", &same)?;
    let full = args.detail == DetailArg::Full;
    let keep = Keep {
        nations: full,
        compress: args.compress,
    };
    limits::check(&limits::run(&scenario, keep), &dir, args.yes_large)?;
    let run = sim::run(
        &scenario,
        seed,
        if full { Detail::Full } else { Detail::Series },
    );
    let files = output::run_files_kept(&scenario, &run, keep)?;
    if let Some(notice) = notice {
        errln!("{notice}");
    }
    atomic::write_dir(&dir, &files, args.force)?;
    out!("{}", summary(&scenario, &run));
    outln!(
        "  wrote {} ({}) in {:.2} s",
        dir.display(),
        count(files.len() as u64, "file", "files"),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The printed summary of a run: what it covers, its overrides, the final counts, when
/// it first passed 25, 50 and 100 members, and its founders.
fn summary(scenario: &Scenario, run: &sim::RunOutput) -> String {
    let mut out = String::new();
    let s = run.summary();
    let cal = &scenario.calendar;
    out.push_str(&format!(
        "{} (seed {}): {} to {}, {} {}, {}\n",
        scenario.name,
        run.seed,
        cal.start(),
        cal.last_date(),
        cal.last_tick(),
        if cal.last_tick() == 1 {
            format!("{} tick", cal.unit().name())
        } else {
            format!("{} ticks", cal.unit().name())
        },
        count(scenario.world.nations.len() as u64, "state", "states")
    ));
    if cal.last_date() != cal.end() {
        out.push_str(&format!(
            "  the end date {} falls within the last tick, dated {}\n",
            cal.end(),
            cal.last_date()
        ));
    }
    if !scenario.overrides.is_empty() {
        out.push_str(&format!(
            "  overrides: --set {}\n",
            scenario.overrides.join(" --set ")
        ));
    }
    let partners = if scenario.body.partner_tier {
        format!(", {}", count(s.final_partners, "partner", "partners"))
    } else {
        String::new()
    };
    out.push_str(&format!(
        "  final: {}{partners}; members hold {:.1}% of world GDP (peak {})\n",
        count(s.final_members, "member", "members"),
        100.0 * s.final_member_gdp_share,
        count(s.peak_members, "member", "members"),
    ));
    let past: Vec<String> = s
        .first_past
        .iter()
        .zip(THRESHOLDS)
        .map(|((_, date), k)| match date {
            Some(d) => format!("{k} on {d}"),
            None => format!("{k} never"),
        })
        .collect();
    out.push_str(&format!("  first past: {}\n", past.join(", ")));
    if let Some(deadline) = scenario.body.founding_deadline {
        out.push_str(&format!(
            "  founders (members as of {deadline}): {}\n",
            run.founders.len()
        ));
    }
    out
}
